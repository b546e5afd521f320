//! Reference implementation of OAuth 1.0 request signing and verification, exact to
//! [RFC 5849](https://www.rfc-editor.org/rfc/rfc5849) section 3.
#![forbid(unsafe_code)]
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::unreachable)]
#![warn(missing_docs)]

pub mod base_string;
pub mod body_hash;
pub mod encoding;
mod fed_hmac;
pub mod header;
pub mod header_syntax;
pub mod parameters;
pub mod rsa_signature;
pub mod sign;
pub mod signature;
pub mod transmission;
pub mod uri;
pub mod verify;

/// `examples/two_legged.rs` (the guide `docs/two-legged.md`), run as a doc test so that
/// `cargo test` fails if the example stops signing what oauthlib signs or stops verifying.
#[cfg(doctest)]
#[doc = concat!("```\n", include_str!("../examples/two_legged.rs"), "\n```")]
pub struct TwoLeggedExample;
