//! The whole client-side pipeline of RFC 5849 §3.1 "Making Requests", returning every
//! intermediate stage as a [`Trace`].

use core::fmt;

use crate::base_string::{push_signature_base_string_of, signature_base_string, signature_base_string_capacity};
use crate::body_hash::{body_hash, BodyHashAlgorithm};
use crate::encoding::{encoded_text, percent_encode_octets_into, OctetSet, ASCII_CHUNK, UNRESERVED};
use crate::fed_hmac::Sha1WhileWritten;
use crate::header::{build_authorization_header, push_header_start, write_authorization_header, HeaderBuildError};
use crate::parameters::{
    body_is_signed_form, collect_parameters, excluded_from_base_string, normalize_parameters, BaseStringParameters,
    FormDecodeError, Parameter, ParameterSource,
};
use crate::rsa_signature::{rsa_sign, RsaPrivateKey, RsaSignError};
use crate::signature::{
    hmac_base64_into, push_signing_key, signing_key, signing_key_capacity, Base64Mac, SignatureMethod,
};
use crate::uri::{parse_request_url, parse_request_url_but_query, RequestUrl, UriError};

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
    !method.is_empty() && method.bytes().all(|b| TCHAR.contains(b))
}

/// RFC 7230 §3.2.6 `tchar`: the unreserved characters and `!#$%&'*+^`|`.
const TCHAR: OctetSet = UNRESERVED.with(b"!#$%&'*+^`|");

/// §3.4: the `oauth_signature` value of a base string under `method` — HMAC (§3.4.2), RSA
/// (§3.4.3) or PLAINTEXT (§3.4.4, where the base string is not used).
pub fn compute_signature(
    method: SignatureMethod,
    base_string: &str,
    secrets: &Secrets<'_>,
) -> Result<String, SignError> {
    let key = signing_key(secrets.consumer_secret, secrets.token_secret);
    let mut mac = Base64Mac::new();
    let signature = signature_with_key(method, base_string.as_bytes(), key.as_bytes(), secrets, &mut mac)?;
    Ok(signature.unwrap_or_else(|| encoded_text(mac.as_bytes().to_vec())))
}

/// [`compute_signature`] with the [`signing_key`] already built, as octets: `None` when the
/// signature is an HMAC's, written into `mac` (an Authorization header only copies it, and
/// needs no string of it).
fn signature_with_key(
    method: SignatureMethod,
    base_string: &[u8],
    key: &[u8],
    secrets: &Secrets<'_>,
    mac: &mut Base64Mac,
) -> Result<Option<String>, SignError> {
    if let Some(hash) = method.rsa_hash() {
        let private_key = secrets.rsa_private_key.ok_or(SignError::MissingRsaKey)?;
        return rsa_sign(hash, private_key, base_string).map(Some).map_err(SignError::Rsa);
    }
    Ok((!hmac_base64_into(method, key, base_string, mac)).then(|| encoded_text(key.to_vec())))
}

/// The protocol parameters of `oauth`, in header order, without `oauth_signature`.
#[must_use]
pub fn protocol_parameters(oauth: &OAuthParameters<'_>, body_hash: Option<&str>) -> Vec<(String, String)> {
    protocol_pairs(oauth, body_hash).map(|(name, value)| (name.to_owned(), value.to_owned())).collect()
}

/// [`protocol_parameters`], borrowed from `oauth`.
pub fn protocol_pairs<'a>(
    oauth: &OAuthParameters<'a>,
    body_hash: Option<&'a str>,
) -> impl Iterator<Item = (&'a str, &'a str)> + Clone {
    defined_protocol_pairs(oauth, body_hash).chain(oauth.extra.iter().copied())
}

/// The protocol parameters that RFC 5849 §3.1 (and `oauth_body_hash`) define, those present,
/// in header order: [`protocol_pairs`] without [`OAuthParameters::extra`]. Their names are
/// unreserved throughout, so §3.6 leaves them as they are.
fn defined_protocol_pairs<'a>(
    oauth: &OAuthParameters<'a>,
    body_hash: Option<&'a str>,
) -> impl Iterator<Item = (&'a str, &'a str)> + Clone {
    defined_protocol_parameters(oauth, body_hash).map(|(defined, value)| (defined.name, value))
}

