//! `--rate N`: at most N requests per second, evenly spaced.

use std::time::{Duration, Instant};

/// Spaces calls of [`RateLimiter::wait`] at least `1/rate` seconds apart.
#[derive(Debug, Clone)]
pub struct RateLimiter {
    interval: Option<Duration>,
    next: Option<Instant>,
}

impl RateLimiter {
    /// No limit: [`Self::wait`] never sleeps.
    #[must_use]
    pub fn unlimited() -> Self {
        Self { interval: None, next: None }
    }

    /// At most `rate` requests per second; `None` unless `rate` is finite and positive.
    #[must_use]
    pub fn per_second(rate: f64) -> Option<Self> {
        if !rate.is_finite() || rate <= 0.0 {
            return None;
        }
        let interval = Duration::try_from_secs_f64(1.0 / rate).ok()?;
        Some(Self { interval: Some(interval), next: None })
    }

    /// The spacing between requests, if limited.
    #[must_use]
    pub fn interval(&self) -> Option<Duration> {
        self.interval
    }

    /// Sleeps until the next request may go (the first goes at once); returns the time slept.
    pub fn wait(&mut self) -> Duration {
        let Some(interval) = self.interval else {
            return Duration::ZERO;
        };
        let now = Instant::now();
        let at = self.next.map_or(now, |next| next.max(now));
        let slept = at - now;
        if !slept.is_zero() {
            std::thread::sleep(slept);
        }
        self.next = Some(at + interval);
        slept
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_requests() {
        let mut limiter = RateLimiter::per_second(50.0).unwrap();
        let start = Instant::now();
        for _ in 0..11 {
            limiter.wait();
        }
        // Ten intervals of 20 ms after the first request.
        let elapsed = start.elapsed();
        assert!(elapsed >= Duration::from_millis(200), "{elapsed:?}");
        assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
    }

    #[test]
    fn rejects_nonsense_and_unlimited_never_sleeps() {
        for rate in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(RateLimiter::per_second(rate).is_none(), "{rate}");
        }
        let mut unlimited = RateLimiter::unlimited();
        assert!((0..1000).all(|_| unlimited.wait().is_zero()));
    }
}
