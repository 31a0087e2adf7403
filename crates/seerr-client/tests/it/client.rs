//! The client against wiremock: what is sent, what is decoded, retries and
//! error messages.

use std::time::Duration;

use seerr_client::{
    Error, MediaKind, MediaStatus, NewRequest, RequestOutcome, RequestStats, RequestStatus,
    SeerrApi, SeerrClient, TmdbId, TvdbId, op,
};
use serde_json::json;
use wiremock::matchers::{any, body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::{KEY, client, client_with_stats, created_json, fast_retries};

#[tokio::test]
async fn status_sends_the_key_in_a_header_and_never_in_the_url() {
    // `checkUser` reads `X-API-Key` (server/middleware/auth.ts).
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/status"))
        .and(header("X-Api-Key", KEY))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "version": "1.34.0",
            "commitTag": "0d2b9a3",
            "updateAvailable": false,
            "commitsBehind": 0,
            "restartRequired": false
        })))
        .named("status")
        .expect(1)
        .mount(&server)
        .await;

    let status = client(&server).status().await.unwrap();

    assert_eq!(status.version, "1.34.0");
    assert_eq!(status.commit_tag.as_deref(), Some("0d2b9a3"));
    let requests = server.received_requests().await.unwrap();
    assert!(!requests[0].url.as_str().contains(KEY));
    assert_eq!(requests[0].url.query(), None);
}

#[tokio::test]
async fn keeps_the_url_base_of_a_reverse_proxied_seerr() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/seerr/api/v1/auth/me"))
        .and(header("X-Api-Key", KEY))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "permissions": 262_176, "id": 7, "email": "kid@example.org",
            "plexUsername": null, "username": "kid", "userType": 2,
            "avatar": "/avatar.png", "displayName": "", "requestCount": 0
        })))
        .named("me under /seerr")
        .expect(1)
        .mount(&server)
        .await;
    let seerr = SeerrClient::builder(format!("{}/seerr", server.uri()), KEY)
        .build()
        .unwrap();

    let me = seerr.me().await.unwrap();

    assert_eq!(me.id, 7);
    assert_eq!(me.name(), "kid");
    // REQUEST (32) | REQUEST_MOVIE (262144): requests wait for approval.
    assert!(me.permissions.may_request(MediaKind::Show));
    assert!(!me.permissions.auto_approves(MediaKind::Movie));
}

