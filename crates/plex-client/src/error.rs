//! The one error type of this crate.

use curator_http::HttpError;

/// What can go wrong talking to Plex.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request failed at the HTTP level: no answer, an unexpected
    /// status, or an answer that could not be read.
    #[error(transparent)]
    Http(#[from] HttpError),
    /// Plex answered 401.
    #[error(
        "{op}: the Plex token was rejected (401); check the token (PLEX_TOKEN) and that it belongs to an account with access to this server"
    )]
    Unauthorized {
        /// The operation.
        op: &'static str,
    },
    /// Plex refused a delete: 400 when the server does not allow media
    /// deletion (or cannot delete it), 401 or 403 when the token may not
    /// delete (not the server owner's).
    #[error(
        "{op}: Plex refused to delete {what} ({status}: {reason}); check that \"Allow media deletion\" is on in Plex Settings > Library and that the token is the server owner's"
    )]
    DeletionRefused {
        /// The operation.
        op: &'static str,
        /// What was to be deleted, such as `media version 9 of item 5`.
        what: String,
        /// The status Plex answered with.
        status: u16,
        /// The text of the server's answer (tags stripped, shortened).
        reason: String,
        /// The answer.
        #[source]
        source: HttpError,
    },
    /// Plex refused to manage the Home and Recommended rows (401 or 403 on
    /// `/hubs/sections/{section}/manage`): the server owner needs a Plex
    /// Pass for it (Kometa's `visible_library`/`visible_home` docs). Which
    /// of the two statuses a server without one sends is unconfirmed, so
    /// both mean this here.
    #[error(
        "{op}: Plex refused to manage Home and Recommended rows ({status}); this needs a Plex Pass on the server owner's account"
    )]
    PlexPassRequired {
        /// The operation.
        op: &'static str,
        /// The status Plex answered with (401 or 403).
        status: u16,
    },
    /// The thing an operation names does not exist (404).
    #[error("{op}: {what} not found")]
    NotFound {
        /// The operation.
        op: &'static str,
        /// What was missing, such as `collection 300`.
        what: String,
        /// The 404 answer.
        #[source]
        source: HttpError,
    },
    /// The client was configured wrongly (bad base URL, token with a line
    /// break, missing setting).
    #[error("invalid Plex client configuration: {0}")]
    Config(String),
    /// Plex answered successfully but without what the operation needs
    /// (a create that returned no collection).
    #[error("{op}: unexpected answer from Plex: {message}")]
    UnexpectedResponse {
        /// The operation.
        op: &'static str,
        /// What was missing or wrong.
        message: String,
    },
    /// The caller asked for something the operation does not take (a
    /// thumbnail path that is not a path on this server).
    #[error("{op}: {message}")]
    InvalidInput {
        /// The operation.
        op: &'static str,
        /// What is wrong with the input.
        message: String,
    },
    /// The [`PlexApi`](crate::PlexApi) implementation does not offer this
    /// operation (a trait method it did not implement).
    #[error("{op}: not supported by this Plex implementation")]
    Unsupported {
        /// The operation.
        op: &'static str,
    },
}

/// This crate's result.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The operation that failed, when there was one.
    pub fn op(&self) -> Option<&'static str> {
        match self {
            Self::Http(e) => Some(e.op()),
            Self::Unauthorized { op }
            | Self::PlexPassRequired { op, .. }
            | Self::DeletionRefused { op, .. }
            | Self::NotFound { op, .. }
            | Self::UnexpectedResponse { op, .. }
            | Self::InvalidInput { op, .. }
            | Self::Unsupported { op } => Some(op),
            Self::Config(_) => None,
        }
    }

    /// The HTTP status Plex answered with, when it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Http(e) => e.status(),
            Self::Unauthorized { .. } => Some(401),
            Self::PlexPassRequired { status, .. } => Some(*status),
            Self::DeletionRefused { source, .. } | Self::NotFound { source, .. } => source.status(),
            Self::Config(_)
            | Self::UnexpectedResponse { .. }
            | Self::InvalidInput { .. }
            | Self::Unsupported { .. } => None,
        }
    }

    /// True when trying again later may succeed (transport errors, 429,
    /// 502-504).
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Http(e) => e.is_retryable(),
            _ => false,
        }
    }

    /// True when the thing named does not exist.
    pub fn is_not_found(&self) -> bool {
        match self {
            Self::NotFound { .. } => true,
            Self::Http(e) => e.is_not_found(),
            _ => false,
        }
    }

    /// True when Plex refused hub management for want of a Plex Pass.
    pub fn needs_plex_pass(&self) -> bool {
        matches!(self, Self::PlexPassRequired { .. })
    }

    /// True when the request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Http(e) if e.is_timeout())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(op: &'static str, status: u16) -> HttpError {
        HttpError::Status {
            op,
            status,
            body: String::new(),
        }
    }

    #[test]
    fn messages_guide_the_user() {
        let err = Error::DeletionRefused {
            op: "plex.delete_media",
            what: "media version 9 of item 5".into(),
            status: 400,
            reason: "Bad Request".into(),
            source: status("plex.delete_media", 400),
        };
        let text = err.to_string();
        assert!(text.contains("Allow media deletion"), "{text}");
        assert!(
            text.contains("media version 9 of item 5 (400: Bad Request)"),
            "{text}"
        );
        assert!(text.contains("Settings > Library"), "{text}");
        assert_eq!(err.status(), Some(400));
        assert!(!err.is_retryable());

        let err = Error::Unauthorized {
            op: "plex.sections",
        };
        assert!(
            err.to_string()
                .starts_with("plex.sections: the Plex token was rejected")
        );
        assert_eq!(err.status(), Some(401));
    }

    #[test]
    fn helpers_see_through_http_errors() {
        let err = Error::from(status("plex.move_item", 503));
        assert!(err.is_retryable());
        assert_eq!(err.op(), Some("plex.move_item"));
        let err = Error::NotFound {
            op: "plex.move_item",
            what: "collection 3".into(),
            source: status("plex.move_item", 404),
        };
        assert!(err.is_not_found());
        assert_eq!(err.status(), Some(404));
    }
}
