//! `cargo xtask bench [--quick]`: runs the criterion benchmarks of `benches/` (absolute times),
//! then the interleaved rounds of `benches/benches/ratios.rs` (the ratios: the reference to the
//! floor, HMAC-SHA1 alone, and every crate to the reference's header, each taken round by round
//! so that other work on the machine cancels out), times the harness itself, writes
//! `target/bench-summary.json` and prints both side by side, with the ratios issue 22 asks for.
//!
//! A ratio to the floor depends on the CPU (with the SHA extensions HMAC-SHA1 is several times
//! faster) and on the `sha1` and `sha2` crates, so the summary records both: figures from
//! machines or builds that differ in them are not comparable.
//!
//! `--quick` runs every benchmark briefly, for CI, which checks that they compile, that their
//! outputs are still the expected ones, and that they run; it never judges timings.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
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
/// Where the interleaved rounds write their ratios, under the workspace root.
const RATIOS_PATH: &str = "target/bench-ratios.json";
/// The crates whose code the floor and the reference's HMACs run, recorded with the ratios.
const HASH_CRATES: [&str; 2] = ["sha1", "sha2"];

/// The ratios issue 22 asks for on hardware with the SHA extensions, both in criterion's times
/// and in the interleaved medians: (group, benchmark, at most this many times the floor).
const FLOOR_TARGETS: [(&str, &str, f64); 6] = [
    ("rfc5849-3.4.1", "reference/signature", 2.0),
    ("rfc5849-3.4.1", "reference/header", 2.5),
    ("tiny", "reference/signature", 2.5),
    ("typical", "reference/signature", 2.5),
    ("unicode", "reference/signature", 2.5),
    ("large-form", "reference/signature", 3.5),
];
/// And on every shape, every other crate takes at least this many times the reference's header.
const PEER_TARGET: f64 = 1.3;

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
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    match measure(&root, &cargo, quick) {
        Ok(summary) => write_summary(&root, &summary),
        Err((code, e)) => {
            eprintln!("xtask: {e}");
            ExitCode::from(code)
        }
    }
}

/// Runs every measurement, prints the tables and returns the summary; an error carries its
/// exit code (1 when a benchmark failed, 2 for bad setup).
fn measure(root: &Path, cargo: &OsStr, quick: bool) -> Result<Value, (u8, String)> {
    let started = SystemTime::now();
    let mut bench = Command::new(cargo);
    bench.current_dir(root).args(["bench", "--package", "oauth1-benches", "--bench", "signing", "--"]);
    if quick {
        bench.args(QUICK_ARGS);
    }
    if !bench.status().is_ok_and(|s| s.success()) {
        return Err((1, "the criterion benchmarks failed".into()));
    }
    let measurements = read_criterion_results(&root.join("target/criterion"), started).map_err(|e| (2, e))?;
    let interleaved = interleaved_ratios(root, cargo, quick)?;
    let crates = hash_crates(root, cargo).map_err(|e| (2, e))?;
    let harness = harness_throughput(root, cargo).map_err(|e| (2, e))?;
    let rows = interleaved_rows(&interleaved);
    print_ratios(&measurements, &rows);
    let targets = targets(&measurements, &rows);
    print_targets(&targets, interleaved.pointer("/machine/sha_extensions").and_then(Value::as_bool));
    print_harness(&harness);
    let instructions = interleaved.get("instructions");
    print_instructions(instructions);
    let mut summary = json!({
        "quick": quick,
        "benchmarks": measurements
            .iter()
            .map(|m| json!({"group": m.group, "name": m.name, "ns_per_op": m.ns_per_op}))
            .collect::<Vec<_>>(),
        "interleaved": {
            "settings": interleaved.get("settings"),
            "clock": interleaved.get("clock"),
            "load_average_before": interleaved.get("load_average_before"),
            "load_average_after": interleaved.get("load_average_after"),
            "ratios": interleaved.get("ratios"),
        },
        "machine": interleaved.get("machine"),
        "crates": crates,
        "targets": targets,
        "harness": harness,
    });
    // Absent, not null, when the rounds did not count them (valgrind missing, a quick run).
    if let (Some(instructions), Some(fields)) = (instructions, summary.as_object_mut()) {
        fields.insert("instructions".into(), instructions.clone());
    }
    Ok(summary)
}

