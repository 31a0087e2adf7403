//! Shared by the recommendation steps: the seed movie, asking the LLM (or
//! TMDb when the LLM cannot answer), and resolving what came back.

use std::collections::{BTreeSet, HashMap, HashSet};

use curator_http::{MediaKind, TmdbId, TvdbId};
use futures_util::StreamExt;
use llm_recs::{
    ListSpec, ListsRequest, SeedMovie, Suggestion, SuggestionKind, SuggestionRequest, Suggestions,
};
use serde::Serialize;
use tmdb_client::{DiscoverQuery, DiscoverSort, GenreId, MovieSummary};

use crate::catalog::Catalog;
use crate::context::RunContext;
use crate::library::LibraryIndex;
use crate::normalize::normalize_title;
use crate::observer::RunObserver;
use crate::radarr::MissingMovie;
use crate::report::{MovieOutcome, Outcome, StepKind, StepReport};
use crate::resolve::{ResolvedMovie, Unresolved, resolve_in};
use crate::settings::RequestsVia;

/// The title that was just watched, as the trigger described it: a movie,
/// or the show of a watched episode.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Seed {
    /// Its title (for an episode, the show's).
    pub title: String,
    /// Its year, when known (a show's: the year it first aired).
    pub year: Option<i32>,
    /// Its TMDb id, when the trigger knew it (a TV id for a show: TMDb
    /// numbers shows apart from movies).
    pub tmdb_id: Option<TmdbId>,
    /// Its Plex rating key, when the trigger knew it (for an episode, the
    /// show's: the episode's `grandparentRatingKey`).
    pub rating_key: Option<String>,
    /// Movie or show: which steps the run does.
    pub kind: MediaKind,
    /// A show's TVDB id, when the trigger knew it (movies have none).
    pub tvdb_id: Option<TvdbId>,
}

impl Seed {
    /// A movie seed with a title only.
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            ..Self::default()
        }
    }

    /// A show seed with a title only.
    pub fn show(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            kind: MediaKind::Show,
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

/// What TMDb says about the watched movie before any step acts on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SeedCheck {
    /// A movie TMDb knows: the seed, with its TMDb id filled in.
    Known(Seed),
    /// TMDb has no such movie (a home video, a concert, a typo): nothing
    /// may be suggested from it. Why, for the report.
    Unknown(String),
    /// Not checked (no TMDb, or TMDb failed): the steps deal with it.
    Unchecked,
}

/// Resolves the watched movie to a TMDb movie: by the id the trigger gave
/// (trusted), by its Plex rating key, else by title and year. Only a
/// TMDb answer of "no such movie" makes it [`SeedCheck::Unknown`].
pub(crate) async fn check_seed(ctx: &RunContext, seed: &Seed) -> SeedCheck {
    // Shows are looked up by the TV steps, through TMDb's TV search.
    if seed.kind != MediaKind::Movie || seed.tmdb_id.is_some() {
        return SeedCheck::Known(seed.clone());
    }
    let Ok(catalog) = ctx.catalog(seed.kind) else {
        return SeedCheck::Unchecked;
    };
    let known = |id| {
        SeedCheck::Known(Seed {
            tmdb_id: Some(id),
            ..seed.clone()
        })
    };
    if let Some(id) = seed_from_ids(ctx, seed).await {
        return known(id);
    }
    match resolve_once(ctx, catalog, &seed.title, seed.year).await {
        Ok(found) => known(found.id),
        Err(Unresolved::NoMatch) => SeedCheck::Unknown(format!(
            "TMDb has no {} matching the watched title {:?}, so nothing was suggested, sent to {} or changed",
            seed.kind,
            seed.label(),
            ctx.settings.requests.service(seed.kind),
        )),
        Err(Unresolved::TmdbFailed(_)) => SeedCheck::Unchecked,
    }
}

