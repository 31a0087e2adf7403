//! `curator check`'s findings, as data: the config, every enabled service
//! reached, and the data directory. Whoever shows them decides how.

use llm_recs::{Recommender, SeedMovie, SuggestionRequest};
use plex_client::PlexApi;
use radarr_client::{QualityProfile, QualityProfileId, RadarrApi, RootFolder};
use seerr_client::SeerrApi;
use sonarr_client::SonarrApi;
use tmdb_client::TmdbApi;

use curator_core::{DataDir, MediaKind, RequestsVia};

use crate::config::Config;
use crate::error::Error;
use crate::wiring;

/// How a finding went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Works.
    Ok,
    /// Works, but something is worth a look.
    Warn,
    /// Stops curator from doing (some of) its work.
    Fail,
}

impl Status {
    /// `ok`, `warn` or `fail`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Warn => "warn",
            Self::Fail => "fail",
        }
    }
}

/// One finding of a check.
#[derive(Debug, Clone)]
pub struct Finding {
    /// What was checked (`Plex`, `Radarr`, `Data`...).
    pub service: &'static str,
    /// How it went.
    pub status: Status,
    /// What was found.
    pub detail: String,
    /// What to change, when something is wrong.
    pub fix: Option<String>,
}

type Row = Finding;

impl Row {
    fn ok(service: &'static str, detail: impl Into<String>) -> Self {
        Self {
            service,
            status: Status::Ok,
            detail: detail.into(),
            fix: None,
        }
    }

    fn bad(
        service: &'static str,
        status: Status,
        detail: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Self {
            service,
            status,
            detail: detail.into(),
            fix: Some(fix.into()),
        }
    }
}

/// Everything `curator check` looks at, with the config loaded from
/// `config` and the data directory `data`: the config, Plex (and its TV
/// library when TV is on), Radarr, Sonarr, Seerr (when requests go there),
/// TMDb, the LLM (which asks for suggestions), the data directory.
///
/// # Errors
/// A client that cannot be built, or an unreadable Plex client identifier.
pub async fn check(config: &Config, data: &DataDir) -> Result<Vec<Finding>, Error> {
    let mut rows = vec![Row::ok(
        "Config",
        config.source.as_ref().map_or_else(
            || "loaded".to_owned(),
            |p| format!("loaded {}", p.display()),
        ),
    )];
    rows.extend(check_plex(config, data).await?);
    rows.extend(check_radarr(config).await?);
    rows.extend(check_sonarr(config).await?);
    rows.extend(check_seerr(config).await?);
    rows.push(check_tmdb(config).await?);
    rows.push(check_llm(config).await?);
    rows.extend(check_data(config, data).await?);
    rows.extend(notification_rows(config));
    Ok(rows)
}

/// The notification targets, said without their secrets; nothing is sent
/// (`curator notify --test` does that).
fn notification_rows(config: &Config) -> Vec<Row> {
    if config.notifications.is_empty() {
        return vec![Row::ok(
            "Notify",
            "no notification targets (notifications: in the config)",
        )];
    }
    config
        .notifications
        .iter()
        .map(|t| {
            let report = match (t.report, t.send_only_on_problems) {
                (false, _) => "no report",
                (true, false) => "weekly report",
                (true, true) => "weekly report when there were problems",
            };
            Row::ok(
                "Notify",
                format!(
                    "{}: {} {}, on {}, {report} (not sent; `curator notify --test` sends a test)",
                    t.name,
                    t.receiver.kind(),
                    t.receiver.describe(),
                    t.on.name()
                ),
            )
        })
        .collect()
}

