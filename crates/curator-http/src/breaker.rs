//! "Down for the rest of the run": once a service has failed in a way that
//! will not change within a run, every later request to it fails at once
//! with that first error instead of waiting for the same failure again.

use std::sync::{Arc, Mutex, PoisonError};

use crate::error::HttpError;

/// How many timed-out attempts in a row (with no answer in between) mark a
/// service down.
pub const TIMEOUTS_TO_TRIP: u32 = 2;

/// A single timed-out attempt that waited at least this long marks the
/// service down by itself: a server silent for a minute will not answer
/// the next request in the same run, and waiting for a second long timeout
/// (Radarr's movie list, 300 s; a completion, 120 s) is what made runs
/// with one hung service take many minutes.
pub const LONG_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// How many requests in a row that ended in a server error (a 5xx, or a
/// broken connection) mark a service down. A 502-504 that outlasted its
/// retries marks it down at once.
pub const SERVER_ERRORS_TO_TRIP: u32 = 3;

/// Remembers that a service is down, for the rest of a run.
///
/// Give one to a client through its builder (`.breaker(..)`); clones share
/// the state, so every clone of a client, and anything else holding a clone,
/// sees the same answer. A service is marked down when:
///
/// - a connection could not be made, after the retries (refused, no route,
///   DNS): nothing answers there;
/// - [`TIMEOUTS_TO_TRIP`] attempts in a row timed out, or one that waited
///   [`LONG_TIMEOUT`] or more;
/// - it answered 401 (the credential is wrong), or 403 unless
///   [`Breaker::forbidden_is_down`] was turned off, to a read or to a write
///   that is safe to repeat. A 401 or 403 to a write that is not (a Plex
///   deletion, a Radarr add) refuses that one action: Plex refuses a
///   deletion it does not allow with 400, 401 or 403 and serves reads on;
/// - a 502-504 outlasted the retries, or [`SERVER_ERRORS_TO_TRIP`] requests
///   in a row ended in a 5xx or a broken connection. A single 500 does not:
///   several services answer 500 for one bad request (an unknown id, a
///   request format a local LLM server lacks) and work for the next.
///
/// Any answer that is not a server error resets the counts. Once down, it
/// stays down until [`Breaker::reset`] (a long-running process calls it
/// between runs).
#[derive(Debug, Clone)]
pub struct Breaker {
    inner: Arc<Mutex<State>>,
    forbidden_is_down: bool,
}

impl Default for Breaker {
    fn default() -> Self {
        Self::new()
    }
}

#[derive(Debug, Default)]
struct State {
    down: Option<Arc<str>>,
    timeouts: u32,
    server_errors: u32,
}

impl Breaker {
    /// A breaker for a service that is up.
    pub fn new() -> Self {
        Self {
            inner: Arc::default(),
            forbidden_is_down: true,
        }
    }

    /// Whether a 403 marks the service down (default true).
    #[must_use]
    pub fn forbidden_is_down(mut self, yes: bool) -> Self {
        self.forbidden_is_down = yes;
        self
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The first error, in words, when the service is down.
    pub fn down(&self) -> Option<Arc<str>> {
        self.state().down.clone()
    }

    /// True when the service is down.
    pub fn is_down(&self) -> bool {
        self.state().down.is_some()
    }

    /// Marks the service up again and forgets the counts.
    pub fn reset(&self) {
        *self.state() = State::default();
    }

    /// Marks the service down with `error`, unless it already is (the first
    /// error is the one kept).
    pub fn trip(&self, error: &HttpError) {
        self.trip_with(error.op(), describe(error));
    }

    fn trip_with(&self, op: &str, text: String) {
        let mut state = self.state();
        if state.down.is_some() {
            return;
        }
        tracing::warn!(op, error = %text, "service marked down for the rest of the run");
        state.down = Some(text.into());
    }

    /// An attempt timed out. True when that marked the service down.
    pub(crate) fn timed_out(&self, error: &HttpError, waited: std::time::Duration) -> bool {
        self.count_timeout(error.op(), waited, || describe(error))
    }

    /// A request to `op` ran out of a time limit the caller keeps itself
    /// (around [`crate::HttpClient::send`], which then never sees the
    /// timeout). It counts as a timed-out attempt. True when that marked the
    /// service down.
    pub fn caller_timed_out(&self, op: &'static str, limit: std::time::Duration) -> bool {
        self.count_timeout(op, limit, || {
            format!(
                "{op}: no answer within {} s",
                limit.as_secs_f64().ceil() as u64
            )
        })
    }

    fn count_timeout(
        &self,
        op: &str,
        waited: std::time::Duration,
        describe: impl FnOnce() -> String,
    ) -> bool {
        let count = {
            let mut state = self.state();
            state.timeouts += 1;
            state.timeouts
        };
        if count >= TIMEOUTS_TO_TRIP || waited >= LONG_TIMEOUT {
            self.trip_with(op, describe());
            true
        } else {
            false
        }
    }

    /// A request ended with an answer of this status, after its retries
    /// (`exhausted` when it was a retryable status that outlasted them).
    pub(crate) fn answered(&self, op: &'static str, status: u16, exhausted: bool, write: bool) {
        let trip = {
            let mut state = self.state();
            state.timeouts = 0;
            if (500..=599).contains(&status) {
                state.server_errors += 1;
                exhausted || state.server_errors >= SERVER_ERRORS_TO_TRIP
            } else {
                state.server_errors = 0;
                !write && (status == 401 || (status == 403 && self.forbidden_is_down))
            }
        };
        if trip {
            // The body stays out: a server may echo the credential it
            // refused, and the client, which knows the secret, redacts its
            // own error but never sees this one.
            self.trip(&HttpError::Status {
                op,
                status,
                body: String::new(),
            });
        }
    }

    /// A request failed without an answer, after its retries.
    pub(crate) fn failed(&self, error: &HttpError, connect: bool) {
        let trip = connect || {
            let mut state = self.state();
            state.server_errors += 1;
            state.server_errors >= SERVER_ERRORS_TO_TRIP
        };
        if trip {
            self.trip(error);
        }
    }
}

/// The text a down service's later requests fail with: the first error,
/// with the root cause of a transport failure ("Connection refused").
fn describe(error: &HttpError) -> String {
    let mut text = error.to_string();
    if let HttpError::Transport { source, .. } = error {
        let mut root: &dyn std::error::Error = source;
        while let Some(next) = root.source() {
            root = next;
        }
        let cause = root.to_string();
        if !cause.is_empty() && !text.contains(&cause) {
            text.push_str(&format!(" ({cause})"));
        }
    }
    text
}
