//! The previous tool's shapes, each modelled on what its code wrote
//! (ohmzi/Tautulli_Curated_Plex_Collection and ohmzi/Immaculaterr before
//! its rewrite: `tautulli_watched_movies.py` 2.x keyed by TMDb id,
//! `plex_collection_manager.py` 3.x-5.0 `_set_points` bare numbers, 5.1
//! `update_points_data_for_run` `{"ratingKey", "points", "title"}`).

use plex_client::SectionKey;
use serde_json::json;
use time::macros::date;

use super::*;

fn movie(rk: &str, title: &str, year: u16, tmdb: Option<u32>) -> Movie {
    Movie {
        rating_key: RatingKey(rk.into()),
        title: title.into(),
        original_title: None,
        year: Some(year),
        added_at: None,
        guid: String::new(),
        tmdb_id: tmdb.map(TmdbId),
        imdb_id: None,
        edition: None,
        section: None,
        media: Vec::new(),
    }
}

/// Rating keys that are also TMDb ids of other movies, as in any real
/// library: "603" is Ronin here, while TMDb 603 is The Matrix (rating key 2).
fn library() -> LibraryIndex {
    LibraryIndex::new(
        SectionKey("1".into()),
        vec![
            movie("101", "Heat", 1995, Some(949)),
            movie("2", "The Matrix", 1999, Some(603)),
            movie("603", "Ronin", 1998, Some(8195)),
            movie("7", "Beauty and the Beast", 1991, Some(10020)),
            movie("8", "Beauty and the Beast", 2017, Some(321612)),
            movie("9", "Amélie", 2001, Some(194)),
        ],
    )
}

fn decide_all(value: &serde_json::Value) -> (LegacyPoints, Vec<Decision>) {
    let legacy = parse_points(value).unwrap();
    let library = library();
    let decisions = legacy
        .entries
        .iter()
        .map(|e| classify(e, &library))
        .collect();
    (legacy, decisions)
}

fn tmdb_of(decision: &Decision) -> Option<(u32, bool)> {
    match decision {
        Decision::RatingKey(m) => Some((m.tmdb_id.0, true)),
        Decision::TmdbId(m) => Some((m.tmdb_id.0, false)),
        _ => None,
    }
}

#[test]
fn every_shape_of_every_version_is_read() {
    let legacy = parse_points(&json!({
        "101": 3,
        "2": {"ratingKey": "2", "points": 44, "title": "The Matrix"},
        "603": {"points": 5, "title": "Ronin", "rating_key": 603},
        "949": {"title": "Heat", "points": 10},
        "12": {"title": "unknown", "points": "4"},
        "13": {"score": 2},
        "14": "junk",
    }))
    .unwrap();
    let forms: Vec<_> = legacy
        .entries
        .iter()
        .map(|e| (e.key.as_str(), e.form, e.points, e.title.as_deref()))
        .collect();
    assert_eq!(
        forms,
        [
            ("101", EntryForm::Number, Some(3), None),
            ("12", EntryForm::Object, Some(4), None),
            ("13", EntryForm::Object, Some(2), None),
            ("14", EntryForm::Object, None, None),
            (
                "2",
                EntryForm::ObjectWithRatingKey,
                Some(44),
                Some("The Matrix")
            ),
            (
                "603",
                EntryForm::ObjectWithSnakeRatingKey,
                Some(5),
                Some("Ronin")
            ),
            ("949", EntryForm::Object, Some(10), Some("Heat")),
        ]
    );
    assert!(
        parse_points(&json!([1, 2]))
            .unwrap_err()
            .contains("an array")
    );
}

#[test]
fn a_rating_key_file_imports_the_movies_the_keys_name() {
    // 4.x/5.x: objects keyed by rating key, without `ratingKey`. Read as
    // TMDb ids (what curator did before), "603" would be The Matrix and
    // "101" whatever TMDb 101 is.
    let (_, decisions) = decide_all(&json!({
        "101": {"points": 3, "title": "Heat", "rating_key": "101"},
        "603": {"points": 2, "title": "Ronin", "rating_key": "603"},
        "9": 1,
    }));
    let found: Vec<_> = decisions.iter().map(tmdb_of).collect();
    assert_eq!(
        found,
        [Some((949, true)), Some((8195, true)), Some((194, true))]
    );
}

