#![no_main]
// The logic and its stable-Rust replay test live in crates/fuzzing; the verdict only feeds
// the skip-rate counts the library prints to stderr.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    oauth1_fuzzing::check_differential(data);
});
