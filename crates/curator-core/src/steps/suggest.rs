//! Shared by the recommendation steps: the seed movie, asking the LLM (or
//! TMDb when the LLM cannot answer), and resolving what came back.

use std::collections::{BTreeSet, HashSet};

use futures_util::StreamExt;

use curator_http::TmdbId;
use llm_recs::{SeedMovie, Suggestion, SuggestionKind, SuggestionRequest};
use serde::Serialize;
use tmdb_client::{DiscoverQuery, DiscoverSort, GenreId, MovieSummary, TmdbApi};

use crate::context::RunContext;
use crate::normalize::normalize_title;
use crate::pipeline::RunObserver;
use crate::radarr::MissingMovie;
use crate::report::{MovieOutcome, Outcome, StepReport};
use crate::resolve::{ResolvedMovie, Unresolved, find_in_library, resolve_title};

/// The movie that was just watched, as the trigger described it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Seed {
    /// Its title.
    pub title: String,
    /// Its year, when known.
    pub year: Option<i32>,
    /// Its TMDb id, when the trigger knew it.
    pub tmdb_id: Option<TmdbId>,
    /// Its Plex rating key, when the trigger knew it.
    pub rating_key: Option<String>,
}

impl Seed {
    /// A seed with a title only.
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            ..Self::default()
        }
    }

    /// "Title (Year)" or "Title".
    pub fn label(&self) -> String {
        match self.year {
            Some(y) => format!("{} ({y})", self.title),
            None => self.title.clone(),
        }
    }
}

/// The seed with what TMDb knows about it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SeedInfo {
    /// Title.
    pub title: String,
    /// Year.
    pub year: Option<i32>,
    /// TMDb id, when it resolved.
    pub tmdb_id: Option<TmdbId>,
    /// Genre ids.
    pub genre_ids: Vec<GenreId>,
    /// Genre names.
    pub genres: Vec<String>,
    /// Overview.
    pub overview: Option<String>,
}

/// Looks the seed up on TMDb (by id when given, else by title and year).
/// A failure leaves the seed as the trigger described it, with a note.
pub(crate) async fn seed_info(
    ctx: &RunContext,
    seed: &Seed,
    report: &mut StepReport,
    trouble: &mut Trouble,
) -> SeedInfo {
    let mut info = SeedInfo {
        title: seed.title.clone(),
        year: seed.year,
        tmdb_id: seed.tmdb_id,
        ..SeedInfo::default()
    };
    let Ok(tmdb) = ctx.tmdb() else {
        return info;
    };
    // The rating key Tautulli passes names the exact Plex item: its TMDb id
    // beats a title search (remakes share titles).
    let from_plex = match (&seed.tmdb_id, &seed.rating_key) {
        (None, Some(key)) => match ctx.library().await {
            Ok(library) => library
                .by_rating_key(&plex_client::RatingKey(key.clone()))
                .and_then(|m| m.tmdb_id),
            Err(_) => None,
        },
        _ => None,
    };
    let id = match seed.tmdb_id.or(from_plex) {
        Some(id) => Some(id),
        None => match resolve_title(tmdb.as_ref(), &seed.title, seed.year).await {
            Ok(found) => Some(found.id),
            Err(Unresolved::NoMatch) => {
                report.notes.push(format!(
                    "TMDb has no movie matching the watched movie {:?}",
                    seed.label()
                ));
                None
            }
            Err(Unresolved::TmdbFailed(error)) => {
                trouble.tmdb(error, std::iter::once(seed.label()));
                None
            }
        },
    };
    if let Some(id) = id {
        match tmdb.movie(id).await {
            Ok(Some(details)) => {
                info.tmdb_id = Some(details.id);
                info.year = info.year.or(details.year);
                info.genre_ids = details.genres.iter().map(|g| g.id).collect();
                info.genres = details.genres.iter().map(|g| g.name.clone()).collect();
                info.overview = Some(details.overview).filter(|o| !o.trim().is_empty());
            }
            Ok(None) => report.notes.push(format!("TMDb has no movie {id}")),
            Err(error) => trouble.tmdb(format!("{error:#}"), std::iter::once(seed.label())),
        }
    }
    info
}

/// What one suggestion list produced.
#[derive(Debug, Default)]
pub(crate) struct Resolved {
    pub(crate) found: Vec<ResolvedMovie>,
    pub(crate) missing: Vec<MissingMovie>,
    /// A service failed while the list was built, so it is only part of
    /// what it should be: a step must not replace its state with it.
    pub(crate) incomplete: bool,
}

