//! The client against wiremock: what is sent, and what is read back.

use std::time::Duration;

use plex_client::{
    CollectionSort, Error, MediaId, PlexApi, RatingKey, RequestStats, RetryPolicy, SectionKey,
    SectionKind, TmdbId, ops,
};
use serde_json::{Value, json};
use wiremock::matchers::{body_bytes, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use super::{TOKEN, builder, client};

fn ok_json(body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

const MACHINE: &str = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567";

/// A movie from a current-agent library, with a Guid array and two versions.
fn current_agent_movie() -> Value {
    json!({
        "ratingKey": "4410",
        "key": "/library/metadata/4410",
        "guid": "plex://movie/5d7768ba96b655001fdc0408",
        "type": "movie",
        "title": "Blade Runner 2049",
        "librarySectionID": 3,
        "year": 2017,
        "addedAt": 1_612_345_678,
        "originallyAvailableAt": "2017-10-04",
        "Guid": [
            {"id": "imdb://tt1856101"},
            {"id": "tmdb://335984"},
            {"id": "tvdb://1175"}
        ],
        "Media": [
            {
                "id": 8801, "duration": 9_836_000, "bitrate": 9_874, "width": 1920, "height": 800,
                "aspectRatio": 2.35, "audioChannels": 6, "audioCodec": "eac3", "videoCodec": "h264",
                "videoResolution": "1080", "container": "mkv", "videoFrameRate": "24p",
                "optimizedForStreaming": 0, "has64bitOffsets": false,
                "Part": [{
                    "id": 9901, "key": "/library/parts/9901/1612345678/file.mkv",
                    "duration": 9_836_000,
                    "file": "/srv/movies/Blade Runner 2049 (2017)/Blade Runner 2049 - 1080p.mkv",
                    "size": 12_140_331_776u64, "container": "mkv"
                }]
            },
            {
                "id": "8802", "duration": 9_836_000, "bitrate": 58_210, "width": 3840, "height": 1600,
                "audioCodec": "truehd", "videoCodec": "hevc", "videoResolution": "4k",
                "container": "mkv", "optimizedForStreaming": true,
                "Part": [{
                    "id": 9902, "duration": 9_836_000,
                    "file": "/srv/movies/Blade Runner 2049 (2017)/Blade Runner 2049 - 2160p.mkv",
                    "size": "71234567890"
                }]
            }
        ]
    })
}

/// A movie matched by the legacy TMDb agent: no Guid array, id in the guid.
fn legacy_agent_movie() -> Value {
    json!({
        "ratingKey": 212,
        "key": "/library/metadata/212",
        "guid": "com.plexapp.agents.themoviedb://11?lang=en",
        "type": "movie",
        "title": "Star Wars",
        "year": "1977",
        "addedAt": 1_388_534_400,
        "Media": [{
            "id": 300, "videoResolution": "sd", "bitrate": 1_450, "width": 720, "height": 304,
            "videoCodec": "mpeg4", "audioCodec": "mp3", "container": "avi",
            "Part": [{"id": 301, "file": "/srv/movies/Star Wars (1977).avi", "size": 1_466_714_112}]
        }]
    })
}

fn container(metadata: Vec<Value>, total: Option<usize>, offset: usize) -> Value {
    let mut root = json!({
        "size": metadata.len(),
        "offset": offset,
        "allowSync": true,
        "identifier": "com.plexapp.plugins.library",
        "librarySectionID": 3,
    });
    if let Some(total) = total {
        root["totalSize"] = json!(total);
    }
    if !metadata.is_empty() {
        root["Metadata"] = Value::Array(metadata);
    }
    json!({ "MediaContainer": root })
}

fn generated_movie(i: usize) -> Value {
    json!({
        "ratingKey": (10_000 + i).to_string(),
        "title": format!("Film {i:03}"),
        "guid": format!("plex://movie/{i:024x}"),
        "year": 1990 + (i % 30),
        "Guid": [{"id": format!("tmdb://{}", 50_000 + i)}],
        "Media": [{"id": 70_000 + i, "videoResolution": "720",
                   "Part": [{"id": 80_000 + i, "file": format!("/m/{i}.mkv"), "size": 4_000_000_000u64}]}]
    })
}

fn token_absent_from_urls(requests: &[Request]) {
    assert!(!requests.is_empty());
    for request in requests {
        assert!(
            !request.url.as_str().contains(TOKEN),
            "token in URL: {}",
            request.url
        );
    }
}

#[tokio::test]
async fn sends_plex_headers_and_keeps_the_token_out_of_the_url() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/library/sections"))
        .and(header("Accept", "application/json"))
        .and(header("X-Plex-Token", TOKEN))
        .and(header("X-Plex-Client-Identifier", "curator-tests"))
        .and(header("X-Plex-Product", "curator"))
        .and(header("X-Plex-Version", env!("CARGO_PKG_VERSION")))
        .respond_with(ok_json(&json!({"MediaContainer": {
            "size": 2, "allowSync": false, "title1": "Plex Library",
            "Directory": [
                {"key": "3", "type": "movie", "title": "Films", "agent": "tv.plex.agents.movie",
                 "updatedAt": 1_700_000_100, "scannedAt": 1_700_000_200,
                 "contentChangedAt": 4_521_337, "hidden": 0,
                 "Location": [{"id": 2, "path": "/srv/movies"}]},
                {"key": 7, "type": "show", "title": "Series", "updatedAt": "1700000300"}
            ]
        }})))
        .named("sections with every Plex header")
        .expect(1)
        .mount(&server)
        .await;

    let sections = client(&server).sections().await.unwrap();

    assert_eq!(sections.len(), 2);
    let films = &sections[0];
    assert_eq!(films.key, SectionKey::from("3"));
    assert!(films.is_movie());
    assert_eq!(films.title, "Films");
    assert_eq!(films.updated_at, Some(1_700_000_100));
    assert_eq!(films.scanned_at, Some(1_700_000_200));
    assert_eq!(films.content_changed_at, Some(4_521_337));
    assert_eq!(sections[1].key.as_str(), "7");
    assert_eq!(sections[1].kind, SectionKind::Show);
    assert_eq!(sections[1].updated_at, Some(1_700_000_300));
    token_absent_from_urls(&server.received_requests().await.unwrap());
}

#[tokio::test]
async fn reads_all_pages_250_movies_in_3_requests() {
    let server = MockServer::start().await;
    for start in [0usize, 100, 200] {
        let movies = (start..(start + 100).min(250))
            .map(generated_movie)
            .collect();
        Mock::given(method("GET"))
            .and(path("/library/sections/3/all"))
            .and(query_param("type", "1"))
            .and(query_param("includeGuids", "1"))
            .and(query_param("X-Plex-Container-Start", start.to_string()))
            .and(query_param("X-Plex-Container-Size", "100"))
            .respond_with(ok_json(&container(movies, Some(250), start)))
            .named(format!("page at {start}"))
            .expect(1)
            .mount(&server)
            .await;
    }
    let stats = RequestStats::new();
    let plex = builder(&server)
        .stats(stats.clone())
        .page_size(100)
        .build()
        .unwrap();

    let movies = plex.movies(&SectionKey::from("3")).await.unwrap();

    assert_eq!(movies.len(), 250);
    assert_eq!(movies[0].title, "Film 000");
    assert_eq!(movies[249].rating_key.as_str(), "10249");
    assert_eq!(movies[137].tmdb_id, Some(TmdbId(50_137)));
    assert_eq!(stats.count(ops::MOVIES), 3);
    token_absent_from_urls(&server.received_requests().await.unwrap());
}

#[tokio::test]
async fn short_pages_advance_by_what_was_received() {
    let server = MockServer::start().await;
    // The server caps pages at 60 items although 100 were asked for.
    for start in [0usize, 60, 120] {
        let movies = (start..(start + 60).min(150))
            .map(generated_movie)
            .collect();
        Mock::given(method("GET"))
            .and(path("/library/sections/3/all"))
            .and(query_param("X-Plex-Container-Start", start.to_string()))
            .respond_with(ok_json(&container(movies, Some(150), start)))
            .named(format!("short page at {start}"))
            .expect(1)
            .mount(&server)
            .await;
    }

    let movies = client(&server)
        .movies(&SectionKey::from("3"))
        .await
        .unwrap();

    let keys: Vec<usize> = movies
        .iter()
        .map(|m| m.rating_key.as_str().parse::<usize>().unwrap() - 10_000)
        .collect();
    assert_eq!(keys, (0..150).collect::<Vec<_>>());
}

#[tokio::test]
async fn empty_page_without_metadata_ends_the_listing() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/library/sections/3/all"))
        .and(query_param("type", "18"))
        .respond_with(ok_json(&container(Vec::new(), None, 0)))
        .named("no collections")
        .expect(1)
        .mount(&server)
        .await;

    let collections = client(&server)
        .collections(&SectionKey::from("3"))
        .await
        .unwrap();

    assert!(collections.is_empty());
}

