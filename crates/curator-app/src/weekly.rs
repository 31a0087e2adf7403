//! The periodic report: the run history of a period summed up (runs by
//! outcome, movies added to each collection and sent to Radarr, pending
//! movies that arrived, errors grouped by cause) with the services'
//! health now, as lines for the terminal, HTML for e-mail, and a message
//! for the notification targets that take the report.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use curator_notify::{Delivery, Level, Message, MessageKind};
use serde::Serialize;
use time::OffsetDateTime;

use crate::check::{Finding, Status};
use crate::error::Error;
use crate::history::{RunOutcome, RunRecord};
use crate::text::html_escape;

/// The default period: a week.
pub const DEFAULT_PERIOD: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// A period as `--since` takes it: `7d`, `36h`, `2w`, or a number of days.
///
/// # Errors
/// [`Error::Usage`] for anything else.
pub fn parse_period(text: &str) -> Result<Duration, Error> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => text.split_at(at),
        None => (text, "d"),
    };
    let hours = match unit.trim() {
        "h" => 1,
        "d" => 24,
        "w" => 7 * 24,
        _ => 0,
    };
    match number.parse::<u64>() {
        Ok(n) if n > 0 && hours > 0 => Ok(Duration::from_secs(n * hours * 3600)),
        _ => Err(Error::Usage(format!(
            "{text:?} is not a period; use a number with h, d or w, like 7d or 36h"
        ))),
    }
}

/// One cause of errors in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cause {
    /// The reason, as reported.
    pub reason: String,
    /// How many times it was reported.
    pub count: usize,
    /// Where (steps or services), in the order first seen.
    pub steps: Vec<String>,
}

/// One service's health, as `curator check` found it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Health {
    /// The service.
    pub service: String,
    /// `ok`, `warn` or `fail`.
    pub status: &'static str,
    /// What was found.
    pub detail: String,
}

/// The period's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodReport {
    /// From.
    #[serde(with = "time::serde::rfc3339")]
    pub since: OffsetDateTime,
    /// To.
    #[serde(with = "time::serde::rfc3339")]
    pub until: OffsetDateTime,
    /// Runs by outcome (`ok`, `problems`, `failed`).
    pub runs: BTreeMap<&'static str, usize>,
    /// Movies added, per collection.
    pub added: BTreeMap<String, u64>,
    /// Movies taken out of collections.
    pub removed: u64,
    /// Movies sent to Radarr.
    pub sent_to_radarr: Vec<String>,
    /// Shows sent to Sonarr.
    pub sent_to_sonarr: Vec<String>,
    /// Movies and shows requested in Seerr.
    pub requested_in_seerr: Vec<String>,
    /// Pending movies that arrived in Plex.
    pub arrived: u64,
    /// Duplicate copies deleted.
    pub deleted: u64,
    /// Errors grouped by cause, the most frequent first.
    pub errors: Vec<Cause>,
    /// The services now.
    pub health: Vec<Health>,
}

impl PeriodReport {
    /// Sums up `runs` (those that finished in `since..=until` count).
    pub fn new(runs: &[RunRecord], since: OffsetDateTime, until: OffsetDateTime) -> Self {
        let mut report = Self {
            since,
            until,
            runs: [RunOutcome::Ok, RunOutcome::Problems, RunOutcome::Failed]
                .into_iter()
                .map(|o| (o.name(), 0))
                .collect(),
            added: BTreeMap::new(),
            removed: 0,
            sent_to_radarr: Vec::new(),
            sent_to_sonarr: Vec::new(),
            requested_in_seerr: Vec::new(),
            arrived: 0,
            deleted: 0,
            errors: Vec::new(),
            health: Vec::new(),
        };
        for run in runs
            .iter()
            .filter(|r| r.finished_at >= since && r.finished_at <= until)
        {
            *report.runs.entry(run.outcome.name()).or_default() += 1;
            for (collection, n) in &run.added {
                *report.added.entry(collection.clone()).or_default() += n;
            }
            report.removed += run.removed;
            report
                .sent_to_radarr
                .extend(run.sent_to_radarr.iter().cloned());
            report
                .sent_to_sonarr
                .extend(run.sent_to_sonarr.iter().cloned());
            report
                .requested_in_seerr
                .extend(run.requested_in_seerr.iter().cloned());
            report.arrived += run.arrived;
            report.deleted += run.deleted;
            for problem in &run.problems {
                match report
                    .errors
                    .iter_mut()
                    .find(|c| c.reason == problem.reason)
                {
                    Some(cause) => {
                        cause.count += 1;
                        if !cause.steps.contains(&problem.step) {
                            cause.steps.push(problem.step.clone());
                        }
                    }
                    None => report.errors.push(Cause {
                        reason: problem.reason.clone(),
                        count: 1,
                        steps: vec![problem.step.clone()],
                    }),
                }
            }
        }
        // Stable: equal counts keep the order first seen.
        report.errors.sort_by_key(|c| std::cmp::Reverse(c.count));
        report
    }

