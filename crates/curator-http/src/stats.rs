//! Request counters per operation, for tests and benchmarks.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

/// Counts requests per operation name (`"plex.add_items"`).
///
/// Cloning shares the counters, so a test can hand one clone to a client and
/// read the other. Clients count every attempt, retries included; the fake
/// servers count what they received.
#[derive(Debug, Clone, Default)]
pub struct RequestStats {
    counts: Arc<Mutex<BTreeMap<String, u64>>>,
}

impl RequestStats {
    /// Empty counters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one request to `op`.
    pub fn record(&self, op: &str) {
        let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        *counts.entry(op.to_owned()).or_default() += 1;
    }

    /// Requests counted for `op`.
    pub fn count(&self, op: &str) -> u64 {
        self.snapshot().get(op).copied().unwrap_or(0)
    }

    /// Requests counted for every operation whose name starts with `prefix`.
    pub fn count_prefix(&self, prefix: &str) -> u64 {
        self.snapshot()
            .iter()
            .filter(|(op, _)| op.starts_with(prefix))
            .map(|(_, n)| n)
            .sum()
    }

    /// All requests counted.
    pub fn total(&self) -> u64 {
        self.snapshot().values().sum()
    }

    /// A copy of every counter, sorted by operation name.
    pub fn snapshot(&self) -> BTreeMap<String, u64> {
        self.counts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Sets every counter back to zero.
    pub fn reset(&self) {
        self.counts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_counts() {
        let stats = RequestStats::new();
        let other = stats.clone();
        other.record("plex.sections");
        other.record("plex.sections");
        other.record("plex.add_items");
        stats.record("radarr.movies");
        assert_eq!(stats.count("plex.sections"), 2);
        assert_eq!(stats.count("plex.nothing"), 0);
        assert_eq!(stats.count_prefix("plex."), 3);
        assert_eq!(other.total(), 4);
        stats.reset();
        assert_eq!(other.total(), 0);
    }
}
