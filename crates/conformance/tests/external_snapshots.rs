//! One insta snapshot per external implementation (each row of `adapters/*/adapter.json`):
//! what it answers on every vector it can run — the signature base string it signs (or, when it
//! does not expose one, its signature and header), the parameters it parses from a header, and
//! its verifier's verdict. Upgrading a library then shows up as a snapshot diff to review
//! (`cargo insta review`), case by case, whether or not the change is a divergence.
//!
//! The rows need the runtimes `cargo xtask setup --all` installs, so these tests are ignored
//! (reported as not run, never as passed) unless asked for with `-- --ignored`, as CI does after
//! `setup --all`, reusing the build of the README's test command. Asked for, a row that is not
//! set up fails, naming the command that sets it up.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use oauth1_conformance::adapter::{Adapter, AdapterConfig};
use oauth1_conformance::implementation::{Answer, Implementation, Job, Outcome};
use oauth1_conformance::protocol::Command;
use oauth1_conformance::runner::{job_for, skip_reason};
use oauth1_conformance::trace::Stage;
use oauth1_vectors::{load_paths, Case};
use serde::Deserialize;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("the repository root")
}

#[derive(Deserialize)]
struct Manifest {
    rows: Vec<Row>,
}

#[derive(Deserialize)]
struct Row {
    name: String,
    command: String,
}

/// Every `(folder, row)` of the adapter manifests, sorted by folder as `adapters/` lists them.
fn manifest_rows() -> Vec<(String, Row)> {
    let mut folders: Vec<PathBuf> = std::fs::read_dir(root().join("adapters"))
        .expect("adapters/")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.join("adapter.json").is_file())
        .collect();
    folders.sort();
    let mut rows = Vec::new();
    for folder in folders {
        let file = folder.join("adapter.json");
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let manifest: Manifest = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let name = folder.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        rows.extend(manifest.rows.into_iter().map(|row| (name.clone(), row)));
    }
    rows
}

/// `text` with every object address (`0x` and 6 or more hex digits, as Ruby and Python print
/// objects) written `0x…`: addresses change from run to run.
fn without_addresses(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("0x") {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        let digits = from[2..].bytes().take_while(u8::is_ascii_hexdigit).count();
        if digits >= 6 {
            out.push_str("0x…");
        } else {
            out.push_str(&from[..2 + digits]);
        }
        rest = &from[2 + digits..];
    }
    out.push_str(rest);
    out
}

/// A message as it goes into a snapshot: its first line, bounded, without object addresses,
/// so a stack trace or an object in a long message does not change the snapshot run to run.
fn message_line(message: &str) -> String {
    let line = without_addresses(message.lines().next().unwrap_or_default());
    let line = line.as_str();
    let bounded: String = line.chars().take(160).collect();
    if bounded.len() < line.len() {
        format!("{bounded}…")
    } else {
        bounded
    }
}

/// `header` with the quoted value of each parameter in `names` written `…`: a parameter starts
/// the header's parameter list or follows a space or a comma.
fn masked_header_values(header: &str, names: &[&str]) -> String {
    let mut out = header.to_owned();
    for name in names {
        let opening = format!("{name}=\"");
        let mut from = 0;
        while let Some(found) = out[from..].find(&opening) {
            let start = from + found;
            let value = start + opening.len();
            let boundary = out[..start].chars().next_back().is_none_or(|c| c == ' ' || c == ',');
            match out[value..].find('"') {
                Some(length) if boundary => {
                    out.replace_range(value..value + length, "…");
                    from = value + '…'.len_utf8() + 1;
                }
                _ => from = value,
            }
        }
    }
    out
}

fn render_rejection(out: &mut String, reason: Option<&str>, message: &str) {
    let _ = writeln!(out, "  rejected ({}): {}", reason.unwrap_or("-"), message_line(message));
}