    /// Adds the services' health now.
    #[must_use]
    pub fn with_health(mut self, findings: &[Finding]) -> Self {
        self.health = findings
            .iter()
            .map(|f| Health {
                service: f.service.to_owned(),
                status: f.status.name(),
                detail: f.detail.clone(),
            })
            .collect();
        self
    }

    /// How many runs in all.
    pub fn total(&self) -> usize {
        self.runs.values().sum()
    }

    /// Problem when a run had problems or a service fails now; changes
    /// when something changed; else ok.
    pub fn level(&self) -> Level {
        let troubled = self.runs.get("problems").copied().unwrap_or(0)
            + self.runs.get("failed").copied().unwrap_or(0);
        if troubled > 0 || self.health.iter().any(|h| h.status == Status::Fail.name()) {
            Level::Problem
        } else if !self.added.is_empty()
            || self.removed > 0
            || !self.sent_to_radarr.is_empty()
            || !self.sent_to_sonarr.is_empty()
            || !self.requested_in_seerr.is_empty()
            || self.deleted > 0
        {
            Level::Changes
        } else {
            Level::Ok
        }
    }

    fn period(&self) -> String {
        let date = |t: OffsetDateTime| t.date().to_string();
        format!("{} to {}", date(self.since), date(self.until))
    }

    fn runs_line(&self) -> String {
        let n = |k: &str| self.runs.get(k).copied().unwrap_or(0);
        format!(
            "{} run(s): {} ok, {} with problems, {} could not run",
            self.total(),
            n("ok"),
            n("problems"),
            n("failed")
        )
    }

    /// The sections, each a heading and its lines (shared by the text,
    /// the HTML and the message).
    fn sections(&self) -> Vec<(String, Vec<String>)> {
        let mut sections = Vec::new();
        sections.push(("Runs".to_owned(), vec![self.runs_line()]));
        let mut changes: Vec<String> = self
            .added
            .iter()
            .map(|(name, n)| format!("{n} added to {name}"))
            .collect();
        if self.removed > 0 {
            changes.push(format!("{} taken out of collections", self.removed));
        }
        if self.arrived > 0 {
            changes.push(format!("{} pending movie(s) arrived in Plex", self.arrived));
        }
        if self.deleted > 0 {
            changes.push(format!("{} duplicate copies deleted", self.deleted));
        }
        if changes.is_empty() {
            changes.push("no collection changed".to_owned());
        }
        sections.push(("Collections".to_owned(), changes));
        if !self.sent_to_radarr.is_empty() {
            sections.push((
                format!("Sent to Radarr ({})", self.sent_to_radarr.len()),
                self.sent_to_radarr.clone(),
            ));
        }
        if !self.sent_to_sonarr.is_empty() {
            sections.push((
                format!("Sent to Sonarr ({})", self.sent_to_sonarr.len()),
                self.sent_to_sonarr.clone(),
            ));
        }
        if !self.requested_in_seerr.is_empty() {
            sections.push((
                format!("Requested in Seerr ({})", self.requested_in_seerr.len()),
                self.requested_in_seerr.clone(),
            ));
        }
        if !self.errors.is_empty() {
            sections.push((
                "Errors by cause".to_owned(),
                self.errors
                    .iter()
                    .map(|c| format!("{}× {} ({})", c.count, c.reason, c.steps.join(", ")))
                    .collect(),
            ));
        }
        if !self.health.is_empty() {
            sections.push((
                "Service health now".to_owned(),
                self.health
                    .iter()
                    .map(|h| format!("{} {}: {}", h.service, h.status, h.detail))
                    .collect(),
            ));
        }
        sections
    }

