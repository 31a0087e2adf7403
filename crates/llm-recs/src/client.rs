//! [`LlmClient`]: suggestions from an OpenAI-compatible chat completions server.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use curator_http::reqwest::header::{AUTHORIZATION, HeaderMap};
use curator_http::reqwest::{StatusCode, Url};
use curator_http::{
    HttpClient, HttpConfig, HttpError, RawResponse, RequestStats, RetryPolicy, Safety, Secret,
    truncate_body,
};
use serde_json::{Map, Value, json};

use crate::api::{Recommender, SuggestionRequest, Suggestions};
use crate::error::{Error, Result};
use crate::model::{ApiError, ChatResponse, response_format};
use crate::parse::parse_suggestions_excluding;
use crate::prompt::{system_message, user_message};

/// The operation name of `POST /chat/completions`, used in errors, logs and
/// request counters (the fake server counts under the same name).
pub const OP_CHAT_COMPLETIONS: &str = "llm.chat_completions";

/// OpenAI.
pub const OPENAI_BASE_URL: &str = "https://api.openai.com/v1";
/// Ollama on this machine (the key is ignored).
pub const OLLAMA_BASE_URL: &str = "http://localhost:11434/v1";
/// LM Studio on this machine.
pub const LM_STUDIO_BASE_URL: &str = "http://localhost:1234/v1";
/// llama.cpp's `llama-server` on this machine.
pub const LLAMA_CPP_BASE_URL: &str = "http://localhost:8080/v1";
/// OpenRouter.
pub const OPENROUTER_BASE_URL: &str = "https://openrouter.ai/api/v1";
/// Google Gemini's OpenAI-compatible endpoint.
pub const GEMINI_BASE_URL: &str = "https://generativelanguage.googleapis.com/v1beta/openai";

/// The default answer budget: enough for 30 suggestions with a reason each,
/// with room for a reasoning model's thinking.
pub const DEFAULT_MAX_TOKENS: u32 = 4000;
/// The default per-request timeout: local models on small machines are slow.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);

/// The request field that carries the answer's token limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenLimitField {
    /// `max_completion_tokens`: what OpenAI wants (its reasoning models
    /// refuse `max_tokens`).
    MaxCompletionTokens,
    /// `max_tokens`: what every other OpenAI-compatible server knows.
    MaxTokens,
}

impl TokenLimitField {
    /// `max_completion_tokens` for `api.openai.com`, `max_tokens` elsewhere.
    pub fn for_base_url(base_url: &Url) -> Self {
        if base_url.host_str() == Some("api.openai.com") {
            Self::MaxCompletionTokens
        } else {
            Self::MaxTokens
        }
    }

    /// The JSON field name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MaxCompletionTokens => "max_completion_tokens",
            Self::MaxTokens => "max_tokens",
        }
    }
}

/// Builds an [`LlmClient`].
///
/// ```no_run
/// use llm_recs::{LlmClient, OLLAMA_BASE_URL};
///
/// # fn demo() -> llm_recs::Result<()> {
/// let client = LlmClient::builder(OLLAMA_BASE_URL, "llama3.1:8b")
///     .temperature(0.7)
///     .build()?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct LlmClientBuilder {
    base_url: String,
    model: String,
    api_key: Option<Secret>,
    temperature: Option<f32>,
    max_tokens: u32,
    token_limit_field: Option<TokenLimitField>,
    structured_output: bool,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    stats: Option<RequestStats>,
}

