//! The collection refreshers: make a Plex collection hold exactly its target
//! movies, in the wanted order, with as few requests as possible.
//!
//! Diff, never rebuild: the collection is created only when missing (with
//! its items, as python-plexapi does), only leaving items are removed, only
//! new ones added (in chunks, by the client, in the order the target shows
//! them), custom sort is set only when not already set, and the order is
//! reached with the fewest moves, planned from the order read back once
//! after adding: where Plex puts the items of one batch is not promised, so
//! a server that keeps their order needs no move for them and one that does
//! not still ends in the target order. Deleting and recreating a collection
//! would lose its poster and settings, so it never happens here.

use std::collections::{HashMap, HashSet};

use curator_http::{MediaKind, TmdbId};
use plex_client::{CollectionSort, Movie, PlexApi, RatingKey};
use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::collection::SmallCollection;
use crate::context::RunContext;
use crate::library::show_as_item;
use crate::observer::RunObserver;
use crate::order::{Move, apply_moves, head_moves, minimal_moves, shuffled, weighted_head};
use crate::points::{EntryStatus, PointsBook};
use crate::report::{StepKind, StepReport, StepStatus};
use crate::rows::RowKey;
use crate::settings::{CollectionNames, OrderMode};
use crate::state::LoadedPoints;
use crate::steps::rows::present_rows;

/// A movie a collection should hold.
#[derive(Debug, Clone)]
struct Wanted {
    tmdb_id: TmdbId,
    rating_key: Option<String>,
    title: String,
    points: u32,
}

/// The collection names of `kind`'s library.
fn names(ctx: &RunContext, kind: MediaKind) -> &CollectionNames {
    match (kind, &ctx.settings.tv) {
        (MediaKind::Show, Some(tv)) => &tv.collections,
        _ => &ctx.settings.collections,
    }
}

pub(crate) async fn recently_watched_refresher(
    ctx: &RunContext,
    kind: MediaKind,
    observer: &dyn RunObserver,
) -> StepReport {
    let step = StepKind::RecentlyWatchedRefresher
        .for_kind(kind)
        .unwrap_or(StepKind::RecentlyWatchedRefresher);
    let mut report = StepReport::new(step);
    let [similar, contrast] = SmallCollection::of(kind);
    let names = names(ctx, kind);
    for (which, name) in [
        (similar, &names.recently_watched),
        (contrast, &names.change_of_taste),
    ] {
        let state = match ctx.collection_state(which) {
            Ok(state) => state,
            Err(error) => {
                report.failures.push(error.to_string());
                continue;
            }
        };
        if state.movies.is_empty() {
            // No list yet (first run, another data directory, an old file
            // without ids): emptying the collection would only lose it.
            report.notes.push(format!(
                "{name}: {} holds no {kind}s yet; collection left as it is",
                which.file_name()
            ));
            continue;
        }
        let wanted = state
            .movies
            .iter()
            .map(|m| Wanted {
                tmdb_id: m.tmdb_id,
                rating_key: Some(m.rating_key.clone()),
                title: m.title.clone(),
                points: 1,
            })
            .collect();
        let order = ctx.settings.refresh.small_order;
        if let Err(error) = sync(ctx, observer, step, name, wanted, order, &mut report).await {
            report.failures.push(format!("{name}: {error}"));
        }
    }
    if report.counter("collections_synced") == 0 && !report.failures.is_empty() {
        report.status = StepStatus::Failed(report.failures.join("; "));
    }
    // The rows are the movie library's (TV rows: not yet).
    let [similar_row, contrast_row, _] = RowKey::of(kind);
    present_rows(ctx, &mut report, &[similar_row, contrast_row]).await;
    report
}

