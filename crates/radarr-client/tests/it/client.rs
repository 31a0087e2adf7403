//! The client against wiremock: what is sent, what is decoded, retries and
//! error messages.

use std::time::Duration;

use radarr_client::{
    AddMovie, AddOutcome, ApplyTags, Error, MinimumAvailability, MovieEditor, MovieId,
    QualityProfileId, RadarrApi, RadarrClient, RequestStats, TagId, TmdbId, op,
};
use serde_json::{Value, json};
use wiremock::matchers::{any, body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::{KEY, client, client_with_stats, fast_retries, movie_json};

fn arrival() -> AddMovie {
    AddMovie::new(
        TmdbId(329865),
        "Arrival",
        2016,
        QualityProfileId(4),
        "/movies",
    )
}

#[tokio::test]
async fn sends_the_key_in_a_header_and_never_in_the_url() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v3/system/status"))
        .and(header("X-Api-Key", KEY))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "appName": "Radarr",
            "instanceName": "Radarr (basement)",
            "version": "5.26.2.10099",
            "isDocker": true,
            "urlBase": "",
            "osName": "debian",
            "startTime": "2025-11-01T08:00:00Z"
        })))
        .named("system status")
        .expect(1)
        .mount(&server)
        .await;

    let status = client(&server).system_status().await.unwrap();

    assert_eq!(status.app_name, "Radarr");
    assert_eq!(status.version, "5.26.2.10099");
    assert_eq!(status.instance_name.as_deref(), Some("Radarr (basement)"));
    assert!(status.is_docker);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    assert!(!requests[0].url.as_str().contains(KEY));
    assert_eq!(requests[0].url.query(), None);
}

#[tokio::test]
async fn keeps_the_url_base_of_a_reverse_proxied_radarr() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/radarr/api/v3/rootfolder"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"id": 1, "path": "/data/movies", "accessible": true, "freeSpace": 912_000_000_000_i64, "unmappedFolders": []},
            {"id": 3, "path": "/data/kids", "accessible": false, "freeSpace": null, "unmappedFolders": null}
        ])))
        .named("root folders under /radarr")
        .expect(1)
        .mount(&server)
        .await;
    let radarr = RadarrClient::builder(format!("{}/radarr", server.uri()), KEY)
        .build()
        .unwrap();

    let folders = radarr.root_folders().await.unwrap();

    assert_eq!(folders.len(), 2);
    assert_eq!(folders[0].path, "/data/movies");
    assert_eq!(folders[0].free_space, Some(912_000_000_000));
    assert!(!folders[1].accessible);
    assert_eq!(folders[1].free_space, None);
}

#[tokio::test]
async fn decodes_movies_leniently() {
    let server = MockServer::start().await;
    let mut sparse = movie_json(8, 27205, "Inception", 2010);
    sparse["hasFile"] = Value::Null;
    sparse["imdbId"] = Value::Null;
    sparse["tags"] = Value::Null;
    sparse["minimumAvailability"] = json!("inCinemas");
    Mock::given(method("GET"))
        .and(path("/api/v3/movie"))
        .and(query_param("excludeLocalCovers", "true"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!([movie_json(7, 329865, "Arrival", 2016), sparse])),
        )
        .named("all movies, without reading cover files")
        .expect(1)
        .mount(&server)
        .await;

    let movies = client(&server).movies().await.unwrap();

    assert_eq!(movies.len(), 2);
    let arrival = &movies[0];
    assert_eq!(arrival.id, MovieId(7));
    assert_eq!(arrival.tmdb_id, TmdbId(329865));
    assert_eq!(arrival.imdb_id.as_ref().unwrap().as_str(), "tt2543164");
    assert!(arrival.has_file && arrival.monitored);
    assert_eq!(arrival.tags, vec![TagId(2)]);
    assert_eq!(arrival.quality_profile_id, QualityProfileId(4));
    assert_eq!(arrival.path.as_deref(), Some("/movies/Arrival (2016)"));
    assert_eq!(arrival.extra["studio"], "Lava Bear Films");
    let inception = &movies[1];
    assert!(!inception.has_file);
    assert_eq!(inception.imdb_id, None);
    assert!(inception.tags.is_empty());
    assert_eq!(
        inception.minimum_availability,
        MinimumAvailability::InCinemas
    );
}

