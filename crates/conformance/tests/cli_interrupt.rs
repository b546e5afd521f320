//! `run` interrupted: SIGTERM (or SIGINT) while an adapter is busy ends the adapter's process
//! group and what it detached, writes the reports of what was gathered marked incomplete, and
//! exits 143 (130).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("oauth1-cli-interrupt-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn pids(path: &Path) -> Vec<u32> {
    std::fs::read_to_string(path).unwrap_or_default().lines().filter_map(|l| l.trim().parse().ok()).collect()
}

fn is_running(pid: u32) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { return false };
    let state = stat.rfind(')').and_then(|at| stat[at + 1..].split_whitespace().next().map(str::to_owned));
    !matches!(state.as_deref(), Some("Z" | "X") | None)
}

fn parse_case(id: &str, header: &str) -> String {
    format!(
        r#"{{"id": "{id}", "kind": "parse_header", "description": "d", "provenance": "p", "flags": [],
  "result": "valid", "header": "{header}", "expected": {{"params": [["a", "1"]]}}}}"#
    )
}

fn interrupted_by(signal: &str, code: i32) {
    let dir = scratch(signal);
    let vectors = dir.join("v.json");
    let cases = [parse_case("first", "OAuth a=\\\"1\\\""), parse_case("hangs", "OAuth a=\\\"HANG\\\"")];
    let file = format!(
        r#"{{"format": "oauth1-vectors/v1", "description": "t", "flags": {{}}, "cases": [{}]}}"#,
        cases.join(",")
    );
    std::fs::write(&vectors, file).unwrap();
    let pid_file = dir.join("adapter.pids");
    let adapter = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fake_adapter.py");
    let report = dir.join("report.json");
    let mut run = Command::new(env!("CARGO_BIN_EXE_oauth1-conformance"))
        .args(["run", "--impl", "reference", "--vectors"])
        .arg(&vectors)
        .arg("--adapter")
        .arg(format!("fake=python3 {} --pid-file {} --spawn-setsid", adapter.display(), pid_file.display()))
        .args(["--case-timeout", "120", "--jobs", "2", "--report"])
        .arg(format!("json:{}", report.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The adapter and its setsid child are up, and the adapter is hanging on the second case.
    let started = Instant::now();
    while pids(&pid_file).len() < 2 && started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(800));
    let started_pids = pids(&pid_file);
    assert!(started_pids.len() >= 2, "{started_pids:?}");
    assert!(Command::new("kill").args([&format!("-{signal}"), &run.id().to_string()]).status().unwrap().success());
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = run.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "run did not end after {signal}");
        std::thread::sleep(Duration::from_millis(50));
    };
    let stderr = std::io::read_to_string(run.stderr.take().unwrap()).unwrap_or_default();
    assert_eq!(status.code(), Some(code), "{stderr}");
    assert!(stderr.contains("interrupted by"), "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(json["metadata"]["incomplete"], true, "{json:#}");
    assert!(json["results"].as_array().is_some_and(|r| r.iter().any(|r| r["impl"] == "reference")));
    let grace = Instant::now() + Duration::from_secs(5);
    while started_pids.iter().any(|&p| is_running(p)) && Instant::now() < grace {
        std::thread::sleep(Duration::from_millis(50));
    }
    let left: Vec<u32> = started_pids.into_iter().filter(|&p| is_running(p)).collect();
    for &pid in &left {
        let _ = Command::new("kill").args(["-KILL", &pid.to_string()]).status();
    }
    assert!(left.is_empty(), "still running after {signal}: {left:?}");
}

#[test]
fn sigterm_ends_the_adapters_writes_an_incomplete_report_and_exits_143() {
    interrupted_by("TERM", 143);
}

#[test]
fn sigint_does_the_same_and_exits_130() {
    interrupted_by("INT", 130);
}
