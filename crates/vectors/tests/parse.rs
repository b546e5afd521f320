//! `parse_file`: what it accepts, and each kind of error it reports.

mod common;

use common::{file_with, header_case, remove, set, sign_case, text, verify_case};
use oauth1_vectors::{parse_file, CaseBody, CaseKind, Expectation, RejectReason, VectorError, VectorFile};
use serde_json::{json, Value};

fn parse_ok(value: &Value) -> VectorFile {
    match parse_file("t.json", &text(value)) {
        Ok(file) => file,
        Err(errors) => panic!("unexpected errors: {errors:#?}"),
    }
}

fn parse_err(text: &str) -> Vec<VectorError> {
    match parse_file("t.json", text) {
        Ok(file) => panic!("expected errors, parsed {file:#?}"),
        Err(errors) => {
            assert!(!errors.is_empty(), "Err with no errors");
            errors
        }
    }
}

/// The single error of a file with one problem.
fn single_err(value: &Value) -> VectorError {
    let mut errors = parse_err(&text(value));
    assert_eq!(errors.len(), 1, "expected one error, got {errors:#?}");
    errors.remove(0)
}

fn assert_err(err: &VectorError, case_id: Option<&str>, json_path: Option<&str>, needle: &str) {
    assert_eq!(err.file, "t.json", "{err}");
    assert_eq!(err.case_id.as_deref(), case_id, "{err}");
    assert_eq!(err.json_path.as_deref(), json_path, "{err}");
    assert!(err.message.contains(needle), "{err:?} lacks {needle:?}");
}

#[test]
fn valid_file_of_every_kind_parses_into_the_model() {
    let file = parse_ok(&file_with(&[sign_case("s1"), header_case("h1"), verify_case("v1")]));
    assert_eq!(file.format, "oauth1-vectors/v1");
    assert_eq!(file.description, "test file");
    assert_eq!(file.flag("Lenient"), Some("servers may accept this"));
    assert_eq!(file.flag("Nope"), None);
    assert_eq!(file.cases.len(), 3);

    let kinds: Vec<CaseKind> = file.cases.iter().map(oauth1_vectors::Case::kind).collect();
    assert_eq!(kinds, [CaseKind::Sign, CaseKind::ParseHeader, CaseKind::Verify]);

    let s = &file.cases[0];
    assert_eq!(s.id, "s1");
    assert_eq!(s.result, Expectation::Valid);
    let CaseBody::Sign(sign) = &s.body else { panic!("not sign: {s:?}") };
    assert_eq!(sign.request.method, "GET");
    assert_eq!(sign.request.content_type, None, "omitted nullable is None");
    assert_eq!(sign.oauth.version, None);
    assert_eq!(sign.oauth.token.as_deref(), Some("kkk9d7dh3k39sjv7"));
    assert!(!sign.oauth.compute_body_hash, "defaults to false");
    assert_eq!(sign.secrets.rsa_private_key_pem, None);
    assert_eq!(sign.expected.signature.as_deref(), Some("r6/TJjbCOr97/+UU0NsvSne7s5g="));
    assert_eq!(sign.expected.body_hash, None);

    let CaseBody::ParseHeader(header) = &file.cases[1].body else { panic!("not parse_header") };
    assert_eq!(
        header.expected.params,
        Some(vec![("realm".to_owned(), "Example".to_owned()), ("oauth_nonce".to_owned(), "x y".to_owned()),])
    );

    let CaseBody::Verify(verify) = &file.cases[2].body else { panic!("not verify") };
    assert_eq!(verify.now, 1_700_000_000);
    assert_eq!(verify.request.body.as_deref(), Some("a=1"));
    assert_eq!(verify.request.headers.len(), 1);
    assert_eq!(verify.secrets.rsa_private_key_pem, None);
    assert_eq!(verify.expected.as_ref().map(|e| e.reason), Some(RejectReason::TimestampOutOfWindow));
}

