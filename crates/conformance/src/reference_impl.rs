//! The reference crate as an [`InProcess`] implementation, the yardstick every other one is compared to.

use oauth1_reference::header::parse_authorization_header;
use oauth1_reference::rsa_signature::{RsaPrivateKey, RsaPublicKey};
use oauth1_reference::sign::{sign, Request, Secrets};
use oauth1_reference::signature::SignatureMethod;
use oauth1_reference::verify::{Credentials, InMemoryNonceStore, IncomingRequest, TimestampWindow, Verifier};

use crate::implementation::{
    Capabilities, HeaderParams, ImplementationInfo, InProcess, Operation, Outcome, SignInput, VerifyInput,
};
use crate::trace::{Stage, Trace};
use oauth1_vectors::VerifyRequest;

/// The header list of a vector's verify request, borrowed.
#[must_use]
pub fn header_pairs(request: &VerifyRequest) -> Vec<(&str, &str)> {
    request.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect()
}

/// A vector's verify request as the reference verifier takes it; `headers` comes from
/// [`header_pairs`].
#[must_use]
pub fn incoming_request<'a>(request: &'a VerifyRequest, headers: &'a [(&'a str, &'a str)]) -> IncomingRequest<'a> {
    IncomingRequest {
        method: &request.method,
        url: &request.url,
        headers,
        content_type: request.content_type.as_deref(),
        body: request.body.as_deref().map(str::as_bytes),
    }
}

/// The reference implementation, in-process.
#[derive(Debug)]
pub struct Reference {
    info: ImplementationInfo,
}

impl Default for Reference {
    fn default() -> Self {
        Self {
            info: ImplementationInfo {
                name: "reference".into(),
                version: env!("CARGO_PKG_VERSION").into(),
                language: "rust".into(),
                capabilities: Capabilities {
                    operations: vec![Operation::Sign, Operation::ParseHeader, Operation::Verify],
                    signature_methods: SignatureMethod::ALL.iter().map(|m| m.name().to_owned()).collect(),
                    stages: Stage::ALL.to_vec(),
                    can_omit_version: true,
                    body_hash: true,
                    reports_rejection_reasons: true,
                    emits_own_nonce_timestamp: false,
                    limits: crate::limits::InputLimits::default(),
                    notes: None,
                },
            },
        }
    }
}

fn rejected<T>(reason: Option<&str>, message: &impl ToString) -> Outcome<T> {
    Outcome::Rejected { reason: reason.map(str::to_owned), message: message.to_string() }
}

impl InProcess for Reference {
    fn info(&self) -> &ImplementationInfo {
        &self.info
    }

    fn sign(&mut self, input: &SignInput<'_>) -> Outcome<Trace> {
        let oauth = input.oauth;
        let method = match SignatureMethod::from_name(&oauth.signature_method) {
            Ok(method) => method,
            Err(e) => return rejected(Some("unsupported_signature_method"), &e),
        };
        let private_key = match (method.rsa_hash(), input.secrets.rsa_private_key_pem.as_deref()) {
            (Some(_), Some(pem)) => match RsaPrivateKey::from_pem(pem) {
                Ok(key) => Some(key),
                Err(e) => return rejected(None, &format!("RSA private key: {e}")),
            },
            _ => None,
        };
        let extra: Vec<(&str, &str)> = oauth.extra.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let request = Request {
            method: &input.request.method,
            url: &input.request.url,
            content_type: input.request.content_type.as_deref(),
            body: input.request.body.as_deref().map(str::as_bytes),
        };
        let params = oauth.reference_parameters(method, &extra);
        let secrets = Secrets {
            consumer_secret: input.secrets.consumer_secret.as_deref().unwrap_or_default(),
            token_secret: input.secrets.token_secret.as_deref().unwrap_or_default(),
            rsa_private_key: private_key.as_ref(),
        };
        match sign(&request, &params, &secrets) {
            Ok(trace) => Outcome::Answer(trace.into()),
            Err(e) => rejected(None, &e),
        }
    }

    fn parse_header(&mut self, header: &str) -> Outcome<HeaderParams> {
        match parse_authorization_header(header.as_bytes()) {
            Ok(params) => Outcome::Answer(
                params
                    .into_iter()
                    .map(|p| {
                        (String::from_utf8_lossy(&p.name).into_owned(), String::from_utf8_lossy(&p.value).into_owned())
                    })
                    .collect(),
            ),
            Err(e) => rejected(Some("malformed_header"), &e),
        }
    }

    fn verify(&mut self, input: &VerifyInput<'_>) -> Outcome<()> {
        let public_key = match input.secrets.rsa_public_key_pem.as_deref().map(RsaPublicKey::from_pem) {
            Some(Ok(key)) => Some(key),
            Some(Err(e)) => return Outcome::Error(format!("the case's RSA public key does not load: {e}")),
            None => None,
        };
        let headers = header_pairs(input.request);
        let request = incoming_request(input.request, &headers);
        let credentials = Credentials {
            consumer_secret: input.secrets.consumer_secret.as_deref().unwrap_or_default(),
            token_secret: input.secrets.token_secret.as_deref().unwrap_or_default(),
            rsa_public_key: public_key.as_ref(),
        };
        // Each case starts with an empty nonce store and the documented default window.
        let mut verifier = Verifier::new(TimestampWindow::default(), InMemoryNonceStore::default());
        match verifier.verify(&request, &credentials, input.now) {
            Ok(_) => Outcome::Answer(()),
            Err(rejection) => rejected(Some(rejection.reason()), &rejection),
        }
    }
}

/// The reference with quirks switched on (`--impl reference+QUIRK[+QUIRK…]`): the quirk
/// pipeline as an implementation row, which is how a quirk is shown to be detectable and
/// attributed to itself alone (the catalogue's round trip).
#[derive(Debug)]
pub struct QuirkedReference {
    info: ImplementationInfo,
    quirks: crate::quirks::QuirkSet,
}

impl QuirkedReference {
    /// The reference signing with `quirks` (parsing and verifying as the reference does).
    #[must_use]
    pub fn new(quirks: &[crate::quirks::Quirk]) -> Self {
        let mut info = Reference::default().info;
        info.name = std::iter::once("reference").chain(quirks.iter().map(|q| q.id())).collect::<Vec<_>>().join("+");
        Self { info, quirks: crate::quirks::QuirkSet::of(quirks) }
    }

    /// The row `reference+a+b` names: the reference with quirks `a` and `b`.
    #[must_use]
    pub fn named(name: &str) -> Option<Self> {
        let mut parts = name.split('+');
        if parts.next() != Some("reference") {
            return None;
        }
        let quirks: Option<Vec<crate::quirks::Quirk>> = parts.map(crate::quirks::Quirk::from_id).collect();
        quirks.filter(|q| !q.is_empty()).map(|q| Self::new(&q))
    }
}

impl InProcess for QuirkedReference {
    fn info(&self) -> &ImplementationInfo {
        &self.info
    }

    fn sign(&mut self, input: &SignInput<'_>) -> Outcome<Trace> {
        match crate::quirks::sign_with_quirks(input, &self.quirks) {
            Ok(trace) => Outcome::Answer(trace),
            Err(message) => rejected(None, &message),
        }
    }

    fn parse_header(&mut self, header: &str) -> Outcome<HeaderParams> {
        Reference::default().parse_header(header)
    }

    fn verify(&mut self, input: &VerifyInput<'_>) -> Outcome<()> {
        Reference::default().verify(input)
    }
}
