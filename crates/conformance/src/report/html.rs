//! The HTML report: one self-contained page (inline CSS, no script, no external resource),
//! written with `maud`'s auto-escaping templates: the matrix with each row's two verdicts and
//! its fingerprint, the run's metadata, every row's divergences grouped by what explains them
//! (a few examples in full, the other case ids folded into one text block each), and the quirk
//! catalogue. Sized for the full matrix: a few megabytes and a bounded number of DOM nodes,
//! however many cases diverge.
//!
//! Every string from a case, an implementation or an adapter is hostile input: it is written
//! through [`Visible`], which escapes markup and shows invisible characters (controls,
//! bidirectional overrides) as visible escapes, so it always renders as the text it is.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use maud::{html, Markup, PreEscaped, Render, DOCTYPE};

use super::{counts, divergence_groups, group_of, outcome_mark, Counts, Explained, Report};
use crate::diff::first_difference;
use crate::judge::OutcomeKind;
use crate::quirks::Quirk;
use crate::result::CaseResult;
use crate::verdict::RowVerdict;

/// Groups per row shown with a full example; the rest are listed in one block.
const GROUPS_IN_FULL: usize = 6;

/// The most further groups of a row listed one line each: a row whose divergences fall into
/// hundreds of quirk combinations would otherwise outweigh the rest of the page.
const GROUPS_LISTED: usize = 120;

/// Examples shown in full per unexplained group, and per group a quirk set explains.
const UNEXPLAINED_EXAMPLES: usize = 2;
const EXPLAINED_EXAMPLES: usize = 1;

/// Bytes of the shared prefix shown before the first difference of a stage.
const CONTEXT_BEFORE: usize = 80;

/// Bytes shown from the first difference on.
const CONTEXT_AFTER: usize = 240;

