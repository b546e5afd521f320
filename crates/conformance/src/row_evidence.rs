//! Ties between equally small explanations, broken with the row's own evidence.
//!
//! Attribution explains each case alone and names the smallest quirk set that reproduces it;
//! where several single quirks reproduce a case, it names the first in search order. On a form
//! body with a query `ignores-form-body` and `ignores-form-body-with-query` sign alike, so an
//! implementation with the second was named after the first on every case that shows it. The
//! row's other cases tell them apart: a quirk that alone would change a case the row signed as
//! the RFC says is evidence against it, and a quirk that reproduces more of the row's
//! divergences is the likelier one. Only ties are broken: every name given still reproduces its
//! case exactly.
//!
//! Campaigns run in shards (`run --shard I/N`, then `report merge`), and the merge must name
//! every case as one unsharded run would (tests/shards.rs). So the evidence is split into parts
//! that merge exactly, and the choice is made from them alone, the same way after a run
//! ([`crate::session::run_row`]) and after a merge ([`crate::report::merge`]):
//! - per case, the single quirks that sign it alike ([`record_ties`], a function of the case
//!   alone, kept on the result as `ties`);
//! - per row, the switchable quirks that alone would change a case it passed ([`ruled_out`],
//!   tested against the whole catalogue, so the union over shards is the whole run's set);
//! - per row, how many of its divergences each quirk reproduces alone (counted from the results
//!   by [`break_ties`], which a merge holds all of).

use std::collections::BTreeMap;

use oauth1_vectors::CaseBody;

use crate::case::PlannedCase;
use crate::implementation::{Capabilities, SignInput};
use crate::judge::{judged_oauth, sign_input};
use crate::quirks::{single_quirks_changing, single_quirks_signing_like, Quirk};
use crate::result::CaseResult;
use crate::trace::Trace;

fn switchable() -> Vec<Quirk> {
    Quirk::ALL.iter().copied().filter(|q| q.is_switchable()).collect()
}

/// Records on each divergent sign case one quirk explains every other switchable quirk that
/// alone signs it alike (`ties`, the search's answer first), when there is one.
pub fn record_ties(cases: &[PlannedCase], results: &mut [CaseResult], capabilities: &Capabilities) {
    let catalogue = switchable();
    for (planned, result) in cases.iter().zip(results.iter_mut()) {
        let (CaseBody::Sign(sign), Some(trace), Some(&[named])) =
            (&planned.case.body, result.trace.as_ref(), result.quirks.as_deref())
        else {
            continue;
        };
        let oauth = judged_oauth(capabilities, &sign.oauth, trace);
        let alike = single_quirks_signing_like(&SignInput { oauth: &oauth, ..sign_input(sign) }, named, &catalogue);
        result.ties = if alike.len() > 1 { alike } else { Vec::new() };
    }
}

/// The switchable quirks that alone would change a sign case the row passed; `passing` holds,
/// per case, the trace of a sign case the row passed (`None` for every other case). Sorted.
#[must_use]
pub fn ruled_out(cases: &[PlannedCase], passing: &[Option<Trace>], capabilities: &Capabilities) -> Vec<Quirk> {
    let mut open = switchable();
    let mut out = Vec::new();
    for (planned, trace) in cases.iter().zip(passing) {
        let (CaseBody::Sign(sign), Some(trace)) = (&planned.case.body, trace) else { continue };
        if open.is_empty() {
            break;
        }
        let oauth = judged_oauth(capabilities, &sign.oauth, trace);
        let changed = single_quirks_changing(&SignInput { oauth: &oauth, ..sign_input(sign) }, &open, trace);
        open.retain(|q| !changed.contains(q));
        out.extend(changed);
    }
    out.sort_unstable();
    out
}

