//! Id newtypes for Radarr's own records.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub i32);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type! {
    /// Radarr's id of a movie in its library (not the TMDb id).
    MovieId
}

id_type! {
    /// The id of a Radarr tag; movies carry tag ids, not labels.
    TagId
}

id_type! {
    /// The id of a Radarr quality profile.
    QualityProfileId
}
