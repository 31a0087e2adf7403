//! The config: found, read, checked and mapped onto `curator_core::Settings`
//! plus the connection details of each service.
//!
//! The previous tool's `config.yaml` loads as it is. Keys curator does not
//! use are noticed, not refused. Secrets are [`Secret`]s from the moment they
//! are read, and empty values or placeholders mean "not set": that service
//! is then off.

mod artwork;
mod env;
mod error;
mod file;
mod legacy;
mod notifications;
mod placeholder;
mod rows;
mod seerr;
mod serve;
#[cfg(test)]
mod tests;
mod tv;

use std::path::{Path, PathBuf};
use std::time::Duration;

use curator_core::{
    CollectionNames, DataDir, DedupeSettings, DeletePreference, ImportAs, OnSuggest, OrderMode,
    PointsSettings, RadarrSettings, RecommendSettings, RefreshSettings, Settings, StepToggles,
};
use curator_http::Secret;
use curator_http::reqwest::Url;
use radarr_client::{MinimumAvailability, QualityProfileId};

pub use env::{Env, ProcessEnv};
pub use error::ConfigError;
use file::{FileConfig, KNOWN_KEYS, OneOrMany, PointsField};
pub use legacy::show_delete_preference_notice;
pub use placeholder::is_unset;
pub use seerr::SeerrConn;
pub use serve::{
    DEFAULT_LISTEN, DEFAULT_REPORT_SCHEDULE, ROUTE_ROOTS, Schedule, ServeSettings, parse_base_path,
};
pub use tv::SonarrConn;

/// The example config `curator init` writes.
pub const EXAMPLE: &str = include_str!("../../../examples/config.example.yaml");

/// The example config as `curator init` writes it: [`EXAMPLE`] with a
/// fresh random `serve.token` (48 hex digits) in place of its
/// placeholder, so a new setup of `curator serve` has a token.
pub fn example_with_token() -> String {
    let token = format!(
        "{:032x}{:016x}",
        rand::random::<u128>(),
        rand::random::<u64>()
    );
    EXAMPLE.replacen("\"YOUR_SERVE_TOKEN\"", &format!("\"{token}\""), 1)
}

/// Where a config was looked for, in order.
pub fn search_paths(env: &dyn Env) -> Vec<PathBuf> {
    let mut paths = vec![
        PathBuf::from("config/config.local.yaml"),
        PathBuf::from("config/config.yaml"),
    ];
    if let Some(dir) = env.var("XDG_CONFIG_HOME").filter(|d| !d.is_empty()) {
        paths.push(Path::new(&dir).join("curator/config.yaml"));
    } else if let Some(home) = env.var("HOME").filter(|d| !d.is_empty()) {
        paths.push(Path::new(&home).join(".config/curator/config.yaml"));
    }
    paths
}

/// Plex connection details.
#[derive(Debug, Clone)]
pub struct PlexConn {
    /// The server's address, without a trailing slash.
    pub url: String,
    /// The `X-Plex-Token`.
    pub token: Secret,
}

/// Radarr connection details.
#[derive(Debug, Clone)]
pub struct RadarrConn {
    /// Radarr's address, with any URL base.
    pub url: String,
    /// The API key.
    pub api_key: Secret,
}

/// TMDb connection details.
#[derive(Debug, Clone)]
pub struct TmdbConn {
    /// The API's address.
    pub base_url: String,
    /// Where posters come from (`tmdb.image_base_url`, TMDb's
    /// `images.secure_base_url`, [`tmdb_client::DEFAULT_IMAGE_BASE_URL`]
    /// unless set).
    pub image_base_url: String,
    /// A v3 API key or a v4 read access token.
    pub api_key: Secret,
    /// Client-side rate limit (0: none); TMDb's default when `None`.
    pub requests_per_second: Option<u32>,
}

/// LLM connection details.
#[derive(Debug, Clone)]
pub struct LlmConn {
    /// The OpenAI-compatible server's `/v1` address.
    pub base_url: String,
    /// The key; a local server needs none.
    pub api_key: Option<Secret>,
    /// The model's name.
    pub model: String,
    /// The sampling temperature, when set.
    pub temperature: Option<f32>,
    /// The mode to start with; `None`: json_schema, stepping down as the
    /// server refuses.
    pub structured_output: Option<llm_recs::StructuredOutput>,
    /// `reasoning_effort`, for models that take it.
    pub reasoning_effort: Option<String>,
}

/// Timeouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// To connect to any service.
    pub connect: Duration,
    /// A request's answer, unless below says otherwise.
    pub request: Duration,
    /// An LLM completion.
    pub llm: Duration,
    /// Radarr's whole movie list: unpaged, 20 to 40 s for ~10,000 movies.
    pub radarr_movies: Duration,
    /// Sonarr's whole series list: unpaged too.
    pub sonarr_series: Duration,
    /// Waiting for another run's data-directory lock.
    pub lock: Duration,
    /// The same, for a background run or a server job.
    pub detached_lock: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(10),
            request: Duration::from_secs(30),
            llm: llm_recs::DEFAULT_TIMEOUT,
            radarr_movies: radarr_client::DEFAULT_MOVIE_LIST_TIMEOUT,
            sonarr_series: sonarr_client::DEFAULT_SERIES_LIST_TIMEOUT,
            lock: Duration::from_secs(10 * 60),
            detached_lock: Duration::from_secs(30 * 60),
        }
    }
}

/// Everything the CLI learned from the config file and the environment.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it came from.
    pub source: Option<PathBuf>,
    /// Plex, when configured.
    pub plex: Option<PlexConn>,
    /// Radarr, when configured.
    pub radarr: Option<RadarrConn>,
    /// Sonarr, when configured.
    pub sonarr: Option<SonarrConn>,
    /// Overseerr or Jellyseerr, when missing titles go there
    /// (`requests.via: seerr`).
    pub seerr: Option<SeerrConn>,
    /// TMDb, when configured.
    pub tmdb: Option<TmdbConn>,
    /// The LLM, when configured.
    pub llm: Option<LlmConn>,
    /// What the core runs with.
    pub settings: Settings,
    /// Timeouts.
    pub timeouts: Timeouts,
    /// `curator serve`'s settings.
    pub serve: ServeSettings,
    /// Where notifications go (`notifications:`, and the previous tool's
    /// `alerts.email`).
    pub notifications: Vec<curator_notify::Target>,
    /// One-line notices (unknown keys, renamed keys).
    pub notices: Vec<String>,
    /// The previous tool's `files.points_file` and `files.tmdb_cache_file`.
    pub files: DataFiles,
    /// The loud one-time notice for a previous tool's `delete_preference`
    /// with the cleaner on (its code deleted the opposite copy).
    pub delete_preference_notice: Option<String>,
}

/// Where the previous tool's config put its files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DataFiles {
    /// `files.points_file`.
    pub points_file: Option<PathBuf>,
    /// `files.tmdb_cache_file`.
    pub tmdb_cache_file: Option<PathBuf>,
}

impl Config {
    /// The data directory at `root`, with the files where the config puts
    /// them.
    pub fn data_dir(&self, root: PathBuf) -> DataDir {
        let mut data = DataDir::new(root);
        if let Some(path) = &self.files.points_file {
            data = data.with_points_file(path);
        }
        if let Some(path) = &self.files.tmdb_cache_file {
            data = data.with_tmdb_cache_file(path);
        }
        data
    }
}

/// Finds and loads the config: `explicit` (from `--config` or
/// `$CURATOR_CONFIG`), else the first of [`search_paths`] that exists.
///
/// # Errors
/// No file found, a file that cannot be read, or a bad value.
pub fn load(explicit: Option<&Path>, env: &dyn Env) -> Result<Config, ConfigError> {
    let path = match explicit {
        Some(path) => path.to_owned(),
        None => search_paths(env)
            .into_iter()
            .find(|p| p.is_file())
            .ok_or_else(|| {
                let looked: Vec<String> = search_paths(env)
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect();
                ConfigError::new(format!(
                    "no config file found (looked for {})",
                    looked.join(", ")
                ))
                .fix("write one with `curator init`, or point to yours with --config PATH or $CURATOR_CONFIG")
            })?,
    };
    let text = std::fs::read_to_string(&path).map_err(|e| {
        ConfigError {
            path: Some(path.clone()),
            ..ConfigError::new(format!("cannot read the file: {e}"))
        }
        .fix("check the path given to --config or $CURATOR_CONFIG")
    })?;
    let mut config = parse_at(&text, env, path.parent()).map_err(|mut e| {
        e.path = Some(path.clone());
        e
    })?;
    config.source = Some(path);
    Ok(config)
}

/// Parses a config's text and maps it.
///
/// # Errors
/// A YAML error (with its line) or a bad value (naming its key).
pub fn parse(text: &str, env: &dyn Env) -> Result<Config, ConfigError> {
    parse_at(text, env, None)
}

