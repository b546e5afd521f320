//! The HTML report (`--report html:PATH`): escaping of hostile case data, one matrix row per
//! implementation, the marked first difference, the grouping of divergences, its size on a
//! run the size of the full matrix; and a real run rendered by headless Chromium.
//!
//! The browser test needs the Debian package `chromium` (`cargo xtask setup --all` installs
//! it), so it is ignored unless the `external` feature is on, as it is in CI; it is then
//! reported as not run, never as passed. With the feature on, a missing Chromium fails it.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use oauth1_conformance::baseline::Baseline;
use oauth1_conformance::case::{CaseSource, Shard};
use oauth1_conformance::implementation::{Capabilities, ImplementationInfo, Operation};
use oauth1_conformance::judge::{Diff, Field, OutcomeKind};
use oauth1_conformance::quirks::Quirk;
use oauth1_conformance::report::html::{highlight_difference, render};
use oauth1_conformance::report::{Report, RowInfo, RunMetadata, Summary, Unavailable, VectorFileInfo, REPORT_VERSION};
use oauth1_conformance::result::CaseResult;
use oauth1_conformance::session::Driver;
use oauth1_conformance::trace::Stage;
use oauth1_conformance::verdict::RowVerdict;
use oauth1_vectors::CaseKind;

const HOSTILE_NAME: &str = "<script>alert(\"row\")</script>&amp;\u{1}\u{202e}é";
const HOSTILE_CASE: &str = "<img src=x onerror=alert(1)>'\"";

fn info(name: &str) -> ImplementationInfo {
    ImplementationInfo {
        name: name.into(),
        version: "1.0".into(),
        language: "rust".into(),
        capabilities: Capabilities {
            operations: vec![Operation::Sign],
            signature_methods: vec!["HMAC-SHA1".into()],
            stages: vec![Stage::SignatureBaseString, Stage::Signature],
            can_omit_version: true,
            body_hash: false,
            reports_rejection_reasons: false,
            emits_own_nonce_timestamp: false,
            limits: oauth1_conformance::limits::InputLimits::default(),
            notes: Some("</td></tr></table><b>notes</b>".into()),
        },
    }
}

fn result(implementation: &str, case: &str, outcome: OutcomeKind, quirks: Option<&[Quirk]>) -> CaseResult {
    let diffs = if outcome == OutcomeKind::Fail {
        vec![Diff::new(Field::Stage(Stage::SignatureBaseString), "GET&x%3D1", "GET&x%3D2")]
    } else {
        Vec::new()
    };
    CaseResult {
        case: case.into(),
        implementation: implementation.into(),
        outcome,
        kind: CaseKind::Sign,
        source: if case.starts_with("generated:") {
            CaseSource::Generated
        } else {
            CaseSource::Vector("vectors/x.json".into())
        },
        flags: Vec::new(),
        diffs,
        message: None,
        failure: None,
        quirks: quirks.map(<[Quirk]>::to_vec),
        behaviour: None,
        ties: Vec::new(),
        search_cut_short: false,
        same_as: None,
        shrunk: None,
        trace: None,
    }
}

fn metadata(implementations: &[&str], unavailable: &[(&str, &str)]) -> RunMetadata {
    RunMetadata {
        tool: "oauth1-conformance test".into(),
        seed: 7,
        generated_per_implementation: 20,
        shards: vec![Shard::WHOLE],
        implementations: implementations.iter().map(|n| RowInfo { info: info(n), driver: Driver::InProcess }).collect(),
        unavailable: unavailable
            .iter()
            .map(|(n, r)| Unavailable { implementation: (*n).into(), reason: (*r).into() })
            .collect(),
        vector_files: vec![VectorFileInfo { path: "vectors/x.json".into(), sha256: "ab".repeat(32), cases: 12 }],
        seconds: BTreeMap::new(),
        timings: BTreeMap::new(),
        incomplete: false,
        faults: BTreeMap::new(),
        ruled_out: BTreeMap::new(),
    }
}

fn report(results: Vec<CaseResult>, metadata: RunMetadata, verdicts: Vec<RowVerdict>) -> Report {
    let summary = Summary::of(&results);
    Report { version: REPORT_VERSION, metadata, verdicts, summary, results, probe: None, capture: None }
}

fn verdicts(results: &[CaseResult], names: &[&str]) -> Vec<RowVerdict> {
    names
        .iter()
        .map(|name| {
            let mine: Vec<CaseResult> = results.iter().filter(|r| r.implementation == *name).cloned().collect();
            RowVerdict::of(name, &mine, None)
        })
        .collect()
}