#[tokio::test]
async fn decodes_a_current_agent_movie_with_two_versions() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/library/metadata/4410"))
        .respond_with(ok_json(&container(vec![current_agent_movie()], None, 0)))
        .named("item")
        .expect(1)
        .mount(&server)
        .await;

    let movie = client(&server)
        .item(&RatingKey::from("4410"))
        .await
        .unwrap()
        .expect("found");

    assert_eq!(movie.title, "Blade Runner 2049");
    assert_eq!(movie.year, Some(2017));
    assert_eq!(movie.added_at, Some(1_612_345_678));
    assert_eq!(movie.guid, "plex://movie/5d7768ba96b655001fdc0408");
    assert_eq!(movie.tmdb_id, Some(TmdbId(335_984)));
    assert_eq!(movie.imdb_id.as_ref().unwrap().as_str(), "tt1856101");
    assert_eq!(movie.media.len(), 2);
    let (hd, uhd) = (&movie.media[0], &movie.media[1]);
    assert_eq!(hd.id, MediaId(8801));
    assert_eq!(hd.video_resolution.as_deref(), Some("1080"));
    assert_eq!(
        (hd.width, hd.height, hd.bitrate),
        (Some(1920), Some(800), Some(9_874))
    );
    assert_eq!(hd.parts[0].size, 12_140_331_776);
    assert_eq!(uhd.id, MediaId(8802));
    assert_eq!(uhd.video_codec.as_deref(), Some("hevc"));
    assert_eq!(uhd.audio_codec.as_deref(), Some("truehd"));
    assert_eq!(uhd.parts[0].size, 71_234_567_890);
    assert!(uhd.parts[0].file.ends_with("2160p.mkv"));
    assert_eq!(movie.total_size(), 12_140_331_776 + 71_234_567_890);
}

