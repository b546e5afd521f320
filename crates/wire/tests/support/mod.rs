//! Starting a server on loopback and talking to it with raw sockets, for the tests.
#![allow(dead_code, unreachable_pub)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use oauth1_wire::server::{serve, Limits, ReceivedRequest, Response, ServerConfig, ServerHandle};

/// A server on 127.0.0.1 answering 200 with `method target body-length` and keeping every
/// request it was handed.
pub fn recording_server(limits: Limits) -> (ServerHandle, Arc<Mutex<Vec<ReceivedRequest>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let keep = Arc::clone(&seen);
    let handler = move |request: &ReceivedRequest| {
        let summary = format!("{} {} {}", request.method, String::from_utf8_lossy(&request.target), request.body.len());
        keep.lock().unwrap().push(request.clone());
        Response::text(200, summary)
    };
    (start(ServerConfig { limits, tls: None }, handler), seen)
}

/// A server on 127.0.0.1 answering 200 with the body's length, keeping nothing.
pub fn counting_server(limits: Limits) -> ServerHandle {
    start(ServerConfig { limits, tls: None }, |request: &ReceivedRequest| {
        Response::text(200, request.body.len().to_string())
    })
}

pub fn start(
    config: ServerConfig,
    handler: impl Fn(&ReceivedRequest) -> Response + Send + Sync + 'static,
) -> ServerHandle {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    serve(listener, config, handler).unwrap()
}

pub fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    stream.set_write_timeout(Some(Duration::from_secs(20))).unwrap();
    stream
}

/// Reads one response: its status and body (by Content-Length).
pub fn read_response(stream: &mut TcpStream) -> (u16, Vec<u8>) {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte).unwrap() {
            0 => panic!("closed after {:?}", String::from_utf8_lossy(&buf)),
            _ => buf.push(byte[0]),
        }
    }
    let head = String::from_utf8(buf).unwrap();
    let status = head[9..12].parse().unwrap();
    let length: usize =
        head.lines().find_map(|l| l.strip_prefix("Content-Length: ")).map_or(0, |v| v.trim().parse().unwrap());
    let mut body = vec![0; length];
    stream.read_exact(&mut body).unwrap();
    (status, body)
}

/// Sends `bytes` on a new connection and reads one response.
pub fn exchange(addr: SocketAddr, bytes: &[u8]) -> (u16, Vec<u8>) {
    let mut stream = connect(addr);
    stream.write_all(bytes).unwrap();
    read_response(&mut stream)
}

/// Whether the server closed `stream` (EOF or reset, after any bytes it still sent) before
/// the stream's read timeout.
pub fn closed(stream: &mut TcpStream) -> bool {
    let mut buf = [0u8; 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e) => return !matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut),
        }
    }
}
