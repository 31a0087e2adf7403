//! The config file as written: every section optional, every key defaulted,
//! the previous tool's keys under their old names.

use curator_http::Secret;
use serde::Deserialize;

/// The whole file.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct FileConfig {
    pub(crate) scripts_run: ScriptsRun,
    pub(crate) plex: PlexFile,
    pub(crate) openai: OpenAiFile,
    pub(crate) recommendations: RecommendationsFile,
    pub(crate) tmdb: TmdbFile,
    pub(crate) radarr: RadarrFile,
    pub(crate) sonarr: SonarrFile,
    pub(crate) requests: super::seerr::RequestsFile,
    pub(crate) seerr: super::seerr::SeerrFile,
    pub(crate) collections: CollectionsFile,
    pub(crate) tags: TagsFile,
    pub(crate) points: PointsField,
    pub(crate) files: FilesFile,
    pub(crate) refresh: RefreshFile,
    pub(crate) dedupe: DedupeFile,
    pub(crate) timeouts: TimeoutsFile,
    pub(crate) serve: super::serve::ServeFile,
    pub(crate) rows: super::rows::RowsFile,
    pub(crate) notifications: Vec<TargetFile>,
    /// The previous tool's `alerts.email`.
    pub(crate) alerts: AlertsFile,
    /// The previous tool's root-level count (an old alias of
    /// `recommendations.count`).
    pub(crate) recommendation_count: Option<usize>,
}

/// Which steps run, under the previous tool's names.
#[derive(Debug, Deserialize)]
#[serde(default)]
pub(crate) struct ScriptsRun {
    pub(crate) run_recently_watched_collection: bool,
    pub(crate) run_plex_duplicate_cleaner: bool,
    pub(crate) run_radarr_monitor_confirm_plex: bool,
    pub(crate) run_immaculate_taste_collection: bool,
    pub(crate) run_recently_watched_refresher: bool,
    pub(crate) run_collection_refresher: bool,
    /// The previous tool's switch for its one TV collection.
    pub(crate) run_tv_immaculate_taste_collection: bool,
    /// The previous tool's switch for refreshing it.
    pub(crate) run_tv_collection_refresher: bool,
    pub(crate) run_tv_recently_watched_collection: bool,
    pub(crate) run_tv_recently_watched_refresher: bool,
    /// The previous tool's Sonarr duplicate episode cleaner (deletes files:
    /// off unless switched on).
    pub(crate) run_sonarr_duplicate_cleaner: bool,
    /// The previous tool's Sonarr monitor confirm.
    pub(crate) run_sonarr_monitor_confirm_plex: bool,
    /// The previous tool's Sonarr search for monitored missing episodes
    /// (asks Sonarr to download: off unless switched on).
    pub(crate) run_sonarr_search_monitored: bool,
}