#[tokio::test]
async fn search_reads_legacy_agent_ids_and_sends_title_and_year() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/library/sections/3/all"))
        .and(query_param("type", "1"))
        .and(query_param("title", "Star Wars"))
        .and(query_param("year", "1977"))
        .and(query_param("includeGuids", "1"))
        .respond_with(ok_json(&container(vec![legacy_agent_movie()], Some(1), 0)))
        .named("title search")
        .expect(1)
        .mount(&server)
        .await;

    let found = client(&server)
        .search_movies(&SectionKey::from("3"), "Star Wars", Some(1977))
        .await
        .unwrap();

    assert_eq!(found.len(), 1);
    let movie = &found[0];
    assert_eq!(movie.rating_key.as_str(), "212");
    assert_eq!(movie.year, Some(1977));
    assert_eq!(movie.tmdb_id, Some(TmdbId(11)));
    assert_eq!(movie.imdb_id, None);
    assert_eq!(movie.media[0].video_resolution.as_deref(), Some("sd"));
    // The space is sent as %20, as Plex clients do.
    let requests = server.received_requests().await.unwrap();
    assert!(
        requests[0]
            .url
            .query()
            .unwrap()
            .contains("title=Star%20Wars")
    );
}

#[tokio::test]
async fn a_missing_item_is_none() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/library/metadata/999"))
        .respond_with(ResponseTemplate::new(404).set_body_string("<html>404 Not Found</html>"))
        .named("missing item")
        .expect(1)
        .mount(&server)
        .await;

    assert_eq!(
        client(&server).item(&RatingKey::from("999")).await.unwrap(),
        None
    );
}

