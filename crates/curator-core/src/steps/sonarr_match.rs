//! Plex shows to Sonarr series, for the TV housekeeping steps: the TV
//! section, and a match that is certain or none.
//!
//! A show is matched by its TVDB id (the id Sonarr keys series by), else
//! by its TMDb TV id. A match is certain only when exactly one Sonarr
//! series carries the id and no other id of the two disagrees; anything
//! else is reported and left alone, so nothing is unmonitored for a show
//! Plex may have matched wrongly.

use std::collections::BTreeMap;

use plex_client::{RatingKey, Show};
use sonarr_client::{Series, SeriesId, SonarrApi};

use crate::context::RunContext;

/// Sonarr's series list, read once per run and shared with the hand-off
/// (`sonarr::load_series`).
///
/// # Errors
/// A readable message when Sonarr fails (not asked again in the run).
pub(super) async fn series_list(
    ctx: &RunContext,
    sonarr: &dyn SonarrApi,
) -> Result<Vec<Series>, String> {
    crate::sonarr::load_series(ctx, sonarr).await?;
    Ok(ctx.sonarr_series.lock().await.clone().unwrap_or_default())
}

/// How the Plex shows matched Sonarr's series.
#[derive(Debug, Default)]
pub(super) struct ShowMatch {
    /// Plex show key to the Sonarr series it certainly is.
    pub(super) series: BTreeMap<RatingKey, SeriesId>,
    /// Shows Sonarr does not have.
    pub(super) not_in_sonarr: usize,
    /// Why some shows were not matched, one line each.
    pub(super) uncertain: Vec<String>,
}

/// Matches `shows` to `series` (see the module's rules).
pub(super) fn match_shows(shows: &[Show], series: &[Series]) -> ShowMatch {
    let mut by_tvdb: BTreeMap<u32, Vec<&Series>> = BTreeMap::new();
    let mut by_tmdb: BTreeMap<u32, Vec<&Series>> = BTreeMap::new();
    for s in series {
        if s.tvdb_id.0 != 0 {
            by_tvdb.entry(s.tvdb_id.0).or_default().push(s);
        }
        if let Some(tmdb) = s.tmdb_id.filter(|t| t.0 != 0) {
            by_tmdb.entry(tmdb.0).or_default().push(s);
        }
    }
    let mut found = ShowMatch::default();
    for show in shows {
        let label = match show.year {
            Some(year) => format!("{} ({year})", show.title),
            None => show.title.clone(),
        };
        let candidates: &[&Series] = match (show.tvdb_id, show.tmdb_id) {
            (Some(tvdb), _) => by_tvdb.get(&tvdb.0).map_or(&[], Vec::as_slice),
            (None, Some(tmdb)) => by_tmdb.get(&tmdb.0).map_or(&[], Vec::as_slice),
            (None, None) => {
                found.uncertain.push(format!(
                    "{label}: Plex knows no TVDB or TMDb id for it, so it is not matched \
                     to Sonarr; nothing of it was unmonitored"
                ));
                continue;
            }
        };
        match candidates {
            [] => found.not_in_sonarr += 1,
            [one] => {
                let tmdb_disagrees = matches!(
                    (show.tmdb_id, one.tmdb_id),
                    (Some(a), Some(b)) if b.0 != 0 && a != b
                );
                if tmdb_disagrees {
                    found.uncertain.push(format!(
                        "{label}: Plex and Sonarr ({}) agree on the TVDB id but not on the \
                         TMDb id, so it is not matched; nothing of it was unmonitored",
                        one.title
                    ));
                } else {
                    found.series.insert(show.rating_key.clone(), one.id);
                }
            }
            several => found.uncertain.push(format!(
                "{label}: {} Sonarr series carry its id ({}), so it is not matched; \
                 nothing of it was unmonitored",
                several.len(),
                several
                    .iter()
                    .map(|s| s.title.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
    found
}
