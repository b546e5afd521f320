//! The live modes: the harness on real HTTP/1.1 (over `oauth1-wire`). `serve-http` runs the
//! reference verifier as a server; the credentials file and the URL rebuild are shared with
//! `capture`; `probe` tests a running server.

pub mod credentials;
pub mod probe;
pub mod request_url;
pub mod serve_http;
