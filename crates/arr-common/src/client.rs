//! The HTTP plumbing both clients share: their builders' settings, the
//! connection that sends one request, and the error answers it reads.
//!
//! Radarr and Sonarr take the same key in the same header, answer errors
//! in the same shapes and need the same request building, so a client
//! holds one [`ArrHttp`] and speaks only its own endpoints.

use std::fmt;
use std::time::Duration;

use curator_http::reqwest::header::CONTENT_TYPE;
use curator_http::reqwest::{Method, Url};
use curator_http::{
    HttpClient, HttpConfig, HttpError, RawResponse, RequestStats, Safety, Secret, truncate_body,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::chunks::{EDITOR_CHUNK, FailedChunk, send_in_chunks, unique_sorted};
use crate::error_body::ErrorBody;
use crate::validation::ValidationFailure;

/// What a Radarr or Sonarr client's builder holds before it connects: the
/// base URL, the API key and the HTTP settings.
///
/// Each client's builder wraps one and takes its setters from
/// [`settings_setters!`](crate::settings_setters).
#[derive(Debug, Clone)]
pub struct ClientSettings {
    base_url: String,
    api_key: Secret,
    /// Timeouts, retries, counters, breaker and `User-Agent`.
    pub config: HttpConfig,
}

impl ClientSettings {
    /// Settings for the server at `base_url`, with the default timeouts and
    /// retries.
    pub fn new(base_url: impl Into<String>, api_key: impl Into<Secret>) -> Self {
        Self {
            base_url: base_url.into(),
            api_key: api_key.into(),
            config: HttpConfig::default(),
        }
    }

    /// Checks the URL and the key (see [`connection`](crate::connection))
    /// and starts the HTTP client.
    ///
    /// `service` names the application in the message for an empty key
    /// ("Radarr", "Sonarr").
    ///
    /// # Errors
    /// [`ArrError::Config`] for a base URL that is not http(s), a blank API
    /// key or one a header cannot carry; [`ArrError::Http`] when the TLS
    /// backend cannot start.
    pub fn connect(self, service: &str) -> Result<ArrHttp, ArrError> {
        let (base, headers) = crate::connection(&self.base_url, &self.api_key, service)
            .map_err(|message| ArrError::Config { message })?;
        let http = HttpClient::new(self.config, headers)?;
        Ok(ArrHttp {
            http,
            base,
            api_key: self.api_key,
        })
    }
}

/// The setters every Radarr and Sonarr client builder has, written once.
///
/// Expands inside `impl YourBuilder { .. }` to `connect_timeout`,
/// `request_timeout`, `retry_policy`, `stats`, `breaker` and `user_agent`,
/// each writing the [`ClientSettings`] in the field `$settings`. `$service`
/// ("Radarr") and `$item` ("a movie") fill in their documentation. The
/// calling crate depends on `curator-http`, as both clients do.
#[macro_export]
macro_rules! settings_setters {
    ($settings:ident, service = $service:literal, item = $item:literal) => {
        /// How long to wait for a connection (default 10 s).
        #[must_use]
        pub fn connect_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.$settings.config.connect_timeout = timeout;
            self
        }

        /// How long one attempt may take, answer included (default 30 s).
        #[must_use]
        pub fn request_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.$settings.config.request_timeout = timeout;
            self
        }

        #[doc = concat!(
            "When to retry (default: [`RetryPolicy::default`](curator_http::RetryPolicy::default)). Adding ",
            $item, " is never retried once ", $service, " may have acted on it, whatever the policy."
        )]
        #[must_use]
        pub fn retry_policy(mut self, policy: ::curator_http::RetryPolicy) -> Self {
            self.$settings.config.retry = policy;
            self
        }

        /// Counts every attempt in `stats`, under the names in [`crate::op`].
        #[must_use]
        pub fn stats(mut self, stats: ::curator_http::RequestStats) -> Self {
            self.$settings.config.stats = Some(stats);
            self
        }

        #[doc = concat!(
            "Marks ", $service, " down for the rest of the run after a failure that will not change ",
            "within it, so later requests fail at once (see [`curator_http::Breaker`]; off by default)."
        )]
        #[must_use]
        pub fn breaker(mut self, breaker: ::curator_http::Breaker) -> Self {
            self.$settings.config.breaker = Some(breaker);
            self
        }

        /// The `User-Agent` header.
        #[must_use]
        pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
            self.$settings.config.user_agent = user_agent.into();
            self
        }
    };
}

