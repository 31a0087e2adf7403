//! Async client for the Plex Media Server API: library sections, movies with
//! their TMDb/IMDb ids and media versions, and collections (create, fill,
//! reorder), plus a stateful fake Plex server behind the `fake` feature.
#![deny(missing_docs)]

mod api;
mod client;
mod error;
mod model;

#[cfg(feature = "fake")]
pub mod fake;

pub use api::{PlexApi, ops};
pub use client::{DEFAULT_PAGE_SIZE, MAX_KEYS_PER_ADD, PlexClient, PlexClientBuilder};
pub use curator_http::{ImdbId, RequestStats, RetryPolicy, Secret, TmdbId};
pub use error::{Error, Result};
pub use model::{
    Collection, CollectionSort, ExternalId, MediaId, MediaPart, MediaVersion, Movie, RatingKey,
    Section, SectionKey, SectionKind, ServerIdentity, ServerInfo,
};
