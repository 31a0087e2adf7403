//! Integration tests: the client against wiremock, and the fake Plex server.

mod client;
#[cfg(feature = "fake")]
mod fake;
#[cfg(feature = "fake")]
mod fake_hubs;
#[cfg(feature = "fake")]
mod fake_shows;
mod hubs;
mod shows;
mod thumbnails;

use std::time::Duration;

use plex_client::{PlexClient, PlexClientBuilder, RetryPolicy};
use wiremock::MockServer;

/// The token the wiremock tests use; long enough to be searched for.
pub(crate) const TOKEN: &str = "tok-9f8e7d6c5b4a";

/// Retries that take milliseconds, not seconds.
pub(crate) fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_retries: 3,
        base_delay: Duration::from_millis(2),
        max_delay: Duration::from_millis(10),
        max_retry_after: Duration::from_millis(10),
    }
}

pub(crate) fn builder(server: &MockServer) -> PlexClientBuilder {
    PlexClient::builder(server.uri(), TOKEN)
        .client_identifier("curator-tests")
        .retry_policy(fast_retries())
}

pub(crate) fn client(server: &MockServer) -> PlexClient {
    builder(server).build().expect("client builds")
}
