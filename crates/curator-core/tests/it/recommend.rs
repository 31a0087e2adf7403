//! Scenarios for the recommendation steps and the pipeline around them.

use std::collections::HashMap;
use std::sync::Arc;

use curator_core::{
    CollectionState, EntryStatus, LoadedPoints, Outcome, POINTS_FILE, Quiet, RunRequest, Seed,
    SmallCollection, StepKind, StepStatus, StepToggles, run,
};
use curator_http::TmdbId;
use llm_recs::SuggestionKind;
use time::macros::date;

use crate::mem::*;

const SCIFI: u32 = 878;
const ACTION: u32 = 28;
const COMEDY: u32 = 35;
const FAMILY: u32 = 10751;
const ROMANCE: u32 = 10749;
const DRAMA: u32 = 18;

fn catalog() -> Vec<CatalogMovie> {
    let mut inception = cm(27205, "Inception", 2010, &[ACTION, SCIFI]);
    inception.recommendations = vec![157336, 603, 577922];
    inception.similar = vec![1124];
    vec![
        inception,
        cm(603, "The Matrix", 1999, &[ACTION, SCIFI]),
        cm(157336, "Interstellar", 2014, &[SCIFI, DRAMA]),
        cm(577922, "Tenet", 2020, &[ACTION, SCIFI]),
        cm(1124, "The Prestige", 2006, &[DRAMA]),
        cm(346648, "Paddington 2", 2017, &[COMEDY, FAMILY]),
        cm(194, "Amélie", 2001, &[COMEDY, ROMANCE]),
        cm(11631, "Mamma Mia!", 2008, &[COMEDY, ROMANCE]),
        // A remake pair: the year decides.
        cm(10020, "Beauty and the Beast", 1991, &[FAMILY, ROMANCE]),
        cm(321612, "Beauty and the Beast", 2017, &[FAMILY, ROMANCE]),
    ]
}

fn library() -> Vec<plex_client::Movie> {
    let mut amelie = plex_movie("5", "Amélie", 2001, None);
    amelie.guid = "local://5".into();
    vec![
        plex_movie("1", "Inception", 2010, Some(27205)),
        plex_movie("2", "The Matrix", 1999, Some(603)),
        plex_movie("3", "Interstellar", 2014, Some(157336)),
        plex_movie("4", "Paddington 2", 2017, Some(346648)),
        amelie,
        plex_movie("6", "Beauty and the Beast", 1991, Some(10020)),
    ]
}

fn llm() -> MemLlm {
    let mut answers = HashMap::new();
    answers.insert(
        SuggestionKind::Similar,
        vec![
            ("The Matrix", Some(1999)),
            ("Interstellar", Some(2014)),
            ("Tenet", Some(2020)),
            ("The Silent Cartographer", Some(2011)),
            ("Inception", Some(2010)),
            ("the matrix", Some(1999)),
        ],
    );
    answers.insert(
        SuggestionKind::Contrast,
        vec![
            ("Paddington 2", Some(2017)),
            ("Amelie", Some(2001)),
            ("Mamma Mia!", Some(2008)),
            ("Beauty and the Beast", Some(2017)),
        ],
    );
    MemLlm {
        answers,
        ..MemLlm::default()
    }
}

fn world() -> World {
    World::new(
        MemPlex::new(library()),
        MemRadarr::default().with_movie(11631, "Mamma Mia!", false),
        MemTmdb {
            catalog: catalog(),
            ..MemTmdb::default()
        },
        llm(),
    )
}

fn only(steps: &[StepKind]) -> StepToggles {
    StepToggles::only(steps)
}

fn inception() -> RunRequest {
    RunRequest {
        seed: Some(Seed {
            title: "Inception".into(),
            year: Some(2010),
            ..Seed::default()
        }),
        only: None,
    }
}

fn titles(state: &CollectionState) -> Vec<(&str, &str)> {
    state
        .movies
        .iter()
        .map(|m| (m.title.as_str(), m.rating_key.as_str()))
        .collect()
}

