//! The real client against the fake Radarr.
#![cfg(feature = "fake")]

use std::time::Duration;

use radarr_client::fake::{FakeRadarr, Fault, RadarrSeed, SeedMovie};
use radarr_client::{
    AddMovie, AddOutcome, ApplyTags, Error, MovieEditor, QualityProfileId, RadarrApi, RadarrClient,
    TmdbId, op,
};

const ARRIVAL: TmdbId = TmdbId(329865);
const MATRIX: TmdbId = TmdbId(603);
const INCEPTION: TmdbId = TmdbId(27205);

fn add_arrival() -> AddMovie {
    AddMovie::new(ARRIVAL, "Arrival", 2016, QualityProfileId(4), "/movies")
}

async fn demo() -> (FakeRadarr, RadarrClient) {
    let fake = FakeRadarr::start(RadarrSeed::demo()).await;
    let radarr = fake.client_builder().build().unwrap();
    (fake, radarr)
}

#[tokio::test]
async fn reads_the_seeded_library() {
    let (fake, radarr) = demo().await;

    let status = radarr.system_status().await.unwrap();
    let movies = radarr.movies().await.unwrap();
    let folders = radarr.root_folders().await.unwrap();
    let profiles = radarr.quality_profiles().await.unwrap();
    let matrix = radarr.movie_by_tmdb(MATRIX).await.unwrap().unwrap();
    let absent = radarr.movie_by_tmdb(ARRIVAL).await.unwrap();

    assert_eq!(status.app_name, "Radarr");
    let titles: Vec<_> = movies.iter().map(|m| m.title.as_str()).collect();
    assert_eq!(titles, vec!["The Matrix", "Inception"]);
    assert_eq!(folders[0].path, "/movies");
    assert_eq!(profiles.len(), 2);
    assert!(matrix.has_file);
    assert_eq!(matrix.path.as_deref(), Some("/movies/The Matrix (1999)"));
    assert_eq!(matrix.imdb_id.unwrap().as_str(), "tt0133093");
    assert!(absent.is_none());
    assert_eq!(fake.stats().count(op::MOVIES), 1);
    assert_eq!(fake.stats().count(op::MOVIE_BY_TMDB), 2);
}

#[tokio::test]
async fn add_then_add_again_is_already_exists() {
    let (fake, radarr) = demo().await;

    let first = radarr.add_movie(&add_arrival()).await.unwrap();
    let second = radarr.add_movie(&add_arrival()).await.unwrap();

    let added = first.movie().expect("first add adds");
    assert_eq!(added.tmdb_id, ARRIVAL);
    assert!(added.is_in_library());
    assert_eq!(second, AddOutcome::AlreadyExists);
    assert_eq!(fake.movie(ARRIVAL).unwrap().id, added.id);
    assert_eq!(fake.movies().len(), 3);
    assert_eq!(fake.searched_on_add(), vec![ARRIVAL]);
    assert_eq!(fake.stats().count(op::ADD_MOVIE), 2);
}

#[tokio::test]
async fn add_refusals_carry_radarrs_validation_messages() {
    let (fake, radarr) = demo().await;
    let unknown = AddMovie::new(TmdbId(4), "Nope", 2001, QualityProfileId(4), "/movies");
    let misplaced = AddMovie::new(ARRIVAL, "Arrival", 2016, QualityProfileId(9), "/nas/films");

    let unknown = radarr.add_movie(&unknown).await.unwrap_err();
    let misplaced = radarr.add_movie(&misplaced).await.unwrap_err();

    let properties = |error: &Error| -> Vec<String> {
        error
            .validation_failures()
            .iter()
            .map(|f| f.property_name.clone())
            .collect()
    };
    assert_eq!(properties(&unknown), vec!["TmdbId"]);
    assert_eq!(
        properties(&misplaced),
        vec!["QualityProfileId", "RootFolderPath"]
    );
    assert!(
        misplaced
            .to_string()
            .contains("RootFolderPath: Root folder '/nas/films' does not exist"),
        "{misplaced}"
    );
    assert!(fake.movie(ARRIVAL).is_none());
}

#[tokio::test]
async fn lookups_know_the_catalogue_only() {
    let (_fake, radarr) = demo().await;

    let arrival = radarr.lookup_tmdb(ARRIVAL).await.unwrap();
    let matrix = radarr.lookup_tmdb(MATRIX).await.unwrap();
    let unknown = radarr.lookup_tmdb(TmdbId(4)).await.unwrap_err();

    assert_eq!(arrival.title, "Arrival");
    assert!(!arrival.is_in_library());
    assert!(matrix.is_in_library());
    assert!(unknown.is_not_found(), "{unknown:?}");
}

#[tokio::test]
async fn the_editor_unmonitors_and_tags_in_one_request() {
    let (fake, radarr) = demo().await;
    let ids: Vec<_> = radarr
        .movies()
        .await
        .unwrap()
        .iter()
        .map(|m| m.id)
        .collect();
    let tags = radarr.ensure_tags(&["curator", "watched"]).await.unwrap();
    let tag_ids = tags.iter().map(|t| t.id).collect();

    radarr
        .edit_movies(
            &MovieEditor::new(ids.clone())
                .with_monitored(false)
                .with_tags(ApplyTags::Add, tag_ids),
        )
        .await
        .unwrap();
    radarr
        .edit_movies(&MovieEditor::new(ids).with_tags(ApplyTags::Remove, vec![tags[0].id]))
        .await
        .unwrap();

    assert_eq!(fake.is_monitored(MATRIX), Some(false));
    assert_eq!(fake.is_monitored(INCEPTION), Some(false));
    assert_eq!(fake.movie_tag_labels(MATRIX).unwrap(), vec!["watched"]);
    assert_eq!(fake.stats().count(op::EDIT_MOVIES), 2);
}

