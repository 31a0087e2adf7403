//! The Sonarr operations curator needs, as a trait.

use std::fmt::Debug;

use async_trait::async_trait;
use curator_http::TvdbId;

use crate::error::Result;
use crate::model::{
    AddOutcome, AddSeries, Command, Episode, EpisodeId, EpisodeMonitor, QualityProfile, RootFolder,
    Series, SeriesEditor, SeriesId, SystemStatus, Tag,
};

/// What curator asks of Sonarr.
///
/// [`crate::SonarrClient`] implements it over HTTP; tests of code written
/// against it can use a small hand-written implementation, or the real
/// client pointed at [`crate::fake::FakeSonarr`] (feature `fake`). The trait
/// is object-safe: hold it as `Arc<dyn SonarrApi>`.
#[async_trait]
pub trait SonarrApi: Debug + Send + Sync {
    /// Sonarr's name and version (`GET /api/v3/system/status`); a cheap way
    /// to check the URL and the API key.
    ///
    /// # Errors
    /// [`crate::Error::Unauthorized`] for a wrong key; transport and status
    /// errors otherwise.
    async fn system_status(&self) -> Result<SystemStatus>;

    /// Every series in the library, with seasons and statistics
    /// (`GET /api/v3/series`).
    ///
    /// The answer is unpaged and slow on large libraries (Sonarr computes
    /// statistics and checks every cover file for it), so
    /// [`crate::SonarrClient`] gives it its own timeout and does not retry
    /// it after a timeout. Read it once per run and keep it.
    ///
    /// # Errors
    /// Transport, status and decode errors.
    async fn series_list(&self) -> Result<Vec<Series>>;

    /// One series by Sonarr id (`GET /api/v3/series/{id}`).
    ///
    /// # Errors
    /// A 404 ([`crate::Error::is_not_found`]) when there is no such series.
    async fn series(&self, id: SeriesId) -> Result<Series>;

    /// The library series with this TVDB id, if Sonarr has it
    /// (`GET /api/v3/series?tvdbId=N`).
    ///
    /// # Errors
    /// Transport, status and decode errors.
    async fn series_by_tvdb(&self, tvdb_id: TvdbId) -> Result<Option<Series>>;

    /// Sonarr's metadata for a TVDB id, whether or not it is in the library
    /// (`GET /api/v3/series/lookup?term=tvdb:N`): the library record when
    /// it is there, otherwise a record with id 0. `None` when TheTVDB does
    /// not know the id (Sonarr answers an empty list).
    ///
    /// # Errors
    /// Transport, status and decode errors; a 500 when Sonarr cannot reach
    /// its metadata server.
    async fn lookup_tvdb(&self, tvdb_id: TvdbId) -> Result<Option<Series>>;

    /// Sonarr's metadata search by title
    /// (`GET /api/v3/series/lookup?term=<title>`), best match first;
    /// series in the library come back with their library id.
    ///
    /// # Errors
    /// [`crate::Error::InvalidArgument`] for a blank term; transport, status
    /// and decode errors.
    async fn lookup(&self, term: &str) -> Result<Vec<Series>>;

    /// Adds a series (`POST /api/v3/series`).
    ///
    /// The request is sent once and never retried after Sonarr may have
    /// acted on it. A series already in Sonarr gives
    /// [`AddOutcome::AlreadyExists`], so adding is safe to repeat.
    ///
    /// # Errors
    /// [`crate::Error::Validation`] when Sonarr refuses the request (unknown
    /// root folder, quality profile or TVDB id); transport and status errors.
    async fn add_series(&self, series: &AddSeries) -> Result<AddOutcome>;

    /// Saves a whole series record (`PUT /api/v3/series/{id}`): fetch it,
    /// change fields, pass it here. Fields this crate does not know are sent
    /// back as they came. A season whose `monitored` changed takes its
    /// episodes with it.
    ///
    /// # Errors
    /// [`crate::Error::Validation`] when Sonarr refuses the change; a 404 for
    /// an unknown id; transport and status errors.
    async fn update_series(&self, series: &Series) -> Result<Series>;