pub(crate) async fn immaculate_taste_refresher(
    ctx: &RunContext,
    kind: MediaKind,
    observer: &dyn RunObserver,
) -> StepReport {
    let step = StepKind::ImmaculateTasteRefresher
        .for_kind(kind)
        .unwrap_or(StepKind::ImmaculateTasteRefresher);
    let mut report = StepReport::new(step);
    let loaded = match ctx.staged_points_of(kind) {
        Some(book) => Ok(LoadedPoints::Current(book)),
        None => ctx.data.load_points_of(kind),
    };
    let book = match loaded {
        Ok(LoadedPoints::Current(book)) => book,
        Ok(LoadedPoints::Missing) => {
            return StepReport::skipped(step, "no points yet: nothing has been recommended");
        }
        Ok(LoadedPoints::Legacy(_)) => {
            return StepReport::skipped(
                step,
                "the previous tool's points file is not converted yet (see above why)",
            );
        }
        Err(error) => {
            report.status = StepStatus::Failed(error.to_string());
            return report;
        }
    };
    let book = promote_arrived(ctx, kind, book, &mut report).await;
    let wanted = book
        .movies
        .iter()
        .filter(|(_, e)| e.status == EntryStatus::Active && e.points > 0)
        .map(|(id, e)| Wanted {
            tmdb_id: *id,
            rating_key: e.rating_key.clone(),
            title: e.title.clone(),
            points: e.points,
        })
        .collect();
    let name = names(ctx, kind).immaculate_taste.clone();
    let order = ctx.settings.refresh.immaculate_order;
    if let Err(error) = sync(ctx, observer, step, &name, wanted, order, &mut report).await {
        report.status = StepStatus::Failed(format!("{name}: {error}"));
    }
    let [_, _, immaculate_row] = RowKey::of(kind);
    present_rows(ctx, &mut report, &[immaculate_row]).await;
    report
}

/// Promotes the pending movies (or shows) Plex now has, so an arrival
/// joins the collection without waiting for another watch. The library is
/// read only when something is pending; when it cannot be read, the book
/// stays. Plex's items are matched as a run matches them: movies by TMDb
/// id (IMDb-only legacy items through Radarr's list), shows by TMDb id
/// (legacy TVDB-agent items through TMDb's find, as the library is read).
async fn promote_arrived(
    ctx: &RunContext,
    kind: MediaKind,
    book: PointsBook,
    report: &mut StepReport,
) -> PointsBook {
    if book.pending().next().is_none() {
        return book;
    }
    let library = match ctx.library_of(kind).await {
        Ok(library) => library,
        Err(error) => {
            report.notes.push(format!(
                "pending {kind}s were not looked for in Plex: {error}"
            ));
            return book;
        }
    };
    let pending: Vec<TmdbId> = book.pending().map(|(id, _)| id).collect();
    let keys = match kind {
        MediaKind::Movie => crate::radarr::plex_keys(ctx, &library, pending).await,
        MediaKind::Show => crate::sonarr::plex_keys(ctx, &library).await,
    };
    let (promoted, arrived) = crate::points::promote_arrivals(&book, &keys, &ctx.settings.points);
    if arrived.is_empty() {
        return book;
    }
    report.count("points_arrived", arrived.len() as u64);
    for change in &arrived {
        if let crate::points::PointsChange::Arrived { title, .. } = change {
            report.notes.push(format!("{title} arrived in Plex"));
        }
    }
    if let Err(error) = ctx.save_points_of(kind, promoted.clone()) {
        report
            .notes
            .push(format!("the arrivals could not be saved: {error}"));
        return book;
    }
    promoted
}

