//! Handing missing titles to Overseerr or Jellyseerr as requests
//! (`requests.via: seerr`), movies and shows alike: one request per title
//! by its TMDb id; Seerr fetches the metadata and passes the request on to
//! its own Radarr or Sonarr.
//!
//! Seerr keeps the requests, so nothing is read first: a title it already
//! has answers "already requested" (a movie, 409) or "no seasons available"
//! (a show whose every season is requested or available, 202), and both
//! count as handed off. curator keeps tracking the title as pending in its
//! points book until Plex has it, whoever downloads it.
//!
//! A show goes with TMDb's TVDB id, as to Sonarr, and one without is not
//! sent ([`Outcome::NoTvdbId`]): Seerr passes shows on to Sonarr, which
//! adds by TVDB id only, and Overseerr drops such a request when it gets
//! there ("TVDB ID not found", `MediaRequest.sendToSonarr`).

use std::collections::BTreeMap;

use curator_http::{MediaKind, TmdbId};
use seerr_client::{NewRequest, RequestOutcome};

use crate::context::RunContext;
use crate::radarr::MissingMovie;
use crate::report::{Outcome, StepReport};
use crate::sonarr;

/// How a step's one message about an unreachable Seerr begins.
const SEERR_FAILED: &str = "Seerr failed: ";

/// Requests `titles` of `kind` in Seerr; returns each title's outcome.
/// Per-title failures (a refusal for the key's user, a quota) are
/// outcomes, not errors, and the other titles are still sent; a failure
/// of Seerr itself (a wrong key, Seerr down) is also named once in the
/// step's failures.
pub(crate) async fn hand_off(
    ctx: &RunContext,
    kind: MediaKind,
    titles: &[MissingMovie],
    report: &mut StepReport,
) -> BTreeMap<TmdbId, Outcome> {
    let mut outcomes = BTreeMap::new();
    if titles.is_empty() {
        return outcomes;
    }
    let Some(seerr) = &ctx.services.seerr else {
        report.notes.push(format!(
            "{} missing {kind}(s) not sent: requests.via is seerr, but Seerr is not configured",
            titles.len()
        ));
        for t in titles {
            outcomes.insert(
                t.tmdb_id,
                Outcome::Failed("not sent: Seerr is not configured".into()),
            );
        }
        return outcomes;
    };
    for title in titles {
        let mut request = NewRequest::of(kind, title.tmdb_id);
        if kind == MediaKind::Show {
            match sonarr::tvdb_id(ctx, title.tmdb_id).await {
                Ok(Some(tvdb)) => request = request.with_tvdb_id(tvdb),
                Ok(None) => {
                    outcomes.insert(title.tmdb_id, Outcome::NoTvdbId);
                    continue;
                }
                Err(error) => {
                    outcomes.insert(
                        title.tmdb_id,
                        Outcome::Failed(format!(
                            "not sent: TMDb could not give its TVDB id: {error}"
                        )),
                    );
                    continue;
                }
            }
        }
        if ctx.dry_run() {
            report
                .planned
                .push(format!("request {} in Seerr", title.label()));
            outcomes.insert(title.tmdb_id, Outcome::WouldSendToSeerr);
            continue;
        }
        let outcome = match seerr.request(&request).await {
            Ok(RequestOutcome::Created(created)) => {
                tracing::info!(id = created.id, title = %title.title, "requested in Seerr");
                Outcome::SentToSeerr
            }
            Ok(_) => Outcome::AlreadyInSeerr,
            Err(error) if error.is_refused() => {
                Outcome::Failed(format!("Seerr refused it: {error:#}"))
            }
            Err(error) => {
                if !report.failures.iter().any(|f| f.starts_with(SEERR_FAILED)) {
                    report.failures.push(format!("{SEERR_FAILED}{error:#}"));
                }
                Outcome::Failed(format!("not sent: {error:#}"))
            }
        };
        outcomes.insert(title.tmdb_id, outcome);
    }
    outcomes
}
