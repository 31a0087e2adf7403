//! The fake server, driven through the real client.
#![cfg(feature = "fake")]

use std::time::Duration;

use curator_http::fake::Fault;
use llm_recs::fake::{AnswerStyle, FakeLlm, FakeLlmSeed, LlmFault, OP_UNKNOWN};
use llm_recs::{
    Error, OP_CHAT_COMPLETIONS, ParsePath, Recommender, SeedMovie, Suggestion, SuggestionKind,
    SuggestionRequest,
};

fn heat(count: usize) -> SuggestionRequest {
    SuggestionRequest::similar(SeedMovie::new("Heat").with_year(1995), count)
}

fn titles(items: &[Suggestion]) -> Vec<String> {
    items.iter().map(ToString::to_string).collect()
}

#[tokio::test]
async fn scripted_answers_follow_seed_and_kind() {
    let fake = FakeLlm::start(FakeLlmSeed::new()).await;
    fake.script(
        "Heat",
        SuggestionKind::Similar,
        vec![Suggestion::new("Thief", Some(1981))],
    );
    fake.script(
        "Heat",
        SuggestionKind::Contrast,
        vec![Suggestion::new("Paddington 2", Some(2017)).with_reason("warmth")],
    );
    let client = fake.client_builder("any-model").build().unwrap();

    let similar = client.suggest(&heat(5)).await.unwrap();
    assert_eq!(titles(&similar.items), ["Thief (1981)"]);
    let contrast = client
        .suggest(&SuggestionRequest::contrast(SeedMovie::new("Heat"), 5))
        .await
        .unwrap();
    assert_eq!(
        contrast.items,
        [Suggestion::new("Paddington 2", Some(2017)).with_reason("warmth")]
    );
    assert_eq!(fake.request_count(), 2);
    assert_eq!(fake.completions(), 2);
    let last = fake.last_request().unwrap();
    assert_eq!(last.path, "/v1/chat/completions");
    assert!(last.authorization.is_none());
    assert!(last.message("user").unwrap().contains("palate cleanser"));
    assert!(last.message("system").is_some());
}

#[tokio::test]
async fn a_longer_request_gets_the_longer_script() {
    let fake = FakeLlm::start(FakeLlmSeed::new()).await;
    let list = |titles: &[&str]| -> Vec<Suggestion> {
        titles
            .iter()
            .map(|t| Suggestion::new(*t, Some(1990)))
            .collect()
    };
    fake.script("Heat", SuggestionKind::Similar, list(&["A", "B"]));
    fake.script("Heat", SuggestionKind::Similar, list(&["C", "D", "E", "F"]));
    let client = fake.client_builder("m").build().unwrap();
    let short = client.suggest(&heat(2)).await.unwrap();
    assert_eq!(titles(&short.items), ["A (1990)", "B (1990)"]);
    let long = client.suggest(&heat(3)).await.unwrap();
    assert_eq!(titles(&long.items), ["C (1990)", "D (1990)", "E (1990)"]);
    // Longer than any script: the longest one.
    let longest = client.suggest(&heat(9)).await.unwrap();
    assert_eq!(longest.items.len(), 4);
}

#[tokio::test]
async fn catalogue_picks_skip_the_seed_and_avoided_titles() {
    let fake = FakeLlm::start(FakeLlmSeed::demo()).await;
    let client = fake.client_builder("m").build().unwrap();
    let request = heat(12).with_avoid(["Thief (1981)", "Ronin"]);

    let first = client.suggest(&request).await.unwrap();
    assert_eq!(first.len(), 12);
    for avoided in ["Heat", "Thief", "Ronin"] {
        assert!(
            first.items.iter().all(|s| s.title != avoided),
            "{avoided} in {first:?}"
        );
    }
    // Deterministic: the same request gets the same answer.
    assert_eq!(client.suggest(&request).await.unwrap(), first);
    let contrast = client
        .suggest(&SuggestionRequest::contrast(
            SeedMovie::new("Heat").with_year(1995),
            12,
        ))
        .await
        .unwrap();
    assert_ne!(contrast.items, first.items);
}

#[tokio::test]
async fn every_answer_style_is_read() {
    let cases = [
        (AnswerStyle::StrictJson, ParsePath::Json, 1),
        (AnswerStyle::FencedJson, ParsePath::Json, 1),
        (AnswerStyle::NumberedList, ParsePath::Lines, 1),
        (AnswerStyle::ProseAndList, ParsePath::Lines, 1),
        // json_schema refused, json_object refused, then plain text.
        (AnswerStyle::RejectsResponseFormat, ParsePath::Lines, 3),
    ];
    for (style, path, requests) in cases {
        let fake = FakeLlm::start(FakeLlmSeed::demo().with_style(style)).await;
        let client = fake.client_builder("m").build().unwrap();
        let answer = client.suggest(&heat(6)).await.unwrap();
        assert_eq!(answer.len(), 6, "{style:?}");
        assert_eq!(answer.parse_path, path, "{style:?}");
        assert!(
            answer
                .items
                .iter()
                .all(|s| s.year.is_some() && s.reason.is_some()),
            "{style:?}: {answer:?}"
        );
        assert_eq!(fake.request_count(), requests, "{style:?}");
    }
}

