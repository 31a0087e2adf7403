//! The client against wiremock: what is sent, what is decoded, retries and
//! error messages.

use std::time::Duration;

use serde_json::{Value, json};
use sonarr_client::{
    AddOutcome, AddSeries, ApplyTags, EpisodeId, EpisodeMonitor, Error, MonitorType,
    QualityProfileId, RequestStats, SeriesEditor, SeriesId, SeriesStatus, SeriesType, SonarrApi,
    SonarrClient, TagId, TmdbId, TvdbId, op,
};
use wiremock::matchers::{any, body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::{KEY, client, client_with_stats, episode_json, fast_retries, series_json};

fn breaking_bad() -> AddSeries {
    AddSeries::new(TvdbId(81189), "Breaking Bad", QualityProfileId(4), "/tv")
}

#[tokio::test]
async fn sends_the_key_in_a_header_and_never_in_the_url() {
    // ApiKeyAuthenticationHandler reads the X-Api-Key header.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v3/system/status"))
        .and(header("X-Api-Key", KEY))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "appName": "Sonarr",
            "instanceName": "Sonarr (attic)",
            "version": "4.0.14.2939",
            "isDocker": true,
            "urlBase": "",
            "osName": "debian"
        })))
        .named("system status")
        .expect(1)
        .mount(&server)
        .await;

    let status = client(&server).system_status().await.unwrap();

    assert_eq!(status.app_name, "Sonarr");
    assert_eq!(status.major_version(), Some(4));
    assert_eq!(status.instance_name.as_deref(), Some("Sonarr (attic)"));
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    assert!(!requests[0].url.as_str().contains(KEY));
    assert_eq!(requests[0].url.query(), None);
}

#[tokio::test]
async fn keeps_the_url_base_of_a_reverse_proxied_sonarr() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/sonarr/api/v3/rootfolder"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"id": 1, "path": "/data/tv", "accessible": true, "freeSpace": 912_000_000_000_i64, "unmappedFolders": []},
            {"id": 2, "path": "/data/anime", "accessible": false, "freeSpace": null}
        ])))
        .named("root folders under /sonarr")
        .expect(1)
        .mount(&server)
        .await;
    let sonarr = SonarrClient::builder(format!("{}/sonarr", server.uri()), KEY)
        .build()
        .unwrap();

    let folders = sonarr.root_folders().await.unwrap();

    assert_eq!(folders[0].path, "/data/tv");
    assert_eq!(folders[0].free_space, Some(912_000_000_000));
    assert!(!folders[1].accessible);
}

#[tokio::test]
async fn decodes_the_series_list_with_seasons_and_statistics() {
    // SeriesController.AllSeries: no parameter when every series is wanted.
    let server = MockServer::start().await;
    let mut sparse = series_json(9, 79126, "The Wire", 2002);
    sparse["tmdbId"] = json!(0);
    sparse["imdbId"] = Value::Null;
    sparse["tags"] = Value::Null;
    sparse["statistics"] = Value::Null;
    sparse["seriesType"] = json!("anime");
    Mock::given(method("GET"))
        .and(path("/api/v3/series"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!([series_json(4, 81189, "Breaking Bad", 2008), sparse])),
        )
        .named("all series")
        .expect(1)
        .mount(&server)
        .await;

    let list = client(&server).series_list().await.unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].url.query(), None);
    let bb = &list[0];
    assert_eq!((bb.id, bb.tvdb_id), (SeriesId(4), TvdbId(81189)));
    assert_eq!(bb.tmdb_id, Some(TmdbId(1396)));
    assert_eq!(bb.imdb_id.as_ref().unwrap().as_str(), "tt0903747");
    assert_eq!(bb.status, Some(SeriesStatus::Ended));
    assert_eq!(bb.tags, vec![TagId(2)]);
    assert_eq!(bb.seasons.len(), 2);
    let season = bb.season(1).unwrap();
    assert!(season.monitored);
    assert_eq!(season.statistics.as_ref().unwrap().episode_file_count, 7);
    assert_eq!(bb.statistics.as_ref().unwrap().total_episode_count, 71);
    assert_eq!(bb.extra["network"], "AMC");
    let wire = &list[1];
    assert_eq!(wire.tmdb_id, None);
    assert_eq!(wire.imdb_id, None);
    assert!(wire.tags.is_empty());
    assert_eq!(wire.statistics, None);
    assert_eq!(wire.series_type, SeriesType::Anime);
}

