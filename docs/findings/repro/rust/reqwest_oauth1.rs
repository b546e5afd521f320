//! Standalone reproductions of the findings of the reqwest-oauth1 crate (0.3.0,
//! docs/findings/reqwest-oauth1/): as its documentation drives it,
//! `reqwest::Client::oauth1_with_params(Secrets, OAuthParameters)` (nonce, timestamp, version,
//! callback, verifier, realm set on `OAuthParameters`), `.request(method, url)`, `.form(&pairs)` for
//! a form body, then `generate_signature()` and `build()`: the request is built, never sent; the
//! signature is read back from its Authorization header (for a finding that shows in the header
//! alone, how the header writes the parameter `parameter`), on each finding's smallest input.
//!
//! The live-client findings (`clients/reqwest-oauth1/CASE`) are in `reqwest_oauth1_live.rs`.
//!
//! Usage: cargo run -p oauth1-conformance --example repro_reqwest_oauth1 -- FINDING
use std::process::ExitCode;

#[path = "reqwest_oauth1_live.rs"]
mod live;
#[path = "own_nonce.rs"]
#[expect(dead_code, reason = "request_pairs and url_without_query serve the own-nonce crates' reproductions")]
mod own_nonce;

use oauth1_request_03::signature_method::{HmacSha1, Plaintext, SignatureMethod};
use reqwest_oauth1::{OAuthClientProvider, OAuthParameters, Secrets};
use serde_json::Value;

