//! The terminal report: counts per implementation, vector file and flag; the divergences a
//! reader must see, with their diffs and replay commands; and the matrix with each row's two
//! verdicts.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{counts, counts_text, group_of, Counts, Report};
use oauth1_vectors::printable;

use crate::diff;
use crate::judge::{Field, OutcomeKind};
use crate::result::CaseResult;

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

/// One divergence in full: the diffs (each stage's difference once, later stages naming what
/// they follow from), the message, and the command that replays it.
fn write_divergence(out: &mut String, report: &Report, result: &CaseResult) {
    // Case ids, names and messages come from vector files and adapters: hostile input, shown
    // with their control characters escaped so they cannot drive the terminal.
    let _ = writeln!(
        out,
        "{} [{}] {} ({})",
        result.outcome.name().to_uppercase(),
        printable(&result.implementation),
        printable(&result.case),
        printable(result.source.name())
    );
    for d in &result.diffs {
        match (&d.expected, &d.actual, d.follows) {
            (Some(expected), Some(actual), _) => {
                let _ = writeln!(out, " {}:", d.field);
                out.push_str(&diff::render(expected, actual));
                let changes = diff::describe_changes(expected, actual);
                if !changes.is_empty() {
                    let _ = writeln!(out, "  changes: {changes}");
                }
            }
            (_, _, Some(earlier)) => {
                let _ = writeln!(out, " {}: differs, following from {earlier}", d.field);
            }
            _ => {
                let _ = writeln!(out, " {}: differs", d.field);
            }
        }
    }
    if let Some(message) = &result.message {
        let _ = writeln!(out, "  message: {}", printable(message));
    }
    if let Some(shrunk) = result.shrunk.as_ref().and_then(|s| s.input.as_ref().map(|i| (s.steps, i))) {
        let _ = writeln!(out, "  shrunk in {} steps to: {}", shrunk.0, shrunk.1);
    }
    if let Some(representative) = &result.same_as {
        let _ = writeln!(out, "  same first difference and explanation as {representative}");
    }
    let _ = writeln!(out, "  replay: {}", printable(&report.replay(result)));
}

/// The terminal report: per-implementation, per-file and per-flag tables, then every
/// divergence that `listed` accepts in full, grouped by the first differing field, and a
/// count of the others.
#[must_use]
pub fn render_terminal(report: &Report, listed: impl Fn(&CaseResult) -> bool) -> String {
    let summary = &report.summary;
    let mut out = String::new();
    table(&mut out, "implementation", &summary.by_impl);
    out.push('\n');
    table(&mut out, "vector file", &summary.by_file);
    if !summary.by_flag.is_empty() {
        out.push('\n');
        table(&mut out, "flag", &summary.by_flag);
    }
    let (mut problems, unlisted): (Vec<&CaseResult>, Vec<&CaseResult>) =
        report.results.iter().filter(|r| r.is_divergence()).partition(|r| listed(r));
    problems.sort_by_key(|r| (r.outcome, r.diffs.first().map(|d| d.field), r.case.clone()));
    let mut group = None;
    for result in problems {
        let field = match result.outcome {
            OutcomeKind::Error => "error".to_owned(),
            _ => result.diffs.first().map_or(Field::Outcome, |d| d.field).name().to_owned(),
        };
        if group.as_ref() != Some(&field) {
            let _ = write!(out, "\n== {field} ==\n");
            group = Some(field);
        }
        write_divergence(&mut out, report, result);
    }
    if !unlisted.is_empty() {
        let _ = write!(
            out,
            "\n({} divergences their rows' baselines explain are not listed here; the reports carry them all, \
             and --show-baselined lists them)\n",
            unlisted.len()
        );
    }
    let _ = write!(out, "\n{}\n", summary.line());
    out
}

/// The implementation × vector-group matrix (`✓` pass, `✗` fail, `~` acceptable, `s` skip,
/// `!` error), one line per implementation, with how many of its generated cases were
/// compared and its two verdicts (conformance, and the baseline gate).
#[must_use]
pub fn render_matrix(report: &Report) -> String {
    let rows = report.rows();
    let mut groups: Vec<String> = Vec::new();
    for result in &report.results {
        let group = group_of(result);
        if !groups.contains(&group) {
            groups.push(group);
        }
    }
    let mut table = vec![std::iter::once("implementation".to_owned())
        .chain(groups.iter().cloned())
        .chain(["generated compared".to_owned(), "verdict".to_owned()])
        .collect::<Vec<_>>()];
    for (name, results) in &rows {
        let mut line = vec![(*name).to_owned()];
        for group in &groups {
            let in_group: Vec<&CaseResult> = results.iter().copied().filter(|r| group_of(r) == *group).collect();
            line.push(if in_group.is_empty() { "-".to_owned() } else { counts_text(&counts(&in_group)) });
        }
        let verdict = report.verdict(name);
        line.push(verdict.map_or_else(String::new, |v| {
            let c = &v.coverage;
            format!("{}/{} ({:.0}%)", c.generated_compared, c.generated, c.generated_compared_percent())
        }));
        line.push(verdict.map_or_else(|| "not judged".to_owned(), super::super::verdict::RowVerdict::headline));
        table.push(line);
    }
    let columns = table.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..columns)
        .map(|i| table.iter().map(|r| r.get(i).map_or(0, |c| c.chars().count())).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for line in table {
        for (i, cell) in line.iter().enumerate() {
            let pad = widths.get(i).copied().unwrap_or(0).saturating_sub(cell.chars().count());
            let _ = write!(out, "{cell}{} ", " ".repeat(pad));
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
    }
    out.push_str("(✓ pass  ✗ fail  ~ acceptable  s skip  ! error)\n");
    out
}
