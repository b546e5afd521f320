//! The seed corpora, extracted from `vectors/` (never hand-copied): `fuzz/seeds/TARGET/NAME`.
//!
//! | target | one seed per |
//! |---|---|
//! | `authorization_header` | `parse_header` header, `sign` expected header, `verify` Authorization field |
//! | `percent_encoding` | URL, body and expected normalized parameters of `sign` and `verify` cases |
//! | `sign_request` | `sign` case, as a record (see [`crate::record`]) |
//! | `differential` | `sign` case, as a record with its RSA key by number ([`crate::differential_input`]) |
//! | `verify_request` | `sign` case (signed, then unmutated), and `verify` case as a `mode received` record |
//!
//! Each seed is named after its case id, with a suffix when a case gives several.

use std::collections::BTreeMap;

use oauth1_vectors::{CaseBody, Corpus, SignCase, VerifyCase};

use crate::differential_input;
use crate::input::SignRecord;
use crate::record::Record;

/// Seed name → content, per target name.
pub type Seeds = BTreeMap<&'static str, BTreeMap<String, Vec<u8>>>;

fn sign_record(sign: &SignCase) -> Vec<u8> {
    let mut record = Record::default();
    SignRecord::write(&mut record, &sign.request, &sign.oauth, &sign.secrets);
    record.to_bytes()
}

fn received_record(verify: &VerifyCase) -> Vec<u8> {
    let request = &verify.request;
    let mut record = Record::default();
    record.push("mode", b"received");
    record.push("method", request.method.as_bytes());
    record.push("url", request.url.as_bytes());
    let optional = [
        ("content_type", &request.content_type),
        ("body", &request.body),
        ("consumer_secret", &verify.secrets.consumer_secret),
        ("token_secret", &verify.secrets.token_secret),
        ("rsa_public_key", &verify.secrets.rsa_public_key_pem),
    ];
    for (key, value) in optional {
        if let Some(value) = value {
            record.push(key, value.as_bytes());
        }
    }
    for (name, value) in &request.headers {
        record.push_pair("header", name.as_bytes(), b':', value.as_bytes());
    }
    record.push("now", verify.now.to_string().as_bytes());
    record.to_bytes()
}

/// Every target's seeds from `corpus`.
#[must_use]
pub fn extract(corpus: &Corpus) -> Seeds {
    let mut seeds = Seeds::new();
    let mut add = |target: &'static str, name: String, content: &[u8]| {
        seeds.entry(target).or_default().insert(name, content.to_vec());
    };
    for (_, case) in corpus.cases() {
        let id = &case.id;
        match &case.body {
            CaseBody::ParseHeader(parse) => add("authorization_header", id.clone(), parse.header.as_bytes()),
            CaseBody::Sign(sign) => {
                if let Some(header) = &sign.expected.authorization_header {
                    add("authorization_header", id.clone(), header.as_bytes());
                }
                add("percent_encoding", format!("{id}.url"), sign.request.url.as_bytes());
                if let Some(body) = &sign.request.body {
                    add("percent_encoding", format!("{id}.body"), body.as_bytes());
                }
                if let Some(normalized) = &sign.expected.normalized_parameters {
                    add("percent_encoding", format!("{id}.normalized"), normalized.as_bytes());
                }
                let record = sign_record(sign);
                for target in ["sign_request", "verify_request"] {
                    add(target, id.clone(), &record);
                }
                add("differential", id.clone(), &differential_input::encode(sign));
            }
            CaseBody::Verify(verify) => {
                let authorization =
                    verify.request.headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case("authorization"));
                for (index, (_, value)) in authorization.enumerate() {
                    let name = if index == 0 { id.clone() } else { format!("{id}.{index}") };
                    add("authorization_header", name, value.as_bytes());
                }
                add("percent_encoding", format!("{id}.url"), verify.request.url.as_bytes());
                if let Some(body) = &verify.request.body {
                    add("percent_encoding", format!("{id}.body"), body.as_bytes());
                }
                add("verify_request", id.clone(), &received_record(verify));
            }
        }
    }
    seeds
}
