//! One captured request, checked: verification as `verify` does it (RFC 5849 §3.2, through the
//! live servers' shared path), the header as written (§3.5.1), the timestamp's unit and skew,
//! the nonce against every earlier request of the client, what was sent against what the case
//! asked for, and a redirect's re-sent request; on a signature mismatch, the diagnosis
//! ([`super::presend`]).

use std::collections::HashMap;

use oauth1_reference::parameters::{body_is_signed_form, parse_form_urlencoded, ParameterSource};
use oauth1_reference::uri::parse_request_url;
use oauth1_reference::verify::{
    parse_request, AnyTimestamp, InMemoryNonceStore, IncomingRequest, NoNonceCheck, ParsedRequest, Rejection,
    TimestampPolicy as _, TimestampWindow, Verifier,
};
use oauth1_wire::server::ReceivedRequest;

use super::header_syntax::{repaired, HeaderSyntax};
use super::presend::{diagnose_mismatch, Form, Mismatch};
use crate::live::credentials::Credentials;
use crate::live::received::{convert, lookup, ConvertError};
use crate::report::capture::{Check, Diagnosis, FailedCheck, IntendedRequest, WireQuirk};

/// What the analysis of one request needs besides the request.
pub(crate) struct RequestContext<'a> {
    pub(crate) credentials: &'a Credentials,
    /// The private key the clients sign RSA cases with, for quirk attribution.
    pub(crate) rsa_private_key_pem: Option<&'a str>,
    pub(crate) header_syntax: &'a dyn HeaderSyntax,
    /// Accepted timestamp skew either way, seconds.
    pub(crate) window: u64,
    /// The server's clock, Unix seconds.
    pub(crate) now: u64,
    /// This request's number among the client's requests.
    pub(crate) arrival: u64,
    /// What the case asked for (with `--exec`).
    pub(crate) intended: Option<&'a IntendedRequest>,
    /// For a request re-sent after a redirect: the first request's URL and Authorization.
    pub(crate) redirected_from: Option<&'a Origin>,
}

/// The first request of a redirect case.
#[derive(Debug, Clone)]
pub(crate) struct Origin {
    pub(crate) url: String,
    pub(crate) authorization: Option<String>,
}

/// What a client's requests have shown so far.
pub(crate) struct ClientState {
    /// §3.2 as `verify` checks it: a ±window timestamp policy and the nonces it accepted.
    verifier: Verifier<TimestampWindow, InMemoryNonceStore>,
    nonces: NonceLedger,
}

impl ClientState {
    pub(crate) fn new(window: u64) -> Self {
        Self {
            verifier: Verifier::new(TimestampWindow { past: window, future: window }, InMemoryNonceStore::default()),
            nonces: NonceLedger::default(),
        }
    }
}

/// Every nonce a client sent, whether or not its request verified (the verifier's store keeps
/// only accepted ones), with where it was first seen.
#[derive(Default)]
struct NonceLedger {
    seen: HashMap<(String, Option<String>, String), (u64, u64)>,
}

/// Nonces remembered per client; a flood beyond is not tracked (and said so).
const MAX_NONCES: usize = 100_000;

impl NonceLedger {
    /// The arrival and timestamp of an earlier request with this nonce, consumer and token.
    fn record(&mut self, key: (String, Option<String>, String), timestamp: u64, arrival: u64) -> Option<(u64, u64)> {
        if let Some(first) = self.seen.get(&key) {
            return Some(*first);
        }
        if self.seen.len() < MAX_NONCES {
            self.seen.insert(key, (arrival, timestamp));
        }
        None
    }
}

/// What the checks found.
#[derive(Debug, Default)]
pub(crate) struct Analysis {
    pub(crate) checks: Vec<FailedCheck>,
    pub(crate) diagnosis: Option<Diagnosis>,
    pub(crate) notes: Vec<String>,
    pub(crate) signature_base_string: Option<String>,
    /// The URL rebuilt from the request.
    pub(crate) url: Option<String>,
    /// The OAuth Authorization field as sent.
    pub(crate) authorization: Option<String>,
    /// The signature verified (on the header as sent, or once its syntax was undone).
    pub(crate) signature_ok: bool,
}

