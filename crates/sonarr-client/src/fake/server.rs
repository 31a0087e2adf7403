//! The fake's state and its request routing.

use std::collections::BTreeMap;

use arr_common::fake::{
    FakeTags, Simulator, api_v3_path, command_name, command_queued, message, quality_profiles,
    root_folders, server_error, system_status, to_json, validation,
};
use curator_http::TvdbId;
use curator_http::fake::{json, query};
use serde::Deserialize;
use serde_json::{Value, json};
use wiremock::{Request, ResponseTemplate};

use super::{NOW, RecordedCommand, SeedSeries, SonarrSeed, SonarrVersion};
use crate::model::{
    ApplyTags, Episode, EpisodeId, EpisodeMonitor, MonitorType, QualityProfile, QualityProfileId,
    RootFolder, Season, Series, SeriesEditor, SeriesId, SeriesStatus, Statistics, TagId,
};
use crate::op;

/// Operation name for requests the fake does not know.
const UNKNOWN: &str = "sonarr.unknown";
/// Operation name for commands other than the three searches.
const OTHER_COMMAND: &str = "sonarr.command";
/// 90 days before [`NOW`]: what `MonitorTypes.Recent` counts as recent.
const RECENT_SINCE: &str = "2025-08-16T12:00:00Z";
/// What the fake says one episode file weighs.
const FILE_SIZE: i64 = 1_500_000_000;

/// A change another client makes right after the next series list.
pub(super) enum ListChange {
    Insert(SeedSeries),
    Remove(TvdbId),
}

pub(super) struct State {
    pub(super) series: Vec<Series>,
    episodes: Vec<Episode>,
    next_series_id: i32,
    next_episode_id: i32,
    pub(super) tags: FakeTags,
    pub(super) root_folders: Vec<RootFolder>,
    pub(super) quality_profiles: Vec<QualityProfile>,
    pub(super) catalogue: BTreeMap<TvdbId, SeedSeries>,
    pub(super) commands: Vec<RecordedCommand>,
    pub(super) searched_on_add: Vec<TvdbId>,
    pub(super) list_reads: usize,
    pub(super) editor_requests: Vec<Vec<SeriesId>>,
    pub(super) monitor_requests: Vec<Vec<EpisodeId>>,
    pub(super) after_next_list: Vec<ListChange>,
    cover_read_delay: Option<std::time::Duration>,
    next_command_id: i32,
    version: SonarrVersion,
}

impl State {
    pub(super) fn new(seed: &SonarrSeed) -> Self {
        let mut state = Self {
            series: Vec::new(),
            episodes: Vec::new(),
            next_series_id: 1,
            next_episode_id: 1,
            tags: FakeTags::default(),
            root_folders: (1..)
                .zip(&seed.root_folders)
                .map(|(id, path)| {
                    let mut folder = RootFolder::new(id, path.clone());
                    folder.free_space = Some(6_000_000_000_000);
                    folder
                })
                .collect(),
            quality_profiles: seed
                .quality_profiles
                .iter()
                .map(|(id, name)| QualityProfile::new(QualityProfileId(*id), name.clone()))
                .collect(),
            catalogue: seed
                .catalogue
                .iter()
                .map(|series| (series.tvdb_id, series.clone()))
                .collect(),
            commands: Vec::new(),
            searched_on_add: Vec::new(),
            list_reads: 0,
            editor_requests: Vec::new(),
            monitor_requests: Vec::new(),
            after_next_list: Vec::new(),
            cover_read_delay: seed.cover_read_delay,
            next_command_id: 1,
            version: seed.version,
        };
        for label in &seed.tags {
            state.tags.tag_for(label);
        }
        for series in &seed.library {
            state.insert_seed(series);
        }
        state
    }

    pub(super) fn series_by_tvdb(&self, tvdb_id: TvdbId) -> Option<&Series> {
        self.series.iter().find(|s| s.tvdb_id == tvdb_id)
    }

    pub(super) fn episodes_of(&self, id: SeriesId) -> Vec<Episode> {
        let mut episodes: Vec<Episode> = self
            .episodes
            .iter()
            .filter(|e| e.series_id == id)
            .cloned()
            .collect();
        episodes.sort_by_key(|e| (e.season_number, e.episode_number));
        episodes
    }

