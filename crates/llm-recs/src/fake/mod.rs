//! A fake OpenAI-compatible chat completions server (feature `fake`).
//!
//! [`FakeLlm`] answers `POST /chat/completions` (and `/v1/chat/completions`)
//! the way real servers do, in the [`AnswerStyle`] you choose: strict JSON,
//! fenced JSON, a numbered list, prose around a list, a 400 for
//! `response_format`, a cut-off answer, a refusal, an empty answer. Errors
//! come from [`LlmFault`]s queued with [`FakeLlm::fail_next`] (rate limits
//! with `Retry-After`, exhausted quota, bad key...) or from the shared
//! [`Faults`] (any status, or a hang past the client's timeout).
//!
//! What it suggests: a script for the seed title and kind, when one was
//! given with [`FakeLlm::script`] (or [`FakeLlm::script_shows`] for lists
//! of series); otherwise titles picked deterministically from the film or
//! the series catalogue, leaving out every title the request mentions (the
//! seed, the avoid list). The seed is recognised in the user message (the
//! `The movie: Title (Year)` or `The TV series: Title (Year)` line
//! `LlmClient` writes, or else any scripted title the message contains); a
//! message that speaks of a "palate cleanser" is a contrast request;
//! "exactly N" sets the count (default 10). A list is of series when the
//! JSON schema gives its items a `first_air_year`, or, without a schema,
//! when the sentence asking for it speaks of "TV series"; series are
//! answered under `first_air_year` in JSON and with their year range
//! (`Breaking Bad (2008–2013)`) in lines, as models write them.
//!
//! ```no_run
//! use llm_recs::fake::{FakeLlm, FakeLlmSeed};
//! use llm_recs::{Recommender, SeedMovie, Suggestion, SuggestionKind, SuggestionRequest};
//!
//! # async fn demo() -> llm_recs::Result<()> {
//! let fake = FakeLlm::start(FakeLlmSeed::demo()).await;
//! fake.script("Heat", SuggestionKind::Similar, vec![Suggestion::new("Thief", Some(1981))]);
//! let client = fake.client_builder("fake-model").build()?;
//! let answer = client
//!     .suggest(&SuggestionRequest::similar(SeedMovie::new("Heat").with_year(1995), 5))
//!     .await?;
//! assert_eq!(answer.items[0].title, "Thief");
//! assert_eq!(fake.request_count(), 1);
//! # Ok(())
//! # }
//! ```

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use curator_http::fake::{FaultEffect, Faults, header, json};
use curator_http::{RequestStats, RetryPolicy};
use serde_json::{Value, json};
use wiremock::{MockServer, Request, Respond, ResponseTemplate};

use crate::api::{MediaKind, MediaKindExt, Suggestion, SuggestionKind};
use crate::client::{LlmClient, LlmClientBuilder, OP_CHAT_COMPLETIONS};

/// The operation name the fake counts `GET /models` under.
pub const OP_MODELS: &str = "llm.models";
/// The operation name the fake counts requests to unknown paths under.
pub const OP_UNKNOWN: &str = "llm.unknown";

/// How the fake answers a chat completion, imitating a kind of server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum AnswerStyle {
    /// `{"suggestions": [...]}` as the content, as OpenAI does with a schema.
    #[default]
    StrictJson,
    /// The JSON inside a ```` ```json ```` fence after a line of prose, as
    /// small local models often do.
    FencedJson,
    /// `1. Title (Year) - reason` lines.
    NumberedList,
    /// Ignores `response_format`: a chatty sentence, a bulleted list with
    /// bold titles, a sign-off.
    ProseAndList,
    /// Answers 400 to any request carrying `response_format`, and a
    /// numbered list to the others (older llama.cpp or proxy servers).
    RejectsResponseFormat,
    /// The JSON cut off in the middle of the last item, with
    /// `finish_reason: "length"`.
    Truncated,
    /// No content, a `refusal` instead.
    Refusal,
    /// An empty content string.
    Empty,
}

/// A real server the fake imitates: what it accepts and refuses, and how
/// it says so. Each profile is what we know about that server, in one
/// place (sources in each variant's docs); [`FakeLlm::behaves_like`] sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ServerProfile {
    /// OpenAI with a chat model: takes everything we send.
    #[default]
    OpenAi,
    /// OpenAI with a reasoning model (o-series, gpt-5): 400 `param:
    /// temperature`, `code: unsupported_value` for any temperature; 400
    /// `param: max_tokens`, `code: unsupported_parameter` for `max_tokens`
    /// (OpenAI API reference: `max_tokens` is deprecated and not compatible
    /// with o-series models); reasoning tokens count against
    /// `max_completion_tokens`, so a small budget gives empty content with
    /// `finish_reason: "length"`.
    OpenAiReasoning,
    /// llama-cpp-python's server: 500 with a validation error naming
    /// `response_format` for `json_schema` (its `response_format.type` is
    /// `text` or `json_object`, the latter with an optional `schema`,
    /// turned into a grammar). Seen on a real server.
    LlamaCppPython,
    /// A proxy that knows no `response_format` at all: 400 naming it, for
    /// any type.
    NoResponseFormat,
    /// LM Studio on a path without `/v1`: 200 with
    /// `{"error": "Unexpected endpoint or method. (POST /chat/completions)"}`.
    LmStudio,
    /// vLLM's older error shape: a top-level
    /// `{"object": "error", "message", "type", "param", "code"}`.
    Vllm,
    /// A reasoning template served without a reasoning parser: the content
    /// is the model's thinking, a lone `</think>`, then the answer.
    ThinkTemplate,
}

/// Reasoning tokens the [`ServerProfile::OpenAiReasoning`] fake spends
/// before it writes anything.
pub const FAKE_REASONING_TOKENS: u64 = 6000;

