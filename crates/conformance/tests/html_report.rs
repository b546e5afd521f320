//! The HTML report (`--report html:PATH`): escaping of hostile case data, one matrix row per
//! implementation, the marked first difference, the grouping of divergences; and a real run
//! rendered by headless Chromium.
//!
//! The browser test needs the Debian package `chromium` (`cargo xtask setup --all` installs
//! it), so it is ignored unless the `external` feature is on, as it is in CI; it is then
//! reported as not run, never as passed. With the feature on, a missing Chromium fails it.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use oauth1_conformance::baseline::BaselineCheck;
use oauth1_conformance::implementation::{Capabilities, ImplementationInfo, Operation};
use oauth1_conformance::judge::{Diff, OutcomeKind};
use oauth1_conformance::report::html::{highlight_difference, render_html, HtmlInput};
use oauth1_conformance::report::{RunMetadata, Unavailable, VectorFileInfo};
use oauth1_conformance::runner::CaseResult;
use oauth1_conformance::session::{Driver, RowVerdict};
use oauth1_conformance::trace::Stage;

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
            notes: Some("</td></tr></table><b>notes</b>".into()),
        },
    }
}

fn result(implementation: &str, case: &str, outcome: OutcomeKind, quirks: Option<&[&str]>) -> CaseResult {
    let diffs = if outcome == OutcomeKind::Fail {
        vec![Diff { field: "signature_base_string".into(), expected: "GET&x%3D1".into(), actual: "GET&x%3D2".into() }]
    } else {
        Vec::new()
    };
    CaseResult {
        case: case.into(),
        implementation: implementation.into(),
        outcome,
        kind: "sign",
        file: if case.starts_with("generated:") { "generated".into() } else { "vectors/x.json".into() },
        flags: Vec::new(),
        diffs,
        message: None,
        quirks: quirks.map(|q| q.iter().map(|s| (*s).to_owned()).collect()),
        behaviour: None,
        actual: None,
    }
}

fn metadata(implementations: &[&str], unavailable: &[(&str, &str)]) -> RunMetadata {
    RunMetadata {
        tool: "oauth1-conformance test".into(),
        seed: 7,
        generated_per_implementation: 20,
        implementations: implementations.iter().map(|n| info(n)).collect(),
        unavailable: unavailable
            .iter()
            .map(|(n, r)| Unavailable { implementation: (*n).into(), reason: (*r).into() })
            .collect(),
        vector_files: vec![VectorFileInfo { path: "vectors/x.json".into(), sha256: "ab".repeat(32), cases: 12 }],
        seconds: BTreeMap::new(),
    }
}

fn render(results: &[CaseResult], metadata: &RunMetadata, verdicts: &[RowVerdict]) -> String {
    let drivers: BTreeMap<String, Driver> =
        metadata.implementations.iter().map(|i| (i.name.clone(), Driver::InProcess)).collect();
    render_html(&HtmlInput { results, metadata, verdicts, drivers: &drivers })
}

