//! A stateful fake Radarr (feature `fake`), for tests, demos and benchmarks.
//!
//! [`FakeRadarr`] is a wiremock server that keeps a library of movies, tags,
//! root folders and quality profiles, and a catalogue of TMDb ids it can
//! "look up" and add. It answers with the status codes and JSON shapes of a
//! real Radarr v3 (201 for an add, 202 for updates and the editor, a 400
//! validation array for refused bodies, 401 for a wrong API key), counts
//! every request under the operation names of [`crate::op`], and fails on
//! demand through [`Faults`]. A [`Fault::Status`] answers instead of the
//! fake, which then changes nothing; a [`Fault::Hang`] delays the normal
//! answer after the fake has acted, like a server whose answer got lost
//! (so an add that timed out is found on the next try).
//!
//! Real Radarr versions differ, and [`RadarrVersion`] names the profiles the
//! fake can play, so what is known about each version is data in one place
//! (checked in Radarr's own source, `src/Radarr.Api.V3` and
//! `src/NzbDrone.Core`, tags v3.2.2 to v6.0.3):
//!
//! - tag labels: v6 refuses any label that does not match `^[a-z0-9-]+$`
//!   (ignoring case) with a 400 (`TagController`, "Allowed characters a-z,
//!   0-9 and -"); v5.22.2 and later refuse an empty one; older versions
//!   take anything. Every version looks a label up by its exact case and
//!   stores new labels lowercased (`TagService.Add`), and `Tags.Label` is
//!   unique, so creating "Curator" while "curator" exists fails with a 409
//!   (SQLite's "constraint failed");
//! - the movie list: v5.0.2 and later skip reading cover files from disk
//!   when asked with `excludeLocalCovers=true` (`MovieController.AllMovie`);
//!   older versions ignore the parameter. [`RadarrSeed::cover_read_delay`]
//!   makes reading covers slow, as it is on a large library;
//! - the bulk editor (`MovieEditorController.SaveAll`) loads the movies with
//!   `BasicRepository.Get(ids)`, which fails the whole request with a 500
//!   when the number of rows differs from the number of ids: a repeated or
//!   unknown id;
//! - every 500 carries the exception's whole stack trace in `description`
//!   (`RadarrErrorPipeline`).
//!
//! ```no_run
//! use radarr_client::fake::{FakeRadarr, RadarrSeed, SeedMovie};
//! use radarr_client::{RadarrApi, TmdbId};
//!
//! # async fn demo() -> radarr_client::Result<()> {
//! let fake = FakeRadarr::start(
//!     RadarrSeed::new()
//!         .root_folder("/movies")
//!         .quality_profile(4, "HD-1080p")
//!         .catalogue(SeedMovie::new(TmdbId(329865), "Arrival", 2016)),
//! )
//! .await;
//! let radarr = fake.client_builder().build()?;
//! assert!(radarr.movie_by_tmdb(TmdbId(329865)).await?.is_none());
//! # Ok(())
//! # }
//! ```

mod server;

use std::fmt;
use std::sync::MutexGuard;
use std::time::Duration;

use arr_common::fake::{FakeArr, fast_retries};
use curator_http::fake::Faults;
use curator_http::{RequestStats, TmdbId};

use crate::client::RadarrClientBuilder;
use crate::model::{Movie, MovieId, QualityProfile, QualityProfileId, RootFolder, Tag};
use server::State;

pub use curator_http::fake::{Fault, FaultEffect};

/// The API key a [`RadarrSeed`] uses unless told otherwise.
pub const DEFAULT_API_KEY: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

/// A Radarr release line the fake can behave like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RadarrVersion {
    /// Radarr v3 (3.2.2): no tag label rule, covers always read.
    V3,
    /// Radarr v4 (4.7.5): as v3.
    V4,
    /// Radarr v5 (5.26.2): empty tag labels refused, `excludeLocalCovers`
    /// honoured.
    V5,
    /// Radarr v6 (6.0.3): tag labels must match `^[a-z0-9-]+$`.
    V6,
}

