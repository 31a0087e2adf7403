//! `curator demo`: the whole pipeline, in-process, against the fake Plex,
//! Radarr, Sonarr, TMDb and LLM servers, seeded from the demo catalogue and
//! LLM scripts shipped in `demo/` (movies) and from the clients' fakes (a
//! TV library of real shows, TMDb's TV catalogue, a Sonarr). No network,
//! no keys. `curator demo --show "Severance"` is an episode's run.

mod data;

use std::path::Path;

use curator_core::{
    CollectionNames, DataDir, POINTS_FILE, RadarrSettings, RunRequest, Seed, Settings,
    SmallCollection, SonarrSettings, TMDB_CACHE_FILE, TvSettings,
};
use curator_http::{MediaKind, Secret, TmdbId};
use llm_recs::SuggestionKind;
use llm_recs::fake::{FakeLlm, FakeLlmSeed};
use plex_client::fake::{Agent, FakeMovie as PlexMovie, FakePlex, FakeVersion, PlexSeed};
use radarr_client::fake::{DEFAULT_API_KEY, FakeRadarr, RadarrSeed, SeedMovie as RadarrMovie};
use radarr_client::{MinimumAvailability, QualityProfileId};
use sonarr_client::fake::{FakeSonarr, SonarrSeed};
use tmdb_client::fake::{FakeTmdb, sample_tv_catalog};

use std::sync::Arc;

use curator_app::{
    Config, Heading, LlmConn, PlexConn, RadarrConn, RunJob, ServeSettings, SonarrConn, Timeouts,
    TmdbConn,
};

use crate::cli::{DemoArgs, Global};
use crate::commands::{execute, printer};
use crate::error::{Done, Failure};
use crate::output::{Console, Printer};

use data::{Catalog, Script, ScriptSeed};

/// The demo's movies, as shipped.
const CATALOG_JSON: &str = include_str!("../demo/catalog.json");
/// What the demo's LLM answers, per seed, as shipped.
const SCRIPT_JSON: &str = include_str!("../demo/llm_script.json");
/// What it answers for shows (their titles are the clients' fakes' real
/// shows: the fake Plex's sample TV library, TMDb's TV catalogue and
/// Sonarr's).
const TV_SCRIPT_JSON: &str = include_str!("../demo/tv_script.json");

const SECTION: &str = "1";
const LIBRARY: &str = "Movies";
const TV_SECTION: &str = "2";
const TV_LIBRARY: &str = "TV Shows";

/// The five fake servers, seeded.
struct Fakes {
    plex: FakePlex,
    radarr: FakeRadarr,
    sonarr: FakeSonarr,
    tmdb: FakeTmdb,
    llm: FakeLlm,
}

