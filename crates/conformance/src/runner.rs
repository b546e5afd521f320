//! Replays a corpus against an implementation and collects one result per case.

use serde::Serialize;

use oauth1_reference::verify::parse_request;
use oauth1_vectors::{Case, CaseBody, Corpus, Expectation, LoadedFile, SignCase, VerifyCase};

use crate::implementation::{Answer, Capabilities, Implementation, Job, Operation, Outcome, SignInput, VerifyInput};
use crate::judge::{expected_stage, judge_parse_header, judge_sign, judge_verify, Diff, OutcomeKind, Verdict};
use crate::quirks::{attribute, Attribution, Quirk};
use crate::reference_impl::{header_pairs, incoming_request};
use crate::trace::{Stage, Trace};

/// The result of one case on one implementation, as every report renders it.
#[derive(Debug, Clone, Serialize)]
pub struct CaseResult {
    /// The case id.
    pub case: String,
    /// The implementation's name.
    #[serde(rename = "impl")]
    pub implementation: String,
    /// The verdict.
    pub outcome: OutcomeKind,
    /// `sign`, `parse_header` or `verify`.
    pub kind: &'static str,
    /// The vector file the case came from, or `generated`.
    pub file: String,
    /// The case's flags.
    pub flags: Vec<String>,
    /// For `fail`: what differs, in pipeline order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diffs: Vec<Diff>,
    /// The implementation's message, or why the case was skipped or errored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// For a divergent sign case: the catalogued quirks whose pipeline reproduces the
    /// implementation's output (`None`: not attributed, or no quirk set explains it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quirks: Option<Vec<String>>,
    /// For a divergence no signing pipeline can reproduce (a rejection, a parser or verifier
    /// verdict, a crash): the behavioural quirk it shows, by rule (see [`behaviour_quirk`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub behaviour: Option<String>,
    /// For a failed sign case: every stage the implementation produced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<Trace>,
}

/// Why `capabilities` cannot run `case`, if they cannot.
fn skip_reason(capabilities: &Capabilities, case: &Case) -> Option<String> {
    let supports = |op: Operation| capabilities.operations.contains(&op);
    match &case.body {
        CaseBody::Sign(_) if !supports(Operation::Sign) => Some("does not sign".into()),
        CaseBody::Sign(sign) if !capabilities.signature_methods.contains(&sign.oauth.signature_method) => {
            Some(format!("does not implement {}", sign.oauth.signature_method))
        }
        CaseBody::Sign(sign) if sign.oauth.version.is_none() && !capabilities.can_omit_version => {
            Some("cannot omit oauth_version".into())
        }
        CaseBody::Sign(sign) if sign.oauth.compute_body_hash && !capabilities.body_hash => {
            Some("does not compute oauth_body_hash".into())
        }
        CaseBody::Sign(sign)
            if !Stage::ALL
                .into_iter()
                .any(|s| capabilities.stages.contains(&s) && expected_stage(&sign.expected, s).is_some()) =>
        {
            Some("reports none of the stages this case checks".into())
        }
        CaseBody::ParseHeader(_) if !supports(Operation::ParseHeader) => Some("does not parse headers".into()),
        CaseBody::Verify(_) if !supports(Operation::Verify) => Some("does not verify".into()),
        CaseBody::Verify(verify) => verify_signature_method(verify)
            .filter(|m| !capabilities.signature_methods.contains(m))
            .map(|m| format!("does not implement {m}")),
        _ => None,
    }
}

/// The signature method a verify case's request names, read with the reference parser
/// (`None` when the request is too malformed to tell: then every verifier must reject it).
fn verify_signature_method(verify: &VerifyCase) -> Option<String> {
    let headers = header_pairs(&verify.request);
    parse_request(&incoming_request(&verify.request, &headers))
        .ok()
        .map(|parsed| parsed.protocol.signature_method.name().to_owned())
}

/// The job that asks an implementation to answer `case`.
#[must_use]
pub fn job_for(case: &Case) -> Job<'_> {
    match &case.body {
        CaseBody::Sign(sign) => Job::Sign(job_for_sign(sign)),
        CaseBody::ParseHeader(parse) => Job::ParseHeader(&parse.header),
        CaseBody::Verify(verify) => {
            Job::Verify(VerifyInput { request: &verify.request, secrets: &verify.secrets, now: verify.now })
        }
    }
}

/// The behavioural quirk a divergence shows, when it is not a difference of signed values:
/// the case's kind and expectation, and what the implementation did, name it.
#[must_use]
pub fn behaviour_quirk(case: &Case, verdict: &Verdict) -> Option<Quirk> {
    let message = verdict.message.as_deref().unwrap_or_default();
    match verdict.outcome {
        OutcomeKind::Error if message.contains("panicked") => return Some(Quirk::PanicsOnInput),
        OutcomeKind::Error if message.contains("unsupported input") => return Some(Quirk::CannotExpressInput),
        OutcomeKind::Fail => {}
        _ => return None,
    }
    let outcome_diff = verdict.diffs.first().filter(|d| d.field == "outcome");
    match (&case.body, case.result) {
        (CaseBody::Sign(sign), _) => Some(sign_rejection_quirk(&sign.request, &outcome_diff?.actual)),
        (CaseBody::ParseHeader(_), Expectation::Invalid) => Some(Quirk::HeaderParserAcceptsMalformed),
        (CaseBody::ParseHeader(_), _) if outcome_diff.is_some() => Some(Quirk::HeaderParserRejectsValid),
        (CaseBody::ParseHeader(_), _) => Some(Quirk::HeaderParserMisreadsValues),
        (CaseBody::Verify(_), Expectation::Invalid) => Some(Quirk::VerifierAcceptsInvalid),
        (CaseBody::Verify(_), _) => Some(Quirk::VerifierRejectsValid),
    }
}

