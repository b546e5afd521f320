//! The probe's section of the report family (`oauth1-conformance probe`, `cargo xtask
//! probe-matrix`): per probed server, every case with its verdict, severity, the status the
//! server answered, the diagnosis, the command that replays it and the request as sent
//! (secrets redacted). Rendered here as JUnit (a suite per server, a test case per case id)
//! and Markdown (per server and family, within the summary's budget); the HTML matrix is in
//! [`super::probe_html`].

use std::collections::BTreeMap;
use std::fmt::Write as _;

use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};
use serde::{Deserialize, Serialize};

use super::{Report, RunMetadata, Summary, REPORT_VERSION};
use crate::case::Shard;
use crate::live::probe::cases::{Expected, Family};
use crate::live::probe::verdict::{Severity, Verdict};

/// The probe's findings: one entry per probed server.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProbeReport {
    /// The servers, in the order they were probed.
    pub servers: Vec<ProbedServer>,
}

/// One server's run of the battery.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProbedServer {
    /// Its name (`--name`, or the URL's authority).
    pub name: String,
    /// The URL that was signed.
    pub url: String,
    /// Where the bytes went instead of the URL's authority (`--connect`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connect: Option<String>,
    /// The signature methods enabled; the first signs the battery.
    pub signature_methods: Vec<String>,
    /// Requests sent.
    pub requests: usize,
    /// Wall time of the battery, seconds.
    pub seconds: f64,
    /// Why the battery stopped before its end (a refused gate, a server that stopped
    /// answering): the run exits 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
    /// Verdict counts per family.
    pub summary: BTreeMap<Family, BTreeMap<Verdict, usize>>,
    /// Every case run (or skipped), in table order.
    pub cases: Vec<ProbeCaseResult>,
}

/// One case's result.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProbeCaseResult {
    /// The case id (`--case ID`).
    pub id: String,
    /// Its family.
    pub family: Family,
    /// The RFC clause that decides it.
    pub rfc: String,
    /// What is changed.
    pub change: String,
    /// What a server following RFC 5849 does.
    pub expected: Expected,
    /// The RFC lets a server refuse it (an `accept` row).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub may_refuse: bool,
    /// The RFC lets a server accept it (a `refuse` row).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub may_accept: bool,
    /// The verdict.
    pub verdict: Verdict,
    /// What it weighs.
    pub severity: Severity,
    /// The status the server answered (the last request of the case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_status: Option<u16>,
    /// Why: the skip reason, the transport error, the explanation of a refused valid request,
    /// the bisected window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagnosis: Option<String>,
    /// The reconstruction or catalogued quirk whose re-signed request the server accepted
    /// (`rebuild:scheme-http`, `quirk:ignores-form-body`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explained_by: Option<String>,
    /// The command that replays this case alone.
    pub replay: String,
    /// The request as sent (the last of the case), secrets redacted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<WireRequest>,
    /// The start of the response body, secrets redacted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_excerpt: Option<String>,
}

/// A request as sent, for the report: every secret redacted.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WireRequest {
    /// The method.
    pub method: String,
    /// The request target.
    pub target: String,
    /// The header fields, in order.
    pub headers: Vec<(String, String)>,
    /// The body (its start, for a long one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

impl ProbedServer {
    /// The verdict counts of `cases` per family.
    #[must_use]
    pub fn summarize(cases: &[ProbeCaseResult]) -> BTreeMap<Family, BTreeMap<Verdict, usize>> {
        let mut summary: BTreeMap<Family, BTreeMap<Verdict, usize>> = BTreeMap::new();
        for case in cases {
            *summary.entry(case.family).or_default().entry(case.verdict).or_default() += 1;
        }
        summary
    }

    /// The heaviest severity among `family`'s cases.
    #[must_use]
    pub fn worst(&self, family: Family) -> Option<Severity> {
        self.cases.iter().filter(|c| c.family == family).map(|c| c.severity).max()
    }