async fn start_fakes(catalog: &Catalog, script: &Script, tv_script: &Script) -> Fakes {
    let mut plex_seed = PlexSeed::new()
        .allow_media_deletion(true)
        .movie_section(SECTION, LIBRARY)
        .show_section(TV_SECTION, TV_LIBRARY)
        .sample_shows(TV_SECTION);
    let mut radarr_seed = RadarrSeed::new()
        .root_folder("/movies")
        .quality_profile(1, "Any")
        .quality_profile(4, "HD-1080p");
    for movie in &catalog.movies {
        for copy in 0..if movie.in_plex {
            movie.duplicate_items.max(1)
        } else {
            0
        } {
            let imdb = movie
                .imdb_id
                .as_deref()
                .filter(|id| curator_http::ImdbId::parse(id).is_some());
            let mut item = PlexMovie::new(movie.title.clone(), movie.plex_year()).tmdb(movie.id);
            if let Some(imdb) = imdb {
                item = item.imdb(imdb);
            }
            if movie.legacy_agent {
                item = item.agent(if imdb.is_some() {
                    Agent::LegacyImdb
                } else {
                    Agent::LegacyTmdb
                });
            }
            for v in &movie.versions {
                let mut version = FakeVersion::new(&v.resolution);
                if let Some(kbps) = v.bitrate {
                    version = version.bitrate(kbps);
                }
                if let Some(codec) = &v.codec {
                    version = version.codec(codec);
                }
                if let Some(file) = &v.file {
                    version = version.part(file.clone(), v.size.unwrap_or(0));
                }
                if let Some(target) = &v.optimized {
                    version = version.optimized(target);
                }
                item = item.version(version);
            }
            if copy > 0 && movie.versions.is_empty() {
                // A second item of the same film is a second download, in a
                // folder of its own and of lower quality.
                let folder = format!("{} ({}) [{copy}]", movie.title, movie.plex_year());
                item = item.version(FakeVersion::new("720").part(
                    format!("/movies/{folder}/{folder} WEBDL-720p.mkv"),
                    4_400_000_000,
                ));
            }
            plex_seed = plex_seed.movie(SECTION, item);
        }
        for edition in movie.editions.iter().filter(|_| movie.in_plex) {
            // Each edition is an item of its own, sharing the film's ids.
            let name = format!(
                "{} ({}) {{edition-{edition}}}",
                movie.title,
                movie.plex_year()
            );
            let mut item = PlexMovie::new(movie.title.clone(), movie.plex_year())
                .tmdb(movie.id)
                .edition(edition.clone())
                .version(FakeVersion::new("1080").part(
                    format!("/movies/{name}/{name} Bluray-1080p.mkv"),
                    13_100_000_000,
                ));
            if let Some(imdb) = movie
                .imdb_id
                .as_deref()
                .filter(|id| curator_http::ImdbId::parse(id).is_some())
            {
                item = item.imdb(imdb);
            }
            plex_seed = plex_seed.movie(SECTION, item);
        }
        let mut entry = RadarrMovie::new(
            TmdbId(movie.id),
            movie.title.clone(),
            movie.year.unwrap_or(0),
        );
        if let Some(imdb) = &movie.imdb_id {
            entry = entry.imdb(imdb.clone());
        }
        radarr_seed = radarr_seed.catalogue(entry);
    }
    let llm_seed = FakeLlmSeed::new().with_catalogue(
        catalog
            .movies
            .iter()
            .filter_map(|m| Some((m.title.clone(), m.year?))),
    );
    let (plex, radarr, sonarr, tmdb, llm) = tokio::join!(
        FakePlex::start(plex_seed),
        FakeRadarr::start(radarr_seed),
        FakeSonarr::start(SonarrSeed::demo()),
        FakeTmdb::start_with(catalog.tmdb_movies(), sample_tv_catalog()),
        FakeLlm::start(llm_seed),
    );
    for seed in &script.seeds {
        // The immaculate-taste request is a longer "similar" request: the
        // fake answers each request with the scripted list of its size.
        llm.script(&seed.title, SuggestionKind::Similar, seed.similar.clone());
        llm.script(
            &seed.title,
            SuggestionKind::Similar,
            seed.immaculate.clone(),
        );
        llm.script(&seed.title, SuggestionKind::Contrast, seed.contrast.clone());
    }
    for seed in &tv_script.seeds {
        for (kind, list) in [
            (SuggestionKind::Similar, &seed.similar),
            (SuggestionKind::Similar, &seed.immaculate),
            (SuggestionKind::Contrast, &seed.contrast),
        ] {
            llm.script_shows(&seed.title, kind, list.clone());
        }
    }
    Fakes {
        plex,
        radarr,
        sonarr,
        tmdb,
        llm,
    }
}

/// A config pointing at the fakes: the CLI's own wiring builds the clients.
fn config_for(fakes: &Fakes, settings: Settings) -> Config {
    Config {
        source: None,
        plex: Some(PlexConn {
            url: fakes.plex.uri(),
            token: fakes.plex.token(),
        }),
        radarr: Some(RadarrConn {
            url: fakes.radarr.uri(),
            api_key: Secret::new(DEFAULT_API_KEY),
        }),
        sonarr: Some(SonarrConn {
            url: fakes.sonarr.uri(),
            api_key: Secret::new(fakes.sonarr.api_key()),
        }),
        // The demo sends to Radarr and Sonarr, as a default config does.
        seerr: None,
        tmdb: Some(TmdbConn {
            base_url: fakes.tmdb.uri(),
            image_base_url: fakes.tmdb.image_base_url(),
            api_key: Secret::new(FakeTmdb::API_KEY),
            // A local fake needs no pacing.
            requests_per_second: Some(0),
        }),
        llm: Some(LlmConn {
            base_url: fakes.llm.base_url(),
            api_key: None,
            model: "demo-model".to_owned(),
            temperature: None,
            structured_output: None,
            reasoning_effort: None,
        }),
        files: Default::default(),
        delete_preference_notice: None,
        settings,
        timeouts: Timeouts::default(),
        serve: ServeSettings::default(),
        notifications: Vec::new(),
        notices: Vec::new(),
    }
}

