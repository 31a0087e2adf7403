//! curator's collections as rows of Plex's Home and Recommended tab,
//! against the fake Plex (whose hub lists follow python-plexapi's
//! `ManagedHub` and its tests against a real server): pinned where
//! `rows.<key>` says, ours at the top in `rows.order`, read first and
//! written only where something differs, and a refusal without Plex Pass
//! reported once.

use std::collections::BTreeMap;
use std::sync::Arc;

use curator_core::{
    CollectionMovie, CollectionState, DataDir, EntryStatus, PointsBook, PointsEntry, Quiet,
    RowArtwork, RowKey, RowsSettings, RunContext, RunReport, RunRequest, SeedRecord, Services,
    Settings, SmallCollection, StepKind, StepToggles, run,
};
use curator_http::TmdbId;
use plex_client::fake::{FakeMovie, FakePlex, PlexSeed};
use plex_client::{HubVisibility, Image, ImageSlot, ManagedHub, SectionKey, ops};
use time::macros::{date, datetime};

const RW: &str = "Based on your recently watched movie";
const COT: &str = "Change of Taste";
const IT: &str = "Inspired by your Immaculate Taste";

fn movies() -> SectionKey {
    SectionKey::from("1")
}

const FILMS: [(&str, u16, u32); 6] = [
    ("Heat", 1995, 949),
    ("Alien", 1979, 348),
    ("Arrival", 2016, 329_865),
    ("Zodiac", 2007, 1949),
    ("Paddington 2", 2017, 346_648),
    ("Amélie", 2001, 194),
];

async fn plex() -> FakePlex {
    let mut seed = PlexSeed::new().movie_section("1", "Movies");
    for (title, year, tmdb) in FILMS {
        seed = seed.movie("1", FakeMovie::new(title, year).tmdb(tmdb));
    }
    FakePlex::start(seed).await
}

/// What the three collections should hold: two films each.
fn data(plex: &FakePlex) -> (tempfile::TempDir, DataDir) {
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::new(dir.path());
    let entry = |i: usize| {
        let (title, year, tmdb) = FILMS[i];
        (TmdbId(tmdb), plex.movie_key(title).unwrap(), title, year)
    };
    for (which, picks) in [
        (SmallCollection::RecentlyWatched, [0, 1]),
        (SmallCollection::ChangeOfTaste, [2, 3]),
    ] {
        let state = CollectionState {
            seed: Some(SeedRecord {
                title: "Inception".into(),
                year: Some(2010),
                tmdb_id: Some(TmdbId(27205)),
            }),
            updated_at: Some(datetime!(2026-12-05 21:30 UTC)),
            movies: picks
                .iter()
                .map(|i| {
                    let (tmdb_id, key, title, year) = entry(*i);
                    CollectionMovie {
                        tmdb_id,
                        rating_key: key.0,
                        title: title.into(),
                        year: Some(i32::from(year)),
                    }
                })
                .collect(),
        };
        data.save_collection(which, &state).unwrap();
    }
    let mut book = PointsBook::default();
    for i in [4, 5] {
        let (tmdb_id, key, title, year) = entry(i);
        book.movies.insert(
            tmdb_id,
            PointsEntry {
                title: title.into(),
                year: Some(i32::from(year)),
                rating_key: Some(key.0),
                points: 10,
                status: EntryStatus::Active,
                first_suggested: date!(2026 - 01 - 01),
                last_suggested: date!(2026 - 11 - 01),
            },
        );
    }
    data.save_points(&book).unwrap();
    (dir, data)
}

fn context(plex: &FakePlex, data: &DataDir, rows: RowsSettings) -> RunContext {
    let mut settings = Settings {
        steps: StepToggles::only(&[
            StepKind::RecentlyWatchedRefresher,
            StepKind::ImmaculateTasteRefresher,
        ]),
        rows,
        ..Settings::default()
    };
    settings.refresh.seed = Some(7);
    let services = Services {
        plex: Some(Arc::new(plex.client().unwrap())),
        ..Services::default()
    };
    RunContext::new(services, settings, data.clone(), date!(2026 - 12 - 07))
}