/// The instructions per call that the rounds counted under valgrind, if they did.
fn print_instructions(instructions: Option<&Value>) {
    let Some(instructions) = instructions else {
        println!("\ninstructions per call: not counted (a quick run, or valgrind missing; see the rounds' stderr)");
        return;
    };
    let field =
        |name: &str| instructions.get(name).and_then(Value::as_f64).map_or_else(|| "?".into(), |n| format!("{n:.0}"));
    println!(
        "\ninstructions per call, {} (valgrind, software SHA-1 in both): signature {}, floor {}, outside the HMAC {}",
        instructions.get("group").and_then(Value::as_str).unwrap_or("?"),
        field("signature"),
        field("floor"),
        field("outside_hmac")
    );
}

fn write_summary(root: &Path, summary: &Value) -> ExitCode {
    let path = root.join("target/bench-summary.json");
    let text = serde_json::to_string_pretty(summary).unwrap_or_default() + "\n";
    if let Err(e) = std::fs::write(&path, text) {
        eprintln!("xtask: cannot write {}: {e}", path.display());
        return ExitCode::from(2);
    }
    println!("summary: {}", path.display());
    ExitCode::SUCCESS
}

/// Runs the interleaved rounds (`benches/benches/ratios.rs`) and reads what they wrote. Their
/// own table goes nowhere: [`print_ratios`] prints it next to criterion's times.
fn interleaved_ratios(root: &Path, cargo: &OsStr, quick: bool) -> Result<Value, (u8, String)> {
    let path = root.join(RATIOS_PATH);
    let mut bench = Command::new(cargo);
    bench.current_dir(root).args(["bench", "--package", "oauth1-benches", "--bench", "ratios", "--"]);
    bench.arg("--out").arg(&path).stdout(Stdio::null());
    if quick {
        bench.arg("--quick");
    }
    if !bench.status().is_ok_and(|s| s.success()) {
        return Err((1, "the interleaved rounds (benches/benches/ratios.rs) failed".into()));
    }
    read_json(&path).map_err(|e| (2, e))
}

/// The version and enabled features of each of [`HASH_CRATES`] that the reference is built
/// with, from `cargo metadata` (the resolved dependency graph of `Cargo.lock`).
fn hash_crates(root: &Path, cargo: &OsStr) -> Result<Value, String> {
    let output = Command::new(cargo)
        .current_dir(root)
        .args(["metadata", "--format-version", "1", "--locked"])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    if !output.status.success() {
        return Err(format!("cargo metadata exited with {}", output.status));
    }
    let metadata: Value =
        serde_json::from_slice(&output.stdout).map_err(|e| format!("cargo metadata printed no JSON: {e}"))?;
    hash_crates_of(&metadata).ok_or_else(|| "cargo metadata shows no sha1 or sha2 under oauth1-reference".into())
}

