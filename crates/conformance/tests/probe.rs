//! `oauth1-conformance probe` against servers on loopback: the reference (`serve-http`'s
//! verifier) is all `ok`; small servers written here on `oauth1-wire`, each broken one way a
//! deployed server is (the signature ignored, nonces never checked, any timestamp, `http://`
//! verified behind https, the port dropped, the form body ignored), are each caught in the
//! right family or with the right diagnosis. Expected verdicts come from RFC 5849 (what each
//! broken server leaves out), not from the probe. The secrets are distinctive strings, and no
//! output or report may hold one. Every server stops before its test ends.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use oauth1_conformance::live::credentials::Credentials;
use oauth1_conformance::live::serve_http::{start, ReferenceServer, ServeHttpOptions};
use oauth1_reference::verify::{
    parse_request, Credentials as VerifierCredentials, InMemoryNonceStore, IncomingRequest, NonceStore,
    TimestampPolicy, TimestampWindow, Verifier,
};
use oauth1_wire::server::{serve, ReceivedRequest, Response, ServerConfig, ServerHandle};
use oauth1_wire::tls::ThrowawayCa;
use serde_json::Value;

const CONSUMER_KEY: &str = "probeConsumerKey2024abcd";
const TOKEN: &str = "probeAccessToken2024wxyz";
const CONSUMER_SECRET: &str = "Zq9-consumer-SECRET-7731";
const TOKEN_SECRET: &str = "Wx4-token-SECRET-0042";
const VERIFIER: &str = "Vv8verifierSECRET5511xyz";
const API_KEY: &str = "Kk2-APIKEY-SECRET-9090";

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join(name)
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("oauth1-probe-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn credentials() -> Credentials {
    let public = std::fs::read_to_string(data("generator-rsa-1024.pub.pem")).unwrap();
    Credentials::from_json(
        &serde_json::json!({
            "consumers": [{"key": CONSUMER_KEY, "secret": CONSUMER_SECRET, "rsa_public_key_pem": public}],
            "tokens": [{"token": TOKEN, "secret": TOKEN_SECRET, "consumer_key": CONSUMER_KEY}],
            "verifier": VERIFIER,
        })
        .to_string(),
    )
    .unwrap()
}

/// `oauth1-conformance probe` with the secrets in the environment, `args` after the common ones.
fn probe(url: &str, args: &[&str]) -> Output {
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_oauth1-conformance"))
        .args(["probe", "--url", url, "--consumer-key", CONSUMER_KEY, "--token", TOKEN, "--timeout", "5"])
        .args(args)
        .env("OAUTH1_CONSUMER_SECRET", CONSUMER_SECRET)
        .env("OAUTH1_TOKEN_SECRET", TOKEN_SECRET)
        .env("OAUTH1_VERIFIER", VERIFIER)
        .env("OAUTH1_RSA_PRIVATE_KEY_FILE", data("generator-rsa-1024.pem"))
        .output()
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(60), "the probe took {:?}", started.elapsed());
    output
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

/// No secret in `text`: the shared secrets, the verifier, the API key, the RSA private key.
fn assert_no_secret(what: &str, text: &str) {
    let key = std::fs::read_to_string(data("generator-rsa-1024.pem")).unwrap();
    let key_line = key.lines().nth(1).unwrap();
    for secret in [CONSUMER_SECRET, TOKEN_SECRET, VERIFIER, API_KEY, key_line] {
        assert!(!text.contains(secret), "{what} holds a secret ({secret})");
        let encoded = secret.replace('-', "%2D");
        assert!(!text.contains(&encoded) || encoded == secret, "{what} holds a secret, encoded");
    }
}

