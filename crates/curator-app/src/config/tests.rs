use std::collections::HashMap;

use curator_core::{DeletePreference, ImportAs, OnSuggest, OrderMode, PointsSettings};

use super::*;

const NO_ENV: &[(&str, &str)] = &[];

fn env(vars: &[(&'static str, &'static str)]) -> HashMap<&'static str, &'static str> {
    vars.iter().copied().collect()
}

fn parse_with(text: &str, vars: &[(&'static str, &'static str)]) -> Result<Config, ConfigError> {
    parse(text, &env(vars))
}

/// The previous tool's config, as its users have it (its documented
/// sample with real-looking values, plus sections curator does not use).
const OLD_CONFIG: &str = r#"
scripts_run:
  run_recently_watched_collection: true
  run_plex_duplicate_cleaner: false
  run_radarr_monitor_confirm_plex: true
  run_sonarr_duplicate_cleaner: true
  run_immaculate_taste_collection: true
  run_recently_watched_refresher: false
  run_collection_refresher: true

plex:
  url: "http://192.168.1.20:32400"
  token: "pLeXtOkEn-0123456789"
  movie_library_name: "Films"
  tv_library_name: "TV Shows"
  collection_name: "Inspired by your Immaculate Taste"
  delete_preference: "largest_file"
  preserve_quality: ["4K", "1080p"]

openai:
  api_key: "sk-proj-realLookingKey123"
  model: "gpt-5.2-chat-latest"

google:
  api_key: "GOOGLE_API_KEY"
  search_engine_id: ""

recommendations:
  count: 40
  web_context_fraction: 0.3

tmdb:
  api_key: "0123456789abcdef0123456789abcdef"

radarr:
  url: "http://localhost:7878"
  api_key: "radarrKey0123456789"
  root_folder: "/data/movies"
  tag_name: "recommended"
  quality_profile_id: 4

sonarr:
  url: "http://localhost:8989"
  api_key: "YOUR_SONARR_API_KEY"
  root_folder: "/tv"
  tag_name: ["tv"]

files:
  points_file: "recommendation_points.json"
"#;

#[test]
fn the_previous_tools_config_loads_as_it_is() {
    let config = parse_with(OLD_CONFIG, NO_ENV).expect("the old config loads");
    let s = &config.settings;
    assert_eq!(s.movie_library, "Films");
    assert!(s.steps.recently_watched);
    assert!(!s.steps.duplicate_cleaner);
    assert!(s.steps.monitor_confirm);
    assert!(s.steps.immaculate_taste);
    assert!(!s.steps.recently_watched_refresher);
    assert!(s.steps.immaculate_taste_refresher);
    assert_eq!(
        s.collections.immaculate_taste,
        "Inspired by your Immaculate Taste"
    );
    assert_eq!(s.recommend.immaculate_count, 40);
    assert_eq!(s.recommend.immaculate_tags, ["recommended"]);
    assert_eq!(s.dedupe.delete_preference, DeletePreference::LargestFile);
    assert_eq!(s.dedupe.preserve_quality, ["4K", "1080p"]);
    let radarr = s.radarr.as_ref().expect("radarr settings");
    assert_eq!(radarr.root_folder, "/data/movies");
    assert_eq!(radarr.quality_profile_id.0, 4);

    let plex = config.plex.as_ref().expect("plex is configured");
    assert_eq!(plex.url, "http://192.168.1.20:32400");
    assert_eq!(plex.token.expose(), "pLeXtOkEn-0123456789");
    assert_eq!(
        config.radarr.as_ref().unwrap().api_key.expose(),
        "radarrKey0123456789"
    );
    let tmdb = config.tmdb.as_ref().expect("tmdb is configured");
    assert_eq!(tmdb.base_url, tmdb_client::DEFAULT_BASE_URL);
    assert_eq!(tmdb.image_base_url, tmdb_client::DEFAULT_IMAGE_BASE_URL);
    let llm = config.llm.as_ref().expect("the llm is configured");
    assert_eq!(llm.base_url, llm_recs::OPENAI_BASE_URL);
    assert_eq!(llm.model, "gpt-5.2-chat-latest");

    assert_eq!(
        config.notices,
        ["ignoring config keys curator does not use: google, recommendations.web_context_fraction"]
    );
    assert_eq!(
        config.files.points_file.as_deref(),
        Some(std::path::Path::new("recommendation_points.json"))
    );
    // Its movie cleaner is off but its episode cleaner on, and both read
    // the previous tool's delete_preference: the notice on its meaning.
    assert!(config.delete_preference_notice.is_some());
    // Its TV library turns TV on; its Sonarr key is the sample's
    // placeholder, so Sonarr stays off.
    let tv = s.tv.as_ref().expect("TV is on");
    assert_eq!(tv.library, "TV Shows");
    assert_eq!(tv.collections, curator_core::CollectionNames::tv());
    assert!(tv.sonarr.is_none() && config.sonarr.is_none());
    assert!(s.steps.tv_immaculate_taste && s.steps.tv_immaculate_taste_refresher);
    // The previous tool's Sonarr switches: its cleaner is on here; the
    // monitor confirm is on and the search off by default.
    assert!(s.steps.tv_duplicate_cleaner);
    assert!(s.steps.sonarr_monitor_confirm);
    assert!(!s.steps.sonarr_search_monitored);
}

#[test]
fn the_sonarr_steps_follow_the_previous_tools_keys() {
    let off = parse_with("plex:\n  tv_library_name: TV\n", NO_ENV).unwrap();
    let steps = &off.settings.steps;
    assert!(
        !steps.tv_duplicate_cleaner,
        "deletes files: off unless switched on"
    );
    assert!(steps.sonarr_monitor_confirm);
    assert!(
        !steps.sonarr_search_monitored,
        "starts downloads: off unless switched on"
    );
    let on = parse_with(
        "plex:\n  tv_library_name: TV\nscripts_run:\n  run_sonarr_duplicate_cleaner: true\n  \
         run_sonarr_monitor_confirm_plex: false\n  run_sonarr_search_monitored: true\n",
        NO_ENV,
    )
    .unwrap();
    let steps = &on.settings.steps;
    assert!(
        steps.tv_duplicate_cleaner
            && !steps.sonarr_monitor_confirm
            && steps.sonarr_search_monitored
    );
    assert!(on.notices.is_empty(), "{:?}", on.notices);
    // The movie cleaner stays off: the two switches are separate.
    assert!(!steps.duplicate_cleaner);
}

