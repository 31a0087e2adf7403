//! From a suggested title to a TMDb movie, and from there to a Plex item.

use curator_http::TmdbId;
use plex_client::RatingKey;
use serde::Serialize;
use tmdb_client::{MovieSummary, TmdbApi};

use crate::catalog::Catalog;
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

/// How far a TMDb release year may be from the suggestion's: models often
/// give the year of a film's wide release where TMDb has its festival
/// premiere, or the other way round.
pub const YEAR_TOLERANCE: i32 = 1;

/// Resolves a suggestion to a TMDb movie.
///
/// With a year, one search for films first released that year
/// (`primary_release_year`; TMDb's `year` also matches re-releases, so a
/// namesake's re-release would win); only when it has no match, one search
/// without a year, whose matches must lie within [`YEAR_TOLERANCE`] of the
/// suggestion. Without a year, one search without a year. So a suggestion
/// with the right year costs one request.
///
/// A match is a result whose normalised title or original title equals the
/// suggestion's; or, when the years agree, whose title starts with the
/// suggestion's words or the other way round ("Dr. Strangelove" for "Dr.
/// Strangelove or: How I Learned to Stop Worrying and Love the Bomb",
/// "Birdman" for "Birdman or (The Unexpected Virtue of Ignorance)"), or
/// whose title before a colon is the suggestion ("Dune" for "Dune: Part
/// One"). Among matches an equal title beats a prefix, the suggested year
/// beats a neighbouring one, then the most popular wins. No match means
/// unresolved: such a title is never sent to Radarr.
///
/// # Errors
/// [`Unresolved`] says why nothing was found.
pub async fn resolve_title(
    tmdb: &dyn TmdbApi,
    title: &str,
    year: Option<i32>,
) -> Result<MovieSummary, Unresolved> {
    resolve_in(Catalog::Movies(tmdb), title, year).await
}

/// [`resolve_title`] for either kind: a show resolves the same way, by its
/// name and first-air year (`search/tv` with `first_air_date_year`).
pub(crate) async fn resolve_in(
    catalog: Catalog<'_>,
    title: &str,
    year: Option<i32>,
) -> Result<MovieSummary, Unresolved> {
    if normalize_title(title).is_empty() {
        return Err(Unresolved::NoMatch);
    }
    let passes: &[Option<i32>] = match year {
        Some(y) => &[Some(y), None],
        None => &[None],
    };
    for pass in passes {
        let page = catalog
            .search(title, *pass, 1)
            .await
            .map_err(|e| Unresolved::TmdbFailed(e.to_string()))?;
        if let Some(best) = best_match(title, year, page.results) {
            return Ok(best);
        }
    }
    Err(Unresolved::NoMatch)
}

/// True when one title's words start the other's.
fn word_prefix(a: &str, b: &str) -> bool {
    let a: Vec<&str> = a.split(' ').collect();
    let b: Vec<&str> = b.split(' ').collect();
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    !short.is_empty() && short.len() < long.len() && long.starts_with(short)
}

fn best_match(title: &str, year: Option<i32>, results: Vec<MovieSummary>) -> Option<MovieSummary> {
    let wanted = normalize_title(title);
    let head = |t: &str| normalize_title(t.split(':').next().unwrap_or(t));
    let wanted_head = head(title);
    let near = |m: &MovieSummary| match (year, m.year) {
        (None, _) => true,
        (Some(y), Some(found)) => (found - y).abs() <= YEAR_TOLERANCE,
        (Some(_), None) => false,
    };
    let score = |m: &MovieSummary| -> Option<u8> {
        if !near(m) {
            return None;
        }
        let found = normalize_title(&m.title);
        let original = normalize_title(&m.original_title);
        if found == wanted || original == wanted {
            return Some(2);
        }
        // Looser matches only when the suggestion's year vouches for them.
        let same_head = head(&m.title) == wanted || found == wanted_head;
        (year.is_some() && (same_head || word_prefix(&found, &wanted))).then_some(1)
    };
    let exact_year = |m: &MovieSummary| year.is_some() && m.year == year;
    results
        .into_iter()
        .filter_map(|m| score(&m).map(|s| (s, m)))
        .max_by(|(sa, a), (sb, b)| {
            sa.cmp(sb)
                .then(exact_year(a).cmp(&exact_year(b)))
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
