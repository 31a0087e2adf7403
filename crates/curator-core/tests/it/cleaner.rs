//! The duplicate cleaner against the fake Plex (and fake Radarr): what a
//! real library holds that a naive cleaner gets wrong.

use std::sync::Arc;
use std::time::Duration;

use curator_core::{
    DataDir, DeletePreference, Quiet, RadarrSettings, RunContext, RunReport, RunRequest, Services,
    Settings, StepKind, StepReport, StepToggles, run,
};
use curator_http::TmdbId;
use plex_client::fake::{FakeMovie, FakePlex, FakeVersion, PlexSeed};
use plex_client::{PlexApi, ops};
use radarr_client::QualityProfileId;
use radarr_client::fake::{FakeRadarr, RadarrSeed, SeedMovie};
use time::macros::date;

fn settings(preference: DeletePreference, preserve: &[&str]) -> Settings {
    let mut settings = Settings {
        radarr: Some(RadarrSettings {
            root_folder: "/movies".into(),
            quality_profile_id: QualityProfileId(1),
            minimum_availability: Default::default(),
            search_on_add: true,
        }),
        ..Settings::default()
    };
    settings.steps = StepToggles::only(&[StepKind::DuplicateCleaner]);
    settings.dedupe.delete_preference = preference;
    settings.dedupe.preserve_quality = preserve.iter().map(|s| (*s).to_owned()).collect();
    settings
}

async fn clean(
    plex: Arc<dyn PlexApi>,
    radarr: Option<&FakeRadarr>,
    settings: Settings,
) -> RunReport {
    let dir = tempfile::tempdir().unwrap();
    let services = Services {
        plex: Some(plex),
        radarr: radarr.map(|r| Arc::new(r.client_builder().build().unwrap()) as _),
        ..Services::default()
    };
    let mut ctx = RunContext::new(
        services,
        settings,
        DataDir::new(dir.path()),
        date!(2026 - 11 - 24),
    );
    run(&mut ctx, &RunRequest::default(), &Quiet).await.unwrap()
}

fn step(report: &RunReport) -> &StepReport {
    report.step(StepKind::DuplicateCleaner).unwrap()
}

/// Inception with an optimized copy; Blade Runner's theatrical cut and
/// Final Cut; Heat with a real duplicate.
fn library() -> PlexSeed {
    PlexSeed::new()
        .allow_media_deletion(true)
        .movie_section("1", "Movies")
        .movie(
            "1",
            FakeMovie::new("Inception", 2010)
                .tmdb(27205)
                .version(FakeVersion::new("1080"))
                // Larger than the original, and the newer version.
                .version(
                    FakeVersion::new("1080")
                        .optimized("Original Quality")
                        .bitrate(20_000),
                ),
        )
        .movie(
            "1",
            FakeMovie::new("Blade Runner", 1982)
                .tmdb(78)
                .version(FakeVersion::new("720")),
        )
        .movie(
            "1",
            FakeMovie::new("Blade Runner", 1982)
                .tmdb(78)
                .edition("The Final Cut")
                .version(FakeVersion::new("4k")),
        )
        .movie(
            "1",
            FakeMovie::new("Heat", 1995)
                .tmdb(949)
                .version(FakeVersion::new("1080"))
                .version(FakeVersion::new("720")),
        )
}

#[tokio::test]
async fn optimized_versions_and_editions_are_left_alone_by_every_preference() {
    for preference in [
        DeletePreference::KeepBest,
        DeletePreference::SmallestFile,
        DeletePreference::LargestFile,
        DeletePreference::Newest,
        DeletePreference::Oldest,
    ] {
        let plex = FakePlex::start(library()).await;
        let before: Vec<_> = plex
            .movies(&"1".into())
            .into_iter()
            .filter(|m| m.title != "Heat")
            .collect();
        let report = clean(
            Arc::new(plex.client().unwrap()),
            None,
            settings(preference, &[]),
        )
        .await;
        let step = step(&report);
        assert!(!step.failed(), "{preference:?}: {step:#?}");
        // Heat is the only duplicate.
        assert_eq!(step.counter("duplicate_groups"), 1, "{preference:?}");
        assert_eq!(step.counter("deleted"), 1, "{preference:?}");
        assert_eq!(step.counter("optimized_left_alone"), 1, "{preference:?}");
        for movie in before {
            assert_eq!(
                plex.media_versions(&movie.rating_key),
                movie.media,
                "{preference:?}: {} lost a version",
                movie.title
            );
        }
        let heat = plex.media_versions(&plex.movie_key("Heat").unwrap());
        assert_eq!(heat.len(), 1, "{preference:?}");
    }
}

