//! Show runs against the fake servers (Plex with a TV section, TMDb's TV
//! catalogue, Sonarr, the LLM's series lists): an episode watch fills the
//! three TV collections, hands missing shows to Sonarr, keeps them pending
//! until Plex has them; the next day's episode decays and refreshes.

use std::sync::Arc;

use curator_core::{
    DataDir, EntryStatus, LoadedPoints, MediaKind, Outcome, PointsBook, Quiet, RunContext,
    RunReport, RunRequest, Seed, Services, Settings, SonarrSettings, StepKind, TvSettings, run,
};
use curator_http::{TmdbId, TvdbId};
use llm_recs::fake::{FakeLlm, FakeLlmSeed};
use llm_recs::{Suggestion, SuggestionKind};
use plex_client::fake::{FakePlex, FakeShow, PlexSeed};
use plex_client::{RatingKey, ops};
use sonarr_client::fake::{FakeSonarr, SeedSeries, SonarrSeed};
use time::Date;
use time::macros::date;
use tmdb_client::fake::{FakeTmdb, sample_catalog, sample_tv_catalog};

pub(crate) const RW: &str = "Based on your recently watched show";
const COT: &str = "Change of Taste (TV)";
const IMM: &str = "Inspired by your Immaculate Taste (TV)";

pub(crate) struct Servers {
    pub(crate) plex: FakePlex,
    pub(crate) tmdb: FakeTmdb,
    pub(crate) sonarr: FakeSonarr,
    llm: FakeLlm,
}

impl Servers {
    pub(crate) fn services(&self) -> Services {
        let tmdb = Arc::new(self.tmdb.client());
        Services {
            plex: Some(Arc::new(self.plex.client().unwrap())),
            radarr: None,
            tmdb: Some(tmdb.clone()),
            llm: Some(Arc::new(
                self.llm.client_builder("test-model").build().unwrap(),
            )),
            sonarr: Some(Arc::new(self.sonarr.client_builder().build().unwrap())),
            tmdb_tv: Some(tmdb),
            seerr: None,
        }
    }

    fn context(&self, settings: Settings, dir: &std::path::Path, today: Date) -> RunContext {
        RunContext::new(self.services(), settings, DataDir::new(dir), today)
    }
}

pub(crate) fn settings(auto_download: bool) -> Settings {
    let mut settings = Settings {
        tv: Some(TvSettings {
            sonarr: Some(SonarrSettings {
                auto_download,
                ..SonarrSettings::new("/tv", sonarr_client::QualityProfileId(1))
            }),
            ..TvSettings::default()
        }),
        ..Settings::default()
    };
    settings.refresh.seed = Some(7);
    settings
}

fn s(title: &str, year: i32) -> Suggestion {
    Suggestion::new(title, Some(year))
}

fn similar() -> Vec<Suggestion> {
    vec![
        // In Plex under a legacy TVDB agent: no TMDb id until TMDb's find.
        s("Breaking Bad", 2008),
        s("Shōgun", 2024),
        // In Sonarr's catalogue only: added.
        s("Dark", 2017),
        // In Sonarr, unmonitored: monitored again and searched once.
        s("Better Call Saul", 2015),
        // In Sonarr, monitored: left alone.
        s("The Wire", 2002),
        // TMDb has no TVDB id for the 2003 miniseries: never sent.
        s("Battlestar Galactica", 2003),
        // Not in Sonarr's metadata: Sonarr refuses it.
        s("Mr. Robot", 2015),
        // Invented: never resolves, never sent.
        s("The Glass Orchard", 2019),
    ]
}

