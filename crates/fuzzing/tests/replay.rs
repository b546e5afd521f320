//! Replays every checked-in seed, every regression input, every recorded finding and, when a
//! local fuzzing run left one, libFuzzer's working corpus (`fuzz/corpus/TARGET/`, not checked
//! in) through the same `check_*` function the fuzz target calls: a fixed crash stays fixed
//! on stable Rust, without libFuzzer.

use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use oauth1_fuzzing::differential::{check_differential, Verdict};
use oauth1_fuzzing::TARGETS;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

/// The files of `dir`, sorted; none when it does not exist.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_file()).collect();
    files.sort();
    files
}

fn replay(target: &str) -> usize {
    let check = TARGETS.iter().find(|(name, _)| *name == target).map(|(_, check)| *check).expect("a known target");
    let seeds = inputs(&fuzz_dir().join("seeds").join(target));
    assert!(!seeds.is_empty(), "fuzz/seeds/{target}/ is empty or missing: run `cargo xtask fuzz-seeds`");
    let mut failures = Vec::new();
    let mut replayed = 0;
    for dir in ["seeds", "regressions", "findings", "corpus"] {
        for path in inputs(&fuzz_dir().join(dir).join(target)) {
            let data = fs::read(&path).expect("a readable input");
            if catch_unwind(AssertUnwindSafe(|| check(&data))).is_err() {
                failures.push(path.display().to_string());
            }
            replayed += 1;
        }
    }
    assert!(failures.is_empty(), "{target}: {} of {replayed} inputs fail:\n{}", failures.len(), failures.join("\n"));
    replayed
}

#[test]
fn authorization_header_inputs_pass() {
    replay("authorization_header");
}

#[test]
fn percent_encoding_inputs_pass() {
    replay("percent_encoding");
}

#[test]
fn sign_request_inputs_pass() {
    replay("sign_request");
}

#[test]
fn verify_request_inputs_pass() {
    replay("verify_request");
}

#[test]
fn differential_inputs_pass() {
    replay("differential");
}

/// A differential target that skips every input tests nothing: the vectors must give it
/// requests that both implementations sign and agree on.
#[test]
fn the_differential_target_compares_some_seeds() {
    let seeds = inputs(&fuzz_dir().join("seeds/differential"));
    let verdicts: Vec<Verdict> =
        seeds.iter().map(|p| check_differential(&fs::read(p).expect("a readable seed"))).collect();
    let agreed = verdicts.iter().filter(|v| **v == Verdict::Agreed).count();
    eprintln!("{}", oauth1_fuzzing::differential::counts().summary());
    assert!(agreed * 5 >= verdicts.len(), "only {agreed} of {} seeds compared", verdicts.len());
}
