//! The real client against the fake Sonarr.
#![cfg(feature = "fake")]

use std::time::Duration;

use sonarr_client::fake::{FakeSonarr, Fault, SeedSeries, SonarrSeed};
use sonarr_client::{
    AddOutcome, AddSeries, ApplyTags, EpisodeMonitor, Error, MonitorType, QualityProfileId,
    SeriesEditor, SonarrApi, SonarrClient, TmdbId, TvdbId, op,
};

const BREAKING_BAD: TvdbId = TvdbId(81189);
const THE_WIRE: TvdbId = TvdbId(79126);
const FIREFLY: TvdbId = TvdbId(78874);
const THE_EXPANSE: TvdbId = TvdbId(280619);

fn add(tvdb: TvdbId, title: &str) -> AddSeries {
    AddSeries::new(tvdb, title, QualityProfileId(4), "/tv")
}

async fn demo() -> (FakeSonarr, SonarrClient) {
    let fake = FakeSonarr::start(SonarrSeed::demo()).await;
    let sonarr = fake.client_builder().build().unwrap();
    (fake, sonarr)
}

#[tokio::test]
async fn reads_the_seeded_library() {
    let (fake, sonarr) = demo().await;

    let status = sonarr.system_status().await.unwrap();
    let list = sonarr.series_list().await.unwrap();
    let folders = sonarr.root_folders().await.unwrap();
    let profiles = sonarr.quality_profiles().await.unwrap();
    let bb = sonarr.series_by_tvdb(BREAKING_BAD).await.unwrap().unwrap();
    let absent = sonarr.series_by_tvdb(FIREFLY).await.unwrap();
    let episodes = sonarr.episodes(bb.id).await.unwrap();

    assert_eq!(status.app_name, "Sonarr");
    let titles: Vec<_> = list.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, vec!["Breaking Bad", "The Wire"]);
    assert_eq!(folders[0].path, "/tv");
    assert_eq!(profiles.len(), 2);
    assert_eq!(bb.tmdb_id, Some(TmdbId(1396)));
    assert_eq!(bb.path.as_deref(), Some("/tv/Breaking Bad (2008)"));
    let stats = bb.statistics.unwrap();
    // 62 regular episodes with files, 3 specials without.
    assert_eq!(
        (stats.episode_file_count, stats.total_episode_count),
        (62, 65)
    );
    assert_eq!(episodes.len(), 65);
    assert!(
        episodes
            .iter()
            .filter(|e| e.is_special())
            .all(|e| !e.monitored && !e.has_file)
    );
    assert!(absent.is_none());
    let wire = &list[1];
    let season2 = wire.season(2).unwrap().statistics.clone().unwrap();
    assert_eq!((season2.episode_file_count, season2.episode_count), (0, 12));
    assert_eq!(fake.stats().count(op::SERIES_LIST), 1);
    assert_eq!(fake.stats().count(op::SERIES_BY_TVDB), 2);
}

#[tokio::test]
async fn add_then_add_again_is_already_exists() {
    let (fake, sonarr) = demo().await;

    let first = sonarr.add_series(&add(FIREFLY, "Firefly")).await.unwrap();
    let second = sonarr.add_series(&add(FIREFLY, "Firefly")).await.unwrap();

    let added = first.series().expect("first add adds");
    assert!(added.is_in_library());
    assert_eq!(added.tvdb_id, FIREFLY);
    assert_eq!(added.path.as_deref(), Some("/tv/Firefly (2002)"));
    assert_eq!(second, AddOutcome::AlreadyExists);
    assert_eq!(fake.series(FIREFLY).unwrap().id, added.id);
    assert_eq!(fake.monitored_episodes(FIREFLY).len(), 14);
    assert_eq!(fake.searched_on_add(), vec![FIREFLY]);
    assert_eq!(fake.stats().count(op::ADD_SERIES), 2);
}

#[tokio::test]
async fn add_refusals_carry_sonarrs_validation_messages() {
    let (fake, sonarr) = demo().await;
    let unknown = add(TvdbId(4), "Nope");
    let misplaced = AddSeries::new(FIREFLY, "", QualityProfileId(9), "/nas/tv");

    let unknown = sonarr.add_series(&unknown).await.unwrap_err();
    let misplaced = sonarr.add_series(&misplaced).await.unwrap_err();

    // AddSeriesService.AddSkyhookData for an id TheTVDB does not know.
    assert!(
        unknown
            .to_string()
            .contains("TvdbId: A series with this ID was not found"),
        "{unknown}"
    );
    let properties: Vec<_> = misplaced
        .validation_failures()
        .iter()
        .map(|f| f.property_name.as_str())
        .collect();
    assert_eq!(properties, ["RootFolderPath", "QualityProfileId", "Title"]);
    assert!(
        misplaced
            .to_string()
            .contains("RootFolderPath: Root folder '/nas/tv' does not exist"),
        "{misplaced}"
    );
    assert!(fake.series(FIREFLY).is_none());
}

