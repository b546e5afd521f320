//! The OAuth 1.0 conformance harness: replays `oauth1-vectors/v1` cases against
//! implementations, compares every stage with the expected values, and reports exactly
//! where an implementation differs.
//!
//! The flow reads left to right: vector files and the generator ([`case`], [`generate`]) →
//! implementations ([`implementation`]: in-process peers, adapters) × cases ([`matrix`],
//! [`session`], [`runner`]) → the one [`judge`] → results ([`result`]) explained by
//! [`attribution`] (ties broken by the row's evidence, [`row_evidence`]) → [`baseline`]s and
//! [`verdict`]s → the [`report`] family.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// Every function reads in one screen (clippy.toml sets the threshold to 100 lines).
#![warn(clippy::too_many_lines)]

pub mod adapter;
pub mod atomic_file;
pub mod attribution;
pub mod baseline;
pub mod case;
pub mod cli;
pub mod diagnose;
pub mod diff;
pub mod dossier;
pub mod explain;
pub mod generate;
pub mod implementation;
pub mod interrupt;
pub mod judge;
pub mod limits;
pub mod live;
pub mod matrix;
pub mod mutation;
pub mod nonce_store;
pub mod peers;
pub mod protocol;
pub mod quirk_catalogue;
pub mod quirks;
pub mod reference_impl;
pub mod report;
pub mod result;
pub mod row_evidence;
pub mod runner;
pub mod secrets;
pub mod serve;
pub mod session;
pub mod trace;
pub mod verdict;
pub mod verify_command;

/// Process exit codes, the same for every subcommand.
pub mod exit_code {
    /// Every case conformant (or every stage matched).
    pub const CONFORMANT: u8 = 0;
    /// A divergence: a failed case, an implementation error, a differing stage.
    pub const DIVERGENCE: u8 = 1;
    /// Bad input or setup: unreadable or invalid vectors, zero cases, unknown implementation.
    pub const BAD_INPUT: u8 = 2;
}
