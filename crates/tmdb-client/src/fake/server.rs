//! The fake server: routing, auth, faults and the TMDb behaviours.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use curator_http::fake::{Fault, Faults, header, json, query, segments};
use curator_http::{ImdbId, RequestStats, RetryPolicy, Secret, TmdbId};
use serde_json::{Value, json};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use wiremock::{MockServer, Request, Respond, ResponseTemplate};

use super::catalog::{FakeMovie, genre_list};
use crate::api::ops;
use crate::client::{TmdbClient, TmdbClientBuilder};
use crate::model::{DiscoverSort, GenreId};

/// Results per page, as on TMDb.
const PAGE_SIZE: usize = 20;

/// A running fake TMDb. Dropping it stops the server.
#[derive(Debug)]
pub struct FakeTmdb {
    server: MockServer,
    state: Arc<Mutex<State>>,
    stats: RequestStats,
    faults: Faults,
}

#[derive(Debug, Default)]
struct State {
    movies: BTreeMap<TmdbId, FakeMovie>,
}

impl FakeTmdb {
    /// The v3 API key the fake accepts (as `api_key`).
    pub const API_KEY: &'static str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

    /// The v4 read access token the fake accepts (as `Authorization: Bearer`).
    pub const ACCESS_TOKEN: &'static str = "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJmYWtlLXRtZGItY3VyYXRvciIsInNjb3BlcyI6WyJhcGlfcmVhZCJdfQ.ZmFrZS1zaWduYXR1cmUtZm9yLXRlc3Rz";

    /// Starts a fake serving `catalog`.
    pub async fn start(catalog: Vec<FakeMovie>) -> Self {
        let state = Arc::new(Mutex::new(State {
            movies: catalog.into_iter().map(|m| (m.id, m)).collect(),
        }));
        let stats = RequestStats::new();
        let faults = Faults::new();
        let server = curator_http::fake::serve(
            "fake TMDb",
            Responder {
                state: Arc::clone(&state),
                stats: stats.clone(),
                faults: faults.clone(),
            },
        )
        .await;
        Self {
            server,
            state,
            stats,
            faults,
        }
    }

    /// The API root to give a client, like `https://api.themoviedb.org/3`.
    pub fn uri(&self) -> String {
        format!("{}/3", self.server.uri())
    }

    /// A client builder pointed at this fake with [`Self::API_KEY`], no
    /// rate limit and millisecond retries; adjust it and build.
    pub fn client_builder(&self) -> TmdbClientBuilder {
        TmdbClient::builder()
            .base_url(self.uri())
            .credential(Secret::new(Self::API_KEY))
            .rate_limit(0)
            .retry(RetryPolicy {
                max_retries: 3,
                base_delay: Duration::from_millis(2),
                max_delay: Duration::from_millis(20),
                max_retry_after: Duration::from_secs(2),
            })
    }

    /// A ready client for this fake (see [`Self::client_builder`]).
    ///
    /// # Panics
    /// Never in practice: the fake's URI and key are valid.
    pub fn client(&self) -> TmdbClient {
        self.client_builder()
            .build()
            .expect("the fake's client settings are valid")
    }

    /// Requests received, per operation ([`ops`] names; `"tmdb.unknown"`
    /// for paths the fake does not serve).
    pub fn stats(&self) -> &RequestStats {
        &self.stats
    }

    /// The fault queue: the next N requests to an operation fail.
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    /// Makes the next `times` requests to `op` (or `"*"`) get TMDb's 429
    /// (code 25) with `Retry-After: <retry_after_secs>`.
    pub fn throttle(&self, op: &str, times: usize, retry_after_secs: u64) {
        self.faults
            .inject(op, Fault::StatusRetryAfter(429, retry_after_secs), times);
    }

    /// Adds or replaces a movie.
    pub fn add_movie(&self, movie: FakeMovie) {
        self.state().movies.insert(movie.id, movie);
    }

    /// Removes a movie; true if it was there.
    pub fn remove_movie(&self, id: TmdbId) -> bool {
        self.state().movies.remove(&id).is_some()
    }

    /// A movie of the catalogue.
    pub fn movie(&self, id: TmdbId) -> Option<FakeMovie> {
        self.state().movies.get(&id).cloned()
    }

