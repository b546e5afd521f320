//! `verify_request`: verification on signed-then-mutated requests, and on received requests.

use oauth1_reference::header::HeaderError;
use oauth1_reference::rsa_signature::RsaPublicKey;
use oauth1_reference::signature::SignatureMethod;
use oauth1_reference::verify::{
    AnyTimestamp, Credentials, InMemoryNonceStore, IncomingRequest, NoNonceCheck, NonceStore, Rejection,
    TimestampPolicy, TimestampWindow, Verified, Verifier,
};

use crate::input::SignRecord;
use crate::record::Record;
use crate::sign::{consumer_secret, plaintext_key, sign_record, signature_matches, token_secret};

/// A received request, as owned octets and text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Received {
    method: String,
    url: String,
    content_type: Option<String>,
    body: Option<Vec<u8>>,
    headers: Vec<(String, String)>,
}

impl Received {
    fn verify<T: TimestampPolicy, N: NonceStore>(
        &self,
        verifier: &mut Verifier<T, N>,
        credentials: &Credentials<'_>,
        now: u64,
    ) -> Result<Verified, Rejection> {
        let headers: Vec<(&str, &str)> = self.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let request = IncomingRequest {
            method: &self.method,
            url: &self.url,
            headers: &headers,
            content_type: self.content_type.as_deref(),
            body: self.body.as_deref(),
        };
        verifier.verify(&request, credentials, now)
    }

    /// Applies the record's `unset FIELD` and `edit FIELD AT LEN BYTES` lines, in that order.
    fn mutate(&mut self, record: &Record) {
        for field in record.all("unset") {
            match field.as_slice() {
                b"content_type" => self.content_type = None,
                b"body" => self.body = None,
                b"authorization" => self.headers.retain(|(name, _)| name != "Authorization"),
                _ => {}
            }
        }
        for edit in record.all("edit") {
            let mut parts = edit.splitn(4, |&b| b == b' ');
            let field = parts.next().unwrap_or_default();
            let number = |part: Option<&[u8]>| {
                std::str::from_utf8(part.unwrap_or_default()).ok().and_then(|s| s.parse::<usize>().ok()).unwrap_or(0)
            };
            let (at, len) = (number(parts.next()), number(parts.next()));
            let replacement = parts.next().unwrap_or_default();
            let splice = |target: &mut Vec<u8>| {
                let at = at % (target.len() + 1);
                let end = at.saturating_add(len).min(target.len());
                target.splice(at..end, replacement.iter().copied());
            };
            let splice_text = |target: &mut String| {
                let mut bytes = std::mem::take(target).into_bytes();
                splice(&mut bytes);
                *target = String::from_utf8_lossy(&bytes).into_owned();
            };
            match field {
                b"method" => splice_text(&mut self.method),
                b"url" => splice_text(&mut self.url),
                b"content_type" => splice_text(self.content_type.get_or_insert_with(String::new)),
                b"body" => splice(self.body.get_or_insert_with(Vec::new)),
                b"authorization" => {
                    if let Some((_, value)) = self.headers.iter_mut().find(|(name, _)| name == "Authorization") {
                        splice_text(value);
                    }
                }
                _ => {}
            }
        }
        let lossy = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
        self.headers.extend(record.pairs("header", b':').iter().map(|(n, v)| (lossy(n), lossy(v))));
    }
}

/// Why a verifier may refuse a request the reference signed without any change: the input
/// asked for something §3.1 forbids (a malformed timestamp, a repeated or misplaced protocol
/// parameter, another version) or a header beyond the parser's caps. A signature or body
/// hash mismatch, or any other header error, means signer and verifier disagree.
fn refused_for_its_input(rejection: &Rejection) -> bool {
    match rejection {
        Rejection::MalformedHeader(e) => matches!(
            e,
            HeaderError::TooLong { .. }
                | HeaderError::TooManyParameters { .. }
                | HeaderError::DuplicateParameter { .. }
        ),
        Rejection::MalformedRequest(_)
        | Rejection::MissingParameter(_)
        | Rejection::DuplicateParameter(_)
        | Rejection::ParameterInMultipleLocations(_)
        | Rejection::UnsupportedVersion(_) => true,
        _ => false,
    }
}