async fn run_once(plex: &FakePlex, data: &DataDir, rows: RowsSettings) -> RunReport {
    let mut ctx = context(plex, data, rows);
    let report = run(&mut ctx, &RunRequest::default(), &Quiet).await.unwrap();
    for step in &report.steps {
        assert!(!step.failed(), "{step:#?}");
        assert!(step.failures.is_empty(), "{step:#?}");
    }
    report
}

/// The titles of the hubs, collection hubs by their collection's title.
fn titles(hubs: &[ManagedHub]) -> Vec<String> {
    hubs.iter().map(|h| h.title.clone()).collect()
}

fn hub<'a>(hubs: &'a [ManagedHub], title: &str) -> &'a ManagedHub {
    hubs.iter().find(|h| h.title == title).expect(title)
}

fn hub_writes(plex: &FakePlex) -> u64 {
    let stats = plex.stats();
    stats.count(ops::PROMOTE_HUB) + stats.count(ops::UPDATE_HUB) + stats.count(ops::MOVE_HUB)
}

fn total(report: &RunReport, counter: &str) -> u64 {
    report.steps.iter().map(|s| s.counter(counter)).sum()
}

#[tokio::test]
async fn a_first_run_pins_and_orders_the_rows_and_a_second_sends_no_hub_write() {
    let plex = plex().await;
    let (_dir, data) = data(&plex);
    let built_in = plex.hubs(&movies());
    assert!(built_in.iter().all(ManagedHub::is_built_in));

    let report = run_once(&plex, &data, RowsSettings::default()).await;

    let hubs = plex.hubs(&movies());
    // Ours on top in the default order, Plex's own after, in their order.
    assert_eq!(titles(&hubs)[..3], [RW, COT, IT]);
    assert_eq!(titles(&hubs)[3..], titles(&built_in)[..]);
    for title in [RW, COT, IT] {
        assert_eq!(
            hub(&hubs, title).visibility,
            RowsSettings::DEFAULT_VISIBILITY
        );
    }
    assert_eq!(total(&report, "rows_pinned"), 3);
    assert_eq!(plex.stats().count(ops::PROMOTE_HUB), 3);
    // Each appended new hub is moved to its place: three moves in all.
    assert_eq!(plex.stats().count(ops::MOVE_HUB), 3);
    let state = data.load_rows().unwrap();
    assert!(!state.plex_pass_refused);
    let places: Vec<(RowKey, Option<usize>)> =
        state.pins.iter().map(|p| (p.row, p.position)).collect();
    assert_eq!(
        places,
        [
            (RowKey::RecentlyWatched, Some(1)),
            (RowKey::ChangeOfTaste, Some(2)),
            (RowKey::ImmaculateTaste, Some(3)),
        ]
    );

    plex.stats().reset();
    let report = run_once(&plex, &data, RowsSettings::default()).await;
    assert_eq!(hub_writes(&plex), 0, "{:#?}", plex.stats().snapshot());
    assert_eq!(
        total(&report, "rows_pinned") + total(&report, "rows_moved"),
        0
    );
    // One hub read per refresher, nothing else about rows.
    assert_eq!(plex.stats().count(ops::MANAGED_HUBS), 2);
    assert_eq!(titles(&plex.hubs(&movies()))[..3], [RW, COT, IT]);
}

