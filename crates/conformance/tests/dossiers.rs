//! The committed dossiers (`docs/findings/`) are what `oauth1-conformance dossier --impl all`
//! writes now: a changed baseline, catalogue entry, vector or renderer shows up here, naming the
//! file and the command that regenerates it.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use oauth1_conformance::dossier::{findings, generate_all, generate_named, Error, Sources};
use oauth1_conformance::quirks::Quirk;

const REGENERATE: &str = "cargo run -p oauth1-conformance -- dossier --impl all (from the repository root)";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn sources() -> Sources {
    let root = root();
    Sources::load(&root, &root.join("vectors"), &root.join("adapters/baselines")).unwrap()
}

/// Every generated file is committed with the same bytes, and no committed dossier is left
/// over from a finding that is gone.
#[test]
fn committed_dossiers_are_what_the_command_generates() {
    let findings_dir = root().join("docs/findings");
    let generated = generate_all(&sources()).unwrap();
    for (relative, text) in &generated {
        let path = findings_dir.join(relative);
        let committed = fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{} is not committed ({e}): run {REGENERATE}", path.display()));
        assert!(committed == *text, "{} differs from what `dossier` generates now: run {REGENERATE}", path.display());
    }
    let expected: BTreeSet<PathBuf> = generated.into_iter().map(|(relative, _)| relative).collect();
    let mut stale = Vec::new();
    for entry in walk(&findings_dir) {
        let relative = entry.strip_prefix(&findings_dir).unwrap().to_path_buf();
        let top_level_doc = relative.components().count() == 1;
        if entry.extension().is_some_and(|e| e == "md") && !top_level_doc && !expected.contains(&relative) {
            stale.push(entry.display().to_string());
        }
    }
    assert!(stale.is_empty(), "dossiers no finding generates any more (delete them, or run {REGENERATE}): {stale:?}");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap().map(Result::unwrap) {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "repro") {
                files.extend(walk(&path));
            }
        } else {
            files.push(path);
        }
    }
    files
}

/// A finding's expected and actual stages come from running the reference and the quirk
/// pipeline: the RFC 5849 §3.4.1 example under `plus-not-decoded` signs `2+q` as `2%2Bq`, and
/// the expected column is the value RFC 5849 prints (§3.4.1.1's base string, `a3%3D2%2520q`).
#[test]
fn a_deviation_is_shown_by_the_stages_it_changes() {
    let sources = sources();
    let found = findings(&sources, "liboauth", Some(Quirk::PlusNotDecoded)).unwrap();
    let [finding] = found.as_slice() else { panic!("{found:?}") };
    let base_string = finding.evidence.stages.iter().find(|row| row.stage.name() == "signature_base_string").unwrap();
    assert!(base_string.expected.contains("a3%3D2%2520q"), "{}", base_string.expected);
    assert!(base_string.actual.contains("a3%3D2%252Bq"), "{}", base_string.actual);
}

/// A quirk the baseline lists that is not a finding (a leniency, a limit), or a row without a
/// baseline, is an error naming why.
#[test]
fn bad_requests_are_refused_with_the_reason() {
    let sources = sources();
    let error = findings(&sources, "liboauth", Some(Quirk::KeepsEmptyPort)).unwrap_err();
    assert!(matches!(error, Error::NoFinding { quirk: Quirk::KeepsEmptyPort, .. }), "{error:?}");
    assert!(error.to_string().contains("no finding keeps-empty-port"), "{error}");
    let error = findings(&sources, "no-such-row", None).unwrap_err();
    assert!(matches!(&error, Error::UnknownRow { row, .. } if row == "no-such-row"), "{error:?}");
    assert!(error.to_string().contains("unknown implementation"), "{error}");
}

/// Every reproduction of the manifest belongs to a dossier the command generates, and its program
/// is committed: a retired dossier cannot leave its reproduction running in CI.
#[test]
fn every_reproduction_belongs_to_a_dossier() {
    let root = root();
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(root.join("docs/findings/repro/repros.json")).unwrap()).unwrap();
    let generated: BTreeSet<PathBuf> = generate_all(&sources()).unwrap().into_iter().map(|(path, _)| path).collect();
    let repros = manifest["repros"].as_object().unwrap();
    assert!(!repros.is_empty());
    for (id, repro) in repros {
        assert!(
            generated.contains(&PathBuf::from(format!("{id}.md"))),
            "docs/findings/repro/repros.json: the key {id:?} names no dossier the command generates \
             (docs/findings/{id}.md): a ROW/QUIRK, live/SERVER/CASE or clients/CLIENT/CASE finding of the baselines"
        );
        let path = repro["path"].as_str().unwrap();
        assert!(root.join(path).is_file(), "repros.json: {id}: {path} is not committed");
    }
}

