//! curator side by side with the tool it replaces, measured the same way in
//! one run: `cargo bench -p curator-core --bench compare`.
//!
//! Each scenario is built twice from the same seed, once for each side.
//! curator runs its pipeline; the replaced tool's algorithms are replayed
//! by `baseline.rs` through the same clients. Both talk to the same fake
//! servers over HTTP, with the same latency model (`latency.rs`) on tokio's
//! paused clock, so "simulated time" is what the run would take against
//! real servers with those latencies, concurrency included, while the
//! bench itself takes seconds. Requests are what the fake servers
//! received; moves and renumbered positions are counted by the fake Plex.

mod baseline;
mod latency;
mod tv;

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use curator_core::{
    DataDir, EntryStatus, LibraryIndex, OrderMode, PointsBook, PointsEntry, Quiet, RadarrSettings,
    RunContext, RunRequest, Seed, Services, Settings, StepKind, StepToggles, run, shuffled,
};
use curator_http::TmdbId;
use latency::{Latency, LatentLlm, LatentPlex, LatentRadarr, LatentTmdb};
use llm_recs::fake::{FakeLlm, FakeLlmSeed};
use llm_recs::{Suggestion, SuggestionKind};
use plex_client::fake::{FakeCollection, FakePlex, PlexSeed};
use plex_client::{CollectionSort, MediaVersion, Movie, PlexApi, RatingKey, SectionKey, ops};
use radarr_client::QualityProfileId;
use radarr_client::fake::{FakeRadarr, RadarrSeed, SeedMovie};
use rand::SeedableRng;
use rand::rngs::StdRng;
use time::macros::date;
use tmdb_client::fake::{FakeMovie as TmdbMovie, FakeTmdb};

const LIBRARY: usize = 1300;
const COLLECTION: usize = 1250;
const IMMACULATE: &str = "Inspired by your Immaculate Taste";
const SEED: u64 = 7;

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .expect("runtime");
    // The scale test first, so the peak memory it reports is its own.
    let scale = index_scale();
    runtime.block_on(compare());
    // The show run talks to the fake servers in real time: the clients'
    // timeouts would fire at once on the paused clock.
    let real = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    real.block_on(show_run());
    println!();
    println!(
        "library index of {} movies: built in {} ms, peak RSS {:.0} MB (goal: under 1 s, under 200 MB)",
        thousands(scale.movies as u64),
        scale.millis,
        scale.peak_mb
    );
}

