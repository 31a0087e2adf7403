//! The real client against the fake behaving like each real server
//! (`FakeLlm::behaves_like`): every quirk we know of, with the request
//! sequence it costs.
#![cfg(feature = "fake")]

use llm_recs::fake::{AnswerStyle, FakeLlm, FakeLlmSeed, LlmFault, ServerProfile};
use llm_recs::{
    Error, ListSpec, ListsRequest, LlmClient, Recommender, SeedMovie, StructuredOutput, Suggestion,
    SuggestionKind, SuggestionRequest, TokenLimitField, tokens_for,
};
use serde_json::Value;

fn heat(count: usize) -> SuggestionRequest {
    SuggestionRequest::similar(SeedMovie::new("Heat").with_year(1995), count)
}

async fn fake(profile: ServerProfile) -> FakeLlm {
    let fake = FakeLlm::start(FakeLlmSeed::demo()).await;
    fake.behaves_like(profile);
    fake
}

fn format_of(body: &Value) -> Option<&str> {
    body.get("response_format")?["type"].as_str()
}

/// llama-cpp-python's server answers 500 to `json_schema` ("Input should
/// be 'text' or 'json_object'", seen on a real server); its `json_object`
/// takes the schema (llama-cpp-python `examples/hf_pull/main.py`).
#[tokio::test]
async fn llama_cpp_python_500_on_json_schema_steps_down_to_json_object_once() {
    let fake = fake(ServerProfile::LlamaCppPython).await;
    let client = fake.client_builder("smollm2").build().unwrap();

    let answer = client.suggest(&heat(4)).await.unwrap();
    assert_eq!(answer.len(), 4);
    let sent = fake.requests();
    assert_eq!(sent.len(), 2);
    assert_eq!(format_of(&sent[0].body), Some("json_schema"));
    assert_eq!(format_of(&sent[1].body), Some("json_object"));
    assert!(
        sent[1].body["response_format"]["schema"]["properties"]["suggestions"].is_object(),
        "the schema rides along for the grammar"
    );
    assert_eq!(client.structured_output(), StructuredOutput::JsonObject);

    // Remembered by the client and its clones.
    client.clone().suggest(&heat(4)).await.unwrap();
    assert_eq!(fake.request_count(), 3);
    assert_eq!(
        format_of(&fake.last_request().unwrap().body),
        Some("json_object")
    );
}

#[tokio::test]
async fn a_server_that_takes_no_response_format_ends_at_text() {
    let fake = fake(ServerProfile::NoResponseFormat).await;
    fake.set_style(AnswerStyle::NumberedList);
    let client = fake.client_builder("m").build().unwrap();
    assert_eq!(client.suggest(&heat(3)).await.unwrap().len(), 3);
    let formats: Vec<Option<String>> = fake
        .requests()
        .iter()
        .map(|r| format_of(&r.body).map(str::to_owned))
        .collect();
    assert_eq!(
        formats,
        [
            Some("json_schema".to_owned()),
            Some("json_object".to_owned()),
            None
        ]
    );
    assert_eq!(client.structured_output(), StructuredOutput::Text);
}

/// OpenAI's reasoning models: 400 `param: temperature` /
/// `unsupported_value`, 400 `param: max_tokens` / `unsupported_parameter`
/// (OpenAI API reference, chat completions: `max_tokens` "is not compatible
/// with o-series models"), and reasoning tokens counted in the limit.
#[tokio::test]
async fn openai_reasoning_models_lose_the_temperature_swap_the_field_and_get_room() {
    let fake = fake(ServerProfile::OpenAiReasoning).await;
    let client = fake
        .client_builder("gpt-5-mini")
        .temperature(0.7)
        .token_limit_field(TokenLimitField::MaxTokens)
        .reasoning_effort("low")
        .build()
        .unwrap();

    let answer = client.suggest(&heat(5)).await.unwrap();
    assert_eq!(answer.len(), 5);
    let sent = fake.requests();
    assert_eq!(sent.len(), 4, "temperature, field, budget, answer");
    assert!(sent[0].body.get("temperature").is_some());
    assert!(sent[1].body.get("temperature").is_none());
    assert!(sent[1].body.get("max_tokens").is_some());
    let budget = tokens_for(5) + llm_recs::REASONING_HEADROOM;
    assert_eq!(sent[2].body["max_completion_tokens"], budget);
    assert_eq!(sent[3].body["max_completion_tokens"], budget * 2);
    assert!(sent.iter().all(|r| r.body["reasoning_effort"] == "low"));
    assert!(!client.sends_temperature());
    assert_eq!(
        client.token_limit_field(),
        TokenLimitField::MaxCompletionTokens
    );

    // What was learned holds: the next call sends neither again.
    fake.clear_requests();
    client.suggest(&heat(5)).await.unwrap();
    let sent = fake.requests();
    assert!(sent.iter().all(|r| r.body.get("temperature").is_none()));
    assert!(sent.iter().all(|r| r.body.get("max_tokens").is_none()));
}

