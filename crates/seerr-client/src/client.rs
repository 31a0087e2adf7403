//! The HTTP client and its builder.

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use curator_http::reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName};
use curator_http::reqwest::{Method, Url};
use curator_http::{
    HttpClient, HttpConfig, HttpError, RawResponse, RequestStats, RetryPolicy, Safety, Secret,
    truncate_body,
};
use serde::Deserialize;

use crate::api::SeerrApi;
use crate::error::{Error, Result};
use crate::model::{MediaRequest, NewRequest, RequestOutcome, Status, User};
use crate::op;

/// The header Overseerr and Jellyseerr read the API key from
/// (`server/middleware/auth.ts`, `checkUser`).
const API_KEY_HEADER: HeaderName = HeaderName::from_static("x-api-key");

/// A client for the API v1 of Overseerr and Jellyseerr.
///
/// Build one with [`SeerrClient::builder`]; clones share the connection
/// pool and the request counters. The API key travels only in the
/// `X-Api-Key` header, marked sensitive, and never shows in `Debug` output,
/// logs or errors.
///
/// ```no_run
/// use seerr_client::{SeerrApi, SeerrClient};
///
/// # async fn demo() -> seerr_client::Result<()> {
/// let seerr = SeerrClient::builder("http://127.0.0.1:5055", "0123456789abcdef").build()?;
/// println!("Seerr {}", seerr.status().await?.version);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct SeerrClient {
    http: HttpClient,
    base: Url,
    api_key: Secret,
}

impl fmt::Debug for SeerrClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SeerrClient")
            .field("base_url", &self.base.as_str())
            .field("api_key", &self.api_key)
            .finish_non_exhaustive()
    }
}

/// Settings for a [`SeerrClient`].
#[derive(Debug, Clone)]
pub struct SeerrClientBuilder {
    base_url: String,
    api_key: Secret,
    config: HttpConfig,
}

impl SeerrClientBuilder {
    /// Settings for the Seerr at `base_url` (such as
    /// `http://192.168.1.10:5055`, or `https://example.org/seerr` behind a
    /// proxy), with the default timeouts and retries.
    pub fn new(base_url: impl Into<String>, api_key: impl Into<Secret>) -> Self {
        Self {
            base_url: base_url.into(),
            api_key: api_key.into(),
            config: HttpConfig::default(),
        }
    }

    /// How long to wait for a connection (default 10 s).
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.connect_timeout = timeout;
        self
    }

    /// How long one attempt may take, answer included (default 30 s).
    #[must_use]
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.config.request_timeout = timeout;
        self
    }

    /// When to retry reads (default: [`RetryPolicy::default`]). A request
    /// is never retried once Seerr may have acted on it, whatever the
    /// policy.
    #[must_use]
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.config.retry = policy;
        self
    }

    /// Counts every attempt in `stats`, under the names in [`crate::op`].
    #[must_use]
    pub fn stats(mut self, stats: RequestStats) -> Self {
        self.config.stats = Some(stats);
        self
    }

    /// Marks Seerr down for the rest of the run after a failure that will
    /// not change within it, so later requests fail at once (see
    /// [`curator_http::Breaker`]; off by default). A 403 to a request does
    /// not: Seerr refuses one title for its user and accepts the next.
    #[must_use]
    pub fn breaker(mut self, breaker: curator_http::Breaker) -> Self {
        self.config.breaker = Some(breaker);
        self
    }

    /// The `User-Agent` header.
    #[must_use]
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.config.user_agent = user_agent.into();
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`Error::Config`] for a base URL that is not http(s), a blank API key
    /// or one a header cannot carry; [`Error::Http`] when the TLS backend
    /// cannot start.
    pub fn build(self) -> Result<SeerrClient> {
        let config = |message: String| Error::Config { message };
        let base = curator_http::base_url(&self.base_url).map_err(config)?;
        if self.api_key.is_blank() {
            return Err(config(
                "the api key is empty; copy it from Seerr's web UI: Settings > General > API Key"
                    .to_owned(),
            ));
        }
        let key = self.api_key.header_value("").map_err(|_| {
            config(
                "the api key holds characters a header cannot carry (a pasted line break?)"
                    .to_owned(),
            )
        })?;
        let mut headers = HeaderMap::new();
        headers.insert(API_KEY_HEADER, key);
        let http = HttpClient::new(self.config, headers)?;
        Ok(SeerrClient {
            http,
            base,
            api_key: self.api_key,
        })
    }
}

/// The error bodies Seerr sends: `{message, errors}` from its error
/// handler (`server/index.ts`), `{status, error}` from `isAuthenticated`.
#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