const STYLE: &str = "
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#111;background:#fff}
h1{font-size:1.6em}h2{border-bottom:2px solid #ccc;margin-top:2em}h3{margin-top:1.5em}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:3px 6px;vertical-align:top;text-align:left}
code,pre,.v{font-family:ui-monospace,monospace;font-size:13px}
pre{white-space:pre-wrap;word-break:break-all;background:#f6f6f6;padding:4px 6px;margin:.3em 0}
.v{white-space:pre-wrap;word-break:break-all}
mark{background:#ffb3b3;color:#000}.ctl{background:#ddd;color:#a00;border-radius:2px}
.elided,.note{color:#777;font-style:italic}
.pass{background:#d9f2d9}.acceptable{background:#fff2b3}.fail{background:#ffc7c7}.error{background:#f08080}
.skip{background:#e6e6e6}.unavailable{background:repeating-linear-gradient(45deg,#eee,#eee 6px,#ddd 6px,#ddd 12px)}
.n{display:inline-block;padding:0 4px;margin:1px;border-radius:3px;white-space:nowrap}
.ok{color:#060;font-weight:bold}.bad{color:#a00;font-weight:bold}
.case{border-left:4px solid #f08080;padding-left:8px;margin:1em 0}
.print{min-width:16em;max-width:28em}#matrix-table thead th{position:sticky;top:0;background:#fff}
.chip{display:inline-block;border:1px solid #aaa;border-radius:3px;padding:0 4px;margin:1px;white-space:nowrap}
details>summary{cursor:pointer}
";

/// Hostile text, rendered as the text it is: markup escaped, and every character that would
/// not show as itself (C0 and C1 controls, DEL, bidirectional and zero-width format
/// characters) as a visible `\u{…}` escape.
pub struct Visible<'a>(pub &'a str);

impl Render for Visible<'_> {
    fn render_to(&self, out: &mut String) {
        push_text(out, self.0);
    }
}

fn push_text(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("<span class=\"ctl\">\\n</span>\n"),
            '\t' => out.push_str("<span class=\"ctl\">\\t</span>"),
            '\r' => out.push_str("<span class=\"ctl\">\\r</span>"),
            c if c.is_control()
                || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}') =>
            {
                let _ = write!(out, "<span class=\"ctl\">\\u{{{:x}}}</span>", u32::from(c));
            }
            c => out.push(c),
        }
    }
}

/// An `id` attribute value for `name`: ASCII letters, digits and `-` kept, every other byte
/// as `_XX`, so distinct names give distinct ids and no name can break out of the attribute.
fn anchor(prefix: &str, name: &str) -> String {
    let mut id = String::from(prefix);
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' {
            id.push(char::from(b));
        } else {
            let _ = write!(id, "_{b:02x}");
        }
    }
    id
}

fn quirk_link(quirk: Quirk) -> Markup {
    html! { a href={ "#" (anchor("quirk-", quirk.id())) } { code { (quirk.id()) } } }
}

/// The largest char boundary of `s` at or below `index`.
fn floor_boundary(s: &str, index: usize) -> usize {
    let mut index = index.min(s.len());
    while !s.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// One side of a differing stage: the shared prefix plain, and from the first differing byte
/// `at` on inside `<mark>`. A multi-byte character holding that byte is marked whole. Long
/// values are cut to [`CONTEXT_BEFORE`] bytes before and [`CONTEXT_AFTER`] from it.
fn marked(value: &str, at: usize) -> Markup {
    let at = floor_boundary(value, at);
    let start = floor_boundary(value, at.saturating_sub(CONTEXT_BEFORE));
    let end = floor_boundary(value, at.saturating_add(CONTEXT_AFTER));
    html! {
        @if start > 0 { span.elided { "[" (start) " bytes]…" } }
        (Visible(value.get(start..at).unwrap_or_default()))
        @if at == value.len() { span.note { "⟨ends here⟩" } } @else { mark { (Visible(value.get(at..end).unwrap_or_default())) } }
        @if end < value.len() { span.elided { "…[" (value.len() - end) " more bytes]" } }
    }
}

/// `expected` and `actual` as HTML, each with the shared prefix plain and the rest marked
/// from the first differing byte on; equal values are both plain.
#[must_use]
pub fn highlight_difference(expected: &str, actual: &str) -> (String, String) {
    match first_difference(expected, actual) {
        Some(at) => (marked(expected, at).into_string(), marked(actual, at).into_string()),
        None => (html! { (Visible(expected)) }.into_string(), html! { (Visible(actual)) }.into_string()),
    }
}

/// Renders the whole page.
#[must_use]
pub fn render(report: &Report) -> String {
    if let Some(probe) = report.probe.as_ref().filter(|_| report.results.is_empty()) {
        return super::probe_html::page(probe);
    }
    let rows = report.rows();
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                title { "OAuth 1.0 conformance report" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                h1 { "OAuth 1.0 (RFC 5849) conformance report" }
                @if report.metadata.incomplete {
                    p.bad { "The run was interrupted: this report holds what was gathered until then." }
                }
                @if !report.is_live_only() {
                    p { (report.summary.line()) }
                    p { a href="#matrix" { "Matrix" } " · " a href="#run" { "Run" } " · " a href="#divergences" { "Divergences" } " · " a href="#catalogue" { "Quirk catalogue" } }
                    (matrix(report, &rows))
                    (metadata(report))
                    (divergences(report, &rows))
                    (catalogue(report))
                }
                @if let Some(probe) = &report.probe { (super::probe_html::section(probe)) }
                @if let Some(capture) = &report.capture { (super::capture::render::html(capture)) }
            }
        }
    }
    .into_string()
}

/// The matrix's columns: the vector files in run order, then `generated`.
fn columns(report: &Report) -> Vec<String> {
    let mut columns: Vec<String> = Vec::new();
    for result in &report.results {
        let group = group_of(result);
        if !columns.contains(&group) {
            columns.push(group);
        }
    }
    columns
}

/// The outcome a cell is coloured by: the worst one it counts.
fn cell_class(counts: &Counts) -> &'static str {
    [
        (counts.error, "error"),
        (counts.fail, "fail"),
        (counts.acceptable, "acceptable"),
        (counts.pass, "pass"),
        (counts.skip, "skip"),
    ]
    .into_iter()
    .find(|(n, _)| *n > 0)
    .map_or("", |(_, class)| class)
}

fn counts_html(counts: &Counts) -> Markup {
    html! {
        @for outcome in OutcomeKind::ALL {
            @let n = counts.get(outcome);
            @if n > 0 { span class={ "n " (outcome.name()) } { (n) (outcome_mark(outcome)) } " " }
        }
    }
}

fn verdict_html(verdict: Option<&RowVerdict>) -> Markup {
    let Some(verdict) = verdict else {
        return html! { span.note { "not judged" } };
    };
    html! {
        @if verdict.conformant { span.ok { "conforms to RFC 5849" } }
        @else { span.bad { "does not conform" } " (" (verdict.quirks.len()) " quirks, " (verdict.unexplained) " unexplained)" }
        br;
        @match &verdict.baseline {
            None => span.note { "no baseline checked" },
            Some(check) if check.clean() => { span.ok { "matches its baseline" } " (" (check.covered) " known divergences)" },
            Some(check) => {
                span.bad { "DIFFERS from its baseline" }
                @if !check.new_quirks.is_empty() { br; "new quirks: " @for (quirk, case) in &check.new_quirks { code { (Visible(quirk)) } " (e.g. " (Visible(case)) ") " } }
                @if !check.new_divergences.is_empty() { br; (check.new_divergences.len()) " new unexplained divergences" }
                @if !check.vanished_quirks.is_empty() { br; "vanished quirks: " @for quirk in &check.vanished_quirks { code { (Visible(quirk)) } " " } }
                @if !check.vanished_assigned.is_empty() { br; (check.vanished_assigned.len()) " assigned cases no longer diverge" }
            },
        }
    }
}

