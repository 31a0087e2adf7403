//! [`CachedTmdb`]: a file-backed cache around any [`TmdbApi`].

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use curator_http::{ImageFile, ImdbId, TmdbId, TvdbId};
use serde::{Deserialize, Serialize};

use crate::api::{TmdbApi, TmdbTvApi};
use crate::error::{Error, Result};
use crate::model::{
    DiscoverQuery, Genre, MovieDetails, MovieSummary, Page, PosterSize, ShowDetails, ShowSummary,
};

/// The version of the cache file's layout. Files of an older version are
/// ignored (and replaced on the next save); files of a newer one are ignored
/// and never replaced.
///
/// Shows did not change it: their entries are new kinds under new keys, so
/// a file written before them still loads as it is.
pub const CACHE_SCHEMA_VERSION: u32 = 2;

const DAY: Duration = Duration::from_secs(24 * 60 * 60);

/// Where the cache reads the time; swap it in tests to expire entries
/// without waiting.
pub trait Clock: Send + Sync + fmt::Debug {
    /// The current time.
    fn now(&self) -> SystemTime;
}

/// The system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock that moves only when told to. Clones share the time.
#[derive(Debug, Clone)]
pub struct ManualClock {
    now: Arc<Mutex<SystemTime>>,
}

impl ManualClock {
    /// A clock showing `start`.
    pub fn new(start: SystemTime) -> Self {
        Self {
            now: Arc::new(Mutex::new(start)),
        }
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner) += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// How long each kind of answer stays fresh.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheTtl {
    /// Search results for a query, year and page (30 days), movies and
    /// shows alike.
    pub search: Duration,
    /// Answers that found nothing: an empty first page of a search or list,
    /// a movie, show or external id TMDb does not know (1 day). New titles
    /// reach TMDb every day, and a miss costs a run a suggestion.
    pub empty: Duration,
    /// Movie and show details (7 days).
    pub details: Duration,
    /// Recommendations, similar, discover and find answers (7 days).
    pub lists: Duration,
    /// The movie and TV genre lists (30 days).
    pub genres: Duration,
}

impl Default for CacheTtl {
    fn default() -> Self {
        Self {
            search: 30 * DAY,
            empty: DAY,
            details: 7 * DAY,
            lists: 7 * DAY,
            genres: 30 * DAY,
        }
    }
}

/// Cache hits and misses since the cache was opened.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Answers served from the cache.
    pub hits: u64,
    /// Answers fetched from the wrapped API (absent or expired entries).
    pub misses: u64,
}

/// What one cache entry holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
enum Cached {
    Page(Page<MovieSummary>),
    Movie(Option<MovieDetails>),
    Found(Option<MovieSummary>),
    Genres(Vec<Genre>),
    ShowPage(Page<ShowSummary>),
    Show(Option<ShowDetails>),
    FoundShow(Option<ShowSummary>),
}

impl Cached {
    /// True for an answer that found nothing.
    fn is_empty(&self) -> bool {
        match self {
            Self::Page(page) => page.results.is_empty(),
            Self::ShowPage(page) => page.results.is_empty(),
            Self::Movie(movie) => movie.is_none(),
            Self::Show(show) => show.is_none(),
            Self::Found(found) => found.is_none(),
            Self::FoundShow(found) => found.is_none(),
            Self::Genres(genres) => genres.is_empty(),
        }
    }
}

/// Every TV key starts with this; no movie key does (they start with
/// `search:`, `movie:`, `recommendations:`, `similar:`, `discover:`,
/// `find:` or are `genres`), so show 1396 and movie 1396 never share an
/// entry. The language prefix comes before both alike.
const TV: &str = "tv.";

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    /// Unix seconds when fetched.
    fetched_at: u64,
    /// Unix seconds after which the entry is stale.
    expires_at: u64,
    value: Cached,
}

#[derive(Debug, Serialize, Deserialize)]
struct CacheFile {
    schema: u32,
    entries: BTreeMap<String, Entry>,
}

#[derive(Debug, Default)]
struct State {
    entries: BTreeMap<String, Entry>,
    dirty: bool,
}