/// The services that failed during a step, each with its first error and
/// what it affected, so a service that is down is reported once per step
/// ("TMDb failed: ...; 31 title(s) not resolved"), not once per movie.
#[derive(Debug, Default)]
pub(crate) struct Trouble {
    tmdb: Option<(String, Vec<String>)>,
    plex: Option<String>,
    llm: Option<String>,
}

impl Trouble {
    /// TMDb failed for these titles (the first error is kept).
    pub(crate) fn tmdb(&mut self, error: String, titles: impl IntoIterator<Item = String>) {
        let entry = self.tmdb.get_or_insert_with(|| (error, Vec::new()));
        entry.1.extend(titles);
    }

    /// The Plex library could not be read.
    pub(crate) fn plex(&mut self, error: String) {
        self.plex.get_or_insert(error);
    }

    /// The LLM failed (TMDb's suggestions were used instead).
    pub(crate) fn llm(&mut self, error: String) {
        self.llm.get_or_insert(error);
    }

    /// True when a service the step's state depends on failed (an LLM
    /// failure is covered by TMDb's suggestions).
    pub(crate) fn blocks_state(&self) -> bool {
        self.tmdb.is_some() || self.plex.is_some()
    }

    /// One sentence per failed service the state depends on.
    pub(crate) fn blocking(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(error) = &self.plex {
            out.push(format!("Plex failed: {error}"));
        }
        if let Some((error, titles)) = &self.tmdb {
            let n = titles.len();
            out.push(if n == 0 {
                format!("TMDb failed: {error}")
            } else {
                format!("TMDb failed: {error}; {n} title(s) not resolved")
            });
        }
        out
    }

    /// Puts the LLM's failure, if any, in the report's problems.
    pub(crate) fn report_llm(&self, report: &mut StepReport) {
        if let Some(error) = &self.llm {
            report.failures.push(format!(
                "LLM failed: {error}; used TMDb's suggestions instead"
            ));
        }
    }
}

/// What a movie TMDb could not be asked about is marked with (the error
/// itself is in the step's message, once).
pub(crate) const TMDB_NOT_ASKED: &str = "TMDb could not be asked";