/// What went wrong in a request [`ArrHttp`] sent, before the client names
/// it in its own error type (each client's `Error` has a variant for each
/// of these, and converts with `From`).
#[derive(Debug)]
pub enum ArrError {
    /// The client could not be set up: a bad base URL or a blank API key.
    Config {
        /// What is wrong.
        message: String,
    },
    /// The request could not be sent as asked.
    InvalidArgument {
        /// The operation.
        op: &'static str,
        /// What is wrong.
        message: String,
    },
    /// A 401: the API key is wrong or missing.
    Unauthorized {
        /// The operation.
        op: &'static str,
    },
    /// A 400 with a list of validation failures.
    Validation {
        /// The operation.
        op: &'static str,
        /// Each failed rule, as the server sent it.
        failures: Vec<ValidationFailure>,
    },
    /// An error answer with a `{message, description}` body.
    Api {
        /// The operation.
        op: &'static str,
        /// The HTTP status.
        status: u16,
        /// The message, on one line, the key redacted.
        message: String,
        /// The first line of the description, when it adds something.
        description: Option<String>,
    },
    /// A transport failure, an unexpected status without a readable body,
    /// or an answer that could not be decoded.
    Http(HttpError),
}

impl From<HttpError> for ArrError {
    fn from(error: HttpError) -> Self {
        Self::Http(error)
    }
}

/// One request: its operation, safety, method, path (relative to the base
/// URL, such as `api/v3/tag`) and query.
#[derive(Debug, Clone)]
pub struct Call<'a> {
    /// The operation name, for errors and counters.
    pub op: &'static str,
    /// Whether it may be retried.
    pub safety: Safety,
    /// The method.
    pub method: Method,
    /// The path, relative to the base URL.
    pub path: &'a str,
    /// The query parameters.
    pub query: &'a [(&'a str, String)],
}

impl<'a> Call<'a> {
    /// An idempotent GET.
    pub fn get(op: &'static str, path: &'a str, query: &'a [(&'a str, String)]) -> Self {
        Self {
            op,
            safety: Safety::Idempotent,
            method: Method::GET,
            path,
            query,
        }
    }

    /// A request that carries a body, without a query.
    pub fn with_body(op: &'static str, safety: Safety, method: Method, path: &'a str) -> Self {
        Self {
            op,
            safety,
            method,
            path,
            query: &[],
        }
    }
}

/// A connection to one Radarr or Sonarr: the HTTP client, the base URL and
/// the key (kept to redact it from error text). Clones share the connection
/// pool and the request counters.
#[derive(Clone)]
pub struct ArrHttp {
    http: HttpClient,
    base: Url,
    api_key: Secret,
}

impl fmt::Debug for ArrHttp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ArrHttp")
            .field("base_url", &self.base.as_str())
            .field("api_key", &self.api_key)
            .finish_non_exhaustive()
    }
}

impl ArrHttp {
    /// The base URL requests go to, with a trailing slash.
    pub fn base_url(&self) -> &str {
        self.base.as_str()
    }

    /// The API key (its `Debug` output is redacted).
    pub fn api_key(&self) -> &Secret {
        &self.api_key
    }

    /// The request counters, if the settings had some.
    pub fn stats(&self) -> Option<&RequestStats> {
        self.http.stats()
    }

    /// Sends one request and returns the answer, whatever its status; with
    /// its own timeout per attempt, when given. A body goes as JSON.
    ///
    /// # Errors
    /// [`HttpError`] for a path that does not join the base URL, or when
    /// no answer came (after the retries `call.safety` allows).
    pub async fn send(
        &self,
        call: &Call<'_>,
        body: Option<Vec<u8>>,
        timeout: Option<Duration>,
    ) -> Result<RawResponse, HttpError> {
        let op = call.op;
        let url = self.base.join(call.path).map_err(|e| HttpError::Build {
            op,
            message: e.to_string(),
        })?;
        self.http
            .send(op, call.safety, |client| {
                let mut request = client
                    .request(call.method.clone(), url.clone())
                    .query(call.query);
                if let Some(timeout) = timeout {
                    request = request.timeout(timeout);
                }
                match &body {
                    Some(body) => request
                        .header(CONTENT_TYPE, "application/json")
                        .body(body.clone()),
                    None => request,
                }
            })
            .await
    }

    /// Sends a request and turns a non-2xx answer into an [`ArrError`].
    ///
    /// # Errors
    /// As [`ArrHttp::send`], and [`ArrHttp::error_from`] for a non-2xx
    /// answer.
    pub async fn call(
        &self,
        call: &Call<'_>,
        body: Option<Vec<u8>>,
    ) -> Result<RawResponse, ArrError> {
        let response = self.send(call, body, None).await?;
        self.success(call.op, response)
    }

