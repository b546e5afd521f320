//! The harness side of the adapter protocol (`adapters/PROTOCOL.md`): an implementation in
//! any language, run as a persistent child process and driven over JSON lines.
//!
//! The adapter is untrusted code, so this module assumes it may crash, hang, print garbage,
//! answer out of order, write a line of a gigabyte or flood stderr, and survives all of it
//! without panicking, hanging or losing an answer already received:
//!
//! * every wait has a deadline (`recv_timeout`, polled `try_wait`);
//! * stdout is read on its own thread, a bounded line at a time, and handed over on a bounded
//!   channel; stdin is written on its own thread, so a child that stops reading can never
//!   block the harness; stderr is drained on a third thread into a fixed-size tail;
//! * the child runs in its own process group, and the whole group is killed, because
//!   `sh -c COMMAND` may leave the real adapter as a grandchild that killing `sh` would miss;
//!   its descendants outside the group (`setsid`) are killed with it, and every adapter is
//!   registered so that an interrupt can end them all ([`kill_all_adapters`], in `reaper`);
//! * each answer is cut down to [`AnswerLimits`] as soon as it is parsed, so an adapter that
//!   answers with 15 MiB strings cannot grow the harness without bound;
//! * on a fault the child is killed and restarted, and the cases that were in flight are run
//!   again one at a time, so the case that causes the fault is pinned and the others still
//!   get their real answers. Each fault, restart and giving up is logged as a
//!   [`FaultEvent`], for the reports.

use std::collections::VecDeque;
use std::fmt;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::process::{Child, ChildStderr, ChildStdin, ChildStdout, Command as ProcessCommand, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, SyncSender, TryRecvError};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::implementation::{Answer, Implementation, ImplementationInfo, Job};
use crate::protocol::{Command, Response, StartResponse, PROTOCOL_VERSION};

mod limits;
mod reaper;

pub use limits::AnswerLimits;
use limits::Budget;
pub use reaper::{adopt_orphans, kill_all_adapters, KillAll};

/// Timeouts and limits of an adapter session; the defaults are those of the protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdapterConfig {
    /// How long the adapter may take to answer `start` (10 s).
    pub handshake_timeout: Duration,
    /// How long the oldest outstanding request may wait for its response, counted from the
    /// moment it became the oldest (5 s). Counting from then, not from when it was sent,
    /// keeps the limit per case however deep the pipeline is.
    pub case_timeout: Duration,
    /// How many requests may be outstanding at once (64).
    pub max_in_flight: usize,
    /// The longest response line accepted (16 MiB); a longer one is a fault, detected
    /// without buffering it whole.
    pub max_line_bytes: usize,
    /// How much of the end of stderr is kept to show with faults (64 KiB).
    pub stderr_tail_bytes: usize,
    /// After this many consecutive faults the adapter is given up (3).
    pub max_consecutive_faults: u32,
    /// How long the adapter may take to exit after `stop` before it is killed (2 s).
    pub stop_grace: Duration,
    /// How much of its answers is kept (1 MiB a field, 4 MiB an answer, 64 MiB in all, then
    /// 64 KiB an answer).
    pub answer_limits: AnswerLimits,
}

impl Default for AdapterConfig {
    fn default() -> Self {
        Self {
            handshake_timeout: Duration::from_secs(10),
            case_timeout: Duration::from_secs(5),
            max_in_flight: 64,
            max_line_bytes: 16 * 1024 * 1024,
            stderr_tail_bytes: 64 * 1024,
            max_consecutive_faults: 3,
            stop_grace: Duration::from_secs(2),
            answer_limits: AnswerLimits::default(),
        }
    }
}

/// What went wrong with an adapter over its life, for reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct AdapterStats {
    /// How many times the adapter was started again after a fault (failed attempts included).
    pub restarts: u32,
    /// How many faults it had: crashes, timeouts, protocol violations, failed restarts.
    pub faults: u32,
    /// Whether it was given up after too many consecutive faults.
    pub given_up: bool,
    /// Fault events not kept because [`MAX_FAULT_EVENTS`] were already waiting to be taken.
    pub events_dropped: u32,
}

/// The most [`FaultEvent`]s an adapter keeps between two [`Implementation::take_fault_events`];
/// later ones are only counted ([`AdapterStats::events_dropped`]).
pub const MAX_FAULT_EVENTS: usize = 1000;

