//! Reading and converting the files the previous tool wrote.
//!
//! Its `recommendation_points.json` came in several shapes over its versions:
//! - 1.x/2.x: objects keyed by TMDb id, `{"949": {"title": "Heat", "points": 10}}`;
//! - 3.x to 5.0: bare numbers keyed by Plex rating key, `{"12345": 3}`, and
//!   objects keyed by rating key, `{"12345": {"points": 5, "title": "Heat", "rating_key": "12345"}}`
//!   (or `{"score": 5}`);
//! - 5.1 and later: `{"12345": {"ratingKey": "12345", "points": 50, "title": "Heat"}}`.
//!
//! Nothing in a file says which shape it is, so the key of every entry is
//! decided on its own ([`classify`]): a key that is a rating key in the Plex
//! library (whose title agrees, when the entry has one) is a rating key;
//! otherwise a TMDb id whose title the library or TMDb confirms; otherwise
//! the entry is reported as unresolved and left in the backup.
//!
//! The two small collections were arrays of `{title, rating_key, year}`
//! without TMDb ids; [`convert_collection`] finds their movies in the library
//! by rating key (title agreeing), else by title and year.

use curator_http::{TmdbId, TvdbId};
use plex_client::{Movie, RatingKey};
use serde::Serialize;
use serde_json::Value;
use time::Date;

use crate::collection::{CollectionMovie, CollectionState};
use crate::library::LibraryIndex;
use crate::normalize::normalize_title;
use crate::points::{EntryStatus, ImportAs, PointsBook, PointsEntry, PointsSettings};

/// The highest points the previous tool ever gave under its newer rules
/// (5.1 and later set a suggestion to 50, hard-coded). More than this can
/// only come from its older +1 counting.
pub const LEGACY_MAX_POINTS: u32 = 50;

/// How an entry was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryForm {
    /// A bare number (3.x to 5.0).
    Number,
    /// An object naming its `ratingKey` (what 5.1 and later write).
    ObjectWithRatingKey,
    /// An object naming its `rating_key` (4.x/5.x).
    ObjectWithSnakeRatingKey,
    /// An object without a rating key field (1.x/2.x, or `{"score": n}`).
    Object,
}

/// One entry of a legacy points file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacyEntry {
    /// The key it was filed under.
    pub key: String,
    /// How it was written.
    pub form: EntryForm,
    /// A rating key the entry names in a field, if any.
    pub rating_key: Option<String>,
    /// A TMDb id the entry names in a field, if any.
    pub tmdb_id: Option<TmdbId>,
    /// Its points (or score); `None` when it has none that can be read.
    pub points: Option<u32>,
    /// Its title, when it has a real one (`"unknown"` is none).
    pub title: Option<String>,
    /// Its year, when it has one.
    pub year: Option<i32>,
}

/// A legacy points file, parsed but not yet converted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LegacyPoints {
    /// Its entries, in file order.
    pub entries: Vec<LegacyEntry>,
}

/// Which of the previous tool's points rules a file was written under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LegacyRules {
    /// 5.1 and later: 50 points on a suggestion, minus one per run, the
    /// rules curator follows by default.
    Newer,
    /// Before 5.1: +1 per suggestion, nothing ever taken away.
    Older,
}

impl LegacyPoints {
    /// Which rules wrote this file, and why that is the answer.
    ///
    /// The newer code rewrites every entry on every run as an object with
    /// a `ratingKey` field, and never gives more than
    /// [`LEGACY_MAX_POINTS`]. A file where every entry is such an object
    /// and none holds more is taken as following the newer rules; anything
    /// else (bare numbers, `rating_key` or no key field, a number only +1
    /// counting reaches) is older.
    pub fn rules(&self) -> (LegacyRules, String) {
        let objects = self
            .entries
            .iter()
            .filter(|e| e.form == EntryForm::ObjectWithRatingKey)
            .count();
        let over = self
            .entries
            .iter()
            .filter(|e| e.points.is_some_and(|p| p > LEGACY_MAX_POINTS))
            .count();
        if self.entries.is_empty() {
            return (LegacyRules::Newer, "the file holds no entries".into());
        }
        if objects < self.entries.len() {
            return (
                LegacyRules::Older,
                format!(
                    "{} of {} entries are not written the way 5.1 and later write them (an object with ratingKey)",
                    self.entries.len() - objects,
                    self.entries.len()
                ),
            );
        }
        if over > 0 {
            return (
                LegacyRules::Older,
                format!(
                    "{over} entries hold more than {LEGACY_MAX_POINTS} points, which only the +1 rules reach"
                ),
            );
        }
        (
            LegacyRules::Newer,
            format!(
                "every entry is written as 5.1 and later write them, with at most {LEGACY_MAX_POINTS} points"
            ),
        )
    }
}

