//! The client against every Radarr version the fake can play. Each rule the
//! fake follows is checked in Radarr's own source (`src/Radarr.Api.V3`,
//! `src/NzbDrone.Core`, v3.2.2 to v6.0.3); see `radarr_client::fake`.
#![cfg(feature = "fake")]

use std::time::Duration;

use radarr_client::fake::{FakeRadarr, RadarrSeed, RadarrVersion, SeedMovie};
use radarr_client::{
    AddMovie, Error, MovieEditor, MovieId, QualityProfileId, RadarrApi, TmdbId,
    normalize_tag_label, op,
};

fn seed(version: RadarrVersion) -> RadarrSeed {
    RadarrSeed::demo().version(version)
}

#[tokio::test]
async fn the_movie_list_asks_radarr_not_to_read_cover_files() {
    // MovieController.AllMovie(excludeLocalCovers): v5.0.2 and later skip
    // GetCoverFileInfos when asked; older versions ignore the parameter.
    for version in RadarrVersion::ALL {
        let fake = FakeRadarr::start(seed(version)).await;
        let radarr = fake.client_builder().build().unwrap();
        let movies = radarr.movies().await.unwrap();
        assert_eq!(movies.len(), 2, "{version:?}");
        let expected = usize::from(!version.honours_exclude_local_covers());
        assert_eq!(fake.cover_reads(), expected, "{version:?}");
    }
}

#[tokio::test]
async fn a_slow_movie_list_has_its_own_timeout() {
    // Radarr v3 reads every cover file for the list: slow on a big library,
    // slower than an ordinary request may take.
    let fake =
        FakeRadarr::start(seed(RadarrVersion::V3).cover_read_delay(Duration::from_millis(400)))
            .await;
    let radarr = fake
        .client_builder()
        .request_timeout(Duration::from_millis(100))
        .movie_list_timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    assert_eq!(radarr.movies().await.unwrap().len(), 2);
    // Other reads keep the ordinary timeout.
    assert!(radarr.tags().await.is_ok());
}

#[tokio::test]
async fn a_movie_list_that_times_out_is_not_asked_again() {
    let fake =
        FakeRadarr::start(seed(RadarrVersion::V4).cover_read_delay(Duration::from_secs(10))).await;
    let radarr = fake
        .client_builder()
        .movie_list_timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let error = radarr.movies().await.unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    // Each retry would make Radarr build the whole list again.
    assert_eq!(fake.stats().count(op::MOVIES), 1);
}

#[tokio::test]
async fn a_tag_in_another_case_reuses_radarrs_lowercase_tag() {
    // TagService.Add: FindByLabel is exact-case; the insert lowercases, and
    // Tags.Label is unique, so "Curator" next to "curator" is a conflict.
    for version in RadarrVersion::ALL {
        let fake = FakeRadarr::start(seed(version)).await;
        let radarr = fake.client_builder().build().unwrap();
        let existing = fake.tags()[0].clone();
        assert_eq!(existing.label, "curator");

        let tag = radarr.create_tag("Curator").await.unwrap();

        assert_eq!(tag.id, existing.id, "{version:?}");
        assert_eq!(fake.tag_requests(), ["curator"], "{version:?}");
        assert_eq!(fake.tags().len(), 1, "{version:?}");
    }
}

#[tokio::test]
async fn the_fake_refuses_what_each_version_refuses() {
    for version in RadarrVersion::ALL {
        let fake = FakeRadarr::start(seed(version)).await;
        let radarr = fake.client_builder().build().unwrap();
        let spaced = radarr.create_tag("sci fi").await;
        match version {
            // TagController v6: Matches("^[a-z0-9-]+$", IgnoreCase).
            RadarrVersion::V6 => {
                let error = spaced.unwrap_err();
                assert_eq!(error.status(), Some(400), "{error}");
                assert!(
                    error
                        .to_string()
                        .contains("Allowed characters a-z, 0-9 and -"),
                    "{error}"
                );
            }
            _ => assert_eq!(spaced.unwrap().label, "sci fi", "{version:?}"),
        }
        // What the config makes of such a label passes everywhere.
        let label = normalize_tag_label("Sci Fi").unwrap();
        assert_eq!(radarr.create_tag(&label).await.unwrap().label, "sci-fi");
    }
}

