//! What the core needs to know, independent of how the CLI reads it.

use radarr_client::{MinimumAvailability, QualityProfileId};

use crate::points::PointsSettings;
use crate::report::StepKind;

/// Which steps run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepToggles {
    /// Recently-watched suggestions.
    pub recently_watched: bool,
    /// Duplicate cleaner.
    pub duplicate_cleaner: bool,
    /// Radarr monitor confirm.
    pub monitor_confirm: bool,
    /// Immaculate-taste suggestions and points.
    pub immaculate_taste: bool,
    /// Recently-watched collections refresh.
    pub recently_watched_refresher: bool,
    /// Immaculate-taste collection refresh.
    pub immaculate_taste_refresher: bool,
}

impl StepToggles {
    /// Only these steps switched on.
    pub fn only(steps: &[StepKind]) -> Self {
        let mut toggles = Self {
            recently_watched: false,
            duplicate_cleaner: false,
            monitor_confirm: false,
            immaculate_taste: false,
            recently_watched_refresher: false,
            immaculate_taste_refresher: false,
        };
        for step in steps {
            toggles.set(*step, true);
        }
        toggles
    }

    /// Switches `step` on or off.
    pub fn set(&mut self, step: StepKind, on: bool) {
        *match step {
            StepKind::RecentlyWatched => &mut self.recently_watched,
            StepKind::DuplicateCleaner => &mut self.duplicate_cleaner,
            StepKind::MonitorConfirm => &mut self.monitor_confirm,
            StepKind::ImmaculateTaste => &mut self.immaculate_taste,
            StepKind::RecentlyWatchedRefresher => &mut self.recently_watched_refresher,
            StepKind::ImmaculateTasteRefresher => &mut self.immaculate_taste_refresher,
        } = on;
    }

    /// True when `step` is switched on.
    pub fn is_enabled(&self, step: StepKind) -> bool {
        match step {
            StepKind::RecentlyWatched => self.recently_watched,
            StepKind::DuplicateCleaner => self.duplicate_cleaner,
            StepKind::MonitorConfirm => self.monitor_confirm,
            StepKind::ImmaculateTaste => self.immaculate_taste,
            StepKind::RecentlyWatchedRefresher => self.recently_watched_refresher,
            StepKind::ImmaculateTasteRefresher => self.immaculate_taste_refresher,
        }
    }
}

impl Default for StepToggles {
    fn default() -> Self {
        Self {
            recently_watched: true,
            duplicate_cleaner: true,
            monitor_confirm: true,
            immaculate_taste: true,
            recently_watched_refresher: true,
            immaculate_taste_refresher: true,
        }
    }
}

/// The three collection names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectionNames {
    /// The similar-movies collection.
    pub recently_watched: String,
    /// The opposite-movies collection.
    pub change_of_taste: String,
    /// The long-lived points collection.
    pub immaculate_taste: String,
}

impl Default for CollectionNames {
    fn default() -> Self {
        Self {
            recently_watched: "Based on your recently watched movie".into(),
            change_of_taste: "Change of Taste".into(),
            immaculate_taste: "Inspired by your Immaculate Taste".into(),
        }
    }
}

/// How missing movies are added to Radarr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RadarrSettings {
    /// The root folder path new movies go to.
    pub root_folder: String,
    /// The quality profile new movies get.
    pub quality_profile_id: QualityProfileId,
    /// When Radarr considers a movie available.
    pub minimum_availability: MinimumAvailability,
    /// Start a search right after adding.
    pub search_on_add: bool,
}

/// Recommendation settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecommendSettings {
    /// Similar suggestions asked for the recently-watched collection.
    pub similar_count: usize,
    /// Opposite suggestions asked for "Change of Taste".
    pub contrast_count: usize,
    /// Suggestions asked per run for the immaculate-taste collection.
    pub immaculate_count: usize,
    /// Radarr tags for movies missing from the recently-watched collection.
    pub similar_tags: Vec<String>,
    /// Radarr tags for movies missing from "Change of Taste".
    pub contrast_tags: Vec<String>,
    /// Radarr tags for movies missing from the immaculate-taste collection.
    pub immaculate_tags: Vec<String>,
    /// TMDb fallback: minimum vote count of a candidate.
    pub fallback_min_votes: u32,
    /// TMDb fallback: minimum vote count for discover.
    pub discover_min_votes: u32,
    /// When fewer than this share (in percent of the list asked for) of
    /// the LLM's titles resolve to a real movie, the list is filled up from
    /// TMDb; 0 only when none resolves.
    pub min_resolved_percent: u8,
}

