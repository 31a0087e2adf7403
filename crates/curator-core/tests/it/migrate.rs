//! Moving from the previous tool: realistic old data directories of each
//! version's shape, converted on the first run.
//!
//! The shapes follow the previous tool's own code (ohmzi/Immaculaterr before
//! its rewrite, ohmzi/Tautulli_Curated_Plex_Collection): 2.x
//! `tautulli_watched_movies.py` keyed its points by TMDb id; 3.x to 5.0
//! `plex_collection_manager._set_points` wrote bare numbers keyed by rating
//! key, +1 per suggestion and never less; 5.1 `update_points_data_for_run`
//! writes `{"ratingKey", "points", "title"}`, 50 on a suggestion and minus
//! one per run; 4.x and later `recently_watched_collection.py` and
//! `change_of_taste_collection.py` save arrays of `{title, rating_key,
//! year}`, with nulls for movies Plex lacked.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use curator_core::{
    CollectionState, EntryStatus, ImportAs, LoadedPoints, MigrationReport, POINTS_FILE, Quiet,
    RunReport, RunRequest, Seed, Services, Settings, SmallCollection, StepKind, StepStatus,
    StepToggles, run,
};
use curator_http::TmdbId;
use llm_recs::SuggestionKind;
use time::macros::date;

use crate::mem::*;

const IMMACULATE: &str = "Inspired by your Immaculate Taste";

fn library() -> Vec<plex_client::Movie> {
    vec![
        plex_movie("1001", "Inception", 2010, Some(27205)),
        plex_movie("1002", "Interstellar", 2014, Some(157336)),
        plex_movie("1003", "Heat", 1995, Some(949)),
        plex_movie("1004", "Ronin", 1998, Some(8195)),
        plex_movie("1005", "Collateral", 2004, Some(1538)),
        plex_movie("1006", "The Prestige", 2006, Some(1124)),
        plex_movie("1007", "Paddington 2", 2017, Some(346648)),
        plex_movie("1008", "Amélie", 2001, Some(194)),
        plex_movie("1009", "Mamma Mia!", 2008, Some(11631)),
        // Rating key 949 is another movie than TMDb 949 (Heat).
        plex_movie("949", "Thief", 1981, Some(11524)),
    ]
}

fn catalog() -> Vec<CatalogMovie> {
    vec![
        cm(27205, "Inception", 2010, &[28]),
        cm(157336, "Interstellar", 2014, &[878]),
        cm(680, "Pulp Fiction", 1994, &[80]),
        cm(949, "Heat", 1995, &[28]),
    ]
}

fn world(similar: Vec<(&'static str, Option<i32>)>) -> World {
    let mut answers = HashMap::new();
    answers.insert(SuggestionKind::Similar, similar);
    World::new(
        MemPlex::new(library()),
        MemRadarr::default(),
        MemTmdb {
            catalog: catalog(),
            ..MemTmdb::default()
        },
        MemLlm {
            answers,
            ..MemLlm::default()
        },
    )
}

fn write(world: &World, name: &str, text: &str) {
    std::fs::write(world.dir.path().join(name), text).unwrap();
}

fn seed() -> RunRequest {
    RunRequest {
        seed: Some(Seed {
            title: "Inception".into(),
            year: Some(2010),
            ..Seed::default()
        }),
        only: None,
    }
}

fn settings(steps: &[StepKind], import_as: ImportAs) -> Settings {
    let mut settings = World::settings();
    settings.steps = StepToggles::only(steps);
    settings.points.import_as = import_as;
    settings
}

/// The titles Plex's collection holds.
fn plex_collection(world: &World, name: &str) -> Vec<String> {
    let collections = world.plex.collections.lock().unwrap();
    let movies = world.plex.movies.lock().unwrap();
    let Some((_, keys)) = collections.iter().find(|(c, _)| c.title == name) else {
        return Vec::new();
    };
    let mut titles: Vec<String> = keys
        .iter()
        .map(|k| {
            movies
                .iter()
                .find(|m| &m.rating_key == k)
                .map_or_else(|| format!("?{k}"), |m| m.title.clone())
        })
        .collect();
    titles.sort();
    titles
}

fn migration(report: &RunReport) -> &MigrationReport {
    report.migration.as_ref().expect("no migration reported")
}

/// Every file of the directory and its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let e = e.ok()?;
            let bytes = std::fs::read(e.path()).ok()?;
            Some((e.file_name().into_string().ok()?, bytes))
        })
        .collect()
}

