//! The HTML report: one self-contained page (inline CSS, no script, no external resource)
//! with the run's metadata, the implementation × vector-group matrix with each row's verdict
//! and quirk fingerprint, the divergences grouped by the quirk set that explains them, and the
//! quirk catalogue.
//!
//! Every string from a case, an implementation or an adapter is hostile input: it is written
//! only through [`push_text`], which escapes markup and shows invisible characters (controls,
//! bidirectional overrides) as visible escapes, so it always renders as the text it is.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{group_of, markup_entity, outcome_mark, summary_line, Counts, RunMetadata, Summary};
use crate::baseline::is_divergence;
use crate::diff::first_difference;
use crate::judge::OutcomeKind;
use crate::quirks::{Quirk, QuirkInfo};
use crate::runner::CaseResult;
use crate::session::{generated_case_seed, Driver, RowVerdict};

/// Divergent cases shown in full per group of unexplained divergences, and per group a quirk
/// set explains (a full run has over a thousand such groups); the rest are listed by id.
const UNEXPLAINED_EXAMPLES: usize = 3;
const EXPLAINED_EXAMPLES: usize = 1;

/// Bytes of the shared prefix shown before the first difference of a stage.
const CONTEXT_BEFORE: usize = 80;

/// Bytes shown from the first difference on.
const CONTEXT_AFTER: usize = 240;

/// Ids listed in a verdict cell before "and N more".
const VERDICT_IDS: usize = 8;

/// Everything the HTML report shows.
#[derive(Debug, Clone, Copy)]
pub struct HtmlInput<'a> {
    /// Every result.
    pub results: &'a [CaseResult],
    /// The run.
    pub metadata: &'a RunMetadata,
    /// Per implementation with a verdict: the baseline comparison.
    pub verdicts: &'a [RowVerdict],
    /// How each row is driven, by name, for the replay commands.
    pub drivers: &'a BTreeMap<String, Driver>,
}

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
";

/// Renders the whole page.
#[must_use]
pub fn render_html(input: &HtmlInput<'_>) -> String {
    let mut out = String::from("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<title>OAuth 1.0 conformance report</title>\n<style>");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n<h1>OAuth 1.0 (RFC 5849) conformance report</h1>\n<p>");
    push_text(&mut out, &summary_line(&Summary::of(input.results).total));
    out.push_str(
        "</p>\n<p><a href=\"#matrix\">Matrix</a> · <a href=\"#run\">Run</a> · <a href=\"#divergences\">Divergences</a> · \
         <a href=\"#catalogue\">Quirk catalogue</a></p>\n",
    );
    let rows = rows(input.metadata, input.results);
    write_matrix(&mut out, input, &rows);
    write_metadata(&mut out, input.metadata);
    write_divergences(&mut out, input, &rows);
    write_catalogue(&mut out, &rows);
    out.push_str("</body>\n</html>\n");
    out
}

/// One implementation's results, in run order.
struct RowResults<'a> {
    name: &'a str,
    results: Vec<&'a CaseResult>,
}

/// Every implementation that ran, in run order (one that answered no case included), with
/// its results.
fn rows<'a>(metadata: &'a RunMetadata, results: &'a [CaseResult]) -> Vec<RowResults<'a>> {
    let mut rows: Vec<RowResults<'_>> =
        metadata.implementations.iter().map(|i| RowResults { name: &i.name, results: Vec::new() }).collect();
    for result in results {
        match rows.iter_mut().find(|r| r.name == result.implementation) {
            Some(row) => row.results.push(result),
            None => rows.push(RowResults { name: &result.implementation, results: vec![result] }),
        }
    }
    rows
}

/// What explains a divergence: a quirk set whose pipeline reproduces it, a behavioural quirk
/// assigned by rule, or nothing. Unexplained sorts first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Explanation {
    Unexplained,
    Quirks(Vec<String>),
    ByRule(String),
}