/// [`hash_crates`] from the metadata: the dependencies of `oauth1-reference` named in
/// [`HASH_CRATES`], each with its version and the features the resolver enabled.
fn hash_crates_of(metadata: &Value) -> Option<Value> {
    let nodes = metadata.pointer("/resolve/nodes")?.as_array()?;
    let node = |id: &str| nodes.iter().find(|node| node.get("id").and_then(Value::as_str) == Some(id));
    let packages = metadata.get("packages")?.as_array()?;
    let package = |id: &str| packages.iter().find(|package| package.get("id").and_then(Value::as_str) == Some(id));
    let reference = packages.iter().find(|p| p.get("name").and_then(Value::as_str) == Some("oauth1-reference"))?;
    let deps = node(reference.get("id")?.as_str()?)?.get("deps")?.as_array()?;
    let mut crates = serde_json::Map::new();
    for name in HASH_CRATES {
        let id = deps.iter().find(|dep| dep.get("name").and_then(Value::as_str) == Some(name))?.get("pkg")?.as_str()?;
        let version = package(id)?.get("version")?.clone();
        let features = node(id)?.get("features")?.clone();
        crates.insert(name.to_owned(), json!({"version": version, "features": features}));
    }
    Some(Value::Object(crates))
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
fn harness_throughput(root: &Path, cargo: &OsStr) -> Result<Vec<Value>, String> {
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

/// One ratio of the interleaved rounds: `name` over `against`, median and spread.
struct Interleaved {
    group: String,
    name: String,
    against: String,
    median: f64,
    p10: f64,
    p90: f64,
}

impl Interleaved {
    fn text(&self) -> String {
        format!("{:.2}x [{:.2}, {:.2}]", self.median, self.p10, self.p90)
    }
}

fn interleaved_rows(report: &Value) -> Vec<Interleaved> {
    let rows = report.get("ratios").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    rows.iter()
        .filter_map(|row| {
            let text = |key: &str| row.get(key).and_then(Value::as_str).map(str::to_owned);
            let ratio = |key: &str| row.get("ratio")?.get(key)?.as_f64();
            Some(Interleaved {
                group: text("group")?,
                name: text("name")?,
                against: text("against")?,
                median: ratio("median")?,
                p10: ratio("p10")?,
                p90: ratio("p90")?,
            })
        })
        .collect()
}

fn find<'a>(rows: &'a [Interleaved], group: &str, name: &str, against: &str) -> Option<&'a Interleaved> {
    rows.iter().find(|row| row.group == group && row.name == name && row.against == against)
}

/// Criterion's medians by group and benchmark.
fn by_group(measurements: &[Measurement]) -> BTreeMap<&str, BTreeMap<&str, f64>> {
    let mut by_group: BTreeMap<&str, BTreeMap<&str, f64>> = BTreeMap::new();
    for m in measurements {
        by_group.entry(m.group.as_str()).or_default().insert(m.name.as_str(), m.ns_per_op);
    }
    by_group
}

/// Criterion's time and ratios next to the interleaved ratios, shape by shape: the reference
/// and every crate to the floor, every crate to the reference's header.
fn print_ratios(measurements: &[Measurement], interleaved: &[Interleaved]) {
    let by_group = by_group(measurements);
    println!(
        "\n{:<14} {:<30} {:>10} {:>8} {:>22} {:>8} {:>22}",
        "group", "benchmark", "ns/op", "/ floor", "interleaved / floor", "/ ref hdr", "interleaved / ref hdr"
    );
    for shape in SHAPES {
        let Some(group) = by_group.get(shape) else { continue };
        let floor = group.get(FLOOR).copied();
        let header = group.get("reference/header").copied();
        let ratio = |value: f64, to: Option<f64>| to.map_or_else(String::new, |to| format!("{:.2}x", value / to));
        let peers = group.iter().filter(|(name, _)| !REFERENCE.contains(name) && **name != FLOOR);
        let rows = REFERENCE.iter().filter_map(|name| group.get_key_value(name)).chain(peers);
        for (name, &ns) in rows.chain(group.get_key_value(FLOOR)) {
            let is_peer = !REFERENCE.contains(name) && *name != FLOOR;
            let to_header = if is_peer { ratio(ns, header) } else { String::new() };
            let interleaved_text = |against: &str| find(interleaved, shape, name, against).map(Interleaved::text);
            println!(
                "{shape:<14} {name:<30} {ns:>10.0} {:>8} {:>22} {to_header:>8} {:>22}",
                ratio(ns, floor),
                interleaved_text(FLOOR).unwrap_or_default(),
                interleaved_text("reference/header").unwrap_or_default()
            );
        }
    }
    for (group, entries) in by_group.iter().filter(|(group, _)| !SHAPES.contains(group)) {
        for (name, ns) in entries {
            println!("{group:<14} {name:<30} {ns:>10.0}");
        }
    }
}

