//! [`LlmClient`]: suggestions from an OpenAI-compatible chat completions server.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use curator_http::reqwest::header::{AUTHORIZATION, HeaderMap};
use curator_http::reqwest::{StatusCode, Url};
use curator_http::{
    HttpClient, HttpConfig, HttpError, RawResponse, RequestStats, RetryPolicy, Safety, Secret,
    truncate_body,
};
use serde_json::{Map, Value, json};

use crate::api::{
    ListAnswer, ListSpec, ListsRequest, MediaKind, Recommender, SuggestionRequest, Suggestions,
};
use crate::error::{Error, Result};
use crate::model::{ApiError, ChatResponse, response_format};
use crate::parse::{parse_lists, parse_suggestions_excluding};
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

/// The answer budget when neither the request nor the builder sets one:
/// what [`tokens_for`] gives for 30 suggestions.
pub const DEFAULT_MAX_TOKENS: u32 = tokens_for(30);
/// The default per-request timeout: local models on small machines are slow.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);
/// Extra answer budget when a reasoning effort is set: a reasoning model's
/// thinking counts against the same limit as its answer.
pub const REASONING_HEADROOM: u32 = 4096;

/// The answer budget for `items` suggestions: about 15 tokens per
/// `{"title": ..., "year": ...}` item, doubled for titles that tokenise
/// badly and for a model's preamble, plus room for the JSON around them.
pub const fn tokens_for(items: usize) -> u32 {
    let items = if items > 10_000 { 10_000 } else { items as u32 };
    256 + 40 * items
}

/// How the client asks for a machine-readable answer.
///
/// Servers differ: OpenAI, Ollama, LM Studio, vLLM and current llama.cpp
/// take a JSON schema; llama-cpp-python's server and older llama.cpp
/// builds refuse it (with a 500) but constrain `json_object` with a
/// grammar; some proxies take neither. The client starts at the mode it is
/// given and steps down when a server refuses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum StructuredOutput {
    /// `response_format: {type: "json_schema", json_schema: {..., strict: true}}`.
    JsonSchema,
    /// `response_format: {type: "json_object", schema: ...}`.
    JsonObject,
    /// No `response_format`: the prompt asks for JSON and the tolerant
    /// parser reads whatever comes.
    Text,
}

impl StructuredOutput {
    /// The config spelling: `json_schema`, `json_object`, `text`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::JsonSchema => "json_schema",
            Self::JsonObject => "json_object",
            Self::Text => "text",
        }
    }

    /// Reads the config spelling (case and `-`/`_` ignored).
    pub fn parse(value: &str) -> Option<Self> {
        match value.trim().to_lowercase().replace('-', "_").as_str() {
            "json_schema" | "schema" => Some(Self::JsonSchema),
            "json_object" | "json" => Some(Self::JsonObject),
            "text" | "none" | "off" => Some(Self::Text),
            _ => None,
        }
    }

    /// The next mode to try after a refusal, `None` after plain text.
    pub fn step_down(self) -> Option<Self> {
        match self {
            Self::JsonSchema => Some(Self::JsonObject),
            Self::JsonObject => Some(Self::Text),
            Self::Text => None,
        }
    }

    fn to_u8(self) -> u8 {
        match self {
            Self::JsonSchema => 0,
            Self::JsonObject => 1,
            Self::Text => 2,
        }
    }

    fn from_u8(value: u8) -> Self {
        match value {
            0 => Self::JsonSchema,
            1 => Self::JsonObject,
            _ => Self::Text,
        }
    }
}