    /// The whole catalogue, by id.
    pub fn movies(&self) -> Vec<FakeMovie> {
        self.state().movies.values().cloned().collect()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

struct Responder {
    state: Arc<Mutex<State>>,
    stats: RequestStats,
    faults: Faults,
}

/// A routed request: the operation and what it names.
enum Route {
    Search,
    Movie(Option<TmdbId>),
    Recommendations(Option<TmdbId>),
    Similar(Option<TmdbId>),
    Discover,
    Find(String),
    Genres,
    Unknown,
}

impl Route {
    fn of(request: &Request) -> Self {
        if request.method != wiremock::http::Method::GET {
            return Self::Unknown;
        }
        let segments = segments(request);
        let parts: Vec<&str> = segments.iter().map(String::as_str).collect();
        let id = |s: &str| s.parse().ok().map(TmdbId);
        match parts.as_slice() {
            ["3", "search", "movie"] => Self::Search,
            ["3", "movie", movie] => Self::Movie(id(movie)),
            ["3", "movie", movie, "recommendations"] => Self::Recommendations(id(movie)),
            ["3", "movie", movie, "similar"] => Self::Similar(id(movie)),
            ["3", "discover", "movie"] => Self::Discover,
            ["3", "find", external] => Self::Find((*external).to_owned()),
            ["3", "genre", "movie", "list"] => Self::Genres,
            _ => Self::Unknown,
        }
    }

    fn op(&self) -> &'static str {
        match self {
            Self::Search => ops::SEARCH_MOVIES,
            Self::Movie(_) => ops::MOVIE,
            Self::Recommendations(_) => ops::RECOMMENDATIONS,
            Self::Similar(_) => ops::SIMILAR,
            Self::Discover => ops::DISCOVER,
            Self::Find(_) => ops::FIND_BY_IMDB,
            Self::Genres => ops::GENRES,
            Self::Unknown => "tmdb.unknown",
        }
    }
}

/// TMDb's error body.
fn tmdb_error(status: u16, code: u32, message: &str) -> ResponseTemplate {
    json(
        status,
        &json!({"success": false, "status_code": code, "status_message": message}),
    )
}

fn not_found() -> ResponseTemplate {
    tmdb_error(404, 34, "The resource you requested could not be found.")
}

/// The TMDb error answer for an injected status.
fn injected(status: u16, retry_after: Option<u64>) -> ResponseTemplate {
    let response = match status {
        401 => tmdb_error(401, 7, "Invalid API key: You must be granted a valid key."),
        404 => not_found(),
        429 => tmdb_error(
            429,
            25,
            "Your request count (#) is over the allowed limit of (40).",
        ),
        503 => tmdb_error(
            503,
            9,
            "Service offline: This service is temporarily offline, try again later.",
        ),
        504 => tmdb_error(
            504,
            24,
            "Your request to the backend server timed out. Try again.",
        ),
        other => tmdb_error(
            other,
            11,
            "Internal error: Something went wrong, contact TMDb.",
        ),
    };
    match retry_after {
        Some(secs) => response.insert_header("Retry-After", secs.to_string().as_str()),
        None => response,
    }
}

impl Respond for Responder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let route = Route::of(request);
        let op = route.op();
        self.stats.record(op);
        let mut delay = None;
        match self.faults.take(op) {
            Some(Fault::Status(status)) => return injected(status, None),
            Some(Fault::StatusRetryAfter(status, secs)) => return injected(status, Some(secs)),
            Some(Fault::Hang(wait)) => delay = Some(wait),
            Some(other) => match other.apply() {
                curator_http::fake::FaultEffect::Respond(answer) => return answer,
                curator_http::fake::FaultEffect::Delay(wait) => delay = Some(wait),
            },
            None => {}
        }
        let response = if authorized(request) {
            let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            answer(&state, &route, request)
        } else {
            injected(401, None)
        };
        match delay {
            Some(wait) => response.set_delay(wait),
            None => response,
        }
    }
}

/// Either credential form, right value. A wrong one in either place fails.
fn authorized(request: &Request) -> bool {
    let key = query(request, "api_key");
    let bearer = header(request, "authorization");
    let key_ok = key.as_deref().map(|k| k == FakeTmdb::API_KEY);
    let bearer_ok = bearer
        .as_deref()
        .map(|b| b.strip_prefix("Bearer ") == Some(FakeTmdb::ACCESS_TOKEN));
    match (key_ok, bearer_ok) {
        (None, None) => false,
        (key, bearer) => key.unwrap_or(true) && bearer.unwrap_or(true),
    }
}

/// The page parameter: 1 to 500, default 1; `None` when invalid.
fn page_param(request: &Request) -> Option<usize> {
    match query(request, "page") {
        None => Some(1),
        Some(text) => text.parse::<usize>().ok().filter(|p| (1..=500).contains(p)),
    }
}

