//! The live-client findings of reqwest-oauth1 (`clients/reqwest-oauth1/CASE`, found by
//! `oauth1-conformance capture`), driven as its capture driver (adapters/rust-reqwest-oauth1)
//! drives the crate: `reqwest::Client::oauth1(secrets)` with the capture's test credentials,
//! `.request(method, url)`, `.form(&pairs)` for a form body, the case's Content-Type, the crate
//! choosing its own nonce and timestamp.
//!
//! A signature finding is signed (`generate_signature()`, `build()`), not sent: its table entry
//! gives RFC 5849's signature base string and the documented one (`own_nonce.rs` puts the crate's
//! nonce and timestamp in and signs both with the `hmac` and `sha1` crates). The redirect finding is
//! sent, with reqwest's own redirect handling, to a loopback server on 127.0.0.1, port 0 (a std
//! `TcpListener` thread, every read bounded), which answers the first request 307 to `…/moved`:
//! the dossier documents the first request's Authorization header re-sent byte for byte; RFC 5849
//! wants the re-sent request signed for its new URL with a fresh nonce (§3.3, §3.4.1.2).

use std::io::{BufRead, BufReader, ErrorKind, Write};
use std::net::TcpListener;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use reqwest_oauth1::{OAuthClientProvider, Secrets};
use serde_json::Value;

use crate::own_nonce::{self, Sent};

