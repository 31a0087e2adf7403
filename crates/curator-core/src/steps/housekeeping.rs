//! The two housekeeping steps: the duplicate cleaner and the Radarr monitor
//! confirm.

use std::collections::BTreeSet;

use curator_http::ImdbId;
use radarr_client::{MovieEditor, MovieId};

use crate::context::{RunContext, Service};
use crate::dedupe::plan_dedupe;
use crate::library::LibraryIndex;
use crate::radarr::{applied, shared_imdb_ids, unshared_imdb};
use crate::report::{StepKind, StepReport, StepStatus};
use crate::steps::cleaner::{Gate, affected_keys, count_plan, delete_all, gate, replan};

/// Deletes lower-quality duplicate versions through Plex, then unmonitors
/// those movies in Radarr so it does not fetch them again.
pub(crate) async fn duplicate_cleaner(ctx: &mut RunContext) -> StepReport {
    let mut report = StepReport::new(StepKind::DuplicateCleaner);
    let plex = match ctx.plex() {
        Ok(p) => p.clone(),
        Err(why) => return StepReport::skipped(StepKind::DuplicateCleaner, why.to_string()),
    };
    let library = match ctx.library().await {
        Ok(l) => l,
        Err(error) => {
            report.status = StepStatus::Failed(error);
            return report;
        }
    };
    let settings = &ctx.settings.dedupe;
    let first = plan_dedupe(library.movies(), settings);
    let plan = if first.deletions.is_empty() {
        first
    } else {
        // Before anything is deleted, ask Plex to look at the files of every
        // copy in the affected groups: a listed copy whose file is gone must
        // never be the one that stays.
        let keys = affected_keys(library.movies(), &first);
        let fresh = match plex.check_files(&keys).await {
            Ok(fresh) => fresh,
            Err(error) => {
                report.status = StepStatus::Failed(format!(
                    "could not check the duplicates' files on disk, so nothing was deleted: {error:#}"
                ));
                return report;
            }
        };
        match replan(library.movies(), &keys, fresh, library.section(), settings) {
            Ok(plan) => plan,
            Err(why) => {
                report.status = StepStatus::Failed(why);
                return report;
            }
        }
    };
    count_plan(&mut report, &plan);
    if plan.deletions.is_empty() {
        return report;
    }
    let used = ctx.deletions_this_run();
    match gate(
        plex.as_ref(),
        &plan,
        settings.max_deletions_per_run,
        used,
        ctx.dry_run(),
        &mut report,
    )
    .await
    {
        Gate::Stop => return report,
        Gate::Go => {}
        Gate::DryRun => {
            ctx.count_deletions(plan.deletions.len());
            let cleaned = Cleaned::of(plan.deletions.iter(), &library);
            if let Some(radarr) = ctx.services.radarr.clone()
                && ctx.load_radarr_movies(radarr.as_ref()).await.is_ok()
            {
                let cache = ctx.radarr_movies.lock().await;
                let known = cache.as_deref().unwrap_or_default();
                let shared = shared_imdb_ids(known);
                report.planned.extend(
                    known
                        .iter()
                        .filter(|m| m.monitored && cleaned.matches(m, &shared))
                        .map(|m| format!("unmonitor {} ({}) in Radarr", m.title, m.year)),
                );
                report.notes.extend(cleaned.ambiguous(&shared));
            }
            return report;
        }
    }

    let done = delete_all(plex.as_ref(), &plan, &mut report).await;
    ctx.count_deletions(done.len());
    // The library changed: later steps read it again.
    ctx.invalidate_library();

    if done.is_empty() {
        return report;
    }
    let cleaned = Cleaned::of(done.into_iter(), &library);
    let Some(radarr) = ctx.services.radarr.clone() else {
        report
            .notes
            .push("Radarr is not configured: the cleaned movies stay monitored there".into());
        return report;
    };
    if let Err(error) = ctx.load_radarr_movies(radarr.as_ref()).await {
        report.failures.push(format!("radarr: {error}"));
        return report;
    }
    let ids: Vec<MovieId> = {
        let cache = ctx.radarr_movies.lock().await;
        let known = cache.as_deref().unwrap_or_default();
        let shared = shared_imdb_ids(known);
        report.notes.extend(cleaned.ambiguous(&shared));
        known
            .iter()
            .filter(|m| m.monitored && cleaned.matches(m, &shared))
            .map(|m| m.id)
            .collect()
    };
    if ids.is_empty() {
        return report;
    }
    let result = radarr
        .edit_movies(&MovieEditor::new(ids.clone()).with_monitored(false))
        .await;
    let unmonitored = applied(&ids, &result);
    report.count("unmonitored_in_radarr", unmonitored.len() as u64);
    mark_unmonitored(ctx, &unmonitored).await;
    if let Err(error) = result {
        report.failures.push(format!(
            "unmonitoring {} movie(s) in Radarr: {error:#}",
            ids.len() - unmonitored.len()
        ));
    }
    report
}

/// The movies the cleaner took copies of, by TMDb id or, for legacy-agent
/// items that carry no TMDb id, by IMDb id: Radarr knows both. An item with
/// a TMDb id is matched by it alone, so a second Radarr movie sharing its
/// IMDb id is never unmonitored.
struct Cleaned {
    tmdb: BTreeSet<u32>,
    imdb: BTreeSet<ImdbId>,
}

