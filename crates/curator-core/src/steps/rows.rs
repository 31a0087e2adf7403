//! The rows step of the refreshers: after a refresher has synced its
//! collections, each is made a row of Home and the Recommended tab where
//! `rows.<key>` says, and our rows are put at the top in `rows.order`.
//!
//! Read first, change only what differs: one read of the section's
//! collections and one of its hubs per refresher, and a write only for a
//! row that is not yet a hub, shows elsewhere than configured, or is out of
//! order. A run where nothing changed sends no hub write. Without a Plex
//! Pass, Plex refuses hub management: that is reported once per run and
//! the rest of the run carries on.

use std::sync::atomic::Ordering;

use plex_client::{Collection, Error, HubVisibility, ManagedHub, PlexApi, SectionKey};
use time::OffsetDateTime;

use crate::context::RunContext;
use crate::order::apply_moves;
use crate::report::StepReport;
use crate::rows::{OurRow, PinnedRow, RowKey, plan_order, plan_visibility, predicted_hubs};

/// The collection title a row has in this run's config.
pub(crate) fn row_title(ctx: &RunContext, row: RowKey) -> &str {
    let names = &ctx.settings.collections;
    match row {
        RowKey::RecentlyWatched => &names.recently_watched,
        RowKey::ChangeOfTaste => &names.change_of_taste,
        RowKey::ImmaculateTaste => &names.immaculate_taste,
    }
}

/// Our collections that exist in the section, as rows.
pub(crate) fn our_rows(
    ctx: &RunContext,
    section: &SectionKey,
    collections: &[Collection],
) -> Vec<OurRow> {
    RowKey::ALL
        .into_iter()
        .filter_map(|row| {
            let title = row_title(ctx, row);
            collections
                .iter()
                .find(|c| c.title == title && !c.smart)
                .map(|c| OurRow::new(section, row, title, c.rating_key.clone()))
        })
        .collect()
}

fn shows(v: HubVisibility) -> String {
    let places: Vec<&str> = [
        (v.recommended, "Recommended"),
        (v.own_home, "Home"),
        (v.shared_home, "friends' Home"),
    ]
    .into_iter()
    .filter_map(|(on, name)| on.then_some(name))
    .collect();
    if places.is_empty() {
        "nowhere".into()
    } else {
        places.join(", ")
    }
}

/// Makes `rows` (the collections this refresher keeps) rows of Home and
/// Recommended as configured, and orders all of our rows. Problems go into
/// `report`; nothing here fails the step.
pub(crate) async fn present_rows(ctx: &RunContext, report: &mut StepReport, rows: &[RowKey]) {
    if ctx.rows_refused.load(Ordering::SeqCst) {
        return;
    }
    let Ok(plex) = ctx.plex() else {
        return;
    };
    let plex = plex.as_ref();
    let section = match ctx.cached_library() {
        Some(library) => library.section().clone(),
        None => match ctx.movie_section_key().await {
            Ok(section) => section,
            Err(error) => {
                report.failures.push(format!("rows: {error}"));
                return;
            }
        },
    };
    if let Err(error) = present(ctx, plex, &section, report, rows).await {
        if error.needs_plex_pass() {
            refused(ctx, report, &error);
        } else if matches!(error, Error::Unsupported { .. }) {
            tracing::debug!(%error, "this Plex implementation has no hub management");
        } else {
            report.failures.push(format!("rows: {error:#}"));
        }
    }
}

/// Reports the refusal once per run and remembers it for the page.
fn refused(ctx: &RunContext, report: &mut StepReport, error: &Error) {
    if ctx.rows_refused.swap(true, Ordering::SeqCst) {
        return;
    }
    let status = error.status().unwrap_or(403);
    report.notes.push(format!(
        "rows: Plex refused to manage Home and Recommended rows ({status}): that needs a Plex Pass. \
         The settings rows.<collection>.visible_library, visible_home, visible_shared and rows.order \
         were not applied; the collections themselves are up to date"
    ));
    if !ctx.dry_run() {
        let mut state = ctx.data.load_rows().unwrap_or_default();
        state.plex_pass_refused = true;
        state.checked_at = Some(OffsetDateTime::now_utc());
        if let Err(error) = ctx.data.save_rows(&state) {
            tracing::warn!(%error, "could not write the rows file");
        }
    }
}

