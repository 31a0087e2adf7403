//! The services a run talks to and what it learns once per run.

use std::collections::HashMap;
use std::sync::Arc;

use curator_http::{MediaKind, TmdbId};
use llm_recs::Recommender;
use plex_client::{PlexApi, SectionKey};
use radarr_client::RadarrApi;
use seerr_client::SeerrApi;
use sonarr_client::SonarrApi;
use time::Date;
use tmdb_client::MovieSummary;
use tmdb_client::{TmdbApi, TmdbTvApi};
use tokio::sync::{Mutex, OnceCell};

use crate::catalog::{Catalog, Details};
use crate::collection::{CollectionState, SmallCollection};
use crate::error::StateError;
use crate::library::LibraryIndex;
use crate::normalize::normalize_title;
use crate::points::PointsBook;
use crate::resolve::Unresolved;
use crate::settings::Settings;
use crate::state::DataDir;

/// The services, each absent when it is not configured.
#[derive(Clone, Default)]
pub struct Services {
    /// Plex.
    pub plex: Option<Arc<dyn PlexApi>>,
    /// Radarr.
    pub radarr: Option<Arc<dyn RadarrApi>>,
    /// TMDb (usually wrapped in its file cache).
    pub tmdb: Option<Arc<dyn TmdbApi>>,
    /// The LLM.
    pub llm: Option<Arc<dyn Recommender>>,
    /// Sonarr.
    pub sonarr: Option<Arc<dyn SonarrApi>>,
    /// TMDb's TV side (usually the same cached client as `tmdb`); the show
    /// steps need it.
    pub tmdb_tv: Option<Arc<dyn TmdbTvApi>>,
    /// Overseerr or Jellyseerr, when missing titles go there as requests
    /// (`Settings::requests`).
    pub seerr: Option<Arc<dyn SeerrApi>>,
}

impl std::fmt::Debug for Services {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Services")
            .field("plex", &self.plex.is_some())
            .field("radarr", &self.radarr.is_some())
            .field("tmdb", &self.tmdb.is_some())
            .field("llm", &self.llm.is_some())
            .field("sonarr", &self.sonarr.is_some())
            .field("tmdb_tv", &self.tmdb_tv.is_some())
            .field("seerr", &self.seerr.is_some())
            .finish()
    }
}

/// Work to do after each step, such as saving a cache, so a run that is
/// killed later keeps what the finished steps learned.
#[async_trait::async_trait]
pub trait Checkpoint: Send + Sync {
    /// A step has finished.
    async fn step_done(&self);
}

/// A service a step needs and does not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    /// Plex.
    Plex,
    /// Radarr.
    Radarr,
    /// TMDb.
    Tmdb,
    /// The LLM.
    Llm,
    /// Sonarr.
    Sonarr,
}

impl std::fmt::Display for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Plex => "Plex is not configured (plex.url and plex.token)",
            Self::Radarr => "Radarr is not configured (radarr.url and radarr.api_key)",
            Self::Tmdb => "TMDb is not configured (tmdb.api_key)",
            Self::Llm => "no LLM is configured (openai.api_key / openai.base_url)",
            Self::Sonarr => "Sonarr is not configured (sonarr.url and sonarr.api_key)",
        })
    }
}

/// A title search: the kind, the normalised title, the year.
type ResolutionKey = (MediaKind, String, Option<i32>);

