//! The `capture` section of the report: what clients under test really put on the wire,
//! request by request, with each request's verdict, the checks it failed and the diagnosis of
//! a signature mismatch (`oauth1-conformance capture`). Its renderings (JUnit, Markdown, HTML)
//! are in [`render`]; like the rest of the report family they only count and format.
//!
//! No secret is in it: secrets are not on the wire, a PLAINTEXT signature (which is the key)
//! is shown by length only, and every text taken from the wire is scrubbed of the configured
//! secrets before it is stored.

pub mod render;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::quirks::Quirk;
use crate::trace::Stage;

/// A request's (or a case's) verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaptureVerdict {
    /// Verified, and no check failed.
    Ok,
    /// Verification or another check failed.
    Fail,
    /// The client cannot express the case (its driver exited with status 3), or the case
    /// needs something this run does not have (a port in use, an RSA key).
    Skip,
    /// The client did not make the request: it timed out, crashed, or sent nothing.
    Error,
}

impl CaptureVerdict {
    /// The verdict's name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Fail => "fail",
            Self::Skip => "skip",
            Self::Error => "error",
        }
    }
}

/// A check a captured request can fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// RFC 5849 §3.2: the signature recomputed from the request as received differs.
    Signature,
    /// §3.1, §3.5: a protocol parameter is missing, repeated, malformed or in two locations.
    Parameters,
    /// §3.2: an `oauth_signature_method` the verifier does not support.
    SignatureMethod,
    /// The consumer key or token is not the one configured.
    Credentials,
    /// `oauth_body_hash` does not match the body (draft-eaton-oauth-bodyhash).
    BodyHash,
    /// No absolute URL can be rebuilt from the request (no `Host`, an odd target).
    RequestUrl,
    /// §3.3: a nonce sent before by this client.
    NonceReused,
    /// §3.3: `oauth_timestamp` in milliseconds, not seconds.
    TimestampUnit,
    /// §3.3: `oauth_timestamp` too far from the server's clock.
    TimestampSkew,
    /// §3.1: `oauth_version` other than `1.0`.
    OauthVersion,
    /// §3.5.1: the Authorization header as written breaks its syntax.
    HeaderSyntax,
    /// §3.3, §3.4.1.2: a request re-sent after a redirect carries the old URL's signature.
    RedirectNotResigned,
    /// The request sent is not the one the case asked for (other parameters, method or path).
    SentAsIntended,
}

impl Check {
    /// The check's name, as in the JSON report.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Signature => "signature",
            Self::Parameters => "parameters",
            Self::SignatureMethod => "signature_method",
            Self::Credentials => "credentials",
            Self::BodyHash => "body_hash",
            Self::RequestUrl => "request_url",
            Self::NonceReused => "nonce_reused",
            Self::TimestampUnit => "timestamp_unit",
            Self::TimestampSkew => "timestamp_skew",
            Self::OauthVersion => "oauth_version",
            Self::HeaderSyntax => "header_syntax",
            Self::RedirectNotResigned => "redirect_not_resigned",
            Self::SentAsIntended => "sent_as_intended",
        }
    }

    /// What failing the check means, with the RFC text it holds the request to (the dossiers
    /// print it; `RFC 5849 §…` is cited so that the section can be quoted).
    #[must_use]
    pub fn meaning(self) -> &'static str {
        match self {
            Self::Signature => {
                "the signature recomputed from the request as received differs from `oauth_signature` (RFC 5849 §3.2)"
            }
            Self::Parameters => {
                "a protocol parameter is missing, repeated, malformed or in two locations (RFC 5849 §3.1, §3.5)"
            }
            Self::SignatureMethod => "an `oauth_signature_method` the verifier does not support (RFC 5849 §3.2)",
            Self::Credentials => "the consumer key or token is not the one the client was configured with",
            Self::BodyHash => "`oauth_body_hash` does not match the body (draft-eaton-oauth-bodyhash)",
            Self::RequestUrl => "no absolute URL can be rebuilt from the request (no `Host`, an odd request target)",
            Self::NonceReused => "a nonce this client sent before (RFC 5849 §3.3)",
            Self::TimestampUnit => "`oauth_timestamp` in milliseconds, not seconds (RFC 5849 §3.3)",
            Self::TimestampSkew => "`oauth_timestamp` too far from the server's clock (RFC 5849 §3.3)",
            Self::OauthVersion => "`oauth_version` other than `1.0` (RFC 5849 §3.1)",
            Self::HeaderSyntax => "the Authorization header as written breaks its syntax (RFC 5849 §3.5.1)",
            Self::RedirectNotResigned => {
                "a request re-sent after a redirect carries the old URL's signature (RFC 5849 §3.3, §3.4.1.2)"
            }
            Self::SentAsIntended => {
                "the request sent is not the one the case asked for (other parameters, method or path)"
            }
        }
    }
}