/// [`parse`], with relative paths (artwork) taken from `base`, the config
/// file's folder (the current directory when `None`).
fn parse_at(text: &str, env: &dyn Env, base: Option<&Path>) -> Result<Config, ConfigError> {
    let value: serde_yaml::Value = if text.trim().is_empty() {
        serde_yaml::Value::Null
    } else {
        serde_yaml::from_str(text).map_err(|e| yaml_error(&e, text))?
    };
    let notices = match &value {
        serde_yaml::Value::Null => Vec::new(),
        serde_yaml::Value::Mapping(_) => unknown_keys(&value)
            .map(|keys| vec![format!("ignoring config keys curator does not use: {keys}")])
            .into_iter()
            .flatten()
            .collect(),
        _ => {
            return Err(
                ConfigError::new("the file is not a YAML mapping of sections")
                    .fix("start from the example: `curator init --force PATH`"),
            );
        }
    };
    let file: FileConfig = if value.is_null() {
        FileConfig::default()
    } else {
        serde_yaml::from_str(text).map_err(|e| yaml_error(&e, text))?
    };
    let mut config = resolve(file, text, env, base)?;
    config.notices.splice(0..0, notices);
    Ok(config)
}

fn yaml_error(error: &serde_yaml::Error, text: &str) -> ConfigError {
    let full = error.to_string();
    // serde_yaml says "plex.url: invalid type: ... at line 3 column 8": split
    // the key off and keep the line separately.
    let (key, message) = match full.split_once(": ") {
        Some((key, rest))
            if !key.contains(' ')
                && key
                    .chars()
                    .all(|c| c.is_alphanumeric() || "._[]".contains(c)) =>
        {
            (Some(key.to_owned()), rest.to_owned())
        }
        _ => (None, full.clone()),
    };
    let message = match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message,
    };
    let line = error.location().map(|l| l.line());
    let mut out = ConfigError {
        line,
        ..ConfigError::new(message)
    };
    out = match key {
        Some(key) => out.key(&key, text),
        None => out,
    };
    out.fix("correct the value (quote text that contains ':' or '#'); `curator init` writes a commented example")
}

fn unknown_keys(value: &serde_yaml::Value) -> Option<String> {
    let mut unknown = Vec::new();
    let serde_yaml::Value::Mapping(root) = value else {
        return None;
    };
    for (key, section) in root {
        let name = key
            .as_str()
            .map_or_else(|| format!("{key:?}"), str::to_owned);
        match KNOWN_KEYS.iter().find(|(s, _)| *s == name) {
            None => unknown.push(name),
            Some((_, keys)) => {
                if let serde_yaml::Value::Mapping(inner) = section {
                    for (key, _) in inner {
                        let inner_name = key
                            .as_str()
                            .map_or_else(|| format!("{key:?}"), str::to_owned);
                        if !keys.contains(&inner_name.as_str()) {
                            unknown.push(format!("{name}.{inner_name}"));
                        }
                    }
                }
            }
        }
    }
    (!unknown.is_empty()).then(|| unknown.join(", "))
}

fn secret(value: Option<Secret>) -> Option<Secret> {
    value.filter(|s| !is_unset(s.expose()))
}

fn env_secret(env: &dyn Env, name: &str) -> Option<Secret> {
    env.var(name).filter(|v| !is_unset(v)).map(Secret::new)
}

fn url(
    value: Option<String>,
    key: &str,
    text: &str,
    example: &str,
) -> Result<Option<String>, ConfigError> {
    let Some(value) = placeholder::set(value) else {
        return Ok(None);
    };
    match Url::parse(&value) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {
            Ok(Some(value.trim_end_matches('/').to_owned()))
        }
        _ => Err(
            ConfigError::new(format!("{} is not an http(s) URL", shown_url(&value)))
                .key(key, text)
                .fix(format!("write it with its scheme and port, like {example}")),
        ),
    }
}

/// A URL as it may be shown in a message: scheme, host, port and path
/// only. A query (`?X-Plex-Token=...`, `?api_key=...`), a fragment and user
/// info (`user:password@`) can hold secrets, so they are cut out and the
/// cut is said. Works on text that is not a valid URL too.
fn shown_url(value: &str) -> String {
    let value = value.trim();
    let (rest, query) = match value.find(['?', '#']) {
        Some(at) => (&value[..at], true),
        None => (value, false),
    };
    let authority_start = rest.find("://").map_or(0, |at| at + 3);
    let authority_end = rest[authority_start..]
        .find('/')
        .map_or(rest.len(), |at| authority_start + at);
    let (shown, userinfo) = match rest[authority_start..authority_end].rfind('@') {
        Some(at) => (
            format!(
                "{}{}",
                &rest[..authority_start],
                &rest[authority_start + at + 1..]
            ),
            true,
        ),
        None => (rest.to_owned(), false),
    };
    let mut out = format!("{shown:?}");
    if userinfo {
        out.push_str(" (user info removed)");
    }
    if query {
        out.push_str(" (query removed)");
    }
    out
}

