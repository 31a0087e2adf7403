//! The errors of every Seerr operation.

use curator_http::HttpError;

/// What went wrong talking to Overseerr or Jellyseerr.
///
/// Every variant names the operation (`"seerr.request"`), never the URL.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client could not be set up: a bad base URL or a blank API key.
    #[error("seerr client configuration: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
    /// Seerr did not accept the API key. A key it does not know finds no
    /// user, and every route behind a login answers 403 `{status, error}`
    /// (`isAuthenticated`); a request without a key is refused with 401 by
    /// the API spec's validator.
    #[error(
        "{op}: seerr did not accept the api key ({status}); copy it from Seerr's web UI: Settings > General > API Key"
    )]
    Unauthorized {
        /// The operation.
        op: &'static str,
        /// 401 or 403.
        status: u16,
    },
    /// The key's user may not make this request: it lacks the permission
    /// for the kind (or for 4K), or (Jellyseerr) the title is blacklisted.
    /// A 403 with Seerr's `message`.
    #[error("{op}: seerr refused the request: {message}")]
    Forbidden {
        /// The operation.
        op: &'static str,
        /// Seerr's words ("You do not have permission to make movie requests.").
        message: String,
    },
    /// The key's user has used up its request quota for the kind (403,
    /// "Movie Quota exceeded." or "Series Quota exceeded.").
    #[error("{op}: seerr refused the request: {message}")]
    QuotaExceeded {
        /// The operation.
        op: &'static str,
        /// Seerr's words.
        message: String,
    },
    /// Seerr answered with an error and said why (`{message}`): a body the
    /// API spec refuses (400), a title TMDb does not know (500), ...
    #[error("{op}: seerr answered {status}: {message}")]
    Api {
        /// The operation.
        op: &'static str,
        /// The HTTP status.
        status: u16,
        /// Seerr's message.
        message: String,
    },
    /// A transport failure, an unexpected status without a readable body, or
    /// an answer that could not be decoded.
    #[error(transparent)]
    Http(#[from] HttpError),
}

/// A `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The operation that failed, when there was one.
    pub fn op(&self) -> Option<&'static str> {
        match self {
            Self::Config { .. } => None,
            Self::Unauthorized { op, .. }
            | Self::Forbidden { op, .. }
            | Self::QuotaExceeded { op, .. }
            | Self::Api { op, .. } => Some(op),
            Self::Http(error) => Some(error.op()),
        }
    }

    /// The HTTP status Seerr answered with, when it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Config { .. } => None,
            Self::Unauthorized { status, .. } | Self::Api { status, .. } => Some(*status),
            Self::Forbidden { .. } | Self::QuotaExceeded { .. } => Some(403),
            Self::Http(error) => error.status(),
        }
    }

    /// True when trying again later may succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Api { status, .. } => matches!(status, 429 | 502..=504),
            Self::Http(error) => error.is_retryable(),
            _ => false,
        }
    }

    /// True when the thing asked for does not exist (a 404).
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// True when the request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Http(error) if error.is_timeout())
    }

    /// True for a key Seerr does not accept.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, Self::Unauthorized { .. })
    }

    /// True when Seerr refused the request itself (permission, quota,
    /// blacklist): sending it again will not help until someone changes
    /// something in Seerr.
    pub fn is_refused(&self) -> bool {
        matches!(self, Self::Forbidden { .. } | Self::QuotaExceeded { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_operation_and_helpers_agree() {
        let err = Error::QuotaExceeded {
            op: "seerr.request",
            message: "Movie Quota exceeded.".into(),
        };
        assert_eq!(
            err.to_string(),
            "seerr.request: seerr refused the request: Movie Quota exceeded."
        );
        assert_eq!(err.status(), Some(403));
        assert!(err.is_refused());
        assert!(!err.is_retryable());
        let key = Error::Unauthorized {
            op: "seerr.me",
            status: 403,
        };
        assert!(key.to_string().contains("Settings > General > API Key"));
        assert!(key.is_unauthorized());
    }
}
