//! `oauth1-conformance capture`: what a client really puts on the wire, verified exactly as
//! received.
//!
//! A loopback server (the wire crate's hardened one, [`server`]) checks each request as it
//! arrives ([`analyse`]): RFC 5849 §3.2 verification of the request as received, the header as
//! written (§3.5.1), the timestamp's unit and skew, nonce reuse across the client's requests,
//! and, with `--exec`, what was sent against what the case asked for. A signature mismatch is
//! diagnosed ([`presend`]): sent other than signed (`signed-not-sent`, the rewrite named) or
//! signed differently (a catalogued quirk). In free mode whatever arrives is checked; with
//! `--exec` each case of the table ([`cases`]) is sent by a driver command ([`exec`]), and
//! each client can be held to a baseline ([`baseline`]).

mod analyse;
pub mod baseline;
pub mod cases;
mod exec;
pub mod header_syntax;
mod presend;
mod redact;
mod server;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use oauth1_wire::server::{serve, ReceivedRequest, ServerConfig, ServerHandle};
use tempfile::TempDir;

pub use cases::{default_cases, CaptureCase, PortChoice};
pub use exec::CANNOT_EXPRESS;
pub use header_syntax::{HeaderSyntax, StrictParser, Violation, ViolationKind};
pub use redact::Redactor;

use self::cases::is_segment;
use self::exec::DriverEnvironment;
use self::server::{Bases, CaptureServer, Leg, Setup, FREE};
use crate::live::credentials::Credentials;
use crate::report::capture::{
    CaptureMode, CaptureRecord, CaptureReport, CaptureSummary, CaptureVerdict, ClientCapture,
};
use crate::session::shell_quote;

/// The fixed test credentials used without `--credentials` (RFC 5849 §1.2's example client
/// and token, and the harness's 1024-bit generator RSA key): test values, printed so a driver
/// or an application can be configured with them.
pub mod test_credentials {
    /// `oauth_consumer_key`.
    pub const CONSUMER_KEY: &str = "dpf43f3p2l4k3l03";
    /// The client shared-secret.
    pub const CONSUMER_SECRET: &str = "kd94hf93k423kf44";
    /// `oauth_token`.
    pub const TOKEN: &str = "nnch734d00sl2jdk";
    /// The token shared-secret.
    pub const TOKEN_SECRET: &str = "pfkkdhi9sl3r4s00";
    /// The client's RSA private key (PKCS#8 PEM).
    pub const RSA_PRIVATE_KEY: &str = crate::generate::GENERATOR_RSA_KEY;
    /// Its public key.
    pub const RSA_PUBLIC_KEY: &str = crate::generate::GENERATOR_RSA_PUBLIC_KEY;
}

/// A client under test: its name (a path segment) and the command that sends one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientSpec {
    /// The name, in URLs, reports and baselines.
    pub name: String,
    /// Run through `sh -c` once per case.
    pub command: String,
}

/// How to capture.
#[derive(Debug, Clone)]
pub struct CaptureOptions {
    /// HOST:PORT to listen on.
    pub listen: String,
    /// The credentials file (`docs/credentials.schema.json`); the test set without it.
    pub credentials: Option<PathBuf>,
    /// The RSA private key the clients sign RSA cases with (the test key without
    /// `credentials`).
    pub rsa_private_key: Option<PathBuf>,
    /// Serve HTTPS with a throw-away CA.
    pub tls: bool,
    /// The clients (free mode when empty).
    pub clients: Vec<ClientSpec>,
    /// `default` or a JSON file of cases.
    pub cases: String,
    /// Only these case ids.
    pub only: Vec<String>,
    /// Free mode: stop after this many requests.
    pub requests: Option<u64>,
    /// Per case.
    pub timeout: Duration,
    /// Clients run at once.
    pub jobs: usize,
    /// Try the scheme's default port for the cases that ask for it.
    pub default_ports: bool,
    /// Accepted timestamp skew either way, seconds.
    pub window: u64,
}

