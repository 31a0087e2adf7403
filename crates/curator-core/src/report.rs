//! What a run did, as data: printed by the CLI, saved as JSON with `--report`.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use curator_http::MediaKind;
use serde::Serialize;

/// The steps of a run, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepKind {
    /// Suggestions for "Based on your recently watched movie" and "Change of Taste".
    RecentlyWatched,
    /// Deletes lower-quality duplicate files.
    DuplicateCleaner,
    /// Unmonitors Radarr movies Plex already has.
    MonitorConfirm,
    /// Suggestions and points for "Inspired by your Immaculate Taste".
    ImmaculateTaste,
    /// Syncs the two small collections with their state files.
    RecentlyWatchedRefresher,
    /// Syncs the immaculate-taste collection with the points.
    ImmaculateTasteRefresher,
    /// TV: suggestions for "Based on your recently watched show" and
    /// "Change of Taste (TV)" from a watched episode's show.
    TvRecentlyWatched,
    /// TV: suggestions and points for "Inspired by your Immaculate Taste (TV)".
    TvImmaculateTaste,
    /// TV: syncs the two small show collections with their state files.
    TvRecentlyWatchedRefresher,
    /// TV: syncs the immaculate-taste show collection with the TV points.
    TvImmaculateTasteRefresher,
    /// TV: deletes lower-quality duplicate episode versions, then
    /// unmonitors those episodes in Sonarr
    /// (`scripts_run.run_sonarr_duplicate_cleaner`).
    TvDuplicateCleaner,
    /// TV: unmonitors Sonarr episodes Plex already has, and ended series
    /// Plex has whole (`scripts_run.run_sonarr_monitor_confirm_plex`).
    SonarrMonitorConfirm,
    /// TV: one Sonarr search for every monitored missing episode
    /// (`scripts_run.run_sonarr_search_monitored`).
    SonarrSearchMonitored,
}

impl StepKind {
    /// Every step, in run order: the movie steps, then the TV steps.
    pub const ALL: [Self; 13] = [
        Self::RecentlyWatched,
        Self::DuplicateCleaner,
        Self::MonitorConfirm,
        Self::ImmaculateTaste,
        Self::RecentlyWatchedRefresher,
        Self::ImmaculateTasteRefresher,
        Self::TvRecentlyWatched,
        Self::TvDuplicateCleaner,
        Self::SonarrMonitorConfirm,
        Self::TvImmaculateTaste,
        Self::TvRecentlyWatchedRefresher,
        Self::TvImmaculateTasteRefresher,
        Self::SonarrSearchMonitored,
    ];

    /// The steps of a movie run (the housekeeping steps are Radarr's and
    /// the movie library's), in run order.
    pub const MOVIE: [Self; 6] = [
        Self::RecentlyWatched,
        Self::DuplicateCleaner,
        Self::MonitorConfirm,
        Self::ImmaculateTaste,
        Self::RecentlyWatchedRefresher,
        Self::ImmaculateTasteRefresher,
    ];

    /// The steps of a show run, in run order (the Sonarr search last, so
    /// it covers what the run handed to Sonarr and not what the monitor
    /// confirm unmonitored).
    pub const TV: [Self; 7] = [
        Self::TvRecentlyWatched,
        Self::TvDuplicateCleaner,
        Self::SonarrMonitorConfirm,
        Self::TvImmaculateTaste,
        Self::TvRecentlyWatchedRefresher,
        Self::TvImmaculateTasteRefresher,
        Self::SonarrSearchMonitored,
    ];

