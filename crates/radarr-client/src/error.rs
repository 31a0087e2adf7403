//! The errors of every Radarr operation.

use arr_common::{ArrError, DescriptionSuffix, FailedChunk, FailedChunks, ValidationList};
use curator_http::{HttpError, TmdbId};

use crate::model::MovieId;

pub use arr_common::ValidationFailure;

/// What went wrong talking to Radarr.
///
/// Every variant names the operation (`"radarr.add_movie"`), never the URL.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client could not be set up: a bad base URL or a blank API key.
    #[error("radarr client configuration: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
    /// The caller asked for something that cannot be sent, such as a search
    /// for no movies at all.
    #[error("{op}: {message}")]
    InvalidArgument {
        /// The operation.
        op: &'static str,
        /// What is wrong.
        message: String,
    },
    /// Radarr answered 401: the API key is wrong or missing.
    #[error(
        "{op}: radarr rejected the api key (401); copy the key from Radarr's web UI: Settings > General > Security > API Key"
    )]
    Unauthorized {
        /// The operation.
        op: &'static str,
    },
    /// Radarr refused the request body (a 400 with a list of validation
    /// failures).
    #[error("{op}: radarr refused the request: {}", ValidationList(failures))]
    Validation {
        /// The operation.
        op: &'static str,
        /// Each failed rule, as Radarr sent it.
        failures: Vec<ValidationFailure>,
    },
    /// Radarr does not know this TMDb id (a lookup of a removed or made-up
    /// movie).
    #[error("{op}: radarr found no movie with tmdb id {tmdb_id}: {message}")]
    UnknownTmdbId {
        /// The operation.
        op: &'static str,
        /// The id that was looked up.
        tmdb_id: TmdbId,
        /// Radarr's explanation.
        message: String,
        /// The HTTP status Radarr answered with (404 or 500).
        status: u16,
    },
    /// Radarr answered with an error and said why (`{message, description}`).
    #[error("{op}: radarr answered {status}: {message}{}", DescriptionSuffix(description.as_deref()))]
    Api {
        /// The operation.
        op: &'static str,
        /// The HTTP status.
        status: u16,
        /// Radarr's message.
        message: String,
        /// Radarr's longer description, when it sent one.
        description: Option<String>,
    },
    /// Part of a bulk edit failed: the movies of [`Error::Edit::failed`]
    /// were not changed, every other one was.
    #[error(
        "{op}: {} of {total} movie(s) were not changed: {}",
        FailedChunk::count(failed),
        FailedChunks { op, failed }
    )]
    Edit {
        /// The operation.
        op: &'static str,
        /// How many distinct movies the edit was for.
        total: usize,
        /// Each request that failed, with the movies it carried.
        failed: Vec<FailedEdit>,
    },
    /// A transport failure, an unexpected status without a readable body, or
    /// an answer that could not be decoded.
    #[error(transparent)]
    Http(#[from] HttpError),
}

/// A `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One bulk editor request that failed, and the movies it was for (`ids`,
/// sorted, and `error`).
pub type FailedEdit = FailedChunk<MovieId, Error>;

/// The shared request plumbing's errors, named as this crate's.
impl From<ArrError> for Error {
    fn from(error: ArrError) -> Self {
        match error {
            ArrError::Config { message } => Self::Config { message },
            ArrError::InvalidArgument { op, message } => Self::InvalidArgument { op, message },
            ArrError::Unauthorized { op } => Self::Unauthorized { op },
            ArrError::Validation { op, failures } => Self::Validation { op, failures },
            ArrError::Api {
                op,
                status,
                message,
                description,
            } => Self::Api {
                op,
                status,
                message,
                description,
            },
            ArrError::Http(error) => Self::Http(error),
        }
    }
}

impl Error {
    /// The operation that failed, when there was one.
    pub fn op(&self) -> Option<&'static str> {
        match self {
            Self::Config { .. } => None,
            Self::InvalidArgument { op, .. }
            | Self::Unauthorized { op }
            | Self::Validation { op, .. }
            | Self::UnknownTmdbId { op, .. }
            | Self::Edit { op, .. }
            | Self::Api { op, .. } => Some(op),
            Self::Http(error) => Some(error.op()),
        }
    }

    /// The HTTP status Radarr answered with, when it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Config { .. } | Self::InvalidArgument { .. } => None,
            Self::Unauthorized { .. } => Some(401),
            Self::Validation { .. } => Some(400),
            Self::UnknownTmdbId { status, .. } | Self::Api { status, .. } => Some(*status),
            Self::Edit { failed, .. } => failed.first().and_then(|f| f.error.status()),
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

    /// True when the thing asked for does not exist: a 404, or a TMDb id
    /// Radarr does not know.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::UnknownTmdbId { .. }) || self.status() == Some(404)
    }

    /// True when the request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Http(error) if error.is_timeout())
    }

    /// True for a wrong or missing API key.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, Self::Unauthorized { .. })
    }

    /// The movies a failed bulk edit did not change (every id of
    /// [`Error::Edit`]; empty for other errors).
    pub fn unchanged_ids(&self) -> Vec<MovieId> {
        match self {
            Self::Edit { failed, .. } => failed.iter().flat_map(|f| f.ids.clone()).collect(),
            _ => Vec::new(),
        }
    }

    /// The validation failures of a [`Error::Validation`], or an empty slice.
    pub fn validation_failures(&self) -> &[ValidationFailure] {
        match self {
            Self::Validation { failures, .. } => failures,
            _ => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_message_lists_every_failure() {
        let err = Error::Validation {
            op: "radarr.add_movie",
            failures: vec![
                ValidationFailure::new("RootFolderPath", "Root folder '/nope' does not exist"),
                ValidationFailure::new("QualityProfileId", "Quality profile does not exist"),
            ],
        };
        assert_eq!(
            err.to_string(),
            "radarr.add_movie: radarr refused the request: \
             RootFolderPath: Root folder '/nope' does not exist; \
             QualityProfileId: Quality profile does not exist"
        );
        assert_eq!(err.status(), Some(400));
        assert!(!err.is_retryable());
    }

    #[test]
    fn api_message_shows_the_description_when_present() {
        let err = Error::Api {
            op: "radarr.movie",
            status: 404,
            message: "Movie with ID 7 does not exist".into(),
            description: Some(" ".into()),
        };
        assert_eq!(
            err.to_string(),
            "radarr.movie: radarr answered 404: Movie with ID 7 does not exist"
        );
        assert!(err.is_not_found());
        let err = Error::Api {
            op: "radarr.movies",
            status: 500,
            message: "database is locked".into(),
            description: Some("SQLiteException".into()),
        };
        assert_eq!(
            err.to_string(),
            "radarr.movies: radarr answered 500: database is locked (SQLiteException)"
        );
    }
}
