//! Hand-written in-memory implementations of the client traits, with call
//! counters, for scenario tests.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use curator_core::{DataDir, RadarrSettings, RunContext, Services, Settings};
use curator_http::{ImdbId, RequestStats, TmdbId};
use llm_recs::{Recommender, Suggestion, SuggestionKind, SuggestionRequest, Suggestions};
use plex_client::{
    Collection, CollectionSort, MediaId, MediaPart, MediaVersion, Movie, PlexApi, RatingKey,
    Section, SectionKey, SectionKind, ServerIdentity, ServerInfo,
};
use radarr_client::{
    AddMovie, AddOutcome, Command, MovieEditor, MovieId, QualityProfile, QualityProfileId,
    RadarrApi, RootFolder, SystemStatus, Tag, TagId,
};
use tmdb_client::{DiscoverQuery, Genre, GenreId, MovieDetails, MovieSummary, Page, TmdbApi};

/// Watches which calls are in flight together. Each probed call enters,
/// yields to the runtime a few times (so whatever runs concurrently gets
/// to start), notes who else is in flight, and leaves. On a current-thread
/// runtime this is deterministic: calls awaited one after another never
/// meet.
#[derive(Debug, Default)]
pub(crate) struct Probe {
    active: Mutex<HashMap<&'static str, usize>>,
    seen: Mutex<Vec<HashMap<&'static str, usize>>>,
}

impl Probe {
    pub(crate) async fn visit(&self, label: &'static str, yields: usize) {
        *self.active.lock().unwrap().entry(label).or_default() += 1;
        for _ in 0..yields {
            tokio::task::yield_now().await;
            let now = self.active.lock().unwrap().clone();
            self.seen.lock().unwrap().push(now);
        }
        *self.active.lock().unwrap().get_mut(label).unwrap() -= 1;
    }

    /// True when calls with all these labels were once in flight together.
    pub(crate) fn met(&self, labels: &[&str]) -> bool {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .any(|s| labels.iter().all(|l| s.get(l).is_some_and(|n| *n > 0)))
    }

    /// The most calls with this label in flight at once.
    pub(crate) fn most(&self, label: &str) -> usize {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter_map(|s| s.get(label).copied())
            .max()
            .unwrap_or(0)
    }
}

pub(crate) fn plex_movie(rk: &str, title: &str, year: u16, tmdb: Option<u32>) -> Movie {
    Movie {
        rating_key: RatingKey(rk.to_owned()),
        title: title.to_owned(),
        original_title: None,
        year: Some(year),
        added_at: Some(1_700_000_000),
        guid: format!("plex://movie/{rk}"),
        tmdb_id: tmdb.map(TmdbId),
        imdb_id: None,
        edition: None,
        section: None,
        media: vec![MediaVersion {
            id: MediaId(rk.len() as u64 * 1000 + u64::from(year)),
            video_resolution: Some("1080".into()),
            bitrate: Some(8000),
            width: Some(1920),
            height: Some(1080),
            video_codec: Some("h264".into()),
            audio_codec: Some("aac".into()),
            container: Some("mkv".into()),
            duration: Some(7_200_000),
            optimized: false,
            parts: vec![MediaPart {
                id: 1,
                file: format!("/movies/{title} ({year})/{title}.mkv"),
                size: 8_000_000_000,
                duration: Some(7_200_000),
                available: None,
            }],
        }],
    }
}

// ---------------------------------------------------------------- Plex

#[derive(Debug, Default)]
pub(crate) struct MemPlex {
    pub(crate) movies: Mutex<Vec<Movie>>,
    pub(crate) deny_deletion: bool,
    pub(crate) collections: Mutex<Vec<(Collection, Vec<RatingKey>)>>,
    pub(crate) calls: RequestStats,
    pub(crate) probe: Arc<Probe>,
    /// The library listing answers 401.
    pub(crate) refuse_library: bool,
}

impl MemPlex {
    pub(crate) fn new(movies: Vec<Movie>) -> Self {
        Self {
            movies: Mutex::new(movies),
            ..Self::default()
        }
    }
}

