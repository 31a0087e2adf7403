//! What the Radarr and Sonarr v3 APIs share, in one place.
//!
//! Radarr and Sonarr grew from the same code base (`NzbDrone.Core`,
//! `*.Http`, FluentValidation) and still answer alike: the same tag,
//! root-folder, quality-profile, status and command resources, the same
//! 400 validation list, the same `{message, description}` error body, the
//! same bulk editor that fails a whole request on one repeated or unknown
//! id. `radarr-client` and `sonarr-client` both build on this crate and
//! re-export its types, so a caller never needs to name it.
//!
//! - [`Tag`], [`normalize_tag_label`], [`resolve_tags`] and [`ensure_tags`]:
//!   labels as every version accepts them, found or created once;
//! - [`ValidationFailure`] and [`ErrorBody`]: the error shapes, read;
//! - [`unique_sorted`], [`send_in_chunks`] and [`FailedChunk`]: bulk edits
//!   in chunks whose failures name their ids;
//! - [`connection`]: the base URL and the API-key header, checked alike;
//! - [`ClientSettings`], [`settings_setters!`], [`ArrHttp`], [`Call`] and
//!   [`ArrError`]: a client's builder settings, the connection that sends
//!   its requests, and the error answers read once for both;
//! - [`RootFolder`], [`QualityProfile`], [`SystemStatus`], [`Command`]: the
//!   small resources both serve;
//! - with feature `fake`, [`fake`]: what the two fake servers share.
//!
//! ```
//! use arr_common::{normalize_tag_label, unique_sorted};
//!
//! assert_eq!(normalize_tag_label("Sci Fi").as_deref(), Some("sci-fi"));
//! assert_eq!(unique_sorted(&[3, 1, 3, 2]), vec![1, 2, 3]);
//! ```
#![deny(missing_docs)]

mod chunks;
mod client;
mod connection;
mod error_body;
#[cfg(feature = "fake")]
pub mod fake;
mod model;
mod resources;
mod tag;
mod validation;

pub use chunks::{EDITOR_CHUNK, FailedChunk, FailedChunks, send_in_chunks, unique_sorted};
pub use client::{ArrError, ArrHttp, Call, ChunkedPut, ClientSettings, to_body};
pub use connection::connection;
pub use error_body::{DescriptionSuffix, ErrorBody};
pub use model::{
    Command, QualityProfile, QualityProfileId, RootFolder, SystemStatus, null_as_default,
};
pub use tag::{
    ApplyTags, Tag, TagFailure, TagId, TagResolution, ensure_tags, normalize_tag_label,
    resolve_tags,
};
pub use validation::{ValidationFailure, ValidationList};
