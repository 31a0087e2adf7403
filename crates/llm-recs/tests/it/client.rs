//! `LlmClient` against wiremock: what it sends and how it reads every answer.

use std::time::Duration;

use llm_recs::{
    Error, LlmClient, LlmClientBuilder, ParsePath, Recommender, RequestStats, RetryPolicy,
    SeedMovie, StructuredOutput, SuggestionRequest, TokenLimitField,
};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_retries: 2,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        max_retry_after: Duration::from_millis(5),
    }
}

fn builder(server: &MockServer) -> LlmClientBuilder {
    LlmClient::builder(format!("{}/v1", server.uri()), "test-model").retry(fast_retry())
}

fn heat() -> SuggestionRequest {
    SuggestionRequest::similar(
        SeedMovie::new("Heat")
            .with_year(1995)
            .with_genres(["Crime", "Drama"]),
        5,
    )
}

/// A chat completion whose message has this content.
fn completion(content: &str, finish_reason: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "id": "chatcmpl-abc123",
        "object": "chat.completion",
        "created": 1_767_225_600,
        "model": "test-model",
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": content, "refusal": null},
            "finish_reason": finish_reason
        }],
        "usage": {"prompt_tokens": 210, "completion_tokens": 95, "total_tokens": 305}
    }))
}

fn error(status: u16, message: &str, kind: &str, code: Option<&str>) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({
        "error": {"message": message, "type": kind, "param": null, "code": code}
    }))
}

const TWO_FILMS: &str = r#"{"suggestions":[{"title":"Thief","year":1981,"reason":"Mann's first heist film."},{"title":"Ronin","year":1998,"reason":null}]}"#;

async fn mount(server: &MockServer, name: &str, response: ResponseTemplate, times: u64) {
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(response)
        .named(name)
        .expect(times)
        .mount(server)
        .await;
}

async fn bodies(server: &MockServer) -> Vec<Value> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

#[tokio::test]
async fn sends_model_messages_strict_schema_and_max_tokens() {
    let server = MockServer::start().await;
    mount(&server, "completion", completion(TWO_FILMS, "stop"), 1).await;
    let client = builder(&server).max_tokens(900).build().unwrap();

    let answer = client
        .suggest(&heat().with_avoid(["Collateral (2004)"]))
        .await
        .unwrap();

    assert_eq!(answer.items.len(), 2);
    let requests = server.received_requests().await.unwrap();
    assert!(
        requests[0].headers.get("authorization").is_none(),
        "no key, no header"
    );
    let body: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(body["model"], "test-model");
    assert_eq!(body["messages"][0]["role"], "system");
    assert_eq!(body["messages"][1]["role"], "user");
    let user = body["messages"][1]["content"].as_str().unwrap();
    assert!(
        user.contains("Heat (1995)") && user.contains("Collateral (2004)"),
        "{user}"
    );
    assert_eq!(body["max_tokens"], 900);
    assert!(body.get("max_completion_tokens").is_none());
    assert!(
        body.get("temperature").is_none(),
        "server default unless set"
    );
    let format = &body["response_format"];
    assert_eq!(format["type"], "json_schema");
    assert_eq!(format["json_schema"]["strict"], true);
    assert_eq!(format["json_schema"]["name"], "movie_suggestions");
    let item = &format["json_schema"]["schema"]["properties"]["suggestions"]["items"];
    assert_eq!(item["required"], json!(["title", "year"]));
    assert_eq!(item["additionalProperties"], false);
}

#[tokio::test]
async fn sends_the_key_as_bearer_and_openai_token_field_when_asked() {
    let server = MockServer::start().await;
    mount(&server, "completion", completion(TWO_FILMS, "stop"), 1).await;
    let client = builder(&server)
        .api_key("sk-test-123456")
        .temperature(0.4)
        .token_limit_field(TokenLimitField::MaxCompletionTokens)
        .build()
        .unwrap();

    client.suggest(&heat()).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests[0].headers["authorization"],
        "Bearer sk-test-123456"
    );
    let body: Value = serde_json::from_slice(&requests[0].body).unwrap();
    // Sized to the five suggestions asked for, not a fixed 4000.
    assert_eq!(body["max_completion_tokens"], llm_recs::tokens_for(5));
    assert!(body.get("max_tokens").is_none());
    assert!((body["temperature"].as_f64().unwrap() - 0.4).abs() < 1e-6);
}

#[tokio::test]
async fn blank_key_sends_no_header() {
    let server = MockServer::start().await;
    mount(&server, "completion", completion(TWO_FILMS, "stop"), 1).await;
    let client = builder(&server).api_key("  ").build().unwrap();
    client.suggest(&heat()).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert!(requests[0].headers.get("authorization").is_none());
}

