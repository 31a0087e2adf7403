//! The HTTP client and its builder.

use std::fmt;
use std::time::Duration;

use arr_common::{ArrError, ArrHttp, Call, ClientSettings};
use async_trait::async_trait;
use curator_http::{RequestStats, Safety, Secret, TmdbId};
use serde::Serialize;

use crate::api::RadarrApi;
use crate::error::{Error, Result};
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
    arr: ArrHttp,
    movie_list_timeout: Duration,
}

impl fmt::Debug for RadarrClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RadarrClient")
            .field("base_url", &self.arr.base_url())
            .field("api_key", self.arr.api_key())
            .finish_non_exhaustive()
    }
}

/// Settings for a [`RadarrClient`].
#[derive(Debug, Clone)]
pub struct RadarrClientBuilder {
    settings: ClientSettings,
    movie_list_timeout: Duration,
}

impl RadarrClientBuilder {
    /// Settings for the Radarr at `base_url` (such as
    /// `http://192.168.1.10:7878`, with its URL base if it has one:
    /// `https://example.org/radarr`), with the default timeouts and retries.
    pub fn new(base_url: impl Into<String>, api_key: impl Into<Secret>) -> Self {
        Self {
            settings: ClientSettings::new(base_url, api_key),
            movie_list_timeout: DEFAULT_MOVIE_LIST_TIMEOUT,
        }
    }

    arr_common::settings_setters!(settings, service = "Radarr", item = "a movie");

    /// How long reading the whole movie list ([`RadarrApi::movies`]) may
    /// take (default [`DEFAULT_MOVIE_LIST_TIMEOUT`], 300 s). That one read
    /// is unpaged and slow on large libraries; it is not retried after a
    /// timeout, since every retry adds the same load on Radarr.
    #[must_use]
    pub fn movie_list_timeout(mut self, timeout: Duration) -> Self {
        self.movie_list_timeout = timeout;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`Error::Config`] for a base URL that is not http(s), a blank API key
    /// or one a header cannot carry; [`Error::Http`] when the TLS backend
    /// cannot start.
    pub fn build(self) -> Result<RadarrClient> {
        Ok(RadarrClient {
            arr: self.settings.connect("Radarr")?,
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
        self.arr.base_url()
    }

    /// The request counters, if the builder was given some.
    pub fn stats(&self) -> Option<&RequestStats> {
        self.arr.stats()
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

fn tmdb_query(tmdb_id: TmdbId) -> [(&'static str, String); 1] {
    [("tmdbId", tmdb_id.to_string())]
}

#[async_trait]
impl RadarrApi for RadarrClient {
    async fn system_status(&self) -> Result<SystemStatus> {
        Ok(self.arr.system_status(op::SYSTEM_STATUS).await?)
    }

    async fn movies(&self) -> Result<Vec<Movie>> {
        let op = op::MOVIES;
        // Radarr v5.0.2+ otherwise reads every cover file from disk for this
        // answer; older versions ignore the parameter (MovieController.AllMovie).
        let query = [("excludeLocalCovers", "true".to_owned())];
        let call = Call {
            safety: Safety::ExpensiveRead,
            ..Call::get(op, "api/v3/movie", &query)
        };
        let movies: Vec<Movie> = self.arr.read(&call, Some(self.movie_list_timeout)).await?;
        tracing::debug!(op, movies = movies.len(), "movie list read");
        Ok(movies)
    }

    async fn movie(&self, id: MovieId) -> Result<Movie> {
        let path = format!("api/v3/movie/{id}");
        Ok(self.arr.get(op::MOVIE, &path, &[]).await?)
    }

    async fn movie_by_tmdb(&self, tmdb_id: TmdbId) -> Result<Option<Movie>> {
        let movies: Vec<Movie> = self
            .arr
            .get(op::MOVIE_BY_TMDB, "api/v3/movie", &tmdb_query(tmdb_id))
            .await?;
        // Filter again: some Radarr versions ignore the query and send all.
        Ok(movies.into_iter().find(|movie| movie.tmdb_id == tmdb_id))
    }

    async fn lookup_tmdb(&self, tmdb_id: TmdbId) -> Result<Movie> {
        let op = op::LOOKUP_TMDB;
        let query = tmdb_query(tmdb_id);
        let call = Call::get(op, "api/v3/movie/lookup/tmdb", &query);
        let response = self.arr.send(&call, None, None).await?;
        if response.is_success() {
            return Ok(response.json(op)?);
        }
        match self.arr.error_from(op, &response) {
            ArrError::Api {
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
            ArrError::Http(error) if error.status() == Some(404) => Err(Error::UnknownTmdbId {
                op,
                tmdb_id,
                message: "not found".to_owned(),
                status: 404,
            }),
            error => Err(error.into()),
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
        match self.arr.add::<_, Movie>(op, "api/v3/movie", &body).await? {
            Some(added) => {
                tracing::debug!(op, tmdb_id = %movie.tmdb_id, id = %added.id, "movie added");
                Ok(AddOutcome::Added(Box::new(added)))
            }
            None => {
                tracing::debug!(op, tmdb_id = %movie.tmdb_id, "movie already in radarr");
                Ok(AddOutcome::AlreadyExists)
            }
        }
    }

    async fn update_movie(&self, movie: &Movie) -> Result<Movie> {
        let path = format!("api/v3/movie/{}", movie.id);
        Ok(self.arr.update(op::UPDATE_MOVIE, &path, movie).await?)
    }

    async fn edit_movies(&self, edit: &MovieEditor) -> Result<()> {
        let op = op::EDIT_MOVIES;
        // One repeated or unknown id fails a whole editor request with a 500
        // (BasicRepository.Get counts rows against ids), so ids go sorted,
        // once each, in chunks; a failed chunk does not stop the others.
        let sent = self
            .arr
            .put_in_chunks(op, "api/v3/movie/editor", &edit.movie_ids, |chunk| {
                let mut part = edit.clone();
                part.movie_ids = chunk;
                part
            })
            .await;
        if sent.failed.is_empty() {
            Ok(())
        } else {
            Err(Error::Edit {
                op,
                total: sent.total,
                failed: sent.failed,
            })
        }
    }

    async fn tags(&self) -> Result<Vec<Tag>> {
        Ok(self.arr.tags(op::TAGS).await?)
    }

    async fn create_tag(&self, label: &str) -> Result<Tag> {
        Ok(self.arr.create_tag(op::CREATE_TAG, label).await?)
    }

    async fn root_folders(&self) -> Result<Vec<RootFolder>> {
        Ok(self.arr.root_folders(op::ROOT_FOLDERS).await?)
    }

    async fn quality_profiles(&self) -> Result<Vec<QualityProfile>> {
        Ok(self.arr.quality_profiles(op::QUALITY_PROFILES).await?)
    }

    async fn search_movies(&self, ids: &[MovieId]) -> Result<Command> {
        let op = op::SEARCH_MOVIES;
        if ids.is_empty() {
            return Err(Error::InvalidArgument {
                op,
                message: "no movies to search for".to_owned(),
            });
        }
        let body = MoviesSearch {
            name: "MoviesSearch",
            movie_ids: ids,
        };
        Ok(self.arr.command(op, &body).await?)
    }
}
