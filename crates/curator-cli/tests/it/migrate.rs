//! Moving from the previous tool with the binary: an old data directory
//! (3.x-5.0 points file keyed by rating key, 4.x small-collection arrays)
//! and an old config, as its users bring them.

use plex_client::SectionKey;

use crate::support::{World, snapshot};

const RECENT: &str = "Based on your recently watched movie";
const CONTRAST: &str = "Change of Taste";
const IMMACULATE: &str = "Inspired by your Immaculate Taste";

fn key_of(world: &World, title: &str) -> String {
    world
        .plex
        .movies(&SectionKey("1".into()))
        .into_iter()
        .find(|m| m.title == title)
        .unwrap_or_else(|| panic!("{title} is not in the fake Plex"))
        .rating_key
        .0
}

/// The previous tool's files, in its `data/` folder, its points file under
/// the name its config gives.
fn old_data_dir(world: &World) {
    let data = world.data_dir();
    std::fs::create_dir_all(&data).unwrap();
    let points = format!(
        "{{\n  \"{}\": 1,\n  \"{}\": 2,\n  \"{}\": 1,\n  \"99999\": 3\n}}\n",
        key_of(world, "The Prestige"),
        key_of(world, "The Matrix"),
        key_of(world, "Heat"),
    );
    std::fs::write(data.join("old_points.json"), points).unwrap();
    let recent = format!(
        r#"[
  {{"title": "Heat", "rating_key": "{}", "year": 1995}},
  {{"title": "Pulp Fiction", "rating_key": null, "year": null}},
  {{"title": "A Film Nobody Made", "rating_key": null, "year": null}}
]"#,
        key_of(world, "Heat")
    );
    std::fs::write(data.join("recently_watched_collection.json"), recent).unwrap();
    std::fs::write(
        data.join("change_of_taste_collection.json"),
        r#"[{"title": "Amélie", "rating_key": "31337", "year": 2001}]"#,
    )
    .unwrap();
    let config = world.config_text().replace(
        "  movie_library_name: \"Movies\"\n",
        "  movie_library_name: \"Movies\"\n  delete_preference: \"smallest_file\"\n",
    ) + "files:\n  points_file: \"old_points.json\"\n  tmdb_cache_file: \"tmdb_cache.json\"\n";
    std::fs::write(world.config_path(), config).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_old_data_directory_is_reported_previewed_and_converted_once() {
    let world = World::start().await;
    old_data_dir(&world);

    let check = world.curator(&["check"]).await;
    check.assert_code(0);
    for wanted in [
        "old-format data directory",
        "old_points.json is the previous tool's points file (4 entries, written under its rules before 5.1",
        "giving every entry full points (50 points) (points.import_as: auto)",
        "recently_watched_collection.json is the previous tool's list",
        "old_points.json: 3 by rating key, 0 by TMDb id, 0 for TMDb to confirm, 1 unresolved (such as: rating key 99999 is not in the Plex library",
        "recently_watched_collection.json: 1 by rating key, 1 by title and year, 1 not in Plex",
        "points rules in force: standard",
        "curator --dry-run refresh",
        "plex.delete_preference now deletes what its name says",
    ] {
        assert!(check.stdout.contains(wanted), "{wanted}: {}", check.all());
    }
    // The cleaner's notice, loud and once; `check` used it up.
    assert!(
        check.stderr.contains("means the opposite of before"),
        "{}",
        check.all()
    );
    assert!(check.stderr.contains("curator --dry-run dedupe"));

    let before = snapshot(&world.data_dir());
    let dry = world.curator(&["--dry-run", "refresh"]).await;
    dry.assert_code(0);
    assert_eq!(snapshot(&world.data_dir()), before, "a dry run wrote");
    assert!(
        dry.stdout
            .contains("Moved from the previous tool's files (dry run"),
        "{}",
        dry.all()
    );
    assert!(!dry.stderr.contains("means the opposite"), "{}", dry.all());
    assert!(world.collection(IMMACULATE).is_empty());

    let run = world.curator(&["refresh"]).await;
    run.assert_code(0);
    for wanted in [
        "points rules in force: standard: a suggestion sets a movie to 50 points",
        "old_points.json: 4 entries, written under its rules before 5.1",
        "by rating key (3): ",
        "Heat (1995) 1→50",
        "unresolved (1), not imported",
        "key 99999: rating key 99999 is not in the Plex library",
        "the old file is kept at ",
        "by title and year (1): Pulp Fiction",
        "not in Plex, left out (1): A Film Nobody Made",
    ] {
        assert!(run.stdout.contains(wanted), "{wanted}: {}", run.all());
    }
    let mut immaculate = world.collection(IMMACULATE);
    immaculate.sort();
    assert_eq!(immaculate, ["Heat", "The Matrix", "The Prestige"]);
    let mut recent = world.collection(RECENT);
    recent.sort();
    assert_eq!(recent, ["Heat", "Pulp Fiction"]);
    assert_eq!(world.collection(CONTRAST), ["Amélie"]);
    // The converted file is where the old config keeps it; the original beside it.
    let data = world.data_dir();
    let converted = std::fs::read_to_string(data.join("old_points.json")).unwrap();
    assert!(converted.contains("schema_version"), "{converted}");
    assert!(!data.join("recommendation_points.json").exists());
    let backups: Vec<String> = std::fs::read_dir(&data)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.contains(".legacy-"))
        .collect();
    assert_eq!(backups.len(), 3, "{backups:?}");

    let again = world.curator(&["refresh"]).await;
    again.assert_code(0);
    assert!(!again.stdout.contains("Moved from"), "{}", again.all());
    assert!(
        !again.stderr.contains("means the opposite"),
        "{}",
        again.all()
    );
    let check = world.curator(&["check"]).await;
    assert!(
        check.stdout.contains("no files of the previous tool"),
        "{}",
        check.all()
    );
}