/// One case's answer in a few stable lines.
fn render(out: &mut String, case: &Case, answer: Answer) {
    let _ = writeln!(out, "{}", case.id);
    match answer {
        Answer::Sign(Outcome::Answer(trace)) if trace.emitted_nonce.is_some() || trace.emitted_timestamp.is_some() => {
            // The library chose its own nonce and timestamp, so its signature changes run to run:
            // only the header, with those three values masked, is stable.
            if let Some(header) = &trace.authorization_header {
                let masked = masked_header_values(header, &["oauth_nonce", "oauth_timestamp", "oauth_signature"]);
                let _ = writeln!(out, "  authorization_header: {masked}");
            }
        }
        Answer::Sign(Outcome::Answer(trace)) => {
            let shown = if trace.signature_base_string.is_some() {
                &[Stage::SignatureBaseString][..]
            } else {
                &[Stage::Signature, Stage::AuthorizationHeader][..]
            };
            for &stage in shown {
                if let Some(value) = trace.stage(stage) {
                    let _ = writeln!(out, "  {}: {value}", stage.name());
                }
            }
        }
        Answer::ParseHeader(Outcome::Answer(params)) => {
            for (name, value) in params {
                let _ = writeln!(out, "  {name:?} = {value:?}");
            }
        }
        Answer::Verify(Outcome::Answer(())) => {
            let _ = writeln!(out, "  accepted");
        }
        Answer::Sign(Outcome::Rejected { reason, message })
        | Answer::ParseHeader(Outcome::Rejected { reason, message })
        | Answer::Verify(Outcome::Rejected { reason, message }) => {
            render_rejection(out, reason.as_deref(), &message);
        }
        // Inputs the library's API cannot express, and crashes, are as deterministic as the rest
        // (the case timeout is generous, so a slow machine does not turn an answer into an error).
        Answer::Sign(Outcome::Unsupported(message))
        | Answer::ParseHeader(Outcome::Unsupported(message))
        | Answer::Verify(Outcome::Unsupported(message)) => {
            let _ = writeln!(out, "  unsupported: {}", message_line(&message));
        }
        Answer::Sign(Outcome::Panicked(message))
        | Answer::ParseHeader(Outcome::Panicked(message))
        | Answer::Verify(Outcome::Panicked(message)) => {
            let _ = writeln!(out, "  crashed: {}", message_line(&message));
        }
        Answer::Sign(Outcome::Error(message))
        | Answer::ParseHeader(Outcome::Error(message))
        | Answer::Verify(Outcome::Error(message)) => {
            let _ = writeln!(out, "  error: {}", message_line(&message));
        }
    }
}

