//! Ids that more than one service speaks.
//!
//! Plex, Radarr and TMDb all name movies by their TMDb id, and Plex and TMDb
//! by their IMDb id too; Plex, TMDb and Sonarr name shows by their TVDB id.
//! So the types live here once and every client re-exports them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A The Movie Database id, such as `27205` for Inception.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TmdbId(pub u32);

impl fmt::Display for TmdbId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for TmdbId {
    type Err = std::num::ParseIntError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.trim().parse().map(Self)
    }
}

/// A TheTVDB series id, such as `81189` for Breaking Bad: the id Sonarr
/// keys its library on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TvdbId(pub u32);

impl fmt::Display for TvdbId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for TvdbId {
    type Err = std::num::ParseIntError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.trim().parse().map(Self)
    }
}

/// An IMDb title id, such as `tt1375666`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ImdbId(String);

impl ImdbId {
    /// Checks the `tt` + digits form and returns the id, lowercased prefix.
    pub fn parse(value: &str) -> Option<Self> {
        let value = value.trim();
        let digits = value.get(2..)?;
        let ok = value.get(..2)?.eq_ignore_ascii_case("tt")
            && !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit());
        ok.then(|| Self(format!("tt{digits}")))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ImdbId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imdb_ids_are_checked() {
        assert_eq!(ImdbId::parse("tt1375666").unwrap().as_str(), "tt1375666");
        assert_eq!(ImdbId::parse(" TT0001 ").unwrap().as_str(), "tt0001");
        for bad in ["", "tt", "1375666", "tt13x", "nm0000138", "té"] {
            assert!(ImdbId::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn tmdb_ids_parse_and_print() {
        assert_eq!(" 27205".parse::<TmdbId>().unwrap(), TmdbId(27205));
        assert_eq!(TmdbId(603).to_string(), "603");
        assert_eq!(serde_json::to_string(&TmdbId(603)).unwrap(), "603");
    }

    #[test]
    fn tvdb_ids_parse_and_print() {
        assert_eq!("81189 ".parse::<TvdbId>().unwrap(), TvdbId(81189));
        assert_eq!(TvdbId(81189).to_string(), "81189");
        assert_eq!(serde_json::to_string(&TvdbId(81189)).unwrap(), "81189");
        assert!("tvdb".parse::<TvdbId>().is_err());
    }
}
