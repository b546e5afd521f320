//! `cargo xtask probe-matrix [--update-baseline] [--only NAME,...]`: the live-server matrix.
//! Starts `oauth1-conformance serve-http` and every live server of `adapters/*/adapter.json`
//! that is set up on free loopback ports, directly and once more behind the TLS-terminating
//! proxy, runs `oauth1-conformance probe` against each, checks each one's findings against
//! `adapters/baselines/live/NAME.json` (a new finding or a vanished one fails, as with the
//! function-level baselines), writes the reports under `target/conformance/live/`, and stops
//! everything: each process group is terminated and nothing may be left running or listening.
//!
//! Exit 0 when every baselined server matches its baseline, 1 when one differs, 2 when a
//! server cannot be started or stopped, a baselined server is not set up, or the harness
//! fails.

mod process;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::matrix::{manifests, Manifest, ServerManifest, TlsProxyManifest};
use crate::setup;
use process::{free_port, listening, Started};

/// The credentials every server gets unless its manifest names its own.
const SHARED_CREDENTIALS: &str = "adapters/servers-smoke/credentials.json";
/// Where the baselines live.
const BASELINES: &str = "adapters/baselines/live";
/// Where the reports go.
const OUT: &str = "target/conformance/live";
/// What every server of the matrix answers when it serves the resource (`"accepted": true`,
/// serve-http's `"verified": true`) or issues credentials (`oauth_token=`): a 2xx without it
/// (WEBrick answers 200 with an empty body when the application raises) is no acceptance.
const ACCEPTED_BODY: &str = r#""(accepted|verified)": ?true|(^|&)oauth_token="#;
/// The longest a probe run may take before it is killed (its own timeouts bound it well below).
const PROBE_DEADLINE: Duration = Duration::from_secs(300);

/// One server of the matrix, direct or behind the proxy.
struct Row {
    name: String,
    /// The start command, `{port}` still to fill.
    command: String,
    credentials: PathBuf,
    proxied: bool,
    flow: bool,
    two_legged: bool,
    methods: &'static [&'static str],
    ready: Result<(), String>,
}

/// What one row's run found.
struct RowOutcome {
    name: String,
    seconds: f64,
    requests: u64,
    findings: usize,
    verdict: String,
    failed: bool,
    error: bool,
}

fn rows(root: &Path, manifests: &[Manifest], proxy: Option<&(TlsProxyManifest, bool)>) -> Vec<Row> {
    let binary = root.join("target/release/oauth1-conformance");
    let reference = |behind_proxy: bool| {
        format!(
            "{} serve-http --listen 127.0.0.1:{{port}} --credentials {{credentials}}{}",
            binary.display(),
            if behind_proxy { " --behind-proxy" } else { "" }
        )
    };
    let proxy_ready = proxy.is_some_and(|(_, ready)| *ready);
    let proxy_name = proxy.map_or("nginx-tls", |(p, _)| p.name.as_str());
    let mut rows = Vec::new();
    for proxied in [false, true] {
        let suffix = if proxied { format!("+{proxy_name}") } else { String::new() };
        let not_proxied = |ready: bool| {
            if proxied && !proxy_ready {
                Err("the TLS proxy (adapters/tls-proxy) is not set up: run `cargo xtask setup --all`".to_owned())
            } else if ready {
                Ok(())
            } else {
                Err("not set up: run `cargo xtask setup --all`".to_owned())
            }
        };
        rows.push(Row {
            name: format!("reference{suffix}"),
            command: reference(proxied),
            credentials: root.join(SHARED_CREDENTIALS),
            proxied,
            flow: true,
            two_legged: false,
            methods: &["HMAC-SHA1", "HMAC-SHA256", "HMAC-SHA512", "PLAINTEXT"],
            ready: not_proxied(true),
        });
        for manifest in manifests {
            let ready = setup::is_ready(manifest, root);
            for server in manifest.servers.iter().filter(|s| proxied || !s.https_only) {
                rows.push(server_row(root, server, &suffix, proxied, not_proxied(ready)));
            }
        }
    }
    rows
}

