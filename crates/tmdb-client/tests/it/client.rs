//! The HTTP client against wiremock: what is sent and what is decoded.

use std::time::Duration;

use curator_http::{RequestStats, Secret};
use serde_json::json;
use tmdb_client::{
    CredentialKind, DiscoverQuery, DiscoverSort, Error, GenreId, ImdbId, TmdbApi, TmdbClient,
    TmdbId, ops,
};
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::{KEY, TOKEN, builder, chain, client};

fn search_payload() -> serde_json::Value {
    json!({
        "page": 2,
        "results": [
            {
                "adult": false,
                "backdrop_path": "/bd1.jpg",
                "genre_ids": [27, 9648, 878],
                "id": 1091,
                "original_language": "en",
                "original_title": "The Thing",
                "overview": "Researchers in Antarctica meet a shape-shifting alien.",
                "popularity": 33.3,
                "poster_path": "/p1.jpg",
                "release_date": "1982-06-25",
                "title": "The Thing",
                "video": false,
                "vote_average": 8.1,
                "vote_count": 7100
            },
            {
                "adult": false,
                "backdrop_path": null,
                "genre_ids": [],
                "id": 998877,
                "original_language": "en",
                "original_title": "The Thing About Thursdays",
                "overview": null,
                "popularity": 0.6,
                "poster_path": null,
                "release_date": "",
                "title": "The Thing About Thursdays",
                "video": false,
                "vote_average": 0,
                "vote_count": 0
            }
        ],
        "total_pages": 2,
        "total_results": 22
    })
}

#[tokio::test]
async fn search_sends_query_year_page_and_api_key_and_decodes_leniently() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/search/movie"))
        .and(query_param("query", "The Thing"))
        // TMDb's `year` matches any release date; the first one is what a
        // "Title (Year)" means (TMDb docs, search/movie).
        .and(query_param("primary_release_year", "1982"))
        .and(query_param("page", "2"))
        .and(query_param("api_key", KEY))
        .and(header("accept", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(search_payload()))
        .named("search")
        .expect(1)
        .mount(&server)
        .await;

    let tmdb = client(&server);
    assert_eq!(tmdb.credential_kind(), CredentialKind::ApiKey);
    let page = tmdb
        .search_movies("  The Thing ", Some(1982), 2)
        .await
        .unwrap();

    assert_eq!(
        (page.page, page.total_pages, page.total_results),
        (2, 2, 22)
    );
    assert!(!page.has_next());
    let thing = &page.results[0];
    assert_eq!(thing.id, TmdbId(1091));
    assert_eq!(thing.year, Some(1982));
    assert_eq!(thing.release_date.as_deref(), Some("1982-06-25"));
    assert_eq!(thing.genre_ids, [GenreId(27), GenreId(9648), GenreId(878)]);
    assert_eq!((thing.vote_average, thing.vote_count), (8.1, 7100));
    let unknown = &page.results[1];
    assert_eq!(
        (unknown.year, unknown.release_date.as_deref()),
        (None, None)
    );
    assert_eq!(unknown.overview, "");

    let sent = &server.received_requests().await.unwrap()[0];
    assert!(sent.headers.get("authorization").is_none());
}

#[tokio::test]
async fn empty_search_sends_nothing() {
    let server = MockServer::start().await;
    let page = client(&server).search_movies("   ", None, 1).await.unwrap();
    assert!(page.results.is_empty());
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn read_access_token_goes_in_a_bearer_header_and_never_in_the_url() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/genre/movie/list"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(query_param_is_missing("api_key"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "genres": [{"id": 28, "name": "Action"}, {"id": 878, "name": "Science Fiction"}]
        })))
        .named("genres with bearer")
        .expect(1)
        .mount(&server)
        .await;

    let tmdb = builder(&server, TOKEN).build().unwrap();
    assert_eq!(tmdb.credential_kind(), CredentialKind::ReadAccessToken);
    let genres = tmdb.genres().await.unwrap();
    assert_eq!(genres.len(), 2);
    assert_eq!(genres[1].id, GenreId(878));
    assert_eq!(genres[1].name, "Science Fiction");
    let sent = &server.received_requests().await.unwrap()[0];
    assert!(!sent.url.as_str().contains(TOKEN));
}

#[tokio::test]
async fn language_is_sent_when_set() {
    let server = MockServer::start().await;
    Mock::given(path("/genre/movie/list"))
        .and(query_param("language", "fr-FR"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"genres": []})))
        .named("genres in French")
        .expect(1)
        .mount(&server)
        .await;
    let tmdb = builder(&server, KEY).language("fr-FR").build().unwrap();
    assert!(tmdb.genres().await.unwrap().is_empty());
}

