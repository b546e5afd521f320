//! Every adapter process the harness starts, and the means to end them all.
//!
//! An adapter runs in a process group of its own, so the terminal's Ctrl-C never reaches it:
//! the harness must kill it. Killing the group is not enough either: a descendant that called
//! `setsid` (a daemon, a helper started with `setsid cmd &`) has left the group, and one whose
//! parent has exited is reparented away from the adapter. So:
//!
//! * every adapter is started under the registry's lock and its group recorded until it is
//!   reaped, so [`kill_all_adapters`] (the interrupt handler's call) finds every one, and no
//!   adapter starts once it has run;
//! * killing or stopping an adapter also kills its descendants as `/proc` shows them just
//!   before, which reaches a `setsid` child whose parent still lives; they are held by pidfd
//!   from the moment they are found, so the signal reaches exactly them even if one exits and
//!   its id is reused meanwhile;
//! * after [`adopt_orphans`] (the command line calls it once), the harness is a child
//!   subreaper (Linux `PR_SET_CHILD_SUBREAPER`): a descendant whose parent exits becomes the
//!   harness's child instead of init's, and since the harness starts no other children, any
//!   child it did not register is such an escapee, killed with the last adapter or on
//!   interrupt.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io;
use std::process::{Child, Command};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use rustix::process::{Pid, Signal};

/// The adapter processes alive now.
#[derive(Debug)]
struct Registry {
    /// The ids of the running `sh` processes, each also its process group's id.
    groups: BTreeSet<u32>,
    /// Set by [`kill_all_adapters`]: no adapter starts after it.
    closed: bool,
    /// Set by [`adopt_orphans`]: children of this process that are not in `groups` are
    /// escaped adapter descendants.
    adopting: bool,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry { groups: BTreeSet::new(), closed: false, adopting: false });

fn registry() -> MutexGuard<'static, Registry> {
    REGISTRY.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Spawns `builder` (which must put the child in a new process group) and records it, both
/// under the lock, so that an interrupt sees every adapter that exists. Refused once
/// [`kill_all_adapters`] has run.
pub(super) fn spawn_registered(builder: &mut Command) -> io::Result<Child> {
    let mut registry = registry();
    if registry.closed {
        return Err(io::Error::other("the run is being interrupted; no adapter is started"));
    }
    let child = builder.spawn()?;
    registry.groups.insert(child.id());
    Ok(child)
}

/// Whether [`kill_all_adapters`] has run.
pub(super) fn closed() -> bool {
    registry().closed
}

/// Processes found in `/proc` at one moment, held so that a later signal reaches exactly
/// them: by pidfd on Linux (a pidfd names one process, never a later one with the same id),
/// by id elsewhere or where pidfds are unavailable.
#[derive(Debug, Default)]
pub(super) struct Snapshot {
    processes: Vec<(u32, Option<std::os::fd::OwnedFd>)>,
}

impl Snapshot {
    /// The live descendants of `roots` (not the roots).
    pub(super) fn descendants_of(roots: &[u32]) -> Self {
        Self { processes: descendants(roots).into_iter().map(|pid| (pid, pidfd(pid))).collect() }
    }

    /// Adds the processes of `newer` not already held.
    pub(super) fn add(&mut self, newer: Self) {
        for (pid, fd) in newer.processes {
            if !self.processes.iter().any(|&(held, _)| held == pid) {
                self.processes.push((pid, fd));
            }
        }
    }

    fn pids(&self) -> Vec<u32> {
        self.processes.iter().map(|&(pid, _)| pid).collect()
    }

    fn len(&self) -> usize {
        self.processes.len()
    }

    fn any_alive(&self) -> bool {
        self.processes.iter().any(|&(pid, _)| is_alive(pid))
    }

    pub(super) fn signal(&self, signal: Signal) {
        for (pid, fd) in &self.processes {
            match fd {
                #[cfg(target_os = "linux")]
                Some(fd) => {
                    let _ = rustix::process::pidfd_send_signal(fd, signal);
                }
                _ => kill_process(*pid, signal),
            }
        }
    }
}

#[cfg(target_os = "linux")]
fn pidfd(pid: u32) -> Option<std::os::fd::OwnedFd> {
    rustix::process::pidfd_open(raw_pid(pid)?, rustix::process::PidfdFlags::empty()).ok()
}

#[cfg(not(target_os = "linux"))]
fn pidfd(_pid: u32) -> Option<std::os::fd::OwnedFd> {
    None
}

