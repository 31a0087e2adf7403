//! A stateful fake Sonarr (feature `fake`), for tests, demos and benchmarks.
//!
//! [`FakeSonarr`] is a wiremock server that keeps a library of series with
//! their seasons and episodes (with and without files), tags, root folders
//! and quality profiles, and a catalogue of TVDB ids it can "look up" and
//! add. It answers with the status codes and JSON shapes of a real Sonarr
//! (201 for an add and a command, 202 for updates, the editor and episode
//! monitoring, a 400 validation array for refused bodies, 401 for a wrong
//! API key), records every command, counts every request under the
//! operation names of [`crate::op`], and fails on demand through [`Faults`].
//! A [`Fault::Status`] answers instead of the fake, which then changes
//! nothing; a [`Fault::Hang`] delays the normal answer after the fake has
//! acted, like a server whose answer got lost.
//!
//! What it does is taken from Sonarr's own source (`src/Sonarr.Api.V3`,
//! `src/NzbDrone.Core`; tags v3.0.9.1549 and v4.0.19.2979, and branch
//! v5-develop at 49df353):
//!
//! - an add runs `SeriesController`'s validators (root folder, quality
//!   profile, title, TVDB id, "This series has already been added" from
//!   `SeriesExistsValidator`), then `AddSeriesService` ("A series with this
//!   ID was not found" for an id TheTVDB does not know; `monitor: none`
//!   leaves the series unmonitored), then sets which episodes and seasons
//!   are monitored as `EpisodeMonitoredService` does for each
//!   [`crate::MonitorType`]. The real server does that last step in the
//!   background after refreshing the series; the fake does it at once;
//! - a PUT replaces what `Series.ApplyChanges` replaces, and a season whose
//!   `monitored` changed takes its episodes with it
//!   (`SeriesService.UpdateSeries`);
//! - `series/editor` and `episode/monitor` load their records with
//!   `BasicRepository.Get(ids)`: a repeated or unknown id fails the request
//!   with a 500, and `episode/monitor` has already changed the known
//!   episodes of a request of several ids by then;
//! - `series/lookup?term=tvdb:N` answers the library series or the
//!   catalogue's, and an empty list for an unknown id
//!   (`SkyHookProxy.SearchForNewSeries`);
//! - the series list checks every cover file (`MediaCoverService`); there is
//!   no parameter to skip that, and [`SonarrSeed::cover_read_delay`] makes
//!   it slow, as it is on a large library;
//! - every 500 carries the exception's whole stack trace in `description`.
//!
//! Versions differ, and [`SonarrVersion`] names the profiles the fake plays:
//!
//! - v3 requires an existing `languageProfileId` on an add
//!   (`LanguageProfileExistsValidator`; a v3 install starts with profile 1)
//!   and knows only the [`crate::MonitorType`]s of its `MonitorTypes` enum:
//!   any other value fails the add with a 500 (Newtonsoft's
//!   `JsonSerializationException`, which `RestModule` does not turn into a
//!   400); a series id it does not have answers 404 with a message;
//! - v4 has no language profiles (it ignores the field) and answers an
//!   unknown series id with an empty 404;
//! - v5 (in development, still serving API v3) also refuses tag labels
//!   outside `^[a-z0-9-]+$` ("Allowed characters a-z, 0-9 and -",
//!   `TagController`) and answers `episode/monitor` with 200.
//!
//! ```no_run
//! use sonarr_client::fake::{FakeSonarr, SeedSeries, SonarrSeed};
//! use sonarr_client::{SonarrApi, TvdbId};
//!
//! # async fn demo() -> sonarr_client::Result<()> {
//! let fake = FakeSonarr::start(
//!     SonarrSeed::new()
//!         .root_folder("/tv")
//!         .quality_profile(4, "HD-1080p")
//!         .catalogue(SeedSeries::new(TvdbId(81189), "Breaking Bad", 2008).seasons(&[7, 13, 13, 13, 16])),
//! )
//! .await;
//! let sonarr = fake.client_builder().build()?;
//! assert!(sonarr.series_by_tvdb(TvdbId(81189)).await?.is_none());
//! # Ok(())
//! # }
//! ```