async fn present(
    ctx: &RunContext,
    plex: &dyn PlexApi,
    section: &SectionKey,
    report: &mut StepReport,
    rows: &[RowKey],
) -> Result<(), Error> {
    let collections = plex.collections(section).await?;
    let ours = our_rows(ctx, section, &collections);
    let mut hubs = plex.managed_hubs(section).await?;
    let settings = &ctx.settings.rows;
    let mine: Vec<OurRow> = ours
        .iter()
        .filter(|r| rows.contains(&r.row))
        .cloned()
        .collect();
    let plan = plan_visibility(&hubs, &mine, settings);

    if ctx.dry_run() {
        for (row, v) in &plan.promote {
            report
                .planned
                .push(format!("rows: pin {:?} ({})", row.title, shows(*v)));
        }
        for (row, v) in &plan.update {
            report
                .planned
                .push(format!("rows: show {:?} on {}", row.title, shows(*v)));
        }
        // Our collections this run would create are pinned once they exist.
        for row in rows {
            if !ours.iter().any(|r| r.row == *row) && !settings.visibility(*row).is_hidden() {
                report.planned.push(format!(
                    "rows: pin {:?} once created ({})",
                    row_title(ctx, *row),
                    shows(settings.visibility(*row))
                ));
            }
        }
        if let Some(order) = &settings.order {
            let current = predicted_hubs(&hubs, &plan);
            for m in plan_order(&current, &ours, order) {
                let title = |id: &str| {
                    ours.iter()
                        .find(|r| r.identifier == id)
                        .map_or_else(|| id.to_owned(), |r| r.title.clone())
                };
                report.planned.push(match &m.after {
                    None => format!("rows: move {:?} to the top", title(&m.item)),
                    Some(after) => {
                        format!("rows: move {:?} below {:?}", title(&m.item), title(after))
                    }
                });
            }
        }
        return Ok(());
    }

    for (row, v) in &plan.promote {
        plex.promote_collection_hub(section, &row.rating_key, *v)
            .await?;
        report.count("rows_pinned", 1);
    }
    for (row, v) in &plan.update {
        plex.update_hub(section, &row.identifier, *v).await?;
        report.count("rows_changed", 1);
        if let Some(hub) = hubs.iter_mut().find(|h| h.identifier == row.identifier) {
            hub.visibility = *v;
        }
    }
    if !plan.promote.is_empty() {
        // Where Plex puts a new hub is not promised: read the list again.
        hubs = plex.managed_hubs(section).await?;
    }
    let mut order: Vec<String> = hubs.iter().map(|h| h.identifier.clone()).collect();
    if let Some(wanted) = &settings.order {
        let moves = plan_order(&order, &ours, wanted);
        for m in &moves {
            plex.move_hub(section, &m.item, m.after.as_deref()).await?;
            report.count("rows_moved", 1);
        }
        apply_moves(&mut order, &moves);
    }
    save_state(ctx, &ours, &hubs, &order);
    Ok(())
}

/// Keeps how the rows now stand, for `curator serve`'s page.
fn save_state(ctx: &RunContext, ours: &[OurRow], hubs: &[ManagedHub], order: &[String]) {
    let mut state = ctx.data.load_rows().unwrap_or_default();
    state.checked_at = Some(OffsetDateTime::now_utc());
    state.plex_pass_refused = false;
    state.pins = ours
        .iter()
        .map(|row| {
            let hub = hubs.iter().find(|h| h.identifier == row.identifier);
            PinnedRow {
                row: row.row,
                title: row.title.clone(),
                rating_key: row.rating_key.to_string(),
                visibility: hub.map(|h| h.visibility).unwrap_or_default(),
                position: order
                    .iter()
                    .position(|id| *id == row.identifier)
                    .map(|p| p + 1),
            }
        })
        .collect();
    if let Err(error) = ctx.data.save_rows(&state) {
        tracing::warn!(%error, "could not write the rows file");
    }
}