/// One run's shared context: services, settings, the data directory, and
/// what is read once per run (the library index, Radarr's movie list, tag
/// ids), so that no step asks a server the same thing twice.
pub struct RunContext {
    /// The services.
    pub services: Services,
    /// The settings.
    pub settings: Settings,
    /// The data directory.
    pub data: DataDir,
    /// Today's date (for points bookkeeping).
    pub today: Date,
    library: OnceCell<Arc<LibraryIndex>>,
    /// Held while the library is read; keeps the error of a read started
    /// ahead ([`RunContext::prefetch`]) for the step that asks first.
    library_read: Mutex<Option<String>>,
    /// The TV library, read once per run, as the movie one.
    tv_library: OnceCell<Arc<LibraryIndex>>,
    tv_library_read: Mutex<Option<String>>,
    /// Sonarr's series list, read once per run (see `sonarr.rs`).
    pub(crate) sonarr_series: Mutex<Option<Vec<sonarr_client::Series>>>,
    /// Why reading Sonarr's series list failed, if it did: not asked again.
    pub(crate) sonarr_series_error: Mutex<Option<String>>,
    /// Sonarr's tags, read once per run; tags created meanwhile are added.
    pub(crate) sonarr_tags: Mutex<Option<Vec<sonarr_client::Tag>>>,
    /// What each title search of this run found (or that nothing matched),
    /// so a title several lists suggest costs one search per run.
    resolutions: std::sync::Mutex<HashMap<ResolutionKey, Result<MovieSummary, Unresolved>>>,
    /// Each title's details as read in this run (the seed's, a show's TVDB
    /// id for Sonarr), read once per run.
    details: Mutex<HashMap<(MediaKind, TmdbId), Option<Details>>>,
    /// The movie library's legacy-agent items (known to Plex only by IMDb
    /// id) by the TMDb id TMDb's `find` gives them; built once per run,
    /// only when a suggestion needs it.
    legacy_movies: OnceCell<HashMap<TmdbId, plex_client::RatingKey>>,
    /// The same for Radarr's movie list (see `RunContext::load_radarr_movies`).
    pub(crate) radarr_movies_read: Mutex<Option<String>>,
    pub(crate) radarr_movies: Mutex<Option<Vec<radarr_client::Movie>>>,
    /// Why reading Radarr's movie list timed out, if it did: it is not
    /// asked again in the same run (each attempt costs Radarr the whole list).
    pub(crate) radarr_movies_error: Mutex<Option<String>>,
    /// Radarr's tags, read once per run; tags created meanwhile are added.
    pub(crate) radarr_tags: Mutex<Option<Vec<radarr_client::Tag>>>,
    /// In a dry run, what the recommendation steps would have written, so
    /// the refreshers plan against it rather than against yesterday's files.
    staged: std::sync::Mutex<Staged>,
    checkpoint: Option<Arc<dyn Checkpoint>>,
    /// The service job this run is (its id), so a retried job counts its
    /// points once ([`crate::PointsBook::applied`]).
    job: Option<String>,
    /// The steps this run was asked to run (`None`: every enabled one), so
    /// the first LLM request can ask for every list the run needs.
    pub(crate) only: Option<Vec<crate::report::StepKind>>,
    /// The LLM's answers for this run's lists, asked once in one request.
    pub(crate) llm_lists: OnceCell<HashMap<String, crate::steps::LlmList>>,
    /// Plex refused hub management in this run (no Plex Pass): reported
    /// once, and the rows are not asked about again.
    pub(crate) rows_refused: std::sync::atomic::AtomicBool,
    /// The movie section's key, once found (without reading the library).
    movie_section_key: OnceCell<SectionKey>,
    /// Versions the duplicate cleaners deleted this run (planned, in a dry
    /// run): movies and episodes share `dedupe.max_deletions_per_run`.
    deletions: std::sync::atomic::AtomicUsize,
}

#[derive(Debug, Default)]
struct Staged {
    collections: HashMap<SmallCollection, CollectionState>,
    points: HashMap<MediaKind, PointsBook>,
}

impl std::fmt::Debug for RunContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunContext")
            .field("services", &self.services)
            .field("data", &self.data)
            .field("today", &self.today)
            .finish_non_exhaustive()
    }
}

