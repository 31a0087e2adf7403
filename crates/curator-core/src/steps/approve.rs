//! Approving held titles: they go through the same hand-off a run uses,
//! with the tags of the list they came from.

use std::collections::BTreeMap;

use curator_http::MediaKind;

use crate::approvals::{ApprovalReport, HeldTitle, Selection, load, pick, update};
use crate::context::RunContext;
use crate::error::StateError;
use crate::radarr::MissingMovie;
use crate::report::{MovieOutcome, Outcome, StepKind, StepReport};
use crate::steps::handoff::{List, send};

/// Sends the selected waiting titles exactly as a run would have: each with
/// its list's tags, the configured profile, root folder and search (movies
/// to Radarr, shows to Sonarr), or as requests to Seerr with
/// `requests.via: seerr`. Titles that reached the service (or that
/// it or Plex already had) leave the list; the ones that failed keep
/// waiting. A dry run plans and changes nothing.
///
/// # Errors
/// [`StateError`] when the approvals file cannot be read or written.
pub async fn approve(
    ctx: &RunContext,
    selection: &Selection,
) -> Result<ApprovalReport, StateError> {
    // Written atomically: a read needs no lock.
    let book = load(&ctx.data)?;
    let (chosen, unknown) = pick(&book, selection);
    let mut report = ApprovalReport {
        unknown,
        ..ApprovalReport::default()
    };
    let mut scratch = StepReport::new(StepKind::RecentlyWatched);
    let mut done = Vec::new();
    let mut groups: BTreeMap<(MediaKind, &str), Vec<&HeldTitle>> = BTreeMap::new();
    for held in &chosen {
        groups
            .entry((held.kind, held.list.as_str()))
            .or_default()
            .push(held);
    }
    for ((kind, list), titles) in groups {
        let missing: Vec<MissingMovie> = titles
            .iter()
            .map(|h| MissingMovie {
                tmdb_id: h.tmdb_id,
                title: h.title.clone(),
                year: h.year,
            })
            .collect();
        let list = List::parse(list).unwrap_or(List::Immaculate);
        let outcomes = send(ctx, kind, list, &missing, &mut scratch).await;
        for held in titles {
            let outcome = outcomes.get(&held.tmdb_id).cloned().unwrap_or(match kind {
                MediaKind::Movie => Outcome::MissingNoRadarr,
                MediaKind::Show => Outcome::MissingNoSonarr,
            });
            if outcome.handed_off() {
                done.push(held.id());
            }
            report.titles.push(MovieOutcome {
                source: held.list.clone(),
                title: held.title.clone(),
                year: held.year,
                tmdb_id: Some(held.tmdb_id.0),
                outcome,
            });
        }
    }
    report.failures = scratch.failures;
    report.notes = scratch.notes;
    if !done.is_empty() {
        update(&ctx.data, ctx.dry_run(), |book| {
            book.waiting.retain(|h| !done.contains(&h.id()));
        })
        .await?;
    }
    Ok(report)
}
