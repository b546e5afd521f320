//! `--exec`: each case is sent by the client under test. COMMAND runs once per case through
//! `sh -c`, in its own process group, told what to send through the environment (the
//! documented interface, `docs/capture.md`); when `--timeout` passes, the whole group is
//! killed and the case is an `error`. Status 3 means "this client cannot express the case":
//! a `skip`, with the driver's stderr as the reason.

use std::io::Read as _;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::cases::CaptureCase;
use super::server::{CaptureServer, Leg};
use crate::report::capture::{CaptureRecord, CaptureVerdict};

/// The status a driver exits with when its client cannot express a case.
pub const CANNOT_EXPRESS: i32 = 3;

/// Bytes of a driver's stderr kept (its end).
const STDERR_TAIL: usize = 4096;

/// What every driver of a run is told besides its case.
#[derive(Debug, Clone)]
pub(crate) struct DriverEnvironment {
    pub(crate) consumer_key: String,
    pub(crate) consumer_secret: String,
    pub(crate) token: Option<(String, String)>,
    pub(crate) rsa_private_key_file: Option<PathBuf>,
    pub(crate) ca_file: Option<PathBuf>,
    /// Where the body files are written.
    pub(crate) work_dir: PathBuf,
    /// This program, for drivers that sign with the reference (`explain --header-only`).
    pub(crate) program: PathBuf,
}

/// How one run of a driver ended.
#[derive(Debug)]
pub(crate) struct DriverOutcome {
    /// The exit status; `None` when it was killed at the timeout.
    pub(crate) status: Option<ExitStatus>,
    /// The end of its stderr.
    pub(crate) stderr: String,
}

/// Why a case was not sent, before any driver ran.
pub(crate) fn not_runnable(
    server: &CaptureServer,
    client: &str,
    case: &CaptureCase,
    env: &DriverEnvironment,
) -> Option<String> {
    if server.case_base(client, case).is_none() {
        let port = if server.setup().tls { 443 } else { 80 };
        return Some(format!("127.0.0.1:{port} (the scheme's default port) is in use or not permitted here"));
    }
    let method = case.method_kind().ok()?;
    if method.rsa_hash().is_some() && env.rsa_private_key_file.is_none() {
        return Some(
            "no RSA private key: give --rsa-private-key FILE with a consumer whose rsa_public_key_pem matches".into(),
        );
    }
    if case.token && env.token.is_none() {
        return Some("the credentials file has no token for the first consumer".into());
    }
    None
}

/// The environment of one case (`OAUTH1_CAPTURE_*`, `OAUTH1_*`); writes its body file.
pub(crate) fn case_environment(
    server: &CaptureServer,
    client: &str,
    slot: usize,
    case: &CaptureCase,
    env: &DriverEnvironment,
) -> std::io::Result<Vec<(String, String)>> {
    let intended = server.intended(client, case, Leg::First).ok_or_else(|| std::io::Error::other("no base URL"))?;
    let mut vars = vec![
        ("OAUTH1_CAPTURE_CASE".to_owned(), case.id.clone()),
        ("OAUTH1_CAPTURE_URL".to_owned(), intended.url),
        ("OAUTH1_CAPTURE_METHOD".to_owned(), case.method.clone()),
        ("OAUTH1_CONSUMER_KEY".to_owned(), env.consumer_key.clone()),
        ("OAUTH1_CONSUMER_SECRET".to_owned(), env.consumer_secret.clone()),
        ("OAUTH1_SIGNATURE_METHOD".to_owned(), case.signature_method.clone()),
        ("OAUTH1_CONFORMANCE".to_owned(), env.program.display().to_string()),
    ];
    if let Some(content_type) = &case.content_type {
        vars.push(("OAUTH1_CAPTURE_CONTENT_TYPE".to_owned(), content_type.clone()));
    }
    if let Some(body) = &case.body {
        let path = env.work_dir.join(format!("body-{slot}"));
        std::fs::write(&path, body.as_bytes())?;
        vars.push(("OAUTH1_CAPTURE_BODY_FILE".to_owned(), path.display().to_string()));
    }
    if let (true, Some((token, secret))) = (case.token, &env.token) {
        vars.push(("OAUTH1_TOKEN".to_owned(), token.clone()));
        vars.push(("OAUTH1_TOKEN_SECRET".to_owned(), secret.clone()));
    }
    if let Some(realm) = &case.realm {
        vars.push(("OAUTH1_REALM".to_owned(), realm.clone()));
    }
    if let (Some(path), Ok(method)) = (&env.rsa_private_key_file, case.method_kind()) {
        if method.rsa_hash().is_some() {
            vars.push(("OAUTH1_RSA_PRIVATE_KEY_FILE".to_owned(), path.display().to_string()));
        }
    }
    if let Some(path) = &env.ca_file {
        vars.push(("OAUTH1_CAPTURE_CA_FILE".to_owned(), path.display().to_string()));
    }
    Ok(vars)
}

