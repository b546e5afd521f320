//! The report family: one [`Report`] (what a run, or a merge of shard runs, found), and its
//! renderings — the streamed JSON document (`docs/report.schema.json`), JUnit, Markdown for a
//! CI job summary, one HTML page, and the terminal. None of them recomputes anything: they
//! count, group and format the report's results.

pub mod capture;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod merge;
pub mod probe;
pub mod probe_html;
pub mod terminal;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::case::{CaseSource, Shard};
use crate::implementation::ImplementationInfo;
use crate::judge::{Field, OutcomeKind};
use crate::quirks::Quirk;
use crate::result::CaseResult;
use crate::session::Driver;
use crate::verdict::RowVerdict;

/// The version of the report's JSON schema, `version` in the document. 2: results store each
/// stage difference once, verdicts say `conformant` and `matches_baseline` apart, shards and
/// drivers are in the metadata. 3: a difference that follows from the first (and a first one
/// kept without values) is written as its bare field name.
pub const REPORT_VERSION: u32 = 3;

/// Why a report cannot be written, read or merged: the file (and line), or which shards
/// disagree on what.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Writing to the output failed.
    #[error("{0}")]
    Write(#[from] std::io::Error),
    /// Serializing the report failed (an I/O failure underneath, as a rule).
    #[error("{0}")]
    Serialize(#[from] serde_json::Error),
    /// The JUnit document could not be written.
    #[error("{0}")]
    Junit(#[from] quick_junit::SerializeError),
    /// A report file cannot be read.
    #[error("{}: {source}", path.display())]
    Read {
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file's first line is no report (of any version).
    #[error("{}: not an oauth1-conformance report: {source}", path.display())]
    NotAReport {
        /// The file.
        path: std::path::PathBuf,
        /// What the JSON parser said.
        #[source]
        source: serde_json::Error,
    },
    /// A report of a schema version this tool does not read.
    #[error("{}: report version {found} (this tool reads version {REPORT_VERSION})", path.display())]
    Version {
        /// The file.
        path: std::path::PathBuf,
        /// Its `version`.
        found: u32,
    },
    /// A JSON Lines report's result line is no result.
    #[error("{}:{line}: {source}", path.display())]
    Result {
        /// The file.
        path: std::path::PathBuf,
        /// The line, from 1.
        line: usize,
        /// What the JSON parser said.
        #[source]
        source: serde_json::Error,
    },
    /// `report merge` was given no report.
    #[error("report merge needs at least one report")]
    NoReports,
    /// The shards were run with different seeds.
    #[error("not shards of one run: seeds differ ({0} and {1})")]
    SeedsDiffer(u64, u64),
    /// The shards were run with different numbers of generated cases.
    #[error("not shards of one run: generated cases differ ({0} and {1})")]
    GeneratedDiffer(u64, u64),
    /// The shards were run on different vector files.
    #[error("not shards of one run: the vector files (or their contents) differ")]
    VectorFilesDiffer,
    /// The shards ran different implementations.
    #[error("not shards of one run: the implementations differ ({0:?} and {1:?})")]
    ImplementationsDiffer(Vec<String>, Vec<String>),
    /// The shards are of `--shard I/N` runs with different `N`.
    #[error("the reports are shards of different shard counts (merge the shards of one --shard I/N run)")]
    ShardCounts,
    /// A report to merge holds no shard, or several.
    #[error("each report to merge must hold exactly one shard")]
    NotOneShard,
    /// Two reports hold the same shard.
    #[error("a shard is given twice")]
    ShardTwice,
    /// A report given to `report probe-merge` has no probe section (its position, from 1).
    #[error("report {0} holds no probe section")]
    NoProbeSection(usize),
}

/// Counts per outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// `pass`.
    pub pass: usize,
    /// `fail`.
    pub fail: usize,
    /// `acceptable`.
    pub acceptable: usize,
    /// `skip`.
    pub skip: usize,
    /// `error`.
    pub error: usize,
}

impl Counts {
    fn add(&mut self, outcome: OutcomeKind) {
        match outcome {
            OutcomeKind::Pass => self.pass += 1,
            OutcomeKind::Fail => self.fail += 1,
            OutcomeKind::Acceptable => self.acceptable += 1,
            OutcomeKind::Skip => self.skip += 1,
            OutcomeKind::Error => self.error += 1,
        }
    }

    /// The count of `outcome`.
    #[must_use]
    pub fn get(&self, outcome: OutcomeKind) -> usize {
        match outcome {
            OutcomeKind::Pass => self.pass,
            OutcomeKind::Fail => self.fail,
            OutcomeKind::Acceptable => self.acceptable,
            OutcomeKind::Skip => self.skip,
            OutcomeKind::Error => self.error,
        }
    }

    /// Cases counted.
    #[must_use]
    pub fn total(&self) -> usize {
        self.pass + self.fail + self.acceptable + self.skip + self.error
    }
}

/// Totals over a result list, overall, per implementation, per vector file and per flag.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Summary {
    /// Every result.
    pub total: Counts,
    /// Per implementation.
    pub by_impl: BTreeMap<String, Counts>,
    /// Per vector file (or `generated`).
    pub by_file: BTreeMap<String, Counts>,
    /// Per flag (a case with several flags counts under each).
    pub by_flag: BTreeMap<String, Counts>,
    /// Failures grouped by the first field that differs.
    pub fail_by_first_field: BTreeMap<String, usize>,
}

impl Summary {
    /// Counts `results`.
    #[must_use]
    pub fn of(results: &[CaseResult]) -> Self {
        let mut summary = Self::default();
        for result in results {
            summary.total.add(result.outcome);
            summary.by_impl.entry(result.implementation.clone()).or_default().add(result.outcome);
            summary.by_file.entry(result.source.name().to_owned()).or_default().add(result.outcome);
            for flag in &result.flags {
                summary.by_flag.entry(flag.clone()).or_default().add(result.outcome);
            }
            if result.outcome == OutcomeKind::Fail {
                let field = result.diffs.first().map_or(Field::Outcome, |d| d.field);
                *summary.fail_by_first_field.entry(field.name().to_owned()).or_default() += 1;
            }
        }
        summary
    }

    /// `N cases: P passed, F failed, …`, the closing line of every rendering.
    #[must_use]
    pub fn line(&self) -> String {
        let t = &self.total;
        format!(
            "{} cases: {} passed, {} failed, {} acceptable, {} skipped, {} errors",
            t.total(),
            t.pass,
            t.fail,
            t.acceptable,
            t.skip,
            t.error
        )
    }
}

/// A vector file as recorded in a report's metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VectorFileInfo {
    /// Its path.
    pub path: String,
    /// SHA-256 of its bytes, hex.
    pub sha256: String,
    /// How many cases it holds.
    pub cases: usize,
}

