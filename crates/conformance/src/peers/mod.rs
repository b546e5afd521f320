//! Real OAuth 1.0 crates from crates.io, driven in-process as implementations under test.
//!
//! Each peer calls its crate the way that crate's documentation tells its users to; where the
//! crate leaves part of the job to the caller (splitting the URL, parsing a form body), the
//! peer does that part as a caller would and says so in its capability notes. A peer never
//! fixes up what the crate produces: the stages it reports are the crate's own output, or what
//! the crate fed to its signer, captured on the way.
//!
//! Versions are pinned in `Cargo.toml`; the version in each peer's [`ImplementationInfo`]
//! repeats the pin.
//!
//! [`ImplementationInfo`]: crate::implementation::ImplementationInfo

pub mod oauth1;
pub mod oauth1_client;
pub mod oauth1_header;
pub mod oauth1_request;
pub mod oauth_1a;
pub mod oauth_client;
pub mod reqwest_oauth1;
pub mod twapi_oauth;

use oauth1_vectors::{OAuthParams, SignRequest};

use crate::implementation::{
    Capabilities, HeaderParams, Implementation, ImplementationInfo, InProcess, Operation, Outcome, SignInput,
    VerifyInput,
};
use crate::limits::InputLimits;
use crate::trace::{Stage, Trace};

/// A peer's constructor.
type Constructor = fn() -> Box<dyn InProcess>;

/// Every peer, in report order: name and constructor.
const PEERS: [(&str, Constructor); 9] = [
    (oauth1_request::PARAMETER_LIST_NAME, || Box::new(oauth1_request::ParameterListPeer::default())),
    (oauth1_request::REQUEST_NAME, || Box::new(oauth1_request::RequestPeer::default())),
    (reqwest_oauth1::NAME, || Box::new(reqwest_oauth1::ReqwestOauth1::default())),
    (oauth_client::NAME, || Box::new(oauth_client::OauthClient::default())),
    (oauth_1a::NAME, || Box::new(oauth_1a::Oauth1a::default())),
    (oauth1::NAME, || Box::new(oauth1::peer())),
    (oauth1_header::NAME, || Box::new(oauth1_header::peer())),
    (oauth1_client::NAME, || Box::new(oauth1_client::peer())),
    (twapi_oauth::NAME, || Box::new(twapi_oauth::peer())),
];

/// Every in-process peer, in a stable order.
#[must_use]
pub fn all() -> Vec<Box<dyn Implementation>> {
    PEERS.iter().map(|(_, make)| Box::new(make()) as Box<dyn Implementation>).collect()
}

/// The peer called `name`, if there is one.
#[must_use]
pub fn by_name(name: &str) -> Option<Box<dyn Implementation>> {
    in_process_by_name(name).map(|peer| Box::new(peer) as Box<dyn Implementation>)
}

/// The peer called `name` as an [`InProcess`] implementation (what `serve` needs).
#[must_use]
pub fn in_process_by_name(name: &str) -> Option<Box<dyn InProcess>> {
    PEERS.iter().find(|(n, _)| *n == name).map(|(_, make)| make())
}

/// The names of every peer, in the order of [`all`].
#[must_use]
pub fn names() -> Vec<&'static str> {
    PEERS.iter().map(|(name, _)| *name).collect()
}

// ---------------------------------------------------------------------------------------------
// What a caller does around these crates: split the URL, parse query and form body, and read
// the crate's output. Written here once, so that every peer's caller behaves the same.

/// The refusal a peer returns for an input its crate has no way to express.
fn cannot_express<T>(what: &str) -> Outcome<T> {
    Outcome::Unsupported(format!("the crate cannot express {what}"))
}

/// A refusal by the crate itself, with its message.
fn refused<T>(message: String) -> Outcome<T> {
    Outcome::Rejected { reason: None, message }
}

/// The request URL without its query and fragment: what these crates take as the URI to sign.
fn url_without_query(url: &str) -> &str {
    let end = url.find(['?', '#']).unwrap_or(url.len());
    url.get(..end).unwrap_or(url)
}

/// The query of the request URL: after the first `?`, up to any `#`.
fn url_query(url: &str) -> Option<&str> {
    let without_fragment = url.split('#').next().unwrap_or(url);
    without_fragment.split_once('?').map(|(_, query)| query)
}

