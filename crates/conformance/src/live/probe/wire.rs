//! Sending the battery's requests: each one written as exact bytes for `oauth1-wire`'s raw
//! client (to the URL's authority, or to `--connect`), under the rate limit and the request
//! cap, and read back into what the oracle says.

use std::fmt;

use oauth1_vectors::VerifyRequest;
use oauth1_wire::client::{Client, ClientError, RawRequest, RawResponse, Route};
use oauth1_wire::rate::RateLimiter;

use super::oracle::{Observed, Oracle};
use super::redact::{Redactor, REDACTED};
use crate::report::probe::WireRequest;

/// Transport failures in a row after which the server is taken as gone.
const FAILURES_BEFORE_GIVING_UP: usize = 3;

/// Bytes of a request body kept in a report.
const REPORTED_BODY: usize = 2_000;

/// Bytes of a response body kept as its excerpt.
const EXCERPT: usize = 300;

/// Why a request got no usable answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The request could not be written (an invalid URL).
    Build(String),
    /// The client got no complete response.
    Client(ClientError),
    /// The response body was over the client's cap.
    Truncated {
        /// Its status.
        status: u16,
        /// The cap, bytes.
        cap: usize,
    },
    /// `--max-requests` were sent already.
    Cap(usize),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Build(reason) => write!(f, "the request cannot be written: {reason}"),
            Self::Client(error) => write!(f, "{error}"),
            Self::Truncated { status, cap } => write!(
                f,
                "the response ({status}) has a body over the {} KiB the probe reads: point --url at a small resource",
                cap / 1024
            ),
            Self::Cap(max) => write!(f, "--max-requests {max} reached"),
        }
    }
}

/// One request and what came back.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// The request as sent (absent when it could not be written).
    pub request: Option<RawRequest>,
    /// The response, or why there is none.
    pub response: Result<RawResponse, Failure>,
    /// What the oracle reads in the response.
    pub observed: Option<Observed>,
}

impl Exchange {
    /// The status answered, if any.
    #[must_use]
    pub fn status(&self) -> Option<u16> {
        match &self.response {
            Ok(response) => Some(response.status),
            Err(Failure::Truncated { status, .. }) => Some(*status),
            Err(_) => None,
        }
    }

    /// Whether the server accepted it.
    #[must_use]
    pub fn accepted(&self) -> bool {
        self.observed == Some(Observed::Accepted)
    }
}

/// Sends the battery's requests.
#[derive(Debug)]
pub struct Wire {
    client: Client,
    connect: Option<String>,
    limiter: RateLimiter,
    max_requests: usize,
    sent: usize,
    headers: Vec<(String, String)>,
    oracle: Oracle,
    failures_in_a_row: usize,
}

impl Wire {
    /// A sender with `client`, routing to `connect` when given.
    #[must_use]
    pub fn new(
        client: Client,
        connect: Option<String>,
        limiter: RateLimiter,
        max_requests: usize,
        headers: Vec<(String, String)>,
        oracle: Oracle,
    ) -> Self {
        Self { client, connect, limiter, max_requests, sent: 0, headers, oracle, failures_in_a_row: 0 }
    }

    /// Requests sent so far.
    #[must_use]
    pub fn sent(&self) -> usize {
        self.sent
    }

    /// Whether the last requests all failed in transport: the server is gone.
    #[must_use]
    pub fn gone(&self) -> bool {
        self.failures_in_a_row >= FAILURES_BEFORE_GIVING_UP
    }

    /// The route of `url` (its authority, or `--connect`).
    ///
    /// # Errors
    /// When the URL or the connect address is malformed.
    pub fn route(&self, url: &str) -> Result<Route, ClientError> {
        Route::new(url, self.connect.as_deref())
    }

    /// Sends `request` and reads the answer.
    pub fn send(&mut self, request: &VerifyRequest) -> Exchange {
        if self.sent >= self.max_requests {
            return Exchange { request: None, response: Err(Failure::Cap(self.max_requests)), observed: None };
        }
        let built = self.route(&request.url).and_then(|route| Ok((route, self.raw(request)?)));
        let (route, raw) = match built {
            Ok(built) => built,
            Err(e) => return Exchange { request: None, response: Err(Failure::Build(e.to_string())), observed: None },
        };
        self.limiter.wait();
        self.sent += 1;
        let response = match self.client.send(&route, &raw) {
            Ok(response) if response.truncated => {
                Err(Failure::Truncated { status: response.status, cap: self.client.options().max_body_bytes })
            }
            Ok(response) => Ok(response),
            Err(e) => Err(Failure::Client(e)),
        };
        self.failures_in_a_row = if response.is_ok() { 0 } else { self.failures_in_a_row + 1 };
        let observed = response.as_ref().ok().map(|r| self.oracle.observe(r.status, &r.body));
        Exchange { request: Some(raw), response, observed }
    }

    /// The exact bytes of `request`: origin-form target and `Host` from its URL, the
    /// protocol's fields, the user's `--header` fields, a `Content-Length` for a body (or an
    /// empty one for a method that expects a body), and `Connection: close`, since every
    /// request goes on its own connection.
    fn raw(&self, request: &VerifyRequest) -> Result<RawRequest, ClientError> {
        let mut raw = RawRequest::for_url(&request.method, &request.url)?
            .header("User-Agent", concat!("oauth1-conformance-probe/", env!("CARGO_PKG_VERSION")));
        for (name, value) in request.headers.iter().chain(&self.headers) {
            raw = raw.header(name.as_bytes(), value.as_bytes());
        }
        raw = raw.header("Connection", "close");
        let expects_body = ["POST", "PUT", "PATCH"].iter().any(|m| request.method.eq_ignore_ascii_case(m));
        Ok(match &request.body {
            Some(body) => raw.body(body.as_bytes()).with_content_length(),
            None if expects_body => raw.with_content_length(),
            None => raw,
        })
    }

    /// `request` as a report shows it: secrets redacted, `--header` values replaced.
    #[must_use]
    pub fn reported(&self, request: &RawRequest, redactor: &Redactor) -> WireRequest {
        let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
        let plaintext = [request.target.as_slice(), &request.body]
            .into_iter()
            .chain(request.headers.iter().map(|(_, v)| v.as_slice()))
            .any(|part| part.windows(9).any(|w| w.eq_ignore_ascii_case(b"PLAINTEXT")));
        let user_header = |name: &[u8]| self.headers.iter().any(|(n, _)| n.as_bytes().eq_ignore_ascii_case(name));
        let headers = request
            .headers
            .iter()
            .map(|(name, value)| {
                let value = if user_header(name) {
                    REDACTED.to_owned()
                } else {
                    redactor.request_text(&text(value), plaintext)
                };
                (text(name), value)
            })
            .collect();
        let body = (!request.body.is_empty()).then(|| {
            let cut = request.body.get(..REPORTED_BODY).unwrap_or(&request.body);
            redactor.request_text(&text(cut), plaintext)
        });
        WireRequest {
            method: text(&request.method),
            target: redactor.request_text(&text(&request.target), plaintext),
            headers,
            body,
        }
    }
}

/// The start of `response`'s body, secrets redacted (`None` when empty or withheld).
#[must_use]
pub fn excerpt(response: &RawResponse, redactor: &Redactor) -> Option<String> {
    let cut = response.body.get(..EXCERPT).unwrap_or(&response.body);
    let text = String::from_utf8_lossy(cut);
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    redactor.response_text(text)
}
