//! Replays a corpus against an implementation and collects one result per case.

use std::borrow::Cow;

use serde::Serialize;

use oauth1_reference::verify::parse_request;
use oauth1_vectors::{
    Case, CaseBody, Corpus, Expectation, LoadedFile, OAuthParams, SignCase, SignExpected, VerifyCase,
};

use crate::implementation::{
    Answer, Capabilities, Implementation, InProcess, Job, Operation, Outcome, SignInput, VerifyInput,
};
use crate::judge::{expected_stage, judge_parse_header, judge_sign, judge_verify, Diff, OutcomeKind, Verdict};
use crate::quirks::{attribute, Attribution, Quirk};
use crate::reference_impl::{header_pairs, incoming_request, Reference};
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

/// The protocol parameters an answer `trace` is judged against: the case's `oauth`, or, for an
/// implementation that declares [`Capabilities::emits_own_nonce_timestamp`], the case's with
/// the `oauth_nonce` and `oauth_timestamp` its trace reports sending.
#[must_use]
pub fn judged_oauth<'a>(capabilities: &Capabilities, oauth: &'a OAuthParams, trace: &Trace) -> Cow<'a, OAuthParams> {
    if capabilities.emits_own_nonce_timestamp {
        Cow::Owned(OAuthParams {
            nonce: trace.emitted_nonce.clone(),
            timestamp: trace.emitted_timestamp.clone(),
            ..oauth.clone()
        })
    } else {
        Cow::Borrowed(oauth)
    }
}

