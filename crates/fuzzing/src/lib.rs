//! The logic of the fuzz targets in `fuzz/`, on stable Rust: each `fuzz/fuzz_targets/NAME.rs`
//! only calls `check_NAME` here, so `cargo test` replays every corpus and regression input
//! through exactly the code libFuzzer runs (`tests/replay.rs`), without nightly.
//!
//! A `check_*` function takes any bytes, never panics on its own input, and panics when a
//! property of the reference fails: that is how a fuzz target reports a finding. The
//! structured targets read their bytes as a [`record`], a text format a vector can be written
//! into, so the seed corpora ([`seeds`]) are the vectors themselves.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "differential")]
pub mod differential;
pub mod differential_input;
pub mod encoding;
pub mod header;
pub mod input;
pub mod record;
pub mod seeds;
pub mod sign;
pub mod verify;

#[cfg(feature = "differential")]
pub use differential::check_differential;
pub use encoding::check_percent_encoding;
pub use header::check_authorization_header;
pub use sign::check_sign_request;
pub use verify::check_verify_request;

/// A target's check.
pub type Check = fn(&[u8]);

/// Every fuzz target: its name (the `fuzz/fuzz_targets/NAME.rs` binary, the
/// `fuzz/seeds/NAME/` and `fuzz/regressions/NAME/` directories) and its check.
pub const TARGETS: &[(&str, Check)] = &[
    ("authorization_header", check_authorization_header),
    ("percent_encoding", check_percent_encoding),
    ("sign_request", check_sign_request),
    ("verify_request", check_verify_request),
    #[cfg(feature = "differential")]
    ("differential", |data| {
        check_differential(data);
    }),
];
