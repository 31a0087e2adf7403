//! Discord, ntfy, Gotify and the generic webhook against wiremock: what
//! is sent (path, headers, body) as each receiver's docs describe it.

use std::time::Duration;

use curator_http::Secret;
use curator_notify::{Level, Message, MessageKind, Notifier, On, Receiver, Target};
use serde_json::Value;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn failed_run() -> Message {
    Message::new(
        MessageKind::Run,
        Level::Problem,
        "curator: Inception (2010) had problems",
    )
    .summary("1 step failed")
    .section(
        "Immaculate taste recommendations",
        ["radarr: connection refused"],
    )
    .data(serde_json::json!({ "outcome": "problems" }))
}

fn notifier(targets: Vec<Target>) -> Notifier {
    Notifier::new(targets).unwrap().retry_delay(Duration::ZERO)
}

async fn bodies(server: &MockServer) -> Vec<Value> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

/// Discord's Execute Webhook: POST to the webhook URL, JSON with
/// `content` and `embeds[]` (`title`, `description`, `color`,
/// `fields[]{name,value,inline}`); Discord answers 204 without `?wait`.
#[tokio::test]
async fn discord_gets_an_embed_with_the_failing_step_and_reason() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/webhooks/123/hook-token"))
        .and(header("content-type", "application/json"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .named("discord execute webhook")
        .mount(&server)
        .await;
    let target = Target::new(
        "discord",
        Receiver::Discord {
            webhook: Secret::new(format!("{}/api/webhooks/123/hook-token", server.uri())),
        },
    );
    let delivery = notifier(vec![target]).send(&failed_run()).await;
    assert_eq!((delivery.sent(), delivery.failed()), (1, 0));
    let body = &bodies(&server).await[0];
    assert_eq!(body["content"], "curator: Inception (2010) had problems");
    let embed = &body["embeds"][0];
    assert_eq!(embed["title"], "curator: Inception (2010) had problems");
    assert_eq!(embed["description"], "1 step failed");
    assert_eq!(embed["color"], 0x00E7_4C3C);
    assert_eq!(
        embed["fields"][0],
        serde_json::json!({
            "name": "Immaculate taste recommendations",
            "value": "radarr: connection refused",
            "inline": false,
        })
    );
    assert_eq!(body["allowed_mentions"]["parse"], serde_json::json!([]));
}

/// ntfy's "Publish as JSON": POST to the root URL with `topic`, `title`,
/// `message`, `priority` (4 = high) and `tags`; an access token as
/// `Authorization: Bearer`.
#[tokio::test]
async fn ntfy_gets_a_json_publish_with_high_priority_on_failure() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/"))
        .and(header("authorization", "Bearer tk_token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "x"})))
        .expect(1)
        .named("ntfy publish")
        .mount(&server)
        .await;
    let target = Target::new(
        "phone",
        Receiver::Ntfy {
            server: format!("{}/", server.uri()),
            topic: Secret::new("curator-alerts"),
            token: Some(Secret::new("tk_token")),
        },
    );
    let delivery = notifier(vec![target]).send(&failed_run()).await;
    assert_eq!(delivery.sent(), 1);
    let body = &bodies(&server).await[0];
    assert_eq!(body["topic"], "curator-alerts");
    assert_eq!(body["title"], "curator: Inception (2010) had problems");
    assert_eq!(body["priority"], 4);
    assert_eq!(body["tags"], serde_json::json!(["warning"]));
    assert_eq!(
        body["message"],
        "1 step failed\n\nImmaculate taste recommendations:\n- radarr: connection refused"
    );
}

/// Gotify's `POST /message`: the app token in `X-Gotify-Key` (not in the
/// query), JSON `title`, `message`, `priority`.
#[tokio::test]
async fn gotify_gets_the_token_in_its_header_and_a_high_priority() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/gotify/message"))
        .and(header("x-gotify-key", "AppToken123"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": 1})))
        .expect(1)
        .named("gotify message")
        .mount(&server)
        .await;
    let target = Target::new(
        "gotify",
        Receiver::Gotify {
            server: format!("{}/gotify", server.uri()),
            token: Secret::new("AppToken123"),
        },
    );
    notifier(vec![target]).send(&failed_run()).await;
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].url.query(), None);
    let body = &bodies(&server).await[0];
    assert_eq!(body["priority"], 8);
    assert_eq!(body["title"], "curator: Inception (2010) had problems");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("connection refused")
    );
}

#[tokio::test]
async fn the_generic_webhook_gets_the_message_and_its_data() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/hook"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .named("webhook")
        .mount(&server)
        .await;
    let target = Target::new(
        "hook",
        Receiver::Webhook {
            url: Secret::new(format!("{}/hook?key=abc", server.uri())),
        },
    );
    notifier(vec![target]).send(&failed_run()).await;
    let body = &bodies(&server).await[0];
    assert_eq!(body["event"], "run");
    assert_eq!(body["level"], "problem");
    assert_eq!(body["data"]["outcome"], "problems");
    assert_eq!(
        body["sections"][0]["lines"][0],
        "radarr: connection refused"
    );
}

#[tokio::test]
async fn only_the_targets_that_want_a_message_get_it() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let hook = |name: &str, on: On| {
        Target::new(
            name,
            Receiver::Webhook {
                url: Secret::new(format!("{}/{name}", server.uri())),
            },
        )
        .on(on)
    };
    let notifier = notifier(vec![
        hook("failure", On::Failure),
        hook("changes", On::Changes),
        hook("always", On::Always),
    ]);
    let changed = Message::new(MessageKind::Run, Level::Changes, "changed");
    let names =
        |d: curator_notify::Delivery| d.results.into_iter().map(|(n, _)| n).collect::<Vec<_>>();
    assert_eq!(names(notifier.send(&changed).await), ["changes", "always"]);
    let quiet = Message::new(MessageKind::Run, Level::Ok, "nothing");
    assert_eq!(names(notifier.send(&quiet).await), ["always"]);
    let paths: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    assert_eq!(paths, ["/changes", "/always", "/always"]);
}

#[tokio::test]
async fn a_failed_send_is_retried_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .with_priority(1)
        .named("first attempt fails")
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .named("second attempt")
        .mount(&server)
        .await;
    let target = Target::new(
        "discord",
        Receiver::Discord {
            webhook: Secret::new(format!("{}/api/webhooks/1/t", server.uri())),
        },
    );
    let delivery = notifier(vec![target]).send(&failed_run()).await;
    assert_eq!((delivery.sent(), delivery.failed()), (1, 0));
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_receiver_that_stays_down_is_reported_without_its_secret() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(404).set_body_string("Unknown Webhook"))
        .expect(2)
        .named("twice refused")
        .mount(&server)
        .await;
    let target = Target::new(
        "discord",
        Receiver::Discord {
            webhook: Secret::new(format!("{}/api/webhooks/1/SECRET-TOKEN", server.uri())),
        },
    );
    let delivery = notifier(vec![target]).send(&failed_run()).await;
    assert_eq!(delivery.failed(), 1);
    let error = delivery.results[0].1.as_ref().unwrap_err();
    let shown = format!("{error} {error:?}");
    assert!(shown.contains("discord.send"), "{shown}");
    assert!(shown.contains("404"), "{shown}");
    assert!(!shown.contains("SECRET-TOKEN"), "{shown}");
    assert!(!shown.contains("/api/webhooks"), "{shown}");
}
