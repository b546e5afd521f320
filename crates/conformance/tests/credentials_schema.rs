//! `docs/credentials.schema.json` and the credentials loader agree: every document the schema
//! accepts loads, unless it breaks one of the rules only the loader can check (unique keys,
//! tokens of known consumers, parsable RSA keys); every document the schema refuses is refused.

use std::path::Path;

use oauth1_conformance::live::credentials::Credentials;

fn validator() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/credentials.schema.json");
    let schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

/// The corpus's RSA test certificate (not secret).
fn rsa_certificate() -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../vectors/signature-methods.json");
    let corpus: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let case = corpus["cases"].as_array().unwrap().iter().find(|c| c["id"] == "sigmeth-verify-rsa-sha1").unwrap();
    case["secrets"]["rsa_public_key_pem"].clone()
}

#[test]
fn schema_and_loader_agree() {
    let validator = validator();
    let rsa = rsa_certificate().to_string();
    let documents: Vec<(String, bool, bool)> = vec![
        // (document, valid by the schema, valid for the loader)
        (
            r#"{"consumers": [{"key": "dpf43f3p2l4k3l03", "secret": "kd94hf93k423kf44", "rsa_public_key_pem": null}],
                "tokens": [{"token": "nnch734d00sl2jdk", "secret": "pfkkdhi9sl3r4s00", "consumer_key": "dpf43f3p2l4k3l03"}],
                "verifier": "hfdp7dh39dks9884"}"#
                .into(),
            true,
            true,
        ),
        (r#"{"consumers": [{"key": "k", "secret": ""}]}"#.into(), true, true),
        (format!(r#"{{"consumers": [{{"key": "k", "secret": "", "rsa_public_key_pem": {rsa}}}]}}"#), true, true),
        (r#"{"consumers": [{"key": "k", "secret": "s"}], "tokens": [], "verifier": null}"#.into(), true, true),
        (r#"{"consumers": []}"#.into(), false, false),
        (r#"{}"#.into(), false, false),
        (r#"{"consumers": [{"key": "", "secret": "s"}]}"#.into(), false, false),
        (r#"{"consumers": [{"key": "k"}]}"#.into(), false, false),
        (r#"{"consumers": [{"key": "k", "secret": 1}]}"#.into(), false, false),
        (r#"{"consumers": [{"key": "k", "secret": "s", "extra": 1}]}"#.into(), false, false),
        (r#"{"consumers": [{"key": "k", "secret": "s"}], "other": 1}"#.into(), false, false),
        (r#"{"consumers": [{"key": "k", "secret": "s"}], "tokens": [{"token": "t", "secret": "s"}]}"#.into(), false, false),
        (r#"{"consumers": [{"key": "k", "secret": "s"}], "verifier": 5}"#.into(), false, false),
        // Only the loader can see these.
        (r#"{"consumers": [{"key": "k", "secret": "s"}, {"key": "k", "secret": "t"}]}"#.into(), true, false),
        (
            r#"{"consumers": [{"key": "k", "secret": "s"}], "tokens": [{"token": "t", "secret": "s", "consumer_key": "x"}]}"#
                .into(),
            true,
            false,
        ),
        (r#"{"consumers": [{"key": "k", "secret": "s", "rsa_public_key_pem": "not a key"}]}"#.into(), true, false),
    ];
    for (document, schema_valid, loader_valid) in documents {
        let json: serde_json::Value = serde_json::from_str(&document).unwrap();
        assert_eq!(validator.is_valid(&json), schema_valid, "schema on {document}");
        assert_eq!(Credentials::from_json(&document).is_ok(), loader_valid, "loader on {document}");
    }
}