    /// Sends a request without a body, with its own timeout per attempt when
    /// given, and decodes a 2xx answer as `T`.
    ///
    /// # Errors
    /// As [`ArrHttp::call`], and [`ArrError::Http`] for an answer that is
    /// not a `T`.
    pub async fn read<T: DeserializeOwned>(
        &self,
        call: &Call<'_>,
        timeout: Option<Duration>,
    ) -> Result<T, ArrError> {
        let response = self.send(call, None, timeout).await?;
        Ok(self.success(call.op, response)?.json(call.op)?)
    }

    /// A GET whose 2xx answer is decoded as `T`.
    ///
    /// # Errors
    /// As [`ArrHttp::read`].
    pub async fn get<T: DeserializeOwned>(
        &self,
        op: &'static str,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<T, ArrError> {
        self.read(&Call::get(op, path, query), None).await
    }

    /// A request with `body` as JSON whose 2xx answer is returned raw.
    ///
    /// # Errors
    /// As [`ArrHttp::call`].
    pub async fn send_json<T: Serialize>(
        &self,
        call: &Call<'_>,
        body: &T,
    ) -> Result<RawResponse, ArrError> {
        let body = to_body(call.op, body)?;
        self.call(call, Some(body)).await
    }

    /// POSTs a new record (a movie, a series) to `path`, once: the new
    /// record on a 2xx, `None` when the server refuses it as "already been
    /// added" ([`ValidationFailure::is_already_added`]), so adding twice is
    /// harmless.
    ///
    /// # Errors
    /// As [`ArrHttp::send`], [`ArrHttp::error_from`] for any other refusal,
    /// and [`ArrError::Http`] for an answer that is not a `T`.
    pub async fn add<B: Serialize, T: DeserializeOwned>(
        &self,
        op: &'static str,
        path: &str,
        body: &B,
    ) -> Result<Option<T>, ArrError> {
        let call = Call::with_body(op, Safety::NotIdempotent, Method::POST, path);
        let response = self.send(&call, Some(to_body(op, body)?), None).await?;
        if response.is_success() {
            return Ok(Some(response.json(op)?));
        }
        match self.error_from(op, &response) {
            ArrError::Validation { failures, .. }
                if failures.iter().any(ValidationFailure::is_already_added) =>
            {
                Ok(None)
            }
            error => Err(error),
        }
    }

    /// PUTs `record` to `path` and returns what the server kept: its answer,
    /// or `record` itself when the answer is empty.
    ///
    /// # Errors
    /// As [`ArrHttp::send_json`], and [`ArrError::Http`] for an answer that
    /// is not a `T`.
    pub async fn update<T: Serialize + DeserializeOwned + Clone>(
        &self,
        op: &'static str,
        path: &str,
        record: &T,
    ) -> Result<T, ArrError> {
        let call = Call::with_body(op, Safety::Idempotent, Method::PUT, path);
        let response = self.send_json(&call, record).await?;
        if response.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(record.clone());
        }
        Ok(response.json(op)?)
    }

    /// PUTs `ids` to a bulk endpoint (`movie/editor`, `series/editor`,
    /// `episode/monitor`): sorted, once each, in chunks of [`EDITOR_CHUNK`],
    /// the body of each built by `body`. A failed chunk is logged and does
    /// not stop the others (see [`crate::send_in_chunks`] for why).
    pub async fn put_in_chunks<Id, B, E>(
        &self,
        op: &'static str,
        path: &str,
        ids: &[Id],
        body: impl Fn(Vec<Id>) -> B,
    ) -> ChunkedPut<Id, E>
    where
        Id: Ord + Clone,
        B: Serialize,
        E: From<ArrError> + fmt::Display,
    {
        let ids = unique_sorted(ids);
        let call = Call::with_body(op, Safety::Idempotent, Method::PUT, path);
        let (call, body) = (&call, &body);
        let failed = send_in_chunks(&ids, EDITOR_CHUNK, |chunk| async move {
            let count = chunk.len();
            let sent = self.send_json(call, &body(chunk)).await.map_err(E::from);
            if let Err(error) = &sent {
                tracing::warn!(op, ids = count, error = %error, "bulk chunk failed");
            }
            sent.map(drop)
        })
        .await;
        ChunkedPut {
            total: ids.len(),
            failed,
        }
    }

    fn success(&self, op: &'static str, response: RawResponse) -> Result<RawResponse, ArrError> {
        if response.is_success() {
            Ok(response)
        } else {
            Err(self.error_from(op, &response))
        }
    }

    /// Reads the error shapes Radarr and Sonarr answer with: 401, a
    /// validation array (on a 400), or `{message, description}`; anything
    /// else is kept as a status error. The key is redacted from any text
    /// kept.
    pub fn error_from(&self, op: &'static str, response: &RawResponse) -> ArrError {
        let status = response.status.as_u16();
        if status == 401 {
            return ArrError::Unauthorized { op };
        }
        if status == 400
            && let Some(failures) = ValidationFailure::list_from(&response.body)
        {
            return ArrError::Validation { op, failures };
        }
        if let Some(body) = ErrorBody::parse(&response.body) {
            return ArrError::Api {
                op,
                status,
                message: self.api_key.redact(&body.message),
                description: body.description.map(|d| self.api_key.redact(&d)),
            };
        }
        ArrError::Http(HttpError::Status {
            op,
            status,
            body: self.api_key.redact(&truncate_body(&response.body)),
        })
    }
}

