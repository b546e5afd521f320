//! The probe's section of the HTML report: the server × family matrix (each cell its verdict
//! counts, coloured by the heaviest severity), then per server every case that is a finding,
//! with its diagnosis, the request as sent (secrets redacted) and its replay command. Every
//! string a server or a user gave is written through [`Visible`].

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::html::Visible;
use super::probe::{headline, ProbeCaseResult, ProbeReport, ProbedServer};
use crate::live::probe::cases::Family;
use crate::live::probe::verdict::{Severity, Verdict};

const STYLE: &str = "
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#111;background:#fff}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:3px 6px;vertical-align:top;text-align:left}
code,pre{font-family:ui-monospace,monospace;font-size:13px}
pre{white-space:pre-wrap;word-break:break-all;background:#f6f6f6;padding:4px 6px;margin:.3em 0}
.sev-high{background:#f08080}.sev-medium{background:#ffc7c7}.sev-low{background:#fff2b3}.sev-info{background:#dde8ff}
.sev-none{background:#d9f2d9}.empty{background:#eee}.note{color:#777;font-style:italic}.bad{color:#a00;font-weight:bold}
";

/// A whole page holding only the probe section.
#[must_use]
pub fn page(probe: &ProbeReport) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head { meta charset="utf-8"; title { "OAuth 1.0 live servers" } style { (PreEscaped(STYLE)) } }
            body { (section(probe)) }
        }
    }
    .into_string()
}

/// The probe section, for a page of its own or the end of the function-level page.
#[must_use]
pub fn section(probe: &ProbeReport) -> Markup {
    html! {
        section #probe {
            h2 { "Live servers (oauth1-conformance probe)" }
            p {
                "Each cell counts the family's verdicts and is coloured by its heaviest severity: "
                span.sev-high { "high" } " (a tampered, replayed or stale request accepted), "
                span.sev-medium { "medium" } " (a valid request refused, a malformed one accepted), "
                span.sev-low { "low" } " (non-strict), " span.sev-info { "info" } ", " span.sev-none { "none" } "."
            }
            table {
                thead { tr { th { "server" } @for family in Family::ALL { th { (family.name()) } } th { "summary" } } }
                tbody {
                    @for server in &probe.servers {
                        tr {
                            th { a href={ "#probe-" (anchor(&server.name)) } { (Visible(&server.name)) } }
                            @for family in Family::ALL { (matrix_cell(server, family)) }
                            td { (Visible(&server.line())) @if server.stopped.is_some() { br; span.bad { "stopped early" } } }
                        }
                    }
                }
            }
            @for server in &probe.servers { (server_html(server)) }
        }
    }
}

fn anchor(name: &str) -> String {
    name.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b == b'-' { char::from(b).to_string() } else { format!("_{b:02x}") })
        .collect()
}

fn matrix_cell(server: &ProbedServer, family: Family) -> Markup {
    let Some(counts) = server.summary.get(&family) else {
        return html! { td.empty { "–" } };
    };
    let class = format!("sev-{}", server.worst(family).unwrap_or(Severity::None).name());
    html! {
        td class=(class) {
            @for verdict in Verdict::ALL {
                @if let Some(n) = counts.get(&verdict) { (n) " " (verdict.name()) br; }
            }
        }
    }
}

fn server_html(server: &ProbedServer) -> Markup {
    let findings: Vec<&ProbeCaseResult> = server.cases.iter().filter(|c| c.verdict.is_finding()).collect();
    html! {
        section id={ "probe-" (anchor(&server.name)) } {
            h3 { (Visible(&server.name)) }
            p {
                code { (Visible(&server.url)) }
                @if let Some(connect) = &server.connect { " via " code { (Visible(connect)) } }
                " — methods " (Visible(&server.signature_methods.join(", "))) " — " (Visible(&server.line()))
            }
            @if let Some(stopped) = &server.stopped { p.bad { "The battery stopped: " (Visible(stopped)) } }
            @if findings.is_empty() { p.note { "No findings: every case ok or skipped." } }
            @else {
                table {
                    tr { th { "case" } th { "family" } th { "verdict" } th { "status" } th { "diagnosis, request, replay" } }
                    @for case in findings { (case_row(case)) }
                }
            }
        }
    }
}

fn case_row(case: &ProbeCaseResult) -> Markup {
    let class = format!("sev-{}", case.severity.name());
    html! {
        tr {
            td { code { (Visible(&case.id)) } br; span.note { (Visible(&case.change)) } }
            td { (case.family.name()) }
            td class=(class) { (case.verdict.name()) " (" (case.severity.name()) ")" }
            td { @if let Some(status) = case.observed_status { (status) } }
            td {
                (Visible(&headline(case)))
                @if let Some(by) = &case.explained_by { br; "explained by " code { (Visible(by)) } }
                @if let Some(request) = &case.request {
                    details {
                        summary { "request as sent" }
                        pre {
                            (Visible(&format!("{} {}", request.method, request.target))) "\n"
                            @for (name, value) in &request.headers { (Visible(&format!("{name}: {value}"))) "\n" }
                            @if let Some(body) = &request.body { "\n" (Visible(body)) }
                        }
                    }
                }
                pre { "replay: " (Visible(&case.replay)) }
            }
        }
    }
}
