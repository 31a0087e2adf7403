//! The [`TmdbApi`] trait: what curator asks of TMDb.

use std::sync::Arc;

use async_trait::async_trait;
use curator_http::{ImdbId, TmdbId};

use crate::error::Result;
use crate::model::{DiscoverQuery, Genre, MovieDetails, MovieSummary, Page};

/// Operation names, used for request counters, errors and the fake server's
/// counters alike.
pub mod ops {
    /// `GET /search/movie`.
    pub const SEARCH_MOVIES: &str = "tmdb.search_movies";
    /// `GET /movie/{id}`.
    pub const MOVIE: &str = "tmdb.movie";
    /// `GET /movie/{id}/recommendations`.
    pub const RECOMMENDATIONS: &str = "tmdb.recommendations";
    /// `GET /movie/{id}/similar`.
    pub const SIMILAR: &str = "tmdb.similar";
    /// `GET /discover/movie`.
    pub const DISCOVER: &str = "tmdb.discover";
    /// `GET /find/{imdb_id}`.
    pub const FIND_BY_IMDB: &str = "tmdb.find_by_imdb";
    /// `GET /genre/movie/list`.
    pub const GENRES: &str = "tmdb.genres";
}

/// The Movie Database, as curator uses it.
///
/// Implemented by [`TmdbClient`](crate::TmdbClient) (HTTP),
/// [`CachedTmdb`](crate::CachedTmdb) (a file cache around any other
/// implementation), and by hand-written fakes in tests. Object safe: hold it
/// as `Arc<dyn TmdbApi>`.
#[async_trait]
pub trait TmdbApi: Send + Sync {
    /// Searches movies by title (`GET /search/movie`), optionally only those
    /// first released in `year` (`primary_release_year`: TMDb's `year`
    /// matches any release date, so a namesake's re-release would match).
    /// `page` starts at 1.
    ///
    /// # Errors
    /// Transport, authentication and server errors.
    async fn search_movies(
        &self,
        query: &str,
        year: Option<i32>,
        page: u32,
    ) -> Result<Page<MovieSummary>>;

    /// A movie's details with its IMDb id; `None` when TMDb has no such id.
    ///
    /// # Errors
    /// Transport, authentication and server errors.
    async fn movie(&self, id: TmdbId) -> Result<Option<MovieDetails>>;

    /// TMDb's recommendations for a movie. `page` starts at 1.
    ///
    /// # Errors
    /// [`Error::NotFound`](crate::Error::NotFound) for an unknown movie, and
    /// transport, authentication and server errors.
    async fn recommendations(&self, id: TmdbId, page: u32) -> Result<Page<MovieSummary>>;

    /// Movies TMDb finds similar (by genres and keywords). `page` starts at 1.
    ///
    /// # Errors
    /// [`Error::NotFound`](crate::Error::NotFound) for an unknown movie, and
    /// transport, authentication and server errors.
    async fn similar(&self, id: TmdbId, page: u32) -> Result<Page<MovieSummary>>;

    /// Movies matching filters (`GET /discover/movie`).
    ///
    /// # Errors
    /// Transport, authentication and server errors.
    async fn discover(&self, query: &DiscoverQuery) -> Result<Page<MovieSummary>>;

    /// The movie with this IMDb id, if TMDb knows one.
    ///
    /// # Errors
    /// Transport, authentication and server errors.
    async fn find_by_imdb(&self, imdb_id: &ImdbId) -> Result<Option<MovieSummary>>;

    /// Every movie genre.
    ///
    /// # Errors
    /// Transport, authentication and server errors.
    async fn genres(&self) -> Result<Vec<Genre>>;

    /// The `language` answers come in, when one is set: titles and
    /// overviews differ by language, so a cache keys on it.
    fn language(&self) -> Option<&str> {
        None
    }
}

macro_rules! forward_tmdb_api {
    ($($ty:ty),*) => {$(
        #[async_trait]
        impl<T: TmdbApi + ?Sized> TmdbApi for $ty {
            async fn search_movies(
                &self,
                query: &str,
                year: Option<i32>,
                page: u32,
            ) -> Result<Page<MovieSummary>> {
                (**self).search_movies(query, year, page).await
            }
            async fn movie(&self, id: TmdbId) -> Result<Option<MovieDetails>> {
                (**self).movie(id).await
            }
            async fn recommendations(&self, id: TmdbId, page: u32) -> Result<Page<MovieSummary>> {
                (**self).recommendations(id, page).await
            }
            async fn similar(&self, id: TmdbId, page: u32) -> Result<Page<MovieSummary>> {
                (**self).similar(id, page).await
            }
            async fn discover(&self, query: &DiscoverQuery) -> Result<Page<MovieSummary>> {
                (**self).discover(query).await
            }
            async fn find_by_imdb(&self, imdb_id: &ImdbId) -> Result<Option<MovieSummary>> {
                (**self).find_by_imdb(imdb_id).await
            }
            async fn genres(&self) -> Result<Vec<Genre>> {
                (**self).genres().await
            }
            fn language(&self) -> Option<&str> {
                (**self).language()
            }
        }
    )*};
}

// So `CachedTmdb<Arc<dyn TmdbApi>>` and friends work without wrappers.
forward_tmdb_api!(Arc<T>, Box<T>, &T);