/// Something that happened to an adapter process, in order: a fault (the process was killed),
/// a restart, a failed restart, the adapter given up. A fault followed by a restart is a
/// recovered fault: the run went on, but the report should say so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct FaultEvent {
    /// Milliseconds since the adapter was started.
    pub at_ms: u64,
    /// What happened.
    #[serde(flatten)]
    pub kind: FaultEventKind,
}

/// What a [`FaultEvent`] records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum FaultEventKind {
    /// The process crashed, hung, broke the protocol or flooded, and was killed.
    Fault {
        /// What happened, as the affected case's error gives it (without the stderr tail).
        what: String,
        /// The jobs in flight, as indices into the `jobs` of the [`Implementation::run`]
        /// call during which it happened.
        in_flight: Vec<usize>,
        /// Whether the job in flight was running alone: it is then the culprit and got an
        /// `error` answer. Otherwise the jobs in flight are re-run one at a time to find it.
        pinned: bool,
    },
    /// A new process was started and answered the handshake.
    Restarted,
    /// Starting a new process failed.
    RestartFailed {
        /// Why.
        message: String,
    },
    /// The adapter was given up: every job not yet answered got an `error` answer.
    GivenUp {
        /// Why.
        reason: String,
    },
}

/// Which step of starting an adapter failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartFailure {
    /// `sh` could not be spawned.
    Spawn,
    /// The adapter exited (or closed stdout) before answering `start`.
    Exited,
    /// No answer to `start` within the handshake timeout.
    Timeout,
    /// The answer to `start` is not a valid start response.
    Garbage,
    /// The adapter answered `{"ok": false}`.
    Refused,
    /// The adapter speaks another protocol version.
    ProtocolMismatch,
}

/// Why an adapter could not be started; the implementation is then unavailable for the run.
#[derive(Debug, Clone)]
pub struct AdapterStartError {
    /// The harness's name for the adapter.
    pub name: String,
    /// The command, as run by `sh -c`.
    pub command: String,
    /// Which step failed.
    pub failure: StartFailure,
    /// What happened.
    pub message: String,
    /// The end of the adapter's stderr (at most [`AdapterConfig::stderr_tail_bytes`]), often
    /// the real explanation (a missing module, a traceback).
    pub stderr_tail: String,
}

impl fmt::Display for AdapterStartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "adapter {} (sh -c {:?}) did not start: {}", self.name, self.command, self.message)?;
        if self.stderr_tail.is_empty() {
            write!(f, " (stderr was empty)")
        } else {
            write!(f, "\nstderr tail:\n{}", self.stderr_tail)
        }
    }
}

impl std::error::Error for AdapterStartError {}

/// An implementation behind an adapter process, driven over the adapter protocol.
///
/// Dropping it stops the adapter (`stop`, then a kill after [`AdapterConfig::stop_grace`]);
/// no child process outlives it.
#[derive(Debug)]
pub struct Adapter {
    name: String,
    command: String,
    config: AdapterConfig,
    info: ImplementationInfo,
    declared_name: String,
    process: Option<Process>,
    /// The next request id. Ids start at 1 and never repeat within this adapter's life, so
    /// a stale response from an earlier request can never be taken for the current one, and
    /// id 0 is left for lines an adapter cannot attribute.
    next_id: u64,
    consecutive_faults: u32,
    /// Why the adapter was given up, once it is: every case not yet answered gets this.
    given_up: Option<String>,
    /// The same with the last failed restart's stderr tail, for the first such case only:
    /// repeating up to 64 KiB in every remaining case of a large corpus would cost
    /// gigabytes.
    given_up_detail: Option<String>,
    stats: AdapterStats,
    /// What its answers have kept so far, across restarts.
    budget: Arc<Budget>,
    started: Instant,
    events: Vec<FaultEvent>,
}

impl Adapter {
    /// Starts `sh -c COMMAND` and performs the handshake. `name` is the harness's name for
    /// the implementation (the NAME of `--adapter NAME=COMMAND`), used in every report
    /// instead of the name the adapter declares, so that two adapters for the same library
    /// (say, two versions) stay apart; the declared name is kept in [`Self::declared_name`]
    /// and, when it differs, in the capabilities' notes.
    pub fn start(name: &str, command: &str, config: AdapterConfig) -> Result<Self, AdapterStartError> {
        let budget = Arc::new(Budget::new(config.answer_limits));
        let (process, mut info) = launch(command, &config, &budget).map_err(|(failure, message, stderr_tail)| {
            AdapterStartError { name: name.to_owned(), command: command.to_owned(), failure, message, stderr_tail }
        })?;
        let declared_name = std::mem::replace(&mut info.name, name.to_owned());
        if declared_name != name {
            let declared = format!("the adapter declares itself as {declared_name:?}");
            info.capabilities.notes = Some(match info.capabilities.notes.take() {
                Some(notes) if !notes.is_empty() => format!("{notes} ({declared})"),
                _ => declared,
            });
        }
        Ok(Self {
            name: name.to_owned(),
            command: command.to_owned(),
            config,
            info,
            declared_name,
            process: Some(process),
            next_id: 1,
            consecutive_faults: 0,
            given_up: None,
            given_up_detail: None,
            stats: AdapterStats::default(),
            budget,
            started: Instant::now(),
            events: Vec::new(),
        })
    }