/// An implementation that could not run, with the reason (and the command that installs it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unavailable {
    /// Its row name.
    pub implementation: String,
    /// Why, including the adapter's stderr.
    pub reason: String,
}

/// An implementation that ran, with how it is driven.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RowInfo {
    /// Its declared identity.
    #[serde(flatten)]
    pub info: ImplementationInfo,
    /// How it is driven (for the replay commands).
    pub driver: Driver,
}

/// What a report records about the run itself.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunMetadata {
    /// `oauth1-conformance` and its version.
    pub tool: String,
    /// The run seed of the generated cases.
    pub seed: u64,
    /// Generated cases per implementation (shared among signing and verifying).
    pub generated_per_implementation: u64,
    /// The shards this report holds (one, or every shard of a merged run).
    pub shards: Vec<Shard>,
    /// Every implementation that ran: name, version, language, capabilities, driver.
    pub implementations: Vec<RowInfo>,
    /// Implementations that could not run.
    pub unavailable: Vec<Unavailable>,
    /// The vector files, with content hashes.
    pub vector_files: Vec<VectorFileInfo>,
    /// Wall time per implementation, seconds (summed over shards in a merge).
    pub seconds: BTreeMap<String, f64>,
    /// Where each implementation's time went (summed over shards in a merge).
    #[serde(default)]
    pub timings: BTreeMap<String, crate::session::Timings>,
    /// The run was interrupted: the report holds what was gathered until then.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub incomplete: bool,
    /// What happened to each adapter process that faulted: faults recovered by a kill and a
    /// restart, restarts, the adapter given up.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub faults: BTreeMap<String, Vec<crate::adapter::FaultEvent>>,
    /// Per implementation, the switchable quirks that alone would change a sign case it passed
    /// (the union over shards in a merge): its evidence where quirks tie
    /// ([`crate::row_evidence`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub ruled_out: BTreeMap<String, Vec<Quirk>>,
}

