//! The Radarr operations curator needs, as a trait.

use std::fmt::Debug;

use async_trait::async_trait;
use curator_http::TmdbId;

use crate::error::Result;
use crate::model::{
    AddMovie, AddOutcome, Command, Movie, MovieEditor, MovieId, QualityProfile, RootFolder,
    SystemStatus, Tag,
};

/// What curator asks of Radarr.
///
/// [`crate::RadarrClient`] implements it over HTTP; tests of code written
/// against it can use a small hand-written implementation, or the real
/// client pointed at [`crate::fake::FakeRadarr`] (feature `fake`). The trait
/// is object-safe: hold it as `Arc<dyn RadarrApi>`.
#[async_trait]
pub trait RadarrApi: Debug + Send + Sync {
    /// Radarr's name and version (`GET /api/v3/system/status`); a cheap way
    /// to check the URL and the API key.
    ///
    /// # Errors
    /// [`crate::Error::Unauthorized`] for a wrong key; transport and status
    /// errors otherwise.
    async fn system_status(&self) -> Result<SystemStatus>;

    /// Every movie in the library (`GET /api/v3/movie?excludeLocalCovers=true`).
    ///
    /// The answer is unpaged and slow on large libraries, so
    /// [`crate::RadarrClient`] gives it its own timeout and does not retry
    /// it after a timeout. Read it once and keep it.
    ///
    /// # Errors
    /// Transport, status and decode errors.
    async fn movies(&self) -> Result<Vec<Movie>>;

    /// One movie by Radarr id (`GET /api/v3/movie/{id}`).
    ///
    /// # Errors
    /// A 404 ([`crate::Error::is_not_found`]) when there is no such movie.
    async fn movie(&self, id: MovieId) -> Result<Movie>;

    /// The library movie with this TMDb id, if Radarr has it
    /// (`GET /api/v3/movie?tmdbId=N`).
    ///
    /// # Errors
    /// Transport, status and decode errors.
    async fn movie_by_tmdb(&self, tmdb_id: TmdbId) -> Result<Option<Movie>>;

    /// Radarr's metadata for a TMDb id, whether or not it is in the library
    /// (`GET /api/v3/movie/lookup/tmdb?tmdbId=N`). The result has id 0 when
    /// the movie is not in the library.
    ///
    /// # Errors
    /// [`crate::Error::UnknownTmdbId`] when Radarr cannot find the id.
    async fn lookup_tmdb(&self, tmdb_id: TmdbId) -> Result<Movie>;

    /// Adds a movie (`POST /api/v3/movie`).
    ///
    /// The request is sent once and never retried after Radarr may have
    /// acted on it. A movie already in Radarr gives
    /// [`AddOutcome::AlreadyExists`], so adding is safe to repeat.
    ///
    /// # Errors
    /// [`crate::Error::Validation`] when Radarr refuses the request (unknown
    /// root folder, quality profile or TMDb id); transport and status errors.
    async fn add_movie(&self, movie: &AddMovie) -> Result<AddOutcome>;

    /// Saves a whole movie record (`PUT /api/v3/movie/{id}`): fetch it,
    /// change fields, pass it here. Fields this crate does not know are sent
    /// back as they came.
    ///
    /// # Errors
    /// [`crate::Error::Validation`] when Radarr refuses the change; a 404 for
    /// an unknown id; transport and status errors.
    async fn update_movie(&self, movie: &Movie) -> Result<Movie>;

    /// Changes many movies at once (`PUT /api/v3/movie/editor`).
    ///
    /// Radarr fails a whole editor request when an id repeats or is unknown,
    /// so the ids are deduplicated, sorted and sent in chunks of at most
    /// [`crate::EDITOR_CHUNK`]; a failed chunk does not stop the others.
    /// Sends nothing when `edit.movie_ids` is empty.
    ///
    /// # Errors
    /// [`crate::Error::Edit`] naming every chunk that failed, with its ids
    /// ([`crate::Error::unchanged_ids`]); the other movies were changed.
    async fn edit_movies(&self, edit: &MovieEditor) -> Result<()>;

    /// Every tag (`GET /api/v3/tag`).
    ///
    /// # Errors
    /// Transport, status and decode errors.
    async fn tags(&self) -> Result<Vec<Tag>>;

    /// Creates a tag (`POST /api/v3/tag`), sending the label lowercased:
    /// Radarr looks labels up by exact case and stores them lowercased, so
    /// any other case collides with the tag it already has.
    ///
    /// # Errors
    /// [`crate::Error::Validation`] for a label Radarr refuses; transport
    /// and status errors.
    async fn create_tag(&self, label: &str) -> Result<Tag>;

    /// The tags for `labels`, creating the missing ones: one
    /// [`RadarrApi::tags`] call, then one [`RadarrApi::create_tag`] per
    /// label that no tag matches.
    ///
    /// Labels are first put in the form every Radarr version accepts
    /// ([`crate::normalize_tag_label`]: "Sci Fi" becomes "sci-fi"); a label
    /// with nothing left is skipped. Returns one tag per distinct label, in
    /// the order the labels were first given (see [`arr_common::ensure_tags`],
    /// which Sonarr's client shares).
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

    /// The root folders movies can be added under (`GET /api/v3/rootfolder`).
    ///
    /// # Errors
    /// Transport, status and decode errors.
    async fn root_folders(&self) -> Result<Vec<RootFolder>>;

    /// The quality profiles (`GET /api/v3/qualityprofile`).
    ///
    /// # Errors
    /// Transport, status and decode errors.
    async fn quality_profiles(&self) -> Result<Vec<QualityProfile>>;

    /// Asks Radarr to search for releases of these movies
    /// (`POST /api/v3/command`, `MoviesSearch`).
    ///
    /// # Errors
    /// [`crate::Error::InvalidArgument`] for an empty list; transport and
    /// status errors.
    async fn search_movies(&self, ids: &[MovieId]) -> Result<Command>;
}
