//! Cron schedules for the jobs without a movie, in the server's local time
//! (`TZ` in a container).

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Local};

use curator_app::JobKind;
use curator_app::Schedule;

use crate::queue::{JobSpec, Queue};

/// One schedule and when it fires next.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) job: JobKind,
    pub(crate) pattern: String,
    pub(crate) cron: croner::Cron,
    pub(crate) next: Option<DateTime<Local>>,
    pub(crate) last: Option<DateTime<Local>>,
}

/// Every schedule, shown on the page.
#[derive(Debug, Default)]
pub(crate) struct Board {
    entries: Mutex<Vec<Entry>>,
}

fn next_after(cron: &croner::Cron, after: &DateTime<Local>) -> Option<DateTime<Local>> {
    cron.find_next_occurrence(after, false).ok()
}

impl Board {
    pub(crate) fn new(schedules: &[Schedule]) -> Self {
        let now = Local::now();
        Self {
            entries: Mutex::new(
                schedules
                    .iter()
                    .map(|s| Entry {
                        job: s.job,
                        pattern: s.cron.pattern.to_string(),
                        next: next_after(&s.cron, &now),
                        cron: s.cron.clone(),
                        last: None,
                    })
                    .collect(),
            ),
        }
    }

    /// A copy of every schedule.
    pub(crate) fn entries(&self) -> Vec<Entry> {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The jobs due at `now`, each moved on to its next time.
    fn due(&self, now: &DateTime<Local>) -> Vec<JobKind> {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let mut due = Vec::new();
        for entry in entries.iter_mut() {
            if entry.next.is_some_and(|next| next <= *now) {
                due.push(entry.job);
                entry.last = Some(*now);
                entry.next = next_after(&entry.cron, now);
            }
        }
        due
    }

    /// How long until the next schedule fires.
    fn wait(&self, now: &DateTime<Local>) -> Option<Duration> {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .filter_map(|e| e.next)
            .min()
            .map(|next| (next - *now).to_std().unwrap_or(Duration::ZERO))
    }
}

/// Queues each job when its schedule fires, until the task is aborted.
pub(crate) async fn run(board: Arc<Board>, queue: Arc<Queue>) {
    loop {
        let now = Local::now();
        for job in board.due(&now) {
            match queue.push(JobSpec::Job { job }, "schedule".into()) {
                Ok(accepted) => {
                    tracing::info!(job = %accepted.id, what = job.name(), "scheduled job queued");
                }
                Err(error) => {
                    tracing::error!(%error, what = job.name(), "could not queue a scheduled job");
                }
            }
        }
        let Some(wait) = board.wait(&Local::now()) else {
            return;
        };
        // Woken at least once a minute, so a changed clock (or a suspended
        // machine) is noticed.
        tokio::time::sleep(wait.min(Duration::from_secs(60))).await;
    }
}

/// Sends the periodic report (the last [`curator_app::DEFAULT_PERIOD`] of
/// the run history, with the services' health) to the notification
/// targets each time `cron` fires, until the task is aborted. What could
/// not be sent is counted in `/metrics`.
pub(crate) async fn run_report(
    cron: croner::Cron,
    config: Arc<curator_app::Config>,
    data: curator_core::DataDir,
    metrics: Arc<crate::metrics::Metrics>,
) {
    loop {
        let Some(next) = next_after(&cron, &Local::now()) else {
            return;
        };
        // Woken at least once a minute, as above.
        loop {
            let now = Local::now();
            if now >= next {
                break;
            }
            let wait = (next - now).to_std().unwrap_or(Duration::ZERO);
            tokio::time::sleep(wait.min(Duration::from_secs(60))).await;
        }
        let report =
            curator_app::period_report(&config, &data, curator_app::DEFAULT_PERIOD, true).await;
        let delivery = curator_app::send_report(&config, &report).await;
        metrics.notifications(&delivery);
        tracing::info!(
            runs = report.total(),
            sent = delivery.sent(),
            failed = delivery.failed(),
            "periodic report"
        );
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use chrono::TimeZone;

    use super::*;

    #[test]
    fn a_schedule_fires_once_at_its_time_and_moves_to_the_next() {
        let cron = croner::Cron::from_str("30 3 * * *").unwrap();
        let board = Board::new(&[Schedule {
            job: JobKind::Refresh,
            cron,
        }]);
        let at = Local
            .with_ymd_and_hms(2030, 5, 1, 3, 30, 0)
            .single()
            .unwrap();
        {
            let mut entries = board.entries.lock().unwrap();
            entries[0].next = Some(at);
        }
        let before = at - chrono::Duration::seconds(1);
        assert!(board.due(&before).is_empty());
        assert_eq!(board.wait(&before), Some(Duration::from_secs(1)));
        assert_eq!(board.due(&at), [JobKind::Refresh]);
        assert!(board.due(&at).is_empty());
        let next = board.entries()[0].next.unwrap();
        assert_eq!(next - at, chrono::Duration::hours(24));
    }
}