/// A script's key: the seed title (lowercase), the kind and the media of
/// the list it answers.
type ScriptKey = (String, SuggestionKind, MediaKind);

/// An error answer the fake can be told to give.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LlmFault {
    /// 429 `rate_limit_exceeded` with `Retry-After: <secs>`.
    RateLimited {
        /// The `Retry-After` value, in seconds.
        retry_after_secs: u64,
    },
    /// 429 `insufficient_quota`: the account has no credit.
    QuotaExhausted,
    /// 401 `invalid_api_key`.
    Unauthorized,
    /// 404 `model_not_found`.
    ModelNotFound,
    /// This status with an OpenAI-style error body.
    Status(u16),
    /// Gemini's daily free-tier limit: 429, a one-element array holding
    /// `{"error": {"code": 429, "status": "RESOURCE_EXHAUSTED", ...}}`.
    GeminiDailyQuota,
    /// OpenRouter's per-day limit on free models: 429
    /// `Rate limit exceeded: free-models-per-day`.
    OpenRouterDailyLimit,
    /// 200 with an OpenRouter-style error body and no `choices`.
    ErrorIn200 {
        /// The `error.code` (OpenRouter puts an HTTP status there).
        code: u16,
    },
    /// 500 whose message is a multi-line Python traceback.
    Traceback,
}

/// A request the fake received.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedRequest {
    /// The path, such as `/v1/chat/completions`.
    pub path: String,
    /// The `Authorization` header, when sent.
    pub authorization: Option<String>,
    /// The JSON body (`Value::Null` when it was not JSON).
    pub body: Value,
}

impl RecordedRequest {
    /// The content of the message with this role (`"system"`, `"user"`).
    pub fn message(&self, role: &str) -> Option<&str> {
        self.body["messages"]
            .as_array()?
            .iter()
            .find(|m| m["role"] == role)?["content"]
            .as_str()
    }
}

/// What the fake starts with.
#[derive(Debug, Clone, Default)]
pub struct FakeLlmSeed {
    /// The key requests must carry as `Authorization: Bearer <key>`; with
    /// `None`, any or no key is accepted (like Ollama).
    pub api_key: Option<String>,
    /// The models the server knows; empty means any model.
    pub models: Vec<String>,
    /// Films to suggest from when no script matches.
    pub catalogue: Vec<(String, i32)>,
    /// Series to suggest from when no script matches: title, first-air
    /// year, and last-air year (`None` while it runs).
    pub shows: Vec<(String, i32, Option<i32>)>,
    /// How answers look.
    pub style: AnswerStyle,
}

impl FakeLlmSeed {
    /// An empty seed: any key, any model, no catalogue, strict JSON.
    pub fn new() -> Self {
        Self::default()
    }

    /// A seed with small catalogues of well-known films and series, for
    /// demos.
    pub fn demo() -> Self {
        Self::new()
            .with_catalogue(DEMO_CATALOGUE.iter().map(|(t, y)| ((*t).to_owned(), *y)))
            .with_shows(
                DEMO_SHOWS
                    .iter()
                    .map(|(t, first, last)| ((*t).to_owned(), *first, *last)),
            )
    }

    /// Requires this key.
    #[must_use]
    pub fn with_api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// Knows only these models.
    #[must_use]
    pub fn with_models<I, S>(mut self, models: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.models = models.into_iter().map(Into::into).collect();
        self
    }

    /// Suggests from these `(title, year)` pairs.
    #[must_use]
    pub fn with_catalogue<I, S>(mut self, catalogue: I) -> Self
    where
        I: IntoIterator<Item = (S, i32)>,
        S: Into<String>,
    {
        self.catalogue = catalogue.into_iter().map(|(t, y)| (t.into(), y)).collect();
        self
    }

    /// Suggests series from these `(title, first-air year, last-air year)`
    /// triples (`None` for a series still running).
    #[must_use]
    pub fn with_shows<I, S>(mut self, shows: I) -> Self
    where
        I: IntoIterator<Item = (S, i32, Option<i32>)>,
        S: Into<String>,
    {
        self.shows = shows
            .into_iter()
            .map(|(t, first, last)| (t.into(), first, last))
            .collect();
        self
    }

    /// Answers in this style.
    #[must_use]
    pub fn with_style(mut self, style: AnswerStyle) -> Self {
        self.style = style;
        self
    }
}

/// Well-known films across genres, decades and countries.
const DEMO_CATALOGUE: [(&str, i32); 40] = [
    ("Heat", 1995),
    ("Thief", 1981),
    ("Ronin", 1998),
    ("Collateral", 2004),
    ("Le Samouraï", 1967),
    ("Drive", 2011),
    ("Sicario", 2015),
    ("The Insider", 1999),
    ("Memories of Murder", 2003),
    ("Oldboy", 2003),
    ("Arrival", 2016),
    ("Stalker", 1979),
    ("Solaris", 1972),
    ("Moon", 2009),
    ("Blade Runner", 1982),
    ("Ex Machina", 2014),
    ("Paddington 2", 2017),
    ("Amélie", 2001),
    ("Singin' in the Rain", 1952),
    ("The Grand Budapest Hotel", 2014),
    ("My Neighbor Totoro", 1988),
    ("Some Like It Hot", 1959),
    ("Little Miss Sunshine", 2006),
    ("School of Rock", 2003),
    ("Chungking Express", 1994),
    ("In the Mood for Love", 2000),
    ("Parasite", 2019),
    ("Spirited Away", 2001),
    ("The Big Lebowski", 1998),
    ("Groundhog Day", 1993),
    ("Mad Max: Fury Road", 2015),
    ("The Thing", 1982),
    ("Alien", 1979),
    ("Before Sunrise", 1995),
    ("Paterson", 2016),
    ("Hunt for the Wilderpeople", 2016),
    ("Seven Samurai", 1954),
    ("City of God", 2002),
    ("Pan's Labyrinth", 2006),
    ("The Princess Bride", 1987),
];