/// A failed check and what failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedCheck {
    /// The check.
    pub check: Check,
    /// What failed, with the RFC section.
    pub message: String,
}

/// Diagnosis names for wire behaviour. The quirk catalogue on main has no `wire` quirks yet
/// (another change adds them under these ids); until it does, capture names them with this
/// enum of its own, serialised with the same ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WireQuirk {
    /// A parameter added, or the body re-serialised, after the signature was computed.
    SendsParametersAddedAfterSigning,
    /// The HTTP layer re-encodes what was signed (`%2B` sent as `+`, a path escape decoded).
    SendsParametersEncodedDifferently,
    /// A redirect followed with the Authorization header computed for the old URL.
    ResendsSignatureOnRedirect,
    /// A 13-digit millisecond `oauth_timestamp`.
    TimestampInMilliseconds,
    /// A nonce sent again.
    RepeatsNonce,
    /// The signed URL lacks the non-default port the request went to.
    DropsNonDefaultPort,
    /// The `Host` header lacks the non-default port the client connected to and signed.
    SendsHostWithoutPort,
}

impl WireQuirk {
    /// The id (as the catalogue will spell it).
    #[must_use]
    pub fn id(self) -> &'static str {
        match self {
            Self::SendsParametersAddedAfterSigning => "sends-parameters-added-after-signing",
            Self::SendsParametersEncodedDifferently => "sends-parameters-encoded-differently",
            Self::ResendsSignatureOnRedirect => "resends-signature-on-redirect",
            Self::TimestampInMilliseconds => "timestamp-in-milliseconds",
            Self::RepeatsNonce => "repeats-nonce",
            Self::DropsNonDefaultPort => "drops-non-default-port",
            Self::SendsHostWithoutPort => "sends-host-without-port",
        }
    }

    /// The RFC text it breaks.
    #[must_use]
    pub fn section(self) -> &'static str {
        match self {
            Self::SendsParametersAddedAfterSigning => "RFC 5849 §3.4 (the signature covers the request as sent)",
            Self::SendsParametersEncodedDifferently => "RFC 5849 §3.4.1.3.1, §3.6",
            Self::ResendsSignatureOnRedirect => {
                "RFC 5849 §3.3, §3.4.1.2 (each request is signed for its own URL with a fresh nonce)"
            }
            Self::TimestampInMilliseconds => "RFC 5849 §3.3 (the number of seconds since 1970)",
            Self::RepeatsNonce => "RFC 5849 §3.3 (a nonce is unique per timestamp, credentials and token)",
            Self::DropsNonDefaultPort | Self::SendsHostWithoutPort => {
                "RFC 5849 §3.4.1.2 (the port is included unless it is the scheme's default; host and port match the Host header)"
            }
        }
    }
}

/// The part of a request a rewrite changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestPart {
    /// The method.
    Method,
    /// The whole URL (a redirect).
    Url,
    /// The host and port.
    Authority,
    /// The path.
    Path,
    /// The query.
    Query,
    /// The entity-body.
    Body,
    /// The content type.
    ContentType,
}

