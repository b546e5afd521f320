//! The request head: the request line and the header section (RFC 7230 §3.1.1, §3.2).
//!
//! The request line is split by hand, at its first and last space: `httparse` refuses a
//! target with a raw space, a control octet or invalid UTF-8, and the live modes must record
//! such a target as the client sent it (a client that forgot to encode a space is a finding,
//! not a 400). The header section is parsed by `httparse::parse_headers`.

use super::message::{is_tchar, HttpVersion};
use super::Limits;
use crate::{BodyFraming, HeaderField};

/// A parsed head.
#[derive(Debug)]
pub(crate) struct Head {
    pub(crate) method: String,
    pub(crate) target: Vec<u8>,
    pub(crate) version: HttpVersion,
    pub(crate) headers: Vec<HeaderField>,
}

/// A refusal with its status code and a short reason for the response body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub(crate) status: u16,
    pub(crate) reason: String,
}

impl Refusal {
    pub(crate) fn new(status: u16, reason: impl Into<String>) -> Self {
        Self { status, reason: reason.into() }
    }
}

/// Bytes of a request line besides its target: the method (bounded by [`MAX_METHOD`]), two
/// spaces, `HTTP/1.1` and CRLF.
const REQUEST_LINE_SLACK: usize = MAX_METHOD + 16;
/// The longest method accepted; the longest registered method is 17 octets.
const MAX_METHOD: usize = 64;

/// Empty lines a client may send before a request line (RFC 7230 §3.5 lets a server skip
/// them; some clients send a CRLF after a POST body).
const MAX_LEADING_EMPTY_BYTES: usize = 256;

/// The most bytes a head may take before [`parse_head`] must have refused or accepted it.
pub(crate) fn max_head_bytes(limits: &Limits) -> usize {
    max_request_line_bytes(limits) + limits.max_header_bytes
}

/// The most bytes before the end of the request line (empty lines before it included).
pub(crate) fn max_request_line_bytes(limits: &Limits) -> usize {
    MAX_LEADING_EMPTY_BYTES + limits.max_target_bytes + REQUEST_LINE_SLACK
}

/// The checks that are cheap enough to run on every read of a head: leading empty lines and
/// the method. Garbage is refused as soon as it is seen, not when the header timeout expires.
pub(crate) fn precheck(bytes: &[u8]) -> Result<(), Refusal> {
    let skipped = bytes.iter().take(MAX_LEADING_EMPTY_BYTES + 1).take_while(|&&b| b == b'\r' || b == b'\n').count();
    if skipped > MAX_LEADING_EMPTY_BYTES {
        return Err(Refusal::new(
            400,
            format!("over {MAX_LEADING_EMPTY_BYTES} bytes of empty lines before the request line"),
        ));
    }
    check_method_prefix(bytes.get(skipped..).unwrap_or_default())
}

/// Parses the head at the start of `bytes` (after any empty lines): `Ok(None)` if more bytes
/// are needed, else the head and the bytes it took.
pub(crate) fn parse_head(bytes: &[u8], limits: &Limits) -> Result<Option<(Head, usize)>, Refusal> {
    precheck(bytes)?;
    let skipped = bytes.iter().take_while(|&&b| b == b'\r' || b == b'\n').count();
    let rest = bytes.get(skipped..).unwrap_or_default();
    let Some(line_end) = rest.iter().position(|&b| b == b'\n') else {
        if rest.len() > limits.max_target_bytes + REQUEST_LINE_SLACK {
            return Err(Refusal::new(414, format!("request line over {} bytes", limits.max_target_bytes)));
        }
        return Ok(None);
    };
    let line = rest.get(..line_end).unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let (method, target, version) = split_request_line(line, limits)?;

    let section = rest.get(line_end + 1..).unwrap_or_default();
    let mut slots = vec![httparse::EMPTY_HEADER; limits.max_header_fields];
    match httparse::parse_headers(section, &mut slots) {
        Ok(httparse::Status::Complete((consumed, _))) if consumed > limits.max_header_bytes => {
            Err(Refusal::new(431, format!("header section over {} bytes", limits.max_header_bytes)))
        }
        Ok(httparse::Status::Complete((consumed, fields))) => {
            let headers =
                fields.iter().map(|f| HeaderField { name: f.name.to_owned(), value: f.value.to_vec() }).collect();
            let head = Head { method, target, version, headers };
            Ok(Some((head, skipped + line_end + 1 + consumed)))
        }
        Ok(httparse::Status::Partial) if section.len() > limits.max_header_bytes => {
            Err(Refusal::new(431, format!("header section over {} bytes", limits.max_header_bytes)))
        }
        Ok(httparse::Status::Partial) => Ok(None),
        Err(httparse::Error::TooManyHeaders) => {
            Err(Refusal::new(431, format!("more than {} header fields", limits.max_header_fields)))
        }
        Err(e) => Err(Refusal::new(400, format!("malformed header section: {e}"))),
    }
}

