//! The matrix's processes: each server (and each proxy) in a process group of its own, started
//! through `sh -c`, ready when it prints its listening line, stopped with SIGTERM to the whole
//! group (SIGKILL after 10 s), and checked gone: no member of the group alive, its port closed.
//! Group members are read from `/proc` (a zombie that init has not reaped yet is not alive).

use std::fs;
use std::io::{BufRead as _, BufReader};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt as _;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long a server may take to print its listening line.
const START_TIMEOUT: Duration = Duration::from_secs(60);
/// How long SIGTERM may take to end a process group.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);

/// A free TCP port of 127.0.0.1 (free when asked; the server binds it a moment later).
pub(super) fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port on 127.0.0.1: {e}"))?;
    listener.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

/// Whether something accepts connections on 127.0.0.1:`port`.
pub(super) fn listening(port: u16) -> bool {
    TcpStream::connect_timeout(&SocketAddr::from(([127, 0, 0, 1], port)), Duration::from_secs(1)).is_ok()
}

/// Signals process group `pgid` (`kill` the command: the standard library has no killpg).
fn signal_group(pgid: u32, signal: &str) {
    let _ = Command::new("kill")
        .args([&format!("-{signal}"), "--", &format!("-{pgid}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// Whether a process of group `pgid` is alive (not a zombie).
fn group_alive(pgid: u32) -> bool {
    let Ok(entries) = fs::read_dir("/proc") else { return false };
    entries.flatten().any(|entry| {
        let Ok(stat) = fs::read_to_string(entry.path().join("stat")) else { return false };
        // pid (comm) state ppid pgrp …: comm may hold spaces and parentheses, so read after the last ')'.
        let fields: Vec<&str> = stat.rsplit_once(')').map_or("", |(_, rest)| rest).split_whitespace().collect();
        fields.first().is_some_and(|state| *state != "Z") && fields.get(2).is_some_and(|pgrp| *pgrp == pgid.to_string())
    })
}

/// Runs `command` to its end, killed after `deadline`; its exit code.
pub(super) fn run_with_deadline(command: &mut Command, deadline: Duration) -> Result<i32, String> {
    let mut child = command.spawn().map_err(|e| format!("cannot run the probe: {e}"))?;
    let started = Instant::now();
    loop {
        match child.try_wait().map_err(|e| e.to_string())? {
            Some(status) => return status.code().ok_or_else(|| "the probe was killed by a signal".to_owned()),
            None if started.elapsed() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("the probe did not end within {} s (killed)", deadline.as_secs()));
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

/// A started process group.
pub(super) struct Started {
    name: String,
    child: Child,
    pgid: u32,
    reader: Option<JoinHandle<()>>,
}

impl Started {
    /// Starts `command` from `root` in a process group of its own, its stderr into `log`, and
    /// waits for `expected` on its stdout.
    pub(super) fn start(name: &str, command: &str, root: &Path, expected: &str, log: &Path) -> Result<Self, String> {
        let log_file = fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
        let mut child = Command::new("sh")
            .args(["-c", command])
            .current_dir(root)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log_file)
            .process_group(0)
            .spawn()
            .map_err(|e| format!("{name}: cannot start `{command}`: {e}"))?;
        let pgid = child.id();
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let (lines, received) = mpsc::channel();
        // Reads every line to the end, so that a chatty server never blocks on a full pipe.
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = lines.send(line);
            }
        });
        let mut started = Self { name: name.to_owned(), child, pgid, reader: Some(reader) };
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match received.recv_timeout(left) {
                Ok(line) if line.trim() == expected => return Ok(started),
                Ok(_) => {}
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    let _ = started.stop();
                    return Err(format!(
                        "{name} did not print {expected:?} within {} s (log: {})",
                        START_TIMEOUT.as_secs(),
                        log.display()
                    ));
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    let status = started.child.wait().map(|s| s.to_string()).unwrap_or_default();
                    let _ = started.stop();
                    return Err(format!(
                        "{name} exited ({status}) before printing {expected:?} (log: {})",
                        log.display()
                    ));
                }
            }
        }
    }

    /// Stops the whole group: SIGTERM, then SIGKILL after [`STOP_TIMEOUT`]; `Err` when it had
    /// to be killed.
    pub(super) fn stop(mut self) -> Result<(), String> {
        let started = Instant::now();
        signal_group(self.pgid, "TERM");
        while started.elapsed() < STOP_TIMEOUT {
            let _ = self.child.try_wait();
            if !group_alive(self.pgid) {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let clean = !group_alive(self.pgid);
        if !clean {
            signal_group(self.pgid, "KILL");
        }
        let _ = self.child.wait();
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        if clean {
            Ok(())
        } else {
            Err(format!("{} did not stop within {} s of SIGTERM (killed)", self.name, STOP_TIMEOUT.as_secs()))
        }
    }
}