/// What [`ArrHttp::put_in_chunks`] did.
#[derive(Debug)]
pub struct ChunkedPut<Id, E> {
    /// How many distinct ids it was for.
    pub total: usize,
    /// The chunks that failed, with their ids (none when all went through).
    pub failed: Vec<FailedChunk<Id, E>>,
}

/// `value` as a JSON request body.
///
/// # Errors
/// [`ArrError::InvalidArgument`] if it cannot be encoded (plain structs
/// always can; the path exists so no panic is possible).
pub fn to_body<T: Serialize>(op: &'static str, value: &T) -> Result<Vec<u8>, ArrError> {
    serde_json::to_vec(value).map_err(|e| ArrError::InvalidArgument {
        op,
        message: format!("could not encode the request: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use curator_http::reqwest::StatusCode;
    use curator_http::reqwest::header::HeaderMap;

    use super::*;

    fn arr() -> ArrHttp {
        ClientSettings::new("http://nas:7878", "s3cr3tkey")
            .connect("Radarr")
            .unwrap()
    }

    fn answer(status: u16, body: &str) -> RawResponse {
        RawResponse {
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn reads_each_error_shape_and_redacts_the_key() {
        let arr = arr();
        assert!(matches!(
            arr.error_from("radarr.tags", &answer(401, "")),
            ArrError::Unauthorized { op: "radarr.tags" }
        ));
        let refused = r#"[{"propertyName":"Label","errorMessage":"'Label' must not be empty."}]"#;
        match arr.error_from("radarr.create_tag", &answer(400, refused)) {
            ArrError::Validation { failures, .. } => {
                assert_eq!(failures[0].property_name, "Label");
            }
            other => panic!("not a validation error: {other:?}"),
        }
        // A validation-shaped body on another status is not a validation.
        assert!(matches!(
            arr.error_from("radarr.tags", &answer(500, refused)),
            ArrError::Http(HttpError::Status { status: 500, .. })
        ));
        let api = r#"{"message":"key s3cr3tkey is bad","description":"E: key s3cr3tkey"}"#;
        match arr.error_from("radarr.movie", &answer(500, api)) {
            ArrError::Api {
                status,
                message,
                description,
                ..
            } => {
                assert_eq!(status, 500);
                assert!(!message.contains("s3cr3tkey"), "{message}");
                assert!(!description.unwrap_or_default().contains("s3cr3tkey"));
            }
            other => panic!("not an api error: {other:?}"),
        }
        match arr.error_from("radarr.movie", &answer(502, "<html>s3cr3tkey</html>")) {
            ArrError::Http(HttpError::Status { status, body, .. }) => {
                assert_eq!(status, 502);
                assert!(!body.contains("s3cr3tkey"), "{body}");
            }
            other => panic!("not a status error: {other:?}"),
        }
    }

    #[test]
    fn settings_check_the_url_and_debug_hides_the_key() {
        let arr = arr();
        assert_eq!(arr.base_url(), "http://nas:7878/");
        assert!(!format!("{arr:?}").contains("s3cr3tkey"));
        let settings = ClientSettings::new("nas:7878", "s3cr3tkey");
        assert!(!format!("{settings:?}").contains("s3cr3tkey"));
        match settings.connect("Radarr") {
            Err(ArrError::Config { message }) => assert!(message.contains("http://")),
            other => panic!("not a config error: {other:?}"),
        }
    }
}
