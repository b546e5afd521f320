//! The raw HTTP/1.1 client of `probe`: it sends exactly the bytes of a [`RawRequest`] (a
//! target or a header field a strict library would refuse included) over one new connection
//! per request, and reads the response with `httparse`.
//!
//! Every request has one deadline ([`ClientOptions::timeout`]) covering connect, TLS
//! handshake, write and read; the response body read stops at
//! [`ClientOptions::max_body_bytes`] (1 MiB by default) and is flagged truncated, so a server
//! that hangs, trickles or announces a 2 GB body costs at most the timeout and 1 MiB.

mod error;
mod request;

use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use error::{ClientError, Phase};
pub use request::{RawRequest, Route, Scheme};

use crate::body::{read_chunked, read_fixed, read_to_end, BodyError, BodySink, FramingLimits};
use crate::buffered::Buffered;
use crate::{first_field, lists_token, BodyFraming, HeaderField};

/// Default [`ClientOptions::timeout`]: 10 s.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default [`ClientOptions::max_body_bytes`]: 1 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;
/// The largest response head read.
const MAX_RESPONSE_HEAD: usize = 64 * 1024;
/// The most header fields in a response head.
const MAX_RESPONSE_FIELDS: usize = 100;
/// Bytes written per call, each with the deadline's remaining time as its timeout.
const WRITE_PIECE: usize = 64 * 1024;

/// How the client behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientOptions {
    /// The per-request deadline: connect, TLS handshake, write and read together.
    pub timeout: Duration,
    /// Accept any server certificate (self-signed test servers).
    pub insecure: bool,
    /// Also trust the certificates of this PEM file (a test CA).
    pub ca_file: Option<PathBuf>,
    /// The most response body bytes kept; the rest is not read.
    pub max_body_bytes: usize,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self { timeout: DEFAULT_TIMEOUT, insecure: false, ca_file: None, max_body_bytes: DEFAULT_MAX_BODY_BYTES }
    }
}

/// A response as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawResponse {
    /// The status code.
    pub status: u16,
    /// The reason phrase (lossy UTF-8).
    pub reason: String,
    /// The minor HTTP version (`1` for HTTP/1.1).
    pub version: u8,
    /// Header fields in order.
    pub headers: Vec<HeaderField>,
    /// How the body was delimited.
    pub framing: BodyFraming,
    /// The body, at most [`ClientOptions::max_body_bytes`] of it.
    pub body: Vec<u8>,
    /// Whether the body was longer than what was kept.
    pub truncated: bool,
    /// Time from the start of the request to the end of the read.
    pub elapsed: Duration,
}

impl RawResponse {
    /// The first field named `name` (ignoring ASCII case).
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        first_field(&self.headers, name)
    }

    /// The body as text (lossy UTF-8).
    #[must_use]
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends raw requests. Cheap to share: it holds only its options and TLS configuration.
#[derive(Debug, Clone)]
pub struct Client {
    options: ClientOptions,
    tls: Arc<rustls::ClientConfig>,
    trusted_roots: usize,
}

impl Client {
    /// A client with `options`; loads the system's trust roots and the CA file.
    ///
    /// # Errors
    /// [`ClientError::TlsSetup`] when the CA file is unreadable or holds no certificate.
    pub fn new(options: ClientOptions) -> Result<Self, ClientError> {
        let (tls, trusted_roots) = crate::tls::client_config(options.insecure, options.ca_file.as_deref())
            .map_err(|e| ClientError::TlsSetup(e.0))?;
        Ok(Self { options, tls, trusted_roots })
    }

    /// The options.
    #[must_use]
    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    /// Sends `request` along `route` on a new connection and reads the response.
    ///
    /// If the server answers before it has read the whole request and then resets the
    /// connection, the response is still returned when it arrived.
    ///
    /// # Errors
    /// Every failure to get a complete response head, and a body cut short.
    pub fn send(&self, route: &Route, request: &RawRequest) -> Result<RawResponse, ClientError> {
        let start = Instant::now();
        let deadline = start + self.options.timeout;
        let address = route.connect_address();
        let error = |e: &io::Error, phase| ClientError::from_io(e, &address, phase, self.options.timeout);
        let stream = self.connect(route, &address, deadline)?;
        let control = stream.try_clone().map_err(|e| error(&e, Phase::Connect))?;
        let transport = if route.tls {
            Transport::Tls(Box::new(self.handshake(route, stream, &control, &address, deadline)?))
        } else {
            Transport::Plain(stream)
        };
        let mut socket = Socket { transport, control, deadline };
        let written = socket.write_all_by(&request.head_bytes()).and_then(|()| socket.write_all_by(&request.body));
        let mut input = Buffered::new(socket);
        let read = read_response(&mut input, request.is_head(), self.options.max_body_bytes);
        match (written, read) {
            (_, Ok(mut response)) => {
                response.elapsed = start.elapsed();
                Ok(response)
            }
            (Err(e), Err(_)) => Err(error(&e, Phase::Write)),
            (Ok(()), Err(ReadFailure::Io(e, phase))) => Err(error(&e, phase)),
            (Ok(()), Err(ReadFailure::Malformed(reason))) => Err(ClientError::MalformedResponse { address, reason }),
        }
    }

