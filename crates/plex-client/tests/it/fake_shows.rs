//! TV shows on the fake Plex server, driven through the real client.
//!
//! The fake's TV section is modelled on real captures (plex-api.rs
//! `tests/mocks/server/media/tv_library.json`, `tv_seasons.json`,
//! `tv_episodes.json`; plex-api-spec 6c561d8 `get-library-all.spec.ts` and
//! `get-media-meta-data.spec.ts`), its collections on python-plexapi
//! `Collection._create` (`type` 2 for shows).

use plex_client::fake::{FakeEpisode, FakePlex, FakeShow, FakeVersion, PlexSeed};
use plex_client::{
    CollectionSort, Episode, MediaKind, PlexApi, RatingKey, SectionKey, Show, TmdbId, TvdbId, ops,
};

fn tv() -> SectionKey {
    SectionKey::from("2")
}

/// A movie section, the sample TV library in "TV Shows", and a second,
/// empty TV section.
async fn start() -> FakePlex {
    FakePlex::start(
        PlexSeed::new()
            .allow_media_deletion(true)
            .max_page_size(2)
            .movie_section("1", "Movies")
            .movie(
                "1",
                plex_client::fake::FakeMovie::new("Heat", 1995).tmdb(949),
            )
            .show_section("2", "TV Shows")
            .show_section("3", "Kids TV")
            .sample_shows("2"),
    )
    .await
}

fn show_key(fake: &FakePlex, title: &str) -> RatingKey {
    fake.show_key(title).expect(title)
}

#[tokio::test]
async fn finds_the_tv_section_and_lists_shows_of_every_agent_style() {
    let fake = start().await;
    let plex = fake.client().unwrap();

    let section = plex
        .sections()
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.is_show() && s.title == "TV Shows")
        .unwrap();
    let shows = plex.shows(&section.key).await.unwrap();

    assert_eq!(section.key, tv());
    assert_eq!(shows, fake.shows(&tv()));
    let ids: Vec<(&str, Option<TmdbId>, Option<TvdbId>)> = shows
        .iter()
        .map(|s| (s.title.as_str(), s.tmdb_id, s.tvdb_id))
        .collect();
    assert_eq!(
        ids,
        [
            ("Severance", Some(TmdbId(95396)), Some(TvdbId(371980))),
            // Legacy TheTVDB agent: only the TVDB id.
            ("Breaking Bad", None, Some(TvdbId(81189))),
            // Legacy TMDb agent: only the TMDb TV id.
            ("The Office (US)", Some(TmdbId(2316)), None),
            ("Shōgun", Some(TmdbId(126308)), Some(TvdbId(392573))),
            ("Battlestar Galactica", None, Some(TvdbId(73545))),
        ]
    );
    assert!(
        shows[1]
            .guid
            .starts_with("com.plexapp.agents.thetvdb://81189")
    );
    assert_eq!(shows[0].imdb_id.as_ref().unwrap().as_str(), "tt11280740");
    // Five shows at most two a page.
    assert_eq!(fake.stats().count(ops::SHOWS), 3);
    assert!(plex.shows(&SectionKey::from("3")).await.unwrap().is_empty());
}

