//! `oauth1-conformance serve-http`: the reference verifier (RFC 5849 §3.2) as a real HTTP/1.1
//! server on the wire crate's hardened server.
//!
//! Each request is verified exactly as received: the URL is rebuilt from the connection's
//! scheme, the `Host` field and the raw request target ([`super::request_url`]; with
//! `--behind-proxy` from the proxy's fields), the consumer and token secrets come from the
//! credentials file, and the answer is 200 with a JSON echo of what was verified, or the
//! RFC 5849 §3.2 status (400 for a malformed request, unsupported or missing or duplicated
//! parameters; 401 for unknown credentials, a bad signature, a stale timestamp or a used
//! nonce) with a JSON body naming the failed check. No response, log line or file carries a
//! secret: the echo has no URL (a PLAINTEXT signature in the query is the key), only the base
//! string URI and the signature base string, from which `oauth_signature` is excluded.
//!
//! With a `verifier` in the credentials file, `/initiate` and `/token` are the §2 flow's
//! endpoints: `/initiate` requires `oauth_callback` and issues temporary credentials with
//! `oauth_callback_confirmed=true`, `/token` requires temporary credentials it issued and the
//! file's `oauth_verifier`, and issues token credentials the resource endpoints accept.

use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasher as _, Hasher as _};
use std::io::Write as _;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use oauth1_reference::parameters::Parameter;
use oauth1_reference::uri::{base_string_uri, parse_request_url};
use oauth1_reference::verify::{
    parse_request, InMemoryNonceStore, IncomingRequest, NonceStore as _, ParsedRequest, Rejection, TimestampWindow,
    Verified, Verifier,
};
use oauth1_wire::server::{serve, ReceivedRequest, Response, ServerConfig, ServerHandle};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::credentials::{Credentials, CredentialsError, Token};
use super::received::{convert, lookup, ConvertError, Converted};

/// The command line of `serve-http`.
#[derive(Debug, clap::Args)]
pub struct ServeHttpArgs {
    /// Address to listen on, HOST:PORT; port 0 picks a free one (the address is printed).
    #[arg(long, default_value = "127.0.0.1:0")]
    pub listen: String,
    /// The consumers and tokens, as JSON (docs/credentials.schema.json).
    #[arg(long, value_name = "FILE")]
    pub credentials: PathBuf,
    /// Serve HTTPS with a throw-away certificate authority generated now.
    #[arg(long, requires = "ca_out")]
    pub tls: bool,
    /// Where to write the throw-away CA's certificate (PEM) for clients to trust.
    #[arg(long, value_name = "FILE", requires = "tls")]
    pub ca_out: Option<PathBuf>,
    /// Rebuild the URL's scheme and host from Forwarded / X-Forwarded-Proto /
    /// X-Forwarded-Host / X-Forwarded-Port (behind a TLS-terminating proxy).
    #[arg(long)]
    pub behind_proxy: bool,
    /// Accepted timestamp skew either way, in seconds (RFC 5849 §3.3 leaves it to the server).
    #[arg(long, default_value_t = 300, value_name = "SECS")]
    pub timestamp_window: u64,
    /// A file of accepted nonces (JSON lines, the format of `verify --nonce-store`): read at
    /// start, appended to; replays are refused across restarts. Without it, nonces are
    /// remembered in memory for the timestamp window.
    #[arg(long, value_name = "FILE")]
    pub nonce_store: Option<PathBuf>,
}

/// What the reference server is told.
#[derive(Debug, Clone)]
pub struct ServeHttpOptions {
    /// The consumers and tokens.
    pub credentials: Credentials,
    /// Trust the proxy's fields for the URL's scheme and host.
    pub behind_proxy: bool,
    /// Accepted timestamp skew either way, in seconds.
    pub timestamp_window: u64,
    /// The nonce file, if any.
    pub nonce_store: Option<PathBuf>,
}

/// Credentials issued by the §2 endpoints, kept for at most this many of each kind.
const MAX_ISSUED: usize = 10_000;