#[tokio::test]
async fn a_row_moved_by_hand_is_put_back_unless_the_order_is_keep() {
    let plex = plex().await;
    let (_dir, data) = data(&plex);
    run_once(&plex, &data, RowsSettings::default()).await;
    let ids = |title: &str| hub(&plex.hubs(&movies()), title).identifier.clone();
    // Someone drags "Change of Taste" below Recently Added in Plex Web.
    assert!(plex.move_hub(&movies(), &ids(COT), Some("movie.recentlyadded")));

    let keep = RowsSettings {
        order: None,
        ..RowsSettings::default()
    };
    plex.stats().reset();
    run_once(&plex, &data, keep).await;
    assert_eq!(hub_writes(&plex), 0);
    let hubs = plex.hubs(&movies());
    let at = |title: &str| titles(&hubs).iter().position(|t| t == title).unwrap();
    assert!(at(COT) > at("Recently Added Movies"), "{:?}", titles(&hubs));

    plex.stats().reset();
    let report = run_once(&plex, &data, RowsSettings::default()).await;
    assert_eq!(titles(&plex.hubs(&movies()))[..3], [RW, COT, IT]);
    // Only the moved row goes back: one move, no pin.
    assert_eq!(plex.stats().count(ops::MOVE_HUB), 1);
    assert_eq!(plex.stats().count(ops::PROMOTE_HUB), 0);
    assert_eq!(total(&report, "rows_moved"), 1);
}

#[tokio::test]
async fn a_configured_order_and_visibility_are_applied_and_changes_use_put() {
    let plex = plex().await;
    let (_dir, data) = data(&plex);
    run_once(&plex, &data, RowsSettings::default()).await;
    let shared = HubVisibility {
        shared_home: true,
        ..RowsSettings::DEFAULT_VISIBILITY
    };
    let rows = RowsSettings {
        visibility: BTreeMap::from([
            (RowKey::ImmaculateTaste, shared),
            (RowKey::ChangeOfTaste, HubVisibility::default()),
        ]),
        order: Some(vec![RowKey::ImmaculateTaste, RowKey::RecentlyWatched]),
        ..RowsSettings::default()
    };
    plex.stats().reset();
    let report = run_once(&plex, &data, rows.clone()).await;
    let hubs = plex.hubs(&movies());
    assert_eq!(titles(&hubs)[..2], [IT, RW]);
    assert_eq!(hub(&hubs, IT).visibility, shared);
    // Hidden, still listed (as on a real server), no longer at the top.
    assert!(hub(&hubs, COT).visibility.is_hidden());
    assert_eq!(plex.stats().count(ops::UPDATE_HUB), 2);
    assert_eq!(plex.stats().count(ops::PROMOTE_HUB), 0);
    assert_eq!(total(&report, "rows_changed"), 2);

    plex.stats().reset();
    run_once(&plex, &data, rows).await;
    assert_eq!(hub_writes(&plex), 0);
}

#[tokio::test]
async fn a_collection_deleted_in_plex_is_created_and_pinned_again_in_the_same_run() {
    let plex = plex().await;
    let (_dir, data) = data(&plex);
    run_once(&plex, &data, RowsSettings::default()).await;
    let old = plex.collection_key(IT).unwrap();
    let client = plex.client().unwrap();
    plex_client::PlexApi::delete_collection(&client, &old)
        .await
        .unwrap();
    assert!(plex.hubs(&movies()).iter().all(|h| h.title != IT));

    plex.stats().reset();
    let report = run_once(&plex, &data, RowsSettings::default()).await;
    let new = plex.collection_key(IT).unwrap();
    assert_ne!(new, old);
    let hubs = plex.hubs(&movies());
    assert_eq!(titles(&hubs)[..3], [RW, COT, IT]);
    assert_eq!(hub(&hubs, IT).collection(), Some(new));
    assert_eq!(plex.stats().count(ops::PROMOTE_HUB), 1);
    assert_eq!(total(&report, "rows_pinned"), 1);
}

