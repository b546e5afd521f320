//! The server on loopback: what the handler sees, and each limit at its number.

mod support;

use std::io::Write as _;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use oauth1_wire::server::{self, HttpVersion, Limits, ReceivedRequest, Response, ServerConfig};
use oauth1_wire::BodyFraming;
use support::{closed, connect, counting_server, exchange, read_response, recording_server, start};

const MIB: usize = 1024 * 1024;
const KIB: usize = 1024;

#[test]
fn default_limits_are_the_documented_numbers() {
    let limits = Limits::default();
    assert_eq!(limits.max_body_bytes, 16 * 1024 * 1024);
    assert_eq!(limits.max_header_fields, 100);
    assert_eq!(limits.max_target_bytes, 64 * 1024);
    assert_eq!(limits.header_timeout, Duration::from_secs(10));
    assert_eq!(limits.max_connections, 128);
    assert!(limits.body_memory_budget >= limits.max_body_bytes);
}

#[test]
fn the_handler_sees_the_request_as_sent() {
    let (server, seen) = recording_server(Limits::default());
    let mut stream = connect(server.local_addr());
    // A raw space, an invalid escape and a non-UTF-8 octet in the target, field names in odd
    // cases, a duplicate field, a malformed OAuth header: all recorded, none refused.
    stream
        .write_all(
            b"GET /a b?x=%zz\xff&y=+%20 HTTP/1.1\r\nhOsT: Example.COM:80\r\nX-Dup: 1\r\nx-dup:  2\r\n\
              Authorization: OAuth ,oauth_nonce=unquoted\r\n\r\n",
        )
        .unwrap();
    assert_eq!(read_response(&mut stream).0, 200);
    // Keep-alive: a chunked POST with a trailer on the same connection.
    stream
        .write_all(
            b"POST /upload HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n\
              3;ext=1\r\na=1\r\n4\r\n&b=2\r\n0\r\nX-Trailer: t\r\n\r\n",
        )
        .unwrap();
    assert_eq!(read_response(&mut stream), (200, b"POST /upload 7".to_vec()));
    drop(stream);
    server.shutdown();

    let seen = seen.lock().unwrap();
    let first = &seen[0];
    assert_eq!((first.method.as_str(), first.version), ("GET", HttpVersion::Http11));
    assert_eq!(first.target, b"/a b?x=%zz\xff&y=+%20");
    let fields: Vec<(&str, &[u8])> = first.headers.iter().map(|f| (f.name.as_str(), f.value.as_slice())).collect();
    assert_eq!(
        fields,
        vec![
            ("hOsT", &b"Example.COM:80"[..]),
            ("X-Dup", b"1"),
            ("x-dup", b"2"),
            ("Authorization", b"OAuth ,oauth_nonce=unquoted")
        ]
    );
    assert_eq!(first.headers_named("X-DUP").count(), 2);
    assert_eq!((first.framing, first.has_body(), first.index_on_connection), (BodyFraming::None, false, 0));
    assert!(first.peer.ip().is_loopback() && first.tls.is_none());

    let second = &seen[1];
    assert_eq!((second.framing, second.body.as_slice()), (BodyFraming::Chunked, &b"a=1&b=2"[..]));
    assert_eq!(second.trailers[0].name, "X-Trailer");
    assert_eq!((second.connection, second.index_on_connection), (first.connection, 1));
}

#[test]
fn body_limit_16_mib() {
    let server = counting_server(Limits::default());
    let addr = server.local_addr();
    // One byte over: refused on the Content-Length alone, before any body byte is sent.
    let head = format!("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: {}\r\n\r\n", 16 * MIB + 1);
    assert_eq!(exchange(addr, head.as_bytes()).0, 413);
    // The limit itself is served.
    let mut stream = connect(addr);
    let body = vec![b'x'; 16 * MIB];
    stream
        .write_all(format!("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: {}\r\n\r\n", body.len()).as_bytes())
        .unwrap();
    stream.write_all(&body).unwrap();
    assert_eq!(read_response(&mut stream), (200, (16 * MIB).to_string().into_bytes()));
    // Chunked bodies are counted as they arrive: 16 one-MiB chunks pass, a 17th byte does not.
    let chunk = |n: usize| [format!("{n:x}\r\n").into_bytes(), vec![b'y'; n], b"\r\n".to_vec()].concat();
    let mut chunked = b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    (0..16).for_each(|_| chunked.extend(chunk(MIB)));
    let mut at_limit = chunked.clone();
    at_limit.extend_from_slice(b"0\r\n\r\n");
    assert_eq!(exchange(addr, &at_limit), (200, (16 * MIB).to_string().into_bytes()));
    chunked.extend(chunk(1));
    chunked.extend_from_slice(b"0\r\n\r\n");
    assert_eq!(exchange(addr, &chunked).0, 413);
    assert_eq!(server.stats().refused.get(&413), Some(&2));
    server.shutdown();
}

