//! The small collections' state files: what each should hold.

use curator_http::{MediaKind, TmdbId};
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
    /// "Based on your recently watched show".
    TvRecentlyWatched,
    /// "Change of Taste (TV)".
    TvChangeOfTaste,
}

impl SmallCollection {
    /// Every one, in the order runs handle them (movies, then shows).
    pub const ALL: [Self; 4] = [
        Self::RecentlyWatched,
        Self::ChangeOfTaste,
        Self::TvRecentlyWatched,
        Self::TvChangeOfTaste,
    ];

    /// The two of one kind: the similar titles', the opposite titles'.
    pub fn of(kind: MediaKind) -> [Self; 2] {
        match kind {
            MediaKind::Movie => [Self::RecentlyWatched, Self::ChangeOfTaste],
            MediaKind::Show => [Self::TvRecentlyWatched, Self::TvChangeOfTaste],
        }
    }

    /// A short name for messages.
    pub fn label(self) -> &'static str {
        match self {
            Self::RecentlyWatched => "the recently-watched collection",
            Self::ChangeOfTaste => "the change-of-taste collection",
            Self::TvRecentlyWatched => "the recently-watched show collection",
            Self::TvChangeOfTaste => "the change-of-taste show collection",
        }
    }

    /// The state file's name.
    pub fn file_name(self) -> &'static str {
        match self {
            Self::RecentlyWatched => "recently_watched_collection.json",
            Self::ChangeOfTaste => "change_of_taste_collection.json",
            Self::TvRecentlyWatched => "tv_recently_watched_collection.json",
            Self::TvChangeOfTaste => "tv_change_of_taste_collection.json",
        }
    }
}

/// A title (movie or show) recorded for a small collection.
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
