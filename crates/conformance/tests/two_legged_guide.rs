//! Runs every checked block of `docs/two-legged.md` and compares its output with the page.
//!
//! A block is checked when an HTML comment `<!-- doc-test: KIND -->` precedes it:
//! - `python`: run with the project's virtualenv; its stdout must equal the next `text` block;
//! - `python-fails`: must exit non-zero, and the last line of its stderr must equal the next
//!   `text` block;
//! - `sh exit=N`: run by `sh` in an empty directory with `oauth1-conformance` on `PATH`; it
//!   must exit N and its stdout must equal the next `text` block;
//! - `rust-example PATH`: the block must equal the file (which `cargo test` runs as a doc
//!   test of `oauth1-reference`).
//!
//! The Python blocks need `.venv` (`cargo xtask setup`), so that test is ignored unless the
//! `external` feature is on, as it is in CI; it is then reported as not run, never as passed.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use oauth1_reference::verify::{Credentials, InMemoryNonceStore, IncomingRequest, TimestampWindow, Verifier};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Python,
    PythonFails,
    Sh { exit: i32 },
    RustExample(String),
}

#[derive(Debug, Clone)]
struct Check {
    kind: Kind,
    /// 1-based line of the marker, for messages.
    line: usize,
    code: String,
    expected: Option<String>,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn guide() -> String {
    fs::read_to_string(root().join("docs/two-legged.md")).unwrap()
}

/// The fenced block starting at or after `from`: its info string, its text, and the line after it.
fn next_block(lines: &[&str], from: usize) -> Option<(String, String, usize)> {
    let start = (from..lines.len()).find(|&i| lines[i].starts_with("```"))?;
    let info = lines[start].trim_start_matches('`').trim().to_owned();
    let end = (start + 1..lines.len()).find(|&i| lines[i].starts_with("```"))?;
    Some((info, lines[start + 1..end].join("\n") + "\n", end + 1))
}

fn checks(text: &str) -> Vec<Check> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let Some(spec) = line.strip_prefix("<!-- doc-test: ").and_then(|s| s.strip_suffix(" -->")) else {
            continue;
        };
        let kind = match spec.split_whitespace().collect::<Vec<_>>().as_slice() {
            ["python"] => Kind::Python,
            ["python-fails"] => Kind::PythonFails,
            ["sh", exit] => Kind::Sh { exit: exit.strip_prefix("exit=").unwrap().parse().unwrap() },
            ["rust-example", path] => Kind::RustExample((*path).to_owned()),
            other => panic!("docs/two-legged.md:{}: unknown doc-test {other:?}", index + 1),
        };
        let (info, code, after) = next_block(&lines, index + 1).unwrap();
        let want_info = match kind {
            Kind::Python | Kind::PythonFails => "python",
            Kind::Sh { .. } => "sh",
            Kind::RustExample(_) => "rust",
        };
        assert_eq!(info, want_info, "docs/two-legged.md:{}: the block after the marker", index + 1);
        let expected = match kind {
            Kind::RustExample(_) => None,
            _ => {
                let (info, text, _) = next_block(&lines, after).unwrap();
                assert_eq!(info, "text", "docs/two-legged.md:{}: the output block", index + 1);
                Some(text)
            }
        };
        found.push(Check { kind, line: index + 1, code, expected });
    }
    found
}