/// A protocol parameter that RFC 5849 §3.1 (or `oauth_body_hash`) defines: its name, and the
/// start of its pair as the base string and the Authorization header write it, made once here
/// instead of piece by piece on every request. The names are unreserved throughout, which
/// `defined_protocol_names_are_unreserved` checks, so §3.6 leaves them as they are.
struct Defined {
    name: &'static str,
    /// `%26name%3D`: `&`, the name and `=`, encoded by §3.4.1.1 step 5.
    base_string_start: &'static [u8],
    /// `name="`.
    header_start: &'static [u8],
    /// `", name="`: the end of the value before it in the header, and its start.
    header_next: &'static [u8],
}

macro_rules! defined {
    ($name:expr) => {
        Defined {
            name: $name,
            base_string_start: concat!("%26", $name, "%3D").as_bytes(),
            header_start: concat!($name, "=\"").as_bytes(),
            header_next: concat!("\", ", $name, "=\"").as_bytes(),
        }
    };
}

const CONSUMER_KEY: Defined = defined!("oauth_consumer_key");
const TOKEN: Defined = defined!("oauth_token");
const SIGNATURE_METHOD: Defined = defined!("oauth_signature_method");
const TIMESTAMP: Defined = defined!("oauth_timestamp");
const NONCE: Defined = defined!("oauth_nonce");
const VERSION: Defined = defined!("oauth_version");
const BODY_HASH: Defined = defined!("oauth_body_hash");
const SIGNATURE: Defined = defined!("oauth_signature");

/// [`defined_protocol_pairs`], each with its [`Defined`] name.
fn defined_protocol_parameters<'a>(
    oauth: &OAuthParameters<'a>,
    body_hash: Option<&'a str>,
) -> impl Iterator<Item = (&'static Defined, &'a str)> + Clone {
    let defined = [
        (&CONSUMER_KEY, Some(oauth.consumer_key)),
        (&TOKEN, oauth.token),
        (&SIGNATURE_METHOD, Some(oauth.signature_method.name())),
        (&TIMESTAMP, oauth.timestamp),
        (&NONCE, oauth.nonce),
        (&VERSION, oauth.version),
        (&BODY_HASH, body_hash),
    ];
    defined.into_iter().filter_map(|(name, value)| Some((name, value?)))
}

/// What every way of signing starts from: the request checked, its URL parsed, the entity-body
/// that §3.4.1.3.1 signs as parameters, and `oauth_body_hash` when asked for.
struct Prepared<'a> {
    url: RequestUrl<'a>,
    form_body: Option<&'a [u8]>,
    body_hash: Option<String>,
}

fn prepare<'a>(request: &Request<'a>, oauth: &OAuthParameters<'_>) -> Result<Prepared<'a>, SignError> {
    if !is_http_method(request.method) {
        return Err(SignError::InvalidMethod);
    }
    let url = parse_request_url(request.url).map_err(SignError::Url)?;
    let form_body = signed_form_body(request);
    let body_hash = requested_body_hash(request, oauth, form_body)?;
    Ok(Prepared { url, form_body, body_hash })
}

/// The entity-body that §3.4.1.3.1 signs as parameters, if any.
fn signed_form_body<'a>(request: &Request<'a>) -> Option<&'a [u8]> {
    if body_is_signed_form(request.content_type) {
        request.body
    } else {
        None
    }
}

/// `oauth_body_hash` when it is asked for.
fn requested_body_hash(
    request: &Request<'_>,
    oauth: &OAuthParameters<'_>,
    form_body: Option<&[u8]>,
) -> Result<Option<String>, SignError> {
    if !oauth.compute_body_hash {
        return Ok(None);
    }
    if form_body.is_some() {
        return Err(SignError::BodyHashOnFormBody);
    }
    let algorithm = BodyHashAlgorithm::for_method(oauth.signature_method);
    Ok(Some(body_hash(algorithm, request.body.unwrap_or_default())))
}