/// 3.x to 5.0: +1 per suggestion, never less, keyed by rating key.
const POINTS_3X: &str = r#"{
  "1003": 2,
  "1004": 1,
  "1005": 3,
  "1006": 1,
  "949": 1,
  "55555": 2
}"#;

async fn six_runs(import_as: ImportAs) -> (World, RunReport, Vec<String>, Vec<String>) {
    // Every run suggests only Interstellar: the imported movies are never
    // suggested again.
    let world = world(vec![("Interstellar", Some(2014))]);
    write(&world, POINTS_FILE, POINTS_3X);
    let steps = [
        StepKind::ImmaculateTaste,
        StepKind::ImmaculateTasteRefresher,
    ];
    let mut ctx = world.context(settings(&steps, import_as), date!(2026 - 12 - 01));
    let first = run(&mut ctx, &seed(), &Quiet).await.unwrap();
    let after_first = plex_collection(&world, IMMACULATE);
    for day in 2..=6 {
        let today = date!(2026 - 12 - 01).replace_day(day).unwrap();
        let mut ctx = world.context(settings(&steps, import_as), today);
        let report = run(&mut ctx, &seed(), &Quiet).await.unwrap();
        assert!(report.migration.is_none(), "migrated twice");
        assert!(report.failed_steps().is_empty(), "{report:#?}");
    }
    let after_six = plex_collection(&world, IMMACULATE);
    (world, first, after_first, after_six)
}

#[tokio::test]
async fn immaculate_taste_keeps_the_imported_movies_through_six_runs() {
    let (world, first, after_first, after_six) = six_runs(ImportAs::Full).await;
    let imported = [
        "Collateral",
        "Heat",
        "Interstellar",
        "Ronin",
        "The Prestige",
        "Thief",
    ];
    assert_eq!(after_first, imported);
    assert_eq!(after_six, imported);
    let LoadedPoints::Current(book) = world.data().load_points().unwrap() else {
        panic!("not converted");
    };
    // 50, minus one for each of the six runs without a suggestion.
    assert_eq!(book.movies[&TmdbId(949)].points, 44);
    assert_eq!(book.movies[&TmdbId(157336)].points, 50);

    let m = migration(&first);
    let points = m.points.as_ref().unwrap();
    assert!(points.import.raised_to_full);
    assert_eq!(points.import.by_rating_key.len(), 5);
    assert_eq!(points.import.unresolved.len(), 1);
    assert!(points.import.unresolved[0].reason.contains("55555"));
    assert!(m.rules.starts_with("standard"), "{}", m.rules);
    // The original is kept, byte for byte, where the report says.
    let backup = points.backup.as_deref().unwrap();
    assert_eq!(std::fs::read_to_string(backup).unwrap(), POINTS_3X);
    let lines = m.lines().join("\n");
    for needle in [
        "by rating key (5): ",
        "Heat (1995) 2→50",
        "key 55555: rating key 55555 is not in the Plex library",
        "the old file is kept at ",
        "points rules in force: standard",
    ] {
        assert!(lines.contains(needle), "{needle:?} missing from:\n{lines}");
    }
}

#[tokio::test]
async fn kept_at_their_old_points_the_imported_movies_leave_within_three_runs() {
    // The failure `import_as: full` prevents, shown on the same scenario.
    let (_, first, after_first, after_six) = six_runs(ImportAs::Keep).await;
    assert!(
        !migration(&first)
            .points
            .as_ref()
            .unwrap()
            .import
            .raised_to_full
    );
    // After the first run, the ones at 1 point are gone already.
    assert_eq!(after_first, ["Collateral", "Heat", "Interstellar"]);
    assert_eq!(after_six, ["Interstellar"]);
}

#[tokio::test]
async fn a_file_under_the_newer_rules_keeps_its_numbers() {
    let world = world(vec![("Interstellar", Some(2014))]);
    write(
        &world,
        POINTS_FILE,
        r#"{
  "1003": {"ratingKey": "1003", "points": 50, "title": "Heat"},
  "1004": {"ratingKey": "1004", "points": 23, "title": "Ronin"},
  "1005": {"ratingKey": "1005", "points": 2, "title": "Collateral"}
}"#,
    );
    let steps = [StepKind::ImmaculateTaste];
    let mut ctx = world.context(settings(&steps, ImportAs::Auto), date!(2026 - 12 - 01));
    let report = run(&mut ctx, &seed(), &Quiet).await.unwrap();
    assert!(
        !migration(&report)
            .points
            .as_ref()
            .unwrap()
            .import
            .raised_to_full
    );
    let LoadedPoints::Current(book) = world.data().load_points().unwrap() else {
        panic!("not converted");
    };
    let points: Vec<u32> = [949, 8195, 1538]
        .iter()
        .map(|id| book.movies[&TmdbId(*id)].points)
        .collect();
    assert_eq!(points, [49, 22, 1]);
}