#[async_trait]
impl PlexApi for MemPlex {
    async fn identity(&self) -> plex_client::Result<ServerIdentity> {
        self.calls.record("plex.identity");
        Ok(ServerIdentity {
            machine_identifier: "mem".into(),
            version: "1.41.0".into(),
        })
    }
    async fn server_info(&self) -> plex_client::Result<ServerInfo> {
        self.calls.record("plex.server_info");
        Ok(ServerInfo {
            machine_identifier: "mem".into(),
            version: "1.41.0".into(),
            allow_media_deletion: !self.deny_deletion,
            friendly_name: Some("mem".into()),
        })
    }
    async fn sections(&self) -> plex_client::Result<Vec<Section>> {
        self.calls.record("plex.sections");
        Ok(vec![Section {
            key: SectionKey("1".into()),
            kind: SectionKind::Movie,
            title: "Movies".into(),
            updated_at: None,
            content_changed_at: None,
            scanned_at: None,
        }])
    }
    async fn movies(&self, _section: &SectionKey) -> plex_client::Result<Vec<Movie>> {
        self.calls.record("plex.movies");
        self.probe.visit("plex.movies", 3).await;
        if self.refuse_library {
            return Err(plex_client::Error::Unauthorized { op: "plex.movies" });
        }
        Ok(self.movies.lock().unwrap().clone())
    }
    async fn search_movies(
        &self,
        _section: &SectionKey,
        title: &str,
        _year: Option<u16>,
    ) -> plex_client::Result<Vec<Movie>> {
        self.calls.record("plex.search_movies");
        let movies = self.movies.lock().unwrap();
        Ok(movies
            .iter()
            .filter(|m| m.title.contains(title))
            .cloned()
            .collect())
    }
    async fn item(&self, rating_key: &RatingKey) -> plex_client::Result<Option<Movie>> {
        self.calls.record("plex.item");
        let movies = self.movies.lock().unwrap();
        Ok(movies.iter().find(|m| &m.rating_key == rating_key).cloned())
    }
    async fn check_files(&self, rating_keys: &[RatingKey]) -> plex_client::Result<Vec<Movie>> {
        self.calls.record("plex.check_files");
        let movies = self.movies.lock().unwrap();
        Ok(movies
            .iter()
            .filter(|m| rating_keys.contains(&m.rating_key))
            .cloned()
            .map(|mut m| {
                // The files are where Plex says, unless a test said otherwise.
                for part in m.media.iter_mut().flat_map(|v| v.parts.iter_mut()) {
                    part.available.get_or_insert(true);
                }
                m
            })
            .collect())
    }
    async fn delete_item(&self, rating_key: &RatingKey) -> plex_client::Result<()> {
        self.calls.record("plex.delete_item");
        self.movies
            .lock()
            .unwrap()
            .retain(|m| &m.rating_key != rating_key);
        Ok(())
    }
    async fn delete_media(
        &self,
        rating_key: &RatingKey,
        media_id: MediaId,
    ) -> plex_client::Result<()> {
        self.calls.record("plex.delete_media");
        let mut movies = self.movies.lock().unwrap();
        if let Some(m) = movies.iter_mut().find(|m| &m.rating_key == rating_key) {
            m.media.retain(|v| v.id != media_id);
        }
        Ok(())
    }
    async fn collections(&self, _section: &SectionKey) -> plex_client::Result<Vec<Collection>> {
        self.calls.record("plex.collections");
        Ok(self
            .collections
            .lock()
            .unwrap()
            .iter()
            .map(|(c, _)| c.clone())
            .collect())
    }
    async fn create_collection(
        &self,
        _section: &SectionKey,
        title: &str,
    ) -> plex_client::Result<Collection> {
        self.calls.record("plex.create_collection");
        let mut cols = self.collections.lock().unwrap();
        let c = Collection {
            rating_key: RatingKey(format!("c{}", cols.len() + 1)),
            title: title.into(),
            child_count: 0,
            collection_sort: Some(CollectionSort::ReleaseDate),
            smart: false,
            summary: None,
        };
        cols.push((c.clone(), Vec::new()));
        Ok(c)
    }
    async fn add_to_collection(
        &self,
        collection: &RatingKey,
        items: &[RatingKey],
    ) -> plex_client::Result<()> {
        self.calls.record("plex.add_items");
        let mut cols = self.collections.lock().unwrap();
        let (_, members) = cols
            .iter_mut()
            .find(|(c, _)| &c.rating_key == collection)
            .unwrap();
        for i in items {
            if !members.contains(i) {
                members.push(i.clone());
            }
        }
        Ok(())
    }
    async fn remove_from_collection(
        &self,
        collection: &RatingKey,
        item: &RatingKey,
    ) -> plex_client::Result<()> {
        self.calls.record("plex.remove_item");
        let mut cols = self.collections.lock().unwrap();
        let (_, members) = cols
            .iter_mut()
            .find(|(c, _)| &c.rating_key == collection)
            .unwrap();
        members.retain(|m| m != item);
        Ok(())
    }
    async fn collection_children(&self, collection: &RatingKey) -> plex_client::Result<Vec<Movie>> {
        self.calls.record("plex.collection_children");
        let cols = self.collections.lock().unwrap();
        let movies = self.movies.lock().unwrap();
        let (_, members) = cols
            .iter()
            .find(|(c, _)| &c.rating_key == collection)
            .unwrap();
        Ok(members
            .iter()
            .filter_map(|k| movies.iter().find(|m| &m.rating_key == k).cloned())
            .collect())
    }
    async fn move_collection_item(
        &self,
        collection: &RatingKey,
        item: &RatingKey,
        after: Option<&RatingKey>,
    ) -> plex_client::Result<()> {
        self.calls.record("plex.move_item");
        let mut cols = self.collections.lock().unwrap();
        let (_, members) = cols
            .iter_mut()
            .find(|(c, _)| &c.rating_key == collection)
            .unwrap();
        members.retain(|m| m != item);
        let at = match after {
            None => 0,
            Some(a) => members
                .iter()
                .position(|m| m == a)
                .map_or(members.len(), |p| p + 1),
        };
        members.insert(at, item.clone());
        Ok(())
    }
    async fn set_collection_sort(
        &self,
        collection: &RatingKey,
        sort: CollectionSort,
    ) -> plex_client::Result<()> {
        self.calls.record("plex.set_collection_sort");
        let mut cols = self.collections.lock().unwrap();
        if let Some((c, _)) = cols.iter_mut().find(|(c, _)| &c.rating_key == collection) {
            c.collection_sort = Some(sort);
        }
        Ok(())
    }
    async fn set_collection_summary(
        &self,
        _s: &SectionKey,
        _c: &RatingKey,
        _summary: &str,
    ) -> plex_client::Result<()> {
        self.calls.record("plex.set_collection_summary");
        Ok(())
    }
    async fn delete_collection(&self, collection: &RatingKey) -> plex_client::Result<()> {
        self.calls.record("plex.delete_collection");
        self.collections
            .lock()
            .unwrap()
            .retain(|(c, _)| &c.rating_key != collection);
        Ok(())
    }
    async fn upload_poster(&self, _rk: &RatingKey, _image: Vec<u8>) -> plex_client::Result<()> {
        self.calls.record("plex.upload_poster");
        Ok(())
    }
}