fn answer(state: &State, route: &Route, request: &Request) -> ResponseTemplate {
    let Some(page) = page_param(request) else {
        return tmdb_error(
            400,
            22,
            "Invalid page: Pages start at 1 and max at 500. They are expected to be an integer.",
        );
    };
    let list = |ids: &[TmdbId]| -> Vec<&FakeMovie> {
        ids.iter().filter_map(|id| state.movies.get(id)).collect()
    };
    match route {
        Route::Search => {
            let text = query(request, "query").unwrap_or_default();
            // As on TMDb: `year` matches any release date (a re-release
            // of a namesake too), `primary_release_year` only the first.
            let year = |name| query(request, name).and_then(|y| y.parse::<i32>().ok());
            let any_release = year("year");
            let first_release = year("primary_release_year");
            let mut found: Vec<&FakeMovie> = state
                .movies
                .values()
                .filter(|m| any_release.is_none_or(|y| m.release_years().contains(&y)))
                .filter(|m| first_release.is_none_or(|y| m.year() == Some(y)))
                .filter(|m| title_matches(&text, m))
                .collect();
            found.sort_by(|a, b| b.popularity.total_cmp(&a.popularity).then(a.id.cmp(&b.id)));
            json(200, &page_json(&found, page))
        }
        Route::Movie(id) => match id.and_then(|id| state.movies.get(&id)) {
            Some(movie) => {
                let append = query(request, "append_to_response").unwrap_or_default();
                let external_ids = append.split(',').any(|a| a.trim() == "external_ids");
                json(200, &details_json(movie, external_ids))
            }
            None => not_found(),
        },
        Route::Recommendations(id) | Route::Similar(id) => {
            match id.and_then(|id| state.movies.get(&id)) {
                Some(movie) => {
                    let ids = if matches!(route, Route::Similar(_)) {
                        &movie.similar
                    } else {
                        &movie.recommendations
                    };
                    json(200, &page_json(&list(ids), page))
                }
                None => not_found(),
            }
        }
        Route::Discover => discover(state, request, page),
        Route::Find(external) => {
            if query(request, "external_source").as_deref() != Some("imdb_id") {
                return tmdb_error(
                    400,
                    5,
                    "Invalid parameters: Your request parameters are incorrect.",
                );
            }
            let wanted = ImdbId::parse(external);
            let movies: Vec<Value> = state
                .movies
                .values()
                .filter(|m| wanted.is_some() && m.imdb_id == wanted)
                .map(summary_json)
                .collect();
            json(
                200,
                &json!({
                    "movie_results": movies,
                    "person_results": [],
                    "tv_results": [],
                    "tv_episode_results": [],
                    "tv_season_results": [],
                }),
            )
        }
        Route::Genres => {
            let genres: Vec<Value> = genre_list()
                .into_iter()
                .map(|g| json!({"id": g.id.0, "name": g.name}))
                .collect();
            json(200, &json!({ "genres": genres }))
        }
        Route::Unknown => not_found(),
    }
}

fn discover(state: &State, request: &Request, page: usize) -> ResponseTemplate {
    // `a|b` is OR, `a,b` is AND, as on TMDb.
    let genres = query(request, "with_genres").unwrap_or_default();
    let any_of: Vec<Vec<GenreId>> = genres
        .split('|')
        .filter(|g| !g.trim().is_empty())
        .map(|group| {
            group
                .split(',')
                .filter_map(|g| g.trim().parse().ok().map(GenreId))
                .collect()
        })
        .collect();
    // Movies with any of these genres are left out.
    let without: Vec<GenreId> = query(request, "without_genres")
        .unwrap_or_default()
        .split([',', '|'])
        .filter_map(|g| g.trim().parse().ok().map(GenreId))
        .collect();
    let floor: u32 = query(request, "vote_count.gte")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let sort = query(request, "sort_by")
        .and_then(|s| DiscoverSort::parse(&s))
        .unwrap_or_default();
    let mut found: Vec<&FakeMovie> = state
        .movies
        .values()
        .filter(|m| m.vote_count >= floor)
        .filter(|m| !m.genres.iter().any(|g| without.contains(g)))
        .filter(|m| {
            any_of.is_empty()
                || any_of
                    .iter()
                    .any(|all| all.iter().all(|g| m.genres.contains(g)))
        })
        .collect();
    found.sort_by(|a, b| {
        let order = match sort {
            DiscoverSort::VoteAverageDesc => b.vote_average.total_cmp(&a.vote_average),
            DiscoverSort::VoteCountDesc => b.vote_count.cmp(&a.vote_count),
            DiscoverSort::ReleaseDateDesc => b.release_date.cmp(&a.release_date),
            _ => b.popularity.total_cmp(&a.popularity),
        };
        order.then(a.id.cmp(&b.id))
    });
    json(200, &page_json(&found, page))
}

