//! Turning an implementation's answer to a case into a verdict, by the rules of the vector
//! format (`vectors/README.md`): every expected stage is compared; `valid` must be answered,
//! `invalid` rejected, and `acceptable` may be either, but an answer must still match.

use serde::Serialize;

use oauth1_reference::header::parse_authorization_header;
use oauth1_vectors::{Expectation, ParseHeaderExpected, SignExpected, VerifyExpected};

use crate::implementation::{HeaderParams, Outcome};
use crate::trace::{Stage, Trace};

/// The verdict on one case for one implementation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    /// The implementation did what the case requires.
    Pass,
    /// It did not: see the diffs.
    Fail,
    /// An `acceptable` case that the implementation rejected.
    Acceptable,
    /// The case needs a capability the implementation does not declare.
    Skip,
    /// The implementation (or its adapter) failed, or the case itself is unusable.
    Error,
}

impl OutcomeKind {
    /// Every outcome, in report column order.
    pub const ALL: [Self; 5] = [Self::Pass, Self::Fail, Self::Acceptable, Self::Skip, Self::Error];

    /// The lowercase name used in reports.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::Acceptable => "acceptable",
            Self::Skip => "skip",
            Self::Error => "error",
        }
    }
}

/// One field that differs from the case's expectation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diff {
    /// The stage or field (`signature_base_string`, `outcome`, `params`, `reason`).
    pub field: String,
    /// What the case expects.
    pub expected: String,
    /// What the implementation produced.
    pub actual: String,
}

/// An outcome with its evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The verdict.
    pub outcome: OutcomeKind,
    /// For `fail`: every differing field, in pipeline order.
    pub diffs: Vec<Diff>,
    /// What the implementation said (a rejection or error message), or why the case was skipped.
    pub message: Option<String>,
}

impl Verdict {
    fn new(outcome: OutcomeKind, diffs: Vec<Diff>, message: Option<String>) -> Self {
        Self { outcome, diffs, message }
    }

    /// A `skip` verdict.
    #[must_use]
    pub fn skip(why: String) -> Self {
        Self::new(OutcomeKind::Skip, Vec::new(), Some(why))
    }

    /// An `error` verdict.
    #[must_use]
    pub fn error(why: String) -> Self {
        Self::new(OutcomeKind::Error, Vec::new(), Some(why))
    }

    /// The first stage that differs, for grouping divergences.
    #[must_use]
    pub fn first_differing_field(&self) -> Option<&str> {
        self.diffs.first().map(|d| d.field.as_str())
    }
}

fn outcome_diff(expected: &str, actual: String) -> Diff {
    Diff { field: "outcome".into(), expected: expected.into(), actual }
}

/// The verdict when the implementation answered nothing (rejected the input or failed).
fn judge_no_answer<T>(result: Expectation, outcome: Outcome<T>, answered_word: &str) -> Result<T, Verdict> {
    match outcome {
        Outcome::Answer(answer) => Ok(answer),
        Outcome::Error(message) => Err(Verdict::error(message)),
        Outcome::Rejected { reason, message } => Err(match result {
            Expectation::Valid => Verdict::new(
                OutcomeKind::Fail,
                vec![outcome_diff(answered_word, rejection_text(reason.as_deref(), &message))],
                Some(message),
            ),
            Expectation::Invalid => Verdict::new(OutcomeKind::Pass, Vec::new(), Some(message)),
            Expectation::Acceptable => Verdict::new(OutcomeKind::Acceptable, Vec::new(), Some(message)),
        }),
    }
}

fn rejection_text(reason: Option<&str>, message: &str) -> String {
    match reason {
        Some(reason) => format!("rejected ({reason}): {message}"),
        None => format!("rejected: {message}"),
    }
}

/// An Authorization header as a sorted parameter list, since order and spacing are not
/// normative (§3.5.1).
/// Decoded `(name, value)` octets.
type OctetPairs = Vec<(Vec<u8>, Vec<u8>)>;

fn header_as_sorted_params(header: &str) -> Result<OctetPairs, String> {
    let mut params: OctetPairs = parse_authorization_header(header.as_bytes())
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|p| (p.name, p.value))
        .collect();
    params.sort();
    Ok(params)
}

/// A header the reference parser refuses, as its scheme and its `,`-separated items exactly as
/// written, the items sorted.
fn header_items_as_written(header: &str) -> (String, Vec<&str>) {
    let (scheme, list) = header.trim().split_once(' ').unwrap_or((header.trim(), ""));
    let mut items: Vec<&str> = list.split(',').map(str::trim).filter(|item| !item.is_empty()).collect();
    items.sort_unstable();
    (scheme.to_ascii_lowercase(), items)
}

