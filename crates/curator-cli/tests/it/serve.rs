//! `curator serve` against the four fake servers: the binary runs as a
//! child process, webhooks are sent as Plex and Tautulli send them.

use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use curator_core::DataDir;
use curator_http::reqwest::{self, StatusCode};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::support::{World, assert_no_secret, points_ids};

const RECENT: &str = "Based on your recently watched movie";
const CONTRAST: &str = "Change of Taste";
const IMMACULATE: &str = "Inspired by your Immaculate Taste";
const TOKEN: &str = "serveTOKEN-5ecret-91c4e2b7a0";
const BOUNDARY: &str = "------------------------a1b2c3d4e5f6";

/// A running `curator serve`.
struct Server {
    child: Child,
    base: String,
    http: reqwest::Client,
    output: Arc<Mutex<String>>,
    /// Told of every line of output.
    lines: Arc<tokio::sync::Notify>,
    /// The tasks reading stdout and stderr; they end with the process.
    readers: Vec<tokio::task::JoinHandle<()>>,
}

impl Server {
    /// Starts `curator serve` on a free loopback port for `world`, with the
    /// token set through the environment.
    async fn start(world: &World) -> Self {
        Self::start_with(world, &[]).await
    }

    /// [`Server::start`] with more environment variables.
    async fn start_with(world: &World, env: &[(&str, &str)]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_curator"))
            .args([
                "--config",
                &world.config_path().display().to_string(),
                "--data-dir",
                &world.data_dir().display().to_string(),
                "-v",
                "serve",
                "--listen",
                "127.0.0.1:0",
            ])
            .current_dir(world.dir.path())
            .env_clear()
            .env("HOME", world.dir.path())
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("CURATOR_SERVE_TOKEN", TOKEN)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("curator serve starts");
        let output = Arc::new(Mutex::new(String::new()));
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let base = tokio::time::timeout(Duration::from_secs(60), async {
            while let Some(line) = lines.next_line().await.unwrap() {
                output.lock().unwrap().push_str(&format!("{line}\n"));
                if let Some(rest) = line.split("serving on ").nth(1) {
                    return rest
                        .split(' ')
                        .next()
                        .unwrap()
                        .trim_end_matches('/')
                        .to_owned();
                }
            }
            panic!("curator serve ended: {}", output.lock().unwrap());
        })
        .await
        .expect("curator serve listens within a minute");
        // Keep reading, so a full pipe never blocks the server.
        let told = Arc::new(tokio::sync::Notify::new());
        let (sink, tell) = (output.clone(), told.clone());
        let out_reader = tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                sink.lock().unwrap().push_str(&format!("{line}\n"));
                tell.notify_waiters();
            }
        });
        let mut errors = BufReader::new(child.stderr.take().unwrap()).lines();
        let (sink, tell) = (output.clone(), told.clone());
        let err_reader = tokio::spawn(async move {
            while let Ok(Some(line)) = errors.next_line().await {
                sink.lock().unwrap().push_str(&format!("{line}\n"));
                tell.notify_waiters();
            }
        });
        Self {
            child,
            base,
            http: reqwest::Client::new(),
            output,
            lines: told,
            readers: vec![out_reader, err_reader],
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(self.url(path))
            .header("X-Curator-Token", TOKEN)
            .send()
            .await
            .unwrap()
    }

    async fn json(&self, path: &str) -> Value {
        let response = self.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        response.json().await.unwrap()
    }

    /// Sends a Plex webhook (`multipart/form-data`, the JSON in `payload`,
    /// a `thumb` image part as Plex adds for some events) to
    /// `/hooks/plex?token=...`, as Plex does: it cannot send headers.
    async fn plex_hook(&self, payload: &str, token: Option<&str>) -> reqwest::Response {
        self.plex_hook_with_thumb(payload, token, 0).await
    }

    /// [`Server::plex_hook`] with a `thumb` part of `extra` more bytes.
    async fn plex_hook_with_thumb(
        &self,
        payload: &str,
        token: Option<&str>,
        extra: usize,
    ) -> reqwest::Response {
        let mut body = Vec::new();
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"payload\"\r\n\
                 Content-Type: application/json\r\n\r\n{payload}\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"thumb\"; filename=\"image.jpg\"\r\n\
                 Content-Type: image/jpeg\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(&[0xff, 0xd8, 0xff, 0xe0, 0, 0x10, b'J', b'F', b'I', b'F']);
        body.resize(body.len() + extra, 0x55);
        body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
        let url = match token {
            Some(t) => self.url(&format!("/hooks/plex?token={t}")),
            None => self.url("/hooks/plex"),
        };
        self.http
            .post(url)
            .header(
                "Content-Type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(body)
            .send()
            .await
            .unwrap()
    }

    /// Sends Tautulli's webhook body (the template in the README).
    async fn tautulli_hook(&self, body: &Value) -> reqwest::Response {
        self.http
            .post(self.url(&format!("/hooks/tautulli?token={TOKEN}")))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// A 202 answer's job id.
    async fn accepted(response: reqwest::Response) -> (String, String) {
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");
        (
            body["job"].as_str().unwrap().to_owned(),
            body["status"].as_str().unwrap().to_owned(),
        )
    }

    /// Waits (on the server, with `?wait=`) until job `id` is `until`.
    async fn wait(&self, id: &str, until: &str) -> Value {
        let job = self
            .json(&format!("/api/jobs/{id}?wait=120&until={until}"))
            .await;
        assert!(
            job["state"] == until || job["state"] == "done",
            "job {id} is {} after two minutes\n{job:#}\n{}",
            job["state"],
            self.output()
        );
        job
    }

    /// Waits until the server has printed `needle` `times` times.
    async fn wait_output_times(&self, needle: &str, times: usize) {
        tokio::time::timeout(Duration::from_secs(120), async {
            loop {
                let told = self.lines.notified();
                if self.output().matches(needle).count() >= times {
                    return;
                }
                told.await;
            }
        })
        .await
        .unwrap_or_else(|_| panic!("{needle:?} not {times} times in\n{}", self.output()));
    }

    /// Waits until the server has printed `needle`.
    async fn wait_output(&self, needle: &str) {
        self.wait_output_times(needle, 1).await;
    }

    /// Sends SIGTERM, as `docker stop` does.
    #[cfg(unix)]
    fn terminate(&self) {
        let pid = self.child.id().expect("still running").to_string();
        let status = std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits for the server to exit; its status and everything it printed.
    async fn exited(mut self) -> (std::process::ExitStatus, String) {
        let status = tokio::time::timeout(Duration::from_secs(120), self.child.wait())
            .await
            .expect("curator serve exits within two minutes")
            .unwrap();
        // The readers end with the pipes, once everything is read.
        for reader in std::mem::take(&mut self.readers) {
            reader.await.unwrap();
        }
        (status, self.output())
    }

    /// `kill -9`.
    async fn kill(mut self) {
        self.child.start_kill().unwrap();
        self.child.wait().await.unwrap();
    }
}

/// A scrobble as Plex sends it (the shape of Plex's "Webhooks" support
/// article, the fields python-plexapi and Tautulli read).
fn scrobble(world: &World, title: &str, year: u16, tmdb: u32, user: &str) -> String {
    let key = world.plex.movie_key(title).expect("the movie is in Plex");
    json!({
        "event": "media.scrobble",
        "user": true,
        "owner": true,
        "Account": {"id": 1, "thumb": "https://plex.tv/users/1/avatar", "title": user},
        "Server": {"title": "Office", "uuid": world.plex.machine_identifier()},
        "Player": {"local": true, "title": "Plex Web (Chrome)", "uuid": "r6yfkdnfggbh2bdnvkffwbms"},
        "Metadata": {
            "librarySectionType": "movie",
            "ratingKey": key.0,
            "key": format!("/library/metadata/{}", key.0),
            "guid": "plex://movie/5d7768ba96b655001fdc0408",
            "type": "movie",
            "title": title,
            "year": year,
            "librarySectionTitle": "Movies",
            "librarySectionID": 1,
            "Guid": [{"id": "imdb://tt1375666"}, {"id": format!("tmdb://{tmdb}")}]
        }
    })
    .to_string()
}

fn tautulli_body(title: &str, year: &str, user: &str) -> Value {
    json!({
        "action": "watched",
        "title": title,
        "year": year,
        "media_type": "movie",
        "tmdb_id": "",
        "rating_key": "{rating_key}",
        "user": user
    })
}

fn sorted(mut titles: Vec<String>) -> Vec<String> {
    titles.sort();
    titles
}

fn pending_files(world: &World) -> usize {
    std::fs::read_dir(world.data_dir().join("queue/pending"))
        .map(Iterator::count)
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plex_and_tautulli_webhooks_fill_the_collections_as_curator_run_does_and_the_page_shows_it()
{
    let by_cli = World::start().await;
    by_cli
        .curator(&["run", "Inception (2010)", "movie", "--user", "alice"])
        .await
        .assert_code(0);

    let by_plex = World::start().await;
    let server = Server::start(&by_plex).await;
    let (id, status) = Server::accepted(
        server
            .plex_hook(
                &scrobble(&by_plex, "Inception", 2010, 27205, "alice"),
                Some(TOKEN),
            )
            .await,
    )
    .await;
    assert_eq!(status, "queued");
    let job = server.wait(&id, "done").await;
    assert_eq!(job["outcome"], "ok", "{job:#}\n{}", server.output());
    assert_eq!(job["what"], "watched Inception (2010)");

    let by_tautulli = World::start().await;
    let other = Server::start(&by_tautulli).await;
    let (id, _) = Server::accepted(
        other
            .tautulli_hook(&tautulli_body("Inception", "2010", "alice"))
            .await,
    )
    .await;
    assert_eq!(other.wait(&id, "done").await["outcome"], "ok");

    for name in [RECENT, CONTRAST, IMMACULATE] {
        let expected = sorted(by_cli.collection(name));
        assert!(!expected.is_empty(), "{name} is empty after curator run");
        assert_eq!(
            sorted(by_plex.collection(name)),
            expected,
            "{name}, Plex webhook"
        );
        assert_eq!(
            sorted(by_tautulli.collection(name)),
            expected,
            "{name}, Tautulli webhook"
        );
    }
    assert_eq!(by_cli.radarr_ids(), by_plex.radarr_ids());
    assert_eq!(by_cli.radarr_ids(), by_tautulli.radarr_ids());
    let points = points_ids(&by_cli.data_dir());
    assert_eq!(points_ids(&by_plex.data_dir()), points);
    assert_eq!(points_ids(&by_tautulli.data_dir()), points);

    // The page: the last run as the CLI prints it, the collections in
    // Plex's order, the points book; no secret anywhere.
    let page = server.get("/").await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("watched Inception (2010)"), "{html}");
    assert!(
        html.contains("✓ Recently watched recommendations"),
        "{html}"
    );
    assert!(html.contains("Plex webhook, watched by alice"), "{html}");
    for name in [RECENT, CONTRAST, IMMACULATE] {
        assert!(html.contains(name), "{name} missing from the page");
        let order = by_plex.collection(name);
        let start = html.find(&format!("<h2>{name}</h2>")).unwrap();
        let section = &html[start..start + html[start..].find("</section>").unwrap()];
        let listed: Vec<usize> = order
            .iter()
            .map(|t| {
                section
                    .find(&format!("alt=\"{t} ("))
                    .unwrap_or_else(|| panic!("{t} not listed under {name}"))
            })
            .collect();
        let mut in_order = listed.clone();
        in_order.sort_unstable();
        assert_eq!(listed, in_order, "{name} is not in Plex's order");
    }
    assert!(html.contains("Points book"));
    assert!(html.contains("Interstellar"));
    assert!(
        html.contains("?sort=title&amp;dir=asc#points"),
        "sortable columns"
    );
    assert!(
        html.contains("<th scope=\"col\" aria-sort=\"descending\"><a href=\"/?sort=points&amp;dir=asc#points\">points ↓</a></th>"),
        "by points, highest first, unless told: {html}"
    );
    assert_no_secret(&html);
    assert!(!html.contains(TOKEN));
    // Sorted by title, ascending: Inception's suggestions, alphabetically.
    let by_title = server
        .get("/?sort=title&dir=asc")
        .await
        .text()
        .await
        .unwrap();
    let points_part = &by_title[by_title.find("id=\"points\"").unwrap()..];
    let interstellar = points_part
        .find("<th scope=\"row\">Interstellar</th>")
        .unwrap();
    let matrix = points_part
        .find("<th scope=\"row\">The Matrix</th>")
        .unwrap();
    assert!(interstellar < matrix);
    assert!(
        points_part.contains("<th scope=\"col\" aria-sort=\"ascending\"><a href=\"/?sort=title&amp;dir=desc#points\">title ↑</a></th>"),
        "{points_part}"
    );
    // Searched by title, server-side: the sort is kept, the rest is gone.
    let searched = server
        .get("/?sort=title&dir=asc&q=INTER")
        .await
        .text()
        .await
        .unwrap();
    let points_part = &searched[searched.find("id=\"points\"").unwrap()..];
    let points_part = &points_part[..points_part.find("</section>").unwrap()];
    assert!(
        points_part.contains("<th scope=\"row\">Interstellar</th>"),
        "{points_part}"
    );
    assert!(!points_part.contains("The Matrix"), "{points_part}");
    assert!(points_part.contains("value=\"INTER\""), "{points_part}");
    assert!(
        points_part.contains("<input type=\"hidden\" name=\"sort\" value=\"title\">"),
        "the search form keeps the sort: {points_part}"
    );
    assert!(
        points_part.contains("href=\"/?sort=title&amp;dir=desc&amp;q=INTER#points\""),
        "the sort links keep the search: {points_part}"
    );

    // Metrics in Prometheus' text format.
    let metrics = server.get("/metrics").await.text().await.unwrap();
    assert!(
        metrics.contains("curator_jobs_total{outcome=\"ok\"} 1\n"),
        "{metrics}"
    );
    assert!(metrics.contains("# TYPE curator_queue_depth gauge\ncurator_queue_depth 0\n"));
    assert!(metrics.contains("curator_events_total{source=\"plex\",result=\"queued\"} 1\n"));
    let plex_requests: u64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("curator_service_requests_total{service=\"plex\"} "))
        .unwrap()
        .parse()
        .unwrap();
    assert!(plex_requests > 0, "{metrics}");
    assert_no_secret(&server.output());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_token_gets_401_and_queues_nothing_and_the_page_sets_a_cookie() {
    let world = World::start().await;
    let server = Server::start(&world).await;
    let payload = scrobble(&world, "Inception", 2010, 27205, "alice");
    for token in [None, Some("wrong-token-but-long-enough")] {
        let response = server.plex_hook(&payload, token).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let bearer_wrong = server
        .http
        .post(server.url("/api/runs"))
        .header("Authorization", "Bearer nope")
        .json(&tautulli_body("Heat", "1995", "x"))
        .send()
        .await
        .unwrap();
    assert_eq!(bearer_wrong.status(), StatusCode::UNAUTHORIZED);
    for path in ["/", "/metrics", "/api/jobs"] {
        let response = server.http.get(server.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
    let jobs = server.json("/api/jobs").await;
    assert_eq!(jobs["pending"], json!([]), "{jobs}");
    assert_eq!(jobs["done"], json!([]), "{jobs}");
    assert_eq!(jobs["running"], Value::Null, "{jobs}");
    assert_eq!(pending_files(&world), 0);

    // /healthz needs no token.
    let health = server
        .http
        .get(server.url("/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::OK);

    // The page, opened once with ?token=, sets a cookie and drops the
    // token from its address.
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let first = no_redirects
        .get(server.url(&format!("/?token={TOKEN}&sort=title")))
        .send()
        .await
        .unwrap();
    assert!(first.status().is_redirection(), "{}", first.status());
    assert_eq!(first.headers()["location"], "/?sort=title");
    let cookie = first.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    // Lax, not Strict: links from dashboards (Organizr, Homarr) keep it.
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    let pair = cookie.split(';').next().unwrap().to_owned();
    let page = no_redirects
        .get(server.url("/"))
        .header("Cookie", pair)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("no run yet"), "{html}");
    assert!(!html.contains(TOKEN));

    // The right token as a Bearer header is accepted.
    let ok = server
        .http
        .post(server.url("/api/jobs/refresh"))
        .header("Authorization", format!("Bearer {TOKEN}"))
        .send()
        .await
        .unwrap();
    let (id, _) = Server::accepted(ok).await;
    let job = server.wait(&id, "done").await;
    assert_eq!(job["what"], "refresh");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_body_gets_400_with_a_reason_and_queues_nothing() {
    let world = World::start().await;
    let server = Server::start(&world).await;
    let post = |path: &str, content_type: &str, body: Vec<u8>| {
        server
            .http
            .post(server.url(&format!("{path}?token={TOKEN}")))
            .header("Content-Type", content_type.to_owned())
            .body(body)
            .send()
    };
    let multipart = format!("multipart/form-data; boundary={BOUNDARY}");
    let cases: Vec<(&str, &str, Vec<u8>, &str)> = vec![
        ("/hooks/tautulli", "application/json", b"{\"title\": ".to_vec(), "not JSON"),
        ("/hooks/tautulli", "application/json", b"{\"year\": 1995}".to_vec(), "the body has no"),
        (
            "/hooks/tautulli",
            "application/json",
            b"{\"title\": \"Heat\", \"year\": \"soon\"}".to_vec(),
            "not a year",
        ),
        ("/api/runs", "application/json", b"[]".to_vec(), "JSON object"),
        (
            "/hooks/plex",
            "application/json",
            b"{\"event\": \"media.scrobble\"}".to_vec(),
            "multipart/form-data",
        ),
        (
            "/hooks/plex",
            &multipart,
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--{BOUNDARY}--\r\n")
                .into_bytes(),
            "no payload field",
        ),
    ];
    for (path, content_type, body, reason) in cases {
        let response = post(path, content_type, body).await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {text}");
        assert!(text.contains(reason), "{path}: {text} lacks {reason:?}");
    }
    let response = server
        .plex_hook(
            "{\"event\": \"media.scrobble\", \"Metadata\": {",
            Some(TOKEN),
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    // Too big for a Tautulli body: the server reads it to the end before
    // answering, so the client (still sending) gets the 413, not a reset,
    // and the connection stays usable. Several times over one connection,
    // as a loaded machine once showed the reset.
    let one_connection = reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .build()
        .unwrap();
    for _ in 0..5 {
        let huge = format!("{{\"title\": \"{}\"}}", "x".repeat(200 * 1024));
        let response = one_connection
            .post(server.url(&format!("/hooks/tautulli?token={TOKEN}")))
            .header("Content-Type", "application/json")
            .body(huge)
            .send()
            .await
            .expect("the 413 arrives, not a reset");
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(
            response
                .headers()
                .get("connection")
                .map(|v| v.to_str().unwrap()),
            None,
            "the connection is kept"
        );
        let text = response.text().await.unwrap();
        assert!(text.contains("64 KiB"), "{text}");
    }
    // A play event and an episode are acknowledged, not queued.
    let play =
        scrobble(&world, "Inception", 2010, 27205, "a").replace("media.scrobble", "media.play");
    let response = server.plex_hook(&play, Some(TOKEN)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.json::<Value>().await.unwrap()["status"], "ignored");
    let episode = json!({"title": "Pilot", "media_type": "episode"});
    let response = server.tautulli_hook(&episode).await;
    assert_eq!(response.status(), StatusCode::OK);

    let jobs = server.json("/api/jobs").await;
    assert_eq!(jobs["pending"], json!([]), "{jobs}");
    assert_eq!(jobs["done"], json!([]), "{jobs}");
    assert_eq!(jobs["running"], Value::Null, "{jobs}");
    assert_eq!(pending_files(&world), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_scrobbles_of_one_movie_make_one_run() {
    let world = World::start().await;
    let server = Server::start(&world).await;
    let (first, status) = Server::accepted(
        server
            .plex_hook(
                &scrobble(&world, "Inception", 2010, 27205, "alice"),
                Some(TOKEN),
            )
            .await,
    )
    .await;
    assert_eq!(status, "queued");
    // A poster larger than any JSON body is skipped, not a 413 for the
    // whole event.
    let (second, status) = Server::accepted(
        server
            .plex_hook_with_thumb(
                &scrobble(&world, "Inception", 2010, 27205, "bob"),
                Some(TOKEN),
                6 * 1024 * 1024,
            )
            .await,
    )
    .await;
    assert_eq!(status, "coalesced");
    assert_eq!(first, second);
    let job = server.wait(&first, "done").await;
    assert_eq!(job["outcome"], "ok");
    let jobs = server.json("/api/jobs").await;
    let done = jobs["done"].as_array().unwrap();
    assert_eq!(done.len(), 1, "{jobs:#}");
    let sources = done[0]["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 2, "{jobs:#}");
    assert!(sources[1].as_str().unwrap().contains("bob"));
    let (third, status) = Server::accepted(
        server
            .tautulli_hook(
                &json!({"title": "Inception", "year": 2010, "tmdb_id": 27205, "user": "carol"}),
            )
            .await,
    )
    .await;
    assert_eq!(
        (third.as_str(), status.as_str()),
        (first.as_str(), "coalesced")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queued_jobs_survive_kill_9_and_run_on_the_next_start_and_never_overlap_a_cli_run() {
    let world = World::start().await;
    // A CLI run holds the data directory (the same lock `curator run` takes).
    let data = DataDir::new(world.data_dir());
    let cli_lock = data.lock(Duration::ZERO).await.unwrap();
    let server = Server::start(&world).await;
    let (inception, _) = Server::accepted(
        server
            .tautulli_hook(&tautulli_body("Inception", "2010", "alice"))
            .await,
    )
    .await;
    let (refresh, _) = Server::accepted(
        server
            .http
            .post(server.url("/api/jobs/refresh"))
            .header("X-Curator-Token", TOKEN)
            .send()
            .await
            .unwrap(),
    )
    .await;
    // The server's job waits for the CLI run: nothing is written meanwhile.
    let job = server.wait(&inception, "waiting").await;
    assert_eq!(job["state"], "waiting", "{job:#}");
    assert!(!world.data_dir().join("recommendation_points.json").exists());
    assert!(world.collection(RECENT).is_empty());
    assert_eq!(pending_files(&world), 2);

    server.kill().await;
    assert_eq!(pending_files(&world), 2, "accepted jobs are on disk");
    drop(cli_lock);

    let server = Server::start(&world).await;
    let first = server.wait(&inception, "done").await;
    assert_eq!(first["outcome"], "ok", "{first:#}\n{}", server.output());
    assert_eq!(first["attempts"], 2, "it had started before the kill");
    let second = server.wait(&refresh, "done").await;
    assert_eq!(second["outcome"], "ok", "{second:#}");
    assert!(
        first["finished_at"].as_i64() <= second["started_at"].as_i64(),
        "one job at a time"
    );
    assert!(!world.collection(RECENT).is_empty());
    assert_eq!(pending_files(&world), 0);
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_the_running_job_finish_within_the_limit_and_a_cut_off_job_runs_on_the_next_start()
 {
    let world = World::start().await;
    std::fs::write(
        world.config_path(),
        format!(
            "{}serve:\n  shutdown_grace_seconds: 600\n",
            world.config_text()
        ),
    )
    .unwrap();
    let data = DataDir::new(world.data_dir());

    // SIGTERM while a job waits for the data directory: the server stops
    // taking requests, answers a caller waiting on the job, and lets the
    // job finish once the directory is free.
    let cli_lock = data.lock(Duration::ZERO).await.unwrap();
    let server = Server::start(&world).await;
    let (id, _) = Server::accepted(
        server
            .tautulli_hook(&tautulli_body("Inception", "2010", "a"))
            .await,
    )
    .await;
    server.wait(&id, "waiting").await;
    // `wait` above long-polled too: the line to wait for is the next one.
    let waiters = server
        .output()
        .matches("a caller waits for the job")
        .count();
    let poll = server
        .http
        .get(server.url(&format!("/api/jobs/{id}?wait=600")))
        .header("X-Curator-Token", TOKEN)
        .send();
    let poll = tokio::spawn(poll);
    server
        .wait_output_times("a caller waits for the job", waiters + 1)
        .await;
    server.terminate();
    server
        .wait_output("stopping: letting watched Inception (2010) finish")
        .await;
    let answered: Value = poll.await.unwrap().unwrap().json().await.unwrap();
    assert_eq!(answered["state"], "waiting", "{answered:#}");
    drop(cli_lock);
    let (status, output) = server.exited().await;
    assert!(status.success(), "{output}");
    assert!(output.contains("\nstopped\n"), "{output}");
    assert_eq!(pending_files(&world), 0, "the job finished before the exit");
    assert!(!world.collection(RECENT).is_empty());

    // With a limit of 0 s, a job that cannot finish is cut off: it stays
    // queued and runs when the server starts again.
    std::fs::write(
        world.config_path(),
        format!(
            "{}serve:\n  shutdown_grace_seconds: 0\n",
            world.config_text()
        ),
    )
    .unwrap();
    let cli_lock = data.lock(Duration::ZERO).await.unwrap();
    let server = Server::start(&world).await;
    let (refresh, _) = Server::accepted(
        server
            .http
            .post(server.url("/api/jobs/refresh"))
            .header("X-Curator-Token", TOKEN)
            .send()
            .await
            .unwrap(),
    )
    .await;
    server.wait(&refresh, "waiting").await;
    server.terminate();
    let (status, output) = server.exited().await;
    assert!(status.success(), "{output}");
    assert!(
        output.contains("runs again when curator serve starts"),
        "{output}"
    );
    assert_eq!(pending_files(&world), 1);
    drop(cli_lock);
    let server = Server::start(&world).await;
    assert_eq!(server.wait(&refresh, "done").await["outcome"], "ok");
}

/// Plex sends the owner's webhook for every account's plays on every
/// server and library the account uses (support.plex.tv, "Webhooks": the
/// `user`/`owner` flags, `Server.uuid`, `Metadata.librarySectionTitle`):
/// only the configured server's movie library and the allowed accounts
/// start runs; the rest are answered 200 "ignored" and queue nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_events_for_the_configured_server_library_and_users_are_taken() {
    let world = World::start().await;
    let server = Server::start(&world).await;
    let ours = scrobble(&world, "Inception", 2010, 27205, "alice");
    let edit = |from: &str, to: &str| {
        assert!(ours.contains(from), "{from}");
        ours.replace(from, to)
    };
    let other_server = edit(
        &world.plex.machine_identifier(),
        "0000000000000000000000000000000000000000",
    );
    let other_library = edit(
        "\"librarySectionTitle\":\"Movies\"",
        "\"librarySectionTitle\":\"Home Videos\"",
    );
    let shared_user =
        edit("\"user\":true", "\"user\":false").replace("\"title\":\"alice\"", "\"title\":\"bob\"");
    for (payload, why) in [
        (&other_server, "not the configured one"),
        (&other_library, "Home Videos"),
        (&shared_user, "played by bob"),
    ] {
        let response = server.plex_hook(payload, Some(TOKEN)).await;
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["status"], "ignored", "{body}");
        assert!(body["reason"].as_str().unwrap().contains(why), "{body}");
    }
    let jobs = server.json("/api/jobs").await;
    assert_eq!(jobs["pending"], json!([]), "{jobs}");
    assert_eq!(jobs["running"], Value::Null, "{jobs}");
    assert_eq!(pending_files(&world), 0);
    let metrics = server.get("/metrics").await.text().await.unwrap();
    assert!(
        metrics.contains("curator_events_total{source=\"plex\",result=\"ignored\"} 3\n"),
        "{metrics}"
    );
    server.kill().await;

    // serve.users names who counts: a shared user's play (through the
    // owner's webhook) is taken, Tautulli's other users are not.
    std::fs::write(
        world.config_path(),
        format!("{}serve:\n  users: [\"Bob\"]\n", world.config_text()),
    )
    .unwrap();
    let server = Server::start(&world).await;
    let response = server
        .tautulli_hook(&tautulli_body("Inception", "2010", "alice"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ignored", "{body}");
    assert!(
        body["reason"].as_str().unwrap().contains("serve.users"),
        "{body}"
    );
    assert_eq!(pending_files(&world), 0);
    let (id, status) = Server::accepted(server.plex_hook(&shared_user, Some(TOKEN)).await).await;
    assert_eq!(status, "queued");
    let job = server.wait(&id, "done").await;
    assert_eq!(job["what"], "watched Inception (2010)");
}

/// A web page the user opens must not be able to use the service: no
/// other Host (DNS rebinding), no cross-site state change, no plain-text
/// or form body on the API, and the page's cookie alone does not start
/// jobs: the page's forms carry a CSRF token.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drive_by_requests_from_web_pages_are_refused() {
    let world = World::start().await;
    let server = Server::start(&world).await;
    let port = server.base.rsplit(':').next().unwrap().to_owned();
    let post = |path: &str| {
        server
            .http
            .post(server.url(path))
            .header("X-Curator-Token", TOKEN)
    };

    // DNS rebinding: a name that resolves here is still not our Host.
    let rebound = server
        .http
        .get(server.url("/api/jobs"))
        .header("X-Curator-Token", TOKEN)
        .header("Host", format!("attacker.example:{port}"))
        .send()
        .await
        .unwrap();
    assert_eq!(rebound.status(), StatusCode::FORBIDDEN);
    assert!(
        rebound
            .text()
            .await
            .unwrap()
            .contains("serve.allowed_hosts")
    );
    let local = server
        .http
        .get(server.url("/api/jobs"))
        .header("X-Curator-Token", TOKEN)
        .header("Host", format!("localhost:{port}"))
        .send()
        .await
        .unwrap();
    assert_eq!(local.status(), StatusCode::OK);

    // Cross-site state changes, even with the token.
    for (name, value) in [
        ("Origin", "http://attacker.example".to_owned()),
        ("Origin", "null".to_owned()),
        ("Sec-Fetch-Site", "cross-site".to_owned()),
    ] {
        let response = post("/api/jobs/refresh")
            .header(name, value.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{name}: {value}");
    }
    // Same origin is fine.
    let same = post("/api/jobs/confirm-monitored")
        .header("Origin", server.base.clone())
        .header("Sec-Fetch-Site", "same-origin")
        .send()
        .await
        .unwrap();
    let (confirm_job, _) = Server::accepted(same).await;

    // API bodies are JSON: a form or plain text needs no preflight.
    let body = tautulli_body("Heat", "1995", "alice").to_string();
    for (path, content_type) in [
        ("/api/runs", "text/plain"),
        ("/hooks/tautulli", "application/x-www-form-urlencoded"),
        ("/api/jobs/refresh", "text/plain"),
    ] {
        let response = post(path)
            .header("Content-Type", content_type)
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{path} {content_type}"
        );
    }

    // The cookie alone does not start a job.
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let first = no_redirects
        .get(server.url(&format!("/?token={TOKEN}")))
        .send()
        .await
        .unwrap();
    let cookie = first.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let by_cookie = no_redirects
        .post(server.url("/api/jobs/refresh"))
        .header("Cookie", cookie.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(by_cookie.status(), StatusCode::FORBIDDEN);
    assert!(by_cookie.text().await.unwrap().contains("CSRF"));
    // The page's forms carry the CSRF token; a form without it is refused.
    let html = no_redirects
        .get(server.url("/"))
        .header("Cookie", cookie.clone())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("<form method=\"post\" action=\"/jobs/refresh\">"),
        "{html}"
    );
    let csrf = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a csrf field")
        .to_owned();
    assert!(csrf.len() >= 32 && !TOKEN.contains(&csrf), "{csrf}");
    let form = |csrf: &str| {
        no_redirects
            .post(server.url("/jobs/refresh"))
            .header("Cookie", cookie.clone())
            .header("Origin", server.base.clone())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(format!("csrf={csrf}"))
            .send()
    };
    assert_eq!(form("wrong").await.unwrap().status(), StatusCode::FORBIDDEN);
    let jobs = server.json("/api/jobs").await;
    let queued = |jobs: &Value| {
        jobs["pending"]
            .as_array()
            .unwrap()
            .iter()
            .chain(jobs["done"].as_array().unwrap())
            .chain(jobs["running"].as_object().map(|_| &jobs["running"]))
            .filter(|j| j["what"] == "refresh")
            .count()
    };
    assert_eq!(queued(&jobs), 0, "{jobs:#}");
    let accepted = form(&csrf).await.unwrap();
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    assert_eq!(accepted.headers()["location"], "/");
    // The header works for scripts that use the cookie.
    let by_header = no_redirects
        .post(server.url("/api/jobs/dedupe"))
        .header("Cookie", cookie)
        .header("X-CSRF-Token", csrf)
        .send()
        .await
        .unwrap();
    Server::accepted(by_header).await;
    let jobs = server.json("/api/jobs").await;
    assert_eq!(queued(&jobs), 1, "{jobs:#}");
    server.wait(&confirm_job, "done").await;
}

/// Opens a connection and sends half a request header, as a slow or
/// hostile client does.
async fn half_a_header(server: &Server) -> tokio::net::TcpStream {
    use tokio::io::AsyncWriteExt;
    let addr = server.base.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        .await
        .unwrap();
    stream
}

/// Waits for the server to close `stream` (a read sees the end); false
/// when it is still open after `limit`.
async fn closed_within(stream: &mut tokio::net::TcpStream, limit: Duration) -> bool {
    use tokio::io::AsyncReadExt;
    let mut buf = [0u8; 1024];
    tokio::time::timeout(limit, async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await
    .is_ok()
}

/// A client that sends half a header is cut off after
/// `serve.read_timeout_seconds`, idle connections too, and more than
/// `serve.max_connections` at once are refused, so a few slow clients
/// cannot hold the server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_and_idle_clients_are_cut_off_and_connections_are_limited() {
    let world = World::start().await;
    std::fs::write(
        world.config_path(),
        format!(
            "{}serve:\n  read_timeout_seconds: 1\n  max_connections: 2\n",
            world.config_text()
        ),
    )
    .unwrap();
    let server = Server::start(&world).await;
    let mut slow = half_a_header(&server).await;
    let mut slower = half_a_header(&server).await;
    // Both slots are taken: a third connection is closed at once.
    let mut third = half_a_header(&server).await;
    assert!(closed_within(&mut third, Duration::from_secs(30)).await);
    // The header timeout closes the slow ones.
    assert!(closed_within(&mut slow, Duration::from_secs(30)).await);
    assert!(closed_within(&mut slower, Duration::from_secs(30)).await);
    // Then the server answers again.
    let health = reqwest::get(server.url("/healthz")).await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    // An idle keep-alive connection is closed too.
    {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let addr = server.base.trim_start_matches("http://").to_owned();
        let mut idle = tokio::net::TcpStream::connect(addr).await.unwrap();
        idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .await
            .unwrap();
        let mut answer = vec![0u8; 512];
        let n = idle.read(&mut answer).await.unwrap();
        assert!(String::from_utf8_lossy(&answer[..n]).starts_with("HTTP/1.1 200"));
        assert!(closed_within(&mut idle, Duration::from_secs(30)).await);
    }
    // A body that stops coming is cut off as well.
    {
        use tokio::io::AsyncWriteExt;
        let addr = server.base.trim_start_matches("http://").to_owned();
        let mut stalled = tokio::net::TcpStream::connect(addr).await.unwrap();
        stalled
            .write_all(
                format!(
                    "POST /hooks/tautulli?token={TOKEN} HTTP/1.1\r\nHost: 127.0.0.1\r\n\
                     Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"title\""
                )
                .as_bytes(),
            )
            .await
            .unwrap();
        assert!(closed_within(&mut stalled, Duration::from_secs(30)).await);
    }
    assert_eq!(pending_files(&world), 0);
}

/// On SIGTERM the worker is told at once: the running job may finish,
/// the next one does not start; a client holding a connection with half a
/// header does not delay the exit.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_starts_no_new_job_and_a_slow_client_does_not_hold_the_exit() {
    let world = World::start().await;
    let data = DataDir::new(world.data_dir());
    let cli_lock = data.lock(Duration::ZERO).await.unwrap();
    let server = Server::start(&world).await;
    let (first, _) = Server::accepted(
        server
            .tautulli_hook(&tautulli_body("Inception", "2010", "a"))
            .await,
    )
    .await;
    let (second, _) = Server::accepted(
        server
            .http
            .post(server.url("/api/jobs/refresh"))
            .header("X-Curator-Token", TOKEN)
            .send()
            .await
            .unwrap(),
    )
    .await;
    server.wait(&first, "waiting").await;
    let _slow = half_a_header(&server).await;
    server.terminate();
    server
        .wait_output("stopping: letting watched Inception (2010) finish")
        .await;
    drop(cli_lock);
    let (status, output) = server.exited().await;
    assert!(status.success(), "{output}");
    assert_eq!(pending_files(&world), 1, "{output}");
    let left = std::fs::read_to_string(
        world
            .data_dir()
            .join("queue/pending")
            .join(format!("{second}.json")),
    )
    .unwrap();
    assert!(left.contains("refresh"), "{left}");
}

/// The points book's pending movies: (TMDb id, title, year).
fn pending_movies(world: &World) -> Vec<(u32, String, u16)> {
    pending_in(world, "recommendation_points.json")
}

/// LLM requests of runs: all but the service check's (which asks for
/// suggestions for Heat, once at start, at a moment of its own).
fn llm_runs(world: &World) -> usize {
    world
        .llm
        .requests()
        .iter()
        .filter(|r| !r.message("user").is_some_and(|m| m.contains("Heat")))
        .count()
}

/// The TV points book's pending shows: (TMDb id, title, year).
fn pending_shows(world: &World) -> Vec<(u32, String, u16)> {
    pending_in(world, curator_core::TV_POINTS_FILE)
}

/// The pending entries of the points book in `file`.
fn pending_in(world: &World, file: &str) -> Vec<(u32, String, u16)> {
    let text = std::fs::read_to_string(world.data_dir().join(file)).expect("a points file");
    let book: Value = serde_json::from_str(&text).unwrap();
    book["movies"]
        .as_object()
        .expect("movies by TMDb id")
        .iter()
        .filter(|(_, e)| e["status"] == "pending")
        .map(|(id, e)| {
            (
                id.parse().unwrap(),
                e["title"].as_str().unwrap().to_owned(),
                e["year"].as_u64().unwrap_or(2000) as u16,
            )
        })
        .collect()
}

/// Radarr's Connect -> Webhook "On Import" (`eventType: "Download"`,
/// `movie.tmdbId`: Radarr's `WebhookImportPayload`, `WebhookMovie`,
/// `WebhookEventType`, serialised camelCase) and Plex's `library.new`
/// promote the movie from pending to active and add it to the collection,
/// with no LLM request and no full run; Radarr's "Test" is answered 200.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn radarr_imports_and_plex_library_new_bring_pending_movies_into_the_collection() {
    let world = World::start().await;
    let server = Server::start(&world).await;
    let (id, _) = Server::accepted(
        server
            .tautulli_hook(&tautulli_body("Inception", "2010", "alice"))
            .await,
    )
    .await;
    assert_eq!(server.wait(&id, "done").await["outcome"], "ok");
    let mut pending = pending_movies(&world);
    assert!(!pending.is_empty(), "{pending:?}");
    // A second movie waiting for Radarr, for Plex's event below.
    let path = world.data_dir().join("recommendation_points.json");
    let mut book: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut waiting = book["movies"][pending[0].0.to_string()].clone();
    waiting["title"] = json!("A Film Plex Adds Later");
    waiting["year"] = json!(2021);
    book["movies"]["9100001"] = waiting;
    std::fs::write(&path, serde_json::to_vec_pretty(&book).unwrap()).unwrap();
    pending.push((9_100_001, "A Film Plex Adds Later".to_owned(), 2021));
    let radarr_hook = |body: Value| {
        server
            .http
            .post(server.url(&format!("/hooks/radarr?token={TOKEN}")))
            .json(&body)
            .send()
    };

    // Radarr's Test button.
    let test = radarr_hook(json!({
        "eventType": "Test", "instanceName": "Radarr", "applicationUrl": "",
        "movie": {"id": 1, "title": "Test Title", "year": 1970, "tmdbId": 0}
    }))
    .await
    .unwrap();
    assert_eq!(test.status(), StatusCode::OK);
    assert_eq!(pending_files(&world), 0);

    // The first pending movie is imported by Radarr, then scanned by Plex.
    let (tmdb, title, year) = pending[0].clone();
    let key = world.plex.add_movie(
        "1",
        plex_client::fake::FakeMovie::new(title.clone(), year).tmdb(tmdb),
    );
    let llm_before = world.llm.requests().len();
    let (job, status) = Server::accepted(
        radarr_hook(json!({
            "eventType": "Download",
            "instanceName": "Radarr",
            "movie": {"id": 7, "title": title, "year": year, "tmdbId": tmdb,
                "imdbId": "tt0000001", "folderPath": "/movies/x", "tags": ["recommended"]},
            "movieFile": {"id": 3, "relativePath": "x.mkv", "quality": "Bluray-1080p"},
            "isUpgrade": false, "downloadClient": "qBittorrent"
        }))
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(status, "queued");
    let done = server.wait(&job, "done").await;
    assert_eq!(done["outcome"], "ok", "{done:#}\n{}", server.output());
    assert_eq!(done["what"], format!("arrived {title} ({year})"));
    assert!(!pending_movies(&world).iter().any(|(id, ..)| *id == tmdb));
    assert!(
        world.collection(IMMACULATE).contains(&title),
        "{title} not in {:?}",
        world.collection(IMMACULATE)
    );
    assert_eq!(world.llm.requests().len(), llm_before, "no LLM request");
    let _ = key;
    assert!(
        pending_movies(&world)
            .iter()
            .any(|(id, ..)| *id == 9_100_001),
        "not in Plex yet: still pending"
    );

    // Plex's library.new for the next one (no Radarr webhook needed).
    let (tmdb, title, year) = pending.last().unwrap().clone();
    let key = world.plex.add_movie(
        "1",
        plex_client::fake::FakeMovie::new(title.clone(), year).tmdb(tmdb),
    );
    let new_item = json!({
        "event": "library.new", "user": true, "owner": true,
        "Account": {"id": 1, "title": "alice"},
        "Server": {"title": "Office", "uuid": world.plex.machine_identifier()},
        "Metadata": {"librarySectionType": "movie", "ratingKey": key.0, "type": "movie",
            "title": title, "year": year, "librarySectionTitle": "Movies",
            "Guid": [{"id": format!("tmdb://{tmdb}")}]}
    })
    .to_string();
    let (job, _) = Server::accepted(server.plex_hook(&new_item, Some(TOKEN)).await).await;
    let done = server.wait(&job, "done").await;
    assert_eq!(done["outcome"], "ok", "{done:#}");
    assert!(world.collection(IMMACULATE).contains(&title));
    assert!(!pending_movies(&world).iter().any(|(id, ..)| *id == tmdb));
}

/// Sonarr's Connect -> Webhook "On Import" (`eventType: "Download"`,
/// `series.tvdbId` and `tmdbId`, `episodes`, `isUpgrade`: Sonarr's
/// `WebhookImportPayload`, `WebhookSeries`, `WebhookEpisode`,
/// `WebhookEventType`, src/NzbDrone.Core/Notifications/Webhook) and Plex's
/// `library.new` of an episode in the TV library promote the show from
/// pending to active and add it to the TV Immaculate Taste collection,
/// with no LLM request and no full run; Sonarr's "Test" is answered 200.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sonarr_imports_and_plex_library_new_bring_pending_shows_into_the_tv_collection() {
    const TV_IMMACULATE: &str = "Inspired by your Immaculate Taste (TV)";
    let world = World::start_tv().await;
    world
        .curator(&["run", "Severance - Good News About Hell", "episode"])
        .await
        .assert_code(0);
    let expanse = 63639;
    assert!(
        pending_shows(&world).iter().any(|(id, ..)| *id == expanse),
        "{:?}",
        pending_shows(&world)
    );
    // A second show waiting for Sonarr, for Plex's event below.
    let path = world.data_dir().join(curator_core::TV_POINTS_FILE);
    let mut book: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut waiting = book["movies"][expanse.to_string()].clone();
    waiting["title"] = json!("A Show Plex Adds Later");
    waiting["year"] = json!(2021);
    book["movies"]["9100002"] = waiting;
    std::fs::write(&path, serde_json::to_vec_pretty(&book).unwrap()).unwrap();
    let server = Server::start(&world).await;
    let sonarr_hook = |body: Value| {
        server
            .http
            .post(server.url(&format!("/hooks/sonarr?token={TOKEN}")))
            .json(&body)
            .send()
    };

    // Sonarr's Test button (WebhookBase.BuildTestPayload).
    let test = sonarr_hook(json!({
        "eventType": "Test", "instanceName": "Sonarr", "applicationUrl": "",
        "series": {"id": 1, "title": "Test Title", "path": "C:\\testpath", "tvdbId": 1234,
            "tags": ["test-tag"]},
        "episodes": [{"id": 123, "episodeNumber": 1, "seasonNumber": 1, "title": "Test title"}]
    }))
    .await
    .unwrap();
    assert_eq!(test.status(), StatusCode::OK);
    assert_eq!(pending_files(&world), 0);

    // Sonarr imported The Expanse's first episode; Plex scanned it.
    world.plex.add_show(
        "2",
        plex_client::fake::FakeShow::new("The Expanse", 2015)
            .tmdb(expanse)
            .tvdb(280_619)
            .season(1, 2),
    );
    let llm_before = llm_runs(&world);
    let import = json!({
        "eventType": "Download", "instanceName": "Sonarr", "applicationUrl": "",
        "series": {"id": 9, "title": "The Expanse", "titleSlug": "the-expanse",
            "path": "/tv/The Expanse", "tvdbId": 280_619, "tmdbId": expanse,
            "imdbId": "tt3230854", "type": "standard", "year": 2015, "tags": ["curator"]},
        "episodes": [{"id": 77, "episodeNumber": 1, "seasonNumber": 1, "title": "Dulcinea",
            "seriesId": 9, "tvdbId": 5_126_016}],
        "episodeFile": {"id": 3, "relativePath": "Season 01/The Expanse - S01E01.mkv",
            "quality": "WEBDL-1080p", "size": 1},
        "isUpgrade": false, "downloadClient": "qBittorrent"
    });
    // A better file for it later is no arrival.
    let mut upgrade = import.clone();
    upgrade["isUpgrade"] = json!(true);
    let answer = sonarr_hook(upgrade).await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    let answer: Value = answer.json().await.unwrap();
    assert_eq!(answer["status"], "ignored", "{answer}");
    let (job, status) = Server::accepted(sonarr_hook(import).await.unwrap()).await;
    assert_eq!(status, "queued");
    let done = server.wait(&job, "done").await;
    assert_eq!(done["outcome"], "ok", "{done:#}\n{}", server.output());
    assert_eq!(done["what"], "arrived the show The Expanse (2015)");
    assert!(!pending_shows(&world).iter().any(|(id, ..)| *id == expanse));
    assert!(
        world
            .collection(TV_IMMACULATE)
            .contains(&"The Expanse".to_owned()),
        "{:?}",
        world.collection(TV_IMMACULATE)
    );
    assert_eq!(llm_runs(&world), llm_before, "no LLM request");
    assert!(
        pending_shows(&world)
            .iter()
            .any(|(id, ..)| *id == 9_100_002),
        "not in Plex yet: still pending"
    );

    // Plex's library.new of an episode of the next one.
    world.plex.add_show(
        "2",
        plex_client::fake::FakeShow::new("A Show Plex Adds Later", 2021)
            .tmdb(9_100_002)
            .season(1, 1),
    );
    let episode = world
        .plex
        .episode_key("A Show Plex Adds Later", 1, 1)
        .expect("its episode");
    let new_item = json!({
        "event": "library.new", "user": true, "owner": true,
        "Account": {"id": 1, "title": "alice"},
        "Server": {"title": "Office", "uuid": world.plex.machine_identifier()},
        "Metadata": {"librarySectionType": "show", "ratingKey": episode.0, "type": "episode",
            "title": "Pilot", "grandparentTitle": "A Show Plex Adds Later",
            "parentTitle": "Season 1", "librarySectionTitle": "TV Shows",
            "Guid": [{"id": "tvdb://1"}]}
    })
    .to_string();
    let (job, _) = Server::accepted(server.plex_hook(&new_item, Some(TOKEN)).await).await;
    let done = server.wait(&job, "done").await;
    assert_eq!(done["outcome"], "ok", "{done:#}");
    assert_eq!(done["what"], "arrived the show A Show Plex Adds Later");
    assert!(
        world
            .collection(TV_IMMACULATE)
            .contains(&"A Show Plex Adds Later".to_owned())
    );
    assert!(
        !pending_shows(&world)
            .iter()
            .any(|(id, ..)| *id == 9_100_002)
    );
    assert_eq!(llm_runs(&world), llm_before, "no LLM request");
    let metrics = server.get("/metrics").await.text().await.unwrap();
    assert!(
        metrics.contains(r#"curator_events_total{source="sonarr",result="queued"} 1"#),
        "{metrics}"
    );
}

/// Radarr and Sonarr send their webhook's Username and Password as HTTP
/// Basic auth, up front (Radarr/Sonarr `WebhookSettings` Username,
/// Password and Headers; `WebhookProxy` sets a `BasicNetworkCredential`,
/// which `ManagedHttpDispatcher` writes as `Authorization: Basic`): the
/// token as the password (any user name) or as an `X-Api-Key` header is
/// enough, with no token in the URL. `?token=` still works there, with a
/// hint logged once per source; the token is never logged.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn radarr_and_sonarr_authenticate_with_basic_auth_or_a_header_instead_of_the_url() {
    let world = World::start().await;
    let server = Server::start(&world).await;
    let test_event = json!({
        "eventType": "Test", "instanceName": "Radarr", "applicationUrl": "",
        "movie": {"id": 1, "title": "Test Title", "year": 1970, "tmdbId": 0}
    });
    let post = |path: &str| server.http.post(server.url(path)).json(&test_event);
    let basic = post("/hooks/radarr")
        .basic_auth("radarr", Some(TOKEN))
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), StatusCode::OK);
    let answer: Value = basic.json().await.unwrap();
    assert_eq!(answer["status"], "ignored", "{answer}");
    let header = post("/hooks/sonarr")
        .header("X-Api-Key", TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(header.status(), StatusCode::OK);
    // The user name does not matter; the password does.
    let wrong = post("/hooks/radarr")
        .basic_auth(TOKEN, Some("not-the-token"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let text = wrong.text().await.unwrap();
    assert!(text.contains("Basic"), "{text}");
    let none = post("/hooks/sonarr")
        .basic_auth("sonarr", None::<&str>)
        .send()
        .await
        .unwrap();
    assert_eq!(none.status(), StatusCode::UNAUTHORIZED);
    assert!(
        !server.output().contains("sent the token"),
        "{}",
        server.output()
    );

    // The token in the URL still works, with a hint, once per source.
    for _ in 0..2 {
        let query = post(&format!("/hooks/radarr?token={TOKEN}"))
            .send()
            .await
            .unwrap();
        assert_eq!(query.status(), StatusCode::OK);
    }
    server
        .wait_output("Radarr sent the token in its webhook's URL")
        .await;
    let query = post(&format!("/hooks/sonarr?token={TOKEN}"))
        .send()
        .await
        .unwrap();
    assert_eq!(query.status(), StatusCode::OK);
    server
        .wait_output("Sonarr sent the token in its webhook's URL")
        .await;
    // Plex cannot send headers: no hint for it.
    let play =
        scrobble(&world, "Inception", 2010, 27205, "alice").replace("media.scrobble", "media.play");
    let plex = server.plex_hook(&play, Some(TOKEN)).await;
    assert_eq!(plex.status(), StatusCode::OK);
    let metrics = server.get("/metrics").await.text().await.unwrap();
    assert!(
        metrics.contains(r#"curator_events_total{source="radarr",result="unauthorized"} 1"#),
        "{metrics}"
    );
    let (_, output) = {
        server.terminate();
        server.exited().await
    };
    assert_eq!(
        output
            .matches("sent the token in its webhook's URL")
            .count(),
        2,
        "once for Radarr, once for Sonarr, none for Plex:\n{output}"
    );
    assert!(!output.contains(TOKEN), "{output}");
}

/// A job that panics (a bug in a step; here the debug build's test hook,
/// `$CURATOR_SERVE_TEST_PANIC`) is caught by the worker: each panic is a
/// failed attempt, the job runs again up to `serve.max_attempts`, then it
/// is parked as failed with the reason "panicked: <message>", and the
/// service goes on answering and running other jobs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_that_panics_is_retried_then_parked_and_the_service_keeps_serving() {
    let world = World::start().await;
    std::fs::write(
        world.config_path(),
        format!("{}serve:\n  max_attempts: 2\n", world.config_text()),
    )
    .unwrap();
    let server = Server::start_with(&world, &[("CURATOR_SERVE_TEST_PANIC", "Inception")]).await;
    let (id, _) = Server::accepted(
        server
            .tautulli_hook(&tautulli_body("Inception", "2010", "alice"))
            .await,
    )
    .await;
    let job = server.wait(&id, "done").await;
    assert_eq!(job["outcome"], "failed", "{job:#}\n{}", server.output());
    assert_eq!(job["attempts"], 2, "{job:#}");
    let error = job["error"].as_str().unwrap();
    assert!(
        error.starts_with("panicked: the test hook made the job for Inception panic"),
        "{error}"
    );
    assert!(error.contains("serve.max_attempts"), "{error}");
    assert_eq!(pending_files(&world), 0, "parked, not left to run again");
    assert_eq!(server.output().matches("job panicked").count(), 2);

    // The service still answers, and runs the next job.
    let health = server
        .http
        .get(server.url("/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    let (next, _) = Server::accepted(
        server
            .tautulli_hook(&tautulli_body("Heat", "1995", "alice"))
            .await,
    )
    .await;
    let job = server.wait(&next, "done").await;
    assert_eq!(job["outcome"], "ok", "{job:#}\n{}", server.output());
    assert_eq!(job["attempts"], 1);
    let metrics = server.get("/metrics").await.text().await.unwrap();
    assert!(
        metrics.contains(r#"curator_jobs_total{outcome="failed"} 1"#),
        "{metrics}"
    );
}

/// `curator serve` sends the periodic report on its own schedule
/// (`serve.schedules.report`, cron in the local time zone; croner, which
/// reads it, takes an optional seconds field, so `* * * * * *` fires every
/// second here) to the targets that take it, with the run history's
/// figures, and counts what it sent in `/metrics`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_sends_the_periodic_report_on_its_schedule() {
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let world = World::start().await;
    world
        .curator(&["run", "Heat (1995)", "movie"])
        .await
        .assert_code(0);
    let hooks = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&hooks)
        .await;
    std::fs::write(
        world.config_path(),
        format!(
            "{}notifications:\n  - webhook: \"{hooks}/report\"\n    on: always\n  - webhook: \"{hooks}/no-report\"\n    report: false\nserve:\n  schedules:\n    report: \"* * * * * *\"\n",
            world.config_text(),
            hooks = hooks.uri()
        ),
    )
    .unwrap();
    let server = Server::start(&world).await;
    server
        .wait_output("schedule: report at \"* * * * * *\"")
        .await;
    server.wait_output("periodic report").await;
    let got = hooks.received_requests().await.unwrap();
    let first = got.first().expect("a report was sent");
    assert_eq!(first.url.path(), "/report");
    assert!(
        got.iter().all(|r| r.url.path() == "/report"),
        "report: false opts out"
    );
    let body: Value = serde_json::from_slice(&first.body).unwrap();
    assert_eq!(body["event"], "report", "{body:#}");
    assert_eq!(body["data"]["runs"]["ok"], 1, "{body:#}");
    let metrics = server.get("/metrics").await.text().await.unwrap();
    let sent: u64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("curator_notifications_total{result=\"sent\"} "))
        .unwrap_or_else(|| panic!("{metrics}"))
        .parse()
        .unwrap();
    assert!(sent >= 1, "{metrics}");
    assert!(!server.output().contains(TOKEN));
}

/// With TV on, a Plex `media.scrobble` of an episode (its show as
/// `grandparentTitle` and `grandparentRatingKey`, its own `Guid`s the
/// episode's) runs the show's steps as `curator run ... episode` does; the
/// page lists the TV collections.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_episode_scrobble_runs_the_show_as_curator_run_does() {
    let by_cli = World::start_tv().await;
    by_cli
        .curator(&["run", "Severance - Good News About Hell", "episode"])
        .await
        .assert_code(0);

    let by_plex = World::start_tv().await;
    let server = Server::start(&by_plex).await;
    let show = by_plex
        .plex
        .show_key("Severance")
        .expect("Severance is in Plex");
    let episode = by_plex
        .plex
        .episode_key("Severance", 1, 1)
        .expect("its first episode");
    let payload = json!({
        "event": "media.scrobble",
        "user": true,
        "owner": true,
        "Account": {"id": 1, "title": "alice"},
        "Server": {"title": "Office", "uuid": by_plex.plex.machine_identifier()},
        "Metadata": {
            "librarySectionType": "show",
            "ratingKey": episode.0,
            "key": format!("/library/metadata/{}", episode.0),
            "grandparentRatingKey": show.0,
            "guid": "plex://episode/5ed7c5d1b3a0a1004f3f6f3a",
            "type": "episode",
            "title": "Good News About Hell",
            "grandparentTitle": "Severance",
            "parentTitle": "Season 1",
            "index": 1,
            "parentIndex": 1,
            "year": 2022,
            "librarySectionTitle": "TV Shows",
            "librarySectionID": 2,
            "Guid": [{"id": "imdb://tt11650492"}, {"id": "tmdb://1988010"}, {"id": "tvdb://7459876"}]
        }
    })
    .to_string();
    let (id, status) = Server::accepted(server.plex_hook(&payload, Some(TOKEN)).await).await;
    assert_eq!(status, "queued");
    let job = server.wait(&id, "done").await;
    assert_eq!(job["outcome"], "ok", "{job:#}\n{}", server.output());
    assert_eq!(job["what"], "watched an episode of Severance");

    for name in [
        "Based on your recently watched show",
        "Change of Taste (TV)",
    ] {
        let expected = sorted(by_cli.collection(name));
        assert!(!expected.is_empty(), "{name} is empty after curator run");
        assert_eq!(sorted(by_plex.collection(name)), expected, "{name}");
    }
    let series = |world: &World| {
        let mut ids: Vec<u32> = world
            .sonarr
            .as_ref()
            .unwrap()
            .series_list()
            .iter()
            .map(|s| s.tvdb_id.0)
            .collect();
        ids.sort_unstable();
        ids
    };
    assert_eq!(series(&by_plex), series(&by_cli));

    let html = server.get("/").await.text().await.unwrap();
    assert!(
        html.contains("<h2>Based on your recently watched show</h2>"),
        "{html}"
    );
    assert!(html.contains("shows, in Plex's order"), "{html}");
    assert!(
        html.contains("TV recently watched recommendations"),
        "{html}"
    );
    // The TV points book beside the movies' one, sorted and searched on
    // its own keys.
    let tv_book = match DataDir::new(by_plex.data_dir())
        .load_points_of(curator_http::MediaKind::Show)
        .unwrap()
    {
        curator_core::LoadedPoints::Current(book) => book,
        other => panic!("no TV points book: {other:?}"),
    };
    let (_, first) = tv_book.movies.iter().next().expect("a show has points");
    let tv_part = &html[html
        .find("<section class=\"wide\" id=\"points-tv\"><h2>Points book: TV</h2>")
        .unwrap_or_else(|| panic!("{html}"))..];
    let tv_part = &tv_part[..tv_part.find("</section>").unwrap()];
    assert!(
        tv_part.contains(&format!("<th scope=\"row\">{}</th>", first.title)),
        "{tv_part}"
    );
    assert!(tv_part.contains("name=\"tv_q\""), "{tv_part}");
    let searched = server
        .get("/?tv_q=zzz-no-such-show&sort=title")
        .await
        .text()
        .await
        .unwrap();
    let tv_part = &searched[searched.find("id=\"points-tv\"").unwrap()..];
    let tv_part = &tv_part[..tv_part.find("</section>").unwrap()];
    assert!(tv_part.contains("no title holds"), "{tv_part}");
    assert!(
        tv_part.contains("<input type=\"hidden\" name=\"sort\" value=\"title\">"),
        "the movies' sort is kept: {tv_part}"
    );
    assert_no_secret(&html);
    // Metrics count Sonarr's requests like the other services'.
    let metrics = server.get("/metrics").await.text().await.unwrap();
    let sonarr_requests: u64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("curator_service_requests_total{service=\"sonarr\"} "))
        .unwrap_or_else(|| panic!("{metrics}"))
        .parse()
        .unwrap();
    assert!(sonarr_requests > 0, "{metrics}");
}

/// `curator healthcheck` (the image's HEALTHCHECK) asks the running
/// server's `/healthz` on the listen address; a server that is not there
/// exits 1.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthcheck_asks_the_running_server() {
    let world = World::start().await;
    let server = Server::start(&world).await;
    let addr = server.base.trim_start_matches("http://").to_owned();
    let port = addr.rsplit(':').next().unwrap().to_owned();
    let ok = world
        .curator(&["healthcheck", "--listen", &format!("0.0.0.0:{port}")])
        .await;
    ok.assert_code(0);
    assert!(ok.stdout.contains("ok"), "{}", ok.all());
    server.kill().await;
    let gone = world.curator(&["healthcheck", "--listen", &addr]).await;
    gone.assert_code(1);
    assert!(gone.stderr.contains("healthz"), "{}", gone.all());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_and_the_api_approve_and_reject_held_movies() {
    let world = World::start().await;
    let config = world.config_text().replace(
        "  quality_profile_id: 1\n",
        "  quality_profile_id: 1\n  require_approval: true\n",
    );
    std::fs::write(world.config_path(), config).unwrap();
    let server = Server::start(&world).await;
    let (id, _) = Server::accepted(
        server
            .tautulli_hook(&tautulli_body("Inception", "2010", "alice"))
            .await,
    )
    .await;
    server.wait(&id, "done").await;
    assert!(world.radarr_ids().is_empty());

    // Tenet and Forrest Gump wait, with the ids the routes take.
    let held = server.json("/api/approvals").await;
    let ids: Vec<&str> = held["waiting"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["577922", "13"], "{held:#}");
    assert_eq!(held["waiting"][0]["title"], "Tenet");
    assert_eq!(held["waiting"][0]["collection"], RECENT);
    assert_eq!(held["waiting"][0]["seed"], "Inception (2010)");

    // The page lists them first, with plain forms carrying the CSRF token.
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let first = no_redirects
        .get(server.url(&format!("/?token={TOKEN}")))
        .send()
        .await
        .unwrap();
    let cookie = first.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let html = no_redirects
        .get(server.url("/"))
        .header("Cookie", cookie.clone())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("<h2>Waiting for your approval</h2>"),
        "{html}"
    );
    assert!(
        html.find("Waiting for your approval") < html.find("<h2>Services</h2>"),
        "{html}"
    );
    for form in [
        "action=\"/approvals/577922/approve\"",
        "action=\"/approvals/13/reject\"",
        "action=\"/approvals/all/approve\"",
    ] {
        assert!(html.contains(form), "{form} in {html}");
    }
    assert!(!html.contains(TOKEN));
    let csrf = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let form = |path: &str, csrf: &str| {
        no_redirects
            .post(server.url(path))
            .header("Cookie", cookie.clone())
            .header("Origin", server.base.clone())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(format!("csrf={csrf}"))
            .send()
    };
    // Without the CSRF token, neither the form nor the cookie-only API acts.
    let refused = form("/approvals/13/reject", "wrong").await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let refused = no_redirects
        .post(server.url("/api/approvals/13/reject"))
        .header("Cookie", cookie.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    // A form body is not JSON: the API refuses it.
    let not_json = server
        .http
        .post(server.url("/api/approvals/13/reject"))
        .header("X-Curator-Token", TOKEN)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("x=1")
        .send()
        .await
        .unwrap();
    assert_eq!(not_json.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        server.json("/api/approvals").await["waiting"],
        held["waiting"]
    );

    // Reject one through the API, approve the other with the page's form.
    let rejected = server
        .http
        .post(server.url("/api/approvals/13/reject"))
        .header("X-Curator-Token", TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(rejected.status(), StatusCode::OK);
    let body: Value = rejected.json().await.unwrap();
    assert_eq!(body["titles"][0]["title"], "Forrest Gump", "{body:#}");
    let approved = form("/approvals/577922/approve", &csrf).await.unwrap();
    assert_eq!(approved.status(), StatusCode::SEE_OTHER);
    assert_eq!(approved.headers()["location"], "/");
    let gone = form("/approvals/13/approve", &csrf).await.unwrap();
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);

    // Jobs run in order: once a later one is done, the approval is too.
    let (later, _) = Server::accepted(
        server
            .http
            .post(server.url("/api/jobs/confirm-monitored"))
            .header("X-Curator-Token", TOKEN)
            .send()
            .await
            .unwrap(),
    )
    .await;
    server.wait(&later, "done").await;
    let jobs = server.json("/api/jobs").await;
    let approval = jobs["done"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["what"] == "approve 577922")
        .unwrap_or_else(|| panic!("{jobs:#}"));
    assert_eq!(approval["outcome"], "ok", "{approval:#}");
    assert_eq!(world.radarr_ids(), [curator_http::TmdbId(577_922)]);
    let after = server.json("/api/approvals").await;
    assert_eq!(after["waiting"], json!([]));
    assert_eq!(after["rejected"][0]["id"], "13");
    assert_no_secret(&server.output());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pages_actions_queue_jobs_and_live_shows_their_results() {
    let world = World::start().await;
    let server = Server::start(&world).await;
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let first = no_redirects
        .get(server.url(&format!("/?token={TOKEN}")))
        .send()
        .await
        .unwrap();
    let cookie = first.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let html = no_redirects
        .get(server.url("/"))
        .header("Cookie", cookie.clone())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for wanted in [
        "action=\"/jobs/run\"",
        ">Run for a title</button>",
        ">Refresh now</button>",
        ">Confirm monitored now</button>",
        "action=\"/jobs/plan-dedupe\"",
        ">Plan duplicates</button>",
        "data-live=\"/live\"",
    ] {
        assert!(html.contains(wanted), "{wanted} in {html}");
    }
    let csrf = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let form = |path: &str, body: String| {
        no_redirects
            .post(server.url(path))
            .header("Cookie", cookie.clone())
            .header("Origin", server.base.clone())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    // Without the CSRF token nothing is queued; a bad year is refused.
    let refused = form("/jobs/run", "csrf=wrong&title=Inception".into())
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let bad = form(
        "/jobs/run",
        format!("csrf={csrf}&title=Inception&year=soon"),
    )
    .await
    .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let queued = form(
        "/jobs/run",
        format!("csrf={csrf}&title=Inception&year=2010"),
    )
    .await
    .unwrap();
    assert_eq!(queued.status(), StatusCode::SEE_OTHER);
    let planned = form("/jobs/plan-dedupe", format!("csrf={csrf}"))
        .await
        .unwrap();
    assert_eq!(planned.status(), StatusCode::SEE_OTHER);

    // Jobs run in order: once a later one is done, both are.
    let (later, _) = Server::accepted(
        server
            .http
            .post(server.url("/api/jobs/confirm-monitored"))
            .header("X-Curator-Token", TOKEN)
            .send()
            .await
            .unwrap(),
    )
    .await;
    server.wait(&later, "done").await;
    let jobs = server.json("/api/jobs").await;
    let done: Vec<&str> = jobs["done"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["what"].as_str().unwrap())
        .collect();
    assert!(done.contains(&"watched Inception (2010)"), "{jobs:#}");
    assert!(done.contains(&"plan dedupe (dry run)"), "{jobs:#}");
    let plan = jobs["done"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["what"] == "plan dedupe (dry run)")
        .unwrap();
    assert_eq!(plan["dry_run"], true, "{plan:#}");
    assert_eq!(
        world.radarr_ids().len(),
        2,
        "the run sent its missing movies"
    );

    // The page's poll gets the result as structured cards, with the cookie.
    let live: Value = no_redirects
        .get(server.url("/live"))
        .header("Cookie", cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let runs = live["runs"].as_str().unwrap();
    assert!(runs.contains("watched Inception (2010)"), "{runs}");
    assert!(runs.contains("Recently watched recommendations"), "{runs}");
    assert!(runs.contains("<strong>Tenet (2020)</strong>"), "{runs}");
    assert!(runs.contains("sent to radarr"), "{runs}");
    assert!(!runs.contains(TOKEN));
    assert!(live["queue"].as_str().unwrap().contains("nothing waiting"));
}

/// Every URL the page's HTML names: `href`, `action`, `src` and the
/// script's `data-live`, unescaped.
fn page_urls(html: &str) -> Vec<String> {
    let mut urls = Vec::new();
    for attribute in [" href=\"", " action=\"", " src=\"", " data-live=\""] {
        for rest in html.split(attribute).skip(1) {
            let value = rest.split('"').next().unwrap();
            urls.push(value.replace("&amp;", "&"));
        }
    }
    urls
}

#[tokio::test]
async fn behind_a_proxy_at_a_sub_path_every_link_form_redirect_and_cookie_carries_it() {
    let world = World::start().await;
    let server = Server::start_with(&world, &[("CURATOR_BASE_PATH", "/curator/")]).await;
    server.wait_output("base path: /curator/").await;
    let upstream = server.base.trim_start_matches("http://").to_owned();
    let proxy = crate::proxy::StripPrefix::start(upstream, "/curator").await;
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let at = |path: &str| format!("{}{path}", proxy.base);

    // Opened once with the token: back to the page under the prefix, with
    // a cookie for the prefix only.
    let first = browser
        .get(at(&format!("/curator/?token={TOKEN}&sort=title")))
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    assert_eq!(first.headers()["location"], "/curator/?sort=title");
    let set_cookie = first.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(set_cookie.contains("; Path=/curator;"), "{set_cookie}");
    let cookie = set_cookie.split(';').next().unwrap().to_owned();

    let page = browser
        .get(at("/curator/"))
        .header("Cookie", cookie.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    let urls = page_urls(&html);
    let rooted: Vec<&String> = urls.iter().filter(|u| u.starts_with('/')).collect();
    // The sort links, the action forms and the script's URL at least.
    assert!(rooted.len() >= 6, "{urls:?}");
    for url in &rooted {
        assert!(
            url.starts_with("/curator/"),
            "{url} has no prefix in {html}"
        );
    }
    assert!(
        urls.iter()
            .all(|u| u.starts_with('/') || u.starts_with('#') || u.starts_with("data:")),
        "a relative or foreign URL in {urls:?}"
    );
    assert!(
        !html.contains("fetch('/") && !html.contains("fetch(\"/"),
        "{html}"
    );
    assert!(rooted.contains(&&"/curator/live".to_owned()), "{urls:?}");
    assert!(
        rooted.contains(&&"/curator/jobs/run".to_owned()),
        "{urls:?}"
    );

    // Each link answers through the proxy; the script's poll too.
    for url in rooted.iter().filter(|u| !u.contains("/jobs/")) {
        let answer = browser
            .get(at(url))
            .header("Cookie", cookie.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::OK, "{url}");
    }

    // A form post is sent back to the page under the prefix.
    let csrf = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let queued = browser
        .post(at("/curator/jobs/run"))
        .header("Cookie", cookie.clone())
        .header("Origin", proxy.base.clone())
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!("csrf={csrf}&title=Inception&year=2010"))
        .send()
        .await
        .unwrap();
    assert_eq!(queued.status(), StatusCode::SEE_OTHER);
    assert_eq!(queued.headers()["location"], "/curator/");
    let forwarded = proxy.forwarded.lock().unwrap().clone();
    assert!(
        forwarded.contains(&"POST /jobs/run".to_owned()),
        "{forwarded:?}"
    );
    assert!(forwarded.contains(&"GET /live".to_owned()), "{forwarded:?}");

    // A proxy that passes the prefix on reaches the same routes, and so
    // does a request straight to the port.
    for path in ["/curator/live", "/curator", "/live", "/"] {
        assert_eq!(server.get(path).await.status(), StatusCode::OK, "{path}");
    }
    assert_eq!(
        server.get("/curatorx/live").await.status(),
        StatusCode::NOT_FOUND
    );
}

/// The value of `name="..."` in the first tag of `html` that has it after `from`.
fn attribute<'a>(html: &'a str, from: &str, name: &str) -> &'a str {
    let start = html
        .find(from)
        .unwrap_or_else(|| panic!("{from} in {html}"));
    let rest = &html[start..];
    let value = rest.split(&format!("{name}=\"")).nth(1).unwrap();
    &value[..value.find('"').unwrap()]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_shows_posters_through_curator_and_a_second_view_asks_plex_at_most_once() {
    let world = World::start().await;
    world
        .curator(&["run", "Inception (2010)", "movie"])
        .await
        .assert_code(0);
    let server = Server::start(&world).await;
    let plex = world.plex.stats();

    let html = server.get("/").await.text().await.unwrap();
    let read = plex.total();
    assert!(read >= 3, "the first view reads Plex: {read}");
    let again = server.get("/").await.text().await.unwrap();
    assert!(
        plex.total() - read <= 1,
        "a second view cost {} Plex requests",
        plex.total() - read
    );
    assert_eq!(
        again.matches("<img ").count(),
        html.matches("<img ").count()
    );

    // Each collection item: its poster from curator (lazy, sized, the
    // title as alt text), linked to the item in Plex's web app.
    let order = world.collection(IMMACULATE);
    assert!(!order.is_empty());
    let first = &order[0];
    let start = html.find(&format!("<h2>{IMMACULATE}</h2>")).unwrap();
    let src = attribute(&html[start..], "<img ", "src");
    let key = src
        .strip_prefix("/posters/")
        .and_then(|rest| rest.split('?').next())
        .unwrap();
    let shown = world.plex.movie(&key.into()).unwrap();
    assert_eq!(
        &shown.title, first,
        "the grid starts where Plex's order does"
    );
    assert!(attribute(&html[start..], "<img ", "alt").starts_with(&format!("{first} (")));
    let img_start = html.find(&format!("<img src=\"{src}\"")).unwrap();
    let img = &html[img_start..img_start + html[img_start..].find('>').unwrap()];
    for wanted in ["loading=\"lazy\"", "width=\"120\"", "height=\"180\""] {
        assert!(img.contains(wanted), "{wanted} in {img}");
    }
    assert!(src.starts_with(&format!("/posters/{key}?v=")), "{src}");
    let machine = world.plex.machine_identifier();
    assert!(
        html.contains(&format!(
            "href=\"https://app.plex.tv/desktop/#!/server/{machine}/details?key=%2Flibrary%2Fmetadata%2F{key}\""
        )),
        "no link to {first} in Plex"
    );

    // The poster: fetched from Plex once, kept, then answered from the file.
    let poster = server.get(src).await;
    assert_eq!(poster.status(), StatusCode::OK);
    assert_eq!(poster.headers()["content-type"], "image/png");
    let etag = poster.headers()["etag"].to_str().unwrap().to_owned();
    let bytes = poster.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert_eq!(
        bytes[16..24],
        [0, 0, 0, 240, 0, 0, 1, 104],
        "240 x 360 asked of Plex"
    );
    assert_eq!(plex.count(plex_client::ops::THUMBNAIL), 1);
    let kept: Vec<_> = std::fs::read_dir(world.data_dir().join("posters/plex"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(kept[0].starts_with(&format!("{key}-")), "{kept:?}");
    assert_eq!(server.get(src).await.bytes().await.unwrap(), bytes);
    let unchanged = server
        .http
        .get(server.url(src))
        .header("X-Curator-Token", TOKEN)
        .header("If-None-Match", etag.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(
        plex.count(plex_client::ops::THUMBNAIL),
        1,
        "asked Plex again"
    );
    let refused = server.http.get(server.url(src)).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);

    // Unknown items get the placeholder image, never an error the grid shows.
    for unknown in [
        "/posters/999999",
        "/posters/12ab",
        "/posters/tmdb/film/1",
        "/posters/tmdb/movie/1",
    ] {
        let answer = server.get(unknown).await;
        assert_eq!(answer.status(), StatusCode::OK, "{unknown}");
        assert_eq!(
            answer.headers()["content-type"],
            "image/svg+xml",
            "{unknown}"
        );
        assert!(answer.text().await.unwrap().starts_with("<svg"));
    }

    // Pending titles with their TMDb posters (details once, then the image).
    let pending = attribute(&html, "id=\"pending\"", "src").to_owned();
    assert!(pending.starts_with("/posters/tmdb/movie/"), "{pending}");
    let tmdb = world.tmdb.stats();
    let (details, images) = (
        tmdb.count(tmdb_client::ops::MOVIE),
        tmdb.count(tmdb_client::ops::POSTER),
    );
    let answer = server.get(&pending).await;
    assert_eq!(answer.headers()["content-type"], "image/png");
    assert!(answer.bytes().await.unwrap().starts_with(b"\x89PNG"));
    assert_eq!(tmdb.count(tmdb_client::ops::POSTER), images + 1);
    assert!(tmdb.count(tmdb_client::ops::MOVIE) <= details + 1);
    server.get(&pending).await.bytes().await.unwrap();
    assert_eq!(
        tmdb.count(tmdb_client::ops::POSTER),
        images + 1,
        "kept, not fetched again"
    );

    assert_no_secret(&html);
    assert!(!html.contains(TOKEN));
    assert_no_secret(&server.output());
}

/// A run card lists each step's titles with their TMDb posters, through
/// curator and lazily (issue 25: "the movies added/sent/unresolved with
/// posters"); a title the run could not resolve has none.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_cards_titles_carry_their_posters_through_curator() {
    let world = World::start().await;
    let server = Server::start(&world).await;
    let (id, _) = Server::accepted(
        server
            .tautulli_hook(&tautulli_body("Inception", "2010", "alice"))
            .await,
    )
    .await;
    let job = server.wait(&id, "done").await;
    assert_eq!(job["outcome"], "ok", "{job:#}");

    let html = server.get("/").await.text().await.unwrap();
    let start = html
        .find(&format!("data-job=\"{id}\""))
        .expect("the run's card");
    let card = &html[start..start + html[start..].find("</article>").unwrap()];
    let minis: Vec<&str> = card
        .split("<img class=\"mini\" src=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    assert!(minis.len() >= 10, "{} posters in\n{card}", minis.len());
    for src in &minis {
        assert!(src.starts_with("/posters/tmdb/movie/"), "{src}");
    }
    let first = minis[0];
    let img_start = card.find(&format!("src=\"{first}\"")).unwrap();
    let img = &card[img_start..img_start + card[img_start..].find('>').unwrap()];
    for wanted in [
        "loading=\"lazy\"",
        "width=\"24\"",
        "height=\"36\"",
        "alt=\"",
    ] {
        assert!(img.contains(wanted), "{wanted} in {img}");
    }
    let poster = server.get(first).await;
    assert_eq!(poster.status(), StatusCode::OK);
    assert_eq!(poster.headers()["content-type"], "image/png");
    assert!(!html.contains(TOKEN));
}
