//! The duplicate episode cleaner: the movie cleaner's rules and guards
//! (`steps/cleaner.rs`, `dedupe.rs`) over the TV library's episodes, then
//! the cleaned episodes unmonitored in Sonarr so the deleted copies are not
//! fetched again.

use std::collections::{BTreeMap, BTreeSet};

use plex_client::{Episode, RatingKey};
use sonarr_client::{EpisodeId, EpisodeMonitor, SeriesId};

use crate::context::RunContext;
use crate::dedupe::{Deletion, plan_dedupe};
use crate::report::{StepKind, StepReport, StepStatus};
use crate::steps::cleaner::{Gate, affected_keys, count_plan, delete_all, gate, replan};
use crate::steps::sonarr_match::{match_shows, series_list};

const STEP: StepKind = StepKind::TvDuplicateCleaner;

/// Deletes lower-quality duplicate episode versions through Plex, then
/// unmonitors those episodes in Sonarr.
///
/// Reads: the sections, the section's episodes with their media in pages
/// (`type=4`, no request per show or episode), and, only when the plan
/// deletes something, one `checkFiles` read per 20 affected episodes.
pub(crate) async fn episode_cleaner(ctx: &mut RunContext) -> StepReport {
    let mut report = StepReport::new(STEP);
    let plex = match ctx.plex() {
        Ok(p) => p.clone(),
        Err(why) => return StepReport::skipped(STEP, why.to_string()),
    };
    let section = match ctx.section_key(curator_http::MediaKind::Show).await {
        Ok(s) => s,
        Err(error) => {
            report.status = StepStatus::Failed(error);
            return report;
        }
    };
    let episodes = match plex.section_episodes(&section).await {
        Ok(e) => e,
        Err(error) => {
            report.status = StepStatus::Failed(format!("{error:#}"));
            return report;
        }
    };
    report.count("episodes", episodes.len() as u64);
    let settings = &ctx.settings.dedupe;
    let first = plan_dedupe(&episodes, settings);
    let plan = if first.deletions.is_empty() {
        first
    } else {
        // As for movies: Plex looks at every copy's file in the affected
        // groups first, so a copy whose file is gone never stays.
        let keys = affected_keys(&episodes, &first);
        let fresh = match plex.check_episode_files(&keys).await {
            Ok(fresh) => fresh,
            Err(error) => {
                report.status = StepStatus::Failed(format!(
                    "could not check the duplicates' files on disk, so nothing was deleted: {error:#}"
                ));
                return report;
            }
        };
        match replan(&episodes, &keys, fresh, &section, settings) {
            Ok(plan) => plan,
            Err(why) => {
                report.status = StepStatus::Failed(why);
                return report;
            }
        }
    };
    count_plan(&mut report, &plan);
    if plan.deletions.is_empty() {
        return report;
    }
    let used = ctx.deletions_this_run();
    let dry_run = ctx.dry_run();
    let done: Vec<&Deletion> = match gate(
        plex.as_ref(),
        &plan,
        settings.max_deletions_per_run,
        used,
        dry_run,
        &mut report,
    )
    .await
    {
        Gate::Stop => return report,
        Gate::DryRun => plan.deletions.iter().collect(),
        Gate::Go => delete_all(plex.as_ref(), &plan, &mut report).await,
    };
    ctx.count_deletions(if dry_run {
        plan.deletions.len()
    } else {
        done.len()
    });
    if done.is_empty() {
        return report;
    }
    let cleaned: Vec<&Episode> = {
        let keys: BTreeSet<&RatingKey> = done.iter().map(|d| &d.rating_key).collect();
        episodes
            .iter()
            .filter(|e| keys.contains(&e.rating_key))
            .collect()
    };
    unmonitor_cleaned(ctx, &cleaned, &mut report).await;
    report
}

/// Unmonitors the cleaned episodes in Sonarr (planned only, in a dry run):
/// their shows' ids from Plex (one batched read), Sonarr's series list,
/// the episodes of each matched series, one bulk `episode/monitor`.
async fn unmonitor_cleaned(ctx: &RunContext, cleaned: &[&Episode], report: &mut StepReport) {
    let Some(sonarr) = ctx.services.sonarr.clone() else {
        report
            .notes
            .push("Sonarr is not configured: the cleaned episodes stay monitored there".into());
        return;
    };
    let Ok(plex) = ctx.plex() else { return };
    let show_keys: Vec<RatingKey> = cleaned
        .iter()
        .map(|e| e.show.rating_key.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let shows = match plex.shows_by_key(&show_keys).await {
        Ok(s) => s,
        Err(error) => {
            report.failures.push(format!(
                "reading the cleaned episodes' shows, so nothing was unmonitored in Sonarr: {error:#}"
            ));
            return;
        }
    };
    let series = match series_list(ctx, sonarr.as_ref()).await {
        Ok(s) => s,
        Err(error) => {
            report.failures.push(format!("sonarr: {error:#}"));
            return;
        }
    };
    let matched = match_shows(&shows, &series);
    report.notes.extend(matched.uncertain.iter().cloned());
    // Season and episode numbers per series.
    let mut wanted: BTreeMap<SeriesId, BTreeSet<(i64, i64)>> = BTreeMap::new();
    for e in cleaned {
        if let (Some(id), Some(season), Some(number)) =
            (matched.series.get(&e.show.rating_key), e.season, e.episode)
        {
            wanted
                .entry(*id)
                .or_default()
                .insert((i64::from(season), i64::from(number)));
        }
    }
    let mut ids: Vec<EpisodeId> = Vec::new();
    for (series_id, numbers) in &wanted {
        match sonarr.episodes(*series_id).await {
            Ok(list) => {
                for e in list.iter().filter(|e| {
                    e.monitored
                        && numbers
                            .contains(&(i64::from(e.season_number), i64::from(e.episode_number)))
                }) {
                    ids.push(e.id);
                    if ctx.dry_run() {
                        let title = series
                            .iter()
                            .find(|s| s.id == *series_id)
                            .map_or("?", |s| s.title.as_str());
                        report.planned.push(format!(
                            "unmonitor {title} S{:02}E{:02} in Sonarr",
                            e.season_number, e.episode_number
                        ));
                    }
                }
            }
            Err(error) => report
                .failures
                .push(format!("sonarr: episodes of series {series_id}: {error:#}")),
        }
    }
    if ids.is_empty() || ctx.dry_run() {
        return;
    }
    let result = sonarr
        .monitor_episodes(&EpisodeMonitor::new(ids.clone(), false))
        .await;
    report.count("unmonitored_in_sonarr", applied(&ids, &result) as u64);
    if let Err(error) = result {
        report
            .failures
            .push(format!("unmonitoring episodes in Sonarr: {error:#}"));
    }
}

/// How many of `ids` a bulk `episode/monitor` surely changed: all on
/// success, those outside the failed chunks on a chunk failure, none on
/// any other error.
pub(super) fn applied(ids: &[EpisodeId], result: &sonarr_client::Result<()>) -> usize {
    match result {
        Ok(()) => ids.len(),
        Err(error) => {
            let unsure = error.unsure_episodes();
            if unsure.is_empty() {
                0
            } else {
                ids.iter().filter(|id| !unsure.contains(id)).count()
            }
        }
    }
}