#[tokio::test]
async fn a_movie_request_sends_the_kind_and_tmdb_id_and_reads_the_201() {
    // overseerr-api.yml, POST /request: mediaType and mediaId required.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/request"))
        .and(header("X-Api-Key", KEY))
        .and(header("Content-Type", "application/json"))
        .and(body_json(
            json!({"mediaType": "movie", "mediaId": 27205, "is4k": false}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(created_json(
            12,
            "movie",
            27205,
            &[],
        )))
        .named("request a movie")
        .expect(1)
        .mount(&server)
        .await;

    let outcome = client(&server)
        .request(&NewRequest::movie(TmdbId(27205)))
        .await
        .unwrap();

    let RequestOutcome::Created(created) = outcome else {
        panic!("expected a created request, got {outcome:?}");
    };
    assert_eq!(created.id, 12);
    assert_eq!(created.status, RequestStatus::Approved);
    assert_eq!(created.kind, Some(MediaKind::Movie));
    let media = created.media.unwrap();
    assert_eq!(media.tmdb_id, Some(TmdbId(27205)));
    assert_eq!(media.status, MediaStatus::Pending);
}

#[tokio::test]
async fn a_show_request_sends_its_seasons_tvdb_id_and_server() {
    // MediaRequest.request reads `seasons` ("all" or numbers) unchecked
    // for tv, so a show always sends it.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/request"))
        .and(body_json(json!({
            "mediaType": "tv",
            "mediaId": 1396,
            "tvdbId": 81189,
            "seasons": "all",
            "is4k": false,
            "serverId": 1,
            "profileId": 4,
            "rootFolder": "/tv"
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(created_json(
            13,
            "tv",
            1396,
            &[1, 2, 3],
        )))
        .named("request a show")
        .expect(1)
        .mount(&server)
        .await;
    let request = NewRequest::show(TmdbId(1396))
        .with_tvdb_id(TvdbId(81189))
        .with_server(1, Some(4), Some("/tv".into()));

    let outcome = client(&server).request(&request).await.unwrap();

    let RequestOutcome::Created(created) = outcome else {
        panic!("expected a created request, got {outcome:?}");
    };
    let seasons: Vec<u32> = created.seasons.iter().map(|s| s.season_number).collect();
    assert_eq!(seasons, [1, 2, 3]);
    assert_eq!(created.kind, Some(MediaKind::Show));
}

#[tokio::test]
async fn duplicates_are_outcomes_not_errors() {
    // request.ts: DuplicateMediaRequestError -> 409, NoSeasonsAvailableError
    // -> 202, both through the error handler's `{message}`.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/request"))
        .and(body_json(
            json!({"mediaType": "movie", "mediaId": 603, "is4k": false}),
        ))
        .respond_with(ResponseTemplate::new(409).set_body_json(json!({
            "message": "Request for this media already exists."
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/request"))
        .and(body_json(
            json!({"mediaType": "tv", "mediaId": 1399, "seasons": "all", "is4k": false}),
        ))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({
            "message": "No seasons available to request"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let seerr = client(&server);

    let movie = seerr
        .request(&NewRequest::movie(TmdbId(603)))
        .await
        .unwrap();
    let show = seerr
        .request(&NewRequest::show(TmdbId(1399)))
        .await
        .unwrap();

    assert_eq!(
        movie,
        RequestOutcome::AlreadyRequested("Request for this media already exists.".into())
    );
    assert_eq!(
        show,
        RequestOutcome::NothingToRequest("No seasons available to request".into())
    );
    assert!(!movie.was_created() && !show.was_created());
}

#[tokio::test]
async fn refusals_say_why_and_name_the_operation() {
    // request.ts: RequestPermissionError and QuotaRestrictedError -> 403
    // `{message}`; anything else -> 500 `{message}`.
    let cases = [
        (
            403,
            json!({"message": "You do not have permission to make series requests."}),
        ),
        (403, json!({"message": "Movie Quota exceeded."})),
        (
            500,
            json!({"message": "[TMDB] Failed to fetch movie details: Request failed with status code 404"}),
        ),
    ];
    let mut errors = Vec::new();
    for (status, body) in cases {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/api/v1/request"))
            .respond_with(ResponseTemplate::new(status).set_body_json(body))
            .expect(1)
            .mount(&server)
            .await;
        errors.push(
            client(&server)
                .request(&NewRequest::movie(TmdbId(1)))
                .await
                .unwrap_err(),
        );
    }

    assert!(matches!(&errors[0], Error::Forbidden { message, .. } if message.contains("series")));
    assert!(matches!(&errors[1], Error::QuotaExceeded { .. }));
    assert!(errors[1].is_refused());
    assert!(matches!(&errors[2], Error::Api { status: 500, .. }));
    assert_eq!(
        errors[2].to_string(),
        "seerr.request: seerr answered 500: [TMDB] Failed to fetch movie details: Request failed with status code 404"
    );
    for error in &errors {
        assert_eq!(error.op(), Some(op::REQUEST));
        assert!(!error.to_string().contains("127.0.0.1"));
    }
}

#[tokio::test]
async fn a_key_seerr_does_not_know_is_unauthorized() {
    // isAuthenticated: no user for the key -> 403 {status, error}.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/auth/me"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({
            "status": 403,
            "error": "You do not have permission to access this endpoint"
        })))
        .expect(1)
        .mount(&server)
        .await;

    let error = client(&server).me().await.unwrap_err();

    assert!(error.is_unauthorized());
    assert_eq!(error.status(), Some(403));
    assert!(
        error
            .to_string()
            .starts_with("seerr.me: seerr did not accept the api key")
    );
}

#[tokio::test]
async fn a_request_is_sent_exactly_once_even_when_the_answer_is_a_503() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/request"))
        .respond_with(ResponseTemplate::new(503).set_body_string("upstream down"))
        .named("request")
        .expect(1)
        .mount(&server)
        .await;
    let stats = RequestStats::new();

    let error = client_with_stats(&server, &stats)
        .request(&NewRequest::movie(TmdbId(27205)))
        .await
        .unwrap_err();

    assert_eq!(error.status(), Some(503));
    assert_eq!(stats.count(op::REQUEST), 1);
}

#[tokio::test]
async fn reads_are_retried_after_a_503_and_a_429() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/status"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/status"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/status"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"version": "2.3.0"})))
        .expect(1)
        .mount(&server)
        .await;
    let stats = RequestStats::new();

    let status = client_with_stats(&server, &stats).status().await.unwrap();

    assert_eq!(status.version, "2.3.0");
    assert_eq!(stats.count(op::STATUS), 3);
}

#[tokio::test]
async fn a_hung_server_times_out() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"version": "1.34.0"}))
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;
    let seerr = SeerrClient::builder(server.uri(), KEY)
        .request_timeout(Duration::from_millis(100))
        .retry_policy(fast_retries(0))
        .build()
        .unwrap();

    let error = seerr.status().await.unwrap_err();

    assert!(error.is_timeout(), "{error:?}");
}

#[tokio::test]
async fn the_key_never_shows_in_debug_output_or_errors() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500).set_body_string(format!("bad key {KEY}")))
        .mount(&server)
        .await;
    let seerr = client(&server);

    let error = seerr.me().await.unwrap_err();

    assert!(!format!("{seerr:?}").contains(KEY));
    assert!(!format!("{error:?}").contains(KEY));
    assert!(!error.to_string().contains(KEY));
}

#[test]
fn the_builder_says_what_to_fix() {
    let blank = SeerrClient::builder("http://nas:5055", "  ")
        .build()
        .unwrap_err();
    assert!(blank.to_string().contains("Settings > General > API Key"));
    let url = SeerrClient::builder("nas:5055", KEY).build().unwrap_err();
    assert!(url.to_string().contains("http://"));
    let query = SeerrClient::builder("http://nas:5055/?apikey=x", KEY)
        .build()
        .unwrap_err();
    assert!(query.to_string().contains("query"));
}