/// Whether a Content-Type names `application/x-www-form-urlencoded` (parameters such as a
/// charset ignored, the media type compared case-insensitively): the bodies a caller hands to
/// these crates as form parameters. Only spaces and tabs are trimmed (RFC 7230 §3.2.3 OWS),
/// as the reference trims them: a line feed or U+00A0 is no whitespace of a field value.
fn is_form(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|ct| {
        let media_type = ct.split(';').next().unwrap_or_default().trim_matches([' ', '\t']);
        media_type.eq_ignore_ascii_case("application/x-www-form-urlencoded")
    })
}

/// The form body of a request, if it has one a caller would pass as form parameters.
fn form_body(request: &SignRequest) -> Option<&str> {
    request.body.as_deref().filter(|_| is_form(request.content_type.as_deref()))
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// Percent-decodes `input` the lenient WHATWG way (what `url::form_urlencoded` does): a valid
/// `%XX` is decoded, anything else is kept as it is; with `plus_is_space`, `+` is a space.
fn percent_decode(input: &[u8], plus_is_space: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while let Some(&byte) = input.get(i) {
        let escape = match (
            byte,
            input.get(i + 1).copied().and_then(hex_value),
            input.get(i + 2).copied().and_then(hex_value),
        ) {
            (b'%', Some(high), Some(low)) => Some(high << 4 | low),
            _ => None,
        };
        match escape {
            Some(decoded) => {
                out.push(decoded);
                i += 3;
            }
            None => {
                out.push(if plus_is_space && byte == b'+' { b' ' } else { byte });
                i += 1;
            }
        }
    }
    out
}

/// `application/x-www-form-urlencoded` pairs, decoded to octets, in order, duplicates kept;
/// empty sequences carry no pair and a name without `=` has an empty value.
fn form_pairs(input: &str) -> Vec<(Vec<u8>, Vec<u8>)> {
    input
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(name.as_bytes(), true), percent_decode(value.as_bytes(), true))
        })
        .collect()
}

/// The request's parameters as a caller hands them to a crate: the query's pairs, then the
/// form body's, as octets.
fn request_pairs(request: &SignRequest) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut pairs = url_query(&request.url).map(form_pairs).unwrap_or_default();
    pairs.extend(form_body(request).map(form_pairs).unwrap_or_default());
    pairs
}

/// [`request_pairs`] as text, the way `url::form_urlencoded::parse` gives it to Rust users:
/// octets that are not UTF-8 become U+FFFD.
fn request_pairs_lossy(request: &SignRequest) -> Vec<(String, String)> {
    request_pairs(request)
        .into_iter()
        .map(|(name, value)| {
            (String::from_utf8_lossy(&name).into_owned(), String::from_utf8_lossy(&value).into_owned())
        })
        .collect()
}

