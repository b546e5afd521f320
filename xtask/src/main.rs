//! `cargo xtask TASK`: the project's developer and CI entry points.
//!
//! This file only declares the command line; each task lives in its own module.

mod conformance;
mod setup;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  setup         install the external implementations' runtimes (.venv with the pinned
                Python packages); a rerun is a no-op when nothing changed
  conformance   setup, then the corpus and 2,000 generated cases against every
                implementation, checked against adapters/baselines/; writes
                target/conformance/{report.json,junit.xml,summary.md}
                (exit 0 conformant, 1 divergence, 2 bad input or setup); extra
                arguments go to `oauth1-conformance run` (e.g. --update-baseline)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("conformance") => conformance::run(args.get(1..).unwrap_or_default()),
        Some("setup") => {
            if setup::all(&setup::workspace_root()) {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            }
        }
        Some("-h" | "--help") => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprint!("{USAGE}");
            ExitCode::from(2)
        }
    }
}
