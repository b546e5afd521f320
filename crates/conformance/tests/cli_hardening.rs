//! The `explain` and `verify` commands against hostile or careless use: concurrent replays
//! against one nonce store, torn stores, secrets in output, oversized bodies.
//!
//! `OAUTH1_CONFORMANCE_BIN` runs these against another build of the binary (an older release,
//! to see a test fail before a fix).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use oauth1_reference::sign::{sign, OAuthParameters, Request, Secrets};
use oauth1_reference::signature::SignatureMethod;

fn bin() -> Command {
    match std::env::var_os("OAUTH1_CONFORMANCE_BIN") {
        Some(path) => Command::new(path),
        None => Command::new(env!("CARGO_BIN_EXE_oauth1-conformance")),
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("oauth1-hardening-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

const URL: &str = "http://photos.example.net/photos?file=vacation.jpg&size=original";
const CONSUMER_SECRET: &str = "kd94hf93k423kf44";
const TOKEN_SECRET: &str = "pfkkdhi9sl3r4s00";
/// RFC 5849 §1.2's protected-resource request, with the signature the RFC prints.
const RFC_HEADER: &str = r#"Authorization: OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03", oauth_token="nnch734d00sl2jdk", oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131202", oauth_nonce="chapoH", oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D""#;
const RFC_SIGNATURE: &str = "MdpQcU8iPSUjWoN/UDMsK2sui9I=";

/// `verify` of `header` at the RFC's time, with the RFC's secrets from the environment.
fn verify(header: &str, store: Option<&Path>) -> Command {
    let mut command = bin();
    command.args(["verify", "--url", URL, "--now", "137131202", "--header", header]);
    command.env("OAUTH1_CONSUMER_SECRET", CONSUMER_SECRET).env("OAUTH1_TOKEN_SECRET", TOKEN_SECRET);
    if let Some(store) = store {
        command.arg("--nonce-store").arg(store);
    }
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    command
}

/// The RFC request with another nonce, signed by the reference as a client would sign it.
fn header_with_nonce(nonce: &str) -> String {
    let request = Request { method: "GET", url: URL, content_type: None, body: None };
    let oauth = OAuthParameters {
        consumer_key: "dpf43f3p2l4k3l03",
        token: Some("nnch734d00sl2jdk"),
        signature_method: SignatureMethod::HmacSha1,
        timestamp: Some("137131202"),
        nonce: Some(nonce),
        version: None,
        realm: Some("Photos"),
        extra: &[],
        compute_body_hash: false,
    };
    let secrets = Secrets { consumer_secret: CONSUMER_SECRET, token_secret: TOKEN_SECRET, rsa_private_key: None };
    format!("Authorization: {}", sign(&request, &oauth, &secrets).unwrap().authorization_header)
}

/// A store already holding `n` records of other nonces, so that every process spends a while
/// reading it: without a lock, all the processes of a round then read it before any writes.
fn store_with_records(path: &Path, n: usize) {
    let mut file = std::fs::File::create(path).unwrap();
    for i in 0..n {
        writeln!(
            file,
            r#"{{"consumer_key":"dpf43f3p2l4k3l03","token":"nnch734d00sl2jdk","timestamp":137131202,"nonce":"earlier-{i}"}}"#
        )
        .unwrap();
    }
}

/// Starts every command behind a gate (`sh` waiting for a line on stdin, then `exec`ing it),
/// then opens all the gates at once: the processes start within a millisecond of each other
/// rather than one spawn apart. Returns their exit codes.
fn run_together(commands: Vec<Command>) -> Vec<Option<i32>> {
    let mut children: Vec<Child> = commands
        .into_iter()
        .map(|command| {
            let mut gated = Command::new("sh");
            gated.args(["-c", "read _ && exec \"$0\" \"$@\""]).arg(command.get_program()).args(command.get_args());
            for (key, value) in command.get_envs() {
                if let Some(value) = value {
                    gated.env(key, value);
                }
            }
            gated.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap()
        })
        .collect();
    for child in &mut children {
        child.stdin.take().unwrap().write_all(b"go\n").unwrap();
    }
    children.into_iter().map(|c| c.wait_with_output().unwrap().status.code()).collect()
}

/// 24 processes verify the same request against one store at once, five rounds: exactly one
/// accepts it (0), the others see a replay (1).
#[test]
fn of_concurrent_identical_requests_exactly_one_is_accepted() {
    let dir = scratch("race");
    for round in 0..5 {
        let store = dir.join(format!("round-{round}.jsonl"));
        store_with_records(&store, 2_000);
        let codes = run_together((0..24).map(|_| verify(RFC_HEADER, Some(&store))).collect());
        let accepted = codes.iter().filter(|&&c| c == Some(0)).count();
        let replays = codes.iter().filter(|&&c| c == Some(1)).count();
        assert_eq!((accepted, replays), (1, 23), "round {round}: exit codes {codes:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// 100 processes with 100 different nonces append to one store at once, three rounds: all
/// are accepted, the store holds exactly their 100 records, one a line, and later `verify`
/// calls read it (a replay of one of them is refused, a new request accepted). Records that
/// interleave (`{…}{…}` on one line, as two unlocked `write`s each made them) fail this
/// only when the scheduler splits a writer's two calls, a few rounds in ten here.
#[test]
fn a_hundred_concurrent_appends_leave_a_readable_store() {
    let dir = scratch("appends");
    let headers: Vec<String> = (0..100).map(|i| header_with_nonce(&format!("nonce-{i}"))).collect();
    for round in 0..3 {
        let store = dir.join(format!("round-{round}.jsonl"));
        let codes = run_together(headers.iter().map(|h| verify(h, Some(&store))).collect());
        let content = std::fs::read_to_string(&store).unwrap();
        assert!(codes.iter().all(|&c| c == Some(0)), "round {round}: {codes:?}\n{content:.2000}");
        let lines: Vec<&str> = content.lines().collect();
        assert_eq!(lines.len(), 100, "round {round}: {content:.2000}");
        for line in &lines {
            let record: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
            assert!(record["nonce"].as_str().unwrap().starts_with("nonce-"), "{line}");
        }
        let replay = verify(&headers[57], Some(&store)).output().unwrap();
        assert_eq!(replay.status.code(), Some(1), "{}", text(&replay));
        assert!(text(&replay).contains("invalid: nonce_replayed"), "{}", text(&replay));
        let fresh = verify(RFC_HEADER, Some(&store)).output().unwrap();
        assert_eq!(fresh.status.code(), Some(0), "{}", text(&fresh));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A record cut short by a killed writer (at the end, and glued to a later one) is skipped
/// with a warning; the next record starts on a line of its own, and the store stays usable. A
/// file that holds no nonce records is refused (2), not written to.
#[test]
fn a_torn_record_never_makes_the_store_unusable() {
    let dir = scratch("torn");
    let store = dir.join("nonces.jsonl");
    let whole =
        r#"{"consumer_key":"dpf43f3p2l4k3l03","token":"nnch734d00sl2jdk","timestamp":137131202,"nonce":"chapoH"}"#;
    let cut = r#"{"consumer_key":"dpf43f3p2l4k3l03","token":"nnch734d00sl2jdk","timestamp":137131202,"no"#;
    std::fs::write(&store, format!("{cut}{whole}\n{cut}")).unwrap();
    let replay = verify(RFC_HEADER, Some(&store)).output().unwrap();
    assert_eq!(replay.status.code(), Some(1), "the glued record was read: {}", text(&replay));
    let fresh = verify(&header_with_nonce("after-the-tear"), Some(&store)).output().unwrap();
    assert_eq!(fresh.status.code(), Some(0), "{}", text(&fresh));
    assert!(String::from_utf8_lossy(&fresh.stderr).contains("cut short"), "{}", text(&fresh));
    let content = std::fs::read_to_string(&store).unwrap();
    let last = content.lines().last().unwrap();
    assert!(last.starts_with(r#"{"consumer_key""#) && last.contains("after-the-tear"), "{content}");
    let again = verify(&header_with_nonce("after-the-tear"), Some(&store)).output().unwrap();
    assert_eq!(again.status.code(), Some(1), "{}", text(&again));

    let notes = dir.join("notes.txt");
    std::fs::write(&notes, "my notes\n").unwrap();
    let refused = verify(RFC_HEADER, Some(&notes)).output().unwrap();
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    assert!(text(&refused).contains("notes.txt:1: not a nonce record"), "{}", text(&refused));
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "my notes\n");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A rejected request's output shows the base string and what to compare, but not the valid
/// signature (the RFC's), which would let anyone who reads it send the request; asked for
/// with --show-expected-signature, it is shown.
#[test]
fn verify_prints_the_valid_signature_only_when_asked() {
    let forged = RFC_HEADER.replace("MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D", "AAAAAAAAAAAAAAAAAAAAAAAAAAA%3D");
    let output = verify(&forged, None).output().unwrap();
    let shown = text(&output);
    assert_eq!(output.status.code(), Some(1), "{shown}");
    assert!(!shown.contains(RFC_SIGNATURE) && !shown.contains("MdpQcU8iPSUjWoN"), "{shown}");
    assert!(shown.contains("signature base string the verifier computed"), "{shown}");
    assert!(shown.contains("GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg"), "{shown}");
    assert!(shown.contains("first stage that differs"), "{shown}");

    let output = verify(&forged, None).arg("--show-expected-signature").output().unwrap();
    assert!(text(&output).contains(&format!("recomputed signature: {RFC_SIGNATURE}")), "{}", text(&output));
}

/// PLAINTEXT signatures are the secrets: `explain` shows them by shape in the signature, the
/// header and the comparison, and `verify` never shows the one it expects.
#[test]
fn plaintext_secrets_are_never_printed() {
    let explained = bin()
        .args(["explain", "--url", "http://e.com/", "--consumer-key", "k", "--signature-method", "PLAINTEXT"])
        .args(["--expect-signature", "Cs3cr3t&Ts3cr3X"])
        .env("OAUTH1_CONSUMER_SECRET", "Cs3cr3t")
        .env("OAUTH1_TOKEN_SECRET", "Ts3cr3t")
        .output()
        .unwrap();
    let shown = text(&explained);
    assert_eq!(explained.status.code(), Some(1), "{shown}");
    assert!(!shown.contains("s3cr3"), "a secret was printed: {shown}");
    assert!(shown.contains("oauth_signature=\"<consumer secret: 7 bytes>&<token secret: 7 bytes>\""), "{shown}");
    assert!(shown.contains("signature: DIFFERS (PLAINTEXT signatures are the secrets"), "{shown}");

    let header = r#"Authorization: OAuth oauth_consumer_key="k", oauth_signature_method="PLAINTEXT", oauth_signature="wrong%26key""#;
    let verified = bin()
        .args(["verify", "--url", "http://e.com/", "--header", header, "--show-expected-signature"])
        .env("OAUTH1_CONSUMER_SECRET", "Cs3cr3t")
        .env("OAUTH1_TOKEN_SECRET", "Ts3cr3t")
        .output()
        .unwrap();
    let shown = text(&verified);
    assert_eq!(verified.status.code(), Some(1), "{shown}");
    assert!(!shown.contains("s3cr3"), "a secret was printed: {shown}");
}

/// A secrets file that does not parse is named, never echoed; one that others may read is
/// named in a warning.
#[test]
fn a_secrets_file_is_never_echoed_and_a_readable_one_is_warned_about() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = scratch("secrets");
    let file = dir.join("secrets.json");
    std::fs::write(&file, r#"{"consumer_secret": 8675309, "token_secret": "Ts3cr3t"}"#).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    for args in [["explain", "--url", URL, "--consumer-key", "k"], ["verify", "--url", URL, "--header", RFC_HEADER]] {
        let command = args[0];
        let output = bin().args(args).arg("--secrets-file").arg(&file).output().unwrap();
        let shown = text(&output);
        assert_eq!(output.status.code(), Some(2), "{command}: {shown}");
        assert!(shown.contains("secrets.json") && shown.contains("line 1"), "{command}: {shown}");
        assert!(!shown.contains("8675309") && !shown.contains("s3cr3"), "{command}: {shown}");
    }

    std::fs::write(&file, format!(r#"{{"consumer_secret": "{CONSUMER_SECRET}", "token_secret": "{TOKEN_SECRET}"}}"#))
        .unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let output = bin()
        .args(["verify", "--url", URL, "--now", "137131202", "--header", RFC_HEADER, "--secrets-file"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("warning: the secrets file") && stderr.contains("chmod 600"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `explain` exits 2 on input the reference cannot sign (documented: 2 is bad input), and
/// control characters in what it echoes reach the terminal escaped.
#[test]
fn explain_exits_2_on_bad_input_and_escapes_control_characters() {
    for url in ["notaurl", "http://e.com/\u{1b}]0;pwned\u{7}"] {
        let output = bin()
            .args(["explain", "--url", url, "--consumer-key", "k"])
            .env("OAUTH1_CONSUMER_SECRET", "c")
            .output()
            .unwrap();
        let shown = text(&output);
        assert_eq!(output.status.code(), Some(2), "{shown}");
        assert!(!shown.contains('\u{1b}') && !shown.contains('\u{7}'), "{shown:?}");
    }
}

/// A body over --max-body is refused (2) without reading it whole, even one that never ends.
#[test]
fn verify_refuses_a_body_over_the_cap() {
    let dir = scratch("body");
    let body = dir.join("body.txt");
    std::fs::write(&body, "a=1&".repeat(300)).unwrap();
    let output = verify(RFC_HEADER, None).arg("--body-file").arg(&body).args(["--max-body", "1000"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(text(&output).contains("larger than --max-body 1000 bytes"), "{}", text(&output));
    let output = verify(RFC_HEADER, None).args(["--body-file", "/dev/zero", "--max-body", "1000000"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A form body of 80,000 parameters (1.2 MB) gets a verdict whose output stays small: long
/// values elided with their length, the parameter list cut with a count.
#[test]
fn the_diagnosis_of_a_large_body_is_bounded() {
    let dir = scratch("large");
    let body = dir.join("form.txt");
    let form: Vec<String> = (0..80_000).map(|i| format!("p{i:05}=xxxxxxx")).collect();
    std::fs::write(&body, form.join("&")).unwrap();
    let output = verify(RFC_HEADER, None)
        .args(["--content-type", "application/x-www-form-urlencoded", "--body-file"])
        .arg(&body)
        .output()
        .unwrap();
    let shown = text(&output);
    assert_eq!(output.status.code(), Some(1), "{shown:.3000}");
    assert!(shown.starts_with("invalid: signature_mismatch"), "{shown:.3000}");
    assert!(shown.len() < 40_000, "{} bytes of output", shown.len());
    assert!(shown.contains("bytes not shown;"), "{shown:.3000}");
    // 80,000 from the body, 2 from the query, 5 from the header (realm and the signature are
    // not collected, RFC 5849 §3.4.1.3.1).
    assert!(shown.contains("… and 79907 more (80007 in all)"), "{shown:.3000}");
    let _ = std::fs::remove_dir_all(&dir);
}