#[tokio::test]
async fn a_dry_run_shows_the_planned_hub_changes_and_makes_none() {
    let plex = plex().await;
    let (_dir, data) = data(&plex);
    // The collections exist, the rows do not yet.
    let mut ctx = context(&plex, &data, RowsSettings::default());
    ctx.settings.rows.visibility = RowKey::ALL
        .into_iter()
        .map(|k| (k, HubVisibility::default()))
        .collect();
    run(&mut ctx, &RunRequest::default(), &Quiet).await.unwrap();
    assert!(plex.hubs(&movies()).iter().all(ManagedHub::is_built_in));
    let before = plex.hubs(&movies());
    let rows_file = data.load_rows().unwrap();

    plex.stats().reset();
    let mut ctx = context(&plex, &data, RowsSettings::default());
    ctx.settings.dry_run = true;
    let report = run(&mut ctx, &RunRequest::default(), &Quiet).await.unwrap();
    assert_eq!(hub_writes(&plex), 0);
    assert_eq!(plex.hubs(&movies()), before);
    assert_eq!(
        data.load_rows().unwrap(),
        rows_file,
        "the rows file is left alone"
    );
    let planned: Vec<String> = report
        .steps
        .iter()
        .flat_map(|s| s.planned.clone())
        .collect();
    for title in [RW, COT, IT] {
        assert!(
            planned.contains(&format!("rows: pin {title:?} (Recommended, Home)")),
            "{planned:#?}"
        );
    }
    assert!(
        planned.contains(&format!("rows: move {RW:?} to the top")),
        "{planned:#?}"
    );
    assert!(
        planned.contains(&format!("rows: move {COT:?} below {RW:?}")),
        "{planned:#?}"
    );
}

#[tokio::test]
async fn without_plex_pass_the_refusal_is_reported_once_and_the_collections_are_kept() {
    for status in [401, 403] {
        let plex = plex().await;
        let (_dir, data) = data(&plex);
        plex.set_hub_refusal(Some(status));
        let report = run_once(&plex, &data, RowsSettings::default()).await;
        let notes: Vec<&String> = report
            .steps
            .iter()
            .flat_map(|s| &s.notes)
            .filter(|n| n.contains("Plex Pass"))
            .collect();
        assert_eq!(notes.len(), 1, "{status}: {notes:#?}");
        assert!(
            notes[0].contains("rows.<collection>.visible_library"),
            "{}",
            notes[0]
        );
        assert!(notes[0].contains(&status.to_string()), "{}", notes[0]);
        // Asked once, not again by the second refresher; nothing written.
        assert_eq!(plex.stats().count(ops::MANAGED_HUBS), 1);
        assert_eq!(hub_writes(&plex), 0);
        for title in [RW, COT, IT] {
            assert_eq!(plex.collection_titles(title).len(), 2, "{title}");
        }
        assert!(data.load_rows().unwrap().plex_pass_refused);
    }
}

fn with_artwork() -> RowsSettings {
    let png = |tag: &str| Image::Bytes(format!("\u{89}PNG poster {tag}").into_bytes());
    RowsSettings {
        artwork: BTreeMap::from([
            (
                RowKey::RecentlyWatched,
                RowArtwork {
                    poster: Some(png("rw")),
                    ..RowArtwork::default()
                },
            ),
            (
                RowKey::ChangeOfTaste,
                RowArtwork {
                    poster: Some(png("cot")),
                    background: Some(Image::Url("https://img.example/cot-bg.jpg".into())),
                    summary: Some("Not {seed} at all".into()),
                },
            ),
            (
                RowKey::ImmaculateTaste,
                RowArtwork {
                    poster: Some(png("it")),
                    ..RowArtwork::default()
                },
            ),
        ]),
        ..RowsSettings::default()
    }
}

fn uploads(plex: &FakePlex) -> u64 {
    plex.stats().count(ops::UPLOAD_POSTER) + plex.stats().count(ops::UPLOAD_ART)
}

