//! Integration tests: the client against wiremock, and against the fake
//! Sonarr.
//!
//! Field and parameter names are Sonarr's own (`src/Sonarr.Api.V3`,
//! `src/NzbDrone.Core` at github.com/Sonarr/Sonarr, tags v3.0.9.1549 and
//! v4.0.19.2979, branch v5-develop at 49df353); each test names the class
//! it pins.

#![recursion_limit = "256"]
mod client;
mod fake;
mod versions;

use arr_common::fake::fast_retries;
use serde_json::{Value, json};
use sonarr_client::{RequestStats, SonarrClient};
use wiremock::MockServer;

/// The API key every wiremock test uses.
const KEY: &str = "3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c";

/// A client for `server`, counting attempts in `stats`.
fn client_with_stats(server: &MockServer, stats: &RequestStats) -> SonarrClient {
    SonarrClient::builder(server.uri(), KEY)
        .retry_policy(fast_retries(3))
        .stats(stats.clone())
        .build()
        .expect("client builds")
}

fn client(server: &MockServer) -> SonarrClient {
    client_with_stats(server, &RequestStats::new())
}

/// A series as a Sonarr 4 server sends it (`SeriesResource`), with fields
/// this crate does not model.
fn series_json(id: i32, tvdb: u32, title: &str, year: i32) -> Value {
    json!({
        "id": id,
        "title": title,
        "alternateTitles": [],
        "sortTitle": title.to_lowercase(),
        "status": "ended",
        "ended": true,
        "overview": "A chemistry teacher turns to crime.",
        "previousAiring": "2013-09-30T01:00:00Z",
        "network": "AMC",
        "airTime": "21:00",
        "images": [{"coverType": "poster", "url": "/MediaCover/4/poster.jpg?lastWrite=638000000000000000", "remoteUrl": "https://artworks.thetvdb.com/banners/posters/81189-10.jpg"}],
        "originalLanguage": {"id": 1, "name": "English"},
        "seasons": [
            {"seasonNumber": 0, "monitored": false, "statistics": {"episodeFileCount": 0, "episodeCount": 0, "totalEpisodeCount": 9, "sizeOnDisk": 0, "releaseGroups": [], "percentOfEpisodes": 0.0}},
            {"seasonNumber": 1, "monitored": true, "statistics": {"previousAiring": "2008-03-10T02:00:00Z", "episodeFileCount": 7, "episodeCount": 7, "totalEpisodeCount": 7, "sizeOnDisk": 10_737_418_240_i64, "releaseGroups": ["GRP"], "percentOfEpisodes": 100.0}}
        ],
        "year": year,
        "path": format!("/tv/{title}"),
        "qualityProfileId": 4,
        "seasonFolder": true,
        "monitored": true,
        "monitorNewItems": "all",
        "useSceneNumbering": false,
        "runtime": 47,
        "tvdbId": tvdb,
        "tvRageId": 18164,
        "tvMazeId": 169,
        "tmdbId": 1396,
        "firstAired": "2008-01-20T00:00:00Z",
        "lastAired": "2013-09-29T00:00:00Z",
        "seriesType": "standard",
        "cleanTitle": title.to_lowercase().replace(' ', ""),
        "imdbId": "tt0903747",
        "titleSlug": title.to_lowercase().replace(' ', "-"),
        "rootFolderPath": "/tv/",
        "certification": "TV-MA",
        "genres": ["Crime", "Drama", "Thriller"],
        "tags": [2],
        "added": "2024-03-02T18:22:41Z",
        "ratings": {"votes": 31714, "value": 9.4},
        "statistics": {"seasonCount": 5, "episodeFileCount": 62, "episodeCount": 62, "totalEpisodeCount": 71, "sizeOnDisk": 95_000_000_000_i64, "releaseGroups": ["GRP"], "percentOfEpisodes": 100.0},
        "languageProfileId": 1
    })
}

/// An episode as Sonarr sends it (`EpisodeResource`).
fn episode_json(id: i32, series: i32, season: i32, number: i32, has_file: bool) -> Value {
    json!({
        "id": id,
        "seriesId": series,
        "tvdbId": 349_232 + id,
        "episodeFileId": if has_file { id + 100 } else { 0 },
        "seasonNumber": season,
        "episodeNumber": number,
        "title": format!("Episode {number}"),
        "airDate": "2008-01-20",
        "airDateUtc": "2008-01-21T02:00:00Z",
        "lastSearchTime": null,
        "runtime": 58,
        "overview": "An episode.",
        "hasFile": has_file,
        "monitored": true,
        "absoluteEpisodeNumber": number,
        "unverifiedSceneNumbering": false
    })
}