/// The data directory: the previous tool's files, and what the next run
/// does with them; the cleaner's changed `delete_preference`. No server is
/// asked.
async fn check_data(config: &Config, data: &DataDir) -> Result<Vec<Row>, Error> {
    let mut rows = Vec::new();
    match curator_core::find_legacy_files(data) {
        Err(error) => rows.push(Row::bad(
            "Data",
            Status::Fail,
            error.to_string(),
            "repair the file, or move it away to start that state afresh",
        )),
        Ok(files) if files.is_empty() => rows.push(Row::ok(
            "Data",
            format!(
                "{}: no files of the previous tool to convert",
                data.root().display()
            ),
        )),
        Ok(files) => {
            let mut lines = files.describe(&config.settings.points);
            let first = lines.remove(0);
            rows.push(Row::bad(
                "Data",
                Status::Warn,
                format!("old-format data directory: {first}"),
                "preview the conversion and what the refreshers then do, changing nothing: `curator --dry-run refresh`",
            ));
            lines.extend(preview(config, data, &files).await?);
            for line in lines {
                rows.push(Row {
                    service: "Data",
                    status: Status::Warn,
                    detail: line,
                    fix: None,
                });
            }
        }
    }
    if config.delete_preference_notice.is_some() {
        rows.push(Row::bad(
            "Cleaner",
            Status::Warn,
            "plex.delete_preference now deletes what its name says; the previous tool's code deleted the opposite copy",
            "review what it would delete with `curator --dry-run dedupe`",
        ));
    }
    Ok(rows)
}

/// How the previous tool's files match the Plex library (one read of it),
/// or nothing when Plex cannot be read (its own row says why).
async fn preview(
    config: &Config,
    data: &DataDir,
    files: &curator_core::LegacyFiles,
) -> Result<Vec<String>, Error> {
    let Some(conn) = &config.plex else {
        return Ok(Vec::new());
    };
    let id = wiring::plex_client_identifier(data, false)?;
    let plex = wiring::plex(conn, &config.timeouts, &id, None)?;
    let Ok(sections) = plex.sections().await else {
        return Ok(Vec::new());
    };
    let wanted = &config.settings.movie_library;
    let Some(section) = sections
        .iter()
        .find(|s| s.is_movie() && s.title.eq_ignore_ascii_case(wanted))
    else {
        return Ok(Vec::new());
    };
    Ok(match plex.movies(&section.key).await {
        Ok(movies) => files.preview(&curator_core::LibraryIndex::new(
            section.key.clone(),
            movies,
        )),
        Err(_) => Vec::new(),
    })
}

async fn check_plex(config: &Config, data: &DataDir) -> Result<Vec<Row>, Error> {
    let Some(conn) = &config.plex else {
        return Ok(vec![Row::bad(
            "Plex",
            Status::Fail,
            "not configured",
            "set plex.url and plex.token (or CURATOR_PLEX_TOKEN)",
        )]);
    };
    let id = wiring::plex_client_identifier(data, false)?;
    let plex = wiring::plex(conn, &config.timeouts, &id, None)?;
    let info = match plex.server_info().await {
        Ok(info) => info,
        Err(e) => {
            let fix = if e.status() == Some(401) {
                "plex.token is wrong: copy it again (Plex Web > a movie > Get Info > View XML, X-Plex-Token)"
            } else {
                "check plex.url (scheme, host and port, usually :32400) and that Plex is running"
            };
            return Ok(vec![Row::bad("Plex", Status::Fail, format!("{e:#}"), fix)]);
        }
    };
    let mut rows = Vec::new();
    let name = info.friendly_name.clone().unwrap_or_default();
    let sections = plex.sections().await;
    match &sections {
        Ok(sections) => {
            let wanted = &config.settings.movie_library;
            match sections
                .iter()
                .find(|s| s.is_movie() && s.title.eq_ignore_ascii_case(wanted))
            {
                Some(_) => rows.push(Row::ok(
                    "Plex",
                    format!(
                        "{name} (version {}), movie library {wanted:?} found",
                        info.version
                    ),
                )),
                None => {
                    let names: Vec<String> = sections
                        .iter()
                        .filter(|s| s.is_movie())
                        .map(|s| format!("{:?}", s.title))
                        .collect();
                    rows.push(Row::bad(
                        "Plex",
                        Status::Fail,
                        format!("no movie library named {wanted:?}"),
                        format!(
                            "set plex.movie_library_name to one of: {}",
                            names.join(", ")
                        ),
                    ));
                }
            }
        }
        Err(e) => rows.push(Row::bad(
            "Plex",
            Status::Fail,
            format!("{e:#}"),
            "check that the token belongs to the server's owner",
        )),
    }
    if let (Some(tv), Ok(sections)) = (&config.settings.tv, &sections) {
        let wanted = &tv.library;
        if sections
            .iter()
            .any(|s| s.is_show() && s.title.eq_ignore_ascii_case(wanted))
        {
            rows.push(Row::ok("Plex", format!("TV library {wanted:?} found")));
        } else {
            let names: Vec<String> = sections
                .iter()
                .filter(|s| s.is_show())
                .map(|s| format!("{:?}", s.title))
                .collect();
            let fix = if names.is_empty() {
                "this server has no TV library: remove plex.tv_library_name to keep TV off"
                    .to_owned()
            } else {
                format!(
                    "set plex.tv_library_name to one of: {} (or remove it to keep TV off)",
                    names.join(", ")
                )
            };
            rows.push(Row::bad(
                "Plex",
                Status::Fail,
                format!("no TV library named {wanted:?}"),
                fix,
            ));
        }
    }
    if config.settings.steps.duplicate_cleaner && !info.allow_media_deletion {
        rows.push(Row::bad(
            "Plex",
            Status::Fail,
            "the duplicate cleaner is on but Plex does not allow media deletion",
            "turn on Plex Settings > Library > \"Allow media deletion\", or set scripts_run.run_plex_duplicate_cleaner: false",
        ));
    }
    Ok(rows)
}