impl fmt::Debug for LlmClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LlmClientBuilder")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("api_key", &self.api_key)
            .field("temperature", &self.temperature)
            .field("max_tokens", &self.max_tokens)
            .field("token_limit_field", &self.token_limit_field)
            .field("structured_output", &self.structured_output)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl LlmClientBuilder {
    fn new(base_url: impl Into<String>, model: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            model: model.into(),
            api_key: None,
            temperature: None,
            max_tokens: DEFAULT_MAX_TOKENS,
            token_limit_field: None,
            structured_output: true,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            stats: None,
        }
    }

    /// The API key, sent as `Authorization: Bearer <key>`. A blank key counts
    /// as none (local servers need none).
    #[must_use]
    pub fn api_key(mut self, key: impl Into<Secret>) -> Self {
        let key = key.into();
        self.api_key = (!key.is_blank()).then_some(key);
        self
    }

    /// Sets or clears the API key.
    #[must_use]
    pub fn api_key_opt(self, key: Option<Secret>) -> Self {
        match key {
            Some(key) => self.api_key(key),
            None => Self {
                api_key: None,
                ..self
            },
        }
    }

    /// The sampling temperature. Unset by default, leaving the server's
    /// default: some models (OpenAI's reasoning models) accept no other.
    #[must_use]
    pub fn temperature(mut self, temperature: f32) -> Self {
        self.temperature = Some(temperature);
        self
    }

    /// The most tokens the answer may take (default [`DEFAULT_MAX_TOKENS`]).
    #[must_use]
    pub fn max_tokens(mut self, max_tokens: u32) -> Self {
        self.max_tokens = max_tokens;
        self
    }

    /// Which field carries the token limit. By default
    /// `max_completion_tokens` for `api.openai.com` and `max_tokens` for
    /// everything else.
    #[must_use]
    pub fn token_limit_field(mut self, field: TokenLimitField) -> Self {
        self.token_limit_field = Some(field);
        self
    }

    /// Whether to ask for structured output (`response_format` with a JSON
    /// schema). On by default; a server that rejects it is asked again
    /// without it anyway.
    #[must_use]
    pub fn structured_output(mut self, enabled: bool) -> Self {
        self.structured_output = enabled;
        self
    }

    /// How long one request may take (default [`DEFAULT_TIMEOUT`]).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How long to wait for a connection (default 10 s).
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// When to retry (transport failures, 429, 502-504; never a quota error).
    #[must_use]
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Counters to record every request in, retries included.
    #[must_use]
    pub fn stats(mut self, stats: RequestStats) -> Self {
        self.stats = Some(stats);
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`Error::Config`] for a base URL that is not an `http(s)` URL, an
    /// empty model name, or a key that cannot be sent in a header.
    pub fn build(self) -> Result<LlmClient> {
        let config = |message: &str| Error::Config {
            message: message.to_owned(),
        };
        let trimmed = self.base_url.trim().trim_end_matches('/');
        // People paste the whole endpoint as often as the base.
        let base = trimmed.strip_suffix("/chat/completions").unwrap_or(trimmed);
        let base_url = Url::parse(base).map_err(|e| Error::Config {
            message: format!("the base url is not a url: {e}"),
        })?;
        if !matches!(base_url.scheme(), "http" | "https") || base_url.host_str().is_none() {
            return Err(config(
                "the base url must start with http:// or https:// and name a host",
            ));
        }
        if self.model.trim().is_empty() {
            return Err(config("no model name given"));
        }
        let host = match base_url.port() {
            Some(port) => format!("{}:{port}", base_url.host_str().unwrap_or_default()),
            None => base_url.host_str().unwrap_or_default().to_owned(),
        };
        let mut headers = HeaderMap::new();
        if let Some(key) = &self.api_key {
            let value = key.header_value("Bearer ").map_err(|_| {
                config("the api key holds characters that cannot be sent in a header")
            })?;
            headers.insert(AUTHORIZATION, value);
        }
        let http = HttpClient::new(
            HttpConfig {
                connect_timeout: self.connect_timeout,
                request_timeout: self.timeout,
                retry: self.retry.clone(),
                stats: self.stats.clone(),
                ..HttpConfig::default()
            },
            headers,
        )
        .map_err(|e| Error::Config {
            message: e.to_string(),
        })?;
        Ok(LlmClient {
            http,
            endpoint: format!("{base}/chat/completions"),
            token_limit_field: self
                .token_limit_field
                .unwrap_or_else(|| TokenLimitField::for_base_url(&base_url)),
            host,
            model: self.model.trim().to_owned(),
            api_key: self.api_key,
            temperature: self.temperature,
            max_tokens: self.max_tokens,
            structured_output: Arc::new(AtomicBool::new(self.structured_output)),
        })
    }
}