    /// The implementation name the adapter declared in its handshake.
    #[must_use]
    pub fn declared_name(&self) -> &str {
        &self.declared_name
    }

    /// The command the adapter runs, through `sh -c`.
    #[must_use]
    pub fn command(&self) -> &str {
        &self.command
    }

    /// Restarts and faults so far.
    #[must_use]
    pub fn stats(&self) -> AdapterStats {
        self.stats
    }

    /// The fault events not yet taken, oldest first (see
    /// [`Implementation::take_fault_events`]).
    #[must_use]
    pub fn fault_events(&self) -> &[FaultEvent] {
        &self.events
    }

    fn log(&mut self, kind: FaultEventKind) {
        if self.events.len() >= MAX_FAULT_EVENTS {
            self.stats.events_dropped = self.stats.events_dropped.saturating_add(1);
            return;
        }
        let at_ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.events.push(FaultEvent { at_ms, kind });
    }

    /// The id of the running `sh` process, which is also the id of the adapter's process
    /// group; `None` while no adapter process runs (after a fault, before the restart).
    #[must_use]
    pub fn pid(&self) -> Option<u32> {
        self.process.as_ref().map(|p| p.child.id())
    }

    /// Stops the adapter: sends `stop`, closes its stdin, waits up to
    /// [`AdapterConfig::stop_grace`] for it to exit, then kills it.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if let Some(process) = self.process.take() {
            process.stop(self.config.stop_grace);
        }
    }

    /// Kills the current process (if any), returning its stderr tail.
    fn discard_process(&mut self) -> String {
        match self.process.take() {
            Some(mut process) => {
                process.terminate();
                process.stderr.text(Duration::from_millis(500))
            }
            None => String::new(),
        }
    }

    /// Counts a fault; gives the adapter up when there have been too many in a row. `tail`
    /// is the stderr tail when no case's message has shown it yet (a failed restart).
    fn count_fault(&mut self, what: &str, tail: &str, consecutive: bool) {
        self.stats.faults = self.stats.faults.saturating_add(1);
        if !consecutive {
            return;
        }
        self.consecutive_faults = self.consecutive_faults.saturating_add(1);
        if self.consecutive_faults >= self.config.max_consecutive_faults.max(1) {
            let reason = format!(
                "adapter {} was given up after {} consecutive faults; the last: {what}",
                self.name, self.consecutive_faults
            );
            if !tail.is_empty() {
                self.given_up_detail = Some(format!("{reason}{}", tail_suffix(tail)));
            }
            self.give_up(reason);
        }
    }

    fn give_up(&mut self, reason: String) {
        self.log(FaultEventKind::GivenUp { reason: reason.clone() });
        self.given_up = Some(reason);
        self.stats.given_up = true;
        self.discard_process();
    }

    /// Starts a new process; on failure, what failed and the stderr tail.
    fn restart(&mut self) -> Result<(), (String, String)> {
        self.discard_process();
        self.stats.restarts = self.stats.restarts.saturating_add(1);
        match launch(&self.command, &self.config, &self.budget) {
            Ok((process, _)) => {
                self.process = Some(process);
                self.log(FaultEventKind::Restarted);
                Ok(())
            }
            Err((_, message, tail)) => {
                self.log(FaultEventKind::RestartFailed { message: message.clone() });
                Err((format!("restarting the adapter failed: {message}"), tail))
            }
        }
    }
}

impl Drop for Adapter {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// A fault during [`Session::pump`]: what happened, and which jobs were outstanding.
struct Fault {
    what: String,
    in_flight: Vec<usize>,
}

impl Implementation for Adapter {
    fn info(&self) -> &ImplementationInfo {
        &self.info
    }

    fn take_fault_events(&mut self) -> Vec<FaultEvent> {
        std::mem::take(&mut self.events)
    }

