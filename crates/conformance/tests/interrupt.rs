//! SIGTERM (or SIGINT) during a run ends every adapter the harness started: their process
//! groups, a child that left its group with `setsid`, and one orphaned by a daemon's double
//! fork; then no adapter is started again. Alone in its binary: the handler, the subreaper and
//! the closed registry are process-wide.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use oauth1_conformance::adapter::{adopt_orphans, Adapter, AdapterConfig};
use oauth1_conformance::implementation::{Answer, Implementation, Job, Outcome};
use oauth1_conformance::interrupt::{self, Signal};

fn pid_file(name: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("oauth1-interrupt-{}-{name}.pids", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}

fn pids(path: &Path) -> Vec<u32> {
    std::fs::read_to_string(path).unwrap_or_default().lines().map(|l| l.trim().parse().unwrap()).collect()
}

/// Running: not gone and not a zombie (a zombie is dead, waiting to be reaped).
fn is_running(pid: u32) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { return false };
    let state = stat.rfind(')').and_then(|at| stat[at + 1..].split_whitespace().next().map(str::to_owned));
    !matches!(state.as_deref(), Some("Z" | "X") | None)
}

/// Removes the pid files and, should the test fail, kills what it started and left running
/// (what still runs one of the fixture's commands).
struct Cleanup(Vec<PathBuf>);

impl Drop for Cleanup {
    fn drop(&mut self) {
        for path in &self.0 {
            for pid in pids(path) {
                let cmdline =
                    String::from_utf8_lossy(&std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default())
                        .into_owned();
                let ours = cmdline.contains("fake_adapter.py") || cmdline.starts_with("sleep\x001000");
                if let (true, true, Some(pid)) = (ours, is_running(pid), rustix::process::Pid::from_raw(pid as i32)) {
                    let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
                }
            }
            let _ = std::fs::remove_file(path);
        }
    }
}

fn start(name: &str, flags: &str, pids: &Path) -> Adapter {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fake_adapter.py");
    let command = format!("python3 '{}' {flags} --pid-file '{}'", script.display(), pids.display());
    let config = AdapterConfig { handshake_timeout: Duration::from_secs(10), ..AdapterConfig::default() };
    Adapter::start(name, &command, config).unwrap_or_else(|e| panic!("{e}"))
}

fn answers_ok(adapter: &mut Adapter) -> bool {
    let answers = adapter.run(&[Job::ParseHeader("OAuth a=\"b\"")]);
    matches!(&answers[0], Answer::ParseHeader(Outcome::Answer(_)))
}

#[test]
fn a_terminating_signal_ends_every_adapter_and_what_escaped_its_group() {
    adopt_orphans().expect("PR_SET_CHILD_SUBREAPER");
    let escaping = pid_file("escaping");
    let stubborn = pid_file("stubborn");
    let _cleanup = Cleanup(vec![escaping.clone(), stubborn.clone()]);
    let mut first = start("escaping", "--spawn-setsid --spawn-orphan", &escaping);
    let mut second = start("stubborn", "--mode ignore-stop --ignore-term", &stubborn);
    assert!(answers_ok(&mut first) && answers_ok(&mut second));
    let started: Vec<u32> = pids(&escaping).into_iter().chain(pids(&stubborn)).collect();
    assert_eq!(started.len(), 4, "two adapters, a setsid child and an orphan: {started:?}");
    assert!(started.iter().all(|&pid| is_running(pid)));

    let (sender, receiver) = mpsc::channel();
    interrupt::install(move |signal, killed| sender.send((signal, killed)).unwrap()).unwrap();
    assert_eq!(interrupt::received(), None);
    rustix::process::kill_process(rustix::process::getpid(), rustix::process::Signal::TERM).unwrap();
    let (signal, killed) = receiver.recv_timeout(Duration::from_secs(10)).expect("the handler ran");
    assert_eq!((signal, signal.exit_code()), (Signal::Terminate, 143));
    assert_eq!(interrupt::received(), Some(Signal::Terminate));
    assert_eq!(killed.groups, 2, "{killed:?}");
    assert!(killed.escaped >= 2, "the setsid child and the orphan: {killed:?}");
    assert!(killed.killed_after_grace, "the adapter that ignores SIGTERM needed SIGKILL: {killed:?}");

    let deadline = Instant::now() + Duration::from_secs(2);
    while started.iter().any(|&pid| is_running(pid)) {
        let running: Vec<u32> = started.iter().copied().filter(|&pid| is_running(pid)).collect();
        assert!(Instant::now() < deadline, "still running after the interrupt: {running:?}");
        std::thread::sleep(Duration::from_millis(20));
    }

    // The rows wind down: no adapter is started again, every case is an error saying why.
    let answers = first.run(&[Job::ParseHeader("OAuth a=\"b\"")]);
    let Answer::ParseHeader(Outcome::Error(message)) = &answers[0] else { panic!("{answers:?}") };
    assert!(message.contains("interrupted"), "{message}");
    assert!(first.stats().given_up);
    assert_eq!(pids(&escaping).len(), 3, "no restart: still the adapter, its setsid child and the orphan");
}
