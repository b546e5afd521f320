//! Renderings of one result list. None of them recomputes anything: they only count and
//! format [`CaseResult`]s.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::diff;

pub mod html;
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

/// An implementation that could not run, with the reason (and the command that installs it).
#[derive(Debug, Clone, Serialize)]
pub struct Unavailable {
    /// Its row name.
    pub implementation: String,
    /// Why, including the adapter's stderr.
    pub reason: String,
}

/// What a JSON report records about the run itself.
#[derive(Debug, Clone, Serialize)]
pub struct RunMetadata {
    /// `oauth1-conformance` and its version.
    pub tool: String,
    /// The run seed of the generated cases.
    pub seed: u64,
    /// Generated cases per implementation.
    pub generated_per_implementation: u64,
    /// Every implementation that ran: name, version, language, capabilities.
    pub implementations: Vec<ImplementationInfo>,
    /// Implementations that could not run.
    pub unavailable: Vec<Unavailable>,
    /// The vector files, with content hashes.
    pub vector_files: Vec<VectorFileInfo>,
    /// Wall time per implementation, seconds.
    pub seconds: BTreeMap<String, f64>,
}

/// The JSON report: `{"results": [...], "summary": {...}, "metadata": {...}, "verdicts": [...]}`.
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    /// Every result.
    pub results: &'a [CaseResult],
    /// The totals.
    pub summary: &'a Summary,
    /// The run.
    pub metadata: &'a RunMetadata,
    /// Per implementation: conformant or not, and the baseline comparison.
    pub verdicts: &'a [crate::session::RowVerdict],
}

/// `N cases: P passed, F failed, …`, the closing line of every rendering (and the plain
/// "passed, failed" line CI systems read).
fn summary_line(t: &Counts) -> String {
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
/// failure and error that `listed` accepts with its diffs, grouped by the first differing
/// field, and a count of the others.
#[must_use]
pub fn render_terminal(results: &[CaseResult], summary: &Summary, listed: impl Fn(&CaseResult) -> bool) -> String {
    let mut out = String::new();
    table(&mut out, "implementation", &summary.by_impl);
    out.push('\n');
    table(&mut out, "vector file", &summary.by_file);
    if !summary.by_flag.is_empty() {
        out.push('\n');
        table(&mut out, "flag", &summary.by_flag);
    }
    let (mut problems, unlisted): (Vec<&CaseResult>, Vec<&CaseResult>) =
        results.iter().filter(|r| matches!(r.outcome, OutcomeKind::Fail | OutcomeKind::Error)).partition(|r| listed(r));
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
    if !unlisted.is_empty() {
        let _ = write!(
            out,
            "\n({} divergences their rows' baselines explain are not listed here; the reports carry them all, \
             and --show-baselined lists them)\n",
            unlisted.len()
        );
    }
    let _ = write!(out, "\n{}\n", summary_line(&summary.total));
    out
}

/// The group a result belongs to in the matrix: its vector file's name, or `generated`.
fn group_of(result: &CaseResult) -> String {
    std::path::Path::new(&result.file)
        .file_name()
        .map_or_else(|| result.file.clone(), |n| n.to_string_lossy().into_owned())
}

/// Counts per (implementation, group) cell.
type Cells = BTreeMap<(String, String), Counts>;

/// Counts per implementation and group, for the matrix: the implementations and groups in
/// first-seen order, and the cells.
fn matrix_counts(results: &[CaseResult]) -> (Vec<String>, Vec<String>, Cells) {
    let mut cells: Cells = BTreeMap::new();
    let mut implementations = Vec::new();
    let mut groups: Vec<String> = Vec::new();
    for result in results {
        if !implementations.contains(&result.implementation) {
            implementations.push(result.implementation.clone());
        }
        let group = group_of(result);
        if !groups.contains(&group) {
            groups.push(group.clone());
        }
        cells.entry((result.implementation.clone(), group)).or_default().add(result.outcome);
    }
    (implementations, groups, cells)
}

/// The matrix's mark for an outcome (its legend: `✓ pass  ✗ fail  ~ acceptable  s skip  ! error`).
fn outcome_mark(outcome: OutcomeKind) -> &'static str {
    match outcome {
        OutcomeKind::Pass => "✓",
        OutcomeKind::Fail => "✗",
        OutcomeKind::Acceptable => "~",
        OutcomeKind::Skip => "s",
        OutcomeKind::Error => "!",
    }
}

fn cell_text(counts: Option<&Counts>) -> String {
    let Some(c) = counts else { return "-".into() };
    let mut parts = vec![format!("{}{}", c.pass, outcome_mark(OutcomeKind::Pass))];
    for outcome in [OutcomeKind::Fail, OutcomeKind::Acceptable, OutcomeKind::Skip, OutcomeKind::Error] {
        let n = c.get(outcome);
        if n > 0 {
            parts.push(format!("{n}{}", outcome_mark(outcome)));
        }
    }
    parts.join(" ")
}

