//! `oauth1-conformance dossier`: a row's findings as upstream-ready Markdown reports, computed
//! from the committed baseline, catalogue and corpus (no adapter is started).

use std::fs;
use std::path::{Path, PathBuf};

use clap::Args;

use super::{BadInput, Status};
use crate::atomic_file::write_atomically;
use crate::dossier::examples::EXAMPLES_PATH;
use crate::dossier::{findings, generate_all, render, Sources};
use crate::quirks::Quirk;

#[derive(Debug, Args)]
pub(crate) struct DossierArgs {
    /// The row (`oauth1-conformance list`, `adapters/*/adapter.json`), or `all` for every row
    /// with a baseline (and the index).
    #[arg(long = "impl", value_name = "NAME")]
    implementation: String,
    /// Only this finding (a catalogue id the row's baseline lists).
    #[arg(long, value_name = "ID")]
    quirk: Option<String>,
    /// Where to write the dossiers (`DIR/ROW/QUIRK.md`).
    #[arg(long, value_name = "DIR", default_value = "docs/findings")]
    out: PathBuf,
    /// The repository (for docs/findings/rows.json, the reproductions' manifest and
    /// docs/quirks-in-the-wild.md).
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// The corpus.
    #[arg(long, value_name = "DIR", default_value = "vectors")]
    vectors: PathBuf,
    /// The baselines.
    #[arg(long, value_name = "DIR", default_value = "adapters/baselines")]
    baselines: PathBuf,
    /// With `--impl all`: first record, from this report.json of a `cargo xtask conformance`
    /// run, the shrunk counterexample of each finding a row showed on generated cases only into
    /// docs/findings/examples.json (its smallest input).
    #[arg(long, value_name = "REPORT")]
    record_examples: Option<PathBuf>,
}

fn write(out: &Path, relative: &Path, text: &str) -> Result<(), BadInput> {
    let path = out.join(relative);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    write_atomically(&path, text.as_bytes()).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}

/// Records the generated-only findings' smallest inputs from `report` and writes the examples
/// file; a finding the report has no input for (and the file had none) is an error naming it.
fn record_examples(sources: &mut Sources, root: &Path, report: &Path) -> Result<(), BadInput> {
    let report = crate::report::json::read(report)?;
    let missing = crate::dossier::record_examples(sources, &report)?;
    write(root, Path::new(EXAMPLES_PATH), &sources.examples_json())?;
    if !missing.is_empty() {
        return Err(format!(
            "the report holds no shrunk or generated case that shows {} finding(s) (is the report from a run of \
             the current baselines?):\n  {}",
            missing.len(),
            missing.join("\n  ")
        )
        .into());
    }
    Ok(())
}

pub(crate) fn run(args: &DossierArgs) -> Result<Status, BadInput> {
    let quirk = match &args.quirk {
        Some(id) => Some(Quirk::from_id(id).ok_or_else(|| format!("--quirk {id:?} is not a catalogued quirk id"))?),
        None => None,
    };
    let mut sources = Sources::load(&args.root, &args.vectors, &args.baselines)?;
    if args.implementation == "all" {
        if quirk.is_some() {
            return Err("--quirk needs one --impl, not all".into());
        }
        if let Some(report) = &args.record_examples {
            record_examples(&mut sources, &args.root, report)?;
        }
        for (relative, text) in generate_all(&sources)? {
            write(&args.out, &relative, &text)?;
        }
        return Ok(Status::Conformant);
    }
    if args.record_examples.is_some() {
        return Err("--record-examples needs --impl all (it rewrites the whole examples file)".into());
    }
    let found = findings(&sources, &args.implementation, quirk)?;
    if found.is_empty() {
        println!("{}: no findings (no deviation, crash or accepting verifier in its baseline)", args.implementation);
    }
    for finding in &found {
        write(&args.out, &finding.relative_path(), &render(&sources, finding))?;
    }
    Ok(Status::Conformant)
}
