//! The request executor: timeouts, retries, counting and logging.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;

use crate::breaker::Breaker;
use crate::error::{HttpError, TransportKind, truncate_body};
use crate::retry::{Failure, RetryDecision, RetryPolicy, parse_retry_after};
use crate::stats::RequestStats;

/// Whether a request may be sent again after a failure whose effect is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Safety {
    /// Reads, and writes that give the same result when repeated
    /// (PUT of a whole resource, DELETE).
    Idempotent,
    /// Writes that must not happen twice (POST that creates something).
    /// Retried only when the server surely did not act: a failed connection
    /// or a 429 refusal.
    NotIdempotent,
    /// A read that is costly for the server (a whole library at once):
    /// retried like [`Safety::Idempotent`], except after a timeout, since
    /// the server may still be working on the first attempt and each retry
    /// adds the same load.
    ExpensiveRead,
}

/// Timeouts, retry policy and identity for an [`HttpClient`].
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// How long to wait for a TCP/TLS connection.
    pub connect_timeout: Duration,
    /// How long one attempt may take, answer included.
    pub request_timeout: Duration,
    /// When to retry.
    pub retry: RetryPolicy,
    /// The `User-Agent` header.
    pub user_agent: String,
    /// Counters to record every attempt in, if any.
    pub stats: Option<RequestStats>,
    /// Marks the service down for the rest of the run after a failure that
    /// will not change within it, if any (off by default: a library client
    /// should not give up on its own).
    pub breaker: Option<Breaker>,
    /// Waited on before every attempt, retries included (a client-side
    /// rate limit), if any.
    pub pacer: Option<Arc<dyn Pacer>>,
}

/// Something to wait on before each attempt: a client-side rate limit that
/// retries must respect as well as first attempts.
pub trait Pacer: Send + Sync + std::fmt::Debug {
    /// Waits for the next attempt's turn.
    fn wait(&self) -> Pin<Box<dyn Future<Output = ()> + Send + '_>>;
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            user_agent: concat!("curator/", env!("CARGO_PKG_VERSION")).to_owned(),
            stats: None,
            breaker: None,
            pacer: None,
        }
    }
}

/// A server's answer, read in full.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Vec<u8>,
}

impl RawResponse {
    /// True for a 2xx status.
    pub fn is_success(&self) -> bool {
        self.status.is_success()
    }

    /// Decodes the body as JSON.
    ///
    /// # Errors
    /// [`HttpError::Decode`] with the (truncated) body when it does not match `T`.
    pub fn json<T: DeserializeOwned>(&self, op: &'static str) -> Result<T, HttpError> {
        serde_json::from_slice(&self.body).map_err(|source| HttpError::Decode {
            op,
            body: truncate_body(&self.body),
            source,
        })
    }

    /// The body as text, invalid UTF-8 replaced.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Turns a non-2xx answer into [`HttpError::Status`]; passes 2xx through.
    ///
    /// # Errors
    /// [`HttpError::Status`] for any status outside 200-299.
    pub fn success(self, op: &'static str) -> Result<Self, HttpError> {
        if self.is_success() {
            Ok(self)
        } else {
            Err(self.into_error(op))
        }
    }

    /// This answer as an [`HttpError::Status`], whatever its status.
    pub fn into_error(self, op: &'static str) -> HttpError {
        HttpError::Status {
            op,
            status: self.status.as_u16(),
            body: truncate_body(&self.body),
        }
    }
}

/// Sends requests with timeouts, retries, request counting and logs.
///
/// It wraps a [`reqwest::Client`]; clone it freely (clones share the
/// connection pool and the counters).
#[derive(Debug, Clone)]
pub struct HttpClient {
    client: reqwest::Client,
    retry: RetryPolicy,
    stats: Option<RequestStats>,
    breaker: Option<Breaker>,
    pacer: Option<Arc<dyn Pacer>>,
}

impl HttpClient {
    /// Builds a client that sends `default_headers` with every request.
    /// Mark secret header values sensitive (see [`crate::Secret::header_value`]).
    ///
    /// # Errors
    /// [`HttpError::Build`] when the TLS backend cannot start.
    pub fn new(config: HttpConfig, default_headers: HeaderMap) -> Result<Self, HttpError> {
        let client = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .user_agent(config.user_agent)
            .default_headers(default_headers)
            .build()
            .map_err(|e| HttpError::Build {
                op: "http.client",
                message: e.without_url().to_string(),
            })?;
        Ok(Self {
            client,
            retry: config.retry,
            stats: config.stats,
            breaker: config.breaker,
            pacer: config.pacer,
        })
    }

    /// The request counters, if this client was given some.
    pub fn stats(&self) -> Option<&RequestStats> {
        self.stats.as_ref()
    }

    /// The breaker, if this client was given one.
    pub fn breaker(&self) -> Option<&Breaker> {
        self.breaker.as_ref()
    }