impl Cleaned {
    fn of<'a>(
        deletions: impl Iterator<Item = &'a crate::dedupe::Deletion>,
        library: &LibraryIndex,
    ) -> Self {
        let mut cleaned = Self {
            tmdb: BTreeSet::new(),
            imdb: BTreeSet::new(),
        };
        for d in deletions {
            match d.tmdb_id {
                Some(tmdb) => {
                    cleaned.tmdb.insert(tmdb);
                }
                None => cleaned.imdb.extend(
                    library
                        .by_rating_key(&d.rating_key)
                        .and_then(|m| m.imdb_id.clone()),
                ),
            }
        }
        cleaned
    }

    /// True for the Radarr movie the cleaned copies were; an IMDb id that
    /// several Radarr movies carry (`shared`) names none of them.
    fn matches(&self, m: &radarr_client::Movie, shared: &BTreeSet<ImdbId>) -> bool {
        self.tmdb.contains(&m.tmdb_id.0)
            || unshared_imdb(m, shared).is_some_and(|i| self.imdb.contains(i))
    }

    /// A note for each cleaned IMDb id that does not say which Radarr movie
    /// it was.
    fn ambiguous(&self, shared: &BTreeSet<ImdbId>) -> Vec<String> {
        self.imdb
            .intersection(shared)
            .map(|id| ambiguous_note(id, "the cleaned copies"))
            .collect()
    }
}

/// Why a legacy-agent item (IMDb id only) was not matched to Radarr.
fn ambiguous_note(imdb: &ImdbId, what: &str) -> String {
    format!(
        "several Radarr movies carry IMDb id {imdb}, so {what} cannot be matched \
         to one of them: none was unmonitored; give the Plex item a TMDb id \
         (the current Plex agent) or fix the ids in Radarr"
    )
}

/// Unmonitors, in one bulk request, every monitored Radarr movie that Plex
/// already has.
pub(crate) async fn monitor_confirm(ctx: &RunContext) -> StepReport {
    let mut report = StepReport::new(StepKind::MonitorConfirm);
    let Some(radarr) = ctx.services.radarr.clone() else {
        return StepReport::skipped(StepKind::MonitorConfirm, Service::Radarr.to_string());
    };
    let library = match ctx.library().await {
        Ok(l) => l,
        Err(error) => {
            report.status = StepStatus::Failed(error);
            return report;
        }
    };
    if let Err(error) = ctx.load_radarr_movies(radarr.as_ref()).await {
        report.status = StepStatus::Failed(format!("radarr: {error}"));
        return report;
    }
    let (total, monitored, in_plex): (usize, usize, Vec<(MovieId, String)>) = {
        let cache = ctx.radarr_movies.lock().await;
        let movies = cache.as_deref().unwrap_or_default();
        let shared = shared_imdb_ids(movies);
        let monitored: Vec<_> = movies.iter().filter(|m| m.monitored).collect();
        let in_plex = monitored
            .iter()
            // By TMDb id or IMDb id: legacy-agent items carry only the
            // latter, and an IMDb id two Radarr movies share names neither.
            .filter(|m| library.has_ids(m.tmdb_id, unshared_imdb(m, &shared)))
            .map(|m| (m.id, format!("{} ({})", m.title, m.year)))
            .collect();
        let ambiguous: BTreeSet<&ImdbId> = monitored
            .iter()
            .filter(|m| library.by_tmdb(m.tmdb_id).is_empty())
            .filter_map(|m| m.imdb_id.as_ref())
            .filter(|id| shared.contains(*id) && !library.by_imdb_only(id).is_empty())
            .collect();
        report.notes.extend(
            ambiguous
                .into_iter()
                .map(|id| ambiguous_note(id, "the Plex item with only this id")),
        );
        (movies.len(), monitored.len(), in_plex)
    };
    report.count("radarr_movies", total as u64);
    report.count("monitored", monitored as u64);
    report.count("already_in_plex", in_plex.len() as u64);
    if in_plex.is_empty() {
        return report;
    }
    if ctx.dry_run() {
        report.planned.extend(
            in_plex
                .iter()
                .map(|(_, title)| format!("unmonitor {title} in Radarr")),
        );
        return report;
    }
    let ids: Vec<MovieId> = in_plex.iter().map(|(id, _)| *id).collect();
    let result = radarr
        .edit_movies(&MovieEditor::new(ids.clone()).with_monitored(false))
        .await;
    let unmonitored = applied(&ids, &result);
    report.count("unmonitored", unmonitored.len() as u64);
    mark_unmonitored(ctx, &unmonitored).await;
    if let Err(error) = result {
        report.status = StepStatus::Failed(format!("{error:#}"));
    }
    report
}

async fn mark_unmonitored(ctx: &RunContext, ids: &[MovieId]) {
    let mut cache = ctx.radarr_movies.lock().await;
    for m in cache.iter_mut().flatten().filter(|m| ids.contains(&m.id)) {
        m.monitored = false;
    }
}
