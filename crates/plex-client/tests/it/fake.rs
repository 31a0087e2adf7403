//! The fake Plex server, driven through the real client.
#![cfg(feature = "fake")]

use std::time::Duration;

use plex_client::fake::{
    AddOrder, Agent, FakeCollection, FakeMovie, FakePlex, FakeVersion, Fault, PlexSeed,
};
use plex_client::{
    CollectionSort, Error, PlexApi, PlexClient, RatingKey, RequestStats, RetryPolicy, SectionKey,
    TmdbId, ops,
};
use proptest::prelude::*;

fn films() -> SectionKey {
    SectionKey::from("1")
}

/// A small library: both agent styles, a movie with two versions, one
/// collection in custom order, and a TV section.
fn seed() -> PlexSeed {
    PlexSeed::new()
        .movie_section("1", "Films")
        .section("2", "Series", plex_client::SectionKind::Show)
        .movie(
            "1",
            FakeMovie::new("Arrival", 2016)
                .tmdb(329_865)
                .imdb("tt2543164")
                .version(FakeVersion::new("1080").part("/films/Arrival (2016).mkv", 9_100_000_000))
                .version(
                    FakeVersion::new("4k").part("/films/Arrival (2016) 2160p.mkv", 61_000_000_000),
                ),
        )
        .movie(
            "1",
            FakeMovie::new("Alien", 1979)
                .tmdb(348)
                .agent(Agent::LegacyTmdb),
        )
        .movie(
            "1",
            FakeMovie::new("Chinatown", 1974)
                .imdb("tt0071315")
                .agent(Agent::LegacyImdb),
        )
        .movie("1", FakeMovie::new("Zodiac", 2007).tmdb(1949))
        .collection(
            "1",
            FakeCollection::new("Staff Picks")
                .items_by_title(["Zodiac", "Alien", "Arrival"])
                .sort(CollectionSort::Custom),
        )
}

fn key(fake: &FakePlex, title: &str) -> RatingKey {
    fake.movie_key(title).expect(title)
}

#[tokio::test]
async fn lists_movies_with_ids_from_both_agent_styles() {
    let fake = FakePlex::start(seed()).await;
    let plex = fake.client().unwrap();

    let sections = plex.sections().await.unwrap();
    let movies = plex.movies(&films()).await.unwrap();

    assert_eq!(sections.len(), 2);
    assert!(sections[0].is_movie() && !sections[1].is_movie());
    let titles: Vec<_> = movies.iter().map(|m| m.title.as_str()).collect();
    assert_eq!(titles, ["Arrival", "Alien", "Chinatown", "Zodiac"]);
    let arrival = &movies[0];
    assert_eq!(arrival.tmdb_id, Some(TmdbId(329_865)));
    assert_eq!(arrival.imdb_id.as_ref().unwrap().as_str(), "tt2543164");
    assert!(arrival.guid.starts_with("plex://movie/"));
    assert_eq!(arrival.media.len(), 2);
    assert_eq!(arrival.media[1].parts[0].size, 61_000_000_000);
    assert_eq!(movies[1].tmdb_id, Some(TmdbId(348)));
    assert!(
        movies[1]
            .guid
            .starts_with("com.plexapp.agents.themoviedb://348")
    );
    assert_eq!(movies[2].imdb_id.as_ref().unwrap().as_str(), "tt0071315");
    assert_eq!(movies[2].tmdb_id, None);
    // What the client read is what the fake holds.
    assert_eq!(movies, fake.movies(&films()));
}

#[tokio::test]
async fn pages_a_big_library_by_what_the_server_gives() {
    let fake = FakePlex::start(
        PlexSeed::new()
            .movie_section("1", "Films")
            .generated_movies("1", 250),
    )
    .await;
    let stats = RequestStats::new();
    let plex = fake
        .client_builder()
        .stats(stats.clone())
        .page_size(100)
        .build()
        .unwrap();

    let movies = plex.movies(&films()).await.unwrap();
    assert_eq!(movies.len(), 250);
    assert_eq!(fake.stats().count(ops::MOVIES), 3);
    assert_eq!(stats.count(ops::MOVIES), 3);

    // A server that caps pages at 40 items: 7 shorter pages, nothing lost.
    fake.set_max_page_size(Some(40));
    let again = plex.movies(&films()).await.unwrap();
    assert_eq!(again, movies);
    assert_eq!(fake.stats().count(ops::MOVIES), 3 + 7);
}

