//! The request shapes the benchmarks sign, the inputs of the reference and of every crate, the
//! floor, and the checks that every benchmarked function still gives its expected output.
//!
//! The request shapes are `rfc5849-3.4.1` (the corpus case `rfc5849-3.4.1-hmac-sha1`) and the
//! cases of `benches/shapes.json`, whose expected stages oauthlib computed (`benches/shapes.py`).
//! The reference is checked against those expected values, each crate against its own output
//! recorded in `benches/expected/peers.json` (most crates are wrong on these requests; the
//! benchmarks measure them as their users run them).

use std::collections::BTreeMap;
use std::path::PathBuf;

use hmac::{Hmac, Mac};
use oauth1_conformance::implementation::{InProcess, Outcome, SignInput};
use oauth1_conformance::judge::judged_oauth;
use oauth1_conformance::peers;
use oauth1_reference::header::parse_authorization_header;
use oauth1_reference::rsa_signature::RsaPrivateKey;
use oauth1_reference::sign::{authorization_header, signature, OAuthParameters, Request, Secrets};
use oauth1_reference::signature::{signing_key, SignatureMethod};
use oauth1_vectors::{CaseBody, Corpus, SignCase};

/// The benchmark groups of request shapes, in report order, and the case each one signs.
pub const SHAPES: [(&str, &str); 5] = [
    ("tiny", "tiny"),
    ("rfc5849-3.4.1", "rfc5849-3.4.1-hmac-sha1"),
    ("typical", "typical"),
    ("large-form", "large-form"),
    ("unicode", "unicode"),
];

/// The `method/<METHOD>` groups: the §3.4.1 request under each signature method.
pub const METHODS: [(&str, &str); 6] = [
    ("HMAC-SHA1", "rfc5849-3.4.1-hmac-sha1"),
    ("HMAC-SHA256", "rfc5849-3.4.1-hmac-sha256"),
    ("HMAC-SHA512", "rfc5849-3.4.1-hmac-sha512"),
    ("PLAINTEXT", "rfc5849-3.4.1-plaintext"),
    ("RSA-SHA1", "rfc5849-3.4.1-rsa-sha1"),
    ("RSA-SHA256", "rfc5849-3.4.1-rsa-sha256"),
];

/// The verify case whose Authorization header the parsing and verification benchmarks use.
pub const VERIFY_CASE: &str = "rfc5849-3.4.1-verify";

fn benches_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The corpus of RFC 5849 cases and the benchmark's own shapes.
#[must_use]
pub fn load_corpus() -> Corpus {
    let paths = [benches_dir().join("../vectors/rfc5849.json"), benches_dir().join("shapes.json")];
    oauth1_vectors::load_paths(&paths).unwrap_or_else(|errors| panic!("the benchmark's cases do not load: {errors:?}"))
}

/// The sign case `id` of `corpus`.
#[must_use]
pub fn sign_case<'a>(corpus: &'a Corpus, id: &str) -> &'a SignCase {
    match corpus.find_case(id).map(|(_, case)| &case.body) {
        Some(CaseBody::Sign(case)) => case,
        _ => panic!("no sign case {id}"),
    }
}

/// The floor of a shape: HMAC-SHA1 alone over the case's already-built base string, keyed
/// afresh on every call exactly as a signer must be. No signer of the request can do less.
pub struct Floor {
    key: String,
    base_string: String,
}

impl Floor {
    /// The floor of `case`, from its secrets and its expected base string.
    #[must_use]
    pub fn of(case: &SignCase) -> Self {
        let secret = |secret: &Option<String>| secret.clone().unwrap_or_default();
        let key = signing_key(&secret(&case.secrets.consumer_secret), &secret(&case.secrets.token_secret));
        let base_string = case.expected.signature_base_string.clone().expect("an expected base string");
        Self { key, base_string }
    }

