//! The jobs that need no watched movie.

use curator_core::{MediaKind, StepKind, StepToggles};
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
            Self::ConfirmMonitored => &[StepKind::MonitorConfirm, StepKind::SonarrMonitorConfirm],
            Self::Dedupe => &[StepKind::DuplicateCleaner, StepKind::TvDuplicateCleaner],
        }
    }

    /// The steps it runs for real under `toggles`, of `kind` only when
    /// given: every step, except that a dedupe runs only the cleaners the
    /// config switches on (they delete files). Empty for a dedupe with no
    /// cleaner on: then it may only plan (a dry run of all of them).
    pub fn switched_on(self, toggles: &StepToggles, kind: Option<MediaKind>) -> Vec<StepKind> {
        self.steps()
            .iter()
            .copied()
            .filter(|s| kind.is_none_or(|k| s.media() == k))
            .filter(|s| self != Self::Dedupe || toggles.is_enabled(*s))
            .collect()
    }

    /// What it does, as a run's title.
    pub fn title(self) -> &'static str {
        match self {
            Self::Refresh => "refresh the collections",
            Self::ConfirmMonitored => "unmonitor in Radarr and Sonarr what Plex has",
            Self::Dedupe => "clean duplicates",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A dedupe runs only the cleaners switched on (movies and episodes
    /// each by its own switch); other jobs run every step of theirs.
    #[test]
    fn a_dedupe_runs_only_the_cleaners_switched_on() {
        let movies_only = StepToggles::only(&[StepKind::DuplicateCleaner]);
        assert_eq!(
            JobKind::Dedupe.switched_on(&movies_only, None),
            [StepKind::DuplicateCleaner]
        );
        assert!(
            JobKind::Dedupe
                .switched_on(&movies_only, Some(MediaKind::Show))
                .is_empty()
        );
        let none = StepToggles::only(&[]);
        assert!(JobKind::Dedupe.switched_on(&none, None).is_empty());
        assert_eq!(
            JobKind::ConfirmMonitored.switched_on(&none, None),
            [StepKind::MonitorConfirm, StepKind::SonarrMonitorConfirm]
        );
        assert_eq!(
            JobKind::ConfirmMonitored.switched_on(&none, Some(MediaKind::Show)),
            [StepKind::SonarrMonitorConfirm]
        );
    }
}
