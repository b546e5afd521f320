//! What the harness drives: an implementation under test, in-process or behind an adapter.
//! The runner holds a `dyn Implementation` and never knows which kind it is.

use std::panic::{catch_unwind, AssertUnwindSafe};

use serde::{Deserialize, Serialize};

use crate::limits::InputLimits;
use crate::trace::{Stage, Trace};
use oauth1_vectors::{OAuthParams, SignRequest, SignSecrets, VerifyRequest, VerifySecrets};

/// An operation an implementation may support.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImplementationInfo {
    /// Short unique name (`reference`, `oauthlib-client`, …).
    pub name: String,
    /// The implementation's own version.
    pub version: String,
    /// Its language.
    pub language: String,
    /// What it can do.
    pub capabilities: Capabilities,
}

/// The capabilities a case needs are checked against these; a case outside them is `skip`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Capabilities {
    /// Supported operations.
    pub operations: Vec<Operation>,
    /// Supported `oauth_signature_method` values.
    pub signature_methods: Vec<String>,
    /// The trace stages it reports.
    pub stages: Vec<Stage>,
    /// Whether it can sign without `oauth_version`.
    pub can_omit_version: bool,
    /// Whether it can compute `oauth_body_hash` on request (sign cases with
    /// `compute_body_hash` are skipped otherwise).
    #[serde(default)]
    pub body_hash: bool,
    /// Whether its verifier reports rejection reasons in the vector vocabulary.
    pub reports_rejection_reasons: bool,
    /// Whether it signs with an `oauth_nonce` and `oauth_timestamp` of its own choosing
    /// (§3.3 leaves both to the client) because it cannot be given the case's. Its traces then
    /// report the ones it sent (`emitted_nonce`, `emitted_timestamp`), and each answer is judged
    /// against the reference signing the same request with those two values instead of the
    /// case's (see [`crate::runner::judged_case`]); every other parameter, and every stage, is
    /// held to the case as usual. Omitted when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub emits_own_nonce_timestamp: bool,
    /// The requests its API cannot express at all (not its bugs: an input it signs wrongly is
    /// a finding, never a limit). Generated cases stay inside them, and a corpus case outside
    /// them is `skip`, with the limit as its reason. Omitted when it has none.
    #[serde(default, skip_serializing_if = "InputLimits::is_none")]
    pub limits: InputLimits,
    /// How it is driven, and what it cannot do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
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
    /// The implementation's API has no way to express this input (an API limit, not a
    /// verdict): the case is `skip`, with this reason.
    Unsupported(String),
    /// The implementation panicked, crashed or raised outside its error type on this input
    /// (an in-process panic, or an adapter process that died with this case alone in flight).
    Panicked(String),
    /// The adapter or the harness failed (a protocol error, a timeout, an adapter bug): no
    /// verdict on the implementation.
    Error(String),
}

/// The parameters of a parsed header, in order: `[name, value]`.
pub type HeaderParams = Vec<(String, String)>;

/// The inputs of a `sign` case, and never its expected values: an implementation must not
/// be able to see the answer.
#[derive(Debug, Clone, Copy)]
pub struct SignInput<'a> {
    /// The HTTP request.
    pub request: &'a SignRequest,
    /// The protocol parameters.
    pub oauth: &'a OAuthParams,
    /// The secrets (vector test data, or generated).
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

