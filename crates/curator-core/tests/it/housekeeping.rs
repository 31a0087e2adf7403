//! Scenarios for the duplicate cleaner, the monitor confirm and the
//! refreshers' handling of movies Plex no longer has.

use curator_core::{
    DataDir, EntryStatus, PointsBook, PointsEntry, Quiet, RunRequest, StepKind, StepStatus,
    StepToggles, run,
};
use curator_http::TmdbId;
use plex_client::{MediaId, MediaPart, MediaVersion};
use time::macros::date;

use crate::mem::*;

fn only(step: StepKind) -> StepToggles {
    StepToggles::only(&[step])
}

fn second_version(id: u64, resolution: &str, size: u64) -> MediaVersion {
    MediaVersion {
        id: MediaId(id),
        video_resolution: Some(resolution.into()),
        bitrate: Some(2000),
        width: None,
        height: None,
        video_codec: None,
        audio_codec: None,
        container: None,
        duration: None,
        optimized: false,
        parts: vec![MediaPart {
            id,
            file: format!("/movies/copy-{id}.mkv"),
            size,
            duration: None,
            available: None,
        }],
    }
}

/// `n` movies, each with a second, smaller 720p copy.
fn doubled_library(n: u32) -> Vec<plex_client::Movie> {
    (0..n)
        .map(|i| {
            let mut m = plex_movie(
                &format!("{}", 100 + i),
                &format!("Film {i}"),
                2000,
                Some(1000 + i),
            );
            m.media
                .push(second_version(u64::from(9000 + i), "720", 1_000_000_000));
            m
        })
        .collect()
}

#[tokio::test]
async fn the_cleaner_deletes_the_worse_copy_and_unmonitors_in_radarr() {
    let radarr = MemRadarr::default()
        .with_movie(1000, "Film 0", true)
        .with_movie(1001, "Film 1", true)
        .with_movie(4242, "Unrelated", true);
    let world = World::new(
        MemPlex::new(doubled_library(2)),
        radarr,
        MemTmdb::default(),
        MemLlm::default(),
    );
    let mut settings = World::settings();
    settings.steps = only(StepKind::DuplicateCleaner);
    let mut ctx = world.context(settings, date!(2026 - 11 - 24));
    let report = run(&mut ctx, &RunRequest::default(), &Quiet).await.unwrap();
    let step = report.step(StepKind::DuplicateCleaner).unwrap();
    assert_eq!(step.status, StepStatus::Done, "{step:#?}");
    assert_eq!(step.counter("deleted"), 2);
    for m in world.plex.movies.lock().unwrap().iter() {
        assert_eq!(m.media.len(), 1);
        assert_eq!(m.media[0].video_resolution.as_deref(), Some("1080"));
    }
    assert!(!world.radarr.movie(1000).unwrap().monitored);
    assert!(!world.radarr.movie(1001).unwrap().monitored);
    assert!(world.radarr.movie(4242).unwrap().monitored);
    assert_eq!(world.radarr.calls.count("radarr.edit_movies"), 1);
}

#[tokio::test]
async fn a_plan_over_the_guard_deletes_nothing() {
    let world = World::new(
        MemPlex::new(doubled_library(12)),
        MemRadarr::default(),
        MemTmdb::default(),
        MemLlm::default(),
    );
    let mut settings = World::settings();
    settings.steps = only(StepKind::DuplicateCleaner);
    let mut ctx = world.context(settings, date!(2026 - 11 - 24));
    let report = run(&mut ctx, &RunRequest::default(), &Quiet).await.unwrap();
    let step = report.step(StepKind::DuplicateCleaner).unwrap();
    assert!(
        step.failures[0].contains("max_deletions_per_run (10)"),
        "{:?}",
        step.failures
    );
    assert_eq!(step.planned.len(), 12);
    assert_eq!(world.plex.calls.count("plex.delete_media"), 0);
}

#[tokio::test]
async fn the_cleaner_refuses_when_plex_forbids_deletion() {
    let plex = MemPlex {
        deny_deletion: true,
        ..MemPlex::new(doubled_library(1))
    };
    let world = World::new(
        plex,
        MemRadarr::default(),
        MemTmdb::default(),
        MemLlm::default(),
    );
    let mut settings = World::settings();
    settings.steps = only(StepKind::DuplicateCleaner);
    let mut ctx = world.context(settings, date!(2026 - 11 - 24));
    let report = run(&mut ctx, &RunRequest::default(), &Quiet).await.unwrap();
    let step = report.step(StepKind::DuplicateCleaner).unwrap();
    match &step.status {
        StepStatus::Failed(message) => {
            assert!(message.contains("Allow media deletion"), "{message}");
        }
        other => panic!("expected a failure, got {other:?}"),
    }
    assert_eq!(world.plex.calls.count("plex.delete_media"), 0);
    assert_eq!(world.plex.movies.lock().unwrap()[0].media.len(), 2);
}

