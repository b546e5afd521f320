//! Renderings of one result list. None of them recomputes anything: they only count and
//! format [`CaseResult`]s.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::diff;
use crate::implementation::ImplementationInfo;
use crate::judge::OutcomeKind;
use crate::runner::CaseResult;

/// Counts per outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
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

    fn get(&self, outcome: OutcomeKind) -> usize {
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
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Every result.
    pub total: Counts,
    /// Per implementation.
    pub by_impl: BTreeMap<String, Counts>,
    /// Per vector file.
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
            summary.by_file.entry(result.file.clone()).or_default().add(result.outcome);
            for flag in &result.flags {
                summary.by_flag.entry(flag.clone()).or_default().add(result.outcome);
            }
            if result.outcome == OutcomeKind::Fail {
                let field = result.diffs.first().map_or("outcome", |d| d.field.as_str());
                *summary.fail_by_first_field.entry(field.to_owned()).or_default() += 1;
            }
        }
        summary
    }

    /// Whether the run is conformant: no failure and no error.
    #[must_use]
    pub fn conformant(&self) -> bool {
        self.total.fail == 0 && self.total.error == 0
    }
}

/// A vector file as recorded in a report's metadata.
#[derive(Debug, Clone, Serialize)]
pub struct VectorFileInfo {
    /// Its path.
    pub path: String,
    /// SHA-256 of its bytes, hex.
    pub sha256: String,
    /// How many cases it holds.
    pub cases: usize,
}

/// What a JSON report records about the run itself.
#[derive(Debug, Clone, Serialize)]
pub struct RunMetadata {
    /// `oauth1-conformance` and its version.
    pub tool: String,
    /// Every implementation that ran.
    pub implementations: Vec<ImplementationInfo>,
    /// The vector files, with content hashes.
    pub vector_files: Vec<VectorFileInfo>,
}

/// The JSON report: `{"results": [...], "summary": {...}, "metadata": {...}}`.
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    /// Every result.
    pub results: &'a [CaseResult],
    /// The totals.
    pub summary: &'a Summary,
    /// The run.
    pub metadata: &'a RunMetadata,
}

fn table(out: &mut String, title: &str, rows: &BTreeMap<String, Counts>) {
    let width = rows.keys().map(String::len).max().unwrap_or(0).max(title.len());
    let _ = write!(out, "{title:<width$}");
    for outcome in OutcomeKind::ALL {
        let _ = write!(out, " {:>10}", outcome.name());
    }
    out.push('\n');
    for (name, counts) in rows {
        let _ = write!(out, "{name:<width$}");
        for outcome in OutcomeKind::ALL {
            let _ = write!(out, " {:>10}", counts.get(outcome));
        }
        out.push('\n');
    }
}

/// The terminal report: per-implementation, per-file and per-flag tables, then every
/// failure and error with its diffs, grouped by the first differing field.
#[must_use]
pub fn render_terminal(results: &[CaseResult], summary: &Summary) -> String {
    let mut out = String::new();
    table(&mut out, "implementation", &summary.by_impl);
    out.push('\n');
    table(&mut out, "vector file", &summary.by_file);
    if !summary.by_flag.is_empty() {
        out.push('\n');
        table(&mut out, "flag", &summary.by_flag);
    }
    let mut problems: Vec<&CaseResult> =
        results.iter().filter(|r| matches!(r.outcome, OutcomeKind::Fail | OutcomeKind::Error)).collect();
    problems.sort_by_key(|r| (r.outcome, r.diffs.first().map(|d| d.field.clone()), r.case.clone()));
    let mut group = None;
    for result in problems {
        let field = match result.outcome {
            OutcomeKind::Error => "error".to_owned(),
            _ => result.diffs.first().map_or("outcome".to_owned(), |d| d.field.clone()),
        };
        if group.as_ref() != Some(&field) {
            let _ = write!(out, "\n== {field} ==\n");
            group = Some(field);
        }
        let _ = writeln!(
            out,
            "{} [{}] {} ({})",
            result.outcome.name().to_uppercase(),
            result.implementation,
            result.case,
            result.file
        );
        for d in &result.diffs {
            let _ = writeln!(out, " {}:", d.field);
            out.push_str(&diff::render(&d.expected, &d.actual));
        }
        if let Some(message) = &result.message {
            let _ = writeln!(out, "  message: {message}");
        }
    }
    let t = summary.total;
    let _ = write!(
        out,
        "\n{} cases: {} passed, {} failed, {} acceptable, {} skipped, {} errors\n",
        t.total(),
        t.pass,
        t.fail,
        t.acceptable,
        t.skip,
        t.error
    );
    out
}
