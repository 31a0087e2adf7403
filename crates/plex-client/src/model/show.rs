//! TV shows and their episodes.

use curator_http::{ImdbId, TmdbId, TvdbId};
use serde::{Deserialize, Serialize};

use super::ids::{RatingKey, SectionKey};
use super::library::MediaVersion;

/// A TV show in a library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Show {
    /// The show's key on this server.
    pub rating_key: RatingKey,
    /// The title.
    pub title: String,
    /// The original-language title, when Plex has one that differs.
    pub original_title: Option<String>,
    /// The year it first aired.
    pub year: Option<u16>,
    /// When it was added to the library (Unix seconds).
    pub added_at: Option<i64>,
    /// The show's own guid, as sent (`plex://show/...` or a legacy agent
    /// guid such as `com.plexapp.agents.thetvdb://81189?lang=en`).
    pub guid: String,
    /// The TMDb **TV** id (`tmdb://1396`): a different namespace from movie
    /// ids, so never look it up as a movie.
    pub tmdb_id: Option<TmdbId>,
    /// The TheTVDB series id, the one Sonarr uses.
    pub tvdb_id: Option<TvdbId>,
    /// The IMDb id.
    pub imdb_id: Option<ImdbId>,
    /// The library section it belongs to (`librarySectionID`), when the
    /// answer said.
    pub section: Option<SectionKey>,
    /// How many seasons Plex has of it (`childCount`; specials count as one).
    pub season_count: Option<u32>,
    /// How many episodes Plex has of it (`leafCount`).
    pub episode_count: Option<u32>,
}

/// The show an episode belongs to, as the episode names it
/// (`grandparentRatingKey`, `grandparentGuid`, `grandparentTitle`).
///
/// Legacy agents put the show's id in its guid
/// (`com.plexapp.agents.thetvdb://81189?lang=en`), read into
/// [`ShowRef::tvdb_id`] / [`ShowRef::tmdb_id`]; the current agent's
/// `plex://show/...` names no outside id: read the show
/// ([`PlexApi::show`](crate::PlexApi::show)) for its ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShowRef {
    /// The show's key (`grandparentRatingKey`).
    pub rating_key: RatingKey,
    /// The show's guid (`grandparentGuid`).
    pub guid: String,
    /// The show's title (`grandparentTitle`).
    pub title: String,
    /// The TMDb TV id, when the show's guid is a legacy TMDb agent's.
    pub tmdb_id: Option<TmdbId>,
    /// The TheTVDB id, when the show's guid is a legacy TheTVDB agent's.
    pub tvdb_id: Option<TvdbId>,
}

/// An episode, with every media version it has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Episode {
    /// The episode's key on this server.
    pub rating_key: RatingKey,
    /// The episode's title.
    pub title: String,
    /// The episode's own guid (`plex://episode/...` or a legacy guid with
    /// season and episode numbers). Its ids, if any, are the episode's, not
    /// the show's.
    pub guid: String,
    /// The show it belongs to.
    pub show: ShowRef,
    /// The season's key (`parentRatingKey`; absent when the show's seasons
    /// are hidden).
    pub season_key: Option<RatingKey>,
    /// The season number (`parentIndex`; 0 for specials).
    pub season: Option<u32>,
    /// The episode number within the season (`index`).
    pub episode: Option<u32>,
    /// The year it aired.
    pub year: Option<u16>,
    /// When it was added to the library (Unix seconds).
    pub added_at: Option<i64>,
    /// The library section it belongs to, when the answer said.
    pub section: Option<SectionKey>,
    /// The media versions (one per copy: 720p, 1080p, ...), optimized
    /// versions included (see [`MediaVersion::optimized`]).
    pub media: Vec<MediaVersion>,
}

impl Episode {
    /// The versions that are not optimized versions: the episode's own copies.
    pub fn original_versions(&self) -> impl Iterator<Item = &MediaVersion> {
        self.media.iter().filter(|v| !v.optimized)
    }
}
