//! `oauth1-conformance probe` against peers that do not answer as HTTP servers should: nothing
//! listening, TLS refused or untrusted, a server that hangs, resets, answers garbage or
//! announces a 2 GB body. Each gives a clear error naming what happened and exit 2, within a
//! bounded time; every peer here is a thread on loopback that ends before its test does. Bad
//! command lines exit 2 too, and `--dry-run` lists the battery without sending anything.

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Output};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const SECRET: &str = "Qp7-consumer-SECRET-4412";

fn probe(url: &str, args: &[&str]) -> (Output, Duration) {
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_oauth1-conformance"))
        .args(["probe", "--url", url, "--consumer-key", "k"])
        .args(if args.contains(&"--timeout") { &[][..] } else { &["--timeout", "2"][..] })
        .args(args)
        .env("OAUTH1_CONSUMER_SECRET", SECRET)
        .env_remove("OAUTH1_TOKEN_SECRET")
        .output()
        .unwrap();
    (output, started.elapsed())
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Exit 2 with `expected` on stderr, within 20 s, and no secret anywhere.
fn assert_bad(output: &Output, took: Duration, expected: &[&str]) {
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), stderr(output));
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(expected.iter().any(|e| stderr(output).contains(e)), "expected one of {expected:?}:\n{text}");
    assert!(took < Duration::from_secs(20), "took {took:?}");
    assert!(!text.contains(SECRET), "{text}");
}

/// A peer that takes one connection on loopback and does `serve` with it, then stops; the
/// listener is closed when the thread ends.
fn peer(serve: impl FnOnce(TcpStream) + Send + 'static) -> (String, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let handle = std::thread::spawn(move || {
        listener.set_nonblocking(true).unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            match listener.accept() {
                Ok((stream, _)) => {
                    stream.set_nonblocking(false).unwrap();
                    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
                    serve(stream);
                    return;
                }
                Err(_) => std::thread::sleep(Duration::from_millis(10)),
            }
        }
    });
    (address, handle)
}

/// Reads the request head (up to its empty line).
fn read_head(stream: &mut TcpStream) {
    let mut seen = Vec::new();
    let mut byte = [0u8; 1];
    while !seen.ends_with(b"\r\n\r\n") && seen.len() < 65_536 {
        match stream.read(&mut byte) {
            Ok(1) => seen.push(byte[0]),
            _ => return,
        }
    }
}

#[test]
fn nothing_listening() {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let (output, took) = probe(&format!("http://127.0.0.1:{port}/x"), &[]);
    assert_bad(&output, took, &["connection refused"]);
}

#[test]
fn tls_to_a_plain_server_and_an_untrusted_certificate() {
    let (address, handle) = peer(|mut stream| {
        read_head(&mut stream);
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    });
    let (output, took) = probe(&format!("https://{address}/x"), &[]);
    handle.join().unwrap();
    assert_bad(&output, took, &["TLS"]);

    // A real TLS server whose certificate no root vouches for.
    let ca = oauth1_wire::tls::ThrowawayCa::generate().unwrap();
    let config = oauth1_wire::server::ServerConfig { tls: Some(ca.server_config()), ..Default::default() };
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let server = oauth1_wire::server::serve(listener, config, |_: &oauth1_wire::server::ReceivedRequest| {
        oauth1_wire::server::Response::new(200)
    })
    .unwrap();
    let (output, took) = probe(&format!("{}/x", server.base_url()), &[]);
    server.shutdown();
    assert_bad(&output, took, &["TLS", "certificate"]);
}

#[test]
fn a_server_that_hangs() {
    let (address, handle) = peer(|mut stream| {
        // Reads everything and never answers, until the client gives up.
        let mut buffer = [0u8; 4096];
        while matches!(stream.read(&mut buffer), Ok(n) if n > 0) {}
    });
    let (output, took) = probe(&format!("http://{address}/x"), &["--timeout", "1"]);
    handle.join().unwrap();
    assert_bad(&output, took, &["timed out"]);
    assert!(took < Duration::from_secs(10), "a 1 s timeout took {took:?}");
}

#[test]
fn a_server_that_resets_the_connection() {
    let (address, handle) = peer(|mut stream| {
        // Unread bytes in the receive buffer make the close a reset.
        let mut first = [0u8; 8];
        let _ = stream.read(&mut first);
        drop(stream);
    });
    let (output, took) = probe(&format!("http://{address}/x"), &[]);
    handle.join().unwrap();
    assert_bad(&output, took, &["connection reset", "closed before the response was complete"]);
}

#[test]
fn a_server_that_answers_garbage() {
    let (address, handle) = peer(|mut stream| {
        read_head(&mut stream);
        let _ = stream.write_all(b"HELLO THERE\x00\x01\r\n\r\nnot http at all");
    });
    let (output, took) = probe(&format!("http://{address}/x"), &[]);
    handle.join().unwrap();
    assert_bad(&output, took, &["malformed response"]);
}

#[test]
fn a_server_that_announces_a_2_gb_body() {
    let (address, handle) = peer(|mut stream| {
        read_head(&mut stream);
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2147483648\r\n\r\n");
        let chunk = vec![b'x'; 64 * 1024];
        // Sends until the client stops reading (it reads 1 MiB), at most 2 GB.
        for _ in 0..32_768 {
            if stream.write_all(&chunk).is_err() {
                break;
            }
        }
    });
    let (output, took) = probe(&format!("http://{address}/x"), &[]);
    handle.join().unwrap();
    assert_bad(&output, took, &["over the 1024 KiB the probe reads"]);
}

#[test]
fn bad_command_lines_exit_2_and_a_dry_run_sends_nothing() {
    for args in [
        vec!["--signature-method", "HMAC-MD5"],
        vec!["--only", "nonsense"],
        vec!["--case", "no-such-case"],
        vec!["--accept-status", "6xx"],
        vec!["--accept-body", "("],
        vec!["--timeout", "0"],
        vec!["--header", "Authorization: OAuth x"],
        vec!["--header", "no colon Kk2-SECRET-HEADER-VALUE"],
        vec!["--rate", "-1"],
    ] {
        let (output, took) = probe("http://127.0.0.1:9/x", &args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", stderr(&output));
        assert!(took < Duration::from_secs(10));
        assert!(!stderr(&output).contains("Kk2-SECRET-HEADER-VALUE"), "{}", stderr(&output));
    }
    let (output, _) = probe("ftp://127.0.0.1/x", &[]);
    assert_eq!(output.status.code(), Some(2));
    // Nothing listens on port 9 of loopback: a dry run that sent a request would fail.
    let (output, _) = probe("http://127.0.0.1:9/x", &["--dry-run"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let listing = String::from_utf8_lossy(&output.stdout);
    assert!(listing.contains("tampered-flipped-signature-bit"), "{listing}");
    assert!(listing.contains("61 cases"), "{listing}");
    let (output, _) = probe("http://127.0.0.1:9/x", &["--dry-run", "--only", "replay"]);
    let listing = String::from_utf8_lossy(&output.stdout);
    // The gate comes along with the family it guards.
    assert!(listing.contains("valid-gate") && listing.contains("replay-same-request"), "{listing}");
    assert!(!listing.contains("tampered-"), "{listing}");
}
