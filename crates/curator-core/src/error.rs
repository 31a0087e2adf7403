//! curator-core's errors.

use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A problem with the data directory. Any of these stops a run before it
/// changes anything.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StateError {
    /// A file could not be read or written.
    #[error("cannot access {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: io::Error,
    },
    /// A file is not what curator wrote.
    #[error(
        "{} is damaged: {reason}; nothing was changed. Repair the file, or move it away to start that state afresh",
        path.display()
    )]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A newer curator wrote the file.
    #[error(
        "{} was written by a newer curator (schema version {found}; this one reads up to {supported}): upgrade curator",
        path.display()
    )]
    TooNew {
        /// The file.
        path: PathBuf,
        /// The version found.
        found: u64,
        /// The newest version this build reads.
        supported: u32,
    },
    /// Another run kept the data directory locked too long.
    #[error(
        "another curator run is still using {} after waiting {}s; try again when it has finished",
        path.display(),
        waited.as_secs()
    )]
    LockTimeout {
        /// The lock file.
        path: PathBuf,
        /// How long this run waited.
        waited: Duration,
    },
}

impl StateError {
    pub(crate) fn io(path: &Path, source: io::Error) -> Self {
        Self::Io {
            path: path.to_owned(),
            source,
        }
    }
}