/// The verifier and what it remembers; one lock, since a nonce check must be atomic with
/// the verification it ends.
struct State {
    verifier: Verifier<TimestampWindow, InMemoryNonceStore>,
    temporary: Issued,
    issued_tokens: Issued,
}

#[derive(Default)]
struct Issued {
    by_token: HashMap<String, Token>,
    order: VecDeque<String>,
}

impl Issued {
    fn insert(&mut self, token: Token) {
        if self.order.len() >= MAX_ISSUED {
            if let Some(oldest) = self.order.pop_front() {
                self.by_token.remove(&oldest);
            }
        }
        self.order.push_back(token.token.clone());
        self.by_token.insert(token.token.clone(), token);
    }

    fn remove(&mut self, token: &str) {
        self.by_token.remove(token);
        self.order.retain(|t| t != token);
    }
}

/// The reference verifier behind an HTTP handler.
pub struct ReferenceServer {
    options: ServeHttpOptions,
    state: Mutex<State>,
}

impl std::fmt::Debug for ReferenceServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReferenceServer").field("options", &self.options).finish_non_exhaustive()
    }
}

/// One accepted combination, as a line of the nonce file (the format of `verify`'s).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct NonceRecord {
    consumer_key: String,
    token: Option<String>,
    timestamp: u64,
    nonce: String,
}

