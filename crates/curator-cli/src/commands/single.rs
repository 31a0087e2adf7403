//! `curator refresh`, `curator dedupe` and `curator confirm-monitored`: one
//! step (or the two refreshers) alone, without a watched movie.

use curator_core::{RunRequest, StepKind};

use crate::cli::{Global, RefreshOnly};
use crate::commands::{enable, load_config, run_steps};
use crate::error::{Done, Failure};

/// Runs `steps` alone, switched on even if the config leaves them to the
/// Tautulli run.
///
/// # Errors
/// Config and state errors; see [`Failure`].
pub(crate) async fn run_only(
    global: &Global,
    steps: &[StepKind],
    title: &str,
) -> Result<Done, Failure> {
    let mut config = load_config(global)?;
    for step in steps {
        enable(&mut config.settings, *step);
    }
    let request = RunRequest {
        seed: None,
        only: Some(steps.to_vec()),
    };
    let lock = config.timeouts.lock;
    run_steps(global, &config, request, title.to_owned(), Vec::new(), lock).await
}

/// The steps `curator refresh --only ...` runs.
pub(crate) fn refresh_steps(only: Option<RefreshOnly>) -> Vec<StepKind> {
    match only {
        None => vec![
            StepKind::RecentlyWatchedRefresher,
            StepKind::ImmaculateTasteRefresher,
        ],
        Some(RefreshOnly::RecentlyWatched) => vec![StepKind::RecentlyWatchedRefresher],
        Some(RefreshOnly::ImmaculateTaste) => vec![StepKind::ImmaculateTasteRefresher],
    }
}