impl RadarrVersion {
    /// Every profile, oldest first: run a scenario against each.
    pub const ALL: [Self; 4] = [Self::V3, Self::V4, Self::V5, Self::V6];

    /// The version the system status reports.
    pub fn version_string(self) -> &'static str {
        match self {
            Self::V3 => "3.2.2.5080",
            Self::V4 => "4.7.5.7809",
            Self::V5 => "5.26.2.10099",
            Self::V6 => "6.0.3.10276",
        }
    }

    /// Whether `GET /api/v3/movie?excludeLocalCovers=true` skips the cover
    /// files (v5.0.2 and later).
    pub fn honours_exclude_local_covers(self) -> bool {
        matches!(self, Self::V5 | Self::V6)
    }

    /// Why this version refuses a new tag's label, if it does.
    pub(crate) fn refuses_label(self, label: &str) -> Option<(&'static str, &'static str)> {
        const EMPTY: (&str, &str) = ("'Label' must not be empty.", "NotEmptyValidator");
        match self {
            Self::V3 | Self::V4 => None,
            Self::V5 => label.is_empty().then_some(EMPTY),
            Self::V6 if label.is_empty() => Some(EMPTY),
            Self::V6 => {
                (!label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')).then_some((
                    "Allowed characters a-z, 0-9 and -",
                    "RegularExpressionValidator",
                ))
            }
        }
    }
}

/// A movie for the fake's catalogue or library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedMovie {
    /// Its TMDb id.
    pub tmdb_id: TmdbId,
    /// Its title.
    pub title: String,
    /// Its year.
    pub year: i32,
    /// Its IMDb id, such as `"tt2543164"`.
    pub imdb_id: Option<String>,
    /// Whether it is monitored (library movies only).
    pub monitored: bool,
    /// Whether Radarr has a file for it (library movies only).
    pub has_file: bool,
    /// Labels of the tags on it (library movies only); missing tags are
    /// created.
    pub tags: Vec<String>,
}

impl SeedMovie {
    /// A monitored movie without a file or tags.
    pub fn new(tmdb_id: TmdbId, title: impl Into<String>, year: i32) -> Self {
        Self {
            tmdb_id,
            title: title.into(),
            year,
            imdb_id: None,
            monitored: true,
            has_file: false,
            tags: Vec::new(),
        }
    }

    /// The same movie with an IMDb id.
    #[must_use]
    pub fn imdb(mut self, imdb_id: impl Into<String>) -> Self {
        self.imdb_id = Some(imdb_id.into());
        self
    }

    /// The same movie, monitored or not.
    #[must_use]
    pub fn monitored(mut self, monitored: bool) -> Self {
        self.monitored = monitored;
        self
    }

    /// The same movie, with a file or not.
    #[must_use]
    pub fn has_file(mut self, has_file: bool) -> Self {
        self.has_file = has_file;
        self
    }

    /// The same movie with these tag labels.
    #[must_use]
    pub fn tags(mut self, labels: &[&str]) -> Self {
        self.tags = labels.iter().map(|label| (*label).to_owned()).collect();
        self
    }
}

/// What a [`FakeRadarr`] starts with.
#[derive(Debug, Clone)]
pub struct RadarrSeed {
    pub(crate) api_key: String,
    pub(crate) version: RadarrVersion,
    pub(crate) cover_read_delay: Option<Duration>,
    pub(crate) root_folders: Vec<String>,
    pub(crate) quality_profiles: Vec<(i32, String)>,
    pub(crate) tags: Vec<String>,
    pub(crate) catalogue: Vec<SeedMovie>,
    pub(crate) library: Vec<SeedMovie>,
}

impl Default for RadarrSeed {
    fn default() -> Self {
        Self::new()
    }
}

