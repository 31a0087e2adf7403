//! Collections.

use serde::{Deserialize, Serialize};

use super::ids::RatingKey;

/// How Plex orders a collection's items (the `collectionSort` pref).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CollectionSort {
    /// By release date (`0`, Plex's default).
    ReleaseDate,
    /// By title (`1`).
    Alphabetical,
    /// In the order set by moving items (`2`).
    Custom,
}

impl CollectionSort {
    /// Plex's number for it.
    pub fn code(self) -> u8 {
        match self {
            Self::ReleaseDate => 0,
            Self::Alphabetical => 1,
            Self::Custom => 2,
        }
    }

    /// Reads Plex's number; unknown numbers give `None`.
    pub fn from_code(code: u8) -> Option<Self> {
        match code {
            0 => Some(Self::ReleaseDate),
            1 => Some(Self::Alphabetical),
            2 => Some(Self::Custom),
            _ => None,
        }
    }
}

/// A collection in a library section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Collection {
    /// The collection's key (collections are library items too).
    pub rating_key: RatingKey,
    /// Its title.
    pub title: String,
    /// How many items it holds.
    pub child_count: u32,
    /// Its sort pref, when Plex said.
    pub collection_sort: Option<CollectionSort>,
    /// True for a smart (filter-based) collection, whose items cannot be
    /// added, removed or moved.
    pub smart: bool,
    /// Its summary, when it has one.
    pub summary: Option<String>,
}

/// An item of a collection as a poster grid shows it: what
/// [`PlexApi::collection_items`](crate::PlexApi::collection_items) reads,
/// movies and shows alike.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectionItem {
    /// The item's key on this server.
    pub rating_key: RatingKey,
    /// The title.
    pub title: String,
    /// The release (or first-air) year.
    pub year: Option<u16>,
    /// The server path of its poster (`thumb`, such as
    /// `/library/metadata/1036/thumb/1712345678`; the last segment changes
    /// when the poster does), for [`PlexApi::thumbnail`](crate::PlexApi::thumbnail).
    pub thumb: Option<String>,
}
