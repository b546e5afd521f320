//! The in-memory model of an `oauth1-vectors/v1` file.

use oauth1_reference::sign::OAuthParameters;
use oauth1_reference::signature::SignatureMethod;
use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

use crate::serde_helpers::{ordered_map, pairs};

/// The only value accepted in a file's `format` field.
pub const FORMAT: &str = "oauth1-vectors/v1";

/// One vector file: a description, a table of flags and a list of cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VectorFile {
    /// Always [`FORMAT`] for a file that loaded successfully.
    pub format: String,
    /// What the file covers.
    pub description: String,
    /// Flag name to its meaning, in file order. Names are unique.
    #[serde(with = "ordered_map")]
    pub flags: Vec<(String, String)>,
    /// The cases, in file order.
    pub cases: Vec<Case>,
}

impl VectorFile {
    /// The meaning of the flag `name`, if the file declares it.
    #[must_use]
    pub fn flag(&self, name: &str) -> Option<&str> {
        self.flags.iter().find(|(n, _)| n == name).map(|(_, meaning)| meaning.as_str())
    }
}

/// The verdict a case expects from the implementation under test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Expectation {
    /// The input is conforming; the implementation must produce the expected output.
    Valid,
    /// The input is non-conforming; the implementation must reject it.
    Invalid,
    /// The RFC leaves room: either behaviour is accepted; the case's flags say why.
    Acceptable,
}

/// The kind of a case: which operation it exercises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    /// Compute a signature (and its intermediate stages) for a request.
    Sign,
    /// Parse an `Authorization: OAuth ...` header.
    ParseHeader,
    /// Verify a signed request as a server would.
    Verify,
}

impl CaseKind {
    /// The name used in the `kind` field.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sign => "sign",
            Self::ParseHeader => "parse_header",
            Self::Verify => "verify",
        }
    }
}

/// One test case.
///
/// Serializes to the flat JSON object of the format (the kind-specific fields sit beside
/// `id`, `kind`, ...). Deserialization goes through [`crate::parse_file`], which checks
/// the whole case strictly and reports exact JSON paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// Identifier, unique across the corpus.
    pub id: String,
    /// What the case checks.
    pub description: String,
    /// Where the case comes from (RFC section, erratum, interoperability report, ...).
    pub provenance: String,
    /// Names of flags from the file's `flags` table.
    pub flags: Vec<String>,
    /// The expected verdict.
    pub result: Expectation,
    /// The kind-specific part.
    pub body: CaseBody,
}

impl Case {
    /// The case's kind.
    #[must_use]
    pub fn kind(&self) -> CaseKind {
        self.body.kind()
    }
}

/// The kind-specific part of a case, tagged by `kind` in JSON.
// Cases are few (thousands at most) and matched on often; unboxed variants keep that simple.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseBody {
    /// `"kind": "sign"`.
    Sign(SignCase),
    /// `"kind": "parse_header"`.
    ParseHeader(ParseHeaderCase),
    /// `"kind": "verify"`.
    Verify(VerifyCase),
}

impl CaseBody {
    /// The kind this body belongs to.
    #[must_use]
    pub fn kind(&self) -> CaseKind {
        match self {
            Self::Sign(_) => CaseKind::Sign,
            Self::ParseHeader(_) => CaseKind::ParseHeader,
            Self::Verify(_) => CaseKind::Verify,
        }
    }
}

impl Serialize for Case {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let kind_fields = match &self.body {
            CaseBody::Sign(_) => 4,
            CaseBody::ParseHeader(_) => 2,
            CaseBody::Verify(c) => 3 + usize::from(c.expected.is_some()),
        };
        let mut s = serializer.serialize_struct("Case", 6 + kind_fields)?;
        s.serialize_field("id", &self.id)?;
        s.serialize_field("kind", &self.kind())?;
        s.serialize_field("description", &self.description)?;
        s.serialize_field("provenance", &self.provenance)?;
        s.serialize_field("flags", &self.flags)?;
        s.serialize_field("result", &self.result)?;
        match &self.body {
            CaseBody::Sign(c) => {
                s.serialize_field("request", &c.request)?;
                s.serialize_field("oauth", &c.oauth)?;
                s.serialize_field("secrets", &c.secrets)?;
                s.serialize_field("expected", &c.expected)?;
            }
            CaseBody::ParseHeader(c) => {
                s.serialize_field("header", &c.header)?;
                s.serialize_field("expected", &c.expected)?;
            }
            CaseBody::Verify(c) => {
                s.serialize_field("request", &c.request)?;
                s.serialize_field("secrets", &c.secrets)?;
                s.serialize_field("now", &c.now)?;
                if let Some(expected) = &c.expected {
                    s.serialize_field("expected", expected)?;
                }
            }
        }
        s.end()
    }
}