    pub(super) fn set_has_file(
        &mut self,
        tvdb_id: TvdbId,
        season: i32,
        episode: i32,
        has_file: bool,
    ) -> bool {
        let Some(id) = self.series_by_tvdb(tvdb_id).map(|s| s.id) else {
            return false;
        };
        match self
            .episodes
            .iter_mut()
            .find(|e| e.series_id == id && e.season_number == season && e.episode_number == episode)
        {
            Some(found) => {
                found.has_file = has_file;
                found.episode_file_id = if has_file { found.id.0 + 10_000 } else { 0 };
                true
            }
            None => false,
        }
    }

    pub(super) fn insert_seed(&mut self, seed: &SeedSeries) -> Series {
        self.catalogue.insert(seed.tvdb_id, seed.clone());
        if let Some(old) = self.series_by_tvdb(seed.tvdb_id).map(|s| s.id) {
            self.series.retain(|s| s.id != old);
            self.episodes.retain(|e| e.series_id != old);
        }
        let root = self
            .root_folders
            .first()
            .map_or_else(|| "/tv".to_owned(), |folder| folder.path.clone());
        let profile = self
            .quality_profiles
            .first()
            .map_or(QualityProfileId(1), |profile| profile.id);
        let tags = seed
            .tags
            .iter()
            .map(|label| self.tags.tag_for(label).id)
            .collect();
        let mut series = self.new_record(seed, &root, profile);
        series.monitored = seed.monitored;
        series.tags = tags;
        self.create_episodes(seed, series.id);
        let monitor = if seed.monitored {
            MonitorType::All
        } else {
            MonitorType::None
        };
        self.apply_monitoring(&mut series, seed, monitor);
        self.series.push(series.clone());
        self.with_statistics(&series)
    }

    /// A library record with a fresh id and the extra fields a real Sonarr
    /// sends.
    fn new_record(&mut self, seed: &SeedSeries, root: &str, profile: QualityProfileId) -> Series {
        let id = SeriesId(self.next_series_id);
        self.next_series_id += 1;
        let mut series = lookup_record(seed);
        series.id = id;
        series.quality_profile_id = profile;
        series.root_folder_path = Some(root.to_owned());
        series.path = Some(format!(
            "{}/{}",
            root.trim_end_matches('/'),
            folder_name(seed)
        ));
        series.added = Some(NOW.to_owned());
        series.extra.remove("folder");
        series.extra.remove("remotePoster");
        series
    }

    fn create_episodes(&mut self, seed: &SeedSeries, id: SeriesId) {
        for season in &seed.seasons {
            for number in 1..=season.episodes {
                let episode_id = EpisodeId(self.next_episode_id);
                self.next_episode_id += 1;
                let mut episode = Episode::new(
                    episode_id,
                    id,
                    season.number,
                    number,
                    format!("Episode {number}"),
                );
                let year = if season.upcoming {
                    2026
                } else {
                    seed.year + (season.number - 1).max(0)
                };
                let month = 1 + ((number - 1) / 4).min(11);
                let day = 1 + 7 * ((number - 1) % 4);
                let date = format!("{year}-{month:02}-{day:02}");
                episode.air_date_utc = Some(format!("{date}T02:00:00Z"));
                episode.air_date = Some(date);
                episode.has_file = !season.upcoming && number <= season.files;
                episode.episode_file_id = if episode.has_file {
                    episode_id.0 + 10_000
                } else {
                    0
                };
                episode.monitored = false;
                episode.extra = json!({
                    "tvdbId": seed.tvdb_id.0 * 100 + u32::try_from(episode_id.0).unwrap_or(0),
                    "runtime": 45,
                    "overview": format!("{} S{:02}E{number:02}, as the fake Sonarr tells it.", seed.title, season.number),
                    "unverifiedSceneNumbering": false,
                    "finaleType": if number == season.episodes { json!("season") } else { Value::Null },
                })
                .as_object()
                .cloned()
                .unwrap_or_default();
                self.episodes.push(episode);
            }
        }
    }