#[tokio::test]
async fn movie_by_tmdb_filters_on_the_server_and_returns_none_when_absent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v3/movie"))
        .and(query_param("tmdbId", "329865"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!([movie_json(7, 329865, "Arrival", 2016)])),
        )
        .named("arrival by tmdb id")
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v3/movie"))
        .and(query_param("tmdbId", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .named("unknown tmdb id")
        .expect(1)
        .mount(&server)
        .await;
    let radarr = client(&server);

    let found = radarr.movie_by_tmdb(TmdbId(329865)).await.unwrap();
    let missing = radarr.movie_by_tmdb(TmdbId(1)).await.unwrap();

    assert_eq!(found.unwrap().id, MovieId(7));
    assert!(missing.is_none());
}

#[tokio::test]
async fn lookup_of_an_unknown_tmdb_id_is_a_not_found_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v3/movie/lookup/tmdb"))
        .and(query_param("tmdbId", "999999999"))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({
            "message": "Movie with tmdbId 999999999 was not found, it may have been removed from TMDb.",
            "description": "NzbDrone.Core.Exceptions.MovieNotFoundException: ..."
        })))
        .named("unknown lookup")
        .expect(1)
        .mount(&server)
        .await;

    let error = client(&server)
        .lookup_tmdb(TmdbId(999999999))
        .await
        .unwrap_err();

    assert!(
        matches!(
            error,
            Error::UnknownTmdbId {
                tmdb_id: TmdbId(999999999),
                status: 500,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.is_not_found());
    assert!(
        error
            .to_string()
            .starts_with("radarr.lookup_tmdb: radarr found no movie with tmdb id 999999999"),
        "{error}"
    );
}

#[tokio::test]
async fn lookup_failing_for_another_reason_is_not_a_not_found() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v3/movie/lookup/tmdb"))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({
            "message": "Search for 'tmdb:603' failed. Unable to communicate with RadarrAPI."
        })))
        .named("metadata server down")
        .expect(1)
        .mount(&server)
        .await;

    let error = client(&server).lookup_tmdb(TmdbId(603)).await.unwrap_err();

    assert!(!error.is_not_found());
    assert_eq!(error.status(), Some(500));
    assert_eq!(
        error.to_string(),
        "radarr.lookup_tmdb: radarr answered 500: Search for 'tmdb:603' failed. Unable to communicate with RadarrAPI."
    );
}

#[tokio::test]
async fn add_sends_the_minimal_body_with_add_options() {
    let server = MockServer::start().await;
    let mut created = movie_json(12, 329865, "Arrival", 2016);
    created["hasFile"] = json!(false);
    created["tags"] = json!([3, 5]);
    Mock::given(method("POST"))
        .and(path("/api/v3/movie"))
        .and(header("X-Api-Key", KEY))
        .and(header("Content-Type", "application/json"))
        .and(body_json(json!({
            "tmdbId": 329865,
            "title": "Arrival",
            "year": 2016,
            "qualityProfileId": 4,
            "rootFolderPath": "/movies",
            "monitored": true,
            "minimumAvailability": "announced",
            "tags": [3, 5],
            "addOptions": {"searchForMovie": true, "monitor": "movieOnly"}
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(created))
        .named("add arrival")
        .expect(1)
        .mount(&server)
        .await;
    let request = arrival()
        .with_tags(vec![TagId(3), TagId(5)])
        .with_minimum_availability(MinimumAvailability::Announced);

    let outcome = client(&server).add_movie(&request).await.unwrap();

    let movie = outcome.movie().expect("added");
    assert_eq!(movie.id, MovieId(12));
    assert_eq!(movie.tags, vec![TagId(3), TagId(5)]);
    assert!(outcome.was_added());
}

#[tokio::test]
async fn add_unmonitored_without_search_says_so() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v3/movie"))
        .and(body_json(json!({
            "tmdbId": 329865,
            "title": "Arrival",
            "year": 2016,
            "qualityProfileId": 4,
            "rootFolderPath": "/movies",
            "monitored": false,
            "minimumAvailability": "released",
            "tags": [],
            "addOptions": {"searchForMovie": false, "monitor": "none"}
        })))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(movie_json(13, 329865, "Arrival", 2016)),
        )
        .named("add unmonitored")
        .expect(1)
        .mount(&server)
        .await;
    let request = arrival().with_monitored(false).with_search_on_add(false);

    let outcome = client(&server).add_movie(&request).await.unwrap();

    assert_eq!(outcome.movie().unwrap().id, MovieId(13));
}

#[tokio::test]
async fn add_of_a_movie_already_there_is_its_own_outcome() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v3/movie"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!([{
            "propertyName": "TmdbId",
            "errorMessage": "This movie has already been added",
            "attemptedValue": 329865,
            "severity": "error",
            "errorCode": "MovieExistsValidator",
            "formattedMessagePlaceholderValues": {"propertyName": "Tmdb Id", "propertyValue": 329865}
        }])))
        .named("duplicate add")
        .expect(1)
        .mount(&server)
        .await;

    let outcome = client(&server).add_movie(&arrival()).await.unwrap();

    assert_eq!(outcome, AddOutcome::AlreadyExists);
}

