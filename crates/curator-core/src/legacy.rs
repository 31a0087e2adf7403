//! Reading the files the previous tool wrote.
//!
//! Its `recommendation_points.json` came in three forms over its versions:
//! - keyed by Plex rating key: `{"12345": {"ratingKey": "12345", "points": 5, "title": "Heat"}}`;
//! - keyed by rating key with bare values: `{"12345": 5}` or `{"12345": {"score": 5}}`;
//! - keyed by TMDb id: `{"949": {"title": "Heat", "points": 5}}`.
//!
//! Rating keys change when a library is rebuilt, so they are mapped to TMDb
//! ids through the current Plex library; keys Plex no longer knows are
//! reported and left behind (the original file is kept as a backup).

use std::collections::BTreeMap;

use curator_http::TmdbId;
use serde::Serialize;
use serde_json::Value;
use time::Date;

use crate::points::{EntryStatus, PointsBook, PointsEntry, PointsSettings};
use crate::state::{CollectionMovie, CollectionState};

/// How a legacy entry names its movie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LegacyKey {
    /// A Plex rating key.
    RatingKey(String),
    /// A TMDb id.
    Tmdb(TmdbId),
}

/// One entry of a legacy points file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacyEntry {
    /// What it was keyed by.
    pub key: LegacyKey,
    /// Its points (or score).
    pub points: u32,
    /// Its title, when the file had one.
    pub title: Option<String>,
}

/// A legacy points file, parsed but not yet converted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LegacyPoints {
    /// Its entries, in file order.
    pub entries: Vec<LegacyEntry>,
}

/// A library movie as the import needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryMovie {
    /// Its TMDb id.
    pub tmdb_id: TmdbId,
    /// Its title.
    pub title: String,
    /// Its year.
    pub year: Option<i32>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// Entries carried over.
    pub imported: usize,
    /// Rating keys the Plex library no longer has (title when known).
    pub unmapped: Vec<String>,
    /// Entries whose points were lowered to `max_points`.
    pub capped: usize,
    /// Where the original file was copied.
    pub backup: Option<String>,
}

/// Recognises a legacy points file.
///
/// # Errors
/// A sentence saying why the value is none of the known forms.
pub(crate) fn parse_points(value: &Value) -> Result<LegacyPoints, String> {
    let Value::Object(map) = value else {
        return Err("expected a JSON object of movies (no schema_version, and not a form the previous tool wrote either)".into());
    };
    let mut entries = Vec::with_capacity(map.len());
    for (key, item) in map {
        let entry = match item {
            Value::Number(n) => LegacyEntry {
                key: LegacyKey::RatingKey(key.clone()),
                points: as_points(n.as_f64(), key)?,
                title: None,
            },
            Value::Object(fields) => {
                let title = fields
                    .get("title")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                let points = fields
                    .get("points")
                    .or_else(|| fields.get("score"))
                    .ok_or_else(|| format!("entry {key:?} has neither points nor score"))?;
                let points = as_points(points_number(points), key)?;
                let rating_key = match fields.get("ratingKey") {
                    Some(Value::String(s)) => Some(s.clone()),
                    Some(Value::Number(n)) => Some(n.to_string()),
                    _ => None,
                };
                let key = match (rating_key, fields.contains_key("score")) {
                    (Some(rk), _) => LegacyKey::RatingKey(rk),
                    (None, true) => LegacyKey::RatingKey(key.clone()),
                    (None, false) => LegacyKey::Tmdb(key.parse().map_err(|_| {
                        format!("entry {key:?} has no ratingKey and its key is not a TMDb id")
                    })?),
                };
                LegacyEntry { key, points, title }
            }
            other => {
                return Err(format!(
                    "entry {key:?} is {}, expected a number or an object",
                    kind(other)
                ));
            }
        };
        entries.push(entry);
    }
    Ok(LegacyPoints { entries })
}