    /// Pipelines `jobs` through the adapter. Jobs in flight at a fault become suspects and
    /// are re-run one at a time on a fresh process; a suspect that faults again alone is
    /// the culprit and gets an `error` answer with what happened and the stderr tail.
    ///
    /// A fault while a whole window is in flight is only a suspicion, so it does not count
    /// toward [`AdapterConfig::max_consecutive_faults`]: the confirmed faults of suspects
    /// run alone do, as do failed restarts, and any good answer resets the count. Three
    /// crashing cases in a row thus give the adapter up, but two adjacent ones do not, and
    /// progress is still guaranteed, since each suspect run alone is settled one way or the
    /// other.
    fn run(&mut self, jobs: &[Job<'_>]) -> Vec<Answer> {
        let mut answers: Vec<Option<Answer>> = std::iter::repeat_with(|| None).take(jobs.len()).collect();
        let mut queue: VecDeque<usize> = (0..jobs.len()).collect();
        let mut suspects: VecDeque<usize> = VecDeque::new();
        loop {
            if self.given_up.is_none() && self.process.is_none() && reaper::closed() {
                self.give_up(format!("adapter {} was not restarted: the run was interrupted", self.name));
            }
            if let Some(reason) = &self.given_up {
                for index in suspects.drain(..).chain(queue.drain(..)) {
                    let message = self.given_up_detail.take().unwrap_or_else(|| reason.clone());
                    answers[index] = Some(Answer::error(&jobs[index], message));
                }
                break;
            }
            let alone = !suspects.is_empty();
            if !alone && queue.is_empty() {
                break;
            }
            if self.process.is_none() {
                if let Err((what, tail)) = self.restart() {
                    self.count_fault(&what, &tail, true);
                    continue;
                }
            }
            let Some(process) = self.process.as_mut() else { continue };
            let (batch, window) =
                if alone { (&mut suspects, 1) } else { (&mut queue, self.config.max_in_flight.max(1)) };
            let mut session = Session {
                process,
                jobs,
                answers: &mut answers,
                next_id: &mut self.next_id,
                consecutive_faults: &mut self.consecutive_faults,
                config: &self.config,
            };
            let Err(fault) = session.pump(batch, window) else { continue };
            let tail = self.discard_process();
            self.log(FaultEventKind::Fault {
                what: fault.what.clone(),
                in_flight: fault.in_flight.clone(),
                pinned: alone,
            });
            if alone {
                let mut in_flight = fault.in_flight.into_iter();
                if let Some(culprit) = in_flight.next() {
                    let message = format!("{}, with this case alone in flight{}", fault.what, tail_suffix(&tail));
                    answers[culprit] = Some(Answer::error(&jobs[culprit], message));
                }
                // With a window of 1 there is no other; if there were, it would be re-run.
                for (n, index) in in_flight.enumerate() {
                    suspects.insert(n, index);
                }
                self.count_fault(&fault.what, "", true);
            } else {
                suspects.extend(fault.in_flight);
                self.count_fault(&fault.what, "", false);
            }
        }
        answers
            .into_iter()
            .zip(jobs)
            .map(|(answer, job)| {
                answer.unwrap_or_else(|| Answer::error(job, "the adapter harness lost this answer (a bug)".into()))
            })
            .collect()
    }
}

/// The state [`Session::pump`] works on, borrowed from the [`Adapter`] and its `run`.
struct Session<'a, 'j> {
    process: &'a mut Process,
    jobs: &'a [Job<'j>],
    answers: &'a mut [Option<Answer>],
    next_id: &'a mut u64,
    consecutive_faults: &'a mut u32,
    config: &'a AdapterConfig,
}

impl Session<'_, '_> {
    /// Runs the jobs of `batch` with at most `window` outstanding until the batch is done
    /// (`Ok`) or the adapter faults (`Err`, with the outstanding jobs; the ones answered
    /// before the fault keep their answers).
    ///
    /// The window is refilled only when it is half empty, and a refill goes to the writer
    /// thread as one buffer: requests then travel in bursts, one `write` per burst on each
    /// side, rather than one system call per message in lock step.
    fn pump(&mut self, batch: &mut VecDeque<usize>, window: usize) -> Result<(), Fault> {
        let mut in_flight: VecDeque<(u64, usize)> = VecDeque::with_capacity(window);
        let mut oldest_since = Instant::now();
        let mut burst = Vec::new();
        loop {
            if in_flight.len() <= window / 2 && !batch.is_empty() {
                if in_flight.is_empty() {
                    oldest_since = Instant::now();
                }
                burst.clear();
                while in_flight.len() < window {
                    let Some(index) = batch.pop_front() else { break };
                    let id = *self.next_id;
                    *self.next_id += 1;
                    let start = burst.len();
                    match serde_json::to_writer(&mut burst, &Command::for_job(id, &self.jobs[index])) {
                        Ok(()) => {
                            burst.push(b'\n');
                            in_flight.push_back((id, index));
                        }
                        Err(e) => {
                            burst.truncate(start);
                            let message = format!("the harness could not encode this request: {e}");
                            self.answers[index] = Some(Answer::error(&self.jobs[index], message));
                        }
                    }
                }
                if !burst.is_empty() {
                    self.process.send(std::mem::take(&mut burst));
                }
            }
            let Some(&(expected, index)) = in_flight.front() else { return Ok(()) };
            let fault = |what: String, in_flight: &VecDeque<(u64, usize)>| Fault {
                what,
                in_flight: in_flight.iter().map(|&(_, index)| index).collect(),
            };
            let wait = (oldest_since + self.config.case_timeout).saturating_duration_since(Instant::now());
            let event = match self.process.events.recv_timeout(wait) {
                Ok(event) => event,
                Err(RecvTimeoutError::Timeout) => {
                    let what = format!("no response within {:?}; killed", self.config.case_timeout);
                    return Err(fault(what, &in_flight));
                }
                Err(RecvTimeoutError::Disconnected) => Event::Eof,
            };
            match event {
                Event::Response(Ok(response)) if response.id == expected => {
                    match (*response).into_answer(&self.jobs[index]) {
                        Ok(answer) => {
                            self.answers[index] = Some(answer);
                            in_flight.pop_front();
                            oldest_since = Instant::now();
                            *self.consecutive_faults = 0;
                        }
                        Err(e) => {
                            return Err(fault(format!("invalid response to request {expected}: {e}"), &in_flight))
                        }
                    }
                }
                Event::Response(Ok(response)) => {
                    let what = format!("response id {} where {expected} was expected", response.id);
                    return Err(fault(what, &in_flight));
                }
                Event::Response(Err(what)) => return Err(fault(what, &in_flight)),
                Event::Raw(line) => {
                    let what = format!("unexpected line: {}", preview(&line));
                    return Err(fault(what, &in_flight));
                }
                Event::TooLong => {
                    let what = format!("response line longer than {} bytes", self.config.max_line_bytes);
                    return Err(fault(what, &in_flight));
                }
                Event::ReadFailed(e) => {
                    return Err(fault(format!("reading the adapter's stdout failed: {e}"), &in_flight))
                }
                Event::WriteFailed(e) => {
                    // The child stopped reading stdin, most likely because it died: the
                    // reader will deliver the responses it wrote before then, and end of
                    // file (or the deadline) will settle the rest.
                    self.process.write_error.get_or_insert(e);
                }
                Event::Eof => {
                    let status = self.process.wait_exit(self.config.case_timeout.min(Duration::from_secs(1)));
                    let mut what = match status {
                        Some(status) => format!("adapter exited ({status}) while handling this case"),
                        None => "adapter closed its stdout while handling this case (still running; killed)".into(),
                    };
                    if let Some(e) = &self.process.write_error {
                        what.push_str(&format!(" (writing to it failed: {e})"));
                    }
                    return Err(fault(what, &in_flight));
                }
            }
        }
    }
}

/// A line (or the end) of the adapter's stdout, as the reader thread hands it over.
#[derive(Debug)]
enum Event {
    /// The first line, unparsed: the handshake answer.
    Raw(Vec<u8>),
    /// A later line, parsed as a response; `Err` says why it is not one.
    Response(Result<Box<Response>, String>),
    /// A line longer than the limit; the reader stopped.
    TooLong,
    /// End of stdout; the reader stopped.
    Eof,
    /// Reading stdout failed; the reader stopped.
    ReadFailed(String),
    /// Writing to stdin failed (sent by the writer thread, which stopped).
    WriteFailed(String),
}

/// A running adapter process and the threads that serve its pipes.
#[derive(Debug)]
struct Process {
    child: Child,
    /// To the writer thread; dropping it closes the child's stdin.
    requests: Option<Sender<Vec<u8>>>,
    events: Receiver<Event>,
    stderr: Arc<StderrTail>,
    write_error: Option<String>,
    /// Whether the child has been waited for (its process group is then gone or orphaned).
    reaped: bool,
    /// Its descendants as seen after the handshake and before `stop`, killed with it: those
    /// that left its process group (`setsid`) are not found from it once it has exited.
    escapees: reaper::Snapshot,
}

impl Process {
    fn spawn(command: &str, config: &AdapterConfig, budget: &Arc<Budget>) -> io::Result<Self> {
        let mut builder = ProcessCommand::new("sh");
        builder.arg("-c").arg(command).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt as _;
            builder.process_group(0);
        }
        let mut child = reaper::spawn_registered(&mut builder)?;
        let (Some(stdin), Some(stdout), Some(stderr)) = (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            reaper::kill_tree(&mut child, &reaper::Snapshot::default());
            return Err(io::Error::other("the child's pipes were not created"));
        };
        let tail = Arc::new(StderrTail::new(config.stderr_tail_bytes));
        let (event_sender, events) = mpsc::sync_channel(config.max_in_flight.max(1) + 4);
        let (requests, request_receiver) = mpsc::channel();
        let max_line = config.max_line_bytes;
        let spawned = spawn_thread("adapter-stdout", {
            let event_sender = event_sender.clone();
            let budget = Arc::clone(budget);
            move || read_stdout(stdout, max_line, &budget, &event_sender)
        })
        .and_then(|()| spawn_thread("adapter-stdin", move || write_stdin(stdin, &request_receiver, &event_sender)))
        .and_then(|()| {
            spawn_thread("adapter-stderr", {
                let tail = Arc::clone(&tail);
                move || tail.drain(stderr)
            })
        });
        let process = Self {
            child,
            requests: Some(requests),
            events,
            stderr: tail,
            write_error: None,
            reaped: false,
            escapees: reaper::Snapshot::default(),
        };
        // On error, dropping `process` kills the child, which ends any thread already started.
        spawned.map(|()| process)
    }

