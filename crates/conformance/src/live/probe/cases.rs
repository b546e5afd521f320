//! The battery: the checked-in table of cases (`crates/conformance/data/probe-cases.json`: id,
//! family, RFC clause, what is changed, the expected verdict, whether the RFC lets a server
//! decide otherwise) and the [`Step`] each row runs.
//!
//! The table is data so that it can be read, reviewed and cited on its own; what a row does
//! is code, found by its id in [`STEPS`]. A test holds the two to each other: every row has a
//! step, every step a row, and a row's control runs before it.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::verdict::Severity;
use crate::mutation::Mutation;

/// The table, as checked in.
const TABLE: &str = include_str!("../../../data/probe-cases.json");

/// A family of cases (`--only` takes them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// Variants the server must accept.
    Valid,
    /// Signed, then changed: the server must refuse.
    Tampered,
    /// Sent again.
    Replay,
    /// Timestamps out of any window.
    Time,
    /// Malformed or incomplete protocol parameters.
    Malformed,
    /// PLAINTEXT over plain HTTP.
    Downgrade,
    /// The §2 redirection-based flow (`--initiate-url`, `--token-url`).
    Flow,
}

impl Family {
    /// Every family, in the order the battery runs them.
    pub const ALL: [Self; 7] =
        [Self::Valid, Self::Tampered, Self::Replay, Self::Time, Self::Malformed, Self::Downgrade, Self::Flow];

    /// The family's id.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Valid => "valid",
            Self::Tampered => "tampered",
            Self::Replay => "replay",
            Self::Time => "time",
            Self::Malformed => "malformed",
            Self::Downgrade => "downgrade",
            Self::Flow => "flow",
        }
    }

    /// The family named `name`.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// What a server that follows RFC 5849 does with a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Expected {
    /// It accepts the request.
    Accept,
    /// It refuses the request.
    Refuse,
    /// Either; what it does is reported (`informational`).
    Report,
}

impl Expected {
    /// As written in the table.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Accept => "accept",
            Self::Refuse => "refuse",
            Self::Report => "report",
        }
    }
}

/// One row of the table.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseRow {
    /// The stable id (`--case ID`).
    pub id: String,
    /// Its family.
    pub family: Family,
    /// The RFC clause that decides it.
    pub rfc: String,
    /// What is changed, from the gate's request.
    pub change: String,
    /// The expected verdict.
    pub expected: Expected,
    /// For an `accept` row: the RFC lets a server refuse it.
    #[serde(default)]
    pub may_refuse: bool,
    /// For a `refuse` row: the RFC lets a server accept it.
    #[serde(default)]
    pub may_accept: bool,
    /// What a `fail` of this row weighs.
    pub severity: Severity,
    /// The valid case this one is built from.
    #[serde(default)]
    pub control: Option<String>,
    /// The mutation of `crate::mutation` it applies, by id.
    #[serde(default)]
    pub mutation: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    /// Read for the reader of the file; the table's rules are in this module.
    #[serde(rename = "description")]
    _description: String,
    cases: Vec<CaseRow>,
}

/// The rows, parsed once.
///
/// # Errors
/// When the checked-in table does not parse (a test keeps it parsing).
pub fn table() -> Result<&'static [CaseRow], super::Error> {
    static PARSED: OnceLock<Result<Vec<CaseRow>, serde_json::Error>> = OnceLock::new();
    PARSED
        .get_or_init(|| serde_json::from_str::<TableFile>(TABLE).map(|file| file.cases))
        .as_deref()
        .map_err(super::Error::Table)
}

/// A valid variant of the gate's request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// The request as given.
    Gate,
    /// Signed with this method (`oauth_signature_method`).
    Method(&'static str),
    /// Protocol parameters in the query.
    QueryLocation,
    /// `probe=1` added to the query.
    ExtraQuery,
    /// `a=2&a=1`.
    RepeatedNames,
    /// `empty=&a=1`.
    EmptyValue,
    /// `q=two+words`.
    PlusSpace,
    /// `q=two%20words`.
    Percent20Space,
    /// `path=a%2Fb`.
    EncodedSlash,
    /// `name=caf%C3%A9`.
    NonAscii,
    /// `x=%21%2A%27%28%29`.
    Reserved,
    /// `realm="Example"`.
    Realm,
    /// No `oauth_version`.
    NoVersion,
    /// POST with a form body.
    FormBody,
    /// POST with a query and a form body.
    FormBodyAndQuery,
    /// Form POST, protocol parameters in the body.
    BodyLocation,
    /// POST with a JSON body.
    JsonBody,
    /// POST with a JSON body and `oauth_body_hash`.
    BodyHash,
}

impl Variant {
    /// Whether it goes as a POST with a body (skipped when the server has no POST there).
    #[must_use]
    pub fn has_body(self) -> bool {
        matches!(self, Self::FormBody | Self::FormBodyAndQuery | Self::BodyLocation | Self::JsonBody | Self::BodyHash)
    }
}

