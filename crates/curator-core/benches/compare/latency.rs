//! The latency model: each service client is wrapped so that every HTTP
//! request it makes costs the time a real server takes, on tokio's paused
//! clock. The bench runs on a current-thread runtime started paused: sleeps
//! take no real time, and the clock jumps to the next timer when nothing
//! can run. While a real request to a fake server is on the wire, a
//! blocking task holds the clock still (tokio does not auto-advance while a
//! `spawn_blocking` task runs), so the requests themselves take no
//! simulated time and the modelled latency is all there is. Work that runs
//! concurrently overlaps on this clock exactly as it would on real servers.

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::time::Duration;

use tokio::time::Instant;

use async_trait::async_trait;
use curator_http::{ImdbId, RequestStats, TmdbId};
use llm_recs::{Recommender, SuggestionRequest, Suggestions};
use plex_client::fake::FakePlex;
use plex_client::{
    Collection, CollectionSort, MediaId, Movie, PlexApi, RatingKey, Section, SectionKey,
    ServerIdentity, ServerInfo,
};
use radarr_client::{
    AddMovie, AddOutcome, Command, MovieEditor, MovieId, QualityProfile, RadarrApi, RootFolder,
    SystemStatus, Tag,
};
use tmdb_client::{
    DEFAULT_REQUESTS_PER_SECOND, DiscoverQuery, Genre, MovieDetails, MovieSummary, Page, TmdbApi,
};

/// What one request costs on a real server.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Latency {
    /// Any Plex request.
    pub(crate) plex: Duration,
    /// A move costs this on top of `plex`...
    pub(crate) move_base: Duration,
    /// ...plus this per item of the collection (the server renumbers it).
    pub(crate) move_per_item: Duration,
    /// Any Radarr request.
    pub(crate) radarr: Duration,
    /// The Radarr movie list costs this per movie on top (it reads every
    /// movie's files and covers).
    pub(crate) radarr_list_per_movie: Duration,
    /// Any TMDb request.
    pub(crate) tmdb: Duration,
    /// One chat completion.
    pub(crate) llm: Duration,
}

impl Latency {
    /// Plex and Radarr on a home server, TMDb over the internet (100 ms), a hosted
    /// LLM. A move on a 1,250-item collection costs about 2.5 s, which puts
    /// the replaced tool's refresh of it near the hour API-NOTES reports;
    /// Radarr's list of 10,000 movies about 20 s (API-NOTES: 20-40 s).
    pub(crate) const REALISTIC: Self = Self {
        plex: Duration::from_millis(25),
        move_base: Duration::from_millis(20),
        move_per_item: Duration::from_millis(2),
        radarr: Duration::from_millis(30),
        radarr_list_per_movie: Duration::from_millis(2),
        tmdb: Duration::from_millis(100),
        llm: Duration::from_secs(4),
    };
}

/// Awaits real I/O without letting the paused clock move.
async fn on_the_wire<T>(request: impl Future<Output = T>) -> T {
    let (done, wait) = mpsc::channel::<()>();
    let hold = tokio::task::spawn_blocking(move || {
        let _ = wait.recv();
    });
    let out = request.await;
    drop(done);
    let _ = hold.await;
    out
}

/// Runs `call`, then waits `per_request` for each request the server saw.
async fn timed<T>(stats: &RequestStats, per_request: Duration, call: impl Future<Output = T>) -> T {
    let before = stats.total();
    let out = on_the_wire(call).await;
    let sent = stats.total().saturating_sub(before);
    tokio::time::sleep(per_request * sent as u32).await;
    out
}

/// A Plex client whose requests cost [`Latency`].
pub(crate) struct LatentPlex<P> {
    pub(crate) inner: P,
    pub(crate) fake: Arc<FakePlex>,
    pub(crate) latency: Latency,
}

impl<P> LatentPlex<P> {
    async fn call<T>(&self, call: impl Future<Output = T>) -> T {
        timed(self.fake.stats(), self.latency.plex, call).await
    }
}