impl fmt::Display for StructuredOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

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

    fn other(self) -> Self {
        match self {
            Self::MaxCompletionTokens => Self::MaxTokens,
            Self::MaxTokens => Self::MaxCompletionTokens,
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
    max_tokens: Option<u32>,
    reasoning_effort: Option<String>,
    token_limit_field: Option<TokenLimitField>,
    structured_output: StructuredOutput,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    stats: Option<RequestStats>,
    breaker: Option<curator_http::Breaker>,
}

impl fmt::Debug for LlmClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LlmClientBuilder")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("api_key", &self.api_key)
            .field("temperature", &self.temperature)
            .field("max_tokens", &self.max_tokens)
            .field("reasoning_effort", &self.reasoning_effort)
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
            max_tokens: None,
            reasoning_effort: None,
            token_limit_field: None,
            structured_output: StructuredOutput::JsonSchema,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            stats: None,
            breaker: None,
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
    /// default. A model that accepts no other (OpenAI's reasoning models
    /// answer 400 `param: temperature`) is asked again without it.
    #[must_use]
    pub fn temperature(mut self, temperature: f32) -> Self {
        self.temperature = Some(temperature);
        self
    }

    /// The most tokens an answer may take. Unset by default: each request
    /// gets [`tokens_for`] the suggestions it asks for (plus
    /// [`REASONING_HEADROOM`] with a reasoning effort).
    #[must_use]
    pub fn max_tokens(mut self, max_tokens: u32) -> Self {
        self.max_tokens = Some(max_tokens);
        self
    }

    /// `reasoning_effort` (`"minimal"`, `"low"`, `"medium"`, `"high"`) for
    /// reasoning models; not sent unless set.
    #[must_use]
    pub fn reasoning_effort(mut self, effort: impl Into<String>) -> Self {
        let effort = effort.into();
        self.reasoning_effort = (!effort.trim().is_empty()).then(|| effort.trim().to_owned());
        self
    }

    /// Which field carries the token limit. By default
    /// `max_completion_tokens` for `api.openai.com` and `max_tokens` for
    /// everything else; a server that refuses one is asked with the other.
    #[must_use]
    pub fn token_limit_field(mut self, field: TokenLimitField) -> Self {
        self.token_limit_field = Some(field);
        self
    }

    /// The structured-output mode to start with (default
    /// [`StructuredOutput::JsonSchema`]). A server that refuses it is asked
    /// again one mode down, and the client keeps the mode that worked.
    #[must_use]
    pub fn structured_output(mut self, mode: StructuredOutput) -> Self {
        self.structured_output = mode;
        self
    }

    /// How long one completion may take (default [`DEFAULT_TIMEOUT`]). A
    /// completion that times out is not sent again: the server would
    /// start over from scratch.
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

    /// When to retry (refused connections, 429, 502-504; never a quota
    /// error, a daily limit or a timed-out completion).
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

    /// Marks the LLM server down for the rest of the run after a failure that will
    /// not change within it, so later requests fail at once (see
    /// [`curator_http::Breaker`]; off by default).
    #[must_use]
    pub fn breaker(mut self, breaker: curator_http::Breaker) -> Self {
        self.breaker = Some(breaker);
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
        let mut base_url = Url::parse(base).map_err(|e| Error::Config {
            message: format!("the base url is not a url: {e}"),
        })?;
        if !matches!(base_url.scheme(), "http" | "https") || base_url.host_str().is_none() {
            return Err(config(
                "the base url must start with http:// or https:// and name a host",
            ));
        }
        // Every OpenAI-compatible server serves under /v1; a bare host
        // ("http://localhost:11434") is the most common slip.
        if matches!(base_url.path(), "" | "/") {
            base_url.set_path("/v1");
        }
        let base = base_url.as_str().trim_end_matches('/').to_owned();
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
                breaker: self.breaker.clone(),
                ..HttpConfig::default()
            },
            headers,
        )
        .map_err(|e| Error::Config {
            message: e.to_string(),
        })?;
        let token_limit_field = self
            .token_limit_field
            .unwrap_or_else(|| TokenLimitField::for_base_url(&base_url));
        Ok(LlmClient {
            http,
            endpoint: format!("{base}/chat/completions"),
            host,
            model: self.model.trim().to_owned(),
            api_key: self.api_key,
            temperature: self.temperature,
            max_tokens: self.max_tokens,
            reasoning_effort: self.reasoning_effort,
            timeout: self.timeout,
            learned: Arc::new(Learned {
                mode: AtomicU8::new(self.structured_output.to_u8()),
                temperature: AtomicBool::new(true),
                max_completion_tokens: AtomicBool::new(
                    token_limit_field == TokenLimitField::MaxCompletionTokens,
                ),
            }),
        })
    }
}

