//! The adapter client against a misbehaving fake adapter (`tests/fixtures/fake_adapter.py`):
//! every fault is survived, pinned on the case that causes it, and leaves no process behind;
//! then `serve` and the client against each other.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use oauth1_conformance::adapter::{Adapter, AdapterConfig, AdapterStartError, FaultEventKind, StartFailure};
use oauth1_conformance::implementation::{Answer, Implementation, InProcess, Job, Outcome, SignInput};
use oauth1_conformance::reference_impl::Reference;
use oauth1_conformance::runner::job_for;
use oauth1_conformance::serve::serve;
use oauth1_vectors::{load_paths, OAuthParams, SignRequest, SignSecrets};

const TAIL_LIMIT: usize = 64 * 1024;

fn config() -> AdapterConfig {
    AdapterConfig {
        handshake_timeout: Duration::from_secs(2),
        case_timeout: Duration::from_millis(500),
        ..AdapterConfig::default()
    }
}

/// A file the fake adapter appends its pid to, unique to the test.
struct PidFile(PathBuf);

impl PidFile {
    fn new(test: &str) -> Self {
        let path = std::env::temp_dir().join(format!("oauth1-fake-adapter-{}-{test}.pids", std::process::id()));
        let _ = std::fs::remove_file(&path);
        Self(path)
    }

    fn pids(&self) -> Vec<u32> {
        std::fs::read_to_string(&self.0).unwrap_or_default().lines().map(|l| l.trim().parse().unwrap()).collect()
    }

