//! What the movie and the episode duplicate cleaners share: the plan
//! checked against the disk, the guards, and the deletes. Only how the
//! library is read and which *arr is told afterwards differ.

use std::collections::BTreeSet;

use plex_client::{PlexApi, RatingKey, SectionKey};

use crate::dedupe::{Copies, DedupePlan, Deletion, plan_dedupe};
use crate::report::{MovieOutcome, Outcome, StepReport, StepStatus};
use crate::settings::DedupeSettings;

/// The keys of every item in a group the plan deletes from, in listing
/// order: the items whose files Plex is asked to check.
pub(super) fn affected_keys<T: Copies>(items: &[T], plan: &DedupePlan) -> Vec<RatingKey> {
    let deleting: BTreeSet<&RatingKey> = plan.deletions.iter().map(|d| &d.rating_key).collect();
    let groups: BTreeSet<String> = items
        .iter()
        .filter(|i| deleting.contains(i.rating_key()))
        .map(Copies::group_key)
        .collect();
    let mut keys: Vec<RatingKey> = Vec::new();
    for item in items.iter().filter(|i| groups.contains(&i.group_key())) {
        if !keys.contains(item.rating_key()) {
            keys.push(item.rating_key().clone());
        }
    }
    keys
}

/// The plan again, with the checked items as Plex now sees them (`fresh`,
/// from a `checkFiles=1` read of `checked`): deletions only where every
/// copy was just checked, counts over the whole library.
///
/// # Errors
/// A readable reason when Plex did not say whether any file is on disk
/// (it ignored `checkFiles=1`): then nothing may be deleted.
pub(super) fn replan<T: Copies + Clone>(
    listed: &[T],
    checked: &[RatingKey],
    fresh: Vec<T>,
    section: &SectionKey,
    settings: &DedupeSettings,
) -> Result<DedupePlan, String> {
    // Only this section's items: a key can be reused elsewhere.
    let fresh: Vec<T> = fresh
        .into_iter()
        .filter(|m| m.section().is_none_or(|s| s == section))
        .collect();
    let parts = || fresh.iter().flat_map(Copies::media).flat_map(|v| &v.parts);
    if parts().next().is_some() && parts().all(|p| p.available.is_none()) {
        return Err(
            "Plex did not say whether the duplicates' files are on disk (it ignored \
             checkFiles=1), so nothing was deleted"
                .into(),
        );
    }
    let checked: BTreeSet<&RatingKey> = checked.iter().collect();
    let whole: Vec<T> = listed
        .iter()
        .filter(|m| !checked.contains(m.rating_key()))
        .chain(&fresh)
        .cloned()
        .collect();
    let counts = plan_dedupe(&whole, settings);
    Ok(DedupePlan {
        deletions: plan_dedupe(&fresh, settings).deletions,
        ..counts
    })
}

/// Puts the plan's counters and conflicts in the report.
pub(super) fn count_plan(report: &mut StepReport, plan: &DedupePlan) {
    report.count("duplicate_groups", plan.groups as u64);
    report.count("planned_deletions", plan.deletions.len() as u64);
    report.count("protected", plan.protected as u64);
    report.count("conflicts", plan.conflicts.len() as u64);
    report.count("missing_from_disk", plan.unavailable as u64);
    report.count("optimized_left_alone", plan.optimized as u64);
    report.count("editions_kept_apart", plan.editions as u64);
    report.notes.extend(plan.conflicts.iter().cloned());
}

/// One planned deletion as people read it.
pub(super) fn describe(d: &Deletion) -> String {
    let what = if d.whole_item {
        format!("item {} (its only version {})", d.rating_key, d.media_id)
    } else {
        format!("version {}", d.media_id)
    };
    format!(
        "delete {} {what} [{}] {} ({:.1} GB); keeps {}",
        d.title,
        d.resolution.as_deref().unwrap_or("?"),
        d.files.join(", "),
        d.size as f64 / 1e9,
        d.kept
    )
}