#[test]
fn extra_parameters_and_flags_keep_file_order() {
    let text = r#"{"format": "oauth1-vectors/v1", "description": "d",
      "flags": {"Zeta": "z", "Alpha": "a"},
      "cases": [{"id": "s", "kind": "sign", "description": "", "provenance": "",
        "flags": ["Zeta"], "result": "acceptable",
        "request": {"method": "GET", "url": "http://e/"},
        "oauth": {"consumer_key": "k", "signature_method": "PLAINTEXT",
                  "extra": {"z": "1", "oauth_callback": "oob", "a": "2"},
                  "compute_body_hash": true},
        "secrets": {"consumer_secret": null}, "expected": {"body_hash": "h"}}]}"#;
    let file = parse_file("t.json", text).expect("valid");
    let names: Vec<&str> = file.flags.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Zeta", "Alpha"]);
    let CaseBody::Sign(sign) = &file.cases[0].body else { panic!("not sign") };
    let extra: Vec<(&str, &str)> = sign.oauth.extra.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    assert_eq!(extra, [("z", "1"), ("oauth_callback", "oob"), ("a", "2")]);
    assert!(sign.oauth.compute_body_hash);
}

#[test]
fn invalid_json_reports_line_and_column() {
    let errors = parse_err("{\n  \"format\": \"oauth1-vectors/v1\",\n  \"cases\": [,]\n}");
    assert_eq!(errors.len(), 1);
    let err = &errors[0];
    assert_eq!(err.case_id, None);
    assert_eq!(err.json_path, None);
    assert!(err.message.contains("expected value"), "{err}");
    assert!(err.message.ends_with("(line 3, column 13)"), "{err}");
    assert_eq!(err.to_string(), format!("t.json: {}", err.message));
}

#[test]
fn truncated_and_empty_input_are_errors() {
    for input in ["", "   ", "{", "{\"format\": \"oauth1-vectors/v1\"", "nul"] {
        let errors = parse_err(input);
        assert_eq!(errors.len(), 1, "{input:?}: {errors:?}");
        assert!(errors[0].message.contains("line"), "{:?}", errors[0]);
    }
}

#[test]
fn top_level_must_be_an_object() {
    let errors = parse_err("[1, 2]");
    assert_eq!(errors.len(), 1);
    assert!(errors[0].message.contains("expected a JSON object"), "{:?}", errors[0]);
}

#[test]
fn byte_order_mark_is_rejected() {
    let errors = parse_err(&format!("\u{feff}{}", text(&file_with(&[sign_case("s")]))));
    assert_eq!(errors.len(), 1);
    assert!(errors[0].message.contains("byte order mark"), "{:?}", errors[0]);
}

#[test]
fn wrong_format_is_rejected() {
    let mut value = file_with(&[sign_case("s")]);
    set(&mut value, &["format"], json!("oauth1-vectors/v2"));
    let err = single_err(&value);
    assert_err(&err, None, Some("format"), "unsupported format \"oauth1-vectors/v2\"");
}

#[test]
fn unknown_top_level_field_is_rejected() {
    let mut value = file_with(&[sign_case("s")]);
    set(&mut value, &["version"], json!(1));
    let err = single_err(&value);
    assert_err(
        &err,
        None,
        Some("version"),
        "unknown field `version`, expected one of `format`, `description`, `flags`, `cases`",
    );
}

#[test]
fn missing_top_level_fields_are_each_reported() {
    let mut value = file_with(&[sign_case("s")]);
    remove(&mut value, &["description"]);
    remove(&mut value, &["flags"]);
    let errors = parse_err(&text(&value));
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(messages, ["missing field `description`", "missing field `flags`"]);
    assert!(errors.iter().all(|e| e.json_path.is_none()));
}

#[test]
fn duplicate_top_level_field_is_rejected() {
    let text = r#"{"format": "oauth1-vectors/v1", "description": "a", "description": "b",
                   "flags": {}, "cases": []}"#;
    let errors = parse_err(text);
    assert_eq!(errors.len(), 1);
    assert_err(&errors[0], None, Some("description"), "duplicate field `description`");
}

