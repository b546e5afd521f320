//! Peak memory under attack with the allocator of the `oauth1-conformance` binary, which runs
//! serve-http and capture: mimalloc, with transparent huge pages off (with them on, mimalloc
//! backs each connection thread's heap with 2 MiB pages and this attack peaked at 263 MiB).

mod attack;
mod support;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[test]
fn peak_memory_stays_under_200_mib_under_attack() {
    let peak = attack::peak_memory_under_attack();
    assert!(peak < 200 * 1024 * 1024, "peak RSS {peak} bytes");
}
