//! Property tests of the reference against RFC 5849's own invariants.
//!
//! Verification properties run with the timestamp and nonce policies switched off
//! ([`AnyTimestamp`], [`NoNonceCheck`]) and first assert that the unmutated request is
//! accepted, so no replay or staleness rejection can make them pass vacuously.

use oauth1_reference::encoding::{form_urldecode, percent_decode, percent_encode};
use oauth1_reference::header::build_authorization_header;
use oauth1_reference::parameters::{normalize_parameters, BaseStringParameters, Parameter, ParameterSource};
use oauth1_reference::sign::{
    authorization_header, sign, signature, OAuthParameters, Request, Secrets, SignError, Signature,
};
use oauth1_reference::signature::SignatureMethod;
use oauth1_reference::uri::{parse_request_url, UriError};
use oauth1_reference::verify::{parse_request, AnyTimestamp, Credentials, IncomingRequest, NoNonceCheck, Verifier};
use proptest::prelude::*;

/// Text drawn from the characters that break implementations: reserved and unreserved
/// ASCII, `+`, `%`, space, and non-ASCII (two-, three- and four-byte UTF-8).
fn tricky_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just('a'),
            Just('Z'),
            Just('0'),
            Just('-'),
            Just('.'),
            Just('_'),
            Just('~'),
            Just('+'),
            Just('%'),
            Just(' '),
            Just('&'),
            Just('='),
            Just('/'),
            Just('?'),
            Just('*'),
            Just('!'),
            Just('\''),
            Just('é'),
            Just('€'),
            Just('😀'),
        ],
        0..8,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    /// §3.6: the output holds only unreserved characters and `%` followed by two uppercase
    /// hexadecimal digits.
    #[test]
    fn encoding_output_is_unreserved_or_uppercase_escapes(input in proptest::collection::vec(any::<u8>(), 0..64)) {
        let encoded = percent_encode(&input);
        let bytes = encoded.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                prop_assert!(i + 3 <= bytes.len(), "{encoded}");
                let hex = &bytes[i + 1..i + 3];
                prop_assert!(hex.iter().all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(b)), "{encoded}");
                i += 3;
            } else {
                prop_assert!(bytes[i].is_ascii_alphanumeric() || b"-._~".contains(&bytes[i]), "{encoded}");
                i += 1;
            }
        }
    }

    /// decode(encode(x)) == x, for both decoders (the encoder never emits `+`).
    #[test]
    fn decode_inverts_encode(input in proptest::collection::vec(any::<u8>(), 0..64)) {
        let encoded = percent_encode(&input);
        prop_assert_eq!(&percent_decode(encoded.as_bytes()).unwrap(), &input);
        prop_assert_eq!(form_urldecode(encoded.as_bytes()).unwrap(), input);
    }

    /// §3.4.1.3.2 sorts, so the normalized string depends neither on the order of the
    /// parameters nor on the source each travelled in.
    #[test]
    fn normalization_ignores_order_and_source(
        pairs in proptest::collection::vec((tricky_text(), tricky_text(), 0u8..3), 0..10),
        seed in any::<u64>(),
    ) {
        let source = |s: u8| match s { 0 => ParameterSource::Query, 1 => ParameterSource::AuthorizationHeader, _ => ParameterSource::Body };
        let params: Vec<Parameter> = pairs.iter().map(|(n, v, s)| Parameter::new(n.as_bytes(), v.as_bytes(), source(*s))).collect();
        let mut moved: Vec<Parameter> = params.iter().map(|p| Parameter { source: source((p.name.len() % 3) as u8), ..p.clone() }).collect();
        // A deterministic shuffle from the seed.
        let mut state = seed | 1;
        for i in (1..moved.len()).rev() {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            moved.swap(i, (state % (i as u64 + 1)) as usize);
        }
        prop_assert_eq!(normalize_parameters(&params), normalize_parameters(&moved));
    }
}

/// A request shape the verification properties sign and mutate.
#[derive(Debug, Clone)]
struct Shape {
    method: &'static str,
    host: &'static str,
    path: String,
    query: Vec<(String, String)>,
    form: Option<Vec<(String, String)>>,
    other_body: Option<String>,
    token: bool,
    method_index: usize,
    realm: Option<&'static str>,
}