/// §3.4.1: the request parameters as the signature base string carries them, without the
/// intermediate stages a [`Trace`] keeps (see [`BaseStringParameters`]), in `parameters`;
/// and the request URL and `oauth_body_hash` found on the way. Fails as [`prepare`], then
/// [`collect_parameters`], would, in the same order.
fn base_string_parameters<'a>(
    request: &Request<'a>,
    oauth: &OAuthParameters<'_>,
    form_body: Option<&[u8]>,
    parameters: &mut BaseStringParameters,
) -> Result<(RequestUrl<'a>, Option<String>, Unencoded), SignError> {
    if !is_http_method(request.method) {
        return Err(SignError::InvalidMethod);
    }
    let (url, query) = parse_request_url_but_query(request.url).map_err(SignError::Url)?;
    if let Some(query) = query {
        // Where `parse_request_url` would have checked the query's octets: before anything
        // after the URL can fail.
        parameters.push_unchecked_query(&query).map_err(SignError::Url)?;
    }
    let body_hash = requested_body_hash(request, oauth, form_body)?;
    for &(name, value) in oauth.extra {
        if !excluded_from_base_string(name.as_bytes(), ParameterSource::AuthorizationHeader) {
            parameters.push(name.as_bytes(), value.as_bytes());
        }
    }
    if let Some(body) = form_body {
        parameters.push_form_urlencoded(body, ParameterSource::Body).map_err(SignError::Form)?;
    }
    // In the order of their names, which §3.4.1.3.2 sorts them into, and last, as one sorted
    // run. Neither `realm` nor `oauth_signature`, and already in their encoded form. One call
    // each rather than a loop: the length of each name is then a constant where it is copied,
    // which the compiler copies in a few moves instead of calling `memcpy`.
    let unencoded = parameters.push_sorted_run(|parameters| {
        let push = |parameters: &mut BaseStringParameters, defined: &Defined, value: Option<&str>| {
            value.is_none_or(|value| parameters.push_with_encoded_start(defined.base_string_start, value.as_bytes()))
        };
        let body_hash = push(parameters, &BODY_HASH, body_hash.as_deref());
        let consumer_key = push(parameters, &CONSUMER_KEY, Some(oauth.consumer_key));
        let nonce = push(parameters, &NONCE, oauth.nonce);
        // Every method's name is unreserved (`defined_protocol_names_are_unreserved`): copied
        // without a look at its octets.
        let name = oauth.signature_method.name().as_bytes();
        parameters.push_unreserved_with_encoded_start(SIGNATURE_METHOD.base_string_start, name);
        Unencoded {
            body_hash,
            consumer_key,
            nonce,
            signature_method: true,
            timestamp: push(parameters, &TIMESTAMP, oauth.timestamp),
            token: push(parameters, &TOKEN, oauth.token),
            version: push(parameters, &VERSION, oauth.version),
        }
    });
    Ok((url, body_hash, unencoded))
}

/// For each protocol parameter value of [`OAuthParameters`] (and `oauth_body_hash`), whether
/// it is absent or §3.6 leaves it as it is, as the base string found while it encoded it: the
/// Authorization header copies such a value without looking at its octets again.
#[derive(Debug, Clone, Copy)]
struct Unencoded {
    consumer_key: bool,
    token: bool,
    signature_method: bool,
    timestamp: bool,
    nonce: bool,
    version: bool,
    body_hash: bool,
}

/// §3.5.1: the Authorization header of the protocol parameters and `oauth_signature`, written
/// into `out` (cleared first), whose allocation the base string leaves behind.
fn header_with_signature(
    oauth: &OAuthParameters<'_>,
    signed: &Signed,
    signature: &[u8],
    out: Vec<u8>,
) -> Result<String, SignError> {
    let body_hash = signed.body_hash.as_deref();
    if oauth.extra.is_empty() {
        return header_of_defined_parameters(oauth, signed, signature, out).map_err(SignError::Header);
    }
    let pairs = protocol_pairs(oauth, body_hash)
        .map(|(name, value)| (name.as_bytes(), value.as_bytes()))
        .chain([(&b"oauth_signature"[..], signature)]);
    write_authorization_header(oauth.realm, pairs).map_err(SignError::Header)
}