/// Asks an OpenAI-compatible chat completions server for movie suggestions.
///
/// Works with OpenAI, Ollama, LM Studio, llama.cpp, OpenRouter and Gemini's
/// compatible endpoint. It asks for strict structured output, falls back to
/// plain answers when a server refuses that, and reads whatever comes back
/// with [`parse_suggestions`](crate::parse_suggestions). Clones share the
/// connection pool.
#[derive(Clone)]
pub struct LlmClient {
    http: HttpClient,
    endpoint: String,
    host: String,
    model: String,
    /// Kept only to redact it from error bodies that echo it.
    api_key: Option<Secret>,
    temperature: Option<f32>,
    max_tokens: u32,
    token_limit_field: TokenLimitField,
    /// Cleared once a server has refused `response_format` and answered
    /// without it, so later requests skip the failing attempt.
    structured_output: Arc<AtomicBool>,
}

impl fmt::Debug for LlmClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LlmClient")
            .field("endpoint", &self.endpoint)
            .field("model", &self.model)
            .field("has_key", &self.api_key.is_some())
            .field("temperature", &self.temperature)
            .field("max_tokens", &self.max_tokens)
            .field("token_limit_field", &self.token_limit_field)
            .field(
                "structured_output",
                &self.structured_output.load(Ordering::Relaxed),
            )
            .finish_non_exhaustive()
    }
}

impl LlmClient {
    /// A builder for a server at `base_url` (such as [`OPENAI_BASE_URL`])
    /// and a model name.
    pub fn builder(base_url: impl Into<String>, model: impl Into<String>) -> LlmClientBuilder {
        LlmClientBuilder::new(base_url, model)
    }

    /// The model asked.
    pub fn model(&self) -> &str {
        &self.model
    }

    /// The server's host (and port), for messages.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The request body for `request`.
    fn body(&self, request: &SuggestionRequest, structured: bool) -> Value {
        let mut body = Map::new();
        body.insert("model".into(), json!(self.model));
        body.insert(
            "messages".into(),
            json!([
                {"role": "system", "content": system_message()},
                {"role": "user", "content": user_message(request)},
            ]),
        );
        if let Some(temperature) = self.temperature {
            body.insert("temperature".into(), json!(temperature));
        }
        body.insert(
            self.token_limit_field.as_str().into(),
            json!(self.max_tokens),
        );
        if structured {
            body.insert("response_format".into(), response_format());
        }
        Value::Object(body)
    }

    /// Posts `body`, retrying as the policy says, except quota errors:
    /// "no credit left" is a 429 that waiting does not cure.
    async fn post(&self, body: &Value) -> Result<RawResponse> {
        // A repeated completion costs tokens but changes nothing on the
        // server, so it is safe to send again after any failure.
        self.http
            .send_unless(
                OP_CHAT_COMPLETIONS,
                Safety::Idempotent,
                |client| client.post(&self.endpoint).json(body),
                |response| ApiError::from_body(&response.body).is_quota(),
            )
            .await
            .map_err(Error::from)
    }

    /// `text` with the API key replaced by `***`: some servers and proxies
    /// echo the request they refused, credentials included.
    fn redact(&self, text: &str) -> String {
        match &self.api_key {
            Some(key) => key.redact(text),
            None => text.to_owned(),
        }
    }

    /// Redacts the body an [`HttpError`] carries.
    fn redact_http(&self, mut error: HttpError) -> HttpError {
        if let HttpError::Status { body, .. } | HttpError::Decode { body, .. } = &mut error {
            *body = self.redact(body);
        }
        error
    }