/// Well-known series across genres, decades and countries: title, year
/// first aired, year last aired (`None` while running).
const DEMO_SHOWS: [(&str, i32, Option<i32>); 34] = [
    ("Breaking Bad", 2008, Some(2013)),
    ("Better Call Saul", 2015, Some(2022)),
    ("The Wire", 2002, Some(2008)),
    ("The Sopranos", 1999, Some(2007)),
    ("Mad Men", 2007, Some(2015)),
    ("True Detective", 2014, None),
    ("Fargo", 2014, None),
    ("Ozark", 2017, Some(2022)),
    ("Narcos", 2015, Some(2017)),
    ("Mindhunter", 2017, Some(2019)),
    ("Severance", 2022, None),
    ("Succession", 2018, Some(2023)),
    ("Chernobyl", 2019, Some(2019)),
    ("Dark", 2017, Some(2020)),
    ("The Bridge", 2011, Some(2018)),
    ("Broadchurch", 2013, Some(2017)),
    ("Slow Horses", 2022, None),
    ("Mr. Robot", 2015, Some(2019)),
    ("The Leftovers", 2014, Some(2017)),
    ("Twin Peaks", 1990, Some(1991)),
    ("Battlestar Galactica", 2004, Some(2009)),
    ("Sherlock", 2010, Some(2017)),
    ("Game of Thrones", 2011, Some(2019)),
    ("The Crown", 2016, Some(2023)),
    ("The Office (US)", 2005, Some(2013)),
    ("Parks and Recreation", 2009, Some(2015)),
    ("Schitt's Creek", 2015, Some(2020)),
    ("Fleabag", 2016, Some(2019)),
    ("The Good Place", 2016, Some(2020)),
    ("Brooklyn Nine-Nine", 2013, Some(2021)),
    ("Derry Girls", 2018, Some(2022)),
    ("Bluey", 2018, None),
    ("Friends", 1994, Some(2004)),
    ("Seinfeld", 1989, Some(1998)),
];

#[derive(Debug, Default)]
struct State {
    api_key: Option<String>,
    models: Vec<String>,
    catalogue: Vec<(String, i32)>,
    shows: Vec<(String, i32, Option<i32>)>,
    style: AnswerStyle,
    profile: ServerProfile,
    /// Per seed, kind and media, one or more scripted lists (see
    /// [`FakeLlm::script`]).
    scripts: HashMap<ScriptKey, Vec<Vec<Suggestion>>>,
    failures: VecDeque<LlmFault>,
    requests: Vec<RecordedRequest>,
    completions: u64,
}

/// A running fake chat completions server. Stops when dropped.
#[derive(Debug)]
pub struct FakeLlm {
    server: MockServer,
    state: Arc<Mutex<State>>,
    stats: RequestStats,
    faults: Faults,
}

impl FakeLlm {
    /// Starts a server on a free local port.
    pub async fn start(seed: FakeLlmSeed) -> Self {
        let state = Arc::new(Mutex::new(State {
            api_key: seed.api_key,
            models: seed.models,
            catalogue: seed.catalogue,
            shows: seed.shows,
            style: seed.style,
            ..State::default()
        }));
        let stats = RequestStats::new();
        let faults = Faults::new();
        let server = curator_http::fake::serve(
            "fake llm",
            Responder {
                state: Arc::clone(&state),
                stats: stats.clone(),
                faults: faults.clone(),
            },
        )
        .await;
        Self {
            server,
            state,
            stats,
            faults,
        }
    }

    /// The server's root, such as `http://127.0.0.1:41234`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The base URL to give a client: [`uri`](Self::uri) + `/v1`.
    pub fn base_url(&self) -> String {
        format!("{}/v1", self.server.uri())
    }