/// The seed's TMDb id from what the trigger named exactly: the Plex item of
/// its rating key (its TMDb id beats a title search: remakes share titles),
/// else a show's TVDB id through TMDb's `find`.
async fn seed_from_ids(ctx: &RunContext, seed: &Seed) -> Option<TmdbId> {
    if let Some(key) = &seed.rating_key
        && let Ok(library) = ctx.library_of(seed.kind).await
        && let Some(id) = library
            .by_rating_key(&plex_client::RatingKey(key.clone()))
            .and_then(|m| m.tmdb_id)
    {
        return Some(id);
    }
    if seed.kind == MediaKind::Show
        && let Some(tvdb) = seed.tvdb_id
    {
        if let Ok(library) = ctx.library_of(MediaKind::Show).await
            && let Some(id) = library.by_tvdb(tvdb).first().and_then(|m| m.tmdb_id)
        {
            return Some(id);
        }
        if let Some(tmdb) = &ctx.services.tmdb_tv
            && let Ok(Some(show)) = tmdb.find_show_by_tvdb(tvdb).await
        {
            return Some(show.id);
        }
    }
    None
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
    /// Movie or show.
    pub kind: MediaKind,
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
        kind: seed.kind,
        ..SeedInfo::default()
    };
    let Ok(catalog) = ctx.catalog(seed.kind) else {
        return info;
    };
    let from_ids = match seed.tmdb_id {
        None => seed_from_ids(ctx, seed).await,
        Some(_) => None,
    };
    let id = match seed.tmdb_id.or(from_ids) {
        Some(id) => Some(id),
        None => match resolve_once(ctx, catalog, &seed.title, seed.year).await {
            Ok(found) => Some(found.id),
            Err(Unresolved::NoMatch) => {
                report.notes.push(format!(
                    "TMDb has no {kind} matching the watched {kind} {:?}",
                    seed.label(),
                    kind = seed.kind,
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
        match ctx.details(catalog, id).await {
            Ok(Some(details)) => {
                info.tmdb_id = Some(details.id);
                info.year = info.year.or(details.year);
                info.genre_ids = details.genres.iter().map(|g| g.id).collect();
                info.genres = details.genres.iter().map(|g| g.name.clone()).collect();
                info.overview = Some(details.overview).filter(|o| !o.trim().is_empty());
            }
            Ok(None) => report.notes.push(format!("TMDb has no {} {id}", seed.kind)),
            Err(error) => trouble.tmdb(error, std::iter::once(seed.label())),
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

impl Resolved {
    fn len(&self) -> usize {
        self.found.len() + self.missing.len()
    }
}

/// What the resolution loop keeps between the LLM's titles and TMDb's
/// fill-up.
struct Seen {
    titles: HashSet<(String, Option<i32>)>,
    ids: BTreeSet<TmdbId>,
}

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
    let tmdb = match ctx.catalog(seed.kind) {
        Ok(t) => t,
        Err(why) => {
            report.failures.push(why.to_string());
            return Resolved {
                incomplete: true,
                ..Resolved::default()
            };
        }
    };
    let mut resolved = Resolved::default();
    let mut seen = Seen {
        titles: HashSet::new(),
        ids: seed.tmdb_id.into_iter().collect(),
    };
    // LLM titles still need resolving; TMDb's own picks come with their ids.
    let from_llm = ask_llm(ctx, seed, kind, count, source, report, trouble).await;
    let asked_llm = from_llm.is_some();
    let (suggestions, origin): (Vec<Candidate>, &str) = match from_llm {
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
                tmdb_fallback(tmdb, seed, kind, count, &seen.ids, ctx, report).await;
            if let Some(error) = failure {
                trouble.tmdb(error, None);
                resolved.incomplete = true;
            }
            (list.into_iter().map(Candidate::Known).collect(), "tmdb")
        }
    };
    let suggested = suggestions.len();
    report.count(&format!("{source}_suggested"), suggested as u64);
    // Read after the LLM was asked: the run reads the library meanwhile.
    let library = match ctx.library_of(seed.kind).await {
        Ok(l) => Some(l),
        Err(e) => {
            trouble.plex(e);
            resolved.incomplete = true;
            None
        }
    };
    let mut pass = Pass {
        ctx,
        tmdb,
        library: library.as_deref(),
        observer,
        seed,
        source,
        seen: &mut seen,
        resolved: &mut resolved,
        report,
        trouble,
    };
    pass.resolve(suggestions, &format!("{source}/{origin}"))
        .await;

    // An answer that parses but whose titles are mostly not real movies
    // is as good as no answer: fill the list up from TMDb.
    let wanted =
        (suggested * usize::from(ctx.settings.recommend.min_resolved_percent)).div_ceil(100);
    let have = pass.resolved.len();
    if asked_llm && have < wanted.max(1) && have < count && !pass.resolved.incomplete {
        pass.report.notes.push(format!(
            "only {have} of the LLM's {source} titles are real {}s; filled up from TMDb",
            seed.kind
        ));
        let (more, failure) = tmdb_fallback(
            pass.tmdb,
            seed,
            kind,
            count - have,
            &pass.seen.ids,
            ctx,
            pass.report,
        )
        .await;
        if let Some(error) = failure {
            pass.trouble.tmdb(error, None);
            pass.resolved.incomplete = true;
        }
        pass.report
            .count(&format!("{source}_filled_from_tmdb"), more.len() as u64);
        pass.resolve(
            more.into_iter().map(Candidate::Known).collect(),
            &format!("{source}/tmdb"),
        )
        .await;
    }
    resolved
}

/// One list's resolution: what it needs and what it fills in.
struct Pass<'a> {
    ctx: &'a RunContext,
    tmdb: Catalog<'a>,
    library: Option<&'a LibraryIndex>,
    observer: &'a dyn RunObserver,
    seed: &'a SeedInfo,
    source: &'a str,
    seen: &'a mut Seen,
    resolved: &'a mut Resolved,
    report: &'a mut StepReport,
    trouble: &'a mut Trouble,
}

impl Pass<'_> {
    /// True for the seed itself: without its id, its title and year stand
    /// for it; a namesake of another year stays a candidate.
    fn is_seed(&self, movie: &MovieSummary) -> bool {
        self.seed.tmdb_id.is_none()
            && self.seed.year.is_some()
            && movie.year == self.seed.year
            && normalize_title(&movie.title) == normalize_title(&self.seed.title)
    }

    /// Resolves each candidate and sorts it into found (in Plex) and
    /// missing, recording its outcome; duplicates and the seed are skipped.
    async fn resolve(&mut self, candidates: Vec<Candidate>, outcome_source: &str) {
        let source = self.source;
        // The TMDb searches for different titles do not depend on each
        // other: they run together (the client's rate limit paces them),
        // and the loop below takes their answers in the list's order, so
        // the report reads as if they had run one by one.
        let step = self.report.step;
        let observer = self.observer;
        let mut searches = resolve_titles(
            self.ctx,
            self.tmdb,
            &candidates,
            self.seen.titles.clone(),
            |done, total| observer.progress(step, done, total, "resolving titles"),
        )
        .await
        .into_iter();
        for candidate in candidates {
            let suggestion = match candidate {
                Candidate::Known(movie) => {
                    self.seen
                        .titles
                        .insert((normalize_title(&movie.title), movie.year));
                    Ok(movie)
                }
                Candidate::Title(suggestion) => {
                    if !self
                        .seen
                        .titles
                        .insert((normalize_title(&suggestion.title), suggestion.year))
                    {
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
                        Unresolved::NoMatch => {
                            format!("no TMDb {} matches this title", self.seed.kind)
                        }
                        Unresolved::TmdbFailed(error) => {
                            // TMDb being down is not "no such movie": the
                            // list is incomplete, and the step keeps the
                            // old state.
                            self.trouble
                                .tmdb(error, std::iter::once(suggestion.title.clone()));
                            self.resolved.incomplete = true;
                            TMDB_NOT_ASKED.to_owned()
                        }
                    };
                    self.report.count(&format!("{source}_unresolved"), 1);
                    self.report.movies.push(MovieOutcome {
                        source: outcome_source.to_owned(),
                        title: suggestion.title,
                        year: suggestion.year,
                        tmdb_id: None,
                        outcome: Outcome::Unresolved(text),
                    });
                    continue;
                }
            };
            if self.is_seed(&movie) || !self.seen.ids.insert(movie.id) {
                continue;
            }
            let rating_key = match self.library {
                Some(lib) => find_in_catalog_library(self.ctx, self.tmdb, lib, &movie).await,
                None => None,
            };
            match rating_key {
                Some(key) => {
                    self.report.count(&format!("{source}_in_plex"), 1);
                    self.report.movies.push(MovieOutcome {
                        source: outcome_source.to_owned(),
                        title: movie.title.clone(),
                        year: movie.year,
                        tmdb_id: Some(movie.id.0),
                        outcome: Outcome::InPlex(key.0.clone()),
                    });
                    self.resolved.found.push(ResolvedMovie {
                        tmdb_id: movie.id,
                        title: movie.title,
                        year: movie.year,
                        rating_key: Some(key),
                    });
                }
                None if self.library.is_some() => {
                    self.report.count(&format!("{source}_missing"), 1);
                    self.resolved.missing.push(MissingMovie {
                        tmdb_id: movie.id,
                        title: movie.title,
                        year: movie.year,
                    });
                }
                // Without the library nothing can be called missing:
                // sending everything to Radarr would be wrong.
                None => self.report.count(&format!("{source}_not_checked"), 1),
            }
        }
    }
}

/// [`resolve_in`], once per run for each kind, title and year: a title
/// several lists suggest (the small collections' and the immaculate one's)
/// costs one search.
pub(crate) async fn resolve_once(
    ctx: &RunContext,
    tmdb: Catalog<'_>,
    title: &str,
    year: Option<i32>,
) -> Result<MovieSummary, Unresolved> {
    if let Some(found) = ctx.resolved_before(tmdb.kind(), title, year) {
        return found;
    }
    let found = resolve_in(tmdb, title, year).await;
    ctx.remember_resolution(tmdb.kind(), title, year, &found);
    found
}

/// How many title searches are in flight at once; TMDb's client-side rate
/// limit decides how fast they go.
const CONCURRENT_SEARCHES: usize = 8;

/// Resolves every suggested title the caller's loop will look up (the
/// first of each normalised title and year not `seen` before, Known movies
/// counting as seen, as the loop counts them), several at a time, answers
/// in the list's order. Long lists report progress as the answers come in.
async fn resolve_titles(
    ctx: &RunContext,
    tmdb: Catalog<'_>,
    candidates: &[Candidate],
    mut seen: HashSet<(String, Option<i32>)>,
    progress: impl Fn(u64, u64),
) -> Vec<Result<MovieSummary, Unresolved>> {
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
        .map(|s| resolve_once(ctx, tmdb, &s.title, s.year))
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

/// Records the Radarr (or Sonarr) outcome of each missing title in the report.
pub(crate) fn record_missing(
    report: &mut StepReport,
    via: RequestsVia,
    kind: MediaKind,
    source: &str,
    missing: &[MissingMovie],
    outcomes: &std::collections::BTreeMap<TmdbId, Outcome>,
) {
    for m in missing {
        let outcome = outcomes.get(&m.tmdb_id).cloned().unwrap_or(match kind {
            MediaKind::Movie => Outcome::MissingNoRadarr,
            MediaKind::Show => Outcome::MissingNoSonarr,
        });
        let counter = match outcome {
            Outcome::Failed(_) if via == RequestsVia::Seerr => "seerr_failed",
            Outcome::Failed(_) if kind == MediaKind::Show => "sonarr_failed",
            Outcome::SentToRadarr => "sent_to_radarr",
            Outcome::AlreadyInRadarr => "already_in_radarr",
            Outcome::Remonitored => "remonitored_in_radarr",
            Outcome::WouldSendToRadarr => "would_send_to_radarr",
            Outcome::Failed(_) => "radarr_failed",
            Outcome::SentToSonarr => "sent_to_sonarr",
            Outcome::AlreadyInSonarr => "already_in_sonarr",
            Outcome::RemonitoredInSonarr => "remonitored_in_sonarr",
            Outcome::WouldSendToSonarr => "would_send_to_sonarr",
            Outcome::SentToSeerr => "sent_to_seerr",
            Outcome::AlreadyInSeerr => "already_in_seerr",
            Outcome::WouldSendToSeerr => "would_send_to_seerr",
            Outcome::PendingNotSent => "pending_not_sent",
            Outcome::NoTvdbId => "no_tvdb_id",
            Outcome::WaitingForApproval => "waiting_for_approval",
            Outcome::Rejected => "rejected_earlier",
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

/// One list's answer from the run's LLM request.
#[derive(Debug, Clone)]
pub(crate) enum LlmList {
    /// What the LLM suggested.
    Answer(Suggestions),
    /// Why it gave nothing (the first line of the error).
    Failed(String),
}

/// The lists of this run that come from the LLM: for each enabled step
/// (that the run was asked for), its lists with a count.
fn planned_lists(ctx: &RunContext, media: MediaKind) -> Vec<ListSpec> {
    let planned = |step: StepKind| {
        ctx.settings.steps.is_enabled(step)
            && ctx.only.as_ref().is_none_or(|only| only.contains(&step))
    };
    let r = &ctx.settings.recommend;
    let mut lists = Vec::new();
    let step = |s: StepKind| s.for_kind(media).unwrap_or(s);
    if planned(step(StepKind::RecentlyWatched)) {
        lists.push(ListSpec::new(
            "similar",
            SuggestionKind::Similar,
            r.similar_count,
        ));
        lists.push(ListSpec::new(
            "contrast",
            SuggestionKind::Contrast,
            r.contrast_count,
        ));
    }
    if planned(step(StepKind::ImmaculateTaste)) {
        lists.push(ListSpec::new(
            "immaculate",
            SuggestionKind::Similar,
            r.immaculate_count,
        ));
    }
    lists.retain(|l| l.count > 0);
    lists.into_iter().map(|l| l.with_media(media)).collect()
}

fn seed_movie(seed: &SeedInfo) -> SeedMovie {
    let mut movie = SeedMovie::new(seed.title.clone())
        .with_genres(seed.genres.clone())
        .with_media(seed.kind);
    movie.year = seed.year;
    movie.overview = seed.overview.clone();
    movie
}

/// The seed's label, with its year when known: a namesake of another year
/// ("Dune (1984)" when the seed is Dune 2021) stays a candidate.
fn seed_label(seed: &SeedInfo) -> String {
    match seed.year {
        Some(year) => format!("{} ({year})", seed.title),
        None => seed.title.clone(),
    }
}

/// The first line of an error chain: servers send tracebacks.
fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().trim().to_owned()
}

async fn ask_llm(
    ctx: &RunContext,
    seed: &SeedInfo,
    kind: SuggestionKind,
    count: usize,
    source: &str,
    report: &mut StepReport,
    trouble: &mut Trouble,
) -> Option<Vec<Suggestion>> {
    let llm = ctx.services.llm.as_ref()?;
    // Every list the run needs, in one round trip, asked by the first
    // step that needs one.
    let lists = ctx
        .llm_lists
        .get_or_init(|| async {
            let request = ListsRequest::new(seed_movie(seed), planned_lists(ctx, seed.kind))
                .with_avoid([seed_label(seed)]);
            let mut answers = HashMap::new();
            if request.lists.is_empty() {
                return answers;
            }
            match llm.suggest_lists(&request).await {
                Ok(lists) => {
                    for list in lists {
                        let answer = match list.result {
                            Ok(suggestions) => LlmList::Answer(suggestions),
                            Err(error) => LlmList::Failed(first_line(&format!("{error:#}"))),
                        };
                        answers.insert(list.name, answer);
                    }
                }
                Err(error) => {
                    let why = first_line(&format!("{error:#}"));
                    for list in &request.lists {
                        answers.insert(list.name.clone(), LlmList::Failed(why.clone()));
                    }
                }
            }
            answers
        })
        .await;
    let answer = match lists.get(source) {
        Some(answer) => answer.clone(),
        // A list the run did not plan for (a step run on its own).
        None => {
            let request = SuggestionRequest::new(kind, seed_movie(seed), count)
                .with_media(seed.kind)
                .with_avoid([seed_label(seed)]);
            match llm.suggest(&request).await {
                Ok(suggestions) => LlmList::Answer(suggestions),
                Err(error) => LlmList::Failed(first_line(&format!("{error:#}"))),
            }
        }
    };
    match answer {
        LlmList::Answer(answer) if answer.is_empty() => {
            report.notes.push(format!(
                "the LLM gave no {source} suggestions; using TMDb instead"
            ));
            None
        }
        LlmList::Answer(answer) => {
            if answer.truncated {
                report.notes.push(format!(
                    "the LLM's {source} answer was cut short; kept the {} suggestions that parsed",
                    answer.len()
                ));
            }
            Some(answer.items.into_iter().take(count).collect())
        }
        LlmList::Failed(why) => {
            // Named for the list that asked ("immaculate", not "similar").
            trouble.llm(format!("{source} list: {why}"));
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
    tmdb: Catalog<'_>,
    seed: &SeedInfo,
    kind: SuggestionKind,
    count: usize,
    exclude: &BTreeSet<TmdbId>,
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
                    without_genres: Vec::new(),
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
            // TMDb leaves out the seed's genres itself (`without_genres`),
            // so a whole page of candidates remains; the filter below stays
            // in case a server reads the list otherwise.
            let opposite = opposite_genres(tmdb.kind(), &seed_genres);
            let query = DiscoverQuery {
                with_genres: opposite,
                without_genres: seed_genres.iter().copied().collect(),
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
    candidates.retain(|(_, m)| Some(m.id) != seed.tmdb_id && !exclude.contains(&m.id));
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
///
/// Movies and shows have separate genre lists on TMDb (`genre/movie/list`,
/// `genre/tv/list`): shows have no Thriller, Horror, Romance, Music or
/// History, but "Action & Adventure", "Sci-Fi & Fantasy", "War & Politics",
/// "Kids", "Reality" and others, so each kind picks from its own list
/// (`discover/tv` matches nothing for a movie-only genre id).
fn opposite_genres(kind: MediaKind, seed: &BTreeSet<GenreId>) -> Vec<GenreId> {
    let opposites = match kind {
        MediaKind::Movie => movie_opposites,
        MediaKind::Show => show_opposites,
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
        votes.push((genre::COMEDY, 1));
    }
    votes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    // Discover ORs the genres; two keep the mood focused.
    votes.into_iter().take(2).map(|(g, _)| GenreId(g)).collect()
}

/// TMDb's genre ids (`genre/movie/list`, `genre/tv/list`); the ids both
/// lists share mean the same genre.
mod genre {
    // Both lists.
    pub(super) const ANIMATION: u32 = 16;
    pub(super) const COMEDY: u32 = 35;
    pub(super) const CRIME: u32 = 80;
    pub(super) const DOCUMENTARY: u32 = 99;
    pub(super) const DRAMA: u32 = 18;
    pub(super) const FAMILY: u32 = 10751;
    pub(super) const MYSTERY: u32 = 9648;
    pub(super) const WESTERN: u32 = 37;
    // Movies only.
    pub(super) const ACTION: u32 = 28;
    pub(super) const ADVENTURE: u32 = 12;
    pub(super) const FANTASY: u32 = 14;
    pub(super) const HISTORY: u32 = 36;
    pub(super) const HORROR: u32 = 27;
    pub(super) const MUSIC: u32 = 10402;
    pub(super) const ROMANCE: u32 = 10749;
    pub(super) const SCIENCE_FICTION: u32 = 878;
    pub(super) const THRILLER: u32 = 53;
    pub(super) const WAR: u32 = 10752;
    // Shows only.
    pub(super) const ACTION_ADVENTURE: u32 = 10759;
    pub(super) const KIDS: u32 = 10762;
    pub(super) const NEWS: u32 = 10763;
    pub(super) const REALITY: u32 = 10764;
    pub(super) const SCI_FI_FANTASY: u32 = 10765;
    pub(super) const SOAP: u32 = 10766;
    pub(super) const TALK: u32 = 10767;
    pub(super) const WAR_POLITICS: u32 = 10768;
}

/// A movie genre's opposites in mood, all from `genre/movie/list`.
fn movie_opposites(g: u32) -> &'static [u32] {
    use genre::*;
    match g {
        HORROR | THRILLER | CRIME | WAR | MYSTERY => &[COMEDY, FAMILY, ROMANCE, ANIMATION, MUSIC],
        COMEDY | FAMILY | ANIMATION | ROMANCE | MUSIC => &[THRILLER, DRAMA, WAR, CRIME, HISTORY],
        ACTION | ADVENTURE | SCIENCE_FICTION | FANTASY | WESTERN => {
            &[ROMANCE, DOCUMENTARY, DRAMA, MUSIC, COMEDY]
        }
        DOCUMENTARY | HISTORY => &[FANTASY, ANIMATION, COMEDY, SCIENCE_FICTION],
        DRAMA => &[COMEDY, ANIMATION, ADVENTURE, FAMILY],
        _ => &[COMEDY, DRAMA],
    }
}

/// A show genre's opposites in mood, all from `genre/tv/list`.
fn show_opposites(g: u32) -> &'static [u32] {
    use genre::*;
    match g {
        CRIME | MYSTERY | WAR_POLITICS => &[COMEDY, FAMILY, ANIMATION, KIDS, REALITY],
        COMEDY | FAMILY | ANIMATION | KIDS | REALITY | SOAP | TALK => {
            &[CRIME, DRAMA, MYSTERY, WAR_POLITICS, DOCUMENTARY]
        }
        ACTION_ADVENTURE | SCI_FI_FANTASY | WESTERN => &[DOCUMENTARY, DRAMA, COMEDY, REALITY, SOAP],
        DOCUMENTARY | NEWS => &[SCI_FI_FANTASY, ANIMATION, COMEDY, ACTION_ADVENTURE],
        DRAMA => &[COMEDY, ANIMATION, ACTION_ADVENTURE, FAMILY],
        _ => &[COMEDY, DRAMA],
    }
}

/// [`find_in_library`] for either kind. A show library's legacy-agent items
/// already carry the TMDb id TMDb found for them (`RunContext::library_of`),
/// so a show is found by TMDb id, else by title and year among items
/// without ids.
///
/// A movie: by TMDb id, then among the legacy-agent items (known only by
/// IMDb id) by the TMDb id TMDb's `find` gave them once for the run
/// (`RunContext::legacy_movie_keys`), then by title and year among items
/// without ids. Unlike [`find_in_library`] it costs no request per
/// suggestion: the cost grows with the legacy items, once.
async fn find_in_catalog_library(
    ctx: &RunContext,
    catalog: Catalog<'_>,
    library: &LibraryIndex,
    title: &MovieSummary,
) -> Option<plex_client::RatingKey> {
    match catalog {
        Catalog::Movies(_) => {
            if let Some(found) = library.by_tmdb(title.id).first() {
                return Some(found.rating_key.clone());
            }
            if library.has_imdb_only_items()
                && let Some(key) = ctx.legacy_movie_keys(library).await.get(&title.id)
            {
                return Some(key.clone());
            }
            library
                .by_title_year_without_ids(&title.title, title.year)
                .first()
                .map(|m| m.rating_key.clone())
        }
        Catalog::Shows(_) => library
            .by_tmdb(title.id)
            .into_iter()
            .chain(library.by_title_year_without_ids(&title.title, title.year))
            .next()
            .map(|m| m.rating_key.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opposite_genres_avoid_the_seeds_own() {
        let horror: BTreeSet<_> = [GenreId(27), GenreId(53)].into();
        let picked = opposite_genres(MediaKind::Movie, &horror);
        assert_eq!(picked, [GenreId(35), GenreId(10751)]);
        let comedy_drama: BTreeSet<_> = [GenreId(35), GenreId(18)].into();
        let picked = opposite_genres(MediaKind::Movie, &comedy_drama);
        assert!(
            picked.iter().all(|g| !comedy_drama.contains(g)),
            "{picked:?}"
        );
        assert_eq!(picked.len(), 2);
        assert_eq!(
            opposite_genres(MediaKind::Movie, &BTreeSet::new()),
            [GenreId(35)]
        );
    }

    /// Every pick comes from the kind's own TMDb genre list (the fake's
    /// lists follow TMDb's `genre/movie/list` and `genre/tv/list`), for any
    /// seed of one or two genres of that list, and is never a seed genre.
    /// Before, a comedy show got Thriller (53), a movie-only id that
    /// `discover/tv` matches nothing with.
    #[test]
    fn opposite_genres_come_from_the_kinds_own_list() {
        for (kind, list) in [
            (MediaKind::Movie, tmdb_client::fake::genre_list()),
            (MediaKind::Show, tmdb_client::fake::tv_genre_list()),
        ] {
            let ids: BTreeSet<GenreId> = list.iter().map(|g| g.id).collect();
            for a in &ids {
                for b in &ids {
                    let seed: BTreeSet<GenreId> = [*a, *b].into();
                    let picked = opposite_genres(kind, &seed);
                    assert!(!picked.is_empty(), "{kind:?} {seed:?}");
                    for g in &picked {
                        assert!(
                            ids.contains(g),
                            "{kind:?} seed {seed:?} picked {g:?}, not a {kind:?} genre"
                        );
                        assert!(
                            !seed.contains(g),
                            "{kind:?} seed {seed:?} picked its own {g:?}"
                        );
                    }
                }
            }
        }
        let comedy_show: BTreeSet<_> = [GenreId(35)].into();
        assert_eq!(
            opposite_genres(MediaKind::Show, &comedy_show),
            [GenreId(80), GenreId(18)]
        );
    }
}
