//! The HTTP/1.1 layer of the live modes (`serve-http`, `probe`, `capture`), with no OAuth
//! logic in it.
//!
//! - [`server`]: one hardened HTTP/1.1 server that hands each request to a handler exactly as
//!   it was received (raw request target, header fields in order with duplicates, body bytes,
//!   peer, TLS), under documented limits ([`server::Limits`]).
//! - [`client`]: a raw HTTP/1.1 client that sends exactly the bytes it is given, to the URL's
//!   authority or to a separate connect address, and reads the response with a size cap and a
//!   per-request deadline.
//! - [`tls`]: a throw-away certificate authority for the server, and the client's trust roots.
//! - [`rate`]: a requests-per-second limiter.
//!
//! Both sides parse with `httparse`. What is split by hand is only what a parser would refuse
//! or normalise and the harness must see or send as it is: the request line (so that a target
//! with raw spaces or non-UTF-8 octets is recorded, not refused) and the chunked framing
//! around `httparse::parse_chunk_size`.
#![forbid(unsafe_code)]
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![warn(missing_docs)]

mod body;
mod buffered;
pub mod client;
pub mod rate;
pub mod server;
pub mod tls;

/// One header field as it travelled: the name with its spelling, the value's octets (without
/// the optional whitespace around it, which RFC 7230 §3.2 says is not part of the value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderField {
    /// The field name, as spelled on the wire (a token, so ASCII).
    pub name: String,
    /// The field value's octets, unchanged.
    pub value: Vec<u8>,
}

impl HeaderField {
    /// Whether the field is named `name`, ignoring ASCII case (RFC 7230 §3.2).
    #[must_use]
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }

    /// The value as text, if it is UTF-8.
    #[must_use]
    pub fn value_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.value).ok()
    }
}

/// How a message's body was delimited (RFC 7230 §3.3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFraming {
    /// No body: neither `Content-Length` nor `Transfer-Encoding`.
    None,
    /// `Content-Length` with this value.
    ContentLength(u64),
    /// `Transfer-Encoding: chunked`; the body is the decoded chunks.
    Chunked,
    /// Delimited by the connection's close (responses only).
    Close,
}

/// The first field named `name` (ignoring ASCII case) among `fields`.
fn first_field<'a>(fields: &'a [HeaderField], name: &str) -> Option<&'a [u8]> {
    fields.iter().find(|f| f.is(name)).map(|f| f.value.as_slice())
}

/// Whether a comma-separated field value lists `token` (ignoring ASCII case), as
/// `Connection: close` or `Transfer-Encoding: chunked` do.
fn lists_token(value: &[u8], token: &str) -> bool {
    value.split(|&b| b == b',').any(|item| item.trim_ascii().eq_ignore_ascii_case(token.as_bytes()))
}