impl RadarrSeed {
    /// An empty Radarr (no root folder, no profile, nothing to look up)
    /// answering to [`DEFAULT_API_KEY`].
    pub fn new() -> Self {
        Self {
            api_key: DEFAULT_API_KEY.to_owned(),
            version: RadarrVersion::V5,
            cover_read_delay: None,
            root_folders: Vec::new(),
            quality_profiles: Vec::new(),
            tags: Vec::new(),
            catalogue: Vec::new(),
            library: Vec::new(),
        }
    }

    /// A small, ready-to-use Radarr: root folder `/movies`, profiles
    /// `Any` (1) and `HD-1080p` (4), a `curator` tag, two movies in the
    /// library and a dozen well-known films in the catalogue.
    pub fn demo() -> Self {
        let films: [(u32, &str, i32, &str); 12] = [
            (603, "The Matrix", 1999, "tt0133093"),
            (27205, "Inception", 2010, "tt1375666"),
            (329865, "Arrival", 2016, "tt2543164"),
            (335984, "Blade Runner 2049", 2017, "tt1856101"),
            (157336, "Interstellar", 2014, "tt0816692"),
            (78, "Blade Runner", 1982, "tt0083658"),
            (62, "2001: A Space Odyssey", 1968, "tt0062622"),
            (264660, "Ex Machina", 2015, "tt0470752"),
            (438631, "Dune", 2021, "tt1160419"),
            (693134, "Dune: Part Two", 2024, "tt15239678"),
            (1124, "The Prestige", 2006, "tt0482571"),
            (77, "Memento", 2000, "tt0209144"),
        ];
        let mut seed = Self::new()
            .root_folder("/movies")
            .quality_profile(1, "Any")
            .quality_profile(4, "HD-1080p")
            .tag("curator");
        for (tmdb, title, year, imdb) in films {
            seed = seed.catalogue(SeedMovie::new(TmdbId(tmdb), title, year).imdb(imdb));
        }
        seed.movie(
            SeedMovie::new(TmdbId(603), "The Matrix", 1999)
                .imdb("tt0133093")
                .has_file(true),
        )
        .movie(SeedMovie::new(TmdbId(27205), "Inception", 2010).imdb("tt1375666"))
    }

    /// Answers only to this API key.
    #[must_use]
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = key.into();
        self
    }

    /// Behaves like this Radarr version (default [`RadarrVersion::V5`]).
    #[must_use]
    pub fn version(mut self, version: RadarrVersion) -> Self {
        self.version = version;
        self
    }

    /// Makes every movie list that reads cover files from disk take this
    /// long to answer, as it does on a library of thousands of movies.
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

    /// Makes a movie known to lookups and adds, without putting it in the
    /// library.
    #[must_use]
    pub fn catalogue(mut self, movie: SeedMovie) -> Self {
        self.catalogue.push(movie);
        self
    }

    /// Puts a movie in the library (under the first root folder, with the
    /// first quality profile) and in the catalogue.
    #[must_use]
    pub fn movie(mut self, movie: SeedMovie) -> Self {
        self.library.push(movie);
        self
    }
}

/// A running fake Radarr.
///
/// Stops when dropped. Clones of [`FakeRadarr::stats`] and
/// [`FakeRadarr::faults`] stay connected to the server.
pub struct FakeRadarr {
    arr: FakeArr<State>,
}

impl fmt::Debug for FakeRadarr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeRadarr")
            .field("uri", &self.uri())
            .finish_non_exhaustive()
    }
}