/// The settings of a demo run for `seed`: the script's list lengths as the
/// counts, a fixed shuffle so the output is the same every time.
fn settings_for(seed: Option<&ScriptSeed>, dry_run: bool) -> Settings {
    let mut settings = Settings {
        movie_library: LIBRARY.to_owned(),
        radarr: Some(RadarrSettings {
            root_folder: "/movies".to_owned(),
            quality_profile_id: QualityProfileId(1),
            minimum_availability: MinimumAvailability::Released,
            search_on_add: true,
        }),
        tv: Some(TvSettings {
            library: TV_LIBRARY.to_owned(),
            collections: CollectionNames::tv(),
            sonarr: Some(SonarrSettings {
                // The demo shows the hand-off (the config's default is
                // pending only).
                auto_download: true,
                ..SonarrSettings::new("/tv", QualityProfileId(4))
            }),
        }),
        dry_run,
        ..Settings::default()
    };
    settings.refresh.seed = Some(2024);
    if let Some(seed) = seed {
        let r = &mut settings.recommend;
        if !seed.similar.is_empty() {
            r.similar_count = seed.similar.len();
        }
        if !seed.contrast.is_empty() {
            r.contrast_count = seed.contrast.len();
        }
        if !seed.immaculate.is_empty() {
            r.immaculate_count = seed.immaculate.len();
        }
    }
    settings
}

/// Runs `curator demo`.
///
/// # Errors
/// The shipped demo data cannot be read (a bug), or the data directory
/// given cannot be used.
pub(crate) async fn demo(global: &Global, args: &DemoArgs) -> Result<Done, Failure> {
    let out = printer(global);
    let catalog = Catalog::parse(CATALOG_JSON)
        .map_err(|e| Failure::Fatal(format!("the demo catalogue is damaged: {e}")))?;
    let script = Script::parse(SCRIPT_JSON)
        .map_err(|e| Failure::Fatal(format!("the demo LLM script is damaged: {e}")))?;
    let tv_script = Script::parse(TV_SCRIPT_JSON)
        .map_err(|e| Failure::Fatal(format!("the demo TV script is damaged: {e}")))?;
    let (seed, scripted) = match &args.show {
        Some(show) => {
            let seed = show_seed_for(show, &tv_script);
            let scripted = tv_script.find(&seed.title);
            (seed, scripted)
        }
        None => {
            let title = args
                .title
                .clone()
                .or_else(|| script.seeds.first().map(ScriptSeed::label))
                .ok_or_else(|| Failure::Fatal("the demo LLM script has no seed".into()))?;
            let seed = seed_for(&title, &catalog, &script);
            let scripted = script.find(&seed.title);
            (seed, scripted)
        }
    };

    // The demo's answers are fake: they must never reach real state. So
    // $CURATOR_DATA_DIR is ignored, and a directory named on the command
    // line must hold no curator state.
    let temp;
    let data_dir = match global.data_dir.as_ref() {
        Some(dir) if global.data_dir_on_command_line => {
            refuse_real_state(dir)?;
            dir.clone()
        }
        _ => {
            temp = tempfile::Builder::new()
                .prefix("curator-demo-")
                .tempdir()
                .map_err(|e| Failure::Fatal(format!("cannot create a temporary directory: {e}")))?;
            temp.path().to_owned()
        }
    };

    let fakes = start_fakes(&catalog, &script, &tv_script).await;
    let mut config = config_for(&fakes, settings_for(scripted, global.dry_run));
    if let Some(url) = &args.llm_url {
        // A real server: its answers are its own, so the counts are the
        // config's defaults, not the script's list lengths.
        config.settings = settings_for(None, global.dry_run);
        if let Some(llm) = config.llm.as_mut() {
            llm.base_url = url.clone();
            llm.model = args.llm_model.clone();
        }
    }
    config.settings.approval.movies = args.require_approval;
    let in_plex = catalog.movies.iter().filter(|m| m.in_plex).count();
    let shows = fakes.plex.shows(&TV_SECTION.into()).len();
    let mut detail = vec![
        format!(
            "demo: fake Plex ({in_plex} movies, {shows} shows), Radarr, Sonarr, TMDb ({} movies) and LLM on this machine; no network, no keys",
            catalog.movies.len()
        ),
        format!("state in {}", data_dir.display()),
    ];
    if let Some(url) = &args.llm_url {
        detail.push(format!("suggestions from the real LLM server at {url}"));
    } else if scripted.is_none() {
        detail.push(format!(
            "{:?} is not one of the scripted seeds, so the fake LLM picks from its catalogue",
            seed.title
        ));
    }
    if global.dry_run {
        detail.push("dry run: nothing will be changed".into());
    }
    if args.require_approval {
        detail.push("missing movies wait for approval (`curator approvals`, or the page)".into());
    }
    if args.serve {
        return serve_demo(config, &data_dir, &seed, args, out, detail).await;
    }
    let flags = [
        ("Plex", true),
        ("Radarr", true),
        ("Sonarr", true),
        ("TMDb", true),
        ("LLM", true),
    ];
    let watched = match seed.kind {
        MediaKind::Movie => format!("watched {}", seed.label()),
        MediaKind::Show => format!("watched an episode of {}", seed.label()),
    };
    let job = RunJob {
        settings: config.settings.clone(),
        request: RunRequest {
            seed: Some(seed.clone()),
            only: None,
        },
        data: DataDir::new(&data_dir),
        lock_timeout: config.timeouts.lock,
        job: None,
        heading: Heading {
            title: watched,
            detail,
            services: &flags,
        },
    };
    let ran = execute(
        job,
        |data| curator_app::services(&config, data),
        out,
        global.report.as_deref(),
        None,
    )
    .await?;
    match seed.kind {
        MediaKind::Movie => print_results(&out, &fakes, &config.settings, &catalog),
        MediaKind::Show => print_tv_results(&out, &fakes, &config.settings),
    }
    out.line("");
    let mut others: Vec<String> = script
        .seeds
        .iter()
        .filter(|s| !s.title.eq_ignore_ascii_case(&seed.title))
        .take(3)
        .map(|s| format!("curator demo {:?}", s.title))
        .collect();
    if seed.kind == MediaKind::Movie
        && let Some(show) = tv_script.seeds.first()
    {
        others.push(format!("curator demo --show {:?}", show.title));
    }
    if !others.is_empty() {
        out.line(format!("Try another: {}", others.join(" · ")));
    }
    Ok(ran.done)
}

