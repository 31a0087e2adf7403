//! The HTTP client and its builder.

use std::fmt;
use std::time::Duration;

use arr_common::{ArrHttp, Call, ClientSettings};
use async_trait::async_trait;
use curator_http::{RequestStats, Safety, Secret, TvdbId};
use serde::Serialize;

use crate::api::SonarrApi;
use crate::error::{Error, Result};
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
    arr: ArrHttp,
    series_list_timeout: Duration,
}

impl fmt::Debug for SonarrClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SonarrClient")
            .field("base_url", &self.arr.base_url())
            .field("api_key", self.arr.api_key())
            .finish_non_exhaustive()
    }
}

/// Settings for a [`SonarrClient`].
#[derive(Debug, Clone)]
pub struct SonarrClientBuilder {
    settings: ClientSettings,
    series_list_timeout: Duration,
}

impl SonarrClientBuilder {
    /// Settings for the Sonarr at `base_url` (such as
    /// `http://192.168.1.10:8989`, with its URL base if it has one:
    /// `https://example.org/sonarr`), with the default timeouts and retries.
    pub fn new(base_url: impl Into<String>, api_key: impl Into<Secret>) -> Self {
        Self {
            settings: ClientSettings::new(base_url, api_key),
            series_list_timeout: DEFAULT_SERIES_LIST_TIMEOUT,
        }
    }

    arr_common::settings_setters!(settings, service = "Sonarr", item = "a series");

    /// How long reading the whole series list ([`SonarrApi::series_list`])
    /// may take (default [`DEFAULT_SERIES_LIST_TIMEOUT`], 300 s). That one
    /// read is unpaged and slow on large libraries; it is not retried after
    /// a timeout, since every retry adds the same load on Sonarr.
    #[must_use]
    pub fn series_list_timeout(mut self, timeout: Duration) -> Self {
        self.series_list_timeout = timeout;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`Error::Config`] for a base URL that is not http(s), a blank API key
    /// or one a header cannot carry; [`Error::Http`] when the TLS backend
    /// cannot start.
    pub fn build(self) -> Result<SonarrClient> {
        Ok(SonarrClient {
            arr: self.settings.connect("Sonarr")?,
            series_list_timeout: self.series_list_timeout,
        })
    }
}

impl SonarrClient {
    /// Settings for the Sonarr at `base_url`; see [`SonarrClientBuilder`].
    pub fn builder(base_url: impl Into<String>, api_key: impl Into<Secret>) -> SonarrClientBuilder {
        SonarrClientBuilder::new(base_url, api_key)
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

#[async_trait]
impl SonarrApi for SonarrClient {
    async fn system_status(&self) -> Result<SystemStatus> {
        Ok(self.arr.system_status(op::SYSTEM_STATUS).await?)
    }

    async fn series_list(&self) -> Result<Vec<Series>> {
        let op = op::SERIES_LIST;
        let call = Call {
            safety: Safety::ExpensiveRead,
            ..Call::get(op, "api/v3/series", &[])
        };
        let series: Vec<Series> = self.arr.read(&call, Some(self.series_list_timeout)).await?;
        tracing::debug!(op, series = series.len(), "series list read");
        Ok(series)
    }

    async fn series(&self, id: SeriesId) -> Result<Series> {
        let path = format!("api/v3/series/{id}");
        Ok(self.arr.get(op::SERIES, &path, &[]).await?)
    }

    async fn series_by_tvdb(&self, tvdb_id: TvdbId) -> Result<Option<Series>> {
        let found: Vec<Series> = self
            .arr
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
            .arr
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
        let query = [("term", term.to_owned())];
        Ok(self.arr.get(op, "api/v3/series/lookup", &query).await?)
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
        match self
            .arr
            .add::<_, Series>(op, "api/v3/series", &body)
            .await?
        {
            Some(added) => {
                tracing::debug!(op, tvdb_id = %series.tvdb_id, id = %added.id, "series added");
                Ok(AddOutcome::Added(Box::new(added)))
            }
            None => {
                tracing::debug!(op, tvdb_id = %series.tvdb_id, "series already in sonarr");
                Ok(AddOutcome::AlreadyExists)
            }
        }
    }

    async fn update_series(&self, series: &Series) -> Result<Series> {
        let path = format!("api/v3/series/{}", series.id);
        Ok(self.arr.update(op::UPDATE_SERIES, &path, series).await?)
    }

    async fn edit_series(&self, edit: &SeriesEditor) -> Result<()> {
        let op = op::EDIT_SERIES;
        // SeriesEditorController.SaveAll loads the series with
        // BasicRepository.Get(ids), which fails the whole request with a 500
        // on a repeated or unknown id.
        let sent = self
            .arr
            .put_in_chunks(op, "api/v3/series/editor", &edit.series_ids, |chunk| {
                let mut part = edit.clone();
                part.series_ids = chunk;
                part
            })
            .await;
        if sent.failed.is_empty() {
            Ok(())
        } else {
            Err(Error::EditSeries {
                op,
                total: sent.total,
                failed: sent.failed,
            })
        }
    }

    async fn episodes(&self, series_id: SeriesId) -> Result<Vec<Episode>> {
        let query = [("seriesId", series_id.to_string())];
        Ok(self.arr.get(op::EPISODES, "api/v3/episode", &query).await?)
    }

    async fn monitor_episodes(&self, change: &EpisodeMonitor) -> Result<()> {
        let op = op::MONITOR_EPISODES;
        // EpisodeController.SetEpisodesMonitored answers with
        // GetEpisodes(ids), BasicRepository.Get again: same chunking.
        let sent = self
            .arr
            .put_in_chunks(op, "api/v3/episode/monitor", &change.episode_ids, |chunk| {
                EpisodeMonitor::new(chunk, change.monitored)
            })
            .await;
        if sent.failed.is_empty() {
            Ok(())
        } else {
            Err(Error::MonitorEpisodes {
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

    async fn search_series(&self, id: SeriesId) -> Result<Command> {
        let body = SeriesCommand {
            name: "SeriesSearch",
            series_id: Some(id),
        };
        Ok(self.arr.command(op::SEARCH_SERIES, &body).await?)
    }

    async fn search_missing_episodes(&self, series: Option<SeriesId>) -> Result<Command> {
        let body = SeriesCommand {
            name: "MissingEpisodeSearch",
            series_id: series,
        };
        Ok(self.arr.command(op::SEARCH_MISSING, &body).await?)
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
        Ok(self.arr.command(op, &body).await?)
    }
}