const SIGNATURE_METHODS: [SignatureMethod; 4] =
    [SignatureMethod::HmacSha1, SignatureMethod::HmacSha256, SignatureMethod::HmacSha512, SignatureMethod::Plaintext];

fn form_encode(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(n, v)| format!("{}={}", percent_encode(n.as_bytes()), percent_encode(v.as_bytes())))
        .collect::<Vec<_>>()
        .join("&")
}

impl Shape {
    fn url(&self) -> String {
        let mut url = format!("https://{}{}", self.host, self.path);
        if !self.query.is_empty() {
            url.push('?');
            url.push_str(&form_encode(&self.query));
        }
        url
    }

    fn body(&self) -> (Option<&'static str>, Option<String>) {
        match (&self.form, &self.other_body) {
            (Some(form), _) => (Some("application/x-www-form-urlencoded"), Some(form_encode(form))),
            (None, Some(body)) => (Some("application/json"), Some(body.clone())),
            (None, None) => (None, None),
        }
    }
}

fn shape() -> impl Strategy<Value = Shape> {
    let pairs = || proptest::collection::vec(("[a-z][a-z0-9_]{0,4}", tricky_text()), 0..4);
    (
        prop_oneof![Just("GET"), Just("POST"), Just("PUT")],
        prop_oneof![Just("api.example.com"), Just("API.Example.COM:8443"), Just("[2001:db8::1]")],
        proptest::collection::vec(
            prop_oneof![Just("a"), Just("b%2Fc"), Just("%C3%A9"), Just("x~y"), Just("r%20v")],
            0..3,
        )
        .prop_map(|segs| segs.iter().map(|s| format!("/{s}")).collect::<String>()),
        pairs(),
        proptest::option::of(pairs()),
        proptest::option::of("[ -~]{0,20}"),
        any::<bool>(),
        0..SIGNATURE_METHODS.len(),
        proptest::option::of(prop_oneof![Just("Example"), Just("http://sp.example.com/")]),
    )
        .prop_map(|(method, host, path, query, form, other_body, token, method_index, realm)| Shape {
            method,
            host,
            path,
            query,
            form,
            other_body,
            token,
            method_index,
            realm,
        })
}

/// The request as the client sends it: URL, Authorization header, content type, body.
struct Sent {
    method: String,
    url: String,
    header: String,
    content_type: Option<&'static str>,
    body: Option<String>,
    protocol: Vec<(String, String)>,
}

const CONSUMER_SECRET: &str = "kd94hf93&k423kf44";
const TOKEN_SECRET: &str = "pfkkd hi9sl3r4s00";

fn sign_shape(shape: &Shape) -> Sent {
    let url = shape.url();
    let (content_type, body) = shape.body();
    let request = Request { method: shape.method, url: &url, content_type, body: body.as_deref().map(str::as_bytes) };
    let oauth = OAuthParameters {
        consumer_key: "dpf43f3p2l4k3l03",
        token: shape.token.then_some("nnch734d00sl2jdk"),
        signature_method: SIGNATURE_METHODS[shape.method_index],
        timestamp: Some("1191242096"),
        nonce: Some("kllo9940pd9333jh"),
        version: Some("1.0"),
        realm: shape.realm,
        extra: &[],
        compute_body_hash: false,
    };
    let secrets = Secrets {
        consumer_secret: CONSUMER_SECRET,
        token_secret: if shape.token { TOKEN_SECRET } else { "" },
        rsa_private_key: None,
    };
    let trace = sign(&request, &oauth, &secrets).unwrap();
    Sent {
        method: shape.method.to_owned(),
        url,
        header: trace.authorization_header,
        content_type,
        body,
        protocol: trace.protocol_parameters,
    }
}

fn rebuild_header(sent: &Sent, realm: Option<&str>, protocol: &[(String, String)]) -> String {
    let pairs: Vec<(&[u8], &[u8])> = protocol.iter().map(|(n, v)| (n.as_bytes(), v.as_bytes())).collect();
    build_authorization_header(realm, &pairs).unwrap_or_else(|e| panic!("{e} for {}", sent.header))
}

