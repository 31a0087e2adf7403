//! Async client for the request API of Overseerr and Jellyseerr ("Seerr"),
//! with a stateful fake server.
//!
//! Households that manage downloads in Overseerr or Jellyseerr can have
//! curator send its missing titles there as requests, instead of straight
//! to Radarr and Sonarr, so every download keeps going through one place.
//! This crate speaks the small part of API v1 that needs:
//!
//! - [`SeerrApi`]: the operations as an object-safe async trait (status,
//!   the key's user, a request), so engine code can hold an
//!   `Arc<dyn SeerrApi>` and tests can swap in a fake;
//! - [`SeerrClient`]: the HTTP implementation, built on `curator-http`
//!   (timeouts, retries of reads only, the API key in a sensitive
//!   `X-Api-Key` header, request counters);
//! - [`Error`]: Seerr's answers made readable (a key it does not accept, a
//!   permission or quota refusal, its `{message}` bodies);
//! - with feature `fake`, [`fake::FakeSeerr`]: a stateful simulator that
//!   answers like Overseerr or Jellyseerr, for tests and demos.
//!
//! A request is never retried after Seerr may have acted on it, and a title
//! Seerr already has comes back as [`RequestOutcome::AlreadyRequested`] or
//! [`RequestOutcome::NothingToRequest`], so requesting twice is harmless.
//!
//! ```no_run
//! use seerr_client::{NewRequest, SeerrApi, SeerrClient, TmdbId};
//!
//! # async fn demo() -> seerr_client::Result<()> {
//! let seerr = SeerrClient::builder("http://127.0.0.1:5055", "0123456789abcdef").build()?;
//! let me = seerr.me().await?;
//! println!("requests go in as {}", me.name());
//! let outcome = seerr.request(&NewRequest::movie(TmdbId(27205))).await?;
//! println!("created now: {}", outcome.was_created());
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

pub use api::SeerrApi;
pub use client::{SeerrClient, SeerrClientBuilder};
pub use curator_http::{MediaKind, RequestStats, RetryPolicy, Secret, TmdbId, TvdbId};
pub use error::{Error, Result};
pub use model::{
    MediaInfo, MediaRequest, MediaStatus, NewRequest, Permissions, RequestOutcome, RequestStatus,
    SeasonRequest, Seasons, Status, User,
};
