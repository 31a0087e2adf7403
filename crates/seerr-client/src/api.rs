//! The Seerr operations curator needs, as a trait.

use std::fmt::Debug;

use async_trait::async_trait;

use crate::error::Result;
use crate::model::{NewRequest, RequestOutcome, Status, User};

/// What curator asks of Overseerr or Jellyseerr.
///
/// [`crate::SeerrClient`] implements it over HTTP; tests of code written
/// against it can use a small hand-written implementation, or the real
/// client pointed at [`crate::fake::FakeSeerr`] (feature `fake`). The trait
/// is object-safe: hold it as `Arc<dyn SeerrApi>`.
#[async_trait]
pub trait SeerrApi: Debug + Send + Sync {
    /// The server's version (`GET /api/v1/status`). Public: it proves the
    /// URL reaches a Seerr, not that the key is right.
    ///
    /// # Errors
    /// Transport, status and decode errors.
    async fn status(&self) -> Result<Status>;

    /// The user the API key acts as (`GET /api/v1/auth/me`): proves the
    /// key, and says what the user may request.
    ///
    /// # Errors
    /// [`crate::Error::Unauthorized`] for a key Seerr does not accept;
    /// transport, status and decode errors.
    async fn me(&self) -> Result<User>;

    /// Requests a movie or a show (`POST /api/v1/request`).
    ///
    /// Sent once, never retried after Seerr may have acted on it. A title
    /// Seerr already has a request for (409), or a show whose every season
    /// is requested or available (202), is an outcome, not an error, so
    /// requesting is safe to repeat.
    ///
    /// # Errors
    /// [`crate::Error::Forbidden`] or [`crate::Error::QuotaExceeded`] when
    /// Seerr refuses it for the key's user; [`crate::Error::Unauthorized`];
    /// [`crate::Error::Api`] with Seerr's message otherwise.
    async fn request(&self, request: &NewRequest) -> Result<RequestOutcome>;
}
