//! The executor against a real (wiremock) server: retries, timeouts, counts.

use std::time::Duration;

mod breaker;

use curator_http::{HttpClient, HttpConfig, HttpError, RequestStats, RetryPolicy, Safety};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn quick_retries() -> RetryPolicy {
    RetryPolicy {
        max_retries: 3,
        base_delay: Duration::from_millis(2),
        max_delay: Duration::from_millis(10),
        max_retry_after: Duration::from_millis(50),
    }
}

fn client(stats: &RequestStats, timeout: Duration) -> HttpClient {
    let config = HttpConfig {
        request_timeout: timeout,
        retry: quick_retries(),
        stats: Some(stats.clone()),
        ..HttpConfig::default()
    };
    HttpClient::new(config, Default::default()).unwrap()
}

#[tokio::test]
async fn retries_503_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/thing"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .expect(2)
        .named("two failures")
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/thing"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"ok":true}"#))
        .expect(1)
        .named("then success")
        .mount(&server)
        .await;
    let stats = RequestStats::new();
    let http = client(&stats, Duration::from_secs(5));
    let uri = format!("{}/thing", server.uri());
    let answer = http
        .send("test.thing", Safety::Idempotent, |c| c.get(&uri))
        .await
        .unwrap();
    let value: serde_json::Value = answer.json("test.thing").unwrap();
    assert_eq!(value["ok"], true);
    assert_eq!(stats.count("test.thing"), 3);
}

#[tokio::test]
async fn a_post_that_is_not_idempotent_is_sent_once_on_503() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).set_body_string("busy"))
        .expect(1)
        .named("create")
        .mount(&server)
        .await;
    let stats = RequestStats::new();
    let http = client(&stats, Duration::from_secs(5));
    let uri = format!("{}/create", server.uri());
    let answer = http
        .send("test.create", Safety::NotIdempotent, |c| c.post(&uri))
        .await
        .unwrap();
    assert_eq!(answer.status.as_u16(), 503);
    let error = answer.success("test.create").unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(error.to_string(), "test.create: server answered 503: busy");
}

#[tokio::test]
async fn a_429_is_retried_even_for_a_post_honouring_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&server)
        .await;
    let stats = RequestStats::new();
    let http = client(&stats, Duration::from_secs(5));
    let uri = format!("{}/create", server.uri());
    let answer = http
        .send("test.create", Safety::NotIdempotent, |c| c.post(&uri))
        .await
        .unwrap();
    assert_eq!(answer.status.as_u16(), 201);
}

#[tokio::test]
async fn gives_up_after_the_last_retry_with_the_final_answer() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502))
        .expect(4)
        .mount(&server)
        .await;
    let stats = RequestStats::new();
    let http = client(&stats, Duration::from_secs(5));
    let uri = server.uri();
    let answer = http
        .send("test.read", Safety::Idempotent, |c| c.get(&uri))
        .await
        .unwrap();
    assert_eq!(answer.status.as_u16(), 502);
    assert_eq!(stats.count("test.read"), 4);
}

#[tokio::test]
async fn a_slow_server_times_out_and_the_error_has_no_url() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let stats = RequestStats::new();
    let http = client(&stats, Duration::from_millis(100));
    let uri = format!("{}/slow?api_key=hunter2hunter2", server.uri());
    let error = http
        .send("test.slow", Safety::NotIdempotent, |c| c.get(&uri))
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    // A timed-out write is not repeated: the server may have acted on it.
    assert_eq!(stats.count("test.slow"), 1);
    let shown = format!("{error} {error:?} {:?}", std::error::Error::source(&error));
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(!shown.contains("127.0.0.1"), "{shown}");
}

#[tokio::test]
async fn connection_refused_is_a_connect_error() {
    // Bind a port, then free it, so nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let stats = RequestStats::new();
    let http = client(&stats, Duration::from_secs(1));
    let uri = format!("http://127.0.0.1:{port}/");
    let error = http
        .send("test.down", Safety::Idempotent, |c| c.get(&uri))
        .await
        .unwrap_err();
    assert!(matches!(error, HttpError::Transport { .. }), "{error:?}");
    assert_eq!(error.op(), "test.down");
    assert_eq!(stats.count("test.down"), 4);
}

#[tokio::test]
async fn an_answer_marked_final_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(429)
                .set_body_string(r#"{"error":{"code":"insufficient_quota"}}"#),
        )
        .expect(1)
        .mount(&server)
        .await;
    let stats = RequestStats::new();
    let http = client(&stats, Duration::from_secs(5));
    let uri = server.uri();
    let answer = http
        .send_unless(
            "test.quota",
            Safety::Idempotent,
            |c| c.post(&uri),
            |r| r.text().contains("insufficient_quota"),
        )
        .await
        .unwrap();
    assert_eq!(answer.status.as_u16(), 429);
    assert_eq!(stats.count("test.quota"), 1);
}

#[tokio::test]
async fn an_expensive_read_is_retried_after_a_503_but_not_after_a_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/library"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/library"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let stats = RequestStats::new();
    let http = client(&stats, Duration::from_millis(100));
    let uri = format!("{}/library", server.uri());
    let error = http
        .send("test.library", Safety::ExpensiveRead, |c| c.get(&uri))
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    // The 503 was retried; the timeout that followed was not.
    assert_eq!(stats.count("test.library"), 2);
}