#[tokio::test]
async fn reads_collections_with_string_counts() {
    let server = MockServer::start().await;
    let collections = vec![
        json!({
            "ratingKey": "5120", "key": "/library/collections/5120/children",
            "guid": "collection://2b1f6e0c-5d7a-4c3e-9f10-a1b2c3d4e5f6", "type": "collection",
            "title": "Because You Watched", "subtype": "movie", "summary": "",
            "childCount": "42", "minYear": "1968", "maxYear": "2023", "collectionSort": "2"
        }),
        json!({
            "ratingKey": 5121, "title": "Top Rated", "childCount": 7, "smart": 1,
            "summary": "Highest rated films", "collectionSort": 0
        }),
    ];
    Mock::given(method("GET"))
        .and(path("/library/sections/3/all"))
        .and(query_param("type", "18"))
        .respond_with(ok_json(&container(collections, Some(2), 0)))
        .named("collections")
        .expect(1)
        .mount(&server)
        .await;

    let found = client(&server)
        .find_collection(&SectionKey::from("3"), "Top Rated")
        .await
        .unwrap();

    let top = found.expect("found by exact title");
    assert_eq!(top.rating_key.as_str(), "5121");
    assert_eq!(top.child_count, 7);
    assert!(top.smart);
    assert_eq!(top.collection_sort, Some(CollectionSort::ReleaseDate));
    assert_eq!(top.summary.as_deref(), Some("Highest rated films"));
}

#[tokio::test]
async fn adding_150_keys_sends_100_then_50() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/identity"))
        .respond_with(ok_json(&json!({"MediaContainer": {
            "size": 0, "claimed": true, "machineIdentifier": MACHINE, "version": "1.41.3.9314-a0bfb8370"
        }})))
        .named("identity, fetched once")
        .expect(1)
        .mount(&server)
        .await;
    let keys: Vec<RatingKey> = (1..=150)
        .map(|i| RatingKey(format!("{}", 3000 + i)))
        .collect();
    let list = |range: std::ops::Range<usize>| {
        keys[range]
            .iter()
            .map(RatingKey::as_str)
            .collect::<Vec<_>>()
            .join(",")
    };
    for (name, range) in [("first 100", 0..100), ("last 50", 100..150)] {
        let uri = format!(
            "server://{MACHINE}/com.plexapp.plugins.library/library/metadata/{}",
            list(range)
        );
        Mock::given(method("PUT"))
            .and(path("/library/collections/5120/items"))
            .and(query_param("uri", uri))
            .and(header("X-Plex-Token", TOKEN))
            .respond_with(ResponseTemplate::new(200))
            .named(name)
            .expect(1)
            .mount(&server)
            .await;
    }

    client(&server)
        .add_to_collection(&RatingKey::from("5120"), &keys)
        .await
        .unwrap();
    token_absent_from_urls(&server.received_requests().await.unwrap());
}

#[tokio::test]
async fn adding_nothing_sends_nothing() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200))
        .named("nothing expected")
        .expect(0)
        .mount(&server)
        .await;

    client(&server)
        .add_to_collection(&RatingKey::from("5120"), &[])
        .await
        .unwrap();
}

#[tokio::test]
async fn creates_an_empty_collection() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/library/collections"))
        .and(query_param("type", "1"))
        .and(query_param("title", "Because You Watched"))
        .and(query_param("smart", "0"))
        .and(query_param("sectionId", "3"))
        .and(query_param(
            "uri",
            format!("server://{MACHINE}/com.plexapp.plugins.library/library/metadata"),
        ))
        .respond_with(ok_json(
            &json!({"MediaContainer": {"size": 1, "Metadata": [{
                "ratingKey": "5133", "key": "/library/collections/5133/children",
                "type": "collection", "title": "Because You Watched", "subtype": "movie",
                "childCount": "0", "addedAt": 1_700_000_000
            }]}}),
        ))
        .named("create")
        .expect(1)
        .mount(&server)
        .await;
    let plex = builder(&server)
        .machine_identifier(MACHINE)
        .build()
        .unwrap();

    let collection = plex
        .create_collection(&SectionKey::from("3"), "Because You Watched")
        .await
        .unwrap();

    assert_eq!(collection.rating_key.as_str(), "5133");
    assert_eq!(collection.child_count, 0);
    assert!(!collection.smart);
}