    /// Sets which episodes and seasons are monitored, as
    /// `EpisodeMonitoredService.SetEpisodeMonitoredStatus` does after an add.
    fn apply_monitoring(&mut self, series: &mut Series, seed: &SeedSeries, monitor: MonitorType) {
        if monitor == MonitorType::Skip {
            return;
        }
        let first = seed
            .seasons
            .iter()
            .map(|s| s.number)
            .filter(|n| *n > 0)
            .min()
            .unwrap_or(0);
        let last = seed.seasons.iter().map(|s| s.number).max().unwrap_or(0);
        let aired_after =
            |e: &Episode, since: &str| e.air_date_utc.as_deref().is_none_or(|date| date >= since);
        for episode in self
            .episodes
            .iter_mut()
            .filter(|e| e.series_id == series.id)
        {
            let season = episode.season_number;
            let regular = season > 0;
            let monitored = match monitor {
                MonitorType::All | MonitorType::Unknown => regular,
                MonitorType::Future => regular && aired_after(episode, NOW),
                MonitorType::Missing => regular && !episode.has_file,
                MonitorType::Existing => regular && episode.has_file,
                MonitorType::Pilot => regular && season == first && episode.episode_number == 1,
                MonitorType::FirstSeason => regular && season == first,
                MonitorType::LastSeason | MonitorType::LatestSeason => regular && season == last,
                MonitorType::Recent => regular && aired_after(episode, RECENT_SINCE),
                MonitorType::MonitorSpecials if !regular => true,
                MonitorType::UnmonitorSpecials if !regular => false,
                MonitorType::MonitorSpecials | MonitorType::UnmonitorSpecials => episode.monitored,
                MonitorType::None | MonitorType::Skip => false,
            };
            episode.monitored = monitored;
        }
        let monitored_seasons: Vec<i32> = self
            .episodes
            .iter()
            .filter(|e| e.series_id == series.id && e.monitored)
            .map(|e| e.season_number)
            .collect();
        let airing = !seed.ended;
        for season in &mut series.seasons {
            let number = season.season_number;
            season.monitored = if number > 0
                && number == last
                && (monitor == MonitorType::All || (monitor == MonitorType::Future && airing))
            {
                true
            } else if number == first && monitor == MonitorType::Pilot {
                false
            } else {
                monitored_seasons.contains(&number)
            };
        }
    }

    /// The record as Sonarr serves it: with series and season statistics.
    pub(super) fn with_statistics(&self, series: &Series) -> Series {
        let mut series = series.clone();
        let episodes: Vec<&Episode> = self
            .episodes
            .iter()
            .filter(|e| e.series_id == series.id)
            .collect();
        let count = |season: Option<i32>| {
            let mut stats = Statistics::default();
            for e in episodes
                .iter()
                .filter(|e| season.is_none_or(|n| e.season_number == n))
            {
                let aired = e.air_date_utc.as_deref().is_some_and(|d| d < NOW);
                stats.total_episode_count += 1;
                if e.has_file {
                    stats.episode_file_count += 1;
                    stats.size_on_disk += FILE_SIZE;
                }
                if e.has_file || (e.monitored && aired) {
                    stats.episode_count += 1;
                }
            }
            let percent = if stats.episode_count == 0 {
                0.0
            } else {
                f64::from(stats.episode_file_count) / f64::from(stats.episode_count) * 100.0
            };
            stats
                .extra
                .insert("percentOfEpisodes".into(), json!(percent));
            stats.extra.insert("releaseGroups".into(), json!([]));
            stats
        };
        for season in &mut series.seasons {
            season.statistics = Some(count(Some(season.season_number)));
        }
        let mut total = count(None);
        total.extra.insert(
            "seasonCount".into(),
            json!(
                series
                    .seasons
                    .iter()
                    .filter(|s| s.season_number > 0)
                    .count()
            ),
        );
        series.statistics = Some(total);
        series
    }
}

/// What a lookup of a catalogue series answers: no id, no path.
fn lookup_record(seed: &SeedSeries) -> Series {
    let mut series = Series::new(SeriesId(0), seed.tvdb_id, seed.title.clone(), seed.year);
    series.tmdb_id = seed.tmdb_id;
    series.imdb_id = seed.imdb_id.as_deref().and_then(crate::ImdbId::parse);
    series.monitored = false;
    series.status = Some(if seed.ended {
        SeriesStatus::Ended
    } else {
        SeriesStatus::Continuing
    });
    series.seasons = seed
        .seasons
        .iter()
        .map(|s| Season::new(s.number, false))
        .collect();
    let slug: String = seed
        .title
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    let extra = json!({
        "alternateTitles": [],
        "sortTitle": seed.title.to_lowercase(),
        "overview": format!("{} ({}), as the fake Sonarr tells it.", seed.title, seed.year),
        "network": "Fake Network",
        "airTime": "21:00",
        "images": [],
        "originalLanguage": {"id": 1, "name": "English"},
        "remotePoster": format!("https://artworks.thetvdb.com/banners/posters/{}-1.jpg", seed.tvdb_id),
        "folder": folder_name(seed),
        "monitorNewItems": "all",
        "useSceneNumbering": false,
        "runtime": 45,
        "tvRageId": 0,
        "tvMazeId": 0,
        "firstAired": format!("{}-01-20T00:00:00Z", seed.year),
        "cleanTitle": slug.replace('-', ""),
        "titleSlug": slug,
        "certification": "TV-MA",
        "genres": ["Drama"],
        "ratings": {"votes": 12000, "value": 8.7},
        "languageProfileId": 1
    });
    if let Value::Object(extra) = extra {
        series.extra = extra;
    }
    series
}