pub(crate) async fn servers() -> Servers {
    let plex = FakePlex::start(
        PlexSeed::new()
            .movie_section("1", "Movies")
            .show_section("2", "TV Shows")
            .sample_shows("2"),
    )
    .await;
    let tmdb = FakeTmdb::start_with(sample_catalog(), sample_tv_catalog()).await;
    let sonarr = FakeSonarr::start(
        SonarrSeed::new()
            .root_folder("/tv")
            .quality_profile(1, "Any")
            .series(
                SeedSeries::new(TvdbId(273181), "Better Call Saul", 2015)
                    .tmdb(60059)
                    .seasons(&[10, 10, 10])
                    .monitored(false),
            )
            .series(
                SeedSeries::new(TvdbId(79126), "The Wire", 2002)
                    .tmdb(1438)
                    .seasons(&[13, 12])
                    .monitored(true),
            )
            .catalogue(
                SeedSeries::new(TvdbId(334824), "Dark", 2017)
                    .tmdb(70523)
                    .seasons(&[10, 8, 8]),
            )
            .catalogue(
                SeedSeries::new(TvdbId(383203), "Ted Lasso", 2020)
                    .tmdb(97546)
                    .seasons(&[10, 12, 12]),
            )
            .catalogue(
                SeedSeries::new(TvdbId(318229), "Fleabag", 2016)
                    .tmdb(67070)
                    .seasons(&[6, 6]),
            ),
    )
    .await;
    let llm = FakeLlm::start(FakeLlmSeed::new()).await;
    llm.script_shows("Severance", SuggestionKind::Similar, similar());
    llm.script_shows(
        "Severance",
        SuggestionKind::Contrast,
        vec![
            s("The Office", 2005),
            s("Ted Lasso", 2020),
            s("Fleabag", 2016),
        ],
    );
    Servers {
        plex,
        tmdb,
        sonarr,
        llm,
    }
}

pub(crate) fn severance() -> RunRequest {
    RunRequest {
        seed: Some(Seed {
            year: Some(2022),
            ..Seed::show("Severance")
        }),
        only: None,
    }
}

fn members(plex: &FakePlex, title: &str) -> Vec<String> {
    let mut titles = plex.collection_titles(title);
    titles.sort();
    titles
}

pub(crate) fn outcome(report: &RunReport, step: StepKind, title: &str) -> Outcome {
    report
        .step(step)
        .unwrap()
        .movies
        .iter()
        .find(|m| m.title == title)
        .unwrap_or_else(|| panic!("{title} not in {step:?}"))
        .outcome
        .clone()
}