#[test]
fn hostile_strings_render_as_text() {
    let mut failing = result(HOSTILE_NAME, HOSTILE_CASE, OutcomeKind::Fail, None);
    failing.diffs[0].expected = Some("a<b>\u{0}\u{7f}\u{85}\u{2066}".into());
    failing.diffs[0].actual = Some("a<i>\r\n\t".into());
    failing.message = Some("</pre><script>x()</script>".into());
    let results = vec![failing, result(HOSTILE_NAME, "ok", OutcomeKind::Pass, None)];
    let metadata = metadata(&[HOSTILE_NAME], &[("<u>down</u>", "</td>\u{1b}[31m `apt-get install x`")]);
    let html = render(&report(results, metadata, Vec::new()));

    for raw in ["<script", "<img", "<b>", "<i>", "<u>", "</td></tr></table><b>"] {
        assert!(!html.contains(raw), "{raw:?} reached the page unescaped");
    }
    for escaped in [
        "&lt;script&gt;alert(&quot;row&quot;)&lt;/script&gt;&amp;amp;",
        "&lt;img src=x onerror=alert(1)&gt;&#39;&quot;",
        "&lt;/pre&gt;&lt;script&gt;x()&lt;/script&gt;",
        "&lt;u&gt;down&lt;/u&gt;",
    ] {
        assert!(html.contains(escaped), "{escaped:?} is missing");
    }
    // Every invisible character is shown as an escape, and none is written raw.
    for (raw, shown) in [
        ('\u{1}', "\\u{1}"),
        ('\u{202e}', "\\u{202e}"),
        ('\u{0}', "\\u{0}"),
        ('\u{7f}', "\\u{7f}"),
        ('\u{85}', "\\u{85}"),
        ('\u{2066}', "\\u{2066}"),
        ('\u{1b}', "\\u{1b}"),
        ('\r', "\\r"),
        ('\t', "\\t"),
    ] {
        assert!(!html.contains(raw), "{raw:?} written raw");
        assert!(html.contains(shown), "{shown:?} is missing");
    }
    assert!(html.contains('é'), "non-ASCII text is kept as itself");
}

#[test]
fn every_row_is_in_the_matrix_with_both_verdicts() {
    let results = vec![
        result("alpha", "c1", OutcomeKind::Fail, Some(&[Quirk::OmitsRealm])),
        result("alpha", "generated:8", OutcomeKind::Skip, None),
        result("beta", "c1", OutcomeKind::Acceptable, None),
        result("beta", "c2", OutcomeKind::Error, None),
    ];
    // delta ran and answered no case: it still has its row.
    let metadata =
        metadata(&["alpha", "beta", "delta"], &[("gamma", "adapters/gamma is not set up: run `make gamma`")]);
    let alpha: Vec<CaseResult> = results.iter().filter(|r| r.implementation == "alpha").cloned().collect();
    let baseline = Baseline {
        implementation: "alpha".into(),
        quirks: [("omits-realm".to_owned(), vec!["c1".to_owned()])].into(),
        assigned: BTreeMap::new(),
        unexplained: Vec::new(),
    };
    let mut verdicts = verdicts(&results, &["beta", "delta"]);
    verdicts.insert(0, RowVerdict::of("alpha", &alpha, Some(&baseline)));
    let html = render(&report(results, metadata, verdicts));
    let matrix = &html[html.find("<table id=\"matrix-table\">").unwrap()..];
    let matrix = &matrix[..matrix.find("</table>").unwrap()];
    assert_eq!(matrix.matches("<tr class=\"implementation\"").count(), 4, "{matrix}");
    for row in ["row-alpha", "row-beta", "row-gamma", "row-delta"] {
        assert!(matrix.contains(&format!("id=\"{row}\"")), "{row} is missing");
    }
    assert!(matrix.contains("<th>x</th><th>generated</th>"), "{matrix}");
    assert!(matrix.contains("<span class=\"n acceptable\">1~</span>"), "{matrix}");
    assert!(matrix.contains("<span class=\"n error\">1!</span>"), "{matrix}");
    assert!(matrix.contains("run `make gamma`"), "{matrix}");
    // alpha matches its baseline, and is still not called conformant: it has a quirk.
    let alpha_row = &matrix[matrix.find("id=\"row-alpha\"").unwrap()..matrix.find("id=\"row-beta\"").unwrap()];
    assert!(alpha_row.contains("does not conform") && alpha_row.contains("matches its baseline"), "{alpha_row}");
    assert!(!alpha_row.contains("conforms to RFC 5849"), "{alpha_row}");
    assert!(alpha_row.contains("<a class=\"chip\" href=\"#quirk-omits-realm\">omits-realm ×1</a>"), "{alpha_row}");
    assert!(html.contains("<tr id=\"quirk-omits-realm\">"));
    let delta_row = &matrix[matrix.find("id=\"row-delta\"").unwrap()..];
    assert!(delta_row.contains("conforms to RFC 5849"), "{delta_row}");
    assert!(html.contains("<section id=\"impl-beta\">"));
}