#[tokio::test]
async fn answers_real_plex_shapes_and_pages_by_headers_too() {
    let fake = FakePlex::start(seed()).await;
    let http = curator_http::reqwest::Client::new();
    let page = |start: &str, guids: bool| {
        let mut url = format!("{}/library/sections/1/all?type=1", fake.uri());
        if guids {
            url.push_str("&includeGuids=1");
        }
        http.get(url)
            .header("Accept", "application/json")
            .header("X-Plex-Token", fake.token().expose())
            .header("X-Plex-Container-Start", start)
            .header("X-Plex-Container-Size", "1")
    };

    let body: serde_json::Value = page("2", false).send().await.unwrap().json().await.unwrap();
    let root = &body["MediaContainer"];
    assert_eq!(
        (root["size"].as_u64(), root["offset"].as_u64()),
        (Some(1), Some(2))
    );
    assert_eq!(root["totalSize"].as_u64(), Some(4));
    let movie = &root["Metadata"][0];
    assert_eq!(movie["title"], "Chinatown");
    assert_eq!(movie["guid"], "com.plexapp.agents.imdb://tt0071315?lang=en");
    assert!(movie["ratingKey"].is_string());
    assert!(movie["Media"][0]["Part"][0]["size"].is_u64());

    // The Guid array only comes with includeGuids=1.
    let first: serde_json::Value = page("0", false).send().await.unwrap().json().await.unwrap();
    assert!(first["MediaContainer"]["Metadata"][0].get("Guid").is_none());
    let first: serde_json::Value = page("0", true).send().await.unwrap().json().await.unwrap();
    assert_eq!(
        first["MediaContainer"]["Metadata"][0]["Guid"][1]["id"],
        "tmdb://329865"
    );

    // Past the end: an empty container without a Metadata array.
    let past: serde_json::Value = page("9", true).send().await.unwrap().json().await.unwrap();
    assert_eq!(past["MediaContainer"]["size"].as_u64(), Some(0));
    assert!(past["MediaContainer"].get("Metadata").is_none());

    // Collections carry childCount as a string, as real servers send it.
    let url = format!("{}/library/sections/1/all?type=18", fake.uri());
    let answer = http.get(url).header("X-Plex-Token", fake.token().expose());
    let body: serde_json::Value = answer.send().await.unwrap().json().await.unwrap();
    assert_eq!(body["MediaContainer"]["Metadata"][0]["childCount"], "3");
    assert_eq!(fake.stats().count(ops::MOVIES), 4);
    assert_eq!(fake.stats().count(ops::COLLECTIONS), 1);
}

#[tokio::test]
async fn search_matches_part_of_the_title_and_the_year() {
    let fake = FakePlex::start(seed().movie("1", FakeMovie::new("Alien", 1992).tmdb(8077))).await;
    let plex = fake.client().unwrap();

    let all = plex.search_movies(&films(), "alien", None).await.unwrap();
    let one = plex
        .search_movies(&films(), "Alie", Some(1992))
        .await
        .unwrap();

    assert_eq!(all.len(), 2);
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].tmdb_id, Some(TmdbId(8077)));
    assert_eq!(fake.stats().count(ops::SEARCH_MOVIES), 2);
}

#[tokio::test]
async fn a_wrong_token_gets_401() {
    let fake = FakePlex::start(seed()).await;
    let plex = PlexClient::builder(fake.uri(), "not-the-token")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();

    let err = plex.sections().await.unwrap_err();

    assert!(
        matches!(err, Error::Unauthorized { op: ops::SECTIONS }),
        "{err:?}"
    );
    assert_eq!(fake.stats().count(ops::SECTIONS), 1);
    // The identity endpoint answers without a token, as on a real server.
    let identity = plex.identity().await.unwrap();
    assert_eq!(identity.machine_identifier, fake.machine_identifier());
}

#[tokio::test]
async fn media_deletion_follows_the_server_setting() {
    let fake = FakePlex::start(seed()).await;
    let plex = fake.client().unwrap();
    let arrival = key(&fake, "Arrival");
    let uhd = fake.media_versions(&arrival)[1].id;

    assert!(!plex.server_info().await.unwrap().allow_media_deletion);
    let err = plex.delete_media(&arrival, uhd).await.unwrap_err();
    assert!(
        matches!(err, Error::DeletionRefused { status: 400, .. }),
        "{err:?}"
    );
    assert_eq!(fake.media_versions(&arrival).len(), 2);

    fake.set_allow_media_deletion(true);
    assert!(plex.server_info().await.unwrap().allow_media_deletion);
    plex.delete_media(&arrival, uhd).await.unwrap();

    let left = plex.item(&arrival).await.unwrap().expect("still there");
    assert_eq!(left.media.len(), 1);
    assert_eq!(left.media[0].video_resolution.as_deref(), Some("1080"));
    assert_eq!(fake.media_versions(&arrival), left.media);
    let again = plex.delete_media(&arrival, uhd).await.unwrap_err();
    assert!(again.is_not_found(), "{again:?}");
}