/// Asks for `count` suggestions of `kind`, falls back to TMDb when the LLM
/// is missing, fails or answers nothing, resolves every title, and records
/// each movie's outcome in the report (found ones as in Plex; missing ones
/// are returned for the Radarr hand-off, which fills in their outcome).
#[expect(
    clippy::too_many_arguments,
    reason = "the step's report and trouble are threaded through, as the step's own state"
)]
pub(crate) async fn suggest_and_resolve(
    ctx: &RunContext,
    observer: &dyn RunObserver,
    seed: &SeedInfo,
    kind: SuggestionKind,
    count: usize,
    source: &str,
    report: &mut StepReport,
    trouble: &mut Trouble,
) -> Resolved {
    let tmdb = match ctx.tmdb() {
        Ok(t) => t.clone(),
        Err(why) => {
            report.failures.push(why.to_string());
            return Resolved {
                incomplete: true,
                ..Resolved::default()
            };
        }
    };
    let mut resolved = Resolved::default();
    // LLM titles still need resolving; TMDb's own picks come with their ids.
    let (suggestions, origin): (Vec<Candidate>, &str) =
        match ask_llm(ctx, seed, kind, count, report, trouble).await {
            Some(list) => (list.into_iter().map(Candidate::Title).collect(), "llm"),
            // Without the watched movie's id (TMDb failed looking it up),
            // TMDb has nothing to go on.
            None if kind == SuggestionKind::Similar
                && seed.tmdb_id.is_none()
                && trouble.tmdb.is_some() =>
            {
                resolved.incomplete = true;
                (Vec::new(), "tmdb")
            }
            None => {
                let (list, failure) =
                    tmdb_fallback(tmdb.as_ref(), seed, kind, count, ctx, report).await;
                if let Some(error) = failure {
                    trouble.tmdb(error, None);
                    resolved.incomplete = true;
                }
                (list.into_iter().map(Candidate::Known).collect(), "tmdb")
            }
        };
    report.count(&format!("{source}_suggested"), suggestions.len() as u64);
    let library = match ctx.library().await {
        Ok(l) => Some(l),
        Err(e) => {
            trouble.plex(e);
            resolved.incomplete = true;
            None
        }
    };

    // The TMDb searches for different titles do not depend on each other:
    // they run together (the client's rate limit paces them), and the loop
    // below takes their answers in the list's order, so the report reads as
    // if they had run one by one.
    let step = report.step;
    let mut searches = resolve_titles(tmdb.as_ref(), &suggestions, |done, total| {
        observer.progress(step, done, total, "resolving titles");
    })
    .await
    .into_iter();

    let mut seen_titles = HashSet::new();
    let mut seen_ids = BTreeSet::new();
    if let Some(id) = seed.tmdb_id {
        seen_ids.insert(id);
    }
    for candidate in suggestions {
        let outcome_source = format!("{source}/{origin}");
        let suggestion = match candidate {
            Candidate::Known(movie) => {
                seen_titles.insert((normalize_title(&movie.title), movie.year));
                Ok(movie)
            }
            Candidate::Title(suggestion) => {
                if !seen_titles.insert((normalize_title(&suggestion.title), suggestion.year)) {
                    continue;
                }
                searches
                    .next()
                    .expect("one search per distinct title")
                    .map_err(|why| (why, suggestion))
            }
        };
        let movie = match suggestion {
            Ok(m) => m,
            Err((why, suggestion)) => {
                let text = match why {
                    Unresolved::NoMatch => "no TMDb movie matches this title".to_owned(),
                    Unresolved::TmdbFailed(error) => {
                        // TMDb being down is not "no such movie": the list
                        // is incomplete, and the step keeps the old state.
                        trouble.tmdb(error, std::iter::once(suggestion.title.clone()));
                        resolved.incomplete = true;
                        TMDB_NOT_ASKED.to_owned()
                    }
                };
                report.count(&format!("{source}_unresolved"), 1);
                report.movies.push(MovieOutcome {
                    source: outcome_source,
                    title: suggestion.title,
                    year: suggestion.year,
                    tmdb_id: None,
                    outcome: Outcome::Unresolved(text),
                });
                continue;
            }
        };
        if !seen_ids.insert(movie.id) {
            continue;
        }
        let rating_key = match &library {
            Some(lib) => find_in_library(tmdb.as_ref(), lib, &movie).await,
            None => None,
        };
        match rating_key {
            Some(key) => {
                report.count(&format!("{source}_in_plex"), 1);
                report.movies.push(MovieOutcome {
                    source: outcome_source,
                    title: movie.title.clone(),
                    year: movie.year,
                    tmdb_id: Some(movie.id.0),
                    outcome: Outcome::InPlex(key.0.clone()),
                });
                resolved.found.push(ResolvedMovie {
                    tmdb_id: movie.id,
                    title: movie.title,
                    year: movie.year,
                    rating_key: Some(key),
                });
            }
            None if library.is_some() => {
                report.count(&format!("{source}_missing"), 1);
                resolved.missing.push(MissingMovie {
                    tmdb_id: movie.id,
                    title: movie.title,
                    year: movie.year,
                });
            }
            // Without the library nothing can be called missing: sending
            // everything to Radarr would be wrong.
            None => report.count(&format!("{source}_not_checked"), 1),
        }
    }
    resolved
}

/// How many title searches are in flight at once; TMDb's client-side rate
/// limit decides how fast they go.
const CONCURRENT_SEARCHES: usize = 8;

/// Resolves every suggested title the caller's loop will look up (the
/// first of each normalised title and year, Known movies counting as seen,
/// as the loop counts them), several at a time, answers in the list's
/// order. Long lists report progress as the answers come in.
async fn resolve_titles(
    tmdb: &dyn TmdbApi,
    candidates: &[Candidate],
    progress: impl Fn(u64, u64),
) -> Vec<Result<MovieSummary, Unresolved>> {
    let mut seen = HashSet::new();
    let titles: Vec<&Suggestion> = candidates
        .iter()
        .filter_map(|c| match c {
            Candidate::Title(s) => seen
                .insert((normalize_title(&s.title), s.year))
                .then_some(s),
            Candidate::Known(m) => {
                seen.insert((normalize_title(&m.title), m.year));
                None
            }
        })
        .collect();
    let total = titles.len() as u64;
    let mut done = 0;
    futures_util::stream::iter(titles)
        .map(|s| resolve_title(tmdb, &s.title, s.year))
        .buffered(CONCURRENT_SEARCHES)
        .inspect(|_| {
            done += 1;
            // Short lists resolve in a blink; only long ones are worth a
            // progress line.
            if total > 20 && (done == total || done.is_multiple_of(10)) {
                progress(done, total);
            }
        })
        .collect()
        .await
}

