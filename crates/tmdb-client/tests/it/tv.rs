//! The TV half of the HTTP client against wiremock: what is sent and what
//! is decoded. Parameter and field names are TMDb's own
//! (developer.themoviedb.org/reference: search-tv, tv-series-details,
//! tv-series-external-ids, tv-series-keywords, tv-series-recommendations,
//! tv-series-similar, discover-tv, find-by-id, genre-tv-list; TMDb's
//! OpenAPI as mirrored in api-evangelist/tmdb
//! `openapi/tmdb-api-openapi-original.yml` at ecd5096).

use serde_json::json;
use tmdb_client::{
    DiscoverQuery, DiscoverSort, GenreId, ImdbId, KeywordId, TmdbApi, TmdbId, TmdbTvApi, TvdbId,
    ops,
};
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::{KEY, TOKEN, builder, chain, client};

fn not_found_body() -> serde_json::Value {
    json!({"success": false, "status_code": 34,
        "status_message": "The resource you requested could not be found."})
}

/// A list item as search-tv's example has it.
fn breaking_bad_item() -> serde_json::Value {
    json!({
        "adult": false,
        "backdrop_path": "/bd.jpg",
        "genre_ids": [18, 80],
        "id": 1396,
        "origin_country": ["US"],
        "original_language": "en",
        "original_name": "Breaking Bad",
        "overview": "A chemistry teacher turns to crime.",
        "popularity": 298.884,
        "poster_path": "/p.jpg",
        "first_air_date": "2008-01-20",
        "name": "Breaking Bad",
        "vote_average": 8.879,
        "vote_count": 11536
    })
}

#[tokio::test]
async fn search_shows_sends_first_air_date_year_and_decodes_names() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/search/tv"))
        .and(query_param("query", "Shōgun"))
        // search-tv: `first_air_date_year` "Search only the first air date";
        // `year` would also match any episode's air date.
        .and(query_param("first_air_date_year", "1980"))
        .and(query_param_is_missing("year"))
        .and(query_param_is_missing("primary_release_year"))
        .and(query_param("page", "1"))
        .and(query_param("api_key", KEY))
        .and(header("accept", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "page": 1,
            "results": [{
                "adult": false, "backdrop_path": null, "genre_ids": [10759, 18, 10768],
                "id": 13862, "origin_country": ["US"], "original_language": "en",
                "original_name": "Shōgun", "overview": "", "popularity": 12.4,
                "poster_path": null, "first_air_date": "1980-09-15", "name": "Shōgun",
                "vote_average": 7.7, "vote_count": 150
            }, {
                "id": 999001, "name": "Shōgun Specials", "original_name": null,
                "first_air_date": "", "origin_country": null, "genre_ids": null,
                "vote_average": null, "vote_count": 0, "popularity": 0.1, "overview": null
            }],
            "total_pages": 1,
            "total_results": 2
        })))
        .named("search tv")
        .expect(1)
        .mount(&server)
        .await;

    let page = client(&server)
        .search_shows(" Shōgun ", Some(1980), 1)
        .await
        .unwrap();
    assert_eq!((page.page, page.total_results), (1, 2));
    let shogun = &page.results[0];
    assert_eq!(shogun.id, TmdbId(13862));
    assert_eq!((shogun.name.as_str(), shogun.year), ("Shōgun", Some(1980)));
    assert_eq!(shogun.first_air_date.as_deref(), Some("1980-09-15"));
    assert_eq!(shogun.origin_country, ["US"]);
    assert_eq!(
        shogun.genre_ids,
        [GenreId(10759), GenreId(18), GenreId(10768)]
    );
    let specials = &page.results[1];
    assert_eq!(
        (specials.year, specials.first_air_date.as_deref()),
        (None, None)
    );
    assert_eq!(specials.original_name, "Shōgun Specials");
    assert!(specials.origin_country.is_empty());
}

#[tokio::test]
async fn empty_show_search_sends_nothing() {
    let server = MockServer::start().await;
    let page = client(&server).search_shows("  ", None, 1).await.unwrap();
    assert!(page.results.is_empty());
    assert!(server.received_requests().await.unwrap().is_empty());
}