    /// The steps of a run of `kind`, in run order.
    pub fn of(kind: MediaKind) -> &'static [Self] {
        match kind {
            MediaKind::Movie => &Self::MOVIE,
            MediaKind::Show => &Self::TV,
        }
    }

    /// The kind of title the step works on.
    pub fn media(self) -> MediaKind {
        match self {
            Self::TvRecentlyWatched
            | Self::TvImmaculateTaste
            | Self::TvRecentlyWatchedRefresher
            | Self::TvImmaculateTasteRefresher
            | Self::TvDuplicateCleaner
            | Self::SonarrMonitorConfirm
            | Self::SonarrSearchMonitored => MediaKind::Show,
            _ => MediaKind::Movie,
        }
    }

    /// The same step for the other kind of title, when it has one (the
    /// Sonarr search is shows' only).
    pub fn for_kind(self, kind: MediaKind) -> Option<Self> {
        use StepKind::*;
        let (movie, show) = match self {
            RecentlyWatched | TvRecentlyWatched => (RecentlyWatched, TvRecentlyWatched),
            ImmaculateTaste | TvImmaculateTaste => (ImmaculateTaste, TvImmaculateTaste),
            RecentlyWatchedRefresher | TvRecentlyWatchedRefresher => {
                (RecentlyWatchedRefresher, TvRecentlyWatchedRefresher)
            }
            ImmaculateTasteRefresher | TvImmaculateTasteRefresher => {
                (ImmaculateTasteRefresher, TvImmaculateTasteRefresher)
            }
            DuplicateCleaner | TvDuplicateCleaner => (DuplicateCleaner, TvDuplicateCleaner),
            MonitorConfirm | SonarrMonitorConfirm => (MonitorConfirm, SonarrMonitorConfirm),
            SonarrSearchMonitored => return (kind == MediaKind::Show).then_some(self),
        };
        Some(match kind {
            MediaKind::Movie => movie,
            MediaKind::Show => show,
        })
    }

    /// A human name.
    pub fn title(self) -> &'static str {
        match self {
            Self::RecentlyWatched => "Recently watched recommendations",
            Self::DuplicateCleaner => "Duplicate cleaner",
            Self::MonitorConfirm => "Radarr monitor confirm",
            Self::ImmaculateTaste => "Immaculate taste recommendations",
            Self::RecentlyWatchedRefresher => "Recently watched collections refresh",
            Self::ImmaculateTasteRefresher => "Immaculate taste collection refresh",
            Self::TvRecentlyWatched => "TV recently watched recommendations",
            Self::TvImmaculateTaste => "TV immaculate taste recommendations",
            Self::TvRecentlyWatchedRefresher => "TV recently watched collections refresh",
            Self::TvImmaculateTasteRefresher => "TV immaculate taste collection refresh",
            Self::TvDuplicateCleaner => "TV duplicate episode cleaner",
            Self::SonarrMonitorConfirm => "Sonarr monitor confirm",
            Self::SonarrSearchMonitored => "Sonarr search monitored",
        }
    }

    /// True for steps that need a watched title (a movie, or an episode's
    /// show) to work from.
    pub fn needs_seed(self) -> bool {
        matches!(
            self,
            Self::RecentlyWatched
                | Self::ImmaculateTaste
                | Self::TvRecentlyWatched
                | Self::TvImmaculateTaste
        )
    }
}

impl fmt::Display for StepKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}

/// How a step ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", content = "detail", rename_all = "snake_case")]
pub enum StepStatus {
    /// It ran; per-movie failures, if any, are in `failures`.
    Done,
    /// It did not run, for this reason.
    Skipped(String),
    /// It stopped on this error; the other steps still ran.
    Failed(String),
}

/// What happened to one movie in a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MovieOutcome {
    /// Where it came from (`similar`, `contrast`, `llm`, `tmdb`, ...).
    pub source: String,
    /// The title as suggested or as known.
    pub title: String,
    /// The year, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// The TMDb id, once resolved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tmdb_id: Option<u32>,
    /// What happened.
    pub outcome: Outcome,
}

/// One movie's fate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum Outcome {
    /// Plex has it (rating key).
    InPlex(String),
    /// Added to Radarr to download.
    SentToRadarr,
    /// Radarr already had it, monitored.
    AlreadyInRadarr,
    /// Radarr had it unmonitored; it was set monitored.
    Remonitored,
    /// Would be sent to Radarr (dry run).
    WouldSendToRadarr,
    /// Missing, and Radarr is not configured.
    MissingNoRadarr,
    /// Added to Sonarr to download (a show).
    SentToSonarr,
    /// Sonarr already had the show, monitored.
    AlreadyInSonarr,
    /// Sonarr had the show unmonitored; it was monitored again (per
    /// `sonarr.monitor`) and searched for once.
    RemonitoredInSonarr,
    /// Would be sent to Sonarr (dry run).
    WouldSendToSonarr,
    /// Missing, and Sonarr is not configured.
    MissingNoSonarr,
    /// Missing and kept as pending, not sent:
    /// `sonarr.auto_download_recommendations` is off.
    PendingNotSent,
    /// TMDb knows the show but has no TVDB id for it, and Sonarr adds by
    /// TVDB id only: reported, never sent.
    NoTvdbId,
    /// Requested in Overseerr or Jellyseerr (`requests.via: seerr`).
    SentToSeerr,
    /// Seerr already had a request for it, or has it (nothing new was
    /// requested).
    AlreadyInSeerr,
    /// Would be requested in Seerr (dry run).
    WouldSendToSeerr,
    /// Missing, held until a person approves it (nothing sent yet).
    WaitingForApproval,
    /// Missing, but a person rejected it earlier: never sent.
    Rejected,
    /// No TMDb movie (or show) matched; never sent to Radarr or Sonarr.
    Unresolved(String),
    /// Something failed for this movie.
    Failed(String),
    /// Anything else, described.
    Note(String),
}