#[tokio::test]
async fn an_episodes_show_leads_to_the_shows_ids() {
    let fake = start().await;
    let plex = fake.client().unwrap();
    let pilot = fake.episode_key("Severance", 1, 1).unwrap();

    let episode = plex.episode(&pilot).await.unwrap().unwrap();
    // The current agent names the show by a plex:// guid only...
    assert_eq!(episode.show.title, "Severance");
    assert!(episode.show.guid.starts_with("plex://show/"));
    assert_eq!(episode.show.tvdb_id, None);
    // ...so its ids come from reading the show.
    let show = plex.show(&episode.show.rating_key).await.unwrap().unwrap();
    assert_eq!(show.tvdb_id, Some(TvdbId(371980)));
    assert_eq!(Some(episode), fake.episode(&pilot));

    // A legacy TheTVDB episode names its show's id itself.
    let legacy = fake.episode_key("Breaking Bad", 1, 1).unwrap();
    let episode = plex.episode(&legacy).await.unwrap().unwrap();
    assert_eq!(episode.show.tvdb_id, Some(TvdbId(81189)));
    assert_eq!(episode.show.rating_key, show_key(&fake, "Breaking Bad"));
    assert_eq!(fake.stats().count(ops::ITEM), 3);
    // An episode is neither a show nor a movie.
    assert_eq!(plex.show(&legacy).await.unwrap(), None);
    assert!(plex.items(&[legacy]).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_shows_episodes_carry_specials_duplicates_and_optimized_versions() {
    let fake = start().await;
    let plex = fake.client().unwrap();

    let breaking_bad = plex
        .show_episodes(&show_key(&fake, "Breaking Bad"))
        .await
        .unwrap();
    let severance = plex
        .show_episodes(&show_key(&fake, "Severance"))
        .await
        .unwrap();

    assert_eq!(
        breaking_bad,
        fake.show_episodes(&show_key(&fake, "Breaking Bad"))
    );
    assert_eq!(breaking_bad.len(), 8);
    assert_eq!(
        (breaking_bad[0].season, breaking_bad[0].episode),
        (Some(0), Some(1))
    );
    let pilot = &breaking_bad[1];
    assert_eq!(pilot.title, "Pilot");
    let resolutions: Vec<_> = pilot
        .media
        .iter()
        .map(|v| v.video_resolution.as_deref().unwrap())
        .collect();
    assert_eq!(resolutions, ["1080", "720"]);
    let good_news = &severance[0];
    assert_eq!(good_news.media.len(), 3);
    assert_eq!(good_news.original_versions().count(), 2);
    let optimized = good_news.media.iter().find(|v| v.optimized).unwrap();
    assert!(
        optimized.parts[0]
            .file
            .contains("/Plex Versions/Optimized for TV/")
    );
    // 8 + 12 episodes, two a page.
    assert_eq!(fake.stats().count(ops::SHOW_EPISODES), 4 + 6);
}

#[tokio::test]
async fn a_sections_episodes_come_in_pages_not_a_request_per_show() {
    let fake = FakePlex::start(
        PlexSeed::new()
            .show_section("2", "TV Shows")
            .sample_shows("2"),
    )
    .await;
    let plex = fake.client_builder().page_size(20).build().unwrap();

    let episodes = plex.section_episodes(&tv()).await.unwrap();

    let expected: Vec<Episode> = fake
        .shows(&tv())
        .iter()
        .flat_map(|s: &Show| fake.show_episodes(&s.rating_key))
        .collect();
    assert_eq!(episodes.len(), 51);
    assert_eq!(episodes, expected);
    assert_eq!(fake.stats().count(ops::SECTION_EPISODES), 3);
    assert_eq!(fake.stats().count(ops::SHOW_EPISODES), 0);
}

#[tokio::test]
async fn show_collections_follow_the_movie_collection_rules() {
    let fake = start().await;
    let plex = fake.client().unwrap();
    let [severance, shogun, breaking_bad] =
        ["Severance", "Shōgun", "Breaking Bad"].map(|t| show_key(&fake, t));
    let episode = fake.episode_key("Severance", 1, 2).unwrap();

    // A movie-type collection in a TV section is refused by the fake.
    let refused = plex
        .create_collection_of(
            MediaKind::Movie,
            &tv(),
            "Wrong",
            std::slice::from_ref(&severance),
        )
        .await
        .unwrap_err();
    assert_eq!(refused.status(), Some(400));
    let collection = plex
        .create_collection_of(
            MediaKind::Show,
            &tv(),
            "Prestige TV",
            &[severance.clone(), shogun.clone()],
        )
        .await
        .unwrap();
    let key = collection.rating_key;
    // Episodes are not shows: left out, as unknown keys are.
    plex.add_to_collection(&key, &[breaking_bad.clone(), episode])
        .await
        .unwrap();
    plex.set_collection_sort(&key, CollectionSort::Custom)
        .await
        .unwrap();
    plex.move_collection_item(&key, &breaking_bad, None)
        .await
        .unwrap();
    plex.remove_from_collection(&key, &shogun).await.unwrap();
    let shows = plex.collection_shows(&key).await.unwrap();

    assert_eq!(
        shows.iter().map(|s| s.title.as_str()).collect::<Vec<_>>(),
        ["Breaking Bad", "Severance"]
    );
    assert_eq!(shows[0].tvdb_id, Some(TvdbId(81189)));
    assert_eq!(
        fake.collection_titles("Prestige TV"),
        ["Breaking Bad", "Severance"]
    );
    assert_eq!(
        plex.find_collection(&tv(), "Prestige TV")
            .await
            .unwrap()
            .map(|c| c.child_count),
        Some(2)
    );
    assert_eq!(fake.stats().count(ops::CREATE_COLLECTION), 2);
}

#[tokio::test]
async fn one_version_of_a_duplicated_episode_can_be_deleted() {
    let fake = start().await;
    let plex = fake.client().unwrap();
    let pilot = fake.episode_key("Breaking Bad", 1, 1).unwrap();
    let versions = fake.episode(&pilot).unwrap().media;
    let sd = versions
        .iter()
        .find(|v| v.video_resolution.as_deref() == Some("720"))
        .unwrap();

    plex.delete_media(&pilot, sd.id).await.unwrap();

    let left = plex.episode(&pilot).await.unwrap().unwrap().media;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].video_resolution.as_deref(), Some("1080"));
    assert_eq!(fake.stats().count(ops::DELETE_MEDIA), 1);
}

#[tokio::test]
async fn file_checks_tell_which_episode_versions_are_gone() {
    let fake = FakePlex::start(
        PlexSeed::new().show_section("2", "TV Shows").show(
            "2",
            FakeShow::new("Severance", 2022).tvdb(371980).episode(
                FakeEpisode::new(1, 1, "Good News About Hell")
                    .version(FakeVersion::new("1080"))
                    .version(FakeVersion::new("720").missing()),
            ),
        ),
    )
    .await;
    let plex = fake.client().unwrap();
    let pilot = fake.episode_key("Severance", 1, 1).unwrap();
    let show = fake.show_key("Severance").unwrap();

    let checked = plex.check_episode_files(&[pilot, show]).await.unwrap();

    assert_eq!(checked.len(), 1);
    let available: Vec<_> = checked[0]
        .media
        .iter()
        .map(|v| (v.video_resolution.as_deref(), v.parts[0].available))
        .collect();
    assert_eq!(
        available,
        [(Some("1080"), Some(true)), (Some("720"), Some(false))]
    );
    assert_eq!(fake.refreshed_items(), 0);
}
