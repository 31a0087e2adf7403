//! The crate's error type.

use std::path::PathBuf;

use curator_http::HttpError;

/// Where to get a TMDb API key or read access token.
pub const API_SETTINGS_URL: &str = "https://www.themoviedb.org/settings/api";

/// What can go wrong talking to TMDb.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Transport failure, an unexpected status, or an answer that could not
    /// be read.
    #[error(transparent)]
    Http(#[from] HttpError),
    /// TMDb refused the credential (HTTP 401, TMDb code 7).
    #[error(
        "{op}: TMDb rejected the API key or read access token ({message}); \
         check it, or get one at {API_SETTINGS_URL} (themoviedb.org Settings > API)"
    )]
    Unauthorized {
        /// The operation.
        op: &'static str,
        /// TMDb's `status_message`.
        message: String,
    },
    /// The movie or resource does not exist (HTTP 404, TMDb code 34).
    #[error("{op}: not found on TMDb")]
    NotFound {
        /// The operation.
        op: &'static str,
    },
    /// TMDb answered with an error body (`{status_code, status_message}`)
    /// this crate has no special variant for, such as an invalid page (code
    /// 22) or a rate limit (code 25) that outlasted the retries.
    #[error("{op}: TMDb answered {status} (code {code}): {message}")]
    Api {
        /// The operation.
        op: &'static str,
        /// The HTTP status.
        status: u16,
        /// TMDb's `status_code` (0 when missing).
        code: i64,
        /// TMDb's `status_message`.
        message: String,
    },
    /// The client was configured wrongly: no credential, a credential of
    /// neither known form, or a bad base URL.
    #[error("tmdb: invalid configuration: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
    /// The cache file could not be written.
    #[error("tmdb: could not write the cache file {}", path.display())]
    CacheWrite {
        /// The cache file.
        path: PathBuf,
        /// The I/O failure.
        #[source]
        source: std::io::Error,
    },
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The operation that failed, when the error comes from a request.
    pub fn op(&self) -> Option<&'static str> {
        match self {
            Self::Http(e) => Some(e.op()),
            Self::Unauthorized { op, .. } | Self::NotFound { op } | Self::Api { op, .. } => {
                Some(op)
            }
            Self::Config { .. } | Self::CacheWrite { .. } => None,
        }
    }

    /// The HTTP status, when TMDb answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Http(e) => e.status(),
            Self::Unauthorized { .. } => Some(401),
            Self::NotFound { .. } => Some(404),
            Self::Api { status, .. } => Some(*status),
            Self::Config { .. } | Self::CacheWrite { .. } => None,
        }
    }

    /// True when trying again later may succeed (transport failures, 429,
    /// 502-504).
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Http(e) => e.is_retryable(),
            Self::Api { status, .. } => matches!(status, 429 | 502..=504),
            _ => false,
        }
    }

    /// True for a 404.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::NotFound { .. }) || matches!(self, Self::Http(e) if e.is_not_found())
    }

    /// True when the credential was refused.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, Self::Unauthorized { .. })
    }
}
