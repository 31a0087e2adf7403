//! From a suggested title to a TMDb movie, and from there to a Plex item.

use curator_http::TmdbId;
use plex_client::RatingKey;
use serde::Serialize;
use tmdb_client::{MovieSummary, TmdbApi};

use crate::library::LibraryIndex;
use crate::normalize::normalize_title;

/// A suggestion tied to a real TMDb movie.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResolvedMovie {
    /// The TMDb id.
    pub tmdb_id: TmdbId,
    /// TMDb's title.
    pub title: String,
    /// TMDb's release year.
    pub year: Option<i32>,
    /// The Plex item, when the library has the movie.
    pub rating_key: Option<RatingKey>,
}

/// Why a suggestion did not resolve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum Unresolved {
    /// TMDb has no movie with a matching title (often an invented title).
    NoMatch,
    /// TMDb could not be asked.
    TmdbFailed(String),
}

/// Resolves a suggestion to a TMDb movie.
///
/// Searches with the year, then the year before and after, then no year,
/// stopping at the first search that has a title match. A match is a result
/// whose normalised title or original title equals the suggestion's, or,
/// when the suggestion gave a year, whose title before a colon equals it
/// and whose year is that year ("Dune" for "Dune: Part One" (2021)). Among
/// matches, one of the suggested year wins, then the most popular. No match means unresolved: such a title is
/// never sent to Radarr.
///
/// # Errors
/// [`Unresolved`] says why nothing was found.
pub async fn resolve_title(
    tmdb: &dyn TmdbApi,
    title: &str,
    year: Option<i32>,
) -> Result<MovieSummary, Unresolved> {
    if normalize_title(title).is_empty() {
        return Err(Unresolved::NoMatch);
    }
    let passes: Vec<Option<i32>> = match year {
        Some(y) => vec![Some(y), Some(y - 1), Some(y + 1), None],
        None => vec![None],
    };
    for pass in passes {
        let page = tmdb
            .search_movies(title, pass, 1)
            .await
            .map_err(|e| Unresolved::TmdbFailed(e.to_string()))?;
        if let Some(best) = best_match(title, year, page.results) {
            return Ok(best);
        }
    }
    Err(Unresolved::NoMatch)
}

fn best_match(title: &str, year: Option<i32>, results: Vec<MovieSummary>) -> Option<MovieSummary> {
    let wanted = normalize_title(title);
    let head = |t: &str| normalize_title(t.split(':').next().unwrap_or(t));
    let wanted_head = head(title);
    let score = |m: &MovieSummary| -> Option<u8> {
        if normalize_title(&m.title) == wanted || normalize_title(&m.original_title) == wanted {
            return Some(2);
        }
        let same_year = year.is_some() && m.year == year;
        let same_head = head(&m.title) == wanted || normalize_title(&m.title) == wanted_head;
        (same_year && same_head).then_some(1)
    };
    let year_match = |m: &MovieSummary| year.is_some() && m.year == year;
    results
        .into_iter()
        .filter_map(|m| score(&m).map(|s| (s, m)))
        .max_by(|(sa, a), (sb, b)| {
            sa.cmp(sb)
                .then(year_match(a).cmp(&year_match(b)))
                .then(a.popularity.total_cmp(&b.popularity))
        })
        .map(|(_, m)| m)
}

/// Finds the Plex item for a resolved TMDb movie. Looks up the IMDb id (one
/// TMDb details request) only when the library has items that carry an IMDb
/// id but no TMDb id.
pub async fn find_in_library(
    tmdb: &dyn TmdbApi,
    library: &LibraryIndex,
    movie: &MovieSummary,
) -> Option<RatingKey> {
    if let Some(found) = library.by_tmdb(movie.id).first() {
        return Some(found.rating_key.clone());
    }
    if library.has_imdb_only_items()
        && let Ok(Some(details)) = tmdb.movie(movie.id).await
        && let Some(found) = details
            .imdb_id
            .as_ref()
            .and_then(|id| library.by_imdb(id).into_iter().next())
    {
        return Some(found.rating_key.clone());
    }
    library
        .by_title_year_without_ids(&movie.title, movie.year)
        .first()
        .map(|m| m.rating_key.clone())
}