    /// Hands `bytes` to the writer thread. A failure means the writer stopped after a write
    /// error, which it has reported as an event; the read side settles what follows.
    fn send(&mut self, bytes: Vec<u8>) {
        let sent = self.requests.as_ref().is_some_and(|requests| requests.send(bytes).is_ok());
        if !sent && self.write_error.is_none() {
            self.write_error = Some("the adapter's stdin is closed".into());
        }
    }

    /// Waits up to `within` for the child to exit by itself.
    fn wait_exit(&mut self, within: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + within;
        let mut pause = Duration::from_millis(1);
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => {
                    self.reaped_now();
                    return Some(status);
                }
                Ok(None) if Instant::now() < deadline => {
                    thread::sleep(pause.min(deadline.saturating_duration_since(Instant::now())));
                    pause = (pause * 2).min(Duration::from_millis(20));
                }
                Ok(None) | Err(_) => return None,
            }
        }
    }

    /// Called right after the child was reaped: kills what is left of its process group (an
    /// adapter that `sh` did not `exec` into, or anything it started), since nothing else
    /// would. The group id cannot have been reused while any of its members lives.
    fn reaped_now(&mut self) {
        if !self.reaped {
            self.reaped = true;
            reaper::kill_reaped_group(self.child.id(), &self.escapees);
        }
    }

    /// Remembers the child's descendants as they are now.
    fn note_escapees(&mut self) {
        if !self.reaped {
            self.escapees.add(reaper::Snapshot::descendants_of(&[self.child.id()]));
        }
    }

    /// Kills the whole process group and reaps the child.
    fn terminate(&mut self) {
        self.requests = None;
        if !self.reaped {
            reaper::kill_tree(&mut self.child, &self.escapees);
            self.reaped = true;
        }
    }

    /// The polite end: `stop`, end of stdin, a grace period, then the kill.
    fn stop(mut self, grace: Duration) {
        self.note_escapees();
        if let Some(requests) = self.requests.take() {
            let _ = requests.send(b"{\"cmd\":\"stop\"}\n".to_vec());
            // Dropping the sender lets the writer flush and close stdin.
        }
        if !self.reaped {
            self.wait_exit(grace);
        }
        self.terminate();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.terminate();
    }
}

