//! The one hardened HTTP/1.1 server of the live modes (`serve-http` and `capture`).
//!
//! Each request reaches the handler exactly as received ([`ReceivedRequest`]): the raw
//! request-target octets, every header field in order with its raw name and value (duplicates
//! kept), the body (chunked transfer coding decoded, and recorded as such), the peer address
//! and the TLS session. Requests a strict framework would refuse or normalise (a raw space or
//! non-UTF-8 octet in the target, odd header spellings, duplicate fields) are handed over,
//! not refused; the server refuses only what it cannot frame or what breaks a [`Limits`].
//!
//! Threads, not tokio: the handler is synchronous (the reference verifier does no I/O), each
//! connection is a blocking read-parse-answer loop whose deadlines are socket timeouts, and
//! the number of threads is bounded by [`Limits::max_connections`]. An async runtime would
//! add a second I/O model to the crate for no gain at this scale.
//!
//! Limits (the [`Limits`] defaults; every one configurable):
//!
//! | limit | default | outcome |
//! |---|---|---|
//! | body size | 16 MiB | 413, checked on `Content-Length` before reading; chunked bodies counted as they arrive |
//! | header fields | 100 | 431 |
//! | header section | 64 KiB | 431 |
//! | request target | 64 KiB | 414 |
//! | head complete | 10 s after the connection opened (or the request's first byte on a kept-alive one) | connection closed (after a best-effort 408) |
//! | keep-alive idle | 15 s | connection closed |
//! | body complete | 60 s | connection closed (after a best-effort 408) |
//! | open connections | 128 | a connection beyond is answered 503 at once and closed (TLS: closed) |
//! | body memory, all requests | 64 MiB | a body waits up to the idle timeout for a buffer (its length, or 16 MiB for a chunked one), then 503 |
//!
//! Garbage (no method token, a request line without version, a malformed header section, a
//! malformed chunk, `Content-Length` together with `Transfer-Encoding`, conflicting
//! `Content-Length`s) is answered 400 and the connection closed; a transfer coding other than
//! `chunked` is 501. After an error response the server stops writing and drains what the
//! client still sends for at most [`LINGER`], so that the client reads the response instead
//! of a reset.
//!
//! A handler that panics yields a 500; the server goes on.

mod connection;
mod head;
mod message;
mod pool;

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write as _};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::os::fd::AsRawFd as _;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use mio::unix::SourceFd;
use mio::{Events, Interest, Poll, Token, Waker};

pub use message::{HttpVersion, ReceivedRequest, Response, TlsInfo};

use pool::BodyPool;

/// How long the server drains a client's unread bytes after an error response.
pub const LINGER: Duration = Duration::from_secs(2);
/// The most bytes drained after an error response.
const LINGER_BYTES: u64 = 64 * 1024 * 1024;

/// Default [`Limits::max_body_bytes`]: 16 MiB.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 16 * 1024 * 1024;
/// Default [`Limits::max_header_fields`].
pub const DEFAULT_MAX_HEADER_FIELDS: usize = 100;
/// Default [`Limits::max_header_bytes`]: 64 KiB.
pub const DEFAULT_MAX_HEADER_BYTES: usize = 64 * 1024;
/// Default [`Limits::max_target_bytes`]: 64 KiB.
pub const DEFAULT_MAX_TARGET_BYTES: usize = 64 * 1024;
/// Default [`Limits::header_timeout`]: 10 s.
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Default [`Limits::idle_timeout`]: 15 s.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(15);
/// Default [`Limits::body_timeout`]: 60 s.
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(60);
/// Default [`Limits::write_timeout`]: 10 s.
pub const DEFAULT_WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Default [`Limits::max_connections`].
pub const DEFAULT_MAX_CONNECTIONS: usize = 128;
/// Default [`Limits::body_memory_budget`]: 64 MiB, four maximal bodies at once.
pub const DEFAULT_BODY_MEMORY_BUDGET: u64 = 64 * 1024 * 1024;

/// The server's limits; see the module documentation for what each one answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest request body (decoded), in bytes.
    pub max_body_bytes: u64,
    /// Most header fields in a request (and trailer fields in a chunked body).
    pub max_header_fields: usize,
    /// Largest header section (after the request line), in bytes.
    pub max_header_bytes: usize,
    /// Longest request target, in bytes.
    pub max_target_bytes: usize,
    /// Time for a request head to arrive in full.
    pub header_timeout: Duration,
    /// Time a kept-alive connection may wait for its next request, and the longest pause
    /// within a body.
    pub idle_timeout: Duration,
    /// Time for a request body to arrive in full.
    pub body_timeout: Duration,
    /// Time for each write of a response to make progress.
    pub write_timeout: Duration,
    /// Connections served at once.
    pub max_connections: usize,
    /// Bytes all request body buffers may hold together (they are reused, not freed); at
    /// least `max_body_bytes`, or a maximal body could never be read.
    pub body_memory_budget: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            max_header_fields: DEFAULT_MAX_HEADER_FIELDS,
            max_header_bytes: DEFAULT_MAX_HEADER_BYTES,
            max_target_bytes: DEFAULT_MAX_TARGET_BYTES,
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            body_timeout: DEFAULT_BODY_TIMEOUT,
            write_timeout: DEFAULT_WRITE_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            body_memory_budget: DEFAULT_BODY_MEMORY_BUDGET,
        }
    }
}