#[tokio::test]
async fn add_is_sent_exactly_once_even_when_the_answer_is_a_503() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v3/movie"))
        .respond_with(ResponseTemplate::new(503).set_body_string("Service Unavailable"))
        .named("add answered 503")
        .expect(1)
        .mount(&server)
        .await;
    let stats = RequestStats::new();

    let error = client_with_stats(&server, &stats)
        .add_movie(&arrival())
        .await
        .unwrap_err();

    assert_eq!(error.status(), Some(503));
    assert!(error.is_retryable());
    assert_eq!(error.op(), Some(op::ADD_MOVIE));
    assert_eq!(stats.count(op::ADD_MOVIE), 1);
}

#[tokio::test]
async fn add_is_sent_once_when_the_server_hangs() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v3/movie"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(movie_json(12, 329865, "Arrival", 2016))
                .set_delay(Duration::from_secs(5)),
        )
        .named("slow add")
        .expect(1)
        .mount(&server)
        .await;
    let radarr = RadarrClient::builder(server.uri(), KEY)
        .retry_policy(fast_retries(3))
        .request_timeout(Duration::from_millis(150))
        .build()
        .unwrap();

    let error = radarr.add_movie(&arrival()).await.unwrap_err();

    assert!(error.is_timeout(), "{error:?}");
}

#[tokio::test]
async fn validation_failures_are_listed_by_property() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v3/movie"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!([
            {"propertyName": "QualityProfileId", "errorMessage": "Quality Profile does not exist", "attemptedValue": 9, "severity": "error"},
            {"propertyName": "RootFolderPath", "errorMessage": "Root folder '/nas/films' does not exist", "attemptedValue": "/nas/films", "severity": "error"}
        ])))
        .named("refused add")
        .expect(1)
        .mount(&server)
        .await;

    let error = client(&server).add_movie(&arrival()).await.unwrap_err();

    assert_eq!(
        error.to_string(),
        "radarr.add_movie: radarr refused the request: \
         QualityProfileId: Quality Profile does not exist; \
         RootFolderPath: Root folder '/nas/films' does not exist"
    );
    assert_eq!(error.validation_failures().len(), 2);
    assert_eq!(
        error.validation_failures()[1].attempted_value,
        Some(json!("/nas/films"))
    );
}

#[tokio::test]
async fn a_401_says_the_key_is_wrong_and_where_to_find_it() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401))
        .named("wrong key")
        .expect(1)
        .mount(&server)
        .await;

    let error = client(&server).tags().await.unwrap_err();

    assert!(error.is_unauthorized());
    assert_eq!(error.status(), Some(401));
    let text = error.to_string();
    assert!(
        text.starts_with("radarr.tags: radarr rejected the api key"),
        "{text}"
    );
    assert!(text.contains("Settings > General > Security"), "{text}");
    assert!(!text.contains(KEY));
}

#[tokio::test]
async fn other_error_bodies_read_as_message_and_description() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v3/movie/404"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "message": "Movie with ID 404 does not exist",
            "description": null
        })))
        .named("missing movie")
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v3/qualityprofile"))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({
            "message": "database is locked",
            "description": "System.Data.SQLite.SQLiteException (0x800017AF): database is locked\n   \
                at System.Data.SQLite.SQLite3.Step(SQLiteStatement stmt)\n   \
                at NzbDrone.Core.Datastore.BasicRepository`1.All() in ./Radarr.Core/Datastore/BasicRepository.cs:line 76"
        })))
        .named("locked database")
        .expect(1)
        .mount(&server)
        .await;
    let radarr = client(&server);

    let missing = radarr.movie(MovieId(404)).await.unwrap_err();
    let locked = radarr.quality_profiles().await.unwrap_err();

    assert!(missing.is_not_found());
    assert_eq!(
        missing.to_string(),
        "radarr.movie: radarr answered 404: Movie with ID 404 does not exist"
    );
    // The description is the exception's whole ToString() (RadarrErrorPipeline):
    // only its first line is kept, without the message it repeats.
    assert_eq!(
        locked.to_string(),
        "radarr.quality_profiles: radarr answered 500: database is locked \
         (System.Data.SQLite.SQLiteException (0x800017AF))"
    );
    assert!(!locked.is_retryable());
}