/// Kills `child`'s process group and every descendant of it, then the child itself, and
/// reaps it. The group and the descendants are killed first, while the child is unreaped and
/// its id therefore cannot name another group. `earlier` holds descendants found before
/// (before a `stop`, say, after which they are orphaned and no longer found from the child).
/// With the last adapter gone, escaped orphans are killed too.
pub(super) fn kill_tree(child: &mut Child, earlier: &Snapshot) {
    let pid = child.id();
    let escaped = Snapshot::descendants_of(&[pid]);
    kill_group(pid, Signal::KILL);
    escaped.signal(Signal::KILL);
    earlier.signal(Signal::KILL);
    let _ = child.kill();
    let _ = child.wait();
    forget(pid, &[&escaped, earlier]);
}

/// Called right after `pid` was reaped by its owner: kills what is left of its process group
/// (an adapter that `sh` did not `exec` into, or anything it started) and the descendants in
/// `earlier`.
pub(super) fn kill_reaped_group(pid: u32, earlier: &Snapshot) {
    kill_group(pid, Signal::KILL);
    earlier.signal(Signal::KILL);
    forget(pid, &[earlier]);
}

/// Removes a reaped adapter from the registry, reaps those of `killed` that had become this
/// process's children, and with the last adapter gone kills the orphans.
fn forget(pid: u32, killed: &[&Snapshot]) {
    let mut registry = registry();
    registry.groups.remove(&pid);
    for snapshot in killed {
        reap(&snapshot.pids(), &registry);
    }
    if registry.groups.is_empty() && registry.adopting {
        kill_orphans(&registry);
    }
}

/// Makes this process a child subreaper (Linux), so that a descendant of an adapter whose
/// parent exits is reparented to the harness, where [`kill_all_adapters`] and the end of the
/// last adapter find it, instead of to init, where it would outlive the run. From then on,
/// every child of this process that is not a registered adapter counts as such an orphan:
/// call this only in a process that starts no other children (the command line, not a
/// library user or a test harness that runs other commands).
///
/// # Errors
///
/// Where the kernel has no child subreapers (not Linux), or `prctl` fails.
pub fn adopt_orphans() -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        rustix::process::set_child_subreaper(Some(rustix::process::getpid()))?;
        registry().adopting = true;
        Ok(())
    }
    #[cfg(not(target_os = "linux"))]
    Err(io::Error::new(io::ErrorKind::Unsupported, "child subreapers are a Linux feature"))
}

/// What [`kill_all_adapters`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KillAll {
    /// Adapter process groups signalled.
    pub groups: usize,
    /// Processes outside those groups signalled: `setsid` descendants and adopted orphans.
    pub escaped: usize,
    /// Whether anything was still alive after the grace period and had to be killed.
    pub killed_after_grace: bool,
}

/// Ends every adapter this process started, for an interrupt: SIGTERM to every adapter
/// process group, to every descendant outside them and (after [`adopt_orphans`]) to every
/// orphan; up to `grace` for them to exit; then SIGKILL to whatever is left. No adapter starts
/// afterwards (a row's restart after the fault this causes is refused), so a run winds down
/// instead of starting them again. Safe to call from any thread, more than once.
pub fn kill_all_adapters(grace: Duration) -> KillAll {
    let mut registry = registry();
    registry.closed = true;
    let groups: Vec<u32> = registry.groups.iter().copied().collect();
    // The descendants of every adapter and orphan, and the orphans themselves (this process's
    // children, so their ids cannot be reused before they are reaped here).
    let targets = |registry: &Registry| {
        let orphans = if registry.adopting { orphans(registry) } else { Vec::new() };
        let roots: Vec<u32> = groups.iter().chain(&orphans).copied().collect();
        (Snapshot::descendants_of(&roots), orphans)
    };
    let (escaped, orphans) = targets(&registry);
    for &group in &groups {
        kill_group(group, Signal::TERM);
    }
    escaped.signal(Signal::TERM);
    for &orphan in &orphans {
        kill_process(orphan, Signal::TERM);
    }
    let deadline = Instant::now() + grace;
    let alive = || {
        groups.iter().any(|&g| !group_members(g).is_empty())
            || escaped.any_alive()
            || orphans.iter().any(|&p| is_alive(p))
    };
    while alive() && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(10));
    }
    let killed_after_grace = alive();
    // Again from the top: a descendant may have started, or been orphaned, meanwhile.
    let (escaped_now, _) = targets(&registry);
    for &group in &groups {
        kill_group(group, Signal::KILL);
    }
    escaped.signal(Signal::KILL);
    escaped_now.signal(Signal::KILL);
    if registry.adopting {
        kill_orphans(&registry);
    }
    reap(&escaped.pids(), &registry);
    KillAll { groups: groups.len(), escaped: escaped.len() + orphans.len(), killed_after_grace }
}

