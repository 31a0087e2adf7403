//! Handing missing shows to Sonarr: the show's TVDB id from TMDb (Sonarr
//! adds by TVDB id only), one series list and the tags once per run, an add
//! per show Sonarr lacks, and a show Sonarr has unmonitored monitored again
//! and searched for once.
//!
//! Nothing invented reaches Sonarr: every show here is a TMDb TV id the
//! resolution verified, and its TVDB id is TMDb's `external_ids.tvdb_id`; a
//! show without one is reported ([`Outcome::NoTvdbId`]), never sent.

use std::collections::BTreeMap;

use curator_http::{TmdbId, TvdbId};
use sonarr_client::{AddOutcome, AddSeries, MonitorType, Series, SonarrApi, TagId};

use crate::arr_tags::{self, Arr};
use crate::context::RunContext;
use crate::radarr::MissingMovie;
use crate::report::{Outcome, StepReport};
use crate::settings::SonarrSettings;

/// How a step's one message about an unreachable Sonarr begins.
const SONARR_FAILED: &str = "Sonarr failed: ";

/// Sends `shows` to Sonarr tagged with `labels`; returns each show's
/// outcome. Per-show failures are outcomes, not errors.
pub(crate) async fn hand_off(
    ctx: &RunContext,
    shows: &[MissingMovie],
    labels: &[String],
    report: &mut StepReport,
) -> BTreeMap<TmdbId, Outcome> {
    let mut outcomes = BTreeMap::new();
    if shows.is_empty() {
        return outcomes;
    }
    let settings = ctx.settings.tv.as_ref().and_then(|tv| tv.sonarr.as_ref());
    let (Some(sonarr), Some(settings)) = (&ctx.services.sonarr, settings) else {
        report.notes.push(format!(
            "{} missing show(s) not sent: Sonarr is not configured",
            shows.len()
        ));
        for s in shows {
            outcomes.insert(s.tmdb_id, Outcome::MissingNoSonarr);
        }
        return outcomes;
    };
    if !settings.auto_download {
        report.notes.push(format!(
            "{} missing show(s) kept as pending, not sent: \
             sonarr.auto_download_recommendations is off",
            shows.len()
        ));
        for s in shows {
            outcomes.insert(s.tmdb_id, Outcome::PendingNotSent);
        }
        return outcomes;
    }
    let sonarr = sonarr.as_ref();

    // Sonarr adds by TVDB id: TMDb's external id, one request per show
    // (kept in TMDb's file cache).
    let mut with_tvdb = Vec::new();
    for show in shows {
        match tvdb_id(ctx, show.tmdb_id).await {
            Ok(Some(tvdb)) => with_tvdb.push((show, tvdb)),
            Ok(None) => {
                outcomes.insert(show.tmdb_id, Outcome::NoTvdbId);
            }
            Err(error) => {
                outcomes.insert(
                    show.tmdb_id,
                    Outcome::Failed(format!(
                        "not sent: TMDb could not give its TVDB id: {error}"
                    )),
                );
            }
        }
    }
    if with_tvdb.is_empty() {
        return outcomes;
    }

    if let Err(error) = load_series(ctx, sonarr).await {
        if !report.failures.iter().any(|f| f.starts_with(SONARR_FAILED)) {
            report.failures.push(format!("{SONARR_FAILED}{error}"));
        }
        for (show, _) in with_tvdb {
            outcomes.insert(
                show.tmdb_id,
                Outcome::Failed("not sent: Sonarr could not be asked".into()),
            );
        }
        return outcomes;
    }
    let tag_ids = if ctx.dry_run() {
        Vec::new()
    } else {
        let (ids, failures) = ensure_tags(ctx, sonarr, labels).await;
        report.failures.extend(failures);
        ids
    };

    for (show, tvdb) in with_tvdb {
        let known = {
            let cache = ctx.sonarr_series.lock().await;
            cache.iter().flatten().find(|s| s.tvdb_id == tvdb).cloned()
        };
        let outcome = match known {
            Some(series) if series.monitored => Outcome::AlreadyInSonarr,
            Some(_) if ctx.dry_run() => {
                report.planned.push(format!(
                    "monitor {} in Sonarr ({})",
                    show.label(),
                    settings.monitor.as_str()
                ));
                Outcome::WouldSendToSonarr
            }
            Some(series) => remonitor(ctx, sonarr, settings, series, &tag_ids).await,
            None if ctx.dry_run() => {
                report.planned.push(format!(
                    "add {} to Sonarr with tags {}",
                    show.label(),
                    labels.join(", ")
                ));
                Outcome::WouldSendToSonarr
            }
            None => add(ctx, sonarr, settings, show, tvdb, &tag_ids).await,
        };
        outcomes.insert(show.tmdb_id, outcome);
    }
    outcomes
}