/// Per finding: the vector (id and file), its request, the stage compared, RFC 5849's value as
/// the vector publishes it ("rfc"), and the value the dossier documents ("documented").
/// `ignores-form-body-with-query` and `collapses-duplicates-last-wins` share their smallest input,
/// on which both give the same value (the query's `a=1` alone is signed); the live
/// `clients/reqwest-oauth1/form-and-query` shows the first without the second.
const FINDINGS: &str = r####"[
 {
  "finding": "collapses-duplicates-last-wins",
  "vector": "edge-same-name-query-and-body",
  "file": "vectors/edge-cases.json",
  "stage": "signature",
  "request": {
   "method": "POST",
   "url": "https://example.com/r?a=1",
   "content_type": "application/x-www-form-urlencoded",
   "body": "a=2&a=1"
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1191242096",
   "nonce": "kllo9940pd9333jh",
   "version": null,
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "Oo6lSFA3VvTPEtavnS7JhGkK7MQ=",
  "documented": "I5NehKIqUWFLNABWSOkaugDUYfo="
 },
 {
  "finding": "ignores-form-body-with-query",
  "vector": "edge-same-name-query-and-body",
  "file": "vectors/edge-cases.json",
  "stage": "signature",
  "request": {
   "method": "POST",
   "url": "https://example.com/r?a=1",
   "content_type": "application/x-www-form-urlencoded",
   "body": "a=2&a=1"
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1191242096",
   "nonce": "kllo9940pd9333jh",
   "version": null,
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "Oo6lSFA3VvTPEtavnS7JhGkK7MQ=",
  "documented": "I5NehKIqUWFLNABWSOkaugDUYfo="
 },
 {
  "finding": "lossy-utf8-decoding",
  "vector": "edge-query-non-utf8-octets",
  "file": "vectors/edge-cases.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "https://example.com/r?v=%FF%FE",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1191242096",
   "nonce": "kllo9940pd9333jh",
   "version": null,
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "CrIQ8Gvw50PrivKdrVoM5h1fki8=",
  "documented": "1uNWaO9Iso47nr1Jt0QWXu5Qh8A="
 },
 {
  "finding": "ignores-form-body",
  "vector": "rfc5849-3.4.1-hmac-sha1",
  "file": "vectors/rfc5849.json",
  "stage": "signature",
  "request": {
   "method": "POST",
   "url": "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
   "content_type": "application/x-www-form-urlencoded",
   "body": "c2&a3=2+q"
  },
  "oauth": {
   "consumer_key": "9djdj82h48djs9d2",
   "token": "kkk9d7dh3k39sjv7",
   "signature_method": "HMAC-SHA1",
   "timestamp": "137131201",
   "nonce": "7d8f3e4a",
   "version": null,
   "realm": "Example",
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "j49sk3j29djd",
   "token_secret": "dh893hdasih9",
   "rsa_private_key_pem": null
  },
  "rfc": "r6/TJjbCOr97/+UU0NsvSne7s5g=",
  "documented": "Q30F+e7Byb/1+qvjqWyepI9O+LQ="
 },
 {
  "finding": "keeps-fragment",
  "vector": "edge-url-fragment",
  "file": "vectors/edge-cases.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "https://example.com/p?x=1#frag&y=2",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1191242096",
   "nonce": "kllo9940pd9333jh",
   "version": null,
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "RI0jY0TQi+iDQftLv0BAa9OroWc=",
  "documented": "snIA2bOSdBPZHF2gJedp4cSnnD0="
 },
 {
  "finding": "method-not-encoded",
  "vector": "edge-method-needs-encoding",
  "file": "vectors/edge-cases.json",
  "stage": "signature",
  "request": {
   "method": "FOO!BAR",
   "url": "https://example.com/r",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1191242096",
   "nonce": "kllo9940pd9333jh",
   "version": null,
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "iNxELwIDv2rTeQcU2H62zKTGTm4=",
  "documented": "F2cxVUKKUs5gnJlRp2dPAktbmEk="
 },
 {
  "finding": "method-not-uppercased",
  "vector": "edge-method-custom",
  "file": "vectors/edge-cases.json",
  "stage": "signature",
  "request": {
   "method": "purge",
   "url": "https://example.com/cache/item",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1191242096",
   "nonce": "kllo9940pd9333jh",
   "version": null,
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "/d1i7NQwsT9UAZdhjzO6Vbd1fhM=",
  "documented": "zqM99gBL3znFMmIUGA1SSRo7KP0="
 },
 {
  "finding": "names-not-encoded",
  "vector": "edge-sort-encoded-names",
  "file": "vectors/edge-cases.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "https://example.com/r?a.b=1&a:b=2",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1191242096",
   "nonce": "kllo9940pd9333jh",
   "version": null,
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "R/ZpFD0yuO2fHoUeT11hqX7/GRE=",
  "documented": "MEf+uMLK4nUfvcUgppOWVjOIfqA="
 },
 {
  "finding": "resolves-dot-segments",
  "vector": "edge-more-dot-segments-kept",
  "file": "vectors/edge-cases-more.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "http://example.com/a/./b/../c?x=1",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "token": "nnch734d00sl2jdk",
   "timestamp": "1700000000",
   "nonce": "h0ld0utn0nce",
   "version": null,
   "realm": null,
   "extra": {},
   "consumer_key": "dpf43f3p2l4k3l03",
   "signature_method": "HMAC-SHA1"
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "+kFH875O5F9nQhFcJ2bIJ86Teow=",
  "documented": "hBK/kP7RJROkWSbawBPo/bevibc="
 },
 {
  "finding": "secrets-not-encoded",
  "vector": "edge-more-hmac-key-from-encoded-secrets-plaintext",
  "file": "vectors/edge-cases-more.json",
  "stage": "signature",
  "request": {
   "method": "POST",
   "url": "https://api.example.com/p",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "token": "nnch734d00sl2jdk",
   "timestamp": "1700000000",
   "nonce": "h0ld0utn0nce",
   "version": null,
   "realm": null,
   "extra": {},
   "consumer_key": "dpf43f3p2l4k3l03",
   "signature_method": "PLAINTEXT"
  },
  "secrets": {
   "consumer_secret": "a%26b",
   "token_secret": "c&d",
   "rsa_private_key_pem": null
  },
  "rfc": "a%2526b&c%26d",
  "documented": "a%26b&c&d"
 },
 {
  "finding": "signature-not-encoded",
  "vector": "lib-oauthruby-plaintext-header",
  "file": "vectors/libraries-sign.json",
  "stage": "authorization_header",
  "request": {
   "method": "GET",
   "url": "http://example.com/test?key=value",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "token": "token_411a7f",
   "timestamp": "1199645624",
   "nonce": "225579211881198842005988698334675835446",
   "version": "1.0",
   "realm": null,
   "extra": {},
   "consumer_key": "consumer_key_86cad9",
   "signature_method": "PLAINTEXT"
  },
  "secrets": {
   "consumer_secret": "5888bf0345e5d237",
   "token_secret": "3196ffd991c8ebdb",
   "rsa_private_key_pem": null
  },
  "parameter": "oauth_signature",
  "rfc": "oauth_signature=\"5888bf0345e5d237%263196ffd991c8ebdb\"",
  "documented": "oauth_signature=\"5888bf0345e5d237&3196ffd991c8ebdb\""
 },
 {
  "finding": "sorts-unencoded-keys",
  "vector": "edge-more-sort-values-encoded-colon",
  "file": "vectors/edge-cases-more.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "http://example.com/v?v=0&v=:",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "token": "nnch734d00sl2jdk",
   "timestamp": "1700000000",
   "nonce": "h0ld0utn0nce",
   "version": null,
   "realm": null,
   "extra": {},
   "consumer_key": "dpf43f3p2l4k3l03",
   "signature_method": "HMAC-SHA1"
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "ZdJ/+epu7E8b677NYxBArw99c74=",
  "documented": "EmiPMx27pt96vpvuvDFfQgDaqo0="
 }
]"####;

fn signed_header<SM: SignatureMethod + Clone>(entry: &Value, signature_method: SM) -> String {
    let (request, oauth, secrets) = (&entry["request"], &entry["oauth"], &entry["secrets"]);
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let mut params = OAuthParameters::new()
        .signature_method(signature_method)
        .nonce(text(&oauth["nonce"]))
        .timestamp(text(&oauth["timestamp"]).parse::<u64>().expect("a positive timestamp"))
        .version(!oauth["version"].is_null());
    if let Some(callback) = oauth["extra"]["oauth_callback"].as_str() {
        params = params.callback(callback.to_owned());
    }
    if let Some(verifier) = oauth["extra"]["oauth_verifier"].as_str() {
        params = params.verifier(verifier.to_owned());
    }
    if let Some(realm) = oauth["realm"].as_str() {
        params = params.realm(realm.to_owned());
    }
    let mut keys = Secrets::new(text(&oauth["consumer_key"]), text(&secrets["consumer_secret"]));
    if let Some(token) = oauth["token"].as_str() {
        keys = keys.token(token.to_owned(), text(&secrets["token_secret"]));
    }
    let method = reqwest::Method::from_bytes(text(&request["method"]).as_bytes()).expect("an HTTP method");
    let client = reqwest::Client::builder().build().expect("a reqwest client");
    let mut builder = client.oauth1_with_params(keys, params).request(method, text(&request["url"]));
    let form = request["content_type"].as_str().is_some_and(|t| {
        t.split(';').next().unwrap_or_default().trim().eq_ignore_ascii_case("application/x-www-form-urlencoded")
    });
    if let (true, Some(body)) = (form, request["body"].as_str()) {
        builder = builder.form(&form_pairs(body));
    } else if let Some(body) = request["body"].as_str() {
        builder = builder.body(body.to_owned());
    }
    let built = builder.generate_signature().expect("signed").build().expect("built");
    let header = built.headers().get(reqwest::header::AUTHORIZATION).expect("an Authorization header");
    String::from_utf8_lossy(header.as_bytes()).into_owned()
}

fn signature(entry: &Value) -> String {
    let header = match entry["oauth"]["signature_method"].as_str() {
        Some("PLAINTEXT") => signed_header(entry, Plaintext),
        _ => signed_header(entry, HmacSha1),
    };
    match entry["parameter"].as_str() {
        // A finding that shows in the header alone compares how the header writes the parameter.
        Some(parameter) => header_segment(&header, parameter),
        None => header_signature(&header),
    }
}

/// `NAME=value` as the header writes it, or `(absent)`.
fn header_segment(header: &str, name: &str) -> String {
    let body = header.strip_prefix("OAuth ").unwrap_or(header);
    body.split(',')
        .map(str::trim)
        .find(|part| part.split_once('=').is_some_and(|(n, _)| n == name))
        .map_or_else(|| "(absent)".to_owned(), str::to_owned)
}

/// `oauth_signature` of an Authorization header, percent-decoded.
fn header_signature(header: &str) -> String {
    let value = header.split("oauth_signature=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap_or_default();
    form_decode(&value.replace('+', "%2B"))
}

fn main() -> ExitCode {
    let finding = std::env::args().nth(1).unwrap_or_default();
    if live::is_live(&finding) {
        return live::run(&finding);
    }
    check("reqwest-oauth1", signature)
}

/// Prints the library's value next to RFC 5849's and exits 0 (as documented), 3 (fixed: retire
/// the dossier) or 4 (a third value).
fn check(name: &str, value_of: impl Fn(&Value) -> String) -> ExitCode {
    let findings: Vec<Value> = serde_json::from_str(FINDINGS).expect("the table is JSON");
    let wanted = std::env::args().nth(1).unwrap_or_default();
    let Some(entry) = findings.iter().find(|e| e["finding"] == wanted.as_str()) else {
        let names: Vec<&str> = findings.iter().filter_map(|e| e["finding"].as_str()).collect();
        eprintln!("usage: {name} FINDING (one of: {})", names.join(", "));
        return ExitCode::from(2);
    };
    let value = value_of(entry);
    let (rfc, documented) =
        (entry["rfc"].as_str().unwrap_or_default(), entry["documented"].as_str().unwrap_or_default());
    let field = |name: &str| entry[name].as_str().unwrap_or_default().to_owned();
    println!("finding:  {wanted} (vector {}, {})", field("vector"), field("stage"));
    println!("{name}: {value}");
    println!("RFC 5849: {rfc}");
    if value == rfc {
        println!("fixed: {name} now agrees with RFC 5849");
        return ExitCode::from(3);
    }
    if value != documented {
        println!("changed: the dossier documents {documented}");
        return ExitCode::from(4);
    }
    ExitCode::SUCCESS
}

/// `name=value&…` decoded as application/x-www-form-urlencoded (`+` a space), as text: what a
/// caller hands the crate for the query and a form body.
fn form_pairs(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (form_decode(name), form_decode(value))
        })
        .collect()
}

/// One form-encoded component decoded (`+` a space, `%XX` an octet), octets that are not UTF-8
/// as U+FFFD.
fn form_decode(part: &str) -> String {
    {
        let bytes = part.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => {
                    match u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16) {
                        Ok(octet) => {
                            out.push(octet);
                            i += 2;
                        }
                        Err(_) => out.push(b'%'),
                    }
                }
                octet => out.push(octet),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
}
