//! RFC 5849 §3.2 "Verifying Requests", with the §3.3 timestamp and nonce checks as
//! pluggable policies.
//!
//! The verifier takes the current time as an argument and never reads a clock: it does no
//! I/O, so every verdict can be replayed.

use core::fmt;
use std::collections::{HashMap, HashSet};

use subtle::ConstantTimeEq as _;

use crate::base_string::signature_base_string;
use crate::body_hash::{body_hash, BodyHashAlgorithm, OAUTH_BODY_HASH};
use crate::header::{parse_authorization_header, HeaderError};
use crate::parameters::{
    body_is_signed_form, excluded_from_base_string, normalize_parameters, parse_form_urlencoded, Parameter,
    ParameterSource,
};
use crate::rsa_signature::{rsa_verify, RsaPublicKey};
use crate::sign::{compute_signature, is_http_method, Secrets};
use crate::signature::SignatureMethod;
use crate::uri::parse_request_url;

/// A received HTTP request.
#[derive(Debug, Clone, Copy)]
pub struct IncomingRequest<'a> {
    /// The request method.
    pub method: &'a str,
    /// The absolute request URL, as reconstructed from the request line and `Host`.
    pub url: &'a str,
    /// Every header field, in order; the `Authorization` field(s) among them.
    pub headers: &'a [(&'a str, &'a str)],
    /// The content type of the body (authoritative; a `Content-Type` entry in `headers` is
    /// not consulted).
    pub content_type: Option<&'a str>,
    /// The entity-body.
    pub body: Option<&'a [u8]>,
}

/// What the server knows about the client and token named in the request.
///
/// Its `Debug` never prints the secrets.
#[derive(Clone, Copy, Default)]
pub struct Credentials<'a> {
    /// The client shared-secret.
    pub consumer_secret: &'a str,
    /// The token shared-secret (empty when the request carries no token).
    pub token_secret: &'a str,
    /// The client's RSA public key, for the RSA methods.
    pub rsa_public_key: Option<&'a RsaPublicKey>,
}

impl fmt::Debug for Credentials<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("consumer_secret", &"<redacted>")
            .field("token_secret", &"<redacted>")
            .field("rsa_public_key", &self.rsa_public_key.is_some())
            .finish()
    }
}

