//! The one judge: an implementation's answer to a case becomes a verdict, by the rules of the
//! vector format (`vectors/README.md`). Every expected stage is compared; `valid` must be
//! answered, `invalid` rejected, and `acceptable` may be either, but an answer must still
//! match. Vector cases and generated cases (whose expected stages the reference computed) are
//! judged here alike.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use oauth1_reference::encoding::percent_encode;
use oauth1_reference::header::parse_authorization_header;
use oauth1_reference::header_syntax::violations;
use oauth1_vectors::{Case, CaseBody, Expectation, ParseHeaderExpected, SignCase, SignExpected, VerifyExpected};

use crate::implementation::{Answer, Capabilities, HeaderParams, InProcess, Outcome, SignInput};
use crate::reference_impl::Reference;
use crate::trace::{Stage, Trace};

/// The verdict on one case for one implementation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    /// The implementation did what the case requires.
    Pass,
    /// It did not: see the diffs.
    Fail,
    /// An `acceptable` case that the implementation rejected.
    Acceptable,
    /// The case needs what the implementation cannot express or does not declare.
    Skip,
    /// The implementation crashed, or its adapter failed, or the case itself is unusable.
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

    /// Whether the outcome is a divergence (a failure or an error).
    #[must_use]
    pub fn is_divergence(self) -> bool {
        matches!(self, Self::Fail | Self::Error)
    }
}

/// What a divergence is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// A stage of the signing pipeline.
    Stage(Stage),
    /// Signed or rejected, accepted or rejected, parsed or rejected.
    Outcome,
    /// The parameters a header parser returned.
    Params,
    /// The rejection reason a verifier reported.
    Reason,
    /// How the Authorization header is written (§3.5.1): a violation that the parsed
    /// comparison cannot see, a value sent unencoded that decodes to itself, say.
    HeaderSyntax,
}

impl Field {
    /// The name used in reports.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Stage(stage) => stage.name(),
            Self::Outcome => "outcome",
            Self::Params => "params",
            Self::Reason => "reason",
            Self::HeaderSyntax => "header_syntax",
        }
    }

    /// The field called `name`.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "outcome" => Some(Self::Outcome),
            "params" => Some(Self::Params),
            "reason" => Some(Self::Reason),
            "header_syntax" => Some(Self::HeaderSyntax),
            _ => Stage::ALL.into_iter().find(|s| s.name() == name).map(Self::Stage),
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Field {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = Cow::<str>::deserialize(deserializer)?;
        Self::from_name(&name).ok_or_else(|| serde::de::Error::custom(format!("unknown diff field {name:?}")))
    }
}

/// One field that differs from the case's expectation. A stage whose difference follows from
/// an earlier stage's (a base string built from differing parameters, the signature of a
/// differing base string, a header that differs only in that signature) records only where
/// it follows from: the difference is stored once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diff {
    /// The stage or field.
    pub field: Field,
    /// What the case expects (absent when the difference follows from `follows`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// What the implementation produced (likewise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual: Option<String>,
    /// The earlier field this difference follows from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follows: Option<Field>,
    /// `expected` and `actual` hold only the parts that differ: the header parameters one side
    /// has and the other has not (a header is a parameter list, §3.5.1).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
}

impl Diff {
    /// A difference with both values.
    #[must_use]
    pub fn new(field: Field, expected: impl Into<String>, actual: impl Into<String>) -> Self {
        Self { field, expected: Some(expected.into()), actual: Some(actual.into()), follows: None, partial: false }
    }

    /// The same difference with only the fields that differ named, and its values dropped: what
    /// a divergence that is not its kind's representative keeps (the representative shows the
    /// values; replaying the case shows them again).
    #[must_use]
    pub fn without_values(&self) -> Self {
        Self { expected: None, actual: None, partial: false, ..self.clone() }
    }
}

/// Why an `error` verdict is an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Failure {
    /// The implementation panicked or crashed on the input (a finding).
    Panicked,
    /// The adapter or the harness failed, or the case is unusable: no verdict on the
    /// implementation.
    Harness,
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
    /// For `error`: whose failure it is.
    pub failure: Option<Failure>,
    /// The rejection reason code the implementation gave, if it rejected.
    pub reason: Option<String>,
}

impl Verdict {
    fn new(outcome: OutcomeKind, diffs: Vec<Diff>, message: Option<String>) -> Self {
        Self { outcome, diffs, message, failure: None, reason: None }
    }