// ---------------------------------------------------------------- Radarr

#[derive(Debug, Default)]
pub(crate) struct MemRadarr {
    pub(crate) movies: Mutex<Vec<radarr_client::Movie>>,
    pub(crate) tags: Mutex<Vec<Tag>>,
    pub(crate) calls: RequestStats,
    pub(crate) fail_adds: Mutex<Vec<TmdbId>>,
    pub(crate) probe: Arc<Probe>,
}

impl MemRadarr {
    pub(crate) fn movie(&self, tmdb: u32) -> Option<radarr_client::Movie> {
        self.movies
            .lock()
            .unwrap()
            .iter()
            .find(|m| m.tmdb_id == TmdbId(tmdb))
            .cloned()
    }
    pub(crate) fn with_movie(self, tmdb: u32, title: &str, monitored: bool) -> Self {
        let mut movie = radarr_client::Movie::new(
            MovieId(self.movies.lock().unwrap().len() as i32 + 1),
            TmdbId(tmdb),
            title,
            2000,
        );
        movie.monitored = monitored;
        self.movies.lock().unwrap().push(movie);
        self
    }
    pub(crate) fn tag_labels(&self, tmdb: u32) -> Vec<String> {
        let tags = self.tags.lock().unwrap();
        self.movie(tmdb)
            .map(|m| {
                m.tags
                    .iter()
                    .filter_map(|id| tags.iter().find(|t| t.id == *id).map(|t| t.label.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[async_trait]
impl RadarrApi for MemRadarr {
    async fn system_status(&self) -> radarr_client::Result<SystemStatus> {
        self.calls.record("radarr.system_status");
        Ok(SystemStatus::new("Radarr", "5.0"))
    }
    async fn movies(&self) -> radarr_client::Result<Vec<radarr_client::Movie>> {
        self.calls.record("radarr.movies");
        self.probe.visit("radarr.movies", 3).await;
        Ok(self.movies.lock().unwrap().clone())
    }
    async fn movie(&self, id: MovieId) -> radarr_client::Result<radarr_client::Movie> {
        self.calls.record("radarr.movie");
        Ok(self
            .movies
            .lock()
            .unwrap()
            .iter()
            .find(|m| m.id == id)
            .cloned()
            .unwrap())
    }
    async fn movie_by_tmdb(
        &self,
        tmdb_id: TmdbId,
    ) -> radarr_client::Result<Option<radarr_client::Movie>> {
        self.calls.record("radarr.movie_by_tmdb");
        Ok(self.movie(tmdb_id.0))
    }
    async fn lookup_tmdb(&self, tmdb_id: TmdbId) -> radarr_client::Result<radarr_client::Movie> {
        self.calls.record("radarr.lookup_tmdb");
        Ok(radarr_client::Movie::new(MovieId(0), tmdb_id, "x", 2000))
    }
    async fn add_movie(&self, add: &AddMovie) -> radarr_client::Result<AddOutcome> {
        self.calls.record("radarr.add_movie");
        if self.fail_adds.lock().unwrap().contains(&add.tmdb_id) {
            return Err(radarr_client::Error::Config {
                message: "simulated failure".into(),
            });
        }
        if self.movie(add.tmdb_id.0).is_some() {
            return Ok(AddOutcome::AlreadyExists);
        }
        let mut movies = self.movies.lock().unwrap();
        let mut movie = radarr_client::Movie::new(
            MovieId(movies.len() as i32 + 1),
            add.tmdb_id,
            &add.title,
            add.year,
        );
        movie.tags = add.tags.clone();
        movie.monitored = add.monitored;
        movie.root_folder_path = Some(add.root_folder_path.clone());
        movies.push(movie.clone());
        Ok(AddOutcome::Added(Box::new(movie)))
    }
    async fn update_movie(
        &self,
        movie: &radarr_client::Movie,
    ) -> radarr_client::Result<radarr_client::Movie> {
        self.calls.record("radarr.update_movie");
        Ok(movie.clone())
    }
    async fn edit_movies(&self, edit: &MovieEditor) -> radarr_client::Result<()> {
        self.calls.record("radarr.edit_movies");
        let mut movies = self.movies.lock().unwrap();
        for m in movies.iter_mut().filter(|m| edit.movie_ids.contains(&m.id)) {
            if let Some(monitored) = edit.monitored {
                m.monitored = monitored;
            }
            if let Some(tags) = &edit.tags {
                for t in tags {
                    if !m.tags.contains(t) {
                        m.tags.push(*t);
                    }
                }
            }
        }
        Ok(())
    }
    async fn tags(&self) -> radarr_client::Result<Vec<Tag>> {
        self.calls.record("radarr.tags");
        Ok(self.tags.lock().unwrap().clone())
    }
    async fn create_tag(&self, label: &str) -> radarr_client::Result<Tag> {
        self.calls.record("radarr.create_tag");
        let mut tags = self.tags.lock().unwrap();
        let tag = Tag::new(TagId(tags.len() as i32 + 1), label);
        tags.push(tag.clone());
        Ok(tag)
    }
    async fn root_folders(&self) -> radarr_client::Result<Vec<RootFolder>> {
        self.calls.record("radarr.root_folders");
        Ok(vec![RootFolder::new(1, "/movies")])
    }
    async fn quality_profiles(&self) -> radarr_client::Result<Vec<QualityProfile>> {
        self.calls.record("radarr.quality_profiles");
        Ok(vec![QualityProfile::new(QualityProfileId(1), "HD-1080p")])
    }
    async fn search_movies(&self, _ids: &[MovieId]) -> radarr_client::Result<Command> {
        self.calls.record("radarr.search_movies");
        Ok(Command::new(1, "MoviesSearch", "queued"))
    }
}

// ---------------------------------------------------------------- TMDb

#[derive(Debug, Clone)]
pub(crate) struct CatalogMovie {
    pub(crate) id: u32,
    pub(crate) title: &'static str,
    pub(crate) year: i32,
    pub(crate) genres: Vec<u32>,
    pub(crate) votes: u32,
    pub(crate) average: f64,
    pub(crate) popularity: f64,
    pub(crate) recommendations: Vec<u32>,
    pub(crate) similar: Vec<u32>,
}

pub(crate) fn cm(id: u32, title: &'static str, year: i32, genres: &[u32]) -> CatalogMovie {
    CatalogMovie {
        id,
        title,
        year,
        genres: genres.to_vec(),
        votes: 1000,
        average: 7.0,
        popularity: f64::from(id % 97),
        recommendations: Vec::new(),
        similar: Vec::new(),
    }
}

#[derive(Debug, Default)]
pub(crate) struct MemTmdb {
    pub(crate) catalog: Vec<CatalogMovie>,
    pub(crate) calls: RequestStats,
    pub(crate) probe: Arc<Probe>,
}

impl MemTmdb {
    fn summary(m: &CatalogMovie) -> MovieSummary {
        let mut s = MovieSummary::new(TmdbId(m.id), m.title, Some(m.year));
        s.genre_ids = m.genres.iter().map(|g| GenreId(*g)).collect();
        s.vote_count = m.votes;
        s.vote_average = m.average;
        s.popularity = m.popularity;
        s
    }
    fn page(results: Vec<MovieSummary>) -> Page<MovieSummary> {
        let n = results.len() as u32;
        Page {
            page: 1,
            results,
            total_pages: 1,
            total_results: n,
        }
    }
    fn by_id(&self, id: TmdbId) -> Option<&CatalogMovie> {
        self.catalog.iter().find(|m| m.id == id.0)
    }
}

#[async_trait]
impl TmdbApi for MemTmdb {
    async fn search_movies(
        &self,
        query: &str,
        year: Option<i32>,
        _page: u32,
    ) -> tmdb_client::Result<Page<MovieSummary>> {
        self.calls.record("tmdb.search_movies");
        self.probe.visit("tmdb.search_movies", 1).await;
        // TMDb's search ignores case and accents.
        let q = curator_core::normalize_title(query);
        let mut hits: Vec<_> = self
            .catalog
            .iter()
            .filter(|m| curator_core::normalize_title(m.title).contains(&q))
            .filter(|m| year.is_none_or(|y| m.year == y))
            .map(Self::summary)
            .collect();
        hits.sort_by(|a, b| b.popularity.total_cmp(&a.popularity));
        Ok(Self::page(hits))
    }
    async fn movie(&self, id: TmdbId) -> tmdb_client::Result<Option<MovieDetails>> {
        self.calls.record("tmdb.movie");
        Ok(self.by_id(id).map(|m| {
            let s = Self::summary(m);
            MovieDetails {
                id: s.id,
                title: s.title,
                original_title: s.original_title,
                original_language: Some("en".into()),
                release_date: s.release_date,
                year: s.year,
                genres: m
                    .genres
                    .iter()
                    .map(|g| Genre {
                        id: GenreId(*g),
                        name: format!("genre {g}"),
                    })
                    .collect(),
                vote_average: s.vote_average,
                vote_count: s.vote_count,
                popularity: s.popularity,
                overview: "An overview.".into(),
                runtime: Some(120),
                imdb_id: ImdbId::parse(&format!("tt{:07}", m.id)),
                poster_path: None,
            }
        }))
    }
    async fn recommendations(
        &self,
        id: TmdbId,
        _page: u32,
    ) -> tmdb_client::Result<Page<MovieSummary>> {
        self.calls.record("tmdb.recommendations");
        let ids = self
            .by_id(id)
            .map(|m| m.recommendations.clone())
            .unwrap_or_default();
        Ok(Self::page(
            ids.iter()
                .filter_map(|i| self.by_id(TmdbId(*i)))
                .map(Self::summary)
                .collect(),
        ))
    }
    async fn similar(&self, id: TmdbId, _page: u32) -> tmdb_client::Result<Page<MovieSummary>> {
        self.calls.record("tmdb.similar");
        let ids = self
            .by_id(id)
            .map(|m| m.similar.clone())
            .unwrap_or_default();
        Ok(Self::page(
            ids.iter()
                .filter_map(|i| self.by_id(TmdbId(*i)))
                .map(Self::summary)
                .collect(),
        ))
    }
    async fn discover(&self, query: &DiscoverQuery) -> tmdb_client::Result<Page<MovieSummary>> {
        self.calls.record("tmdb.discover");
        let mut hits: Vec<_> = self
            .catalog
            .iter()
            .filter(|m| {
                query.with_genres.is_empty()
                    || m.genres
                        .iter()
                        .any(|g| query.with_genres.contains(&GenreId(*g)))
            })
            .filter(|m| query.vote_count_gte.is_none_or(|v| m.votes >= v))
            .map(Self::summary)
            .collect();
        hits.sort_by(|a, b| b.vote_average.total_cmp(&a.vote_average));
        Ok(Self::page(hits))
    }
    async fn find_by_imdb(&self, _imdb_id: &ImdbId) -> tmdb_client::Result<Option<MovieSummary>> {
        self.calls.record("tmdb.find_by_imdb");
        Ok(None)
    }
    async fn genres(&self) -> tmdb_client::Result<Vec<Genre>> {
        self.calls.record("tmdb.genres");
        Ok(Vec::new())
    }
}

// ---------------------------------------------------------------- LLM

#[derive(Debug, Default)]
pub(crate) struct MemLlm {
    pub(crate) answers: HashMap<SuggestionKind, Vec<(&'static str, Option<i32>)>>,
    pub(crate) refuse: bool,
    pub(crate) requests: Mutex<Vec<SuggestionRequest>>,
    pub(crate) probe: Arc<Probe>,
}

#[async_trait]
impl Recommender for MemLlm {
    async fn suggest(&self, request: &SuggestionRequest) -> llm_recs::Result<Suggestions> {
        self.requests.lock().unwrap().push(request.clone());
        self.probe.visit("llm", 1).await;
        if self.refuse {
            return Err(llm_recs::Error::Refused {
                message: "I can't help with that".into(),
            });
        }
        let items = self
            .answers
            .get(&request.kind)
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .take(request.count)
            .map(|(t, y)| Suggestion::new(t, y))
            .collect();
        Ok(Suggestions::new(items))
    }
}

// ---------------------------------------------------------------- wiring

pub(crate) struct World {
    pub(crate) plex: Arc<MemPlex>,
    pub(crate) radarr: Arc<MemRadarr>,
    pub(crate) tmdb: Arc<MemTmdb>,
    pub(crate) llm: Arc<MemLlm>,
    pub(crate) dir: tempfile::TempDir,
}

impl World {
    pub(crate) fn new(plex: MemPlex, radarr: MemRadarr, tmdb: MemTmdb, llm: MemLlm) -> Self {
        Self {
            plex: Arc::new(plex),
            radarr: Arc::new(radarr),
            tmdb: Arc::new(tmdb),
            llm: Arc::new(llm),
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub(crate) fn settings() -> Settings {
        Settings {
            radarr: Some(RadarrSettings {
                root_folder: "/movies".into(),
                quality_profile_id: QualityProfileId(1),
                minimum_availability: Default::default(),
                search_on_add: true,
            }),
            ..Settings::default()
        }
    }

    pub(crate) fn context(&self, settings: Settings, today: time::Date) -> RunContext {
        let services = Services {
            plex: Some(self.plex.clone()),
            radarr: Some(self.radarr.clone()),
            tmdb: Some(self.tmdb.clone()),
            llm: Some(self.llm.clone()),
            sonarr: None,
            tmdb_tv: None,
            seerr: None,
        };
        RunContext::new(services, settings, DataDir::new(self.dir.path()), today)
    }

    pub(crate) fn data(&self) -> DataDir {
        DataDir::new(self.dir.path())
    }
}