/// Bad input or setup of a capture run: each names the file, case, client or address.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The credentials file is not valid.
    #[error("{0}")]
    Credentials(#[from] crate::live::credentials::CredentialsError),
    /// The RSA private key file cannot be read.
    #[error("cannot read the RSA key {}: {source}", path.display())]
    RsaKey {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The credentials file has no consumer.
    #[error("the credentials file has no consumer")]
    NoConsumer,
    /// `--case` names no case of the table.
    #[error("--case {case}: no such case in {table}")]
    UnknownCase {
        /// The id given.
        case: String,
        /// The table (`default` or its file).
        table: String,
    },
    /// A client's name is not a path segment, or is the free session's.
    #[error("client name {0:?}: use [A-Za-z0-9._-], not `{free}`", free = FREE)]
    ClientName(String),
    /// Two clients have one name.
    #[error("client {0:?} is given twice")]
    ClientTwice(String),
    /// The run's temporary directory cannot be made.
    #[error("a temporary directory: {0}")]
    TempDir(#[source] std::io::Error),
    /// The throw-away CA cannot be made or written.
    #[error("{0}")]
    Tls(#[from] oauth1_wire::tls::TlsSetupError),
    /// A file of the run (the RSA key for the drivers) cannot be written.
    #[error("{}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The listen address cannot be bound.
    #[error("cannot listen on {address}: {source}")]
    Listen {
        /// `--listen`.
        address: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A bound listener has no local address.
    #[error("{0}")]
    LocalAddress(#[source] std::io::Error),
    /// The server cannot serve on a listener.
    #[error("cannot serve on {address}: {source}")]
    Serve {
        /// The listener's address.
        address: std::net::SocketAddr,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A case's body file cannot be written.
    #[error("cannot write the case's body file: {0}")]
    BodyFile(#[source] std::io::Error),
    /// `sh` cannot be run for a client.
    #[error("cannot run sh for client {client}: {source}")]
    Driver {
        /// The client.
        client: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A client's command cannot start at all (status 126 or 127 on its first case).
    #[error("client {client}: the command cannot start (status {status}): {stderr}")]
    CannotStart {
        /// The client.
        client: String,
        /// The shell's status.
        status: i32,
        /// What it said (secrets scrubbed).
        stderr: String,
    },
    /// A client's thread ended without a result.
    #[error("a client was not run")]
    NotRun,
    /// The case table is empty.
    #[error("no cases")]
    NoCases,
    /// A case's id is not a path segment (its position, from 0).
    #[error("case {index}: the id {id:?} is not [A-Za-z0-9._-]{{1,64}}")]
    CaseId {
        /// Its position.
        index: usize,
        /// The id.
        id: String,
    },
    /// Two cases have one id.
    #[error("case {0}: the id appears twice")]
    CaseTwice(String),
    /// A case's method is not a token.
    #[error("case {case}: the method {method:?} is not a token")]
    CaseMethod {
        /// The case.
        case: String,
        /// Its method.
        method: String,
    },
    /// A case's signature method is unknown.
    #[error("case {case}: unknown signature method {method:?}")]
    CaseSignatureMethod {
        /// The case.
        case: String,
        /// Its signature method.
        method: String,
    },
    /// A case's path is not empty nor absolute, or holds `?`, `#` or a space.
    #[error("case {0}: the path must be empty or start with / and hold no ?, # or space")]
    CasePath(String),
    /// A case's query holds `#` or a space.
    #[error("case {0}: the query holds # or a space")]
    CaseQuery(String),
    /// The case file cannot be read.
    #[error("cannot read {}: {source}", path.display())]
    ReadCases {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The case file is not a list of cases.
    #[error("{}: not a list of capture cases: {source}", path.display())]
    ParseCases {
        /// The file.
        path: PathBuf,
        /// Where and what.
        #[source]
        source: serde_json::Error,
    },
    /// `--update-baselines` over a case that is an error.
    #[error("{client}: case {case} is an error, not a baseline: {message}")]
    ErrorCase {
        /// The client.
        client: String,
        /// The case.
        case: String,
        /// The error.
        message: String,
    },
    /// A client baseline cannot be read.
    #[error("cannot read the baseline {}: {source}", path.display())]
    ReadBaseline {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A client baseline is not one.
    #[error("{}: not a client baseline: {source}", path.display())]
    ParseBaseline {
        /// The file.
        path: PathBuf,
        /// Where and what.
        #[source]
        source: serde_json::Error,
    },
    /// A client baseline cannot be written.
    #[error("cannot write {}: {source}", path.display())]
    WriteBaseline {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// The credentials the drivers are given, and the server's.
struct Loaded {
    credentials: Credentials,
    consumer_key: String,
    consumer_secret: String,
    token: Option<(String, String)>,
    rsa_private_key_pem: Option<String>,
}

fn load_credentials(options: &CaptureOptions) -> Result<Loaded, Error> {
    let (credentials, rsa_private_key_pem) = match &options.credentials {
        Some(path) => {
            let credentials = Credentials::load(path)?;
            let key = match &options.rsa_private_key {
                Some(path) => {
                    Some(std::fs::read_to_string(path).map_err(|source| Error::RsaKey { path: path.clone(), source })?)
                }
                None => None,
            };
            (credentials, key)
        }
        None => {
            use test_credentials::*;
            let json = serde_json::json!({
                "consumers": [{"key": CONSUMER_KEY, "secret": CONSUMER_SECRET, "rsa_public_key_pem": RSA_PUBLIC_KEY}],
                "tokens": [{"token": TOKEN, "secret": TOKEN_SECRET, "consumer_key": CONSUMER_KEY}],
            });
            let credentials = Credentials::from_json(&json.to_string())?;
            (credentials, Some(RSA_PRIVATE_KEY.to_owned()))
        }
    };
    let consumer = credentials.consumers().first().ok_or(Error::NoConsumer)?;
    let token = credentials
        .tokens()
        .iter()
        .find(|t| t.consumer_key == consumer.key)
        .map(|t| (t.token.clone(), t.secret().to_owned()));
    Ok(Loaded {
        consumer_key: consumer.key.clone(),
        consumer_secret: consumer.secret().to_owned(),
        token,
        rsa_private_key_pem,
        credentials,
    })
}

/// A capture in progress: the server listening, the drivers' environment ready.
pub struct CaptureRun {
    server: Arc<CaptureServer>,
    handles: Vec<ServerHandle>,
    environment: DriverEnvironment,
    cases: Vec<CaptureCase>,
    options: CaptureOptions,
    listen: Vec<String>,
    events: Option<Mutex<Receiver<CaptureRecord>>>,
    started: Instant,
    /// Holds the body files, the CA and the key file until the run ends.
    _work: TempDir,
}

impl std::fmt::Debug for CaptureRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaptureRun").field("listen", &self.listen).finish_non_exhaustive()
    }
}

fn select_cases(options: &CaptureOptions) -> Result<Vec<CaptureCase>, Error> {
    let mut cases = cases::load(&options.cases)?;
    if !options.only.is_empty() {
        if let Some(unknown) = options.only.iter().find(|id| !cases.iter().any(|c| &c.id == *id)) {
            return Err(Error::UnknownCase { case: unknown.clone(), table: options.cases.clone() });
        }
        cases.retain(|c| options.only.contains(&c.id));
    }
    Ok(cases)
}

fn check_clients(clients: &[ClientSpec]) -> Result<(), Error> {
    for (index, client) in clients.iter().enumerate() {
        if !is_segment(&client.name) || client.name == FREE {
            return Err(Error::ClientName(client.name.clone()));
        }
        if clients.iter().take(index).any(|c| c.name == client.name) {
            return Err(Error::ClientTwice(client.name.clone()));
        }
    }
    Ok(())
}

/// Binds the scheme's default port on loopback, if it is free and permitted.
fn bind_default_port(tls: bool) -> Option<TcpListener> {
    TcpListener::bind(if tls { "127.0.0.1:443" } else { "127.0.0.1:80" }).ok()
}

impl CaptureRun {
    /// Loads the credentials and cases, binds the listeners and starts serving.
    ///
    /// # Errors
    /// Bad input or setup: a bad credentials or case file, a port in use, TLS set-up.
    pub fn start(options: &CaptureOptions) -> Result<Self, Error> {
        check_clients(&options.clients)?;
        let cases = if options.clients.is_empty() { Vec::new() } else { select_cases(options)? };
        let loaded = load_credentials(options)?;
        let work = tempfile::Builder::new().prefix("oauth1-capture-").tempdir().map_err(Error::TempDir)?;
        let mut config = ServerConfig::default();
        let mut ca_file = None;
        if options.tls {
            let ca = oauth1_wire::tls::ThrowawayCa::generate()?;
            let path = work.path().join("ca.pem");
            ca.write_ca_pem(&path)?;
            config.tls = Some(ca.server_config());
            ca_file = Some(path);
        }
        let rsa_private_key_file = match (&options.rsa_private_key, &loaded.rsa_private_key_pem) {
            (Some(path), _) => Some(path.clone()),
            (None, Some(pem)) => {
                let path = work.path().join("rsa-private-key.pem");
                std::fs::write(&path, pem).map_err(|source| Error::Write { path: path.clone(), source })?;
                Some(path)
            }
            (None, None) => None,
        };
        let listener = TcpListener::bind(&options.listen)
            .map_err(|source| Error::Listen { address: options.listen.clone(), source })?;
        let scheme = if options.tls { "https" } else { "http" };
        let main = listener.local_addr().map_err(Error::LocalAddress)?;
        let wants_default = options.default_ports && cases.iter().any(|c| c.port == PortChoice::Default);
        let default_listener = if wants_default { bind_default_port(options.tls) } else { None };
        let bases = Bases {
            main: format!("{scheme}://{main}"),
            default: default_listener.as_ref().map(|_| format!("{scheme}://127.0.0.1")),
        };
        let redactor = Redactor::new(
            [loaded.consumer_secret.as_str()].into_iter().chain(loaded.credentials.tokens().iter().map(|t| t.secret())),
        );
        let setup = Setup {
            rsa_private_key_pem: loaded.rsa_private_key_pem.clone(),
            header_syntax: Box::new(StrictParser),
            window: options.window,
            redactor,
            tls: options.tls,
            credentials: loaded.credentials.clone(),
        };
        let (events, receiver) = if options.clients.is_empty() {
            let (sender, receiver) = mpsc::channel();
            (Some(sender), Some(Mutex::new(receiver)))
        } else {
            (None, None)
        };
        let names: Vec<String> = options.clients.iter().map(|c| c.name.clone()).collect();
        let server = Arc::new(CaptureServer::new(setup, cases.clone(), &names, bases, events));
        let mut handles = Vec::new();
        let mut listen = Vec::new();
        for listener in std::iter::once(listener).chain(default_listener) {
            let address = listener.local_addr().map_err(Error::LocalAddress)?;
            let handler_server = Arc::clone(&server);
            let handle =
                serve(listener, config.clone(), move |request: &ReceivedRequest| handler_server.handle(request))
                    .map_err(|source| Error::Serve { address, source })?;
            listen.push(handle.base_url());
            handles.push(handle);
        }
        let environment = DriverEnvironment {
            consumer_key: loaded.consumer_key,
            consumer_secret: loaded.consumer_secret,
            token: loaded.token,
            rsa_private_key_file,
            ca_file,
            work_dir: work.path().to_owned(),
            program: std::env::current_exe().unwrap_or_else(|_| PathBuf::from("oauth1-conformance")),
        };
        Ok(Self {
            server,
            handles,
            environment,
            cases,
            options: options.clone(),
            listen,
            events: receiver,
            started: Instant::now(),
            _work: work,
        })
    }

    /// The base URLs served (the run's port first).
    #[must_use]
    pub fn listen(&self) -> &[String] {
        &self.listen
    }

    /// The cases of the run.
    #[must_use]
    pub fn cases(&self) -> &[CaptureCase] {
        &self.cases
    }

    /// What a client must be configured with, for the terminal: the consumer key and token,
    /// the secrets only when they are the fixed test set (never a user's), the key and CA
    /// files.
    #[must_use]
    pub fn configuration_text(&self) -> String {
        let env = &self.environment;
        let mut text = format!("consumer key: {}\n", env.consumer_key);
        let test = self.options.credentials.is_none();
        if test {
            text.push_str(&format!("consumer secret: {} (the fixed test set)\n", env.consumer_secret));
        }
        if let Some((token, secret)) = &env.token {
            text.push_str(&format!("token: {token}\n"));
            if test {
                text.push_str(&format!("token secret: {secret}\n"));
            }
        }
        if let Some(path) = &env.rsa_private_key_file {
            text.push_str(&format!("RSA private key: {}\n", path.display()));
        }
        if let Some(path) = &env.ca_file {
            text.push_str(&format!("CA certificate to trust: {}\n", path.display()));
        }
        text
    }

    /// Free mode: the next request's record, waiting at most `wait`.
    #[must_use]
    pub fn next_record(&self, wait: Duration) -> Option<CaptureRecord> {
        let mut record =
            self.events.as_ref()?.lock().unwrap_or_else(PoisonError::into_inner).recv_timeout(wait).ok()?;
        record.replay = verify_replay(&record);
        Some(record)
    }

    /// Runs every client over every case, `jobs` clients at once; `print` gets one line per
    /// record as each case ends.
    ///
    /// # Errors
    /// A client command that cannot start, a body file that cannot be written.
    pub fn run_clients(&self, print: &(dyn Fn(&str) + Sync)) -> Result<Vec<ClientCapture>, Error> {
        let next = AtomicUsize::new(0);
        let results: Mutex<Vec<Option<Result<ClientCapture, Error>>>> =
            Mutex::new(self.options.clients.iter().map(|_| None).collect());
        std::thread::scope(|scope| {
            for _ in 0..self.options.jobs.max(1).min(self.options.clients.len()) {
                scope.spawn(|| loop {
                    let index = next.fetch_add(1, Ordering::SeqCst);
                    let Some(spec) = self.options.clients.get(index) else { break };
                    let result = self.run_client(index, spec, print);
                    if let Some(slot) = results.lock().unwrap_or_else(PoisonError::into_inner).get_mut(index) {
                        *slot = Some(result);
                    }
                });
            }
        });
        let results = results.into_inner().unwrap_or_else(PoisonError::into_inner);
        results.into_iter().map(|r| r.unwrap_or(Err(Error::NotRun))).collect()
    }

    fn run_client(
        &self,
        index: usize,
        spec: &ClientSpec,
        print: &(dyn Fn(&str) + Sync),
    ) -> Result<ClientCapture, Error> {
        let started = Instant::now();
        let redactor = &self.server.setup().redactor;
        let mut records = Vec::new();
        let mut ran_any = false;
        for case in &self.cases {
            let mut case_records = match exec::not_runnable(&self.server, &spec.name, case, &self.environment) {
                Some(reason) => {
                    let mut record = exec::case_record(case, CaptureVerdict::Skip, format!("not run here: {reason}"));
                    record.not_run = true;
                    vec![record]
                }
                None => {
                    let vars = exec::case_environment(&self.server, &spec.name, index, case, &self.environment)
                        .map_err(Error::BodyFile)?;
                    let outcome = exec::run_driver(&spec.command, &vars, self.options.timeout)
                        .map_err(|source| Error::Driver { client: spec.name.clone(), source })?;
                    let arrived = self.server.take_records(&spec.name);
                    let records =
                        exec::case_records(case, arrived, &outcome, self.options.timeout, !ran_any).map_err(|e| {
                            Error::CannotStart {
                                client: spec.name.clone(),
                                status: e.status,
                                stderr: redactor.scrub(&e.stderr),
                            }
                        })?;
                    ran_any = true;
                    records
                }
            };
            for record in &mut case_records {
                record.message = record.message.as_deref().map(|m| redactor.scrub(m));
                if record.intended.is_none() {
                    record.intended = self.server.intended(&spec.name, case, Leg::First);
                }
                record.replay = self.replay(spec, record.case.as_deref().unwrap_or(&case.id));
                print(&record_line(&spec.name, record));
            }
            records.extend(case_records);
        }
        Ok(ClientCapture {
            name: spec.name.clone(),
            command: Some(redactor.scrub(&spec.command)),
            summary: CaptureSummary::of(&records),
            records,
            baseline: None,
            seconds: started.elapsed().as_secs_f64(),
        })
    }

    /// The command that replays `case` of `spec` alone.
    fn replay(&self, spec: &ClientSpec, case: &str) -> String {
        let mut command = format!(
            "oauth1-conformance capture --exec {} --cases {} --case {case}",
            shell_quote(&spec.command),
            shell_quote(&self.options.cases)
        );
        if self.options.tls {
            command.push_str(" --tls");
        }
        if let Some(path) = &self.options.credentials {
            command.push_str(&format!(" --credentials {}", shell_quote(&path.display().to_string())));
        }
        if let Some(path) = &self.options.rsa_private_key {
            command.push_str(&format!(" --rsa-private-key {}", shell_quote(&path.display().to_string())));
        }
        self.server.setup().redactor.scrub(&command)
    }

    /// Stops serving; the report of `clients`, with the requests no client path named (as
    /// the `free` client) when there were any.
    #[must_use]
    pub fn finish(self, mut clients: Vec<ClientCapture>) -> CaptureReport {
        // A record is made before its response is written: stop accepting, and give the
        // connections still open a moment to write it and close before they are cut.
        for handle in &self.handles {
            handle.stopper().stop();
        }
        let grace = Instant::now() + Duration::from_secs(1);
        while self.handles.iter().any(|h| h.open_connections() > 0) && Instant::now() < grace {
            std::thread::sleep(Duration::from_millis(10));
        }
        for handle in self.handles {
            handle.shutdown();
        }
        let mut free = self.server.take_records(FREE);
        for record in &mut free {
            record.replay = verify_replay(record);
        }
        if !free.is_empty() || self.options.clients.is_empty() {
            clients.push(ClientCapture {
                name: FREE.to_owned(),
                command: None,
                summary: CaptureSummary::of(&free),
                records: free,
                baseline: None,
                seconds: self.started.elapsed().as_secs_f64(),
            });
        }
        CaptureReport {
            mode: if self.options.clients.is_empty() { CaptureMode::Free } else { CaptureMode::Exec },
            listen: self.listen,
            tls: self.options.tls,
            consumer_key: self.environment.consumer_key,
            cases: self.cases.iter().map(CaptureCase::info).collect(),
            clients,
            seconds: self.started.elapsed().as_secs_f64(),
        }
    }
}

/// One terminal line for a record: client, case (or arrival), verdict, checks, diagnosis.
#[must_use]
pub fn record_line(client: &str, record: &CaptureRecord) -> String {
    let what = match (&record.case, &record.received) {
        (Some(case), _) => case.clone(),
        (None, Some(received)) => format!("#{} {} {}", received.arrival, received.method, received.target),
        (None, None) => "?".to_owned(),
    };
    let mut line = format!("{client} {what}: {}", record.verdict.name());
    if !record.checks.is_empty() {
        let names: Vec<&str> = record.check_names().map(|c| c.name()).collect();
        line.push_str(&format!(" [{}]", names.join(", ")));
    }
    if let Some(diagnosis) = &record.diagnosis {
        line.push_str(&format!(" — {}", diagnosis.describe()));
    } else if let Some(check) = record.checks.first() {
        line.push_str(&format!(" — {}", check.message));
    } else if let Some(message) = record.message.as_deref().filter(|_| record.verdict != CaptureVerdict::Ok) {
        // The line that names the failure: a traceback's or a stack trace's error line.
        let lines: Vec<&str> = message.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        let named = lines.iter().rev().find(|l| l.contains("Error") || l.contains("Exception") || l.contains("error"));
        line.push_str(&format!(" — {}", named.or(lines.last()).unwrap_or(&"")));
    }
    line
}

/// The `verify` command that checks a free-mode request alone (secrets from the environment).
fn verify_replay(record: &CaptureRecord) -> String {
    let Some(received) = &record.received else { return String::new() };
    let host =
        received.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("host")).map_or("127.0.0.1", |(_, v)| v.as_str());
    let scheme = if received.tls { "https" } else { "http" };
    let mut command = format!(
        "oauth1-conformance verify --method {} --url {}",
        shell_quote(&received.method),
        shell_quote(&format!("{scheme}://{host}{}", received.target))
    );
    for (name, value) in &received.headers {
        if name.eq_ignore_ascii_case("authorization") || name.eq_ignore_ascii_case("content-type") {
            command.push_str(&format!(" --header {}", shell_quote(&format!("{name}: {value}"))));
        }
    }
    if received.body_bytes > 0 && received.body.len() == received.body_bytes && !received.body.contains("\\x") {
        command.push_str(&format!(" --body {}", shell_quote(&received.body)));
    }
    command
}

/// Checks each client against `dir/NAME.json` (the `free` session is not baselined); with
/// `update`, writes the baselines instead.
///
/// # Errors
/// An unreadable baseline, or `update` over a case that is an error.
pub fn apply_baselines(clients: &mut [ClientCapture], dir: &Path, update: bool) -> Result<(), Error> {
    for client in clients.iter_mut().filter(|c| c.name != FREE) {
        let path = dir.join(format!("{}.json", client.name));
        if update {
            let mut fresh = baseline::from_records(&client.name, &client.records)?;
            if let Ok(old) = baseline::load(&path) {
                // A skip's reason is the driver's to give: keep a reason written by hand when
                // the case is still skipped.
                for (case, reason) in &mut fresh.skips {
                    if let Some(kept) = old.skips.get(case) {
                        reason.clone_from(kept);
                    }
                }
            }
            baseline::save(&path, &fresh)?;
        }
        let loaded = baseline::load(&path)?;
        client.baseline = Some(baseline::compare(&loaded, &path, &client.records));
    }
    Ok(())
}
