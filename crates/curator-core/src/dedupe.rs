//! Planning the duplicate cleaner: which media versions go.
//!
//! A pure function over the library, so the rules can be tested (and
//! property-tested) without a server. It plans movies and episodes alike
//! (anything with media versions: [`Copies`]): copies are grouped across
//! items (movies by TMDb id and edition, episodes by show, season and
//! episode number), and several versions inside one item count too;
//! one copy per group is kept by the preference, protected copies are kept
//! as well, and the rest are planned for deletion. Optimized versions are
//! never copies: never deleted, never the one kept. Groups whose items
//! disagree on their ids are reported and left alone. The rules in one
//! place: ARCHITECTURE.md, "The duplicate cleaner's rules".

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashSet};

use plex_client::{Episode, MediaId, MediaVersion, Movie, RatingKey, SectionKey};
use serde::Serialize;

use crate::settings::{DedupeSettings, DeletePreference};

/// One media version planned for deletion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deletion {
    /// The item holding it.
    pub rating_key: RatingKey,
    /// The version.
    pub media_id: MediaId,
    /// The movie's title and year, or the episode's show, numbers and title.
    pub title: String,
    /// The movie's TMDb id, when known (`None` for episodes).
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

/// A library item the cleaner plans over: a movie or an episode, with its
/// media versions. What differs between the two kinds is here; the rules
/// ([`plan_dedupe`]) are one.
pub trait Copies {
    /// The item's key.
    fn rating_key(&self) -> &RatingKey;
    /// Every media version, optimized ones included.
    fn media(&self) -> &[MediaVersion];
    /// When it was added (Unix seconds): the age of its versions.
    fn added_at(&self) -> Option<i64>;
    /// The group its copies belong to: items of one group are copies of
    /// one title.
    fn group_key(&self) -> String;
    /// An id the items of one group must agree on (a movie's IMDb id, an
    /// episode's own guid); items that carry different ones are not the
    /// same title for sure, and their group is left alone.
    fn identity(&self) -> Option<String>;
    /// The title several groups can share on purpose (a film's TMDb id
    /// across its editions), counted in [`DedupePlan::editions`].
    fn family(&self) -> Option<u32>;
    /// The movie's TMDb id, copied into [`Deletion::tmdb_id`].
    fn tmdb_id(&self) -> Option<u32>;
    /// The section it belongs to, when the answer said.
    fn section(&self) -> Option<&SectionKey>;
    /// How people read it in a plan.
    fn label(&self) -> String;
}

impl Copies for Movie {
    fn rating_key(&self) -> &RatingKey {
        &self.rating_key
    }
    fn media(&self) -> &[MediaVersion] {
        &self.media
    }
    fn added_at(&self) -> Option<i64> {
        self.added_at
    }
    fn group_key(&self) -> String {
        group_key(self)
    }
    fn identity(&self) -> Option<String> {
        self.imdb_id.as_ref().map(ToString::to_string)
    }
    fn family(&self) -> Option<u32> {
        self.tmdb_id.map(|t| t.0)
    }
    fn tmdb_id(&self) -> Option<u32> {
        self.tmdb_id.map(|t| t.0)
    }
    fn section(&self) -> Option<&SectionKey> {
        self.section.as_ref()
    }
    fn label(&self) -> String {
        label(self)
    }
}

/// Episodes are copies of one another when they are the same episode
/// number of the same season of the same Plex show; an episode without
/// numbers is a group alone (only its own versions can be duplicates).
impl Copies for Episode {
    fn rating_key(&self) -> &RatingKey {
        &self.rating_key
    }
    fn media(&self) -> &[MediaVersion] {
        &self.media
    }
    fn added_at(&self) -> Option<i64> {
        self.added_at
    }
    fn group_key(&self) -> String {
        match (self.season, self.episode) {
            (Some(season), Some(episode)) => {
                format!("show:{}|s{season}e{episode}", self.show.rating_key)
            }
            _ => format!("item:{}", self.rating_key),
        }
    }
    fn identity(&self) -> Option<String> {
        (!self.guid.is_empty()).then(|| self.guid.clone())
    }
    fn family(&self) -> Option<u32> {
        None
    }
    fn tmdb_id(&self) -> Option<u32> {
        None
    }
    fn section(&self) -> Option<&SectionKey> {
        self.section.as_ref()
    }
    fn label(&self) -> String {
        episode_label(self)
    }
}

