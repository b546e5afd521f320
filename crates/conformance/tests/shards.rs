//! Campaigns beyond one machine: `run --shard I/N` on each of N machines, then `report merge`,
//! must give the report of one unsharded run — result for result on (implementation, case,
//! outcome, quirks) — and the same exit code; and the GitHub workflow that runs such a campaign
//! is a valid workflow.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_oauth1-conformance"))
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("oauth1-shards-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

/// The rows of the campaign: a signer and verifier with two planted quirks (so attribution,
/// baselines and shrinking all have work), and a real crate.
const ROWS: [&str; 4] = ["--impl", "reference+plus-not-decoded+keeps-default-port", "--impl", "oauth-1a"];

fn run(dir: &Path, extra: &[&str], report: &str) -> Output {
    run_rows(&ROWS, dir, extra, report)
}

fn run_rows(rows: &[&str], dir: &Path, extra: &[&str], report: &str) -> Output {
    bin()
        .arg("run")
        .args(rows)
        .arg("--vectors")
        .arg(root().join("vectors"))
        .args(["--generated", "200", "--seed", "99", "--quiet"])
        .args(extra)
        .arg("--report")
        .arg(format!("json:{}", dir.join(report).display()))
        .output()
        .unwrap()
}

/// `(implementation, case, outcome, quirks, behaviour)` of every result, in report order.
fn results(path: &Path) -> Vec<(String, String, String, String, String)> {
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    json["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let s = |key: &str| r[key].to_string();
            (s("impl"), s("case"), s("outcome"), s("quirks"), s("behaviour"))
        })
        .collect()
}

