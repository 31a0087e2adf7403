//! The fake's TV answers, in TMDb's shapes (developer.themoviedb.org:
//! search-tv, tv-series-details, tv-series-external-ids,
//! tv-series-keywords, tv-series-recommendations, tv-series-similar,
//! discover-tv, find-by-id).

use std::collections::BTreeMap;

use curator_http::fake::{json, query};
use curator_http::{ImdbId, TmdbId, TvdbId};
use serde_json::{Value, json};
use wiremock::{Request, ResponseTemplate};

use super::respond::{DiscoverFilter, genres_json, name_matches, not_found, page_json, year_param};
use super::tv_catalog::{FakeShow, tv_genre_list};
use crate::model::DiscoverSort;

/// The fake's shows, by TMDb TV id.
pub(super) type Shows = BTreeMap<TmdbId, FakeShow>;

/// `GET /search/tv`: `first_air_date_year` matches the first air date only,
/// `year` the first air date and every episode's (TMDb docs, search-tv).
pub(super) fn search(shows: &Shows, request: &Request, page: usize) -> ResponseTemplate {
    let text = query(request, "query").unwrap_or_default();
    let first_aired = year_param(request, "first_air_date_year");
    let any_airing = year_param(request, "year");
    let mut found: Vec<&FakeShow> = shows
        .values()
        .filter(|s| first_aired.is_none_or(|y| s.year() == Some(y)))
        .filter(|s| any_airing.is_none_or(|y| s.air_years.contains(&y)))
        .filter(|s| name_matches(&text, [&s.name, &s.original_name]))
        .collect();
    found.sort_by(|a, b| b.popularity.total_cmp(&a.popularity).then(a.id.cmp(&b.id)));
    json(200, &page_json(summaries(&found, false), page))
}

/// `GET /tv/{id}`, with what `append_to_response` asks for among
/// `external_ids`, `keywords`, `recommendations` and `similar`.
pub(super) fn details(shows: &Shows, id: Option<TmdbId>, request: &Request) -> ResponseTemplate {
    let Some(show) = id.and_then(|id| shows.get(&id)) else {
        return not_found();
    };
    let append = query(request, "append_to_response").unwrap_or_default();
    let appended = |name: &str| append.split(',').any(|a| a.trim() == name);
    let mut details = details_json(show);
    if appended("external_ids") {
        details["external_ids"] = json!({
            "imdb_id": show.imdb_id.as_ref().map(ImdbId::as_str),
            "freebase_mid": null,
            "freebase_id": null,
            "tvdb_id": show.tvdb_id.map(|TvdbId(id)| id),
            "tvrage_id": null,
            "wikidata_id": null,
            "facebook_id": null,
            "instagram_id": null,
            "twitter_id": null,
        });
    }
    if appended("keywords") {
        // Under `results`, where a movie's keywords are under `keywords`.
        let keywords: Vec<Value> = show
            .keywords
            .iter()
            .map(|k| json!({"id": k.id.0, "name": k.name}))
            .collect();
        details["keywords"] = json!({ "results": keywords });
    }
    if appended("recommendations") {
        details["recommendations"] = linked_json(shows, &show.recommendations, true, 1);
    }
    if appended("similar") {
        details["similar"] = linked_json(shows, &show.similar, false, 1);
    }
    json(200, &details)
}

/// `GET /tv/{id}/recommendations` (`similar: false`) or `/similar`.
pub(super) fn linked(
    shows: &Shows,
    id: Option<TmdbId>,
    similar: bool,
    page: usize,
) -> ResponseTemplate {
    match id.and_then(|id| shows.get(&id)) {
        Some(show) if similar => json(200, &linked_json(shows, &show.similar, false, page)),
        Some(show) => json(200, &linked_json(shows, &show.recommendations, true, page)),
        None => not_found(),
    }
}

/// Recommendations carry `media_type`, similar lists do not (as in TMDb's
/// examples).
fn linked_json(shows: &Shows, ids: &[TmdbId], media_type: bool, page: usize) -> Value {
    let listed: Vec<&FakeShow> = ids.iter().filter_map(|id| shows.get(id)).collect();
    page_json(summaries(&listed, media_type), page)
}