#[test]
fn duplicate_flag_declaration_is_rejected() {
    let text = r#"{"format": "oauth1-vectors/v1", "description": "d",
                   "flags": {"A": "x", "A": "y"}, "cases": []}"#;
    let errors = parse_err(text);
    assert_eq!(errors.len(), 1);
    assert_err(&errors[0], None, Some("flags"), "duplicate key `A`");
}

#[test]
fn flag_meaning_must_be_a_string() {
    let mut value = file_with(&[sign_case("s")]);
    set(&mut value, &["flags"], json!({"A": true}));
    let err = single_err(&value);
    assert_err(&err, None, Some("flags.A"), "invalid type: boolean `true`");
}

#[test]
fn cases_must_be_an_array() {
    let mut value = file_with(&[]);
    set(&mut value, &["cases"], json!({"id": "x"}));
    let err = single_err(&value);
    assert_err(&err, None, Some("cases"), "invalid type: map, expected a sequence");
}

#[test]
fn case_must_be_an_object() {
    let value = file_with(&[json!("s1")]);
    let err = single_err(&value);
    assert_err(&err, None, Some("cases[0]"), "expected a JSON object");
}

#[test]
fn unknown_field_names_the_field_and_the_allowed_ones() {
    let mut case = sign_case("s1");
    set(&mut case, &["oauth", "timestmp"], json!("1"));
    let err = single_err(&file_with(&[case]));
    assert_err(
        &err,
        Some("s1"),
        Some("cases[0].oauth.timestmp"),
        "unknown field `timestmp`, expected one of `consumer_key`, `token`, \
         `signature_method`, `timestamp`",
    );
    assert!(
        err.to_string().starts_with("t.json: case s1: at cases[0].oauth.timestmp: unknown field `timestmp`"),
        "{err}"
    );
}

#[test]
fn unknown_field_at_case_level_is_rejected() {
    let mut case = header_case("h1");
    set(&mut case, &["now"], json!(5));
    let err = single_err(&file_with(&[case]));
    assert_err(&err, Some("h1"), Some("cases[0].now"), "unknown field `now`, expected one of `id`, `kind`");
}

#[test]
fn missing_required_field_is_rejected() {
    let mut case = sign_case("s1");
    remove(&mut case, &["request", "url"]);
    let err = single_err(&file_with(&[case]));
    assert_err(&err, Some("s1"), Some("cases[0].request"), "missing field `url`");

    let mut case = verify_case("v1");
    remove(&mut case, &["now"]);
    let err = single_err(&file_with(&[case]));
    assert_err(&err, Some("v1"), Some("cases[0]"), "missing field `now`");

    let mut case = sign_case("s1");
    remove(&mut case, &["oauth", "extra"]);
    let err = single_err(&file_with(&[case]));
    assert_err(&err, Some("s1"), Some("cases[0].oauth"), "missing field `extra`");
}

#[test]
fn wrong_types_are_rejected_with_exact_paths() {
    let mut case = verify_case("v1");
    set(&mut case, &["now"], json!("1700000000"));
    let err = single_err(&file_with(&[case]));
    assert_err(&err, Some("v1"), Some("cases[0].now"), "invalid type: string \"1700000000\", expected u64");

    let mut case = verify_case("v1");
    set(&mut case, &["now"], json!(-1));
    let err = single_err(&file_with(&[case]));
    assert_err(&err, Some("v1"), Some("cases[0].now"), "invalid value: integer `-1`");

    let mut case = sign_case("s1");
    set(&mut case, &["oauth", "timestamp"], json!(137_131_201));
    let err = single_err(&file_with(&[case]));
    assert_err(
        &err,
        Some("s1"),
        Some("cases[0].oauth.timestamp"),
        "invalid type: integer `137131201`, expected a string",
    );

    let mut case = sign_case("s1");
    set(&mut case, &["oauth", "compute_body_hash"], json!("yes"));
    let err = single_err(&file_with(&[case]));
    assert_err(&err, Some("s1"), Some("cases[0].oauth.compute_body_hash"), "expected a boolean");

    let mut case = sign_case("s1");
    set(&mut case, &["flags"], json!("Lenient"));
    let err = single_err(&file_with(&[case]));
    assert_err(&err, Some("s1"), Some("cases[0].flags"), "expected a sequence");
}

