//! `cargo xtask conformance`: the CI entry point. Sets up the external implementations,
//! builds the harness, and replays the whole corpus plus generated cases against every
//! implementation, checked against the baselines in `adapters/baselines/`.

use std::process::{Command, ExitCode};

use crate::setup::{self, VENV_PYTHON};

/// Generated cases per implementation unless `--generated` is passed.
const DEFAULT_GENERATED: &str = "2000";

/// Runs the conformance suite; `extra` is passed to `oauth1-conformance run` (for example
/// `--update-baseline`, `--generated 200`, `--seed random`).
pub(crate) fn run(extra: &[String]) -> ExitCode {
    let root = setup::workspace_root();
    let python_ready = setup::all(&root);
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let built = Command::new(&cargo)
        .current_dir(&root)
        .args(["build", "--quiet", "--release", "--package", "oauth1-conformance"])
        .status();
    if !built.is_ok_and(|s| s.success()) {
        eprintln!("xtask: building oauth1-conformance failed");
        return ExitCode::from(2);
    }
    let out = root.join("target/conformance");
    let python = root.join(VENV_PYTHON);
    let adapter = |variant: &str| {
        format!("oauthlib-{variant}={} adapters/python-oauthlib/adapter.py --variant {variant}", python.display())
    };
    if !python_ready {
        eprintln!("xtask: oauthlib rows will be unavailable; run `cargo xtask setup` to install them");
    }
    let mut command = Command::new(root.join("target/release/oauth1-conformance"));
    command
        .current_dir(&root)
        .args(["run", "--impl", "all", "--vectors", "vectors"])
        .args(["--adapter", &adapter("client"), "--adapter", &adapter("signature")])
        .args(["--baselines", "adapters/baselines", "--allow-unbaselined"])
        .arg("--report")
        .arg(format!("json:{}", out.join("report.json").display()))
        .arg("--report")
        .arg(format!("junit:{}", out.join("junit.xml").display()))
        .arg("--report")
        .arg(format!("markdown:{}", out.join("summary.md").display()));
    if !extra.iter().any(|a| a == "--generated") {
        command.args(["--generated", DEFAULT_GENERATED]);
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