    fn title(&self) -> String {
        let troubled = self.total() - self.runs.get("ok").copied().unwrap_or(0);
        if troubled > 0 {
            format!(
                "curator report: {} run(s), {troubled} with problems",
                self.total()
            )
        } else {
            format!("curator report: {} run(s), all ok", self.total())
        }
    }

    /// The report as lines for the terminal.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![format!("{} · {}", self.title(), self.period())];
        for (name, items) in self.sections() {
            lines.push(String::new());
            lines.push(format!("{name}:"));
            lines.extend(items.into_iter().map(|i| format!("  {i}")));
        }
        lines
    }

    /// The report as an HTML document for e-mail.
    pub fn html(&self) -> String {
        let mut out =
            String::from("<!DOCTYPE html>\n<html><body style=\"font-family: sans-serif\">\n");
        let _ = writeln!(
            out,
            "<h2>{}</h2>\n<p>{}</p>",
            html_escape(&self.title()),
            html_escape(&self.period())
        );
        for (name, items) in self.sections() {
            let _ = writeln!(out, "<h3>{}</h3>\n<ul>", html_escape(&name));
            for item in items {
                let _ = writeln!(out, "<li>{}</li>", html_escape(&item));
            }
            out.push_str("</ul>\n");
        }
        out.push_str("</body></html>\n");
        out
    }

    /// The report as a message for the targets that take it.
    pub fn message(&self) -> Message {
        let mut message = Message::new(MessageKind::Report, self.level(), self.title())
            .summary(format!("{} · {}", self.period(), self.runs_line()));
        for (name, items) in self.sections().into_iter().skip(1) {
            message = message.section(name, items);
        }
        message
            .html(self.html())
            .data(serde_json::to_value(self).unwrap_or_default())
    }
}

/// The report of the `period` up to now from the data directory's run
/// history, with the services' health now (Plex, Radarr, TMDb; not the
/// LLM, whose check costs a request) when `health`.
pub async fn period_report(
    config: &crate::Config,
    data: &curator_core::DataDir,
    period: Duration,
    health: bool,
) -> PeriodReport {
    let until = OffsetDateTime::now_utc();
    let since = until - period;
    let report = PeriodReport::new(&crate::history::runs_since(data, since), since, until);
    if health {
        report.with_health(&crate::check::check_services(config, data, false).await)
    } else {
        report
    }
}

