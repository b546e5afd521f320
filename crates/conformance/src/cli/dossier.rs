//! `oauth1-conformance dossier`: a row's, a live server's or a live client's findings as
//! upstream-ready Markdown reports, computed from the committed baselines, catalogue and corpus
//! (no adapter, server or client is started).

use std::fs;
use std::path::{Path, PathBuf};

use clap::Args;

use super::{BadInput, Status};
use crate::atomic_file::write_atomically;
use crate::dossier::examples::EXAMPLES_PATH;
use crate::dossier::{generate_all, generate_named, Sources};
use crate::quirks::Quirk;

#[derive(Debug, Args)]
pub(crate) struct DossierArgs {
    /// The row (`oauth1-conformance list`, `adapters/*/adapter.json` `rows`), live server
    /// (`servers`; `NAME+nginx-tls` for the findings only the TLS proxy shows) or live client
    /// (`clients`), or `all` for every one with a baseline (and the index). A name that is both a
    /// row and a client writes the dossiers of both.
    #[arg(long = "impl", value_name = "NAME")]
    implementation: String,
    /// Only this finding of the row (a catalogue id the row's baseline lists).
    #[arg(long, value_name = "ID", conflicts_with = "case")]
    quirk: Option<String>,
    /// Only this finding of the live server or client: a probe case id
    /// (crates/conformance/data/probe-cases.json) or a capture case id.
    #[arg(long, value_name = "ID")]
    case: Option<String>,
    /// Where to write the dossiers (`DIR/ROW/QUIRK.md`, `DIR/live/SERVER/CASE.md`,
    /// `DIR/clients/CLIENT/CASE.md`).
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
        if quirk.is_some() || args.case.is_some() {
            return Err("--quirk and --case need one --impl, not all".into());
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
    let found = generate_named(&sources, &args.implementation, quirk, args.case.as_deref())?;
    if found.is_empty() {
        println!(
            "{}: no findings (no deviation, crash or accepting verifier, failed probe case or failed capture case in \
             its baselines)",
            args.implementation
        );
    }
    for (relative, text) in &found {
        write(&args.out, relative, text)?;
    }
    Ok(Status::Conformant)
}