/// The implementation × vector-group matrix (`✓` pass, `✗` fail, `~` acceptable, `s` skip,
/// `!` error), one line per implementation.
#[must_use]
pub fn render_matrix(results: &[CaseResult]) -> String {
    let (implementations, groups, cells) = matrix_counts(results);
    let mut rows = vec![std::iter::once("implementation".to_owned()).chain(groups.iter().cloned()).collect::<Vec<_>>()];
    for implementation in &implementations {
        let mut row = vec![implementation.clone()];
        row.extend(groups.iter().map(|g| cell_text(cells.get(&(implementation.clone(), g.clone())))));
        rows.push(row);
    }
    let widths: Vec<usize> = (0..=groups.len())
        .map(|i| rows.iter().map(|r| r.get(i).map_or(0, |c| c.chars().count())).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            let width = widths.get(i).copied().unwrap_or(0);
            let pad = width.saturating_sub(cell.chars().count());
            let _ = write!(out, "{cell}{} ", " ".repeat(pad));
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
    }
    out.push_str("(✓ pass  ✗ fail  ~ acceptable  s skip  ! error)\n");
    out
}

/// The entity that stands for `c` in XML and HTML text and attribute values, if `c` needs one.
fn markup_entity(c: char) -> Option<&'static str> {
    match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '"' => Some("&quot;"),
        '\'' => Some("&apos;"),
        _ => None,
    }
}

fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if let Some(entity) = markup_entity(c) {
            out.push_str(entity);
            continue;
        }
        match c {
            // XML 1.0 cannot carry most control characters, even escaped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// JUnit XML: one `testsuite` per implementation, one `testcase` per case.
#[must_use]
pub fn render_junit(results: &[CaseResult]) -> String {
    let mut by_impl: BTreeMap<&str, Vec<&CaseResult>> = BTreeMap::new();
    for result in results {
        by_impl.entry(result.implementation.as_str()).or_default().push(result);
    }
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"oauth1-conformance\">\n");
    for (implementation, results) in by_impl {
        let count = |k: OutcomeKind| results.iter().filter(|r| r.outcome == k).count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">",
            xml_escape(implementation),
            results.len(),
            count(OutcomeKind::Fail),
            count(OutcomeKind::Error),
            count(OutcomeKind::Skip)
        );
        for r in results {
            let _ = write!(
                out,
                "    <testcase name=\"{}\" classname=\"{}.{}\"",
                xml_escape(&r.case),
                xml_escape(implementation),
                xml_escape(&group_of(r))
            );
            let message = xml_escape(r.message.as_deref().unwrap_or_default());
            match r.outcome {
                OutcomeKind::Pass | OutcomeKind::Acceptable => out.push_str("/>\n"),
                OutcomeKind::Skip => {
                    let _ = writeln!(out, "><skipped message=\"{message}\"/></testcase>");
                }
                OutcomeKind::Error => {
                    let _ = writeln!(out, "><error message=\"{message}\"/></testcase>");
                }
                OutcomeKind::Fail => {
                    let first = r.diffs.first().map_or("outcome", |d| d.field.as_str());
                    let mut body = String::new();
                    for d in &r.diffs {
                        body.push_str(&format!("{}:\n{}", d.field, diff::render(&d.expected, &d.actual)));
                    }
                    if let Some(quirks) = &r.quirks {
                        body.push_str(&format!("explained by quirks: {}\n", quirks.join(", ")));
                    }
                    let _ = writeln!(
                        out,
                        "><failure message=\"first difference: {}\">{}</failure></testcase>",
                        xml_escape(first),
                        xml_escape(&body)
                    );
                }
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn markdown_cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// Markdown for a CI step summary: the matrix, then the divergences grouped by the first
/// differing field.
#[must_use]
pub fn render_markdown(results: &[CaseResult], summary: &Summary) -> String {
    let (implementations, groups, cells) = matrix_counts(results);
    let mut out = String::from("# OAuth 1.0 conformance\n\n");
    let _ = writeln!(
        out,
        "| implementation | {} |",
        groups.iter().map(|g| markdown_cell(g)).collect::<Vec<_>>().join(" | ")
    );
    let _ = writeln!(out, "|---|{}", "---|".repeat(groups.len()));
    for implementation in &implementations {
        let row: Vec<String> =
            groups.iter().map(|g| cell_text(cells.get(&(implementation.clone(), g.clone())))).collect();
        let _ = writeln!(out, "| {} | {} |", markdown_cell(implementation), row.join(" | "));
    }
    out.push_str("\n✓ pass · ✗ fail · ~ acceptable · s skip · ! error\n");
    let _ = writeln!(out, "\n{}\n", summary_line(&summary.total));
    let mut by_field: BTreeMap<String, Vec<&CaseResult>> = BTreeMap::new();
    for r in results.iter().filter(|r| matches!(r.outcome, OutcomeKind::Fail | OutcomeKind::Error)) {
        let field = match r.outcome {
            OutcomeKind::Error => "error".to_owned(),
            _ => r.diffs.first().map_or("outcome".to_owned(), |d| d.field.clone()),
        };
        by_field.entry(field).or_default().push(r);
    }
    for (field, rs) in by_field {
        let _ = writeln!(out, "## {field} ({})\n", rs.len());
        out.push_str("| implementation | case | quirks | detail |\n|---|---|---|---|\n");
        for r in rs {
            let detail = r.diffs.first().map_or_else(
                || r.message.clone().unwrap_or_default(),
                |d| format!("expected `{}`, got `{}`", d.expected, d.actual),
            );
            let detail: String = detail.chars().take(300).collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                markdown_cell(&r.implementation),
                markdown_cell(&r.case),
                r.quirks.as_ref().map_or_else(|| "—".to_owned(), |q| q.join(", ")),
                markdown_cell(&detail)
            );
        }
        out.push('\n');
    }
    out
}