/// Verifies `sent` with the given secrets, policies off.
fn accepted(sent: &Sent, consumer_secret: &str, token_secret: &str) -> bool {
    let headers = [("Authorization", sent.header.as_str())];
    let request = IncomingRequest {
        method: &sent.method,
        url: &sent.url,
        headers: &headers,
        content_type: sent.content_type,
        body: sent.body.as_deref().map(str::as_bytes),
    };
    let credentials = Credentials { consumer_secret, token_secret, rsa_public_key: None };
    Verifier::new(AnyTimestamp, NoNonceCheck).verify(&request, &credentials, 0).is_ok()
}

fn base_string(sent: &Sent) -> String {
    let headers = [("Authorization", sent.header.as_str())];
    let request = IncomingRequest {
        method: &sent.method,
        url: &sent.url,
        headers: &headers,
        content_type: sent.content_type,
        body: sent.body.as_deref().map(str::as_bytes),
    };
    parse_request(&request).unwrap().signature_base_string
}

/// One change to a sent request.
#[derive(Debug, Clone, Copy)]
enum Mutation {
    Method,
    Host,
    Path,
    QueryValue,
    FormValue,
    Timestamp,
    Nonce,
    ConsumerSecret,
    TokenSecret,
    Realm,
    QueryOrder,
    NonFormBody,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    use Mutation::*;
    prop_oneof![
        Just(Method),
        Just(Host),
        Just(Path),
        Just(QueryValue),
        Just(FormValue),
        Just(Timestamp),
        Just(Nonce),
        Just(ConsumerSecret),
        Just(TokenSecret),
        Just(Realm),
        Just(QueryOrder),
        Just(NonFormBody),
    ]
}

fn replace_protocol(sent: &Sent, name: &str, value: &str) -> Vec<(String, String)> {
    sent.protocol.iter().map(|(n, v)| (n.clone(), if n == name { value.to_owned() } else { v.clone() })).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// sign → verify round-trips; verification then fails exactly when a change alters the
    /// signature base string or the key (for PLAINTEXT, §3.4.4: only the key), and still
    /// succeeds for what the RFC does not sign: the realm, parameter order, and a non-form
    /// body without a body hash.
    #[test]
    fn verification_fails_exactly_when_base_string_or_key_changes(shape in shape(), mutation in mutation()) {
        let sent = sign_shape(&shape);
        let token_secret = if shape.token { TOKEN_SECRET } else { "" };
        prop_assert!(accepted(&sent, CONSUMER_SECRET, token_secret), "unmutated request rejected: {sent:?}", sent = sent.header);

        let mut mutated = Sent { method: sent.method.clone(), url: sent.url.clone(), header: sent.header.clone(), content_type: sent.content_type, body: sent.body.clone(), protocol: sent.protocol.clone() };
        let (mut consumer_secret, mut token) = (CONSUMER_SECRET.to_owned(), token_secret.to_owned());
        let mut mutated_shape = shape.clone();
        let mut reshaped = false;
        match mutation {
            Mutation::Method => mutated.method = if shape.method == "GET" { "DELETE".into() } else { "GET".into() },
            Mutation::Host => { mutated_shape.host = "api.example.org"; reshaped = true; }
            Mutation::Path => { mutated_shape.path.push_str("/x"); reshaped = true; }
            Mutation::QueryValue => { mutated_shape.query.push(("added".into(), "1".into())); reshaped = true; }
            Mutation::FormValue => {
                match &mut mutated_shape.form { Some(form) => form.push(("added".into(), "é".into())), None => mutated_shape.form = Some(vec![("a".into(), "b".into())]) }
                mutated_shape.other_body = None;
                reshaped = true;
            }
            Mutation::Timestamp => { let p = replace_protocol(&sent, "oauth_timestamp", "1191242097"); mutated.header = rebuild_header(&sent, shape.realm, &p); }
            Mutation::Nonce => { let p = replace_protocol(&sent, "oauth_nonce", "kllo9940pd9333jI"); mutated.header = rebuild_header(&sent, shape.realm, &p); }
            Mutation::ConsumerSecret => consumer_secret.push('x'),
            Mutation::TokenSecret => token.push('x'),
            Mutation::Realm => { mutated.header = rebuild_header(&sent, Some("Another realm"), &sent.protocol); }
            Mutation::QueryOrder => { mutated_shape.query.reverse(); reshaped = true; }
            Mutation::NonFormBody => {
                if shape.form.is_none() { mutated_shape.other_body = Some(format!("{}!", shape.other_body.clone().unwrap_or_default())); reshaped = true; }
            }
        }
        if reshaped {
            // The same signature and protocol parameters, on the changed request.
            let (content_type, body) = mutated_shape.body();
            mutated.url = mutated_shape.url();
            mutated.content_type = content_type;
            mutated.body = body;
        }
        let same_base_string = base_string(&sent) == base_string(&mutated);
        let same_key = consumer_secret == CONSUMER_SECRET && token == token_secret;
        let plaintext = SIGNATURE_METHODS[shape.method_index] == SignatureMethod::Plaintext;
        let should_accept = same_key && (plaintext || same_base_string);
        prop_assert_eq!(accepted(&mutated, &consumer_secret, &token), should_accept, "{:?}: base string same: {}", mutation, same_base_string);
        // The mutations the RFC signs really change the base string (else the property is vacuous for them).
        if matches!(mutation, Mutation::Method | Mutation::Host | Mutation::Path | Mutation::QueryValue | Mutation::FormValue | Mutation::Timestamp | Mutation::Nonce) {
            prop_assert!(!same_base_string, "{:?} left the base string unchanged", mutation);
        }
        if matches!(mutation, Mutation::Realm | Mutation::QueryOrder | Mutation::NonFormBody) {
            prop_assert!(same_base_string, "{:?} changed the base string", mutation);
        }
    }
}

