//! TV shows against wiremock: the wire format of show and episode listings,
//! episode reads and show collections.
//!
//! Payloads are written in the shapes of real captures: plex-api.rs
//! `crates/plex-api/tests/mocks/server/media/tv_library.json` and
//! `tv_episodes.json` (legacy TheTVDB guids, `grandparentRatingKey` as a
//! number in a container), and plex-api-spec (commit 6c561d8)
//! `tests/paths/library/metadata/[ratingKey]/get-media-meta-data.spec.ts`
//! (a current-agent show with `imdb://`, `tmdb://`, `tvdb://` guids; an
//! episode whose `Guid` array holds the *episode's* ids) and
//! `tests/paths/library/[sectionKey]/get-library-all.spec.ts` (`type=4`:
//! a section's episodes with `Media` and `Part`, paged with `totalSize`).
//! Parameters follow python-plexapi: `LibrarySection._buildSearchKey`
//! (`includeGuids=1`, `type` from `utils.SEARCHTYPES`: show 2, episode 4),
//! `Show.episodes` (`{show key}/allLeaves`), `Collection._create` (`type`
//! of the items).

use plex_client::{
    MediaId, MediaKind, PlexApi, RatingKey, RequestStats, SectionKey, TmdbId, TvdbId, ops,
};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{builder, client};

const MACHINE: &str = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567";

fn page(metadata: &[Value], total: usize, offset: usize) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"MediaContainer": {
        "size": metadata.len(), "totalSize": total, "offset": offset,
        "allowSync": true, "identifier": "com.plexapp.plugins.library",
        "librarySectionID": 2, "librarySectionTitle": "TV Shows",
        "viewGroup": "show", "Metadata": metadata
    }}))
}

/// A current-agent show: ids only in the `Guid` array.
fn better_call_saul() -> Value {
    json!({
        "ratingKey": "44288", "key": "/library/metadata/44288/children",
        "guid": "plex://show/5d9c08254eefaa001f5d6dcb", "type": "show",
        "title": "Better Call Saul", "librarySectionID": 2, "year": 2015,
        "leafCount": 63, "viewedLeafCount": 4, "childCount": 6, "addedAt": 1_625_505_101,
        "Guid": [{"id": "imdb://tt3032476"}, {"id": "tmdb://60059"}, {"id": "tvdb://273181"}]
    })
}

/// A show of the legacy TheTVDB agent: the id is in its own guid.
fn game_of_thrones() -> Value {
    json!({
        "ratingKey": "68", "key": "/library/metadata/68/children",
        "guid": "com.plexapp.agents.thetvdb://121361?lang=en", "type": "show",
        "title": "Game of Thrones", "year": 2011, "leafCount": 18, "childCount": 2
    })
}

/// A show of the legacy TMDb agent: a TMDb *TV* id in its guid.
fn the_office() -> Value {
    json!({
        "ratingKey": "312", "key": "/library/metadata/312/children",
        "guid": "com.plexapp.agents.themoviedb://2316?lang=en", "type": "show",
        "title": "The Office (US)", "year": "2005", "leafCount": "201", "childCount": "9"
    })
}