#[tokio::test]
async fn collections_keep_plex_ordering_rules() {
    let fake = FakePlex::start(seed()).await;
    let plex = fake.client().unwrap();
    let [arrival, alien, chinatown, zodiac] =
        ["Arrival", "Alien", "Chinatown", "Zodiac"].map(|t| key(&fake, t));

    let collection = plex.create_collection(&films(), "Tonight").await.unwrap();
    let id = collection.rating_key.clone();
    assert_eq!(collection.child_count, 0);
    assert_eq!(fake.stats().count(ops::IDENTITY), 1);

    // Add appends in the given order and skips what is already in.
    plex.add_to_collection(&id, &[zodiac.clone(), alien.clone()])
        .await
        .unwrap();
    plex.add_to_collection(&id, &[alien.clone(), chinatown.clone(), arrival.clone()])
        .await
        .unwrap();
    assert_eq!(
        fake.collection_custom_order(&id),
        [
            zodiac.clone(),
            alien.clone(),
            chinatown.clone(),
            arrival.clone()
        ]
    );

    // A new collection sorts by release date until told otherwise.
    assert!(!fake.is_custom_sort(&id));
    assert_eq!(
        fake.collection_titles("Tonight"),
        ["Chinatown", "Alien", "Zodiac", "Arrival"]
    );
    plex.set_collection_sort(&id, CollectionSort::Custom)
        .await
        .unwrap();
    assert!(fake.is_custom_sort(&id));

    plex.move_collection_item(&id, &arrival, None)
        .await
        .unwrap();
    plex.move_collection_item(&id, &zodiac, Some(&chinatown))
        .await
        .unwrap();
    plex.remove_from_collection(&id, &alien).await.unwrap();

    let children = plex.collection_children(&id).await.unwrap();
    let titles: Vec<_> = children.iter().map(|m| m.title.as_str()).collect();
    assert_eq!(titles, ["Arrival", "Chinatown", "Zodiac"]);
    assert_eq!(fake.collection_titles("Tonight"), titles);
    let listed = plex
        .find_collection(&films(), "Tonight")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(listed.child_count, 3);
    assert_eq!(listed.collection_sort, Some(CollectionSort::Custom));
    assert_eq!(plex.collections(&films()).await.unwrap().len(), 2);

    plex.set_collection_summary(&films(), &id, "Chosen from what you watched")
        .await
        .unwrap();
    plex.upload_poster(&id, b"\xff\xd8\xff\xe0 jpeg".to_vec())
        .await
        .unwrap();
    assert_eq!(fake.collection_summary(&id), "Chosen from what you watched");
    assert_eq!(fake.poster(&id).unwrap(), b"\xff\xd8\xff\xe0 jpeg");

    plex.delete_collection(&id).await.unwrap();
    assert_eq!(fake.collection(&id), None);
    let err = plex.collection_children(&id).await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
}

#[tokio::test]
async fn moving_an_item_that_is_not_in_the_collection_is_not_found() {
    let fake = FakePlex::start(seed()).await;
    let plex = fake.client().unwrap();
    let picks = fake.collection_key("Staff Picks").unwrap();

    let err = plex
        .move_collection_item(&picks, &key(&fake, "Chinatown"), None)
        .await
        .unwrap_err();

    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(
        fake.collection_titles("Staff Picks"),
        ["Zodiac", "Alien", "Arrival"]
    );
}

#[tokio::test]
async fn injected_faults_are_retried_or_reported() {
    let fake = FakePlex::start(seed()).await;
    let plex = fake.client().unwrap();
    let picks = fake.collection_key("Staff Picks").unwrap();

    fake.faults().inject(ops::ADD_ITEMS, Fault::Status(503), 2);
    plex.add_to_collection(&picks, &[key(&fake, "Chinatown")])
        .await
        .unwrap();
    assert_eq!(fake.stats().count(ops::ADD_ITEMS), 3);
    assert_eq!(fake.collection_custom_order(&picks).len(), 4);

    fake.faults()
        .inject(ops::CREATE_COLLECTION, Fault::Status(503), 1);
    let err = plex.create_collection(&films(), "Later").await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(fake.stats().count(ops::CREATE_COLLECTION), 1);
    assert_eq!(fake.collection_key("Later"), None);

    fake.faults().inject(ops::SECTIONS, Fault::Status(500), 1);
    assert_eq!(plex.sections().await.unwrap_err().status(), Some(500));
    assert_eq!(fake.stats().count(ops::SECTIONS), 1);
}

