//! Operation names, shared by the client's errors and counters and the fake
//! server's counters.

/// `GET /api/v3/system/status`.
pub const SYSTEM_STATUS: &str = "sonarr.system_status";
/// `GET /api/v3/series` (the whole library).
pub const SERIES_LIST: &str = "sonarr.series_list";
/// `GET /api/v3/series/{id}`.
pub const SERIES: &str = "sonarr.series";
/// `GET /api/v3/series?tvdbId=N`.
pub const SERIES_BY_TVDB: &str = "sonarr.series_by_tvdb";
/// `GET /api/v3/series/lookup?term=tvdb:N`.
pub const LOOKUP_TVDB: &str = "sonarr.lookup_tvdb";
/// `GET /api/v3/series/lookup?term=<title>`.
pub const LOOKUP_TITLE: &str = "sonarr.lookup_title";
/// `POST /api/v3/series`.
pub const ADD_SERIES: &str = "sonarr.add_series";
/// `PUT /api/v3/series/{id}`.
pub const UPDATE_SERIES: &str = "sonarr.update_series";
/// `PUT /api/v3/series/editor`.
pub const EDIT_SERIES: &str = "sonarr.edit_series";
/// `GET /api/v3/episode?seriesId=N`.
pub const EPISODES: &str = "sonarr.episodes";
/// `PUT /api/v3/episode/monitor`.
pub const MONITOR_EPISODES: &str = "sonarr.monitor_episodes";
/// `GET /api/v3/tag`.
pub const TAGS: &str = "sonarr.tags";
/// `POST /api/v3/tag`.
pub const CREATE_TAG: &str = "sonarr.create_tag";
/// `GET /api/v3/rootfolder`.
pub const ROOT_FOLDERS: &str = "sonarr.root_folders";
/// `GET /api/v3/qualityprofile`.
pub const QUALITY_PROFILES: &str = "sonarr.quality_profiles";
/// `POST /api/v3/command` with `SeriesSearch`.
pub const SEARCH_SERIES: &str = "sonarr.search_series";
/// `POST /api/v3/command` with `MissingEpisodeSearch`.
pub const SEARCH_MISSING: &str = "sonarr.search_missing";
/// `POST /api/v3/command` with `EpisodeSearch`.
pub const SEARCH_EPISODES: &str = "sonarr.search_episodes";
