//! `cargo xtask conformance`: the CI entry point. Sets up the quick adapters, builds the
//! harness, and replays the whole corpus plus generated cases against every implementation:
//! the in-process rows and every row of `adapters/*/adapter.json` that `cargo xtask setup
//! [--all]` made ready (the others are reported unavailable, with the command that installs
//! them), checked against the baselines in `adapters/baselines/`.

use std::process::{Command, ExitCode};

use crate::matrix::{manifests, Manifest};
use crate::setup;

/// Generated cases per implementation unless `--generated` is passed.
const DEFAULT_GENERATED: &str = "2000";

/// Seconds one case may take over the adapter protocol in this task (the CLI's default is 5).
const CASE_TIMEOUT_SECONDS: &str = "20";

/// Builds the release `oauth1-conformance` (`target/release/oauth1-conformance`).
pub(crate) fn build_release(root: &std::path::Path) -> Result<(), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let built = Command::new(&cargo)
        .current_dir(root)
        .args(["build", "--quiet", "--release", "--package", "oauth1-conformance"])
        .status();
    if built.is_ok_and(|s| s.success()) {
        Ok(())
    } else {
        Err("building oauth1-conformance failed".to_owned())
    }
}

/// Runs the conformance suite; `extra` is passed to `oauth1-conformance run` (for example
/// `--update-baseline`, `--generated 200`, `--seed random`).
pub(crate) fn run(extra: &[String]) -> ExitCode {
    let root = setup::workspace_root();
    setup::setup(&root, false);
    let manifests = match manifests(&root) {
        Ok(manifests) => manifests,
        Err(e) => {
            eprintln!("xtask: {e}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = build_release(&root) {
        eprintln!("xtask: {e}");
        return ExitCode::from(2);
    }
    let out = root.join("target/conformance");
    let mut command = Command::new(root.join("target/release/oauth1-conformance"));
    command
        .current_dir(&root)
        .args(["run", "--impl", "all", "--vectors", "vectors"])
        .args(["--baselines", "adapters/baselines", "--allow-unbaselined"])
        .arg("--report")
        .arg(format!("json:{}", out.join("report.json").display()))
        .arg("--report")
        .arg(format!("junit:{}", out.join("junit.xml").display()))
        .arg("--report")
        .arg(format!("markdown:{}", out.join("summary.md").display()))
        .arg("--report")
        .arg(format!("html:{}", out.join("report.html").display()));
    for manifest in &manifests {
        let ready = setup::is_ready(manifest, &root);
        for row in &manifest.rows {
            if ready {
                command.arg("--adapter").arg(format!("{}={}", row.name, Manifest::command(row, &root)));
            } else {
                command.arg("--unavailable").arg(format!(
                    "{}=adapters/{} is not set up: run `{}`",
                    row.name,
                    manifest.folder,
                    manifest.install_hint()
                ));
            }
        }
    }
    if !extra.iter().any(|a| a == "--generated") {
        command.args(["--generated", DEFAULT_GENERATED]);
    }
    // Two rows run per core and the slowest interpreters shrink counterexamples one round
    // trip at a time: a generous per-case limit keeps a loaded CI machine from turning a slow
    // answer into an error, while a hung adapter is still caught.
    if !extra.iter().any(|a| a == "--case-timeout") {
        command.args(["--case-timeout", CASE_TIMEOUT_SECONDS]);
    }
    command.args(extra);
    match command.status() {
        Ok(status) => match status.code() {
            Some(code) => {
                println!("reports: {}", out.display());
                ExitCode::from(u8::try_from(code).unwrap_or(2))
            }
            None => {
                eprintln!("xtask: oauth1-conformance was killed by a signal");
                ExitCode::from(2)
            }
        },
        Err(e) => {
            eprintln!("xtask: cannot run oauth1-conformance: {e}");
            ExitCode::from(2)
        }
    }
}