#[tokio::test]
async fn truncated_refused_and_empty_answers() {
    let fake = FakeLlm::start(FakeLlmSeed::demo().with_style(AnswerStyle::Truncated)).await;
    let client = fake.client_builder("m").build().unwrap();
    let answer = client.suggest(&heat(6)).await.unwrap();
    assert!(answer.truncated);
    assert_eq!(answer.parse_path, ParsePath::PartialJson);
    assert_eq!(answer.len(), 5, "the cut item is dropped");

    fake.set_style(AnswerStyle::Refusal);
    assert!(matches!(
        client.suggest(&heat(6)).await,
        Err(Error::Refused { .. })
    ));
    fake.set_style(AnswerStyle::Empty);
    assert!(matches!(
        client.suggest(&heat(6)).await,
        Err(Error::EmptyAnswer { .. })
    ));
}

#[tokio::test]
async fn keys_and_models_are_checked() {
    let fake = FakeLlm::start(
        FakeLlmSeed::demo()
            .with_api_key("sk-fake-key")
            .with_models(["small"]),
    )
    .await;
    let good = fake.client_builder("small").build().unwrap();
    good.suggest(&heat(3)).await.unwrap();
    assert_eq!(
        fake.last_request().unwrap().authorization.as_deref(),
        Some("Bearer sk-fake-key")
    );

    let wrong_key = fake
        .client_builder("small")
        .api_key("sk-other")
        .build()
        .unwrap();
    assert!(
        wrong_key
            .suggest(&heat(3))
            .await
            .unwrap_err()
            .is_unauthorized()
    );
    let no_key = fake
        .client_builder("small")
        .api_key_opt(None)
        .build()
        .unwrap();
    assert!(
        no_key
            .suggest(&heat(3))
            .await
            .unwrap_err()
            .is_unauthorized()
    );

    let wrong_model = fake.client_builder("large").build().unwrap();
    assert!(matches!(
        wrong_model.suggest(&heat(3)).await,
        Err(Error::ModelNotFound { model, .. }) if model == "large"
    ));
    assert_eq!(fake.request_count(), 4);
    assert_eq!(fake.completions(), 1);
}

#[tokio::test]
async fn rate_limits_are_retried_and_quota_is_not() {
    let fake = FakeLlm::start(FakeLlmSeed::demo()).await;
    let client = fake.client_builder("m").build().unwrap();

    fake.fail_next(
        LlmFault::RateLimited {
            retry_after_secs: 0,
        },
        2,
    );
    assert_eq!(client.suggest(&heat(3)).await.unwrap().len(), 3);
    assert_eq!(fake.request_count(), 3);

    fake.clear_requests();
    fake.fail_next(LlmFault::QuotaExhausted, 5);
    assert!(
        client
            .suggest(&heat(3))
            .await
            .unwrap_err()
            .is_quota_exhausted()
    );
    assert_eq!(fake.request_count(), 1);
    assert_eq!(fake.requests().len(), 1);
}

#[tokio::test]
async fn shared_faults_and_unknown_paths() {
    let fake = FakeLlm::start(FakeLlmSeed::demo()).await;
    fake.faults()
        .inject(OP_CHAT_COMPLETIONS, Fault::Status(502), 1);
    let client = fake.client_builder("m").build().unwrap();
    assert_eq!(client.suggest(&heat(2)).await.unwrap().len(), 2);
    assert_eq!(fake.request_count(), 2);

    fake.faults()
        .inject(OP_CHAT_COMPLETIONS, Fault::Hang(Duration::from_secs(5)), 1);
    let impatient = fake
        .client_builder("m")
        .timeout(Duration::from_millis(100))
        .retry(llm_recs::RetryPolicy::none())
        .build()
        .unwrap();
    let err = impatient.suggest(&heat(2)).await.unwrap_err();
    assert!(matches!(&err, Error::Timeout { .. }), "{err:?}");

    let wrong_base = llm_recs::LlmClient::builder(format!("{}/api", fake.uri()), "m")
        .build()
        .unwrap();
    assert!(matches!(
        wrong_base.suggest(&heat(2)).await,
        Err(Error::EndpointNotFound { .. })
    ));
    assert_eq!(fake.stats().count(OP_UNKNOWN), 1);
}
