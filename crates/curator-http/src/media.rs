//! What kind of title something is: a movie or a TV show.
//!
//! Every service curator talks to tells the two apart (Plex by section and
//! search type, TMDb by endpoint and id space, Radarr and Sonarr by being
//! two services, the LLM prompt by wording), so the one enum lives here and
//! every crate uses it; what a kind means to one service is that crate's
//! own business (an extension trait or a function there).

use std::fmt;

use serde::{Deserialize, Serialize};

/// A movie or a TV show: what a Plex section holds, what a suggestion list
/// names, what a run starts from.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum MediaKind {
    /// Feature films.
    #[default]
    Movie,
    /// TV series (a show as a whole, not an episode).
    Show,
}

impl MediaKind {
    /// Both kinds, movies first.
    pub const ALL: [Self; 2] = [Self::Movie, Self::Show];

    /// A short lowercase name, for logs, reports and URLs: `movie`, `show`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Movie => "movie",
            Self::Show => "show",
        }
    }
}

impl fmt::Display for MediaKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_print_and_serialise_in_lowercase() {
        assert_eq!(MediaKind::Movie.to_string(), "movie");
        assert_eq!(MediaKind::Show.as_str(), "show");
        assert_eq!(serde_json::to_string(&MediaKind::Show).unwrap(), "\"show\"");
        assert_eq!(
            serde_json::from_str::<MediaKind>("\"movie\"").unwrap(),
            MediaKind::Movie
        );
        assert_eq!(MediaKind::default(), MediaKind::Movie);
    }
}
