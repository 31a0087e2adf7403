//! TMDb's JSON as it arrives, and its conversion to the domain types.
//!
//! Every field is optional here: TMDb sends `null` for missing posters and
//! dates, `""` for unknown release dates and IMDb ids, and leaves fields out
//! of some endpoints. Defaults are filled in on conversion.

use curator_http::{ImdbId, TmdbId, TvdbId};
use serde::Deserialize;

use super::movie::{Genre, GenreId, MovieDetails, MovieSummary, Page, year_of};
use super::tv::{Keyword, KeywordId, ShowDetails, ShowSummary};

/// A movie in a result list.
#[derive(Debug, Deserialize)]
pub(crate) struct RawMovie {
    id: u32,
    title: Option<String>,
    original_title: Option<String>,
    release_date: Option<String>,
    genre_ids: Option<Vec<u32>>,
    vote_average: Option<f64>,
    vote_count: Option<u32>,
    popularity: Option<f64>,
    overview: Option<String>,
}

impl RawMovie {
    pub(crate) fn into_summary(self) -> MovieSummary {
        let title = self.title.unwrap_or_default();
        let release_date = non_empty(self.release_date);
        MovieSummary {
            id: TmdbId(self.id),
            original_title: non_empty(self.original_title).unwrap_or_else(|| title.clone()),
            title,
            year: release_date.as_deref().and_then(year_of),
            release_date,
            genre_ids: self
                .genre_ids
                .unwrap_or_default()
                .into_iter()
                .map(GenreId)
                .collect(),
            vote_average: self.vote_average.unwrap_or_default(),
            vote_count: self.vote_count.unwrap_or_default(),
            popularity: self.popularity.unwrap_or_default(),
            overview: self.overview.unwrap_or_default(),
        }
    }
}

/// A page of results (`RawMovie` or `RawShow`).
#[derive(Debug, Deserialize)]
pub(crate) struct RawPage<T> {
    page: Option<u32>,
    results: Option<Vec<T>>,
    total_pages: Option<u32>,
    total_results: Option<u32>,
}

impl<T> RawPage<T> {
    fn map<U>(self, convert: impl FnMut(T) -> U) -> Page<U> {
        let results: Vec<_> = self
            .results
            .unwrap_or_default()
            .into_iter()
            .map(convert)
            .collect();
        Page {
            page: self.page.unwrap_or(1),
            total_results: self.total_results.unwrap_or(results.len() as u32),
            total_pages: self.total_pages.unwrap_or(u32::from(!results.is_empty())),
            results,
        }
    }
}

impl RawPage<RawMovie> {
    pub(crate) fn into_page(self) -> Page<MovieSummary> {
        self.map(RawMovie::into_summary)
    }
}

impl RawPage<RawShow> {
    pub(crate) fn into_show_page(self) -> Page<ShowSummary> {
        self.map(RawShow::into_summary)
    }
}

/// A genre.
#[derive(Debug, Deserialize)]
pub(crate) struct RawGenre {
    id: u32,
    name: Option<String>,
}

impl RawGenre {
    fn into_genre(self) -> Genre {
        Genre {
            id: GenreId(self.id),
            name: self.name.unwrap_or_default(),
        }
    }
}

/// `/genre/movie/list`.
#[derive(Debug, Deserialize)]
pub(crate) struct RawGenres {
    genres: Option<Vec<RawGenre>>,
}

impl RawGenres {
    pub(crate) fn into_genres(self) -> Vec<Genre> {
        self.genres
            .unwrap_or_default()
            .into_iter()
            .map(RawGenre::into_genre)
            .collect()
    }
}

#[derive(Debug, Deserialize)]
struct RawExternalIds {
    imdb_id: Option<String>,
}

/// `/movie/{id}?append_to_response=external_ids`.
#[derive(Debug, Deserialize)]
pub(crate) struct RawDetails {
    id: u32,
    title: Option<String>,
    original_title: Option<String>,
    original_language: Option<String>,
    release_date: Option<String>,
    genres: Option<Vec<RawGenre>>,
    vote_average: Option<f64>,
    vote_count: Option<u32>,
    popularity: Option<f64>,
    overview: Option<String>,
    runtime: Option<u32>,
    imdb_id: Option<String>,
    poster_path: Option<String>,
    external_ids: Option<RawExternalIds>,
}

