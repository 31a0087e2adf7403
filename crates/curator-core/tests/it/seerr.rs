//! `requests.via: seerr`: missing movies and shows go to the fake Seerr as
//! requests, nothing to Radarr or Sonarr; a title Seerr already has counts
//! as handed off; a refused title is reported alone and the others are
//! sent; approvals send the same way. Seerr's answers are those of
//! `seerr_client::fake` (Overseerr's `server/entity/MediaRequest.ts`).

use std::sync::Arc;

use curator_core::{
    EntryStatus, MediaKind, Outcome, RequestsVia, RunContext, Selection, Settings, StepKind,
    approval, run,
};
use curator_http::{TmdbId, TvdbId};
use radarr_client::fake::RadarrSeed;
use seerr_client::fake::{FakeSeerr, Fault, SeerrFlavor, SeerrSeed};
use seerr_client::{RequestStatus, SeerrApi};
use time::macros::date;

use crate::radarr::{ARRIVAL, TENET, World, outcome, plex, tmdb_catalogue};
use crate::tv;

const STEPS: &[StepKind] = &[StepKind::RecentlyWatched, StepKind::ImmaculateTaste];

fn via_seerr(settings: &mut Settings) {
    settings.requests = RequestsVia::Seerr;
}

async fn world(seerr: SeerrSeed) -> World {
    let mut world = World::start(plex(), RadarrSeed::new(), tmdb_catalogue()).await;
    world.seerr = Some(FakeSeerr::start(seerr).await);
    world.suggest(&[("Tenet", Some(2020)), ("Arrival", Some(2016))]);
    world
}

#[tokio::test]
async fn missing_movies_become_seerr_requests_once_and_radarr_is_not_asked() {
    let world = world(SeerrSeed::new()).await;
    let dir = tempfile::tempdir().unwrap();

    let first = world.run_in(dir.path(), STEPS, via_seerr).await;
    let second = world.run_in(dir.path(), STEPS, via_seerr).await;

    let seerr = world.seerr.as_ref().unwrap();
    assert_eq!(
        outcome(&first, StepKind::RecentlyWatched, TENET),
        Outcome::SentToSeerr
    );
    // The immaculate step suggests them again in the same run: Seerr
    // answers 409, which counts as handed off.
    assert_eq!(
        outcome(&first, StepKind::ImmaculateTaste, TENET),
        Outcome::AlreadyInSeerr
    );
    let step = first.step(StepKind::RecentlyWatched).unwrap();
    assert_eq!(step.counter("sent_to_seerr"), 2, "{step:#?}");
    assert!(!step.failed(), "{step:#?}");
    for report in [&first, &second] {
        for step in &report.steps {
            assert!(step.failures.is_empty(), "{step:#?}");
        }
    }
    assert_eq!(
        outcome(&second, StepKind::RecentlyWatched, ARRIVAL),
        Outcome::AlreadyInSeerr
    );
    // Exactly one request per movie, by TMDb id; Radarr was never asked.
    assert_eq!(seerr.requested(MediaKind::Movie), [TENET, ARRIVAL]);
    let body = &seerr.requests()[0].body;
    assert_eq!(body["mediaType"], "movie");
    assert_eq!(body["mediaId"], TENET.0);
    assert_eq!(world.radarr.stats().total(), 0);
    // curator still waits for them: pending in the points book.
    let book = match curator_core::DataDir::new(dir.path())
        .load_points()
        .unwrap()
    {
        curator_core::LoadedPoints::Current(book) => book,
        other => panic!("{other:?}"),
    };
    assert_eq!(book.movies[&TENET].status, EntryStatus::Pending);
}

