//! TV shows: summaries, details with their TVDB id, keywords.
//!
//! TMDb numbers shows and movies separately: show 1396 (Breaking Bad) and
//! movie 1396 are unrelated. Both are a [`TmdbId`]; which one is meant
//! follows from the method that takes or returns it.

use std::fmt;

use curator_http::{ImdbId, TmdbId, TvdbId};
use serde::{Deserialize, Serialize};

use super::movie::{Genre, GenreId, Page};

/// A TMDb keyword id, such as `818` for "based on novel or book".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct KeywordId(pub u32);

impl fmt::Display for KeywordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A keyword TMDb users attached to a show.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Keyword {
    /// The id.
    pub id: KeywordId,
    /// The keyword, such as `"time travel"`.
    pub name: String,
}

/// A show as search, recommendation, discover and find results list it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShowSummary {
    /// The TMDb TV id.
    pub id: TmdbId,
    /// The name in the requested language.
    pub name: String,
    /// The name in the original language.
    pub original_name: String,
    /// The original language (ISO 639-1, such as `"de"`), when known.
    pub original_language: Option<String>,
    /// The first episode's air date as TMDb gives it (`YYYY-MM-DD`); `None`
    /// when unknown.
    pub first_air_date: Option<String>,
    /// The year of [`first_air_date`](Self::first_air_date).
    pub year: Option<i32>,
    /// Where the show was made (ISO 3166-1 codes, such as `["GB"]`).
    pub origin_country: Vec<String>,
    /// The genres (TMDb's TV genres, see `tv_genres`).
    pub genre_ids: Vec<GenreId>,
    /// The average vote, 0 to 10.
    pub vote_average: f64,
    /// How many votes were cast.
    pub vote_count: u32,
    /// TMDb's popularity score (higher is more popular).
    pub popularity: f64,
    /// The plot summary; empty when TMDb has none.
    pub overview: String,
}

impl ShowSummary {
    /// A summary with only an id, a name and a first-air year; the rest
    /// empty. Handy for hand-written fakes in other crates' tests.
    pub fn new(id: TmdbId, name: impl Into<String>, year: Option<i32>) -> Self {
        let name = name.into();
        Self {
            id,
            original_name: name.clone(),
            name,
            original_language: None,
            first_air_date: year.map(|y| format!("{y:04}-01-01")),
            year,
            origin_country: Vec::new(),
            genre_ids: Vec::new(),
            vote_average: 0.0,
            vote_count: 0,
            popularity: 0.0,
            overview: String::new(),
        }
    }
}

/// A show's details, from one `GET /tv/{id}` that appends its external ids,
/// keywords, recommendations and similar shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShowDetails {
    /// The TMDb TV id.
    pub id: TmdbId,
    /// The name in the requested language.
    pub name: String,
    /// The name in the original language.
    pub original_name: String,
    /// The original language (ISO 639-1), when known.
    pub original_language: Option<String>,
    /// The first episode's air date (`YYYY-MM-DD`), when known.
    pub first_air_date: Option<String>,
    /// The year of [`first_air_date`](Self::first_air_date).
    pub year: Option<i32>,
    /// The last aired episode's date (`YYYY-MM-DD`), when known.
    pub last_air_date: Option<String>,
    /// Where the show was made (ISO 3166-1 codes).
    pub origin_country: Vec<String>,
    /// The genres, with names.
    pub genres: Vec<Genre>,
    /// TMDb's status, such as `"Ended"` or `"Returning Series"`.
    pub status: Option<String>,
    /// How many seasons, when known.
    pub number_of_seasons: Option<u32>,
    /// How many episodes, when known.
    pub number_of_episodes: Option<u32>,
    /// The average vote, 0 to 10.
    pub vote_average: f64,
    /// How many votes were cast.
    pub vote_count: u32,
    /// TMDb's popularity score.
    pub popularity: f64,
    /// The plot summary; empty when TMDb has none.
    pub overview: String,
    /// The IMDb id, when TMDb knows it.
    pub imdb_id: Option<ImdbId>,
    /// The TVDB id, when TMDb knows it (some shows have none: Sonarr
    /// cannot add those).
    pub tvdb_id: Option<TvdbId>,
    /// The poster's file path on TMDb's image host, for
    /// [`TmdbApi::poster`](crate::TmdbApi::poster); `None` when the show
    /// has none (and in details cached before it was kept).
    #[serde(default)]
    pub poster_path: Option<String>,
    /// The keywords.
    pub keywords: Vec<Keyword>,
    /// The first page of TMDb's recommendations.
    pub recommendations: Page<ShowSummary>,
    /// The first page of shows TMDb finds similar.
    pub similar: Page<ShowSummary>,
}

impl ShowDetails {
    /// The same show as a [`ShowSummary`].
    pub fn summary(&self) -> ShowSummary {
        ShowSummary {
            id: self.id,
            name: self.name.clone(),
            original_name: self.original_name.clone(),
            original_language: self.original_language.clone(),
            first_air_date: self.first_air_date.clone(),
            year: self.year,
            origin_country: self.origin_country.clone(),
            genre_ids: self.genres.iter().map(|g| g.id).collect(),
            vote_average: self.vote_average,
            vote_count: self.vote_count,
            popularity: self.popularity,
            overview: self.overview.clone(),
        }
    }
}