mod server;

use std::fmt;
use std::sync::MutexGuard;
use std::time::Duration;

use arr_common::fake::{FakeArr, fast_retries};
use curator_http::fake::Faults;
use curator_http::{RequestStats, TmdbId, TvdbId};

use crate::client::SonarrClientBuilder;
use crate::model::{
    Episode, EpisodeId, MonitorType, QualityProfile, QualityProfileId, RootFolder, Series,
    SeriesId, Tag,
};
use server::State;

pub use curator_http::fake::{Fault, FaultEffect};

/// The API key a [`SonarrSeed`] uses unless told otherwise.
pub const DEFAULT_API_KEY: &str = "8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d";

/// The fake's clock: episodes aired before this instant, upcoming ones
/// air after it. Fixed, so answers do not depend on when a test runs.
pub const NOW: &str = arr_common::fake::NOW;

/// A Sonarr release line the fake can behave like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SonarrVersion {
    /// Sonarr v3 (3.0.9.1549): language profiles, the v3 monitor types.
    V3,
    /// Sonarr v4 (4.0.19.2979): no language profiles, every monitor type.
    V4,
    /// Sonarr v5 (5.0.0, in development): as v4, and tag labels must match
    /// `^[a-z0-9-]+$`.
    V5,
}

impl SonarrVersion {
    /// Every profile, oldest first: run a scenario against each.
    pub const ALL: [Self; 3] = [Self::V3, Self::V4, Self::V5];

    /// The version the system status reports (v5's build number is the
    /// fake's own).
    pub fn version_string(self) -> &'static str {
        match self {
            Self::V3 => "3.0.9.1549",
            Self::V4 => "4.0.19.2979",
            Self::V5 => "5.0.0.3000",
        }
    }

    /// Whether an add must name an existing language profile.
    pub fn requires_language_profile(self) -> bool {
        matches!(self, Self::V3)
    }

    /// Whether this version knows a monitor type.
    pub fn knows(self, monitor: MonitorType) -> bool {
        let major = match self {
            Self::V3 => 3,
            Self::V4 => 4,
            Self::V5 => 5,
        };
        monitor.since_major_version() <= major
    }

    /// Why this version refuses a new tag's label, if it does.
    pub(crate) fn refuses_label(self, label: &str) -> Option<(&'static str, &'static str)> {
        match self {
            Self::V3 | Self::V4 => None,
            Self::V5 if label.is_empty() => {
                Some(("'Label' must not be empty.", "NotEmptyValidator"))
            }
            Self::V5 => {
                (!label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')).then_some((
                    "Allowed characters a-z, 0-9 and -",
                    "RegularExpressionValidator",
                ))
            }
        }
    }
}

/// A season for a [`SeedSeries`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedSeason {
    /// Its number; 0 holds the specials.
    pub number: i32,
    /// How many episodes it has.
    pub episodes: i32,
    /// How many of them (the first ones) have a file (library series only).
    pub files: i32,
    /// Whether it airs after [`NOW`].
    pub upcoming: bool,
}

/// A series for the fake's catalogue or library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedSeries {
    /// Its TVDB id.
    pub tvdb_id: TvdbId,
    /// Its title.
    pub title: String,
    /// The year it first aired.
    pub year: i32,
    /// Its TMDb id.
    pub tmdb_id: Option<TmdbId>,
    /// Its IMDb id, such as `"tt0903747"`.
    pub imdb_id: Option<String>,
    /// Whether it has ended.
    pub ended: bool,
    /// Its seasons.
    pub seasons: Vec<SeedSeason>,
    /// Whether it is monitored (library series only).
    pub monitored: bool,
    /// Labels of the tags on it (library series only); missing tags are
    /// created.
    pub tags: Vec<String>,
}

