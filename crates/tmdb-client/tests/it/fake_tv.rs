//! The fake TMDb's TV catalogue and endpoints, through the real client and
//! raw, against TMDb's documented behaviour (developer.themoviedb.org:
//! search-tv, tv-series-details, tv-series-keywords, discover-tv,
//! find-by-id, genre-tv-list; errors as in TMDb's examples: 404 with
//! `status_code` 34, 401 with 7).
#![cfg(feature = "fake")]

use serde_json::Value;
use tmdb_client::fake::{FakeShow, FakeTmdb, sample_catalog, sample_tv_catalog, tv_genre_list};
use tmdb_client::{
    DiscoverQuery, DiscoverSort, GenreId, ImdbId, Page, ShowSummary, TmdbApi, TmdbId, TmdbTvApi,
    TvdbId, ops,
};

fn ids(page: &Page<ShowSummary>) -> Vec<u32> {
    page.results.iter().map(|s| s.id.0).collect()
}

async fn fake() -> FakeTmdb {
    FakeTmdb::start_with(sample_catalog(), sample_tv_catalog()).await
}

/// `GET {fake}/3{path_and_query}` with the fake's key, as raw JSON.
async fn raw(fake: &FakeTmdb, path_and_query: &str) -> (u16, Value) {
    let separator = if path_and_query.contains('?') {
        '&'
    } else {
        '?'
    };
    let url = format!(
        "{}{path_and_query}{separator}api_key={}",
        fake.uri(),
        FakeTmdb::API_KEY
    );
    let response = reqwest::get(url).await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn same_name_shows_are_told_apart_by_first_air_year() {
    let fake = fake().await;
    let tmdb = fake.client();
    // Accents fold away; the more popular namesake comes first.
    let shogun = tmdb.search_shows("shogun", None, 1).await.unwrap();
    assert_eq!(ids(&shogun), [126_308, 13862]);
    let shogun_1980 = tmdb.search_shows("Shōgun", Some(1980), 1).await.unwrap();
    assert_eq!(ids(&shogun_1980), [13862]);
    assert_eq!(shogun_1980.results[0].year, Some(1980));

    let galactica = tmdb
        .search_shows("battlestar galactica", None, 1)
        .await
        .unwrap();
    assert_eq!(ids(&galactica), [1972, 501, 71365]);
    for (year, id) in [(1978, 501), (2003, 71365), (2004, 1972)] {
        let page = tmdb
            .search_shows("Battlestar Galactica", Some(year), 1)
            .await
            .unwrap();
        assert_eq!(ids(&page), [id], "{year}");
    }

    let office = tmdb.search_shows("The Office", None, 1).await.unwrap();
    assert_eq!(ids(&office), [2316, 2996]);
    let uk = tmdb
        .search_shows("the office", Some(2001), 1)
        .await
        .unwrap();
    assert_eq!(uk.results[0].origin_country, ["GB"]);
    assert!(
        tmdb.search_shows("The Office", Some(1999), 1)
            .await
            .unwrap()
            .results
            .is_empty()
    );
    assert_eq!(fake.stats().count(ops::SEARCH_SHOWS), 9);
    assert_eq!(fake.stats().count(ops::SEARCH_MOVIES), 0);
}

/// search-tv: `year` searches "the first air date and all episode air
/// dates", `first_air_date_year` "only the first air date". Twin Peaks
/// first aired in 1990 and again in 2017.
#[tokio::test]
async fn year_matches_any_airing_and_first_air_date_year_the_first() {
    let fake = fake().await;
    let (status, by_year) = raw(&fake, "/search/tv?query=twin%20peaks&year=2017").await;
    assert_eq!(status, 200);
    assert_eq!(by_year["results"][0]["id"], 1920);
    let (_, gap) = raw(&fake, "/search/tv?query=twin%20peaks&year=2005").await;
    assert_eq!(gap["total_results"], 0, "no episode aired in 2005");
    let (_, first) = raw(
        &fake,
        "/search/tv?query=twin%20peaks&first_air_date_year=2017",
    )
    .await;
    assert_eq!(first["results"].as_array().unwrap().len(), 0);
    // The client sends the first-air year.
    let page = fake
        .client()
        .search_shows("Twin Peaks", Some(2017), 1)
        .await
        .unwrap();
    assert!(page.results.is_empty());
}

#[tokio::test]
async fn original_names_match_and_results_carry_tmdbs_list_fields() {
    let fake = fake().await;
    let tmdb = fake.client();
    let heist = tmdb
        .search_shows("la casa de papel", None, 1)
        .await
        .unwrap();
    assert_eq!(ids(&heist), [71446]);
    assert_eq!(heist.results[0].original_name, "La casa de papel");
    assert_eq!(heist.results[0].original_language.as_deref(), Some("es"));
    let squid = tmdb.search_shows("오징어 게임", None, 1).await.unwrap();
    assert_eq!(ids(&squid), [93405]);

    // The list item's fields, by TMDb's names (search-tv example).
    let (_, body) = raw(&fake, "/search/tv?query=dark").await;
    let item = &body["results"][0];
    for field in [
        "adult",
        "backdrop_path",
        "genre_ids",
        "id",
        "origin_country",
        "original_language",
        "original_name",
        "overview",
        "popularity",
        "poster_path",
        "first_air_date",
        "name",
        "vote_average",
        "vote_count",
    ] {
        assert!(item.get(field).is_some(), "{field} in {item}");
    }
    assert!(item.get("title").is_none() && item.get("release_date").is_none());
}

#[tokio::test]
async fn details_bring_ids_keywords_and_both_lists() {
    let fake = fake().await;
    let tmdb = fake.client();
    let breaking_bad = tmdb.show(TmdbId(1396)).await.unwrap().unwrap();
    assert_eq!(breaking_bad.tvdb_id, Some(TvdbId(81189)));
    assert_eq!(breaking_bad.imdb_id, ImdbId::parse("tt0903747"));
    assert_eq!(breaking_bad.year, Some(2008));
    assert_eq!(breaking_bad.genres[0].name, "Drama");
    assert_eq!(
        ids(&breaking_bad.recommendations),
        [60059, 1438, 1398, 62560, 46648]
    );
    assert_eq!(ids(&breaking_bad.similar), [60059, 1438]);
    let thrones = tmdb.show(TmdbId(1399)).await.unwrap().unwrap();
    assert_eq!(thrones.tvdb_id, Some(TvdbId(121361)));
    assert_eq!(thrones.keywords[0].name, "based on novel or book");
    assert_eq!(thrones.genres[0].name, "Sci-Fi & Fantasy");
    // One request each: everything came appended.
    assert_eq!(fake.stats().count(ops::SHOW), 2);
    assert_eq!(fake.stats().count(ops::SHOW_RECOMMENDATIONS), 0);

    // Real TMDb has shows without a TVDB id.
    let miniseries = tmdb.show(TmdbId(71365)).await.unwrap().unwrap();
    assert_eq!(miniseries.tvdb_id, None);
    let (_, body) = raw(&fake, "/tv/71365?append_to_response=external_ids,keywords").await;
    assert!(body["external_ids"]["tvdb_id"].is_null(), "{body}");
    // TV keywords are under `results` (tv-series-keywords).
    assert!(body["keywords"]["results"].is_array(), "{body}");
    assert!(body["keywords"].get("keywords").is_none());
    // Without appends, nothing is appended.
    let (_, bare) = raw(&fake, "/tv/1396").await;
    assert!(bare.get("external_ids").is_none() && bare.get("recommendations").is_none());
    assert_eq!(bare["name"], "Breaking Bad");
}

#[tokio::test]
async fn unknown_shows_get_tmdbs_404_and_bad_keys_its_401() {
    let fake = fake().await;
    let tmdb = fake.client();
    assert_eq!(tmdb.show(TmdbId(1)).await.unwrap(), None);
    let err = tmdb.similar_shows(TmdbId(1), 1).await.unwrap_err();
    assert!(err.is_not_found(), "{err}");
    let (status, body) = raw(&fake, "/tv/1/recommendations").await;
    assert_eq!(status, 404);
    assert_eq!(body["status_code"], 34);
    assert_eq!(body["success"], false);
    // A movie id is not a show id: movie 27205 (Inception) is no show.
    let (status, _) = raw(&fake, "/tv/27205").await;
    assert_eq!(status, 404);

    let response = reqwest::get(format!("{}/tv/1396?api_key=wrong", fake.uri()))
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status_code"], 7);
    let wrong = fake
        .client_builder()
        .credential(curator_http::Secret::new(
            "ffffffffffffffffffffffffffffffff",
        ))
        .build()
        .unwrap();
    let err = wrong.tv_genres().await.unwrap_err();
    assert!(err.is_unauthorized(), "{err}");
    assert_eq!(err.op(), Some(ops::TV_GENRES));
}

#[tokio::test]
async fn recommendations_similar_and_paging() {
    let fake = fake().await;
    let tmdb = fake.client();
    let recs = tmdb.show_recommendations(TmdbId(126_308), 1).await.unwrap();
    assert_eq!(ids(&recs), [1399, 13862]);
    let similar = tmdb.similar_shows(TmdbId(1972), 1).await.unwrap();
    assert_eq!(ids(&similar), [501, 71365]);
    let (_, body) = raw(&fake, "/tv/1396/recommendations").await;
    assert_eq!(body["results"][0]["media_type"], "tv");
    let (status, body) = raw(&fake, "/tv/1396/similar?page=501").await;
    assert_eq!((status, body["status_code"].as_u64()), (400, Some(22)));

    // The catalogue can change under a running server.
    fake.remove_show(TmdbId(1438));
    let recs = tmdb.show_recommendations(TmdbId(1396), 1).await.unwrap();
    assert!(!ids(&recs).contains(&1438));
    fake.add_show(FakeShow::new(1438, "The Wire", 2002).popularity(1.0));
    assert_eq!(fake.show(TmdbId(1438)).unwrap().popularity, 1.0);
    assert_eq!(fake.shows().len(), sample_tv_catalog().len());
}

#[tokio::test]
async fn discover_filters_tv_genres_votes_and_sorts() {
    let fake = fake().await;
    let tmdb = fake.client();
    // Sci-Fi & Fantasy OR Mystery, without Action & Adventure, at least
    // 5,000 votes, best rated first.
    let query = DiscoverQuery {
        with_genres: vec![GenreId(10765), GenreId(9648)],
        without_genres: vec![GenreId(10759)],
        vote_count_gte: Some(5_000),
        sort_by: DiscoverSort::VoteAverageDesc,
        page: 1,
    };
    let page = tmdb.discover_shows(&query).await.unwrap();
    // Stranger Things 8.6, Dark 8.4, Black Mirror 8.3; Game of Thrones and
    // Squid Game are Action & Adventure.
    assert_eq!(ids(&page), [66732, 70523, 42009]);

    let newest = tmdb
        .discover_shows(&DiscoverQuery {
            sort_by: DiscoverSort::ReleaseDateDesc,
            ..DiscoverQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(newest.results[0].id, TmdbId(126_308), "Shōgun, 2024");
    assert_eq!(newest.total_results, sample_tv_catalog().len() as u32);
    assert_eq!(newest.results.len(), 20);

    // AND with a comma, and the first-air year, as TMDb reads them.
    let (_, body) = raw(
        &fake,
        "/discover/tv?with_genres=35,18&first_air_date_year=2016",
    )
    .await;
    let found: Vec<_> = body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_u64().unwrap())
        .collect();
    assert_eq!(found, [67070], "Fleabag: comedy and drama, 2016");
    assert_eq!(fake.stats().count(ops::DISCOVER_SHOWS), 3);
    assert_eq!(fake.stats().count(ops::DISCOVER), 0);
}

#[tokio::test]
async fn find_answers_in_tmdbs_shape_for_tvdb_and_imdb_ids() {
    let fake = fake().await;
    let tmdb = fake.client();
    let show = tmdb
        .find_show_by_tvdb(TvdbId(371980))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((show.id, show.name.as_str()), (TmdbId(95396), "Severance"));
    assert_eq!(tmdb.find_show_by_tvdb(TvdbId(1)).await.unwrap(), None);
    let wire = ImdbId::parse("tt0306414").unwrap();
    assert_eq!(
        tmdb.find_show_by_imdb(&wire).await.unwrap().unwrap().id,
        TmdbId(1438)
    );
    // The same IMDb lookup for a movie finds none: it is a show.
    assert_eq!(tmdb.find_by_imdb(&wire).await.unwrap(), None);
    // And a movie's IMDb id is no show.
    let inception = ImdbId::parse("tt1375666").unwrap();
    assert_eq!(tmdb.find_show_by_imdb(&inception).await.unwrap(), None);
    assert!(tmdb.find_by_imdb(&inception).await.unwrap().is_some());
    assert_eq!(fake.stats().count(ops::FIND_BY_TVDB), 2);
    assert_eq!(fake.stats().count(ops::FIND_BY_IMDB), 4);

    let (status, body) = raw(&fake, "/find/81189?external_source=tvdb_id").await;
    assert_eq!(status, 200);
    for list in [
        "movie_results",
        "person_results",
        "tv_results",
        "tv_episode_results",
        "tv_season_results",
    ] {
        assert!(body[list].is_array(), "{list} in {body}");
    }
    assert_eq!(body["tv_results"][0]["id"], 1396);
    assert_eq!(body["tv_results"][0]["media_type"], "tv");
    let (status, body) = raw(&fake, "/find/81189").await;
    assert_eq!((status, body["status_code"].as_u64()), (400, Some(5)));
}

#[tokio::test]
async fn tv_genres_are_tmdbs_tv_list() {
    let fake = fake().await;
    let genres = fake.client().tv_genres().await.unwrap();
    assert_eq!(genres, tv_genre_list());
    assert_eq!(genres.len(), 16);
    let name = |id| {
        genres
            .iter()
            .find(|g| g.id == GenreId(id))
            .map(|g| g.name.as_str())
    };
    assert_eq!(name(10765), Some("Sci-Fi & Fantasy"));
    assert_eq!(name(878), None, "Science Fiction is a movie genre");
    // Every genre the catalogue uses is on the list.
    for show in sample_tv_catalog() {
        for genre in &show.genres {
            assert!(
                genres.iter().any(|g| g.id == *genre),
                "{} {genre}",
                show.name
            );
        }
    }
    assert_eq!(fake.stats().count(ops::TV_GENRES), 1);
    assert_eq!(fake.stats().count(ops::GENRES), 0);
}

/// The sample catalogue holds together: ids unique, links point inside it,
/// and exactly the 2003 miniseries lacks a TVDB id.
#[test]
fn the_sample_tv_catalogue_is_consistent() {
    let catalog = sample_tv_catalog();
    assert!((25..=40).contains(&catalog.len()), "{}", catalog.len());
    let ids: Vec<_> = catalog.iter().map(|s| s.id).collect();
    let tvdb: Vec<_> = catalog.iter().filter_map(|s| s.tvdb_id).collect();
    for (i, show) in catalog.iter().enumerate() {
        assert!(!ids[..i].contains(&show.id), "{} twice", show.id);
        for linked in show.recommendations.iter().chain(&show.similar) {
            assert!(ids.contains(linked), "{} links {linked}", show.name);
        }
        assert!(show.year().is_some(), "{}", show.name);
    }
    let mut unique = tvdb.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), tvdb.len());
    let without: Vec<_> = catalog
        .iter()
        .filter(|s| s.tvdb_id.is_none())
        .map(|s| s.id.0)
        .collect();
    assert_eq!(without, [13862, 71365]);
}

