//! Moving from the previous tool: before the steps run, its points file and
//! its two small-collection files are converted through the Plex library
//! (see [`crate::legacy`] for how each entry's key is decided).
//!
//! Each old file is first copied aside (`<name>.legacy-<unix time>.json`,
//! written atomically), then replaced atomically by the converted one. A
//! dry run converts in memory only, so the steps plan against the result,
//! and writes nothing. When Plex or TMDb cannot be asked, the files are
//! left as they are and the next run tries again.

use std::path::PathBuf;

use curator_http::MediaKind;

use crate::catalog::Catalog;
use crate::collection::SmallCollection;
use crate::context::RunContext;
use crate::error::StateError;
use crate::legacy::{
    Decision, LegacyCollectionItem, LegacyPoints, LegacyRules, Matched, build_book, classify,
    convert_collection, titles_agree, tv_key_tvdb,
};
use crate::library::LibraryIndex;
use crate::migration::{CollectionMigration, MigrationReport, PointsMigration, rules_name};
use crate::points::{ImportAs, PointsSettings};
use crate::resolve::{Unresolved, resolve_in};
use crate::state::{DataDir, LoadedPoints};

/// The previous tool's files found in a data directory.
#[derive(Debug, Clone, Default)]
pub struct LegacyFiles {
    /// The points file, when it is in an old shape.
    pub points: Option<(PathBuf, LegacyPoints)>,
    /// The small collections' files that are in the old shape.
    pub collections: Vec<(SmallCollection, PathBuf, Vec<LegacyCollectionItem>)>,
    /// The TV points file (`recommendation_points_tv.json`), when it is in
    /// an old shape; a run with TV steps converts it.
    pub tv_points: Option<(PathBuf, LegacyPoints)>,
}

impl LegacyFiles {
    /// True when every file is curator's own (or missing).
    pub fn is_empty(&self) -> bool {
        self.points.is_none() && self.collections.is_empty() && self.tv_points.is_none()
    }

    /// What the next run will do with these files, in sentences (for
    /// `curator check`; it needs no server).
    pub fn describe(&self, settings: &PointsSettings) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some((path, legacy)) = &self.points {
            lines.push(describe_points(
                path,
                legacy,
                settings,
                "points file",
                "the next run converts it through the Plex library",
            ));
        }
        if let Some((path, legacy)) = &self.tv_points {
            lines.push(describe_points(
                path,
                legacy,
                settings,
                "TV points file",
                "the next run with TV steps (`tv:` configured) converts it through the Plex TV library, else TMDb",
            ));
        }
        for (which, path, items) in &self.collections {
            lines.push(format!(
                "{} is the previous tool's list for {} ({} entries, without TMDb ids); the next run finds them in the Plex library by rating key, else title and year, and keeps the original beside it",
                path.display(),
                which.label(),
                items.len()
            ));
        }
        if !self.is_empty() {
            lines.push(format!("points rules in force: {}", settings.describe()));
        }
        lines
    }
}

impl LegacyFiles {
    /// What the next run would import, decided against `library` alone
    /// (entries only TMDb can confirm are counted, not asked about), in
    /// sentences for `curator check`.
    pub fn preview(&self, library: &LibraryIndex) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some((path, legacy)) = &self.points {
            let (mut by_key, mut by_tmdb, mut ask, mut unresolved) = (0, 0, 0, Vec::new());
            for entry in &legacy.entries {
                match classify(entry, library) {
                    Decision::RatingKey(_) => by_key += 1,
                    Decision::TmdbId(_) => by_tmdb += 1,
                    Decision::AskTmdb { .. } => ask += 1,
                    Decision::Unresolved(why) => unresolved.push(why),
                }
            }
            let mut line = format!(
                "with this Plex library, {}: {by_key} by rating key, {by_tmdb} by TMDb id, {ask} for TMDb to confirm, {} unresolved",
                path.display(),
                unresolved.len()
            );
            if let Some(first) = unresolved.first() {
                line.push_str(&format!(" (such as: {first})"));
            }
            lines.push(line);
        }
        for (_, path, items) in &self.collections {
            let (_, import) = convert_collection(items, library);
            lines.push(format!(
                "with this Plex library, {}: {} by rating key, {} by title and year, {} not in Plex",
                path.display(),
                import.by_rating_key.len(),
                import.by_title.len(),
                import.not_in_plex.len()
            ));
        }
        lines
    }
}

