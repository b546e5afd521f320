//! The checked-in seed corpora are exactly what `vectors/` gives (`cargo xtask fuzz-seeds`),
//! so they are reproducible and never drift from the vectors by hand.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use oauth1_fuzzing::seeds::extract;
use oauth1_fuzzing::TARGETS;

#[test]
fn the_checked_in_seeds_are_the_extracted_ones() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let corpus = oauth1_vectors::load_paths(&[root.join("vectors")]).expect("the vectors load");
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
