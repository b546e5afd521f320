//! One insta snapshot per vector case: the reference's full trace (every stage, for sign
//! cases), parsed parameters (parse_header) or verdict (verify). A change in any stage of
//! any case shows up as a reviewable diff (`cargo insta review`).
//!
//! The snapshots record what the reference does; whether that is right is decided by the
//! vectors' expected values, which come from published sources (see `vectors/README.md`).

use std::fmt::Write as _;
use std::path::Path;

use oauth1_conformance::implementation::{InProcess, Outcome, SignInput, VerifyInput};
use oauth1_conformance::reference_impl::Reference;
use oauth1_vectors::{load_paths, CaseBody};

fn render_outcome<T>(out: &mut String, outcome: Outcome<T>, answer: impl FnOnce(&mut String, T)) {
    match outcome {
        Outcome::Answer(value) => answer(out, value),
        Outcome::Rejected { reason, message } => {
            let _ = writeln!(out, "rejected: {}\nmessage: {message}", reason.as_deref().unwrap_or("-"));
        }
        Outcome::Unsupported(message) | Outcome::Panicked(message) | Outcome::Error(message) => {
            let _ = writeln!(out, "error: {message}");
        }
    }
}

fn snapshot_name(id: &str) -> String {
    id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' { c } else { '_' }).collect()
}

#[test]
fn reference_trace_of_every_vector() {
    let vectors = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../vectors");
    let corpus = load_paths(&[vectors]).unwrap_or_else(|errors| panic!("{errors:?}"));
    let mut reference = Reference::default();
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    let mut count = 0;
    for (file, case) in corpus.cases() {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "case: {}\nfile: {}",
            case.id,
            file.path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()
        );
        match &case.body {
            CaseBody::Sign(sign) => {
                let input = SignInput { request: &sign.request, oauth: &sign.oauth, secrets: &sign.secrets };
                render_outcome(&mut out, reference.sign(&input), |out, trace| {
                    let _ = writeln!(out, "collected_parameters:");
                    for p in trace.collected_parameters.iter().flatten() {
                        let _ = writeln!(out, "  {:<6} {:?} = {:?}", p.source, p.name, p.value);
                    }
                    for (name, value) in [
                        ("body_hash", &trace.body_hash),
                        ("normalized_parameters", &trace.normalized_parameters),
                        ("base_string_uri", &trace.base_string_uri),
                        ("signature_base_string", &trace.signature_base_string),
                        ("signature", &trace.signature),
                        ("authorization_header", &trace.authorization_header),
                    ] {
                        if let Some(value) = value {
                            let _ = writeln!(out, "{name}: {value}");
                        }
                    }
                });
            }
            CaseBody::ParseHeader(parse) => {
                let _ = writeln!(out, "header: {:?}", parse.header);
                render_outcome(&mut out, reference.parse_header(&parse.header), |out, params| {
                    for (name, value) in params {
                        let _ = writeln!(out, "  {name:?} = {value:?}");
                    }
                });
            }
            CaseBody::Verify(verify) => {
                let input = VerifyInput { request: &verify.request, secrets: &verify.secrets, now: verify.now };
                render_outcome(&mut out, reference.verify(&input), |out, ()| {
                    let _ = writeln!(out, "accepted");
                });
            }
        }
        settings.bind(|| insta::assert_snapshot!(snapshot_name(&case.id), out));
        count += 1;
    }
    assert!(count > 0, "no vector was snapshotted");
}
