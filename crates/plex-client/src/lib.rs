//! Async client for the Plex Media Server API: library sections, movies with
//! their TMDb/IMDb ids and media versions, TV shows with their TMDb/TVDB/IMDb
//! ids and episodes with their media versions, and collections of movies or
//! shows (create, fill, reorder), plus a stateful fake Plex server behind
//! the `fake` feature.
//!
//! Code that uses Plex is written against the [`PlexApi`] trait;
//! [`PlexClient`] implements it over HTTP. The token is sent only in the
//! `X-Plex-Token` header and never shows in URLs, `Debug` output, logs or
//! errors. Requests are counted and reported under the operation names in
//! [`ops`].
//!
//! ```no_run
//! use plex_client::{CollectionSort, PlexApi, PlexClient, Secret};
//!
//! # async fn demo() -> plex_client::Result<()> {
//! let plex = PlexClient::builder("http://192.168.1.10:32400", Secret::new("token")).build()?;
//! let section = plex
//!     .sections()
//!     .await?
//!     .into_iter()
//!     .find(|s| s.is_movie())
//!     .expect("a movie section");
//! let movies = plex.movies(&section.key).await?;
//! let collection = match plex.find_collection(&section.key, "Watch Next").await? {
//!     Some(collection) => collection,
//!     None => plex.create_collection(&section.key, "Watch Next").await?,
//! };
//! let keys: Vec<_> = movies.iter().take(10).map(|m| m.rating_key.clone()).collect();
//! plex.add_to_collection(&collection.rating_key, &keys).await?;
//! plex.set_collection_sort(&collection.rating_key, CollectionSort::Custom).await?;
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

mod api;
mod client;
mod error;
mod model;

#[cfg(feature = "fake")]
pub mod fake;

pub use api::{PlexApi, ops};
pub use client::{
    DEFAULT_DELETE_TIMEOUT, DEFAULT_PAGE_SIZE, MAX_KEYS_PER_ADD, MAX_KEYS_PER_FILE_CHECK,
    PlexClient, PlexClientBuilder,
};
pub use curator_http::{ImageFile, ImdbId, RequestStats, RetryPolicy, Secret, TmdbId, TvdbId};
pub use error::{Error, Result};
pub use model::{
    Collection, CollectionItem, CollectionSort, Episode, ExternalId, HubVisibility, Image,
    ImageSlot, ManagedHub, MediaId, MediaKind, MediaKindExt, MediaPart, MediaVersion, Movie,
    RatingKey, Section, SectionKey, SectionKind, ServerIdentity, ServerInfo, Show, ShowRef,
    collection_hub_identifier,
};
