//! Message bodies (RFC 7230 §3.3, §4.1), shared by the server (request bodies) and the client
//! (response bodies). Each side decides what to keep through a [`BodySink`]: the server stops
//! at its size limit and memory budget, the client at its read cap.
//!
//! The chunked framing is written here around `httparse::parse_chunk_size` and
//! `httparse::parse_headers` (for trailers): decoding must be incremental and bounded as the
//! bytes arrive, which no crate at this level offers over a blocking stream.

use std::io::{self, Read};

use crate::buffered::Buffered;
use crate::HeaderField;

/// Where decoded body bytes go.
pub(crate) trait BodySink {
    /// Why the sink wants no more.
    type Stop;
    /// Takes `bytes`, or refuses them (possibly after keeping a prefix).
    fn push(&mut self, bytes: &[u8]) -> Result<(), Self::Stop>;
}

#[derive(Debug)]
pub(crate) enum BodyError<S> {
    Io(io::Error),
    /// The stream ended before the body did.
    Eof,
    Malformed(String),
    /// The sink refused more.
    Stop(S),
}

impl<S> From<io::Error> for BodyError<S> {
    fn from(e: io::Error) -> Self {
        Self::Io(e)
    }
}

/// Limits on a chunked body's framing (its data is the sink's business).
#[derive(Debug, Clone, Copy)]
pub(crate) struct FramingLimits {
    /// Trailer fields allowed.
    pub(crate) max_trailer_fields: usize,
    /// Bytes of the trailer section allowed.
    pub(crate) max_trailer_bytes: usize,
}

/// A chunk-size line longer than this is an attack, not a chunk extension anyone uses.
const MAX_CHUNK_SIZE_LINE: usize = 4096;

/// Reads exactly `length` body bytes into `sink`.
pub(crate) fn read_fixed<R: Read, K: BodySink>(
    input: &mut Buffered<R>,
    length: u64,
    sink: &mut K,
) -> Result<(), BodyError<K::Stop>> {
    let mut remaining = length;
    while remaining > 0 {
        if input.available().is_empty() && input.fill()? == 0 {
            return Err(BodyError::Eof);
        }
        let available = input.available();
        let take = usize::try_from(remaining).unwrap_or(usize::MAX).min(available.len());
        sink.push(available.get(..take).unwrap_or_default()).map_err(BodyError::Stop)?;
        input.consume(take);
        remaining -= take as u64;
    }
    Ok(())
}

/// Reads until the end of the stream into `sink` (a close-delimited response body).
pub(crate) fn read_to_end<R: Read, K: BodySink>(
    input: &mut Buffered<R>,
    sink: &mut K,
) -> Result<(), BodyError<K::Stop>> {
    loop {
        if input.available().is_empty() {
            match input.fill() {
                Ok(0) => return Ok(()),
                Ok(_) => {}
                // TLS peers often close without close_notify; for a close-delimited body
                // the close is the end either way.
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(()),
                Err(e) => return Err(BodyError::Io(e)),
            }
        }
        let n = input.available().len();
        sink.push(input.available()).map_err(BodyError::Stop)?;
        input.consume(n);
    }
}

/// Decodes a chunked body (RFC 7230 §4.1) into `sink` and returns its trailer fields.
pub(crate) fn read_chunked<R: Read, K: BodySink>(
    input: &mut Buffered<R>,
    sink: &mut K,
    limits: FramingLimits,
) -> Result<Vec<HeaderField>, BodyError<K::Stop>> {
    loop {
        let size = read_chunk_size(input)?;
        if size == 0 {
            return read_trailers(input, limits);
        }
        read_fixed(input, size, sink)?;
        expect_line_end(input)?;
    }
}

fn read_chunk_size<R: Read, S>(input: &mut Buffered<R>) -> Result<u64, BodyError<S>> {
    loop {
        match httparse::parse_chunk_size(input.available()) {
            Ok(httparse::Status::Complete((consumed, size))) => {
                input.consume(consumed);
                return Ok(size);
            }
            Ok(httparse::Status::Partial) => {
                if input.available().len() > MAX_CHUNK_SIZE_LINE {
                    return Err(BodyError::Malformed(format!("a chunk-size line is over {MAX_CHUNK_SIZE_LINE} bytes")));
                }
                if input.fill()? == 0 {
                    return Err(BodyError::Eof);
                }
            }
            Err(httparse::InvalidChunkSize) => return Err(BodyError::Malformed("invalid chunk-size line".into())),
        }
    }
}

