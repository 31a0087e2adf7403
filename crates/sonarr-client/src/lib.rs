//! Async client for Sonarr's API v3, with a stateful fake server.
//!
//! curator uses Sonarr to fetch the shows its suggestions name but Plex
//! does not have yet, and to stop monitoring shows and episodes once they
//! are in Plex. Sonarr v3 and v4 serve API v3, and so does v5 (in
//! development) beside its new v5 API; this crate speaks the small part of
//! API v3 curator needs:
//!
//! - [`SonarrApi`]: the operations as an object-safe async trait (status,
//!   series, TVDB and title lookups, add, update, bulk edit, episodes and
//!   bulk episode monitoring, tags, root folders, quality profiles,
//!   searches), so engine code can hold an `Arc<dyn SonarrApi>` and tests
//!   can swap in a fake;
//! - [`SonarrClient`]: the HTTP implementation, built on `curator-http`
//!   (timeouts, retries of reads only, the API key in a sensitive
//!   `X-Api-Key` header, request counters);
//! - [`Error`]: Sonarr's error shapes made readable (validation lists, a
//!   wrong key, `{message, description}` bodies);
//! - with feature `fake`, [`fake::FakeSonarr`]: a stateful simulator that
//!   answers like a real Sonarr, for tests and demos.
//!
//! What Sonarr shares with Radarr (tags and the label rule, validation
//! failures, error bodies, bulk-editor chunking, root folders, quality
//! profiles, status, commands) comes from `arr-common` and is re-exported
//! here.
//!
//! Adding a series is never retried after Sonarr may have acted on it, and
//! a series Sonarr already has comes back as [`AddOutcome::AlreadyExists`],
//! so adding the same series twice is harmless.
//!
//! ```no_run
//! use sonarr_client::{AddSeries, MonitorType, SonarrApi, SonarrClient, TvdbId};
//!
//! # async fn demo() -> sonarr_client::Result<()> {
//! let sonarr = SonarrClient::builder("http://127.0.0.1:8989", "0123456789abcdef").build()?;
//! let folder = sonarr.root_folders().await?.remove(0);
//! let profile = sonarr.quality_profiles().await?.remove(0);
//! let tags = sonarr.ensure_tags(&["curator"]).await?;
//! let request = AddSeries::new(TvdbId(81189), "Breaking Bad", profile.id, folder.path)
//!     .with_monitor(MonitorType::FirstSeason)
//!     .with_tags(tags.iter().map(|tag| tag.id).collect());
//! let outcome = sonarr.add_series(&request).await?;
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

pub use api::SonarrApi;
pub use arr_common::EDITOR_CHUNK;
pub use client::{DEFAULT_SERIES_LIST_TIMEOUT, SonarrClient, SonarrClientBuilder};
pub use curator_http::{ImdbId, RequestStats, RetryPolicy, Secret, TmdbId, TvdbId};
pub use error::{Error, FailedEdit, FailedMonitor, Result, ValidationFailure};
pub use model::{
    AddOutcome, AddSeries, ApplyTags, Command, Episode, EpisodeId, EpisodeMonitor, MonitorType,
    QualityProfile, QualityProfileId, RootFolder, Season, Series, SeriesEditor, SeriesId,
    SeriesStatus, SeriesType, Statistics, SystemStatus, Tag, TagId, normalize_tag_label,
};
