//! Collection refresh cost against the fake Plex: requests, time, memory.
//!
//! `cargo bench -p curator-core --bench refresh` prints one line per
//! scenario. The fake answers with a small per-request latency and a move
//! latency that grows with the collection, as the real server does, so the
//! time column reflects round trips.

use std::sync::Arc;
use std::time::{Duration, Instant};

use curator_core::{
    DataDir, EntryStatus, OrderMode, PointsBook, PointsEntry, Quiet, RunContext, RunRequest,
    Services, Settings, StepKind, StepToggles, run,
};
use plex_client::fake::{FakeCollection, FakePlex, PlexSeed};
use plex_client::{CollectionSort, RatingKey, SectionKey, ops};
use time::macros::date;

const LIBRARY: usize = 1300;
const COLLECTION: usize = 1250;

#[tokio::main]
async fn main() {
    println!(
        "{:<44} {:>8} {:>6} {:>8} {:>10}",
        "scenario", "requests", "moves", "time ms", "peak RSS MB"
    );
    for (name, order, wanted) in [
        (
            "head refresh, 45 in / 5 out",
            OrderMode::Head { head_size: 50 },
            5..1295,
        ),
        (
            "head refresh, nothing changed",
            OrderMode::Head { head_size: 50 },
            0..COLLECTION,
        ),
        ("full shuffle of 1,250", OrderMode::Full, 0..COLLECTION),
        ("keep order, 45 in / 5 out", OrderMode::Keep, 5..1295),
    ] {
        let (plex, keys) = library().await;
        let dir = tempfile::tempdir().expect("temp dir");
        let data = DataDir::new(dir.path());
        data.save_points(&book(&plex, &keys[wanted]))
            .expect("points");
        plex.set_latency(Duration::from_millis(1));
        plex.set_move_latency(Duration::from_millis(1), Duration::from_micros(2));
        plex.stats().reset();
        let started = Instant::now();
        let mut ctx = context(&plex, &data, order);
        run(&mut ctx, &RunRequest::default(), &Quiet)
            .await
            .expect("run");
        let elapsed = started.elapsed();
        println!(
            "{:<44} {:>8} {:>6} {:>8} {:>10.1}",
            name,
            plex.stats().total(),
            plex.stats().count(ops::MOVE_ITEM),
            elapsed.as_millis(),
            peak_rss_mb()
        );
    }
    // What the tool curator replaces did for the first scenario: remove
    // every item, add them all back, move every item.
    let naive = COLLECTION + 1290usize.div_ceil(100) + 1290;
    println!(
        "{:<44} {:>8}",
        "for comparison: remove all, re-add, move all", naive
    );
}

async fn library() -> (FakePlex, Vec<RatingKey>) {
    let members: Vec<String> = (0..COLLECTION).map(|i| (1000 + i).to_string()).collect();
    let plex = FakePlex::start(
        PlexSeed::new()
            .movie_section("1", "Movies")
            .generated_movies("1", LIBRARY)
            .collection(
                "1",
                FakeCollection::new("Inspired by your Immaculate Taste")
                    .items(members)
                    .sort(CollectionSort::Custom),
            ),
    )
    .await;
    let keys = plex
        .movies(&SectionKey("1".into()))
        .into_iter()
        .map(|m| m.rating_key)
        .collect();
    (plex, keys)
}

fn book(plex: &FakePlex, keys: &[RatingKey]) -> PointsBook {
    let mut book = PointsBook::default();
    for (i, key) in keys.iter().enumerate() {
        let movie = plex.movie(key).expect("seeded movie");
        book.movies.insert(
            movie.tmdb_id.expect("generated movies have TMDb ids"),
            PointsEntry {
                title: movie.title,
                year: movie.year.map(i32::from),
                rating_key: Some(key.0.clone()),
                points: 1 + (i % 50) as u32,
                status: EntryStatus::Active,
                first_suggested: date!(2026 - 01 - 01),
                last_suggested: date!(2026 - 11 - 01),
            },
        );
    }
    book
}

fn context(plex: &FakePlex, data: &DataDir, order: OrderMode) -> RunContext {
    let mut settings = Settings {
        steps: StepToggles::only(&[StepKind::ImmaculateTasteRefresher]),
        ..Settings::default()
    };
    settings.refresh.immaculate_order = order;
    settings.refresh.seed = Some(7);
    let services = Services {
        plex: Some(Arc::new(plex.client().expect("client"))),
        ..Services::default()
    };
    RunContext::new(services, settings, data.clone(), date!(2026 - 11 - 24))
}

/// Peak resident memory of this process (Linux), in MB; 0 elsewhere.
fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}