#[test]
fn the_points_rules_are_chosen_by_name_and_import_as_by_word() {
    let classic = parse_with("points: classic\n", NO_ENV).unwrap();
    assert_eq!(classic.settings.points, PointsSettings::classic());
    let section = parse_with(
        "points:\n  rules: classic\n  add_points: 2\n  import_as: keep\n",
        NO_ENV,
    )
    .unwrap();
    let p = &section.settings.points;
    assert_eq!(
        (p.on_suggest, p.decay_per_run, p.max_points, p.import_as),
        (OnSuggest::Add(2), 0, 0, ImportAs::Keep)
    );
    let standard = parse_with("points:\n  import_as: full\n", NO_ENV).unwrap();
    assert_eq!(standard.settings.points.on_suggest, OnSuggest::SetToMax);
    assert_eq!(standard.settings.points.import_as, ImportAs::Full);
    assert_eq!(
        parse_with("", NO_ENV).unwrap().settings.points.import_as,
        ImportAs::Auto
    );
    for (text, key, fix) in [
        ("points: forever\n", "points", "use standard"),
        ("points:\n  rules: decay\n", "points.rules", "use standard"),
        (
            "points:\n  import_as: half\n",
            "points.import_as",
            "use auto",
        ),
    ] {
        let error = parse_with(text, NO_ENV).unwrap_err();
        assert_eq!(error.key.as_deref(), Some(key), "{error}");
        assert!(error.to_string().contains(fix), "{error}");
    }
}

#[test]
fn the_previous_tools_file_locations_are_kept() {
    let config = parse_with(
        "files:\n  points_file: \"/srv/old/data/recommendation_points.json\"\n  tmdb_cache_file: \"cache/tmdb.json\"\n",
        NO_ENV,
    )
    .unwrap();
    assert!(config.notices.is_empty(), "{:?}", config.notices);
    let data = config.data_dir("/var/lib/curator".into());
    assert_eq!(
        data.points_path(),
        std::path::Path::new("/srv/old/data/recommendation_points.json")
    );
    assert_eq!(
        data.tmdb_cache_path(),
        std::path::Path::new("/var/lib/curator/cache/tmdb.json")
    );
    let defaults = parse_with("", NO_ENV).unwrap().data_dir("/d".into());
    assert_eq!(
        defaults.points_path(),
        std::path::Path::new("/d/recommendation_points.json")
    );
}

#[test]
fn an_old_delete_preference_with_the_cleaner_on_gets_the_notice() {
    let on = "scripts_run:\n  run_plex_duplicate_cleaner: true\nplex:\n  delete_preference: smallest_file\n"
        .to_owned();
    let notice = parse_with(&on, NO_ENV)
        .unwrap()
        .delete_preference_notice
        .expect("a notice");
    assert!(notice.contains("it deleted the largest copy"), "{notice}");
    for quiet in [
        // The cleaner off; curator's own value; no value.
        on.replace("true", "false"),
        on.replace("smallest_file", "keep_best"),
        "scripts_run:\n  run_plex_duplicate_cleaner: true\n".to_owned(),
    ] {
        assert!(
            parse_with(&quiet, NO_ENV)
                .unwrap()
                .delete_preference_notice
                .is_none(),
            "{quiet}"
        );
    }
}

#[test]
fn the_example_config_uses_only_known_keys_and_leaves_placeholder_services_off() {
    let config = parse_with(EXAMPLE, NO_ENV).expect("the example loads");
    assert!(
        config.notices.iter().all(|n| !n.starts_with("ignoring")),
        "{:?}",
        config.notices
    );
    // Its secrets are all placeholders.
    assert!(config.plex.is_none());
    assert!(config.radarr.is_none());
    assert!(config.tmdb.is_none());
    assert!(config.llm.is_none());
    assert!(config.settings.radarr.is_none());
    assert_eq!(config.settings.refresh.small_order, OrderMode::Full);
    assert_eq!(
        config.settings.refresh.immaculate_order,
        OrderMode::Head { head_size: 50 }
    );
    assert_eq!(
        config.settings.dedupe.delete_preference,
        DeletePreference::KeepBest
    );
    assert_eq!(config.settings.points.on_suggest, OnSuggest::SetToMax);
    assert_eq!(
        config.settings.recommend.immaculate_tags,
        ["movies", "recommended"]
    );
}

#[test]
fn the_duplicate_cleaner_is_off_unless_switched_on() {
    for text in [
        "",
        "plex:\n  movie_library_name: Films\n",
        "scripts_run:\n  run_recently_watched_collection: true\n",
        "scripts_run:\n  run_plex_duplicate_cleaner: false\n",
    ] {
        let steps = parse_with(text, NO_ENV).unwrap().settings.steps;
        assert!(!steps.duplicate_cleaner, "{text:?}");
        // The other steps stay on unless switched off.
        assert!(steps.recently_watched, "{text:?}");
        assert!(steps.monitor_confirm, "{text:?}");
        assert!(steps.immaculate_taste_refresher, "{text:?}");
    }
    let on = parse_with("scripts_run:\n  run_plex_duplicate_cleaner: true\n", NO_ENV).unwrap();
    assert!(on.settings.steps.duplicate_cleaner);
    // The example `curator init` writes leaves it off too.
    assert!(
        !parse_with(EXAMPLE, NO_ENV)
            .unwrap()
            .settings
            .steps
            .duplicate_cleaner
    );
}

