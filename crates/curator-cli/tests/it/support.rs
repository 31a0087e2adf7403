//! Fake servers, a config pointing at them, and a way to run the binary.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use curator_http::TmdbId;
use llm_recs::fake::{FakeLlm, FakeLlmSeed};
use llm_recs::{Suggestion, SuggestionKind};
use plex_client::fake::{FakeCollection, FakeMovie as PlexMovie, FakePlex, PlexSeed};
use radarr_client::fake::{FakeRadarr, RadarrSeed, SeedMovie as RadarrMovie};
use sonarr_client::fake::{FakeSonarr, SonarrSeed};
use tmdb_client::fake::{FakeTmdb, sample_catalog, sample_tv_catalog};

/// Distinctive secrets, to look for in output and logs.
pub(crate) const PLEX_TOKEN: &str = "plexTOKEN-5ecret-7f3a9c";
pub(crate) const RADARR_KEY: &str = "radarrKEY5ecret0d9e8f7a6b5c4d3e";
pub(crate) const LLM_KEY: &str = "sk-llmKEY-5ecret-4b2e1d";
pub(crate) const SONARR_KEY: &str = "sonarrKEY5ecret1a2b3c4d5e6f7a8b";

/// A collection of the user's own, which curator must never touch.
pub(crate) const USER_COLLECTION: &str = "My Favourites";

/// Movies of the TMDb sample catalogue that are in Plex.
const IN_PLEX: &[u32] = &[27205, 157_336, 1124, 603, 194, 949, 807, 680, 129, 155];

/// The four fake servers and a directory with a config for them.
pub(crate) struct World {
    pub(crate) plex: FakePlex,
    pub(crate) radarr: FakeRadarr,
    pub(crate) tmdb: FakeTmdb,
    pub(crate) llm: FakeLlm,
    /// With [`World::start_tv`]: a Sonarr, and the config names the TV
    /// library "TV Shows" (the fake Plex's sample shows).
    pub(crate) sonarr: Option<FakeSonarr>,
    pub(crate) dir: tempfile::TempDir,
}

fn s(title: &str, year: i32) -> Suggestion {
    Suggestion::new(title, Some(year))
}

impl World {
    pub(crate) async fn start() -> Self {
        Self::start_with(false).await
    }

    /// The same world with TV on: a TV library of real shows in Plex
    /// (`PlexSeed::sample_shows`), TMDb's TV catalogue, the demo Sonarr.
    pub(crate) async fn start_tv() -> Self {
        Self::start_with(true).await
    }

    async fn start_with(tv: bool) -> Self {
        let catalog = sample_catalog();
        let mut plex_seed = PlexSeed::new()
            .token(PLEX_TOKEN)
            .allow_media_deletion(true)
            .movie_section("1", "Movies");
        if tv {
            plex_seed = plex_seed.show_section("2", "TV Shows").sample_shows("2");
        }
        let mut radarr_seed = RadarrSeed::new()
            .api_key(RADARR_KEY)
            .root_folder("/movies")
            .quality_profile(1, "Any");
        for movie in &catalog {
            let year = movie.year().unwrap_or(2000);
            if IN_PLEX.contains(&movie.id.0) {
                plex_seed = plex_seed.movie(
                    "1",
                    PlexMovie::new(movie.title.clone(), year as u16).tmdb(movie.id.0),
                );
            }
            radarr_seed =
                radarr_seed.catalogue(RadarrMovie::new(movie.id, movie.title.clone(), year));
        }
        plex_seed = plex_seed.collection(
            "1",
            FakeCollection::new(USER_COLLECTION).items_by_title(["Heat", "The Dark Knight"]),
        );
        let shows = if tv { sample_tv_catalog() } else { Vec::new() };
        let (plex, radarr, tmdb, llm) = tokio::join!(
            FakePlex::start(plex_seed),
            FakeRadarr::start(radarr_seed),
            FakeTmdb::start_with(catalog, shows),
            FakeLlm::start(FakeLlmSeed::new().with_api_key(LLM_KEY)),
        );
        let sonarr = if tv {
            Some(FakeSonarr::start(SonarrSeed::demo().api_key(SONARR_KEY)).await)
        } else {
            None
        };
        if tv {
            // Shows the fakes know: two in the TV library, two only in
            // Sonarr's catalogue, one Sonarr already has, one invented.
            llm.script_shows(
                "Severance",
                SuggestionKind::Similar,
                vec![
                    s("Breaking Bad", 2008),
                    s("Battlestar Galactica", 2004),
                    s("The Expanse", 2015),
                    s("The Wire", 2002),
                    s("The Lumon Files", 2023),
                ],
            );
            llm.script_shows(
                "Severance",
                SuggestionKind::Contrast,
                vec![s("The Office", 2005), s("Chernobyl", 2019)],
            );
        }
        llm.script(
            "Inception",
            SuggestionKind::Similar,
            vec![
                s("Interstellar", 2014),
                s("The Prestige", 2006),
                s("Tenet", 2020),
                s("A Film Nobody Made", 2019),
                s("The Matrix", 1999),
            ],
        );
        llm.script(
            "Inception",
            SuggestionKind::Contrast,
            vec![s("Amélie", 2001), s("Forrest Gump", 1994)],
        );
        llm.script(
            "Heat",
            SuggestionKind::Similar,
            vec![
                s("Se7en", 1995),
                s("Pulp Fiction", 1994),
                s("Fight Club", 1999),
            ],
        );
        llm.script(
            "Heat",
            SuggestionKind::Contrast,
            vec![s("Spirited Away", 2001)],
        );
        let world = Self {
            plex,
            radarr,
            tmdb,
            llm,
            sonarr,
            dir: tempfile::tempdir().expect("a temporary directory"),
        };
        std::fs::write(world.config_path(), world.config_text()).expect("config written");
        world
    }