#[tokio::test]
async fn an_empty_answer_at_the_limit_is_doubled_once_then_reported() {
    let fake = fake(ServerProfile::OpenAiReasoning).await;
    let client = fake
        .client_builder("o4-mini")
        .token_limit_field(TokenLimitField::MaxCompletionTokens)
        .build()
        .unwrap();
    let err = client.suggest(&heat(5)).await.unwrap_err();
    assert!(
        matches!(&err, Error::EmptyAnswer { finish_reason } if finish_reason.as_deref() == Some("length")),
        "{err:?}"
    );
    let budgets: Vec<u64> = fake
        .requests()
        .iter()
        .map(|r| r.body["max_completion_tokens"].as_u64().unwrap())
        .collect();
    let base = u64::from(tokens_for(5));
    assert_eq!(budgets, [base, base * 2]);
}

/// LM Studio answers a wrong path with a 200 and `{"error": "Unexpected
/// endpoint or method. (POST ...)"}`: an error, not an empty answer.
#[tokio::test]
async fn lm_studio_wrong_path_is_an_endpoint_error_and_a_bare_host_gets_v1() {
    let fake = fake(ServerProfile::LmStudio).await;
    let wrong = LlmClient::builder(format!("{}/api", fake.uri()), "qwen")
        .build()
        .unwrap();
    let err = wrong.suggest(&heat(3)).await.unwrap_err();
    assert!(matches!(&err, Error::EndpointNotFound { .. }), "{err:?}");
    assert!(err.to_string().contains("/v1"), "{err}");

    let bare = LlmClient::builder(fake.uri(), "qwen").build().unwrap();
    assert_eq!(bare.suggest(&heat(3)).await.unwrap().len(), 3);
    assert_eq!(fake.last_request().unwrap().path, "/v1/chat/completions");
}

#[tokio::test]
async fn a_200_with_an_error_body_is_an_error() {
    let fake = fake(ServerProfile::OpenAi).await;
    fake.fail_next(LlmFault::ErrorIn200 { code: 502 }, 1);
    let client = fake.client_builder("openrouter/auto").build().unwrap();
    let err = client.suggest(&heat(3)).await.unwrap_err();
    match &err {
        Error::Api {
            status: 502,
            message,
            ..
        } => assert_eq!(message, "Provider returned error"),
        other => panic!("unexpected {other:?}"),
    }
}

/// vLLM's older error shape is read: the model error is told apart.
#[tokio::test]
async fn vllm_top_level_errors_are_read() {
    let fake = fake(ServerProfile::Vllm).await;
    fake.fail_next(LlmFault::ModelNotFound, 1);
    let client = fake.client_builder("Qwen/Qwen2.5-7B").build().unwrap();
    let err = client.suggest(&heat(3)).await.unwrap_err();
    assert!(matches!(&err, Error::ModelNotFound { .. }), "{err:?}");

    fake.fail_next(LlmFault::Status(400), 1);
    match client.suggest(&heat(3)).await.unwrap_err() {
        Error::Api { message, .. } => assert_eq!(message, "The server had an error (400)."),
        other => panic!("unexpected {other:?}"),
    }
}