#[tokio::test]
async fn movie_details_carry_genres_runtime_and_imdb_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/movie/438631"))
        .and(query_param("append_to_response", "external_ids"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "adult": false,
            "belongs_to_collection": {"id": 726871, "name": "Dune Collection"},
            "budget": 165000000,
            "genres": [{"id": 878, "name": "Science Fiction"}, {"id": 12, "name": "Adventure"}],
            "id": 438631,
            "imdb_id": "tt1160419",
            "original_language": "en",
            "original_title": "Dune",
            "overview": "Paul Atreides travels to the most dangerous planet in the universe.",
            "popularity": 120.6,
            "poster_path": "/d5NXSklXo0qyIYkgV94XAgMIckC.jpg",
            "release_date": "2021-09-15",
            "runtime": 155,
            "status": "Released",
            "title": "Dune",
            "vote_average": 7.8,
            "vote_count": 11000,
            "external_ids": {"imdb_id": "tt1160419", "wikidata_id": "Q63985561",
                             "facebook_id": null, "instagram_id": null, "twitter_id": null}
        })))
        .named("details")
        .expect(1)
        .mount(&server)
        .await;

    let movie = client(&server)
        .movie(TmdbId(438_631))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(movie.title, "Dune");
    assert_eq!(movie.year, Some(2021));
    assert_eq!(movie.runtime, Some(155));
    assert_eq!(movie.imdb_id, ImdbId::parse("tt1160419"));
    assert_eq!(movie.original_language.as_deref(), Some("en"));
    assert_eq!(
        movie.poster_path.as_deref(),
        Some("/d5NXSklXo0qyIYkgV94XAgMIckC.jpg")
    );
    let names: Vec<_> = movie.genres.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["Science Fiction", "Adventure"]);
    assert_eq!(movie.summary().genre_ids, [GenreId(878), GenreId(12)]);
}

#[tokio::test]
async fn unknown_movie_is_none_but_unknown_recommendations_are_not_found() {
    let server = MockServer::start().await;
    let body = json!({"success": false, "status_code": 34,
        "status_message": "The resource you requested could not be found."});
    Mock::given(path("/movie/999999999"))
        .respond_with(ResponseTemplate::new(404).set_body_json(&body))
        .named("missing details")
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/movie/999999999/recommendations"))
        .respond_with(ResponseTemplate::new(404).set_body_json(&body))
        .named("missing recommendations")
        .expect(1)
        .mount(&server)
        .await;

    let tmdb = client(&server);
    assert_eq!(tmdb.movie(TmdbId(999_999_999)).await.unwrap(), None);
    let err = tmdb
        .recommendations(TmdbId(999_999_999), 1)
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert_eq!(err.op(), Some(ops::RECOMMENDATIONS));
    assert_eq!(err.to_string(), "tmdb.recommendations: not found on TMDb");
}