impl Outcome {
    /// True when the title reached the service that fetches it (or that
    /// service, or Plex, already had it): nothing is left to send.
    pub fn handed_off(&self) -> bool {
        matches!(
            self,
            Self::SentToRadarr
                | Self::AlreadyInRadarr
                | Self::Remonitored
                | Self::SentToSonarr
                | Self::AlreadyInSonarr
                | Self::RemonitoredInSonarr
                | Self::SentToSeerr
                | Self::AlreadyInSeerr
                | Self::InPlex(_)
        )
    }
}

/// One step's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepReport {
    /// Which step.
    pub step: StepKind,
    /// How it ended.
    #[serde(flatten)]
    pub status: StepStatus,
    /// Counters (`suggested`, `in_plex`, `sent_to_radarr`, ...).
    pub counts: BTreeMap<String, u64>,
    /// Per-movie outcomes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub movies: Vec<MovieOutcome>,
    /// Problems that did not stop the step.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<String>,
    /// Things worth telling the user.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// In a dry run: what would have been done.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub planned: Vec<String>,
    /// How long it took.
    #[serde(serialize_with = "millis")]
    pub duration: Duration,
}

impl StepReport {
    /// An empty report for `step` that is done.
    pub fn new(step: StepKind) -> Self {
        Self {
            step,
            status: StepStatus::Done,
            counts: BTreeMap::new(),
            movies: Vec::new(),
            failures: Vec::new(),
            notes: Vec::new(),
            planned: Vec::new(),
            duration: Duration::ZERO,
        }
    }

    /// A report for a step that did not run.
    pub fn skipped(step: StepKind, reason: impl Into<String>) -> Self {
        Self {
            status: StepStatus::Skipped(reason.into()),
            ..Self::new(step)
        }
    }

    /// Adds `n` to counter `name`.
    pub fn count(&mut self, name: &str, n: u64) {
        *self.counts.entry(name.to_owned()).or_default() += n;
    }

    /// The value of counter `name`.
    pub fn counter(&self, name: &str) -> u64 {
        self.counts.get(name).copied().unwrap_or(0)
    }

    /// True when the step failed as a whole.
    pub fn failed(&self) -> bool {
        matches!(self.status, StepStatus::Failed(_))
    }
}

/// The whole run's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunReport {
    /// The watched movie, when there was one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<String>,
    /// True when nothing was changed on purpose.
    pub dry_run: bool,
    /// One report per step, in run order.
    pub steps: Vec<StepReport>,
    /// Notes about the run as a whole.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// What moving from the previous tool's files did, on the run that did it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub migration: Option<crate::migration::MigrationReport>,
    /// How long the run took.
    #[serde(serialize_with = "millis")]
    pub duration: Duration,
}

impl RunReport {
    /// The report for `step`, if it is part of the run.
    pub fn step(&self, step: StepKind) -> Option<&StepReport> {
        self.steps.iter().find(|s| s.step == step)
    }

    /// Steps that failed as a whole.
    pub fn failed_steps(&self) -> Vec<StepKind> {
        self.steps
            .iter()
            .filter(|s| s.failed())
            .map(|s| s.step)
            .collect()
    }

    /// A one-paragraph summary.
    pub fn summary(&self) -> String {
        let done = self
            .steps
            .iter()
            .filter(|s| s.status == StepStatus::Done)
            .count();
        let skipped = self
            .steps
            .iter()
            .filter(|s| matches!(s.status, StepStatus::Skipped(_)))
            .count();
        let failed = self.failed_steps().len();
        format!(
            "{done} step(s) done, {skipped} skipped, {failed} failed in {:.1}s{}",
            self.duration.as_secs_f64(),
            if self.dry_run {
                " (dry run: nothing was changed)"
            } else {
                ""
            }
        )
    }
}

fn millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}
