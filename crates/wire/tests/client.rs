//! The raw client against the wire server (over TCP and TLS) and against deliberately broken
//! servers written here. Every server is on loopback and stops before its test ends.

mod support;

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use oauth1_wire::client::{Client, ClientError, ClientOptions, Phase, RawRequest, Route};
use oauth1_wire::server::{Limits, ServerConfig};
use oauth1_wire::tls::ThrowawayCa;
use oauth1_wire::BodyFraming;
use support::{recording_server, start};

const SHORT: Duration = Duration::from_secs(1);

fn client(timeout: Duration) -> Client {
    Client::new(ClientOptions { timeout, ..ClientOptions::default() }).unwrap()
}

#[test]
fn the_server_receives_exactly_the_bytes_sent() {
    let (server, seen) = recording_server(Limits::default());
    let url = format!("http://{}/a%2Fb/%7e?x=+%20&y=%2B&z", server.local_addr());
    let request = RawRequest::for_url("POST", &url)
        .unwrap()
        .header("authorization", "OAuth  oauth_nonce=unquoted,,realm=\"r\"")
        .header("X-Dup", "1")
        .header("x-dup", "2")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("a=%7E&b=+")
        .with_content_length();
    let response = client(Duration::from_secs(5)).send(&Route::new(&url, None).unwrap(), &request).unwrap();
    assert_eq!((response.status, response.truncated), (200, false));
    assert_eq!(response.body_text(), "POST /a%2Fb/%7e?x=+%20&y=%2B&z 9");
    server.shutdown();

    let seen = seen.lock().unwrap();
    let received = &seen[0];
    assert_eq!(received.target, request.target);
    let sent: Vec<(Vec<u8>, Vec<u8>)> =
        received.headers.iter().map(|f| (f.name.clone().into_bytes(), f.value.clone())).collect();
    assert_eq!(sent, request.headers);
    assert_eq!(received.body, request.body);
}

#[test]
fn connect_address_keeps_the_urls_host() {
    let (server, seen) = recording_server(Limits::default());
    // Signed for https://api.example.com, sent as plain HTTP to the backend of a proxy.
    let url = "https://api.example.com/x?y=1";
    let route = Route::new(url, Some(&format!("http://{}", server.local_addr()))).unwrap();
    let response = client(Duration::from_secs(5)).send(&route, &RawRequest::for_url("GET", url).unwrap()).unwrap();
    assert_eq!(response.status, 200);
    server.shutdown();
    let seen = seen.lock().unwrap();
    assert_eq!((seen[0].header("host"), seen[0].tls.is_none()), (Some(&b"api.example.com"[..]), true));
    assert_eq!(seen[0].target, b"/x?y=1");
}

fn temp_file(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("oauth1-wire-{}-{name}", std::process::id()))
}

#[test]
fn tls_with_the_throwaway_ca() {
    let ca = ThrowawayCa::generate().unwrap();
    let ca_file = temp_file("ca.pem");
    ca.write_ca_pem(&ca_file).unwrap();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let keep = std::sync::Arc::clone(&seen);
    let server = start(ServerConfig { limits: Limits::default(), tls: Some(ca.server_config()) }, move |request| {
        keep.lock().unwrap().push(request.tls.clone());
        oauth1_wire::server::Response::text(200, "secure")
    });
    assert!(server.base_url().starts_with("https://127.0.0.1:"));
    let port = server.local_addr().port();
    let trusting = Client::new(ClientOptions { ca_file: Some(ca_file.clone()), ..ClientOptions::default() }).unwrap();
    for host in ["localhost", "127.0.0.1", "[::1]"] {
        let url = format!("https://{host}:{port}/");
        let Ok(route) = Route::new(&url, Some(&format!("127.0.0.1:{port}"))) else { panic!("{url}") };
        let response = trusting.send(&route, &RawRequest::for_url("GET", &url).unwrap()).unwrap();
        assert_eq!(response.body_text(), "secure", "{url}");
    }
    // Without the CA the certificate is not trusted; with --insecure it is not checked.
    let url = format!("https://localhost:{port}/");
    let route = Route::new(&url, Some(&format!("127.0.0.1:{port}"))).unwrap();
    let request = RawRequest::for_url("GET", &url).unwrap();
    let error = client(Duration::from_secs(5)).send(&route, &request).unwrap_err();
    assert!(matches!(&error, ClientError::Tls { reason, .. } if reason.contains("UnknownIssuer")), "{error}");
    let insecure = Client::new(ClientOptions { insecure: true, ..ClientOptions::default() }).unwrap();
    assert_eq!(insecure.send(&route, &request).unwrap().status, 200);
    let stats = server.stats();
    server.shutdown();
    std::fs::remove_file(&ca_file).unwrap();

    // SNI is sent for a DNS name, not for an IP address (RFC 6066 §3).
    let names: Vec<Option<String>> =
        seen.lock().unwrap().iter().map(|tls| tls.as_ref().unwrap().server_name.clone()).collect();
    assert_eq!(names, vec![Some("localhost".to_owned()), None, None, Some("localhost".to_owned())]);
    assert_eq!(stats.tls_failures, 1, "the untrusting client's handshake");
}