impl Analysis {
    fn fail(&mut self, check: Check, message: impl Into<String>) {
        if !self.checks.iter().any(|c| c.check == check) {
            self.checks.push(FailedCheck { check, message: message.into() });
        }
    }

    /// Sets the diagnosis unless one is already set (the first found is the strongest).
    fn diagnose(&mut self, diagnosis: Diagnosis) {
        if self.diagnosis.is_none() {
            self.diagnosis = Some(diagnosis);
        }
    }
}

/// The check a verifier rejection fails.
fn check_of(rejection: &Rejection) -> Check {
    match rejection {
        Rejection::MalformedHeader(_) => Check::HeaderSyntax,
        Rejection::UnsupportedVersion(_) => Check::OauthVersion,
        Rejection::UnsupportedSignatureMethod(_) => Check::SignatureMethod,
        Rejection::MissingCredentials(_) => Check::Credentials,
        Rejection::TimestampOutOfWindow { .. } => Check::TimestampSkew,
        Rejection::NonceReplayed => Check::NonceReused,
        Rejection::BodyHashMismatch => Check::BodyHash,
        Rejection::SignatureMismatch { .. } => Check::Signature,
        _ => Check::Parameters,
    }
}

/// Printable ASCII octets RFC 3986 allows nowhere in a path or query but that clients send
/// raw and servers accept (`a[]=1`, PHP and Rails bracket names).
const UNWISE: &[u8] = b"[]{}|\\^`\"<>";

/// `url` with each raw [`UNWISE`] octet of its path and query percent-encoded, when that makes
/// a URL the reference parses and it did not parse before.
pub(crate) fn unwise_octets_encoded(url: &str) -> Option<String> {
    if parse_request_url(url).is_ok() {
        return None;
    }
    let authority_end =
        url.find("://").map(|i| i + 3).and_then(|start| url.get(start..)?.find('/').map(|i| i + start))?;
    let (head, rest) = url.split_at(authority_end);
    let mut mapped = head.to_owned();
    for c in rest.chars() {
        match u8::try_from(c).ok().filter(|b| UNWISE.contains(b)) {
            Some(b) => mapped.push_str(&format!("%{b:02X}")),
            None => mapped.push(c),
        }
    }
    parse_request_url(&mapped).is_ok().then_some(mapped)
}

/// The OAuth Authorization field of `request`, as text.
fn oauth_authorization(request: &ReceivedRequest) -> Option<&str> {
    request
        .headers_named("authorization")
        .filter_map(|f| f.value_str())
        .find(|value| value.trim_start().get(..5).is_some_and(|s| s.eq_ignore_ascii_case("oauth")))
}

