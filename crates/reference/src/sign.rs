//! The whole client-side pipeline of RFC 5849 §3.1 "Making Requests", returning every
//! intermediate stage as a [`Trace`].

use core::fmt;

use crate::base_string::signature_base_string;
use crate::body_hash::{body_hash, BodyHashAlgorithm, OAUTH_BODY_HASH};
use crate::header::{build_authorization_header, HeaderBuildError};
use crate::parameters::{body_is_signed_form, collect_parameters, normalize_parameters, FormDecodeError, Parameter};
use crate::rsa_signature::{rsa_sign, RsaPrivateKey, RsaSignError};
use crate::signature::{hmac_signature, signing_key, SignatureMethod};
use crate::uri::{parse_request_url, UriError};

/// The HTTP request to sign, as it will be sent.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The HTTP method, in any case (§3.4.1.1 uppercases it).
    pub method: &'a str,
    /// The absolute request URL as sent, query included.
    pub url: &'a str,
    /// The `Content-Type` field value, if the request has one.
    pub content_type: Option<&'a str>,
    /// The entity-body, if any.
    pub body: Option<&'a [u8]>,
}

/// The protocol parameters of §3.1, exactly as they will be sent: the signer adds none of
/// its own (no default `oauth_version`).
#[derive(Debug, Clone, Copy)]
pub struct OAuthParameters<'a> {
    /// `oauth_consumer_key`.
    pub consumer_key: &'a str,
    /// `oauth_token`; absent for two-legged and temporary-credential requests.
    pub token: Option<&'a str>,
    /// `oauth_signature_method`.
    pub signature_method: SignatureMethod,
    /// `oauth_timestamp` (§3.3); may be omitted with PLAINTEXT.
    pub timestamp: Option<&'a str>,
    /// `oauth_nonce` (§3.3); may be omitted with PLAINTEXT.
    pub nonce: Option<&'a str>,
    /// `oauth_version`; OPTIONAL, and "1.0" if present (§3.1).
    pub version: Option<&'a str>,
    /// The `realm` of the Authorization header (§3.5.1); never signed.
    pub realm: Option<&'a str>,
    /// Other protocol parameters, decoded, in order (`oauth_callback`, `oauth_verifier`, …).
    pub extra: &'a [(&'a str, &'a str)],
    /// Compute and send `oauth_body_hash` (draft-eaton-oauth-bodyhash) for a non-form body.
    pub compute_body_hash: bool,
}

/// The secrets that key the signature.
///
/// Its `Debug` never prints them: traces and reports must not leak a user's secrets.
#[derive(Clone, Copy, Default)]
pub struct Secrets<'a> {
    /// The client shared-secret; empty when absent.
    pub consumer_secret: &'a str,
    /// The token shared-secret; empty when there is no token (§3.4.2).
    pub token_secret: &'a str,
    /// The client's RSA private key, for the RSA methods (§3.4.3).
    pub rsa_private_key: Option<&'a RsaPrivateKey>,
}

impl fmt::Debug for Secrets<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Secrets")
            .field("consumer_secret", &"<redacted>")
            .field("token_secret", &"<redacted>")
            .field("rsa_private_key", &self.rsa_private_key)
            .finish()
    }
}

/// Every stage of signing one request; every field is always filled, for PLAINTEXT too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trace {
    /// The protocol parameters sent in the header, in order, `oauth_signature` last.
    pub protocol_parameters: Vec<(String, String)>,
    /// §3.4.1.3.1: every collected parameter with its source.
    pub collected_parameters: Vec<Parameter>,
    /// §3.4.1.3.2.
    pub normalized_parameters: String,
    /// §3.4.1.2.
    pub base_string_uri: String,
    /// §3.4.1.1.
    pub signature_base_string: String,
    /// `oauth_signature`, before the header's percent-encoding.
    pub signature: String,
    /// §3.5.1: the Authorization header field value.
    pub authorization_header: String,
    /// `oauth_body_hash` when it was computed.
    pub body_hash: Option<String>,
}

/// Why a request could not be signed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignError {
    /// The URL yields no base string URI (§3.4.1.2).
    Url(UriError),
    /// The query or the form body is not valid form-urlencoded text.
    Form(FormDecodeError),
    /// An RSA method without an RSA private key.
    MissingRsaKey,
    /// The RSA operation failed.
    Rsa(RsaSignError),
    /// The realm cannot be written into a quoted-string.
    Header(HeaderBuildError),
    /// `oauth_body_hash` was asked for on a form-encoded body; the draft (§3.1) forbids it,
    /// since such a body is already signed.
    BodyHashOnFormBody,
    /// The method is empty or not an HTTP token (RFC 7230 §3.1.1).
    InvalidMethod,
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Url(e) => write!(f, "request URL: {e}"),
            Self::Form(e) => write!(f, "form-urlencoded parameters: {e}"),
            Self::MissingRsaKey => f.write_str("an RSA signature method needs an RSA private key"),
            Self::Rsa(e) => write!(f, "RSA signing failed: {e}"),
            Self::Header(e) => write!(f, "Authorization header: {e}"),
            Self::BodyHashOnFormBody => f.write_str("oauth_body_hash must not be sent with a form-encoded body"),
            Self::InvalidMethod => f.write_str("the HTTP method is empty or not a token"),
        }
    }
}

