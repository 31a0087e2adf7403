//! `curator run`: the whole pipeline for a watched movie or episode, in
//! the foreground or handed to a background process.

use std::ffi::OsString;
use std::fs::OpenOptions;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use curator_app::RunInput;
use curator_core::RunRequest;
use time::OffsetDateTime;
use time::macros::format_description;

use crate::cli::{Global, RunArgs};
use crate::commands::{load_config, printer, run_steps};
use crate::error::{Done, Failure};
use crate::output::eprint_line;

/// Runs `curator run`.
///
/// # Errors
/// Usage errors, config errors, state errors; see [`Failure`].
pub(crate) async fn run(global: &Global, args: &RunArgs) -> Result<Done, Failure> {
    // A background run would create a log file; a dry run writes nothing,
    // and its plan is meant to be read.
    if args.detach && global.dry_run {
        return Err(Failure::Usage(
            "--dry-run prints its plan; run it without --detach".into(),
        ));
    }
    let printer = printer(global);
    let input = curator_app::read_watched(&args.watched())?;
    // The config is checked before detaching, so a bad one is reported to
    // the caller (Tautulli logs it) rather than only to a log file.
    let config = match (&input, load_config(global)) {
        (RunInput::Movie { .. }, loaded) => loaded?,
        (_, Ok(config)) => config,
        (_, Err(error)) => {
            // Tautulli fires on every play: an episode or a track is skipped
            // as before curator knew shows, and for an episode the reason
            // TV could not be checked is said.
            if let RunInput::Show { .. } = &input {
                eprint_line(format!(
                    "note: episodes are skipped while the config cannot be read: {error}"
                ));
            }
            if let Some(reason) = input.skip_reason_with(false) {
                printer.line(format!("skipped: {reason}"));
            }
            return Ok(Done::Ok);
        }
    };
    if let Some(reason) = input.skip_reason(&config.settings) {
        printer.line(format!("skipped: {reason}"));
        return Ok(Done::Ok);
    }
    let (seed, user) = match input {
        RunInput::Movie { seed, user } | RunInput::Show { seed, user, .. } => (seed, user),
        RunInput::NotAMovie(_) => return Ok(Done::Ok),
    };
    if args.detach {
        let (log, pid) = spawn_detached(global)?;
        printer.line(format!(
            "started curator for {} in the background (pid {pid}); its output goes to {}",
            seed.label(),
            log.display()
        ));
        return Ok(Done::Ok);
    }
    let lock_timeout = if args.detached_child {
        config.timeouts.detached_lock
    } else {
        config.timeouts.lock
    };
    let mut detail = Vec::new();
    if let Some(user) = &user {
        detail.push(format!("watched by {user}"));
    }
    if let Some(id) = seed.tmdb_id {
        detail.push(format!("TMDb id {id}"));
    }
    if let Some(id) = seed.tvdb_id {
        detail.push(format!("TVDB id {id}"));
    }
    tracing::info!(title = %seed.title, year = ?seed.year, kind = %seed.kind, user = ?user, "run for a watched title");
    let title = seed.label();
    let request = RunRequest {
        seed: Some(seed),
        only: None,
    };
    run_steps(global, &config, request, title, detail, lock_timeout).await
}

/// Starts this same command again without `--detach`, in its own process
/// group so Tautulli stopping the script does not stop it, with its output
/// appended to a log file in the data directory.
fn spawn_detached(global: &Global) -> Result<(PathBuf, u32), Failure> {
    let fatal = |what: &str, e: std::io::Error| Failure::Fatal(format!("cannot {what}: {e}"));
    let logs = global.data_dir().join("logs");
    std::fs::create_dir_all(&logs).map_err(|e| fatal(&format!("create {}", logs.display()), e))?;
    let stamp = OffsetDateTime::now_utc()
        .format(format_description!(
            "[year][month][day]-[hour][minute][second]-[subsecond digits:3]"
        ))
        .unwrap_or_else(|_| "run".to_owned());
    prune_logs(&logs);
    let log_path = logs.join(format!("curator-{stamp}.log"));
    let log = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log_path)
        .map_err(|e| fatal(&format!("open {}", log_path.display()), e))?;
    let err_log = log
        .try_clone()
        .map_err(|e| fatal(&format!("open {}", log_path.display()), e))?;
    let exe = std::env::current_exe().map_err(|e| fatal("find the curator executable", e))?;
    let args: Vec<OsString> = std::env::args_os()
        .skip(1)
        .map(|a| {
            if a == "--detach" {
                OsString::from("--detached-child")
            } else {
                a
            }
        })
        .collect();
    let mut command = Command::new(exe);
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(err_log);
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    #[cfg(windows)]
    {
        use std::os::windows::process::CommandExt;
        const DETACHED_PROCESS: u32 = 0x0000_0008;
        const CREATE_NEW_PROCESS_GROUP: u32 = 0x0000_0200;
        command.creation_flags(DETACHED_PROCESS | CREATE_NEW_PROCESS_GROUP);
    }
    let child = command
        .spawn()
        .map_err(|e| fatal("start curator in the background", e))?;
    Ok((log_path, child.id()))
}

/// Background runs' logs are kept for this long.
const KEEP_LOGS: std::time::Duration = std::time::Duration::from_secs(30 * 24 * 60 * 60);

/// Removes background runs' logs older than [`KEEP_LOGS`]; best effort.
fn prune_logs(logs: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(logs) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with("curator-") && name.ends_with(".log")) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|modified| modified.elapsed().ok())
            .is_some_and(|age| age > KEEP_LOGS);
        if old && let Err(error) = std::fs::remove_file(entry.path()) {
            tracing::debug!(%error, file = %name, "could not remove an old log");
        }
    }
}
