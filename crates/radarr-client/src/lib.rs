//! Async client for the Radarr v3 API, with a stateful fake server.
#![deny(missing_docs)]

mod api;
mod error;
mod model;
pub mod op;

pub use api::RadarrApi;
pub use curator_http::{ImdbId, TmdbId};
pub use error::{Error, Result, ValidationFailure};
pub use model::{
    AddMovie, AddOutcome, ApplyTags, Command, MinimumAvailability, Movie, MovieEditor, MovieId,
    QualityProfile, QualityProfileId, RootFolder, SystemStatus, Tag, TagId,
};