/// Request URLs up to their query: the host's case, ports, userinfo, an IPv6 literal, an
/// escaped and a raw non-ASCII path, no path at all.
const URL_STARTS: [&str; 9] = [
    "https://api.example.com/p",
    "HTTP://Api.Example.COM:80/r%20v/X",
    "https://user:pw@[2001:DB8::1]:8443/a%2fB/\u{fc}",
    "http://example.com:8080",
    "https://example.com/~a-b_c.d/%7E",
    // Every character a host and a path may hold raw, an escape in the host (lowercased with
    // it), a port with a leading zero; then URLs that fail before their query.
    "http://h%4Fst.Ex!$&'()*+,;=ample:0443/!$&'()*+,;=:@/%41\u{20ac}",
    "http://x.example/a b",
    "http://x.example:99999/",
    "http://x.example/%4",
];

/// Pieces of raw form-urlencoded text: malformed escapes, `+`, separators, raw non-ASCII,
/// and the names the base string excludes. Some are no URI characters (a space, `"`, `<`, `|`, DEL, a tab), which a query may not hold
/// raw and a body may; `?` and `/` are URI characters a query may hold.
const RAW_FORM_PIECES: [&str; 23] = [
    "a",
    "B",
    "=",
    "&",
    "+",
    "~",
    "%",
    "%4",
    "%41",
    "%c3%a9",
    "%FF",
    "é",
    "oauth_signature",
    "realm",
    "oauth_token",
    " ",
    "\"",
    "<",
    "|",
    "\u{7f}",
    "\t",
    "?",
    "/",
];