/// Converts a legacy file using the library (rating key -> movie).
pub fn convert_points(
    legacy: &LegacyPoints,
    by_rating_key: &BTreeMap<String, LibraryMovie>,
    by_tmdb: &BTreeMap<TmdbId, String>,
    settings: &PointsSettings,
    today: Date,
) -> (PointsBook, ImportReport) {
    let mut book = PointsBook::default();
    let mut report = ImportReport::default();
    for entry in legacy.entries.iter().filter(|e| e.points > 0) {
        let (tmdb_id, title, year, rating_key) = match &entry.key {
            LegacyKey::RatingKey(rk) => match by_rating_key.get(rk) {
                Some(movie) => (
                    movie.tmdb_id,
                    movie.title.clone(),
                    movie.year,
                    Some(rk.clone()),
                ),
                None => {
                    report.unmapped.push(
                        entry
                            .title
                            .clone()
                            .unwrap_or_else(|| format!("rating key {rk}")),
                    );
                    continue;
                }
            },
            LegacyKey::Tmdb(id) => (
                *id,
                entry.title.clone().unwrap_or_else(|| format!("TMDb {id}")),
                None,
                by_tmdb.get(id).cloned(),
            ),
        };
        let mut points = entry.points;
        if settings.max_points > 0 && points > settings.max_points {
            points = settings.max_points;
            report.capped += 1;
        }
        // A movie Plex does not have waits as pending, as if just sent to
        // Radarr, rather than being reported missing on every refresh.
        let status = if rating_key.is_some() {
            EntryStatus::Active
        } else {
            EntryStatus::Pending
        };
        let merged = book.movies.entry(tmdb_id).or_insert(PointsEntry {
            title,
            year,
            rating_key,
            points: 0,
            status,
            first_suggested: today,
            last_suggested: today,
        });
        // Two rating keys of one movie (a duplicate) keep the higher points;
        // pending entries hold none until they arrive.
        if merged.status == EntryStatus::Active {
            merged.points = merged.points.max(points);
        }
    }
    report.imported = book.movies.len();
    (book, report)
}