#[test]
fn hostile_strings_render_as_text() {
    let mut failing = result(HOSTILE_NAME, HOSTILE_CASE, OutcomeKind::Fail, None);
    failing.diffs[0].expected = "a<b>\u{0}\u{7f}\u{85}\u{2066}".into();
    failing.diffs[0].actual = "a<i>\r\n\t".into();
    failing.message = Some("</pre><script>x()</script>".into());
    let results = [failing, result(HOSTILE_NAME, "ok", OutcomeKind::Pass, None)];
    let metadata = metadata(&[HOSTILE_NAME], &[("<u>down</u>", "</td>\u{1b}[31m `apt-get install x`")]);
    let html = render(&results, &metadata, &[]);

    for raw in ["<script", "<img", "<b>", "<i>", "<u>", "</td></tr></table><b>"] {
        assert!(!html.contains(raw), "{raw:?} reached the page unescaped");
    }
    for escaped in [
        "&lt;script&gt;alert(&quot;row&quot;)&lt;/script&gt;&amp;amp;",
        "&lt;img src=x onerror=alert(1)&gt;&apos;&quot;",
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
fn every_row_is_in_the_matrix() {
    let results = [
        result("alpha", "c1", OutcomeKind::Pass, None),
        result("alpha", "generated:8", OutcomeKind::Skip, None),
        result("beta", "c1", OutcomeKind::Acceptable, None),
        result("beta", "c2", OutcomeKind::Error, None),
    ];
    // delta ran and answered no case: it still has its row.
    let metadata =
        metadata(&["alpha", "beta", "delta"], &[("gamma", "adapters/gamma is not set up: run `make gamma`")]);
    let verdicts = [RowVerdict {
        implementation: "alpha".into(),
        baseline: Some(BaselineCheck { vanished_quirks: vec!["omits-realm".into()], ..BaselineCheck::default() }),
        conformant: false,
    }];
    let html = render(&results, &metadata, &verdicts);
    let matrix = &html[html.find("<table id=\"matrix-table\">").unwrap()..];
    let matrix = &matrix[..matrix.find("</table>").unwrap()];
    assert_eq!(matrix.matches("<tr class=\"implementation\"").count(), 4, "{matrix}");
    for row in ["row-alpha", "row-beta", "row-gamma", "row-delta"] {
        assert!(matrix.contains(&format!("id=\"{row}\"")), "{row} is missing");
    }
    // The columns: the vector file and the generated cases, each counted per outcome.
    assert!(matrix.contains("<th>x</th><th>generated</th>"), "{matrix}");
    assert!(matrix.contains("<span class=\"n acceptable\">1~</span>"), "{matrix}");
    assert!(matrix.contains("<span class=\"n error\">1!</span>"), "{matrix}");
    assert!(matrix.contains("12 unavailable"), "{matrix}");
    assert!(matrix.contains("20 unavailable"), "{matrix}");
    assert!(matrix.contains("run `make gamma`"), "{matrix}");
    // alpha's verdict names the vanished quirk and links it to the catalogue, which has it.
    assert!(matrix.contains("1 vanished quirks</span>: <a href=\"#quirk-omits-realm\">"), "{matrix}");
    assert!(html.contains("<tr id=\"quirk-omits-realm\">"));
    // beta has no verdict (not baselined) and one divergence, unexplained.
    assert!(matrix.contains("not baselined yet"), "{matrix}");
    assert!(matrix.contains("1 unexplained of 1 divergences; 0.0% attributed"), "{matrix}");
    assert!(html.contains("<section id=\"impl-beta\">"));
    assert!(matrix.contains("<a href=\"#impl-beta\">beta</a>"), "{matrix}");
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
fn divergences_are_grouped_by_quirk_set_with_a_few_examples() {
    let mut results: Vec<CaseResult> = (0..10)
        .map(|i| result("alpha", &format!("generated:{}", 100 + i), OutcomeKind::Fail, Some(&["omits-realm"])))
        .collect();
    for case in ["lonely-1", "lonely-2", "lonely-3", "lonely-4"] {
        results.push(result("alpha", case, OutcomeKind::Fail, None));
    }
    let html = render(&results, &metadata(&["alpha"], &[]), &[]);
    let section = &html[html.find("<section id=\"impl-alpha\">").unwrap()..];
    let unexplained = section.find("unexplained</span>").unwrap();
    let quirk = section.find("<h4>quirks <a href=\"#quirk-omits-realm\">").unwrap();
    assert!(unexplained < quirk, "the unexplained group comes first");
    assert_eq!(section.matches("<div class=\"case\">").count(), 4, "three unexplained examples, one explained");
    assert!(section.contains("1 more cases: <code>lonely-4</code>"));
    assert!(section.contains("9 more cases: <code>generated:101, generated:102, generated:103, generated:104, generated:105, generated:106, generated:107, generated:108, generated:109</code>"));
    assert!(section.contains("oauth1-conformance run --impl alpha --generated 1 --seed 100"));
    assert!(section.contains("oauth1-conformance run --impl alpha --vectors vectors/x.json"));
    assert!(
        html.contains("<span class=\"chip\"><a href=\"#quirk-omits-realm\"><code>omits-realm</code></a> ×10</span>")
    );
    assert!(html.contains("4 unexplained of 14 divergences; 71.4% attributed"));
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
