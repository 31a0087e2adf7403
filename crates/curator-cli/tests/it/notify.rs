//! Notifications after runs, against receivers that stand in for the real
//! ones (wiremock for webhook targets): who hears about what, and that a
//! receiver that is down changes nothing about the run.

use serde_json::Value;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{RADARR_KEY, World, assert_no_secret};

/// A port nobody listens on.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// The world's config with three webhook targets (one per `on:`) on
/// `hooks`, a Discord target that is down, and `radarr_key` for Radarr.
fn config(world: &World, hooks: &MockServer, radarr_key: &str) -> String {
    let text = world.config_text().replace(RADARR_KEY, radarr_key);
    format!(
        "{text}notifications:\n  - webhook: \"{hooks}/failure?key=hook-5ecret\"\n  - webhook: \"{hooks}/changes\"\n    on: changes\n  - webhook: \"{hooks}/always\"\n    on: always\n  - discord: \"http://127.0.0.1:{down}/api/webhooks/1/discord-5ecret\"\n    on: always\n",
        hooks = hooks.uri(),
        down = closed_port(),
    )
}

async fn received(hooks: &MockServer) -> Vec<(String, Value)> {
    hooks
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| {
            (
                r.url.path().to_owned(),
                serde_json::from_slice(&r.body).unwrap(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_run_tells_its_targets_the_step_and_reason_and_a_down_one_changes_no_exit_code() {
    let world = World::start().await;
    let hooks = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&hooks)
        .await;
    // A Radarr key that Radarr refuses: the steps that need Radarr fail.
    std::fs::write(
        world.config_path(),
        config(&world, &hooks, "wrong-key-0000"),
    )
    .unwrap();
    let run = world.curator(&["run", "Inception (2010)", "movie"]).await;
    run.assert_code(3);
    let got = received(&hooks).await;
    let paths: Vec<&str> = got.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths, ["/failure", "/changes", "/always"], "{}", run.all());
    let body = &got[0].1;
    assert_eq!(body["event"], "run");
    assert_eq!(body["level"], "problem");
    assert_eq!(body["title"], "curator: Inception (2010) had problems");
    assert_eq!(body["data"]["outcome"], "problems");
    let problems = body["data"]["problems"].as_array().unwrap();
    assert!(
        problems.iter().any(|p| p["step"] == "Radarr"
            || p["reason"].as_str().unwrap_or("").contains("radarr")),
        "{body:#}"
    );
    assert!(
        body["sections"][0]["name"]
            .as_str()
            .unwrap()
            .starts_with('✗'),
        "{body:#}"
    );
    // The Discord target is down: named on the terminal, without its URL.
    assert!(run.stdout.contains("not reached: discord"), "{}", run.all());
    assert!(!run.all().contains("discord-5ecret"), "{}", run.all());
    assert!(!run.all().contains("hook-5ecret"), "{}", run.all());
    assert_no_secret(&run.all());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_successful_run_tells_only_its_changes_and_always_targets() {
    let world = World::start().await;
    let hooks = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&hooks)
        .await;
    std::fs::write(world.config_path(), config(&world, &hooks, RADARR_KEY)).unwrap();
    // The first run fills the collections: changes.
    world
        .curator(&["run", "Inception (2010)", "movie"])
        .await
        .assert_code(0);
    let got = received(&hooks).await;
    let paths: Vec<&str> = got.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths, ["/changes", "/always"]);
    assert_eq!(got[0].1["level"], "changes");
    assert!(
        got[0].1["data"]["added"]
            .as_object()
            .is_some_and(|a| !a.is_empty()),
        "{:#}",
        got[0].1
    );
    // A refresh that finds the collections as they should be: only `always`.
    hooks.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&hooks)
        .await;
    let history = std::fs::read_to_string(world.data_dir().join("history.json")).unwrap();
    assert!(history.contains("Inception (2010)"), "{history}");
    world.curator(&["refresh"]).await.assert_code(0);
    let got = received(&hooks).await;
    let paths: Vec<&str> = got.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths, ["/always"]);
    assert_eq!(got[0].1["level"], "ok");
}