/// Syncs one collection. Errors that stop the collection are returned;
/// per-item problems go into the report.
async fn sync(
    ctx: &RunContext,
    observer: &dyn RunObserver,
    step: StepKind,
    name: &str,
    wanted: Vec<Wanted>,
    order: OrderMode,
    report: &mut StepReport,
) -> Result<(), String> {
    let plex = ctx.plex().map_err(|e| e.to_string())?.clone();
    let plex = plex.as_ref();
    let kind = step.media();
    let cached = ctx.cached_library_of(kind);
    let section = match &cached {
        Some(library) => library.section().clone(),
        None => ctx.section_key(kind).await?,
    };

    let mut existing = plex
        .find_collection(&section, name)
        .await
        .map_err(|e| format!("{e:#}"))?;
    if existing.as_ref().is_some_and(|c| c.smart) {
        // Plex fills a smart collection from its filter: adding, removing
        // or moving items would fail or fight the filter.
        return Err(format!(
            "the Plex collection \"{name}\" is a smart collection, which curator cannot fill or order: \
             rename or delete it in Plex, or configure another collection name"
        ));
    }
    // Sort, then order: a collection not in custom sort lists its children
    // in that sort (release date, title), not in the custom order the moves
    // change, so it is switched before its order is read.
    let mut sorted_now = false;
    if let Some(c) = existing.as_mut()
        && c.collection_sort != Some(CollectionSort::Custom)
        && !ctx.dry_run()
    {
        plex.set_collection_sort(&c.rating_key, CollectionSort::Custom)
            .await
            .map_err(|e| format!("setting custom sort: {e:#}"))?;
        c.collection_sort = Some(CollectionSort::Custom);
        sorted_now = true;
    }
    let children: Vec<Movie> = match (&existing, kind) {
        (Some(c), MediaKind::Movie) => plex
            .collection_children(&c.rating_key)
            .await
            .map_err(|e| format!("{e:#}"))?,
        (Some(c), MediaKind::Show) => plex
            .collection_shows(&c.rating_key)
            .await
            .map_err(|e| format!("{e:#}"))?
            .into_iter()
            .map(show_as_item)
            .collect(),
        (None, _) => Vec::new(),
    };
    let current: Vec<RatingKey> = children.iter().map(|m| m.rating_key.clone()).collect();

    // What Plex has, as cheaply as possible: the library when this run read
    // it already; otherwise the collection's own children plus one batched
    // lookup of the other recorded keys; the whole library only when some
    // movie is still not found (its key changed, or it is gone).
    let mut known = Known::default();
    match &cached {
        Some(library) => {
            // Current members first: with duplicate items of one movie, the
            // one already in the collection stays rather than being swapped.
            known.extend(&children);
            known.extend(library.movies());
        }
        None => {
            known.extend(&children);
            let unknown: Vec<RatingKey> = wanted
                .iter()
                .filter(|w| !known.has(w))
                .filter_map(|w| w.rating_key.clone().map(RatingKey))
                .collect();
            if !unknown.is_empty() {
                let mut found = match kind {
                    MediaKind::Movie => plex.items(&unknown).await.map_err(|e| format!("{e:#}"))?,
                    MediaKind::Show => plex
                        .shows_by_key(&unknown)
                        .await
                        .map_err(|e| format!("{e:#}"))?
                        .into_iter()
                        .map(show_as_item)
                        .collect(),
                };
                // A recorded key may now name an item of another section.
                found.retain(|m| m.section.as_ref().is_none_or(|s| *s == section));
                known.extend(&found);
            }
            if wanted.iter().any(|w| !known.has(w)) {
                known.extend(ctx.library_of(kind).await?.movies());
            }
        }
    }
    let target = resolve_targets(&known, wanted, name, report);

    let wanted_keys: HashSet<&RatingKey> = target.iter().map(|(k, _)| k).collect();
    let current_keys: HashSet<&RatingKey> = current.iter().collect();
    let removals: Vec<RatingKey> = current
        .iter()
        .filter(|k| !wanted_keys.contains(k))
        .cloned()
        .collect();
    let additions: Vec<RatingKey> = target
        .iter()
        .map(|(k, _)| k)
        .filter(|k| !current_keys.contains(k))
        .cloned()
        .collect();
    let kept: Vec<RatingKey> = current
        .iter()
        .filter(|k| wanted_keys.contains(k))
        .cloned()
        .collect();

    // The order to reach. The moves that reach it are planned from the
    // order Plex really gives the added items, read back after adding.
    let mut rng = match ctx.settings.refresh.seed {
        Some(seed) => StdRng::seed_from_u64(seed),
        None => StdRng::from_os_rng(),
    };
    let keys: Vec<RatingKey> = target.iter().map(|(k, _)| k.clone()).collect();
    let added: HashSet<&RatingKey> = additions.iter().collect();
    let (desired, head_len): (Vec<RatingKey>, Option<usize>) = match order {
        OrderMode::Full => (shuffled(&keys, &mut rng), None),
        OrderMode::Head { head_size } => {
            let points: HashMap<&RatingKey, u32> =
                target.iter().map(|(k, w)| (k, w.points)).collect();
            // Kept items in their order, then the new ones.
            let base: Vec<RatingKey> = kept.iter().chain(additions.iter()).cloned().collect();
            let weight = |k: &RatingKey| {
                let boost = if added.contains(k) { 3.0 } else { 1.0 };
                f64::from(points.get(k).copied().unwrap_or(1).max(1)) * boost
            };
            let desired = weighted_head(&base, weight, head_size, &mut rng);
            let head_len = head_size.min(desired.len());
            (desired, Some(head_len))
        }
        OrderMode::Keep => (
            kept.iter().chain(additions.iter()).cloned().collect(),
            Some(0),
        ),
    };
    // New items are sent in the order the target shows them, so a server
    // that keeps the order of a batch needs no move for them.
    let additions: Vec<RatingKey> = desired
        .iter()
        .filter(|k| added.contains(k))
        .cloned()
        .collect();
    let needs_sort = existing
        .as_ref()
        .is_none_or(|c| c.collection_sort != Some(CollectionSort::Custom));
    if sorted_now {
        report.count("sort_set", 1);
    }

    report.count("collections_synced", 1);
    report.count("items", keys.len() as u64);
    report.count("added", additions.len() as u64);
    report.count("removed", removals.len() as u64);

    if existing.is_none() && keys.is_empty() {
        // Plex clients create collections with their items (python-plexapi
        // refuses an empty one): with nothing to hold, none is made.
        report
            .notes
            .push(format!("{name}: nothing to hold; collection not created"));
        return Ok(());
    }

    if ctx.dry_run() {
        // Planned as if Plex appends the added items in the order sent;
        // the real run plans from the order it reads back.
        let predicted: Vec<RatingKey> = kept.iter().chain(additions.iter()).cloned().collect();
        let moves = plan_moves(&predicted, &desired, head_len);
        report.count("moves_planned", moves.len() as u64);
        let titles = |ks: &[RatingKey]| {
            ks.iter()
                .map(|k| {
                    known
                        .titles
                        .get(k)
                        .cloned()
                        .unwrap_or_else(|| format!("item {k}"))
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        if existing.is_none() {
            report.planned.push(format!("create collection {name:?}"));
        }
        if !removals.is_empty() {
            report.planned.push(format!(
                "{name}: remove {} ({})",
                removals.len(),
                titles(&removals)
            ));
        }
        if !additions.is_empty() {
            report.planned.push(format!(
                "{name}: add {} ({})",
                additions.len(),
                titles(&additions)
            ));
        }
        if needs_sort {
            report.planned.push(format!("{name}: set custom sort"));
        }
        report
            .planned
            .push(format!("{name}: {} move(s) to reorder", moves.len()));
        return Ok(());
    }

    let created = existing.is_none();
    let collection = match existing {
        Some(c) => c,
        None => {
            let created = match kind {
                MediaKind::Movie => plex.create_collection_with_items(&section, name, &additions),
                MediaKind::Show => plex.create_collection_of(kind, &section, name, &additions),
            }
            .await
            .map_err(|e| format!("could not create the collection: {e:#}"))?;
            report.count("created", 1);
            created
        }
    };
    let id = collection.rating_key.clone();
    // Additions first, so the collection is never empty in between (a full
    // replacement would otherwise show an empty collection for a while).
    if !created && !additions.is_empty() {
        plex.add_to_collection(&id, &additions)
            .await
            .map_err(|e| format!("adding {} item(s): {e:#}", additions.len()))?;
    }
    let mut removed = HashSet::new();
    // The same error for many items is one line (a Plex that went down
    // mid-way fails every later removal the same way).
    let mut failed_removals: Vec<(String, Vec<&RatingKey>)> = Vec::new();
    for key in &removals {
        match plex.remove_from_collection(&id, key).await {
            Ok(()) => {
                removed.insert(key);
            }
            Err(e) => {
                let error = format!("{e:#}");
                match failed_removals.iter_mut().find(|(text, _)| *text == error) {
                    Some((_, keys)) => keys.push(key),
                    None => failed_removals.push((error, vec![key])),
                }
            }
        }
    }
    for (error, keys) in failed_removals {
        report.failures.push(match keys.as_slice() {
            [key] => format!("{name}: removing item {key}: {error}"),
            _ => format!(
                "{name}: removing {} items ({}): {error}",
                keys.len(),
                keys.iter()
                    .map(|k| k.0.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    if needs_sort {
        plex.set_collection_sort(&id, CollectionSort::Custom)
            .await
            .map_err(|e| format!("setting custom sort: {e:#}"))?;
    }

    // The order to plan from, read once after the membership changed: where
    // Plex put the added items is not promised (API-NOTES), and the read
    // also verifies the membership. Without additions or a sort change,
    // removals leave the relative order of the rest as it was read.
    let actual: Vec<RatingKey> = if created || !additions.is_empty() || needs_sort {
        plex.collection_children(&id)
            .await
            .map_err(|e| format!("reading the collection back: {e:#}"))?
            .into_iter()
            .map(|m| m.rating_key)
            .collect()
    } else {
        current
            .iter()
            .filter(|k| !removed.contains(k))
            .cloned()
            .collect()
    };
    let moves = plan_moves(&actual, &desired, head_len);
    report.count("moves_planned", moves.len() as u64);
    let done = apply(ctx, plex, observer, step, &id, &moves).await;
    let failed_moves = moves.len() - done.len();
    report.count("moves", done.len() as u64);
    if failed_moves > 0 {
        report.count("moves_failed", failed_moves as u64);
        report.failures.push(format!(
            "{name}: {failed_moves} move(s) failed and were skipped"
        ));
    }

    // Compare what the collection now holds (the order read, changed by the
    // moves Plex accepted) with what was wanted.
    let mut after = actual;
    apply_moves(&mut after, &done);
    let mismatch = differences(&after, &desired, head_len);
    if mismatch > 0 {
        report.count("out_of_place", mismatch as u64);
        report.failures.push(format!(
            "{name}: after syncing, {mismatch} item(s) differ from the target"
        ));
    }
    Ok(())
}

/// The fewest moves from `actual` to `desired`: all of it, or only the
/// first `head` positions (the rest keeps the order it has).
fn plan_moves(
    actual: &[RatingKey],
    desired: &[RatingKey],
    head: Option<usize>,
) -> Vec<Move<RatingKey>> {
    match head {
        None => minimal_moves(actual, desired),
        Some(head) => head_moves(actual, &desired[..head]),
    }
}

/// The Plex items a sync knows about.
#[derive(Default)]
struct Known {
    by_tmdb: HashMap<TmdbId, RatingKey>,
    titles: HashMap<RatingKey, String>,
}

impl Known {
    fn extend<'a>(&mut self, movies: impl IntoIterator<Item = &'a Movie>) {
        for m in movies {
            if let Some(id) = m.tmdb_id {
                self.by_tmdb
                    .entry(id)
                    .or_insert_with(|| m.rating_key.clone());
            }
            self.titles.insert(m.rating_key.clone(), m.title.clone());
        }
    }

    fn key(&self, wanted: &Wanted) -> Option<RatingKey> {
        self.by_tmdb.get(&wanted.tmdb_id).cloned().or_else(|| {
            let key = RatingKey(wanted.rating_key.clone()?);
            self.titles.contains_key(&key).then_some(key)
        })
    }

    fn has(&self, wanted: &Wanted) -> bool {
        self.key(wanted).is_some()
    }
}

/// Maps wanted movies to current rating keys: by TMDb id (keys change when
/// a library is rebuilt), else the recorded key if it still exists. Movies
/// Plex no longer has are skipped and reported.
fn resolve_targets(
    known: &Known,
    wanted: Vec<Wanted>,
    name: &str,
    report: &mut StepReport,
) -> Vec<(RatingKey, Wanted)> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(wanted.len());
    for w in wanted {
        match known.key(&w) {
            Some(key) if seen.insert(key.clone()) => out.push((key, w)),
            Some(_) => {}
            None => {
                report.count("skipped_missing", 1);
                report.notes.push(format!(
                    "{name}: {:?} is no longer in Plex; skipped",
                    w.title
                ));
            }
        }
    }
    out
}

/// Sends the moves in order and returns the ones Plex accepted.
async fn apply(
    ctx: &RunContext,
    plex: &dyn PlexApi,
    observer: &dyn RunObserver,
    step: StepKind,
    collection: &RatingKey,
    moves: &[Move<RatingKey>],
) -> Vec<Move<RatingKey>> {
    let total = moves.len() as u64;
    let attempts = ctx.settings.refresh.move_attempts.max(1);
    let mut done = Vec::with_capacity(moves.len());
    for (i, m) in moves.iter().enumerate() {
        for attempt in 1..=attempts {
            match plex
                .move_collection_item(collection, &m.item, m.after.as_ref())
                .await
            {
                Ok(()) => {
                    done.push(m.clone());
                    break;
                }
                Err(e) => tracing::warn!(item = %m.item, attempt, error = %e, "move failed"),
            }
        }
        let sent = i as u64 + 1;
        if sent == total || sent.is_multiple_of(25) {
            observer.progress(step, sent, total, "reordering");
        }
    }
    done
}

/// How many items are not where the target puts them. With a head, only the
/// head's positions and the membership of the rest are checked, because the
/// rest keeps whatever order Plex gave the added items.
fn differences(after: &[RatingKey], desired: &[RatingKey], head: Option<usize>) -> usize {
    let after_set: HashSet<&RatingKey> = after.iter().collect();
    let desired_set: HashSet<&RatingKey> = desired.iter().collect();
    let membership = after_set.symmetric_difference(&desired_set).count();
    let checked = head.unwrap_or(desired.len());
    let misplaced = desired
        .iter()
        .take(checked)
        .enumerate()
        .filter(|(i, k)| after.get(*i) != Some(k))
        .count();
    membership + misplaced
}