    /// Whether a case failed.
    #[must_use]
    pub fn has_failure(&self) -> bool {
        self.cases.iter().any(|c| c.verdict == Verdict::Fail)
    }

    /// `N cases: F fail (H high), …`.
    #[must_use]
    pub fn line(&self) -> String {
        let count = |v: Verdict| self.cases.iter().filter(|c| c.verdict == v).count();
        let high = self.cases.iter().filter(|c| c.verdict == Verdict::Fail && c.severity == Severity::High).count();
        format!(
            "{} cases: {} fail ({high} high), {} non-strict, {} inconclusive, {} informational, {} ok, {} skip; {} requests in {:.1} s",
            self.cases.len(),
            count(Verdict::Fail),
            count(Verdict::NonStrict),
            count(Verdict::Inconclusive),
            count(Verdict::Informational),
            count(Verdict::Ok),
            count(Verdict::Skip),
            self.requests,
            self.seconds
        )
    }
}

/// A report holding only a probe section: no function-level results.
#[must_use]
pub fn probe_only_report(probe: ProbeReport, tool: String) -> Report {
    Report {
        version: REPORT_VERSION,
        metadata: RunMetadata {
            tool,
            seed: 0,
            generated_per_implementation: 0,
            shards: vec![Shard::WHOLE],
            implementations: Vec::new(),
            unavailable: Vec::new(),
            vector_files: Vec::new(),
            seconds: BTreeMap::new(),
            timings: BTreeMap::new(),
            faults: BTreeMap::new(),
            ruled_out: BTreeMap::new(),
            incomplete: false,
        },
        verdicts: Vec::new(),
        summary: Summary::default(),
        results: Vec::new(),
        probe: Some(probe),
        capture: None,
    }
}

/// The probe sections of `reports` made into one report (the server matrix).
///
/// # Errors
/// When a report has no probe section.
pub fn merge(reports: Vec<Report>) -> Result<Report, super::Error> {
    let mut probe = ProbeReport::default();
    let mut tool = None;
    for (index, report) in reports.into_iter().enumerate() {
        let section = report.probe.ok_or(super::Error::NoProbeSection(index + 1))?;
        tool.get_or_insert(report.metadata.tool);
        probe.servers.extend(section.servers);
    }
    Ok(probe_only_report(probe, tool.unwrap_or_default()))
}

/// JUnit test suites: one per server, one test case per case id.
#[must_use]
pub fn junit_suites(probe: &ProbeReport) -> Vec<TestSuite> {
    probe.servers.iter().map(junit_suite).collect()
}

fn junit_suite(server: &ProbedServer) -> TestSuite {
    let mut suite = TestSuite::new(format!("probe {}", server.name));
    if let Some(stopped) = &server.stopped {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
        status.set_message(stopped.chars().take(500).collect::<String>());
        let mut case = TestCase::new("the battery ran to its end", status);
        case.set_classname(server.name.as_str());
        suite.add_test_case(case);
    }
    for result in &server.cases {
        let detail = format!(
            "{} [{}]\nexpected: {}; verdict: {} ({}); status: {}\n{}\nreplay: {}",
            result.change,
            result.rfc,
            result.expected.name(),
            result.verdict.name(),
            result.severity.name(),
            result.observed_status.map_or_else(|| "none".to_owned(), |s| s.to_string()),
            result.diagnosis.as_deref().unwrap_or_default(),
            result.replay
        );
        let status = match result.verdict {
            Verdict::Fail => {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                status.set_message(format!("{} severity: {}", result.severity.name(), headline(result)));
                status.set_description(detail.chars().take(2_000).collect::<String>());
                status
            }
            Verdict::Skip | Verdict::Inconclusive => {
                let mut status = TestCaseStatus::skipped();
                status.set_message(format!("{}: {}", result.verdict.name(), headline(result)));
                status
            }
            Verdict::Ok | Verdict::NonStrict | Verdict::Informational => TestCaseStatus::success(),
        };
        let mut case = TestCase::new(result.id.as_str(), status);
        case.set_classname(format!("{}.{}", server.name, result.family.name()));
        if matches!(result.verdict, Verdict::NonStrict | Verdict::Informational) {
            case.set_system_out(detail);
        }
        suite.add_test_case(case);
    }
    suite
}