/// Reads the previous tool's TV points file, `recommendation_points_tv.json`:
/// an object keyed `tvdb:{id}` (or `title:{normalised title}` for a show it
/// knew no TVDB id of), each entry `{"title", "points", "rating_key"?,
/// "tvdb_id"?}`, written under its newer rules only (50 on a suggestion,
/// minus one a run, gone at zero: `pipeline_tv_immaculate.run_tv_pipeline`,
/// `_tv_points_key` in the previous tool). Each entry's key is given as
/// `tvdb:{id}` whenever the entry names a TVDB id (in its key or its
/// `tvdb_id` field), else as it was; entries count as written under the
/// newer rules, so their points are kept.
///
/// # Errors
/// A readable reason when the file is not such an object.
pub(crate) fn parse_tv_points(value: &Value) -> Result<LegacyPoints, String> {
    let Value::Object(map) = value else {
        return Err(format!(
            "expected a JSON object of shows (no schema_version, and not the previous tool's TV points either), found {}",
            kind(value)
        ));
    };
    let mut entries = Vec::with_capacity(map.len());
    for (key, item) in map {
        let fields = item.as_object();
        let field = |name: &str| fields.and_then(|f| f.get(name));
        let tvdb = tv_key_tvdb(key).or_else(|| {
            field("tvdb_id")
                .and_then(|v| text(Some(v)))
                .and_then(|t| t.trim().parse().ok())
                .filter(|id: &u32| *id > 0)
                .map(TvdbId)
        });
        let title = text(field("title"))
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .or_else(|| key.strip_prefix("title:").map(str::to_owned));
        entries.push(LegacyEntry {
            key: tvdb.map_or_else(|| key.clone(), |id| format!("tvdb:{id}")),
            form: EntryForm::ObjectWithRatingKey,
            rating_key: text(field("rating_key")).filter(|k| !k.trim().is_empty()),
            tmdb_id: None,
            points: field("points").and_then(|v| as_points(points_number(v))),
            title,
            year: None,
        });
    }
    Ok(LegacyPoints { entries })
}

/// The TVDB id of a TV points key `tvdb:{id}`.
pub(crate) fn tv_key_tvdb(key: &str) -> Option<TvdbId> {
    key.strip_prefix("tvdb:")?
        .trim()
        .parse()
        .ok()
        .filter(|id: &u32| *id > 0)
        .map(TvdbId)
}