/// A change to the gate's Authorization header or protocol parameters that makes it
/// malformed or incomplete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Malformation {
    /// `oauth_version=1.0` unquoted.
    UnquotedValue,
    /// The first `, ` between parameters becomes ` `.
    MissingComma,
    /// `OAuth` directly followed by the first parameter.
    NoSpaceAfterScheme,
    /// The last closing quote dropped.
    MissingClosingQuote,
    /// Parameters joined with `&`.
    AmpersandSeparated,
    /// A second `oauth_nonce` with another value.
    DuplicateParameter,
    /// The protocol parameters in the header and the query.
    TwoLocations,
    /// No `oauth_signature`.
    MissingSignature,
    /// No `oauth_consumer_key`.
    MissingConsumerKey,
    /// No `oauth_signature_method`.
    MissingSignatureMethod,
    /// Signed without `oauth_nonce`.
    MissingNonce,
    /// Signed without `oauth_timestamp`.
    MissingTimestamp,
    /// Signed with `oauth_version="2.0"`.
    UnknownVersion,
    /// `oauth_signature_method="HMAC-MD5"` after signing.
    UnsupportedMethod,
}

/// A timestamp the gate's request is signed with instead of the clock's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeShift {
    /// A day ahead.
    Future24h,
    /// The clock in milliseconds.
    Milliseconds,
}

/// A step of the §2 flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlowStep {
    /// Temporary credentials with `oauth_callback`; the response's `oauth_callback_confirmed`.
    CallbackConfirmed,
    /// Temporary credentials without `oauth_callback`.
    WithoutCallback,
    /// A token request with a wrong verifier.
    WrongVerifier,
    /// New temporary credentials, then a token request with the right verifier.
    TokenRequest,
}

/// What a row does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Sends a valid variant.
    Valid(Variant),
    /// Signs the control's request, applies a mutation of `crate::mutation`, sends it.
    Mutated(Mutation),
    /// Sends the gate's request twice.
    ReplaySame,
    /// Reuses an accepted request's nonce with another timestamp.
    ReplayNonce,
    /// Signs with a shifted timestamp.
    Time(TimeShift),
    /// Bisects the accepted timestamp window.
    Window,
    /// Sends a malformed request.
    Malformed(Malformation),
    /// PLAINTEXT over http://.
    Downgrade,
    /// A step of the §2 flow.
    Flow(FlowStep),
}

/// Each row's step, by id (the rows whose table entry names a `mutation` are
/// [`Step::Mutated`] and are not listed).
pub const STEPS: &[(&str, Step)] = &[
    ("valid-gate", Step::Valid(Variant::Gate)),
    ("valid-method-hmac-sha1", Step::Valid(Variant::Method("HMAC-SHA1"))),
    ("valid-method-hmac-sha256", Step::Valid(Variant::Method("HMAC-SHA256"))),
    ("valid-method-hmac-sha512", Step::Valid(Variant::Method("HMAC-SHA512"))),
    ("valid-method-rsa-sha1", Step::Valid(Variant::Method("RSA-SHA1"))),
    ("valid-method-rsa-sha256", Step::Valid(Variant::Method("RSA-SHA256"))),
    ("valid-method-rsa-sha512", Step::Valid(Variant::Method("RSA-SHA512"))),
    ("valid-method-plaintext", Step::Valid(Variant::Method("PLAINTEXT"))),
    ("valid-protocol-parameters-in-query", Step::Valid(Variant::QueryLocation)),
    ("valid-extra-query-parameter", Step::Valid(Variant::ExtraQuery)),
    ("valid-repeated-names", Step::Valid(Variant::RepeatedNames)),
    ("valid-empty-value", Step::Valid(Variant::EmptyValue)),
    ("valid-plus-as-space", Step::Valid(Variant::PlusSpace)),
    ("valid-percent20-space", Step::Valid(Variant::Percent20Space)),
    ("valid-encoded-slash", Step::Valid(Variant::EncodedSlash)),
    ("valid-non-ascii", Step::Valid(Variant::NonAscii)),
    ("valid-reserved-characters", Step::Valid(Variant::Reserved)),
    ("valid-realm", Step::Valid(Variant::Realm)),
    ("valid-no-oauth-version", Step::Valid(Variant::NoVersion)),
    ("valid-form-body", Step::Valid(Variant::FormBody)),
    ("valid-form-body-and-query", Step::Valid(Variant::FormBodyAndQuery)),
    ("valid-protocol-parameters-in-body", Step::Valid(Variant::BodyLocation)),
    ("valid-json-body-unsigned", Step::Valid(Variant::JsonBody)),
    ("valid-json-body-with-body-hash", Step::Valid(Variant::BodyHash)),
    ("replay-same-request", Step::ReplaySame),
    ("replay-same-nonce-new-timestamp", Step::ReplayNonce),
    ("time-future-24h", Step::Time(TimeShift::Future24h)),
    ("time-milliseconds", Step::Time(TimeShift::Milliseconds)),
    ("time-window", Step::Window),
    ("malformed-header-unquoted-value", Step::Malformed(Malformation::UnquotedValue)),
    ("malformed-header-missing-comma", Step::Malformed(Malformation::MissingComma)),
    ("malformed-header-no-space-after-scheme", Step::Malformed(Malformation::NoSpaceAfterScheme)),
    ("malformed-header-missing-closing-quote", Step::Malformed(Malformation::MissingClosingQuote)),
    ("malformed-header-ampersand-separated", Step::Malformed(Malformation::AmpersandSeparated)),
    ("malformed-header-duplicate-parameter", Step::Malformed(Malformation::DuplicateParameter)),
    ("malformed-protocol-parameters-in-two-locations", Step::Malformed(Malformation::TwoLocations)),
    ("malformed-missing-signature", Step::Malformed(Malformation::MissingSignature)),
    ("malformed-missing-consumer-key", Step::Malformed(Malformation::MissingConsumerKey)),
    ("malformed-missing-signature-method", Step::Malformed(Malformation::MissingSignatureMethod)),
    ("malformed-missing-nonce", Step::Malformed(Malformation::MissingNonce)),
    ("malformed-missing-timestamp", Step::Malformed(Malformation::MissingTimestamp)),
    ("malformed-unknown-version", Step::Malformed(Malformation::UnknownVersion)),
    ("malformed-unsupported-signature-method", Step::Malformed(Malformation::UnsupportedMethod)),
    ("downgrade-plaintext-over-http", Step::Downgrade),
    ("flow-callback-confirmed", Step::Flow(FlowStep::CallbackConfirmed)),
    ("flow-initiate-without-callback", Step::Flow(FlowStep::WithoutCallback)),
    ("flow-token-wrong-verifier", Step::Flow(FlowStep::WrongVerifier)),
    ("flow-token-request", Step::Flow(FlowStep::TokenRequest)),
];

