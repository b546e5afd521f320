//! `cargo xtask bench [--quick]`: runs the criterion benchmarks of `benches/`, times the
//! harness itself, writes `target/bench-summary.json` and prints each figure as a ratio: the
//! reference to the floor (HMAC-SHA1 alone) and every crate to the reference's header.
//!
//! `--quick` runs every benchmark briefly, for CI, which checks that they compile, that their
//! outputs are still the expected ones, and that they run; it never judges timings.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::{Instant, SystemTime};

use serde_json::{json, Value};

use crate::setup;

/// The request-shape groups of `benches/benches/signing.rs`, in table order.
const SHAPES: [&str; 5] = ["tiny", "rfc5849-3.4.1", "typical", "large-form", "unicode"];
/// The reference's entries in every shape group, and the floor.
const REFERENCE: [&str; 3] = ["reference/signature", "reference/header", "reference/trace"];
const FLOOR: &str = "floor";
/// Criterion's settings in `--quick` mode (its minimum sample size is 10).
const QUICK_ARGS: [&str; 6] = ["--warm-up-time", "0.05", "--measurement-time", "0.1", "--sample-size", "10"];
/// Generated cases in each harness-throughput run (on top of the corpus).
const HARNESS_GENERATED: &str = "2000";

/// One benchmark's result.
struct Measurement {
    group: String,
    name: String,
    ns_per_op: f64,
}

pub(crate) fn run(args: &[String]) -> ExitCode {
    let quick = match args {
        [] => false,
        [flag] if flag == "--quick" => true,
        _ => {
            eprintln!("usage: cargo xtask bench [--quick]");
            return ExitCode::from(2);
        }
    };
    let root = setup::workspace_root();
    let started = SystemTime::now();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut bench = Command::new(&cargo);
    bench.current_dir(&root).args(["bench", "--package", "oauth1-benches", "--bench", "signing", "--"]);
    if quick {
        bench.args(QUICK_ARGS);
    }
    if !bench.status().is_ok_and(|s| s.success()) {
        eprintln!("xtask: the benchmarks failed");
        return ExitCode::from(1);
    }
    let measurements = match read_criterion_results(&root.join("target/criterion"), started) {
        Ok(measurements) => measurements,
        Err(e) => {
            eprintln!("xtask: {e}");
            return ExitCode::from(2);
        }
    };
    let harness = match harness_throughput(&root, &cargo) {
        Ok(harness) => harness,
        Err(e) => {
            eprintln!("xtask: {e}");
            return ExitCode::from(2);
        }
    };
    print_ratios(&measurements);
    print_harness(&harness);
    let summary = json!({
        "quick": quick,
        "benchmarks": measurements
            .iter()
            .map(|m| json!({"group": m.group, "name": m.name, "ns_per_op": m.ns_per_op}))
            .collect::<Vec<_>>(),
        "harness": harness,
    });
    let path = root.join("target/bench-summary.json");
    let text = serde_json::to_string_pretty(&summary).unwrap_or_default() + "\n";
    if let Err(e) = std::fs::write(&path, text) {
        eprintln!("xtask: cannot write {}: {e}", path.display());
        return ExitCode::from(2);
    }
    println!("summary: {}", path.display());
    ExitCode::SUCCESS
}

/// Every `new/` result criterion wrote since `since`: its group, name and median time.
fn read_criterion_results(dir: &Path, since: SystemTime) -> Result<Vec<Measurement>, String> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.file_name().is_some_and(|n| n == "benchmark.json")
                && path.parent().is_some_and(|p| p.ends_with("new"))
                && modified_since(&path, since)
            {
                found.push(read_measurement(&path)?);
            }
        }
    }
    if found.is_empty() {
        return Err(format!("no benchmark results in {}", dir.display()));
    }
    found.sort_by(|a, b| (&a.group, &a.name).cmp(&(&b.group, &b.name)));
    Ok(found)
}

fn modified_since(path: &Path, since: SystemTime) -> bool {
    std::fs::metadata(path).and_then(|m| m.modified()).is_ok_and(|modified| modified >= since)
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))
}

/// One result: `benchmark.json` names it; `estimates.json` beside it holds the median, the
/// estimate least moved by the other work on a shared machine.
fn read_measurement(benchmark: &Path) -> Result<Measurement, String> {
    let id = read_json(benchmark)?;
    let estimates_path = benchmark.with_file_name("estimates.json");
    let estimates = read_json(&estimates_path)?;
    let text = |value: &Value, key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
    let (Some(group), Some(name)) = (text(&id, "group_id"), text(&id, "function_id")) else {
        return Err(format!("{} has no group_id or function_id", benchmark.display()));
    };
    let ns_per_op = estimates
        .pointer("/median/point_estimate")
        .and_then(Value::as_f64)
        .ok_or_else(|| format!("{} has no median", estimates_path.display()))?;
    Ok(Measurement { group, name, ns_per_op })
}