/// Every step is on unless switched off, except the duplicate cleaners: they
/// delete files, so they run only when switched on; and the Sonarr search,
/// which starts downloads.
impl Default for ScriptsRun {
    fn default() -> Self {
        Self {
            run_recently_watched_collection: true,
            run_plex_duplicate_cleaner: false,
            run_radarr_monitor_confirm_plex: true,
            run_immaculate_taste_collection: true,
            run_recently_watched_refresher: true,
            run_collection_refresher: true,
            run_tv_immaculate_taste_collection: true,
            run_tv_collection_refresher: true,
            run_tv_recently_watched_collection: true,
            run_tv_recently_watched_refresher: true,
            run_sonarr_duplicate_cleaner: false,
            run_sonarr_monitor_confirm_plex: true,
            run_sonarr_search_monitored: false,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct PlexFile {
    pub(crate) url: Option<String>,
    pub(crate) token: Option<Secret>,
    pub(crate) movie_library_name: Option<String>,
    pub(crate) collection_name: Option<String>,
    pub(crate) delete_preference: Option<String>,
    pub(crate) preserve_quality: Option<Vec<String>>,
    pub(crate) randomize_collection: Option<bool>,
    /// The TV library; TV is on when it is set.
    pub(crate) tv_library_name: Option<String>,
    /// The previous tool's name for its one TV collection.
    pub(crate) tv_collection_name: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct OpenAiFile {
    pub(crate) api_key: Option<Secret>,
    pub(crate) model: Option<String>,
    pub(crate) base_url: Option<String>,
    pub(crate) recommendation_count: Option<usize>,
    pub(crate) temperature: Option<f32>,
    pub(crate) structured_output: Option<StructuredSetting>,
    pub(crate) reasoning_effort: Option<String>,
}

/// `openai.structured_output`: `true`/`false` (the previous spelling) or a
/// mode name (`json_schema`, `json_object`, `text`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum StructuredSetting {
    On(bool),
    Mode(String),
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct RecommendationsFile {
    pub(crate) count: Option<usize>,
    pub(crate) similar_count: Option<usize>,
    pub(crate) contrast_count: Option<usize>,
    pub(crate) min_resolved_percent: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct TmdbFile {
    pub(crate) api_key: Option<Secret>,
    pub(crate) base_url: Option<String>,
    pub(crate) image_base_url: Option<String>,
    pub(crate) requests_per_second: Option<u32>,
    pub(crate) recommendation_count: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct RadarrFile {
    pub(crate) url: Option<String>,
    pub(crate) api_key: Option<Secret>,
    pub(crate) root_folder: Option<String>,
    pub(crate) tag_name: Option<OneOrMany>,
    pub(crate) quality_profile_id: Option<i32>,
    pub(crate) minimum_availability: Option<String>,
    pub(crate) search_on_add: Option<bool>,
    pub(crate) require_approval: Option<bool>,
}

/// The `sonarr:` section: the previous tool's keys, then curator's own.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct SonarrFile {
    pub(crate) url: Option<String>,
    pub(crate) api_key: Option<Secret>,
    pub(crate) root_folder: Option<String>,
    pub(crate) tag_name: Option<OneOrMany>,
    pub(crate) quality_profile_id: Option<i32>,
    pub(crate) auto_download_recommendations: Option<bool>,
    pub(crate) monitor: Option<String>,
    pub(crate) search_on_add: Option<bool>,
    pub(crate) season_folder: Option<bool>,
    pub(crate) require_approval: Option<bool>,
}

/// A string or a list of strings (`tag_name: recommended` or
/// `tag_name: [movies, recommended]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub(crate) fn into_vec(self) -> Vec<String> {
        let items = match self {
            Self::One(one) => one.split(',').map(str::to_owned).collect(),
            Self::Many(many) => many,
        };
        items
            .into_iter()
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect()
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct CollectionsFile {
    pub(crate) recently_watched: Option<String>,
    pub(crate) change_of_taste: Option<String>,
    pub(crate) immaculate_taste: Option<String>,
    pub(crate) tv_recently_watched: Option<String>,
    pub(crate) tv_change_of_taste: Option<String>,
    pub(crate) tv_immaculate_taste: Option<String>,
    pub(crate) recently_watched_poster: Option<String>,
    pub(crate) change_of_taste_poster: Option<String>,
    pub(crate) immaculate_taste_poster: Option<String>,
    pub(crate) recently_watched_background: Option<String>,
    pub(crate) change_of_taste_background: Option<String>,
    pub(crate) immaculate_taste_background: Option<String>,
    pub(crate) recently_watched_summary: Option<String>,
    pub(crate) change_of_taste_summary: Option<String>,
    pub(crate) immaculate_taste_summary: Option<String>,
    pub(crate) tv_recently_watched_poster: Option<String>,
    pub(crate) tv_change_of_taste_poster: Option<String>,
    pub(crate) tv_immaculate_taste_poster: Option<String>,
    pub(crate) tv_recently_watched_background: Option<String>,
    pub(crate) tv_change_of_taste_background: Option<String>,
    pub(crate) tv_immaculate_taste_background: Option<String>,
    pub(crate) tv_recently_watched_summary: Option<String>,
    pub(crate) tv_change_of_taste_summary: Option<String>,
    pub(crate) tv_immaculate_taste_summary: Option<String>,
    /// curator's own default posters (on unless `false`).
    pub(crate) artwork: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct TagsFile {
    pub(crate) recently_watched: Option<OneOrMany>,
    pub(crate) change_of_taste: Option<OneOrMany>,
    pub(crate) immaculate_taste: Option<OneOrMany>,
    pub(crate) tv_recently_watched: Option<OneOrMany>,
    pub(crate) tv_change_of_taste: Option<OneOrMany>,
    pub(crate) tv_immaculate_taste: Option<OneOrMany>,
}

/// `points: classic` (a rule set by name) or a section of keys.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum PointsField {
    Rules(String),
    Section(PointsFile),
}

impl Default for PointsField {
    fn default() -> Self {
        Self::Section(PointsFile::default())
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct PointsFile {
    /// `standard` or `classic`; the other keys change the chosen rules.
    pub(crate) rules: Option<String>,
    /// `auto`, `full` or `keep`.
    pub(crate) import_as: Option<String>,
    pub(crate) max_points: Option<u32>,
    pub(crate) decay_per_run: Option<u32>,
    pub(crate) pending_days: Option<u32>,
    pub(crate) mode: Option<String>,
    pub(crate) add_points: Option<u32>,
}

/// The previous tool's file locations.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct FilesFile {
    pub(crate) points_file: Option<String>,
    pub(crate) tmdb_cache_file: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct RefreshFile {
    pub(crate) order: Option<String>,
    pub(crate) immaculate_order: Option<String>,
    pub(crate) head_size: Option<usize>,
    pub(crate) move_attempts: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct DedupeFile {
    pub(crate) max_deletions_per_run: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct TimeoutsFile {
    pub(crate) connect_seconds: Option<u64>,
    pub(crate) request_seconds: Option<u64>,
    pub(crate) llm_seconds: Option<u64>,
    pub(crate) radarr_movies_seconds: Option<u64>,
    pub(crate) sonarr_series_seconds: Option<u64>,
    pub(crate) lock_minutes: Option<u64>,
    pub(crate) detached_lock_minutes: Option<u64>,
}

/// The keys of `collections:` and `tags:`: one per collection.
const COLLECTION_KEYS: &[&str] = &[
    "recently_watched",
    "change_of_taste",
    "immaculate_taste",
    "tv_recently_watched",
    "tv_change_of_taste",
    "tv_immaculate_taste",
];

/// `collections:` also holds each collection's artwork and summary.
const COLLECTIONS_SECTION_KEYS: &[&str] = &[
    "recently_watched",
    "change_of_taste",
    "immaculate_taste",
    "tv_recently_watched",
    "tv_change_of_taste",
    "tv_immaculate_taste",
    "recently_watched_poster",
    "change_of_taste_poster",
    "immaculate_taste_poster",
    "recently_watched_background",
    "change_of_taste_background",
    "immaculate_taste_background",
    "recently_watched_summary",
    "change_of_taste_summary",
    "immaculate_taste_summary",
    "tv_recently_watched_poster",
    "tv_change_of_taste_poster",
    "tv_immaculate_taste_poster",
    "tv_recently_watched_background",
    "tv_change_of_taste_background",
    "tv_immaculate_taste_background",
    "tv_recently_watched_summary",
    "tv_change_of_taste_summary",
    "tv_immaculate_taste_summary",
    "artwork",
];

/// One entry of `notifications:` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct TargetFile {
    pub(crate) name: Option<String>,
    pub(crate) on: Option<String>,
    pub(crate) report: Option<bool>,
    pub(crate) send_only_on_problems: Option<bool>,
    pub(crate) discord: Option<Secret>,
    pub(crate) ntfy: Option<NtfyFile>,
    pub(crate) gotify: Option<GotifyFile>,
    pub(crate) webhook: Option<Secret>,
    pub(crate) email: Option<EmailFile>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct NtfyFile {
    pub(crate) server: Option<String>,
    pub(crate) topic: Option<Secret>,
    pub(crate) token: Option<Secret>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct GotifyFile {
    pub(crate) server: Option<String>,
    pub(crate) token: Option<Secret>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct EmailFile {
    pub(crate) host: Option<String>,
    pub(crate) port: Option<u16>,
    pub(crate) username: Option<String>,
    pub(crate) password: Option<Secret>,
    pub(crate) from: Option<String>,
    pub(crate) to: Option<OneOrMany>,
    pub(crate) tls: Option<String>,
    pub(crate) subject_prefix: Option<String>,
}

/// `alerts:` as the previous tool wrote it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct AlertsFile {
    pub(crate) email: Option<LegacyEmailFile>,
}

/// `alerts.email:` with the previous tool's keys and the spellings its
/// loader also took (`smtp_username`, `smtp_app_password`, `password`,
/// `smtp_password`, `to_email`), plus curator's `tls`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct LegacyEmailFile {
    pub(crate) enabled: Option<bool>,
    pub(crate) smtp_host: Option<String>,
    pub(crate) smtp_port: Option<u16>,
    #[serde(alias = "smtp_username")]
    pub(crate) username: Option<String>,
    #[serde(
        alias = "smtp_app_password",
        alias = "password",
        alias = "smtp_password"
    )]
    pub(crate) app_password: Option<Secret>,
    pub(crate) from_email: Option<String>,
    #[serde(alias = "to_email")]
    pub(crate) to_emails: Option<OneOrMany>,
    pub(crate) subject_prefix: Option<String>,
    pub(crate) send_only_on_problems: Option<bool>,
    pub(crate) tls: Option<String>,
}

/// Every key the file may hold, by section; anything else is noticed and
/// ignored. Keep in step with the structs above (a test loads the example
/// config, which uses every key, and expects no notice).
pub(crate) const KNOWN_KEYS: &[(&str, &[&str])] = &[
    (
        "scripts_run",
        &[
            "run_recently_watched_collection",
            "run_plex_duplicate_cleaner",
            "run_radarr_monitor_confirm_plex",
            "run_immaculate_taste_collection",
            "run_recently_watched_refresher",
            "run_collection_refresher",
            "run_tv_immaculate_taste_collection",
            "run_tv_collection_refresher",
            "run_tv_recently_watched_collection",
            "run_tv_recently_watched_refresher",
            "run_sonarr_duplicate_cleaner",
            "run_sonarr_monitor_confirm_plex",
            "run_sonarr_search_monitored",
        ],
    ),
    (
        "plex",
        &[
            "url",
            "token",
            "movie_library_name",
            "collection_name",
            "delete_preference",
            "preserve_quality",
            "randomize_collection",
            "tv_library_name",
            "tv_collection_name",
        ],
    ),
    (
        "openai",
        &[
            "api_key",
            "model",
            "base_url",
            "recommendation_count",
            "temperature",
            "structured_output",
            "reasoning_effort",
        ],
    ),
    (
        "recommendations",
        &[
            "count",
            "similar_count",
            "contrast_count",
            "min_resolved_percent",
        ],
    ),
    (
        "tmdb",
        &[
            "api_key",
            "base_url",
            "image_base_url",
            "requests_per_second",
            "recommendation_count",
        ],
    ),
    (
        "radarr",
        &[
            "url",
            "api_key",
            "root_folder",
            "tag_name",
            "quality_profile_id",
            "minimum_availability",
            "search_on_add",
            "require_approval",
        ],
    ),
    (
        "sonarr",
        &[
            "url",
            "api_key",
            "root_folder",
            "tag_name",
            "quality_profile_id",
            "auto_download_recommendations",
            "monitor",
            "search_on_add",
            "season_folder",
            "require_approval",
        ],
    ),
    ("requests", super::seerr::REQUESTS_KEYS),
    ("seerr", super::seerr::SEERR_KEYS),
    ("collections", COLLECTIONS_SECTION_KEYS),
    ("tags", COLLECTION_KEYS),
    (
        "points",
        &[
            "rules",
            "import_as",
            "max_points",
            "decay_per_run",
            "pending_days",
            "mode",
            "add_points",
        ],
    ),
    (
        "refresh",
        &["order", "immaculate_order", "head_size", "move_attempts"],
    ),
    ("files", &["points_file", "tmdb_cache_file"]),
    ("dedupe", &["max_deletions_per_run"]),
    (
        "timeouts",
        &[
            "connect_seconds",
            "request_seconds",
            "llm_seconds",
            "radarr_movies_seconds",
            "sonarr_series_seconds",
            "lock_minutes",
            "detached_lock_minutes",
        ],
    ),
    ("serve", super::serve::SERVE_KEYS),
    ("rows", super::rows::ROWS_KEYS),
    ("notifications", &[]),
    ("alerts", &["email"]),
    ("recommendation_count", &[]),
];
