//! A stateful fake Overseerr or Jellyseerr (feature `fake`), for tests,
//! demos and benchmarks.
//!
//! [`FakeSeerr`] is a wiremock server that keeps titles and the requests
//! made for them, as a real Seerr does, and answers `POST /api/v1/request`
//! with the same status codes and messages. It counts every request under
//! the operation names of [`crate::op`] and fails on demand through
//! [`Faults`] (a [`Fault::Status`] answers instead of the fake, which then
//! changes nothing).
//!
//! What it does is taken from Overseerr's own source (github.com/sct/overseerr
//! at 46a9b24, v1.34.0: `overseerr-api.yml`, `server/routes/request.ts`,
//! `server/entity/MediaRequest.ts`, `server/middleware/auth.ts`,
//! `server/index.ts`) and Jellyseerr's (github.com/Fallenbagel/jellyseerr at
//! 3b4d6bf):
//!
//! - the key in `X-Api-Key` acts as user 1, the first administrator; a key
//!   it does not know finds no user, and every route behind a login then
//!   answers 403 `{status: 403, error: "You do not have permission to
//!   access this endpoint"}`; no key at all is refused with 401 by the API
//!   spec's validator; `GET /api/v1/status` needs no key;
//! - a request is checked in `MediaRequest.request`'s order: the user's
//!   permission for the kind (403), its quota (403 "Movie Quota
//!   exceeded." / "Series Quota exceeded."), the title on TMDb (a 500
//!   `"[TMDB] Failed to fetch … details"` for an unknown id), then earlier
//!   requests: a movie with a request that was not declined answers 409
//!   "Request for this media already exists."; a show's request is cut to
//!   the seasons nobody requested and Seerr does not have yet, and when
//!   none is left it answers 202 "No seasons available to request". A
//!   movie that is available but was never requested gets a new request
//!   (Seerr's own pages hide the button; its API does not check);
//! - a show's `seasons` is required in practice: without it the server
//!   fails with a 500 (it reads the field unchecked);
//! - a created request answers 201 with the request, approved at once when
//!   the user may auto-approve (the administrator may), pending otherwise.
//!
//! The two servers differ, and [`SeerrFlavor`] names the profiles the fake
//! plays: Overseerr counts the specials (season 0) among a show's `"all"`
//! seasons; Jellyseerr drops them (its "enable special episodes" setting
//! is off by default) and refuses a blacklisted title with 403 "This media
//! is blacklisted.".
//!
//! ```no_run
//! use seerr_client::fake::{FakeSeerr, SeerrSeed};
//! use seerr_client::{NewRequest, SeerrApi, TmdbId};
//!
//! # async fn demo() -> seerr_client::Result<()> {
//! let fake = FakeSeerr::start(SeerrSeed::new().show(TmdbId(1396), &[0, 1, 2, 3, 4, 5])).await;
//! let seerr = fake.client_builder().build()?;
//! assert!(seerr.request(&NewRequest::movie(TmdbId(27205))).await?.was_created());
//! assert!(!seerr.request(&NewRequest::movie(TmdbId(27205))).await?.was_created());
//! assert_eq!(fake.requests().len(), 1);
//! # Ok(())
//! # }
//! ```

mod server;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use curator_http::fake::Faults;
use curator_http::{MediaKind, RequestStats, RetryPolicy, TmdbId, TvdbId};
use wiremock::MockServer;

use crate::client::SeerrClientBuilder;
use crate::model::{MediaStatus, Permissions, RequestStatus};
use server::{Responder, State};

pub use curator_http::fake::{Fault, FaultEffect};

/// The API key a [`SeerrSeed`] uses unless told otherwise.
pub const DEFAULT_API_KEY: &str = "MTY5ODc2NTQzMjEwOWFiY2RlZjAxMjM0NTY3ODlhYmNk";

/// Which server the fake behaves like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SeerrFlavor {
    /// Overseerr (v1.34.0): `"all"` seasons include the specials.
    Overseerr,
    /// Jellyseerr (v2.3.0): `"all"` seasons leave the specials out, and
    /// blacklisted titles are refused.
    Jellyseerr,
}

impl SeerrFlavor {
    /// Every profile: run a scenario against each.
    pub const ALL: [Self; 2] = [Self::Overseerr, Self::Jellyseerr];

    /// The version its status reports.
    pub fn version_string(self) -> &'static str {
        match self {
            Self::Overseerr => "1.34.0",
            Self::Jellyseerr => "2.3.0",
        }
    }

    /// Whether `"all"` seasons include season 0.
    pub fn requests_specials(self) -> bool {
        matches!(self, Self::Overseerr)
    }

    /// Whether it keeps a blacklist.
    pub fn has_blacklist(self) -> bool {
        matches!(self, Self::Jellyseerr)
    }
}

/// What a [`FakeSeerr`] starts with.
#[derive(Debug, Clone)]
pub struct SeerrSeed {
    pub(crate) api_key: String,
    pub(crate) flavor: SeerrFlavor,
    pub(crate) permissions: u64,
    pub(crate) shows: BTreeMap<TmdbId, Vec<u32>>,
    pub(crate) unknown: BTreeSet<(MediaKind, TmdbId)>,
    pub(crate) available: Vec<(MediaKind, TmdbId)>,
    pub(crate) blacklisted: Vec<(MediaKind, TmdbId)>,
    pub(crate) quota: BTreeMap<MediaKind, u32>,
}

impl Default for SeerrSeed {
    fn default() -> Self {
        Self::new()
    }
}

