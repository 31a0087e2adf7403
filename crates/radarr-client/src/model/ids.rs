//! Id newtypes for Radarr's own records.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Radarr's id of a movie in its library (not the TMDb id).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct MovieId(pub i32);

impl fmt::Display for MovieId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