impl FakeRadarr {
    /// Starts a fake Radarr holding `seed`.
    pub async fn start(seed: RadarrSeed) -> Self {
        let state = State::new(&seed);
        Self {
            arr: FakeArr::start("fake radarr", seed.api_key, state).await,
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
    pub fn client_builder(&self) -> RadarrClientBuilder {
        RadarrClientBuilder::new(self.uri(), self.api_key()).retry_policy(fast_retries(2))
    }

    /// Requests received, per operation (names from [`crate::op`]).
    pub fn stats(&self) -> &RequestStats {
        self.arr.stats()
    }

    /// The fault queue: `fake.faults().inject(op::MOVIES, Fault::Status(503), 2)`.
    pub fn faults(&self) -> &Faults {
        self.arr.faults()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.arr.state()
    }

    /// The library record of a TMDb id.
    pub fn movie(&self, tmdb_id: TmdbId) -> Option<Movie> {
        self.state().movie_by_tmdb(tmdb_id).cloned()
    }

    /// Every library record, in the order they were added.
    pub fn movies(&self) -> Vec<Movie> {
        self.state().movies.clone()
    }

    /// Whether the library movie with this TMDb id is monitored.
    pub fn is_monitored(&self, tmdb_id: TmdbId) -> Option<bool> {
        self.movie(tmdb_id).map(|movie| movie.monitored)
    }

    /// The tag labels on the library movie with this TMDb id, sorted.
    pub fn movie_tag_labels(&self, tmdb_id: TmdbId) -> Option<Vec<String>> {
        let state = self.state();
        let movie = state.movie_by_tmdb(tmdb_id)?;
        Some(state.tags.labels(&movie.tags))
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

    /// The movie ids of every `MoviesSearch` command received, in order.
    pub fn search_commands(&self) -> Vec<Vec<MovieId>> {
        self.state().search_commands.clone()
    }

    /// How many `MoviesSearch` commands were received.
    pub fn search_command_count(&self) -> usize {
        self.state().search_commands.len()
    }

    /// How many movie list reads read the cover files from disk (sent
    /// without `excludeLocalCovers=true`, or to a version that ignores it).
    pub fn cover_reads(&self) -> usize {
        self.state().cover_reads
    }

    /// The ids of every bulk editor request received, in order, as sent.
    pub fn editor_requests(&self) -> Vec<Vec<MovieId>> {
        self.state().editor_requests.clone()
    }

    /// The labels of every tag creation request received, in order, as sent.
    pub fn tag_requests(&self) -> Vec<String> {
        self.state().tags.requests.clone()
    }

    /// Creates a tag now, as Radarr's own UI would (stored lowercased).
    pub fn insert_tag(&self, label: &str) -> Tag {
        self.state().tags.tag_for(label)
    }

    /// The TMDb ids added with `searchForMovie: true`, in order.
    pub fn searched_on_add(&self) -> Vec<TmdbId> {
        self.state().searched_on_add.clone()
    }

    /// Puts a movie in the library now (and in the catalogue), as if added
    /// through Radarr's own UI; returns its record.
    pub fn insert_movie(&self, movie: &SeedMovie) -> Movie {
        self.state().insert_seed(movie)
    }

    /// Puts a movie in the library right after the next movie list is
    /// answered, as if another client added it meanwhile: that list is
    /// stale, and an add of the movie answers "already added".
    pub fn insert_after_next_list(&self, movie: SeedMovie) {
        self.state()
            .after_next_list
            .push(server::ListChange::Insert(movie));
    }

    /// Deletes a library movie right after the next movie list is answered,
    /// as if someone removed it in Radarr's UI meanwhile: its id in that
    /// list is unknown by the time an edit sends it.
    pub fn remove_after_next_list(&self, tmdb_id: TmdbId) {
        self.state()
            .after_next_list
            .push(server::ListChange::Remove(tmdb_id));
    }

    /// Makes a TMDb id known to lookups and adds.
    pub fn add_to_catalogue(&self, movie: SeedMovie) {
        self.state().catalogue.insert(movie.tmdb_id, movie);
    }

    /// Marks a library movie as downloaded or not, as if Radarr had
    /// imported or deleted its file; false when the movie is not there.
    pub fn set_has_file(&self, tmdb_id: TmdbId, has_file: bool) -> bool {
        self.state().set_has_file(tmdb_id, has_file)
    }

    /// Adds a quality profile now.
    pub fn add_quality_profile(&self, id: QualityProfileId, name: &str) {
        self.state()
            .quality_profiles
            .push(QualityProfile::new(id, name));
    }
}