fn server_row(root: &Path, server: &ServerManifest, suffix: &str, proxied: bool, ready: Result<(), String>) -> Row {
    Row {
        name: format!("{}{suffix}", server.name),
        command: Manifest::fill(&server.command, root),
        credentials: root.join(server.credentials.as_deref().unwrap_or(SHARED_CREDENTIALS)),
        proxied,
        flow: server.flow,
        two_legged: server.two_legged,
        methods: &["HMAC-SHA1"],
        ready,
    }
}

/// The consumer key, token and secrets of a credentials file (its first consumer).
struct Creds {
    key: String,
    secret: String,
    token: Option<(String, String)>,
    verifier: Option<String>,
}

fn creds(path: &Path) -> Result<Creds, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let doc: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let consumer = &doc["consumers"][0];
    let key = consumer["key"].as_str().ok_or_else(|| format!("{}: no consumers[0].key", path.display()))?;
    let token = doc["tokens"].as_array().and_then(|tokens| {
        tokens.iter().find(|t| t["consumer_key"] == key).map(|t| {
            (t["token"].as_str().unwrap_or_default().to_owned(), t["secret"].as_str().unwrap_or_default().to_owned())
        })
    });
    Ok(Creds {
        key: key.to_owned(),
        secret: consumer["secret"].as_str().unwrap_or_default().to_owned(),
        token,
        verifier: doc["verifier"].as_str().map(str::to_owned),
    })
}

/// Runs the probe against `base` for `row`; the exit code, or why it did not run.
fn run_probe(root: &Path, row: &Row, base: &str, report: &Path, log: &Path) -> Result<i32, String> {
    let creds = creds(&row.credentials)?;
    let mut command = Command::new(root.join("target/release/oauth1-conformance"));
    command
        .current_dir(root)
        .args(["probe", "--url", &format!("{base}/probe/photos?file=vacation.jpg&size=original")])
        .args(["--consumer-key", &creds.key, "--name", &row.name, "--allow-unsafe-methods"])
        .args(["--accept-body", ACCEPTED_BODY])
        .arg("--report")
        .arg(format!("json:{}", report.display()))
        .env("OAUTH1_CONSUMER_SECRET", &creds.secret)
        .env_remove("OAUTH1_RSA_PRIVATE_KEY_FILE")
        .env_remove("OAUTH1_VERIFIER");
    for method in row.methods {
        command.args(["--signature-method", method]);
    }
    match (&creds.token, row.two_legged) {
        (Some((token, secret)), false) => {
            command.args(["--token", token]).env("OAUTH1_TOKEN_SECRET", secret);
        }
        _ => {
            command.env_remove("OAUTH1_TOKEN_SECRET");
        }
    }
    if row.flow {
        command.args(["--initiate-url", &format!("{base}/initiate"), "--token-url", &format!("{base}/token")]);
        if let Some(verifier) = &creds.verifier {
            command.env("OAUTH1_VERIFIER", verifier);
        }
    }
    if row.proxied {
        command.arg("--insecure");
    }
    let out = fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
    let err = out.try_clone().map_err(|e| e.to_string())?;
    command.stdin(Stdio::null()).stdout(out).stderr(err);
    process::run_with_deadline(&mut command, PROBE_DEADLINE)
}

/// A finding as a baseline records it.
fn findings(report: &Value) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for case in report["probe"]["servers"][0]["cases"].as_array().into_iter().flatten() {
        let verdict = case["verdict"].as_str().unwrap_or_default();
        if matches!(verdict, "ok" | "skip") {
            continue;
        }
        let mut finding = json!({"verdict": verdict});
        if let Some(by) = case["explained_by"].as_str() {
            finding["explained_by"] = json!(by);
        }
        out.insert(case["id"].as_str().unwrap_or_default().to_owned(), finding);
    }
    out
}