/// Records the Radarr outcome of each missing movie in the report.
pub(crate) fn record_missing(
    report: &mut StepReport,
    source: &str,
    missing: &[MissingMovie],
    outcomes: &std::collections::BTreeMap<TmdbId, Outcome>,
) {
    for m in missing {
        let outcome = outcomes
            .get(&m.tmdb_id)
            .cloned()
            .unwrap_or(Outcome::MissingNoRadarr);
        let counter = match outcome {
            Outcome::SentToRadarr => "sent_to_radarr",
            Outcome::AlreadyInRadarr => "already_in_radarr",
            Outcome::Remonitored => "remonitored_in_radarr",
            Outcome::WouldSendToRadarr => "would_send_to_radarr",
            Outcome::Failed(_) => "radarr_failed",
            _ => "missing_not_sent",
        };
        report.count(counter, 1);
        report.movies.push(MovieOutcome {
            source: source.to_owned(),
            title: m.title.clone(),
            year: m.year,
            tmdb_id: Some(m.tmdb_id.0),
            outcome,
        });
    }
}

async fn ask_llm(
    ctx: &RunContext,
    seed: &SeedInfo,
    kind: SuggestionKind,
    count: usize,
    report: &mut StepReport,
    trouble: &mut Trouble,
) -> Option<Vec<Suggestion>> {
    let llm = ctx.services.llm.as_ref()?;
    let mut movie = SeedMovie::new(seed.title.clone()).with_genres(seed.genres.clone());
    movie.year = seed.year;
    movie.overview = seed.overview.clone();
    let request = SuggestionRequest::new(kind, movie, count).with_avoid([seed.title.clone()]);
    match llm.suggest(&request).await {
        Ok(answer) if answer.is_empty() => {
            report.notes.push(format!(
                "the LLM gave no {kind} suggestions; using TMDb instead"
            ));
            None
        }
        Ok(answer) => {
            if answer.truncated {
                report.notes.push(format!(
                    "the LLM's {kind} answer was cut short; kept the {} suggestions that parsed",
                    answer.len()
                ));
            }
            Some(answer.items)
        }
        Err(error) => {
            trouble.llm(format!("{error:#}"));
            None
        }
    }
}

/// TMDb's suggestions when the LLM cannot give any.
///
/// Similar: the seed's recommendations (boost 1.0) and similar movies
/// (boost 0.4), then discover by the seed's genres if still short; keep
/// candidates with enough votes sharing a genre with the seed; rank by vote
/// average plus boost. Contrast: discover in genres opposite to the seed's,
/// keeping only movies sharing none of its genres. Also returns the first
/// TMDb error, when a request failed (the list is then incomplete).
async fn tmdb_fallback(
    tmdb: &dyn TmdbApi,
    seed: &SeedInfo,
    kind: SuggestionKind,
    count: usize,
    ctx: &RunContext,
    report: &mut StepReport,
) -> (Vec<MovieSummary>, Option<String>) {
    let settings = &ctx.settings.recommend;
    let mut candidates: Vec<(f64, MovieSummary)> = Vec::new();
    let mut failures = Vec::new();
    let seed_genres: BTreeSet<GenreId> = seed.genre_ids.iter().copied().collect();
    match kind {
        SuggestionKind::Similar => {
            let Some(id) = seed.tmdb_id else {
                report
                    .failures
                    .push("TMDb fallback needs the watched movie's TMDb id".into());
                return (Vec::new(), None);
            };
            for (boost, page) in [
                (1.0, tmdb.recommendations(id, 1).await),
                (0.4, tmdb.similar(id, 1).await),
            ] {
                match page {
                    Ok(page) => candidates.extend(page.results.into_iter().map(|m| (boost, m))),
                    Err(e) => failures.push(format!("{e:#}")),
                }
            }
            let usable = |c: &[(f64, MovieSummary)]| {
                c.iter()
                    .filter(|(_, m)| keep_similar(m, &seed_genres, settings.fallback_min_votes))
                    .count()
            };
            if usable(&candidates) < count && !seed_genres.is_empty() {
                let query = DiscoverQuery {
                    with_genres: seed_genres.iter().copied().collect(),
                    vote_count_gte: Some(settings.discover_min_votes),
                    sort_by: DiscoverSort::VoteAverageDesc,
                    page: 1,
                };
                match tmdb.discover(&query).await {
                    Ok(page) => candidates.extend(page.results.into_iter().map(|m| (0.0, m))),
                    Err(e) => failures.push(format!("{e:#}")),
                }
            }
            candidates.retain(|(_, m)| keep_similar(m, &seed_genres, settings.fallback_min_votes));
        }
        SuggestionKind::Contrast => {
            let opposite = opposite_genres(&seed_genres);
            let query = DiscoverQuery {
                with_genres: opposite,
                vote_count_gte: Some(settings.discover_min_votes),
                sort_by: DiscoverSort::VoteAverageDesc,
                page: 1,
            };
            match tmdb.discover(&query).await {
                Ok(page) => candidates.extend(page.results.into_iter().map(|m| (0.0, m))),
                Err(e) => failures.push(format!("{e:#}")),
            }
            candidates.retain(|(_, m)| {
                m.vote_count >= settings.fallback_min_votes
                    && !m.genre_ids.iter().any(|g| seed_genres.contains(g))
            });
        }
    }
    candidates.retain(|(_, m)| Some(m.id) != seed.tmdb_id);
    candidates.sort_by(|(ba, a), (bb, b)| (b.vote_average + bb).total_cmp(&(a.vote_average + ba)));
    let mut seen = BTreeSet::new();
    let picked = candidates
        .into_iter()
        .filter(|(_, m)| seen.insert(m.id))
        .take(count)
        .map(|(_, m)| m)
        .collect();
    (picked, failures.into_iter().next())
}

