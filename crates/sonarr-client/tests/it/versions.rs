//! The client against every Sonarr version the fake can play. Each rule the
//! fake follows is checked in Sonarr's own source (tags v3.0.9.1549 and
//! v4.0.19.2979, branch v5-develop); see `sonarr_client::fake`.
#![cfg(feature = "fake")]

use sonarr_client::fake::{FakeSonarr, SeedSeries, SonarrSeed, SonarrVersion};
use sonarr_client::{
    AddSeries, EpisodeId, EpisodeMonitor, Error, MonitorType, QualityProfileId, SeriesEditor,
    SeriesId, SonarrApi, TvdbId, normalize_tag_label, op,
};

const FIREFLY: TvdbId = TvdbId(78874);

fn seed(version: SonarrVersion) -> SonarrSeed {
    SonarrSeed::demo().version(version)
}

fn firefly() -> AddSeries {
    AddSeries::new(FIREFLY, "Firefly", QualityProfileId(4), "/tv")
}

#[tokio::test]
async fn the_status_names_the_version() {
    for version in SonarrVersion::ALL {
        let fake = FakeSonarr::start(seed(version)).await;
        let sonarr = fake.client_builder().build().unwrap();
        let status = sonarr.system_status().await.unwrap();
        assert_eq!(status.version, version.version_string());
        let major = match version {
            SonarrVersion::V3 => 3,
            SonarrVersion::V4 => 4,
            _ => 5,
        };
        assert_eq!(status.major_version(), Some(major));
    }
}

#[tokio::test]
async fn the_default_add_is_accepted_by_every_version() {
    // v3's LanguageProfileExistsValidator refuses 0; the client sends 1,
    // which a v3 install starts with, and v4+ ignore it.
    for version in SonarrVersion::ALL {
        let fake = FakeSonarr::start(seed(version)).await;
        let sonarr = fake.client_builder().build().unwrap();
        let outcome = sonarr.add_series(&firefly()).await.unwrap();
        assert!(outcome.was_added(), "{version:?}");
        let missing_profile = sonarr
            .add_series(
                &AddSeries::new(TvdbId(360893), "Chernobyl", QualityProfileId(4), "/tv")
                    .with_language_profile(7),
            )
            .await;
        match version {
            SonarrVersion::V3 => {
                let error = missing_profile.unwrap_err();
                assert_eq!(
                    error.validation_failures()[0].to_string(),
                    "LanguageProfileId: Language profile does not exist"
                );
            }
            _ => assert!(missing_profile.unwrap().was_added(), "{version:?}"),
        }
    }
}

#[tokio::test]
async fn monitor_types_newer_than_the_server_fail_on_v3_only() {
    // v3's MonitorTypes has no lastSeason/recent/specials/skip; Newtonsoft
    // throws a JsonSerializationException, which v3 answers with a 500.
    for version in SonarrVersion::ALL {
        let fake = FakeSonarr::start(seed(version)).await;
        let sonarr = fake.client_builder().build().unwrap();
        let request = firefly().with_monitor(MonitorType::LastSeason);
        let outcome = sonarr.add_series(&request).await;
        if version.knows(MonitorType::LastSeason) {
            assert!(outcome.unwrap().was_added(), "{version:?}");
        } else {
            let error = outcome.unwrap_err();
            assert_eq!(error.status(), Some(500), "{error}");
            assert!(
                error
                    .to_string()
                    .contains("Error converting value \"lastSeason\""),
                "{error}"
            );
            assert!(fake.series(FIREFLY).is_none());
            // Its v3 name works there (and v4 keeps it as an alias).
            let old = firefly().with_monitor(MonitorType::LatestSeason);
            assert!(sonarr.add_series(&old).await.unwrap().was_added());
        }
        assert_eq!(fake.monitored_episodes(FIREFLY).len(), 14, "{version:?}");
    }
}

#[tokio::test]
async fn an_unknown_series_id_is_not_found_in_every_version() {
    for version in SonarrVersion::ALL {
        let fake = FakeSonarr::start(seed(version)).await;
        let sonarr = fake.client_builder().build().unwrap();
        let error = sonarr.series(SeriesId(999)).await.unwrap_err();
        assert!(error.is_not_found(), "{version:?}: {error:?}");
        // v3 says why, v4 and later send no body.
        assert_eq!(
            matches!(error, Error::Api { .. }),
            version == SonarrVersion::V3,
            "{version:?}: {error:?}"
        );
    }
}