/// What differs between a baseline's findings and the run's: (new, vanished), each with its
/// case id; a finding whose verdict or explanation changed is both.
fn compare(baseline: &Value, found: &BTreeMap<String, Value>) -> (Vec<String>, Vec<String>) {
    let same = |a: &Value, b: &Value| a["verdict"] == b["verdict"] && a["explained_by"] == b["explained_by"];
    let known = baseline["findings"].as_object().cloned().unwrap_or_default();
    let label = |id: &str, f: &Value| match f["explained_by"].as_str() {
        Some(by) => format!("{id} ({}, {by})", f["verdict"].as_str().unwrap_or_default()),
        None => format!("{id} ({})", f["verdict"].as_str().unwrap_or_default()),
    };
    let new = found
        .iter()
        .filter(|(id, f)| !known.get(*id).is_some_and(|k| same(k, f)))
        .map(|(id, f)| label(id, f))
        .collect();
    let vanished = known
        .iter()
        .filter(|(id, k)| !found.get(*id).is_some_and(|f| same(k, f)))
        .map(|(id, k)| label(id, k))
        .collect();
    (new, vanished)
}

/// Writes the run's findings as `name`'s baseline, keeping the notes of findings that stay.
fn write_baseline(path: &Path, name: &str, found: &BTreeMap<String, Value>, old: Option<&Value>) -> Result<(), String> {
    let mut findings = serde_json::Map::new();
    for (id, finding) in found {
        let mut finding = finding.clone();
        if let Some(note) = old.and_then(|o| o["findings"][id]["note"].as_str()) {
            finding["note"] = json!(note);
        }
        findings.insert(id.clone(), finding);
    }
    let doc = json!({"server": name, "findings": findings});
    let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())? + "\n";
    fs::create_dir_all(path.parent().unwrap_or(Path::new("."))).map_err(|e| e.to_string())?;
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Starts `row` (and the proxy in front of it), probes it, stops both.
fn probe_row(root: &Path, row: &Row, proxy: Option<&TlsProxyManifest>, out: &Path) -> Result<(i32, PathBuf), String> {
    let port = free_port()?;
    let command = row
        .command
        .replace("{port}", &port.to_string())
        .replace("{credentials}", &row.credentials.display().to_string());
    let server = Started::start(
        &row.name,
        &command,
        root,
        &format!("listening on http://127.0.0.1:{port}"),
        &out.join(format!("{}.server.log", row.name)),
    )?;
    let mut proxy_process = None;
    let result = (|| {
        let base = match (row.proxied, proxy) {
            (false, _) => format!("http://127.0.0.1:{port}"),
            (true, None) => return Err("no TLS proxy".to_owned()),
            (true, Some(proxy)) => {
                let proxy_port = free_port()?;
                let cert_dir = out.join(format!("{}.cert", row.name));
                let command = Manifest::fill(&proxy.command, root)
                    .replace("{port}", &proxy_port.to_string())
                    .replace("{backend}", &format!("127.0.0.1:{port}"))
                    .replace("{cert_dir}", &cert_dir.display().to_string());
                let expected = format!("listening on https://127.0.0.1:{proxy_port}");
                let log = out.join(format!("{}.proxy.log", row.name));
                proxy_process = Some((Started::start(&proxy.name, &command, root, &expected, &log)?, proxy_port));
                format!("https://127.0.0.1:{proxy_port}")
            }
        };
        let report = out.join(format!("{}.json", row.name));
        let _ = fs::remove_file(&report);
        let code = run_probe(root, row, &base, &report, &out.join(format!("{}.probe.log", row.name)))?;
        Ok((code, report))
    })();
    let mut stopped = Ok(());
    if let Some((proxy, proxy_port)) = proxy_process {
        stopped = stopped.and(proxy.stop()).and(if listening(proxy_port) {
            Err(format!("port {proxy_port} is still listening"))
        } else {
            Ok(())
        });
    }
    stopped = stopped.and(server.stop()).and(if listening(port) {
        Err(format!("{}: port {port} is still listening", row.name))
    } else {
        Ok(())
    });
    stopped?;
    result
}

