//! Library sections, movies and their media versions.

use curator_http::{ImdbId, TmdbId};
use serde::{Deserialize, Serialize};

use super::ids::{MediaId, RatingKey, SectionKey};

/// What a library section holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum SectionKind {
    /// Movies (`"movie"`).
    Movie,
    /// TV shows (`"show"`).
    Show,
    /// Music (`"artist"`).
    Artist,
    /// Photos (`"photo"`).
    Photo,
    /// Anything else, as Plex named it.
    Other(String),
}

impl SectionKind {
    /// Reads Plex's `type` attribute.
    pub fn from_plex(kind: &str) -> Self {
        match kind {
            "movie" => Self::Movie,
            "show" => Self::Show,
            "artist" => Self::Artist,
            "photo" => Self::Photo,
            other => Self::Other(other.to_owned()),
        }
    }

    /// The name Plex uses.
    pub fn as_plex(&self) -> &str {
        match self {
            Self::Movie => "movie",
            Self::Show => "show",
            Self::Artist => "artist",
            Self::Photo => "photo",
            Self::Other(other) => other,
        }
    }
}

/// What curator lists and collects: the kind of a library's items, and so
/// of the collections made of them. One enum for the whole workspace
/// (`curator_http::MediaKind`); what differs between the kinds on Plex's
/// wire is [`MediaKindExt`], in one place.
pub use curator_http::MediaKind;

/// What a [`MediaKind`] means on Plex's wire (the item `type` Plex gives
/// such items is [`MediaKind::as_str`]: `"movie"`, `"show"`).
pub trait MediaKindExt: Sized {
    /// Plex's search type number, sent as `type` when listing a section and
    /// when creating a collection: 1 for movies, 2 for shows
    /// (python-plexapi `utils.SEARCHTYPES`; `Collection._create` sends the
    /// search type of its items).
    fn search_type(self) -> u8;

    /// The items of a section of this kind, if curator handles them.
    fn of_section(kind: &SectionKind) -> Option<Self>;
}

impl MediaKindExt for MediaKind {
    fn search_type(self) -> u8 {
        match self {
            Self::Movie => 1,
            Self::Show => 2,
        }
    }

    fn of_section(kind: &SectionKind) -> Option<Self> {
        match kind {
            SectionKind::Movie => Some(Self::Movie),
            SectionKind::Show => Some(Self::Show),
            _ => None,
        }
    }
}

/// A library section (`GET /library/sections`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// The section's key.
    pub key: SectionKey,
    /// What it holds.
    pub kind: SectionKind,
    /// Its name, such as `"Movies"`.
    pub title: String,
    /// When its settings last changed (Unix seconds).
    pub updated_at: Option<i64>,
    /// When its content last changed (Plex's change counter; grows on every
    /// change, a cheap way to know whether a cached movie list is stale).
    pub content_changed_at: Option<i64>,
    /// When it was last scanned (Unix seconds).
    pub scanned_at: Option<i64>,
}

impl Section {
    /// True for a movie section.
    pub fn is_movie(&self) -> bool {
        self.kind == SectionKind::Movie
    }

    /// True for a TV show section.
    pub fn is_show(&self) -> bool {
        self.kind == SectionKind::Show
    }
}

/// A movie in a library, with every media version it has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Movie {
    /// The item's key on this server.
    pub rating_key: RatingKey,
    /// The title.
    pub title: String,
    /// The original-language title, when Plex has one that differs.
    pub original_title: Option<String>,
    /// The release year.
    pub year: Option<u16>,
    /// When it was added to the library (Unix seconds).
    pub added_at: Option<i64>,
    /// The item's own guid, as sent (`plex://movie/...` or a legacy agent guid).
    pub guid: String,
    /// The TMDb id, from the `Guid` array or a legacy agent guid.
    pub tmdb_id: Option<TmdbId>,
    /// The IMDb id, from the `Guid` array or a legacy agent guid.
    pub imdb_id: Option<ImdbId>,
    /// The edition (`editionTitle`: "Director's Cut", "Extended"), when the
    /// item is one. Editions of a film share its TMDb id on purpose.
    pub edition: Option<String>,
    /// The library section the item belongs to (`librarySectionID`), when
    /// the answer said.
    pub section: Option<SectionKey>,
    /// The media versions (one per copy of the movie: 1080p, 4K, ...),
    /// optimized versions included (see [`MediaVersion::optimized`]).
    pub media: Vec<MediaVersion>,
}

impl Movie {
    /// The versions that are not optimized versions: the movie's own copies.
    pub fn original_versions(&self) -> impl Iterator<Item = &MediaVersion> {
        self.media.iter().filter(|v| !v.optimized)
    }

    /// The bytes all versions take on disk.
    pub fn total_size(&self) -> u64 {
        self.media.iter().map(MediaVersion::size).sum()
    }
}

/// One version of a movie or an episode: a file (or files) in one quality.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaVersion {
    /// The version's id, used to delete it.
    pub id: MediaId,
    /// Plex's resolution label: `"sd"`, `"480"`, `"720"`, `"1080"`, `"4k"`.
    pub video_resolution: Option<String>,
    /// The overall bitrate in kbit/s.
    pub bitrate: Option<u32>,
    /// The frame width in pixels.
    pub width: Option<u32>,
    /// The frame height in pixels.
    pub height: Option<u32>,
    /// The video codec, such as `"h264"` or `"hevc"`.
    pub video_codec: Option<String>,
    /// The audio codec, such as `"aac"` or `"eac3"`.
    pub audio_codec: Option<String>,
    /// The container, such as `"mkv"` or `"mp4"`.
    pub container: Option<String>,
    /// The running time in milliseconds.
    pub duration: Option<u64>,
    /// True for an optimized version (`proxyType` 42): a copy Plex made
    /// with "Optimize" (in a `Plex Versions/` folder) for TV or mobile. It
    /// is not a duplicate of the original.
    pub optimized: bool,
    /// The files.
    pub parts: Vec<MediaPart>,
}

impl MediaVersion {
    /// The bytes this version's files take.
    pub fn size(&self) -> u64 {
        self.parts.iter().map(|p| p.size).sum()
    }
}

/// One file of a media version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaPart {
    /// The part's id.
    pub id: u64,
    /// The file's path on the server.
    pub file: String,
    /// The file's size in bytes (0 when Plex did not say).
    pub size: u64,
    /// The running time in milliseconds.
    pub duration: Option<u64>,
    /// Whether the server found the file present and readable; known only
    /// when asked with [`PlexApi::check_files`](crate::PlexApi::check_files),
    /// `None` otherwise.
    pub available: Option<bool>,
}
