//! The HTTP client and its builder.

use std::fmt;
use std::time::Duration;

use arr_common::{EDITOR_CHUNK, ErrorBody, send_in_chunks, unique_sorted};
use async_trait::async_trait;
use curator_http::reqwest::header::CONTENT_TYPE;
use curator_http::reqwest::{Method, Url};
use curator_http::{
    HttpClient, HttpConfig, HttpError, RawResponse, RequestStats, RetryPolicy, Safety, Secret,
    TmdbId, truncate_body,
};
use serde::Serialize;

use crate::api::RadarrApi;
use crate::error::{Error, Result, ValidationFailure};
use crate::model::{
    AddMovie, AddOutcome, Command, MinimumAvailability, Movie, MovieEditor, MovieId,
    QualityProfile, RootFolder, SystemStatus, Tag, TagId,
};
use crate::op;

/// How long the whole movie list may take by default: on a library of about
/// 10,000 movies Radarr needs 20 to 40 s, more than one ordinary request.
pub const DEFAULT_MOVIE_LIST_TIMEOUT: Duration = Duration::from_secs(300);

/// A Radarr v3 client.
///
/// Build one with [`RadarrClient::builder`]; clones share the connection
/// pool and the request counters. The API key travels only in the
/// `X-Api-Key` header, marked sensitive, and never shows in `Debug` output,
/// logs or errors.
///
/// ```no_run
/// use radarr_client::{RadarrApi, RadarrClient};
///
/// # async fn demo() -> radarr_client::Result<()> {
/// let radarr = RadarrClient::builder("http://127.0.0.1:7878", "0123456789abcdef").build()?;
/// let status = radarr.system_status().await?;
/// println!("{} {}", status.app_name, status.version);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct RadarrClient {
    http: HttpClient,
    base: Url,
    api_key: Secret,
    movie_list_timeout: Duration,
}

impl fmt::Debug for RadarrClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RadarrClient")
            .field("base_url", &self.base.as_str())
            .field("api_key", &self.api_key)
            .finish_non_exhaustive()
    }
}

/// Settings for a [`RadarrClient`].
#[derive(Debug, Clone)]
pub struct RadarrClientBuilder {
    base_url: String,
    api_key: Secret,
    config: HttpConfig,
    movie_list_timeout: Duration,
}

impl RadarrClientBuilder {
    /// Settings for the Radarr at `base_url` (such as
    /// `http://192.168.1.10:7878`, with its URL base if it has one:
    /// `https://example.org/radarr`), with the default timeouts and retries.
    pub fn new(base_url: impl Into<String>, api_key: impl Into<Secret>) -> Self {
        Self {
            base_url: base_url.into(),
            api_key: api_key.into(),
            config: HttpConfig::default(),
            movie_list_timeout: DEFAULT_MOVIE_LIST_TIMEOUT,
        }
    }

    /// How long to wait for a connection (default 10 s).
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.connect_timeout = timeout;
        self
    }

    /// How long one attempt may take, answer included (default 30 s).
    #[must_use]
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.config.request_timeout = timeout;
        self
    }

    /// How long reading the whole movie list ([`RadarrApi::movies`]) may
    /// take (default [`DEFAULT_MOVIE_LIST_TIMEOUT`], 300 s). That one read
    /// is unpaged and slow on large libraries; it is not retried after a
    /// timeout, since every retry adds the same load on Radarr.
    #[must_use]
    pub fn movie_list_timeout(mut self, timeout: Duration) -> Self {
        self.movie_list_timeout = timeout;
        self
    }

    /// When to retry (default: [`RetryPolicy::default`]). Adding a movie is
    /// never retried once Radarr may have acted on it, whatever the policy.
    #[must_use]
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.config.retry = policy;
        self
    }

    /// Counts every attempt in `stats`, under the names in [`crate::op`].
    #[must_use]
    pub fn stats(mut self, stats: RequestStats) -> Self {
        self.config.stats = Some(stats);
        self
    }

    /// Marks Radarr down for the rest of the run after a failure that will
    /// not change within it, so later requests fail at once (see
    /// [`curator_http::Breaker`]; off by default).
    #[must_use]
    pub fn breaker(mut self, breaker: curator_http::Breaker) -> Self {
        self.config.breaker = Some(breaker);
        self
    }

    /// The `User-Agent` header.
    #[must_use]
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.config.user_agent = user_agent.into();
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`Error::Config`] for a base URL that is not http(s), a blank API key
    /// or one a header cannot carry; [`Error::Http`] when the TLS backend
    /// cannot start.
    pub fn build(self) -> Result<RadarrClient> {
        let (base, headers) = arr_common::connection(&self.base_url, &self.api_key, "Radarr")
            .map_err(|message| Error::Config { message })?;
        let http = HttpClient::new(self.config, headers)?;
        Ok(RadarrClient {
            http,
            base,
            api_key: self.api_key,
            movie_list_timeout: self.movie_list_timeout,
        })
    }
}

