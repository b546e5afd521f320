//! A row's two verdicts, kept apart: whether it conforms to RFC 5849 (no divergence at all)
//! and whether it matches its baseline (the CI gate). A row with a catalogued deviation is
//! never called conformant, however well it matches its baseline.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::baseline::{self, Baseline, BaselineCheck};
use crate::case::CaseSource;
use crate::judge::OutcomeKind;
use crate::quirks::Quirk;
use crate::result::CaseResult;

/// One row's verdicts.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RowVerdict {
    /// The implementation.
    pub implementation: String,
    /// No case diverged: conformant to RFC 5849 on every case run.
    pub conformant: bool,
    /// Whether it matches its baseline (the gate); absent when no baseline was checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matches_baseline: Option<bool>,
    /// The baseline comparison, when a baseline was checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineCheck>,
    /// Every catalogued quirk its divergences show, with how many cases show it.
    pub quirks: BTreeMap<Quirk, usize>,
    /// Divergences no catalogued quirk explains.
    pub unexplained: usize,
    /// Of those, the ones whose quirk search stopped at its budget (a set beyond it may
    /// explain them: `oauth1-conformance explain` searches without one).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub search_cut_short: usize,
    /// How many of its cases were compared (judged against their expectation), and skipped.
    pub coverage: Coverage,
}

/// How much of a row's run was compared.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    /// Cases judged: passed, failed or acceptable.
    pub compared: usize,
    /// Cases skipped (a capability it lacks, or an input its API cannot express).
    pub skipped: usize,
    /// Cases in error.
    pub errors: usize,
    /// Generated cases run.
    pub generated: usize,
    /// Generated cases compared.
    pub generated_compared: usize,
}

impl Coverage {
    /// The coverage of `results`.
    #[must_use]
    pub fn of(results: &[CaseResult]) -> Self {
        let mut coverage = Self::default();
        for result in results {
            let compared = matches!(result.outcome, OutcomeKind::Pass | OutcomeKind::Fail | OutcomeKind::Acceptable);
            match result.outcome {
                OutcomeKind::Skip => coverage.skipped += 1,
                OutcomeKind::Error => coverage.errors += 1,
                _ => coverage.compared += 1,
            }
            if result.source == CaseSource::Generated {
                coverage.generated += 1;
                coverage.generated_compared += usize::from(compared);
            }
        }
        coverage
    }

    /// The share of generated cases compared, in percent (100 when none ran).
    #[must_use]
    pub fn generated_compared_percent(&self) -> f64 {
        if self.generated == 0 {
            100.0
        } else {
            // Case counts stay far below 2^52.
            #[allow(clippy::cast_precision_loss)]
            let share = self.generated_compared as f64 / self.generated as f64;
            share * 100.0
        }
    }
}

impl RowVerdict {
    /// The verdicts on `implementation`'s `results`, checked against `baseline` when given.
    #[must_use]
    pub fn of(implementation: &str, results: &[CaseResult], baseline: Option<&Baseline>) -> Self {
        let mut quirks: BTreeMap<Quirk, usize> = BTreeMap::new();
        let mut unexplained = 0;
        let mut search_cut_short = 0;
        for result in results.iter().filter(|r| r.is_divergence()) {
            if !result.is_explained() {
                unexplained += 1;
                search_cut_short += usize::from(result.search_cut_short);
            }
            for quirk in result.explaining_quirks() {
                *quirks.entry(quirk).or_default() += 1;
            }
        }
        let check = baseline.map(|b| baseline::check(b, results));
        Self {
            implementation: implementation.to_owned(),
            conformant: !results.iter().any(CaseResult::is_divergence),
            matches_baseline: check.as_ref().map(BaselineCheck::clean),
            baseline: check,
            quirks,
            unexplained,
            search_cut_short,
            coverage: Coverage::of(results),
        }
    }

    /// Whether the row passes the gate: it matches its baseline, or, without one, conforms.
    #[must_use]
    pub fn passes(&self) -> bool {
        self.matches_baseline.unwrap_or(self.conformant)
    }

    /// What the matrix says of the row, in a few words: conformance and the gate, apart.
    #[must_use]
    pub fn headline(&self) -> String {
        let conformance = if self.conformant {
            "conforms to RFC 5849".to_owned()
        } else {
            let unexplained = match (self.unexplained, self.search_cut_short) {
                (0, _) => String::new(),
                (n, 0) => format!(", {n} unexplained divergences"),
                (n, cut) => format!(", {n} unexplained divergences ({cut} with the quirk search cut short)"),
            };
            format!("does not conform: {} catalogued quirks{unexplained}", self.quirks.len())
        };
        match self.matches_baseline {
            Some(true) => format!("{conformance}; matches its baseline"),
            Some(false) => format!("{conformance}; DIFFERS from its baseline"),
            None => conformance,
        }
    }
}

// serde's `skip_serializing_if` passes a reference.
#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_zero(n: &usize) -> bool {
    *n == 0
}