/// RFC 5849 §3.6 / RFC 3986 percent-encoding: every octet but the unreserved ones, as `%XX`.
fn percent_encode(input: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(input.len() * 3);
    for &byte in input {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
    out
}

/// Percent-decodes text that a crate percent-encoded (a signature, a base string component).
fn decode_text(input: &str) -> String {
    String::from_utf8_lossy(&percent_decode(input.as_bytes(), false)).into_owned()
}

/// A trace built from the signature base string a crate signed (captured on its way to the
/// signer), the signature and the Authorization header it produced. The base string URI and
/// the normalized parameters are the base string's second and third `&`-separated components,
/// percent-decoded: what the crate put there, read back, not recomputed.
fn trace_from_base_string(base_string: String, signature: String, authorization_header: String) -> Trace {
    // A crate that leaves the method unencoded (quirk `method-not-encoded`) writes raw `&`s
    // before the URI, so the URI component is the first that starts with its (encoded) scheme.
    let starts: Vec<usize> = base_string.match_indices('&').map(|(at, _)| at + 1).collect();
    let uri_start = starts
        .iter()
        .copied()
        .find(|&start| base_string.get(start..start + 4).is_some_and(|s| s.eq_ignore_ascii_case("http")))
        .or_else(|| starts.first().copied());
    let mut parts = uri_start.and_then(|start| base_string.get(start..)).map(|rest| rest.splitn(2, '&'));
    let base_string_uri = parts.as_mut().and_then(Iterator::next).map(decode_text);
    let normalized_parameters = parts.as_mut().and_then(Iterator::next).map(decode_text);
    Trace {
        normalized_parameters,
        base_string_uri,
        signature_base_string: Some(base_string),
        signature: Some(signature),
        authorization_header: Some(authorization_header),
        ..Trace::default()
    }
}

/// The decoded value of parameter `name` in an Authorization header a crate produced, read with
/// the reference parser.
fn header_parameter(header: &str, name: &str) -> Result<String, String> {
    let params = oauth1_reference::header::parse_authorization_header(header.as_bytes())
        .map_err(|e| format!("the crate's Authorization header does not parse ({e}): {header}"))?;
    params
        .into_iter()
        .find(|p| p.name == name.as_bytes())
        .map(|p| String::from_utf8_lossy(&p.value).into_owned())
        .ok_or_else(|| format!("the crate's Authorization header has no {name}: {header}"))
}

// ---------------------------------------------------------------------------------------------
// Crates that choose their own nonce and timestamp (`emits_own_nonce_timestamp`).

/// What the capability notes of such a crate's peer say about how it is judged.
const OWN_NONCE_TIMESTAMP_NOTE: &str = "The crate chooses oauth_nonce and oauth_timestamp itself (random, and the \
     clock) and takes neither, so the peer reads the ones it sent back from its output and reports them with the \
     answer (emitted_nonce, emitted_timestamp); the harness then judges the answer against the reference signing \
     the case with those two values in place of the case's (emits_own_nonce_timestamp), every other input as the \
     case gives it. Cases that omit oauth_nonce or oauth_timestamp, or whose oauth_version is not 1.0, it cannot \
     express (it always sends the three).";

/// The peer of a crate that only signs, choosing its own nonce and timestamp, and whose
/// output is the signature and the Authorization header: its identity and its signer.
#[derive(Debug)]
pub struct OwnNonceSigner {
    info: ImplementationInfo,
    sign: fn(&SignInput<'_>) -> Outcome<Trace>,
}

impl OwnNonceSigner {
    /// The peer `name` of crate version `version`, signing with `methods` through `sign`;
    /// `notes` say how it is driven, and the note on the nonce and timestamp is added to them.
    fn new(
        name: &str,
        version: &str,
        methods: &[&str],
        (notes, limits): (&str, InputLimits),
        sign: fn(&SignInput<'_>) -> Outcome<Trace>,
    ) -> Self {
        let capabilities = Capabilities {
            operations: vec![Operation::Sign],
            signature_methods: methods.iter().map(|&m| m.to_owned()).collect(),
            stages: vec![Stage::Signature, Stage::AuthorizationHeader],
            can_omit_version: false,
            body_hash: false,
            reports_rejection_reasons: false,
            emits_own_nonce_timestamp: true,
            limits,
            notes: Some(format!("{notes} {OWN_NONCE_TIMESTAMP_NOTE}")),
        };
        let info =
            ImplementationInfo { name: name.into(), version: version.into(), language: "rust".into(), capabilities };
        Self { info, sign }
    }
}

impl InProcess for OwnNonceSigner {
    fn info(&self) -> &ImplementationInfo {
        &self.info
    }

    fn sign(&mut self, input: &SignInput<'_>) -> Outcome<Trace> {
        outside_fixed_protocol(input.oauth, &self.info.capabilities.signature_methods)
            .unwrap_or_else(|| (self.sign)(input))
    }

    fn parse_header(&mut self, _header: &str) -> Outcome<HeaderParams> {
        cannot_express("header parsing (the crate only signs)")
    }

    fn verify(&mut self, _input: &VerifyInput<'_>) -> Outcome<()> {
        cannot_express("verification (the crate only signs)")
    }
}

/// The refusal of a crate that signs only with `methods`, always sends `oauth_nonce`,
/// `oauth_timestamp` and `oauth_version=1.0`, and has no body hash, for a case outside that.
fn outside_fixed_protocol(oauth: &OAuthParams, methods: &[String]) -> Option<Outcome<Trace>> {
    if !methods.contains(&oauth.signature_method) {
        Some(cannot_express(&format!("signature method {}", oauth.signature_method)))
    } else if oauth.compute_body_hash {
        Some(cannot_express("oauth_body_hash"))
    } else if oauth.nonce.is_none() || oauth.timestamp.is_none() {
        Some(cannot_express("an omitted oauth_nonce or oauth_timestamp (the crate always sends both)"))
    } else if oauth.version.as_deref() != Some("1.0") {
        Some(cannot_express("an oauth_version other than 1.0, or none (the crate always sends 1.0)"))
    } else {
        None
    }
}

/// The parameters of an Authorization header a crate wrote, read as a lenient server would:
/// `,`-separated `name=value` pairs after the scheme, each value quoted or not, names and
/// values percent-decoded. Two of these crates write unquoted values, which §3.5.1 and the
/// reference parser refuse, yet their nonce and timestamp must still be read back.
fn sent_header_parameters(header: &str) -> Vec<(String, String)> {
    let list = header.strip_prefix("OAuth ").unwrap_or(header);
    list.split(',')
        .filter_map(|item| {
            let (name, value) = item.trim().split_once('=')?;
            let value = value.trim();
            let value = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(value);
            Some((decode_text(name.trim()), decode_text(value)))
        })
        .collect()
}

/// The trace of a crate that chose its own nonce and timestamp, from the protocol parameters
/// it sent (`sent`, read back from its header or its URL): the signature, the header, and the
/// `oauth_nonce` and `oauth_timestamp` the harness judges it with. A parameter sent twice is an
/// error, since it is then unclear which one a server would use.
fn own_nonce_timestamp_trace(sent: &[(String, String)], authorization_header: Option<String>) -> Outcome<Trace> {
    let only = |name: &str| -> Result<Option<String>, String> {
        match sent.iter().filter(|(n, _)| n == name).collect::<Vec<_>>().as_slice() {
            [] => Ok(None),
            [(_, value)] => Ok(Some(value.clone())),
            _ => Err(format!("the crate sent {name} more than once: {sent:?}")),
        }
    };
    let (signature, emitted_nonce, emitted_timestamp) =
        match (only("oauth_signature"), only("oauth_nonce"), only("oauth_timestamp")) {
            (Ok(Some(signature)), Ok(nonce), Ok(timestamp)) => (signature, nonce, timestamp),
            (Ok(None), _, _) => return Outcome::Error(format!("the crate sent no oauth_signature: {sent:?}")),
            (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return Outcome::Error(e),
        };
    Outcome::Answer(Trace {
        signature: Some(signature),
        authorization_header,
        emitted_nonce,
        emitted_timestamp,
        ..Trace::default()
    })
}

/// The RFC 5849 §3.4.1 example, the one request every peer's unit tests sign.
#[cfg(test)]
pub(crate) mod rfc_example {
    use oauth1_vectors::{OAuthParams, SignRequest, SignSecrets};

    /// The RFC's signature (errata 2550 corrected), without `oauth_version`.
    pub(crate) const SIGNATURE: &str = "r6/TJjbCOr97/+UU0NsvSne7s5g=";
    /// The signature of the same request with `oauth_version=1.0`.
    pub(crate) const SIGNATURE_WITH_VERSION: &str = "OB33pYjWAnf+xtOHN4Gmbdil168=";
    /// The RFC's signature base string, without `oauth_version`.
    pub(crate) const BASE_STRING: &str = "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7";

    pub(crate) fn request() -> SignRequest {
        SignRequest {
            method: "POST".into(),
            url: "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b".into(),
            content_type: Some("application/x-www-form-urlencoded".into()),
            body: Some("c2&a3=2+q".into()),
        }
    }

    pub(crate) fn oauth(version: Option<&str>) -> OAuthParams {
        OAuthParams {
            consumer_key: "9djdj82h48djs9d2".into(),
            token: Some("kkk9d7dh3k39sjv7".into()),
            signature_method: "HMAC-SHA1".into(),
            timestamp: Some("137131201".into()),
            nonce: Some("7d8f3e4a".into()),
            version: version.map(str::to_owned),
            realm: Some("Example".into()),
            extra: Vec::new(),
            compute_body_hash: false,
        }
    }

    /// Signs the RFC example with `peer`; a refusal fails the test.
    pub(crate) fn sign(peer: &mut dyn crate::implementation::InProcess, version: Option<&str>) -> crate::trace::Trace {
        let (request, oauth, secrets) = (request(), oauth(version), secrets());
        match peer.sign(&crate::implementation::SignInput { request: &request, oauth: &oauth, secrets: &secrets }) {
            crate::implementation::Outcome::Answer(trace) => trace,
            other => panic!("the §3.4.1 request was not signed: {other:?}"),
        }
    }

    /// [`request`] without the query's `a3=a`, so that no parameter name repeats.
    pub(crate) fn request_without_duplicate() -> SignRequest {
        SignRequest { url: "http://example.com/request?b5=%3D%253D&c%40=&a2=r%20b".into(), ..request() }
    }

    /// Signs `request` with the RFC example's parameters (`oauth_version=1.0`) by `peer`, which
    /// chooses its own nonce and timestamp, and returns its trace and the signature the
    /// reference computes for the same request with the nonce and timestamp the peer sent.
    pub(crate) fn sign_with_own_nonce(
        peer: &mut dyn crate::implementation::InProcess,
        request: &SignRequest,
    ) -> (crate::trace::Trace, Option<String>) {
        use crate::implementation::{InProcess, Outcome, SignInput};
        let (oauth, secrets) = (oauth(Some("1.0")), secrets());
        let Outcome::Answer(trace) = peer.sign(&SignInput { request, oauth: &oauth, secrets: &secrets }) else {
            panic!("{request:?} was not signed");
        };
        let oauth =
            OAuthParams { nonce: trace.emitted_nonce.clone(), timestamp: trace.emitted_timestamp.clone(), ..oauth };
        let input = SignInput { request, oauth: &oauth, secrets: &secrets };
        let Outcome::Answer(expected) = crate::reference_impl::Reference::default().sign(&input) else {
            panic!("the reference does not sign {request:?} with {oauth:?}");
        };
        (trace, expected.signature)
    }

    /// Checks what these crates' HashMaps do to the RFC example (a quirk, not an expected
    /// value): `a3=a` (query) and `a3=2 q` (body) collapse into one, so the signature differs
    /// from the reference's with the same nonce and timestamp, and agrees once no name repeats.
    /// Also checks that the timestamp it sent is the clock's and its nonce 32 random
    /// alphanumerics, as these crates make them.
    pub(crate) fn assert_collapses_duplicate(peer: &mut dyn crate::implementation::InProcess) {
        let (trace, reference) = sign_with_own_nonce(peer, &request());
        assert_ne!(trace.signature, reference);
        let timestamp = trace.emitted_timestamp.unwrap_or_default();
        assert!(timestamp.parse::<u64>().is_ok_and(|t| t > 1_700_000_000), "{timestamp}");
        let (trace, reference) = sign_with_own_nonce(peer, &request_without_duplicate());
        assert_eq!(trace.signature, reference);
        let nonce = trace.emitted_nonce.unwrap_or_default();
        assert!(nonce.len() == 32 && nonce.bytes().all(|b| b.is_ascii_alphanumeric()), "{nonce}");
    }

    /// Checks that `quirks`, and no subset of them missing one, reproduce what `peer` (a crate
    /// that chooses its own nonce and timestamp) answers to `request` and `oauth`: the quirk
    /// pipeline signs with the nonce and timestamp the crate sent, and its signature and header
    /// are compared with the crate's as attribution compares them.
    pub(crate) fn assert_quirks_reproduce(
        peer: &mut dyn crate::implementation::InProcess,
        (request, oauth, secrets): (&SignRequest, &OAuthParams, &SignSecrets),
        quirks: &[crate::quirks::Quirk],
    ) {
        use crate::implementation::{Outcome, SignInput};
        use crate::quirks::{reproduces, sign_with_quirks, QuirkSet};
        let Outcome::Answer(observed) = peer.sign(&SignInput { request, oauth, secrets }) else {
            panic!("{request:?} was not signed");
        };
        let oauth = OAuthParams {
            nonce: observed.emitted_nonce.clone(),
            timestamp: observed.emitted_timestamp.clone(),
            ..oauth.clone()
        };
        let input = SignInput { request, oauth: &oauth, secrets };
        let reproduced = |set: &[crate::quirks::Quirk]| {
            sign_with_quirks(&input, &QuirkSet::of(set)).is_ok_and(|trace| reproduces(&trace, &observed))
        };
        assert!(reproduced(quirks), "{quirks:?} do not reproduce {observed:?}");
        for (i, quirk) in quirks.iter().enumerate() {
            let without: Vec<_> = quirks.iter().enumerate().filter(|&(j, _)| j != i).map(|(_, &q)| q).collect();
            assert!(!reproduced(&without), "{observed:?} is reproduced without {quirk}");
        }
    }

    pub(crate) fn secrets() -> SignSecrets {
        SignSecrets {
            consumer_secret: Some("j49sk3j29djd".into()),
            token_secret: Some("dh893hdasih9".into()),
            rsa_private_key_pem: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    use super::*;
    use crate::case::{corpus_cases, Shard};
    use crate::runner::run_cases;

    #[test]
    fn names_are_unique_and_match_the_peers() {
        let names = names();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), names.len());
        for (name, peer) in names.iter().zip(all()) {
            assert_eq!(peer.info().name, *name);
            assert_eq!(by_name(name).map(|p| p.info().name.clone()).as_deref(), Some(*name));
            assert_eq!(peer.info().language, "rust");
        }
        assert!(by_name("no-such-peer").is_none());
    }

    #[test]
    fn caller_helpers_split_and_decode_like_a_form_parser() {
        let url = "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b#frag";
        assert_eq!(url_without_query(url), "http://example.com/request");
        assert_eq!(url_query(url), Some("b5=%3D%253D&a3=a&c%40=&a2=r%20b"));
        assert_eq!(url_query("http://example.com/#a?b"), None);
        assert_eq!(
            form_pairs("c2&a3=2+q&&x=%zz%4"),
            vec![(b"c2".to_vec(), Vec::new()), (b"a3".to_vec(), b"2 q".to_vec()), (b"x".to_vec(), b"%zz%4".to_vec()),]
        );
        assert_eq!(percent_encode("a b~%é".as_bytes()), "a%20b~%25%C3%A9");
        assert!(is_form(Some("Application/X-WWW-Form-URLencoded; charset=utf-8")));
        assert!(!is_form(Some("text/plain")));
        assert!(!is_form(None));
    }

    #[test]
    fn a_base_string_splits_into_its_stages() {
        let trace = trace_from_base_string(rfc_example::BASE_STRING.into(), "s".into(), "OAuth h".into());
        assert_eq!(trace.base_string_uri.as_deref(), Some("http://example.com/request"));
        assert_eq!(
            trace.normalized_parameters.as_deref(),
            Some(
                "a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2&oauth_nonce=7d8f3e4a&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201&oauth_token=kkk9d7dh3k39sjv7"
            )
        );
    }

    /// Runs the whole corpus against every peer and prints the counts per outcome (and the
    /// cases that did not pass), so that `cargo test -- --nocapture` shows where each crate
    /// stands. It checks only that every case got a result: the crates' divergences are
    /// findings, not test failures.
    #[test]
    fn every_peer_runs_the_corpus() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../vectors");
        let corpus = match oauth1_vectors::load_paths(&[dir]) {
            Ok(corpus) => corpus,
            Err(errors) => panic!("the corpus does not load: {errors:?}"),
        };
        let cases = corpus.cases().count();
        let planned = corpus_cases(&corpus, Shard::WHOLE);
        for mut peer in all() {
            let judged = run_cases(peer.as_mut(), &planned);
            assert_eq!(judged.len(), cases);
            let mut counts: BTreeMap<String, usize> = BTreeMap::new();
            for judged in &judged {
                *counts.entry(judged.verdict.outcome.name().to_owned()).or_default() += 1;
            }
            println!("{}: {counts:?}", peer.info().name);
            for (case, judged) in planned.iter().zip(&judged).filter(|(_, j)| j.verdict.outcome.is_divergence()) {
                let first = judged.verdict.first_differing_field().map(|f| f.name()).unwrap_or_default();
                let message = judged.verdict.message.as_deref().unwrap_or_default();
                println!("  {:?} {} {first} {message}", judged.verdict.outcome, case.case.id);
            }
        }
    }
}
