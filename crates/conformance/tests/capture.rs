//! `oauth1-conformance capture` on loopback: the curl control client (a header the reference
//! builds) and an independent Python signer (tests/fixtures/capture_client.py, the standard
//! library only) agree that every default case verifies; the same Python client with one
//! deliberate bug at a time is caught and explained; hostile input gets the wire server's
//! answers through capture; exit codes, timeouts and secrets are held to the documented
//! interface. Every process started here is waited for; nothing is left listening.
//!
//! Expected verdicts and diagnoses come from RFC 5849 (what each bug breaks), never from the
//! capture's own output.

use std::collections::BTreeSet;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::Value;

const BINARY: &str = env!("CARGO_BIN_EXE_oauth1-conformance");

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/capture_client.py").display().to_string()
}

fn curl_driver() -> String {
    format!("bash {}", root().join("adapters/curl-control/capture_driver.sh").display())
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("oauth1-capture-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `capture` with `args` and a JSON report; returns the output and the report.
fn capture(dir: &Path, args: &[&str]) -> (Output, Value) {
    let report = dir.join("report.json");
    let output = Command::new(BINARY)
        .current_dir(root())
        .arg("capture")
        .args(args)
        .arg("--report")
        .arg(format!("json:{}", report.display()))
        .output()
        .unwrap();
    let text = std::fs::read_to_string(&report).unwrap_or_else(|_| {
        panic!(
            "no report; stdout {} stderr {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output, serde_json::from_str(&text).unwrap())
}

fn records(report: &Value) -> Vec<Value> {
    report["capture"]["clients"][0]["records"].as_array().unwrap().clone()
}

fn checks(record: &Value) -> BTreeSet<String> {
    record["checks"].as_array().unwrap().iter().map(|c| c["check"].as_str().unwrap().to_owned()).collect()
}

fn schema_validator() -> jsonschema::Validator {
    let path = root().join("docs/report.schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn assert_valid(report: &Value) {
    let validator = schema_validator();
    let errors: Vec<String> =
        validator.iter_errors(report).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "the report breaks docs/report.schema.json: {errors:?}");
}

/// Every record of `report` is ok, but the cases listed as skipped with their reason.
fn assert_all_ok_but(report: &Value, skipped: &[&str]) {
    for record in records(report) {
        let case = record["case"].as_str().unwrap_or_default();
        let verdict = record["verdict"].as_str().unwrap();
        if record["not_run"] == true {
            assert_eq!(case, "port-default", "only the default port may be busy here: {record}");
        } else if skipped.contains(&case) {
            assert_eq!(verdict, "skip", "{record:#}");
            assert!(!record["message"].as_str().unwrap_or_default().is_empty(), "a skip says why: {record:#}");
        } else {
            assert_eq!(verdict, "ok", "{record:#}");
        }
    }
}

#[test]
fn the_curl_control_client_is_all_ok_and_its_report_is_the_documented_one() {
    let dir = scratch("curl");
    let (output, report) = capture(&dir, &["--exec", &curl_driver()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert_all_ok_but(&report, &[]);
    assert_valid(&report);
    let all = records(&report);
    // The 307 case sends two requests, both ok; every case of the table was run.
    let cases: BTreeSet<&str> = all.iter().filter_map(|r| r["case"].as_str()).collect();
    assert_eq!(cases.len(), report["capture"]["cases"].as_array().unwrap().len());
    assert_eq!(all.iter().filter(|r| r["case"] == "redirect-307").count(), 2, "{all:#?}");
    // One line per request on the terminal, each with its case and verdict.
    for record in &all {
        assert!(stdout.contains(&format!("client {}: ", record["case"].as_str().unwrap())), "{stdout}");
    }
    assert!(all.iter().all(|r| r["replay"].as_str().unwrap().contains("--case")));
}

#[test]
fn an_independent_client_agrees_on_every_case_it_can_express() {
    let dir = scratch("python");
    let (output, report) = capture(&dir, &["--exec", &format!("python3 {}", fixture()), "--no-default-ports"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stdout));
    // The fixture has no RSA signer and says so with status 3.
    assert_all_ok_but(&report, &["sig-rsa-sha1", "sig-rsa-sha256"]);
    let skipped: Vec<Value> =
        records(&report).into_iter().filter(|r| r["verdict"] == "skip" && r["not_run"] != true).collect();
    assert!(skipped.iter().all(|r| r["message"].as_str().unwrap().contains("no RSA signer")), "{skipped:#?}");
}

/// A bug, the case that shows it, the checks RFC 5849 says it fails, and its diagnosis key.
struct Bug {
    bug: &'static str,
    case: &'static str,
    checks: &'static [&'static str],
    diagnosis: Option<&'static str>,
    explained: &'static str,
}

const BUGS: &[Bug] = &[
    // §3.4.1.3.1: `+` decodes to a space, so the query sent is not the one signed.
    Bug {
        bug: "reencode-plus",
        case: "query-plus-encoded",
        checks: &["signature", "sent_as_intended"],
        diagnosis: Some("signed-not-sent:sends-parameters-encoded-differently"),
        explained: "`c=a%2Bb` was sent as `c=a+b`",
    },
    Bug {
        bug: "add-param",
        case: "get-simple",
        checks: &["signature", "sent_as_intended"],
        diagnosis: Some("signed-not-sent:sends-parameters-added-after-signing"),
        explained: "`added=1` was added to the query after signing",
    },
    Bug {
        bug: "reserialize-body",
        case: "brackets-form",
        checks: &["signature", "sent_as_intended"],
        diagnosis: Some("signed-not-sent:sends-parameters-added-after-signing"),
        explained: "the body was re-serialised after signing: `tags[]=x&tags[]=y` was sent as `tags=x&tags=y`",
    },
    // §3.3: seconds since 1970.
    Bug {
        bug: "timestamp-ms",
        case: "get-simple",
        checks: &["timestamp_unit"],
        diagnosis: Some("timestamp-in-milliseconds"),
        explained: "milliseconds",
    },
    // §3.5.1 item 1: a base64 signature's `=` is percent-encoded.
    Bug {
        bug: "unencoded-header",
        case: "get-simple",
        checks: &["header_syntax"],
        diagnosis: None,
        explained: "not percent-encoded",
    },
    // RFC 7235 §2.1: the scheme, then a space, then the parameters.
    Bug {
        bug: "comma-after-oauth",
        case: "get-simple",
        checks: &["header_syntax"],
        diagnosis: None,
        explained: "a comma right after the OAuth scheme",
    },
    // §3.4.1.2: the base string URI carries a non-default port.
    Bug {
        bug: "drop-port",
        case: "port-non-default",
        checks: &["signature"],
        diagnosis: Some("drops-non-default-port"),
        explained: "`127.0.0.1` was signed",
    },
];

#[test]
fn broken_clients_are_caught_and_explained() {
    let dir = scratch("bugs");
    for bug in BUGS {
        let command = format!("python3 {} --bug {}", fixture(), bug.bug);
        let (output, report) = capture(&dir, &["--exec", &command, "--case", bug.case]);
        assert_eq!(output.status.code(), Some(1), "{}: {}", bug.bug, String::from_utf8_lossy(&output.stdout));
        assert_valid(&report);
        let all = records(&report);
        let [record] = all.as_slice() else { panic!("{}: one request expected: {all:#?}", bug.bug) };
        assert_eq!(record["verdict"], "fail", "{}: {record:#}", bug.bug);
        let expected: BTreeSet<String> = bug.checks.iter().map(|c| (*c).to_owned()).collect();
        assert_eq!(checks(record), expected, "{}: {record:#}", bug.bug);
        let key = match &record["diagnosis"]["kind"] {
            Value::String(kind) if kind == "signed-not-sent" => {
                Some(format!("signed-not-sent:{}", record["diagnosis"]["quirk"].as_str().unwrap()))
            }
            Value::String(_) => Some(record["diagnosis"]["quirk"].as_str().unwrap().to_owned()),
            _ => None,
        };
        assert_eq!(key.as_deref(), bug.diagnosis, "{}: {record:#}", bug.bug);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(stdout.contains(bug.explained), "{}: the terminal line explains it: {stdout}", bug.bug);
    }
}

#[test]
fn a_header_with_a_comma_after_the_scheme_is_otherwise_correctly_signed() {
    let dir = scratch("comma");
    let command = format!("python3 {} --bug comma-after-oauth", fixture());
    let (_, report) = capture(&dir, &["--exec", &command, "--case", "get-simple"]);
    let record = &records(&report)[0];
    // The signature is checked on the header with its separators undone, and it verifies.
    assert!(!checks(record).contains("signature"), "{record:#}");
    assert!(record["notes"].to_string().contains("parses once its separators are undone"), "{record:#}");
}

#[test]
fn a_redirect_followed_with_the_old_header_and_a_reused_nonce_are_caught() {
    let dir = scratch("redirect");
    let command = format!("python3 {} --bug redirect-old-header", fixture());
    let (output, report) = capture(&dir, &["--exec", &command, "--case", "redirect-307"]);
    assert_eq!(output.status.code(), Some(1));
    let all = records(&report);
    assert_eq!(all.len(), 2, "{all:#?}");
    assert_eq!(all[0]["verdict"], "ok", "the first request is signed for its URL: {:#}", all[0]);
    let moved = &all[1];
    assert!(moved["received"]["target"].as_str().unwrap().contains("/moved"), "{moved:#}");
    let expected: BTreeSet<String> =
        ["signature", "redirect_not_resigned", "nonce_reused"].iter().map(|c| (*c).to_owned()).collect();
    assert_eq!(checks(moved), expected, "{moved:#}");
    assert_eq!(moved["diagnosis"]["quirk"], "resends-signature-on-redirect", "{moved:#}");
    assert_eq!(moved["diagnosis"]["rewrite"]["kind"], "redirected", "{moved:#}");

    // §3.3: the same nonce on every request. Two requests with the same token are enough.
    let command = format!("python3 {} --bug reuse-nonce", fixture());
    let (output, report) = capture(&dir, &["--exec", &command, "--case", "get-simple", "--case", "delete"]);
    assert_eq!(output.status.code(), Some(1));
    let all = records(&report);
    assert_eq!(all[0]["verdict"], "ok", "{:#}", all[0]);
    assert_eq!(checks(&all[1]), BTreeSet::from(["nonce_reused".to_owned()]), "{:#}", all[1]);
    assert_eq!(all[1]["diagnosis"]["quirk"], "repeats-nonce", "{:#}", all[1]);
}

/// Whether a process whose command line holds `marker` is running.
fn running_with(marker: &str) -> bool {
    std::fs::read_dir("/proc").unwrap().filter_map(Result::ok).any(|entry| {
        std::fs::read(entry.path().join("cmdline"))
            .is_ok_and(|cmdline| String::from_utf8_lossy(&cmdline).contains(marker))
    })
}

#[test]
fn a_client_that_hangs_is_killed_at_the_timeout_and_is_an_error() {
    let dir = scratch("hang");
    let marker = format!("hang-marker-{}", std::process::id());
    let command = format!("python3 {} --bug hang {marker}", fixture());
    let start = Instant::now();
    let (output, report) = capture(&dir, &["--exec", &command, "--case", "get-simple", "--timeout", "1"]);
    assert!(start.elapsed() < Duration::from_secs(15), "{:?}", start.elapsed());
    assert_eq!(output.status.code(), Some(1));
    let record = &records(&report)[0];
    assert_eq!(record["verdict"], "error", "{record:#}");
    assert!(record["message"].as_str().unwrap().contains("timed out after 1 s"), "{record:#}");
    assert!(!running_with(&marker), "the driver's process group was not killed");
}

#[test]
fn exit_codes_and_bad_input() {
    let dir = scratch("exit");
    // A command that cannot start: exit 2.
    let output = Command::new(BINARY)
        .args(["capture", "--exec", "/nonexistent/driver", "--case", "get-simple"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("cannot start"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // A port in use: exit 2.
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let output = Command::new(BINARY)
        .args(["capture", "--listen", &taken.local_addr().unwrap().to_string(), "--exec", "true"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot listen on"));
    // A bad credentials file: exit 2, the place named, the value never.
    let credentials = dir.join("credentials.json");
    std::fs::write(&credentials, r#"{"consumers": [{"key": "k", "secret": 987654321, "note": "s3cr3t-value"}]}"#)
        .unwrap();
    let output =
        Command::new(BINARY).args(["capture", "--exec", "true", "--credentials"]).arg(&credentials).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.contains("consumers[0]") && !text.contains("s3cr3t-value") && !text.contains("987654321"), "{text}");
    // An unknown case: exit 2.
    let output = Command::new(BINARY).args(["capture", "--exec", "true", "--case", "no-such-case"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    // A client that exits 0 without sending anything: an error, exit 1.
    let (output, report) = capture(&dir, &["--exec", "true", "--case", "get-simple"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(records(&report)[0]["verdict"], "error");
}

const USER_SECRETS: [&str; 2] = ["Consumer-S3cret+value", "Token-S3cret/value"];

#[test]
fn secrets_from_the_credentials_file_never_reach_a_report_or_the_terminal() {
    let dir = scratch("secrets");
    let credentials = dir.join("credentials.json");
    let json = serde_json::json!({
        "consumers": [{"key": "user-consumer", "secret": USER_SECRETS[0]}],
        "tokens": [{"token": "user-token", "secret": USER_SECRETS[1], "consumer_key": "user-consumer"}],
    });
    std::fs::write(&credentials, json.to_string()).unwrap();
    let mut args = vec![
        "--exec".to_owned(),
        curl_driver(),
        "--credentials".to_owned(),
        credentials.display().to_string(),
        "--no-default-ports".to_owned(),
    ];
    // PLAINTEXT puts the secrets on the wire; the 307 and a form body exercise the rest.
    for case in ["sig-plaintext", "sig-hmac-sha256", "redirect-307", "post-form", "get-simple"] {
        args.extend(["--case".to_owned(), case.to_owned()]);
    }
    for (format, file) in [("junit", "junit.xml"), ("markdown", "summary.md"), ("html", "report.html")] {
        args.extend(["--report".to_owned(), format!("{format}:{}", dir.join(file).display())]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (output, report) = capture(&dir, &args);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stdout));
    assert_all_ok_but(&report, &[]);
    let mut texts = vec![
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    ];
    for file in ["report.json", "junit.xml", "summary.md", "report.html"] {
        texts.push(std::fs::read_to_string(dir.join(file)).unwrap());
    }
    for text in &texts {
        for secret in USER_SECRETS {
            let encoded: String = secret.replace('+', "%2B").replace('/', "%2F");
            assert!(!text.contains(secret) && !text.contains(&encoded), "a secret leaked: {text}");
        }
    }
    // The other renderings: JUnit with a suite per client, Markdown within its budget, the HTML
    // page's client × case-family table.
    let junit = &texts[3];
    assert!(junit.contains("testsuite name=\"capture: client\"") && junit.contains("sig-plaintext"), "{junit}");
    assert!(texts[4].len() < 1024 * 1024 && texts[4].contains("| client |"), "{}", texts[4]);
    let html = &texts[5];
    assert!(html.contains("Live clients (capture)") && html.contains("<th>signature-method</th>"), "{html}");
    // The PLAINTEXT request's signature (the secrets themselves) is shown scrubbed.
    let plaintext = records(&report).into_iter().find(|r| r["case"] == "sig-plaintext").unwrap();
    assert!(plaintext["received"].to_string().contains("<redacted>"), "{plaintext:#}");
}

#[test]
fn tls_with_the_throwaway_ca() {
    let dir = scratch("tls");
    let mut args = vec!["--tls", "--no-default-ports", "--exec"];
    let driver = curl_driver();
    args.push(&driver);
    for case in ["get-simple", "post-form", "redirect-307", "path-space"] {
        args.extend(["--case", case]);
    }
    let (output, report) = capture(&dir, &args);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stdout));
    assert_all_ok_but(&report, &[]);
    assert!(records(&report).iter().all(|r| r["received"]["tls"] == true));
    assert!(report["capture"]["listen"][0].as_str().unwrap().starts_with("https://127.0.0.1:"));
}

/// `capture` in free mode, killed if a test fails before it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_mode(args: &[&str]) -> (Running, SocketAddr) {
    let mut child =
        Command::new(BINARY).arg("capture").args(args).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let mut line = String::new();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    stdout.read_line(&mut line).unwrap();
    let address = line.trim().strip_prefix("listening on http://").unwrap_or_else(|| panic!("{line}"));
    let address: SocketAddr = address.parse().unwrap();
    // The rest of stdout is drained so the child never blocks on it.
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    (Running(child), address)
}

fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// A GET signed now by the reference signer with the test credentials.
fn signed_request(address: SocketAddr, path: &str, nonce: &str) -> Vec<u8> {
    use oauth1_reference::sign::{sign, OAuthParameters, Request, Secrets};
    let url = format!("http://{address}{path}");
    let timestamp = unix_now().to_string();
    let oauth = OAuthParameters {
        consumer_key: "dpf43f3p2l4k3l03",
        token: Some("nnch734d00sl2jdk"),
        signature_method: oauth1_reference::signature::SignatureMethod::HmacSha1,
        timestamp: Some(&timestamp),
        nonce: Some(nonce),
        version: None,
        realm: None,
        extra: &[],
        compute_body_hash: false,
    };
    let secrets =
        Secrets { consumer_secret: "kd94hf93k423kf44", token_secret: "pfkkdhi9sl3r4s00", rsa_private_key: None };
    let signed = sign(&Request { method: "GET", url: &url, content_type: None, body: None }, &oauth, &secrets).unwrap();
    format!(
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: {}\r\nConnection: close\r\n\r\n",
        signed.authorization_header
    )
    .into_bytes()
}

fn connect(address: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    stream.set_write_timeout(Some(Duration::from_secs(30))).unwrap();
    stream
}

/// The status of the response to `bytes`, or 0 when the server closed without one.
fn status_of(address: SocketAddr, bytes: &[u8]) -> u16 {
    let mut stream = connect(address);
    let _ = stream.write_all(bytes);
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    String::from_utf8_lossy(&response).get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0)
}

fn peak_rss(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse::<u64>().unwrap() * 1024
}

#[test]
fn free_mode_verifies_what_arrives_and_stops_after_n_requests() {
    let dir = scratch("free");
    let report = dir.join("free.json");
    let (mut running, address) = free_mode(&["--requests", "3", "--report", &format!("json:{}", report.display())]);
    assert_eq!(status_of(address, &signed_request(address, "/my/app?x=1", "free-1")), 200);
    // A query changed after signing is refused, and the JSON verdict says why.
    let mut tampered = signed_request(address, "/my/app?x=1", "free-2");
    let at = tampered.windows(3).position(|w| w == b"x=1").unwrap();
    tampered[at + 2] = b'2';
    let mut stream = connect(address);
    stream.write_all(&tampered).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 401"), "{response}");
    assert!(response.contains("\"signature\""), "{response}");
    assert_eq!(status_of(address, &signed_request(address, "/my/app", "free-1")), 401, "the nonce again");
    let status = running.0.wait().unwrap();
    assert_eq!(status.code(), Some(1));
    let report: Value = serde_json::from_str(&std::fs::read_to_string(report).unwrap()).unwrap();
    assert_valid(&report);
    assert_eq!(report["capture"]["mode"], "free");
    let all = records(&report);
    assert_eq!(all.iter().map(|r| r["verdict"].as_str().unwrap()).collect::<Vec<_>>(), ["ok", "fail", "fail"]);
    assert!(checks(&all[2]).contains("nonce_reused"), "{:#}", all[2]);
    assert!(all[1]["replay"].as_str().unwrap().starts_with("oauth1-conformance verify --method GET"), "{:#}", all[1]);
}

#[test]
fn hostile_input_through_capture() {
    let (mut running, address) = free_mode(&[]);
    let pid = running.0.id();
    // The slowloris first: its connection is closed once the 10 s head timeout passes.
    let slow = std::thread::spawn(move || {
        let mut stream = connect(address);
        stream.write_all(b"GET / HTTP/1.1\r\nHost: h\r\n").unwrap();
        let start = Instant::now();
        let mut buffer = Vec::new();
        let _ = stream.read_to_end(&mut buffer);
        start.elapsed()
    });
    let big_body = vec![b'x'; 16 * 1024 * 1024 + 1];
    let mut over = format!("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: {}\r\n\r\n", big_body.len()).into_bytes();
    over.extend_from_slice(&big_body);
    assert_eq!(status_of(address, &over), 413);
    let fields: String = (0..101).map(|i| format!("X-F{i}: v\r\n")).collect();
    assert_eq!(status_of(address, format!("GET / HTTP/1.1\r\nHost: h\r\n{fields}\r\n").as_bytes()), 431);
    let target = format!("/{}", "a".repeat(64 * 1024 + 1));
    assert_eq!(status_of(address, format!("GET {target} HTTP/1.1\r\nHost: h\r\n\r\n").as_bytes()), 414);
    assert_eq!(status_of(address, b"\x16\x03\x01 garbage \x00\xff\r\n\r\n"), 400);
    // Maximal bodies from sixteen clients at once are served (an unsigned request: 400).
    let attackers: Vec<_> = (0..16)
        .map(|_| {
            std::thread::spawn(move || {
                let body = vec![b'x'; 16 * 1024 * 1024];
                let mut request =
                    format!("POST /f HTTP/1.1\r\nHost: h\r\nContent-Length: {}\r\n\r\n", body.len()).into_bytes();
                request.extend_from_slice(&body);
                status_of(address, &request)
            })
        })
        .collect();
    for attacker in attackers {
        assert_eq!(attacker.join().unwrap(), 400);
    }
    // The server goes on serving others.
    assert_eq!(status_of(address, &signed_request(address, "/after", "after-attack")), 200);
    let elapsed = slow.join().unwrap();
    assert!(
        elapsed >= Duration::from_secs(9) && elapsed < Duration::from_secs(20),
        "slowloris closed after {elapsed:?}"
    );
    let peak = peak_rss(pid);
    assert!(peak < 200 * 1024 * 1024, "capture's peak RSS was {} MiB", peak / 1024 / 1024);
    eprintln!("capture's peak RSS under the attack: {:.1} MiB", peak as f64 / 1024.0 / 1024.0);
    Command::new("kill").args(["-TERM", &pid.to_string()]).status().unwrap();
    let start = Instant::now();
    while running.0.try_wait().unwrap().is_none() {
        assert!(start.elapsed() < Duration::from_secs(10), "capture did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(TcpStream::connect(address).is_err(), "still listening");
}

#[test]
fn the_documentation_names_every_case_and_every_variable_a_driver_gets() {
    let doc = std::fs::read_to_string(root().join("docs/capture.md")).unwrap();
    for case in oauth1_conformance::live::capture::default_cases() {
        assert!(doc.contains(&format!("`{}`", case.id)), "docs/capture.md does not list the case {}", case.id);
    }
    // The variables a driver really gets, over cases that set every optional one.
    let dir = scratch("variables");
    let seen = dir.join("variables.txt");
    let driver = format!("env | grep ^OAUTH1_ | cut -d= -f1 >> {}; exit 3", seen.display());
    let mut args = vec!["--tls", "--no-default-ports", "--exec", &driver];
    for case in ["sig-rsa-sha1", "realm", "post-form"] {
        args.extend(["--case", case]);
    }
    let (output, _) = capture(&dir, &args);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stdout));
    let names: BTreeSet<String> = std::fs::read_to_string(&seen).unwrap().lines().map(str::to_owned).collect();
    assert!(names.len() >= 14, "{names:?}");
    for name in &names {
        assert!(doc.contains(&format!("`{name}`")), "docs/capture.md does not document {name}");
    }
}
