//! The approvals: listing what waits, and approving (a job that sends to
//! Radarr under the data-directory lock), rejecting and forgetting (quick
//! changes of the approvals file alone).

use std::time::Duration;

use curator_core::{ApprovalReport, Approvals, DataDir, Decided, RunContext, Selection, Settings};
use time::OffsetDateTime;

use crate::error::Error;
use crate::jobs::{Output, lock};
use crate::wiring::Wired;

/// What waits for approval and what was rejected.
///
/// # Errors
/// A damaged approvals file.
pub fn approvals(data: &DataDir) -> Result<Approvals, Error> {
    Ok(curator_core::approval::load(data)?)
}

/// Sends the `selection` of waiting titles as a run would (each with its
/// list's tags, the profile, the search), under the data-directory lock
/// (none in a dry run, which only plans); the services come from `wire`.
///
/// # Errors
/// A lock held too long, a damaged approvals file, a client that cannot be
/// built.
pub async fn approve(
    settings: Settings,
    data: DataDir,
    lock_timeout: Duration,
    selection: &Selection,
    wire: impl FnOnce(&DataDir) -> Result<Wired, Error>,
    out: &dyn Output,
) -> Result<ApprovalReport, Error> {
    let _lock = if settings.dry_run {
        None
    } else {
        Some(lock(&data, lock_timeout, out).await?)
    };
    let wired = wire(&data)?;
    let dry_run = settings.dry_run;
    let today = OffsetDateTime::now_utc().date();
    let ctx = RunContext::new(wired.services.clone(), settings, data, today);
    let report = curator_core::approval::approve(&ctx, selection).await?;
    if !dry_run {
        wired.save_cache().await;
    }
    Ok(report)
}

/// Drops the `selection` of waiting titles and remembers the rejection.
///
/// # Errors
/// A damaged or unwritable approvals file.
pub async fn reject(data: &DataDir, selection: &Selection) -> Result<Decided, Error> {
    Ok(curator_core::approval::reject(data, selection).await?)
}

/// Forgets rejections: later runs may offer those titles again.
///
/// # Errors
/// A damaged or unwritable approvals file.
pub async fn forget(data: &DataDir, ids: &[curator_core::ApprovalId]) -> Result<Decided, Error> {
    Ok(curator_core::approval::forget(data, ids).await?)
}