fn with_fields(count: usize) -> Vec<u8> {
    let mut request = b"GET / HTTP/1.1\r\nHost: h\r\n".to_vec();
    for i in 1..count {
        request.extend(format!("X-Field-{i}: {i}\r\n").into_bytes());
    }
    request.extend_from_slice(b"\r\n");
    request
}

#[test]
fn header_field_limit_100() {
    let server = counting_server(Limits::default());
    assert_eq!(exchange(server.local_addr(), &with_fields(100)).0, 200);
    assert_eq!(exchange(server.local_addr(), &with_fields(101)).0, 431);
    server.shutdown();
}

#[test]
fn target_limit_64_kib() {
    let server = counting_server(Limits::default());
    let request = |length: usize| format!("GET /{} HTTP/1.1\r\nHost: h\r\n\r\n", "a".repeat(length - 1)).into_bytes();
    assert_eq!(exchange(server.local_addr(), &request(64 * KIB)).0, 200);
    assert_eq!(exchange(server.local_addr(), &request(64 * KIB + 1)).0, 414);
    // Refused as soon as the request line is too long, without waiting for its end.
    let mut stream = connect(server.local_addr());
    stream.write_all(format!("GET /{}", "a".repeat(80 * KIB)).as_bytes()).unwrap();
    assert_eq!(read_response(&mut stream).0, 414);
    server.shutdown();
}

#[test]
fn header_section_limit() {
    let server = counting_server(Limits::default());
    let huge = format!("GET / HTTP/1.1\r\nHost: h\r\nX-Big: {}\r\n\r\n", "b".repeat(64 * KIB));
    assert_eq!(exchange(server.local_addr(), huge.as_bytes()).0, 431);
    server.shutdown();
}

/// Sends a head one byte every 100 ms and returns how long until the server closed.
fn slowloris(addr: std::net::SocketAddr, give_up_after: Duration) -> Option<Duration> {
    let mut stream = connect(addr);
    let start = Instant::now();
    for byte in b"GET / HTTP/1.1\r\nHost: h\r\nX-Slow: ".iter().cycle() {
        if stream.write_all(&[*byte]).is_err() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
        if start.elapsed() > give_up_after {
            return None;
        }
    }
    stream.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    closed(&mut stream).then(|| start.elapsed())
}

#[test]
fn slowloris_is_cut_off_at_the_header_timeout() {
    let limits = Limits { header_timeout: Duration::from_secs(1), ..Limits::default() };
    let server = counting_server(limits);
    let cut_after = slowloris(server.local_addr(), Duration::from_secs(10)).expect("the server never closed");
    assert!(cut_after >= Duration::from_millis(900) && cut_after < Duration::from_secs(5), "{cut_after:?}");
    assert_eq!(server.stats().timeouts, 1);
    server.shutdown();
}