impl SeerrSeed {
    /// An Overseerr whose key acts as the administrator, where every movie
    /// id exists on TMDb and every show has one season unless
    /// [`SeerrSeed::show`] says otherwise.
    pub fn new() -> Self {
        Self {
            api_key: DEFAULT_API_KEY.to_owned(),
            flavor: SeerrFlavor::Overseerr,
            permissions: Permissions::ADMIN,
            shows: BTreeMap::new(),
            unknown: BTreeSet::new(),
            available: Vec::new(),
            blacklisted: Vec::new(),
            quota: BTreeMap::new(),
        }
    }

    /// Answers only to this API key.
    #[must_use]
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = key.into();
        self
    }

    /// Behaves like this server (default [`SeerrFlavor::Overseerr`]).
    #[must_use]
    pub fn flavor(mut self, flavor: SeerrFlavor) -> Self {
        self.flavor = flavor;
        self
    }

    /// The permission bits of the key's user (default
    /// [`Permissions::ADMIN`]).
    #[must_use]
    pub fn permissions(mut self, bits: u64) -> Self {
        self.permissions = bits;
        self
    }

    /// The season numbers TMDb lists for a show (0 for the specials).
    #[must_use]
    pub fn show(mut self, tmdb_id: TmdbId, seasons: &[u32]) -> Self {
        self.shows.insert(tmdb_id, seasons.to_vec());
        self
    }

    /// A TMDb id that TMDb does not know for this kind.
    #[must_use]
    pub fn unknown(mut self, kind: MediaKind, tmdb_id: TmdbId) -> Self {
        self.unknown.insert((kind, tmdb_id));
        self
    }

    /// A title the media server already has (every season of a show),
    /// never requested.
    #[must_use]
    pub fn available(mut self, kind: MediaKind, tmdb_id: TmdbId) -> Self {
        self.available.push((kind, tmdb_id));
        self
    }

    /// A title on the blacklist (Jellyseerr only; Overseerr has none).
    #[must_use]
    pub fn blacklisted(mut self, kind: MediaKind, tmdb_id: TmdbId) -> Self {
        self.blacklisted.push((kind, tmdb_id));
        self
    }

    /// How many more titles (movies) or seasons (shows) the key's user may
    /// request before its quota is used up (no limit by default).
    #[must_use]
    pub fn quota(mut self, kind: MediaKind, left: u32) -> Self {
        self.quota.insert(kind, left);
        self
    }
}

/// A request the fake keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// Its id.
    pub id: u32,
    /// Movie or show.
    pub kind: MediaKind,
    /// The title's TMDb id.
    pub tmdb_id: TmdbId,
    /// The TVDB id the request named, if any.
    pub tvdb_id: Option<TvdbId>,
    /// The seasons it holds (shows; after the ones already requested or
    /// available were left out).
    pub seasons: Vec<u32>,
    /// Whether it is a 4K request.
    pub is_4k: bool,
    /// Where it stands.
    pub status: RequestStatus,
    /// The body as it was sent.
    pub body: serde_json::Value,
}

/// A running fake Seerr.
///
/// Stops when dropped. Clones of [`FakeSeerr::stats`] and
/// [`FakeSeerr::faults`] stay connected to the server.
pub struct FakeSeerr {
    server: MockServer,
    state: Arc<Mutex<State>>,
    stats: RequestStats,
    faults: Faults,
    api_key: String,
}

impl fmt::Debug for FakeSeerr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeSeerr")
            .field("uri", &self.server.uri())
            .finish_non_exhaustive()
    }
}

impl FakeSeerr {
    /// Starts a fake Seerr holding `seed`.
    pub async fn start(seed: SeerrSeed) -> Self {
        let api_key = seed.api_key.clone();
        let state = Arc::new(Mutex::new(State::new(&seed)));
        let stats = RequestStats::new();
        let faults = Faults::new();
        let server = curator_http::fake::serve(
            "fake seerr",
            Responder {
                state: Arc::clone(&state),
                stats: stats.clone(),
                faults: faults.clone(),
                api_key: api_key.clone(),
            },
        )
        .await;
        Self {
            server,
            state,
            stats,
            faults,
            api_key,
        }
    }

    /// The base URL to give a client.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The API key the fake accepts.
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// A client builder pointed at this fake, with the right key and a
    /// retry policy of a few milliseconds so faults resolve fast.
    pub fn client_builder(&self) -> SeerrClientBuilder {
        SeerrClientBuilder::new(self.uri(), self.api_key.as_str()).retry_policy(RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
            max_retry_after: Duration::from_millis(5),
        })
    }

    /// Requests received, per operation (names from [`crate::op`]).
    pub fn stats(&self) -> &RequestStats {
        &self.stats
    }

    /// The fault queue: `fake.faults().inject(op::REQUEST, Fault::Status(503), 1)`.
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Every request the fake created, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state().requests.clone()
    }

    /// The TMDb ids of the requests of `kind`, in order.
    pub fn requested(&self, kind: MediaKind) -> Vec<TmdbId> {
        self.requests()
            .iter()
            .filter(|r| r.kind == kind)
            .map(|r| r.tmdb_id)
            .collect()
    }

    /// What Seerr knows of a title's availability (`None`: never seen).
    pub fn media_status(&self, kind: MediaKind, tmdb_id: TmdbId) -> Option<MediaStatus> {
        self.state().media(kind, tmdb_id).map(|m| m.status)
    }

    /// Marks a title available now (every season of a show), as Seerr does
    /// when its media server scan finds it.
    pub fn set_available(&self, kind: MediaKind, tmdb_id: TmdbId) {
        self.state().set_available(kind, tmdb_id);
    }

    /// Declines a request, as someone in Seerr's web UI would; false when
    /// there is no such request.
    pub fn decline(&self, id: u32) -> bool {
        let mut state = self.state();
        match state.requests.iter_mut().find(|r| r.id == id) {
            Some(request) => {
                request.status = RequestStatus::Declined;
                true
            }
            None => false,
        }
    }
}
