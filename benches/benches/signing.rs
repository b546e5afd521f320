//! Signing throughput of the reference and of the in-process Rust crates the harness drives,
//! each next to the floor: HMAC-SHA1 alone over the already-built base string, keyed afresh
//! each time exactly as a signer must. Every figure reads as a ratio to the floor of its group;
//! criterion's times give them on a quiet machine, `benches/ratios.rs` on any.
//!
//! The request shapes and the checks every benchmark makes before timing are those of
//! `oauth1_benches::cases`. `OAUTH1_BENCH_RECORD_PEERS=FILE` writes the crates' outputs to FILE
//! (the recording `benches/expected/peers.json` holds) instead of benchmarking.

use std::collections::BTreeMap;
use std::time::Duration;

use criterion::{black_box, BenchmarkGroup, Criterion, Throughput};
use oauth1_benches::cases::{
    checked_peers, load_corpus, record_peers, recorded_peer_outputs, sign_case, Floor, PeerOutputs, ReferenceInput,
    METHODS, SHAPES, VERIFY_CASE,
};
use oauth1_conformance::implementation::SignInput;
use oauth1_reference::header::parse_authorization_header;
use oauth1_reference::sign::{authorization_header, sign, signature};
use oauth1_reference::verify::{AnyTimestamp, Credentials, IncomingRequest, NoNonceCheck, Verifier};
use oauth1_vectors::{CaseBody, Corpus, SignCase, VerifyCase};

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
    for (name, mut peer) in checked_peers(group_name, case, recorded) {
        group.bench_function(name, |b| b.iter(|| peer.sign(black_box(&sign_input))));
    }

    let floor = Floor::of(case);
    group.bench_function("floor", |b| b.iter(|| floor.run()));
    group.finish();
}

fn bench_method(criterion: &mut Criterion, method: &str, case: &SignCase) {
    let input = ReferenceInput::new(case);
    assert_eq!(input.method().name(), method);
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