#[tokio::test]
async fn lookups_know_the_library_and_the_catalogue() {
    let (_fake, sonarr) = demo().await;

    let bb = sonarr.lookup_tvdb(BREAKING_BAD).await.unwrap().unwrap();
    let firefly = sonarr.lookup_tvdb(FIREFLY).await.unwrap().unwrap();
    let unknown = sonarr.lookup_tvdb(TvdbId(4)).await.unwrap();
    let galacticas = sonarr.lookup("battlestar galactica").await.unwrap();

    assert!(bb.is_in_library());
    assert!(!firefly.is_in_library());
    assert_eq!(firefly.path, None);
    assert_eq!(firefly.seasons.len(), 1);
    assert!(unknown.is_none());
    let years: Vec<_> = galacticas.iter().map(|s| (s.year, s.tvdb_id)).collect();
    assert_eq!(years, [(1978, TvdbId(71173)), (2004, TvdbId(73545))]);
}

/// A monitor type, the (season, episode) it monitors, the seasons it monitors.
type Case = (MonitorType, &'static [(i32, i32)], &'static [i32]);

#[tokio::test]
async fn each_monitor_type_monitors_what_sonarr_monitors() {
    // EpisodeMonitoredService.SetEpisodeMonitoredStatus, at the fake's fixed
    // clock: seasons 1-2 aired, season 3 upcoming; specials in season 0.
    let show = || {
        SeedSeries::new(TvdbId(900_001), "Seeded Show", 2023)
            .seasons(&[3, 2])
            .specials(1)
            .upcoming_season(3, 2)
    };
    let cases: [Case; 9] = [
        (
            MonitorType::All,
            &[(1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (3, 1), (3, 2)],
            &[1, 2, 3],
        ),
        (MonitorType::Future, &[(3, 1), (3, 2)], &[3]),
        (
            MonitorType::Missing,
            &[(1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (3, 1), (3, 2)],
            &[1, 2, 3],
        ),
        (MonitorType::Existing, &[], &[]),
        (MonitorType::Pilot, &[(1, 1)], &[]),
        (MonitorType::FirstSeason, &[(1, 1), (1, 2), (1, 3)], &[1]),
        (MonitorType::LastSeason, &[(3, 1), (3, 2)], &[3]),
        (MonitorType::MonitorSpecials, &[(0, 1)], &[0]),
        (MonitorType::None, &[], &[]),
    ];
    for (monitor, episodes, seasons) in cases {
        let fake = FakeSonarr::start(SonarrSeed::demo().catalogue(show())).await;
        let sonarr = fake.client_builder().build().unwrap();
        let request = add(TvdbId(900_001), "Seeded Show").with_monitor(monitor);

        let added = sonarr.add_series(&request).await.unwrap();

        assert_eq!(
            fake.monitored_episodes(TvdbId(900_001)),
            episodes,
            "{monitor}"
        );
        assert_eq!(
            fake.monitored_seasons(TvdbId(900_001)),
            seasons,
            "{monitor}"
        );
        // AddSeriesService: "none" leaves the series itself unmonitored.
        assert_eq!(
            added.series().unwrap().monitored,
            monitor != MonitorType::None,
            "{monitor}"
        );
        assert_eq!(
            fake.searched_on_add().len(),
            usize::from(monitor != MonitorType::None),
            "{monitor}"
        );
    }
}

#[tokio::test]
async fn unmonitoring_a_season_unmonitors_its_episodes() {
    // SeriesService.UpdateSeries: SetEpisodeMonitoredBySeason for each
    // season whose flag changed.
    let (fake, sonarr) = demo().await;
    let mut wire = sonarr.series_by_tvdb(THE_WIRE).await.unwrap().unwrap();
    let network = wire.extra["network"].clone();
    for season in &mut wire.seasons {
        season.monitored = season.season_number == 1;
    }
    wire.tags.clear();

    let saved = sonarr.update_series(&wire).await.unwrap();

    assert_eq!(fake.monitored_seasons(THE_WIRE), [1]);
    let monitored = fake.monitored_episodes(THE_WIRE);
    assert_eq!(monitored.len(), 13);
    assert!(monitored.iter().all(|(season, _)| *season == 1));
    assert_eq!(saved.extra["network"], network);
    assert_eq!(fake.series(THE_WIRE).unwrap().extra["network"], network);
}

#[tokio::test]
async fn the_editor_unmonitors_and_tags_in_one_request() {
    let (fake, sonarr) = demo().await;
    let ids: Vec<_> = sonarr
        .series_list()
        .await
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    let tags = sonarr.ensure_tags(&["curator", "watched"]).await.unwrap();
    let tag_ids = tags.iter().map(|t| t.id).collect();

    sonarr
        .edit_series(
            &SeriesEditor::new(ids.clone())
                .with_monitored(false)
                .with_tags(ApplyTags::Add, tag_ids),
        )
        .await
        .unwrap();
    sonarr
        .edit_series(&SeriesEditor::new(ids).with_tags(ApplyTags::Remove, vec![tags[0].id]))
        .await
        .unwrap();

    assert_eq!(fake.is_monitored(BREAKING_BAD), Some(false));
    assert_eq!(fake.is_monitored(THE_WIRE), Some(false));
    // The editor changes the series flag only, not its episodes.
    assert_eq!(fake.monitored_episodes(THE_WIRE).len(), 60);
    assert_eq!(fake.series_tag_labels(BREAKING_BAD).unwrap(), ["watched"]);
    assert_eq!(fake.stats().count(op::EDIT_SERIES), 2);
}

#[tokio::test]
async fn episodes_with_files_can_be_unmonitored_in_bulk() {
    let (fake, sonarr) = demo().await;
    let wire = sonarr.series_by_tvdb(THE_WIRE).await.unwrap().unwrap();
    let with_files: Vec<_> = sonarr
        .episodes(wire.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.has_file)
        .map(|e| e.id)
        .collect();
    assert_eq!(with_files.len(), 13);

    sonarr
        .monitor_episodes(&EpisodeMonitor::new(with_files.clone(), false))
        .await
        .unwrap();

    let monitored = fake.monitored_episodes(THE_WIRE);
    assert_eq!(monitored.len(), 60 - 13);
    assert!(monitored.iter().all(|(season, _)| *season > 1));
    assert_eq!(fake.monitor_requests(), [with_files]);
}

#[tokio::test]
async fn search_commands_are_recorded() {
    let (fake, sonarr) = demo().await;
    let wire = sonarr.series_by_tvdb(THE_WIRE).await.unwrap().unwrap();
    let missing: Vec<_> = sonarr
        .episodes(wire.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| !e.has_file)
        .take(2)
        .map(|e| e.id)
        .collect();

    let series = sonarr.search_series(wire.id).await.unwrap();
    sonarr.search_missing_episodes(None).await.unwrap();
    sonarr.search_episodes(&missing).await.unwrap();

    assert_eq!(series.name, "SeriesSearch");
    let commands = fake.commands();
    let names: Vec<_> = commands.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        ["SeriesSearch", "MissingEpisodeSearch", "EpisodeSearch"]
    );
    assert_eq!(commands[0].series_id, Some(wire.id));
    assert_eq!(commands[1].series_id, None);
    assert_eq!(commands[2].episode_ids, missing);
    assert_eq!(fake.stats().count(op::SEARCH_SERIES), 1);
    assert_eq!(fake.stats().count(op::SEARCH_MISSING), 1);
    assert_eq!(fake.stats().count(op::SEARCH_EPISODES), 1);
}

#[tokio::test]
async fn ensure_tags_creates_each_missing_label_once() {
    let (fake, sonarr) = demo().await;

    let first = sonarr
        .ensure_tags(&["Curator", "From-Plex", "from plex"])
        .await
        .unwrap();
    let again = sonarr.ensure_tags(&["CURATOR", "from-plex"]).await.unwrap();

    assert_eq!(first, again);
    let labels: Vec<_> = fake.tags().into_iter().map(|t| t.label).collect();
    assert_eq!(labels, ["curator", "from-plex"]);
    assert_eq!(fake.stats().count(op::CREATE_TAG), 1);
}

#[tokio::test]
async fn a_wrong_key_is_refused() {
    let fake = FakeSonarr::start(SonarrSeed::demo()).await;
    let sonarr = SonarrClient::builder(fake.uri(), "not-the-key")
        .build()
        .unwrap();

    let error = sonarr.series_list().await.unwrap_err();

    assert!(error.is_unauthorized(), "{error:?}");
    assert_eq!(fake.stats().count(op::SERIES_LIST), 1);
}

#[tokio::test]
async fn injected_503s_are_retried_for_reads() {
    let (fake, sonarr) = demo().await;
    fake.faults().inject(op::SERIES_LIST, Fault::Status(503), 2);

    let list = sonarr.series_list().await.unwrap();

    assert_eq!(list.len(), 2);
    assert_eq!(fake.stats().count(op::SERIES_LIST), 3);
}

#[tokio::test]
async fn an_injected_503_on_add_is_not_retried_and_adds_nothing() {
    let (fake, sonarr) = demo().await;
    fake.faults().inject(op::ADD_SERIES, Fault::Status(503), 1);

    let error = sonarr
        .add_series(&add(FIREFLY, "Firefly"))
        .await
        .unwrap_err();
    let retry = sonarr.add_series(&add(FIREFLY, "Firefly")).await.unwrap();

    assert_eq!(error.status(), Some(503));
    assert!(retry.was_added());
    assert_eq!(fake.stats().count(op::ADD_SERIES), 2);
}

#[tokio::test]
async fn a_hung_add_times_out_but_the_next_add_sees_it_done() {
    let fake = FakeSonarr::start(SonarrSeed::demo()).await;
    let sonarr = fake
        .client_builder()
        .request_timeout(Duration::from_millis(150))
        .build()
        .unwrap();
    fake.faults()
        .inject(op::ADD_SERIES, Fault::Hang(Duration::from_secs(5)), 1);

    let error = sonarr
        .add_series(&add(FIREFLY, "Firefly"))
        .await
        .unwrap_err();
    let again = sonarr.add_series(&add(FIREFLY, "Firefly")).await.unwrap();

    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(again, AddOutcome::AlreadyExists);
    assert_eq!(fake.stats().count(op::ADD_SERIES), 2);
}

#[tokio::test]
async fn a_slow_series_list_has_its_own_timeout_and_is_asked_once() {
    let fake =
        FakeSonarr::start(SonarrSeed::demo().cover_read_delay(Duration::from_millis(400))).await;
    let patient = fake
        .client_builder()
        .request_timeout(Duration::from_millis(100))
        .series_list_timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let hasty = fake
        .client_builder()
        .series_list_timeout(Duration::from_millis(100))
        .build()
        .unwrap();

    assert_eq!(patient.series_list().await.unwrap().len(), 2);
    assert!(patient.tags().await.is_ok());
    let error = hasty.series_list().await.unwrap_err();

    assert!(error.is_timeout(), "{error:?}");
    // Each retry would make Sonarr build the whole list again.
    assert_eq!(fake.stats().count(op::SERIES_LIST), 2);
}

#[tokio::test]
async fn a_series_added_meanwhile_makes_the_add_already_exists() {
    let (fake, sonarr) = demo().await;
    fake.insert_after_next_list(SeedSeries::new(THE_EXPANSE, "The Expanse", 2015).seasons(&[10]));

    let list = sonarr.series_list().await.unwrap();
    let outcome = sonarr
        .add_series(&add(THE_EXPANSE, "The Expanse"))
        .await
        .unwrap();

    assert!(list.iter().all(|s| s.tvdb_id != THE_EXPANSE));
    assert_eq!(outcome, AddOutcome::AlreadyExists);
}

#[tokio::test]
async fn files_imported_later_are_seen_by_the_client() {
    let fake = FakeSonarr::start(
        SonarrSeed::new()
            .root_folder("/data/tv")
            .quality_profile(6, "Ultra-HD"),
    )
    .await;
    let sonarr = fake.client_builder().build().unwrap();
    fake.insert_series(
        &SeedSeries::new(FIREFLY, "Firefly", 2002)
            .seasons(&[14])
            .monitored(false)
            .tags(&["Kids"]),
    );
    assert!(fake.set_has_file(FIREFLY, 1, 1, true));
    assert!(!fake.set_has_file(FIREFLY, 2, 1, true));

    let firefly = sonarr.series_by_tvdb(FIREFLY).await.unwrap().unwrap();
    let tags = sonarr.tags().await.unwrap();
    let episodes = sonarr.episodes(firefly.id).await.unwrap();

    assert!(!firefly.monitored);
    assert_eq!(firefly.quality_profile_id, QualityProfileId(6));
    assert_eq!(firefly.root_folder_path.as_deref(), Some("/data/tv"));
    assert_eq!(firefly.tags, vec![tags[0].id]);
    assert_eq!(tags[0].label, "kids");
    assert!(episodes[0].has_file && !episodes[1].has_file);
    assert!(episodes.iter().all(|e| !e.monitored));
    assert!(matches!(
        sonarr.search_episodes(&[]).await,
        Err(Error::InvalidArgument { .. })
    ));
}