#[tokio::test]
async fn an_echoed_key_is_redacted_from_error_bodies() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(500)
                .set_body_string(format!("<html>bad request ?apikey={KEY}</html>")),
        )
        .named("echoing proxy")
        .expect(1)
        .mount(&server)
        .await;

    let error = client(&server).root_folders().await.unwrap_err();

    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(KEY), "{shown}");
    assert!(shown.contains("apikey=***"), "{shown}");
}

#[tokio::test]
async fn reads_are_retried_on_503_then_succeed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v3/tag"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .named("tags unavailable twice")
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v3/tag"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!([{"id": 1, "label": "curator"}])),
        )
        .named("tags")
        .expect(1)
        .mount(&server)
        .await;
    let stats = RequestStats::new();

    let tags = client_with_stats(&server, &stats).tags().await.unwrap();

    assert_eq!(tags.len(), 1);
    assert_eq!(tags[0].label, "curator");
    assert_eq!(stats.count(op::TAGS), 3);
}

#[tokio::test]
async fn reads_honour_429_then_succeed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v3/qualityprofile"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .named("rate limited")
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v3/qualityprofile"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"id": 1, "name": "Any", "upgradeAllowed": false, "cutoff": 20, "items": [], "language": {"id": 1, "name": "English"}},
            {"id": 4, "name": "HD-1080p", "upgradeAllowed": true, "cutoff": 7, "items": [], "formatItems": []}
        ])))
        .named("profiles")
        .expect(1)
        .mount(&server)
        .await;

    let profiles = client(&server).quality_profiles().await.unwrap();

    let names: Vec<_> = profiles.iter().map(|p| (p.id, p.name.as_str())).collect();
    assert_eq!(
        names,
        vec![
            (QualityProfileId(1), "Any"),
            (QualityProfileId(4), "HD-1080p")
        ]
    );
    assert!(profiles[1].upgrade_allowed);
}

#[tokio::test]
async fn a_hung_read_times_out() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .named("hung server")
        .expect(1)
        .mount(&server)
        .await;
    let radarr = RadarrClient::builder(server.uri(), KEY)
        .retry_policy(fast_retries(0))
        .request_timeout(Duration::from_millis(150))
        .build()
        .unwrap();

    let error = radarr.tags().await.unwrap_err();

    assert!(error.is_timeout(), "{error:?}");
    assert!(error.is_retryable());
}

#[tokio::test]
async fn update_sends_back_every_field_radarr_sent() {
    let server = MockServer::start().await;
    let mut original = movie_json(7, 329865, "Arrival", 2016);
    original["someFieldFromRadarr6"] = json!({"nested": [1, 2, 3]});
    original["collection"] = json!({"title": "Arrival Collection", "tmdbId": 1});
    Mock::given(method("GET"))
        .and(path("/api/v3/movie/7"))
        .respond_with(ResponseTemplate::new(200).set_body_json(original.clone()))
        .named("get arrival")
        .expect(1)
        .mount(&server)
        .await;
    let mut expected = original.clone();
    expected["monitored"] = json!(false);
    expected["tags"] = json!([2, 9]);
    Mock::given(method("PUT"))
        .and(path("/api/v3/movie/7"))
        .and(body_json(expected.clone()))
        .respond_with(ResponseTemplate::new(202).set_body_json(expected.clone()))
        .named("put arrival")
        .expect(1)
        .mount(&server)
        .await;
    let radarr = client(&server);

    let mut movie = radarr.movie(MovieId(7)).await.unwrap();
    movie.monitored = false;
    movie.tags.push(TagId(9));
    let saved = radarr.update_movie(&movie).await.unwrap();

    assert!(!saved.monitored);
    assert_eq!(
        saved.extra["someFieldFromRadarr6"]["nested"],
        json!([1, 2, 3])
    );
    let requests = server.received_requests().await.unwrap();
    let sent: Value = requests[1].body_json().unwrap();
    assert_eq!(sent, expected);
}