#[test]
fn garbage_gets_400() {
    let server = counting_server(Limits::default());
    // A fixed pseudo-random stream (xorshift), and a TLS ClientHello sent to plain HTTP.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let garbage: Vec<u8> = (0..4096)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect();
    for bytes in
        [&garbage[..], b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03", b"GET / HTTP/1.1\r\nNo colon here\r\n\r\n"]
    {
        assert_eq!(exchange(server.local_addr(), bytes).0, 400);
    }
    assert_eq!(server.stats().refused.get(&400), Some(&3));
    server.shutdown();
}

#[test]
fn serves_others_while_clients_misbehave() {
    let limits = Limits { header_timeout: Duration::from_secs(30), ..Limits::default() };
    let server = counting_server(limits);
    let addr = server.local_addr();
    // One client sends half a head, another announces a body and stalls, a third connects
    // and sends nothing.
    let mut half_head = connect(addr);
    half_head.write_all(b"GET / HTTP/1.1\r\nHost: h\r\nX-Never: ").unwrap();
    let mut stalled_body = connect(addr);
    stalled_body.write_all(b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1000\r\n\r\nabc").unwrap();
    let silent = connect(addr);
    std::thread::sleep(Duration::from_millis(100));
    let start = Instant::now();
    for _ in 0..20 {
        assert_eq!(exchange(addr, b"GET / HTTP/1.1\r\nHost: h\r\n\r\n").0, 200);
    }
    let elapsed = start.elapsed();
    // Far below the 30 s the misbehaving clients could hold the server for.
    assert!(elapsed < Duration::from_secs(5), "20 requests took {elapsed:?}");
    drop((half_head, stalled_body, silent));
    server.shutdown();
}

#[test]
fn connections_over_the_limit_get_503() {
    let limits = Limits { max_connections: 2, ..Limits::default() };
    let server = counting_server(limits);
    let addr = server.local_addr();
    let held: Vec<TcpStream> = (0..2).map(|_| connect(addr)).collect();
    std::thread::sleep(Duration::from_millis(100));
    let (status, body) = exchange(addr, b"GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    assert_eq!(status, 503, "{}", String::from_utf8_lossy(&body));
    drop(held);
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(exchange(addr, b"GET / HTTP/1.1\r\nHost: h\r\n\r\n").0, 200);
    assert_eq!(server.stats().connections_refused, 1);
    server.shutdown();
}

#[test]
fn expect_continue_head_and_connection_close() {
    let server = counting_server(Limits::default());
    let mut stream = connect(server.local_addr());
    stream.write_all(b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n").unwrap();
    assert_eq!(read_response(&mut stream).0, 100);
    stream.write_all(b"abc").unwrap();
    assert_eq!(read_response(&mut stream), (200, b"3".to_vec()));
    stream.write_all(b"HEAD / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n").unwrap();
    let mut rest = Vec::new();
    std::io::Read::read_to_end(&mut stream, &mut rest).unwrap();
    let rest = String::from_utf8(rest).unwrap();
    assert!(
        rest.starts_with("HTTP/1.1 200 OK\r\n") && rest.ends_with("Content-Length: 1\r\nConnection: close\r\n\r\n"),
        "{rest}"
    );
    server.shutdown();
}

#[test]
fn a_panicking_handler_gets_500_and_the_server_goes_on() {
    let config = ServerConfig::default();
    let server = start(config, |request: &ReceivedRequest| {
        assert!(request.target != b"/panic", "a handler bug");
        Response::text(200, "ok")
    });
    assert_eq!(exchange(server.local_addr(), b"GET /panic HTTP/1.1\r\nHost: h\r\n\r\n").0, 500);
    assert_eq!(exchange(server.local_addr(), b"GET / HTTP/1.1\r\nHost: h\r\n\r\n").0, 200);
    assert_eq!(server.stats().handler_panics, 1);
    server.shutdown();
}

#[test]
fn shutdown_closes_idle_connections_and_the_listener() {
    let server = counting_server(Limits::default());
    let addr = server.local_addr();
    let mut idle = connect(addr);
    assert_eq!(exchange(addr, b"GET / HTTP/1.1\r\nHost: h\r\n\r\n").0, 200);
    let start = Instant::now();
    server.shutdown();
    assert!(start.elapsed() < Duration::from_secs(3), "shutdown took {:?}", start.elapsed());
    assert!(closed(&mut idle));
    assert!(TcpStream::connect(addr).is_err(), "still listening");
}

#[test]
fn the_stopper_ends_wait() {
    let server = counting_server(Limits::default());
    let addr = server.local_addr();
    let stopper = server.stopper();
    let waiter = std::thread::spawn(move || server.wait());
    std::thread::sleep(Duration::from_millis(50));
    stopper.stop();
    waiter.join().unwrap();
    assert!(TcpStream::connect(addr).is_err(), "still listening");
}

#[test]
fn default_header_timeout_is_used_when_not_configured() {
    assert_eq!(server::DEFAULT_HEADER_TIMEOUT, Duration::from_secs(10));
    assert_eq!(Limits::default().header_timeout, server::DEFAULT_HEADER_TIMEOUT);
}
