//! Standalone reproductions of the findings of the twapi-oauth crate (0.1.4,
//! docs/findings/twapi-oauth/): `"OAuth " + calc_oauth_header(sign_key, consumer_key,
//! header_options, method, uri, options)`, what its `oauth1_authorization_header` does, called
//! directly so that the case's other protocol parameters can be sent (`header_options`: oauth_token
//! and those; `sign_key`: consumer_secret + "&" + token_secret as `oauth1_authorization_header`
//! builds it; the URL without its query as `uri`; the query's and the form body's pairs as
//! `options`), on each finding's smallest input.
//!
//! The crate draws its own nonce and timestamp and takes neither, so RFC 5849's signature and the
//! documented one are computed here for the nonce and timestamp it sent (see `own_nonce.rs`),
//! and the crate's signature is read from its header.
//!
//! Usage: cargo run -p oauth1-conformance --example repro_twapi_oauth -- FINDING
use std::process::ExitCode;

use serde_json::Value;
use twapi_oauth::calc_oauth_header;

#[path = "own_nonce.rs"]
mod own_nonce;

use own_nonce::{request_pairs, url_without_query, Sent};

/// Per finding: the case (id and file), its request, the stage compared, and for RFC 5849
/// ("rfc") and for the value the dossier documents ("documented") the signature base string and
/// HMAC-SHA1 key with the case's nonce and timestamp, or the header segment of `parameter`.
const FINDINGS: &str = r####"[
 {
  "finding": "consumer-key-not-encoded",
  "vector": "edge-more-consumer-key-reserved-characters",
  "file": "vectors/edge-cases-more.json",
  "stage": "signature",
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
  "rfc": {
   "base_string": "GET&http%3A%2F%2Fexample.com%2Frequest&a%3D1%26oauth_consumer_key%3Dkey%2520with%2520space%2526amp%253D%252B%252F~%26oauth_nonce%3Dh0ld0utn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0",
   "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00"
  },
  "documented": {
   "base_string": "GET&http%3A%2F%2Fexample.com%2Frequest&a%3D1%26oauth_consumer_key%3Dkey%20with%20space%26amp%3D%2B%2F~%26oauth_nonce%3Dh0ld0utn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0",
   "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00"
  }
 },
 {
  "finding": "empty-path-not-slash",
  "vector": "generated:1481179967 (shrunk)",
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
   "timestamp": "1796546312",
   "nonce": "XF68VWziyx5rec07HtomDp1P3nTUZ2Au",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "",
   "token_secret": null
  },
  "rfc": {
   "base_string": "GET&http%3A%2F%2Fapi.example.com%2F&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DXF68VWziyx5rec07HtomDp1P3nTUZ2Au%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1796546312%26oauth_version%3D1.0",
   "key": "&"
  },
  "documented": {
   "base_string": "GET&http%3A%2F%2Fapi.example.com&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DXF68VWziyx5rec07HtomDp1P3nTUZ2Au%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1796546312%26oauth_version%3D1.0",
   "key": "&"
  }
 },
 {
  "finding": "header-values-unquoted",
  "vector": "wild-http-port-8080",
  "file": "vectors/in-the-wild.json",
  "stage": "authorization_header",
  "request": {
   "method": "GET",
   "url": "http://localhost:8080/api/x",
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
  "parameter": "oauth_consumer_key",
  "rfc": "oauth_consumer_key=\"dpf43f3p2l4k3l03\"",
  "documented": "oauth_consumer_key=dpf43f3p2l4k3l03"
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
  "finding": "names-encoded-once",
  "vector": "edge-more-encoded-equals-in-query-name",
  "file": "vectors/edge-cases-more.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "http://example.com/request?a%3Db=c",
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
   "base_string": "GET&http%3A%2F%2Fexample.com%2Frequest&a%253Db%3Dc%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dh0ld0utn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0",
   "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00"
  },
  "documented": {
   "base_string": "GET&http%3A%2F%2Fexample.com%2Frequest&a%3Db%3Dc%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dh0ld0utn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0",
   "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00"
  }
 },
 {
  "finding": "secrets-not-encoded",
  "vector": "generated:1481179181",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "POST",
   "url": "http://api.example.com:8443/~user/photos/?n=&a=vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv",
   "content_type": "text/plain",
   "body": "{\"t\":\"ü\"}"
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": null,
   "signature_method": "HMAC-SHA1",
   "timestamp": "1700000000",
   "nonce": "7d8f3e4a",
   "version": "1.0",
   "realm": null,
   "extra": {
    "oauth_callback": "http://printer.example.com/ready?x=1&y=2"
   }
  },
  "secrets": {
   "consumer_secret": "?~",
   "token_secret": null
  },
  "rfc": {
   "base_string": "POST&http%3A%2F%2Fapi.example.com%3A8443%2F~user%2Fphotos%2F&a%3Dvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv%26n%3D%26oauth_callback%3Dhttp%253A%252F%252Fprinter.example.com%252Fready%253Fx%253D1%2526y%253D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_version%3D1.0",
   "key": "%3F~&"
  },
  "documented": {
   "base_string": "POST&http%3A%2F%2Fapi.example.com%3A8443%2F~user%2Fphotos%2F&a%3Dvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv%26n%3D%26oauth_callback%3Dhttp%253A%252F%252Fprinter.example.com%252Fready%253Fx%253D1%2526y%253D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_version%3D1.0",
   "key": "?~&"
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
 }
]"####;

fn sign(entry: &Value) -> Sent {
    let (request, oauth, secrets) = (&entry["request"], &entry["oauth"], &entry["secrets"]);
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let sign_key = format!("{}&{}", text(&secrets["consumer_secret"]), text(&secrets["token_secret"]));
    let mut header_options: Vec<(String, String)> =
        oauth["token"].as_str().map(|token| ("oauth_token".to_owned(), token.to_owned())).into_iter().collect();
    header_options.extend(oauth["extra"].as_object().into_iter().flatten().map(|(n, v)| (n.clone(), text(v))));
    let header_options: Vec<(&str, &str)> = header_options.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let pairs = request_pairs(request);
    let options: Vec<(&str, &str)> = pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let header = calc_oauth_header(
        &sign_key,
        &text(&oauth["consumer_key"]),
        &header_options,
        &text(&request["method"]),
        &url_without_query(request),
        &options,
    );
    Sent::from_header(&format!("OAuth {header}"))
}

fn main() -> ExitCode {
    own_nonce::check("twapi-oauth", FINDINGS, sign)
}
