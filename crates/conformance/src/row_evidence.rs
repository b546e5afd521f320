//! Ties between equally small explanations, broken with the row's own evidence.
//!
//! Attribution explains each case alone and names the smallest quirk set that reproduces it;
//! where several single quirks reproduce a case, it names the first in catalogue order. On a
//! form body with a query `ignores-form-body` and `ignores-form-body-with-query` sign alike, so
//! an implementation with the second was named after the first on every case that shows it.
//! The row's other cases tell them apart: a quirk that alone would change a case the row signed
//! as the RFC says is evidence against it, and a quirk that reproduces more of the row's
//! divergences is the likelier one. Only ties are broken: every name given still reproduces its
//! case exactly, and a case whose quirk is in the row's known fingerprint (its baseline) keeps it.

use std::collections::{BTreeMap, BTreeSet};

use oauth1_vectors::CaseBody;

use crate::case::PlannedCase;
use crate::implementation::{Capabilities, SignInput};
use crate::judge::{judged_oauth, sign_input};
use crate::quirks::{single_quirk_changes, single_quirks_signing_like, Quirk};
use crate::result::CaseResult;
use crate::trace::Trace;

/// Renames the single quirk of each divergence that other single quirks reproduce as well,
/// choosing among those the row's evidence does not contradict the one that reproduces the most
/// of its divergences (the quirk named so far on a tie). `passing` holds, per case, the trace of
/// a sign case the row passed (`None` for every other case).
pub fn break_ties(
    cases: &[PlannedCase],
    results: &mut [CaseResult],
    passing: &[Option<Trace>],
    capabilities: &Capabilities,
    fingerprint: &[Quirk],
) {
    let singles: Vec<(usize, Quirk)> = results
        .iter()
        .enumerate()
        .filter_map(|(index, result)| match result.quirks.as_deref() {
            Some(&[named]) if !fingerprint.contains(&named) && result.trace.is_some() => Some((index, named)),
            _ => None,
        })
        .collect();
    let named: Vec<Quirk> = singles.iter().map(|(_, q)| *q).collect::<BTreeSet<_>>().into_iter().collect();
    let mut contradicted: BTreeMap<Quirk, bool> = BTreeMap::new();
    let mut is_contradicted = |quirk: Quirk| {
        *contradicted.entry(quirk).or_insert_with(|| changes_a_passing_case(cases, passing, capabilities, quirk))
    };
    // A named quirk the row's evidence does not contradict can lose only to another quirk the row
    // shows; one it contradicts is compared with the whole catalogue (the quirk the row has may
    // be named nowhere: it signs like the contradicted one on every case that shows it).
    let switchable: Vec<Quirk> = Quirk::ALL.iter().copied().filter(|q| q.is_switchable()).collect();
    let mut alternatives: Vec<(usize, Vec<Quirk>)> = Vec::new();
    let mut reproduced: BTreeMap<Quirk, usize> = BTreeMap::new();
    for (index, quirk) in singles {
        let (CaseBody::Sign(sign), Some(trace)) = (&cases[index].case.body, results[index].trace.as_ref()) else {
            continue;
        };
        let among = if is_contradicted(quirk) { &switchable } else { &named };
        let oauth = judged_oauth(capabilities, &sign.oauth, trace);
        let alike = single_quirks_signing_like(&SignInput { oauth: &oauth, ..sign_input(sign) }, quirk, among);
        for &q in &alike {
            *reproduced.entry(q).or_default() += 1;
        }
        if alike.len() > 1 {
            alternatives.push((index, alike));
        }
    }
    for (index, alike) in alternatives {
        let named = alike[0];
        let rank = |q: Quirk| (reproduced.get(&q).copied().unwrap_or_default(), q == named);
        let mut best: Option<Quirk> = None;
        for quirk in alike {
            if !is_contradicted(quirk) && best.is_none_or(|b| rank(quirk) > rank(b)) {
                best = Some(quirk);
            }
        }
        if let Some(best) = best {
            results[index].quirks = Some(vec![best]);
        }
    }
}

/// Whether `quirk` alone changes a sign case the row passed.
fn changes_a_passing_case(
    cases: &[PlannedCase],
    passing: &[Option<Trace>],
    capabilities: &Capabilities,
    quirk: Quirk,
) -> bool {
    cases.iter().zip(passing).any(|(planned, trace)| match (&planned.case.body, trace) {
        (CaseBody::Sign(sign), Some(trace)) => {
            let oauth = judged_oauth(capabilities, &sign.oauth, trace);
            single_quirk_changes(&SignInput { oauth: &oauth, ..sign_input(sign) }, quirk, trace)
        }
        _ => false,
    })
}
