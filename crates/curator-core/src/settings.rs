//! What the core needs to know, independent of how the CLI reads it.

use radarr_client::{MinimumAvailability, QualityProfileId};
use sonarr_client::MonitorType;

use crate::points::PointsSettings;
use crate::report::StepKind;
use crate::rows::RowsSettings;

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
    /// TV: recently-watched suggestions from a watched episode's show
    /// (`scripts_run.run_tv_recently_watched_collection`).
    pub tv_recently_watched: bool,
    /// TV: immaculate-taste suggestions and points
    /// (`scripts_run.run_tv_immaculate_taste_collection`).
    pub tv_immaculate_taste: bool,
    /// TV: the two small show collections' refresh
    /// (`scripts_run.run_tv_recently_watched_refresher`).
    pub tv_recently_watched_refresher: bool,
    /// TV: the immaculate-taste show collection's refresh
    /// (`scripts_run.run_tv_collection_refresher`).
    pub tv_immaculate_taste_refresher: bool,
    /// TV: the duplicate episode cleaner
    /// (`scripts_run.run_sonarr_duplicate_cleaner`).
    pub tv_duplicate_cleaner: bool,
    /// TV: Sonarr monitor confirm
    /// (`scripts_run.run_sonarr_monitor_confirm_plex`).
    pub sonarr_monitor_confirm: bool,
    /// TV: one Sonarr search for the monitored missing episodes
    /// (`scripts_run.run_sonarr_search_monitored`).
    pub sonarr_search_monitored: bool,
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
            tv_recently_watched: false,
            tv_immaculate_taste: false,
            tv_recently_watched_refresher: false,
            tv_immaculate_taste_refresher: false,
            tv_duplicate_cleaner: false,
            sonarr_monitor_confirm: false,
            sonarr_search_monitored: false,
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
            StepKind::TvRecentlyWatched => &mut self.tv_recently_watched,
            StepKind::TvImmaculateTaste => &mut self.tv_immaculate_taste,
            StepKind::TvRecentlyWatchedRefresher => &mut self.tv_recently_watched_refresher,
            StepKind::TvImmaculateTasteRefresher => &mut self.tv_immaculate_taste_refresher,
            StepKind::TvDuplicateCleaner => &mut self.tv_duplicate_cleaner,
            StepKind::SonarrMonitorConfirm => &mut self.sonarr_monitor_confirm,
            StepKind::SonarrSearchMonitored => &mut self.sonarr_search_monitored,
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
            StepKind::TvRecentlyWatched => self.tv_recently_watched,
            StepKind::TvImmaculateTaste => self.tv_immaculate_taste,
            StepKind::TvRecentlyWatchedRefresher => self.tv_recently_watched_refresher,
            StepKind::TvImmaculateTasteRefresher => self.tv_immaculate_taste_refresher,
            StepKind::TvDuplicateCleaner => self.tv_duplicate_cleaner,
            StepKind::SonarrMonitorConfirm => self.sonarr_monitor_confirm,
            StepKind::SonarrSearchMonitored => self.sonarr_search_monitored,
        }
    }
}

/// Every step on, except the Sonarr housekeeping steps (they came later:
/// code that builds settings without naming them gets no deletions, no
/// Sonarr changes and no downloads it did not ask for; the config switches
/// them with the previous tool's keys).
impl Default for StepToggles {
    fn default() -> Self {
        Self {
            recently_watched: true,
            duplicate_cleaner: true,
            monitor_confirm: true,
            immaculate_taste: true,
            recently_watched_refresher: true,
            immaculate_taste_refresher: true,
            tv_recently_watched: true,
            tv_immaculate_taste: true,
            tv_recently_watched_refresher: true,
            tv_immaculate_taste_refresher: true,
            tv_duplicate_cleaner: false,
            sonarr_monitor_confirm: false,
            sonarr_search_monitored: false,
        }
    }
}

/// The three collection names of one library (the movie defaults from
/// [`Default`], the TV ones from [`CollectionNames::tv`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectionNames {
    /// The similar titles' collection.
    pub recently_watched: String,
    /// The opposite titles' collection.
    pub change_of_taste: String,
    /// The long-lived points collection.
    pub immaculate_taste: String,
}

impl CollectionNames {
    /// The TV library's defaults: "Based on your recently watched show",
    /// "Change of Taste (TV)", "Inspired by your Immaculate Taste (TV)"
    /// (the last is the previous tool's `plex.tv_collection_name` default).
    pub fn tv() -> Self {
        Self {
            recently_watched: "Based on your recently watched show".into(),
            change_of_taste: "Change of Taste (TV)".into(),
            immaculate_taste: "Inspired by your Immaculate Taste (TV)".into(),
        }
    }
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

/// Where missing titles are sent once they may be (approved, or without
/// approvals): to Radarr and Sonarr, or as requests to Overseerr or
/// Jellyseerr (`requests.via`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RequestsVia {
    /// Movies to Radarr, shows to Sonarr (the default).
    #[default]
    Arr,
    /// Movies and shows as requests to Seerr, which passes them on to its
    /// own Radarr and Sonarr.
    Seerr,
}

