//! What the core needs to know, independent of how the CLI reads it.

use radarr_client::{MinimumAvailability, QualityProfileId};

use crate::points::PointsSettings;

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
            dry_run: false,
        }
    }
}