/// Sends `report` to the config's targets that take reports (honouring
/// `send_only_on_problems`).
pub async fn send_report(config: &crate::Config, report: &PeriodReport) -> Delivery {
    match crate::notify::notifier(config) {
        Some(notifier) => notifier.send(&report.message()).await,
        None => Delivery::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::Problem;

    fn at(days: i64) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(1_800_000_000 + days * 86_400).unwrap()
    }

    fn run(day: i64, outcome: RunOutcome) -> RunRecord {
        RunRecord {
            started_at: at(day),
            finished_at: at(day),
            title: format!("run on day {day}"),
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

    fn week() -> Vec<RunRecord> {
        let mut ok = run(1, RunOutcome::Ok);
        ok.added
            .insert("Inspired by your Immaculate Taste".into(), 5);
        ok.sent_to_radarr = vec!["Heat (1995)".into()];
        ok.arrived = 2;
        let mut ok2 = run(2, RunOutcome::Ok);
        ok2.added
            .insert("Inspired by your Immaculate Taste".into(), 1);
        ok2.added.insert("Change of Taste".into(), 3);
        ok2.sent_to_sonarr = vec!["Dark (2017)".into()];
        ok2.requested_in_seerr = vec!["Tenet (2020)".into()];
        let mut bad = run(3, RunOutcome::Problems);
        bad.problems = vec![
            Problem {
                step: "Radarr monitor confirm".into(),
                reason: "radarr: 401".into(),
            },
            Problem {
                step: "Radarr".into(),
                reason: "radarr: 401".into(),
            },
            Problem {
                step: "Plex".into(),
                reason: "plex: timed out".into(),
            },
        ];
        let mut failed = run(4, RunOutcome::Failed);
        failed.problems = vec![Problem {
            step: "Before the steps".into(),
            reason: "radarr: 401".into(),
        }];
        // Before the period: not counted.
        let mut old = run(-3, RunOutcome::Problems);
        old.problems = vec![Problem {
            step: "Plex".into(),
            reason: "old".into(),
        }];
        vec![old, ok, ok2, bad, failed]
    }

    #[test]
    fn the_period_sums_runs_changes_and_errors_by_cause() {
        let report = PeriodReport::new(&week(), at(0), at(7));
        assert_eq!(report.runs["ok"], 2);
        assert_eq!(report.runs["problems"], 1);
        assert_eq!(report.runs["failed"], 1);
        assert_eq!(report.added["Inspired by your Immaculate Taste"], 6);
        assert_eq!(report.added["Change of Taste"], 3);
        assert_eq!(report.sent_to_radarr, ["Heat (1995)"]);
        assert_eq!(report.sent_to_sonarr, ["Dark (2017)"]);
        assert_eq!(report.requested_in_seerr, ["Tenet (2020)"]);
        assert_eq!(report.arrived, 2);
        assert_eq!(
            report.errors,
            [
                Cause {
                    reason: "radarr: 401".into(),
                    count: 3,
                    steps: vec![
                        "Radarr monitor confirm".into(),
                        "Radarr".into(),
                        "Before the steps".into()
                    ],
                },
                Cause {
                    reason: "plex: timed out".into(),
                    count: 1,
                    steps: vec!["Plex".into()]
                },
            ]
        );
        assert_eq!(report.level(), Level::Problem);
        let lines = report.lines();
        assert_eq!(
            lines[0],
            "curator report: 4 run(s), 2 with problems · 2027-01-15 to 2027-01-22"
        );
        assert!(
            lines.contains(&"  4 run(s): 2 ok, 1 with problems, 1 could not run".to_owned()),
            "{lines:#?}"
        );
        assert!(
            lines.contains(
                &"  3× radarr: 401 (Radarr monitor confirm, Radarr, Before the steps)".to_owned()
            ),
            "{lines:#?}"
        );
        assert!(
            lines.contains(&"  6 added to Inspired by your Immaculate Taste".to_owned()),
            "{lines:#?}"
        );
    }

    #[test]
    fn the_html_escapes_what_it_shows_and_the_message_carries_it() {
        let mut odd = run(1, RunOutcome::Ok);
        odd.sent_to_radarr = vec!["<Tom & Jerry>".into()];
        let report = PeriodReport::new(&[odd], at(0), at(7));
        let html = report.html();
        assert!(html.contains("<li>&lt;Tom &amp; Jerry&gt;</li>"), "{html}");
        assert!(!html.contains("<Tom"), "{html}");
        let message = report.message();
        assert_eq!(message.kind, MessageKind::Report);
        assert_eq!(message.level, Level::Changes);
        assert_eq!(message.html.as_deref(), Some(html.as_str()));
        assert_eq!(message.data["sent_to_radarr"][0], "<Tom & Jerry>");
    }

    #[test]
    fn periods_read_as_hours_days_or_weeks() {
        assert_eq!(parse_period("7d").unwrap(), DEFAULT_PERIOD);
        assert_eq!(parse_period("1w").unwrap(), DEFAULT_PERIOD);
        assert_eq!(parse_period("36h").unwrap(), Duration::from_secs(36 * 3600));
        assert_eq!(parse_period("3").unwrap(), Duration::from_secs(3 * 86_400));
        assert!(parse_period("0d").is_err());
        assert!(parse_period("7 days").is_err());
    }
}
