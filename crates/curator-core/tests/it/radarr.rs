//! The Radarr side of the pipeline against the fake servers, for every
//! Radarr version the fake plays: legacy-agent Plex libraries (IMDb ids
//! only), the hand-off's re-monitor, search, tag and "already added" paths.
//! Radarr's behaviour here is checked in its source (see
//! `radarr_client::fake`).

use std::sync::Arc;

use curator_core::{
    ApprovalId, DataDir, EntryStatus, LoadedPoints, MediaKind, Outcome, PointsBook, PointsEntry,
    Quiet, RadarrSettings, RunContext, RunReport, RunRequest, Seed, Selection, Services, Settings,
    StepKind, StepToggles, approval, run,
};
use curator_http::TmdbId;
use llm_recs::fake::{FakeLlm, FakeLlmSeed};
use llm_recs::{Suggestion, SuggestionKind};
use plex_client::fake::{Agent, FakeMovie, FakePlex, FakeVersion, PlexSeed};
use radarr_client::fake::{FakeRadarr, Fault, RadarrSeed, RadarrVersion, SeedMovie};
use radarr_client::{QualityProfileId, op};
use seerr_client::SeerrApi;
use seerr_client::fake::FakeSeerr;
use time::macros::date;
use tmdb_client::fake::{FakeMovie as TmdbMovie, FakeTmdb};

const HEAT: TmdbId = TmdbId(949);
const HEAT_IMDB: &str = "tt0113277";
pub(crate) const TENET: TmdbId = TmdbId(577922);
pub(crate) const ARRIVAL: TmdbId = TmdbId(329865);

/// Heat, in a library still on Plex's legacy IMDb agent: no TMDb id.
fn legacy_heat() -> FakeMovie {
    FakeMovie::new("Heat", 1995)
        .imdb(HEAT_IMDB)
        .agent(Agent::LegacyImdb)
}

fn heat_in_radarr(monitored: bool) -> SeedMovie {
    SeedMovie::new(HEAT, "Heat", 1995)
        .imdb(HEAT_IMDB)
        .monitored(monitored)
        .has_file(true)
}

/// A Plex with one movie section, "1".
pub(crate) fn plex() -> PlexSeed {
    PlexSeed::new().movie_section("1", "Movies")
}

pub(crate) struct World {
    plex: FakePlex,
    pub(crate) radarr: FakeRadarr,
    tmdb: FakeTmdb,
    llm: FakeLlm,
    movie_list_timeout: Option<std::time::Duration>,
    /// Missing titles go here as requests when set (`requests.via: seerr`).
    pub(crate) seerr: Option<FakeSeerr>,
}

impl World {
    pub(crate) async fn start(plex: PlexSeed, radarr: RadarrSeed, tmdb: Vec<TmdbMovie>) -> Self {
        Self {
            plex: FakePlex::start(plex).await,
            radarr: FakeRadarr::start(radarr.root_folder("/movies").quality_profile(1, "Any"))
                .await,
            tmdb: FakeTmdb::start(tmdb).await,
            llm: FakeLlm::start(FakeLlmSeed::new()).await,
            movie_list_timeout: None,
            seerr: None,
        }
    }

    pub(crate) async fn run(
        &self,
        steps: &[StepKind],
        tweak: impl FnOnce(&mut Settings),
    ) -> RunReport {
        let dir = tempfile::tempdir().unwrap();
        self.run_in(dir.path(), steps, tweak).await
    }

    pub(crate) async fn run_in(
        &self,
        dir: &std::path::Path,
        steps: &[StepKind],
        tweak: impl FnOnce(&mut Settings),
    ) -> RunReport {
        let mut ctx = self.context(dir, steps, tweak);
        let request = RunRequest {
            seed: Some(Seed {
                title: "Inception".into(),
                year: Some(2010),
                ..Seed::default()
            }),
            only: None,
        };
        run(&mut ctx, &request, &Quiet).await.unwrap()
    }

