//! An episode watched: the run for its show, from `curator run` and from
//! the demo, against the fake TV library, TMDb's TV catalogue and Sonarr.

use curator_http::TvdbId;

use crate::support::{World, assert_no_secret, snapshot};

const TV_RECENT: &str = "Based on your recently watched show";
const TV_CONTRAST: &str = "Change of Taste (TV)";
const EXPANSE: TvdbId = TvdbId(280_619);
const CHERNOBYL: TvdbId = TvdbId(360_893);
const THE_WIRE: TvdbId = TvdbId(79126);
const BREAKING_BAD: TvdbId = TvdbId(81189);

fn sorted(mut titles: Vec<String>) -> Vec<String> {
    titles.sort();
    titles
}

/// As Tautulli passes an episode (examples/tautulli/README.md): the full
/// title, the show's name, TVDB id and key. The show's suggestions Plex has
/// fill the TV collections; the missing ones go to Sonarr with the
/// configured root folder, profile, tags and first season monitored; the
/// one Sonarr has is not added twice; the invented one goes nowhere.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_episode_fills_the_tv_collections_and_sends_missing_shows_to_sonarr() {
    let world = World::start_tv().await;
    let sonarr = world.sonarr.as_ref().unwrap();
    let before = sonarr.series_list().len();
    let show_key = world.plex.show_key("Severance").unwrap();

    // A dry run first: it reads everything and changes nothing.
    let files_before = snapshot(&world.data_dir());
    let run = world
        .curator(&[
            "--dry-run",
            "run",
            "Severance - Good News About Hell",
            "episode",
        ])
        .await;
    run.assert_code(0);
    assert!(run.stdout.contains("would"), "{}", run.all());
    assert_eq!(snapshot(&world.data_dir()), files_before);
    assert!(world.collection(TV_RECENT).is_empty());
    assert_eq!(sonarr.series_list().len(), before);

    let report = world.dir.path().join("report.json");
    let run = world
        .curator(&[
            "--report",
            report.to_str().unwrap(),
            "run",
            "Severance - Good News About Hell",
            "episode",
            "--show",
            "Severance",
            "--tvdb-id",
            "371980",
            "--rating-key",
            show_key.as_str(),
            "--user",
            "alice",
        ])
        .await;
    run.assert_code(0);
    assert!(run.stdout.contains("Severance"), "{}", run.all());
    assert!(run.stdout.contains("TVDB id 371980"), "{}", run.all());
    assert!(!run.stdout.contains("Duplicate cleaner"), "{}", run.all());
    assert_no_secret(&run.all());

    assert_eq!(
        sorted(world.collection(TV_RECENT)),
        ["Battlestar Galactica", "Breaking Bad"]
    );
    assert_eq!(world.collection(TV_CONTRAST), ["The Office (US)"]);
    // Missing shows went to Sonarr as configured; none invented, none twice.
    for tvdb in [EXPANSE, CHERNOBYL] {
        let series = sonarr
            .series(tvdb)
            .unwrap_or_else(|| panic!("{tvdb:?} not sent"));
        assert_eq!(series.root_folder_path.as_deref(), Some("/tv"));
        assert_eq!(series.quality_profile_id.0, 4);
        assert_eq!(sonarr.monitored_seasons(tvdb), [1], "firstSeason");
        let tags = sonarr.series_tag_labels(tvdb).unwrap();
        assert!(tags.contains(&"tv".to_owned()), "{tags:?}");
    }
    let wires = sonarr
        .series_list()
        .iter()
        .filter(|s| s.tvdb_id == THE_WIRE)
        .count();
    assert_eq!(wires, 1);
    assert_eq!(sonarr.series_list().len(), before + 2);
    assert!(
        sonarr
            .series_list()
            .iter()
            .all(|s| s.title != "The Lumon Files"),
        "an invented show reached Sonarr"
    );
    // Nothing of the movie side moved.
    assert!(world.radarr_ids().is_empty());
    assert!(
        world
            .collection("Based on your recently watched movie")
            .is_empty()
    );

    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let steps: Vec<&str> = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["step"].as_str())
        .collect();
    // Only the TV steps ran: the show's own and Sonarr's housekeeping.
    assert!(
        !steps.is_empty()
            && steps
                .iter()
                .all(|s| s.starts_with("tv-") || s.starts_with("sonarr-")),
        "{steps:?}"
    );
    assert!(steps.contains(&"tv-immaculate-taste"), "{steps:?}");
}

