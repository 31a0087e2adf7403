//! The HTTP client and its builder.

use std::fmt;
use std::time::Duration;

use arr_common::{EDITOR_CHUNK, ErrorBody, send_in_chunks, unique_sorted};
use async_trait::async_trait;
use curator_http::reqwest::header::CONTENT_TYPE;
use curator_http::reqwest::{Method, Url};
use curator_http::{
    HttpClient, HttpConfig, HttpError, RawResponse, RequestStats, RetryPolicy, Safety, Secret,
    TvdbId, truncate_body,
};
use serde::Serialize;

use crate::api::SonarrApi;
use crate::error::{Error, Result, ValidationFailure};
use crate::model::{
    AddOutcome, AddSeries, Command, Episode, EpisodeId, EpisodeMonitor, MonitorType,
    QualityProfile, QualityProfileId, RootFolder, Series, SeriesEditor, SeriesId, SeriesType,
    SystemStatus, Tag, TagId,
};
use crate::op;

/// How long the whole series list may take by default: Sonarr builds
/// statistics and checks every cover file for that answer, which takes tens
/// of seconds on a large library, more than one ordinary request.
pub const DEFAULT_SERIES_LIST_TIMEOUT: Duration = Duration::from_secs(300);

/// A client for Sonarr's API v3, which Sonarr v3, v4 and v5 serve.
///
/// Build one with [`SonarrClient::builder`]; clones share the connection
/// pool and the request counters. The API key travels only in the
/// `X-Api-Key` header, marked sensitive, and never shows in `Debug` output,
/// logs or errors.
///
/// ```no_run
/// use sonarr_client::{SonarrApi, SonarrClient};
///
/// # async fn demo() -> sonarr_client::Result<()> {
/// let sonarr = SonarrClient::builder("http://127.0.0.1:8989", "0123456789abcdef").build()?;
/// let status = sonarr.system_status().await?;
/// println!("{} {}", status.app_name, status.version);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct SonarrClient {
    http: HttpClient,
    base: Url,
    api_key: Secret,
    series_list_timeout: Duration,
}

impl fmt::Debug for SonarrClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SonarrClient")
            .field("base_url", &self.base.as_str())
            .field("api_key", &self.api_key)
            .finish_non_exhaustive()
    }
}

/// Settings for a [`SonarrClient`].
#[derive(Debug, Clone)]
pub struct SonarrClientBuilder {
    base_url: String,
    api_key: Secret,
    config: HttpConfig,
    series_list_timeout: Duration,
}

impl SonarrClientBuilder {
    /// Settings for the Sonarr at `base_url` (such as
    /// `http://192.168.1.10:8989`, with its URL base if it has one:
    /// `https://example.org/sonarr`), with the default timeouts and retries.
    pub fn new(base_url: impl Into<String>, api_key: impl Into<Secret>) -> Self {
        Self {
            base_url: base_url.into(),
            api_key: api_key.into(),
            config: HttpConfig::default(),
            series_list_timeout: DEFAULT_SERIES_LIST_TIMEOUT,
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

    /// How long reading the whole series list ([`SonarrApi::series_list`])
    /// may take (default [`DEFAULT_SERIES_LIST_TIMEOUT`], 300 s). That one
    /// read is unpaged and slow on large libraries; it is not retried after
    /// a timeout, since every retry adds the same load on Sonarr.
    #[must_use]
    pub fn series_list_timeout(mut self, timeout: Duration) -> Self {
        self.series_list_timeout = timeout;
        self
    }

    /// When to retry (default: [`RetryPolicy::default`]). Adding a series is
    /// never retried once Sonarr may have acted on it, whatever the policy.
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

    /// Marks Sonarr down for the rest of the run after a failure that will
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
    pub fn build(self) -> Result<SonarrClient> {
        let (base, headers) = arr_common::connection(&self.base_url, &self.api_key, "Sonarr")
            .map_err(|message| Error::Config { message })?;
        let http = HttpClient::new(self.config, headers)?;
        Ok(SonarrClient {
            http,
            base,
            api_key: self.api_key,
            series_list_timeout: self.series_list_timeout,
        })
    }
}

/// One request: its operation, safety, method, path and query.
struct Call<'a> {
    op: &'static str,
    safety: Safety,
    method: Method,
    path: &'a str,
    query: &'a [(&'a str, String)],
}