impl RunContext {
    /// A context for one run.
    pub fn new(services: Services, settings: Settings, data: DataDir, today: Date) -> Self {
        Self {
            services,
            settings,
            data,
            today,
            library: OnceCell::new(),
            library_read: Mutex::new(None),
            tv_library: OnceCell::new(),
            tv_library_read: Mutex::new(None),
            sonarr_series: Mutex::new(None),
            sonarr_series_error: Mutex::new(None),
            sonarr_tags: Mutex::new(None),
            resolutions: std::sync::Mutex::new(HashMap::new()),
            details: Mutex::new(HashMap::new()),
            legacy_movies: OnceCell::new(),
            radarr_movies_read: Mutex::new(None),
            radarr_movies: Mutex::new(None),
            radarr_movies_error: Mutex::new(None),
            radarr_tags: Mutex::new(None),
            staged: std::sync::Mutex::new(Staged::default()),
            checkpoint: None,
            job: None,
            only: None,
            llm_lists: OnceCell::new(),
            rows_refused: std::sync::atomic::AtomicBool::new(false),
            movie_section_key: OnceCell::new(),
            deletions: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// Versions the duplicate cleaners deleted so far this run (in a dry
    /// run: planned to delete).
    pub(crate) fn deletions_this_run(&self) -> usize {
        self.deletions.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Counts `n` more versions deleted (or planned, in a dry run).
    pub(crate) fn count_deletions(&self, n: usize) {
        self.deletions
            .fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    }

    /// Names the service job this run is: a job run again after a crash
    /// or a panic then counts its points once.
    pub fn set_job(&mut self, id: impl Into<String>) {
        self.job = Some(id.into());
    }

    /// The service job this run is, if it is one.
    pub fn job(&self) -> Option<&str> {
        self.job.as_deref()
    }

    /// Runs `checkpoint` after every step.
    pub fn set_checkpoint(&mut self, checkpoint: Arc<dyn Checkpoint>) {
        self.checkpoint = Some(checkpoint);
    }

    /// Runs the checkpoint, if any.
    pub(crate) async fn checkpoint(&self) {
        if let Some(checkpoint) = &self.checkpoint {
            checkpoint.step_done().await;
        }
    }

    /// Writes a small collection's state, or in a dry run keeps it for the
    /// rest of the run instead.
    ///
    /// # Errors
    /// [`StateError`] when the file cannot be written.
    pub(crate) fn save_collection(
        &self,
        which: SmallCollection,
        state: CollectionState,
    ) -> Result<(), StateError> {
        if self.dry_run() {
            self.staged().collections.insert(which, state);
            Ok(())
        } else {
            self.data.save_collection(which, &state)
        }
    }

    /// A small collection's state as this run left it.
    ///
    /// # Errors
    /// [`StateError`] when the file cannot be read.
    pub(crate) fn collection_state(
        &self,
        which: SmallCollection,
    ) -> Result<CollectionState, StateError> {
        if let Some(state) = self.staged().collections.get(&which) {
            return Ok(state.clone());
        }
        self.data.load_collection(which)
    }

    /// Writes the points book, or in a dry run keeps it for the rest of the run.
    ///
    /// # Errors
    /// [`StateError`] when the file cannot be written.
    pub(crate) fn save_points(&self, book: PointsBook) -> Result<(), StateError> {
        self.save_points_of(MediaKind::Movie, book)
    }

    /// Writes the points book of `kind`, or in a dry run keeps it for the
    /// rest of the run.
    ///
    /// # Errors
    /// [`StateError`] when the file cannot be written.
    pub(crate) fn save_points_of(
        &self,
        kind: MediaKind,
        book: PointsBook,
    ) -> Result<(), StateError> {
        if self.dry_run() {
            self.staged().points.insert(kind, book);
            Ok(())
        } else {
            self.data.save_points_of(kind, &book)
        }
    }

    /// The points book of `kind` this run staged in a dry run, if any.
    pub(crate) fn staged_points_of(&self, kind: MediaKind) -> Option<PointsBook> {
        self.staged().points.get(&kind).cloned()
    }

    fn staged(&self) -> std::sync::MutexGuard<'_, Staged> {
        self.staged
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// True when nothing may be changed.
    pub fn dry_run(&self) -> bool {
        self.settings.dry_run
    }

    /// Plex, or why it is missing.
    ///
    /// # Errors
    /// [`Service::Plex`] when not configured.
    pub fn plex(&self) -> Result<&Arc<dyn PlexApi>, Service> {
        self.services.plex.as_ref().ok_or(Service::Plex)
    }

    /// TMDb, or why it is missing.
    ///
    /// # Errors
    /// [`Service::Tmdb`] when not configured.
    pub fn tmdb(&self) -> Result<&Arc<dyn TmdbApi>, Service> {
        self.services.tmdb.as_ref().ok_or(Service::Tmdb)
    }

    /// TMDb for `kind`: the movie endpoints, or the TV ones.
    ///
    /// # Errors
    /// [`Service::Tmdb`] when TMDb (or its TV side, for shows) is not
    /// configured.
    pub(crate) fn catalog(&self, kind: MediaKind) -> Result<Catalog<'_>, Service> {
        match kind {
            MediaKind::Movie => Ok(Catalog::Movies(self.tmdb()?.as_ref())),
            MediaKind::Show => self
                .services
                .tmdb_tv
                .as_deref()
                .map(Catalog::Shows)
                .ok_or(Service::Tmdb),
        }
    }

    /// What resolving `title` and `year` found earlier in this run, if it
    /// was resolved (a TMDb failure is not kept: it may be asked again).
    pub(crate) fn resolved_before(
        &self,
        kind: MediaKind,
        title: &str,
        year: Option<i32>,
    ) -> Option<Result<MovieSummary, Unresolved>> {
        let key = (kind, normalize_title(title), year);
        self.resolutions
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&key)
            .cloned()
    }

    /// Keeps what resolving `title` and `year` found, for the rest of the run.
    pub(crate) fn remember_resolution(
        &self,
        kind: MediaKind,
        title: &str,
        year: Option<i32>,
        found: &Result<MovieSummary, Unresolved>,
    ) {
        if matches!(found, Err(Unresolved::TmdbFailed(_))) {
            return;
        }
        let key = (kind, normalize_title(title), year);
        self.resolutions
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(key, found.clone());
    }

    /// A title's details from TMDb, read once per run.
    ///
    /// # Errors
    /// TMDb's error, readable (not kept: it may be asked again).
    pub(crate) async fn details(
        &self,
        catalog: Catalog<'_>,
        id: TmdbId,
    ) -> Result<Option<Details>, String> {
        let key = (catalog.kind(), id);
        if let Some(found) = self.details.lock().await.get(&key) {
            return Ok(found.clone());
        }
        let found = catalog.details(id).await.map_err(|e| format!("{e:#}"))?;
        self.details.lock().await.insert(key, found.clone());
        Ok(found)
    }

    /// The movie library's items known only by IMDb id (legacy agents), by
    /// the TMDb id TMDb's `find/{imdb_id}` gives each: one request per such
    /// item, asked once per run and kept for good in TMDb's file cache, so
    /// finding a suggested movie among them costs nothing per suggestion.
    /// Items TMDb cannot place are left out (title and year still find them
    /// when they carry no id at all).
    pub(crate) async fn legacy_movie_keys(
        &self,
        library: &LibraryIndex,
    ) -> &HashMap<TmdbId, plex_client::RatingKey> {
        self.legacy_movies
            .get_or_init(|| async {
                let mut keys = HashMap::new();
                let Ok(tmdb) = self.tmdb() else {
                    return keys;
                };
                for item in library.movies().iter().filter(|m| m.tmdb_id.is_none()) {
                    let Some(imdb) = &item.imdb_id else {
                        continue;
                    };
                    match tmdb.find_by_imdb(imdb).await {
                        Ok(Some(movie)) => {
                            keys.entry(movie.id).or_insert_with(|| item.rating_key.clone());
                        }
                        Ok(None) => {}
                        Err(error) => {
                            tracing::warn!(%imdb, error = %format!("{error:#}"), "TMDb could not place a legacy-agent movie");
                        }
                    }
                }
                keys
            })
            .await
    }

    /// The movie library, read once per run (one pass over every page).
    ///
    /// # Errors
    /// A readable message when Plex is missing, the section does not exist,
    /// or Plex fails.
    pub async fn library(&self) -> Result<Arc<LibraryIndex>, String> {
        self.library_of(MediaKind::Movie).await
    }

    /// The movie or TV library, read once per run (see
    /// [`RunContext::library`]).
    ///
    /// # Errors
    /// As [`RunContext::library`]; for shows also when TV is off.
    pub async fn library_of(&self, kind: MediaKind) -> Result<Arc<LibraryIndex>, String> {
        let (cell, read) = self.library_cells(kind);
        let mut failed_ahead = read.lock().await;
        if let Some(library) = cell.get() {
            return Ok(Arc::clone(library));
        }
        // A read started ahead failed: this is the read that failed.
        if let Some(error) = failed_ahead.take() {
            return Err(error);
        }
        self.read_library(kind).await
    }

    fn library_cells(
        &self,
        kind: MediaKind,
    ) -> (&OnceCell<Arc<LibraryIndex>>, &Mutex<Option<String>>) {
        match kind {
            MediaKind::Movie => (&self.library, &self.library_read),
            MediaKind::Show => (&self.tv_library, &self.tv_library_read),
        }
    }

    async fn read_library(&self, kind: MediaKind) -> Result<Arc<LibraryIndex>, String> {
        self.library_cells(kind)
            .0
            .get_or_try_init(|| async {
                let plex = self.plex().map_err(|e| e.to_string())?;
                let section = self.section(plex.as_ref(), kind).await?;
                let index = match kind {
                    MediaKind::Movie => {
                        let movies = plex.movies(&section).await.map_err(|e| format!("{e:#}"))?;
                        tracing::info!(movies = movies.len(), "read the Plex movie library");
                        LibraryIndex::new(section, movies)
                    }
                    MediaKind::Show => {
                        let shows = plex.shows(&section).await.map_err(|e| format!("{e:#}"))?;
                        tracing::info!(shows = shows.len(), "read the Plex TV library");
                        LibraryIndex::from_shows(section, shows)
                    }
                };
                Ok(Arc::new(self.with_legacy_ids(index).await))
            })
            .await
            .cloned()
    }

    /// The library with its legacy-agent items (known only by IMDb or TVDB
    /// id) given the TMDb id TMDb finds for them: one `find` request per
    /// such item, kept for good in TMDb's file cache. Movies: not yet (see
    /// `find_in_library`).
    async fn with_legacy_ids(&self, index: LibraryIndex) -> LibraryIndex {
        if index.kind() == MediaKind::Movie {
            return index;
        }
        let Some(tmdb) = self.services.tmdb_tv.as_deref() else {
            return index;
        };
        let mut found = Vec::new();
        for (item, tvdb) in index.without_tmdb() {
            let id = match (tvdb, &item.imdb_id) {
                (Some(tvdb), _) => tmdb.find_show_by_tvdb(tvdb).await.ok().flatten(),
                (None, Some(imdb)) => tmdb.find_show_by_imdb(imdb).await.ok().flatten(),
                (None, None) => None,
            };
            if let Some(show) = id {
                found.push((item.rating_key.clone(), show.id));
            }
        }
        index.with_found_tmdb_ids(&found)
    }

    /// Reads the library and Radarr's movie list, together, ahead of the
    /// steps that need them, so they overlap with other work (the first
    /// step's LLM request). A read that fails is not repeated: its error
    /// goes to the first step that asks, as if that step had read.
    pub(crate) async fn prefetch(&self, library: Option<MediaKind>, radarr: bool) {
        let library = async {
            if let Some(kind) = library {
                let (cell, read) = self.library_cells(kind);
                let mut failed_ahead = read.lock().await;
                if cell.get().is_none()
                    && failed_ahead.is_none()
                    && let Err(error) = self.read_library(kind).await
                {
                    *failed_ahead = Some(error);
                }
            }
        };
        let radarr = async {
            if radarr && let Some(client) = &self.services.radarr {
                self.prefetch_radarr_movies(client.as_ref()).await;
            }
        };
        tokio::join!(library, radarr);
    }

    /// The library index if this run has already read it.
    pub fn cached_library(&self) -> Option<Arc<LibraryIndex>> {
        self.library.get().cloned()
    }

    /// The library index of `kind` if this run has already read it.
    pub fn cached_library_of(&self, kind: MediaKind) -> Option<Arc<LibraryIndex>> {
        self.library_cells(kind).0.get().cloned()
    }

    /// The key of the configured movie section (one request).
    ///
    /// # Errors
    /// A readable message when Plex is missing or has no such section.
    pub async fn movie_section_key(&self) -> Result<SectionKey, String> {
        self.section_key(MediaKind::Movie).await
    }

    /// The key of the configured movie or TV section (one request).
    ///
    /// # Errors
    /// A readable message when Plex is missing or has no such section.
    pub async fn section_key(&self, kind: MediaKind) -> Result<SectionKey, String> {
        let plex = self.plex().map_err(|e| e.to_string())?;
        match kind {
            // Asked once per run: the refreshers and the rows each need it.
            MediaKind::Movie => self
                .movie_section_key
                .get_or_try_init(|| self.movie_section(plex.as_ref()))
                .await
                .cloned(),
            MediaKind::Show => self.section(plex.as_ref(), kind).await,
        }
    }

    /// Forgets the library index, so the next step reads it again (after
    /// deletions, for example).
    pub fn invalidate_library(&mut self) {
        self.library = OnceCell::new();
        *self.library_read.get_mut() = None;
    }

    async fn section(&self, plex: &dyn PlexApi, kind: MediaKind) -> Result<SectionKey, String> {
        match kind {
            MediaKind::Movie => self.movie_section(plex).await,
            MediaKind::Show => self.tv_section(plex).await,
        }
    }

    async fn tv_section(&self, plex: &dyn PlexApi) -> Result<SectionKey, String> {
        let Some(tv) = &self.settings.tv else {
            return Err("TV is off: set plex.tv_library_name".into());
        };
        let sections = plex.sections().await.map_err(|e| format!("{e:#}"))?;
        let wanted = &tv.library;
        let is_show = |s: &&plex_client::Section| s.kind == plex_client::SectionKind::Show;
        if let Some(section) = sections
            .iter()
            .filter(is_show)
            .find(|s| s.title.eq_ignore_ascii_case(wanted))
        {
            return Ok(section.key.clone());
        }
        let names: Vec<_> = sections
            .iter()
            .filter(is_show)
            .map(|s| format!("{:?}", s.title))
            .collect();
        Err(if names.is_empty() {
            format!("Plex has no TV library (looked for {wanted:?})")
        } else {
            format!(
                "Plex has no TV library named {wanted:?}; set plex.tv_library_name to one of: {}",
                names.join(", ")
            )
        })
    }

    async fn movie_section(&self, plex: &dyn PlexApi) -> Result<SectionKey, String> {
        let sections = plex.sections().await.map_err(|e| format!("{e:#}"))?;
        let wanted = &self.settings.movie_library;
        if let Some(section) = sections
            .iter()
            .find(|s| s.is_movie() && s.title.eq_ignore_ascii_case(wanted))
        {
            return Ok(section.key.clone());
        }
        let movie_sections: Vec<_> = sections
            .iter()
            .filter(|s| s.is_movie())
            .map(|s| format!("{:?}", s.title))
            .collect();
        Err(if movie_sections.is_empty() {
            format!("Plex has no movie library (looked for {wanted:?})")
        } else {
            format!(
                "Plex has no movie library named {wanted:?}; set plex.movie_library_name to one of: {}",
                movie_sections.join(", ")
            )
        })
    }
}

/// Radarr's movie list, read once per run.
impl RunContext {
    /// Reads Radarr's movie list once per run. A read that timed out is not
    /// repeated in the same run: the list is unpaged, and every attempt makes
    /// Radarr build all of it again. Other failures are answered fast and may
    /// be asked again by a later step, until the client's breaker marks Radarr
    /// down.
    pub(crate) async fn load_radarr_movies(&self, radarr: &dyn RadarrApi) -> Result<(), String> {
        let mut failed_ahead = self.radarr_movies_read.lock().await;
        let mut cache = self.radarr_movies.lock().await;
        if cache.is_some() {
            return Ok(());
        }
        // A read started ahead failed: this is the read that failed.
        if let Some(error) = failed_ahead.take() {
            return Err(error);
        }
        self.read_radarr_movies(radarr, &mut cache).await
    }