async fn check_radarr(config: &Config) -> Result<Vec<Row>, Error> {
    let Some(conn) = &config.radarr else {
        if config.settings.requests == RequestsVia::Seerr {
            return Ok(vec![Row::ok(
                "Radarr",
                "not configured: missing movies go to Seerr, monitor confirm is skipped",
            )]);
        }
        return Ok(vec![Row::bad(
            "Radarr",
            Status::Warn,
            "not configured: missing movies are not sent anywhere, monitor confirm is skipped",
            "set radarr.url and radarr.api_key to send missing movies to Radarr",
        )]);
    };
    let radarr = wiring::radarr(conn, &config.timeouts, None)?;
    let status = match radarr.system_status().await {
        Ok(s) => s,
        Err(e) => {
            let fix = if e.status() == Some(401) {
                "radarr.api_key is wrong: copy it from Radarr > Settings > General > API Key"
            } else {
                "check radarr.url (scheme, host, port, and any URL base such as /radarr) and that Radarr is running"
            };
            return Ok(vec![Row::bad(
                "Radarr",
                Status::Fail,
                format!("{e:#}"),
                fix,
            )]);
        }
    };
    let mut rows = vec![Row::ok(
        "Radarr",
        format!("Radarr {} reachable", status.version),
    )];
    let Some(settings) = &config.settings.radarr else {
        return Ok(rows);
    };
    let folders = radarr.root_folders().await.map_err(|e| format!("{e:#}"));
    let profiles = radarr
        .quality_profiles()
        .await
        .map_err(|e| format!("{e:#}"));
    rows.extend(hand_off_rows(
        "Radarr",
        folders,
        profiles,
        &settings.root_folder,
        settings.quality_profile_id,
    ));
    Ok(rows)
}

