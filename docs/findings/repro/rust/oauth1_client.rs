//! Standalone reproductions of the findings of the oauth1-client crate (0.1.0,
//! docs/findings/oauth1-client/): `OAuthRequest::builder(uri, auth_level,
//! HmacSha1Signature).scheme(..).add_auth_parameters(realm and the case's other protocol
//! parameters).add_parameters(the query's and the form body's pairs).build()`, as its
//! documentation builds a request (a POST with `AuthorizationScheme::Header`, a GET with
//! `AuthorizationScheme::Uri`, where the crate puts every parameter in the query), on each
//! finding's smallest input.
//!
//! The crate draws its own nonce and timestamp and takes neither, so RFC 5849's signature and the
//! documented one are computed here for the nonce and timestamp it sent (see `own_nonce.rs`),
//! and the crate's signature is read from its header (or the query it built).
//!
//! Usage: cargo run -p oauth1-conformance --example repro_oauth1_client -- FINDING
use std::process::ExitCode;

use http02::Uri;
use oauth1_client::{
    AccessToken, AuthenticationLevel, AuthorizationScheme, ConsumerCredentials, HmacSha1Signature, OAuthRequest,
    Parameter,
};
use serde_json::Value;

#[path = "own_nonce.rs"]
mod own_nonce;

use own_nonce::{form_pairs, request_pairs, url_without_query, Sent};

/// Per finding: the case (id and file), its request, the stage compared, and for RFC 5849
/// ("rfc") and for the value the dossier documents ("documented") the signature base string and
/// HMAC-SHA1 key with the case's nonce and timestamp, or the header segment of `parameter`.
const FINDINGS: &str = r####"[
 {
  "finding": "header-values-unquoted",
  "vector": "lib-oauthruby-post-form",
  "file": "vectors/libraries-sign.json",
  "stage": "authorization_header",
  "request": {
   "method": "POST",
   "url": "http://example.com/test",
   "content_type": "application/x-www-form-urlencoded",
   "body": "key=value"
  },
  "oauth": {
   "token": "token_411a7f",
   "timestamp": "1199645624",
   "nonce": "225579211881198842005988698334675835446",
   "version": "1.0",
   "realm": null,
   "extra": {},
   "consumer_key": "consumer_key_86cad9",
   "signature_method": "HMAC-SHA1"
  },
  "secrets": {
   "consumer_secret": "5888bf0345e5d237",
   "token_secret": "3196ffd991c8ebdb",
   "rsa_private_key_pem": null
  },
  "parameter": "oauth_consumer_key",
  "rfc": "oauth_consumer_key=\"consumer_key_86cad9\"",
  "documented": "oauth_consumer_key=consumer_key_86cad9"
 },
 {
  "finding": "percent-encodes-realm-in-header",
  "vector": "generated:1481179139",
  "file": "docs/findings/examples.json",
  "stage": "authorization_header",
  "request": {
   "method": "POST",
   "url": "http://API.Example.COM:80/photos/",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": null,
   "signature_method": "PLAINTEXT",
   "timestamp": "137131201",
   "nonce": "chapoH",
   "version": "1.0",
   "realm": "http://sp.example.com/",
   "extra": {
    "oauth_callback": "oob"
   }
  },
  "secrets": {
   "consumer_secret": "&ü0 -",
   "token_secret": null
  },
  "parameter": "realm",
  "rfc": "realm=\"http://sp.example.com/\"",
  "documented": "realm=http%3A%2F%2Fsp.example.com%2F"
 },
 {
  "finding": "secrets-not-encoded",
  "vector": "generated:1481179151 (shrunk)",
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
   "timestamp": "1796546306",
   "nonce": "4cbba69f-3c6c-42e7-998f-d9b42658f987",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": " ",
   "token_secret": null
  },
  "rfc": {
   "base_string": "GET&http%3A%2F%2Fapi.example.com%2F&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D4cbba69f-3c6c-42e7-998f-d9b42658f987%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1796546306%26oauth_version%3D1.0",
   "key": "%20&"
  },
  "documented": {
   "base_string": "GET&http%3A%2F%2Fapi.example.com%2F&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D4cbba69f-3c6c-42e7-998f-d9b42658f987%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1796546306%26oauth_version%3D1.0",
   "key": " &"
  }
 },
 {
  "finding": "sorts-unencoded-keys",
  "vector": "generated:1481179182 (shrunk)",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "https://api.example.com:443?a-b=1%F0%9F%98%80&n1b%F0%9F%98%80_%2B=%3D%3D%C3%A9&a%5B%5D=_%C3%A9Z%2F",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": null,
   "signature_method": "HMAC-SHA1",
   "timestamp": "1796546307",
   "nonce": "701b45df-b2be-4b1b-ad26-658506997220",
   "version": "1.0",
   "realm": "http://sp.example.com/",
   "extra": {
    "oauth_callback": "oob"
   }
  },
  "secrets": {
   "consumer_secret": "",
   "token_secret": null
  },
  "rfc": {
   "base_string": "GET&https%3A%2F%2Fapi.example.com%2F&a%255B%255D%3D_%25C3%25A9Z%252F%26a-b%3D1%25F0%259F%2598%2580%26n1b%25F0%259F%2598%2580_%252B%3D%253D%253D%25C3%25A9%26oauth_callback%3Doob%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D701b45df-b2be-4b1b-ad26-658506997220%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1796546307%26oauth_version%3D1.0",
   "key": "&"
  },
  "documented": {
   "base_string": "GET&https%3A%2F%2Fapi.example.com%2F&a-b%3D1%25F0%259F%2598%2580%26a%255B%255D%3D_%25C3%25A9Z%252F%26n1b%25F0%259F%2598%2580_%252B%3D%253D%253D%25C3%25A9%26oauth_callback%3Doob%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D701b45df-b2be-4b1b-ad26-658506997220%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1796546307%26oauth_version%3D1.0",
   "key": "&"
  }
 }
]"####;

fn sign(entry: &Value) -> Sent {
    let (request, oauth, secrets) = (&entry["request"], &entry["oauth"], &entry["secrets"]);
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let scheme = if request["method"] == "POST" { AuthorizationScheme::Header } else { AuthorizationScheme::Uri };
    let uri: Uri = url_without_query(request).parse().expect("a URI");
    let consumer = ConsumerCredentials::new(&text(&oauth["consumer_key"]), &text(&secrets["consumer_secret"]));
    let auth_level = match oauth["token"].as_str() {
        Some(token) => AuthenticationLevel::Token(consumer, AccessToken::new(token, &text(&secrets["token_secret"]))),
        None => AuthenticationLevel::Consumer(consumer),
    };
    let auth_parameters: Vec<Parameter> = oauth["realm"]
        .as_str()
        .map(|realm| Parameter::new("realm", realm))
        .into_iter()
        .chain(oauth["extra"].as_object().into_iter().flatten().map(|(n, v)| Parameter::new(n, text(v))))
        .collect();
    let parameters: Vec<Parameter> =
        request_pairs(request).iter().map(|(name, value)| Parameter::new(name, value)).collect();
    let built = OAuthRequest::builder(uri, auth_level, Box::new(HmacSha1Signature))
        .scheme(scheme)
        .add_auth_parameters(&auth_parameters)
        .add_parameters(&parameters)
        .build()
        .expect("the crate builds the request");
    match built.headers.get("Authorization") {
        Some(header) => Sent::from_header(header.to_str().expect("a text header")),
        None => Sent { params: form_pairs(built.uri.query().unwrap_or_default()), header: None },
    }
}

fn main() -> ExitCode {
    own_nonce::check("oauth1-client", FINDINGS, sign)
}