/// [`write_authorization_header`] of the parameters that RFC 5849 defines, into `out`. Written
/// out one by one in header order: each name, with the end of the value before it, is one
/// piece of constant length, and a value the base string found unreserved is copied whole.
fn header_of_defined_parameters(
    oauth: &OAuthParameters<'_>,
    signed: &Signed,
    signature: &[u8],
    mut out: Vec<u8>,
) -> Result<String, HeaderBuildError> {
    let Signed { body_hash, unencoded, .. } = signed;
    let capacity = defined_header_capacity(oauth, body_hash.as_deref().map_or(0, str::len), signature.len());
    out.clear();
    if out.capacity() < capacity {
        // A new buffer rather than `reserve`, which would copy the base string's octets over.
        out = Vec::with_capacity(capacity);
    }
    let separator = push_header_start(oauth.realm, &mut out)?;
    out.extend_from_slice(separator);
    out.extend_from_slice(CONSUMER_KEY.header_start);
    push_header_value(oauth.consumer_key, unencoded.consumer_key, &mut out);
    let mut push = |defined: &Defined, value: Option<&str>, unencoded: bool| {
        if let Some(value) = value {
            out.extend_from_slice(defined.header_next);
            push_header_value(value, unencoded, &mut out);
        }
    };
    push(&TOKEN, oauth.token, unencoded.token);
    push(&SIGNATURE_METHOD, Some(oauth.signature_method.name()), unencoded.signature_method);
    push(&TIMESTAMP, oauth.timestamp, unencoded.timestamp);
    push(&NONCE, oauth.nonce, unencoded.nonce);
    push(&VERSION, oauth.version, unencoded.version);
    push(&BODY_HASH, body_hash.as_deref(), unencoded.body_hash);
    out.extend_from_slice(SIGNATURE.header_next);
    percent_encode_octets_into(signature, &mut out);
    out.push(b'"');
    Ok(encoded_text(out))
}

/// The most octets [`header_of_defined_parameters`] writes for `oauth` with an
/// `oauth_body_hash` and a signature of these lengths.
fn defined_header_capacity(oauth: &OAuthParameters<'_>, body_hash_len: usize, signature_len: usize) -> usize {
    let values = [Some(oauth.consumer_key), oauth.token, oauth.timestamp, oauth.nonce, oauth.version];
    let value_octets = values.iter().flatten().map(|value| value.len()).sum::<usize>() + body_hash_len + signature_len;
    // Every value encoded at most triples; the names and separators fit in 256.
    oauth.realm.map_or(0, str::len).saturating_mul(2).saturating_add(value_octets.saturating_mul(3)) + 256
}

/// Appends a protocol parameter value encoded (§3.5.1 item 1), or copied when `unencoded`.
fn push_header_value(value: &str, unencoded: bool, out: &mut Vec<u8>) {
    if unencoded {
        out.extend_from_slice(value.as_bytes());
    } else {
        percent_encode_octets_into(value.as_bytes(), out);
    }
}

/// The stages a verifier compares (§3.2): the signature base string and the signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// §3.4.1.1.
    pub signature_base_string: String,
    /// `oauth_signature`, before the header's percent-encoding.
    pub signature: String,
}

/// Signs `request` (RFC 5849 §3.1) up to its signature: the same base string and signature as
/// [`sign`], without the other stages.
pub fn signature(
    request: &Request<'_>,
    oauth: &OAuthParameters<'_>,
    secrets: &Secrets<'_>,
) -> Result<Signature, SignError> {
    let mut base_string = Vec::new();
    let mut mac = Base64Mac::new();
    let Signed { signature, .. } = signed(request, oauth, secrets, (&mut base_string, 0), &mut mac)?;
    // The base string's text first: it does not wait for the HMAC's last blocks, and checking
    // its octets before the signature's are copied measured faster on the §3.4.1 request (AMD
    // EPYC with SHA-NI, interleaved, the middle of 8 runs of 5 passes, two batches): signature
    // ÷ floor 2.04 → 1.98 and 2.05 → 1.98.
    let signature_base_string = encoded_text(base_string);
    let signature = signature.unwrap_or_else(|| {
        let mut octets = Vec::with_capacity(Base64Mac::CAPACITY + ASCII_CHUNK);
        octets.extend_from_slice(mac.as_bytes());
        encoded_text(octets)
    });
    Ok(Signature { signature_base_string, signature })
}