    pub(crate) fn context(
        &self,
        dir: &std::path::Path,
        steps: &[StepKind],
        tweak: impl FnOnce(&mut Settings),
    ) -> RunContext {
        let services = Services {
            plex: Some(Arc::new(self.plex.client().unwrap())),
            radarr: Some(Arc::new({
                let mut builder = self.radarr.client_builder();
                if let Some(timeout) = self.movie_list_timeout {
                    builder = builder.movie_list_timeout(timeout);
                }
                builder.build().unwrap()
            })),
            tmdb: Some(Arc::new(self.tmdb.client())),
            llm: Some(Arc::new(
                self.llm.client_builder("test-model").build().unwrap(),
            )),
            sonarr: None,
            tmdb_tv: None,
            seerr: self.seerr.as_ref().map(|seerr| {
                Arc::new(seerr.client_builder().build().unwrap()) as Arc<dyn SeerrApi>
            }),
        };
        let mut settings = Settings {
            radarr: Some(RadarrSettings {
                root_folder: "/movies".into(),
                quality_profile_id: QualityProfileId(1),
                minimum_availability: Default::default(),
                search_on_add: true,
            }),
            steps: StepToggles::only(steps),
            ..Settings::default()
        };
        settings.refresh.seed = Some(7);
        settings.recommend.contrast_count = 0;
        tweak(&mut settings);
        RunContext::new(services, settings, DataDir::new(dir), date!(2026 - 11 - 24))
    }

    pub(crate) fn suggest(&self, titles: &[(&str, Option<i32>)]) {
        let list = titles
            .iter()
            .map(|(title, year)| Suggestion::new(*title, *year))
            .collect();
        self.llm.script("Inception", SuggestionKind::Similar, list);
    }
}

pub(crate) fn tmdb_catalogue() -> Vec<TmdbMovie> {
    vec![
        TmdbMovie::new(27205, "Inception", 2010),
        // TMDb's details here carry no IMDb id, so resolving cannot find
        // Heat in the legacy library: only Radarr's record links the two ids.
        TmdbMovie::new(949, "Heat", 1995),
        TmdbMovie::new(577922, "Tenet", 2020),
        TmdbMovie::new(329865, "Arrival", 2016),
    ]
}

pub(crate) fn outcome(report: &RunReport, step: StepKind, tmdb: TmdbId) -> Outcome {
    let step = report.step(step).unwrap();
    step.movies
        .iter()
        .find(|m| m.tmdb_id == Some(tmdb.0))
        .unwrap_or_else(|| panic!("no outcome for {tmdb}: {step:#?}"))
        .outcome
        .clone()
}

#[tokio::test]
async fn monitor_confirm_unmonitors_a_movie_plex_knows_only_by_imdb_id() {
    for version in RadarrVersion::ALL {
        let world = World::start(
            plex().movie("1", legacy_heat()),
            RadarrSeed::new()
                .version(version)
                .movie(heat_in_radarr(true))
                .movie(SeedMovie::new(ARRIVAL, "Arrival", 2016).imdb("tt2543164")),
            Vec::new(),
        )
        .await;
        let report = world.run(&[StepKind::MonitorConfirm], |_| {}).await;
        let step = report.step(StepKind::MonitorConfirm).unwrap();
        assert!(!step.failed(), "{step:#?}");
        assert_eq!(world.radarr.is_monitored(HEAT), Some(false), "{version:?}");
        assert_eq!(
            world.radarr.is_monitored(ARRIVAL),
            Some(true),
            "{version:?}"
        );
        assert_eq!(step.counter("unmonitored"), 1);
        assert_eq!(world.radarr.stats().count(op::MOVIES), 1);
        assert_eq!(
            world.radarr.cover_reads(),
            usize::from(!version.honours_exclude_local_covers())
        );
    }
}

#[tokio::test]
async fn the_cleaner_unmonitors_a_legacy_movie_it_cleaned() {
    let heat = legacy_heat()
        .version(FakeVersion::new("1080").part("/movies/Heat (1995)/Heat.1080p.mkv", 9_000_000_000))
        .version(FakeVersion::new("720").part("/movies/Heat (1995)/Heat.720p.mkv", 4_000_000_000));
    let world = World::start(
        plex().allow_media_deletion(true).movie("1", heat),
        RadarrSeed::new().movie(heat_in_radarr(true)),
        Vec::new(),
    )
    .await;
    let report = world.run(&[StepKind::DuplicateCleaner], |_| {}).await;
    let step = report.step(StepKind::DuplicateCleaner).unwrap();
    assert!(!step.failed(), "{step:#?}");
    assert_eq!(step.counter("deleted"), 1, "{step:#?}");
    assert_eq!(step.counter("unmonitored_in_radarr"), 1, "{step:#?}");
    assert_eq!(world.radarr.is_monitored(HEAT), Some(false));
}