/// The TV library's TMDb id -> rating key map, completed through Sonarr's
/// series list when this run read it (it knows each show's TVDB and TMDb
/// ids), so a pending show that arrives in Plex under its TVDB id alone is
/// found.
pub(crate) async fn plex_keys(
    ctx: &RunContext,
    library: &crate::library::LibraryIndex,
) -> BTreeMap<TmdbId, String> {
    let mut keys = library.tmdb_keys();
    let cache = ctx.sonarr_series.lock().await;
    for series in cache.iter().flatten() {
        if let Some(tmdb) = series.tmdb_id
            && !keys.contains_key(&tmdb)
            && let Some(item) = library.by_tvdb(series.tvdb_id).first()
        {
            keys.insert(tmdb, item.rating_key.0.clone());
        }
    }
    keys
}

/// The show's TVDB id, from TMDb's `external_ids`.
pub(crate) async fn tvdb_id(ctx: &RunContext, id: TmdbId) -> Result<Option<TvdbId>, String> {
    let catalog = ctx
        .catalog(curator_http::MediaKind::Show)
        .map_err(|e| e.to_string())?;
    Ok(ctx.details(catalog, id).await?.and_then(|d| d.tvdb_id))
}

/// Reads Sonarr's series list once per run; a failure is not asked again
/// (the list is unpaged and slow on large libraries).
pub(crate) async fn load_series(ctx: &RunContext, sonarr: &dyn SonarrApi) -> Result<(), String> {
    let mut cache = ctx.sonarr_series.lock().await;
    if cache.is_some() {
        return Ok(());
    }
    let mut failed = ctx.sonarr_series_error.lock().await;
    if let Some(error) = failed.as_ref() {
        return Err(format!("{error} (not asked again in this run)"));
    }
    match sonarr.series_list().await {
        Ok(series) => {
            tracing::info!(series = series.len(), "read Sonarr's series list");
            *cache = Some(series);
            Ok(())
        }
        Err(error) => {
            let text = format!("{error:#}");
            *failed = Some(text.clone());
            Err(text)
        }
    }
}

async fn add(
    ctx: &RunContext,
    sonarr: &dyn SonarrApi,
    settings: &SonarrSettings,
    show: &MissingMovie,
    tvdb: TvdbId,
    tag_ids: &[TagId],
) -> Outcome {
    let request = AddSeries::new(
        tvdb,
        show.title.clone(),
        settings.quality_profile_id,
        settings.root_folder.clone(),
    )
    .with_monitor(settings.monitor)
    .with_tags(tag_ids.to_vec())
    .with_search_on_add(settings.search_on_add)
    .with_season_folder(settings.season_folder);
    match sonarr.add_series(&request).await {
        Ok(AddOutcome::Added(series)) => {
            ctx.sonarr_series
                .lock()
                .await
                .get_or_insert_with(Vec::new)
                .push(*series);
            Outcome::SentToSonarr
        }
        // Added since the list was read: nothing to do twice.
        Ok(_) => Outcome::AlreadyInSonarr,
        // Sonarr's own words (a validation list, its message).
        Err(error) => Outcome::Failed(format!("Sonarr refused it: {error:#}")),
    }
}