#[tokio::test]
async fn recommendations_and_similar_ask_for_the_page() {
    let server = MockServer::start().await;
    let page = |ids: &[u32]| {
        let results: Vec<_> = ids
            .iter()
            .map(|id| json!({"id": id, "title": format!("Movie {id}"), "release_date": "2001-01-01",
                             "genre_ids": [18], "vote_average": 7.0, "vote_count": 100,
                             "popularity": 3.0, "overview": "", "original_title": format!("Movie {id}")}))
            .collect();
        json!({"page": 3, "results": results, "total_pages": 5, "total_results": 90})
    };
    Mock::given(path("/movie/603/recommendations"))
        .and(query_param("page", "3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&[604, 605])))
        .named("recommendations")
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/movie/603/similar"))
        .and(query_param("page", "3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&[861])))
        .named("similar")
        .expect(1)
        .mount(&server)
        .await;

    let tmdb = client(&server);
    let recs = tmdb.recommendations(TmdbId(603), 3).await.unwrap();
    let ids: Vec<_> = recs.results.iter().map(|m| m.id.0).collect();
    assert_eq!(ids, [604, 605]);
    assert!(recs.has_next());
    let similar = tmdb.similar(TmdbId(603), 3).await.unwrap();
    assert_eq!(similar.results[0].title, "Movie 861");
}

#[tokio::test]
async fn discover_sends_genres_joined_with_pipes_and_the_vote_floor() {
    let server = MockServer::start().await;
    Mock::given(path("/discover/movie"))
        .and(query_param("with_genres", "878|53"))
        .and(query_param("without_genres", "27,10751"))
        .and(query_param("vote_count.gte", "500"))
        .and(query_param("sort_by", "vote_average.desc"))
        .and(query_param("page", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "page": 1,
            "results": [{"id": 1124, "title": "The Prestige", "release_date": "2006-10-17",
                         "genre_ids": [18, 9648, 878], "vote_average": 8.2, "vote_count": 16000,
                         "popularity": 45.0, "overview": "Two magicians.", "original_title": "The Prestige"}],
            "total_pages": 1,
            "total_results": 1
        })))
        .named("discover")
        .expect(1)
        .mount(&server)
        .await;

    let query = DiscoverQuery {
        with_genres: vec![GenreId(878), GenreId(53)],
        without_genres: vec![GenreId(27), GenreId(10751)],
        vote_count_gte: Some(500),
        sort_by: DiscoverSort::VoteAverageDesc,
        page: 1,
    };
    let page = client(&server).discover(&query).await.unwrap();
    assert_eq!(page.results[0].id, TmdbId(1124));
}

#[tokio::test]
async fn find_by_imdb_reads_movie_results() {
    let server = MockServer::start().await;
    Mock::given(path("/find/tt0087182"))
        .and(query_param("external_source", "imdb_id"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "movie_results": [{"id": 841, "title": "Dune", "original_title": "Dune",
                               "release_date": "1984-12-14", "genre_ids": [28, 878, 12],
                               "vote_average": 6.3, "vote_count": 2900, "popularity": 25.1,
                               "overview": "Paul Atreides leads a revolt."}],
            "person_results": [], "tv_results": [], "tv_episode_results": [], "tv_season_results": []
        })))
        .named("find dune")
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/find/tt0000001"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "movie_results": [], "person_results": [], "tv_results": [],
            "tv_episode_results": [], "tv_season_results": []
        })))
        .named("find nothing")
        .expect(1)
        .mount(&server)
        .await;

    let tmdb = client(&server);
    let dune = tmdb
        .find_by_imdb(&ImdbId::parse("tt0087182").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!((dune.id, dune.year), (TmdbId(841), Some(1984)));
    let nothing = tmdb
        .find_by_imdb(&ImdbId::parse("tt0000001").unwrap())
        .await
        .unwrap();
    assert_eq!(nothing, None);
}

#[tokio::test]
async fn retries_a_503_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(path("/genre/movie/list"))
        .respond_with(ResponseTemplate::new(503).set_body_json(json!({
            "success": false, "status_code": 9,
            "status_message": "Service offline: This service is temporarily offline, try again later."
        })))
        .up_to_n_times(1)
        .named("offline once")
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/genre/movie/list"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"genres": [{"id": 18, "name": "Drama"}]})),
        )
        .named("then fine")
        .expect(1)
        .mount(&server)
        .await;

    let stats = RequestStats::new();
    let tmdb = builder(&server, KEY).stats(stats.clone()).build().unwrap();
    assert_eq!(tmdb.genres().await.unwrap()[0].name, "Drama");
    assert_eq!(stats.count(ops::GENRES), 2);
}

#[tokio::test]
async fn a_429_is_retried_after_the_servers_retry_after() {
    let server = MockServer::start().await;
    Mock::given(path("/movie/27205"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "1")
                .set_body_json(json!({"success": false, "status_code": 25,
                    "status_message": "Your request count (#) is over the allowed limit of (40)."})),
        )
        .up_to_n_times(1)
        .named("rate limited once")
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/movie/27205"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": 27205, "title": "Inception", "release_date": "2010-07-15"
        })))
        .named("then fine")
        .expect(1)
        .mount(&server)
        .await;

    // The backoff alone would wait a few milliseconds: the full second is
    // the server's Retry-After.
    let started = tokio::time::Instant::now();
    let movie = client(&server).movie(TmdbId(27205)).await.unwrap().unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(movie.year, Some(2010));
}

#[tokio::test]
async fn a_429_that_outlasts_the_retries_is_a_retryable_api_error() {
    let server = MockServer::start().await;
    Mock::given(path("/genre/movie/list"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "0")
                .set_body_json(json!({"success": false, "status_code": 25,
                    "status_message": "Your request count (#) is over the allowed limit of (40)."})),
        )
        .named("always rate limited")
        .expect(4)
        .mount(&server)
        .await;
    let err = client(&server).genres().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Api {
                status: 429,
                code: 25,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_401_says_the_key_is_wrong_and_where_to_get_one() {
    let server = MockServer::start().await;
    Mock::given(path("/search/movie"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "status_code": 7,
            "status_message": "Invalid API key: You must be granted a valid key.",
            "success": false
        })))
        .named("bad key")
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server)
        .search_movies("Heat", None, 1)
        .await
        .unwrap_err();
    assert!(err.is_unauthorized());
    assert_eq!(err.status(), Some(401));
    assert!(!err.is_retryable());
    let text = chain(&err);
    assert!(
        text.starts_with("tmdb.search_movies: TMDb rejected the API key"),
        "{text}"
    );
    assert!(text.contains("Invalid API key"), "{text}");
    assert!(text.contains("themoviedb.org/settings/api"), "{text}");
    assert!(!text.contains(KEY), "{text}");
}