fn order(
    value: Option<String>,
    head_size: usize,
    key: &str,
    text: &str,
) -> Result<Option<OrderMode>, ConfigError> {
    let Some(value) = placeholder::set(value) else {
        return Ok(None);
    };
    match value.to_ascii_lowercase().as_str() {
        "full" | "random" | "shuffle" => Ok(Some(OrderMode::Full)),
        "head" => Ok(Some(OrderMode::Head { head_size })),
        "keep" | "none" => Ok(Some(OrderMode::Keep)),
        _ => Err(ConfigError::new(format!("unknown order {value:?}"))
            .key(key, text)
            .fix("use full, head or keep")),
    }
}

/// `openai.structured_output`: `true` (or unset) starts at json_schema,
/// `false` is plain text, a mode name starts at that mode.
fn structured_output(
    value: Option<file::StructuredSetting>,
    text: &str,
) -> Result<Option<llm_recs::StructuredOutput>, ConfigError> {
    use llm_recs::StructuredOutput;
    match value {
        None | Some(file::StructuredSetting::On(true)) => Ok(None),
        Some(file::StructuredSetting::On(false)) => Ok(Some(StructuredOutput::Text)),
        Some(file::StructuredSetting::Mode(mode)) => match placeholder::set(Some(mode.clone())) {
            None => Ok(None),
            Some(set) => StructuredOutput::parse(&set).map(Some).ok_or_else(|| {
                ConfigError::new(format!("unknown structured output mode {mode:?}"))
                    .key("openai.structured_output", text)
                    .fix("use json_schema, json_object or text (or true / false)")
            }),
        },
    }
}

/// Maps the previous tool's `delete_preference` names (and curator's own)
/// onto [`DeletePreference`]. The previous tool documented the value as
/// the copy to delete; that is what it means here.
fn delete_preference(value: Option<String>, text: &str) -> Result<DeletePreference, ConfigError> {
    let Some(value) = placeholder::set(value) else {
        return Ok(DeletePreference::KeepBest);
    };
    match value.to_ascii_lowercase().replace('-', "_").as_str() {
        "keep_best" | "best" => Ok(DeletePreference::KeepBest),
        "smallest_file" | "smallest" => Ok(DeletePreference::SmallestFile),
        "largest_file" | "largest" => Ok(DeletePreference::LargestFile),
        "newest" | "newest_file" => Ok(DeletePreference::Newest),
        "oldest" | "oldest_file" => Ok(DeletePreference::Oldest),
        _ => Err(
            ConfigError::new(format!("unknown delete preference {value:?}"))
                .key("plex.delete_preference", text)
                .fix("use keep_best, smallest_file, largest_file, newest or oldest"),
        ),
    }
}

fn minimum_availability(
    value: Option<String>,
    text: &str,
) -> Result<MinimumAvailability, ConfigError> {
    let Some(value) = placeholder::set(value) else {
        return Ok(MinimumAvailability::Released);
    };
    match value
        .to_ascii_lowercase()
        .replace(['_', '-', ' '], "")
        .as_str()
    {
        "tba" => Ok(MinimumAvailability::Tba),
        "announced" => Ok(MinimumAvailability::Announced),
        "incinemas" => Ok(MinimumAvailability::InCinemas),
        "released" => Ok(MinimumAvailability::Released),
        _ => Err(
            ConfigError::new(format!("unknown minimum availability {value:?}"))
                .key("radarr.minimum_availability", text)
                .fix("use announced, in_cinemas or released"),
        ),
    }
}

fn tags(value: Option<OneOrMany>, default: Vec<String>) -> Vec<String> {
    value.map_or(default, OneOrMany::into_vec)
}

/// Radarr tag labels in the form every Radarr version takes.
fn tag_labels(
    labels: Vec<String>,
    key: &str,
    text: &str,
    notices: &mut Vec<String>,
) -> Result<Vec<String>, ConfigError> {
    arr_tag_labels("Radarr", labels, key, text, notices)
}