/// What a case found, in one line: its diagnosis, or what the server did.
#[must_use]
pub fn headline(result: &ProbeCaseResult) -> String {
    match (&result.diagnosis, result.observed_status) {
        (Some(diagnosis), _) => diagnosis.clone(),
        (None, Some(status)) => format!("answered {status}"),
        (None, None) => String::new(),
    }
}

/// Characters of one Markdown table cell (a replay command is never cut).
const CELL: usize = 300;

fn cell(text: &str) -> String {
    cell_of(text, CELL)
}

fn cell_of(text: &str, limit: usize) -> String {
    let cut: String = text.chars().take(limit).collect();
    let more = if cut.len() < text.len() { "…" } else { "" };
    format!("{}{more}", cut.replace('\\', "\\\\").replace('|', "\\|").replace('`', "'").replace(['\n', '\r'], " "))
}

/// The Markdown of the probe section: the server × family matrix, then per server every case
/// that is not `ok` or `skip`, each family apart; past `budget` bytes the rest is counted.
#[must_use]
pub fn markdown(probe: &ProbeReport, budget: usize) -> String {
    let mut out = String::from("# Live servers (oauth1-conformance probe)\n\n");
    out.push_str("| server |");
    for family in Family::ALL {
        let _ = write!(out, " {} |", family.name());
    }
    out.push_str(" summary |\n|---|");
    out.push_str(&"---|".repeat(Family::ALL.len() + 1));
    out.push('\n');
    let mut left_out = 0;
    for server in &probe.servers {
        let mut line = format!("| {} |", cell(&server.name));
        for family in Family::ALL {
            let _ = write!(line, " {} |", family_cell(server, family));
        }
        let _ = writeln!(line, " {} |", cell(&server.line()));
        if out.len() + line.len() > budget / 2 {
            left_out += 1;
            continue;
        }
        out.push_str(&line);
    }
    out.push('\n');
    for server in &probe.servers {
        let section = server_markdown(server);
        if out.len() + section.len() > budget {
            left_out += 1;
            continue;
        }
        out.push_str(&section);
    }
    if left_out > 0 {
        let _ = writeln!(
            out,
            "\n…and {left_out} more rows or sections of servers: every case is in the JSON and HTML reports."
        );
    }
    out
}

/// `2 fail (high), 1 non-strict` for one family of a server, or `✓ N ok`.
fn family_cell(server: &ProbedServer, family: Family) -> String {
    let Some(counts) = server.summary.get(&family) else {
        return "—".into();
    };
    let mut parts = Vec::new();
    for verdict in Verdict::ALL {
        let Some(n) = counts.get(&verdict) else { continue };
        let part = match verdict {
            Verdict::Fail => {
                let worst = server.worst(family).unwrap_or(Severity::None);
                format!("**{n} fail** ({})", worst.name())
            }
            _ => format!("{n} {}", verdict.name()),
        };
        parts.push(part);
    }
    parts.join(", ")
}

