//! Operation names, shared by the client's errors and counters and the fake
//! server's counters.

/// `GET /api/v3/system/status`.
pub const SYSTEM_STATUS: &str = "radarr.system_status";
/// `GET /api/v3/movie`.
pub const MOVIES: &str = "radarr.movies";
/// `GET /api/v3/movie/{id}`.
pub const MOVIE: &str = "radarr.movie";
/// `GET /api/v3/movie?tmdbId=N`.
pub const MOVIE_BY_TMDB: &str = "radarr.movie_by_tmdb";
/// `GET /api/v3/movie/lookup/tmdb?tmdbId=N`.
pub const LOOKUP_TMDB: &str = "radarr.lookup_tmdb";
/// `POST /api/v3/movie`.
pub const ADD_MOVIE: &str = "radarr.add_movie";
/// `PUT /api/v3/movie/{id}`.
pub const UPDATE_MOVIE: &str = "radarr.update_movie";
/// `PUT /api/v3/movie/editor`.
pub const EDIT_MOVIES: &str = "radarr.edit_movies";
/// `GET /api/v3/tag`.
pub const TAGS: &str = "radarr.tags";
/// `POST /api/v3/tag`.
pub const CREATE_TAG: &str = "radarr.create_tag";
/// `GET /api/v3/rootfolder`.
pub const ROOT_FOLDERS: &str = "radarr.root_folders";
/// `GET /api/v3/qualityprofile`.
pub const QUALITY_PROFILES: &str = "radarr.quality_profiles";
/// `POST /api/v3/command` with `MoviesSearch`.
pub const SEARCH_MOVIES: &str = "radarr.search_movies";