/// One sentence on an old points file and what the next run does with it.
fn describe_points(
    path: &std::path::Path,
    legacy: &LegacyPoints,
    settings: &PointsSettings,
    what: &str,
    how: &str,
) -> String {
    let (rules, reason) = legacy.rules();
    let raised = match settings.import_as {
        ImportAs::Full => true,
        ImportAs::Keep => false,
        ImportAs::Auto => rules == LegacyRules::Older,
    };
    format!(
        "{} is the previous tool's {what} ({} entries, {}: {reason}); {how}, {} (points.import_as: {}), and keeps the original beside it",
        path.display(),
        legacy.entries.len(),
        rules_name(rules),
        if raised {
            format!(
                "giving every entry full points ({})",
                full_points_words(settings)
            )
        } else {
            "keeping each entry's points".to_owned()
        },
        settings.import_as.name(),
    )
}

fn full_points_words(settings: &PointsSettings) -> String {
    if settings.max_points > 0 {
        format!("{} points", settings.max_points)
    } else {
        "no cap: their own points, at least 1".to_owned()
    }
}

/// Finds the previous tool's files in `data`.
///
/// # Errors
/// A [`StateError`] when a file cannot be read or is damaged.
pub fn find_legacy_files(data: &DataDir) -> Result<LegacyFiles, StateError> {
    let mut files = find_legacy_movie_files(data)?;
    if let LoadedPoints::Legacy(legacy) = data.load_points_of(MediaKind::Show)? {
        files.tv_points = Some((data.points_path_of(MediaKind::Show), legacy));
    }
    Ok(files)
}

/// The movie files of [`find_legacy_files`] (a damaged TV file does not stop
/// a movie run's conversion).
fn find_legacy_movie_files(data: &DataDir) -> Result<LegacyFiles, StateError> {
    let mut files = LegacyFiles::default();
    if let LoadedPoints::Legacy(legacy) = data.load_points()? {
        files.points = Some((data.points_path(), legacy));
    }
    for which in SmallCollection::ALL {
        if let Some(items) = data.load_legacy_collection(which)? {
            files
                .collections
                .push((which, data.collection_path(which), items));
        }
    }
    Ok(files)
}

/// Converts the previous tool's files, if any, before the steps run: the
/// movie files when this run does movie steps, the TV points file when it
/// does TV steps (and TV is on).
pub(crate) async fn migrate(ctx: &RunContext, kinds: &[MediaKind]) -> Option<MigrationReport> {
    // The preflight check has read these files already.
    let files = if kinds.contains(&MediaKind::Movie) {
        find_legacy_movie_files(&ctx.data).ok()?
    } else {
        LegacyFiles::default()
    };
    let tv = match ctx.data.load_points_of(MediaKind::Show) {
        Ok(LoadedPoints::Legacy(legacy))
            if kinds.contains(&MediaKind::Show) && ctx.settings.tv.is_some() =>
        {
            Some((ctx.data.points_path_of(MediaKind::Show), legacy))
        }
        _ => None,
    };
    if files.is_empty() && tv.is_none() {
        return None;
    }
    let mut report = MigrationReport {
        dry_run: ctx.dry_run(),
        rules: ctx.settings.points.describe(),
        ..MigrationReport::default()
    };
    if !files.is_empty() {
        movie_files(ctx, &files, &mut report).await;
    }
    if let Some((path, legacy)) = &tv {
        tv_points(ctx, path, legacy, &mut report).await;
    }
    Some(report)
}

/// Converts the previous tool's TV points file through the TV library,
/// else TMDb: each entry's show found by its TVDB id (in Plex, else TMDb's
/// `find`), its Plex rating key (titles agreeing), or its title (one show
/// in Plex by that name, else TMDb's best match); the rest listed as
/// unresolved and kept in the backup.
async fn tv_points(
    ctx: &RunContext,
    path: &std::path::Path,
    legacy: &LegacyPoints,
    report: &mut MigrationReport,
) {
    let library = match ctx.library_of(MediaKind::Show).await {
        Ok(library) => library,
        Err(error) => {
            report.deferred.push(format!(
                "{} was left as it is, because the Plex TV library could not be read ({error}); the next run tries again",
                path.display()
            ));
            return;
        }
    };
    let decisions = match decide_tv(ctx, legacy, &library).await {
        Ok(decisions) => decisions,
        Err(why) => {
            report.deferred.push(format!(
                "{} was left as it is: {why}; the next run tries again",
                path.display()
            ));
            return;
        }
    };
    let (book, import) = build_book(legacy, &decisions, &ctx.settings.points, ctx.today);
    tracing::info!(
        file = %path.display(),
        by_rating_key = import.by_rating_key.len(),
        by_tmdb_id = import.by_tmdb_id.len(),
        unresolved = import.unresolved.len(),
        dry_run = ctx.dry_run(),
        "converting the previous tool's TV points file"
    );
    let mut migration = PointsMigration {
        file: path.display().to_string(),
        backup: None,
        import,
    };
    if !ctx.dry_run() {
        match ctx.data.backup_points_of(MediaKind::Show) {
            Ok(backup) => migration.backup = Some(backup.display().to_string()),
            Err(error) => {
                report.failures.push(format!(
                    "{} was not converted, because it could not be backed up: {error}",
                    path.display()
                ));
                return;
            }
        }
    }
    match ctx.save_points_of(MediaKind::Show, book) {
        Ok(()) => report.tv_points = Some(migration),
        Err(error) => report.failures.push(format!(
            "{} could not be converted: {error}",
            path.display()
        )),
    }
}