/// Whether two Authorization headers carry the same parameters, in any order. A header that
/// parses never equals one that does not; two that do not (values unquoted or not encoded, as
/// some libraries write them) are the same when they have the same items written the same way,
/// which is how the quirk pipeline reproduces such a header.
#[must_use]
pub fn same_header_params(a: &str, b: &str) -> bool {
    match (header_as_sorted_params(a), header_as_sorted_params(b)) {
        (Ok(a), Ok(b)) => a == b,
        (Err(_), Err(_)) => header_items_as_written(a) == header_items_as_written(b),
        _ => false,
    }
}

/// Judges a `sign` case. Only stages the implementation declares (`reported`) and returned
/// are compared: a library that exposes no base string is judged on what it does expose.
/// A case none of whose stages could be compared is an `error`, never a pass.
#[must_use]
pub fn judge_sign(
    result: Expectation,
    expected: &SignExpected,
    outcome: Outcome<Trace>,
    reported: &[Stage],
) -> Verdict {
    let trace = match judge_no_answer(result, outcome, "signed") {
        Ok(trace) => trace,
        Err(verdict) => return verdict,
    };
    if result == Expectation::Invalid {
        return Verdict::new(OutcomeKind::Fail, vec![outcome_diff("rejected", "signed".into())], None);
    }
    let mut diffs = Vec::new();
    let mut compared = 0;
    for stage in Stage::ALL.into_iter().filter(|s| reported.contains(s)) {
        let (Some(want), Some(got)) = (expected_stage(expected, stage), trace.stage(stage)) else {
            continue;
        };
        compared += 1;
        let differs = if stage == Stage::AuthorizationHeader {
            let want_params = match header_as_sorted_params(want) {
                Ok(params) => params,
                Err(e) => {
                    return Verdict::error(format!("the case's expected authorization_header does not parse: {e}"))
                }
            };
            header_as_sorted_params(got).map_or(true, |got_params| got_params != want_params)
        } else {
            want != got
        };
        if differs {
            diffs.push(Diff { field: stage.name().into(), expected: want.into(), actual: got.into() });
        }
    }
    if compared == 0 {
        return Verdict::error("the implementation reported none of the stages this case checks".into());
    }
    let outcome = if diffs.is_empty() { OutcomeKind::Pass } else { OutcomeKind::Fail };
    Verdict::new(outcome, diffs, None)
}

/// The stage `expected` gives, if any.
#[must_use]
pub fn expected_stage(expected: &SignExpected, stage: Stage) -> Option<&str> {
    match stage {
        Stage::BodyHash => expected.body_hash.as_deref(),
        Stage::NormalizedParameters => expected.normalized_parameters.as_deref(),
        Stage::BaseStringUri => expected.base_string_uri.as_deref(),
        Stage::SignatureBaseString => expected.signature_base_string.as_deref(),
        Stage::Signature => expected.signature.as_deref(),
        Stage::AuthorizationHeader => expected.authorization_header.as_deref(),
    }
}

/// Renders header parameters for a diff: one `name="value"` per parameter, debug-escaped.
fn render_params(params: &[(String, String)]) -> String {
    params.iter().map(|(n, v)| format!("{n:?}={v:?}")).collect::<Vec<_>>().join(", ")
}

/// Judges a `parse_header` case: the parameters must match exactly, in header order.
#[must_use]
pub fn judge_parse_header(
    result: Expectation,
    expected: &ParseHeaderExpected,
    outcome: Outcome<HeaderParams>,
) -> Verdict {
    let params = match judge_no_answer(result, outcome, "parsed") {
        Ok(params) => params,
        Err(verdict) => return verdict,
    };
    if result == Expectation::Invalid {
        return Verdict::new(
            OutcomeKind::Fail,
            vec![outcome_diff("rejected", format!("parsed: {}", render_params(&params)))],
            None,
        );
    }
    let Some(want) = &expected.params else {
        return Verdict::error("the case has no expected params".into());
    };
    if *want == params {
        Verdict::new(OutcomeKind::Pass, Vec::new(), None)
    } else {
        let diff = Diff { field: "params".into(), expected: render_params(want), actual: render_params(&params) };
        Verdict::new(OutcomeKind::Fail, vec![diff], None)
    }
}