/// An episode of a legacy TheTVDB show with two versions, one optimized.
fn legacy_episode(key: u32, season: u32, index: u32) -> Value {
    json!({
        "ratingKey": key.to_string(), "key": format!("/library/metadata/{key}"),
        "parentRatingKey": "89", "grandparentRatingKey": "22",
        "guid": format!("com.plexapp.agents.thetvdb://268592/{season}/{index}?lang=en"),
        "parentGuid": format!("com.plexapp.agents.thetvdb://268592/{season}?lang=en"),
        "grandparentGuid": "com.plexapp.agents.thetvdb://268592?lang=en",
        "type": "episode", "title": format!("Episode {index}"),
        "grandparentTitle": "The 100", "parentTitle": format!("Season {season}"),
        "index": index, "parentIndex": season, "year": 2014, "librarySectionID": 2,
        "Media": [
            {"id": key * 10, "duration": 2_580_000, "bitrate": 4_100, "width": 1280, "height": 720,
             "videoResolution": "720", "videoCodec": "h264", "audioCodec": "aac", "container": "mkv",
             "Part": [{"id": key * 10, "duration": 2_580_000, "size": 1_322_000_000u64,
                       "file": format!("/data/TV-Shows/The 100/The.100.S{season:02}E{index:02}.mkv")}]},
            {"id": key * 10 + 1, "videoResolution": "480", "proxyType": 42,
             "target": "Optimized for Mobile", "container": "mp4",
             "Part": [{"id": key * 10 + 1, "size": 400_000_000u64,
                       "file": format!("/data/TV-Shows/The 100/Plex Versions/Optimized for Mobile/S{season:02}E{index:02}.mp4")}]}
        ]
    })
}

#[tokio::test]
async fn lists_shows_of_every_agent_style_page_by_page() {
    let server = MockServer::start().await;
    let pages = [
        (0, vec![better_call_saul(), game_of_thrones()]),
        (2, vec![the_office()]),
    ];
    for (start, shows) in pages {
        Mock::given(method("GET"))
            .and(path("/library/sections/2/all"))
            .and(query_param("type", "2"))
            .and(query_param("includeGuids", "1"))
            .and(query_param("X-Plex-Container-Start", start.to_string()))
            .and(query_param("X-Plex-Container-Size", "2"))
            .respond_with(page(&shows, 3, start))
            .named(format!("shows from {start}"))
            .expect(1)
            .mount(&server)
            .await;
    }
    let stats = RequestStats::new();
    let plex = builder(&server)
        .page_size(2)
        .stats(stats.clone())
        .build()
        .unwrap();

    let shows = plex.shows(&SectionKey::from("2")).await.unwrap();

    let ids: Vec<_> = shows
        .iter()
        .map(|s| (s.title.as_str(), s.tmdb_id, s.tvdb_id))
        .collect();
    assert_eq!(
        ids,
        [
            (
                "Better Call Saul",
                Some(TmdbId(60059)),
                Some(TvdbId(273181))
            ),
            ("Game of Thrones", None, Some(TvdbId(121361))),
            ("The Office (US)", Some(TmdbId(2316)), None),
        ]
    );
    let saul = &shows[0];
    assert_eq!(saul.imdb_id.as_ref().unwrap().as_str(), "tt3032476");
    assert_eq!((saul.season_count, saul.episode_count), (Some(6), Some(63)));
    assert_eq!(saul.section, Some(SectionKey::from("2")));
    assert_eq!(shows[2].episode_count, Some(201));
    assert_eq!(stats.count(ops::SHOWS), 2);
}