/// Refuses early what cannot become a method, so that garbage is answered at once rather
/// than when the header timeout expires.
fn check_method_prefix(rest: &[u8]) -> Result<(), Refusal> {
    let method_len = rest.iter().take_while(|&&b| is_tchar(b)).count();
    match rest.get(method_len) {
        _ if method_len > MAX_METHOD => Err(Refusal::new(400, format!("method over {MAX_METHOD} bytes"))),
        None => Ok(()),
        Some(b' ') if method_len > 0 => Ok(()),
        Some(_) => Err(Refusal::new(400, "the request line does not start with a method token")),
    }
}

fn split_request_line(line: &[u8], limits: &Limits) -> Result<(String, Vec<u8>, HttpVersion), Refusal> {
    let malformed = || Refusal::new(400, "the request line is not `method SP target SP HTTP-version`");
    let first = line.iter().position(|&b| b == b' ').ok_or_else(malformed)?;
    let last = line.iter().rposition(|&b| b == b' ').ok_or_else(malformed)?;
    if last <= first + 1 {
        return Err(malformed());
    }
    let method = String::from_utf8(line.get(..first).unwrap_or_default().to_vec()).map_err(|_| malformed())?;
    let target = line.get(first + 1..last).unwrap_or_default();
    let version = match line.get(last + 1..).unwrap_or_default() {
        b"HTTP/1.1" => HttpVersion::Http11,
        b"HTTP/1.0" => HttpVersion::Http10,
        [b'H', b'T', b'T', b'P', b'/', major, b'.', minor] if major.is_ascii_digit() && minor.is_ascii_digit() => {
            return Err(Refusal::new(505, "only HTTP/1.0 and HTTP/1.1 are served"))
        }
        _ => return Err(malformed()),
    };
    if target.len() > limits.max_target_bytes {
        return Err(Refusal::new(414, format!("request target over {} bytes", limits.max_target_bytes)));
    }
    Ok((method, target.to_vec(), version))
}

