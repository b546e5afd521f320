//! What the harness drives: an implementation under test, in-process or behind an adapter.
//! The runner holds a `dyn Implementation` and never knows which kind it is.

use serde::Serialize;

use crate::trace::{Stage, Trace};
use oauth1_vectors::{OAuthParams, SignRequest, SignSecrets, VerifyRequest, VerifySecrets};

/// An operation an implementation may support.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    /// Sign a request (`sign` vectors).
    Sign,
    /// Parse an Authorization header (`parse_header` vectors).
    ParseHeader,
    /// Verify a signed request (`verify` vectors).
    Verify,
}

/// What an implementation declares about itself.
#[derive(Debug, Clone, Serialize)]
pub struct ImplementationInfo {
    /// Short unique name (`reference`, `oauthlib`, …).
    pub name: String,
    /// The implementation's own version.
    pub version: String,
    /// Its language.
    pub language: String,
    /// What it can do.
    pub capabilities: Capabilities,
}

/// The capabilities a case needs are checked against these; a case outside them is `skip`.
#[derive(Debug, Clone, Serialize)]
pub struct Capabilities {
    /// Supported operations.
    pub operations: Vec<Operation>,
    /// Supported `oauth_signature_method` values.
    pub signature_methods: Vec<String>,
    /// The trace stages it reports.
    pub stages: Vec<Stage>,
    /// Whether it can sign without `oauth_version`.
    pub can_omit_version: bool,
    /// Whether its verifier reports rejection reasons in the vector vocabulary.
    pub reports_rejection_reasons: bool,
}

/// An implementation's answer to one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome<T> {
    /// It produced an answer.
    Answer(T),
    /// It refused the input (a result, not a fault): `reason` is a vector-vocabulary code
    /// where the implementation reports one.
    Rejected {
        /// A stable reason code, if known.
        reason: Option<String>,
        /// The implementation's own message.
        message: String,
    },
    /// The implementation or its adapter failed (a panic, a crash, a protocol error).
    Error(String),
}

/// The parameters of a parsed header, in order: `[name, value]`.
pub type HeaderParams = Vec<(String, String)>;

/// An implementation under test.
pub trait Implementation {
    /// Name, version, language and capabilities.
    fn info(&self) -> &ImplementationInfo;
    /// Signs the request of a `sign` case.
    fn sign(&mut self, input: &SignInput<'_>) -> Outcome<Trace>;
    /// Parses an Authorization header value.
    fn parse_header(&mut self, header: &str) -> Outcome<HeaderParams>;
    /// Verifies a request; `Answer(())` means accepted.
    fn verify(&mut self, input: &VerifyInput<'_>) -> Outcome<()>;
}

/// The inputs of a `sign` case, and never its expected values: an implementation must not
/// be able to see the answer.
#[derive(Debug, Clone, Copy)]
pub struct SignInput<'a> {
    /// The HTTP request.
    pub request: &'a SignRequest,
    /// The protocol parameters.
    pub oauth: &'a OAuthParams,
    /// The secrets (vector test data).
    pub secrets: &'a SignSecrets,
}

/// The inputs of a `verify` case.
#[derive(Debug, Clone, Copy)]
pub struct VerifyInput<'a> {
    /// The received request, headers included.
    pub request: &'a VerifyRequest,
    /// What the server knows.
    pub secrets: &'a VerifySecrets,
    /// The verifier's current time, Unix seconds.
    pub now: u64,
}
