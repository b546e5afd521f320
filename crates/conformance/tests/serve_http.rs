//! `serve-http` over real HTTP on loopback: the reference verifier behind the wire server,
//! driven by the wire client. Expected base strings and verdicts come from the corpus's
//! RFC 5849 examples (vectors/rfc5849.json, vectors/signature-methods.json), not from the code
//! under test; every server started here is shut down (or killed) before its test ends.

use std::io::{BufRead as _, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use oauth1_conformance::live::credentials::Credentials;
use oauth1_conformance::live::serve_http::{start, ReferenceServer, ServeHttpOptions};
use oauth1_reference::sign::{sign, OAuthParameters, Request, Secrets};
use oauth1_reference::signature::SignatureMethod;
use oauth1_wire::client::{Client, ClientOptions, RawRequest, RawResponse, Route};
use oauth1_wire::server::{ServerConfig, ServerHandle};
use serde_json::Value;

/// A case of a corpus file.
fn vector(file: &str, id: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../vectors").join(file);
    let corpus: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    corpus["cases"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap().clone()
}

/// The consumers and tokens of the RFC 5849 examples and the corpus's RSA key.
fn credentials_json(verifier: Option<&str>) -> String {
    let certificate =
        vector("signature-methods.json", "sigmeth-verify-rsa-sha1")["secrets"]["rsa_public_key_pem"].clone();
    serde_json::json!({
        "consumers": [
            {"key": "dpf43f3p2l4k3l03", "secret": "kd94hf93k423kf44"},
            {"key": "9djdj82h48djs9d2", "secret": "j49sk3j29djd"},
            {"key": "0685bd9184jfhq22", "secret": "", "rsa_public_key_pem": certificate},
        ],
        "tokens": [
            {"token": "nnch734d00sl2jdk", "secret": "pfkkdhi9sl3r4s00", "consumer_key": "dpf43f3p2l4k3l03"},
            {"token": "kkk9d7dh3k39sjv7", "secret": "dh893hdasih9", "consumer_key": "9djdj82h48djs9d2"},
            {"token": "ad180jjd733klru7", "secret": "", "consumer_key": "0685bd9184jfhq22"},
        ],
        "verifier": verifier,
    })
    .to_string()
}

const SECRETS: [&str; 4] = ["kd94hf93k423kf44", "pfkkdhi9sl3r4s00", "j49sk3j29djd", "dh893hdasih9"];

/// Seconds: wide enough for the 1974 timestamps of the RFC's examples.
const ANY_TIME: u64 = 4_000_000_000;

fn server(behind_proxy: bool, timestamp_window: u64, verifier: Option<&str>) -> ServerHandle {
    let options = ServeHttpOptions {
        credentials: Credentials::from_json(&credentials_json(verifier)).unwrap(),
        behind_proxy,
        timestamp_window,
        nonce_store: None,
    };
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    start(listener, ReferenceServer::new(options).unwrap(), ServerConfig::default()).unwrap()
}

fn client() -> Client {
    Client::new(ClientOptions { timeout: Duration::from_secs(10), ..ClientOptions::default() }).unwrap()
}

/// The request of a sign or verify case, with `authorization`, sent as plain HTTP to `server`
/// with the URL's Host, plus `extra` header fields.
fn send(server: &ServerHandle, case: &Value, authorization: &str, extra: &[(&str, &str)]) -> (u16, Value) {
    let request = &case["request"];
    let url = request["url"].as_str().unwrap();
    let mut raw =
        RawRequest::for_url(request["method"].as_str().unwrap(), url).unwrap().header("Authorization", authorization);
    for (name, value) in extra {
        raw = raw.header(*name, *value);
    }
    if let Some(content_type) = request["content_type"].as_str() {
        raw = raw.header("Content-Type", content_type);
    }
    if let Some(body) = request["body"].as_str() {
        raw = raw.body(body).with_content_length();
    }
    let route = Route::new(url, Some(&format!("http://{}", server.local_addr()))).unwrap();
    let response = client().send(&route, &raw).unwrap();
    (response.status, parse(&response))
}

fn parse(response: &RawResponse) -> Value {
    let text = response.body_text();
    for secret in SECRETS {
        assert!(!text.contains(secret), "a secret in the response: {text}");
    }
    serde_json::from_str(&text).unwrap_or(Value::String(text))
}

fn header_of(case: &Value) -> String {
    case["expected"]["authorization_header"].as_str().unwrap().to_owned()
}

#[test]
fn the_rfc_examples_verify_over_http_and_a_replay_is_refused() {
    let server = server(false, ANY_TIME, None);
    for id in ["rfc5849-1.2-protected-resource", "rfc5849-3.4.1-hmac-sha1"] {
        let case = vector("rfc5849.json", id);
        let (status, echo) = send(&server, &case, &header_of(&case), &[]);
        assert_eq!(status, 200, "{id}: {echo}");
        assert_eq!(echo["verified"], true);
        assert_eq!(echo["signature_base_string"], case["expected"]["signature_base_string"], "{id}");
        assert_eq!(echo["base_string_uri"], case["expected"]["base_string_uri"], "{id}");
        assert_eq!((&echo["consumer_key"], &echo["token"]), (&case["oauth"]["consumer_key"], &case["oauth"]["token"]));
        assert_eq!(echo["checks"]["nonce"], "ok");

        // The same request again: RFC 5849 §3.3, the nonce was used.
        let (status, refusal) = send(&server, &case, &header_of(&case), &[]);
        assert_eq!((status, &refusal["reason"]), (401, &Value::from("nonce_replayed")), "{id}: {refusal}");
    }
    server.shutdown();
}

#[test]
fn tampered_requests_are_refused_with_the_check_and_base_string() {
    let server = server(false, ANY_TIME, None);
    // The signature the RFC prints for §3.1, wrong by errata 2550: the corpus expects a
    // signature mismatch.
    let printed = vector("rfc5849.json", "rfc5849-3.4.1-verify-printed-signature");
    let authorization = printed["request"]["headers"][0][1].as_str().unwrap();
    let (status, refusal) = send(&server, &printed, authorization, &[]);
    assert_eq!((status, &refusal["reason"]), (401, &printed["expected"]["reason"]), "{refusal}");
    let sign_case = vector("rfc5849.json", "rfc5849-3.4.1-hmac-sha1");
    assert_eq!(refusal["signature_base_string"], sign_case["expected"]["signature_base_string"]);

    // §1.2's request with one query value changed after signing.
    let mut case = vector("rfc5849.json", "rfc5849-1.2-protected-resource");
    let authorization = header_of(&case);
    case["request"]["url"] = Value::from("http://photos.example.net/photos?file=vacation.jpg&size=large");
    let (status, refusal) = send(&server, &case, &authorization, &[]);
    assert_eq!((status, &refusal["reason"]), (401, &Value::from("signature_mismatch")), "{refusal}");
    // The verifier's base string is the RFC's with that value edited by hand.
    let original = vector("rfc5849.json", "rfc5849-1.2-protected-resource");
    let expected =
        original["expected"]["signature_base_string"].as_str().unwrap().replace("size%3Doriginal", "size%3Dlarge");
    assert_eq!(refusal["signature_base_string"], expected);
    server.shutdown();
}

#[test]
fn behind_a_proxy_the_forwarded_scheme_is_honoured() {
    // §1.2's temporary-credential request was signed for https://photos.example.net/initiate;
    // it reaches the server as plain HTTP from a TLS-terminating proxy.
    let case = vector("rfc5849.json", "rfc5849-1.2-temporary-credentials");
    let expected_base_string = &case["expected"]["signature_base_string"];

    let direct = server(false, ANY_TIME, None);
    let (status, refusal) = send(&direct, &case, &header_of(&case), &[("X-Forwarded-Proto", "https")]);
    assert_eq!((status, &refusal["reason"]), (401, &Value::from("signature_mismatch")), "{refusal}");
    assert_eq!(refusal["base_string_uri"], "http://photos.example.net/initiate");
    direct.shutdown();

    for forwarded in [("X-Forwarded-Proto", "https"), ("Forwarded", "for=192.0.2.60;proto=https")] {
        let proxied = server(true, ANY_TIME, None);
        let (status, echo) = send(&proxied, &case, &header_of(&case), &[forwarded]);
        assert_eq!(status, 200, "{forwarded:?}: {echo}");
        assert_eq!(&echo["signature_base_string"], expected_base_string);
        assert_eq!(echo["base_string_uri"], case["expected"]["base_string_uri"]);
        proxied.shutdown();
    }
}

#[test]
fn rsa_sha1_with_a_form_body_behind_a_proxy() {
    let case = vector("signature-methods.json", "sigmeth-verify-rsa-sha1");
    assert_eq!(case["result"], "valid");
    let authorization = case["request"]["headers"][0][1].as_str().unwrap();
    let server = server(true, ANY_TIME, None);
    let (status, echo) = send(&server, &case, authorization, &[("X-Forwarded-Proto", "https")]);
    assert_eq!((status, &echo["signature_method"]), (200, &Value::from("RSA-SHA1")), "{echo}");
    server.shutdown();
}

fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// Signs `url` now with the reference signer and sends it to `server`.
fn sign_and_send(
    server: &ServerHandle,
    url: &str,
    method: SignatureMethod,
    (consumer, token): (&str, Option<(&str, &str)>),
    timestamp: u64,
    extra: &[(&str, &str)],
) -> (u16, Value) {
    let request = Request { method: "POST", url, content_type: None, body: None };
    let timestamp = timestamp.to_string();
    let nonce = format!("n{}", SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos());
    let oauth = OAuthParameters {
        consumer_key: consumer,
        token: token.map(|(t, _)| t),
        signature_method: method,
        timestamp: Some(&timestamp),
        nonce: Some(&nonce),
        version: None,
        realm: None,
        extra,
        compute_body_hash: false,
    };
    let consumer_secret = if consumer == "dpf43f3p2l4k3l03" { "kd94hf93k423kf44" } else { "unknown" };
    let secrets = Secrets { consumer_secret, token_secret: token.map_or("", |(_, s)| s), rsa_private_key: None };
    let signed = sign(&request, &oauth, &secrets).unwrap();
    let raw = RawRequest::for_url("POST", url).unwrap().header("Authorization", signed.authorization_header);
    let route = Route::new(url, Some(&format!("http://{}", server.local_addr()))).unwrap();
    let response = client().send(&route, &raw).unwrap();
    (response.status, parse(&response))
}

const KEY: &str = "dpf43f3p2l4k3l03";
const TOKEN: Option<(&str, &str)> = Some(("nnch734d00sl2jdk", "pfkkdhi9sl3r4s00"));

#[test]
fn requests_signed_now_by_the_reference_signer() {
    let server = server(false, 300, None);
    let url = "http://api.example.com/v1/photos?size=original";
    for method in [SignatureMethod::HmacSha1, SignatureMethod::HmacSha256, SignatureMethod::Plaintext] {
        let (status, echo) = sign_and_send(&server, url, method, (KEY, TOKEN), unix_now(), &[]);
        assert_eq!(status, 200, "{method:?}: {echo}");
        assert_eq!(echo["signature_method"], method.name());
    }
    // §3.3: a timestamp outside the 300 s window.
    let (status, refusal) =
        sign_and_send(&server, url, SignatureMethod::HmacSha1, (KEY, TOKEN), unix_now() - 1000, &[]);
    assert_eq!((status, &refusal["reason"]), (401, &Value::from("timestamp_out_of_window")), "{refusal}");
    // Unknown credentials are 401, a malformed request 400 (RFC 5849 §3.2).
    let (status, refusal) = sign_and_send(&server, url, SignatureMethod::HmacSha1, ("nobody", None), unix_now(), &[]);
    assert_eq!((status, &refusal["reason"]), (401, &Value::from("unknown_consumer")), "{refusal}");
    let unknown_token = Some(("not-issued", "x"));
    let (status, refusal) =
        sign_and_send(&server, url, SignatureMethod::HmacSha1, (KEY, unknown_token), unix_now(), &[]);
    assert_eq!((status, &refusal["reason"]), (401, &Value::from("unknown_token")), "{refusal}");
    let route = Route::new(url, Some(&format!("http://{}", server.local_addr()))).unwrap();
    let unsigned = RawRequest::for_url("GET", url).unwrap().header("Authorization", "OAuth oauth_consumer_key=\"k\"");
    let response = client().send(&route, &unsigned).unwrap();
    assert_eq!((response.status, &parse(&response)["reason"]), (400, &Value::from("missing_parameter")));
    let no_host = RawRequest::new("GET", "/v1/photos");
    assert_eq!(client().send(&route, &no_host).unwrap().status, 400);
    server.shutdown();
}

fn form_value<'a>(form: &'a str, name: &str) -> Option<&'a str> {
    form.split('&').find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
}

