//! Implementations × cases: every row of the matrix run, `jobs` at a time, each in its own
//! thread with its implementation built there (so nothing but results crosses threads); rows
//! come back in the order they were asked for.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use oauth1_vectors::Corpus;

use crate::adapter::{Adapter, AdapterConfig};
use crate::baseline::Baseline;
use crate::implementation::{Implementation, InProcess};
use crate::peers;
use crate::reference_impl::{QuirkedReference, Reference};
use crate::report::Unavailable;
use crate::session::{run_row, Driver, Plan, Row};

/// A row to run.
#[derive(Debug, Clone)]
pub struct RowSpec {
    /// Its name in reports (and its baseline's file name).
    pub name: String,
    /// How it is driven.
    pub driver: Driver,
    /// What its baseline knows of it (empty when it has none): the quirks searched first, the
    /// cases recorded as unexplained.
    pub known: Baseline,
}

/// The in-process implementations by name: the reference, then every Rust peer.
#[must_use]
pub fn in_process_names() -> Vec<&'static str> {
    std::iter::once("reference").chain(peers::names()).collect()
}

/// The in-process implementation called `name`: the reference, a Rust peer, or the
/// reference with catalogued quirks switched on (`reference+QUIRK[+QUIRK…]`).
#[must_use]
pub fn in_process_named(name: &str) -> Option<Box<dyn InProcess>> {
    match name {
        "reference" => Some(Box::new(Reference::default())),
        _ => QuirkedReference::named(name)
            .map(|quirked| Box::new(quirked) as Box<dyn InProcess>)
            .or_else(|| peers::in_process_by_name(name)),
    }
}

/// Whether `name` can name a row: `/`-separated segments of ASCII letters, digits, `.`, `_`,
/// `-` and `+`, none empty, `.` or `..` (it names a baseline file under the baselines directory,
/// which it must not leave).
#[must_use]
pub fn is_valid_row_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && name.split('/').all(|segment| {
            !segment.is_empty()
                && segment != "."
                && segment != ".."
                && segment.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-+".contains(&b))
        })
}

/// A harness failure of a row (never a verdict): the row, and what failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The row names no in-process implementation.
    #[error("unknown implementation {0:?}")]
    UnknownImplementation(String),
    /// The row failed.
    #[error("{row}: {source}")]
    Row {
        /// The row.
        row: String,
        /// What failed.
        #[source]
        source: crate::session::Error,
    },
    /// A row's thread panicked while holding the results.
    #[error("a row's thread panicked")]
    Panicked,
}

/// How one row ended.
enum Done {
    Row(Box<Row>),
    Unavailable(Unavailable),
    Failed(Error),
}

/// What the caller hears while the rows run: a row started, a row finished.
pub trait Progress: Sync {
    /// Row `name` started.
    fn started(&self, name: &str);
    /// Row `name` finished.
    fn finished(&self, name: &str);
}

/// No progress shown.
pub struct Silent;

impl Progress for Silent {
    fn started(&self, _: &str) {}
    fn finished(&self, _: &str) {}
}

fn run_one(spec: &RowSpec, corpus: Option<&Corpus>, plan: &Plan, config: &AdapterConfig) -> Done {
    let mut implementation: Box<dyn Implementation> = match &spec.driver {
        Driver::InProcess => match in_process_named(&spec.name) {
            Some(implementation) => Box::new(implementation),
            None => return Done::Failed(Error::UnknownImplementation(spec.name.clone())),
        },
        Driver::Adapter { command } => match Adapter::start(&spec.name, command, config.clone()) {
            Ok(adapter) => Box::new(adapter),
            Err(e) => {
                return Done::Unavailable(Unavailable { implementation: spec.name.clone(), reason: e.to_string() })
            }
        },
    };
    match run_row(implementation.as_mut(), spec.driver.clone(), corpus, plan, &spec.known) {
        Ok(row) => Done::Row(Box::new(row)),
        Err(source) => Done::Failed(Error::Row { row: spec.name.clone(), source }),
    }
}

/// Runs every row of `specs`, `jobs` at a time. An adapter that cannot start is unavailable;
/// any other row failure is a harness failure (`Err`).
pub fn run_rows(
    specs: &[RowSpec],
    corpus: Option<&Corpus>,
    plan: &Plan,
    config: &AdapterConfig,
    jobs: usize,
    progress: &dyn Progress,
) -> Result<(Vec<Row>, Vec<Unavailable>), Error> {
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<(usize, Done)>> = Mutex::new(Vec::new());
    let joined = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..jobs.clamp(1, specs.len().max(1)))
            .map(|_| {
                scope.spawn(|| loop {
                    let index = next.fetch_add(1, Ordering::SeqCst);
                    let Some(spec) = specs.get(index) else { break };
                    progress.started(&spec.name);
                    let result = if let Some(signal) = crate::interrupt::received() {
                        let reason = format!("not run: the run was interrupted by {}", signal.name());
                        Done::Unavailable(Unavailable { implementation: spec.name.clone(), reason })
                    } else {
                        run_one(spec, corpus, plan, config)
                    };
                    progress.finished(&spec.name);
                    if let Ok(mut done) = done.lock() {
                        done.push((index, result));
                    }
                })
            })
            .collect();
        // Every worker is joined, whether or not an earlier one panicked.
        let joined: Vec<_> = workers.into_iter().map(std::thread::ScopedJoinHandle::join).collect();
        joined.into_iter().find_map(Result::err)
    });
    // A panic of the harness itself is a bug: it was printed, and ends the process (101).
    if let Some(payload) = joined {
        std::panic::resume_unwind(payload);
    }
    let mut done = done.into_inner().map_err(|_| Error::Panicked)?;
    done.sort_by_key(|(index, _)| *index);
    let (mut rows, mut unavailable) = (Vec::new(), Vec::new());
    for (_, result) in done {
        match result {
            Done::Row(row) => rows.push(*row),
            Done::Unavailable(u) => unavailable.push(u),
            Done::Failed(e) => return Err(e),
        }
    }
    Ok((rows, unavailable))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_names_stay_inside_the_baselines_directory() {
        for good in ["reference", "oauth1-request/parameter-list", "oauth-1.0a", "a_b"] {
            assert!(is_valid_row_name(good), "{good}");
        }
        for bad in ["", "../x", "a/../../b", "/etc/passwd", "a//b", "a/./b", "a b", "x\n", "ü"] {
            assert!(!is_valid_row_name(bad), "{bad:?}");
        }
    }
}
