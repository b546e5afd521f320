//! The capture section in the report family's formats: a JUnit test suite per client (one
//! test case per case, and its baseline), a Markdown section within the summary's budget, and
//! the HTML report's client × case-family table with every failing request in full.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use maud::{html, Markup};
use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};

use super::{CaptureRecord, CaptureReport, CaptureVerdict, CaseFamily, ClientCapture};
use crate::report::html::Visible;

/// Characters of a JUnit failure's text.
const MAX_DESCRIPTION: usize = 2_000;

/// Failing records shown in full per client in the HTML report; the rest are listed by id.
const HTML_RECORDS_IN_FULL: usize = 40;

fn record_name(record: &CaptureRecord) -> String {
    match (&record.case, &record.received) {
        (Some(case), Some(received)) if received.target.contains("/moved") => format!("{case} (after the redirect)"),
        (Some(case), _) => case.clone(),
        (None, Some(received)) => format!("#{} {} {}", received.arrival, received.method, received.target),
        (None, None) => "request".to_owned(),
    }
}

/// The record's checks, diagnosis and replay command, as text.
fn explanation(record: &CaptureRecord) -> String {
    let mut text = String::new();
    for check in &record.checks {
        let _ = writeln!(text, "{}: {}", check.check.name(), check.message);
    }
    if let Some(diagnosis) = &record.diagnosis {
        let _ = writeln!(text, "diagnosis: {}", diagnosis.describe());
    }
    for note in &record.notes {
        let _ = writeln!(text, "note: {note}");
    }
    if let Some(message) = &record.message {
        let _ = writeln!(text, "{message}");
    }
    if let Some(received) = &record.received {
        let _ = writeln!(text, "received: {} {}", received.method, received.target);
        for (name, value) in &received.headers {
            let _ = writeln!(text, "  {name}: {value}");
        }
    }
    if !record.replay.is_empty() {
        let _ = writeln!(text, "replay: {}", record.replay);
    }
    text
}

fn junit_case(client: &str, record: &CaptureRecord) -> TestCase {
    let status = match record.verdict {
        CaptureVerdict::Ok => TestCaseStatus::success(),
        CaptureVerdict::Skip => {
            let mut status = TestCaseStatus::skipped();
            status.set_message(record.message.clone().unwrap_or_default().chars().take(300).collect::<String>());
            status
        }
        CaptureVerdict::Fail | CaptureVerdict::Error => {
            let kind =
                if record.verdict == CaptureVerdict::Error { NonSuccessKind::Error } else { NonSuccessKind::Failure };
            let mut status = TestCaseStatus::non_success(kind);
            let names: Vec<&str> = record.check_names().map(|c| c.name()).collect();
            let message = match &record.diagnosis {
                Some(diagnosis) => format!("{}: {}", names.join(", "), diagnosis.key()),
                None => names.join(", "),
            };
            status.set_message(message);
            status.set_description(explanation(record).chars().take(MAX_DESCRIPTION).collect::<String>());
            status
        }
    };
    let mut case = TestCase::new(record_name(record), status);
    case.set_classname(format!("capture.{client}"));
    case
}

/// One JUnit test suite per client: its baseline, then one test case per record.
#[must_use]
pub fn junit_suites(capture: &CaptureReport) -> Vec<TestSuite> {
    capture
        .clients
        .iter()
        .map(|client| {
            let mut suite = TestSuite::new(format!("capture: {}", client.name));
            if let Some(baseline) = &client.baseline {
                let status = if baseline.matches() {
                    TestCaseStatus::success()
                } else {
                    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    status.set_message(format!("differs from {}", baseline.path));
                    status.set_description(
                        baseline.differences.join("\n").chars().take(MAX_DESCRIPTION).collect::<String>(),
                    );
                    status
                };
                let mut case = TestCase::new("matches its baseline", status);
                case.set_classname(format!("capture.{}", client.name));
                suite.add_test_case(case);
            }
            for record in &client.records {
                suite.add_test_case(junit_case(&client.name, record));
            }
            suite
        })
        .collect()
}

fn cell(text: &str) -> String {
    let cut: String = text.chars().take(200).collect();
    let more = if cut.len() < text.len() { "…" } else { "" };
    format!("{}{more}", cut.replace('\\', "\\\\").replace('|', "\\|").replace('`', "'").replace(['\n', '\r'], " "))
}

fn baseline_text(client: &ClientCapture) -> String {
    match &client.baseline {
        None => "—".to_owned(),
        Some(b) if b.matches() => format!("✓ matches ({:.0}% exercised)", b.coverage_percent),
        Some(b) => format!("✗ **differs** ({} cases)", b.differences.len()),
    }
}