impl RadarrClient {
    /// Settings for the Radarr at `base_url`; see [`RadarrClientBuilder`].
    pub fn builder(base_url: impl Into<String>, api_key: impl Into<Secret>) -> RadarrClientBuilder {
        RadarrClientBuilder::new(base_url, api_key)
    }

    /// The base URL requests go to, with a trailing slash.
    pub fn base_url(&self) -> &str {
        self.base.as_str()
    }

    /// The request counters, if the builder was given some.
    pub fn stats(&self) -> Option<&RequestStats> {
        self.http.stats()
    }

    /// Sends one request and returns the answer, whatever its status.
    async fn send(
        &self,
        op: &'static str,
        safety: Safety,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<Vec<u8>>,
    ) -> Result<RawResponse> {
        self.send_within(op, safety, method, path, query, body, None)
            .await
    }

    /// [`RadarrClient::send`] with its own timeout per attempt, when given.
    #[allow(clippy::too_many_arguments)]
    async fn send_within(
        &self,
        op: &'static str,
        safety: Safety,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<Vec<u8>>,
        timeout: Option<Duration>,
    ) -> Result<RawResponse> {
        let url = self.base.join(path).map_err(|e| {
            Error::from(HttpError::Build {
                op,
                message: e.to_string(),
            })
        })?;
        let response = self
            .http
            .send(op, safety, |client| {
                let mut request = client.request(method.clone(), url.clone()).query(query);
                if let Some(timeout) = timeout {
                    request = request.timeout(timeout);
                }
                match &body {
                    Some(body) => request
                        .header(CONTENT_TYPE, "application/json")
                        .body(body.clone()),
                    None => request,
                }
            })
            .await?;
        Ok(response)
    }

    /// Sends a request and turns a non-2xx answer into an [`Error`].
    async fn call(
        &self,
        op: &'static str,
        safety: Safety,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<Vec<u8>>,
    ) -> Result<RawResponse> {
        let response = self.send(op, safety, method, path, query, body).await?;
        if response.is_success() {
            Ok(response)
        } else {
            Err(self.error_from(op, &response))
        }
    }

    /// A GET whose 2xx answer is decoded as `T`.
    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        op: &'static str,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<T> {
        let response = self
            .call(op, Safety::Idempotent, Method::GET, path, query, None)
            .await?;
        Ok(response.json(op)?)
    }

    /// Reads Radarr's error shapes: 401, a validation array, or
    /// `{message, description}`; anything else is kept as a status error.
    fn error_from(&self, op: &'static str, response: &RawResponse) -> Error {
        let status = response.status.as_u16();
        if status == 401 {
            return Error::Unauthorized { op };
        }
        if status == 400
            && let Some(failures) = ValidationFailure::list_from(&response.body)
        {
            return Error::Validation { op, failures };
        }
        if let Some(body) = ErrorBody::parse(&response.body) {
            return Error::Api {
                op,
                status,
                message: self.api_key.redact(&body.message),
                description: body.description.map(|d| self.api_key.redact(&d)),
            };
        }
        Error::Http(HttpError::Status {
            op,
            status,
            body: self.api_key.redact(&truncate_body(&response.body)),
        })
    }
}