/// One unit of work for an implementation.
#[derive(Debug, Clone, Copy)]
pub enum Job<'a> {
    /// Sign a request.
    Sign(SignInput<'a>),
    /// Parse an Authorization header value.
    ParseHeader(&'a str),
    /// Verify a request.
    Verify(VerifyInput<'a>),
}

/// The answer to a [`Job`], of the matching kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// To [`Job::Sign`].
    Sign(Outcome<Trace>),
    /// To [`Job::ParseHeader`].
    ParseHeader(Outcome<HeaderParams>),
    /// To [`Job::Verify`]; `Answer(())` means accepted.
    Verify(Outcome<()>),
}

impl Answer {
    /// An `error` answer of the kind that `job` expects.
    #[must_use]
    pub fn error(job: &Job<'_>, message: String) -> Self {
        Self::without_answer(job, Outcome::Error(message))
    }

    /// An `unsupported` answer of the kind that `job` expects.
    #[must_use]
    pub fn unsupported(job: &Job<'_>, why: String) -> Self {
        Self::without_answer(job, Outcome::Unsupported(why))
    }

    /// A `panicked` answer of the kind that `job` expects.
    #[must_use]
    pub fn panicked(job: &Job<'_>, message: String) -> Self {
        Self::without_answer(job, Outcome::Panicked(message))
    }

    /// An answer carrying `outcome`, which holds no answer value, of the kind `job` expects.
    fn without_answer(job: &Job<'_>, outcome: Outcome<Never>) -> Self {
        match job {
            Job::Sign(_) => Self::Sign(outcome.into_no_answer()),
            Job::ParseHeader(_) => Self::ParseHeader(outcome.into_no_answer()),
            Job::Verify(_) => Self::Verify(outcome.into_no_answer()),
        }
    }
}

/// The answer type of an outcome that holds no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Never {}

impl Outcome<Never> {
    /// The same outcome, typed for any answer.
    #[must_use]
    pub fn into_no_answer<T>(self) -> Outcome<T> {
        match self {
            Self::Answer(never) => match never {},
            Self::Rejected { reason, message } => Outcome::Rejected { reason, message },
            Self::Unsupported(why) => Outcome::Unsupported(why),
            Self::Panicked(message) => Outcome::Panicked(message),
            Self::Error(message) => Outcome::Error(message),
        }
    }
}

/// An implementation under test.
pub trait Implementation {
    /// Name, version, language and capabilities.
    fn info(&self) -> &ImplementationInfo;
    /// Runs `jobs` and returns one answer per job, in order. Adapters pipeline them; a fault
    /// becomes an `error` answer, never a panic or a lost result.
    fn run(&mut self, jobs: &[Job<'_>]) -> Vec<Answer>;
    /// The faults (kill, restart, giving up) since the last call, oldest first; job indices in
    /// them refer to the `jobs` of the `run` call they happened in, so take them after each
    /// `run`. Only adapters have any.
    fn take_fault_events(&mut self) -> Vec<crate::adapter::FaultEvent> {
        Vec::new()
    }
}

/// An implementation called in this process, one job at a time.
pub trait InProcess {
    /// Name, version, language and capabilities.
    fn info(&self) -> &ImplementationInfo;
    /// Signs a request.
    fn sign(&mut self, input: &SignInput<'_>) -> Outcome<Trace>;
    /// Parses an Authorization header value.
    fn parse_header(&mut self, header: &str) -> Outcome<HeaderParams>;
    /// Verifies a request; `Answer(())` means accepted.
    fn verify(&mut self, input: &VerifyInput<'_>) -> Outcome<()>;
}

/// The text of a panic payload.
#[must_use]
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a non-string panic payload".into())
}

thread_local! {
    /// Where the last panic on this thread happened, recorded by [`install_quiet_panic_hook`].
    static LAST_PANIC_LOCATION: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
    /// Whether this thread is inside an implementation's call ([`run_in_process`]).
    static IN_IMPLEMENTATION: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Quiets the panics of implementations under test: inside [`run_in_process`] a panic's
/// location is recorded for the `error` result instead of printed (a panic inside an
/// implementation is a finding reported with its case; printing it mid-run would only garble
/// the report). Any other panic is the harness's own, a bug: it is printed as usual. The
/// binary installs this; tests keep the default hook so their own failures stay visible.
pub fn install_quiet_panic_hook() {
    let harness_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if IN_IMPLEMENTATION.with(std::cell::Cell::get) {
            let location = info.location().map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()));
            LAST_PANIC_LOCATION.with(|last| *last.borrow_mut() = location);
        } else {
            harness_hook(info);
        }
    }));
}

/// Runs one job in-process under `catch_unwind`: a panic inside an implementation is an
/// `error` for that case (and a finding), never the end of the run.
pub fn run_in_process<T: InProcess + ?Sized>(implementation: &mut T, job: &Job<'_>) -> Answer {
    IN_IMPLEMENTATION.with(|inside| inside.set(true));
    let answer = catch_unwind(AssertUnwindSafe(|| match job {
        Job::Sign(input) => Answer::Sign(implementation.sign(input)),
        Job::ParseHeader(header) => Answer::ParseHeader(implementation.parse_header(header)),
        Job::Verify(input) => Answer::Verify(implementation.verify(input)),
    }));
    IN_IMPLEMENTATION.with(|inside| inside.set(false));
    answer.unwrap_or_else(|payload| {
        let location = LAST_PANIC_LOCATION.with(|last| last.borrow_mut().take());
        let at = location.map(|l| format!(" (at {l})")).unwrap_or_default();
        Answer::panicked(job, format!("the implementation panicked{at}: {}", panic_message(payload.as_ref())))
    })
}

impl<T: InProcess + ?Sized> InProcess for Box<T> {
    fn info(&self) -> &ImplementationInfo {
        (**self).info()
    }
    fn sign(&mut self, input: &SignInput<'_>) -> Outcome<Trace> {
        (**self).sign(input)
    }
    fn parse_header(&mut self, header: &str) -> Outcome<HeaderParams> {
        (**self).parse_header(header)
    }
    fn verify(&mut self, input: &VerifyInput<'_>) -> Outcome<()> {
        (**self).verify(input)
    }
}

impl<T: InProcess> Implementation for T {
    fn info(&self) -> &ImplementationInfo {
        InProcess::info(self)
    }

    fn run(&mut self, jobs: &[Job<'_>]) -> Vec<Answer> {
        jobs.iter().map(|job| run_in_process(self, job)).collect()
    }
}
