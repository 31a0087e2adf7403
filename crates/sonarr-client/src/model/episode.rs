//! Episodes and bulk episode monitoring.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::ids::{EpisodeId, SeriesId};
use super::null_as_default;

/// An episode as Sonarr describes it (`EpisodeResource`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Episode {
    /// Sonarr's id of the episode.
    #[serde(default, deserialize_with = "null_as_default")]
    pub id: EpisodeId,
    /// The series it belongs to.
    #[serde(default, deserialize_with = "null_as_default")]
    pub series_id: SeriesId,
    /// Its season; 0 for specials.
    #[serde(default, deserialize_with = "null_as_default")]
    pub season_number: i32,
    /// Its number within the season.
    #[serde(default, deserialize_with = "null_as_default")]
    pub episode_number: i32,
    /// Its title.
    #[serde(default, deserialize_with = "null_as_default")]
    pub title: String,
    /// The local air date (`YYYY-MM-DD`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub air_date: Option<String>,
    /// The air date and time in UTC (ISO 8601 text), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub air_date_utc: Option<String>,
    /// Whether Sonarr has a file for it.
    #[serde(default, deserialize_with = "null_as_default")]
    pub has_file: bool,
    /// The id of its file; 0 when there is none.
    #[serde(default, deserialize_with = "null_as_default")]
    pub episode_file_id: i32,
    /// Whether Sonarr looks for it.
    #[serde(default, deserialize_with = "null_as_default")]
    pub monitored: bool,
    /// Its absolute number (anime), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub absolute_episode_number: Option<i32>,
    /// Every other field Sonarr sent, kept as is.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Episode {
    /// An episode without a file, monitored, of unknown air date.
    pub fn new(
        id: EpisodeId,
        series_id: SeriesId,
        season_number: i32,
        episode_number: i32,
        title: impl Into<String>,
    ) -> Self {
        Self {
            id,
            series_id,
            season_number,
            episode_number,
            title: title.into(),
            air_date: None,
            air_date_utc: None,
            has_file: false,
            episode_file_id: 0,
            monitored: true,
            absolute_episode_number: None,
            extra: Map::new(),
        }
    }

    /// True for a special (season 0).
    pub fn is_special(&self) -> bool {
        self.season_number == 0
    }
}

/// Monitor or unmonitor many episodes at once (`EpisodesMonitoredResource`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct EpisodeMonitor {
    /// The episodes to change.
    #[serde(default, deserialize_with = "null_as_default")]
    pub episode_ids: Vec<EpisodeId>,
    /// Monitor them (true) or not.
    #[serde(default, deserialize_with = "null_as_default")]
    pub monitored: bool,
}

impl EpisodeMonitor {
    /// Sets these episodes to `monitored`.
    pub fn new(episode_ids: Vec<EpisodeId>, monitored: bool) -> Self {
        Self {
            episode_ids,
            monitored,
        }
    }
}