#[tokio::test]
async fn series_by_tvdb_asks_with_tvdb_id_and_returns_none_when_absent() {
    // SeriesController.AllSeries(int? tvdbId): 0 or 1 series.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v3/series"))
        .and(query_param("tvdbId", "81189"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([series_json(
            4,
            81189,
            "Breaking Bad",
            2008
        )])))
        .named("by tvdb id")
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v3/series"))
        .and(query_param("tvdbId", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .named("unknown tvdb id")
        .expect(1)
        .mount(&server)
        .await;
    let sonarr = client(&server);

    let found = sonarr.series_by_tvdb(TvdbId(81189)).await.unwrap();
    let missing = sonarr.series_by_tvdb(TvdbId(1)).await.unwrap();

    assert_eq!(found.unwrap().id, SeriesId(4));
    assert!(missing.is_none());
}

#[tokio::test]
async fn lookups_send_the_term_sonarr_parses() {
    // SeriesLookupController.Search(term) -> SkyHookProxy.SearchForNewSeries:
    // "tvdb:N" for one id (empty list when unknown), any other text searches.
    let server = MockServer::start().await;
    let mut lookup = series_json(0, 81189, "Breaking Bad", 2008);
    lookup.as_object_mut().unwrap().remove("path");
    Mock::given(method("GET"))
        .and(path("/api/v3/series/lookup"))
        .and(query_param("term", "tvdb:81189"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([lookup.clone()])))
        .named("lookup by tvdb id")
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v3/series/lookup"))
        .and(query_param("term", "tvdb:999999999"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .named("lookup of an unknown id")
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v3/series/lookup"))
        .and(query_param("term", "breaking bad"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([lookup])))
        .named("lookup by title")
        .expect(1)
        .mount(&server)
        .await;
    let sonarr = client(&server);

    let by_id = sonarr.lookup_tvdb(TvdbId(81189)).await.unwrap().unwrap();
    let unknown = sonarr.lookup_tvdb(TvdbId(999_999_999)).await.unwrap();
    let by_title = sonarr.lookup(" breaking bad ").await.unwrap();
    let blank = sonarr.lookup("  ").await.unwrap_err();

    assert!(!by_id.is_in_library());
    assert_eq!(by_id.path, None);
    assert!(unknown.is_none());
    assert_eq!(by_title[0].title, "Breaking Bad");
    assert!(matches!(blank, Error::InvalidArgument { .. }), "{blank:?}");
}

#[tokio::test]
async fn add_sends_the_series_body_with_add_options() {
    // SeriesResource + AddSeriesOptions (NzbDrone.Core/Tv/AddSeriesOptions.cs,
    // MonitoringOptions.cs); languageProfileId for v3's
    // LanguageProfileExistsValidator.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v3/series"))
        .and(header("X-Api-Key", KEY))
        .and(header("Content-Type", "application/json"))
        .and(body_json(json!({
            "tvdbId": 81189,
            "title": "Breaking Bad",
            "qualityProfileId": 4,
            "languageProfileId": 1,
            "rootFolderPath": "/tv",
            "seasonFolder": true,
            "seriesType": "standard",
            "monitored": true,
            "tags": [3, 5],
            "addOptions": {
                "monitor": "firstSeason",
                "searchForMissingEpisodes": true,
                "searchForCutoffUnmetEpisodes": false
            }
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(series_json(
            12,
            81189,
            "Breaking Bad",
            2008,
        )))
        .named("add breaking bad")
        .expect(1)
        .mount(&server)
        .await;
    let request = breaking_bad()
        .with_tags(vec![TagId(3), TagId(5)])
        .with_monitor(MonitorType::FirstSeason);

    let outcome = client(&server).add_series(&request).await.unwrap();

    assert_eq!(outcome.series().unwrap().id, SeriesId(12));
    assert!(outcome.was_added());
}

#[tokio::test]
async fn an_add_that_monitors_nothing_asks_for_no_search() {
    // SeriesScannedHandler: searchForMissingEpisodes queues a
    // MissingEpisodeSearch for the series, which ignores the series flag.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v3/series"))
        .and(body_json(json!({
            "tvdbId": 81189,
            "title": "Breaking Bad",
            "qualityProfileId": 4,
            "languageProfileId": 2,
            "rootFolderPath": "/tv",
            "seasonFolder": false,
            "seriesType": "daily",
            "monitored": false,
            "tags": [],
            "addOptions": {
                "monitor": "none",
                "searchForMissingEpisodes": false,
                "searchForCutoffUnmetEpisodes": false
            }
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(series_json(
            13,
            81189,
            "Breaking Bad",
            2008,
        )))
        .named("add unmonitored")
        .expect(1)
        .mount(&server)
        .await;
    let request = breaking_bad()
        .with_monitored(false)
        .with_monitor(MonitorType::None)
        .with_season_folder(false)
        .with_series_type(SeriesType::Daily)
        .with_language_profile(2);
    assert!(request.search_on_add);

    let outcome = client(&server).add_series(&request).await.unwrap();

    assert_eq!(outcome.series().unwrap().id, SeriesId(13));
}

#[tokio::test]
async fn add_of_a_series_already_there_is_its_own_outcome() {
    // SeriesExistsValidator: "This series has already been added".
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v3/series"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!([{
            "propertyName": "TvdbId",
            "errorMessage": "This series has already been added",
            "attemptedValue": 81189,
            "severity": "error",
            "errorCode": "SeriesExistsValidator",
            "formattedMessagePlaceholderValues": {"propertyName": "Tvdb Id", "propertyValue": 81189}
        }])))
        .named("duplicate add")
        .expect(1)
        .mount(&server)
        .await;

    let outcome = client(&server).add_series(&breaking_bad()).await.unwrap();

    assert_eq!(outcome, AddOutcome::AlreadyExists);
}

#[tokio::test]
async fn add_is_sent_exactly_once_even_when_the_answer_is_a_503() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v3/series"))
        .respond_with(ResponseTemplate::new(503).set_body_string("Service Unavailable"))
        .named("add answered 503")
        .expect(1)
        .mount(&server)
        .await;
    let stats = RequestStats::new();

    let error = client_with_stats(&server, &stats)
        .add_series(&breaking_bad())
        .await
        .unwrap_err();

    assert_eq!(error.status(), Some(503));
    assert!(error.is_retryable());
    assert_eq!(error.op(), Some(op::ADD_SERIES));
    assert_eq!(stats.count(op::ADD_SERIES), 1);
}

#[tokio::test]
async fn add_is_sent_once_when_the_server_hangs() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v3/series"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(series_json(12, 81189, "Breaking Bad", 2008))
                .set_delay(Duration::from_secs(5)),
        )
        .named("slow add")
        .expect(1)
        .mount(&server)
        .await;
    let sonarr = SonarrClient::builder(server.uri(), KEY)
        .retry_policy(fast_retries(3))
        .request_timeout(Duration::from_millis(150))
        .build()
        .unwrap();

    let error = sonarr.add_series(&breaking_bad()).await.unwrap_err();

    assert!(error.is_timeout(), "{error:?}");
}

#[tokio::test]
async fn validation_failures_are_listed_by_property() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v3/series"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!([
            {"propertyName": "RootFolderPath", "errorMessage": "Root folder '/nas/tv' does not exist", "attemptedValue": "/nas/tv", "severity": "error", "errorCode": "RootFolderExistsValidator"},
            {"propertyName": "QualityProfileId", "errorMessage": "Quality Profile does not exist", "attemptedValue": 9, "severity": "error"}
        ])))
        .named("refused add")
        .expect(1)
        .mount(&server)
        .await;

    let error = client(&server)
        .add_series(&breaking_bad())
        .await
        .unwrap_err();

    assert_eq!(
        error.to_string(),
        "sonarr.add_series: sonarr refused the request: \
         RootFolderPath: Root folder '/nas/tv' does not exist; \
         QualityProfileId: Quality Profile does not exist"
    );
    assert_eq!(error.validation_failures().len(), 2);
    assert_eq!(
        error.validation_failures()[0].error_code.as_deref(),
        Some("RootFolderExistsValidator")
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
    let text = error.to_string();
    assert!(
        text.starts_with("sonarr.tags: sonarr rejected the api key"),
        "{text}"
    );
    assert!(text.contains("Settings > General > Security"), "{text}");
    assert!(!text.contains(KEY));
}