/// How to serve.
#[derive(Debug, Clone, Default)]
pub struct ServerConfig {
    /// The limits.
    pub limits: Limits,
    /// Serve TLS with this configuration ([`crate::tls::ThrowawayCa::server_config`]), or
    /// plain HTTP.
    pub tls: Option<Arc<rustls::ServerConfig>>,
}

/// What answers requests.
pub trait Handler: Fn(&ReceivedRequest) -> Response + Send + Sync + 'static {}
impl<F: Fn(&ReceivedRequest) -> Response + Send + Sync + 'static> Handler for F {}

/// Counts of what the server did, for tests and for reporting refused requests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerStats {
    /// Connections accepted and served.
    pub connections: u64,
    /// Connections refused because [`Limits::max_connections`] were open (503).
    pub connections_refused: u64,
    /// Requests handed to the handler.
    pub requests: u64,
    /// Requests refused by the server itself, by status code (400, 413, 414, 431, …).
    pub refused: BTreeMap<u16, u64>,
    /// Connections closed because a head or body did not arrive in time.
    pub timeouts: u64,
    /// TLS handshakes that failed.
    pub tls_failures: u64,
    /// Handler calls that panicked (answered 500).
    pub handler_panics: u64,
}

#[derive(Default)]
struct Counters {
    connections: AtomicU64,
    connections_refused: AtomicU64,
    requests: AtomicU64,
    refused: Mutex<BTreeMap<u16, u64>>,
    timeouts: AtomicU64,
    tls_failures: AtomicU64,
    handler_panics: AtomicU64,
}

impl Counters {
    fn refused(&self, status: u16) {
        *self.refused.lock().unwrap_or_else(PoisonError::into_inner).entry(status).or_default() += 1;
    }

    fn snapshot(&self) -> ServerStats {
        ServerStats {
            connections: self.connections.load(Ordering::Relaxed),
            connections_refused: self.connections_refused.load(Ordering::Relaxed),
            requests: self.requests.load(Ordering::Relaxed),
            refused: self.refused.lock().unwrap_or_else(PoisonError::into_inner).clone(),
            timeouts: self.timeouts.load(Ordering::Relaxed),
            tls_failures: self.tls_failures.load(Ordering::Relaxed),
            handler_panics: self.handler_panics.load(Ordering::Relaxed),
        }
    }
}

/// What the accept loop and the connections share.
struct Shared {
    config: ServerConfig,
    handler: Box<dyn Fn(&ReceivedRequest) -> Response + Send + Sync>,
    counters: Counters,
    pool: BodyPool,
    stopping: AtomicBool,
    /// Open connections, so that a shutdown can wake the threads blocked reading them.
    open: Mutex<HashMap<u64, TcpStream>>,
    workers: Mutex<Vec<JoinHandle<()>>>,
}

const LISTENER: Token = Token(0);
const WAKER: Token = Token(1);

/// Starts serving `listener` on a background thread.
///
/// # Errors
/// When the listener or the poller cannot be set up.
pub fn serve(listener: TcpListener, config: ServerConfig, handler: impl Handler) -> io::Result<ServerHandle> {
    let local_addr = listener.local_addr()?;
    listener.set_nonblocking(true)?;
    let poll = Poll::new()?;
    poll.registry().register(&mut SourceFd(&listener.as_raw_fd()), LISTENER, Interest::READABLE)?;
    let waker = Arc::new(Waker::new(poll.registry(), WAKER)?);
    let pool = BodyPool::new(config.limits.body_memory_budget.max(config.limits.max_body_bytes));
    let shared = Arc::new(Shared {
        config,
        handler: Box::new(handler),
        counters: Counters::default(),
        pool,
        stopping: AtomicBool::new(false),
        open: Mutex::new(HashMap::new()),
        workers: Mutex::new(Vec::new()),
    });
    let accept_shared = Arc::clone(&shared);
    let accept = std::thread::Builder::new()
        .name("wire-accept".into())
        .spawn(move || accept_loop(&listener, poll, &accept_shared))?;
    Ok(ServerHandle { local_addr, shared, waker, accept: Some(accept) })
}