/// Wraps a [`TmdbApi`] (and a [`TmdbTvApi`]: shows share the file, under
/// keys of their own) and remembers its answers in a JSON file.
///
/// Each entry expires after its [`CacheTtl`]; stale entries are fetched
/// again. Errors are never cached; answers that found nothing (an empty
/// search, an unknown id) are, for [`CacheTtl::empty`]. Keys include the
/// wrapped API's [`language`](TmdbApi::language).
/// Nothing is written until [`save`](Self::save), which replaces the file
/// atomically: opening a cache never writes, so a dry run can use one. A
/// file that cannot be read starts the cache empty, and is moved aside
/// with a `.corrupt` suffix only when `save` replaces it. A file written by
/// a newer version of this crate is never replaced.
pub struct CachedTmdb<T> {
    inner: T,
    /// The wrapped API's language, part of every key.
    language: Option<String>,
    path: PathBuf,
    ttl: CacheTtl,
    clock: Arc<dyn Clock>,
    state: Mutex<State>,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl<T> fmt::Debug for CachedTmdb<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedTmdb")
            .field("path", &self.path)
            .field("ttl", &self.ttl)
            .field("entries", &self.len())
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

impl<T: TmdbApi> CachedTmdb<T> {
    /// Wraps `inner`, loading the cache from `path` if the file exists.
    ///
    /// Never fails and never writes: a missing file gives an empty cache; an
    /// unreadable or corrupt one, or one of another schema version, is
    /// logged and ignored (see [`save`](Self::save) for what happens to it).
    pub fn open(inner: T, path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let entries = load(&path);
        Self {
            language: inner.language().map(str::to_owned),
            inner,
            path,
            ttl: CacheTtl::default(),
            clock: Arc::new(SystemClock),
            state: Mutex::new(State {
                entries,
                dirty: false,
            }),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }
}

impl<T> CachedTmdb<T> {
    /// Uses `clock` to date and expire entries.
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Uses these lifetimes for entries stored from now on.
    pub fn with_ttl(mut self, ttl: CacheTtl) -> Self {
        self.ttl = ttl;
        self
    }

    /// The wrapped API.
    pub fn inner(&self) -> &T {
        &self.inner
    }

    /// The cache file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Hits and misses so far.
    pub fn stats(&self) -> CacheStats {
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
        }
    }

    /// How many entries are held, stale ones included.
    pub fn len(&self) -> usize {
        self.state().entries.len()
    }

    /// True when no entry is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True when entries changed since the last load or save.
    pub fn is_dirty(&self) -> bool {
        self.state().dirty
    }