/// Every live dossier is linked from the hand-written tables of `docs/findings.md` ("Live
/// servers", "On the wire"), every such link is a generated dossier, and every row of those
/// tables links at least one.
#[test]
fn every_live_dossier_is_linked_from_findings_md() {
    let text = fs::read_to_string(root().join("docs/findings.md")).unwrap();
    let generated: BTreeSet<String> = generate_all(&sources())
        .unwrap()
        .into_iter()
        .map(|(path, _)| path.display().to_string())
        .filter(|path| path.starts_with("live/") || path.starts_with("clients/"))
        .collect();
    let mut linked = BTreeSet::new();
    let mut section = "";
    for line in text.lines() {
        if line.starts_with("## ") {
            section = line;
        }
        let links: Vec<String> = line
            .split("](findings/")
            .skip(1)
            .filter_map(|rest| rest.split_once(')').map(|(path, _)| path.to_owned()))
            .filter(|path| path.starts_with("live/") || path.starts_with("clients/"))
            .collect();
        let live_table = section.contains("Live servers") || section.contains("On the wire");
        let header = line.starts_with("| server |") || line.starts_with("| client") || line.starts_with("|---");
        if live_table && line.starts_with('|') && !header {
            assert!(!links.is_empty(), "docs/findings.md: a row links no dossier: {line}");
        }
        for path in links {
            assert!(generated.contains(&path), "docs/findings.md links findings/{path}, which no finding generates");
            linked.insert(path);
        }
    }
    let orphans: Vec<&String> = generated.difference(&linked).collect();
    assert!(orphans.is_empty(), "dossiers docs/findings.md does not link (add them to its tables): {orphans:?}");
}

/// The promise, held: every entry of `docs/findings.md` (a row of its tables) links a
/// dossier the command generates, and every dossier it links has a standalone reproduction in
/// `repros.json`; every finding of `observed.json` is one of its entries.
#[test]
fn every_entry_of_findings_md_has_a_dossier_with_a_reproduction() {
    let root = root();
    let text = fs::read_to_string(root.join("docs/findings.md")).unwrap();
    let generated: BTreeSet<String> =
        generate_all(&sources()).unwrap().into_iter().map(|(path, _)| path.display().to_string()).collect();
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(root.join("docs/findings/repro/repros.json")).unwrap()).unwrap();
    let repros = manifest["repros"].as_object().unwrap();
    let mut linked = BTreeSet::new();
    for line in text.lines().filter(|line| line.starts_with("| ")) {
        let links: Vec<&str> = line
            .split("](findings/")
            .skip(1)
            .filter_map(|rest| rest.split_once(".md)").map(|(id, _)| id))
            .filter(|id| !id.contains('#'))
            .collect();
        let header = line.contains(" | finding |") || line.contains(" | case |");
        if header {
            continue;
        }
        assert!(!links.is_empty(), "docs/findings.md: an entry links no dossier: {line}");
        for id in links {
            assert!(
                generated.contains(&format!("{id}.md")),
                "docs/findings.md links findings/{id}.md, which no finding generates"
            );
            assert!(repros.contains_key(id), "docs/findings.md: the dossier {id} has no reproduction in repros.json");
            linked.insert(id.to_owned());
        }
    }
    let observed: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(root.join("docs/findings/observed.json")).unwrap()).unwrap();
    for id in observed["findings"].as_object().unwrap().keys() {
        assert!(linked.contains(id), "observed.json: {id} is no entry of docs/findings.md (link it from its table)");
    }
}

/// Every dossier the command generates, not only those `docs/findings.md` lists, has a standalone
/// reproduction: a new finding (a library upgrade, a new row, a regenerated baseline) is not
/// upstream-ready until its program is written.
#[test]
fn every_dossier_has_a_reproduction() {
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(root().join("docs/findings/repro/repros.json")).unwrap()).unwrap();
    let repros = manifest["repros"].as_object().unwrap();
    let missing: Vec<String> = generate_all(&sources())
        .unwrap()
        .into_iter()
        .filter_map(|(path, _)| path.display().to_string().strip_suffix(".md").map(str::to_owned))
        .filter(|id| id != "index" && !repros.contains_key(id))
        .collect();
    assert!(
        missing.is_empty(),
        "dossiers without a reproduction (write one and add it to docs/findings/repro/repros.json): {missing:?}"
    );
}