    fn connect(&self, route: &Route, address: &str, deadline: Instant) -> Result<TcpStream, ClientError> {
        let dns = |reason: String| ClientError::Dns { host: route.connect_host.clone(), reason };
        let addrs: Vec<_> = (route.connect_host.as_str(), route.connect_port)
            .to_socket_addrs()
            .map_err(|e| dns(e.to_string()))?
            .collect();
        if addrs.is_empty() {
            return Err(dns("no address".into()));
        }
        let mut last = None;
        for addr in addrs {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            match TcpStream::connect_timeout(&addr, left) {
                Ok(stream) => {
                    let _ = stream.set_nodelay(true);
                    return Ok(stream);
                }
                Err(e) => last = Some(e),
            }
        }
        let e = last.unwrap_or_else(|| io::ErrorKind::TimedOut.into());
        Err(ClientError::from_io(&e, address, Phase::Connect, self.options.timeout))
    }

    fn handshake(
        &self,
        route: &Route,
        mut stream: TcpStream,
        control: &TcpStream,
        address: &str,
        deadline: Instant,
    ) -> Result<rustls::StreamOwned<rustls::ClientConnection, TcpStream>, ClientError> {
        let tls_error = |reason: String| ClientError::Tls { address: address.to_owned(), reason };
        if !self.options.insecure && self.trusted_roots == 0 {
            return Err(tls_error(
                "no trusted root certificate: none found on this system (install ca-certificates); give a CA file, \
                 or --insecure for a self-signed test server"
                    .into(),
            ));
        }
        let name = rustls_pki_types::ServerName::try_from(route.host.clone())
            .map_err(|e| tls_error(format!("{:?} is not a valid TLS server name: {e}", route.host)))?;
        let mut tls =
            rustls::ClientConnection::new(Arc::clone(&self.tls), name).map_err(|e| tls_error(e.to_string()))?;
        while tls.is_handshaking() {
            let left = deadline.saturating_duration_since(Instant::now());
            let timed_out = io::Error::from(io::ErrorKind::TimedOut);
            if left.is_zero() {
                return Err(ClientError::from_io(&timed_out, address, Phase::TlsHandshake, self.options.timeout));
            }
            let set = control.set_read_timeout(Some(left)).and_then(|()| control.set_write_timeout(Some(left)));
            if let Err(e) = set.and_then(|()| tls.complete_io(&mut stream).map(drop)) {
                return Err(match e.kind() {
                    io::ErrorKind::UnexpectedEof => {
                        tls_error("the server closed the connection in the handshake".into())
                    }
                    io::ErrorKind::InvalidData => tls_error(e.to_string()),
                    _ => ClientError::from_io(&e, address, Phase::TlsHandshake, self.options.timeout),
                });
            }
        }
        Ok(rustls::StreamOwned::new(tls, stream))
    }
}

enum Transport {
    Plain(TcpStream),
    Tls(Box<rustls::StreamOwned<rustls::ClientConnection, TcpStream>>),
}

/// The connection with the request's deadline on every read and write.
struct Socket {
    transport: Transport,
    control: TcpStream,
    deadline: Instant,
}

impl Socket {
    fn left(&self) -> io::Result<Duration> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            Err(io::ErrorKind::TimedOut.into())
        } else {
            Ok(left)
        }
    }

    /// Writes `bytes` in pieces, each with what is left of the deadline as its timeout.
    fn write_all_by(&mut self, bytes: &[u8]) -> io::Result<()> {
        for piece in bytes.chunks(WRITE_PIECE) {
            self.control.set_write_timeout(Some(self.left()?))?;
            match &mut self.transport {
                Transport::Plain(s) => s.write_all(piece)?,
                Transport::Tls(s) => s.write_all(piece)?,
            }
        }
        match &mut self.transport {
            Transport::Plain(s) => s.flush(),
            Transport::Tls(s) => s.flush(),
        }
    }
}

impl Read for Socket {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.control.set_read_timeout(Some(self.left()?))?;
        let read = match &mut self.transport {
            Transport::Plain(s) => s.read(buf),
            Transport::Tls(s) => s.read(buf),
        };
        read.map_err(|e| if e.kind() == io::ErrorKind::WouldBlock { io::ErrorKind::TimedOut.into() } else { e })
    }
}

enum ReadFailure {
    Io(io::Error, Phase),
    Malformed(String),
}

/// Keeps the first `cap` bytes of a body and refuses the rest.
struct Capped {
    bytes: Vec<u8>,
    cap: usize,
}

struct Full;

impl BodySink for Capped {
    type Stop = Full;