    /// A client builder pointed at this server, with its key (if it needs
    /// one) and a retry policy of a few milliseconds.
    pub fn client_builder(&self, model: &str) -> LlmClientBuilder {
        let key = self.lock().api_key.clone();
        let builder = LlmClient::builder(self.base_url(), model).retry(RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(2),
            max_delay: Duration::from_millis(10),
            max_retry_after: Duration::from_millis(10),
        });
        match key {
            Some(key) => builder.api_key(key),
            None => builder,
        }
    }

    /// Requests received per operation ([`OP_CHAT_COMPLETIONS`],
    /// [`OP_MODELS`], [`OP_UNKNOWN`]).
    pub fn stats(&self) -> &RequestStats {
        &self.stats
    }

    /// Generic faults (any status, or a hang) for the next requests to an
    /// operation.
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    /// Chat completion requests received, failed ones included.
    pub fn request_count(&self) -> u64 {
        self.stats.count(OP_CHAT_COMPLETIONS)
    }

    /// Chat completions answered with suggestions (status 200).
    pub fn completions(&self) -> u64 {
        self.lock().completions
    }

    /// Every request received, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.lock().requests.clone()
    }

    /// The last request received.
    pub fn last_request(&self) -> Option<RecordedRequest> {
        self.lock().requests.last().cloned()
    }

    /// Forgets the recorded requests and counters.
    pub fn clear_requests(&self) {
        self.lock().requests.clear();
        self.stats.reset();
    }

    /// Answers requests for `seed_title` and `kind` with these suggestions
    /// (as they are: not filtered, not capped).
    ///
    /// Several lists can be scripted for one seed and kind, of different
    /// lengths: a request for N suggestions gets the shortest list holding
    /// at least N (else the longest), so a short "similar" request and a
    /// long one for the same movie can have answers of their own. A list of
    /// the same length as one already scripted replaces it.
    pub fn script(&self, seed_title: &str, kind: SuggestionKind, suggestions: Vec<Suggestion>) {
        self.script_media(seed_title, kind, MediaKind::Movie, suggestions);
    }

    /// Like [`script`](Self::script), for lists of TV series: answers the
    /// series lists of requests for `seed_title` (a series or a movie) and
    /// `kind`, and only those.
    pub fn script_shows(
        &self,
        seed_title: &str,
        kind: SuggestionKind,
        suggestions: Vec<Suggestion>,
    ) {
        self.script_media(seed_title, kind, MediaKind::Show, suggestions);
    }

    fn script_media(
        &self,
        seed_title: &str,
        kind: SuggestionKind,
        media: MediaKind,
        suggestions: Vec<Suggestion>,
    ) {
        let mut state = self.lock();
        let lists = state
            .scripts
            .entry((seed_title.trim().to_lowercase(), kind, media))
            .or_default();
        lists.retain(|l| l.len() != suggestions.len());
        lists.push(suggestions);
        lists.sort_by_key(Vec::len);
    }

    /// Makes the fake behave like this real server from now on.
    pub fn behaves_like(&self, profile: ServerProfile) -> &Self {
        self.lock().profile = profile;
        self
    }

    /// Changes how answers look.
    pub fn set_style(&self, style: AnswerStyle) {
        self.lock().style = style;
    }

    /// Changes the key requests must carry (`None`: any).
    pub fn set_api_key(&self, key: Option<&str>) {
        self.lock().api_key = key.map(str::to_owned);
    }

    /// The next `times` chat completion requests fail with `fault`.
    pub fn fail_next(&self, fault: LlmFault, times: usize) {
        self.lock()
            .failures
            .extend(std::iter::repeat_n(fault, times));
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

struct Responder {
    state: Arc<Mutex<State>>,
    stats: RequestStats,
    faults: Faults,
}

impl Respond for Responder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let path = request.url.path().trim_end_matches('/');
        let path = path.strip_prefix("/v1").unwrap_or(path);
        let op = match (request.method.as_str(), path) {
            ("POST", "/chat/completions") => OP_CHAT_COMPLETIONS,
            ("GET", "/models") => OP_MODELS,
            _ => OP_UNKNOWN,
        };
        self.stats.record(op);
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let authorization = header(request, "authorization");
        if op == OP_CHAT_COMPLETIONS {
            state.requests.push(RecordedRequest {
                path: request.url.path().to_owned(),
                authorization: authorization.clone(),
                body: serde_json::from_slice(&request.body).unwrap_or(Value::Null),
            });
        }
        let mut delay = None;
        match self.faults.take(op).map(|fault| fault.apply()) {
            Some(FaultEffect::Respond(template)) => return template,
            Some(FaultEffect::Delay(wait)) => delay = Some(wait),
            None => {}
        }
        let on_v1 = request.url.path().starts_with("/v1/");
        let answer = match op {
            _ if state.profile == ServerProfile::LmStudio && (!on_v1 || op == OP_UNKNOWN) => json(
                200,
                &json!({"error": format!(
                    "Unexpected endpoint or method. ({} {})",
                    request.method,
                    request.url.path()
                )}),
            ),
            OP_UNKNOWN => ResponseTemplate::new(404).set_body_string("404 page not found"),
            _ if !key_ok(state.api_key.as_deref(), authorization.as_deref()) => {
                fault_answer(state.profile, &LlmFault::Unauthorized, "")
            }
            OP_MODELS => {
                let data: Vec<Value> = state
                    .models
                    .iter()
                    .map(|id| json!({"id": id, "object": "model", "owned_by": "fake"}))
                    .collect();
                json(200, &json!({"object": "list", "data": data}))
            }
            _ => chat_completion(&mut state, request),
        };
        match delay {
            Some(wait) => answer.set_delay(wait),
            None => answer,
        }
    }
}

fn key_ok(expected: Option<&str>, authorization: Option<&str>) -> bool {
    match expected {
        None => true,
        Some(key) => authorization.and_then(|h| h.strip_prefix("Bearer ")) == Some(key),
    }
}

/// An error answer in the shape the profile's server uses.
fn error_answer(
    profile: ServerProfile,
    status: u16,
    message: &str,
    kind: &str,
    code: Option<&str>,
    param: Option<&str>,
) -> ResponseTemplate {
    let body = match profile {
        ServerProfile::Vllm => json!({
            "object": "error", "message": message, "type": kind, "param": param, "code": status,
        }),
        _ => json!({"error": {"message": message, "type": kind, "param": param, "code": code}}),
    };
    json(status, &body)
}