/// Radarr or Sonarr (`service`) tag labels in the form every version takes
/// (`arr_common`'s rule, re-exported as
/// [`radarr_client::normalize_tag_label`]: Radarr v6 and Sonarr v5 refuse
/// anything outside `^[a-z0-9-]+$`, and all versions store labels
/// lowercased). A label that changes gets a notice; one with no letter or
/// digit left is refused.
fn arr_tag_labels(
    service: &str,
    labels: Vec<String>,
    key: &str,
    text: &str,
    notices: &mut Vec<String>,
) -> Result<Vec<String>, ConfigError> {
    let mut out: Vec<String> = Vec::new();
    for label in labels {
        let Some(normal) = radarr_client::normalize_tag_label(&label) else {
            return Err(ConfigError::new(format!(
                "{} tag {label:?} has no letter or digit {service} accepts",
                service.to_ascii_lowercase()
            ))
            .key(key, text)
            .fix(
                "use lowercase letters, digits and -, such as \"movies\" or \"change-of-taste\"",
            ));
        };
        if normal != label {
            notices.push(format!(
                "{key}: {} tag {label:?} is used as {normal:?} ({service} takes only lowercase a-z, 0-9 and -)",
                service.to_ascii_lowercase()
            ));
        }
        if !out.contains(&normal) {
            out.push(normal);
        }
    }
    Ok(out)
}