impl<'a> Call<'a> {
    fn get(op: &'static str, path: &'a str, query: &'a [(&'a str, String)]) -> Self {
        Self {
            op,
            safety: Safety::Idempotent,
            method: Method::GET,
            path,
            query,
        }
    }

    fn with_body(op: &'static str, safety: Safety, method: Method, path: &'a str) -> Self {
        Self {
            op,
            safety,
            method,
            path,
            query: &[],
        }
    }
}

impl SonarrClient {
    /// Settings for the Sonarr at `base_url`; see [`SonarrClientBuilder`].
    pub fn builder(base_url: impl Into<String>, api_key: impl Into<Secret>) -> SonarrClientBuilder {
        SonarrClientBuilder::new(base_url, api_key)
    }

    /// The base URL requests go to, with a trailing slash.
    pub fn base_url(&self) -> &str {
        self.base.as_str()
    }

    /// The request counters, if the builder was given some.
    pub fn stats(&self) -> Option<&RequestStats> {
        self.http.stats()
    }

    /// Sends one request and returns the answer, whatever its status; with
    /// its own timeout per attempt, when given.
    async fn send(
        &self,
        call: &Call<'_>,
        body: Option<Vec<u8>>,
        timeout: Option<Duration>,
    ) -> Result<RawResponse> {
        let op = call.op;
        let url = self.base.join(call.path).map_err(|e| {
            Error::from(HttpError::Build {
                op,
                message: e.to_string(),
            })
        })?;
        let response = self
            .http
            .send(op, call.safety, |client| {
                let mut request = client
                    .request(call.method.clone(), url.clone())
                    .query(call.query);
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
    async fn call(&self, call: &Call<'_>, body: Option<Vec<u8>>) -> Result<RawResponse> {
        let response = self.send(call, body, None).await?;
        if response.is_success() {
            Ok(response)
        } else {
            Err(self.error_from(call.op, &response))
        }
    }

    /// A GET whose 2xx answer is decoded as `T`.
    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        op: &'static str,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<T> {
        let response = self.call(&Call::get(op, path, query), None).await?;
        Ok(response.json(op)?)
    }

    /// A request with a JSON body whose 2xx answer is returned raw.
    async fn send_json<T: Serialize>(&self, call: &Call<'_>, body: &T) -> Result<RawResponse> {
        let body = to_body(call.op, body)?;
        self.call(call, Some(body)).await
    }

    /// Reads Sonarr's error shapes: 401, a validation array, or
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

    /// Posts a command and decodes what Sonarr queued.
    async fn command<T: Serialize>(&self, op: &'static str, body: &T) -> Result<Command> {
        let call = Call::with_body(op, Safety::NotIdempotent, Method::POST, "api/v3/command");
        Ok(self.send_json(&call, body).await?.json(op)?)
    }
}

/// The body of an add request: the fields `SeriesController.AddSeries`
/// validates and `AddSeriesService` reads.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AddBody<'a> {
    tvdb_id: TvdbId,
    title: &'a str,
    quality_profile_id: QualityProfileId,
    language_profile_id: i32,
    root_folder_path: &'a str,
    season_folder: bool,
    series_type: &'a SeriesType,
    monitored: bool,
    tags: &'a [TagId],
    add_options: AddOptions,
}

/// `AddSeriesOptions`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AddOptions {
    monitor: MonitorType,
    search_for_missing_episodes: bool,
    search_for_cutoff_unmet_episodes: bool,
}

/// A command with a series id (`SeriesSearch`, `MissingEpisodeSearch`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SeriesCommand {
    name: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    series_id: Option<SeriesId>,
}

/// `EpisodeSearch`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EpisodeCommand<'a> {
    name: &'static str,
    episode_ids: &'a [EpisodeId],
}

fn to_body<T: Serialize>(op: &'static str, value: &T) -> Result<Vec<u8>> {
    // Serializing these plain structs cannot fail; the error path is kept
    // only so no panic is possible.
    serde_json::to_vec(value).map_err(|e| Error::InvalidArgument {
        op,
        message: format!("could not encode the request: {e}"),
    })
}