/// python-plexapi's `Collection._create` puts the keys in the create
/// request's `uri` (and refuses to create a collection without items).
#[tokio::test]
async fn creates_a_collection_with_its_items_in_one_request() {
    let server = MockServer::start().await;
    let keys: Vec<RatingKey> = (0..130)
        .map(|i| RatingKey::from(format!("{}", 200 + i)))
        .collect();
    let list = |ks: &[RatingKey]| {
        ks.iter()
            .map(RatingKey::as_str)
            .collect::<Vec<_>>()
            .join(",")
    };
    Mock::given(method("POST"))
        .and(path("/library/collections"))
        .and(query_param("title", "Tonight"))
        .and(query_param("smart", "0"))
        .and(query_param("sectionId", "3"))
        .and(query_param(
            "uri",
            format!(
                "server://{MACHINE}/com.plexapp.plugins.library/library/metadata/{}",
                list(&keys[..100])
            ),
        ))
        .respond_with(ok_json(
            &json!({"MediaContainer": {"size": 1, "Metadata": [{
                "ratingKey": "5133", "type": "collection", "title": "Tonight",
                "subtype": "movie", "childCount": "100"
            }]}}),
        ))
        .named("create with the first 100")
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/library/collections/5133/items"))
        .and(query_param(
            "uri",
            format!(
                "server://{MACHINE}/com.plexapp.plugins.library/library/metadata/{}",
                list(&keys[100..])
            ),
        ))
        .respond_with(ResponseTemplate::new(200))
        .named("add the other 30")
        .expect(1)
        .mount(&server)
        .await;
    let plex = builder(&server)
        .machine_identifier(MACHINE)
        .build()
        .unwrap();

    let collection = plex
        .create_collection_with_items(&SectionKey::from("3"), "Tonight", &keys)
        .await
        .unwrap();

    assert_eq!(collection.rating_key.as_str(), "5133");
}

#[tokio::test]
async fn a_create_is_sent_once_even_on_503() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/library/collections"))
        .respond_with(ResponseTemplate::new(503).set_body_string("busy"))
        .named("create that fails")
        .expect(1)
        .mount(&server)
        .await;
    let plex = builder(&server)
        .machine_identifier(MACHINE)
        .build()
        .unwrap();

    let err = plex
        .create_collection(&SectionKey::from("3"), "Tonight")
        .await
        .unwrap_err();

    assert_eq!(err.status(), Some(503));
    assert_eq!(err.op(), Some(ops::CREATE_COLLECTION));
}

#[tokio::test]
async fn retries_a_503_then_reads_the_200() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/identity"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .named("busy once")
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/identity"))
        .respond_with(ok_json(&json!({"MediaContainer": {
            "machineIdentifier": MACHINE, "version": "1.40.0.7998"
        }})))
        .named("then fine")
        .expect(1)
        .mount(&server)
        .await;
    let stats = RequestStats::new();
    let plex = builder(&server).stats(stats.clone()).build().unwrap();

    let identity = plex.identity().await.unwrap();

    assert_eq!(identity.machine_identifier, MACHINE);
    assert_eq!(identity.version, "1.40.0.7998");
    assert_eq!(stats.count(ops::IDENTITY), 2);
    assert_eq!(plex.machine_identifier().await.unwrap(), MACHINE);
}

#[tokio::test]
async fn a_slow_answer_times_out() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/library/sections"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"MediaContainer": {"size": 0}}))
                .set_delay(Duration::from_secs(2)),
        )
        .named("slow sections")
        .expect(1)
        .mount(&server)
        .await;
    let plex = builder(&server)
        .request_timeout(Duration::from_millis(100))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();

    let err = plex.sections().await.unwrap_err();

    assert!(err.is_timeout(), "{err:?}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_rejected_token_is_unauthorized() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_string(format!(
            "<html><body>401 Unauthorized, token {TOKEN}</body></html>"
        )))
        .named("401")
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server).sections().await.unwrap_err();

    assert!(matches!(err, Error::Unauthorized { .. }), "{err:?}");
    let text = format!("{err} {err:?}");
    assert!(text.contains("the Plex token was rejected"), "{text}");
    assert!(!text.contains(TOKEN), "{text}");
}

