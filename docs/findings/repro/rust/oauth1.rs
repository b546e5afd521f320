//! Standalone reproductions of the findings of the oauth1 crate (1.0.0, docs/findings/oauth1/):
//! `oauth1::authorize(method, uri, consumer, token, params)`, as its documentation signs a request
//! (the URL without its query as `uri`; the query's and the form body's pairs, and the case's
//! other protocol parameters, in `params`, a `HashMap`), on each finding's smallest input.
//!
//! The crate draws its own nonce and timestamp and takes neither, so RFC 5849's signature and the
//! documented one are computed here for the nonce and timestamp it sent (see `own_nonce.rs`),
//! and the crate's signature is read from its header.
//!
//! Usage: cargo run -p oauth1-conformance --example repro_oauth1 -- FINDING
use std::borrow::Cow;
use std::collections::HashMap;
use std::process::ExitCode;

use oauth1::{authorize, Token};
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
   "token": null,
   "signature_method": "HMAC-SHA1",
   "timestamp": "1796546305",
   "nonce": "JlUv6E7oL3BubL8UBN7hiAk2Z2B1efrb",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "",
   "token_secret": null
  },
  "rfc": {
   "base_string": "GET&http%3A%2F%2Fapi.example.com%2F&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DJlUv6E7oL3BubL8UBN7hiAk2Z2B1efrb%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1796546305%26oauth_version%3D1.0",
   "key": "&"
  },
  "documented": {
   "base_string": "GET&http%3A%2F%2Fapi.example.com&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DJlUv6E7oL3BubL8UBN7hiAk2Z2B1efrb%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1796546305%26oauth_version%3D1.0",
   "key": "&"
  }
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
  "vector": "generated:1481179195",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "DELETE",
   "url": "https://[::1]/%7e/?a1=%E2%82%AC%25~&a=&a%5B%5D=vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "t%k n",
   "signature_method": "HMAC-SHA1",
   "timestamp": "137131201",
   "nonce": "7d8f3e4a",
   "version": "1.0",
   "realm": null,
   "extra": {
    "oauth_callback": "oob"
   }
  },
  "secrets": {
   "consumer_secret": "=~",
   "token_secret": "~-"
  },
  "rfc": {
   "base_string": "DELETE&https%3A%2F%2F%5B%3A%3A1%5D%2F%257e%2F&a%3D%26a%255B%255D%3Dvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv%26a1%3D%25E2%2582%25AC%2525~%26oauth_callback%3Doob%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dt%2525k%2520n%26oauth_version%3D1.0",
   "key": "%3D~&~-"
  },
  "documented": {
   "base_string": "DELETE&https%3A%2F%2F%5B%3A%3A1%5D%2F%257e%2F&a%255B%255D%3Dvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv%26a1%3D%25E2%2582%25AC%2525~%26a%3D%26oauth_callback%3Doob%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dt%2525k%2520n%26oauth_version%3D1.0",
   "key": "%3D~&~-"
  }
 }
]"####;

fn sign(entry: &Value) -> Sent {
    let (request, oauth, secrets) = (&entry["request"], &entry["oauth"], &entry["secrets"]);
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let pairs = request_pairs(request);
    let extra: Vec<(String, String)> =
        oauth["extra"].as_object().into_iter().flatten().map(|(n, v)| (n.clone(), text(v))).collect();
    let mut params: HashMap<&str, Cow<'_, str>> = HashMap::new();
    for (name, value) in pairs.iter().chain(&extra) {
        let _ = params.insert(name.as_str(), Cow::Borrowed(value.as_str()));
    }
    let (consumer_key, consumer_secret) = (text(&oauth["consumer_key"]), text(&secrets["consumer_secret"]));
    let consumer = Token::new(consumer_key.as_str(), consumer_secret.as_str());
    let token_secret = text(&secrets["token_secret"]);
    let token = oauth["token"].as_str().map(|key| Token::new(key, token_secret.as_str()));
    let header =
        authorize(&text(&request["method"]), &url_without_query(request), &consumer, token.as_ref(), Some(params));
    Sent::from_header(&header)
}

fn main() -> ExitCode {
    own_nonce::check("oauth1", FINDINGS, sign)
}