/// Checks `request`, updating what `state` remembers.
pub(crate) fn analyse(request: &ReceivedRequest, context: &RequestContext<'_>, state: &mut ClientState) -> Analysis {
    let mut analysis = Analysis::default();
    let converted = match convert(request, false) {
        Ok(converted) => converted,
        Err(e) => {
            let check = if e == ConvertError::AuthorizationNotUtf8 { Check::HeaderSyntax } else { Check::RequestUrl };
            analysis.fail(check, e.to_string());
            return analysis;
        }
    };
    let mut converted = converted;
    if let Some(mapped) = unwise_octets_encoded(&converted.url) {
        analysis.notes.push(format!(
            "the target holds octets RFC 3986 does not allow in a path or query (such as a raw `[`); they were read as their percent-encodings, as servers do: {mapped}"
        ));
        converted.url = mapped;
    }
    analysis.url = Some(converted.url.clone());
    let authorization = oauth_authorization(request);
    analysis.authorization = authorization.map(str::to_owned);
    let violations = authorization.map(|a| context.header_syntax.violations(a.as_bytes())).unwrap_or_default();
    if !violations.is_empty() {
        let described: Vec<String> = violations.iter().map(|v| v.describe()).collect();
        analysis.fail(
            Check::HeaderSyntax,
            format!("the Authorization header breaks RFC 5849 §3.5.1: {}", described.join("; ")),
        );
    }
    let repair = authorization.and_then(|a| repaired(a, &violations).map(|r| (a, r)));
    let headers: Vec<(&str, &str)> = converted
        .headers
        .iter()
        .map(|&(name, value)| match &repair {
            Some((original, fixed)) if value == *original => (name, fixed.as_str()),
            _ => (name, value),
        })
        .collect();
    let incoming = IncomingRequest { headers: &headers, ..converted.incoming(request) };
    let parsed = match parse_request(&incoming) {
        Ok(parsed) => parsed,
        Err(rejection) => {
            analysis.fail(check_of(&rejection), format!("{rejection}; the signature was not checked"));
            if let (Some(_), Rejection::DuplicateParameter(name)) = (context.redirected_from, &rejection) {
                analysis.fail(
                    Check::RedirectNotResigned,
                    format!("the header re-sent after the 307 repeats {name}: the client signed again on top of the first request's header (RFC 5849 §3.3, §3.4.1.2)"),
                );
                analysis.diagnose(Diagnosis::Wire { quirk: WireQuirk::ResendsSignatureOnRedirect, rewrite: None });
            }
            return analysis;
        }
    };
    if repair.is_some() {
        analysis.notes.push("the header parses once its separators are undone; the signature was checked so".into());
    }
    analysis.signature_base_string = Some(parsed.signature_base_string.clone());
    verify(request, &incoming, &parsed, context, state, &mut analysis);
    if let Some(origin) = context.redirected_from.filter(|o| o.authorization.is_some()) {
        if origin.authorization == analysis.authorization {
            analysis.fail(
                Check::RedirectNotResigned,
                "the Authorization header re-sent after the 307 is the first request's, byte for byte (RFC 5849 §3.3: a fresh nonce per request)",
            );
        }
    }
    timestamps(&parsed, context, &mut analysis);
    nonce(&parsed, context, state, &mut analysis);
    if let Some(intended) = context.intended {
        sent_as_intended(intended, &incoming, &mut analysis);
    }
    analysis
}

/// §3.2 as `verify` checks it (timestamp window, nonce store), and the signature alone.
fn verify(
    request: &ReceivedRequest,
    incoming: &IncomingRequest<'_>,
    parsed: &ParsedRequest,
    context: &RequestContext<'_>,
    state: &mut ClientState,
    analysis: &mut Analysis,
) {
    let known = match lookup(context.credentials, &parsed.protocol, |_| None) {
        Ok(known) => known,
        Err(e) => {
            analysis.fail(Check::Credentials, format!("{}; the signature was not checked", e.message()));
            return;
        }
    };
    let credentials = known.verifier_credentials();
    state.verifier.nonces.forget_before(context.now.saturating_sub(context.window));
    let policy = state.verifier.verify(incoming, &credentials, context.now);
    let alone = Verifier::new(AnyTimestamp, NoNonceCheck).verify(incoming, &credentials, context.now);
    match alone {
        Ok(_) => analysis.signature_ok = true,
        Err(Rejection::SignatureMismatch { .. }) => {
            let message = format!(
                "the {} signature sent does not match the one recomputed from the request as received (RFC 5849 §3.2)",
                parsed.protocol.signature_method.name()
            );
            analysis.fail(Check::Signature, message);
            let mismatch = Mismatch {
                received: Form::of(request, incoming),
                headers: incoming.headers,
                parsed,
                known: &known,
                rsa_private_key_pem: context.rsa_private_key_pem,
                intended: context.intended,
                redirected_from: context.redirected_from.map(|o| o.url.as_str()),
                local_port: request.local.port(),
            };
            let found = diagnose_mismatch(&mismatch);
            analysis.notes.extend(found.note);
            if let Some(diagnosis) = found.diagnosis {
                if matches!(&diagnosis, Diagnosis::SignedNotSent { quirk: WireQuirk::ResendsSignatureOnRedirect, .. }) {
                    analysis.fail(
                        Check::RedirectNotResigned,
                        "the request re-sent after the 307 carries the signature of the first URL (RFC 5849 §3.4.1.2)",
                    );
                }
                analysis.diagnose(diagnosis);
            }
        }
        Err(Rejection::BodyHashMismatch) if body_is_signed_form(incoming.content_type) && incoming.body.is_some() => {
            analysis.fail(
                Check::BodyHash,
                "oauth_body_hash accompanies a form-encoded body, which draft-eaton-oauth-bodyhash §3.1 forbids (such a body is signed as parameters): a content type set after signing?",
            );
        }
        Err(rejection) => analysis.fail(check_of(&rejection), rejection.to_string()),
    }
    if let Err(rejection) = policy {
        let check = check_of(&rejection);
        // The window and the nonce are judged below with more detail than the verifier's.
        if !matches!(check, Check::TimestampSkew | Check::NonceReused | Check::Signature) {
            analysis.fail(check, rejection.to_string());
        }
    }
}