/// What the guards decided.
pub(super) enum Gate {
    /// Nothing may be deleted; the report says why.
    Stop,
    /// A dry run: the plan is in the report, nothing is deleted.
    DryRun,
    /// Delete.
    Go,
}

const NOT_ALLOWED: &str = "Plex does not allow media deletion: turn on Settings > Library > \
     \"Allow media deletion\" on the server, or switch the duplicate cleaner off";

/// The guards before anything is deleted: the plan fits what is left of
/// `max_deletions_per_run` this run (`used` went to an earlier cleaner:
/// movies and episodes share the limit), and Plex allows deletion. A dry
/// run is told what a real run would do.
pub(super) async fn gate(
    plex: &dyn PlexApi,
    plan: &DedupePlan,
    max: usize,
    used: usize,
    dry_run: bool,
    report: &mut StepReport,
) -> Gate {
    let budget = max.saturating_sub(used);
    if plan.deletions.len() > budget {
        let earlier = if used > 0 {
            format!(
                " ({used} already planned or deleted this run: the limit counts movies and episodes together)"
            )
        } else {
            String::new()
        };
        report.failures.push(format!(
            "the plan deletes {} versions, more than max_deletions_per_run ({max}){earlier}: \
             nothing was deleted. Review it with `curator dedupe --dry-run`, then raise the \
             limit if it is right",
            plan.deletions.len(),
        ));
        report.planned.extend(plan.deletions.iter().map(describe));
        report.count("blocked_by_guard", 1);
        return Gate::Stop;
    }
    let allowed = match plex.server_info().await {
        Ok(info) => info.allow_media_deletion,
        Err(error) => {
            report.status = StepStatus::Failed(format!("{error:#}"));
            return Gate::Stop;
        }
    };
    if dry_run {
        report.planned.extend(plan.deletions.iter().map(describe));
        if !allowed {
            report
                .notes
                .push(format!("{NOT_ALLOWED}; a real run would stop here"));
        }
        return Gate::DryRun;
    }
    if !allowed {
        report.status = StepStatus::Failed(NOT_ALLOWED.into());
        report.planned.extend(plan.deletions.iter().map(describe));
        return Gate::Stop;
    }
    Gate::Go
}

/// Sends the plan's deletes, each once (the client confirms a delete whose
/// answer got lost by reading the item back); after a refusal the rest are
/// not tried. Returns the deletions that were done.
pub(super) async fn delete_all<'a>(
    plex: &dyn PlexApi,
    plan: &'a DedupePlan,
    report: &mut StepReport,
) -> Vec<&'a Deletion> {
    let mut done = Vec::new();
    let mut freed = 0u64;
    let mut refused = false;
    for d in &plan.deletions {
        if refused {
            report.movies.push(MovieOutcome {
                source: "duplicates".into(),
                title: d.title.clone(),
                year: None,
                tmdb_id: d.tmdb_id,
                outcome: Outcome::Failed("not tried: Plex refused an earlier delete".into()),
            });
            continue;
        }
        // An item's only media goes with the item, as Plex Web deletes it.
        let result = if d.whole_item {
            plex.delete_item(&d.rating_key).await
        } else {
            plex.delete_media(&d.rating_key, d.media_id).await
        };
        let outcome = match result {
            Ok(()) => {
                report.count("deleted", 1);
                freed += d.size;
                done.push(d);
                Outcome::Note(format!("deleted {}", d.files.join(", ")))
            }
            Err(error) => {
                refused = matches!(error, plex_client::Error::DeletionRefused { .. });
                report
                    .failures
                    .push(format!("{} version {}: {error:#}", d.title, d.media_id));
                Outcome::Failed(format!("{error:#}"))
            }
        };
        report.movies.push(MovieOutcome {
            source: "duplicates".into(),
            title: d.title.clone(),
            year: None,
            tmdb_id: d.tmdb_id,
            outcome,
        });
    }
    report.count("freed_bytes", freed);
    done
}
