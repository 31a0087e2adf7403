//! `curator recommend`: the suggestions for a movie or a show and how each
//! resolved, changing nothing.

use curator_core::{CollectionNames, Outcome, RunReport, RunRequest, Seed, StepKind, StepStatus};
use curator_http::MediaKind;

use crate::cli::{Global, RecommendArgs};
use curator_app::{Heading, RunJob, outcome_name, service_flags, split_title_year};

use crate::commands::{execute, load_config, printer};
use crate::error::{Done, Failure};
use crate::output::Printer;

/// Runs `curator recommend`.
///
/// # Errors
/// Config and state errors; see [`Failure`].
pub(crate) async fn recommend(global: &Global, args: &RecommendArgs) -> Result<Done, Failure> {
    let out = printer(global);
    let mut config = load_config(global)?;
    let (title, title_year) = split_title_year(&args.title);
    if title.is_empty() {
        return Err(Failure::Usage("the title is empty".into()));
    }
    let kind = args.kind.media();
    let names = match (kind, &config.settings.tv) {
        (MediaKind::Movie, _) => config.settings.collections.clone(),
        (MediaKind::Show, Some(tv)) => tv.collections.clone(),
        (MediaKind::Show, None) => {
            return Err(Failure::Usage(
                "TV is off: set plex.tv_library_name in the config to your TV library's name, then ask again"
                    .into(),
            ));
        }
    };
    let seed = Seed {
        title,
        year: args.year.or(title_year),
        kind,
        ..Seed::default()
    };
    let mut steps = vec![StepKind::RecentlyWatched];
    if args.immaculate {
        steps.push(StepKind::ImmaculateTaste);
    }
    let steps: Vec<StepKind> = steps
        .into_iter()
        .filter_map(|step| step.for_kind(kind))
        .collect();
    for step in &steps {
        config.settings.steps.set(*step, true);
    }
    let mut settings = config.settings.clone();
    settings.dry_run = true;
    let flags = service_flags(&config);
    let label = seed.label();
    let job = RunJob {
        settings,
        request: RunRequest {
            seed: Some(seed),
            only: Some(steps),
        },
        data: config.data_dir(global.data_dir()),
        lock_timeout: config.timeouts.lock,
        job: None,
        heading: Heading {
            title: String::new(),
            detail: Vec::new(),
            services: &flags,
        },
    };
    // The table below replaces the usual step-by-step output.
    let quiet = Printer {
        quiet: true,
        verbose: false,
    };
    let ran = execute(
        job,
        |data| curator_app::services(&config, data),
        quiet,
        global.report.as_deref(),
        None,
    )
    .await?;
    print_suggestions(&out, &label, kind, &names, &ran.report);
    Ok(ran.done)
}

fn print_suggestions(
    out: &Printer,
    label: &str,
    kind: MediaKind,
    names: &CollectionNames,
    report: &RunReport,
) {
    let (titles, arr) = match kind {
        MediaKind::Movie => ("movies", "Radarr"),
        MediaKind::Show => ("shows", "Sonarr"),
    };
    out.line(format!("Suggestions for {label} (nothing was changed)"));
    for step in &report.steps {
        if let StepStatus::Skipped(why) | StepStatus::Failed(why) = &step.status {
            out.line(format!("  {}: {why}", step.step));
            continue;
        }
        let mut sources: Vec<&str> = Vec::new();
        for m in &step.movies {
            let source = m.source.split('/').next().unwrap_or(&m.source);
            if !sources.contains(&source) {
                sources.push(source);
            }
        }
        for source in sources {
            let movies: Vec<_> = step
                .movies
                .iter()
                .filter(|m| m.source.split('/').next() == Some(source))
                .collect();
            let origin = movies
                .first()
                .and_then(|m| m.source.split_once('/'))
                .map_or("", |(_, o)| o);
            out.line("");
            out.line(format!(
                "{} ({} {titles}{})",
                heading(source, names),
                movies.len(),
                if origin.is_empty() {
                    String::new()
                } else {
                    format!(", from {}", origin.to_uppercase())
                }
            ));
            for (n, m) in movies.iter().enumerate() {
                let name = match m.year {
                    Some(y) => format!("{} ({y})", m.title),
                    None => m.title.clone(),
                };
                let id = m
                    .tmdb_id
                    .map_or_else(|| "-".to_owned(), |id| format!("tmdb {id}"));
                let what = match &m.outcome {
                    Outcome::InPlex(key) => format!("in Plex (rating key {key})"),
                    Outcome::WouldSendToRadarr => format!("missing from Plex: would go to {arr}"),
                    Outcome::AlreadyInRadarr => format!("missing from Plex: already in {arr}"),
                    Outcome::MissingNoRadarr => {
                        format!("missing from Plex ({arr} not configured)")
                    }
                    Outcome::Unresolved(why) => format!("unresolved: {why}"),
                    Outcome::Failed(why) => format!("failed: {why}"),
                    other => outcome_name(other).to_owned(),
                };
                out.line(format!("  {:>2}. {name:<44} {id:<12} {what}", n + 1));
            }
        }
        for failure in &step.failures {
            out.line(format!("  ⚠ {failure}"));
        }
        for note in &step.notes {
            out.line(format!("  • {note}"));
        }
    }
}

fn heading(source: &str, names: &CollectionNames) -> String {
    match source {
        "similar" => format!("Similar: {:?}", names.recently_watched),
        "contrast" => format!("Contrast: {:?}", names.change_of_taste),
        "immaculate" => format!("Immaculate taste: {:?}", names.immaculate_taste),
        other => other.to_owned(),
    }
}