#[tokio::test]
async fn an_episode_names_its_show_and_never_lends_it_its_own_ids() {
    let server = MockServer::start().await;
    // plex-api-spec get-media-meta-data "Episode": the Guid array holds the
    // episode's ids (tmdb://3975867 is an episode, not a show).
    Mock::given(method("GET"))
        .and(path("/library/metadata/48049"))
        .and(query_param("includeGuids", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"MediaContainer": {
            "size": 1, "librarySectionID": 2,
            "Metadata": [{
                "ratingKey": "48049", "key": "/library/metadata/48049",
                "parentRatingKey": "48047", "grandparentRatingKey": "45520",
                "guid": "plex://episode/6332ef1e8848240ba522f9df",
                "parentGuid": "plex://season/618b89208dde18df707ad15c",
                "grandparentGuid": "plex://show/5e16253691c20300412003a8",
                "type": "episode", "title": "Episode 1",
                "grandparentTitle": "Alice in Borderland", "parentTitle": "Season 2",
                "index": 1, "parentIndex": 2, "year": 2020, "librarySectionID": 2,
                "Guid": [{"id": "imdb://tt13702212"}, {"id": "tmdb://3975867"}, {"id": "tvdb://8830735"}],
                "Media": [{"id": 61_002, "videoResolution": "1080",
                           "Part": [{"id": 61_003, "file": "/tv/Alice in Borderland/S02E01.mkv"}]}]
            }]
        }})))
        .named("a current-agent episode")
        .expect(2)
        .mount(&server)
        .await;
    // plex-api.rs tv_episodes.json: a legacy episode, grandparentRatingKey
    // as a number in the container and a string in the entry.
    Mock::given(method("GET"))
        .and(path("/library/metadata/90"))
        .and(query_param("includeGuids", "1"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"MediaContainer": {
                "size": 1, "grandparentRatingKey": 22, "grandparentTitle": "The 100",
                "Metadata": [legacy_episode(90, 1, 1)]
            }})),
        )
        .named("a legacy episode")
        .expect(1)
        .mount(&server)
        .await;
    let plex = client(&server);

    let episode = plex
        .episode(&RatingKey::from("48049"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(episode.show.rating_key.as_str(), "45520");
    assert_eq!(episode.show.title, "Alice in Borderland");
    assert_eq!(episode.show.guid, "plex://show/5e16253691c20300412003a8");
    assert_eq!((episode.show.tmdb_id, episode.show.tvdb_id), (None, None));
    assert_eq!((episode.season, episode.episode), (Some(2), Some(1)));
    assert_eq!(episode.season_key, Some(RatingKey::from("48047")));
    assert_eq!(episode.media[0].id, MediaId(61_002));
    // The same key read as a show is not one.
    assert_eq!(plex.show(&RatingKey::from("48049")).await.unwrap(), None);

    let legacy = plex.episode(&RatingKey::from("90")).await.unwrap().unwrap();
    assert_eq!(legacy.show.rating_key.as_str(), "22");
    assert_eq!(legacy.show.tvdb_id, Some(TvdbId(268592)));
    assert_eq!(legacy.show.tmdb_id, None);
}

#[tokio::test]
async fn lists_a_shows_episodes_with_their_versions() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/library/metadata/22/allLeaves"))
        .and(query_param_is_missing("type"))
        .and(query_param("X-Plex-Container-Start", "0"))
        .and(query_param("X-Plex-Container-Size", "200"))
        .respond_with(page(
            &[
                legacy_episode(91, 0, 1),
                legacy_episode(90, 1, 1),
                legacy_episode(92, 1, 2),
            ],
            3,
            0,
        ))
        .named("allLeaves")
        .expect(1)
        .mount(&server)
        .await;

    let episodes = client(&server)
        .show_episodes(&RatingKey::from("22"))
        .await
        .unwrap();

    let numbers: Vec<_> = episodes.iter().map(|e| (e.season, e.episode)).collect();
    assert_eq!(
        numbers,
        [(Some(0), Some(1)), (Some(1), Some(1)), (Some(1), Some(2))]
    );
    let pilot = &episodes[1];
    assert_eq!(pilot.media.len(), 2);
    assert!(!pilot.media[0].optimized && pilot.media[1].optimized);
    assert_eq!(pilot.original_versions().count(), 1);
    assert_eq!(pilot.media[0].parts[0].size, 1_322_000_000);
    assert_eq!(
        pilot.media[0].parts[0].file,
        "/data/TV-Shows/The 100/The.100.S01E01.mkv"
    );
}

#[tokio::test]
async fn lists_a_sections_episodes_in_pages_of_type_4() {
    let server = MockServer::start().await;
    for (start, keys) in [(0, vec![90, 92]), (2, vec![93])] {
        let episodes: Vec<Value> = keys.iter().map(|&k| legacy_episode(k, 1, k - 89)).collect();
        Mock::given(method("GET"))
            .and(path("/library/sections/2/all"))
            .and(query_param("type", "4"))
            .and(query_param("X-Plex-Container-Start", start.to_string()))
            .and(query_param("X-Plex-Container-Size", "2"))
            .respond_with(page(&episodes, 3, start))
            .named(format!("episodes from {start}"))
            .expect(1)
            .mount(&server)
            .await;
    }
    let stats = RequestStats::new();
    let plex = builder(&server)
        .page_size(2)
        .stats(stats.clone())
        .build()
        .unwrap();

    let episodes = plex.section_episodes(&SectionKey::from("2")).await.unwrap();

    let keys: Vec<_> = episodes.iter().map(|e| e.rating_key.as_str()).collect();
    assert_eq!(keys, ["90", "92", "93"]);
    assert!(episodes.iter().all(|e| e.media.len() == 2));
    assert_eq!(stats.count(ops::SECTION_EPISODES), 2);
}

