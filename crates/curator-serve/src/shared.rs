//! What the handlers share.

use std::sync::Arc;

use curator_app::Config;
use curator_core::DataDir;
use curator_http::Secret;

use crate::metrics::Metrics;
use crate::poster_store::Posters;
use crate::queue::Queue;
use crate::schedule::Board;
use crate::shelf::Shelf;
use crate::status::ServiceStatus;

/// How Radarr and Sonarr can send the token without the URL.
const ARR_HINT: &str = "set the webhook's Username (any) and Password (the token) instead, and drop ?token= from its URL";

/// What the handlers share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) queue: Arc<Queue>,
    pub(crate) metrics: Arc<Metrics>,
    pub(crate) token: Option<Secret>,
    pub(crate) config: Arc<Config>,
    pub(crate) data: DataDir,
    pub(crate) schedules: Arc<Board>,
    pub(crate) status: Arc<ServiceStatus>,
    /// True for `curator demo --serve`.
    pub(crate) demo: bool,
    /// The page forms' CSRF token: random, new at every start.
    pub(crate) csrf: Secret,
    /// The host name in the listen address, when it is a name.
    pub(crate) listen_host: Option<String>,
    /// The configured Plex server's machine identifier, read once.
    pub(crate) plex_server: tokio::sync::OnceCell<String>,
    /// The sources already told to send the token in a header.
    pub(crate) hinted: std::sync::Mutex<std::collections::BTreeSet<&'static str>>,
    /// What the page shows from Plex, kept between views.
    pub(crate) shelf: Shelf,
    /// The posters kept in the data directory.
    pub(crate) posters: Posters,
}

impl Shared {
    /// The address of `path` (`/`, `/live`, `/jobs/run`: one of this
    /// server's routes, starting with `/`) as the browser asks for it:
    /// under `serve.base_path` when curator is behind a proxy at a
    /// sub-path. Every link, form action, script URL and redirect the
    /// page sends is built here.
    pub(crate) fn href(&self, path: &str) -> String {
        href(&self.config.serve.base_path, path)
    }

    /// The cookie's `Path`: the base path, or `/` without one.
    pub(crate) fn cookie_path(&self) -> &str {
        match self.config.serve.base_path.as_str() {
            "" => "/",
            base => base,
        }
    }

    /// Logs, once per source, that a sender able to set headers sent the
    /// token in its URL, where proxies and the sender's own logs may keep
    /// it (Radarr and Sonarr: webhook Username/Password; Tautulli: its
    /// webhook's JSON headers). Plex's webhook cannot send headers.
    pub(crate) fn hint_header_auth(&self, source: &'static str) {
        let (name, how) = match source {
            "radarr" => ("Radarr", ARR_HINT),
            "sonarr" => ("Sonarr", ARR_HINT),
            "tautulli" => (
                "Tautulli",
                "add {\"X-Api-Key\": \"TOKEN\"} to the webhook's JSON Headers instead, and drop ?token= from its URL",
            ),
            _ => return,
        };
        let first = self
            .hinted
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(source);
        if first {
            tracing::warn!(
                "{name} sent the token in its webhook's URL, where logs may keep it: {how}"
            );
        }
    }

    /// Whose plays and which library the webhooks act on.
    pub(crate) fn rules(&self) -> crate::hooks::Rules<'_> {
        crate::hooks::Rules {
            library: &self.config.settings.movie_library,
            tv_library: self
                .config
                .settings
                .tv
                .as_ref()
                .map(|tv| tv.library.as_str()),
            users: &self.config.serve.users,
        }
    }

    /// The configured Plex server's machine identifier (`GET /identity`),
    /// asked once; a failure is asked again next time.
    ///
    /// # Errors
    /// Plex is not configured or cannot be read, as a readable reason.
    pub(crate) async fn plex_server(&self) -> Result<&str, String> {
        self.plex_server
            .get_or_try_init(|| async {
                let Some(conn) = &self.config.plex else {
                    return Err("Plex is not configured".to_owned());
                };
                let client = curator_app::plex_client_identifier(&self.data, false)
                    .and_then(|id| curator_app::plex(conn, &self.config.timeouts, &id, None))
                    .map_err(|e| e.to_string())?;
                plex_client::PlexApi::identity(&client)
                    .await
                    .map(|found| found.machine_identifier)
                    .map_err(|e| e.to_string())
            })
            .await
            .map(String::as_str)
    }
}

/// `path` under `base` (`""` or `/curator`, as `serve.base_path` is read).
pub(crate) fn href(base: &str, path: &str) -> String {
    debug_assert!(path.starts_with('/'), "{path:?} is a route");
    format!("{base}{path}")
}

/// The route a request is for: its path with `base` taken off when it
/// carries it (a proxy that does not strip the prefix), else as it came
/// (a proxy that strips it, or a request straight to the port).
pub(crate) fn route_of<'a>(base: &str, path: &'a str) -> &'a str {
    if base.is_empty() {
        return path;
    }
    match path.strip_prefix(base) {
        Some("") => "/",
        Some(rest) if rest.starts_with('/') => rest,
        _ => path,
    }
}

#[cfg(test)]
mod tests {
    use super::{href, route_of};

    #[test]
    fn links_carry_the_base_path() {
        assert_eq!(href("", "/"), "/");
        assert_eq!(href("", "/live"), "/live");
        assert_eq!(href("/curator", "/"), "/curator/");
        assert_eq!(href("/a/b", "/jobs/run"), "/a/b/jobs/run");
    }

    #[test]
    fn requests_are_routed_with_or_without_the_base_path() {
        assert_eq!(route_of("", "/curator/live"), "/curator/live");
        assert_eq!(route_of("/curator", "/curator"), "/");
        assert_eq!(route_of("/curator", "/curator/"), "/");
        assert_eq!(route_of("/curator", "/curator/live"), "/live");
        assert_eq!(route_of("/curator", "/live"), "/live");
        assert_eq!(route_of("/curator", "/"), "/");
        assert_eq!(route_of("/curator", "/curatorx/live"), "/curatorx/live");
    }
}
