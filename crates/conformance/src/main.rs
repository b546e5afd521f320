//! The `oauth1-conformance` binary: everything is in the library's [`oauth1_conformance::cli`].

use std::process::ExitCode;

// Quirk attribution prepares thousands of small candidate pipelines per divergence; glibc's
// allocator was a quarter of a full run's CPU.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    oauth1_conformance::cli::main()
}
