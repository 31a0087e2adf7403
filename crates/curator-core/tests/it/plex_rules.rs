//! The refreshers against the fake Plex: collection rules real servers
//! have (smart collections, never an empty collection in between).

use std::sync::Arc;

use curator_core::{
    DataDir, EntryStatus, PointsBook, PointsEntry, Quiet, RunContext, RunReport, RunRequest,
    Services, Settings, StepKind, StepStatus, StepToggles, run,
};
use curator_http::TmdbId;
use plex_client::fake::{FakeCollection, FakeMovie, FakePlex, PlexSeed};
use plex_client::{CollectionSort, ops};
use time::macros::date;

const BIG: &str = "Inspired by your Immaculate Taste";

fn library(collection: FakeCollection) -> PlexSeed {
    PlexSeed::new()
        .movie_section("1", "Movies")
        .movie("1", FakeMovie::new("Heat", 1995).tmdb(949))
        .movie("1", FakeMovie::new("Alien", 1979).tmdb(348))
        .movie("1", FakeMovie::new("Zodiac", 2007).tmdb(1949))
        .movie("1", FakeMovie::new("Arrival", 2016).tmdb(329_865))
        .collection("1", collection)
}

/// Runs the big refresher with Zodiac and Arrival as the active entries.
async fn refresh(plex: &FakePlex) -> RunReport {
    let dir = tempfile::tempdir().unwrap();
    let mut book = PointsBook::default();
    for (tmdb, title) in [(1949, "Zodiac"), (329_865, "Arrival")] {
        book.movies.insert(
            TmdbId(tmdb),
            PointsEntry {
                title: title.into(),
                year: None,
                rating_key: None,
                points: 10,
                status: EntryStatus::Active,
                first_suggested: date!(2026 - 11 - 01),
                last_suggested: date!(2026 - 11 - 01),
            },
        );
    }
    DataDir::new(dir.path()).save_points(&book).unwrap();
    let settings = Settings {
        steps: StepToggles::only(&[StepKind::ImmaculateTasteRefresher]),
        ..Settings::default()
    };
    let services = Services {
        plex: Some(Arc::new(plex.client().unwrap())),
        ..Services::default()
    };
    let mut ctx = RunContext::new(
        services,
        settings,
        DataDir::new(dir.path()),
        date!(2026 - 11 - 24),
    );
    run(&mut ctx, &RunRequest::default(), &Quiet).await.unwrap()
}

#[tokio::test]
async fn a_full_replacement_never_leaves_the_collection_empty() {
    let plex = FakePlex::start(library(
        FakeCollection::new(BIG)
            .items_by_title(["Heat", "Alien"])
            .sort(CollectionSort::Custom),
    ))
    .await;
    let report = refresh(&plex).await;
    let step = report.step(StepKind::ImmaculateTasteRefresher).unwrap();
    assert_eq!(step.status, StepStatus::Done, "{step:#?}");
    let id = plex.collection_key(BIG).unwrap();
    let mut titles = plex.collection_titles(BIG);
    titles.sort();
    assert_eq!(titles, ["Arrival", "Zodiac"]);
    assert!(
        !plex.was_emptied(&id),
        "the collection was empty in between"
    );
}

#[tokio::test]
async fn a_smart_collection_is_never_modified() {
    let plex = FakePlex::start(library(
        FakeCollection::new(BIG).items_by_title(["Heat"]).smart(),
    ))
    .await;
    let report = refresh(&plex).await;
    let step = report.step(StepKind::ImmaculateTasteRefresher).unwrap();
    match &step.status {
        StepStatus::Failed(message) => {
            assert!(message.contains(BIG), "{message}");
            assert!(message.contains("smart collection"), "{message}");
        }
        other => panic!("expected a failure, got {other:?}"),
    }
    for op in [
        ops::ADD_ITEMS,
        ops::REMOVE_ITEM,
        ops::MOVE_ITEM,
        ops::SET_COLLECTION_SORT,
    ] {
        assert_eq!(plex.stats().count(op), 0, "{op}");
    }
}

#[tokio::test]
async fn a_recorded_key_of_another_section_is_not_added() {
    // The points book remembers Zodiac under a key that now belongs to a
    // movie of another section (a library rebuilt, keys handed out again).
    let plex = FakePlex::start(
        library(FakeCollection::new(BIG).items_by_title(["Heat"]))
            .movie_section("2", "Kids")
            .movie(
                "2",
                FakeMovie::new("Zodiac", 2007).tmdb(1949).rating_key("7000"),
            ),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let mut book = PointsBook::default();
    book.movies.insert(
        TmdbId(1949),
        PointsEntry {
            title: "Zodiac".into(),
            year: Some(2007),
            rating_key: Some("7000".into()),
            points: 10,
            status: EntryStatus::Active,
            first_suggested: date!(2026 - 11 - 01),
            last_suggested: date!(2026 - 11 - 01),
        },
    );
    DataDir::new(dir.path()).save_points(&book).unwrap();
    let settings = Settings {
        steps: StepToggles::only(&[StepKind::ImmaculateTasteRefresher]),
        ..Settings::default()
    };
    let services = Services {
        plex: Some(Arc::new(plex.client().unwrap())),
        ..Services::default()
    };
    let mut ctx = RunContext::new(
        services,
        settings,
        DataDir::new(dir.path()),
        date!(2026 - 11 - 24),
    );
    let report = run(&mut ctx, &RunRequest::default(), &Quiet).await.unwrap();
    let step = report.step(StepKind::ImmaculateTasteRefresher).unwrap();
    assert!(!step.failed(), "{step:#?}");
    let members = plex.collection_items(&plex.collection_key(BIG).unwrap());
    assert!(!members.contains(&"7000".into()), "{members:?}");
    // This section's Zodiac is found instead.
    assert_eq!(plex.collection_titles(BIG), ["Zodiac"]);
}