    /// Every fake adapter started for this test has exited (zombies count as exited: they
    /// may wait for an init that does not reap).
    fn assert_none_running(&self) {
        let pids = self.pids();
        assert!(!pids.is_empty(), "the fake adapter never started");
        let deadline = Instant::now() + Duration::from_secs(2);
        loop {
            let running: Vec<u32> = pids.iter().copied().filter(|&pid| is_running(pid)).collect();
            if running.is_empty() {
                return;
            }
            assert!(Instant::now() < deadline, "adapter processes still running: {running:?}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for PidFile {
    /// Leaves nothing running, even when the test failed: every process of the file that
    /// still runs one of the fixture's commands is killed.
    fn drop(&mut self) {
        for pid in self.pids() {
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            let cmdline = String::from_utf8_lossy(&cmdline);
            if is_running(pid) && (cmdline.contains("fake_adapter.py") || cmdline.starts_with("sleep\x001000")) {
                if let Some(pid) = rustix::process::Pid::from_raw(pid as i32) {
                    let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
                }
            }
        }
        let _ = std::fs::remove_file(&self.0);
    }
}

/// `/proc/PID/stat`: "pid (comm) state ppid pgrp ...".
fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_comm = &stat[stat.rfind(')')? + 1..];
    Some(after_comm.split_whitespace().map(str::to_owned).collect())
}

fn is_running(pid: u32) -> bool {
    stat_fields(pid).is_some_and(|fields| !matches!(fields[0].as_str(), "Z" | "X"))
}

/// Live processes in process group `pgid`.
fn group_members(pgid: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&pid| {
            stat_fields(pid).is_some_and(|f| !matches!(f[0].as_str(), "Z" | "X") && f[2] == pgid.to_string())
        })
        .collect()
}

fn assert_group_gone(pgid: u32) {
    let deadline = Instant::now() + Duration::from_secs(2);
    while !group_members(pgid).is_empty() {
        assert!(Instant::now() < deadline, "process group {pgid} still has {:?}", group_members(pgid));
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn fake_command(mode: &str, pids: &PidFile) -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fake_adapter.py");
    format!("python3 '{}' --mode {mode} --pid-file '{}'", script.display(), pids.0.display())
}

fn start_fake(mode: &str, pids: &PidFile) -> Adapter {
    Adapter::start("fake-under-test", &fake_command(mode, pids), config()).unwrap()
}

fn start_error(mode: &str, pids: &PidFile) -> AdapterStartError {
    let Err(e) = Adapter::start("fake-under-test", &fake_command(mode, pids), config()) else {
        panic!("mode {mode}: the adapter started");
    };
    e
}

fn headers(n: usize, marked: &[(usize, &str)]) -> Vec<String> {
    (0..n)
        .map(|i| match marked.iter().find(|(at, _)| *at == i) {
            Some((_, marker)) => format!("OAuth {marker}=\"{i}\""),
            None => format!("OAuth n=\"{i}\""),
        })
        .collect()
}

fn jobs(headers: &[String]) -> Vec<Job<'_>> {
    headers.iter().map(|h| Job::ParseHeader(h)).collect()
}

/// The fake's answer to a good parse_header job echoes the header.
fn assert_echoed(answer: &Answer, header: &str) {
    assert_eq!(
        answer,
        &Answer::ParseHeader(Outcome::Answer(vec![("header".into(), header.into())])),
        "the answer for {header:?}"
    );
}

fn error_message(answer: &Answer) -> &str {
    match answer {
        Answer::ParseHeader(Outcome::Error(message)) => message,
        other => panic!("expected an error, got {other:?}"),
    }
}

/// Runs ten jobs, the fifth marked, and checks that exactly the marked one is an `error`
/// whose message contains `expected`, that the others have their real answers, and that no
/// process is left once the adapter is dropped. Returns the culprit's message.
fn pins(test: &str, mode: &str, marker: &str, expected: &str) -> String {
    let pids = PidFile::new(test);
    let mut adapter = start_fake(mode, &pids);
    let headers = headers(10, &[(4, marker)]);
    let answers = adapter.run(&jobs(&headers));
    assert_eq!(answers.len(), headers.len());
    let message = error_message(&answers[4]).to_owned();
    assert!(message.contains(expected), "{message:.2000}");
    assert!(message.len() < TAIL_LIMIT + 2048, "message of {} bytes", message.len());
    for (i, (answer, header)) in answers.iter().zip(&headers).enumerate() {
        if i != 4 {
            assert_echoed(answer, header);
        }
    }
    let stats = adapter.stats();
    assert_eq!((stats.faults, stats.restarts, stats.given_up), (2, 2, false), "{stats:?}");
    assert_recovered_fault_logged(&mut adapter, expected);
    // The adapter is usable after the fault.
    let more = headers_after(&mut adapter);
    assert!(more, "the restarted adapter answers");
    let pgid = adapter.pid().unwrap();
    drop(adapter);
    pids.assert_none_running();
    assert_group_gone(pgid);
    assert_eq!(pids.pids().len(), 3, "started once, restarted after the batch fault and after the pinned one");
    message
}

/// The log of a fault pinned on job 4 of ten: the fault with jobs 4 to 9 in flight, a
/// restart, the same fault with job 4 alone, a restart; taken, the log is empty.
fn assert_recovered_fault_logged(adapter: &mut Adapter, expected: &str) {
    let events = adapter.take_fault_events();
    let kinds: Vec<&FaultEventKind> = events.iter().map(|e| &e.kind).collect();
    let [FaultEventKind::Fault { what, in_flight, pinned: false }, FaultEventKind::Restarted, FaultEventKind::Fault { what: alone, in_flight: culprit, pinned: true }, FaultEventKind::Restarted] =
        kinds.as_slice()
    else {
        panic!("{events:#?}");
    };
    assert!(what.contains(expected) || alone.contains(expected), "{events:#?}");
    assert_eq!((in_flight.first(), culprit.as_slice()), (Some(&4), &[4][..]), "{events:#?}");
    assert!(events.windows(2).all(|w| w[0].at_ms <= w[1].at_ms), "{events:#?}");
    let json = serde_json::to_value(&events[2]).unwrap();
    assert_eq!((json["event"].as_str(), json["pinned"].as_bool()), (Some("fault"), Some(true)), "{json}");
    assert!(adapter.take_fault_events().is_empty());
}

fn headers_after(adapter: &mut Adapter) -> bool {
    let headers = headers(3, &[]);
    let answers = adapter.run(&jobs(&headers));
    answers
        .iter()
        .zip(&headers)
        .all(|(a, h)| *a == Answer::ParseHeader(Outcome::Answer(vec![("header".into(), h.clone())])))
}

#[test]
fn a_crash_is_pinned_on_its_case_with_the_exit_status_and_stderr() {
    let message = pins("crash", "markers", "CRASH", "adapter exited (exit status: 3) while handling this case");
    assert!(message.contains("fake adapter: crashing on request"), "{message}");
    assert!(message.contains("with this case alone in flight"), "{message}");
}

#[test]
fn a_hang_times_out_and_is_pinned() {
    let started = Instant::now();
    pins("hang", "markers", "HANG", "no response within 500ms; killed");
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

#[test]
fn a_line_that_is_not_json_is_pinned() {
    pins("garbage", "markers", "GARBAGE", "response line is not JSON: \"not json\"");
}

#[test]
fn a_response_with_the_wrong_id_is_pinned() {
    let message = pins("wrong-id", "markers", "WRONGID", "response id ");
    assert!(message.contains("was expected"), "{message}");
}

#[test]
fn an_over_long_line_is_pinned_without_being_buffered() {
    pins("huge", "markers", "HUGE", "response line longer than 16777216 bytes");
}

#[test]
fn a_response_with_two_outcomes_is_pinned() {
    pins("invalid", "markers", "INVALID", "exactly one of result, rejected, unsupported, crashed, error");
}

#[test]
fn a_stderr_flood_is_kept_to_a_bounded_tail() {
    let message = pins("flood", "stderr-flood", "CRASH", "adapter exited (exit status: 3)");
    assert!(message.contains("earlier bytes of stderr dropped"), "{message:.300}");
    assert!(message.contains("fake adapter: crashing on request"), "the last words are in the tail");
    assert!(message.len() < TAIL_LIMIT + 1024, "{} bytes", message.len());
}

#[test]
fn a_stderr_flood_alone_is_no_fault() {
    let pids = PidFile::new("flood-only");
    let mut adapter = start_fake("stderr-flood", &pids);
    let headers = headers(8, &[]);
    let answers = adapter.run(&jobs(&headers));
    for (answer, header) in answers.iter().zip(&headers) {
        assert_echoed(answer, header);
    }
    assert_eq!(adapter.stats().faults, 0);
    adapter.stop();
    pids.assert_none_running();
}

#[test]
fn slow_cases_in_a_deep_pipeline_do_not_time_out() {
    // Six cases of 200 ms each: 1.2 s in all, but each is answered within 500 ms of
    // becoming the oldest outstanding request.
    let pids = PidFile::new("slow");
    let mut adapter = start_fake("markers", &pids);
    let headers = headers(6, &[(0, "SLOW"), (1, "SLOW"), (2, "SLOW"), (3, "SLOW"), (4, "SLOW"), (5, "SLOW")]);
    let answers = adapter.run(&jobs(&headers));
    for (answer, header) in answers.iter().zip(&headers) {
        assert_echoed(answer, header);
    }
    assert_eq!(adapter.stats().faults, 0);
}

#[test]
fn always_crashing_is_given_up_after_three_consecutive_faults() {
    let pids = PidFile::new("always-crash");
    let mut adapter = start_fake("always-crash", &pids);
    let headers = headers(500, &[]);
    let started = Instant::now();
    let answers = adapter.run(&jobs(&headers));
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    assert_eq!(answers.len(), 500);
    let messages: Vec<&str> = answers.iter().map(error_message).collect();
    let pinned = messages.iter().filter(|m| m.contains("exited (exit status: 3)") && !m.contains("given up")).count();
    let given_up = messages
        .iter()
        .filter(|m| m.contains("adapter fake-under-test was given up after 3 consecutive faults"))
        .count();
    assert_eq!((pinned, given_up), (3, 497));
    assert!(messages.iter().all(|m| m.len() < TAIL_LIMIT + 2048));
    let stats = adapter.stats();
    assert!(stats.given_up);
    assert_eq!((stats.faults, stats.restarts), (4, 3), "one batch fault, then three pinned");
    let kinds: Vec<&str> = adapter
        .fault_events()
        .iter()
        .map(|e| match &e.kind {
            FaultEventKind::Fault { pinned: false, .. } => "window fault",
            FaultEventKind::Fault { pinned: true, .. } => "pinned fault",
            FaultEventKind::Restarted => "restarted",
            FaultEventKind::RestartFailed { .. } => "restart failed",
            FaultEventKind::GivenUp { .. } => "given up",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "window fault",
            "restarted",
            "pinned fault",
            "restarted",
            "pinned fault",
            "restarted",
            "pinned fault",
            "given up"
        ]
    );
    // A given-up adapter answers at once.
    let again = adapter.run(&jobs(&headers[..5]));
    assert!(again.iter().all(|a| error_message(a).contains("was given up")));
    assert_eq!(adapter.pid(), None);
    drop(adapter);
    pids.assert_none_running();
}

#[test]
fn failed_restarts_count_and_answers_already_received_are_kept() {
    let pids = PidFile::new("no-restart");
    let mut adapter = start_fake("no-restart", &pids);
    let headers = headers(10, &[(4, "CRASH")]);
    let answers = adapter.run(&jobs(&headers));
    for (answer, header) in answers[..4].iter().zip(&headers) {
        assert_echoed(answer, header);
    }
    let first = error_message(&answers[4]);
    assert!(first.contains("given up after 3 consecutive faults"), "{first}");
    assert!(
        first.contains("restarting the adapter failed: it exited (exit status: 1) before answering start"),
        "{first}"
    );
    assert!(first.contains("fake adapter: cannot restart"), "the first given-up case shows the stderr tail: {first}");
    for answer in &answers[5..] {
        let message = error_message(answer);
        assert!(message.contains("given up") && !message.contains("stderr tail"), "{message}");
    }
    let stats = adapter.stats();
    assert_eq!((stats.faults, stats.restarts, stats.given_up), (4, 3, true), "{stats:?}");
    drop(adapter);
    pids.assert_none_running();
}

#[test]
fn an_adapter_that_exits_after_the_handshake_is_a_crash() {
    let pids = PidFile::new("exit-early");
    let mut adapter = start_fake("exit-early", &pids);
    let headers = headers(20, &[]);
    let answers = adapter.run(&jobs(&headers));
    let messages: Vec<&str> = answers.iter().map(error_message).collect();
    assert!(messages[..3].iter().all(|m| m.contains("adapter exited (exit status: 0)")), "{messages:?}");
    assert!(messages[3..].iter().all(|m| m.contains("given up")), "{messages:?}");
    drop(adapter);
    pids.assert_none_running();
}

#[test]
fn handshake_failures_are_start_errors_that_say_what_failed() {
    let pids = PidFile::new("handshakes");
    let e = start_error("bad-handshake", &pids);
    assert_eq!(e.failure, StartFailure::Garbage);
    assert!(e.message.contains("not a start response") && e.message.contains("hello, I am not JSON"), "{e}");
    assert!(e.to_string().contains("adapter fake-under-test"), "{e}");

    let e = start_error("refuse", &pids);
    assert_eq!(e.failure, StartFailure::Refused);
    assert!(e.message.contains("fake adapter refuses to serve"), "{e}");

    let e = start_error("protocol-2", &pids);
    assert_eq!(e.failure, StartFailure::ProtocolMismatch);
    assert!(e.message.contains("it speaks protocol 2, the harness speaks 1"), "{e}");

    let started = Instant::now();
    let e = start_error("slow-handshake", &pids);
    assert!(started.elapsed() < Duration::from_secs(4), "{:?}", started.elapsed());
    assert_eq!(e.failure, StartFailure::Timeout);
    assert!(e.message.contains("no answer to start within 2s"), "{e}");
    pids.assert_none_running();
    assert_eq!(pids.pids().len(), 4);
}

#[test]
fn a_command_that_does_not_exist_fails_with_its_stderr() {
    let Err(e) = Adapter::start("missing", "no-such-adapter-command-xyz --flag", config()) else {
        panic!("started");
    };
    assert_eq!(e.failure, StartFailure::Exited);
    assert!(e.message.contains("exited (exit status: 127) before answering start"), "{e}");
    assert!(e.stderr_tail.contains("not found"), "{e}");
    assert!(e.to_string().contains("no-such-adapter-command-xyz"), "{e}");
}

#[test]
fn many_jobs_stream_in_order_and_stop_leaves_nothing() {
    let pids = PidFile::new("many");
    let mut adapter = start_fake("markers", &pids);
    assert_eq!(adapter.info().name, "fake-under-test");
    assert_eq!(adapter.declared_name(), "fake");
    assert!(adapter.info().capabilities.notes.as_deref().unwrap().contains("\"fake\""));
    let headers = headers(5000, &[]);
    let answers = adapter.run(&jobs(&headers));
    assert_eq!(answers.len(), 5000);
    for (answer, header) in answers.iter().zip(&headers) {
        assert_echoed(answer, header);
    }
    let sign = sign_input();
    let answers = adapter.run(&[Job::Sign(sign.as_input())]);
    assert!(matches!(&answers[0], Answer::Sign(Outcome::Answer(trace)) if trace.signature.as_deref() == Some("fake")));
    let pgid = adapter.pid().unwrap();
    adapter.stop();
    pids.assert_none_running();
    assert_group_gone(pgid);
}

/// A child the adapter started in a session of its own (`setsid`) has left the adapter's
/// process group, which is what the harness kills; it is killed with the adapter all the same.
#[test]
fn a_setsid_child_of_the_adapter_is_killed_with_it() {
    let pids = PidFile::new("setsid");
    let command = format!("{} --spawn-setsid", fake_command("markers", &pids));
    let mut adapter = Adapter::start("fake-under-test", &command, config()).unwrap();
    let headers = headers(3, &[]);
    for (answer, header) in adapter.run(&jobs(&headers)).iter().zip(&headers) {
        assert_echoed(answer, header);
    }
    assert_eq!(pids.pids().len(), 2, "the adapter and its setsid child");
    adapter.stop();
    pids.assert_none_running();
}

#[test]
fn an_adapter_that_ignores_stop_is_killed_after_the_grace_period() {
    let pids = PidFile::new("ignore-stop");
    let grace = Duration::from_millis(300);
    let adapter = Adapter::start(
        "stubborn",
        &fake_command("ignore-stop", &pids),
        AdapterConfig { stop_grace: grace, ..config() },
    )
    .unwrap();
    let pgid = adapter.pid().unwrap();
    let started = Instant::now();
    drop(adapter);
    let took = started.elapsed();
    assert!(took >= grace && took < grace + Duration::from_secs(1), "{took:?}");
    pids.assert_none_running();
    assert_group_gone(pgid);
}

/// The RFC 5849 §3.4.1 request, owned.
struct OwnedSign {
    request: SignRequest,
    oauth: OAuthParams,
    secrets: SignSecrets,
}

impl OwnedSign {
    fn as_input(&self) -> SignInput<'_> {
        SignInput { request: &self.request, oauth: &self.oauth, secrets: &self.secrets }
    }
}

fn sign_input() -> OwnedSign {
    OwnedSign {
        request: SignRequest {
            method: "POST".into(),
            url: "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b".into(),
            content_type: Some("application/x-www-form-urlencoded".into()),
            body: Some("c2&a3=2+q".into()),
        },
        oauth: OAuthParams {
            consumer_key: "9djdj82h48djs9d2".into(),
            token: Some("kkk9d7dh3k39sjv7".into()),
            signature_method: "HMAC-SHA1".into(),
            timestamp: Some("137131201".into()),
            nonce: Some("7d8f3e4a".into()),
            version: None,
            realm: Some("Example".into()),
            extra: Vec::new(),
            compute_body_hash: false,
        },
        secrets: SignSecrets {
            consumer_secret: Some("j49sk3j29djd".into()),
            token_secret: Some("dh893hdasih9".into()),
            rsa_private_key_pem: None,
        },
    }
}

#[test]
fn serve_answers_start_parse_header_and_stop_in_memory() {
    let input = concat!(
        "{\"cmd\":\"start\",\"protocol\":1}\n",
        "{\"cmd\":\"parse_header\",\"id\":1,\"header\":\"OAuth realm=\\\"Example\\\", oauth_nonce=\\\"7d8f3e4a\\\"\"}\n",
        "{\"cmd\":\"stop\"}\n",
    );
    let mut output = Vec::new();
    serve(&mut Reference::default(), input.as_bytes(), &mut output).unwrap();
    let lines: Vec<serde_json::Value> =
        String::from_utf8(output).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    let info = serde_json::to_value(InProcess::info(&Reference::default())).unwrap();
    assert_eq!(lines[0], serde_json::json!({"ok": true, "protocol": 1, "implementation": info}));
    assert_eq!(
        lines[1],
        serde_json::json!({"id": 1, "result": {"params": [["realm", "Example"], ["oauth_nonce", "7d8f3e4a"]]}})
    );
}

fn serve_reference_command() -> String {
    std::env::var("OAUTH1_ADAPTER_COMMAND")
        .unwrap_or_else(|_| format!("'{}' serve --impl reference", env!("CARGO_BIN_EXE_oauth1-conformance")))
}

/// The whole corpus through `oauth1-conformance serve --impl reference` gives exactly the
/// answers of the reference in-process.
#[test]
fn serve_and_adapter_agree_with_the_reference_in_process() {
    let corpus = load_paths(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("../../vectors")]).unwrap();
    let jobs: Vec<Job<'_>> = corpus.cases().map(|(_, case)| job_for(case)).collect();
    assert!(jobs.len() > 50);
    let mut adapter =
        Adapter::start("ref", &serve_reference_command(), AdapterConfig::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(adapter.info().name, "ref");
    assert_eq!(adapter.declared_name(), "reference");
    let through_adapter = adapter.run(&jobs);
    let in_process = Reference::default().run(&jobs);
    assert_eq!(through_adapter, in_process);
    assert_eq!(adapter.stats().faults, 0);
    let pgid = adapter.pid().unwrap();
    adapter.stop();
    assert_group_gone(pgid);
}

/// Throughput of the adapter pipe against the reference in-process. Run with
/// `cargo test --release -p oauth1-conformance --test adapter_faults -- --ignored --nocapture throughput`.
#[test]
#[ignore = "a measurement, not a check"]
fn throughput() {
    const N: usize = 20_000;
    let sign = sign_input();
    let header = "OAuth realm=\"Example\", oauth_consumer_key=\"9djdj82h48djs9d2\", oauth_token=\"kkk9d7dh3k39sjv7\", \
                  oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"137131201\", oauth_nonce=\"7d8f3e4a\", \
                  oauth_signature=\"r6%2FTJjbCOr97%2F%2BUU0NsvSne7s5g%3D\"";
    let workloads: [(&str, Vec<Job<'_>>); 2] = [
        ("parse_header", (0..N).map(|_| Job::ParseHeader(header)).collect()),
        ("sign", (0..N).map(|_| Job::Sign(sign.as_input())).collect()),
    ];
    let mut adapter =
        Adapter::start("ref", &serve_reference_command(), AdapterConfig::default()).unwrap_or_else(|e| panic!("{e}"));
    for (kind, jobs) in &workloads {
        let started = Instant::now();
        let in_process = Reference::default().run(jobs);
        let in_process_time = started.elapsed();
        let started = Instant::now();
        let through_adapter = adapter.run(jobs);
        let adapter_time = started.elapsed();
        assert_eq!(through_adapter, in_process);
        let rate = |d: Duration| N as f64 / d.as_secs_f64();
        println!(
            "{kind}: {N} jobs; in-process {:.0} jobs/s ({in_process_time:?}); adapter {:.0} jobs/s ({adapter_time:?})",
            rate(in_process_time),
            rate(adapter_time)
        );
    }
    assert_eq!(adapter.stats().faults, 0);
}
