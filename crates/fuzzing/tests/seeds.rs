//! The checked-in seed corpora are exactly what `vectors/` gives (`cargo xtask fuzz-seeds`),
//! so they are reproducible and never drift from the vectors by hand.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use oauth1_fuzzing::differential_input::rsa_keys;
use oauth1_fuzzing::seeds::extract;
use oauth1_fuzzing::TARGETS;
use oauth1_vectors::CaseBody;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn vectors() -> oauth1_vectors::Corpus {
    oauth1_vectors::load_paths(&[root().join("vectors")]).expect("the vectors load")
}

#[test]
fn the_checked_in_seeds_are_the_extracted_ones() {
    let root = root();
    let corpus = vectors();
    let extracted = extract(&corpus);
    let names: Vec<&str> = extracted.keys().copied().collect();
    let mut targets: Vec<&str> = TARGETS.iter().map(|(name, _)| *name).collect();
    targets.sort_unstable();
    assert_eq!(names, targets, "every target has seeds");
    for (target, seeds) in extracted {
        let dir: PathBuf = root.join("fuzz/seeds").join(target);
        let on_disk: BTreeMap<String, Vec<u8>> = fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| {
                let path = entry.expect("a directory entry").path();
                let name = path.file_name().and_then(|n| n.to_str()).expect("a UTF-8 seed name").to_owned();
                (name, fs::read(&path).expect("a readable seed"))
            })
            .collect();
        assert!(on_disk == seeds, "fuzz/seeds/{target}/ differs from the vectors: run `cargo xtask fuzz-seeds`");
    }
}

/// The differential seeds give every RSA key by number, so the compiled-in key set must hold
/// every private key of the vectors.
#[test]
fn the_differential_key_set_holds_every_vector_key() {
    let corpus = vectors();
    let mut missing = Vec::new();
    for (_, case) in corpus.cases() {
        if let CaseBody::Sign(sign) = &case.body {
            if sign.secrets.rsa_private_key_pem.as_ref().is_some_and(|pem| !rsa_keys().contains(pem)) {
                missing.push(case.id.clone());
            }
        }
    }
    assert!(missing.is_empty(), "keys missing from differential_input::KEY_SOURCES: {missing:?}");
}
