//! curator's engine: state files, points, title matching, collection sync
//! and the step pipeline.
//!
//! Everything here is written against the client traits (`PlexApi`,
//! `RadarrApi`, `SonarrApi`, `TmdbApi`, `TmdbTvApi`, `Recommender`); only
//! curator-app builds concrete
//! clients. A run is: [`RunContext`] (services, settings, data directory),
//! [`run`] with a [`RunRequest`], and a [`RunReport`] back.
#![deny(missing_docs)]

mod approvals;
mod arr_tags;
mod catalog;
mod collection;
mod context;
mod dedupe;
mod error;
mod legacy;
mod library;
mod migrate;
mod migration;
mod normalize;
mod observer;
mod order;
mod pipeline;
mod points;
mod radarr;
mod remove;
mod report;
mod resolve;
mod rows;
mod seerr;
mod settings;
mod sonarr;
mod state;
mod steps;

pub use approvals::{
    ApprovalId, ApprovalReport, Approvals, BadApprovalId, Decided, HeldTitle, RejectedTitle,
    Selection,
};
/// Approving, rejecting and listing held titles.
pub mod approval {
    pub use crate::approvals::{forget, load, reject};
    pub use crate::steps::approve::approve;
}
pub use collection::{CollectionMovie, CollectionState, SeedRecord, SmallCollection};
pub use context::{Checkpoint, RunContext, Service, Services};
pub use dedupe::{DedupePlan, Deletion, plan_dedupe};
pub use error::StateError;
pub use legacy::{
    CollectionImport, EntryForm, ImportedMovie, LEGACY_MAX_POINTS, LegacyCollectionItem,
    LegacyEntry, LegacyPoints, LegacyRules, PointsImport, UnresolvedEntry,
};
pub use library::LibraryIndex;
pub use migrate::{LegacyFiles, find_legacy_files};
pub use migration::{CollectionMigration, MigrationReport, PointsMigration};
pub use normalize::normalize_title;
pub use observer::{Quiet, RunObserver};
pub use order::{Move, apply_moves, head_moves, minimal_moves, shuffled, weighted_head};
pub use pipeline::{RunRequest, preflight, run};
pub use points::{
    EntryStatus, ImportAs, OnSuggest, PointsBook, PointsChange, PointsEntry, PointsSettings,
    Suggested, apply_run, promote_arrivals,
};
pub use radarr::MissingMovie;
pub use remove::{RemoveReport, remove_collections};
pub use report::{MovieOutcome, Outcome, RunReport, StepKind, StepReport, StepStatus};
pub use resolve::{ResolvedMovie, Unresolved, YEAR_TOLERANCE, find_in_library, resolve_title};
pub use rows::{PinnedRow, RowArtwork, RowKey, RowsSettings, RowsState};
pub use settings::{
    ApprovalSettings, CollectionNames, DedupeSettings, DeletePreference, OrderMode, RadarrSettings,
    RecommendSettings, RefreshSettings, RequestsVia, Settings, SonarrSettings, StepToggles,
    TvSettings,
};
pub use state::{
    APPROVALS_FILE, DataDir, DataLock, LoadedPoints, POINTS_FILE, ROWS_FILE, SCHEMA_VERSION,
    TMDB_CACHE_FILE, TV_POINTS_FILE, write_atomic,
};
pub use steps::{Seed, SeedInfo};

/// Movie or show: the kind of title a run, a step or a seed is about (one
/// enum for the workspace, from `curator-http`).
pub use curator_http::MediaKind;

/// The README's example, compiled as a doctest so it stays true.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
