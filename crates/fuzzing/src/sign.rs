//! `sign_request`: the whole signing pipeline on a structured request.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest as _, Sha256, Sha512};

use oauth1_reference::encoding::percent_encode;
use oauth1_reference::rsa_signature::{rsa_verify, RsaPrivateKey, RsaPublicKey};
use oauth1_reference::sign::{sign, Request, Secrets, SignError, Trace};
use oauth1_reference::signature::SignatureMethod;

use crate::header::parse_built;
use crate::input::SignRecord;
use crate::record::Record;

/// What the reference made of a [`SignRecord`].
pub(crate) struct Signed {
    /// The signature method named by the record.
    pub(crate) method: SignatureMethod,
    /// The public half of the record's RSA key, for the RSA methods.
    pub(crate) public_key: Option<RsaPublicKey>,
    /// The signer's result.
    pub(crate) result: Result<Trace, SignError>,
}

/// Signs `input` with the reference; `None` when the input names no method the reference
/// has, or an RSA key that does not load (both refused before signing starts).
pub(crate) fn sign_record(input: &SignRecord) -> Option<Signed> {
    let oauth = &input.oauth;
    let method = SignatureMethod::from_name(&oauth.signature_method).ok()?;
    let private_key = match (method.rsa_hash(), input.secrets.rsa_private_key_pem.as_deref()) {
        (Some(_), Some(pem)) => Some(RsaPrivateKey::from_pem(pem).ok()?),
        _ => None,
    };
    let extra: Vec<(&str, &str)> = oauth.extra.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let request = Request {
        method: &input.request.method,
        url: &input.request.url,
        content_type: input.request.content_type.as_deref(),
        body: input.body.as_deref(),
    };
    let params = oauth.reference_parameters(method, &extra);
    let secrets = Secrets {
        consumer_secret: consumer_secret(input),
        token_secret: token_secret(input),
        rsa_private_key: private_key.as_ref(),
    };
    let result = sign(&request, &params, &secrets);
    Some(Signed { method, public_key: private_key.map(|k| k.public_key()), result })
}

pub(crate) fn consumer_secret(input: &SignRecord) -> &str {
    input.secrets.consumer_secret.as_deref().unwrap_or_default()
}

pub(crate) fn token_secret(input: &SignRecord) -> &str {
    input.secrets.token_secret.as_deref().unwrap_or_default()
}

/// The §3.4.2 key, written out again from §3.6 rather than taken from the signer.
pub(crate) fn plaintext_key(consumer_secret: &str, token_secret: &str) -> String {
    format!("{}&{}", percent_encode(consumer_secret.as_bytes()), percent_encode(token_secret.as_bytes()))
}

fn mac<M: Mac + KeyInit>(key: &[u8], message: &[u8]) -> String {
    // HMAC takes keys of any length (RFC 2104 §2), so this cannot fail.
    let mut mac = <M as KeyInit>::new_from_slice(key).unwrap_or_else(|e| panic!("HMAC refused a key: {e}"));
    mac.update(message);
    BASE64.encode(mac.finalize().into_bytes())
}

/// Whether `signature` is the `method` signature of `base_string` under the shared secrets,
/// computed here with the `hmac` crate directly (not through the reference's signer), or
/// checked with the RSA public key.
pub(crate) fn signature_matches(
    method: SignatureMethod,
    key: &str,
    public_key: Option<&RsaPublicKey>,
    base_string: &str,
    signature: &str,
) -> bool {
    let (key, message) = (key.as_bytes(), base_string.as_bytes());
    match method {
        SignatureMethod::HmacSha1 => mac::<Hmac<Sha1>>(key, message) == signature,
        SignatureMethod::HmacSha256 => mac::<Hmac<Sha256>>(key, message) == signature,
        SignatureMethod::HmacSha512 => mac::<Hmac<Sha512>>(key, message) == signature,
        SignatureMethod::Plaintext => signature.as_bytes() == key,
        SignatureMethod::RsaSha1 | SignatureMethod::RsaSha256 | SignatureMethod::RsaSha512 => {
            match (method.rsa_hash(), public_key) {
                (Some(hash), Some(public_key)) => rsa_verify(hash, public_key, message, signature),
                _ => false,
            }
        }
    }
}

