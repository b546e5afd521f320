//! Signing throughput on the RFC 5849 §3.4.1 example, next to the floor: HMAC-SHA1 alone
//! over the already-built base string, keyed afresh each time exactly as a signer must.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use hmac::{Hmac, Mac};
use oauth1_reference::sign::{sign, OAuthParameters, Request, Secrets};
use oauth1_reference::signature::SignatureMethod;

/// RFC 5849 §3.4.1, with the signature corrected by errata 2550.
const EXPECTED_SIGNATURE: &str = "r6/TJjbCOr97/+UU0NsvSne7s5g=";

fn rfc5849_example() -> (Request<'static>, OAuthParameters<'static>, Secrets<'static>) {
    let request = Request {
        method: "POST",
        url: "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
        content_type: Some("application/x-www-form-urlencoded"),
        body: Some(b"c2&a3=2+q"),
    };
    let oauth = OAuthParameters {
        consumer_key: "9djdj82h48djs9d2",
        token: Some("kkk9d7dh3k39sjv7"),
        signature_method: SignatureMethod::HmacSha1,
        timestamp: Some("137131201"),
        nonce: Some("7d8f3e4a"),
        version: None,
        realm: Some("Example"),
        extra: &[],
        compute_body_hash: false,
    };
    let secrets = Secrets { consumer_secret: "j49sk3j29djd", token_secret: "dh893hdasih9", rsa_private_key: None };
    (request, oauth, secrets)
}

fn bench_rfc5849_example(c: &mut Criterion) {
    let (request, oauth, secrets) = rfc5849_example();
    let trace = match sign(&request, &oauth, &secrets) {
        Ok(trace) => trace,
        Err(e) => panic!("the reference cannot sign the RFC example: {e}"),
    };
    // Check the output once before timing: a fast wrong answer is worth nothing.
    assert_eq!(trace.signature, EXPECTED_SIGNATURE);
    let base_string = trace.signature_base_string;

    let mut group = c.benchmark_group("rfc5849-3.4.1");
    group.bench_function("reference/trace", |b| {
        b.iter(|| sign(black_box(&request), black_box(&oauth), black_box(&secrets)));
    });
    group.bench_function("floor", |b| {
        b.iter(|| {
            let mut mac = match Hmac::<sha1::Sha1>::new_from_slice(black_box(b"j49sk3j29djd&dh893hdasih9")) {
                Ok(mac) => mac,
                Err(e) => panic!("HMAC takes any key length: {e}"),
            };
            mac.update(black_box(base_string.as_bytes()));
            mac.finalize().into_bytes()
        });
    });
    group.finish();
}

criterion_group!(benches, bench_rfc5849_example);
criterion_main!(benches);
