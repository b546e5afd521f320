//! The one shape every signer's answer takes: the stages of RFC 5849 §3.4, each optional
//! because an implementation may expose only some of them.

use serde::{Deserialize, Serialize};

/// A stage of the signing pipeline, in pipeline order. Comparison reports the first stage
/// that differs, since every later stage inherits the difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// `oauth_body_hash` (draft-eaton-oauth-bodyhash).
    BodyHash,
    /// §3.4.1.3.2.
    NormalizedParameters,
    /// §3.4.1.2.
    BaseStringUri,
    /// §3.4.1.1.
    SignatureBaseString,
    /// §3.4.2–§3.4.4.
    Signature,
    /// §3.5.1.
    AuthorizationHeader,
}

impl Stage {
    /// Every stage in pipeline order.
    pub const ALL: [Self; 6] = [
        Self::BodyHash,
        Self::NormalizedParameters,
        Self::BaseStringUri,
        Self::SignatureBaseString,
        Self::Signature,
        Self::AuthorizationHeader,
    ];

    /// The field name used in vectors, traces and reports.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::BodyHash => "body_hash",
            Self::NormalizedParameters => "normalized_parameters",
            Self::BaseStringUri => "base_string_uri",
            Self::SignatureBaseString => "signature_base_string",
            Self::Signature => "signature",
            Self::AuthorizationHeader => "authorization_header",
        }
    }
}

/// One collected parameter (§3.4.1.3.1) as reported by an implementation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollectedParameter {
    /// Decoded name (lossy UTF-8 where the octets are not UTF-8).
    pub name: String,
    /// Decoded value.
    pub value: String,
    /// `query`, `header` or `body`.
    pub source: String,
}

/// The stages an implementation reported for one signed request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trace {
    /// §3.4.1.3.1, when exposed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collected_parameters: Option<Vec<CollectedParameter>>,
    /// `oauth_body_hash`, when computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_hash: Option<String>,
    /// §3.4.1.3.2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub normalized_parameters: Option<String>,
    /// §3.4.1.2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_string_uri: Option<String>,
    /// §3.4.1.1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature_base_string: Option<String>,
    /// `oauth_signature`, unencoded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    /// §3.5.1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_header: Option<String>,
    /// The `oauth_nonce` it chose itself and sent (`None`: it sent none), from an
    /// implementation that declares `emits_own_nonce_timestamp`; absent from any other.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emitted_nonce: Option<String>,
    /// The `oauth_timestamp` it chose itself and sent, likewise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emitted_timestamp: Option<String>,
}

impl Trace {
    /// The value reported for `stage`, if any.
    #[must_use]
    pub fn stage(&self, stage: Stage) -> Option<&str> {
        match stage {
            Stage::BodyHash => self.body_hash.as_deref(),
            Stage::NormalizedParameters => self.normalized_parameters.as_deref(),
            Stage::BaseStringUri => self.base_string_uri.as_deref(),
            Stage::SignatureBaseString => self.signature_base_string.as_deref(),
            Stage::Signature => self.signature.as_deref(),
            Stage::AuthorizationHeader => self.authorization_header.as_deref(),
        }
    }
}

impl From<oauth1_reference::sign::Trace> for Trace {
    fn from(trace: oauth1_reference::sign::Trace) -> Self {
        let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
        Self {
            collected_parameters: Some(
                trace
                    .collected_parameters
                    .iter()
                    .map(|p| CollectedParameter {
                        name: text(&p.name),
                        value: text(&p.value),
                        source: p.source.name().to_owned(),
                    })
                    .collect(),
            ),
            body_hash: trace.body_hash,
            normalized_parameters: Some(trace.normalized_parameters),
            base_string_uri: Some(trace.base_string_uri),
            signature_base_string: Some(trace.signature_base_string),
            signature: Some(trace.signature),
            authorization_header: Some(trace.authorization_header),
            emitted_nonce: None,
            emitted_timestamp: None,
        }
    }
}
