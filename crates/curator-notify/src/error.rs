//! How sending a notification can fail.

use curator_http::HttpError;

/// A notification that could not be sent. It names the operation
/// (`discord.send`, `email.send`), never a URL or a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The HTTP request failed or was refused.
    #[error(transparent)]
    Http(#[from] HttpError),
    /// The SMTP server could not be reached or refused the message.
    #[error("{op}: {source}")]
    Smtp {
        /// The operation.
        op: &'static str,
        /// What lettre reported.
        #[source]
        source: lettre::transport::smtp::Error,
    },
    /// An e-mail address that is not one.
    #[error("{op}: {address:?} is not an e-mail address")]
    Address {
        /// The operation.
        op: &'static str,
        /// The address as written.
        address: String,
    },
    /// The message or the client could not be built.
    #[error("{op}: {message}")]
    Build {
        /// The operation.
        op: &'static str,
        /// What went wrong.
        message: String,
    },
}