fn fingerprint_html(verdict: Option<&RowVerdict>) -> Markup {
    let Some(verdict) = verdict else { return html! {} };
    let mut quirks: Vec<(&Quirk, &usize)> = verdict.quirks.iter().collect();
    quirks.sort_by_key(|(quirk, n)| (std::cmp::Reverse(**n), **quirk));
    // One element per quirk: a row may show dozens.
    html! {
        @for (quirk, n) in quirks { a.chip href={ "#" (anchor("quirk-", quirk.id())) } { (quirk.id()) " ×" (n) } " " }
    }
}

fn matrix(report: &Report, rows: &[(&str, Vec<&CaseResult>)]) -> Markup {
    let columns = columns(report);
    html! {
        section #matrix {
            h2 { "Matrix" }
            p {
                "Legend: " @for outcome in OutcomeKind::ALL { span class={ "n " (outcome.name()) } { (outcome_mark(outcome)) " " (outcome.name()) } " " }
                "— each row says apart whether it conforms to RFC 5849 (no divergence at all) and whether it matches its baseline (the CI gate); the fingerprint counts the divergent cases each quirk explains."
            }
            table #matrix-table {
                thead { tr {
                    th { "implementation" } th { "verdicts" } th { "fingerprint" } th { "compared" }
                    @for column in &columns { th { (Visible(column.strip_suffix(".json").unwrap_or(column))) } }
                } }
                tbody {
                    @for (name, results) in rows {
                        @let verdict = report.verdict(name);
                        tr.implementation id=(anchor("row-", name)) {
                            th { a href={ "#" (anchor("impl-", name)) } { (Visible(name)) } }
                            td { (verdict_html(verdict)) }
                            td.print { (fingerprint_html(verdict)) }
                            td { @if let Some(v) = verdict { (v.coverage.compared) " (generated " (v.coverage.generated_compared) "/" (v.coverage.generated) ")" } }
                            @for column in &columns {
                                @let cell: Vec<&CaseResult> = results.iter().copied().filter(|r| group_of(r) == *column).collect();
                                @let counted = counts(&cell);
                                @if cell.is_empty() { td { "–" } } @else { td class=(cell_class(&counted)) { (counts_html(&counted)) } }
                            }
                        }
                    }
                    @for row in &report.metadata.unavailable {
                        tr.implementation id=(anchor("row-", &row.implementation)) {
                            th { (Visible(&row.implementation)) }
                            td { span.bad { "unavailable" } ": " span.v { (Visible(&row.reason)) } }
                            td {} td {}
                            @for _ in &columns { td.unavailable { "unavailable" } }
                        }
                    }
                }
            }
        }
    }
}

fn metadata(report: &Report) -> Markup {
    let m = &report.metadata;
    html! {
        section #run {
            h2 { "Run" }
            table {
                tr { th { "tool" } td { (Visible(&m.tool)) } }
                tr { th { "seed" } td { (m.seed) " (replay the run with --seed " (m.seed) ")" } }
                tr { th { "generated cases of each kind per implementation" } td { (m.generated_per_implementation) } }
                tr { th { "shards" } td { @for shard in &m.shards { (shard.index) "/" (shard.count) " " } } }
            }
            h3 { "Vector files" }
            table {
                tr { th { "file" } th { "cases" } th { "SHA-256" } }
                @for file in &m.vector_files { tr { td { code { (Visible(&file.path)) } } td { (file.cases) } td { code { (Visible(&file.sha256)) } } } }
            }
            h3 { "Implementations" }
            table {
                tr { th { "name" } th { "version" } th { "language" } th { "operations, methods, stages" } th { "how it is driven" } th { "seconds" } }
                @for row in &m.implementations {
                    @let caps = &row.info.capabilities;
                    tr {
                        td { (Visible(&row.info.name)) }
                        td { (Visible(&row.info.version)) }
                        td { (Visible(&row.info.language)) }
                        td.v { (Visible(&format!("{:?}; {}; {}", caps.operations, caps.signature_methods.join(", "), caps.stages.iter().map(|s| s.name()).collect::<Vec<_>>().join(", ")))) }
                        td { details { summary { "notes and limits" } div.v { (Visible(&serde_json::to_string(&caps.limits).unwrap_or_default())) " " (Visible(caps.notes.as_deref().unwrap_or_default())) } } }
                        td { (m.seconds.get(&row.info.name).map_or_else(String::new, |s| format!("{s:.2}"))) }
                    }
                }
            }
        }
    }
}