/// The behavioural quirk of a signer that refused (or failed on) a request the reference
/// signs, from the request and the implementation's message.
#[must_use]
pub fn sign_rejection_quirk(request: &oauth1_vectors::SignRequest, message: &str) -> Quirk {
    let content_type = request.content_type.as_deref().unwrap_or_default();
    if message.contains("cannot express") || message.contains("unsupported input") {
        Quirk::CannotExpressInput
    } else if message.contains("oauth_body_hash") {
        Quirk::OmitsRequestedBodyHash
    } else if message.contains("should not include body") {
        Quirk::RejectsBodyOnGet
    } else if message.contains("Body contains parameters") {
        Quirk::RejectsFormLikeBody
    } else if !request.url.is_ascii() {
        Quirk::RejectsRawIri
    } else if content_type.contains(';') || content_type.bytes().any(|b| b.is_ascii_uppercase()) {
        Quirk::RejectsCharsetFormContentType
    } else {
        Quirk::RejectsValidInput
    }
}

/// The sign inputs of a case.
#[must_use]
pub fn job_for_sign(sign: &SignCase) -> SignInput<'_> {
    SignInput { request: &sign.request, oauth: &sign.oauth, secrets: &sign.secrets }
}

/// The ids of the quirk set that explains `observed`, if one does.
#[must_use]
pub fn attributed_quirks(input: &SignInput<'_>, observed: &Trace) -> Option<Vec<String>> {
    match attribute(input, observed) {
        Attribution::Explained(set) if !set.quirks().is_empty() => {
            Some(set.quirks().iter().map(|q| q.id().to_owned()).collect())
        }
        _ => None,
    }
}

/// Judges `answer` against `case`.
#[must_use]
pub fn judge(case: &Case, answer: Answer, reports_reasons: bool, stages: &[Stage]) -> Verdict {
    match (&case.body, answer) {
        (CaseBody::Sign(sign), Answer::Sign(outcome)) => judge_sign(case.result, &sign.expected, outcome, stages),
        (CaseBody::ParseHeader(parse), Answer::ParseHeader(outcome)) => {
            judge_parse_header(case.result, &parse.expected, outcome)
        }
        (CaseBody::Verify(verify), Answer::Verify(outcome)) => {
            judge_verify(case.result, verify.expected.as_ref(), outcome, reports_reasons)
        }
        _ => Verdict::error("the implementation answered a different kind of job".into()),
    }
}

/// Replays every case of `corpus` against `implementation`, in corpus order. The jobs go to
/// the implementation in one batch, so an adapter can pipeline them.
pub fn run_corpus(corpus: &Corpus, implementation: &mut dyn Implementation) -> Vec<CaseResult> {
    let info = implementation.info().clone();
    let cases: Vec<(&LoadedFile, &Case)> = corpus.cases().collect();
    let skips: Vec<Option<String>> = cases.iter().map(|(_, case)| skip_reason(&info.capabilities, case)).collect();
    let jobs: Vec<Job<'_>> =
        cases.iter().zip(&skips).filter(|(_, skip)| skip.is_none()).map(|((_, case), _)| job_for(case)).collect();
    let mut answers = implementation.run(&jobs).into_iter();
    cases
        .iter()
        .zip(skips)
        .map(|((file, case), skip)| {
            let (verdict, quirks, actual) = match skip {
                Some(why) => (Verdict::skip(why), None, None),
                None => match answers.next() {
                    Some(answer) => {
                        let trace = match (&case.body, &answer) {
                            (CaseBody::Sign(_), Answer::Sign(Outcome::Answer(trace))) => Some(trace.clone()),
                            _ => None,
                        };
                        let verdict =
                            judge(case, answer, info.capabilities.reports_rejection_reasons, &info.capabilities.stages);
                        let (quirks, actual) = match (&case.body, trace) {
                            (CaseBody::Sign(sign), Some(trace)) if verdict.outcome == OutcomeKind::Fail => {
                                (attributed_quirks(&job_for_sign(sign), &trace), Some(trace))
                            }
                            _ => (None, None),
                        };
                        (verdict, quirks, actual)
                    }
                    None => (Verdict::error("the implementation returned fewer answers than jobs".into()), None, None),
                },
            };
            let behaviour = behaviour_quirk(case, &verdict).map(|q| q.id().to_owned());
            CaseResult {
                case: case.id.clone(),
                implementation: info.name.clone(),
                outcome: verdict.outcome,
                kind: case.kind().as_str(),
                file: file.path.display().to_string(),
                flags: case.flags.clone(),
                diffs: verdict.diffs,
                message: verdict.message,
                behaviour,
                quirks,
                actual,
            }
        })
        .collect()
}
