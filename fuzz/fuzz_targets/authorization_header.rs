#![no_main]
// The logic and its stable-Rust replay test live in crates/fuzzing.
libfuzzer_sys::fuzz_target!(|data: &[u8]| oauth1_fuzzing::check_authorization_header(data));