#[tokio::test]
async fn a_rating_key_file_of_objects_imports_the_right_movies() {
    // 4.x/5.x objects without `ratingKey`: curator used to read their keys
    // as TMDb ids, so 949 became Heat (TMDb 949) instead of Thief.
    let world = world(vec![("Interstellar", Some(2014))]);
    write(
        &world,
        POINTS_FILE,
        r#"{
  "949": {"points": 4, "title": "Thief", "rating_key": "949"},
  "1004": {"points": 2, "title": "Ronin", "rating_key": "1004"}
}"#,
    );
    let steps = [StepKind::ImmaculateTaste];
    let mut ctx = world.context(settings(&steps, ImportAs::Auto), date!(2026 - 12 - 01));
    let report = run(&mut ctx, &seed(), &Quiet).await.unwrap();
    let LoadedPoints::Current(book) = world.data().load_points().unwrap() else {
        panic!("not converted");
    };
    let titles: Vec<&str> = book.movies.values().map(|e| e.title.as_str()).collect();
    assert_eq!(titles, ["Ronin", "Thief", "Interstellar"]);
    assert!(!book.movies.contains_key(&TmdbId(949)));
    let import = &migration(&report).points.as_ref().unwrap().import;
    assert_eq!(import.by_rating_key.len(), 2);
    assert!(import.by_tmdb_id.is_empty());
}

#[tokio::test]
async fn a_tmdb_keyed_file_is_confirmed_by_the_library_or_by_tmdb() {
    // 2.x: keyed by TMDb id, titles in the entries.
    let world = world(vec![("Interstellar", Some(2014))]);
    write(
        &world,
        POINTS_FILE,
        r#"{
  "949": {"title": "Heat", "points": 10},
  "680": {"title": "Pulp Fiction", "points": 8},
  "1007": {"title": "Casino", "points": 6}
}"#,
    );
    let steps = [StepKind::ImmaculateTaste];
    let mut ctx = world.context(settings(&steps, ImportAs::Auto), date!(2026 - 12 - 01));
    let report = run(&mut ctx, &seed(), &Quiet).await.unwrap();
    let import = &migration(&report).points.as_ref().unwrap().import;
    let by_tmdb: Vec<(&str, bool)> = import
        .by_tmdb_id
        .iter()
        .map(|m| (m.title.as_str(), m.in_plex))
        .collect();
    // Heat (rating key 949 is Thief, whose title disagrees) by the
    // library; Pulp Fiction by TMDb, not in Plex.
    assert_eq!(by_tmdb, [("Pulp Fiction", false), ("Heat", true)]);
    // 1007 is Paddington 2 in Plex; TMDb has no movie 1007 in this catalog.
    assert_eq!(import.unresolved.len(), 1);
    assert!(
        import.unresolved[0]
            .reason
            .contains("TMDb has no movie with id 1007"),
        "{:?}",
        import.unresolved
    );
    let LoadedPoints::Current(book) = world.data().load_points().unwrap() else {
        panic!("not converted");
    };
    assert_eq!(book.movies[&TmdbId(680)].status, EntryStatus::Pending);
    assert_eq!(book.movies[&TmdbId(949)].status, EntryStatus::Active);
    // One question to TMDb per id the library could not confirm (680 and
    // 1007), besides what the same run asks without an old file.
    let baseline = world_without_files(&steps).await;
    assert_eq!(world.tmdb.calls.count("tmdb.movie"), baseline + 2);
}

async fn world_without_files(steps: &[StepKind]) -> u64 {
    let world = world(vec![("Interstellar", Some(2014))]);
    let mut ctx = world.context(settings(steps, ImportAs::Auto), date!(2026 - 12 - 01));
    run(&mut ctx, &seed(), &Quiet).await.unwrap();
    world.tmdb.calls.count("tmdb.movie")
}

const RECENT_4X: &str = r#"[
  {"title": "Heat", "rating_key": "1003", "year": 1995},
  {"title": "Ronin", "rating_key": "1004", "year": 1998},
  {"title": "Collateral", "rating_key": "31337", "year": 2004},
  {"title": "Thief (1981)", "rating_key": null, "year": null},
  {"title": "Drive", "rating_key": null, "year": null}
]"#;