/// One run's findings, or a merge of shard runs'.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    /// [`REPORT_VERSION`].
    pub version: u32,
    /// The run.
    pub metadata: RunMetadata,
    /// Per implementation: conformance and the baseline gate.
    pub verdicts: Vec<RowVerdict>,
    /// The totals.
    pub summary: Summary,
    /// Every result.
    pub results: Vec<CaseResult>,
    /// What `oauth1-conformance probe` found on live servers (no results then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probe: Option<probe::ProbeReport>,
    /// What live clients sent (`capture`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capture: Option<capture::CaptureReport>,
}

impl Report {
    /// The row `name`'s metadata.
    #[must_use]
    pub fn row(&self, name: &str) -> Option<&RowInfo> {
        self.metadata.implementations.iter().find(|r| r.info.name == name)
    }

    /// The command that replays `result` alone.
    #[must_use]
    pub fn replay(&self, result: &CaseResult) -> String {
        let driver = self.row(&result.implementation).map_or(Driver::InProcess, |r| r.driver.clone());
        let file = match &result.source {
            CaseSource::Vector(path) => Some(path.as_str()),
            CaseSource::Generated => None,
        };
        driver.replay(&result.implementation, &result.case, file)
    }

    /// Each implementation's results, in run order (one that answered no case included).
    #[must_use]
    pub fn rows(&self) -> Vec<(&str, Vec<&CaseResult>)> {
        let mut rows: Vec<(&str, Vec<&CaseResult>)> =
            self.metadata.implementations.iter().map(|r| (r.info.name.as_str(), Vec::new())).collect();
        for result in &self.results {
            match rows.iter_mut().find(|(name, _)| *name == result.implementation) {
                Some((_, results)) => results.push(result),
                None => rows.push((&result.implementation, vec![result])),
            }
        }
        rows
    }

    /// The verdict on row `name`.
    #[must_use]
    pub fn verdict(&self, name: &str) -> Option<&RowVerdict> {
        self.verdicts.iter().find(|v| v.implementation == name)
    }

    /// Whether every row passes the gate (its baseline, or conformance without one), and
    /// every captured client.
    #[must_use]
    pub fn passes(&self) -> bool {
        self.verdicts.iter().all(RowVerdict::passes) && self.capture.as_ref().is_none_or(capture::CaptureReport::passes)
    }

    /// Whether the report holds nothing but a capture (no row ran).
    #[must_use]
    pub fn is_capture_only(&self) -> bool {
        self.capture.is_some() && self.results.is_empty() && self.metadata.implementations.is_empty()
    }

    /// Whether this report holds only what a live mode (`probe`, `capture`) found: no rows, so
    /// no matrix to show.
    #[must_use]
    pub fn is_live_only(&self) -> bool {
        (self.capture.is_some() || self.probe.is_some())
            && self.results.is_empty()
            && self.metadata.implementations.is_empty()
    }
}

/// What explains a group of divergences, as reports group them: unexplained ones (by their
/// first differing field) sort first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Explained {
    /// No catalogued quirk explains it.
    Unexplained(Option<Field>),
    /// A quirk set whose pipeline reproduces the output.
    Quirks(Vec<Quirk>),
    /// A behavioural quirk, by rule.
    Behaviour(Quirk),
}

impl Explained {
    /// How `result` is explained.
    #[must_use]
    pub fn of(result: &CaseResult) -> Self {
        match (&result.quirks, result.behaviour) {
            (Some(quirks), _) => Self::Quirks(quirks.clone()),
            (None, Some(quirk)) => Self::Behaviour(quirk),
            (None, None) => Self::Unexplained(result.diffs.first().map(|d| d.field)),
        }
    }

    /// In words.
    #[must_use]
    pub fn label(&self) -> String {
        match self {
            Self::Unexplained(Some(field)) => format!("unexplained, first difference at {field}"),
            Self::Unexplained(None) => "unexplained".to_owned(),
            Self::Quirks(quirks) => quirks.iter().map(|q| q.id()).collect::<Vec<_>>().join(" + "),
            Self::Behaviour(quirk) => quirk.id().to_owned(),
        }
    }
}

