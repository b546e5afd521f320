//! One connection: read a request, hand it to the handler, answer, and again while the
//! client keeps the connection alive. Every read has a deadline (a socket timeout set to
//! what is left of it), so no client can hold a thread longer than the limits say.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use super::head::{body_framing, max_head_bytes, max_request_line_bytes, parse_head, precheck, Head, Refusal};
use super::message::{serialize, HttpVersion, ReceivedRequest, Response, TlsInfo};
use super::pool::{PooledBody, TooLarge};
use super::{Shared, LINGER, LINGER_BYTES};
use crate::body::{read_chunked, read_fixed, BodyError, FramingLimits};
use crate::buffered::Buffered;
use crate::{lists_token, BodyFraming};

enum Transport {
    Plain(TcpStream),
    Tls(Box<rustls::StreamOwned<rustls::ServerConnection, TcpStream>>),
}

impl Read for Transport {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Self::Plain(s) => s.read(buf),
            Self::Tls(s) => s.read(buf),
        }
    }
}

impl Write for Transport {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Self::Plain(s) => s.write(buf),
            Self::Tls(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Self::Plain(s) => s.flush(),
            Self::Tls(s) => s.flush(),
        }
    }
}

/// The transport with a deadline on reads: each read waits at most what is left of the
/// deadline and at most `idle`; past the deadline a read fails with `TimedOut`.
struct Socket {
    transport: Transport,
    /// The same socket, to set timeouts and shut it down under TLS.
    control: TcpStream,
    deadline: Instant,
    idle: Duration,
}

impl Read for Socket {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        // A zero timeout means "none" to the socket: a limit configured as zero is 1 ms.
        self.control.set_read_timeout(Some(left.min(self.idle).max(Duration::from_millis(1))))?;
        self.transport.read(buf).map_err(|e| match e.kind() {
            io::ErrorKind::WouldBlock => io::ErrorKind::TimedOut.into(),
            _ => e,
        })
    }
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(e.kind(), io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock)
}

/// What reading the next request came to.
enum Next<'a> {
    /// The request, the pool buffer its body is to go back to, and whether to keep alive.
    Request(Box<ReceivedRequest>, Option<PooledBody<'a>>, bool),
    /// The client closed between requests, or a kept-alive connection idled out.
    Closed,
    /// A head or body did not arrive in time.
    TimedOut,
    Refused(Refusal),
    /// The connection broke (reset, or closed in the middle of a request).
    Broken,
}

pub(super) fn serve_connection(shared: &Arc<Shared>, stream: TcpStream, peer: SocketAddr, id: u64) {
    let accepted_at = Instant::now();
    let limits = &shared.config.limits;
    let _ = stream.set_nodelay(true);
    let (Ok(local), Ok(control)) = (stream.local_addr(), stream.try_clone()) else {
        return;
    };
    if control.set_write_timeout(Some(limits.write_timeout.max(Duration::from_millis(1)))).is_err() {
        return;
    }
    let deadline = accepted_at + limits.header_timeout;
    let (transport, tls) = match &shared.config.tls {
        None => (Transport::Plain(stream), None),
        Some(config) => match handshake(config, stream, &control, deadline) {
            Ok((tls_stream, info)) => (Transport::Tls(Box::new(tls_stream)), Some(info)),
            Err(()) => {
                shared.counters.tls_failures.fetch_add(1, Ordering::Relaxed);
                return;
            }
        },
    };
    let socket = Socket { transport, control, deadline, idle: limits.idle_timeout };
    let mut connection =
        Connection { shared, input: Buffered::new(socket), peer, local, tls, id, accepted_at, index: 0 };
    connection.run();
}

fn handshake(
    config: &Arc<rustls::ServerConfig>,
    mut stream: TcpStream,
    control: &TcpStream,
    deadline: Instant,
) -> Result<(rustls::StreamOwned<rustls::ServerConnection, TcpStream>, TlsInfo), ()> {
    let mut tls = rustls::ServerConnection::new(Arc::clone(config)).map_err(|_| ())?;
    while tls.is_handshaking() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || control.set_read_timeout(Some(left)).is_err() {
            return Err(());
        }
        tls.complete_io(&mut stream).map_err(|_| ())?;
    }
    let info = TlsInfo {
        server_name: tls.server_name().map(str::to_owned),
        protocol: tls.protocol_version().map_or_else(String::new, |v| format!("{v:?}")),
    };
    Ok((rustls::StreamOwned::new(tls, stream), info))
}