fn resolve(
    mut file: FileConfig,
    text: &str,
    env: &dyn Env,
    base: Option<&Path>,
) -> Result<Config, ConfigError> {
    let timeouts = resolve_timeouts(&file, text)?;
    let serve = serve::resolve(std::mem::take(&mut file.serve), text, env)?;
    let points = resolve_points(&file, text)?;
    let refresh = resolve_refresh(&file, text)?;
    let mut rows = rows::resolve(&file.rows, text)?;
    rows.artwork = artwork::resolve(&file.collections, text, base)?;
    let mut notices = Vec::new();
    // Read before the TV keys take the sonarr: section.
    let shows_need_approval = file.sonarr.require_approval.unwrap_or(false);
    let tv = tv::resolve(&mut file, text, env, &mut notices)?;
    let (requests, seerr) = seerr::resolve(
        std::mem::take(&mut file.requests),
        std::mem::take(&mut file.seerr),
        text,
        env,
        &mut notices,
    )?;

    // Plex: the config, else what Tautulli puts in the environment.
    let plex_url = match url(file.plex.url, "plex.url", text, "http://192.168.1.10:32400")? {
        Some(u) => Some(u),
        None => url(
            env.var("PLEX_URL"),
            "PLEX_URL",
            "",
            "http://192.168.1.10:32400",
        )?,
    };
    let plex_token = env_secret(env, "CURATOR_PLEX_TOKEN")
        .or_else(|| secret(file.plex.token))
        .or_else(|| env_secret(env, "PLEX_TOKEN"));
    let plex = match (plex_url, plex_token) {
        (Some(url), Some(token)) => Some(PlexConn { url, token }),
        _ => None,
    };

    let radarr_url = url(file.radarr.url, "radarr.url", text, "http://localhost:7878")?;
    let radarr_key =
        env_secret(env, "CURATOR_RADARR_API_KEY").or_else(|| secret(file.radarr.api_key));
    let radarr = match (radarr_url, radarr_key) {
        (Some(url), Some(api_key)) => Some(RadarrConn { url, api_key }),
        _ => None,
    };
    // Checked even while Radarr is off, so a typo shows before it matters.
    let availability = minimum_availability(file.radarr.minimum_availability, text)?;
    let quality_profile_id = file.radarr.quality_profile_id.unwrap_or(1);
    if quality_profile_id < 1 {
        return Err(ConfigError::new("must be a positive number")
            .key("radarr.quality_profile_id", text)
            .fix("use the id of a quality profile (`curator check` lists them)"));
    }
    let radarr_settings = match &radarr {
        None => None,
        Some(_) => {
            let root_folder = placeholder::set(file.radarr.root_folder).ok_or_else(|| {
                ConfigError::new("Radarr is configured but has no root folder")
                    .key("radarr.root_folder", text)
                    .fix("set it to the folder Radarr stores movies in, as Radarr shows it (Settings > Media Management)")
            })?;
            Some(RadarrSettings {
                root_folder,
                quality_profile_id: QualityProfileId(quality_profile_id),
                minimum_availability: availability,
                search_on_add: file.radarr.search_on_add.unwrap_or(true),
            })
        }
    };

    let tmdb_base = url(
        file.tmdb.base_url,
        "tmdb.base_url",
        text,
        tmdb_client::DEFAULT_BASE_URL,
    )?
    .unwrap_or_else(|| tmdb_client::DEFAULT_BASE_URL.to_owned());
    let tmdb_images = url(
        file.tmdb.image_base_url,
        "tmdb.image_base_url",
        text,
        tmdb_client::DEFAULT_IMAGE_BASE_URL,
    )?
    .unwrap_or_else(|| tmdb_client::DEFAULT_IMAGE_BASE_URL.to_owned());
    let tmdb = env_secret(env, "CURATOR_TMDB_API_KEY")
        .or_else(|| secret(file.tmdb.api_key))
        .map(|api_key| TmdbConn {
            base_url: tmdb_base,
            image_base_url: tmdb_images,
            api_key,
            requests_per_second: file.tmdb.requests_per_second,
        });

    let llm_base = url(
        file.openai.base_url,
        "openai.base_url",
        text,
        llm_recs::OLLAMA_BASE_URL,
    )?;
    let llm_key = env_secret(env, "CURATOR_OPENAI_API_KEY").or_else(|| secret(file.openai.api_key));
    let model = placeholder::set(file.openai.model).unwrap_or_else(|| "gpt-4o-mini".to_owned());
    let structured_output = structured_output(file.openai.structured_output, text)?;
    let reasoning_effort = placeholder::set(file.openai.reasoning_effort);
    // A local server (Ollama, LM Studio...) needs no key; OpenAI itself does.
    let llm = match (llm_base, llm_key) {
        (Some(base_url), api_key) => Some(LlmConn {
            base_url,
            api_key,
            model,
            temperature: file.openai.temperature,
            structured_output,
            reasoning_effort,
        }),
        (None, Some(api_key)) => Some(LlmConn {
            base_url: llm_recs::OPENAI_BASE_URL.to_owned(),
            api_key: Some(api_key),
            model,
            temperature: file.openai.temperature,
            structured_output,
            reasoning_effort,
        }),
        (None, None) => None,
    };

    let s = &file.scripts_run;
    let steps = StepToggles {
        recently_watched: s.run_recently_watched_collection,
        duplicate_cleaner: s.run_plex_duplicate_cleaner,
        monitor_confirm: s.run_radarr_monitor_confirm_plex,
        immaculate_taste: s.run_immaculate_taste_collection,
        recently_watched_refresher: s.run_recently_watched_refresher,
        immaculate_taste_refresher: s.run_collection_refresher,
        tv_recently_watched: tv.steps.recently_watched,
        tv_immaculate_taste: tv.steps.immaculate_taste,
        tv_recently_watched_refresher: tv.steps.recently_watched_refresher,
        tv_immaculate_taste_refresher: tv.steps.immaculate_taste_refresher,
        tv_duplicate_cleaner: tv.steps.duplicate_cleaner,
        sonarr_monitor_confirm: tv.steps.monitor_confirm,
        sonarr_search_monitored: tv.steps.search_monitored,
    };

    let defaults = CollectionNames::default();
    let immaculate_name = placeholder::set(file.collections.immaculate_taste)
        .or_else(|| placeholder::set(file.plex.collection_name))
        .unwrap_or(defaults.immaculate_taste);
    let collections = CollectionNames {
        recently_watched: placeholder::set(file.collections.recently_watched)
            .unwrap_or(defaults.recently_watched),
        change_of_taste: placeholder::set(file.collections.change_of_taste)
            .unwrap_or(defaults.change_of_taste),
        immaculate_taste: immaculate_name,
    };
    let names = [
        &collections.recently_watched,
        &collections.change_of_taste,
        &collections.immaculate_taste,
    ];
    if names[0] == names[1] || names[0] == names[2] || names[1] == names[2] {
        return Err(ConfigError::new("two collections have the same name")
            .key("collections", text)
            .fix("give each of the three collections its own name"));
    }

    let rec_defaults = RecommendSettings::default();
    let immaculate_count = file
        .recommendations
        .count
        .or(file.recommendation_count)
        .or(file.openai.recommendation_count)
        .or(file.tmdb.recommendation_count)
        .unwrap_or(rec_defaults.immaculate_count);
    let mut notifications =
        notifications::resolve(std::mem::take(&mut file.notifications), text, &mut notices)?;
    if let Some(email) =
        notifications::legacy_email(std::mem::take(&mut file.alerts), text, &mut notices)?
    {
        notifications.push(email);
    }
    let immaculate_tags = match (file.tags.immaculate_taste, file.radarr.tag_name) {
        (Some(t), _) => tag_labels(t.into_vec(), "tags.immaculate_taste", text, &mut notices)?,
        // The previous tool tagged its immaculate-taste additions with tag_name.
        (None, Some(t)) => tag_labels(t.into_vec(), "radarr.tag_name", text, &mut notices)?,
        (None, None) => rec_defaults.immaculate_tags.clone(),
    };
    let recommend = RecommendSettings {
        similar_count: file
            .recommendations
            .similar_count
            .unwrap_or(rec_defaults.similar_count),
        contrast_count: file
            .recommendations
            .contrast_count
            .unwrap_or(rec_defaults.contrast_count),
        immaculate_count,
        similar_tags: tag_labels(
            tags(
                file.tags.recently_watched,
                rec_defaults.similar_tags.clone(),
            ),
            "tags.recently_watched",
            text,
            &mut notices,
        )?,
        contrast_tags: tag_labels(
            tags(
                file.tags.change_of_taste,
                rec_defaults.contrast_tags.clone(),
            ),
            "tags.change_of_taste",
            text,
            &mut notices,
        )?,
        immaculate_tags,
        min_resolved_percent: match file.recommendations.min_resolved_percent {
            None => rec_defaults.min_resolved_percent,
            Some(percent) if percent <= 100 => percent as u8,
            Some(percent) => {
                return Err(ConfigError::new(format!("{percent} is not a percentage"))
                    .key("recommendations.min_resolved_percent", text)
                    .fix("use a number from 0 to 100"));
            }
        },
        ..rec_defaults
    };
    for (key, count) in [
        ("recommendations.count", recommend.immaculate_count),
        ("recommendations.similar_count", recommend.similar_count),
        ("recommendations.contrast_count", recommend.contrast_count),
    ] {
        if count > 200 {
            return Err(ConfigError::new(format!(
                "{count} is more than the 200 suggestions one request can ask for"
            ))
            .key(key, text)
            .fix("use a number from 0 to 200 (0 switches that list off)"));
        }
    }

    let preference_text = placeholder::set(file.plex.delete_preference.clone());
    let preference = delete_preference(file.plex.delete_preference, text)?;
    let delete_preference_notice = match &preference_text {
        Some(raw) if steps.duplicate_cleaner || steps.tv_duplicate_cleaner => {
            legacy::delete_preference_notice(preference, raw)
        }
        _ => None,
    };
    let files = DataFiles {
        points_file: placeholder::set(file.files.points_file).map(PathBuf::from),
        tmdb_cache_file: placeholder::set(file.files.tmdb_cache_file).map(PathBuf::from),
    };
    let dedupe = DedupeSettings {
        delete_preference: preference,
        preserve_quality: file
            .plex
            .preserve_quality
            .unwrap_or_default()
            .into_iter()
            .map(|q| q.trim().to_owned())
            .filter(|q| !q.is_empty())
            .collect(),
        max_deletions_per_run: file
            .dedupe
            .max_deletions_per_run
            .unwrap_or(DedupeSettings::default().max_deletions_per_run),
    };

    let settings = Settings {
        movie_library: placeholder::set(file.plex.movie_library_name)
            .unwrap_or_else(|| "Movies".into()),
        steps,
        collections,
        recommend,
        points,
        radarr: radarr_settings,
        approval: curator_core::ApprovalSettings {
            movies: file.radarr.require_approval.unwrap_or(false),
            shows: shows_need_approval,
        },
        requests,
        refresh,
        dedupe,
        tv: tv.settings,
        rows,
        dry_run: false,
    };
    Ok(Config {
        source: None,
        plex,
        radarr,
        sonarr: tv.sonarr,
        seerr,
        tmdb,
        llm,
        settings,
        timeouts,
        serve,
        notifications,
        notices,
        files,
        delete_preference_notice,
    })
}

