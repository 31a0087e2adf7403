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
//! given with [`FakeLlm::script`]; otherwise titles picked deterministically
//! from the catalogue, leaving out every title the request mentions (the
//! seed, the avoid list). The seed is recognised in the user message (the
//! `The movie: Title (Year)` line `LlmClient` writes, or else any scripted
//! title the message contains); a message that speaks of a "palate
//! cleanser" is a contrast request; "exactly N" sets the count (default 10).
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

use crate::api::{Suggestion, SuggestionKind};
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
    /// Titles to suggest from when no script matches.
    pub catalogue: Vec<(String, i32)>,
    /// How answers look.
    pub style: AnswerStyle,
}

impl FakeLlmSeed {
    /// An empty seed: any key, any model, no catalogue, strict JSON.
    pub fn new() -> Self {
        Self::default()
    }

    /// A seed with a small catalogue of well-known films, for demos.
    pub fn demo() -> Self {
        Self::new().with_catalogue(DEMO_CATALOGUE.iter().map(|(t, y)| ((*t).to_owned(), *y)))
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

#[derive(Debug, Default)]
struct State {
    api_key: Option<String>,
    models: Vec<String>,
    catalogue: Vec<(String, i32)>,
    style: AnswerStyle,
    /// Per seed and kind, one or more scripted lists (see [`FakeLlm::script`]).
    scripts: HashMap<(String, SuggestionKind), Vec<Vec<Suggestion>>>,
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
        let mut state = self.lock();
        let lists = state
            .scripts
            .entry((seed_title.trim().to_lowercase(), kind))
            .or_default();
        lists.retain(|l| l.len() != suggestions.len());
        lists.push(suggestions);
        lists.sort_by_key(Vec::len);
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
        let answer = match op {
            OP_UNKNOWN => ResponseTemplate::new(404).set_body_string("404 page not found"),
            _ if !key_ok(state.api_key.as_deref(), authorization.as_deref()) => {
                fault_answer(&LlmFault::Unauthorized, "")
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

fn error_body(message: &str, kind: &str, code: Option<&str>) -> Value {
    json!({"error": {"message": message, "type": kind, "param": null, "code": code}})
}

fn fault_answer(fault: &LlmFault, model: &str) -> ResponseTemplate {
    match fault {
        LlmFault::RateLimited { retry_after_secs } => json(
            429,
            &error_body(
                "Rate limit reached for requests per minute. Please try again shortly.",
                "requests",
                Some("rate_limit_exceeded"),
            ),
        )
        .insert_header("retry-after", retry_after_secs.to_string().as_str()),
        LlmFault::QuotaExhausted => json(
            429,
            &error_body(
                "You exceeded your current quota, please check your plan and billing details.",
                "insufficient_quota",
                Some("insufficient_quota"),
            ),
        ),
        LlmFault::Unauthorized => json(
            401,
            &error_body(
                "Incorrect API key provided.",
                "invalid_request_error",
                Some("invalid_api_key"),
            ),
        ),
        LlmFault::ModelNotFound => json(
            404,
            &error_body(
                &format!("The model `{model}` does not exist or you do not have access to it."),
                "invalid_request_error",
                Some("model_not_found"),
            ),
        ),
        LlmFault::Status(status) => json(
            *status,
            &error_body(
                &format!("The server had an error ({status})."),
                "server_error",
                None,
            ),
        ),
    }
}

fn chat_completion(state: &mut State, request: &Request) -> ResponseTemplate {
    let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
        return json(
            400,
            &error_body(
                "We could not parse the JSON body of your request.",
                "invalid_request_error",
                None,
            ),
        );
    };
    let model = body["model"].as_str().unwrap_or_default().to_owned();
    if let Some(fault) = state.failures.pop_front() {
        return fault_answer(&fault, &model);
    }
    if model.is_empty() || (!state.models.is_empty() && !state.models.contains(&model)) {
        return fault_answer(&LlmFault::ModelNotFound, &model);
    }
    let user = body["messages"]
        .as_array()
        .and_then(|messages| messages.iter().rev().find(|m| m["role"] == "user"))
        .and_then(|m| m["content"].as_str())
        .unwrap_or_default();
    let has_format = body.get("response_format").is_some_and(|f| !f.is_null());
    if state.style == AnswerStyle::RejectsResponseFormat && has_format {
        return json(
            400,
            &error_body(
                "'response_format' of type 'json_schema' is not supported by this server",
                "invalid_request_error",
                None,
            ),
        );
    }
    let picks = suggestions_for(state, user);
    let (content, finish_reason, refusal) = render(state.style, &picks);
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

/// The suggestions for a user message: the script for its seed and kind,
/// or picks from the catalogue.
fn suggestions_for(state: &State, user: &str) -> Vec<Suggestion> {
    let lower = user.to_lowercase();
    let kind = if lower.contains("palate cleanser") {
        SuggestionKind::Contrast
    } else {
        SuggestionKind::Similar
    };
    let count = requested_count(&lower).unwrap_or(10);
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
        && let Some(lists) = state.scripts.get(&(seed.clone(), kind))
    {
        return pick(lists);
    }
    // Any scripted title the message mentions, the longest first ("Heat 2"
    // before "Heat").
    let mut scripted: Vec<&(String, SuggestionKind)> = state
        .scripts
        .keys()
        .filter(|(title, k)| *k == kind && lower.contains(title.as_str()))
        .collect();
    scripted.sort_by_key(|(title, _)| std::cmp::Reverse(title.len()));
    if let Some(key) = scripted.first() {
        return pick(&state.scripts[*key]);
    }
    let catalogue = &state.catalogue;
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

/// The title on the `The movie: Title (Year)` line.
fn seed_line(user: &str) -> Option<String> {
    let line = user
        .lines()
        .find_map(|l| l.trim().strip_prefix("The movie:"))?
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

/// The message content, finish reason and refusal for a style.
fn render(
    style: AnswerStyle,
    picks: &[Suggestion],
) -> (Option<String>, &'static str, Option<String>) {
    let as_json = || {
        let items: Vec<Value> = picks
            .iter()
            .map(|s| json!({"title": s.title, "year": s.year, "reason": s.reason}))
            .collect();
        json!({ "suggestions": items })
    };
    let line = |s: &Suggestion| match &s.reason {
        Some(reason) => format!("{s} - {reason}"),
        None => s.to_string(),
    };
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
        AnswerStyle::NumberedList | AnswerStyle::RejectsResponseFormat => {
            let list: Vec<String> = picks
                .iter()
                .enumerate()
                .map(|(i, s)| format!("{}. {}", i + 1, line(s)))
                .collect();
            (Some(list.join("\n")), "stop", None)
        }
        AnswerStyle::ProseAndList => {
            let list: Vec<String> = picks
                .iter()
                .map(|s| match (s.year, &s.reason) {
                    (Some(year), Some(reason)) => format!("- **{}** ({year}): {reason}", s.title),
                    (Some(year), None) => format!("- **{}** ({year})", s.title),
                    (None, _) => format!("- **{}**", s.title),
                })
                .collect();
            (
                Some(format!(
                    "Great choice! Here are {} films I think you'll enjoy:\n\n{}\n\nEnjoy your movie night!",
                    picks.len(),
                    list.join("\n")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_llm_recs_prompts_say() {
        let user = "The movie: Heat (1995)\nGenres: Crime\n\nSuggest exactly 7 films that would be a palate cleanser after Heat (1995)\n- Do not include any of these films:\n  - Thief (1981)\n  - Ronin\n";
        assert_eq!(seed_line(user).as_deref(), Some("Heat"));
        let lower = user.to_lowercase();
        assert_eq!(requested_count(&lower), Some(7));
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
        let (content, finish, _) = render(AnswerStyle::Truncated, &picks);
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
}