/// Verification of the record `data`, which is one of two shapes:
///
/// * **sign, then mutate** (the default): the reference signs the record's request (header
///   transmission, §3.5.1); the verifier must accept it unless the input itself is malformed
///   (see [`refused_for_its_input`]). Then the record's `unset`, `edit` and `header` lines
///   change the signed request, and if the verifier accepts the result, it must have been
///   signed with the secrets: for HMAC and RSA its signature is, by an independent computation,
///   that of the base string the verifier reports, and when that is the base string signed
///   (the mutations changed nothing signed) the body is the same if a body hash was signed;
///   for PLAINTEXT (which signs nothing, §3.4.4) the signature is the secrets' key. The
///   mutated request may name another method, so the check follows the method the verifier
///   saw. (Requiring the signed base string itself is too strong: the mutations can splice
///   in another request genuinely signed with the same secrets, such as the RFC's examples.)
/// * **received** (`mode received`): a `verify` vector's request (`header NAME:VALUE` lines,
///   `consumer_secret`, `token_secret`, `rsa_public_key`, `now`) is verified with the default
///   ±300 s window and a nonce store. If it is accepted, its signature must match the
///   verifier's base string by an independent computation, and the same request a second
///   time must be refused as a replay when the method requires a nonce (§3.3).
///
/// # Panics
///
/// On a violated property.
pub fn check_verify_request(data: &[u8]) {
    let record = Record::parse(data);
    if record.bytes("mode").as_deref() == Some(b"received") {
        check_received(&record);
    } else {
        check_signed_then_mutated(&record);
    }
}

fn check_signed_then_mutated(record: &Record) {
    let input = SignRecord::read(record);
    let Some(signed) = sign_record(&input) else { return };
    let Ok(trace) = signed.result else { return };
    let original = Received {
        method: input.request.method.clone(),
        url: input.request.url.clone(),
        content_type: input.request.content_type.clone(),
        body: input.body.clone(),
        headers: vec![("Authorization".into(), trace.authorization_header.clone())],
    };
    let credentials = Credentials {
        consumer_secret: consumer_secret(&input),
        token_secret: token_secret(&input),
        rsa_public_key: signed.public_key.as_ref(),
    };
    let mut verifier = Verifier::new(AnyTimestamp, NoNonceCheck);
    if let Err(rejection) = original.verify(&mut verifier, &credentials, 0) {
        assert!(
            refused_for_its_input(&rejection),
            "the verifier refuses the reference's own signed request: {rejection}\nrequest: {original:?}"
        );
        return;
    }
    let mut mutated = original.clone();
    mutated.mutate(record);
    let Ok(verified) = mutated.verify(&mut verifier, &credentials, 0) else { return };
    let received = &verified.request.protocol;
    let key = plaintext_key(credentials.consumer_secret, credentials.token_secret);
    if received.signature_method == SignatureMethod::Plaintext {
        assert_eq!(
            received.signature, key,
            "a PLAINTEXT request accepted without the secrets' key\nrequest: {mutated:?}"
        );
        return;
    }
    let base_string = &verified.request.signature_base_string;
    assert!(
        signature_matches(
            received.signature_method,
            &key,
            signed.public_key.as_ref(),
            base_string,
            &received.signature
        ),
        "a mutated request was accepted with a signature not made with the secrets over its base string\n\
         base string: {base_string}\nsigned: {original:?}\naccepted: {mutated:?}"
    );
    // Accepted over another base string: the mutations spliced in another request that was
    // genuinely signed with these secrets (the corpus holds the RFC's own examples, which share
    // them; regressions/verify_request/rfc-request-spliced-in). The signature check above is
    // then the whole property; nothing of the original is left to compare.
    if *base_string != trace.signature_base_string {
        return;
    }
    if trace.body_hash.is_some() {
        assert_eq!(
            mutated.body.as_deref().unwrap_or_default(),
            original.body.as_deref().unwrap_or_default(),
            "a changed body was accepted under a signed body hash"
        );
    }
}

fn check_received(record: &Record) {
    let input = SignRecord::read(record);
    let public_key = match record.text("rsa_public_key").map(|pem| RsaPublicKey::from_pem(&pem)) {
        Some(Ok(key)) => Some(key),
        Some(Err(_)) => return,
        None => None,
    };
    let credentials = Credentials {
        consumer_secret: consumer_secret(&input),
        token_secret: token_secret(&input),
        rsa_public_key: public_key.as_ref(),
    };
    let now = record.text("now").and_then(|n| n.parse::<u64>().ok()).unwrap_or(0);
    let mut received = Received {
        method: input.request.method.clone(),
        url: input.request.url.clone(),
        content_type: input.request.content_type.clone(),
        body: input.body.clone(),
        headers: Vec::new(),
    };
    received.mutate(record);
    let mut verifier = Verifier::new(TimestampWindow::default(), InMemoryNonceStore::default());
    let Ok(verified) = received.verify(&mut verifier, &credentials, now) else { return };
    let protocol = &verified.request.protocol;
    let key = plaintext_key(credentials.consumer_secret, credentials.token_secret);
    assert!(
        signature_matches(
            protocol.signature_method,
            &key,
            public_key.as_ref(),
            &verified.request.signature_base_string,
            &protocol.signature
        ),
        "accepted a signature that does not match its base string\nrequest: {received:?}"
    );
    let replay = received.verify(&mut verifier, &credentials, now);
    if protocol.signature_method.requires_timestamp_and_nonce() {
        assert!(matches!(replay, Err(Rejection::NonceReplayed)), "a replayed request was not refused: {replay:?}");
    } else {
        assert!(replay.is_ok(), "the same PLAINTEXT request was accepted once, then refused: {replay:?}");
    }
}
