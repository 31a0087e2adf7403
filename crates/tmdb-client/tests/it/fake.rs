//! The fake TMDb through the real client.
#![cfg(feature = "fake")]

use std::time::Duration;

use curator_http::{RequestStats, Secret};
use tmdb_client::fake::{FakeMovie, FakeTmdb, Fault, genre_list, sample_catalog};
use tmdb_client::{
    CachedTmdb, DiscoverQuery, DiscoverSort, Error, GenreId, ImdbId, TmdbApi, TmdbId, ops,
};

fn ids(page: &tmdb_client::Page<tmdb_client::MovieSummary>) -> Vec<u32> {
    page.results.iter().map(|m| m.id.0).collect()
}

#[tokio::test]
async fn search_ranks_by_popularity_and_filters_by_year() {
    let fake = FakeTmdb::start(sample_catalog()).await;
    let tmdb = fake.client();

    let matrix = tmdb.search_movies("matrix", None, 1).await.unwrap();
    assert_eq!(ids(&matrix), [603, 604, 605]);
    assert_eq!(matrix.total_results, 3);

    let dune = tmdb.search_movies("DUNE", None, 1).await.unwrap();
    assert_eq!(ids(&dune), [438_631, 841]);
    let dune_1984 = tmdb.search_movies("Dune", Some(1984), 1).await.unwrap();
    assert_eq!(ids(&dune_1984), [841]);
    assert_eq!(dune_1984.results[0].year, Some(1984));
    let none = tmdb.search_movies("Dune", Some(1999), 1).await.unwrap();
    assert!(none.results.is_empty());

    assert_eq!(fake.stats().count(ops::SEARCH_MOVIES), 4);
}

#[tokio::test]
async fn search_matches_words_original_titles_and_ignores_accents() {
    let fake = FakeTmdb::start(sample_catalog()).await;
    let tmdb = fake.client();
    for query in ["amelie", "Amélie", "fabuleux destin", "le fab"] {
        let page = tmdb.search_movies(query, None, 1).await.unwrap();
        assert_eq!(ids(&page), [194], "{query}");
    }
    let page = tmdb.search_movies("기생충", None, 1).await.unwrap();
    assert_eq!(ids(&page), [496_243]);
    let page = tmdb.search_movies("mad max fury", None, 1).await.unwrap();
    assert_eq!(ids(&page), [76341]);
    let page = tmdb.search_movies("no such film", None, 1).await.unwrap();
    assert_eq!(page.total_results, 0);
}

#[tokio::test]
async fn results_come_twenty_to_a_page() {
    let catalog: Vec<_> = (1..=25)
        .map(|n| FakeMovie::new(10_000 + n, &format!("Sequel {n}"), 2000).popularity(f64::from(n)))
        .collect();
    let fake = FakeTmdb::start(catalog).await;
    let tmdb = fake.client();
    let first = tmdb.search_movies("sequel", None, 1).await.unwrap();
    assert_eq!(
        (first.results.len(), first.total_pages, first.total_results),
        (20, 2, 25)
    );
    assert_eq!(first.results[0].id, TmdbId(10_025), "most popular first");
    let second = tmdb.search_movies("sequel", None, 2).await.unwrap();
    assert_eq!(ids(&second), [10_005, 10_004, 10_003, 10_002, 10_001]);
}

#[tokio::test]
async fn details_recommendations_and_similar() {
    let fake = FakeTmdb::start(sample_catalog()).await;
    let tmdb = fake.client();

    let inception = tmdb.movie(TmdbId(27205)).await.unwrap().unwrap();
    assert_eq!(inception.imdb_id, ImdbId::parse("tt1375666"));
    assert_eq!(inception.year, Some(2010));
    assert_eq!(inception.runtime, Some(148));
    assert_eq!(inception.genres[1].name, "Science Fiction");
    assert_eq!(tmdb.movie(TmdbId(1)).await.unwrap(), None);

    let recs = tmdb.recommendations(TmdbId(27205), 1).await.unwrap();
    assert_eq!(ids(&recs), [157_336, 155, 1124, 603, 577_922, 77]);
    let similar = tmdb.similar(TmdbId(438_631), 1).await.unwrap();
    assert_eq!(ids(&similar), [841]);
    let err = tmdb.similar(TmdbId(1), 1).await.unwrap_err();
    assert!(err.is_not_found(), "{err}");

    // The catalogue can change under a running server.
    fake.remove_movie(TmdbId(155));
    let recs = tmdb.recommendations(TmdbId(27205), 1).await.unwrap();
    assert!(!ids(&recs).contains(&155));
    assert_eq!(fake.stats().count(ops::MOVIE), 2);
    assert_eq!(fake.stats().count(ops::RECOMMENDATIONS), 2);
}