/// What the client learned about the server, shared by its clones: asked
/// again in a way the server refuses, it would only refuse again.
#[derive(Debug)]
struct Learned {
    mode: AtomicU8,
    /// Cleared when the model refused the temperature.
    temperature: AtomicBool,
    /// Which token limit field to send.
    max_completion_tokens: AtomicBool,
}

/// Asks an OpenAI-compatible chat completions server for movie suggestions.
///
/// Works with OpenAI (reasoning models included), Ollama, LM Studio,
/// llama.cpp, llama-cpp-python, vLLM, OpenRouter and Gemini's compatible
/// endpoint. It asks for structured output and steps down (JSON schema,
/// JSON object, plain text) when a server refuses it, drops a temperature
/// or swaps the token limit field a model refuses, and reads whatever
/// comes back with [`parse_suggestions`](crate::parse_suggestions). Clones
/// share the connection pool and what was learned.
#[derive(Clone)]
pub struct LlmClient {
    http: HttpClient,
    endpoint: String,
    host: String,
    model: String,
    /// Kept only to redact it from error bodies that echo it.
    api_key: Option<Secret>,
    temperature: Option<f32>,
    max_tokens: Option<u32>,
    reasoning_effort: Option<String>,
    timeout: Duration,
    learned: Arc<Learned>,
}

impl fmt::Debug for LlmClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LlmClient")
            .field("endpoint", &self.endpoint)
            .field("model", &self.model)
            .field("has_key", &self.api_key.is_some())
            .field("temperature", &self.temperature)
            .field("max_tokens", &self.max_tokens)
            .field("reasoning_effort", &self.reasoning_effort)
            .field("token_limit_field", &self.token_limit_field())
            .field("structured_output", &self.structured_output())
            .finish_non_exhaustive()
    }
}

/// What a refused request can be fixed by, read from the error body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fix {
    DropTemperature,
    SwapTokenField,
    StepDown,
    None,
}

/// A completion's text and whether it hit the token limit.
struct Completion {
    text: String,
    truncated: bool,
}

