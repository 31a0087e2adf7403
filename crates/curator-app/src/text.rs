//! What people read, as lines of text: a run's heading, a block per step,
//! the summary. The CLI prints them; the service's page shows them.

use std::time::Duration;

use curator_core::{
    ApprovalReport, Approvals, MovieOutcome, Outcome, RunReport, Settings, StepKind, StepReport,
    StepStatus,
};

/// What a run is about, for its heading.
#[derive(Debug, Clone)]
pub struct Heading<'a> {
    /// The title (`watched Heat (1995)`, `refresh the collections`).
    pub title: String,
    /// Lines under it (who watched, the job's source, a dry run).
    pub detail: Vec<String>,
    /// Each service and whether it is configured.
    pub services: &'a [(&'static str, bool)],
}

/// A run's heading: what, the services, the steps (`only` these, when
/// given) and which are on.
pub fn heading_lines(
    heading: &Heading<'_>,
    settings: &Settings,
    only: Option<&[StepKind]>,
) -> Vec<String> {
    let mut lines = vec![format!(
        "curator {} · {}",
        env!("CARGO_PKG_VERSION"),
        heading.title
    )];
    for detail in &heading.detail {
        lines.push(format!("  {detail}"));
    }
    let services: Vec<String> = heading
        .services
        .iter()
        .map(|(name, on)| format!("{name} {}", if *on { "✓" } else { "✗ (not configured)" }))
        .collect();
    lines.push(format!("  services: {}", services.join(" · ")));
    let steps: Vec<String> = StepKind::ALL
        .iter()
        .filter(|s| only.is_none_or(|only| only.contains(s)))
        .map(|s| {
            let on = settings.steps.is_enabled(*s);
            format!("{} {s}", if on { "✓" } else { "– (off)" })
        })
        .collect();
    lines.push(format!("  steps: {}", steps.join(" · ")));
    lines
}

/// The closing lines of a run.
pub fn summary_lines(report: &RunReport, down: &[(&str, String)]) -> Vec<String> {
    let mut lines = vec![String::new()];
    {
        let failed = report.failed_steps();
        let mark = if failed.is_empty() && down.is_empty() {
            "✓"
        } else {
            "✗"
        };
        lines.push(format!("{mark} {}", report.summary()));
        for step in report.steps.iter().filter(|s| s.failed()) {
            if let StepStatus::Failed(why) = &step.status {
                lines.push(format!("  ✗ {} failed: {why}", step.step));
            }
        }
        for (service, first) in down {
            lines.push(format!(
                "  ✗ {service} failed and was not asked again in this run: {first}"
            ));
        }
        let problems: usize = report
            .steps
            .iter()
            .filter(|s| !s.failed())
            .map(|s| s.failures.len())
            .sum();
        if problems > 0 {
            lines.push(format!(
                "  ⚠ {problems} problem(s) reported by steps that finished (marked ⚠ above)"
            ));
        }
        for note in &report.notes {
            lines.push(format!("  • {note}"));
        }
    }
    lines
}

/// The mark for a step's status.
pub fn status_mark(status: &StepStatus) -> &'static str {
    match status {
        StepStatus::Done => "✓",
        StepStatus::Skipped(_) => "–",
        StepStatus::Failed(_) => "✗",
    }
}

fn secs(d: Duration) -> String {
    format!("{:.1}s", d.as_secs_f64())
}

/// The lines describing one step's report.
pub fn step_lines(report: &StepReport, verbose: bool) -> Vec<String> {
    let mut lines = Vec::new();
    let mark = status_mark(&report.status);
    match &report.status {
        StepStatus::Done => lines.push(format!(
            "{mark} {} ({})",
            report.step,
            secs(report.duration)
        )),
        StepStatus::Skipped(why) => lines.push(format!("{mark} {}: skipped, {why}", report.step)),
        StepStatus::Failed(why) => lines.push(format!("{mark} {} failed: {why}", report.step)),
    }
    if !report.counts.is_empty() {
        let counts: Vec<String> = report
            .counts
            .iter()
            .map(|(name, n)| count_label(name, *n))
            .collect();
        lines.push(format!("    {}", counts.join(" · ")));
    }
    for (label, movies) in group_movies(&report.movies) {
        let limit = if verbose { usize::MAX } else { 10 };
        let mut titles: Vec<String> = movies.iter().take(limit).map(|m| movie_label(m)).collect();
        if movies.len() > limit {
            titles.push(format!("and {} more", movies.len() - limit));
        }
        lines.push(format!(
            "    {label} ({}): {}",
            movies.len(),
            titles.join(", ")
        ));
    }
    for failure in &report.failures {
        lines.push(format!("    ⚠ {failure}"));
    }
    for note in &report.notes {
        lines.push(format!("    • {note}"));
    }
    for plan in &report.planned {
        lines.push(format!("    would {plan}"));
    }
    lines
}