    /// Writes the cache file if anything changed, dropping stale entries.
    ///
    /// The file is replaced atomically: written to a temporary file in the
    /// same directory, flushed to disk, then renamed over the old one. What
    /// is there is looked at first: a corrupt or unreadable file is moved
    /// aside to `<path>.corrupt`, so it can be examined; a file of a newer
    /// schema version is kept and nothing is saved (a warning is logged and
    /// the cache stays dirty).
    ///
    /// # Errors
    /// [`Error::CacheWrite`] when the directory or file cannot be written,
    /// or a corrupt file cannot be moved aside; the cache stays dirty so a
    /// later save can try again.
    pub async fn save(&self) -> Result<()> {
        let now = unix(self.clock.now());
        let json = {
            let mut state = self.state();
            if !state.dirty {
                return Ok(());
            }
            state.entries.retain(|_, e| e.expires_at > now);
            state.dirty = false;
            let file = CacheFileRef {
                schema: CACHE_SCHEMA_VERSION,
                entries: &state.entries,
            };
            serde_json::to_vec(&file).map_err(io::Error::other)
        };
        let path = self.path.clone();
        let saved = match json {
            Ok(json) => tokio::task::spawn_blocking(move || replace(&path, &json))
                .await
                .unwrap_or_else(|e| Err(io::Error::other(e))),
            Err(e) => Err(e),
        };
        match saved {
            Ok(Saved::Written) => {
                tracing::debug!(path = %self.path.display(), "tmdb cache saved");
                Ok(())
            }
            Ok(Saved::KeptNewer { schema }) => {
                self.state().dirty = true;
                tracing::warn!(
                    path = %self.path.display(),
                    schema,
                    ours = CACHE_SCHEMA_VERSION,
                    "the TMDb cache was written by a newer version; not replacing it"
                );
                Ok(())
            }
            Err(source) => {
                self.state().dirty = true;
                Err(Error::CacheWrite {
                    path: self.path.clone(),
                    source,
                })
            }
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Serves `key` from the cache when fresh, else runs `fetch` and stores
    /// its answer for `ttl`.
    async fn cached<V, F>(
        &self,
        key: String,
        ttl: Duration,
        unwrap: fn(Cached) -> Option<V>,
        wrap: fn(V) -> Cached,
        fetch: F,
    ) -> Result<V>
    where
        V: Clone,
        F: Future<Output = Result<V>>,
    {
        // Titles and overviews differ by language: one cache file can serve
        // clients of several.
        let key = match self.language.as_deref() {
            Some(language) => format!("{language}/{key}"),
            None => key,
        };
        let now = unix(self.clock.now());
        let fresh = self
            .state()
            .entries
            .get(&key)
            .filter(|e| e.expires_at > now)
            .and_then(|e| unwrap(e.value.clone()));
        if let Some(value) = fresh {
            self.hits.fetch_add(1, Ordering::Relaxed);
            tracing::trace!(key, "tmdb cache hit");
            return Ok(value);
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        let value = fetch.await?;
        let now = unix(self.clock.now());
        let value_kept = wrap(value.clone());
        let ttl = if value_kept.is_empty() {
            ttl.min(self.ttl.empty)
        } else {
            ttl
        };
        let entry = Entry {
            fetched_at: now,
            expires_at: now.saturating_add(ttl.as_secs()),
            value: value_kept,
        };
        let mut state = self.state();
        state.entries.insert(key, entry);
        state.dirty = true;
        Ok(value)
    }
}

#[derive(Serialize)]
struct CacheFileRef<'a> {
    schema: u32,
    entries: &'a BTreeMap<String, Entry>,
}

fn page_of(value: Cached) -> Option<Page<MovieSummary>> {
    match value {
        Cached::Page(page) => Some(page),
        _ => None,
    }
}

fn movie_of(value: Cached) -> Option<Option<MovieDetails>> {
    match value {
        Cached::Movie(movie) => Some(movie),
        _ => None,
    }
}

fn found_of(value: Cached) -> Option<Option<MovieSummary>> {
    match value {
        Cached::Found(found) => Some(found),
        _ => None,
    }
}

fn genres_of(value: Cached) -> Option<Vec<Genre>> {
    match value {
        Cached::Genres(genres) => Some(genres),
        _ => None,
    }
}

fn show_page_of(value: Cached) -> Option<Page<ShowSummary>> {
    match value {
        Cached::ShowPage(page) => Some(page),
        _ => None,
    }
}

fn show_of(value: Cached) -> Option<Option<ShowDetails>> {
    match value {
        Cached::Show(show) => Some(show),
        _ => None,
    }
}

fn found_show_of(value: Cached) -> Option<Option<ShowSummary>> {
    match value {
        Cached::FoundShow(found) => Some(found),
        _ => None,
    }
}

/// The part of a search key after the kind: year, page and the query with
/// case and spacing folded (queries differing only in those get the same
/// answer).
fn search_key(query: &str, year: Option<i32>, page: u32) -> String {
    let normalized = query.split_whitespace().collect::<Vec<_>>().join(" ");
    let normalized = normalized.to_lowercase();
    let year_key = year.map_or_else(|| "-".to_owned(), |y| y.to_string());
    format!("{year_key}:{}:{normalized}", page.max(1))
}

/// The part of a discover key after the kind.
fn discover_key(query: &DiscoverQuery, sort_by: &str) -> String {
    let floor = query
        .vote_count_gte
        .map_or_else(|| "-".to_owned(), |n| n.to_string());
    format!(
        "{sort_by}:{}:-{}:{floor}:{}",
        query.genres_param(),
        query.without_genres_param(),
        query.page.max(1)
    )
}

#[async_trait]
impl<T: TmdbApi> TmdbApi for CachedTmdb<T> {
    async fn search_movies(
        &self,
        query: &str,
        year: Option<i32>,
        page: u32,
    ) -> Result<Page<MovieSummary>> {
        // The year is a first-release year (`primary_release_year`).
        let key = format!("search:{}", search_key(query, year, page));
        let fetch = self.inner.search_movies(query, year, page);
        self.cached(key, self.ttl.search, page_of, Cached::Page, fetch)
            .await
    }

    async fn movie(&self, id: TmdbId) -> Result<Option<MovieDetails>> {
        let fetch = self.inner.movie(id);
        self.cached(
            format!("movie:{id}"),
            self.ttl.details,
            movie_of,
            Cached::Movie,
            fetch,
        )
        .await
    }

    async fn recommendations(&self, id: TmdbId, page: u32) -> Result<Page<MovieSummary>> {
        let key = format!("recommendations:{id}:{}", page.max(1));
        let fetch = self.inner.recommendations(id, page);
        self.cached(key, self.ttl.lists, page_of, Cached::Page, fetch)
            .await
    }

    async fn similar(&self, id: TmdbId, page: u32) -> Result<Page<MovieSummary>> {
        let key = format!("similar:{id}:{}", page.max(1));
        let fetch = self.inner.similar(id, page);
        self.cached(key, self.ttl.lists, page_of, Cached::Page, fetch)
            .await
    }

    async fn discover(&self, query: &DiscoverQuery) -> Result<Page<MovieSummary>> {
        let key = format!("discover:{}", discover_key(query, query.sort_by.as_str()));
        let fetch = self.inner.discover(query);
        self.cached(key, self.ttl.lists, page_of, Cached::Page, fetch)
            .await
    }

    async fn find_by_imdb(&self, imdb_id: &ImdbId) -> Result<Option<MovieSummary>> {
        let fetch = self.inner.find_by_imdb(imdb_id);
        self.cached(
            format!("find:{imdb_id}"),
            self.ttl.lists,
            found_of,
            Cached::Found,
            fetch,
        )
        .await
    }

    fn language(&self) -> Option<&str> {
        self.language.as_deref()
    }

    /// Not cached here: image bytes do not belong in the JSON cache file
    /// (the caller keeps them where it serves them from).
    async fn poster(&self, poster_path: &str, size: PosterSize) -> Result<Option<ImageFile>> {
        self.inner.poster(poster_path, size).await
    }

    async fn genres(&self) -> Result<Vec<Genre>> {
        let fetch = self.inner.genres();
        self.cached(
            "genres".to_owned(),
            self.ttl.genres,
            genres_of,
            Cached::Genres,
            fetch,
        )
        .await
    }
}

#[async_trait]
impl<T: TmdbTvApi> TmdbTvApi for CachedTmdb<T> {
    async fn search_shows(
        &self,
        query: &str,
        first_air_year: Option<i32>,
        page: u32,
    ) -> Result<Page<ShowSummary>> {
        let key = format!("{TV}search:{}", search_key(query, first_air_year, page));
        let fetch = self.inner.search_shows(query, first_air_year, page);
        self.cached(key, self.ttl.search, show_page_of, Cached::ShowPage, fetch)
            .await
    }

    async fn show(&self, id: TmdbId) -> Result<Option<ShowDetails>> {
        let fetch = self.inner.show(id);
        self.cached(
            format!("{TV}show:{id}"),
            self.ttl.details,
            show_of,
            Cached::Show,
            fetch,
        )
        .await
    }

    async fn show_recommendations(&self, id: TmdbId, page: u32) -> Result<Page<ShowSummary>> {
        let key = format!("{TV}recommendations:{id}:{}", page.max(1));
        let fetch = self.inner.show_recommendations(id, page);
        self.cached(key, self.ttl.lists, show_page_of, Cached::ShowPage, fetch)
            .await
    }

    async fn similar_shows(&self, id: TmdbId, page: u32) -> Result<Page<ShowSummary>> {
        let key = format!("{TV}similar:{id}:{}", page.max(1));
        let fetch = self.inner.similar_shows(id, page);
        self.cached(key, self.ttl.lists, show_page_of, Cached::ShowPage, fetch)
            .await
    }

    async fn discover_shows(&self, query: &DiscoverQuery) -> Result<Page<ShowSummary>> {
        let key = format!(
            "{TV}discover:{}",
            discover_key(query, query.sort_by.as_tv_str())
        );
        let fetch = self.inner.discover_shows(query);
        self.cached(key, self.ttl.lists, show_page_of, Cached::ShowPage, fetch)
            .await
    }

    async fn find_show_by_tvdb(&self, tvdb_id: TvdbId) -> Result<Option<ShowSummary>> {
        let fetch = self.inner.find_show_by_tvdb(tvdb_id);
        self.cached(
            format!("{TV}find:tvdb:{tvdb_id}"),
            self.ttl.lists,
            found_show_of,
            Cached::FoundShow,
            fetch,
        )
        .await
    }

    async fn find_show_by_imdb(&self, imdb_id: &ImdbId) -> Result<Option<ShowSummary>> {
        let fetch = self.inner.find_show_by_imdb(imdb_id);
        self.cached(
            format!("{TV}find:imdb:{imdb_id}"),
            self.ttl.lists,
            found_show_of,
            Cached::FoundShow,
            fetch,
        )
        .await
    }

    async fn tv_genres(&self) -> Result<Vec<Genre>> {
        let fetch = self.inner.tv_genres();
        self.cached(
            format!("{TV}genres"),
            self.ttl.genres,
            genres_of,
            Cached::Genres,
            fetch,
        )
        .await
    }
}

fn unix(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// What is at the cache path.
enum OnDisk {
    /// No file.
    Missing,
    /// A file of our schema.
    Ours(BTreeMap<String, Entry>),
    /// A well-formed file of another schema version.
    OtherSchema(u32),
    /// A file that cannot be read or parsed.
    Bad(String),
}

/// Looks at the cache file without changing it.
fn inspect(path: &Path) -> OnDisk {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return OnDisk::Missing,
        Err(e) => return OnDisk::Bad(e.to_string()),
    };
    #[derive(Deserialize)]
    struct Version {
        schema: u32,
    }
    if let Ok(Version { schema }) = serde_json::from_slice::<Version>(&bytes)
        && schema != CACHE_SCHEMA_VERSION
    {
        return OnDisk::OtherSchema(schema);
    }
    match serde_json::from_slice::<CacheFile>(&bytes) {
        Ok(file) => OnDisk::Ours(file.entries),
        Err(e) => OnDisk::Bad(e.to_string()),
    }
}

/// Reads the cache file at open; never writes (see [`CachedTmdb::save`] for
/// what happens to bad files).
fn load(path: &Path) -> BTreeMap<String, Entry> {
    match inspect(path) {
        OnDisk::Missing => BTreeMap::new(),
        OnDisk::Ours(entries) => entries,
        OnDisk::OtherSchema(schema) => {
            tracing::info!(
                path = %path.display(),
                schema,
                ours = CACHE_SCHEMA_VERSION,
                "the TMDb cache has another schema version; starting empty"
            );
            BTreeMap::new()
        }
        OnDisk::Bad(error) => {
            tracing::warn!(
                path = %path.display(),
                %error,
                "cannot read the TMDb cache; starting empty (it is moved aside when the cache is saved)"
            );
            BTreeMap::new()
        }
    }
}

/// What [`replace`] did.
enum Saved {
    /// The new cache is on disk.
    Written,
    /// A newer version's file is there and was kept.
    KeptNewer { schema: u32 },
}

/// Replaces the cache file with `bytes`, unless a newer version wrote it;
/// a corrupt or unreadable file is first moved aside.
fn replace(path: &Path, bytes: &[u8]) -> io::Result<Saved> {
    match inspect(path) {
        OnDisk::OtherSchema(schema) if schema > CACHE_SCHEMA_VERSION => {
            return Ok(Saved::KeptNewer { schema });
        }
        // A directory is not a cache file to set aside; writing fails below.
        OnDisk::Bad(error) if !path.is_dir() => {
            let aside = corrupt_path(path);
            match std::fs::rename(path, &aside) {
                Ok(()) => tracing::warn!(
                    path = %path.display(),
                    moved_to = %aside.display(),
                    %error,
                    "the TMDb cache file was unreadable; moved it aside before saving"
                ),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        _ => {}
    }
    write_atomically(path, bytes)?;
    Ok(Saved::Written)
}

/// `<path>.corrupt`.
fn corrupt_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".corrupt");
    PathBuf::from(name)
}

/// Writes `bytes` to a temporary file next to `path`, syncs it, and renames
/// it over `path`, so readers see the old file or the new one, never half.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    // Make the rename itself durable where directories can be synced.
    #[cfg(unix)]
    if let Ok(dir) = std::fs::File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}
