//! Property tests that feed arbitrary bytes and arbitrary JSON to what
//! reads input from outside: the LLM answer parser, the state file loaders
//! (current and legacy formats), and each client's response decoding (a
//! local server answers 200 with the generated body). The property is
//! "no panic, and an error or a sane value". The CLI's config loader and
//! Tautulli argument handling are fuzzed in `curator-cli` (`src/fuzz.rs`).
//!
//! Cases per property: `CURATOR_FUZZ_CASES` (default 2000). A million:
//! `CURATOR_FUZZ_CASES=1000000 cargo test --release -p curator-core --test it fuzz`
//! (docs/reliability.md).

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use curator_core::{DataDir, POINTS_FILE, SmallCollection};
use curator_http::{RetryPolicy, Secret, TmdbId};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

fn cases() -> u32 {
    std::env::var("CURATOR_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000)
}

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    })
}

/// Field names the decoders look for, so generated objects reach past the
/// first `match`.
const KEYS: &[&str] = &[
    "MediaContainer",
    "Metadata",
    "Directory",
    "Media",
    "Part",
    "Guid",
    "ratingKey",
    "key",
    "title",
    "year",
    "type",
    "size",
    "totalSize",
    "offset",
    "id",
    "guid",
    "file",
    "childCount",
    "collectionSort",
    "results",
    "page",
    "total_pages",
    "total_results",
    "release_date",
    "genre_ids",
    "genres",
    "imdb_id",
    "external_ids",
    "movie_results",
    "tmdbId",
    "imdbId",
    "monitored",
    "hasFile",
    "tags",
    "label",
    "qualityProfileId",
    "rootFolderPath",
    "choices",
    "message",
    "content",
    "refusal",
    "finish_reason",
    "suggestions",
    "error",
    "status_code",
    "status_message",
    "schema_version",
    "movies",
    "points",
    "status",
    "rating_key",
    "seed",
    "tmdb_id",
    "updated_at",
    "first_suggested",
    "last_suggested",
    "machineIdentifier",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        (0u32..3000).prop_map(Value::from),
        ".{0,40}".prop_map(Value::String),
        prop::sample::select(KEYS).prop_map(|k| Value::String(k.to_owned())),
        Just(Value::String("2010-07-16".into())),
        Just(Value::String("tmdb://27205".into())),
        Just(Value::String(
            "com.plexapp.agents.imdb://tt1375666?lang=en".into()
        )),
    ]
}

/// Arbitrary JSON, shaped like the services' answers often enough.
fn json() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(5, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        prop::sample::select(KEYS).prop_map(str::to_owned),
                        "[a-z]{1,8}"
                    ],
                    inner
                ),
                0..8
            )
            .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
}

/// Arbitrary bytes, JSON text, or JSON with a cut or a stray byte.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..300),
        json().prop_map(|v| v.to_string().into_bytes()),
        (json(), any::<prop::sample::Index>()).prop_map(|(v, cut)| {
            let text = v.to_string().into_bytes();
            let at = cut.index(text.len() + 1);
            text[..at].to_vec()
        }),
    ]
}

#[test]
fn the_llm_answer_parser_never_panics() {
    let text = prop_oneof![
        ".{0,400}",
        json().prop_map(|v| v.to_string()),
        json().prop_map(|v| format!("```json\n{v}\n```")),
        prop::collection::vec("[0-9]{1,2}\\. .{0,30}( \\([0-9]{4}\\))?", 0..20)
            .prop_map(|lines| lines.join("\n")),
    ];
    runner()
        .run(&(text, 0usize..60), |(text, max)| {
            let answer = llm_recs::parse_suggestions(&text, max);
            prop_assert!(answer.suggestions.len() <= max);
            for s in &answer.suggestions {
                prop_assert!(!s.title.trim().is_empty());
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn the_state_loaders_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::new(dir.path());
    runner()
        .run(&body(), |bytes| {
            std::fs::write(dir.path().join(POINTS_FILE), &bytes).unwrap();
            // Current and legacy formats share the file: either loads, or
            // an error says the file is damaged.
            let _ = data.load_points();
            for which in SmallCollection::ALL {
                std::fs::write(dir.path().join(which.file_name()), &bytes).unwrap();
                let _ = data.load_collection(which);
            }
            Ok(())
        })
        .unwrap();
}

/// Answers the next request of a case with the generated body (200), and
/// any further one (the next page, a retry in another format) with `rest`.
#[derive(Clone)]
struct Slot {
    next: Arc<Mutex<Option<Vec<u8>>>>,
    rest: ResponseTemplate,
}

impl Slot {
    fn set(&self, body: Vec<u8>) {
        *self.next.lock().unwrap_or_else(PoisonError::into_inner) = Some(body);
    }
}

impl Respond for Slot {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        match self
            .next
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            Some(body) => ResponseTemplate::new(200).set_body_raw(body, "application/json"),
            None => self.rest.clone(),
        }
    }
}

async fn slot_server(rest: ResponseTemplate) -> (MockServer, Slot) {
    let slot = Slot {
        next: Arc::default(),
        rest,
    };
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(slot.clone())
        .mount(&server)
        .await;
    (server, slot)
}

/// Runs `call` once per generated body against a local server.
fn fuzz_client<C, F>(rest: ResponseTemplate, build: impl Fn(&str) -> C, call: F)
where
    F: Fn(&C, usize) -> BoxFuture<'_, ()>,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (server, slot) = runtime.block_on(slot_server(rest));
    let client = build(&server.uri());
    runner()
        .run(&(body(), 0usize..4), |(bytes, which)| {
            slot.set(bytes);
            runtime.block_on(call(&client, which));
            Ok(())
        })
        .unwrap();
}

