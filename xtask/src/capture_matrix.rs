//! `cargo xtask capture-matrix`: the client matrix. Every live client of `adapters/*/adapter.json`
//! (a real OAuth client library with the HTTP stack its documentation pairs it with, and the curl
//! control row) sends every default case to `oauth1-conformance capture`, which checks each
//! request as received and each client against its baseline in `adapters/baselines/clients/`.
//! Reports go to `target/conformance/capture/`; the exit code is capture's (0 every client
//! matches its baseline, 1 a difference, 2 bad input or a client that is not set up).

use std::process::{Command, ExitCode};
use std::time::Instant;

use crate::matrix::{manifests, Manifest};
use crate::setup;

/// Clients run at once: each spends most of its time starting an interpreter per case, so
/// three keep two cores busy.
const DEFAULT_JOBS: &str = "3";

/// Runs the client matrix; `extra` goes to `oauth1-conformance capture` (for example
/// `--update-baselines`, `--case ID`, `--jobs N`).
pub(crate) fn run(extra: &[String]) -> ExitCode {
    let root = setup::workspace_root();
    let manifests = match manifests(&root) {
        Ok(manifests) => manifests,
        Err(e) => {
            eprintln!("xtask: {e}");
            return ExitCode::from(2);
        }
    };
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let built = Command::new(&cargo)
        .current_dir(&root)
        .args(["build", "--quiet", "--release", "--package", "oauth1-conformance"])
        .status();
    if !built.is_ok_and(|s| s.success()) {
        eprintln!("xtask: building oauth1-conformance failed");
        return ExitCode::from(2);
    }
    let out = root.join("target/conformance/capture");
    let mut command = Command::new(root.join("target/release/oauth1-conformance"));
    command.current_dir(&root).args(["capture", "--baselines", "adapters/baselines/clients"]);
    for (format, file) in
        [("json", "report.json"), ("junit", "junit.xml"), ("markdown", "summary.md"), ("html", "report.html")]
    {
        command.arg("--report").arg(format!("{format}:{}", out.join(file).display()));
    }
    let mut clients = 0;
    println!("capture-matrix: the clients");
    for manifest in &manifests {
        let ready = setup::is_ready(manifest, &root);
        for client in &manifest.clients {
            clients += 1;
            let state = if ready { "ready" } else { "not set up" };
            println!("  {} (adapters/{}, {state}): {}", client.name, manifest.folder, client.notes);
            if ready {
                command.arg("--client").arg(format!("{}={}", client.name, Manifest::fill(&client.command, &root)));
            } else {
                command.arg("--unavailable").arg(format!(
                    "{}=adapters/{} is not set up: run `{}`",
                    client.name,
                    manifest.folder,
                    manifest.install_hint()
                ));
            }
        }
    }
    if !extra.iter().any(|a| a == "--jobs") {
        command.args(["--jobs", DEFAULT_JOBS]);
    }
    command.args(extra);
    println!("capture-matrix: {clients} clients");
    let start = Instant::now();
    let status = command.status();
    println!("capture-matrix: {:.0} s; reports: {}", start.elapsed().as_secs_f64(), out.display());
    match status {
        Ok(status) => match status.code() {
            Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(2)),
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