/// A body read: its bytes, its trailers, and the pool buffer they are to go back to.
struct ReadBody<'a> {
    bytes: Vec<u8>,
    trailers: Vec<crate::HeaderField>,
    pooled: Option<PooledBody<'a>>,
}

struct Connection<'a> {
    shared: &'a Shared,
    input: Buffered<Socket>,
    peer: SocketAddr,
    local: SocketAddr,
    tls: Option<TlsInfo>,
    id: u64,
    accepted_at: Instant,
    index: u32,
}

impl<'a> Connection<'a> {
    fn run(&mut self) {
        let counters = &self.shared.counters;
        while !self.shared.stopping.load(Ordering::SeqCst) {
            match self.next_request() {
                Next::Request(request, pooled, keep_alive) => {
                    counters.requests.fetch_add(1, Ordering::Relaxed);
                    let handled = catch_unwind(AssertUnwindSafe(|| (self.shared.handler)(&request)));
                    let (response, panicked) = match handled {
                        Ok(response) => (response, false),
                        Err(_) => {
                            counters.handler_panics.fetch_add(1, Ordering::Relaxed);
                            (Response::text(500, "the handler failed on this request\n"), true)
                        }
                    };
                    let close = !keep_alive || panicked || self.shared.stopping.load(Ordering::SeqCst);
                    let head_only = request.method == "HEAD";
                    if let Some(mut pooled) = pooled {
                        pooled.bytes = request.body;
                    }
                    if self.write(&serialize(&response, close, head_only)).is_err() || close {
                        break;
                    }
                    self.index = self.index.saturating_add(1);
                }
                Next::Closed | Next::Broken => break,
                Next::TimedOut => {
                    counters.timeouts.fetch_add(1, Ordering::Relaxed);
                    let _ = self.write(&serialize(&Response::text(408, "request not received in time\n"), true, false));
                    break;
                }
                Next::Refused(refusal) => {
                    counters.refused(refusal.status);
                    let mut response = Response::text(refusal.status, format!("{}\n", refusal.reason));
                    if refusal.status == 503 {
                        response = response.header("Retry-After", "1");
                    }
                    if self.write(&serialize(&response, true, false)).is_ok() {
                        self.linger();
                    }
                    break;
                }
            }
        }
        self.close();
    }

    fn socket(&mut self) -> &mut Socket {
        self.input.get_mut()
    }

    fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        let transport = &mut self.socket().transport;
        transport.write_all(bytes)?;
        transport.flush()
    }

    /// After an error response: stop writing, and read and drop what the client is still
    /// sending (the rest of a refused body), so that its kernel does not get a reset that
    /// discards the response before the client reads it.
    fn linger(&mut self) {
        let socket = self.socket();
        if let Transport::Tls(tls) = &mut socket.transport {
            tls.conn.send_close_notify();
            let _ = tls.flush();
        }
        let _ = socket.control.shutdown(Shutdown::Write);
        let deadline = Instant::now() + LINGER;
        let mut drained = 0u64;
        let mut sink = [0u8; 16 * 1024];
        while drained < LINGER_BYTES {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || socket.control.set_read_timeout(Some(left)).is_err() {
                break;
            }
            match socket.control.read(&mut sink) {
                Ok(0) | Err(_) => break,
                Ok(n) => drained += n as u64,
            }
        }
    }

    fn close(&mut self) {
        let socket = self.socket();
        if let Transport::Tls(tls) = &mut socket.transport {
            tls.conn.send_close_notify();
            let _ = tls.flush();
        }
        let _ = socket.control.shutdown(Shutdown::Both);
    }

    fn next_request(&mut self) -> Next<'a> {
        let limits = &self.shared.config.limits;
        let first = self.index == 0;
        if self.input.available().is_empty() {
            self.socket().deadline =
                if first { self.accepted_at + limits.header_timeout } else { Instant::now() + limits.idle_timeout };
            match self.input.fill() {
                Ok(0) => return Next::Closed,
                Ok(_) => {}
                Err(e) if is_timeout(&e) => return if first { Next::TimedOut } else { Next::Closed },
                Err(_) => return Next::Broken,
            }
        }
        if !first {
            self.socket().deadline = Instant::now() + limits.header_timeout;
        }
        let head = match self.read_head() {
            Ok(head) => head,
            Err(next) => return next,
        };
        let received_at = SystemTime::now();
        let framing = match body_framing(&head, limits) {
            Ok(framing) => framing,
            Err(refusal) => return Next::Refused(refusal),
        };
        let keep_alive = match head.version {
            HttpVersion::Http11 => !head.headers.iter().any(|f| f.is("connection") && lists_token(&f.value, "close")),
            HttpVersion::Http10 => {
                head.headers.iter().any(|f| f.is("connection") && lists_token(&f.value, "keep-alive"))
            }
        };
        let ReadBody { bytes: body, trailers, pooled } = match self.read_body(&head, framing) {
            Ok(read) => read,
            Err(next) => return next,
        };
        let request = ReceivedRequest {
            peer: self.peer,
            local: self.local,
            tls: self.tls.clone(),
            connection: self.id,
            index_on_connection: self.index,
            received_at,
            method: head.method,
            target: head.target,
            version: head.version,
            headers: head.headers,
            framing,
            body,
            trailers,
        };
        Next::Request(Box::new(request), pooled, keep_alive)
    }

    /// Reads until a whole head is buffered. The full parse runs only when a line ended (or
    /// the head outgrew its limits), so a client sending one byte at a time costs one cheap
    /// check per read, not a re-parse.
    fn read_head(&mut self) -> Result<Head, Next<'a>> {
        let limits = &self.shared.config.limits;
        let (cap, line_cap) = (max_head_bytes(limits), max_request_line_bytes(limits));
        let mut checked = 0;
        let mut any_line = false;
        loop {
            let available = self.input.available();
            let new_line = available.get(checked..).is_some_and(|new| new.contains(&b'\n'));
            any_line |= new_line;
            let over = available.len() > cap || (!any_line && available.len() > line_cap);
            if checked == 0 || new_line || over {
                match parse_head(available, limits) {
                    Ok(Some((head, consumed))) => {
                        self.input.consume(consumed);
                        return Ok(head);
                    }
                    Ok(None) if over => return Err(Next::Refused(Refusal::new(431, "request head too large"))),
                    Ok(None) => {}
                    Err(refusal) => return Err(Next::Refused(refusal)),
                }
            } else if let Err(refusal) = precheck(available) {
                return Err(Next::Refused(refusal));
            }
            checked = available.len();
            match self.input.fill() {
                Ok(0) => return Err(Next::Broken),
                Ok(_) => {}
                Err(e) if is_timeout(&e) => return Err(Next::TimedOut),
                Err(_) => return Err(Next::Broken),
            }
        }
    }

    fn read_body(&mut self, head: &Head, framing: BodyFraming) -> Result<ReadBody<'a>, Next<'a>> {
        let shared = self.shared;
        let limits = &shared.config.limits;
        let capacity = match framing {
            BodyFraming::None | BodyFraming::Close | BodyFraming::ContentLength(0) => {
                return Ok(ReadBody { bytes: Vec::new(), trailers: Vec::new(), pooled: None })
            }
            BodyFraming::ContentLength(length) => usize::try_from(length).unwrap_or(usize::MAX),
            // Its length is unknown: a buffer of the largest body, touched only as it fills.
            BodyFraming::Chunked => usize::try_from(limits.max_body_bytes).unwrap_or(usize::MAX),
        };
        let mut pooled = shared
            .pool
            .acquire(capacity, limits.idle_timeout)
            .ok_or_else(|| Next::Refused(Refusal::new(503, "the server's body memory is in use; retry")))?;
        let expects_continue = head.version == HttpVersion::Http11
            && head.headers.iter().any(|f| f.is("expect") && f.value.eq_ignore_ascii_case(b"100-continue"));
        if expects_continue && self.write(b"HTTP/1.1 100 Continue\r\n\r\n").is_err() {
            return Err(Next::Broken);
        }
        self.socket().deadline = Instant::now() + limits.body_timeout;
        let framing_limits =
            FramingLimits { max_trailer_fields: limits.max_header_fields, max_trailer_bytes: limits.max_header_bytes };
        let read = match framing {
            BodyFraming::ContentLength(length) => read_fixed(&mut self.input, length, &mut pooled).map(|()| Vec::new()),
            _ => read_chunked(&mut self.input, &mut pooled, framing_limits),
        };
        match read {
            Ok(trailers) => Ok(ReadBody { bytes: std::mem::take(&mut pooled.bytes), trailers, pooled: Some(pooled) }),
            Err(BodyError::Stop(TooLarge)) => Err(Next::Refused(Refusal::new(
                413,
                format!("chunked body over the limit of {} bytes", limits.max_body_bytes),
            ))),
            Err(BodyError::Malformed(why)) => Err(Next::Refused(Refusal::new(400, why))),
            Err(BodyError::Io(e)) if is_timeout(&e) => Err(Next::TimedOut),
            Err(BodyError::Io(_) | BodyError::Eof) => Err(Next::Broken),
        }
    }
}
