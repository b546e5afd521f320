//! Every adapter-protocol message the harness sends, and every one its own `serve` answers,
//! is valid by adapters/schema/: the requests for every corpus case and for generated cases
//! of both kinds, the handshake of every in-process row (with its declared limits), and every
//! answer, `unsupported` and `crashed` ones included. (The external adapters' answers are
//! validated by `external_snapshots.rs`, which runs them.)

use std::path::{Path, PathBuf};

use oauth1_conformance::case::{corpus_cases, Shard};
use oauth1_conformance::generate;
use oauth1_conformance::implementation::{
    HeaderParams, ImplementationInfo, InProcess, Outcome, SignInput, VerifyInput,
};
use oauth1_conformance::matrix::{in_process_named, in_process_names};
use oauth1_conformance::protocol::Command;
use oauth1_conformance::reference_impl::Reference;
use oauth1_conformance::runner::job_for;
use oauth1_conformance::serve::serve;
use oauth1_conformance::trace::Trace;

fn schema(name: &str) -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../adapters/schema").join(name);
    let schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn assert_valid(validator: &jsonschema::Validator, line: &str, what: &str) {
    let value: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{what}: {e}: {line}"));
    let errors: Vec<String> = validator.iter_errors(&value).map(|e| format!("{}: {e}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}\n{line:.2000}");
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../vectors")
}

/// The request lines for every corpus case and 200 generated cases of each kind.
fn request_lines() -> Vec<String> {
    let corpus = oauth1_vectors::load_paths(&[corpus_dir()]).unwrap();
    let mut cases = corpus_cases(&corpus, Shard::WHOLE);
    let capabilities = InProcess::info(&Reference::default()).capabilities.clone();
    cases.extend(generate::plan(&capabilities, 400, 11, Shard::WHOLE).unwrap());
    cases
        .iter()
        .enumerate()
        .map(|(id, case)| serde_json::to_string(&Command::for_job(id as u64 + 1, &job_for(&case.case))).unwrap())
        .collect()
}

#[test]
fn every_request_the_harness_sends_is_valid() {
    let (start, request, stop) = (schema("start.json"), schema("request.json"), schema("stop.json"));
    assert_valid(&start, &serde_json::to_string(&Command::Start { protocol: 1 }).unwrap(), "start");
    assert_valid(&stop, &serde_json::to_string(&Command::Stop).unwrap(), "stop");
    let lines = request_lines();
    assert!(lines.len() > 700, "{}", lines.len());
    for line in &lines {
        assert_valid(&request, line, "request");
    }
}

/// Answers every request the way `serve` does for `implementation`, and validates the
/// handshake and every answer.
fn serve_and_validate(implementation: &mut dyn InProcess, lines: &[String]) {
    let (start_response, response) = (schema("start-response.json"), schema("response.json"));
    let mut input = String::from("{\"cmd\": \"start\", \"protocol\": 1}\n");
    for line in lines {
        input.push_str(line);
        input.push('\n');
    }
    input.push_str("{\"cmd\": \"stop\"}\n");
    let mut output = Vec::new();
    serve(implementation, input.as_bytes(), &mut output).unwrap();
    let output = String::from_utf8(output).unwrap();
    let mut answers = output.lines();
    let name = InProcess::info(implementation).name.clone();
    assert_valid(&start_response, answers.next().unwrap(), &format!("{name}: start response"));
    let mut count = 0;
    for answer in answers.filter(|a| a.contains("\"id\"")) {
        assert_valid(&response, answer, &name);
        count += 1;
    }
    assert_eq!(count, lines.len(), "{name}: one answer per request");
}

#[test]
fn every_answer_serve_gives_is_valid() {
    let lines = request_lines();
    for name in in_process_names().into_iter().chain(["reference+plus-not-decoded+header-values-unquoted"]) {
        let mut implementation = in_process_named(name).unwrap();
        serve_and_validate(implementation.as_mut(), &lines);
    }
}

/// Answers every job `unsupported`, every other `crashed`: both kinds of answer are valid.
struct Refuses {
    info: ImplementationInfo,
    calls: u64,
}

impl Refuses {
    fn outcome<T>(&mut self) -> Outcome<T> {
        self.calls += 1;
        if self.calls % 2 == 0 {
            Outcome::Unsupported("no way to say that".into())
        } else {
            Outcome::Panicked("the implementation panicked: boom".into())
        }
    }
}

impl InProcess for Refuses {
    fn info(&self) -> &ImplementationInfo {
        &self.info
    }
    fn sign(&mut self, _: &SignInput<'_>) -> Outcome<Trace> {
        self.outcome()
    }
    fn parse_header(&mut self, _: &str) -> Outcome<HeaderParams> {
        self.outcome()
    }
    fn verify(&mut self, _: &VerifyInput<'_>) -> Outcome<()> {
        self.outcome()
    }
}

#[test]
fn unsupported_and_crashed_answers_are_valid() {
    let mut info = InProcess::info(&Reference::default()).clone();
    info.name = "refuses".into();
    info.capabilities.limits.numeric_nonce_only = true;
    info.capabilities.limits.extras_only_with_methods = vec!["POST".into()];
    let lines = request_lines();
    serve_and_validate(&mut Refuses { info, calls: 0 }, &lines[..50]);
}