/// Signs `request` (RFC 5849 §3.1) and returns only what a client sends: the Authorization
/// header (§3.5.1), the same as [`sign`]'s.
pub fn authorization_header(
    request: &Request<'_>,
    oauth: &OAuthParameters<'_>,
    secrets: &Secrets<'_>,
) -> Result<String, SignError> {
    // The base string is not part of the header: its octets are dropped as they are, without
    // being made text, and their buffer holds the header instead.
    // Room for the header too, when it holds the parameters RFC 5849 defines alone: an HMAC's
    // base64, and `oauth_body_hash`'s, take at most [`Base64Mac::CAPACITY`] octets. The buffer
    // is then allocated once, instead of once for the base string and again for the header.
    let header_capacity = if oauth.extra.is_empty() {
        let body_hash = if oauth.compute_body_hash { Base64Mac::CAPACITY } else { 0 };
        defined_header_capacity(oauth, body_hash, Base64Mac::CAPACITY)
    } else {
        0
    };
    let mut octets = Vec::new();
    let mut mac = Base64Mac::new();
    let signed = signed(request, oauth, secrets, (&mut octets, header_capacity), &mut mac)?;
    let signature = signed.signature.as_ref().map_or(mac.as_bytes(), String::as_bytes);
    header_with_signature(oauth, &signed, signature, octets)
}

/// What signing gives besides the base string: the signature unless it is in the
/// [`Base64Mac`] (see [`signature_with_key`]), `oauth_body_hash` when it was asked for, and
/// which protocol parameter values need no encoding.
struct Signed {
    body_hash: Option<String>,
    signature: Option<String>,
    unencoded: Unencoded,
}

/// Writes the signature base string of `request` into `octets` and signs it; `octets` gets
/// room for at least `least_capacity` octets, for what its caller writes into it next.
///
/// One buffer holds the whole base string, sized up front; the signing key is written into a
/// buffer signing has anyway and cut off again, so that signing allocates nothing else on the
/// way. The caller owns the buffer, and the stages travel back through it rather than in the
/// result.
fn signed(
    request: &Request<'_>,
    oauth: &OAuthParameters<'_>,
    secrets: &Secrets<'_>,
    (octets, least_capacity): (&mut Vec<u8>, usize),
    mac: &mut Base64Mac,
) -> Result<Signed, SignError> {
    let form_body = signed_form_body(request);
    // The query is part of the URL.
    let form_octets = request.url.len() + form_body.map_or(0, <[u8]>::len);
    let mut parameters = BaseStringParameters::with_capacity(16, form_octets + 256);
    // HMAC-SHA1 is keyed before anything else, the key written where the parameters go next:
    // the inner padded key's block is then hashed beside the parsing and encoding that follow
    // (see [`crate::fed_hmac`]). Measured on the §3.4.1 request (AMD EPYC with SHA-NI,
    // interleaved, the middle of 8 runs of 5 passes): signature ÷ floor 2.06 → 2.01, header
    // 2.34 → 2.26, against keying it after the parameters. (Keying it in a buffer of its own
    // costs an allocation, which took all of that.)
    let keyed = (oauth.signature_method == SignatureMethod::HmacSha1).then(|| {
        parameters.scratch(
            |scratch| push_signing_key(secrets.consumer_secret, secrets.token_secret, scratch),
            Sha1WhileWritten::new,
        )
    });
    let (url, body_hash, unencoded) = base_string_parameters(request, oauth, form_body, &mut parameters)?;
    let capacity = signature_base_string_capacity(request.method, &url, &parameters);
    if let Some(mut hmac) = keyed {
        octets.reserve(capacity.max(least_capacity));
        let start = octets.len();
        push_signature_base_string_of(request.method, &url, &mut parameters, octets, &mut |written| hmac.feed(written));
        hmac.finish(octets.get(start..).unwrap_or_default(), mac);
        return Ok(Signed { body_hash, signature: None, unencoded });
    }
    // Every other method signs the finished base string; the key follows it in the buffer.
    let key_capacity = signing_key_capacity(secrets.consumer_secret, secrets.token_secret);
    octets.reserve((capacity + key_capacity).max(least_capacity));
    push_signature_base_string_of(request.method, &url, &mut parameters, octets, &mut |_| {});
    let base_string_len = octets.len();
    push_signing_key(secrets.consumer_secret, secrets.token_secret, octets);
    let (base_string, key) = octets.split_at(base_string_len);
    let signature = signature_with_key(oauth.signature_method, base_string, key, secrets, mac)?;
    octets.truncate(base_string_len);
    Ok(Signed { body_hash, signature, unencoded })
}