/// draft-eaton-oauth-bodyhash §3.2 with the reference's documented digest per method.
fn expected_body_hash(method: SignatureMethod, body: &[u8]) -> String {
    match method {
        SignatureMethod::HmacSha1 | SignatureMethod::RsaSha1 | SignatureMethod::Plaintext => {
            BASE64.encode(Sha1::digest(body))
        }
        SignatureMethod::HmacSha256 | SignatureMethod::RsaSha256 => BASE64.encode(Sha256::digest(body)),
        SignatureMethod::HmacSha512 | SignatureMethod::RsaSha512 => BASE64.encode(Sha512::digest(body)),
    }
}

/// Signs the request of the record `data` twice and checks that the result is deterministic
/// and that its trace is internally consistent:
///
/// * the base string is `METHOD&enc(base string URI)&enc(normalized parameters)` (§3.4.1.1);
/// * the signature is the HMAC of that base string under `enc(cs)&enc(ts)`, computed here
///   independently (§3.4.2), that key itself for PLAINTEXT (§3.4.4), or an RSA signature
///   the public key verifies (§3.4.3);
/// * the body hash is present exactly when asked for, and is the digest of the body;
/// * the header parses back to the realm and the protocol parameters, `oauth_signature`
///   (the signature) last.
///
/// # Panics
///
/// On a violated property.
pub fn check_sign_request(data: &[u8]) {
    let input = SignRecord::read(&Record::parse(data));
    let Some(signed) = sign_record(&input) else { return };
    let again = sign_record(&input).map(|s| s.result);
    assert_eq!(again.as_ref(), Some(&signed.result), "signing is not deterministic");
    let Ok(trace) = &signed.result else { return };
    check_trace(&input, &signed, trace);
}

fn check_trace(input: &SignRecord, signed: &Signed, trace: &Trace) {
    // §3.4.1.1: the method uppercased (and §3.6-encoded, as `base_string_method` documents).
    let base_string = format!(
        "{}&{}&{}",
        percent_encode(input.request.method.to_ascii_uppercase().as_bytes()),
        percent_encode(trace.base_string_uri.as_bytes()),
        percent_encode(trace.normalized_parameters.as_bytes())
    );
    assert_eq!(trace.signature_base_string, base_string, "the base string is not made of the reported stages");
    let key = plaintext_key(consumer_secret(input), token_secret(input));
    assert!(
        signature_matches(
            signed.method,
            &key,
            signed.public_key.as_ref(),
            &trace.signature_base_string,
            &trace.signature
        ),
        "{} is not the {} signature of {:?}",
        trace.signature,
        signed.method.name(),
        trace.signature_base_string
    );
    let body_hash = input
        .oauth
        .compute_body_hash
        .then(|| expected_body_hash(signed.method, input.body.as_deref().unwrap_or_default()));
    assert_eq!(trace.body_hash, body_hash, "body hash");
    let last = trace.protocol_parameters.last().map(|(n, v)| (n.as_str(), v.as_str()));
    assert_eq!(
        last,
        Some(("oauth_signature", trace.signature.as_str())),
        "oauth_signature is not the last protocol parameter"
    );
    let mut expected: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    if let Some(realm) = &input.oauth.realm {
        expected.push((b"realm".to_vec(), realm.as_bytes().to_vec()));
    }
    expected.extend(trace.protocol_parameters.iter().map(|(n, v)| (n.as_bytes().to_vec(), v.as_bytes().to_vec())));
    // The builder does not refuse duplicate names (the parser does): an input may repeat one.
    let mut names: Vec<&[u8]> = expected.iter().map(|(n, _)| n.as_slice()).collect();
    names.sort_unstable();
    names.dedup();
    if names.len() < expected.len() {
        return;
    }
    match parse_built(&trace.authorization_header) {
        Ok(parsed) => {
            let parsed: Vec<(Vec<u8>, Vec<u8>)> = parsed.into_iter().map(|p| (p.name, p.value)).collect();
            assert_eq!(
                parsed, expected,
                "the header {:?} does not carry the protocol parameters",
                trace.authorization_header
            );
        }
        Err(e) => panic!("the reference's own header {:?} does not parse: {e}", trace.authorization_header),
    }
}