    /// Changes many series at once (`PUT /api/v3/series/editor`).
    ///
    /// Sonarr fails a whole editor request when an id repeats or is unknown,
    /// so the ids are deduplicated, sorted and sent in chunks of at most
    /// [`crate::EDITOR_CHUNK`]; a failed chunk does not stop the others.
    /// Sends nothing when `edit.series_ids` is empty.
    ///
    /// # Errors
    /// [`crate::Error::EditSeries`] naming every chunk that failed, with its
    /// ids ([`crate::Error::unchanged_series`]); the other series were
    /// changed.
    async fn edit_series(&self, edit: &SeriesEditor) -> Result<()>;

    /// Every episode of a series, specials included
    /// (`GET /api/v3/episode?seriesId=N`).
    ///
    /// # Errors
    /// Transport, status and decode errors.
    async fn episodes(&self, series_id: SeriesId) -> Result<Vec<Episode>>;

    /// Monitors or unmonitors many episodes at once
    /// (`PUT /api/v3/episode/monitor`), in sorted chunks of distinct ids
    /// like [`SonarrApi::edit_series`]. Sends nothing for no ids.
    ///
    /// # Errors
    /// [`crate::Error::MonitorEpisodes`] naming every chunk that failed.
    async fn monitor_episodes(&self, change: &EpisodeMonitor) -> Result<()>;

    /// Every tag (`GET /api/v3/tag`).
    ///
    /// # Errors
    /// Transport, status and decode errors.
    async fn tags(&self) -> Result<Vec<Tag>>;

    /// Creates a tag (`POST /api/v3/tag`), sending the label trimmed and
    /// lowercased: Sonarr looks labels up by exact case and stores them
    /// lowercased, so any other case collides with the tag it already has.
    ///
    /// # Errors
    /// [`crate::Error::Validation`] for a label Sonarr refuses (v5: anything
    /// but `a-z`, `0-9` and `-`); transport and status errors.
    async fn create_tag(&self, label: &str) -> Result<Tag>;

    /// The tags for `labels`, creating the missing ones: one
    /// [`SonarrApi::tags`] call, then one [`SonarrApi::create_tag`] per
    /// label that no tag matches. Labels are normalised first
    /// ([`crate::normalize_tag_label`]); see [`arr_common::ensure_tags`],
    /// which Radarr's client shares.
    ///
    /// # Errors
    /// The first error of the calls above.
    async fn ensure_tags(&self, labels: &[&str]) -> Result<Vec<Tag>> {
        let known = self.tags().await?;
        arr_common::ensure_tags(labels, known, |label| async move {
            self.create_tag(&label).await
        })
        .await
    }

    /// The root folders series can be added under (`GET /api/v3/rootfolder`).
    ///
    /// # Errors
    /// Transport, status and decode errors.
    async fn root_folders(&self) -> Result<Vec<RootFolder>>;

    /// The quality profiles (`GET /api/v3/qualityprofile`).
    ///
    /// # Errors
    /// Transport, status and decode errors.
    async fn quality_profiles(&self) -> Result<Vec<QualityProfile>>;

    /// Asks Sonarr to search for every monitored episode of a series
    /// (`POST /api/v3/command`, `SeriesSearch` with `seriesId`).
    ///
    /// # Errors
    /// Transport and status errors.
    async fn search_series(&self, id: SeriesId) -> Result<Command>;

    /// Asks Sonarr to search for the monitored episodes that have aired and
    /// have no file, of one series or of the whole library
    /// (`MissingEpisodeSearch`, with `seriesId` when given).
    ///
    /// # Errors
    /// Transport and status errors.
    async fn search_missing_episodes(&self, series: Option<SeriesId>) -> Result<Command>;

    /// Asks Sonarr to search for these episodes (`EpisodeSearch` with
    /// `episodeIds`).
    ///
    /// # Errors
    /// [`crate::Error::InvalidArgument`] for an empty list; transport and
    /// status errors.
    async fn search_episodes(&self, ids: &[EpisodeId]) -> Result<Command>;
}