fn raw_form_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(RAW_FORM_PIECES.to_vec()), 0..12)
        .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// `signature` and `authorization_header` take a shorter path than `sign` (decoding and
    /// re-encoding each parameter in one pass, sorting offsets into one buffer); they must give
    /// exactly the trace's stages, and the same error when there is one.
    #[test]
    fn fast_paths_agree_with_the_trace(
        url_start in proptest::sample::select(URL_STARTS.to_vec()),
        query in raw_form_text(),
        fragment in proptest::option::of(raw_form_text()),
        body in raw_form_text(),
        form in any::<bool>(),
        method_index in 0..SIGNATURE_METHODS.len(),
        realm in proptest::option::of(prop_oneof![Just("Example"), Just("a\u{1}b")]),
        extra in prop_oneof![Just(None), Just(Some(("oauth_callback", "http://c.example/?a=b c"))), Just(Some(("realm", "x"))), Just(Some(("oauth_signature", "s"))), Just(Some(("x y", "1")))],
        (token, nonce, version, compute_body_hash) in (proptest::option::of(tricky_text()), tricky_text(), proptest::option::of(Just("1.0")), any::<bool>()),
    ) {
        let url = match fragment {
            Some(fragment) => format!("{url_start}?{query}#{fragment}"),
            None => format!("{url_start}?{query}"),
        };
        let request = Request {
            method: "POST",
            url: &url,
            content_type: Some(if form { "application/x-www-form-urlencoded" } else { "text/plain" }),
            body: Some(body.as_bytes()),
        };
        let extra: Vec<(&str, &str)> = extra.into_iter().collect();
        let oauth = OAuthParameters {
            consumer_key: "dpf43f3p2l4k3l03",
            token: token.as_deref(),
            signature_method: SIGNATURE_METHODS[method_index],
            timestamp: Some("1191242096"),
            nonce: Some(&nonce),
            version,
            realm,
            extra: &extra,
            compute_body_hash,
        };
        let secrets = Secrets { consumer_secret: CONSUMER_SECRET, token_secret: TOKEN_SECRET, rsa_private_key: None };
        let fast = signature(&request, &oauth, &secrets);
        let header = authorization_header(&request, &oauth, &secrets);
        match sign(&request, &oauth, &secrets) {
            Ok(trace) => {
                prop_assert_eq!(header, Ok(trace.authorization_header));
                prop_assert_eq!(
                    fast,
                    Ok(Signature { signature_base_string: trace.signature_base_string, signature: trace.signature })
                );
            }
            Err(error) => {
                prop_assert_eq!(header, Err(error.clone()));
                // The header's own errors (the realm) come after the signature.
                if !matches!(error, SignError::Header(_)) {
                    prop_assert_eq!(fast, Err(error));
                }
            }
        }
    }
}

/// Pieces of request URLs: the delimiters of RFC 3986 §3, in and out of place, and what may
/// sit between them.
const URL_PIECES: [&str; 22] = [
    "http", "HTTPS", "ftp", "://", ":", "/", "?", "#", "@", "a", "B", "%41", "%4", "[::1]", ":80", " ", "é", "&=", "~",
    "$", ":443", "%7e",
];

proptest! {
    /// `parse_request_url` finds the parts in one pass; they must be those that splitting the
    /// URL delimiter by delimiter gives (RFC 3986 §3): the scheme before the first `://`, the
    /// authority up to the first `/`, `?` or `#`, the fragment from the first `#` after it
    /// dropped, and the query after the first `?` before that.
    #[test]
    fn url_parts_are_those_of_splitting_at_each_delimiter(
        start in proptest::sample::select(vec!["", "http://", "HTTPS://h", "http://h/p"]),
        pieces in proptest::collection::vec(proptest::sample::select(URL_PIECES.to_vec()), 0..10),
    ) {
        let url = format!("{start}{}", pieces.concat());
        match (parse_request_url(&url), url.split_once("://")) {
            (Ok(parsed), Some((scheme, rest))) => {
                prop_assert!(scheme.eq_ignore_ascii_case(parsed.scheme), "{}", url);
                let after_authority = &rest[rest.find(['/', '?', '#']).unwrap_or(rest.len())..];
                let before_fragment = after_authority.split_once('#').map_or(after_authority, |(before, _)| before);
                let (path, query) = match before_fragment.split_once('?') {
                    Some((path, query)) => (path, Some(query)),
                    None => (before_fragment, None),
                };
                prop_assert_eq!(parsed.path, path, "{}", url);
                prop_assert_eq!(parsed.query, query, "{}", url);
            }
            (Ok(_), None) => prop_assert!(false, "{} parsed without `://`", url),
            (Err(UriError::NotAbsolute), Some((scheme, _))) => {
                let valid_scheme = !scheme.is_empty() && scheme.bytes().all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b));
                prop_assert!(!valid_scheme, "{} has the scheme {:?}", url, scheme);
            }
            (Err(_), _) => {}
        }
    }
}

