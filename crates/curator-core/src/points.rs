//! The points system behind "Inspired by your Immaculate Taste".
//!
//! [`apply_run`] is a pure function: the current [`PointsBook`], what this
//! run suggested (split into movies Plex has and movies it lacks), what the
//! library holds now, the settings and today's date go in; the new book and
//! a list of [`PointsChange`]s come out. Nothing here does I/O.

use std::collections::{BTreeMap, BTreeSet};

use curator_http::TmdbId;
use serde::{Deserialize, Serialize};
use time::Date;

/// How a suggestion changes an entry's points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "mode", content = "points")]
pub enum OnSuggest {
    /// Set the entry to `max_points` (the previous tool's final rule).
    SetToMax,
    /// Add this many points (the seed document's simpler rule), capped at
    /// `max_points` when that is not zero.
    Add(u32),
}

/// The points rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PointsSettings {
    /// Points a suggested movie gets; also the cap for [`OnSuggest::Add`]
    /// (0 means no cap there).
    pub max_points: u32,
    /// Points every active entry that was not suggested loses per run.
    pub decay_per_run: u32,
    /// What a suggestion does.
    pub on_suggest: OnSuggest,
    /// A pending movie that has not been suggested again and has not arrived
    /// in Plex within this many days is forgotten.
    pub pending_days: u32,
    /// What points the previous tool's entries get when its file is
    /// converted.
    pub import_as: ImportAs,
}

/// What points the previous tool's entries get when its points file is
/// converted (`points.import_as`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportAs {
    /// Keep the numbers of a file that follows the newer rules (5.1 and
    /// later); give an older file's entries full points.
    #[default]
    Auto,
    /// Give every entry full points.
    Full,
    /// Keep every entry's number (capped at `max_points`).
    Keep,
}

impl ImportAs {
    /// The config word.
    pub fn name(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Full => "full",
            Self::Keep => "keep",
        }
    }
}

impl Default for PointsSettings {
    fn default() -> Self {
        Self {
            max_points: 50,
            decay_per_run: 1,
            on_suggest: OnSuggest::SetToMax,
            pending_days: 90,
            import_as: ImportAs::Auto,
        }
    }
}

impl PointsSettings {
    /// The previous tool's rules before its 5.1 release (`points: classic`):
    /// +1 per suggestion, no decay, no cap. Nothing ever leaves.
    pub fn classic() -> Self {
        Self {
            max_points: 0,
            decay_per_run: 0,
            on_suggest: OnSuggest::Add(1),
            pending_days: 90,
            import_as: ImportAs::Auto,
        }
    }

    /// The same as [`classic`](Self::classic).
    pub fn additive() -> Self {
        Self::classic()
    }

    /// The points an imported entry gets when it is raised to full points:
    /// `max_points`, or (without a cap) the points it had, at least 1.
    pub fn full_points(&self, old: u32) -> u32 {
        if self.max_points > 0 {
            self.max_points
        } else {
            old.max(1)
        }
    }

    /// The rules in words, as a run prints them.
    pub fn describe(&self) -> String {
        // The import setting is not part of the rules.
        let mut probe = self.clone();
        probe.import_as = ImportAs::Auto;
        let name = if probe == Self::default() {
            "standard: "
        } else if probe == Self::classic() {
            "classic: "
        } else {
            ""
        };
        let suggest = match self.on_suggest {
            OnSuggest::SetToMax => {
                format!("a suggestion sets a movie to {} points", self.max_points)
            }
            OnSuggest::Add(n) if self.max_points > 0 => {
                format!("a suggestion adds {n} point(s), up to {}", self.max_points)
            }
            OnSuggest::Add(n) => format!("a suggestion adds {n} point(s)"),
        };
        let decay = if self.decay_per_run == 0 {
            "nothing decays, so no movie ever leaves".to_owned()
        } else {
            format!(
                "every movie not suggested loses {} per run and leaves at 0",
                self.decay_per_run
            )
        };
        format!("{name}{suggest}; {decay}")
    }

    fn suggested_points(&self, current: u32) -> u32 {
        match self.on_suggest {
            OnSuggest::SetToMax => self.max_points,
            OnSuggest::Add(step) => {
                let raised = current.saturating_add(step);
                if self.max_points == 0 {
                    raised
                } else {
                    raised.min(self.max_points)
                }
            }
        }
    }
}

/// Where a movie of the book stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryStatus {
    /// In Plex; shown in the collection while it has points.
    Active,
    /// Sent to Radarr; waits until it arrives in Plex.
    Pending,
}

