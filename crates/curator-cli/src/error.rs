//! How a command can fail, and the exit code each failure gives.

use std::fmt;
use std::process::ExitCode;

pub(crate) use curator_app::Done;
use curator_app::{ConfigError, Error};
use curator_core::StateError;

/// A failure that stops a command.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The config is missing or bad (exit 1).
    Config(ConfigError),
    /// The data directory: a damaged state file or a lock held too long (exit 1).
    State(StateError),
    /// The command line makes no sense (exit 2).
    Usage(String),
    /// Anything else that stops the command (exit 1).
    Fatal(String),
}

impl Failure {
    pub(crate) fn exit_code(&self) -> ExitCode {
        match self {
            Self::Usage(_) => ExitCode::from(2),
            Self::Config(_) | Self::State(_) | Self::Fatal(_) => ExitCode::from(1),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Config(e) => write!(f, "{e}"),
            Self::State(e) => write!(f, "{e}"),
            Self::Usage(e) => write!(f, "{e}\n\nFor more information, try '--help'."),
            Self::Fatal(e) => f.write_str(e),
        }
    }
}

impl From<ConfigError> for Failure {
    fn from(e: ConfigError) -> Self {
        Self::Config(e)
    }
}

impl From<StateError> for Failure {
    fn from(e: StateError) -> Self {
        Self::State(e)
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        match e {
            Error::Config(e) => Self::Config(e),
            Error::State(e) => Self::State(e),
            Error::Usage(e) => Self::Usage(e),
            other => Self::Fatal(other.to_string()),
        }
    }
}

/// The exit code of a command that ran.
pub(crate) trait ExitCodeOf {
    /// 0 when everything ran, 3 when it finished but some steps failed or
    /// reported problems with some movies or collections.
    fn exit_code(self) -> ExitCode;
}

impl ExitCodeOf for Done {
    fn exit_code(self) -> ExitCode {
        match self {
            Self::Ok => ExitCode::SUCCESS,
            Self::StepsFailed => ExitCode::from(3),
        }
    }
}
