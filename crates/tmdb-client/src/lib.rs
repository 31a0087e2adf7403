//! Async client for The Movie Database (TMDb) v3 API, for movies and TV
//! shows.
//!
//! - [`TmdbApi`]: the trait curator's engine is written against, for
//!   movies; [`TmdbTvApi`], its extension for shows (search by first-air
//!   year, details with the TVDB id, recommendations, similar, discover,
//!   find by TVDB or IMDb id, the TV genres);
//! - [`TmdbClient`]: the HTTP implementation, with automatic auth (a v4
//!   read access token as `Authorization: Bearer`, a v3 API key as the
//!   `api_key` parameter), retries from `curator-http` and a client-side
//!   rate limit shared by clones;
//! - [`CachedTmdb`]: wraps any [`TmdbApi`] (and [`TmdbTvApi`]) with a JSON
//!   file cache whose entries expire;
//! - `fake` (feature `fake`): a stateful fake TMDb server for tests and demos.
//!
//! ```no_run
//! use curator_http::Secret;
//! use tmdb_client::{TmdbApi, TmdbClient};
//!
//! # async fn demo() -> tmdb_client::Result<()> {
//! let tmdb = TmdbClient::builder()
//!     .credential(Secret::new(std::env::var("TMDB_API_KEY").unwrap_or_default()))
//!     .build()?;
//! let page = tmdb.search_movies("Inception", Some(2010), 1).await?;
//! for movie in &page.results {
//!     println!("{} ({:?}) tmdb:{}", movie.title, movie.year, movie.id);
//! }
//! // Shows: the 1980 "Shōgun", not the 2024 one, and its TVDB id.
//! use tmdb_client::TmdbTvApi;
//! let shows = tmdb.search_shows("Shōgun", Some(1980), 1).await?;
//! if let Some(show) = shows.results.first() {
//!     let details = tmdb.show(show.id).await?;
//!     println!("tvdb:{:?}", details.and_then(|d| d.tvdb_id));
//! }
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

mod api;
mod cache;
mod client;
mod error;
mod model;
mod rate;

#[cfg(feature = "fake")]
pub mod fake;

pub use api::{TmdbApi, TmdbTvApi, ops};
pub use cache::{
    CACHE_SCHEMA_VERSION, CacheStats, CacheTtl, CachedTmdb, Clock, ManualClock, SystemClock,
};
pub use client::{
    CredentialKind, DEFAULT_BASE_URL, DEFAULT_IMAGE_BASE_URL, DEFAULT_REQUESTS_PER_SECOND,
    TmdbClient, TmdbClientBuilder,
};
pub use curator_http::{ImageFile, ImdbId, TmdbId, TvdbId};
pub use error::{API_SETTINGS_URL, Error, Result};
pub use model::{
    DiscoverQuery, DiscoverSort, Genre, GenreId, Keyword, KeywordId, MovieDetails, MovieSummary,
    Page, PosterSize, ShowDetails, ShowSummary,
};

/// The README's examples, compiled as doctests so they stay true.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
