//! The services' state, checked at start and every half hour, for the page.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use curator_app::{Config, Finding, check_services};
use curator_core::DataDir;
use time::OffsetDateTime;

/// The services' state as last checked.
#[derive(Debug, Default)]
pub(crate) struct ServiceStatus {
    inner: Mutex<Option<(OffsetDateTime, Vec<Finding>)>>,
}

/// How often the services are checked again (the LLM only at start: its
/// check asks for suggestions).
const RECHECK: Duration = Duration::from_secs(30 * 60);

/// Checks the services at start and every [`RECHECK`], until aborted.
pub(crate) async fn keep_checking(config: Arc<Config>, data: DataDir, status: Arc<ServiceStatus>) {
    let mut first = true;
    loop {
        let mut lines = check_services(&config, &data, first).await;
        {
            let mut inner = status.inner.lock().unwrap_or_else(PoisonError::into_inner);
            if !first && let Some((_, old)) = inner.as_ref() {
                lines.extend(old.iter().filter(|l| l.service == "LLM").cloned());
            }
            *inner = Some((OffsetDateTime::now_utc(), lines));
        }
        first = false;
        tokio::time::sleep(RECHECK).await;
    }
}

impl ServiceStatus {
    /// The last check: when, and what it found.
    pub(crate) fn last(&self) -> MutexGuard<'_, Option<(OffsetDateTime, Vec<Finding>)>> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
