//! The runner: the enabled steps in order, past failures, into one report.

use std::time::Instant;

use curator_http::MediaKind;

use crate::collection::SmallCollection;
use crate::context::RunContext;
use crate::error::StateError;
use crate::migrate;
use crate::observer::RunObserver;
use crate::report::{RunReport, StepKind, StepReport, StepStatus};
use crate::settings::Settings;
use crate::state::LoadedPoints;
use crate::steps::{self, Seed, SeedCheck};

/// What to run.
#[derive(Debug, Clone, Default)]
pub struct RunRequest {
    /// The watched title (a movie, or an episode's show); steps that need
    /// one are skipped without it. Its [`Seed::kind`] decides which steps
    /// the run does (see [`RunRequest::steps`]).
    pub seed: Option<Seed>,
    /// Run only these steps (still in run order, still only if enabled).
    pub only: Option<Vec<StepKind>>,
}

impl RunRequest {
    /// The steps this run reports on, in run order: a movie run's steps
    /// ([`StepKind::MOVIE`]) for a watched movie, a show run's
    /// ([`StepKind::TV`]) for a watched show, and without a seed both
    /// kinds' (the TV steps only when [`Settings::tv`] is set); then only
    /// those in [`RunRequest::only`]. A step switched off is still listed
    /// (reported as skipped).
    pub fn steps(&self, settings: &Settings) -> Vec<StepKind> {
        let kinds: &[MediaKind] = match &self.seed {
            Some(seed) => std::slice::from_ref(&seed.kind),
            None if settings.tv.is_some() => &MediaKind::ALL,
            None => &[MediaKind::Movie],
        };
        StepKind::ALL
            .into_iter()
            .filter(|step| kinds.contains(&step.media()))
            .filter(|step| self.only.as_ref().is_none_or(|only| only.contains(step)))
            .collect()
    }
}

/// Checks every state file can be read, so a damaged one stops the run
/// before any step changes anything.
///
/// # Errors
/// The first [`StateError`] found.
pub fn preflight(ctx: &RunContext) -> Result<(), StateError> {
    match ctx.data.load_points()? {
        LoadedPoints::Missing | LoadedPoints::Current(_) | LoadedPoints::Legacy(_) => {}
    }
    if ctx.settings.tv.is_some() {
        ctx.data.load_points_of(MediaKind::Show)?;
    }
    for which in SmallCollection::ALL {
        ctx.data.load_collection(which)?;
    }
    crate::approvals::load(&ctx.data)?;
    Ok(())
}