/// Signs `request` (RFC 5849 §3.1) and returns every stage.
///
/// Protocol parameters travel in the Authorization header (§3.5.1, the RFC's preferred
/// location); [`crate::transmission`] moves them to the body or the query. Each stage is
/// computed by its own RFC step, one after the other ([`signature`] and
/// [`authorization_header`] take a shorter path to the same output).
pub fn sign(request: &Request<'_>, oauth: &OAuthParameters<'_>, secrets: &Secrets<'_>) -> Result<Trace, SignError> {
    let Prepared { url, form_body, body_hash } = prepare(request, oauth)?;
    let mut protocol = protocol_parameters(oauth, body_hash.as_deref());
    let header_params = protocol.iter().map(|(name, value)| (name.as_bytes().to_vec(), value.as_bytes().to_vec()));
    let collected =
        collect_parameters(url.query.map(str::as_bytes), header_params, form_body).map_err(SignError::Form)?;
    let normalized_parameters = normalize_parameters(&collected);
    let base_string_uri = url.base_string_uri();
    let base_string = signature_base_string(request.method, &base_string_uri, &normalized_parameters);
    let signature = compute_signature(oauth.signature_method, &base_string, secrets)?;
    protocol.push(("oauth_signature".to_owned(), signature.clone()));
    // §3.5.1 by its own step, from the protocol parameters as collected: the fast paths write
    // the header their own way ([`header_with_signature`]), and the trace is what they are
    // held to.
    let pairs: Vec<(&[u8], &[u8])> = protocol.iter().map(|(name, value)| (name.as_bytes(), value.as_bytes())).collect();
    let authorization_header = build_authorization_header(oauth.realm, &pairs).map_err(SignError::Header)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast paths copy the defined protocol parameter names into the base string as they
    /// are, which is their §3.6 encoding only because they hold unreserved characters alone.
    #[test]
    fn defined_protocol_names_are_unreserved() {
        let oauth = OAuthParameters {
            consumer_key: "k",
            token: Some("t"),
            signature_method: SignatureMethod::HmacSha1,
            timestamp: Some("1"),
            nonce: Some("n"),
            version: Some("1.0"),
            realm: None,
            extra: &[],
            compute_body_hash: true,
        };
        let names: Vec<&str> = defined_protocol_pairs(&oauth, Some("h")).map(|(name, _)| name).collect();
        assert_eq!(names.len(), 7);
        // The base string's fast path pushes them in this order, which sorting must keep.
        let sorted = [BODY_HASH, CONSUMER_KEY, NONCE, SIGNATURE_METHOD, TIMESTAMP, TOKEN, VERSION].map(|d| d.name);
        assert!(sorted.is_sorted(), "{sorted:?}");
        let mut names_sorted = names.clone();
        names_sorted.sort_unstable();
        assert_eq!(names_sorted, sorted);
        for defined in [CONSUMER_KEY, TOKEN, SIGNATURE_METHOD, TIMESTAMP, NONCE, VERSION, BODY_HASH, SIGNATURE] {
            assert_eq!(defined.base_string_start, format!("%26{}%3D", defined.name).as_bytes());
            assert_eq!(defined.header_start, format!("{}=\"", defined.name).as_bytes());
            assert!(defined.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), "{}", defined.name);
        }
        for name in names {
            assert!(name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), "{name}");
        }
        // The base string copies a method's name without encoding it.
        for method in SignatureMethod::ALL {
            assert!(method.name().bytes().all(crate::encoding::is_unreserved), "{method}");
        }
    }
}