#[tokio::test]
async fn error_bodies_are_scrubbed_of_the_token() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(500)
                .set_body_string(format!("bad request ?X-Plex-Token={TOKEN}")),
        )
        .named("500 echoing the token")
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server).sections().await.unwrap_err();

    assert_eq!(err.status(), Some(500));
    assert!(!format!("{err} {err:?}").contains(TOKEN));
}

#[tokio::test]
async fn debug_output_hides_the_token() {
    let server = MockServer::start().await;
    let builder = builder(&server);
    let shown = format!(
        "{builder:?} {:?} {:#?}",
        builder.clone().build().unwrap(),
        builder
    );
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(shown.contains("curator-tests"), "{shown}");
}

#[tokio::test]
async fn delete_media_forbidden_is_its_own_error() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/library/metadata/4410/media/8802"))
        .respond_with(ResponseTemplate::new(400).set_body_string(
            "<html><head><title>Bad Request</title></head><body><h1>400 Bad Request</h1></body></html>",
        ))
        .named("deletion not allowed")
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server)
        .delete_media(&RatingKey::from("4410"), MediaId(8802))
        .await
        .unwrap_err();

    assert!(
        matches!(err, Error::DeletionRefused { status: 400, ref what, .. } if what == "media version 8802 of item 4410"),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(text.contains("Allow media deletion"), "{text}");
    // The server's own words, without the markup.
    assert!(
        text.contains("(400: Bad Request 400 Bad Request)"),
        "{text}"
    );
}

#[tokio::test]
async fn collection_edits_send_what_plex_expects() {
    let server = MockServer::start().await;
    let mocks = [
        (
            "move after",
            Mock::given(method("PUT"))
                .and(path("/library/collections/5120/items/4410/move"))
                .and(query_param("after", "212")),
        ),
        (
            "move to front",
            Mock::given(method("PUT"))
                .and(path("/library/collections/5120/items/212/move"))
                .and(query_param_is_missing("after")),
        ),
        (
            "remove",
            Mock::given(method("DELETE")).and(path("/library/collections/5120/items/4410")),
        ),
        (
            "custom sort",
            Mock::given(method("PUT"))
                .and(path("/library/metadata/5120/prefs"))
                .and(query_param("collectionSort", "2")),
        ),
        (
            "summary",
            Mock::given(method("PUT"))
                .and(path("/library/sections/3/all"))
                .and(query_param("type", "18"))
                .and(query_param("id", "5120"))
                .and(query_param("summary.value", "Picked for you & yours"))
                .and(query_param("summary.locked", "1")),
        ),
        (
            "poster",
            Mock::given(method("POST"))
                .and(path("/library/metadata/5120/posters"))
                .and(header("Content-Type", "image/png"))
                .and(body_bytes(b"\x89PNG fake image".to_vec())),
        ),
        (
            "delete collection",
            Mock::given(method("DELETE")).and(path("/library/collections/5121")),
        ),
    ];
    for (name, mock) in mocks {
        mock.respond_with(ResponseTemplate::new(200))
            .named(name)
            .expect(1)
            .mount(&server)
            .await;
    }
    let plex = client(&server);
    let (collection, item) = (RatingKey::from("5120"), RatingKey::from("4410"));

    plex.move_collection_item(&collection, &item, Some(&RatingKey::from("212")))
        .await
        .unwrap();
    plex.move_collection_item(&collection, &RatingKey::from("212"), None)
        .await
        .unwrap();
    plex.remove_from_collection(&collection, &item)
        .await
        .unwrap();
    plex.set_collection_sort(&collection, CollectionSort::Custom)
        .await
        .unwrap();
    plex.set_collection_summary(
        &SectionKey::from("3"),
        &collection,
        "Picked for you & yours",
    )
    .await
    .unwrap();
    plex.upload_poster(&collection, b"\x89PNG fake image".to_vec())
        .await
        .unwrap();
    plex.delete_collection(&RatingKey::from("5121"))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_missing_collection_is_not_found() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/library/collections/77/items/1/move"))
        .respond_with(ResponseTemplate::new(404))
        .named("no such collection")
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server)
        .move_collection_item(&RatingKey::from("77"), &RatingKey::from("1"), None)
        .await
        .unwrap_err();

    assert!(err.is_not_found(), "{err:?}");
    assert!(err.to_string().contains("collection 77"), "{err}");
}