/// Why a request was rejected. Each variant maps to one stable [`Rejection::reason`] code.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rejection {
    /// The OAuth Authorization header does not parse (§3.5.1).
    MalformedHeader(HeaderError),
    /// The URL, query or form body is malformed, or a protocol parameter has an impossible
    /// value (a non-numeric timestamp, non-UTF-8 octets).
    MalformedRequest(String),
    /// A required protocol parameter is absent (§3.1, §3.3).
    MissingParameter(&'static str),
    /// A protocol parameter appears twice (§3.1: each "MUST NOT appear more than once").
    DuplicateParameter(String),
    /// Protocol parameters were sent in more than one location (§3.5: "one and only one").
    ParameterInMultipleLocations(String),
    /// `oauth_version` present and not "1.0" (§3.1).
    UnsupportedVersion(String),
    /// An `oauth_signature_method` the server does not support (§3.2).
    UnsupportedSignatureMethod(String),
    /// The credentials needed by the method were not given (an RSA public key).
    MissingCredentials(&'static str),
    /// `oauth_timestamp` outside the accepted window (§3.3).
    TimestampOutOfWindow {
        /// The request's timestamp.
        timestamp: u64,
        /// The verifier's current time.
        now: u64,
    },
    /// The nonce/timestamp/credentials combination was used before (§3.3).
    NonceReplayed,
    /// `oauth_body_hash` does not match the body, or accompanies a form body.
    BodyHashMismatch,
    /// The recomputed signature differs (§3.2); the base string the verifier signed is kept
    /// so a client can diff it against its own.
    SignatureMismatch {
        /// The signature base string the verifier computed.
        base_string: String,
    },
}

impl Rejection {
    /// A stable snake_case code for reports and vectors (`expected.reason`).
    #[must_use]
    pub fn reason(&self) -> &'static str {
        match self {
            Self::MalformedHeader(_) => "malformed_header",
            Self::MalformedRequest(_) => "malformed_request",
            Self::MissingParameter(_) => "missing_parameter",
            Self::DuplicateParameter(_) => "duplicate_parameter",
            Self::ParameterInMultipleLocations(_) => "parameter_in_multiple_locations",
            Self::UnsupportedVersion(_) => "unsupported_version",
            Self::UnsupportedSignatureMethod(_) => "unsupported_signature_method",
            Self::MissingCredentials(_) => "missing_credentials",
            Self::TimestampOutOfWindow { .. } => "timestamp_out_of_window",
            Self::NonceReplayed => "nonce_replayed",
            Self::BodyHashMismatch => "body_hash_mismatch",
            Self::SignatureMismatch { .. } => "signature_mismatch",
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MalformedHeader(e) => write!(f, "malformed Authorization header: {e}"),
            Self::MalformedRequest(why) => write!(f, "malformed request: {why}"),
            Self::MissingParameter(name) => write!(f, "missing required parameter {name}"),
            Self::DuplicateParameter(name) => write!(f, "protocol parameter {name} appears more than once"),
            Self::ParameterInMultipleLocations(name) => {
                write!(f, "protocol parameters sent in more than one location ({name}); RFC 5849 §3.5 allows one")
            }
            Self::UnsupportedVersion(v) => write!(f, "oauth_version {v:?} is not \"1.0\""),
            Self::UnsupportedSignatureMethod(m) => write!(f, "unsupported signature method {m:?}"),
            Self::MissingCredentials(what) => write!(f, "the verifier was given no {what}"),
            Self::TimestampOutOfWindow { timestamp, now } => {
                write!(f, "oauth_timestamp {timestamp} is outside the accepted window around {now}")
            }
            Self::NonceReplayed => f.write_str("oauth_nonce was already used with this timestamp and credentials"),
            Self::BodyHashMismatch => f.write_str("oauth_body_hash does not match the entity-body"),
            Self::SignatureMismatch { base_string } => {
                write!(f, "signature mismatch; the verifier's signature base string is {base_string}")
            }
        }
    }
}

impl std::error::Error for Rejection {}

/// §3.3: which timestamps a server accepts.
pub trait TimestampPolicy {
    /// Whether a request stamped `timestamp` is acceptable at `now` (both Unix seconds).
    fn accepts(&self, timestamp: u64, now: u64) -> bool;
}

/// Accepts timestamps at most `past` seconds old and at most `future` seconds ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimestampWindow {
    /// Largest accepted age, in seconds.
    pub past: u64,
    /// Largest accepted clock skew into the future, in seconds.
    pub future: u64,
}

impl Default for TimestampWindow {
    /// ±300 seconds, the window most deployed servers use; RFC 5849 leaves it to the server.
    fn default() -> Self {
        Self { past: 300, future: 300 }
    }
}

impl TimestampPolicy for TimestampWindow {
    fn accepts(&self, timestamp: u64, now: u64) -> bool {
        timestamp.saturating_add(self.past) >= now && timestamp <= now.saturating_add(self.future)
    }
}

/// Accepts every timestamp: for replaying captured requests and for properties that must
/// not pass because of staleness.
#[derive(Debug, Clone, Copy, Default)]
pub struct AnyTimestamp;

impl TimestampPolicy for AnyTimestamp {
    fn accepts(&self, _timestamp: u64, _now: u64) -> bool {
        true
    }
}

/// §3.3: a nonce "MUST be unique across all requests with the same timestamp, client
/// credentials, and token combinations".
pub trait NonceStore {
    /// Records the combination; returns `false` if it was already recorded (a replay).
    fn check_and_record(&mut self, consumer_key: &str, token: Option<&str>, timestamp: u64, nonce: &str) -> bool;
}