#[test]
fn extra_values_must_be_strings_and_keys_unique() {
    let mut case = sign_case("s1");
    set(&mut case, &["oauth", "extra"], json!({"oauth_callback": null}));
    let err = single_err(&file_with(&[case]));
    assert_err(&err, Some("s1"), Some("cases[0].oauth.extra.oauth_callback"), "invalid type: null, expected a string");

    let case = text(&sign_case("s1")).replace("\"extra\": {}", "\"extra\": {\"a\": \"1\", \"b\": \"2\", \"a\": \"3\"}");
    let file = text(&file_with(&[json!("PLACEHOLDER")])).replace("\"PLACEHOLDER\"", &case);
    let errors = parse_err(&file);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_err(&errors[0], Some("s1"), Some("cases[0].oauth.extra"), "duplicate key `a`");
}

#[test]
fn header_pairs_must_have_exactly_two_strings() {
    for (bad, needle) in [
        (json!([["a", "b", "c"]]), "invalid length 3, expected a [name, value] pair"),
        (json!([["a"]]), "invalid length 1, expected a [name, value] pair"),
        (json!([[]]), "invalid length 0, expected a [name, value] pair"),
        (json!(["a: b"]), "expected a [name, value] pair"),
    ] {
        let mut case = verify_case("v1");
        set(&mut case, &["request", "headers"], bad);
        let err = single_err(&file_with(&[case]));
        assert_err(&err, Some("v1"), Some("cases[0].request.headers[0]"), needle);
    }

    let mut case = verify_case("v1");
    set(&mut case, &["request", "headers"], json!([["a", "b"], ["c", 1]]));
    let err = single_err(&file_with(&[case]));
    assert_err(
        &err,
        Some("v1"),
        Some("cases[0].request.headers[1][1]"),
        "invalid type: integer `1`, expected a string",
    );
}

#[test]
fn parse_header_params_must_be_pairs() {
    let mut case = header_case("h1");
    set(&mut case, &["expected", "params"], json!({"realm": "x"}));
    let err = single_err(&file_with(&[case]));
    assert_err(&err, Some("h1"), Some("cases[0].expected.params"), "invalid type: map, expected a sequence");
}

#[test]
fn unknown_enum_values_are_rejected() {
    let mut case = verify_case("v1");
    set(&mut case, &["expected", "reason"], json!("bad_signature"));
    let err = single_err(&file_with(&[case]));
    assert_err(
        &err,
        Some("v1"),
        Some("cases[0].expected.reason"),
        "unknown variant `bad_signature`, expected one of `signature_mismatch`",
    );

    let mut case = sign_case("s1");
    set(&mut case, &["result"], json!("maybe"));
    let err = single_err(&file_with(&[case]));
    assert_err(
        &err,
        Some("s1"),
        Some("cases[0].result"),
        "unknown variant `maybe`, expected one of `valid`, `invalid`, `acceptable`",
    );
}

#[test]
fn kind_is_required_and_must_be_known() {
    let mut case = sign_case("s1");
    set(&mut case, &["kind"], json!("signature"));
    let err = single_err(&file_with(&[case]));
    assert_err(
        &err,
        Some("s1"),
        Some("cases[0].kind"),
        "unknown variant `signature`, expected one of `sign`, `parse_header`, `verify`",
    );

    let mut case = sign_case("s1");
    remove(&mut case, &["kind"]);
    let err = single_err(&file_with(&[case]));
    assert_err(&err, Some("s1"), Some("cases[0]"), "missing field `kind`");
}