/// Names each result with ties after the one of them `ruled_out` (the row's evidence) leaves
/// that the row needs anyway (named on a divergence without ties, alone or in a set), then
/// that reproduces alone the most of the row's divergences, the first in catalogue order on
/// equal counts; among all of them when the evidence rules out every one. Naming a quirk the
/// row already shows explains the tie with no new claim: LWP::Authen::OAuth's POST with a query
/// and a `; charset` form body ties `charset-content-type-not-form`, which its other POSTs need,
/// with `ignores-form-body-with-query`, which only ties name and which its POSTs with a query
/// and a plain form body contradict. `results` are one row's, all of them: the counts are the
/// row's. Nothing here depends on the order the search met the quirks in (a baseline's
/// fingerprint reorders it), so a baseline written by one run names what the next run names.
pub fn break_ties(results: &mut [CaseResult], ruled_out: &[Quirk]) {
    let needed: std::collections::BTreeSet<Quirk> =
        results.iter().filter(|r| r.ties.is_empty()).flat_map(|r| r.quirks.iter().flatten().copied()).collect();
    let mut reproduced: BTreeMap<Quirk, usize> = BTreeMap::new();
    for result in results.iter() {
        let alike = match (result.ties.as_slice(), result.quirks.as_deref()) {
            ([], Some(single @ [_])) => single,
            ([], _) => continue,
            (ties, _) => ties,
        };
        for &q in alike {
            *reproduced.entry(q).or_default() += 1;
        }
    }
    for result in results.iter_mut().filter(|r| !r.ties.is_empty()) {
        let left: Vec<Quirk> = result.ties.iter().copied().filter(|q| !ruled_out.contains(q)).collect();
        let among = if left.is_empty() { result.ties.clone() } else { left };
        let count = |q: &Quirk| reproduced.get(q).copied().unwrap_or_default();
        // Needed, then the most reproducing, then the catalogue's first (`Quirk`'s order).
        let rank = |q: &Quirk| (needed.contains(q), count(q));
        let best = among.iter().copied().max_by(|a, b| rank(a).cmp(&rank(b)).then(b.cmp(a)));
        result.quirks = best.map(|q| vec![q]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(case: &str, quirks: &[&str], ties: &[&str]) -> CaseResult {
        serde_json::from_value(serde_json::json!({
            "case": case, "impl": "x", "outcome": "fail", "kind": "sign", "file": "generated",
            "quirks": quirks, "ties": ties,
        }))
        .unwrap()
    }

    fn named(results: &[CaseResult]) -> Vec<Vec<Quirk>> {
        results.iter().map(|r| r.quirks.clone().unwrap_or_default()).collect()
    }

    #[test]
    fn a_tie_goes_to_the_quirk_the_evidence_leaves_then_to_the_most_reproducing_one() {
        let (body, body_with_query) = (Quirk::IgnoresFormBody, Quirk::IgnoresFormBodyWithQuery);
        let tied =
            |named: &str| result("generated:1", &[named], &["ignores-form-body-with-query", "ignores-form-body"]);
        // Nothing rules either out and they reproduce as many divergences: the catalogue's
        // first, whichever the search met first.
        let mut results = vec![tied("ignores-form-body-with-query")];
        break_ties(&mut results, &[]);
        assert_eq!(named(&results), [vec![body]]);
        // A case the row passed rules it out.
        break_ties(&mut results, &[body]);
        assert_eq!(named(&results), [vec![body_with_query]]);
        // The merge's input carries the shard's choice: the whole row's evidence decides again.
        break_ties(&mut results, &[]);
        assert_eq!(named(&results), [vec![body]]);
        // A divergence only one of them reproduces counts for it.
        let mut results =
            vec![tied("ignores-form-body"), result("generated:2", &["ignores-form-body-with-query"], &[])];
        break_ties(&mut results, &[]);
        assert_eq!(named(&results), [vec![body_with_query], vec![body_with_query]]);
        // A quirk the row needs elsewhere (here in a set of two) wins over more tie appearances.
        let mut results = vec![
            tied("ignores-form-body"),
            tied("ignores-form-body"),
            result("generated:3", &["ignores-form-body", "omits-realm"], &[]),
            result("generated:4", &["ignores-form-body-with-query", "ignores-form-body"], &[]),
        ];
        results[3].ties = vec![body_with_query, Quirk::SignsFormBodyForPostOnly];
        break_ties(&mut results, &[]);
        assert_eq!(named(&results)[..2], [vec![body], vec![body]]);
        // Every one ruled out: still one of them, which reproduces the case.
        let mut results = vec![tied("ignores-form-body-with-query")];
        break_ties(&mut results, &[body, body_with_query]);
        assert_eq!(named(&results), [vec![body]]);
    }
}
