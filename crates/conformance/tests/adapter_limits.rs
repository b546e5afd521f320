//! An adapter whose every answer carries a 15 MiB string (under the 16 MiB line limit) must
//! not grow the harness by 15 MiB a case: answers are cut to the documented limits as they
//! arrive. This test is alone in its binary so that the process's peak resident memory is its
//! own.

use std::path::Path;
use std::time::Duration;

use oauth1_conformance::adapter::{Adapter, AdapterConfig};
use oauth1_conformance::implementation::{Answer, Implementation, Job, Outcome};

/// The process's peak resident set (`VmHWM`), in bytes.
fn peak_resident_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    let kib: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kib * 1024
}

/// 100 answers of 15 MiB each: kept whole they would be 1.5 GiB. With the default limits
/// (1 MiB a field, 64 MiB in all, then 64 KiB an answer) about 66 MiB are kept; the peak
/// adds the lines in transit (16 MiB each, a few at a time): 105 MiB measured. The bound,
/// 512 MiB, sits far from both.
#[test]
fn answers_of_15_mib_are_cut_and_memory_stays_bounded() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fake_adapter.py");
    let command = format!("python3 '{}' --mode huge-answers", script.display());
    let config = AdapterConfig { case_timeout: Duration::from_secs(30), ..AdapterConfig::default() };
    let mut adapter = Adapter::start("huge", &command, config).unwrap_or_else(|e| panic!("{e}"));
    let headers: Vec<String> = (0..100).map(|i| format!("OAuth n=\"{i}\"")).collect();
    let jobs: Vec<Job<'_>> = headers.iter().map(|h| Job::ParseHeader(h)).collect();
    let answers = adapter.run(&jobs);
    let peak = peak_resident_bytes();
    eprintln!("peak resident memory after 100 answers of 15 MiB: {} MiB", peak >> 20);
    assert!(peak < 512 << 20, "peak resident memory {} MiB", peak >> 20);
    assert_eq!(adapter.stats().faults, 0, "{:?}", adapter.stats());
    assert_eq!(answers.len(), 100);
    let mut kept = 0;
    for (index, answer) in answers.iter().enumerate() {
        let Answer::ParseHeader(Outcome::Answer(params)) = answer else { panic!("answer {index}: {answer:?}") };
        let value = &params[0].1;
        assert!(value.len() <= (1 << 20) + 200, "answer {index} keeps {} bytes", value.len());
        assert!(value.contains("…[cut by the harness: 15728640 bytes in all"), "answer {index}");
        kept += value.len();
    }
    assert!(kept < 72 << 20, "{kept} bytes kept");
    adapter.stop();
}