#[async_trait]
impl SonarrApi for SonarrClient {
    async fn system_status(&self) -> Result<SystemStatus> {
        self.get(op::SYSTEM_STATUS, "api/v3/system/status", &[])
            .await
    }

    async fn series_list(&self) -> Result<Vec<Series>> {
        let op = op::SERIES_LIST;
        let call = Call {
            safety: Safety::ExpensiveRead,
            ..Call::get(op, "api/v3/series", &[])
        };
        let response = self
            .send(&call, None, Some(self.series_list_timeout))
            .await?;
        if !response.is_success() {
            return Err(self.error_from(op, &response));
        }
        let series: Vec<Series> = response.json(op)?;
        tracing::debug!(op, series = series.len(), "series list read");
        Ok(series)
    }

    async fn series(&self, id: SeriesId) -> Result<Series> {
        self.get(op::SERIES, &format!("api/v3/series/{id}"), &[])
            .await
    }

    async fn series_by_tvdb(&self, tvdb_id: TvdbId) -> Result<Option<Series>> {
        let found: Vec<Series> = self
            .get(
                op::SERIES_BY_TVDB,
                "api/v3/series",
                &[("tvdbId", tvdb_id.to_string())],
            )
            .await?;
        // Filter again, should a version ignore the query and send all.
        Ok(found.into_iter().find(|series| series.tvdb_id == tvdb_id))
    }

    async fn lookup_tvdb(&self, tvdb_id: TvdbId) -> Result<Option<Series>> {
        // SkyHookProxy.SearchForNewSeries: "tvdb:N" answers the library
        // series or TheTVDB's, and an empty list for an unknown id.
        let found: Vec<Series> = self
            .get(
                op::LOOKUP_TVDB,
                "api/v3/series/lookup",
                &[("term", format!("tvdb:{tvdb_id}"))],
            )
            .await?;
        Ok(found.into_iter().find(|series| series.tvdb_id == tvdb_id))
    }

    async fn lookup(&self, term: &str) -> Result<Vec<Series>> {
        let op = op::LOOKUP_TITLE;
        let term = term.trim();
        if term.is_empty() {
            return Err(Error::InvalidArgument {
                op,
                message: "a search term cannot be blank".to_owned(),
            });
        }
        self.get(op, "api/v3/series/lookup", &[("term", term.to_owned())])
            .await
    }

    async fn add_series(&self, series: &AddSeries) -> Result<AddOutcome> {
        let op = op::ADD_SERIES;
        let body = AddBody {
            tvdb_id: series.tvdb_id,
            title: &series.title,
            quality_profile_id: series.quality_profile_id,
            language_profile_id: series.language_profile_id,
            root_folder_path: &series.root_folder_path,
            season_folder: series.season_folder,
            series_type: &series.series_type,
            monitored: series.monitored,
            tags: &series.tags,
            add_options: AddOptions {
                monitor: series.monitor,
                // Sonarr searches the series' monitored episodes after an add
                // whenever this is set, even when the series itself is
                // unmonitored (SeriesScannedHandler, MissingEpisodeSearch
                // with a seriesId ignores the series flag).
                search_for_missing_episodes: series.search_on_add
                    && series.monitored
                    && series.monitor != MonitorType::None,
                search_for_cutoff_unmet_episodes: false,
            },
        };
        let body = to_body(op, &body)?;
        let call = Call::with_body(op, Safety::NotIdempotent, Method::POST, "api/v3/series");
        let response = self.send(&call, Some(body), None).await?;
        if response.is_success() {
            let added: Series = response.json(op)?;
            tracing::debug!(op, tvdb_id = %series.tvdb_id, id = %added.id, "series added");
            return Ok(AddOutcome::Added(Box::new(added)));
        }
        match self.error_from(op, &response) {
            Error::Validation { failures, .. }
                if failures.iter().any(ValidationFailure::is_already_added) =>
            {
                tracing::debug!(op, tvdb_id = %series.tvdb_id, "series already in sonarr");
                Ok(AddOutcome::AlreadyExists)
            }
            error => Err(error),
        }
    }