impl RawDetails {
    pub(crate) fn into_details(self) -> MovieDetails {
        let title = self.title.unwrap_or_default();
        let release_date = non_empty(self.release_date);
        // The appended external_ids are the documented source; the top-level
        // field is a fallback that details answers also carry.
        let imdb_id = self
            .external_ids
            .and_then(|e| e.imdb_id)
            .and_then(|id| ImdbId::parse(&id))
            .or_else(|| self.imdb_id.and_then(|id| ImdbId::parse(&id)));
        MovieDetails {
            id: TmdbId(self.id),
            original_title: non_empty(self.original_title).unwrap_or_else(|| title.clone()),
            title,
            original_language: non_empty(self.original_language),
            year: release_date.as_deref().and_then(year_of),
            release_date,
            genres: self
                .genres
                .unwrap_or_default()
                .into_iter()
                .map(RawGenre::into_genre)
                .collect(),
            vote_average: self.vote_average.unwrap_or_default(),
            vote_count: self.vote_count.unwrap_or_default(),
            popularity: self.popularity.unwrap_or_default(),
            overview: self.overview.unwrap_or_default(),
            runtime: self.runtime.filter(|r| *r > 0),
            imdb_id,
            poster_path: non_empty(self.poster_path),
        }
    }
}

/// `/find/{external_id}`: one list per kind of object.
#[derive(Debug, Deserialize)]
pub(crate) struct RawFind {
    movie_results: Option<Vec<RawMovie>>,
    tv_results: Option<Vec<RawShow>>,
}

impl RawFind {
    pub(crate) fn into_first_movie(self) -> Option<MovieSummary> {
        self.movie_results
            .unwrap_or_default()
            .into_iter()
            .next()
            .map(RawMovie::into_summary)
    }

    pub(crate) fn into_first_show(self) -> Option<ShowSummary> {
        self.tv_results
            .unwrap_or_default()
            .into_iter()
            .next()
            .map(RawShow::into_summary)
    }
}

/// A show in a result list (search, discover, recommendations, similar,
/// find's `tv_results`).
#[derive(Debug, Deserialize)]
pub(crate) struct RawShow {
    id: u32,
    name: Option<String>,
    original_name: Option<String>,
    original_language: Option<String>,
    first_air_date: Option<String>,
    origin_country: Option<Vec<String>>,
    genre_ids: Option<Vec<u32>>,
    vote_average: Option<f64>,
    vote_count: Option<u32>,
    popularity: Option<f64>,
    overview: Option<String>,
}

impl RawShow {
    pub(crate) fn into_summary(self) -> ShowSummary {
        let name = self.name.unwrap_or_default();
        let first_air_date = non_empty(self.first_air_date);
        ShowSummary {
            id: TmdbId(self.id),
            original_name: non_empty(self.original_name).unwrap_or_else(|| name.clone()),
            name,
            original_language: non_empty(self.original_language),
            year: first_air_date.as_deref().and_then(year_of),
            first_air_date,
            origin_country: self.origin_country.unwrap_or_default(),
            genre_ids: self
                .genre_ids
                .unwrap_or_default()
                .into_iter()
                .map(GenreId)
                .collect(),
            vote_average: self.vote_average.unwrap_or_default(),
            vote_count: self.vote_count.unwrap_or_default(),
            popularity: self.popularity.unwrap_or_default(),
            overview: self.overview.unwrap_or_default(),
        }
    }
}

/// A show's `external_ids` (appended, or `/tv/{id}/external_ids`):
/// `tvdb_id` is a number or `null`, `imdb_id` a string, `""` or `null`.
#[derive(Debug, Deserialize)]
struct RawShowExternalIds {
    imdb_id: Option<String>,
    tvdb_id: Option<u32>,
}

#[derive(Debug, Deserialize)]
struct RawKeyword {
    id: u32,
    name: Option<String>,
}

/// A show's keywords: TMDb lists them under `results`, where a movie's are
/// under `keywords` (TMDb docs, tv-series-keywords); both are read.
#[derive(Debug, Deserialize)]
struct RawShowKeywords {
    #[serde(alias = "keywords")]
    results: Option<Vec<RawKeyword>>,
}

/// `/tv/{id}?append_to_response=external_ids,keywords,recommendations,similar`.
#[derive(Debug, Deserialize)]
pub(crate) struct RawShowDetails {
    id: u32,
    name: Option<String>,
    original_name: Option<String>,
    original_language: Option<String>,
    first_air_date: Option<String>,
    last_air_date: Option<String>,
    origin_country: Option<Vec<String>>,
    genres: Option<Vec<RawGenre>>,
    status: Option<String>,
    number_of_seasons: Option<u32>,
    number_of_episodes: Option<u32>,
    vote_average: Option<f64>,
    vote_count: Option<u32>,
    popularity: Option<f64>,
    overview: Option<String>,
    poster_path: Option<String>,
    external_ids: Option<RawShowExternalIds>,
    keywords: Option<RawShowKeywords>,
    recommendations: Option<RawPage<RawShow>>,
    similar: Option<RawPage<RawShow>>,
}