/// Decides each TV entry's show (see [`tv_points`]).
///
/// # Errors
/// Why TMDb could not be asked, when it failed (not when it said no).
async fn decide_tv(
    ctx: &RunContext,
    legacy: &LegacyPoints,
    library: &LibraryIndex,
) -> Result<Vec<Decision>, String> {
    let in_plex = |item: &plex_client::Movie| {
        item.tmdb_id.map(|tmdb_id| {
            Decision::RatingKey(Matched {
                tmdb_id,
                title: item.title.clone(),
                year: item.year.map(i32::from),
                rating_key: Some(item.rating_key.0.clone()),
            })
        })
    };
    let mut decisions = Vec::with_capacity(legacy.entries.len());
    for entry in &legacy.entries {
        let tvdb = tv_key_tvdb(&entry.key);
        let title = entry.title.clone().unwrap_or_default();
        let agrees =
            |item: &&plex_client::Movie| title.is_empty() || titles_agree(&title, &item.title);
        let found = tvdb
            .and_then(|id| library.by_tvdb(id).into_iter().find_map(in_plex))
            .or_else(|| {
                let key = plex_client::RatingKey(entry.rating_key.clone()?);
                library.by_rating_key(&key).filter(agrees).and_then(in_plex)
            })
            .or_else(|| {
                let mut named = library
                    .movies()
                    .iter()
                    .filter(|m| !title.is_empty() && titles_agree(&title, &m.title));
                match (named.next(), named.next()) {
                    (Some(one), None) => in_plex(one),
                    _ => None,
                }
            });
        if let Some(decision) = found {
            decisions.push(decision);
            continue;
        }
        let Some(tmdb) = &ctx.services.tmdb_tv else {
            decisions.push(Decision::Unresolved(
                "not in the Plex TV library, and TMDb is not configured to find it".into(),
            ));
            continue;
        };
        let from_tmdb = match tvdb {
            Some(id) => tmdb
                .find_show_by_tvdb(id)
                .await
                .map_err(|e| format!("TMDb could not find the TVDB id {id} ({e:#})"))?
                .map(crate::catalog::as_title),
            None if !title.is_empty() => {
                match resolve_in(Catalog::Shows(tmdb.as_ref()), &title, None).await {
                    Ok(show) => Some(show),
                    Err(Unresolved::NoMatch) => None,
                    Err(Unresolved::TmdbFailed(error)) => {
                        return Err(format!("TMDb could not be asked about {title:?} ({error})"));
                    }
                }
            }
            None => None,
        };
        decisions.push(match from_tmdb {
            // A show Plex lacks: it waits as pending, by TMDb id, unless
            // Plex has it under that id after all.
            Some(show) => library
                .by_tmdb(show.id)
                .into_iter()
                .find_map(in_plex)
                .unwrap_or(Decision::TmdbId(Matched {
                    tmdb_id: show.id,
                    title: show.title,
                    year: show.year,
                    rating_key: None,
                })),
            None => Decision::Unresolved(match tvdb {
                Some(id) => format!("TMDb has no show with TVDB id {id}"),
                None => format!("no TMDb show matches {title:?}"),
            }),
        });
    }
    Ok(decisions)
}

