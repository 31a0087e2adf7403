//! The container files, read as a build would read them (no container
//! engine runs here; `scripts/container-check.sh` is where they would be
//! built): what a review with podman found wrong must stay fixed.

fn repo_file(path: &str) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// `.dockerignore` is an allow-list: a `config.yaml` with secrets, a data
/// directory, `target/` or a `.real-llm/` venv beside the sources never
/// reaches the build context.
#[test]
fn the_build_context_is_an_allow_list() {
    let ignore = repo_file(".dockerignore");
    let rules: Vec<&str> = ignore
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    assert_eq!(rules.first(), Some(&"*"), "{ignore}");
    for allowed in &rules[1..] {
        let Some(path) = allowed.strip_prefix('!') else {
            continue;
        };
        for secret in [
            "config/",
            "config.yaml",
            "data",
            "target",
            ".real-llm",
            ".env",
        ] {
            assert!(
                !path.starts_with(secret),
                "{path} lets {secret} into the build"
            );
        }
    }
    let dockerfile = repo_file("Dockerfile");
    assert!(!dockerfile.contains("COPY . ."), "{dockerfile}");
    for line in dockerfile
        .lines()
        .filter(|l| l.starts_with("COPY ") && !l.contains("--from"))
    {
        let source = line.split_whitespace().nth(1).unwrap();
        assert!(
            rules.iter().any(|r| r.strip_prefix('!').is_some_and(|a| {
                a.trim_end_matches('/') == source
                    || source.starts_with(a.trim_end_matches('/'))
                    || a.starts_with(&format!("{source}/"))
            })),
            "{source} is copied but not allowed into the context"
        );
    }
}

/// Both ids 10001 (not the group `useradd --user-group` picks), PUID/PGID
/// and UMASK taken by the entrypoint, which drops root; a HEALTHCHECK
/// through `curator healthcheck`; dependencies cached between builds.
#[test]
fn the_image_runs_as_puid_with_a_health_check_and_cached_dependencies() {
    let dockerfile = repo_file("Dockerfile");
    assert!(
        dockerfile.contains("groupadd --system --gid 10001"),
        "{dockerfile}"
    );
    assert!(
        dockerfile.contains("--uid 10001 --gid 10001"),
        "{dockerfile}"
    );
    assert!(!dockerfile.contains("--user-group"), "{dockerfile}");
    assert!(
        dockerfile.contains("CMD [\"curator\", \"healthcheck\"]"),
        "{dockerfile}"
    );
    assert!(
        dockerfile.contains("--mount=type=cache,target=/usr/local/cargo/registry"),
        "{dockerfile}"
    );
    assert!(dockerfile.contains("ENTRYPOINT [\"curator-entrypoint\"]"));
    let entry = repo_file("docker/entrypoint.sh");
    for needed in ["PUID", "PGID", "UMASK", "chown -R", "setpriv --reuid"] {
        assert!(entry.contains(needed), "{needed} missing:\n{entry}");
    }
}

/// The compose example works from where it sits, reads the token from an
/// optional `.env` (so `down` and `logs` work without it), answers its
/// service name, and stops later than the shutdown grace.
#[test]
fn the_compose_example_builds_from_its_folder_and_needs_no_token_to_stop() {
    let compose = repo_file("examples/docker-compose.yml");
    assert!(!compose.contains(":?"), "{compose}");
    assert!(compose.contains("context: .."), "{compose}");
    assert!(compose.contains("required: false"), "{compose}");
    assert!(
        compose.contains("CURATOR_ALLOWED_HOSTS: \"curator\""),
        "{compose}"
    );
    assert!(compose.contains("stop_grace_period: 90s"), "{compose}");
    assert!(compose.contains("<host-ip>:7979/hooks/plex"), "{compose}");
    assert!(repo_file("examples/compose.env.example").contains("CURATOR_SERVE_TOKEN="));
}