/// Times `oauth1-conformance run` of the reference over the corpus and generated cases, in
/// process and over the adapter protocol (`--isolate`, a `serve` child).
fn harness_throughput(root: &Path, cargo: &std::ffi::OsStr) -> Result<Vec<Value>, String> {
    let built = Command::new(cargo)
        .current_dir(root)
        .args(["build", "--quiet", "--release", "--package", "oauth1-conformance"])
        .status();
    if !built.is_ok_and(|s| s.success()) {
        return Err("building oauth1-conformance failed".into());
    }
    let report = root.join("target/bench-harness-report.json");
    let mut rows = Vec::new();
    for (mode, isolate) in [("in-process", false), ("adapter protocol (--isolate)", true)] {
        let mut command = Command::new(root.join("target/release/oauth1-conformance"));
        command
            .current_dir(root)
            .args(["run", "--impl", "reference", "--vectors", "vectors", "--quiet", "--seed", "1"])
            .args(["--generated", HARNESS_GENERATED])
            .arg("--report")
            .arg(format!("json:{}", report.display()));
        if isolate {
            command.arg("--isolate");
        }
        let start = Instant::now();
        let status = command.output().map_err(|e| format!("cannot run oauth1-conformance: {e}"))?.status;
        let seconds = start.elapsed().as_secs_f64();
        if !status.success() {
            return Err(format!("oauth1-conformance run ({mode}) exited with {status}"));
        }
        let cases =
            case_count(&read_json(&report)?).ok_or_else(|| format!("{} has no summary.total", report.display()))?;
        rows.push(
            json!({"mode": mode, "cases": cases, "seconds": seconds, "cases_per_second": cases as f64 / seconds}),
        );
    }
    Ok(rows)
}

/// The number of cases a JSON report counts, whatever their outcome.
fn case_count(report: &Value) -> Option<u64> {
    let total = report.pointer("/summary/total")?.as_object()?;
    total.values().map(Value::as_u64).sum()
}

fn print_ratios(measurements: &[Measurement]) {
    let mut by_group: BTreeMap<&str, BTreeMap<&str, f64>> = BTreeMap::new();
    for m in measurements {
        by_group.entry(m.group.as_str()).or_default().insert(m.name.as_str(), m.ns_per_op);
    }
    println!("\n{:<15} {:<32} {:>12} {:>9} {:>10}", "group", "benchmark", "ns/op", "/ floor", "/ ref hdr");
    for shape in SHAPES {
        let Some(group) = by_group.get(shape) else { continue };
        let floor = group.get(FLOOR).copied();
        let header = group.get("reference/header").copied();
        let ratio = |value: f64, to: Option<f64>| to.map_or_else(String::new, |to| format!("{:.2}x", value / to));
        let peers = group.iter().filter(|(name, _)| !REFERENCE.contains(name) && **name != FLOOR);
        let rows = REFERENCE.iter().filter_map(|name| group.get_key_value(name)).chain(peers);
        for (name, &ns) in rows.chain(group.get_key_value(FLOOR)) {
            let to_header = if REFERENCE.contains(name) || *name == FLOOR { String::new() } else { ratio(ns, header) };
            println!("{shape:<15} {name:<32} {ns:>12.0} {:>9} {to_header:>10}", ratio(ns, floor));
        }
    }
    for (group, entries) in by_group.iter().filter(|(group, _)| !SHAPES.contains(group)) {
        for (name, ns) in entries {
            println!("{group:<15} {name:<32} {ns:>12.0}");
        }
    }
}

fn print_harness(rows: &[Value]) {
    println!("\nharness throughput (reference, corpus + {HARNESS_GENERATED} generated cases):");
    for row in rows {
        let field = |key: &str| row.get(key).cloned().unwrap_or_default();
        println!(
            "  {:<30} {} cases in {:.2} s: {:.0} cases/s",
            field("mode").as_str().unwrap_or_default(),
            field("cases"),
            field("seconds").as_f64().unwrap_or_default(),
            field("cases_per_second").as_f64().unwrap_or_default()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_count_adds_every_outcome() {
        let report = json!({"summary": {"total": {"pass": 671, "fail": 1, "acceptable": 5, "skip": 0, "error": 2}}});
        assert_eq!(case_count(&report), Some(679));
        assert_eq!(case_count(&json!({"summary": {}})), None);
    }

    #[test]
    fn a_measurement_is_read_from_criterion_files() {
        let dir = std::env::temp_dir().join(format!("xtask-bench-test-{}", std::process::id()));
        let new = dir.join("g/n/new");
        std::fs::create_dir_all(&new).unwrap();
        std::fs::write(new.join("benchmark.json"), r#"{"group_id":"tiny","function_id":"floor"}"#).unwrap();
        std::fs::write(new.join("estimates.json"), r#"{"median":{"point_estimate":812.5}}"#).unwrap();
        let found = read_criterion_results(&dir, SystemTime::UNIX_EPOCH).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].group.as_str(), found[0].name.as_str(), found[0].ns_per_op), ("tiny", "floor", 812.5));
    }
}