/// A 404 whose body does not name the model is the endpoint, not the model.
#[tokio::test]
async fn a_404_that_does_not_name_the_model_is_the_endpoint() {
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .respond_with(wiremock::ResponseTemplate::new(404).set_body_json(
            serde_json::json!({"error": {"message": "Not Found", "type": "invalid_request_error"}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = LlmClient::builder(format!("{}/v1", server.uri()), "llama3")
        .build()
        .unwrap();
    let err = client.suggest(&heat(3)).await.unwrap_err();
    assert!(matches!(&err, Error::EndpointNotFound { .. }), "{err:?}");
}

#[tokio::test]
async fn daily_limits_are_not_retried() {
    for fault in [LlmFault::GeminiDailyQuota, LlmFault::OpenRouterDailyLimit] {
        let fake = fake(ServerProfile::OpenAi).await;
        fake.fail_next(fault.clone(), 5);
        let client = fake.client_builder("gemini-2.5-flash").build().unwrap();
        let err = client.suggest(&heat(3)).await.unwrap_err();
        assert!(
            matches!(&err, Error::UsageLimit { .. }),
            "{fault:?}: {err:?}"
        );
        assert!(!err.is_retryable());
        assert_eq!(fake.request_count(), 1, "{fault:?}");
    }
}

#[tokio::test]
async fn a_traceback_is_cut_to_its_first_line() {
    let fake = fake(ServerProfile::OpenAi).await;
    fake.fail_next(LlmFault::Traceback, 1);
    let client = fake
        .client_builder("m")
        .retry(llm_recs::RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.suggest(&heat(3)).await.unwrap_err();
    let shown = err.to_string();
    assert!(
        shown.ends_with("Traceback (most recent call last):"),
        "{shown}"
    );
    assert!(!shown.contains('\n'), "{shown}");
}

/// A reasoning template served without a reasoning parser leaves the
/// thinking and a lone `</think>` in the content.
#[tokio::test]
async fn a_lone_think_close_drops_the_thinking() {
    let fake = fake(ServerProfile::ThinkTemplate).await;
    fake.script(
        "Heat",
        SuggestionKind::Similar,
        vec![
            Suggestion::new("Thief", Some(1981)),
            Suggestion::new("Ronin", Some(1998)),
        ],
    );
    let client = fake.client_builder("qwq").build().unwrap();
    let answer = client.suggest(&heat(2)).await.unwrap();
    let titles: Vec<&str> = answer.items.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, ["Thief", "Ronin"]);
}

fn three_lists() -> ListsRequest {
    ListsRequest::new(
        SeedMovie::new("Heat").with_year(1995),
        vec![
            ListSpec::new("similar", SuggestionKind::Similar, 3),
            ListSpec::new("contrast", SuggestionKind::Contrast, 2),
            ListSpec::new("immaculate", SuggestionKind::Similar, 6),
        ],
    )
    .with_avoid(["Heat (1995)"])
}

/// One round trip for every list a run needs, on every answer style that
/// names its lists, on every profile.
#[tokio::test]
async fn all_lists_come_in_one_request() {
    let profiles = [
        ServerProfile::OpenAi,
        ServerProfile::LlamaCppPython,
        ServerProfile::ThinkTemplate,
        ServerProfile::Vllm,
    ];
    let styles = [
        AnswerStyle::StrictJson,
        AnswerStyle::FencedJson,
        AnswerStyle::NumberedList,
        AnswerStyle::ProseAndList,
    ];
    for profile in profiles {
        for style in styles {
            let fake = fake(profile).await;
            fake.set_style(style);
            fake.script(
                "Heat",
                SuggestionKind::Contrast,
                vec![
                    Suggestion::new("Paddington 2", Some(2017)),
                    Suggestion::new("Amélie", Some(2001)),
                ],
            );
            let client = fake.client_builder("m").build().unwrap();
            // Warm up what the client learns about the server.
            client.suggest(&heat(1)).await.unwrap();
            fake.clear_requests();

            let answers = client.suggest_lists(&three_lists()).await.unwrap();
            assert_eq!(fake.request_count(), 1, "{profile:?} {style:?}");
            let names: Vec<&str> = answers.iter().map(|a| a.name.as_str()).collect();
            assert_eq!(names, ["similar", "contrast", "immaculate"]);
            let lens: Vec<usize> = answers
                .iter()
                .map(|a| a.result.as_ref().map_or(0, llm_recs::Suggestions::len))
                .collect();
            assert_eq!(lens, [3, 2, 6], "{profile:?} {style:?}");
            let contrast = answers[1].result.as_ref().unwrap();
            assert_eq!(contrast.items[0].title, "Paddington 2");
        }
    }
}

#[tokio::test]
async fn a_list_the_answer_lacks_is_asked_for_alone() {
    let fake = fake(ServerProfile::OpenAi).await;
    // Nothing to suggest as a contrast in the combined answer, then a
    // list of its own when asked alone (the shorter script answers the
    // short request).
    fake.script("Heat", SuggestionKind::Contrast, Vec::new());
    let client = fake.client_builder("m").build().unwrap();
    let answers = client.suggest_lists(&three_lists()).await.unwrap();
    assert_eq!(fake.request_count(), 2);
    assert!(answers[0].result.is_ok());
    assert!(
        matches!(answers[1].result, Err(Error::Unparseable { .. })),
        "{:?}",
        answers[1].result
    );
    assert_eq!(answers[2].result.as_ref().unwrap().len(), 6);
    let alone = fake.last_request().unwrap();
    assert!(alone.message("user").unwrap().contains("palate cleanser"));
    assert!(!alone.message("user").unwrap().contains("\"similar\""));
}

/// A whole failure (bad key) is one error, not one per list.
#[tokio::test]
async fn a_failure_every_list_would_meet_is_one_error() {
    let fake = FakeLlm::start(FakeLlmSeed::demo().with_api_key("sk-right")).await;
    let client = LlmClient::builder(fake.base_url(), "m")
        .api_key("sk-wrong")
        .build()
        .unwrap();
    let err = client.suggest_lists(&three_lists()).await.unwrap_err();
    assert!(err.is_unauthorized(), "{err:?}");
    assert_eq!(fake.request_count(), 1);
}