#[tokio::test]
async fn recently_watched_builds_both_lists_and_sends_the_missing_to_radarr() {
    let world = world();
    let mut settings = World::settings();
    settings.steps = only(&[StepKind::RecentlyWatched]);
    let mut ctx = world.context(settings, date!(2026 - 11 - 24));
    let report = run(&mut ctx, &inception(), &Quiet).await.unwrap();
    let step = report.step(StepKind::RecentlyWatched).unwrap();
    assert_eq!(step.status, StepStatus::Done, "{step:#?}");

    let data = world.data();
    let similar = data
        .load_collection(SmallCollection::RecentlyWatched)
        .unwrap();
    assert_eq!(
        titles(&similar),
        [("The Matrix", "2"), ("Interstellar", "3")]
    );
    assert_eq!(similar.seed.as_ref().unwrap().tmdb_id, Some(TmdbId(27205)));
    let contrast = data
        .load_collection(SmallCollection::ChangeOfTaste)
        .unwrap();
    // "Amelie" found the Plex item without ids by title and year.
    assert_eq!(titles(&contrast), [("Paddington 2", "4"), ("Amélie", "5")]);

    // Tenet and the 2017 remake were added with their tags; the remake is
    // not confused with the 1991 film the library has.
    let radarr = &world.radarr;
    assert_eq!(
        radarr.tag_labels(577922),
        ["movies", "due-to-previously-watched"]
    );
    assert_eq!(radarr.tag_labels(321612), ["movies", "change-of-taste"]);
    // Mamma Mia! was in Radarr unmonitored: now monitored and tagged.
    assert!(radarr.movie(11631).unwrap().monitored);
    assert_eq!(radarr.tag_labels(11631), ["movies", "change-of-taste"]);
    // The invented title never reached Radarr.
    assert_eq!(radarr.movies.lock().unwrap().len(), 3);
    assert_eq!(step.counter("similar_unresolved"), 1);
    assert!(step.movies.iter().any(
        |m| m.title == "The Silent Cartographer" && matches!(m.outcome, Outcome::Unresolved(_))
    ));

    // Cheap: one library read, one Radarr list, tags created once each,
    // no Plex title search, one bulk monitor.
    assert_eq!(world.plex.calls.count("plex.movies"), 1);
    assert_eq!(world.plex.calls.count("plex.search_movies"), 0);
    assert_eq!(radarr.calls.count("radarr.movies"), 1);
    assert_eq!(radarr.calls.count("radarr.create_tag"), 3);
    assert_eq!(radarr.calls.count("radarr.tags"), 1);
    assert_eq!(radarr.calls.count("radarr.edit_movies"), 1);
    assert_eq!(radarr.calls.count("radarr.add_movie"), 2);

    // The seed and the avoid list reached the LLM.
    let requests = world.llm.requests.lock().unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].seed.genres, ["genre 28", "genre 878"]);
    // With its year: a namesake of another year stays a candidate.
    assert_eq!(requests[0].avoid, ["Inception (2010)"]);
    assert_eq!(requests[0].count, 15);
}

#[tokio::test]
async fn immaculate_taste_keeps_points_and_pending_movies_arrive() {
    let world = world();
    let mut settings = World::settings();
    settings.steps = only(&[StepKind::ImmaculateTaste]);

    let mut ctx = world.context(settings.clone(), date!(2026 - 11 - 24));
    let report = run(&mut ctx, &inception(), &Quiet).await.unwrap();
    let step = report.step(StepKind::ImmaculateTaste).unwrap();
    assert_eq!(step.status, StepStatus::Done, "{step:#?}");
    let LoadedPoints::Current(book) = world.data().load_points().unwrap() else {
        panic!("no points file");
    };
    let summary: Vec<_> = book
        .movies
        .iter()
        .map(|(id, e)| (id.0, e.points, e.status))
        .collect();
    assert_eq!(
        summary,
        [
            (603, 50, EntryStatus::Active),
            (157336, 50, EntryStatus::Active),
            (577922, 0, EntryStatus::Pending),
        ]
    );
    assert_eq!(world.radarr.tag_labels(577922), ["movies", "recommended"]);

    // Tenet arrives in Plex; the next watch suggests only The Matrix.
    world
        .plex
        .movies
        .lock()
        .unwrap()
        .push(plex_movie("7", "Tenet", 2020, Some(577922)));
    world.llm.requests.lock().unwrap().clear();
    let mut llm_answers = HashMap::new();
    llm_answers.insert(SuggestionKind::Similar, vec![("The Matrix", Some(1999))]);
    let world = World {
        llm: std::sync::Arc::new(MemLlm {
            answers: llm_answers,
            ..MemLlm::default()
        }),
        ..world
    };
    let mut ctx = world.context(settings, date!(2026 - 11 - 25));
    run(&mut ctx, &inception(), &Quiet).await.unwrap();
    let LoadedPoints::Current(book) = world.data().load_points().unwrap() else {
        panic!("no points file");
    };
    let summary: Vec<_> = book
        .movies
        .iter()
        .map(|(id, e)| (id.0, e.points, e.status, e.rating_key.clone()))
        .collect();
    assert_eq!(
        summary,
        [
            (603, 50, EntryStatus::Active, Some("2".into())),
            (157336, 49, EntryStatus::Active, Some("3".into())),
            (577922, 50, EntryStatus::Active, Some("7".into())),
        ]
    );
}

