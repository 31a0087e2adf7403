//! The Sonarr housekeeping steps against the fake Plex and the fake
//! Sonarr: the duplicate episode cleaner, the Sonarr monitor confirm and
//! the search for monitored episodes, with the requests each makes.
//!
//! The Plex TV library is `PlexSeed::sample_shows` (Severance's pilot in
//! 1080p, 4K and an optimized version; Breaking Bad's pilot in 1080p and
//! 720p, on the legacy TheTVDB agent, and a special; The Office on the
//! legacy TMDb agent; Shōgun; Battlestar Galactica with two specials) plus
//! a made-up show whose better copy is gone from disk and a show Plex knows
//! no id for. Sonarr's payloads are the fake's (`EpisodeResource` fields
//! `seasonNumber`, `episodeNumber`, `airDateUtc`, `hasFile`, `monitored`;
//! series `status`), modelled on Sonarr's own source.

use std::sync::Arc;

use curator_core::{
    DataDir, Quiet, RunContext, RunReport, RunRequest, Services, Settings, StepKind, StepReport,
    StepStatus, StepToggles, TvSettings, run,
};
use curator_http::TvdbId;
use plex_client::fake::{FakeEpisode, FakeMovie, FakePlex, FakeShow, FakeVersion, PlexSeed};
use plex_client::ops;
use sonarr_client::fake::{FakeSonarr, SeedSeries, SonarrSeed};
use sonarr_client::{EpisodeMonitor, SonarrApi, op};
use time::macros::date;

const SEVERANCE: TvdbId = TvdbId(371_980);
const BREAKING_BAD: TvdbId = TvdbId(81_189);
const OFFICE: TvdbId = TvdbId(73_244);
const SHOGUN: TvdbId = TvdbId(392_573);
/// Made up, as is the show.
const HARBOUR: TvdbId = TvdbId(900_001);

fn plex_seed() -> PlexSeed {
    PlexSeed::new()
        .allow_media_deletion(true)
        .movie_section("1", "Movies")
        .show_section("2", "TV Shows")
        .sample_shows("2")
        .show(
            "2",
            FakeShow::new("Harbour Lights", 2019)
                .tvdb(HARBOUR.0)
                .tmdb(900_002)
                // The 4K copy is listed but its file is gone: the 1080p one
                // stays, nothing is deleted.
                .episode(
                    FakeEpisode::new(1, 1, "Low Tide")
                        .version(FakeVersion::new("4k").missing())
                        .version(FakeVersion::new("1080")),
                )
                .season(1, 2),
        )
        // Plex could not match it: no outside id at all.
        .show("2", FakeShow::new("Home Movies of Ours", 2021).season(1, 2))
}

async fn sonarr() -> FakeSonarr {
    FakeSonarr::start(
        SonarrSeed::new()
            .root_folder("/tv")
            .quality_profile(1, "HD-1080p")
            // Plex has seasons 1 (9) and 2 (3 of 10); still airing.
            .series(
                SeedSeries::new(SEVERANCE, "Severance", 2022)
                    .tmdb(95_396)
                    .seasons(&[9, 10])
                    .continuing(),
            )
            // Plex has every aired regular episode (season 1) and the
            // special; ended.
            .series(
                SeedSeries::new(BREAKING_BAD, "Breaking Bad", 2008)
                    .tmdb(1396)
                    .seasons(&[7])
                    .specials(1),
            )
            // Plex names it by TMDb id only (legacy TMDb agent).
            .series(
                SeedSeries::new(OFFICE, "The Office (US)", 2005)
                    .tmdb(2316)
                    .seasons(&[6, 22]),
            )
            // Same TVDB id as Plex's Shōgun, another TMDb id: not certain.
            .series(
                SeedSeries::new(SHOGUN, "Shogun", 2024)
                    .tmdb(999_999)
                    .seasons(&[10]),
            )
            .series(
                SeedSeries::new(HARBOUR, "Harbour Lights", 2019)
                    .tmdb(900_002)
                    .seasons(&[2]),
            ),
    )
    .await
}

fn settings(steps: &[StepKind]) -> Settings {
    Settings {
        steps: StepToggles::only(steps),
        tv: Some(TvSettings::default()),
        ..Settings::default()
    }
}

async fn run_with(plex: &FakePlex, sonarr: &FakeSonarr, settings: Settings) -> RunReport {
    let dir = tempfile::tempdir().unwrap();
    let services = Services {
        plex: Some(Arc::new(plex.client().unwrap())),
        sonarr: Some(Arc::new(sonarr.client_builder().build().unwrap())),
        ..Services::default()
    };
    let mut ctx = RunContext::new(
        services,
        settings,
        DataDir::new(dir.path()),
        date!(2025 - 11 - 20),
    );
    run(&mut ctx, &RunRequest::default(), &Quiet).await.unwrap()
}

