//! The breaker: after a failure that will not change within a run, later
//! requests fail at once with the first error and reach no server.

use std::time::Duration;

use curator_http::{Breaker, HttpClient, HttpConfig, HttpError, RequestStats, RetryPolicy, Safety};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(stats: &RequestStats, breaker: &Breaker, timeout: Duration) -> HttpClient {
    let config = HttpConfig {
        request_timeout: timeout,
        retry: RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(2),
            max_delay: Duration::from_millis(10),
            max_retry_after: Duration::from_millis(50),
        },
        stats: Some(stats.clone()),
        breaker: Some(breaker.clone()),
        ..HttpConfig::default()
    };
    HttpClient::new(config, Default::default()).unwrap()
}

async fn get(http: &HttpClient, op: &'static str, uri: &str) -> Result<u16, HttpError> {
    http.send(op, Safety::Idempotent, |c| c.get(uri))
        .await
        .map(|r| r.status.as_u16())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn a_refused_connection_marks_the_service_down_after_the_retries() {
    let stats = RequestStats::new();
    let breaker = Breaker::new();
    let http = client(&stats, &breaker, Duration::from_secs(1));
    let uri = format!("http://127.0.0.1:{}/", free_port());
    let first = get(&http, "svc.first", &uri).await.unwrap_err();
    assert!(matches!(first, HttpError::Transport { .. }), "{first:?}");
    assert_eq!(stats.count("svc.first"), 4, "the retries were made");
    assert!(breaker.is_down());
    // Every later request, whatever its operation, fails at once and names
    // the first error; nothing is sent.
    for _ in 0..5 {
        let later = get(&http, "svc.later", &uri).await.unwrap_err();
        assert!(later.is_down(), "{later:?}");
        assert_eq!(later.op(), "svc.later");
        let text = later.to_string();
        assert!(
            text.contains("svc.first: could not connect to the server"),
            "{text}"
        );
        assert!(!text.contains("127.0.0.1"), "{text}");
        assert!(!later.is_retryable());
    }
    assert_eq!(stats.count("svc.later"), 0);
    // Clones of the client share it.
    assert!(
        get(&http.clone(), "svc.clone", &uri)
            .await
            .unwrap_err()
            .is_down()
    );
    breaker.reset();
    assert!(!breaker.is_down());
    assert!(!get(&http, "svc.again", &uri).await.unwrap_err().is_down());
    assert_eq!(stats.count("svc.again"), 4);
}

#[tokio::test]
async fn two_timeouts_in_a_row_mark_it_down_without_waiting_for_more() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let stats = RequestStats::new();
    let breaker = Breaker::new();
    let http = client(&stats, &breaker, Duration::from_millis(100));
    let error = get(&http, "svc.slow", &server.uri()).await.unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    // Two attempts, not the four the retry policy allows.
    assert_eq!(stats.count("svc.slow"), 2);
    let later = get(&http, "svc.other", &server.uri()).await.unwrap_err();
    assert!(later.is_down(), "{later:?}");
    assert!(later.to_string().contains("timed out"), "{later}");
    assert_eq!(stats.count("svc.other"), 0);
}

#[tokio::test]
async fn one_timeout_then_an_answer_keeps_it_up() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let stats = RequestStats::new();
    let breaker = Breaker::new();
    let http = client(&stats, &breaker, Duration::from_millis(200));
    for _ in 0..3 {
        assert_eq!(get(&http, "svc.read", &server.uri()).await.unwrap(), 200);
    }
    assert!(!breaker.is_down());
}

