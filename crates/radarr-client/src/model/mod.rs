//! The data Radarr sends and receives, as serde types.
//!
//! Radarr's spec marks nearly every field nullable and lists no required
//! ones, so decoding is lenient: a missing or `null` field becomes its
//! default instead of an error.

mod ids;
mod movie;
mod other;

pub use ids::{MovieId, QualityProfileId, TagId};
pub use movie::{AddMovie, AddOutcome, ApplyTags, MinimumAvailability, Movie, MovieEditor};
pub use other::{Command, QualityProfile, RootFolder, SystemStatus, Tag, normalize_tag_label};

use serde::{Deserialize, Deserializer};

/// Decodes `null` (or a missing field, with `#[serde(default)]`) as the
/// type's default.
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Option::unwrap_or_default)
}
