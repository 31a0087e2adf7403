//! The [`TmdbApi`] and [`TmdbTvApi`] traits: what curator asks of TMDb
//! about movies and shows.

use std::sync::Arc;

use async_trait::async_trait;
use curator_http::{ImageFile, ImdbId, TmdbId, TvdbId};

use crate::error::Result;
use crate::model::{
    DiscoverQuery, Genre, MovieDetails, MovieSummary, Page, PosterSize, ShowDetails, ShowSummary,
};

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
    /// `GET /find/{imdb_id}?external_source=imdb_id`, for a movie or a show.
    pub const FIND_BY_IMDB: &str = "tmdb.find_by_imdb";
    /// `GET /genre/movie/list`.
    pub const GENRES: &str = "tmdb.genres";
    /// `GET /search/tv`.
    pub const SEARCH_SHOWS: &str = "tmdb.search_shows";
    /// `GET /tv/{id}`.
    pub const SHOW: &str = "tmdb.show";
    /// `GET /tv/{id}/recommendations`.
    pub const SHOW_RECOMMENDATIONS: &str = "tmdb.show_recommendations";
    /// `GET /tv/{id}/similar`.
    pub const SIMILAR_SHOWS: &str = "tmdb.similar_shows";
    /// `GET /discover/tv`.
    pub const DISCOVER_SHOWS: &str = "tmdb.discover_shows";
    /// `GET /find/{tvdb_id}?external_source=tvdb_id`.
    pub const FIND_BY_TVDB: &str = "tmdb.find_by_tvdb";
    /// `GET /genre/tv/list`.
    pub const TV_GENRES: &str = "tmdb.tv_genres";
    /// `GET {image base}/{size}{poster_path}` on TMDb's image host.
    pub const POSTER: &str = "tmdb.poster";
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

    /// A poster from TMDb's image host (`https://image.tmdb.org/t/p/{size}{poster_path}`,
    /// TMDb's "Image Basics"), sent without the credential (the image host
    /// needs none). `poster_path` is a details' `poster_path` (one file
    /// name after a `/`); `None` when the host has no such image (404).
    /// The default knows no posters and answers `None`.
    ///
    /// # Errors
    /// [`Error::Config`](crate::Error::Config) for a `poster_path` that is
    /// not one file name, and transport and server errors.
    async fn poster(&self, poster_path: &str, size: PosterSize) -> Result<Option<ImageFile>> {
        let _ = (poster_path, size);
        Ok(None)
    }
}

/// TV shows on The Movie Database, as curator uses them: the movie
/// methods' counterparts for shows.
///
/// A trait of its own, with [`TmdbApi`] as its supertrait, rather than more
/// methods on [`TmdbApi`]: the hand-written movie fakes and wrappers in
/// other crates keep compiling unchanged, and a wrapper that forwards only
/// movies cannot pass for one that serves shows too (default methods
/// would make it answer "not supported" at run time instead). What needs
/// both holds an `Arc<dyn TmdbTvApi>`, which also coerces to an
/// `Arc<dyn TmdbApi>`. Implemented by [`TmdbClient`](crate::TmdbClient) and
/// [`CachedTmdb`](crate::CachedTmdb).
///
/// TMDb numbers shows apart from movies: the [`TmdbId`]s here are TV ids.
#[async_trait]
pub trait TmdbTvApi: TmdbApi {
    /// Searches shows by name (`GET /search/tv`), optionally only those
    /// whose first episode aired in `first_air_year`
    /// (`first_air_date_year`: TMDb's `year` also matches any later
    /// episode's air date). `page` starts at 1.
    ///
    /// # Errors
    /// Transport, authentication and server errors.
    async fn search_shows(
        &self,
        query: &str,
        first_air_year: Option<i32>,
        page: u32,
    ) -> Result<Page<ShowSummary>>;

    /// A show's details with its IMDb and TVDB ids, keywords, and the first
    /// page of recommendations and similar shows, in one request; `None`
    /// when TMDb has no such TV id.
    ///
    /// # Errors
    /// Transport, authentication and server errors.
    async fn show(&self, id: TmdbId) -> Result<Option<ShowDetails>>;

