//! Serializing the model and parsing it back gives the same value.

mod common;

use common::{file_with, header_case, sign_case, text, verify_case};
use oauth1_vectors::{
    parse_file, Case, CaseBody, CaseKind, Expectation, OAuthParams, ParseHeaderCase, ParseHeaderExpected, RejectReason,
    SignCase, SignExpected, SignRequest, SignSecrets, VectorFile, VerifyCase, VerifyExpected, VerifyRequest,
    VerifySecrets, FORMAT,
};
use serde_json::json;

fn s(text: &str) -> String {
    text.to_owned()
}

fn pair(name: &str, value: &str) -> (String, String) {
    (s(name), s(value))
}

/// Sign cases with every optional part set, and with none.
fn sign_cases() -> [Case; 2] {
    let full_sign = Case {
        id: s("sign-full"),
        description: s("every field set"),
        provenance: s("RFC 5849 3.4.1; body hash draft"),
        flags: vec![s("Zeta"), s("Alpha")],
        result: Expectation::Acceptable,
        body: CaseBody::Sign(SignCase {
            request: SignRequest {
                method: s("post"),
                url: s("HTTP://Example.COM:80/r%20v/X?id=123&id=ABC"),
                content_type: Some(s("application/x-www-form-urlencoded; charset=utf-8")),
                body: Some(s("c2&a3=2+q&\u{e9}=\"\\\n")),
            },
            oauth: OAuthParams {
                consumer_key: s("9djdj82h48djs9d2"),
                token: Some(s("kkk9d7dh3k39sjv7")),
                signature_method: s("RSA-SHA1"),
                timestamp: Some(s("137131201")),
                nonce: Some(s("7d8f3e4a")),
                version: Some(s("1.0")),
                realm: Some(s("Example")),
                extra: vec![pair("oauth_z", "1"), pair("oauth_callback", "oob"), pair("a", "")],
                compute_body_hash: true,
            },
            secrets: SignSecrets {
                consumer_secret: Some(s("j49sk3j29djd")),
                token_secret: Some(s("")),
                rsa_private_key_pem: Some(s("-----BEGIN PRIVATE KEY-----\nMII\n-----END PRIVATE KEY-----\n")),
            },
            expected: SignExpected {
                normalized_parameters: Some(s("a2=r%20b&a3=2%20q")),
                base_string_uri: Some(s("http://example.com/r%20v/X")),
                signature_base_string: Some(s("POST&http%3A%2F%2Fexample.com")),
                signature: Some(s("r6/TJjbCOr97/+UU0NsvSne7s5g=")),
                authorization_header: Some(s("OAuth realm=\"Example\"")),
                body_hash: Some(s("2jmj7l5rSw0yVb/vlWAYkK/YBwk=")),
            },
        }),
    };
    let sparse_sign = Case {
        id: s("sign-sparse"),
        description: s(""),
        provenance: s(""),
        flags: vec![],
        result: Expectation::Invalid,
        body: CaseBody::Sign(SignCase {
            request: SignRequest { method: s("GET"), url: s("http://example.com/"), content_type: None, body: None },
            oauth: OAuthParams {
                consumer_key: s(""),
                token: None,
                signature_method: s("HMAC-SHA256"),
                timestamp: None,
                nonce: None,
                version: None,
                realm: None,
                extra: vec![],
                compute_body_hash: false,
            },
            secrets: SignSecrets { consumer_secret: None, token_secret: None, rsa_private_key_pem: None },
            expected: SignExpected {
                signature_base_string: Some(s("GET&http%3A%2F%2Fexample.com%2F&")),
                ..SignExpected::default()
            },
        }),
    };
    [full_sign, sparse_sign]
}

/// Parse-header cases with and without `params`.
fn header_cases() -> [Case; 2] {
    let header_valid = Case {
        id: s("hdr-valid"),
        description: s("d"),
        provenance: s("p"),
        flags: vec![],
        result: Expectation::Valid,
        body: CaseBody::ParseHeader(ParseHeaderCase {
            header: s("OAuth realm=\"\", oauth_a=\"1\", oauth_a=\"2\""),
            expected: ParseHeaderExpected {
                params: Some(vec![pair("realm", ""), pair("oauth_a", "1"), pair("oauth_a", "2")]),
            },
        }),
    };
    let header_invalid = Case {
        id: s("hdr-invalid"),
        description: s("d"),
        provenance: s("p"),
        flags: vec![s("Alpha")],
        result: Expectation::Invalid,
        body: CaseBody::ParseHeader(ParseHeaderCase {
            header: s("OAuth oauth_a=1"),
            expected: ParseHeaderExpected { params: None },
        }),
    };
    [header_valid, header_invalid]
}