fn explanation(result: &CaseResult) -> Explanation {
    match (&result.quirks, &result.behaviour) {
        (Some(quirks), _) => Explanation::Quirks(quirks.clone()),
        (None, Some(behaviour)) => Explanation::ByRule(behaviour.clone()),
        (None, None) => Explanation::Unexplained,
    }
}

/// A row's divergences grouped by explanation: unexplained first, then the largest groups.
fn divergence_groups<'a>(row: &RowResults<'a>) -> Vec<(Explanation, Vec<&'a CaseResult>)> {
    let mut groups: BTreeMap<Explanation, Vec<&CaseResult>> = BTreeMap::new();
    for result in row.results.iter().copied().filter(|r| is_divergence(r)) {
        groups.entry(explanation(result)).or_default().push(result);
    }
    let mut groups: Vec<_> = groups.into_iter().collect();
    groups
        .sort_by_key(|(explanation, cases)| (*explanation != Explanation::Unexplained, std::cmp::Reverse(cases.len())));
    groups
}

/// A row's fingerprint: each quirk with the divergent cases it explains, the divergences no
/// quirk explains, and all divergences.
struct Fingerprint {
    quirks: BTreeMap<String, usize>,
    unexplained: usize,
    divergences: usize,
}

fn fingerprint(row: &RowResults<'_>) -> Fingerprint {
    let mut print = Fingerprint { quirks: BTreeMap::new(), unexplained: 0, divergences: 0 };
    for result in row.results.iter().filter(|r| is_divergence(r)) {
        print.divergences += 1;
        match explanation(result) {
            Explanation::Unexplained => print.unexplained += 1,
            Explanation::Quirks(quirks) => {
                for quirk in quirks {
                    *print.quirks.entry(quirk).or_default() += 1;
                }
            }
            Explanation::ByRule(quirk) => *print.quirks.entry(quirk).or_default() += 1,
        }
    }
    print
}

