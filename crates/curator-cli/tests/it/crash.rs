//! Crash consistency and concurrency, with the real binary: `kill -9` at
//! points spread over a run, then a normal run; and ten runs at once on one
//! data directory.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use llm_recs::{Suggestion, SuggestionKind};
use tmdb_client::fake::FakeMovie;

use crate::support::{World, points_ids};

/// Kill points spread over a run.
const KILL_POINTS: u32 = 22;

/// Every state file in the data directory parses as JSON.
#[track_caller]
fn assert_state_parses(world: &World, context: &str) {
    let Ok(entries) = std::fs::read_dir(world.data_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        serde_json::from_str::<serde_json::Value>(&text)
            .unwrap_or_else(|e| panic!("{context}: {} does not parse: {e}", path.display()));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_anywhere_in_a_run_loses_nothing_and_leaves_no_lock() {
    let world = World::start().await;
    // A little latency on every Plex answer spreads the run's writes over
    // time, so the kill points land between and during them.
    world.plex.set_latency(Duration::from_millis(4));
    let started = Instant::now();
    world
        .curator(&["run", "Inception", "movie"])
        .await
        .assert_code(0);
    let whole = started.elapsed();
    let completed: BTreeSet<u64> = points_ids(&world.data_dir()).into_iter().collect();
    assert!(!completed.is_empty());
    let mut book = completed.clone();

    for point in 1..=KILL_POINTS {
        let at = whole * point / (KILL_POINTS + 1);
        let mut child = world.spawn_curator(&["run", "Heat", "movie", "--year", "1995"]);
        tokio::time::sleep(at).await;
        // SIGKILL: no destructor, no unlock, no flush runs.
        let _ = child.start_kill();
        let _ = child.wait().await;
        let context = format!("kill point {point} at {at:?} of {whole:?}");
        assert_state_parses(&world, &context);

        // The next run starts at once (no stuck lock), completes, and every
        // movie a completed run put in the book is still there.
        let run = world
            .curator(&["run", "Heat", "movie", "--year", "1995"])
            .await;
        run.assert_code(0);
        assert!(
            !run.stdout.contains("another curator run"),
            "{context}: waited for a lock\n{}",
            run.all()
        );
        assert_state_parses(&world, &context);
        let now: BTreeSet<u64> = points_ids(&world.data_dir()).into_iter().collect();
        assert!(
            book.is_subset(&now),
            "{context}: lost {:?}",
            book.difference(&now).collect::<Vec<_>>()
        );
        book = now;
    }
}

/// Ten runs at once on one data directory, each for its own movie with a
/// suggestion of its own: all complete, and every suggestion is in the
/// points book (the lock serialises the read-modify-write of the book).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_runs_at_once_all_complete_with_no_lost_update() {
    let world = World::start().await;
    let picks = [
        ("Memento", 2000, 77),
        ("Arrival", 2016, 329_865),
        ("Blade Runner 2049", 2017, 335_984),
        ("Ex Machina", 2015, 264_660),
        ("Gravity", 2013, 49047),
        ("Mad Max: Fury Road", 2015, 76341),
        ("The Shawshank Redemption", 1994, 278),
        ("The Godfather", 1972, 238),
        ("Parasite", 2019, 496_243),
        ("Oldboy", 2003, 670),
    ];
    for (i, (title, year, _)) in picks.iter().enumerate() {
        let seed = format!("Seed Film {i}");
        // A film TMDb knows: a run for an unknown title changes nothing.
        world
            .tmdb
            .add_movie(FakeMovie::new(9_000_000 + i as u32, &seed, 2000 + i as i32));
        world.llm.script(
            &seed,
            SuggestionKind::Similar,
            vec![Suggestion::new(*title, Some(*year))],
        );
        world.llm.script(
            &seed,
            SuggestionKind::Contrast,
            vec![Suggestion::new("Amélie", Some(2001))],
        );
    }
    let seeds: Vec<String> = (0..picks.len()).map(|i| format!("Seed Film {i}")).collect();
    // All ten processes start before any is waited for.
    let children: Vec<_> = seeds
        .iter()
        .map(|seed| world.spawn_curator(&["run", seed.as_str(), "movie"]))
        .collect();
    for (seed, mut child) in seeds.iter().zip(children) {
        let status = tokio::time::timeout(Duration::from_secs(120), child.wait())
            .await
            .expect("the run finished")
            .expect("the run was waited for");
        assert_eq!(status.code(), Some(0), "{seed}");
    }
    let book: BTreeSet<u64> = points_ids(&world.data_dir()).into_iter().collect();
    for (title, _, id) in picks {
        assert!(book.contains(&id), "{title} ({id}) lost: {book:?}");
    }
    let radarr: BTreeSet<u32> = world.radarr_ids().into_iter().map(|id| id.0).collect();
    for (title, _, id) in picks {
        assert!(radarr.contains(&(id as u32)), "{title} not in Radarr");
    }
}
