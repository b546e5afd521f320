//! Standalone reproductions of the findings of the oauth1-request crate (0.6.1,
//! docs/findings/oauth1-request/parameter-list/): `oauth::Builder::new(credentials,
//! signature_method)` with `nonce`/`timestamp`/`version`/`token`, then `authorize(method, uri,
//! &oauth::ParameterList::new(pairs))`, as the crate's documentation signs dynamic parameters (the
//! URL without its query as `uri`, the query's and the form body's pairs decoded as text), the
//! signature read back from the header, on each finding's smallest input.
//!
//! The `oauth1-request/request` row's findings that are the crate's own (the base string URI, the
//! method, the key, the signed `oauth_signature`) show the same way through this API, on the same
//! inputs with the same values: their dossiers use this program too.
//!
//! A finding whose vector publishes the signature base string but no signature
//! (`empty-path-not-slash`: the crate exposes no base string) compares the signature, RFC 5849's
//! computed here as HMAC-SHA1 of the published base string (and the documented one of the
//! dossier's); one that shows in the Authorization header alone (`signature-not-encoded`) compares
//! how the header writes the parameter `parameter`.
//!
//! Usage: cargo run -p oauth1-conformance --example repro_oauth1_request -- FINDING
use std::num::NonZeroU64;
use std::process::ExitCode;

use oauth1_request as oauth;
use serde_json::Value;

