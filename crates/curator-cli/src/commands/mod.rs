//! One module per command; what they share is here: loading the config and
//! running a job with printed output.

pub(crate) mod approvals;
pub(crate) mod check;
pub(crate) mod collections;
pub(crate) mod recommend;
pub(crate) mod report;
pub(crate) mod run;
pub(crate) mod serve;
pub(crate) mod single;

use std::path::Path;
use std::time::Duration;

use curator_app::{Config, Heading, ProcessEnv, Ran, RunJob, Wired, service_flags};
use curator_core::{DataDir, RunReport, RunRequest};

use crate::cli::{Global, InitArgs, LogFormat};
use crate::error::{Done, Failure};
use crate::output::{Console, Printer, eprint_line};

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
    let config = curator_app::load_config(global.config.as_deref(), &ProcessEnv)?;
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
        curator_app::show_delete_preference_notice(
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

/// Runs a job with the terminal as its output (nothing but the closing
/// report when `quiet_run`), tells the config's notification targets
/// when `notify` gives it, then writes the report to `report_path`.
///
/// # Errors
/// As [`curator_app::execute`], and a report that cannot be written.
pub(crate) async fn execute(
    job: RunJob<'_>,
    wire: impl FnOnce(&DataDir) -> Result<Wired, curator_app::Error>,
    printer: Printer,
    report_path: Option<&Path>,
    notify: Option<&Config>,
) -> Result<Ran, Failure> {
    let console = Console::new(printer);
    let ran = match notify {
        Some(config) => {
            curator_app::execute_notified(config, job, wire, &console)
                .await
                .0?
        }
        None => curator_app::execute(job, wire, &console).await?,
    };
    if let Some(path) = report_path {
        write_report(path, &ran.report)?;
    }
    Ok(ran)
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
    let job = RunJob {
        settings,
        request,
        data: config.data_dir(global.data_dir()),
        lock_timeout,
        job: None,
        heading: Heading {
            title,
            detail,
            services: &flags,
        },
    };
    let ran = execute(
        job,
        |data| curator_app::services(config, data),
        printer(global),
        global.report.as_deref(),
        Some(config),
    )
    .await?;
    Ok(ran.done)
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

/// Writes `bytes` to `path` readable by its owner only (on Unix, mode
/// 0600, also when it replaces a file): the example carries the service's
/// token, and the user adds their servers' keys to it.
fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
        options.mode(0o600);
        let mut file = options.open(path)?;
        // `mode` applies only to a new file; --force may replace an old one.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        file.write_all(bytes)?;
        file.sync_all()
    }
    #[cfg(not(unix))]
    {
        let mut file = options.open(path)?;
        file.write_all(bytes)?;
        file.sync_all()
    }
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
    write_private(&args.path, curator_app::example_with_token().as_bytes())
        .map_err(|e| Failure::Fatal(format!("cannot write {}: {e}", args.path.display())))?;
    printer.line(format!(
        "{} wrote {}: fill in your URLs and keys, then run `curator check`",
        curator_app::status_mark(&curator_core::StepStatus::Done),
        args.path.display()
    ));
    Ok(Done::Ok)
}