/// Remembers every combination in memory.
#[derive(Debug, Clone, Default)]
pub struct InMemoryNonceStore {
    seen: HashSet<(String, Option<String>, u64, String)>,
}

impl InMemoryNonceStore {
    /// Forgets combinations older than `timestamp`; a server calls this with the oldest
    /// timestamp its window still accepts, so memory stays bounded.
    pub fn forget_before(&mut self, timestamp: u64) {
        self.seen.retain(|(_, _, t, _)| *t >= timestamp);
    }
}

impl NonceStore for InMemoryNonceStore {
    fn check_and_record(&mut self, consumer_key: &str, token: Option<&str>, timestamp: u64, nonce: &str) -> bool {
        self.seen.insert((consumer_key.to_owned(), token.map(str::to_owned), timestamp, nonce.to_owned()))
    }
}

/// Accepts every nonce.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoNonceCheck;

impl NonceStore for NoNonceCheck {
    fn check_and_record(&mut self, _: &str, _: Option<&str>, _: u64, _: &str) -> bool {
        true
    }
}

/// The protocol parameters of a received request (§3.1), as found in one location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedProtocolParameters {
    /// Where they travelled (§3.5).
    pub location: ParameterSource,
    /// `oauth_consumer_key`: what a server uses to look up the [`Credentials`].
    pub consumer_key: String,
    /// `oauth_token`.
    pub token: Option<String>,
    /// `oauth_signature_method`.
    pub signature_method: SignatureMethod,
    /// `oauth_signature`, decoded.
    pub signature: String,
    /// `oauth_timestamp`, parsed.
    pub timestamp: Option<u64>,
    /// `oauth_nonce`.
    pub nonce: Option<String>,
    /// `oauth_body_hash`.
    pub body_hash: Option<String>,
}

/// A request whose parameters have been parsed, before any check of its signature.
#[derive(Debug, Clone)]
pub struct ParsedRequest {
    /// The protocol parameters.
    pub protocol: ReceivedProtocolParameters,
    /// §3.4.1.3.1: the parameters that enter the base string, with their sources.
    pub collected_parameters: Vec<Parameter>,
    /// §3.4.1.1: the signature base string the verifier recomputes.
    pub signature_base_string: String,
}

/// Finds the OAuth `Authorization` field among `headers`: the name matches
/// case-insensitively (RFC 7230 §3.2) and the scheme is `OAuth` (case-insensitive, §3.5.1).
/// Fields with other schemes (`Basic`, `Bearer`) are not OAuth's and are ignored; two OAuth
/// fields are a malformed request.
fn oauth_authorization_field<'a>(headers: &[(&str, &'a str)]) -> Result<Option<&'a str>, Rejection> {
    let mut found = None;
    for &(name, value) in headers {
        let scheme = value.trim_start_matches([' ', '\t']).split([' ', '\t']).next().unwrap_or_default();
        if name.eq_ignore_ascii_case("authorization") && scheme.eq_ignore_ascii_case("oauth") {
            if found.is_some() {
                return Err(Rejection::MalformedRequest("more than one OAuth Authorization header".into()));
            }
            found = Some(value);
        }
    }
    Ok(found)
}

fn utf8(bytes: &[u8], name: &str) -> Result<String, Rejection> {
    String::from_utf8(bytes.to_vec()).map_err(|_| Rejection::MalformedRequest(format!("{name} is not UTF-8")))
}