#[tokio::test]
async fn secrets_stay_out_of_debug_output_and_errors() {
    let server = MockServer::start().await;
    // A proxy that echoes the request it refused, key included.
    Mock::given(path("/genre/movie/list"))
        .respond_with(
            ResponseTemplate::new(500)
                .set_body_string(format!("<h1>500</h1> GET /genre/movie/list?api_key={KEY}")),
        )
        .named("echoing proxy")
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/search/movie"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "success": false, "status_code": 5,
            "status_message": format!("Invalid parameters: api_key={KEY} query=")
        })))
        .named("echoing TMDb error")
        .expect(1)
        .mount(&server)
        .await;

    let builder_debug = format!("{:?}", builder(&server, KEY));
    let tmdb = client(&server);
    let bearer = builder(&server, TOKEN).build().unwrap();
    for shown in [
        builder_debug,
        format!("{tmdb:?}"),
        format!("{tmdb:#?}"),
        format!("{bearer:?}"),
    ] {
        assert!(!shown.contains(KEY) && !shown.contains(TOKEN), "{shown}");
        assert!(!shown.contains("5f2b9c1d"), "{shown}");
    }

    let err = tmdb.genres().await.unwrap_err();
    assert_eq!(err.status(), Some(500));
    let err2 = tmdb.search_movies("x", None, 1).await.unwrap_err();
    // Nothing listens on port 9 of localhost: a transport error, whose
    // reqwest source would name the URL (with the key) if not stripped.
    let closed = TmdbClient::builder()
        .base_url("http://127.0.0.1:9")
        .credential(Secret::new(KEY))
        .retry(curator_http::RetryPolicy::none())
        .build()
        .unwrap();
    let err3 = closed.genres().await.unwrap_err();
    assert!(err3.is_retryable(), "{err3}");
    for error in [&err, &err2, &err3] {
        let shown = format!("{} | {error:?}", chain(error));
        assert!(!shown.contains(KEY), "{shown}");
    }
    assert!(chain(&err).contains("api_key=***"), "{}", chain(&err));
    assert!(chain(&err2).contains("api_key=***"), "{}", chain(&err2));
}

#[tokio::test]
async fn the_rate_limit_spaces_requests_across_clones() {
    let server = MockServer::start().await;
    Mock::given(path("/genre/movie/list"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"genres": []})))
        .named("genres")
        .expect(6)
        .mount(&server)
        .await;

    // 20 per second is one start every 50 ms: six requests span >= 250 ms,
    // however they are spread over clones and tasks.
    let tmdb = builder(&server, KEY).rate_limit(20).build().unwrap();
    let started = tokio::time::Instant::now();
    let tasks: Vec<_> = (0..6)
        .map(|_| {
            let tmdb = tmdb.clone();
            tokio::spawn(async move { tmdb.genres().await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(250), "{elapsed:?}");
}

#[tokio::test]
async fn without_a_rate_limit_requests_are_not_spaced() {
    let server = MockServer::start().await;
    Mock::given(path("/genre/movie/list"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"genres": []})))
        .named("genres")
        .expect(3)
        .mount(&server)
        .await;
    // A limit of 1 per second would make this take two seconds.
    let tmdb = builder(&server, KEY).rate_limit(0).build().unwrap();
    let started = tokio::time::Instant::now();
    for _ in 0..3 {
        tmdb.genres().await.unwrap();
    }
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_hung_server_times_out() {
    let server = MockServer::start().await;
    Mock::given(path("/genre/movie/list"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"genres": []}))
                .set_delay(Duration::from_secs(5)),
        )
        .named("hung")
        .mount(&server)
        .await;
    let tmdb = builder(&server, KEY)
        .request_timeout(Duration::from_millis(100))
        .retry(curator_http::RetryPolicy::none())
        .build()
        .unwrap();
    let err = tmdb.genres().await.unwrap_err();
    assert!(matches!(&err, Error::Http(e) if e.is_timeout()), "{err:?}");
}