#[tokio::test]
async fn a_hung_request_times_out() {
    let fake = FakePlex::start(seed()).await;
    let plex = fake
        .client_builder()
        .request_timeout(Duration::from_millis(100))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();

    fake.faults()
        .inject(ops::COLLECTIONS, Fault::Hang(Duration::from_secs(2)), 1);
    let err = plex.collections(&films()).await.unwrap_err();

    assert!(err.is_timeout(), "{err:?}");
    // The fault is used up: the next request is answered.
    assert_eq!(plex.collections(&films()).await.unwrap().len(), 1);
}

#[tokio::test]
async fn moves_slow_down_as_collections_grow() {
    let fake = FakePlex::start(
        PlexSeed::new()
            .movie_section("1", "Films")
            .generated_movies("1", 300),
    )
    .await;
    let plex = fake
        .client_builder()
        .request_timeout(Duration::from_millis(400))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let keys: Vec<RatingKey> = fake
        .movies(&films())
        .into_iter()
        .map(|m| m.rating_key)
        .collect();
    let small = plex
        .create_collection(&films(), "Small")
        .await
        .unwrap()
        .rating_key;
    let big = plex
        .create_collection(&films(), "Big")
        .await
        .unwrap()
        .rating_key;
    plex.add_to_collection(&small, &keys[..3]).await.unwrap();
    plex.add_to_collection(&big, &keys).await.unwrap();
    // 3 items: 6 ms; 300 items: 600 ms, past the 400 ms timeout.
    fake.set_move_latency(Duration::ZERO, Duration::from_millis(2));

    plex.move_collection_item(&small, &keys[2], None)
        .await
        .unwrap();
    let err = plex
        .move_collection_item(&big, &keys[299], None)
        .await
        .unwrap_err();

    assert!(err.is_timeout(), "{err:?}");
}

#[tokio::test]
async fn a_collection_created_with_items_holds_them_in_the_add_order_profile() {
    for (order, expected) in [
        (AddOrder::AsSent, ["Zodiac", "Alien", "Chinatown"]),
        (AddOrder::Reversed, ["Chinatown", "Alien", "Zodiac"]),
        (AddOrder::ByRatingKey, ["Alien", "Chinatown", "Zodiac"]),
    ] {
        let fake = FakePlex::start(seed()).await;
        fake.set_add_order(order);
        let plex = fake.client().unwrap();
        // Library order (and rating keys) run Alien, Chinatown, Zodiac, so
        // each profile gives a different order.
        let keys = ["Zodiac", "Alien", "Chinatown"].map(|t| key(&fake, t));
        let collection = plex
            .create_collection_with_items(&films(), "Tonight", &keys)
            .await
            .unwrap();
        plex.set_collection_sort(&collection.rating_key, CollectionSort::Custom)
            .await
            .unwrap();
        assert_eq!(fake.collection_titles("Tonight"), expected, "{order:?}");
        assert_eq!(fake.stats().count(ops::CREATE_COLLECTION), 1);
        assert_eq!(fake.stats().count(ops::ADD_ITEMS), 0);
    }
}

#[tokio::test]
async fn moves_renumber_the_whole_collection() {
    let fake = FakePlex::start(seed()).await;
    let plex = fake.client().unwrap();
    let keys: Vec<RatingKey> = ["Arrival", "Alien", "Chinatown", "Zodiac"]
        .map(|t| key(&fake, t))
        .to_vec();
    let id = plex
        .create_collection_with_items(&films(), "Tonight", &keys)
        .await
        .unwrap()
        .rating_key;
    assert_eq!(fake.renumbered(), 0);
    plex.move_collection_item(&id, &keys[3], None)
        .await
        .unwrap();
    plex.move_collection_item(&id, &keys[0], Some(&keys[2]))
        .await
        .unwrap();
    assert_eq!(fake.renumbered(), 8);
}