#[tokio::test]
async fn a_refusing_llm_falls_back_to_tmdb() {
    let world = World::new(
        MemPlex::new(library()),
        MemRadarr::default(),
        MemTmdb {
            catalog: catalog(),
            ..MemTmdb::default()
        },
        MemLlm {
            refuse: true,
            ..MemLlm::default()
        },
    );
    let mut settings = World::settings();
    settings.steps = only(&[StepKind::ImmaculateTaste]);
    let mut ctx = world.context(settings, date!(2026 - 11 - 24));
    let report = run(&mut ctx, &inception(), &Quiet).await.unwrap();
    let step = report.step(StepKind::ImmaculateTaste).unwrap();
    assert!(
        step.failures
            .iter()
            // Named for the list that asked, not "similar".
            .any(|f| f.contains("immaculate list") && f.contains("refused") && f.contains("TMDb")),
        "{:?}",
        step.failures
    );
    // Recommendations and similar of the seed sharing a genre with it;
    // The Prestige (drama only) shares none and is left out.
    let mut found: Vec<_> = step
        .movies
        .iter()
        .filter(|m| m.source == "immaculate/tmdb")
        .map(|m| m.title.as_str())
        .collect();
    found.sort_unstable();
    assert_eq!(found, ["Interstellar", "The Matrix"]);
    assert_eq!(world.tmdb.calls.count("tmdb.recommendations"), 1);
    assert_eq!(world.tmdb.calls.count("tmdb.similar"), 1);
    // TMDb's picks carry their ids: only the watched movie was searched.
    assert_eq!(world.tmdb.calls.count("tmdb.search_movies"), 1);
    // Tenet came from TMDb too and is missing, so it went to Radarr.
    assert!(world.radarr.movie(577922).is_some());
}

#[tokio::test]
async fn dry_run_changes_nothing_and_lists_the_plan() {
    let world = world();
    let mut settings = World::settings();
    settings.steps = only(&[StepKind::RecentlyWatched, StepKind::ImmaculateTaste]);
    settings.dry_run = true;
    let radarr_before = world.radarr.movies.lock().unwrap().clone();
    let mut ctx = world.context(settings, date!(2026 - 11 - 24));
    let report = run(&mut ctx, &inception(), &Quiet).await.unwrap();
    assert!(report.dry_run);
    assert_eq!(*world.radarr.movies.lock().unwrap(), radarr_before);
    assert!(world.radarr.tags.lock().unwrap().is_empty());
    assert_eq!(std::fs::read_dir(world.dir.path()).unwrap().count(), 0);
    let planned: Vec<_> = report
        .steps
        .iter()
        .flat_map(|s| s.planned.clone())
        .collect();
    assert!(
        planned.iter().any(|p| p.starts_with("add Tenet (2020)")),
        "{planned:?}"
    );
    assert!(
        planned.iter().any(|p| p.starts_with("monitor Mamma Mia!")),
        "{planned:?}"
    );
    assert!(
        planned.iter().any(|p| p.contains(POINTS_FILE)),
        "{planned:?}"
    );
    for call in [
        "radarr.add_movie",
        "radarr.edit_movies",
        "radarr.create_tag",
    ] {
        assert_eq!(world.radarr.calls.count(call), 0, "{call}");
    }
}

#[tokio::test]
async fn a_corrupt_state_file_stops_the_run_before_any_change() {
    let world = world();
    let path = world
        .data()
        .path(SmallCollection::ChangeOfTaste.file_name());
    std::fs::write(&path, "{ not json").unwrap();
    let mut ctx = world.context(World::settings(), date!(2026 - 11 - 24));
    let error = run(&mut ctx, &inception(), &Quiet).await.unwrap_err();
    assert!(
        error
            .to_string()
            .contains("change_of_taste_collection.json"),
        "{error}"
    );
    assert_eq!(world.radarr.calls.total(), 0);
    assert_eq!(world.plex.calls.total(), 0);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "{ not json");
}

