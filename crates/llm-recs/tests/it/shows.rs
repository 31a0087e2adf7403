//! Lists of TV series: what the client sends for them, how it reads what
//! models answer, lists of films and series in one request, and the fake
//! answering series on every server profile.

use std::time::Duration;

use llm_recs::{
    ListSpec, ListsRequest, LlmClient, LlmClientBuilder, MediaKind, ParsePath, Recommender,
    RetryPolicy, SeedMovie, SuggestionKind, SuggestionRequest,
};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn builder(server: &MockServer) -> LlmClientBuilder {
    LlmClient::builder(format!("{}/v1", server.uri()), "test-model").retry(RetryPolicy {
        max_retries: 1,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        max_retry_after: Duration::from_millis(5),
    })
}

fn breaking_bad() -> SeedMovie {
    SeedMovie::show("Breaking Bad")
        .with_year(2008)
        .with_genres(["Crime", "Drama"])
}

/// A chat completion whose message has this content.
fn completion(content: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "id": "chatcmpl-tv1",
        "object": "chat.completion",
        "created": 1_767_225_600,
        "model": "test-model",
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": content},
            "finish_reason": "stop"
        }]
    }))
}

async fn serve(content: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(completion(content))
        .named("chat completions")
        .expect(1)
        .mount(&server)
        .await;
    server
}

async fn only_body(server: &MockServer) -> Value {
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    serde_json::from_slice(&requests[0].body).unwrap()
}

fn shown(items: &[llm_recs::Suggestion]) -> Vec<String> {
    items.iter().map(ToString::to_string).collect()
}

#[tokio::test]
async fn a_show_list_asks_for_tv_series_and_their_first_air_year() {
    let server = serve(
        r#"{"suggestions":[{"title":"The Wire","first_air_year":2002},{"title":"Ozark","first_air_year":2017}]}"#,
    )
    .await;
    let client = builder(&server).build().unwrap();
    let request = SuggestionRequest::similar(breaking_bad(), 5)
        .with_media(MediaKind::Show)
        .with_avoid(["Better Call Saul (2015)"]);

    let answer = client.suggest(&request).await.unwrap();
    assert_eq!(shown(&answer.items), ["The Wire (2002)", "Ozark (2017)"]);

    let body = only_body(&server).await;
    let system = body["messages"][0]["content"].as_str().unwrap();
    assert!(system.contains("TV series"), "{system}");
    assert!(system.contains("\"first_air_year\": 2008"), "{system}");
    let user = body["messages"][1]["content"].as_str().unwrap();
    for needle in [
        "The TV series: Breaking Bad (2008)",
        "Suggest exactly 5 TV series for someone who loved Breaking Bad (2008)",
        "the year its first season aired",
        "- Do not include any of these series:\n  - Better Call Saul (2015)",
    ] {
        assert!(user.contains(needle), "{needle:?} missing from:\n{user}");
    }
    assert!(!user.to_lowercase().contains("film"), "{user}");
    let format = &body["response_format"];
    assert_eq!(format["type"], "json_schema");
    assert_eq!(format["json_schema"]["name"], "show_suggestions");
    assert_eq!(format["json_schema"]["strict"], true);
    let item = &format["json_schema"]["schema"]["properties"]["suggestions"]["items"];
    assert_eq!(item["required"], json!(["title", "first_air_year"]));
    assert_eq!(
        item["properties"]["first_air_year"]["type"],
        json!(["integer", "null"])
    );
    assert_eq!(item["additionalProperties"], false);
}