    fn push(&mut self, bytes: &[u8]) -> Result<(), Full> {
        let room = self.cap - self.bytes.len();
        self.bytes.extend_from_slice(bytes.get(..room.min(bytes.len())).unwrap_or_default());
        if bytes.len() > room {
            Err(Full)
        } else {
            Ok(())
        }
    }
}

struct ResponseHead {
    status: u16,
    reason: String,
    version: u8,
    headers: Vec<HeaderField>,
}

fn read_response<R: Read>(input: &mut Buffered<R>, head_request: bool, cap: usize) -> Result<RawResponse, ReadFailure> {
    let head = loop {
        let head = read_response_head(input)?;
        // Interim responses (100 Continue, 103 Early Hints) precede the real one.
        if !(100..200).contains(&head.status) || head.status == 101 {
            break head;
        }
    };
    let framing = response_framing(&head, head_request)?;
    let mut sink = Capped { bytes: Vec::new(), cap };
    let limits = FramingLimits { max_trailer_fields: MAX_RESPONSE_FIELDS, max_trailer_bytes: MAX_RESPONSE_HEAD };
    let read = match framing {
        BodyFraming::None => Ok(()),
        BodyFraming::ContentLength(length) => read_fixed(input, length, &mut sink),
        BodyFraming::Chunked => read_chunked(input, &mut sink, limits).map(drop),
        BodyFraming::Close => read_to_end(input, &mut sink),
    };
    let truncated = match read {
        Ok(()) => false,
        Err(BodyError::Stop(Full)) => true,
        Err(BodyError::Io(e)) => return Err(ReadFailure::Io(e, Phase::ReadBody)),
        Err(BodyError::Eof) => return Err(ReadFailure::Io(io::ErrorKind::UnexpectedEof.into(), Phase::ReadBody)),
        Err(BodyError::Malformed(why)) => return Err(ReadFailure::Malformed(why)),
    };
    Ok(RawResponse {
        status: head.status,
        reason: head.reason,
        version: head.version,
        headers: head.headers,
        framing,
        body: sink.bytes,
        truncated,
        elapsed: Duration::ZERO,
    })
}

fn read_response_head<R: Read>(input: &mut Buffered<R>) -> Result<ResponseHead, ReadFailure> {
    loop {
        let mut slots = [httparse::EMPTY_HEADER; MAX_RESPONSE_FIELDS];
        let mut response = httparse::Response::new(&mut slots);
        match response.parse(input.available()) {
            Ok(httparse::Status::Complete(consumed)) => {
                let head = ResponseHead {
                    status: response.code.unwrap_or_default(),
                    reason: response.reason.unwrap_or_default().to_owned(),
                    version: response.version.unwrap_or_default(),
                    headers: response
                        .headers
                        .iter()
                        .map(|f| HeaderField { name: f.name.to_owned(), value: f.value.to_vec() })
                        .collect(),
                };
                input.consume(consumed);
                return Ok(head);
            }
            Ok(httparse::Status::Partial) if input.available().len() > MAX_RESPONSE_HEAD => {
                return Err(ReadFailure::Malformed(format!("the response head is over {MAX_RESPONSE_HEAD} bytes")))
            }
            Ok(httparse::Status::Partial) => {}
            Err(e) => {
                let start =
                    String::from_utf8_lossy(input.available().get(..40).unwrap_or(input.available())).into_owned();
                return Err(ReadFailure::Malformed(format!("{e} (it starts {start:?})")));
            }
        }
        match input.fill() {
            Ok(0) => return Err(ReadFailure::Io(io::ErrorKind::UnexpectedEof.into(), Phase::ReadHead)),
            Ok(_) => {}
            Err(e) => return Err(ReadFailure::Io(e, Phase::ReadHead)),
        }
    }
}

/// RFC 7230 §3.3.3, from the client's side.
fn response_framing(head: &ResponseHead, head_request: bool) -> Result<BodyFraming, ReadFailure> {
    if head_request || (100..200).contains(&head.status) || head.status == 204 || head.status == 304 {
        return Ok(BodyFraming::None);
    }
    if let Some(coding) = first_field(&head.headers, "transfer-encoding") {
        let chunked = coding.rsplit(|&b| b == b',').next().is_some_and(|last| lists_token(last, "chunked"));
        return Ok(if chunked { BodyFraming::Chunked } else { BodyFraming::Close });
    }
    let lengths: Vec<&[u8]> =
        head.headers.iter().filter(|f| f.is("content-length")).map(|f| f.value.as_slice()).collect();
    let Some(first) = lengths.first() else {
        return Ok(BodyFraming::Close);
    };
    if lengths.iter().any(|l| l != first) {
        return Err(ReadFailure::Malformed("conflicting Content-Length fields".into()));
    }
    std::str::from_utf8(first)
        .ok()
        .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|t| t.parse::<u64>().ok())
        .map(BodyFraming::ContentLength)
        .ok_or_else(|| ReadFailure::Malformed(format!("Content-Length {:?}", String::from_utf8_lossy(first))))
}