/// The Markdown section, at most `budget` bytes: a row per client, then its failing and
/// erroneous records (the rest counted).
#[must_use]
pub fn markdown(capture: &CaptureReport, budget: usize) -> String {
    let mut out = String::from("\n## Live clients (capture)\n\n");
    let _ = writeln!(
        out,
        "{} clients, {} cases each, {:.0} s.\n",
        capture.clients.len(),
        capture.cases.len(),
        capture.seconds
    );
    out.push_str("| client | ok | fail | skip | error | baseline |\n|---|---|---|---|---|---|\n");
    for client in &capture.clients {
        let s = &client.summary;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            cell(&client.name),
            s.ok,
            s.fail,
            s.skip,
            s.error,
            baseline_text(client)
        );
    }
    let mut left = 0;
    for client in &capture.clients {
        let failing: Vec<&CaptureRecord> = client
            .records
            .iter()
            .filter(|r| matches!(r.verdict, CaptureVerdict::Fail | CaptureVerdict::Error))
            .collect();
        let differences = client.baseline.as_ref().map_or(&[][..], |b| b.differences.as_slice());
        if failing.is_empty() && differences.is_empty() {
            continue;
        }
        let mut section = format!("\n### {}\n\n", cell(&client.name));
        for difference in differences {
            let _ = writeln!(section, "- baseline: {}", cell(difference));
        }
        section.push_str("\n| request | verdict | checks | diagnosis | replay |\n|---|---|---|---|---|\n");
        for record in &failing {
            let checks: Vec<&str> = record.check_names().map(|c| c.name()).collect();
            let diagnosis =
                record.diagnosis.as_ref().map(super::Diagnosis::describe).or_else(|| record.message.clone());
            let _ = writeln!(
                section,
                "| {} | {} | {} | {} | `{}` |",
                cell(&record_name(record)),
                record.verdict.name(),
                checks.join(", "),
                cell(&diagnosis.unwrap_or_default()),
                cell(&record.replay)
            );
        }
        if out.len() + section.len() > budget {
            left += failing.len();
            continue;
        }
        out.push_str(&section);
    }
    if left > 0 {
        let _ = writeln!(out, "\n…and {left} more failing requests: every one is in the JSON and HTML reports.");
    }
    out
}

/// Per client and family: the verdicts counted.
fn family_counts(client: &ClientCapture) -> BTreeMap<CaseFamily, [usize; 4]> {
    let mut counts: BTreeMap<CaseFamily, [usize; 4]> = BTreeMap::new();
    for record in &client.records {
        let Some(family) = record.family else { continue };
        let slot = match record.verdict {
            CaptureVerdict::Ok => 0,
            CaptureVerdict::Fail => 1,
            CaptureVerdict::Skip => 2,
            CaptureVerdict::Error => 3,
        };
        if let Some(count) = counts.entry(family).or_default().get_mut(slot) {
            *count += 1;
        }
    }
    counts
}

fn counts_cell(counts: Option<&[usize; 4]>) -> Markup {
    let Some(&[ok, fail, skip, error]) = counts else { return html! { td {} } };
    let class = if error > 0 {
        "error"
    } else if fail > 0 {
        "fail"
    } else if ok > 0 {
        "pass"
    } else {
        "skip"
    };
    html! {
        td class=(class) {
            @if ok > 0 { span.n { (ok) "✓" } " " }
            @if fail > 0 { span.n { (fail) "✗" } " " }
            @if skip > 0 { span.n { (skip) "s" } " " }
            @if error > 0 { span.n { (error) "!" } }
        }
    }
}

fn record_html(record: &CaptureRecord) -> Markup {
    html! {
        div.case {
            h4 { (Visible(&record_name(record))) " — " (record.verdict.name()) }
            @for check in &record.checks { p { code { (check.check.name()) } ": " (Visible(&check.message)) } }
            @if let Some(diagnosis) = &record.diagnosis { p { b { "diagnosis: " } (Visible(&diagnosis.describe())) } }
            @for note in &record.notes { p.note { (Visible(note)) } }
            @if let Some(message) = &record.message { pre { (Visible(message)) } }
            @if let Some(intended) = &record.intended {
                p { "asked: " code { (Visible(&intended.method)) " " (Visible(&intended.url)) } }
            }
            @if let Some(received) = &record.received {
                pre {
                    (Visible(&received.method)) " " (Visible(&received.target)) "\n"
                    @for (name, value) in &received.headers { (Visible(name)) ": " (Visible(value)) "\n" }
                    @if received.body_bytes > 0 { "\n" (Visible(&received.body)) }
                }
            }
            @if let Some(base_string) = &record.signature_base_string { p { "signature base string (as received): " code.v { (Visible(base_string)) } } }
            @if !record.replay.is_empty() { p { "replay: " code.v { (Visible(&record.replay)) } } }
        }
    }
}

/// The HTML section: the client × case-family table, then each client's failing requests.
#[must_use]
pub fn html(capture: &CaptureReport) -> Markup {
    html! {
        section #capture {
            h2 { "Live clients (capture)" }
            p { (capture.clients.len()) " clients, " (capture.cases.len()) " cases each, on " (capture.listen.join(", ")) ", " (format!("{:.0}", capture.seconds)) " s. Legend: ✓ ok, ✗ fail, s skip, ! error." }
            table {
                thead { tr { th { "client" } th { "baseline" } @for family in CaseFamily::ALL { th { (family.name()) } } } }
                tbody {
                    @for client in &capture.clients {
                        @let counts = family_counts(client);
                        tr {
                            th { a href={ "#capture-" (client.name) } { (Visible(&client.name)) } }
                            td { (Visible(&baseline_text(client))) }
                            @for family in CaseFamily::ALL { (counts_cell(counts.get(&family))) }
                        }
                    }
                }
            }
            @for client in &capture.clients {
                @let failing: Vec<&CaptureRecord> = client.records.iter().filter(|r| matches!(r.verdict, CaptureVerdict::Fail | CaptureVerdict::Error)).collect();
                h3 id={ "capture-" (client.name) } { (Visible(&client.name)) ": " (client.summary.line()) }
                @if let Some(command) = &client.command { p { "command: " code.v { (Visible(command)) } } }
                @if let Some(baseline) = &client.baseline { @for difference in &baseline.differences { p.bad { (Visible(difference)) } } }
                @for record in failing.iter().take(HTML_RECORDS_IN_FULL) { (record_html(record)) }
                @if failing.len() > HTML_RECORDS_IN_FULL {
                    p.note { "and " (failing.len() - HTML_RECORDS_IN_FULL) " more: " @for record in failing.iter().skip(HTML_RECORDS_IN_FULL) { (Visible(&record_name(record))) " " } }
                }
            }
        }
    }
}
