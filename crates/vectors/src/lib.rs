//! Model, loader and validator for `oauth1-vectors/v1`, the test-vector format of the
//! OAuth 1.0 (RFC 5849) conformance harness.
//!
//! A vector file is a JSON object:
//!
//! ```json
//! {
//!   "format": "oauth1-vectors/v1",
//!   "description": "what the file covers",
//!   "flags": {"FlagName": "what it means"},
//!   "cases": [ ... ]
//! }
//! ```
//!
//! Every case has `id` (unique across the corpus), `kind` (`sign`, `parse_header` or
//! `verify`), `description`, `provenance`, `flags` (names from the file's table) and
//! `result` (`valid`, `invalid` or `acceptable`), plus the fields of its kind: see
//! [`SignCase`], [`ParseHeaderCase`] and [`VerifyCase`]. Unknown fields are errors
//! everywhere; nullable fields (`Option<String>`) may be omitted.
//!
//! Load with [`load_paths`] (files and directories) or [`parse_file`] (one text). Write a
//! file back with `serde_json`: every model type implements `Serialize`, and parsing the
//! output gives back an equal value.
//!
//! ```
//! let text = r#"{
//!   "format": "oauth1-vectors/v1",
//!   "description": "example",
//!   "flags": {},
//!   "cases": [{
//!     "id": "hdr-1", "kind": "parse_header", "description": "one parameter",
//!     "provenance": "RFC 5849 3.5.1", "flags": [], "result": "valid",
//!     "header": "OAuth oauth_nonce=\"x\"",
//!     "expected": {"params": [["oauth_nonce", "x"]]}
//!   }]
//! }"#;
//! let file = oauth1_vectors::parse_file("example.json", text).map_err(|e| e[0].to_string())?;
//! assert_eq!(file.cases[0].kind(), oauth1_vectors::CaseKind::ParseHeader);
//! let again = serde_json::to_string(&file).map_err(|e| e.to_string())?;
//! assert_eq!(oauth1_vectors::parse_file("again.json", &again), Ok(file));
//! # Ok::<(), String>(())
//! ```

mod error;
mod load;
mod model;
mod parse;
mod printable;
mod serde_helpers;

pub use error::VectorError;
pub use load::{load_paths, Corpus, LoadedFile, MAX_FILE_BYTES};
pub use model::{
    Case, CaseBody, CaseKind, Expectation, OAuthParams, ParseHeaderCase, ParseHeaderExpected, RejectReason, SignCase,
    SignExpected, SignRequest, SignSecrets, VectorFile, VerifyCase, VerifyExpected, VerifyRequest, VerifySecrets,
    FORMAT,
};
pub use parse::parse_file;
pub use printable::{printable, printable_lines};