#[tokio::test]
async fn artwork_and_summaries_are_sent_once_and_again_only_when_they_change() {
    let plex = plex().await;
    let (_dir, data) = data(&plex);
    let report = run_once(&plex, &data, with_artwork()).await;
    let key = |title: &str| plex.collection_key(title).unwrap();
    assert_eq!(uploads(&plex), 4, "{:#?}", plex.stats().snapshot());
    assert_eq!(total(&report, "artwork_uploaded"), 4);
    assert_eq!(
        plex.poster(&key(IT)),
        Some("\u{89}PNG poster it".as_bytes().to_vec())
    );
    assert_eq!(
        plex.image(&key(COT), ImageSlot::Background),
        Some(Image::Url("https://img.example/cot-bg.jpg".into()))
    );
    // The default summary says what the collection is, seed and day filled in.
    assert_eq!(
        plex.collection_summary(&key(RW)),
        "Films like Inception, picked when you finished it on 5 December 2026."
    );
    assert_eq!(plex.collection_summary(&key(COT)), "Not Inception at all");
    assert!(
        plex.collection_summary(&key(IT))
            .starts_with("Films picked for your taste")
    );
    assert_eq!(plex.stats().count(ops::SET_COLLECTION_SUMMARY), 3);

    // Nothing changed: no upload, no summary, no hub write.
    plex.stats().reset();
    run_once(&plex, &data, with_artwork()).await;
    assert_eq!(uploads(&plex), 0, "{:#?}", plex.stats().snapshot());
    assert_eq!(plex.stats().count(ops::SET_COLLECTION_SUMMARY), 0);
    assert_eq!(hub_writes(&plex), 0);

    // A new poster for one collection: that one upload only.
    let mut changed = with_artwork();
    changed
        .artwork
        .get_mut(&RowKey::RecentlyWatched)
        .unwrap()
        .poster = Some(Image::Bytes(b"\xff\xd8\xff new".to_vec()));
    plex.stats().reset();
    run_once(&plex, &data, changed.clone()).await;
    assert_eq!(plex.stats().count(ops::UPLOAD_POSTER), 1);
    assert_eq!(plex.poster(&key(RW)), Some(b"\xff\xd8\xff new".to_vec()));

    // A collection deleted in Plex comes back with its poster and summary.
    let client = plex.client().unwrap();
    plex_client::PlexApi::delete_collection(&client, &key(IT))
        .await
        .unwrap();
    plex.stats().reset();
    run_once(&plex, &data, changed).await;
    assert_eq!(plex.stats().count(ops::UPLOAD_POSTER), 1);
    assert_eq!(
        plex.poster(&key(IT)),
        Some("\u{89}PNG poster it".as_bytes().to_vec())
    );
    assert!(
        plex.collection_summary(&key(IT))
            .starts_with("Films picked")
    );
    // Only the collections that exist keep a hash.
    let state = data.load_rows().unwrap();
    assert_eq!(state.artwork.len(), 3);
    assert!(state.artwork.contains_key(key(IT).as_str()));
}

#[tokio::test]
async fn without_plex_pass_artwork_and_summaries_still_go_and_a_dry_run_lists_them() {
    let plex = plex().await;
    let (_dir, data) = data(&plex);
    // Collections first, without rows or artwork.
    run_once(
        &plex,
        &data,
        RowsSettings {
            artwork: BTreeMap::new(),
            ..RowsSettings::default()
        },
    )
    .await;
    plex.stats().reset();

    let mut ctx = context(&plex, &data, with_artwork());
    ctx.settings.dry_run = true;
    let report = run(&mut ctx, &RunRequest::default(), &Quiet).await.unwrap();
    assert_eq!(uploads(&plex), 0);
    assert_eq!(plex.stats().count(ops::SET_COLLECTION_SUMMARY), 0);
    let planned: Vec<String> = report
        .steps
        .iter()
        .flat_map(|s| s.planned.clone())
        .collect();
    assert!(
        planned.contains(&format!("rows: upload the poster of {IT:?}")),
        "{planned:#?}"
    );
    assert!(
        planned.contains(&format!("rows: upload the background of {COT:?}")),
        "{planned:#?}"
    );
    assert!(
        planned.contains(&format!("rows: set the summary of {COT:?}")),
        "{planned:#?}"
    );

    plex.set_hub_refusal(Some(403));
    run_once(&plex, &data, with_artwork()).await;
    assert_eq!(uploads(&plex), 4);
    assert_eq!(plex.stats().count(ops::SET_COLLECTION_SUMMARY), 1);
    assert_eq!(hub_writes(&plex), 0);
}