/// The body of an add request.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AddBody<'a> {
    tmdb_id: TmdbId,
    title: &'a str,
    year: i32,
    quality_profile_id: crate::model::QualityProfileId,
    root_folder_path: &'a str,
    monitored: bool,
    minimum_availability: &'a MinimumAvailability,
    tags: &'a [TagId],
    add_options: AddOptions,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AddOptions {
    search_for_movie: bool,
    monitor: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MoviesSearch<'a> {
    name: &'static str,
    movie_ids: &'a [MovieId],
}

fn to_body<T: Serialize>(op: &'static str, value: &T) -> Result<Vec<u8>> {
    // Serializing these plain structs cannot fail; the error path is kept
    // only so no panic is possible.
    serde_json::to_vec(value).map_err(|e| Error::InvalidArgument {
        op,
        message: format!("could not encode the request: {e}"),
    })
}

fn tmdb_query(tmdb_id: TmdbId) -> [(&'static str, String); 1] {
    [("tmdbId", tmdb_id.to_string())]
}

#[async_trait]
impl RadarrApi for RadarrClient {
    async fn system_status(&self) -> Result<SystemStatus> {
        self.get(op::SYSTEM_STATUS, "api/v3/system/status", &[])
            .await
    }

    async fn movies(&self) -> Result<Vec<Movie>> {
        let op = op::MOVIES;
        // Radarr v5.0.2+ otherwise reads every cover file from disk for this
        // answer; older versions ignore the parameter (MovieController.AllMovie).
        let response = self
            .send_within(
                op,
                Safety::ExpensiveRead,
                Method::GET,
                "api/v3/movie",
                &[("excludeLocalCovers", "true".to_owned())],
                None,
                Some(self.movie_list_timeout),
            )
            .await?;
        if !response.is_success() {
            return Err(self.error_from(op, &response));
        }
        let movies: Vec<Movie> = response.json(op)?;
        tracing::debug!(op, movies = movies.len(), "movie list read");
        Ok(movies)
    }

    async fn movie(&self, id: MovieId) -> Result<Movie> {
        self.get(op::MOVIE, &format!("api/v3/movie/{id}"), &[])
            .await
    }

    async fn movie_by_tmdb(&self, tmdb_id: TmdbId) -> Result<Option<Movie>> {
        let movies: Vec<Movie> = self
            .get(op::MOVIE_BY_TMDB, "api/v3/movie", &tmdb_query(tmdb_id))
            .await?;
        // Filter again: some Radarr versions ignore the query and send all.
        Ok(movies.into_iter().find(|movie| movie.tmdb_id == tmdb_id))
    }

    async fn lookup_tmdb(&self, tmdb_id: TmdbId) -> Result<Movie> {
        let op = op::LOOKUP_TMDB;
        let response = self
            .send(
                op,
                Safety::Idempotent,
                Method::GET,
                "api/v3/movie/lookup/tmdb",
                &tmdb_query(tmdb_id),
                None,
            )
            .await?;
        if response.is_success() {
            return Ok(response.json(op)?);
        }
        match self.error_from(op, &response) {
            Error::Api {
                status, message, ..
            } if status == 404
                || (status == 500 && message.to_ascii_lowercase().contains("not found")) =>
            {
                Err(Error::UnknownTmdbId {
                    op,
                    tmdb_id,
                    message,
                    status,
                })
            }
            Error::Http(error) if error.status() == Some(404) => Err(Error::UnknownTmdbId {
                op,
                tmdb_id,
                message: "not found".to_owned(),
                status: 404,
            }),
            error => Err(error),
        }
    }

    async fn add_movie(&self, movie: &AddMovie) -> Result<AddOutcome> {
        let op = op::ADD_MOVIE;
        let body = AddBody {
            tmdb_id: movie.tmdb_id,
            title: &movie.title,
            year: movie.year,
            quality_profile_id: movie.quality_profile_id,
            root_folder_path: &movie.root_folder_path,
            monitored: movie.monitored,
            minimum_availability: &movie.minimum_availability,
            tags: &movie.tags,
            add_options: AddOptions {
                // Radarr searches after an add whenever this is set, even for
                // an unmonitored movie (MovieScannedHandler).
                search_for_movie: movie.search_on_add && movie.monitored,
                // Radarr reads "none" as "leave it unmonitored".
                monitor: if movie.monitored { "movieOnly" } else { "none" },
            },
        };
        let body = to_body(op, &body)?;
        let response = self
            .send(
                op,
                Safety::NotIdempotent,
                Method::POST,
                "api/v3/movie",
                &[],
                Some(body),
            )
            .await?;
        if response.is_success() {
            let added: Movie = response.json(op)?;
            tracing::debug!(op, tmdb_id = %movie.tmdb_id, id = %added.id, "movie added");
            return Ok(AddOutcome::Added(Box::new(added)));
        }
        match self.error_from(op, &response) {
            Error::Validation { failures, .. }
                if failures.iter().any(ValidationFailure::is_already_added) =>
            {
                tracing::debug!(op, tmdb_id = %movie.tmdb_id, "movie already in radarr");
                Ok(AddOutcome::AlreadyExists)
            }
            error => Err(error),
        }
    }

    async fn update_movie(&self, movie: &Movie) -> Result<Movie> {
        let op = op::UPDATE_MOVIE;
        let body = to_body(op, movie)?;
        let response = self
            .call(
                op,
                Safety::Idempotent,
                Method::PUT,
                &format!("api/v3/movie/{}", movie.id),
                &[],
                Some(body),
            )
            .await?;
        if response.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(movie.clone());
        }
        Ok(response.json(op)?)
    }

    async fn edit_movies(&self, edit: &MovieEditor) -> Result<()> {
        let op = op::EDIT_MOVIES;
        // One repeated or unknown id fails a whole editor request with a 500
        // (BasicRepository.Get counts rows against ids), so ids go sorted,
        // once each, in chunks; a failed chunk does not stop the others.
        let ids = unique_sorted(&edit.movie_ids);
        let failed = send_in_chunks(&ids, EDITOR_CHUNK, |chunk| async move {
            let mut part = edit.clone();
            part.movie_ids = chunk;
            let body = to_body(op, &part)?;
            let sent = self
                .call(
                    op,
                    Safety::Idempotent,
                    Method::PUT,
                    "api/v3/movie/editor",
                    &[],
                    Some(body),
                )
                .await;
            if let Err(error) = &sent {
                tracing::warn!(op, ids = part.movie_ids.len(), error = %error, "editor chunk failed");
            }
            sent.map(drop)
        })
        .await;
        if failed.is_empty() {
            Ok(())
        } else {
            Err(Error::Edit {
                op,
                total: ids.len(),
                failed,
            })
        }
    }

    async fn tags(&self) -> Result<Vec<Tag>> {
        self.get(op::TAGS, "api/v3/tag", &[]).await
    }

    async fn create_tag(&self, label: &str) -> Result<Tag> {
        let op = op::CREATE_TAG;
        // Radarr looks labels up by exact case and stores them lowercased,
        // so a label in any other case would collide with its own tag.
        let label = label.trim().to_lowercase();
        if label.is_empty() {
            return Err(Error::InvalidArgument {
                op,
                message: "a tag label cannot be blank".to_owned(),
            });
        }
        let body = to_body(op, &serde_json::json!({ "label": label }))?;
        let response = self
            .call(
                op,
                Safety::NotIdempotent,
                Method::POST,
                "api/v3/tag",
                &[],
                Some(body),
            )
            .await?;
        Ok(response.json(op)?)
    }

    async fn root_folders(&self) -> Result<Vec<RootFolder>> {
        self.get(op::ROOT_FOLDERS, "api/v3/rootfolder", &[]).await
    }

    async fn quality_profiles(&self) -> Result<Vec<QualityProfile>> {
        self.get(op::QUALITY_PROFILES, "api/v3/qualityprofile", &[])
            .await
    }

    async fn search_movies(&self, ids: &[MovieId]) -> Result<Command> {
        let op = op::SEARCH_MOVIES;
        if ids.is_empty() {
            return Err(Error::InvalidArgument {
                op,
                message: "no movies to search for".to_owned(),
            });
        }
        let body = to_body(
            op,
            &MoviesSearch {
                name: "MoviesSearch",
                movie_ids: ids,
            },
        )?;
        let response = self
            .call(
                op,
                Safety::NotIdempotent,
                Method::POST,
                "api/v3/command",
                &[],
                Some(body),
            )
            .await?;
        Ok(response.json(op)?)
    }
}
