//! The `differential` target's input: a [`Record`] decoded into a signing request that the
//! reference accepts and `oauth1-request` can express, so that libFuzzer's byte mutations are
//! compared instead of skipped.
//!
//! Decoding is the identity on such requests, so a vector written as a record ([`encode`])
//! decodes to itself, and maps every other record onto one:
//!
//! | field | decoded as |
//! |---|---|
//! | `rsa_key N` | private key `N` (modulo their number) of [`rsa_keys`], key 0 for an RSA method without it; `rsa_private_key` is ignored: nearly every mutation of PEM bytes breaks them |
//! | `signature_method` | kept when the peer implements it (`HMAC-SHA1`, `PLAINTEXT`, `RSA-SHA1`), else one of those, chosen by the name's octets |
//! | `method` | its ALPHA, DIGIT and `-._~` characters (the peer does not §3.6-encode the others: `method-not-encoded`), `GET` if none |
//! | `url` | repaired where the reference's parser (§3.4.1.2, RFC 3986) points: `%` without two hex digits becomes `%25`, a disallowed character in the path or query is percent-encoded, a missing or other scheme becomes `http`, an authority without a valid host and port becomes `example.com` |
//! | `content_type` | its printable ASCII characters, spaces and tabs (a field value holds no CR, LF or other control character, RFC 7230 §3.2; the harness's glue for the peer trims more whitespace than the reference's optional whitespace) |
//! | `body` of a form | `%` without two hex digits becomes `%25` (§3.4.1.3.1 decodes it) |
//! | `timestamp` | its digits without leading zeros, at most 19 (the peer takes a non-zero `u64`); the RFC 5849 §1.2 example's if none |
//! | `nonce` | the §1.2 example's when absent (the peer always sends one) |
//! | `version` | omitted unless `1.0` |
//! | `extra` | only the first `oauth_callback` and the first `oauth_verifier` (the peer's builder has no others) |
//! | `token_secret` | dropped without a `token` (the peer takes both together) |
//! | `compute_body_hash` | off (the peer cannot send `oauth_body_hash`) |
//! | `realm` | dropped (the peer sends none, `omits-realm`; one with a control character cannot be quoted, §3.5.1) |

use std::sync::OnceLock;

use oauth1_reference::parameters::body_is_signed_form;
use oauth1_reference::signature::SignatureMethod;
use oauth1_reference::uri::{parse_request_url, UriError};
use oauth1_vectors::{CaseBody, SignCase, SignSecrets};

use crate::input::SignRecord;
use crate::record::Record;

/// The vector files whose `sign` cases carry RSA private keys: the keys the target signs with.
const KEY_SOURCES: [(&str, &str); 3] = [
    ("vectors/libraries-sign.json", include_str!("../../../vectors/libraries-sign.json")),
    ("vectors/oauth-net.json", include_str!("../../../vectors/oauth-net.json")),
    ("vectors/signature-methods.json", include_str!("../../../vectors/signature-methods.json")),
];

/// The signature methods both the reference and the peer implement.
const PEER_METHODS: [&str; 3] = ["HMAC-SHA1", "PLAINTEXT", "RSA-SHA1"];

/// RFC 5849 §1.2's `oauth_nonce` and `oauth_timestamp`, for a request that omits them.
const EXAMPLE_NONCE: &str = "7d8f3e4a";
const EXAMPLE_TIMESTAMP: &str = "137131201";

/// The most digits of a `u64` that always fit one.
const MAX_TIMESTAMP_DIGITS: usize = 19;

/// How many parser errors a URL is repaired at before it counts as refused.
const MAX_URL_REPAIRS: usize = 32;

/// The distinct RSA private keys of the vectors' `sign` cases, shortest (fastest) first.
///
/// # Panics
///
/// When a compiled-in vector file does not parse (a build of a broken tree).
pub fn rsa_keys() -> &'static [String] {
    static KEYS: OnceLock<Vec<String>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut keys: Vec<String> = KEY_SOURCES
            .iter()
            .flat_map(|(path, text)| {
                oauth1_vectors::parse_file(path, text).unwrap_or_else(|e| panic!("{path}: {e:?}")).cases
            })
            .filter_map(|case| match case.body {
                CaseBody::Sign(sign) => sign.secrets.rsa_private_key_pem,
                _ => None,
            })
            .collect();
        keys.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
        keys.dedup();
        keys
    })
}