#[tokio::test]
async fn discover_filters_genres_votes_and_sorts() {
    let fake = FakeTmdb::start(sample_catalog()).await;
    let tmdb = fake.client();

    // Horror OR Mystery, at least 7,000 votes, best rated first.
    let query = DiscoverQuery {
        with_genres: vec![GenreId(27), GenreId(9648)],
        without_genres: Vec::new(),
        vote_count_gte: Some(7_000),
        sort_by: DiscoverSort::VoteAverageDesc,
        page: 1,
    };
    let page = tmdb.discover(&query).await.unwrap();
    // Ties (8.2) go by id.
    assert_eq!(ids(&page), [807, 670, 77, 348, 1124, 1091, 329_865]);

    let by_popularity = tmdb
        .discover(&DiscoverQuery {
            sort_by: DiscoverSort::PopularityDesc,
            ..query
        })
        .await
        .unwrap();
    assert_eq!(ids(&by_popularity)[..3], [807, 329_865, 348]);

    let all = tmdb.discover(&DiscoverQuery::default()).await.unwrap();
    assert_eq!(all.total_results, sample_catalog().len() as u32);
    assert_eq!(all.results.len(), 20);
    assert_eq!(
        all.results[0].id,
        TmdbId(157_336),
        "Interstellar is the most popular"
    );
}