/// `--impl` with a live server or client and `--case` writes that dossier alone; a case that is
/// not a finding, `--case` with a row, and an unknown name are errors naming why.
#[test]
fn live_dossiers_are_selected_by_name_and_case() {
    let sources = sources();
    let files = generate_named(&sources, "rauth", None, Some("redirect-307")).unwrap();
    let paths: Vec<PathBuf> = files.into_iter().map(|(path, _)| path).collect();
    assert_eq!(paths, [PathBuf::from("clients/rauth/redirect-307.md")]);
    let files = generate_named(&sources, "net-oauth-http-daemon+nginx-tls", None, None).unwrap();
    let paths: Vec<PathBuf> = files.into_iter().map(|(path, _)| path).collect();
    assert_eq!(paths, [PathBuf::from("live/net-oauth-http-daemon+nginx-tls/valid-gate.md")]);
    let error = generate_named(&sources, "signet-server-webrick", None, Some("valid-gate")).unwrap_err();
    assert!(error.to_string().contains("has no live finding valid-gate"), "{error}");
    let error = generate_named(&sources, "oauth1", None, Some("valid-gate")).unwrap_err();
    assert!(matches!(error, Error::CaseNeedsLive { .. }), "{error:?}");
    let error = generate_named(&sources, "no-such-name", None, None).unwrap_err();
    assert!(matches!(error, Error::UnknownName { .. }), "{error:?}");
}

/// Every server and client of `docs/findings/live-rows.json` points at a committed adapter.
#[test]
fn live_rows_point_at_committed_adapters() {
    let root = root();
    let rows: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(root.join("docs/findings/live-rows.json")).unwrap()).unwrap();
    for kind in ["servers", "clients"] {
        for (name, info) in rows[kind].as_object().unwrap() {
            let adapter = info["adapter"].as_str().unwrap();
            assert!(root.join(adapter).exists(), "docs/findings/live-rows.json: {name}: {adapter} does not exist");
        }
    }
}

/// The id a program must mention to show a finding on its dossier's smallest input: the vector's
/// id, or the digits of the recorded generated seed (`generated:SEED`), which a program may write
/// as a bare number. `None` when the dossier has no input (a crash or a verifier finding only
/// generated verify cases showed, which `examples.json` does not record).
fn smallest_input_id(evidence: &oauth1_conformance::dossier::Evidence) -> Option<String> {
    let id = match (&evidence.example, &evidence.case) {
        (Some(example), _) => example.case.clone(),
        (None, Some(case)) => case.id.clone(),
        (None, None) => return None,
    };
    Some(id.strip_prefix("generated:").map_or_else(|| id.clone(), str::to_owned))
}

/// A reproduction of a function-level finding runs on the input its dossier shows now: when a
/// regenerated baseline moves a dossier to another smallest input, a program still on the old
/// one keeps exiting 0 on an input no dossier documents. Live, client and `observed.json`
/// findings have no computed smallest input and are not checked here.
#[test]
fn every_function_level_reproduction_runs_on_its_dossiers_smallest_input() {
    let root = root();
    let sources = sources();
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(root.join("docs/findings/repro/repros.json")).unwrap()).unwrap();
    let mut inputs = std::collections::BTreeMap::new();
    for row in sources.rows_with_baselines() {
        for finding in findings(&sources, &row, None).unwrap() {
            inputs.insert(finding.id(), smallest_input_id(&finding.evidence));
        }
    }
    let mut checked = 0;
    let mut drifted = Vec::new();
    for (id, repro) in manifest["repros"].as_object().unwrap() {
        let Some(Some(input)) = inputs.get(id) else { continue };
        let path = repro["path"].as_str().unwrap();
        let program = fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        checked += 1;
        if !program.contains(input.as_str()) {
            drifted.push(format!("{id}: expected input {input} not mentioned in {path}"));
        }
    }
    assert!(checked > 0, "no function-level reproduction was checked");
    assert!(
        drifted.is_empty(),
        "reproductions not on their dossier's smallest input (docs/findings/ROW/QUIRK.md shows it; a generated \
         one is recorded in docs/findings/examples.json):\n{}",
        drifted.join("\n")
    );
}
