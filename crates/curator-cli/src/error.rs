//! How a command can fail, and the exit code each failure gives.

use std::fmt;
use std::process::ExitCode;

use curator_core::StateError;

use crate::config::ConfigError;

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

/// How a command that ran ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Done {
    /// Everything ran, or there was nothing to do (exit 0).
    Ok,
    /// It finished, but some steps failed or reported problems with some
    /// movies or collections (exit 3).
    StepsFailed,
}

impl Done {
    pub(crate) fn exit_code(self) -> ExitCode {
        match self {
            Self::Ok => ExitCode::SUCCESS,
            Self::StepsFailed => ExitCode::from(3),
        }
    }
}
