//! The adapter side of the protocol (`adapters/PROTOCOL.md`) for any in-process
//! implementation: `oauth1-conformance serve --impl NAME` is a complete, correct adapter, the
//! one every adapter written in another language can be compared with.
//!
//! Malformed input never ends the session, because one bad line must not cost the harness
//! every case after it:
//!
//! * a line that is not a valid command but has a non-negative integer `id` is answered with
//!   `{"id": ID, "error": {...}}`, so the harness reports that one case as `error`;
//! * a line with no usable `id` (not JSON, not an object, over 16 MiB) is answered with
//!   `{"id": 0, "error": {...}}`. The harness numbers its requests from 1, so id 0 never
//!   matches an outstanding request: the harness sees an unknown id, which is a fault (the
//!   stream is out of step), restarts the adapter and pins the case that caused it;
//! * blank lines are ignored.
//!
//! `stop` and end of input end the session with `Ok(())`; a write error (the harness went
//! away) ends it with that error.

use std::io::{self, BufRead, BufWriter, Write};

use serde::Serialize;

use crate::implementation::{run_in_process, InProcess, Job, SignInput, VerifyInput};
use crate::protocol::{AdapterFailure, Command, Response, StartResponse, PROTOCOL_VERSION};

/// The longest request line accepted, as the protocol says (16 MiB).
pub const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

/// Serves `implementation` over the adapter protocol: reads commands from `input`, writes one
/// response line per request to `output`.
///
/// Output is buffered here and flushed only when every byte read so far has been consumed,
/// that is, just before a read that may block. A pipelining harness that sends a burst of
/// requests therefore gets its burst of responses in one write, yet no response ever waits
/// in the buffer while this side waits for input, so a harness waiting for a response can
/// never deadlock with it. Pass `io::stdout().lock()`; its line buffering is bypassed by the
/// large writes of the buffer here.
pub fn serve(implementation: &mut dyn InProcess, mut input: impl BufRead, output: impl Write) -> io::Result<()> {
    let mut out = BufWriter::with_capacity(64 * 1024, output);
    let mut line = Vec::new();
    let mut drained = true;
    loop {
        match read_line(&mut input, &mut out, &mut line, &mut drained)? {
            Line::Eof => break,
            Line::TooLong => {
                let message = format!("request line longer than {MAX_LINE_BYTES} bytes; ignored");
                write_line(&mut out, &failure(0, message))?;
            }
            Line::Complete => {
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                if !handle(implementation, &line, &mut out)? {
                    break;
                }
            }
        }
    }
    out.flush()
}

/// What [`read_line`] found.
enum Line {
    /// A complete line is in the buffer, without its `\n`.
    Complete,
    /// The line was longer than [`MAX_LINE_BYTES`]; it was skipped up to its `\n`.
    TooLong,
    /// End of input, and no partial line before it worth answering.
    Eof,
}