/// Converts the previous tool's movie files (points and small collections)
/// through the movie library.
async fn movie_files(ctx: &RunContext, files: &LegacyFiles, report: &mut MigrationReport) {
    let library = match ctx.library().await {
        Ok(library) => library,
        Err(error) => {
            tracing::warn!(%error, "the previous tool's files were left for the next run");
            report.deferred.push(format!(
                "the previous tool's files were left as they are, because the Plex library could not be read ({error}); the next run tries again"
            ));
            return;
        }
    };

    if let Some((path, legacy)) = &files.points {
        match decide(ctx, legacy, &library).await {
            Err(why) => report.deferred.push(format!(
                "{} was left as it is: {why}; the next run tries again",
                path.display()
            )),
            Ok(decisions) => {
                let (book, import) =
                    build_book(legacy, &decisions, &ctx.settings.points, ctx.today);
                tracing::info!(
                    file = %path.display(),
                    by_rating_key = import.by_rating_key.len(),
                    by_tmdb_id = import.by_tmdb_id.len(),
                    unresolved = import.unresolved.len(),
                    raised_to_full = import.raised_to_full,
                    dry_run = ctx.dry_run(),
                    "converting the previous tool's points file"
                );
                let mut migration = PointsMigration {
                    file: path.display().to_string(),
                    backup: None,
                    import,
                };
                if ctx.dry_run() {
                    let _ = ctx.save_points(book);
                    report.points = Some(migration);
                } else {
                    match ctx.data.backup_points() {
                        Err(error) => report.failures.push(format!(
                            "{} was not converted, because it could not be backed up: {error}",
                            path.display()
                        )),
                        Ok(backup) => {
                            migration.backup = Some(backup.display().to_string());
                            match ctx.save_points(book) {
                                Ok(()) => report.points = Some(migration),
                                Err(error) => report.failures.push(format!(
                                    "{} could not be converted: {error}",
                                    path.display()
                                )),
                            }
                        }
                    }
                }
            }
        }
    }

    for (which, path, items) in &files.collections {
        let (state, import) = convert_collection(items, &library);
        let mut migration = CollectionMigration {
            collection: *which,
            file: path.display().to_string(),
            backup: None,
            import,
        };
        if !ctx.dry_run() {
            match ctx.data.backup_collection(*which) {
                Ok(backup) => migration.backup = Some(backup.display().to_string()),
                Err(error) => {
                    report.failures.push(format!(
                        "{} was not converted, because it could not be backed up: {error}",
                        path.display()
                    ));
                    continue;
                }
            }
        }
        match ctx.save_collection(*which, state) {
            Ok(()) => {
                tracing::info!(
                    file = %path.display(),
                    by_rating_key = migration.import.by_rating_key.len(),
                    by_title = migration.import.by_title.len(),
                    not_in_plex = migration.import.not_in_plex.len(),
                    dry_run = ctx.dry_run(),
                    "converted the previous tool's small-collection file"
                );
                report.collections.push(migration);
            }
            Err(error) => report.failures.push(format!(
                "{} could not be converted: {error}",
                path.display()
            )),
        }
    }
}

/// Decides every entry's key: the library first, then TMDb for ids the
/// library lacks (one request per such id).
///
/// # Errors
/// Why TMDb could not be asked, when it failed (not when it said no).
async fn decide(
    ctx: &RunContext,
    legacy: &LegacyPoints,
    library: &LibraryIndex,
) -> Result<Vec<Decision>, String> {
    let mut decisions: Vec<Decision> = legacy
        .entries
        .iter()
        .map(|e| classify(e, library))
        .collect();
    for decision in &mut decisions {
        let Decision::AskTmdb { id, title } = decision else {
            continue;
        };
        let (id, title) = (*id, title.clone());
        let Ok(tmdb) = ctx.tmdb() else {
            *decision = Decision::Unresolved(format!(
                "not in the Plex library, and TMDb is not configured to confirm the TMDb id {id}"
            ));
            continue;
        };
        *decision = match tmdb.movie(id).await {
            Ok(Some(movie))
                if titles_agree(&title, &movie.title)
                    || titles_agree(&title, &movie.original_title) =>
            {
                Decision::TmdbId(Matched {
                    tmdb_id: movie.id,
                    title: movie.title,
                    year: movie.year,
                    rating_key: None,
                })
            }
            Ok(Some(movie)) => Decision::Unresolved(format!(
                "TMDb id {id} is {:?} on TMDb, not {title:?}",
                movie.title
            )),
            Ok(None) => Decision::Unresolved(format!("TMDb has no movie with id {id}")),
            Err(error) => {
                return Err(format!("TMDb could not confirm the id {id} ({error:#})"));
            }
        };
    }
    Ok(decisions)
}

/// True when a run of these steps reads the files a migration converts.
pub(crate) fn wanted(steps: impl IntoIterator<Item = crate::report::StepKind>) -> bool {
    use crate::report::StepKind;
    steps.into_iter().any(|s| {
        matches!(
            s,
            StepKind::RecentlyWatched
                | StepKind::ImmaculateTaste
                | StepKind::RecentlyWatchedRefresher
                | StepKind::ImmaculateTasteRefresher
                | StepKind::TvImmaculateTaste
                | StepKind::TvImmaculateTasteRefresher
        )
    })
}
