//! Jobs: one pipeline run under the data-directory lock, with the services
//! wired from the config, ending in a report. `curator run`, `refresh`,
//! `dedupe`, `confirm-monitored`, `recommend`, the demo and every job of
//! `curator serve` go through [`execute`].

pub(crate) mod approvals;
pub(crate) mod kind;

use std::time::Duration;

use curator_core::{
    DataDir, DataLock, RunContext, RunObserver, RunReport, RunRequest, Settings, StateError,
    StepKind,
};
use time::OffsetDateTime;

use crate::config::Config;
use crate::error::Error;
use crate::history::{self, RunOutcome, RunRecord};
use crate::text::{Heading, heading_lines, summary_lines};
use crate::wiring::{self, Wired};

/// Where a job's words go: the lines a person reads (its heading, a wait
/// for the lock, its summary) and, as a [`RunObserver`], its progress. The
/// CLI prints them; this crate never writes to a terminal.
pub trait Output: RunObserver {
    /// One line for a person.
    fn line(&self, text: &str);
}

/// How a run that ran ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Done {
    /// Everything ran, or there was nothing to do.
    Ok,
    /// It finished, but some steps failed or reported problems with some
    /// movies or collections.
    StepsFailed,
}

/// One pipeline run, ready to go.
#[derive(Debug)]
pub struct RunJob<'a> {
    /// The settings, `dry_run` included.
    pub settings: Settings,
    /// What to run.
    pub request: RunRequest,
    /// The data directory.
    pub data: DataDir,
    /// How long to wait for another run's lock.
    pub lock_timeout: Duration,
    /// The service job this run is (its id), so a job run again after a
    /// crash or a panic counts its points once; `None` for the CLI.
    pub job: Option<String>,
    /// What the run is about.
    pub heading: Heading<'a>,
}

/// A run that ran.
#[derive(Debug)]
pub struct Ran {
    /// What it did.
    pub report: RunReport,
    /// The services that went down, with the first error of each.
    pub down: Vec<(&'static str, String)>,
    /// How it ended.
    pub done: Done,
    /// What the run history keeps of it (and notifications tell).
    pub record: RunRecord,
}

/// Takes the lock (unless dry run), builds the services with `wire`, runs
/// the pipeline, saves the TMDb cache; the heading, progress and summary go
/// to `out`. Every run but a dry run is recorded in the run history
/// ([`crate::read_history`]), a run that could not run too.
///
/// # Errors
/// A lock held too long, a damaged state file, a client that cannot be
/// built.
pub async fn execute(
    job: RunJob<'_>,
    wire: impl FnOnce(&DataDir) -> Result<Wired, Error>,
    out: &dyn Output,
) -> Result<Ran, Error> {
    let started_at = OffsetDateTime::now_utc();
    let title = job.heading.title.clone();
    let data = job.data.clone();
    let dry_run = job.settings.dry_run;
    let result = run_job(job, wire, out, started_at).await;
    if !dry_run {
        match &result {
            Ok(ran) => history::append(&data, ran.record.clone()),
            Err(error) => history::append(&data, RunRecord::failed(&title, started_at, error)),
        }
    }
    result
}

async fn run_job(
    job: RunJob<'_>,
    wire: impl FnOnce(&DataDir) -> Result<Wired, Error>,
    out: &dyn Output,
    started_at: OffsetDateTime,
) -> Result<Ran, Error> {
    let RunJob {
        settings,
        request,
        data,
        lock_timeout,
        job,
        heading,
    } = job;
    // The steps the report will list: a movie run's, a show run's, or both
    // kinds' without a seed.
    let steps = request.steps(&settings);
    for line in heading_lines(&heading, &settings, Some(&steps)) {
        out.line(&line);
    }
    // A dry run writes nothing, so it needs no lock: state files are
    // replaced atomically, and it reads either the old or the new one.
    let _lock = if settings.dry_run {
        None
    } else {
        Some(lock(&data, lock_timeout, out).await?)
    };
    if !settings.dry_run {
        // Made once per installation, by the first run that may write.
        wiring::plex_client_identifier(&data, true)?;
    }
    let wired = wire(&data)?;
    let dry_run = settings.dry_run;
    let collections = settings.collections.clone();
    let tv_collections = settings.tv.as_ref().map(|tv| tv.collections.clone());
    let today = OffsetDateTime::now_utc().date();
    let mut ctx = RunContext::new(wired.services.clone(), settings, data, today);
    if !dry_run && let Some(checkpoint) = wired.checkpoint() {
        ctx.set_checkpoint(checkpoint);
    }
    if let Some(job) = job {
        ctx.set_job(job);
    }
    let report = curator_core::run(&mut ctx, &request, out).await?;
    if !dry_run {
        wired.save_cache().await;
    }
    let down = wired.down();
    for line in summary_lines(&report, &down) {
        out.line(&line);
    }
    // A service that went down failed the run, whatever the steps made of it.
    let done = if down.is_empty() {
        outcome(&report)
    } else {
        Done::StepsFailed
    };
    let outcome = match done {
        Done::Ok => RunOutcome::Ok,
        Done::StepsFailed => RunOutcome::Problems,
    };
    let record = RunRecord::from_report(
        &heading.title,
        started_at,
        &report,
        &down,
        outcome,
        &collections,
        tv_collections.as_ref(),
    );
    Ok(Ran {
        report,
        down,
        done,
        record,
    })
}

/// How a finished run ends: [`Done::StepsFailed`] when a step failed as a
/// whole, or finished but reported problems with some movies or
/// collections, so cron and Tautulli see that something went wrong.
pub fn outcome(report: &RunReport) -> Done {
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
pub(crate) async fn lock(
    data: &DataDir,
    timeout: Duration,
    out: &dyn Output,
) -> Result<DataLock, Error> {
    match data.lock(Duration::ZERO).await {
        Ok(lock) => Ok(lock),
        Err(StateError::LockTimeout { .. }) => {
            out.line(&format!(
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
pub fn service_flags(config: &Config) -> [(&'static str, bool); 4] {
    [
        ("Plex", config.plex.is_some()),
        ("Radarr", config.radarr.is_some()),
        ("TMDb", config.tmdb.is_some()),
        ("LLM", config.llm.is_some()),
    ]
}

/// The request for `steps` alone, without a watched movie, switching them
/// on in `settings` even if the config leaves them to the Tautulli run.
pub fn only(steps: &[StepKind], settings: &mut Settings) -> RunRequest {
    for step in steps {
        settings.steps.set(*step, true);
    }
    RunRequest {
        seed: None,
        only: Some(steps.to_vec()),
    }
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