fn run_sh(code: &str) -> (i32, String, String) {
    let dir = std::env::temp_dir().join(format!("two-legged-guide-{}-{}", std::process::id(), rand_suffix(code)));
    fs::create_dir_all(&dir).unwrap();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_oauth1-conformance")).parent().unwrap().to_path_buf();
    let path = std::env::join_paths(
        std::iter::once(bin_dir).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .unwrap();
    let output = Command::new("sh")
        .arg("-c")
        .arg(code)
        .current_dir(&dir)
        .env("PATH", path)
        .env_remove("OAUTH1_CONSUMER_SECRET")
        .env_remove("OAUTH1_TOKEN_SECRET")
        .env_remove("OAUTH1_RSA_PUBLIC_KEY_FILE")
        .output()
        .unwrap();
    fs::remove_dir_all(&dir).unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// A distinct directory per block, so blocks can run in parallel threads.
fn rand_suffix(code: &str) -> u64 {
    code.bytes().fold(0xcbf2_9ce4_8422_2325, |h: u64, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

#[test]
fn the_guide_has_every_kind_of_check() {
    let all = checks(&guide());
    let count = |pred: &dyn Fn(&Kind) -> bool| all.iter().filter(|c| pred(&c.kind)).count();
    assert_eq!(count(&|k| *k == Kind::PythonFails), 1, "the seed's snippet");
    assert!(count(&|k| *k == Kind::Python) >= 3, "the corrected snippet and the mistakes");
    assert!(count(&|k| matches!(k, Kind::Sh { .. })) >= 7);
    assert_eq!(count(&|k| matches!(k, Kind::RustExample(_))), 1);
}

#[test]
fn the_rust_block_is_the_example() {
    for check in checks(&guide()) {
        if let Kind::RustExample(path) = &check.kind {
            let file = fs::read_to_string(root().join(path)).unwrap();
            assert_eq!(check.code, file, "docs/two-legged.md:{}: the block differs from {path}", check.line);
        }
    }
}

/// Every `verify` and `explain` command on the page gives the output and exit code shown,
/// and together the invalid ones cover each documented mistake.
#[test]
fn the_commands_print_what_the_guide_shows() {
    let mut reasons = Vec::new();
    for check in checks(&guide()) {
        let Kind::Sh { exit } = check.kind else { continue };
        let (code, stdout, stderr) = run_sh(&check.code);
        let expected = check.expected.as_deref().unwrap();
        assert_eq!(stdout, expected, "docs/two-legged.md:{}: output differs (stderr: {stderr})", check.line);
        assert_eq!(code, exit, "docs/two-legged.md:{}: exit code (stderr: {stderr})", check.line);
        reasons.extend(stdout.lines().filter_map(|l| l.strip_prefix("invalid: ")).map(str::to_owned));
    }
    for reason in
        ["signature_mismatch", "missing_parameter", "duplicate_parameter", "timestamp_out_of_window", "nonce_replayed"]
    {
        assert!(reasons.iter().any(|r| r == reason), "no documented mistake is rejected as {reason}: {reasons:?}");
    }
    let explained = guide();
    assert!(explained.contains("key-omits-token-secret") && explained.contains("ignores-query"));
}

fn venv_python() -> PathBuf {
    root().join(".venv/bin/python")
}

fn run_python(code: &str) -> (bool, String, String) {
    let script = std::env::temp_dir().join(format!("two-legged-guide-{}-{}.py", std::process::id(), rand_suffix(code)));
    fs::write(&script, code).unwrap();
    let output = Command::new(venv_python())
        .arg(&script)
        .env("PYTHONHASHSEED", "0")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}; run `cargo xtask setup` first", venv_python().display()));
    fs::remove_file(&script).unwrap();
    (output.status.success(), String::from_utf8(output.stdout).unwrap(), String::from_utf8(output.stderr).unwrap())
}

/// The seed's snippet fails with its real error, the corrected one prints the header shown,
/// and that header verifies with the reference verifier for the same credentials.
#[test]
#[cfg_attr(
    not(feature = "external"),
    ignore = "needs .venv: run `cargo xtask setup`, then test with --features external"
)]
fn the_python_snippets_run_as_shown() {
    let mut headers = Vec::new();
    for check in checks(&guide()) {
        let expected = check.expected.clone().unwrap_or_default();
        match check.kind {
            Kind::PythonFails => {
                let (ok, _, stderr) = run_python(&check.code);
                assert!(!ok, "docs/two-legged.md:{}: the seed's snippet ran", check.line);
                let last = stderr.lines().last().unwrap_or_default().to_owned() + "\n";
                assert_eq!(last, expected, "docs/two-legged.md:{}: its error", check.line);
            }
            Kind::Python => {
                let (ok, stdout, stderr) = run_python(&check.code);
                assert!(ok, "docs/two-legged.md:{}: failed: {stderr}", check.line);
                assert_eq!(stdout, expected, "docs/two-legged.md:{}: output differs", check.line);
                headers.push(stdout.trim_end().to_owned());
            }
            _ => {}
        }
    }
    let corrected = headers.first().unwrap();
    let fields = [("Authorization", corrected.as_str())];
    let request = IncomingRequest {
        method: "GET",
        url: "https://api.example.com/v1/photos?size=original",
        headers: &fields,
        content_type: None,
        body: None,
    };
    let credentials =
        Credentials { consumer_secret: "j49sk3j29djd", token_secret: "dh893hdasih9", rsa_public_key: None };
    let verified = Verifier::new(TimestampWindow::default(), InMemoryNonceStore::default())
        .verify(&request, &credentials, 1_764_201_660)
        .unwrap_or_else(|rejection| panic!("the corrected snippet's header does not verify: {rejection}"));
    assert_eq!(verified.request.protocol.signature, "Ku0SJtM4x+x5fttb3b4QPavvRSI=");
    // The mistakes' headers must not verify.
    for header in &headers[1..] {
        let fields = [("Authorization", header.as_str())];
        let request = IncomingRequest { headers: &fields, ..request };
        assert!(
            Verifier::new(TimestampWindow::default(), InMemoryNonceStore::default())
                .verify(&request, &credentials, 1_764_201_660)
                .is_err(),
            "a mistaken header verifies: {header}"
        );
    }
}
