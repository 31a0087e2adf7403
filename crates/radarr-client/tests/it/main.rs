//! Integration tests: the client against wiremock, and against the fake
//! Radarr.

#![recursion_limit = "256"]
mod client;
mod fake;
mod versions;

use arr_common::fake::fast_retries;
use radarr_client::{RadarrClient, RequestStats};
use serde_json::{Value, json};
use wiremock::MockServer;

/// The API key every wiremock test uses.
const KEY: &str = "5e6b7c1d9a2f4e3b8c0d1a2b3c4d5e6f";

/// A client for `server`, counting attempts in `stats`.
fn client_with_stats(server: &MockServer, stats: &RequestStats) -> RadarrClient {
    RadarrClient::builder(server.uri(), KEY)
        .retry_policy(fast_retries(3))
        .stats(stats.clone())
        .build()
        .expect("client builds")
}

fn client(server: &MockServer) -> RadarrClient {
    client_with_stats(server, &RequestStats::new())
}

/// A movie as a Radarr 5 server sends it, with fields this crate does not
/// model.
fn movie_json(id: i32, tmdb: u32, title: &str, year: i32) -> Value {
    json!({
        "id": id,
        "title": title,
        "originalTitle": title,
        "originalLanguage": {"id": 1, "name": "English"},
        "alternateTitles": [],
        "secondaryYearSourceId": 0,
        "sortTitle": title.to_lowercase(),
        "sizeOnDisk": 8_214_733_205_i64,
        "status": "released",
        "overview": "A linguist is recruited to talk with visitors.",
        "inCinemas": "2016-11-10T00:00:00Z",
        "images": [{"coverType": "poster", "url": "/MediaCover/7/poster.jpg", "remoteUrl": "https://image.tmdb.org/t/p/original/x.jpg"}],
        "website": "https://example.org/film",
        "year": year,
        "studio": "Lava Bear Films",
        "path": format!("/movies/{title} ({year})"),
        "qualityProfileId": 4,
        "hasFile": true,
        "movieFileId": 31,
        "monitored": true,
        "minimumAvailability": "released",
        "isAvailable": true,
        "folderName": format!("/movies/{title} ({year})"),
        "runtime": 116,
        "cleanTitle": title.to_lowercase().replace(' ', ""),
        "imdbId": "tt2543164",
        "tmdbId": tmdb,
        "titleSlug": format!("{}-{tmdb}", title.to_lowercase().replace(' ', "-")),
        "rootFolderPath": "/movies",
        "certification": "PG-13",
        "genres": ["Drama", "Science Fiction"],
        "keywords": ["alien contact"],
        "tags": [2],
        "added": "2024-03-02T18:22:41Z",
        "ratings": {"imdb": {"votes": 812345, "value": 7.9, "type": "user"}},
        "movieFile": {"id": 31, "movieId": id, "relativePath": "Arrival.2016.1080p.mkv", "size": 8_214_733_205_i64},
        "popularity": 38.7,
        "statistics": {"movieFileCount": 1, "sizeOnDisk": 8_214_733_205_i64, "releaseGroups": ["GRP"]}
    })
}
