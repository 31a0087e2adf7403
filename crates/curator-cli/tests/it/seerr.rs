//! `requests.via: seerr`: the binary sends missing movies and shows to the
//! fake Overseerr as requests, none to Radarr or Sonarr, and a second run
//! requests nothing new (Seerr answers repeats with 409 / 202, as
//! `server/routes/request.ts` does; see `seerr_client::fake`).

use curator_http::{MediaKind, TmdbId};
use seerr_client::fake::{FakeSeerr, SeerrSeed};

use crate::support::{World, assert_no_secret};

const SEERR_KEY: &str = "seerrKEY5ecret9c8b7a6f5e4d3c2b1a";
/// Inception's suggestions missing from Plex (similar, then contrast).
const TENET: TmdbId = TmdbId(577_922);
const FORREST_GUMP: TmdbId = TmdbId(13);
/// Severance's suggestions missing from the TV library.
const THE_EXPANSE: TmdbId = TmdbId(63_639);
const CHERNOBYL: TmdbId = TmdbId(87_108);

async fn world_with_seerr() -> (World, FakeSeerr) {
    let world = World::start_tv().await;
    let seerr = FakeSeerr::start(SeerrSeed::new().api_key(SEERR_KEY)).await;
    let text = format!(
        "{}requests:\n  via: seerr\nseerr:\n  url: \"{}\"\n  api_key: \"{SEERR_KEY}\"\n",
        world.config_text(),
        seerr.uri()
    );
    std::fs::write(world.config_path(), text).unwrap();
    (world, seerr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_via_seerr_requests_the_missing_movie_and_show_and_a_second_run_nothing_new() {
    let (world, seerr) = world_with_seerr().await;
    let sonarr = world.sonarr.as_ref().unwrap();
    let series_before = sonarr.series_list().len();

    for _ in 0..2 {
        let movie = world.curator(&["run", "Inception", "movie"]).await;
        movie.assert_code(0);
        let show = world
            .curator(&["run", "Severance - Good News About Hell", "episode"])
            .await;
        show.assert_code(0);
        for run in [&movie, &show] {
            assert!(run.stdout.contains("Seerr"), "{}", run.all());
            assert!(!run.all().contains(SEERR_KEY), "{}", run.all());
            assert_no_secret(&run.all());
        }
    }

    // One request per missing title, by TMDb id, though both runs were
    // made twice: the second got "already requested" / "no seasons left".
    let movies = seerr.requested(MediaKind::Movie);
    assert!(
        movies.contains(&TENET) && movies.contains(&FORREST_GUMP),
        "{movies:?}"
    );
    let shows = seerr.requested(MediaKind::Show);
    assert!(
        shows.contains(&THE_EXPANSE) && shows.contains(&CHERNOBYL),
        "{shows:?}"
    );
    let mut ids: Vec<_> = seerr
        .requests()
        .iter()
        .map(|r| (r.kind, r.tmdb_id))
        .collect();
    let all = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), all, "a title was requested twice");
    let expanse = seerr
        .requests()
        .into_iter()
        .find(|r| r.tmdb_id == THE_EXPANSE)
        .unwrap();
    assert_eq!(expanse.body["mediaType"], "tv");
    assert_eq!(expanse.body["tvdbId"], 280_619);
    assert_eq!(expanse.body["seasons"], "all");
    // Titles Plex has were never requested.
    assert!(
        !movies.contains(&TmdbId(157_336)),
        "Interstellar is in Plex"
    );
    // Nothing went to Radarr or Sonarr.
    assert!(world.radarr_ids().is_empty(), "{:?}", world.radarr_ids());
    assert_eq!(sonarr.series_list().len(), series_before);
    assert_eq!(sonarr.stats().count(sonarr_client::op::ADD_SERIES), 0);
    assert_eq!(world.radarr.stats().count(radarr_client::op::ADD_MOVIE), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_probes_seerr_and_says_when_the_key_is_wrong() {
    let (world, seerr) = world_with_seerr().await;

    let run = world.curator(&["check"]).await;
    run.assert_code(0);
    for wanted in [
        "Seerr 1.34.0 reachable",
        "the api key is accepted; requests go in as curator-admin",
    ] {
        assert!(run.stdout.contains(wanted), "{wanted}: {}", run.all());
    }
    assert_eq!(seerr.stats().count(seerr_client::op::STATUS), 1);
    assert_eq!(seerr.stats().count(seerr_client::op::ME), 1);
    assert!(seerr.requests().is_empty());

    let text = std::fs::read_to_string(world.config_path())
        .unwrap()
        .replace(SEERR_KEY, "wrong-seerr-key-123");
    std::fs::write(world.config_path(), text).unwrap();
    let run = world.curator(&["check"]).await;
    run.assert_code(3);
    assert!(
        run.stdout.contains("seerr.api_key is wrong"),
        "{}",
        run.all()
    );
    assert!(!run.all().contains("wrong-seerr-key-123"), "{}", run.all());
}
