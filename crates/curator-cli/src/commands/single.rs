//! `curator refresh`, `curator dedupe` and `curator confirm-monitored`: one
//! step (or the two refreshers) alone, without a watched movie.

use curator_core::{MediaKind, StepKind};

use curator_app::{Config, JobKind};

use crate::cli::{Global, KindArg, RefreshOnly};
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

/// `curator dedupe`: the duplicate cleaners alone (movies, then episodes;
/// `--kind` picks one). They delete files, so unlike the other single
/// steps each runs only when the config switches it on; a dry run, which
/// deletes nothing, plans them all either way.
///
/// # Errors
/// [`Failure::Fatal`] when the config leaves every asked cleaner off;
/// config and state errors.
pub(crate) async fn dedupe(global: &Global, kind: Option<KindArg>) -> Result<Done, Failure> {
    let config = load_config(global)?;
    let media = kind.map(|k| match k {
        KindArg::Movie => MediaKind::Movie,
        KindArg::Tv => MediaKind::Show,
    });
    let job = JobKind::Dedupe;
    let steps: Vec<StepKind> = if global.dry_run {
        job.steps()
            .iter()
            .copied()
            .filter(|s| media.is_none_or(|m| s.media() == m))
            .collect()
    } else {
        job.switched_on(&config.settings.steps, media)
    };
    if steps.is_empty() {
        let file = config
            .source
            .as_ref()
            .map_or_else(|| "the config".to_owned(), |p| p.display().to_string());
        let keys = match media {
            Some(MediaKind::Movie) => "`run_plex_duplicate_cleaner: true`",
            Some(MediaKind::Show) => "`run_sonarr_duplicate_cleaner: true`",
            None => {
                "`run_plex_duplicate_cleaner: true` (movies) or `run_sonarr_duplicate_cleaner: true` (episodes)"
            }
        };
        return Err(Failure::Fatal(format!(
            "the duplicate cleaner is off in {file}, so `curator dedupe` deletes nothing\n  \
             it deletes files: review what it would delete with `curator --dry-run dedupe`, \
             then switch it on with {keys} under scripts_run"
        )));
    }
    run_only_with(global, config, &steps, job.title()).await
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
