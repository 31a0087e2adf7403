//! One module per command; what they share is here: loading the config and
//! running the pipeline with printed output.

pub(crate) mod check;
pub(crate) mod recommend;
pub(crate) mod run;
pub(crate) mod single;

use std::path::Path;
use std::time::Duration;

use curator_core::{
    DataDir, DataLock, RunContext, RunReport, RunRequest, Settings, StateError, StepKind,
};
use time::OffsetDateTime;

use crate::cli::{Global, InitArgs, LogFormat};
use crate::config::{self, Config, ProcessEnv};
use crate::error::{Done, Failure};
use crate::output::{Console, Printer, eprint_line, status_mark};
use crate::wiring::{self, Wired};

/// The printer the global flags ask for.
pub(crate) fn printer(global: &Global) -> Printer {
    Printer {
        quiet: global.quiet,
        verbose: global.verbose > 0,
    }
}

/// Loads the config and prints its notices.
///
/// # Errors
/// [`Failure::Config`].
pub(crate) fn load_config(global: &Global) -> Result<Config, Failure> {
    let config = config::load(global.config.as_deref(), &ProcessEnv)?;
    for notice in &config.notices {
        // Keep stderr one JSON object per line when logs are JSON.
        if global.log_format == LogFormat::Json {
            tracing::warn!(notice = %notice, "config notice");
        } else {
            eprint_line(format!("note: {notice}"));
        }
    }
    if let Some(source) = &config.source {
        tracing::info!(config = %source.display(), "loaded the config");
    }
    if let Some(notice) = &config.delete_preference_notice {
        config::show_delete_preference_notice(
            notice,
            &global.data_dir(),
            global.dry_run,
            |notice| {
                if global.log_format == LogFormat::Json {
                    tracing::warn!(notice = %notice, "delete_preference changed meaning");
                } else {
                    eprint_line(notice);
                }
            },
        );
    }
    Ok(config)
}

/// What a run is about, for its header.
pub(crate) struct Heading<'a> {
    pub(crate) title: String,
    pub(crate) detail: Vec<String>,
    pub(crate) services: &'a [(&'static str, bool)],
}

fn print_heading(
    printer: &Printer,
    heading: &Heading<'_>,
    settings: &Settings,
    only: Option<&[StepKind]>,
) {
    printer.line(format!(
        "curator {} · {}",
        env!("CARGO_PKG_VERSION"),
        heading.title
    ));
    for detail in &heading.detail {
        printer.line(format!("  {detail}"));
    }
    let services: Vec<String> = heading
        .services
        .iter()
        .map(|(name, on)| format!("{name} {}", if *on { "✓" } else { "✗ (not configured)" }))
        .collect();
    printer.line(format!("  services: {}", services.join(" · ")));
    let steps: Vec<String> = StepKind::ALL
        .iter()
        .filter(|s| only.is_none_or(|only| only.contains(s)))
        .map(|s| {
            let on = settings.steps.is_enabled(*s);
            format!("{} {s}", if on { "✓" } else { "– (off)" })
        })
        .collect();
    printer.line(format!("  steps: {}", steps.join(" · ")));
}

/// One pipeline run, ready to go.
pub(crate) struct Job<'a> {
    pub(crate) settings: Settings,
    pub(crate) request: RunRequest,
    pub(crate) data: DataDir,
    pub(crate) lock_timeout: Duration,
    pub(crate) heading: Heading<'a>,
    pub(crate) report_path: Option<&'a Path>,
    pub(crate) printer: Printer,
}

/// Takes the lock (unless dry run), builds the services with `wire`, runs
/// the pipeline, saves the TMDb cache, prints and writes the report.
///
/// # Errors
/// A lock held too long, a damaged state file, a client that cannot be built,
/// a report that cannot be written.
pub(crate) async fn execute(
    job: Job<'_>,
    wire: impl FnOnce(&DataDir) -> Result<Wired, Failure>,
) -> Result<(RunReport, Done), Failure> {
    let Job {
        settings,
        request,
        data,
        lock_timeout,
        heading,
        report_path,
        printer,
    } = job;
    print_heading(&printer, &heading, &settings, request.only.as_deref());
    // A dry run writes nothing, so it needs no lock: state files are
    // replaced atomically, and it reads either the old or the new one.
    let _lock = if settings.dry_run {
        None
    } else {
        Some(lock(&data, lock_timeout, &printer).await?)
    };
    if !settings.dry_run {
        // Made once per installation, by the first run that may write.
        wiring::plex_client_identifier(&data, true)?;
    }
    let wired = wire(&data)?;
    let dry_run = settings.dry_run;
    let today = OffsetDateTime::now_utc().date();
    let mut ctx = RunContext::new(wired.services.clone(), settings, data, today);
    if !dry_run && let Some(checkpoint) = wired.checkpoint() {
        ctx.set_checkpoint(checkpoint);
    }
    let console = Console::new(printer);
    let report = curator_core::run(&mut ctx, &request, &console).await?;
    if !dry_run {
        wired.save_cache().await;
    }
    let down = wired.down();
    printer.summary(&report, &down);
    if let Some(path) = report_path {
        write_report(path, &report)?;
    }
    // A service that went down failed the run, whatever the steps made of it.
    let done = if down.is_empty() {
        outcome(&report)
    } else {
        Done::StepsFailed
    };
    Ok((report, done))
}

