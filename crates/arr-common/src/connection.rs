//! The base URL and API-key header both clients check the same way.

use curator_http::Secret;
use curator_http::reqwest::Url;
use curator_http::reqwest::header::{HeaderMap, HeaderName};

/// The header Radarr and Sonarr read the API key from.
const API_KEY_HEADER: HeaderName = HeaderName::from_static("x-api-key");

/// Checks a Radarr or Sonarr base URL and API key, and returns the URL
/// (with a trailing `/`, so relative paths join under any URL base) and
/// the headers that carry the key (marked sensitive).
///
/// `service` names the application in the message for an empty key
/// ("Radarr", "Sonarr").
///
/// # Errors
/// A message saying what to fix: a URL that is not http(s) or carries a
/// query, an empty key, or a key a header cannot carry.
pub fn connection(
    base_url: &str,
    api_key: &Secret,
    service: &str,
) -> Result<(Url, HeaderMap), String> {
    let base = curator_http::base_url(base_url)?;
    if api_key.is_blank() {
        return Err(format!(
            "the api key is empty; copy it from {service}'s web UI: Settings > General > Security"
        ));
    }
    let key = api_key.header_value("").map_err(|_| {
        "the api key holds characters a header cannot carry (a pasted line break?)".to_owned()
    })?;
    let mut headers = HeaderMap::new();
    headers.insert(API_KEY_HEADER, key);
    Ok((base, headers))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_url_gets_its_trailing_slash_and_the_key_a_sensitive_header() {
        let (base, headers) =
            connection(" http://nas:8989/sonarr ", &Secret::new("abc"), "Sonarr").unwrap();
        assert_eq!(base.as_str(), "http://nas:8989/sonarr/");
        let key = &headers[API_KEY_HEADER];
        assert_eq!(key, "abc");
        assert!(key.is_sensitive());
    }

    #[test]
    fn bad_input_says_what_to_fix() {
        let key = Secret::new("abc");
        let err = |url: &str, key: &Secret| connection(url, key, "Radarr").unwrap_err();
        assert!(err("nas:7878", &key).contains("http://"));
        assert!(err("http://nas:7878/?apikey=x", &key).contains("query"));
        assert!(err("http://nas:7878", &Secret::new("  ")).contains("Radarr's web UI"));
        assert!(err("http://nas:7878", &Secret::new("a\nb")).contains("line break"));
    }
}
