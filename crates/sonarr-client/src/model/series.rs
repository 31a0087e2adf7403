//! Series: the library record, its seasons, the add request and the bulk
//! editor.

use std::fmt;

use curator_http::{ImdbId, TmdbId, TvdbId};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::ids::SeriesId;
use super::null_as_default;
use arr_common::{ApplyTags, QualityProfileId, TagId};

/// An enum Sonarr sends as a camelCase string, with a catch-all that keeps
/// values this crate does not know, so they go back as they came.
macro_rules! string_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $text:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
            /// A value this crate does not know, kept as sent.
            Other(String),
        }

        impl $name {
            /// The value as Sonarr spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)+
                    Self::Other(other) => other,
                }
            }

            /// Reads Sonarr's spelling; anything else becomes `Other`.
            pub fn parse(value: &str) -> Self {
                match value {
                    $($text => Self::$variant,)+
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(|text| Self::parse(&text))
            }
        }
    };
}

string_enum! {
    /// Whether a series still airs (`SeriesStatusType`).
    SeriesStatus {
        /// New episodes still air.
        Continuing => "continuing",
        /// It has ended.
        Ended => "ended",
        /// Announced, not aired yet.
        Upcoming => "upcoming",
        /// Removed from TheTVDB.
        Deleted => "deleted",
    }
}

string_enum! {
    /// How Sonarr numbers and searches a series (`SeriesTypes`).
    SeriesType {
        /// Seasons and episodes (the default).
        Standard => "standard",
        /// Episodes named by air date.
        Daily => "daily",
        /// Absolute episode numbers.
        Anime => "anime",
    }
}

// Written out: the macro's enums do not all have a default to derive.
#[allow(clippy::derivable_impls)]
impl Default for SeriesType {
    fn default() -> Self {
        Self::Standard
    }
}

/// Which episodes Sonarr monitors when a series is added
/// (`addOptions.monitor`, Sonarr's `MonitorTypes`, spelled as Sonarr's JSON
/// spells it: camelCase).
///
/// Sonarr v3 knows only `unknown`, `all`, `future`, `missing`, `existing`,
/// `firstSeason`, `latestSeason`, `pilot` and `none`; v4 added the others
/// and renamed `latestSeason` to `lastSeason` (the old name still works).
/// A v3 server answers a value it does not know with a 500
/// ([`MonitorType::since_major_version`] says which version a value needs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum MonitorType {
    /// Sonarr's v2 fallback: monitors by the ignore flags of the options.
    Unknown,
    /// Every episode outside specials.
    All,
    /// Episodes that have not aired yet.
    Future,
    /// Episodes without a file.
    Missing,
    /// Episodes with a file.
    Existing,
    /// The first season.
    FirstSeason,
    /// The last season (v4 and later).
    LastSeason,
    /// The last season, under its v3 name (kept by v4 as an alias).
    LatestSeason,
    /// The first episode of the first season.
    Pilot,
    /// Episodes aired in the last 90 days, and future ones (v4 and later).
    Recent,
    /// Also monitors specials (v4 and later).
    MonitorSpecials,
    /// Unmonitors specials (v4 and later).
    UnmonitorSpecials,
    /// No episode; the series itself is then added unmonitored
    /// (`AddSeriesService.SetPropertiesAndValidate`).
    None,
    /// Leaves episode monitoring as the seasons say (v4 and later).
    Skip,
}

impl MonitorType {
    /// The value as Sonarr spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unknown => "unknown",
            Self::All => "all",
            Self::Future => "future",
            Self::Missing => "missing",
            Self::Existing => "existing",
            Self::FirstSeason => "firstSeason",
            Self::LastSeason => "lastSeason",
            Self::LatestSeason => "latestSeason",
            Self::Pilot => "pilot",
            Self::Recent => "recent",
            Self::MonitorSpecials => "monitorSpecials",
            Self::UnmonitorSpecials => "unmonitorSpecials",
            Self::None => "none",
            Self::Skip => "skip",
        }
    }

    /// The first major Sonarr version that knows this value: 3 or 4.
    pub fn since_major_version(self) -> u32 {
        match self {
            Self::LastSeason
            | Self::Recent
            | Self::MonitorSpecials
            | Self::UnmonitorSpecials
            | Self::Skip => 4,
            _ => 3,
        }
    }
}