impl std::error::Error for SignError {}

/// Whether `method` is an RFC 7230 §3.1.1 token (`1*tchar`).
#[must_use]
pub fn is_http_method(method: &str) -> bool {
    !method.is_empty() && method.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// §3.4: the `oauth_signature` value of a base string under `method` — HMAC (§3.4.2), RSA
/// (§3.4.3) or PLAINTEXT (§3.4.4, where the base string is not used).
pub fn compute_signature(
    method: SignatureMethod,
    base_string: &str,
    secrets: &Secrets<'_>,
) -> Result<String, SignError> {
    let key = signing_key(secrets.consumer_secret, secrets.token_secret);
    if let Some(hash) = method.rsa_hash() {
        let private_key = secrets.rsa_private_key.ok_or(SignError::MissingRsaKey)?;
        return rsa_sign(hash, private_key, base_string.as_bytes()).map_err(SignError::Rsa);
    }
    Ok(hmac_signature(method, key.as_bytes(), base_string.as_bytes()).unwrap_or(key))
}

/// The protocol parameters of `oauth`, in header order, without `oauth_signature`.
#[must_use]
pub fn protocol_parameters(oauth: &OAuthParameters<'_>, body_hash: Option<&str>) -> Vec<(String, String)> {
    let mut params = vec![("oauth_consumer_key".to_owned(), oauth.consumer_key.to_owned())];
    let mut push = |name: &str, value: Option<&str>| {
        if let Some(value) = value {
            params.push((name.to_owned(), value.to_owned()));
        }
    };
    push("oauth_token", oauth.token);
    push("oauth_signature_method", Some(oauth.signature_method.name()));
    push("oauth_timestamp", oauth.timestamp);
    push("oauth_nonce", oauth.nonce);
    push("oauth_version", oauth.version);
    push(OAUTH_BODY_HASH, body_hash);
    for &(name, value) in oauth.extra {
        push(name, Some(value));
    }
    params
}

/// Signs `request` (RFC 5849 §3.1) and returns every stage.
///
/// Protocol parameters travel in the Authorization header (§3.5.1, the RFC's preferred
/// location); [`crate::transmission`] moves them to the body or the query.
pub fn sign(request: &Request<'_>, oauth: &OAuthParameters<'_>, secrets: &Secrets<'_>) -> Result<Trace, SignError> {
    if !is_http_method(request.method) {
        return Err(SignError::InvalidMethod);
    }
    let url = parse_request_url(request.url).map_err(SignError::Url)?;
    let form_body = if body_is_signed_form(request.content_type) { request.body } else { None };
    let body_hash = if oauth.compute_body_hash {
        if form_body.is_some() {
            return Err(SignError::BodyHashOnFormBody);
        }
        let algorithm = BodyHashAlgorithm::for_method(oauth.signature_method);
        Some(body_hash(algorithm, request.body.unwrap_or_default()))
    } else {
        None
    };
    let mut protocol = protocol_parameters(oauth, body_hash.as_deref());
    let header_params = protocol.iter().map(|(name, value)| (name.as_bytes().to_vec(), value.as_bytes().to_vec()));
    let collected =
        collect_parameters(url.query.map(str::as_bytes), header_params, form_body).map_err(SignError::Form)?;
    let normalized_parameters = normalize_parameters(&collected);
    let base_string_uri = url.base_string_uri();
    let base_string = signature_base_string(request.method, &base_string_uri, &normalized_parameters);
    let signature = compute_signature(oauth.signature_method, &base_string, secrets)?;
    protocol.push(("oauth_signature".to_owned(), signature.clone()));
    let header_pairs: Vec<(&[u8], &[u8])> = protocol.iter().map(|(n, v)| (n.as_bytes(), v.as_bytes())).collect();
    let authorization_header = build_authorization_header(oauth.realm, &header_pairs).map_err(SignError::Header)?;
    Ok(Trace {
        protocol_parameters: protocol,
        collected_parameters: collected,
        normalized_parameters,
        base_string_uri,
        signature_base_string: base_string,
        signature,
        authorization_header,
        body_hash,
    })
}