fn resolve_points(file: &FileConfig, text: &str) -> Result<PointsSettings, ConfigError> {
    let empty = file::PointsFile::default();
    let (rules, rules_key, p) = match &file.points {
        PointsField::Rules(name) => (Some(name.clone()), "points", &empty),
        PointsField::Section(p) => (placeholder::set(p.rules.clone()), "points.rules", p),
    };
    let defaults = match rules.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None | Some("standard" | "default") => PointsSettings::default(),
        Some("classic") => PointsSettings::classic(),
        Some(other) => {
            return Err(ConfigError::new(format!("unknown points rules {other:?}"))
                .key(rules_key, text)
                .fix("use standard (a suggestion sets max_points, minus one per run) or classic (+1 per suggestion, nothing ever leaves)"));
        }
    };
    let import_as = match placeholder::set(p.import_as.clone())
        .map(|v| v.to_ascii_lowercase())
        .as_deref()
    {
        None | Some("auto") => ImportAs::Auto,
        Some("full") => ImportAs::Full,
        Some("keep") => ImportAs::Keep,
        Some(other) => {
            return Err(ConfigError::new(format!("unknown import_as {other:?}"))
                .key("points.import_as", text)
                .fix("use auto (full points for a file from before the previous tool's 5.1, its own numbers otherwise), full or keep"));
        }
    };
    let on_suggest = match placeholder::set(p.mode.clone()).as_deref() {
        None => match defaults.on_suggest {
            OnSuggest::Add(n) => OnSuggest::Add(p.add_points.unwrap_or(n)),
            other => other,
        },
        Some("set_to_max" | "set-to-max" | "max") => OnSuggest::SetToMax,
        Some("add" | "additive") => OnSuggest::Add(p.add_points.unwrap_or(1)),
        Some(other) => {
            return Err(ConfigError::new(format!("unknown points mode {other:?}"))
                .key("points.mode", text)
                .fix("use set_to_max (a suggestion sets max_points) or add (a suggestion adds add_points)"));
        }
    };
    let max_points = p.max_points.unwrap_or(defaults.max_points);
    if max_points == 0 && on_suggest == OnSuggest::SetToMax {
        return Err(ConfigError::new("0 would give every suggestion 0 points")
            .key("points.max_points", text)
            .fix("use a positive number such as 50"));
    }
    Ok(PointsSettings {
        max_points,
        decay_per_run: p.decay_per_run.unwrap_or(defaults.decay_per_run),
        on_suggest,
        pending_days: p.pending_days.unwrap_or(defaults.pending_days),
        import_as,
    })
}

