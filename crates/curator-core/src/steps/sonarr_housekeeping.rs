//! Sonarr housekeeping: the monitor confirm (episodes Plex has are
//! unmonitored, ended series Plex has whole too) and the search for
//! monitored missing episodes.
//!
//! Sonarr's facts used here, from its source (`src/Sonarr.Api.V3/Episodes/
//! EpisodeResource.cs`, `src/NzbDrone.Core/Tv/SeriesStatusType.cs`, as
//! `sonarr-client` models them): an episode has `seasonNumber` (0 for
//! specials), `episodeNumber`, `airDateUtc`, `hasFile` and `monitored`; a
//! series' `status` is `continuing`, `ended`, `upcoming` or `deleted`.

use std::collections::{BTreeMap, BTreeSet};

use plex_client::RatingKey;
use sonarr_client::{EpisodeId, EpisodeMonitor, SeriesEditor, SeriesId, SeriesStatus};
use time::Date;

use crate::context::{RunContext, Service};
use crate::report::{StepKind, StepReport, StepStatus};
use crate::steps::episode_cleaner::applied;
use crate::steps::sonarr_match::{match_shows, series_list};

/// Unmonitors, in bulk, every monitored Sonarr episode Plex already has
/// (specials aside), and every ended, monitored series of which Plex has
/// every aired episode.
///
/// Reads: the sections, the TV section's shows and its episodes (in
/// pages), Sonarr's series list, and the episodes of each matched series
/// that has anything monitored (Sonarr lists episodes per series only).
pub(crate) async fn sonarr_monitor_confirm(ctx: &RunContext) -> StepReport {
    const STEP: StepKind = StepKind::SonarrMonitorConfirm;
    let mut report = StepReport::new(STEP);
    let Some(sonarr) = ctx.services.sonarr.clone() else {
        return StepReport::skipped(STEP, Service::Sonarr.to_string());
    };
    let plex = match ctx.plex() {
        Ok(p) => p.clone(),
        Err(why) => return StepReport::skipped(STEP, why.to_string()),
    };
    let fail = |mut report: StepReport, why: String| {
        report.status = StepStatus::Failed(why);
        report
    };
    let section = match ctx.section_key(curator_http::MediaKind::Show).await {
        Ok(s) => s,
        Err(error) => return fail(report, error),
    };
    let shows = match plex.shows(&section).await {
        Ok(s) => s,
        Err(error) => return fail(report, format!("{error:#}")),
    };
    let episodes = match plex.section_episodes(&section).await {
        Ok(e) => e,
        Err(error) => return fail(report, format!("{error:#}")),
    };
    let series = match series_list(ctx, sonarr.as_ref()).await {
        Ok(s) => s,
        Err(error) => return fail(report, format!("sonarr: {error:#}")),
    };
    let matched = match_shows(&shows, &series);
    report.count("sonarr_series", series.len() as u64);
    report.count("plex_shows", shows.len() as u64);
    report.count("matched_shows", matched.series.len() as u64);
    report.count("not_in_sonarr", matched.not_in_sonarr as u64);
    report.count("uncertain_shows", matched.uncertain.len() as u64);
    report.notes.extend(matched.uncertain.iter().cloned());

    // What Plex has, per Sonarr series: season and episode numbers.
    let mut in_plex: BTreeMap<SeriesId, BTreeSet<(i32, i32)>> = BTreeMap::new();
    for e in &episodes {
        let Some(id) = matched.series.get(&e.show.rating_key) else {
            continue;
        };
        let (Some(season), Some(number)) = (e.season, e.episode) else {
            continue;
        };
        let (Ok(season), Ok(number)) = (i32::try_from(season), i32::try_from(number)) else {
            continue;
        };
        in_plex.entry(*id).or_default().insert((season, number));
    }
    let shows_of: BTreeMap<SeriesId, Vec<&RatingKey>> =
        matched
            .series
            .iter()
            .fold(BTreeMap::new(), |mut map, (show, id)| {
                map.entry(*id).or_insert_with(Vec::new).push(show);
                map
            });

    let mut unmonitor: Vec<EpisodeId> = Vec::new();
    let mut whole: Vec<(SeriesId, String)> = Vec::new();
    let today = ctx.today;
    for s in series.iter().filter(|s| shows_of.contains_key(&s.id)) {
        // Nothing monitored, nothing to do: its episodes are not read.
        if !s.monitored && !s.seasons.iter().any(|season| season.monitored) {
            continue;
        }
        let list = match sonarr.episodes(s.id).await {
            Ok(list) => list,
            Err(error) => {
                report
                    .failures
                    .push(format!("sonarr: episodes of {}: {error:#}", s.title));
                continue;
            }
        };
        let has = in_plex.get(&s.id);
        let held = |e: &sonarr_client::Episode| {
            has.is_some_and(|h| h.contains(&(e.season_number, e.episode_number)))
        };
        // Specials are left as Sonarr has them.
        let regular = || list.iter().filter(|e| !e.is_special());
        let mine: Vec<EpisodeId> = regular()
            .filter(|e| e.monitored && held(e))
            .map(|e| e.id)
            .collect();
        if !mine.is_empty() && ctx.dry_run() {
            report.planned.push(format!(
                "unmonitor {} episode(s) of {} in Sonarr: {}",
                mine.len(),
                s.title,
                regular()
                    .filter(|e| e.monitored && held(e))
                    .map(|e| format!("S{:02}E{:02}", e.season_number, e.episode_number))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        unmonitor.extend(mine);
        let aired: Vec<_> = regular().filter(|e| aired(e, today)).collect();
        if s.monitored
            && s.status == Some(SeriesStatus::Ended)
            && !aired.is_empty()
            && aired.iter().all(|e| held(e))
        {
            whole.push((s.id, s.title.clone()));
        }
    }
    report.count("monitored_in_plex", unmonitor.len() as u64);
    report.count("ended_series_complete", whole.len() as u64);
    if ctx.dry_run() {
        report.planned.extend(whole.iter().map(|(_, title)| {
            format!("unmonitor the series {title} in Sonarr (ended, every aired episode in Plex)")
        }));
        return report;
    }
    if !unmonitor.is_empty() {
        let result = sonarr
            .monitor_episodes(&EpisodeMonitor::new(unmonitor.clone(), false))
            .await;
        report.count("unmonitored_episodes", applied(&unmonitor, &result) as u64);
        if let Err(error) = result {
            report
                .failures
                .push(format!("unmonitoring episodes: {error:#}"));
        }
    }
    if !whole.is_empty() {
        let ids: Vec<SeriesId> = whole.iter().map(|(id, _)| *id).collect();
        let result = sonarr
            .edit_series(&SeriesEditor::new(ids.clone()).with_monitored(false))
            .await;
        let unsure = match &result {
            Ok(()) => Vec::new(),
            Err(error) if error.unchanged_series().is_empty() => ids.clone(),
            Err(error) => error.unchanged_series(),
        };
        let done: Vec<SeriesId> = ids.into_iter().filter(|id| !unsure.contains(id)).collect();
        report.count("unmonitored_series", done.len() as u64);
        // Later steps of the run (the hand-off) see them as Sonarr has them.
        let mut cache = ctx.sonarr_series.lock().await;
        for s in cache.iter_mut().flatten().filter(|s| done.contains(&s.id)) {
            s.monitored = false;
        }
        drop(cache);
        if let Err(error) = result {
            report
                .failures
                .push(format!("unmonitoring series: {error:#}"));
        }
    }
    report
}

/// True when the episode airs on or before `today` (UTC; today counts, so
/// a series is never taken as complete while today's episode is still on
/// its way). An episode without an air date has not aired.
fn aired(episode: &sonarr_client::Episode, today: Date) -> bool {
    let Some(at) = episode.air_date_utc.as_deref() else {
        return false;
    };
    let format = time::macros::format_description!("[year]-[month]-[day]");
    at.get(..10)
        .and_then(|day| Date::parse(day, format).ok())
        .is_some_and(|day| day <= today)
}

/// Asks Sonarr once to search every monitored episode that has aired and
/// has no file (`MissingEpisodeSearch` without a series: Sonarr walks its
/// whole library itself), rather than one command per series.
pub(crate) async fn sonarr_search_monitored(ctx: &RunContext) -> StepReport {
    const STEP: StepKind = StepKind::SonarrSearchMonitored;
    let mut report = StepReport::new(STEP);
    let Some(sonarr) = ctx.services.sonarr.clone() else {
        return StepReport::skipped(STEP, Service::Sonarr.to_string());
    };
    if ctx.dry_run() {
        report.planned.push(
            "ask Sonarr to search every monitored missing episode (MissingEpisodeSearch)".into(),
        );
        return report;
    }
    match sonarr.search_missing_episodes(None).await {
        Ok(command) => {
            report.count("commands", 1);
            report.notes.push(format!(
                "Sonarr searches every monitored missing episode (command {})",
                command.id
            ));
        }
        Err(error) => report.status = StepStatus::Failed(format!("{error:#}")),
    }
    report
}
