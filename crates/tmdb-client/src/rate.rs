//! A client-side rate limit: requests are spaced evenly in time.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

/// Hands out evenly spaced start times; clones share the schedule, so every
/// clone of a client counts against the same limit.
///
/// Fixed spacing (rather than a bucket that allows bursts) keeps well under
/// TMDb's limit of about 40-50 requests per second even when many tasks
/// start at once.
#[derive(Debug, Clone)]
pub(crate) struct RateLimiter {
    spacing: Duration,
    next_free: Arc<Mutex<Option<Instant>>>,
    /// Turns handed out, for tests.
    granted: Arc<std::sync::atomic::AtomicU64>,
}

impl RateLimiter {
    /// At most `per_second` request starts per second; `None` for 0.
    pub(crate) fn per_second(per_second: u32) -> Option<Self> {
        (per_second > 0).then(|| Self {
            spacing: Duration::from_secs(1) / per_second,
            next_free: Arc::default(),
            granted: Arc::default(),
        })
    }

    /// The time between two request starts.
    pub(crate) fn spacing(&self) -> Duration {
        self.spacing
    }

    /// How many turns were handed out.
    #[cfg(test)]
    pub(crate) fn granted(&self) -> u64 {
        self.granted.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Waits for this caller's turn.
    pub(crate) async fn acquire(&self) {
        self.granted
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let slot = {
            let mut next_free = self
                .next_free
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let now = Instant::now();
            let slot = next_free.filter(|t| *t > now).unwrap_or(now);
            *next_free = Some(slot + self.spacing);
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

impl curator_http::Pacer for RateLimiter {
    fn wait(&self) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + '_>> {
        Box::pin(self.acquire())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn spaces_requests_across_clones() {
        let limiter = RateLimiter::per_second(10).unwrap();
        let other = limiter.clone();
        let start = Instant::now();
        limiter.acquire().await;
        assert_eq!(
            start.elapsed(),
            Duration::ZERO,
            "the first one goes at once"
        );
        other.acquire().await;
        limiter.acquire().await;
        assert_eq!(start.elapsed(), Duration::from_millis(200));
        assert!(RateLimiter::per_second(0).is_none());
    }
}
