//! Integration tests: the client against wiremock, and against the fake
//! Seerr in each of its profiles.
//!
//! What is sent and answered is Overseerr's (github.com/sct/overseerr at
//! 46a9b24: `overseerr-api.yml`, `server/routes/request.ts`,
//! `server/entity/MediaRequest.ts`, `server/middleware/auth.ts`,
//! `server/index.ts`) and Jellyseerr's (github.com/Fallenbagel/jellyseerr at
//! 3b4d6bf, the same files); each test names what it pins.

mod client;
mod fake;

use std::time::Duration;

use seerr_client::{RequestStats, RetryPolicy, SeerrClient};
use serde_json::{Value, json};
use wiremock::MockServer;

/// The API key every wiremock test uses.
const KEY: &str = "MTczMzUwMDAwMDAwMGQ5ZjQ2YjYtYjZiMy00NmJmLWE3ZTMtMTI";

/// A retry policy of a few milliseconds, so retry tests stay fast.
fn fast_retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        max_retry_after: Duration::from_millis(5),
    }
}

/// A client for `server`, counting attempts in `stats`.
fn client_with_stats(server: &MockServer, stats: &RequestStats) -> SeerrClient {
    SeerrClient::builder(server.uri(), KEY)
        .retry_policy(fast_retries(3))
        .stats(stats.clone())
        .build()
        .expect("client builds")
}

fn client(server: &MockServer) -> SeerrClient {
    client_with_stats(server, &RequestStats::new())
}

/// A request as Overseerr answers a created one (201): the
/// `MediaRequest` entity with its media and users, fields this crate does
/// not model included.
fn created_json(id: u32, kind: &str, tmdb: u32, seasons: &[u32]) -> Value {
    let user = json!({
        "permissions": 2, "id": 1, "email": "admin@example.org", "plexUsername": "admin",
        "username": null, "userType": 1, "avatar": "https://plex.tv/users/1/avatar",
        "createdAt": "2024-01-02T10:00:00.000Z", "updatedAt": "2025-11-14T12:00:00.000Z",
        "requestCount": 4, "displayName": "admin"
    });
    json!({
        "status": 2,
        "is4k": false,
        "serverId": null,
        "profileId": null,
        "rootFolder": null,
        "languageProfileId": null,
        "tags": null,
        "isAutoRequest": false,
        "id": id,
        "type": kind,
        "media": {
            "downloadStatus": [], "downloadStatus4k": [],
            "id": 31, "mediaType": kind, "tmdbId": tmdb, "tvdbId": null, "imdbId": null,
            "status": 2, "status4k": 1,
            "createdAt": "2025-11-14T12:00:00.000Z", "updatedAt": "2025-11-14T12:00:00.000Z",
            "lastSeasonChange": "2025-11-14T12:00:00.000Z",
            "mediaAddedAt": null, "serviceId": null, "serviceId4k": null,
            "externalServiceId": null, "externalServiceId4k": null,
            "externalServiceSlug": null, "externalServiceSlug4k": null,
            "ratingKey": null, "ratingKey4k": null, "serviceUrl": null
        },
        "requestedBy": user,
        "modifiedBy": user,
        "seasons": seasons.iter().map(|n| json!({
            "id": 100 + n, "seasonNumber": n, "status": 2,
            "createdAt": "2025-11-14T12:00:00.000Z", "updatedAt": "2025-11-14T12:00:00.000Z"
        })).collect::<Vec<_>>(),
        "createdAt": "2025-11-14T12:00:00.000Z",
        "updatedAt": "2025-11-14T12:00:00.000Z"
    })
}
