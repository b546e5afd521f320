//! The client's errors: a small flat enum, each naming where it happened.

use std::fmt;
use std::io;
use std::time::Duration;

/// What the client was doing when something failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Opening the TCP connection.
    Connect,
    /// The TLS handshake.
    TlsHandshake,
    /// Writing the request.
    Write,
    /// Reading the status line and header fields.
    ReadHead,
    /// Reading the body.
    ReadBody,
}

impl Phase {
    /// "while connecting to", "in the TLS handshake with", … (followed by an address).
    fn preposition(self) -> &'static str {
        match self {
            Self::Connect => "while connecting to",
            Self::TlsHandshake => "in the TLS handshake with",
            Self::Write => "while sending the request to",
            Self::ReadHead => "while reading the response head from",
            Self::ReadBody => "while reading the response body from",
        }
    }
}

/// Why a request got no response.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClientError {
    /// The URL is not an absolute `http`/`https` URL with a host.
    InvalidUrl {
        /// The URL.
        url: String,
        /// What is wrong.
        reason: String,
    },
    /// The connect address is not `[http://|https://]HOST:PORT`.
    InvalidConnect {
        /// The address given.
        connect: String,
        /// What is wrong.
        reason: String,
    },
    /// TLS could not be set up (an unreadable CA file).
    TlsSetup(String),
    /// The host name did not resolve.
    Dns {
        /// The host.
        host: String,
        /// The resolver's reason.
        reason: String,
    },
    /// Nothing listens there.
    ConnectionRefused {
        /// `HOST:PORT`.
        address: String,
    },
    /// The connection could not be opened for another reason (unreachable network, …).
    Connect {
        /// `HOST:PORT`.
        address: String,
        /// The system's reason.
        reason: String,
    },
    /// The per-request deadline passed.
    Timeout {
        /// `HOST:PORT`.
        address: String,
        /// Where it passed.
        phase: Phase,
        /// The per-request timeout.
        after: Duration,
    },
    /// The TLS handshake or a TLS record failed (an untrusted certificate, a peer that does
    /// not speak TLS, …).
    Tls {
        /// `HOST:PORT`.
        address: String,
        /// rustls' reason.
        reason: String,
    },
    /// The peer reset the connection.
    Reset {
        /// `HOST:PORT`.
        address: String,
        /// Where.
        phase: Phase,
    },
    /// The peer closed the connection before the response was complete.
    Closed {
        /// `HOST:PORT`.
        address: String,
        /// Where.
        phase: Phase,
    },
    /// The response is not HTTP/1.x.
    MalformedResponse {
        /// `HOST:PORT`.
        address: String,
        /// What is wrong.
        reason: String,
    },
    /// Another I/O error.
    Io {
        /// `HOST:PORT`.
        address: String,
        /// Where.
        phase: Phase,
        /// The system's reason.
        reason: String,
    },
}

impl ClientError {
    /// A stable snake_case code for reports.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidUrl { .. } => "invalid_url",
            Self::InvalidConnect { .. } => "invalid_connect",
            Self::TlsSetup(_) => "tls_setup",
            Self::Dns { .. } => "dns",
            Self::ConnectionRefused { .. } => "connection_refused",
            Self::Connect { .. } => "connect",
            Self::Timeout { .. } => "timeout",
            Self::Tls { .. } => "tls",
            Self::Reset { .. } => "reset",
            Self::Closed { .. } => "closed",
            Self::MalformedResponse { .. } => "malformed_response",
            Self::Io { .. } => "io",
        }
    }

    /// Classifies an I/O error of `phase` with `address`.
    pub(crate) fn from_io(e: &io::Error, address: &str, phase: Phase, timeout: Duration) -> Self {
        let address = address.to_owned();
        if let Some(tls) = e.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>()) {
            return Self::Tls { address, reason: tls.to_string() };
        }
        match e.kind() {
            io::ErrorKind::ConnectionRefused => Self::ConnectionRefused { address },
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => Self::Timeout { address, phase, after: timeout },
            io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted | io::ErrorKind::BrokenPipe => {
                Self::Reset { address, phase }
            }
            io::ErrorKind::UnexpectedEof => Self::Closed { address, phase },
            _ if phase == Phase::Connect => Self::Connect { address, reason: e.to_string() },
            _ => Self::Io { address, phase, reason: e.to_string() },
        }
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidUrl { url, reason } => write!(f, "invalid URL {url:?}: {reason}"),
            Self::InvalidConnect { connect, reason } => {
                write!(f, "invalid connect address {connect:?}: {reason} (expected [http://|https://]HOST:PORT)")
            }
            Self::TlsSetup(reason) => write!(f, "TLS set-up: {reason}"),
            Self::Dns { host, reason } => write!(f, "cannot resolve {host}: {reason}"),
            Self::ConnectionRefused { address } => {
                write!(f, "connection refused by {address} (is the server running?)")
            }
            Self::Connect { address, reason } => write!(f, "cannot connect to {address}: {reason}"),
            Self::Timeout { address, phase, after } => {
                write!(f, "timed out after {:.1} s {} {address}", after.as_secs_f64(), phase.preposition())
            }
            Self::Tls { address, reason } => write!(f, "TLS with {address} failed: {reason}"),
            Self::Reset { address, phase } => write!(f, "connection reset {} {address}", phase.preposition()),
            Self::Closed { address, phase } => {
                write!(f, "the connection closed before the response was complete, {} {address}", phase.preposition())
            }
            Self::MalformedResponse { address, reason } => write!(f, "malformed response from {address}: {reason}"),
            Self::Io { address, phase, reason } => write!(f, "I/O error {} {address}: {reason}", phase.preposition()),
        }
    }
}

impl std::error::Error for ClientError {}