/// Parses everything §3.2 needs from `request`: the parameters of every source, the
/// protocol parameters with their location checked (§3.5), and the signature base string.
pub fn parse_request(request: &IncomingRequest<'_>) -> Result<ParsedRequest, Rejection> {
    if !is_http_method(request.method) {
        return Err(Rejection::MalformedRequest("the HTTP method is not a token".into()));
    }
    let url = parse_request_url(request.url).map_err(|e| Rejection::MalformedRequest(e.to_string()))?;
    let mut all = match url.query {
        Some(query) => parse_form_urlencoded(query.as_bytes(), ParameterSource::Query)
            .map_err(|e| Rejection::MalformedRequest(e.to_string()))?,
        None => Vec::new(),
    };
    if let Some(field) = oauth_authorization_field(request.headers)? {
        let params = parse_authorization_header(field.as_bytes()).map_err(|e| match e {
            // §3.1: a protocol parameter "MUST NOT appear more than once", whatever the syntax.
            HeaderError::DuplicateParameter { name } if name.starts_with("oauth_") => {
                Rejection::DuplicateParameter(name)
            }
            other => Rejection::MalformedHeader(other),
        })?;
        all.extend(params.into_iter().map(|p| Parameter {
            name: p.name,
            value: p.value,
            source: ParameterSource::AuthorizationHeader,
        }));
    }
    if let (true, Some(body)) = (body_is_signed_form(request.content_type), request.body) {
        all.extend(
            parse_form_urlencoded(body, ParameterSource::Body)
                .map_err(|e| Rejection::MalformedRequest(e.to_string()))?,
        );
    }

    let protocol = find_protocol_parameters(&all)?;
    let collected: Vec<Parameter> = all.into_iter().filter(|p| !excluded_from_base_string(&p.name, p.source)).collect();
    let normalized = normalize_parameters(&collected);
    let base_string = signature_base_string(request.method, &url.base_string_uri(), &normalized);
    Ok(ParsedRequest { protocol, collected_parameters: collected, signature_base_string: base_string })
}

/// §3.5 and §3.1: the `oauth_*` parameters must all travel in one location, none twice, and
/// the required ones must be there.
///
/// Both checks are linear in the number of parameters (one hash map of names): a form body
/// may carry tens of thousands of `oauth_`-prefixed names, and a pairwise comparison of them
/// took seconds per request.
fn find_protocol_parameters(all: &[Parameter]) -> Result<ReceivedProtocolParameters, Rejection> {
    let protocol: Vec<&Parameter> = all.iter().filter(|p| p.name.starts_with(b"oauth_")).collect();
    // Per name: where it was first seen, and how often.
    let mut seen: HashMap<&[u8], (ParameterSource, usize)> = HashMap::with_capacity(protocol.len());
    let mut in_two_locations = None;
    for p in &protocol {
        let entry = seen.entry(p.name.as_slice()).or_insert((p.source, 0));
        entry.1 += 1;
        if entry.0 != p.source && in_two_locations.is_none() {
            in_two_locations = Some((&p.name, entry.0, p.source));
        }
    }
    if let Some((name, first, second)) = in_two_locations {
        let name = String::from_utf8_lossy(name);
        return Err(Rejection::ParameterInMultipleLocations(format!(
            "{name} in {} and in {}",
            location_name(first),
            location_name(second)
        )));
    }
    let location = protocol.first().map(|p| p.source);
    if protocol.iter().any(|p| Some(p.source) != location) {
        return Err(Rejection::ParameterInMultipleLocations(split_locations(&protocol)));
    }
    if let Some(p) = protocol.iter().find(|p| seen.get(p.name.as_slice()).is_some_and(|&(_, count)| count > 1)) {
        return Err(Rejection::DuplicateParameter(String::from_utf8_lossy(&p.name).into_owned()));
    }
    let find = |name: &'static str| -> Result<Option<String>, Rejection> {
        protocol.iter().find(|p| p.name == name.as_bytes()).map(|p| utf8(&p.value, name)).transpose()
    };
    let require = |name: &'static str| find(name)?.ok_or(Rejection::MissingParameter(name));

    let consumer_key = require("oauth_consumer_key")?;
    let method_name = require("oauth_signature_method")?;
    let signature = require("oauth_signature")?;
    let signature_method = SignatureMethod::from_name(&method_name)
        .map_err(|_| Rejection::UnsupportedSignatureMethod(method_name.clone()))?;
    let (timestamp, nonce) = if signature_method.requires_timestamp_and_nonce() {
        (Some(require("oauth_timestamp")?), Some(require("oauth_nonce")?))
    } else {
        (find("oauth_timestamp")?, find("oauth_nonce")?)
    };
    if let Some(version) = find("oauth_version")? {
        if version != "1.0" {
            return Err(Rejection::UnsupportedVersion(version));
        }
    }
    let timestamp = timestamp.map(|t| parse_timestamp(&t)).transpose()?;
    Ok(ReceivedProtocolParameters {
        location: location.unwrap_or(ParameterSource::AuthorizationHeader),
        consumer_key,
        token: find("oauth_token")?,
        signature_method,
        signature,
        timestamp,
        nonce,
        body_hash: find(OAUTH_BODY_HASH)?,
    })
}