/// Recognises a legacy points file.
///
/// Entries that cannot be read are kept (with no points) so they are
/// reported as unresolved rather than lost without a word.
///
/// # Errors
/// A sentence saying why the value is none of the known forms.
pub(crate) fn parse_points(value: &Value) -> Result<LegacyPoints, String> {
    let Value::Object(map) = value else {
        return Err(format!(
            "expected a JSON object of movies (no schema_version, and not a form the previous tool wrote either), found {}",
            kind(value)
        ));
    };
    let mut entries = Vec::with_capacity(map.len());
    for (key, item) in map {
        let entry = match item {
            Value::Number(n) => LegacyEntry {
                key: key.clone(),
                form: EntryForm::Number,
                rating_key: None,
                tmdb_id: None,
                points: as_points(n.as_f64()),
                title: None,
                year: None,
            },
            Value::Object(fields) => {
                let camel = text(fields.get("ratingKey"));
                let snake = text(fields.get("rating_key"));
                let form = match (&camel, &snake) {
                    (Some(_), _) => EntryForm::ObjectWithRatingKey,
                    (None, Some(_)) => EntryForm::ObjectWithSnakeRatingKey,
                    (None, None) => EntryForm::Object,
                };
                let title = text(fields.get("title"))
                    .map(|t| t.trim().to_owned())
                    .filter(|t| !t.is_empty() && !t.eq_ignore_ascii_case("unknown"));
                LegacyEntry {
                    key: key.clone(),
                    form,
                    rating_key: camel.or(snake),
                    tmdb_id: text(fields.get("tmdb_id").or_else(|| fields.get("tmdbId")))
                        .and_then(|t| t.parse().ok()),
                    points: fields
                        .get("points")
                        .or_else(|| fields.get("score"))
                        .and_then(|v| as_points(points_number(v))),
                    title,
                    year: fields
                        .get("year")
                        .and_then(Value::as_i64)
                        .and_then(|y| i32::try_from(y).ok()),
                }
            }
            _ => LegacyEntry {
                key: key.clone(),
                form: EntryForm::Object,
                rating_key: None,
                tmdb_id: None,
                points: None,
                title: None,
                year: None,
            },
        };
        entries.push(entry);
    }
    Ok(LegacyPoints { entries })
}

/// A movie an entry was matched to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Matched {
    /// Its TMDb id.
    pub tmdb_id: TmdbId,
    /// Its title (the library's, or TMDb's when Plex lacks it).
    pub title: String,
    /// Its year.
    pub year: Option<i32>,
    /// Its rating key when Plex has it.
    pub rating_key: Option<String>,
}

/// What an entry's key turned out to be, as far as the library can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Decision {
    /// A rating key of this library movie.
    RatingKey(Matched),
    /// A TMDb id the library has, or TMDb confirmed (its title agreeing);
    /// `rating_key` is `None` when Plex lacks the movie.
    TmdbId(Matched),
    /// Possibly a TMDb id of a movie Plex lacks: TMDb must confirm the title.
    AskTmdb {
        /// The id to ask about.
        id: TmdbId,
        /// The title it must have.
        title: String,
    },
    /// Neither; why.
    Unresolved(String),
}

/// True when two titles name the same movie (case, accents, punctuation
/// and leading articles aside).
pub(crate) fn titles_agree(a: &str, b: &str) -> bool {
    normalize_title(a) == normalize_title(b)
}

fn matched(movie: &Movie) -> Option<Matched> {
    Some(Matched {
        tmdb_id: movie.tmdb_id?,
        title: movie.title.clone(),
        year: movie.year.map(i32::from),
        rating_key: Some(movie.rating_key.0.clone()),
    })
}

fn agrees_with(entry_title: &str, movie: &Movie) -> bool {
    titles_agree(entry_title, &movie.title)
        || movie
            .original_title
            .as_deref()
            .is_some_and(|o| titles_agree(entry_title, o))
}

