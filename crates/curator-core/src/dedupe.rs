//! Planning the duplicate cleaner: which media versions go.
//!
//! A pure function over the library, so the rules can be tested (and
//! property-tested) without a server: copies are grouped by TMDb id and
//! edition across items, and several versions inside one item count too;
//! one copy per group is kept by the preference, protected copies are kept
//! as well, and the rest are planned for deletion. Optimized versions are
//! never copies: never deleted, never the one kept. Groups whose items
//! disagree on their ids are reported and left alone. The rules in one
//! place: ARCHITECTURE.md, "The duplicate cleaner's rules".

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashSet};

use plex_client::{MediaId, MediaVersion, Movie, RatingKey};
use serde::Serialize;

use crate::settings::{DedupeSettings, DeletePreference};

/// One media version planned for deletion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deletion {
    /// The item holding it.
    pub rating_key: RatingKey,
    /// The version.
    pub media_id: MediaId,
    /// The movie's title and year.
    pub title: String,
    /// Its TMDb id, when known.
    pub tmdb_id: Option<u32>,
    /// Its files.
    pub files: Vec<String>,
    /// Its size in bytes.
    pub size: u64,
    /// Its resolution as Plex reports it.
    pub resolution: Option<String>,
    /// The copy that is kept in its place.
    pub kept: String,
    /// True when the version is the item's only media (no other version,
    /// optimized ones included): the item itself is deleted, as Plex Web
    /// does, rather than its last version.
    pub whole_item: bool,
}

/// The cleaner's plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DedupePlan {
    /// Groups with more than one copy.
    pub groups: usize,
    /// Versions to delete.
    pub deletions: Vec<Deletion>,
    /// Copies kept because a `preserve_quality` term protects them.
    pub protected: usize,
    /// Groups left alone because their items disagree on their ids, or
    /// because no copy is known to be on disk.
    pub conflicts: Vec<String>,
    /// Copies neither kept nor deleted because their files are missing or
    /// empty (Plex lists them, the disk does not have them).
    pub unavailable: usize,
    /// Optimized versions seen (`proxyType` 42), all left alone.
    pub optimized: usize,
    /// Films held in more than one edition: each edition is its own group,
    /// never a duplicate of another.
    pub editions: usize,
}

#[derive(Debug)]
struct Copy<'a> {
    movie: &'a Movie,
    version: &'a MediaVersion,
}

/// Plans which versions to delete.
pub fn plan_dedupe(movies: &[Movie], settings: &DedupeSettings) -> DedupePlan {
    let mut groups: BTreeMap<String, Vec<&Movie>> = BTreeMap::new();
    let mut plan = DedupePlan::default();
    for movie in movies.iter().filter(|m| !m.media.is_empty()) {
        plan.optimized += movie.media.iter().filter(|v| v.optimized).count();
        groups.entry(group_key(movie)).or_default().push(movie);
    }
    let mut editions: BTreeMap<u32, usize> = BTreeMap::new();
    for items in groups.values() {
        if let Some(id) = items[0].tmdb_id {
            *editions.entry(id.0).or_default() += 1;
        }
    }
    plan.editions = editions.values().filter(|&&n| n > 1).count();
    for items in groups.values() {
        let copies: Vec<Copy<'_>> = items
            .iter()
            .flat_map(|movie| {
                movie
                    .original_versions()
                    .map(move |version| Copy { movie, version })
            })
            .collect();
        if copies.len() < 2 {
            continue;
        }
        plan.groups += 1;
        if let Some(conflict) = disagreement(items) {
            plan.conflicts.push(conflict);
            continue;
        }
        // Only a copy whose files are on disk can be the one that stays.
        let Some(keeper) = copies
            .iter()
            .enumerate()
            .filter(|(_, c)| on_disk(c.version))
            .max_by(|(_, a), (_, b)| keep_order(a, b, settings.delete_preference))
            .map(|(i, _)| i)
        else {
            plan.conflicts.push(format!(
                "{}: no copy is known to be on disk; left alone",
                label(items[0])
            ));
            continue;
        };
        let kept_label = describe(&copies[keeper]);
        for (i, copy) in copies.iter().enumerate() {
            if i == keeper {
                continue;
            }
            if !on_disk(copy.version) {
                plan.unavailable += 1;
                continue;
            }
            if is_protected(copy.version, &settings.preserve_quality) {
                plan.protected += 1;
                continue;
            }
            plan.deletions.push(Deletion {
                rating_key: copy.movie.rating_key.clone(),
                media_id: copy.version.id,
                title: label(copy.movie),
                tmdb_id: copy.movie.tmdb_id.map(|t| t.0),
                files: copy.version.parts.iter().map(|p| p.file.clone()).collect(),
                size: copy.version.size(),
                resolution: copy.version.video_resolution.clone(),
                kept: kept_label.clone(),
                whole_item: copy.movie.media.len() == 1,
            });
        }
    }
    drop_shared_files(movies, &mut plan);
    plan
}

/// The group a movie's copies belong to: its TMDb id and edition (editions
/// share the id on purpose and are never duplicates of each other; no
/// edition is an edition of its own), or the item alone without an id.
pub(crate) fn group_key(movie: &Movie) -> String {
    match movie.tmdb_id {
        Some(id) => {
            let edition = movie
                .edition
                .as_deref()
                .map(|e| e.trim().to_lowercase())
                .unwrap_or_default();
            format!("tmdb:{id}|edition:{edition}")
        }
        None => format!("item:{}", movie.rating_key),
    }
}