/// Reads one line into `line` without ever holding more than [`MAX_LINE_BYTES`] of it, and
/// flushes `out` before any read that may block (see [`serve`]). `drained` says whether
/// everything `fill_buf` returned so far has been consumed, so that the next `fill_buf` may
/// block and pending output must go out first; it carries over from one line to the next.
fn read_line(
    input: &mut impl BufRead,
    out: &mut impl Write,
    line: &mut Vec<u8>,
    drained: &mut bool,
) -> io::Result<Line> {
    line.clear();
    let mut too_long = false;
    let mut seen_any = false;
    loop {
        if *drained {
            out.flush()?;
        }
        let buffer = match input.fill_buf() {
            Ok(buffer) => buffer,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buffer.is_empty() {
            // A last line without `\n` still counts as a line.
            return Ok(if too_long {
                Line::TooLong
            } else if seen_any {
                Line::Complete
            } else {
                Line::Eof
            });
        }
        seen_any = true;
        let (chunk, used, complete) = match buffer.iter().position(|&b| b == b'\n') {
            Some(at) => (&buffer[..at], at + 1, true),
            None => (buffer, buffer.len(), false),
        };
        if !too_long {
            if line.len() + chunk.len() > MAX_LINE_BYTES {
                too_long = true;
                line.clear();
            } else {
                line.extend_from_slice(chunk);
            }
        }
        *drained = used == buffer.len();
        input.consume(used);
        if complete {
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            return Ok(if too_long { Line::TooLong } else { Line::Complete });
        }
    }
}

/// Answers one line; `false` when the session is over (`stop`).
fn handle(implementation: &mut dyn InProcess, line: &[u8], out: &mut impl Write) -> io::Result<bool> {
    let command = match serde_json::from_slice::<Command>(line) {
        Ok(command) => command,
        Err(e) => {
            write_line(out, &malformed(line, &e))?;
            return Ok(true);
        }
    };
    let (id, answer) = match command {
        Command::Stop => return Ok(false),
        Command::Start { protocol } => {
            let response = if protocol == PROTOCOL_VERSION {
                StartResponse {
                    ok: true,
                    protocol: Some(PROTOCOL_VERSION),
                    implementation: Some(implementation.info().clone()),
                    error: None,
                }
            } else {
                StartResponse {
                    ok: false,
                    protocol: Some(PROTOCOL_VERSION),
                    implementation: None,
                    error: Some(format!("this adapter speaks protocol {PROTOCOL_VERSION}, not {protocol}")),
                }
            };
            write_line(out, &response)?;
            return Ok(true);
        }
        Command::Sign { id, request, oauth, secrets } => {
            let job = Job::Sign(SignInput { request: &request, oauth: &oauth, secrets: &secrets });
            (id, run_in_process(implementation, &job))
        }
        Command::ParseHeader { id, header } => (id, run_in_process(implementation, &Job::ParseHeader(&header))),
        Command::Verify { id, request, secrets, now } => {
            let job = Job::Verify(VerifyInput { request: &request, secrets: &secrets, now });
            (id, run_in_process(implementation, &job))
        }
    };
    write_line(out, &Response::from_answer(id, answer))?;
    Ok(true)
}

/// The answer to a line that is not a valid command: an `error` for its id when it has one.
fn malformed(line: &[u8], error: &serde_json::Error) -> Response {
    let value = serde_json::from_slice::<serde_json::Value>(line).ok();
    let id = value.as_ref().and_then(|v| v.get("id")).and_then(serde_json::Value::as_u64);
    let command = value.as_ref().and_then(|v| v.get("cmd")).and_then(serde_json::Value::as_str);
    let message = match (value.is_some(), command) {
        (false, _) => format!("request line is not JSON: {error}"),
        (true, Some(command)) if !["start", "sign", "parse_header", "verify", "stop"].contains(&command) => {
            format!("unsupported command {command:?}")
        }
        (true, _) => format!("malformed request: {error}"),
    };
    failure(id.unwrap_or(0), message)
}

fn failure(id: u64, message: String) -> Response {
    Response {
        id,
        result: None,
        rejected: None,
        unsupported: None,
        crashed: None,
        error: Some(AdapterFailure { message, context: None }),
    }
}

fn write_line(out: &mut impl Write, message: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *out, message).map_err(io::Error::other)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference_impl::Reference;

    fn session(input: &str) -> Vec<serde_json::Value> {
        let mut output = Vec::new();
        serve(&mut Reference::default(), input.as_bytes(), &mut output).unwrap();
        String::from_utf8(output).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    }

    #[test]
    fn answers_start_requests_and_stops() {
        let lines = session(concat!(
            "{\"cmd\":\"start\",\"protocol\":1}\n",
            "{\"cmd\":\"parse_header\",\"id\":1,\"header\":\"OAuth realm=\\\"x\\\", oauth_nonce=\\\"n\\\"\"}\n",
            "{\"cmd\":\"stop\"}\n",
            "{\"cmd\":\"parse_header\",\"id\":2,\"header\":\"OAuth a=\\\"b\\\"\"}\n",
        ));
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert_eq!(lines[0]["ok"], true);
        assert_eq!(lines[0]["protocol"], 1);
        assert_eq!(lines[0]["implementation"]["name"], "reference");
        assert_eq!(
            lines[1],
            serde_json::json!({"id": 1, "result": {"params": [["realm", "x"], ["oauth_nonce", "n"]]}})
        );
    }

    #[test]
    fn refuses_another_protocol_and_reports_malformed_lines() {
        let lines = session(concat!(
            "{\"cmd\":\"start\",\"protocol\":2}\n",
            "\n",
            "{\"cmd\":\"parse_header\",\"id\":5}\n",
            "{\"cmd\":\"frobnicate\",\"id\":6}\n",
            "not json\n",
            "[1,2]\n",
            "{\"cmd\":\"parse_header\",\"id\":7,\"header\":\"OAuth a=\\\"b\\\"\"}", // no final newline
        ));
        assert_eq!(lines.len(), 6, "{lines:?}");
        assert_eq!(lines[0]["ok"], false);
        assert!(lines[0]["error"].as_str().unwrap().contains("protocol 1, not 2"));
        assert_eq!(lines[1]["id"], 5);
        assert!(lines[1]["error"]["message"].as_str().unwrap().contains("malformed request"));
        assert_eq!(lines[2]["id"], 6);
        assert!(lines[2]["error"]["message"].as_str().unwrap().contains("unsupported command"));
        assert_eq!(lines[3]["id"], 0);
        assert!(lines[3]["error"]["message"].as_str().unwrap().contains("not JSON"));
        assert_eq!(lines[4]["id"], 0);
        assert_eq!(lines[5], serde_json::json!({"id": 7, "result": {"params": [["a", "b"]]}}));
    }

    #[test]
    fn an_over_long_line_is_skipped_not_buffered() {
        let mut input = String::from("{\"cmd\":\"parse_header\",\"id\":1,\"header\":\"");
        input.push_str(&"x".repeat(MAX_LINE_BYTES));
        input.push_str("\"}\n{\"cmd\":\"parse_header\",\"id\":2,\"header\":\"OAuth a=\\\"b\\\"\"}\n");
        let lines = session(&input);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["id"], 0);
        assert!(lines[0]["error"]["message"].as_str().unwrap().contains("longer than"));
        assert_eq!(lines[1]["id"], 2);
    }

    /// Output is flushed before every read that may block, and not after every line.
    #[test]
    fn flushes_only_when_the_input_is_drained() {
        struct Counting<'a>(&'a mut Vec<u8>, &'a mut usize);
        impl Write for Counting<'_> {
            fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                *self.1 += 1;
                self.0.extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let input: String = (1..=100)
            .map(|id| format!("{{\"cmd\":\"parse_header\",\"id\":{id},\"header\":\"OAuth a=\\\"b\\\"\"}}\n"))
            .collect();
        let (mut bytes, mut writes) = (Vec::new(), 0);
        serve(
            &mut Reference::default(),
            io::BufReader::with_capacity(1 << 20, input.as_bytes()),
            Counting(&mut bytes, &mut writes),
        )
        .unwrap();
        assert_eq!(String::from_utf8(bytes).unwrap().lines().count(), 100);
        assert_eq!(writes, 1, "one buffered write for one buffered burst of requests");
    }
}