#[tokio::test]
async fn the_hand_off_leaves_alone_what_a_legacy_library_has() {
    for version in RadarrVersion::ALL {
        let world = World::start(
            plex().movie("1", legacy_heat()),
            RadarrSeed::new()
                .version(version)
                .movie(heat_in_radarr(false)),
            tmdb_catalogue(),
        )
        .await;
        world.suggest(&[("Heat", Some(1995))]);
        let report = world.run(&[StepKind::RecentlyWatched], |_| {}).await;
        let rating_key = world.plex.movie_key("Heat").unwrap().0;
        assert_eq!(
            outcome(&report, StepKind::RecentlyWatched, HEAT),
            Outcome::InPlex(rating_key),
            "{version:?}"
        );
        assert_eq!(world.radarr.is_monitored(HEAT), Some(false), "{version:?}");
        assert_eq!(world.radarr.stats().count(op::EDIT_MOVIES), 0);
        assert_eq!(world.radarr.search_command_count(), 0);
    }
}

#[tokio::test]
async fn a_pending_movie_arrives_in_a_legacy_library() {
    let world = World::start(
        plex().movie("1", legacy_heat()),
        RadarrSeed::new().movie(heat_in_radarr(true)),
        tmdb_catalogue(),
    )
    .await;
    world.suggest(&[("Arrival", Some(2016))]);
    let dir = tempfile::tempdir().unwrap();
    let mut book = PointsBook::default();
    book.movies.insert(
        HEAT,
        PointsEntry {
            title: "Heat".into(),
            year: Some(1995),
            rating_key: None,
            points: 0,
            status: EntryStatus::Pending,
            first_suggested: date!(2026 - 11 - 01),
            last_suggested: date!(2026 - 11 - 01),
        },
    );
    DataDir::new(dir.path()).save_points(&book).unwrap();

    let report = world
        .run_in(dir.path(), &[StepKind::ImmaculateTaste], |_| {})
        .await;

    let step = report.step(StepKind::ImmaculateTaste).unwrap();
    assert!(!step.failed(), "{step:#?}");
    assert_eq!(step.counter("points_arrived"), 1, "{step:#?}");
    let LoadedPoints::Current(book) = DataDir::new(dir.path()).load_points().unwrap() else {
        panic!("no points file");
    };
    let heat = &book.movies[&HEAT];
    assert_eq!(heat.status, EntryStatus::Active);
    assert_eq!(
        heat.rating_key.as_deref(),
        Some(world.plex.movie_key("Heat").unwrap().0.as_str())
    );
    // One movie list for the run, shared with the hand-off.
    assert_eq!(world.radarr.stats().count(op::MOVIES), 1);
}

#[tokio::test]
async fn re_monitored_movies_are_searched_for_in_one_command() {
    let world = World::start(
        plex(),
        RadarrSeed::new()
            .movie(SeedMovie::new(TENET, "Tenet", 2020).monitored(false))
            .movie(SeedMovie::new(ARRIVAL, "Arrival", 2016).monitored(false)),
        tmdb_catalogue(),
    )
    .await;
    world.suggest(&[("Tenet", Some(2020)), ("Arrival", Some(2016))]);
    let report = world.run(&[StepKind::RecentlyWatched], |_| {}).await;
    assert_eq!(
        outcome(&report, StepKind::RecentlyWatched, TENET),
        Outcome::Remonitored
    );
    assert_eq!(world.radarr.is_monitored(TENET), Some(true));
    let ids = |tmdb| world.radarr.movie(tmdb).unwrap().id;
    let mut expected = vec![ids(TENET), ids(ARRIVAL)];
    expected.sort();
    // MovieEditorController only flips the flag; Radarr searches by itself
    // only after an add with searchForMovie.
    assert_eq!(world.radarr.search_commands(), [expected]);

    // Without search_on_add, no search.
    let world = World::start(
        plex(),
        RadarrSeed::new().movie(SeedMovie::new(TENET, "Tenet", 2020).monitored(false)),
        tmdb_catalogue(),
    )
    .await;
    world.suggest(&[("Tenet", Some(2020))]);
    world
        .run(&[StepKind::RecentlyWatched], |s| {
            s.radarr.as_mut().unwrap().search_on_add = false;
        })
        .await;
    assert_eq!(world.radarr.is_monitored(TENET), Some(true));
    assert_eq!(world.radarr.search_command_count(), 0);
}