#[tokio::test]
async fn remove_unpins_and_deletes_only_curators_collections() {
    let plex = plex().await;
    let (_dir, data) = data(&plex);
    run_once(&plex, &data, with_artwork()).await;
    // The user's own collection, pinned by hand, with the same movies.
    let client = plex.client().unwrap();
    let mine = plex_client::PlexApi::create_collection_with_items(
        &client,
        &movies(),
        "Friday Night",
        &[plex.movie_key("Heat").unwrap()],
    )
    .await
    .unwrap();
    plex_client::PlexApi::promote_collection_hub(
        &client,
        &movies(),
        &mine.rating_key,
        RowsSettings::DEFAULT_VISIBILITY,
    )
    .await
    .unwrap();

    let mut ctx = context(&plex, &data, RowsSettings::default());
    ctx.settings.dry_run = true;
    plex.stats().reset();
    let planned = curator_core::remove_collections(&ctx, curator_core::MediaKind::Movie).await;
    assert!(planned.deleted.is_empty() && planned.unpinned.is_empty());
    assert!(
        planned.planned.contains(&format!("unpin {IT:?}")),
        "{planned:#?}"
    );
    assert!(
        planned.planned.contains(&format!(
            "delete the collection {RW:?} (2 items; the items stay)"
        )),
        "{planned:#?}"
    );
    assert_eq!(planned.planned.len(), 6);
    assert_eq!(plex.stats().count(ops::DELETE_COLLECTION), 0);
    assert_eq!(plex.stats().count(ops::REMOVE_HUB), 0);

    let ctx = context(&plex, &data, RowsSettings::default());
    let report = curator_core::remove_collections(&ctx, curator_core::MediaKind::Movie).await;
    assert!(report.failures.is_empty(), "{report:#?}");
    assert_eq!(report.deleted, [RW, COT, IT]);
    assert_eq!(report.unpinned, [RW, COT, IT]);
    for title in [RW, COT, IT] {
        assert_eq!(plex.collection_key(title), None, "{title}");
    }
    // The user's collection and its row stay; so do the movies.
    assert_eq!(plex.collection_titles("Friday Night"), ["Heat"]);
    let hubs = plex.hubs(&movies());
    assert_eq!(hubs.iter().filter(|h| !h.is_built_in()).count(), 1);
    assert_eq!(plex.movies(&movies()).len(), FILMS.len());
    let state = data.load_rows().unwrap();
    assert!(
        state.pins.is_empty() && state.artwork.is_empty(),
        "{state:#?}"
    );

    // Again: nothing left to remove; TV not configured says so.
    let again = curator_core::remove_collections(&ctx, curator_core::MediaKind::Movie).await;
    assert!(again.deleted.is_empty() && again.failures.is_empty());
    assert_eq!(again.notes.len(), 1, "{again:#?}");
    let tv = curator_core::remove_collections(&ctx, curator_core::MediaKind::Show).await;
    assert!(tv.notes[0].contains("TV is not configured"), "{tv:#?}");
}