    /// Sends the request `build` makes, retrying as the policy says.
    ///
    /// `build` is called once per attempt. The answer is returned whatever
    /// its status, once no retry is left to make: callers map statuses to
    /// their own errors (a 401, a validation 400) and call
    /// [`RawResponse::success`] for the rest.
    ///
    /// # Errors
    /// [`HttpError::Transport`] when no attempt got an answer.
    pub async fn send<F>(
        &self,
        op: &'static str,
        safety: Safety,
        build: F,
    ) -> Result<RawResponse, HttpError>
    where
        F: Fn(&reqwest::Client) -> RequestBuilder + Send + Sync,
    {
        self.send_unless(op, safety, build, |_| false).await
    }

    /// Like [`HttpClient::send`], but an answer with a retryable status
    /// (429, 502-504) for which `is_final` says true is returned at once
    /// instead of retried: a 429 that means "no credit left", for example,
    /// does not get better by waiting.
    ///
    /// # Errors
    /// [`HttpError::Transport`] when no attempt got an answer.
    pub async fn send_unless<F, P>(
        &self,
        op: &'static str,
        safety: Safety,
        build: F,
        is_final: P,
    ) -> Result<RawResponse, HttpError>
    where
        F: Fn(&reqwest::Client) -> RequestBuilder + Send + Sync,
        P: Fn(&RawResponse) -> bool + Send + Sync,
    {
        if let Some(first) = self.breaker.as_ref().and_then(Breaker::down) {
            tracing::debug!(op, "not sent: the service is down for this run");
            return Err(HttpError::Down { op, first });
        }
        let safe = matches!(safety, Safety::Idempotent | Safety::ExpensiveRead);
        let mut retries_done = 0;
        loop {
            if let Some(pacer) = &self.pacer {
                pacer.wait().await;
            }
            if let Some(stats) = &self.stats {
                stats.record(op);
            }
            tracing::debug!(op, attempt = retries_done + 1, "sending request");
            let sent_at = std::time::Instant::now();
            let (failure, outcome) = match self.attempt(op, build(&self.client)).await {
                Ok(response) => {
                    let status = response.status.as_u16();
                    if !matches!(status, 429 | 502..=504) || is_final(&response) {
                        self.answered(op, safety, &response, false);
                        return Ok(response);
                    }
                    let retry_after = response
                        .headers
                        .get(RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| parse_retry_after(v, SystemTime::now()));
                    (
                        Failure::Status {
                            status,
                            retry_after,
                        },
                        Ok(response),
                    )
                }
                Err((_, error @ HttpError::Build { .. })) => return Err(error),
                Err((failure, error)) => {
                    // Two timeouts in a row: waiting for a third is what
                    // made a dead service cost minutes per request.
                    let tripped = failure == Failure::Timeout
                        && self
                            .breaker
                            .as_ref()
                            .is_some_and(|b| b.timed_out(&error, sent_at.elapsed()));
                    if tripped {
                        return Err(error);
                    }
                    if failure == Failure::Timeout && safety == Safety::ExpensiveRead {
                        tracing::warn!(op, "request timed out; not retried, to spare the server");
                        return Err(error);
                    }
                    (failure, Err(error))
                }
            };
            match self
                .retry
                .decide(retries_done, safe, failure, rand::random::<f64>())
            {
                RetryDecision::Stop => {
                    match &outcome {
                        Ok(response) => {
                            let exhausted = retries_done >= self.retry.max_retries;
                            self.answered(op, safety, response, exhausted);
                        }
                        Err(error) => {
                            if let Some(breaker) = &self.breaker
                                && failure != Failure::Timeout
                            {
                                breaker.failed(error, failure == Failure::Connect);
                            }
                        }
                    }
                    return outcome;
                }
                RetryDecision::RetryAfter(wait) => {
                    tracing::warn!(
                        op,
                        attempt = retries_done + 1,
                        wait_ms = wait.as_millis() as u64,
                        failure = ?failure,
                        "request failed, retrying"
                    );
                    tokio::time::sleep(wait).await;
                    retries_done += 1;
                }
            }
        }
    }

    /// Tells the breaker, if any, how a request ended with an answer.
    /// `exhausted`: a retryable status that outlasted the retries.
    fn answered(&self, op: &'static str, safety: Safety, response: &RawResponse, exhausted: bool) {
        if let Some(breaker) = &self.breaker {
            let status = response.status.as_u16();
            // A 429 is the server pacing us, not failing.
            let exhausted = exhausted && status != 429;
            breaker.answered(op, status, exhausted, safety == Safety::NotIdempotent);
        }
    }

    async fn attempt(
        &self,
        op: &'static str,
        request: RequestBuilder,
    ) -> Result<RawResponse, (Failure, HttpError)> {
        let transport = |error: reqwest::Error| {
            let (failure, kind) = if error.is_timeout() {
                (Failure::Timeout, TransportKind::Timeout)
            } else if error.is_connect() {
                (Failure::Connect, TransportKind::Connect)
            } else if error.is_builder() {
                return (
                    Failure::Transport,
                    HttpError::Build {
                        op,
                        message: error.without_url().to_string(),
                    },
                );
            } else {
                (Failure::Transport, TransportKind::Other)
            };
            let source = error.without_url();
            (failure, HttpError::Transport { op, kind, source })
        };
        let response = request.send().await.map_err(transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(transport)?.to_vec();
        tracing::debug!(op, status = status.as_u16(), bytes = body.len(), "answer");
        Ok(RawResponse {
            status,
            headers,
            body,
        })
    }
}
