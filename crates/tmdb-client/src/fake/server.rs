//! The fake server: routing, auth, faults and the TMDb behaviours.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use curator_http::fake::{Fault, Faults, header, json, query, segments};
use curator_http::{ImdbId, RequestStats, RetryPolicy, Secret, TmdbId};
use serde_json::{Value, json};
use wiremock::{MockServer, Request, Respond, ResponseTemplate};

use super::catalog::{FakeMovie, genre_list};
use super::respond::{
    DiscoverFilter, genre_list_json, genres_json, invalid_page, invalid_parameters, name_matches,
    not_found, page_json, page_param, poster_path, tmdb_error, year_param,
};
use super::tv::{self, Shows};
use super::tv_catalog::{FakeShow, tv_genre_list};
use crate::api::ops;
use crate::client::{TmdbClient, TmdbClientBuilder};
use crate::model::DiscoverSort;

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
    /// Apart from the movies: TMDb numbers shows on their own.
    shows: Shows,
}

impl FakeTmdb {
    /// The v3 API key the fake accepts (as `api_key`).
    pub const API_KEY: &'static str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

    /// The v4 read access token the fake accepts (as `Authorization: Bearer`).
    pub const ACCESS_TOKEN: &'static str = "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJmYWtlLXRtZGItY3VyYXRvciIsInNjb3BlcyI6WyJhcGlfcmVhZCJdfQ.ZmFrZS1zaWduYXR1cmUtZm9yLXRlc3Rz";

    /// Starts a fake serving the movies of `catalog` and no shows.
    pub async fn start(catalog: Vec<FakeMovie>) -> Self {
        Self::start_with(catalog, Vec::new()).await
    }

