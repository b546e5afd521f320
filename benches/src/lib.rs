//! What the signing benchmarks share: the request shapes and the checks each benchmark makes
//! before timing ([`cases`]), the floor every figure is a ratio to ([`cases::Floor`]), the
//! interleaved rounds that measure those ratios on a busy machine ([`interleave`]), and the
//! facts about the machine a ratio depends on ([`machine`]), and instructions per call counted
//! by valgrind, which no other work moves ([`instructions`]).
//!
//! Two benchmarks use them: `benches/signing.rs` (criterion's absolute times) and
//! `benches/ratios.rs` (each function's time over the floor's, round by round).

pub mod cases;
pub mod instructions;
pub mod interleave;
pub mod machine;