impl RawShowDetails {
    pub(crate) fn into_details(self) -> ShowDetails {
        let name = self.name.unwrap_or_default();
        let first_air_date = non_empty(self.first_air_date);
        let (imdb_id, tvdb_id) = match self.external_ids {
            Some(ids) => (
                ids.imdb_id.and_then(|id| ImdbId::parse(&id)),
                ids.tvdb_id.filter(|id| *id > 0).map(TvdbId),
            ),
            None => (None, None),
        };
        let page =
            |raw: Option<RawPage<RawShow>>| raw.map_or_else(Page::empty, RawPage::into_show_page);
        ShowDetails {
            id: TmdbId(self.id),
            original_name: non_empty(self.original_name).unwrap_or_else(|| name.clone()),
            name,
            original_language: non_empty(self.original_language),
            year: first_air_date.as_deref().and_then(year_of),
            first_air_date,
            last_air_date: non_empty(self.last_air_date),
            origin_country: self.origin_country.unwrap_or_default(),
            genres: self
                .genres
                .unwrap_or_default()
                .into_iter()
                .map(RawGenre::into_genre)
                .collect(),
            status: non_empty(self.status),
            number_of_seasons: self.number_of_seasons,
            number_of_episodes: self.number_of_episodes,
            vote_average: self.vote_average.unwrap_or_default(),
            vote_count: self.vote_count.unwrap_or_default(),
            popularity: self.popularity.unwrap_or_default(),
            overview: self.overview.unwrap_or_default(),
            imdb_id,
            tvdb_id,
            poster_path: non_empty(self.poster_path),
            keywords: self
                .keywords
                .and_then(|k| k.results)
                .unwrap_or_default()
                .into_iter()
                .map(|k| Keyword {
                    id: KeywordId(k.id),
                    name: k.name.unwrap_or_default(),
                })
                .collect(),
            recommendations: page(self.recommendations),
            similar: page(self.similar),
        }
    }
}

/// TMDb's error body: `{status_code, status_message, success: false}`.
#[derive(Debug, Deserialize)]
pub(crate) struct RawError {
    pub(crate) status_code: Option<i64>,
    pub(crate) status_message: Option<String>,
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nulls_and_empty_dates_are_accepted() {
        let raw: RawPage<RawMovie> = serde_json::from_str(
            r#"{"page":1,"results":[{"id":5,"title":"Untitled","original_title":null,
            "release_date":"","genre_ids":null,"vote_average":null,"vote_count":0,
            "popularity":1.5,"overview":null,"poster_path":null}],
            "total_pages":1,"total_results":1}"#,
        )
        .unwrap();
        let page = raw.into_page();
        let movie = &page.results[0];
        assert_eq!(movie.title, "Untitled");
        assert_eq!(movie.original_title, "Untitled");
        assert_eq!(movie.release_date, None);
        assert_eq!(movie.year, None);
        assert!(movie.genre_ids.is_empty());
        assert_eq!(movie.popularity, 1.5);
    }

    #[test]
    fn details_prefer_external_ids_and_drop_zero_runtime() {
        let raw: RawDetails = serde_json::from_str(
            r#"{"id":9,"title":"X","release_date":"1984-12-14","runtime":0,
            "imdb_id":"","external_ids":{"imdb_id":"tt0087182"}}"#,
        )
        .unwrap();
        let details = raw.into_details();
        assert_eq!(details.year, Some(1984));
        assert_eq!(details.runtime, None);
        assert_eq!(details.imdb_id.unwrap().as_str(), "tt0087182");
    }

    #[test]
    fn show_details_without_ids_or_appended_parts() {
        // A show TMDb has no TVDB id for, asked without appends.
        let raw: RawShowDetails = serde_json::from_str(
            r#"{"id":71365,"name":"Battlestar Galactica","first_air_date":"2003-12-08",
            "last_air_date":"","status":"Ended","external_ids":{"imdb_id":"","tvdb_id":null}}"#,
        )
        .unwrap();
        let details = raw.into_details();
        assert_eq!((details.imdb_id, details.tvdb_id), (None, None));
        assert_eq!(details.year, Some(2003));
        assert_eq!(details.last_air_date, None);
        assert_eq!(details.original_name, "Battlestar Galactica");
        assert!(details.keywords.is_empty());
        assert_eq!(details.recommendations, Page::empty());
    }

    #[test]
    fn show_keywords_are_read_from_results_or_keywords() {
        for body in [
            r#"{"id":1,"keywords":{"results":[{"id":818,"name":"based on novel or book"}]}}"#,
            r#"{"id":1,"keywords":{"keywords":[{"id":818,"name":"based on novel or book"}]}}"#,
        ] {
            let raw: RawShowDetails = serde_json::from_str(body).unwrap();
            let keywords = raw.into_details().keywords;
            assert_eq!(keywords.len(), 1, "{body}");
            assert_eq!(keywords[0].id, KeywordId(818));
        }
    }
}