impl SeedSeries {
    /// An ended, monitored series without seasons, ids or tags.
    pub fn new(tvdb_id: TvdbId, title: impl Into<String>, year: i32) -> Self {
        Self {
            tvdb_id,
            title: title.into(),
            year,
            tmdb_id: None,
            imdb_id: None,
            ended: true,
            seasons: Vec::new(),
            monitored: true,
            tags: Vec::new(),
        }
    }

    /// The same series with seasons 1, 2, ... of these episode counts, all
    /// aired, without files.
    #[must_use]
    pub fn seasons(mut self, episodes: &[i32]) -> Self {
        for (number, count) in (1..).zip(episodes) {
            self = self.season(number, *count);
        }
        self
    }

    /// The same series with one more aired season, without files.
    #[must_use]
    pub fn season(mut self, number: i32, episodes: i32) -> Self {
        self.seasons.retain(|s| s.number != number);
        self.seasons.push(SeedSeason {
            number,
            episodes,
            files: 0,
            upcoming: false,
        });
        self.seasons.sort_by_key(|s| s.number);
        self
    }

    /// The same series with `episodes` specials (season 0).
    #[must_use]
    pub fn specials(self, episodes: i32) -> Self {
        self.season(0, episodes)
    }

    /// The same series, still airing, with a season that airs after [`NOW`].
    #[must_use]
    pub fn upcoming_season(mut self, number: i32, episodes: i32) -> Self {
        self = self.season(number, episodes);
        for season in &mut self.seasons {
            if season.number == number {
                season.upcoming = true;
            }
        }
        self.ended = false;
        self
    }

    /// The same series, still airing.
    #[must_use]
    pub fn continuing(mut self) -> Self {
        self.ended = false;
        self
    }

    /// The same series where the first `count` episodes of `season` have a
    /// file.
    #[must_use]
    pub fn files(mut self, season: i32, count: i32) -> Self {
        for s in &mut self.seasons {
            if s.number == season {
                s.files = count.min(s.episodes);
            }
        }
        self
    }

    /// The same series with a file for every aired episode outside specials.
    #[must_use]
    pub fn all_files(mut self) -> Self {
        for s in &mut self.seasons {
            if s.number > 0 && !s.upcoming {
                s.files = s.episodes;
            }
        }
        self
    }

    /// The same series with a TMDb id.
    #[must_use]
    pub fn tmdb(mut self, tmdb_id: u32) -> Self {
        self.tmdb_id = Some(TmdbId(tmdb_id));
        self
    }

    /// The same series with an IMDb id.
    #[must_use]
    pub fn imdb(mut self, imdb_id: impl Into<String>) -> Self {
        self.imdb_id = Some(imdb_id.into());
        self
    }

    /// The same series, monitored or not.
    #[must_use]
    pub fn monitored(mut self, monitored: bool) -> Self {
        self.monitored = monitored;
        self
    }

    /// The same series with these tag labels.
    #[must_use]
    pub fn tags(mut self, labels: &[&str]) -> Self {
        self.tags = labels.iter().map(|label| (*label).to_owned()).collect();
        self
    }
}

/// What a [`FakeSonarr`] starts with.
#[derive(Debug, Clone)]
pub struct SonarrSeed {
    pub(crate) api_key: String,
    pub(crate) version: SonarrVersion,
    pub(crate) cover_read_delay: Option<Duration>,
    pub(crate) root_folders: Vec<String>,
    pub(crate) quality_profiles: Vec<(i32, String)>,
    pub(crate) tags: Vec<String>,
    pub(crate) catalogue: Vec<SeedSeries>,
    pub(crate) library: Vec<SeedSeries>,
}

impl Default for SonarrSeed {
    fn default() -> Self {
        Self::new()
    }
}

impl SonarrSeed {
    /// An empty Sonarr v4 (no root folder, no profile, nothing to look up)
    /// answering to [`DEFAULT_API_KEY`].
    pub fn new() -> Self {
        Self {
            api_key: DEFAULT_API_KEY.to_owned(),
            version: SonarrVersion::V4,
            cover_read_delay: None,
            root_folders: Vec::new(),
            quality_profiles: Vec::new(),
            tags: Vec::new(),
            catalogue: Vec::new(),
            library: Vec::new(),
        }
    }