/// Removes deletions that would take a file some other listing keeps: two
/// versions (or items) can point at one file, and deleting either deletes
/// it. Repeats until stable, as each dropped deletion keeps its files too.
fn drop_shared_files(movies: &[Movie], plan: &mut DedupePlan) {
    loop {
        let deleted: HashSet<(&RatingKey, MediaId)> = plan
            .deletions
            .iter()
            .map(|d| (&d.rating_key, d.media_id))
            .collect();
        let kept: HashSet<&str> = movies
            .iter()
            .flat_map(|m| m.media.iter().map(move |v| (m, v)))
            .filter(|(m, v)| !deleted.contains(&(&m.rating_key, v.id)))
            .flat_map(|(_, v)| v.parts.iter().map(|p| p.file.as_str()))
            .collect();
        let before = plan.deletions.len();
        let shared: Vec<usize> = plan
            .deletions
            .iter()
            .enumerate()
            .filter(|(_, d)| d.files.iter().any(|f| kept.contains(f.as_str())))
            .map(|(i, _)| i)
            .collect();
        if shared.is_empty() {
            return;
        }
        let mut i = 0;
        plan.deletions.retain(|_| {
            let keep = !shared.contains(&i);
            i += 1;
            keep
        });
        debug_assert!(plan.deletions.len() < before);
    }
}

/// Items of one TMDb group whose IMDb ids differ are not the same film for
/// sure (a wrong match in Plex); touching them could delete the wrong file.
fn disagreement(items: &[&Movie]) -> Option<String> {
    let mut imdb = items.iter().filter_map(|m| m.imdb_id.as_ref());
    let first = imdb.next()?;
    imdb.find(|other| *other != first).map(|other| {
        format!(
            "{}: items {} carry different IMDb ids ({first} and {other}); left alone",
            label(items[0]),
            items
                .iter()
                .map(|m| m.rating_key.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

/// True unless the server said a file is missing, or a part is empty.
fn on_disk(version: &MediaVersion) -> bool {
    !version.parts.is_empty()
        && version
            .parts
            .iter()
            .all(|p| p.available != Some(false) && p.size > 0)
}

/// Orders copies so that the one to keep is the greatest.
fn keep_order(a: &Copy<'_>, b: &Copy<'_>, preference: DeletePreference) -> Ordering {
    let size = |c: &Copy<'_>| c.version.size();
    // Versions have no date of their own: the item's added-at, then the
    // version id (Plex hands out ids in increasing order) tell age.
    let age = |c: &Copy<'_>| (c.movie.added_at.unwrap_or(0), c.version.id.0);
    let quality = |c: &Copy<'_>| {
        (
            resolution_rank(c.version.video_resolution.as_deref()),
            c.version.bitrate.unwrap_or(0),
            c.version.size(),
        )
    };
    let primary = match preference {
        DeletePreference::KeepBest => quality(a).cmp(&quality(b)),
        // Delete the smallest: keep the largest.
        DeletePreference::SmallestFile => size(a).cmp(&size(b)),
        DeletePreference::LargestFile => size(b).cmp(&size(a)),
        // Delete the newest: keep the oldest.
        DeletePreference::Newest => age(b).cmp(&age(a)),
        DeletePreference::Oldest => age(a).cmp(&age(b)),
    };
    // Ties go to quality, then to the lower version id, so the choice is stable.
    primary
        .then_with(|| quality(a).cmp(&quality(b)))
        .then_with(|| b.version.id.cmp(&a.version.id))
}

/// Plex's `videoResolution` as a number of lines.
fn resolution_rank(resolution: Option<&str>) -> u32 {
    match resolution.map(|r| r.trim().to_ascii_lowercase()) {
        None => 0,
        Some(r) => match r.as_str() {
            "4k" | "uhd" | "2160" | "2160p" => 2160,
            "8k" | "4320" => 4320,
            "sd" => 480,
            other => other.trim_end_matches('p').parse().unwrap_or(0),
        },
    }
}

/// True when a `preserve_quality` term matches the version: by resolution
/// (`1080p` matches Plex's `1080`; `4K`, `UHD` and `2160p` match `4k`) or as
/// a case-insensitive part of a file name (`remux`, `HDR`).
fn is_protected(version: &MediaVersion, terms: &[String]) -> bool {
    let rank = resolution_rank(version.video_resolution.as_deref());
    terms.iter().any(|term| {
        let term = term.trim().to_ascii_lowercase();
        if term.is_empty() {
            return false;
        }
        let term_rank = resolution_rank(Some(&term));
        if term_rank > 0 && term_rank == rank {
            return true;
        }
        version
            .parts
            .iter()
            .any(|p| p.file.to_ascii_lowercase().contains(&term))
    })
}

fn label(movie: &Movie) -> String {
    let mut label = match movie.year {
        Some(y) => format!("{} ({y})", movie.title),
        None => movie.title.clone(),
    };
    if let Some(edition) = &movie.edition {
        label.push_str(&format!(" [{edition}]"));
    }
    label
}

fn describe(copy: &Copy<'_>) -> String {
    format!(
        "{} {} ({:.1} GB)",
        copy.version.video_resolution.as_deref().unwrap_or("?"),
        copy.version
            .parts
            .first()
            .map_or("", |p| p.file.rsplit('/').next().unwrap_or(&p.file)),
        copy.version.size() as f64 / 1e9
    )
}

#[cfg(test)]
mod tests;