#[tokio::test]
async fn a_movie_without_a_year_is_added_without_a_lookup() {
    let mut catalogue = tmdb_catalogue();
    catalogue.push(TmdbMovie::new(1_100_000, "The Untitled Sequel", 2027).released(""));
    let world = World::start(
        plex(),
        RadarrSeed::new().catalogue(SeedMovie::new(TmdbId(1_100_000), "The Untitled Sequel", 0)),
        catalogue,
    )
    .await;
    // Radarr's lookup answers 500 here (MovieNotFoundException on a flaky
    // TMDb): the add does not need it.
    world
        .radarr
        .faults()
        .inject(op::LOOKUP_TMDB, Fault::Status(500), 5);
    world.suggest(&[("The Untitled Sequel", None)]);
    let report = world.run(&[StepKind::RecentlyWatched], |_| {}).await;
    assert_eq!(
        outcome(&report, StepKind::RecentlyWatched, TmdbId(1_100_000)),
        Outcome::SentToRadarr
    );
    assert_eq!(world.radarr.stats().count(op::LOOKUP_TMDB), 0);
    assert_eq!(world.radarr.searched_on_add(), [TmdbId(1_100_000)]);
}

#[tokio::test]
async fn an_already_added_movie_is_fetched_and_goes_the_known_way() {
    for version in RadarrVersion::ALL {
        let world = World::start(
            plex(),
            RadarrSeed::new()
                .version(version)
                .catalogue(SeedMovie::new(TENET, "Tenet", 2020)),
            tmdb_catalogue(),
        )
        .await;
        // Another client adds Tenet, unmonitored, right after our list is read.
        world
            .radarr
            .insert_after_next_list(SeedMovie::new(TENET, "Tenet", 2020).monitored(false));
        world.suggest(&[("Tenet", Some(2020))]);
        let report = world.run(&[StepKind::RecentlyWatched], |_| {}).await;
        assert_eq!(
            outcome(&report, StepKind::RecentlyWatched, TENET),
            Outcome::Remonitored,
            "{version:?}"
        );
        assert_eq!(world.radarr.is_monitored(TENET), Some(true));
        assert_eq!(
            world.radarr.movie_tag_labels(TENET).unwrap(),
            ["due-to-previously-watched", "movies"]
        );
        assert_eq!(world.radarr.stats().count(op::MOVIE_BY_TMDB), 1);
        assert_eq!(world.radarr.search_command_count(), 1);
    }
}

#[tokio::test]
async fn one_bad_tag_label_never_drops_the_others() {
    for version in RadarrVersion::ALL {
        let world = World::start(
            plex(),
            RadarrSeed::new()
                .version(version)
                .tag("movies")
                .catalogue(SeedMovie::new(TENET, "Tenet", 2020)),
            tmdb_catalogue(),
        )
        .await;
        world.suggest(&[("Tenet", Some(2020))]);
        let report = world
            .run(&[StepKind::RecentlyWatched], |s| {
                s.recommend.similar_tags = vec!["Movies".into(), "★".into(), "Sci Fi".into()];
            })
            .await;
        assert_eq!(
            outcome(&report, StepKind::RecentlyWatched, TENET),
            Outcome::SentToRadarr
        );
        assert_eq!(
            world.radarr.movie_tag_labels(TENET).unwrap(),
            ["movies", "sci-fi"],
            "{version:?}"
        );
        // "movies" exists: only "sci-fi" is created, in lowercase.
        assert_eq!(world.radarr.tag_requests(), ["sci-fi"], "{version:?}");
        let step = report.step(StepKind::RecentlyWatched).unwrap();
        assert!(
            step.failures.iter().any(|f| f.contains("\"★\"")),
            "{step:#?}"
        );
    }
}