#[tokio::test]
async fn a_1250_item_collection_takes_hundreds_of_moves() {
    let fake = FakePlex::start(
        PlexSeed::new()
            .movie_section("1", "Films")
            .generated_movies("1", 1250),
    )
    .await;
    let plex = fake.client().unwrap();
    let mut expected: Vec<RatingKey> = fake
        .movies(&films())
        .into_iter()
        .map(|m| m.rating_key)
        .collect();
    let id = plex
        .create_collection(&films(), "Everything")
        .await
        .unwrap()
        .rating_key;
    plex.add_to_collection(&id, &expected).await.unwrap();
    plex.set_collection_sort(&id, CollectionSort::Custom)
        .await
        .unwrap();
    assert_eq!(fake.stats().count(ops::ADD_ITEMS), 13);

    // Reverse the first 300 items by moving each to the front.
    for item in &expected[..300] {
        plex.move_collection_item(&id, item, None).await.unwrap();
    }
    expected[..300].reverse();

    let children: Vec<RatingKey> = plex
        .collection_children(&id)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.rating_key)
        .collect();
    assert_eq!(children, expected);
    // 1,250 items at the default page size of 200.
    assert_eq!(fake.stats().count(ops::COLLECTION_CHILDREN), 7);
}

/// One change to a collection, with indexes resolved against its size at
/// the time it runs.
#[derive(Debug, Clone)]
enum Change {
    Add(Vec<usize>),
    Move(usize, Option<usize>),
    Remove(usize),
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        prop::collection::vec(0..12usize, 1..5).prop_map(Change::Add),
        (any::<usize>(), prop::option::of(any::<usize>())).prop_map(|(i, a)| Change::Move(i, a)),
        any::<usize>().prop_map(Change::Remove),
    ]
}

/// Runs the changes through the client and a plain `Vec`, and returns the
/// order Plex shows and the order the `Vec` predicts.
async fn run(changes: Vec<Change>) -> (Vec<RatingKey>, Vec<RatingKey>) {
    let fake = FakePlex::start(
        PlexSeed::new()
            .movie_section("1", "Films")
            .generated_movies("1", 12),
    )
    .await;
    let plex = fake.client().unwrap();
    let library: Vec<RatingKey> = fake
        .movies(&films())
        .into_iter()
        .map(|m| m.rating_key)
        .collect();
    let id = plex
        .create_collection(&films(), "Model")
        .await
        .unwrap()
        .rating_key;
    plex.set_collection_sort(&id, CollectionSort::Custom)
        .await
        .unwrap();
    let mut model: Vec<RatingKey> = Vec::new();
    for change in changes {
        match change {
            Change::Add(picks) => {
                let keys: Vec<RatingKey> = picks.iter().map(|&i| library[i].clone()).collect();
                plex.add_to_collection(&id, &keys).await.unwrap();
                for key in keys {
                    if !model.contains(&key) {
                        model.push(key);
                    }
                }
            }
            Change::Move(_, _) | Change::Remove(_) if model.is_empty() => {}
            Change::Move(item, after) => {
                let item = model[item % model.len()].clone();
                let after = after.map(|a| model[a % model.len()].clone());
                plex.move_collection_item(&id, &item, after.as_ref())
                    .await
                    .unwrap();
                if after.as_ref() != Some(&item) {
                    model.retain(|k| *k != item);
                    let at = after.map_or(0, |a| model.iter().position(|k| *k == a).unwrap() + 1);
                    model.insert(at, item);
                }
            }
            Change::Remove(item) => {
                let item = model.remove(item % model.len());
                plex.remove_from_collection(&id, &item).await.unwrap();
            }
        }
    }
    let shown = plex
        .collection_children(&id)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.rating_key)
        .collect();
    (shown, model)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn collection_order_matches_a_vec_model(changes in prop::collection::vec(change(), 1..25)) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let (shown, model) = runtime.block_on(run(changes));
        prop_assert_eq!(shown, model);
    }
}

#[tokio::test]
async fn items_are_fetched_in_batches_and_unknown_keys_left_out() {
    let fake = FakePlex::start(
        PlexSeed::new()
            .movie_section("1", "Films")
            .generated_movies("1", 150),
    )
    .await;
    let plex = fake.client().unwrap();
    let mut keys: Vec<RatingKey> = fake
        .movies(&films())
        .into_iter()
        .map(|m| m.rating_key)
        .collect();
    keys.push(RatingKey::from("999999"));
    let found = plex.items(&keys).await.unwrap();
    assert_eq!(found.len(), 150);
    assert!(found.iter().all(|m| m.tmdb_id.is_some()));
    // 151 keys: two requests of at most 100 keys.
    assert_eq!(fake.stats().count(ops::ITEM), 2);
    let none = plex.items(&[RatingKey::from("999999")]).await.unwrap();
    assert!(none.is_empty());
}