    /// A small, ready-to-use Sonarr: root folder `/tv`, profiles `Any` (1)
    /// and `HD-1080p` (4), a `curator` tag, two series in the library
    /// (Breaking Bad with every file, The Wire with season 1 only) and a
    /// dozen well-known shows in the catalogue, with their real TVDB, TMDb
    /// and IMDb ids (episode counts per season as aired; air dates are the
    /// fake's own).
    pub fn demo() -> Self {
        type Show = (u32, &'static str, i32, u32, &'static str, &'static [i32]);
        const SHOWS: [Show; 12] = [
            (
                81189,
                "Breaking Bad",
                2008,
                1396,
                "tt0903747",
                &[7, 13, 13, 13, 16],
            ),
            (
                79126,
                "The Wire",
                2002,
                1438,
                "tt0306414",
                &[13, 12, 12, 13, 10],
            ),
            (
                121361,
                "Game of Thrones",
                2011,
                1399,
                "tt0944947",
                &[10, 10, 10, 10, 10, 10, 7, 6],
            ),
            (78874, "Firefly", 2002, 1437, "tt0303461", &[14]),
            (
                73244,
                "The Office",
                2005,
                2316,
                "tt0386676",
                &[6, 22, 25, 19, 28, 26, 26, 24, 25],
            ),
            (
                305288,
                "Stranger Things",
                2016,
                66732,
                "tt4574334",
                &[8, 9, 8, 9, 8],
            ),
            (360893, "Chernobyl", 2019, 87108, "tt7366338", &[5]),
            (
                280619,
                "The Expanse",
                2015,
                63639,
                "tt3230854",
                &[10, 13, 10, 13, 10, 6],
            ),
            (
                273181,
                "Better Call Saul",
                2015,
                60059,
                "tt3032476",
                &[10, 10, 10, 10, 10, 13],
            ),
            (
                361753,
                "The Mandalorian",
                2019,
                82856,
                "tt8111088",
                &[8, 8, 8],
            ),
            (
                73545,
                "Battlestar Galactica",
                2004,
                1972,
                "tt0407362",
                &[13, 20, 20, 20],
            ),
            (71173, "Battlestar Galactica", 1978, 501, "tt0076984", &[24]),
        ];
        let mut seed = Self::new()
            .root_folder("/tv")
            .quality_profile(1, "Any")
            .quality_profile(4, "HD-1080p")
            .tag("curator");
        for (tvdb, title, year, tmdb, imdb, seasons) in SHOWS {
            seed = seed.catalogue(
                SeedSeries::new(TvdbId(tvdb), title, year)
                    .tmdb(tmdb)
                    .imdb(imdb)
                    .seasons(seasons),
            );
        }
        seed.series(
            SeedSeries::new(TvdbId(81189), "Breaking Bad", 2008)
                .tmdb(1396)
                .imdb("tt0903747")
                .seasons(&[7, 13, 13, 13, 16])
                .specials(3)
                .all_files(),
        )
        .series(
            SeedSeries::new(TvdbId(79126), "The Wire", 2002)
                .tmdb(1438)
                .imdb("tt0306414")
                .seasons(&[13, 12, 12, 13, 10])
                .files(1, 13),
        )
    }

    /// Answers only to this API key.
    #[must_use]
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = key.into();
        self
    }

    /// Behaves like this Sonarr version (default [`SonarrVersion::V4`]).
    #[must_use]
    pub fn version(mut self, version: SonarrVersion) -> Self {
        self.version = version;
        self
    }

    /// Makes every series list take this long to answer, as it does on a
    /// library of thousands of series.
    #[must_use]
    pub fn cover_read_delay(mut self, delay: Duration) -> Self {
        self.cover_read_delay = Some(delay);
        self
    }

    /// Adds a root folder (ids count from 1).
    #[must_use]
    pub fn root_folder(mut self, path: impl Into<String>) -> Self {
        self.root_folders.push(path.into());
        self
    }