/// Per finding: the vector (id and file), its request, the stage compared, RFC 5849's value as
/// the vector publishes it ("rfc"), and the value the dossier documents ("documented").
const FINDINGS: &str = r####"[
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
  "finding": "empty-path-not-slash",
  "vector": "oauthnet-concat-get-no-path",
  "file": "vectors/oauth-net.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "http://example.com?n=v",
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
  "rfc": {
   "base_string": "GET&http%3A%2F%2Fexample.com%2F&n%3Dv%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk",
   "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00"
  },
  "documented": {
   "base_string": "GET&http%3A%2F%2Fexample.com&n%3Dv%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk",
   "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00"
  }
 },
 {
  "finding": "encodes-like-encodeuricomponent",
  "vector": "generated:1481180444",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "PATCH",
   "url": "HTTPS://[::1]:/v1%2fitems/?z=a&na=b&n.%27..=vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv&na=b2",
   "content_type": "application/x-www-form-urlencoded",
   "body": ""
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "PLAINTEXT",
   "timestamp": "137131201",
   "nonce": "chapoH",
   "version": "1.0",
   "realm": "Photos",
   "extra": {
    "oauth_callback": "oob"
   }
  },
  "secrets": {
   "consumer_secret": "~.",
   "token_secret": "!._"
  },
  "rfc": "~.&%21._",
  "documented": "~.&!._"
 },
 {
  "finding": "keeps-default-port",
  "vector": "edge-url-ipv6-default-port",
  "file": "vectors/edge-cases.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "https://[::1]:443/",
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
  "rfc": "ETpmnNeFt/JBdTEqqUDX0/PMW0Y=",
  "documented": "LuKU6XlnnYVZNUW9ngHWFufSjZM="
 },
 {
  "finding": "keeps-host-case",
  "vector": "edge-url-uppercase-scheme-host",
  "file": "vectors/edge-cases.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "HTTPS://API.Example.COM/Path/To",
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
  "rfc": "T9AkJQIrRsoKYOaiG8OfvSHpqkA=",
  "documented": "LAAngFC4frRqNvBmlxqbMiS+bHM="
 },
 {
  "finding": "keeps-userinfo",
  "vector": "edge-url-userinfo",
  "file": "vectors/edge-cases.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "https://user:pw@example.com/p",
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
  "rfc": "6Llp4LE4NduClYUsIrGddZHDIPk=",
  "documented": "I0EghFZsisbnddVlYtxvoT+12kU="
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
  "finding": "signs-oauth-signature",
  "vector": "wild-stale-signature-in-query",
  "file": "vectors/in-the-wild.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "https://api.example.com/p?a=1&oauth_signature=prev",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1700000000",
   "nonce": "w1ldn0nce",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "0zl+kA7lht8Aa+C0s4nLTcF63Z4=",
  "documented": "41Aw/sQvQmGa6U1scsRYrpoa4Fg="
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

fn signature(entry: &Value) -> String {
    let (request, oauth_params, secrets) = (&entry["request"], &entry["oauth"], &entry["secrets"]);
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let consumer_secret = text(&secrets["consumer_secret"]);
    let token_secret = text(&secrets["token_secret"]);
    let pairs = request_pairs(request);
    let parameters = oauth::ParameterList::new(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect::<Vec<_>>());
    let timestamp: NonZeroU64 = text(&oauth_params["timestamp"]).parse().expect("a positive timestamp");
    let nonce = text(&oauth_params["nonce"]);
    let callback = oauth_params["extra"]["oauth_callback"].as_str();
    let verifier = oauth_params["extra"]["oauth_verifier"].as_str();
    let header = match oauth_params["signature_method"].as_str() {
        Some("PLAINTEXT") => {
            let mut builder = oauth::Builder::new(
                oauth::Credentials::new(
                    oauth_params["consumer_key"].as_str().unwrap_or_default(),
                    consumer_secret.as_str(),
                ),
                oauth::Plaintext::new(),
            );
            if let Some(token) = oauth_params["token"].as_str() {
                builder.token(oauth::Credentials::new(token, token_secret.as_str()));
            }
            builder.nonce(nonce.as_str()).timestamp(timestamp).version(!oauth_params["version"].is_null());
            builder.callback(callback).verifier(verifier);
            builder.authorize(&text(&request["method"]), url_without_query(&text(&request["url"])), &parameters)
        }
        _ => {
            let mut builder = oauth::Builder::new(
                oauth::Credentials::new(
                    oauth_params["consumer_key"].as_str().unwrap_or_default(),
                    consumer_secret.as_str(),
                ),
                oauth::HmacSha1::new(),
            );
            if let Some(token) = oauth_params["token"].as_str() {
                builder.token(oauth::Credentials::new(token, token_secret.as_str()));
            }
            builder.nonce(nonce.as_str()).timestamp(timestamp).version(!oauth_params["version"].is_null());
            builder.callback(callback).verifier(verifier);
            builder.authorize(&text(&request["method"]), url_without_query(&text(&request["url"])), &parameters)
        }
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

/// RFC 5849's (or the documented) signature of an entry whose vector publishes the signature base
/// string but not the signature: HMAC-SHA1 of that base string, signed here with the `hmac` and
/// `sha1` crates (not the crate under test). Any other entry gives the value as text.
fn expected(value: &Value) -> String {
    use base64::Engine as _;
    use hmac::Mac as _;
    let (Some(base_string), Some(key)) = (value["base_string"].as_str(), value["key"].as_str()) else {
        return value.as_str().unwrap_or_default().to_owned();
    };
    let mut mac = hmac::Hmac::<sha1::Sha1>::new_from_slice(key.as_bytes()).expect("HMAC takes any key");
    mac.update(base_string.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// The query's pairs, then the form body's.
fn request_pairs(request: &Value) -> Vec<(String, String)> {
    let url = request["url"].as_str().unwrap_or_default();
    let url = url.split('#').next().unwrap_or_default();
    let mut pairs = url.split_once('?').map(|(_, query)| form_pairs(query)).unwrap_or_default();
    let form = request["content_type"].as_str().is_some_and(|t| {
        t.split(';').next().unwrap_or_default().trim().eq_ignore_ascii_case("application/x-www-form-urlencoded")
    });
    if let (true, Some(body)) = (form, request["body"].as_str()) {
        pairs.extend(form_pairs(body));
    }
    pairs
}

/// The URL without its query and fragment.
fn url_without_query(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url)
}

/// `oauth_signature` of an Authorization header, percent-decoded.
fn header_signature(header: &str) -> String {
    let value = header.split("oauth_signature=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap_or_default();
    form_decode(&value.replace('+', "%2B"))
}

fn main() -> ExitCode {
    check("oauth1-request", signature)
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
    let (rfc, documented) = (expected(&entry["rfc"]), expected(&entry["documented"]));
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