/// Runs the enabled steps in order. A step that fails is reported and the
/// next one runs.
///
/// # Errors
/// Only [`StateError`]s from the preflight check: then nothing ran.
pub async fn run(
    ctx: &mut RunContext,
    request: &RunRequest,
    observer: &dyn RunObserver,
) -> Result<RunReport, StateError> {
    let started = Instant::now();
    preflight(ctx)?;
    ctx.only.clone_from(&request.only);
    let mut report = RunReport {
        seed: request.seed.as_ref().map(Seed::label),
        dry_run: ctx.dry_run(),
        steps: Vec::new(),
        notes: Vec::new(),
        migration: None,
        duration: Default::default(),
    };
    let steps = request.steps(&ctx.settings);
    let runs = |step: &StepKind| ctx.settings.steps.is_enabled(*step) && steps.contains(step);
    let migrating: Vec<MediaKind> = MediaKind::ALL
        .into_iter()
        .filter(|kind| {
            migrate::wanted(
                StepKind::ALL
                    .into_iter()
                    .filter(|s| s.media() == *kind)
                    .filter(runs),
            )
        })
        .collect();
    if !migrating.is_empty() {
        report.migration = migrate::migrate(ctx, &migrating).await;
        if let Some(migration) = &report.migration {
            // What TMDb confirmed is worth keeping even if a step is killed.
            ctx.checkpoint().await;
            observer.migrated(migration);
        }
    }
    // The library and Radarr's movie list do not depend on the first
    // step's LLM request: they are read while it runs, when a step of this
    // run is sure to read them anyway.
    let reads_library = [
        StepKind::RecentlyWatched,
        StepKind::DuplicateCleaner,
        StepKind::MonitorConfirm,
        StepKind::ImmaculateTaste,
        StepKind::TvRecentlyWatched,
        StepKind::TvImmaculateTaste,
    ]
    .iter()
    .filter(|s| runs(s) && (!s.needs_seed() || request.seed.is_some()))
    .find_map(|s| match s {
        StepKind::MonitorConfirm => ctx.services.radarr.is_some().then_some(MediaKind::Movie),
        StepKind::DuplicateCleaner => Some(MediaKind::Movie),
        StepKind::TvRecentlyWatched | StepKind::TvImmaculateTaste => {
            ctx.services.tmdb_tv.is_some().then_some(MediaKind::Show)
        }
        _ => ctx.services.tmdb.is_some().then_some(MediaKind::Movie),
    });
    // A watched title must be one TMDb knows before anything is suggested
    // from it: otherwise the run changes nothing at all.
    let seeded = steps.iter().any(|s| s.needs_seed() && runs(s));
    let checked_seed = match &request.seed {
        Some(seed) if seeded => match steps::check_seed(ctx, seed).await {
            SeedCheck::Known(known) => Some(known),
            SeedCheck::Unknown(why) => {
                let kind = seed.kind;
                tracing::info!(seed = %seed.label(), %kind, "the watched title is not a known one; nothing runs");
                for &step in &steps {
                    let why = if ctx.settings.steps.is_enabled(step) {
                        format!("not a known {kind}: {why}")
                    } else {
                        "switched off in the config".to_owned()
                    };
                    report.steps.push(StepReport::skipped(step, why));
                }
                report
                    .notes
                    .push(format!("skipped: not a known {kind}: {why}"));
                report.duration = started.elapsed();
                return Ok(report);
            }
            SeedCheck::Unchecked => Some(seed.clone()),
        },
        other => other.clone(),
    };
    let reads_radarr = runs(&StepKind::MonitorConfirm) && ctx.services.radarr.is_some();
    let mut prefetch =
        (reads_library.is_some() || reads_radarr).then_some((reads_library, reads_radarr));
    for step in steps {
        if step.media() == MediaKind::Show && ctx.settings.tv.is_none() {
            report.steps.push(StepReport::skipped(
                step,
                "TV is off: set plex.tv_library_name to the TV library's name",
            ));
            continue;
        }
        if !ctx.settings.steps.is_enabled(step) {
            report
                .steps
                .push(StepReport::skipped(step, "switched off in the config"));
            continue;
        }
        observer.step_started(step);
        let step_started = Instant::now();
        let mut step_report = match (step.needs_seed(), &checked_seed) {
            (true, None) => StepReport::skipped(step, no_seed(step)),
            (true, Some(seed)) if prefetch.is_some() => {
                let (library, radarr) = prefetch.take().unwrap_or_default();
                let ctx: &RunContext = ctx;
                let (report, ()) = tokio::join!(
                    run_seeded(ctx, step, seed, observer),
                    ctx.prefetch(library, radarr)
                );
                report
            }
            (_, seed) => {
                if let Some((library, radarr)) = prefetch.take() {
                    ctx.prefetch(library, radarr).await;
                }
                run_step(ctx, step, seed.as_ref(), observer).await
            }
        };
        step_report.duration = step_started.elapsed();
        if let StepStatus::Failed(error) = &step_report.status {
            tracing::warn!(step = ?step, %error, "step failed; continuing with the next");
        } else {
            tracing::info!(step = ?step, ms = step_report.duration.as_millis() as u64, "step finished");
        }
        ctx.checkpoint().await;
        observer.step_finished(&step_report);
        report.steps.push(step_report);
    }
    report.duration = started.elapsed();
    Ok(report)
}

/// A step that starts from the watched movie.
async fn run_seeded(
    ctx: &RunContext,
    step: StepKind,
    seed: &Seed,
    observer: &dyn RunObserver,
) -> StepReport {
    match step {
        StepKind::RecentlyWatched | StepKind::TvRecentlyWatched => {
            steps::recently_watched(ctx, seed, observer).await
        }
        StepKind::ImmaculateTaste | StepKind::TvImmaculateTaste => {
            steps::immaculate_taste(ctx, seed, observer).await
        }
        other => StepReport::skipped(other, no_seed(other)),
    }
}

/// Why a step that needs a watched title did not run.
fn no_seed(step: StepKind) -> &'static str {
    match step.media() {
        MediaKind::Movie => "no watched movie was given",
        MediaKind::Show => "no watched show was given",
    }
}