#[tokio::test]
async fn a_failed_editor_chunk_is_reported_with_its_ids_and_the_rest_applies() {
    // 150 movies Plex has and Radarr monitors: two editor requests. One movie
    // is deleted in Radarr after the list was read, so its chunk answers 500
    // (BasicRepository.Get counts rows against ids).
    let mut plex_seed = plex();
    let mut radarr_seed = RadarrSeed::new().version(RadarrVersion::V6);
    for i in 1..=150 {
        plex_seed = plex_seed.movie(
            "1",
            FakeMovie::new(format!("Film {i}"), 2000).tmdb(10_000 + i),
        );
        radarr_seed = radarr_seed.movie(SeedMovie::new(
            TmdbId(10_000 + i),
            format!("Film {i}"),
            2000,
        ));
    }
    let world = World::start(plex_seed, radarr_seed, Vec::new()).await;
    world.radarr.remove_after_next_list(TmdbId(10_120));

    let report = world.run(&[StepKind::MonitorConfirm], |_| {}).await;

    let step = report.step(StepKind::MonitorConfirm).unwrap();
    assert_eq!(world.radarr.stats().count(op::EDIT_MOVIES), 2);
    assert_eq!(step.counter("already_in_plex"), 150);
    assert_eq!(step.counter("unmonitored"), 100, "{step:#?}");
    let curator_core::StepStatus::Failed(why) = &step.status else {
        panic!("{step:#?}");
    };
    assert!(
        why.contains("50 of 150 movie(s) were not changed: ids 101,102,"),
        "{why}"
    );
    assert!(
        why.contains("Expected query to return 50 rows but returned 49"),
        "{why}"
    );
    assert!(!why.contains("   at "), "{why}");
    let still: Vec<TmdbId> = world
        .radarr
        .movies()
        .iter()
        .filter(|m| m.monitored)
        .map(|m| m.tmdb_id)
        .collect();
    assert_eq!(still.len(), 49);
    assert!(still.iter().all(|t| t.0 > 10_100), "{still:?}");
}

#[tokio::test]
async fn a_movie_list_that_timed_out_is_not_read_again_in_the_run() {
    // Radarr v3 reads every cover file for the list; here that takes longer
    // than the list may take.
    let mut world = World::start(
        plex().movie("1", legacy_heat()),
        RadarrSeed::new()
            .version(RadarrVersion::V3)
            .cover_read_delay(std::time::Duration::from_secs(10))
            .movie(heat_in_radarr(true)),
        tmdb_catalogue(),
    )
    .await;
    world.movie_list_timeout = Some(std::time::Duration::from_millis(100));
    world.suggest(&[("Tenet", Some(2020))]);

    let report = world
        .run(
            &[StepKind::RecentlyWatched, StepKind::MonitorConfirm],
            |_| {},
        )
        .await;

    assert_eq!(world.radarr.stats().count(op::MOVIES), 1);
    assert!(matches!(
        outcome(&report, StepKind::RecentlyWatched, TENET),
        Outcome::Failed(_)
    ));
    let failures = &report.step(StepKind::RecentlyWatched).unwrap().failures;
    assert!(
        failures
            .iter()
            .any(|f| f.contains("timeouts.radarr_movies_seconds")),
        "{failures:#?}"
    );
    let confirm = report.step(StepKind::MonitorConfirm).unwrap();
    let curator_core::StepStatus::Failed(why) = &confirm.status else {
        panic!("{confirm:#?}");
    };
    assert!(why.contains("not asked again in this run"), "{why}");
    assert_eq!(world.radarr.is_monitored(HEAT), Some(true));
}

// Matching by IMDb id is a fallback for Plex items that carry no TMDb id
// (legacy agents). Radarr's TMDb id is unique per movie, its IMDb id is not:
// two Radarr movies can carry one (TMDb keeps separate entries that point at
// one IMDb title; Radarr's own `MovieRepository.FindByImdbId` once failed on
// it with "Sequence contains more than one element", Radarr/Radarr#3265).
// A Plex item with a TMDb id is that movie and no other.

