//! The data Sonarr sends and receives, as serde types.
//!
//! Sonarr's spec marks nearly every field nullable and lists no required
//! ones, so decoding is lenient: a missing or `null` field becomes its
//! default instead of an error. Tags, root folders, quality profiles, the
//! system status and commands are the same in Radarr and come from
//! `arr-common`.

mod episode;
mod ids;
mod series;

pub use arr_common::{
    ApplyTags, Command, QualityProfile, QualityProfileId, RootFolder, SystemStatus, Tag, TagId,
    normalize_tag_label,
};
pub use episode::{Episode, EpisodeMonitor};
pub use ids::{EpisodeId, SeriesId};
pub use series::{
    AddOutcome, AddSeries, MonitorType, Season, Series, SeriesEditor, SeriesStatus, SeriesType,
    Statistics,
};

pub(crate) use arr_common::null_as_default;
