//! How a job or a command's preparation can fail.

use std::fmt;

use curator_core::StateError;

use crate::config::ConfigError;

/// A failure that stops a job before or while it runs. A step that fails
/// is not one: it is in the run's report.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The config is missing or bad.
    Config(ConfigError),
    /// The data directory: a damaged state file or a lock held too long.
    State(StateError),
    /// What was asked makes no sense (a malformed year, an address that is
    /// not one); the caller's usage error.
    Usage(String),
    /// Anything else that stops the job.
    Fatal(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Config(e) => write!(f, "{e}"),
            Self::State(e) => write!(f, "{e}"),
            Self::Usage(e) | Self::Fatal(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Config(e) => Some(e),
            Self::State(e) => Some(e),
            Self::Usage(_) | Self::Fatal(_) => None,
        }
    }
}

impl From<ConfigError> for Error {
    fn from(e: ConfigError) -> Self {
        Self::Config(e)
    }
}

impl From<StateError> for Error {
    fn from(e: StateError) -> Self {
        Self::State(e)
    }
}
