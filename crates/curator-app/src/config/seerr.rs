//! Where missing titles go: `requests.via` (`radarr`, the default, or
//! `seerr`) and the `seerr:` section (Overseerr or Jellyseerr).

use curator_core::RequestsVia;
use curator_http::Secret;
use serde::Deserialize;

use super::{ConfigError, Env, env_secret, placeholder, secret, url};

/// The keys of the `requests:` section.
pub(super) const REQUESTS_KEYS: &[&str] = &["via"];
/// The keys of the `seerr:` section.
pub(super) const SEERR_KEYS: &[&str] = &["url", "api_key"];

/// The `requests:` section as written.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct RequestsFile {
    pub(crate) via: Option<String>,
}

/// The `seerr:` section as written.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct SeerrFile {
    pub(crate) url: Option<String>,
    pub(crate) api_key: Option<Secret>,
}

/// Overseerr or Jellyseerr connection details.
#[derive(Debug, Clone)]
pub struct SeerrConn {
    /// Seerr's address, with any URL base.
    pub url: String,
    /// The API key (Settings > General > API Key).
    pub api_key: Secret,
}

/// `requests.via` and the Seerr it needs, checked: sending through Seerr
/// without its URL or key is an error naming the key to set; a `seerr:`
/// section that nothing uses is a notice.
pub(super) fn resolve(
    requests: RequestsFile,
    seerr: SeerrFile,
    text: &str,
    env: &dyn Env,
    notices: &mut Vec<String>,
) -> Result<(RequestsVia, Option<SeerrConn>), ConfigError> {
    let via = match placeholder::set(requests.via)
        .map(|v| v.trim().to_ascii_lowercase())
        .as_deref()
    {
        None | Some("radarr" | "arr" | "radarr_sonarr" | "radarr-sonarr") => RequestsVia::Arr,
        Some("seerr" | "overseerr" | "jellyseerr") => RequestsVia::Seerr,
        Some(other) => {
            return Err(ConfigError::new(format!("unknown requests.via {other:?}"))
                .key("requests.via", text)
                .fix("use radarr (movies to Radarr, shows to Sonarr) or seerr (both as requests to Overseerr or Jellyseerr, with seerr.url and seerr.api_key)"));
        }
    };
    let seerr_url = url(seerr.url, "seerr.url", text, "http://localhost:5055")?;
    let api_key = env_secret(env, "CURATOR_SEERR_API_KEY").or_else(|| secret(seerr.api_key));
    let conn = match (via, seerr_url, api_key) {
        (RequestsVia::Arr, None, _) => None,
        (RequestsVia::Arr, Some(_), _) => {
            notices.push(
                "seerr.url is set, but requests.via is radarr: missing titles still go to Radarr and Sonarr (set requests.via: seerr to send them to Seerr)"
                    .to_owned(),
            );
            None
        }
        (RequestsVia::Seerr, None, _) => {
            return Err(
                ConfigError::new("requests go through Seerr, but seerr.url is not set")
                    .key("requests.via", text)
                    .fix("set seerr.url to Overseerr's or Jellyseerr's address, like http://localhost:5055, or use requests.via: radarr"),
            );
        }
        (RequestsVia::Seerr, Some(_), None) => {
            return Err(
                ConfigError::new("requests go through Seerr, but seerr.api_key is not set")
                    .key("seerr", text)
                    .fix("copy the key from Seerr's web UI (Settings > General > API Key) into seerr.api_key or $CURATOR_SEERR_API_KEY"),
            );
        }
        (RequestsVia::Seerr, Some(url), Some(api_key)) => Some(SeerrConn { url, api_key }),
    };
    Ok((via, conn))
}