#[test]
fn an_empty_file_gives_the_defaults() {
    let config = parse_with("", NO_ENV).unwrap();
    assert_eq!(config.settings.movie_library, "Movies");
    assert_eq!(config.settings.recommend.similar_count, 15);
    assert_eq!(config.timeouts, Timeouts::default());
    assert!(config.plex.is_none());
}

#[test]
fn tag_name_is_a_string_or_a_list() {
    let base = "radarr:\n  url: http://r:7878\n  api_key: k1234567\n  root_folder: /m\n";
    let one = parse_with(&format!("{base}  tag_name: recommended\n"), NO_ENV).unwrap();
    assert_eq!(one.settings.recommend.immaculate_tags, ["recommended"]);
    let list = parse_with(
        &format!("{base}  tag_name: [movies, \"curator pick\"]\n"),
        NO_ENV,
    )
    .unwrap();
    // Radarr v6 refuses spaces (TagController: ^[a-z0-9-]+$).
    assert_eq!(
        list.settings.recommend.immaculate_tags,
        ["movies", "curator-pick"]
    );
    let comma = parse_with(&format!("{base}  tag_name: \"a, b\"\n"), NO_ENV).unwrap();
    assert_eq!(comma.settings.recommend.immaculate_tags, ["a", "b"]);
    let own = parse_with(
        &format!("{base}  tag_name: old\ntags:\n  immaculate_taste: new\n  change_of_taste: [x]\n"),
        NO_ENV,
    )
    .unwrap();
    assert_eq!(own.settings.recommend.immaculate_tags, ["new"]);
    assert_eq!(own.settings.recommend.contrast_tags, ["x"]);
}

#[test]
fn placeholders_and_empty_values_switch_a_service_off() {
    let text = r#"
plex:
  url: "http://plex:32400"
  token: "YOUR_PLEX_TOKEN"
openai:
  api_key: "sk-proj-XXXXXXXXXXXXXXXXXXX"
tmdb:
  api_key: ""
radarr:
  url: "http://radarr:7878"
  api_key: "RADARR_API_KEY"
"#;
    let config = parse_with(text, NO_ENV).unwrap();
    assert!(config.plex.is_none());
    assert!(config.llm.is_none());
    assert!(config.tmdb.is_none());
    assert!(config.radarr.is_none());
    // Radarr being off, its missing root folder is no error.
    assert!(config.settings.radarr.is_none());
}

#[test]
fn a_local_llm_needs_no_key() {
    let config = parse_with(
        "openai:\n  base_url: http://localhost:11434/v1/\n  model: llama3.1\n",
        NO_ENV,
    )
    .unwrap();
    let llm = config.llm.expect("a local LLM");
    assert_eq!(llm.base_url, "http://localhost:11434/v1");
    assert!(llm.api_key.is_none());
    assert_eq!(llm.model, "llama3.1");
}

#[test]
fn secrets_from_the_environment_win_and_tautullis_plex_variables_fill_gaps() {
    let text = "tmdb:\n  api_key: from-file-123\nplex:\n  token: YOUR_PLEX_TOKEN\n";
    let config = parse_with(
        text,
        &[
            ("CURATOR_TMDB_API_KEY", "from-env-456"),
            ("CURATOR_OPENAI_API_KEY", "sk-env-789"),
            ("PLEX_URL", "http://tautulli-plex:32400"),
            ("PLEX_TOKEN", "tautulli-token"),
        ],
    )
    .unwrap();
    assert_eq!(config.tmdb.unwrap().api_key.expose(), "from-env-456");
    assert_eq!(config.llm.unwrap().api_key.unwrap().expose(), "sk-env-789");
    let plex = config.plex.unwrap();
    assert_eq!(plex.url, "http://tautulli-plex:32400");
    assert_eq!(plex.token.expose(), "tautulli-token");

    // The config's own Plex wins over Tautulli's variables; CURATOR_ wins over both.
    let text = "plex:\n  url: http://mine:32400\n  token: my-token-123\n";
    let vars = [
        ("PLEX_URL", "http://other:32400"),
        ("PLEX_TOKEN", "other-token"),
    ];
    let plex = parse_with(text, &vars).unwrap().plex.unwrap();
    assert_eq!(
        (plex.url.as_str(), plex.token.expose()),
        ("http://mine:32400", "my-token-123")
    );
    let plex = parse_with(text, &[("CURATOR_PLEX_TOKEN", "override-token")])
        .unwrap()
        .plex
        .unwrap();
    assert_eq!(plex.token.expose(), "override-token");
    // A placeholder in the environment is as unset as one in the file.
    let config = parse_with("", &[("CURATOR_TMDB_API_KEY", "TMDB_API_KEY")]).unwrap();
    assert!(config.tmdb.is_none());
}

#[test]
fn a_type_error_names_the_key_and_line() {
    let text =
        "plex:\n  url: http://plex:32400\n  token: abcdefgh\nradarr:\n  quality_profile_id: four\n";
    let error = parse_with(text, NO_ENV).unwrap_err();
    assert_eq!(error.key.as_deref(), Some("radarr.quality_profile_id"));
    assert_eq!(error.line, Some(5));
    let shown = error.to_string();
    assert!(shown.contains("line 5"), "{shown}");
    assert!(shown.contains("radarr.quality_profile_id"), "{shown}");
    assert!(shown.contains("fix:"), "{shown}");
}

#[test]
fn a_yaml_syntax_error_gives_its_line() {
    let error = parse_with("plex:\n  url: http://x:1\n   token: [unclosed\n", NO_ENV).unwrap_err();
    assert!(error.line.is_some(), "{error}");
}

