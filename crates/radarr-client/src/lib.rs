//! Async client for the Radarr v3 API, with a stateful fake server.
#![deny(missing_docs)]

mod api;
mod client;
mod error;
mod model;
pub mod op;

#[cfg(feature = "fake")]
pub mod fake;

pub use api::RadarrApi;
pub use client::{RadarrClient, RadarrClientBuilder};
pub use curator_http::{ImdbId, RequestStats, RetryPolicy, Secret, TmdbId};
pub use error::{Error, Result, ValidationFailure};
pub use model::{
    AddMovie, AddOutcome, ApplyTags, Command, MinimumAvailability, Movie, MovieEditor, MovieId,
    QualityProfile, QualityProfileId, RootFolder, SystemStatus, Tag, TagId,
};