#[tokio::test]
async fn monitor_confirm_unmonitors_what_plex_has_in_one_request() {
    let radarr = MemRadarr::default()
        .with_movie(1000, "Film 0", true)
        .with_movie(1001, "Film 1", false)
        .with_movie(7777, "Not in Plex", true);
    let world = World::new(
        MemPlex::new(doubled_library(2)),
        radarr,
        MemTmdb::default(),
        MemLlm::default(),
    );
    let mut settings = World::settings();
    settings.steps = only(StepKind::MonitorConfirm);
    let mut ctx = world.context(settings, date!(2026 - 11 - 24));
    let report = run(&mut ctx, &RunRequest::default(), &Quiet).await.unwrap();
    let step = report.step(StepKind::MonitorConfirm).unwrap();
    assert_eq!(
        (
            step.counter("radarr_movies"),
            step.counter("monitored"),
            step.counter("already_in_plex"),
            step.counter("unmonitored")
        ),
        (3, 2, 1, 1)
    );
    assert!(!world.radarr.movie(1000).unwrap().monitored);
    assert!(world.radarr.movie(7777).unwrap().monitored);
    assert_eq!(world.radarr.calls.count("radarr.edit_movies"), 1);
}

#[tokio::test]
async fn a_refresher_skips_and_reports_movies_plex_no_longer_has() {
    let world = World::new(
        MemPlex::new(doubled_library(3)),
        MemRadarr::default(),
        MemTmdb::default(),
        MemLlm::default(),
    );
    let mut book = PointsBook::default();
    for (tmdb, key, title) in [
        (1000, "100", "Film 0"),
        (1002, "102", "Film 2"),
        (9999, "999", "Deleted Film"),
    ] {
        book.movies.insert(
            TmdbId(tmdb),
            PointsEntry {
                title: title.into(),
                year: Some(2000),
                rating_key: Some(key.into()),
                points: 10,
                status: EntryStatus::Active,
                first_suggested: date!(2026 - 11 - 01),
                last_suggested: date!(2026 - 11 - 01),
            },
        );
    }
    DataDir::new(world.dir.path()).save_points(&book).unwrap();
    let mut settings = World::settings();
    settings.steps = only(StepKind::ImmaculateTasteRefresher);
    let mut ctx = world.context(settings, date!(2026 - 11 - 24));
    let report = run(&mut ctx, &RunRequest::default(), &Quiet).await.unwrap();
    let step = report.step(StepKind::ImmaculateTasteRefresher).unwrap();
    assert_eq!(step.counter("skipped_missing"), 1);
    assert!(
        step.notes.iter().any(|n| n.contains("Deleted Film")),
        "{:?}",
        step.notes
    );
    let collections = world.plex.collections.lock().unwrap();
    let (collection, members) = &collections[0];
    assert_eq!(collection.title, "Inspired by your Immaculate Taste");
    let mut members: Vec<_> = members.iter().map(|k| k.0.as_str()).collect();
    members.sort_unstable();
    assert_eq!(members, ["100", "102"]);
}

#[tokio::test]
async fn without_a_state_file_the_small_collections_are_left_alone() {
    let world = World::new(
        MemPlex::new(doubled_library(3)),
        MemRadarr::default(),
        MemTmdb::default(),
        MemLlm::default(),
    );
    {
        let mut collections = world.plex.collections.lock().unwrap();
        collections.push((
            plex_client::Collection {
                rating_key: plex_client::RatingKey("c1".into()),
                title: "Change of Taste".into(),
                child_count: 2,
                collection_sort: Some(plex_client::CollectionSort::Custom),
                smart: false,
                summary: None,
            },
            vec![
                plex_client::RatingKey("100".into()),
                plex_client::RatingKey("101".into()),
            ],
        ));
    }
    let mut settings = World::settings();
    settings.steps = only(StepKind::RecentlyWatchedRefresher);
    let mut ctx = world.context(settings, date!(2026 - 11 - 24));
    let report = run(&mut ctx, &RunRequest::default(), &Quiet).await.unwrap();
    let step = report.step(StepKind::RecentlyWatchedRefresher).unwrap();
    assert!(!step.failed(), "{step:#?}");
    assert!(
        step.notes.iter().any(|n| n.contains("holds no movies yet")),
        "{:?}",
        step.notes
    );
    assert_eq!(world.plex.calls.count("plex.remove_item"), 0);
    assert_eq!(world.plex.collections.lock().unwrap()[0].1.len(), 2);
}
