//! A service's base URL, checked the same way for every client that takes
//! one from the config.

use reqwest::Url;

/// Checks a service's base URL and returns it with a trailing `/`, so
/// relative API paths join under any URL base (`https://nas/sonarr/`).
///
/// ```
/// let base = curator_http::base_url(" http://nas:5055/seerr ").unwrap();
/// assert_eq!(base.as_str(), "http://nas:5055/seerr/");
/// assert!(curator_http::base_url("nas:5055").is_err());
/// ```
///
/// # Errors
/// A message saying what to fix: a URL that does not parse, is not
/// http(s), or carries a query (a key put there would leak into logs).
pub fn base_url(raw: &str) -> Result<Url, String> {
    let mut base = Url::parse(raw.trim()).map_err(|e| format!("invalid base url: {e}"))?;
    if !matches!(base.scheme(), "http" | "https") || base.cannot_be_a_base() {
        return Err("the base url must start with http:// or https://".to_owned());
    }
    if base.query().is_some() {
        return Err(
            "the base url must not carry a query; the api key goes in the builder".to_owned(),
        );
    }
    if !base.path().ends_with('/') {
        let path = format!("{}/", base.path());
        base.set_path(&path);
    }
    Ok(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_base_keeps_its_path_and_gets_a_trailing_slash() {
        assert_eq!(
            base_url("https://example.org/radarr").unwrap().as_str(),
            "https://example.org/radarr/"
        );
        assert_eq!(
            base_url("http://nas:7878/").unwrap().as_str(),
            "http://nas:7878/"
        );
    }

    #[test]
    fn bad_urls_say_what_to_fix() {
        assert!(base_url("nas:7878").unwrap_err().contains("http://"));
        assert!(base_url("ftp://nas").unwrap_err().contains("http://"));
        assert!(
            base_url("http://nas/?apikey=x")
                .unwrap_err()
                .contains("query")
        );
        assert!(base_url("").unwrap_err().contains("invalid base url"));
    }
}
