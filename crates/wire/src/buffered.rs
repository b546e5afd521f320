//! A read buffer the parsers look into before consuming: `BufReader` cannot tell how much
//! it holds beyond one `fill_buf`, and the head parsers need the whole head in one slice.

use std::io::{self, Read};

/// Bytes read in one call: large enough for a head in one read, small on the stack.
const READ_CHUNK: usize = 16 * 1024;

pub(crate) struct Buffered<R> {
    inner: R,
    buf: Vec<u8>,
    start: usize,
}

impl<R: Read> Buffered<R> {
    pub(crate) fn new(inner: R) -> Self {
        Self { inner, buf: Vec::new(), start: 0 }
    }

    /// The bytes read and not consumed yet.
    pub(crate) fn available(&self) -> &[u8] {
        self.buf.get(self.start..).unwrap_or_default()
    }

    pub(crate) fn consume(&mut self, n: usize) {
        self.start = (self.start + n).min(self.buf.len());
        if self.start == self.buf.len() {
            self.buf.clear();
            self.start = 0;
        }
    }

    /// Reads once more (at most [`READ_CHUNK`] bytes); `Ok(0)` is the end of the stream.
    /// The buffer grows by at most that much: callers bound it by checking
    /// [`Self::available`] before they ask for more.
    pub(crate) fn fill(&mut self) -> io::Result<usize> {
        if self.start > 0 {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        let mut chunk = [0u8; READ_CHUNK];
        let n = loop {
            match self.inner.read(&mut chunk) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                other => break other?,
            }
        };
        self.buf.extend_from_slice(chunk.get(..n).unwrap_or_default());
        Ok(n)
    }

    pub(crate) fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }
}