#[tokio::test]
async fn the_cache_keeps_shows_apart_from_movies_of_the_same_id() {
    // Movie 1396 and show 1396 are different titles on TMDb.
    let fake = FakeTmdb::start_with(
        vec![tmdb_client::fake::FakeMovie::new(
            1396,
            "A Movie Numbered 1396",
            1999,
        )],
        sample_tv_catalog(),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let tmdb = tmdb_client::CachedTmdb::open(fake.client(), dir.path().join("tmdb_cache.json"));
    for _ in 0..2 {
        let movie = tmdb.movie(TmdbId(1396)).await.unwrap().unwrap();
        assert_eq!(movie.title, "A Movie Numbered 1396");
        let show = tmdb.show(TmdbId(1396)).await.unwrap().unwrap();
        assert_eq!(show.name, "Breaking Bad");
    }
    assert_eq!(fake.stats().count(ops::MOVIE), 1);
    assert_eq!(fake.stats().count(ops::SHOW), 1);
    assert_eq!(tmdb.stats().hits, 2);
}

/// TV requests go through the same retries and counters as movie ones: a
/// 429 (code 25) and a 503 are retried, and both sides count three.
#[tokio::test]
async fn tv_requests_are_retried_like_movie_requests() {
    let fake = fake().await;
    let client_stats = curator_http::RequestStats::new();
    let tmdb = fake
        .client_builder()
        .stats(client_stats.clone())
        .build()
        .unwrap();
    fake.throttle(ops::SHOW, 1, 0);
    fake.faults()
        .inject(ops::SHOW, tmdb_client::fake::Fault::Status(503), 1);
    let show = tmdb.show(TmdbId(87108)).await.unwrap().unwrap();
    assert_eq!(show.name, "Chernobyl");
    assert_eq!(fake.stats().count(ops::SHOW), 3);
    assert_eq!(client_stats.count(ops::SHOW), 3);
}
