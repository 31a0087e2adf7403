//! The jobs that need no watched movie.

use curator_core::StepKind;
use serde::{Deserialize, Serialize};

/// A job that needs no watched movie.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum JobKind {
    /// `curator refresh`.
    Refresh,
    /// `curator confirm-monitored`.
    ConfirmMonitored,
    /// `curator dedupe`: only a plan unless the cleaner is switched on.
    Dedupe,
}

impl JobKind {
    /// Every kind.
    pub const ALL: [Self; 3] = [Self::Refresh, Self::ConfirmMonitored, Self::Dedupe];

    /// The name in URLs and the config (`confirm-monitored`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Refresh => "refresh",
            Self::ConfirmMonitored => "confirm-monitored",
            Self::Dedupe => "dedupe",
        }
    }

    /// The kind named `name` (see [`JobKind::name`]).
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The steps it runs, in run order (the TV steps only when the
    /// settings turn TV on: see [`curator_core::RunRequest::steps`]).
    pub fn steps(self) -> &'static [StepKind] {
        match self {
            // Both kinds; the TV ones only run when TV is on.
            Self::Refresh => &[
                StepKind::RecentlyWatchedRefresher,
                StepKind::ImmaculateTasteRefresher,
                StepKind::TvRecentlyWatchedRefresher,
                StepKind::TvImmaculateTasteRefresher,
            ],
            Self::ConfirmMonitored => &[StepKind::MonitorConfirm],
            Self::Dedupe => &[StepKind::DuplicateCleaner],
        }
    }

    /// What it does, as a run's title.
    pub fn title(self) -> &'static str {
        match self {
            Self::Refresh => "refresh the collections",
            Self::ConfirmMonitored => "unmonitor Radarr movies Plex has",
            Self::Dedupe => "clean duplicates",
        }
    }
}