async fn run_step(
    ctx: &mut RunContext,
    step: StepKind,
    seed: Option<&Seed>,
    observer: &dyn RunObserver,
) -> StepReport {
    match (step, seed) {
        (StepKind::RecentlyWatched | StepKind::TvRecentlyWatched, Some(seed)) => {
            steps::recently_watched(ctx, seed, observer).await
        }
        (StepKind::ImmaculateTaste | StepKind::TvImmaculateTaste, Some(seed)) => {
            steps::immaculate_taste(ctx, seed, observer).await
        }
        (StepKind::DuplicateCleaner, _) => steps::duplicate_cleaner(ctx).await,
        (StepKind::MonitorConfirm, _) => steps::monitor_confirm(ctx).await,
        (StepKind::TvDuplicateCleaner, _) => steps::episode_cleaner(ctx).await,
        (StepKind::SonarrMonitorConfirm, _) => steps::sonarr_monitor_confirm(ctx).await,
        (StepKind::SonarrSearchMonitored, _) => steps::sonarr_search_monitored(ctx).await,
        (StepKind::RecentlyWatchedRefresher | StepKind::TvRecentlyWatchedRefresher, _) => {
            steps::recently_watched_refresher(ctx, step.media(), observer).await
        }
        (StepKind::ImmaculateTasteRefresher | StepKind::TvImmaculateTasteRefresher, _) => {
            steps::immaculate_taste_refresher(ctx, step.media(), observer).await
        }
        (step, None) => StepReport::skipped(step, no_seed(step)),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::context::{Checkpoint, Services};
    use crate::observer::Quiet;
    use crate::settings::{Settings, StepToggles};
    use crate::state::DataDir;

    #[derive(Default)]
    struct Count(AtomicUsize);

    #[async_trait::async_trait]
    impl Checkpoint for Count {
        async fn step_done(&self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// A movie run lists the movie steps, a show run the TV steps, a run
    /// without a seed both kinds' (TV only when it is on); a show run with
    /// TV off skips its steps saying how to turn it on.
    #[tokio::test]
    async fn the_seeds_kind_decides_the_steps() {
        let movie = RunRequest {
            seed: Some(Seed::new("Inception")),
            only: None,
        };
        let show = RunRequest {
            seed: Some(Seed::show("Severance")),
            only: None,
        };
        let refresh = RunRequest {
            seed: None,
            only: Some(vec![
                StepKind::ImmaculateTasteRefresher,
                StepKind::TvImmaculateTasteRefresher,
            ]),
        };
        let off = Settings::default();
        let on = Settings {
            tv: Some(crate::settings::TvSettings::default()),
            ..Settings::default()
        };
        assert_eq!(movie.steps(&on), StepKind::MOVIE);
        assert_eq!(movie.steps(&off), StepKind::MOVIE);
        assert_eq!(show.steps(&on), StepKind::TV);
        assert_eq!(RunRequest::default().steps(&on), StepKind::ALL);
        assert_eq!(RunRequest::default().steps(&off), StepKind::MOVIE);
        assert_eq!(
            refresh.steps(&on),
            [
                StepKind::ImmaculateTasteRefresher,
                StepKind::TvImmaculateTasteRefresher
            ]
        );
        assert_eq!(refresh.steps(&off), [StepKind::ImmaculateTasteRefresher]);

        let dir = tempfile::tempdir().unwrap();
        let mut ctx = RunContext::new(
            Services::default(),
            off,
            DataDir::new(dir.path()),
            time::macros::date!(2026 - 12 - 01),
        );
        let report = run(&mut ctx, &show, &Quiet).await.unwrap();
        let steps: Vec<StepKind> = report.steps.iter().map(|s| s.step).collect();
        assert_eq!(steps, StepKind::TV);
        for step in &report.steps {
            assert_eq!(
                step.status,
                StepStatus::Skipped(
                    "TV is off: set plex.tv_library_name to the TV library's name".into()
                )
            );
        }
    }

    /// The CLI saves the TMDb cache at each checkpoint, so a run killed in
    /// its last step keeps what the earlier ones learned.
    #[tokio::test]
    async fn the_checkpoint_runs_after_every_step_that_ran() {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings {
            steps: StepToggles::only(&[
                StepKind::RecentlyWatched,
                StepKind::MonitorConfirm,
                StepKind::ImmaculateTasteRefresher,
            ]),
            ..Settings::default()
        };
        let mut ctx = RunContext::new(
            Services::default(),
            settings,
            DataDir::new(dir.path()),
            time::macros::date!(2026 - 12 - 01),
        );
        let count = Arc::new(Count::default());
        ctx.set_checkpoint(count.clone());
        let report = run(&mut ctx, &RunRequest::default(), &Quiet).await.unwrap();
        assert_eq!(report.steps.len(), 6);
        assert_eq!(count.0.load(Ordering::SeqCst), 3);
    }
}
