//! Handing missing movies to Radarr: one movie list per run, tags ensured
//! once per run, unmonitored movies re-monitored in one bulk request and
//! searched for in one command.

use std::collections::{BTreeMap, BTreeSet};

use curator_http::{ImdbId, TmdbId};
use radarr_client::{AddMovie, AddOutcome, ApplyTags, MovieEditor, MovieId, RadarrApi, TagId};

use crate::arr_tags::{self, Arr};
use crate::context::RunContext;
use crate::library::LibraryIndex;
use crate::report::{Outcome, StepReport};

/// How a step's one message about an unreachable Radarr begins.
const RADARR_FAILED: &str = "Radarr failed: ";

/// A movie TMDb knows and Plex lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingMovie {
    /// Its TMDb id.
    pub tmdb_id: TmdbId,
    /// Its title.
    pub title: String,
    /// Its year.
    pub year: Option<i32>,
}

impl MissingMovie {
    /// "Title (year)", for reports.
    pub(crate) fn label(&self) -> String {
        match self.year {
            Some(y) => format!("{} ({y})", self.title),
            None => self.title.clone(),
        }
    }
}

/// Sends `movies` to Radarr tagged with `labels`; returns each movie's
/// outcome. Per-movie failures are outcomes, not errors.
///
/// A movie Radarr lists is matched to Plex by its TMDb id or its IMDb id
/// (legacy-agent libraries know only the latter): one Plex has is not
/// re-monitored. A movie Radarr has goes through one bulk retag and one
/// bulk re-monitor (plus one search command for the re-monitored ones when
/// `search_on_add` is on); the others are added, and an add Radarr answers
/// with "already added" (our list was stale) is fetched by TMDb id and
/// joins the known ones.
pub(crate) async fn hand_off(
    ctx: &RunContext,
    movies: &[MissingMovie],
    labels: &[String],
    report: &mut StepReport,
) -> BTreeMap<TmdbId, Outcome> {
    let mut outcomes = BTreeMap::new();
    if movies.is_empty() {
        return outcomes;
    }
    let (Some(radarr), Some(settings)) = (&ctx.services.radarr, &ctx.settings.radarr) else {
        report.notes.push(format!(
            "{} missing movie(s) not sent: Radarr is not configured",
            movies.len()
        ));
        for m in movies {
            outcomes.insert(m.tmdb_id, Outcome::MissingNoRadarr);
        }
        return outcomes;
    };
    let radarr = radarr.as_ref();

    if let Err(error) = ctx.load_radarr_movies(radarr).await {
        // Once per step, not once per movie: the movies carry a short
        // reason and are listed together.
        if !report.failures.iter().any(|f| f.starts_with(RADARR_FAILED)) {
            report.failures.push(format!("{RADARR_FAILED}{error}"));
        }
        for m in movies {
            outcomes.insert(
                m.tmdb_id,
                Outcome::Failed("not sent: Radarr could not be asked".into()),
            );
        }
        return outcomes;
    }
    let library = ctx.library().await.ok();
    let tag_ids = if ctx.dry_run() {
        Vec::new()
    } else {
        let (ids, failures) = ensure_tags(ctx, radarr, labels).await;
        for failure in failures {
            report.failures.push(failure);
        }
        ids
    };

    let mut plan = Plan::default();
    let mut to_add = Vec::new();
    {
        let cache = ctx.radarr_movies.lock().await;
        let known = cache.as_deref().unwrap_or_default();
        plan.shared_imdb = shared_imdb_ids(known);
        for m in movies {
            match known.iter().find(|r| r.tmdb_id == m.tmdb_id) {
                Some(r) => plan.sort(m, r, library.as_deref(), &tag_ids, &mut outcomes),
                None => to_add.push(m),
            }
        }
    }

    if ctx.dry_run() {
        for (m, _) in &plan.remonitor {
            report
                .planned
                .push(format!("monitor {} in Radarr", label(m)));
            outcomes.insert(m.tmdb_id, Outcome::WouldSendToRadarr);
        }
        for m in &to_add {
            report.planned.push(format!(
                "add {} to Radarr with tags {}",
                label(m),
                labels.join(", ")
            ));
            outcomes.insert(m.tmdb_id, Outcome::WouldSendToRadarr);
        }
        return outcomes;
    }

    for m in to_add {
        // With a TMDb id Radarr takes title and year from its own metadata
        // (AddMovieService.AddSkyhookData, Movie.ApplyChanges), so a missing
        // year needs no lookup.
        let request = AddMovie::new(
            m.tmdb_id,
            m.title.clone(),
            m.year.unwrap_or(0),
            settings.quality_profile_id,
            settings.root_folder.clone(),
        )
        .with_tags(tag_ids.clone())
        .with_minimum_availability(settings.minimum_availability.clone())
        .with_search_on_add(settings.search_on_add);
        match radarr.add_movie(&request).await {
            Ok(AddOutcome::Added(movie)) => {
                let mut cache = ctx.radarr_movies.lock().await;
                cache.get_or_insert_with(Vec::new).push(*movie);
                outcomes.insert(m.tmdb_id, Outcome::SentToRadarr);
            }
            Ok(AddOutcome::AlreadyExists) => {
                // Added since our list was read: fetch it and treat it as known.
                match radarr.movie_by_tmdb(m.tmdb_id).await {
                    Ok(Some(r)) => {
                        plan.sort(m, &r, library.as_deref(), &tag_ids, &mut outcomes);
                        let mut cache = ctx.radarr_movies.lock().await;
                        cache.get_or_insert_with(Vec::new).push(r);
                    }
                    Ok(None) => {
                        outcomes.insert(m.tmdb_id, Outcome::AlreadyInRadarr);
                    }
                    Err(error) => {
                        outcomes.insert(
                            m.tmdb_id,
                            Outcome::Failed(format!(
                                "Radarr already has it, but reading it failed: {error:#}"
                            )),
                        );
                    }
                }
            }
            Err(error) => {
                outcomes.insert(m.tmdb_id, Outcome::Failed(format!("{error:#}")));
            }
        }
    }

    if !plan.retag.is_empty() {
        let edit = MovieEditor::new(plan.retag.clone()).with_tags(ApplyTags::Add, tag_ids.clone());
        let result = radarr.edit_movies(&edit).await;
        let done = applied(&plan.retag, &result);
        if let Err(error) = &result {
            report.failures.push(format!(
                "tagging {} movie(s) in Radarr: {error:#}",
                plan.retag.len() - done.len()
            ));
        }
        let mut cache = ctx.radarr_movies.lock().await;
        for r in cache.iter_mut().flatten().filter(|r| done.contains(&r.id)) {
            for t in &tag_ids {
                if !r.tags.contains(t) {
                    r.tags.push(*t);
                }
            }
        }
    }

    if !plan.remonitor.is_empty() {
        let ids: Vec<MovieId> = plan.remonitor.iter().map(|(_, id)| *id).collect();
        let mut edit = MovieEditor::new(ids.clone()).with_monitored(true);
        if !tag_ids.is_empty() {
            edit = edit.with_tags(ApplyTags::Add, tag_ids.clone());
        }
        let result = radarr.edit_movies(&edit).await;
        let done = applied(&ids, &result);
        {
            let mut cache = ctx.radarr_movies.lock().await;
            for r in cache.iter_mut().flatten().filter(|r| done.contains(&r.id)) {
                r.monitored = true;
            }
        }
        for (m, id) in &plan.remonitor {
            let outcome = match &result {
                Err(error) if !done.contains(id) => Outcome::Failed(format!("{error:#}")),
                _ => Outcome::Remonitored,
            };
            outcomes.insert(m.tmdb_id, outcome);
        }
        // The editor only flips the flag; Radarr searches on its own only
        // after an add with searchForMovie. Ask once for all of them.
        if settings.search_on_add
            && !done.is_empty()
            && let Err(error) = radarr.search_movies(&done).await
        {
            report.failures.push(format!(
                "asking Radarr to search for {} re-monitored movie(s): {error:#}",
                done.len()
            ));
        }
    }
    outcomes
}

