//! Missing titles to the service that fetches their kind: movies to
//! Radarr, shows to Sonarr, each with the tags of the list they came from.

use std::collections::BTreeMap;

use curator_http::{MediaKind, TmdbId};

use crate::context::RunContext;
use crate::radarr::{self, MissingMovie};
use crate::report::{Outcome, StepReport};
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

/// Sends `missing` titles of `kind` to Radarr or Sonarr; returns each
/// title's outcome.
pub(crate) async fn hand_off(
    ctx: &RunContext,
    kind: MediaKind,
    list: List,
    missing: &[MissingMovie],
    report: &mut StepReport,
) -> BTreeMap<TmdbId, Outcome> {
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
