//! The TV side of the config: `plex.tv_library_name` (TV is on when it is
//! set), the TV collections' names and tags, the TV steps, and the
//! `sonarr:` section, under the previous tool's keys where it had them.

use curator_core::{CollectionNames, SonarrSettings, TvSettings};
use curator_http::Secret;
use sonarr_client::{MonitorType, QualityProfileId};

use super::file::{FileConfig, OneOrMany};
use super::{ConfigError, Env, env_secret, placeholder, secret, url};

/// Sonarr connection details.
#[derive(Debug, Clone)]
pub struct SonarrConn {
    /// Sonarr's address, with any URL base.
    pub url: String,
    /// The API key.
    pub api_key: Secret,
}

/// The monitor types a config may name, in Sonarr's spelling. `unknown` is
/// Sonarr's internal fallback, not a choice.
const MONITOR_TYPES: [MonitorType; 12] = [
    MonitorType::All,
    MonitorType::Future,
    MonitorType::Missing,
    MonitorType::Existing,
    MonitorType::FirstSeason,
    MonitorType::LastSeason,
    MonitorType::LatestSeason,
    MonitorType::Pilot,
    MonitorType::Recent,
    MonitorType::MonitorSpecials,
    MonitorType::UnmonitorSpecials,
    MonitorType::None,
];

/// `sonarr.monitor`: Sonarr's add-time monitor type, written as Sonarr
/// spells it (`firstSeason`) or with `_`/`-` (`first_season`), in any case.
/// Unset: `firstSeason`, so a suggested show does not download every
/// season unasked.
fn monitor(value: Option<String>, text: &str) -> Result<MonitorType, ConfigError> {
    let Some(value) = placeholder::set(value) else {
        return Ok(MonitorType::FirstSeason);
    };
    let squash = |s: &str| s.to_ascii_lowercase().replace(['_', '-', ' '], "");
    let wanted = squash(&value);
    MONITOR_TYPES
        .into_iter()
        .find(|m| squash(m.as_str()) == wanted)
        .ok_or_else(|| {
            let names: Vec<&str> = MONITOR_TYPES.iter().map(|m| m.as_str()).collect();
            ConfigError::new(format!("unknown monitor type {value:?}"))
                .key("sonarr.monitor", text)
                .fix(format!(
                    "use one of {} (firstSeason: only the first season is searched)",
                    names.join(", ")
                ))
        })
}

/// Sonarr labels in the form every Sonarr version takes (the same rule as
/// Radarr's: [`sonarr_client::normalize_tag_label`]).
fn tag_labels(
    labels: Vec<String>,
    key: &str,
    text: &str,
    notices: &mut Vec<String>,
) -> Result<Vec<String>, ConfigError> {
    super::arr_tag_labels("Sonarr", labels, key, text, notices)
}

/// What the TV keys say, checked.
#[derive(Debug, Clone)]
pub(super) struct Tv {
    /// Sonarr, when configured (url and key).
    pub(super) sonarr: Option<SonarrConn>,
    /// The TV side of the settings; `None` without `plex.tv_library_name`.
    pub(super) settings: Option<TvSettings>,
    /// The TV steps' switches (`scripts_run.run_tv_*`).
    pub(super) steps: TvSteps,
}

/// Which TV steps run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct TvSteps {
    pub(super) recently_watched: bool,
    pub(super) immaculate_taste: bool,
    pub(super) recently_watched_refresher: bool,
    pub(super) immaculate_taste_refresher: bool,
    pub(super) duplicate_cleaner: bool,
    pub(super) monitor_confirm: bool,
    pub(super) search_monitored: bool,
}