#[tokio::test]
async fn reads_every_answer_form() {
    let cases: [(&str, &str, ParsePath, &[&str]); 4] = [
        (
            TWO_FILMS,
            "strict json",
            ParsePath::Json,
            &["Thief (1981)", "Ronin (1998)"],
        ),
        (
            "Here you go:\n```json\n[{\"name\": \"Collateral\", \"release_year\": 2004}]\n```",
            "fenced",
            ParsePath::Json,
            &["Collateral (2004)"],
        ),
        (
            "Sure! Films like Heat (1995):\n\n1. **Thief** (1981) - a safecracker's last job\n2. Sicario - 2015\n\nEnjoy!",
            "prose and list",
            ParsePath::Lines,
            &["Thief (1981)", "Sicario (2015)"],
        ),
        (
            "1. Heat (1995)\n2. The Insider (1999)\n3. Collateral (2004)",
            "list with the seed in it",
            ParsePath::Lines,
            &["The Insider (1999)", "Collateral (2004)"],
        ),
    ];
    for (content, name, expected_path, expected) in cases {
        let server = MockServer::start().await;
        mount(&server, name, completion(content, "stop"), 1).await;
        let client = builder(&server).build().unwrap();
        let answer = client.suggest(&heat()).await.unwrap();
        let got: Vec<String> = answer.items.iter().map(ToString::to_string).collect();
        assert_eq!(got, expected, "{name}");
        assert_eq!(answer.parse_path, expected_path, "{name}");
        assert!(!answer.truncated, "{name}");
    }
}

#[tokio::test]
async fn avoided_titles_are_dropped_and_the_list_capped() {
    let server = MockServer::start().await;
    let list = "1. Thief (1981)\n2. Ronin (1998)\n3. Drive (2011)\n4. Sicario (2015)\n5. Le Samouraï (1967)";
    mount(&server, "long list", completion(list, "stop"), 1).await;
    let client = builder(&server).build().unwrap();
    let request =
        SuggestionRequest::similar(SeedMovie::new("Heat"), 3).with_avoid(["ronin", "Drive (2011)"]);
    let answer = client.suggest(&request).await.unwrap();
    let got: Vec<String> = answer.items.iter().map(ToString::to_string).collect();
    assert_eq!(
        got,
        ["Thief (1981)", "Sicario (2015)", "Le Samouraï (1967)"]
    );
}

#[tokio::test]
async fn truncated_answer_keeps_complete_items_and_says_so() {
    let server = MockServer::start().await;
    let cut = r#"{"suggestions":[{"title":"Thief","year":1981,"reason":"heist"},{"title":"Ronin","year":1998,"reason":"chases"},{"title":"The To"#;
    mount(&server, "cut off", completion(cut, "length"), 1).await;
    let client = builder(&server).build().unwrap();
    let answer = client.suggest(&heat()).await.unwrap();
    assert!(answer.truncated);
    assert_eq!(answer.parse_path, ParsePath::PartialJson);
    let got: Vec<&str> = answer.items.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(got, ["Thief", "Ronin"]);
}

#[tokio::test]
async fn refusal_empty_and_unreadable_answers_are_errors() {
    let refusal = ResponseTemplate::new(200).set_body_json(json!({
        "choices": [{"index": 0, "finish_reason": "stop",
            "message": {"role": "assistant", "content": null, "refusal": "I can't help with that."}}]
    }));
    let no_choices = ResponseTemplate::new(200).set_body_json(json!({"choices": []}));
    let cases = [
        (refusal, "refusal"),
        (completion("", "stop"), "empty"),
        (completion("   ", "length"), "empty at the limit"),
        (no_choices, "no choices"),
        (completion("I'm not sure what you mean.", "stop"), "prose"),
        (
            completion("<think>Let me think about Heat (1995) and", "length"),
            "cut while thinking",
        ),
    ];
    for (response, name) in cases {
        let server = MockServer::start().await;
        // An empty answer at the token limit is asked once more, with a
        // doubled budget (a reasoning model that spent it thinking).
        let expected = if name == "empty at the limit" { 2 } else { 1 };
        mount(&server, name, response, expected).await;
        let client = builder(&server).build().unwrap();
        let err = client.suggest(&heat()).await.unwrap_err();
        match (name, &err) {
            ("refusal", Error::Refused { message }) => {
                assert_eq!(message, "I can't help with that.");
            }
            ("empty" | "no choices", Error::EmptyAnswer { .. }) => {}
            ("empty at the limit", Error::EmptyAnswer { finish_reason }) => {
                assert_eq!(finish_reason.as_deref(), Some("length"));
            }
            (
                "prose",
                Error::Unparseable {
                    truncated: false,
                    answer,
                },
            ) => assert!(answer.contains("not sure")),
            (
                "cut while thinking",
                Error::Unparseable {
                    truncated: true, ..
                },
            ) => {
                assert!(err.to_string().contains("cut off"), "{err}");
            }
            _ => panic!("{name}: unexpected {err:?}"),
        }
        assert!(err.status().is_none());
    }
}