/// The most requests one completion may take (temperature, token field,
/// two step-downs, a doubled budget): a guard, never reached in practice.
const MAX_ADJUSTMENTS: usize = 8;

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

    /// The chat completions URL requests go to.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The structured-output mode the next request uses: where the client
    /// started, or the mode the server last accepted after refusing one.
    pub fn structured_output(&self) -> StructuredOutput {
        StructuredOutput::from_u8(self.learned.mode.load(Ordering::Relaxed))
    }

    /// The token limit field the next request uses.
    pub fn token_limit_field(&self) -> TokenLimitField {
        if self.learned.max_completion_tokens.load(Ordering::Relaxed) {
            TokenLimitField::MaxCompletionTokens
        } else {
            TokenLimitField::MaxTokens
        }
    }

    /// True when the temperature is sent (set, and not refused by the model).
    pub fn sends_temperature(&self) -> bool {
        self.temperature.is_some() && self.learned.temperature.load(Ordering::Relaxed)
    }

    /// The answer budget for `items` suggestions.
    fn budget(&self, items: usize) -> u32 {
        self.max_tokens.unwrap_or_else(|| {
            let headroom = if self.reasoning_effort.is_some() {
                REASONING_HEADROOM
            } else {
                0
            };
            tokens_for(items) + headroom
        })
    }

    /// The request body for `request`.
    fn body(&self, request: &ListsRequest, lists: &[(&str, MediaKind)], budget: u32) -> Value {
        let mut body = Map::new();
        body.insert("model".into(), json!(self.model));
        body.insert(
            "messages".into(),
            json!([
                {"role": "system", "content": system_message(lists)},
                {"role": "user", "content": user_message(request)},
            ]),
        );
        if let Some(temperature) = self.temperature.filter(|_| self.sends_temperature()) {
            body.insert("temperature".into(), json!(temperature));
        }
        body.insert(self.token_limit_field().as_str().into(), json!(budget));
        if let Some(effort) = &self.reasoning_effort {
            body.insert("reasoning_effort".into(), json!(effort));
        }
        if let Some(format) = response_format(self.structured_output(), lists) {
            body.insert("response_format".into(), format);
        }
        Value::Object(body)
    }

    /// Posts `body`, retrying as the policy says, except answers that
    /// waiting does not cure (no credit left, a daily limit) and a
    /// completion that timed out: sending it again would make the server
    /// start over, and a slow local model would take minutes more.
    async fn post(&self, body: &Value) -> Result<RawResponse> {
        // A completion that timed out is not sent again (the server would
        // start over; `ExpensiveRead`); each attempt has the whole timeout,
        // and the breaker counts the timeouts itself.
        let result = self
            .http
            .send_unless(
                OP_CHAT_COMPLETIONS,
                Safety::ExpensiveRead,
                |client| client.post(&self.endpoint).json(body),
                |response| {
                    let api = ApiError::from_body(&response.body);
                    api.is_quota() || is_usage_limit(&api, &response.body)
                },
            )
            .await;
        match result {
            Ok(response) => Ok(response),
            Err(error) if error.is_timeout() => Err(Error::Timeout {
                host: self.host.clone(),
                seconds: self.timeout.as_secs(),
            }),
            Err(error) => Err(Error::from(self.redact_http(error))),
        }
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

    /// What a refusal can be fixed by, judged by what its body says (not
    /// by its status alone): OpenAI's reasoning models name the parameter
    /// (`param: temperature`, `code: unsupported_value`; `param:
    /// max_tokens`, `code: unsupported_parameter`); servers that do not
    /// know structured output name `response_format`, the schema or their
    /// grammar, some with a 400 or 422 and llama-cpp-python with a 500.
    fn fix_for(&self, status: u16, api: &ApiError, body: &[u8]) -> Fix {
        let raw = String::from_utf8_lossy(body).to_lowercase();
        let param = api.param.as_deref().map(str::to_lowercase);
        let code = api.code.as_deref().unwrap_or_default();
        let unsupported = |field: &str| {
            param.as_deref() == Some(field)
                || (raw.contains(field)
                    && (matches!(code, "unsupported_value" | "unsupported_parameter")
                        || [
                            "unsupported",
                            "not supported",
                            "does not support",
                            "unrecognized",
                            "unknown",
                            "extra",
                        ]
                        .iter()
                        .any(|w| raw.contains(w))))
        };
        let client_error = matches!(status, 400 | 422);
        if client_error && self.sends_temperature() && unsupported("temperature") {
            return Fix::DropTemperature;
        }
        if client_error && unsupported(self.token_limit_field().as_str()) {
            return Fix::SwapTokenField;
        }
        let names_format = ["response_format", "json_schema", "schema", "grammar"]
            .iter()
            .any(|w| raw.contains(w));
        if matches!(status, 400 | 422 | 500 | 501) && names_format {
            return Fix::StepDown;
        }
        Fix::None
    }

    /// Maps an error answer to the error that explains it.
    fn status_error(&self, status: u16, api: ApiError, body: &[u8]) -> Error {
        let mut api = api;
        api.message = api.message.map(|m| self.redact(&m));
        api.code = api.code.map(|c| self.redact(&c));
        api.kind = api.kind.map(|k| self.redact(&k));
        let host = self.host.clone();
        let source = HttpError::Status {
            op: OP_CHAT_COMPLETIONS,
            status,
            // Redacted before it is cut, so no half key survives the cut.
            body: truncate_body(self.redact(&String::from_utf8_lossy(body)).as_bytes()),
        };
        let haystack = api.haystack();
        if api.is_quota() || status == 402 {
            return Error::QuotaExhausted { host, source };
        }
        if status == 429 && is_usage_limit(&api, body) {
            return Error::UsageLimit { host, source };
        }
        let model = self.model.to_lowercase();
        let names_model = matches!(api.code.as_deref(), Some("model_not_found"))
            || matches!(api.kind.as_deref(), Some("not_found_error"))
            || (status == 404
                && api
                    .message
                    .as_deref()
                    .is_some_and(|m| m.to_lowercase().contains(&model)));
        match status {
            401 | 403 => Error::Unauthorized { host, source },
            429 => Error::RateLimited { host, source },
            400 | 404 if names_model => Error::ModelNotFound {
                model: self.model.clone(),
                host,
                source,
            },
            404 => Error::EndpointNotFound { host, source },
            _ if haystack.contains("unexpected endpoint") => {
                Error::EndpointNotFound { host, source }
            }
            _ => Error::Api {
                status,
                message: api.message.as_deref().map_or_else(
                    || {
                        StatusCode::from_u16(status)
                            .ok()
                            .and_then(|s| s.canonical_reason())
                            .unwrap_or("error")
                            .to_owned()
                    },
                    first_line,
                ),
                code: api.code.or(api.kind),
                source,
            },
        }
    }

    /// The text of a successful answer, or why there is none.
    fn read_choice(&self, response: &RawResponse) -> Result<(String, Option<String>)> {
        let answer: ChatResponse = response
            .json(OP_CHAT_COMPLETIONS)
            .map_err(|e| self.redact_http(e))?;
        let Some(choice) = answer.choices.into_iter().next() else {
            return Err(Error::EmptyAnswer {
                finish_reason: None,
            });
        };
        let finish_reason = choice.finish_reason;
        let (text, refusal) = choice
            .message
            .map(|m| (m.text(), m.refusal))
            .unwrap_or_default();
        if let Some(refusal) = refusal.filter(|r| !r.trim().is_empty()) {
            return Err(Error::Refused {
                message: self.redact(&refusal),
            });
        }
        if text.trim().is_empty() && finish_reason.as_deref() == Some("content_filter") {
            return Err(Error::Refused {
                message: "the answer was blocked by the server's content filter".to_owned(),
            });
        }
        Ok((text, finish_reason))
    }

    /// One completion for `request`, adjusted and sent again as the
    /// server's refusals say, each lesson kept for later requests.
    async fn complete(&self, request: &ListsRequest) -> Result<Completion> {
        let lists: Vec<(&str, MediaKind)> = request
            .lists
            .iter()
            .map(|l| (l.name.as_str(), l.media))
            .collect();
        let mut budget = self.budget(request.lists.iter().map(|l| l.count).sum());
        let mut doubled = false;
        let mut swapped = false;
        let mut last_error = None;
        for _ in 0..MAX_ADJUSTMENTS {
            let mode = self.structured_output();
            let response = self.post(&self.body(request, &lists, budget)).await?;
            let embedded = if response.is_success() {
                ApiError::in_success_body(&response.body)
            } else {
                None
            };
            if response.is_success() && embedded.is_none() {
                let (text, finish_reason) = self.read_choice(&response)?;
                let truncated = finish_reason.as_deref() == Some("length");
                if text.trim().is_empty() {
                    // A reasoning model spent the whole budget thinking:
                    // once more with twice the room.
                    if truncated && !doubled {
                        doubled = true;
                        budget = budget.saturating_mul(2);
                        tracing::debug!(
                            op = OP_CHAT_COMPLETIONS,
                            budget,
                            "empty answer at the token limit, asking with a doubled budget"
                        );
                        continue;
                    }
                    return Err(Error::EmptyAnswer { finish_reason });
                }
                return Ok(Completion { text, truncated });
            }
            let (status, api) = match embedded {
                Some(api) => {
                    let status = api.status_code().unwrap_or_else(|| {
                        if api.haystack().contains("unexpected endpoint") {
                            404
                        } else {
                            502
                        }
                    });
                    (status, api)
                }
                None => (
                    response.status.as_u16(),
                    ApiError::from_body(&response.body),
                ),
            };
            let fix = self.fix_for(status, &api, &response.body);
            let why = api
                .message
                .as_deref()
                .map(|m| first_line(&self.redact(m)))
                .unwrap_or_default();
            match fix {
                Fix::DropTemperature => {
                    tracing::info!(op = OP_CHAT_COMPLETIONS, status, reason = %why, "the model refuses the temperature, asking again without it");
                    self.learned.temperature.store(false, Ordering::Relaxed);
                }
                Fix::SwapTokenField if !swapped => {
                    swapped = true;
                    let next = self.token_limit_field().other();
                    tracing::info!(op = OP_CHAT_COMPLETIONS, status, field = next.as_str(), reason = %why, "the server refuses the token limit field, asking with the other one");
                    self.learned.max_completion_tokens.store(
                        next == TokenLimitField::MaxCompletionTokens,
                        Ordering::Relaxed,
                    );
                }
                Fix::StepDown if mode.step_down().is_some() => {
                    let next = mode.step_down().unwrap_or(StructuredOutput::Text);
                    tracing::info!(op = OP_CHAT_COMPLETIONS, status, from = mode.as_str(), to = next.as_str(), reason = %why, "the server refuses this structured output, asking with the next mode");
                    // Only step down from where we are: a clone that
                    // already stepped further keeps its lesson.
                    let _ = self.learned.mode.compare_exchange(
                        mode.to_u8(),
                        next.to_u8(),
                        Ordering::Relaxed,
                        Ordering::Relaxed,
                    );
                }
                _ => return Err(self.status_error(status, api, &response.body)),
            }
            last_error = Some((status, api, response.body));
        }
        let (status, api, body) = last_error.unwrap_or((502, ApiError::default(), Vec::new()));
        Err(self.status_error(status, api, &body))
    }

    /// The exclusions for a request: the seed (with its year, so a
    /// namesake of another year stays a candidate) and the avoid list.
    fn exclusions(seed_title: &str, seed_year: Option<i32>, avoid: &[String]) -> Vec<String> {
        let mut exclude = vec![match seed_year {
            Some(year) => format!("{seed_title} ({year})"),
            None => seed_title.to_owned(),
        }];
        exclude.extend(avoid.iter().cloned());
        exclude
    }

    fn unparseable(&self, text: &str, truncated: bool) -> Error {
        Error::Unparseable {
            answer: self.redact(&text.chars().take(500).collect::<String>()),
            truncated,
        }
    }
}