/// The weekly report from the run history: one message per target that
/// takes it, with the period's figures (runs by outcome, what was added,
/// errors by cause); `report: false` opts out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_sums_up_the_history_and_sends_one_message() {
    let world = World::start().await;
    let hooks = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&hooks)
        .await;
    // One run with Radarr refusing the key, one that works.
    std::fs::write(
        world.config_path(),
        config(&world, &hooks, "wrong-key-0000"),
    )
    .unwrap();
    world
        .curator(&["run", "Inception (2010)", "movie"])
        .await
        .assert_code(3);
    std::fs::write(world.config_path(), config(&world, &hooks, RADARR_KEY)).unwrap();
    world
        .curator(&["run", "Heat (1995)", "movie"])
        .await
        .assert_code(0);
    let reporting = format!(
        "{}notifications:\n  - webhook: \"{hooks}/report\"\n    on: always\n  - webhook: \"{hooks}/problems-only\"\n    send_only_on_problems: true\n  - webhook: \"{hooks}/no-report\"\n    report: false\n",
        world.config_text(),
        hooks = hooks.uri()
    );
    std::fs::write(world.config_path(), reporting).unwrap();
    hooks.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&hooks)
        .await;
    // Without --send it only prints.
    let printed = world.curator(&["report", "--since", "7d"]).await;
    printed.assert_code(0);
    assert!(
        printed
            .stdout
            .contains("curator report: 2 run(s), 1 with problems"),
        "{}",
        printed.all()
    );
    assert!(
        printed.stdout.contains("Errors by cause:"),
        "{}",
        printed.all()
    );
    assert!(
        printed.stdout.contains("Service health now:"),
        "{}",
        printed.all()
    );
    assert!(received(&hooks).await.is_empty());
    let sent = world.curator(&["report", "--send"]).await;
    sent.assert_code(0);
    let got = received(&hooks).await;
    let paths: Vec<&str> = got.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths, ["/report", "/problems-only"], "{}", sent.all());
    let body = &got[0].1;
    assert_eq!(body["event"], "report");
    assert_eq!(body["level"], "problem");
    assert_eq!(body["data"]["runs"]["ok"], 1);
    assert_eq!(body["data"]["runs"]["problems"], 1);
    assert!(
        body["data"]["added"]
            .as_object()
            .is_some_and(|a| !a.is_empty()),
        "{body:#}"
    );
    let causes = body["data"]["errors"].as_array().unwrap();
    assert!(
        causes
            .iter()
            .any(|c| c["reason"].as_str().unwrap().contains("401")),
        "{body:#}"
    );
    assert!(sent.stdout.contains("✓ sent to webhook"), "{}", sent.all());
    assert_no_secret(&sent.all());
}

/// `curator check` names the targets and sends nothing; `curator notify
/// --test` sends to each, whatever its `on:`, and says which it could not
/// reach.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_lists_the_targets_and_notify_test_reaches_each() {
    let world = World::start().await;
    let hooks = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&hooks)
        .await;
    std::fs::write(world.config_path(), config(&world, &hooks, RADARR_KEY)).unwrap();
    let check = world.curator(&["check"]).await;
    assert!(
        check
            .stdout
            .contains("discord: discord webhook on http://127.0.0.1:"),
        "{}",
        check.all()
    );
    assert!(
        check
            .stdout
            .contains("webhook: webhook POST to http://127.0.0.1:"),
        "{}",
        check.all()
    );
    assert!(!check.all().contains("hook-5ecret"), "{}", check.all());
    assert!(!check.all().contains("discord-5ecret"), "{}", check.all());
    assert!(received(&hooks).await.is_empty());
    let test = world.curator(&["notify", "--test"]).await;
    test.assert_code(3);
    let got = received(&hooks).await;
    let paths: Vec<&str> = got.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths, ["/failure", "/changes", "/always"]);
    assert_eq!(got[0].1["event"], "test");
    assert!(test.stdout.contains("✓ sent to webhook"), "{}", test.all());
    assert!(
        test.stdout.contains("✗ not sent to discord: discord.send"),
        "{}",
        test.all()
    );
    assert!(!test.all().contains("discord-5ecret"), "{}", test.all());
}