/// Writes `text` as HTML text content: markup characters escaped, and every character that
/// would not show as itself (C0 and C1 controls, DEL, bidirectional and zero-width format
/// characters) as a visible `\u{…}` escape, so hostile input reads as the text it is.
fn push_text(out: &mut String, text: &str) {
    for c in text.chars() {
        if let Some(entity) = markup_entity(c) {
            out.push_str(entity);
            continue;
        }
        match c {
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

fn text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_text(&mut out, text);
    out
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

fn quirk_link(id: &str) -> String {
    match Quirk::from_id(id) {
        Some(_) => format!("<a href=\"#{}\"><code>{}</code></a>", anchor("quirk-", id), text(id)),
        None => format!("<code>{}</code>", text(id)),
    }
}

/// The largest char boundary of `s` at or below `index`.
fn floor_boundary(s: &str, index: usize) -> usize {
    let mut index = index.min(s.len());
    while !s.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// One side of a differing stage as HTML: the shared prefix plain, and from the first
/// differing byte `at` on inside `<mark>`. A multi-byte character holding that byte is marked
/// whole. Long values are cut to [`CONTEXT_BEFORE`] bytes before and [`CONTEXT_AFTER`] from it.
fn marked(value: &str, at: usize) -> String {
    let at = floor_boundary(value, at);
    let start = floor_boundary(value, at.saturating_sub(CONTEXT_BEFORE));
    let end = floor_boundary(value, at.saturating_add(CONTEXT_AFTER));
    let mut out = String::new();
    if start > 0 {
        let _ = write!(out, "<span class=\"elided\">[{start} bytes]…</span>");
    }
    push_text(&mut out, value.get(start..at).unwrap_or_default());
    if at == value.len() {
        out.push_str("<span class=\"note\">⟨ends here⟩</span>");
    } else {
        out.push_str("<mark>");
        push_text(&mut out, value.get(at..end).unwrap_or_default());
        out.push_str("</mark>");
    }
    if end < value.len() {
        let _ = write!(out, "<span class=\"elided\">…[{} more bytes]</span>", value.len() - end);
    }
    out
}

/// `expected` and `actual` as HTML, each with the shared prefix plain and the rest marked
/// from the first differing byte on (see [`marked`]); equal values are both plain.
#[must_use]
pub fn highlight_difference(expected: &str, actual: &str) -> (String, String) {
    match first_difference(expected, actual) {
        Some(at) => (marked(expected, at), marked(actual, at)),
        None => (text(expected), text(actual)),
    }
}

fn write_metadata(out: &mut String, metadata: &RunMetadata) {
    out.push_str("<section id=\"run\">\n<h2>Run</h2>\n<table>\n");
    for (label, value) in [
        ("tool", metadata.tool.clone()),
        ("seed", format!("{} (replay the run with --seed {})", metadata.seed, metadata.seed)),
        ("generated cases per implementation", metadata.generated_per_implementation.to_string()),
    ] {
        let _ = writeln!(out, "<tr><th>{label}</th><td>{}</td></tr>", text(&value));
    }
    out.push_str("</table>\n<h3>Vector files</h3>\n<table>\n<tr><th>file</th><th>cases</th><th>SHA-256</th></tr>\n");
    for file in &metadata.vector_files {
        let path = format!("<code>{}</code>", text(&file.path));
        let sha256 = format!("<code>{}</code>", text(&file.sha256));
        push_row(out, &[&path, &file.cases.to_string(), &sha256]);
    }
    out.push_str("</table>\n<h3>Implementations</h3>\n<table>\n<tr><th>name</th><th>version</th><th>language</th>");
    out.push_str("<th>operations</th><th>signature methods</th><th>stages</th><th>notes</th><th>seconds</th></tr>\n");
    for info in &metadata.implementations {
        let caps = &info.capabilities;
        let operations: Vec<String> = caps.operations.iter().map(|o| format!("{o:?}")).collect();
        let stages: Vec<&str> = caps.stages.iter().map(|s| s.name()).collect();
        let mut flags = Vec::new();
        for (flag, note) in [
            (caps.can_omit_version, "can omit oauth_version"),
            (caps.body_hash, "computes oauth_body_hash"),
            (caps.reports_rejection_reasons, "reports rejection reasons"),
            (caps.emits_own_nonce_timestamp, "chooses its own nonce and timestamp"),
        ] {
            if flag {
                flags.push(note.to_owned());
            }
        }
        let seconds = metadata.seconds.get(&info.name).map_or_else(String::new, |s| format!("{s:.2}"));
        let name = format!("<a href=\"#{}\">{}</a>", anchor("row-", &info.name), text(&info.name));
        push_row(
            out,
            &[
                &name,
                &text(&info.version),
                &text(&info.language),
                &text(&operations.join(", ")),
                &text(&caps.signature_methods.join(", ")),
                &text(&stages.join(", ")),
                &capability_notes(&flags, caps.notes.as_deref()),
                &seconds,
            ],
        );
    }
    out.push_str("</table>\n");
    if !metadata.unavailable.is_empty() {
        out.push_str("<h3>Unavailable</h3>\n<table>\n<tr><th>name</th><th>reason</th></tr>\n");
        for row in &metadata.unavailable {
            push_row(out, &[&text(&row.implementation), &format!("<pre>{}</pre>", text(&row.reason))]);
        }
        out.push_str("</table>\n");
    }
    out.push_str("</section>\n");
}

/// A table row of `cells`, each already HTML.
fn push_row(out: &mut String, cells: &[&str]) {
    out.push_str("<tr>");
    for cell in cells {
        let _ = write!(out, "<td>{cell}</td>");
    }
    out.push_str("</tr>\n");
}

/// The capability flags, and the implementation's own notes folded (they run long).
fn capability_notes(flags: &[String], notes: Option<&str>) -> String {
    let mut out = text(&flags.join("; "));
    if let Some(notes) = notes {
        let _ = write!(out, "<details><summary>how it is driven</summary>{}</details>", text(notes));
    }
    out
}

/// The matrix's columns: the vector files in run order, then `generated`, then any other
/// group a result names.
fn groups(metadata: &RunMetadata, results: &[CaseResult]) -> Vec<(String, usize)> {
    let mut groups: Vec<(String, usize)> = metadata
        .vector_files
        .iter()
        .map(|f| {
            let name = std::path::Path::new(&f.path)
                .file_name()
                .map_or_else(|| f.path.clone(), |n| n.to_string_lossy().into_owned());
            (name, f.cases)
        })
        .collect();
    if metadata.generated_per_implementation > 0 {
        groups.push(("generated".into(), usize::try_from(metadata.generated_per_implementation).unwrap_or(usize::MAX)));
    }
    for result in results {
        let group = group_of(result);
        if !groups.iter().any(|(g, _)| *g == group) {
            groups.push((group, 0));
        }
    }
    groups
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

fn counts_html(counts: &Counts) -> String {
    let mut out = String::new();
    for outcome in OutcomeKind::ALL {
        let n = counts.get(outcome);
        if n > 0 {
            let _ = write!(out, "<span class=\"n {}\">{n}{}</span> ", outcome.name(), outcome_mark(outcome));
        }
    }
    out
}

fn verdict_html(verdict: Option<&RowVerdict>) -> String {
    let Some(verdict) = verdict else {
        return "<span class=\"note\">not baselined yet: reported, not gating</span>".into();
    };
    let mut out = if verdict.conformant {
        "<span class=\"ok\">conformant</span>".to_owned()
    } else {
        "<span class=\"bad\">not conformant</span>".to_owned()
    };
    let Some(check) = &verdict.baseline else {
        out.push_str(" (no baseline: any divergence counts)");
        return out;
    };
    let _ = write!(out, "<br>{} known divergences", check.covered);
    let list = |ids: &mut dyn Iterator<Item = String>, count: usize| -> String {
        let shown: Vec<String> = ids.take(VERDICT_IDS).collect();
        let more = count.saturating_sub(shown.len());
        let more = if more > 0 { format!(", and {more} more") } else { String::new() };
        format!("{}{more}", shown.join(", "))
    };
    let new_quirks = check.new_quirks.len();
    for (label, count, ids) in [
        (
            "new divergences",
            check.new_divergences.len(),
            list(&mut check.new_divergences.iter().map(|c| text(c)), check.new_divergences.len()),
        ),
        (
            "new quirks",
            new_quirks,
            list(
                &mut check.new_quirks.iter().map(|(q, c)| format!("{} (e.g. {})", quirk_link(q), text(c))),
                new_quirks,
            ),
        ),
        (
            "vanished quirks",
            check.vanished_quirks.len(),
            list(&mut check.vanished_quirks.iter().map(|q| quirk_link(q)), check.vanished_quirks.len()),
        ),
        (
            "assigned cases that no longer diverge",
            check.vanished_assigned.len(),
            list(&mut check.vanished_assigned.iter().map(|c| text(c)), check.vanished_assigned.len()),
        ),
    ] {
        if count > 0 {
            let _ = write!(out, "<br><span class=\"bad\">{count} {label}</span>: {ids}");
        }
    }
    out
}

fn fingerprint_html(print: &Fingerprint) -> String {
    if print.divergences == 0 {
        return "no divergences".into();
    }
    let mut out = String::new();
    let mut quirks: Vec<(&String, &usize)> = print.quirks.iter().collect();
    quirks.sort_by_key(|(id, n)| (std::cmp::Reverse(**n), (*id).clone()));
    for (id, n) in quirks {
        let _ = write!(out, "<span class=\"chip\">{} ×{n}</span> ", quirk_link(id));
    }
    let explained = print.divergences - print.unexplained;
    let percent = explained as f64 * 100.0 / print.divergences as f64;
    let _ = write!(
        out,
        "<br>{} unexplained of {} divergences; {percent:.1}% attributed",
        print.unexplained, print.divergences
    );
    out
}

fn write_matrix(out: &mut String, input: &HtmlInput<'_>, rows: &[RowResults<'_>]) {
    let groups = groups(input.metadata, input.results);
    out.push_str("<section id=\"matrix\">\n<h2>Matrix</h2>\n<p>Legend: ");
    for outcome in OutcomeKind::ALL {
        let _ = write!(out, "<span class=\"n {0}\">{1} {0}</span> ", outcome.name(), outcome_mark(outcome));
    }
    out.push_str(
        "<span class=\"n unavailable\">unavailable</span> — a cell counts its cases by outcome and takes the \
         colour of the worst. The verdict compares the row with its baseline; the fingerprint counts the divergent \
         cases each quirk explains. An implementation's name links to its divergences.</p>\n",
    );
    out.push_str("<table id=\"matrix-table\">\n<thead><tr><th>implementation</th><th>verdict</th><th>fingerprint</th>");
    for (group, _) in &groups {
        let _ = write!(out, "<th>{}</th>", text(group.strip_suffix(".json").unwrap_or(group)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        let mut cells: BTreeMap<String, Counts> = BTreeMap::new();
        for result in &row.results {
            cells.entry(group_of(result)).or_default().add(result.outcome);
        }
        let print = fingerprint(row);
        let name = if print.divergences > 0 {
            format!("<a href=\"#{}\">{}</a>", anchor("impl-", row.name), text(row.name))
        } else {
            text(row.name)
        };
        let verdict = input.verdicts.iter().find(|v| v.implementation == row.name);
        let _ = write!(
            out,
            "<tr class=\"implementation\" id=\"{}\"><th>{name}</th><td>{}</td><td class=\"print\">{}</td>",
            anchor("row-", row.name),
            verdict_html(verdict),
            fingerprint_html(&print)
        );
        for (group, _) in &groups {
            match cells.get(group) {
                Some(counts) => {
                    let _ = write!(out, "<td class=\"{}\">{}</td>", cell_class(counts), counts_html(counts));
                }
                None => out.push_str("<td>–</td>"),
            }
        }
        out.push_str("</tr>\n");
    }
    for row in &input.metadata.unavailable {
        let _ = write!(
            out,
            "<tr class=\"implementation\" id=\"{}\"><th>{}</th>",
            anchor("row-", &row.implementation),
            text(&row.implementation)
        );
        let _ = write!(
            out,
            "<td><span class=\"bad\">unavailable</span>: <span class=\"v\">{}</span></td><td></td>",
            text(&row.reason)
        );
        for (_, cases) in &groups {
            let _ = write!(out, "<td class=\"unavailable\"><span class=\"n\">{cases} unavailable</span></td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

/// How to run `result` again: the generated case's own replay command, or the vector file
/// and case id with the command that replays that file.
fn replay_html(result: &CaseResult, driver: Option<&Driver>) -> String {
    match (generated_case_seed(&result.case), driver) {
        (Some(seed), Some(driver)) => {
            format!("<pre>{}</pre>", text(&driver.replay_generated(&result.implementation, seed)))
        }
        (Some(_), None) => String::new(),
        (None, driver) => {
            let mut out = format!("case <code>{}</code> of <code>{}</code>", text(&result.case), text(&result.file));
            if let Some(driver) = driver {
                let command = format!(
                    "oauth1-conformance run {} --vectors {}",
                    driver.arguments(&result.implementation),
                    crate::session::shell_quote(&result.file)
                );
                let _ = write!(out, "<pre>{}</pre>", text(&command));
            }
            out
        }
    }
}

fn write_case(out: &mut String, result: &CaseResult, driver: Option<&Driver>) {
    let _ = writeln!(
        out,
        "<div class=\"case\"><h5><code>{}</code> <span class=\"n {}\">{}</span> {} case from <code>{}</code></h5>",
        text(&result.case),
        result.outcome.name(),
        result.outcome.name(),
        result.kind,
        text(&result.file)
    );
    if !result.diffs.is_empty() {
        out.push_str(
            "<table class=\"stages\">\n<tr><th>stage</th><th></th><th>value (differing bytes marked)</th></tr>\n",
        );
        for diff in &result.diffs {
            let (expected, actual) = highlight_difference(&diff.expected, &diff.actual);
            let _ = writeln!(
                out,
                "<tr><th rowspan=\"2\"><code>{}</code></th><td>expected</td><td class=\"v\">{expected}</td></tr>\n<tr><td>actual</td><td class=\"v\">{actual}</td></tr>",
                text(&diff.field)
            );
        }
        out.push_str("</table>\n");
    }
    if let Some(message) = &result.message {
        let _ = writeln!(out, "<p>message:</p><pre>{}</pre>", text(message));
    }
    let _ = writeln!(out, "<div>replay: {}</div></div>", replay_html(result, driver));
}

fn explanation_html(explanation: &Explanation) -> String {
    match explanation {
        Explanation::Unexplained => "<span class=\"bad\">unexplained</span> (no catalogued quirk reproduces it)".into(),
        Explanation::Quirks(quirks) => {
            format!("quirks {}", quirks.iter().map(|q| quirk_link(q)).collect::<Vec<_>>().join(" + "))
        }
        Explanation::ByRule(quirk) => {
            format!("{} (assigned by rule: no signing pipeline reproduces it)", quirk_link(quirk))
        }
    }
}

fn write_divergences(out: &mut String, input: &HtmlInput<'_>, rows: &[RowResults<'_>]) {
    out.push_str("<section id=\"divergences\">\n<h2>Divergences</h2>\n");
    let mut any = false;
    for row in rows {
        let groups = divergence_groups(row);
        if groups.is_empty() {
            continue;
        }
        any = true;
        let total: usize = groups.iter().map(|(_, cases)| cases.len()).sum();
        let _ = writeln!(
            out,
            "<section id=\"{}\">\n<h3>{} — {total} divergent cases in {} groups <a href=\"#{}\">↑ matrix</a></h3>",
            anchor("impl-", row.name),
            text(row.name),
            groups.len(),
            anchor("row-", row.name)
        );
        let driver = input.drivers.get(row.name);
        for (explanation, cases) in &groups {
            let _ = writeln!(out, "<h4>{} — {} cases</h4>", explanation_html(explanation), cases.len());
            let examples =
                if *explanation == Explanation::Unexplained { UNEXPLAINED_EXAMPLES } else { EXPLAINED_EXAMPLES };
            for result in cases.iter().take(examples) {
                write_case(out, result, driver);
            }
            if cases.len() > examples {
                let rest: Vec<String> = cases.iter().skip(examples).map(|r| text(&r.case)).collect();
                let _ = writeln!(out, "<p>{} more cases: <code>{}</code></p>", rest.len(), rest.join(", "));
            }
        }
        out.push_str("</section>\n");
    }
    if !any {
        out.push_str("<p>No divergences.</p>\n");
    }
    out.push_str("</section>\n");
}

fn write_catalogue(out: &mut String, rows: &[RowResults<'_>]) {
    let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in rows {
        for (quirk, n) in fingerprint(row).quirks {
            seen.entry(quirk).or_default().push(format!("{} ×{n}", text(row.name)));
        }
    }
    out.push_str("<section id=\"catalogue\">\n<h2>Quirk catalogue</h2>\n<table>\n");
    out.push_str("<tr><th>id</th><th>RFC section</th><th>description</th><th>minimal vector</th><th>seen in this run</th></tr>\n");
    for quirk in Quirk::ALL {
        let info = QuirkInfo::from(*quirk);
        let _ = writeln!(
            out,
            "<tr id=\"{}\"><td><code>{}</code></td><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
            anchor("quirk-", info.id),
            text(info.id),
            text(info.section),
            text(info.description),
            text(info.minimal_vector),
            seen.get(info.id).map_or_else(String::new, |rows| rows.join(", "))
        );
    }
    out.push_str("</table>\n</section>\n");
}
