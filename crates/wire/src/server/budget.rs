//! The memory all request bodies may hold at once ([`super::Limits::body_memory_budget`]):
//! the per-request size limit alone would let many connections each hold a maximal body.

use std::sync::{Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::body::BodySink;

#[derive(Debug)]
pub(crate) struct Budget {
    limit: u64,
    used: Mutex<u64>,
    released: Condvar,
}

/// Bytes held from a [`Budget`]; given back when dropped.
#[derive(Debug)]
pub(crate) struct Reservation<'a> {
    budget: &'a Budget,
    bytes: u64,
}

impl Budget {
    pub(crate) fn new(limit: u64) -> Self {
        Self { limit, used: Mutex::new(0), released: Condvar::new() }
    }

    /// Reserves `bytes`, waiting up to `wait` for other requests to give memory back.
    pub(crate) fn acquire(&self, bytes: u64, wait: Duration) -> Option<Reservation<'_>> {
        let deadline = Instant::now() + wait;
        let mut used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if used.saturating_add(bytes) <= self.limit {
                *used += bytes;
                return Some(Reservation { budget: self, bytes });
            }
            let left = deadline.checked_duration_since(Instant::now()).filter(|d| !d.is_zero())?;
            used = self.released.wait_timeout(used, left).unwrap_or_else(PoisonError::into_inner).0;
        }
    }

    /// An empty reservation, grown by [`Reservation::grow`].
    pub(crate) fn empty(&self) -> Reservation<'_> {
        Reservation { budget: self, bytes: 0 }
    }

    pub(crate) fn used(&self) -> u64 {
        *self.used.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Reservation<'_> {
    /// Adds `bytes` without waiting: a body growing chunk by chunk that waited while holding
    /// memory could deadlock with another doing the same.
    pub(crate) fn grow(&mut self, bytes: u64) -> bool {
        let mut used = self.budget.used.lock().unwrap_or_else(PoisonError::into_inner);
        if used.saturating_add(bytes) > self.budget.limit {
            return false;
        }
        *used += bytes;
        self.bytes += bytes;
        true
    }
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        if self.bytes > 0 {
            let mut used = self.budget.used.lock().unwrap_or_else(PoisonError::into_inner);
            *used = used.saturating_sub(self.bytes);
            self.budget.released.notify_all();
        }
    }
}

/// Why a request body was refused while it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyStop {
    /// Over the per-request limit: 413.
    TooLarge,
    /// The server's body memory is in use by other requests: 503.
    Busy,
}

/// A request body held within the per-request limit and the budget; its capacity is what is
/// reserved, since that is what the allocator holds.
pub(crate) struct BudgetedBody<'a> {
    pub(crate) bytes: Vec<u8>,
    pub(crate) reservation: Reservation<'a>,
    max: u64,
}

impl<'a> BudgetedBody<'a> {
    /// A body of known `length`, already reserved.
    pub(crate) fn with_reserved(reservation: Reservation<'a>, length: usize, max: u64) -> Self {
        Self { bytes: Vec::with_capacity(length), reservation, max }
    }

    /// A body of unknown length, reserved as it grows.
    pub(crate) fn growing(budget: &'a Budget, max: u64) -> Self {
        Self { bytes: Vec::new(), reservation: budget.empty(), max }
    }
}

impl BodySink for BudgetedBody<'_> {
    type Stop = BodyStop;

    fn push(&mut self, bytes: &[u8]) -> Result<(), BodyStop> {
        let needed = self.bytes.len() + bytes.len();
        if needed as u64 > self.max {
            return Err(BodyStop::TooLarge);
        }
        if needed > self.bytes.capacity() {
            let max = usize::try_from(self.max).unwrap_or(usize::MAX);
            let capacity = needed.max(self.bytes.capacity().saturating_mul(2)).max(8192).min(max.max(needed));
            let more = capacity - self.bytes.capacity();
            if !self.reservation.grow(more as u64) {
                return Err(BodyStop::Busy);
            }
            self.bytes.reserve_exact(capacity - self.bytes.len());
        }
        self.bytes.extend_from_slice(bytes);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acquire_waits_for_release_and_gives_up_after_the_wait() {
        let budget = Budget::new(100);
        let first = budget.acquire(60, Duration::ZERO).unwrap();
        assert!(budget.acquire(60, Duration::from_millis(20)).is_none());
        std::thread::scope(|s| {
            let waiter = s.spawn(|| budget.acquire(60, Duration::from_secs(5)).map(|r| r.bytes));
            std::thread::sleep(Duration::from_millis(50));
            drop(first);
            assert_eq!(waiter.join().unwrap(), Some(60));
        });
        assert_eq!(budget.used(), 0);
    }

    #[test]
    fn growing_body_stops_at_limit_and_budget() {
        let budget = Budget::new(20_000);
        let mut body = BudgetedBody::growing(&budget, 10_000);
        body.push(&[1; 9_000]).unwrap();
        assert_eq!(body.push(&[1; 1_001]), Err(BodyStop::TooLarge));
        let mut other = BudgetedBody::growing(&budget, 20_000);
        assert_eq!(other.push(&[1; 15_000]), Err(BodyStop::Busy));
        drop(body);
        other.push(&[1; 15_000]).unwrap();
        assert!(budget.used() >= 15_000);
        drop(other);
        assert_eq!(budget.used(), 0);
    }
}