#[tokio::test]
async fn steps_needing_a_seed_are_skipped_without_one_and_failures_do_not_stop_the_run() {
    // Radarr fails every add: the step reports it per movie and the next
    // step still runs.
    let radarr = MemRadarr::default();
    radarr.fail_adds.lock().unwrap().push(TmdbId(577922));
    let world = World::new(
        MemPlex::new(library()),
        radarr,
        MemTmdb {
            catalog: catalog(),
            ..MemTmdb::default()
        },
        llm(),
    );
    let mut settings = World::settings();
    settings.steps = only(&[StepKind::RecentlyWatched, StepKind::ImmaculateTaste]);
    let mut ctx = world.context(settings.clone(), date!(2026 - 11 - 24));
    let report = run(&mut ctx, &inception(), &Quiet).await.unwrap();
    let first = report.step(StepKind::RecentlyWatched).unwrap();
    assert!(
        first
            .movies
            .iter()
            .any(|m| m.title == "Tenet" && matches!(m.outcome, Outcome::Failed(_)))
    );
    assert_eq!(first.counter("radarr_failed"), 1);
    assert_eq!(
        report.step(StepKind::ImmaculateTaste).unwrap().status,
        StepStatus::Done
    );

    let mut ctx = world.context(settings, date!(2026 - 11 - 24));
    let report = run(&mut ctx, &RunRequest::default(), &Quiet).await.unwrap();
    assert!(report
        .steps
        .iter()
        .all(|s| matches!(&s.status, StepStatus::Skipped(r) if r.contains("no watched movie") || r.contains("switched off"))));
}

#[tokio::test]
async fn no_suggestions_at_all_leaves_the_points_alone() {
    let world = World::new(
        MemPlex::new(library()),
        MemRadarr::default(),
        MemTmdb {
            catalog: catalog(),
            ..MemTmdb::default()
        },
        MemLlm {
            refuse: true,
            ..MemLlm::default()
        },
    );
    let mut book = curator_core::PointsBook::default();
    book.movies.insert(
        TmdbId(603),
        curator_core::PointsEntry {
            title: "The Matrix".into(),
            year: Some(1999),
            rating_key: Some("2".into()),
            points: 7,
            status: EntryStatus::Active,
            first_suggested: date!(2026 - 01 - 01),
            last_suggested: date!(2026 - 01 - 01),
        },
    );
    world.data().save_points(&book).unwrap();
    let mut settings = World::settings();
    settings.steps = only(&[StepKind::ImmaculateTaste]);
    let mut ctx = world.context(settings, date!(2026 - 11 - 24));
    // The LLM refuses and TMDb is gone: nothing can be suggested.
    ctx.services.tmdb = None;
    let report = run(&mut ctx, &inception(), &Quiet).await.unwrap();
    let step = report.step(StepKind::ImmaculateTaste).unwrap();
    assert!(step.failed(), "{step:#?}");
    let LoadedPoints::Current(after) = world.data().load_points().unwrap() else {
        panic!("points file gone");
    };
    assert_eq!(after, book);
}

#[tokio::test]
async fn the_rating_key_from_tautulli_picks_the_right_remake() {
    let world = world();
    let mut settings = World::settings();
    settings.steps = only(&[StepKind::RecentlyWatched]);
    let mut ctx = world.context(settings, date!(2026 - 11 - 24));
    // "Beauty and the Beast" alone would resolve to the more popular 2017
    // film; the library item "6" is the 1991 one.
    let request = RunRequest {
        seed: Some(Seed {
            title: "Beauty and the Beast".into(),
            rating_key: Some("6".into()),
            ..Seed::default()
        }),
        only: None,
    };
    run(&mut ctx, &request, &Quiet).await.unwrap();
    let requests = world.llm.requests.lock().unwrap();
    assert_eq!(requests[0].seed.year, Some(1991));
}