#[test]
fn bad_values_name_their_key_line_and_fix() {
    let cases = [
        ("plex:\n  url: plex.local:32400\n", "plex.url", 2),
        ("refresh:\n  order: sideways\n", "refresh.order", 2),
        (
            "plex:\n  delete_preference: biggest\n",
            "plex.delete_preference",
            2,
        ),
        ("points:\n  mode: double\n", "points.mode", 2),
        (
            "# comment\nradarr:\n  url: http://r:7878\n  api_key: key12345\n",
            "radarr.root_folder",
            0,
        ),
        (
            "radarr:\n  minimum_availability: soon\n",
            "radarr.minimum_availability",
            2,
        ),
        (
            "timeouts:\n  request_seconds: 0\n",
            "timeouts.request_seconds",
            2,
        ),
        (
            "recommendations:\n\n  count: 500\n",
            "recommendations.count",
            3,
        ),
    ];
    for (text, key, line) in cases {
        let error = parse_with(text, NO_ENV).unwrap_err();
        assert_eq!(error.key.as_deref(), Some(key), "{text}: {error}");
        assert_eq!(error.line, (line > 0).then_some(line), "{text}: {error}");
        assert!(error.fix.is_some(), "{error}");
    }
}

#[test]
fn a_bad_url_is_shown_without_its_query_or_user_info() {
    const TOKEN: &str = "zq9TOKEN-d1st1nct1ve-7c4e";
    let cases = [
        (
            format!("plex:\n  url: \"plex.local:32400/?X-Plex-Token={TOKEN}\"\n"),
            "plex.url",
            "\"plex.local:32400/\" (query removed)",
        ),
        (
            format!("radarr:\n  url: \"ftp://radarr:7878/api?api_key={TOKEN}#{TOKEN}\"\n"),
            "radarr.url",
            "\"ftp://radarr:7878/api\" (query removed)",
        ),
        (
            format!("tmdb:\n  base_url: \"ftp://me:{TOKEN}@tmdb.proxy/3\"\n"),
            "tmdb.base_url",
            "\"ftp://tmdb.proxy/3\" (user info removed)",
        ),
        (
            format!("openai:\n  base_url: \"localhost:11434/v1#{TOKEN}\"\n"),
            "openai.base_url",
            "\"localhost:11434/v1\" (query removed)",
        ),
    ];
    for (text, key, shown) in cases {
        let error = parse_with(&text, NO_ENV).unwrap_err();
        let message = format!("{error} {error:?}");
        assert_eq!(error.key.as_deref(), Some(key), "{message}");
        assert!(!message.contains(TOKEN), "the token leaked: {message}");
        assert!(message.contains(shown), "{shown}: {message}");
    }
    // The same for Tautulli's PLEX_URL.
    let url = format!("plex:32400?X-Plex-Token={TOKEN}");
    let vars: HashMap<&str, &str> = [("PLEX_URL", url.as_str())].into_iter().collect();
    let error = parse("", &vars).unwrap_err();
    let message = format!("{error} {error:?}");
    assert!(!message.contains(TOKEN), "the token leaked: {message}");
    assert!(
        message.contains("\"plex:32400\" (query removed)"),
        "{message}"
    );
}

#[test]
fn old_delete_preferences_map_to_what_they_were_documented_to_do() {
    for (name, wanted) in [
        ("smallest_file", DeletePreference::SmallestFile),
        ("largest_file", DeletePreference::LargestFile),
        ("newest", DeletePreference::Newest),
        ("oldest", DeletePreference::Oldest),
        ("keep_best", DeletePreference::KeepBest),
    ] {
        let config = parse_with(&format!("plex:\n  delete_preference: {name}\n"), NO_ENV).unwrap();
        assert_eq!(config.settings.dedupe.delete_preference, wanted, "{name}");
    }
}

#[test]
fn randomize_collection_false_keeps_the_order() {
    let config = parse_with("plex:\n  randomize_collection: false\n", NO_ENV).unwrap();
    assert_eq!(config.settings.refresh.small_order, OrderMode::Keep);
    assert_eq!(config.settings.refresh.immaculate_order, OrderMode::Keep);
    let config = parse_with("refresh:\n  order: head\n  head_size: 7\n", NO_ENV).unwrap();
    assert_eq!(
        config.settings.refresh.small_order,
        OrderMode::Head { head_size: 7 }
    );
}

#[test]
fn debug_output_never_shows_a_secret() {
    let text = r#"
plex: {url: "http://p:32400", token: "plexSECRETtoken1"}
radarr: {url: "http://r:7878", api_key: "radarrSECRETkey2", root_folder: /m}
sonarr: {url: "http://s:8989", api_key: "sonarrSECRETkey5", root_folder: /tv}
tmdb: {api_key: "tmdbSECRETkey3"}
openai: {api_key: "sk-openaiSECRET4"}
"#;
    let config = parse_with(text, NO_ENV).unwrap();
    let shown = format!("{config:?} {config:#?}");
    for secret in [
        "plexSECRETtoken1",
        "radarrSECRETkey2",
        "tmdbSECRETkey3",
        "sk-openaiSECRET4",
        "sonarrSECRETkey5",
    ] {
        assert!(!shown.contains(secret), "{secret} leaked");
    }
    assert!(config.sonarr.is_some());
    assert!(shown.contains("http://p:32400"));
}

#[test]
fn the_config_is_found_in_the_usual_places_in_order() {
    let home = tempfile::tempdir().unwrap();
    let xdg = home.path().join("xdg");
    let vars: HashMap<&str, &str> = [
        ("HOME", home.path().to_str().unwrap()),
        ("XDG_CONFIG_HOME", xdg.to_str().unwrap()),
    ]
    .into_iter()
    .collect();
    let paths = search_paths(&vars);
    assert_eq!(paths[0], PathBuf::from("config/config.local.yaml"));
    assert_eq!(paths[1], PathBuf::from("config/config.yaml"));
    assert_eq!(paths[2], xdg.join("curator/config.yaml"));
    let vars: HashMap<&str, &str> = [("HOME", "/home/u")].into_iter().collect();
    assert_eq!(
        search_paths(&vars)[2],
        PathBuf::from("/home/u/.config/curator/config.yaml")
    );

    let missing = home.path().join("nope.yaml");
    let error = load(Some(&missing), &vars).unwrap_err();
    assert_eq!(error.path.as_deref(), Some(missing.as_path()));
    let file = home.path().join("c.yaml");
    std::fs::write(&file, "plex:\n  movie_library_name: Films\n").unwrap();
    let config = load(Some(&file), &vars).unwrap();
    assert_eq!(config.source.as_deref(), Some(file.as_path()));
    assert_eq!(config.settings.movie_library, "Films");
}