/// Decides what an entry's key is, using the library only.
pub(crate) fn classify(entry: &LegacyEntry, library: &LibraryIndex) -> Decision {
    let rating_key = entry
        .rating_key
        .clone()
        .unwrap_or_else(|| entry.key.clone());
    let mut disagreement = None;
    if entry.tmdb_id.is_none()
        && let Some(movie) = library.by_rating_key(&RatingKey(rating_key.clone()))
    {
        match &entry.title {
            Some(title) if !agrees_with(title, movie) => {
                disagreement = Some(format!(
                    "rating key {rating_key} is {:?} in Plex now, not {title:?}",
                    movie.title
                ));
            }
            _ => {
                return match matched(movie) {
                    Some(m) => Decision::RatingKey(m),
                    None => Decision::Unresolved(format!(
                        "rating key {rating_key} is {:?} in Plex, which has no TMDb id for it",
                        movie.title
                    )),
                };
            }
        }
    }
    // An entry that names its rating key in a field, or is a bare number, is
    // keyed by rating key: reading its key as a TMDb id would only find
    // some unrelated movie.
    let keyed_by_rating_key = entry.tmdb_id.is_none() && entry.form != EntryForm::Object;
    if keyed_by_rating_key {
        return Decision::Unresolved(disagreement.unwrap_or_else(|| {
            format!("rating key {rating_key} is not in the Plex library (was the library rebuilt?)")
        }));
    }
    let Some(id) = entry
        .tmdb_id
        .or_else(|| entry.key.trim().parse::<u32>().ok().map(TmdbId))
    else {
        return Decision::Unresolved(disagreement.unwrap_or_else(|| {
            format!(
                "key {:?} is neither a rating key in the library nor a TMDb id",
                entry.key
            )
        }));
    };
    let Some(title) = &entry.title else {
        return Decision::Unresolved(disagreement.unwrap_or_else(|| {
            format!(
                "key {} is not a rating key in the library, and without a title the TMDb id {id} cannot be confirmed",
                entry.key
            )
        }));
    };
    let in_library = library.by_tmdb(id);
    if let Some(m) = in_library
        .iter()
        .find(|m| agrees_with(title, m))
        .and_then(|movie| matched(movie))
    {
        return Decision::TmdbId(m);
    }
    if let Some(movie) = in_library.first() {
        return Decision::Unresolved(format!(
            "TMDb id {id} is {:?} in Plex, not {title:?}",
            movie.title
        ));
    }
    Decision::AskTmdb {
        id,
        title: title.clone(),
    }
}

/// One converted entry, for the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportedMovie {
    /// The movie.
    pub tmdb_id: TmdbId,
    /// Its title.
    pub title: String,
    /// Its year.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// The points it had in the old file.
    pub old_points: u32,
    /// The points it has now (0 while it waits as pending).
    pub points: u32,
    /// True when Plex has it (active); false: it waits as pending.
    pub in_plex: bool,
}

/// An entry that was not converted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnresolvedEntry {
    /// The key it was filed under.
    pub key: String,
    /// Its title, when the file had one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Why it was not converted.
    pub reason: String,
}

impl UnresolvedEntry {
    /// Its title, or its key.
    pub fn label(&self) -> String {
        match &self.title {
            Some(t) => format!("{t:?} (key {})", self.key),
            None => format!("key {}", self.key),
        }
    }
}

/// What converting a points file did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PointsImport {
    /// How many entries the file held.
    pub entries: usize,
    /// Entries keyed by a rating key of this library.
    pub by_rating_key: Vec<ImportedMovie>,
    /// Entries keyed by a TMDb id the library or TMDb confirmed.
    pub by_tmdb_id: Vec<ImportedMovie>,
    /// Entries that were not converted (they stay in the backup).
    pub unresolved: Vec<UnresolvedEntry>,
    /// Entries with 0 points (the previous tool would have dropped them).
    pub zero_points: usize,
    /// Which rules wrote the file.
    pub file_rules: LegacyRules,
    /// Why that is the answer.
    pub file_rules_reason: String,
    /// The setting that decided the points.
    pub import_as: ImportAs,
    /// True when entries were given full points rather than keeping theirs.
    pub raised_to_full: bool,
    /// Entries lowered to `max_points`.
    pub capped: usize,
}