impl SeerrClient {
    /// Settings for the Seerr at `base_url`; see [`SeerrClientBuilder`].
    pub fn builder(base_url: impl Into<String>, api_key: impl Into<Secret>) -> SeerrClientBuilder {
        SeerrClientBuilder::new(base_url, api_key)
    }

    /// The base URL requests go to, with a trailing slash.
    pub fn base_url(&self) -> &str {
        self.base.as_str()
    }

    /// The request counters, if the builder was given some.
    pub fn stats(&self) -> Option<&RequestStats> {
        self.http.stats()
    }

    /// Sends one request and returns the answer, whatever its status.
    async fn send(
        &self,
        op: &'static str,
        safety: Safety,
        method: Method,
        path: &str,
        body: Option<Vec<u8>>,
    ) -> Result<RawResponse> {
        let url = self.base.join(path).map_err(|e| {
            Error::from(HttpError::Build {
                op,
                message: e.to_string(),
            })
        })?;
        let response = self
            .http
            .send(op, safety, |client| {
                let request = client.request(method.clone(), url.clone());
                match &body {
                    Some(body) => request
                        .header(CONTENT_TYPE, "application/json")
                        .body(body.clone()),
                    None => request,
                }
            })
            .await?;
        Ok(response)
    }

    /// A GET whose 2xx answer is decoded as `T`.
    async fn get<T: serde::de::DeserializeOwned>(&self, op: &'static str, path: &str) -> Result<T> {
        let response = self
            .send(op, Safety::Idempotent, Method::GET, path, None)
            .await?;
        if !response.is_success() {
            return Err(self.error_from(op, &response));
        }
        Ok(response.json(op)?)
    }

    /// Reads Seerr's error answers.
    fn error_from(&self, op: &'static str, response: &RawResponse) -> Error {
        let status = response.status.as_u16();
        let body = serde_json::from_slice::<ErrorBody>(&response.body).ok();
        let message = body
            .as_ref()
            .and_then(|b| b.message.as_deref())
            .map(|m| self.api_key.redact(m));
        // `isAuthenticated` answers `{status, error}` when the key found no
        // user; the spec's validator answers 401 when no key was sent.
        let no_user = status == 403 && body.as_ref().is_some_and(|b| b.error.is_some());
        if status == 401 || no_user {
            return Error::Unauthorized { op, status };
        }
        match (status, message) {
            (403, Some(message)) if message.contains("Quota exceeded") => {
                Error::QuotaExceeded { op, message }
            }
            (403, Some(message)) => Error::Forbidden { op, message },
            (_, Some(message)) => Error::Api {
                op,
                status,
                message,
            },
            (_, None) => Error::Http(HttpError::Status {
                op,
                status,
                body: self.api_key.redact(&truncate_body(&response.body)),
            }),
        }
    }
}

#[async_trait]
impl SeerrApi for SeerrClient {
    #[tracing::instrument(skip_all, fields(op = op::STATUS))]
    async fn status(&self) -> Result<Status> {
        self.get(op::STATUS, "api/v1/status").await
    }

    #[tracing::instrument(skip_all, fields(op = op::ME))]
    async fn me(&self) -> Result<User> {
        self.get(op::ME, "api/v1/auth/me").await
    }

    #[tracing::instrument(skip_all, fields(op = op::REQUEST, tmdb_id = %request.tmdb_id))]
    async fn request(&self, request: &NewRequest) -> Result<RequestOutcome> {
        let op = op::REQUEST;
        let body = serde_json::to_vec(request).map_err(|e| {
            Error::from(HttpError::Build {
                op,
                message: e.to_string(),
            })
        })?;
        let response = self
            .send(
                op,
                Safety::NotIdempotent,
                Method::POST,
                "api/v1/request",
                Some(body),
            )
            .await?;
        let message = || {
            serde_json::from_slice::<ErrorBody>(&response.body)
                .ok()
                .and_then(|b| b.message)
                .unwrap_or_default()
        };
        match response.status.as_u16() {
            // `NoSeasonsAvailableError` is passed to the error handler with
            // status 202: a success code with an error's body.
            202 => Ok(RequestOutcome::NothingToRequest(message())),
            409 => Ok(RequestOutcome::AlreadyRequested(message())),
            status if (200..300).contains(&status) => {
                let created: MediaRequest = response.json(op)?;
                tracing::debug!(id = created.id, "request created");
                Ok(RequestOutcome::Created(Box::new(created)))
            }
            _ => Err(self.error_from(op, &response)),
        }
    }
}