fn movie_label(m: &MovieOutcome) -> String {
    match m.year {
        Some(y) => format!("{} ({y})", m.title),
        None => m.title.clone(),
    }
}

/// `curator approvals`: one line per waiting title (its id, title and
/// year, the collection and watched title it came from, since when, in
/// UTC), then the rejected ones.
pub fn waiting_lines(approvals: &Approvals) -> Vec<String> {
    let mut lines = Vec::new();
    if approvals.waiting.is_empty() {
        lines.push("nothing waits for approval".to_owned());
    } else {
        lines.push(format!("{} waiting for approval:", approvals.waiting.len()));
    }
    for held in &approvals.waiting {
        let seed = held
            .seed
            .as_deref()
            .map(|s| format!(", for {s}"))
            .unwrap_or_default();
        lines.push(format!(
            "  {:>8}  {}  ({}{seed}, since {})",
            held.id().to_string(),
            year_label(&held.title, held.year),
            held.collection,
            day_and_time(held.since),
        ));
    }
    if !approvals.rejected.is_empty() {
        lines.push(format!(
            "{} rejected (never offered again; `curator approvals forget ID` undoes):",
            approvals.rejected.len()
        ));
        for r in &approvals.rejected {
            lines.push(format!(
                "  {:>8}  {}",
                r.id().to_string(),
                year_label(&r.title, r.year)
            ));
        }
    }
    lines
}

/// `curator approvals approve`: one line per title and what became of it.
pub fn approval_lines(report: &ApprovalReport) -> Vec<String> {
    let mut lines: Vec<String> = report
        .titles
        .iter()
        .map(|m| {
            let why = outcome_reason(&m.outcome)
                .map(|w| format!(": {w}"))
                .unwrap_or_default();
            format!(
                "  {}: {}{why}",
                year_label(&m.title, m.year),
                outcome_name(&m.outcome)
            )
        })
        .collect();
    for id in &report.unknown {
        lines.push(format!("  {id}: not waiting for approval"));
    }
    for failure in &report.failures {
        lines.push(format!("  ⚠ {failure}"));
    }
    for note in &report.notes {
        lines.push(format!("  {note}"));
    }
    lines
}

fn year_label(title: &str, year: Option<i32>) -> String {
    match year {
        Some(y) => format!("{title} ({y})"),
        None => title.to_owned(),
    }
}

fn day_and_time(at: time::OffsetDateTime) -> String {
    let f = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    at.format(&f).unwrap_or_default()
}

/// Why, for outcomes that carry a reason.
fn outcome_reason(outcome: &Outcome) -> Option<&str> {
    match outcome {
        Outcome::Unresolved(why) | Outcome::Failed(why) | Outcome::Note(why) => Some(why),
        _ => None,
    }
}

/// A short name for an outcome.
pub fn outcome_name(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::InPlex(_) => "in Plex",
        Outcome::SentToRadarr => "sent to Radarr",
        Outcome::AlreadyInRadarr => "already in Radarr",
        Outcome::Remonitored => "monitored again in Radarr",
        Outcome::WouldSendToRadarr => "would send to Radarr",
        Outcome::MissingNoRadarr => "missing (Radarr not configured)",
        Outcome::SentToSonarr => "sent to Sonarr",
        Outcome::AlreadyInSonarr => "already in Sonarr",
        Outcome::RemonitoredInSonarr => "monitored again in Sonarr",
        Outcome::WouldSendToSonarr => "would send to Sonarr",
        Outcome::MissingNoSonarr => "missing (Sonarr not configured)",
        Outcome::SentToSeerr => "requested in Seerr",
        Outcome::AlreadyInSeerr => "already requested in Seerr",
        Outcome::WouldSendToSeerr => "would request in Seerr",
        Outcome::PendingNotSent => {
            "pending (not sent: sonarr.auto_download_recommendations is off)"
        }
        Outcome::NoTvdbId => "not sent (TMDb has no TVDB id for it)",
        Outcome::WaitingForApproval => "waiting for approval",
        Outcome::Rejected => "rejected earlier, not sent",
        Outcome::Unresolved(_) => "unresolved",
        Outcome::Failed(_) => "failed",
        Outcome::Note(_) => "noted",
    }
}