/// A parameter location, as a message names it.
fn location_name(source: ParameterSource) -> &'static str {
    match source {
        ParameterSource::Query => "the query",
        ParameterSource::AuthorizationHeader => "the Authorization header",
        ParameterSource::Body => "the form body",
    }
}

/// Which protocol parameters travelled where, when no name travelled twice (say
/// `oauth_signature` in the query and the others in the header): the parameters of the
/// location that holds the fewest are named, the others' locations listed.
fn split_locations(protocol: &[&Parameter]) -> String {
    // At most three entries, in order of first appearance.
    let mut counts: Vec<(ParameterSource, usize)> = Vec::with_capacity(3);
    for p in protocol {
        match counts.iter_mut().find(|(source, _)| *source == p.source) {
            Some((_, count)) => *count += 1,
            None => counts.push((p.source, 1)),
        }
    }
    let Some(&(few, few_count)) = counts.iter().min_by_key(|&&(_, count)| count) else {
        return String::new();
    };
    let names: Vec<String> = protocol
        .iter()
        .filter(|p| p.source == few)
        .take(3)
        .map(|p| String::from_utf8_lossy(&p.name).into_owned())
        .collect();
    let more = if few_count > names.len() { ", …" } else { "" };
    let others: Vec<&str> =
        counts.iter().filter(|&&(source, _)| source != few).map(|&(source, _)| location_name(source)).collect();
    format!("{}{more} in {}, the others in {}", names.join(", "), location_name(few), others.join(" and "))
}

/// §3.3: "The timestamp value MUST be a positive integer" of seconds.
fn parse_timestamp(text: &str) -> Result<u64, Rejection> {
    let malformed = || Rejection::MalformedRequest(format!("oauth_timestamp {text:?} is not a positive integer"));
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed());
    }
    match text.parse::<u64>() {
        Ok(0) | Err(_) => Err(malformed()),
        Ok(value) => Ok(value),
    }
}

/// A verifier: §3.2's checks plus its timestamp and nonce policies.
#[derive(Debug, Clone, Default)]
pub struct Verifier<T = TimestampWindow, N = InMemoryNonceStore> {
    /// Which timestamps are accepted.
    pub timestamps: T,
    /// Which nonces were seen.
    pub nonces: N,
}

/// An accepted request.
#[derive(Debug, Clone)]
pub struct Verified {
    /// Its parsed parameters and base string.
    pub request: ParsedRequest,
}

impl<T: TimestampPolicy, N: NonceStore> Verifier<T, N> {
    /// A verifier with the given policies.
    pub fn new(timestamps: T, nonces: N) -> Self {
        Self { timestamps, nonces }
    }