/// What models answer for series instead of the schema's shape: ranges
/// with an en dash or a hyphen, open ranges, IMDb's `(TV Series ...)`, a
/// country in the title, `year`/`name` keys. The seed, written as a range,
/// is still recognised and dropped.
#[tokio::test]
async fn show_answers_in_the_shapes_models_write() {
    let cases: [(&str, ParsePath, &[&str]); 4] = [
        (
            "Here are some shows like Breaking Bad:\n\n1. Breaking Bad (2008–2013)\n2. Better Call Saul (2015-2022) - the same universe\n3. The Office (US) (2005)\n4. Severance (2022-)\n5. **Ozark** (TV Series 2017–2022): money laundering in the Ozarks",
            ParsePath::Lines,
            &[
                "Better Call Saul (2015)",
                "The Office (US) (2005)",
                "Severance (2022)",
                "Ozark (2017)",
            ],
        ),
        (
            r#"```json
{"suggestions": [{"name": "Narcos", "year": "2015–2017"}, {"title": "Fargo", "year": 2014}]}
```"#,
            ParsePath::Json,
            &["Narcos (2015)", "Fargo (2014)"],
        ),
        (
            r#"{"tv_shows": [{"title": "Breaking Bad", "first_air_year": 2008}, {"title": "Mindhunter", "first_air_date": "2017-10-13"}]}"#,
            ParsePath::Json,
            &["Mindhunter (2017)"],
        ),
        (
            r#"{"suggestions": [{"title": "The Wire", "first_air_year": 2002}, {"title": "The Sopr"#,
            ParsePath::PartialJson,
            &["The Wire (2002)"],
        ),
    ];
    for (content, parse_path, expected) in cases {
        let server = serve(content).await;
        let client = builder(&server).build().unwrap();
        let request = SuggestionRequest::similar(breaking_bad(), 10).with_media(MediaKind::Show);
        let answer = client.suggest(&request).await.unwrap();
        assert_eq!(shown(&answer.items), expected, "{content}");
        assert_eq!(answer.parse_path, parse_path, "{content}");
    }
}

#[tokio::test]
async fn films_and_series_lists_come_in_one_request() {
    let server = serve(
        r#"{"similar": [{"title": "Thief", "year": 1981}, {"title": "Ronin", "year": 1998}],
            "similar_shows": [{"title": "The Wire", "first_air_year": 2002}, {"title": "Line of Duty", "first_air_year": 2012}],
            "contrast_shows": [{"title": "Bluey", "first_air_year": 2018}]}"#,
    )
    .await;
    let client = builder(&server).build().unwrap();
    let request = ListsRequest::new(
        SeedMovie::new("Heat").with_year(1995),
        vec![
            ListSpec::new("similar", SuggestionKind::Similar, 2),
            ListSpec::shows("similar_shows", SuggestionKind::Similar, 2),
            ListSpec::shows("contrast_shows", SuggestionKind::Contrast, 1),
        ],
    );

    let answers = client.suggest_lists(&request).await.unwrap();
    let got: Vec<(String, Vec<String>)> = answers
        .iter()
        .map(|a| (a.name.clone(), shown(&a.result.as_ref().unwrap().items)))
        .collect();
    assert_eq!(
        got,
        [
            (
                "similar".to_owned(),
                vec!["Thief (1981)".to_owned(), "Ronin (1998)".to_owned()]
            ),
            (
                "similar_shows".to_owned(),
                vec![
                    "The Wire (2002)".to_owned(),
                    "Line of Duty (2012)".to_owned()
                ]
            ),
            ("contrast_shows".to_owned(), vec!["Bluey (2018)".to_owned()]),
        ]
    );

    let body = only_body(&server).await;
    let schema = &body["response_format"]["json_schema"];
    assert_eq!(schema["name"], "movie_and_show_suggestions");
    let required = |list: &str| schema["schema"]["properties"][list]["items"]["required"].clone();
    assert_eq!(required("similar"), json!(["title", "year"]));
    assert_eq!(
        required("similar_shows"),
        json!(["title", "first_air_year"])
    );
    assert_eq!(
        required("contrast_shows"),
        json!(["title", "first_air_year"])
    );
    assert_eq!(
        schema["schema"]["required"],
        json!(["similar", "similar_shows", "contrast_shows"])
    );
    let user = body["messages"][1]["content"].as_str().unwrap();
    for needle in [
        "The movie: Heat (1995)",
        "- \"similar\": exactly 2 films",
        "- \"similar_shows\": exactly 2 TV series",
        "- \"contrast_shows\": exactly 1 TV series that would be a palate cleanser",
    ] {
        assert!(user.contains(needle), "{needle:?} missing from:\n{user}");
    }
    // The token budget covers every list.
    assert_eq!(body["max_tokens"], llm_recs::tokens_for(5));
}

#[cfg(feature = "fake")]
mod against_the_fake {
    use llm_recs::fake::{AnswerStyle, FakeLlm, FakeLlmSeed, ServerProfile};
    use llm_recs::{
        ListSpec, ListsRequest, MediaKind, ParsePath, Recommender, SeedMovie, StructuredOutput,
        Suggestion, SuggestionKind, SuggestionRequest,
    };

    const SHOWS: [(&str, i32, Option<i32>); 8] = [
        ("Breaking Bad", 2008, Some(2013)),
        ("The Wire", 2002, Some(2008)),
        ("Ozark", 2017, Some(2022)),
        ("Severance", 2022, None),
        ("Chernobyl", 2019, Some(2019)),
        ("The Office (US)", 2005, Some(2013)),
        ("Dark", 2017, Some(2020)),
        ("Fleabag", 2016, Some(2019)),
    ];
    const FILMS: [(&str, i32); 5] = [
        ("Heat", 1995),
        ("Thief", 1981),
        ("Ronin", 1998),
        ("Collateral", 2004),
        ("Drive", 2011),
    ];

    fn seed() -> FakeLlmSeed {
        FakeLlmSeed::new().with_catalogue(FILMS).with_shows(SHOWS)
    }

    fn is_show(item: &Suggestion) -> bool {
        SHOWS
            .iter()
            .any(|(t, y, _)| item.title == *t && item.year == Some(*y))
    }

    fn is_film(item: &Suggestion) -> bool {
        FILMS
            .iter()
            .any(|(t, y)| item.title == *t && item.year == Some(*y))
    }

    fn shows_like_breaking_bad(count: usize) -> SuggestionRequest {
        SuggestionRequest::similar(SeedMovie::show("Breaking Bad").with_year(2008), count)
            .with_media(MediaKind::Show)
    }

    const PROFILES: [ServerProfile; 7] = [
        ServerProfile::OpenAi,
        ServerProfile::OpenAiReasoning,
        ServerProfile::LlamaCppPython,
        ServerProfile::NoResponseFormat,
        ServerProfile::LmStudio,
        ServerProfile::Vllm,
        ServerProfile::ThinkTemplate,
    ];

    async fn client_for(fake: &FakeLlm, profile: ServerProfile) -> llm_recs::LlmClient {
        let builder = fake.client_builder("m");
        // A reasoning model needs room to think before it answers.
        let builder = if profile == ServerProfile::OpenAiReasoning {
            builder.reasoning_effort("low")
        } else {
            builder
        };
        builder.build().unwrap()
    }

    /// Every profile, every answer style: a series list gets series (with
    /// their first-air year, whatever the style wrote), never films, and
    /// never the seed.
    #[tokio::test]
    async fn every_profile_answers_show_lists_with_series() {
        let styles = [
            AnswerStyle::StrictJson,
            AnswerStyle::FencedJson,
            AnswerStyle::NumberedList,
            AnswerStyle::ProseAndList,
        ];
        for profile in PROFILES {
            for style in styles {
                let fake = FakeLlm::start(seed().with_style(style)).await;
                fake.behaves_like(profile);
                let client = client_for(&fake, profile).await;
                let answer = client.suggest(&shows_like_breaking_bad(4)).await.unwrap();
                assert_eq!(answer.len(), 4, "{profile:?} {style:?}: {answer:?}");
                assert!(
                    answer.items.iter().all(is_show),
                    "{profile:?} {style:?}: {answer:?}"
                );
                assert!(
                    answer.items.iter().all(|s| s.title != "Breaking Bad"),
                    "{profile:?} {style:?}: {answer:?}"
                );
                // Whatever mode the server took, a schema it was sent asks
                // for the first-air year.
                let last = fake.last_request().unwrap();
                let format = &last.body["response_format"];
                let schema = format
                    .pointer("/json_schema/schema")
                    .or_else(|| format.get("schema"));
                if let Some(schema) = schema {
                    assert_eq!(
                        schema["properties"]["suggestions"]["items"]["required"][1],
                        "first_air_year",
                        "{profile:?} {style:?}"
                    );
                }
            }
        }
    }

    /// One round trip for a run that asks series lists only, and for one
    /// that mixes films and series, on every profile.
    #[tokio::test]
    async fn every_profile_answers_series_only_and_mixed_lists_in_one_request() {
        let requests = [
            vec![
                ListSpec::shows("similar", SuggestionKind::Similar, 3),
                ListSpec::shows("contrast", SuggestionKind::Contrast, 2),
            ],
            vec![
                ListSpec::new("similar", SuggestionKind::Similar, 3),
                ListSpec::shows("similar_shows", SuggestionKind::Similar, 3),
                ListSpec::shows("contrast_shows", SuggestionKind::Contrast, 2),
            ],
        ];
        for profile in PROFILES {
            for lists in &requests {
                let fake = FakeLlm::start(seed().with_style(AnswerStyle::NumberedList)).await;
                fake.behaves_like(profile);
                let client = client_for(&fake, profile).await;
                // Warm up what the client learns about the server.
                client.suggest(&shows_like_breaking_bad(1)).await.unwrap();
                fake.clear_requests();
                let answered = fake.completions();

                let request =
                    ListsRequest::new(SeedMovie::new("Heat").with_year(1995), lists.clone());
                let answers = client.suggest_lists(&request).await.unwrap();
                // The reasoning fake thinks past the first budget: the same
                // request again with twice the room (both answered 200).
                let sent = if profile == ServerProfile::OpenAiReasoning {
                    2
                } else {
                    1
                };
                assert_eq!(fake.request_count(), sent, "{profile:?} {lists:?}");
                assert_eq!(fake.completions(), answered + sent, "{profile:?} {lists:?}");
                for (answer, list) in answers.iter().zip(lists) {
                    let items = &answer.result.as_ref().unwrap().items;
                    assert_eq!(items.len(), list.count, "{profile:?} {}", list.name);
                    let right_kind = match list.media {
                        MediaKind::Movie => items.iter().all(is_film),
                        MediaKind::Show => items.iter().all(is_show),
                    };
                    assert!(right_kind, "{profile:?} {}: {items:?}", list.name);
                    assert!(items.iter().all(|s| s.title != "Heat"), "{items:?}");
                }
            }
        }
    }

    #[tokio::test]
    async fn llama_cpp_python_gets_the_show_schema_as_json_object() {
        let fake = FakeLlm::start(seed()).await;
        fake.behaves_like(ServerProfile::LlamaCppPython);
        let client = fake.client_builder("smollm2").build().unwrap();
        client.suggest(&shows_like_breaking_bad(3)).await.unwrap();
        let sent = fake.requests();
        assert_eq!(sent.len(), 2);
        assert_eq!(sent[0].body["response_format"]["type"], "json_schema");
        let object = &sent[1].body["response_format"];
        assert_eq!(object["type"], "json_object");
        assert_eq!(
            object["schema"]["properties"]["suggestions"]["items"]["required"],
            serde_json::json!(["title", "first_air_year"])
        );
        assert_eq!(client.structured_output(), StructuredOutput::JsonObject);
    }

    /// Scripts are per media: the series script answers series lists, the
    /// film script the film lists of the same seed.
    #[tokio::test]
    async fn show_scripts_answer_show_lists_only() {
        let fake = FakeLlm::start(FakeLlmSeed::new()).await;
        fake.script_shows(
            "Breaking Bad",
            SuggestionKind::Similar,
            vec![Suggestion::new("Ozark", Some(2017)).with_reason("a family in crime")],
        );
        fake.script(
            "Breaking Bad",
            SuggestionKind::Similar,
            vec![Suggestion::new("No Country for Old Men", Some(2007))],
        );
        let client = fake.client_builder("m").build().unwrap();
        let shows = client.suggest(&shows_like_breaking_bad(3)).await.unwrap();
        assert_eq!(
            shows.items,
            [Suggestion::new("Ozark", Some(2017)).with_reason("a family in crime")]
        );
        let films = client
            .suggest(&SuggestionRequest::similar(
                SeedMovie::show("Breaking Bad").with_year(2008),
                3,
            ))
            .await
            .unwrap();
        assert_eq!(films.items[0].title, "No Country for Old Men");
        let user = fake.last_request().unwrap();
        let user = user.message("user").unwrap();
        assert!(
            user.contains("The TV series: Breaking Bad (2008)"),
            "{user}"
        );
        assert!(user.contains("exactly 3 films"), "{user}");
    }

    #[tokio::test]
    async fn catalogue_series_skip_the_seed_and_the_avoided_ones() {
        let fake = FakeLlm::start(seed()).await;
        let client = fake.client_builder("m").build().unwrap();
        let request = shows_like_breaking_bad(8).with_avoid(["The Wire (2002)", "Dark"]);
        let answer = client.suggest(&request).await.unwrap();
        assert_eq!(answer.len(), 5, "8 series less the seed and 2 avoided");
        for gone in ["Breaking Bad", "The Wire", "Dark"] {
            assert!(answer.items.iter().all(|s| s.title != gone), "{answer:?}");
        }
        assert!(answer.items.iter().all(is_show));
    }

    #[tokio::test]
    async fn a_cut_off_show_answer_keeps_its_complete_series() {
        let fake = FakeLlm::start(seed().with_style(AnswerStyle::Truncated)).await;
        let client = fake.client_builder("m").build().unwrap();
        let answer = client.suggest(&shows_like_breaking_bad(4)).await.unwrap();
        assert!(answer.truncated);
        assert_eq!(answer.parse_path, ParsePath::PartialJson);
        assert_eq!(answer.len(), 3, "the cut series is dropped");
        assert!(answer.items.iter().all(is_show), "{answer:?}");
    }
}