#[tokio::test]
async fn the_editor_changes_many_movies_in_one_request() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/api/v3/movie/editor"))
        .and(body_json(json!({
            "movieIds": [7, 8, 21],
            "monitored": false,
            "tags": [3],
            "applyTags": "remove"
        })))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!([])))
        .named("editor")
        .expect(1)
        .mount(&server)
        .await;
    let radarr = client(&server);
    let edit = MovieEditor::new(vec![MovieId(7), MovieId(8), MovieId(21)])
        .with_monitored(false)
        .with_tags(ApplyTags::Remove, vec![TagId(3)]);

    radarr.edit_movies(&edit).await.unwrap();
    radarr
        .edit_movies(&MovieEditor::new(Vec::new()).with_monitored(false))
        .await
        .unwrap();
}

#[tokio::test]
async fn ensure_tags_creates_only_the_missing_labels() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v3/tag"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"id": 1, "label": "curator"},
            {"id": 2, "label": "4k"}
        ])))
        .named("list tags")
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v3/tag"))
        .and(body_json(json!({"label": "from-plex"})))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"id": 3, "label": "from-plex"})),
        )
        .named("create from-plex")
        .expect(1)
        .mount(&server)
        .await;
    let stats = RequestStats::new();

    let tags = client_with_stats(&server, &stats)
        .ensure_tags(&["Curator", " from plex ", "4K", "FROM_PLEX", "  ", "★"])
        .await
        .unwrap();

    let ids: Vec<TagId> = tags.iter().map(|tag| tag.id).collect();
    assert_eq!(ids, vec![TagId(1), TagId(3), TagId(2)]);
    assert_eq!(stats.count(op::CREATE_TAG), 1);
    assert_eq!(stats.count(op::TAGS), 1);
}

#[tokio::test]
async fn search_posts_one_movies_search_command() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v3/command"))
        .and(body_json(
            json!({"name": "MoviesSearch", "movieIds": [7, 12]}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "id": 1450,
            "name": "MoviesSearch",
            "commandName": "Movies Search",
            "body": {"movieIds": [7, 12], "sendUpdatesToClient": true},
            "priority": "normal",
            "status": "queued",
            "result": "unknown",
            "queued": "2025-11-14T12:00:00Z",
            "trigger": "manual"
        })))
        .named("search command")
        .expect(1)
        .mount(&server)
        .await;
    let radarr = client(&server);

    let command = radarr
        .search_movies(&[MovieId(7), MovieId(12)])
        .await
        .unwrap();
    let empty = radarr.search_movies(&[]).await.unwrap_err();

    assert_eq!((command.id, command.name.as_str()), (1450, "MoviesSearch"));
    assert_eq!(command.status, "queued");
    assert!(matches!(empty, Error::InvalidArgument { .. }), "{empty:?}");
}

#[tokio::test]
async fn create_tag_posts_the_trimmed_label_in_lowercase() {
    // TagService.Add looks the label up by exact case, then stores it
    // lowercased: any other case collides with the tag Radarr has.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v3/tag"))
        .and(body_json(json!({"label": "curator picks"})))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"id": 6, "label": "curator picks"})),
        )
        .named("create tag")
        .expect(1)
        .mount(&server)
        .await;

    let tag = client(&server)
        .create_tag("  Curator Picks ")
        .await
        .unwrap();

    assert_eq!(tag.id, TagId(6));
    assert_eq!(tag.label, "curator picks");
}

#[tokio::test]
async fn debug_output_hides_the_key() {
    let server = MockServer::start().await;
    let builder = RadarrClient::builder(server.uri(), KEY);
    let shown_builder = format!("{builder:?}");
    let radarr = builder.build().unwrap();

    let shown = format!("{radarr:?} {radarr:#?}");

    assert!(!shown.contains(KEY), "{shown}");
    assert!(!shown_builder.contains(KEY), "{shown_builder}");
    assert!(shown.contains(&server.uri()), "{shown}");
}

#[tokio::test]
async fn the_builder_refuses_bad_settings() {
    let blank = RadarrClient::builder("http://127.0.0.1:7878", "  ")
        .build()
        .unwrap_err();
    let scheme = RadarrClient::builder("ftp://nas:7878", KEY)
        .build()
        .unwrap_err();
    let garbage = RadarrClient::builder("not a url", KEY).build().unwrap_err();
    let line_break = RadarrClient::builder("http://nas:7878", format!("{KEY}\n"))
        .build()
        .unwrap_err();

    for error in [&blank, &scheme, &garbage, &line_break] {
        assert!(matches!(error, Error::Config { .. }), "{error:?}");
        assert!(!error.to_string().contains(KEY));
    }
    assert!(blank.to_string().contains("api key is empty"), "{blank}");
}