#[tokio::test]
async fn find_by_imdb_and_genres() {
    let fake = FakeTmdb::start(sample_catalog()).await;
    let tmdb = fake.client();
    let thing = tmdb
        .find_by_imdb(&ImdbId::parse("tt0905372").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!((thing.id, thing.year), (TmdbId(60935), Some(2011)));
    let nothing = tmdb
        .find_by_imdb(&ImdbId::parse("tt9999999").unwrap())
        .await
        .unwrap();
    assert_eq!(nothing, None);
    assert_eq!(tmdb.genres().await.unwrap(), genre_list());
    assert_eq!(fake.stats().count(ops::FIND_BY_IMDB), 2);
    assert_eq!(fake.stats().count(ops::GENRES), 1);
}

#[tokio::test]
async fn both_credential_forms_work_and_wrong_ones_get_a_401() {
    let fake = FakeTmdb::start(sample_catalog()).await;
    let token = fake
        .client_builder()
        .credential(Secret::new(FakeTmdb::ACCESS_TOKEN))
        .build()
        .unwrap();
    assert_eq!(token.genres().await.unwrap().len(), 19);

    let wrong_key = fake
        .client_builder()
        .credential(Secret::new("ffffffffffffffffffffffffffffffff"))
        .build()
        .unwrap();
    let err = wrong_key.search_movies("Heat", None, 1).await.unwrap_err();
    assert!(err.is_unauthorized(), "{err}");
    assert!(err.to_string().contains("Invalid API key"), "{err}");
    assert!(!err.to_string().contains("ffffffff"), "{err}");

    let wrong_token = fake
        .client_builder()
        .credential(Secret::new(format!("{}x", FakeTmdb::ACCESS_TOKEN)))
        .build()
        .unwrap();
    let err = wrong_token.genres().await.unwrap_err();
    assert!(err.is_unauthorized(), "{err}");
    assert_eq!(fake.stats().count(ops::GENRES), 2);
}

#[tokio::test]
async fn throttling_and_faults_are_retried_and_counted_on_both_sides() {
    let fake = FakeTmdb::start(sample_catalog()).await;
    let client_stats = RequestStats::new();
    let tmdb = fake
        .client_builder()
        .stats(client_stats.clone())
        .build()
        .unwrap();

    fake.throttle(ops::MOVIE, 1, 0);
    fake.faults().inject(ops::MOVIE, Fault::Status(503), 1);
    let movie = tmdb.movie(TmdbId(603)).await.unwrap().unwrap();
    assert_eq!(movie.title, "The Matrix");
    assert_eq!(fake.stats().count(ops::MOVIE), 3);
    assert_eq!(client_stats.count(ops::MOVIE), 3);

    // More failures than retries: the error is TMDb's, and retryable.
    fake.faults().inject(ops::GENRES, Fault::Status(503), 10);
    let err = tmdb.genres().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Api {
                status: 503,
                code: 9,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_retryable());
    fake.faults().clear();
}

#[tokio::test]
async fn a_hang_past_the_timeout_is_a_timeout() {
    let fake = FakeTmdb::start(sample_catalog()).await;
    let tmdb = fake
        .client_builder()
        .request_timeout(Duration::from_millis(100))
        .retry(curator_http::RetryPolicy::none())
        .build()
        .unwrap();
    fake.faults()
        .inject(ops::GENRES, Fault::Hang(Duration::from_secs(5)), 1);
    let err = tmdb.genres().await.unwrap_err();
    assert!(matches!(&err, Error::Http(e) if e.is_timeout()), "{err:?}");
}

#[tokio::test]
async fn the_cache_in_front_of_the_fake_saves_requests() {
    let fake = FakeTmdb::start(sample_catalog()).await;
    let dir = tempfile::tempdir().unwrap();
    let tmdb = CachedTmdb::open(fake.client(), dir.path().join("tmdb_cache.json"));
    for _ in 0..3 {
        tmdb.search_movies("alien", None, 1).await.unwrap();
        tmdb.movie(TmdbId(348)).await.unwrap();
    }
    assert_eq!(fake.stats().count(ops::SEARCH_MOVIES), 1);
    assert_eq!(fake.stats().count(ops::MOVIE), 1);
    assert_eq!(tmdb.stats().hits, 4);
}

/// TMDb's `year` matches any release date, `primary_release_year` only the
/// first (TMDb docs, search/movie): a namesake's re-release answers the
/// first and not the second.
#[tokio::test]
async fn year_matches_any_release_and_primary_release_year_the_first() {
    let fake = FakeTmdb::start(vec![
        FakeMovie::new(1, "Solaris", 1972)
            .rereleased("2002-11-29")
            .popularity(30.0),
        FakeMovie::new(2, "Solaris", 2002).popularity(10.0),
    ])
    .await;
    let uri = format!(
        "{}/search/movie?query=solaris&api_key={}",
        fake.uri(),
        FakeTmdb::API_KEY
    );
    let ids_for = |param: &str| {
        let url = format!("{uri}&{param}=2002");
        async move {
            let body: serde_json::Value = reqwest::get(url).await.unwrap().json().await.unwrap();
            body["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["id"].as_u64().unwrap())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(ids_for("year").await, [1, 2]);
    assert_eq!(ids_for("primary_release_year").await, [2]);
    // The client sends the second.
    let page = fake
        .client()
        .search_movies("Solaris", Some(2002), 1)
        .await
        .unwrap();
    assert_eq!(ids(&page), [2]);
}

#[tokio::test]
async fn discover_leaves_out_without_genres() {
    let fake = FakeTmdb::start(sample_catalog()).await;
    let tmdb = fake.client();
    let all = tmdb.discover(&DiscoverQuery::default()).await.unwrap();
    let horror = GenreId(27);
    assert!(all.results.iter().any(|m| m.genre_ids.contains(&horror)));
    let query = DiscoverQuery {
        without_genres: vec![horror],
        ..DiscoverQuery::default()
    };
    let page = tmdb.discover(&query).await.unwrap();
    assert!(!page.results.is_empty());
    assert!(page.results.iter().all(|m| !m.genre_ids.contains(&horror)));
}

#[tokio::test]
async fn the_fake_serves_posters_of_what_it_knows() {
    let fake = FakeTmdb::start(sample_catalog()).await;
    let tmdb = fake.client();
    let dune = tmdb.movie(TmdbId(438_631)).await.unwrap().unwrap();
    let path = dune.poster_path.expect("a poster path");
    let poster = tmdb
        .poster(&path, tmdb_client::PosterSize::W185)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(poster.content_type, "image/png");
    assert!(poster.bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
    // IHDR: 185 wide, 2:3.
    assert_eq!(poster.bytes[16..24], [0, 0, 0, 185, 0, 0, 1, 21]);
    let again = tmdb
        .poster(&path, tmdb_client::PosterSize::W185)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(poster, again);
    let other = tmdb.movie(TmdbId(841)).await.unwrap().unwrap();
    let other = tmdb
        .poster(&other.poster_path.unwrap(), tmdb_client::PosterSize::W185)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(poster.bytes, other.bytes);
    assert!(
        tmdb.poster("/fake-movie-1.png", tmdb_client::PosterSize::W185)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(fake.stats().count(ops::POSTER), 4);
}