    fn pass() -> Self {
        Self::new(OutcomeKind::Pass, Vec::new(), None)
    }

    /// A `skip` verdict.
    #[must_use]
    pub fn skip(why: String) -> Self {
        Self::new(OutcomeKind::Skip, Vec::new(), Some(why))
    }

    /// An `error` verdict that is no verdict on the implementation.
    #[must_use]
    pub fn error(why: String) -> Self {
        Self { failure: Some(Failure::Harness), ..Self::new(OutcomeKind::Error, Vec::new(), Some(why)) }
    }

    fn panicked(message: String) -> Self {
        Self { failure: Some(Failure::Panicked), ..Self::new(OutcomeKind::Error, Vec::new(), Some(message)) }
    }

    fn rejected(outcome: OutcomeKind, diffs: Vec<Diff>, reason: Option<String>, message: String) -> Self {
        Self { reason, ..Self::new(outcome, diffs, Some(message)) }
    }

    /// The first field that differs, for grouping divergences.
    #[must_use]
    pub fn first_differing_field(&self) -> Option<Field> {
        self.diffs.first().map(|d| d.field)
    }
}

fn outcome_diff(expected: &str, actual: String) -> Diff {
    Diff::new(Field::Outcome, expected, actual)
}

/// What a refusal is called in an outcome diff; its message is the verdict's own `message`,
/// not repeated here.
fn rejection_text(reason: Option<&str>) -> String {
    match reason {
        Some(reason) => format!("rejected ({reason})"),
        None => "rejected".to_owned(),
    }
}

/// The verdict when the implementation answered nothing, or the answer.
fn judge_no_answer<T>(result: Expectation, outcome: Outcome<T>, answered_word: &str) -> Result<T, Verdict> {
    match outcome {
        Outcome::Answer(answer) => Ok(answer),
        Outcome::Unsupported(why) => Err(Verdict::skip(why)),
        Outcome::Panicked(message) => Err(Verdict::panicked(message)),
        Outcome::Error(message) => Err(Verdict::error(message)),
        Outcome::Rejected { reason, message } => Err(match result {
            Expectation::Valid => {
                let diff = outcome_diff(answered_word, rejection_text(reason.as_deref()));
                Verdict::rejected(OutcomeKind::Fail, vec![diff], reason, message)
            }
            Expectation::Invalid => Verdict::rejected(OutcomeKind::Pass, Vec::new(), reason, message),
            Expectation::Acceptable => Verdict::rejected(OutcomeKind::Acceptable, Vec::new(), reason, message),
        }),
    }
}

/// Decoded `(name, value)` octets of a header, sorted: order and spacing are not normative
/// (§3.5.1).
type OctetPairs = Vec<(Vec<u8>, Vec<u8>)>;