/// A broken server: accepts one connection and runs `behave` on it, on its own thread.
fn broken_server(behave: impl FnOnce(TcpStream) + Send + 'static) -> (SocketAddr, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let handle = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        stream.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
        behave(stream);
    });
    (addr, handle)
}

/// Reads the request head, so that the client is waiting for the response.
fn read_head(stream: &mut TcpStream) {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
        buf.push(byte[0]);
    }
}

fn get(addr: SocketAddr, timeout: Duration) -> (Result<oauth1_wire::client::RawResponse, ClientError>, Duration) {
    let url = format!("http://{addr}/");
    let start = Instant::now();
    let result = client(timeout).send(&Route::new(&url, None).unwrap(), &RawRequest::for_url("GET", &url).unwrap());
    (result, start.elapsed())
}

#[test]
fn a_server_that_hangs_times_out() {
    let (addr, server) = broken_server(|mut stream| {
        read_head(&mut stream);
        std::thread::sleep(Duration::from_secs(2));
    });
    let (result, elapsed) = get(addr, SHORT);
    let error = result.unwrap_err();
    assert!(matches!(error, ClientError::Timeout { phase: Phase::ReadHead, .. }), "{error}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    assert_eq!(error.to_string(), format!("timed out after 1.0 s while reading the response head from {addr}"));
    server.join().unwrap();
}

#[test]
fn a_server_that_trickles_its_body_times_out() {
    let (addr, server) = broken_server(|mut stream| {
        read_head(&mut stream);
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n");
        for _ in 0..15 {
            if stream.write_all(b"x").is_err() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    let (result, elapsed) = get(addr, SHORT);
    assert!(matches!(result, Err(ClientError::Timeout { phase: Phase::ReadBody, .. })), "{result:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    server.join().unwrap();
}

#[test]
fn a_server_that_resets() {
    let (addr, server) = broken_server(|stream| {
        // Closing with the request unread makes the kernel send a reset.
        std::thread::sleep(Duration::from_millis(200));
        drop(stream);
    });
    let (result, _) = get(addr, Duration::from_secs(5));
    let error = result.unwrap_err();
    assert!(matches!(error, ClientError::Reset { .. }), "{error}");
    assert_eq!(error.code(), "reset");
    server.join().unwrap();
}

#[test]
fn a_server_that_answers_garbage() {
    let (addr, server) = broken_server(|mut stream| {
        read_head(&mut stream);
        let _ = stream.write_all(b"SSH-2.0-OpenSSH_9.2\r\n\r\n");
    });
    let (result, _) = get(addr, Duration::from_secs(5));
    let error = result.unwrap_err();
    assert!(matches!(&error, ClientError::MalformedResponse { reason, .. } if reason.contains("SSH-2.0")), "{error}");
    server.join().unwrap();
}

#[test]
fn a_two_gigabyte_body_stops_at_one_mebibyte() {
    let (addr, server) = broken_server(|mut stream| {
        read_head(&mut stream);
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2000000000\r\n\r\n");
        let zeros = vec![0u8; 64 * 1024];
        // Until the client hangs up (bounded: 64 MiB, far past what the client reads).
        for _ in 0..1024 {
            if stream.write_all(&zeros).is_err() {
                break;
            }
        }
    });
    let (result, elapsed) = get(addr, Duration::from_secs(5));
    let response = result.unwrap();
    assert_eq!((response.status, response.framing), (200, BodyFraming::ContentLength(2_000_000_000)));
    assert_eq!((response.body.len(), response.truncated), (1024 * 1024, true));
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    server.join().unwrap();
}

#[test]
fn endless_chunked_and_close_delimited_bodies_stop_at_one_mebibyte() {
    for head in [&b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"[..], b"HTTP/1.0 200 OK\r\n\r\n"] {
        let chunked = head.ends_with(b"chunked\r\n\r\n");
        let (addr, server) = broken_server(move |mut stream| {
            read_head(&mut stream);
            let _ = stream.write_all(head);
            let data = vec![b'z'; 64 * 1024];
            for _ in 0..1024 {
                let piece = if chunked { [b"10000\r\n".as_slice(), &data, b"\r\n"].concat() } else { data.clone() };
                if stream.write_all(&piece).is_err() {
                    break;
                }
            }
        });
        let response = get(addr, Duration::from_secs(5)).0.unwrap();
        assert_eq!((response.body.len(), response.truncated), (1024 * 1024, true));
        server.join().unwrap();
    }
}

#[test]
fn a_body_cut_short_and_a_refused_connection() {
    let (addr, server) = broken_server(|mut stream| {
        read_head(&mut stream);
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this");
    });
    let (result, _) = get(addr, Duration::from_secs(5));
    assert!(matches!(result, Err(ClientError::Closed { phase: Phase::ReadBody, .. })), "{result:?}");
    server.join().unwrap();

    let free = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let (result, _) = get(free, Duration::from_secs(5));
    let error = result.unwrap_err();
    assert_eq!(error, ClientError::ConnectionRefused { address: free.to_string() });
}

#[test]
fn interim_responses_are_skipped() {
    let (addr, server) = broken_server(|mut stream| {
        read_head(&mut stream);
        let _ =
            stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 401 Unauthorized\r\nContent-Length: 2\r\n\r\nno");
    });
    let response = get(addr, Duration::from_secs(5)).0.unwrap();
    assert_eq!((response.status, response.body.as_slice()), (401, &b"no"[..]));
    server.join().unwrap();
}

#[test]
fn tls_to_a_plain_server_fails_with_a_tls_error() {
    let (addr, server) = broken_server(|mut stream| {
        let mut buf = [0u8; 512];
        let _ = stream.read(&mut buf);
        let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    });
    let url = format!("https://{addr}/");
    let insecure = Client::new(ClientOptions { insecure: true, timeout: SHORT, ..ClientOptions::default() }).unwrap();
    let error =
        insecure.send(&Route::new(&url, None).unwrap(), &RawRequest::for_url("GET", &url).unwrap()).unwrap_err();
    assert!(matches!(error, ClientError::Tls { .. }), "{error}");
    server.join().unwrap();
}

#[test]
fn a_server_refusing_a_large_body_early_is_still_heard() {
    // The wire server answers 413 on the Content-Length and drains the rest.
    let (server, _) = recording_server(Limits::default());
    let url = format!("http://{}/", server.local_addr());
    let request = RawRequest::for_url("POST", &url).unwrap().body(vec![b'x'; 17 * 1024 * 1024]).with_content_length();
    let response = client(Duration::from_secs(10)).send(&Route::new(&url, None).unwrap(), &request).unwrap();
    assert_eq!(response.status, 413);
    server.shutdown();
}

#[test]
fn a_missing_ca_file_is_a_setup_error() {
    let options = ClientOptions { ca_file: Some(temp_file("absent.pem")), ..ClientOptions::default() };
    let error = Client::new(options).unwrap_err();
    assert!(matches!(&error, ClientError::TlsSetup(m) if m.contains("absent.pem")), "{error}");
}