#[test]
fn a_title_that_disagrees_or_a_missing_key_is_unresolved_not_guessed() {
    let (_, decisions) = decide_all(&json!({
        // The library was rebuilt: 101 is Heat now, not Casino.
        "101": {"ratingKey": "101", "points": 40, "title": "Casino"},
        // Gone from the library: a bare number is never read as a TMDb id.
        "949": 2,
        "55555": {"points": 1, "title": "Gone", "rating_key": "55555"},
    }));
    let reasons: Vec<String> = decisions
        .iter()
        .map(|d| match d {
            Decision::Unresolved(why) => why.clone(),
            other => panic!("resolved: {other:?}"),
        })
        .collect();
    assert!(
        reasons[0].contains("is \"Heat\" in Plex now, not \"Casino\""),
        "{reasons:?}"
    );
    assert!(
        reasons[1].contains("rating key 55555 is not in the Plex library"),
        "{reasons:?}"
    );
    assert!(
        reasons[2].contains("rating key 949 is not in the Plex library"),
        "{reasons:?}"
    );
}

#[test]
fn a_tmdb_keyed_file_is_confirmed_by_the_library_or_left_to_tmdb() {
    let (_, decisions) = decide_all(&json!({
        // 2.x, keyed by TMDb id: the library has 603 (rating key 2).
        "603": {"title": "The Matrix", "points": 9},
        // Rating key 2 is The Matrix, not Heat: then it may be TMDb id 2,
        // which TMDb must confirm.
        "2": {"title": "Heat", "points": 9},
        "680": {"title": "Pulp Fiction", "points": 7},
        // No title to confirm a TMDb id with.
        "12": {"title": "unknown", "points": 3},
        // The library has TMDb 194 under another title.
        "194": {"title": "Casino", "points": 3},
    }));
    // serde_json orders the keys: 12, 194, 2, 603, 680.
    assert_eq!(tmdb_of(&decisions[3]), Some((603, false)));
    assert_eq!(
        decisions[2],
        Decision::AskTmdb {
            id: TmdbId(2),
            title: "Heat".into()
        }
    );
    assert_eq!(
        decisions[4],
        Decision::AskTmdb {
            id: TmdbId(680),
            title: "Pulp Fiction".into()
        }
    );
    assert!(matches!(&decisions[0], Decision::Unresolved(w) if w.contains("without a title")));
    assert!(
        matches!(&decisions[1], Decision::Unresolved(w) if w.contains("\"Amélie\" in Plex, not \"Casino\""))
    );
}

#[test]
fn the_rules_a_file_was_written_under_are_told_apart() {
    let rules = |v| parse_points(&v).unwrap().rules().0;
    // 5.1 and later.
    assert_eq!(
        rules(json!({
            "101": {"ratingKey": "101", "points": 50, "title": "Heat"},
            "2": {"ratingKey": "2", "points": 31},
        })),
        LegacyRules::Newer
    );
    // 3.x-5.0 bare numbers; 4.x/5.x objects; 2.x TMDb keys.
    assert_eq!(rules(json!({"101": 3, "2": 1})), LegacyRules::Older);
    assert_eq!(
        rules(json!({"101": {"points": 3, "title": "Heat", "rating_key": "101"}})),
        LegacyRules::Older
    );
    assert_eq!(
        rules(json!({"949": {"title": "Heat", "points": 10}})),
        LegacyRules::Older
    );
    // The shape of 5.1, but a count only +1 reaches.
    assert_eq!(
        rules(json!({"101": {"ratingKey": "101", "points": 73}})),
        LegacyRules::Older
    );
}

fn book_with(import_as: ImportAs, file: &serde_json::Value) -> (PointsBook, PointsImport) {
    let (legacy, decisions) = decide_all(file);
    let settings = PointsSettings {
        import_as,
        ..PointsSettings::default()
    };
    build_book(&legacy, &decisions, &settings, date!(2026 - 12 - 01))
}

#[test]
fn import_as_decides_the_points() {
    let old = json!({"101": 2, "2": 1, "603": 0});
    let newer = json!({
        "101": {"ratingKey": "101", "points": 37, "title": "Heat"},
        "2": {"ratingKey": "2", "points": 3, "title": "The Matrix"},
    });
    let points = |(book, _): (PointsBook, PointsImport)| -> Vec<u32> {
        book.movies.values().map(|e| e.points).collect()
    };
    // BTreeMap order: 603 (The Matrix), 949 (Heat).
    assert_eq!(points(book_with(ImportAs::Auto, &old)), [50, 50]);
    assert_eq!(points(book_with(ImportAs::Keep, &old)), [1, 2]);
    assert_eq!(points(book_with(ImportAs::Auto, &newer)), [3, 37]);
    assert_eq!(points(book_with(ImportAs::Full, &newer)), [50, 50]);
    let (_, import) = book_with(ImportAs::Auto, &old);
    assert_eq!(import.zero_points, 1);
    assert!(import.raised_to_full);
    assert_eq!(import.file_rules, LegacyRules::Older);
}

