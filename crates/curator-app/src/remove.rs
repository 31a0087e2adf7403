//! `curator collections remove`: curator's own collections unpinned from
//! Home and Recommended and deleted (curator_core::remove_collections),
//! under the data directory's lock, with the lines a person reads.

use curator_core::{DataDir, MediaKind, RemoveReport, RunContext};
use time::OffsetDateTime;

use crate::config::Config;
use crate::error::Error;
use crate::jobs::{Done, Output, lock};
use crate::wiring;

/// Removes curator's collections of `kind` from Plex (only those named in
/// the config; the movies and shows stay), or in a dry run lists what it
/// would remove. The lines go to `out`.
///
/// # Errors
/// The lock held too long, or the clients could not be built.
pub async fn remove_collections(
    config: &Config,
    data: DataDir,
    kind: MediaKind,
    dry_run: bool,
    out: &dyn Output,
) -> Result<(RemoveReport, Done), Error> {
    let what = match kind {
        MediaKind::Movie => "movie",
        MediaKind::Show => "TV",
    };
    out.line(&format!(
        "{} curator's {what} collections{}",
        if dry_run { "Would remove" } else { "Removing" },
        if dry_run {
            " (dry run: nothing changes)"
        } else {
            ""
        }
    ));
    let _lock = if dry_run {
        None
    } else {
        Some(lock(&data, config.timeouts.lock, out).await?)
    };
    let wired = wiring::services(config, &data)?;
    let mut settings = config.settings.clone();
    settings.dry_run = dry_run;
    let today = OffsetDateTime::now_utc().date();
    let ctx = RunContext::new(wired.services.clone(), settings, data, today);
    let report = curator_core::remove_collections(&ctx, kind).await;
    for line in lines(&report) {
        out.line(&line);
    }
    let done = if report.failures.is_empty() {
        Done::Ok
    } else {
        Done::StepsFailed
    };
    Ok((report, done))
}

/// What a person reads about a removal.
fn lines(report: &RemoveReport) -> Vec<String> {
    let mut lines = Vec::new();
    lines.extend(report.planned.iter().map(|p| format!("  would {p}")));
    lines.extend(
        report
            .unpinned
            .iter()
            .map(|t| format!("  ✓ unpinned {t:?}")),
    );
    lines.extend(report.deleted.iter().map(|t| format!("  ✓ deleted {t:?}")));
    lines.extend(report.notes.iter().map(|n| format!("  note: {n}")));
    lines.extend(report.failures.iter().map(|f| format!("  ✗ {f}")));
    lines
}