/// `GET /discover/tv`: genre and vote filters as for movies,
/// `first_air_date_year`, and TV's `sort_by` values.
pub(super) fn discover(shows: &Shows, request: &Request, page: usize) -> ResponseTemplate {
    let filter = DiscoverFilter::of(request);
    let first_aired = year_param(request, "first_air_date_year");
    let sort = query(request, "sort_by")
        .and_then(|s| DiscoverSort::parse_tv(&s))
        .unwrap_or_default();
    let mut found: Vec<&FakeShow> = shows
        .values()
        .filter(|s| filter.keeps(&s.genres, s.vote_count))
        .filter(|s| first_aired.is_none_or(|y| s.year() == Some(y)))
        .collect();
    found.sort_by(|a, b| {
        let order = match sort {
            DiscoverSort::VoteAverageDesc => b.vote_average.total_cmp(&a.vote_average),
            DiscoverSort::VoteCountDesc => b.vote_count.cmp(&a.vote_count),
            DiscoverSort::ReleaseDateDesc => b.first_air_date.cmp(&a.first_air_date),
            _ => b.popularity.total_cmp(&a.popularity),
        };
        order.then(a.id.cmp(&b.id))
    });
    json(200, &page_json(summaries(&found, false), page))
}

/// `find`'s `tv_results` for a TVDB id (`external_source=tvdb_id`).
pub(super) fn find_by_tvdb(shows: &Shows, external: &str) -> Vec<Value> {
    let wanted: Option<TvdbId> = external.parse().ok();
    let found: Vec<&FakeShow> = shows
        .values()
        .filter(|s| wanted.is_some() && s.tvdb_id == wanted)
        .collect();
    summaries(&found, true)
}

/// `find`'s `tv_results` for an IMDb id (`external_source=imdb_id`).
pub(super) fn find_by_imdb(shows: &Shows, wanted: Option<&ImdbId>) -> Vec<Value> {
    let found: Vec<&FakeShow> = shows
        .values()
        .filter(|s| wanted.is_some() && s.imdb_id.as_ref() == wanted)
        .collect();
    summaries(&found, true)
}

fn summaries(shows: &[&FakeShow], media_type: bool) -> Vec<Value> {
    shows
        .iter()
        .map(|show| {
            let mut summary = summary_json(show);
            if media_type {
                summary["media_type"] = json!("tv");
            }
            summary
        })
        .collect()
}

/// A show in a list, with the fields of TMDb's search-tv example.
fn summary_json(show: &FakeShow) -> Value {
    json!({
        "adult": false,
        "backdrop_path": null,
        "genre_ids": show.genres.iter().map(|g| g.0).collect::<Vec<_>>(),
        "id": show.id.0,
        "origin_country": show.origin_country,
        "original_language": show.original_language,
        "original_name": show.original_name,
        "overview": show.overview,
        "popularity": show.popularity,
        "poster_path": null,
        "first_air_date": show.first_air_date,
        "name": show.name,
        "vote_average": show.vote_average,
        "vote_count": show.vote_count,
    })
}

/// `GET /tv/{id}` without appends, with the fields of TMDb's
/// tv-series-details example.
fn details_json(show: &FakeShow) -> Value {
    let running = show.status == "Returning Series";
    json!({
        "adult": false,
        "backdrop_path": null,
        "created_by": [],
        "episode_run_time": [],
        "first_air_date": show.first_air_date,
        "genres": genres_json(&show.genres, &tv_genre_list()),
        "homepage": "",
        "id": show.id.0,
        "in_production": running,
        "languages": [show.original_language],
        "last_air_date": show.last_air_date,
        "last_episode_to_air": null,
        "name": show.name,
        "next_episode_to_air": null,
        "networks": [],
        "number_of_episodes": show.episodes,
        "number_of_seasons": show.seasons,
        "origin_country": show.origin_country,
        "original_language": show.original_language,
        "original_name": show.original_name,
        "overview": show.overview,
        "popularity": show.popularity,
        "poster_path": super::respond::poster_path("show", show.id),
        "production_companies": [],
        "production_countries": [],
        "seasons": [],
        "spoken_languages": [],
        "status": show.status,
        "tagline": "",
        "type": "Scripted",
        "vote_average": show.vote_average,
        "vote_count": show.vote_count,
    })
}