/// Reads the TV keys of `file`.
///
/// # Errors
/// A malformed Sonarr URL, a bad monitor type, quality profile or tag, a
/// configured Sonarr without a root folder, two TV collections with one
/// name.
pub(super) fn resolve(
    file: &mut FileConfig,
    text: &str,
    env: &dyn Env,
    notices: &mut Vec<String>,
) -> Result<Tv, ConfigError> {
    let s = std::mem::take(&mut file.sonarr);
    let sonarr_url = url(s.url, "sonarr.url", text, "http://localhost:8989")?;
    let sonarr_key = env_secret(env, "CURATOR_SONARR_API_KEY").or_else(|| secret(s.api_key));
    let sonarr = match (sonarr_url, sonarr_key) {
        (Some(url), Some(api_key)) => Some(SonarrConn { url, api_key }),
        _ => None,
    };
    // Checked even while Sonarr is off, so a typo shows before it matters.
    let monitor = monitor(s.monitor, text)?;
    let quality_profile_id = s.quality_profile_id.unwrap_or(1);
    if quality_profile_id < 1 {
        return Err(ConfigError::new("must be a positive number")
            .key("sonarr.quality_profile_id", text)
            .fix("use the id of a quality profile (`curator check` lists them)"));
    }
    let auto_download = s.auto_download_recommendations.unwrap_or(false);
    let root_folder = placeholder::set(s.root_folder);
    let handoff = match (&sonarr, root_folder) {
        (None, _) => None,
        (Some(_), Some(root_folder)) => Some(SonarrSettings {
            monitor,
            search_on_add: s.search_on_add.unwrap_or(true),
            season_folder: s.season_folder.unwrap_or(true),
            auto_download,
            ..SonarrSettings::new(root_folder, QualityProfileId(quality_profile_id))
        }),
        (Some(_), None) => {
            return Err(ConfigError::new("Sonarr is configured but has no root folder")
                .key("sonarr.root_folder", text)
                .fix("set it to the folder Sonarr stores shows in, as Sonarr shows it (Settings > Media Management)"));
        }
    };

    let library = placeholder::set(file.plex.tv_library_name.take());
    if library.is_none() && sonarr.is_some() {
        notices.push(
            "sonarr is configured but plex.tv_library_name is not: episode runs are skipped; set it to your TV library's name (such as \"TV Shows\") to turn TV on"
                .into(),
        );
    }

    let defaults = CollectionNames::tv();
    let c = &mut file.collections;
    let names = CollectionNames {
        recently_watched: placeholder::set(c.tv_recently_watched.take())
            .unwrap_or(defaults.recently_watched),
        change_of_taste: placeholder::set(c.tv_change_of_taste.take())
            .unwrap_or(defaults.change_of_taste),
        immaculate_taste: placeholder::set(c.tv_immaculate_taste.take())
            .or_else(|| placeholder::set(file.plex.tv_collection_name.take()))
            .unwrap_or(defaults.immaculate_taste),
    };
    if names.recently_watched == names.change_of_taste
        || names.recently_watched == names.immaculate_taste
        || names.change_of_taste == names.immaculate_taste
    {
        return Err(ConfigError::new("two TV collections have the same name")
            .key("collections", text)
            .fix("give each of the three TV collections (tv_recently_watched, tv_change_of_taste, tv_immaculate_taste) its own name"));
    }

    let default_tags = SonarrSettings::new(String::new(), QualityProfileId(1));
    let t = &mut file.tags;
    let immaculate_tags = match (t.tv_immaculate_taste.take(), s.tag_name) {
        (Some(tags), _) => tag_labels(tags.into_vec(), "tags.tv_immaculate_taste", text, notices)?,
        // The previous tool tagged the shows it sent with tag_name.
        (None, Some(tags)) => tag_labels(tags.into_vec(), "sonarr.tag_name", text, notices)?,
        (None, None) => default_tags.immaculate_tags,
    };
    let similar_tags = tag_labels(
        t.tv_recently_watched
            .take()
            .map_or(default_tags.similar_tags, OneOrMany::into_vec),
        "tags.tv_recently_watched",
        text,
        notices,
    )?;
    let contrast_tags = tag_labels(
        t.tv_change_of_taste
            .take()
            .map_or(default_tags.contrast_tags, OneOrMany::into_vec),
        "tags.tv_change_of_taste",
        text,
        notices,
    )?;
    let handoff = handoff.map(|h| SonarrSettings {
        similar_tags,
        contrast_tags,
        immaculate_tags,
        ..h
    });

    let r = &file.scripts_run;
    let steps = TvSteps {
        recently_watched: r.run_tv_recently_watched_collection,
        immaculate_taste: r.run_tv_immaculate_taste_collection,
        recently_watched_refresher: r.run_tv_recently_watched_refresher,
        immaculate_taste_refresher: r.run_tv_collection_refresher,
        duplicate_cleaner: r.run_sonarr_duplicate_cleaner,
        monitor_confirm: r.run_sonarr_monitor_confirm_plex,
        search_monitored: r.run_sonarr_search_monitored,
    };
    let settings = library.map(|library| TvSettings {
        library,
        collections: names,
        sonarr: handoff,
    });
    Ok(Tv {
        sonarr,
        settings,
        steps,
    })
}
