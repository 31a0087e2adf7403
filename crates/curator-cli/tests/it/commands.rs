//! The other commands, and what the command line refuses.

use crate::support::{World, assert_no_secret, curator_in, curator_in_env, snapshot};

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|a| (*a).to_owned()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_errors_exit_2_and_other_media_types_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    for bad in [
        args(&["frobnicate"]),
        args(&["run"]),
        args(&["run", "{title}", "movie"]),
        args(&["run", "", "movie"]),
        args(&["run", "Heat", "movie", "--year", "nineteen"]),
        args(&["refresh", "--only", "everything"]),
    ] {
        let run = curator_in(dir.path(), &bad).await;
        run.assert_code(2);
        assert!(!run.stderr.is_empty(), "{bad:?}");
    }
    // Skipped before any config is needed: Tautulli fires on episodes too.
    let run = curator_in(
        dir.path(),
        &args(&["run", "Pilot", "episode", "--year", "{year}"]),
    )
    .await;
    run.assert_code(0);
    assert!(run.stdout.contains("skipped"), "{}", run.all());
    assert!(run.stdout.contains("episode"), "{}", run.all());
    // No config anywhere: a clear error, exit 1.
    let run = curator_in(dir.path(), &args(&["run", "Heat", "movie"])).await;
    run.assert_code(1);
    assert!(run.stderr.contains("no config file found"), "{}", run.all());
    assert!(run.stderr.contains("curator init"), "{}", run.all());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn init_writes_the_example_once_and_completions_print() {
    let dir = tempfile::tempdir().unwrap();
    let run = curator_in(dir.path(), &args(&["init"])).await;
    run.assert_code(0);
    let written = std::fs::read_to_string(dir.path().join("config/config.yaml")).unwrap();
    // The example, with a fresh random serve token in place of the
    // placeholder: the default setup of `curator serve` has one.
    let example = include_str!("../../../../examples/config.example.yaml");
    assert!(example.contains("token: \"YOUR_SERVE_TOKEN\""));
    let token_line = written
        .lines()
        .find(|l| l.trim_start().starts_with("token: ") && l.contains("or $CURATOR_SERVE_TOKEN"))
        .unwrap_or_else(|| panic!("no serve token line in\n{written}"));
    let token = token_line.split('"').nth(1).unwrap();
    assert_eq!(token.len(), 48, "{token_line}");
    assert!(token.chars().all(|c| c.is_ascii_hexdigit()), "{token_line}");
    assert_eq!(
        written,
        example.replace("YOUR_SERVE_TOKEN", token),
        "only the token differs"
    );
    // It holds the token (and soon the servers' keys): only its owner reads
    // it, also when --force replaces a file others could read.
    #[cfg(unix)]
    let mode = |path: &std::path::Path| {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    };
    let config = dir.path().join("config/config.yaml");
    #[cfg(unix)]
    assert_eq!(mode(&config), 0o600);
    let run = curator_in(dir.path(), &args(&["init"])).await;
    run.assert_code(1);
    assert!(run.stderr.contains("--force"), "{}", run.all());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    curator_in(dir.path(), &args(&["init", "--force"]))
        .await
        .assert_code(0);
    #[cfg(unix)]
    assert_eq!(mode(&config), 0o600, "--force left it readable by others");
    let again = std::fs::read_to_string(&config).unwrap();
    assert!(!again.contains(token), "every init draws a new token");
    // The written example loads (its placeholders leave every service off).
    let run = curator_in(dir.path(), &args(&["--dry-run", "refresh"])).await;
    assert!(run.stdout.contains("Plex ✗"), "{}", run.all());
    let run = curator_in(dir.path(), &args(&["completions", "bash"])).await;
    run.assert_code(0);
    assert!(run.stdout.contains("confirm-monitored"), "{}", run.all());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_reaches_every_service_and_says_what_to_fix() {
    let world = World::start().await;
    let run = world.curator(&["check"]).await;
    run.assert_code(0);
    for wanted in [
        "Plex",
        "Radarr",
        "TMDb",
        "LLM",
        "movie library \"Movies\" found",
        "fake-model",
    ] {
        assert!(run.stdout.contains(wanted), "{wanted}: {}", run.all());
    }
    assert_no_secret(&run.all());

    let text = world
        .config_text()
        .replace("root_folder: \"/movies\"", "root_folder: \"/nowhere\"")
        .replace(super::support::RADARR_KEY, "wrong-radarr-key-123");
    std::fs::write(world.config_path(), text).unwrap();
    world.plex.set_allow_media_deletion(false);
    let run = world.curator(&["check"]).await;
    run.assert_code(3);
    assert!(
        run.stdout.contains("radarr.api_key is wrong"),
        "{}",
        run.all()
    );
    assert!(run.stdout.contains("Allow media deletion"), "{}", run.all());
}

/// With TV on, `check` finds the TV library and reaches Sonarr (its
/// `system/status`, root folder and quality profile), and names what to
/// fix when they are wrong.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_finds_the_tv_library_and_sonarr_when_tv_is_on() {
    let world = World::start_tv().await;
    let run = world.curator(&["check"]).await;
    run.assert_code(0);
    for wanted in [
        "TV library \"TV Shows\" found",
        "Sonarr 4.",
        "root folder \"/tv\" exists",
        "quality profile 4 (\"HD-1080p\") exists",
    ] {
        assert!(run.stdout.contains(wanted), "{wanted}: {}", run.all());
    }
    assert_no_secret(&run.all());
    let sonarr = world.sonarr.as_ref().unwrap();
    let asked = sonarr.stats().snapshot();
    for op in [
        sonarr_client::op::SYSTEM_STATUS,
        sonarr_client::op::ROOT_FOLDERS,
        sonarr_client::op::QUALITY_PROFILES,
    ] {
        assert_eq!(asked.get(op), Some(&1), "{op}: {asked:?}");
    }

    let text = world
        .config_text()
        .replace(
            "tv_library_name: \"TV Shows\"",
            "tv_library_name: \"Series\"",
        )
        .replace("root_folder: \"/tv\"", "root_folder: \"/nowhere\"")
        .replace("quality_profile_id: 4", "quality_profile_id: 9");
    std::fs::write(world.config_path(), text).unwrap();
    let run = world.curator(&["check"]).await;
    run.assert_code(3);
    for wanted in [
        "no TV library named \"Series\"",
        "set plex.tv_library_name to one of: \"TV Shows\"",
        "set sonarr.root_folder to one of: \"/tv\"",
        "set sonarr.quality_profile_id to one of: 1 (Any), 4 (HD-1080p)",
    ] {
        assert!(run.stdout.contains(wanted), "{wanted}: {}", run.all());
    }
    let text = world
        .config_text()
        .replace(super::support::SONARR_KEY, "wrong-sonarr-key-123");
    std::fs::write(world.config_path(), text).unwrap();
    let run = world.curator(&["check"]).await;
    run.assert_code(3);
    assert!(
        run.stdout.contains("sonarr.api_key is wrong"),
        "{}",
        run.all()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recommend_prints_each_suggestion_and_changes_nothing() {
    let world = World::start().await;
    let run = world.curator(&["recommend", "Inception (2010)"]).await;
    run.assert_code(0);
    for wanted in [
        "Interstellar (2014)",
        "tmdb 157336",
        "in Plex",
        "Tenet (2020)",
        "would go to Radarr",
        "A Film Nobody Made",
        "unresolved",
        "Change of Taste",
    ] {
        assert!(run.stdout.contains(wanted), "{wanted}: {}", run.all());
    }
    assert!(!world.data_dir().exists());
    assert!(world.radarr.movies().is_empty());
    assert!(
        world
            .plex
            .collection_key("Based on your recently watched movie")
            .is_none()
    );
    // Shows need a TV library in the config.
    let run = world
        .curator(&["recommend", "Severance", "--kind", "show"])
        .await;
    run.assert_code(2);
    assert!(run.stderr.contains("plex.tv_library_name"), "{}", run.all());
    assert!(!world.data_dir().exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn single_steps_run_alone() {
    let world = World::start().await;
    let run = world.curator(&["dedupe"]).await;
    run.assert_code(0);
    assert!(run.stdout.contains("Duplicate cleaner"), "{}", run.all());
    assert!(
        !run.stdout.contains("Recently watched recommendations"),
        "{}",
        run.all()
    );
    let run = world
        .curator(&["refresh", "--only", "immaculate-taste"])
        .await;
    run.assert_code(0);
    assert!(
        run.stdout.contains("Immaculate taste collection refresh"),
        "{}",
        run.all()
    );
    assert!(
        !run.stdout.contains("Recently watched collections refresh"),
        "{}",
        run.all()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plex_sees_one_client_identifier_per_installation() {
    // Plex lists devices by X-Plex-Client-Identifier: the same id on every
    // install would merge them, a new one per run would add a device each time.
    let world = World::start().await;
    world.curator(&["--dry-run", "dedupe"]).await.assert_code(0);
    assert!(!world.data_dir().exists(), "a dry run writes nothing");
    world.curator(&["dedupe"]).await.assert_code(0);
    world.curator(&["dedupe"]).await.assert_code(0);
    let stored = std::fs::read_to_string(world.data_dir().join("plex-client-id")).unwrap();
    let ids = world.plex.client_identifiers();
    // The dry run's passing id, then the kept one for both real runs.
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert_eq!(ids[1], stored.trim());
    assert_ne!(ids[1], "curator");
    let other = World::start().await;
    other.curator(&["dedupe"]).await.assert_code(0);
    let theirs = std::fs::read_to_string(other.data_dir().join("plex-client-id")).unwrap();
    assert_ne!(theirs, stored);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dedupe_deletes_nothing_unless_the_config_switches_the_cleaner_on() {
    let world = World::start().await;
    let on = "  run_plex_duplicate_cleaner: true\n";
    assert!(world.config_text().contains(on));
    for (case, text) in [
        (
            "switched off",
            world
                .config_text()
                .replace(on, "  run_plex_duplicate_cleaner: false\n"),
        ),
        ("left out", world.config_text().replace(on, "")),
    ] {
        std::fs::write(world.config_path(), text).unwrap();
        let run = world.curator(&["dedupe"]).await;
        run.assert_code(1);
        assert!(
            run.stderr.contains("the duplicate cleaner is off"),
            "{case}: {}",
            run.all()
        );
        assert!(
            run.stderr.contains("run_plex_duplicate_cleaner: true"),
            "{case}: {}",
            run.all()
        );
        assert!(
            run.stderr.contains("curator --dry-run dedupe"),
            "{case}: {}",
            run.all()
        );
        assert_eq!(world.plex.stats().total(), 0, "{case}: Plex was asked");
        assert!(!world.data_dir().exists(), "{case}");

        // A dry run deletes nothing, so it shows its plan either way.
        let run = world.curator(&["--dry-run", "dedupe"]).await;
        run.assert_code(0);
        assert!(
            run.stdout.contains("✓ Duplicate cleaner"),
            "{case}: {}",
            run.all()
        );
        assert_eq!(
            world.plex.stats().count(plex_client::ops::DELETE_MEDIA),
            0,
            "{case}"
        );
        world.plex.stats().reset();
    }
}

/// `curator dedupe --kind` picks one cleaner, and each deletes only when
/// its own switch is on: the movie cleaner's switch does not turn on the
/// episode cleaner.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dedupe_kind_tv_needs_the_episode_cleaners_own_switch() {
    let world = World::start().await;
    assert!(
        world
            .config_text()
            .contains("  run_plex_duplicate_cleaner: true\n")
    );
    let run = world.curator(&["dedupe", "--kind", "tv"]).await;
    run.assert_code(1);
    assert!(
        run.stderr.contains("run_sonarr_duplicate_cleaner: true"),
        "{}",
        run.all()
    );
    assert!(
        !run.stderr.contains("run_plex_duplicate_cleaner"),
        "{}",
        run.all()
    );
    assert_eq!(world.plex.stats().total(), 0, "Plex was asked");

    // The movie cleaner alone: its step, not the episode one.
    let run = world.curator(&["dedupe", "--kind", "movie"]).await;
    run.assert_code(0);
    assert!(run.stdout.contains("Duplicate cleaner"), "{}", run.all());
    assert!(
        !run.stdout.contains("TV duplicate episode cleaner"),
        "{}",
        run.all()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_runs_without_network_or_keys_and_keeps_state_where_told() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("demo-state");
    let run = curator_in(
        dir.path(),
        &args(&[
            "--data-dir",
            data.to_str().unwrap(),
            "demo",
            "Mad Max: Fury Road",
        ]),
    )
    .await;
    run.assert_code(0);
    for wanted in [
        "watched Mad Max: Fury Road (2015)",
        "Based on your recently watched movie (",
        "Change of Taste (",
        "Inspired by your Immaculate Taste (",
        "Sent to Radarr to download (",
        "0 failed",
    ] {
        assert!(run.stdout.contains(wanted), "{wanted}: {}", run.all());
    }
    assert!(data.join("recommendation_points.json").is_file());
    assert!(data.join("recently_watched_collection.json").is_file());
}

/// A data directory holding real state, as a user's would.
fn real_state(dir: &std::path::Path) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("recommendation_points.json"),
        r#"{"schema_version": 1, "movies": {}}"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("tmdb_cache.json"),
        r#"{"schema": 1, "entries": {}}"#,
    )
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_ignores_curator_data_dir_and_uses_a_temporary_directory() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real-data");
    real_state(&real);
    let before = snapshot(&real);
    let untouched = dir.path().join("never-created");
    for data in [&real, &untouched] {
        let run = curator_in_env(
            dir.path(),
            &args(&["demo"]),
            &[("CURATOR_DATA_DIR", data.as_path())],
        )
        .await;
        run.assert_code(0);
        assert!(run.stdout.contains("state in "), "{}", run.all());
        assert!(
            !run.stdout.contains(&data.display().to_string()),
            "{}",
            run.all()
        );
    }
    assert_eq!(snapshot(&real), before);
    assert!(!untouched.exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_refuses_a_data_dir_holding_curator_state() {
    let dir = tempfile::tempdir().unwrap();
    for file in [
        "recommendation_points.json",
        "recently_watched_collection.json",
        "change_of_taste_collection.json",
        "tmdb_cache.json",
    ] {
        let data = dir.path().join(format!("with-{file}"));
        std::fs::create_dir_all(&data).unwrap();
        std::fs::write(data.join(file), "{}").unwrap();
        let before = snapshot(&data);
        for line in [
            args(&["--data-dir", data.to_str().unwrap(), "demo"]),
            args(&["demo", "--data-dir", data.to_str().unwrap()]),
        ] {
            let run = curator_in(dir.path(), &line).await;
            run.assert_code(2);
            assert!(run.stderr.contains("will not use"), "{}", run.all());
            assert!(run.stderr.contains(file), "{}", run.all());
            assert!(run.stdout.is_empty(), "{}", run.all());
        }
        assert_eq!(snapshot(&data), before, "{file}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_url_in_the_config_is_reported_without_its_query() {
    const TOKEN: &str = "zq9TOKEN-d1st1nct1ve-7c4e";
    let world = World::start().await;
    let text = world.config_text().replace(
        &format!("url: \"{}\"", world.plex.uri()),
        &format!("url: \"plex.lan:32400/?X-Plex-Token={TOKEN}\""),
    );
    assert!(text.contains(TOKEN));
    std::fs::write(world.config_path(), text).unwrap();
    for command in [&["check"][..], &["run", "Inception", "movie"]] {
        let run = world.curator(command).await;
        run.assert_code(1);
        assert!(run.stderr.contains("plex.url"), "{}", run.all());
        assert!(
            run.stderr.contains("\"plex.lan:32400/\" (query removed)"),
            "{}",
            run.all()
        );
        assert!(
            !run.all().contains(TOKEN),
            "the token leaked: {}",
            run.all()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn collections_remove_unpins_and_deletes_only_curators_collections() {
    const NAMES: [&str; 3] = [
        "Based on your recently watched movie",
        "Change of Taste",
        "Inspired by your Immaculate Taste",
    ];
    let world = World::start().await;
    world
        .curator(&["run", "Inception", "movie"])
        .await
        .assert_code(0);
    let movies = plex_client::SectionKey::from("1");
    let pinned = |world: &World| {
        world
            .plex
            .hubs(&movies)
            .iter()
            .filter(|h| !h.is_built_in())
            .map(|h| h.title.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(pinned(&world), NAMES, "the run pins its rows on top");

    let run = world.curator(&["--dry-run", "collections", "remove"]).await;
    run.assert_code(0);
    assert!(
        run.stdout
            .contains("Would remove curator's movie collections"),
        "{}",
        run.all()
    );
    assert!(
        run.stdout
            .contains(&format!("would delete the collection {:?}", NAMES[2])),
        "{}",
        run.all()
    );
    assert!(
        run.stdout.contains(&format!("would unpin {:?}", NAMES[0])),
        "{}",
        run.all()
    );
    assert_eq!(pinned(&world), NAMES, "a dry run changes nothing");

    let run = world
        .curator(&["collections", "remove", "--kind", "movie"])
        .await;
    run.assert_code(0);
    for name in NAMES {
        assert!(
            run.stdout.contains(&format!("✓ deleted {name:?}")),
            "{}",
            run.all()
        );
        assert!(world.plex.collection_key(name).is_none(), "{name}");
    }
    assert!(pinned(&world).is_empty());
    // TV is not configured in this world: nothing to do, said so.
    let run = world
        .curator(&["collections", "remove", "--kind", "tv"])
        .await;
    run.assert_code(0);
    assert!(run.stdout.contains("TV is not configured"), "{}", run.all());
    world
        .curator(&["collections", "remove", "--kind", "films"])
        .await
        .assert_code(2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approvals_hold_movies_until_approved_and_a_rejected_one_is_never_sent() {
    let world = World::start().await;
    let config = world.config_text().replace(
        "  quality_profile_id: 1\n",
        "  quality_profile_id: 1\n  require_approval: true\n",
    );
    std::fs::write(world.config_path(), config).unwrap();

    let run = world.curator(&["run", "Inception (2010)", "movie"]).await;
    run.assert_code(0);
    assert!(world.radarr_ids().is_empty(), "{}", run.all());
    assert!(run.stdout.contains("waiting for approval"), "{}", run.all());

    // Tenet (577922) and Forrest Gump (13) wait, with where they came from.
    let list = world.curator(&["approvals"]).await;
    list.assert_code(0);
    assert!(
        list.stdout.contains("2 waiting for approval"),
        "{}",
        list.all()
    );
    assert!(
        list.stdout.contains("577922  Tenet (2020)"),
        "{}",
        list.all()
    );
    assert!(
        list.stdout
            .contains("Based on your recently watched movie, for Inception (2010)"),
        "{}",
        list.all()
    );

    world
        .curator(&["approvals", "approve", "577922"])
        .await
        .assert_code(0);
    let rejected = world.curator(&["approvals", "reject", "13"]).await;
    rejected.assert_code(0);
    assert!(
        rejected.stdout.contains("rejected Forrest Gump"),
        "{}",
        rejected.all()
    );
    // Radarr has exactly the approved one, with the similar list's tags.
    assert_eq!(world.radarr_ids(), [curator_http::TmdbId(577_922)]);
    assert_eq!(
        world
            .radarr
            .movie_tag_labels(curator_http::TmdbId(577_922))
            .unwrap(),
        ["due-to-previously-watched", "movies"]
    );

    // The next run, without approvals, still never sends Forrest Gump.
    std::fs::write(world.config_path(), world.config_text()).unwrap();
    let again = world.curator(&["run", "Inception (2010)", "movie"]).await;
    again.assert_code(0);
    assert!(again.stdout.contains("rejected earlier"), "{}", again.all());
    assert_eq!(world.radarr_ids(), [curator_http::TmdbId(577_922)]);

    // Usage: an id that is no id, and approve without ids.
    world
        .curator(&["approvals", "approve", "tenet"])
        .await
        .assert_code(2);
    world
        .curator(&["approvals", "approve"])
        .await
        .assert_code(2);
    let unknown = world.curator(&["approvals", "forget", "99"]).await;
    unknown.assert_code(3);
    assert_no_secret(&unknown.all());
}