#[test]
fn the_mark_starts_at_the_first_differing_byte() {
    // Byte 8 is the first that differs (`1` against `2`); everything before it is shared.
    assert_eq!(
        highlight_difference("GET&a%3D1&b", "GET&a%3D2&b"),
        ("GET&amp;a%3D<mark>1&amp;b</mark>".to_owned(), "GET&amp;a%3D<mark>2&amp;b</mark>".to_owned())
    );
    assert_eq!(highlight_difference("x", "y"), ("<mark>x</mark>".to_owned(), "<mark>y</mark>".to_owned()));
    // A value that stops where the other goes on: nothing of it differs, its end is noted.
    let (shorter, longer) = highlight_difference("abc", "abcd");
    assert_eq!(longer, "abc<mark>d</mark>");
    assert!(shorter.starts_with("abc<span class=\"note\">"), "{shorter}");
    // é (C3 A9) and è (C3 A8) differ in their second byte: the character holding it is marked.
    assert_eq!(
        highlight_difference("caf\u{e9}", "caf\u{e8}"),
        ("caf<mark>\u{e9}</mark>".to_owned(), "caf<mark>\u{e8}</mark>".to_owned())
    );
    assert_eq!(highlight_difference("same", "same"), ("same".to_owned(), "same".to_owned()));
}

#[test]
fn divergences_are_grouped_by_explanation_with_a_few_examples() {
    let mut results: Vec<CaseResult> = (0..10)
        .map(|i| result("alpha", &format!("generated:{}", 100 + i), OutcomeKind::Fail, Some(&[Quirk::OmitsRealm])))
        .collect();
    for case in ["lonely-1", "lonely-2", "lonely-3"] {
        results.push(result("alpha", case, OutcomeKind::Fail, None));
    }
    let verdicts = verdicts(&results, &["alpha"]);
    let html = render(&report(results, metadata(&["alpha"], &[]), verdicts));
    let section = &html[html.find("<section id=\"impl-alpha\">").unwrap()..];
    let unexplained = section.find("unexplained, first difference at signature_base_string</span>").unwrap();
    let quirk = section.find("<h4>quirks <a href=\"#quirk-omits-realm\">").unwrap();
    assert!(unexplained < quirk, "the unexplained group comes first");
    assert_eq!(section.matches("<div class=\"case\">").count(), 3, "two unexplained examples, one explained");
    assert!(section.contains("<summary>1 more cases</summary><pre>lonely-3</pre>"), "{section}");
    assert!(section.contains("<summary>9 more cases</summary><pre>generated:101 generated:102"));
    assert!(section.contains("oauth1-conformance run --impl alpha --case generated:100"));
    assert!(section.contains("oauth1-conformance run --impl alpha --vectors vectors/x.json --case lonely-1"));
    assert!(html.contains("<a class=\"chip\" href=\"#quirk-omits-realm\">omits-realm ×10</a>"));
}

/// A report the size of the full matrix (38 rows, 2,761 cases each, most divergent, in many
/// explanation groups) stays within 3 MB and 20,000 DOM nodes.
#[test]
fn the_full_matrix_stays_small() {
    let quirks = Quirk::ALL.iter().copied().filter(|q| q.is_switchable()).collect::<Vec<_>>();
    let names: Vec<String> = (0..38).map(|i| format!("row-{i}")).collect();
    let mut results = Vec::new();
    for (r, name) in names.iter().enumerate() {
        for i in 0..2_761_usize {
            let case = if i < 381 { format!("edge-case-{i}") } else { format!("generated:{}", 1_481_179_137 + i) };
            let outcome = if i % 4 == 0 { OutcomeKind::Pass } else { OutcomeKind::Fail };
            // Sixty explanation groups per row: one or two quirks, or none.
            let set = [quirks[(i + r) % quirks.len()], quirks[(i / 7 + r) % quirks.len()]];
            let explained = match i % 60 {
                0 => None,
                k if k % 2 == 0 => Some(&set[..1]),
                _ => Some(&set[..]),
            };
            results.push(result(name, &case, outcome, explained));
        }
    }
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let verdicts = verdicts(&results, &refs);
    let html = render(&report(results, metadata(&refs, &[]), verdicts));
    assert!(html.len() <= 3_000_000, "{} bytes", html.len());
    // Elements and text nodes: every `<tag` opens an element; every run of text between tags
    // is at most one text node.
    let elements = html.matches('<').count() - html.matches("</").count();
    let texts =
        html.split('<').filter(|piece| piece.split_once('>').is_some_and(|(_, text)| !text.trim().is_empty())).count();
    assert!(elements + texts <= 20_000, "{elements} elements and {texts} text nodes");
}