#[tokio::test]
async fn response_format_refused_with_400_steps_down_to_text_and_stays_there() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(wiremock::matchers::body_string_contains("response_format"))
        .respond_with(error(
            400,
            "Unknown parameter: 'response_format'",
            "invalid_request_error",
            None,
        ))
        .named("rejects response_format")
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(completion("1. Thief (1981)\n2. Ronin (1998)", "stop"))
        .named("plain answers")
        .expect(2)
        .mount(&server)
        .await;
    let stats = RequestStats::new();
    let client = builder(&server).stats(stats.clone()).build().unwrap();

    let answer = client.suggest(&heat()).await.unwrap();
    assert_eq!(answer.len(), 2);
    assert_eq!(answer.parse_path, ParsePath::Lines);
    let sent = bodies(&server).await;
    assert_eq!(sent.len(), 3);
    assert_eq!(sent[0]["response_format"]["type"], "json_schema");
    assert_eq!(sent[1]["response_format"]["type"], "json_object");
    assert!(sent[2].get("response_format").is_none());
    assert_eq!(sent[0]["messages"], sent[2]["messages"]);
    assert_eq!(client.structured_output(), StructuredOutput::Text);

    // The client remembers: the next request goes without it at once.
    client.suggest(&heat()).await.unwrap();
    let sent = bodies(&server).await;
    assert_eq!(sent.len(), 4);
    assert!(sent[3].get("response_format").is_none());
    assert_eq!(stats.count(llm_recs::OP_CHAT_COMPLETIONS), 4);
}

/// A 400 that names neither a parameter we can drop nor the response
/// format is reported as it is: no step-down, no second request.
#[tokio::test]
async fn an_unrelated_400_is_reported_and_changes_nothing() {
    let server = MockServer::start().await;
    mount(
        &server,
        "context too long",
        error(
            400,
            "This model's maximum context length is 4096 tokens.\nHowever, you requested 9000 tokens.",
            "invalid_request_error",
            Some("context_length_exceeded"),
        ),
        2,
    )
    .await;
    let client = builder(&server).build().unwrap();
    let err = client.suggest(&heat()).await.unwrap_err();
    match &err {
        Error::Api {
            status: 400,
            message,
            code,
            ..
        } => {
            // Cut to its first line for the warning.
            assert_eq!(
                message,
                "This model's maximum context length is 4096 tokens."
            );
            assert_eq!(code.as_deref(), Some("context_length_exceeded"));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(!err.is_retryable());
    client.suggest(&heat()).await.unwrap_err();
    let sent = bodies(&server).await;
    assert_eq!(sent.len(), 2, "one request per call");
    assert_eq!(sent[1]["response_format"]["type"], "json_schema");
    assert_eq!(client.structured_output(), StructuredOutput::JsonSchema);
}

#[tokio::test]
async fn quota_exhausted_is_not_retried() {
    let server = MockServer::start().await;
    mount(
        &server,
        "no credit",
        error(
            429,
            "You exceeded your current quota, please check your plan and billing details.",
            "insufficient_quota",
            Some("insufficient_quota"),
        )
        .insert_header("retry-after", "0"),
        1,
    )
    .await;
    let client = builder(&server).api_key("sk-quota-key-99").build().unwrap();
    let err = client.suggest(&heat()).await.unwrap_err();
    assert!(err.is_quota_exhausted(), "{err:?}");
    assert!(!err.is_retryable());
    assert_eq!(err.status(), Some(429));
    let text = err.to_string();
    assert!(
        text.contains("no credit left") && text.contains("127.0.0.1"),
        "{text}"
    );
    assert!(!format!("{err:?}").contains("sk-quota-key-99"));
}

#[tokio::test]
async fn openrouter_402_is_no_credit_too() {
    let server = MockServer::start().await;
    mount(
        &server,
        "402",
        error(402, "Insufficient credits", "payment_required", None),
        1,
    )
    .await;
    let err = builder(&server)
        .build()
        .unwrap()
        .suggest(&heat())
        .await
        .unwrap_err();
    assert!(err.is_quota_exhausted(), "{err:?}");
}

#[tokio::test]
async fn rate_limit_is_retried_honouring_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            error(
                429,
                "Rate limit reached for requests",
                "requests",
                Some("rate_limit_exceeded"),
            )
            .insert_header("retry-after", "0"),
        )
        .up_to_n_times(1)
        .named("rate limited once")
        .expect(1)
        .mount(&server)
        .await;
    mount(&server, "then fine", completion(TWO_FILMS, "stop"), 1).await;
    // A long backoff would make this test slow: only the zero Retry-After
    // can keep it fast.
    let client = builder(&server)
        .retry(RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_secs(30),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(30),
        })
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let answer = client.suggest(&heat()).await.unwrap();
    assert_eq!(answer.len(), 2);
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn persistent_rate_limit_gives_up_after_the_retries() {
    let server = MockServer::start().await;
    mount(
        &server,
        "always limited",
        error(
            429,
            "Rate limit reached",
            "requests",
            Some("rate_limit_exceeded"),
        ),
        3,
    )
    .await;
    let err = builder(&server)
        .build()
        .unwrap()
        .suggest(&heat())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn server_errors_are_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).set_body_string("upstream busy"))
        .up_to_n_times(2)
        .named("busy twice")
        .expect(2)
        .mount(&server)
        .await;
    mount(&server, "then fine", completion(TWO_FILMS, "stop"), 1).await;
    let answer = builder(&server)
        .build()
        .unwrap()
        .suggest(&heat())
        .await
        .unwrap();
    assert_eq!(answer.len(), 2);
}