/// Judges a `verify` case. The rejection reason is compared only when the implementation
/// reports reasons in the vector vocabulary.
#[must_use]
pub fn judge_verify(
    result: Expectation,
    expected: Option<&VerifyExpected>,
    outcome: Outcome<()>,
    reports_reasons: bool,
) -> Verdict {
    match outcome {
        Outcome::Error(message) => Verdict::error(message),
        Outcome::Answer(()) => match result {
            Expectation::Invalid => {
                Verdict::new(OutcomeKind::Fail, vec![outcome_diff("rejected", "accepted".into())], None)
            }
            Expectation::Valid | Expectation::Acceptable => Verdict::new(OutcomeKind::Pass, Vec::new(), None),
        },
        Outcome::Rejected { reason, message } => match result {
            Expectation::Valid => Verdict::new(
                OutcomeKind::Fail,
                vec![outcome_diff("accepted", rejection_text(reason.as_deref(), &message))],
                Some(message),
            ),
            Expectation::Acceptable => Verdict::new(OutcomeKind::Acceptable, Vec::new(), Some(message)),
            Expectation::Invalid => {
                let want = expected.map(|e| e.reason.as_str());
                match (want, reason.as_deref()) {
                    (Some(want), Some(got)) if reports_reasons && want != got => Verdict::new(
                        OutcomeKind::Fail,
                        vec![Diff { field: "reason".into(), expected: want.into(), actual: got.into() }],
                        Some(message),
                    ),
                    _ => Verdict::new(OutcomeKind::Pass, Vec::new(), Some(message)),
                }
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trace_with_signature(signature: &str) -> Trace {
        Trace {
            signature: Some(signature.into()),
            authorization_header: Some(format!("OAuth oauth_signature=\"{signature}\", realm=\"r\"")),
            ..Trace::default()
        }
    }

    #[test]
    fn sign_stage_mismatch_is_a_fail_with_a_diff() {
        let expected = SignExpected { signature: Some("a".into()), ..SignExpected::default() };
        let verdict =
            judge_sign(Expectation::Valid, &expected, Outcome::Answer(trace_with_signature("b")), &Stage::ALL);
        assert_eq!(verdict.outcome, OutcomeKind::Fail);
        assert_eq!(verdict.first_differing_field(), Some("signature"));
    }

    #[test]
    fn header_is_compared_as_an_unordered_parameter_list() {
        let expected = SignExpected {
            authorization_header: Some("OAuth realm=\"r\",oauth_signature=\"a\"".into()),
            ..SignExpected::default()
        };
        let verdict =
            judge_sign(Expectation::Valid, &expected, Outcome::Answer(trace_with_signature("a")), &Stage::ALL);
        assert_eq!(verdict.outcome, OutcomeKind::Pass, "{verdict:?}");
        let verdict =
            judge_sign(Expectation::Valid, &expected, Outcome::Answer(trace_with_signature("b")), &Stage::ALL);
        assert_eq!(verdict.outcome, OutcomeKind::Fail);
    }

    #[test]
    fn headers_that_do_not_parse_are_compared_as_written() {
        let unquoted = "OAuth oauth_token=t%20k, oauth_signature=a%3D";
        assert!(same_header_params(unquoted, "OAuth  oauth_signature=a%3D,oauth_token=t%20k"));
        assert!(!same_header_params(unquoted, "OAuth oauth_token=t k, oauth_signature=a%3D"));
        // The same parameters quoted parse, and a parsed header never equals one that does not.
        assert!(!same_header_params(unquoted, "OAuth oauth_token=\"t%20k\", oauth_signature=\"a%3D\""));
        let unencoded = "OAuth oauth_token=\"t%k n\", oauth_signature=\"a%3D\"";
        assert!(same_header_params(unencoded, unencoded));
        assert!(!same_header_params(unencoded, "OAuth oauth_token=\"t%25k%20n\", oauth_signature=\"a%3D\""));
    }

    #[test]
    fn a_missing_stage_is_an_error_not_a_pass() {
        let expected = SignExpected { base_string_uri: Some("http://x/".into()), ..SignExpected::default() };
        let verdict = judge_sign(Expectation::Valid, &expected, Outcome::Answer(Trace::default()), &Stage::ALL);
        assert_eq!(verdict.outcome, OutcomeKind::Error);
    }

    #[test]
    fn rejection_rules_follow_the_expectation() {
        let rejected = || Outcome::<Trace>::Rejected { reason: None, message: "no".into() };
        let expected = SignExpected::default();
        assert_eq!(judge_sign(Expectation::Valid, &expected, rejected(), &Stage::ALL).outcome, OutcomeKind::Fail);
        assert_eq!(judge_sign(Expectation::Invalid, &expected, rejected(), &Stage::ALL).outcome, OutcomeKind::Pass);
        assert_eq!(
            judge_sign(Expectation::Acceptable, &expected, rejected(), &Stage::ALL).outcome,
            OutcomeKind::Acceptable
        );
        let signed = Outcome::Answer(Trace::default());
        assert_eq!(judge_sign(Expectation::Invalid, &expected, signed, &Stage::ALL).outcome, OutcomeKind::Fail);
    }

    #[test]
    fn verify_reason_is_compared_only_when_reported() {
        let expected = VerifyExpected { reason: oauth1_vectors::RejectReason::NonceReplayed };
        let rejected = || Outcome::Rejected { reason: Some("signature_mismatch".into()), message: "m".into() };
        assert_eq!(judge_verify(Expectation::Invalid, Some(&expected), rejected(), true).outcome, OutcomeKind::Fail);
        assert_eq!(judge_verify(Expectation::Invalid, Some(&expected), rejected(), false).outcome, OutcomeKind::Pass);
        assert_eq!(judge_verify(Expectation::Invalid, None, Outcome::Answer(()), true).outcome, OutcomeKind::Fail);
        assert_eq!(judge_verify(Expectation::Valid, None, rejected(), true).outcome, OutcomeKind::Fail);
    }
}