impl Default for RecommendSettings {
    fn default() -> Self {
        let tags = |t: &str| vec!["movies".to_owned(), t.to_owned()];
        Self {
            similar_count: 15,
            contrast_count: 15,
            immaculate_count: 50,
            similar_tags: tags("due-to-previously-watched"),
            contrast_tags: tags("change-of-taste"),
            immaculate_tags: tags("recommended"),
            fallback_min_votes: 100,
            discover_min_votes: 200,
            min_resolved_percent: 50,
        }
    }
}

/// How a refresher orders a collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderMode {
    /// A fresh random order, reached with the fewest moves.
    Full,
    /// A fresh random head of this many items, drawn with a bias towards
    /// high points and new entries; the rest keeps its order.
    Head {
        /// How many items the head holds.
        head_size: usize,
    },
    /// Leave the order as it is (new items are appended).
    Keep,
}

/// Collection refresh settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshSettings {
    /// Order of the two small collections.
    pub small_order: OrderMode,
    /// Order of the immaculate-taste collection.
    pub immaculate_order: OrderMode,
    /// Tries per move before it is counted as failed and skipped.
    pub move_attempts: u32,
    /// Seed for the random orders; `None` draws a new one each run. Set it
    /// for reproducible demos and tests.
    pub seed: Option<u64>,
}

impl Default for RefreshSettings {
    fn default() -> Self {
        Self {
            small_order: OrderMode::Full,
            immaculate_order: OrderMode::Head { head_size: 50 },
            move_attempts: 2,
            seed: None,
        }
    }
}

/// Which copies the duplicate cleaner deletes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DeletePreference {
    /// Keep the best copy (resolution, then bitrate, then size); delete the rest.
    #[default]
    KeepBest,
    /// Delete the smallest files, keep the largest.
    SmallestFile,
    /// Delete the largest files, keep the smallest.
    LargestFile,
    /// Delete the newest copies, keep the oldest.
    Newest,
    /// Delete the oldest copies, keep the newest.
    Oldest,
}

/// Duplicate cleaner settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DedupeSettings {
    /// Which copies go.
    pub delete_preference: DeletePreference,
    /// Terms that protect a copy (`1080p`, `4K`, `remux`, ...), matched
    /// against its resolution and file names.
    pub preserve_quality: Vec<String>,
    /// A plan deleting more versions than this deletes nothing and is
    /// reported instead.
    pub max_deletions_per_run: usize,
}

impl Default for DedupeSettings {
    fn default() -> Self {
        Self {
            delete_preference: DeletePreference::KeepBest,
            preserve_quality: Vec::new(),
            max_deletions_per_run: 10,
        }
    }
}

/// Everything the core's steps are told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The Plex movie library's name.
    pub movie_library: String,
    /// Which steps run.
    pub steps: StepToggles,
    /// Collection names.
    pub collections: CollectionNames,
    /// Recommendation counts and tags.
    pub recommend: RecommendSettings,
    /// Points rules.
    pub points: PointsSettings,
    /// Radarr settings; `None` when Radarr is not configured.
    pub radarr: Option<RadarrSettings>,
    /// Collection refresh settings.
    pub refresh: RefreshSettings,
    /// Duplicate cleaner settings.
    pub dedupe: DedupeSettings,
    /// Perform reads only and report what would be done.
    pub dry_run: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            movie_library: "Movies".into(),
            steps: StepToggles::default(),
            collections: CollectionNames::default(),
            recommend: RecommendSettings::default(),
            points: PointsSettings::default(),
            radarr: None,
            refresh: RefreshSettings::default(),
            dedupe: DedupeSettings::default(),
            dry_run: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_switches_on_exactly_the_named_steps() {
        let toggles = StepToggles::only(&[StepKind::DuplicateCleaner, StepKind::MonitorConfirm]);
        let on: Vec<StepKind> = StepKind::ALL
            .into_iter()
            .filter(|s| toggles.is_enabled(*s))
            .collect();
        assert_eq!(on, [StepKind::DuplicateCleaner, StepKind::MonitorConfirm]);
        let mut all = StepToggles::default();
        for step in StepKind::ALL {
            all.set(step, false);
            assert!(!all.is_enabled(step), "{step:?}");
        }
        assert_eq!(all, StepToggles::only(&[]));
    }
}