/// SIGKILL to every orphan and its descendants; the orphans are then reaped.
fn kill_orphans(registry: &Registry) {
    let orphans = orphans(registry);
    if orphans.is_empty() {
        return;
    }
    Snapshot::descendants_of(&orphans).signal(Signal::KILL);
    for &orphan in &orphans {
        kill_process(orphan, Signal::KILL);
    }
    // SIGKILL is not instantaneous: give the orphans a moment to become reapable zombies.
    let deadline = Instant::now() + Duration::from_millis(200);
    while orphans.iter().any(|&pid| is_alive(pid)) && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(5));
    }
    reap(&orphans, registry);
}

/// Waits (without blocking) for those of `pids` that are this process's children and not
/// registered adapters, so that the orphans killed do not stay zombies for the whole run. A
/// registered adapter is never waited for here: its `Child` does that. Called with the lock
/// held, so no adapter can be spawned (and take a reaped id) meanwhile.
fn reap(pids: &[u32], registry: &Registry) {
    let me = std::process::id();
    for &pid in pids {
        if registry.groups.contains(&pid) || parent_of(pid) != Some(me) {
            continue;
        }
        if let Some(pid) = raw_pid(pid) {
            let _ = rustix::process::waitpid(Some(pid), rustix::process::WaitOptions::NOHANG);
        }
    }
}

/// The children of this process that are not registered adapters: with
/// [`Registry::adopting`], descendants of adapters whose parents exited.
fn orphans(registry: &Registry) -> Vec<u32> {
    let me = std::process::id();
    processes().into_iter().filter(|p| p.parent == me && !registry.groups.contains(&p.pid)).map(|p| p.pid).collect()
}

/// One line of `/proc/PID/stat`, the fields needed here.
#[derive(Debug, Clone, Copy)]
struct ProcessEntry {
    pid: u32,
    parent: u32,
    group: u32,
    alive: bool,
}

/// `/proc/PID/stat`: `pid (comm) state ppid pgrp …`; `comm` may hold spaces and `)`, so the
/// fields are counted from the last `)`.
fn stat(pid: u32) -> Option<ProcessEntry> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let mut fields = text.get(text.rfind(')')? + 1..)?.split_whitespace();
    let state = fields.next()?;
    let parent = fields.next()?.parse().ok()?;
    let group = fields.next()?.parse().ok()?;
    Some(ProcessEntry { pid, parent, group, alive: !matches!(state, "Z" | "X" | "x") })
}

/// Every process `/proc` lists (none where there is no `/proc`).
fn processes() -> Vec<ProcessEntry> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    entries.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok()).filter_map(stat).collect()
}

fn parent_of(pid: u32) -> Option<u32> {
    stat(pid).map(|p| p.parent)
}

fn is_alive(pid: u32) -> bool {
    stat(pid).is_some_and(|p| p.alive)
}

fn group_members(group: u32) -> Vec<u32> {
    processes().into_iter().filter(|p| p.alive && p.group == group).map(|p| p.pid).collect()
}

/// The live descendants of `roots` (not the roots themselves), from one snapshot of `/proc`.
fn descendants(roots: &[u32]) -> Vec<u32> {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    for p in processes().into_iter().filter(|p| p.alive) {
        children.entry(p.parent).or_default().push(p.pid);
    }
    // A cycle cannot occur in a real process tree; the set keeps a racy snapshot from looping.
    let mut seen: HashSet<u32> = roots.iter().copied().collect();
    let mut found = Vec::new();
    let mut stack: Vec<u32> = roots.to_vec();
    while let Some(pid) = stack.pop() {
        for &child in children.get(&pid).map_or(&[][..], Vec::as_slice) {
            if seen.insert(child) {
                found.push(child);
                stack.push(child);
            }
        }
    }
    found
}

fn raw_pid(pid: u32) -> Option<Pid> {
    Pid::from_raw(i32::try_from(pid).ok()?)
}

/// `kill(-pgid, signal)`. Groups 0 and 1 are never signalled: they would mean every process.
pub(super) fn kill_group(group: u32, signal: Signal) {
    if let Some(pid) = raw_pid(group).filter(|_| group > 1) {
        let _ = rustix::process::kill_process_group(pid, signal);
    }
}

fn kill_process(pid: u32, signal: Signal) {
    if let Some(raw) = raw_pid(pid).filter(|_| pid > 1 && pid != std::process::id()) {
        let _ = rustix::process::kill_process(raw, signal);
    }
}