/// A second Radarr movie carrying Heat's IMDb id under another TMDb id.
const HEAT_TWIN: TmdbId = TmdbId(1_000_949);

fn heat_twin_in_radarr() -> SeedMovie {
    SeedMovie::new(HEAT_TWIN, "Heat (TV cut)", 1995).imdb(HEAT_IMDB)
}

#[tokio::test]
async fn monitor_confirm_never_unmonitors_another_tmdb_movie_through_a_shared_imdb_id() {
    let world = World::start(
        plex().movie(
            "1",
            FakeMovie::new("Heat", 1995).tmdb(HEAT.0).imdb(HEAT_IMDB),
        ),
        RadarrSeed::new()
            .movie(heat_in_radarr(true))
            .movie(heat_twin_in_radarr()),
        Vec::new(),
    )
    .await;
    let report = world.run(&[StepKind::MonitorConfirm], |_| {}).await;
    let step = report.step(StepKind::MonitorConfirm).unwrap();
    assert!(!step.failed(), "{step:#?}");
    assert_eq!(world.radarr.is_monitored(HEAT), Some(false));
    assert_eq!(
        world.radarr.is_monitored(HEAT_TWIN),
        Some(true),
        "{step:#?}"
    );
    assert_eq!(step.counter("unmonitored"), 1);
}

#[tokio::test]
async fn monitor_confirm_follows_the_tmdb_id_when_a_plex_item_ids_name_two_radarr_movies() {
    // Plex's Heat carries Arrival's IMDb id (a wrong match in Plex): its
    // TMDb id says it is Heat, so Arrival stays wanted.
    let world = World::start(
        plex().movie(
            "1",
            FakeMovie::new("Heat", 1995).tmdb(HEAT.0).imdb("tt2543164"),
        ),
        RadarrSeed::new()
            .movie(heat_in_radarr(true))
            .movie(SeedMovie::new(ARRIVAL, "Arrival", 2016).imdb("tt2543164")),
        Vec::new(),
    )
    .await;
    let report = world.run(&[StepKind::MonitorConfirm], |_| {}).await;
    let step = report.step(StepKind::MonitorConfirm).unwrap();
    assert!(!step.failed(), "{step:#?}");
    assert_eq!(world.radarr.is_monitored(HEAT), Some(false));
    assert_eq!(world.radarr.is_monitored(ARRIVAL), Some(true), "{step:#?}");
}

#[tokio::test]
async fn monitor_confirm_leaves_both_radarr_movies_of_an_ambiguous_imdb_id_alone() {
    // The legacy item says only "tt0113277"; Radarr has two movies with it.
    // Which one Plex has is unknown: neither is unmonitored, and the step
    // says why.
    let world = World::start(
        plex().movie("1", legacy_heat()),
        RadarrSeed::new()
            .movie(heat_in_radarr(true))
            .movie(heat_twin_in_radarr()),
        Vec::new(),
    )
    .await;
    let report = world.run(&[StepKind::MonitorConfirm], |_| {}).await;
    let step = report.step(StepKind::MonitorConfirm).unwrap();
    assert!(!step.failed(), "{step:#?}");
    assert_eq!(world.radarr.is_monitored(HEAT), Some(true));
    assert_eq!(world.radarr.is_monitored(HEAT_TWIN), Some(true));
    assert_eq!(world.radarr.stats().count(op::EDIT_MOVIES), 0);
    assert!(
        step.notes.iter().any(|n| n.contains(HEAT_IMDB)),
        "{step:#?}"
    );
}

#[tokio::test]
async fn the_cleaner_unmonitors_only_the_tmdb_movie_it_cleaned() {
    let heat = FakeMovie::new("Heat", 1995)
        .tmdb(HEAT.0)
        .imdb(HEAT_IMDB)
        .version(FakeVersion::new("1080").part("/movies/Heat (1995)/Heat.1080p.mkv", 9_000_000_000))
        .version(FakeVersion::new("720").part("/movies/Heat (1995)/Heat.720p.mkv", 4_000_000_000));
    let world = World::start(
        plex().allow_media_deletion(true).movie("1", heat),
        RadarrSeed::new()
            .movie(heat_in_radarr(true))
            .movie(heat_twin_in_radarr()),
        Vec::new(),
    )
    .await;
    let report = world.run(&[StepKind::DuplicateCleaner], |_| {}).await;
    let step = report.step(StepKind::DuplicateCleaner).unwrap();
    assert!(!step.failed(), "{step:#?}");
    assert_eq!(step.counter("deleted"), 1, "{step:#?}");
    assert_eq!(world.radarr.is_monitored(HEAT), Some(false));
    assert_eq!(
        world.radarr.is_monitored(HEAT_TWIN),
        Some(true),
        "{step:#?}"
    );
    assert_eq!(step.counter("unmonitored_in_radarr"), 1, "{step:#?}");
}