    /// Maps an error status to the error that explains it.
    fn status_error(&self, response: &RawResponse) -> Error {
        let mut api = ApiError::from_body(&response.body);
        api.message = api.message.map(|m| self.redact(&m));
        api.code = api.code.map(|c| self.redact(&c));
        api.kind = api.kind.map(|k| self.redact(&k));
        let status = response.status;
        let host = self.host.clone();
        let source = HttpError::Status {
            op: OP_CHAT_COMPLETIONS,
            status: status.as_u16(),
            // Redacted before it is cut, so no half key survives the cut.
            body: truncate_body(
                self.redact(&String::from_utf8_lossy(&response.body))
                    .as_bytes(),
            ),
        };
        if api.is_quota() || status == StatusCode::PAYMENT_REQUIRED {
            return Error::QuotaExhausted { host, source };
        }
        match status {
            StatusCode::UNAUTHORIZED => Error::Unauthorized { host, source },
            StatusCode::TOO_MANY_REQUESTS => Error::RateLimited { host, source },
            StatusCode::NOT_FOUND if api.message.is_some() => Error::ModelNotFound {
                model: self.model.clone(),
                host,
                source,
            },
            StatusCode::NOT_FOUND => Error::EndpointNotFound { host, source },
            _ => Error::Api {
                status: status.as_u16(),
                message: api
                    .message
                    .unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_owned()),
                code: api.code.or(api.kind),
                source,
            },
        }
    }

    /// Reads the suggestions out of a successful answer.
    fn read_answer(
        &self,
        request: &SuggestionRequest,
        response: &RawResponse,
    ) -> Result<Suggestions> {
        let answer: ChatResponse = response
            .json(OP_CHAT_COMPLETIONS)
            .map_err(|e| self.redact_http(e))?;
        let Some(choice) = answer.choices.into_iter().next() else {
            return Err(Error::EmptyAnswer {
                finish_reason: None,
            });
        };
        let finish_reason = choice.finish_reason;
        let truncated = finish_reason.as_deref() == Some("length");
        let (text, refusal) = choice
            .message
            .map(|m| (m.text(), m.refusal))
            .unwrap_or_default();
        if let Some(refusal) = refusal.filter(|r| !r.trim().is_empty()) {
            return Err(Error::Refused {
                message: self.redact(&refusal),
            });
        }
        if text.trim().is_empty() {
            if finish_reason.as_deref() == Some("content_filter") {
                return Err(Error::Refused {
                    message: "the answer was blocked by the server's content filter".to_owned(),
                });
            }
            return Err(Error::EmptyAnswer { finish_reason });
        }
        let mut exclude = vec![match request.seed.year {
            Some(year) => format!("{} ({year})", request.seed.title),
            None => request.seed.title.clone(),
        }];
        exclude.extend(request.avoid.iter().cloned());
        let parsed = parse_suggestions_excluding(&text, request.count, &exclude);
        if parsed.suggestions.is_empty() {
            return Err(Error::Unparseable {
                answer: self.redact(&text.chars().take(500).collect::<String>()),
                truncated,
            });
        }
        tracing::debug!(
            op = OP_CHAT_COMPLETIONS,
            n = parsed.suggestions.len(),
            path = %parsed.path,
            truncated,
            "read suggestions"
        );
        Ok(Suggestions {
            items: parsed.suggestions,
            truncated,
            parse_path: parsed.path,
        })
    }
}

