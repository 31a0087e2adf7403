use super::*;
use crate::collection::{CollectionMovie, SeedRecord};
use crate::points::{EntryStatus, PointsEntry};
use curator_http::TmdbId;
use time::macros::date;

fn sample_book() -> PointsBook {
    let mut book = PointsBook::default();
    book.movies.insert(
        TmdbId(27205),
        PointsEntry {
            title: "Inception".into(),
            year: Some(2010),
            rating_key: Some("1001".into()),
            points: 42,
            status: EntryStatus::Active,
            first_suggested: date!(2026 - 10 - 01),
            last_suggested: date!(2026 - 11 - 20),
        },
    );
    book
}

#[test]
fn points_round_trip_with_a_schema_version() {
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::new(dir.path());
    assert!(matches!(data.load_points().unwrap(), LoadedPoints::Missing));
    data.save_points(&sample_book()).unwrap();
    let text = fs::read_to_string(data.path(POINTS_FILE)).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["schema_version"], 1);
    assert_eq!(value["movies"]["27205"]["status"], "active");
    assert_eq!(value["movies"]["27205"]["last_suggested"], "2026-11-20");
    match data.load_points().unwrap() {
        LoadedPoints::Current(book) => assert_eq!(book, sample_book()),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn a_corrupt_file_is_named_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::new(dir.path());
    let path = data.path(POINTS_FILE);
    for content in [
        "{\"schema_version\": 1, \"movies\": {\"x\": 3}",
        "",
        "[1,2]",
        "{\"schema_version\": 1, \"movies\": {\"12\": {\"points\": -1}}}",
    ] {
        fs::write(&path, content).unwrap();
        let error = data.load_points().unwrap_err();
        let message = error.to_string();
        assert!(matches!(error, StateError::Corrupt { .. }), "{message}");
        assert!(message.contains("recommendation_points.json"), "{message}");
        assert_eq!(fs::read_to_string(&path).unwrap(), content);
    }
}

#[test]
fn a_file_from_a_newer_curator_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::new(dir.path());
    let path = data.path(SmallCollection::ChangeOfTaste.file_name());
    fs::write(&path, r#"{"schema_version": 7, "movies": []}"#).unwrap();
    let error = data
        .load_collection(SmallCollection::ChangeOfTaste)
        .unwrap_err();
    assert!(
        matches!(error, StateError::TooNew { found: 7, .. }),
        "{error}"
    );
}

#[test]
fn legacy_points_are_recognised() {
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::new(dir.path());
    fs::write(
        data.path(POINTS_FILE),
        r#"{"101": {"ratingKey": "101", "points": 5, "title": "Heat"}}"#,
    )
    .unwrap();
    assert!(matches!(data.load_points().unwrap(), LoadedPoints::Legacy(l) if l.entries.len() == 1));
    let backup = data.backup_points().unwrap();
    assert!(backup.exists());
}

#[test]
fn collections_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::new(dir.path().join("nested"));
    let state = CollectionState {
        seed: Some(SeedRecord {
            title: "Heat".into(),
            year: Some(1995),
            tmdb_id: Some(TmdbId(949)),
        }),
        updated_at: Some(OffsetDateTime::UNIX_EPOCH),
        movies: vec![CollectionMovie {
            tmdb_id: TmdbId(603),
            rating_key: "55".into(),
            title: "The Matrix".into(),
            year: Some(1999),
        }],
    };
    data.save_collection(SmallCollection::RecentlyWatched, &state)
        .unwrap();
    assert_eq!(
        data.load_collection(SmallCollection::RecentlyWatched)
            .unwrap(),
        state
    );
    assert_eq!(
        data.load_collection(SmallCollection::ChangeOfTaste)
            .unwrap(),
        CollectionState::default()
    );
}

#[test]
fn atomic_write_replaces_and_leaves_no_temp_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.json");
    write_atomic(&path, b"one").unwrap();
    write_atomic(&path, b"two").unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), "two");
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["f.json"]);
    // Writing into a path whose parent is a file fails and changes nothing.
    assert!(write_atomic(&path.join("child"), b"x").is_err());
    assert_eq!(fs::read_to_string(&path).unwrap(), "two");
}

#[tokio::test]
async fn the_lock_excludes_a_second_run_until_released() {
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::new(dir.path());
    let first = data.lock(Duration::from_secs(1)).await.unwrap();
    let error = data.lock(Duration::from_millis(250)).await.unwrap_err();
    assert!(matches!(error, StateError::LockTimeout { .. }), "{error}");
    assert!(error.to_string().contains("another curator run"));

    let waiter = {
        let data = data.clone();
        tokio::spawn(async move { data.lock(Duration::from_secs(10)).await })
    };
    drop(first);
    let second = waiter.await.unwrap();
    assert!(second.is_ok());
}

#[test]
fn the_previous_tools_file_locations_are_honoured() {
    let dir = tempfile::tempdir().unwrap();
    // Relative: inside the data directory, as the previous tool took it
    // inside its data/ folder (config_loader.py, 3.x to 5.2).
    let data = DataDir::new(dir.path())
        .with_points_file("old/points.json")
        .with_tmdb_cache_file("cache.json");
    assert_eq!(data.points_path(), dir.path().join("old/points.json"));
    assert_eq!(data.tmdb_cache_path(), dir.path().join("cache.json"));
    fs::create_dir_all(dir.path().join("old")).unwrap();
    fs::write(data.points_path(), r#"{"101": 3}"#).unwrap();
    assert!(matches!(
        data.load_points().unwrap(),
        LoadedPoints::Legacy(_)
    ));
    // The backup sits beside it, and a second one never replaces the first.
    let first = data.backup_points().unwrap();
    let second = data.backup_points().unwrap();
    assert_ne!(first, second);
    assert_eq!(first.parent(), Some(dir.path().join("old").as_path()));
    assert_eq!(fs::read_to_string(&second).unwrap(), r#"{"101": 3}"#);
    data.save_points(&PointsBook::default()).unwrap();
    assert!(matches!(
        data.load_points().unwrap(),
        LoadedPoints::Current(_)
    ));
    assert!(!dir.path().join(POINTS_FILE).exists());

    // Absolute: as it is.
    let elsewhere = tempfile::tempdir().unwrap();
    let path = elsewhere.path().join("recommendation_points.json");
    let data = DataDir::new(dir.path()).with_points_file(&path);
    assert_eq!(data.points_path(), path);
}

#[test]
fn an_old_small_collection_reads_as_empty_until_it_is_converted() {
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::new(dir.path());
    let which = SmallCollection::RecentlyWatched;
    fs::write(
        data.collection_path(which),
        r#"[{"title": "Heat", "rating_key": "101", "year": 1995}]"#,
    )
    .unwrap();
    assert!(data.load_collection(which).unwrap().movies.is_empty());
    let items = data.load_legacy_collection(which).unwrap().unwrap();
    assert_eq!(items[0].rating_key.as_deref(), Some("101"));
    data.save_collection(which, &CollectionState::default())
        .unwrap();
    assert!(data.load_legacy_collection(which).unwrap().is_none());
}
