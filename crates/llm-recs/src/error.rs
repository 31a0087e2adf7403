//! The crate's error type.

use curator_http::HttpError;

/// A `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a suggestion request failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client was configured wrongly (a base URL that is not a URL, a
    /// key that cannot be sent in a header).
    #[error("invalid llm configuration: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
    /// The server rejected the API key (401 or 403).
    #[error("the llm server at {host} rejected the api key: check that it is set and valid")]
    Unauthorized {
        /// The server's host name.
        host: String,
        /// The server's answer.
        #[source]
        source: HttpError,
    },
    /// The account behind the key has no credit left (`insufficient_quota`).
    /// Waiting does not help, so this is never retried.
    #[error(
        "the llm account at {host} has no credit left (insufficient_quota): add credit or use another key"
    )]
    QuotaExhausted {
        /// The server's host name.
        host: String,
        /// The server's answer.
        #[source]
        source: HttpError,
    },
    /// The account reached a limit that lasts the day (Gemini's
    /// `RESOURCE_EXHAUSTED`, OpenRouter's per-day limit on free models).
    /// Waiting minutes does not help, so this is never retried.
    #[error(
        "the llm server at {host} says a usage limit is reached (a daily quota): try again tomorrow, or use another key or model"
    )]
    UsageLimit {
        /// The server's host name.
        host: String,
        /// The server's answer.
        #[source]
        source: HttpError,
    },
    /// The completion took longer than the timeout. It is not sent again:
    /// the server would start from scratch.
    #[error(
        "the llm server at {host} gave no answer within {seconds} s: a slow local model may need a longer timeouts.llm_seconds"
    )]
    Timeout {
        /// The server's host name.
        host: String,
        /// The timeout, in seconds.
        seconds: u64,
    },
    /// The server kept answering 429 after every retry.
    #[error("the llm server at {host} is rate limiting us, try again later")]
    RateLimited {
        /// The server's host name.
        host: String,
        /// The last answer.
        #[source]
        source: HttpError,
    },
    /// The server does not know the model (404).
    #[error("the llm server at {host} does not know the model {model:?}")]
    ModelNotFound {
        /// The model asked for.
        model: String,
        /// The server's host name.
        host: String,
        /// The server's answer.
        #[source]
        source: HttpError,
    },
    /// The server has no chat completions endpoint at the configured base
    /// URL (a 404 that is not a JSON error).
    #[error(
        "the llm server at {host} has no chat completions endpoint: check the base url (it usually ends in /v1)"
    )]
    EndpointNotFound {
        /// The server's host name.
        host: String,
        /// The server's answer.
        #[source]
        source: HttpError,
    },
    /// The server answered with another error status; `message` is the
    /// `error.message` of its JSON body when it had one.
    #[error("the llm server answered {status}: {message}")]
    Api {
        /// The HTTP status.
        status: u16,
        /// The server's explanation.
        message: String,
        /// The `error.code` (or `error.type`) of the body, when given.
        code: Option<String>,
        /// The server's answer.
        #[source]
        source: HttpError,
    },
    /// The model declined to answer (`message.refusal`).
    #[error("the model refused to answer: {message}")]
    Refused {
        /// The model's refusal text.
        message: String,
    },
    /// The model's answer was empty.
    #[error("the model gave an empty answer (finish_reason {})", finish_reason.as_deref().unwrap_or("none"))]
    EmptyAnswer {
        /// Why the model stopped, as the server said.
        finish_reason: Option<String>,
    },
    /// Nothing in the model's answer reads as a movie or series suggestion.
    #[error("no suggestions could be read from the model's answer{}", if *truncated { " (it was cut off at the token limit)" } else { "" })]
    Unparseable {
        /// The start of the answer, for diagnosis.
        answer: String,
        /// True when the model stopped at its token limit.
        truncated: bool,
    },
    /// Transport failures and answers that are not chat completions.
    #[error(transparent)]
    Http(#[from] HttpError),
}

impl Error {
    /// The HTTP status, when the server answered with an error.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Unauthorized { source, .. }
            | Self::QuotaExhausted { source, .. }
            | Self::UsageLimit { source, .. }
            | Self::RateLimited { source, .. }
            | Self::ModelNotFound { source, .. }
            | Self::EndpointNotFound { source, .. }
            | Self::Api { source, .. }
            | Self::Http(source) => source.status(),
            Self::Config { .. }
            | Self::Timeout { .. }
            | Self::Refused { .. }
            | Self::EmptyAnswer { .. }
            | Self::Unparseable { .. } => None,
        }
    }

    /// True when trying again later may succeed: transport failures, rate
    /// limits, busy servers, and models that answered nothing usable (they
    /// answer differently next time). Bad keys, missing credit, daily
    /// limits, timed-out completions, unknown models and configuration
    /// errors are not retryable.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::RateLimited { .. } | Self::EmptyAnswer { .. } | Self::Unparseable { .. } => true,
            Self::Api { status, .. } => matches!(status, 500..=504),
            Self::Http(source) => source.is_retryable(),
            Self::Config { .. }
            | Self::Unauthorized { .. }
            | Self::QuotaExhausted { .. }
            | Self::UsageLimit { .. }
            | Self::Timeout { .. }
            | Self::ModelNotFound { .. }
            | Self::EndpointNotFound { .. }
            | Self::Refused { .. } => false,
        }
    }

    /// True for a 404 (the model or the endpoint does not exist).
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// True when the key was rejected.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, Self::Unauthorized { .. })
    }

    /// True when the account has no credit left, or a daily limit is reached.
    pub fn is_quota_exhausted(&self) -> bool {
        matches!(self, Self::QuotaExhausted { .. } | Self::UsageLimit { .. })
    }

    /// True when the completion timed out.
    pub fn is_timeout(&self) -> bool {
        match self {
            Self::Timeout { .. } => true,
            Self::Http(source) => source.is_timeout(),
            _ => false,
        }
    }
}