/// How a finished run ends: [`Done::StepsFailed`] (exit 3) when a step
/// failed as a whole, or finished but reported problems with some movies or
/// collections, so cron and Tautulli see that something went wrong.
pub(crate) fn outcome(report: &RunReport) -> Done {
    // The previous tool's files left unconverted (Plex down, a backup that
    // could not be written) are a problem too, even when no step minded.
    let migration_left_files = report
        .migration
        .as_ref()
        .is_some_and(|m| !m.deferred.is_empty() || !m.failures.is_empty());
    if migration_left_files
        || report
            .steps
            .iter()
            .any(|s| s.failed() || !s.failures.is_empty())
    {
        Done::StepsFailed
    } else {
        Done::Ok
    }
}

/// Takes the data directory's lock, saying so when another run holds it.
async fn lock(data: &DataDir, timeout: Duration, printer: &Printer) -> Result<DataLock, Failure> {
    match data.lock(Duration::ZERO).await {
        Ok(lock) => Ok(lock),
        Err(StateError::LockTimeout { .. }) => {
            printer.line(format!(
                "  another curator run is using {}; waiting for it to finish (up to {} min)",
                data.root().display(),
                timeout.as_secs().div_ceil(60)
            ));
            Ok(data.lock(timeout).await?)
        }
        Err(e) => Err(e.into()),
    }
}

/// The services line of a heading, from a config.
pub(crate) fn service_flags(config: &Config) -> [(&'static str, bool); 4] {
    [
        ("Plex", config.plex.is_some()),
        ("Radarr", config.radarr.is_some()),
        ("TMDb", config.tmdb.is_some()),
        ("LLM", config.llm.is_some()),
    ]
}

/// Runs `only` these steps with the config's services.
///
/// # Errors
/// As [`execute`].
pub(crate) async fn run_steps(
    global: &Global,
    config: &Config,
    request: RunRequest,
    title: String,
    detail: Vec<String>,
    lock_timeout: Duration,
) -> Result<Done, Failure> {
    let mut settings = config.settings.clone();
    settings.dry_run = global.dry_run;
    let flags = service_flags(config);
    let mut detail = detail;
    if global.dry_run {
        detail.push("dry run: nothing will be changed".into());
    }
    let job = Job {
        settings,
        request,
        data: config.data_dir(global.data_dir()),
        lock_timeout,
        heading: Heading {
            title,
            detail,
            services: &flags,
        },
        report_path: global.report.as_deref(),
        printer: printer(global),
    };
    let (_, done) = execute(job, |data| wiring::services(config, data)).await?;
    Ok(done)
}

/// Writes the report as JSON.
///
/// # Errors
/// [`Failure::Fatal`] when the file cannot be written.
pub(crate) fn write_report(path: &Path, report: &RunReport) -> Result<(), Failure> {
    let mut json = serde_json::to_vec_pretty(report)
        .map_err(|e| Failure::Fatal(format!("cannot encode the report: {e}")))?;
    json.push(b'\n');
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure::Fatal(format!("cannot create {}: {e}", dir.display())))?;
    }
    std::fs::write(path, json).map_err(|e| {
        Failure::Fatal(format!(
            "cannot write the report to {}: {e}",
            path.display()
        ))
    })
}

/// `curator init`.
///
/// # Errors
/// The file exists (without `--force`) or cannot be written.
pub(crate) fn init(args: &InitArgs, printer: Printer) -> Result<Done, Failure> {
    if args.path.exists() && !args.force {
        return Err(Failure::Fatal(format!(
            "{} already exists; not replacing it (add --force to replace it)",
            args.path.display()
        )));
    }
    if let Some(dir) = args.path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure::Fatal(format!("cannot create {}: {e}", dir.display())))?;
    }
    std::fs::write(&args.path, config::EXAMPLE)
        .map_err(|e| Failure::Fatal(format!("cannot write {}: {e}", args.path.display())))?;
    printer.line(format!(
        "{} wrote {}: fill in your URLs and keys, then run `curator check`",
        status_mark(&curator_core::StepStatus::Done),
        args.path.display()
    ));
    Ok(Done::Ok)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use curator_core::{StepReport, StepStatus};

    use super::*;

    fn report(steps: Vec<StepReport>) -> RunReport {
        RunReport {
            seed: None,
            dry_run: false,
            steps,
            notes: Vec::new(),
            migration: None,
            duration: Duration::ZERO,
        }
    }

    #[test]
    fn a_step_failure_or_a_problem_in_a_finished_step_gives_exit_3() {
        let done = StepReport::new(StepKind::RecentlyWatched);
        let skipped = StepReport::skipped(StepKind::MonitorConfirm, "Radarr is not configured");
        assert_eq!(outcome(&report(vec![done.clone(), skipped])), Done::Ok);

        let mut failed = StepReport::new(StepKind::DuplicateCleaner);
        failed.status = StepStatus::Failed("plex: timed out".into());
        assert_eq!(
            outcome(&report(vec![done.clone(), failed])),
            Done::StepsFailed
        );

        let mut left = report(vec![done.clone()]);
        left.migration = Some(curator_core::MigrationReport {
            deferred: vec!["Plex could not be read".into()],
            ..curator_core::MigrationReport::default()
        });
        assert_eq!(outcome(&left), Done::StepsFailed);

        let mut problems = StepReport::new(StepKind::RecentlyWatchedRefresher);
        problems
            .failures
            .push("Change of Taste: plex answered 500".into());
        assert_eq!(outcome(&report(vec![done, problems])), Done::StepsFailed);
    }
}