#[test]
fn structured_output_takes_a_mode_or_the_old_boolean() {
    use llm_recs::StructuredOutput;
    let mode = |value: &str| {
        let text = format!(
            "openai:\n  base_url: http://localhost:8080/v1\n  structured_output: {value}\n  reasoning_effort: low\n"
        );
        parse_with(&text, &[]).map(|c| c.llm.unwrap())
    };
    assert_eq!(mode("true").unwrap().structured_output, None);
    assert_eq!(
        mode("false").unwrap().structured_output,
        Some(StructuredOutput::Text)
    );
    assert_eq!(
        mode("json_object").unwrap().structured_output,
        Some(StructuredOutput::JsonObject)
    );
    let conn = mode("json_schema").unwrap();
    assert_eq!(conn.structured_output, Some(StructuredOutput::JsonSchema));
    assert_eq!(conn.reasoning_effort.as_deref(), Some("low"));
    assert_eq!(conn.temperature, None, "no temperature unless set");
    let error = mode("grammar").unwrap_err().to_string();
    assert!(
        error.contains("openai.structured_output") && error.contains("json_object"),
        "{error}"
    );
}

#[test]
fn tag_labels_are_normalised_for_radarr_with_a_notice() {
    let text = "tags:\n  recently_watched: [Movies, \"Due To Previously Watched\", movies]\n  change_of_taste: change_of_taste\n";
    let config = parse_with(text, NO_ENV).unwrap();
    assert_eq!(
        config.settings.recommend.similar_tags,
        ["movies", "due-to-previously-watched"]
    );
    assert_eq!(config.settings.recommend.contrast_tags, ["change-of-taste"]);
    let notices: Vec<&String> = config
        .notices
        .iter()
        .filter(|n| n.contains("radarr tag"))
        .collect();
    assert_eq!(notices.len(), 3, "{notices:#?}");
    assert!(
        notices[0].contains("tags.recently_watched: radarr tag \"Movies\" is used as \"movies\""),
        "{notices:#?}"
    );
    // Labels already in Radarr's form say nothing.
    let quiet = parse_with("tags:\n  recently_watched: [movies, sci-fi]\n", NO_ENV).unwrap();
    assert!(
        quiet.notices.iter().all(|n| !n.contains("radarr tag")),
        "{:?}",
        quiet.notices
    );
}

#[test]
fn a_tag_label_with_nothing_radarr_accepts_is_refused() {
    let text = "tags:\n  change_of_taste: [movies, \"★★★\"]\n";
    let error = parse_with(text, NO_ENV).unwrap_err();
    let shown = format!("{error:#}");
    assert!(shown.contains("\"★★★\""), "{shown}");
    assert!(shown.contains("tags.change_of_taste"), "{shown}");
    assert!(shown.contains("lowercase letters, digits and -"), "{shown}");
}

#[test]
fn the_radarr_movie_list_has_its_own_timeout() {
    assert_eq!(
        parse_with("", NO_ENV).unwrap().timeouts.radarr_movies,
        std::time::Duration::from_secs(300)
    );
    let config = parse_with("timeouts:\n  radarr_movies_seconds: 900\n", NO_ENV).unwrap();
    assert_eq!(
        config.timeouts.radarr_movies,
        std::time::Duration::from_secs(900)
    );
    assert!(config.notices.is_empty(), "{:?}", config.notices);
    let zero = parse_with("timeouts:\n  radarr_movies_seconds: 0\n", NO_ENV).unwrap_err();
    assert!(
        format!("{zero:#}").contains("timeouts.radarr_movies_seconds"),
        "{zero:#}"
    );
}

#[test]
fn serve_users_allowed_hosts_and_max_attempts_are_read_with_defaults() {
    let defaults = parse_with("", NO_ENV).unwrap().serve;
    assert!(defaults.users.is_empty());
    assert!(defaults.allowed_hosts.is_empty());
    assert_eq!(defaults.max_attempts, 3);
    let set = parse_with(
        "serve:\n  users: [\"alice\", \" bob \", \"\"]\n  allowed_hosts: [\"Curator.LAN\", \"curator\"]\n  max_attempts: 5\n",
        NO_ENV,
    )
    .unwrap()
    .serve;
    assert_eq!(set.users, ["alice", "bob"]);
    assert_eq!(set.allowed_hosts, ["curator.lan", "curator"]);
    assert_eq!(set.max_attempts, 5);
    let with_env = parse_with(
        "serve:\n  allowed_hosts: [\"curator.lan\"]\n",
        &[("CURATOR_ALLOWED_HOSTS", "curator, Other ")],
    )
    .unwrap()
    .serve;
    assert_eq!(with_env.allowed_hosts, ["curator.lan", "curator", "other"]);
    assert_eq!(defaults.read_timeout, std::time::Duration::from_secs(30));
    assert_eq!(defaults.max_connections, 64);
    let limits = parse_with(
        "serve:\n  read_timeout_seconds: 5\n  max_connections: 8\n",
        NO_ENV,
    )
    .unwrap()
    .serve;
    assert_eq!(
        (limits.read_timeout, limits.max_connections),
        (std::time::Duration::from_secs(5), 8)
    );
    let zero = parse_with("serve:\n  max_attempts: 0\n", NO_ENV).unwrap_err();
    assert!(zero.to_string().contains("serve.max_attempts"), "{zero}");
}