async fn compare() {
    println!(
        "{:<42} {:<13} {:>9} {:>7} {:>11} {:>15}",
        "scenario", "side", "requests", "moves", "renumbered", "simulated time"
    );
    for (name, order, wanted) in [
        (
            "refresh 1,250: 45 in, 5 out (head 50)",
            OrderMode::Head { head_size: 50 },
            5..1295,
        ),
        (
            "refresh 1,250: nothing changed",
            OrderMode::Head { head_size: 50 },
            0..COLLECTION,
        ),
        (
            "refresh 1,250: full shuffle",
            OrderMode::Full,
            0..COLLECTION,
        ),
    ] {
        let ours = {
            let world = World::refresh(COLLECTION).await;
            let data = world.book(wanted.clone());
            let mut ctx = world.context(&data, &[StepKind::ImmaculateTasteRefresher]);
            ctx.settings.refresh.immaculate_order = order;
            world
                .measure(async {
                    run(&mut ctx, &RunRequest::default(), &Quiet)
                        .await
                        .expect("run");
                })
                .await
        };
        let old = {
            let world = World::refresh(COLLECTION).await;
            let ordered = shuffled(
                &world.keys[wanted.clone()],
                &mut StdRng::seed_from_u64(SEED),
            );
            let plex = world.plex_api();
            world
                .measure(baseline::refresh(
                    plex.as_ref(),
                    "Movies",
                    IMMACULATE,
                    &ordered,
                ))
                .await
        };
        print_pair(name, &old, &ours);
    }

    {
        let name = "create a fresh 50-item collection";
        let ours = {
            let world = World::refresh(0).await;
            let data = world.book(COLLECTION..LIBRARY);
            let mut ctx = world.context(&data, &[StepKind::ImmaculateTasteRefresher]);
            ctx.settings.refresh.immaculate_order = OrderMode::Full;
            world
                .measure(async {
                    run(&mut ctx, &RunRequest::default(), &Quiet)
                        .await
                        .expect("run");
                })
                .await
        };
        let old = {
            let world = World::refresh(0).await;
            let ordered = shuffled(
                &world.keys[COLLECTION..LIBRARY],
                &mut StdRng::seed_from_u64(SEED),
            );
            let plex = world.plex_api();
            world
                .measure(baseline::refresh(
                    plex.as_ref(),
                    "Movies",
                    IMMACULATE,
                    &ordered,
                ))
                .await
        };
        print_pair(name, &old, &ours);
    }

    {
        let name = "resolve 50 suggestions, 10,000 movies";
        let ours = {
            let world = World::resolve().await;
            let data = world.empty_data();
            let ctx = &mut world.context(&data, &[StepKind::ImmaculateTaste]);
            world
                .measure(async {
                    run(ctx, &world.request(), &Quiet).await.expect("run");
                })
                .await
        };
        let old = {
            let world = World::resolve().await;
            let plex = world.plex_api();
            let llm = world.llm_api();
            world
                .measure(async {
                    let list =
                        baseline::suggest(llm.as_ref(), SEED_TITLE, SuggestionKind::Similar, 50)
                            .await;
                    let section = baseline::section(plex.as_ref(), "Movies").await;
                    baseline::resolve(plex.as_ref(), &section, &list).await;
                })
                .await
        };
        print_pair(name, &old, &ours);
    }

    {
        let name = "monitor confirm: 45 of 150 in Plex";
        let ours = {
            let world = World::monitor().await;
            let data = world.empty_data();
            let mut ctx = world.context(&data, &[StepKind::MonitorConfirm]);
            world
                .measure(async {
                    run(&mut ctx, &RunRequest::default(), &Quiet)
                        .await
                        .expect("run");
                })
                .await
        };
        let old = {
            let world = World::monitor().await;
            let plex = world.plex_api();
            let radarr = world.radarr_api();
            world
                .measure(baseline::monitor_confirm(
                    radarr.as_ref(),
                    plex.as_ref(),
                    "Movies",
                ))
                .await
        };
        print_pair(name, &old, &ours);
    }

    {
        let name = "whole run: 1,250-item collection";
        let ours = {
            let world = World::whole().await;
            let data = world.book(0..COLLECTION);
            let mut ctx = world.context(&data, &StepKind::ALL);
            world
                .measure(async {
                    run(&mut ctx, &world.request(), &Quiet).await.expect("run");
                })
                .await
        };
        let old = {
            let world = World::whole().await;
            world.measure(world.whole_baseline()).await
        };
        print_pair(name, &old, &ours);
    }
    println!();
    println!(
        "latency model: Plex {} ms a request, a move {} ms + {} ms per item of the collection; \
         Radarr {} ms, its movie list {} ms per movie more; TMDb {} ms; LLM {} s a completion",
        Latency::REALISTIC.plex.as_millis(),
        Latency::REALISTIC.move_base.as_millis(),
        Latency::REALISTIC.move_per_item.as_millis(),
        Latency::REALISTIC.radarr.as_millis(),
        Latency::REALISTIC.radarr_list_per_movie.as_millis(),
        Latency::REALISTIC.tmdb.as_millis(),
        Latency::REALISTIC.llm.as_secs(),
    );
    println!(
        "the replaced tool's whole run leaves out its duplicate cleaner (curator's is counted)"
    );
}

/// The other kind, through the same pipeline: what an episode run costs
/// (one LLM request, one library listing, one Sonarr series list, a TMDb
/// search per distinct title).
async fn show_run() {
    let show = tv::show_run().await;
    let total: u64 = show.requests.iter().map(|(_, n)| n).sum();
    let by_service: Vec<String> = show
        .requests
        .iter()
        .map(|(service, n)| format!("{service} {n}"))
        .collect();
    println!();
    println!(
        "episode run, TV library of 5 shows, {} titles suggested: curator {} requests ({})",
        show.suggested,
        thousands(total),
        by_service.join(", ")
    );
}