#[tokio::test]
async fn a_show_collection_is_created_with_type_2() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/library/collections"))
        .and(query_param("type", "2"))
        .and(query_param("title", "Prestige TV"))
        .and(query_param("smart", "0"))
        .and(query_param("sectionId", "2"))
        .and(query_param(
            "uri",
            format!("server://{MACHINE}/com.plexapp.plugins.library/library/metadata/44288,68"),
        ))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"MediaContainer": {
                "size": 1, "Metadata": [{
                    "ratingKey": "7001", "type": "collection", "title": "Prestige TV",
                    "subtype": "show", "childCount": "2"
                }]
            }})),
        )
        .named("create a show collection")
        .expect(1)
        .mount(&server)
        .await;
    let plex = builder(&server)
        .machine_identifier(MACHINE)
        .build()
        .unwrap();
    let shows = [RatingKey::from("44288"), RatingKey::from("68")];

    let collection = plex
        .create_collection_of(
            MediaKind::Show,
            &SectionKey::from("2"),
            "Prestige TV",
            &shows,
        )
        .await
        .unwrap();

    assert_eq!(collection.rating_key.as_str(), "7001");
    assert_eq!(collection.child_count, 2);
}

#[tokio::test]
async fn batches_keep_only_the_kind_asked_for() {
    let server = MockServer::start().await;
    let movie = json!({
        "ratingKey": "4410", "type": "movie", "title": "Blade Runner 2049", "year": 2017,
        "guid": "plex://movie/5d7768ba96b655001fdc0408", "Guid": [{"id": "tmdb://335984"}]
    });
    Mock::given(method("GET"))
        .and(path("/library/metadata/44288,90,4410"))
        .and(query_param("includeGuids", "1"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"MediaContainer": {
                "size": 3, "Metadata": [better_call_saul(), legacy_episode(90, 1, 1), movie]
            }})),
        )
        .named("one of each kind")
        .expect(3)
        .mount(&server)
        .await;
    let plex = client(&server);
    let keys = ["44288", "90", "4410"].map(RatingKey::from);

    let shows = plex.shows_by_key(&keys).await.unwrap();
    let episodes = plex.episodes_by_key(&keys).await.unwrap();
    let movies = plex.items(&keys).await.unwrap();

    assert_eq!(
        shows.iter().map(|s| s.title.as_str()).collect::<Vec<_>>(),
        ["Better Call Saul"]
    );
    assert_eq!(
        episodes
            .iter()
            .map(|e| e.rating_key.as_str())
            .collect::<Vec<_>>(),
        ["90"]
    );
    assert_eq!(
        movies.iter().map(|m| m.title.as_str()).collect::<Vec<_>>(),
        ["Blade Runner 2049"]
    );
}

/// An implementation written before shows: it keeps compiling, movie
/// collections still go through its own create, and the TV methods answer
/// with a typed error naming the operation.
mod movies_only {
    use async_trait::async_trait;
    use plex_client::{
        Collection, CollectionSort, Error, MediaId, MediaKind, Movie, PlexApi, RatingKey, Result,
        Section, SectionKey, ServerIdentity, ServerInfo, ops,
    };

    struct MoviesOnly;

    fn unused() -> Error {
        Error::Config("not used by this test".into())
    }