#[tokio::test]
async fn the_cleaner_leaves_an_ambiguous_legacy_movie_monitored() {
    let heat = legacy_heat()
        .version(FakeVersion::new("1080").part("/movies/Heat (1995)/Heat.1080p.mkv", 9_000_000_000))
        .version(FakeVersion::new("720").part("/movies/Heat (1995)/Heat.720p.mkv", 4_000_000_000));
    let world = World::start(
        plex().allow_media_deletion(true).movie("1", heat),
        RadarrSeed::new()
            .movie(heat_in_radarr(true))
            .movie(heat_twin_in_radarr()),
        Vec::new(),
    )
    .await;
    let report = world.run(&[StepKind::DuplicateCleaner], |_| {}).await;
    let step = report.step(StepKind::DuplicateCleaner).unwrap();
    assert_eq!(step.counter("deleted"), 1, "{step:#?}");
    assert_eq!(world.radarr.is_monitored(HEAT), Some(true));
    assert_eq!(world.radarr.is_monitored(HEAT_TWIN), Some(true));
    assert!(
        step.notes.iter().any(|n| n.contains(HEAT_IMDB)),
        "{step:#?}"
    );
}

#[tokio::test]
async fn the_hand_off_sends_a_movie_whose_imdb_id_a_different_plex_movie_carries() {
    // Plex has Heat (TMDb 949, tt0113277); the LLM suggests the twin, which
    // Radarr knows under the same IMDb id but another TMDb id, unmonitored.
    // Plex's item is Heat, not the twin: the twin is re-monitored.
    let world = World::start(
        plex().movie(
            "1",
            FakeMovie::new("Heat", 1995).tmdb(HEAT.0).imdb(HEAT_IMDB),
        ),
        RadarrSeed::new()
            .movie(heat_in_radarr(true))
            .movie(heat_twin_in_radarr().monitored(false)),
        {
            let mut catalogue = tmdb_catalogue();
            catalogue.push(TmdbMovie::new(HEAT_TWIN.0, "Heat (TV cut)", 1995));
            catalogue
        },
    )
    .await;
    world.suggest(&[("Heat (TV cut)", Some(1995))]);
    let report = world.run(&[StepKind::RecentlyWatched], |_| {}).await;
    assert_eq!(
        outcome(&report, StepKind::RecentlyWatched, HEAT_TWIN),
        Outcome::Remonitored
    );
    assert_eq!(world.radarr.is_monitored(HEAT_TWIN), Some(true));
}