#[test]
fn fields_of_another_kind_are_unknown() {
    let mut case = verify_case("v1");
    set(&mut case, &["oauth"], json!({}));
    let err = single_err(&file_with(&[case]));
    assert_err(
        &err,
        Some("v1"),
        Some("cases[0].oauth"),
        "unknown field `oauth`, expected one of `id`, `kind`, `description`, `provenance`, \
         `flags`, `result`, `request`, `secrets`, `now`, `expected`",
    );
}

#[test]
fn case_id_must_be_a_nonempty_string() {
    let mut case = sign_case("s1");
    set(&mut case, &["id"], json!(7));
    let err = single_err(&file_with(&[case]));
    assert_err(&err, None, Some("cases[0].id"), "invalid type: integer `7`");

    let err = single_err(&file_with(&[sign_case("")]));
    assert_err(&err, Some(""), Some("cases[0].id"), "must not be empty");
}

/// `vectors/schema.json`'s `$defs.caseId`: a path, control characters or 100,000 characters
/// are refused with the rule, and the message shows the id escaped and cut short.
#[test]
fn case_ids_outside_the_schema_rule_are_rejected() {
    let long = "a".repeat(100_000);
    for (id, needle) in [
        ("../../x", "case id has '/' at byte 2"),
        ("Upper", "case id has 'U' at byte 0"),
        (".hidden", "case id starts with '.'"),
        ("-x", "case id starts with '-'"),
        ("a\u{1b}[2Jb", "case id has '\\u{1b}' at byte 1"),
        ("tab\there", "case id has '\\t' at byte 3"),
        (long.as_str(), "case id is 100000 characters long"),
    ] {
        let err = single_err(&file_with(&[sign_case(id)]));
        assert_err(&err, Some(id), Some("cases[0].id"), needle);
        assert!(err.message.contains("^[a-z0-9][a-z0-9._-]*$"), "{err:?}");
        let shown = err.to_string();
        assert!(!shown.chars().any(char::is_control), "{shown:?}");
        assert!(shown.len() < 600, "{} bytes: {}", shown.len(), &shown[..200]);
    }
    let err = single_err(&file_with(&[sign_case("a\u{1b}[2Jb")]));
    assert!(err.to_string().contains("case a\\u{1b}[2Jb:"), "{err}");
    let err = single_err(&file_with(&[sign_case(&long)]));
    assert!(err.to_string().contains("… (100000 characters)"), "{err}");

    let max = "a".repeat(120);
    parse_ok(&file_with(&[sign_case(&max), sign_case("0.a_b-c")]));
}

#[test]
fn duplicate_case_id_within_a_file_is_rejected() {
    let err = single_err(&file_with(&[sign_case("dup"), header_case("other"), verify_case("dup")]));
    assert_err(&err, Some("dup"), Some("cases[2].id"), "duplicate case id; first defined at cases[0]");
}

#[test]
fn undeclared_flag_is_rejected() {
    let mut case = sign_case("s1");
    set(&mut case, &["flags"], json!(["Lenient", "Lenient2"]));
    let err = single_err(&file_with(&[case]));
    assert_err(
        &err,
        Some("s1"),
        Some("cases[0].flags[1]"),
        "flag `Lenient2` is not declared in the file's `flags` table (declared: Legacy, Lenient)",
    );
}

#[test]
fn repeated_flag_in_a_case_is_rejected() {
    let mut case = sign_case("s1");
    set(&mut case, &["flags"], json!(["Legacy", "Legacy"]));
    let err = single_err(&file_with(&[case]));
    assert_err(&err, Some("s1"), Some("cases[0].flags[1]"), "flag `Legacy` is listed twice");
}

#[test]
fn declared_but_unused_flags_are_fine() {
    let file = parse_ok(&file_with(&[header_case("h1")]));
    assert_eq!(file.flags.len(), 2);
}