#[test]
fn rows_take_kometas_switch_names_and_an_order_or_keep() {
    let defaults = parse_with("", NO_ENV).unwrap().settings.rows;
    assert_eq!(
        defaults.visibility,
        curator_core::RowsSettings::default().visibility
    );
    assert_eq!(defaults.order, curator_core::RowsSettings::default().order);
    let text = "rows:\n  immaculate_taste:\n    visible_shared: true\n  change_of_taste:\n    visible_home: false\n    visible_library: false\n  order: [immaculate_taste, recently_watched]\n";
    let rows = parse_with(text, NO_ENV).unwrap().settings.rows;
    use curator_core::RowKey;
    let shown = |key| rows.visibility(key);
    assert!(shown(RowKey::ImmaculateTaste).shared_home);
    assert!(shown(RowKey::ImmaculateTaste).own_home);
    assert!(shown(RowKey::ChangeOfTaste).is_hidden());
    assert_eq!(
        shown(RowKey::RecentlyWatched),
        curator_core::RowsSettings::DEFAULT_VISIBILITY
    );
    assert_eq!(
        rows.order,
        Some(vec![RowKey::ImmaculateTaste, RowKey::RecentlyWatched])
    );
    let keep = parse_with("rows:\n  order: keep\n", NO_ENV).unwrap();
    assert_eq!(keep.settings.rows.order, None);
    assert!(
        keep.notices.iter().all(|n| !n.contains("rows")),
        "{:?}",
        keep.notices
    );

    for (text, key, line) in [
        ("rows:\n  order: sideways\n", "rows.order", 2),
        ("rows:\n  order: []\n", "rows.order", 2),
        (
            "rows:\n\n  order: [recently_watched, tv_shows]\n",
            "rows.order",
            3,
        ),
        (
            "rows:\n  order: [change_of_taste, change_of_taste]\n",
            "rows.order",
            2,
        ),
    ] {
        let error = parse_with(text, NO_ENV).unwrap_err();
        assert_eq!(error.key.as_deref(), Some(key), "{text}: {error}");
        assert_eq!(error.line, Some(line), "{text}: {error}");
        assert!(error.fix.is_some(), "{error}");
    }
    // A misspelt switch is refused, not ignored.
    let error = parse_with(
        "rows:\n  recently_watched:\n    visible_homes: true\n",
        NO_ENV,
    )
    .unwrap_err();
    assert!(error.to_string().contains("visible_homes"), "{error}");
}

#[test]
fn the_sonarr_key_comes_from_the_file_or_the_environment_and_placeholders_leave_it_off() {
    let text =
        "sonarr:\n  url: http://sonarr:8989/\n  api_key: from-file-123\n  root_folder: /tv\n";
    let sonarr = parse_with(text, NO_ENV).unwrap().sonarr.expect("sonarr");
    assert_eq!(
        (sonarr.url.as_str(), sonarr.api_key.expose()),
        ("http://sonarr:8989", "from-file-123")
    );
    let sonarr = parse_with(text, &[("CURATOR_SONARR_API_KEY", "from-env-456")])
        .unwrap()
        .sonarr
        .unwrap();
    assert_eq!(sonarr.api_key.expose(), "from-env-456");
    // The previous tool's sample key, an empty one, or no URL: Sonarr is off,
    // and then its root folder is not needed.
    for off in [
        "sonarr:\n  url: http://sonarr:8989\n  api_key: YOUR_SONARR_API_KEY\n",
        "sonarr:\n  url: http://sonarr:8989\n  api_key: \"\"\n",
        "sonarr:\n  api_key: from-file-123\n",
    ] {
        assert!(parse_with(off, NO_ENV).unwrap().sonarr.is_none(), "{off}");
    }
}

#[test]
fn bad_sonarr_and_tv_values_name_their_key_line_and_fix() {
    let sonarr = "plex:\n  tv_library_name: TV Shows\nsonarr:\n  url: http://sonarr:8989\n  api_key: key-1234567\n  root_folder: /tv\n";
    for (text, key, line, says) in [
        (
            "sonarr:\n  url: http://sonarr:8989\n  api_key: key-1234567\n".to_owned(),
            "sonarr.root_folder",
            None,
            "the folder Sonarr stores shows in",
        ),
        (
            format!("{sonarr}  monitor: everything\n"),
            "sonarr.monitor",
            Some(7),
            "firstSeason",
        ),
        (
            format!("{sonarr}  quality_profile_id: 0\n"),
            "sonarr.quality_profile_id",
            Some(7),
            "curator check",
        ),
        (
            "sonarr:\n  url: sonarr:8989\n".to_owned(),
            "sonarr.url",
            Some(2),
            "http://localhost:8989",
        ),
        (
            format!("{sonarr}  tag_name: \"!!!\"\n"),
            "sonarr.tag_name",
            Some(7),
            "lowercase letters",
        ),
        (
            "collections:\n  tv_recently_watched: Mine\n  tv_change_of_taste: Mine\n".to_owned(),
            "collections",
            Some(1),
            "tv_change_of_taste",
        ),
        (
            "timeouts:\n  sonarr_series_seconds: 0\n".to_owned(),
            "timeouts.sonarr_series_seconds",
            Some(2),
            "positive number",
        ),
    ] {
        let error = parse_with(&text, NO_ENV).unwrap_err();
        assert_eq!(error.key.as_deref(), Some(key), "{text}: {error}");
        if line.is_some() {
            assert_eq!(error.line, line, "{text}: {error}");
        }
        let shown = error.to_string();
        assert!(shown.contains(says), "{text}: {shown}");
        assert!(shown.contains("fix:"), "{shown}");
        assert!(!shown.contains("key-1234567"), "{shown}");
    }
    // A Sonarr tag is made Sonarr's shape with a notice, like Radarr's.
    let config = parse_with(&format!("{sonarr}  tag_name: \"Sci Fi\"\n"), NO_ENV).unwrap();
    assert!(
        config
            .notices
            .iter()
            .any(|n| n.contains("sonarr tag \"Sci Fi\" is used as \"sci-fi\"")),
        "{:?}",
        config.notices
    );
    // The monitor type is taken in Sonarr's spelling or with underscores.
    for spelling in [
        "firstSeason",
        "first_season",
        "FIRST-SEASON",
        "pilot",
        "none",
    ] {
        assert!(
            parse_with(&format!("{sonarr}  monitor: {spelling}\n"), NO_ENV).is_ok(),
            "{spelling}"
        );
    }
}