#[tokio::test]
async fn check_files_reports_files_gone_from_disk() {
    let fake = FakePlex::start(
        PlexSeed::new().movie_section("1", "Films").movie(
            "1",
            FakeMovie::new("Heat", 1995)
                .tmdb(949)
                .version(FakeVersion::new("4k").missing())
                .version(FakeVersion::new("1080")),
        ),
    )
    .await;
    let plex = fake.client().unwrap();
    let key = fake.movie_key("Heat").unwrap();

    let checked = plex.check_files(std::slice::from_ref(&key)).await.unwrap();
    let available: Vec<Option<bool>> = checked[0]
        .media
        .iter()
        .map(|v| v.parts[0].available)
        .collect();
    assert_eq!(available, [Some(false), Some(true)]);

    // Without checkFiles the server says nothing about the files.
    let listed = plex.items(&[key]).await.unwrap();
    assert!(
        listed[0]
            .media
            .iter()
            .all(|v| v.parts[0].available.is_none())
    );
}

/// A library with what real ones have and the cleaner must respect:
/// an optimized version beside the original, and two editions of a film.
fn library_with_versions_and_editions() -> PlexSeed {
    PlexSeed::new()
        .allow_media_deletion(true)
        .movie_section("1", "Films")
        .movie(
            "1",
            FakeMovie::new("Inception", 2010)
                .tmdb(27205)
                .version(FakeVersion::new("1080"))
                .version(FakeVersion::new("720").optimized("Optimized for TV")),
        )
        .movie(
            "1",
            FakeMovie::new("Blade Runner", 1982)
                .tmdb(78)
                .version(FakeVersion::new("1080")),
        )
        .movie(
            "1",
            FakeMovie::new("Blade Runner", 1982)
                .tmdb(78)
                .edition("The Final Cut")
                .version(FakeVersion::new("4k")),
        )
}

#[tokio::test]
async fn optimized_versions_and_editions_are_read() {
    // python-plexapi media.py: proxyType 42 is an optimized version;
    // video.py: editionTitle on the movie.
    let fake = FakePlex::start(library_with_versions_and_editions()).await;
    let plex = fake.client().unwrap();
    let movies = plex.movies(&films()).await.unwrap();
    let inception = &movies[0];
    let optimized: Vec<bool> = inception.media.iter().map(|v| v.optimized).collect();
    assert_eq!(optimized, [false, true]);
    assert!(
        inception.media[1].parts[0]
            .file
            .contains("/Plex Versions/Optimized for TV/")
    );
    assert_eq!(inception.original_versions().count(), 1);
    let editions: Vec<Option<&str>> = movies[1..].iter().map(|m| m.edition.as_deref()).collect();
    assert_eq!(editions, [None, Some("The Final Cut")]);
    assert!(movies.iter().all(|m| m.section == Some(films())));
    // The same through the item lookups the cleaner re-reads with.
    let keys: Vec<RatingKey> = movies.iter().map(|m| m.rating_key.clone()).collect();
    let checked = plex.check_files(&keys).await.unwrap();
    assert!(checked[0].media[1].optimized);
    assert_eq!(checked[2].edition.as_deref(), Some("The Final Cut"));
}

#[tokio::test]
async fn item_lookups_ask_for_guids_and_keep_only_movies() {
    // Without includeGuids=1, /library/metadata/{keys} has no Guid array
    // and a current-agent movie would have no TMDb id.
    let fake = FakePlex::start(seed()).await;
    let plex = fake.client().unwrap();
    let arrival = key(&fake, "Arrival");
    let collection = fake.collection_key("Staff Picks").unwrap();
    let item = plex.item(&arrival).await.unwrap().unwrap();
    assert_eq!(item.tmdb_id, Some(TmdbId(329_865)));
    let found = plex.items(&[arrival.clone(), collection]).await.unwrap();
    // The collection is not a movie and is left out.
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].tmdb_id, Some(TmdbId(329_865)));
}