#[test]
fn acceptable_case_needs_a_flag() {
    let mut case = verify_case("v1");
    set(&mut case, &["result"], json!("acceptable"));
    let err = single_err(&file_with(&[case.clone()]));
    assert_err(&err, Some("v1"), Some("cases[0].flags"), "an `acceptable` case must carry at least one flag");

    set(&mut case, &["flags"], json!(["Lenient"]));
    let file = parse_ok(&file_with(&[case]));
    assert_eq!(file.cases[0].result, Expectation::Acceptable);
}

#[test]
fn sign_case_needs_an_expected_stage() {
    let mut case = sign_case("s1");
    set(&mut case, &["expected"], json!({}));
    let err = single_err(&file_with(&[case.clone()]));
    assert_err(
        &err,
        Some("s1"),
        Some("cases[0].expected"),
        "a sign case must expect at least one stage (one of normalized_parameters, \
         base_string_uri, signature_base_string, signature, authorization_header, body_hash)",
    );

    set(&mut case, &["expected"], json!({"signatur": "x"}));
    let err = single_err(&file_with(&[case]));
    assert_err(&err, Some("s1"), Some("cases[0].expected.signatur"), "unknown field `signatur`");
}

#[test]
fn valid_parse_header_case_needs_params() {
    let mut case = header_case("h1");
    set(&mut case, &["expected"], json!({}));
    let err = single_err(&file_with(&[case.clone()]));
    assert_err(
        &err,
        Some("h1"),
        Some("cases[0].expected.params"),
        "a `valid` parse_header case must list the expected `params`",
    );

    // The same case is fine as `invalid`, with `expected` empty or `params` null.
    set(&mut case, &["result"], json!("invalid"));
    let file = parse_ok(&file_with(&[case.clone()]));
    let CaseBody::ParseHeader(header) = &file.cases[0].body else { panic!("not parse_header") };
    assert_eq!(header.expected.params, None);
    set(&mut case, &["expected"], json!({"params": null}));
    parse_ok(&file_with(&[case]));
}

#[test]
fn verify_expected_is_optional_and_nullable_fields_may_be_omitted() {
    let mut case = verify_case("v1");
    set(&mut case, &["result"], json!("valid"));
    remove(&mut case, &["expected"]);
    remove(&mut case, &["request", "content_type"]);
    remove(&mut case, &["request", "body"]);
    set(&mut case, &["secrets"], json!({"rsa_private_key_pem": null}));
    let file = parse_ok(&file_with(&[case]));
    let CaseBody::Verify(verify) = &file.cases[0].body else { panic!("not verify") };
    assert_eq!(verify.expected, None);
    assert_eq!(verify.request.content_type, None);
    assert_eq!(verify.secrets.consumer_secret, None);

    let mut case = verify_case("v2");
    set(&mut case, &["expected"], json!({}));
    let err = single_err(&file_with(&[case]));
    assert_err(&err, Some("v2"), Some("cases[0].expected"), "missing field `reason`");
}

#[test]
fn every_bad_case_is_reported_and_good_ones_are_not() {
    let mut bad_type = sign_case("bad-type");
    set(&mut bad_type, &["description"], json!(1));
    let mut bad_flag = header_case("bad-flag");
    set(&mut bad_flag, &["flags"], json!(["Undeclared"]));
    let mut bad_kind = verify_case("bad-kind");
    set(&mut bad_kind, &["kind"], json!("verifY"));
    let mut value = file_with(&[sign_case("good-1"), bad_type, bad_flag, header_case("good-2"), bad_kind]);
    set(&mut value, &["surplus"], json!(null));

    let errors = parse_err(&text(&value));
    let found: Vec<(Option<&str>, Option<&str>)> =
        errors.iter().map(|e| (e.case_id.as_deref(), e.json_path.as_deref())).collect();
    assert_eq!(
        found,
        [
            (None, Some("surplus")),
            (Some("bad-type"), Some("cases[1].description")),
            (Some("bad-flag"), Some("cases[2].flags[0]")),
            (Some("bad-kind"), Some("cases[4].kind")),
        ],
        "{errors:#?}"
    );
}