/// A `sign` vector as a differential record: its record, with its key of [`rsa_keys`] given by
/// number instead of as PEM.
#[must_use]
pub fn encode(sign: &SignCase) -> Vec<u8> {
    let pem = sign.secrets.rsa_private_key_pem.as_ref();
    let index = pem.and_then(|pem| rsa_keys().iter().position(|key| key == pem));
    let secrets = SignSecrets { rsa_private_key_pem: None, ..sign.secrets.clone() };
    let mut record = Record::default();
    SignRecord::write(&mut record, &sign.request, &sign.oauth, &secrets);
    if let Some(index) = index {
        record.push("rsa_key", index.to_string().as_bytes());
    }
    record.to_bytes()
}

/// Reads `data` as a request the reference accepts and the peer can express (see the module
/// documentation); `None` when its URL cannot be repaired.
#[must_use]
pub fn decode(data: &[u8]) -> Option<SignRecord> {
    let record = Record::parse(data);
    let mut input = SignRecord::read(&record);
    let oauth = &mut input.oauth;
    if !PEER_METHODS.contains(&oauth.signature_method.as_str()) {
        let octets: usize = oauth.signature_method.bytes().map(usize::from).sum();
        oauth.signature_method = PEER_METHODS.get(octets % PEER_METHODS.len()).copied().unwrap_or_default().to_owned();
    }
    let rsa = SignatureMethod::from_name(&oauth.signature_method).is_ok_and(|m| m.rsa_hash().is_some());
    let chosen_key = record.text("rsa_key").map(|n| n.parse::<usize>().unwrap_or_default());
    let keys = rsa_keys();
    input.secrets.rsa_private_key_pem =
        chosen_key.or(rsa.then_some(0)).and_then(|index| keys.get(index % keys.len().max(1))).cloned();
    oauth.realm = None;
    oauth.timestamp = Some(canonical_timestamp(oauth.timestamp.as_deref().unwrap_or_default()));
    oauth.nonce.get_or_insert_with(|| EXAMPLE_NONCE.to_owned());
    oauth.version = oauth.version.take().filter(|v| v == "1.0");
    let mut seen = Vec::new();
    oauth.extra.retain(|(name, _)| {
        let first = ["oauth_callback", "oauth_verifier"].contains(&name.as_str()) && !seen.contains(name);
        seen.push(name.clone());
        first
    });
    if oauth.token.is_none() {
        input.secrets.token_secret = None;
    }
    oauth.compute_body_hash = false;
    let method: String =
        input.request.method.chars().filter(|c| c.is_ascii_alphanumeric() || "-._~".contains(*c)).collect();
    input.request.method = if method.is_empty() { "GET".to_owned() } else { method };
    input.request.url = accepted_url(&input.request.url)?;
    if let Some(content_type) = &mut input.request.content_type {
        content_type.retain(|c| c == ' ' || c == '\t' || c.is_ascii_graphic());
    }
    if body_is_signed_form(input.request.content_type.as_deref()) {
        let body = input.request.body.as_deref().map(escapes_repaired);
        input.body = body.as_ref().map(|b| b.as_bytes().to_vec());
        input.request.body = body;
    }
    Some(input)
}

/// The digits of `timestamp` as a non-zero `u64` in canonical form.
fn canonical_timestamp(timestamp: &str) -> String {
    let digits: String =
        timestamp.chars().filter(char::is_ascii_digit).skip_while(|&c| c == '0').take(MAX_TIMESTAMP_DIGITS).collect();
    if digits.is_empty() {
        EXAMPLE_TIMESTAMP.to_owned()
    } else {
        digits
    }
}

/// `text` with every `%` not followed by two hexadecimal digits written as `%25` (RFC 3986 §2.1).
fn escapes_repaired(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    for (at, c) in text.char_indices() {
        out.push(c);
        let escape = bytes.get(at + 1..at + 3);
        if c == '%' && !escape.is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)) {
            out.push_str("25");
        }
    }
    out
}