fn folder_name(seed: &SeedSeries) -> String {
    let title: String = seed
        .title
        .chars()
        .filter(|c| !matches!(c, ':' | '/' | '\\' | '?' | '*' | '"' | '<' | '>' | '|'))
        .collect();
    format!("{title} ({})", seed.year)
}

/// Which endpoint a request is for.
pub(super) enum Route {
    SystemStatus,
    SeriesList,
    SeriesByTvdb(Option<u32>),
    Series(i32),
    Lookup(String),
    Add,
    Update(i32),
    Editor,
    Episodes,
    MonitorEpisodes,
    Tags,
    CreateTag,
    RootFolders,
    QualityProfiles,
    Command,
    Unknown,
}

impl Route {
    fn of(request: &Request) -> (Self, &'static str) {
        let Some(rest) = api_v3_path(request) else {
            return (Self::Unknown, UNKNOWN);
        };
        let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
        let id = |text: &str| text.parse::<i32>().ok();
        match (request.method.as_str(), rest.as_slice()) {
            ("GET", ["system", "status"]) => (Self::SystemStatus, op::SYSTEM_STATUS),
            ("GET", ["series"]) => match query(request, "tvdbId") {
                Some(tvdb) => (Self::SeriesByTvdb(tvdb.parse().ok()), op::SERIES_BY_TVDB),
                None => (Self::SeriesList, op::SERIES_LIST),
            },
            ("GET", ["series", "lookup"]) => {
                let term = query(request, "term").unwrap_or_default();
                let op = if term.to_ascii_lowercase().starts_with("tvdb:") {
                    op::LOOKUP_TVDB
                } else {
                    op::LOOKUP_TITLE
                };
                (Self::Lookup(term), op)
            }
            ("GET", ["series", series]) if id(series).is_some() => {
                (Self::Series(id(series).unwrap_or_default()), op::SERIES)
            }
            ("POST", ["series"]) => (Self::Add, op::ADD_SERIES),
            ("PUT", ["series", "editor"]) => (Self::Editor, op::EDIT_SERIES),
            ("PUT", ["series", series]) if id(series).is_some() => (
                Self::Update(id(series).unwrap_or_default()),
                op::UPDATE_SERIES,
            ),
            ("GET", ["episode"]) => (Self::Episodes, op::EPISODES),
            ("PUT", ["episode", "monitor"]) => (Self::MonitorEpisodes, op::MONITOR_EPISODES),
            ("GET", ["tag"]) => (Self::Tags, op::TAGS),
            ("POST", ["tag"]) => (Self::CreateTag, op::CREATE_TAG),
            ("GET", ["rootfolder"]) => (Self::RootFolders, op::ROOT_FOLDERS),
            ("GET", ["qualityprofile"]) => (Self::QualityProfiles, op::QUALITY_PROFILES),
            ("POST", ["command"]) => {
                let op = match command_name(request).as_deref() {
                    Some("SeriesSearch") => op::SEARCH_SERIES,
                    Some("MissingEpisodeSearch") => op::SEARCH_MISSING,
                    Some("EpisodeSearch") => op::SEARCH_EPISODES,
                    _ => OTHER_COMMAND,
                };
                (Self::Command, op)
            }
            _ => (Self::Unknown, UNKNOWN),
        }
    }
}