fn server_markdown(server: &ProbedServer) -> String {
    let mut out = format!("## {}\n\n`{}`", cell(&server.name), cell(&server.url));
    if let Some(connect) = &server.connect {
        let _ = write!(out, " via `{}`", cell(connect));
    }
    let _ = writeln!(out, "; methods {}; {}\n", server.signature_methods.join(", "), server.line());
    if let Some(stopped) = &server.stopped {
        let _ = writeln!(out, "**The battery stopped:** {}\n", cell(stopped));
    }
    for family in Family::ALL {
        let findings: Vec<&ProbeCaseResult> =
            server.cases.iter().filter(|c| c.family == family && c.verdict.is_finding()).collect();
        if findings.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "### {}\n\n| case | verdict | severity | status | diagnosis | replay |\n|---|---|---|---|---|---|",
            family.name()
        );
        for case in findings {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | `{}` |",
                cell(&case.id),
                case.verdict.name(),
                case.severity.name(),
                case.observed_status.map_or_else(String::new, |s| s.to_string()),
                cell(&headline(case)),
                cell_of(&case.replay, usize::MAX)
            );
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(id: &str, family: Family, verdict: Verdict, severity: Severity) -> ProbeCaseResult {
        ProbeCaseResult {
            id: id.into(),
            family,
            rfc: "RFC 5849 §3.2".into(),
            change: "a change".into(),
            expected: Expected::Refuse,
            may_refuse: false,
            may_accept: false,
            verdict,
            severity,
            observed_status: Some(200),
            diagnosis: Some("accepted (200) <b>".into()),
            explained_by: None,
            replay: format!("oauth1-conformance probe --url 'http://127.0.0.1:1/x' --case {id}"),
            request: None,
            response_excerpt: None,
        }
    }

    fn server(name: &str) -> ProbedServer {
        let cases = vec![
            case("tampered-flipped-signature-bit", Family::Tampered, Verdict::Fail, Severity::High),
            case("valid-gate", Family::Valid, Verdict::Ok, Severity::None),
            case("time-window", Family::Time, Verdict::Informational, Severity::Info),
        ];
        ProbedServer {
            name: name.into(),
            url: "http://127.0.0.1:1/x".into(),
            connect: None,
            signature_methods: vec!["HMAC-SHA1".into()],
            requests: 4,
            seconds: 0.1,
            stopped: None,
            summary: ProbedServer::summarize(&cases),
            cases,
        }
    }

    #[test]
    fn every_rendering_shows_the_matrix_and_the_findings() {
        let report = merge(vec![
            probe_only_report(ProbeReport { servers: vec![server("a")] }, "t".into()),
            probe_only_report(ProbeReport { servers: vec![server("<script>b")] }, "t".into()),
        ])
        .unwrap();
        let text = serde_json::to_string(&report).unwrap();
        let back: Report = serde_json::from_str(&text).unwrap();
        let servers = &back.probe.as_ref().unwrap().servers;
        assert_eq!(servers.len(), 2);
        assert_eq!(servers[0].summary[&Family::Tampered][&Verdict::Fail], 1);
        assert!(servers[0].has_failure());

        let markdown = crate::report::markdown::render(&report, &[]);
        assert!(markdown.contains("| a | 1 ok | **1 fail** (high) |"), "{markdown}");
        assert!(markdown.contains("--case tampered-flipped-signature-bit"), "{markdown}");
        assert!(!markdown.contains("valid-gate |"), "ok cases are counted, not listed: {markdown}");

        let junit = crate::report::junit::render(&report).unwrap();
        assert!(junit.contains("<testsuite name=\"probe a\""), "{junit}");
        assert!(junit.contains("name=\"tampered-flipped-signature-bit\""), "{junit}");
        assert!(junit.contains("<failure message=\"high severity"), "{junit}");

        let html = crate::report::html::render(&report);
        assert!(html.contains("class=\"sev-high\""), "{html}");
        assert!(!html.contains("<script>b"), "server names are escaped");
        assert!(html.contains("&lt;script&gt;b"));
    }

    #[test]
    fn a_report_without_a_probe_section_does_not_merge() {
        let mut report = probe_only_report(ProbeReport::default(), "t".into());
        report.probe = None;
        assert!(merge(vec![report]).is_err());
    }

    #[test]
    fn the_markdown_stays_within_its_budget() {
        let servers = (0..40).map(|i| server(&format!("server-{i}"))).collect();
        let markdown = markdown(&ProbeReport { servers }, 6_000);
        assert!(markdown.len() <= 6_000 + 200, "{}", markdown.len());
        assert!(markdown.contains("more rows or sections of servers: every case is in the JSON and HTML reports"));
    }
}
