//! `load_paths`: files, directories and the checks across files.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use common::{file_with, header_case, sign_case, text, verify_case};
use oauth1_vectors::{load_paths, Corpus, VectorError};
use serde_json::json;

/// A directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let name =
            format!("oauth1-vectors-test-{}-{}-{nanos}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed));
        let path = std::env::temp_dir().join(name);
        fs::create_dir_all(&path).expect("create temp dir");
        Self(path)
    }

    fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create parent");
        }
        fs::write(&path, contents).expect("write file");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn load_ok(paths: &[PathBuf]) -> Corpus {
    load_paths(paths).unwrap_or_else(|errors| panic!("unexpected errors: {errors:#?}"))
}

fn load_err(paths: &[PathBuf]) -> Vec<VectorError> {
    match load_paths(paths) {
        Ok(corpus) => panic!("expected errors, loaded {corpus:#?}"),
        Err(errors) => errors,
    }
}

#[test]
fn directory_loads_every_json_file_below_it_sorted_except_schema() {
    let dir = TempDir::new();
    dir.write("b.json", text(&file_with(&[sign_case("b-1"), sign_case("b-2")])));
    dir.write("a/z.json", text(&file_with(&[header_case("az-1")])));
    dir.write("a/deeper/c.json", text(&file_with(&[verify_case("adc-1")])));
    dir.write("schema.json", "{\"this\": \"is not a vector file\"}");
    dir.write("a/schema.json", "not even json");
    dir.write("notes.txt", "ignored");
    dir.write("a/data.json.bak", "ignored");

    let corpus = load_ok(std::slice::from_ref(&dir.0));
    let files: Vec<PathBuf> =
        corpus.files.iter().map(|f| f.path.strip_prefix(&dir.0).expect("under dir").to_owned()).collect();
    assert_eq!(files, [Path::new("a/deeper/c.json"), Path::new("a/z.json"), Path::new("b.json")]);
    let ids: Vec<&str> = corpus.cases().map(|(_, case)| case.id.as_str()).collect();
    assert_eq!(ids, ["adc-1", "az-1", "b-1", "b-2"]);

    let (file, case) = corpus.find_case("b-2").expect("present");
    assert_eq!(case.id, "b-2");
    assert!(file.path.ends_with("b.json"));
    assert!(corpus.find_case("nope").is_none());
}

#[test]
fn sha256_is_of_the_file_bytes() {
    let dir = TempDir::new();
    let contents = text(&file_with(&[sign_case("s")]));
    let path = dir.write("one.json", &contents);
    let corpus = load_ok(&[path]);
    assert_eq!(corpus.files.len(), 1);
    let sha = &corpus.files[0].sha256;
    assert_eq!(sha.len(), 64);
    assert!(sha.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));

    // Identical bytes give the same digest, one more byte a different one.
    let again = dir.write("again.json", &contents);
    assert_eq!(load_ok(&[again]).files[0].sha256, *sha);
    let changed = dir.write("changed.json", format!("{contents}\n"));
    assert_ne!(load_ok(&[changed]).files[0].sha256, *sha);
}

#[test]
fn sha256_matches_a_known_digest() {
    // sha256 of the exact bytes below, computed independently.
    let contents = r#"{"format":"oauth1-vectors/v1","description":"","flags":{},"cases":[{"id":"h","kind":"parse_header","description":"","provenance":"","flags":[],"result":"invalid","header":"","expected":{}}]}"#;
    let dir = TempDir::new();
    let corpus = load_ok(&[dir.write("k.json", contents)]);
    assert_eq!(corpus.files[0].sha256, "2a124dcc9ffb5906cab88712c1e5eea5405b3156cb247d4792b9d09fed33cda7");
}

#[test]
fn explicit_file_is_loaded_whatever_its_name_and_only_once() {
    let dir = TempDir::new();
    let schema = dir.write("schema.json", text(&file_with(&[sign_case("s")])));
    let other = dir.write("vectors.txt", text(&file_with(&[header_case("h")])));
    let corpus = load_ok(&[schema.clone(), other, schema, dir.0.join("vectors.txt")]);
    let ids: Vec<&str> = corpus.cases().map(|(_, case)| case.id.as_str()).collect();
    assert_eq!(ids, ["s", "h"]);
}

#[test]
fn duplicate_ids_across_files_name_both_files() {
    let dir = TempDir::new();
    let first = dir.write("1.json", text(&file_with(&[sign_case("x"), sign_case("same")])));
    let second = dir.write("2.json", text(&file_with(&[header_case("same")])));
    let errors = load_err(std::slice::from_ref(&dir.0));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let err = &errors[0];
    assert_eq!(err.file, second.display().to_string());
    assert_eq!(err.case_id.as_deref(), Some("same"));
    assert_eq!(err.json_path.as_deref(), Some("cases[0].id"));
    assert_eq!(err.message, format!("duplicate case id; first defined in {} at cases[1]", first.display()));
}