fn probed(probe: &Arc<Probe>, refuse_library: bool) -> World {
    let mut plex = MemPlex::new(library());
    plex.probe = Arc::clone(probe);
    plex.refuse_library = refuse_library;
    let mut radarr = MemRadarr::default().with_movie(11631, "Mamma Mia!", false);
    radarr.probe = Arc::clone(probe);
    let tmdb = MemTmdb {
        catalog: catalog(),
        probe: Arc::clone(probe),
        ..MemTmdb::default()
    };
    let mut llm = llm();
    llm.probe = Arc::clone(probe);
    World::new(plex, radarr, tmdb, llm)
}

/// The Plex library and Radarr's movie list do not depend on the LLM's
/// answer, and the TMDb searches for different titles not on each other:
/// they run together. Each is still asked once, and the steps report what
/// the other scenarios here check a sequential run reports.
#[tokio::test]
async fn independent_requests_run_together() {
    let probe = Arc::new(Probe::default());
    let world = probed(&probe, false);
    let mut settings = World::settings();
    settings.steps = only(&[StepKind::RecentlyWatched, StepKind::MonitorConfirm]);
    let mut ctx = world.context(settings, date!(2026 - 11 - 24));
    let report = run(&mut ctx, &inception(), &Quiet).await.unwrap();

    assert!(probe.met(&["llm", "plex.movies", "radarr.movies"]));
    assert!(probe.most("tmdb.search_movies") >= 2);
    assert_eq!(world.plex.calls.count("plex.movies"), 1);
    assert_eq!(world.radarr.calls.count("radarr.movies"), 1);
    for kind in [StepKind::RecentlyWatched, StepKind::MonitorConfirm] {
        let step = report.step(kind).unwrap();
        assert_eq!(step.status, StepStatus::Done, "{step:#?}");
    }
    // The outcomes keep the order of the LLM's lists (movies Plex has and
    // unresolved titles as resolved, then the missing one after Radarr).
    let titles: Vec<&str> = report
        .step(StepKind::RecentlyWatched)
        .unwrap()
        .movies
        .iter()
        .map(|m| m.title.as_str())
        .collect();
    assert_eq!(
        titles,
        [
            "The Matrix",
            "Interstellar",
            "The Silent Cartographer",
            "Tenet",
            "Paddington 2",
            "Amélie",
            "Mamma Mia!",
            "Beauty and the Beast",
        ]
    );
}

/// A library read started ahead that fails is not repeated: the step that
/// needs it reports that failure, as it would have had it read itself.
#[tokio::test]
async fn a_failed_read_ahead_is_reported_by_the_step_that_needs_it() {
    let probe = Arc::new(Probe::default());
    let world = probed(&probe, true);
    let mut settings = World::settings();
    settings.steps = only(&[StepKind::RecentlyWatched]);
    let mut ctx = world.context(settings, date!(2026 - 11 - 24));
    let report = run(&mut ctx, &inception(), &Quiet).await.unwrap();

    // One read per list, as without the read ahead (which would make 3 if
    // its failure were not handed on).
    assert_eq!(world.plex.calls.count("plex.movies"), 2);
    let step = report.step(StepKind::RecentlyWatched).unwrap();
    let StepStatus::Failed(message) = &step.status else {
        panic!("{step:#?}");
    };
    assert!(message.contains("Plex"), "{message}");
}

/// The immaculate-taste step asks the LLM while the library is read, and
/// still fails on the library first, with nothing else in its report.
#[tokio::test]
async fn immaculate_taste_asks_the_llm_while_the_library_is_read() {
    for refuse_library in [false, true] {
        let probe = Arc::new(Probe::default());
        let world = probed(&probe, refuse_library);
        let mut settings = World::settings();
        settings.steps = only(&[StepKind::ImmaculateTaste]);
        let mut ctx = world.context(settings, date!(2026 - 11 - 24));
        let report = run(&mut ctx, &inception(), &Quiet).await.unwrap();

        assert!(probe.met(&["llm", "plex.movies"]), "{refuse_library}");
        let step = report.step(StepKind::ImmaculateTaste).unwrap();
        if refuse_library {
            let StepStatus::Failed(message) = &step.status else {
                panic!("{step:#?}");
            };
            assert!(message.contains("token was rejected"), "{message}");
            assert!(
                step.movies.is_empty() && step.counts.is_empty(),
                "{step:#?}"
            );
        } else {
            assert_eq!(step.status, StepStatus::Done, "{step:#?}");
            assert_eq!(world.plex.calls.count("plex.movies"), 1);
        }
    }
}

