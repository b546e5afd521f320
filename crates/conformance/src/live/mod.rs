//! The live modes: the harness on real HTTP/1.1 (over `oauth1-wire`). `serve-http` runs the
//! reference verifier as a server; `capture` verifies what a client under test really sends;
//! `probe` tests a running server. The credentials file, the URL rebuild and the verification
//! path are shared.

pub mod capture;
pub mod credentials;
pub mod probe;
pub mod received;
pub mod request_url;
pub mod serve_http;
