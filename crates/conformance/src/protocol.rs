//! The messages of the adapter protocol, version 1 (`adapters/PROTOCOL.md`). The harness's
//! adapter client and `oauth1-conformance serve` both use these types, so the two ends
//! cannot drift apart.

use serde::{Deserialize, Serialize};

use oauth1_vectors::{OAuthParams, SignRequest, SignSecrets, VerifyRequest, VerifySecrets};

use crate::implementation::{Answer, HeaderParams, ImplementationInfo, Job, Outcome};
use crate::trace::Trace;

/// The protocol version this harness speaks.
pub const PROTOCOL_VERSION: u32 = 1;

/// A line from the harness to the adapter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "cmd", rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    /// The handshake.
    Start {
        /// [`PROTOCOL_VERSION`].
        protocol: u32,
    },
    /// Sign a request.
    Sign {
        /// Echoed in the response.
        id: u64,
        /// The HTTP request.
        request: SignRequest,
        /// The protocol parameters.
        oauth: OAuthParams,
        /// The secrets.
        secrets: SignSecrets,
    },
    /// Parse an Authorization header value.
    ParseHeader {
        /// Echoed in the response.
        id: u64,
        /// The header value.
        header: String,
    },
    /// Verify a request.
    Verify {
        /// Echoed in the response.
        id: u64,
        /// The received request.
        request: VerifyRequest,
        /// What the server knows.
        secrets: VerifySecrets,
        /// The verifier's clock.
        now: u64,
    },
    /// End of the session.
    Stop,
}

impl Command {
    /// The request line for `job`, with `id`.
    #[must_use]
    pub fn for_job(id: u64, job: &Job<'_>) -> Self {
        match job {
            Job::Sign(input) => Self::Sign {
                id,
                request: input.request.clone(),
                oauth: input.oauth.clone(),
                secrets: input.secrets.clone(),
            },
            Job::ParseHeader(header) => Self::ParseHeader { id, header: (*header).to_owned() },
            Job::Verify(input) => {
                Self::Verify { id, request: input.request.clone(), secrets: input.secrets.clone(), now: input.now }
            }
        }
    }
}

/// The adapter's answer to `start`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartResponse {
    /// Whether the adapter serves this protocol version.
    pub ok: bool,
    /// The version it speaks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<u32>,
    /// Who it is and what it can do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implementation: Option<ImplementationInfo>,
    /// Why it cannot serve, when `ok` is false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// What an implementation produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ResultBody {
    /// For `sign`.
    Trace {
        /// The stages it reports.
        trace: Trace,
    },
    /// For `parse_header`.
    Params {
        /// `[name, value]` in header order.
        params: HeaderParams,
    },
    /// For `verify`.
    Verdict {
        /// Whether the request was accepted.
        accepted: bool,
    },
}

/// The implementation refused the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rejected {
    /// A vocabulary reason code, if known.
    #[serde(default)]
    pub reason: Option<String>,
    /// The implementation's message.
    pub message: String,
}

/// The adapter failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdapterFailure {
    /// What failed.
    pub message: String,
    /// Details (a traceback, say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
}

/// An input the implementation's API cannot express, or an implementation that crashed on
/// it: a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Said {
    /// What the adapter says.
    pub message: String,
}

/// A line from the adapter: exactly one of `result`, `rejected`, `unsupported`, `crashed`,
/// `error`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// The request's id.
    pub id: u64,
    /// What the implementation produced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<ResultBody>,
    /// The implementation refused the input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejected: Option<Rejected>,
    /// The implementation's API cannot express the input (the case is `skip`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unsupported: Option<Said>,
    /// The implementation crashed on the input (a panic, an exception outside its error type).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crashed: Option<Said>,
    /// The adapter failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<AdapterFailure>,
}

/// Why a response is not well-formed for its request (an adapter fault).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The response holds `held` outcomes instead of one.
    #[error("a response must hold exactly one of result, rejected, unsupported, crashed, error")]
    Outcomes {
        /// How many it holds.
        held: usize,
    },
    /// A result of another kind than the request's.
    #[error("the result does not match the kind of request")]
    KindMismatch,
}

impl Response {
    /// The response line that reports `answer`.
    #[must_use]
    pub fn from_answer(id: u64, answer: Answer) -> Self {
        fn split<T>(id: u64, outcome: Outcome<T>, result: impl FnOnce(T) -> ResultBody) -> Response {
            let mut response =
                Response { id, result: None, rejected: None, unsupported: None, crashed: None, error: None };
            match outcome {
                Outcome::Answer(value) => response.result = Some(result(value)),
                Outcome::Rejected { reason, message } => response.rejected = Some(Rejected { reason, message }),
                Outcome::Unsupported(message) => response.unsupported = Some(Said { message }),
                Outcome::Panicked(message) => response.crashed = Some(Said { message }),
                Outcome::Error(message) => response.error = Some(AdapterFailure { message, context: None }),
            }
            response
        }
        match answer {
            Answer::Sign(outcome) => split(id, outcome, |trace| ResultBody::Trace { trace }),
            Answer::ParseHeader(outcome) => split(id, outcome, |params| ResultBody::Params { params }),
            Answer::Verify(outcome) => split(id, outcome, |()| ResultBody::Verdict { accepted: true }),
        }
    }