/// An answer that parses but names mostly invented films is filled up from
/// TMDb, as a failed one is.
#[tokio::test]
async fn too_few_real_titles_are_filled_up_from_tmdb() {
    let mut answers = HashMap::new();
    answers.insert(
        SuggestionKind::Similar,
        vec![
            ("The Matrix", Some(1999)),
            ("The Silent Cartographer", Some(2011)),
            ("A Film Nobody Made", Some(2019)),
            ("Another Invention", Some(2020)),
        ],
    );
    let world = World::new(
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
    );
    let mut settings = World::settings();
    settings.steps = only(&[StepKind::ImmaculateTaste]);
    let mut ctx = world.context(settings, date!(2026 - 11 - 24));
    let report = run(&mut ctx, &inception(), &Quiet).await.unwrap();
    let step = report.step(StepKind::ImmaculateTaste).unwrap();
    assert!(
        step.notes
            .iter()
            .any(|n| n.contains("only 1 of the LLM's immaculate titles")),
        "{:?}",
        step.notes
    );
    let from = |source: &str| -> Vec<&str> {
        let mut titles: Vec<&str> = step
            .movies
            .iter()
            .filter(|m| m.source == source && !matches!(m.outcome, Outcome::Unresolved(_)))
            .map(|m| m.title.as_str())
            .collect();
        titles.sort_unstable();
        titles
    };
    assert_eq!(from("immaculate/llm"), ["The Matrix"]);
    // TMDb's own picks fill up, without the one the LLM already gave;
    // Tenet, one of them, is missing from Plex and went to Radarr.
    assert_eq!(from("immaculate/tmdb"), ["Interstellar"]);
    assert!(world.radarr.movie(577922).is_some());
    assert!(step.counter("immaculate_filled_from_tmdb") >= 2);
}

/// A watched title TMDb does not know (a home video, a concert, a typo):
/// the run asks no LLM, sends nothing to Radarr, writes no collection and
/// no points, and every step says why.
#[tokio::test]
async fn a_watched_title_tmdb_does_not_know_sends_nothing_anywhere() {
    let world = world();
    let settings = World::settings();
    let mut ctx = world.context(settings, date!(2026 - 11 - 24));
    let request = RunRequest {
        seed: Some(Seed {
            title: "Our Holiday 2019".into(),
            year: None,
            ..Seed::default()
        }),
        only: None,
    };
    let report = run(&mut ctx, &request, &Quiet).await.unwrap();
    for step in &report.steps {
        assert!(
            matches!(&step.status, StepStatus::Skipped(r) if r.starts_with("not a known movie") || r.contains("switched off")),
            "{step:#?}"
        );
    }
    assert!(
        report.step(StepKind::RecentlyWatched).is_some_and(
            |s| matches!(&s.status, StepStatus::Skipped(r) if r.contains("Our Holiday 2019"))
        ),
        "{report:#?}"
    );
    assert!(world.llm.requests.lock().unwrap().is_empty());
    assert_eq!(world.radarr.calls.count("radarr.add_movie"), 0);
    assert_eq!(world.radarr.calls.count("radarr.edit_movies"), 0);
    assert_eq!(world.radarr.movies.lock().unwrap().len(), 1);
    let data = world.data();
    assert!(
        data.load_collection(SmallCollection::RecentlyWatched)
            .unwrap()
            .movies
            .is_empty()
    );
    assert!(matches!(data.load_points().unwrap(), LoadedPoints::Missing));
    assert_eq!(world.plex.calls.count("plex.add_items"), 0);
    assert_eq!(world.plex.calls.count("plex.create_collection"), 0);
    assert_eq!(world.plex.calls.count("plex.move_item"), 0);
}