/// Builds the book from entries whose key is decided.
///
/// `decisions` holds one decision per entry of `legacy`, in order, after
/// TMDb was asked: [`Decision::AskTmdb`] is no longer among them.
pub(crate) fn build_book(
    legacy: &LegacyPoints,
    decisions: &[Decision],
    settings: &PointsSettings,
    today: Date,
) -> (PointsBook, PointsImport) {
    let (file_rules, file_rules_reason) = legacy.rules();
    let raised_to_full = match settings.import_as {
        ImportAs::Full => true,
        ImportAs::Keep => false,
        ImportAs::Auto => file_rules == LegacyRules::Older,
    };
    let mut import = PointsImport {
        entries: legacy.entries.len(),
        by_rating_key: Vec::new(),
        by_tmdb_id: Vec::new(),
        unresolved: Vec::new(),
        zero_points: 0,
        file_rules,
        file_rules_reason,
        import_as: settings.import_as,
        raised_to_full,
        capped: 0,
    };
    let mut book = PointsBook::default();
    for (entry, decision) in legacy.entries.iter().zip(decisions) {
        let (movie, by_rating_key) = match decision {
            Decision::RatingKey(m) => (m, true),
            Decision::TmdbId(m) => (m, false),
            Decision::AskTmdb { id, .. } => {
                import.unresolved.push(UnresolvedEntry {
                    key: entry.key.clone(),
                    title: entry.title.clone(),
                    reason: format!("TMDb was not asked to confirm id {id}"),
                });
                continue;
            }
            Decision::Unresolved(reason) => {
                import.unresolved.push(UnresolvedEntry {
                    key: entry.key.clone(),
                    title: entry.title.clone(),
                    reason: reason.clone(),
                });
                continue;
            }
        };
        let Some(old_points) = entry.points else {
            import.unresolved.push(UnresolvedEntry {
                key: entry.key.clone(),
                title: entry.title.clone().or_else(|| Some(movie.title.clone())),
                reason: "the entry has no points that can be read".into(),
            });
            continue;
        };
        if old_points == 0 {
            import.zero_points += 1;
            continue;
        }
        let in_plex = movie.rating_key.is_some();
        let mut points = if raised_to_full {
            settings.full_points(old_points)
        } else {
            old_points
        };
        if settings.max_points > 0 && points > settings.max_points {
            points = settings.max_points;
            import.capped += 1;
        }
        if !in_plex {
            // Waits for Plex like a movie sent to Radarr; it holds no points
            // until it arrives.
            points = 0;
        }
        let merged = book.movies.entry(movie.tmdb_id).or_insert(PointsEntry {
            title: movie.title.clone(),
            year: movie.year,
            rating_key: movie.rating_key.clone(),
            points: 0,
            status: if in_plex {
                EntryStatus::Active
            } else {
                EntryStatus::Pending
            },
            first_suggested: today,
            last_suggested: today,
        });
        // Two rating keys of one movie (a duplicate) keep the higher points.
        merged.points = merged.points.max(points);
        let imported = ImportedMovie {
            tmdb_id: movie.tmdb_id,
            title: movie.title.clone(),
            year: movie.year,
            old_points,
            points,
            in_plex,
        };
        if by_rating_key {
            import.by_rating_key.push(imported);
        } else {
            import.by_tmdb_id.push(imported);
        }
    }
    (book, import)
}

/// One entry of a legacy small-collection file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacyCollectionItem {
    /// Its title.
    pub title: String,
    /// Its rating key, when the movie was in Plex then.
    pub rating_key: Option<String>,
    /// Its year, when known.
    pub year: Option<i32>,
    /// Its TMDb id, when the file had one.
    pub tmdb_id: Option<TmdbId>,
}

/// Reads a legacy small-collection file: a bare array of
/// `{title, rating_key, year}` (4.x and later; `rating_key` and `year` are
/// null for movies Plex lacked), or of plain titles.
///
/// # Errors
/// A sentence saying why the value is not such an array.
pub(crate) fn parse_collection(value: &Value) -> Result<Vec<LegacyCollectionItem>, String> {
    let Value::Array(items) = value else {
        return Err(format!(
            "expected an object with schema_version (or the previous tool's array), found {}",
            kind(value)
        ));
    };
    Ok(items
        .iter()
        .filter_map(|item| match item {
            Value::String(title) => Some(LegacyCollectionItem {
                title: title.trim().to_owned(),
                rating_key: None,
                year: None,
                tmdb_id: None,
            }),
            Value::Object(fields) => Some(LegacyCollectionItem {
                title: text(fields.get("title"))?.trim().to_owned(),
                rating_key: text(fields.get("rating_key").or_else(|| fields.get("ratingKey"))),
                year: fields
                    .get("year")
                    .and_then(Value::as_i64)
                    .and_then(|y| i32::try_from(y).ok()),
                tmdb_id: text(fields.get("tmdb_id").or_else(|| fields.get("tmdbId")))
                    .and_then(|t| t.parse().ok()),
            }),
            _ => None,
        })
        .filter(|item| !item.title.is_empty())
        .collect())
}