#[tokio::test]
async fn an_unknown_series_is_a_not_found_with_or_without_a_body() {
    // v4 GetResourceByIdWithErrorHandler: NotFound() with no body; v3 (Nancy)
    // wrote ModelNotFoundException's message.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v3/series/404"))
        .respond_with(ResponseTemplate::new(404))
        .named("v4 missing series")
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v3/series/405"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "message": "Series with ID 405 does not exist",
            "description": "NzbDrone.Core.Datastore.ModelNotFoundException: Series with ID 405 does not exist\n   at NzbDrone.Core.Datastore.BasicRepository`1.Get(Int32 id)"
        })))
        .named("v3 missing series")
        .expect(1)
        .mount(&server)
        .await;
    let sonarr = client(&server);

    let v4 = sonarr.series(SeriesId(404)).await.unwrap_err();
    let v3 = sonarr.series(SeriesId(405)).await.unwrap_err();

    assert!(v4.is_not_found() && v3.is_not_found());
    assert_eq!(v4.op(), Some(op::SERIES));
    assert_eq!(
        v3.to_string(),
        "sonarr.series: sonarr answered 404: Series with ID 405 does not exist \
         (NzbDrone.Core.Datastore.ModelNotFoundException)"
    );
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

    let error = client(&server).quality_profiles().await.unwrap_err();

    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(KEY), "{shown}");
    assert!(shown.contains("apikey=***"), "{shown}");
}