/// Bad input or setup of `serve-http` (exit 2), or a nonce that cannot be recorded (a 500):
/// each names the file or address.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The nonce file cannot be read.
    #[error("cannot read the nonce store {}: {source}", path.display())]
    ReadNonces {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A line of the nonce file is no nonce record (not quoted: it may be anything).
    #[error("{}:{line}: not a nonce record", path.display())]
    NotANonceRecord {
        /// The file.
        path: PathBuf,
        /// The line, from 1.
        line: usize,
    },
    /// The nonce file cannot be opened or written.
    #[error("cannot {what} {}: {source}", path.display())]
    WriteNonce {
        /// `open` or `write`.
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The credentials file is not valid.
    #[error("{0}")]
    Credentials(#[from] CredentialsError),
    /// The throw-away CA cannot be made or written.
    #[error("{0}")]
    Tls(#[from] oauth1_wire::tls::TlsSetupError),
    /// The signal handlers cannot be installed.
    #[error("cannot handle signals: {0}")]
    Signals(#[source] std::io::Error),
    /// The listen address cannot be bound.
    #[error("cannot listen on {address}: {source}")]
    Listen {
        /// `--listen`.
        address: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The server cannot serve on the listener.
    #[error("cannot serve on {address}: {source}")]
    Serve {
        /// `--listen`.
        address: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

fn load_nonces(path: &Path) -> Result<InMemoryNonceStore, Error> {
    let mut store = InMemoryNonceStore::default();
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(store),
        Err(source) => return Err(Error::ReadNonces { path: path.to_owned(), source }),
    };
    for (index, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let record: NonceRecord = serde_json::from_str(line)
            .map_err(|_| Error::NotANonceRecord { path: path.to_owned(), line: index + 1 })?;
        store.check_and_record(&record.consumer_key, record.token.as_deref(), record.timestamp, &record.nonce);
    }
    Ok(store)
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// 128 unpredictable bits as hex, for issued credentials: the standard library's randomly
/// keyed SipHash over a counter and the clock (a test server's tokens, not a CSPRNG's).
fn random_hex() -> String {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let mut out = String::new();
    for _ in 0..2 {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u64(COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
        hasher.write_u128(SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
        out.push_str(&format!("{:016x}", hasher.finish()));
    }
    out
}

/// A refusal: status, reason code, message, and the base string the verifier computed.
struct Refusal {
    status: u16,
    reason: &'static str,
    message: String,
    signature_base_string: Option<String>,
}

impl Refusal {
    fn new(status: u16, reason: &'static str, message: impl Into<String>) -> Self {
        Self { status, reason, message: message.into(), signature_base_string: None }
    }

    fn with_base_string(mut self, parsed: ParsedRequest) -> Self {
        self.signature_base_string = Some(parsed.signature_base_string);
        self
    }

    /// RFC 5849 §3.2: 400 for what is malformed, unsupported, missing or duplicated; 401 for
    /// bad credentials, signatures, timestamps and nonces.
    fn from_rejection(rejection: &Rejection, parsed: Option<ParsedRequest>) -> Self {
        let status = match rejection {
            Rejection::MalformedHeader(_)
            | Rejection::MalformedRequest(_)
            | Rejection::MissingParameter(_)
            | Rejection::DuplicateParameter(_)
            | Rejection::ParameterInMultipleLocations(_)
            | Rejection::UnsupportedVersion(_)
            | Rejection::UnsupportedSignatureMethod(_) => 400,
            _ => 401,
        };
        Self {
            status,
            reason: rejection.reason(),
            message: rejection.to_string(),
            signature_base_string: parsed.map(|p| p.signature_base_string),
        }
    }

    fn response(self, url: Option<&str>) -> Response {
        let mut body = json!({
            "verified": false,
            "status": self.status,
            "reason": self.reason,
            "message": self.message,
        });
        if let Some(uri) = url.and_then(|u| base_string_uri(u).ok()) {
            body["base_string_uri"] = Value::String(uri);
        }
        if let Some(base_string) = self.signature_base_string {
            body["signature_base_string"] = Value::String(base_string);
        }
        let response = Response::json(self.status, body.to_string());
        if self.status == 401 {
            response.header("WWW-Authenticate", "OAuth realm=\"oauth1-conformance\"")
        } else {
            response
        }
    }
}

fn protocol_parameter<'p>(parsed: &'p ParsedRequest, name: &str) -> Option<&'p [u8]> {
    parsed.collected_parameters.iter().find(|p: &&Parameter| p.name == name.as_bytes()).map(|p| p.value.as_slice())
}

impl ReferenceServer {
    /// A server with `options`, its nonce file read.
    ///
    /// # Errors
    /// When the nonce file cannot be read or holds something else.
    pub fn new(options: ServeHttpOptions) -> Result<Self, Error> {
        let nonces = match &options.nonce_store {
            Some(path) => load_nonces(path)?,
            None => InMemoryNonceStore::default(),
        };
        let window = TimestampWindow { past: options.timestamp_window, future: options.timestamp_window };
        let state = State {
            verifier: Verifier::new(window, nonces),
            temporary: Issued::default(),
            issued_tokens: Issued::default(),
        };
        Ok(Self { options, state: Mutex::new(state) })
    }

    /// Answers one request.
    pub fn handle(&self, request: &ReceivedRequest) -> Response {
        let converted = match self.convert(request) {
            Ok(converted) => converted,
            Err(refusal) => return refusal.response(None),
        };
        let url = converted.url.clone();
        let response = match self.verify_and_answer(request, &converted) {
            Ok(response) => response,
            Err(refusal) => refusal.response(Some(&url)),
        };
        let path =
            String::from_utf8_lossy(request.target.split(|&b| b == b'?').next().unwrap_or_default()).into_owned();
        eprintln!("{} {path:?} -> {}", request.method, response.status);
        response
    }

    fn convert<'a>(&self, request: &'a ReceivedRequest) -> Result<Converted<'a>, Refusal> {
        convert(request, self.options.behind_proxy).map_err(|e| match e {
            ConvertError::Url(e) => Refusal::new(400, "bad_request", e.0),
            ConvertError::AuthorizationNotUtf8 => Refusal::new(400, "malformed_header", e.to_string()),
        })
    }

    fn verify_and_answer(&self, request: &ReceivedRequest, converted: &Converted<'_>) -> Result<Response, Refusal> {
        let incoming = converted.incoming(request);
        let parsed = parse_request(&incoming).map_err(|r| Refusal::from_rejection(&r, None))?;
        let path = parse_request_url(&converted.url).map(|u| u.path.to_owned()).unwrap_or_default();
        let flow = self.options.credentials.verifier().is_some();
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        match path.as_str() {
            "/initiate" if flow => self.initiate(&mut state, &incoming, parsed),
            "/token" if flow => self.token_request(&mut state, &incoming, parsed),
            _ => {
                let verified = self.verify(&mut state, &incoming, parsed, None)?;
                Ok(Response::json(200, echo(&verified, &converted.url).to_string()))
            }
        }
    }

    /// Looks up the secrets `parsed` names and verifies it; `temporary` lets a token request
    /// use temporary credentials.
    fn verify(
        &self,
        state: &mut State,
        incoming: &IncomingRequest<'_>,
        parsed: ParsedRequest,
        temporary: Option<&Token>,
    ) -> Result<Verified, Refusal> {
        let issued = |name: &str| {
            temporary.filter(|t| t.token == name).or_else(|| state.issued_tokens.by_token.get(name)).cloned()
        };
        let known = match lookup(&self.options.credentials, &parsed.protocol, issued) {
            Ok(known) => known,
            Err(e) => return Err(Refusal::new(401, e.reason(), e.message()).with_base_string(parsed)),
        };
        let credentials = known.verifier_credentials();
        let now = now();
        state.verifier.nonces.forget_before(now.saturating_sub(self.options.timestamp_window));
        let verified = state
            .verifier
            .verify(incoming, &credentials, now)
            .map_err(|rejection| Refusal::from_rejection(&rejection, Some(parsed)))?;
        if let Some(path) = &self.options.nonce_store {
            append_nonce(path, &verified.request)
                .map_err(|e| Refusal::new(500, "nonce_store", format!("the nonce store: {e}")))?;
        }
        Ok(verified)
    }

    /// §2.1: temporary credentials, for a request that carries `oauth_callback`.
    fn initiate(
        &self,
        state: &mut State,
        incoming: &IncomingRequest<'_>,
        parsed: ParsedRequest,
    ) -> Result<Response, Refusal> {
        if protocol_parameter(&parsed, "oauth_callback").is_none() {
            let message = "a temporary credential request must carry oauth_callback (RFC 5849 §2.1)";
            return Err(Refusal::new(400, "missing_parameter", message).with_base_string(parsed));
        }
        let verified = self.verify(state, incoming, parsed, None)?;
        let issued = Token::new(random_hex(), random_hex(), verified.request.protocol.consumer_key);
        let body = format!(
            "oauth_token={}&oauth_token_secret={}&oauth_callback_confirmed=true",
            issued.token,
            issued.secret()
        );
        state.temporary.insert(issued);
        Ok(Response::with_body(200, "application/x-www-form-urlencoded", body))
    }

    /// §2.3: token credentials, for temporary credentials this server issued and the file's
    /// `oauth_verifier`.
    fn token_request(
        &self,
        state: &mut State,
        incoming: &IncomingRequest<'_>,
        parsed: ParsedRequest,
    ) -> Result<Response, Refusal> {
        let temporary = parsed.protocol.token.as_deref().and_then(|t| state.temporary.by_token.get(t)).cloned();
        let Some(temporary) = temporary else {
            let message = "a token request must carry temporary credentials issued by /initiate (RFC 5849 §2.3)";
            return Err(Refusal::new(401, "unknown_token", message).with_base_string(parsed));
        };
        let expected = self.options.credentials.verifier().unwrap_or_default().as_bytes();
        let verifier_matches = protocol_parameter(&parsed, "oauth_verifier") == Some(expected);
        let verified = self.verify(state, incoming, parsed, Some(&temporary))?;
        if !verifier_matches {
            let message = "oauth_verifier is missing or not the one issued (RFC 5849 §2.3)";
            return Err(Refusal::new(401, "invalid_verifier", message).with_base_string(verified.request));
        }
        state.temporary.remove(&temporary.token);
        let issued = Token::new(random_hex(), random_hex(), temporary.consumer_key.clone());
        let body = format!("oauth_token={}&oauth_token_secret={}", issued.token, issued.secret());
        state.issued_tokens.insert(issued);
        Ok(Response::with_body(200, "application/x-www-form-urlencoded", body))
    }
}

fn append_nonce(path: &Path, parsed: &ParsedRequest) -> Result<(), Error> {
    let protocol = &parsed.protocol;
    let (Some(timestamp), Some(nonce)) = (protocol.timestamp, protocol.nonce.clone()) else {
        return Ok(());
    };
    let record =
        NonceRecord { consumer_key: protocol.consumer_key.clone(), token: protocol.token.clone(), timestamp, nonce };
    let failed = |what, source| Error::WriteNonce { what, path: path.to_owned(), source };
    let line = serde_json::to_string(&record).map_err(|e| failed("write", e.into()))?;
    let mut file = std::fs::OpenOptions::new().create(true).append(true).open(path).map_err(|e| failed("open", e))?;
    writeln!(file, "{line}").map_err(|e| failed("write", e))
}

/// The 200 body: what was verified, never a secret (and no URL: a PLAINTEXT signature in the
/// query is the key).
fn echo(verified: &Verified, url: &str) -> Value {
    let protocol = &verified.request.protocol;
    let replay_checked = protocol.signature_method.requires_timestamp_and_nonce();
    let not_checked = "not checked: PLAINTEXT (RFC 5849 §3.3)";
    json!({
        "verified": true,
        "consumer_key": protocol.consumer_key,
        "token": protocol.token,
        "signature_method": protocol.signature_method.name(),
        "parameters_location": protocol.location.name(),
        "base_string_uri": base_string_uri(url).unwrap_or_default(),
        "signature_base_string": verified.request.signature_base_string,
        "checks": {
            "parameters": "ok",
            "timestamp": if replay_checked { "ok" } else { not_checked },
            "nonce": if replay_checked { "ok" } else { not_checked },
            "body_hash": if protocol.body_hash.is_some() { "ok" } else { "absent" },
            "signature": "ok",
        },
    })
}

/// Serves `server` on `listener` until the returned handle is shut down.
///
/// # Errors
/// When the server cannot start.
pub fn start(listener: TcpListener, server: ReferenceServer, config: ServerConfig) -> std::io::Result<ServerHandle> {
    serve(listener, config, move |request: &ReceivedRequest| server.handle(request))
}

/// Runs `serve-http` until SIGINT or SIGTERM; `Err` is bad input or setup (exit 2).
///
/// # Errors
///
/// A bad credentials or nonce file, TLS set-up, signals, or an address that cannot be served.
pub fn run_until_signal(args: &ServeHttpArgs) -> Result<(), Error> {
    let credentials = Credentials::load(&args.credentials)?;
    let options = ServeHttpOptions {
        credentials,
        behind_proxy: args.behind_proxy,
        timestamp_window: args.timestamp_window,
        nonce_store: args.nonce_store.clone(),
    };
    let server = ReferenceServer::new(options)?;
    let mut config = ServerConfig::default();
    if args.tls {
        let ca = oauth1_wire::tls::ThrowawayCa::generate()?;
        if let Some(path) = &args.ca_out {
            ca.write_ca_pem(path)?;
        }
        config.tls = Some(ca.server_config());
    }
    // Registered before the address is printed, so a signal sent as soon as it is read stops
    // the server cleanly.
    let mut signals = signal_hook::iterator::Signals::new([signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM])
        .map_err(Error::Signals)?;
    let listener =
        TcpListener::bind(&args.listen).map_err(|source| Error::Listen { address: args.listen.clone(), source })?;
    let handle =
        start(listener, server, config).map_err(|source| Error::Serve { address: args.listen.clone(), source })?;
    println!("listening on {}", handle.base_url());
    let _ = std::io::stdout().flush();
    if let Some(path) = &args.ca_out {
        eprintln!("the CA certificate clients must trust is in {}", path.display());
    }
    let signal = signals.forever().next();
    handle.shutdown();
    eprintln!("stopped (signal {})", signal.unwrap_or_default());
    Ok(())
}