#[test]
fn a_movie_tmdb_confirmed_but_plex_lacks_waits_as_pending_and_is_listed() {
    let legacy = parse_points(&json!({"680": {"title": "Pulp Fiction", "points": 7}})).unwrap();
    let decisions = [Decision::TmdbId(Matched {
        tmdb_id: TmdbId(680),
        title: "Pulp Fiction".into(),
        year: Some(1994),
        rating_key: None,
    })];
    let (book, import) = build_book(
        &legacy,
        &decisions,
        &PointsSettings::default(),
        date!(2026 - 12 - 01),
    );
    let pulp = &book.movies[&TmdbId(680)];
    assert_eq!((pulp.status, pulp.points), (EntryStatus::Pending, 0));
    assert_eq!(import.by_tmdb_id.len(), 1);
    assert!(!import.by_tmdb_id[0].in_plex);
}

#[test]
fn duplicates_of_one_movie_keep_the_higher_points() {
    let library = LibraryIndex::new(
        SectionKey("1".into()),
        vec![
            movie("101", "Heat", 1995, Some(949)),
            movie("202", "Heat", 1995, Some(949)),
        ],
    );
    let legacy = parse_points(&json!({
        "101": {"ratingKey": "101", "points": 12, "title": "Heat"},
        "202": {"ratingKey": "202", "points": 30, "title": "Heat"},
    }))
    .unwrap();
    let decisions: Vec<_> = legacy
        .entries
        .iter()
        .map(|e| classify(e, &library))
        .collect();
    let (book, import) = build_book(
        &legacy,
        &decisions,
        &PointsSettings::default(),
        date!(2026 - 12 - 01),
    );
    assert_eq!(book.movies.len(), 1);
    assert_eq!(book.movies[&TmdbId(949)].points, 30);
    assert_eq!(import.by_rating_key.len(), 2);
}

#[test]
fn a_small_collection_is_found_by_rating_key_else_title_and_year() {
    // What 4.x and later wrote: movies Plex lacked have null key and year.
    let items = parse_collection(&json!([
        {"title": "Heat", "rating_key": "101", "year": 1995},
        {"title": "The Matrix", "rating_key": "999", "year": 1999},
        {"title": "Beauty and the Beast", "rating_key": "1", "year": 2017},
        {"title": "Amelie", "rating_key": null, "year": null},
        {"title": "Beauty and the Beast", "rating_key": null, "year": null},
        {"title": "Tenet", "rating_key": null, "year": null},
        "Ronin",
    ]))
    .unwrap();
    let (state, import) = convert_collection(&items, &library());
    let ids: Vec<u32> = state.movies.iter().map(|m| m.tmdb_id.0).collect();
    assert_eq!(ids, [949, 603, 321612, 194, 8195]);
    assert_eq!(state.movies[1].rating_key, "2");
    assert_eq!(import.by_rating_key, ["Heat (1995)"]);
    assert_eq!(
        import.by_title,
        [
            "The Matrix (1999)",
            "Beauty and the Beast (2017)",
            "Amelie",
            "Ronin"
        ]
    );
    // Two different films of that title and no year; one Plex never had.
    assert_eq!(import.not_in_plex, ["Beauty and the Beast", "Tenet"]);
}

#[test]
fn tv_points_are_keyed_by_tvdb_id_when_the_entry_names_one() {
    let value = serde_json::json!({
        "tvdb:81189": {"title": "Breaking Bad", "points": 50, "rating_key": "12"},
        // Stored under its title before the previous tool knew its TVDB id.
        "title:dark": {"title": "Dark", "points": 3, "tvdb_id": 334824},
        "title:the office": {"points": 2},
        "tvdb:0": {"title": "Broken", "points": 1}
    });
    let parsed = parse_tv_points(&value).unwrap();
    let mut keys: Vec<_> = parsed
        .entries
        .iter()
        .map(|e| {
            let rating_key = e.rating_key.as_deref();
            (e.key.as_str(), e.points, e.title.as_deref(), rating_key)
        })
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            ("title:the office", Some(2), Some("the office"), None),
            ("tvdb:0", Some(1), Some("Broken"), None),
            ("tvdb:334824", Some(3), Some("Dark"), None),
            ("tvdb:81189", Some(50), Some("Breaking Bad"), Some("12")),
        ]
    );
    assert_eq!(tv_key_tvdb("tvdb:81189"), Some(TvdbId(81189)));
    assert_eq!(tv_key_tvdb("tvdb:0"), None);
    assert_eq!(tv_key_tvdb("title:dark"), None);
    // Newer rules: the points are kept.
    assert_eq!(parsed.rules().0, LegacyRules::Newer);
    assert!(parse_tv_points(&serde_json::json!([1, 2])).is_err());
}
