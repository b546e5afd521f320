//! `cargo xtask TASK`: the project's developer and CI entry points.
//!
//! This file only declares the command line; each task lives in its own module.

mod bench;
mod capture_matrix;
mod conformance;
mod fuzz;
mod matrix;
mod probe_matrix;
mod repros;
mod servers;
mod setup;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  bench [--quick]
                the criterion benchmarks (benches/) and the harness's throughput; writes
                target/bench-summary.json and prints ratios to the HMAC floor and to the
                reference's header; --quick runs each benchmark briefly (CI)
  setup [--all] install what the adapters of adapters/*/adapter.json need: quick, the
                .venv with the pip-only adapters; --all, also Debian packages (with
                chromium for the HTML report's test), npm ci and build scripts; a rerun
                is a no-op when nothing changed
  conformance   setup, then the corpus and 2,000 generated cases against every
                implementation (rows not set up are reported unavailable),
                checked against adapters/baselines/; writes
                target/conformance/{report.json,junit.xml,summary.md,report.html}
                (exit 0 conformant, 1 divergence, 2 bad input or setup); extra
                arguments go to `oauth1-conformance run` (e.g. --update-baseline)
  capture-matrix
                the client matrix: every live client of adapters/*/adapter.json
                (real client libraries with their HTTP stacks, and the curl control
                row) sends every default case to oauth1-conformance capture, each
                checked against adapters/baselines/clients/; writes
                target/conformance/capture/{report.json,junit.xml,summary.md,report.html}
                (exit 0 every client matches its baseline, 1 a difference, 2 bad
                input or a client not set up); extra arguments go to capture
                (e.g. --update-baselines)
  fuzz [TARGET] [--time SECS] [--jobs N] [-- LIBFUZZER_FLAGS]
                run one or every fuzz target of fuzz/ for SECS seconds each
                (default 60) with N workers; installs cargo-fuzz if missing, uses
                the nightly toolchain; minimizes any crash into fuzz/regressions/
                (exit 0 clean, 1 finding, 2 bad usage or setup)
  fuzz-seeds    rewrite the seed corpora fuzz/seeds/ from vectors/
  probe-matrix [--update-baseline] [--only NAME,...]
                the live-server matrix: serve-http and every live server that is set
                up, directly and behind the TLS proxy, each probed with
                `oauth1-conformance probe` and checked against
                adapters/baselines/live/NAME.json; reports in target/conformance/live/
                (exit 0 every server matches its baseline, 1 one differs, 2 setup)
  repros        run every standalone reproduction of docs/findings/repro/repros.json
                (each dossier's library alone, no harness; built first where
                compiled): exit 0 each still shows its finding, 1 one of them
                agrees with RFC 5849 now (the dossier to retire is named) or gives
                a third value, 2 a reproduction crashed or timed out
  servers [--json]
                the live servers of adapters/*/adapter.json (real HTTP servers
                that provider-side frameworks protect, for oauth1-conformance
                probe) and the TLS proxy: whether each is set up and the command
                that starts it
";

/// Drops the variables `cargo run` set for this process from its environment, before any
/// thread starts, so that the builds it starts (`cargo build`, adapters' build scripts) see the
/// environment a plain `cargo build` sees: ring's build script reads `CARGO_MANIFEST_DIR`, and
/// seeing it change between `cargo build --release` and `cargo xtask conformance` rebuilt ring
/// and the whole harness above it each time (four minutes on two busy cores).
fn forget_cargo_run_environment() {
    let set_by_cargo_run: Vec<std::ffi::OsString> = std::env::vars_os()
        .map(|(name, _)| name)
        .filter(|name| {
            name.to_str().is_some_and(|name| {
                matches!(name, "CARGO_MANIFEST_DIR" | "CARGO_MANIFEST_PATH" | "CARGO_CRATE_NAME" | "CARGO_BIN_NAME")
                    || name.starts_with("CARGO_PKG_")
            })
        })
        .collect();
    for name in set_by_cargo_run {
        std::env::remove_var(name);
    }
}

fn main() -> ExitCode {
    forget_cargo_run_environment();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("bench") => bench::run(args.get(1..).unwrap_or_default()),
        Some("capture-matrix") => capture_matrix::run(args.get(1..).unwrap_or_default()),
        Some("conformance") => conformance::run(args.get(1..).unwrap_or_default()),
        Some("fuzz") => fuzz::run_campaign(args.get(1..).unwrap_or_default()),
        Some("fuzz-seeds") => fuzz::extract_seeds(),
        Some("probe-matrix") => probe_matrix::run(args.get(1..).unwrap_or_default()),
        Some("repros") => repros::run(args.get(1..).unwrap_or_default()),
        Some("servers") => servers::run(args.get(1..).unwrap_or_default()),
        Some("setup") => {
            let all = match args.get(1..).unwrap_or_default() {
                [] => false,
                [flag] if flag == "--all" => true,
                _ => {
                    eprint!("{USAGE}");
                    return ExitCode::from(2);
                }
            };
            if setup::setup(&setup::workspace_root(), all) {
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
