//! `cargo xtask conformance`: the CI entry point. Builds the harness and replays the whole
//! corpus against every available implementation.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Runs `oauth1-conformance run` over `vectors/`; extra arguments are passed through.
pub(crate) fn run(extra: &[String]) -> ExitCode {
    let root = workspace_root();
    let report = root.join("target/conformance/report.json");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(&root)
        .args(["run", "--quiet", "--release", "--package", "oauth1-conformance", "--"])
        .args(["run", "--impl", "reference", "--vectors", "vectors"])
        .arg("--report")
        .arg(format!("json:{}", report.display()))
        .args(extra)
        .status();
    match status {
        Ok(status) => match status.code() {
            Some(code) => {
                println!("report: {}", report.display());
                ExitCode::from(u8::try_from(code).unwrap_or(2))
            }
            None => {
                eprintln!("xtask: oauth1-conformance was killed by a signal");
                ExitCode::from(2)
            }
        },
        Err(e) => {
            eprintln!("xtask: cannot run cargo: {e}");
            ExitCode::from(2)
        }
    }
}