/// §3.3: seconds, within the window of the server's clock (checked as the verifier does:
/// only for the methods that require a timestamp).
fn timestamps(parsed: &ParsedRequest, context: &RequestContext<'_>, analysis: &mut Analysis) {
    let protocol = &parsed.protocol;
    let Some(timestamp) = protocol.timestamp.filter(|_| protocol.signature_method.requires_timestamp_and_nonce())
    else {
        return;
    };
    let window = TimestampWindow { past: context.window, future: context.window };
    if window.accepts(timestamp, context.now) {
        return;
    }
    if timestamp >= 1_000_000_000_000 && window.accepts(timestamp / 1000, context.now) {
        analysis.fail(
            Check::TimestampUnit,
            format!(
                "oauth_timestamp {timestamp} is in milliseconds: {} s is within ±{} s of the server's clock {} (RFC 5849 §3.3: seconds)",
                timestamp / 1000,
                context.window,
                context.now
            ),
        );
        analysis.diagnose(Diagnosis::Wire { quirk: WireQuirk::TimestampInMilliseconds, rewrite: None });
        return;
    }
    let (distance, side) = if timestamp < context.now {
        (context.now - timestamp, "behind")
    } else {
        (timestamp - context.now, "ahead of")
    };
    analysis.fail(
        Check::TimestampSkew,
        format!(
            "oauth_timestamp {timestamp} is {distance} s {side} the server's clock {}; accepted ±{} s (RFC 5849 §3.3)",
            context.now, context.window
        ),
    );
}

/// §3.3: a nonce is unique for its timestamp and credentials; one sent again with another
/// timestamp is not replayed by the RFC's letter, but a nonce "uniquely generated" per
/// request is never seen twice, and servers that keep nonces for a while refuse it.
fn nonce(parsed: &ParsedRequest, context: &RequestContext<'_>, state: &mut ClientState, analysis: &mut Analysis) {
    let protocol = &parsed.protocol;
    let Some(nonce) = &protocol.nonce else { return };
    let timestamp = protocol.timestamp.unwrap_or_default();
    let key = (protocol.consumer_key.clone(), protocol.token.clone(), nonce.clone());
    let Some((first, first_timestamp)) = state.nonces.record(key, timestamp, context.arrival) else {
        return;
    };
    let message = if first_timestamp == timestamp {
        format!("oauth_nonce {nonce:?} with timestamp {timestamp} was sent before (request {first}): a replay, which RFC 5849 §3.3 requires servers to refuse")
    } else {
        format!("oauth_nonce {nonce:?} was sent before (request {first}, timestamp {first_timestamp}): the client does not generate a unique nonce per request (RFC 5849 §3.3)")
    };
    analysis.fail(Check::NonceReused, message);
    if context.redirected_from.is_none() {
        analysis.diagnose(Diagnosis::Wire { quirk: WireQuirk::RepeatsNonce, rewrite: None });
    }
}

/// The decoded parameters of a query or form body, in order.
fn pairs(text: &[u8]) -> Option<Vec<(Vec<u8>, Vec<u8>)>> {
    parse_form_urlencoded(text, ParameterSource::Query)
        .ok()
        .map(|ps| ps.into_iter().map(|p| (p.name, p.value)).collect())
}