#[tokio::test]
async fn bad_key_names_the_host_not_the_key() {
    let server = MockServer::start().await;
    mount(
        &server,
        "401",
        error(
            401,
            "Incorrect API key provided: sk-wron*****-key",
            "invalid_request_error",
            Some("invalid_api_key"),
        ),
        1,
    )
    .await;
    let err = builder(&server)
        .api_key("sk-wrong-secret-key")
        .build()
        .unwrap()
        .suggest(&heat())
        .await
        .unwrap_err();
    assert!(err.is_unauthorized());
    let text = err.to_string();
    assert!(
        text.contains("rejected the api key") && text.contains("127.0.0.1"),
        "{text}"
    );
    assert!(
        !text.contains("sk-wrong-secret-key")
            && !format!("{err:?}").contains("sk-wrong-secret-key")
    );
}

#[tokio::test]
async fn unknown_model_and_wrong_base_url_are_told_apart() {
    let server = MockServer::start().await;
    mount(
        &server,
        "no such model",
        error(
            404,
            "model \"llama9\" not found, try pulling it first",
            "not_found_error",
            None,
        ),
        1,
    )
    .await;
    let err = builder(&server)
        .build()
        .unwrap()
        .suggest(&heat())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::ModelNotFound { model, .. } if model == "test-model"),
        "{err:?}"
    );
    assert!(err.is_not_found());
    assert!(err.to_string().contains("\"test-model\""));

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(404).set_body_string("404 page not found"))
        .named("no such endpoint")
        .expect(1)
        .mount(&server)
        .await;
    let err = LlmClient::builder(server.uri(), "m")
        .build()
        .unwrap()
        .suggest(&heat())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::EndpointNotFound { .. }), "{err:?}");
    assert!(err.to_string().contains("/v1"));
}

#[tokio::test]
async fn slow_server_times_out() {
    let server = MockServer::start().await;
    mount(
        &server,
        "slow",
        completion(TWO_FILMS, "stop").set_delay(Duration::from_secs(5)),
        1,
    )
    .await;
    // Retries allowed, yet a timed-out completion is sent once: the server
    // would start over, and a slow local model would take minutes more.
    let client = builder(&server)
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let err = client.suggest(&heat()).await.unwrap_err();
    assert!(matches!(&err, Error::Timeout { .. }), "{err:?}");
    assert!(err.is_timeout());
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("timeouts.llm_seconds"), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn zero_count_sends_nothing() {
    let server = MockServer::start().await;
    mount(&server, "unused", completion(TWO_FILMS, "stop"), 0).await;
    let request = SuggestionRequest::contrast(SeedMovie::new("Heat"), 0);
    let answer = builder(&server)
        .build()
        .unwrap()
        .suggest(&request)
        .await
        .unwrap();
    assert!(answer.is_empty());
}

#[tokio::test]
async fn works_as_a_trait_object() {
    let server = MockServer::start().await;
    mount(&server, "completion", completion(TWO_FILMS, "stop"), 1).await;
    let recommender: std::sync::Arc<dyn Recommender> =
        std::sync::Arc::new(builder(&server).build().unwrap());
    assert_eq!(recommender.suggest(&heat()).await.unwrap().len(), 2);
}