/// A `sign` case: compute the signature stages for a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignCase {
    /// The request to sign.
    pub request: SignRequest,
    /// The protocol parameters to sign with.
    pub oauth: OAuthParams,
    /// The client's secrets.
    pub secrets: SignSecrets,
    /// The expected stages; at least one is present.
    pub expected: SignExpected,
}

/// The HTTP request of a `sign` case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignRequest {
    /// HTTP method, exactly as the client would send it.
    pub method: String,
    /// Absolute request URL, including any query.
    pub url: String,
    /// `Content-Type` of the body, or `null` for none.
    #[serde(default)]
    pub content_type: Option<String>,
    /// Request entity-body, or `null` for none.
    #[serde(default)]
    pub body: Option<String>,
}

/// The protocol parameters of a `sign` case. A `null` parameter is left out of the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OAuthParams {
    /// `oauth_consumer_key`.
    pub consumer_key: String,
    /// `oauth_token`.
    #[serde(default)]
    pub token: Option<String>,
    /// `oauth_signature_method`.
    pub signature_method: String,
    /// `oauth_timestamp`.
    #[serde(default)]
    pub timestamp: Option<String>,
    /// `oauth_nonce`.
    #[serde(default)]
    pub nonce: Option<String>,
    /// `oauth_version`.
    #[serde(default)]
    pub version: Option<String>,
    /// The `realm` of the `Authorization` header.
    #[serde(default)]
    pub realm: Option<String>,
    /// Further protocol parameters (name to value) in insertion order; names are unique.
    #[serde(with = "ordered_map")]
    pub extra: Vec<(String, String)>,
    /// Whether to add `oauth_body_hash` (OAuth Request Body Hash extension).
    #[serde(default, skip_serializing_if = "is_false")]
    pub compute_body_hash: bool,
}

impl OAuthParams {
    /// These parameters as the reference signer takes them (`method` parsed from
    /// `signature_method` by the caller); `extra` is [`OAuthParams::extra`] borrowed as pairs of `&str`.
    #[must_use]
    pub fn reference_parameters<'a>(
        &'a self,
        method: SignatureMethod,
        extra: &'a [(&'a str, &'a str)],
    ) -> OAuthParameters<'a> {
        OAuthParameters {
            consumer_key: &self.consumer_key,
            token: self.token.as_deref(),
            signature_method: method,
            timestamp: self.timestamp.as_deref(),
            nonce: self.nonce.as_deref(),
            version: self.version.as_deref(),
            realm: self.realm.as_deref(),
            extra,
            compute_body_hash: self.compute_body_hash,
        }
    }
}

// serde's `skip_serializing_if` passes a reference.
#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_false(b: &bool) -> bool {
    !*b
}

/// The client's secrets in a `sign` case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignSecrets {
    /// Consumer secret (`null`: none).
    #[serde(default)]
    pub consumer_secret: Option<String>,
    /// Token secret (`null`: none).
    #[serde(default)]
    pub token_secret: Option<String>,
    /// PEM private key for `RSA-SHA1`.
    #[serde(default)]
    pub rsa_private_key_pem: Option<String>,
}

/// The stages a `sign` case checks; an absent stage is not checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignExpected {
    /// Normalized request parameters (RFC 5849 section 3.4.1.3.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub normalized_parameters: Option<String>,
    /// Base string URI (section 3.4.1.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_string_uri: Option<String>,
    /// Signature base string (section 3.4.1.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature_base_string: Option<String>,
    /// `oauth_signature`, unencoded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    /// The full `Authorization` header value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_header: Option<String>,
    /// `oauth_body_hash`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_hash: Option<String>,
}

impl SignExpected {
    /// The names of the JSON fields that are stages.
    pub const STAGES: [&'static str; 6] = [
        "normalized_parameters",
        "base_string_uri",
        "signature_base_string",
        "signature",
        "authorization_header",
        "body_hash",
    ];

