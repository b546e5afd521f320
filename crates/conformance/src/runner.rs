//! Running cases on an implementation: the jobs it is given (in one batch, so an adapter can
//! pipeline them), the cases it is not given (with why), and each answer judged.

use oauth1_reference::verify::parse_request;
use oauth1_vectors::{Case, CaseBody, Expectation, VerifyCase};

use crate::case::PlannedCase;
use crate::implementation::{Answer, Capabilities, Implementation, Job, Operation, Outcome, VerifyInput};
use crate::judge::{expected_stage, judge, sign_input, Verdict};
use crate::reference_impl::{header_pairs, incoming_request};
use crate::trace::{Stage, Trace};

/// Why `capabilities` cannot run `case`, if they cannot.
#[must_use]
pub fn skip_reason(capabilities: &Capabilities, case: &Case) -> Option<String> {
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
            if case.result != Expectation::Invalid
                && !Stage::ALL
                    .into_iter()
                    .any(|s| capabilities.stages.contains(&s) && expected_stage(&sign.expected, s).is_some()) =>
        {
            Some("reports none of the stages this case checks".into())
        }
        CaseBody::Sign(sign) => capabilities.limits.violated_by(&sign.request, &sign.oauth),
        CaseBody::ParseHeader(_) if !supports(Operation::ParseHeader) => Some("does not parse headers".into()),
        CaseBody::Verify(_) if !supports(Operation::Verify) => Some("does not verify".into()),
        CaseBody::Verify(verify) => verify_signature_method(verify)
            .filter(|m| !capabilities.signature_methods.contains(m))
            .map(|m| format!("does not implement {m}")),
        CaseBody::ParseHeader(_) => None,
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
        CaseBody::Sign(sign) => Job::Sign(sign_input(sign)),
        CaseBody::ParseHeader(parse) => Job::ParseHeader(&parse.header),
        CaseBody::Verify(verify) => {
            Job::Verify(VerifyInput { request: &verify.request, secrets: &verify.secrets, now: verify.now })
        }
    }
}

/// A case's verdict, and the trace the implementation signed it with (when it signed).
#[derive(Debug, Clone)]
pub struct Judged {
    /// The verdict.
    pub verdict: Verdict,
    /// The implementation's trace.
    pub trace: Option<Trace>,
}

/// Runs every case of `cases` that `implementation` can run, in one batch, and judges each
/// answer; the others are `skip`, with why. One entry per case, in order.
pub fn run_cases(implementation: &mut dyn Implementation, cases: &[PlannedCase]) -> Vec<Judged> {
    let capabilities = implementation.info().capabilities.clone();
    let skips: Vec<Option<String>> = cases.iter().map(|c| skip_reason(&capabilities, &c.case)).collect();
    let jobs: Vec<Job<'_>> =
        cases.iter().zip(&skips).filter(|(_, skip)| skip.is_none()).map(|(c, _)| job_for(&c.case)).collect();
    let mut answers = implementation.run(&jobs).into_iter();
    cases
        .iter()
        .zip(skips)
        .map(|(planned, skip)| match skip {
            Some(why) => Judged { verdict: Verdict::skip(why), trace: None },
            None => match answers.next() {
                Some(answer) => judged(&planned.case, answer, &capabilities),
                None => Judged {
                    verdict: Verdict::error("the implementation returned fewer answers than jobs".into()),
                    trace: None,
                },
            },
        })
        .collect()
}

/// `answer` to `case` judged, with the trace it carries.
#[must_use]
pub fn judged(case: &Case, answer: Answer, capabilities: &Capabilities) -> Judged {
    let trace = match (&case.body, &answer) {
        (CaseBody::Sign(_), Answer::Sign(Outcome::Answer(trace))) => Some(trace.clone()),
        _ => None,
    };
    Judged { verdict: judge(case, answer, capabilities), trace }
}