impl RequestsVia {
    /// The service titles of `kind` go to: `Radarr`, `Sonarr` or `Seerr`.
    pub fn service(self, kind: curator_http::MediaKind) -> &'static str {
        match (self, kind) {
            (Self::Seerr, _) => "Seerr",
            (Self::Arr, curator_http::MediaKind::Movie) => "Radarr",
            (Self::Arr, curator_http::MediaKind::Show) => "Sonarr",
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

/// How missing shows are handed to Sonarr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SonarrSettings {
    /// The root folder path new shows go to.
    pub root_folder: String,
    /// The quality profile new shows get.
    pub quality_profile_id: sonarr_client::QualityProfileId,
    /// Which episodes a new show has monitored (Sonarr's add-time
    /// `monitor`); [`MonitorType::FirstSeason`] by default: a recommended
    /// show should not download eight seasons unasked. A show already in
    /// Sonarr but unmonitored is monitored this way too.
    pub monitor: MonitorType,
    /// Start a search right after adding (or re-monitoring).
    pub search_on_add: bool,
    /// Keep each season in a folder of its own.
    pub season_folder: bool,
    /// Send missing shows to Sonarr at all
    /// (`sonarr.auto_download_recommendations`, default false as in the
    /// previous tool): when false they are kept as pending and listed, not
    /// sent.
    pub auto_download: bool,
    /// Sonarr tags for shows missing from the recently-watched collection.
    pub similar_tags: Vec<String>,
    /// Sonarr tags for shows missing from "Change of Taste (TV)".
    pub contrast_tags: Vec<String>,
    /// Sonarr tags for shows missing from the immaculate-taste collection.
    pub immaculate_tags: Vec<String>,
}

impl SonarrSettings {
    /// Settings for `root_folder` and `quality_profile_id`, the rest at
    /// their defaults: first season monitored, search on add, season
    /// folders, not sent (`auto_download` false), tags `tv` plus one per
    /// collection.
    pub fn new(
        root_folder: impl Into<String>,
        quality_profile_id: sonarr_client::QualityProfileId,
    ) -> Self {
        let tags = |t: &str| vec!["tv".to_owned(), t.to_owned()];
        Self {
            root_folder: root_folder.into(),
            quality_profile_id,
            monitor: MonitorType::FirstSeason,
            search_on_add: true,
            season_folder: true,
            auto_download: false,
            similar_tags: tags("due-to-previously-watched"),
            contrast_tags: tags("change-of-taste"),
            immaculate_tags: tags("recommended"),
        }
    }
}

/// The TV side of a run: on when the config names a TV library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TvSettings {
    /// The Plex TV library's name (`plex.tv_library_name`, "TV Shows").
    pub library: String,
    /// The TV collections' names.
    pub collections: CollectionNames,
    /// Sonarr settings; `None` when Sonarr is not configured.
    pub sonarr: Option<SonarrSettings>,
}

impl Default for TvSettings {
    fn default() -> Self {
        Self {
            library: "TV Shows".into(),
            collections: CollectionNames::tv(),
            sonarr: None,
        }
    }
}

/// Recommendation settings (counts for both kinds; the Radarr tags here,
/// Sonarr's in [`SonarrSettings`]).
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
    /// Which steps run (the TV ones only when [`Settings::tv`] is set).
    pub steps: StepToggles,
    /// Collection names.
    pub collections: CollectionNames,
    /// Recommendation counts and tags.
    pub recommend: RecommendSettings,
    /// Points rules.
    pub points: PointsSettings,
    /// Radarr settings; `None` when Radarr is not configured.
    pub radarr: Option<RadarrSettings>,
    /// Which kinds of missing title wait for a person's approval before
    /// they are sent (none by default).
    pub approval: ApprovalSettings,
    /// Where missing titles are sent (Radarr and Sonarr by default).
    pub requests: RequestsVia,
    /// Collection refresh settings.
    pub refresh: RefreshSettings,
    /// Duplicate cleaner settings.
    pub dedupe: DedupeSettings,
    /// The TV side; `None` (every config without `plex.tv_library_name`)
    /// keeps TV off: no TV step runs, episode runs are skipped.
    pub tv: Option<TvSettings>,
    /// Where the collections show as rows of Home and Recommended, and
    /// their order.
    pub rows: RowsSettings,
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
            approval: Default::default(),
            requests: RequestsVia::Arr,
            refresh: RefreshSettings::default(),
            dedupe: DedupeSettings::default(),
            tv: None,
            rows: RowsSettings::default(),
            dry_run: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use curator_http::MediaKind;

    use super::*;

    #[test]
    fn only_switches_on_exactly_the_named_steps() {
        let toggles = StepToggles::only(&[StepKind::DuplicateCleaner, StepKind::MonitorConfirm]);
        let on: Vec<StepKind> = StepKind::ALL
            .into_iter()
            .filter(|s| toggles.is_enabled(*s))
            .collect();
        assert_eq!(on, [StepKind::DuplicateCleaner, StepKind::MonitorConfirm]);
        let tv = StepToggles::only(&StepKind::TV);
        assert!(
            StepKind::ALL
                .into_iter()
                .all(|s| tv.is_enabled(s) == (s.media() == MediaKind::Show))
        );
        let mut all = StepToggles::default();
        for step in StepKind::ALL {
            all.set(step, false);
            assert!(!all.is_enabled(step), "{step:?}");
        }
        assert_eq!(all, StepToggles::only(&[]));
    }
}

/// Which kinds of title wait for approval before they are sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ApprovalSettings {
    /// Movies wait before Radarr gets them (`radarr.require_approval`).
    pub movies: bool,
    /// Shows wait before Sonarr gets them (`sonarr.require_approval`).
    pub shows: bool,
}

impl ApprovalSettings {
    /// True when titles of `kind` wait for approval.
    pub fn required(&self, kind: curator_http::MediaKind) -> bool {
        match kind {
            curator_http::MediaKind::Movie => self.movies,
            curator_http::MediaKind::Show => self.shows,
        }
    }
}
