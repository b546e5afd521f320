//! The catalogue's round trip (issue 18 §4): the reference with exactly one catalogued quirk
//! switched on, run as a row of the matrix (`--impl reference+QUIRK`) over the corpus and
//! generated cases, through the judge and attribution `oauth1-conformance run` uses
//! ([`run_rows`], blind: no baseline fingerprint). Every switchable quirk must be detected, and
//! each divergence it causes must be named after it alone. A quirk no case reveals is a gap in
//! the corpus; one named after another is a defect of the search. (No two catalogued quirks sign
//! every corpus and generated case alike, so no divergence may be named after another quirk; two
//! that did would fail here, each row named after the one listed first.)
//!
//! Circular by construction (the quirk's own code against its own detector); the independent
//! one-bug implementations of `tests/one_bug.rs` are the other half.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use oauth1_conformance::adapter::AdapterConfig;
use oauth1_conformance::baseline::Baseline;
use oauth1_conformance::matrix::{run_rows, RowSpec, Silent};
use oauth1_conformance::quirks::Quirk;
use oauth1_conformance::session::{Driver, Plan, Row};
use oauth1_vectors::{load_paths, Corpus};

/// The generated cases' seed: fixed, so a failure replays (`oauth1-conformance run --impl
/// reference+QUIRK --vectors vectors --generated 300 --seed 18`).
const SEED: u64 = 18;
/// Generated cases per row, shared among signing, parsing and verifying as in a run.
const GENERATED: u64 = 300;

fn corpus() -> Corpus {
    load_paths(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("../../vectors")]).unwrap()
}

fn plan() -> Plan {
    // No shrinking: it looks for smaller cases, it does not change what explains a divergence.
    Plan { generated: GENERATED, seed: SEED, shrink_budget: 0, ..Plan::default() }
}

/// The rows `reference+A+B…` for each quirk set, run blind (no baseline fingerprint), two at a
/// time as on the 2-core CI machine.
fn run(sets: &[Vec<Quirk>], corpus: &Corpus) -> Vec<Row> {
    let specs: Vec<RowSpec> = sets
        .iter()
        .map(|set| RowSpec {
            name: std::iter::once("reference").chain(set.iter().map(|q| q.id())).collect::<Vec<_>>().join("+"),
            driver: Driver::InProcess,
            known: Baseline::default(),
        })
        .collect();
    let (rows, unavailable) =
        run_rows(&specs, Some(corpus), &plan(), &AdapterConfig::default(), 2, &Silent).expect("the rows run");
    assert!(unavailable.is_empty(), "{unavailable:?}");
    assert_eq!(rows.len(), sets.len());
    rows
}

/// What is wrong with `row`, the reference with exactly `planted`: nothing detected, or a
/// divergence unexplained or named after a quirk outside `planted`. Empty when the row passes
/// the round trip.
fn problems(row: &Row, planted: &[Quirk]) -> Vec<String> {
    let allowed = |named: Quirk| planted.contains(&named);
    let divergences: Vec<_> = row.results.iter().filter(|r| r.is_divergence()).collect();
    if divergences.is_empty() {
        return vec![format!("{}: not detected ({} cases, no divergence)", row.info.name, row.results.len())];
    }
    let mut wrong: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for result in divergences {
        let named: Vec<Quirk> = result.explaining_quirks().collect();
        if named.is_empty() || !named.iter().all(|&q| allowed(q)) || result.behaviour.is_some() {
            let ids: Vec<&str> = named.iter().map(|q| q.id()).collect();
            let key = if ids.is_empty() { "unexplained".to_owned() } else { ids.join("+") };
            wrong.entry(key).or_default().push(&result.case);
        }
    }
    wrong
        .into_iter()
        .map(|(named, cases)| {
            format!("{}: {} divergence(s) named {named}, e.g. {}", row.info.name, cases.len(), cases[0])
        })
        .collect()
}

fn switchable() -> Vec<Quirk> {
    Quirk::ALL.iter().copied().filter(|q| q.is_switchable()).collect()
}

/// Every switchable quirk is detected and each of its divergences named after it alone.
#[test]
fn every_quirk_is_detected_and_named_after_itself() {
    let started = Instant::now();
    let corpus = corpus();
    let quirks = switchable();
    println!("seed: {SEED} ({GENERATED} generated cases per row); {} switchable quirks", quirks.len());
    let rows = run(&quirks.iter().map(|&q| vec![q]).collect::<Vec<_>>(), &corpus);
    let mut failures = Vec::new();
    for (row, &quirk) in rows.iter().zip(&quirks) {
        let divergences = row.results.iter().filter(|r| r.is_divergence()).count();
        let t = row.timings;
        println!(
            "{quirk}: {divergences} divergences; {:.2} s (generating {:.2}, answering {:.2}, attributing {:.2})",
            row.seconds, t.generating, t.answering, t.attributing
        );
        failures.extend(problems(row, &[quirk]));
    }
    println!("{} rows in {:.1} s", rows.len(), started.elapsed().as_secs_f64());
    assert!(failures.is_empty(), "{} problem(s):\n{}", failures.len(), failures.join("\n"));
}

/// The switchable quirk pairs some real row's baseline shows together (the matrix baselines in
/// `adapters/baselines/`, in-process rows' subfolders included; the live modes' `clients/` and
/// `live/` are not matrix rows).
fn pairs_real_rows_show() -> BTreeSet<(Quirk, Quirk)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../adapters/baselines");
    let mut files: Vec<PathBuf> = Vec::new();
    let mut folders = vec![dir];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            if path.is_dir() && !["clients", "live"].contains(&name) {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    let mut pairs = BTreeSet::new();
    for file in files {
        let baseline: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let quirks: Vec<Quirk> = baseline["quirks"]
            .as_object()
            .map(|m| m.keys().filter_map(|id| Quirk::from_id(id)).filter(|q| q.is_switchable()).collect())
            .unwrap_or_default();
        for (i, &a) in quirks.iter().enumerate() {
            for &b in &quirks[i + 1..] {
                pairs.insert((a.min(b), a.max(b)));
            }
        }
    }
    pairs
}

/// Every pair of quirks a real row shows together: detected, and each divergence named after
/// one or both of the pair. Slow (one row per pair), so
/// `--ignored`; the closing note of issue 18 records its result.
#[test]
#[ignore = "one row per pair of quirks real rows show together; run with --ignored"]
fn every_pair_real_rows_show_is_detected_and_named_after_itself() {
    let started = Instant::now();
    let corpus = corpus();
    let pairs: Vec<Vec<Quirk>> = pairs_real_rows_show().into_iter().map(|(a, b)| vec![a, b]).collect();
    println!("seed: {SEED} ({GENERATED} generated cases per row); {} pairs", pairs.len());
    let rows = run(&pairs, &corpus);
    let mut failures = Vec::new();
    let mut failing_pairs = 0;
    for (row, pair) in rows.iter().zip(&pairs) {
        let problems = problems(row, pair);
        failing_pairs += usize::from(!problems.is_empty());
        failures.extend(problems);
    }
    println!(
        "{} pairs: {} pass, {failing_pairs} fail, in {:.1} s",
        pairs.len(),
        pairs.len() - failing_pairs,
        started.elapsed().as_secs_f64()
    );
    assert!(failures.is_empty(), "{} problem(s):\n{}", failures.len(), failures.join("\n"));
}