/// `curator demo --serve`: the server on the demo's fakes and data; the
/// demo's run is its first job.
async fn serve_demo(
    mut config: Config,
    data_dir: &Path,
    seed: &Seed,
    args: &DemoArgs,
    out: Printer,
    mut banner: Vec<String>,
) -> Result<Done, Failure> {
    // Listening beyond loopback needs a token, as `curator serve` does.
    config.serve.token = std::env::var("CURATOR_SERVE_TOKEN")
        .ok()
        .filter(|t| !curator_app::is_unset(t))
        .map(Secret::new);
    // Behind a reverse proxy at a sub-path, as `curator serve` reads it.
    if let Ok(value) = std::env::var("CURATOR_BASE_PATH") {
        config.serve.base_path = curator_app::parse_base_path(&value)
            .map_err(|why| Failure::Usage(format!("$CURATOR_BASE_PATH: {why}")))?;
    }
    // Someone trying the demo runs the same title again from the page:
    // only a job still waiting or running takes a repeat in.
    config.serve.coalesce = std::time::Duration::ZERO;
    banner.push("open the address above in a browser; Ctrl-C stops the demo".into());
    curator_serve::run(curator_serve::Server {
        config,
        data: DataDir::new(data_dir),
        listen: args.listen.clone(),
        out: Arc::new(Console::new(out)),
        on_start: vec![(curator_serve::JobSpec::watched(seed), "demo".into())],
        banner,
        demo: true,
    })
    .await?;
    Ok(Done::Ok)
}

/// The files a real data directory holds.
fn state_files() -> [&'static str; 4] {
    [
        POINTS_FILE,
        SmallCollection::RecentlyWatched.file_name(),
        SmallCollection::ChangeOfTaste.file_name(),
        TMDB_CACHE_FILE,
    ]
}

