//! `cargo xtask TASK`: the project's developer and CI entry points.
//!
//! This file only declares the command line; each task lives in its own module.

mod conformance;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  conformance   replay vectors/ against every available implementation and write
                target/conformance/report.json (exit 0 conformant, 1 divergence, 2 bad input)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("conformance") => conformance::run(args.get(1..).unwrap_or_default()),
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