/// TV collections are rows of the TV library: pinned and ordered there,
/// with their own default summaries, leaving the movie rows alone.
#[tokio::test]
async fn the_tv_collections_are_pinned_in_the_tv_library() {
    use curator_core::{MediaKind, TvSettings};
    let plex = FakePlex::start(
        PlexSeed::new()
            .movie_section("1", "Movies")
            .movie("1", FakeMovie::new("Heat", 1995).tmdb(949))
            .show_section("2", "TV Shows")
            .sample_shows("2"),
    )
    .await;
    let tv = SectionKey::from("2");
    // Shows a current agent matched (a TMDb id), as the TV refreshers key them.
    let shows: Vec<_> = plex
        .shows(&tv)
        .into_iter()
        .filter(|s| s.tmdb_id.is_some())
        .collect();
    assert!(shows.len() >= 3, "{shows:#?}");
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::new(dir.path());
    let record = |i: usize| {
        let show = &shows[i];
        CollectionMovie {
            tmdb_id: show.tmdb_id.unwrap(),
            rating_key: show.rating_key.0.clone(),
            title: show.title.clone(),
            year: show.year.map(i32::from),
        }
    };
    for (which, picks) in [
        (SmallCollection::TvRecentlyWatched, [0, 1]),
        (SmallCollection::TvChangeOfTaste, [2, 1]),
    ] {
        let state = CollectionState {
            seed: Some(SeedRecord {
                title: "Severance".into(),
                year: Some(2022),
                tmdb_id: None,
            }),
            updated_at: Some(datetime!(2026-12-06 20:00 UTC)),
            movies: picks.iter().map(|i| record(*i)).collect(),
        };
        data.save_collection(which, &state).unwrap();
    }
    let mut book = PointsBook::default();
    let entry = record(2);
    book.movies.insert(
        entry.tmdb_id,
        PointsEntry {
            title: entry.title,
            year: entry.year,
            rating_key: Some(entry.rating_key),
            points: 5,
            status: EntryStatus::Active,
            first_suggested: date!(2026 - 01 - 01),
            last_suggested: date!(2026 - 11 - 01),
        },
    );
    data.save_points_of(MediaKind::Show, &book).unwrap();
    // A movie row seen by an earlier movie refresh stays in rows.json.
    let movie_pin = curator_core::PinnedRow {
        row: RowKey::RecentlyWatched,
        title: RW.into(),
        rating_key: "77".into(),
        visibility: RowsSettings::DEFAULT_VISIBILITY,
        position: Some(1),
    };
    data.save_rows(&curator_core::RowsState {
        pins: vec![movie_pin.clone()],
        ..curator_core::RowsState::default()
    })
    .unwrap();

    let mut ctx = context(&plex, &data, RowsSettings::default());
    ctx.settings.tv = Some(TvSettings::default());
    ctx.settings.steps = StepToggles::only(&[
        StepKind::TvRecentlyWatchedRefresher,
        StepKind::TvImmaculateTasteRefresher,
    ]);
    let report = run(&mut ctx, &RunRequest::default(), &Quiet).await.unwrap();
    for step in &report.steps {
        assert!(!step.failed() && step.failures.is_empty(), "{step:#?}");
    }
    let names = curator_core::CollectionNames::tv();
    let hubs = plex.hubs(&tv);
    assert_eq!(
        titles(&hubs)[..3],
        [
            names.recently_watched.as_str(),
            names.change_of_taste.as_str(),
            names.immaculate_taste.as_str()
        ]
    );
    assert!(hubs[3..].iter().all(ManagedHub::is_built_in));
    assert!(plex.hubs(&movies()).iter().all(ManagedHub::is_built_in));
    let rw = plex.collection_key(&names.recently_watched).unwrap();
    assert_eq!(
        plex.collection_summary(&rw),
        "Shows like Severance, picked when you watched it on 6 December 2026."
    );
    let pins: Vec<RowKey> = data
        .load_rows()
        .unwrap()
        .pins
        .iter()
        .map(|p| p.row)
        .collect();
    assert_eq!(
        pins,
        [
            RowKey::RecentlyWatched,
            RowKey::TvRecentlyWatched,
            RowKey::TvChangeOfTaste,
            RowKey::TvImmaculateTaste
        ]
    );
    assert_eq!(data.load_rows().unwrap().pins[0], movie_pin);

    // Again, nothing changed: no hub write, the pins as they were.
    plex.stats().reset();
    let mut ctx = context(&plex, &data, RowsSettings::default());
    ctx.settings.tv = Some(TvSettings::default());
    ctx.settings.steps = StepToggles::only(&[StepKind::TvRecentlyWatchedRefresher]);
    run(&mut ctx, &RunRequest::default(), &Quiet).await.unwrap();
    assert_eq!(hub_writes(&plex), 0, "{:#?}", plex.stats().snapshot());
    assert_eq!(data.load_rows().unwrap().pins.len(), 4);
}
