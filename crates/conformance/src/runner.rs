//! Replays a corpus against an implementation and collects one result per case.

use serde::Serialize;

use oauth1_vectors::{Case, CaseBody, Corpus, LoadedFile};

use crate::implementation::{Answer, Capabilities, Implementation, Job, Operation, SignInput, VerifyInput};
use crate::judge::{judge_parse_header, judge_sign, judge_verify, Diff, OutcomeKind, Verdict};

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
        CaseBody::ParseHeader(_) if !supports(Operation::ParseHeader) => Some("does not parse headers".into()),
        CaseBody::Verify(_) if !supports(Operation::Verify) => Some("does not verify".into()),
        _ => None,
    }
}

/// The job that asks an implementation to answer `case`.
#[must_use]
pub fn job_for(case: &Case) -> Job<'_> {
    match &case.body {
        CaseBody::Sign(sign) => {
            Job::Sign(SignInput { request: &sign.request, oauth: &sign.oauth, secrets: &sign.secrets })
        }
        CaseBody::ParseHeader(parse) => Job::ParseHeader(&parse.header),
        CaseBody::Verify(verify) => {
            Job::Verify(VerifyInput { request: &verify.request, secrets: &verify.secrets, now: verify.now })
        }
    }
}

/// Judges `answer` against `case`.
#[must_use]
pub fn judge(case: &Case, answer: Answer, reports_reasons: bool) -> Verdict {
    match (&case.body, answer) {
        (CaseBody::Sign(sign), Answer::Sign(outcome)) => judge_sign(case.result, &sign.expected, outcome),
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
            let verdict = match skip {
                Some(why) => Verdict::skip(why),
                None => match answers.next() {
                    Some(answer) => judge(case, answer, info.capabilities.reports_rejection_reasons),
                    None => Verdict::error("the implementation returned fewer answers than jobs".into()),
                },
            };
            CaseResult {
                case: case.id.clone(),
                implementation: info.name.clone(),
                outcome: verdict.outcome,
                kind: case.kind().as_str(),
                file: file.path.display().to_string(),
                flags: case.flags.clone(),
                diffs: verdict.diffs,
                message: verdict.message,
            }
        })
        .collect()
}