    pub(crate) fn config_text(&self) -> String {
        let mut text = self.movie_config_text();
        if let Some(sonarr) = &self.sonarr {
            text = text.replace(
                "  movie_library_name: \"Movies\"\n",
                "  movie_library_name: \"Movies\"\n  tv_library_name: \"TV Shows\"\n",
            );
            text.push_str(&format!(
                r#"sonarr:
  url: "{url}"
  api_key: "{SONARR_KEY}"
  root_folder: "/tv"
  quality_profile_id: 4
  auto_download_recommendations: true
  tag_name: ["curator"]
"#,
                url = sonarr.uri()
            ));
        }
        text
    }

    fn movie_config_text(&self) -> String {
        format!(
            r#"scripts_run:
  run_recently_watched_collection: true
  run_plex_duplicate_cleaner: true
  run_radarr_monitor_confirm_plex: true
  run_immaculate_taste_collection: true
  run_recently_watched_refresher: true
  run_collection_refresher: true
plex:
  url: "{plex}"
  token: "{PLEX_TOKEN}"
  movie_library_name: "Movies"
openai:
  api_key: "{LLM_KEY}"
  base_url: "{llm}"
  model: "fake-model"
recommendations:
  count: 10
tmdb:
  api_key: "{tmdb_key}"
  base_url: "{tmdb}"
  image_base_url: "{tmdb_images}"
radarr:
  url: "{radarr}"
  api_key: "{RADARR_KEY}"
  root_folder: "/movies"
  tag_name: ["curator"]
  quality_profile_id: 1
timeouts:
  request_seconds: 10
  lock_minutes: 2
"#,
            plex = self.plex.uri(),
            llm = self.llm.base_url(),
            tmdb = self.tmdb.uri(),
            tmdb_images = self.tmdb.image_base_url(),
            tmdb_key = FakeTmdb::API_KEY,
            radarr = self.radarr.uri(),
        )
    }

    pub(crate) fn config_path(&self) -> PathBuf {
        self.dir.path().join("config.yaml")
    }

    pub(crate) fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Runs `curator --config <ours> --data-dir <ours> ARGS`.
    pub(crate) async fn curator(&self, args: &[&str]) -> Run {
        let mut full = vec![
            "--config".to_owned(),
            self.config_path().display().to_string(),
            "--data-dir".to_owned(),
            self.data_dir().display().to_string(),
        ];
        full.extend(args.iter().map(|a| (*a).to_owned()));
        curator_in(self.dir.path(), &full).await
    }