proptest! {
    /// The signature base string writes the base string URI in pieces of its own (the scheme
    /// and `://` as one constant, the host whole, the path in one pass); they must be the
    /// §3.4.1.2 URI percent-encoded, as §3.4.1.1 step 3 puts it.
    #[test]
    fn encoded_base_string_uri_is_the_uri_percent_encoded(
        start in proptest::sample::select(vec!["http://", "HTTPS://h", "http://H%4fst.Ex:0443/p", "https://[::A]:443"]),
        pieces in proptest::collection::vec(proptest::sample::select(URL_PIECES.to_vec()), 0..10),
    ) {
        let url = format!("{start}{}", pieces.concat());
        if let Ok(parsed) = parse_request_url(&url) {
            let mut encoded = Vec::new();
            parsed.push_encoded_base_string_uri(&mut encoded);
            prop_assert_eq!(String::from_utf8(encoded).unwrap(), percent_encode(parsed.base_string_uri().as_bytes()), "{}", url);
        }
    }
}

/// Pieces of parameter names for the many-parameter property: names that share their first
/// eight or sixteen octets and differ only after them (the fast path sorts on an eight-octet
/// prefix before whole names), names of exactly 8, 16 and 17 octets, an empty name, escapes of octets that are no
/// UTF-8 (`%FF`, `%80`) or zero (`%00`), `+`, the protocol names, and names that sort among
/// them (the fast path places the protocol parameters as one run when none does).
const NAME_PIECES: [&str; 21] = [
    "oauth_nonce",
    "oauth_consumer_key",
    "oauth_timestamp",
    "oauth_d",
    "oauth_z",
    "field000",
    "field00000000000",
    "field000000000001",
    "field000000000002",
    "a",
    "",
    "%FF",
    "%80",
    "%00",
    "+",
    "~",
    "oauth_",
    "oauth_token",
    "oauth_signature",
    "realm",
    "%C3%A9",
];

/// Raw octets of a form body, non-UTF-8 ones included: the body is octets, and §3.4.1.3.1
/// signs them as its parameters, so raw `0xFF` or `0x80` must come out as `%25FF`, `%2580`.
const BODY_OCTETS: [u8; 12] = [b'a', b'=', b'&', b'+', b'%', b'2', b'F', 0xFF, 0x80, 0x00, b' ', b'~'];

/// An RSA key for the RSA methods: the first of the corpus's signature-method cases.
fn rsa_private_key() -> oauth1_reference::rsa_signature::RsaPrivateKey {
    let corpus = include_str!("../../../vectors/signature-methods.json");
    let field = "\"rsa_private_key_pem\": \"";
    let start = corpus.find(&format!("{field}-----BEGIN")).expect("the corpus has an RSA key") + field.len();
    let end = corpus[start..].find("-----END RSA PRIVATE KEY-----").expect("the key ends") + start;
    let pem = corpus[start..end].replace("\\n", "\n") + "-----END RSA PRIVATE KEY-----\n";
    oauth1_reference::rsa_signature::RsaPrivateKey::from_pem(&pem).expect("the corpus's RSA key loads")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The fast paths against the trace on hostile parameter lists: up to 300 query and 300
    /// body parameters whose names repeat and share long prefixes, raw non-UTF-8 octets in the
    /// body, protocol parameter values that need encoding, an `oauth_body_hash` asked for,
    /// and every signature method, RSA included.
    #[test]
    fn fast_paths_agree_with_the_trace_on_many_parameters(
        query in proptest::collection::vec((proptest::sample::select(NAME_PIECES.to_vec()), tricky_text()), 0..300),
        body in proptest::collection::vec(proptest::sample::select(BODY_OCTETS.to_vec()), 0..600),
        form in any::<bool>(),
        method in proptest::sample::select(SignatureMethod::ALL.to_vec()),
        (consumer_key, timestamp, nonce, version) in (tricky_text(), tricky_text(), tricky_text(), proptest::option::of(tricky_text())),
        (token, token_secret) in (proptest::option::of(tricky_text()), tricky_text()),
        compute_body_hash in any::<bool>(),
        realm in proptest::option::of(tricky_text()),
    ) {
        let query = query
            .iter()
            .map(|(name, value)| format!("{name}={}", percent_encode(value.as_bytes())))
            .collect::<Vec<_>>()
            .join("&");
        let url = format!("https://api.example.com/p?{query}");
        let request = Request {
            method: "POST",
            url: &url,
            content_type: Some(if form { "application/x-www-form-urlencoded" } else { "application/octet-stream" }),
            body: Some(&body),
        };
        let oauth = OAuthParameters {
            consumer_key: &consumer_key,
            token: token.as_deref(),
            signature_method: method,
            timestamp: Some(&timestamp),
            nonce: Some(&nonce),
            version: version.as_deref(),
            realm: realm.as_deref(),
            extra: &[],
            compute_body_hash,
        };
        let key = method.rsa_hash().map(|_| rsa_private_key());
        let secrets = Secrets { consumer_secret: CONSUMER_SECRET, token_secret: &token_secret, rsa_private_key: key.as_ref() };
        let fast = signature(&request, &oauth, &secrets);
        let header = authorization_header(&request, &oauth, &secrets);
        match sign(&request, &oauth, &secrets) {
            Ok(trace) => {
                prop_assert_eq!(header, Ok(trace.authorization_header));
                prop_assert_eq!(
                    fast,
                    Ok(Signature { signature_base_string: trace.signature_base_string, signature: trace.signature })
                );
            }
            Err(error) => {
                prop_assert_eq!(header, Err(error.clone()));
                if !matches!(error, SignError::Header(_)) {
                    prop_assert_eq!(fast, Err(error));
                }
            }
        }
    }
}