impl CaseRow {
    /// The step this row runs.
    ///
    /// # Errors
    /// When the row names an unknown mutation or has no step (a test keeps every row mapped).
    pub fn step(&self) -> Result<Step, super::Error> {
        if let Some(id) = &self.mutation {
            return Mutation::ALL
                .iter()
                .find(|m| m.id() == id)
                .map(|m| Step::Mutated(*m))
                .ok_or_else(|| super::Error::UnknownMutation { case: self.id.clone(), mutation: id.clone() });
        }
        STEPS
            .iter()
            .find(|(id, _)| *id == self.id)
            .map(|(_, step)| *step)
            .ok_or_else(|| super::Error::NoStep(self.id.clone()))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn every_row_has_one_step_and_every_step_one_row() {
        let rows = table().unwrap();
        let ids: BTreeSet<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids.len(), rows.len(), "ids are unique");
        for row in rows {
            row.step().unwrap();
            assert!(row.id.starts_with(row.family.name()), "{} is named after its family", row.id);
            assert!(!(row.may_refuse && row.expected != Expected::Accept), "{}: may_refuse on an accept row", row.id);
            assert!(!(row.may_accept && row.expected != Expected::Refuse), "{}: may_accept on a refuse row", row.id);
        }
        for (id, _) in STEPS {
            assert!(ids.contains(id), "step {id} has no row");
        }
        let listed: BTreeSet<&str> = STEPS.iter().map(|(id, _)| *id).collect();
        assert_eq!(listed.len(), STEPS.len());
    }

    #[test]
    fn a_control_runs_before_the_rows_that_lean_on_it() {
        let rows = table().unwrap();
        for (index, row) in rows.iter().enumerate() {
            if let Some(control) = &row.control {
                let at = rows.iter().position(|r| &r.id == control);
                assert!(at.is_some_and(|at| at < index), "{}: control {control} is not before it", row.id);
            }
        }
    }

    #[test]
    fn every_family_has_rows_and_the_tampered_family_is_the_mutation_list() {
        let rows = table().unwrap();
        for family in Family::ALL {
            assert!(rows.iter().any(|r| r.family == family), "{family:?}");
            assert_eq!(Family::from_name(family.name()), Some(family));
        }
        // The tampered family applies the shared mutation list: every mutation but the two
        // the time and malformed families use.
        let tampered: BTreeSet<&str> =
            rows.iter().filter(|r| r.family == Family::Tampered).filter_map(|r| r.mutation.as_deref()).collect();
        let all: BTreeSet<&str> = Mutation::ALL
            .iter()
            .filter(|m| !matches!(m, Mutation::StaleTimestamp | Mutation::DuplicatedProtocolParameter))
            .map(|m| m.id())
            .collect();
        assert_eq!(tampered, all);
    }
}