/// What to do with the missing movies Radarr already has.
#[derive(Default)]
struct Plan<'a> {
    retag: Vec<MovieId>,
    remonitor: Vec<(&'a MissingMovie, MovieId)>,
    /// IMDb ids more than one Radarr movie carries: no match by them.
    shared_imdb: BTreeSet<ImdbId>,
}

impl<'a> Plan<'a> {
    /// Files `m`, which Radarr knows as `r`.
    fn sort(
        &mut self,
        m: &'a MissingMovie,
        r: &radarr_client::Movie,
        library: Option<&LibraryIndex>,
        tag_ids: &[TagId],
        outcomes: &mut BTreeMap<TmdbId, Outcome>,
    ) {
        // Resolving looked for the TMDb id; a legacy-agent library may hold
        // the movie under the IMDb id Radarr knows.
        let imdb = unshared_imdb(r, &self.shared_imdb);
        if let Some(found) = library
            .map(|l| l.by_ids(r.tmdb_id, imdb))
            .and_then(|found| found.into_iter().next())
        {
            outcomes.insert(m.tmdb_id, Outcome::InPlex(found.rating_key.0.clone()));
            return;
        }
        if r.monitored {
            // Wanted already; still record why curator wants it.
            if tag_ids.iter().any(|t| !r.tags.contains(t)) && !self.retag.contains(&r.id) {
                self.retag.push(r.id);
            }
            outcomes.insert(m.tmdb_id, Outcome::AlreadyInRadarr);
        } else if !self.remonitor.iter().any(|(_, id)| *id == r.id) {
            self.remonitor.push((m, r.id));
        }
    }
}