fn case_html(report: &Report, result: &CaseResult) -> Markup {
    let heading = format!(
        "{} — {} {} case from {}",
        result.case,
        result.outcome.name(),
        result.kind.as_str(),
        result.source.name()
    );
    html! {
        div.case {
            h5 { (Visible(&heading)) }
            @for diff in &result.diffs {
                @match (&diff.expected, &diff.actual) {
                    (Some(expected), Some(actual)) => {
                        @let (expected, actual) = highlight_difference(expected, actual);
                        p { code { (diff.field.name()) } }
                        div.v { "expected: " (PreEscaped(expected)) br; "actual:   " (PreEscaped(actual)) }
                    },
                    _ => p { code { (diff.field.name()) } " differs" @if let Some(earlier) = diff.follows { ", following from " (earlier.name()) } },
                }
            }
            @if let Some(message) = &result.message { pre { (Visible(message)) } }
            @if let Some(input) = result.shrunk.as_ref().and_then(|s| s.input.as_ref()) { pre { "shrunk to: " (Visible(&input.to_string())) } }
            pre { "replay: " (Visible(&report.replay(result))) }
        }
    }
}

fn group_html(report: &Report, explained: &Explained, cases: &[&CaseResult]) -> Markup {
    let examples =
        if matches!(explained, Explained::Unexplained(_)) { UNEXPLAINED_EXAMPLES } else { EXPLAINED_EXAMPLES };
    let rest: Vec<&str> = cases.iter().skip(examples).map(|r| r.case.as_str()).collect();
    html! {
        h4 {
            @match explained {
                Explained::Unexplained(_) => { span.bad { (explained.label()) } " (no catalogued quirk reproduces it)" },
                Explained::Quirks(quirks) => { "quirks " @for (i, quirk) in quirks.iter().enumerate() { @if i > 0 { " + " } (quirk_link(*quirk)) } },
                Explained::Behaviour(quirk) => { (quirk_link(*quirk)) " (by rule: no signing pipeline reproduces it)" },
            }
            " — " (cases.len()) " cases"
        }
        @for result in cases.iter().take(examples) { (case_html(report, result)) }
        @if !rest.is_empty() { details { summary { (rest.len()) " more cases" } pre { (Visible(&rest.join(" "))) } } }
    }
}

fn divergences(report: &Report, rows: &[(&str, Vec<&CaseResult>)]) -> Markup {
    html! {
        section #divergences {
            h2 { "Divergences" }
            @for (name, results) in rows {
                @let groups = divergence_groups(results);
                @if !groups.is_empty() {
                    @let total: usize = groups.iter().map(|(_, cases)| cases.len()).sum();
                    section id=(anchor("impl-", name)) {
                        h3 { (Visible(name)) " — " (total) " divergent cases in " (groups.len()) " groups " a href={ "#" (anchor("row-", name)) } { "↑ matrix" } }
                        @for (explained, cases) in groups.iter().take(GROUPS_IN_FULL) { (group_html(report, explained, cases)) }
                        @if groups.len() > GROUPS_IN_FULL {
                            details {
                                summary { (groups.len() - GROUPS_IN_FULL) " more groups (explanation, cases, example)" }
                                pre { @for (e, cases) in groups.iter().skip(GROUPS_IN_FULL).take(GROUPS_LISTED) {
                                    (Visible(&format!("{} — {} cases — e.g. {}", e.label(), cases.len(), cases.first().map_or("", |c| c.case.as_str())))) "\n"
                                }
                                @if groups.len() > GROUPS_IN_FULL + GROUPS_LISTED {
                                    "… " (groups.len() - GROUPS_IN_FULL - GROUPS_LISTED) " more: every group is in report.json\n"
                                } }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn catalogue(report: &Report) -> Markup {
    let mut seen: BTreeMap<Quirk, Vec<String>> = BTreeMap::new();
    for verdict in &report.verdicts {
        for (quirk, n) in &verdict.quirks {
            seen.entry(*quirk).or_default().push(format!("{} ×{n}", verdict.implementation));
        }
    }
    html! {
        section #catalogue {
            h2 { "Quirk catalogue" }
            table {
                tr { th { "id" } th { "RFC section" } th { "description" } th { "minimal vector" } th { "seen in this run" } }
                @for quirk in Quirk::ALL {
                    tr id=(anchor("quirk-", quirk.id())) {
                        td { code { (quirk.id()) } }
                        td { (quirk.section()) }
                        td { (quirk.description()) }
                        td { code { (quirk.minimal_vector()) } }
                        td { (Visible(&seen.get(quirk).map_or_else(String::new, |rows| rows.join(", ")))) }
                    }
                }
            }
        }
    }
}
