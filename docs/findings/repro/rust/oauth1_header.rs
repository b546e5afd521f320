//! Standalone reproductions of the findings of the oauth1-header crate (0.1.0,
//! docs/findings/oauth1-header/): `Credentials::new(consumer_key, consumer_secret, token,
//! token_secret).auth(method, base_url, params)`, as its documentation signs a request (the URL
//! without its query as `base_url`; the query's and the form body's pairs, and the case's other
//! protocol parameters, in `params`, a `HashMap<&str, &str>`), on each finding's smallest input.
//!
//! The crate draws its own nonce and timestamp and takes neither, so RFC 5849's signature and the
//! documented one are computed here for the nonce and timestamp it sent (see `own_nonce.rs`),
//! and the crate's signature is read from its header.
//!
//! Usage: cargo run -p oauth1-conformance --example repro_oauth1_header -- FINDING
use std::collections::HashMap;
use std::process::ExitCode;

use oauth1_header::http::Method;
use oauth1_header::Credentials;
use serde_json::Value;

#[path = "own_nonce.rs"]
mod own_nonce;

use own_nonce::{request_pairs, url_without_query, Sent};

/// Per finding: the case (id and file), its request, the stage compared, and for RFC 5849
/// ("rfc") and for the value the dossier documents ("documented") the signature base string and
/// HMAC-SHA1 key with the case's nonce and timestamp, or the header segment of `parameter`.
const FINDINGS: &str = r####"[
 {
  "finding": "collapses-duplicates-last-wins",
  "vector": "edge-more-repeated-name-first-value-empty",
  "file": "vectors/edge-cases-more.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "http://example.com/request?a=&a=x&a=y&b=",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "token": "nnch734d00sl2jdk",
   "timestamp": "1700000000",
   "nonce": "h0ld0utn0nce",
   "version": "1.0",
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
  "rfc": {
   "base_string": "GET&http%3A%2F%2Fexample.com%2Frequest&a%3D%26a%3Dx%26a%3Dy%26b%3D%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dh0ld0utn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0",
   "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00"
  },
  "documented": {
   "base_string": "GET&http%3A%2F%2Fexample.com%2Frequest&a%3Dy%26b%3D%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dh0ld0utn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0",
   "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00"
  }
 },
 {
  "finding": "empty-path-not-slash",
  "vector": "generated:1481179322 (shrunk)",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "http://api.example.com",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1796546311",
   "nonce": "7ZPeiTJRhD58cXC0CHk3WIqtH00G1E65",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "",
   "token_secret": ""
  },
  "rfc": {
   "base_string": "GET&http%3A%2F%2Fapi.example.com%2F&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D7ZPeiTJRhD58cXC0CHk3WIqtH00G1E65%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1796546311%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0",
   "key": "&"
  },
  "documented": {
   "base_string": "GET&http%3A%2F%2Fapi.example.com&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D7ZPeiTJRhD58cXC0CHk3WIqtH00G1E65%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1796546311%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0",
   "key": "&"
  }
 },
 {
  "finding": "header-values-not-encoded",
  "vector": "edge-more-consumer-key-reserved-characters",
  "file": "vectors/edge-cases-more.json",
  "stage": "authorization_header",
  "request": {
   "method": "GET",
   "url": "http://example.com/request?a=1",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "token": "nnch734d00sl2jdk",
   "timestamp": "1700000000",
   "nonce": "h0ld0utn0nce",
   "version": "1.0",
   "realm": null,
   "extra": {},
   "consumer_key": "key with space&amp=+/~",
   "signature_method": "HMAC-SHA1"
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "parameter": "oauth_consumer_key",
  "rfc": "oauth_consumer_key=\"key%20with%20space%26amp%3D%2B%2F~\"",
  "documented": "oauth_consumer_key=\"key with space&amp=+/~\""
 },
 {
  "finding": "keeps-default-port",
  "vector": "lib-cpprest-post-query-port-80",
  "file": "vectors/libraries-sign.json",
  "stage": "signature",
  "request": {
   "method": "POST",
   "url": "http://example.com:80/request?a=b&c=d",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "token": "test_token",
   "timestamp": "12345678",
   "nonce": "ABCDEFGH",
   "version": "1.0",
   "realm": null,
   "extra": {},
   "consumer_key": "test_key",
   "signature_method": "HMAC-SHA1"
  },
  "secrets": {
   "consumer_secret": "test_secret",
   "token_secret": "test_token_secret",
   "rsa_private_key_pem": null
  },
  "rfc": {
   "base_string": "POST&http%3A%2F%2Fexample.com%2Frequest&a%3Db%26c%3Dd%26oauth_consumer_key%3Dtest_key%26oauth_nonce%3DABCDEFGH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D12345678%26oauth_token%3Dtest_token%26oauth_version%3D1.0",
   "key": "test_secret&test_token_secret"
  },
  "documented": {
   "base_string": "POST&http%3A%2F%2Fexample.com%3A80%2Frequest&a%3Db%26c%3Dd%26oauth_consumer_key%3Dtest_key%26oauth_nonce%3DABCDEFGH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D12345678%26oauth_token%3Dtest_token%26oauth_version%3D1.0",
   "key": "test_secret&test_token_secret"
  }
 },
 {
  "finding": "keeps-host-case",
  "vector": "wild-mixed-case-path",
  "file": "vectors/in-the-wild.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "HTTPS://API.Example.com/Users/Bob",
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
  "rfc": {
   "base_string": "GET&https%3A%2F%2Fapi.example.com%2FUsers%2FBob&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dw1ldn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0",
   "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00"
  },
  "documented": {
   "base_string": "GET&HTTPS%3A%2F%2FAPI.Example.com%2FUsers%2FBob&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dw1ldn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0",
   "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00"
  }
 },
 {
  "finding": "method-not-uppercased",
  "vector": "lib-gomodule-method-host-case-port-443",
  "file": "vectors/libraries-sign.json",
  "stage": "signature",
  "request": {
   "method": "GeT",
   "url": "https://apI.twItter.com:443/1/?page=10",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "token": "10212-JJ3Zc1A49qSMgdcAO2GMOpW9l7A348ESmhjmOBOU",
   "timestamp": "1355795903",
   "nonce": "8067e8abc6bdca2006818132445c8f4c",
   "version": "1.0",
   "realm": null,
   "extra": {},
   "consumer_key": "kMViZR2MHk2mM7hUNVw9A",
   "signature_method": "HMAC-SHA1"
  },
  "secrets": {
   "consumer_secret": "56Fgl58yOfqXOhHXX0ybvOmSnPQFvR2miYmm30A",
   "token_secret": "yF75mvq4LZMHj9O0DXwoC3ZxUnN1ptvieThYuOAYM",
   "rsa_private_key_pem": null
  },
  "rfc": {
   "base_string": "GET&https%3A%2F%2Fapi.twitter.com%2F1%2F&oauth_consumer_key%3DkMViZR2MHk2mM7hUNVw9A%26oauth_nonce%3D8067e8abc6bdca2006818132445c8f4c%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1355795903%26oauth_token%3D10212-JJ3Zc1A49qSMgdcAO2GMOpW9l7A348ESmhjmOBOU%26oauth_version%3D1.0%26page%3D10",
   "key": "56Fgl58yOfqXOhHXX0ybvOmSnPQFvR2miYmm30A&yF75mvq4LZMHj9O0DXwoC3ZxUnN1ptvieThYuOAYM"
  },
  "documented": {
   "base_string": "GeT&https%3A%2F%2FapI.twItter.com%3A443%2F1%2F&oauth_consumer_key%3DkMViZR2MHk2mM7hUNVw9A%26oauth_nonce%3D8067e8abc6bdca2006818132445c8f4c%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1355795903%26oauth_token%3D10212-JJ3Zc1A49qSMgdcAO2GMOpW9l7A348ESmhjmOBOU%26oauth_version%3D1.0%26page%3D10",
   "key": "56Fgl58yOfqXOhHXX0ybvOmSnPQFvR2miYmm30A&yF75mvq4LZMHj9O0DXwoC3ZxUnN1ptvieThYuOAYM"
  }
 },
 {
  "finding": "secrets-not-encoded",
  "vector": "generated:1481179322",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "PUT",
   "url": "https://[2001:db8::1]:80",
   "content_type": "text/xml; charset=utf-8",
   "body": "<a t=\"1\">.b</a>"
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "kkk9d7dh3k39sjv7",
   "signature_method": "HMAC-SHA1",
   "timestamp": "137131201",
   "nonce": "kllo9940pd9333jh",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "",
   "token_secret": "&&Z%Z"
  },
  "rfc": {
   "base_string": "PUT&https%3A%2F%2F%5B2001%3Adb8%3A%3A1%5D%3A80%2F&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7%26oauth_version%3D1.0",
   "key": "&%26%26Z%25Z"
  },
  "documented": {
   "base_string": "PUT&https%3A%2F%2F%5B2001%3Adb8%3A%3A1%5D%3A80&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7%26oauth_version%3D1.0",
   "key": "&&&Z%Z"
  }
 },
 {
  "finding": "sends-extra-protocol-parameters-outside-header",
  "vector": "wild-access-token-verifier",
  "file": "vectors/in-the-wild.json",
  "stage": "authorization_header",
  "request": {
   "method": "POST",
   "url": "https://api.example.com/oauth/access_token",
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
   "extra": {
    "oauth_verifier": "hfdp7dh39dks9884"
   }
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "parameter": "oauth_verifier",
  "rfc": "oauth_verifier=\"hfdp7dh39dks9884\"",
  "documented": "(absent)"
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
  "rfc": {
   "base_string": "GET&https%3A%2F%2Fapi.example.com%2Fp&a%3D1%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dw1ldn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0",
   "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00"
  },
  "documented": {
   "base_string": "GET&https%3A%2F%2Fapi.example.com%2Fp&a%3D1%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dw1ldn0nce%26oauth_signature%3Dprev%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0",
   "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00"
  }
 },
 {
  "finding": "sorts-joined-pairs",
  "vector": "generated:1481180417",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "DELETE",
   "url": "https://xn--bcher-kva.example:8080/?a=&filter%5B0%5D%5Bid%5D=",
   "content_type": "application/x-www-form-urlencoded; charset=utf-8",
   "body": "a1=-%3D&z="
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "137131201",
   "nonce": "kllo9940pd9333jh",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "",
   "token_secret": "_"
  },
  "rfc": {
   "base_string": "DELETE&https%3A%2F%2Fxn--bcher-kva.example%3A8080%2F&a%3D%26a1%3D-%253D%26filter%255B0%255D%255Bid%255D%3D%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26z%3D",
   "key": "&_"
  },
  "documented": {
   "base_string": "DELETE&https%3A%2F%2Fxn--bcher-kva.example%3A8080%2F&a1%3D-%253D%26a%3D%26filter%255B0%255D%255Bid%255D%3D%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26z%3D",
   "key": "&_"
  }
 }
]"####;

fn sign(entry: &Value) -> Sent {
    let (request, oauth, secrets) = (&entry["request"], &entry["oauth"], &entry["secrets"]);
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let pairs = request_pairs(request);
    let extra: Vec<(String, String)> =
        oauth["extra"].as_object().into_iter().flatten().map(|(name, value)| (name.clone(), text(value))).collect();
    let params: HashMap<&str, &str> =
        pairs.iter().chain(&extra).map(|(name, value)| (name.as_str(), value.as_str())).collect();
    let (consumer_key, token) = (text(&oauth["consumer_key"]), text(&oauth["token"]));
    let (consumer_secret, token_secret) = (text(&secrets["consumer_secret"]), text(&secrets["token_secret"]));
    let credentials = Credentials::new(&consumer_key, &consumer_secret, &token, &token_secret);
    let method = Method::from_bytes(text(&request["method"]).as_bytes()).expect("an HTTP method");
    Sent::from_header(&credentials.auth(&method, &url_without_query(request), &params))
}

fn main() -> ExitCode {
    own_nonce::check("oauth1-header", FINDINGS, sign)
}