#[tokio::test]
async fn a_duplicate_item_with_one_version_is_deleted_whole() {
    // Plex Web deletes a movie with DELETE /library/metadata/{ratingKey};
    // python-plexapi's Video.delete does the same.
    let plex = FakePlex::start(
        PlexSeed::new()
            .allow_media_deletion(true)
            .movie_section("1", "Movies")
            .movie(
                "1",
                FakeMovie::new("Heat", 1995)
                    .tmdb(949)
                    .version(FakeVersion::new("1080")),
            )
            .movie(
                "1",
                FakeMovie::new("Heat", 1995)
                    .tmdb(949)
                    .rating_key("2001")
                    .version(FakeVersion::new("480")),
            ),
    )
    .await;
    // A dry run says so.
    let mut dry = settings(DeletePreference::KeepBest, &[]);
    dry.dry_run = true;
    let report = clean(Arc::new(plex.client().unwrap()), None, dry).await;
    let planned = &step(&report).planned;
    assert!(
        planned
            .iter()
            .any(|p| p.starts_with("delete Heat (1995) item 2001 (its only version")),
        "{planned:?}"
    );
    let report = clean(
        Arc::new(plex.client().unwrap()),
        None,
        settings(DeletePreference::KeepBest, &[]),
    )
    .await;
    let step = step(&report);
    assert_eq!(step.counter("deleted"), 1, "{step:#?}");
    assert!(plex.movie(&"2001".into()).is_none());
    // The 1080p item stays, with its version.
    let left = plex.movies(&"1".into());
    assert_eq!(left.len(), 1, "{left:#?}");
    assert_eq!(
        left[0]
            .media
            .iter()
            .map(|v| v.video_resolution.as_deref())
            .collect::<Vec<_>>(),
        [Some("1080")]
    );
    assert_eq!(plex.stats().count(ops::DELETE_ITEM), 1);
    assert_eq!(plex.stats().count(ops::DELETE_MEDIA), 0);
}

#[tokio::test]
async fn a_slow_delete_still_counts_and_radarr_is_unmonitored() {
    let plex = FakePlex::start(library()).await;
    plex.set_delete_latency(Duration::from_secs(5));
    let client = plex
        .client_builder()
        .delete_timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let radarr = FakeRadarr::start(
        RadarrSeed::new()
            .root_folder("/movies")
            .quality_profile(1, "HD-1080p")
            .movie(
                SeedMovie::new(TmdbId(949), "Heat", 1995)
                    .monitored(true)
                    .has_file(true),
            ),
    )
    .await;
    let report = clean(
        Arc::new(client),
        Some(&radarr),
        settings(DeletePreference::KeepBest, &[]),
    )
    .await;
    let step = step(&report);
    assert!(step.failures.is_empty(), "{step:#?}");
    assert_eq!(step.counter("deleted"), 1);
    assert_eq!(step.counter("unmonitored_in_radarr"), 1);
    assert_eq!(radarr.is_monitored(TmdbId(949)), Some(false));
    assert_eq!(plex.stats().count(ops::DELETE_MEDIA), 1);
}

#[tokio::test]
async fn a_refused_delete_reports_the_reason_and_stops() {
    let plex = FakePlex::start(
        library().movie(
            "1",
            FakeMovie::new("Alien", 1979)
                .tmdb(348)
                .version(FakeVersion::new("1080"))
                .version(FakeVersion::new("sd")),
        ),
    )
    .await;
    plex.set_deletion_refusal(Some(403));
    let report = clean(
        Arc::new(plex.client().unwrap()),
        None,
        settings(DeletePreference::KeepBest, &[]),
    )
    .await;
    let step = step(&report);
    assert_eq!(step.counter("deleted"), 0);
    assert_eq!(step.failures.len(), 1, "{step:#?}");
    assert!(
        step.failures[0].contains("only the server owner may delete media"),
        "{}",
        step.failures[0]
    );
    assert!(!step.failures[0].contains("not found"));
    // The second delete was not tried.
    assert_eq!(plex.stats().count(ops::DELETE_MEDIA), 1);
}

#[tokio::test]
async fn nothing_is_deleted_when_plex_ignores_the_file_check() {
    let plex = FakePlex::start(
        library().movie(
            "1",
            FakeMovie::new("Alien", 1979)
                .tmdb(348)
                .version(FakeVersion::new("1080"))
                .version(FakeVersion::new("sd")),
        ),
    )
    .await;
    plex.set_check_files_multi_key(false);
    let report = clean(
        Arc::new(plex.client().unwrap()),
        None,
        settings(DeletePreference::KeepBest, &[]),
    )
    .await;
    let step = step(&report);
    assert!(step.failed(), "{step:#?}");
    assert_eq!(plex.stats().count(ops::DELETE_MEDIA), 0);
    assert_eq!(plex.stats().count(ops::DELETE_ITEM), 0);
}

#[tokio::test]
async fn protected_and_missing_counts_cover_the_whole_library() {
    // Alien's only other copy is protected, so its group loses nothing and
    // is not re-checked; Heat's 4K file is gone from disk.
    let plex = FakePlex::start(
        PlexSeed::new()
            .allow_media_deletion(true)
            .movie_section("1", "Movies")
            .movie(
                "1",
                FakeMovie::new("Alien", 1979)
                    .tmdb(348)
                    .version(FakeVersion::new("4k"))
                    .version(FakeVersion::new("1080")),
            )
            .movie(
                "1",
                FakeMovie::new("Heat", 1995)
                    .tmdb(949)
                    .version(FakeVersion::new("4k").missing())
                    .version(FakeVersion::new("720"))
                    .version(FakeVersion::new("480")),
            ),
    )
    .await;
    let report = clean(
        Arc::new(plex.client().unwrap()),
        None,
        settings(DeletePreference::KeepBest, &["1080p"]),
    )
    .await;
    let step = step(&report);
    assert!(!step.failed(), "{step:#?}");
    assert_eq!(step.counter("duplicate_groups"), 2);
    assert_eq!(step.counter("protected"), 1);
    assert_eq!(step.counter("missing_from_disk"), 1);
    assert_eq!(step.counter("deleted"), 1);
    let heat = plex.media_versions(&plex.movie_key("Heat").unwrap());
    let left: Vec<_> = heat
        .iter()
        .filter_map(|v| v.video_resolution.as_deref())
        .collect();
    assert_eq!(left, ["4k", "720"]);
}