#[async_trait]
impl<P: PlexApi> PlexApi for LatentPlex<P> {
    async fn identity(&self) -> plex_client::Result<ServerIdentity> {
        self.call(self.inner.identity()).await
    }
    async fn server_info(&self) -> plex_client::Result<ServerInfo> {
        self.call(self.inner.server_info()).await
    }
    async fn sections(&self) -> plex_client::Result<Vec<Section>> {
        self.call(self.inner.sections()).await
    }
    async fn movies(&self, section: &SectionKey) -> plex_client::Result<Vec<Movie>> {
        self.call(self.inner.movies(section)).await
    }
    async fn search_movies(
        &self,
        section: &SectionKey,
        title: &str,
        year: Option<u16>,
    ) -> plex_client::Result<Vec<Movie>> {
        self.call(self.inner.search_movies(section, title, year))
            .await
    }
    async fn item(&self, rating_key: &RatingKey) -> plex_client::Result<Option<Movie>> {
        self.call(self.inner.item(rating_key)).await
    }
    async fn items(&self, rating_keys: &[RatingKey]) -> plex_client::Result<Vec<Movie>> {
        self.call(self.inner.items(rating_keys)).await
    }
    async fn check_files(&self, rating_keys: &[RatingKey]) -> plex_client::Result<Vec<Movie>> {
        self.call(self.inner.check_files(rating_keys)).await
    }
    async fn delete_media(
        &self,
        rating_key: &RatingKey,
        media_id: MediaId,
    ) -> plex_client::Result<()> {
        self.call(self.inner.delete_media(rating_key, media_id))
            .await
    }
    async fn delete_item(&self, rating_key: &RatingKey) -> plex_client::Result<()> {
        self.call(self.inner.delete_item(rating_key)).await
    }
    async fn collections(&self, section: &SectionKey) -> plex_client::Result<Vec<Collection>> {
        self.call(self.inner.collections(section)).await
    }
    async fn find_collection(
        &self,
        section: &SectionKey,
        title: &str,
    ) -> plex_client::Result<Option<Collection>> {
        self.call(self.inner.find_collection(section, title)).await
    }
    async fn create_collection(
        &self,
        section: &SectionKey,
        title: &str,
    ) -> plex_client::Result<Collection> {
        self.call(self.inner.create_collection(section, title))
            .await
    }
    async fn create_collection_with_items(
        &self,
        section: &SectionKey,
        title: &str,
        items: &[RatingKey],
    ) -> plex_client::Result<Collection> {
        self.call(
            self.inner
                .create_collection_with_items(section, title, items),
        )
        .await
    }
    async fn add_to_collection(
        &self,
        collection: &RatingKey,
        items: &[RatingKey],
    ) -> plex_client::Result<()> {
        self.call(self.inner.add_to_collection(collection, items))
            .await
    }
    async fn remove_from_collection(
        &self,
        collection: &RatingKey,
        item: &RatingKey,
    ) -> plex_client::Result<()> {
        self.call(self.inner.remove_from_collection(collection, item))
            .await
    }
    async fn collection_children(&self, collection: &RatingKey) -> plex_client::Result<Vec<Movie>> {
        self.call(self.inner.collection_children(collection)).await
    }
    async fn move_collection_item(
        &self,
        collection: &RatingKey,
        item: &RatingKey,
        after: Option<&RatingKey>,
    ) -> plex_client::Result<()> {
        let size = self.fake.collection_custom_order(collection).len() as u32;
        let out = self
            .call(self.inner.move_collection_item(collection, item, after))
            .await;
        tokio::time::sleep(self.latency.move_base + self.latency.move_per_item * size).await;
        out
    }
    async fn set_collection_sort(
        &self,
        collection: &RatingKey,
        sort: CollectionSort,
    ) -> plex_client::Result<()> {
        self.call(self.inner.set_collection_sort(collection, sort))
            .await
    }
    async fn set_collection_summary(
        &self,
        section: &SectionKey,
        collection: &RatingKey,
        summary: &str,
    ) -> plex_client::Result<()> {
        self.call(
            self.inner
                .set_collection_summary(section, collection, summary),
        )
        .await
    }
    async fn delete_collection(&self, collection: &RatingKey) -> plex_client::Result<()> {
        self.call(self.inner.delete_collection(collection)).await
    }
    async fn upload_poster(
        &self,
        rating_key: &RatingKey,
        image: Vec<u8>,
    ) -> plex_client::Result<()> {
        self.call(self.inner.upload_poster(rating_key, image)).await
    }
}

/// A Radarr client whose requests cost [`Latency`].
#[derive(Debug)]
pub(crate) struct LatentRadarr<R> {
    pub(crate) inner: R,
    pub(crate) stats: RequestStats,
    pub(crate) latency: Latency,
}

impl<R> LatentRadarr<R> {
    async fn call<T>(&self, call: impl Future<Output = T>) -> T {
        timed(&self.stats, self.latency.radarr, call).await
    }
}

