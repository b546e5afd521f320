//! Generated verify cases: the reference signs a generated request, sends it in one of the
//! three locations of §3.5, and leaves it intact or applies one [`Mutation`]; the expected
//! verdict is the RFC's (accept the intact request, refuse a mutated one for the mutation's
//! reason).

use proptest::prelude::*;

use oauth1_vectors::{
    Case, CaseBody, Expectation, OAuthParams, SignSecrets, VerifyCase, VerifyExpected, VerifySecrets,
};

use super::request::{sign_inputs, GeneratedInput, GENERATOR_RSA_PUBLIC_KEY};
use crate::case::{CaseSource, GeneratedKind, PlannedCase};
use crate::implementation::{Capabilities, InProcess, Outcome};
use crate::mutation::{Location, Mutation, SignedFrom, SignedRequest};
use crate::reference_impl::Reference;

/// A drawn verify case: a signing input, where the protocol parameters travel, and the
/// mutation (none: the request arrives as signed).
#[derive(Debug, Clone)]
pub struct GeneratedVerify {
    /// The request and what it is signed with.
    pub input: GeneratedInput,
    /// Where the protocol parameters travel.
    pub location: Location,
    /// What is changed after signing.
    pub mutation: Option<Mutation>,
}

/// How long after the request's timestamp the verifier's clock reads: inside any window.
const CLOCK_AFTER_TIMESTAMP: u64 = 30;

/// The credentials real servers hand out and their clients send: 24-character keys, tokens and
/// nonces (libraries such as oauthlib refuse shorter ones by policy), next to the RFC's own
/// short examples, which the sign generator already draws.
const REALISTIC_KEY: &str = "q8Zk2xR7mT4pLw9nB3vY6cHd";
const REALISTIC_TOKEN: &str = "Jf5sN1gK8uE3aQ7zW2rX9tVb";
const REALISTIC_NONCE: &str = "a7F3kP9xQ2mZ8wL4nR6tY1vB";

/// Verify inputs for an implementation with `capabilities`: the signing inputs of its
/// signature methods, a location, and no mutation a third of the time, else one of them.
pub fn verify_inputs(capabilities: &Capabilities) -> BoxedStrategy<GeneratedVerify> {
    // The verifier receives what any client may send: everything the reference signs, within
    // the methods the verifier implements.
    let signer = Capabilities {
        can_omit_version: true,
        body_hash: true,
        limits: crate::limits::InputLimits::default(),
        ..capabilities.clone()
    };
    let mutation = prop_oneof![
        1 => Just(None),
        2 => proptest::sample::select(Mutation::ALL).prop_map(Some),
    ];
    // A request the reference refuses to sign has no signed form to verify.
    let signable = sign_inputs(&signer).prop_filter("the reference signs it", |input| {
        matches!(Reference::default().sign(&input.as_input()), Outcome::Answer(_))
    });
    (signable, proptest::sample::select(&Location::ALL[..]), mutation, any::<bool>())
        .prop_map(|(mut input, location, mutation, realistic)| {
            if realistic {
                input.oauth.consumer_key = REALISTIC_KEY.into();
                input.oauth.nonce = Some(REALISTIC_NONCE.into());
                if input.oauth.token.is_some() {
                    input.oauth.token = Some(REALISTIC_TOKEN.into());
                }
            }
            GeneratedVerify { input, location, mutation }
        })
        .boxed()
}

impl GeneratedVerify {
    /// The case: signed by the reference in its location (in the header when the location is
    /// the body and the request has no form body, §3.5.2), mutated when a mutation applies to
    /// it (else sent intact).
    ///
    /// # Errors
    ///
    /// The reference does not sign it (a generator bug).
    pub fn into_case(self, seed: u64) -> Result<PlannedCase, super::Error> {
        let GeneratedVerify { input, location, mutation } = self;
        let GeneratedInput { request, oauth, secrets } = &input;
        let now = oauth.timestamp.as_deref().and_then(|t| t.parse::<u64>().ok()).unwrap_or(0) + CLOCK_AFTER_TIMESTAMP;
        let signed = SignedRequest::sign(request, oauth, secrets, location)
            .or_else(|_| SignedRequest::sign(request, oauth, secrets, Location::Header))
            .map_err(|source| super::Error::Unsigned { seed, source })?;
        let from = SignedFrom { request, oauth, secrets, now };
        let applied = mutation.and_then(|m| m.apply(&signed, &from).map(|mutated| (m, mutated)));
        let (result, expected, sent, what) = match applied {
            Some((m, mutated)) => (
                Expectation::Invalid,
                Some(VerifyExpected { reason: m.expected_reason() }),
                mutated,
                format!("then {} ({}), so a verifier must refuse it", m.id(), m.rfc()),
            ),
            None => (
                Expectation::Valid,
                None,
                signed,
                "and sent intact, so a verifier must accept it (RFC 5849 §3.2)".into(),
            ),
        };
        let description = format!(
            "A generated request signed by the reference with its protocol parameters in the {}{}.",
            sent.location.name(),
            applied_description(mutation, result)
        );
        let case = Case {
            id: GeneratedKind::Verify.case_id(seed),
            description,
            provenance: format!(
                "Generated by oauth1-conformance {} (case seed {seed}): signed by the reference {what}.",
                env!("CARGO_PKG_VERSION")
            ),
            flags: Vec::new(),
            result,
            body: CaseBody::Verify(VerifyCase {
                request: sent.transmit(),
                secrets: verifier_secrets(secrets, oauth),
                now,
                expected,
            }),
        };
        Ok(PlannedCase { case, source: CaseSource::Generated, seed: Some(seed) })
    }
}

fn applied_description(mutation: Option<Mutation>, result: Expectation) -> String {
    match (mutation, result) {
        (Some(m), Expectation::Invalid) => format!("; {}", m.description().trim_end_matches('.')),
        _ => String::new(),
    }
}

/// What the server knows of the client's secrets: the shared secrets, or the public half of
/// the generator's RSA key.
fn verifier_secrets(secrets: &SignSecrets, oauth: &OAuthParams) -> VerifySecrets {
    let rsa = oauth.signature_method.starts_with("RSA-");
    VerifySecrets {
        consumer_secret: secrets.consumer_secret.clone(),
        token_secret: secrets.token_secret.clone(),
        rsa_public_key_pem: rsa.then(|| GENERATOR_RSA_PUBLIC_KEY.to_owned()),
        rsa_private_key_pem: secrets.rsa_private_key_pem.clone(),
    }
}