/// `program` on `PATH`, if it is there.
fn on_path(program: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?).map(|dir| dir.join(program)).find(|p| p.is_file())
}

/// Runs `command` with stdout into `stdout`, killing it after `limit`.
fn run_limited(command: &mut Command, stdout: &Path, limit: Duration) -> std::process::ExitStatus {
    let mut child = command
        .stdout(Stdio::from(fs::File::create(stdout).unwrap()))
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{command:?} cannot start: {e}"));
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{command:?} did not finish in {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
#[cfg_attr(
    not(feature = "external"),
    ignore = "needs chromium (`cargo xtask setup --all`); run with --features external"
)]
fn a_real_run_renders_in_headless_chromium() {
    let chromium = on_path("chromium").unwrap_or_else(|| {
        panic!(
            "chromium is not installed: run `apt-get -o DPkg::Lock::Timeout=600 install -y chromium` (or `cargo xtask setup --all`)"
        )
    });
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap().to_path_buf();
    let out = target.join("conformance");
    fs::create_dir_all(&out).unwrap();
    let html = out.join("browser-test-report.html");
    let screenshot = out.join("report.png");
    let _ = fs::remove_file(&html);
    let _ = fs::remove_file(&screenshot);
    let implementations = ["reference", "oauth-1a", "oauth1-header", "oauth1-client"];
    let mut run = Command::new(env!("CARGO_BIN_EXE_oauth1-conformance"));
    run.arg("run").args(["--vectors"]).arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../vectors"));
    for name in implementations {
        run.args(["--impl", name]);
    }
    run.args(["--generated", "50", "--quiet", "--report"]).arg(format!("html:{}", html.display()));
    let status = run_limited(&mut run, &out.join("browser-test-run.txt"), Duration::from_secs(600));
    // The peers diverge from the reference, so the run exits 1 (2 would be bad input).
    assert_eq!(status.code(), Some(1), "{run:?}");

    let profile = std::env::temp_dir().join(format!("oauth1-html-chromium-{}", std::process::id()));
    let chromium_with = |extra: &[String], stdout: &Path| {
        let mut command = Command::new(&chromium);
        command
            .args(["--headless", "--no-sandbox", "--disable-gpu"])
            .arg(format!("--user-data-dir={}", profile.display()))
            .args(extra)
            .arg(format!("file://{}", html.display()));
        let status = run_limited(&mut command, stdout, Duration::from_secs(120));
        assert!(status.success(), "{command:?}: {status}");
    };
    let dom_path = out.join("browser-test-dom.html");
    chromium_with(&["--dump-dom".into()], &dom_path);
    let dom = fs::read_to_string(&dom_path).unwrap();
    let matrix = &dom[dom.find("<table id=\"matrix-table\">").expect("the DOM has the matrix")..];
    let matrix = &matrix[..matrix.find("</table>").unwrap()];
    assert_eq!(matrix.matches("<tr class=\"implementation\"").count(), implementations.len(), "{matrix}");
    for name in implementations {
        assert!(matrix.contains(&format!("<tr class=\"implementation\" id=\"row-{name}\"><th>")), "{name}: {matrix}");
        assert!(matrix.contains(&format!(">{name}</")), "{name} is not named in its row");
    }
    chromium_with(
        &[format!("--screenshot={}", screenshot.display()), "--window-size=1400,2000".into()],
        &out.join("browser-test-screenshot.txt"),
    );
    let _ = fs::remove_dir_all(&profile);
    let size = fs::metadata(&screenshot).map(|m| m.len()).unwrap_or(0);
    // A blank 1400×2000 page is about 13 kB as a PNG; the report's tables are far more.
    assert!(size > 50_000, "{}: {size} bytes", screenshot.display());
}