#[test]
fn problems_in_every_file_are_reported_together() {
    let dir = TempDir::new();
    let mut bad_case = sign_case("bad");
    bad_case["flags"] = json!(["Nope"]);
    let bad = dir.write("a.json", text(&file_with(&[bad_case])));
    dir.write("b.json", text(&file_with(&[header_case("good")])));
    let broken = dir.write("c.json", "{\"format\": ");
    let not_utf8 = dir.write("d.json", b"{\"format\": \"\xff\"}");
    let mut wrong_format = file_with(&[verify_case("v")]);
    wrong_format["format"] = json!("oauth1-vectors/v0");
    let wrong = dir.write("e.json", text(&wrong_format));

    let errors = load_err(std::slice::from_ref(&dir.0));
    let files: Vec<&str> = errors.iter().map(|e| e.file.as_str()).collect();
    let expected: Vec<String> = [&bad, &broken, &not_utf8, &wrong].iter().map(|p| p.display().to_string()).collect();
    assert_eq!(files, expected, "{errors:#?}");
    assert_eq!(errors[0].json_path.as_deref(), Some("cases[0].flags[0]"));
    assert!(errors[1].message.contains("EOF while parsing"), "{:?}", errors[1]);
    assert!(errors[1].message.ends_with("(line 1, column 11)"), "{:?}", errors[1]);
    assert_eq!(errors[2].message, "file is not valid UTF-8 (invalid byte sequence at byte offset 12)");
    assert!(errors[3].message.contains("unsupported format"), "{:?}", errors[3]);
}

#[test]
fn missing_path_is_an_error() {
    let dir = TempDir::new();
    let missing = dir.0.join("no-such.json");
    let errors = load_err(std::slice::from_ref(&missing));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].file, missing.display().to_string());
    assert!(errors[0].message.starts_with("cannot read: "), "{:?}", errors[0]);
}

#[test]
fn empty_corpus_is_an_error() {
    let dir = TempDir::new();
    let errors = load_err(std::slice::from_ref(&dir.0));
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].file, dir.0.display().to_string());
    assert_eq!(errors[0].message, "the corpus is empty: no test cases in 0 file(s)");

    dir.write("only-schema/schema.json", text(&file_with(&[sign_case("s")])));
    dir.write("empty.json", text(&file_with(&[])));
    let errors = load_err(std::slice::from_ref(&dir.0));
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].message, "the corpus is empty: no test cases in 1 file(s)");

    let errors = load_err(&[]);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].file, "(no paths given)");
}

#[cfg(unix)]
#[test]
fn symlink_cycles_do_not_loop() {
    let dir = TempDir::new();
    dir.write("sub/a.json", text(&file_with(&[sign_case("a")])));
    std::os::unix::fs::symlink(&dir.0, dir.0.join("sub/loop")).expect("symlink");
    let corpus = load_ok(std::slice::from_ref(&dir.0));
    let ids: Vec<&str> = corpus.cases().map(|(_, case)| case.id.as_str()).collect();
    assert_eq!(ids, ["a"]);
}

/// Loads `paths` on another thread, failing the test (instead of hanging it) if the loader
/// blocks.
#[cfg(unix)]
fn load_within_seconds(paths: Vec<PathBuf>) -> Result<Corpus, Vec<VectorError>> {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || sender.send(load_paths(&paths)));
    receiver.recv_timeout(std::time::Duration::from_secs(10)).expect("the loader blocked on a non-regular file")
}

#[cfg(unix)]
fn assert_refused(errors: &[VectorError], path: &Path, kind: &str) {
    let named = errors.iter().find(|e| e.file == path.display().to_string());
    let error = named.unwrap_or_else(|| panic!("no error names {}: {errors:#?}", path.display()));
    assert!(error.message.contains(&format!("not a regular file ({kind})")), "{error}");
}

/// A FIFO named like a vector file (which a plain read would wait on forever), a socket, and a
/// link to `/dev/zero` (which never ends) are each refused by name, without reading; the
/// valid file beside them is still read.
#[cfg(unix)]
#[test]
fn only_regular_files_are_read() {
    let dir = TempDir::new();
    dir.write("good.json", text(&file_with(&[sign_case("good")])));
    let fifo = dir.0.join("x.json");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let socket = dir.0.join("s.json");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).expect("bind a socket");
    let zero = dir.0.join("zero.json");
    std::os::unix::fs::symlink("/dev/zero", &zero).expect("symlink");

    let errors = load_within_seconds(vec![dir.0.clone()]).unwrap_err();
    assert_refused(&errors, &fifo, "a FIFO");
    assert_refused(&errors, &socket, "a socket");
    assert_refused(&errors, &zero, "a character device");
    assert_eq!(errors.len(), 3, "{errors:#?}");

    let errors = load_within_seconds(vec![PathBuf::from("/dev/zero")]).unwrap_err();
    assert_refused(&errors, Path::new("/dev/zero"), "a character device");
    let errors = load_within_seconds(vec![fifo.clone()]).unwrap_err();
    assert_refused(&errors, &fifo, "a FIFO");
}

/// A file over the documented cap is refused before it is read: a sparse file of the cap
/// plus one byte costs no disk and, read, would cost 256 MiB of memory.
#[test]
fn a_file_over_the_size_cap_is_refused_unread() {
    let dir = TempDir::new();
    let path = dir.write("big.json", "");
    fs::OpenOptions::new().write(true).open(&path).unwrap().set_len(oauth1_vectors::MAX_FILE_BYTES + 1).unwrap();
    let errors = load_err(std::slice::from_ref(&path));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].message.contains("larger than 268435456 bytes"), "{}", errors[0]);
}