#[tokio::test]
async fn a_401_marks_it_down_a_404_does_not() {
    let server = MockServer::start().await;
    Mock::given(path("/missing"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    Mock::given(path("/secret"))
        .respond_with(ResponseTemplate::new(401).set_body_string("bad key"))
        .mount(&server)
        .await;
    let stats = RequestStats::new();
    let breaker = Breaker::new();
    let http = client(&stats, &breaker, Duration::from_secs(5));
    let missing = format!("{}/missing", server.uri());
    for _ in 0..5 {
        assert_eq!(get(&http, "svc.missing", &missing).await.unwrap(), 404);
    }
    assert!(!breaker.is_down());
    // The 401 itself is handed back for the client to explain.
    let secret = format!("{}/secret", server.uri());
    assert_eq!(get(&http, "svc.secret", &secret).await.unwrap(), 401);
    let later = get(&http, "svc.missing", &missing).await.unwrap_err();
    assert!(later.is_down());
    // The body stays out of it: servers echo the credential they refused.
    assert!(
        later
            .to_string()
            .starts_with("svc.secret: server answered 401 ("),
        "{later}"
    );
    assert_eq!(stats.count("svc.missing"), 5);
}

#[tokio::test]
async fn a_refused_write_that_must_not_be_repeated_refuses_only_itself() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let stats = RequestStats::new();
    let breaker = Breaker::new();
    let http = client(&stats, &breaker, Duration::from_secs(5));
    let uri = server.uri();
    let status = http
        .send("svc.delete", Safety::NotIdempotent, |c| c.delete(&uri))
        .await
        .unwrap()
        .status;
    assert_eq!(status.as_u16(), 401);
    assert!(!breaker.is_down());
    assert_eq!(get(&http, "svc.read", &uri).await.unwrap(), 200);
}

#[tokio::test]
async fn a_403_marks_it_down_unless_the_service_uses_it_for_one_action() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(403))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let stats = RequestStats::new();
    for (breaker, down) in [
        (Breaker::new(), true),
        (Breaker::new().forbidden_is_down(false), false),
    ] {
        let http = client(&stats, &breaker, Duration::from_secs(5));
        let uri = server.uri();
        let status = http
            .send("svc.delete", Safety::Idempotent, |c| c.delete(&uri))
            .await
            .unwrap()
            .status;
        assert_eq!(status.as_u16(), 403);
        assert_eq!(breaker.is_down(), down);
        assert_eq!(get(&http, "svc.read", &uri).await.is_err(), down);
    }
}

#[tokio::test]
async fn one_500_is_one_bad_request_three_in_a_row_are_a_broken_server() {
    let server = MockServer::start().await;
    Mock::given(path("/bad"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    Mock::given(path("/good"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let stats = RequestStats::new();
    let breaker = Breaker::new();
    let http = client(&stats, &breaker, Duration::from_secs(5));
    let bad = format!("{}/bad", server.uri());
    let good = format!("{}/good", server.uri());
    // 500, 500, then an answer: the count starts again.
    for _ in 0..2 {
        assert_eq!(get(&http, "svc.bad", &bad).await.unwrap(), 500);
    }
    assert_eq!(get(&http, "svc.good", &good).await.unwrap(), 200);
    for _ in 0..2 {
        assert_eq!(get(&http, "svc.bad", &bad).await.unwrap(), 500);
    }
    assert!(!breaker.is_down());
    assert_eq!(get(&http, "svc.bad", &bad).await.unwrap(), 500);
    assert!(breaker.is_down());
    assert!(get(&http, "svc.good", &good).await.unwrap_err().is_down());
    assert_eq!(stats.count("svc.bad"), 5);
}

#[tokio::test]
async fn a_503_that_outlasts_the_retries_marks_it_down_a_429_does_not() {
    let server = MockServer::start().await;
    Mock::given(path("/busy"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .mount(&server)
        .await;
    Mock::given(path("/down"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let stats = RequestStats::new();
    let breaker = Breaker::new();
    let http = client(&stats, &breaker, Duration::from_secs(5));
    let busy = format!("{}/busy", server.uri());
    assert_eq!(get(&http, "svc.busy", &busy).await.unwrap(), 429);
    assert!(!breaker.is_down());
    let down = format!("{}/down", server.uri());
    assert_eq!(get(&http, "svc.down", &down).await.unwrap(), 503);
    assert_eq!(stats.count("svc.down"), 4);
    assert!(breaker.is_down());
}

#[tokio::test]
async fn without_a_breaker_nothing_is_remembered() {
    let stats = RequestStats::new();
    let config = HttpConfig {
        retry: RetryPolicy::none(),
        stats: Some(stats.clone()),
        ..HttpConfig::default()
    };
    let http = HttpClient::new(config, Default::default()).unwrap();
    let uri = format!("http://127.0.0.1:{}/", free_port());
    for _ in 0..3 {
        assert!(!get(&http, "svc.down", &uri).await.unwrap_err().is_down());
    }
    assert_eq!(stats.count("svc.down"), 3);
}

#[test]
fn a_callers_own_timer_counts_as_a_timeout() {
    let breaker = Breaker::new();
    assert!(!breaker.caller_timed_out("svc.chat", Duration::from_millis(1500)));
    assert!(breaker.caller_timed_out("svc.chat", Duration::from_millis(1500)));
    assert_eq!(
        breaker.down().as_deref(),
        Some("svc.chat: no answer within 2 s")
    );
    // One timeout that waited a minute or more is enough.
    let breaker = Breaker::new();
    assert!(breaker.caller_timed_out("svc.chat", curator_http::LONG_TIMEOUT));
    assert!(breaker.is_down());
}