#[tokio::test]
async fn reads_are_retried_on_503_then_succeed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v3/episode"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .named("episodes unavailable twice")
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v3/episode"))
        .and(query_param("seriesId", "4"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            episode_json(101, 4, 1, 1, true),
            episode_json(102, 4, 1, 2, false)
        ])))
        .named("episodes")
        .expect(1)
        .mount(&server)
        .await;
    let stats = RequestStats::new();

    let episodes = client_with_stats(&server, &stats)
        .episodes(SeriesId(4))
        .await
        .unwrap();

    assert_eq!(stats.count(op::EPISODES), 3);
    assert_eq!(episodes.len(), 2);
    assert_eq!(episodes[0].id, EpisodeId(101));
    assert_eq!(episodes[0].series_id, SeriesId(4));
    assert!(episodes[0].has_file && !episodes[1].has_file);
    assert_eq!(episodes[0].episode_file_id, 201);
    assert_eq!(episodes[1].air_date.as_deref(), Some("2008-01-20"));
    assert_eq!(episodes[1].extra["runtime"], 58);
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
            {"id": 1, "name": "Any", "upgradeAllowed": false, "cutoff": 1, "items": []},
            {"id": 4, "name": "HD-1080p", "upgradeAllowed": true, "cutoff": 9, "items": [], "formatItems": []}
        ])))
        .named("profiles")
        .expect(1)
        .mount(&server)
        .await;

    let profiles = client(&server).quality_profiles().await.unwrap();

    assert_eq!(profiles[1].id, QualityProfileId(4));
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
    let sonarr = SonarrClient::builder(server.uri(), KEY)
        .retry_policy(fast_retries(0))
        .request_timeout(Duration::from_millis(150))
        .build()
        .unwrap();

    let error = sonarr.tags().await.unwrap_err();

    assert!(error.is_timeout(), "{error:?}");
    assert!(error.is_retryable());
}