/// What one side cost in one scenario.
struct Measured {
    requests: u64,
    moves: u64,
    renumbered: u64,
    time: Duration,
}

fn print_pair(name: &str, old: &Measured, ours: &Measured) {
    let row = |scenario: &str, side: &str, m: &Measured| {
        println!(
            "{:<42} {:<13} {:>9} {:>7} {:>11} {:>15}",
            scenario,
            side,
            thousands(m.requests),
            thousands(m.moves),
            thousands(m.renumbered),
            duration(m.time)
        );
    };
    row(name, "replaced tool", old);
    row("", "curator", ours);
    println!(
        "{:<42} {:<13} {:>9} {:>7} {:>11} {:>15}",
        "",
        "ratio",
        ratio(old.requests as f64, ours.requests as f64),
        ratio(old.moves as f64, ours.moves as f64),
        ratio(old.renumbered as f64, ours.renumbered as f64),
        ratio(old.time.as_secs_f64(), ours.time.as_secs_f64()),
    );
}

fn ratio(old: f64, ours: f64) -> String {
    if ours == 0.0 {
        if old == 0.0 { "=".into() } else { "all".into() }
    } else {
        format!("{:.1}x", old / ours)
    }
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn duration(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs >= 3600.0 {
        format!(
            "{} h {:02} min",
            d.as_secs() / 3600,
            d.as_secs() % 3600 / 60
        )
    } else if secs >= 60.0 {
        format!("{} min {:02} s", d.as_secs() / 60, d.as_secs() % 60)
    } else {
        format!("{secs:.1} s")
    }
}

const SEED_TITLE: &str = "Generated Movie 0001";

/// Four fake servers, some of them absent, and the library's keys.
struct World {
    plex: Arc<FakePlex>,
    radarr: Option<FakeRadarr>,
    tmdb: Option<FakeTmdb>,
    llm: Option<FakeLlm>,
    keys: Vec<RatingKey>,
    /// Titles of movies Plex lacks, and their TMDb ids, for the whole-run
    /// baseline's Radarr lookups.
    missing: BTreeMap<String, TmdbId>,
    dir: tempfile::TempDir,
}

/// A generated library movie's title and year, as `PlexSeed::generated_movies` makes them.
fn generated(i: usize) -> (String, i32) {
    (format!("Generated Movie {i:04}"), 1950 + (i % 75) as i32)
}

impl World {
    async fn plex(seed: PlexSeed, radarr: Option<FakeRadarr>, tmdb: Option<FakeTmdb>) -> Self {
        let plex = Arc::new(FakePlex::start(seed).await);
        let keys = plex
            .movies(&SectionKey("1".into()))
            .into_iter()
            .map(|m| m.rating_key)
            .collect();
        Self {
            plex,
            radarr,
            tmdb,
            llm: None,
            keys,
            missing: BTreeMap::new(),
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// 1,300 movies; when `members` > 0, the immaculate collection holds
    /// the first `members` in custom order.
    async fn refresh(members: usize) -> Self {
        let mut seed = PlexSeed::new()
            .movie_section("1", "Movies")
            .generated_movies("1", LIBRARY);
        if members > 0 {
            let keys: Vec<String> = (0..members).map(|i| (1000 + i).to_string()).collect();
            seed = seed.collection(
                "1",
                FakeCollection::new(IMMACULATE)
                    .items(keys)
                    .sort(CollectionSort::Custom),
            );
        }
        Self::plex(seed, None, None).await
    }

    /// 10,000 movies; 50 suggestions, 40 of them in the library.
    async fn resolve() -> Self {
        let seed = PlexSeed::new()
            .movie_section("1", "Movies")
            .generated_movies("1", 10_000);
        let (list, catalog, missing) = suggestions("", (1..=40).map(|i| i * 250), 10);
        let mut world = Self::plex(seed, None, Some(FakeTmdb::start(catalog).await)).await;
        let llm = FakeLlm::start(FakeLlmSeed::new()).await;
        llm.script(SEED_TITLE, SuggestionKind::Similar, list);
        world.llm = Some(llm);
        world.missing = missing;
        world
    }

    /// 1,300 movies; Radarr monitors 150, 45 of which Plex has.
    async fn monitor() -> Self {
        let seed = PlexSeed::new()
            .movie_section("1", "Movies")
            .generated_movies("1", LIBRARY);
        Self::plex(seed, Some(FakeRadarr::start(radarr_seed()).await), None).await
    }

    /// The monitor world, the 1,250-item collection with its points, and
    /// the LLM's three lists: 15 similar and 15 opposite (12 in Plex each),
    /// 50 for the big collection (40 in Plex, 40 of those new to it).
    async fn whole() -> Self {
        let seed = PlexSeed::new()
            .movie_section("1", "Movies")
            .generated_movies("1", LIBRARY)
            .collection(
                "1",
                FakeCollection::new(IMMACULATE)
                    .items((0..COLLECTION).map(|i| (1000 + i).to_string()))
                    .sort(CollectionSort::Custom),
            );
        let (similar, mut catalog, mut missing) = suggestions("Near", (2..14).map(|i| i * 7), 3);
        let (contrast, more, far) = suggestions("Far", (2..14).map(|i| i * 11 + 300), 3);
        let (deep, most, deeper) = suggestions("Deep", 1251..1291, 10);
        catalog.extend(more);
        catalog.extend(most);
        missing.extend(far);
        missing.extend(deeper);
        let mut radarr = radarr_seed();
        for (title, id) in &missing {
            radarr = radarr.catalogue(SeedMovie::new(*id, title.clone(), 2001));
        }
        let mut world = Self::plex(
            seed,
            Some(FakeRadarr::start(radarr).await),
            Some(FakeTmdb::start(catalog).await),
        )
        .await;
        let llm = FakeLlm::start(FakeLlmSeed::new()).await;
        llm.script(SEED_TITLE, SuggestionKind::Similar, similar);
        llm.script(SEED_TITLE, SuggestionKind::Similar, deep);
        llm.script(SEED_TITLE, SuggestionKind::Contrast, contrast);
        world.llm = Some(llm);
        world.missing = missing;
        world
    }

    fn plex_api(&self) -> Arc<dyn PlexApi> {
        Arc::new(LatentPlex {
            inner: self.plex.client().expect("plex client"),
            fake: Arc::clone(&self.plex),
            latency: Latency::REALISTIC,
        })
    }

    fn radarr_api(&self) -> Arc<dyn radarr_client::RadarrApi> {
        let radarr = self.radarr.as_ref().expect("radarr");
        Arc::new(LatentRadarr {
            inner: radarr.client_builder().build().expect("radarr client"),
            stats: radarr.stats().clone(),
            latency: Latency::REALISTIC,
        })
    }

    fn llm_api(&self) -> Arc<dyn llm_recs::Recommender> {
        let llm = self.llm.as_ref().expect("llm");
        Arc::new(LatentLlm {
            inner: llm
                .client_builder("bench-model")
                .build()
                .expect("llm client"),
            latency: Latency::REALISTIC,
        })
    }

    fn services(&self) -> Services {
        Services {
            plex: Some(self.plex_api()),
            radarr: self.radarr.as_ref().map(|_| self.radarr_api()),
            tmdb: self.tmdb.as_ref().map(|tmdb| {
                Arc::new(LatentTmdb::new(tmdb.client(), Latency::REALISTIC))
                    as Arc<dyn tmdb_client::TmdbApi>
            }),
            llm: self.llm.as_ref().map(|_| self.llm_api()),
            sonarr: None,
            tmdb_tv: None,
            seerr: None,
        }
    }

    fn empty_data(&self) -> DataDir {
        DataDir::new(self.dir.path())
    }

    /// A data directory whose points book holds the library's movies in `range`.
    fn book(&self, range: std::ops::Range<usize>) -> DataDir {
        let data = self.empty_data();
        let mut book = PointsBook::default();
        for (i, key) in self.keys[range].iter().enumerate() {
            let movie = self.plex.movie(key).expect("seeded movie");
            book.movies.insert(
                movie.tmdb_id.expect("generated movies have TMDb ids"),
                PointsEntry {
                    title: movie.title,
                    year: movie.year.map(i32::from),
                    rating_key: Some(key.0.clone()),
                    points: 1 + (i % 50) as u32,
                    status: EntryStatus::Active,
                    first_suggested: date!(2026 - 01 - 01),
                    last_suggested: date!(2026 - 11 - 01),
                },
            );
        }
        data.save_points(&book).expect("points");
        data
    }

    fn context(&self, data: &DataDir, steps: &[StepKind]) -> RunContext {
        let mut settings = Settings {
            steps: StepToggles::only(steps),
            radarr: Some(RadarrSettings {
                root_folder: "/movies".into(),
                quality_profile_id: QualityProfileId(1),
                minimum_availability: Default::default(),
                search_on_add: true,
            }),
            ..Settings::default()
        };
        settings.movie_library = "Movies".into();
        settings.refresh.seed = Some(SEED);
        RunContext::new(
            self.services(),
            settings,
            data.clone(),
            date!(2026 - 11 - 24),
        )
    }

    fn request(&self) -> RunRequest {
        let (title, year) = generated(1);
        RunRequest {
            seed: Some(Seed {
                title,
                year: Some(year),
                ..Seed::default()
            }),
            only: None,
        }
    }

    fn requests(&self) -> u64 {
        self.plex.stats().total()
            + self.radarr.as_ref().map_or(0, |r| r.stats().total())
            + self.tmdb.as_ref().map_or(0, |t| t.stats().total())
            + self.llm.as_ref().map_or(0, |l| l.stats().total())
    }

    fn reset(&self) {
        self.plex.stats().reset();
        if let Some(r) = &self.radarr {
            r.stats().reset();
        }
        if let Some(t) = &self.tmdb {
            t.stats().reset();
        }
        if let Some(l) = &self.llm {
            l.stats().reset();
        }
    }

    async fn measure(&self, work: impl Future<Output = impl Sized>) -> Measured {
        self.reset();
        let renumbered = self.plex.renumbered();
        let started = tokio::time::Instant::now();
        work.await;
        let time = started.elapsed();
        Measured {
            requests: self.requests(),
            moves: self.plex.stats().count(ops::MOVE_ITEM),
            renumbered: self.plex.renumbered() - renumbered,
            time,
        }
    }

    /// The replaced tool's whole run: its three LLM lists, its resolution
    /// and Radarr hand-off per title, its monitor confirm and its
    /// refreshers.
    async fn whole_baseline(&self) {
        let plex = self.plex_api();
        let radarr = self.radarr_api();
        let llm = self.llm_api();
        let (plex, radarr, llm) = (plex.as_ref(), radarr.as_ref(), llm.as_ref());
        let section = baseline::section(plex, "Movies").await;
        let mut lists = Vec::new();
        for (kind, count) in [
            (SuggestionKind::Similar, 15),
            (SuggestionKind::Contrast, 15),
            (SuggestionKind::Similar, 50),
        ] {
            let list = baseline::suggest(llm, SEED_TITLE, kind, count).await;
            let found = baseline::resolve(plex, &section, &list).await;
            for s in &list {
                if let Some(id) = self.missing.get(&s.title) {
                    baseline::hand_to_radarr(radarr, *id).await;
                }
            }
            lists.push(found);
        }
        baseline::monitor_confirm(radarr, plex, "Movies").await;
        let mut rng = StdRng::seed_from_u64(SEED);
        let settings = Settings::default();
        let names = [
            settings.collections.recently_watched.as_str(),
            settings.collections.change_of_taste.as_str(),
        ];
        for (name, found) in names.into_iter().zip(&lists) {
            baseline::refresh(plex, "Movies", name, &shuffled(found, &mut rng)).await;
        }
        let mut big: Vec<RatingKey> = self.keys[..COLLECTION].to_vec();
        big.extend(lists[2].iter().cloned());
        baseline::refresh(plex, "Movies", IMMACULATE, &shuffled(&big, &mut rng)).await;
    }
}

/// Suggestions of library movies `in_library` (generated numbers) and
/// `invented` movies Plex lacks, with the TMDb catalogue that knows them
/// all and the invented titles' ids.
fn suggestions(
    prefix: &str,
    in_library: impl Iterator<Item = usize>,
    invented: usize,
) -> (Vec<Suggestion>, Vec<TmdbMovie>, BTreeMap<String, TmdbId>) {
    let mut list = Vec::new();
    let mut catalog = vec![{
        let (title, year) = generated(1);
        TmdbMovie::new(900_001, &title, year).genres(&[18])
    }];
    let mut missing = BTreeMap::new();
    for i in in_library {
        let (title, year) = generated(i);
        catalog.push(TmdbMovie::new(900_000 + i as u32, &title, year).genres(&[18]));
        list.push(Suggestion::new(title, Some(year)));
    }
    let base = 800_000 + prefix.len() as u32 * 1000;
    for k in 0..invented {
        let title = format!("{prefix} Missing Movie {k}");
        let id = base + k as u32;
        catalog.push(TmdbMovie::new(id, &title, 2001).genres(&[18]));
        missing.insert(title.clone(), TmdbId(id));
        list.push(Suggestion::new(title, Some(2001)));
    }
    (list, catalog, missing)
}

/// Radarr with 150 monitored movies: 45 Plex has (with files), 105 it lacks.
fn radarr_seed() -> RadarrSeed {
    let mut seed = RadarrSeed::new()
        .root_folder("/movies")
        .quality_profile(1, "HD-1080p");
    for i in 1..=45 {
        let (title, year) = generated(i * 20);
        seed = seed.movie(
            SeedMovie::new(TmdbId(900_000 + (i * 20) as u32), title, year)
                .monitored(true)
                .has_file(true),
        );
    }
    for i in 1..=105 {
        seed = seed.movie(
            SeedMovie::new(TmdbId(700_000 + i), format!("Wanted Movie {i}"), 2024).monitored(true),
        );
    }
    seed
}

struct Scale {
    movies: usize,
    millis: u128,
    peak_mb: f64,
}

/// Builds the library index of 100,000 movies (each with TMDb and IMDb
/// ids and one version) and reports the time and the process's peak
/// memory, the movies themselves included.
fn index_scale() -> Scale {
    const MOVIES: usize = 100_000;
    reset_peak_rss();
    let movies: Vec<Movie> = (0..MOVIES)
        .map(|i| {
            let mut movie: Movie = serde_json::from_value(serde_json::json!({
                "rating_key": (10_000 + i).to_string(),
                "title": format!("Generated Movie {i:06}"),
                "original_title": null,
                "year": 1950 + (i % 75) as u16,
                "added_at": 1_700_000_000 + i as i64,
                "guid": format!("plex://movie/{i:024x}"),
                "tmdb_id": 1_000_000 + i as u32,
                "imdb_id": format!("tt{:08}", i),
                "section": "1",
                "media": [],
            }))
            .expect("a movie");
            movie.media.push(version(i));
            movie
        })
        .collect();
    let started = std::time::Instant::now();
    let index = LibraryIndex::new(SectionKey("1".into()), movies);
    let millis = started.elapsed().as_millis();
    assert_eq!(index.len(), MOVIES);
    Scale {
        movies: MOVIES,
        millis,
        peak_mb: peak_rss_mb(),
    }
}

fn version(i: usize) -> MediaVersion {
    serde_json::from_value(serde_json::json!({
        "id": i as u64,
        "video_resolution": "1080",
        "bitrate": 10_000,
        "width": 1920,
        "height": 1080,
        "optimized": false,
        "parts": [{
            "id": i as u64,
            "file": format!("/movies/Generated Movie {i:06}/Generated.Movie.{i:06}.1080p.mkv"),
            "size": 12_000_000_000u64,
        }],
    }))
    .expect("a version")
}

/// Resets the kernel's peak-memory mark for this process (Linux).
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Peak resident memory of this process (Linux), in MB; 0 elsewhere.
fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}