impl RequestPart {
    /// In words.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Method => "method",
            Self::Url => "URL",
            Self::Authority => "host and port",
            Self::Path => "path",
            Self::Query => "query",
            Self::Body => "body",
            Self::ContentType => "content type",
        }
    }
}

/// What happened between signing and sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RewriteKind {
    /// The same parameters, written with other octets that decode differently (`%2B` → `+`).
    Reencoded,
    /// Parameters that were not signed were added.
    Added,
    /// Signed parameters were left out.
    Dropped,
    /// The body was serialised again, into other parameters.
    Reserialized,
    /// Replaced by another value (a method, a content type, a host).
    Replaced,
    /// The request went to the URL a redirect named, with the old URL's signature.
    Redirected,
}

/// A rewrite between what was signed and what was sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rewrite {
    /// What changed.
    pub part: RequestPart,
    /// How.
    pub kind: RewriteKind,
    /// The part as signed (its first differing piece).
    pub signed: String,
    /// The part as sent.
    pub sent: String,
}

impl Rewrite {
    /// The rewrite in words.
    #[must_use]
    pub fn describe(&self) -> String {
        let part = self.part.name();
        match self.kind {
            RewriteKind::Reencoded => {
                format!("the {part} was re-encoded after signing: `{}` was sent as `{}`", self.signed, self.sent)
            }
            RewriteKind::Added => format!("`{}` was added to the {part} after signing", self.sent),
            RewriteKind::Dropped => format!("`{}` was signed but left out of the {part}", self.signed),
            RewriteKind::Reserialized => {
                format!("the {part} was re-serialised after signing: `{}` was sent as `{}`", self.signed, self.sent)
            }
            RewriteKind::Replaced => format!("the {part} `{}` was signed, `{}` sent", self.signed, self.sent),
            RewriteKind::Redirected => format!(
                "the request re-sent to `{}` after a redirect carries the signature computed for `{}`",
                self.sent, self.signed
            ),
        }
    }
}

/// Why a request failed, as far as the harness can tell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Diagnosis {
    /// The client signed differently: a set of catalogued quirks reproduces the signature sent.
    SignedDifferently {
        /// The quirks.
        quirks: Vec<Quirk>,
        /// The first pipeline stage they change.
        first_stage: Stage,
    },
    /// The client sent something other than it signed: the signature verifies against a
    /// plausible pre-send form of the request.
    SignedNotSent {
        /// What changed after signing.
        rewrite: Rewrite,
        /// The wire quirk it is an instance of.
        quirk: WireQuirk,
    },
    /// A wire behaviour the request shows by itself (the timestamp unit, a repeated nonce, a
    /// port left out of what was signed).
    Wire {
        /// The wire quirk.
        quirk: WireQuirk,
        /// What the client signed instead, where a pre-send form shows it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rewrite: Option<Rewrite>,
    },
}

impl Diagnosis {
    /// A short stable key: the quirk ids, or `signed-not-sent:<quirk>`.
    #[must_use]
    pub fn key(&self) -> String {
        match self {
            Self::SignedDifferently { quirks, .. } => quirks.iter().map(|q| q.id()).collect::<Vec<_>>().join("+"),
            Self::SignedNotSent { quirk, .. } => format!("signed-not-sent:{}", quirk.id()),
            Self::Wire { quirk, .. } => quirk.id().to_owned(),
        }
    }

    /// The diagnosis in words.
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Self::SignedDifferently { quirks, first_stage } => {
                let named: Vec<String> =
                    quirks.iter().map(|q| format!("{} ({}) [{}]", q.id(), q.description(), q.section())).collect();
                format!(
                    "signed differently: the signature sent is what a client with {} produces; the first stage it changes is {}",
                    named.join(" and "),
                    crate::diagnose::stage_title(*first_stage)
                )
            }
            Self::SignedNotSent { rewrite, quirk } => {
                format!("signed-not-sent: {} ({}) [{}]", rewrite.describe(), quirk.id(), quirk.section())
            }
            Self::Wire { quirk, rewrite: Some(rewrite) } => {
                format!("{}: {} [{}]", quirk.id(), rewrite.describe(), quirk.section())
            }
            Self::Wire { quirk, rewrite: None } => format!("{} [{}]", quirk.id(), quirk.section()),
        }
    }
}