/// The IMDb ids that more than one of Radarr's `movies` carries. Radarr's
/// TMDb id is unique, its IMDb id is not (TMDb can hold two entries for one
/// IMDb title; Radarr's own `FindByImdbId` once failed on such libraries
/// with "Sequence contains more than one element", Radarr/Radarr#3265), so
/// such an id cannot say which Radarr movie a legacy-agent Plex item is.
pub(crate) fn shared_imdb_ids(movies: &[radarr_client::Movie]) -> BTreeSet<ImdbId> {
    let mut seen = BTreeSet::new();
    let mut shared = BTreeSet::new();
    for id in movies.iter().filter_map(|m| m.imdb_id.as_ref()) {
        if !seen.insert(id) {
            shared.insert(id.clone());
        }
    }
    shared
}

/// `movie`'s IMDb id, unless another Radarr movie carries it too.
pub(crate) fn unshared_imdb<'a>(
    movie: &'a radarr_client::Movie,
    shared: &BTreeSet<ImdbId>,
) -> Option<&'a ImdbId> {
    movie.imdb_id.as_ref().filter(|id| !shared.contains(*id))
}

/// The ids of `ids` an edit changed: all on success, those outside the
/// failed chunks otherwise (none when the error does not say).
pub(crate) fn applied(ids: &[MovieId], result: &Result<(), radarr_client::Error>) -> Vec<MovieId> {
    match result {
        Ok(()) => ids.to_vec(),
        Err(error) => {
            let unchanged = error.unchanged_ids();
            if unchanged.is_empty() {
                return Vec::new();
            }
            ids.iter()
                .filter(|id| !unchanged.contains(id))
                .copied()
                .collect()
        }
    }
}

fn label(m: &MissingMovie) -> String {
    match m.year {
        Some(y) => format!("{} ({y}) [tmdb {}]", m.title, m.tmdb_id),
        None => format!("{} [tmdb {}]", m.title, m.tmdb_id),
    }
}

/// The library's TMDb id -> rating key map, completed through Radarr's
/// movie list (which knows both ids of each movie) for items known to Plex
/// only by IMDb id (legacy agents). Radarr's list is read (once per run)
/// only when the library has such items and some id in `wanted` is not in
/// Plex by TMDb id; without Radarr, or when it fails, the plain map.
pub(crate) async fn plex_keys(
    ctx: &RunContext,
    library: &LibraryIndex,
    wanted: impl IntoIterator<Item = TmdbId>,
) -> BTreeMap<TmdbId, String> {
    let keys = library.tmdb_keys();
    let unmatched = wanted.into_iter().any(|id| !keys.contains_key(&id));
    let Some(radarr) = &ctx.services.radarr else {
        return keys;
    };
    if !unmatched || !library.has_imdb_only_items() {
        return keys;
    }
    if let Err(error) = ctx.load_radarr_movies(radarr.as_ref()).await {
        tracing::warn!(%error, "no Radarr list to match IMDb-only Plex items by");
        return keys;
    }
    let cache = ctx.radarr_movies.lock().await;
    let known = cache.as_deref().unwrap_or_default();
    let shared = shared_imdb_ids(known);
    library.tmdb_keys_with(
        known
            .iter()
            .filter_map(|m| Some((m.tmdb_id, unshared_imdb(m, &shared)?))),
    )
}

/// Tag ids for `labels`, and a message per label that could not be had.
///
/// Labels are normalised to what every Radarr version accepts
/// ([`radarr_client::normalize_tag_label`]: Radarr v6 refuses anything
/// outside `^[a-z0-9-]+$`, and all versions store labels lowercased and look
/// them up by exact case). Radarr's tag list is read once per run, only
/// labels it lacks are created, and one label that fails never drops the
/// others ([`arr_common::resolve_tags`], which the clients' `ensure_tags` share).
async fn ensure_tags(
    ctx: &RunContext,
    radarr: &dyn RadarrApi,
    labels: &[String],
) -> (Vec<TagId>, Vec<String>) {
    let arr = Arr {
        key: "radarr",
        name: "Radarr",
        items: "movies",
    };
    arr_tags::ensure_tags(
        arr,
        &ctx.radarr_tags,
        labels,
        || radarr.tags(),
        |label| async move { radarr.create_tag(&label).await },
    )
    .await
}