/// The verdict of every case of a JSON report, by id.
fn verdicts(report: &Value) -> Vec<(String, String, String)> {
    report["probe"]["servers"][0]["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_owned(),
                c["verdict"].as_str().unwrap().to_owned(),
                c["explained_by"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn verdict_of<'a>(cases: &'a [(String, String, String)], id: &str) -> (&'a str, &'a str) {
    let (_, verdict, by) = cases.iter().find(|(i, _, _)| i == id).unwrap_or_else(|| panic!("no case {id}: {cases:?}"));
    (verdict, by)
}

fn validate(report: &Value) {
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/report.schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(report).map(|e| format!("{}: {e}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn the_reference_server_is_all_ok_and_no_secret_is_written() {
    let options =
        ServeHttpOptions { credentials: credentials(), behind_proxy: false, timestamp_window: 300, nonce_store: None };
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let server = start(listener, ReferenceServer::new(options).unwrap(), ServerConfig::default()).unwrap();
    let base = server.base_url();
    let dir = scratch("reference");
    let reports: Vec<String> = ["json:report.json", "junit:junit.xml", "markdown:summary.md", "html:report.html"]
        .iter()
        .map(|r| {
            let (format, file) = r.split_once(':').unwrap();
            format!("{format}:{}", dir.join(file).display())
        })
        .collect();
    let mut args = vec![
        "--initiate-url".to_owned(),
        format!("{base}/initiate"),
        "--token-url".into(),
        format!("{base}/token"),
        "--allow-unsafe-methods".into(),
        "--header".into(),
        format!("X-Api-Key: {API_KEY}"),
    ];
    for method in ["HMAC-SHA1", "HMAC-SHA256", "HMAC-SHA512", "RSA-SHA1", "RSA-SHA256", "RSA-SHA512", "PLAINTEXT"] {
        args.extend(["--signature-method".into(), method.into()]);
    }
    for report in &reports {
        args.extend(["--report".into(), report.clone()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = probe(&format!("{base}/photos?file=vacation.jpg&size=original"), &args);
    server.shutdown();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert_no_secret("the terminal output", &text(&output));
    for file in ["report.json", "junit.xml", "summary.md", "report.html"] {
        assert_no_secret(file, &std::fs::read_to_string(dir.join(file)).unwrap());
    }
    let report = read_json(&dir.join("report.json"));
    validate(&report);
    let cases = verdicts(&report);
    assert_eq!(cases.len(), 61, "every case of the table ran");
    for (id, verdict, _) in &cases {
        // The reference accepts PLAINTEXT over http (informational) and has a window.
        let expected = match id.as_str() {
            "downgrade-plaintext-over-http" | "time-window" => "informational",
            _ => "ok",
        };
        assert_eq!(verdict, expected, "{id}");
    }
    let window =
        &report["probe"]["servers"][0]["cases"].as_array().unwrap().iter().find(|c| c["id"] == "time-window").unwrap()
            ["diagnosis"];
    // serve-http's window is 300 s; the bisection ends within a few seconds of it.
    let text = window.as_str().unwrap();
    let accepted: u64 = text.split("timestamps ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    assert!((290..=300).contains(&accepted), "{text}");
}

/// How a test server departs from RFC 5849.
#[derive(Clone, Copy, Default)]
struct Broken {
    ignores_signature: bool,
    no_nonce_check: bool,
    any_timestamp: bool,
    http_behind_tls: bool,
    drops_port: bool,
    ignores_form_body: bool,
}

struct NoNonces;
impl NonceStore for NoNonces {
    fn check_and_record(&mut self, _: &str, _: Option<&str>, _: u64, _: &str) -> bool {
        true
    }
}

struct AnyTime;
impl TimestampPolicy for AnyTime {
    fn accepts(&self, _: u64, _: u64) -> bool {
        true
    }
}

fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

/// The URL as `broken` rebuilds it: the connection's scheme (`http` when it forgets TLS), the
/// Host field (its port dropped), the target.
fn rebuilt_url(request: &ReceivedRequest, broken: Broken) -> String {
    let scheme = if request.tls.is_some() && !broken.http_behind_tls { "https" } else { "http" };
    let host = std::str::from_utf8(request.header("host").unwrap_or_default()).unwrap_or_default();
    let host = if broken.drops_port { host.rsplit_once(':').map_or(host, |(h, _)| h) } else { host };
    format!("{scheme}://{host}{}", String::from_utf8_lossy(&request.target))
}

fn verdict_response(ok: bool) -> Response {
    if ok {
        Response::json(200, "{\"ok\": true}")
    } else {
        Response::json(401, "{\"ok\": false}")
    }
}

fn handle(request: &ReceivedRequest, broken: Broken, nonces: &std::sync::Mutex<InMemoryNonceStore>) -> Response {
    let url = rebuilt_url(request, broken);
    let headers: Vec<(&str, &str)> =
        request.headers.iter().filter_map(|f| Some((f.name.as_str(), f.value_str()?))).collect();
    let content_type = request.header("content-type").and_then(|v| std::str::from_utf8(v).ok());
    let incoming = IncomingRequest {
        method: &request.method,
        url: &url,
        headers: &headers,
        content_type: if broken.ignores_form_body { None } else { content_type },
        body: if broken.ignores_form_body { None } else { request.has_body().then_some(request.body.as_slice()) },
    };
    let Ok(parsed) = parse_request(&incoming) else {
        return Response::json(400, "{\"ok\": false}");
    };
    if parsed.protocol.consumer_key != CONSUMER_KEY {
        return verdict_response(false);
    }
    if broken.ignores_signature {
        return verdict_response(true);
    }
    let credentials =
        VerifierCredentials { consumer_secret: CONSUMER_SECRET, token_secret: TOKEN_SECRET, rsa_public_key: None };
    let window = TimestampWindow::default();
    let verified = match (broken.no_nonce_check, broken.any_timestamp) {
        (true, _) => Verifier::new(window, NoNonces).verify(&incoming, &credentials, now()).is_ok(),
        (false, true) => {
            let mut store = nonces.lock().unwrap();
            let mut verifier = Verifier::new(AnyTime, std::mem::take(&mut *store));
            let ok = verifier.verify(&incoming, &credentials, now()).is_ok();
            *store = verifier.nonces;
            ok
        }
        (false, false) => {
            let mut store = nonces.lock().unwrap();
            let mut verifier = Verifier::new(window, std::mem::take(&mut *store));
            let ok = verifier.verify(&incoming, &credentials, now()).is_ok();
            *store = verifier.nonces;
            ok
        }
    };
    verdict_response(verified)
}

fn broken_server(broken: Broken, tls: bool) -> ServerHandle {
    let nonces = std::sync::Mutex::new(InMemoryNonceStore::default());
    let mut config = ServerConfig::default();
    if tls {
        config.tls = Some(ThrowawayCa::generate().unwrap().server_config());
    }
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    serve(listener, config, move |request: &ReceivedRequest| handle(request, broken, &nonces)).unwrap()
}

/// Probes a broken server (HMAC-SHA1, every family but the flow) and returns the exit code,
/// the report and the output.
fn probe_broken(name: &str, broken: Broken, tls: bool) -> (Option<i32>, Value, String) {
    let server = broken_server(broken, tls);
    let dir = scratch(name);
    let report_path = dir.join("report.json");
    let report = format!("json:{}", report_path.display());
    let url = format!("{}/api/photos?size=original", server.base_url());
    let output = probe(&url, &["--allow-unsafe-methods", "--insecure", "--report", &report]);
    server.shutdown();
    assert_no_secret("the terminal output", &text(&output));
    let json = read_json(&report_path);
    validate(&json);
    (output.status.code(), json, text(&output))
}

#[test]
fn the_correct_test_server_passes_so_the_broken_ones_are_caught_for_their_flaw() {
    let (code, report, output) = probe_broken("correct", Broken::default(), false);
    assert_eq!(code, Some(0), "{output}");
    let cases = verdicts(&report);
    assert!(cases.iter().all(|(_, v, _)| v != "fail"), "{cases:?}");
}

#[test]
fn a_server_that_ignores_the_signature_fails_the_tampered_family() {
    let (code, report, output) =
        probe_broken("signature", Broken { ignores_signature: true, ..Broken::default() }, false);
    assert_eq!(code, Some(1), "{output}");
    let cases = verdicts(&report);
    for id in [
        "tampered-flipped-signature-bit",
        "tampered-changed-query-value",
        "tampered-changed-method",
        "tampered-key-without-token-secret",
    ] {
        assert_eq!(verdict_of(&cases, id).0, "fail", "{id}");
    }
    assert!(output.contains("FAIL (high)"), "{output}");
}

#[test]
fn a_server_that_never_checks_nonces_fails_the_replay_family() {
    let (code, report, output) = probe_broken("nonces", Broken { no_nonce_check: true, ..Broken::default() }, false);
    assert_eq!(code, Some(1), "{output}");
    let cases = verdicts(&report);
    assert_eq!(verdict_of(&cases, "replay-same-request").0, "fail");
    assert_eq!(verdict_of(&cases, "tampered-flipped-signature-bit").0, "ok");
    assert_eq!(verdict_of(&cases, "time-stale-24h").0, "ok");
}

#[test]
fn a_server_that_accepts_any_timestamp_fails_the_time_family() {
    let (code, report, output) = probe_broken("timestamps", Broken { any_timestamp: true, ..Broken::default() }, false);
    assert_eq!(code, Some(1), "{output}");
    let cases = verdicts(&report);
    for id in ["time-stale-24h", "time-future-24h", "time-milliseconds"] {
        assert_eq!(verdict_of(&cases, id).0, "fail", "{id}");
    }
    assert_eq!(verdict_of(&cases, "time-window").0, "informational");
    assert_eq!(verdict_of(&cases, "replay-same-request").0, "ok");
}

#[test]
fn a_server_that_verifies_http_behind_tls_is_diagnosed_at_the_gate() {
    let (code, report, output) =
        probe_broken("http-behind-tls", Broken { http_behind_tls: true, ..Broken::default() }, true);
    assert_eq!(code, Some(2), "a refused gate exits 2: {output}");
    let cases = verdicts(&report);
    assert_eq!(cases.len(), 1, "nothing runs after a refused gate");
    assert_eq!(verdict_of(&cases, "valid-gate"), ("fail", "rebuild:scheme-flipped"));
    assert!(output.contains("verifies the base string URI http://127.0.0.1:"), "{output}");
    assert!(output.contains("TLS-terminating proxy"), "{output}");
}

#[test]
fn a_server_that_drops_the_port_is_diagnosed_at_the_gate() {
    let (code, report, output) = probe_broken("port", Broken { drops_port: true, ..Broken::default() }, false);
    assert_eq!(code, Some(2), "{output}");
    assert_eq!(verdict_of(&verdicts(&report), "valid-gate"), ("fail", "rebuild:port-dropped"));
    assert!(output.contains("drops the port"), "{output}");
}

#[test]
fn a_server_that_ignores_the_form_body_is_diagnosed() {
    let (code, report, output) =
        probe_broken("form-body", Broken { ignores_form_body: true, ..Broken::default() }, false);
    assert_eq!(code, Some(1), "{output}");
    let cases = verdicts(&report);
    // It refuses a correctly signed form POST, and the probe names why: it accepts the request
    // signed without its form body.
    assert_eq!(verdict_of(&cases, "valid-form-body"), ("fail", "quirk:ignores-form-body"));
    assert!(output.contains("Does not sign the parameters of an application/x-www-form-urlencoded body"), "{output}");
    // A refusal of the body tampered with proves nothing when the valid body was refused too.
    assert_eq!(verdict_of(&cases, "tampered-changed-body-value").0, "inconclusive");
    assert_eq!(verdict_of(&cases, "tampered-changed-query-value").0, "ok");
}