/// One movie in the points book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointsEntry {
    /// The title, as TMDb gives it.
    pub title: String,
    /// The release year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// The Plex rating key last seen for it; a cache, the TMDb id is the key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating_key: Option<String>,
    /// Its points; 0 while pending.
    pub points: u32,
    /// Active or pending.
    pub status: EntryStatus,
    /// The day it was first suggested.
    pub first_suggested: Date,
    /// The day it was last suggested.
    pub last_suggested: Date,
}

/// The whole points book, keyed by TMDb id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointsBook {
    /// Every tracked movie.
    pub movies: BTreeMap<TmdbId, PointsEntry>,
    /// The service's jobs whose run is counted in this book (their ids,
    /// newest last, the last [`PointsBook::KEEP_APPLIED`]): a job run again
    /// after a crash or a panic finds its id here and counts once. Written
    /// with the points, in the same atomic write.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applied: Vec<String>,
}

impl PointsBook {
    /// How many job ids [`PointsBook::applied`] keeps: far more than the
    /// jobs that can be waiting for a retry at once.
    pub const KEEP_APPLIED: usize = 100;

    /// True when the run of job `job` is already counted in this book.
    pub fn applied_by(&self, job: &str) -> bool {
        self.applied.iter().any(|id| id == job)
    }

    /// Records that the run of job `job` is counted in this book.
    pub fn mark_applied(&mut self, job: &str) {
        if self.applied_by(job) {
            return;
        }
        self.applied.push(job.to_owned());
        let over = self.applied.len().saturating_sub(Self::KEEP_APPLIED);
        self.applied.drain(..over);
    }

    /// Active entries with points, highest first (ties by title).
    pub fn active(&self) -> Vec<(TmdbId, &PointsEntry)> {
        let mut active: Vec<_> = self
            .movies
            .iter()
            .filter(|(_, e)| e.status == EntryStatus::Active && e.points > 0)
            .map(|(id, e)| (*id, e))
            .collect();
        active.sort_by(|a, b| b.1.points.cmp(&a.1.points).then(a.1.title.cmp(&b.1.title)));
        active
    }

    /// Entries waiting for Radarr.
    pub fn pending(&self) -> impl Iterator<Item = (TmdbId, &PointsEntry)> {
        self.movies
            .iter()
            .filter(|(_, e)| e.status == EntryStatus::Pending)
            .map(|(id, e)| (*id, e))
    }
}

/// A movie suggested this run, resolved to TMDb.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggested {
    /// Its TMDb id.
    pub tmdb_id: TmdbId,
    /// Its title.
    pub title: String,
    /// Its year.
    pub year: Option<i32>,
    /// The Plex rating key when Plex has it; `None` means missing.
    pub rating_key: Option<String>,
}

/// What one run did to one entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum PointsChange {
    /// A new movie Plex has joined with these points.
    Added {
        /// The movie.
        tmdb_id: TmdbId,
        /// Its title.
        title: String,
        /// Its points.
        points: u32,
    },
    /// A tracked movie was suggested again.
    Boosted {
        /// The movie.
        tmdb_id: TmdbId,
        /// Points before.
        from: u32,
        /// Points after.
        to: u32,
    },
    /// A movie that was not suggested lost points.
    Decayed {
        /// The movie.
        tmdb_id: TmdbId,
        /// Points before.
        from: u32,
        /// Points after.
        to: u32,
    },
    /// A movie reached 0 and left.
    Left {
        /// The movie.
        tmdb_id: TmdbId,
        /// Its title.
        title: String,
    },
    /// A missing movie was recorded as pending (sent to Radarr).
    Pending {
        /// The movie.
        tmdb_id: TmdbId,
        /// Its title.
        title: String,
    },
    /// A pending movie is now in Plex and became active.
    Arrived {
        /// The movie.
        tmdb_id: TmdbId,
        /// Its title.
        title: String,
        /// Its points.
        points: u32,
    },
    /// A pending movie waited longer than `pending_days` and was forgotten.
    Expired {
        /// The movie.
        tmdb_id: TmdbId,
        /// Its title.
        title: String,
    },
}

/// Promotes every pending entry Plex now has (`library`: TMDb id -> rating
/// key) to active, with the points a new suggestion gets; nothing else
/// changes (no run is counted: no decay, no boost).
pub fn promote_arrivals(
    book: &PointsBook,
    library: &BTreeMap<TmdbId, String>,
    settings: &PointsSettings,
) -> (PointsBook, Vec<PointsChange>) {
    let mut next = book.clone();
    let mut changes = Vec::new();
    for (id, entry) in &mut next.movies {
        if entry.status != EntryStatus::Pending {
            continue;
        }
        let Some(key) = library.get(id) else {
            continue;
        };
        entry.status = EntryStatus::Active;
        entry.points = settings.suggested_points(0);
        entry.rating_key = Some(key.clone());
        changes.push(PointsChange::Arrived {
            tmdb_id: *id,
            title: entry.title.clone(),
            points: entry.points,
        });
    }
    (next, changes)
}