/// The family of a case, the columns of the HTML report's client × family table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CaseFamily {
    /// HTTP methods.
    Method,
    /// Query strings: reserved, encoded, repeated, empty, `+`, `~`, `%2F`, non-ASCII.
    Query,
    /// PHP/Rails bracket names.
    Brackets,
    /// Form bodies.
    Form,
    /// Non-form and empty bodies.
    Body,
    /// Paths with encoded characters.
    Path,
    /// With and without token and realm.
    Credentials,
    /// Each signature method.
    SignatureMethod,
    /// A 307 redirect to another path.
    Redirect,
    /// Default and non-default ports.
    Port,
}

impl CaseFamily {
    /// Every family, in table order.
    pub const ALL: [Self; 10] = [
        Self::Method,
        Self::Query,
        Self::Brackets,
        Self::Form,
        Self::Body,
        Self::Path,
        Self::Credentials,
        Self::SignatureMethod,
        Self::Redirect,
        Self::Port,
    ];

    /// The family's name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Method => "method",
            Self::Query => "query",
            Self::Brackets => "brackets",
            Self::Form => "form",
            Self::Body => "body",
            Self::Path => "path",
            Self::Credentials => "credentials",
            Self::SignatureMethod => "signature-method",
            Self::Redirect => "redirect",
            Self::Port => "port",
        }
    }
}

/// What a case asked the client to send (`OAUTH1_CAPTURE_*`), never a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntendedRequest {
    /// `OAUTH1_CAPTURE_METHOD`.
    pub method: String,
    /// `OAUTH1_CAPTURE_URL`.
    pub url: String,
    /// `OAUTH1_CAPTURE_CONTENT_TYPE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// The body of `OAUTH1_CAPTURE_BODY_FILE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// `OAUTH1_SIGNATURE_METHOD`.
    pub signature_method: String,
    /// Whether `OAUTH1_TOKEN` was given.
    pub token: bool,
    /// `OAUTH1_REALM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub realm: Option<String>,
}

/// A request as it arrived, for the report: text as received (octets that are not UTF-8
/// shown as `\xHH`), secrets scrubbed, a long body cut.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireRequest {
    /// Its number among the requests this run received, from 1.
    pub arrival: u64,
    /// The local port it arrived at.
    pub port: u16,
    /// Whether it came over TLS.
    pub tls: bool,
    /// The method.
    pub method: String,
    /// The request target.
    pub target: String,
    /// Every header field, in order.
    pub headers: Vec<(String, String)>,
    /// The body (at most [`BODY_SHOWN`] bytes of it).
    pub body: String,
    /// The body's length in bytes.
    pub body_bytes: usize,
}

/// Bytes of a body kept in a report.
pub const BODY_SHOWN: usize = 4096;

/// One request (or, for a case that sent none, the case) and its verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaptureRecord {
    /// The case, when the request came for one (with `--exec`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    /// The case's family.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<CaseFamily>,
    /// The verdict.
    pub verdict: CaptureVerdict,
    /// Each failed check.
    pub checks: Vec<FailedCheck>,
    /// Why it failed, as far as the harness can tell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagnosis: Option<Diagnosis>,
    /// Observations that do not fail the request (a benign re-encoding, a redirect not
    /// followed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// What the case asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intended: Option<IntendedRequest>,
    /// What arrived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received: Option<WireRequest>,
    /// The signature base string the verifier computed from the request as received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature_base_string: Option<String>,
    /// Why a case was skipped or is an error (the driver's stderr, scrubbed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The case could not run here (its port is in use, no RSA key was given): a skip that
    /// says nothing about the client.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_run: bool,
    /// The command that replays it alone.
    pub replay: String,
}

