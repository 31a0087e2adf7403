//! The rows step of the refreshers: after a refresher has synced its
//! collections, each is made a row of Home and the Recommended tab where
//! `rows.<key>` says, and our rows are put at the top in `rows.order`.
//!
//! Read first, change only what differs: one read of the section's
//! collections and one of its hubs per refresher, and a write only for a
//! row that is not yet a hub, shows elsewhere than configured, or is out of
//! order. Summaries are set when they differ, and posters and backgrounds
//! uploaded only when they differ from the last upload (a hash kept in
//! `rows.json`). A run where nothing changed sends no hub write and no
//! upload. Without a Plex
//! Pass, Plex refuses hub management: that is reported once per run and
//! the rest of the run carries on.

use std::sync::atomic::Ordering;

use plex_client::{Collection, Error, HubVisibility, ImageSlot, ManagedHub, PlexApi, SectionKey};
use time::OffsetDateTime;

use crate::collection::SmallCollection;
use crate::context::RunContext;
use crate::order::apply_moves;
use crate::report::StepReport;
use crate::rows::{
    OurRow, PinnedRow, RowKey, RowsState, default_summary, fill_summary, image_hash, plan_order,
    plan_visibility, predicted_hubs, slot_name,
};
use curator_http::MediaKind;

/// The collection title a row has in this run's config (`None` for a TV
/// row while TV is off).
pub(crate) fn row_title(ctx: &RunContext, row: RowKey) -> Option<&str> {
    let names = match row.kind() {
        MediaKind::Movie => &ctx.settings.collections,
        MediaKind::Show => &ctx.settings.tv.as_ref()?.collections,
    };
    Some(match row.base() {
        RowKey::ChangeOfTaste => &names.change_of_taste,
        RowKey::ImmaculateTaste => &names.immaculate_taste,
        _ => &names.recently_watched,
    })
}

