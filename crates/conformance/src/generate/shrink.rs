//! Shrinking a generated divergence to a smaller case that still diverges at the same first
//! field, through the same judge as every case.

use serde::{Deserialize, Serialize};

use super::GeneratedTree;
use crate::case::{GeneratedKind, PlannedCase};
use crate::implementation::{Capabilities, Implementation};
use crate::judge::{Field, Verdict};
use crate::runner::{job_for, judged, Judged};
use crate::trace::Trace;

/// The most shrinking steps tried per divergence, so shrinking always ends.
pub const MAX_SHRINK_ITERATIONS: u32 = 500;

/// The default number of shrinking steps (each one a round trip to the implementation) one
/// row spends over all its divergence kinds. A full matrix run meets a hundred kinds or more
/// on some rows (every combination of a library's quirks is a kind); shrinking all of them
/// fully would cost ten times the cases themselves.
pub const DEFAULT_SHRINK_BUDGET: u32 = 2_000;

/// A shrunk case: the smallest one found that still diverges at the same first field.
#[derive(Debug, Clone)]
pub struct Shrunk {
    /// The case.
    pub case: PlannedCase,
    /// Its verdict.
    pub verdict: Verdict,
    /// The implementation's trace of it, when it signed.
    pub trace: Option<Trace>,
    /// Simplifications kept.
    pub steps: u32,
}

/// What a report says of how a divergence kind's representative was shrunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "shrink", rename_all = "snake_case")]
pub enum Shrink {
    /// Shrunk: this many simplifications were kept.
    Shrunk {
        /// Accepted shrinking steps.
        steps: u32,
    },
    /// Not shrunk: the row's shrink budget went to kinds that come first (unexplained kinds,
    /// then those with fewer quirks). Replaying the case alone shrinks it.
    BudgetSpent,
}

/// Shrinks the generated case of `kind` with `seed` on `implementation`, in at most `budget`
/// (and [`MAX_SHRINK_ITERATIONS`]) candidates, keeping each simpler case whose first
/// differing field is still `first`. Returns the smallest case kept (`None`: no simpler one
/// diverges so) and the candidates tried. `Err` is a generator failure.
pub fn shrink(
    implementation: &mut dyn Implementation,
    capabilities: &Capabilities,
    (kind, seed): (GeneratedKind, u64),
    first: Field,
    budget: u32,
) -> Result<(Option<Shrunk>, u32), super::Error> {
    let mut tree = GeneratedTree::new(kind, capabilities, seed)?;
    let mut best: Option<Shrunk> = None;
    let (mut steps, mut iterations) = (0, 0);
    let mut candidate_ok = tree.simplify();
    while candidate_ok && iterations < MAX_SHRINK_ITERATIONS.min(budget) {
        iterations += 1;
        let kept = match tree.current() {
            Ok(case) => try_candidate(implementation, capabilities, case, first),
            Err(_) => None,
        };
        match kept {
            Some((case, verdict, trace)) => {
                steps += 1;
                best = Some(Shrunk { case, verdict, trace, steps });
                candidate_ok = tree.simplify();
            }
            None => candidate_ok = tree.complicate(),
        }
    }
    Ok((best, iterations))
}

/// The candidate with its verdict and trace, when it still first diverges at `first`.
fn try_candidate(
    implementation: &mut dyn Implementation,
    capabilities: &Capabilities,
    case: PlannedCase,
    first: Field,
) -> Option<(PlannedCase, Verdict, Option<Trace>)> {
    let answer = implementation.run(&[job_for(&case.case)]).pop()?;
    let Judged { verdict, trace } = judged(&case.case, answer, capabilities);
    (verdict.first_differing_field() == Some(first)).then_some((case, verdict, trace))
}