type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + 'a>>;

fn empty_plex_page() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(r#"{"MediaContainer":{"size":0}}"#, "application/json")
}

#[test]
fn plex_answers_never_panic_the_client() {
    use plex_client::{PlexApi, PlexClient, RatingKey, SectionKey};
    fuzz_client(
        empty_plex_page(),
        |uri| {
            PlexClient::builder(uri, Secret::new("token"))
                .machine_identifier("fuzz")
                .retry_policy(RetryPolicy::none())
                .request_timeout(Duration::from_secs(5))
                .build()
                .unwrap()
        },
        |plex, which| {
            Box::pin(async move {
                let key = RatingKey("1".into());
                match which {
                    0 => drop(plex.sections().await),
                    1 => drop(plex.movies(&SectionKey("1".into())).await),
                    2 => drop(plex.collection_children(&key).await),
                    _ => drop(plex.items(&[key, RatingKey("2".into())]).await),
                }
            })
        },
    );
}

#[test]
fn radarr_answers_never_panic_the_client() {
    use radarr_client::{RadarrApi, RadarrClient};
    fuzz_client(
        ResponseTemplate::new(500),
        |uri| {
            RadarrClient::builder(uri, Secret::new("key"))
                .retry_policy(RetryPolicy::none())
                .request_timeout(Duration::from_secs(5))
                .build()
                .unwrap()
        },
        |radarr, which| {
            Box::pin(async move {
                match which {
                    0 => drop(radarr.movies().await),
                    1 => drop(radarr.tags().await),
                    2 => drop(radarr.lookup_tmdb(TmdbId(27205)).await),
                    _ => drop(radarr.movie_by_tmdb(TmdbId(27205)).await),
                }
            })
        },
    );
}

#[test]
fn tmdb_answers_never_panic_the_client() {
    use tmdb_client::{TmdbApi, TmdbClient};
    fuzz_client(
        ResponseTemplate::new(500),
        |uri| {
            TmdbClient::builder()
                .base_url(uri)
                .credential(Secret::new("0123456789abcdef0123456789abcdef"))
                .retry(RetryPolicy::none())
                .rate_limit(100_000)
                .request_timeout(Duration::from_secs(5))
                .build()
                .unwrap()
        },
        |tmdb, which| {
            Box::pin(async move {
                match which {
                    0 => drop(tmdb.search_movies("Inception", Some(2010), 1).await),
                    1 => drop(tmdb.movie(TmdbId(27205)).await),
                    2 => drop(tmdb.recommendations(TmdbId(27205), 1).await),
                    _ => drop(tmdb.genres().await),
                }
            })
        },
    );
}

#[test]
fn llm_answers_never_panic_the_client() {
    use llm_recs::{LlmClient, Recommender, SeedMovie, SuggestionKind, SuggestionRequest};
    // Answers shaped as completions, with generated content, as well as
    // anything at all.
    fuzz_client(
        ResponseTemplate::new(500),
        |uri| {
            LlmClient::builder(format!("{uri}/v1"), "fuzz-model")
                .retry(RetryPolicy::none())
                .timeout(Duration::from_secs(5))
                .build()
                .unwrap()
        },
        |llm, which| {
            Box::pin(async move {
                let kind = if which % 2 == 0 {
                    SuggestionKind::Similar
                } else {
                    SuggestionKind::Contrast
                };
                let request =
                    SuggestionRequest::new(kind, SeedMovie::new("Inception"), 1 + which * 7);
                drop(llm.suggest(&request).await);
            })
        },
    );
}

#[test]
fn llm_completions_with_arbitrary_content_never_panic_the_client() {
    use llm_recs::{LlmClient, Recommender, SeedMovie, SuggestionKind, SuggestionRequest};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (server, slot) = runtime.block_on(slot_server(ResponseTemplate::new(500)));
    let llm = LlmClient::builder(format!("{}/v1", server.uri()), "fuzz-model")
        .retry(RetryPolicy::none())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let content = prop_oneof![".{0,200}", json().prop_map(|v| v.to_string())];
    let finish = prop::sample::select(vec!["stop", "length", "content_filter", ""]);
    runner()
        .run(&(content, finish), |(content, finish)| {
            let answer = serde_json::json!({
                "choices": [{"message": {"role": "assistant", "content": content},
                             "finish_reason": finish}]
            });
            slot.set(answer.to_string().into_bytes());
            let request =
                SuggestionRequest::new(SuggestionKind::Similar, SeedMovie::new("Heat"), 10);
            if let Ok(answer) = runtime.block_on(llm.suggest(&request)) {
                prop_assert!(answer.len() <= 10);
            }
            Ok(())
        })
        .unwrap();
}
