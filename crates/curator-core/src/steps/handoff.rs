//! Missing titles to the service that fetches their kind: movies to
//! Radarr, shows to Sonarr, each with the tags of the list they came from;
//! or both as requests to Seerr (`requests.via: seerr`).

use std::collections::BTreeMap;

use curator_http::{MediaKind, TmdbId};

use crate::approvals::{Origin, screen};
use crate::context::RunContext;
use crate::radarr::{self, MissingMovie};
use crate::report::{Outcome, StepReport};
use crate::seerr;
use crate::settings::RequestsVia;
use crate::sonarr;

/// Which list missing titles came from (each has its own tags).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum List {
    /// The recently-watched collection's.
    Similar,
    /// "Change of Taste"'s.
    Contrast,
    /// The immaculate-taste collection's.
    Immaculate,
}

impl List {
    /// Its name in reports and the approvals file.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Similar => "similar",
            Self::Contrast => "contrast",
            Self::Immaculate => "immaculate",
        }
    }

    /// The list named `name`.
    pub(crate) fn parse(name: &str) -> Option<Self> {
        [Self::Similar, Self::Contrast, Self::Immaculate]
            .into_iter()
            .find(|l| l.name() == name)
    }

    /// The collection it fills, for titles of `kind`.
    fn collection(self, ctx: &RunContext, kind: MediaKind) -> String {
        let names = match kind {
            MediaKind::Movie => &ctx.settings.collections,
            MediaKind::Show => match &ctx.settings.tv {
                Some(tv) => &tv.collections,
                None => &ctx.settings.collections,
            },
        };
        match self {
            Self::Similar => names.recently_watched.clone(),
            Self::Contrast => names.change_of_taste.clone(),
            Self::Immaculate => names.immaculate_taste.clone(),
        }
    }
}

/// Hands `missing` titles of `kind`, suggested for `seed`, on: a title a
/// person rejected is never sent; with approval required for the kind the
/// others wait in the approvals file; else they go to Radarr or Sonarr, or
/// to Seerr.
/// Returns each title's outcome.
pub(crate) async fn hand_off(
    ctx: &RunContext,
    kind: MediaKind,
    list: List,
    missing: &[MissingMovie],
    seed: Option<String>,
    report: &mut StepReport,
) -> BTreeMap<TmdbId, Outcome> {
    let collection = list.collection(ctx, kind);
    // Shows go to Sonarr only with auto_download on: otherwise they stay
    // pending, and there is nothing to approve. Requests to Seerr are the
    // point of sending there, for both kinds.
    let sends = match (ctx.settings.requests, kind) {
        (RequestsVia::Seerr, _) | (RequestsVia::Arr, MediaKind::Movie) => true,
        (RequestsVia::Arr, MediaKind::Show) => ctx
            .settings
            .tv
            .as_ref()
            .and_then(|tv| tv.sonarr.as_ref())
            .is_some_and(|s| s.auto_download),
    };
    let origin = Origin {
        kind,
        list: list.name(),
        collection: &collection,
        seed,
        hold: sends && ctx.settings.approval.required(kind),
    };
    let (to_send, mut outcomes) = screen(ctx, &origin, missing, report).await;
    outcomes.append(&mut send(ctx, kind, list, &to_send, report).await);
    outcomes
}

/// Sends `missing` titles of `kind` to Radarr or Sonarr with `list`'s
/// tags, or to Seerr as requests (which take no tags); returns each
/// title's outcome.
pub(crate) async fn send(
    ctx: &RunContext,
    kind: MediaKind,
    list: List,
    missing: &[MissingMovie],
    report: &mut StepReport,
) -> BTreeMap<TmdbId, Outcome> {
    if ctx.settings.requests == RequestsVia::Seerr {
        return seerr::hand_off(ctx, kind, missing, report).await;
    }
    match kind {
        MediaKind::Movie => {
            let r = &ctx.settings.recommend;
            let tags = match list {
                List::Similar => &r.similar_tags,
                List::Contrast => &r.contrast_tags,
                List::Immaculate => &r.immaculate_tags,
            };
            radarr::hand_off(ctx, missing, tags, report).await
        }
        MediaKind::Show => {
            let settings = ctx.settings.tv.as_ref().and_then(|tv| tv.sonarr.as_ref());
            let tags = settings
                .map(|s| match list {
                    List::Similar => s.similar_tags.clone(),
                    List::Contrast => s.contrast_tags.clone(),
                    List::Immaculate => s.immaculate_tags.clone(),
                })
                .unwrap_or_default();
            sonarr::hand_off(ctx, missing, &tags, report).await
        }
    }
}