fn fault_answer(profile: ServerProfile, fault: &LlmFault, model: &str) -> ResponseTemplate {
    let plain = |status, message: &str, kind, code| {
        error_answer(profile, status, message, kind, code, None)
    };
    match fault {
        LlmFault::RateLimited { retry_after_secs } => plain(
            429,
            "Rate limit reached for requests per minute. Please try again shortly.",
            "requests",
            Some("rate_limit_exceeded"),
        )
        .insert_header("retry-after", retry_after_secs.to_string().as_str()),
        LlmFault::QuotaExhausted => plain(
            429,
            "You exceeded your current quota, please check your plan and billing details.",
            "insufficient_quota",
            Some("insufficient_quota"),
        ),
        LlmFault::Unauthorized => plain(
            401,
            "Incorrect API key provided.",
            "invalid_request_error",
            Some("invalid_api_key"),
        ),
        LlmFault::ModelNotFound => plain(
            404,
            &format!("The model `{model}` does not exist or you do not have access to it."),
            "invalid_request_error",
            Some("model_not_found"),
        ),
        LlmFault::Status(status) => plain(
            *status,
            &format!("The server had an error ({status})."),
            "server_error",
            None,
        ),
        LlmFault::GeminiDailyQuota => json(
            429,
            &json!([{"error": {
                "code": 429,
                "message": "You exceeded your current quota, please check your plan and billing details. Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 50",
                "status": "RESOURCE_EXHAUSTED",
                "details": [{"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": [{"quotaId": "GenerateRequestsPerDayPerProjectPerModel-FreeTier"}]}]
            }}]),
        ),
        LlmFault::OpenRouterDailyLimit => json(
            429,
            &json!({"error": {
                "message": "Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free model requests per day",
                "code": 429,
                "metadata": {"headers": {"X-RateLimit-Limit": "50", "X-RateLimit-Remaining": "0"}}
            }}),
        ),
        LlmFault::ErrorIn200 { code } => json(
            200,
            &json!({"error": {"message": "Provider returned error", "code": code, "metadata": {"provider_name": "Fake"}}}),
        ),
        LlmFault::Traceback => plain(
            500,
            "Traceback (most recent call last):\n  File \"server.py\", line 12, in handle\n    raise RuntimeError('boom')\nRuntimeError: boom",
            "internal_server_error",
            None,
        ),
    }
}

/// One list a request asks for.
#[derive(Debug, Clone)]
struct AskedList {
    /// Its key, `None` for a single-list request (answered under
    /// `suggestions`).
    name: Option<String>,
    kind: SuggestionKind,
    media: MediaKind,
    count: usize,
}

/// The lists a request asks for: one `- "name": exactly N films ...` line
/// per list, or else one list ("palate cleanser" makes it a contrast list,
/// "exactly N" sets the count, default 10). A list is of series when the
/// request's JSON schema gives its items a `first_air_year`; without a
/// schema, when the sentence asking for it speaks of TV series.
fn asked_lists(user: &str, body: &Value) -> Vec<AskedList> {
    let kind_of = |lower: &str| {
        if lower.contains("palate cleanser") {
            SuggestionKind::Contrast
        } else {
            SuggestionKind::Similar
        }
    };
    let media_of = |name: &str, sentence: &str| {
        schema_media(body, name).unwrap_or_else(|| {
            if ["tv series", "tv show", "television series"]
                .iter()
                .any(|w| sentence.contains(w))
            {
                MediaKind::Show
            } else {
                MediaKind::Movie
            }
        })
    };
    let named: Vec<AskedList> = user
        .lines()
        .filter_map(|line| {
            let rest = line.trim().strip_prefix("- \"")?;
            let (name, rest) = rest.split_once('"')?;
            let rest = rest.strip_prefix(':')?.to_lowercase();
            let count = requested_count(&rest)?;
            Some(AskedList {
                name: Some(name.to_owned()),
                kind: kind_of(&rest),
                media: media_of(name, &rest),
                count,
            })
        })
        .collect();
    if !named.is_empty() {
        return named;
    }
    let lower = user.to_lowercase();
    // The sentence that asks, not the seed line: a series seed may ask
    // for films.
    let asking = lower
        .lines()
        .find(|l| l.trim_start().starts_with("suggest"))
        .unwrap_or(&lower);
    vec![AskedList {
        name: None,
        kind: kind_of(&lower),
        media: media_of("suggestions", asking),
        count: requested_count(&lower).unwrap_or(10),
    }]
}

/// What the request's schema (`json_schema` or llama.cpp's `json_object`
/// with a `schema`) says list `name` holds, when it says.
fn schema_media(body: &Value, name: &str) -> Option<MediaKind> {
    let format = body.get("response_format")?;
    let schema = format
        .pointer("/json_schema/schema")
        .or_else(|| format.get("schema"))?;
    let item = schema.pointer(&format!("/properties/{name}/items/properties"))?;
    Some(if item.get(MediaKind::Show.year_field()).is_some() {
        MediaKind::Show
    } else {
        MediaKind::Movie
    })
}

/// The refusal the profile's server gives this request, if any.
fn refusal(profile: ServerProfile, style: AnswerStyle, body: &Value) -> Option<ResponseTemplate> {
    let format = body
        .get("response_format")
        .filter(|f| !f.is_null())
        .map(|f| f["type"].as_str().unwrap_or_default().to_owned());
    if let Some(format) = &format {
        if style == AnswerStyle::RejectsResponseFormat || profile == ServerProfile::NoResponseFormat
        {
            return Some(error_answer(
                profile,
                400,
                &format!("'response_format' of type '{format}' is not supported by this server"),
                "invalid_request_error",
                None,
                Some("response_format"),
            ));
        }
        if profile == ServerProfile::LlamaCppPython && format != "text" && format != "json_object" {
            // The body llama-cpp-python 0.3.36's server sent us (its error
            // handler wraps the validation error and a traceback).
            return Some(error_answer(
                profile,
                500,
                &format!(
                    "1 validation error:\n  {{'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), 'msg': \"Input should be 'text' or 'json_object'\", 'input': '{format}', 'ctx': {{'expected': \"'text' or 'json_object'\"}}}}\n\n  File \"llama_cpp/server/app.py\", line 376, in create_chat_completion\n    POST /v1/chat/completions"
                ),
                "internal_server_error",
                None,
                None,
            ));
        }
    }
    if profile == ServerProfile::OpenAiReasoning {
        if let Some(t) = body.get("temperature").and_then(Value::as_f64)
            && (t - 1.0).abs() > f64::EPSILON
        {
            return Some(error_answer(
                profile,
                400,
                &format!(
                    "Unsupported value: 'temperature' does not support {t} with this model. Only the default (1) value is supported."
                ),
                "invalid_request_error",
                Some("unsupported_value"),
                Some("temperature"),
            ));
        }
        if body.get("max_tokens").is_some() {
            return Some(error_answer(
                profile,
                400,
                "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
                "invalid_request_error",
                Some("unsupported_parameter"),
                Some("max_tokens"),
            ));
        }
    }
    None
}