/// "Show S01E02 Title" (numbers left out when Plex has none).
pub(crate) fn episode_label(episode: &Episode) -> String {
    match (episode.season, episode.episode) {
        (Some(s), Some(e)) => format!("{} S{s:02}E{e:02} {}", episode.show.title, episode.title),
        _ => format!("{} {}", episode.show.title, episode.title),
    }
}

#[derive(Debug)]
struct Copy<'a, T> {
    item: &'a T,
    version: &'a MediaVersion,
}

/// Plans which versions to delete, of movies or of episodes.
pub fn plan_dedupe<T: Copies>(items: &[T], settings: &DedupeSettings) -> DedupePlan {
    let mut groups: BTreeMap<String, Vec<&T>> = BTreeMap::new();
    let mut plan = DedupePlan::default();
    for item in items.iter().filter(|m| !m.media().is_empty()) {
        plan.optimized += item.media().iter().filter(|v| v.optimized).count();
        groups.entry(item.group_key()).or_default().push(item);
    }
    let mut editions: BTreeMap<u32, usize> = BTreeMap::new();
    for items in groups.values() {
        if let Some(id) = items[0].family() {
            *editions.entry(id).or_default() += 1;
        }
    }
    plan.editions = editions.values().filter(|&&n| n > 1).count();
    for items in groups.values() {
        let copies: Vec<Copy<'_, T>> = items
            .iter()
            .flat_map(|&item| {
                item.media()
                    .iter()
                    .filter(|v| !v.optimized)
                    .map(move |version| Copy { item, version })
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
                items[0].label()
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
                rating_key: copy.item.rating_key().clone(),
                media_id: copy.version.id,
                title: copy.item.label(),
                tmdb_id: copy.item.tmdb_id(),
                files: copy.version.parts.iter().map(|p| p.file.clone()).collect(),
                size: copy.version.size(),
                resolution: copy.version.video_resolution.clone(),
                kept: kept_label.clone(),
                whole_item: copy.item.media().len() == 1,
            });
        }
    }
    drop_shared_files(items, &mut plan);
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
fn drop_shared_files<T: Copies>(items: &[T], plan: &mut DedupePlan) {
    loop {
        let deleted: HashSet<(&RatingKey, MediaId)> = plan
            .deletions
            .iter()
            .map(|d| (&d.rating_key, d.media_id))
            .collect();
        let kept: HashSet<&str> = items
            .iter()
            .flat_map(|m| m.media().iter().map(move |v| (m, v)))
            .filter(|(m, v)| !deleted.contains(&(m.rating_key(), v.id)))
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

/// Items of one group whose ids differ (IMDb ids of a movie, guids of an
/// episode) are not the same title for sure (a wrong match in Plex);
/// touching them could delete the wrong file.
fn disagreement<T: Copies>(items: &[&T]) -> Option<String> {
    let ids: Vec<String> = items.iter().filter_map(|m| m.identity()).collect();
    let first = ids.first()?;
    ids.iter().find(|other| *other != first).map(|other| {
        format!(
            "{}: items {} carry different ids ({first} and {other}); left alone",
            items[0].label(),
            items
                .iter()
                .map(|m| m.rating_key().to_string())
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
fn keep_order<T: Copies>(
    a: &Copy<'_, T>,
    b: &Copy<'_, T>,
    preference: DeletePreference,
) -> Ordering {
    let size = |c: &Copy<'_, T>| c.version.size();
    // Versions have no date of their own: the item's added-at, then the
    // version id (Plex hands out ids in increasing order) tell age.
    let age = |c: &Copy<'_, T>| (c.item.added_at().unwrap_or(0), c.version.id.0);
    let quality = |c: &Copy<'_, T>| {
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

fn describe<T>(copy: &Copy<'_, T>) -> String {
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