fn snapshot_row(folder: &str, row_name: &str) {
    let root = root();
    let (_, row) = manifest_rows()
        .into_iter()
        .find(|(f, row)| f == folder && row.name == row_name)
        .unwrap_or_else(|| panic!("adapters/{folder}/adapter.json has no row {row_name}"));
    let ready = root.join("target/adapters/ready").join(folder);
    assert!(
        ready.exists(),
        "adapters/{folder} is not set up ({} is missing): run `cargo xtask setup --all`",
        ready.display()
    );
    let python = root.join(".venv/bin/python");
    let command =
        row.command.replace("{python}", &python.display().to_string()).replace("{root}", &root.display().to_string());
    // Adapter commands are written relative to the repository root.
    let command = format!("cd '{}' && {command}", root.display());
    // A loaded machine must not turn a slow answer into a snapshot change.
    let config = AdapterConfig { case_timeout: Duration::from_secs(60), ..AdapterConfig::default() };
    let mut adapter = Adapter::start(row_name, &command, config).unwrap_or_else(|e| panic!("{row_name}: {e}"));

    let corpus = load_paths(&[root.join("vectors")]).unwrap_or_else(|errors| panic!("{errors:?}"));
    let capabilities = adapter.info().capabilities.clone();
    let runnable: Vec<&Case> =
        corpus.cases().map(|(_, case)| case).filter(|case| skip_reason(&capabilities, case).is_none()).collect();
    let jobs: Vec<_> = runnable.iter().map(|case| job_for(case)).collect();
    let answers = adapter.run(&jobs);
    adapter.stop();
    assert_eq!(answers.len(), runnable.len(), "{row_name}: one answer per case");
    assert_speaks_the_schema(row_name, &command, &jobs);

    let mut out = String::new();
    let _ = writeln!(out, "{} cases of {} run", runnable.len(), corpus.cases().count());
    for (case, answer) in runnable.iter().zip(answers) {
        render(&mut out, case, answer);
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(root.join("crates/conformance/tests/snapshots/external"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_input_file(root.join("adapters").join(folder).join("adapter.json"));
    settings.bind(|| insta::assert_snapshot!(row_name.replace('/', "_"), out));
}

fn validator(name: &str) -> jsonschema::Validator {
    let path = root().join("adapters/schema").join(name);
    let schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs `command` once more on the raw protocol (the handshake, every job, `stop`) and
/// validates every line it writes against adapters/schema/: the handshake against
/// start-response.json, every answer against response.json.
fn assert_speaks_the_schema(row_name: &str, command: &str, jobs: &[Job<'_>]) {
    let mut input = String::from("{\"cmd\": \"start\", \"protocol\": 1}\n");
    for (id, job) in jobs.iter().enumerate() {
        input.push_str(&serde_json::to_string(&Command::for_job(id as u64 + 1, job)).unwrap());
        input.push('\n');
    }
    input.push_str("{\"cmd\": \"stop\"}\n");
    // `timeout` bounds a hung adapter; the harness's own fault handling is not in play here.
    let mut child = std::process::Command::new("timeout")
        .args(["600", "sh", "-c", command])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{row_name}: {e}"));
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || std::io::Write::write_all(&mut stdin, input.as_bytes()));
    let output = child.wait_with_output().unwrap();
    let _ = writer.join();
    let text = String::from_utf8(output.stdout).unwrap_or_else(|e| panic!("{row_name}: stdout is not UTF-8: {e}"));
    let (start, response) = (validator("start-response.json"), validator("response.json"));
    let mut lines = text.lines();
    let check = |validator: &jsonschema::Validator, line: &str, what: &str| {
        let value: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{row_name}: {what}: {e}: {line}"));
        let errors: Vec<String> =
            validator.iter_errors(&value).map(|e| format!("{}: {e}", e.instance_path())).collect();
        assert!(errors.is_empty(), "{row_name}: {what}: {errors:#?}\n{line:.2000}");
    };
    check(&start, lines.next().unwrap_or_default(), "start response");
    let answers: Vec<&str> = lines.filter(|line| line.contains("\"id\"")).collect();
    assert_eq!(answers.len(), jobs.len(), "{row_name}: one answer per request");
    for answer in answers {
        check(&response, answer, "answer");
    }
}

#[test]
fn object_addresses_are_left_out() {
    assert_eq!(
        without_addresses("for #<SimpleOAuth::Header:0x00007fedefdae668 @method=0x1F>"),
        "for #<SimpleOAuth::Header:0x… @method=0x1F>"
    );
    assert_eq!(without_addresses("0x"), "0x");
}

#[test]
fn chosen_nonce_timestamp_and_signature_are_masked() {
    let header = r#"OAuth xoauth_nonce="keep",oauth_nonce="abc", oauth_timestamp="17",oauth_signature="s%3D",oauth_version="1.0""#;
    assert_eq!(
        masked_header_values(header, &["oauth_nonce", "oauth_timestamp", "oauth_signature"]),
        r#"OAuth xoauth_nonce="keep",oauth_nonce="…", oauth_timestamp="…",oauth_signature="…",oauth_version="1.0""#
    );
}

#[test]
fn every_adapter_row_has_a_snapshot_test() {
    let listed: Vec<(String, String)> = manifest_rows().into_iter().map(|(folder, row)| (folder, row.name)).collect();
    let tested: Vec<(String, String)> = ROWS.iter().map(|(f, r)| ((*f).to_owned(), (*r).to_owned())).collect();
    assert_eq!(tested, listed, "snapshot_tests! must list every row of adapters/*/adapter.json, in order");
}

/// One test per row, and `ROWS`, the rows as `(folder, row)`, which a test holds to the manifests.
macro_rules! snapshot_tests {
    ($($test:ident => $folder:literal, $row:literal;)*) => {
        const ROWS: &[(&str, &str)] = &[$(($folder, $row),)*];
        $(
            #[test]
            #[ignore = "needs `cargo xtask setup --all`; run with `-- --ignored`"]
            fn $test() {
                snapshot_row($folder, $row);
            }
        )*
    };
}

snapshot_tests! {
    liboauth => "c-liboauth", "liboauth";
    qoauth => "cpp-qoauth", "qoauth";
    gomodule_oauth1 => "go-gomodule-oauth1", "gomodule-oauth1";
    mrjones_oauth => "go-mrjones-oauth", "mrjones-oauth";
    authenticate_oauth => "haskell-authenticate-oauth", "authenticate-oauth";
    authenticate_oauth_check => "haskell-authenticate-oauth", "authenticate-oauth-check";
    google_oauth_client => "java-google-oauth-client", "google-oauth-client";
    signpost => "java-signpost", "signpost";
    signpost_commonshttp4 => "java-signpost", "signpost-commonshttp4";
    node_oauth => "node-oauth", "node-oauth";
    oauth_1_0a => "node-oauth-1.0a", "oauth-1.0a";
    oauth_sign => "node-oauth-sign", "oauth-sign";
    oauth_signature => "node-oauth-signature", "oauth-signature";
    lwp_authen_oauth => "perl-lwp-authen-oauth", "lwp-authen-oauth";
    net_oauth => "perl-net-oauth", "net-oauth";
    www_oauth => "perl-www-oauth", "www-oauth";
    pecl_oauth => "php-pecl-oauth", "pecl-oauth";
    pecl_oauth_provider => "php-pecl-oauth", "pecl-oauth-provider";
    authlib_client => "python-authlib", "authlib-client";
    oauth2 => "python-oauth2", "oauth2";
    oauthlib_client => "python-oauthlib", "oauthlib-client";
    oauthlib_signature => "python-oauthlib", "oauthlib-signature";
    oauthlib_debian_client => "python-oauthlib-debian", "oauthlib-debian-client";
    oauthlib_debian_signature => "python-oauthlib-debian", "oauthlib-debian-signature";
    rauth => "python-rauth", "rauth";
    requests_oauthlib => "python-requests-oauthlib", "requests-oauthlib";
    ruby_oauth => "ruby-oauth", "ruby-oauth";
    signet => "ruby-signet", "signet";
    simple_oauth => "ruby-simple-oauth", "simple-oauth";
}
