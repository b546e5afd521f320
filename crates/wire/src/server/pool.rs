//! The memory of request bodies: a pool of buffers whose capacities together stay within
//! [`super::Limits::body_memory_budget`].
//!
//! The per-request size limit alone would let many connections each hold a maximal body.
//! Counting bytes is not enough either: with one thread per connection, an allocator keeps
//! freed blocks per thread (glibc's arenas, mimalloc's thread heaps), so a byte budget of
//! 64 MiB still peaked above 250 MiB when many threads each held a 16 MiB body in turn.
//! Buffers are therefore reused rather than freed, and never grown (growing reallocates, and
//! the allocator keeps the old block for a while): a body of known length gets a buffer of
//! that length, a chunked body one of the maximum body size, whose pages are touched only as
//! far as its data goes. The allocator sees at most the budget's worth of body blocks over
//! the server's life.

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crate::body::BodySink;

/// The smallest buffer handed out, so that small bodies do not churn the pool.
const MIN_BUFFER: usize = 8 * 1024;

#[derive(Debug)]
pub(crate) struct BodyPool {
    limit: u64,
    state: Mutex<PoolState>,
    released: Condvar,
}

#[derive(Debug, Default)]
struct PoolState {
    /// The capacity of every buffer, free or lent.
    reserved: u64,
    free: Vec<Vec<u8>>,
}

impl PoolState {
    /// Frees the smallest free buffer to make room; `false` if none is free.
    fn drop_smallest_free(&mut self) -> bool {
        let Some(index) = (0..self.free.len()).min_by_key(|&i| self.free.get(i).map_or(0, Vec::capacity)) else {
            return false;
        };
        let buffer = self.free.swap_remove(index);
        self.reserved = self.reserved.saturating_sub(buffer.capacity() as u64);
        true
    }

    /// A buffer of at least `capacity`, if the pool can give one without waiting.
    fn take(&mut self, capacity: usize, limit: u64) -> Option<Vec<u8>> {
        let capacity = capacity.max(MIN_BUFFER);
        loop {
            let fitting = (0..self.free.len())
                .filter(|&i| self.free.get(i).is_some_and(|b| b.capacity() >= capacity))
                .min_by_key(|&i| self.free.get(i).map_or(0, Vec::capacity));
            if let Some(index) = fitting {
                return Some(self.free.swap_remove(index));
            }
            if self.reserved.saturating_add(capacity as u64) <= limit {
                let buffer = Vec::with_capacity(capacity);
                self.reserved += buffer.capacity() as u64;
                return Some(buffer);
            }
            // The room is in free buffers too small for this body: give one back.
            if !self.drop_smallest_free() {
                return None;
            }
        }
    }
}

impl BodyPool {
    pub(crate) fn new(limit: u64) -> Self {
        Self { limit, state: Mutex::new(PoolState::default()), released: Condvar::new() }
    }

    fn lock(&self) -> MutexGuard<'_, PoolState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A buffer of at least `capacity` bytes, waiting up to `wait` for others to come back.
    pub(crate) fn acquire(&self, capacity: usize, wait: Duration) -> Option<PooledBody<'_>> {
        let deadline = Instant::now() + wait;
        let mut state = self.lock();
        loop {
            if let Some(bytes) = state.take(capacity, self.limit) {
                return Some(PooledBody { pool: self, bytes });
            }
            let left = deadline.checked_duration_since(Instant::now()).filter(|d| !d.is_zero())?;
            state = self.released.wait_timeout(state, left).unwrap_or_else(PoisonError::into_inner).0;
        }
    }

    fn release(&self, mut buffer: Vec<u8>) {
        buffer.clear();
        self.lock().free.push(buffer);
        self.released.notify_all();
    }

    /// The capacity of every body buffer, lent or free.
    pub(crate) fn reserved(&self) -> u64 {
        self.lock().reserved
    }
}

/// A buffer lent by the pool; it goes back when dropped.
#[derive(Debug)]
pub(crate) struct PooledBody<'a> {
    pool: &'a BodyPool,
    pub(crate) bytes: Vec<u8>,
}

/// The body went past the per-request limit: 413.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooLarge;

impl BodySink for PooledBody<'_> {
    type Stop = TooLarge;

    /// Fills the buffer up to its capacity, which the pool sized to the body's length or to
    /// the per-request limit.
    fn push(&mut self, bytes: &[u8]) -> Result<(), TooLarge> {
        if self.bytes.len() + bytes.len() > self.bytes.capacity() {
            return Err(TooLarge);
        }
        self.bytes.extend_from_slice(bytes);
        Ok(())
    }
}

impl Drop for PooledBody<'_> {
    fn drop(&mut self) {
        self.pool.release(std::mem::take(&mut self.bytes));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WAIT: Duration = Duration::from_secs(5);

    #[test]
    fn buffers_are_reused_not_reallocated() {
        let pool = BodyPool::new(100_000);
        let first = pool.acquire(60_000, WAIT).unwrap();
        let address = first.bytes.as_ptr();
        drop(first);
        let again = pool.acquire(10_000, WAIT).unwrap();
        assert_eq!(again.bytes.as_ptr(), address, "the free buffer is lent again");
        assert_eq!(pool.reserved(), 60_000);
    }

    #[test]
    fn acquire_waits_for_a_release_and_gives_up_after_the_wait() {
        let pool = BodyPool::new(100_000);
        let first = pool.acquire(60_000, WAIT).unwrap();
        assert!(pool.acquire(60_000, Duration::from_millis(20)).is_none());
        std::thread::scope(|s| {
            let waiter = s.spawn(|| pool.acquire(60_000, WAIT).map(|b| b.bytes.capacity()));
            std::thread::sleep(Duration::from_millis(50));
            drop(first);
            assert_eq!(waiter.join().unwrap(), Some(60_000));
        });
        assert!(pool.reserved() <= 100_000);
    }

    #[test]
    fn small_free_buffers_make_room_for_a_large_one() {
        let pool = BodyPool::new(100_000);
        let small: Vec<_> = (0..4).map(|_| pool.acquire(20_000, WAIT).unwrap()).collect();
        drop(small);
        let large = pool.acquire(90_000, Duration::ZERO).unwrap();
        assert!(large.bytes.capacity() >= 90_000);
        assert!(pool.reserved() <= 100_000, "{}", pool.reserved());
    }

    #[test]
    fn a_body_stops_at_its_buffer() {
        let pool = BodyPool::new(30_000);
        let mut body = pool.acquire(10_000, WAIT).unwrap();
        body.push(&[1; 9_000]).unwrap();
        assert_eq!(body.push(&[1; 1_001]), Err(TooLarge));
        assert_eq!(body.bytes.len(), 9_000);
    }
}
