//! JUnit XML (written by `quick-junit`, the writer cargo-nextest uses), sized for a CI test
//! tab: one test suite per implementation, holding its gate ("matches its baseline"), its
//! conformance, one test case per catalogued quirk and per unexplained kind of divergence
//! (with an example case, its diff and its replay command), and the passing and skipped
//! cases counted, not listed.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};

use super::{counts, quirk_groups, ByQuirk, Error, Report};
use crate::judge::Failure;
use crate::result::CaseResult;
use crate::verdict::RowVerdict;

/// Characters of a failure's text: the example's diff is windowed well below this.
const MAX_DESCRIPTION: usize = 2_000;

/// The JUnit document of `report`.
///
/// # Errors
///
/// `quick-junit` could not write it.
pub fn render(report: &Report) -> Result<String, Error> {
    let mut junit = quick_junit::Report::new("oauth1-conformance");
    for (name, results) in report.rows() {
        junit.add_test_suite(suite(report, name, &results, report.verdict(name)));
    }
    if let Some(probe) = &report.probe {
        junit.add_test_suites(super::probe::junit_suites(probe));
    }
    if let Some(capture) = &report.capture {
        junit.add_test_suites(super::capture::render::junit_suites(capture));
    }
    Ok(junit.to_string()?)
}

fn failure(kind: NonSuccessKind, message: String, description: &str) -> TestCaseStatus {
    let mut status = TestCaseStatus::non_success(kind);
    status.set_message(message);
    status.set_description(description.chars().take(MAX_DESCRIPTION).collect::<String>());
    status
}

fn case(name: &str, row: &str, status: TestCaseStatus) -> TestCase {
    let mut case = TestCase::new(name, status);
    case.set_classname(row);
    case
}

fn suite(report: &Report, row: &str, results: &[&CaseResult], verdict: Option<&RowVerdict>) -> TestSuite {
    let mut suite = TestSuite::new(row);
    if let Some(verdict) = verdict {
        if let Some(check) = &verdict.baseline {
            let status = if check.clean() {
                TestCaseStatus::success()
            } else {
                let detail = serde_json::to_string_pretty(check).unwrap_or_default();
                failure(NonSuccessKind::Failure, "differs from its baseline".into(), &detail)
            };
            suite.add_test_case(case("matches its baseline", row, status));
        }
        let status = if verdict.conformant {
            TestCaseStatus::success()
        } else {
            let quirks: Vec<String> = verdict.quirks.iter().map(|(q, n)| format!("{q} ({n} cases)")).collect();
            let message =
                format!("{} catalogued quirks, {} unexplained divergences", quirks.len(), verdict.unexplained);
            failure(NonSuccessKind::Failure, message, &quirks.join("\n"))
        };
        suite.add_test_case(case("conforms to RFC 5849", row, status));
    }
    let baselined: BTreeMap<&str, bool> = verdict
        .and_then(|v| v.baseline.as_ref())
        .map(|check| check.new_quirks.keys().map(|q| (q.as_str(), false)).collect())
        .unwrap_or_default();
    for (key, cases) in quirk_groups(results) {
        suite.add_test_case(group_case(report, row, key, &cases, &baselined));
    }
    let counted = counts(results);
    let passing = counted.pass + counted.acceptable;
    suite.add_test_case(case(&format!("{passing} of {} cases pass", results.len()), row, TestCaseStatus::success()));
    if counted.skip > 0 {
        let mut status = TestCaseStatus::skipped();
        status.set_message(format!(
            "{} cases skipped (a capability it lacks, or an input its API cannot express)",
            counted.skip
        ));
        suite.add_test_case(case(&format!("{} cases skipped", counted.skip), row, status));
    }
    suite
}

/// One quirk (or unexplained kind of divergence) of a row as a test case: what the quirk is,
/// how many cases show it, one example in full and the command that replays it.
fn group_case(
    report: &Report,
    row: &str,
    key: ByQuirk,
    cases: &[&CaseResult],
    new_quirks: &BTreeMap<&str, bool>,
) -> TestCase {
    let Some(example) = cases.first() else {
        return case(&key.label(), row, TestCaseStatus::success());
    };
    let (name, what, state) = match key {
        ByQuirk::Unexplained(_) => {
            (format!("unexplained: {}", key.label()), "no catalogued quirk explains it".to_owned(), "NEW: unexplained")
        }
        ByQuirk::Quirk(quirk) => (
            format!("quirk: {quirk}"),
            format!("{quirk}: {} [{}]", quirk.description(), quirk.section()),
            if new_quirks.contains_key(quirk.id()) { "NEW: not in the baseline" } else { "known: in the baseline" },
        ),
    };
    let mut description = format!(
        "{what}\n\n{} cases ({state}); example {}, replayed alone by\n  {}\n",
        cases.len(),
        example.case,
        report.replay(example)
    );
    for diff in &example.diffs {
        match (&diff.expected, &diff.actual, diff.follows) {
            (Some(expected), Some(actual), _) => {
                let _ = writeln!(description, "{}:\n{}", diff.field, crate::diff::render(expected, actual));
            }
            (_, _, Some(earlier)) => {
                let _ = writeln!(description, "{}: differs, following from {earlier}", diff.field);
            }
            _ => {}
        }
    }
    if let Some(message) = &example.message {
        let _ = writeln!(description, "message: {}", message.chars().take(400).collect::<String>());
    }
    let kind = if example.failure == Some(Failure::Harness) { NonSuccessKind::Error } else { NonSuccessKind::Failure };
    let message = format!("{} cases: {}", cases.len(), key.label());
    case(&name, row, failure(kind, message, &description))
}