    #[async_trait]
    impl PlexApi for MoviesOnly {
        async fn identity(&self) -> Result<ServerIdentity> {
            Err(unused())
        }
        async fn server_info(&self) -> Result<ServerInfo> {
            Err(unused())
        }
        async fn sections(&self) -> Result<Vec<Section>> {
            Err(unused())
        }
        async fn movies(&self, _: &SectionKey) -> Result<Vec<Movie>> {
            Err(unused())
        }
        async fn search_movies(
            &self,
            _: &SectionKey,
            _: &str,
            _: Option<u16>,
        ) -> Result<Vec<Movie>> {
            Err(unused())
        }
        async fn item(&self, _: &RatingKey) -> Result<Option<Movie>> {
            Err(unused())
        }
        async fn delete_media(&self, _: &RatingKey, _: MediaId) -> Result<()> {
            Err(unused())
        }
        async fn delete_item(&self, _: &RatingKey) -> Result<()> {
            Err(unused())
        }
        async fn collections(&self, _: &SectionKey) -> Result<Vec<Collection>> {
            Err(unused())
        }
        async fn create_collection(&self, _: &SectionKey, title: &str) -> Result<Collection> {
            Ok(Collection {
                rating_key: RatingKey::from("1"),
                title: title.to_owned(),
                child_count: 0,
                collection_sort: None,
                smart: false,
                summary: None,
            })
        }
        async fn add_to_collection(&self, _: &RatingKey, _: &[RatingKey]) -> Result<()> {
            Ok(())
        }
        async fn remove_from_collection(&self, _: &RatingKey, _: &RatingKey) -> Result<()> {
            Err(unused())
        }
        async fn collection_children(&self, _: &RatingKey) -> Result<Vec<Movie>> {
            Err(unused())
        }
        async fn move_collection_item(
            &self,
            _: &RatingKey,
            _: &RatingKey,
            _: Option<&RatingKey>,
        ) -> Result<()> {
            Err(unused())
        }
        async fn set_collection_sort(&self, _: &RatingKey, _: CollectionSort) -> Result<()> {
            Err(unused())
        }
        async fn set_collection_summary(
            &self,
            _: &SectionKey,
            _: &RatingKey,
            _: &str,
        ) -> Result<()> {
            Err(unused())
        }
        async fn delete_collection(&self, _: &RatingKey) -> Result<()> {
            Err(unused())
        }
        async fn upload_poster(&self, _: &RatingKey, _: Vec<u8>) -> Result<()> {
            Err(unused())
        }
    }

    #[tokio::test]
    async fn tv_methods_are_unsupported_until_implemented() {
        let plex: &dyn PlexApi = &MoviesOnly;
        let section = SectionKey::from("2");
        let key = RatingKey::from("7");

        let movies = plex
            .create_collection_of(
                MediaKind::Movie,
                &section,
                "Films",
                std::slice::from_ref(&key),
            )
            .await
            .unwrap();
        assert_eq!(movies.title, "Films");
        let failures = [
            plex.shows(&section).await.unwrap_err(),
            plex.show_episodes(&key).await.unwrap_err(),
            plex.section_episodes(&section).await.unwrap_err(),
            plex.episodes_by_key(std::slice::from_ref(&key))
                .await
                .unwrap_err(),
            plex.collection_shows(&key).await.unwrap_err(),
            plex.create_collection_of(MediaKind::Show, &section, "TV", &[])
                .await
                .unwrap_err(),
        ];
        let ops: Vec<_> = failures.iter().map(Error::op).collect();
        assert_eq!(
            ops,
            [
                Some(ops::SHOWS),
                Some(ops::SHOW_EPISODES),
                Some(ops::SECTION_EPISODES),
                Some(ops::ITEM),
                Some(ops::COLLECTION_CHILDREN),
                Some(ops::CREATE_COLLECTION),
            ]
        );
        assert!(failures.iter().all(|e| {
            matches!(e, Error::Unsupported { .. })
                && e.to_string()
                    .ends_with("not supported by this Plex implementation")
        }));
    }
}
