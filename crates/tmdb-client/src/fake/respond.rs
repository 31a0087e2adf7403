//! What the fake's movie and TV answers share: TMDb's error bodies, paging,
//! name matching and the discover genre filters.

use curator_http::TmdbId;
use curator_http::fake::{json, query};
use serde_json::{Value, json};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use wiremock::{Request, ResponseTemplate};

use crate::model::{Genre, GenreId};

/// Results per page, as on TMDb.
const PAGE_SIZE: usize = 20;

/// TMDb's error body: `{success, status_code, status_message}`.
pub(super) fn tmdb_error(status: u16, code: u32, message: &str) -> ResponseTemplate {
    json(
        status,
        &json!({"success": false, "status_code": code, "status_message": message}),
    )
}

/// TMDb's 404 (code 34), for unknown ids and paths.
pub(super) fn not_found() -> ResponseTemplate {
    tmdb_error(404, 34, "The resource you requested could not be found.")
}

/// TMDb's 400 for a missing or wrong parameter (code 5).
pub(super) fn invalid_parameters() -> ResponseTemplate {
    tmdb_error(
        400,
        5,
        "Invalid parameters: Your request parameters are incorrect.",
    )
}

/// The page parameter: 1 to 500, default 1; `None` when invalid.
pub(super) fn page_param(request: &Request) -> Option<usize> {
    match query(request, "page") {
        None => Some(1),
        Some(text) => text.parse::<usize>().ok().filter(|p| (1..=500).contains(p)),
    }
}

/// TMDb's 400 for a page outside 1..=500 (code 22).
pub(super) fn invalid_page() -> ResponseTemplate {
    tmdb_error(
        400,
        22,
        "Invalid page: Pages start at 1 and max at 500. They are expected to be an integer.",
    )
}

/// A year parameter such as `first_air_date_year`, when given.
pub(super) fn year_param(request: &Request, name: &str) -> Option<i32> {
    query(request, name).and_then(|y| y.parse().ok())
}

/// `{page, results, total_pages, total_results}` for page `page` of `items`.
pub(super) fn page_json(items: Vec<Value>, page: usize) -> Value {
    let total = items.len();
    let results: Vec<Value> = items
        .into_iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .collect();
    json!({
        "page": page,
        "results": results,
        "total_pages": total.div_ceil(PAGE_SIZE).max(1),
        "total_results": total,
    })
}

/// `[{id, name}]` for `ids`, named from `list`.
pub(super) fn genres_json(ids: &[GenreId], list: &[Genre]) -> Vec<Value> {
    ids.iter()
        .map(|id| {
            let name = list.iter().find(|g| g.id == *id).map(|g| g.name.as_str());
            json!({"id": id.0, "name": name.unwrap_or("")})
        })
        .collect()
}

/// `{"genres": [...]}`, as `/genre/movie/list` and `/genre/tv/list` answer.
pub(super) fn genre_list_json(list: &[Genre]) -> ResponseTemplate {
    let genres: Vec<Value> = list
        .iter()
        .map(|g| json!({"id": g.id.0, "name": g.name}))
        .collect();
    json(200, &json!({ "genres": genres }))
}

/// Folds case and accents, reads `&` as "and" (TMDb finds "Pride &
/// Prejudice" for "pride and prejudice"), and turns punctuation into spaces.
pub(super) fn fold(text: &str) -> String {
    let folded: String = text
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            '&' => '\u{1}',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        })
        .collect();
    folded
        .replace('\u{1}', " and ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// TMDb-like matching: the folded query appears in one of the folded
/// names, or every query word starts a word of it.
pub(super) fn name_matches(query: &str, names: [&str; 2]) -> bool {
    let query = fold(query);
    if query.is_empty() {
        return false;
    }
    names.into_iter().any(|name| {
        let name = fold(name);
        name.contains(&query)
            || query
                .split(' ')
                .all(|word| name.split(' ').any(|n| n.starts_with(word)))
    })
}

/// The discover filters on genres and votes.
pub(super) struct DiscoverFilter {
    /// `with_genres`: `a|b` is OR, `a,b` is AND, as on TMDb.
    any_of: Vec<Vec<GenreId>>,
    /// `without_genres`: titles with any of these are left out.
    without: Vec<GenreId>,
    /// `vote_count.gte`.
    vote_floor: u32,
}

impl DiscoverFilter {
    pub(super) fn of(request: &Request) -> Self {
        let genres = query(request, "with_genres").unwrap_or_default();
        let any_of = genres
            .split('|')
            .filter(|g| !g.trim().is_empty())
            .map(|group| {
                group
                    .split(',')
                    .filter_map(|g| g.trim().parse().ok().map(GenreId))
                    .collect()
            })
            .collect();
        let without = query(request, "without_genres")
            .unwrap_or_default()
            .split([',', '|'])
            .filter_map(|g| g.trim().parse().ok().map(GenreId))
            .collect();
        let vote_floor = query(request, "vote_count.gte")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        Self {
            any_of,
            without,
            vote_floor,
        }
    }

    /// True when a title of these genres and votes passes.
    pub(super) fn keeps(&self, genres: &[GenreId], vote_count: u32) -> bool {
        vote_count >= self.vote_floor
            && !genres.iter().any(|g| self.without.contains(g))
            && (self.any_of.is_empty()
                || self
                    .any_of
                    .iter()
                    .any(|all| all.iter().all(|g| genres.contains(g))))
    }
}

/// The `poster_path` the fake gives a movie or show (`kind` is `"movie"`
/// or `"show"`): a file name of its own, as TMDb's are, and one
/// the image route can tell apart.
pub(super) fn poster_path(kind: &str, id: TmdbId) -> String {
    format!("/fake-{kind}-{id}.png")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_and_matching() {
        assert_eq!(
            fold("  Le Fabuleux Destin d'Amélie "),
            "le fabuleux destin d amelie"
        );
        let amelie = ["Amélie", "Le Fabuleux Destin d'Amélie Poulain"];
        for query in ["amelie", "AMÉLIE", "destin amel", "fabuleux"] {
            assert!(name_matches(query, amelie), "{query}");
        }
        for query in ["", "poulainx", "amelia"] {
            assert!(!name_matches(query, amelie), "{query}");
        }
        let pride = ["Pride & Prejudice", "Pride & Prejudice"];
        for query in [
            "Pride and Prejudice",
            "pride & prejudice",
            "Pride&Prejudice",
        ] {
            assert!(name_matches(query, pride), "{query}");
        }
        // "Shogun" finds "Shōgun": accents fold away.
        assert!(name_matches("shogun", ["Shōgun", "Shōgun"]));
    }
}
