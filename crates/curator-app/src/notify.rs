//! Notifications: a run's record in words for every target that wants
//! it. Sending never fails a run: what could not be sent is logged (by
//! `curator_notify`) and counted in the returned [`Delivery`].

use curator_core::DataDir;
use curator_notify::{Delivery, Level, Message, MessageKind, Notifier};
use time::OffsetDateTime;

use crate::config::Config;
use crate::error::Error;
use crate::history::{RunOutcome, RunRecord};
use crate::jobs::{Output, Ran, RunJob, execute};
use crate::wiring::Wired;

/// The notifier for the config's targets; `None` when there are none (or
/// the HTTP client cannot start, which is logged).
pub fn notifier(config: &Config) -> Option<Notifier> {
    if config.notifications.is_empty() {
        return None;
    }
    match Notifier::new(config.notifications.clone()) {
        Ok(notifier) => Some(notifier),
        Err(error) => {
            tracing::warn!(%error, "cannot start the notifier; nothing is sent");
            None
        }
    }
}

/// What a run's notification says: the outcome in the title, then the
/// problems (per step, with their reasons), what was added to each
/// collection, what went to Radarr, what arrived.
pub fn run_message(record: &RunRecord) -> Message {
    let level = record.level();
    let title = match (record.outcome, level) {
        (RunOutcome::Failed, _) => format!("curator: {} could not run", record.title),
        (RunOutcome::Problems, _) => format!("curator: {} had problems", record.title),
        (_, Level::Changes) => format!("curator: {} changed your collections", record.title),
        _ => format!("curator: {} is done, nothing changed", record.title),
    };
    let mut summary = Vec::new();
    if !record.problems.is_empty() {
        summary.push(format!("{} problem(s)", record.problems.len()));
    }
    let added: u64 = record.added.values().sum();
    if added > 0 {
        summary.push(format!("{added} movie(s) added to collections"));
    }
    if !record.sent_to_radarr.is_empty() {
        summary.push(format!("{} sent to Radarr", record.sent_to_radarr.len()));
    }
    if !record.sent_to_sonarr.is_empty() {
        summary.push(format!("{} sent to Sonarr", record.sent_to_sonarr.len()));
    }
    if !record.requested_in_seerr.is_empty() {
        summary.push(format!(
            "{} requested in Seerr",
            record.requested_in_seerr.len()
        ));
    }
    if record.arrived > 0 {
        summary.push(format!(
            "{} pending movie(s) arrived in Plex",
            record.arrived
        ));
    }
    if record.deleted > 0 {
        summary.push(format!("{} duplicate copies deleted", record.deleted));
    }
    let seconds = (record.finished_at - record.started_at).whole_seconds();
    let mut message = Message::new(MessageKind::Run, level, title).summary(if summary.is_empty() {
        format!("ran in {seconds}s")
    } else {
        format!("{} (ran in {seconds}s)", summary.join(", "))
    });
    // One section per failing step, in the order they failed.
    let mut steps: Vec<&str> = Vec::new();
    for problem in &record.problems {
        if !steps.contains(&problem.step.as_str()) {
            steps.push(&problem.step);
        }
    }
    for step in steps {
        let reasons = record
            .problems
            .iter()
            .filter(|p| p.step == step)
            .map(|p| p.reason.clone());
        message = message.section(format!("✗ {step}"), reasons);
    }
    message = message
        .section(
            "Added to collections",
            record.added.iter().map(|(name, n)| format!("{name}: {n}")),
        )
        .section("Sent to Radarr", record.sent_to_radarr.iter().cloned())
        .section("Sent to Sonarr", record.sent_to_sonarr.iter().cloned())
        .section(
            "Requested in Seerr",
            record.requested_in_seerr.iter().cloned(),
        );
    message.data(serde_json::to_value(record).unwrap_or_default())
}

/// Sends the run's message to every target that wants it.
pub async fn notify_run(config: &Config, record: &RunRecord) -> Delivery {
    match notifier(config) {
        Some(notifier) => notifier.send(&run_message(record)).await,
        None => Delivery::default(),
    }
}

/// Sends a test message to every target, whatever its settings.
pub async fn notify_test(config: &Config) -> Delivery {
    let message = Message::new(MessageKind::Test, Level::Ok, "curator: test notification")
        .summary("If you read this, curator can reach you here.");
    match notifier(config) {
        Some(notifier) => notifier.send(&message).await,
        None => Delivery::default(),
    }
}

/// [`execute`], then the run's notification to every target that wants
/// it (a run that could not run too; a dry run tells nobody). Where it
/// went is said to `out` in one line; a target that could not be reached
/// changes nothing about the run's result.
pub async fn execute_notified(
    config: &Config,
    job: RunJob<'_>,
    wire: impl FnOnce(&DataDir) -> Result<Wired, Error>,
    out: &dyn Output,
) -> (Result<Ran, Error>, Delivery) {
    let title = job.heading.title.clone();
    let dry_run = job.settings.dry_run;
    let started_at = OffsetDateTime::now_utc();
    let result = execute(job, wire, out).await;
    if dry_run {
        return (result, Delivery::default());
    }
    let record = match &result {
        Ok(ran) => ran.record.clone(),
        Err(error) => RunRecord::failed(&title, started_at, error),
    };
    let delivery = notify_run(config, &record).await;
    if let Some(line) = delivery_line(&delivery) {
        out.line(&line);
    }
    (result, delivery)
}

