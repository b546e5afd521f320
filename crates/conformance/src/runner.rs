//! Replays a corpus against an implementation and collects one result per case.

use std::panic::{catch_unwind, AssertUnwindSafe};

use serde::Serialize;

use oauth1_vectors::{CaseBody, Corpus};

use crate::implementation::{Implementation, Operation, SignInput, VerifyInput};
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
    /// The vector file the case came from.
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

/// Runs `operation` under `catch_unwind`: a panic in an implementation is an `error` for
/// that case (and a finding), never the end of the run.
fn guarded(operation: impl FnOnce() -> Verdict) -> Verdict {
    catch_unwind(AssertUnwindSafe(operation)).unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a non-string panic payload".into());
        Verdict::error(format!("the implementation panicked: {message}"))
    })
}

/// Replays every case of `corpus` against `implementation`, in corpus order.
pub fn run_corpus(corpus: &Corpus, implementation: &mut dyn Implementation) -> Vec<CaseResult> {
    let info = implementation.info().clone();
    let capabilities = &info.capabilities;
    let supports = |op: Operation| capabilities.operations.contains(&op);
    corpus
        .cases()
        .map(|(file, case)| {
            let verdict = match &case.body {
                CaseBody::Sign(_) if !supports(Operation::Sign) => Verdict::skip("does not sign".into()),
                CaseBody::Sign(sign) if !capabilities.signature_methods.contains(&sign.oauth.signature_method) => {
                    Verdict::skip(format!("does not implement {}", sign.oauth.signature_method))
                }
                CaseBody::Sign(sign) if sign.oauth.version.is_none() && !capabilities.can_omit_version => {
                    Verdict::skip("cannot omit oauth_version".into())
                }
                CaseBody::Sign(sign) => guarded(|| {
                    let input = SignInput { request: &sign.request, oauth: &sign.oauth, secrets: &sign.secrets };
                    judge_sign(case.result, &sign.expected, implementation.sign(&input))
                }),
                CaseBody::ParseHeader(_) if !supports(Operation::ParseHeader) => {
                    Verdict::skip("does not parse headers".into())
                }
                CaseBody::ParseHeader(parse) => guarded(|| {
                    judge_parse_header(case.result, &parse.expected, implementation.parse_header(&parse.header))
                }),
                CaseBody::Verify(_) if !supports(Operation::Verify) => Verdict::skip("does not verify".into()),
                CaseBody::Verify(verify) => guarded(|| {
                    let input = VerifyInput { request: &verify.request, secrets: &verify.secrets, now: verify.now };
                    let outcome = implementation.verify(&input);
                    judge_verify(case.result, verify.expected.as_ref(), outcome, capabilities.reports_rejection_reasons)
                }),
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