/// True for a 429 that waiting minutes does not cure: a daily limit
/// (Gemini's `RESOURCE_EXHAUSTED`, OpenRouter's `free-models-per-day`).
fn is_usage_limit(api: &ApiError, body: &[u8]) -> bool {
    let raw = String::from_utf8_lossy(body).to_lowercase();
    let haystack = format!("{} {raw}", api.haystack());
    [
        "resource_exhausted",
        "per day",
        "per-day",
        "perday",
        "daily",
    ]
    .iter()
    .any(|w| haystack.contains(w))
}

/// The first non-empty line of a server's message, at most 300 characters:
/// some servers send a whole traceback.
fn first_line(message: &str) -> String {
    let line = message
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    let mut cut: String = line.chars().take(300).collect();
    if line.chars().count() > 300 {
        cut.push('…');
    }
    cut
}

#[async_trait]
impl Recommender for LlmClient {
    #[tracing::instrument(skip_all, fields(op = OP_CHAT_COMPLETIONS, kind = %request.kind, media = %request.media, n = request.count))]
    async fn suggest(&self, request: &SuggestionRequest) -> Result<Suggestions> {
        if request.count == 0 {
            return Ok(Suggestions::new(Vec::new()));
        }
        let lists = ListsRequest {
            seed: request.seed.clone(),
            lists: vec![
                ListSpec::new("suggestions", request.kind, request.count).with_media(request.media),
            ],
            avoid: request.avoid.clone(),
        };
        let completion = self.complete(&lists).await?;
        let exclude = Self::exclusions(&request.seed.title, request.seed.year, &request.avoid);
        let parsed = parse_suggestions_excluding(&completion.text, request.count, &exclude);
        if parsed.suggestions.is_empty() {
            return Err(self.unparseable(&completion.text, completion.truncated));
        }
        tracing::debug!(
            op = OP_CHAT_COMPLETIONS,
            n = parsed.suggestions.len(),
            path = %parsed.path,
            truncated = completion.truncated,
            "read suggestions"
        );
        Ok(Suggestions {
            items: parsed.suggestions,
            truncated: completion.truncated,
            parse_path: parsed.path,
        })
    }

