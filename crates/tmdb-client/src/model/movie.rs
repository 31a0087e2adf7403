//! Movies, genres, pages and the discover query.

use std::fmt;

use curator_http::{ImdbId, TmdbId};
use serde::{Deserialize, Serialize};

/// A TMDb genre id, such as `878` for Science Fiction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct GenreId(pub u32);

impl fmt::Display for GenreId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A genre with its (localized) name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Genre {
    /// The id.
    pub id: GenreId,
    /// The name, such as `"Science Fiction"`.
    pub name: String,
}

/// One page of results, as TMDb pages them (20 per page, pages 1 to 500).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    /// This page's number, from 1.
    pub page: u32,
    /// The results on this page.
    pub results: Vec<T>,
    /// How many pages there are in all.
    pub total_pages: u32,
    /// How many results there are in all.
    pub total_results: u32,
}

impl<T> Page<T> {
    /// An empty first page.
    pub fn empty() -> Self {
        Self {
            page: 1,
            results: Vec::new(),
            total_pages: 0,
            total_results: 0,
        }
    }

    /// True when a page after this one exists.
    pub fn has_next(&self) -> bool {
        self.page < self.total_pages
    }
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Self::empty()
    }
}

/// A movie as search, recommendation, discover and find results list it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MovieSummary {
    /// The TMDb id.
    pub id: TmdbId,
    /// The title in the requested language.
    pub title: String,
    /// The title in the original language.
    pub original_title: String,
    /// The release date as TMDb gives it (`YYYY-MM-DD`); `None` when unknown.
    pub release_date: Option<String>,
    /// The year of [`release_date`](Self::release_date).
    pub year: Option<i32>,
    /// The genres.
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

impl MovieSummary {
    /// A summary with only an id, a title and a year; the rest empty. Handy
    /// for hand-written fakes in other crates' tests.
    pub fn new(id: TmdbId, title: impl Into<String>, year: Option<i32>) -> Self {
        let title = title.into();
        Self {
            id,
            original_title: title.clone(),
            title,
            release_date: year.map(|y| format!("{y:04}-01-01")),
            year,
            genre_ids: Vec::new(),
            vote_average: 0.0,
            vote_count: 0,
            popularity: 0.0,
            overview: String::new(),
        }
    }
}

/// A movie's details, with its IMDb id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MovieDetails {
    /// The TMDb id.
    pub id: TmdbId,
    /// The title in the requested language.
    pub title: String,
    /// The title in the original language.
    pub original_title: String,
    /// The original language (ISO 639-1, such as `"en"`), when known.
    pub original_language: Option<String>,
    /// The release date as TMDb gives it (`YYYY-MM-DD`); `None` when unknown.
    pub release_date: Option<String>,
    /// The year of [`release_date`](Self::release_date).
    pub year: Option<i32>,
    /// The genres, with names.
    pub genres: Vec<Genre>,
    /// The average vote, 0 to 10.
    pub vote_average: f64,
    /// How many votes were cast.
    pub vote_count: u32,
    /// TMDb's popularity score.
    pub popularity: f64,
    /// The plot summary; empty when TMDb has none.
    pub overview: String,
    /// The running time in minutes, when known (TMDb says 0 for unknown).
    pub runtime: Option<u32>,
    /// The IMDb id, when TMDb knows it.
    pub imdb_id: Option<ImdbId>,
    /// The poster's file path on TMDb's image host (`/1E5baAaEse26fej7uHcjOgEE2t2.jpg`),
    /// for [`TmdbApi::poster`](crate::TmdbApi::poster); `None` when the
    /// movie has none (and in details cached before it was kept).
    #[serde(default)]
    pub poster_path: Option<String>,
}

impl MovieDetails {
    /// The same movie as a [`MovieSummary`].
    pub fn summary(&self) -> MovieSummary {
        MovieSummary {
            id: self.id,
            title: self.title.clone(),
            original_title: self.original_title.clone(),
            release_date: self.release_date.clone(),
            year: self.year,
            genre_ids: self.genres.iter().map(|g| g.id).collect(),
            vote_average: self.vote_average,
            vote_count: self.vote_count,
            popularity: self.popularity,
            overview: self.overview.clone(),
        }
    }
}

/// How `/discover/movie` and `/discover/tv` sort their results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub enum DiscoverSort {
    /// Most popular first (TMDb's default).
    #[default]
    PopularityDesc,
    /// Best rated first; pair it with a `vote_count_gte` floor.
    VoteAverageDesc,
    /// Most voted first.
    VoteCountDesc,
    /// Newest first.
    ReleaseDateDesc,
}