fn chat_completion(state: &mut State, request: &Request) -> ResponseTemplate {
    let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
        return error_answer(
            state.profile,
            400,
            "We could not parse the JSON body of your request.",
            "invalid_request_error",
            None,
            None,
        );
    };
    let model = body["model"].as_str().unwrap_or_default().to_owned();
    if let Some(fault) = state.failures.pop_front() {
        return fault_answer(state.profile, &fault, &model);
    }
    if model.is_empty() || (!state.models.is_empty() && !state.models.contains(&model)) {
        return fault_answer(state.profile, &LlmFault::ModelNotFound, &model);
    }
    let user = body["messages"]
        .as_array()
        .and_then(|messages| messages.iter().rev().find(|m| m["role"] == "user"))
        .and_then(|m| m["content"].as_str())
        .unwrap_or_default()
        .to_owned();
    if let Some(refused) = refusal(state.profile, state.style, &body) {
        return refused;
    }
    let lists = asked_lists(&user, &body);
    let picked: Vec<Picked> = lists
        .iter()
        .map(|list| Picked {
            name: list.name.clone(),
            media: list.media,
            items: suggestions_for(state, &user, list.kind, list.media, list.count),
        })
        .collect();
    let (mut content, mut finish_reason, refusal) = render(state.style, &picked, &state.shows);
    let budget = body
        .get("max_completion_tokens")
        .or_else(|| body.get("max_tokens"))
        .and_then(Value::as_u64)
        .unwrap_or(u64::MAX);
    let needed = content.as_deref().map_or(0, |c| c.len() as u64 / 4);
    if state.profile == ServerProfile::OpenAiReasoning
        && budget < FAKE_REASONING_TOKENS.saturating_add(needed)
    {
        // The budget went on thinking; nothing was written.
        content = Some(String::new());
        finish_reason = "length";
    }
    if state.profile == ServerProfile::ThinkTemplate {
        content = content.map(|c| {
            format!("Okay, the user wants films like this one. {{\"title\": \"Not A Pick\"}} Let me think.\n</think>\n\n{c}")
        });
    }
    state.completions += 1;
    let completion_tokens = content.as_deref().map_or(0, |c| c.len() / 4);
    json(
        200,
        &json!({
            "id": format!("chatcmpl-fake-{}", state.completions),
            "object": "chat.completion",
            "created": 1_767_225_600,
            "model": model,
            "choices": [{
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": refusal},
                "logprobs": null,
                "finish_reason": finish_reason,
            }],
            "usage": {
                "prompt_tokens": user.len() / 4,
                "completion_tokens": completion_tokens,
                "total_tokens": user.len() / 4 + completion_tokens,
            },
        }),
    )
}

/// The suggestions of `kind` and `media` for a user message: the script
/// for its seed, kind and media, or picks from the film or series catalogue.
fn suggestions_for(
    state: &State,
    user: &str,
    kind: SuggestionKind,
    media: MediaKind,
    count: usize,
) -> Vec<Suggestion> {
    let lower = user.to_lowercase();
    let seed = seed_line(user).map(|s| s.to_lowercase());
    let pick = |lists: &Vec<Vec<Suggestion>>| {
        lists
            .iter()
            .find(|l| l.len() >= count)
            .or_else(|| lists.last())
            .cloned()
            .unwrap_or_default()
    };
    if let Some(seed) = &seed
        && let Some(lists) = state.scripts.get(&(seed.clone(), kind, media))
    {
        return pick(lists);
    }
    // Any scripted title the message mentions, the longest first ("Heat 2"
    // before "Heat").
    let mut scripted: Vec<&ScriptKey> = state
        .scripts
        .keys()
        .filter(|(title, k, m)| *k == kind && *m == media && lower.contains(title.as_str()))
        .collect();
    scripted.sort_by_key(|(title, _, _)| std::cmp::Reverse(title.len()));
    if let Some(key) = scripted.first() {
        return pick(&state.scripts[*key]);
    }
    let catalogue: Vec<(String, i32)> = match media {
        MediaKind::Movie => state.catalogue.clone(),
        MediaKind::Show => state
            .shows
            .iter()
            .map(|(title, first, _)| (title.clone(), *first))
            .collect(),
    };
    if catalogue.is_empty() || count == 0 {
        return Vec::new();
    }
    let start = (fnv1a(&format!("{}/{kind}", seed.as_deref().unwrap_or(&lower)))
        % catalogue.len() as u64) as usize;
    catalogue
        .iter()
        .cycle()
        .skip(start)
        .take(catalogue.len())
        .filter(|(title, year)| !mentions(&lower, title, *year))
        .take(count)
        .map(|(title, year)| {
            Suggestion::new(title.clone(), Some(*year)).with_reason(match kind {
                SuggestionKind::Similar => "Shares the mood and themes.",
                SuggestionKind::Contrast => "A complete change of pace.",
            })
        })
        .collect()
}

/// The title on the `The movie: Title (Year)` (or `The TV series: ...`) line.
fn seed_line(user: &str) -> Option<String> {
    let line = user
        .lines()
        .find_map(|l| {
            let l = l.trim();
            l.strip_prefix("The movie:")
                .or_else(|| l.strip_prefix("The TV series:"))
        })?
        .trim();
    let title = match line.rfind(" (") {
        Some(at) if line.ends_with(')') => &line[..at],
        _ => line,
    };
    Some(title.trim().to_owned())
}