/// `curator recommend --kind show` prints the show's suggestions and how
/// each resolved, changing nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recommend_for_a_show_prints_each_suggestion_and_changes_nothing() {
    let world = World::start_tv().await;
    let sonarr = world.sonarr.as_ref().unwrap();
    let before = sonarr.series_list().len();
    let run = world
        .curator(&["recommend", "Severance", "--kind", "show"])
        .await;
    run.assert_code(0);
    for wanted in [
        "Suggestions for Severance",
        "Similar: \"Based on your recently watched show\"",
        "Breaking Bad",
        "in Plex",
        "The Expanse",
        "Sonarr",
        "The Lumon Files",
        "unresolved",
        "shows",
    ] {
        assert!(run.stdout.contains(wanted), "{wanted}: {}", run.all());
    }
    assert!(!world.data_dir().exists());
    assert_eq!(sonarr.series_list().len(), before);
    assert!(world.collection(TV_RECENT).is_empty());
}

/// `curator demo --show "Severance"`: an episode's run against the demo's
/// TV library and Sonarr.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_runs_an_episode() {
    let dir = tempfile::tempdir().unwrap();
    let run = crate::support::curator_in(
        dir.path(),
        &[
            "demo".to_owned(),
            "--show".to_owned(),
            "Severance".to_owned(),
        ],
    )
    .await;
    run.assert_code(0);
    for wanted in [
        "watched an episode of Severance (2022)",
        "Based on your recently watched show",
        "Sent to Sonarr to download",
        "The Expanse",
    ] {
        assert!(run.stdout.contains(wanted), "{wanted}: {}", run.all());
    }
}

/// `curator refresh` refreshes both kinds; `--only` takes the TV
/// counterpart along.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_refreshes_both_kinds_and_only_takes_the_tv_counterpart() {
    let world = World::start_tv().await;
    let run = world.curator(&["refresh"]).await;
    run.assert_code(0);
    for wanted in [
        "Recently watched collections refresh",
        "Immaculate taste collection refresh",
        "TV recently watched collections refresh",
        "TV immaculate taste collection refresh",
    ] {
        assert!(run.stdout.contains(wanted), "{wanted}: {}", run.all());
    }
    let run = world
        .curator(&["refresh", "--only", "immaculate-taste"])
        .await;
    run.assert_code(0);
    assert!(
        run.stdout
            .contains("TV immaculate taste collection refresh"),
        "{}",
        run.all()
    );
    assert!(
        !run.stdout.contains("recently watched collections refresh"),
        "{}",
        run.all()
    );
}

