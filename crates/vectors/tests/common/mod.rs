//! Builders for small vector files shared by the integration tests.

#![allow(dead_code, unreachable_pub)] // Each test binary uses a different subset.

use serde_json::{json, Value};

/// A minimal valid `sign` case.
pub fn sign_case(id: &str) -> Value {
    json!({
        "id": id,
        "kind": "sign",
        "description": "plain HMAC-SHA1 GET",
        "provenance": "RFC 5849 3.4.1.1",
        "flags": [],
        "result": "valid",
        "request": {"method": "GET", "url": "http://example.com/request?b5=%3D%253D&a3=a"},
        "oauth": {
            "consumer_key": "9djdj82h48djs9d2",
            "token": "kkk9d7dh3k39sjv7",
            "signature_method": "HMAC-SHA1",
            "timestamp": "137131201",
            "nonce": "7d8f3e4a",
            "extra": {}
        },
        "secrets": {"consumer_secret": "j49sk3j29djd", "token_secret": "dh893hdasih9"},
        "expected": {"signature": "r6/TJjbCOr97/+UU0NsvSne7s5g="}
    })
}

/// A minimal valid `parse_header` case.
pub fn header_case(id: &str) -> Value {
    json!({
        "id": id,
        "kind": "parse_header",
        "description": "realm and one parameter",
        "provenance": "RFC 5849 3.5.1",
        "flags": [],
        "result": "valid",
        "header": "OAuth realm=\"Example\", oauth_nonce=\"x%20y\"",
        "expected": {"params": [["realm", "Example"], ["oauth_nonce", "x y"]]}
    })
}

/// A minimal valid `verify` case.
pub fn verify_case(id: &str) -> Value {
    json!({
        "id": id,
        "kind": "verify",
        "description": "stale timestamp",
        "provenance": "RFC 5849 3.3",
        "flags": [],
        "result": "invalid",
        "request": {
            "method": "POST",
            "url": "http://example.com/",
            "content_type": "application/x-www-form-urlencoded",
            "body": "a=1",
            "headers": [["Authorization", "OAuth oauth_consumer_key=\"k\""]]
        },
        "secrets": {"consumer_secret": "s", "token_secret": null, "rsa_public_key_pem": null},
        "now": 1_700_000_000_u64,
        "expected": {"reason": "timestamp_out_of_window"}
    })
}

/// A file around `cases`, declaring the flags `Lenient` and `Legacy`.
pub fn file_with(cases: &[Value]) -> Value {
    json!({
        "format": "oauth1-vectors/v1",
        "description": "test file",
        "flags": {"Lenient": "servers may accept this", "Legacy": "old behaviour"},
        "cases": cases
    })
}

/// Pretty JSON text of `value` (one field per line, so line numbers are predictable).
pub fn text(value: &Value) -> String {
    serde_json::to_string_pretty(value).expect("a Value always serializes")
}

/// Sets `value[path...] = new`, creating nothing: every step but the last must exist.
pub fn set(value: &mut Value, path: &[&str], new: Value) {
    let (last, init) = path.split_last().expect("non-empty path");
    let mut target = value;
    for step in init {
        target = target.get_mut(*step).expect("path exists");
    }
    target.as_object_mut().expect("an object").insert((*last).to_owned(), new);
}

/// Removes `value[path...]`.
pub fn remove(value: &mut Value, path: &[&str]) {
    let (last, init) = path.split_last().expect("non-empty path");
    let mut target = value;
    for step in init {
        target = target.get_mut(*step).expect("path exists");
    }
    target.as_object_mut().expect("an object").remove(*last).expect("field existed");
}