#[tokio::test]
async fn tag_labels_the_strictest_version_refuses_are_normalised_first() {
    for version in SonarrVersion::ALL {
        let fake = FakeSonarr::start(seed(version)).await;
        let sonarr = fake.client_builder().build().unwrap();
        let spaced = sonarr.create_tag("sci fi").await;
        match version {
            // v5 TagController: Matches("^[a-z0-9-]+$", IgnoreCase).
            SonarrVersion::V5 => {
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
        let label = normalize_tag_label("Sci Fi").unwrap();
        assert_eq!(sonarr.create_tag(&label).await.unwrap().label, "sci-fi");
        // TagService.Add: exact-case lookup, lowercase insert.
        let again = sonarr.create_tag("Curator").await.unwrap();
        assert_eq!(again.id, fake.tags()[0].id, "{version:?}");
    }
}

#[tokio::test]
async fn the_fake_answers_a_case_twin_with_a_conflict() {
    // What a client that sends the label as given runs into.
    let fake = FakeSonarr::start(seed(SonarrVersion::V4)).await;
    let response = curator_http::reqwest::Client::new()
        .post(format!("{}/api/v3/tag", fake.uri()))
        .header("X-Api-Key", fake.api_key())
        .header("Content-Type", "application/json")
        .body(r#"{"label":"Curator"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 409);
    let text = response.text().await.unwrap();
    assert!(
        text.contains("UNIQUE constraint failed: Tags.Label"),
        "{text}"
    );
}

#[tokio::test]
async fn episode_monitoring_accepts_202_and_200() {
    // v3/v4 EpisodeController answers Accepted; v5 answers Ok.
    for version in SonarrVersion::ALL {
        let fake = FakeSonarr::start(seed(version)).await;
        let sonarr = fake.client_builder().build().unwrap();
        let wire = sonarr.series_by_tvdb(TvdbId(79126)).await.unwrap().unwrap();
        let first: Vec<EpisodeId> = sonarr.episodes(wire.id).await.unwrap()[..2]
            .iter()
            .map(|e| e.id)
            .collect();
        sonarr
            .monitor_episodes(&EpisodeMonitor::new(first, false))
            .await
            .unwrap();
        assert_eq!(
            fake.monitored_episodes(TvdbId(79126)).len(),
            58,
            "{version:?}"
        );
    }
}

async fn big_library(n: u32) -> FakeSonarr {
    let mut seed = SonarrSeed::new()
        .root_folder("/tv")
        .quality_profile(1, "Any");
    for i in 1..=n {
        seed = seed
            .series(SeedSeries::new(TvdbId(500_000 + i), format!("Show {i}"), 2000).seasons(&[1]));
    }
    FakeSonarr::start(seed).await
}

#[tokio::test]
async fn a_large_edit_goes_in_chunks_and_a_failed_chunk_names_its_ids() {
    // SeriesEditorController.SaveAll -> BasicRepository.Get(ids): a repeated
    // or unknown id fails the whole request with a 500.
    let fake = big_library(250).await;
    let sonarr = fake.client_builder().build().unwrap();
    let mut ids: Vec<SeriesId> = (1..=250).rev().map(SeriesId).collect();
    ids.push(SeriesId(3)); // repeated: sent once
    ids.push(SeriesId(9_999)); // deleted in Sonarr since the list was read

    let error = sonarr
        .edit_series(&SeriesEditor::new(ids).with_monitored(false))
        .await
        .unwrap_err();

    let sizes: Vec<usize> = fake.editor_requests().iter().map(Vec::len).collect();
    assert_eq!(sizes, [100, 100, 51]);
    let mut unchanged: Vec<SeriesId> = (201..=250).map(SeriesId).collect();
    unchanged.push(SeriesId(9_999));
    assert_eq!(error.unchanged_series(), unchanged);
    let monitored: Vec<SeriesId> = fake
        .series_list()
        .iter()
        .filter(|s| s.monitored)
        .map(|s| s.id)
        .collect();
    assert_eq!(monitored, unchanged[..50]);
    let text = error.to_string();
    assert!(
        text.starts_with("sonarr.edit_series: 51 of 251 series were not changed: ids 201,202,"),
        "{text}"
    );
    assert!(
        text.contains("Expected query to return 51 rows but returned 50"),
        "{text}"
    );
    assert!(text.contains("(System.ApplicationException)"), "{text}");
    assert!(!text.contains("BasicRepository"), "{text}");
    assert_eq!(fake.stats().count(op::EDIT_SERIES), 3);
}

#[tokio::test]
async fn an_unknown_episode_fails_its_chunk_after_the_known_ones_changed() {
    // EpisodeController.SetEpisodesMonitored: SetMonitored(ids) first, then
    // GetEpisodes(ids) -> BasicRepository.Get fails on the unknown id.
    let fake = big_library(1).await;
    let sonarr = fake.client_builder().build().unwrap();
    let mut ids: Vec<EpisodeId> = sonarr
        .episodes(SeriesId(1))
        .await
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    ids.push(EpisodeId(77_777));

    let error = sonarr
        .monitor_episodes(&EpisodeMonitor::new(ids.clone(), false))
        .await
        .unwrap_err();

    assert!(matches!(error, Error::MonitorEpisodes { .. }), "{error:?}");
    assert_eq!(error.unsure_episodes(), ids);
    assert!(fake.monitored_episodes(TvdbId(500_001)).is_empty());
    assert!(
        error.to_string().starts_with(
            "sonarr.monitor_episodes: 2 of 2 episode(s) may not have changed: ids 1,77777"
        ),
        "{error}"
    );
}