const CONTRAST_4X: &str = r#"[
  {"title": "Paddington 2", "rating_key": "1007", "year": 2017},
  {"title": "Amelie", "rating_key": "1008", "year": 2001},
  {"title": "Mamma Mia!", "rating_key": null, "year": null}
]"#;

fn old_small_collections(world: &World) {
    write(
        world,
        SmallCollection::RecentlyWatched.file_name(),
        RECENT_4X,
    );
    write(
        world,
        SmallCollection::ChangeOfTaste.file_name(),
        CONTRAST_4X,
    );
}

#[tokio::test]
async fn the_two_small_collections_are_filled_from_their_old_files() {
    let world = world(Vec::new());
    old_small_collections(&world);
    let steps = [StepKind::RecentlyWatchedRefresher];
    let mut ctx = world.context(settings(&steps, ImportAs::Auto), date!(2026 - 12 - 01));
    let report = run(&mut ctx, &RunRequest::default(), &Quiet).await.unwrap();
    let names = Settings::default().collections;
    assert_eq!(
        plex_collection(&world, &names.recently_watched),
        ["Collateral", "Heat", "Ronin"]
    );
    assert_eq!(
        plex_collection(&world, &names.change_of_taste),
        ["Amélie", "Mamma Mia!", "Paddington 2"]
    );
    let m = migration(&report);
    assert_eq!(m.collections.len(), 2);
    let recent = &m.collections[0].import;
    assert_eq!(recent.by_rating_key, ["Heat (1995)", "Ronin (1998)"]);
    assert_eq!(recent.by_title, ["Collateral (2004)"]);
    // "Thief (1981)" is not how Plex names it, and Drive was never in Plex.
    assert_eq!(recent.not_in_plex, ["Thief (1981)", "Drive"]);
    // The state files are curator's now, the old ones kept.
    let state: CollectionState = world
        .data()
        .load_collection(SmallCollection::ChangeOfTaste)
        .unwrap();
    assert_eq!(state.movies.len(), 3);
    let backup = m.collections[1].backup.as_deref().unwrap();
    assert_eq!(std::fs::read_to_string(backup).unwrap(), CONTRAST_4X);
    // A second run has nothing to migrate and keeps the collections.
    let mut ctx = world.context(settings(&steps, ImportAs::Auto), date!(2026 - 12 - 02));
    let again = run(&mut ctx, &RunRequest::default(), &Quiet).await.unwrap();
    assert!(again.migration.is_none());
    assert_eq!(
        plex_collection(&world, &names.recently_watched),
        ["Collateral", "Heat", "Ronin"]
    );
}

#[tokio::test]
async fn a_dry_run_shows_the_migration_and_writes_nothing() {
    let world = world(vec![("Interstellar", Some(2014))]);
    write(&world, POINTS_FILE, POINTS_3X);
    old_small_collections(&world);
    let before = snapshot(world.dir.path());
    let mut s = settings(
        &[
            StepKind::ImmaculateTaste,
            StepKind::RecentlyWatchedRefresher,
            StepKind::ImmaculateTasteRefresher,
        ],
        ImportAs::Auto,
    );
    s.dry_run = true;
    let mut ctx = world.context(s, date!(2026 - 12 - 01));
    let report = run(&mut ctx, &seed(), &Quiet).await.unwrap();
    assert_eq!(snapshot(world.dir.path()), before);
    assert!(world.plex.collections.lock().unwrap().is_empty());
    let m = migration(&report);
    assert!(m.dry_run);
    assert!(m.points.as_ref().unwrap().backup.is_none());
    assert_eq!(m.points.as_ref().unwrap().import.by_rating_key.len(), 5);
    // The refreshers plan against the converted files.
    let planned = report
        .step(StepKind::ImmaculateTasteRefresher)
        .unwrap()
        .planned
        .join("\n");
    assert!(
        planned.contains("add 6 (") && planned.contains("Thief"),
        "{planned}"
    );
    let planned = report
        .step(StepKind::RecentlyWatchedRefresher)
        .unwrap()
        .planned
        .join("\n");
    assert!(planned.contains("Ronin"), "{planned}");
}

