//! The library's API has typed errors (issue #16): no function or method visible outside its
//! module (`pub`, `pub(crate)`, `pub(super)`, `pub(in …)`) and no public type alias of
//! `crates/conformance/src` returns `Result<_, String>`, so a caller can tell failures apart by
//! their variant and the CLI maps them to exit 2 in one place. Private helpers may still build
//! messages as strings for a typed variant.
//!
//! A scan of the source rather than a clippy lint: clippy has no lint for a `String` error
//! type, and a custom lint (dylint) would need a nightly toolchain in CI.

use std::path::{Path, PathBuf};

use regex::Regex;

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// `text` from `start` up to (not including) the first `{` or `;` outside brackets: an item's
/// signature.
fn signature_from(text: &str, start: usize) -> &str {
    let mut depth = 0i32;
    for (offset, c) in text[start..].char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            '{' | ';' if depth == 0 => return &text[start..start + offset],
            _ => {}
        }
    }
    &text[start..]
}

/// The return type of a function signature: what follows its `->` outside parentheses (a
/// parameter's `impl Fn(…) -> …` is not it).
fn return_type(signature: &str) -> Option<&str> {
    let mut depth = 0i32;
    let bytes = signature.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth -= 1,
            b'-' if depth == 0 && bytes.get(i + 1) == Some(&b'>') => return Some(&signature[i + 2..]),
            _ => {}
        }
    }
    None
}

/// The generic arguments of each `Result<…>` in `ty`, split at their top-level commas.
fn result_arguments(ty: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    for (at, _) in ty.match_indices("Result<") {
        if ty[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let (mut depth, mut arguments, mut current) = (0i32, Vec::new(), String::new());
        for c in ty[at + "Result<".len()..].chars() {
            match c {
                '<' | '(' | '[' => depth += 1,
                '>' if depth == 0 => break,
                '>' | ')' | ']' => depth -= 1,
                ',' if depth == 0 => {
                    arguments.push(std::mem::take(&mut current));
                    continue;
                }
                _ => {}
            }
            current.push(c);
        }
        arguments.push(current);
        // A trailing comma leaves an empty last argument.
        found.push(
            arguments.into_iter().map(|a| a.split_whitespace().collect::<String>()).filter(|a| !a.is_empty()).collect(),
        );
    }
    found
}

/// Whether `ty` holds a `Result` whose error type is `String`.
fn has_string_error(ty: &str) -> bool {
    result_arguments(ty).iter().any(
        |arguments| matches!(arguments.as_slice(), [_, error] if error == "String" || error == "std::string::String"),
    )
}

/// The `(line, signature)` of every item of `source` visible outside its module that returns
/// (or, for a type alias, is) a `Result<_, String>`. Comment lines are left out first, so a
/// doc example does not count.
fn string_errors(source: &str) -> Vec<(usize, String)> {
    let code: String = source
        .lines()
        .map(|line| if line.trim_start().starts_with("//") { "" } else { line })
        .collect::<Vec<_>>()
        .join("\n");
    let item = Regex::new(r"\bpub(\s*\([^)]*\))?\s+((const|async|unsafe)\s+)*(fn|type)\s+\w+").unwrap();
    let mut found = Vec::new();
    for captures in item.captures_iter(&code) {
        let (Some(m), Some(kind)) = (captures.get(0), captures.get(4)) else { continue };
        let signature = signature_from(&code, m.start());
        let checked = if kind.as_str() == "type" {
            signature.split_once('=').map(|(_, aliased)| aliased)
        } else {
            return_type(signature)
        };
        if checked.is_some_and(has_string_error) {
            let line = code[..m.start()].matches('\n').count() + 1;
            found.push((line, signature.split_whitespace().collect::<Vec<_>>().join(" ")));
        }
    }
    found
}

#[test]
fn the_scan_finds_string_errors_and_only_them() {
    let source = r"
pub fn one(path: &Path) -> Result<Baseline, String> {
pub(crate) fn two(
    spec: &str,
) -> Result<
    Vec<(String, String)>,
    String,
> {
pub(super) fn three() -> Option<Result<PlannedCase, String>> {
    pub async fn four(&self) -> std::result::Result<(), std::string::String>;
pub type Five = Result<u8, String>;
// pub fn commented() -> Result<(), String> {
fn private() -> Result<(), String> {
pub fn typed() -> Result<(String, String), Error> {
pub fn io() -> io::Result<String> {
pub fn callback(write: impl FnOnce(&mut File) -> Result<(), String>) -> Result<(), Error> {
pub fn my_result() -> MyResult<u8, String> {
pub fn vec_of_strings() -> Result<Baseline, Vec<String>> {
";
    let lines: Vec<usize> = string_errors(source).into_iter().map(|(line, _)| line).collect();
    assert_eq!(lines, [2, 3, 9, 10, 11], "{:#?}", string_errors(source));
}

#[test]
fn no_visible_function_returns_a_string_error() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = rust_files(&src);
    assert!(files.len() > 50, "{} holds only {} Rust files", src.display(), files.len());
    let mut offenders = Vec::new();
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        for (line, signature) in string_errors(&source) {
            let relative = file.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(&file);
            offenders.push(format!("{}:{line}: {signature}", relative.display()));
        }
    }
    assert!(
        offenders.is_empty(),
        "these return Result<_, String>; give them a typed error (a variant of their module's Error) instead:\n{}",
        offenders.join("\n")
    );
}
