//! `write_atomically` under a SIGKILL: a writer process rewrites a 4 MiB file over and over,
//! the test kills it the moment the file at the path changes, and the path must then hold one
//! complete version, old or new, never a truncated one. The writer is this test binary itself,
//! run again with `OAUTH1_ATOMIC_WRITER` set.

use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use oauth1_conformance::atomic_file::{write_all_atomically, write_atomically};

const WRITER_ENV: &str = "OAUTH1_ATOMIC_WRITER";
/// `in-place` makes the writer use `std::fs::write`, as the harness did: the same test then
/// catches torn files, which shows that it can (`in_place_writes_are_caught_torn`).
const MODE_ENV: &str = "OAUTH1_ATOMIC_WRITER_MODE";
const BODY: usize = 4 << 20;

fn version(n: u64) -> Vec<u8> {
    let mut text = format!("begin {n}\n").into_bytes();
    text.resize(text.len() + BODY, b'x');
    text.extend_from_slice(format!("\nend {n}\n").as_bytes());
    text
}

/// Which complete version `bytes` is, if it is one.
fn complete_version(bytes: &[u8]) -> Option<u64> {
    let text = std::str::from_utf8(bytes).ok()?;
    let n: u64 = text.strip_prefix("begin ")?.split('\n').next()?.parse().ok()?;
    (bytes == version(n).as_slice()).then_some(n)
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("oauth1-atomic-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The writer process: rewrites the target with versions 1, 2, 3, … until it is killed.
#[test]
#[ignore = "the writer process of the kill tests, run by them"]
fn writer_process() {
    let Some(target) = std::env::var_os(WRITER_ENV) else { return };
    let in_place = std::env::var(MODE_ENV).is_ok_and(|m| m == "in-place");
    for n in 1.. {
        if in_place {
            std::fs::write(&target, version(n)).unwrap();
        } else {
            write_atomically(Path::new(&target), &version(n)).unwrap();
        }
    }
}

/// What identifies the file at `path` and its content: inode, size, modification time.
fn identity(path: &Path) -> Option<(u64, u64, i64, i64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.ino(), meta.len(), meta.mtime(), meta.mtime_nsec()))
}

/// Starts the writer on `target` (holding version 0), SIGKILLs it as soon as the file at
/// `target` changes, and returns what `target` then holds.
fn kill_at_first_change(target: &Path, in_place: bool) -> Vec<u8> {
    write_atomically(target, &version(0)).unwrap();
    let before = identity(target);
    let mut writer = Command::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", "writer_process", "--nocapture"])
        .env(WRITER_ENV, target)
        .env(MODE_ENV, if in_place { "in-place" } else { "atomic" })
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while identity(target) == before {
        assert!(Instant::now() < deadline, "the writer never changed {}", target.display());
        std::hint::spin_loop();
    }
    writer.kill().unwrap();
    writer.wait().unwrap();
    std::fs::read(target).unwrap()
}

#[test]
fn a_writer_killed_as_the_file_changes_leaves_a_complete_version() {
    let dir = scratch("kill");
    let target = dir.join("report.json");
    for round in 0..10 {
        let held = kill_at_first_change(&target, false);
        let n = complete_version(&held);
        assert!(n.is_some(), "round {round}: {} bytes, not a complete version", held.len());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The control: the same kill against `std::fs::write`, which truncates the file and then
/// writes it, usually finds it torn. A measurement of the test's power, not a property.
#[test]
#[ignore = "a control: shows that the kill test catches in-place writes"]
fn in_place_writes_are_caught_torn() {
    let dir = scratch("control");
    let target = dir.join("report.json");
    let torn = (0..10).filter(|_| complete_version(&kill_at_first_change(&target, true)).is_none()).count();
    eprintln!("{torn} of 10 in-place writes killed as the file changed left it torn");
    assert!(torn > 0);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn files_are_replaced_whole_with_the_usual_permissions() {
    let dir = scratch("plain");
    let target = dir.join("a.json");
    write_atomically(&target, b"first").unwrap();
    write_atomically(&target, b"second").unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), b"second");
    let plain = dir.join("plain.json");
    std::fs::write(&plain, b"x").unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().mode() & 0o777;
    assert_eq!(mode(&target), mode(&plain));
    let names: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names.len(), 2, "no temporary file left: {names:?}");

    // Several files: a failure while staging (here a directory that cannot be made, its name
    // taken by a file; a missing directory is created, as baselines of `a/b` rows need)
    // changes none of them.
    let other = dir.join("b.json");
    std::fs::write(&other, b"old b").unwrap();
    let missing = plain.join("c.json");
    let error = write_all_atomically(&[(&target, b"third"), (&other, b"new b"), (&missing, b"c")]).unwrap_err();
    assert!(error.to_string().contains("plain.json/c.json"), "{error}");
    assert_eq!(std::fs::read(&target).unwrap(), b"second");
    assert_eq!(std::fs::read(&other).unwrap(), b"old b");
    write_all_atomically(&[(&target, b"third"), (&other, b"new b")]).unwrap();
    assert_eq!(
        (std::fs::read(&target).unwrap(), std::fs::read(&other).unwrap()),
        (b"third".to_vec(), b"new b".to_vec())
    );
    let _ = std::fs::remove_dir_all(&dir);
}