    /// Adds a quality profile.
    #[must_use]
    pub fn quality_profile(mut self, id: i32, name: impl Into<String>) -> Self {
        self.quality_profiles.push((id, name.into()));
        self
    }

    /// Adds a tag (ids count from 1, in the order tags are created).
    #[must_use]
    pub fn tag(mut self, label: impl Into<String>) -> Self {
        self.tags.push(label.into());
        self
    }

    /// Makes a series known to lookups and adds, without putting it in the
    /// library.
    #[must_use]
    pub fn catalogue(mut self, series: SeedSeries) -> Self {
        self.catalogue.push(series);
        self
    }

    /// Puts a series in the library (under the first root folder, with the
    /// first quality profile, every aired episode outside specials
    /// monitored when the series is) and in the catalogue.
    #[must_use]
    pub fn series(mut self, series: SeedSeries) -> Self {
        self.library.push(series);
        self
    }
}

/// A command the fake received.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordedCommand {
    /// Its name, such as `"SeriesSearch"`.
    pub name: String,
    /// Its `seriesId`, when it had one.
    pub series_id: Option<SeriesId>,
    /// Its `episodeIds`.
    pub episode_ids: Vec<EpisodeId>,
}

/// A running fake Sonarr.
///
/// Stops when dropped. Clones of [`FakeSonarr::stats`] and
/// [`FakeSonarr::faults`] stay connected to the server.
pub struct FakeSonarr {
    arr: FakeArr<State>,
}

impl fmt::Debug for FakeSonarr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeSonarr")
            .field("uri", &self.uri())
            .finish_non_exhaustive()
    }
}

impl FakeSonarr {
    /// Starts a fake Sonarr holding `seed`.
    pub async fn start(seed: SonarrSeed) -> Self {
        let state = State::new(&seed);
        Self {
            arr: FakeArr::start("fake sonarr", seed.api_key, state).await,
        }
    }

    /// The base URL to give a client.
    pub fn uri(&self) -> String {
        self.arr.uri()
    }

    /// The API key the fake accepts.
    pub fn api_key(&self) -> &str {
        self.arr.api_key()
    }

    /// A client builder pointed at this fake, with the right key and a
    /// retry policy of a few milliseconds so faults resolve fast.
    pub fn client_builder(&self) -> SonarrClientBuilder {
        SonarrClientBuilder::new(self.uri(), self.api_key()).retry_policy(fast_retries(2))
    }

    /// Requests received, per operation (names from [`crate::op`]).
    pub fn stats(&self) -> &RequestStats {
        self.arr.stats()
    }

    /// The fault queue: `fake.faults().inject(op::SERIES_LIST, Fault::Status(503), 2)`.
    pub fn faults(&self) -> &Faults {
        self.arr.faults()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.arr.state()
    }

    /// The library record of a TVDB id, with statistics.
    pub fn series(&self, tvdb_id: TvdbId) -> Option<Series> {
        let state = self.state();
        state
            .series_by_tvdb(tvdb_id)
            .map(|s| state.with_statistics(s))
    }

    /// Every library record, in the order they were added.
    pub fn series_list(&self) -> Vec<Series> {
        let state = self.state();
        state
            .series
            .iter()
            .map(|s| state.with_statistics(s))
            .collect()
    }

    /// Whether the library series with this TVDB id is monitored.
    pub fn is_monitored(&self, tvdb_id: TvdbId) -> Option<bool> {
        self.state().series_by_tvdb(tvdb_id).map(|s| s.monitored)
    }

    /// The episodes of the library series with this TVDB id, in season and
    /// episode order.
    pub fn episodes(&self, tvdb_id: TvdbId) -> Vec<Episode> {
        let state = self.state();
        match state.series_by_tvdb(tvdb_id) {
            Some(series) => state.episodes_of(series.id),
            None => Vec::new(),
        }
    }

    /// The `(season, episode)` numbers of the monitored episodes of the
    /// library series with this TVDB id.
    pub fn monitored_episodes(&self, tvdb_id: TvdbId) -> Vec<(i32, i32)> {
        self.episodes(tvdb_id)
            .iter()
            .filter(|e| e.monitored)
            .map(|e| (e.season_number, e.episode_number))
            .collect()
    }