/// Movies grouped by where they came from, what happened and why, in the
/// order first seen: the same error for many movies is one line with a
/// count and the titles.
fn group_movies(movies: &[MovieOutcome]) -> Vec<(String, Vec<&MovieOutcome>)> {
    let mut groups: Vec<(String, Vec<&MovieOutcome>)> = Vec::new();
    for m in movies {
        let source = m.source.split('/').next().unwrap_or(&m.source);
        let label = match outcome_reason(&m.outcome) {
            Some(why) => format!("{source} · {}, {why}", outcome_name(&m.outcome)),
            None => format!("{source} · {}", outcome_name(&m.outcome)),
        };
        match groups.iter_mut().find(|(l, _)| *l == label) {
            Some((_, list)) => list.push(m),
            None => groups.push((label, vec![m])),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_block_shows_counts_movies_failures_and_notes() {
        let mut report = StepReport::new(StepKind::RecentlyWatched);
        report.count("similar_in_plex", 2);
        report.movies.push(MovieOutcome {
            source: "similar/llm".into(),
            title: "Heat".into(),
            year: Some(1995),
            tmdb_id: Some(949),
            outcome: Outcome::InPlex("12".into()),
        });
        report.movies.push(MovieOutcome {
            source: "similar/llm".into(),
            title: "Invented Film".into(),
            year: None,
            tmdb_id: None,
            outcome: Outcome::Unresolved("no TMDb movie matches this title".into()),
        });
        report.failures.push("LLM (similar): timed out".into());
        report.notes.push("a note".into());
        let lines = step_lines(&report, false);
        assert_eq!(lines[0], "✓ Recently watched recommendations (0.0s)");
        assert_eq!(lines[1], "    similar in plex 2");
        assert_eq!(lines[2], "    similar · in Plex (1): Heat (1995)");
        assert_eq!(
            lines[3],
            "    similar · unresolved, no TMDb movie matches this title (1): Invented Film"
        );
        assert_eq!(lines[4], "    ⚠ LLM (similar): timed out");
        assert_eq!(lines[5], "    • a note");
    }

    #[test]
    fn long_lists_are_cut_unless_verbose() {
        let mut report = StepReport::new(StepKind::ImmaculateTaste);
        for i in 0..12 {
            report.movies.push(MovieOutcome {
                source: "immaculate".into(),
                title: format!("Film {i}"),
                year: None,
                tmdb_id: None,
                outcome: Outcome::SentToRadarr,
            });
        }
        let short = step_lines(&report, false);
        assert!(short[1].ends_with("Film 9, and 2 more"), "{}", short[1]);
        let long = step_lines(&report, true);
        assert!(long[1].ends_with("Film 10, Film 11"), "{}", long[1]);
    }
}

/// "freed_bytes" 44800000000 reads "freed 44.8 GB"; other counters "name n".
fn count_label(name: &str, n: u64) -> String {
    match name.strip_suffix("_bytes") {
        Some(what) => format!("{} {:.1} GB", what.replace('_', " "), n as f64 / 1e9),
        None => format!("{} {n}", name.replace('_', " ")),
    }
}

#[cfg(test)]
mod count_label_tests {
    use super::count_label;

    #[test]
    fn bytes_read_as_gigabytes() {
        assert_eq!(count_label("freed_bytes", 44_800_000_000), "freed 44.8 GB");
        assert_eq!(count_label("sent_to_radarr", 3), "sent to radarr 3");
    }
}

/// Escapes text for HTML (element content and quoted attribute values):
/// the e-mailed report and the service's page share it.
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