#[tokio::test]
async fn the_series_list_has_its_own_timeout_and_is_not_retried_after_one() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v3/series"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!([]))
                .set_delay(Duration::from_millis(400)),
        )
        .named("slow series list")
        .expect(2)
        .mount(&server)
        .await;
    let stats = RequestStats::new();
    let patient = SonarrClient::builder(server.uri(), KEY)
        .retry_policy(fast_retries(3))
        .request_timeout(Duration::from_millis(100))
        .series_list_timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let hasty = SonarrClient::builder(server.uri(), KEY)
        .retry_policy(fast_retries(3))
        .series_list_timeout(Duration::from_millis(100))
        .stats(stats.clone())
        .build()
        .unwrap();

    assert!(patient.series_list().await.unwrap().is_empty());
    let error = hasty.series_list().await.unwrap_err();

    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(stats.count(op::SERIES_LIST), 1);
}

#[tokio::test]
async fn update_sends_back_every_field_sonarr_sent() {
    // Series.ApplyChanges replaces seasons, path, profile, flags and tags
    // with what the PUT carries: all of it must go back.
    let server = MockServer::start().await;
    let mut original = series_json(4, 81189, "Breaking Bad", 2008);
    original["someFieldFromSonarr5"] = json!({"nested": [1, 2, 3]});
    Mock::given(method("GET"))
        .and(path("/api/v3/series/4"))
        .respond_with(ResponseTemplate::new(200).set_body_json(original.clone()))
        .named("get series")
        .expect(1)
        .mount(&server)
        .await;
    let mut expected = original.clone();
    expected["monitored"] = json!(false);
    expected["tags"] = json!([2, 9]);
    expected["seasons"][1]["monitored"] = json!(false);
    Mock::given(method("PUT"))
        .and(path("/api/v3/series/4"))
        .and(body_json(expected.clone()))
        .respond_with(ResponseTemplate::new(202).set_body_json(expected.clone()))
        .named("put series")
        .expect(1)
        .mount(&server)
        .await;
    let sonarr = client(&server);

    let mut series = sonarr.series(SeriesId(4)).await.unwrap();
    series.monitored = false;
    series.tags.push(TagId(9));
    series.seasons[1].monitored = false;
    let saved = sonarr.update_series(&series).await.unwrap();

    assert!(!saved.monitored);
    assert_eq!(
        saved.extra["someFieldFromSonarr5"]["nested"],
        json!([1, 2, 3])
    );
    let requests = server.received_requests().await.unwrap();
    let sent: Value = requests[1].body_json().unwrap();
    assert_eq!(sent, expected);
}

#[tokio::test]
async fn the_editor_changes_many_series_in_one_request() {
    // SeriesEditorResource: seriesIds, monitored, tags, applyTags.
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/api/v3/series/editor"))
        .and(body_json(json!({
            "seriesIds": [4, 8, 21],
            "monitored": false,
            "tags": [3],
            "applyTags": "remove"
        })))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!([])))
        .named("editor")
        .expect(1)
        .mount(&server)
        .await;
    let sonarr = client(&server);
    let edit = SeriesEditor::new(vec![SeriesId(21), SeriesId(4), SeriesId(8), SeriesId(4)])
        .with_monitored(false)
        .with_tags(ApplyTags::Remove, vec![TagId(3)]);

    sonarr.edit_series(&edit).await.unwrap();
    sonarr
        .edit_series(&SeriesEditor::new(Vec::new()).with_monitored(false))
        .await
        .unwrap();
}

#[tokio::test]
async fn episode_monitoring_sends_ids_and_the_flag() {
    // EpisodesMonitoredResource: episodeIds, monitored; v3/v4 answer 202.
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/api/v3/episode/monitor"))
        .and(body_json(
            json!({"episodeIds": [101, 102, 150], "monitored": false}),
        ))
        .respond_with(
            ResponseTemplate::new(202).set_body_json(json!([episode_json(101, 4, 1, 1, true)])),
        )
        .named("monitor episodes")
        .expect(1)
        .mount(&server)
        .await;
    let sonarr = client(&server);
    let ids = vec![
        EpisodeId(150),
        EpisodeId(101),
        EpisodeId(102),
        EpisodeId(150),
    ];

    sonarr
        .monitor_episodes(&EpisodeMonitor::new(ids, false))
        .await
        .unwrap();
    sonarr
        .monitor_episodes(&EpisodeMonitor::new(Vec::new(), true))
        .await
        .unwrap();
}