#[test]
fn positions_in_a_case_are_file_positions() {
    let text = "{\"format\": \"oauth1-vectors/v1\", \"description\": \"d\", \"flags\": {},\n\
                \"cases\": [\n\
                {\"id\": \"a\", \"kind\": \"parse_header\", \"description\": \"\",\n\
                 \"provenance\": \"\", \"flags\": [], \"result\": \"invalid\",\n\
                 \"header\": 5, \"expected\": {}}]}";
    let errors = parse_err(text);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_err(
        &errors[0],
        Some("a"),
        Some("cases[0].header"),
        "invalid type: integer `5`, expected a string (line 5, column 11)",
    );

    // On the first line of a case, columns are offset by where the case starts.
    let text = "{\"format\": \"oauth1-vectors/v1\", \"description\": \"d\", \"flags\": {}, \
                \"cases\": [{\"kind\": \"sign\", \"id\": 5}]}";
    let errors = parse_err(text);
    assert_eq!(errors.len(), 1, "{errors:?}");
    let column = text.find("5}").expect("present") + 1;
    assert_err(&errors[0], None, Some("cases[0].id"), &format!("expected a string (line 1, column {column})"));
}

#[test]
fn absurd_inputs_are_errors_not_panics() {
    // Deep nesting where a value is skipped, and where a value is expected.
    let deep = "[".repeat(100_000) + &"]".repeat(100_000);
    let mut case = verify_case("v");
    set(&mut case, &["request", "headers"], json!([["a", "b", "DEEP"]]));
    let file = text(&file_with(&[case])).replace("\"DEEP\"", &deep);
    let errors = parse_err(&file);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].message.contains("invalid length 3"), "{:?}", errors[0]);
    let file = text(&file_with(&[json!("DEEP")])).replace("\"DEEP\"", &deep);
    let errors = parse_err(&file);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].message.contains("expected a JSON object"), "{:?}", errors[0]);
    let unbalanced = "[".repeat(100_000);
    let file = text(&file_with(&[json!("DEEP")])).replace("\"DEEP\"", &unbalanced);
    let errors = parse_err(&file);
    assert_eq!(errors.len(), 1, "{errors:?}");

    // Numbers out of range, lone surrogates, control characters.
    for (field, raw) in [
        ("now", "1e400"),
        ("now", "18446744073709551616"),
        ("description", "\"\\ud800\""),
        ("description", "\"a\u{1}b\""),
    ] {
        let case = text(&verify_case("v")).replacen(
            &format!("\"{field}\": "),
            &format!("\"{field}\": {raw}, \"x{field}\": "),
            1,
        );
        let file = text(&file_with(&[json!("P")])).replace("\"P\"", &case);
        let errors = parse_err(&file);
        assert_eq!(errors.len(), 1, "{raw}: {errors:?}");
    }

    // A large but well-formed file is simply read.
    let mut case = sign_case("big");
    set(&mut case, &["request", "body"], json!("x".repeat(20_000_000)));
    let file = parse_ok(&file_with(&[case]));
    let CaseBody::Sign(sign) = &file.cases[0].body else { panic!("not sign") };
    assert_eq!(sign.request.body.as_ref().map(String::len), Some(20_000_000));
}

#[test]
fn display_leaves_out_unknown_parts() {
    let err = VectorError {
        file: "v/a.json".to_owned(),
        case_id: Some("c-1".to_owned()),
        json_path: Some("cases[3].oauth.timestmp".to_owned()),
        message: "boom".to_owned(),
    };
    assert_eq!(err.to_string(), "v/a.json: case c-1: at cases[3].oauth.timestmp: boom");
    let err = VectorError { case_id: None, ..err };
    assert_eq!(err.to_string(), "v/a.json: at cases[3].oauth.timestmp: boom");
    let err = VectorError { json_path: None, ..err };
    assert_eq!(err.to_string(), "v/a.json: boom");
}
