//! Signing throughput of the reference and of the in-process Rust crates the harness drives,
//! each next to the floor: HMAC-SHA1 alone over the already-built base string, keyed afresh
//! each time exactly as a signer must. Every figure reads as a ratio to the floor of its group.
//!
//! The request shapes are `rfc5849-3.4.1` (the corpus case `rfc5849-3.4.1-hmac-sha1`) and the
//! cases of `benches/shapes.json`, whose expected stages oauthlib computed (`benches/shapes.py`).
//! Every benchmark checks its output once before timing: the reference against those expected
//! values, each crate against its own output recorded in `benches/expected/peers.json` (most
//! crates are wrong on these requests; the benchmark measures them as their users run them).
//! `OAUTH1_BENCH_RECORD_PEERS=FILE` writes that recording instead of benchmarking.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{black_box, BenchmarkGroup, Criterion, Throughput};
use hmac::{Hmac, Mac};
use oauth1_conformance::implementation::{InProcess, Outcome, SignInput};
use oauth1_conformance::peers;
use oauth1_conformance::runner::judged_oauth;
use oauth1_reference::header::parse_authorization_header;
use oauth1_reference::rsa_signature::RsaPrivateKey;
use oauth1_reference::sign::{authorization_header, sign, signature, OAuthParameters, Request, Secrets};
use oauth1_reference::signature::{signing_key, SignatureMethod};
use oauth1_reference::verify::{AnyTimestamp, Credentials, IncomingRequest, NoNonceCheck, Verifier};
use oauth1_vectors::{CaseBody, Corpus, SignCase, VerifyCase};

/// The benchmark groups of request shapes, in report order, and the case each one signs.
const SHAPES: [(&str, &str); 5] = [
    ("tiny", "tiny"),
    ("rfc5849-3.4.1", "rfc5849-3.4.1-hmac-sha1"),
    ("typical", "typical"),
    ("large-form", "large-form"),
    ("unicode", "unicode"),
];

/// The `method/<METHOD>` groups: the §3.4.1 request under each signature method.
const METHODS: [(&str, &str); 6] = [
    ("HMAC-SHA1", "rfc5849-3.4.1-hmac-sha1"),
    ("HMAC-SHA256", "rfc5849-3.4.1/HMAC-SHA256"),
    ("HMAC-SHA512", "rfc5849-3.4.1/HMAC-SHA512"),
    ("PLAINTEXT", "rfc5849-3.4.1/PLAINTEXT"),
    ("RSA-SHA1", "rfc5849-3.4.1/RSA-SHA1"),
    ("RSA-SHA256", "rfc5849-3.4.1/RSA-SHA256"),
];

/// The verify case whose Authorization header the parsing and verification benchmarks use.
const VERIFY_CASE: &str = "rfc5849-3.4.1-verify";

fn main() {
    let corpus = load_corpus();
    if let Some(path) = std::env::var_os("OAUTH1_BENCH_RECORD_PEERS") {
        let recording = serde_json::to_string_pretty(&record_peers(&corpus)).expect("a recording serializes");
        std::fs::write(&path, recording + "\n").unwrap_or_else(|e| panic!("cannot write {path:?}: {e}"));
        return;
    }
    let recorded = recorded_peer_outputs();
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    for (group, case_id) in SHAPES {
        bench_shape(&mut criterion, group, sign_case(&corpus, case_id), recorded.get(group));
    }
    for (method, case_id) in METHODS {
        bench_method(&mut criterion, method, sign_case(&corpus, case_id));
    }
    bench_header_parsing_and_verification(&mut criterion, &corpus);
    criterion.final_summary();
}

fn benches_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load_corpus() -> Corpus {
    let paths = [benches_dir().join("../vectors/rfc5849.json"), benches_dir().join("shapes.json")];
    oauth1_vectors::load_paths(&paths).unwrap_or_else(|errors| panic!("the benchmark's cases do not load: {errors:?}"))
}