fn resolve_refresh(file: &FileConfig, text: &str) -> Result<RefreshSettings, ConfigError> {
    let defaults = RefreshSettings::default();
    let r = &file.refresh;
    let head_size = r.head_size.unwrap_or(match defaults.immaculate_order {
        OrderMode::Head { head_size } => head_size,
        _ => 50,
    });
    if head_size == 0 {
        return Err(ConfigError::new("a head of 0 movies reorders nothing")
            .key("refresh.head_size", text)
            .fix("use a positive number, or set the order to keep"));
    }
    let mut small_order =
        order(r.order.clone(), head_size, "refresh.order", text)?.unwrap_or(defaults.small_order);
    let mut immaculate_order = order(
        r.immaculate_order.clone(),
        head_size,
        "refresh.immaculate_order",
        text,
    )?
    .unwrap_or(match defaults.immaculate_order {
        OrderMode::Head { .. } => OrderMode::Head { head_size },
        other => other,
    });
    // The previous tool's switch for shuffling collections.
    if file.plex.randomize_collection == Some(false) {
        small_order = OrderMode::Keep;
        immaculate_order = OrderMode::Keep;
    }
    Ok(RefreshSettings {
        small_order,
        immaculate_order,
        move_attempts: r.move_attempts.unwrap_or(defaults.move_attempts).max(1),
        ..defaults
    })
}

fn resolve_timeouts(file: &FileConfig, text: &str) -> Result<Timeouts, ConfigError> {
    let t = &file.timeouts;
    let defaults = Timeouts::default();
    let secs = |v: Option<u64>, key: &str, default: Duration| -> Result<Duration, ConfigError> {
        match v {
            None => Ok(default),
            Some(0) => Err(ConfigError::new("0 would fail every request")
                .key(key, text)
                .fix("use a positive number, or remove the key for the default")),
            Some(n) => Ok(Duration::from_secs(n)),
        }
    };
    Ok(Timeouts {
        connect: secs(
            t.connect_seconds,
            "timeouts.connect_seconds",
            defaults.connect,
        )?,
        request: secs(
            t.request_seconds,
            "timeouts.request_seconds",
            defaults.request,
        )?,
        llm: secs(t.llm_seconds, "timeouts.llm_seconds", defaults.llm)?,
        radarr_movies: secs(
            t.radarr_movies_seconds,
            "timeouts.radarr_movies_seconds",
            defaults.radarr_movies,
        )?,
        sonarr_series: secs(
            t.sonarr_series_seconds,
            "timeouts.sonarr_series_seconds",
            defaults.sonarr_series,
        )?,
        lock: t
            .lock_minutes
            .map_or(defaults.lock, |m| Duration::from_secs(m * 60)),
        detached_lock: t
            .detached_lock_minutes
            .map_or(defaults.detached_lock, |m| Duration::from_secs(m * 60)),
    })
}