#[tokio::test]
async fn ensure_tags_creates_each_missing_label_once() {
    let (fake, radarr) = demo().await;

    let first = radarr
        .ensure_tags(&["Curator", "From-Plex", "from-plex"])
        .await
        .unwrap();
    let again = radarr.ensure_tags(&["CURATOR", "from-plex"]).await.unwrap();

    assert_eq!(first, again);
    let labels: Vec<_> = fake.tags().into_iter().map(|t| t.label).collect();
    assert_eq!(labels, vec!["curator", "from-plex"]);
    assert_eq!(fake.stats().count(op::CREATE_TAG), 1);
    assert_eq!(fake.stats().count(op::TAGS), 2);
}

#[tokio::test]
async fn update_keeps_what_the_client_does_not_model() {
    let (fake, radarr) = demo().await;
    let mut inception = radarr.movie_by_tmdb(INCEPTION).await.unwrap().unwrap();
    let studio = inception.extra["studio"].clone();
    inception.monitored = false;
    inception.quality_profile_id = QualityProfileId(1);

    let saved = radarr.update_movie(&inception).await.unwrap();

    let stored = fake.movie(INCEPTION).unwrap();
    assert!(!saved.monitored && !stored.monitored);
    assert_eq!(stored.quality_profile_id, QualityProfileId(1));
    assert_eq!(stored.extra["studio"], studio);
    assert_eq!(stored.extra, inception.extra);
}

#[tokio::test]
async fn search_commands_are_recorded() {
    let (fake, radarr) = demo().await;
    let ids: Vec<_> = radarr
        .movies()
        .await
        .unwrap()
        .iter()
        .map(|m| m.id)
        .collect();

    let command = radarr.search_movies(&ids).await.unwrap();

    assert_eq!(command.name, "MoviesSearch");
    assert_eq!(fake.search_command_count(), 1);
    assert_eq!(fake.search_commands(), vec![ids]);
    assert_eq!(fake.stats().count(op::SEARCH_MOVIES), 1);
}

#[tokio::test]
async fn a_wrong_key_is_refused() {
    let fake = FakeRadarr::start(RadarrSeed::demo()).await;
    let radarr = RadarrClient::builder(fake.uri(), "not-the-key")
        .build()
        .unwrap();

    let error = radarr.movies().await.unwrap_err();

    assert!(error.is_unauthorized(), "{error:?}");
    assert_eq!(fake.stats().count(op::MOVIES), 1);
}

#[tokio::test]
async fn injected_503s_are_retried_for_reads() {
    let (fake, radarr) = demo().await;
    fake.faults().inject(op::MOVIES, Fault::Status(503), 2);

    let movies = radarr.movies().await.unwrap();

    assert_eq!(movies.len(), 2);
    assert_eq!(fake.stats().count(op::MOVIES), 3);
}

#[tokio::test]
async fn an_injected_503_on_add_is_not_retried_and_adds_nothing() {
    let (fake, radarr) = demo().await;
    fake.faults().inject(op::ADD_MOVIE, Fault::Status(503), 1);

    let error = radarr.add_movie(&add_arrival()).await.unwrap_err();
    let retry = radarr.add_movie(&add_arrival()).await.unwrap();

    assert_eq!(error.status(), Some(503));
    assert!(retry.was_added());
    assert_eq!(fake.stats().count(op::ADD_MOVIE), 2);
}

#[tokio::test]
async fn a_hung_add_times_out_but_the_next_add_sees_it_done() {
    let fake = FakeRadarr::start(RadarrSeed::demo()).await;
    let radarr = fake
        .client_builder()
        .request_timeout(Duration::from_millis(150))
        .build()
        .unwrap();
    fake.faults()
        .inject(op::ADD_MOVIE, Fault::Hang(Duration::from_secs(5)), 1);

    let error = radarr.add_movie(&add_arrival()).await.unwrap_err();
    let again = radarr.add_movie(&add_arrival()).await.unwrap();

    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(again, AddOutcome::AlreadyExists);
    assert_eq!(fake.stats().count(op::ADD_MOVIE), 2);
}

#[tokio::test]
async fn movies_inserted_later_are_seen_by_the_client() {
    let fake = FakeRadarr::start(
        RadarrSeed::new()
            .root_folder("/data/movies")
            .quality_profile(6, "Ultra-HD"),
    )
    .await;
    let radarr = fake.client_builder().build().unwrap();
    fake.insert_movie(
        &SeedMovie::new(ARRIVAL, "Arrival", 2016)
            .monitored(false)
            .tags(&["Kids"]),
    );
    assert!(fake.set_has_file(ARRIVAL, true));

    let arrival = radarr.movie_by_tmdb(ARRIVAL).await.unwrap().unwrap();
    let tags = radarr.tags().await.unwrap();

    assert!(arrival.has_file && !arrival.monitored);
    assert_eq!(arrival.quality_profile_id, QualityProfileId(6));
    assert_eq!(arrival.root_folder_path.as_deref(), Some("/data/movies"));
    assert_eq!(arrival.tags, vec![tags[0].id]);
    assert_eq!(tags[0].label, "kids");
}