    #[tracing::instrument(skip_all, fields(op = OP_CHAT_COMPLETIONS, lists = request.lists.len()))]
    async fn suggest_lists(&self, request: &ListsRequest) -> Result<Vec<ListAnswer>> {
        let wanted: Vec<&ListSpec> = request.lists.iter().filter(|l| l.count > 0).collect();
        if wanted.len() < 2 {
            let mut answers = Vec::new();
            for list in &request.lists {
                answers.push(ListAnswer {
                    name: list.name.clone(),
                    result: self.suggest(&request.single(list)).await,
                });
            }
            return Ok(answers);
        }
        let combined = ListsRequest {
            seed: request.seed.clone(),
            lists: wanted.iter().map(|l| (*l).clone()).collect(),
            avoid: request.avoid.clone(),
        };
        // An answer that reads as nothing is asked for list by list; an
        // error every list would meet (a bad key, a timeout) is not.
        let parsed = match self.complete(&combined).await {
            Ok(completion) => {
                let caps: Vec<(&str, usize)> =
                    wanted.iter().map(|l| (l.name.as_str(), l.count)).collect();
                let exclude =
                    Self::exclusions(&request.seed.title, request.seed.year, &request.avoid);
                let lists = parse_lists(&completion.text, &caps, &exclude);
                lists
                    .into_iter()
                    .zip(&wanted)
                    .map(|(parsed, list)| {
                        // A list the cut left mostly unwritten is asked
                        // for again on its own.
                        parsed
                            .filter(|p| {
                                !completion.truncated || p.suggestions.len() * 2 >= list.count
                            })
                            .map(|p| Suggestions {
                                items: p.suggestions,
                                truncated: completion.truncated,
                                parse_path: p.path,
                            })
                    })
                    .collect()
            }
            Err(
                error @ (Error::EmptyAnswer { .. }
                | Error::Unparseable { .. }
                | Error::Refused { .. }),
            ) => {
                tracing::debug!(op = OP_CHAT_COMPLETIONS, %error, "the combined answer held no list, asking for each");
                vec![None; wanted.len()]
            }
            Err(error) => return Err(error),
        };
        let mut answers = Vec::with_capacity(request.lists.len());
        for list in &request.lists {
            let found = wanted
                .iter()
                .position(|w| w.name == list.name)
                .and_then(|at| parsed.get(at).cloned().flatten());
            let result = match found {
                Some(suggestions) => Ok(suggestions),
                None if list.count == 0 => Ok(Suggestions::new(Vec::new())),
                None => {
                    tracing::debug!(op = OP_CHAT_COMPLETIONS, list = %list.name, "the combined answer lacks this list, asking for it alone");
                    self.suggest(&request.single(list)).await
                }
            };
            answers.push(ListAnswer {
                name: list.name.clone(),
                result,
            });
        }
        Ok(answers)
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
            client.endpoint(),
            "https://api.openai.com/v1/chat/completions"
        );
        assert_eq!(
            client.token_limit_field(),
            TokenLimitField::MaxCompletionTokens
        );
        assert_eq!(client.host(), "api.openai.com");
        let client = LlmClient::builder(OLLAMA_BASE_URL, "llama3.1")
            .build()
            .unwrap();
        assert_eq!(client.host(), "localhost:11434");
        assert_eq!(client.token_limit_field(), TokenLimitField::MaxTokens);
        // A bare host gets /v1; another path is kept as given.
        for (base, endpoint) in [
            (
                "http://localhost:11434",
                "http://localhost:11434/v1/chat/completions",
            ),
            (
                "http://127.0.0.1:8080/",
                "http://127.0.0.1:8080/v1/chat/completions",
            ),
            (
                GEMINI_BASE_URL,
                "https://generativelanguage.googleapis.com/v1beta/openai/chat/completions",
            ),
            (
                "https://proxy.example/llm/v1",
                "https://proxy.example/llm/v1/chat/completions",
            ),
        ] {
            let client = LlmClient::builder(base, "m").build().unwrap();
            assert_eq!(client.endpoint(), endpoint, "{base}");
        }

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