    /// Starts a fake serving these movies and shows (such as
    /// [`sample_catalog`](super::sample_catalog) and
    /// [`sample_tv_catalog`](super::sample_tv_catalog)).
    pub async fn start_with(movies: Vec<FakeMovie>, shows: Vec<FakeShow>) -> Self {
        let state = Arc::new(Mutex::new(State {
            movies: movies.into_iter().map(|m| (m.id, m)).collect(),
            shows: shows.into_iter().map(|s| (s.id, s)).collect(),
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
            .image_base_url(self.image_base_url())
            .credential(Secret::new(Self::API_KEY))
            .rate_limit(0)
            .retry(RetryPolicy {
                max_retries: 3,
                base_delay: Duration::from_millis(2),
                max_delay: Duration::from_millis(20),
                max_retry_after: Duration::from_secs(2),
            })
    }

    /// The image host's root to give a client, like
    /// `https://image.tmdb.org/t/p`: the same server serves the posters
    /// of the movies and shows it knows.
    pub fn image_base_url(&self) -> String {
        format!("{}/t/p", self.server.uri())
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

    /// Adds or replaces a show.
    pub fn add_show(&self, show: FakeShow) {
        self.state().shows.insert(show.id, show);
    }

    /// Removes a show; true if it was there.
    pub fn remove_show(&self, id: TmdbId) -> bool {
        self.state().shows.remove(&id).is_some()
    }

    /// A show of the catalogue.
    pub fn show(&self, id: TmdbId) -> Option<FakeShow> {
        self.state().shows.get(&id).cloned()
    }

    /// Every show, by id.
    pub fn shows(&self) -> Vec<FakeShow> {
        self.state().shows.values().cloned().collect()
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
    /// The external id and `external_source`.
    Find(String, Option<String>),
    Genres,
    SearchShows,
    Show(Option<TmdbId>),
    ShowRecommendations(Option<TmdbId>),
    SimilarShows(Option<TmdbId>),
    DiscoverShows,
    TvGenres,
    /// An image on the image host: size and file name.
    Poster(String, String),
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
            ["3", "find", external] => {
                Self::Find((*external).to_owned(), query(request, "external_source"))
            }
            ["3", "genre", "movie", "list"] => Self::Genres,
            ["3", "search", "tv"] => Self::SearchShows,
            ["3", "tv", show] => Self::Show(id(show)),
            ["3", "tv", show, "recommendations"] => Self::ShowRecommendations(id(show)),
            ["3", "tv", show, "similar"] => Self::SimilarShows(id(show)),
            ["3", "discover", "tv"] => Self::DiscoverShows,
            ["3", "genre", "tv", "list"] => Self::TvGenres,
            ["t", "p", size, file] => Self::Poster((*size).to_owned(), (*file).to_owned()),
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
            Self::Find(_, source) if source.as_deref() == Some("tvdb_id") => ops::FIND_BY_TVDB,
            Self::Find(..) => ops::FIND_BY_IMDB,
            Self::Genres => ops::GENRES,
            Self::SearchShows => ops::SEARCH_SHOWS,
            Self::Show(_) => ops::SHOW,
            Self::ShowRecommendations(_) => ops::SHOW_RECOMMENDATIONS,
            Self::SimilarShows(_) => ops::SIMILAR_SHOWS,
            Self::DiscoverShows => ops::DISCOVER_SHOWS,
            Self::TvGenres => ops::TV_GENRES,
            Self::Poster(..) => ops::POSTER,
            Self::Unknown => "tmdb.unknown",
        }
    }
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
        // The image host asks for no credential.
        let response = if let Route::Poster(size, file) = &route {
            let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            poster(&state, size, file)
        } else if authorized(request) {
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

fn answer(state: &State, route: &Route, request: &Request) -> ResponseTemplate {
    let Some(page) = page_param(request) else {
        return invalid_page();
    };
    let list = |ids: &[TmdbId]| -> Vec<&FakeMovie> {
        ids.iter().filter_map(|id| state.movies.get(id)).collect()
    };
    match route {
        Route::Search => {
            let text = query(request, "query").unwrap_or_default();
            // As on TMDb: `year` matches any release date (a re-release
            // of a namesake too), `primary_release_year` only the first.
            let any_release = year_param(request, "year");
            let first_release = year_param(request, "primary_release_year");
            let mut found: Vec<&FakeMovie> = state
                .movies
                .values()
                .filter(|m| any_release.is_none_or(|y| m.release_years().contains(&y)))
                .filter(|m| first_release.is_none_or(|y| m.year() == Some(y)))
                .filter(|m| name_matches(&text, [&m.title, &m.original_title]))
                .collect();
            found.sort_by(|a, b| b.popularity.total_cmp(&a.popularity).then(a.id.cmp(&b.id)));
            json(200, &page_json(summaries(&found), page))
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
                    json(200, &page_json(summaries(&list(ids)), page))
                }
                None => not_found(),
            }
        }
        Route::Discover => discover(state, request, page),
        Route::Find(external, source) => find(state, external, source.as_deref()),
        Route::Genres => genre_list_json(&genre_list()),
        Route::SearchShows => tv::search(&state.shows, request, page),
        Route::Show(id) => tv::details(&state.shows, *id, request),
        Route::ShowRecommendations(id) => tv::linked(&state.shows, *id, false, page),
        Route::SimilarShows(id) => tv::linked(&state.shows, *id, true, page),
        Route::DiscoverShows => tv::discover(&state.shows, request, page),
        Route::TvGenres => genre_list_json(&tv_genre_list()),
        Route::Poster(..) | Route::Unknown => not_found(),
    }
}

/// `GET /find/{id}`: every kind of object with that external id, each in
/// its own list, as TMDb answers (find-by-id). Movies are found by IMDb id
/// only; shows by IMDb or TVDB id.
fn find(state: &State, external: &str, source: Option<&str>) -> ResponseTemplate {
    let (movies, shows) = match source {
        Some("imdb_id") => {
            let wanted = ImdbId::parse(external);
            let movies: Vec<&FakeMovie> = state
                .movies
                .values()
                .filter(|m| wanted.is_some() && m.imdb_id == wanted)
                .collect();
            (
                summaries(&movies),
                tv::find_by_imdb(&state.shows, wanted.as_ref()),
            )
        }
        Some("tvdb_id") => (Vec::new(), tv::find_by_tvdb(&state.shows, external)),
        _ => return invalid_parameters(),
    };
    json(
        200,
        &json!({
            "movie_results": movies,
            "person_results": [],
            "tv_results": shows,
            "tv_episode_results": [],
            "tv_season_results": [],
        }),
    )
}

fn discover(state: &State, request: &Request, page: usize) -> ResponseTemplate {
    let filter = DiscoverFilter::of(request);
    let sort = query(request, "sort_by")
        .and_then(|s| DiscoverSort::parse(&s))
        .unwrap_or_default();
    let mut found: Vec<&FakeMovie> = state
        .movies
        .values()
        .filter(|m| filter.keeps(&m.genres, m.vote_count))
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
    json(200, &page_json(summaries(&found), page))
}

fn summaries(movies: &[&FakeMovie]) -> Vec<Value> {
    movies.iter().map(|m| summary_json(m)).collect()
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
    let genres = genres_json(&movie.genres, &genre_list());
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
        "poster_path": poster_path("movie", movie.id),
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

/// `GET /t/p/{size}/{file}` on the image host: a PNG as wide as the size
/// says (2:3, as posters are; `original` is 300 wide), in a colour of the
/// title's own, for the posters of movies and shows the fake knows; 404
/// for anything else, as the image host answers a file it does not have.
fn poster(state: &State, size: &str, file: &str) -> ResponseTemplate {
    let width = match size {
        "original" => Some(300),
        size => size
            .strip_prefix('w')
            .and_then(|w| w.parse::<u32>().ok())
            .filter(|w| [92, 154, 185, 342, 500, 780].contains(w)),
    };
    let known = |kind: &str, id: &str| -> Option<u32> {
        let id: u32 = id.parse().ok()?;
        let found = match kind {
            "movie" => state.movies.contains_key(&TmdbId(id)),
            "show" => state.shows.contains_key(&TmdbId(id)),
            _ => false,
        };
        found.then_some(id)
    };
    let id = file
        .strip_prefix("fake-")
        .and_then(|rest| rest.strip_suffix(".png"))
        .and_then(|rest| rest.split_once('-'))
        .and_then(|(kind, id)| known(kind, id).map(|id| (kind == "show", id)));
    match (width, id) {
        (Some(width), Some((show, id))) => {
            let [r, g, b, _] = id
                .wrapping_mul(2_654_435_761)
                .wrapping_add(u32::from(show))
                .to_le_bytes();
            let image = curator_http::fake::png(width, width * 3 / 2, [r, g, b]);
            ResponseTemplate::new(200).set_body_raw(image, "image/png")
        }
        _ => ResponseTemplate::new(404)
            .set_body_raw("<html><body>Not Found</body></html>", "text/html"),
    }
}