#[tokio::test]
async fn held_movies_reach_radarr_only_when_approved_and_a_rejected_one_never_again() {
    let world = World::start(
        plex(),
        RadarrSeed::new()
            .catalogue(SeedMovie::new(TENET, "Tenet", 2020))
            .catalogue(SeedMovie::new(ARRIVAL, "Arrival", 2016)),
        tmdb_catalogue(),
    )
    .await;
    world.suggest(&[("Tenet", Some(2020)), ("Arrival", Some(2016))]);
    let dir = tempfile::tempdir().unwrap();
    let approvals = |s: &mut Settings| s.approval.movies = true;
    let report = world
        .run_in(dir.path(), &[StepKind::RecentlyWatched], approvals)
        .await;

    // Held, not sent: Radarr was not even asked for its movie list.
    for id in [TENET, ARRIVAL] {
        assert_eq!(
            outcome(&report, StepKind::RecentlyWatched, id),
            Outcome::WaitingForApproval
        );
    }
    let step = report.step(StepKind::RecentlyWatched).unwrap();
    assert_eq!(step.counter("waiting_for_approval"), 2, "{step:#?}");
    assert!(world.radarr.movies().is_empty());
    assert_eq!(world.radarr.stats().count(op::ADD_MOVIE), 0);
    let data = DataDir::new(dir.path());
    let book = approval::load(&data).unwrap();
    let held: Vec<_> = book.waiting.iter().map(|h| h.tmdb_id).collect();
    assert_eq!(held, [TENET, ARRIVAL]);
    assert_eq!(book.waiting[0].list, "similar");
    assert_eq!(
        book.waiting[0].collection,
        "Based on your recently watched movie"
    );
    assert_eq!(book.waiting[0].seed.as_deref(), Some("Inception (2010)"));

    // Approve Tenet, reject Arrival.
    let ctx = world.context(dir.path(), &[StepKind::RecentlyWatched], approvals);
    let tenet_id = ApprovalId {
        kind: MediaKind::Movie,
        tmdb_id: TENET,
    };
    let arrival_id: ApprovalId = "329865".parse().unwrap();
    let approved = approval::approve(&ctx, &Selection::Ids(vec![tenet_id]))
        .await
        .unwrap();
    assert_eq!(approved.titles.len(), 1, "{approved:#?}");
    assert_eq!(approved.titles[0].outcome, Outcome::SentToRadarr);
    let rejected = approval::reject(&data, &Selection::Ids(vec![arrival_id]))
        .await
        .unwrap();
    assert_eq!(rejected.titles.len(), 1);

    // Radarr got exactly Tenet, as a run sends it: the list's tags, a search.
    let in_radarr: Vec<_> = world.radarr.movies().iter().map(|m| m.tmdb_id).collect();
    assert_eq!(in_radarr, [TENET]);
    assert_eq!(
        world.radarr.movie_tag_labels(TENET).unwrap(),
        ["due-to-previously-watched", "movies"]
    );
    assert_eq!(world.radarr.searched_on_add(), [TENET]);
    let book = approval::load(&data).unwrap();
    assert!(book.waiting.is_empty(), "{book:#?}");
    assert!(book.is_rejected(arrival_id));

    // The next run, even without approvals, never offers Arrival again.
    world.suggest(&[("Arrival", Some(2016))]);
    let report = world
        .run_in(dir.path(), &[StepKind::RecentlyWatched], |_| {})
        .await;
    assert_eq!(
        outcome(&report, StepKind::RecentlyWatched, ARRIVAL),
        Outcome::Rejected
    );
    assert!(world.radarr.movie(ARRIVAL).is_none());
    assert!(approval::load(&data).unwrap().waiting.is_empty());

    // Forgotten, it may be sent again.
    approval::forget(&data, &[arrival_id]).await.unwrap();
    let report = world
        .run_in(dir.path(), &[StepKind::RecentlyWatched], |_| {})
        .await;
    assert_eq!(
        outcome(&report, StepKind::RecentlyWatched, ARRIVAL),
        Outcome::SentToRadarr
    );
}

#[tokio::test]
async fn a_held_immaculate_movie_counts_as_pending_in_the_points_book() {
    let world = World::start(
        plex(),
        RadarrSeed::new().catalogue(SeedMovie::new(TENET, "Tenet", 2020)),
        tmdb_catalogue(),
    )
    .await;
    world.suggest(&[("Tenet", Some(2020))]);
    let dir = tempfile::tempdir().unwrap();
    let report = world
        .run_in(dir.path(), &[StepKind::ImmaculateTaste], |s| {
            s.approval.movies = true;
        })
        .await;
    assert_eq!(
        outcome(&report, StepKind::ImmaculateTaste, TENET),
        Outcome::WaitingForApproval
    );
    assert!(world.radarr.movies().is_empty());
    let data = DataDir::new(dir.path());
    let LoadedPoints::Current(book) = data.load_points().unwrap() else {
        panic!("no points book");
    };
    assert!(book.pending().any(|(id, _)| id == TENET));
    let held = approval::load(&data).unwrap();
    assert_eq!(held.waiting[0].list, "immaculate");
    assert_eq!(
        held.waiting[0].collection,
        "Inspired by your Immaculate Taste"
    );
}
