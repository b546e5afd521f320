//! Markdown for a CI job summary (GitHub refuses one over 1 MiB): the matrix with each row's
//! two verdicts and fingerprint, every divergence no baseline explains in full, and the
//! baselined ones counted with one example per quirk. Whatever the matrix, the document stays
//! under [`MAX_BYTES`]: past its budget, the rest is counted and left to the HTML and JSON
//! reports.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::{quirk_groups, Explained, Report};
use crate::diff;
use crate::result::CaseResult;

/// The size the document never exceeds.
pub const MAX_BYTES: usize = 1024 * 1024;

/// What is kept free for the closing lines once the budget is spent.
const RESERVE: usize = 16 * 1024;

/// Characters of one value shown in a table cell.
const CELL_VALUE: usize = 160;

fn cell(text: &str) -> String {
    let text = oauth1_vectors::printable(text);
    let cut: String = text.chars().take(CELL_VALUE).collect();
    let more = if cut.len() < text.len() { "…" } else { "" };
    format!("{}{more}", cut.replace('\\', "\\\\").replace('|', "\\|").replace('`', "'").replace(['\n', '\r'], " "))
}

/// What a divergence shows, in one cell: its first stored difference, or its message.
fn detail(result: &CaseResult) -> String {
    let stored = result.diffs.iter().find_map(|d| Some((d.field, d.expected.as_ref()?, d.actual.as_ref()?)));
    match stored {
        Some((field, expected, actual)) => {
            let changes = diff::describe_changes(expected, actual);
            format!("{field}: {}", cell(&changes))
        }
        None => cell(result.message.as_deref().unwrap_or_default()),
    }
}

/// The Markdown summary of `report`; `links` are the other reports of the run (`("HTML",
/// "target/conformance/report.html")`), named where the summary stops listing.
#[must_use]
pub fn render(report: &Report, links: &[(&str, String)]) -> String {
    if let Some(probe) = report.probe.as_ref().filter(|_| report.results.is_empty()) {
        return super::probe::markdown(probe, MAX_BYTES - RESERVE);
    }
    if let (true, Some(capture)) = (report.is_capture_only(), &report.capture) {
        let mut out = String::from(
            "# OAuth 1.0 (RFC 5849): what clients put on the wire
",
        );
        out.push_str(&super::capture::render::markdown(capture, MAX_BYTES - RESERVE));
        return out;
    }
    let mut out = String::from("# OAuth 1.0 (RFC 5849) conformance\n\n");
    let _ = writeln!(out, "{}\n", report.summary.line());
    if report.metadata.incomplete {
        out.push_str("**The run was interrupted: this report holds what was gathered until then.**\n\n");
    }
    write_matrix(&mut out, report);
    let uncovered: BTreeSet<(&str, &str)> = report
        .verdicts
        .iter()
        .filter_map(|v| Some((v, v.baseline.as_ref()?)))
        .flat_map(|(v, check)| check.uncovered.iter().map(move |c| (v.implementation.as_str(), c.as_str())))
        .collect();
    let unchecked: BTreeSet<&str> =
        report.verdicts.iter().filter(|v| v.baseline.is_none()).map(|v| v.implementation.as_str()).collect();
    let new: Vec<&CaseResult> = report
        .results
        .iter()
        .filter(|r| r.is_divergence())
        .filter(|r| {
            unchecked.contains(r.implementation.as_str())
                || uncovered.contains(&(r.implementation.as_str(), r.case.as_str()))
        })
        .collect();
    let budget = MAX_BYTES - RESERVE;
    let _ = writeln!(out, "## Divergences no baseline explains ({})\n", new.len());
    let mut listed = 0;
    if !new.is_empty() {
        out.push_str("| implementation | case | explanation | detail | replay |\n|---|---|---|---|---|\n");
        for result in &new {
            let line = format!(
                "| {} | {} | {} | {} | `{}` |\n",
                cell(&result.implementation),
                cell(&result.case),
                cell(&Explained::of(result).label()),
                detail(result),
                cell(&report.replay(result)).replace('`', "'")
            );
            if out.len() + line.len() > budget / 2 {
                break;
            }
            out.push_str(&line);
            listed += 1;
        }
    }
    write_more(&mut out, new.len() - listed, "new divergences", links);
    write_known(&mut out, report, budget, links);
    if let Some(capture) = &report.capture {
        let section = super::capture::render::markdown(capture, budget.saturating_sub(out.len()));
        out.push_str(&section);
    }
    out
}

fn write_more(out: &mut String, more: usize, what: &str, links: &[(&str, String)]) {
    if more == 0 {
        return;
    }
    let named: Vec<String> = links.iter().map(|(label, path)| format!("{label} (`{path}`)")).collect();
    let _ = writeln!(out, "\n…and {more} more {what}: every one is in the {} report.\n", named.join(" and the "));
}

fn write_matrix(out: &mut String, report: &Report) {
    out.push_str("| implementation | compared (generated) | RFC 5849 | baseline | quirks |\n|---|---|---|---|---|\n");
    for (name, _) in report.rows() {
        let Some(verdict) = report.verdict(name) else {
            let _ = writeln!(out, "| {} | | not judged | | |", cell(name));
            continue;
        };
        let c = &verdict.coverage;
        let conformance = if verdict.conformant {
            "✓ conforms".to_owned()
        } else {
            format!("✗ {} quirks, {} unexplained", verdict.quirks.len(), verdict.unexplained)
        };
        let baseline = match verdict.matches_baseline {
            Some(true) => "✓ matches",
            Some(false) => "✗ **differs**",
            None => "—",
        };
        let print: Vec<String> = verdict.quirks.iter().map(|(q, n)| format!("`{q}`×{n}")).collect();
        let _ = writeln!(
            out,
            "| {} | {} ({}/{}, {:.0}%) | {conformance} | {baseline} | {} |",
            cell(name),
            c.compared,
            c.generated_compared,
            c.generated,
            c.generated_compared_percent(),
            print.join(" ")
        );
    }
    for unavailable in &report.metadata.unavailable {
        let _ = writeln!(
            out,
            "| {} | | unavailable: {} | | |",
            cell(&unavailable.implementation),
            cell(&unavailable.reason)
        );
    }
    out.push('\n');
}

/// Per row, each quirk (and each unexplained kind) with its count and one example.
fn write_known(out: &mut String, report: &Report, budget: usize, links: &[(&str, String)]) {
    out.push_str("\n## Every divergence, by row and quirk (one example each)\n\n");
    let mut skipped_groups = 0;
    for (name, results) in report.rows() {
        let groups = quirk_groups(&results);
        if groups.is_empty() {
            continue;
        }
        let mut section = format!("### {}\n\n| quirk | cases | example | detail |\n|---|---|---|---|\n", cell(name));
        for (key, cases) in &groups {
            let Some(example) = cases.first() else { continue };
            let _ = writeln!(
                section,
                "| {} | {} | {} | {} |",
                cell(&key.label()),
                cases.len(),
                cell(&example.case),
                detail(example)
            );
        }
        section.push('\n');
        if out.len() + section.len() > budget {
            skipped_groups += groups.len();
            continue;
        }
        out.push_str(&section);
    }
    write_more(out, skipped_groups, "explanation groups", links);
}