fn accept_loop(listener: &TcpListener, mut poll: Poll, shared: &Arc<Shared>) {
    let mut events = Events::with_capacity(16);
    let mut next_id = 0u64;
    loop {
        if let Err(e) = poll.poll(&mut events, None) {
            if e.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            eprintln!("wire: the accept loop stopped: {e}");
            return;
        }
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        loop {
            match listener.accept() {
                Ok((stream, peer)) => {
                    next_id += 1;
                    admit(shared, stream, peer, next_id);
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => {
                    // Out of file descriptors or the like: back off instead of spinning.
                    std::thread::sleep(Duration::from_millis(20));
                    break;
                }
            }
        }
        let mut workers = shared.workers.lock().unwrap_or_else(PoisonError::into_inner);
        workers.retain(|w| !w.is_finished());
    }
}

/// Serves `stream` on its own thread, or refuses it when the server is full.
fn admit(shared: &Arc<Shared>, stream: TcpStream, peer: SocketAddr, id: u64) {
    let registered = stream.try_clone().ok().and_then(|clone| {
        let mut open = shared.open.lock().unwrap_or_else(PoisonError::into_inner);
        if open.len() >= shared.config.limits.max_connections {
            return None;
        }
        open.insert(id, clone);
        Some(())
    });
    if registered.is_none() {
        shared.counters.connections_refused.fetch_add(1, Ordering::Relaxed);
        refuse_busy(&stream, shared.config.tls.is_some());
        return;
    }
    shared.counters.connections.fetch_add(1, Ordering::Relaxed);
    let worker_shared = Arc::clone(shared);
    let spawned = std::thread::Builder::new().name("wire-conn".into()).spawn(move || {
        connection::serve_connection(&worker_shared, stream, peer, id);
        worker_shared.open.lock().unwrap_or_else(PoisonError::into_inner).remove(&id);
    });
    match spawned {
        Ok(handle) => shared.workers.lock().unwrap_or_else(PoisonError::into_inner).push(handle),
        Err(_) => {
            if let Some(stream) = shared.open.lock().unwrap_or_else(PoisonError::into_inner).remove(&id) {
                refuse_busy(&stream, shared.config.tls.is_some());
            }
        }
    }
}

/// Answers 503 without blocking the accept loop: one non-blocking write into a fresh socket's
/// empty send buffer. A TLS client would read plain text as garbage, so it is only closed.
fn refuse_busy(stream: &TcpStream, tls: bool) {
    if !tls && stream.set_nonblocking(true).is_ok() {
        let body = "the server is serving its maximum number of connections; retry\n";
        let response = format!(
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nRetry-After: 1\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        let mut writer = stream;
        let _ = writer.write(response.as_bytes());
    }
    let _ = stream.shutdown(Shutdown::Both);
}

/// A running server. Dropping it shuts it down.
pub struct ServerHandle {
    local_addr: SocketAddr,
    shared: Arc<Shared>,
    waker: Arc<Waker>,
    accept: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for ServerHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerHandle").field("local_addr", &self.local_addr).finish_non_exhaustive()
    }
}

/// Stops a server from another thread (a signal handler's thread, a handler that has seen
/// enough requests).
#[derive(Clone)]
pub struct Stopper {
    shared: Arc<Shared>,
    waker: Arc<Waker>,
}

impl std::fmt::Debug for Stopper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stopper").finish_non_exhaustive()
    }
}

impl Stopper {
    /// Stops accepting connections; [`ServerHandle::wait`] then returns.
    pub fn stop(&self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        let _ = self.waker.wake();
    }
}

impl ServerHandle {
    /// The address the server listens on.
    #[must_use]
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// `http://ADDR` or `https://ADDR`.
    #[must_use]
    pub fn base_url(&self) -> String {
        let scheme = if self.shared.config.tls.is_some() { "https" } else { "http" };
        format!("{scheme}://{}", self.local_addr)
    }

    /// What the server did so far.
    #[must_use]
    pub fn stats(&self) -> ServerStats {
        self.shared.counters.snapshot()
    }

    /// The capacity of the request body buffers the server holds (in use or kept for reuse):
    /// at most [`Limits::body_memory_budget`].
    #[must_use]
    pub fn body_memory(&self) -> u64 {
        self.shared.pool.reserved()
    }

    /// Connections open now (being served, or kept alive between requests).
    #[must_use]
    pub fn open_connections(&self) -> usize {
        self.shared.open.lock().unwrap_or_else(PoisonError::into_inner).len()
    }

    /// A handle that stops the server from elsewhere.
    #[must_use]
    pub fn stopper(&self) -> Stopper {
        Stopper { shared: Arc::clone(&self.shared), waker: Arc::clone(&self.waker) }
    }

    /// Blocks until a [`Stopper`] stops the server, then closes every connection and joins
    /// every thread.
    pub fn wait(mut self) {
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
        self.close_all();
    }

    /// Stops accepting, closes every open connection (a handler running finishes first) and
    /// joins every thread: nothing is left listening or running.
    pub fn shutdown(self) {
        self.stopper().stop();
        self.wait();
    }

    fn close_all(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        if let Some(accept) = self.accept.take() {
            let _ = self.waker.wake();
            let _ = accept.join();
        }
        for stream in self.shared.open.lock().unwrap_or_else(PoisonError::into_inner).values() {
            let _ = stream.shutdown(Shutdown::Both);
        }
        let workers = std::mem::take(&mut *self.shared.workers.lock().unwrap_or_else(PoisonError::into_inner));
        for worker in workers {
            let _ = worker.join();
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        self.close_all();
    }
}