    /// Whether at least one stage is present.
    #[must_use]
    pub fn has_any_stage(&self) -> bool {
        [
            &self.normalized_parameters,
            &self.base_string_uri,
            &self.signature_base_string,
            &self.signature,
            &self.authorization_header,
            &self.body_hash,
        ]
        .iter()
        .any(|stage| stage.is_some())
    }
}

/// A `parse_header` case: parse an `Authorization` header value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseHeaderCase {
    /// The header value.
    pub header: String,
    /// The expected parse.
    pub expected: ParseHeaderExpected,
}

/// The expected outcome of a `parse_header` case.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParseHeaderExpected {
    /// The parameters, decoded, in header order (`realm` included if present).
    /// Present for every `valid` case; usually absent for `invalid` ones.
    #[serde(default, with = "pairs::option", skip_serializing_if = "Option::is_none")]
    pub params: Option<Vec<(String, String)>>,
}

/// A `verify` case: a server checks a signed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyCase {
    /// The request as received.
    pub request: VerifyRequest,
    /// The server's copy of the secrets.
    pub secrets: VerifySecrets,
    /// The server's clock, Unix seconds.
    pub now: u64,
    /// For rejected requests, why.
    pub expected: Option<VerifyExpected>,
}

/// The HTTP request of a `verify` case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifyRequest {
    /// HTTP method.
    pub method: String,
    /// Absolute request URL, including any query.
    pub url: String,
    /// `Content-Type` of the body, or `null` for none.
    #[serde(default)]
    pub content_type: Option<String>,
    /// Request entity-body, or `null` for none.
    #[serde(default)]
    pub body: Option<String>,
    /// Header fields as `[name, value]` pairs, in order; names may repeat.
    #[serde(with = "pairs")]
    pub headers: Vec<(String, String)>,
}

/// The server's secrets in a `verify` case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifySecrets {
    /// Consumer secret (`null`: none).
    #[serde(default)]
    pub consumer_secret: Option<String>,
    /// Token secret (`null`: none).
    #[serde(default)]
    pub token_secret: Option<String>,
    /// PEM public key for `RSA-SHA1`.
    #[serde(default)]
    pub rsa_public_key_pem: Option<String>,
    /// PEM private key the request was signed with, kept for regenerating the case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rsa_private_key_pem: Option<String>,
}

/// What a `verify` case expects when the request is rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifyExpected {
    /// The reason for rejection.
    pub reason: RejectReason,
}

/// Why a server rejects a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    /// The signature does not match.
    SignatureMismatch,
    /// A required protocol parameter is missing.
    MissingParameter,
    /// A protocol parameter appears twice.
    DuplicateParameter,
    /// Protocol parameters are sent in more than one location.
    ParameterInMultipleLocations,
    /// `oauth_version` is present and not `1.0`.
    UnsupportedVersion,
    /// `oauth_signature_method` is not supported.
    UnsupportedSignatureMethod,
    /// `oauth_timestamp` is outside the accepted window.
    TimestampOutOfWindow,
    /// The nonce was used before.
    NonceReplayed,
    /// The `Authorization` header cannot be parsed.
    MalformedHeader,
    /// `oauth_body_hash` does not match the body.
    BodyHashMismatch,
    /// The request is malformed in another way.
    MalformedRequest,
}

impl RejectReason {
    /// Every reason, in declaration order.
    pub const ALL: [Self; 11] = [
        Self::SignatureMismatch,
        Self::MissingParameter,
        Self::DuplicateParameter,
        Self::ParameterInMultipleLocations,
        Self::UnsupportedVersion,
        Self::UnsupportedSignatureMethod,
        Self::TimestampOutOfWindow,
        Self::NonceReplayed,
        Self::MalformedHeader,
        Self::BodyHashMismatch,
        Self::MalformedRequest,
    ];

    /// The name used in JSON.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignatureMismatch => "signature_mismatch",
            Self::MissingParameter => "missing_parameter",
            Self::DuplicateParameter => "duplicate_parameter",
            Self::ParameterInMultipleLocations => "parameter_in_multiple_locations",
            Self::UnsupportedVersion => "unsupported_version",
            Self::UnsupportedSignatureMethod => "unsupported_signature_method",
            Self::TimestampOutOfWindow => "timestamp_out_of_window",
            Self::NonceReplayed => "nonce_replayed",
            Self::MalformedHeader => "malformed_header",
            Self::BodyHashMismatch => "body_hash_mismatch",
            Self::MalformedRequest => "malformed_request",
        }
    }
}