/// One suggestion on its way to a TMDb movie.
enum Candidate {
    /// A title (and maybe a year) from the LLM, to be resolved.
    Title(Suggestion),
    /// A movie TMDb itself picked: nothing to resolve.
    Known(MovieSummary),
}

fn keep_similar(m: &MovieSummary, seed_genres: &BTreeSet<GenreId>, min_votes: u32) -> bool {
    m.vote_count >= min_votes
        && (seed_genres.is_empty() || m.genre_ids.iter().any(|g| seed_genres.contains(g)))
}

/// TMDb genre ids opposite in mood to the seed's, most wanted first.
fn opposite_genres(seed: &BTreeSet<GenreId>) -> Vec<GenreId> {
    const ACTION: u32 = 28;
    const ADVENTURE: u32 = 12;
    const ANIMATION: u32 = 16;
    const COMEDY: u32 = 35;
    const CRIME: u32 = 80;
    const DOCUMENTARY: u32 = 99;
    const DRAMA: u32 = 18;
    const FAMILY: u32 = 10751;
    const FANTASY: u32 = 14;
    const HISTORY: u32 = 36;
    const HORROR: u32 = 27;
    const MUSIC: u32 = 10402;
    const MYSTERY: u32 = 9648;
    const ROMANCE: u32 = 10749;
    const SCIENCE_FICTION: u32 = 878;
    const THRILLER: u32 = 53;
    const WAR: u32 = 10752;
    const WESTERN: u32 = 37;
    let opposites = |genre: u32| -> &'static [u32] {
        match genre {
            HORROR | THRILLER | CRIME | WAR | MYSTERY => {
                &[COMEDY, FAMILY, ROMANCE, ANIMATION, MUSIC]
            }
            COMEDY | FAMILY | ANIMATION | ROMANCE | MUSIC => {
                &[THRILLER, DRAMA, WAR, CRIME, HISTORY]
            }
            ACTION | ADVENTURE | SCIENCE_FICTION | FANTASY | WESTERN => {
                &[ROMANCE, DOCUMENTARY, DRAMA, MUSIC, COMEDY]
            }
            DOCUMENTARY | HISTORY => &[FANTASY, ANIMATION, COMEDY, SCIENCE_FICTION],
            DRAMA => &[COMEDY, ANIMATION, ADVENTURE, FAMILY],
            _ => &[COMEDY, DRAMA],
        }
    };
    let mut votes: Vec<(u32, usize)> = Vec::new();
    for genre in seed {
        for (rank, &o) in opposites(genre.0).iter().enumerate() {
            if seed.contains(&GenreId(o)) {
                continue;
            }
            let weight = 10 - rank;
            match votes.iter_mut().find(|(g, _)| *g == o) {
                Some((_, w)) => *w += weight,
                None => votes.push((o, weight)),
            }
        }
    }
    if votes.is_empty() {
        votes.push((COMEDY, 1));
    }
    votes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    // Discover ORs the genres; two keep the mood focused.
    votes.into_iter().take(2).map(|(g, _)| GenreId(g)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opposite_genres_avoid_the_seeds_own() {
        let horror: BTreeSet<_> = [GenreId(27), GenreId(53)].into();
        let picked = opposite_genres(&horror);
        assert_eq!(picked, [GenreId(35), GenreId(10751)]);
        let comedy_drama: BTreeSet<_> = [GenreId(35), GenreId(18)].into();
        let picked = opposite_genres(&comedy_drama);
        assert!(
            picked.iter().all(|g| !comedy_drama.contains(g)),
            "{picked:?}"
        );
        assert_eq!(picked.len(), 2);
        assert_eq!(opposite_genres(&BTreeSet::new()), [GenreId(35)]);
    }
}
