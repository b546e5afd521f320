//! Names the likely mistake behind output that differs from the reference: the smallest set
//! of catalogued quirks whose signing pipeline reproduces exactly what the client produced,
//! and the first stage that set changes.
//!
//! `explain` and `verify` use it, so that a user who has nothing but a signature that "does
//! not verify" learns which stage their client got wrong, not only that it is wrong.

use std::fmt::Write as _;

use crate::implementation::SignInput;
use crate::quirks::{attribute, sign_with_quirks, Attribution, QuirkSet};
use crate::trace::{Stage, Trace};

/// A quirk set that reproduces what the client produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LikelyCause {
    /// The catalogued quirks, smallest set first found.
    pub quirks: QuirkSet,
    /// The first stage of the pipeline those quirks change.
    pub first_stage: Stage,
}

/// The smallest quirk set (of up to [`crate::quirks::MAX_QUIRKS`]) whose pipeline reproduces
/// every stage in `observed`, if there is one and it is not empty.
#[must_use]
pub fn likely_cause(input: &SignInput<'_>, observed: &Trace) -> Option<LikelyCause> {
    let Attribution::Explained(quirks) = attribute(input, observed) else {
        return None;
    };
    if quirks.quirks().is_empty() {
        return None;
    }
    let reference = sign_with_quirks(input, &QuirkSet::default()).ok()?;
    let quirky = sign_with_quirks(input, &quirks).ok()?;
    let first_stage = Stage::ALL.into_iter().find(|&stage| reference.stage(stage) != quirky.stage(stage))?;
    Some(LikelyCause { quirks, first_stage })
}

/// What a stage is, in the RFC's words, for people reading a diagnosis.
#[must_use]
pub fn stage_title(stage: Stage) -> &'static str {
    match stage {
        Stage::BodyHash => "the body hash (oauth_body_hash)",
        Stage::NormalizedParameters => "the collected and normalized parameters (§3.4.1.3)",
        Stage::BaseStringUri => "the base string URI (§3.4.1.2)",
        Stage::SignatureBaseString => "the signature base string (§3.4.1.1)",
        Stage::Signature => "the signature's key or method (§3.4.2–§3.4.4; the base string is the same)",
        Stage::AuthorizationHeader => "the Authorization header (§3.5.1)",
    }
}

/// The diagnosis as indented text lines.
#[must_use]
pub fn render(cause: &LikelyCause) -> String {
    let mut out =
        String::from("likely cause: what was sent is exactly what the reference produces for a client that\n");
    for quirk in cause.quirks.quirks() {
        let _ = writeln!(out, "   - {}: {} [{}]", quirk.id(), quirk.description(), quirk.section());
    }
    let _ = writeln!(out, "   so the first stage that differs is {}.", stage_title(cause.first_stage));
    out
}

#[cfg(test)]
mod tests {
    use oauth1_vectors::{OAuthParams, SignRequest, SignSecrets};

    use super::*;
    use crate::quirks::Quirk;

    fn rfc_protected_resource() -> (SignRequest, OAuthParams, SignSecrets) {
        // RFC 5849 §1.2: the protected resource request, signature tR3+Ty81lMeYAr/Fid0kMTYa/WM=.
        let request = SignRequest {
            method: "GET".into(),
            url: "http://photos.example.net/photos?file=vacation.jpg&size=original".into(),
            content_type: None,
            body: None,
        };
        let oauth = OAuthParams {
            consumer_key: "dpf43f3p2l4k3l03".into(),
            token: Some("nnch734d00sl2jdk".into()),
            signature_method: "HMAC-SHA1".into(),
            timestamp: Some("137131202".into()),
            nonce: Some("chapoH".into()),
            version: None,
            realm: Some("Photos".into()),
            extra: Vec::new(),
            compute_body_hash: false,
        };
        let secrets = SignSecrets {
            consumer_secret: Some("kd94hf93k423kf44".into()),
            token_secret: Some("pfkkdhi9sl3r4s00".into()),
            rsa_private_key_pem: None,
        };
        (request, oauth, secrets)
    }

    fn signature_only(signature: &str) -> Trace {
        Trace { signature: Some(signature.into()), ..Trace::default() }
    }

    #[test]
    fn the_rfc_signature_needs_no_cause() {
        let (request, oauth, secrets) = rfc_protected_resource();
        let input = SignInput { request: &request, oauth: &oauth, secrets: &secrets };
        assert_eq!(likely_cause(&input, &signature_only("MdpQcU8iPSUjWoN/UDMsK2sui9I=")), None);
    }

    /// A client that signed with the consumer secret alone: its signature is the HMAC of the
    /// RFC's base string under the key `kd94hf93k423kf44&`, which a verifier with only the
    /// signature in hand attributes to the key, not the base string.
    #[test]
    fn a_key_without_the_token_secret_is_named() {
        let (request, oauth, secrets) = rfc_protected_resource();
        let no_token_secret = SignSecrets { token_secret: None, ..secrets.clone() };
        let sent = sign_with_quirks(
            &SignInput { request: &request, oauth: &oauth, secrets: &no_token_secret },
            &QuirkSet::default(),
        )
        .unwrap();
        let input = SignInput { request: &request, oauth: &oauth, secrets: &secrets };
        let cause = likely_cause(&input, &signature_only(sent.signature.as_deref().unwrap())).unwrap();
        assert_eq!(cause.quirks.quirks(), &[Quirk::KeyOmitsTokenSecret]);
        assert_eq!(cause.first_stage, Stage::Signature);
        assert!(render(&cause).contains("key-omits-token-secret"));
    }

    /// A client that signed the URL without its query sends the signature of a base string
    /// with no `file`/`size`: the cause names the parameters stage.
    #[test]
    fn a_query_left_out_is_named_at_the_parameters() {
        let (request, oauth, secrets) = rfc_protected_resource();
        let without_query = SignRequest { url: "http://photos.example.net/photos".into(), ..request.clone() };
        let sent = sign_with_quirks(
            &SignInput { request: &without_query, oauth: &oauth, secrets: &secrets },
            &QuirkSet::default(),
        )
        .unwrap();
        let input = SignInput { request: &request, oauth: &oauth, secrets: &secrets };
        let cause = likely_cause(&input, &signature_only(sent.signature.as_deref().unwrap())).unwrap();
        assert_eq!(cause.quirks.quirks(), &[Quirk::IgnoresQuery]);
        assert_eq!(cause.first_stage, Stage::NormalizedParameters);
    }

    #[test]
    fn a_forged_signature_has_no_cause() {
        let (request, oauth, secrets) = rfc_protected_resource();
        let input = SignInput { request: &request, oauth: &oauth, secrets: &secrets };
        assert_eq!(likely_cause(&input, &signature_only("AAAAAAAAAAAAAAAAAAAAAAAAAAA=")), None);
    }
}
