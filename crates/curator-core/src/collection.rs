//! The small collections' state files: what each should hold.

use curator_http::TmdbId;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// Which small collection a [`CollectionState`] belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmallCollection {
    /// "Based on your recently watched movie".
    RecentlyWatched,
    /// "Change of Taste".
    ChangeOfTaste,
}

impl SmallCollection {
    /// Both, in the order runs handle them.
    pub const ALL: [Self; 2] = [Self::RecentlyWatched, Self::ChangeOfTaste];

    /// A short name for messages.
    pub fn label(self) -> &'static str {
        match self {
            Self::RecentlyWatched => "the recently-watched collection",
            Self::ChangeOfTaste => "the change-of-taste collection",
        }
    }

    /// The state file's name.
    pub fn file_name(self) -> &'static str {
        match self {
            Self::RecentlyWatched => "recently_watched_collection.json",
            Self::ChangeOfTaste => "change_of_taste_collection.json",
        }
    }
}

/// A movie recorded for a small collection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectionMovie {
    /// Its TMDb id.
    pub tmdb_id: TmdbId,
    /// Its Plex rating key.
    pub rating_key: String,
    /// Its title.
    pub title: String,
    /// Its year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
}

/// The movie a small collection was built from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedRecord {
    /// Its title.
    pub title: String,
    /// Its year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// Its TMDb id when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tmdb_id: Option<TmdbId>,
}

/// What a small collection should hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectionState {
    /// The movie it was built from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<SeedRecord>,
    /// When it was last written.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub updated_at: Option<OffsetDateTime>,
    /// The movies, in suggestion order.
    pub movies: Vec<CollectionMovie>,
}