pub(crate) fn tv_points(dir: &std::path::Path) -> PointsBook {
    match DataDir::new(dir).load_points_of(MediaKind::Show).unwrap() {
        LoadedPoints::Current(book) => book,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_episode_watch_fills_the_tv_collections_and_hands_missing_shows_to_sonarr() {
    let servers = servers().await;
    let dir = tempfile::tempdir().unwrap();
    let mut ctx = servers.context(settings(true), dir.path(), date!(2026 - 12 - 01));
    let report = run(&mut ctx, &severance(), &Quiet).await.unwrap();

    // The show run does the TV steps only, all of them.
    let steps: Vec<StepKind> = report.steps.iter().map(|s| s.step).collect();
    assert_eq!(steps, StepKind::TV);
    for step in &report.steps {
        assert!(!step.failed(), "{step:#?}");
    }

    // Three TV collections, each with shows the library has.
    let plex = &servers.plex;
    assert_eq!(members(plex, RW), ["Breaking Bad", "Shōgun"]);
    assert_eq!(members(plex, COT), ["The Office (US)"]);
    assert_eq!(members(plex, IMM), ["Breaking Bad", "Shōgun"]);
    // In the TV section, as show collections.
    let tv = plex_client::SectionKey("2".into());
    assert_eq!(plex.collections(&tv).len(), 3);
    assert!(
        plex.collections(&plex_client::SectionKey("1".into()))
            .is_empty()
    );
    // No movie state was written.
    assert!(!DataDir::new(dir.path()).points_path().exists());

    // Sonarr: the missing shows it can have, with the configured root
    // folder, monitor type and the list's tags; none invented, none twice.
    let sonarr = &servers.sonarr;
    let rw = StepKind::TvRecentlyWatched;
    assert_eq!(outcome(&report, rw, "Dark"), Outcome::SentToSonarr);
    let dark = sonarr.series(TvdbId(334824)).expect("Dark was added");
    assert_eq!(dark.root_folder_path.as_deref(), Some("/tv"));
    assert!(dark.monitored);
    assert_eq!(sonarr.monitored_seasons(TvdbId(334824)), [1]);
    assert_eq!(
        sonarr.series_tag_labels(TvdbId(334824)).unwrap(),
        ["due-to-previously-watched", "tv"]
    );
    assert_eq!(
        outcome(&report, StepKind::TvImmaculateTaste, "Dark"),
        Outcome::AlreadyInSonarr
    );
    assert_eq!(
        sonarr
            .series_list()
            .iter()
            .filter(|s| s.tvdb_id == TvdbId(334824))
            .count(),
        1
    );
    assert_eq!(
        outcome(&report, rw, "Better Call Saul"),
        Outcome::RemonitoredInSonarr
    );
    assert_eq!(sonarr.is_monitored(TvdbId(273181)), Some(true));
    assert_eq!(sonarr.monitored_seasons(TvdbId(273181)), [1]);
    let searches: Vec<_> = sonarr
        .commands()
        .into_iter()
        .filter(|c| c.name == "SeriesSearch")
        .collect();
    assert_eq!(searches.len(), 1, "{searches:?}");
    assert_eq!(outcome(&report, rw, "The Wire"), Outcome::AlreadyInSonarr);
    assert_eq!(
        outcome(&report, rw, "Battlestar Galactica"),
        Outcome::NoTvdbId
    );
    assert!(
        sonarr
            .series_list()
            .iter()
            .all(|s| s.title != "Battlestar Galactica")
    );
    match outcome(&report, rw, "Mr. Robot") {
        Outcome::Failed(why) => assert!(why.contains("was not found"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        outcome(&report, rw, "The Glass Orchard"),
        Outcome::Unresolved(_)
    ));
    let cot = report.step(rw).unwrap();
    assert_eq!(cot.counter("sent_to_sonarr"), 3, "{cot:#?}");
    assert_eq!(cot.counter("no_tvdb_id"), 1);
    // Dark, Ted Lasso, Fleabag: the only shows Sonarr holds that it did not
    // hold before.
    let mut titles: Vec<String> = sonarr.series_list().into_iter().map(|s| s.title).collect();
    titles.sort();
    assert_eq!(
        titles,
        [
            "Better Call Saul",
            "Dark",
            "Fleabag",
            "Ted Lasso",
            "The Wire"
        ]
    );
    assert_eq!(
        sonarr.series_tag_labels(TvdbId(383203)).unwrap(),
        ["change-of-taste", "tv"]
    );

    // Missing shows wait as pending in the TV points book.
    let book = tv_points(dir.path());
    assert_eq!(book.movies[&TmdbId(70523)].status, EntryStatus::Pending);
    assert_eq!(book.movies[&TmdbId(1396)].status, EntryStatus::Active);
    // Reported, not sent; it waits like any missing show.
    assert_eq!(book.movies[&TmdbId(71365)].status, EntryStatus::Pending);

    // Cost: one LLM request, one TV library listing, one Sonarr series list,
    // at most one TMDb search per distinct suggested title.
    assert_eq!(servers.llm.request_count(), 1);
    assert_eq!(
        plex.stats().count(ops::SHOWS),
        1,
        "{:#?}",
        plex.stats().snapshot()
    );
    assert_eq!(plex.stats().count(ops::MOVIES), 0);
    assert_eq!(sonarr.stats().count(sonarr_client::op::SERIES_LIST), 1);
    let ts = servers.tmdb.stats();
    // The seed, then each distinct title once (a second search without
    // the year only for the invented one).
    assert_eq!(
        ts.count(tmdb_client::ops::SEARCH_SHOWS),
        1 + 11 + 1,
        "{:#?}",
        ts.snapshot()
    );
    assert_eq!(ts.count(tmdb_client::ops::SEARCH_MOVIES), 0);
    // The legacy TVDB-agent shows are found once each by TVDB id.
    assert_eq!(ts.count(tmdb_client::ops::FIND_BY_TVDB), 2);
}

#[tokio::test]
async fn a_second_episode_the_next_day_decays_refreshes_and_turns_arrived_shows_active() {
    let servers = servers().await;
    let dir = tempfile::tempdir().unwrap();
    let mut ctx = servers.context(settings(true), dir.path(), date!(2026 - 12 - 01));
    run(&mut ctx, &severance(), &Quiet).await.unwrap();
    let before = tv_points(dir.path());

    // Sonarr fetched Dark; Plex has it now. The next episode's suggestions
    // leave Shōgun out (Battlestar Galactica, in Plex, in its place).
    let dark_key: RatingKey = servers
        .plex
        .add_show("2", FakeShow::new("Dark", 2017).tmdb(70523).tvdb(334824));
    let next: Vec<Suggestion> = similar()
        .into_iter()
        .map(|x| {
            if x.title == "Shōgun" {
                s("Battlestar Galactica", 2004)
            } else {
                x
            }
        })
        .collect();
    servers
        .llm
        .script_shows("Severance", SuggestionKind::Similar, next);
    let mut ctx = servers.context(settings(true), dir.path(), date!(2026 - 12 - 02));
    let report = run(&mut ctx, &severance(), &Quiet).await.unwrap();
    for step in &report.steps {
        assert!(!step.failed(), "{step:#?}");
    }

    let after = tv_points(dir.path());
    let dark = &after.movies[&TmdbId(70523)];
    assert_eq!(dark.status, EntryStatus::Active);
    assert_eq!(dark.rating_key.as_deref(), Some(dark_key.as_str()));
    let imm = report.step(StepKind::TvImmaculateTaste).unwrap();
    assert_eq!(imm.counter("points_arrived"), 1, "{imm:#?}");
    assert!(imm.counter("points_decayed") >= 1, "{imm:#?}");
    let shogun = TmdbId(126_308);
    assert!(after.movies[&shogun].points < before.movies[&shogun].points);
    // Suggested again: back at the maximum, suggested today.
    let bad = &after.movies[&TmdbId(1396)];
    assert_eq!(bad.points, before.movies[&TmdbId(1396)].points);
    assert_eq!(bad.last_suggested, date!(2026 - 12 - 02));

    // The refreshers made Plex match: Dark joins the collections.
    assert_eq!(
        members(&servers.plex, RW),
        ["Battlestar Galactica", "Breaking Bad", "Dark"]
    );
    assert!(members(&servers.plex, IMM).contains(&"Dark".to_owned()));
    // Still one Sonarr add for Dark over both days.
    assert_eq!(
        servers
            .sonarr
            .series_list()
            .iter()
            .filter(|s| s.tvdb_id == TvdbId(334824))
            .count(),
        1
    );
}

#[tokio::test]
async fn without_auto_download_missing_shows_stay_pending_and_nothing_reaches_sonarr() {
    let servers = servers().await;
    let dir = tempfile::tempdir().unwrap();
    let mut ctx = servers.context(settings(false), dir.path(), date!(2026 - 12 - 01));
    let report = run(&mut ctx, &severance(), &Quiet).await.unwrap();
    assert_eq!(
        outcome(&report, StepKind::TvRecentlyWatched, "Dark"),
        Outcome::PendingNotSent
    );
    let stats = servers.sonarr.stats();
    assert_eq!(stats.total(), 0, "{:#?}", stats.snapshot());
    assert_eq!(
        tv_points(dir.path()).movies[&TmdbId(70523)].status,
        EntryStatus::Pending
    );
    assert_eq!(members(&servers.plex, RW), ["Breaking Bad", "Shōgun"]);
}

#[tokio::test]
async fn a_movie_run_with_tv_on_touches_no_tv_service() {
    let servers = servers().await;
    let dir = tempfile::tempdir().unwrap();
    let mut ctx = servers.context(settings(true), dir.path(), date!(2026 - 12 - 01));
    let request = RunRequest {
        seed: Some(Seed::new("Some Movie")),
        only: Some(vec![StepKind::RecentlyWatchedRefresher]),
    };
    let report = run(&mut ctx, &request, &Quiet).await.unwrap();
    let steps: Vec<StepKind> = report.steps.iter().map(|s| s.step).collect();
    assert_eq!(steps, [StepKind::RecentlyWatchedRefresher]);
    assert_eq!(servers.sonarr.stats().total(), 0);
    assert_eq!(servers.plex.stats().count(ops::SHOWS), 0);
}

/// The previous tool's `recommendation_points_tv.json` (keys `tvdb:{id}` or
/// `title:{normalised}`, entries `{title, points, rating_key?, tvdb_id?}`,
/// as its `pipeline_tv_immaculate._tv_points_key` and `run_tv_pipeline`
/// write them) is converted on the first run that does a TV step: backed
/// up, replaced atomically, each entry resolved through the TV library or
/// TMDb, the rest listed.
#[tokio::test]
async fn the_previous_tools_tv_points_file_converts() {
    let servers = servers().await;
    let dir = tempfile::tempdir().unwrap();
    let old = serde_json::json!({
        // In Plex under the legacy TVDB agent; its old rating key is stale.
        "tvdb:81189": {"title": "Breaking Bad", "points": 40, "rating_key": "999", "tvdb_id": 81189},
        // Not in Plex: TMDb finds it by TVDB id; it waits as pending.
        "tvdb:334824": {"title": "Dark", "points": 12, "tvdb_id": 334824},
        // Known by title only: the TV library has one show by that name.
        "title:severance": {"title": "Severance", "points": 7},
        // Neither Plex nor TMDb know these.
        "title:the glass orchard": {"title": "The Glass Orchard", "points": 3},
        "tvdb:999999": {"title": "Nothing Real", "points": 5, "tvdb_id": 999999}
    });
    let path = dir.path().join(curator_core::TV_POINTS_FILE);
    let text = serde_json::to_string_pretty(&old).unwrap();
    std::fs::write(&path, &text).unwrap();

    let mut ctx = servers.context(settings(true), dir.path(), date!(2026 - 12 - 01));
    let request = RunRequest {
        seed: None,
        only: Some(vec![StepKind::TvImmaculateTasteRefresher]),
    };
    let report = run(&mut ctx, &request, &Quiet).await.unwrap();

    let migration = report.migration.as_ref().expect("converted");
    assert!(migration.points.is_none());
    let tv = migration
        .tv_points
        .as_ref()
        .expect("the TV points converted");
    let titles = |list: &[curator_core::ImportedMovie]| -> Vec<String> {
        let mut t: Vec<String> = list.iter().map(|m| m.title.clone()).collect();
        t.sort();
        t
    };
    assert_eq!(
        titles(&tv.import.by_rating_key),
        ["Breaking Bad", "Severance"]
    );
    assert_eq!(titles(&tv.import.by_tmdb_id), ["Dark"]);
    assert_eq!(tv.import.unresolved.len(), 2, "{:#?}", tv.import.unresolved);
    // The previous tool's TV rules are its newer ones: points are kept.
    assert!(!tv.import.raised_to_full);

    // The original is kept beside the new file, byte for byte.
    let backup = tv.backup.as_ref().expect("backed up");
    assert_eq!(std::fs::read_to_string(backup).unwrap(), text);
    let book = tv_points(dir.path());
    let bad = &book.movies[&TmdbId(1396)];
    assert_eq!((bad.points, bad.status), (40, EntryStatus::Active));
    assert_eq!(book.movies[&TmdbId(95396)].points, 7);
    assert_eq!(book.movies[&TmdbId(70523)].status, EntryStatus::Pending);
    assert_eq!(book.movies.len(), 3);

    // The refresher then fills the TV collection from the converted book.
    let step = report.step(StepKind::TvImmaculateTasteRefresher).unwrap();
    assert!(!step.failed(), "{step:#?}");
    assert_eq!(members(&servers.plex, IMM), ["Breaking Bad", "Severance"]);

    // Converted once: the next run finds curator's own file.
    let mut ctx = servers.context(settings(true), dir.path(), date!(2026 - 12 - 02));
    let again = run(&mut ctx, &request, &Quiet).await.unwrap();
    assert!(again.migration.is_none());
}

/// `curator check` learns of an old TV points file from
/// [`curator_core::find_legacy_files`], as it does of the movie files; a
/// current movie book beside it does not hide it. Before, only the movie
/// files were found, so `check` said "no files of the previous tool".
#[test]
fn check_finds_the_previous_tools_tv_points_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = curator_core::DataDir::new(dir.path());
    assert!(curator_core::find_legacy_files(&data).unwrap().is_empty());
    let old = serde_json::json!({
        "tvdb:81189": {"title": "Breaking Bad", "points": 40, "tvdb_id": 81189},
        "title:severance": {"title": "Severance", "points": 7}
    });
    std::fs::write(
        dir.path().join(curator_core::TV_POINTS_FILE),
        serde_json::to_string(&old).unwrap(),
    )
    .unwrap();
    let files = curator_core::find_legacy_files(&data).unwrap();
    assert!(!files.is_empty());
    assert!(files.points.is_none() && files.collections.is_empty());
    let (path, legacy) = files.tv_points.as_ref().expect("the TV points file");
    assert!(path.ends_with(curator_core::TV_POINTS_FILE));
    assert_eq!(legacy.entries.len(), 2);
    let lines = files.describe(&curator_core::PointsSettings::default());
    assert!(
        lines[0].contains(
            "recommendation_points_tv.json is the previous tool's TV points file (2 entries"
        ) && lines[0].contains("the next run with TV steps"),
        "{lines:?}"
    );
}

/// `curator refresh` and the service's arrival job (Sonarr's On Import,
/// Plex's `library.new` of a show) promote every pending show Plex now has
/// before the TV refresher writes its collection, as for movies: no LLM
/// request, no other points change.
#[tokio::test]
async fn the_tv_refresher_promotes_pending_shows_plex_now_has() {
    let servers = servers().await;
    let dir = tempfile::tempdir().unwrap();
    let mut ctx = servers.context(settings(true), dir.path(), date!(2026 - 12 - 01));
    run(&mut ctx, &severance(), &Quiet).await.unwrap();
    let before = tv_points(dir.path());
    assert_eq!(before.movies[&TmdbId(70523)].status, EntryStatus::Pending);
    let asked = servers.llm.requests().len();

    // Sonarr imported Dark; Plex scanned it.
    let dark_key: RatingKey = servers
        .plex
        .add_show("2", FakeShow::new("Dark", 2017).tmdb(70523).tvdb(334824));
    let mut settings = settings(true);
    settings.steps = curator_core::StepToggles::only(&[StepKind::TvImmaculateTasteRefresher]);
    let mut ctx = servers.context(settings, dir.path(), date!(2026 - 12 - 02));
    let request = RunRequest {
        seed: None,
        only: Some(vec![StepKind::TvImmaculateTasteRefresher]),
    };
    let report = run(&mut ctx, &request, &Quiet).await.unwrap();
    let step = report.step(StepKind::TvImmaculateTasteRefresher).unwrap();
    assert!(!step.failed(), "{step:#?}");
    assert_eq!(step.counter("points_arrived"), 1, "{step:#?}");

    let after = tv_points(dir.path());
    let dark = &after.movies[&TmdbId(70523)];
    assert_eq!(
        (dark.status, dark.rating_key.as_deref()),
        (EntryStatus::Active, Some(dark_key.as_str()))
    );
    // No run was counted: the others keep their points.
    for (id, entry) in &before.movies {
        if *id != TmdbId(70523) {
            assert_eq!(after.movies[id].points, entry.points, "{}", entry.title);
        }
    }
    assert!(members(&servers.plex, IMM).contains(&"Dark".to_owned()));
    assert_eq!(servers.llm.requests().len(), asked, "no LLM request");
}