fn step(report: &RunReport, kind: StepKind) -> &StepReport {
    report.step(kind).unwrap()
}

fn versions(plex: &FakePlex, show: &str, season: u32, number: u32) -> Vec<String> {
    let key = plex.show_key(show).unwrap();
    plex.show_episodes(&key)
        .into_iter()
        .find(|e| e.season == Some(season) && e.episode == Some(number))
        .map(|e| {
            e.media
                .iter()
                .map(|v| {
                    format!(
                        "{}{}",
                        v.video_resolution.as_deref().unwrap_or("?"),
                        if v.optimized { " optimized" } else { "" }
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn monitored(sonarr: &FakeSonarr, show: TvdbId, season: i32, number: i32) -> bool {
    sonarr
        .episodes(show)
        .iter()
        .find(|e| e.season_number == season && e.episode_number == number)
        .unwrap()
        .monitored
}

#[tokio::test]
async fn the_episode_cleaner_deletes_the_worse_copies_and_unmonitors_them_in_sonarr() {
    let plex = FakePlex::start(plex_seed()).await;
    let sonarr = sonarr().await;
    let report = run_with(&plex, &sonarr, settings(&[StepKind::TvDuplicateCleaner])).await;
    let step = step(&report, StepKind::TvDuplicateCleaner);
    assert_eq!(step.status, StepStatus::Done, "{step:#?}");
    assert_eq!(
        (
            step.counter("duplicate_groups"),
            step.counter("deleted"),
            step.counter("optimized_left_alone"),
            step.counter("missing_from_disk"),
            step.counter("unmonitored_in_sonarr"),
        ),
        (3, 2, 1, 1, 2),
        "{step:#?}"
    );
    // Severance keeps its 4K copy and the optimized version; Breaking Bad
    // its 1080p copy; Harbour Lights both (the 4K's file is missing, and
    // the 1080p is then its only copy on disk).
    assert_eq!(versions(&plex, "Severance", 1, 1), ["4k", "720 optimized"]);
    assert_eq!(versions(&plex, "Breaking Bad", 1, 1), ["1080"]);
    assert_eq!(versions(&plex, "Harbour Lights", 1, 1), ["4k", "1080"]);
    // The cleaned episodes are unmonitored, their neighbours are not.
    assert!(!monitored(&sonarr, SEVERANCE, 1, 1));
    assert!(!monitored(&sonarr, BREAKING_BAD, 1, 1));
    assert!(monitored(&sonarr, SEVERANCE, 1, 2));
    assert!(monitored(&sonarr, HARBOUR, 1, 1));

    // Plex: the sections, the section's episodes in one page (no request
    // per show or episode), one checkFiles read for the three affected
    // episodes, the server's settings, two deletes, one batched read of the
    // two cleaned shows.
    let stats = plex.stats();
    assert_eq!(stats.count(ops::SECTIONS), 1);
    assert_eq!(stats.count(ops::SECTION_EPISODES), 1);
    assert_eq!(stats.count(ops::SHOW_EPISODES), 0);
    assert_eq!(stats.count(ops::ITEM), 2, "checkFiles, then the shows");
    assert_eq!(stats.count(ops::SERVER_INFO), 1);
    assert_eq!(stats.count(ops::DELETE_MEDIA), 2);
    assert_eq!(stats.count(ops::DELETE_ITEM), 0);
    // Sonarr: the list, the episodes of the two series, one bulk change
    // naming exactly the two episodes.
    let stats = sonarr.stats();
    assert_eq!(stats.count(op::SERIES_LIST), 1);
    assert_eq!(stats.count(op::EPISODES), 2);
    assert_eq!(stats.count(op::MONITOR_EPISODES), 1);
    assert_eq!(sonarr.monitor_requests()[0].len(), 2);
}

#[tokio::test]
async fn a_dry_run_of_the_episode_cleaner_changes_nothing_and_shows_the_plan() {
    let plex = FakePlex::start(plex_seed()).await;
    let sonarr = sonarr().await;
    let mut settings = settings(&[StepKind::TvDuplicateCleaner]);
    settings.dry_run = true;
    let report = run_with(&plex, &sonarr, settings).await;
    let step = step(&report, StepKind::TvDuplicateCleaner);
    assert_eq!(step.status, StepStatus::Done, "{step:#?}");
    assert_eq!(step.counter("deleted"), 0);
    let planned = step.planned.join("\n");
    assert!(
        planned.contains("delete Severance S01E01 Good News About Hell version"),
        "{planned}"
    );
    assert!(
        planned.contains("delete Breaking Bad S01E01 Pilot version"),
        "{planned}"
    );
    assert!(
        planned.contains("unmonitor Severance S01E01 in Sonarr"),
        "{planned}"
    );
    assert!(
        planned.contains("unmonitor Breaking Bad S01E01 in Sonarr"),
        "{planned}"
    );
    assert_eq!(step.planned.len(), 4, "{planned}");
    assert_eq!(
        versions(&plex, "Severance", 1, 1),
        ["1080", "4k", "720 optimized"]
    );
    assert_eq!(versions(&plex, "Breaking Bad", 1, 1), ["1080", "720"]);
    assert!(monitored(&sonarr, SEVERANCE, 1, 1));
    assert_eq!(plex.stats().count(ops::DELETE_MEDIA), 0);
    assert_eq!(plex.stats().count(ops::DELETE_ITEM), 0);
    assert_eq!(sonarr.stats().count(op::MONITOR_EPISODES), 0);
}

/// `dedupe.max_deletions_per_run` counts movies and episodes together: the
/// movie cleaner's deletion leaves one of two, and the episode plan (two)
/// is then refused whole.
#[tokio::test]
async fn the_deletion_limit_counts_movies_and_episodes_together() {
    let plex = FakePlex::start(
        plex_seed().movie(
            "1",
            FakeMovie::new("Heat", 1995)
                .tmdb(949)
                .version(FakeVersion::new("1080"))
                .version(FakeVersion::new("720")),
        ),
    )
    .await;
    let sonarr = sonarr().await;
    let mut settings = settings(&[StepKind::DuplicateCleaner, StepKind::TvDuplicateCleaner]);
    settings.dedupe.max_deletions_per_run = 2;
    let report = run_with(&plex, &sonarr, settings).await;
    let movies = step(&report, StepKind::DuplicateCleaner);
    assert_eq!(movies.counter("deleted"), 1, "{movies:#?}");
    let episodes = step(&report, StepKind::TvDuplicateCleaner);
    assert_eq!(episodes.counter("deleted"), 0);
    assert_eq!(episodes.counter("blocked_by_guard"), 1);
    assert!(
        episodes.failures[0].contains("1 already planned or deleted this run"),
        "{:?}",
        episodes.failures
    );
    assert_eq!(plex.stats().count(ops::DELETE_MEDIA), 1);
    assert_eq!(versions(&plex, "Severance", 1, 1).len(), 3);
}

#[tokio::test]
async fn monitor_confirm_unmonitors_what_plex_has_in_bulk_and_leaves_specials() {
    let plex = FakePlex::start(plex_seed()).await;
    let sonarr = sonarr().await;
    // Breaking Bad's special is monitored in Sonarr and Plex has it: it is
    // left as Sonarr has it.
    let client = sonarr.client_builder().build().unwrap();
    let special = sonarr
        .episodes(BREAKING_BAD)
        .into_iter()
        .find(|e| e.season_number == 0)
        .unwrap();
    client
        .monitor_episodes(&EpisodeMonitor::new(vec![special.id], true))
        .await
        .unwrap();
    sonarr.stats().reset();

    let report = run_with(&plex, &sonarr, settings(&[StepKind::SonarrMonitorConfirm])).await;
    let step = step(&report, StepKind::SonarrMonitorConfirm);
    assert_eq!(step.status, StepStatus::Done, "{step:#?}");
    // Severance 9 + 3, Breaking Bad 7, The Office 6, Harbour Lights 2.
    assert_eq!(step.counter("monitored_in_plex"), 27, "{step:#?}");
    assert_eq!(step.counter("unmonitored_episodes"), 27);
    // Breaking Bad and Harbour Lights: ended, every aired episode in Plex.
    assert_eq!(step.counter("unmonitored_series"), 2);
    assert_eq!(step.counter("uncertain_shows"), 2, "{:?}", step.notes);
    assert_eq!(step.counter("not_in_sonarr"), 1, "Battlestar Galactica");
    let notes = step.notes.join("\n");
    assert!(
        notes.contains(
            "Shōgun (2024): Plex and Sonarr (Shogun) agree on the TVDB id but not on the TMDb id"
        ),
        "{notes}"
    );
    assert!(
        notes.contains("Home Movies of Ours (2021): Plex knows no TVDB or TMDb id"),
        "{notes}"
    );

    // Episodes Plex has are unmonitored; those it lacks are not.
    assert!(!monitored(&sonarr, SEVERANCE, 2, 3));
    assert!(monitored(&sonarr, SEVERANCE, 2, 4));
    assert!(!monitored(&sonarr, OFFICE, 1, 6), "matched by TMDb id");
    assert!(monitored(&sonarr, OFFICE, 2, 1));
    // The special stays monitored; the uncertain match is untouched.
    assert!(monitored(&sonarr, BREAKING_BAD, 0, 1));
    assert!(sonarr.episodes(SHOGUN).iter().all(|e| e.monitored));
    // Ended and complete: the series goes too; still airing: it stays.
    assert_eq!(sonarr.is_monitored(BREAKING_BAD), Some(false));
    assert_eq!(sonarr.is_monitored(HARBOUR), Some(false));
    assert_eq!(sonarr.is_monitored(SEVERANCE), Some(true));
    assert_eq!(
        sonarr.is_monitored(OFFICE),
        Some(true),
        "Plex lacks season 2"
    );

    // Plex: sections, shows, episodes, one page each. Sonarr: the list,
    // the episodes of each certainly matched series (four), one bulk
    // episode change with all 27 ids, one editor request.
    let stats = plex.stats();
    assert_eq!(
        (
            stats.count(ops::SECTIONS),
            stats.count(ops::SHOWS),
            stats.count(ops::SECTION_EPISODES),
            stats.count(ops::SHOW_EPISODES),
        ),
        (1, 1, 1, 0)
    );
    let stats = sonarr.stats();
    assert_eq!(stats.count(op::SERIES_LIST), 1);
    assert_eq!(stats.count(op::EPISODES), 4);
    assert_eq!(stats.count(op::MONITOR_EPISODES), 1);
    assert_eq!(sonarr.monitor_requests().last().unwrap().len(), 27);
    assert_eq!(stats.count(op::EDIT_SERIES), 1);
    assert_eq!(sonarr.editor_requests().len(), 1);
    assert_eq!(sonarr.editor_requests()[0].len(), 2);
}

#[tokio::test]
async fn a_dry_run_of_monitor_confirm_changes_nothing() {
    let plex = FakePlex::start(plex_seed()).await;
    let sonarr = sonarr().await;
    let mut settings = settings(&[StepKind::SonarrMonitorConfirm]);
    settings.dry_run = true;
    let report = run_with(&plex, &sonarr, settings).await;
    let step = step(&report, StepKind::SonarrMonitorConfirm);
    assert_eq!(step.counter("monitored_in_plex"), 27, "{step:#?}");
    let planned = step.planned.join("\n");
    assert!(
        planned.contains("unmonitor 7 episode(s) of Breaking Bad in Sonarr: S01E01"),
        "{planned}"
    );
    assert!(
        planned.contains("unmonitor the series Breaking Bad in Sonarr"),
        "{planned}"
    );
    assert!(monitored(&sonarr, SEVERANCE, 1, 1));
    assert_eq!(sonarr.is_monitored(BREAKING_BAD), Some(true));
    assert_eq!(sonarr.stats().count(op::MONITOR_EPISODES), 0);
    assert_eq!(sonarr.stats().count(op::EDIT_SERIES), 0);
}

#[tokio::test]
async fn search_monitored_sends_one_missing_episode_search_for_the_library() {
    let plex = FakePlex::start(plex_seed()).await;
    let sonarr = sonarr().await;
    let report = run_with(&plex, &sonarr, settings(&[StepKind::SonarrSearchMonitored])).await;
    let step = step(&report, StepKind::SonarrSearchMonitored);
    assert_eq!(step.status, StepStatus::Done, "{step:#?}");
    let commands = sonarr.commands();
    assert_eq!(commands.len(), 1, "{commands:?}");
    assert_eq!(commands[0].name, "MissingEpisodeSearch");
    assert_eq!(commands[0].series_id, None);
    assert_eq!(sonarr.stats().total(), 1);
    assert_eq!(plex.stats().total(), 0);

    let mut dry = settings(&[StepKind::SonarrSearchMonitored]);
    dry.dry_run = true;
    let report = run_with(&plex, &sonarr, dry).await;
    assert_eq!(
        report
            .step(StepKind::SonarrSearchMonitored)
            .unwrap()
            .planned
            .len(),
        1
    );
    assert_eq!(sonarr.commands().len(), 1, "a dry run sends nothing");
}

/// Without TV, the TV housekeeping steps say how to turn it on and touch
/// nothing.
#[tokio::test]
async fn without_tv_the_sonarr_steps_are_skipped() {
    let plex = FakePlex::start(plex_seed()).await;
    let sonarr = sonarr().await;
    let mut settings = settings(&[
        StepKind::TvDuplicateCleaner,
        StepKind::SonarrMonitorConfirm,
        StepKind::SonarrSearchMonitored,
    ]);
    settings.tv = None;
    let report = run_with(&plex, &sonarr, settings).await;
    assert!(report.step(StepKind::TvDuplicateCleaner).is_none());
    assert_eq!(sonarr.stats().total(), 0);
    assert_eq!(plex.stats().count(ops::SECTION_EPISODES), 0);
}
