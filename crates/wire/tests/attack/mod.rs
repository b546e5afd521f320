//! The attack of the peak-memory tests: many clients send maximal, oversized and endless
//! bodies in parallel while others hold half-sent heads. Each test binary runs it once, alone,
//! since VmHWM is the whole process's peak.
#![allow(dead_code, unreachable_pub)]

use std::io::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use oauth1_wire::server::Limits;

use crate::support::{connect, counting_server, read_response};

const MIB: usize = 1024 * 1024;

/// The process's peak resident set (VmHWM), in bytes.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    let kib: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kib * 1024
}

fn attack(addr: std::net::SocketAddr, kind: usize, body: &[u8]) -> u16 {
    let mut stream = connect(addr);
    match kind {
        // A maximal body, served.
        0 => {
            stream
                .write_all(format!("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: {}\r\n\r\n", body.len()).as_bytes())
                .unwrap();
            stream.write_all(body).unwrap();
        }
        // One byte over the limit, sent in full anyway.
        1 => {
            let head = format!("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: {}\r\n\r\n", body.len() + 1);
            // The server may stop draining and close while the body is still being sent.
            let _ = stream
                .write_all(head.as_bytes())
                .and_then(|()| stream.write_all(body))
                .and_then(|()| stream.write_all(b"!"));
        }
        // A chunked body that goes past the limit.
        _ => {
            stream.write_all(b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n").unwrap();
            for _ in 0..20 {
                let chunk = &body[..MIB];
                let sent = stream
                    .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                    .and_then(|()| stream.write_all(chunk))
                    .and_then(|()| stream.write_all(b"\r\n"));
                if sent.is_err() {
                    break;
                }
            }
        }
    }
    read_response(&mut stream).0
}

/// Runs the attack on a server with the default limits and checks its outcome; returns the
/// peak resident set in bytes.
pub fn peak_memory_under_attack() -> u64 {
    let server = counting_server(Limits::default());
    let addr = server.local_addr();
    let body = Arc::new(vec![b'x'; 16 * MIB]);
    let before = peak_rss();
    let start = Instant::now();

    // Sixty connections hold nearly 64 KiB of unfinished head each.
    let held: Vec<_> = (0..60)
        .map(|_| {
            let mut stream = connect(addr);
            stream
                .write_all(format!("GET / HTTP/1.1\r\nHost: h\r\nX-Pad: {}", "p".repeat(60 * 1024)).as_bytes())
                .unwrap();
            stream
        })
        .collect();
    // Forty-eight clients, three rounds each, of the three kinds of body.
    let attackers: Vec<_> = (0..48)
        .map(|i| {
            let body = Arc::clone(&body);
            std::thread::spawn(move || {
                (0..3).map(|round| (i + round) % 3).map(|kind| (kind, attack(addr, kind, &body))).collect::<Vec<_>>()
            })
        })
        .collect();
    let mut outcomes = std::collections::BTreeMap::<(usize, u16), u32>::new();
    for attacker in attackers {
        for outcome in attacker.join().unwrap() {
            *outcomes.entry(outcome).or_default() += 1;
        }
    }
    let peak = peak_rss();
    drop(held);
    let stats = server.stats();
    server.shutdown();

    eprintln!(
        "VmHWM before {:.1} MiB, after {:.1} MiB; {:.1} s; outcomes (kind, status) → count: {outcomes:?}; stats {stats:?}",
        before as f64 / MIB as f64,
        peak as f64 / MIB as f64,
        start.elapsed().as_secs_f64()
    );
    // Every maximal body was served and every oversized one refused with 413: bodies wait
    // for a buffer rather than being refused with 503.
    let expected = [((0, 200), 48), ((1, 413), 48), ((2, 413), 48)].into_iter().collect();
    assert_eq!(outcomes, expected);
    assert!(start.elapsed() < Duration::from_secs(120));
    peak
}