/// Applies one run to the book.
///
/// `suggested` holds this run's resolved suggestions (a movie listed twice
/// counts once, and "in Plex" wins). `library` maps the TMDb ids Plex has to
/// their rating keys; it lets pending movies arrive and refreshes cached keys.
pub fn apply_run(
    book: &PointsBook,
    suggested: &[Suggested],
    library: &BTreeMap<TmdbId, String>,
    settings: &PointsSettings,
    today: Date,
) -> (PointsBook, Vec<PointsChange>) {
    let mut this_run: BTreeMap<TmdbId, Suggested> = BTreeMap::new();
    for s in suggested {
        let mut s = s.clone();
        if s.rating_key.is_none() {
            s.rating_key = library.get(&s.tmdb_id).cloned();
        }
        match this_run.get(&s.tmdb_id) {
            Some(seen) if seen.rating_key.is_some() => {}
            _ => {
                this_run.insert(s.tmdb_id, s);
            }
        }
    }

    // The jobs already counted stay recorded.
    let mut next = PointsBook {
        applied: book.applied.clone(),
        ..PointsBook::default()
    };
    let mut changes = Vec::new();
    let mut handled = BTreeSet::new();

    for (&id, entry) in &book.movies {
        let mut entry = entry.clone();
        let now_key = this_run
            .get(&id)
            .and_then(|s| s.rating_key.clone())
            .or_else(|| library.get(&id).cloned());
        match (entry.status, this_run.get(&id)) {
            (EntryStatus::Active, Some(s)) if s.rating_key.is_none() => {
                // Suggested again but gone from Plex: it waits for Radarr again.
                entry.status = EntryStatus::Pending;
                entry.points = 0;
                entry.last_suggested = today;
                entry.rating_key = None;
                changes.push(PointsChange::Pending {
                    tmdb_id: id,
                    title: entry.title.clone(),
                });
            }
            (EntryStatus::Active, Some(_)) => {
                let from = entry.points;
                entry.points = settings.suggested_points(from);
                entry.last_suggested = today;
                if from != entry.points {
                    changes.push(PointsChange::Boosted {
                        tmdb_id: id,
                        from,
                        to: entry.points,
                    });
                }
            }
            (EntryStatus::Active, None) => {
                let from = entry.points;
                entry.points = from.saturating_sub(settings.decay_per_run);
                if entry.points == 0 {
                    changes.push(PointsChange::Left {
                        tmdb_id: id,
                        title: entry.title,
                    });
                    handled.insert(id);
                    continue;
                }
                if from != entry.points {
                    changes.push(PointsChange::Decayed {
                        tmdb_id: id,
                        from,
                        to: entry.points,
                    });
                }
            }
            (EntryStatus::Pending, suggestion) => {
                if suggestion.is_some() {
                    entry.last_suggested = today;
                }
                if now_key.is_some() {
                    entry.status = EntryStatus::Active;
                    entry.points = settings.suggested_points(0);
                    changes.push(PointsChange::Arrived {
                        tmdb_id: id,
                        title: entry.title.clone(),
                        points: entry.points,
                    });
                } else if suggestion.is_none()
                    && age_days(entry.last_suggested, today) > settings.pending_days
                {
                    changes.push(PointsChange::Expired {
                        tmdb_id: id,
                        title: entry.title,
                    });
                    handled.insert(id);
                    continue;
                }
            }
        }
        if now_key.is_some() {
            entry.rating_key = now_key;
        }
        handled.insert(id);
        next.movies.insert(id, entry);
    }

    for (id, s) in this_run {
        if handled.contains(&id) {
            continue;
        }
        let entry = PointsEntry {
            title: s.title.clone(),
            year: s.year,
            rating_key: s.rating_key.clone(),
            points: 0,
            status: EntryStatus::Pending,
            first_suggested: today,
            last_suggested: today,
        };
        let entry = if s.rating_key.is_some() {
            let points = settings.suggested_points(0);
            changes.push(PointsChange::Added {
                tmdb_id: id,
                title: s.title,
                points,
            });
            PointsEntry {
                points,
                status: EntryStatus::Active,
                ..entry
            }
        } else {
            changes.push(PointsChange::Pending {
                tmdb_id: id,
                title: s.title,
            });
            entry
        };
        next.movies.insert(id, entry);
    }
    (next, changes)
}

fn age_days(since: Date, today: Date) -> u32 {
    u32::try_from((today - since).whole_days()).unwrap_or(0)
}

#[cfg(test)]
mod tests;