fn sign_case<'a>(corpus: &'a Corpus, id: &str) -> &'a SignCase {
    match corpus.find_case(id).map(|(_, case)| &case.body) {
        Some(CaseBody::Sign(case)) => case,
        _ => panic!("no sign case {id}"),
    }
}

/// A sign case in the reference's borrowed types; the RSA key, if any, parsed once.
struct ReferenceInput<'a> {
    request: Request<'a>,
    method: SignatureMethod,
    extra: Vec<(&'a str, &'a str)>,
    rsa_key: Option<RsaPrivateKey>,
    case: &'a SignCase,
}

impl<'a> ReferenceInput<'a> {
    fn new(case: &'a SignCase) -> Self {
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

    fn oauth(&self) -> OAuthParameters<'_> {
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

    fn secrets(&self) -> Secrets<'_> {
        Secrets {
            consumer_secret: self.case.secrets.consumer_secret.as_deref().unwrap_or_default(),
            token_secret: self.case.secrets.token_secret.as_deref().unwrap_or_default(),
            rsa_private_key: self.rsa_key.as_ref(),
        }
    }

    fn expected_signature(&self) -> &str {
        self.case.expected.signature.as_deref().expect("the case has an expected signature")
    }

    /// The reference's fast paths, checked once against the case's expected values.
    fn check_signature_and_header(&self) {
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
fn header_parameter(header: &str, name: &str) -> String {
    let params = parse_authorization_header(header.as_bytes()).expect("the header parses");
    let param = params.into_iter().find(|p| p.name == name.as_bytes()).expect("the header has the parameter");
    String::from_utf8(param.value).expect("UTF-8")
}

fn bench_reference_signature_and_header(
    group: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>,
    input: &ReferenceInput<'_>,
) {
    input.check_signature_and_header();
    let (request, oauth, secrets) = (input.request, input.oauth(), input.secrets());
    group.bench_function("reference/signature", |b| {
        b.iter(|| signature(black_box(&request), black_box(&oauth), black_box(&secrets)));
    });
    group.bench_function("reference/header", |b| {
        b.iter(|| authorization_header(black_box(&request), black_box(&oauth), black_box(&secrets)));
    });
}

fn bench_shape(criterion: &mut Criterion, group_name: &str, case: &SignCase, recorded: Option<&PeerOutputs>) {
    let input = ReferenceInput::new(case);
    let mut group = criterion.benchmark_group(group_name);
    bench_reference_signature_and_header(&mut group, &input);

    let (request, oauth, secrets) = (input.request, input.oauth(), input.secrets());
    let trace = sign(&request, &oauth, &secrets).expect("the reference signs the case");
    assert_eq!(trace.signature, input.expected_signature());
    group.bench_function("reference/trace", |b| {
        b.iter(|| sign(black_box(&request), black_box(&oauth), black_box(&secrets)));
    });

    let sign_input = SignInput { request: &case.request, oauth: &case.oauth, secrets: &case.secrets };
    for name in peers::names() {
        let mut peer = peers::in_process_by_name(name).expect("a listed peer");
        let expected = recorded.and_then(|outputs| outputs.get(name));
        let outcome = peer.sign(&sign_input);
        let output = PeerOutput::of(peer.as_ref(), case, outcome);
        assert_eq!(Some(&output), expected, "{name} on {group_name} differs from benches/expected/peers.json");
        if !matches!(output, PeerOutput::Refused { .. }) {
            group.bench_function(name, |b| b.iter(|| peer.sign(black_box(&sign_input))));
        }
    }

    let key = signing_key(secrets.consumer_secret, secrets.token_secret);
    let base_string = case.expected.signature_base_string.as_deref().expect("an expected base string");
    group.bench_function("floor", |b| {
        b.iter(|| {
            let mut mac = Hmac::<sha1::Sha1>::new_from_slice(black_box(key.as_bytes())).expect("any key length");
            mac.update(black_box(base_string.as_bytes()));
            mac.finalize().into_bytes()
        });
    });
    group.finish();
}

fn bench_method(criterion: &mut Criterion, method: &str, case: &SignCase) {
    let input = ReferenceInput::new(case);
    assert_eq!(input.method.name(), method);
    let mut group = criterion.benchmark_group(format!("method/{method}"));
    bench_reference_signature_and_header(&mut group, &input);
    group.finish();
}

fn bench_header_parsing_and_verification(criterion: &mut Criterion, corpus: &Corpus) {
    let Some(CaseBody::Verify(case)) = corpus.find_case(VERIFY_CASE).map(|(_, case)| &case.body) else {
        panic!("no verify case {VERIFY_CASE}");
    };
    let VerifyCase { request, secrets, now, .. } = case;
    let (_, header) = request.headers.iter().find(|(name, _)| name == "Authorization").expect("a header");

    // The signed request's own protocol parameters, from the sign case of the same request.
    let signed = sign_case(corpus, "rfc5849-3.4.1-hmac-sha1");
    let parsed = parse_authorization_header(header.as_bytes()).expect("the vector's header parses");
    let parsed: BTreeMap<String, String> = parsed
        .into_iter()
        .map(|p| (String::from_utf8_lossy(&p.name).into_owned(), String::from_utf8_lossy(&p.value).into_owned()))
        .collect();
    assert_eq!(parsed.get("oauth_signature"), signed.expected.signature.as_ref());
    assert_eq!(parsed.get("oauth_consumer_key"), Some(&signed.oauth.consumer_key));
    assert_eq!(parsed.get("realm"), signed.oauth.realm.as_ref());
    let mut group = criterion.benchmark_group("parse-header");
    group.throughput(Throughput::Bytes(header.len() as u64));
    group.bench_function("reference", |b| b.iter(|| parse_authorization_header(black_box(header.as_bytes()))));
    group.finish();

    let headers: Vec<(&str, &str)> = request.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let incoming = IncomingRequest {
        method: &request.method,
        url: &request.url,
        headers: &headers,
        content_type: request.content_type.as_deref(),
        body: request.body.as_deref().map(str::as_bytes),
    };
    let credentials = Credentials {
        consumer_secret: secrets.consumer_secret.as_deref().unwrap_or_default(),
        token_secret: secrets.token_secret.as_deref().unwrap_or_default(),
        rsa_public_key: None,
    };
    // Replay and clock checks off: the same request is verified on every iteration.
    let mut verifier = Verifier::new(AnyTimestamp, NoNonceCheck);
    assert!(verifier.verify(&incoming, &credentials, *now).is_ok(), "the vector's request is valid");
    let mut group = criterion.benchmark_group("verify");
    group.bench_function("reference", |b| {
        b.iter(|| verifier.verify(black_box(&incoming), black_box(&credentials), black_box(*now)));
    });
    group.finish();
}

/// What a crate produced for one shape: the figures compared before timing.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
enum PeerOutput {
    Signed {
        signature: Option<String>,
        authorization_header: Option<String>,
    },
    /// A crate that picks its own nonce and timestamp signs differently on every run, so what
    /// is recorded is whether its signature is the reference's for the case with the nonce and
    /// timestamp it sent, as the harness judges it (`emits_own_nonce_timestamp`).
    SignedWithOwnNonceAndTimestamp {
        signature_agrees_with_reference: bool,
    },
    Refused {
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
            Outcome::Rejected { message, .. } | Outcome::Error(message) => Self::Refused { message },
        }
    }
}

/// Each crate's output, by crate name.
type PeerOutputs = BTreeMap<String, PeerOutput>;

fn recorded_peers_path() -> PathBuf {
    benches_dir().join("expected/peers.json")
}

fn recorded_peer_outputs() -> BTreeMap<String, PeerOutputs> {
    let path = recorded_peers_path();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not a recording: {e}", path.display()))
}

fn record_peers(corpus: &Corpus) -> BTreeMap<String, PeerOutputs> {
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