/// The case `answer` is judged against. An implementation that chooses its own nonce and
/// timestamp (see [`Capabilities::emits_own_nonce_timestamp`]) cannot match expected values
/// computed with the case's, so a signed answer of it to a case it should sign is judged
/// against the same case with the nonce and timestamp it sent ([`judged_oauth`]), whose
/// expected stages (the ones the case checks) are what the reference produces for that input.
/// Every other answer is judged against the case as written. An `Err` says the reference does
/// not sign that input, so the answer cannot be judged.
pub fn judged_case<'a>(capabilities: &Capabilities, case: &'a Case, answer: &Answer) -> Result<Cow<'a, Case>, String> {
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
        Outcome::Rejected { message, .. } | Outcome::Error(message) => {
            return Err(format!(
                "the reference does not sign this case with the oauth_nonce {:?} and oauth_timestamp {:?} the \
                 implementation sent: {message}",
                oauth.nonce, oauth.timestamp
            ))
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

/// The verdict on `answer` to `case`, with the quirks that explain a failed signature and the
/// trace it failed with.
fn judge_answer(
    capabilities: &Capabilities,
    case: &Case,
    answer: Answer,
) -> (Verdict, Option<Vec<String>>, Option<Trace>) {
    let trace = match (&case.body, &answer) {
        (CaseBody::Sign(_), Answer::Sign(Outcome::Answer(trace))) => Some(trace.clone()),
        _ => None,
    };
    let verdict = judge(case, answer, capabilities.reports_rejection_reasons, &capabilities.stages);
    match (&case.body, trace) {
        (CaseBody::Sign(sign), Some(trace)) if verdict.outcome == OutcomeKind::Fail => {
            let quirks = attributed_quirks(&job_for_sign(sign), &trace);
            (verdict, quirks, Some(trace))
        }
        _ => (verdict, None, None),
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
                    Some(answer) => match judged_case(&info.capabilities, case, &answer) {
                        Ok(judged) => judge_answer(&info.capabilities, &judged, answer),
                        Err(why) => (Verdict::error(why), None, None),
                    },
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

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::generate::{run_generated, DEFAULT_SHRINK_BUDGET};
    use crate::implementation::{HeaderParams, ImplementationInfo};

    /// Signs like the crates that choose their own nonce and timestamp: the reference's
    /// pipeline with a nonce and timestamp of its own, reported in the trace; `tamper` then
    /// replaces the signature with a wrong one.
    struct OwnNonceSigner {
        info: ImplementationInfo,
        tamper: bool,
    }

    impl OwnNonceSigner {
        fn new(declares_it: bool, tamper: bool) -> Self {
            let mut info = InProcess::info(&Reference::default()).clone();
            info.name = "own-nonce".into();
            info.capabilities.operations = vec![Operation::Sign];
            info.capabilities.emits_own_nonce_timestamp = declares_it;
            Self { info, tamper }
        }
    }

    impl InProcess for OwnNonceSigner {
        fn info(&self) -> &ImplementationInfo {
            &self.info
        }

        fn sign(&mut self, input: &SignInput<'_>) -> Outcome<Trace> {
            let oauth = OAuthParams {
                nonce: Some("ownNonce0123456789".into()),
                timestamp: Some("1700000000".into()),
                ..input.oauth.clone()
            };
            let mut outcome = Reference::default().sign(&SignInput { oauth: &oauth, ..*input });
            if let Outcome::Answer(trace) = &mut outcome {
                trace.emitted_nonce = oauth.nonce;
                trace.emitted_timestamp = oauth.timestamp;
                if self.tamper {
                    trace.signature = Some("dGFtcGVyZWQ=".into());
                }
            }
            outcome
        }

        fn parse_header(&mut self, _header: &str) -> Outcome<HeaderParams> {
            Outcome::Error("signs only".into())
        }

        fn verify(&mut self, _input: &VerifyInput<'_>) -> Outcome<()> {
            Outcome::Error("signs only".into())
        }
    }

    fn corpus() -> Corpus {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../vectors");
        oauth1_vectors::load_paths(&[dir]).expect("the corpus loads")
    }

    /// The sign cases' results of `signer` on `corpus`.
    fn sign_results(corpus: &Corpus, mut signer: OwnNonceSigner) -> Vec<CaseResult> {
        run_corpus(corpus, &mut signer).into_iter().filter(|r| r.kind == "sign").collect()
    }

    #[test]
    fn a_signer_declaring_its_own_nonce_is_judged_with_the_nonce_it_sent() {
        let results = sign_results(&corpus(), OwnNonceSigner::new(true, false));
        let passed = results.iter().filter(|r| r.outcome == OutcomeKind::Pass).count();
        let diverged: Vec<_> =
            results.iter().filter(|r| matches!(r.outcome, OutcomeKind::Fail | OutcomeKind::Error)).collect();
        assert!(diverged.is_empty(), "{diverged:#?}");
        assert!(passed > 100, "{passed}");
    }

    #[test]
    fn the_same_signer_fails_without_the_declaration() {
        // The case's own nonce and timestamp are then the yardstick, and it did not use them.
        let results = sign_results(&corpus(), OwnNonceSigner::new(false, false));
        let failed = results.iter().filter(|r| r.outcome == OutcomeKind::Fail).count();
        assert!(failed > 100, "{failed}");
    }

    #[test]
    fn a_wrong_signature_with_its_own_nonce_still_fails() {
        let corpus = corpus();
        let results = sign_results(&corpus, OwnNonceSigner::new(true, true));
        let mut checked = 0;
        for result in &results {
            let Some((_, case)) = corpus.find_case(&result.case) else {
                panic!("{} is not in the corpus", result.case)
            };
            let CaseBody::Sign(sign) = &case.body else { continue };
            if case.result == Expectation::Valid && sign.expected.signature.is_some() {
                checked += 1;
                assert_eq!(result.outcome, OutcomeKind::Fail, "{result:?}");
                assert!(result.diffs.iter().any(|d| d.field == "signature"), "{result:?}");
            }
        }
        assert!(checked > 100, "{checked}");
    }

    #[test]
    fn generated_cases_are_judged_with_the_nonce_it_sent() {
        let mut honest = OwnNonceSigner::new(true, false);
        let cases = run_generated(&mut honest, 40, 7, DEFAULT_SHRINK_BUDGET).expect("generated");
        assert!(cases.iter().all(|c| c.diffs.is_empty()), "{:?}", cases.iter().find(|c| !c.diffs.is_empty()));
        let signed: Vec<_> = cases.iter().filter(|c| matches!(c.answer, Outcome::Answer(_))).collect();
        assert!(signed.len() > 20, "{}", signed.len());
        assert!(signed.iter().all(|c| c.input.oauth.nonce.as_deref() == Some("ownNonce0123456789")));
        let mut tampering = OwnNonceSigner::new(true, true);
        let cases = run_generated(&mut tampering, 40, 7, DEFAULT_SHRINK_BUDGET).expect("generated");
        let signed: Vec<_> = cases.iter().filter(|c| matches!(c.answer, Outcome::Answer(_))).collect();
        assert!(signed.len() > 20, "{}", signed.len());
        assert!(signed.iter().all(|c| c.diffs.iter().any(|d| d.field == "signature")));
    }
}