#[tokio::test]
async fn the_fake_answers_a_case_twin_with_a_conflict() {
    // What a client that sends the label as given runs into.
    let fake = FakeRadarr::start(seed(RadarrVersion::V6)).await;
    let http = reqwest_post(&fake, r#"{"label":"Curator"}"#).await;
    assert_eq!(http.0, 409);
    assert!(
        http.1.contains("UNIQUE constraint failed: Tags.Label"),
        "{}",
        http.1
    );
}

async fn reqwest_post(fake: &FakeRadarr, body: &str) -> (u16, String) {
    let response = curator_http::reqwest::Client::new()
        .post(format!("{}/api/v3/tag", fake.uri()))
        .header("X-Api-Key", fake.api_key())
        .header("Content-Type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

async fn big_library(version: RadarrVersion, n: u32) -> FakeRadarr {
    let mut seed = RadarrSeed::new()
        .version(version)
        .root_folder("/movies")
        .quality_profile(1, "Any");
    for i in 1..=n {
        seed = seed.movie(SeedMovie::new(
            TmdbId(10_000 + i),
            format!("Film {i}"),
            2000,
        ));
    }
    FakeRadarr::start(seed).await
}

#[tokio::test]
async fn repeated_ids_are_sent_once_each() {
    // MovieEditorController.SaveAll -> BasicRepository.Get(ids): a repeated
    // id makes the row count differ and fails the request with a 500.
    let fake = big_library(RadarrVersion::V6, 3).await;
    let radarr = fake.client_builder().build().unwrap();
    let edit = MovieEditor::new(vec![MovieId(3), MovieId(1), MovieId(3), MovieId(2)])
        .with_monitored(false);

    radarr.edit_movies(&edit).await.unwrap();

    assert_eq!(
        fake.editor_requests(),
        [vec![MovieId(1), MovieId(2), MovieId(3)]]
    );
    assert!(fake.movies().iter().all(|m| !m.monitored));
}

#[tokio::test]
async fn a_large_edit_goes_in_chunks_and_a_failed_chunk_names_its_ids() {
    let fake = big_library(RadarrVersion::V5, 250).await;
    let radarr = fake.client_builder().build().unwrap();
    let mut ids: Vec<MovieId> = (1..=250).rev().map(MovieId).collect();
    ids.push(MovieId(9_999)); // deleted in Radarr since the list was read

    let error = radarr
        .edit_movies(&MovieEditor::new(ids).with_monitored(false))
        .await
        .unwrap_err();

    let sizes: Vec<usize> = fake.editor_requests().iter().map(Vec::len).collect();
    assert_eq!(sizes, [100, 100, 51]);
    let mut unchanged: Vec<MovieId> = (201..=250).map(MovieId).collect();
    unchanged.push(MovieId(9_999));
    assert_eq!(error.unchanged_ids(), unchanged);
    let monitored: Vec<MovieId> = fake
        .movies()
        .iter()
        .filter(|m| m.monitored)
        .map(|m| m.id)
        .collect();
    assert_eq!(monitored, unchanged[..50]);
    let text = error.to_string();
    assert!(
        text.starts_with("radarr.edit_movies: 51 of 251 movie(s) were not changed: ids 201,202,"),
        "{text}"
    );
    assert!(
        text.contains("Expected query to return 51 rows but returned 50"),
        "{text}"
    );
    // The description's first line, not its stack trace.
    assert!(text.contains("(System.ApplicationException)"), "{text}");
    assert!(!text.contains("BasicRepository"), "{text}");
    assert!(matches!(error, Error::Edit { .. }), "{error:?}");
}

#[tokio::test]
async fn an_unmonitored_add_is_not_searched_for() {
    // MovieScannedHandler searches whenever addOptions.searchForMovie is set,
    // monitored or not.
    let fake = FakeRadarr::start(seed(RadarrVersion::V6)).await;
    let radarr = fake.client_builder().build().unwrap();
    let request = AddMovie::new(
        TmdbId(329865),
        "Arrival",
        2016,
        QualityProfileId(4),
        "/movies",
    )
    .with_monitored(false);
    assert!(request.search_on_add);

    radarr.add_movie(&request).await.unwrap();

    assert!(fake.searched_on_add().is_empty());
    assert_eq!(fake.is_monitored(TmdbId(329865)), Some(false));
}

#[tokio::test]
async fn an_add_of_an_unknown_tmdb_id_says_what_radarr_says() {
    // AddMovieService.AddSkyhookData turns MovieNotFoundException into this.
    let fake = FakeRadarr::start(seed(RadarrVersion::V6)).await;
    let radarr = fake.client_builder().build().unwrap();
    let request = AddMovie::new(TmdbId(4), "Nope", 0, QualityProfileId(4), "/movies");
    let error = radarr.add_movie(&request).await.unwrap_err();
    assert!(
        error
            .to_string()
            .contains("TmdbId: A movie with this ID was not found"),
        "{error}"
    );
}

#[test]
fn labels_are_normalised_to_what_v6_accepts() {
    for (given, expected) in [
        ("movies", Some("movies")),
        (
            "Due To Previously Watched",
            Some("due-to-previously-watched"),
        ),
        ("change_of_taste", Some("change-of-taste")),
        ("4K  HDR", Some("4k-hdr")),
        ("Amélie's", Some("amlies")),
        ("--", None),
        ("", None),
    ] {
        assert_eq!(normalize_tag_label(given).as_deref(), expected, "{given:?}");
    }
}