/// Each ratio of [`FLOOR_TARGETS`] and [`PEER_TARGET`], as criterion's times and the
/// interleaved medians give it, and whether both meet it.
fn targets(measurements: &[Measurement], interleaved: &[Interleaved]) -> Vec<Value> {
    let by_group = by_group(measurements);
    let time = |group: &str, name: &str| by_group.get(group).and_then(|g| g.get(name)).copied();
    let mut targets = Vec::new();
    for (group, name, at_most) in FLOOR_TARGETS {
        let criterion = time(group, name).zip(time(group, FLOOR)).map(|(ns, floor)| ns / floor);
        let median = find(interleaved, group, name, FLOOR).map(|row| row.median);
        let met = criterion.is_some_and(|r| r <= at_most) && median.is_some_and(|r| r <= at_most);
        targets.push(json!({"group": group, "name": name, "against": FLOOR, "at_most": at_most,
            "criterion": criterion, "interleaved_median": median, "met": met}));
    }
    for shape in SHAPES {
        // The fastest other crate, by each measure: criterion's time, and the interleaved median
        // of its ratio to the reference's header.
        let peers = by_group.get(shape).into_iter().flatten().filter(|(n, _)| !REFERENCE.contains(n) && **n != FLOOR);
        let fastest = peers.min_by(|a, b| a.1.total_cmp(b.1));
        let criterion = fastest.zip(time(shape, "reference/header")).map(|((_, &ns), header)| ns / header);
        let by_median = interleaved
            .iter()
            .filter(|row| row.group == shape && row.against == "reference/header")
            .min_by(|a, b| a.median.total_cmp(&b.median));
        let met = criterion.is_some_and(|r| r >= PEER_TARGET) && by_median.is_some_and(|r| r.median >= PEER_TARGET);
        targets.push(json!({"group": shape, "name": "fastest other crate", "against": "reference/header",
            "at_least": PEER_TARGET, "criterion": criterion, "criterion_fastest": fastest.map(|(name, _)| name),
            "interleaved_median": by_median.map(|row| row.median),
            "interleaved_fastest": by_median.map(|row| row.name.as_str()), "met": met}));
    }
    targets
}

fn print_targets(targets: &[Value], sha_extensions: Option<bool>) {
    println!("\nissue 22 targets (criterion's ratio and the interleaved median must both meet each):");
    if sha_extensions != Some(true) {
        println!("  (this CPU has no SHA extensions: the targets are set for hardware that has them)");
    }
    for target in targets {
        let field = |key: &str| target.get(key).and_then(Value::as_str).unwrap_or_default();
        let ratio =
            |key: &str| target.get(key).and_then(Value::as_f64).map_or_else(|| "-".into(), |r| format!("{r:.2}x"));
        let limit =
            match (target.get("at_most").and_then(Value::as_f64), target.get("at_least").and_then(Value::as_f64)) {
                (Some(at_most), _) => format!("<= {at_most:.2}x"),
                (_, Some(at_least)) => format!(">= {at_least:.2}x"),
                _ => String::new(),
            };
        let met = if target.get("met").and_then(Value::as_bool) == Some(true) { "met" } else { "NOT met" };
        println!(
            "  {:<14} {:<20} / {:<17} {limit:<9} criterion {:>7}  interleaved {:>7}  {met}",
            field("group"),
            field("name"),
            field("against"),
            ratio("criterion"),
            ratio("interleaved_median")
        );
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

    /// The features of the `sha1` that `oauth1-reference` depends on, not of another `sha1`.
    #[test]
    fn hash_crates_are_those_of_the_reference() {
        let metadata = json!({
            "packages": [
                {"name": "oauth1-reference", "id": "ref"},
                {"name": "sha1", "id": "sha1-old", "version": "0.6.1"},
                {"name": "sha1", "id": "sha1-new", "version": "0.10.7"},
                {"name": "sha2", "id": "sha2", "version": "0.10.9"}
            ],
            "resolve": {"nodes": [
                {"id": "ref", "deps": [{"name": "sha1", "pkg": "sha1-new"}, {"name": "sha2", "pkg": "sha2"}]},
                {"id": "sha1-old", "features": ["std"]},
                {"id": "sha1-new", "features": ["default", "oid", "std"]},
                {"id": "sha2", "features": ["oid"]}
            ]}
        });
        assert_eq!(
            hash_crates_of(&metadata).unwrap(),
            json!({"sha1": {"version": "0.10.7", "features": ["default", "oid", "std"]},
                   "sha2": {"version": "0.10.9", "features": ["oid"]}})
        );
        assert_eq!(hash_crates_of(&json!({"packages": []})), None);
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
