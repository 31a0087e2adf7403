//! HTTP plumbing shared by curator's API clients.
//!
//! Every client crate (`plex-client`, `radarr-client`, `tmdb-client`,
//! `llm-recs`) sends its requests through [`HttpClient`], which gives them the
//! same behaviour without four copies of it:
//!
//! - a retry decision that is a pure function ([`RetryPolicy::decide`]):
//!   transport errors, 429 and 502-504 are retried with exponential backoff
//!   and jitter, `Retry-After` is honoured up to a cap, and requests that are
//!   not safe to repeat are only retried when the server certainly did not act
//!   on them;
//! - default connect and request timeouts ([`HttpConfig`]);
//! - error pieces that name the operation, never the URL ([`HttpError`]);
//! - a [`Breaker`] that marks a service down for the rest of a run after a
//!   failure that will not change within it (refused, timed out twice,
//!   401/403, server errors that outlast the retries), so later requests
//!   fail at once with the first error;
//! - the base URL check every client with a configured URL shares
//!   ([`base_url`]);
//! - [`ImageFile`], an image (poster, thumbnail) as a service sent it;
//! - a [`Secret`] string whose `Debug` and `Display` never show the value;
//! - per-operation request counters for tests and benchmarks ([`RequestStats`]);
//! - the ids several services share ([`TmdbId`], [`ImdbId`], [`TvdbId`]) and
//!   the kind of title, [`MediaKind`] (movie or show).
//!
//! With the `fake` feature, [`fake`] holds the building blocks the stateful
//! fake servers share: fault injection and small wiremock helpers.
//!
//! ```no_run
//! use curator_http::{HttpClient, HttpConfig, Safety};
//!
//! # async fn demo() -> Result<(), curator_http::HttpError> {
//! let http = HttpClient::new(HttpConfig::default(), Default::default())?;
//! let response = http
//!     .send("example.identity", Safety::Idempotent, |client| {
//!         client.get("http://127.0.0.1:32400/identity")
//!     })
//!     .await?;
//! let identity: serde_json::Value = response.json("example.identity")?;
//! println!("{identity}");
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

mod base_url;
mod breaker;
mod client;
mod error;
mod ids;
mod image;
mod media;
mod retry;
mod secret;
mod stats;

#[cfg(feature = "fake")]
pub mod fake;

pub use base_url::base_url;
pub use breaker::{Breaker, LONG_TIMEOUT, SERVER_ERRORS_TO_TRIP, TIMEOUTS_TO_TRIP};
pub use client::{HttpClient, HttpConfig, Pacer, RawResponse, Safety};
pub use error::{HttpError, MAX_ERROR_BODY, TransportKind, truncate_body};
pub use ids::{ImdbId, TmdbId, TvdbId};
pub use image::ImageFile;
pub use media::MediaKind;
pub use retry::{Failure, RetryDecision, RetryPolicy, parse_retry_after};
pub use secret::Secret;
pub use stats::RequestStats;

/// Re-exported so client crates and their users agree on one version.
pub use reqwest;
