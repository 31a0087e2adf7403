//! Async client for The Movie Database (TMDb) v3 API.
//!
//! - [`TmdbApi`]: the trait curator's engine is written against;
//! - [`TmdbClient`]: the HTTP implementation, with automatic auth (a v4
//!   read access token as `Authorization: Bearer`, a v3 API key as the
//!   `api_key` parameter), retries from `curator-http` and a client-side
//!   rate limit shared by clones;
//! - [`CachedTmdb`]: wraps any [`TmdbApi`] with a JSON file cache whose
//!   entries expire;
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
    CredentialKind, DEFAULT_BASE_URL, DEFAULT_REQUESTS_PER_SECOND, TmdbClient, TmdbClientBuilder,
};
pub use curator_http::{ImdbId, TmdbId};
pub use error::{API_SETTINGS_URL, Error, Result};
pub use model::{
    DiscoverQuery, DiscoverSort, Genre, GenreId, Keyword, KeywordId, MovieDetails, MovieSummary,
    Page, ShowDetails, ShowSummary, TvdbId,
};
