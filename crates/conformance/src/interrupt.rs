//! Ctrl-C (SIGINT) and SIGTERM during a run.
//!
//! Adapters run in process groups of their own (so that a fault can kill one whole), which
//! also means the terminal's SIGINT reaches only the harness: without a handler, an
//! interrupted run leaves every busy adapter running. [`install`] starts a thread that waits
//! for either signal (`signal-hook`'s self-pipe: nothing runs in the signal handler itself)
//! and on the first one ends every adapter ([`crate::adapter::kill_all_adapters`]: SIGTERM,
//! [`GRACE`], SIGKILL; no adapter is started afterwards), then tells the caller, which writes
//! what it has gathered and exits with [`Signal::exit_code`]. A second signal ends the
//! process at once, for a user who will not wait for the reports.

use std::io;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::thread;
use std::time::Duration;

use signal_hook::consts::signal::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use crate::adapter::{kill_all_adapters, KillAll};

/// How long adapters have to exit between SIGTERM and SIGKILL.
pub const GRACE: Duration = Duration::from_millis(500);

/// A signal that interrupts a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// SIGINT: Ctrl-C at the terminal.
    Interrupt,
    /// SIGTERM: `kill`, a CI runner's cancellation, a container stopping.
    Terminate,
}

impl Signal {
    fn from_number(number: i32) -> Option<Self> {
        match number {
            SIGINT => Some(Self::Interrupt),
            SIGTERM => Some(Self::Terminate),
            _ => None,
        }
    }

    /// The signal's number.
    #[must_use]
    pub fn number(self) -> i32 {
        match self {
            Self::Interrupt => SIGINT,
            Self::Terminate => SIGTERM,
        }
    }

    /// Its name, `SIGINT` or `SIGTERM`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Interrupt => "SIGINT",
            Self::Terminate => "SIGTERM",
        }
    }

    /// The shell's convention for a process ended by a signal, 128 + its number: 130 for
    /// SIGINT, 143 for SIGTERM.
    #[must_use]
    pub fn exit_code(self) -> u8 {
        match self {
            Self::Interrupt => 130,
            Self::Terminate => 143,
        }
    }
}

/// The first signal received, 0 before.
static RECEIVED: AtomicI32 = AtomicI32::new(0);
static INSTALLED: AtomicBool = AtomicBool::new(false);

/// The first interrupting signal received, if one has been.
#[must_use]
pub fn received() -> Option<Signal> {
    Signal::from_number(RECEIVED.load(Ordering::SeqCst))
}

/// Handles SIGINT and SIGTERM from now on: on the first, every adapter is ended and then
/// `on_interrupt` is called (on the handler's thread) with the signal and what was killed;
/// on a second, the adapters are killed without grace and the process exits with the
/// signal's [`Signal::exit_code`]. The command line calls this once, before starting rows,
/// together with [`crate::adapter::adopt_orphans`].
///
/// # Errors
///
/// When the handlers cannot be registered or the thread started, or when called twice.
pub fn install(on_interrupt: impl FnOnce(Signal, KillAll) + Send + 'static) -> io::Result<()> {
    if INSTALLED.swap(true, Ordering::SeqCst) {
        return Err(io::Error::new(io::ErrorKind::AlreadyExists, "the interrupt handler is already installed"));
    }
    let mut signals = Signals::new([SIGINT, SIGTERM])?;
    let mut on_interrupt = Some(on_interrupt);
    thread::Builder::new()
        .name("interrupt".into())
        .spawn(move || {
            for number in signals.forever() {
                let Some(signal) = Signal::from_number(number) else { continue };
                let first = RECEIVED.compare_exchange(0, number, Ordering::SeqCst, Ordering::SeqCst).is_ok();
                if !first {
                    kill_all_adapters(Duration::ZERO);
                    std::process::exit(i32::from(signal.exit_code()));
                }
                let killed = kill_all_adapters(GRACE);
                if let Some(on_interrupt) = on_interrupt.take() {
                    on_interrupt(signal, killed);
                }
            }
        })
        .map(drop)
}
