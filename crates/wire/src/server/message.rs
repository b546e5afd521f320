//! What the handler gets ([`ReceivedRequest`]) and gives back ([`Response`]).

use std::net::SocketAddr;
use std::time::SystemTime;

use crate::{first_field, BodyFraming, HeaderField};

/// The HTTP version of a request line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpVersion {
    /// `HTTP/1.0`.
    Http10,
    /// `HTTP/1.1`.
    Http11,
}

impl HttpVersion {
    /// As written on the request line.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Http10 => "HTTP/1.0",
            Self::Http11 => "HTTP/1.1",
        }
    }
}

/// The TLS side of a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsInfo {
    /// The server name the client sent (SNI), if any.
    pub server_name: Option<String>,
    /// The negotiated protocol version, e.g. `TLSv1_3`.
    pub protocol: String,
}

/// A request exactly as it arrived.
#[derive(Debug, Clone)]
pub struct ReceivedRequest {
    /// The client's address.
    pub peer: SocketAddr,
    /// The server's address the request arrived at.
    pub local: SocketAddr,
    /// The TLS session, or `None` for plain TCP.
    pub tls: Option<TlsInfo>,
    /// The connection's number on this server, from 1.
    pub connection: u64,
    /// The request's position on its connection, from 0 (more with keep-alive).
    pub index_on_connection: u32,
    /// When the request's head was complete.
    pub received_at: SystemTime,
    /// The method (an RFC 7230 token, so ASCII).
    pub method: String,
    /// The request-target's octets as sent, between the request line's first and last space:
    /// never decoded, normalised or validated beyond containing no line break.
    pub target: Vec<u8>,
    /// The HTTP version.
    pub version: HttpVersion,
    /// Every header field in order, duplicates kept.
    pub headers: Vec<HeaderField>,
    /// How the body was delimited.
    pub framing: BodyFraming,
    /// The body's octets (chunked transfer coding decoded; see [`Self::framing`]).
    pub body: Vec<u8>,
    /// The trailer fields of a chunked body.
    pub trailers: Vec<HeaderField>,
}

impl ReceivedRequest {
    /// The first field named `name` (ignoring ASCII case).
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        first_field(&self.headers, name)
    }

    /// Every field named `name` (ignoring ASCII case), in order.
    pub fn headers_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a HeaderField> + 'a {
        self.headers.iter().filter(move |f| f.is(name))
    }

    /// Whether the request carried a body (framing other than [`BodyFraming::None`]), even an
    /// empty one.
    #[must_use]
    pub fn has_body(&self) -> bool {
        self.framing != BodyFraming::None
    }

    /// The target as text, if it is UTF-8.
    #[must_use]
    pub fn target_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.target).ok()
    }
}

/// What the handler answers. The server writes the framing itself (`Content-Length`, and
/// `Connection: close` when it closes); such fields given here are dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Header fields, in order.
    pub headers: Vec<(String, String)>,
    /// The body (not sent for a HEAD request).
    pub body: Vec<u8>,
}

impl Response {
    /// An empty response with `status`.
    #[must_use]
    pub fn new(status: u16) -> Self {
        Self { status, headers: Vec::new(), body: Vec::new() }
    }

    /// A response whose body is `body`, of type `content_type`.
    #[must_use]
    pub fn with_body(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Self::new(status).header("Content-Type", content_type).body(body)
    }

    /// A JSON response (`application/json`).
    #[must_use]
    pub fn json(status: u16, json: impl Into<Vec<u8>>) -> Self {
        Self::with_body(status, "application/json", json)
    }

    /// A plain-text response.
    #[must_use]
    pub fn text(status: u16, text: impl Into<Vec<u8>>) -> Self {
        Self::with_body(status, "text/plain; charset=utf-8", text)
    }

    /// Adds a header field.
    #[must_use]
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the body.
    #[must_use]
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }
}

/// The reason phrase written after a status code.
pub(crate) fn reason_phrase(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Content Too Large",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Status",
    }
}

/// The response's head and body as written: a handler's header text is data, so a CR or LF
/// in it (response splitting) becomes a space, and a field name that is not a token is
/// dropped.
pub(crate) fn serialize(response: &Response, close: bool, head_only: bool) -> Vec<u8> {
    let status = if (100..=999).contains(&response.status) { response.status } else { 500 };
    let mut out = format!("HTTP/1.1 {status} {}\r\n", reason_phrase(status)).into_bytes();
    for (name, value) in &response.headers {
        let framing =
            ["content-length", "transfer-encoding", "connection"].iter().any(|f| name.eq_ignore_ascii_case(f));
        if framing || !is_token(name) {
            continue;
        }
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend(value.bytes().map(|b| if matches!(b, b'\r' | b'\n' | 0) { b' ' } else { b }));
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("Content-Length: {}\r\n", response.body.len()).as_bytes());
    if close {
        out.extend_from_slice(b"Connection: close\r\n");
    }
    out.extend_from_slice(b"\r\n");
    if !head_only {
        out.extend_from_slice(&response.body);
    }
    out
}

/// RFC 7230 §3.2.6 `token`.
pub(crate) fn is_token(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(is_tchar)
}

pub(crate) fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framing_and_injected_lines_are_not_written() {
        let response = Response::text(200, "hi")
            .header("Content-Length", "99")
            .header("X-Echo", "a\r\nSet-Cookie: evil")
            .header("Bad Name", "x");
        let wire = String::from_utf8(serialize(&response, true, false)).unwrap();
        assert_eq!(
            wire,
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nX-Echo: a  Set-Cookie: evil\r\n\
             Content-Length: 2\r\nConnection: close\r\n\r\nhi"
        );
    }
}