/// Whether the root folder and quality profile the config names exist, as
/// Radarr or Sonarr (`service`, also the config section) listed them: both
/// speak the same resources (`arr_common`).
fn hand_off_rows(
    service: &'static str,
    folders: Result<Vec<RootFolder>, String>,
    profiles: Result<Vec<QualityProfile>, String>,
    root_folder: &str,
    profile_id: QualityProfileId,
) -> Vec<Row> {
    let section = service.to_ascii_lowercase();
    let logs = format!("check {service}'s logs");
    let mut rows = Vec::new();
    match folders {
        Ok(folders) => {
            let wanted = root_folder.trim_end_matches(['/', '\\']);
            if folders
                .iter()
                .any(|f| f.path.trim_end_matches(['/', '\\']) == wanted)
            {
                rows.push(Row::ok(
                    service,
                    format!("root folder {root_folder:?} exists"),
                ));
            } else {
                let paths: Vec<String> = folders.iter().map(|f| format!("{:?}", f.path)).collect();
                rows.push(Row::bad(
                    service,
                    Status::Fail,
                    format!("no root folder {root_folder:?}"),
                    format!("set {section}.root_folder to one of: {}", paths.join(", ")),
                ));
            }
        }
        Err(e) => rows.push(Row::bad(service, Status::Fail, e, logs.clone())),
    }
    match profiles {
        Ok(profiles) => match profiles.iter().find(|p| p.id == profile_id) {
            Some(p) => rows.push(Row::ok(
                service,
                format!("quality profile {} ({:?}) exists", p.id.0, p.name),
            )),
            None => {
                let list: Vec<String> = profiles
                    .iter()
                    .map(|p| format!("{} ({})", p.id.0, p.name))
                    .collect();
                rows.push(Row::bad(
                    service,
                    Status::Fail,
                    format!("no quality profile {}", profile_id.0),
                    format!(
                        "set {section}.quality_profile_id to one of: {}",
                        list.join(", ")
                    ),
                ));
            }
        },
        Err(e) => rows.push(Row::bad(service, Status::Fail, e, logs)),
    }
    rows
}

/// Sonarr, when configured: reachable, and the root folder and quality
/// profile the hand-off uses (only when TV is on: without a TV library
/// nothing is sent).
async fn check_sonarr(config: &Config) -> Result<Vec<Row>, Error> {
    let tv = config.settings.tv.as_ref();
    let Some(conn) = &config.sonarr else {
        return Ok(match tv {
            None => Vec::new(),
            Some(_) => vec![Row::bad(
                "Sonarr",
                Status::Warn,
                "not configured: missing shows are not sent anywhere",
                "set sonarr.url, sonarr.api_key and sonarr.root_folder to send missing shows to Sonarr",
            )],
        });
    };
    let sonarr = wiring::sonarr(conn, &config.timeouts, None)?;
    let status = match sonarr.system_status().await {
        Ok(s) => s,
        Err(e) => {
            let fix = if e.status() == Some(401) {
                "sonarr.api_key is wrong: copy it from Sonarr > Settings > General > API Key"
            } else {
                "check sonarr.url (scheme, host, port, and any URL base such as /sonarr) and that Sonarr is running"
            };
            return Ok(vec![Row::bad(
                "Sonarr",
                Status::Fail,
                format!("{e:#}"),
                fix,
            )]);
        }
    };
    let mut rows = vec![Row::ok(
        "Sonarr",
        format!("Sonarr {} reachable", status.version),
    )];
    let Some(settings) = tv.and_then(|tv| tv.sonarr.as_ref()) else {
        rows.push(Row::bad(
            "Sonarr",
            Status::Warn,
            "configured, but TV is off: nothing is sent to it",
            "set plex.tv_library_name to your TV library's name to turn TV on",
        ));
        return Ok(rows);
    };
    let folders = sonarr.root_folders().await.map_err(|e| format!("{e:#}"));
    let profiles = sonarr
        .quality_profiles()
        .await
        .map_err(|e| format!("{e:#}"));
    rows.extend(hand_off_rows(
        "Sonarr",
        folders,
        profiles,
        &settings.root_folder,
        settings.quality_profile_id,
    ));
    if !settings.auto_download {
        rows.push(Row::bad(
            "Sonarr",
            Status::Warn,
            "missing shows are listed as pending, not sent (sonarr.auto_download_recommendations is false)",
            "set sonarr.auto_download_recommendations: true to send them",
        ));
    }
    Ok(rows)
}

