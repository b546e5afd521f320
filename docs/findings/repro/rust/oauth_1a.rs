//! Standalone reproductions of the findings of the oauth-1a crate (0.1.1,
//! docs/findings/oauth-1a/): its low-level API, `SignableRequest::new(method, url, parameters)`
//! with the method and URL parsed by http-types and every parameter (the query's and the form
//! body's pairs decoded as text, then the protocol parameters) in one map, then the signature base
//! string it signs (`to_bytes()`), on each finding's smallest input.
//!
//! Usage: cargo run -p oauth1-conformance --example repro_oauth_1a -- FINDING
use std::collections::BTreeMap;
use std::process::ExitCode;

use oauth_1a::{ClientSecret, Signable, SignableRequest, SignatureMethod, SigningKey, TokenSecret};
use serde_json::Value;

/// Per finding: the vector (id and file), its request, the stage compared, RFC 5849's value as
/// the vector publishes it ("rfc"), and the value the dossier documents ("documented").
const FINDINGS: &str = r####"[
 {
  "finding": "collapses-duplicates-last-wins",
  "vector": "edge-more-sort-values-encoded-colon",
  "file": "vectors/edge-cases-more.json",
  "stage": "signature_base_string",
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
  "rfc": "GET&http%3A%2F%2Fexample.com%2Fv&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dh0ld0utn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26v%3D%253A%26v%3D0",
  "documented": "GET&http%3A%2F%2Fexample.com%2Fv&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dh0ld0utn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26v%3D%253A"
 },
 {
  "finding": "lossy-utf8-decoding",
  "vector": "edge-query-non-utf8-octets",
  "file": "vectors/edge-cases.json",
  "stage": "signature_base_string",
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
  "rfc": "GET&https%3A%2F%2Fexample.com%2Fr&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26v%3D%25FF%25FE",
  "documented": "GET&https%3A%2F%2Fexample.com%2Fr&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26v%3D%25EF%25BF%25BD%25EF%25BF%25BD"
 },
 {
  "finding": "keeps-userinfo",
  "vector": "edge-url-userinfo",
  "file": "vectors/edge-cases.json",
  "stage": "signature_base_string",
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
  "rfc": "GET&https%3A%2F%2Fexample.com%2Fp&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk",
  "documented": "GET&https%3A%2F%2Fuser%3Apw%40example.com%2Fp&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk"
 },
 {
  "finding": "resolves-dot-segments",
  "vector": "edge-more-dot-segments-kept",
  "file": "vectors/edge-cases-more.json",
  "stage": "signature_base_string",
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
  "rfc": "GET&http%3A%2F%2Fexample.com%2Fa%2F.%2Fb%2F..%2Fc&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dh0ld0utn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26x%3D1",
  "documented": "GET&http%3A%2F%2Fexample.com%2Fa%2Fc&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dh0ld0utn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26x%3D1"
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
  "finding": "signs-oauth-signature",
  "vector": "wild-stale-signature-in-query",
  "file": "vectors/in-the-wild.json",
  "stage": "signature_base_string",
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
  "rfc": "GET&https%3A%2F%2Fapi.example.com%2Fp&a%3D1%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dw1ldn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0",
  "documented": "GET&https%3A%2F%2Fapi.example.com%2Fp&a%3D1%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dw1ldn0nce%26oauth_signature%3Dprev%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0"
 }
]"####;

fn value(entry: &Value) -> String {
    let (request, oauth, secrets) = (&entry["request"], &entry["oauth"], &entry["secrets"]);
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let method: http_types::Method = text(&request["method"]).parse().expect("an HTTP method");
    let url = http_types::Url::parse(&text(&request["url"])).expect("a URL");
    let mut parameters: BTreeMap<String, String> = request_pairs(request).into_iter().collect();
    let signature_method =
        if oauth["signature_method"] == "PLAINTEXT" { SignatureMethod::Plaintext } else { SignatureMethod::HmacSha1 };
    let mut add = |name: &str, value: &Value| {
        if let Some(value) = value.as_str() {
            let _ = parameters.insert(name.to_owned(), value.to_owned());
        }
    };
    add("oauth_consumer_key", &oauth["consumer_key"]);
    add("oauth_token", &oauth["token"]);
    add("oauth_signature_method", &Value::String(signature_method.to_string()));
    add("oauth_timestamp", &oauth["timestamp"]);
    add("oauth_nonce", &oauth["nonce"]);
    add("oauth_version", &oauth["version"]);
    if let Some(extra) = oauth["extra"].as_object() {
        for (name, value) in extra {
            add(name, value);
        }
    }
    let signable = SignableRequest::new(method, url, parameters);
    if entry["stage"] == "signature" {
        let key = SigningKey {
            client_secret: ClientSecret(text(&secrets["consumer_secret"])),
            token_secret: secrets["token_secret"].as_str().map(|s| TokenSecret(s.to_owned())),
        };
        return signature_method.sign(&signable, &key);
    }
    String::from_utf8_lossy(&signable.to_bytes()).into_owned()
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

fn main() -> ExitCode {
    check("oauth-1a", value)
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