#[tokio::test]
async fn a_refused_movie_is_reported_alone_and_the_others_are_sent() {
    let world = world(
        SeerrSeed::new()
            .flavor(SeerrFlavor::Jellyseerr)
            .blacklisted(MediaKind::Movie, TENET),
    )
    .await;

    let report = world.run(&[StepKind::RecentlyWatched], via_seerr).await;

    let step = report.step(StepKind::RecentlyWatched).unwrap();
    match outcome(&report, StepKind::RecentlyWatched, TENET) {
        Outcome::Failed(why) => assert!(why.contains("This media is blacklisted."), "{why}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        outcome(&report, StepKind::RecentlyWatched, ARRIVAL),
        Outcome::SentToSeerr
    );
    assert_eq!(step.counter("seerr_failed"), 1);
    assert!(
        step.failures.is_empty(),
        "a refusal is the title's: {step:#?}"
    );
    let seerr = world.seerr.as_ref().unwrap();
    assert_eq!(seerr.requested(MediaKind::Movie), [ARRIVAL]);
}

#[tokio::test]
async fn a_seerr_that_fails_is_one_step_failure_and_nothing_is_requested() {
    let world = world(SeerrSeed::new()).await;
    let seerr = world.seerr.as_ref().unwrap();
    seerr
        .faults()
        .always(seerr_client::op::REQUEST, Fault::Status(503));

    let report = world.run(&[StepKind::RecentlyWatched], via_seerr).await;

    let step = report.step(StepKind::RecentlyWatched).unwrap();
    let seerr_failures: Vec<_> = step
        .failures
        .iter()
        .filter(|f| f.starts_with("Seerr failed: "))
        .collect();
    assert_eq!(seerr_failures.len(), 1, "{step:#?}");
    assert!(seerr_failures[0].contains("503"), "{seerr_failures:?}");
    assert!(matches!(
        outcome(&report, StepKind::RecentlyWatched, ARRIVAL),
        Outcome::Failed(_)
    ));
    assert!(seerr.requests().is_empty());
    // Each title was tried once, none retried.
    assert_eq!(seerr.stats().count(seerr_client::op::REQUEST), 2);
}

#[tokio::test]
async fn a_dry_run_plans_the_requests_and_sends_none() {
    let world = world(SeerrSeed::new()).await;

    let report = world
        .run(&[StepKind::RecentlyWatched], |s| {
            via_seerr(s);
            s.dry_run = true;
        })
        .await;

    let step = report.step(StepKind::RecentlyWatched).unwrap();
    assert_eq!(
        outcome(&report, StepKind::RecentlyWatched, TENET),
        Outcome::WouldSendToSeerr
    );
    assert!(
        step.planned
            .iter()
            .any(|p| p == "request Tenet (2020) in Seerr"),
        "{step:#?}"
    );
    assert_eq!(world.seerr.as_ref().unwrap().stats().total(), 0);
}

#[tokio::test]
async fn approved_movies_go_to_seerr_the_way_a_run_sends_them() {
    let world = world(SeerrSeed::new()).await;
    let dir = tempfile::tempdir().unwrap();
    let held = |s: &mut Settings| {
        via_seerr(s);
        s.approval.movies = true;
    };

    let report = world
        .run_in(dir.path(), &[StepKind::RecentlyWatched], held)
        .await;
    assert_eq!(
        outcome(&report, StepKind::RecentlyWatched, TENET),
        Outcome::WaitingForApproval
    );
    let seerr = world.seerr.as_ref().unwrap();
    assert!(seerr.requests().is_empty());

    let ctx: RunContext = world.context(dir.path(), &[StepKind::RecentlyWatched], held);
    let id = format!("{}", TENET.0).parse().unwrap();
    let approved = approval::approve(&ctx, &Selection::Ids(vec![id]))
        .await
        .unwrap();

    assert_eq!(approved.titles[0].outcome, Outcome::SentToSeerr);
    assert_eq!(seerr.requested(MediaKind::Movie), [TENET]);
    assert_eq!(seerr.requests()[0].status, RequestStatus::Approved);
    let book = approval::load(&curator_core::DataDir::new(dir.path())).unwrap();
    let waiting: Vec<_> = book.waiting.iter().map(|h| h.tmdb_id).collect();
    assert_eq!(waiting, [ARRIVAL]);
    assert_eq!(world.radarr.stats().total(), 0);
}

#[tokio::test]
async fn missing_shows_become_seerr_requests_with_their_tvdb_id_and_sonarr_adds_nothing() {
    let servers = tv::servers().await;
    let seerr = FakeSeerr::start(SeerrSeed::new().show(TmdbId(70523), &[1, 2, 3])).await;
    let dir = tempfile::tempdir().unwrap();
    let context = |today| {
        let mut services = servers.services();
        services.seerr =
            Some(Arc::new(seerr.client_builder().build().unwrap()) as Arc<dyn SeerrApi>);
        // auto_download off keeps shows from Sonarr; Seerr gets them.
        let mut settings = tv::settings(false);
        settings.requests = RequestsVia::Seerr;
        RunContext::new(
            services,
            settings,
            curator_core::DataDir::new(dir.path()),
            today,
        )
    };

    let mut ctx = context(date!(2026 - 12 - 01));
    let first = run(&mut ctx, &tv::severance(), &curator_core::Quiet)
        .await
        .unwrap();
    let after_first = seerr.requests();
    let mut ctx = context(date!(2026 - 12 - 02));
    let second = run(&mut ctx, &tv::severance(), &curator_core::Quiet)
        .await
        .unwrap();

    let rw = StepKind::TvRecentlyWatched;
    assert_eq!(tv::outcome(&first, rw, "Dark"), Outcome::SentToSeerr);
    assert_eq!(tv::outcome(&first, rw, "The Wire"), Outcome::SentToSeerr);
    // TMDb has no TVDB id for it: Seerr's Sonarr could not add it.
    assert_eq!(
        tv::outcome(&first, rw, "Battlestar Galactica"),
        Outcome::NoTvdbId
    );
    assert_eq!(
        tv::outcome(&first, StepKind::TvImmaculateTaste, "Dark"),
        Outcome::AlreadyInSeerr
    );
    let dark = after_first
        .iter()
        .find(|r| r.tmdb_id == TmdbId(70523))
        .unwrap();
    assert_eq!(dark.kind, MediaKind::Show);
    assert_eq!(dark.tvdb_id, Some(TvdbId(334824)));
    assert_eq!(dark.seasons, [1, 2, 3]);
    assert_eq!(dark.body["seasons"], "all");
    // The next day sends nothing new.
    assert_eq!(tv::outcome(&second, rw, "Dark"), Outcome::AlreadyInSeerr);
    assert_eq!(seerr.requests(), after_first);
    // Sonarr added, changed and searched nothing.
    let sonarr = servers.sonarr.stats();
    assert_eq!(sonarr.count(sonarr_client::op::ADD_SERIES), 0);
    assert_eq!(sonarr.count(sonarr_client::op::UPDATE_SERIES), 0);
    assert_eq!(sonarr.count(sonarr_client::op::SEARCH_SERIES), 0);
    let book = tv::tv_points(dir.path());
    assert_eq!(book.movies[&TmdbId(70523)].status, EntryStatus::Pending);
}
