//! `oauth1-conformance probe`: a running OAuth 1.0 endpoint tested over real HTTP.
//!
//! The flow (`/work/shared/design.md`, "The wire"): the case table ([`cases`]) → the reference
//! signer, plus one mutation of `crate::mutation` or one shifted parameter ([`shape`]) → the
//! raw HTTP/1.1 client of `oauth1-wire` ([`wire`]) → the status (and body) read by the
//! [`oracle`] → the expected verdict compared ([`verdict`]) → for a refused valid request, the
//! reconstruction and quirk search ([`diagnosis`]): "the server verifies X instead".
//!
//! A gate runs first: the request as given. If it is refused nothing else means anything, so
//! the battery stops there with the diagnosis (the run exits 2).

pub mod cases;
pub mod diagnosis;
pub mod oracle;
pub mod redact;
pub mod shape;
pub mod verdict;
pub mod wire;

mod battery;
mod flow;
mod malformed;

use std::collections::BTreeSet;
use std::time::Duration;

use oauth1_vectors::SignSecrets;
use oauth1_wire::client::ClientOptions;

pub use battery::run;
use cases::{CaseRow, Family, FlowStep, Step};
use oracle::Oracle;

/// Bad input or setup found before the first request, or a case table or candidate that
/// does not hold together: each names the case, option or item.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The checked-in case table does not parse.
    #[error("data/probe-cases.json does not parse: {0}")]
    Table(#[source] &'static serde_json::Error),
    /// A case names a mutation `crate::mutation` lacks.
    #[error("case {case}: no mutation {mutation:?} in crate::mutation")]
    UnknownMutation {
        /// The case id.
        case: String,
        /// The mutation id.
        mutation: String,
    },
    /// A case has no step.
    #[error("case {0} has no step")]
    NoStep(String),
    /// `--case` names no case of the table.
    #[error("--case {0}: no such case (`--dry-run` lists them)")]
    UnknownCase(String),
    /// An item of a status list is not a status code.
    #[error("{item:?} in {list:?} is not a status code 100-599")]
    NotAStatus {
        /// The item.
        item: String,
        /// The whole list.
        list: String,
    },
    /// An item of a status list is not a status class.
    #[error("{item:?} in {list:?} is not a status class 1xx-5xx")]
    NotAStatusClass {
        /// The item.
        item: String,
        /// The whole list.
        list: String,
    },
    /// A range of a status list is empty.
    #[error("{item:?} in {list:?} is an empty range")]
    EmptyRange {
        /// The item.
        item: String,
        /// The whole list.
        list: String,
    },
    /// The HTTP client cannot be set up, or a URL or connect address is malformed.
    #[error("{0}")]
    Client(#[from] oauth1_wire::client::ClientError),
    /// `--rate` is not a positive number.
    #[error("--rate {0}: not a positive number")]
    Rate(f64),
    /// A diagnosis candidate does not apply to the request.
    #[error("does not apply")]
    NotApplicable,
    /// The quirk pipeline does not sign the request.
    #[error("{0}")]
    Pipeline(#[from] crate::quirks::PipelineError),
    /// The pipeline wrote no Authorization header.
    #[error("no Authorization header")]
    NoHeader,
    /// The pipeline's header does not parse back.
    #[error("{0}")]
    Header(#[from] oauth1_reference::header::HeaderError),
}

/// Requests a [`Step::Window`] bisection sends at most.
pub const WINDOW_REQUESTS: usize = 10;

/// Everything a probe run is told.
#[derive(Clone)]
pub struct ProbeConfig {
    /// The server's name in reports.
    pub name: String,
    /// The URL that is signed.
    pub url: String,
    /// The gate's method.
    pub method: String,
    /// `oauth_consumer_key`.
    pub consumer_key: String,
    /// `oauth_token` (none: two-legged).
    pub token: Option<String>,
    /// The signature methods enabled; the first signs the battery.
    pub signature_methods: Vec<String>,
    /// The gate's content type.
    pub content_type: Option<String>,
    /// The gate's body.
    pub body: Option<String>,
    /// The gate's realm.
    pub realm: Option<String>,
    /// Extra header fields sent with every request (redacted in reports).
    pub headers: Vec<(String, String)>,
    /// The client's secrets.
    pub secrets: SignSecrets,
    /// The `oauth_verifier` the token endpoint expects (`OAUTH1_VERIFIER`), for
    /// `flow-token-request`.
    pub verifier: Option<String>,
    /// Where the bytes go instead of the URL's authority.
    pub connect: Option<String>,
    /// The HTTP client's options (timeout, `--insecure`).
    pub client: ClientOptions,
    /// What a response says.
    pub oracle: Oracle,
    /// Requests per second (`None`: unlimited).
    pub rate: Option<f64>,
    /// The most requests sent.
    pub max_requests: usize,
    /// Send tampered, replayed, stale and malformed requests with an unsafe method.
    pub allow_unsafe_methods: bool,
    /// Only these families (the gate and the controls run anyway).
    pub only: Option<Vec<Family>>,
    /// Only these case ids (and the gate and their controls).
    pub cases: Vec<String>,
    /// The §2 temporary-credential endpoint.
    pub initiate_url: Option<String>,
    /// The §2 token endpoint.
    pub token_url: Option<String>,
    /// The command line that replays the run (without `--case`).
    pub replay_command: String,
}

impl std::fmt::Debug for ProbeConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProbeConfig")
            .field("name", &self.name)
            .field("url", &self.url)
            .field("signature_methods", &self.signature_methods)
            .finish_non_exhaustive()
    }
}

/// The default per-request timeout.
pub const DEFAULT_TIMEOUT: Duration = oauth1_wire::client::DEFAULT_TIMEOUT;

/// The rows a run goes through, and how many requests they take.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The rows, in table order.
    pub rows: Vec<CaseRow>,
    /// Requests the rows send when nothing needs diagnosing (bisection at its maximum).
    pub requests: usize,
}

/// Requests `step` sends.
fn requests_of(step: Step) -> usize {
    match step {
        Step::ReplaySame | Step::ReplayNonce | Step::Flow(FlowStep::TokenRequest) => 2,
        Step::Window => WINDOW_REQUESTS,
        _ => 1,
    }
}

/// The rows `config` selects: its families or case ids, the gate, and the control of each
/// (transitively).
///
/// # Errors
/// An unknown `--case` id, or a table that does not load.
pub fn plan(config: &ProbeConfig) -> Result<Plan, Error> {
    let table = cases::table()?;
    for id in &config.cases {
        if !table.iter().any(|r| &r.id == id) {
            return Err(Error::UnknownCase(id.clone()));
        }
    }
    let mut chosen: BTreeSet<&str> = table
        .iter()
        .filter(|row| config.only.as_ref().is_none_or(|families| families.contains(&row.family)))
        .filter(|row| config.cases.is_empty() || config.cases.contains(&row.id))
        .map(|row| row.id.as_str())
        .collect();
    chosen.insert("valid-gate");
    // Controls come before what leans on them, so one backward pass closes the set.
    for row in table.iter().rev() {
        if chosen.contains(row.id.as_str()) {
            if let Some(control) = &row.control {
                chosen.insert(control.as_str());
            }
        }
    }
    let rows: Vec<CaseRow> = table.iter().filter(|r| chosen.contains(r.id.as_str())).cloned().collect();
    let mut requests = 0;
    for row in &rows {
        requests += requests_of(row.step()?);
    }
    Ok(Plan { rows, requests })
}