/// Monitors a show Sonarr has unmonitored, its seasons as `monitor` says
/// for a new show (the first season by default), with the run's tags, then
/// searches for it once when `search_on_add` is on.
async fn remonitor(
    ctx: &RunContext,
    sonarr: &dyn SonarrApi,
    settings: &SonarrSettings,
    mut series: Series,
    tag_ids: &[TagId],
) -> Outcome {
    series.monitored = true;
    monitor_seasons(&mut series, settings.monitor);
    for tag in tag_ids {
        if !series.tags.contains(tag) {
            series.tags.push(*tag);
        }
    }
    let updated = match sonarr.update_series(&series).await {
        Ok(updated) => updated,
        Err(error) => return Outcome::Failed(format!("Sonarr refused to monitor it: {error:#}")),
    };
    let id = updated.id;
    {
        let mut cache = ctx.sonarr_series.lock().await;
        if let Some(known) = cache.iter_mut().flatten().find(|s| s.id == id) {
            *known = updated;
        }
    }
    if settings.search_on_add
        && let Err(error) = sonarr.search_series(id).await
    {
        return Outcome::Failed(format!(
            "monitored again, but Sonarr's search failed: {error:#}"
        ));
    }
    Outcome::RemonitoredInSonarr
}

/// Sets which seasons are monitored as Sonarr's add-time `monitor` would
/// (specials, season 0, stay as they are): the first season, the last
/// one, every one, or none. Sonarr takes a season's episodes with it when
/// its `monitored` changes (`PUT /api/v3/series/{id}`).
fn monitor_seasons(series: &mut Series, monitor: MonitorType) {
    let numbers: Vec<i32> = series
        .seasons
        .iter()
        .map(|s| s.season_number)
        .filter(|n| *n > 0)
        .collect();
    let first = numbers.iter().copied().min();
    let last = numbers.iter().copied().max();
    for season in series.seasons.iter_mut().filter(|s| s.season_number > 0) {
        let n = Some(season.season_number);
        season.monitored = match monitor {
            MonitorType::FirstSeason | MonitorType::Pilot => n == first,
            MonitorType::LastSeason | MonitorType::LatestSeason => n == last,
            MonitorType::None => false,
            MonitorType::Skip | MonitorType::Unknown => season.monitored,
            _ => true,
        };
    }
}

/// Sonarr's tags for `labels`, read once per run, the missing ones created.
async fn ensure_tags(
    ctx: &RunContext,
    sonarr: &dyn SonarrApi,
    labels: &[String],
) -> (Vec<TagId>, Vec<String>) {
    let arr = Arr {
        key: "sonarr",
        name: "Sonarr",
        items: "shows",
    };
    arr_tags::ensure_tags(
        arr,
        &ctx.sonarr_tags,
        labels,
        || sonarr.tags(),
        |label| async move { sonarr.create_tag(&label).await },
    )
    .await
}

#[cfg(test)]
mod tests {
    use sonarr_client::{Season, SeriesId};

    use super::*;

    #[test]
    fn seasons_are_monitored_as_the_monitor_type_says() {
        let mut series = Series::new(SeriesId(1), TvdbId(81189), "Breaking Bad", 2008);
        series.seasons = (0..=3).map(|n| Season::new(n, false)).collect();
        let monitored = |s: &Series| -> Vec<i32> {
            s.seasons
                .iter()
                .filter(|s| s.monitored)
                .map(|s| s.season_number)
                .collect()
        };
        monitor_seasons(&mut series, MonitorType::FirstSeason);
        assert_eq!(monitored(&series), [1]);
        monitor_seasons(&mut series, MonitorType::LastSeason);
        assert_eq!(monitored(&series), [3]);
        monitor_seasons(&mut series, MonitorType::All);
        assert_eq!(monitored(&series), [1, 2, 3]);
        monitor_seasons(&mut series, MonitorType::None);
        assert!(monitored(&series).is_empty());
    }
}
