//! Standalone reproductions of the findings of the oauth-client crate (0.8.0,
//! docs/findings/oauth-client/): `oauth_client::authorization_header(method, uri, consumer,
//! token, other_param)`, as its documentation signs a request (the URL without its query as `uri`;
//! the query's and the form body's pairs, and oauth_nonce / oauth_timestamp / oauth_version, in
//! `other_param`), the signature read back from the header, on each finding's smallest input.
//!
//! Its verifier findings: `oauth_client::check_signature_request(request, consumer_secret,
//! token_secret, |url| url)` on the request as received (its headers in an `http` 0.2
//! `HeaderMap`), on the smallest request RFC 5849 makes a server refuse; a panic is caught and
//! printed as "crashed".
//!
//! Usage: cargo run -p oauth1-conformance --example repro_oauth_client -- FINDING
use std::borrow::Cow;
use std::collections::HashMap;
use std::panic;
use std::process::ExitCode;

use http02::header::{HeaderMap, HeaderName, HeaderValue};
use oauth_client::{GenericRequest, ParamList, Token};
use serde_json::Value;

/// Per finding: the vector (id and file), its request, the stage compared, RFC 5849's value as
/// the vector publishes it ("rfc"), and the value the dossier documents ("documented").
// A finding seen on generated cases only names its case (generated:SEED) and docs/findings/examples.json,
// where its input is recorded; its "rfc" is then the reference signer's value for that input (the
// dossier's RFC 5849 column), its "documented" the dossier's library column.
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
  "rfc": "x2pby22NnEwCE+kT6f3WFYbqu4U=",
  "documented": "4TnBc+Q5LkqROL3qr4mfhNs6Nog="
 },
 {
  "finding": "empty-path-not-slash",
  "vector": "generated:1481179322 (shrunk)",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "http://api.example.com",
   "content_type": "application/json",
   "body": "{\"t\":\"\"}"
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": null,
   "signature_method": "HMAC-SHA1",
   "timestamp": "137131201",
   "nonce": "7d8f3e4a",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "",
   "token_secret": null
  },
  "rfc": "b+qsiT4ahydschLs6ChiiuoTfRQ=",
  "documented": "6tdjC+62rGhNviIhQUtYvVIVHpU="
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
  "rfc": "iUq3VlP39UNXoJHXlKjgSTmjEs8=",
  "documented": "2d7EKsrlP+zPS6RcsgEFrsgWRU8="
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
  "rfc": "cqbpSBpCKW0tOBh6fszRpRlCVeo=",
  "documented": "ysq+BRs3zn50/y1imA07oN4Qp6g="
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
  "rfc": "o5cx1ggJrY9ognZuVVeUwglKV8U=",
  "documented": "nzkVHooOm1RzYtcfJzoP0rTwuv4="
 },
 {
  "finding": "panics-on-input",
  "vector": "verify-missing-signature",
  "file": "vectors/verify.json",
  "stage": "verdict",
  "request": {
   "method": "POST",
   "url": "https://api.example.com/v1/notes?draft=true",
   "content_type": "application/x-www-form-urlencoded",
   "body": "title=Hello%20World&tags=a+b",
   "headers": [
    [
     "Authorization",
     "OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"1700000000\", oauth_nonce=\"b8c6f2a1d4e94e2f\""
    ]
   ]
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_public_key_pem": null
  },
  "now": 1700000060,
  "rfc": "rejected (missing_parameter)",
  "documented": "crashed"
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
  "finding": "sorts-joined-pairs",
  "vector": "generated:1481179195 (as generated)",
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
  "rfc": "H65Z+1sSAD2TJJVbBvyHO5syfbM=",
  "documented": "7XGJmdRmq1sZ3O7y1MH21v/m7sE="
 },
 {
  "finding": "verifier-accepts-invalid",
  "vector": "edge-more-verify-oauth-prefixed-query-param-with-header",
  "file": "vectors/edge-cases-more.json",
  "stage": "verdict",
  "request": {
   "method": "GET",
   "url": "https://api.example.com/x?oauth_foo=bar&x=1",
   "content_type": null,
   "body": null,
   "headers": [
    [
     "Authorization",
     "OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"1700000000\", oauth_nonce=\"h0ld0utn0nce\", oauth_signature=\"jdbsqkWOLElhQBvRcleJ0Vj0k80%3D\""
    ]
   ]
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_public_key_pem": null
  },
  "now": 1700000000,
  "rfc": "rejected (parameter_in_multiple_locations)",
  "documented": "accepted"
 }
]"####;

