//! `oauth1-fuzz-seeds VECTORS OUT`: writes the seed corpora extracted from the vector files
//! under VECTORS to `OUT/TARGET/NAME`, replacing what each target directory held, so the
//! checked-in seeds are exactly what the vectors give (`cargo xtask fuzz-seeds` runs this).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn write_seeds(vectors: &Path, out: &Path) -> Result<usize, String> {
    let corpus = oauth1_vectors::load_paths(&[vectors.to_path_buf()])
        .map_err(|errors| errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))?;
    let mut written = 0;
    for (target, seeds) in oauth1_fuzzing::seeds::extract(&corpus) {
        let dir = out.join(target);
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for (name, content) in seeds {
            let path = dir.join(&name);
            fs::write(&path, content).map_err(|e| format!("{}: {e}", path.display()))?;
            written += 1;
        }
    }
    Ok(written)
}

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [vectors, out] = args.as_slice() else {
        eprintln!("usage: oauth1-fuzz-seeds VECTORS_DIR OUT_DIR");
        return ExitCode::from(2);
    };
    match write_seeds(vectors, out) {
        Ok(count) => {
            println!("wrote {count} seeds under {}", out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("oauth1-fuzz-seeds: {e}");
            ExitCode::from(2)
        }
    }
}
