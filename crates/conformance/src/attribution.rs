//! Attribution, in one place for every case: a divergent signature is explained by the quirk
//! set whose pipeline reproduces it ([`crate::quirks::attribute_with`], the row's known quirks
//! searched first); a divergence no pipeline reproduces (a rejection, a parser or verifier
//! verdict, a crash) by the behavioural quirk its case and verdict name, by rule.

use oauth1_vectors::{Case, CaseBody, Expectation, RejectReason, SignRequest};

use crate::implementation::{Capabilities, SignInput};
use crate::judge::{judged_oauth, sign_input, Failure, Field, OutcomeKind, Verdict};
use oauth1_reference::header_syntax::violations;

use crate::quirks::{
    attribute_with, attribute_with_fingerprint_only, quirks_writing, sign_with_quirks, Attribution, Quirk, QuirkSet,
};
use crate::result::Explanation;
use crate::trace::Trace;

/// How far the quirk search of a divergent signature goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Search {
    /// The row's known quirks, then the whole catalogue up to its budget.
    Blind,
    /// The row's known quirks only: its baseline records the case as unexplained, and a blind
    /// search, spent on every such case of every run, would only find again that nothing
    /// explains it (`--update-baseline` still searches blind).
    FingerprintOnly,
}

/// What explains `verdict` on `case` of an implementation with `capabilities` that answered
/// with `trace` (when it signed). `fingerprint` is the implementation's known quirks, most
/// frequent first (its baseline's), searched before the rest of the catalogue.
#[must_use]
pub fn explain(
    case: &Case,
    verdict: &Verdict,
    trace: Option<&Trace>,
    capabilities: &Capabilities,
    fingerprint: &[Quirk],
    search: Search,
) -> Explanation {
    match (&case.body, trace, verdict.outcome) {
        // Only the header's syntax differs: the signed values agree, so no signing quirk can
        // explain it, and the violations of §3.5.1 name the quirk directly.
        (CaseBody::Sign(sign), Some(trace), OutcomeKind::Fail)
            if verdict.first_differing_field() == Some(Field::HeaderSyntax) =>
        {
            header_syntax_quirks(&sign_input(sign), trace, fingerprint).map_or(Explanation::None, Explanation::Quirks)
        }
        (CaseBody::Sign(sign), Some(trace), OutcomeKind::Fail)
            if verdict.first_differing_field() != Some(Field::Outcome) =>
        {
            let input = sign_input(sign);
            let oauth = judged_oauth(capabilities, input.oauth, trace);
            let input = SignInput { oauth: &oauth, ..input };
            let attribution = match search {
                Search::Blind => attribute_with(&input, trace, fingerprint),
                Search::FingerprintOnly => attribute_with_fingerprint_only(&input, trace, fingerprint),
            };
            match attribution {
                Attribution::Explained(set) if !set.quirks().is_empty() => Explanation::Quirks(set.quirks().to_vec()),
                Attribution::CutShort => Explanation::CutShort,
                _ => Explanation::None,
            }
        }
        _ => behaviour_quirk(case, verdict).map_or(Explanation::None, Explanation::Behaviour),
    }
}

/// The quirks that write the header the way `trace`'s is written, one per violation of
/// §3.5.1 (the row's own quirk where it knows one of the candidates); `None` when a violation
/// names no catalogued quirk. The signed values agree with the reference's, so a candidate
/// that alone signs `input` otherwise is passed over while another is left:
/// `consumer-key-not-encoded` leaves the key unencoded in the base string too, so an unencoded
/// key in a header whose signature is right is `header-values-not-encoded`'s.
pub fn header_syntax_quirks(input: &SignInput<'_>, trace: &Trace, fingerprint: &[Quirk]) -> Option<Vec<Quirk>> {
    let header = trace.authorization_header.as_deref()?;
    let signs_alike = |q: &Quirk| {
        sign_with_quirks(input, &QuirkSet::of(&[*q]))
            .is_ok_and(|ours| trace.signature.is_none() || ours.signature == trace.signature)
    };
    let mut quirks = Vec::new();
    for violation in violations(header.as_bytes()) {
        let mut candidates = quirks_writing(&violation);
        if candidates.iter().any(signs_alike) {
            candidates.retain(signs_alike);
        }
        let chosen =
            candidates.iter().copied().find(|q| fingerprint.contains(q)).or_else(|| candidates.first().copied())?;
        if !quirks.contains(&chosen) {
            quirks.push(chosen);
        }
    }
    quirks.sort_unstable();
    (!quirks.is_empty()).then_some(quirks)
}

