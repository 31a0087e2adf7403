//! The fault matrix: each service in turn answering 500, 401, a garbage
//! 200, hanging past the timeout, or refusing connections, while the real
//! binary runs against the four fakes. A service that fails is reported
//! once and not asked again; nothing is deleted, no collection shrinks, the
//! user's own collection is untouched, the steps that do not need the
//! service still work, and the run ends within a bound. Short timeouts (1 s)
//! keep it quick; docs/reliability.md has the figures.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use curator_http::RequestStats;
use curator_http::fake::Fault;
use llm_recs::SuggestionKind;
use plex_client::SectionKey;

use crate::support::{USER_COLLECTION, World, assert_no_secret, points_ids};

const COLLECTIONS: [&str; 3] = [
    "Based on your recently watched movie",
    "Change of Taste",
    "Inspired by your Immaculate Taste",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Service {
    Plex,
    Radarr,
    Tmdb,
    Llm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Status500,
    Status401,
    Garbage,
    Timeout,
    Refused,
}

const KINDS: [Kind; 5] = [
    Kind::Status500,
    Kind::Status401,
    Kind::Garbage,
    Kind::Timeout,
    Kind::Refused,
];

impl Service {
    fn name(self) -> &'static str {
        match self {
            Self::Plex => "Plex",
            Self::Radarr => "Radarr",
            Self::Tmdb => "TMDb",
            Self::Llm => "LLM",
        }
    }

    fn uri(self, world: &World) -> String {
        match self {
            Self::Plex => world.plex.uri(),
            Self::Radarr => world.radarr.uri(),
            Self::Tmdb => world.tmdb.uri(),
            Self::Llm => world.llm.base_url(),
        }
    }

    fn stats(self, world: &World) -> &RequestStats {
        match self {
            Self::Plex => world.plex.stats(),
            Self::Radarr => world.radarr.stats(),
            Self::Tmdb => world.tmdb.stats(),
            Self::Llm => world.llm.stats(),
        }
    }

    fn faults(self, world: &World) -> &curator_http::fake::Faults {
        match self {
            Self::Plex => world.plex.faults(),
            Self::Radarr => world.radarr.faults(),
            Self::Tmdb => world.tmdb.faults(),
            Self::Llm => world.llm.faults(),
        }
    }
}

/// A config with 1-second timeouts.
fn fast_config(world: &World) -> String {
    world.config_text().replace(
        "  request_seconds: 10\n",
        "  request_seconds: 1\n  connect_seconds: 1\n  llm_seconds: 1\n",
    )
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// What must survive a faulted run.
#[derive(Debug, PartialEq)]
struct Kept {
    collections: Vec<Vec<String>>,
    user: Vec<String>,
    points: Vec<u64>,
    plex_movies: usize,
    radarr: Vec<curator_http::TmdbId>,
}

fn kept(world: &World) -> Kept {
    Kept {
        collections: COLLECTIONS
            .iter()
            .map(|c| sorted(world.collection(c)))
            .collect(),
        user: world.collection(USER_COLLECTION),
        points: points_ids(&world.data_dir()),
        plex_movies: world.plex.movies(&SectionKey("1".into())).len(),
        radarr: world.radarr_ids(),
    }
}

fn step_status(report: &serde_json::Value, step: &str) -> String {
    report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["step"] == step)
        .map(|s| s["status"].as_str().unwrap_or_default().to_owned())
        .unwrap_or_else(|| panic!("no step {step}"))
}