#[async_trait]
impl<R: RadarrApi> RadarrApi for LatentRadarr<R> {
    async fn system_status(&self) -> radarr_client::Result<SystemStatus> {
        self.call(self.inner.system_status()).await
    }
    async fn movies(&self) -> radarr_client::Result<Vec<radarr_client::Movie>> {
        let out = self.call(self.inner.movies()).await;
        if let Ok(movies) = &out {
            tokio::time::sleep(self.latency.radarr_list_per_movie * movies.len() as u32).await;
        }
        out
    }
    async fn movie(&self, id: MovieId) -> radarr_client::Result<radarr_client::Movie> {
        self.call(self.inner.movie(id)).await
    }
    async fn movie_by_tmdb(
        &self,
        tmdb_id: TmdbId,
    ) -> radarr_client::Result<Option<radarr_client::Movie>> {
        self.call(self.inner.movie_by_tmdb(tmdb_id)).await
    }
    async fn lookup_tmdb(&self, tmdb_id: TmdbId) -> radarr_client::Result<radarr_client::Movie> {
        self.call(self.inner.lookup_tmdb(tmdb_id)).await
    }
    async fn add_movie(&self, movie: &AddMovie) -> radarr_client::Result<AddOutcome> {
        self.call(self.inner.add_movie(movie)).await
    }
    async fn update_movie(
        &self,
        movie: &radarr_client::Movie,
    ) -> radarr_client::Result<radarr_client::Movie> {
        self.call(self.inner.update_movie(movie)).await
    }
    async fn edit_movies(&self, edit: &MovieEditor) -> radarr_client::Result<()> {
        self.call(self.inner.edit_movies(edit)).await
    }
    async fn tags(&self) -> radarr_client::Result<Vec<Tag>> {
        self.call(self.inner.tags()).await
    }
    async fn create_tag(&self, label: &str) -> radarr_client::Result<Tag> {
        self.call(self.inner.create_tag(label)).await
    }
    async fn ensure_tags(&self, labels: &[&str]) -> radarr_client::Result<Vec<Tag>> {
        self.call(self.inner.ensure_tags(labels)).await
    }
    async fn root_folders(&self) -> radarr_client::Result<Vec<RootFolder>> {
        self.call(self.inner.root_folders()).await
    }
    async fn quality_profiles(&self) -> radarr_client::Result<Vec<QualityProfile>> {
        self.call(self.inner.quality_profiles()).await
    }
    async fn search_movies(&self, ids: &[MovieId]) -> radarr_client::Result<Command> {
        self.call(self.inner.search_movies(ids)).await
    }
}

/// A TMDb client whose requests cost [`Latency`], with the client-side
/// rate limit of the real client ([`DEFAULT_REQUESTS_PER_SECOND`]) kept
/// here on the paused clock (wrap a client without a limit of its own).
/// Each call is one request, so concurrent calls are timed on their own.
pub(crate) struct LatentTmdb<T> {
    inner: T,
    latency: Latency,
    next_free: Mutex<Option<Instant>>,
}

impl<T> LatentTmdb<T> {
    pub(crate) fn new(inner: T, latency: Latency) -> Self {
        Self {
            inner,
            latency,
            next_free: Mutex::new(None),
        }
    }

    async fn call<O>(&self, call: impl Future<Output = O>) -> O {
        let gap = Duration::from_secs(1) / DEFAULT_REQUESTS_PER_SECOND;
        let slot = {
            let mut next = self
                .next_free
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let now = Instant::now();
            let slot = next.map_or(now, |n| n.max(now));
            *next = Some(slot + gap);
            slot
        };
        tokio::time::sleep_until(slot).await;
        let out = on_the_wire(call).await;
        tokio::time::sleep(self.latency.tmdb).await;
        out
    }
}

#[async_trait]
impl<T: TmdbApi> TmdbApi for LatentTmdb<T> {
    async fn search_movies(
        &self,
        query: &str,
        year: Option<i32>,
        page: u32,
    ) -> tmdb_client::Result<Page<MovieSummary>> {
        self.call(self.inner.search_movies(query, year, page)).await
    }
    async fn movie(&self, id: TmdbId) -> tmdb_client::Result<Option<MovieDetails>> {
        self.call(self.inner.movie(id)).await
    }
    async fn recommendations(
        &self,
        id: TmdbId,
        page: u32,
    ) -> tmdb_client::Result<Page<MovieSummary>> {
        self.call(self.inner.recommendations(id, page)).await
    }
    async fn similar(&self, id: TmdbId, page: u32) -> tmdb_client::Result<Page<MovieSummary>> {
        self.call(self.inner.similar(id, page)).await
    }
    async fn discover(&self, query: &DiscoverQuery) -> tmdb_client::Result<Page<MovieSummary>> {
        self.call(self.inner.discover(query)).await
    }
    async fn find_by_imdb(&self, imdb_id: &ImdbId) -> tmdb_client::Result<Option<MovieSummary>> {
        self.call(self.inner.find_by_imdb(imdb_id)).await
    }
    async fn genres(&self) -> tmdb_client::Result<Vec<Genre>> {
        self.call(self.inner.genres()).await
    }
}

/// An LLM client whose completions cost [`Latency`].
pub(crate) struct LatentLlm<L> {
    pub(crate) inner: L,
    pub(crate) latency: Latency,
}

#[async_trait]
impl<L: Recommender> Recommender for LatentLlm<L> {
    async fn suggest(&self, request: &SuggestionRequest) -> llm_recs::Result<Suggestions> {
        let out = on_the_wire(self.inner.suggest(request)).await;
        tokio::time::sleep(self.latency.llm).await;
        out
    }
}