/// Refuses a data directory that holds curator state: the demo would write
/// its fake answers over it.
fn refuse_real_state(dir: &Path) -> Result<(), Failure> {
    let found: Vec<&str> = state_files()
        .into_iter()
        .filter(|name| dir.join(name).exists())
        .collect();
    if found.is_empty() {
        return Ok(());
    }
    Err(Failure::Usage(format!(
        "the demo will not use {}: it holds curator state ({}), which the demo's fake answers would change; \
         give an empty or new directory with --data-dir, or leave --data-dir out for a temporary one",
        dir.display(),
        found.join(", ")
    )))
}

/// The seed for a title: its year and TMDb id from the script or catalogue.
fn seed_for(title: &str, catalog: &Catalog, script: &Script) -> Seed {
    let (bare, year) = curator_app::split_title_year(title);
    let scripted = script.find(&bare);
    let year = year.or(scripted.and_then(|s| s.year));
    let found = catalog.find(&bare, year);
    Seed {
        title: scripted.map_or_else(
            || found.map_or(bare.clone(), |m| m.title.clone()),
            |s| s.title.clone(),
        ),
        year: year.or(found.and_then(|m| m.year)),
        tmdb_id: found.map(|m| TmdbId(m.id)),
        ..Seed::default()
    }
}

/// The seed of an episode of `title`: the show, its year from the TV
/// script when it names it.
fn show_seed_for(title: &str, tv_script: &Script) -> Seed {
    let (bare, year) = curator_app::split_title_year(title);
    let scripted = tv_script.find(&bare);
    Seed {
        title: scripted.map_or(bare, |s| s.title.clone()),
        year: year.or(scripted.and_then(|s| s.year)),
        ..Seed::show("")
    }
}

/// What an episode's run left: the TV collections and what Sonarr was sent.
fn print_tv_results(out: &Printer, fakes: &Fakes, settings: &Settings) {
    let Some(tv) = &settings.tv else {
        return;
    };
    out.line("");
    out.line("What Plex shows now in the TV library (read back from the fake Plex):");
    for name in [
        &tv.collections.recently_watched,
        &tv.collections.change_of_taste,
        &tv.collections.immaculate_taste,
    ] {
        let titles = fakes.plex.collection_titles(name);
        out.line(format!("  {name} ({})", count(titles.len(), "show")));
        for (n, title) in titles.iter().enumerate() {
            out.line(format!("    {:>2}. {title}", n + 1));
        }
    }
    // The demo Sonarr starts with Breaking Bad and The Wire.
    let added: Vec<_> = fakes
        .sonarr
        .series_list()
        .into_iter()
        .filter(|s| !matches!(s.tvdb_id.0, 81189 | 79126))
        .collect();
    out.line("");
    out.line(format!(
        "Sent to Sonarr to download ({}):",
        count(added.len(), "show")
    ));
    for series in added {
        let tags = fakes
            .sonarr
            .series_tag_labels(series.tvdb_id)
            .unwrap_or_default()
            .join(", ");
        let seasons = fakes.sonarr.monitored_seasons(series.tvdb_id);
        out.line(format!(
            "  - {} ({}) [tags: {tags}; monitored seasons: {seasons:?}]",
            series.title, series.year
        ));
    }
    out.line(format!(
        "Requests: Plex {}, Sonarr {}, TMDb {}, LLM {}",
        fakes.plex.stats().total(),
        fakes.sonarr.stats().total(),
        fakes.tmdb.stats().total(),
        fakes.llm.stats().total()
    ));
}

fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn print_results(out: &Printer, fakes: &Fakes, settings: &Settings, catalog: &Catalog) {
    out.line("");
    out.line("What Plex shows now (read back from the fake Plex):");
    for name in [
        &settings.collections.recently_watched,
        &settings.collections.change_of_taste,
        &settings.collections.immaculate_taste,
    ] {
        let titles = fakes.plex.collection_titles(name);
        out.line(format!("  {name} ({})", movies(titles.len())));
        for (n, title) in titles.iter().enumerate() {
            let year = catalog
                .movies
                .iter()
                .find(|m| m.in_plex && &m.title == title)
                .and_then(|m| m.year)
                .map(|y| format!(" ({y})"))
                .unwrap_or_default();
            out.line(format!("    {:>2}. {title}{year}", n + 1));
        }
    }
    let added = fakes.radarr.movies();
    out.line("");
    out.line(format!(
        "Sent to Radarr to download ({}):",
        movies(added.len())
    ));
    for movie in added {
        let tags = fakes
            .radarr
            .movie_tag_labels(movie.tmdb_id)
            .unwrap_or_default()
            .join(", ");
        out.line(format!(
            "  - {} ({}) [tags: {tags}]",
            movie.title, movie.year
        ));
    }
    let deleted = fakes.plex.stats().count(plex_client::ops::DELETE_MEDIA)
        + fakes.plex.stats().count(plex_client::ops::DELETE_ITEM);
    if deleted > 0 {
        out.line(format!("Duplicate files deleted from Plex: {deleted}"));
    }
    out.line(format!(
        "Requests: Plex {}, Radarr {}, TMDb {}, LLM {}",
        fakes.plex.stats().total(),
        fakes.radarr.stats().total(),
        fakes.tmdb.stats().total(),
        fakes.llm.stats().total()
    ));
}

fn movies(n: usize) -> String {
    count(n, "movie")
}

#[cfg(test)]
mod tests {
    use super::*;
    use curator_core::{StepKind, StepToggles};

    #[test]
    fn the_shipped_demo_data_reads_and_every_seed_is_in_the_catalogue() {
        let catalog = Catalog::parse(CATALOG_JSON).expect("catalog.json reads");
        let script = Script::parse(SCRIPT_JSON).expect("llm_script.json reads");
        assert!(catalog.movies.len() >= 20, "{}", catalog.movies.len());
        assert!(catalog.movies.iter().any(|m| m.in_plex));
        assert!(catalog.movies.iter().any(|m| !m.in_plex));
        assert!(!script.seeds.is_empty());
        for seed in &script.seeds {
            let found = seed_for(&seed.label(), &catalog, &script);
            assert!(
                found.tmdb_id.is_some(),
                "{} is not in the catalogue",
                seed.title
            );
        }
    }

