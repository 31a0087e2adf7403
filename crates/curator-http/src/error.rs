//! Error pieces every client shares.

use std::fmt;
use std::sync::Arc;

/// The most of a response body an error keeps: enough to read what went
/// wrong, not so much that an HTML error page floods a log.
pub const MAX_ERROR_BODY: usize = 4 * 1024;

/// What kind of transport failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// The connection could not be made.
    Connect,
    /// The request or the answer took longer than the timeout.
    Timeout,
    /// Anything else: a reset connection, a broken body.
    Other,
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Connect => "could not connect to the server",
            Self::Timeout => "timed out waiting for the server",
            Self::Other => "the connection failed",
        })
    }
}

/// An HTTP-level failure of one operation.
///
/// Every variant names the operation (`"plex.add_items"`) instead of the URL,
/// because URLs can carry secrets.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HttpError {
    /// The request could not be built: a bad base URL or header value.
    #[error("{op}: invalid request: {message}")]
    Build {
        /// The operation.
        op: &'static str,
        /// What was wrong.
        message: String,
    },
    /// The server could not be reached or the exchange broke off.
    #[error("{op}: {kind}")]
    Transport {
        /// The operation.
        op: &'static str,
        /// Connect, timeout or other.
        kind: TransportKind,
        /// The underlying error, with the URL removed.
        #[source]
        source: reqwest::Error,
    },
    /// The server answered with a status the client does not handle itself.
    #[error("{op}: server answered {status}{}", snippet(body))]
    Status {
        /// The operation.
        op: &'static str,
        /// The HTTP status code.
        status: u16,
        /// The response body, truncated to [`MAX_ERROR_BODY`] bytes.
        body: String,
    },
    /// The answer was not the JSON the client expected.
    #[error("{op}: could not read the server's answer: {source}")]
    Decode {
        /// The operation.
        op: &'static str,
        /// The response body, truncated to [`MAX_ERROR_BODY`] bytes.
        body: String,
        /// What serde could not match.
        #[source]
        source: serde_json::Error,
    },
    /// Nothing was sent: the service failed earlier in this run in a way
    /// that does not change within a run (see [`crate::Breaker`]).
    #[error("{first} (earlier in this run; not sent again)")]
    Down {
        /// The operation.
        op: &'static str,
        /// The error that marked the service down, in words.
        first: Arc<str>,
    },
}

impl HttpError {
    /// The operation that failed.
    pub fn op(&self) -> &'static str {
        match self {
            Self::Build { op, .. }
            | Self::Transport { op, .. }
            | Self::Status { op, .. }
            | Self::Decode { op, .. }
            | Self::Down { op, .. } => op,
        }
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The (truncated) body of the answer, when there was one.
    pub fn body(&self) -> Option<&str> {
        match self {
            Self::Status { body, .. } | Self::Decode { body, .. } => Some(body),
            _ => None,
        }
    }

    /// True when trying again later may succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Transport { .. } => true,
            Self::Status { status, .. } => matches!(status, 429 | 502..=504),
            Self::Build { .. } | Self::Decode { .. } | Self::Down { .. } => false,
        }
    }

    /// True for a 404.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// True when nothing was sent because the service is down for the run.
    pub fn is_down(&self) -> bool {
        matches!(self, Self::Down { .. })
    }

    /// True when the request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(
            self,
            Self::Transport {
                kind: TransportKind::Timeout,
                ..
            }
        )
    }
}

/// Turns a body into text of at most [`MAX_ERROR_BODY`] bytes, cut on a
/// character boundary, with a marker when something was cut.
pub fn truncate_body(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    if text.len() <= MAX_ERROR_BODY {
        return text.into_owned();
    }
    let mut end = MAX_ERROR_BODY;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}... ({} bytes in all)", &text[..end], body.len())
}

/// The first line of a body, short, for one-line error messages.
fn snippet(body: &str) -> String {
    let line = body.lines().map(str::trim).find(|l| !l.is_empty());
    match line {
        None => String::new(),
        Some(line) if line.chars().count() > 200 => {
            format!(": {}...", line.chars().take(200).collect::<String>())
        }
        Some(line) => format!(": {line}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates_long_bodies_on_a_char_boundary() {
        let body = "é".repeat(MAX_ERROR_BODY);
        let text = truncate_body(body.as_bytes());
        assert!(text.len() < MAX_ERROR_BODY + 40);
        assert!(text.ends_with(&format!("({} bytes in all)", body.len())));
        assert_eq!(truncate_body(b"short"), "short");
    }

    #[test]
    fn status_error_names_the_operation_and_first_line() {
        let err = HttpError::Status {
            op: "plex.add_items",
            status: 400,
            body: "\n<html>Bad Request</html>\nmore".into(),
        };
        assert_eq!(
            err.to_string(),
            "plex.add_items: server answered 400: <html>Bad Request</html>"
        );
        assert_eq!(err.op(), "plex.add_items");
        assert!(!err.is_retryable());
        let err = HttpError::Status {
            op: "x",
            status: 503,
            body: String::new(),
        };
        assert_eq!(err.to_string(), "x: server answered 503");
        assert!(err.is_retryable());
    }
}
