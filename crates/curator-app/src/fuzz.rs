//! Property tests for what curator reads from outside: the config file
//! and the arguments Tautulli fills in. The property is "no panic, and
//! either a value that holds up or an error that says something". The
//! state loaders, the LLM answer parser and the clients' decoding are
//! fuzzed in `curator-core` (`tests/it/fuzz.rs`).
//!
//! Cases per property: `CURATOR_FUZZ_CASES` (default 2000); a million:
//! `CURATOR_FUZZ_CASES=1000000 cargo test --release -p curator-app --lib fuzz`.

use std::collections::HashMap;

use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestRunner};

use crate::config;
use crate::watched::{self as tautulli, MAX_TITLE_CHARS, RunInput, Watched};

fn runner() -> TestRunner {
    let cases = std::env::var("CURATOR_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    TestRunner::new(RunnerConfig {
        cases,
        failure_persistence: None,
        ..RunnerConfig::default()
    })
}

/// A value YAML may hold, or break on.
fn yaml_value() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,30}",
        "-?[0-9]{1,12}",
        Just("".to_owned()),
        Just("~".to_owned()),
        Just("[1, 2".to_owned()),
        Just("{a: b}".to_owned()),
        Just("\"unterminated".to_owned()),
        Just("*alias".to_owned()),
        Just("&anchor x".to_owned()),
        Just("yes".to_owned()),
        Just("0x1F".to_owned()),
        Just("1e400".to_owned()),
        Just("http://user:pa55@host:99999/x?token=abc".to_owned()),
    ]
}

/// The example config with lines replaced, dropped, doubled or re-indented.
fn mutated_config() -> impl Strategy<Value = String> {
    let lines: Vec<String> = config::EXAMPLE.lines().map(str::to_owned).collect();
    let n = lines.len();
    prop::collection::vec((0..n, 0u8..4, yaml_value()), 1..6).prop_map(move |edits| {
        let mut lines = lines.clone();
        for (at, how, value) in edits {
            let at = at.min(lines.len().saturating_sub(1));
            if lines.is_empty() {
                break;
            }
            match how {
                0 => {
                    let key = lines[at].split(':').next().unwrap_or_default().to_owned();
                    lines[at] = format!("{key}: {value}");
                }
                1 => {
                    lines.remove(at);
                }
                2 => {
                    let line = lines[at].clone();
                    lines.insert(at, line);
                }
                _ => lines[at] = format!("  {}", lines[at]),
            }
        }
        lines.join("\n")
    })
}

#[test]
fn the_config_loader_never_panics() {
    let env: HashMap<&str, &str> = HashMap::new();
    let text = prop_oneof![".{0,300}", mutated_config()];
    runner()
        .run(&text, |text| {
            if let Err(error) = config::parse(&text, &env) {
                prop_assert!(!error.to_string().trim().is_empty());
            }
            Ok(())
        })
        .unwrap();
}

fn arg() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop_oneof![
        ".{0,20}",
        "\\{[a-z_]{1,12}\\}",
        "-?[0-9]{1,6}",
        Just(String::new()),
        Just("movie".to_owned()),
        Just("episode".to_owned()),
        Just("show".to_owned()),
        Just("Show - Episode".to_owned()),
    ])
}

#[test]
fn tautulli_arguments_never_panic() {
    let title = prop_oneof![
        ".{0,40}",
        ".{0,20} \\([0-9]{1,5}\\)",
        "\\{title\\}",
        prop::collection::vec(any::<char>(), 290..320).prop_map(|c| c.into_iter().collect()),
    ];
    let args = (title, arg(), arg(), arg(), arg(), arg(), (arg(), arg()));
    runner()
        .run(
            &args,
            |(title, media_type, year, tmdb_id, rating_key, user, (show, tvdb_id))| {
                let args = Watched {
                    title,
                    media_type,
                    year,
                    tmdb_id,
                    rating_key,
                    user,
                    show,
                    tvdb_id,
                };
                match tautulli::read(&args) {
                    Ok(RunInput::Movie { seed, .. } | RunInput::Show { seed, .. }) => {
                        prop_assert!(!seed.title.trim().is_empty());
                        prop_assert!(seed.title.chars().count() <= MAX_TITLE_CHARS);
                        if let Some(year) = seed.year {
                            prop_assert!((1870..=2200).contains(&year));
                        }
                        if let Some(id) = seed.tmdb_id {
                            prop_assert!(id.0 > 0);
                        }
                        if let Some(id) = seed.tvdb_id {
                            prop_assert!(id.0 > 0);
                            prop_assert_eq!(seed.kind, curator_http::MediaKind::Show);
                        }
                    }
                    Ok(RunInput::NotAMovie(kind)) => {
                        prop_assert!(!kind.eq_ignore_ascii_case("movie"));
                    }
                    Err(error) => prop_assert!(!error.to_string().is_empty()),
                }
                Ok(())
            },
        )
        .unwrap();
}