    /// One HMAC-SHA1 of the base string, the key set up from scratch.
    #[must_use]
    pub fn run(&self) -> [u8; 20] {
        let key = std::hint::black_box(self.key.as_bytes());
        let mut mac = Hmac::<sha1::Sha1>::new_from_slice(key).expect("HMAC takes any key length");
        mac.update(std::hint::black_box(self.base_string.as_bytes()));
        mac.finalize().into_bytes().into()
    }
}

/// A sign case in the reference's borrowed types; the RSA key, if any, parsed once.
pub struct ReferenceInput<'a> {
    /// The request.
    pub request: Request<'a>,
    method: SignatureMethod,
    extra: Vec<(&'a str, &'a str)>,
    rsa_key: Option<RsaPrivateKey>,
    case: &'a SignCase,
}

impl<'a> ReferenceInput<'a> {
    /// The inputs of `case`.
    #[must_use]
    pub fn new(case: &'a SignCase) -> Self {
        let pem = case.secrets.rsa_private_key_pem.as_deref();
        Self {
            request: Request {
                method: &case.request.method,
                url: &case.request.url,
                content_type: case.request.content_type.as_deref(),
                body: case.request.body.as_deref().map(str::as_bytes),
            },
            method: SignatureMethod::from_name(&case.oauth.signature_method).expect("a supported method"),
            extra: case.oauth.extra.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect(),
            rsa_key: pem.map(|pem| RsaPrivateKey::from_pem(pem).expect("the case's RSA key loads")),
            case,
        }
    }

    /// The case's signature method.
    #[must_use]
    pub fn method(&self) -> SignatureMethod {
        self.method
    }

    /// The protocol parameters.
    #[must_use]
    pub fn oauth(&self) -> OAuthParameters<'_> {
        let oauth = &self.case.oauth;
        OAuthParameters {
            consumer_key: &oauth.consumer_key,
            token: oauth.token.as_deref(),
            signature_method: self.method,
            timestamp: oauth.timestamp.as_deref(),
            nonce: oauth.nonce.as_deref(),
            version: oauth.version.as_deref(),
            realm: oauth.realm.as_deref(),
            extra: &self.extra,
            compute_body_hash: oauth.compute_body_hash,
        }
    }

    /// The secrets.
    #[must_use]
    pub fn secrets(&self) -> Secrets<'_> {
        Secrets {
            consumer_secret: self.case.secrets.consumer_secret.as_deref().unwrap_or_default(),
            token_secret: self.case.secrets.token_secret.as_deref().unwrap_or_default(),
            rsa_private_key: self.rsa_key.as_ref(),
        }
    }

    /// The case's expected `oauth_signature`.
    #[must_use]
    pub fn expected_signature(&self) -> &str {
        self.case.expected.signature.as_deref().expect("the case has an expected signature")
    }

    /// Checks the reference's fast paths once against the case's expected values.
    pub fn check_signature_and_header(&self) {
        let (oauth, secrets) = (self.oauth(), self.secrets());
        let signed = signature(&self.request, &oauth, &secrets).expect("the reference signs the case");
        assert_eq!(Some(&signed.signature_base_string), self.case.expected.signature_base_string.as_ref());
        assert_eq!(signed.signature, self.expected_signature());
        let header = authorization_header(&self.request, &oauth, &secrets).expect("the reference signs the case");
        match &self.case.expected.authorization_header {
            Some(expected) => assert_eq!(&header, expected),
            None => assert_eq!(header_parameter(&header, "oauth_signature"), self.expected_signature()),
        }
    }
}

/// The decoded value of `name` in an Authorization header.
#[must_use]
pub fn header_parameter(header: &str, name: &str) -> String {
    let params = parse_authorization_header(header.as_bytes()).expect("the header parses");
    let param = params.into_iter().find(|p| p.name == name.as_bytes()).expect("the header has the parameter");
    String::from_utf8(param.value).expect("UTF-8")
}