#[test]
fn a_sonarr_without_a_tv_library_says_episode_runs_stay_skipped() {
    let text = "sonarr:\n  url: http://sonarr:8989\n  api_key: key-1234567\n  root_folder: /tv\n";
    let config = parse_with(text, NO_ENV).unwrap();
    assert!(
        config
            .notices
            .iter()
            .any(|n| n.contains("plex.tv_library_name is not: episode runs are skipped")),
        "{:?}",
        config.notices
    );
    let with_library =
        parse_with(&format!("{text}plex:\n  tv_library_name: Series\n"), NO_ENV).unwrap();
    assert!(
        with_library.notices.is_empty(),
        "{:?}",
        with_library.notices
    );
}

#[test]
fn tv_is_off_without_a_tv_library_as_in_every_config_written_before_it() {
    for text in [
        "",
        OLD_CONFIG
            .replace("  tv_library_name: \"TV Shows\"\n", "")
            .as_str(),
        "plex:\n  tv_library_name: \"\"\n",
        "collections:\n  tv_recently_watched: Mine\n",
    ] {
        assert!(
            parse_with(text, NO_ENV).unwrap().settings.tv.is_none(),
            "{text}"
        );
    }
}

#[test]
fn the_tv_keys_map_onto_the_tv_settings() {
    let text = r#"
scripts_run:
  run_tv_immaculate_taste_collection: false
  run_tv_recently_watched_refresher: false
plex:
  tv_library_name: "Series"
  tv_collection_name: "Old TV Name"
collections:
  tv_recently_watched: "Because you watched"
  tv_change_of_taste: "Something else"
sonarr:
  url: "http://sonarr:8989/sonarr"
  api_key: "sonarrKey0123456789"
  root_folder: "/data/tv"
  tag_name: ["curator", "recommended"]
  quality_profile_id: 6
  auto_download_recommendations: true
  monitor: pilot
  search_on_add: false
  season_folder: false
tags:
  tv_change_of_taste: "odd-one"
"#;
    let config = parse_with(text, NO_ENV).unwrap();
    assert!(config.notices.is_empty(), "{:?}", config.notices);
    let tv = config.settings.tv.expect("TV is on");
    assert_eq!(tv.library, "Series");
    assert_eq!(
        tv.collections,
        curator_core::CollectionNames {
            recently_watched: "Because you watched".into(),
            change_of_taste: "Something else".into(),
            // The previous tool's key, when the new one is not set.
            immaculate_taste: "Old TV Name".into(),
        }
    );
    let sonarr = tv.sonarr.expect("sonarr settings");
    let mut expected =
        curator_core::SonarrSettings::new("/data/tv", sonarr_client::QualityProfileId(6));
    expected.monitor = sonarr_client::MonitorType::Pilot;
    expected.search_on_add = false;
    expected.season_folder = false;
    expected.auto_download = true;
    // tag_name sets the big collection's tags, like Radarr's.
    expected.immaculate_tags = vec!["curator".into(), "recommended".into()];
    expected.contrast_tags = vec!["odd-one".into()];
    assert_eq!(sonarr, expected);
    let steps = &config.settings.steps;
    assert!(steps.tv_recently_watched && steps.tv_immaculate_taste_refresher);
    assert!(!steps.tv_immaculate_taste && !steps.tv_recently_watched_refresher);
    assert_eq!(config.sonarr.unwrap().url, "http://sonarr:8989/sonarr");

    // Defaults: firstSeason, search on add, season folders, not sent.
    let plain = parse_with(
        "plex:\n  tv_library_name: TV Shows\nsonarr:\n  url: http://s:8989\n  api_key: k-123456789\n  root_folder: /tv\n",
        NO_ENV,
    )
    .unwrap();
    let sonarr = plain.settings.tv.unwrap().sonarr.unwrap();
    assert_eq!(
        sonarr,
        curator_core::SonarrSettings::new("/tv", sonarr_client::QualityProfileId(1))
    );
    assert_eq!(sonarr.monitor, sonarr_client::MonitorType::FirstSeason);
    assert!(!sonarr.auto_download);
    // collections.tv_immaculate_taste wins over plex.tv_collection_name.
    let both = parse_with(
        "plex:\n  tv_library_name: TV\n  tv_collection_name: Old\ncollections:\n  tv_immaculate_taste: New\n",
        NO_ENV,
    )
    .unwrap();
    assert_eq!(
        both.settings.tv.unwrap().collections.immaculate_taste,
        "New"
    );
}

