//! Async client for the Radarr v3 API, with a stateful fake server.
//!
//! curator uses Radarr to fetch the movies its suggestions name but Plex
//! does not have yet, and to stop monitoring movies once they are in Plex.
//! This crate speaks the small part of Radarr's API that needs:
//!
//! - [`RadarrApi`]: the operations as an object-safe async trait (status,
//!   movies, TMDb lookups, add, update, bulk edit, tags, root folders,
//!   quality profiles, searches), so engine code can hold an
//!   `Arc<dyn RadarrApi>` and tests can swap in a fake;
//! - [`RadarrClient`]: the HTTP implementation, built on `curator-http`
//!   (timeouts, retries of reads only, the API key in a sensitive
//!   `X-Api-Key` header, request counters);
//! - [`Error`]: Radarr's error shapes made readable (validation lists, a
//!   wrong key, `{message, description}` bodies);
//! - with feature `fake`, [`fake::FakeRadarr`]: a stateful simulator that
//!   answers like a real Radarr, for tests and demos.
//!
//! Adding a movie is never retried after Radarr may have acted on it, and a
//! movie Radarr already has comes back as [`AddOutcome::AlreadyExists`], so
//! adding the same movie twice is harmless.
//!
//! ```no_run
//! use radarr_client::{AddMovie, RadarrApi, RadarrClient, TmdbId};
//!
//! # async fn demo() -> radarr_client::Result<()> {
//! let radarr = RadarrClient::builder("http://127.0.0.1:7878", "0123456789abcdef").build()?;
//! let folder = radarr.root_folders().await?.remove(0);
//! let profile = radarr.quality_profiles().await?.remove(0);
//! let tags = radarr.ensure_tags(&["curator"]).await?;
//! let request = AddMovie::new(TmdbId(329865), "Arrival", 2016, profile.id, folder.path)
//!     .with_tags(tags.iter().map(|tag| tag.id).collect());
//! let outcome = radarr.add_movie(&request).await?;
//! println!("added now: {}", outcome.was_added());
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

mod api;
mod client;
mod error;
mod model;
pub mod op;

#[cfg(feature = "fake")]
pub mod fake;

pub use api::RadarrApi;
pub use arr_common::EDITOR_CHUNK;
pub use client::{DEFAULT_MOVIE_LIST_TIMEOUT, RadarrClient, RadarrClientBuilder};
pub use curator_http::{ImdbId, RequestStats, RetryPolicy, Secret, TmdbId};
pub use error::{Error, FailedEdit, Result, ValidationFailure};
pub use model::{
    AddMovie, AddOutcome, ApplyTags, Command, MinimumAvailability, Movie, MovieEditor, MovieId,
    QualityProfile, QualityProfileId, RootFolder, SystemStatus, Tag, TagId, normalize_tag_label,
};