/// Short names and values, mostly unreserved, so that the sorted pairs are pieces of every
/// length around sixteen octets, and an escape now and then.
fn short_text() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a-c0-2~]{0,14}(%| |é)?[a-c]{0,3}").expect("a valid pattern")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// `BaseStringParameters` copies each run of sorted pairs as a sixteen-octet move cut short
    /// when it is at most sixteen octets long and sixteen can be read, pieces near the end of
    /// its text as they are: the pieces, in whatever order and sources the pairs come, must
    /// join into the normalized string (§3.4.1.3.2, step by step) encoded once more (§3.4.1.1
    /// step 5), and `signature` must give the trace's base string.
    #[test]
    fn normalized_pieces_of_every_short_length_are_copied_exactly(
        query in proptest::collection::vec((short_text(), short_text()), 0..12),
        form in proptest::collection::vec((short_text(), short_text()), 0..6),
    ) {
        let mut parameters = BaseStringParameters::with_capacity(0, 0);
        let mut collected = Vec::new();
        for (name, value) in query.iter().chain(&form) {
            parameters.push(name.as_bytes(), value.as_bytes());
            collected.push(Parameter::new(name.as_bytes(), value.as_bytes(), ParameterSource::Query));
        }
        let mut out = b"POST&".to_vec();
        let mut pieces = Vec::new();
        parameters.push_normalized_encoded(&mut out, &mut |written: &[u8]| pieces.push(written.to_vec()));
        let expected = format!("POST&{}", percent_encode(normalize_parameters(&collected).as_bytes()));
        // What a MAC is fed: ever longer prefixes of the output, the last one all of it.
        prop_assert!(pieces.iter().all(|piece| out.starts_with(piece)));
        prop_assert!(pieces.windows(2).all(|two| two[0].len() < two[1].len()));
        prop_assert_eq!(pieces.last().map_or(b"POST&".len(), Vec::len), out.len());
        prop_assert_eq!(String::from_utf8(out).ok(), Some(expected));

        let encode = |pairs: &[(String, String)]| {
            pairs.iter().map(|(n, v)| format!("{}={}", percent_encode(n.as_bytes()), percent_encode(v.as_bytes()))).collect::<Vec<_>>().join("&")
        };
        let url = format!("http://example.com/p?{}", encode(&query));
        let body = encode(&form);
        let request = Request {
            method: "POST",
            url: &url,
            content_type: Some("application/x-www-form-urlencoded"),
            body: Some(body.as_bytes()),
        };
        let oauth = OAuthParameters {
            consumer_key: "k",
            token: None,
            signature_method: SignatureMethod::HmacSha1,
            timestamp: Some("1"),
            nonce: Some("n"),
            version: None,
            realm: None,
            extra: &[],
            compute_body_hash: false,
        };
        let secrets = Secrets { consumer_secret: "c", token_secret: "", rsa_private_key: None };
        let trace = sign(&request, &oauth, &secrets).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let fast = signature(&request, &oauth, &secrets).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(fast.signature_base_string, trace.signature_base_string);
        prop_assert_eq!(fast.signature, trace.signature);
    }
}