fn header_as_sorted_params(header: &str) -> Result<OctetPairs, oauth1_reference::header::HeaderError> {
    let mut params: OctetPairs =
        parse_authorization_header(header.as_bytes())?.into_iter().map(|p| (p.name, p.value)).collect();
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

/// Whether two headers that both parse differ only in `oauth_signature`.
fn headers_differ_only_in_signature(a: &str, b: &str) -> bool {
    let without_signature = |header: &str| {
        header_as_sorted_params(header).map(|mut params| {
            params.retain(|(name, _)| name != b"oauth_signature");
            params
        })
    };
    matches!((without_signature(a), without_signature(b)), (Ok(a), Ok(b)) if a == b)
}

/// Two differing Authorization headers as the parameters each has and the other has not,
/// when both parse; else whole.
fn header_diff(want: &str, got: &str) -> Diff {
    let whole = Diff::new(Field::Stage(Stage::AuthorizationHeader), want, got);
    let (Ok(want_params), Ok(got_params)) = (header_as_sorted_params(want), header_as_sorted_params(got)) else {
        return whole;
    };
    let only = |these: &OctetPairs, those: &OctetPairs| -> String {
        these
            .iter()
            .filter(|p| !those.contains(p))
            .map(|(n, v)| format!("{}=\"{}\"", String::from_utf8_lossy(n), String::from_utf8_lossy(v)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    Diff { partial: true, ..Diff::new(whole.field, only(&want_params, &got_params), only(&got_params, &want_params)) }
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

/// The earlier field whose difference explains the one of `stage`, if it does (so that only
/// where it follows from is stored).
fn follows_from(stage: Stage, want: &str, got: &str, trace: &Trace, earlier: &[Diff]) -> Option<Field> {
    let earliest = earlier.first().map(|d| d.field)?;
    match stage {
        Stage::SignatureBaseString => {
            // The actual base string is its own method with the actual URI and parameters.
            let (method, _) = got.split_once('&')?;
            let want_method = want.split_once('&').map(|(m, _)| m)?;
            let uri = trace.base_string_uri.as_deref()?;
            let normalized = trace.normalized_parameters.as_deref()?;
            let rebuilt =
                format!("{method}&{}&{}", percent_encode(uri.as_bytes()), percent_encode(normalized.as_bytes()));
            (method == want_method && rebuilt == got).then_some(earliest)
        }
        // The signature of a differing base string differs.
        Stage::Signature => Some(earliest),
        Stage::AuthorizationHeader => {
            let signature_differs = earlier.iter().any(|d| d.field == Field::Stage(Stage::Signature));
            (signature_differs && headers_differ_only_in_signature(want, got)).then_some(earliest)
        }
        Stage::BodyHash | Stage::NormalizedParameters | Stage::BaseStringUri => None,
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
    let mut diffs: Vec<Diff> = Vec::new();
    let mut compared = 0;
    for stage in Stage::ALL.into_iter().filter(|s| reported.contains(s)) {
        let (Some(want), Some(got)) = (expected_stage(expected, stage), trace.stage(stage)) else {
            continue;
        };
        compared += 1;
        let same = if stage == Stage::AuthorizationHeader {
            if let Err(e) = header_as_sorted_params(want) {
                return Verdict::error(format!("the case's expected authorization_header does not parse: {e}"));
            }
            same_header_params(want, got)
        } else {
            want == got
        };
        if !same {
            let diff = match follows_from(stage, want, got, &trace, &diffs) {
                Some(earlier) => {
                    Diff { follows: Some(earlier), ..Diff::new(Field::Stage(stage), want, got).without_values() }
                }
                None if stage == Stage::AuthorizationHeader => header_diff(want, got),
                None => Diff::new(Field::Stage(stage), want, got),
            };
            diffs.push(diff);
        }
    }
    if compared == 0 {
        return Verdict::error("the implementation reported none of the stages this case checks".into());
    }
    if let Some(diff) = header_syntax_diff(expected, &trace, reported, &diffs) {
        diffs.push(diff);
    }
    let outcome = if diffs.is_empty() { OutcomeKind::Pass } else { OutcomeKind::Fail };
    Verdict::new(outcome, diffs, None)
}

/// The Authorization header's violations of §3.5.1 as written, when the header was compared
/// and matched as a parameter list (a header that differs already says why).
fn header_syntax_diff(expected: &SignExpected, trace: &Trace, reported: &[Stage], diffs: &[Diff]) -> Option<Diff> {
    let header_compared = reported.contains(&Stage::AuthorizationHeader) && expected.authorization_header.is_some();
    let header = trace.authorization_header.as_deref().filter(|_| header_compared)?;
    if diffs.iter().any(|d| d.field == Field::Stage(Stage::AuthorizationHeader)) {
        return None;
    }
    let found = violations(header.as_bytes());
    if found.is_empty() {
        return None;
    }
    let described: Vec<String> = found.iter().map(ToString::to_string).collect();
    Some(Diff::new(Field::HeaderSyntax, "a header written as RFC 5849 §3.5.1 says", described.join("; ")))
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
        let diff = outcome_diff("rejected", format!("parsed: {}", render_params(&params)));
        return Verdict::new(OutcomeKind::Fail, vec![diff], None);
    }
    let Some(want) = &expected.params else {
        return Verdict::error("the case has no expected params".into());
    };
    if *want == params {
        Verdict::pass()
    } else {
        Verdict::new(
            OutcomeKind::Fail,
            vec![Diff::new(Field::Params, render_params(want), render_params(&params))],
            None,
        )
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
        Outcome::Answer(()) => match result {
            Expectation::Invalid => {
                Verdict::new(OutcomeKind::Fail, vec![outcome_diff("rejected", "accepted".into())], None)
            }
            Expectation::Valid | Expectation::Acceptable => Verdict::pass(),
        },
        Outcome::Rejected { reason, message } if result == Expectation::Invalid => {
            let want = expected.map(|e| e.reason.as_str());
            match (want, reason.as_deref()) {
                (Some(want), Some(got)) if reports_reasons && want != got => {
                    let diff = Diff::new(Field::Reason, want, got);
                    Verdict::rejected(OutcomeKind::Fail, vec![diff], reason, message)
                }
                _ => Verdict::rejected(OutcomeKind::Pass, Vec::new(), reason, message),
            }
        }
        Outcome::Rejected { reason, message } => {
            let diff = outcome_diff("accepted", rejection_text(reason.as_deref()));
            let outcome = if result == Expectation::Acceptable { OutcomeKind::Acceptable } else { OutcomeKind::Fail };
            let diffs = if outcome == OutcomeKind::Fail { vec![diff] } else { Vec::new() };
            Verdict::rejected(outcome, diffs, reason, message)
        }
        other => match judge_no_answer(result, other, "accepted") {
            Ok(()) => Verdict::pass(),
            Err(verdict) => verdict,
        },
    }
}

/// Judges `answer` against `case` for an implementation with `capabilities`: for one that
/// chooses its own nonce and timestamp, against [`judged_case`].
#[must_use]
pub fn judge(case: &Case, answer: Answer, capabilities: &Capabilities) -> Verdict {
    let case = match judged_case(capabilities, case, &answer) {
        Ok(case) => case,
        Err(why) => return Verdict::error(why.to_string()),
    };
    match (&case.body, answer) {
        (CaseBody::Sign(sign), Answer::Sign(outcome)) => {
            judge_sign(case.result, &sign.expected, outcome, &capabilities.stages)
        }
        (CaseBody::ParseHeader(parse), Answer::ParseHeader(outcome)) => {
            judge_parse_header(case.result, &parse.expected, outcome)
        }
        (CaseBody::Verify(verify), Answer::Verify(outcome)) => {
            judge_verify(case.result, verify.expected.as_ref(), outcome, capabilities.reports_rejection_reasons)
        }
        _ => Verdict::error("the implementation answered a different kind of job".into()),
    }
}

/// The sign inputs of a case.
#[must_use]
pub fn sign_input(sign: &SignCase) -> SignInput<'_> {
    SignInput { request: &sign.request, oauth: &sign.oauth, secrets: &sign.secrets }
}

/// The protocol parameters an answer `trace` is judged against: the case's `oauth`, or, for an
/// implementation that declares [`Capabilities::emits_own_nonce_timestamp`], the case's with
/// the `oauth_nonce` and `oauth_timestamp` its trace reports sending.
#[must_use]
pub fn judged_oauth<'a>(
    capabilities: &Capabilities,
    oauth: &'a oauth1_vectors::OAuthParams,
    trace: &Trace,
) -> Cow<'a, oauth1_vectors::OAuthParams> {
    if capabilities.emits_own_nonce_timestamp {
        Cow::Owned(oauth1_vectors::OAuthParams {
            nonce: trace.emitted_nonce.clone(),
            timestamp: trace.emitted_timestamp.clone(),
            ..oauth.clone()
        })
    } else {
        Cow::Borrowed(oauth)
    }
}

/// Why an answer cannot be judged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The reference does not sign the case with the nonce and timestamp the implementation
    /// chose, so there are no expected values to judge against.
    #[error(
        "the reference does not sign this case with the oauth_nonce {nonce:?} and oauth_timestamp {timestamp:?} the \
         implementation sent: {message}"
    )]
    ReferenceRefuses {
        /// The implementation's `oauth_nonce`.
        nonce: Option<String>,
        /// The implementation's `oauth_timestamp`.
        timestamp: Option<String>,
        /// The reference's refusal.
        message: String,
    },
}