    /// Verifies `request` at time `now` (Unix seconds), §3.2.
    ///
    /// Order: parse and check parameters (§3.1, §3.5); check the timestamp window (§3.3)
    /// before any cryptography, since it is cheap; check the body hash and the signature
    /// (constant time); only then record the nonce, so that forged requests cannot fill the
    /// nonce store. Timestamp and nonce checks apply to the HMAC and RSA methods; §3.3 lets
    /// PLAINTEXT omit both.
    pub fn verify(
        &mut self,
        request: &IncomingRequest<'_>,
        credentials: &Credentials<'_>,
        now: u64,
    ) -> Result<Verified, Rejection> {
        let parsed = parse_request(request)?;
        let protocol = &parsed.protocol;
        let method = protocol.signature_method;
        let replay_checked = method.requires_timestamp_and_nonce();
        if let (true, Some(timestamp)) = (replay_checked, protocol.timestamp) {
            if !self.timestamps.accepts(timestamp, now) {
                return Err(Rejection::TimestampOutOfWindow { timestamp, now });
            }
        }
        if let Some(sent) = &protocol.body_hash {
            let form = body_is_signed_form(request.content_type) && request.body.is_some();
            let expected = body_hash(BodyHashAlgorithm::for_method(method), request.body.unwrap_or_default());
            if form || !bool::from(expected.as_bytes().ct_eq(sent.as_bytes())) {
                return Err(Rejection::BodyHashMismatch);
            }
        }
        let valid = match method.rsa_hash() {
            Some(hash) => {
                let key = credentials.rsa_public_key.ok_or(Rejection::MissingCredentials("RSA public key"))?;
                rsa_verify(hash, key, parsed.signature_base_string.as_bytes(), &protocol.signature)
            }
            None => {
                let secrets = Secrets {
                    consumer_secret: credentials.consumer_secret,
                    token_secret: credentials.token_secret,
                    rsa_private_key: None,
                };
                let expected = compute_signature(method, &parsed.signature_base_string, &secrets)
                    .map_err(|e| Rejection::MalformedRequest(e.to_string()))?;
                bool::from(expected.as_bytes().ct_eq(protocol.signature.as_bytes()))
            }
        };
        if !valid {
            return Err(Rejection::SignatureMismatch { base_string: parsed.signature_base_string });
        }
        if let (true, Some(timestamp), Some(nonce)) = (replay_checked, protocol.timestamp, &protocol.nonce) {
            if !self.nonces.check_and_record(&protocol.consumer_key, protocol.token.as_deref(), timestamp, nonce) {
                return Err(Rejection::NonceReplayed);
            }
        }
        Ok(Verified { request: parsed })
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use hmac::{Hmac, Mac as _};

    use super::*;

    const URL: &str = "http://example.com/request";
    const FORM: &str = "application/x-www-form-urlencoded";

    fn verify_body(headers: &[(&str, &str)], url: &str, body: &str) -> Result<Verified, Rejection> {
        let request =
            IncomingRequest { method: "POST", url, headers, content_type: Some(FORM), body: Some(body.as_bytes()) };
        let credentials = Credentials { consumer_secret: "cs", token_secret: "", rsa_public_key: None };
        Verifier::new(AnyTimestamp, NoNonceCheck).verify(&request, &credentials, 0)
    }

    /// `n` distinct `oauth_`-prefixed extension parameters, `oauth_p00000=1&…`, sorted as
    /// §3.4.1.3.2 sorts them (zero-padded names of unreserved characters: byte order is
    /// numeric order).
    fn many_parameters(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("oauth_p{i:05}=1")).collect()
    }

