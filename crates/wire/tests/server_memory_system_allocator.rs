//! Peak memory under attack with the system allocator, for an embedder of the crate that
//! keeps it.

mod attack;
mod support;

#[test]
fn peak_memory_stays_under_200_mib_under_attack() {
    let peak = attack::peak_memory_under_attack();
    assert!(peak < 200 * 1024 * 1024, "peak RSS {peak} bytes");
}