impl CaptureRecord {
    /// The failed checks' names.
    pub fn check_names(&self) -> impl Iterator<Item = Check> + '_ {
        self.checks.iter().map(|c| c.check)
    }
}

/// Counts over a client's records.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaptureSummary {
    /// Records per verdict.
    pub ok: usize,
    /// Failed.
    pub fail: usize,
    /// Skipped.
    pub skip: usize,
    /// Errors.
    pub error: usize,
    /// Failed checks by name.
    pub checks: BTreeMap<String, usize>,
    /// Diagnoses by key.
    pub diagnoses: BTreeMap<String, usize>,
}

impl CaptureSummary {
    /// Counts `records`.
    #[must_use]
    pub fn of(records: &[CaptureRecord]) -> Self {
        let mut summary = Self::default();
        for record in records {
            match record.verdict {
                CaptureVerdict::Ok => summary.ok += 1,
                CaptureVerdict::Fail => summary.fail += 1,
                CaptureVerdict::Skip => summary.skip += 1,
                CaptureVerdict::Error => summary.error += 1,
            }
            for check in record.check_names() {
                *summary.checks.entry(check.name().to_owned()).or_default() += 1;
            }
            if let Some(diagnosis) = &record.diagnosis {
                *summary.diagnoses.entry(diagnosis.key()).or_default() += 1;
            }
        }
        summary
    }

    /// `N requests: …` in one line.
    #[must_use]
    pub fn line(&self) -> String {
        format!("{} ok, {} failed, {} skipped, {} errors", self.ok, self.fail, self.skip, self.error)
    }
}

/// How a client's run compares with its checked-in baseline.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BaselineComparison {
    /// The baseline file.
    pub path: String,
    /// Cases whose outcome is not the baseline's: `case: expected → got`.
    pub differences: Vec<String>,
    /// Cases the client exercised (not skipped by it), in percent of the cases run.
    pub coverage_percent: f64,
}

impl BaselineComparison {
    /// Whether the run matches the baseline.
    #[must_use]
    pub fn matches(&self) -> bool {
        self.differences.is_empty()
    }
}

/// One client's capture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientCapture {
    /// The client's name (`client` for a lone `--exec`, `free` in free mode).
    pub name: String,
    /// The `--exec` command, scrubbed of secrets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// Every record, in arrival order (cases in table order with `--exec`).
    pub records: Vec<CaptureRecord>,
    /// The counts.
    pub summary: CaptureSummary,
    /// The baseline comparison, with `--baselines`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineComparison>,
    /// Wall time, seconds.
    pub seconds: f64,
}

/// A case of the run, as the report lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseInfo {
    /// The case id.
    pub id: String,
    /// Its family.
    pub family: CaseFamily,
    /// What it exercises.
    pub description: String,
}

/// Free mode or `--exec`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaptureMode {
    /// Whatever arrives is verified.
    Free,
    /// Each case is sent by a client command.
    Exec,
}

/// The capture section of a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaptureReport {
    /// Free mode or `--exec`.
    pub mode: CaptureMode,
    /// The addresses listened on.
    pub listen: Vec<String>,
    /// Whether the server spoke TLS.
    pub tls: bool,
    /// The consumer key the clients were given.
    pub consumer_key: String,
    /// The cases run (empty in free mode).
    pub cases: Vec<CaseInfo>,
    /// Each client's capture.
    pub clients: Vec<ClientCapture>,
    /// Wall time, seconds.
    pub seconds: f64,
}

impl CaptureReport {
    /// Whether every client passes: matches its baseline where it has one, every record ok
    /// or skipped otherwise.
    #[must_use]
    pub fn passes(&self) -> bool {
        self.clients.iter().all(|client| match &client.baseline {
            Some(baseline) => baseline.matches(),
            None => client.records.iter().all(|r| matches!(r.verdict, CaptureVerdict::Ok | CaptureVerdict::Skip)),
        })
    }
}