/// One `GET /tv/{id}` brings the external ids, keywords, recommendations
/// and similar shows (append-to-response); TV keywords come under
/// `results` (tv-series-keywords), and `tvdb_id` is a number
/// (tv-series-external-ids).
#[tokio::test]
async fn show_details_append_ids_keywords_and_lists_in_one_request() {
    let server = MockServer::start().await;
    let mut recommended = breaking_bad_item();
    recommended["id"] = json!(60059);
    recommended["name"] = json!("Better Call Saul");
    recommended["media_type"] = json!("tv");
    Mock::given(method("GET"))
        .and(path("/tv/1399"))
        .and(query_param(
            "append_to_response",
            "external_ids,keywords,recommendations,similar",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "adult": false,
            "first_air_date": "2011-04-17",
            "last_air_date": "2019-05-19",
            "genres": [{"id": 10765, "name": "Sci-Fi & Fantasy"}, {"id": 18, "name": "Drama"}],
            "id": 1399,
            "in_production": false,
            "name": "Game of Thrones",
            "next_episode_to_air": null,
            "number_of_episodes": 73,
            "number_of_seasons": 8,
            "origin_country": ["US"],
            "original_language": "en",
            "original_name": "Game of Thrones",
            "overview": "Seven noble families fight for control of Westeros.",
            "popularity": 346.098,
            "status": "Ended",
            "type": "Scripted",
            "vote_average": 8.438,
            "vote_count": 21390,
            "external_ids": {"imdb_id": "tt0944947", "freebase_mid": "/m/0524b41",
                "freebase_id": "/en/game_of_thrones", "tvdb_id": 121361, "tvrage_id": 24493,
                "wikidata_id": "Q23572", "facebook_id": "GameOfThrones",
                "instagram_id": "gameofthrones", "twitter_id": "GameOfThrones"},
            "keywords": {"results": [{"name": "based on novel or book", "id": 818},
                                     {"name": "dragon", "id": 12554}]},
            "recommendations": {"page": 1, "results": [recommended], "total_pages": 2,
                                "total_results": 40},
            "similar": {"page": 1, "results": [], "total_pages": 0, "total_results": 0}
        })))
        .named("details with appends")
        .expect(1)
        .mount(&server)
        .await;

    let show = client(&server).show(TmdbId(1399)).await.unwrap().unwrap();
    assert_eq!(show.name, "Game of Thrones");
    assert_eq!(show.year, Some(2011));
    assert_eq!(show.last_air_date.as_deref(), Some("2019-05-19"));
    assert_eq!(show.tvdb_id, Some(TvdbId(121361)));
    assert_eq!(show.imdb_id, ImdbId::parse("tt0944947"));
    assert_eq!(
        (show.number_of_seasons, show.number_of_episodes),
        (Some(8), Some(73))
    );
    assert_eq!(show.status.as_deref(), Some("Ended"));
    let keywords: Vec<_> = show.keywords.iter().map(|k| k.id).collect();
    assert_eq!(keywords, [KeywordId(818), KeywordId(12554)]);
    assert_eq!(show.genres[0].name, "Sci-Fi & Fantasy");
    assert_eq!(show.recommendations.results[0].id, TmdbId(60059));
    assert!(show.recommendations.has_next());
    assert!(show.similar.results.is_empty());
    assert_eq!(show.summary().genre_ids, [GenreId(10765), GenreId(18)]);
}

/// TMDb sends `"tvdb_id": null` for a show it has no TVDB id for, and
/// `""` or `null` for a missing IMDb id.
#[tokio::test]
async fn a_show_without_a_tvdb_id_has_none() {
    let server = MockServer::start().await;
    Mock::given(path("/tv/71365"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": 71365, "name": "Battlestar Galactica", "first_air_date": "2003-12-08",
            "external_ids": {"imdb_id": null, "tvdb_id": null, "tvrage_id": null},
            "keywords": {"results": []}
        })))
        .named("no tvdb id")
        .expect(1)
        .mount(&server)
        .await;
    let show = client(&server).show(TmdbId(71365)).await.unwrap().unwrap();
    assert_eq!((show.tvdb_id, show.imdb_id), (None, None));
    assert_eq!(show.year, Some(2003));
}

#[tokio::test]
async fn unknown_show_is_none_but_its_unknown_lists_are_not_found() {
    let server = MockServer::start().await;
    for suffix in ["", "/recommendations", "/similar"] {
        Mock::given(path(format!("/tv/999999999{suffix}")))
            .respond_with(ResponseTemplate::new(404).set_body_json(not_found_body()))
            .named(format!("missing {suffix}"))
            .expect(1)
            .mount(&server)
            .await;
    }
    let tmdb = client(&server);
    assert_eq!(tmdb.show(TmdbId(999_999_999)).await.unwrap(), None);
    let err = tmdb
        .show_recommendations(TmdbId(999_999_999), 1)
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert_eq!(
        err.to_string(),
        "tmdb.show_recommendations: not found on TMDb"
    );
    let err = tmdb
        .similar_shows(TmdbId(999_999_999), 1)
        .await
        .unwrap_err();
    assert_eq!(err.op(), Some(ops::SIMILAR_SHOWS));
}