/// Our collections of one library that exist in its section, as rows.
pub(crate) fn our_rows(
    ctx: &RunContext,
    kind: MediaKind,
    section: &SectionKey,
    collections: &[Collection],
) -> Vec<OurRow> {
    RowKey::of(kind)
        .into_iter()
        .filter_map(|row| {
            let title = row_title(ctx, row)?;
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

/// Makes `rows` (the collections this refresher keeps) look finished
/// (summary, poster, background) and rows of Home and Recommended as
/// configured, and orders all of our rows. Problems go into `report`;
/// nothing here fails the step.
pub(crate) async fn present_rows(ctx: &RunContext, report: &mut StepReport, rows: &[RowKey]) {
    let Ok(plex) = ctx.plex() else {
        return;
    };
    let plex = plex.as_ref();
    let kind = rows.first().map_or(MediaKind::Movie, |r| r.kind());
    let section = match ctx.cached_library_of(kind) {
        Some(library) => library.section().clone(),
        None => match ctx.section_key(kind).await {
            Ok(section) => section,
            Err(error) => {
                report.failures.push(format!("rows: {error}"));
                return;
            }
        },
    };
    let collections = match plex.collections(&section).await {
        Ok(collections) => collections,
        Err(error) => {
            report.failures.push(format!("rows: {error:#}"));
            return;
        }
    };
    let ours = our_rows(ctx, kind, &section, &collections);
    let mut state = ctx.data.load_rows().unwrap_or_default();
    // The collections this library's rows were last seen with.
    let stale: Vec<String> = state
        .pins
        .iter()
        .filter(|p| p.row.kind() == kind)
        .map(|p| p.rating_key.clone())
        .collect();
    let mine: Vec<OurRow> = ours
        .iter()
        .filter(|r| rows.contains(&r.row))
        .cloned()
        .collect();
    dress(ctx, plex, &section, &collections, &mine, &mut state, report).await;
    if !ctx.rows_refused.load(Ordering::SeqCst)
        && let Err(error) = present(ctx, plex, &section, rows, &ours, &mut state, report).await
    {
        if error.needs_plex_pass() {
            refused(ctx, &mut state, report, &error);
        } else if matches!(error, Error::Unsupported { .. }) {
            tracing::debug!(%error, "this Plex implementation has no hub management");
        } else {
            report.failures.push(format!("rows: {error:#}"));
        }
    }
    if !ctx.dry_run() {
        // Hashes of this library's collections that are gone would only
        // grow the file.
        state.artwork.retain(|key, _| {
            ours.iter().any(|r| r.rating_key.as_str() == key) || !stale.contains(key)
        });
        if let Err(error) = ctx.data.save_rows(&state) {
            tracing::warn!(%error, "could not write the rows file");
        }
    }
}

/// The summary a row should have, with its seed and date filled in.
fn wanted_summary(ctx: &RunContext, row: RowKey) -> String {
    let template = ctx
        .settings
        .rows
        .artwork
        .get(&row)
        .and_then(|a| a.summary.clone())
        .unwrap_or_else(|| default_summary(row).to_owned());
    let [similar, contrast] = SmallCollection::of(row.kind());
    let small = match row.base() {
        RowKey::RecentlyWatched => Some(similar),
        RowKey::ChangeOfTaste => Some(contrast),
        _ => None,
    };
    let state = small.and_then(|which| ctx.collection_state(which).ok());
    let seed = state
        .as_ref()
        .and_then(|s| s.seed.as_ref())
        .map(|s| s.title.clone());
    let date = state.as_ref().and_then(|s| s.updated_at).and_then(|at| {
        at.format(time::macros::format_description!(
            "[day padding:none] [month repr:long] [year]"
        ))
        .ok()
    });
    fill_summary(&template, seed.as_deref(), date.as_deref())
}

/// Sets each collection's summary when it differs, and uploads its poster
/// and background when they differ from the ones last uploaded to it (the
/// hashes in `rows.json`). None of this needs a Plex Pass.
async fn dress(
    ctx: &RunContext,
    plex: &dyn PlexApi,
    section: &SectionKey,
    collections: &[Collection],
    mine: &[OurRow],
    state: &mut RowsState,
    report: &mut StepReport,
) {
    for row in mine {
        let summary = wanted_summary(ctx, row.row);
        let current = collections
            .iter()
            .find(|c| c.rating_key == row.rating_key)
            .and_then(|c| c.summary.clone())
            .unwrap_or_default();
        if current != summary {
            if ctx.dry_run() {
                report
                    .planned
                    .push(format!("rows: set the summary of {:?}", row.title));
            } else {
                match plex
                    .set_collection_summary(section, &row.rating_key, &summary)
                    .await
                {
                    Ok(()) => report.count("summaries_set", 1),
                    Err(error) => report
                        .failures
                        .push(format!("{}: setting the summary: {error:#}", row.title)),
                }
            }
        }
        let Some(artwork) = ctx.settings.rows.artwork.get(&row.row) else {
            continue;
        };
        for (slot, image) in [
            (ImageSlot::Poster, &artwork.poster),
            (ImageSlot::Background, &artwork.background),
        ] {
            let Some(image) = image else {
                continue;
            };
            let hash = image_hash(image);
            let uploaded = state
                .artwork
                .get(row.rating_key.as_str())
                .and_then(|slots| slots.get(slot_name(slot)));
            if uploaded == Some(&hash) {
                continue;
            }
            if ctx.dry_run() {
                report.planned.push(format!(
                    "rows: upload the {} of {:?}",
                    slot_name(slot),
                    row.title
                ));
                continue;
            }
            match plex.upload_image(&row.rating_key, slot, image).await {
                Ok(()) => {
                    report.count("artwork_uploaded", 1);
                    state
                        .artwork
                        .entry(row.rating_key.to_string())
                        .or_default()
                        .insert(slot_name(slot).to_owned(), hash);
                }
                Err(error) => report.failures.push(format!(
                    "{}: uploading the {}: {error:#}",
                    row.title,
                    slot_name(slot)
                )),
            }
        }
    }
}

/// Reports the refusal once per run and remembers it for the page.
fn refused(ctx: &RunContext, state: &mut RowsState, report: &mut StepReport, error: &Error) {
    if ctx.rows_refused.swap(true, Ordering::SeqCst) {
        return;
    }
    let status = error.status().unwrap_or(403);
    report.notes.push(format!(
        "rows: Plex refused to manage Home and Recommended rows ({status}): that needs a Plex Pass. \
         The settings rows.<collection>.visible_library, visible_home, visible_shared and rows.order \
         were not applied; the collections themselves are up to date"
    ));
    state.plex_pass_refused = true;
    state.checked_at = Some(OffsetDateTime::now_utc());
}

async fn present(
    ctx: &RunContext,
    plex: &dyn PlexApi,
    section: &SectionKey,
    rows: &[RowKey],
    ours: &[OurRow],
    state: &mut RowsState,
    report: &mut StepReport,
) -> Result<(), Error> {
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
            if let Some(title) = row_title(ctx, *row)
                && !ours.iter().any(|r| r.row == *row)
                && !settings.visibility(*row).is_hidden()
            {
                report.planned.push(format!(
                    "rows: pin {title:?} once created ({})",
                    shows(settings.visibility(*row))
                ));
            }
        }
        if let Some(order) = &settings.order {
            let current = predicted_hubs(&hubs, &plan);
            for m in plan_order(&current, ours, order) {
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
        let moves = plan_order(&order, ours, wanted);
        for m in &moves {
            plex.move_hub(section, &m.item, m.after.as_deref()).await?;
            report.count("rows_moved", 1);
        }
        apply_moves(&mut order, &moves);
    }
    note_pins(state, ours, &hubs, &order);
    Ok(())
}

/// Keeps how the rows now stand, for `curator serve`'s page.
fn note_pins(state: &mut RowsState, ours: &[OurRow], hubs: &[ManagedHub], order: &[String]) {
    state.checked_at = Some(OffsetDateTime::now_utc());
    state.plex_pass_refused = false;
    // The other library's rows stay as they were last seen.
    let kind = ours.first().map(|r| r.row.kind());
    state.pins.retain(|p| Some(p.row.kind()) != kind);
    let seen: Vec<PinnedRow> = ours
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
    state.pins.extend(seen);
    state.pins.sort_by_key(|p| p.row);
}