/// The CRLF after a chunk's data (a bare LF is tolerated, as for header lines).
fn expect_line_end<R: Read, S>(input: &mut Buffered<R>) -> Result<(), BodyError<S>> {
    loop {
        let end = match input.available() {
            [b'\n', ..] => 1,
            [b'\r', b'\n', ..] => 2,
            [] | [b'\r'] => 0,
            _ => return Err(BodyError::Malformed("chunk data is not followed by CRLF".into())),
        };
        if end > 0 {
            input.consume(end);
            return Ok(());
        }
        if input.fill()? == 0 {
            return Err(BodyError::Eof);
        }
    }
}

fn read_trailers<R: Read, S>(input: &mut Buffered<R>, limits: FramingLimits) -> Result<Vec<HeaderField>, BodyError<S>> {
    loop {
        if let Some((trailers, consumed)) = parse_trailers(input.available(), limits)? {
            input.consume(consumed);
            return Ok(trailers);
        }
        if input.fill()? == 0 {
            return Err(BodyError::Eof);
        }
    }
}

/// The trailer section at the start of `bytes` and its length, or `None` if incomplete.
fn parse_trailers<S>(bytes: &[u8], limits: FramingLimits) -> Result<Option<(Vec<HeaderField>, usize)>, BodyError<S>> {
    let mut slots = vec![httparse::EMPTY_HEADER; limits.max_trailer_fields];
    match httparse::parse_headers(bytes, &mut slots) {
        Ok(httparse::Status::Complete((consumed, fields))) => {
            let trailers =
                fields.iter().map(|f| HeaderField { name: f.name.to_owned(), value: f.value.to_vec() }).collect();
            Ok(Some((trailers, consumed)))
        }
        Ok(httparse::Status::Partial) if bytes.len() > limits.max_trailer_bytes => {
            Err(BodyError::Malformed(format!("the trailer section is over {} bytes", limits.max_trailer_bytes)))
        }
        Ok(httparse::Status::Partial) => Ok(None),
        Err(httparse::Error::TooManyHeaders) => {
            Err(BodyError::Malformed(format!("more than {} trailer fields", limits.max_trailer_fields)))
        }
        Err(e) => Err(BodyError::Malformed(format!("malformed trailer section: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Keep(Vec<u8>);

    impl BodySink for Keep {
        type Stop = ();
        fn push(&mut self, bytes: &[u8]) -> Result<(), ()> {
            self.0.extend_from_slice(bytes);
            Ok(())
        }
    }

    /// Yields its bytes a few at a time, so every partial state is met.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.0.len().min(3).min(buf.len());
            let (head, rest) = self.0.split_at(n);
            buf[..n].copy_from_slice(head);
            self.0 = rest;
            Ok(n)
        }
    }

    const LIMITS: FramingLimits = FramingLimits { max_trailer_fields: 4, max_trailer_bytes: 1024 };

    #[test]
    fn chunked_body_with_extension_and_trailer() {
        // RFC 7230 §4.1: chunk extensions are ignored, trailers kept.
        let wire = b"4;name=value\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nExpires: never\r\n\r\nNEXT";
        let mut input = Buffered::new(Trickle(wire));
        let mut sink = Keep(Vec::new());
        let trailers = read_chunked(&mut input, &mut sink, LIMITS).unwrap();
        assert_eq!(sink.0, b"Wikipedia in\r\n\r\nchunks.");
        assert_eq!(trailers, vec![HeaderField { name: "Expires".into(), value: b"never".to_vec() }]);
        assert!(input.available().starts_with(b"N"), "nothing after the body is consumed");
    }

    #[test]
    fn chunked_errors() {
        for (wire, expected) in [
            (&b"zz\r\n"[..], "invalid chunk-size line"),
            (b"3\r\nabcX", "not followed by CRLF"),
            (b"0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n\r\n", "more than 4 trailer fields"),
        ] {
            let mut input = Buffered::new(Trickle(wire));
            let error = read_chunked(&mut input, &mut Keep(Vec::new()), LIMITS).unwrap_err();
            assert!(matches!(&error, BodyError::Malformed(m) if m.contains(expected)), "{error:?}");
        }
        let mut input = Buffered::new(Trickle(b"5\r\nab"));
        assert!(matches!(read_chunked(&mut input, &mut Keep(Vec::new()), LIMITS), Err(BodyError::Eof)));
    }
}