/// The case `answer` is judged against. An implementation that chooses its own nonce and
/// timestamp (see [`Capabilities::emits_own_nonce_timestamp`]) cannot match expected values
/// computed with the case's, so a signed answer of it to a case it should sign is judged
/// against the same case with the nonce and timestamp it sent ([`judged_oauth`]), whose
/// expected stages (the ones the case checks) are what the reference produces for that input.
/// Every other answer is judged against the case as written. An `Err` says the reference does
/// not sign that input, so the answer cannot be judged.
///
/// # Errors
///
/// The reference does not sign the case with the implementation's nonce and timestamp.
pub fn judged_case<'a>(capabilities: &Capabilities, case: &'a Case, answer: &Answer) -> Result<Cow<'a, Case>, Error> {
    let (CaseBody::Sign(sign), Answer::Sign(Outcome::Answer(trace))) = (&case.body, answer) else {
        return Ok(Cow::Borrowed(case));
    };
    let Cow::Owned(oauth) = judged_oauth(capabilities, &sign.oauth, trace) else {
        return Ok(Cow::Borrowed(case));
    };
    if case.result == Expectation::Invalid {
        // Any signed answer fails such a case, whatever nonce it carries.
        return Ok(Cow::Borrowed(case));
    }
    let input = SignInput { request: &sign.request, oauth: &oauth, secrets: &sign.secrets };
    let reference = match Reference::default().sign(&input) {
        Outcome::Answer(trace) => trace,
        Outcome::Rejected { message, .. }
        | Outcome::Unsupported(message)
        | Outcome::Panicked(message)
        | Outcome::Error(message) => {
            return Err(Error::ReferenceRefuses {
                nonce: oauth.nonce.clone(),
                timestamp: oauth.timestamp.clone(),
                message,
            })
        }
    };
    let checked = |want: &Option<String>, stage: Stage| want.as_ref().and(reference.stage(stage).map(str::to_owned));
    let was = &sign.expected;
    let expected = SignExpected {
        normalized_parameters: checked(&was.normalized_parameters, Stage::NormalizedParameters),
        base_string_uri: checked(&was.base_string_uri, Stage::BaseStringUri),
        signature_base_string: checked(&was.signature_base_string, Stage::SignatureBaseString),
        signature: checked(&was.signature, Stage::Signature),
        authorization_header: checked(&was.authorization_header, Stage::AuthorizationHeader),
        body_hash: checked(&was.body_hash, Stage::BodyHash),
    };
    let body = CaseBody::Sign(SignCase { oauth, expected, ..sign.clone() });
    Ok(Cow::Owned(Case { body, ..case.clone() }))
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
        assert_eq!(verdict.first_differing_field(), Some(Field::Stage(Stage::Signature)));
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

    /// RFC 5849 §3.4.1.1's example (with errata 2550's signature): a normalized parameter
    /// string that drops `c2` differs there, and the base string, signature and header differ
    /// only because of it, so their differences are stored as following from it.
    #[test]
    fn later_stages_that_follow_from_an_earlier_difference_are_stored_once() {
        let uri = "http://example.com/request";
        let want_norm = "a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2&oauth_nonce=7d8f3e4a&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201&oauth_token=kkk9d7dh3k39sjv7";
        let got_norm = want_norm.replace("&c2=", "");
        let base = |norm: &str| format!("POST&{}&{}", percent_encode(uri.as_bytes()), percent_encode(norm.as_bytes()));
        let header = |signature: &str| format!("OAuth realm=\"Example\", oauth_signature=\"{signature}\"");
        let expected = SignExpected {
            normalized_parameters: Some(want_norm.into()),
            base_string_uri: Some(uri.into()),
            signature_base_string: Some(base(want_norm)),
            signature: Some("r6/TJjbCOr97/+UU0NsvSne7s5g=".into()),
            authorization_header: Some(header("r6%2FTJjbCOr97%2F%2BUU0NsvSne7s5g%3D")),
            body_hash: None,
        };
        let trace = Trace {
            normalized_parameters: Some(got_norm.clone()),
            base_string_uri: Some(uri.into()),
            signature_base_string: Some(base(&got_norm)),
            signature: Some("xyz=".into()),
            authorization_header: Some(header("xyz%3D")),
            ..Trace::default()
        };
        let verdict = judge_sign(Expectation::Valid, &expected, Outcome::Answer(trace), &Stage::ALL);
        let first = Field::Stage(Stage::NormalizedParameters);
        let fields: Vec<(Field, bool, Option<Field>)> =
            verdict.diffs.iter().map(|d| (d.field, d.expected.is_some(), d.follows)).collect();
        assert_eq!(
            fields,
            [
                (first, true, None),
                (Field::Stage(Stage::SignatureBaseString), false, Some(first)),
                (Field::Stage(Stage::Signature), false, Some(first)),
                (Field::Stage(Stage::AuthorizationHeader), false, Some(first)),
            ]
        );
    }

    #[test]
    fn a_header_that_differs_beyond_the_signature_is_stored_whole() {
        let expected = SignExpected {
            signature: Some("a".into()),
            authorization_header: Some("OAuth oauth_signature=\"a\"".into()),
            ..SignExpected::default()
        };
        let trace = Trace {
            signature: Some("b".into()),
            authorization_header: Some("OAuth oauth_signature=\"b\", oauth_version=\"1.0\"".into()),
            ..Trace::default()
        };
        let verdict = judge_sign(Expectation::Valid, &expected, Outcome::Answer(trace), &Stage::ALL);
        assert_eq!(verdict.diffs.len(), 2);
        assert!(verdict.diffs.iter().all(|d| d.follows.is_none() && d.actual.is_some()), "{verdict:?}");
    }

    /// A consumer key sent unencoded that decodes to itself (`a+b/c=`) parses to the same
    /// parameters, so only the header as written shows it (RFC 5849 §3.5.1 item 1, §3.6).
    #[test]
    fn a_header_value_sent_unencoded_is_a_header_syntax_divergence() {
        let expected = SignExpected {
            signature: Some("s".into()),
            authorization_header: Some("OAuth oauth_consumer_key=\"a%2Bb%2Fc%3D\", oauth_signature=\"s\"".into()),
            ..SignExpected::default()
        };
        let trace = Trace {
            signature: Some("s".into()),
            authorization_header: Some("OAuth oauth_consumer_key=\"a+b/c=\", oauth_signature=\"s\"".into()),
            ..Trace::default()
        };
        let verdict = judge_sign(Expectation::Valid, &expected, Outcome::Answer(trace), &Stage::ALL);
        assert_eq!(verdict.outcome, OutcomeKind::Fail);
        assert_eq!(verdict.first_differing_field(), Some(Field::HeaderSyntax));
        assert!(verdict.diffs[0].actual.as_deref().is_some_and(|v| v.contains("oauth_consumer_key")), "{verdict:?}");
        let written_right = Trace {
            signature: Some("s".into()),
            authorization_header: expected.authorization_header.clone(),
            ..Trace::default()
        };
        let verdict = judge_sign(Expectation::Valid, &expected, Outcome::Answer(written_right), &Stage::ALL);
        assert_eq!(verdict.outcome, OutcomeKind::Pass, "{verdict:?}");
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
    fn unsupported_is_skip_panicked_is_an_implementation_error() {
        let expected = SignExpected::default();
        let skip = judge_sign(Expectation::Valid, &expected, Outcome::Unsupported("no way".into()), &Stage::ALL);
        assert_eq!((skip.outcome, skip.message.as_deref()), (OutcomeKind::Skip, Some("no way")));
        let panicked = judge_sign(Expectation::Valid, &expected, Outcome::Panicked("boom".into()), &Stage::ALL);
        assert_eq!((panicked.outcome, panicked.failure), (OutcomeKind::Error, Some(Failure::Panicked)));
        let error = judge_verify(Expectation::Valid, None, Outcome::Error("adapter".into()), true);
        assert_eq!((error.outcome, error.failure), (OutcomeKind::Error, Some(Failure::Harness)));
    }

    #[test]
    fn verify_reason_is_compared_only_when_reported() {
        let expected = VerifyExpected { reason: oauth1_vectors::RejectReason::NonceReplayed };
        let rejected = || Outcome::Rejected { reason: Some("signature_mismatch".into()), message: "m".into() };
        assert_eq!(judge_verify(Expectation::Invalid, Some(&expected), rejected(), true).outcome, OutcomeKind::Fail);
        assert_eq!(judge_verify(Expectation::Invalid, Some(&expected), rejected(), false).outcome, OutcomeKind::Pass);
        assert_eq!(judge_verify(Expectation::Invalid, None, Outcome::Answer(()), true).outcome, OutcomeKind::Fail);
        assert_eq!(judge_verify(Expectation::Valid, None, rejected(), true).outcome, OutcomeKind::Fail);
        assert_eq!(judge_verify(Expectation::Acceptable, None, rejected(), true).outcome, OutcomeKind::Acceptable);
    }

    #[test]
    fn fields_round_trip_by_name() {
        for field in Stage::ALL.map(Field::Stage).into_iter().chain([
            Field::Outcome,
            Field::Params,
            Field::Reason,
            Field::HeaderSyntax,
        ]) {
            assert_eq!(Field::from_name(field.name()), Some(field));
            let json = serde_json::to_string(&field).unwrap();
            assert_eq!(serde_json::from_str::<Field>(&json).unwrap(), field);
        }
        assert!(serde_json::from_str::<Field>("\"nonsense\"").is_err());
    }
}
