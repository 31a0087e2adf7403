//! A string that never shows itself in logs, errors or `Debug` output.

use std::fmt;

use reqwest::header::{HeaderValue, InvalidHeaderValue};
use serde::{Deserialize, Deserializer};

/// A token or API key.
///
/// `Debug` and `Display` print `***`; the value is reached only through
/// [`Secret::expose`], which makes every use easy to find. Header values made
/// from it are marked sensitive, so HTTP libraries do not log them either.
///
/// ```
/// use curator_http::Secret;
///
/// let token = Secret::new("abc123");
/// assert_eq!(format!("{token:?}"), "Secret(***)");
/// assert_eq!(token.expose(), "abc123");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Box<str>);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into().into_boxed_str())
    }

    /// The value itself. Call this only to send it to the service it is for.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True when the value is empty or only whitespace.
    pub fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }

    /// A header value holding the secret, marked sensitive.
    ///
    /// `prefix` is put before it, as in `"Bearer "`.
    ///
    /// # Errors
    /// Fails when the value holds characters a header cannot carry (a line
    /// break pasted with the key, for example).
    pub fn header_value(&self, prefix: &str) -> Result<HeaderValue, InvalidHeaderValue> {
        let mut value = HeaderValue::from_str(&format!("{prefix}{}", self.expose()))?;
        value.set_sensitive(true);
        Ok(value)
    }

    /// Replaces every occurrence of the secret in `text` with `***`.
    ///
    /// Used on error bodies, which some servers fill with the request they
    /// refused.
    pub fn redact(&self, text: &str) -> String {
        if self.0.len() < 4 {
            // Too short to be a real credential; replacing it would mangle text.
            return text.to_owned();
        }
        text.replace(&*self.0, "***")
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints_the_value() {
        let secret = Secret::new("s3cr3t-token-value");
        let wrapped = Some(vec![secret.clone()]);
        for shown in [
            format!("{secret}"),
            format!("{secret:?}"),
            format!("{secret:#?}"),
            format!("{wrapped:?}"),
        ] {
            assert!(!shown.contains("s3cr3t"), "leaked in {shown}");
        }
    }

    #[test]
    fn header_value_is_sensitive_and_prefixed() {
        let value = Secret::new("key").header_value("Bearer ").unwrap();
        assert!(value.is_sensitive());
        assert_eq!(value.to_str().unwrap(), "Bearer key");
        assert!(Secret::new("bad\nkey").header_value("").is_err());
    }

    #[test]
    fn redacts_echoed_values() {
        let secret = Secret::new("abcd1234");
        assert_eq!(
            secret.redact("invalid api_key=abcd1234 given"),
            "invalid api_key=*** given"
        );
    }

    #[test]
    fn deserializes_from_a_plain_string() {
        let secret: Secret = serde_json::from_str("\"  \"").unwrap();
        assert!(secret.is_blank());
        let secret: Secret = serde_json::from_str("\"x\"").unwrap();
        assert_eq!(secret.expose(), "x");
    }
}
