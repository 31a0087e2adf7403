//! `curator collections remove`: for someone who stops using curator,
//! take curator's own collections off Home and the Recommended tab and
//! delete them. Only the collections named in the config (non-smart) are
//! touched, never another collection of the library; the movies stay.

use curator_http::MediaKind;
use plex_client::{Collection, PlexApi, SectionKey};

use crate::context::RunContext;

/// What a removal did, or in a dry run would do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemoveReport {
    /// The collections taken off Home and Recommended.
    pub unpinned: Vec<String>,
    /// The collections deleted.
    pub deleted: Vec<String>,
    /// In a dry run, what would be done.
    pub planned: Vec<String>,
    /// Things worth knowing (nothing found, no Plex Pass).
    pub notes: Vec<String>,
    /// What failed.
    pub failures: Vec<String>,
}

/// The section and collection titles of a kind: the movie library's, or
/// the TV library's when TV is configured.
async fn scope(
    ctx: &RunContext,
    plex: &dyn PlexApi,
    kind: MediaKind,
) -> Result<Option<(SectionKey, [String; 3])>, String> {
    let names = |n: &crate::settings::CollectionNames| {
        [
            n.recently_watched.clone(),
            n.change_of_taste.clone(),
            n.immaculate_taste.clone(),
        ]
    };
    match kind {
        MediaKind::Movie => Ok(Some((
            ctx.section_key(MediaKind::Movie).await?,
            names(&ctx.settings.collections),
        ))),
        MediaKind::Show => {
            let Some(tv) = &ctx.settings.tv else {
                return Ok(None);
            };
            let sections = plex.sections().await.map_err(|e| format!("{e:#}"))?;
            let section = sections
                .iter()
                .find(|s| s.is_show() && s.title.eq_ignore_ascii_case(&tv.library))
                .ok_or_else(|| format!("Plex has no TV library named {:?}", tv.library))?;
            Ok(Some((section.key.clone(), names(&tv.collections))))
        }
    }
}

/// Unpins and deletes curator's collections of `kind`. In a dry run it
/// only reads and lists what it would do.
pub async fn remove_collections(ctx: &RunContext, kind: MediaKind) -> RemoveReport {
    let mut report = RemoveReport::default();
    let plex = match ctx.plex() {
        Ok(plex) => plex.as_ref(),
        Err(missing) => {
            report.failures.push(missing.to_string());
            return report;
        }
    };
    let (section, titles) = match scope(ctx, plex, kind).await {
        Ok(Some(scope)) => scope,
        Ok(None) => {
            report.notes.push(
                "TV is not configured (plex.tv_library_name): there are no TV collections of curator's"
                    .into(),
            );
            return report;
        }
        Err(error) => {
            report.failures.push(error);
            return report;
        }
    };
    let collections = match plex.collections(&section).await {
        Ok(collections) => collections,
        Err(error) => {
            report.failures.push(format!("{error:#}"));
            return report;
        }
    };
    let ours: Vec<&Collection> = collections
        .iter()
        .filter(|c| titles.contains(&c.title) && !c.smart)
        .collect();
    if ours.is_empty() {
        report.notes.push(format!(
            "none of curator's collections ({}) is in Plex",
            titles.join(", ")
        ));
        return report;
    }
    let hubs = match plex.managed_hubs(&section).await {
        Ok(hubs) => hubs,
        Err(error) => {
            if error.needs_plex_pass() {
                report.notes.push(
                    "Plex refused to list Home and Recommended rows (no Plex Pass): \
                     deleting a collection takes its row with it"
                        .into(),
                );
            } else if !matches!(error, plex_client::Error::Unsupported { .. }) {
                report.failures.push(format!("reading the rows: {error:#}"));
            }
            Vec::new()
        }
    };
    let mut removed_keys = Vec::new();
    for collection in ours {
        let title = &collection.title;
        let hub = hubs
            .iter()
            .find(|h| h.collection().as_ref() == Some(&collection.rating_key));
        if ctx.dry_run() {
            if hub.is_some() {
                report.planned.push(format!("unpin {title:?}"));
            }
            report.planned.push(format!(
                "delete the collection {title:?} ({} items; the items stay)",
                collection.child_count
            ));
            continue;
        }
        if let Some(hub) = hub {
            match plex.remove_hub(&section, &hub.identifier).await {
                Ok(()) => report.unpinned.push(title.clone()),
                Err(error) => report
                    .failures
                    .push(format!("unpinning {title:?}: {error:#}")),
            }
        }
        match plex.delete_collection(&collection.rating_key).await {
            Ok(()) => {
                report.deleted.push(title.clone());
                removed_keys.push(collection.rating_key.to_string());
            }
            Err(error) => report
                .failures
                .push(format!("deleting {title:?}: {error:#}")),
        }
    }
    if !removed_keys.is_empty() {
        let mut state = ctx.data.load_rows().unwrap_or_default();
        state.pins.retain(|p| !removed_keys.contains(&p.rating_key));
        state.artwork.retain(|key, _| !removed_keys.contains(key));
        if let Err(error) = ctx.data.save_rows(&state) {
            tracing::warn!(%error, "could not write the rows file");
        }
    }
    report
}