#[tokio::test]
async fn search_commands_carry_sonarrs_field_names() {
    // NzbDrone.Core/IndexerSearch: SeriesSearchCommand.SeriesId,
    // MissingEpisodeSearchCommand.SeriesId (optional),
    // EpisodeSearchCommand.EpisodeIds; CommandController answers 201.
    let server = MockServer::start().await;
    for (body, id) in [
        (json!({"name": "SeriesSearch", "seriesId": 4}), 1),
        (json!({"name": "MissingEpisodeSearch", "seriesId": 4}), 2),
        (json!({"name": "MissingEpisodeSearch"}), 3),
        (
            json!({"name": "EpisodeSearch", "episodeIds": [101, 102]}),
            4,
        ),
    ] {
        let name = body["name"].clone();
        Mock::given(method("POST"))
            .and(path("/api/v3/command"))
            .and(body_json(body))
            .respond_with(ResponseTemplate::new(201).set_body_json(json!({
                "id": id, "name": name, "status": "queued", "priority": "normal", "trigger": "manual"
            })))
            .expect(1)
            .mount(&server)
            .await;
    }
    let sonarr = client(&server);

    let series = sonarr.search_series(SeriesId(4)).await.unwrap();
    let missing_one = sonarr
        .search_missing_episodes(Some(SeriesId(4)))
        .await
        .unwrap();
    let missing_all = sonarr.search_missing_episodes(None).await.unwrap();
    let episodes = sonarr
        .search_episodes(&[EpisodeId(101), EpisodeId(102)])
        .await
        .unwrap();
    let empty = sonarr.search_episodes(&[]).await.unwrap_err();

    assert_eq!((series.id, series.name.as_str()), (1, "SeriesSearch"));
    assert_eq!(missing_one.id, 2);
    assert_eq!(missing_all.id, 3);
    assert_eq!((episodes.id, episodes.status.as_str()), (4, "queued"));
    assert!(matches!(empty, Error::InvalidArgument { .. }), "{empty:?}");
}

#[tokio::test]
async fn ensure_tags_creates_only_the_missing_labels_in_lowercase() {
    // TagService.Add: exact-case lookup, lowercase insert.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v3/tag"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"id": 1, "label": "curator"},
            {"id": 2, "label": "anime"}
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
        .ensure_tags(&["Curator", " from plex ", "ANIME", "FROM_PLEX", "★"])
        .await
        .unwrap();

    let ids: Vec<TagId> = tags.iter().map(|tag| tag.id).collect();
    assert_eq!(ids, vec![TagId(1), TagId(3), TagId(2)]);
    assert_eq!(stats.count(op::CREATE_TAG), 1);
}

#[tokio::test]
async fn debug_output_hides_the_key() {
    let server = MockServer::start().await;
    let builder = SonarrClient::builder(server.uri(), KEY);
    let shown_builder = format!("{builder:?}");
    let sonarr = builder.build().unwrap();

    let shown = format!("{sonarr:?} {sonarr:#?}");

    assert!(!shown.contains(KEY), "{shown}");
    assert!(!shown_builder.contains(KEY), "{shown_builder}");
    assert!(shown.contains(&server.uri()), "{shown}");
}

#[tokio::test]
async fn the_builder_refuses_bad_settings() {
    let blank = SonarrClient::builder("http://127.0.0.1:8989", "  ")
        .build()
        .unwrap_err();
    let scheme = SonarrClient::builder("ftp://nas:8989", KEY)
        .build()
        .unwrap_err();
    let query = SonarrClient::builder(format!("http://nas:8989/?apikey={KEY}"), KEY)
        .build()
        .unwrap_err();
    let line_break = SonarrClient::builder("http://nas:8989", format!("{KEY}\n"))
        .build()
        .unwrap_err();

    for error in [&blank, &scheme, &query, &line_break] {
        assert!(matches!(error, Error::Config { .. }), "{error:?}");
        assert!(!error.to_string().contains(KEY));
    }
    assert!(blank.to_string().contains("api key is empty"), "{blank}");
}