/// Probes one row and judges it against its baseline.
fn judge_row(root: &Path, row: &Row, proxy: Option<&TlsProxyManifest>, out: &Path, update: bool) -> RowOutcome {
    let baseline_path = root.join(BASELINES).join(format!("{}.json", row.name));
    let baseline: Option<Value> = fs::read_to_string(&baseline_path).ok().and_then(|t| serde_json::from_str(&t).ok());
    let mut outcome = RowOutcome {
        name: row.name.clone(),
        seconds: 0.0,
        requests: 0,
        findings: 0,
        verdict: String::new(),
        failed: false,
        error: false,
    };
    if let Err(why) = &row.ready {
        outcome.verdict = format!("unavailable: {why}");
        outcome.error = baseline.is_some();
        return outcome;
    }
    let started = Instant::now();
    let probed = probe_row(root, row, proxy, out);
    let report = probed
        .as_ref()
        .ok()
        .and_then(|(_, path)| fs::read_to_string(path).ok())
        .and_then(|t| serde_json::from_str::<Value>(&t).ok());
    let (code, report) = match (probed, report) {
        (Err(e), _) => {
            outcome.verdict = format!("error: {e}");
            outcome.error = true;
            return outcome;
        }
        (Ok((code, _)), None) => {
            outcome.verdict =
                format!("error: the probe exited {code} without a report (see {}/{}.probe.log)", OUT, row.name);
            outcome.error = true;
            return outcome;
        }
        (Ok((code, _)), Some(report)) => (code, report),
    };
    let server = &report["probe"]["servers"][0];
    outcome.seconds = server["seconds"].as_f64().unwrap_or_default();
    outcome.requests = server["requests"].as_u64().unwrap_or_default();
    let found = findings(&report);
    outcome.findings = found.len();
    let total = started.elapsed().as_secs_f64();
    if update {
        outcome.verdict = match write_baseline(&baseline_path, &row.name, &found, baseline.as_ref()) {
            Ok(()) => format!("baseline written (probe exit {code}, {total:.1} s with start and stop)"),
            Err(e) => {
                outcome.error = true;
                format!("error: {e}")
            }
        };
        return outcome;
    }
    let Some(baseline) = baseline else {
        outcome.verdict = format!("no baseline (probe exit {code}): run `cargo xtask probe-matrix --update-baseline`");
        return outcome;
    };
    let (new, vanished) = compare(&baseline, &found);
    outcome.failed = !new.is_empty() || !vanished.is_empty();
    outcome.verdict = if outcome.failed {
        format!("DIFFERS from its baseline: new {new:?}, vanished {vanished:?}")
    } else {
        format!("matches its baseline (probe exit {code}, {total:.1} s with start and stop)")
    };
    outcome
}

/// The matrix report: every server's report in one, in every format.
fn merge_reports(root: &Path, out: &Path, rows: &[RowOutcome]) -> Result<(), String> {
    let reports: Vec<PathBuf> =
        rows.iter().map(|r| out.join(format!("{}.json", r.name))).filter(|p| p.is_file()).collect();
    if reports.is_empty() {
        return Ok(());
    }
    let status = Command::new(root.join("target/release/oauth1-conformance"))
        .current_dir(root)
        .args(["report", "probe-merge"])
        .args(&reports)
        .arg("--report")
        .arg(format!("json:{}", out.join("report.json").display()))
        .arg("--report")
        .arg(format!("junit:{}", out.join("junit.xml").display()))
        .arg("--report")
        .arg(format!("markdown:{}", out.join("summary.md").display()))
        .arg("--report")
        .arg(format!("html:{}", out.join("report.html").display()))
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run oauth1-conformance report probe-merge: {e}"))?;
    // 1 only says a server has a failing case, which the baselines judge.
    if matches!(status.code(), Some(0 | 1)) {
        Ok(())
    } else {
        Err(format!("oauth1-conformance report probe-merge exited {status}"))
    }
}

fn parse_args(args: &[String]) -> Result<(bool, Option<Vec<String>>), String> {
    let (mut update, mut only) = (false, None);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--update-baseline" => update = true,
            "--only" => only = Some(args.next().ok_or("--only NAME,...")?.split(',').map(str::to_owned).collect()),
            other => {
                return Err(format!(
                    "unknown argument {other:?}; usage: cargo xtask probe-matrix [--update-baseline] [--only NAME,...]"
                ))
            }
        }
    }
    Ok((update, only))
}