/// Folds case and accents, reads `&` as "and" (TMDb finds "Pride &
/// Prejudice" for "pride and prejudice"), and turns punctuation into spaces.
fn fold(text: &str) -> String {
    let folded: String = text
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            '&' => '\u{1}',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        })
        .collect();
    folded
        .replace('\u{1}', " and ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// TMDb-like matching: the folded query appears in the folded title, or
/// every query word starts a word of the title (or of the original title).
fn title_matches(query: &str, movie: &FakeMovie) -> bool {
    let query = fold(query);
    if query.is_empty() {
        return false;
    }
    [&movie.title, &movie.original_title]
        .into_iter()
        .any(|title| {
            let title = fold(title);
            title.contains(&query)
                || query
                    .split(' ')
                    .all(|word| title.split(' ').any(|t| t.starts_with(word)))
        })
}

fn page_json(movies: &[&FakeMovie], page: usize) -> Value {
    let total = movies.len();
    let results: Vec<Value> = movies
        .iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .map(|m| summary_json(m))
        .collect();
    json!({
        "page": page,
        "results": results,
        "total_pages": total.div_ceil(PAGE_SIZE).max(1),
        "total_results": total,
    })
}

fn summary_json(movie: &FakeMovie) -> Value {
    json!({
        "adult": false,
        "backdrop_path": null,
        "genre_ids": movie.genres.iter().map(|g| g.0).collect::<Vec<_>>(),
        "id": movie.id.0,
        "original_language": movie.original_language,
        "original_title": movie.original_title,
        "overview": movie.overview,
        "popularity": movie.popularity,
        "poster_path": null,
        "release_date": movie.release_date,
        "title": movie.title,
        "video": false,
        "vote_average": movie.vote_average,
        "vote_count": movie.vote_count,
    })
}

fn details_json(movie: &FakeMovie, external_ids: bool) -> Value {
    let names = genre_list();
    let genres: Vec<Value> = movie
        .genres
        .iter()
        .map(|id| {
            let name = names.iter().find(|g| g.id == *id).map(|g| g.name.as_str());
            json!({"id": id.0, "name": name.unwrap_or("")})
        })
        .collect();
    let imdb = movie.imdb_id.as_ref().map(ImdbId::as_str);
    let mut details = json!({
        "adult": false,
        "backdrop_path": null,
        "belongs_to_collection": null,
        "budget": 0,
        "genres": genres,
        "homepage": "",
        "id": movie.id.0,
        "imdb_id": imdb,
        "origin_country": [],
        "original_language": movie.original_language,
        "original_title": movie.original_title,
        "overview": movie.overview,
        "popularity": movie.popularity,
        "poster_path": null,
        "production_companies": [],
        "production_countries": [],
        "release_date": movie.release_date,
        "revenue": 0,
        "runtime": movie.runtime.unwrap_or(0),
        "spoken_languages": [],
        "status": "Released",
        "tagline": "",
        "title": movie.title,
        "video": false,
        "vote_average": movie.vote_average,
        "vote_count": movie.vote_count,
    });
    if external_ids {
        details["external_ids"] = json!({
            "imdb_id": imdb,
            "wikidata_id": null,
            "facebook_id": null,
            "instagram_id": null,
            "twitter_id": null,
        });
    }
    details
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_and_matching() {
        assert_eq!(
            fold("  Le Fabuleux Destin d'Amélie "),
            "le fabuleux destin d amelie"
        );
        let amelie = FakeMovie::new(194, "Amélie", 2001)
            .original("Le Fabuleux Destin d'Amélie Poulain", "fr");
        for query in ["amelie", "AMÉLIE", "destin amel", "fabuleux"] {
            assert!(title_matches(query, &amelie), "{query}");
        }
        for query in ["", "poulainx", "amelia"] {
            assert!(!title_matches(query, &amelie), "{query}");
        }
        let pride = FakeMovie::new(4348, "Pride & Prejudice", 2005);
        for query in [
            "Pride and Prejudice",
            "pride & prejudice",
            "Pride&Prejudice",
        ] {
            assert!(title_matches(query, &pride), "{query}");
        }
    }
}