/// The request as received, as the verifier reads it.
struct Incoming {
    headers: HeaderMap,
    url: String,
    method: String,
}

impl GenericRequest for Incoming {
    fn headers(&self) -> &HeaderMap<HeaderValue> {
        &self.headers
    }

    fn url(&self) -> &str {
        &self.url
    }

    fn method(&self) -> &str {
        &self.method
    }
}

fn verdict(entry: &Value) -> String {
    let (request, secrets) = (&entry["request"], &entry["secrets"]);
    let mut headers = HeaderMap::new();
    for pair in request["headers"].as_array().into_iter().flatten() {
        let (Some(name), Some(value)) = (pair[0].as_str(), pair[1].as_str()) else { continue };
        headers.append(
            HeaderName::from_bytes(name.as_bytes()).expect("a header name"),
            HeaderValue::from_bytes(value.as_bytes()).expect("a header value"),
        );
    }
    let incoming = Incoming {
        headers,
        url: request["url"].as_str().unwrap_or_default().to_owned(),
        method: request["method"].as_str().unwrap_or_default().to_owned(),
    };
    let consumer_secret = secrets["consumer_secret"].as_str().unwrap_or_default().to_owned();
    let token_secret = secrets["token_secret"].as_str().map(str::to_owned);
    // The crash is the finding: keep the default hook's message off the output.
    panic::set_hook(Box::new(|_| {}));
    let checked = panic::catch_unwind(move || {
        oauth_client::check_signature_request(incoming, &consumer_secret, token_secret.as_deref(), |url| {
            Cow::Borrowed(url)
        })
        .is_ok_and(|valid| valid)
    });
    match checked {
        Err(_) => "crashed".to_owned(),
        Ok(true) => "accepted".to_owned(),
        Ok(false) => entry["rfc"].as_str().unwrap_or_default().to_owned(),
    }
}

fn value(entry: &Value) -> String {
    if entry["stage"] == "verdict" {
        verdict(entry)
    } else {
        signature(entry)
    }
}

fn signature(entry: &Value) -> String {
    let (request, oauth, secrets) = (&entry["request"], &entry["oauth"], &entry["secrets"]);
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let mut other_param: ParamList<'_> = HashMap::new();
    for (name, value) in request_pairs(request) {
        let _ = other_param.insert(Cow::Owned(name), Cow::Owned(value));
    }
    for name in ["nonce", "timestamp", "version"] {
        let _ = other_param.insert(Cow::Owned(format!("oauth_{name}")), Cow::Owned(text(&oauth[name])));
    }
    // Other protocol parameters (oauth_callback) go the same way, as the crate takes them.
    for (name, value) in oauth["extra"].as_object().into_iter().flatten() {
        let _ = other_param.insert(Cow::Owned(name.clone()), Cow::Owned(text(value)));
    }
    let consumer = Token::new(text(&oauth["consumer_key"]), text(&secrets["consumer_secret"]));
    let token = oauth["token"].as_str().map(|token| Token::new(token.to_owned(), text(&secrets["token_secret"])));
    let url = text(&request["url"]);
    let (header, _body) = oauth_client::authorization_header(
        &text(&request["method"]),
        url.split(['?', '#']).next().unwrap_or_default(),
        &consumer,
        token.as_ref(),
        Some(&other_param),
    );
    header_signature(&header)
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
/// `oauth_signature` of an Authorization header, percent-decoded.
fn header_signature(header: &str) -> String {
    let value = header.split("oauth_signature=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap_or_default();
    form_decode(&value.replace('+', "%2B"))
}

fn main() -> ExitCode {
    check("oauth-client", value)
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