    /// The numbers of the monitored seasons of the library series with this
    /// TVDB id.
    pub fn monitored_seasons(&self, tvdb_id: TvdbId) -> Vec<i32> {
        self.state()
            .series_by_tvdb(tvdb_id)
            .map(|s| {
                s.seasons
                    .iter()
                    .filter(|season| season.monitored)
                    .map(|season| season.season_number)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The tag labels on the library series with this TVDB id, sorted.
    pub fn series_tag_labels(&self, tvdb_id: TvdbId) -> Option<Vec<String>> {
        let state = self.state();
        let series = state.series_by_tvdb(tvdb_id)?;
        Some(state.tags.labels(&series.tags))
    }

    /// Every tag.
    pub fn tags(&self) -> Vec<Tag> {
        self.state().tags.tags.clone()
    }

    /// The root folders.
    pub fn root_folders(&self) -> Vec<RootFolder> {
        self.state().root_folders.clone()
    }

    /// The quality profiles.
    pub fn quality_profiles(&self) -> Vec<QualityProfile> {
        self.state().quality_profiles.clone()
    }

    /// Every command received, in order.
    pub fn commands(&self) -> Vec<RecordedCommand> {
        self.state().commands.clone()
    }

    /// The TVDB ids added with `searchForMissingEpisodes: true`, in order.
    pub fn searched_on_add(&self) -> Vec<TvdbId> {
        self.state().searched_on_add.clone()
    }

    /// How many series lists were answered (each one checks every cover
    /// file).
    pub fn list_reads(&self) -> usize {
        self.state().list_reads
    }

    /// The ids of every `series/editor` request received, in order, as sent.
    pub fn editor_requests(&self) -> Vec<Vec<SeriesId>> {
        self.state().editor_requests.clone()
    }

    /// The ids of every `episode/monitor` request received, in order, as
    /// sent.
    pub fn monitor_requests(&self) -> Vec<Vec<EpisodeId>> {
        self.state().monitor_requests.clone()
    }

    /// The labels of every tag creation request received, in order, as sent.
    pub fn tag_requests(&self) -> Vec<String> {
        self.state().tags.requests.clone()
    }

    /// Creates a tag now, as Sonarr's own UI would (stored lowercased).
    pub fn insert_tag(&self, label: &str) -> Tag {
        self.state().tags.tag_for(label)
    }

    /// Puts a series in the library now (and in the catalogue), as if added
    /// through Sonarr's own UI; returns its record.
    pub fn insert_series(&self, series: &SeedSeries) -> Series {
        self.state().insert_seed(series)
    }

    /// Puts a series in the library right after the next series list is
    /// answered, as if another client added it meanwhile: that list is
    /// stale, and an add of the series answers "already added".
    pub fn insert_after_next_list(&self, series: SeedSeries) {
        self.state()
            .after_next_list
            .push(server::ListChange::Insert(series));
    }

    /// Deletes a library series right after the next series list is
    /// answered, as if someone removed it in Sonarr's UI meanwhile.
    pub fn remove_after_next_list(&self, tvdb_id: TvdbId) {
        self.state()
            .after_next_list
            .push(server::ListChange::Remove(tvdb_id));
    }

    /// Makes a TVDB id known to lookups and adds.
    pub fn add_to_catalogue(&self, series: SeedSeries) {
        self.state().catalogue.insert(series.tvdb_id, series);
    }

    /// Marks an episode as downloaded or not, as if Sonarr had imported or
    /// deleted its file; false when there is no such episode.
    pub fn set_has_file(&self, tvdb_id: TvdbId, season: i32, episode: i32, has_file: bool) -> bool {
        self.state()
            .set_has_file(tvdb_id, season, episode, has_file)
    }

    /// Adds a quality profile now.
    pub fn add_quality_profile(&self, id: QualityProfileId, name: &str) {
        self.state()
            .quality_profiles
            .push(QualityProfile::new(id, name));
    }
}
