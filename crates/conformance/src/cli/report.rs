//! `oauth1-conformance report merge`: the shards of one run made into one report, judged
//! against the baselines exactly as a single run is, rendered in every format asked for.

use std::path::PathBuf;

use clap::Subcommand;

use super::output::{self, println, ReportTarget};
use super::{BadInput, Status};
use crate::baseline;
use crate::report::{json, merge::merge, terminal::render_matrix};
use crate::verdict::RowVerdict;

#[derive(Debug, Subcommand)]
pub(crate) enum ReportCommand {
    /// Merge the JSON reports of the shards of one run (`run --shard I/N`).
    Merge {
        /// The shards' JSON (or JSON Lines) reports.
        #[arg(required = true)]
        reports: Vec<PathBuf>,
        /// Check each implementation against its baseline (DIR/NAME.json), as `run` does.
        #[arg(long, value_name = "DIR")]
        baselines: Option<PathBuf>,
        /// Rows with no baseline file are reported but do not decide the exit code.
        #[arg(long, requires = "baselines")]
        allow_unbaselined: bool,
        /// A report of the merged run, as FORMAT:PATH (repeatable).
        #[arg(long = "report", value_parser = ReportTarget::parse)]
        reports_out: Vec<ReportTarget>,
    },
    /// Put the JSON reports of `probe` runs (one per server) into one report: the server
    /// matrix.
    ProbeMerge {
        /// The probe runs' JSON reports.
        #[arg(required = true)]
        reports: Vec<PathBuf>,
        /// A report of the matrix, as FORMAT:PATH (repeatable).
        #[arg(long = "report", value_parser = ReportTarget::parse)]
        reports_out: Vec<ReportTarget>,
    },
}

pub(crate) fn run(command: &ReportCommand) -> Result<Status, BadInput> {
    let (reports, baselines, allow_unbaselined, reports_out) = match command {
        ReportCommand::Merge { reports, baselines, allow_unbaselined, reports_out } => {
            (reports, baselines, allow_unbaselined, reports_out)
        }
        ReportCommand::ProbeMerge { reports, reports_out } => return probe_merge(reports, reports_out),
    };
    let read = reports.iter().map(|path| json::read(path)).collect::<Result<Vec<_>, _>>()?;
    let (mut merged, warnings) = merge(read)?;
    for warning in &warnings {
        eprintln!("warning: {warning}");
    }
    let mut verdicts = Vec::new();
    for (name, results) in merged.rows() {
        let results: Vec<_> = results.into_iter().cloned().collect();
        let loaded = match baselines {
            Some(dir) => {
                let path = baseline::baseline_path(dir, name);
                if *allow_unbaselined && !path.exists() {
                    None
                } else {
                    Some(baseline::load(&path, name)?)
                }
            }
            None => None,
        };
        verdicts.push(RowVerdict::of(name, &results, loaded.as_ref()));
    }
    merged.verdicts = verdicts;
    println(&merged.summary.line());
    println(&render_matrix(&merged));
    for verdict in &merged.verdicts {
        println(&format!("{}: {}", verdict.implementation, verdict.headline()));
    }
    output::write_reports(&merged, reports_out)?;
    Ok(if merged.metadata.incomplete || !merged.metadata.unavailable.is_empty() {
        Status::BadInput
    } else if merged.passes() {
        Status::Conformant
    } else {
        Status::Divergence
    })
}

fn probe_merge(reports: &[PathBuf], reports_out: &[ReportTarget]) -> Result<Status, BadInput> {
    let read = reports.iter().map(|path| json::read(path)).collect::<Result<Vec<_>, _>>()?;
    let merged = crate::report::probe::merge(read)?;
    let probe = merged.probe.as_ref().map(|p| p.servers.as_slice()).unwrap_or_default();
    for server in probe {
        println(&format!("{}: {}", server.name, server.line()));
    }
    let failed = probe.iter().any(|s| s.has_failure());
    output::write_reports(&merged, reports_out)?;
    Ok(if failed { Status::Divergence } else { Status::Conformant })
}
