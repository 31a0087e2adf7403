//! The run history: one small record per run that changed or could have
//! changed something (dry runs are not kept), in `history.json` in the
//! data directory. CLI runs, detached runs and `curator serve` jobs all go
//! through [`crate::execute`], which appends here; the weekly report reads
//! it.
//!
//! The file is rewritten whole and atomically on each append (old records
//! first, the newest last), and bounded: the newest [`MAX_RUNS`] records
//! are kept. A run appends while it holds the data-directory lock, so two
//! runs never write it at once; only a run that could not take the lock
//! (and so changed nothing) appends without it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use curator_core::{
    CollectionNames, DataDir, Outcome, RunReport, StepKind, StepStatus, write_atomic,
};
use curator_notify::Level;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The history file's name in the data directory.
pub const HISTORY_FILE: &str = "history.json";

/// How many runs the history keeps (a year of a few runs a day).
pub const MAX_RUNS: usize = 2000;

/// At most this many problems are kept per run.
const MAX_PROBLEMS: usize = 20;

/// How a recorded run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunOutcome {
    /// Everything ran.
    Ok,
    /// It ran, but steps failed or reported problems.
    Problems,
    /// It could not run (a lock held too long, a damaged state file, a
    /// client that could not be built).
    Failed,
}

impl RunOutcome {
    /// `ok`, `problems` or `failed`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Problems => "problems",
            Self::Failed => "failed",
        }
    }
}

/// Something that went wrong in a run: where, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The step, service or stage (`Radarr monitor confirm`, `Plex`).
    pub step: String,
    /// The reason, as reported.
    pub reason: String,
}

/// One run, as the history keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunRecord {
    /// When it started.
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    /// When it ended.
    #[serde(with = "time::serde::rfc3339")]
    pub finished_at: OffsetDateTime,
    /// What it was (`Heat (1995)`, `refresh the collections`).
    pub title: String,
    /// How it ended.
    pub outcome: RunOutcome,
    /// What went wrong.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
    /// Movies added, per collection.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub added: BTreeMap<String, u64>,
    /// Movies taken out of collections.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub removed: u64,
    /// Movies sent to Radarr, as `Title (year)`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sent_to_radarr: Vec<String>,
    /// Shows sent to Sonarr, as `Title (year)`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sent_to_sonarr: Vec<String>,
    /// Movies and shows requested in Seerr (`requests.via: seerr`), as
    /// `Title (year)`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requested_in_seerr: Vec<String>,
    /// Movies that waited as pending and arrived in Plex.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub arrived: u64,
    /// Duplicate copies deleted.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub deleted: u64,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde passes a reference
fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl RunRecord {
    /// The record of a run that ran.
    pub fn from_report(
        title: &str,
        started_at: OffsetDateTime,
        report: &RunReport,
        down: &[(&'static str, String)],
        outcome: RunOutcome,
        collections: &CollectionNames,
        tv: Option<&CollectionNames>,
    ) -> Self {
        let mut problems = Vec::new();
        for step in &report.steps {
            if let StepStatus::Failed(reason) = &step.status {
                problems.push(problem(step.step.title(), reason));
            }
            for failure in &step.failures {
                problems.push(problem(step.step.title(), failure));
            }
        }
        if let Some(migration) = &report.migration {
            for reason in migration.deferred.iter().chain(&migration.failures) {
                problems.push(problem("Moving the previous tool's files", reason));
            }
        }
        for (service, error) in down {
            problems.push(problem(service, error));
        }
        problems.truncate(MAX_PROBLEMS);
        let mut added = BTreeMap::new();
        let mut removed = 0;
        let mut refreshers = vec![
            (
                StepKind::RecentlyWatchedRefresher,
                format!(
                    "{} / {}",
                    collections.recently_watched, collections.change_of_taste
                ),
            ),
            (
                StepKind::ImmaculateTasteRefresher,
                collections.immaculate_taste.clone(),
            ),
        ];
        if let Some(tv) = tv {
            refreshers.push((
                StepKind::TvRecentlyWatchedRefresher,
                format!("{} / {}", tv.recently_watched, tv.change_of_taste),
            ));
            refreshers.push((
                StepKind::TvImmaculateTasteRefresher,
                tv.immaculate_taste.clone(),
            ));
        }
        for (step, name) in refreshers {
            if let Some(report) = report.step(step) {
                let n = report.counter("added");
                if n > 0 {
                    added.insert(name, n);
                }
                removed += report.counter("removed");
            }
        }
        let sent = |to: &Outcome| -> Vec<String> {
            report
                .steps
                .iter()
                .flat_map(|s| &s.movies)
                .filter(|m| m.outcome == *to)
                .map(|m| match m.year {
                    Some(year) => format!("{} ({year})", m.title),
                    None => m.title.clone(),
                })
                .collect()
        };
        let counter = |step: StepKind, name: &str| report.step(step).map_or(0, |s| s.counter(name));
        Self {
            started_at,
            finished_at: OffsetDateTime::now_utc(),
            title: title.to_owned(),
            outcome,
            problems,
            added,
            removed,
            sent_to_radarr: sent(&Outcome::SentToRadarr),
            sent_to_sonarr: sent(&Outcome::SentToSonarr),
            requested_in_seerr: sent(&Outcome::SentToSeerr),
            arrived: counter(StepKind::ImmaculateTaste, "points_arrived")
                + counter(StepKind::TvImmaculateTaste, "points_arrived"),
            deleted: counter(StepKind::DuplicateCleaner, "deleted"),
        }
    }

    /// The record of a run that could not run.
    pub fn failed(title: &str, started_at: OffsetDateTime, error: &crate::Error) -> Self {
        Self {
            started_at,
            finished_at: OffsetDateTime::now_utc(),
            title: title.to_owned(),
            outcome: RunOutcome::Failed,
            problems: vec![problem("Before the steps", &error.to_string())],
            added: BTreeMap::new(),
            removed: 0,
            sent_to_radarr: Vec::new(),
            sent_to_sonarr: Vec::new(),
            requested_in_seerr: Vec::new(),
            arrived: 0,
            deleted: 0,
        }
    }

    /// True when a collection changed, a title went to Radarr, Sonarr or
    /// Seerr, or a copy was deleted.
    pub fn changed(&self) -> bool {
        !self.added.is_empty()
            || self.removed > 0
            || !self.sent_to_radarr.is_empty()
            || !self.sent_to_sonarr.is_empty()
            || !self.requested_in_seerr.is_empty()
            || self.deleted > 0
    }

    /// How much the run asks of a person.
    pub fn level(&self) -> Level {
        if self.outcome != RunOutcome::Ok {
            Level::Problem
        } else if self.changed() {
            Level::Changes
        } else {
            Level::Ok
        }
    }
}

fn problem(step: &str, reason: &str) -> Problem {
    Problem {
        step: step.to_owned(),
        reason: reason.to_owned(),
    }
}

/// The file as stored.
#[derive(Debug, Default, Serialize, Deserialize)]
struct HistoryFile {
    version: u32,
    runs: Vec<RunRecord>,
}

fn path(data: &DataDir) -> PathBuf {
    data.root().join(HISTORY_FILE)
}

/// Every recorded run, oldest first. A missing file is an empty history;
/// a damaged one is set aside (`history.json.damaged`) and read as empty,
/// so the history can never stop a run.
pub fn read_history(data: &DataDir) -> Vec<RunRecord> {
    read_from(&path(data))
}

fn read_from(path: &Path) -> Vec<RunRecord> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
        Err(error) => {
            tracing::warn!(%error, "cannot read the run history");
            return Vec::new();
        }
    };
    match serde_json::from_slice::<HistoryFile>(&bytes) {
        Ok(file) => file.runs,
        Err(error) => {
            let aside = path.with_extension("json.damaged");
            tracing::warn!(%error, aside = %aside.display(), "the run history is damaged; setting it aside");
            if let Err(error) = std::fs::rename(path, &aside) {
                tracing::warn!(%error, "cannot set the damaged run history aside");
            }
            Vec::new()
        }
    }
}

/// Appends `record`, keeping the newest [`MAX_RUNS`]; a failure to write
/// is logged, never raised.
pub(crate) fn append(data: &DataDir, record: RunRecord) {
    append_keeping(data, record, MAX_RUNS);
}

fn append_keeping(data: &DataDir, record: RunRecord, max: usize) {
    let path = path(data);
    let mut runs = read_from(&path);
    runs.push(record);
    if runs.len() > max {
        runs.drain(..runs.len() - max);
    }
    let file = HistoryFile { version: 1, runs };
    let written = serde_json::to_vec(&file)
        .map_err(std::io::Error::other)
        .and_then(|mut json| {
            json.push(b'\n');
            write_atomic(&path, &json)
        });
    if let Err(error) = written {
        tracing::warn!(%error, file = %path.display(), "cannot record the run in the history");
    }
}

