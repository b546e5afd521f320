//! `vectors/schema.json` and the Rust model must agree: every corpus file satisfies the
//! schema and loads, and the mistakes the loader rejects the schema rejects too, so other
//! tools validating with the schema see the same format.

use std::path::{Path, PathBuf};

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../vectors")
}

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(vectors_dir().join("schema.json")).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn corpus_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(vectors_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json") && p.file_name().is_some_and(|n| n != "schema.json"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_corpus_file_satisfies_the_schema_and_loads() {
    let validator = validator();
    let files = corpus_files();
    assert!(!files.is_empty());
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let errors: Vec<String> =
            validator.iter_errors(&value).map(|e| format!("{}: {e}", e.instance_path())).collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
        assert!(oauth1_vectors::parse_file(&path.display().to_string(), &text).is_ok(), "{}", path.display());
    }
}

/// A minimal valid file, then single mistakes that both the schema and the loader reject.
#[test]
fn schema_and_loader_reject_the_same_mistakes() {
    let valid = serde_json::json!({
        "format": "oauth1-vectors/v1",
        "description": "d",
        "flags": {"F": "a flag"},
        "cases": [{
            "id": "x-1", "kind": "sign", "description": "d", "provenance": "p", "flags": ["F"], "result": "valid",
            "request": {"method": "GET", "url": "http://example.com/", "content_type": null, "body": null},
            "oauth": {"consumer_key": "k", "token": null, "signature_method": "HMAC-SHA1", "timestamp": "1",
                      "nonce": "n", "version": null, "realm": null, "extra": {}},
            "secrets": {"consumer_secret": "s", "token_secret": null, "rsa_private_key_pem": null},
            "expected": {"base_string_uri": "http://example.com/"}
        }]
    });
    let validator = validator();
    assert!(
        validator.is_valid(&valid),
        "{:?}",
        validator.iter_errors(&valid).map(|e| e.to_string()).collect::<Vec<_>>()
    );
    assert!(oauth1_vectors::parse_file("valid.json", &valid.to_string()).is_ok());

    type Mutation = fn(&mut serde_json::Value);
    let mutations: [(&str, Mutation); 10] = [
        ("a path as id", |v| v["cases"][0]["id"] = serde_json::json!("../../x")),
        ("a control character in the id", |v| v["cases"][0]["id"] = serde_json::json!("x-\u{1b}[2J")),
        ("an uppercase id", |v| v["cases"][0]["id"] = serde_json::json!("X-1")),
        ("a 100,000-character id", |v| v["cases"][0]["id"] = serde_json::json!("x".repeat(100_000))),
        ("unknown case field", |v| v["cases"][0]["expectd"] = serde_json::json!({})),
        ("unknown oauth field", |v| v["cases"][0]["oauth"]["timestmp"] = serde_json::json!("1")),
        ("wrong format", |v| v["format"] = serde_json::json!("oauth1-vectors/v2")),
        ("unknown kind", |v| v["cases"][0]["kind"] = serde_json::json!("sing")),
        ("unknown result", |v| v["cases"][0]["result"] = serde_json::json!("ok")),
        ("no expected stage", |v| v["cases"][0]["expected"] = serde_json::json!({})),
    ];
    for (what, mutate) in mutations {
        let mut file = valid.clone();
        mutate(&mut file);
        assert!(!validator.is_valid(&file), "the schema accepts: {what}");
        assert!(oauth1_vectors::parse_file("bad.json", &file.to_string()).is_err(), "the loader accepts: {what}");
    }
}
