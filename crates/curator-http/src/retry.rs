//! The retry decision, kept free of I/O so it can be tested as a table.

use std::time::{Duration, SystemTime};

/// How an attempt failed, as far as the retry decision cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The connection could not be made; nothing reached the server.
    Connect,
    /// The request or the answer timed out.
    Timeout,
    /// Any other transport problem (connection reset, broken body).
    Transport,
    /// The server answered with this status.
    Status {
        /// The HTTP status code.
        status: u16,
        /// The server's `Retry-After`, already parsed.
        retry_after: Option<Duration>,
    },
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    /// Give up and report the failure.
    Stop,
    /// Wait this long, then send the request again.
    RetryAfter(Duration),
}

/// When and how long to retry.
///
/// The defaults suit home servers: three retries, starting at half a second
/// and doubling, never waiting more than 30 s between attempts, and honouring
/// a server's `Retry-After` up to 60 s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 disables retrying.
    pub max_retries: u32,
    /// The wait before the first retry; it doubles for each further one.
    pub base_delay: Duration,
    /// The longest computed backoff.
    pub max_delay: Duration,
    /// The longest wait a server's `Retry-After` can ask for.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// Decides whether to retry after `failure`.
    ///
    /// `retries_done` counts the retries already made (0 after the first
    /// attempt). `safe_to_repeat` is false for requests such as "add a movie"
    /// that must not run twice: those are retried only when the server surely
    /// did not act (a failed connection, or a 429 refusal). `jitter` is a
    /// number in `[0, 1)` that spreads the waits of concurrent clients; pass
    /// a fixed value in tests.
    pub fn decide(
        &self,
        retries_done: u32,
        safe_to_repeat: bool,
        failure: Failure,
        jitter: f64,
    ) -> RetryDecision {
        if retries_done >= self.max_retries {
            return RetryDecision::Stop;
        }
        let retryable = match failure {
            Failure::Connect => true,
            Failure::Timeout | Failure::Transport => safe_to_repeat,
            Failure::Status { status: 429, .. } => true,
            Failure::Status { status, .. } => safe_to_repeat && matches!(status, 502..=504),
        };
        if !retryable {
            return RetryDecision::Stop;
        }
        if let Failure::Status {
            retry_after: Some(wait),
            ..
        } = failure
        {
            return RetryDecision::RetryAfter(wait.min(self.max_retry_after));
        }
        RetryDecision::RetryAfter(self.backoff(retries_done, jitter))
    }

    /// Exponential backoff with "equal jitter": half the delay is fixed, the
    /// other half is spread by `jitter`, so waits never collapse to zero.
    fn backoff(&self, retries_done: u32, jitter: f64) -> Duration {
        let factor = 2u32.saturating_pow(retries_done.min(16));
        let full = self.base_delay.saturating_mul(factor).min(self.max_delay);
        let half = full / 2;
        half + half.mul_f64(jitter.clamp(0.0, 1.0))
    }
}

/// Parses a `Retry-After` header: either delay-seconds or an HTTP date.
///
/// A date in the past gives a zero wait; anything unreadable gives `None`.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(code: u16) -> Failure {
        Failure::Status {
            status: code,
            retry_after: None,
        }
    }

    #[test]
    fn decision_table() {
        let policy = RetryPolicy::default();
        let cases = [
            // (failure, safe to repeat, retries done, retried?)
            (Failure::Connect, true, 0, true),
            (Failure::Connect, false, 0, true),
            (Failure::Timeout, true, 0, true),
            (Failure::Timeout, false, 0, false),
            (Failure::Transport, true, 2, true),
            (Failure::Transport, false, 0, false),
            (status(429), true, 0, true),
            (status(429), false, 0, true),
            (status(502), true, 0, true),
            (status(503), true, 1, true),
            (status(504), true, 2, true),
            (status(503), false, 0, false),
            (status(500), true, 0, false),
            (status(400), true, 0, false),
            (status(401), true, 0, false),
            (status(404), true, 0, false),
            (status(503), true, 3, false),
            (Failure::Connect, true, 3, false),
        ];
        for (failure, safe, done, expected) in cases {
            let decision = policy.decide(done, safe, failure, 0.5);
            assert_eq!(
                matches!(decision, RetryDecision::RetryAfter(_)),
                expected,
                "{failure:?} safe={safe} done={done} gave {decision:?}"
            );
        }
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let policy = RetryPolicy {
            max_retries: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1000),
            max_retry_after: Duration::from_secs(5),
        };
        let waits: Vec<_> = (0..6)
            .map(|done| match policy.decide(done, true, status(503), 1.0) {
                RetryDecision::RetryAfter(wait) => wait.as_millis(),
                RetryDecision::Stop => panic!("should retry"),
            })
            .collect();
        assert_eq!(waits, [100, 200, 400, 800, 1000, 1000]);
        // No jitter gives half the delay, never zero.
        assert_eq!(
            policy.decide(0, true, status(503), 0.0),
            RetryDecision::RetryAfter(Duration::from_millis(50))
        );
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_cap() {
        let policy = RetryPolicy::default();
        let asked = |secs| Failure::Status {
            status: 429,
            retry_after: Some(Duration::from_secs(secs)),
        };
        assert_eq!(
            policy.decide(0, true, asked(7), 0.9),
            RetryDecision::RetryAfter(Duration::from_secs(7))
        );
        assert_eq!(
            policy.decide(0, true, asked(3600), 0.9),
            RetryDecision::RetryAfter(policy.max_retry_after)
        );
    }

    #[test]
    fn no_retries_policy_always_stops() {
        assert_eq!(
            RetryPolicy::none().decide(0, true, status(503), 0.5),
            RetryDecision::Stop
        );
    }

    #[test]
    fn parses_both_retry_after_forms() {
        let now = httpdate::parse_http_date("Wed, 21 Oct 2026 07:28:00 GMT").unwrap();
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after(" 2 ", now), Some(Duration::from_secs(2)));
        assert_eq!(
            parse_retry_after("1.5", now),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2026 07:28:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2026 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-3", now), None);
    }
}
