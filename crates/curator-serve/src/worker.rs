//! Runs queued jobs one at a time, through the same path as the CLI:
//! [`curator_app::execute`] with the run request `curator run`,
//! `refresh`, `confirm-monitored` or `dedupe` builds, under the same
//! data-directory lock.

use std::any::Any;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use curator_core::{ApprovalId, DataDir, RunRequest, Selection, StateError, StepKind, StepStatus};
use curator_http::RequestStats;
use futures_util::FutureExt as _;
use time::OffsetDateTime;
use tokio::sync::watch;

use curator_app::{
    Config, Done, Heading, Output, RunJob, execute_notified, service_flags, services_counted,
    step_lines,
};

use crate::metrics::Metrics;
use crate::queue::{Finished, Job, JobOutcome, JobSpec, Queue};

/// What every job needs.
pub(crate) struct Worker {
    pub(crate) config: Arc<Config>,
    pub(crate) data: DataDir,
    pub(crate) queue: Arc<Queue>,
    pub(crate) metrics: Arc<Metrics>,
    pub(crate) out: Arc<dyn Output>,
    /// Every job's clients count their requests here.
    pub(crate) requests: RequestStats,
}

impl Worker {
    /// Runs jobs until `stop` turns true; a job that has started is
    /// finished first.
    pub(crate) async fn run_until(&self, mut stop: watch::Receiver<bool>) {
        loop {
            if *stop.borrow() {
                return;
            }
            let job = tokio::select! {
                job = self.queue.next() => job,
                _ = stop.changed() => return,
            };
            self.metrics.job_started();
            // A job that panics (a bug) must not take the service down: it
            // counts as a failed attempt, and runs again until
            // serve.max_attempts, then is parked as failed.
            let finished = match AssertUnwindSafe(self.run(job.clone())).catch_unwind().await {
                Ok(finished) => finished,
                Err(panic) => match self.panicked(job, panic.as_ref()) {
                    Some(parked) => parked,
                    None => continue,
                },
            };
            self.metrics.job_finished(&finished);
            if let Err(error) = self.queue.finish(finished) {
                tracing::error!(%error, "could not record a finished job; it will run again on the next start");
            }
        }
    }

    /// A job that panicked: queued again at the front while it has
    /// attempts left (`None`), else its record, failed with the reason
    /// "panicked: <message>".
    fn panicked(&self, job: Job, panic: &(dyn Any + Send)) -> Option<Finished> {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".to_owned());
        self.queue.set_waiting(false);
        let allowed = self.queue.attempts_allowed();
        tracing::error!(job = %job.id, what = %job.spec.label(), attempt = job.attempts, allowed, %message, "job panicked");
        if job.attempts < allowed {
            self.queue.retry(job);
            return None;
        }
        let now = OffsetDateTime::now_utc();
        Some(Finished {
            error: Some(format!(
                "panicked: {message} (attempt {} of serve.max_attempts {allowed}; parked as failed, it will not run again)",
                job.attempts
            )),
            job,
            started_at: now,
            finished_at: now,
            outcome: JobOutcome::Failed,
            dry_run: false,
            lines: Vec::new(),
            dedupe: None,
            report: None,
        })
    }