#[test]
fn the_section_2_flow() {
    let server = server(false, 300, Some("hfdp7dh39dks9884"));
    let base = "http://photos.example.net";
    let callback = [("oauth_callback", "http://printer.example.com/ready")];
    // §2.1: oauth_callback is required.
    let (status, refusal) =
        sign_and_send(&server, &format!("{base}/initiate"), SignatureMethod::HmacSha1, (KEY, None), unix_now(), &[]);
    assert_eq!((status, &refusal["reason"]), (400, &Value::from("missing_parameter")), "{refusal}");
    let (status, form) = sign_and_send(
        &server,
        &format!("{base}/initiate"),
        SignatureMethod::HmacSha1,
        (KEY, None),
        unix_now(),
        &callback,
    );
    assert_eq!(status, 200, "{form}");
    let form = form.as_str().unwrap().to_owned();
    assert_eq!(form_value(&form, "oauth_callback_confirmed"), Some("true"));
    let temporary = (form_value(&form, "oauth_token").unwrap(), form_value(&form, "oauth_token_secret").unwrap());

    // §2.3: the verifier must be the one issued.
    let token_url = format!("{base}/token");
    let wrong = [("oauth_verifier", "not-the-verifier")];
    let (status, refusal) =
        sign_and_send(&server, &token_url, SignatureMethod::HmacSha1, (KEY, Some(temporary)), unix_now(), &wrong);
    assert_eq!((status, &refusal["reason"]), (401, &Value::from("invalid_verifier")), "{refusal}");
    let right = [("oauth_verifier", "hfdp7dh39dks9884")];
    let (status, form) =
        sign_and_send(&server, &token_url, SignatureMethod::HmacSha1, (KEY, Some(temporary)), unix_now(), &right);
    assert_eq!(status, 200, "{form}");
    let form = form.as_str().unwrap().to_owned();
    let issued = (form_value(&form, "oauth_token").unwrap(), form_value(&form, "oauth_token_secret").unwrap());
    // The token credentials open the resources; the temporary ones are spent.
    let (status, echo) = sign_and_send(
        &server,
        &format!("{base}/photos"),
        SignatureMethod::HmacSha1,
        (KEY, Some(issued)),
        unix_now(),
        &[],
    );
    assert_eq!((status, &echo["token"]), (200, &Value::from(issued.0)), "{echo}");
    let (status, _) =
        sign_and_send(&server, &token_url, SignatureMethod::HmacSha1, (KEY, Some(temporary)), unix_now(), &right);
    assert_eq!(status, 401);
    server.shutdown();
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("oauth1-serve-http-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The binary, killed if a test fails before it stops it.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn(args: &[&str]) -> (Running, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_oauth1-conformance"))
        .arg("serve-http")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    (Running(child), line.trim_end().to_owned())
}