/// Reads a legacy small-collection file: a bare array of movies with
/// `title`, `year`, `ratingKey` / `rating_key` and `tmdbId` / `tmdb_id`.
///
/// Entries without a TMDb id or rating key are dropped: the next run writes
/// the file anew anyway.
///
/// # Errors
/// A sentence saying why the value is not such an array.
pub(crate) fn parse_collection(value: &Value) -> Result<CollectionState, String> {
    let Value::Array(items) = value else {
        return Err(format!(
            "expected an object with schema_version (or the previous tool's array), found {}",
            kind(value)
        ));
    };
    let text = |v: Option<&Value>| match v {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let movies = items
        .iter()
        .filter_map(|item| {
            let rating_key = text(item.get("ratingKey").or_else(|| item.get("rating_key")))?;
            let tmdb_id = text(item.get("tmdbId").or_else(|| item.get("tmdb_id")))?
                .parse()
                .ok()?;
            Some(CollectionMovie {
                tmdb_id,
                rating_key,
                title: text(item.get("title")).unwrap_or_default(),
                year: item
                    .get("year")
                    .and_then(Value::as_i64)
                    .and_then(|y| i32::try_from(y).ok()),
            })
        })
        .collect();
    Ok(CollectionState {
        movies,
        ..CollectionState::default()
    })
}

fn points_number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn as_points(value: Option<f64>, key: &str) -> Result<u32, String> {
    match value {
        Some(v) if v.is_finite() && v >= 0.0 => Ok(v.round().min(f64::from(u32::MAX)) as u32),
        Some(v) if v.is_finite() => Ok(0),
        _ => Err(format!("entry {key:?} has points that are not a number")),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use time::macros::date;

    #[test]
    fn recognises_every_legacy_form() {
        let value = json!({
            "101": {"ratingKey": "101", "points": 5, "title": "Heat"},
            "102": 3,
            "103": {"score": 2},
            "949": {"title": "Heat", "points": 7},
            "104": {"ratingKey": 104, "points": "4", "title": "Ronin"},
        });
        let parsed = parse_points(&value).unwrap();
        let keys: Vec<_> = parsed
            .entries
            .iter()
            .map(|e| (e.key.clone(), e.points))
            .collect();
        assert_eq!(
            keys,
            vec![
                (LegacyKey::RatingKey("101".into()), 5),
                (LegacyKey::RatingKey("102".into()), 3),
                (LegacyKey::RatingKey("103".into()), 2),
                (LegacyKey::RatingKey("104".into()), 4),
                (LegacyKey::Tmdb(TmdbId(949)), 7),
            ]
        );
    }

    #[test]
    fn rejects_what_it_cannot_read_with_a_reason() {
        for (value, needle) in [
            (json!([1, 2]), "expected a JSON object"),
            (json!({"1": "x"}), "expected a number or an object"),
            (json!({"1": {"title": "x"}}), "neither points nor score"),
            (json!({"abc": {"title": "x", "points": 1}}), "not a TMDb id"),
            (json!({"1": {"points": "many"}}), "not a number"),
        ] {
            let reason = parse_points(&value).unwrap_err();
            assert!(reason.contains(needle), "{reason}");
        }
    }

    #[test]
    fn converts_through_the_library() {
        let legacy = parse_points(&json!({
            "101": {"ratingKey": "101", "points": 5, "title": "Heat"},
            "202": {"ratingKey": "202", "points": 9, "title": "Heat (duplicate)"},
            "999": {"ratingKey": "999", "points": 4, "title": "Gone Movie"},
            "603": {"title": "The Matrix", "points": 80},
            "105": 0,
        }))
        .unwrap();
        let heat = LibraryMovie {
            tmdb_id: TmdbId(949),
            title: "Heat".into(),
            year: Some(1995),
        };
        let by_rk = BTreeMap::from([("101".to_owned(), heat.clone()), ("202".to_owned(), heat)]);
        let by_tmdb = BTreeMap::from([(TmdbId(603), "300".to_owned())]);
        let (book, report) = convert_points(
            &legacy,
            &by_rk,
            &by_tmdb,
            &PointsSettings::default(),
            date!(2026 - 11 - 24),
        );
        assert_eq!(report.imported, 2);
        assert_eq!(report.unmapped, ["Gone Movie"]);
        assert_eq!(report.capped, 1);
        let heat = &book.movies[&TmdbId(949)];
        assert_eq!((heat.points, heat.year), (9, Some(1995)));
        let matrix = &book.movies[&TmdbId(603)];
        assert_eq!(matrix.points, 50);
        assert_eq!(matrix.rating_key.as_deref(), Some("300"));

        // Keyed by a TMDb id Plex does not have: pending, not active.
        let legacy = parse_points(&json!({"680": {"title": "Pulp Fiction", "points": 9}})).unwrap();
        let (book, _) = convert_points(
            &legacy,
            &BTreeMap::new(),
            &BTreeMap::new(),
            &PointsSettings::default(),
            date!(2026 - 11 - 24),
        );
        let pulp = &book.movies[&TmdbId(680)];
        assert_eq!((pulp.status, pulp.points), (EntryStatus::Pending, 0));
    }

    #[test]
    fn reads_a_legacy_collection_array() {
        let state = parse_collection(&json!([
            {"title": "Heat", "year": 1995, "ratingKey": "101", "tmdbId": 949},
            {"title": "No id", "ratingKey": "102"},
        ]))
        .unwrap();
        assert_eq!(state.movies.len(), 1);
        assert_eq!(state.movies[0].tmdb_id, TmdbId(949));
        assert!(
            parse_collection(&json!("x"))
                .unwrap_err()
                .contains("a string")
        );
    }
}