/// Seerr, when missing titles go there (`requests.via: seerr`): reachable
/// (its public status), the API key accepted (the key's user), and whether
/// that user may request each kind curator sends and has its requests
/// approved at once.
async fn check_seerr(config: &Config) -> Result<Vec<Row>, Error> {
    let Some(conn) = &config.seerr else {
        return Ok(Vec::new());
    };
    let seerr = wiring::seerr(conn, &config.timeouts, None)?;
    let status = match seerr.status().await {
        Ok(status) => status,
        Err(e) => {
            return Ok(vec![Row::bad(
                "Seerr",
                Status::Fail,
                format!("{e:#}"),
                "check seerr.url (scheme, host, port such as 5055, and any URL base) and that Overseerr or Jellyseerr is running",
            )]);
        }
    };
    let mut rows = vec![Row::ok(
        "Seerr",
        format!("Seerr {} reachable", status.version),
    )];
    let user = match seerr.me().await {
        Ok(user) => user,
        Err(e) => {
            let fix = if e.is_unauthorized() {
                "seerr.api_key is wrong: copy it from Seerr > Settings > General > API Key"
            } else {
                "check that seerr.url is Overseerr's or Jellyseerr's address"
            };
            rows.push(Row::bad("Seerr", Status::Fail, format!("{e:#}"), fix));
            return Ok(rows);
        }
    };
    rows.push(Row::ok(
        "Seerr",
        format!("the api key is accepted; requests go in as {}", user.name()),
    ));
    let kinds: &[MediaKind] = if config.settings.tv.is_some() {
        &MediaKind::ALL
    } else {
        &[MediaKind::Movie]
    };
    for kind in kinds {
        let permissions = user.permissions;
        if !permissions.may_request(*kind) {
            rows.push(Row::bad(
                "Seerr",
                Status::Fail,
                format!("{} may not request {kind}s", user.name()),
                "give that user the Request permission in Seerr > Users",
            ));
        } else if !permissions.auto_approves(*kind) {
            rows.push(Row::bad(
                "Seerr",
                Status::Warn,
                format!("{kind} requests wait for approval in Seerr"),
                "approve them in Seerr, or give that user Auto-Approve in Seerr > Users",
            ));
        }
    }
    Ok(rows)
}

async fn check_tmdb(config: &Config) -> Result<Row, Error> {
    let Some(conn) = &config.tmdb else {
        return Ok(Row::bad(
            "TMDb",
            Status::Fail,
            "not configured: suggestions cannot be matched to real movies",
            "set tmdb.api_key (free: themoviedb.org > Settings > API)",
        ));
    };
    let tmdb = wiring::tmdb(conn, &config.timeouts, None)?;
    Ok(match tmdb.genres().await {
        Ok(genres) => Row::ok(
            "TMDb",
            format!("key works ({} genres listed)", genres.len()),
        ),
        Err(e) => Row::bad(
            "TMDb",
            Status::Fail,
            format!("{e:#}"),
            if e.status() == Some(401) {
                "tmdb.api_key is wrong: use the v3 API key or the v4 read access token"
            } else {
                "check tmdb.base_url and the network"
            },
        ),
    })
}

async fn check_llm(config: &Config) -> Result<Row, Error> {
    let Some(conn) = &config.llm else {
        return Ok(Row::bad(
            "LLM",
            Status::Warn,
            "not configured: TMDb's own recommendations are used instead",
            "set openai.api_key, or openai.base_url for a local server such as Ollama",
        ));
    };
    let llm = wiring::llm(conn, &config.timeouts, None)?;
    let request = SuggestionRequest::similar(SeedMovie::new("Heat").with_year(1995), 3);
    let started_at = llm.structured_output();
    Ok(match llm.suggest(&request).await {
        Ok(answer) if !answer.is_empty() => {
            let mode = llm.structured_output();
            // Say which structured-output mode worked, and how to skip the
            // refused ones on every run.
            let learned = if mode == started_at {
                format!("structured output: {mode}")
            } else {
                format!(
                    "structured output: {mode} (the server refused {started_at}; set openai.structured_output: {mode} to skip asking)"
                )
            };
            let mut extra = Vec::new();
            if conn.temperature.is_some() && !llm.sends_temperature() {
                extra.push("the model refuses a temperature: remove openai.temperature".to_owned());
            }
            Row::ok(
                "LLM",
                format!(
                    "{} at {} answered with {} suggestions; {learned}{}",
                    conn.model,
                    llm.host(),
                    answer.len(),
                    extra.iter().map(|e| format!("; {e}")).collect::<String>()
                ),
            )
        }
        Ok(_) => Row::bad(
            "LLM",
            Status::Warn,
            format!("{} answered, but with no usable suggestions", conn.model),
            "try another model; small local models sometimes ignore the format",
        ),
        Err(e) => Row::bad("LLM", Status::Fail, format!("{e:#}"), llm_fix(&e)),
    })
}