    /// The TV script names the fakes' real shows: every suggestion but the
    /// one invented on purpose is in TMDb's TV catalogue with a TVDB id, and
    /// is in the TV library or known to the demo Sonarr (so the hand-off can
    /// add it, or finds it there already).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_tv_script_names_shows_the_fakes_know() {
        use sonarr_client::SonarrApi;
        let catalog = Catalog::parse(CATALOG_JSON).unwrap();
        let script = Script::parse(SCRIPT_JSON).unwrap();
        let tv_script = Script::parse(TV_SCRIPT_JSON).expect("tv_script.json reads");
        let seed = tv_script.find("Severance").expect("Severance is scripted");
        assert_eq!(show_seed_for("severance", &tv_script).year, Some(2022));
        let fakes = start_fakes(&catalog, &script, &tv_script).await;
        let sonarr = fakes.sonarr.client_builder().build().unwrap();
        let tmdb = sample_tv_catalog();
        let (mut in_plex, mut for_sonarr) = (0, 0);
        for s in seed
            .similar
            .iter()
            .chain(&seed.contrast)
            .chain(&seed.immaculate)
        {
            let year = s.year.map(|y| y.to_string()).unwrap_or_default();
            let Some(show) = tmdb
                .iter()
                .find(|t| t.name == s.title && t.first_air_date.starts_with(&year))
            else {
                assert_eq!(
                    s.title, "The Lumon Files",
                    "only the invented show is unknown"
                );
                continue;
            };
            let tvdb = show.tvdb_id.expect("a TVDB id");
            let plex_has = fakes
                .plex
                .shows(&TV_SECTION.into())
                .iter()
                .any(|p| p.tvdb_id == Some(tvdb));
            if plex_has {
                in_plex += 1;
            } else {
                assert!(
                    sonarr.lookup_tvdb(tvdb).await.unwrap().is_some(),
                    "{} is not in the demo Sonarr's catalogue",
                    s.title
                );
                for_sonarr += 1;
            }
        }
        assert!(in_plex >= 5 && for_sonarr >= 5, "{in_plex} {for_sonarr}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_demo_fills_the_three_collections_and_sends_missing_movies_to_radarr() {
        let catalog = Catalog::parse(CATALOG_JSON).unwrap();
        let script = Script::parse(SCRIPT_JSON).unwrap();
        let first = &script.seeds[0];
        let tv_script = Script::parse(TV_SCRIPT_JSON).unwrap();
        let fakes = start_fakes(&catalog, &script, &tv_script).await;
        let config = config_for(&fakes, settings_for(Some(first), false));
        let dir = tempfile::tempdir().unwrap();
        let flags = [("Plex", true)];
        let job = RunJob {
            settings: config.settings.clone(),
            request: RunRequest {
                seed: Some(seed_for(&first.label(), &catalog, &script)),
                only: None,
            },
            data: DataDir::new(dir.path()),
            lock_timeout: config.timeouts.lock,
            job: None,
            heading: Heading {
                title: String::new(),
                detail: Vec::new(),
                services: &flags,
            },
        };
        let quiet = Printer {
            quiet: true,
            verbose: false,
        };
        let ran = execute(
            job,
            |data| curator_app::services(&config, data),
            quiet,
            None,
            None,
        )
        .await
        .expect("the demo runs");
        let (report, done) = (ran.report, ran.done);
        assert_eq!(done, Done::Ok, "{report:#?}");
        let names = &config.settings.collections;
        let recent = fakes.plex.collection_titles(&names.recently_watched);
        assert!(!recent.is_empty(), "{report:#?}");
        assert!(
            !fakes
                .plex
                .collection_titles(&names.immaculate_taste)
                .is_empty()
        );
        // Every movie in the collection was suggested and is in Plex.
        let in_plex: Vec<&str> = catalog
            .movies
            .iter()
            .filter(|m| m.in_plex)
            .map(|m| m.title.as_str())
            .collect();
        for title in &recent {
            assert!(in_plex.contains(&title.as_str()), "{title}");
            assert!(
                first.similar.iter().any(|s| &s.title == title),
                "{title} was not suggested"
            );
        }
        let scripted_missing = first
            .similar
            .iter()
            .chain(&first.contrast)
            .chain(&first.immaculate)
            .filter(|s| catalog.find(&s.title, s.year).is_some_and(|m| !m.in_plex))
            .count();
        if scripted_missing > 0 {
            assert!(!fakes.radarr.movies().is_empty(), "{report:#?}");
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_demo_cleaner_leaves_optimized_versions_and_editions_alone() {
        let catalog = Catalog::parse(CATALOG_JSON).unwrap();
        let script = Script::parse(SCRIPT_JSON).unwrap();
        let tv_script = Script::parse(TV_SCRIPT_JSON).unwrap();
        let fakes = start_fakes(&catalog, &script, &tv_script).await;
        let mut settings = settings_for(None, false);
        settings.steps = StepToggles::only(&[StepKind::DuplicateCleaner]);
        let config = config_for(&fakes, settings);
        let dir = tempfile::tempdir().unwrap();
        let flags = [("Plex", true)];
        let job = RunJob {
            settings: config.settings.clone(),
            request: RunRequest::default(),
            data: DataDir::new(dir.path()),
            lock_timeout: config.timeouts.lock,
            job: None,
            heading: Heading {
                title: String::new(),
                detail: Vec::new(),
                services: &flags,
            },
        };
        let quiet = Printer {
            quiet: true,
            verbose: false,
        };
        let ran = execute(
            job,
            |data| curator_app::services(&config, data),
            quiet,
            None,
            None,
        )
        .await
        .expect("the demo runs");
        let report = ran.report;
        let step = report.step(StepKind::DuplicateCleaner).unwrap();
        assert!(step.counter("deleted") > 0, "{step:#?}");
        assert_eq!(step.counter("optimized_left_alone"), 1, "{step:#?}");
        assert_eq!(step.counter("editions_kept_apart"), 1, "{step:#?}");
        let library = fakes.plex.movies(&SECTION.into());
        let arrival: Vec<_> = library.iter().filter(|m| m.title == "Arrival").collect();
        assert_eq!(arrival.len(), 1);
        let optimized: Vec<bool> = arrival[0].media.iter().map(|v| v.optimized).collect();
        assert_eq!(optimized, [false, true], "both of Arrival's files stay");
        let blade_runner: Vec<Option<&str>> = library
            .iter()
            .filter(|m| m.title == "Blade Runner")
            .map(|m| m.edition.as_deref())
            .collect();
        assert_eq!(blade_runner, [None, Some("The Final Cut")]);
    }
}