    /// The one outcome this response holds; `Err` when it holds none or several.
    fn outcome(self) -> Result<Outcome<ResultBody>, Error> {
        let Self { result, rejected, unsupported, crashed, error, .. } = self;
        let held = usize::from(result.is_some())
            + usize::from(rejected.is_some())
            + usize::from(unsupported.is_some())
            + usize::from(crashed.is_some())
            + usize::from(error.is_some());
        if held != 1 {
            return Err(Error::Outcomes { held });
        }
        Ok(if let Some(result) = result {
            Outcome::Answer(result)
        } else if let Some(Rejected { reason, message }) = rejected {
            Outcome::Rejected { reason, message }
        } else if let Some(Said { message }) = unsupported {
            Outcome::Unsupported(message)
        } else if let Some(Said { message }) = crashed {
            Outcome::Panicked(message)
        } else {
            let failure = error.unwrap_or(AdapterFailure { message: String::new(), context: None });
            Outcome::Error(match failure.context {
                Some(context) => format!("adapter error: {}\n{context}", failure.message),
                None => format!("adapter error: {}", failure.message),
            })
        })
    }

    /// The answer this response gives to `job`; a response that is not well-formed for the
    /// job (none or several outcomes, or a result of another kind) is an `Err` naming what is
    /// wrong, which the harness treats as an adapter fault.
    ///
    /// # Errors
    ///
    /// None or several outcomes, or a result of another kind than the job's.
    pub fn into_answer(self, job: &Job<'_>) -> Result<Answer, Error> {
        let outcome = self.outcome()?;
        let mismatch = || Err::<Answer, Error>(Error::KindMismatch);
        Ok(match (job, outcome) {
            (Job::Sign(_), Outcome::Answer(ResultBody::Trace { trace })) => Answer::Sign(Outcome::Answer(trace)),
            (Job::ParseHeader(_), Outcome::Answer(ResultBody::Params { params })) => {
                Answer::ParseHeader(Outcome::Answer(params))
            }
            (Job::Verify(_), Outcome::Answer(ResultBody::Verdict { accepted: true })) => {
                Answer::Verify(Outcome::Answer(()))
            }
            (Job::Verify(_), Outcome::Answer(ResultBody::Verdict { accepted: false })) => {
                Answer::Verify(Outcome::Rejected { reason: None, message: "rejected".into() })
            }
            (_, Outcome::Answer(_)) => return mismatch(),
            (Job::Sign(_), Outcome::Rejected { reason, message }) => {
                Answer::Sign(Outcome::Rejected { reason, message })
            }
            (Job::ParseHeader(_), Outcome::Rejected { reason, message }) => {
                Answer::ParseHeader(Outcome::Rejected { reason, message })
            }
            (Job::Verify(_), Outcome::Rejected { reason, message }) => {
                Answer::Verify(Outcome::Rejected { reason, message })
            }
            (job, Outcome::Unsupported(message)) => Answer::unsupported(job, message),
            (job, Outcome::Panicked(message)) => Answer::panicked(job, message),
            (job, Outcome::Error(message)) => Answer::error(job, message),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_serialize_as_documented() {
        let line = serde_json::to_string(&Command::Start { protocol: 1 }).unwrap();
        assert_eq!(line, r#"{"cmd":"start","protocol":1}"#);
        let line = serde_json::to_string(&Command::ParseHeader { id: 2, header: "OAuth a=\"b\"".into() }).unwrap();
        assert_eq!(line, r#"{"cmd":"parse_header","id":2,"header":"OAuth a=\"b\""}"#);
        assert_eq!(serde_json::to_string(&Command::Stop).unwrap(), r#"{"cmd":"stop"}"#);
    }

    #[test]
    fn responses_parse_and_are_checked_against_the_job() {
        let job = Job::ParseHeader("OAuth a=\"b\"");
        let ok: Response = serde_json::from_str(r#"{"id": 2, "result": {"params": [["a", "b"]]}}"#).unwrap();
        assert_eq!(ok.into_answer(&job), Ok(Answer::ParseHeader(Outcome::Answer(vec![("a".into(), "b".into())]))));
        let wrong_kind: Response = serde_json::from_str(r#"{"id": 2, "result": {"accepted": true}}"#).unwrap();
        assert_eq!(wrong_kind.into_answer(&job), Err(Error::KindMismatch));
        let both: Response =
            serde_json::from_str(r#"{"id": 2, "result": {"accepted": true}, "error": {"message": "x"}}"#).unwrap();
        assert_eq!(both.into_answer(&job), Err(Error::Outcomes { held: 2 }));
        let rejected: Response =
            serde_json::from_str(r#"{"id": 2, "rejected": {"reason": null, "message": "no"}}"#).unwrap();
        assert!(matches!(rejected.into_answer(&job), Ok(Answer::ParseHeader(Outcome::Rejected { .. }))));
        assert!(serde_json::from_str::<Response>(r#"{"id": 2, "result": {}, "extra": 1}"#).is_err());
    }
}
