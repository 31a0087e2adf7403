//! Artwork sent to Plex, and thumbnails read from it.

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

/// An image read from Plex: a poster thumbnail, resized by the server.
#[derive(Clone, PartialEq, Eq)]
pub struct Thumbnail {
    /// The answer's `Content-Type`, such as `image/jpeg` (the photo
    /// transcoder's default format) or `image/png`.
    pub content_type: String,
    /// The image file's bytes.
    pub bytes: Vec<u8>,
}

impl fmt::Debug for Thumbnail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Thumbnail({}, {} bytes)",
            self.content_type,
            self.bytes.len()
        )
    }
}