/// What the case asked for against what arrived: a difference in what the parameters,
/// method or path mean fails; octets that decode to the same are noted.
fn sent_as_intended(intended: &IntendedRequest, incoming: &IncomingRequest<'_>, analysis: &mut Analysis) {
    let asked_url = unwise_octets_encoded(&intended.url).unwrap_or_else(|| intended.url.clone());
    let (Ok(asked), Ok(sent)) = (parse_request_url(&asked_url), parse_request_url(incoming.url)) else {
        return;
    };
    let mut differences = Vec::new();
    if intended.method != incoming.method {
        differences.push(format!("the method {} was sent as {}", intended.method, incoming.method));
    }
    let (asked_path, sent_path) = (asked.base_string_uri(), sent.base_string_uri());
    if asked.path != sent.path {
        if same_after_normalizing(asked.path, sent.path) || asked_path == sent_path {
            analysis.notes.push(format!("the path {:?} was sent as {:?} (equivalent)", asked.path, sent.path));
        } else {
            differences.push(format!("the path {:?} was sent as {:?}", asked.path, sent.path));
        }
    }
    compare_parameters(
        "query",
        asked.query.unwrap_or_default().as_bytes(),
        sent.query.unwrap_or_default().as_bytes(),
        analysis,
        &mut differences,
    );
    let asked_form = body_is_signed_form(intended.content_type.as_deref());
    let sent_form = body_is_signed_form(incoming.content_type);
    let asked_body = intended.body.as_deref().unwrap_or_default().as_bytes();
    let sent_body = incoming.body.unwrap_or_default();
    if asked_form != sent_form && !(asked_body.is_empty() && sent_body.is_empty()) {
        differences.push(format!(
            "the content type {:?} was sent as {:?}",
            intended.content_type.as_deref().unwrap_or("(none)"),
            incoming.content_type.unwrap_or("(none)")
        ));
    } else if intended.content_type.as_deref() != incoming.content_type {
        analysis.notes.push(format!(
            "the content type {:?} was sent as {:?}",
            intended.content_type.as_deref().unwrap_or("(none)"),
            incoming.content_type.unwrap_or("(none)")
        ));
    }
    if asked_form && sent_form {
        compare_parameters("form body", asked_body, sent_body, analysis, &mut differences);
    } else if asked_body != sent_body && asked_form == sent_form {
        differences.push(format!("the body ({} bytes) was sent as {} other bytes", asked_body.len(), sent_body.len()));
    }
    if !differences.is_empty() {
        analysis.fail(
            Check::SentAsIntended,
            format!("the request sent is not the one asked for: {}", differences.join("; ")),
        );
    }
}

fn compare_parameters(what: &str, asked: &[u8], sent: &[u8], analysis: &mut Analysis, differences: &mut Vec<String>) {
    if asked == sent {
        return;
    }
    let shown = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    match (pairs(asked), pairs(sent)) {
        (Some(a), Some(s)) if a == s => {
            analysis.notes.push(format!(
                "the {what} `{}` was sent as `{}` (the same parameters)",
                shown(asked),
                shown(sent)
            ));
        }
        (Some(mut a), Some(mut s)) => {
            a.sort();
            s.sort();
            if a == s {
                analysis.notes.push(format!("the {what} `{}` was sent reordered as `{}`", shown(asked), shown(sent)));
            } else {
                differences.push(format!("the {what} `{}` was sent as `{}`", shown(asked), shown(sent)));
            }
        }
        _ => differences.push(format!("the {what} `{}` was sent as `{}`", shown(asked), shown(sent))),
    }
}

/// Whether two paths are the same after RFC 3986 §6.2.2 normalisation: escapes of unreserved
/// characters decoded, hex digits uppercased.
fn same_after_normalizing(a: &str, b: &str) -> bool {
    normalize_escapes(a) == normalize_escapes(b)
}

fn normalize_escapes(path: &str) -> Vec<u8> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(octet)) if oauth1_reference::encoding::is_unreserved(octet) => {
                out.push(octet);
                i += 3;
            }
            (b'%', Some(octet)) => {
                out.extend_from_slice(format!("%{octet:02X}").as_bytes());
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}