/// `url`, repaired at each error of the reference's parser until it parses.
fn accepted_url(url: &str) -> Option<String> {
    let mut url = escapes_repaired(url);
    for _ in 0..MAX_URL_REPAIRS {
        let Err(error) = parse_request_url(&url) else { return Some(url) };
        let authority = authority_range(&url);
        url = match error {
            UriError::NotAbsolute | UriError::UnsupportedScheme(_) => match url.split_once("://") {
                Some((_, rest)) => format!("http://{rest}"),
                None => format!("http://{url}"),
            },
            UriError::InvalidCharacter { position, .. }
                if !authority.as_ref().is_some_and(|a| a.contains(&position)) =>
            {
                percent_encoded_at(&url, position)?
            }
            UriError::EmptyHost
            | UriError::UnclosedIpLiteral
            | UriError::InvalidPort(_)
            | UriError::NonAsciiHost
            | UriError::InvalidCharacter { .. } => {
                let authority = authority?;
                format!("{}example.com{}", url.get(..authority.start)?, url.get(authority.end..)?)
            }
            _ => return None,
        };
    }
    None
}

/// The byte range of the authority of an absolute `url`: after `://`, up to `/`, `?` or `#`.
fn authority_range(url: &str) -> Option<std::ops::Range<usize>> {
    let start = url.find("://")? + 3;
    let length = url.get(start..)?.find(['/', '?', '#']).unwrap_or(url.len() - start);
    Some(start..start + length)
}

/// `url` with the character at byte `position` percent-encoded, octet by octet.
fn percent_encoded_at(url: &str, position: usize) -> Option<String> {
    let (start, c) = url.char_indices().take_while(|(at, _)| *at <= position).last()?;
    let mut utf8 = [0; 4];
    let escaped: String = c.encode_utf8(&mut utf8).bytes().map(|b| format!("%{b:02X}")).collect();
    Some(format!("{}{escaped}{}", url.get(..start)?, url.get(start + c.len_utf8()..)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_urls_are_repaired_where_the_parser_points() {
        let cases = [
            ("http://example.com/a b?c=%zz&d=\u{e9}|", "http://example.com/a%20b?c=%25zz&d=\u{e9}%7C"),
            ("example.com/p", "http://example.com/p"),
            ("ftp://h/p", "http://h/p"),
            ("http://:80/p?q", "http://example.com/p?q"),
            ("http://h:99999/p", "http://example.com/p"),
            ("http://[::1/p", "http://example.com/p"),
            ("http://h\u{e9}st/", "http://example.com/"),
            ("HTTPS://Example.COM:443/%7e?a=b#f", "HTTPS://Example.COM:443/%7e?a=b#f"),
        ];
        for (url, repaired) in cases {
            assert_eq!(accepted_url(url).as_deref(), Some(repaired), "{url}");
        }
    }

    #[test]
    fn mutated_fields_decode_to_what_both_sides_accept() {
        let input = decode(
            b"method G\"E T\nurl http://h/?a=%\nsignature_method HMAC-SHA7\ntimestamp 0012x3\nversion 2\n\
              extra oauth_callback=a\nextra oauth_callback=b\nextra oauth_x=c\ntoken_secret t\n\
              compute_body_hash true\nrsa_key 7\nrealm a\x00b\nrsa_private_key -----BEGIN\n\
              content_type \\napplication/x-www-form-urlencoded\xc2\xa0\n",
        )
        .expect("a repairable URL");
        assert_eq!(input.request.method, "GET");
        assert_eq!(input.request.url, "http://h/?a=%25");
        assert!(PEER_METHODS.contains(&input.oauth.signature_method.as_str()));
        assert_eq!(input.oauth.timestamp.as_deref(), Some("123"));
        assert_eq!(input.oauth.nonce.as_deref(), Some(EXAMPLE_NONCE));
        assert_eq!(input.oauth.version, None);
        assert_eq!(input.oauth.extra, vec![("oauth_callback".to_owned(), "a".to_owned())]);
        assert_eq!(input.secrets.token_secret, None);
        assert!(!input.oauth.compute_body_hash);
        assert_eq!(input.oauth.realm, None);
        assert_eq!(input.request.content_type.as_deref(), Some("application/x-www-form-urlencoded"));
        let keys = rsa_keys();
        assert_eq!(input.secrets.rsa_private_key_pem.as_ref(), keys.get(7 % keys.len()));
    }
}