impl fmt::Display for MonitorType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Episode counts and size (`SeriesStatisticsResource` and
/// `SeasonStatisticsResource`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Statistics {
    /// Episodes with a file.
    #[serde(default, deserialize_with = "null_as_default")]
    pub episode_file_count: i32,
    /// Monitored episodes that have aired, plus any episode with a file.
    #[serde(default, deserialize_with = "null_as_default")]
    pub episode_count: i32,
    /// Every episode, specials included.
    #[serde(default, deserialize_with = "null_as_default")]
    pub total_episode_count: i32,
    /// Bytes on disk.
    #[serde(default, deserialize_with = "null_as_default")]
    pub size_on_disk: i64,
    /// Every other field Sonarr sent, kept as is.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A season of a series (`SeasonResource`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Season {
    /// Its number; 0 holds the specials.
    #[serde(default, deserialize_with = "null_as_default")]
    pub season_number: i32,
    /// Whether Sonarr monitors it. Changing it in
    /// [`crate::SonarrApi::update_series`] sets every episode of the season
    /// the same way (`SeriesService.UpdateSeries`).
    #[serde(default, deserialize_with = "null_as_default")]
    pub monitored: bool,
    /// Its counts, when Sonarr sent them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statistics: Option<Statistics>,
    /// Every other field Sonarr sent, kept as is.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Season {
    /// A season, monitored or not, without statistics.
    pub fn new(season_number: i32, monitored: bool) -> Self {
        Self {
            season_number,
            monitored,
            statistics: None,
            extra: Map::new(),
        }
    }
}

/// A series as Sonarr describes it (`SeriesResource`).
///
/// Only the fields curator uses are typed; every other field Sonarr sent is
/// kept in [`Series::extra`] and sent back unchanged, so a GET-modify-PUT
/// through [`crate::SonarrApi::update_series`] never drops data. Sonarr
/// replaces the seasons, path, profile, flags and tags with what a PUT
/// carries (`Series.ApplyChanges`), so they must all go back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Series {
    /// Sonarr's id; 0 for a lookup result that is not in the library.
    #[serde(default, deserialize_with = "null_as_default")]
    pub id: SeriesId,
    /// The title.
    #[serde(default, deserialize_with = "null_as_default")]
    pub title: String,
    /// The year it first aired; 0 when unknown.
    #[serde(default, deserialize_with = "null_as_default")]
    pub year: i32,
    /// The TVDB id, which Sonarr keys series on.
    pub tvdb_id: TvdbId,
    /// The TMDb id; `None` when Sonarr has none (it sends 0).
    #[serde(
        default,
        deserialize_with = "zero_as_none",
        serialize_with = "none_as_zero"
    )]
    pub tmdb_id: Option<TmdbId>,
    /// The IMDb id; `None` when Sonarr has none or sent something that is
    /// not an IMDb id.
    #[serde(
        default,
        deserialize_with = "lenient_imdb",
        skip_serializing_if = "Option::is_none"
    )]
    pub imdb_id: Option<ImdbId>,
    /// Whether Sonarr looks for and upgrades episodes of this series.
    #[serde(default, deserialize_with = "null_as_default")]
    pub monitored: bool,
    /// Whether episodes go in one folder per season.
    #[serde(default, deserialize_with = "null_as_default")]
    pub season_folder: bool,
    /// Its quality profile.
    #[serde(default, deserialize_with = "null_as_default")]
    pub quality_profile_id: QualityProfileId,
    /// Standard, daily or anime.
    #[serde(default, deserialize_with = "null_as_default")]
    pub series_type: SeriesType,
    /// Whether it still airs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<SeriesStatus>,
    /// The root folder it lives under.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_folder_path: Option<String>,
    /// Its own folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The tags on it.
    #[serde(default, deserialize_with = "null_as_default")]
    pub tags: Vec<TagId>,
    /// Its seasons, specials (season 0) included.
    #[serde(default, deserialize_with = "null_as_default")]
    pub seasons: Vec<Season>,
    /// Its counts, when Sonarr sent them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statistics: Option<Statistics>,
    /// When it was added to Sonarr (ISO 8601 text, as sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub added: Option<String>,
    /// Every other field Sonarr sent, kept as is.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Series {
    /// A series with the given identity and every other field at its
    /// default.
    pub fn new(id: SeriesId, tvdb_id: TvdbId, title: impl Into<String>, year: i32) -> Self {
        Self {
            id,
            title: title.into(),
            year,
            tvdb_id,
            tmdb_id: None,
            imdb_id: None,
            monitored: true,
            season_folder: true,
            quality_profile_id: QualityProfileId::default(),
            series_type: SeriesType::Standard,
            status: None,
            root_folder_path: None,
            path: None,
            tags: Vec::new(),
            seasons: Vec::new(),
            statistics: None,
            added: None,
            extra: Map::new(),
        }
    }

    /// True when the series is in Sonarr's library (lookups of series that
    /// are not come back with id 0).
    pub fn is_in_library(&self) -> bool {
        self.id.0 > 0
    }

    /// The season with this number.
    pub fn season(&self, number: i32) -> Option<&Season> {
        self.seasons.iter().find(|s| s.season_number == number)
    }
}

