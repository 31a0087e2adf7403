//! "Based on your recently watched movie" and "Change of Taste": suggestions
//! for the watched movie, written to their state files; missing movies go
//! to Radarr.

use llm_recs::SuggestionKind;
use time::OffsetDateTime;

use crate::collection::{CollectionMovie, CollectionState, SeedRecord, SmallCollection};
use crate::context::RunContext;
use crate::observer::RunObserver;
use crate::report::{StepKind, StepReport, StepStatus};
use crate::steps::handoff::{List, hand_off};
use crate::steps::suggest::{Seed, Trouble, record_missing, seed_info, suggest_and_resolve};

pub(crate) async fn recently_watched(
    ctx: &RunContext,
    seed: &Seed,
    observer: &dyn RunObserver,
) -> StepReport {
    let media = seed.kind;
    let step = StepKind::RecentlyWatched
        .for_kind(media)
        .unwrap_or(StepKind::RecentlyWatched);
    let mut report = StepReport::new(step);
    let mut trouble = Trouble::default();
    let info = seed_info(ctx, seed, &mut report, &mut trouble).await;
    let [similar, contrast] = SmallCollection::of(media);
    let lists = [
        (
            similar,
            SuggestionKind::Similar,
            ctx.settings.recommend.similar_count,
            "similar",
            List::Similar,
        ),
        (
            contrast,
            SuggestionKind::Contrast,
            ctx.settings.recommend.contrast_count,
            "contrast",
            List::Contrast,
        ),
    ];
    let mut produced = false;
    let mut kept = Vec::new();
    for (which, kind, count, source, tags) in lists {
        if count == 0 {
            continue;
        }
        let resolved = suggest_and_resolve(
            ctx,
            observer,
            &info,
            kind,
            count,
            source,
            &mut report,
            &mut trouble,
        )
        .await;
        let state = CollectionState {
            seed: Some(SeedRecord {
                title: info.title.clone(),
                year: info.year,
                tmdb_id: info.tmdb_id,
            }),
            updated_at: Some(OffsetDateTime::now_utc()),
            movies: resolved
                .found
                .iter()
                .filter_map(|m| {
                    Some(CollectionMovie {
                        tmdb_id: m.tmdb_id,
                        rating_key: m.rating_key.as_ref()?.0.clone(),
                        title: m.title.clone(),
                        year: m.year,
                    })
                })
                .collect(),
        };
        if resolved.incomplete {
            // A service failed while the list was built: what it managed is
            // only part of the list, and replacing the state with it would
            // shrink the collection. The previous state stays.
            kept.push(which.file_name());
        } else if state.movies.is_empty() && resolved.missing.is_empty() {
            // Keep the collection as it was rather than emptying it because
            // every source failed this time.
            report.notes.push(format!(
                "no {source} {media}s this run; {} left unchanged",
                which.file_name()
            ));
        } else {
            if ctx.dry_run() {
                report.planned.push(format!(
                    "write {} with {} {media}(s)",
                    which.file_name(),
                    state.movies.len()
                ));
            }
            produced = true;
            if let Err(error) = ctx.save_collection(which, state) {
                report.failures.push(error.to_string());
            }
        }
        let outcomes = hand_off(
            ctx,
            media,
            tags,
            &resolved.missing,
            Some(seed.label()),
            &mut report,
        )
        .await;
        record_missing(
            &mut report,
            ctx.settings.requests,
            media,
            source,
            &resolved.missing,
            &outcomes,
        );
    }
    trouble.report_llm(&mut report);
    if trouble.blocks_state() || !kept.is_empty() {
        let mut why = trouble.blocking();
        if why.is_empty() {
            why.append(&mut report.failures);
        }
        report.status = StepStatus::Failed(format!(
            "{}; {} kept as {}",
            why.join("; "),
            if kept.is_empty() {
                "the collections' state".to_owned()
            } else {
                kept.join(" and ")
            },
            if kept.len() == 1 {
                "it was"
            } else {
                "they were"
            },
        ));
    } else if !produced && !report.failures.is_empty() {
        report.status = StepStatus::Failed(format!(
            "no suggestions could be used; the collections were left as they were ({})",
            report.failures.join("; ")
        ));
    }
    report
}
