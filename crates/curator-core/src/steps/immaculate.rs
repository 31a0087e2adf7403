//! "Inspired by your Immaculate Taste": up to 50 suggestions per watch, kept
//! by the points system; missing movies go to Radarr and wait as pending.

use curator_http::MediaKind;
use llm_recs::SuggestionKind;

use crate::context::RunContext;
use crate::observer::RunObserver;
use crate::points::{PointsBook, PointsChange, Suggested, apply_run};
use crate::radarr::plex_keys;
use crate::report::{StepKind, StepReport};
use crate::state::LoadedPoints;
use crate::steps::handoff::{List, hand_off};
use crate::steps::suggest::{Seed, Trouble, record_missing, seed_info, suggest_and_resolve};

pub(crate) async fn immaculate_taste(
    ctx: &RunContext,
    seed: &Seed,
    observer: &dyn RunObserver,
) -> StepReport {
    let kind = seed.kind;
    let step = StepKind::ImmaculateTaste
        .for_kind(kind)
        .unwrap_or(StepKind::ImmaculateTaste);
    let mut report = StepReport::new(step);
    // The points file was checked before the run started; a failure here
    // means it changed under us, and the step stops without writing. In a
    // dry run, the converted legacy file is staged in memory.
    let loaded = match ctx.staged_points_of(kind) {
        Some(book) => Ok(LoadedPoints::Current(book)),
        None => ctx.data.load_points_of(kind),
    };

    // The suggestions do not depend on the library: the LLM is asked while
    // the library is read. The step still fails first on the library, then
    // on the points file, with nothing else in its report, as when it read
    // the library before asking.
    let ask = matches!(loaded, Ok(LoadedPoints::Missing | LoadedPoints::Current(_)));
    let mut asked = StepReport::new(step);
    let mut trouble = Trouble::default();
    let (library, resolved) = tokio::join!(ctx.library_of(kind), async {
        if !ask {
            return None;
        }
        let info = seed_info(ctx, seed, &mut asked, &mut trouble).await;
        let count = ctx.settings.recommend.immaculate_count;
        Some(
            suggest_and_resolve(
                ctx,
                observer,
                &info,
                SuggestionKind::Similar,
                count,
                "immaculate",
                &mut asked,
                &mut trouble,
            )
            .await,
        )
    });
    let library = match library {
        Ok(l) => l,
        Err(error) => {
            report.status = crate::report::StepStatus::Failed(error);
            return report;
        }
    };
    let book = match loaded {
        Ok(LoadedPoints::Missing) => PointsBook::default(),
        Ok(LoadedPoints::Current(book)) => book,
        Ok(LoadedPoints::Legacy(_)) => {
            // The migration before the steps left it (see the run's notes):
            // counting points on top of it would throw the old ones away.
            report.status = crate::report::StepStatus::Failed(
                "the previous tool's points file is not converted yet (see above why), so the points were left unchanged".into(),
            );
            return report;
        }
        Err(error) => {
            report.status = crate::report::StepStatus::Failed(error.to_string());
            return report;
        }
    };
    let mut report = asked;
    let resolved = resolved.expect("the LLM is asked whenever the points loaded");
    trouble.report_llm(&mut report);
    if resolved.incomplete {
        // Only part of the suggestions could be resolved: applying them
        // would decay every entry the missing part would have boosted.
        let mut why = trouble.blocking();
        if why.is_empty() {
            why.append(&mut report.failures);
        }
        report.status = crate::report::StepStatus::Failed(format!(
            "{}; the points were left unchanged and nothing was sent to {}",
            why.join("; "),
            ctx.settings.requests.service(kind)
        ));
        return report;
    }
    if resolved.found.is_empty() && resolved.missing.is_empty() && !report.failures.is_empty() {
        // Decaying every entry because no source answered would empty the
        // collection over a few failed runs.
        report.status = crate::report::StepStatus::Failed(format!(
            "no suggestions could be obtained, so the points were left unchanged ({})",
            report.failures.join("; ")
        ));
        return report;
    }
    let suggested: Vec<Suggested> = resolved
        .found
        .iter()
        .map(|m| Suggested {
            tmdb_id: m.tmdb_id,
            title: m.title.clone(),
            year: m.year,
            rating_key: m.rating_key.as_ref().map(|k| k.0.clone()),
        })
        .chain(resolved.missing.iter().map(|m| Suggested {
            tmdb_id: m.tmdb_id,
            title: m.title.clone(),
            year: m.year,
            rating_key: None,
        }))
        .collect();
    // A pending movie arrives in a legacy-agent library under its IMDb id;
    // a show's legacy items already carry the TMDb id TMDb found for them.
    let keys = match kind {
        MediaKind::Movie => {
            plex_keys(
                ctx,
                &library,
                book.pending()
                    .map(|(id, _)| id)
                    .chain(resolved.missing.iter().map(|m| m.tmdb_id)),
            )
            .await
        }
        MediaKind::Show => crate::sonarr::plex_keys(ctx, &library).await,
    };
    // A job run again after a crash or a panic may have counted its run
    // already: its suggestions are not counted twice.
    let (next, changes) = match ctx.job() {
        Some(job) if book.applied_by(job) => {
            report.notes.push(format!(
                "the points of job {job} were counted by an earlier attempt; left as they are"
            ));
            (book.clone(), Vec::new())
        }
        job => {
            let (mut next, changes) =
                apply_run(&book, &suggested, &keys, &ctx.settings.points, ctx.today);
            if let Some(job) = job {
                next.mark_applied(job);
            }
            (next, changes)
        }
    };
    count_changes(&mut report, &changes);
    report.count("active", next.active().len() as u64);
    report.count("pending", next.pending().count() as u64);

    let outcomes = hand_off(
        ctx,
        kind,
        List::Immaculate,
        &resolved.missing,
        Some(seed.label()),
        &mut report,
    )
    .await;
    record_missing(
        &mut report,
        ctx.settings.requests,
        kind,
        "immaculate",
        &resolved.missing,
        &outcomes,
    );

    if ctx.dry_run() {
        report.planned.push(format!(
            "write {} with {} active and {} pending {kind}(s)",
            ctx.data.points_path_of(kind).display(),
            next.active().len(),
            next.pending().count()
        ));
        if let Err(error) = ctx.save_points_of(kind, next) {
            report.failures.push(error.to_string());
        }
        return report;
    }
    if let Err(error) = ctx.save_points_of(kind, next) {
        report.status = crate::report::StepStatus::Failed(error.to_string());
    }
    report
}

fn count_changes(report: &mut StepReport, changes: &[PointsChange]) {
    for change in changes {
        let name = match change {
            PointsChange::Added { .. } => "points_added",
            PointsChange::Boosted { .. } => "points_boosted",
            PointsChange::Decayed { .. } => "points_decayed",
            PointsChange::Left { .. } => "points_left",
            PointsChange::Pending { .. } => "points_pending",
            PointsChange::Arrived { .. } => "points_arrived",
            PointsChange::Expired { .. } => "points_expired",
        };
        report.count(name, 1);
    }
}