#[tokio::test]
async fn a_refused_batch_is_split_so_a_bad_key_costs_only_itself() {
    let fake = FakePlex::start(
        PlexSeed::new()
            .movie_section("1", "Films")
            .generated_movies("1", 9),
    )
    .await;
    let plex = fake.client().unwrap();
    let mut keys: Vec<RatingKey> = fake
        .movies(&films())
        .into_iter()
        .map(|m| m.rating_key)
        .collect();
    // The server refuses a whole request over a key that is not a number.
    keys.insert(4, RatingKey::from("not-a-key"));
    let found = plex.items(&keys).await.unwrap();
    assert_eq!(found.len(), 9);
    let checked = plex.check_files(&keys).await.unwrap();
    assert_eq!(checked.len(), 9);
    // 10 keys: one refused request, then halves of it, 4 levels deep at most.
    assert!(
        fake.stats().count(ops::ITEM) <= 2 * 9,
        "{:#?}",
        fake.stats().snapshot()
    );
}

#[tokio::test]
async fn a_single_metadata_object_is_read_like_a_list() {
    let fake = FakePlex::start(seed()).await;
    fake.set_single_metadata_object(true);
    let plex = fake.client().unwrap();
    let arrival = key(&fake, "Arrival");
    let item = plex.item(&arrival).await.unwrap().expect("found");
    assert_eq!(item.title, "Arrival");
    assert_eq!(plex.items(&[arrival]).await.unwrap().len(), 1);
}

#[tokio::test]
async fn file_checks_go_in_small_batches_without_refreshing_items() {
    // Community spec, GET /library/metadata/{ids}: checkFiles refreshes the
    // items too unless skipRefresh=1.
    let fake = FakePlex::start(
        PlexSeed::new()
            .movie_section("1", "Films")
            .generated_movies("1", 45),
    )
    .await;
    let plex = fake.client().unwrap();
    let keys: Vec<RatingKey> = fake
        .movies(&films())
        .into_iter()
        .map(|m| m.rating_key)
        .collect();
    let checked = plex.check_files(&keys).await.unwrap();
    assert_eq!(checked.len(), 45);
    assert!(
        checked
            .iter()
            .flat_map(|m| &m.media)
            .all(|v| v.parts[0].available == Some(true))
    );
    // At most 20 keys a request.
    assert_eq!(fake.stats().count(ops::ITEM), 3);
    assert_eq!(fake.refreshed_items(), 0);
}

#[tokio::test]
async fn file_checks_fail_closed_when_the_server_ignores_them() {
    // Unconfirmed whether checkFiles works for several keys at once: a
    // server that ignores it sends no exists/accessible at all.
    let fake = FakePlex::start(seed()).await;
    fake.set_check_files_multi_key(false);
    let plex = fake.client().unwrap();
    let keys = [key(&fake, "Arrival"), key(&fake, "Zodiac")];
    let err = plex.check_files(&keys).await.unwrap_err();
    assert!(matches!(err, Error::UnexpectedResponse { .. }), "{err:?}");
    assert!(err.to_string().contains("ignored checkFiles=1"), "{err}");
    // One key is answered with the flags.
    let one = plex.check_files(&keys[..1]).await.unwrap();
    assert_eq!(one[0].media[0].parts[0].available, Some(true));
}

#[tokio::test]
async fn a_slow_delete_is_sent_once_and_confirmed_by_reading_back() {
    // A big file on a network disk: the server deletes it, but answers
    // after the client gave up. A retry would answer 404.
    let fake = FakePlex::start(seed()).await;
    fake.set_allow_media_deletion(true);
    fake.set_delete_latency(Duration::from_secs(5));
    let plex = fake
        .client_builder()
        .delete_timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let arrival = key(&fake, "Arrival");
    let uhd = fake.media_versions(&arrival)[1].id;
    plex.delete_media(&arrival, uhd).await.unwrap();
    assert_eq!(fake.media_versions(&arrival).len(), 1);
    assert_eq!(fake.stats().count(ops::DELETE_MEDIA), 1);
    // The whole item, too.
    let zodiac = key(&fake, "Zodiac");
    plex.delete_item(&zodiac).await.unwrap();
    assert!(fake.movie(&zodiac).is_none());
    assert_eq!(fake.stats().count(ops::DELETE_ITEM), 1);
}

#[tokio::test]
async fn a_delete_without_an_answer_that_did_not_happen_fails() {
    let fake = FakePlex::start(seed()).await;
    fake.set_allow_media_deletion(true);
    // A proxy in front of Plex gives up; Plex never saw the request.
    fake.faults()
        .inject(ops::DELETE_MEDIA, Fault::Status(504), 1);
    let plex = fake.client().unwrap();
    let arrival = key(&fake, "Arrival");
    let uhd = fake.media_versions(&arrival)[1].id;
    let err = plex.delete_media(&arrival, uhd).await.unwrap_err();
    assert_eq!(err.status(), Some(504), "{err:?}");
    assert_eq!(fake.media_versions(&arrival).len(), 2);
    // Not repeated blindly.
    assert_eq!(fake.stats().count(ops::DELETE_MEDIA), 1);
}