impl DiscoverSort {
    /// The `sort_by` value TMDb expects.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PopularityDesc => "popularity.desc",
            Self::VoteAverageDesc => "vote_average.desc",
            Self::VoteCountDesc => "vote_count.desc",
            Self::ReleaseDateDesc => "primary_release_date.desc",
        }
    }

    /// The `sort_by` value `/discover/tv` expects: the same orders, but a
    /// show's date is its first air date (TMDb docs, discover-tv).
    pub fn as_tv_str(self) -> &'static str {
        match self {
            Self::ReleaseDateDesc => "first_air_date.desc",
            other => other.as_str(),
        }
    }

    const ALL: [Self; 4] = [
        Self::PopularityDesc,
        Self::VoteAverageDesc,
        Self::VoteCountDesc,
        Self::ReleaseDateDesc,
    ];

    /// Parses a `/discover/movie` `sort_by` value.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Parses a `/discover/tv` `sort_by` value.
    pub fn parse_tv(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_tv_str() == value)
    }
}

/// The filters of a `/discover/movie` or `/discover/tv` request (movie and
/// TV genre ids differ: see `genres` and `tv_genres`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DiscoverQuery {
    /// Titles in ANY of these genres (sent joined with `|`); empty: any genre.
    pub with_genres: Vec<GenreId>,
    /// Titles in any of these genres are left out (`without_genres`, sent
    /// joined with `,`).
    pub without_genres: Vec<GenreId>,
    /// Only titles with at least this many votes.
    pub vote_count_gte: Option<u32>,
    /// The order.
    pub sort_by: DiscoverSort,
    /// The page, from 1.
    pub page: u32,
}

impl Default for DiscoverQuery {
    fn default() -> Self {
        Self {
            with_genres: Vec::new(),
            without_genres: Vec::new(),
            vote_count_gte: None,
            sort_by: DiscoverSort::default(),
            page: 1,
        }
    }
}

impl DiscoverQuery {
    /// The `with_genres` value: ids joined with `|` (OR).
    pub fn genres_param(&self) -> String {
        self.with_genres
            .iter()
            .map(GenreId::to_string)
            .collect::<Vec<_>>()
            .join("|")
    }

    /// The `without_genres` value: ids joined with `,`.
    pub fn without_genres_param(&self) -> String {
        self.without_genres
            .iter()
            .map(GenreId::to_string)
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// The year of a `YYYY-MM-DD` date; `None` for `""` or anything unreadable.
pub(crate) fn year_of(date: &str) -> Option<i32> {
    let year = date.trim().get(..4)?;
    year.parse().ok().filter(|y| *y > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_come_from_dates_leniently() {
        assert_eq!(year_of("2010-07-15"), Some(2010));
        assert_eq!(year_of("1999"), Some(1999));
        assert_eq!(year_of(""), None);
        assert_eq!(year_of("soon"), None);
    }

    #[test]
    fn discover_params() {
        let query = DiscoverQuery {
            with_genres: vec![GenreId(878), GenreId(53)],
            ..DiscoverQuery::default()
        };
        assert_eq!(query.genres_param(), "878|53");
        assert_eq!(
            DiscoverSort::parse("vote_average.desc"),
            Some(DiscoverSort::VoteAverageDesc)
        );
        assert_eq!(DiscoverSort::parse("title.asc"), None);
        // TMDb's discover-tv sorts by `first_air_date`, not
        // `primary_release_date` (developer.themoviedb.org/reference/discover-tv).
        assert_eq!(
            DiscoverSort::ReleaseDateDesc.as_tv_str(),
            "first_air_date.desc"
        );
        assert_eq!(
            DiscoverSort::parse_tv("first_air_date.desc"),
            Some(DiscoverSort::ReleaseDateDesc)
        );
        assert_eq!(DiscoverSort::parse_tv("primary_release_date.desc"), None);
        assert_eq!(DiscoverSort::VoteCountDesc.as_tv_str(), "vote_count.desc");
    }
}

/// The width of a poster on TMDb's image host: the `poster_sizes` of
/// `GET /configuration` (`images.poster_sizes`: w92, w154, w185, w342,
/// w500, w780, original), the path segment between the image base URL and
/// the file (TMDb's "Image Basics").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PosterSize {
    /// 92 pixels wide.
    W92,
    /// 154 pixels wide.
    W154,
    /// 185 pixels wide: a grid's poster.
    W185,
    /// 342 pixels wide.
    W342,
    /// 500 pixels wide.
    W500,
    /// 780 pixels wide.
    W780,
    /// The file as uploaded.
    Original,
}

impl PosterSize {
    /// The size's name in image URLs, such as `"w185"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::W92 => "w92",
            Self::W154 => "w154",
            Self::W185 => "w185",
            Self::W342 => "w342",
            Self::W500 => "w500",
            Self::W780 => "w780",
            Self::Original => "original",
        }
    }

    /// Every size, smallest first.
    pub const ALL: [Self; 7] = [
        Self::W92,
        Self::W154,
        Self::W185,
        Self::W342,
        Self::W500,
        Self::W780,
        Self::Original,
    ];
}