/// What a crate produced for one shape: the figures compared before timing.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeerOutput {
    /// The crate signed; its signature and header.
    Signed {
        /// `oauth_signature`.
        signature: Option<String>,
        /// The Authorization header.
        authorization_header: Option<String>,
    },
    /// A crate that picks its own nonce and timestamp signs differently on every run, so what
    /// is recorded is whether its signature is the reference's for the case with the nonce and
    /// timestamp it sent, as the harness judges it (`emits_own_nonce_timestamp`).
    SignedWithOwnNonceAndTimestamp {
        /// Whether the reference signs the same with that nonce and timestamp.
        signature_agrees_with_reference: bool,
    },
    /// The crate cannot sign the request.
    Refused {
        /// Its message.
        message: String,
    },
}

impl PeerOutput {
    fn of(peer: &dyn InProcess, case: &SignCase, outcome: Outcome<oauth1_conformance::trace::Trace>) -> Self {
        let capabilities = &peer.info().capabilities;
        match outcome {
            Outcome::Answer(trace) if capabilities.emits_own_nonce_timestamp => {
                let oauth = judged_oauth(capabilities, &case.oauth, &trace).into_owned();
                let judged = SignCase { oauth, ..case.clone() };
                let input = ReferenceInput::new(&judged);
                let reference = signature(&input.request, &input.oauth(), &input.secrets()).ok();
                let agrees = reference.is_some_and(|signed| Some(signed.signature) == trace.signature);
                Self::SignedWithOwnNonceAndTimestamp { signature_agrees_with_reference: agrees }
            }
            Outcome::Answer(trace) => {
                Self::Signed { signature: trace.signature, authorization_header: trace.authorization_header }
            }
            Outcome::Rejected { message, .. }
            | Outcome::Unsupported(message)
            | Outcome::Panicked(message)
            | Outcome::Error(message) => Self::Refused { message },
        }
    }
}

/// Each crate's output, by crate name.
pub type PeerOutputs = BTreeMap<String, PeerOutput>;

/// Every crate's output on every shape, as `benches/expected/peers.json` records it.
#[must_use]
pub fn recorded_peer_outputs() -> BTreeMap<String, PeerOutputs> {
    let path = benches_dir().join("expected/peers.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not a recording: {e}", path.display()))
}

/// Every crate's output on every shape now, for `OAUTH1_BENCH_RECORD_PEERS`.
#[must_use]
pub fn record_peers(corpus: &Corpus) -> BTreeMap<String, PeerOutputs> {
    SHAPES
        .iter()
        .map(|&(group, case_id)| {
            let case = sign_case(corpus, case_id);
            let input = SignInput { request: &case.request, oauth: &case.oauth, secrets: &case.secrets };
            let outputs = peers::names()
                .into_iter()
                .map(|name| {
                    let mut peer = peers::in_process_by_name(name).expect("a listed peer");
                    let outcome = peer.sign(&input);
                    (name.to_owned(), PeerOutput::of(peer.as_ref(), case, outcome))
                })
                .collect();
            (group.to_owned(), outputs)
        })
        .collect()
}

/// The crates that sign `case` (shape `group`), each checked once against its recorded output;
/// those that refuse the request are left out, as there is nothing of theirs to time.
#[must_use]
pub fn checked_peers(
    group: &str,
    case: &SignCase,
    recorded: Option<&PeerOutputs>,
) -> Vec<(&'static str, Box<dyn InProcess>)> {
    let input = SignInput { request: &case.request, oauth: &case.oauth, secrets: &case.secrets };
    let mut signing = Vec::new();
    for name in peers::names() {
        let mut peer = peers::in_process_by_name(name).expect("a listed peer");
        let expected = recorded.and_then(|outputs| outputs.get(name));
        let outcome = peer.sign(&input);
        let output = PeerOutput::of(peer.as_ref(), case, outcome);
        assert_eq!(Some(&output), expected, "{name} on {group} differs from benches/expected/peers.json");
        if !matches!(output, PeerOutput::Refused { .. }) {
            signing.push((name, peer));
        }
    }
    signing
}
