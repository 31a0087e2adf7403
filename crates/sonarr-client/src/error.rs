//! The errors of every Sonarr operation.

use arr_common::{ArrError, DescriptionSuffix, FailedChunk, FailedChunks, ValidationList};
use curator_http::HttpError;

use crate::model::{EpisodeId, SeriesId};

pub use arr_common::ValidationFailure;

/// One `series/editor` request that failed, and the series it was for
/// (`ids`, sorted, and `error`).
pub type FailedEdit = FailedChunk<SeriesId, Error>;

/// One `episode/monitor` request that failed, and the episodes it was for.
pub type FailedMonitor = FailedChunk<EpisodeId, Error>;

/// What went wrong talking to Sonarr.
///
/// Every variant names the operation (`"sonarr.add_series"`), never the URL.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client could not be set up: a bad base URL or a blank API key.
    #[error("sonarr client configuration: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
    /// The caller asked for something that cannot be sent, such as a search
    /// for no episodes at all.
    #[error("{op}: {message}")]
    InvalidArgument {
        /// The operation.
        op: &'static str,
        /// What is wrong.
        message: String,
    },
    /// Sonarr answered 401: the API key is wrong or missing.
    #[error(
        "{op}: sonarr rejected the api key (401); copy the key from Sonarr's web UI: Settings > General > Security > API Key"
    )]
    Unauthorized {
        /// The operation.
        op: &'static str,
    },
    /// Sonarr refused the request body (a 400 with a list of validation
    /// failures).
    #[error("{op}: sonarr refused the request: {}", ValidationList(failures))]
    Validation {
        /// The operation.
        op: &'static str,
        /// Each failed rule, as Sonarr sent it.
        failures: Vec<ValidationFailure>,
    },
    /// Sonarr answered with an error and said why (`{message, description}`).
    #[error("{op}: sonarr answered {status}: {message}{}", DescriptionSuffix(description.as_deref()))]
    Api {
        /// The operation.
        op: &'static str,
        /// The HTTP status.
        status: u16,
        /// Sonarr's message.
        message: String,
        /// The first line of Sonarr's description, when it adds something.
        description: Option<String>,
    },
    /// Part of a bulk series edit failed: the series of
    /// [`Error::EditSeries::failed`] were not changed, every other one was.
    #[error(
        "{op}: {} of {total} series were not changed: {}",
        FailedChunk::count(failed),
        FailedChunks { op, failed }
    )]
    EditSeries {
        /// The operation.
        op: &'static str,
        /// How many distinct series the edit was for.
        total: usize,
        /// Each request that failed, with the series it carried.
        failed: Vec<FailedEdit>,
    },
    /// Part of a bulk episode monitoring change failed. Sonarr sets the flag
    /// on the known episodes of a request before it fails on an unknown one
    /// (`EpisodeRepository.SetMonitored`, then `GetEpisodes`), so the
    /// episodes of [`Error::MonitorEpisodes::failed`] may be partly changed;
    /// read them again to know.
    #[error(
        "{op}: {} of {total} episode(s) may not have changed: {}",
        FailedChunk::count(failed),
        FailedChunks { op, failed }
    )]
    MonitorEpisodes {
        /// The operation.
        op: &'static str,
        /// How many distinct episodes the change was for.
        total: usize,
        /// Each request that failed, with the episodes it carried.
        failed: Vec<FailedMonitor>,
    },
    /// A transport failure, an unexpected status without a readable body, or
    /// an answer that could not be decoded.
    #[error(transparent)]
    Http(#[from] HttpError),
}

/// A `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

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
            | Self::EditSeries { op, .. }
            | Self::MonitorEpisodes { op, .. }
            | Self::Api { op, .. } => Some(op),
            Self::Http(error) => Some(error.op()),
        }
    }

    /// The HTTP status Sonarr answered with, when it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Config { .. } | Self::InvalidArgument { .. } => None,
            Self::Unauthorized { .. } => Some(401),
            Self::Validation { .. } => Some(400),
            Self::Api { status, .. } => Some(*status),
            Self::EditSeries { failed, .. } => failed.first().and_then(|f| f.error.status()),
            Self::MonitorEpisodes { failed, .. } => failed.first().and_then(|f| f.error.status()),
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

    /// True for a wrong or missing API key.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, Self::Unauthorized { .. })
    }

    /// The series a failed bulk edit did not change (every id of
    /// [`Error::EditSeries`]; empty for other errors).
    pub fn unchanged_series(&self) -> Vec<SeriesId> {
        match self {
            Self::EditSeries { failed, .. } => failed.iter().flat_map(|f| f.ids.clone()).collect(),
            _ => Vec::new(),
        }
    }

    /// The episodes of the failed requests of a bulk monitoring change
    /// (every id of [`Error::MonitorEpisodes`]; empty for other errors).
    pub fn unsure_episodes(&self) -> Vec<EpisodeId> {
        match self {
            Self::MonitorEpisodes { failed, .. } => {
                failed.iter().flat_map(|f| f.ids.clone()).collect()
            }
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
            op: "sonarr.add_series",
            failures: vec![
                ValidationFailure::new("RootFolderPath", "Root folder '/nope' does not exist"),
                ValidationFailure::new("QualityProfileId", "Quality Profile does not exist"),
            ],
        };
        assert_eq!(
            err.to_string(),
            "sonarr.add_series: sonarr refused the request: \
             RootFolderPath: Root folder '/nope' does not exist; \
             QualityProfileId: Quality Profile does not exist"
        );
        assert_eq!(err.status(), Some(400));
        assert!(!err.is_retryable());
    }
}
