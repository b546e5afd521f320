//! Ratios that a busy machine cannot bend: the floor and the function measured against it
//! alternate in rounds inside one process, each round a short batch of calls of each, and the
//! ratio is taken per round. Work that other processes put on the machine slows a batch of
//! the floor and the batch of the function next to it alike, so it mostly cancels in their
//! ratio; a round it hits unevenly is an outlier that the median of the rounds leaves out, and
//! the spread of the rounds shows how much it moved.
//!
//! On Linux a batch is timed by the CPU time of this thread ([`CLOCK`]), not by the wall clock:
//! when other processes take the CPU in the middle of a batch, the wall clock counts their time
//! too (a 1 ms batch preempted for a 4 ms time slice reads 5 ms), and on a machine shared with
//! compilers that happens to every few batches. What stays is what the other work does to the
//! CPU this thread runs on (caches, a busy sibling hyperthread), which the pairing cancels.
//!
//! Absolute times are criterion's (`benches/signing.rs`); these rounds give the ratios.

use std::time::Duration;

/// How many passes and rounds, and about how long each batch of calls takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Settings {
    /// Passes over every ratio, one after the other; each ratio is reported from the pass that
    /// the host disturbed least ([`least_disturbed`]).
    pub passes: usize,
    /// Rounds per pass; one ratio per round.
    pub rounds: usize,
    /// The target duration of one batch; each contestant's number of calls per batch is set
    /// once, from a calibration run, so that its batch takes about this long.
    #[serde(serialize_with = "as_microseconds")]
    pub batch: Duration,
}

impl Settings {
    /// The measurement `cargo xtask bench` makes: 5 passes of 50 rounds of 1 ms batches. A
    /// batch that short is rarely split by the scheduler (its time slices are a few
    /// milliseconds), and 50 rounds put the median well inside the rounds no other work
    /// disturbed. A pass takes a few seconds, so the five are spread over half a minute.
    pub const FULL: Self = Self { passes: 5, rounds: 50, batch: Duration::from_millis(1) };
    /// A run that only shows every contestant works (CI, `cargo test --benches`): one pass of
    /// three rounds of 100 µs batches. Its ratios are not measurements.
    pub const QUICK: Self = Self { passes: 1, rounds: 3, batch: Duration::from_micros(100) };
}

fn as_microseconds<S: serde::Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_u128(duration.as_micros())
}

/// Times `contestants` in `settings.rounds` rounds: in each round one batch of each, the one
/// that goes first moving by one every round so that no contestant always follows the same
/// one. Returns the calls per batch of each contestant and, for each round, each contestant's
/// nanoseconds per call in that round, in the contestants' order.
pub fn rounds(contestants: &mut [&mut dyn FnMut()], settings: Settings) -> (Vec<u64>, Vec<Vec<f64>>) {
    let calls: Vec<u64> = contestants.iter_mut().map(|run| calibrate(*run, settings.batch)).collect();
    let count = contestants.len();
    let times = (0..settings.rounds)
        .map(|round| {
            let mut times = vec![0.0; count];
            for turn in 0..count {
                let index = (round + turn) % count;
                if let (Some(run), Some(&calls), Some(time)) =
                    (contestants.get_mut(index), calls.get(index), times.get_mut(index))
                {
                    *time = nanoseconds_per_call(*run, calls);
                }
            }
            times
        })
        .collect();
    (calls, times)
}

/// The clock that times every batch.
#[cfg(target_os = "linux")]
pub const CLOCK: &str = "thread CPU time (CLOCK_THREAD_CPUTIME_ID)";
/// The clock that times every batch.
#[cfg(not(target_os = "linux"))]
pub const CLOCK: &str = "wall time";

/// The [`CLOCK`] now.
#[cfg(target_os = "linux")]
fn now() -> Duration {
    let time = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    Duration::new(u64::try_from(time.tv_sec).unwrap_or_default(), u32::try_from(time.tv_nsec).unwrap_or_default())
}

/// The [`CLOCK`] now, from an arbitrary start.
#[cfg(not(target_os = "linux"))]
fn now() -> Duration {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed()
}

/// The calls per batch that take about `batch`: doubled from one until a run of them takes a
/// tenth of `batch` (which also warms the caches and the branch predictors), then scaled.
fn calibrate(run: &mut dyn FnMut(), batch: Duration) -> u64 {
    let mut calls: u64 = 1;
    loop {
        let start = now();
        for _ in 0..calls {
            run();
        }
        let elapsed = now().saturating_sub(start);
        if elapsed >= batch / 10 || calls >= 1 << 24 {
            let per_call = elapsed.as_secs_f64() / calls as f64;
            return (batch.as_secs_f64() / per_call.max(1e-12)).clamp(1.0, f64::from(1u32 << 30)) as u64;
        }
        calls *= 2;
    }
}

fn nanoseconds_per_call(run: &mut dyn FnMut(), calls: u64) -> f64 {
    let start = now();
    for _ in 0..calls {
        run();
    }
    now().saturating_sub(start).as_nanos() as f64 / calls.max(1) as f64
}

/// The ratio of contestant `of` to contestant `to` in each round of [`rounds`]' times.
#[must_use]
pub fn ratios(times: &[Vec<f64>], of: usize, to: usize) -> Vec<f64> {
    times
        .iter()
        .filter_map(|round| match (round.get(of), round.get(to)) {
            (Some(&of), Some(&to)) if to > 0.0 => Some(of / to),
            _ => None,
        })
        .collect()
}

