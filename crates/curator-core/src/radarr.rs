//! Handing missing movies to Radarr: one movie list per run, tags ensured
//! once per run, unmonitored movies re-monitored in one bulk request.

use std::collections::{BTreeMap, HashMap};

use curator_http::TmdbId;
use radarr_client::{AddMovie, AddOutcome, ApplyTags, MovieEditor, RadarrApi, TagId};

use crate::context::RunContext;
use crate::report::{Outcome, StepReport};

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

/// Sends `movies` to Radarr tagged with `labels`; returns each movie's
/// outcome. Per-movie failures are outcomes, not errors.
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

    if let Err(error) = load_movies(ctx, radarr).await {
        report.failures.push(format!("radarr: {error}"));
        for m in movies {
            outcomes.insert(
                m.tmdb_id,
                Outcome::Failed(format!("Radarr unavailable: {error}")),
            );
        }
        return outcomes;
    }
    let tag_ids = if ctx.dry_run() {
        Vec::new()
    } else {
        match ensure_tags(ctx, radarr, labels).await {
            Ok(ids) => ids,
            Err(error) => {
                report.failures.push(format!(
                    "radarr tags {labels:?}: {error}; movies added without them"
                ));
                Vec::new()
            }
        }
    };

    let mut remonitor = Vec::new();
    let mut to_add = Vec::new();
    let mut retag = Vec::new();
    {
        let cache = ctx.radarr_movies.lock().await;
        let known = cache.as_deref().unwrap_or_default();
        for m in movies {
            match known.iter().find(|r| r.tmdb_id == m.tmdb_id) {
                Some(r) if r.monitored => {
                    // Wanted already; still record why curator wants it.
                    if tag_ids.iter().any(|t| !r.tags.contains(t)) {
                        retag.push(r.id);
                    }
                    outcomes.insert(m.tmdb_id, Outcome::AlreadyInRadarr);
                }
                Some(r) => remonitor.push((m, r.id)),
                None => to_add.push(m),
            }
        }
    }

    if ctx.dry_run() {
        for (m, _) in &remonitor {
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

    if !retag.is_empty() {
        let edit = MovieEditor::new(retag.clone()).with_tags(ApplyTags::Add, tag_ids.clone());
        match radarr.edit_movies(&edit).await {
            Ok(()) => {
                let mut cache = ctx.radarr_movies.lock().await;
                for r in cache.iter_mut().flatten().filter(|r| retag.contains(&r.id)) {
                    for t in &tag_ids {
                        if !r.tags.contains(t) {
                            r.tags.push(*t);
                        }
                    }
                }
            }
            Err(error) => report.failures.push(format!(
                "tagging {} movie(s) in Radarr: {error:#}",
                retag.len()
            )),
        }
    }

    if !remonitor.is_empty() {
        let ids = remonitor.iter().map(|(_, id)| *id).collect();
        let mut edit = MovieEditor::new(ids).with_monitored(true);
        if !tag_ids.is_empty() {
            edit = edit.with_tags(ApplyTags::Add, tag_ids.clone());
        }
        match radarr.edit_movies(&edit).await {
            Ok(()) => {
                let mut cache = ctx.radarr_movies.lock().await;
                for (m, id) in &remonitor {
                    if let Some(r) = cache.iter_mut().flatten().find(|r| r.id == *id) {
                        r.monitored = true;
                    }
                    outcomes.insert(m.tmdb_id, Outcome::Remonitored);
                }
            }
            Err(error) => {
                for (m, _) in &remonitor {
                    outcomes.insert(m.tmdb_id, Outcome::Failed(format!("{error:#}")));
                }
            }
        }
    }

    for m in to_add {
        // Radarr wants a year; TMDb has none for unreleased films, but
        // Radarr's own lookup knows what it will accept.
        let year = match m.year {
            Some(year) => year,
            None => match radarr.lookup_tmdb(m.tmdb_id).await {
                Ok(found) => found.year,
                Err(error) => {
                    outcomes.insert(
                        m.tmdb_id,
                        Outcome::Failed(format!(
                            "no release year, and Radarr's lookup failed: {error:#}"
                        )),
                    );
                    continue;
                }
            },
        };
        let request = AddMovie::new(
            m.tmdb_id,
            m.title.clone(),
            year,
            settings.quality_profile_id,
            settings.root_folder.clone(),
        )
        .with_tags(tag_ids.clone())
        .with_minimum_availability(settings.minimum_availability.clone())
        .with_search_on_add(settings.search_on_add);
        let outcome = match radarr.add_movie(&request).await {
            Ok(AddOutcome::Added(movie)) => {
                let mut cache = ctx.radarr_movies.lock().await;
                cache.get_or_insert_with(Vec::new).push(*movie);
                Outcome::SentToRadarr
            }
            Ok(AddOutcome::AlreadyExists) => Outcome::AlreadyInRadarr,
            Err(error) => Outcome::Failed(format!("{error:#}")),
        };
        outcomes.insert(m.tmdb_id, outcome);
    }
    outcomes
}

fn label(m: &MissingMovie) -> String {
    match m.year {
        Some(y) => format!("{} ({y}) [tmdb {}]", m.title, m.tmdb_id),
        None => format!("{} [tmdb {}]", m.title, m.tmdb_id),
    }
}

/// Reads Radarr's movie list once per run.
pub(crate) async fn load_movies(ctx: &RunContext, radarr: &dyn RadarrApi) -> Result<(), String> {
    let mut cache = ctx.radarr_movies.lock().await;
    if cache.is_none() {
        let movies = radarr.movies().await.map_err(|e| format!("{e:#}"))?;
        tracing::info!(movies = movies.len(), "read Radarr's movie list");
        *cache = Some(movies);
    }
    Ok(())
}

/// Tag ids for `labels`: Radarr's tag list is read once per run, and only
/// labels it lacks are created (matched trimmed and case-insensitively).
async fn ensure_tags(
    ctx: &RunContext,
    radarr: &dyn RadarrApi,
    labels: &[String],
) -> Result<Vec<TagId>, String> {
    let mut cache = ctx.radarr_tags.lock().await;
    if cache.is_none() {
        let tags = radarr.tags().await.map_err(|e| format!("{e:#}"))?;
        *cache = Some(
            tags.into_iter()
                .map(|t| (t.label.trim().to_lowercase(), t.id))
                .collect(),
        );
    }
    let known = cache.get_or_insert_with(HashMap::new);
    let mut ids = Vec::new();
    for label in labels.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
        let key = label.to_lowercase();
        let id = match known.get(&key) {
            Some(id) => *id,
            None => {
                let tag = radarr
                    .create_tag(label)
                    .await
                    .map_err(|e| format!("{e:#}"))?;
                known.insert(key, tag.id);
                tag.id
            }
        };
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}
