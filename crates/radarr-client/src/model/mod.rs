//! The data Radarr sends and receives, as serde types.
//!
//! Radarr's spec marks nearly every field nullable and lists no required
//! ones, so decoding is lenient: a missing or `null` field becomes its
//! default instead of an error. Tags, root folders, quality profiles, the
//! system status and commands are the same in Sonarr and come from
//! `arr-common`.

mod ids;
mod movie;

pub use arr_common::{
    ApplyTags, Command, QualityProfile, QualityProfileId, RootFolder, SystemStatus, Tag, TagId,
    normalize_tag_label,
};
pub use ids::MovieId;
pub use movie::{AddMovie, AddOutcome, MinimumAvailability, Movie, MovieEditor};

pub(crate) use arr_common::null_as_default;