fn zero_as_none<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<TmdbId>, D::Error> {
    let id = Option::<u32>::deserialize(deserializer)?;
    Ok(id.filter(|id| *id > 0).map(TmdbId))
}

#[allow(clippy::ref_option)] // serde's serialize_with passes the field by reference
fn none_as_zero<S: Serializer>(id: &Option<TmdbId>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_u32(id.map_or(0, |id| id.0))
}

fn lenient_imdb<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<ImdbId>, D::Error> {
    let text = Option::<String>::deserialize(deserializer)?;
    Ok(text.as_deref().and_then(ImdbId::parse))
}

/// What to add to Sonarr: the minimal body Sonarr needs, it fetches the
/// rest of the metadata from TheTVDB itself.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct AddSeries {
    /// The TVDB id of the series.
    pub tvdb_id: TvdbId,
    /// Its title (Sonarr replaces it with its metadata's; it must not be
    /// empty).
    pub title: String,
    /// The quality profile to use.
    pub quality_profile_id: QualityProfileId,
    /// The root folder to put it under, as Sonarr lists it.
    pub root_folder_path: String,
    /// The language profile: Sonarr v3 requires an existing one (its
    /// `LanguageProfileExistsValidator` refuses 0); v4 and later have no
    /// language profiles and ignore it. Default 1, the profile a v3 install
    /// starts with.
    pub language_profile_id: i32,
    /// One folder per season (default true).
    pub season_folder: bool,
    /// Standard, daily or anime (default standard).
    pub series_type: SeriesType,
    /// Whether Sonarr should look for it.
    pub monitored: bool,
    /// Which episodes to monitor (default [`MonitorType::All`]).
    pub monitor: MonitorType,
    /// Tags to put on it.
    pub tags: Vec<TagId>,
    /// Whether Sonarr should search for the missing monitored episodes once
    /// it has added the series.
    pub search_on_add: bool,
}

impl AddSeries {
    /// An add request: monitored, every episode monitored, missing episodes
    /// searched for on add, season folders, standard type, no tags.
    pub fn new(
        tvdb_id: TvdbId,
        title: impl Into<String>,
        quality_profile_id: QualityProfileId,
        root_folder_path: impl Into<String>,
    ) -> Self {
        Self {
            tvdb_id,
            title: title.into(),
            quality_profile_id,
            root_folder_path: root_folder_path.into(),
            language_profile_id: 1,
            season_folder: true,
            series_type: SeriesType::Standard,
            monitored: true,
            monitor: MonitorType::All,
            tags: Vec::new(),
            search_on_add: true,
        }
    }

    /// The same request with these tags.
    #[must_use]
    pub fn with_tags(mut self, tags: Vec<TagId>) -> Self {
        self.tags = tags;
        self
    }

    /// The same request, monitoring these episodes.
    #[must_use]
    pub fn with_monitor(mut self, monitor: MonitorType) -> Self {
        self.monitor = monitor;
        self
    }

    /// The same request, the series monitored or not.
    #[must_use]
    pub fn with_monitored(mut self, monitored: bool) -> Self {
        self.monitored = monitored;
        self
    }

    /// The same request, searched for on add or not.
    #[must_use]
    pub fn with_search_on_add(mut self, search: bool) -> Self {
        self.search_on_add = search;
        self
    }

    /// The same request with this series type.
    #[must_use]
    pub fn with_series_type(mut self, series_type: SeriesType) -> Self {
        self.series_type = series_type;
        self
    }

    /// The same request, with season folders or not.
    #[must_use]
    pub fn with_season_folder(mut self, season_folder: bool) -> Self {
        self.season_folder = season_folder;
        self
    }

    /// The same request with this language profile (Sonarr v3 only).
    #[must_use]
    pub fn with_language_profile(mut self, id: i32) -> Self {
        self.language_profile_id = id;
        self
    }
}

/// What [`crate::SonarrApi::add_series`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum AddOutcome {
    /// Sonarr added the series; this is its new record.
    Added(Box<Series>),
    /// Sonarr already had the series ("This series has already been
    /// added"), so nothing changed. Callers can treat this as success.
    AlreadyExists,
}

impl AddOutcome {
    /// The new record, when the series was added.
    pub fn series(&self) -> Option<&Series> {
        match self {
            Self::Added(series) => Some(series),
            Self::AlreadyExists => None,
        }
    }