    async fn update_series(&self, series: &Series) -> Result<Series> {
        let op = op::UPDATE_SERIES;
        let path = format!("api/v3/series/{}", series.id);
        let call = Call::with_body(op, Safety::Idempotent, Method::PUT, &path);
        let response = self.send_json(&call, series).await?;
        if response.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(series.clone());
        }
        Ok(response.json(op)?)
    }

    async fn edit_series(&self, edit: &SeriesEditor) -> Result<()> {
        let op = op::EDIT_SERIES;
        // SeriesEditorController.SaveAll loads the series with
        // BasicRepository.Get(ids), which fails the whole request with a 500
        // on a repeated or unknown id.
        let ids = unique_sorted(&edit.series_ids);
        let call = Call::with_body(op, Safety::Idempotent, Method::PUT, "api/v3/series/editor");
        let call = &call;
        let failed = send_in_chunks(&ids, EDITOR_CHUNK, |chunk| async move {
            let mut part = edit.clone();
            part.series_ids = chunk;
            let sent = self.send_json(call, &part).await;
            if let Err(error) = &sent {
                tracing::warn!(op, ids = part.series_ids.len(), error = %error, "editor chunk failed");
            }
            sent.map(drop)
        })
        .await;
        if failed.is_empty() {
            Ok(())
        } else {
            Err(Error::EditSeries {
                op,
                total: ids.len(),
                failed,
            })
        }
    }

    async fn episodes(&self, series_id: SeriesId) -> Result<Vec<Episode>> {
        self.get(
            op::EPISODES,
            "api/v3/episode",
            &[("seriesId", series_id.to_string())],
        )
        .await
    }

    async fn monitor_episodes(&self, change: &EpisodeMonitor) -> Result<()> {
        let op = op::MONITOR_EPISODES;
        // EpisodeController.SetEpisodesMonitored answers with
        // GetEpisodes(ids), BasicRepository.Get again: same chunking.
        let ids = unique_sorted(&change.episode_ids);
        let call = Call::with_body(
            op,
            Safety::Idempotent,
            Method::PUT,
            "api/v3/episode/monitor",
        );
        let call = &call;
        let failed = send_in_chunks(&ids, EDITOR_CHUNK, |chunk| async move {
            let part = EpisodeMonitor::new(chunk, change.monitored);
            let sent = self.send_json(call, &part).await;
            if let Err(error) = &sent {
                tracing::warn!(op, ids = part.episode_ids.len(), error = %error, "episode monitor chunk failed");
            }
            sent.map(drop)
        })
        .await;
        if failed.is_empty() {
            Ok(())
        } else {
            Err(Error::MonitorEpisodes {
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
        // TagService.Add looks labels up by exact case and stores them
        // lowercased, so a label in any other case would collide with its
        // own tag.
        let label = label.trim().to_lowercase();
        if label.is_empty() {
            return Err(Error::InvalidArgument {
                op,
                message: "a tag label cannot be blank".to_owned(),
            });
        }
        let call = Call::with_body(op, Safety::NotIdempotent, Method::POST, "api/v3/tag");
        let response = self
            .send_json(&call, &serde_json::json!({ "label": label }))
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

    async fn search_series(&self, id: SeriesId) -> Result<Command> {
        let body = SeriesCommand {
            name: "SeriesSearch",
            series_id: Some(id),
        };
        self.command(op::SEARCH_SERIES, &body).await
    }

    async fn search_missing_episodes(&self, series: Option<SeriesId>) -> Result<Command> {
        let body = SeriesCommand {
            name: "MissingEpisodeSearch",
            series_id: series,
        };
        self.command(op::SEARCH_MISSING, &body).await
    }

    async fn search_episodes(&self, ids: &[EpisodeId]) -> Result<Command> {
        let op = op::SEARCH_EPISODES;
        if ids.is_empty() {
            return Err(Error::InvalidArgument {
                op,
                message: "no episodes to search for".to_owned(),
            });
        }
        let body = EpisodeCommand {
            name: "EpisodeSearch",
            episode_ids: ids,
        };
        self.command(op, &body).await
    }
}