fn spawn_thread(name: &str, body: impl FnOnce() + Send + 'static) -> io::Result<()> {
    thread::Builder::new().name(name.to_owned()).spawn(body).map(drop)
}

/// Kills what is left of process group `pgid` (a capture driver and whatever it started).
pub(crate) fn kill_group(pgid: u32) {
    reaper::kill_group(pgid, rustix::process::Signal::KILL);
}

/// Starts the adapter and performs the handshake; on failure, kills it and returns what
/// failed with its stderr tail.
fn launch(
    command: &str,
    config: &AdapterConfig,
    budget: &Arc<Budget>,
) -> Result<(Process, ImplementationInfo), (StartFailure, String, String)> {
    let mut process = Process::spawn(command, config, budget)
        .map_err(|e| (StartFailure::Spawn, format!("cannot spawn sh: {e}"), String::new()))?;
    let start = serde_json::to_vec(&Command::Start { protocol: PROTOCOL_VERSION });
    let mut line = start.unwrap_or_else(|_| br#"{"cmd":"start","protocol":1}"#.to_vec());
    line.push(b'\n');
    process.send(line);
    match handshake(&mut process, config) {
        Ok(info) => {
            process.note_escapees();
            Ok((process, info))
        }
        Err((failure, message)) => {
            process.terminate();
            let tail = process.stderr.text(Duration::from_millis(500));
            Err((failure, message, tail))
        }
    }
}

fn handshake(process: &mut Process, config: &AdapterConfig) -> Result<ImplementationInfo, (StartFailure, String)> {
    let deadline = Instant::now() + config.handshake_timeout;
    let line = loop {
        match process.events.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(Event::Raw(line)) => break line,
            Ok(Event::WriteFailed(e)) => {
                process.write_error.get_or_insert(e);
            }
            Ok(Event::TooLong) => {
                let what = format!("its answer to start is longer than {} bytes", config.max_line_bytes);
                return Err((StartFailure::Garbage, what));
            }
            Ok(Event::ReadFailed(e)) => return Err((StartFailure::Exited, format!("reading its stdout failed: {e}"))),
            Ok(Event::Response(_)) => {
                return Err((StartFailure::Garbage, "unexpected line before the handshake".into()))
            }
            Ok(Event::Eof) | Err(RecvTimeoutError::Disconnected) => {
                let what = match process.wait_exit(Duration::from_secs(1)) {
                    Some(status) => format!("it exited ({status}) before answering start"),
                    None => "it closed its stdout before answering start".into(),
                };
                return Err((StartFailure::Exited, what));
            }
            Err(RecvTimeoutError::Timeout) => {
                let what = format!("no answer to start within {:?}; killed", config.handshake_timeout);
                return Err((StartFailure::Timeout, what));
            }
        }
    };
    let response: StartResponse = serde_json::from_slice(&line).map_err(|e| {
        (StartFailure::Garbage, format!("its answer to start is not a start response ({e}): {}", preview(&line)))
    })?;
    if !response.ok {
        let why = response.error.unwrap_or_else(|| "no reason given".into());
        return Err((StartFailure::Refused, format!("it refused protocol {PROTOCOL_VERSION}: {why}")));
    }
    if response.protocol != Some(PROTOCOL_VERSION) {
        let theirs = response.protocol.map_or_else(|| "no protocol".to_owned(), |p| format!("protocol {p}"));
        return Err((
            StartFailure::ProtocolMismatch,
            format!("it speaks {theirs}, the harness speaks {PROTOCOL_VERSION}"),
        ));
    }
    response.implementation.ok_or_else(|| (StartFailure::Garbage, "its answer to start has no implementation".into()))
}