/// `  notified: discord, mail · not reached: phone (ntfy.send: ...)`.
fn delivery_line(delivery: &Delivery) -> Option<String> {
    if delivery.results.is_empty() {
        return None;
    }
    let sent: Vec<&str> = delivery
        .results
        .iter()
        .filter(|(_, r)| r.is_ok())
        .map(|(name, _)| name.as_str())
        .collect();
    let failed: Vec<String> = delivery
        .results
        .iter()
        .filter_map(|(name, r)| r.as_ref().err().map(|e| format!("{name} ({e})")))
        .collect();
    let mut parts = Vec::new();
    if !sent.is_empty() {
        parts.push(format!("notified: {}", sent.join(", ")));
    }
    if !failed.is_empty() {
        parts.push(format!("not reached: {}", failed.join(", ")));
    }
    Some(format!("  {}", parts.join(" · ")))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use time::OffsetDateTime;

    use super::*;
    use crate::history::Problem;

    fn record(outcome: RunOutcome) -> RunRecord {
        let at = OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap();
        RunRecord {
            started_at: at,
            finished_at: at + time::Duration::seconds(12),
            title: "Heat (1995)".into(),
            outcome,
            problems: Vec::new(),
            added: BTreeMap::new(),
            removed: 0,
            sent_to_radarr: Vec::new(),
            sent_to_sonarr: Vec::new(),
            requested_in_seerr: Vec::new(),
            arrived: 0,
            deleted: 0,
        }
    }

    #[test]
    fn a_failed_run_names_each_failing_step_with_its_reasons() {
        let mut failed = record(RunOutcome::Problems);
        failed.problems = vec![
            Problem {
                step: "Radarr monitor confirm".into(),
                reason: "radarr: 401".into(),
            },
            Problem {
                step: "Plex".into(),
                reason: "timed out".into(),
            },
            Problem {
                step: "Radarr monitor confirm".into(),
                reason: "again".into(),
            },
        ];
        let message = run_message(&failed);
        assert_eq!(message.level, Level::Problem);
        assert_eq!(message.title, "curator: Heat (1995) had problems");
        assert_eq!(message.summary, "3 problem(s) (ran in 12s)");
        assert_eq!(message.sections[0].name, "✗ Radarr monitor confirm");
        assert_eq!(message.sections[0].lines, ["radarr: 401", "again"]);
        assert_eq!(message.sections[1].name, "✗ Plex");
        assert_eq!(message.data["outcome"], "problems");
    }

    #[test]
    fn a_run_that_changed_collections_says_what_changed() {
        let mut changed = record(RunOutcome::Ok);
        changed
            .added
            .insert("Inspired by your Immaculate Taste".into(), 4);
        changed.sent_to_radarr = vec!["Thief (1981)".into()];
        let message = run_message(&changed);
        assert_eq!(message.level, Level::Changes);
        assert_eq!(
            message.summary,
            "4 movie(s) added to collections, 1 sent to Radarr (ran in 12s)"
        );
        assert_eq!(
            message.sections[0].lines,
            ["Inspired by your Immaculate Taste: 4"]
        );
        assert_eq!(message.sections[1].lines, ["Thief (1981)"]);
        assert_eq!(run_message(&record(RunOutcome::Ok)).level, Level::Ok);
    }
}

#[cfg(test)]
mod sending {
    use std::collections::HashMap;

    use curator_notify::fake::FakeSmtp;

    use super::*;
    use crate::history::Problem;

    /// The previous tool's `alerts.email` block (with `tls: none`, as for
    /// a relay on the same machine, so the fake server needs no TLS) sends
    /// a failed run's e-mail with its subject prefix, step and reason.
    #[tokio::test]
    async fn the_old_alerts_email_config_sends_a_failed_runs_email() {
        let smtp = FakeSmtp::start().await;
        let text = format!(
            "alerts:\n  email:\n    enabled: true\n    smtp_host: 127.0.0.1\n    smtp_port: {}\n    username: me@gmail.com\n    app_password: app-pw\n    to_emails: [me@gmail.com]\n    tls: none\n",
            smtp.port()
        );
        let config = crate::config::parse(&text, &HashMap::<&str, &str>::new()).unwrap();
        let at = OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap();
        let record = RunRecord {
            started_at: at,
            finished_at: at,
            title: "Heat (1995)".into(),
            outcome: RunOutcome::Problems,
            problems: vec![Problem {
                step: "Radarr monitor confirm".into(),
                reason: "radarr.movies: 401 Unauthorized".into(),
            }],
            added: std::collections::BTreeMap::new(),
            removed: 0,
            sent_to_radarr: Vec::new(),
            sent_to_sonarr: Vec::new(),
            requested_in_seerr: Vec::new(),
            arrived: 0,
            deleted: 0,
        };
        let delivery = notify_run(&config, &record).await;
        assert_eq!((delivery.sent(), delivery.failed()), (1, 0), "{delivery:?}");
        let mail = &smtp.received()[0];
        assert_eq!(mail.to, ["me@gmail.com"]);
        assert!(
            mail.data
                .contains("Subject: [Tautulli Curated] curator: Heat (1995) had problems"),
            "{}",
            mail.data
        );
        assert!(
            mail.data.contains("Radarr monitor confirm"),
            "{}",
            mail.data
        );
        assert!(mail.data.contains("401 Unauthorized"), "{}", mail.data);
        // A run without problems does not write to a failure-only target.
        let quiet = RunRecord {
            outcome: RunOutcome::Ok,
            problems: Vec::new(),
            ..record
        };
        assert!(notify_run(&config, &quiet).await.results.is_empty());
        assert_eq!(smtp.received().len(), 1);
    }
}