/// What converting a small collection's file did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CollectionImport {
    /// How many entries the file held.
    pub entries: usize,
    /// Movies found by their rating key (title agreeing).
    pub by_rating_key: Vec<String>,
    /// Movies found by title and year.
    pub by_title: Vec<String>,
    /// Entries Plex does not have (they were missing when suggested, or
    /// are gone): left out.
    pub not_in_plex: Vec<String>,
}

/// Finds a legacy small collection's movies in the library.
pub(crate) fn convert_collection(
    items: &[LegacyCollectionItem],
    library: &LibraryIndex,
) -> (CollectionState, CollectionImport) {
    let mut import = CollectionImport {
        entries: items.len(),
        ..CollectionImport::default()
    };
    let mut movies: Vec<CollectionMovie> = Vec::new();
    for item in items {
        let label = match item.year {
            Some(y) => format!("{} ({y})", item.title),
            None => item.title.clone(),
        };
        let by_key = item
            .rating_key
            .as_ref()
            .and_then(|k| library.by_rating_key(&RatingKey(k.clone())))
            .filter(|m| agrees_with(&item.title, m) && m.tmdb_id.is_some());
        let (movie, found_by_key) = match by_key {
            Some(m) => (Some(m), true),
            None => (find_by_title(item, library), false),
        };
        let Some(movie) = movie.and_then(|m| Some((m, matched(m)?))) else {
            import.not_in_plex.push(label);
            continue;
        };
        let (plex, m) = movie;
        if movies.iter().any(|c| c.tmdb_id == m.tmdb_id) {
            continue;
        }
        if found_by_key {
            import.by_rating_key.push(label);
        } else {
            import.by_title.push(label);
        }
        movies.push(CollectionMovie {
            tmdb_id: m.tmdb_id,
            rating_key: plex.rating_key.0.clone(),
            title: plex.title.clone(),
            year: m.year,
        });
    }
    (
        CollectionState {
            movies,
            ..CollectionState::default()
        },
        import,
    )
}

/// A library movie by TMDb id (when the file had one), else by title and
/// year; without a year only a title that names one movie counts.
fn find_by_title<'a>(item: &LegacyCollectionItem, library: &'a LibraryIndex) -> Option<&'a Movie> {
    if let Some(movie) = item
        .tmdb_id
        .and_then(|id| library.by_tmdb(id).into_iter().next())
    {
        return Some(movie);
    }
    let hits: Vec<&Movie> = library
        .movies()
        .iter()
        .filter(|m| m.tmdb_id.is_some() && agrees_with(&item.title, m))
        .filter(|m| {
            item.year
                .is_none_or(|y| m.year.is_some_and(|my| (i32::from(my) - y).abs() <= 1))
        })
        .collect();
    let exact: Vec<&Movie> = match item.year {
        Some(y) => {
            let same: Vec<&Movie> = hits
                .iter()
                .copied()
                .filter(|m| m.year.map(i32::from) == Some(y))
                .collect();
            if same.is_empty() { hits } else { same }
        }
        None => hits,
    };
    let first = exact.first()?;
    // Several different movies of that title (remakes) and no year to
    // choose: none is taken.
    exact
        .iter()
        .all(|m| m.tmdb_id == first.tmdb_id)
        .then_some(*first)
}

fn text(value: Option<&Value>) -> Option<String> {
    match value {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

fn points_number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn as_points(value: Option<f64>) -> Option<u32> {
    match value {
        Some(v) if v.is_finite() && v >= 0.0 => Some(v.round().min(f64::from(u32::MAX)) as u32),
        Some(v) if v.is_finite() => Some(0),
        _ => None,
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
mod tests;