/// The reader thread: one bounded line at a time, parsed off the harness's main thread and
/// cut down to the answer limits before it is queued. `read_until` on a `take` never holds
/// more than `max_line + 1` bytes of a line.
fn read_stdout(stdout: ChildStdout, max_line: usize, budget: &Budget, events: &SyncSender<Event>) {
    let mut reader = BufReader::with_capacity(64 * 1024, stdout);
    let mut line = Vec::new();
    let mut first = true;
    let limit = u64::try_from(max_line).unwrap_or(u64::MAX).saturating_add(1);
    loop {
        line.clear();
        if line.capacity() > 1 << 20 {
            line = Vec::new();
        }
        let event = match (&mut reader).take(limit).read_until(b'\n', &mut line) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => Event::ReadFailed(e.to_string()),
            Ok(0) => Event::Eof,
            Ok(_) if line.last() == Some(&b'\n') => {
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                if std::mem::take(&mut first) {
                    Event::Raw(line.clone())
                } else {
                    Event::Response(parse_response(&line).map(|mut response| {
                        budget.limit(&mut response);
                        Box::new(response)
                    }))
                }
            }
            Ok(n) if u64::try_from(n).unwrap_or(u64::MAX) >= limit => Event::TooLong,
            // An unterminated last line: the adapter is going away mid-line.
            Ok(_) => Event::Eof,
        };
        let last = matches!(event, Event::Eof | Event::TooLong | Event::ReadFailed(_));
        if events.send(event).is_err() || last {
            return;
        }
    }
}