#[tokio::test]
async fn without_plex_the_old_files_are_left_for_the_next_run() {
    let world = world(vec![("Interstellar", Some(2014))]);
    write(&world, POINTS_FILE, POINTS_3X);
    old_small_collections(&world);
    let before = snapshot(world.dir.path());
    let services = Services {
        plex: None,
        radarr: Some(world.radarr.clone()),
        tmdb: Some(world.tmdb.clone()),
        llm: Some(world.llm.clone()),
        sonarr: None,
        tmdb_tv: None,
        seerr: None,
    };
    let mut ctx = curator_core::RunContext::new(
        services,
        settings(&[StepKind::ImmaculateTaste], ImportAs::Auto),
        world.data(),
        date!(2026 - 12 - 01),
    );
    let report = run(&mut ctx, &seed(), &Quiet).await.unwrap();
    assert_eq!(snapshot(world.dir.path()), before);
    let m = migration(&report);
    assert!(m.deferred[0].contains("left as they are"), "{m:?}");
    assert!(m.points.is_none());
    let step = report.step(StepKind::ImmaculateTaste).unwrap();
    assert!(matches!(&step.status, StepStatus::Failed(_)), "{step:?}");
}

/// TMDb answering 503 to every movie lookup, the rest as the memory fake.
struct TmdbDownOnMovie(std::sync::Arc<MemTmdb>);

#[async_trait::async_trait]
impl tmdb_client::TmdbApi for TmdbDownOnMovie {
    async fn search_movies(
        &self,
        query: &str,
        year: Option<i32>,
        page: u32,
    ) -> tmdb_client::Result<tmdb_client::Page<tmdb_client::MovieSummary>> {
        self.0.search_movies(query, year, page).await
    }
    async fn movie(&self, _id: TmdbId) -> tmdb_client::Result<Option<tmdb_client::MovieDetails>> {
        Err(tmdb_client::Error::Api {
            op: "tmdb.movie",
            status: 503,
            code: 0,
            message: "Service Unavailable".into(),
        })
    }
    async fn recommendations(
        &self,
        id: TmdbId,
        page: u32,
    ) -> tmdb_client::Result<tmdb_client::Page<tmdb_client::MovieSummary>> {
        self.0.recommendations(id, page).await
    }
    async fn similar(
        &self,
        id: TmdbId,
        page: u32,
    ) -> tmdb_client::Result<tmdb_client::Page<tmdb_client::MovieSummary>> {
        self.0.similar(id, page).await
    }
    async fn discover(
        &self,
        query: &tmdb_client::DiscoverQuery,
    ) -> tmdb_client::Result<tmdb_client::Page<tmdb_client::MovieSummary>> {
        self.0.discover(query).await
    }
    async fn find_by_imdb(
        &self,
        imdb_id: &curator_http::ImdbId,
    ) -> tmdb_client::Result<Option<tmdb_client::MovieSummary>> {
        self.0.find_by_imdb(imdb_id).await
    }
    async fn genres(&self) -> tmdb_client::Result<Vec<tmdb_client::Genre>> {
        self.0.genres().await
    }
}

#[tokio::test]
async fn when_tmdb_cannot_confirm_an_id_the_points_file_waits_for_the_next_run() {
    // A 2.x file with a movie Plex lacks: only TMDb can confirm its id.
    let world = world(vec![("Interstellar", Some(2014))]);
    let old = r#"{"949": {"title": "Heat", "points": 10}, "680": {"title": "Pulp Fiction", "points": 8}}"#;
    write(&world, POINTS_FILE, old);
    old_small_collections(&world);
    let services = Services {
        plex: Some(world.plex.clone()),
        radarr: Some(world.radarr.clone()),
        tmdb: Some(std::sync::Arc::new(TmdbDownOnMovie(world.tmdb.clone()))),
        llm: Some(world.llm.clone()),
        sonarr: None,
        tmdb_tv: None,
        seerr: None,
    };
    let steps = [
        StepKind::ImmaculateTaste,
        StepKind::RecentlyWatchedRefresher,
    ];
    let mut ctx = curator_core::RunContext::new(
        services,
        settings(&steps, ImportAs::Auto),
        world.data(),
        date!(2026 - 12 - 01),
    );
    let report = run(&mut ctx, &seed(), &Quiet).await.unwrap();
    let m = migration(&report);
    assert!(m.points.is_none(), "{m:?}");
    assert!(
        m.deferred[0].contains("TMDb could not confirm the id 680")
            && m.deferred[0].contains("the next run tries again"),
        "{m:?}"
    );
    // The points file is as it was, and no points were counted over it.
    let on_disk = std::fs::read_to_string(world.data().points_path()).unwrap();
    assert_eq!(on_disk, old);
    let step = report.step(StepKind::ImmaculateTaste).unwrap();
    assert!(
        matches!(&step.status, StepStatus::Failed(w) if w.contains("not converted yet")),
        "{step:?}"
    );
    // The small collections needed no TMDb and were converted.
    assert_eq!(m.collections.len(), 2);
}