/// What to change for an LLM error, named by what the error is (not one
/// advice for all).
fn llm_fix(error: &llm_recs::Error) -> &'static str {
    use llm_recs::Error;
    match error {
        Error::Unauthorized { .. } => "check openai.api_key",
        Error::QuotaExhausted { .. } | Error::UsageLimit { .. } => {
            "add credit, wait for the limit to reset, or use another key or model"
        }
        Error::ModelNotFound { .. } => "check openai.model: the server does not know it",
        Error::EndpointNotFound { .. } => {
            "check openai.base_url: it usually ends in /v1 (http://localhost:11434/v1 for Ollama)"
        }
        Error::Timeout { .. } => "raise timeouts.llm_seconds, or use a smaller model",
        Error::RateLimited { .. } => "wait a minute and try again",
        Error::Refused { .. } | Error::EmptyAnswer { .. } | Error::Unparseable { .. } => {
            "try another model, or set openai.structured_output: text"
        }
        Error::Config { .. } => "check openai.base_url and openai.model",
        _ => {
            "check openai.base_url and that the server is running; openai.structured_output: text helps servers that reject response_format"
        }
    }
}

/// The services' checks of [`check`] (the LLM one only when `llm`: it asks
/// for suggestions, which can cost money); a check that cannot run is a
/// failed finding.
pub async fn check_services(config: &Config, data: &DataDir, llm: bool) -> Vec<Finding> {
    let mut rows = Vec::new();
    let fail = |service: &'static str, e: Error| {
        vec![Row::bad(
            service,
            Status::Fail,
            e.to_string(),
            String::new(),
        )]
    };
    rows.extend(
        check_plex(config, data)
            .await
            .unwrap_or_else(|e| fail("Plex", e)),
    );
    rows.extend(
        check_radarr(config)
            .await
            .unwrap_or_else(|e| fail("Radarr", e)),
    );
    rows.extend(
        check_sonarr(config)
            .await
            .unwrap_or_else(|e| fail("Sonarr", e)),
    );
    rows.extend(
        check_seerr(config)
            .await
            .unwrap_or_else(|e| fail("Seerr", e)),
    );
    rows.extend(
        check_tmdb(config)
            .await
            .map_or_else(|e| fail("TMDb", e), |r| vec![r]),
    );
    if llm {
        rows.extend(
            check_llm(config)
                .await
                .map_or_else(|e| fail("LLM", e), |r| vec![r]),
        );
    }
    rows
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    #[test]
    fn check_lists_each_target_without_its_secret() {
        let config = crate::config::parse(
            "notifications:\n  - discord: \"https://discord.com/api/webhooks/1/SECRET\"\n    on: always\n  - ntfy: { topic: SECRET-topic }\n    report: false\n",
            &HashMap::<&str, &str>::new(),
        )
        .unwrap();
        let rows = notification_rows(&config);
        let details: Vec<&str> = rows.iter().map(|r| r.detail.as_str()).collect();
        assert_eq!(
            details,
            [
                "discord: discord webhook on https://discord.com, on always, weekly report (not sent; `curator notify --test` sends a test)",
                "ntfy: ntfy https://ntfy.sh, topic set, on failure, no report (not sent; `curator notify --test` sends a test)",
            ]
        );
        assert!(
            rows.iter()
                .all(|r| r.service == "Notify" && r.status == Status::Ok)
        );
    }
}
