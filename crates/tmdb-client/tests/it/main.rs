//! Integration tests for tmdb-client: the HTTP client against wiremock, the
//! file cache, and the fake server through the real client.

mod cache;
mod client;
mod fake;
mod fake_tv;
mod posters;
mod tv;

use std::time::Duration;

use curator_http::{RetryPolicy, Secret};
use tmdb_client::{TmdbClient, TmdbClientBuilder};
use wiremock::MockServer;

/// A well-formed v3 API key (32 hex characters).
const KEY: &str = "5f2b9c1d7e4a8b6c3d0e1f2a3b4c5d6e";

/// A well-formed v4 read access token (a JWT).
const TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiI1ZjJiOWMxZDdlNGE4YjZjIiwic3ViIjoiY3VyYXRvci10ZXN0cyJ9.dGVzdC1zaWduYXR1cmUtbm90LXJlYWw";

/// Retries in milliseconds so tests stay fast.
fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_retries: 3,
        base_delay: Duration::from_millis(2),
        max_delay: Duration::from_millis(10),
        max_retry_after: Duration::from_secs(5),
    }
}

fn builder(server: &MockServer, credential: &str) -> TmdbClientBuilder {
    TmdbClient::builder()
        .base_url(server.uri())
        .credential(Secret::new(credential))
        .retry(fast_retry())
        .rate_limit(0)
}

/// A v3-key client for `server`, without rate limit.
fn client(server: &MockServer) -> TmdbClient {
    builder(server, KEY).build().unwrap()
}

/// An error and all its sources, as the CLI would print them.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
