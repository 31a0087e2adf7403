//! `curator run`: the whole pipeline, dry runs, detaching, concurrency and
//! the errors that stop a run.

use std::time::{Duration, Instant};

use curator_http::TmdbId;
use llm_recs::fake::LlmFault;

use crate::support::{World, assert_no_secret, points_ids, snapshot};

const RECENT: &str = "Based on your recently watched movie";
const CONTRAST: &str = "Change of Taste";
const IMMACULATE: &str = "Inspired by your Immaculate Taste";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tautulli_run_fills_the_collections_and_a_dry_run_changes_nothing() {
    let world = World::start().await;
    let report = world.dir.path().join("report.json");
    // As Tautulli fills the arguments line: the year empty, the TMDb id
    // unknown, the rating key a literal placeholder.
    let run = world
        .curator(&[
            "-vv",
            "--log-format",
            "json",
            "--report",
            report.to_str().unwrap(),
            "run",
            "Inception (2010)",
            "movie",
            "--year",
            "",
            "--tmdb-id",
            "{themoviedb_id}",
            "--rating-key",
            "{rating_key}",
            "--user",
            "alice",
        ])
        .await;
    run.assert_code(0);
    assert!(run.stdout.contains("Inception (2010)"), "{}", run.all());
    assert!(run.stdout.contains("watched by alice"), "{}", run.all());
    assert!(
        run.stdout.contains("✓ Recently watched recommendations"),
        "{}",
        run.all()
    );
    assert!(
        run.stdout.contains("6 step(s) done, 0 skipped, 0 failed"),
        "{}",
        run.all()
    );
    assert_no_secret(&run.all());
    // Debug logs, one JSON object per line, and none of them shows a secret.
    let log_lines: Vec<&str> = run.stderr.lines().filter(|l| !l.is_empty()).collect();
    assert!(log_lines.len() > 10, "{}", run.all());
    for line in log_lines {
        serde_json::from_str::<serde_json::Value>(line).unwrap_or_else(|e| panic!("{e}: {line}"));
    }

    // Suggestions Plex has are in the collections (in some order); the one
    // it lacks went to Radarr, the invented one went nowhere.
    let mut recent = world.collection(RECENT);
    recent.sort();
    assert_eq!(recent, ["Interstellar", "The Matrix", "The Prestige"]);
    assert_eq!(world.collection(CONTRAST), ["Amélie"]);
    let mut immaculate = world.collection(IMMACULATE);
    immaculate.sort();
    assert_eq!(immaculate, ["Interstellar", "The Matrix", "The Prestige"]);
    assert_eq!(world.radarr_ids(), [TmdbId(13), TmdbId(577_922)]);
    assert!(run.stdout.contains("A Film Nobody Made"), "{}", run.all());
    let points = points_ids(&world.data_dir());
    for id in [157_336, 1124, 603, 577_922] {
        assert!(points.contains(&id), "{id} missing from {points:?}");
    }
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(report["seed"], "Inception (2010)");
    assert_eq!(report["steps"].as_array().unwrap().len(), 6);
    assert_eq!(report["steps"][0]["step"], "recently-watched");

    // A dry run for another movie reads everything and changes nothing:
    // not the state files, not Plex, not Radarr.
    let files_before = snapshot(&world.data_dir());
    let plex_before = (
        world.collection(RECENT),
        world.collection(CONTRAST),
        world.collection(IMMACULATE),
    );
    let radarr_before = world.radarr.movies();
    let run = world.curator(&["--dry-run", "run", "Heat", "movie"]).await;
    run.assert_code(0);
    assert!(run.stdout.contains("dry run"), "{}", run.all());
    assert!(run.stdout.contains("would"), "{}", run.all());
    assert_eq!(snapshot(&world.data_dir()), files_before);
    assert_eq!(
        (
            world.collection(RECENT),
            world.collection(CONTRAST),
            world.collection(IMMACULATE)
        ),
        plex_before
    );
    assert_eq!(world.radarr.movies(), radarr_before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_runs_at_once_both_complete_without_losing_points() {
    let world = World::start().await;
    let (a, b) = tokio::join!(
        world.curator(&["run", "Inception", "movie"]),
        world.curator(&["run", "Heat", "movie", "--year", "1995"]),
    );
    a.assert_code(0);
    b.assert_code(0);
    let points = points_ids(&world.data_dir());
    // Interstellar and Tenet came from Inception, Se7en and Fight Club from Heat.
    for id in [157_336, 577_922, 807, 550] {
        assert!(points.contains(&id), "{id} missing from {points:?}");
    }
}

/// Through the Tautulli wrapper, which adds `--detach`, with the config and
/// data directory given in the environment.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn detach_returns_at_once_and_the_background_run_completes() {
    let world = World::start().await;
    let started = Instant::now();
    let run = world
        .tautulli_wrapper(&[
            "Inception",
            "movie",
            "--year",
            "",
            "--tmdb-id",
            "27205",
            "--user",
            "{username}",
        ])
        .await;
    let took = started.elapsed();
    run.assert_code(0);
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert!(run.stdout.contains("in the background"), "{}", run.all());

    // Poll for the background run's result, up to a minute.
    let logs = world.data_dir().join("logs");
    let deadline = Instant::now() + Duration::from_secs(60);
    let log = loop {
        let finished = std::fs::read_dir(&logs)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
            .find(|text| text.contains("step(s) done"));
        if let Some(text) = finished {
            break text;
        }
        assert!(
            Instant::now() < deadline,
            "the background run did not finish"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(log.contains("0 failed"), "{log}");
    assert_no_secret(&log);
    assert!(points_ids(&world.data_dir()).contains(&157_336));
    assert!(
        world
            .collection(RECENT)
            .contains(&"Interstellar".to_owned())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_cannot_detach_and_writes_nothing() {
    let world = World::start().await;
    let run = world
        .curator(&["--dry-run", "run", "Inception", "movie", "--detach"])
        .await;
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("--dry-run prints its plan; run it without --detach"),
        "{}",
        run.all()
    );
    assert!(!world.data_dir().exists(), "{}", run.all());
    assert_eq!(world.llm.request_count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_state_file_stops_the_run_before_it_changes_anything() {
    let world = World::start().await;
    std::fs::create_dir_all(world.data_dir()).unwrap();
    let points = world.data_dir().join("recommendation_points.json");
    std::fs::write(&points, "{\"schema_version\": 1, \"movies\": [oops").unwrap();
    let run = world.curator(&["run", "Inception", "movie"]).await;
    run.assert_code(1);
    assert!(
        run.stderr.contains("recommendation_points.json"),
        "{}",
        run.all()
    );
    assert!(run.stderr.contains("damaged"), "{}", run.all());
    assert_eq!(
        std::fs::read_to_string(&points).unwrap(),
        "{\"schema_version\": 1, \"movies\": [oops"
    );
    assert!(world.collection(RECENT).is_empty());
    assert!(world.radarr.movies().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_config_names_the_key_and_line_and_sends_nothing() {
    let world = World::start().await;
    let text = world
        .config_text()
        .replace("  quality_profile_id: 1\n", "  quality_profile_id: one\n");
    let line = text
        .lines()
        .position(|l| l.contains("quality_profile_id"))
        .unwrap()
        + 1;
    std::fs::write(world.config_path(), text).unwrap();
    let run = world.curator(&["run", "Inception", "movie"]).await;
    run.assert_code(1);
    assert!(
        run.stderr.contains("radarr.quality_profile_id"),
        "{}",
        run.all()
    );
    assert!(
        run.stderr.contains(&format!("line {line}")),
        "{}",
        run.all()
    );
    assert!(run.stderr.contains("fix:"), "{}", run.all());
    assert_eq!(world.llm.request_count(), 0);
    assert_eq!(world.tmdb.stats().total(), 0);
}

/// Problems that do not stop a step still give exit 3, so cron and
/// Tautulli users see that something went wrong.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn problems_in_steps_that_finish_give_exit_3() {
    let world = World::start().await;
    // Every LLM request fails: the suggestion steps fall back to TMDb and
    // finish, each reporting the failure.
    world.llm.fail_next(LlmFault::Status(500), 100);
    let run = world.curator(&["run", "Inception", "movie"]).await;
    run.assert_code(3);
    assert!(run.stdout.contains("0 failed"), "{}", run.all());
    assert!(run.stdout.contains("⚠"), "{}", run.all());
    assert!(run.stdout.contains("problem(s) reported"), "{}", run.all());
    assert_no_secret(&run.all());
}

/// A watched title TMDb does not know (a home video) sends nothing to
/// Radarr and changes no collection; the run says why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_for_a_title_tmdb_does_not_know_sends_nothing_to_radarr() {
    let world = World::start().await;
    let radarr_before = world.radarr_ids();
    let run = world
        .curator(&["run", "Our Holiday Video 2019", "movie"])
        .await;
    run.assert_code(0);
    assert!(run.stdout.contains("not a known movie"), "{}", run.all());
    assert_eq!(world.radarr_ids(), radarr_before, "{}", run.all());
    for name in [RECENT, CONTRAST, IMMACULATE] {
        assert!(world.collection(name).is_empty(), "{name}: {}", run.all());
    }
    assert!(!world.data_dir().join("recommendation_points.json").exists());
}

/// A config without `plex.tv_library_name` (every config written before
/// TV) skips an episode exactly as before, with the same words, asking no
/// service anything; so does a config that cannot be read, saying why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_episode_is_skipped_as_before_while_the_config_names_no_tv_library() {
    let world = World::start().await;
    let run = world
        .curator(&[
            "run",
            "Severance - Good News About Hell",
            "episode",
            "--show",
            "Severance",
            "--tvdb-id",
            "371980",
            "--rating-key",
            "{grandparent_rating_key}",
        ])
        .await;
    run.assert_code(0);
    assert_eq!(
        run.stdout.trim(),
        "skipped: media type \"episode\" is not a movie; curator only acts on movies",
        "{}",
        run.all()
    );
    assert!(world.radarr_ids().is_empty());
    assert!(!world.data_dir().join("recommendation_points.json").exists());

    std::fs::write(world.config_path(), "plex: [not, a, mapping\n").unwrap();
    let run = world
        .curator(&["run", "Severance - Pilot", "episode"])
        .await;
    run.assert_code(0);
    assert!(
        run.stdout.contains("skipped: media type \"episode\""),
        "{}",
        run.all()
    );
    assert!(
        run.stderr
            .contains("episodes are skipped while the config cannot be read"),
        "{}",
        run.all()
    );
    // A movie with that config is an error, as before.
    world
        .curator(&["run", "Heat", "movie"])
        .await
        .assert_code(1);
}