    /// 80,000 `oauth_` parameters in a 1.2 MB form body, with the protocol parameters among
    /// them and an HMAC-SHA1 signature computed here from the RFC's rules (§3.4.1.1–§3.4.2,
    /// every name and value unreserved so encoding is the identity), not by the signer: the
    /// verifier accepts it; one parameter repeated is a duplicate (§3.1), named; the same
    /// body under an OAuth header is a second location (§3.5).
    #[test]
    fn eighty_thousand_protocol_parameters_are_checked_correctly() {
        let protocol = [
            "oauth_consumer_key=key",
            "oauth_nonce=n",
            "oauth_signature_method=HMAC-SHA1",
            "oauth_timestamp=137131200",
        ];
        let mut normalized: Vec<String> = many_parameters(80_000);
        normalized.extend(protocol.iter().map(|p| (*p).to_owned()));
        normalized.sort();
        let normalized = normalized.join("&");
        let base = format!(
            "POST&{}&{}",
            percent_encode_for_test(URL.as_bytes()),
            percent_encode_for_test(normalized.as_bytes())
        );
        let mut mac = Hmac::<sha1::Sha1>::new_from_slice(b"cs&").unwrap();
        mac.update(base.as_bytes());
        let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        let body = format!("{normalized}&oauth_signature={}", percent_encode_for_test(signature.as_bytes()));
        assert!(body.len() > 1_200_000, "{}", body.len());

        let verified = verify_body(&[], URL, &body).unwrap();
        assert_eq!(verified.request.signature_base_string, base);
        assert_eq!(verified.request.protocol.location, ParameterSource::Body);

        let repeated = format!("{body}&oauth_p00000=2");
        assert_eq!(verify_body(&[], URL, &repeated).unwrap_err(), Rejection::DuplicateParameter("oauth_p00000".into()));

        let header = [("Authorization", "OAuth oauth_consumer_key=\"key\"")];
        let Err(Rejection::ParameterInMultipleLocations(message)) = verify_body(&header, URL, &body) else {
            panic!("accepted protocol parameters in two locations");
        };
        assert_eq!(message, "oauth_consumer_key in the Authorization header and in the form body");
    }

    /// §3.6, written out for the test: unreserved octets as they are, others `%XX`.
    fn percent_encode_for_test(bytes: &[u8]) -> String {
        bytes
            .iter()
            .map(|&b| {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    }

    /// The rejection names the parameter that travelled where the others did not: the query
    /// carrying `oauth_signature` while the header carries the rest, not `oauth_consumer_key`
    /// (the header's first parameter, which is in one location only).
    #[test]
    fn a_split_across_locations_names_the_parameters_that_moved() {
        let header = [(
            "Authorization",
            "OAuth oauth_consumer_key=\"key\", oauth_signature_method=\"PLAINTEXT\", oauth_timestamp=\"1\", \
             oauth_nonce=\"n\"",
        )];
        let url = format!("{URL}?oauth_signature=cs%2526");
        let Err(Rejection::ParameterInMultipleLocations(message)) = verify_body(&header, &url, "a=1") else {
            panic!("accepted protocol parameters in two locations");
        };
        assert_eq!(message, "oauth_signature in the query, the others in the Authorization header");
        let rejection = Rejection::ParameterInMultipleLocations(message);
        assert!(rejection.to_string().contains("(oauth_signature in the query,"), "{rejection}");

        // An `oauth_`-prefixed extension in the query beside a complete header.
        let url = format!("{URL}?oauth_foo=bar");
        let header = [(
            "Authorization",
            "OAuth oauth_consumer_key=\"key\", oauth_signature_method=\"PLAINTEXT\", oauth_signature=\"cs%26\"",
        )];
        let Err(Rejection::ParameterInMultipleLocations(message)) = verify_body(&header, &url, "a=1") else {
            panic!("accepted protocol parameters in two locations");
        };
        assert_eq!(message, "oauth_foo in the query, the others in the Authorization header");
    }

    /// Of several repeated names, the one whose first occurrence comes first is named.
    #[test]
    fn the_first_repeated_name_is_named() {
        let body = "oauth_a=1&oauth_b=1&oauth_b=2&oauth_a=2";
        assert_eq!(verify_body(&[], URL, body).unwrap_err(), Rejection::DuplicateParameter("oauth_a".into()));
    }
}
