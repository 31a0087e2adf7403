//! An image file read from a service.

use std::fmt;

/// An image file as a service sent it: a poster or a thumbnail.
#[derive(Clone, PartialEq, Eq)]
pub struct ImageFile {
    /// The answer's `Content-Type`, such as `image/jpeg` or `image/png`.
    pub content_type: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

impl ImageFile {
    /// An image from an answer's `Content-Type` header (`image/jpeg` when
    /// absent) and body; `None` when the answer is not an image (another
    /// type, or no bytes): a proxy's or a login page, say.
    pub fn from_answer(content_type: Option<&str>, bytes: Vec<u8>) -> Option<Self> {
        let content_type = content_type.unwrap_or("image/jpeg").trim().to_owned();
        (content_type.starts_with("image/") && !bytes.is_empty()).then_some(Self {
            content_type,
            bytes,
        })
    }
}

impl fmt::Debug for ImageFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ImageFile({}, {} bytes)",
            self.content_type,
            self.bytes.len()
        )
    }
}