async fn case(service: Service, kind: Kind) {
    let label = format!("{} {kind:?}", service.name());
    let world = World::start().await;
    std::fs::write(world.config_path(), fast_config(&world)).unwrap();
    world
        .curator(&["run", "Inception", "movie"])
        .await
        .assert_code(0);
    let before = kept(&world);
    assert!(
        before.collections.iter().all(|c| !c.is_empty()),
        "{before:?}"
    );

    // The second run asks for titles TMDb has not been asked about yet (not
    // in its cache) next to ones it has: a TMDb that fails on the new ones
    // used to shrink the collections to the cached ones.
    let s = |t: &str, y| llm_recs::Suggestion::new(t, Some(y));
    world.llm.script(
        "Inception",
        SuggestionKind::Similar,
        vec![
            s("Interstellar", 2014),
            s("The Prestige", 2006),
            s("Se7en", 1995),
            s("Fight Club", 1999),
            s("Pulp Fiction", 1994),
            s("Heat", 1995),
        ],
    );
    world.llm.script(
        "Inception",
        SuggestionKind::Contrast,
        vec![s("Amélie", 2001), s("Spirited Away", 2001)],
    );

    let fault = match kind {
        Kind::Status500 => Some(Fault::Status(500)),
        Kind::Status401 => Some(Fault::Status(401)),
        Kind::Garbage => Some(Fault::Garbage),
        Kind::Timeout => Some(Fault::Hang(Duration::from_secs(3))),
        Kind::Refused => None,
    };
    match &fault {
        Some(fault) => service.faults(&world).always("*", fault.clone()),
        None => {
            let dead = format!("http://127.0.0.1:{}", free_port());
            let text = fast_config(&world).replace(&service.uri(&world), &dead);
            std::fs::write(world.config_path(), text).unwrap();
        }
    }
    let asked_before = service.stats(&world).total();
    let report_path = world.dir.path().join("report.json");
    let started = Instant::now();
    let run = world
        .curator(&[
            "--report",
            report_path.to_str().unwrap(),
            "run",
            "Inception",
            "movie",
        ])
        .await;
    let took = started.elapsed();
    service.faults(&world).clear();
    let asked = service.stats(&world).total() - asked_before;
    let out = run.all();

    // Exit 3, in words, no secret, within a bound.
    assert_eq!(run.code, Some(3), "{label}: exit code\n{out}");
    assert_no_secret(&out);
    for debug in ["TmdbFailed", "Some(", "Http(", "{ op", "Status {"] {
        assert!(
            !out.contains(debug),
            "{label}: debug formatting {debug:?}\n{out}"
        );
    }
    assert!(
        took < Duration::from_secs(20),
        "{label}: took {took:?}\n{out}"
    );

    // Down for the rest of the run: one line says so, and the service was
    // asked only until it was marked down.
    let down_lines: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.contains("was not asked again in this run"))
        .collect();
    if service == Service::Llm && matches!(kind, Kind::Status500 | Kind::Timeout) {
        // One LLM request per run asks for every list, and a timed-out
        // completion is not sent again: a single 500 or timeout is not a
        // service down (a local server answers 500 to one request format
        // and works for the next), and nothing asks it again.
        assert!(down_lines.is_empty(), "{label}\n{out}");
        assert_eq!(asked, 1, "{label}: {asked} requests reached it\n{out}");
    } else if kind != Kind::Garbage {
        assert_eq!(down_lines.len(), 1, "{label}\n{out}");
        assert!(down_lines[0].contains(service.name()), "{label}\n{out}");
        assert!(asked <= 6, "{label}: {asked} requests reached it\n{out}");
    }
    // Grouped: the service is named in at most one line per step, not once
    // per movie.
    let naming = run
        .stdout
        .lines()
        .filter(|l| l.contains(&format!("{} failed", service.name())))
        .count();
    assert!(naming <= 7, "{label}: named in {naming} lines\n{out}");
    // A client's advice for a rejected key (Radarr's is three lines long)
    // is shown where it first happened, and at most repeated in the summary.
    let advice = run.stdout.matches("rejected the").count();
    assert!(advice <= 2, "{label}: the advice {advice} times\n{out}");

    // Nothing destructive.
    let after = kept(&world);
    assert_eq!(after.user, before.user, "{label}: the user's collection");
    assert_eq!(
        after.plex_movies, before.plex_movies,
        "{label}: Plex movies"
    );
    let had: BTreeSet<_> = before.radarr.iter().collect();
    assert!(
        had.is_subset(&after.radarr.iter().collect()),
        "{label}: Radarr lost movies"
    );
    let points: BTreeSet<_> = before.points.iter().collect();
    assert!(
        points.is_subset(&after.points.iter().collect()),
        "{label}: points lost {before:?} -> {after:?}"
    );

    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report_path).unwrap()).unwrap();
    match service {
        // The collections stay as they were.
        Service::Plex | Service::Tmdb => {
            assert_eq!(after.collections, before.collections, "{label}\n{out}");
        }
        // TMDb's suggestions fill the collections.
        Service::Llm => {
            assert!(after.collections.iter().all(|c| !c.is_empty()), "{label}");
            assert_eq!(step_status(&report, "recently-watched"), "done", "{label}");
            assert_eq!(step_status(&report, "immaculate-taste"), "done", "{label}");
        }
        // The collections are filled all the same.
        Service::Radarr => {
            assert!(
                after.collections[0].contains(&"Se7en".to_owned()),
                "{label}: {:?}\n{out}",
                after.collections
            );
            assert_eq!(step_status(&report, "recently-watched"), "done", "{label}");
        }
    }
    if service == Service::Tmdb {
        for step in [
            "duplicate-cleaner",
            "monitor-confirm",
            "recently-watched-refresher",
            "immaculate-taste-refresher",
        ] {
            assert_eq!(step_status(&report, step), "done", "{label}: {step}\n{out}");
        }
        assert_eq!(
            step_status(&report, "recently-watched"),
            "failed",
            "{label}"
        );
        assert_eq!(
            step_status(&report, "immaculate-taste"),
            "failed",
            "{label}"
        );
    }
    if service != Service::Plex {
        assert_eq!(
            step_status(&report, "recently-watched-refresher"),
            "done",
            "{label}\n{out}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tmdb_faults() {
    for kind in KINDS {
        case(Service::Tmdb, kind).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plex_faults() {
    for kind in KINDS {
        case(Service::Plex, kind).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn radarr_faults() {
    for kind in KINDS {
        case(Service::Radarr, kind).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn llm_faults() {
    for kind in KINDS {
        case(Service::Llm, kind).await;
    }
}

/// A TMDb that is down from the very first run: no collection is created
/// empty, no points book is written, and the run ends quickly.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_run_with_tmdb_down_creates_nothing_empty() {
    let world = World::start().await;
    let dead = format!("http://127.0.0.1:{}", free_port());
    let text = fast_config(&world).replace(&world.tmdb.uri(), &dead);
    std::fs::write(world.config_path(), text).unwrap();
    let started = Instant::now();
    let run = world.curator(&["run", "Inception", "movie"]).await;
    let took = started.elapsed();
    run.assert_code(3);
    assert!(
        took < Duration::from_secs(20),
        "took {took:?}\n{}",
        run.all()
    );
    for title in COLLECTIONS {
        assert!(
            world.plex.collection_key(title).is_none(),
            "{title} was created\n{}",
            run.all()
        );
    }
    assert!(
        !world.data_dir().join("recommendation_points.json").exists(),
        "{}",
        run.all()
    );
    assert_eq!(
        run.stdout
            .matches("TMDb failed and was not asked again")
            .count(),
        1,
        "{}",
        run.all()
    );
}