    /// True when Sonarr added the series now.
    pub fn was_added(&self) -> bool {
        matches!(self, Self::Added(_))
    }
}

/// A bulk edit of many series in one request (`SeriesEditorResource`).
///
/// Fields left `None` are not changed. The editor changes only the series'
/// own flags: monitoring a series this way does not change which of its
/// episodes are monitored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SeriesEditor {
    /// The series to change.
    #[serde(default, deserialize_with = "null_as_default")]
    pub series_ids: Vec<SeriesId>,
    /// Monitor or unmonitor them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monitored: Option<bool>,
    /// Tags to apply, as [`SeriesEditor::apply_tags`] says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<TagId>>,
    /// How to apply [`SeriesEditor::tags`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apply_tags: Option<ApplyTags>,
}

impl SeriesEditor {
    /// An edit of these series that changes nothing yet.
    pub fn new(series_ids: Vec<SeriesId>) -> Self {
        Self {
            series_ids,
            ..Self::default()
        }
    }

    /// The same edit, also monitoring or unmonitoring.
    #[must_use]
    pub fn with_monitored(mut self, monitored: bool) -> Self {
        self.monitored = Some(monitored);
        self
    }

    /// The same edit, also adding, removing or replacing tags.
    #[must_use]
    pub fn with_tags(mut self, apply: ApplyTags, tags: Vec<TagId>) -> Self {
        self.tags = Some(tags);
        self.apply_tags = Some(apply);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decodes_leniently_and_keeps_unknown_fields() {
        let series: Series = serde_json::from_value(json!({
            "id": 4,
            "title": "Breaking Bad",
            "year": 2008,
            "tvdbId": 81189,
            "tmdbId": 0,
            "imdbId": "",
            "monitored": null,
            "tags": null,
            "seriesType": "documentary",
            "status": "ended",
            "monitorNewItems": "all",
            "seasons": [{"seasonNumber": 0, "monitored": false, "images": []},
                        {"seasonNumber": 1, "monitored": true, "statistics": {"episodeFileCount": 7, "episodeCount": 7, "totalEpisodeCount": 7, "sizeOnDisk": 1, "percentOfEpisodes": 100.0}}],
            "ratings": {"votes": 1000, "value": 9.5}
        }))
        .unwrap();
        assert_eq!(series.tmdb_id, None);
        assert_eq!(series.imdb_id, None);
        assert!(!series.monitored);
        assert_eq!(series.series_type, SeriesType::Other("documentary".into()));
        assert_eq!(series.status, Some(SeriesStatus::Ended));
        assert_eq!(
            series
                .season(1)
                .unwrap()
                .statistics
                .as_ref()
                .unwrap()
                .episode_file_count,
            7
        );
        let back = serde_json::to_value(&series).unwrap();
        assert_eq!(back["tmdbId"], 0);
        assert_eq!(back["seriesType"], "documentary");
        assert_eq!(back["monitorNewItems"], "all");
        assert_eq!(back["seasons"][0]["images"], json!([]));
        assert_eq!(back["seasons"][1]["statistics"]["percentOfEpisodes"], 100.0);
        assert_eq!(back["ratings"]["value"], 9.5);
    }

    #[test]
    fn monitor_types_are_spelled_as_sonarr_spells_them() {
        // NzbDrone.Core/Tv/MonitoringOptions.cs, serialised camelCase.
        for (monitor, text) in [
            (MonitorType::All, "all"),
            (MonitorType::FirstSeason, "firstSeason"),
            (MonitorType::LastSeason, "lastSeason"),
            (MonitorType::LatestSeason, "latestSeason"),
            (MonitorType::MonitorSpecials, "monitorSpecials"),
            (MonitorType::UnmonitorSpecials, "unmonitorSpecials"),
            (MonitorType::None, "none"),
            (MonitorType::Skip, "skip"),
        ] {
            assert_eq!(serde_json::to_value(monitor).unwrap(), json!(text));
            assert_eq!(monitor.as_str(), text);
            assert_eq!(
                serde_json::from_value::<MonitorType>(json!(text)).unwrap(),
                monitor
            );
        }
        assert_eq!(MonitorType::LatestSeason.since_major_version(), 3);
        assert_eq!(MonitorType::LastSeason.since_major_version(), 4);
    }

    #[test]
    fn editor_sends_only_what_changes() {
        let edit = SeriesEditor::new(vec![SeriesId(1), SeriesId(2)]).with_monitored(false);
        assert_eq!(
            serde_json::to_value(&edit).unwrap(),
            json!({"seriesIds": [1, 2], "monitored": false})
        );
    }
}