/// Each finding's capture case on a fixed loopback URL, with the crate's nonce and timestamp
/// written as `n0nce` and `1` in both base strings. The crate's protocol parameters, sorted:
/// oauth_consumer_key, oauth_nonce, oauth_signature_method, oauth_timestamp, oauth_token (it sends
/// no oauth_version, which RFC 5849 §3.1 makes optional).
const FINDINGS: &str = r####"[
 {
  "finding": "clients/reqwest-oauth1/brackets-array",
  "vector": "capture brackets-array: names-not-encoded, a bracketed name written into the base string unencoded",
  "stage": "signature",
  "request": {"method": "GET", "url": "http://127.0.0.1:8080/reqwest-oauth1/brackets-array?a[]=1&a[]=2", "content_type": null, "body": null},
  "oauth": {"nonce": "n0nce", "timestamp": "1"},
  "rfc": {"base_string": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Freqwest-oauth1%2Fbrackets-array&a%255B%255D%3D1%26a%255B%255D%3D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1%26oauth_token%3Dnnch734d00sl2jdk", "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00"},
  "documented": {"base_string": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Freqwest-oauth1%2Fbrackets-array&a[]%3D1%26a[]%3D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1%26oauth_token%3Dnnch734d00sl2jdk", "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00"}
 },
 {
  "finding": "clients/reqwest-oauth1/brackets-encoded",
  "vector": "capture brackets-encoded: names-not-encoded, a percent-encoded bracketed name signed decoded and unencoded",
  "stage": "signature",
  "request": {"method": "GET", "url": "http://127.0.0.1:8080/reqwest-oauth1/brackets-encoded?a%5B%5D=1&a%5B%5D=2", "content_type": null, "body": null},
  "oauth": {"nonce": "n0nce", "timestamp": "1"},
  "rfc": {"base_string": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Freqwest-oauth1%2Fbrackets-encoded&a%255B%255D%3D1%26a%255B%255D%3D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1%26oauth_token%3Dnnch734d00sl2jdk", "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00"},
  "documented": {"base_string": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Freqwest-oauth1%2Fbrackets-encoded&a[]%3D1%26a[]%3D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1%26oauth_token%3Dnnch734d00sl2jdk", "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00"}
 },
 {
  "finding": "clients/reqwest-oauth1/brackets-form",
  "vector": "capture brackets-form: names-not-encoded, bracketed names of a form body signed unencoded",
  "stage": "signature",
  "request": {"method": "POST", "url": "http://127.0.0.1:8080/reqwest-oauth1/brackets-form", "content_type": "application/x-www-form-urlencoded", "body": "tags[]=x&tags[]=y&user[name]=bob"},
  "oauth": {"nonce": "n0nce", "timestamp": "1"},
  "rfc": {"base_string": "POST&http%3A%2F%2F127.0.0.1%3A8080%2Freqwest-oauth1%2Fbrackets-form&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1%26oauth_token%3Dnnch734d00sl2jdk%26tags%255B%255D%3Dx%26tags%255B%255D%3Dy%26user%255Bname%255D%3Dbob", "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00"},
  "documented": {"base_string": "POST&http%3A%2F%2F127.0.0.1%3A8080%2Freqwest-oauth1%2Fbrackets-form&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1%26oauth_token%3Dnnch734d00sl2jdk%26tags[]%3Dx%26tags[]%3Dy%26user[name]%3Dbob", "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00"}
 },
 {
  "finding": "clients/reqwest-oauth1/brackets-hash",
  "vector": "capture brackets-hash: names-not-encoded, bracketed names signed unencoded",
  "stage": "signature",
  "request": {"method": "GET", "url": "http://127.0.0.1:8080/reqwest-oauth1/brackets-hash?a[b]=c&a[d]=e", "content_type": null, "body": null},
  "oauth": {"nonce": "n0nce", "timestamp": "1"},
  "rfc": {"base_string": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Freqwest-oauth1%2Fbrackets-hash&a%255Bb%255D%3Dc%26a%255Bd%255D%3De%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1%26oauth_token%3Dnnch734d00sl2jdk", "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00"},
  "documented": {"base_string": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Freqwest-oauth1%2Fbrackets-hash&a[b]%3Dc%26a[d]%3De%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1%26oauth_token%3Dnnch734d00sl2jdk", "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00"}
 },
 {
  "finding": "clients/reqwest-oauth1/form-and-query",
  "vector": "capture form-and-query: ignores-form-body, a form body is not signed when the URL has a query",
  "stage": "signature",
  "request": {"method": "POST", "url": "http://127.0.0.1:8080/reqwest-oauth1/form-and-query?q=1", "content_type": "application/x-www-form-urlencoded", "body": "b=2"},
  "oauth": {"nonce": "n0nce", "timestamp": "1"},
  "rfc": {"base_string": "POST&http%3A%2F%2F127.0.0.1%3A8080%2Freqwest-oauth1%2Fform-and-query&b%3D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1%26oauth_token%3Dnnch734d00sl2jdk%26q%3D1", "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00"},
  "documented": {"base_string": "POST&http%3A%2F%2F127.0.0.1%3A8080%2Freqwest-oauth1%2Fform-and-query&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1%26oauth_token%3Dnnch734d00sl2jdk%26q%3D1", "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00"}
 }
]"####;

/// The redirect finding: RFC 5849's base string of the request re-sent to `…/moved`, with
/// `{port}`, `{nonce}` and `{timestamp}` for the loopback server's port and the re-sent request's
/// nonce and timestamp.
const REDIRECT: &str = "clients/reqwest-oauth1/redirect-307";
const REDIRECT_RFC: &str = "GET&http%3A%2F%2F127.0.0.1%3A{port}%2Freqwest-oauth1%2Fredirect-307%2Fmoved&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26x%3D1";

/// The capture's fixed test credentials (RFC 5849 §1.2's client and token).
const CONSUMER: (&str, &str) = ("dpf43f3p2l4k3l03", "kd94hf93k423kf44");
const TOKEN: (&str, &str) = ("nnch734d00sl2jdk", "pfkkdhi9sl3r4s00");

/// How long the loopback server waits for a request's bytes, and the client for its answer.
const TIMEOUT: Duration = Duration::from_secs(5);

/// Whether `finding` is one of this module's.
pub(crate) fn is_live(finding: &str) -> bool {
    finding.starts_with("clients/")
}

/// Runs the live finding named on the command line.
pub(crate) fn run(finding: &str) -> ExitCode {
    if finding == REDIRECT {
        return redirect();
    }
    own_nonce::check("reqwest-oauth1", FINDINGS, sign)
}

fn secrets() -> Secrets<'static> {
    Secrets::new(CONSUMER.0, CONSUMER.1).token(TOKEN.0, TOKEN.1)
}

/// The capture driver's request, signed and built, not sent.
fn sign(entry: &Value) -> Sent {
    let request = &entry["request"];
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let method = reqwest::Method::from_bytes(text(&request["method"]).as_bytes()).expect("an HTTP method");
    let client = reqwest::Client::new();
    let mut builder = client.oauth1(secrets()).request(method, text(&request["url"]));
    if let Some(body) = request["body"].as_str() {
        builder = builder.form(&own_nonce::form_pairs(body));
    }
    if let Some(content_type) = request["content_type"].as_str() {
        builder = builder.header("Content-Type", content_type);
    }
    let built = builder.generate_signature().expect("signed").build().expect("built");
    let header = built.headers().get(reqwest::header::AUTHORIZATION).expect("an Authorization header");
    Sent::from_header(&String::from_utf8_lossy(header.as_bytes()))
}

/// A request as the loopback server received it: its request target and Authorization header.
struct Arrival {
    target: String,
    authorization: String,
}

/// Reads one request's head from `stream` (every read bounded by [`TIMEOUT`]) and answers it:
/// the first 307 to `moved`, the second 200.
fn serve_one(listener: &TcpListener, moved: &str, first: bool) -> std::io::Result<Arrival> {
    let stream = accept_within(listener, TIMEOUT)?;
    stream.set_read_timeout(Some(TIMEOUT))?;
    stream.set_write_timeout(Some(TIMEOUT))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let target = line.split(' ').nth(1).unwrap_or_default().to_owned();
    let mut authorization = String::new();
    for _ in 0..100 {
        line.clear();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("authorization") {
                value.trim().clone_into(&mut authorization);
            }
        }
    }
    let answer = if first {
        format!(
            "HTTP/1.1 307 Temporary Redirect\r\nLocation: {moved}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )
    } else {
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}".to_owned()
    };
    (&stream).write_all(answer.as_bytes())?;
    Ok(Arrival { target, authorization })
}

/// The next connection, or a timeout error after `limit` (the listener does not block).
fn accept_within(listener: &TcpListener, limit: Duration) -> std::io::Result<std::net::TcpStream> {
    let deadline = Instant::now() + limit;
    loop {
        match listener.accept() {
            Ok((stream, _)) => {
                stream.set_nonblocking(false)?;
                return Ok(stream);
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock && Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(e) => return Err(e),
        }
    }
}

/// Sends the redirect case with reqwest and compares the re-sent request with the first.
fn redirect() -> ExitCode {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    listener.set_nonblocking(true).expect("a non-blocking listener");
    let port = listener.local_addr().expect("its address").port();
    let url = format!("http://127.0.0.1:{port}/reqwest-oauth1/redirect-307?x=1");
    let moved = format!("http://127.0.0.1:{port}/reqwest-oauth1/redirect-307/moved?x=1");
    println!("finding:  {REDIRECT} (capture case GET {url}, answered 307 to {moved})");
    // Each accept and read of the server thread gives up after TIMEOUT.
    let server = std::thread::spawn(move || -> Vec<Arrival> {
        let first = serve_one(&listener, &moved, true);
        let again = first.is_ok().then(|| serve_one(&listener, &moved, false));
        first.into_iter().chain(again.into_iter().flatten()).collect()
    });
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
    let sent = runtime.block_on(async {
        let client = reqwest::Client::builder().timeout(TIMEOUT).build().map_err(|e| e.to_string())?;
        client
            .oauth1(secrets())
            .get(&url)
            .send()
            .await
            .map_err(|e| e.to_string())?
            .bytes()
            .await
            .map_err(|e| e.to_string())
    });
    if let Err(e) = sent {
        println!("changed: reqwest did not complete the redirected request ({e})");
        return ExitCode::from(4);
    }
    let arrivals = server.join().unwrap_or_default();
    let [first, again] = arrivals.as_slice() else {
        println!("changed: reqwest did not follow the 307 (nothing was re-sent)");
        return ExitCode::from(4);
    };
    judge_redirect(first, again, port)
}

fn judge_redirect(first: &Arrival, again: &Arrival, port: u16) -> ExitCode {
    let (sent, before) = (Sent::from_header(&again.authorization), Sent::from_header(&first.authorization));
    let param = |sent: &Sent, name: &str| sent.param(name).unwrap_or_default().to_owned();
    let base = REDIRECT_RFC
        .replace("{port}", &port.to_string())
        .replace("{nonce}", &own_nonce::encode(&own_nonce::encode(&param(&sent, "oauth_nonce"))))
        .replace("{timestamp}", &own_nonce::encode(&own_nonce::encode(&param(&sent, "oauth_timestamp"))));
    let rfc = own_nonce::hmac_sha1(&format!("{}&{}", CONSUMER.1, TOKEN.1), &base);
    println!("first:    {}\n          {}", first.target, first.authorization);
    println!("re-sent:  {}\n          {}", again.target, again.authorization);
    println!("RFC 5849 signs the re-sent request (with its nonce and timestamp): {base}");
    println!("reqwest-oauth1: {}", param(&sent, "oauth_signature"));
    println!("RFC 5849: {rfc}, with a nonce other than {:?}", param(&before, "oauth_nonce"));
    if param(&sent, "oauth_signature") == rfc && param(&sent, "oauth_nonce") != param(&before, "oauth_nonce") {
        println!("fixed: reqwest-oauth1 now signs the re-sent request for its new URL with a fresh nonce");
        return ExitCode::from(3);
    }
    if again.authorization != first.authorization {
        println!("changed: the re-sent header is neither the first one nor signed for the new URL with a fresh nonce");
        return ExitCode::from(4);
    }
    println!("as documented: the re-sent request carries the first request's Authorization header, byte for byte");
    ExitCode::SUCCESS
}