#[tokio::test]
async fn refused_deletes_carry_the_servers_reason() {
    let fake = FakePlex::start(seed()).await;
    fake.set_allow_media_deletion(true);
    let plex = fake.client().unwrap();
    let arrival = key(&fake, "Arrival");
    let uhd = fake.media_versions(&arrival)[1].id;
    for (status, words) in [
        (400, "media deletion is not allowed"),
        (401, "this token may not delete media"),
        (403, "only the server owner may delete media"),
    ] {
        fake.set_deletion_refusal(Some(status));
        for err in [
            plex.delete_media(&arrival, uhd).await.unwrap_err(),
            plex.delete_item(&arrival).await.unwrap_err(),
        ] {
            assert!(
                matches!(err, Error::DeletionRefused { status: s, .. } if s == status),
                "{status}: {err:?}"
            );
            assert!(!err.is_not_found());
            assert!(err.to_string().contains(words), "{err}");
        }
    }
    assert_eq!(fake.media_versions(&arrival).len(), 2);
}

#[tokio::test]
async fn paging_stops_when_the_server_repeats_a_page() {
    // No totalSize and the start offset ignored: every page is the first.
    let fake = FakePlex::start(
        PlexSeed::new()
            .movie_section("1", "Films")
            .generated_movies("1", 12),
    )
    .await;
    fake.set_ignores_paging_offset(true);
    let plex = fake.client_builder().page_size(5).build().unwrap();
    let movies = plex.movies(&films()).await.unwrap();
    // All the server would give, each once, in two requests.
    assert_eq!(movies.len(), 5);
    assert_eq!(fake.stats().count(ops::MOVIES), 2);
}

#[tokio::test]
async fn the_nfo_agents_imdb_ids_are_read() {
    // com.plexapp.agents.xbmcnfo (XBMCnfoMoviesImporter) carries the .nfo
    // file's id; WatchState's FAQ lists `com.plexapp.agents.xbmcnfo://(id)`
    // among the Plex guids with outside ids.
    let fake = FakePlex::start(
        PlexSeed::new().movie_section("1", "Films").movie(
            "1",
            FakeMovie::new("The Matrix", 1999)
                .imdb("tt0133093")
                .agent(Agent::LegacyNfo),
        ),
    )
    .await;
    let plex = fake.client().unwrap();
    let movies = plex.movies(&films()).await.unwrap();
    assert!(
        movies[0].guid.starts_with("com.plexapp.agents.xbmcnfo://"),
        "{}",
        movies[0].guid
    );
    assert_eq!(movies[0].imdb_id.as_ref().unwrap().as_str(), "tt0133093");
    assert_eq!(movies, fake.movies(&films()));
}

#[tokio::test]
async fn the_fake_serves_a_png_poster_for_the_items_it_knows() {
    let fake = FakePlex::start(seed()).await;
    let plex = fake.client().unwrap();
    let staff = fake.collection_key("Staff Picks").unwrap();
    let items = plex.collection_items(&staff).await.unwrap();
    let titles: Vec<_> = items.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(titles, ["Zodiac", "Alien", "Arrival"]);
    let thumb = items[0].thumb.clone().expect("a poster path");
    assert!(thumb.starts_with(&format!("/library/metadata/{}/thumb/", items[0].rating_key)));

    let first = plex.thumbnail(&thumb, 24, 36).await.unwrap().unwrap();
    assert_eq!(first.content_type, "image/png");
    assert!(first.bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
    // IHDR: the size asked for.
    assert_eq!(first.bytes[16..24], [0, 0, 0, 24, 0, 0, 0, 36]);
    let again = plex.thumbnail(&thumb, 24, 36).await.unwrap().unwrap();
    assert_eq!(first, again, "the same item gives the same bytes");
    let other = plex
        .thumbnail(items[1].thumb.as_deref().unwrap(), 24, 36)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(first.bytes, other.bytes, "each item has its own colour");

    assert!(
        plex.thumbnail("/library/metadata/999999/thumb/1", 24, 36)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(fake.stats().count(ops::THUMBNAIL), 4);
}