/// The behavioural quirk a divergence shows, when it is not a difference of signed values:
/// the case's kind and expectation, and what the implementation did, name it.
#[must_use]
pub fn behaviour_quirk(case: &Case, verdict: &Verdict) -> Option<Quirk> {
    match verdict.outcome {
        OutcomeKind::Error if verdict.failure == Some(Failure::Panicked) => return Some(Quirk::PanicsOnInput),
        OutcomeKind::Fail => {}
        _ => return None,
    }
    let rejected = verdict.first_differing_field() == Some(Field::Outcome);
    match (&case.body, case.result) {
        (CaseBody::Sign(sign), _) if rejected => Some(sign_rejection_quirk(&sign.request, verdict.reason.as_deref())),
        (CaseBody::Sign(_), _) => None,
        (CaseBody::ParseHeader(_), Expectation::Invalid) => Some(Quirk::HeaderParserAcceptsMalformed),
        (CaseBody::ParseHeader(_), _) if rejected => Some(Quirk::HeaderParserRejectsValid),
        (CaseBody::ParseHeader(_), _) => Some(Quirk::HeaderParserMisreadsValues),
        (CaseBody::Verify(verify), Expectation::Invalid) => Some(match verify.expected.as_ref().map(|e| e.reason) {
            Some(RejectReason::TimestampOutOfWindow) => Quirk::VerifierAcceptsStaleTimestamp,
            _ => Quirk::VerifierAcceptsInvalid,
        }),
        (CaseBody::Verify(_), _) => Some(Quirk::VerifierRejectsValid),
    }
}

/// Why a signer refused a request, as its adapter classifies the library's refusal
/// (`rejected.reason` of a sign answer, adapters/PROTOCOL.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignRefusal {
    /// `body_hash_not_computed`: it computed no `oauth_body_hash` although asked to.
    BodyHashNotComputed,
    /// `body_on_get`: it refuses a body on GET or HEAD.
    BodyOnGet,
    /// `form_like_body`: it refuses a non-form body that looks like form parameters.
    FormLikeBody,
    /// `form_content_type`: it refuses a form content type spelled otherwise than exactly.
    FormContentType,
    /// `raw_iri`: it refuses raw non-ASCII characters in the URL.
    RawIri,
}

impl SignRefusal {
    /// The refusal with this reason code.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "body_hash_not_computed" => Some(Self::BodyHashNotComputed),
            "body_on_get" => Some(Self::BodyOnGet),
            "form_like_body" => Some(Self::FormLikeBody),
            "form_content_type" => Some(Self::FormContentType),
            "raw_iri" => Some(Self::RawIri),
            _ => None,
        }
    }

    /// The behavioural quirk it shows.
    #[must_use]
    pub fn quirk(self) -> Quirk {
        match self {
            Self::BodyHashNotComputed => Quirk::OmitsRequestedBodyHash,
            Self::BodyOnGet => Quirk::RejectsBodyOnGet,
            Self::FormLikeBody => Quirk::RejectsFormLikeBody,
            Self::FormContentType => Quirk::RejectsCharsetFormContentType,
            Self::RawIri => Quirk::RejectsRawIri,
        }
    }
}

/// The behavioural quirk of a signer that refused a request the reference signs: the refusal
/// its adapter classified, else what the request itself holds that such refusals are about.
#[must_use]
pub fn sign_rejection_quirk(request: &SignRequest, reason: Option<&str>) -> Quirk {
    if let Some(refusal) = reason.and_then(SignRefusal::from_code) {
        return refusal.quirk();
    }
    let content_type = request.content_type.as_deref().unwrap_or_default();
    if !request.url.is_ascii() {
        Quirk::RejectsRawIri
    } else if content_type.contains(';') || content_type.bytes().any(|b| b.is_ascii_uppercase()) {
        Quirk::RejectsCharsetFormContentType
    } else {
        Quirk::RejectsValidInput
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusal_codes_name_their_quirks() {
        let request = SignRequest { method: "GET".into(), url: "http://e.com/".into(), content_type: None, body: None };
        assert_eq!(sign_rejection_quirk(&request, Some("body_on_get")), Quirk::RejectsBodyOnGet);
        assert_eq!(sign_rejection_quirk(&request, Some("body_hash_not_computed")), Quirk::OmitsRequestedBodyHash);
        assert_eq!(sign_rejection_quirk(&request, None), Quirk::RejectsValidInput);
        assert_eq!(sign_rejection_quirk(&request, Some("nonsense")), Quirk::RejectsValidInput);
        let iri = SignRequest { url: "http://e.com/ü".into(), ..request };
        assert_eq!(sign_rejection_quirk(&iri, None), Quirk::RejectsRawIri);
    }
}