#[test]
fn three_shards_merged_equal_one_unsharded_run() {
    let dir = scratch("equal");
    let whole = run(&dir, &[], "whole.json");
    assert_eq!(whole.status.code(), Some(1), "the planted quirks diverge: {}", text(&whole));
    for i in 1..=3 {
        let shard = run(&dir, &["--shard", &format!("{i}/3")], &format!("shard-{i}.json"));
        assert_eq!(shard.status.code(), Some(1), "{}", text(&shard));
    }
    let merged = bin()
        .args(["report", "merge"])
        .args((1..=3).map(|i| dir.join(format!("shard-{i}.json"))))
        .arg("--report")
        .arg(format!("json:{}", dir.join("merged.json").display()))
        .output()
        .unwrap();
    assert_eq!(merged.status.code(), Some(1), "the same exit code as the whole run: {}", text(&merged));
    let (whole, merged) = (results(&dir.join("whole.json")), results(&dir.join("merged.json")));
    assert!(whole.len() > 1_000, "{}", whole.len());
    assert_eq!(merged.len(), whole.len());
    for (a, b) in whole.iter().zip(&merged) {
        assert_eq!(a, b);
    }
    let shard_sizes: Vec<usize> = (1..=3).map(|i| results(&dir.join(format!("shard-{i}.json"))).len()).collect();
    assert_eq!(shard_sizes.iter().sum::<usize>(), whole.len(), "{shard_sizes:?}");
    // The merged report is one schema-valid document.
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("docs/report.schema.json")).unwrap()).unwrap();
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("merged.json")).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&report).map(|e| format!("{}: {e}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(report["metadata"]["shards"].as_array().map(Vec::len), Some(3));
}

/// A row whose cases single quirks tie on: on a form body with a query, `ignores-form-body`
/// signs like `ignores-form-body-with-query`, and only the row's other cases (a form body
/// without a query, signed as the RFC says) rule the first out. The shard holding a tied case
/// may hold no such case, so each shard's own choice can differ from the whole run's; the merge
/// chooses again with the whole row's evidence and must name every case as the unsharded run.
#[test]
fn a_tie_broken_by_the_rows_other_cases_is_broken_alike_after_a_merge() {
    // Twelve shards: small enough that some shard holds a tied case but no case ruling
    // `ignores-form-body` out (shard 7 of this seed), so that shard alone names it otherwise.
    const SHARDS: usize = 12;
    let dir = scratch("ties");
    let row = ["--impl", "reference+ignores-form-body-with-query"];
    let whole = run_rows(&row, &dir, &[], "whole.json");
    assert_eq!(whole.status.code(), Some(1), "{}", text(&whole));
    for i in 1..=SHARDS {
        let shard = run_rows(&row, &dir, &["--shard", &format!("{i}/{SHARDS}")], &format!("shard-{i}.json"));
        assert_eq!(shard.status.code(), Some(1), "{}", text(&shard));
    }
    let shard_named_otherwise = (1..=SHARDS)
        .any(|i| results(&dir.join(format!("shard-{i}.json"))).iter().any(|r| r.3.contains("\"ignores-form-body\"")));
    assert!(shard_named_otherwise, "no shard lacks the evidence: the test no longer shows the merge choosing again");
    let merged = bin()
        .args(["report", "merge"])
        .args((1..=SHARDS).map(|i| dir.join(format!("shard-{i}.json"))))
        .arg("--report")
        .arg(format!("json:{}", dir.join("merged.json").display()))
        .output()
        .unwrap();
    assert_eq!(merged.status.code(), Some(1), "{}", text(&merged));
    let whole = results(&dir.join("whole.json"));
    assert_eq!(results(&dir.join("merged.json")), whole);
    // The tie is there, and broken the right way: every divergence named after the row's quirk.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("whole.json")).unwrap()).unwrap();
    let divergent: Vec<&serde_json::Value> =
        json["results"].as_array().unwrap().iter().filter(|r| r["outcome"] == "fail").collect();
    assert!(divergent.iter().any(|r| r["ties"].as_array().is_some_and(|t| t.len() > 1)), "no tie recorded");
    for r in &divergent {
        assert_eq!(r["quirks"], serde_json::json!(["ignores-form-body-with-query"]), "{r}");
    }
    assert!(
        json["metadata"]["ruled_out"]["reference+ignores-form-body-with-query"]
            .as_array()
            .is_some_and(|q| q.contains(&serde_json::json!("ignores-form-body"))),
        "the row's passing cases rule ignores-form-body out"
    );
}

#[test]
fn baselines_are_judged_on_the_merged_run_and_a_missing_shard_is_bad_input() {
    let dir = scratch("baselines");
    let baselines = dir.join("baselines");
    // The whole run's own baselines: the merge of its shards must match them exactly.
    let update = bin()
        .arg("run")
        .args(ROWS)
        .arg("--vectors")
        .arg(root().join("vectors"))
        .args(["--generated", "200", "--seed", "99", "--quiet", "--update-baseline", "--baselines"])
        .arg(&baselines)
        .output()
        .unwrap();
    assert_eq!(update.status.code(), Some(0), "{}", text(&update));
    for i in 1..=2 {
        let shard = run(&dir, &["--shard", &format!("{i}/2")], &format!("shard-{i}.json"));
        assert_eq!(shard.status.code(), Some(1), "{}", text(&shard));
    }
    let merge = |shards: &[usize]| {
        bin()
            .args(["report", "merge"])
            .args(shards.iter().map(|i| dir.join(format!("shard-{i}.json"))))
            .arg("--baselines")
            .arg(&baselines)
            .output()
            .unwrap()
    };
    let both = merge(&[1, 2]);
    assert_eq!(both.status.code(), Some(0), "matches the baselines: {}", text(&both));
    assert!(text(&both).contains("matches its baseline"), "{}", text(&both));
    let one = merge(&[1]);
    assert_eq!(one.status.code(), Some(2), "{}", text(&one));
    assert!(text(&one).contains("shards 2/2 are missing"), "{}", text(&one));
    let twice = merge(&[1, 1]);
    assert_eq!(twice.status.code(), Some(2), "{}", text(&twice));
}

/// The campaign workflow is a valid GitHub Actions workflow, by the schema the SchemaStore
/// publishes, checked with `check-jsonschema` (PyPI), which carries it; the README's test
/// command installs it into `.venv` (`cargo xtask setup`).
#[test]
#[cfg_attr(not(feature = "external"), ignore = "needs the .venv of `cargo xtask setup`; run with --features external")]
fn the_campaign_workflow_is_a_valid_github_workflow() {
    let checker = root().join(".venv/bin/check-jsonschema");
    assert!(checker.is_file(), "{} is missing: run `cargo xtask setup`", checker.display());
    let workflow = root().join(".github/workflows/campaign.yml");
    assert!(workflow.is_file(), "{} is missing", workflow.display());
    let out =
        Command::new(&checker).args(["--builtin-schema", "vendor.github-workflows"]).arg(&workflow).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
}