/// How the request's body is delimited (RFC 7230 §3.3.3), refusing what could be read two
/// ways (request smuggling) and bodies over the limit before a byte of them is read.
pub(crate) fn body_framing(head: &Head, limits: &Limits) -> Result<BodyFraming, Refusal> {
    let codings: Vec<Vec<u8>> = head
        .headers
        .iter()
        .filter(|f| f.is("transfer-encoding"))
        .flat_map(|f| f.value.split(|&b| b == b',').map(|c| c.trim_ascii().to_ascii_lowercase()))
        .filter(|c| !c.is_empty())
        .collect();
    let lengths: Vec<&[u8]> =
        head.headers.iter().filter(|f| f.is("content-length")).map(|f| f.value.as_slice()).collect();
    if head.headers.iter().any(|f| f.is("transfer-encoding")) {
        if !lengths.is_empty() {
            return Err(Refusal::new(400, "both Content-Length and Transfer-Encoding"));
        }
        return match codings.as_slice() {
            [only] if only == b"chunked" => Ok(BodyFraming::Chunked),
            [.., last] if last == b"chunked" => Err(Refusal::new(501, "only the chunked transfer coding is served")),
            _ => Err(Refusal::new(400, "Transfer-Encoding of a request must end with chunked")),
        };
    }
    let Some((first, rest)) = lengths.split_first() else {
        return Ok(BodyFraming::None);
    };
    if rest.iter().any(|other| other != first) {
        return Err(Refusal::new(400, "conflicting Content-Length fields"));
    }
    let length = std::str::from_utf8(first)
        .ok()
        .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|t| t.parse::<u64>().ok())
        .ok_or_else(|| Refusal::new(400, "Content-Length is not a decimal number"))?;
    if length > limits.max_body_bytes {
        return Err(Refusal::new(413, format!("body of {length} bytes; the limit is {}", limits.max_body_bytes)));
    }
    Ok(BodyFraming::ContentLength(length))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(bytes: &[u8]) -> Result<Option<(Head, usize)>, Refusal> {
        parse_head(bytes, &Limits::default())
    }

    #[test]
    fn keeps_the_target_and_fields_as_sent() {
        let wire = b"\r\nGET /a b?c=%zz\xff HTTP/1.1\r\nHost: x\r\nX-A: 1\r\nx-a:  2 \r\n\r\nbody";
        let (head, consumed) = parse(wire).unwrap().unwrap();
        assert_eq!(head.method, "GET");
        assert_eq!(head.target, b"/a b?c=%zz\xff");
        assert_eq!(head.version, HttpVersion::Http11);
        let fields: Vec<(&str, &[u8])> = head.headers.iter().map(|f| (f.name.as_str(), f.value.as_slice())).collect();
        assert_eq!(fields, vec![("Host", &b"x"[..]), ("X-A", b"1"), ("x-a", b"2")]);
        assert_eq!(&wire[consumed..], b"body");
    }

    #[test]
    fn partial_heads_wait() {
        assert!(parse(b"GE").unwrap().is_none());
        assert!(parse(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap().is_none());
    }

    #[test]
    fn refusals() {
        for (wire, status) in [
            (&b"\x16\x03\x01\x02\x00"[..], 400),
            (b"GET / HTTP/2.0\r\n\r\n", 505),
            (b"GET /\r\n\r\n", 400),
            (b"GET / HTTP/1.1\r\nBad Name: x\r\n\r\n", 400),
            (b"G(T / HTTP/1.1\r\n\r\n", 400),
        ] {
            assert_eq!(parse(wire).unwrap_err().status, status, "{:?}", String::from_utf8_lossy(wire));
        }
    }

    fn framing(fields: &[(&str, &str)]) -> Result<BodyFraming, u16> {
        let headers =
            fields.iter().map(|(n, v)| HeaderField { name: (*n).into(), value: v.as_bytes().to_vec() }).collect();
        let head = Head { method: "POST".into(), target: b"/".to_vec(), version: HttpVersion::Http11, headers };
        body_framing(&head, &Limits::default()).map_err(|r| r.status)
    }

    #[test]
    fn framing_rules() {
        assert_eq!(framing(&[]), Ok(BodyFraming::None));
        assert_eq!(framing(&[("Content-Length", "5"), ("content-length", "5")]), Ok(BodyFraming::ContentLength(5)));
        assert_eq!(framing(&[("Transfer-Encoding", "Chunked")]), Ok(BodyFraming::Chunked));
        assert_eq!(framing(&[("Content-Length", "5"), ("Content-Length", "6")]), Err(400));
        assert_eq!(framing(&[("Content-Length", "+5")]), Err(400));
        assert_eq!(framing(&[("Content-Length", "99999999999999999999999")]), Err(400));
        assert_eq!(framing(&[("Content-Length", "16777217")]), Err(413));
        assert_eq!(framing(&[("Content-Length", "16777216")]), Ok(BodyFraming::ContentLength(16_777_216)));
        assert_eq!(framing(&[("Transfer-Encoding", "chunked"), ("Content-Length", "5")]), Err(400));
        assert_eq!(framing(&[("Transfer-Encoding", "gzip, chunked")]), Err(501));
        assert_eq!(framing(&[("Transfer-Encoding", "chunked, gzip")]), Err(400));
    }
}
