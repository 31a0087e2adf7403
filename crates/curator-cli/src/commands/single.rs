//! `curator refresh`, `curator dedupe` and `curator confirm-monitored`: one
//! step (or the two refreshers) alone, without a watched movie.

use curator_core::StepKind;

use curator_app::{Config, JobKind};

use crate::cli::{Global, RefreshOnly};
use crate::commands::{load_config, run_steps};
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
    let config = load_config(global)?;
    run_only_with(global, config, steps, title).await
}

/// `curator dedupe`: the duplicate cleaner alone. It deletes files, so
/// unlike the other single steps it runs only when the config switches it
/// on; a dry run, which deletes nothing, runs either way.
///
/// # Errors
/// [`Failure::Fatal`] when the config leaves the cleaner off; config and
/// state errors.
pub(crate) async fn dedupe(global: &Global) -> Result<Done, Failure> {
    let config = load_config(global)?;
    if !config.settings.steps.duplicate_cleaner && !global.dry_run {
        let file = config
            .source
            .as_ref()
            .map_or_else(|| "the config".to_owned(), |p| p.display().to_string());
        return Err(Failure::Fatal(format!(
            "the duplicate cleaner is off in {file}, so `curator dedupe` deletes nothing\n  \
             it deletes files: review what it would delete with `curator --dry-run dedupe`, \
             then switch it on with `run_plex_duplicate_cleaner: true` under scripts_run"
        )));
    }
    let kind = JobKind::Dedupe;
    run_only_with(global, config, kind.steps(), kind.title()).await
}

async fn run_only_with(
    global: &Global,
    mut config: Config,
    steps: &[StepKind],
    title: &str,
) -> Result<Done, Failure> {
    let request = curator_app::only(steps, &mut config.settings);
    let lock = config.timeouts.lock;
    run_steps(global, &config, request, title.to_owned(), Vec::new(), lock).await
}

/// The steps `curator refresh --only ...` runs.
pub(crate) fn refresh_steps(only: Option<RefreshOnly>) -> Vec<StepKind> {
    match only {
        None => JobKind::Refresh.steps().to_vec(),
        // Each with its TV counterpart, which runs only while TV is on.
        Some(RefreshOnly::RecentlyWatched) => vec![
            StepKind::RecentlyWatchedRefresher,
            StepKind::TvRecentlyWatchedRefresher,
        ],
        Some(RefreshOnly::ImmaculateTaste) => vec![
            StepKind::ImmaculateTasteRefresher,
            StepKind::TvImmaculateTasteRefresher,
        ],
    }
}