fn stop(mut running: Running) -> Option<i32> {
    let status = Command::new("kill").args(["-TERM", &running.0.id().to_string()]).status().unwrap();
    assert!(status.success());
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        if let Some(status) = running.0.try_wait().unwrap() {
            return status.code();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("serve-http did not stop on SIGTERM");
}

#[test]
fn the_command_prints_its_address_serves_tls_and_stops_on_sigterm() {
    let dir = scratch("tls");
    let credentials = dir.join("credentials.json");
    std::fs::write(&credentials, credentials_json(None)).unwrap();
    let ca = dir.join("ca.pem");
    let (running, line) = spawn(&[
        "--listen",
        "127.0.0.1:0",
        "--credentials",
        credentials.to_str().unwrap(),
        "--tls",
        "--ca-out",
        ca.to_str().unwrap(),
    ]);
    let base = line.strip_prefix("listening on ").unwrap_or_else(|| panic!("{line}"));
    assert!(base.starts_with("https://127.0.0.1:"), "{line}");
    let port = base.rsplit(':').next().unwrap();

    let url = format!("https://localhost:{port}/photos?file=vacation.jpg");
    let request = Request { method: "GET", url: &url, content_type: None, body: None };
    let timestamp = unix_now().to_string();
    let oauth = OAuthParameters {
        consumer_key: KEY,
        token: Some("nnch734d00sl2jdk"),
        signature_method: SignatureMethod::HmacSha1,
        timestamp: Some(&timestamp),
        nonce: Some("tls-nonce"),
        version: None,
        realm: None,
        extra: &[],
        compute_body_hash: false,
    };
    let secrets =
        Secrets { consumer_secret: "kd94hf93k423kf44", token_secret: "pfkkdhi9sl3r4s00", rsa_private_key: None };
    let signed = sign(&request, &oauth, &secrets).unwrap();
    let trusting = Client::new(ClientOptions { ca_file: Some(ca), ..ClientOptions::default() }).unwrap();
    let raw = RawRequest::for_url("GET", &url).unwrap().header("Authorization", signed.authorization_header);
    let route = Route::new(&url, Some(&format!("127.0.0.1:{port}"))).unwrap();
    let response = trusting.send(&route, &raw).unwrap();
    assert_eq!(response.status, 200, "{}", response.body_text());
    assert_eq!(parse(&response)["base_string_uri"], format!("https://localhost:{port}/photos"));
    assert_eq!(stop(running), Some(0));
    assert!(std::net::TcpStream::connect(format!("127.0.0.1:{port}")).is_err(), "still listening");
}

#[test]
fn a_bad_credentials_file_or_a_busy_port_exits_2_without_echoing_secrets() {
    let dir = scratch("bad");
    let credentials = dir.join("credentials.json");
    std::fs::write(&credentials, r#"{"consumers": [{"key": "k", "secret": 987654321, "note": "kd94hf93k423kf44"}]}"#)
        .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_oauth1-conformance"))
        .args(["serve-http", "--credentials"])
        .arg(&credentials)
        .output()
        .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.contains("credentials.json") && text.contains("consumers[0]"), "{text}");
    assert!(!text.contains("kd94hf93k423kf44") && !text.contains("987654321"), "{text}");

    std::fs::write(&credentials, credentials_json(None)).unwrap();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_oauth1-conformance"))
        .args(["serve-http", "--listen", &taken.local_addr().unwrap().to_string(), "--credentials"])
        .arg(&credentials)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot listen on"));
}

#[test]
fn a_nonce_file_refuses_replays_across_restarts() {
    let dir = scratch("nonces");
    let nonces = dir.join("nonces.jsonl");
    let case = vector("rfc5849.json", "rfc5849-1.2-protected-resource");
    for expected in [200, 401] {
        let options = ServeHttpOptions {
            credentials: Credentials::from_json(&credentials_json(None)).unwrap(),
            behind_proxy: false,
            timestamp_window: ANY_TIME,
            nonce_store: Some(nonces.clone()),
        };
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let server = start(listener, ReferenceServer::new(options).unwrap(), ServerConfig::default()).unwrap();
        let (status, body) = send(&server, &case, &header_of(&case), &[]);
        assert_eq!(status, expected, "{body}");
        server.shutdown();
    }
    let recorded = std::fs::read_to_string(&nonces).unwrap();
    assert_eq!(recorded.lines().count(), 1);
    assert!(recorded.contains("\"chapoH\"") && !SECRETS.iter().any(|s| recorded.contains(s)), "{recorded}");
}