    /// Runs one job; whatever happens becomes its record.
    pub(crate) async fn run(&self, job: Job) -> Finished {
        #[cfg(debug_assertions)]
        panic_for_tests(&job.spec);
        let started_at = OffsetDateTime::now_utc();
        tracing::info!(job = %job.id, what = %job.spec.label(), attempt = job.attempts, "job starts");
        let config = &self.config;
        let mut settings = config.settings.clone();
        let mut detail = Vec::new();
        if job.attempts > 1 {
            detail.push(format!(
                "attempt {}: the server stopped before this job finished",
                job.attempts
            ));
        }
        detail.push(format!("from {}", job.sources.join("; ")));
        if let JobSpec::Approve { ids } = &job.spec {
            return self.approve(&job, ids, settings, started_at).await;
        }
        let (request, title) = match &job.spec {
            JobSpec::Watched { .. } => {
                let seed = job.spec.seed();
                let title = seed
                    .as_ref()
                    .map_or_else(String::new, curator_core::Seed::label);
                (RunRequest { seed, only: None }, title)
            }
            JobSpec::Job { job: kind } => {
                let mut steps = kind.switched_on(&settings.steps, None);
                if steps.is_empty() {
                    // It deletes files: while the config leaves both
                    // cleaners off, a scheduled or requested dedupe only plans.
                    settings.dry_run = true;
                    steps = kind.steps().to_vec();
                    detail.push(
                        "dry run: the duplicate cleaners are off in the config, so this only plans"
                            .into(),
                    );
                }
                let request = curator_app::only(&steps, &mut settings);
                (request, kind.title().to_owned())
            }
            JobSpec::Arrived { media, .. } => {
                // The refresher of its kind promotes every pending movie
                // (or show) Plex has, then writes the collection: no LLM,
                // no full run.
                let step = StepKind::ImmaculateTasteRefresher
                    .for_kind(*media)
                    .unwrap_or(StepKind::ImmaculateTasteRefresher);
                let request = curator_app::only(&[step], &mut settings);
                (request, job.spec.label())
            }
            JobSpec::Plan { job: kind } => {
                settings.dry_run = true;
                detail.push("dry run: a plan, nothing is changed".into());
                let request = curator_app::only(kind.steps(), &mut settings);
                (request, format!("plan: {}", kind.title()))
            }
            JobSpec::Approve { .. } => unreachable!("handled above"),
        };
        let dry_run = settings.dry_run;
        if !dry_run {
            self.announce_wait().await;
        }
        let flags = service_flags(config);
        let run = RunJob {
            settings,
            request,
            data: self.data.clone(),
            lock_timeout: config.timeouts.detached_lock,
            job: Some(job.id.clone()),
            heading: Heading {
                title,
                detail,
                services: &flags,
            },
        };
        let (result, delivery) = execute_notified(
            config,
            run,
            |data| services_counted(config, data, Some(&self.requests)),
            self.out.as_ref(),
        )
        .await;
        self.metrics.notifications(&delivery);
        self.queue.set_waiting(false);
        let finished_at = OffsetDateTime::now_utc();
        let record = |outcome, error, lines, dedupe, report| Finished {
            job: job.clone(),
            started_at,
            finished_at,
            outcome,
            dry_run,
            error,
            lines,
            dedupe,
            report,
        };
        match result {
            Ok(ran) => {
                let (report, done) = (ran.report, ran.done);
                let mut lines: Vec<String> = report
                    .steps
                    .iter()
                    .flat_map(|s| step_lines(s, true))
                    .collect();
                lines.push(report.summary());
                lines.extend(report.notes.iter().map(|n| format!("• {n}")));
                let json = serde_json::to_value(&report).ok();
                // The cleaners' last plans, movies and episodes, for the page.
                let dedupe: Vec<String> =
                    [StepKind::DuplicateCleaner, StepKind::TvDuplicateCleaner]
                        .into_iter()
                        .filter_map(|step| report.step(step))
                        .filter(|s| !matches!(s.status, StepStatus::Skipped(_)))
                        .flat_map(|s| step_lines(s, true))
                        .collect();
                let dedupe = (!dedupe.is_empty()).then_some(dedupe);
                let outcome = match done {
                    Done::Ok => JobOutcome::Ok,
                    Done::StepsFailed => JobOutcome::Problems,
                };
                tracing::info!(job = %job.id, outcome = outcome.name(), "job finished");
                record(outcome, None, lines, dedupe, json)
            }
            Err(failure) => {
                let error = failure.to_string();
                tracing::warn!(job = %job.id, %error, "job could not run");
                record(JobOutcome::Failed, Some(error), Vec::new(), None, None)
            }
        }
    }

    /// Sends the titles `ids` name (every waiting one when empty) as a run
    /// would; the titles and their outcomes become the job's lines.
    async fn approve(
        &self,
        job: &Job,
        ids: &[String],
        settings: curator_core::Settings,
        started_at: OffsetDateTime,
    ) -> Finished {
        let selection = if ids.is_empty() {
            Ok(Selection::All)
        } else {
            ids.iter()
                .map(|id| id.parse::<ApprovalId>())
                .collect::<Result<Vec<_>, _>>()
                .map(Selection::Ids)
        };
        let dry_run = settings.dry_run;
        let result = match selection {
            Err(bad) => Err(bad.to_string()),
            Ok(selection) => {
                self.announce_wait().await;
                let config = &self.config;
                curator_app::approve(
                    settings,
                    self.data.clone(),
                    config.timeouts.detached_lock,
                    &selection,
                    |data| services_counted(config, data, Some(&self.requests)),
                    self.out.as_ref(),
                )
                .await
                .map_err(|e| e.to_string())
            }
        };
        self.queue.set_waiting(false);
        let (outcome, error, lines, report) = match result {
            Ok(report) => {
                let failed = !report.failures.is_empty()
                    || !report.unknown.is_empty()
                    || report
                        .titles
                        .iter()
                        .any(|t| matches!(t.outcome, curator_core::Outcome::Failed(_)));
                let outcome = if failed {
                    JobOutcome::Problems
                } else {
                    JobOutcome::Ok
                };
                let json = serde_json::to_value(&report).ok();
                (outcome, None, curator_app::approval_lines(&report), json)
            }
            Err(error) => {
                tracing::warn!(job = %job.id, %error, "approval could not run");
                (JobOutcome::Failed, Some(error), Vec::new(), None)
            }
        };
        tracing::info!(job = %job.id, outcome = outcome.name(), "job finished");
        Finished {
            job: job.clone(),
            started_at,
            finished_at: OffsetDateTime::now_utc(),
            outcome,
            dry_run,
            error,
            lines,
            dedupe: None,
            report,
        }
    }

    /// Shows the job as waiting while another curator run holds the data
    /// directory (the run itself then waits for the lock as a CLI run does).
    async fn announce_wait(&self) {
        // When free, the guard is dropped at once; other errors are
        // `execute`'s to report.
        if let Err(StateError::LockTimeout { .. }) = self.data.lock(Duration::ZERO).await {
            self.queue.set_waiting(true);
        }
    }
}

/// A test-only hook, in debug builds only: a watched-movie job for the
/// title in `$CURATOR_SERVE_TEST_PANIC` panics, as a bug in a step would
/// (the service's tests run the debug binary; release builds have no hook).
#[cfg(debug_assertions)]
fn panic_for_tests(spec: &JobSpec) {
    if let JobSpec::Watched { title, .. } = spec
        && std::env::var("CURATOR_SERVE_TEST_PANIC").is_ok_and(|t| t == *title)
    {
        panic!("the test hook made the job for {title} panic");
    }
}
