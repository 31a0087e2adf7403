//! What a running curator needs, whatever starts it (the `curator` command,
//! `curator serve`, the demo): the config model and its loader (YAML,
//! environment overrides, the previous tool's keys, placeholders), the
//! wiring of real clients into [`curator_core::Services`], `curator check`'s
//! findings as data, and jobs: one pipeline run under the data-directory
//! lock, returning its report.
//!
//! No argument parsing, no HTTP server, no terminal output: a job's words
//! go to an [`Output`] its caller gives.
//!
//! ```no_run
//! # async fn example(out: &dyn curator_app::Output) -> Result<(), curator_app::Error> {
//! use curator_app::{Heading, JobKind, ProcessEnv, RunJob};
//!
//! let config = curator_app::load_config(None, &ProcessEnv)?;
//! let mut settings = config.settings.clone();
//! let kind = JobKind::Refresh;
//! let request = curator_app::only(kind.steps(), &mut settings);
//! let flags = curator_app::service_flags(&config);
//! let job = RunJob {
//!     settings,
//!     request,
//!     data: config.data_dir("/var/lib/curator".into()),
//!     lock_timeout: config.timeouts.lock,
//!     job: None,
//!     heading: Heading { title: kind.title().into(), detail: Vec::new(), services: &flags },
//! };
//! let ran = curator_app::execute(job, |data| curator_app::services(&config, data), out).await?;
//! println!("{}", ran.report.summary());
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

mod artwork;
mod check;
mod config;
mod error;
#[cfg(test)]
mod fuzz;
mod history;
mod jobs;
mod notify;
mod remove;
mod text;
mod watched;
mod weekly;
mod wiring;

pub use check::{Finding, Status, check, check_services};
pub use config::{
    Config, ConfigError, DEFAULT_LISTEN, DEFAULT_REPORT_SCHEDULE, DataFiles, EXAMPLE, Env, LlmConn,
    PlexConn, ProcessEnv, ROUTE_ROOTS, RadarrConn, Schedule, SeerrConn, ServeSettings, SonarrConn,
    Timeouts, TmdbConn, example_with_token, is_unset, load as load_config, parse as parse_config,
    parse_base_path, search_paths, show_delete_preference_notice,
};
pub use error::Error;
pub use history::{
    HISTORY_FILE, MAX_RUNS, Problem, RunOutcome, RunRecord, read_history, runs_since,
};
pub use jobs::approvals::{approvals, approve, forget, reject};
pub use jobs::kind::JobKind;
pub use jobs::{Done, Output, Ran, RunJob, execute, only, outcome, service_flags};
pub use notify::{execute_notified, notifier, notify_run, notify_test, run_message};
pub use remove::remove_collections;
pub use text::{
    Heading, approval_lines, heading_lines, html_escape, outcome_name, status_mark, step_lines,
    summary_lines, waiting_lines,
};
pub use watched::{
    MAX_TITLE_CHARS, RunInput, Watched, given, read as read_watched, split_title_year,
};
pub use weekly::{
    Cause, DEFAULT_PERIOD, Health, PeriodReport, parse_period, period_report, send_report,
};
pub use wiring::{
    PLEX_CLIENT_ID_FILE, Wired, llm, plex, plex_breaker, plex_client_identifier, radarr, seerr,
    services, services_counted, sonarr, tmdb,
};

/// The README's example, compiled as a doctest so it stays true.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