/// `curator refresh` (and the nightly schedule, and the service's arrival
/// jobs) promotes every pending movie Plex now has before it writes the
/// collection: arrivals show up without waiting for another watch.
#[tokio::test]
async fn the_immaculate_refresher_promotes_pending_movies_plex_now_has() {
    let world = world();
    let mut settings = World::settings();
    settings.steps = only(&[StepKind::ImmaculateTaste]);
    let mut ctx = world.context(settings.clone(), date!(2026 - 11 - 24));
    run(&mut ctx, &inception(), &Quiet).await.unwrap();
    // Tenet was sent to Radarr and waits.
    let LoadedPoints::Current(book) = world.data().load_points().unwrap() else {
        panic!("no points file");
    };
    assert_eq!(book.movies[&TmdbId(577922)].status, EntryStatus::Pending);
    world
        .plex
        .movies
        .lock()
        .unwrap()
        .push(plex_movie("7", "Tenet", 2020, Some(577922)));
    world.llm.requests.lock().unwrap().clear();

    settings.steps = only(&[StepKind::ImmaculateTasteRefresher]);
    let mut ctx = world.context(settings.clone(), date!(2026 - 11 - 25));
    let report = run(&mut ctx, &RunRequest::default(), &Quiet).await.unwrap();
    let step = report.step(StepKind::ImmaculateTasteRefresher).unwrap();
    assert_eq!(step.status, StepStatus::Done, "{step:#?}");
    assert_eq!(step.counter("points_arrived"), 1, "{step:#?}");
    let LoadedPoints::Current(book) = world.data().load_points().unwrap() else {
        panic!("no points file");
    };
    let tenet = &book.movies[&TmdbId(577922)];
    assert_eq!(
        (tenet.status, tenet.points, tenet.rating_key.as_deref()),
        (EntryStatus::Active, 50, Some("7"))
    );
    // The others keep their points: no run was counted.
    assert_eq!(book.movies[&TmdbId(603)].points, 50);
    {
        let collections = world.plex.collections.lock().unwrap();
        let (_, members) = collections
            .iter()
            .find(|(c, _)| c.title == IMMACULATE_NAME)
            .expect("the collection");
        assert!(members.iter().any(|k| k.0 == "7"), "{members:?}");
    }
    assert!(world.llm.requests.lock().unwrap().is_empty());

    // Nothing pending: the library is not read again for it.
    let reads = world.plex.calls.count("plex.movies");
    let mut ctx = world.context(settings, date!(2026 - 11 - 26));
    run(&mut ctx, &RunRequest::default(), &Quiet).await.unwrap();
    assert_eq!(world.plex.calls.count("plex.movies"), reads);
}

const IMMACULATE_NAME: &str = "Inspired by your Immaculate Taste";

/// A service job cut off after its points were written runs again from its
/// first step: the points book remembers the job's id (in the same atomic
/// write), so its suggestions count once; another job, or a CLI run (no
/// job), counts again.
#[tokio::test]
async fn a_retried_job_counts_its_points_once() {
    let world = world();
    let mut settings = World::settings();
    settings.steps = only(&[StepKind::ImmaculateTaste]);
    // +1 per suggestion, no decay: every counted run shows.
    settings.points = curator_core::PointsSettings::classic();
    let points = || -> Vec<(TmdbId, u32)> {
        let LoadedPoints::Current(book) = world.data().load_points().unwrap() else {
            panic!("no points file");
        };
        book.movies.iter().map(|(id, e)| (*id, e.points)).collect()
    };
    let run_as = |job: Option<&'static str>| {
        let mut ctx = world.context(settings.clone(), date!(2026 - 11 - 24));
        if let Some(job) = job {
            ctx.set_job(job);
        }
        async move { run(&mut ctx, &inception(), &Quiet).await.unwrap() }
    };
    run_as(Some("1764000000000-000")).await;
    let once = points();
    let matrix = once.iter().find(|(id, _)| *id == TmdbId(603)).unwrap().1;
    assert_eq!(matrix, 1, "{once:?}");

    // The same job again (a retry): counted once.
    let report = run_as(Some("1764000000000-000")).await;
    assert_eq!(points(), once);
    let step = report.step(StepKind::ImmaculateTaste).unwrap();
    assert!(
        step.notes.iter().any(|n| n.contains("earlier attempt")),
        "{step:#?}"
    );
    assert_eq!(step.counter("points_boosted"), 0, "{step:#?}");

    // Another job counts again, and so does a CLI run.
    run_as(Some("1764000000000-001")).await;
    let twice = points();
    assert_eq!(
        twice.iter().find(|(id, _)| *id == TmdbId(603)).unwrap().1,
        2
    );
    run_as(None).await;
    assert_eq!(
        points()
            .iter()
            .find(|(id, _)| *id == TmdbId(603))
            .unwrap()
            .1,
        3
    );
    // Both jobs are on record, in the points file itself.
    let text = std::fs::read_to_string(world.data().points_path()).unwrap();
    assert!(
        text.contains("1764000000000-000") && text.contains("1764000000000-001"),
        "{text}"
    );
}