#[tokio::test]
async fn show_recommendations_and_similar_ask_for_the_page() {
    let server = MockServer::start().await;
    let page = json!({"page": 2, "results": [breaking_bad_item()], "total_pages": 3,
                      "total_results": 41});
    for list in ["recommendations", "similar"] {
        Mock::given(path(format!("/tv/60059/{list}")))
            .and(query_param("page", "2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(&page))
            .named(list)
            .expect(1)
            .mount(&server)
            .await;
    }
    let tmdb = client(&server);
    let recs = tmdb.show_recommendations(TmdbId(60059), 2).await.unwrap();
    assert_eq!(recs.results[0].id, TmdbId(1396));
    assert!(recs.has_next());
    let similar = tmdb.similar_shows(TmdbId(60059), 2).await.unwrap();
    assert_eq!(similar.results[0].name, "Breaking Bad");
}

/// discover-tv takes the movie filters' names; its date order is
/// `first_air_date.desc` (there is no `primary_release_date` for TV).
#[tokio::test]
async fn discover_shows_sends_tv_genres_votes_and_the_tv_sort() {
    let server = MockServer::start().await;
    Mock::given(path("/discover/tv"))
        .and(query_param("with_genres", "10765|9648"))
        .and(query_param("without_genres", "16,10762"))
        .and(query_param("vote_count.gte", "300"))
        .and(query_param("sort_by", "first_air_date.desc"))
        .and(query_param("page", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "page": 1, "results": [breaking_bad_item()], "total_pages": 1, "total_results": 1
        })))
        .named("discover tv")
        .expect(1)
        .mount(&server)
        .await;
    let query = DiscoverQuery {
        with_genres: vec![GenreId(10765), GenreId(9648)],
        without_genres: vec![GenreId(16), GenreId(10762)],
        vote_count_gte: Some(300),
        sort_by: DiscoverSort::ReleaseDateDesc,
        page: 1,
    };
    let page = client(&server).discover_shows(&query).await.unwrap();
    assert_eq!(page.results[0].id, TmdbId(1396));
}

/// find-by-id: `external_source=tvdb_id` finds shows by TVDB id; the
/// answer has one list per kind, shows in `tv_results`.
#[tokio::test]
async fn find_show_by_tvdb_or_imdb_reads_tv_results() {
    let server = MockServer::start().await;
    let mut found = breaking_bad_item();
    found["media_type"] = json!("tv");
    let answer = json!({"movie_results": [], "person_results": [], "tv_results": [found],
                        "tv_episode_results": [], "tv_season_results": []});
    Mock::given(path("/find/81189"))
        .and(query_param("external_source", "tvdb_id"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&answer))
        .named("find by tvdb")
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/find/tt0903747"))
        .and(query_param("external_source", "imdb_id"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&answer))
        .named("find by imdb")
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(path("/find/1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "movie_results": [], "person_results": [], "tv_results": [],
            "tv_episode_results": [], "tv_season_results": []
        })))
        .named("find nothing")
        .expect(1)
        .mount(&server)
        .await;

    let tmdb = client(&server);
    let show = tmdb
        .find_show_by_tvdb(TvdbId(81189))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((show.id, show.year), (TmdbId(1396), Some(2008)));
    let imdb = ImdbId::parse("tt0903747").unwrap();
    let by_imdb = tmdb.find_show_by_imdb(&imdb).await.unwrap().unwrap();
    assert_eq!(by_imdb.id, TmdbId(1396));
    // The movie lookup of the same id reads `movie_results`: none.
    assert_eq!(tmdb.find_by_imdb(&imdb).await.unwrap(), None);
    assert_eq!(tmdb.find_show_by_tvdb(TvdbId(1)).await.unwrap(), None);
}

#[tokio::test]
async fn tv_genres_come_from_the_tv_list() {
    let server = MockServer::start().await;
    Mock::given(path("/genre/tv/list"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(query_param_is_missing("api_key"))
        .and(query_param("language", "de-DE"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "genres": [{"id": 10759, "name": "Action & Adventure"}, {"id": 35, "name": "Komödie"}]
        })))
        .named("tv genres")
        .expect(1)
        .mount(&server)
        .await;
    let tmdb = builder(&server, TOKEN).language("de-DE").build().unwrap();
    let genres = tmdb.tv_genres().await.unwrap();
    assert_eq!(genres[0].id, GenreId(10759));
    assert_eq!(genres[1].name, "Komödie");
}

#[tokio::test]
async fn a_401_on_a_tv_request_names_the_tv_operation_and_not_the_key() {
    let server = MockServer::start().await;
    Mock::given(path("/search/tv"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "status_code": 7,
            "status_message": "Invalid API key: You must be granted a valid key.",
            "success": false
        })))
        .named("bad key")
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server)
        .search_shows("Dark", None, 1)
        .await
        .unwrap_err();
    assert!(err.is_unauthorized());
    let text = chain(&err);
    assert!(
        text.starts_with("tmdb.search_shows: TMDb rejected the API key"),
        "{text}"
    );
    assert!(!text.contains(KEY), "{text}");
}

/// The client serves shows through the trait object too, and a
/// `dyn TmdbTvApi` is a `dyn TmdbApi` for the movie side.
#[tokio::test]
async fn one_trait_object_serves_movies_and_shows() {
    let server = MockServer::start().await;
    Mock::given(path("/genre/tv/list"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"genres": []})))
        .named("tv genres")
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/genre/movie/list"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"genres": []})))
        .named("movie genres")
        .expect(1)
        .mount(&server)
        .await;
    let both: std::sync::Arc<dyn TmdbTvApi> = std::sync::Arc::new(client(&server));
    both.tv_genres().await.unwrap();
    let movies: std::sync::Arc<dyn TmdbApi> = both;
    movies.genres().await.unwrap();
}
