//! The replaced tool's algorithms (ohmzi/Tautulli_Curated_Plex_Collection,
//! read in its source), replayed through the same clients against the same
//! fake servers, so both sides are counted and timed the same way:
//!
//! - its refresher (`apply_collection_state_to_plex`): fetch every wanted
//!   item by rating key, remove every item of the collection one by one
//!   (python-plexapi `removeItems`), add them all back (`addItems`; our
//!   client splits the one request into chunks of 100) or create the
//!   collection with them, set custom sort, move every item after the
//!   previous one (`_apply_custom_order`);
//! - its title resolution (`plex_search.find_plex_movie`): one Plex title
//!   search per suggestion;
//! - its Radarr hand-off, per missing title: the whole movie list, the tags
//!   and the add (API-NOTES, "What the project we replace got wrong");
//! - its monitor confirm (`radarr_monitor_confirm.py`): the Radarr movie
//!   list, the Plex library, one `PUT /movie/{id}` per monitored movie Plex
//!   has.

use std::collections::HashSet;

use curator_http::TmdbId;
use llm_recs::{Recommender, SeedMovie, Suggestion, SuggestionKind, SuggestionRequest};
use plex_client::{CollectionSort, PlexApi, RatingKey, SectionKey};
use radarr_client::{AddMovie, QualityProfileId, RadarrApi};

/// The movie section's key, as `plex.library.section(name)` finds it.
pub(crate) async fn section(plex: &dyn PlexApi, name: &str) -> SectionKey {
    plex.sections()
        .await
        .expect("sections")
        .into_iter()
        .find(|s| s.title == name)
        .expect("the movie section")
        .key
}

/// Its refresher: make `collection` hold `ordered` (already shuffled).
pub(crate) async fn refresh(
    plex: &dyn PlexApi,
    library: &str,
    collection: &str,
    ordered: &[RatingKey],
) {
    let section = section(plex, library).await;
    let existing = plex
        .find_collection(&section, collection)
        .await
        .expect("collections");
    let current = match &existing {
        Some(c) => plex
            .collection_children(&c.rating_key)
            .await
            .expect("children"),
        None => Vec::new(),
    };
    let mut wanted = Vec::with_capacity(ordered.len());
    for key in ordered {
        if plex.item(key).await.expect("item").is_some() {
            wanted.push(key.clone());
        }
    }
    let id = match existing {
        Some(c) => {
            for item in &current {
                plex.remove_from_collection(&c.rating_key, &item.rating_key)
                    .await
                    .expect("remove");
            }
            plex.add_to_collection(&c.rating_key, &wanted)
                .await
                .expect("add");
            c.rating_key
        }
        None => {
            plex.create_collection_with_items(&section, collection, &wanted)
                .await
                .expect("create")
                .rating_key
        }
    };
    plex.set_collection_sort(&id, CollectionSort::Custom)
        .await
        .expect("sort");
    let mut previous: Option<&RatingKey> = None;
    for key in &wanted {
        plex.move_collection_item(&id, key, previous)
            .await
            .expect("move");
        previous = Some(key);
    }
}

/// Its title resolution: one Plex title search per suggestion, matched by
/// normalised title only. Returns the rating keys found.
pub(crate) async fn resolve(
    plex: &dyn PlexApi,
    section: &SectionKey,
    suggestions: &[Suggestion],
) -> Vec<RatingKey> {
    let normal = |t: &str| t.trim().to_lowercase();
    let mut found = Vec::new();
    for s in suggestions {
        let hits = plex
            .search_movies(section, &s.title, None)
            .await
            .expect("search");
        if let Some(m) = hits
            .into_iter()
            .find(|m| normal(&m.title) == normal(&s.title))
        {
            found.push(m.rating_key);
        }
    }
    found
}

/// Asks the LLM as the replaced tool did: one request per list.
pub(crate) async fn suggest(
    llm: &dyn Recommender,
    seed: &str,
    kind: SuggestionKind,
    count: usize,
) -> Vec<Suggestion> {
    llm.suggest(&SuggestionRequest::new(kind, SeedMovie::new(seed), count))
        .await
        .expect("suggestions")
        .items
}

/// Its Radarr hand-off for one missing title: the whole movie list, the
/// tags, the lookup and the add.
pub(crate) async fn hand_to_radarr(radarr: &dyn RadarrApi, tmdb_id: TmdbId) {
    let movies = radarr.movies().await.expect("movies");
    let _tags = radarr.tags().await.expect("tags");
    if movies.iter().any(|m| m.tmdb_id == tmdb_id) {
        return;
    }
    let Ok(found) = radarr.lookup_tmdb(tmdb_id).await else {
        return;
    };
    let add = AddMovie::new(
        tmdb_id,
        found.title,
        found.year,
        QualityProfileId(1),
        "/movies",
    );
    let _ = radarr.add_movie(&add).await;
}

/// Its monitor confirm: one PUT per monitored movie Plex has.
pub(crate) async fn monitor_confirm(
    radarr: &dyn RadarrApi,
    plex: &dyn PlexApi,
    library: &str,
) -> usize {
    let monitored: Vec<_> = radarr
        .movies()
        .await
        .expect("movies")
        .into_iter()
        .filter(|m| m.monitored)
        .collect();
    let section = section(plex, library).await;
    let in_plex: HashSet<TmdbId> = plex
        .movies(&section)
        .await
        .expect("library")
        .into_iter()
        .filter_map(|m| m.tmdb_id)
        .collect();
    let mut unmonitored = 0;
    for mut movie in monitored {
        if in_plex.contains(&movie.tmdb_id) {
            movie.monitored = false;
            radarr.update_movie(&movie).await.expect("update");
            unmonitored += 1;
        }
    }
    unmonitored
}