    /// Starts `curator --config <ours> --data-dir <ours> ARGS` without
    /// waiting for it (output discarded; killed when dropped).
    pub(crate) fn spawn_curator(&self, args: &[&str]) -> tokio::process::Child {
        tokio::process::Command::new(env!("CARGO_BIN_EXE_curator"))
            .arg("--config")
            .arg(self.config_path())
            .arg("--data-dir")
            .arg(self.data_dir())
            .args(args)
            .current_dir(self.dir.path())
            .env_clear()
            .env("HOME", self.dir.path())
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("curator started")
    }

    /// Runs `examples/tautulli/curator.sh ARGS` as Tautulli would, with
    /// the config and data directory given through the environment.
    #[cfg(unix)]
    pub(crate) async fn tautulli_wrapper(&self, args: &[&str]) -> Run {
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/tautulli/curator.sh"
        );
        let output = tokio::process::Command::new("sh")
            .arg(script)
            .args(args)
            .current_dir(self.dir.path())
            .env_clear()
            .env("HOME", self.dir.path())
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("CURATOR_BIN", env!("CARGO_BIN_EXE_curator"))
            .env("CURATOR_CONFIG", self.config_path())
            .env("CURATOR_DATA_DIR", self.data_dir())
            .kill_on_drop(true)
            .output();
        let output = tokio::time::timeout(Duration::from_secs(60), output)
            .await
            .expect("the wrapper finished within a minute")
            .expect("the wrapper started");
        Run::from(&output)
    }

    /// Every secret the servers know.
    pub(crate) fn secrets() -> [&'static str; 5] {
        [
            PLEX_TOKEN,
            RADARR_KEY,
            LLM_KEY,
            FakeTmdb::API_KEY,
            SONARR_KEY,
        ]
    }

    /// Titles of a Plex collection, in order.
    pub(crate) fn collection(&self, title: &str) -> Vec<String> {
        self.plex.collection_titles(title)
    }

    /// TMDb ids of the movies Radarr has.
    pub(crate) fn radarr_ids(&self) -> Vec<TmdbId> {
        let mut ids: Vec<TmdbId> = self.radarr.movies().iter().map(|m| m.tmdb_id).collect();
        ids.sort();
        ids
    }
}

/// A finished run of the binary.
#[derive(Debug)]
pub(crate) struct Run {
    pub(crate) code: Option<i32>,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Run {
    fn from(output: &Output) -> Self {
        Self {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Both streams, for messages and searches.
    pub(crate) fn all(&self) -> String {
        format!("--- stdout\n{}\n--- stderr\n{}", self.stdout, self.stderr)
    }

    #[track_caller]
    pub(crate) fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, Some(code), "{}", self.all());
        self
    }
}

/// Runs the binary in `dir` with a clean environment (no config or secrets
/// from the machine running the tests).
pub(crate) async fn curator_in(dir: &Path, args: &[String]) -> Run {
    curator_in_env(dir, args, &[]).await
}

/// As [`curator_in`], with these environment variables set.
pub(crate) async fn curator_in_env(dir: &Path, args: &[String], vars: &[(&str, &Path)]) -> Run {
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_curator"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("HOME", dir)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .envs(vars.iter().copied())
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(120), output)
        .await
        .expect("curator finished within two minutes")
        .expect("curator started");
    Run::from(&output)
}

/// Every file under `dir`, with its contents, sorted by path.
pub(crate) fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap_or_default();
                files.push((path, bytes));
            }
        }
    }
    files.sort();
    files
}

/// The TMDb ids in the points file.
pub(crate) fn points_ids(data: &Path) -> Vec<u64> {
    let text =
        std::fs::read_to_string(data.join("recommendation_points.json")).expect("points file");
    let json: serde_json::Value = serde_json::from_str(&text).expect("points JSON");
    let mut ids: Vec<u64> = json["movies"]
        .as_object()
        .expect("a movies map")
        .keys()
        .map(|k| k.parse().expect("numeric keys"))
        .collect();
    ids.sort_unstable();
    ids
}

/// Fails when any secret shows in `text`.
#[track_caller]
pub(crate) fn assert_no_secret(text: &str) {
    for secret in World::secrets() {
        assert!(!text.contains(secret), "a secret leaked: {secret}\n{text}");
    }
}