/// N in "exactly N".
fn requested_count(lower: &str) -> Option<usize> {
    let at = lower.find("exactly ")?;
    let digits: String = lower[at + "exactly ".len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// True when the (lowercase) message names this film: `Title (Year)`
/// anywhere, or the title alone as a list item or after a label.
fn mentions(lower: &str, title: &str, year: i32) -> bool {
    let title = title.to_lowercase();
    lower.contains(&format!("{title} ({year})"))
        || lower.lines().any(|line| {
            let line = line.trim();
            let item = line
                .strip_prefix("- ")
                .or_else(|| line.split_once(": ").map(|(_, rest)| rest))
                .unwrap_or(line);
            item.trim() == title
        })
}

fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The suggestions picked for one list a request asks for.
#[derive(Debug, Clone)]
struct Picked {
    /// The list's key, `None` for a single list (under `suggestions`).
    name: Option<String>,
    media: MediaKind,
    items: Vec<Suggestion>,
}

/// How a model writes the years of a pick in a line: the year of a film,
/// the range of a series it knows (`2008–2013`, `2022–` while it runs).
fn years_of(media: MediaKind, item: &Suggestion, shows: &[(String, i32, Option<i32>)]) -> String {
    let Some(year) = item.year else {
        return String::new();
    };
    let known = shows
        .iter()
        .find(|(title, first, _)| *title == item.title && *first == year);
    match (media, known) {
        (MediaKind::Show, Some((_, _, Some(last)))) if *last != year => format!("{year}–{last}"),
        (MediaKind::Show, Some((_, _, None))) => format!("{year}–"),
        _ => year.to_string(),
    }
}

/// The message content, finish reason and refusal for a style, for one
/// unnamed list (under `suggestions`) or several named ones. Series lists
/// answer under `first_air_year` in JSON (what the schema asks) and with
/// their year range in lines; `shows` is the catalogue the ranges come from.
fn render(
    style: AnswerStyle,
    lists: &[Picked],
    shows: &[(String, i32, Option<i32>)],
) -> (Option<String>, &'static str, Option<String>) {
    let as_json = || {
        let object: serde_json::Map<String, Value> = lists
            .iter()
            .map(|list| {
                let items: Vec<Value> = list
                    .items
                    .iter()
                    .map(|s| {
                        let mut item = serde_json::Map::new();
                        item.insert("title".to_owned(), json!(s.title));
                        item.insert(list.media.year_field().to_owned(), json!(s.year));
                        item.insert("reason".to_owned(), json!(s.reason));
                        Value::Object(item)
                    })
                    .collect();
                (
                    list.name
                        .clone()
                        .unwrap_or_else(|| "suggestions".to_owned()),
                    Value::Array(items),
                )
            })
            .collect();
        Value::Object(object)
    };
    let titled = |media: MediaKind, s: &Suggestion| match years_of(media, s, shows) {
        years if years.is_empty() => s.title.clone(),
        years => format!("{} ({years})", s.title),
    };
    // Lines per list, under a heading naming it when there are several.
    let sections = |item: &dyn Fn(usize, MediaKind, &Suggestion) -> String| -> String {
        lists
            .iter()
            .map(|list| {
                let body: Vec<String> = list
                    .items
                    .iter()
                    .enumerate()
                    .map(|(i, s)| item(i, list.media, s))
                    .collect();
                match &list.name {
                    Some(name) => format!("{}:\n{}", capitalise(name), body.join("\n")),
                    None => body.join("\n"),
                }
            })
            .collect::<Vec<_>>()
            .join("\n\n")
    };
    let count: usize = lists.iter().map(|list| list.items.len()).sum();
    match style {
        AnswerStyle::StrictJson => (Some(as_json().to_string()), "stop", None),
        AnswerStyle::FencedJson => {
            let pretty = serde_json::to_string_pretty(&as_json()).unwrap_or_default();
            (
                Some(format!("Here are my picks:\n\n```json\n{pretty}\n```")),
                "stop",
                None,
            )
        }
        AnswerStyle::NumberedList | AnswerStyle::RejectsResponseFormat => (
            Some(sections(&|i, media, s| match &s.reason {
                Some(reason) => format!("{}. {} - {reason}", i + 1, titled(media, s)),
                None => format!("{}. {}", i + 1, titled(media, s)),
            })),
            "stop",
            None,
        ),
        AnswerStyle::ProseAndList => {
            // Series as IMDb writes them: `(TV Series 2008–2013)`.
            let list = sections(&|_, media, s| {
                let years = match (years_of(media, s, shows), media) {
                    (years, _) if years.is_empty() => String::new(),
                    (years, MediaKind::Show) => format!(" (TV Series {years})"),
                    (years, MediaKind::Movie) => format!(" ({years})"),
                };
                match &s.reason {
                    Some(reason) => format!("- **{}**{years}: {reason}", s.title),
                    None => format!("- **{}**{years}", s.title),
                }
            });
            (
                Some(format!(
                    "Great choice! Here are {count} picks I think you'll enjoy:\n\n{list}\n\nEnjoy your movie night!"
                )),
                "stop",
                None,
            )
        }
        AnswerStyle::Truncated => {
            let full = as_json().to_string();
            // Cut a few characters into the last item, as a token limit does.
            let cut = full
                .rfind("{\"")
                .filter(|at| *at > 1)
                .map_or(full.len() / 2, |at| at + 12)
                .min(full.len());
            let mut end = cut;
            while !full.is_char_boundary(end) {
                end -= 1;
            }
            (Some(full[..end].to_owned()), "length", None)
        }
        AnswerStyle::Refusal => (
            None,
            "stop",
            Some("I'm sorry, but I can't help with that request.".to_owned()),
        ),
        AnswerStyle::Empty => (Some(String::new()), "stop", None),
    }
}

fn capitalise(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_llm_recs_prompts_say() {
        let user = "The movie: Heat (1995)\nGenres: Crime\n\nSuggest exactly 7 films that would be a palate cleanser after Heat (1995)\n- Do not include any of these films:\n  - Thief (1981)\n  - Ronin\n";
        assert_eq!(seed_line(user).as_deref(), Some("Heat"));
        let lower = user.to_lowercase();
        assert_eq!(requested_count(&lower), Some(7));
        let asked = asked_lists(user, &Value::Null);
        assert_eq!(asked.len(), 1);
        assert_eq!(
            (asked[0].kind, asked[0].count),
            (SuggestionKind::Contrast, 7)
        );
        let combined = "The movie: Heat (1995)\n\nAnswer with one JSON object holding 2 lists, under these keys:\n- \"similar\": exactly 15 films for someone who loved Heat\n- \"contrast\": exactly 4 films that would be a palate cleanser after Heat\n";
        let asked = asked_lists(combined, &Value::Null);
        assert_eq!(asked.len(), 2);
        assert_eq!(asked[0].name.as_deref(), Some("similar"));
        assert_eq!(
            (asked[0].kind, asked[0].count),
            (SuggestionKind::Similar, 15)
        );
        assert_eq!(
            (asked[1].kind, asked[1].count),
            (SuggestionKind::Contrast, 4)
        );
        assert!(mentions(&lower, "Thief", 1981));
        assert!(mentions(&lower, "Ronin", 1998));
        assert!(mentions(&lower, "Heat", 1995));
        assert!(!mentions(&lower, "Drive", 2011));
    }

    #[test]
    fn truncated_answers_cut_the_last_item() {
        let picks = vec![
            Suggestion::new("Heat", Some(1995)),
            Suggestion::new("Ronin", Some(1998)),
            Suggestion::new("Drive", Some(2011)),
        ];
        let picked = Picked {
            name: None,
            media: MediaKind::Movie,
            items: picks,
        };
        let (content, finish, _) = render(AnswerStyle::Truncated, &[picked], &[]);
        let content = content.unwrap();
        assert_eq!(finish, "length");
        assert!(
            serde_json::from_str::<Value>(&content).is_err(),
            "{content}"
        );
        assert!(
            content.contains("Ronin") && !content.contains("Drive"),
            "{content}"
        );
    }

    #[test]
    fn series_lists_are_told_by_the_schema_or_the_sentence() {
        // No schema (plain text mode): the sentence that asks decides, not
        // the seed line.
        let user = "The TV series: Breaking Bad (2008)\n\nSuggest exactly 5 TV series for someone who loved Breaking Bad (2008)\n";
        assert_eq!(seed_line(user).as_deref(), Some("Breaking Bad"));
        let asked = asked_lists(user, &Value::Null);
        assert_eq!((asked[0].media, asked[0].count), (MediaKind::Show, 5));
        let films = "The TV series: Breaking Bad (2008)\n\nSuggest exactly 5 films for someone who loved Breaking Bad (2008)\n";
        assert_eq!(asked_lists(films, &Value::Null)[0].media, MediaKind::Movie);

        let mixed = "The movie: Heat (1995)\n\nAnswer with one JSON object holding 2 lists, under these keys:\n- \"similar\": exactly 4 films for someone who loved Heat\n- \"tv\": exactly 3 TV series for someone who loved Heat\n";
        let asked = asked_lists(mixed, &Value::Null);
        let media: Vec<MediaKind> = asked.iter().map(|a| a.media).collect();
        assert_eq!(media, [MediaKind::Movie, MediaKind::Show]);

        // With a schema, its item fields decide (json_schema, or json_object
        // carrying one for llama.cpp's grammar).
        let item =
            |year: &str| json!({"type": "array", "items": {"properties": {"title": {}, year: {}}}});
        let schema = json!({"properties": {"similar": item("first_air_year"), "tv": item("year")}});
        for format in [
            json!({"type": "json_schema", "json_schema": {"schema": schema}}),
            json!({"type": "json_object", "schema": schema}),
        ] {
            let body = json!({"response_format": format});
            let media: Vec<MediaKind> = asked_lists(mixed, &body).iter().map(|a| a.media).collect();
            assert_eq!(media, [MediaKind::Show, MediaKind::Movie]);
        }
    }

    #[test]
    fn series_are_answered_under_first_air_year_and_with_their_ranges() {
        let shows = vec![
            ("Breaking Bad".to_owned(), 2008, Some(2013)),
            ("Severance".to_owned(), 2022, None),
            ("Chernobyl".to_owned(), 2019, Some(2019)),
        ];
        let picked = Picked {
            name: None,
            media: MediaKind::Show,
            items: shows
                .iter()
                .map(|(t, y, _)| Suggestion::new(t.clone(), Some(*y)))
                .collect(),
        };
        let (content, _, _) = render(
            AnswerStyle::StrictJson,
            std::slice::from_ref(&picked),
            &shows,
        );
        let answer: Value = serde_json::from_str(&content.unwrap()).unwrap();
        assert_eq!(answer["suggestions"][0]["first_air_year"], 2008);
        assert!(answer["suggestions"][0].get("year").is_none());
        let (content, _, _) = render(
            AnswerStyle::NumberedList,
            std::slice::from_ref(&picked),
            &shows,
        );
        assert_eq!(
            content.unwrap(),
            "1. Breaking Bad (2008–2013)\n2. Severance (2022–)\n3. Chernobyl (2019)"
        );
        let (content, _, _) = render(AnswerStyle::ProseAndList, &[picked], &shows);
        assert!(
            content
                .as_deref()
                .unwrap()
                .contains("- **Breaking Bad** (TV Series 2008–2013)"),
            "{content:?}"
        );
    }
}