    /// TMDb's recommendations for a show. `page` starts at 1.
    ///
    /// # Errors
    /// [`Error::NotFound`](crate::Error::NotFound) for an unknown show, and
    /// transport, authentication and server errors.
    async fn show_recommendations(&self, id: TmdbId, page: u32) -> Result<Page<ShowSummary>>;

    /// Shows TMDb finds similar (by genres and keywords). `page` starts at 1.
    ///
    /// # Errors
    /// [`Error::NotFound`](crate::Error::NotFound) for an unknown show, and
    /// transport, authentication and server errors.
    async fn similar_shows(&self, id: TmdbId, page: u32) -> Result<Page<ShowSummary>>;

    /// Shows matching filters (`GET /discover/tv`); the genre ids are TV
    /// genres ([`tv_genres`](Self::tv_genres)).
    ///
    /// # Errors
    /// Transport, authentication and server errors.
    async fn discover_shows(&self, query: &DiscoverQuery) -> Result<Page<ShowSummary>>;

    /// The show with this TVDB id, if TMDb knows one.
    ///
    /// # Errors
    /// Transport, authentication and server errors.
    async fn find_show_by_tvdb(&self, tvdb_id: TvdbId) -> Result<Option<ShowSummary>>;

    /// The show with this IMDb id, if TMDb knows one (the same request as
    /// [`find_by_imdb`](TmdbApi::find_by_imdb), read for its `tv_results`).
    ///
    /// # Errors
    /// Transport, authentication and server errors.
    async fn find_show_by_imdb(&self, imdb_id: &ImdbId) -> Result<Option<ShowSummary>>;

    /// Every TV genre (they differ from movie genres: "Sci-Fi & Fantasy" is
    /// one TV genre, 10765).
    ///
    /// # Errors
    /// Transport, authentication and server errors.
    async fn tv_genres(&self) -> Result<Vec<Genre>>;
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
            async fn poster(
                &self,
                poster_path: &str,
                size: PosterSize,
            ) -> Result<Option<ImageFile>> {
                (**self).poster(poster_path, size).await
            }
        }
    )*};
}

macro_rules! forward_tmdb_tv_api {
    ($($ty:ty),*) => {$(
        #[async_trait]
        impl<T: TmdbTvApi + ?Sized> TmdbTvApi for $ty {
            async fn search_shows(
                &self,
                query: &str,
                first_air_year: Option<i32>,
                page: u32,
            ) -> Result<Page<ShowSummary>> {
                (**self).search_shows(query, first_air_year, page).await
            }
            async fn show(&self, id: TmdbId) -> Result<Option<ShowDetails>> {
                (**self).show(id).await
            }
            async fn show_recommendations(
                &self,
                id: TmdbId,
                page: u32,
            ) -> Result<Page<ShowSummary>> {
                (**self).show_recommendations(id, page).await
            }
            async fn similar_shows(&self, id: TmdbId, page: u32) -> Result<Page<ShowSummary>> {
                (**self).similar_shows(id, page).await
            }
            async fn discover_shows(&self, query: &DiscoverQuery) -> Result<Page<ShowSummary>> {
                (**self).discover_shows(query).await
            }
            async fn find_show_by_tvdb(&self, tvdb_id: TvdbId) -> Result<Option<ShowSummary>> {
                (**self).find_show_by_tvdb(tvdb_id).await
            }
            async fn find_show_by_imdb(&self, imdb_id: &ImdbId) -> Result<Option<ShowSummary>> {
                (**self).find_show_by_imdb(imdb_id).await
            }
            async fn tv_genres(&self) -> Result<Vec<Genre>> {
                (**self).tv_genres().await
            }
        }
    )*};
}

// So `CachedTmdb<Arc<dyn TmdbApi>>` and friends work without wrappers.
forward_tmdb_api!(Arc<T>, Box<T>, &T);
forward_tmdb_tv_api!(Arc<T>, Box<T>, &T);