/// Runs `command` with `vars` until it exits or `timeout` passes.
///
/// # Errors
/// When `sh` cannot be spawned.
pub(crate) fn run_driver(
    command: &str,
    vars: &[(String, String)],
    timeout: Duration,
) -> std::io::Result<DriverOutcome> {
    let mut builder = Command::new("sh");
    builder.arg("-c").arg(command).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
    // The driver sees only this case's variables, never one left over from the caller's
    // environment (an OAUTH1_TOKEN the case has none of).
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("OAUTH1_") {
            builder.env_remove(name);
        }
    }
    builder.envs(vars.iter().map(|(n, v)| (n, v)));
    {
        use std::os::unix::process::CommandExt as _;
        builder.process_group(0);
    }
    let mut child = builder.spawn()?;
    let tail = Arc::new(Mutex::new(Vec::new()));
    if let Some(mut stderr) = child.stderr.take() {
        let tail = Arc::clone(&tail);
        let _ = std::thread::Builder::new().name("capture-driver-stderr".into()).spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(n) = stderr.read(&mut buffer) {
                let Some(read) = buffer.get(..n).filter(|r| !r.is_empty()) else { break };
                let mut kept = tail.lock().unwrap_or_else(PoisonError::into_inner);
                kept.extend_from_slice(read);
                let excess = kept.len().saturating_sub(STDERR_TAIL);
                kept.drain(..excess);
            }
        });
    }
    let status = wait(&mut child, timeout);
    // Whatever the driver left running in its group goes too.
    crate::adapter::kill_group(child.id());
    if status.is_none() {
        let _ = child.kill();
        let _ = child.wait();
    }
    // The reader ends when the group's last writer is gone; give it a moment to take the rest.
    std::thread::sleep(Duration::from_millis(5));
    let stderr = String::from_utf8_lossy(&tail.lock().unwrap_or_else(PoisonError::into_inner)).trim().to_owned();
    Ok(DriverOutcome { status, stderr })
}

fn wait(child: &mut Child, timeout: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + timeout;
    let mut pause = Duration::from_millis(1);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if Instant::now() < deadline => {
                std::thread::sleep(pause.min(deadline.saturating_duration_since(Instant::now())));
                pause = (pause * 2).min(Duration::from_millis(10));
            }
            Ok(None) | Err(_) => {
                crate::adapter::kill_group(child.id());
                return None;
            }
        }
    }
}

/// A case record that holds no request.
pub(crate) fn case_record(case: &CaptureCase, verdict: CaptureVerdict, message: String) -> CaptureRecord {
    CaptureRecord {
        case: Some(case.id.clone()),
        family: Some(case.family),
        verdict,
        checks: Vec::new(),
        diagnosis: None,
        notes: Vec::new(),
        intended: None,
        received: None,
        signature_base_string: None,
        message: Some(message),
        not_run: false,
        replay: String::new(),
    }
}

/// A client command that cannot start at all: the shell's status and what it said.
pub(crate) struct CannotStart {
    pub(crate) status: i32,
    pub(crate) stderr: String,
}

/// The case's records from what arrived and how the driver ended; `Err` when the command
/// cannot start at all (only judged on the client's first case).
pub(crate) fn case_records(
    case: &CaptureCase,
    arrived: Vec<CaptureRecord>,
    outcome: &DriverOutcome,
    timeout: Duration,
    first: bool,
) -> Result<Vec<CaptureRecord>, CannotStart> {
    let stderr = if outcome.stderr.is_empty() { "(nothing on stderr)".to_owned() } else { outcome.stderr.clone() };
    let code = outcome.status.and_then(|s| s.code());
    let mut records = arrived;
    if records.is_empty() {
        let (verdict, message) = match (outcome.status, code) {
            (None, _) => (
                CaptureVerdict::Error,
                format!("timed out after {} s; its process group was killed: {stderr}", timeout.as_secs()),
            ),
            (_, Some(CANNOT_EXPRESS)) => (CaptureVerdict::Skip, stderr),
            (_, Some(126 | 127)) if first => return Err(CannotStart { status: code.unwrap_or_default(), stderr }),
            (_, Some(0)) => (CaptureVerdict::Error, format!("the client exited 0 without sending a request: {stderr}")),
            (_, Some(code)) => (
                CaptureVerdict::Error,
                format!("the client exited with status {code} without sending a request: {stderr}"),
            ),
            (Some(_), None) => (CaptureVerdict::Error, format!("the client was killed by a signal: {stderr}")),
        };
        return Ok(vec![case_record(case, verdict, message)]);
    }
    let note = match (outcome.status, code) {
        (None, _) => Some(format!("the client timed out after {} s, after sending", timeout.as_secs())),
        (_, Some(0)) => None,
        (_, Some(code)) => Some(format!("the client exited with status {code} after sending: {stderr}")),
        (Some(_), None) => Some("the client was killed by a signal after sending".to_owned()),
    };
    if case.redirect && records.len() == 1 {
        if let Some(record) = records.first_mut() {
            record.notes.push("the client did not follow the 307: nothing was re-sent".to_owned());
        }
    }
    if let (Some(note), Some(last)) = (note, records.last_mut()) {
        last.notes.push(note);
    }
    Ok(records)
}
