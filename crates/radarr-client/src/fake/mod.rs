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
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use curator_http::fake::Faults;
use curator_http::{RequestStats, RetryPolicy, TmdbId};
use wiremock::MockServer;

use crate::client::RadarrClientBuilder;
use crate::model::{Movie, MovieId, QualityProfile, QualityProfileId, RootFolder, Tag};
use server::{Responder, State};

pub use curator_http::fake::{Fault, FaultEffect};

/// The API key a [`RadarrSeed`] uses unless told otherwise.
pub const DEFAULT_API_KEY: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

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
    pub(crate) version: String,
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
            version: "5.26.2.10099".to_owned(),
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

    /// Reports this version in the system status.
    #[must_use]
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.version = version.into();
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
    server: MockServer,
    state: Arc<Mutex<State>>,
    stats: RequestStats,
    faults: Faults,
    api_key: String,
}

impl fmt::Debug for FakeRadarr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeRadarr")
            .field("uri", &self.server.uri())
            .finish_non_exhaustive()
    }
}

impl FakeRadarr {
    /// Starts a fake Radarr holding `seed`.
    pub async fn start(seed: RadarrSeed) -> Self {
        let api_key = seed.api_key.clone();
        let state = Arc::new(Mutex::new(State::new(&seed)));
        let stats = RequestStats::new();
        let faults = Faults::new();
        let server = curator_http::fake::serve(
            "fake radarr",
            Responder {
                state: Arc::clone(&state),
                stats: stats.clone(),
                faults: faults.clone(),
                api_key: api_key.clone(),
            },
        )
        .await;
        Self {
            server,
            state,
            stats,
            faults,
            api_key,
        }
    }

    /// The base URL to give a client.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The API key the fake accepts.
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// A client builder pointed at this fake, with the right key and a
    /// retry policy of a few milliseconds so faults resolve fast.
    pub fn client_builder(&self) -> RadarrClientBuilder {
        RadarrClientBuilder::new(self.uri(), self.api_key.as_str()).retry_policy(RetryPolicy {
            max_retries: 2,
            base_delay: std::time::Duration::from_millis(1),
            max_delay: std::time::Duration::from_millis(5),
            max_retry_after: std::time::Duration::from_millis(5),
        })
    }

    /// Requests received, per operation (names from [`crate::op`]).
    pub fn stats(&self) -> &RequestStats {
        &self.stats
    }

    /// The fault queue: `fake.faults().inject(op::MOVIES, Fault::Status(503), 2)`.
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
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
        let mut labels: Vec<String> = movie
            .tags
            .iter()
            .filter_map(|id| state.tags.iter().find(|tag| tag.id == *id))
            .map(|tag| tag.label.clone())
            .collect();
        labels.sort();
        Some(labels)
    }

    /// Every tag.
    pub fn tags(&self) -> Vec<Tag> {
        self.state().tags.clone()
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

    /// The TMDb ids added with `searchForMovie: true`, in order.
    pub fn searched_on_add(&self) -> Vec<TmdbId> {
        self.state().searched_on_add.clone()
    }

    /// Puts a movie in the library now (and in the catalogue), as if added
    /// through Radarr's own UI; returns its record.
    pub fn insert_movie(&self, movie: &SeedMovie) -> Movie {
        self.state().insert_seed(movie)
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