/// The 500 of `BasicRepository.Get(ids)` when rows and ids differ.
fn row_count_error(expected: usize, found: usize, caller: &str) -> ResponseTemplate {
    arr_common::fake::row_count_error(
        expected,
        found,
        &format!(
            "   at NzbDrone.Core.Datastore.BasicRepository`1.Get(IEnumerable`1 ids) in ./Sonarr.Core/Datastore/BasicRepository.cs:line 145\n   at {caller}"
        ),
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AddRequest {
    tvdb_id: Option<u32>,
    title: Option<String>,
    quality_profile_id: Option<i32>,
    language_profile_id: Option<i32>,
    root_folder_path: Option<String>,
    monitored: Option<bool>,
    season_folder: Option<bool>,
    series_type: Option<crate::SeriesType>,
    tags: Option<Vec<TagId>>,
    add_options: Option<Value>,
}

impl Simulator for State {
    type Route = Route;

    fn route(request: &Request) -> (Route, &'static str) {
        Route::of(request)
    }

    fn handle(&mut self, route: &Route, request: &Request) -> ResponseTemplate {
        match route {
            Route::SystemStatus => {
                system_status("Sonarr", self.version.version_string(), "main", 215)
            }
            Route::SeriesList => self.series_list(),
            Route::SeriesByTvdb(tvdb) => {
                let found: Vec<Series> = self
                    .series
                    .iter()
                    .filter(|s| Some(s.tvdb_id.0) == *tvdb)
                    .map(|s| self.with_statistics(s))
                    .collect();
                json(200, &to_json(&found))
            }
            Route::Series(id) => match self.series.iter().find(|s| s.id.0 == *id) {
                Some(series) => json(200, &to_json(&self.with_statistics(series))),
                None => self.series_not_found(*id),
            },
            Route::Lookup(term) => self.lookup(term),
            Route::Add => self.add(request),
            Route::Update(id) => self.update(*id, request),
            Route::Editor => self.edit(request),
            Route::Episodes => self.episodes(request),
            Route::MonitorEpisodes => self.monitor_episodes(request),
            Route::Tags => json(200, &to_json(&self.tags.tags)),
            Route::CreateTag => {
                let version = self.version;
                self.tags.create(
                    request,
                    |label| version.refuses_label(label),
                    "   at NzbDrone.Core.Datastore.BasicRepository`1.Insert(TModel model)\r\n   at NzbDrone.Core.Tags.TagService.Add(Tag tag)",
                )
            }
            Route::RootFolders => root_folders(&self.root_folders),
            Route::QualityProfiles => {
                quality_profiles(&self.quality_profiles, &json!({"cutoff": 4}))
            }
            Route::Command => self.command(request),
            Route::Unknown => ResponseTemplate::new(404),
        }
    }
}

impl State {
    /// v3 (Nancy) answers a `ModelNotFoundException` with a message; v4 and
    /// later (`GetResourceByIdWithErrorHandler`) with an empty 404.
    fn series_not_found(&self, id: i32) -> ResponseTemplate {
        match self.version {
            SonarrVersion::V3 => message(404, &format!("Series with ID {id} does not exist")),
            _ => ResponseTemplate::new(404),
        }
    }

    fn series_list(&mut self) -> ResponseTemplate {
        let all: Vec<Series> = self
            .series
            .iter()
            .map(|s| self.with_statistics(s))
            .collect();
        let answer = json(200, &to_json(&all));
        for change in std::mem::take(&mut self.after_next_list) {
            match change {
                ListChange::Insert(series) => {
                    self.insert_seed(&series);
                }
                ListChange::Remove(tvdb) => {
                    if let Some(id) = self.series_by_tvdb(tvdb).map(|s| s.id) {
                        self.series.retain(|s| s.id != id);
                        self.episodes.retain(|e| e.series_id != id);
                    }
                }
            }
        }
        self.list_reads += 1;
        match self.cover_read_delay {
            Some(delay) => answer.set_delay(delay),
            None => answer,
        }
    }

    /// `SkyHookProxy.SearchForNewSeries`: `tvdb:N` gives the library series
    /// or the metadata one, nothing for an unknown id; other terms search
    /// titles, library series first by their library record.
    fn lookup(&self, term: &str) -> ResponseTemplate {
        let lower = term.trim().to_lowercase();
        let record = |seed: &SeedSeries| match self.series_by_tvdb(seed.tvdb_id) {
            Some(series) => self.with_statistics(series),
            None => {
                let mut series = lookup_record(seed);
                series.statistics = Some(Statistics::default());
                series
            }
        };
        let found: Vec<Series> = if let Some(id) = lower
            .strip_prefix("tvdb:")
            .or_else(|| lower.strip_prefix("tvdbid:"))
        {
            id.trim()
                .parse::<u32>()
                .ok()
                .and_then(|id| self.catalogue.get(&TvdbId(id)))
                .map(record)
                .into_iter()
                .collect()
        } else {
            let words: Vec<&str> = lower.split_whitespace().collect();
            self.catalogue
                .values()
                .filter(|seed| {
                    let title = seed.title.to_lowercase();
                    !words.is_empty() && words.iter().all(|word| title.contains(word))
                })
                .map(record)
                .collect()
        };
        json(200, &to_json(&found))
    }

    fn add(&mut self, request: &Request) -> ResponseTemplate {
        let Ok(body) = request.body_json::<AddRequest>() else {
            return message(400, "Invalid request body.");
        };
        let options = body.add_options.clone().unwrap_or(Value::Null);
        let monitor_text = options
            .get("monitor")
            .and_then(Value::as_str)
            .unwrap_or("unknown")
            .to_owned();
        let monitor = serde_json::from_value::<MonitorType>(json!(monitor_text))
            .ok()
            .filter(|monitor| self.version.knows(*monitor));
        let Some(monitor) = monitor else {
            // v3: Newtonsoft's StringEnumConverter throws a
            // JsonSerializationException, which RestModule does not catch.
            let text = format!(
                "Error converting value \"{monitor_text}\" to type 'NzbDrone.Core.Tv.MonitorTypes'. Path 'addOptions.monitor'."
            );
            return server_error(
                500,
                &text,
                &format!(
                    "Newtonsoft.Json.JsonSerializationException: {text}\n   at Newtonsoft.Json.Serialization.JsonSerializerInternalReader.EnsureType(...)"
                ),
            );
        };
        let tvdb = TvdbId(body.tvdb_id.unwrap_or(0));
        let root = body.root_folder_path.clone().unwrap_or_default();
        let profile = QualityProfileId(body.quality_profile_id.unwrap_or(0));
        let title = body.title.clone().unwrap_or_default();
        let mut failures = Vec::new();
        // SeriesController's validators, in the order FluentValidation runs
        // the rules: Path/RootFolderPath, QualityProfileId, Title, TvdbId.
        if root.trim().is_empty() {
            failures.push((
                "RootFolderPath",
                "'Root Folder Path' must not be empty.".to_owned(),
                json!(root),
                "NotEmptyValidator",
            ));
        } else if !self
            .root_folders
            .iter()
            .any(|folder| folder.path.trim_end_matches('/') == root.trim_end_matches('/'))
        {
            failures.push((
                "RootFolderPath",
                format!("Root folder '{root}' does not exist"),
                json!(root),
                "RootFolderExistsValidator",
            ));
        }
        if profile.0 <= 0 {
            failures.push((
                "QualityProfileId",
                "'Quality Profile Id' must be greater than '0'.".to_owned(),
                json!(profile.0),
                "GreaterThanValidator",
            ));
        } else if !self.quality_profiles.iter().any(|p| p.id == profile) {
            failures.push((
                "QualityProfileId",
                "Quality Profile does not exist".to_owned(),
                json!(profile.0),
                "QualityProfileExistsValidator",
            ));
        }
        if self.version.requires_language_profile() && body.language_profile_id != Some(1) {
            failures.push((
                "LanguageProfileId",
                "Language profile does not exist".to_owned(),
                json!(body.language_profile_id.unwrap_or(0)),
                "LanguageProfileExistsValidator",
            ));
        }
        if title.trim().is_empty() {
            failures.push((
                "Title",
                "'Title' must not be empty.".to_owned(),
                json!(title),
                "NotEmptyValidator",
            ));
        }
        if tvdb.0 == 0 {
            failures.push((
                "TvdbId",
                "'Tvdb Id' must be greater than '0'.".to_owned(),
                json!(0),
                "GreaterThanValidator",
            ));
        } else if self.series_by_tvdb(tvdb).is_some() {
            failures.push((
                "TvdbId",
                "This series has already been added".to_owned(),
                json!(tvdb.0),
                "SeriesExistsValidator",
            ));
        }
        if !failures.is_empty() {
            return validation(&failures);
        }
        let Some(seed) = self.catalogue.get(&tvdb).cloned() else {
            // AddSeriesService.AddSkyhookData: the message names the path it
            // was given, which is empty when only a root folder was sent.
            return validation(&[(
                "TvdbId",
                "A series with this ID was not found. Path: ".to_owned(),
                json!(tvdb.0),
                "",
            )]);
        };
        let mut series = self.new_record(&seed, &root, profile);
        // AddSeriesService.SetPropertiesAndValidate: "none" unmonitors.
        series.monitored = body.monitored.unwrap_or(true) && monitor != MonitorType::None;
        series.season_folder = body.season_folder.unwrap_or(true);
        if let Some(series_type) = body.series_type.clone() {
            series.series_type = series_type;
        }
        series.tags = body.tags.clone().unwrap_or_default();
        self.create_episodes(&seed, series.id);
        self.apply_monitoring(&mut series, &seed, monitor);
        if options
            .get("searchForMissingEpisodes")
            .and_then(Value::as_bool)
            == Some(true)
        {
            self.searched_on_add.push(tvdb);
        }
        self.series.push(series.clone());
        json(201, &to_json(&self.with_statistics(&series)))
    }

    fn update(&mut self, id: i32, request: &Request) -> ResponseTemplate {
        let Some(index) = self.series.iter().position(|s| s.id.0 == id) else {
            return self.series_not_found(id);
        };
        let Ok(sent) = request.body_json::<Series>() else {
            return message(400, "Invalid request body.");
        };
        let mut failures = Vec::new();
        if sent.path.as_deref().is_none_or(|p| p.trim().is_empty()) {
            failures.push((
                "Path",
                "'Path' must not be empty.".to_owned(),
                json!(sent.path),
                "NotEmptyValidator",
            ));
        }
        if !self
            .quality_profiles
            .iter()
            .any(|p| p.id == sent.quality_profile_id)
        {
            failures.push((
                "QualityProfileId",
                "Quality Profile does not exist".to_owned(),
                json!(sent.quality_profile_id.0),
                "QualityProfileExistsValidator",
            ));
        }
        if !failures.is_empty() {
            return validation(&failures);
        }
        let stored = self.series[index].clone();
        // SeriesService.UpdateSeries: a season whose flag changed takes its
        // episodes with it.
        for season in &sent.seasons {
            let changed = stored
                .season(season.season_number)
                .is_some_and(|old| old.monitored != season.monitored);
            if changed {
                for episode in self
                    .episodes
                    .iter_mut()
                    .filter(|e| e.series_id == stored.id && e.season_number == season.season_number)
                {
                    episode.monitored = season.monitored;
                }
            }
        }
        // Series.ApplyChanges: what a PUT replaces.
        let mut updated = stored;
        updated.tvdb_id = sent.tvdb_id;
        updated.seasons = sent
            .seasons
            .iter()
            .map(|s| {
                let mut season = s.clone();
                season.statistics = None;
                season
            })
            .collect();
        updated.path = sent.path;
        updated.quality_profile_id = sent.quality_profile_id;
        updated.season_folder = sent.season_folder;
        updated.monitored = sent.monitored;
        updated.series_type = sent.series_type;
        updated.root_folder_path = sent.root_folder_path;
        updated.tags = sent.tags;
        if let Some(items) = sent.extra.get("monitorNewItems") {
            updated
                .extra
                .insert("monitorNewItems".into(), items.clone());
        }
        self.series[index] = updated.clone();
        json(202, &to_json(&self.with_statistics(&updated)))
    }

    fn edit(&mut self, request: &Request) -> ResponseTemplate {
        let Ok(edit) = request.body_json::<SeriesEditor>() else {
            return message(400, "Invalid request body.");
        };
        self.editor_requests.push(edit.series_ids.clone());
        let found = self
            .series
            .iter()
            .filter(|s| edit.series_ids.contains(&s.id))
            .count();
        if found != edit.series_ids.len() {
            return row_count_error(
                edit.series_ids.len(),
                found,
                "Sonarr.Api.V3.Series.SeriesEditorController.SaveAll(SeriesEditorResource resource) in ./Sonarr.Api.V3/Series/SeriesEditorController.cs:line 31",
            );
        }
        let mut changed = Vec::new();
        for series in &mut self.series {
            if !edit.series_ids.contains(&series.id) {
                continue;
            }
            if let Some(monitored) = edit.monitored {
                series.monitored = monitored;
            }
            if let Some(tags) = &edit.tags {
                edit.apply_tags
                    .unwrap_or(ApplyTags::Add)
                    .apply(&mut series.tags, tags);
            }
            changed.push(series.clone());
        }
        let changed: Vec<Series> = changed.iter().map(|s| self.with_statistics(s)).collect();
        json(202, &to_json(&changed))
    }

    fn episodes(&self, request: &Request) -> ResponseTemplate {
        let Some(series) = query(request, "seriesId").and_then(|id| id.parse::<i32>().ok()) else {
            return message(400, "seriesId or episodeIds must be provided");
        };
        let season = query(request, "seasonNumber").and_then(|n| n.parse::<i32>().ok());
        let episodes: Vec<Episode> = self
            .episodes_of(SeriesId(series))
            .into_iter()
            .filter(|e| season.is_none_or(|n| e.season_number == n))
            .collect();
        json(200, &to_json(&episodes))
    }

    /// `EpisodeController.SetEpisodesMonitored`: one id goes through
    /// `GetEpisode` (404 when unknown); several are set first, then read
    /// back with `BasicRepository.Get`, which fails on an unknown or
    /// repeated id after the known ones were changed.
    fn monitor_episodes(&mut self, request: &Request) -> ResponseTemplate {
        let Ok(change) = request.body_json::<EpisodeMonitor>() else {
            return message(400, "Invalid request body.");
        };
        self.monitor_requests.push(change.episode_ids.clone());
        if let [only] = change.episode_ids.as_slice()
            && !self.episodes.iter().any(|e| e.id == *only)
        {
            return message(404, &format!("Episode with ID {only} does not exist"));
        }
        for episode in &mut self.episodes {
            if change.episode_ids.contains(&episode.id) {
                episode.monitored = change.monitored;
            }
        }
        let changed: Vec<&Episode> = self
            .episodes
            .iter()
            .filter(|e| change.episode_ids.contains(&e.id))
            .collect();
        if changed.len() != change.episode_ids.len() {
            return row_count_error(
                change.episode_ids.len(),
                changed.len(),
                "Sonarr.Api.V3.Episodes.EpisodeController.SetEpisodesMonitored(EpisodesMonitoredResource resource, Boolean includeImages) in ./Sonarr.Api.V3/Episodes/EpisodeController.cs:line 75",
            );
        }
        let status = match self.version {
            SonarrVersion::V5 => 200,
            _ => 202,
        };
        json(status, &to_json(&changed))
    }

    /// `CommandController.StartCommand`: the command type is found by name
    /// (`.Single`, so an unknown name is a 500), queued, and answered 201.
    fn command(&mut self, request: &Request) -> ResponseTemplate {
        let Ok(body) = request.body_json::<Value>() else {
            return message(400, "Invalid request body.");
        };
        let name = body.get("name").and_then(Value::as_str).unwrap_or_default();
        const KNOWN: [&str; 6] = [
            "SeriesSearch",
            "MissingEpisodeSearch",
            "EpisodeSearch",
            "SeasonSearch",
            "RefreshSeries",
            "RescanSeries",
        ];
        if !KNOWN.iter().any(|known| known.eq_ignore_ascii_case(name)) {
            return server_error(
                500,
                "Sequence contains no matching element",
                "System.InvalidOperationException: Sequence contains no matching element\n   at System.Linq.ThrowHelper.ThrowNoMatchException()\n   at Sonarr.Api.V3.Commands.CommandController.StartCommand(CommandResource commandResource)",
            );
        }
        let series_id = body
            .get("seriesId")
            .and_then(Value::as_i64)
            .and_then(|id| i32::try_from(id).ok())
            .map(SeriesId);
        let episode_ids: Vec<EpisodeId> = body
            .get("episodeIds")
            .cloned()
            .and_then(|ids| serde_json::from_value(ids).ok())
            .unwrap_or_default();
        self.commands.push(RecordedCommand {
            name: name.to_owned(),
            series_id,
            episode_ids: episode_ids.clone(),
        });
        let id = self.next_command_id;
        self.next_command_id += 1;
        let mut command_body = json!({
            "sendUpdatesToClient": true,
            "updateScheduledTask": true,
            "requiresDiskAccess": false,
            "isExclusive": false,
            "isLongRunning": false,
            "name": name,
            "trigger": "manual",
            "suppressMessages": false
        });
        if let Some(series) = series_id {
            command_body["seriesId"] = json!(series);
        }
        if !episode_ids.is_empty() {
            command_body["episodeIds"] = json!(episode_ids);
        }
        command_queued(id, name, &spaced(name), &command_body)
    }
}

/// "SeriesSearch" as "Series Search", as Sonarr names commands.
fn spaced(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if i > 0 && c.is_ascii_uppercase() {
            out.push(' ');
        }
        out.push(c);
    }
    out
}