/// The runs that finished at or after `since`.
pub fn runs_since(data: &DataDir, since: OffsetDateTime) -> Vec<RunRecord> {
    read_history(data)
        .into_iter()
        .filter(|r| r.finished_at >= since)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(n: i64, outcome: RunOutcome) -> RunRecord {
        let at = OffsetDateTime::from_unix_timestamp(1_800_000_000 + n).unwrap();
        RunRecord {
            started_at: at,
            finished_at: at,
            title: format!("run {n}"),
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
    fn appends_keep_the_newest_runs_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::new(dir.path());
        for n in 0..13 {
            append_keeping(&data, record(n, RunOutcome::Ok), 10);
        }
        let runs = read_history(&data);
        assert_eq!(runs.len(), 10);
        assert_eq!(runs[0].title, "run 3");
        assert_eq!(runs.last().unwrap().title, "run 12");
        let since = runs[8].finished_at;
        assert_eq!(runs_since(&data, since).len(), 2);
    }

    #[test]
    fn a_damaged_history_is_set_aside_and_started_afresh() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::new(dir.path());
        std::fs::write(dir.path().join(HISTORY_FILE), b"{ not json").unwrap();
        append(&data, record(1, RunOutcome::Failed));
        assert_eq!(read_history(&data), [record(1, RunOutcome::Failed)]);
        assert_eq!(
            std::fs::read(dir.path().join("history.json.damaged")).unwrap(),
            b"{ not json"
        );
    }

    #[test]
    fn a_report_becomes_a_record_with_movie_and_tv_changes() {
        use curator_core::{MovieOutcome, StepReport};
        let mut tv_refresh = StepReport::new(StepKind::TvImmaculateTasteRefresher);
        tv_refresh.count("added", 2);
        tv_refresh.count("removed", 1);
        let mut movie_refresh = StepReport::new(StepKind::RecentlyWatchedRefresher);
        movie_refresh.count("added", 3);
        let mut tv_suggest = StepReport::new(StepKind::TvImmaculateTaste);
        tv_suggest.count("points_arrived", 1);
        tv_suggest.movies.push(MovieOutcome {
            source: "tv".into(),
            title: "Severance".into(),
            year: Some(2022),
            tmdb_id: Some(95396),
            outcome: Outcome::SentToSonarr,
        });
        tv_suggest.movies.push(MovieOutcome {
            source: "tv".into(),
            title: "Dark".into(),
            year: Some(2017),
            tmdb_id: Some(70523),
            outcome: Outcome::SentToSeerr,
        });
        tv_suggest.failures.push("sonarr: timed out".into());
        let report = RunReport {
            seed: None,
            dry_run: false,
            steps: vec![movie_refresh, tv_suggest, tv_refresh],
            notes: Vec::new(),
            migration: None,
            duration: std::time::Duration::ZERO,
        };
        let movies = CollectionNames::default();
        let tv = CollectionNames::tv();
        let at = OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap();
        let record = RunRecord::from_report(
            "Severance (2022)",
            at,
            &report,
            &[("Sonarr", "down".into())],
            RunOutcome::Problems,
            &movies,
            Some(&tv),
        );
        assert_eq!(
            record.added,
            BTreeMap::from([
                (
                    format!("{} / {}", movies.recently_watched, movies.change_of_taste),
                    3
                ),
                (tv.immaculate_taste.clone(), 2),
            ])
        );
        assert_eq!(record.removed, 1);
        assert_eq!(record.sent_to_sonarr, ["Severance (2022)"]);
        assert_eq!(record.requested_in_seerr, ["Dark (2017)"]);
        assert_eq!(record.arrived, 1);
        assert_eq!(
            record.problems,
            [
                problem(StepKind::TvImmaculateTaste.title(), "sonarr: timed out"),
                problem("Sonarr", "down"),
            ]
        );
        // Without TV settings the TV refreshers are not counted.
        let movies_only =
            RunRecord::from_report("x", at, &report, &[], RunOutcome::Ok, &movies, None);
        assert_eq!(movies_only.added.len(), 1);
    }

    #[test]
    fn a_record_reads_back_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::new(dir.path());
        let mut full = record(7, RunOutcome::Problems);
        full.problems = vec![problem("Plex", "timed out")];
        full.added
            .insert("Inspired by your Immaculate Taste".into(), 3);
        full.sent_to_radarr = vec!["Heat (1995)".into()];
        full.arrived = 2;
        append(&data, full.clone());
        assert_eq!(read_history(&data), [full.clone()]);
        assert_eq!(full.level(), Level::Problem);
    }
}