#[async_trait]
impl Recommender for LlmClient {
    #[tracing::instrument(skip_all, fields(op = OP_CHAT_COMPLETIONS, kind = %request.kind, n = request.count))]
    async fn suggest(&self, request: &SuggestionRequest) -> Result<Suggestions> {
        if request.count == 0 {
            return Ok(Suggestions::new(Vec::new()));
        }
        let structured = self.structured_output.load(Ordering::Relaxed);
        let mut response = self.post(&self.body(request, structured)).await?;
        // Servers that do not know structured output say so with a 400 (a
        // few with 422): ask once more without it and read the answer as it
        // comes.
        if structured && matches!(response.status.as_u16(), 400 | 422) {
            tracing::debug!(
                op = OP_CHAT_COMPLETIONS,
                status = response.status.as_u16(),
                "server refused response_format, asking again without it"
            );
            response = self.post(&self.body(request, false)).await?;
            if response.is_success() {
                self.structured_output.store(false, Ordering::Relaxed);
            }
        }
        if !response.is_success() {
            return Err(self.status_error(&response));
        }
        self.read_answer(request, &response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_limit_field_follows_the_host() {
        let cases = [
            (OPENAI_BASE_URL, TokenLimitField::MaxCompletionTokens),
            (OLLAMA_BASE_URL, TokenLimitField::MaxTokens),
            (OPENROUTER_BASE_URL, TokenLimitField::MaxTokens),
            (GEMINI_BASE_URL, TokenLimitField::MaxTokens),
            (
                "https://my-openai-proxy.example/v1",
                TokenLimitField::MaxTokens,
            ),
        ];
        for (base, field) in cases {
            assert_eq!(
                TokenLimitField::for_base_url(&Url::parse(base).unwrap()),
                field,
                "{base}"
            );
        }
    }

    #[test]
    fn builder_normalises_the_base_url_and_checks_it() {
        let client =
            LlmClient::builder("https://api.openai.com/v1/chat/completions/", "gpt-4o-mini")
                .build()
                .unwrap();
        assert_eq!(
            client.endpoint,
            "https://api.openai.com/v1/chat/completions"
        );
        assert_eq!(
            client.token_limit_field,
            TokenLimitField::MaxCompletionTokens
        );
        assert_eq!(client.host(), "api.openai.com");
        let client = LlmClient::builder(OLLAMA_BASE_URL, "llama3.1")
            .build()
            .unwrap();
        assert_eq!(client.host(), "localhost:11434");
        assert_eq!(client.token_limit_field, TokenLimitField::MaxTokens);

        for (base, model) in [
            ("localhost:11434/v1", "m"),
            ("not a url", "m"),
            (OLLAMA_BASE_URL, " "),
        ] {
            let err = LlmClient::builder(base, model).build().unwrap_err();
            assert!(matches!(err, Error::Config { .. }), "{base} {model}: {err}");
        }
        let err = LlmClient::builder(OPENAI_BASE_URL, "m")
            .api_key("sk-bad\nkey")
            .build()
            .unwrap_err();
        assert!(!err.to_string().contains("sk-bad"), "{err}");
    }

    #[test]
    fn debug_output_never_shows_the_key() {
        let builder =
            LlmClient::builder(OPENAI_BASE_URL, "gpt-4o-mini").api_key("sk-proj-very-secret-123");
        let client = builder.clone().build().unwrap();
        for shown in [
            format!("{builder:?}"),
            format!("{client:?}"),
            format!("{client:#?}"),
        ] {
            assert!(!shown.contains("very-secret"), "{shown}");
        }
        assert!(format!("{client:?}").contains("has_key: true"));
    }

    /// Some servers and proxies echo the refused request, key included.
    #[tokio::test]
    async fn error_bodies_that_echo_the_key_are_redacted() {
        use wiremock::matchers::{header, method, path};
        use wiremock::{Mock, MockServer, ResponseTemplate};

        const KEY: &str = "sk-proj-Echoed7Key-9f8e7d6c5b4a";
        let echo = |status: u16| {
            ResponseTemplate::new(status).set_body_json(json!({
                "error": {
                    "message": format!("Incorrect API key provided: {KEY}. Header was 'Bearer {KEY}'"),
                    "type": "invalid_request_error",
                    "param": null,
                    "code": format!("bad_key_{KEY}"),
                }
            }))
        };
        for status in [401, 400, 403, 404, 500] {
            let server = MockServer::start().await;
            Mock::given(method("POST"))
                .and(path("/v1/chat/completions"))
                .and(header("authorization", format!("Bearer {KEY}").as_str()))
                .respond_with(echo(status))
                .named("echoes the key")
                .expect(1..)
                .mount(&server)
                .await;
            let client = LlmClient::builder(format!("{}/v1", server.uri()), "gpt-4o-mini")
                .api_key(KEY)
                .retry(RetryPolicy {
                    max_retries: 0,
                    ..RetryPolicy::default()
                })
                .build()
                .unwrap();
            let request = SuggestionRequest::similar(crate::SeedMovie::new("Heat"), 5);
            let err = client.suggest(&request).await.unwrap_err();
            assert_eq!(err.status(), Some(status), "{err:?}");
            let mut shown = format!("{err} | {err:?} | {err:#?}");
            let mut source = std::error::Error::source(&err);
            while let Some(cause) = source {
                shown.push_str(&format!(" | {cause} | {cause:?}"));
                source = cause.source();
            }
            assert!(!shown.contains(KEY), "{status}: the key leaked: {shown}");
            assert!(!shown.contains("Echoed7Key"), "{status}: {shown}");
            assert!(
                shown.contains("***"),
                "{status}: the body was kept: {shown}"
            );
        }
    }
}