/// A row's divergences grouped by explanation: unexplained first, then the largest groups.
#[must_use]
pub fn divergence_groups<'a>(results: &[&'a CaseResult]) -> Vec<(Explained, Vec<&'a CaseResult>)> {
    let mut groups: BTreeMap<Explained, Vec<&CaseResult>> = BTreeMap::new();
    for result in results.iter().copied().filter(|r| r.is_divergence()) {
        groups.entry(Explained::of(result)).or_default().push(result);
    }
    let mut groups: Vec<_> = groups.into_iter().collect();
    groups.sort_by_key(|(explained, cases)| {
        (!matches!(explained, Explained::Unexplained(_)), std::cmp::Reverse(cases.len()))
    });
    groups
}

/// What a per-quirk listing groups divergences under: each catalogued quirk a divergence
/// shows (a divergence shown by two quirks counts under both), or, for one no quirk
/// explains, its first differing field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ByQuirk {
    /// No catalogued quirk explains it.
    Unexplained(Option<Field>),
    /// It shows this quirk.
    Quirk(Quirk),
}

impl ByQuirk {
    /// In words.
    #[must_use]
    pub fn label(self) -> String {
        match self {
            Self::Unexplained(Some(field)) => format!("unexplained, first difference at {field}"),
            Self::Unexplained(None) => "unexplained".to_owned(),
            Self::Quirk(quirk) => quirk.id().to_owned(),
        }
    }
}

/// A row's divergences under each quirk they show (unexplained kinds first, then the most
/// shown), each group's best example first: one the quirk explains alone, where there is one.
#[must_use]
pub fn quirk_groups<'a>(results: &[&'a CaseResult]) -> Vec<(ByQuirk, Vec<&'a CaseResult>)> {
    let mut groups: BTreeMap<ByQuirk, Vec<&CaseResult>> = BTreeMap::new();
    for result in results.iter().copied().filter(|r| r.is_divergence()) {
        if result.is_explained() {
            for quirk in result.explaining_quirks() {
                groups.entry(ByQuirk::Quirk(quirk)).or_default().push(result);
            }
        } else {
            groups.entry(ByQuirk::Unexplained(result.diffs.first().map(|d| d.field))).or_default().push(result);
        }
    }
    let mut groups: Vec<_> = groups.into_iter().collect();
    for (key, cases) in &mut groups {
        if let ByQuirk::Quirk(quirk) = key {
            if let Some(alone) = cases.iter().position(|r| r.explaining_quirks().eq([*quirk])) {
                cases.swap(0, alone);
            }
        }
    }
    groups.sort_by_key(|(key, cases)| (matches!(key, ByQuirk::Quirk(_)), std::cmp::Reverse(cases.len())));
    groups
}

/// The matrix column a result belongs to: its vector file's name, or `generated`.
#[must_use]
pub fn group_of(result: &CaseResult) -> String {
    match &result.source {
        CaseSource::Vector(path) => {
            std::path::Path::new(path).file_name().map_or_else(|| path.clone(), |n| n.to_string_lossy().into_owned())
        }
        CaseSource::Generated => "generated".to_owned(),
    }
}

/// The matrix's mark for an outcome (its legend: `✓ pass  ✗ fail  ~ acceptable  s skip  ! error`).
#[must_use]
pub fn outcome_mark(outcome: OutcomeKind) -> &'static str {
    match outcome {
        OutcomeKind::Pass => "✓",
        OutcomeKind::Fail => "✗",
        OutcomeKind::Acceptable => "~",
        OutcomeKind::Skip => "s",
        OutcomeKind::Error => "!",
    }
}

/// A row's counts as `N✓ M✗ …` (passes always, the rest when not zero).
#[must_use]
pub fn counts_text(counts: &Counts) -> String {
    let mut parts = vec![format!("{}{}", counts.pass, outcome_mark(OutcomeKind::Pass))];
    for outcome in [OutcomeKind::Fail, OutcomeKind::Acceptable, OutcomeKind::Skip, OutcomeKind::Error] {
        let n = counts.get(outcome);
        if n > 0 {
            parts.push(format!("{n}{}", outcome_mark(outcome)));
        }
    }
    parts.join(" ")
}

/// A row's counts over `results`.
#[must_use]
pub fn counts(results: &[&CaseResult]) -> Counts {
    let mut counts = Counts::default();
    for result in results {
        counts.add(result.outcome);
    }
    counts
}