/// Verify cases with every optional part set, and with none.
fn verify_cases() -> [Case; 2] {
    let verify_rejected = Case {
        id: s("verify-rejected"),
        description: s("d"),
        provenance: s("p"),
        flags: vec![],
        result: Expectation::Invalid,
        body: CaseBody::Verify(VerifyCase {
            request: VerifyRequest {
                method: s("GET"),
                url: s("https://example.com/?a=1"),
                content_type: None,
                body: Some(s("")),
                headers: vec![pair("Authorization", "OAuth x=\"y\""), pair("Authorization", "OAuth")],
            },
            secrets: VerifySecrets {
                consumer_secret: Some(s("s")),
                token_secret: None,
                rsa_public_key_pem: Some(s("-----BEGIN PUBLIC KEY-----\n")),
                rsa_private_key_pem: Some(s("-----BEGIN PRIVATE KEY-----\n")),
            },
            now: u64::MAX,
            expected: Some(VerifyExpected { reason: RejectReason::ParameterInMultipleLocations }),
        }),
    };
    let verify_accepted = Case {
        id: s("verify-accepted"),
        description: s("d"),
        provenance: s("p"),
        flags: vec![],
        result: Expectation::Valid,
        body: CaseBody::Verify(VerifyCase {
            request: VerifyRequest {
                method: s("GET"),
                url: s("https://example.com/"),
                content_type: Some(s("text/plain")),
                body: None,
                headers: vec![],
            },
            secrets: VerifySecrets {
                consumer_secret: None,
                token_secret: None,
                rsa_public_key_pem: None,
                rsa_private_key_pem: None,
            },
            now: 0,
            expected: None,
        }),
    };
    [verify_rejected, verify_accepted]
}

/// A file using every optional part of the format, in both states.
fn everything() -> VectorFile {
    VectorFile {
        format: s(FORMAT),
        description: s("round trip"),
        flags: vec![pair("Zeta", "last letter"), pair("Alpha", "first letter"), pair("Unused", "")],
        cases: [sign_cases(), header_cases(), verify_cases()].concat(),
    }
}

#[test]
fn model_to_json_and_back_is_identity() {
    let file = everything();
    for json in
        [serde_json::to_string(&file).expect("serializes"), serde_json::to_string_pretty(&file).expect("serializes")]
    {
        let parsed = parse_file("rt.json", &json).unwrap_or_else(|e| panic!("{e:#?}\n{json}"));
        assert_eq!(parsed, file);
        // And the written text is stable.
        let again = serde_json::to_string_pretty(&parsed).expect("serializes");
        assert_eq!(again, serde_json::to_string_pretty(&file).expect("serializes"));
    }
}

#[test]
fn serialized_form_keeps_order_and_spells_fields_as_the_format_does() {
    let file = everything();
    let json = serde_json::to_string(&file).expect("serializes");
    // Key order: flags and extra as inserted; case fields in format order.
    assert!(json.contains(r#""flags":{"Zeta":"last letter","Alpha":"first letter","Unused":""}"#), "{json}");
    assert!(json.contains(r#""extra":{"oauth_z":"1","oauth_callback":"oob","a":""}"#), "{json}");
    assert!(json.contains(r#"{"id":"sign-sparse","kind":"sign","description":"","provenance":"","flags":[],"result":"invalid","request":"#), "{json}");
    // Optional fields: absent stages and a false compute_body_hash are left out;
    // nullable parameters are written as null.
    assert!(json.contains(r#""expected":{"signature_base_string":"GET&http%3A%2F%2Fexample.com%2F&"}"#), "{json}");
    assert!(json.contains(r#""realm":null,"extra":{}}"#), "{json}");
    assert!(json.contains(r#""compute_body_hash":true"#), "{json}");
    assert!(json.contains(r#""header":"OAuth oauth_a=1","expected":{}}"#), "{json}");
    assert!(json.contains(r#""params":[["realm",""],["oauth_a","1"],["oauth_a","2"]]"#), "{json}");
    assert!(
        json.contains(r#""now":18446744073709551615,"expected":{"reason":"parameter_in_multiple_locations"}}"#),
        "{json}"
    );
    assert!(json.contains(r#""now":0}"#), "verify without expected: {json}");
}

#[test]
fn parsed_text_round_trips() {
    let value = file_with(&[sign_case("s"), header_case("h"), verify_case("v")]);
    let first = parse_file("a.json", &text(&value)).expect("valid");
    let written = serde_json::to_string_pretty(&first).expect("serializes");
    let second = parse_file("b.json", &written).expect("valid");
    assert_eq!(first, second);
    // Nothing was lost: re-reading the output as plain JSON matches the input apart from
    // the nullable fields that the input left out and the output writes as null.
    let reread: serde_json::Value = serde_json::from_str(&written).expect("json");
    assert_eq!(reread["cases"][1], value["cases"][1]);
    assert_eq!(reread["cases"][0]["oauth"]["version"], json!(null));
    assert_eq!(reread["cases"][0]["expected"], value["cases"][0]["expected"]);
}

#[test]
fn a_single_case_can_be_saved_as_a_new_file() {
    let source = everything();
    let case = source.cases[0].clone();
    let flags = source.flags.iter().filter(|(name, _)| case.flags.contains(name)).cloned().collect();
    let saved = VectorFile { format: s(FORMAT), description: s("shrunk counterexample"), flags, cases: vec![case] };
    let json = serde_json::to_string_pretty(&saved).expect("serializes");
    assert_eq!(parse_file("saved.json", &json), Ok(saved));
}

#[test]
fn enum_names_match_their_json_spelling() {
    for reason in RejectReason::ALL {
        assert_eq!(serde_json::to_value(reason).expect("serializes"), json!(reason.as_str()));
    }
    for kind in [CaseKind::Sign, CaseKind::ParseHeader, CaseKind::Verify] {
        assert_eq!(serde_json::to_value(kind).expect("serializes"), json!(kind.as_str()));
    }
    assert_eq!(
        serde_json::to_value([Expectation::Valid, Expectation::Invalid, Expectation::Acceptable]).expect("serializes"),
        json!(["valid", "invalid", "acceptable"])
    );
}
