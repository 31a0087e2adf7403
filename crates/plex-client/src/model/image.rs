//! Artwork sent to Plex.

use std::fmt;

/// Which of an item's images an upload sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageSlot {
    /// The poster (`/posters`).
    Poster,
    /// The background art (`/arts`).
    Background,
}

impl ImageSlot {
    /// The path segment Plex files it under (python-plexapi
    /// `uploadPoster` and `uploadArt`).
    pub fn path(self) -> &'static str {
        match self {
            Self::Poster => "posters",
            Self::Background => "arts",
        }
    }
}

/// An image to upload: its bytes (PNG or JPEG), or a URL Plex fetches
/// itself (`?url=`, as python-plexapi `uploadPoster(url=..)`).
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum Image {
    /// The image file's bytes.
    Bytes(Vec<u8>),
    /// A URL of the image, fetched by the Plex server.
    Url(String),
}

impl fmt::Debug for Image {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Bytes(bytes) => write!(f, "Image::Bytes({} bytes)", bytes.len()),
            Self::Url(url) => f.debug_tuple("Image::Url").field(url).finish(),
        }
    }
}