/// Parses a response line, or says precisely why it is not one.
fn parse_response(line: &[u8]) -> Result<Response, String> {
    serde_json::from_slice::<Response>(line).map_err(|schema_error| {
        let shown = preview(line);
        match serde_json::from_slice::<serde_json::Value>(line) {
            Err(_) => format!("response line is not JSON: {shown}"),
            Ok(serde_json::Value::Object(object)) => match object.get("id") {
                None => format!("response has no id: {shown}"),
                Some(id) if id.as_u64().is_none() => format!("response id is not a non-negative integer: {shown}"),
                Some(_) => format!("response does not follow the protocol ({schema_error}): {shown}"),
            },
            Ok(_) => format!("response line is not a JSON object: {shown}"),
        }
    })
}

/// The writer thread: writes whatever arrives and flushes when nothing more is queued, so a
/// burst costs one system call and a lone request is never left sitting in the buffer.
fn write_stdin(stdin: ChildStdin, requests: &Receiver<Vec<u8>>, events: &SyncSender<Event>) {
    let mut out = BufWriter::with_capacity(64 * 1024, stdin);
    let result = (|| -> io::Result<()> {
        loop {
            let bytes = match requests.try_recv() {
                Ok(bytes) => bytes,
                Err(TryRecvError::Empty) => {
                    out.flush()?;
                    match requests.recv() {
                        Ok(bytes) => bytes,
                        Err(_) => return out.flush(),
                    }
                }
                Err(TryRecvError::Disconnected) => return out.flush(),
            };
            out.write_all(&bytes)?;
        }
    })();
    if let Err(e) = result {
        let _ = events.send(Event::WriteFailed(e.to_string()));
    }
    // Dropping `out` closes the child's stdin.
}

/// The last bytes of the adapter's stderr.
#[derive(Debug)]
struct StderrTail {
    capacity: usize,
    state: Mutex<TailState>,
    closed: Condvar,
}

#[derive(Debug, Default)]
struct TailState {
    bytes: VecDeque<u8>,
    dropped: u64,
    eof: bool,
}

impl StderrTail {
    fn new(capacity: usize) -> Self {
        Self { capacity, state: Mutex::new(TailState::default()), closed: Condvar::new() }
    }

    /// The stderr thread: keeps only the last `capacity` bytes, however much is written.
    fn drain(&self, mut stderr: ChildStderr) {
        let mut buffer = vec![0; 64 * 1024];
        loop {
            let n = match stderr.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            };
            let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            let chunk = &buffer[n.saturating_sub(self.capacity)..n];
            state.dropped += u64::try_from(n - chunk.len()).unwrap_or(0);
            state.bytes.extend(chunk);
            let excess = state.bytes.len().saturating_sub(self.capacity);
            state.bytes.drain(..excess);
            state.dropped += u64::try_from(excess).unwrap_or(0);
        }
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.eof = true;
        self.closed.notify_all();
    }

    /// The tail as text, after waiting up to `wait` for the stderr thread to reach end of
    /// file (so that a crashing adapter's last words are included). At most `capacity`
    /// bytes, plus a one-line note when earlier output was dropped.
    fn text(&self, wait: Duration) -> String {
        let guard = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let (state, _) =
            self.closed.wait_timeout_while(guard, wait, |s| !s.eof).unwrap_or_else(PoisonError::into_inner);
        let (front, back) = state.bytes.as_slices();
        let bytes = [front, back].concat();
        let mut text = String::from_utf8_lossy(&bytes).into_owned();
        if text.len() > self.capacity {
            // Replacement characters can make the text longer than the bytes.
            let mut cut = text.len() - self.capacity;
            while !text.is_char_boundary(cut) {
                cut += 1;
            }
            text.drain(..cut);
        }
        if state.dropped > 0 {
            text.insert_str(0, &format!("[{} earlier bytes of stderr dropped]\n", state.dropped));
        }
        text
    }
}

fn tail_suffix(tail: &str) -> String {
    if tail.is_empty() {
        "; stderr was empty".into()
    } else {
        format!("; stderr tail:\n{tail}")
    }
}

/// The first 200 characters of a line, quoted, for messages.
fn preview(line: &[u8]) -> String {
    let text = String::from_utf8_lossy(line);
    let mut shown: String = text.chars().take(200).collect();
    if shown.len() < text.len() {
        shown.push('…');
    }
    format!("{shown:?}")
}
