//! Counters for `/metrics`, in Prometheus' text exposition format
//! (prometheus.io/docs/instrumenting/exposition_formats): `# HELP` and
//! `# TYPE` lines, then `name{label="value"} number`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Mutex, PoisonError};

use curator_http::RequestStats;

use crate::queue::{Finished, JobOutcome};

/// What the server counts.
#[derive(Debug, Default)]
pub(crate) struct Metrics {
    inner: Mutex<Inner>,
    /// Requests curator sent, per operation (`plex.add_items`), shared by
    /// every job's clients.
    pub(crate) requests: RequestStats,
}

#[derive(Debug, Default)]
struct Inner {
    jobs: BTreeMap<&'static str, u64>,
    events: BTreeMap<(&'static str, &'static str), u64>,
    last_finished: Option<i64>,
    last_ok: Option<i64>,
    running_since: Option<i64>,
    notifications: BTreeMap<&'static str, u64>,
}

impl Metrics {
    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn job_started(&self) {
        self.inner().running_since = Some(time::OffsetDateTime::now_utc().unix_timestamp());
    }

    pub(crate) fn job_finished(&self, finished: &Finished) {
        let mut inner = self.inner();
        *inner.jobs.entry(finished.outcome.name()).or_default() += 1;
        let at = finished.finished_at.unix_timestamp();
        inner.last_finished = Some(at);
        if finished.outcome == JobOutcome::Ok {
            inner.last_ok = Some(at);
        }
        inner.running_since = None;
    }

    /// Notifications sent and not sent (after their one retry).
    pub(crate) fn notifications(&self, delivery: &curator_notify::Delivery) {
        let mut inner = self.inner();
        *inner.notifications.entry("sent").or_default() += delivery.sent() as u64;
        *inner.notifications.entry("failed").or_default() += delivery.failed() as u64;
    }

    /// An event received on `source` (`plex`, `tautulli`, `api`) and what
    /// became of it (`queued`, `coalesced`, `ignored`, `rejected`,
    /// `unauthorized`).
    pub(crate) fn event(&self, source: &'static str, result: &'static str) {
        *self.inner().events.entry((source, result)).or_default() += 1;
    }

    /// The exposition text.
    pub(crate) fn render(&self, queue_depth: usize) -> String {
        let inner = self.inner();
        let mut out = String::new();
        family(
            &mut out,
            "curator_jobs_total",
            "counter",
            "Jobs finished since the server started, by outcome.",
        );
        for outcome in JobOutcome::ALL {
            let n = inner.jobs.get(outcome.name()).copied().unwrap_or(0);
            let _ = writeln!(
                out,
                "curator_jobs_total{{outcome=\"{}\"}} {n}",
                outcome.name()
            );
        }
        family(
            &mut out,
            "curator_queue_depth",
            "gauge",
            "Jobs waiting or running.",
        );
        let _ = writeln!(out, "curator_queue_depth {queue_depth}");
        family(
            &mut out,
            "curator_events_total",
            "counter",
            "Webhook and API events received, by source and result.",
        );
        for ((source, result), n) in &inner.events {
            let _ = writeln!(
                out,
                "curator_events_total{{source=\"{source}\",result=\"{result}\"}} {n}"
            );
        }
        family(
            &mut out,
            "curator_service_requests_total",
            "counter",
            "Requests curator sent to each service (every attempt, retries included).",
        );
        let mut per_service: BTreeMap<String, u64> = ["llm", "plex", "radarr", "sonarr", "tmdb"]
            .into_iter()
            .map(|s| (s.to_owned(), 0))
            .collect();
        for (op, n) in self.requests.snapshot() {
            let service = op.split('.').next().unwrap_or(&op).to_owned();
            *per_service.entry(service).or_default() += n;
        }
        for (service, n) in per_service {
            let _ = writeln!(
                out,
                "curator_service_requests_total{{service=\"{service}\"}} {n}"
            );
        }
        family(
            &mut out,
            "curator_notifications_total",
            "counter",
            "Notifications sent to their targets, by result (failed: not sent after one retry).",
        );
        for result in ["sent", "failed"] {
            let n = inner.notifications.get(result).copied().unwrap_or(0);
            let _ = writeln!(
                out,
                "curator_notifications_total{{result=\"{result}\"}} {n}"
            );
        }
        family(
            &mut out,
            "curator_last_job_finished_timestamp_seconds",
            "gauge",
            "When the last job finished (Unix time; 0: none yet).",
        );
        let _ = writeln!(
            out,
            "curator_last_job_finished_timestamp_seconds {}",
            inner.last_finished.unwrap_or(0)
        );
        family(
            &mut out,
            "curator_last_job_ok_timestamp_seconds",
            "gauge",
            "When the last job without problems finished (Unix time; 0: none yet).",
        );
        let _ = writeln!(
            out,
            "curator_last_job_ok_timestamp_seconds {}",
            inner.last_ok.unwrap_or(0)
        );
        family(
            &mut out,
            "curator_job_running_since_timestamp_seconds",
            "gauge",
            "When the running job started (Unix time; 0: none running).",
        );
        let _ = writeln!(
            out,
            "curator_job_running_since_timestamp_seconds {}",
            inner.running_since.unwrap_or(0)
        );
        out
    }
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notifications_are_counted_by_result() {
        let metrics = Metrics::default();
        let delivery = curator_notify::Delivery {
            results: vec![
                ("mail".into(), Ok(())),
                (
                    "discord".into(),
                    Err(curator_notify::Error::Build {
                        op: "discord.send",
                        message: "refused".into(),
                    }),
                ),
            ],
        };
        metrics.notifications(&delivery);
        metrics.notifications(&delivery);
        let text = metrics.render(0);
        assert!(
            text.contains("curator_notifications_total{result=\"sent\"} 2\n"),
            "{text}"
        );
        assert!(
            text.contains("curator_notifications_total{result=\"failed\"} 2\n"),
            "{text}"
        );
        assert!(
            text.contains("# TYPE curator_notifications_total counter"),
            "{text}"
        );
    }
}