/// The column `index` of [`rounds`]' times: one contestant's time per call in each round.
#[must_use]
pub fn column(times: &[Vec<f64>], index: usize) -> Vec<f64> {
    times.iter().filter_map(|round| round.get(index).copied()).collect()
}

/// Which of several passes' measurements of one ratio to report, given each pass's median
/// time per call of the two contestants: the pass where both ran fastest (the lowest product
/// of the two), `None` when no pass has both.
///
/// Interleaving cancels what other work does to both contestants of a round alike, but not a
/// shared host slowing this CPU for a second or more at a time, longer than all the rounds of
/// one ratio: that falls on the branchy signers far more than on the floor's SHA instructions,
/// and it only ever adds time. Repeated runs of one binary then fall into two groups of
/// medians, each run's own rounds close together. The pass with the lowest ratio is not always
/// the least disturbed one: a pass whose floor alone was slowed has a low ratio too, and
/// choosing it would report the function faster than it is. Choosing by both times, a
/// disturbance of either contestant counts against its pass.
#[must_use]
pub fn least_disturbed(pass_times: &[Option<[f64; 2]>]) -> Option<usize> {
    pass_times
        .iter()
        .enumerate()
        .filter_map(|(pass, times)| times.map(|[of, to]| (pass, of * to)))
        .min_by(|(_, a), (_, b)| a.total_cmp(b))
        .map(|(pass, _)| pass)
}

/// The median of a set of rounds and the 10th and 90th percentiles around it.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Spread {
    /// The 10th percentile.
    pub p10: f64,
    /// The median.
    pub median: f64,
    /// The 90th percentile.
    pub p90: f64,
}

impl Spread {
    /// The spread of `values`, or `None` if there are none (or one is not a number).
    #[must_use]
    pub fn of(values: &[f64]) -> Option<Self> {
        let mut sorted = values.to_vec();
        if sorted.is_empty() || sorted.iter().any(|value| value.is_nan()) {
            return None;
        }
        sorted.sort_by(f64::total_cmp);
        Some(Self { p10: percentile(&sorted, 0.1), median: percentile(&sorted, 0.5), p90: percentile(&sorted, 0.9) })
    }
}

/// The `fraction` percentile of sorted, non-empty `values`, interpolated linearly between the
/// two nearest ranks (the definition of R's default, type 7, and of NumPy's).
fn percentile(sorted: &[f64], fraction: f64) -> f64 {
    let position = fraction * (sorted.len() - 1) as f64;
    let below = position.floor() as usize;
    let low = sorted.get(below).copied().unwrap_or_default();
    let high = sorted.get(below + 1).copied().unwrap_or(low);
    low + (high - low) * (position - below as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// NumPy's `percentile` of 1..=10 at 10, 50 and 90 is 1.9, 5.5 and 9.1 (linear method).
    #[test]
    fn percentiles_interpolate_between_ranks() {
        let values: Vec<f64> = (1..=10).rev().map(f64::from).collect();
        let spread = Spread::of(&values).unwrap();
        assert!((spread.p10 - 1.9).abs() < 1e-9, "{spread:?}");
        assert!((spread.median - 5.5).abs() < 1e-9, "{spread:?}");
        assert!((spread.p90 - 9.1).abs() < 1e-9, "{spread:?}");
        assert_eq!(Spread::of(&[4.0]).unwrap(), Spread { p10: 4.0, median: 4.0, p90: 4.0 });
        assert_eq!(Spread::of(&[]), None);
        assert_eq!(Spread::of(&[1.0, f64::NAN]), None);
    }

    #[test]
    fn the_pass_where_both_ran_fastest_is_reported() {
        // Pass 1 has the lowest ratio (1.8) only because its floor (the second time) was slow;
        // pass 2 is the one the host disturbed least.
        let passes = [Some([700.0, 330.0]), Some([650.0, 360.0]), Some([650.0, 325.0]), Some([900.0, 330.0])];
        assert_eq!(least_disturbed(&passes), Some(2));
        assert_eq!(least_disturbed(&[None, Some([3.0, 1.0]), None]), Some(1));
        assert_eq!(least_disturbed(&[None, None]), None);
        assert_eq!(least_disturbed(&[]), None);
    }

    #[test]
    fn ratios_are_taken_round_by_round() {
        let times = vec![vec![100.0, 250.0], vec![200.0, 500.0], vec![0.0, 1.0]];
        assert_eq!(ratios(&times, 1, 0), vec![2.5, 2.5]);
        assert_eq!(column(&times, 0), vec![100.0, 200.0, 0.0]);
    }

    /// Every contestant runs in every round, and a slower one measures slower.
    #[test]
    fn rounds_time_every_contestant() {
        let (mut fast, mut slow) = (0u64, 0u64);
        let mut run_fast = || fast = std::hint::black_box(fast + 1);
        let mut run_slow = || {
            for _ in 0..50 {
                slow = std::hint::black_box(slow + 1);
            }
        };
        let settings = Settings { passes: 1, rounds: 4, batch: Duration::from_micros(200) };
        let (calls, times) = rounds(&mut [&mut run_fast, &mut run_slow], settings);
        assert_eq!(times.len(), 4);
        assert!(calls.iter().all(|&calls| calls >= 1));
        let ratio = Spread::of(&ratios(&times, 1, 0)).unwrap();
        assert!(ratio.median > 1.0, "{ratio:?}");
    }
}