#[test]
fn collection_artwork_is_a_file_a_url_or_curators_own_poster() {
    use curator_core::RowKey;
    use plex_client::Image;
    // By default every collection gets curator's poster and no background.
    let rows = parse_with("", NO_ENV).unwrap().settings.rows;
    for row in RowKey::ALL {
        let art = &rows.artwork[&row];
        assert!(matches!(&art.poster, Some(Image::Bytes(b)) if b.starts_with(b"\x89PNG")));
        assert_eq!(art.background, None);
        assert_eq!(art.summary, None);
    }
    let off = parse_with("collections:\n  artwork: false\n", NO_ENV).unwrap();
    assert!(off.settings.rows.artwork.is_empty());

    let dir = tempfile::tempdir().unwrap();
    let jpeg = b"\xff\xd8\xff\xe0 a jpeg".to_vec();
    std::fs::write(dir.path().join("it.jpg"), &jpeg).unwrap();
    std::fs::write(dir.path().join("notes.txt"), "hello").unwrap();
    let text = "collections:\n  immaculate_taste_poster: it.jpg\n  change_of_taste_background: https://img.example/bg.jpg\n  recently_watched_summary: \"  Because you watched {seed}  \"\n  tv_immaculate_taste_poster: it.jpg\n  tv_change_of_taste_summary: Shows unlike {seed}\n  artwork: false\n";
    let path = dir.path().join("config.yaml");
    std::fs::write(&path, text).unwrap();
    let config = load(Some(&path), &env(NO_ENV)).unwrap();
    let art = &config.settings.rows.artwork;
    assert_eq!(
        art[&RowKey::ImmaculateTaste].poster,
        Some(Image::Bytes(jpeg))
    );
    assert_eq!(
        art[&RowKey::ChangeOfTaste].background,
        Some(Image::Url("https://img.example/bg.jpg".into()))
    );
    assert_eq!(art[&RowKey::ChangeOfTaste].poster, None, "artwork: false");
    assert_eq!(
        art[&RowKey::RecentlyWatched].summary.as_deref(),
        Some("Because you watched {seed}")
    );
    // The TV collections have keys of their own (before, they wore the
    // movie collections' settings and could not be given their own).
    assert_eq!(
        art[&RowKey::TvImmaculateTaste].poster,
        Some(Image::Bytes(b"\xff\xd8\xff\xe0 a jpeg".to_vec()))
    );
    assert_eq!(art[&RowKey::ImmaculateTaste].summary, None);
    assert_eq!(
        art[&RowKey::TvChangeOfTaste].summary.as_deref(),
        Some("Shows unlike {seed}")
    );
    assert!(
        !art.contains_key(&RowKey::TvRecentlyWatched),
        "artwork: false"
    );
    assert!(config.notices.is_empty(), "{:?}", config.notices);

    for (key, value, problem) in [
        ("recently_watched_poster", "missing.png", "cannot read"),
        ("recently_watched_poster", "notes.txt", "not a PNG or JPEG"),
        (
            "tv_change_of_taste_background",
            "notes.txt",
            "not a PNG or JPEG",
        ),
    ] {
        let text = format!("collections:\n  {key}: {value}\n");
        std::fs::write(&path, &text).unwrap();
        let error = load(Some(&path), &env(NO_ENV)).unwrap_err();
        assert_eq!(
            error.key.as_deref(),
            Some(format!("collections.{key}").as_str())
        );
        assert_eq!(error.line, Some(2), "{error}");
        assert!(error.to_string().contains(problem), "{error}");
        assert!(error.fix.is_some());
    }
}

#[test]
fn radarr_require_approval_holds_movies_and_is_off_by_default() {
    let base = "radarr:\n  url: \"http://radarr:7878\"\n  api_key: \"radarrKey0123456789\"\n  root_folder: \"/movies\"\n";
    let config = parse_with(base, NO_ENV).unwrap();
    assert!(!config.settings.approval.movies);
    let config = parse_with(&format!("{base}  require_approval: true\n"), NO_ENV).unwrap();
    assert!(config.settings.approval.movies);
    assert!(!config.settings.approval.shows);
    let tv = format!(
        "{base}plex:\n  tv_library_name: \"TV\"\nsonarr:\n  url: \"http://sonarr:8989\"\n  api_key: \"sonarrKey0123456789\"\n  root_folder: \"/tv\"\n  require_approval: true\n"
    );
    let config = parse_with(&tv, NO_ENV).unwrap();
    assert!(config.settings.approval.shows && !config.settings.approval.movies);
    assert!(config.notices.is_empty(), "{:?}", config.notices);
}

#[test]
fn requests_via_seerr_takes_its_url_and_key_with_the_env_first() {
    let text = "requests:\n  via: seerr\nseerr:\n  url: http://nas:5055/\n  api_key: fileKey0123\n";
    let config = parse_with(text, NO_ENV).unwrap();
    assert_eq!(config.settings.requests, curator_core::RequestsVia::Seerr);
    let seerr = config.seerr.as_ref().unwrap();
    assert_eq!(seerr.url, "http://nas:5055");
    assert_eq!(seerr.api_key.expose(), "fileKey0123");
    assert!(!format!("{config:?}").contains("fileKey0123"));
    assert!(config.notices.is_empty(), "{:?}", config.notices);

    let from_env = parse_with(text, &[("CURATOR_SEERR_API_KEY", "envKey4567")]).unwrap();
    assert_eq!(from_env.seerr.unwrap().api_key.expose(), "envKey4567");

    // The default: Radarr and Sonarr, no Seerr.
    let default = parse_with("plex:\n  url: http://plex:32400\n", NO_ENV).unwrap();
    assert_eq!(default.settings.requests, curator_core::RequestsVia::Arr);
    assert!(default.seerr.is_none());
}

#[test]
fn requests_via_seerr_without_what_it_needs_says_which_key_to_set() {
    let cases = [
        ("requests:\n  via: seerr\n", "requests.via", 2, "seerr.url"),
        (
            "requests:\n  via: seerr\nseerr:\n  url: http://nas:5055\n",
            "seerr",
            3,
            "seerr.api_key",
        ),
        ("requests:\n  via: ombi\n", "requests.via", 2, "radarr"),
        (
            "requests:\n  via: seerr\nseerr:\n  url: nas:5055\n  api_key: k\n",
            "seerr.url",
            4,
            "http://localhost:5055",
        ),
    ];
    for (text, key, line, fix) in cases {
        let error = parse_with(text, NO_ENV).unwrap_err();
        assert_eq!(error.key.as_deref(), Some(key), "{text}: {error}");
        assert_eq!(error.line, Some(line), "{text}: {error}");
        assert!(error.to_string().contains(fix), "{text}: {error}");
    }
}

#[test]
fn a_seerr_section_nothing_uses_is_a_notice() {
    let config = parse_with("seerr:\n  url: http://nas:5055\n  api_key: k0123\n", NO_ENV).unwrap();
    assert!(config.seerr.is_none());
    assert!(
        config
            .notices
            .iter()
            .any(|n| n.contains("requests.via is radarr")),
        "{:?}",
        config.notices
    );
}