/// The copies of one episode in the fake TV library, as
/// `resolution[ optimized]`.
fn episode_versions(world: &World, show: &str, season: u32, number: u32) -> Vec<String> {
    let key = world.plex.show_key(show).expect("the show is in Plex");
    world
        .plex
        .show_episodes(&key)
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

/// `curator dedupe --kind tv` end to end, against the fake TV library (the
/// sample shows: Severance's pilot in 1080p, 4K and an optimized copy;
/// Breaking Bad's in 1080p and 720p) and the demo Sonarr (Breaking Bad with
/// every file): with `scripts_run.run_sonarr_duplicate_cleaner` on, a dry
/// run prints the plan and changes nothing; the real run keeps the best copy
/// of each episode (an optimized version is left alone) and unmonitors the
/// cleaned episode in Sonarr so it is not fetched again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dedupe_kind_tv_cleans_duplicate_episodes_after_a_dry_run_that_changes_nothing() {
    let world = World::start_tv().await;
    let config = world.config_text().replace(
        "scripts_run:\n",
        "scripts_run:\n  run_sonarr_duplicate_cleaner: true\n",
    );
    std::fs::write(world.config_path(), config).unwrap();
    let sonarr = world.sonarr.as_ref().unwrap();
    let pilot_monitored = || {
        sonarr
            .episodes(BREAKING_BAD)
            .iter()
            .find(|e| e.season_number == 1 && e.episode_number == 1)
            .expect("Breaking Bad's pilot in Sonarr")
            .monitored
    };
    assert!(pilot_monitored());
    let before = (
        episode_versions(&world, "Severance", 1, 1),
        episode_versions(&world, "Breaking Bad", 1, 1),
    );
    assert_eq!(before.0, ["1080", "4k", "720 optimized"]);
    assert_eq!(before.1, ["1080", "720"]);

    let dry = world
        .curator(&["--dry-run", "dedupe", "--kind", "tv"])
        .await;
    dry.assert_code(0);
    assert!(
        dry.stdout.contains("TV duplicate episode cleaner"),
        "{}",
        dry.all()
    );
    assert!(
        dry.stdout.contains("Severance S01E01") && dry.stdout.contains("Breaking Bad S01E01"),
        "{}",
        dry.all()
    );
    assert!(!dry.stdout.contains("Duplicate cleaner\n"), "{}", dry.all());
    assert_eq!(
        (
            episode_versions(&world, "Severance", 1, 1),
            episode_versions(&world, "Breaking Bad", 1, 1)
        ),
        before
    );
    assert!(pilot_monitored(), "a dry run unmonitors nothing");
    assert_eq!(world.plex.stats().count(plex_client::ops::DELETE_MEDIA), 0);

    let real = world.curator(&["dedupe", "--kind", "tv"]).await;
    real.assert_code(0);
    assert_eq!(
        episode_versions(&world, "Severance", 1, 1),
        ["4k", "720 optimized"],
        "{}",
        real.all()
    );
    assert_eq!(episode_versions(&world, "Breaking Bad", 1, 1), ["1080"]);
    assert!(!pilot_monitored(), "cleaned in Sonarr too");
    assert_eq!(world.plex.stats().count(plex_client::ops::DELETE_MEDIA), 2);
    // The movie library was not touched.
    assert_eq!(world.radarr.stats().total(), 0);
    assert_no_secret(&real.all());

    // Nothing left to clean.
    let again = world.curator(&["dedupe", "--kind", "tv"]).await;
    again.assert_code(0);
    assert_eq!(world.plex.stats().count(plex_client::ops::DELETE_MEDIA), 2);
}

/// `curator refresh` (and the nightly `refresh` schedule) promotes the
/// pending shows Plex now has before the TV refresher writes its
/// collection, as it does pending movies: a CLI-only user gets arrivals
/// within a day, without a Sonarr webhook.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_promotes_pending_shows_plex_now_has() {
    const TV_IMMACULATE: &str = "Inspired by your Immaculate Taste (TV)";
    let world = World::start_tv().await;
    world
        .curator(&["run", "Severance - Good News About Hell", "episode"])
        .await
        .assert_code(0);
    let status = |world: &World| -> String {
        let path = world.data_dir().join(curator_core::TV_POINTS_FILE);
        let book: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        book["movies"]["63639"]["status"]
            .as_str()
            .unwrap_or("absent")
            .to_owned()
    };
    assert_eq!(status(&world), "pending", "The Expanse waits for Sonarr");
    assert!(
        !world
            .collection(TV_IMMACULATE)
            .contains(&"The Expanse".to_owned())
    );
    world.plex.add_show(
        "2",
        plex_client::fake::FakeShow::new("The Expanse", 2015)
            .tmdb(63639)
            .tvdb(EXPANSE.0)
            .season(1, 2),
    );
    let run = world.curator(&["refresh"]).await;
    run.assert_code(0);
    assert!(
        run.stdout.contains("The Expanse arrived in Plex"),
        "{}",
        run.all()
    );
    assert_eq!(status(&world), "active");
    assert!(
        world
            .collection(TV_IMMACULATE)
            .contains(&"The Expanse".to_owned()),
        "{:?}",
        world.collection(TV_IMMACULATE)
    );
}