/// Runs the matrix; `args` as the module documentation says.
pub(crate) fn run(args: &[String]) -> ExitCode {
    let (update, only) = match parse_args(args) {
        Ok(parsed) => parsed,
        Err(e) => {
            eprintln!("xtask: {e}");
            return ExitCode::from(2);
        }
    };
    let root = setup::workspace_root();
    let started = Instant::now();
    let prepared = crate::conformance::build_release(&root).and_then(|()| manifests(&root));
    let manifests = match prepared {
        Ok(manifests) => manifests,
        Err(e) => {
            eprintln!("xtask: {e}");
            return ExitCode::from(2);
        }
    };
    let proxy = manifests.iter().find_map(|m| m.tls_proxy.clone().map(|p| (p, setup::is_ready(m, &root))));
    let out = root.join(OUT);
    if let Err(e) = fs::create_dir_all(&out) {
        eprintln!("xtask: {}: {e}", out.display());
        return ExitCode::from(2);
    }
    let rows = rows(&root, &manifests, proxy.as_ref());
    if let Some(unknown) = only.iter().flatten().find(|name| !rows.iter().any(|r| &r.name == *name)) {
        let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        eprintln!("xtask: --only {unknown}: no such server (the matrix has {})", names.join(", "));
        return ExitCode::from(2);
    }
    let mut outcomes = Vec::new();
    for row in rows {
        if only.as_ref().is_some_and(|names| !names.contains(&row.name)) {
            continue;
        }
        let outcome = judge_row(&root, &row, proxy.as_ref().map(|(p, _)| p), &out, update);
        println!(
            "{:<48} {:>5.2} s {:>4} requests {:>3} findings  {}",
            outcome.name, outcome.seconds, outcome.requests, outcome.findings, outcome.verdict
        );
        outcomes.push(outcome);
    }
    let merged = merge_reports(&root, &out, &outcomes);
    println!(
        "server matrix: {} servers in {:.1} s; reports in {}",
        outcomes.len(),
        started.elapsed().as_secs_f64(),
        out.display()
    );
    if let Err(e) = merged {
        eprintln!("xtask: {e}");
        return ExitCode::from(2);
    }
    if outcomes.iter().any(|o| o.error) {
        ExitCode::from(2)
    } else if outcomes.iter().any(|o| o.failed) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_finding_a_vanished_one_and_a_changed_one_differ() {
        let baseline = json!({"server": "s", "findings": {
            "replay-same-request": {"verdict": "fail", "note": "app"},
            "valid-form-body": {"verdict": "fail", "explained_by": "quirk:ignores-form-body"},
            "time-window": {"verdict": "informational"},
        }});
        let mut found = BTreeMap::new();
        found.insert("replay-same-request".to_owned(), json!({"verdict": "fail"}));
        found.insert("valid-form-body".to_owned(), json!({"verdict": "fail", "explained_by": "quirk:ignores-query"}));
        found.insert("time-stale-24h".to_owned(), json!({"verdict": "fail"}));
        let (new, vanished) = compare(&baseline, &found);
        assert_eq!(new, ["time-stale-24h (fail)", "valid-form-body (fail, quirk:ignores-query)"]);
        assert_eq!(vanished, ["time-window (informational)", "valid-form-body (fail, quirk:ignores-form-body)"]);
        found.remove("time-stale-24h");
        found.insert(
            "valid-form-body".to_owned(),
            json!({"verdict": "fail", "explained_by": "quirk:ignores-form-body"}),
        );
        found.insert("time-window".to_owned(), json!({"verdict": "informational"}));
        assert_eq!(compare(&baseline, &found), (Vec::<String>::new(), Vec::<String>::new()));
    }

    #[test]
    fn findings_are_the_cases_neither_ok_nor_skipped() {
        let report = json!({"probe": {"servers": [{"cases": [
            {"id": "a", "verdict": "ok"}, {"id": "b", "verdict": "skip"},
            {"id": "c", "verdict": "non-strict"}, {"id": "d", "verdict": "fail", "explained_by": "rebuild:port-dropped"},
        ]}]}});
        let found = findings(&report);
        assert_eq!(found.keys().collect::<Vec<_>>(), ["c", "d"]);
        assert_eq!(found["d"]["explained_by"], "rebuild:port-dropped");
    }
}
