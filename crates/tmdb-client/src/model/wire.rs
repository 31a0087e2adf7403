//! TMDb's JSON as it arrives, and its conversion to the domain types.
//!
//! Every field is optional here: TMDb sends `null` for missing posters and
//! dates, `""` for unknown release dates and IMDb ids, and leaves fields out
//! of some endpoints. Defaults are filled in on conversion.

use curator_http::{ImdbId, TmdbId};
use serde::Deserialize;

use super::movie::{Genre, GenreId, MovieDetails, MovieSummary, Page, year_of};

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

/// A page of movies.
#[derive(Debug, Deserialize)]
pub(crate) struct RawPage {
    page: Option<u32>,
    results: Option<Vec<RawMovie>>,
    total_pages: Option<u32>,
    total_results: Option<u32>,
}

impl RawPage {
    pub(crate) fn into_page(self) -> Page<MovieSummary> {
        let results: Vec<_> = self
            .results
            .unwrap_or_default()
            .into_iter()
            .map(RawMovie::into_summary)
            .collect();
        Page {
            page: self.page.unwrap_or(1),
            total_results: self.total_results.unwrap_or(results.len() as u32),
            total_pages: self.total_pages.unwrap_or(u32::from(!results.is_empty())),
            results,
        }
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
        }
    }
}

/// `/find/{external_id}`.
#[derive(Debug, Deserialize)]
pub(crate) struct RawFind {
    movie_results: Option<Vec<RawMovie>>,
}

impl RawFind {
    pub(crate) fn into_first_movie(self) -> Option<MovieSummary> {
        self.movie_results
            .unwrap_or_default()
            .into_iter()
            .next()
            .map(RawMovie::into_summary)
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
        let raw: RawPage = serde_json::from_str(
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
}
