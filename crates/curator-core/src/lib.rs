//! curator's engine: state files, points, title matching, collection sync
//! and the step pipeline.
//!
//! Everything here is written against the client traits (`PlexApi`,
//! `RadarrApi`, `TmdbApi`, `Recommender`); only the CLI builds concrete
//! clients.
#![deny(missing_docs)]

mod error;
mod legacy;
mod normalize;
mod points;
mod state;

pub use error::StateError;
pub use legacy::{
    ImportReport, LegacyEntry, LegacyKey, LegacyPoints, LibraryMovie, convert_points,
};
pub use normalize::normalize_title;
pub use points::{
    EntryStatus, OnSuggest, PointsBook, PointsChange, PointsEntry, PointsSettings, Suggested,
    apply_run,
};
pub use state::{
    CollectionMovie, CollectionState, DataDir, DataLock, LoadedPoints, POINTS_FILE, SCHEMA_VERSION,
    SeedRecord, SmallCollection, TMDB_CACHE_FILE, write_atomic,
};