    /// Reads Radarr's movie list ahead of the step that needs it (see
    /// `RunContext::prefetch`); an error waits for that step.
    async fn prefetch_radarr_movies(&self, radarr: &dyn RadarrApi) {
        let mut failed_ahead = self.radarr_movies_read.lock().await;
        let mut cache = self.radarr_movies.lock().await;
        if cache.is_none()
            && failed_ahead.is_none()
            && let Err(error) = self.read_radarr_movies(radarr, &mut cache).await
        {
            *failed_ahead = Some(error);
        }
    }

    async fn read_radarr_movies(
        &self,
        radarr: &dyn RadarrApi,
        cache: &mut Option<Vec<radarr_client::Movie>>,
    ) -> Result<(), String> {
        let mut failed = self.radarr_movies_error.lock().await;
        if let Some(error) = failed.as_ref() {
            return Err(format!("{error} (not asked again in this run)"));
        }
        match radarr.movies().await {
            Ok(movies) => {
                tracing::info!(movies = movies.len(), "read Radarr's movie list");
                *cache = Some(movies);
                Ok(())
            }
            Err(error) => {
                let mut text = format!("{error:#}");
                if error.is_timeout() {
                    text.push_str(
                        "; a large library can take minutes: raise timeouts.radarr_movies_seconds",
                    );
                    *failed = Some(text.clone());
                }
                Err(text)
            }
        }
    }
}
