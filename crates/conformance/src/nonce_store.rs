//! `verify --nonce-store FILE`: the nonces already accepted (RFC 5849 §3.3), one JSON record a
//! line, shared by every `verify` process that names the file.
//!
//! Two processes verifying the same request at once must not both accept it, so the whole
//! check-and-insert runs under an exclusive advisory lock on the file (`flock`): the lock is
//! taken before the file is read and released after the new record is written and flushed.
//! `flock` (through `rustix`, already a dependency) keeps the store a plain, greppable JSON
//! lines file with no new dependency; an embedded database (SQLite) would give transactions
//! too, at the cost of a C library for one table of four columns. `flock` is advisory and
//! works on local file systems; on NFS the kernel maps it to a POSIX lock.
//!
//! A record is written with one `write` on a file opened for appending, so records never
//! interleave. A writer killed mid-write leaves a record cut short; that one record is skipped
//! with a warning (it was never reported accepted: the record is flushed before `verify` says
//! "valid"), and the next record starts on a line of its own. A file whose lines are not
//! nonce records at all (not a cut-short one) is not a nonce store, and is refused rather than
//! written to.

use std::fs::{File, OpenOptions};
use std::io::{BufRead as _, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use oauth1_reference::verify::{InMemoryNonceStore, NonceStore as _};
use rustix::fs::FlockOperation;
use serde::{Deserialize, Serialize};

/// How long `verify` waits for another process to release the store.
pub const LOCK_TIMEOUT: Duration = Duration::from_secs(10);

/// How every record starts as this module writes it (the fields in declaration order): what
/// tells a record cut short from a line that is no record.
const RECORD_START: &str = "{\"consumer_key\":";

/// Why the store cannot be used: the file and what failed, with the I/O or JSON error.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file cannot be opened (or created).
    #[error("cannot open the nonce store {}: {source}", path.display())]
    Open {
        /// The store.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file cannot be read.
    #[error("cannot read the nonce store {}: {source}", path.display())]
    Read {
        /// The store.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The path names a directory, a device, a pipe…
    #[error("the nonce store {} is not a regular file", path.display())]
    NotAFile {
        /// The store.
        path: PathBuf,
    },
    /// The lock was not had (another process held it for [`LOCK_TIMEOUT`], or `flock` failed).
    #[error("cannot lock the nonce store {}: {source}", path.display())]
    Lock {
        /// The store.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A line is neither nonce records nor one cut short.
    #[error("{}:{line}: not a nonce record ({source}); is this file a nonce store?", path.display())]
    NotARecord {
        /// The store.
        path: PathBuf,
        /// The line's number, from 1.
        line: usize,
        /// What the JSON parser said of it.
        #[source]
        source: serde_json::Error,
    },
    /// A record could not be written in full.
    #[error("cannot write the nonce store {}: {source}", path.display())]
    Write {
        /// The store.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A record written could not be flushed to disk.
    #[error("cannot flush the nonce store {}: {source}", path.display())]
    Flush {
        /// The store.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// One accepted combination (§3.3: nonce, timestamp, client and token credentials).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NonceRecord {
    /// `oauth_consumer_key`.
    pub consumer_key: String,
    /// `oauth_token`.
    pub token: Option<String>,
    /// `oauth_timestamp`.
    pub timestamp: u64,
    /// `oauth_nonce`.
    pub nonce: String,
}

/// The store, read and locked: nobody else reads or writes it until this is dropped.
#[derive(Debug)]
pub struct LockedNonceStore {
    path: PathBuf,
    file: File,
    /// Whether the file ends in the middle of a line (a record cut short).
    ends_mid_line: bool,
    /// Every combination recorded, for the verifier's check.
    pub seen: InMemoryNonceStore,
    /// How many records cut short were skipped, and the lines of the first few.
    cut_short: usize,
    cut_short_lines: Vec<usize>,
}

impl LockedNonceStore {
    /// Opens (creating) and locks the store at `path`, waiting up to [`LOCK_TIMEOUT`] for
    /// another process to release it, and reads every record.
    ///
    /// # Errors
    ///
    /// The file cannot be opened, locked or read, is not a regular file, or holds a line that
    /// is not a nonce record (nor one cut short).
    pub fn open(path: &Path) -> Result<Self, Error> {
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(|source| Error::Open { path: path.to_owned(), source })?;
        let meta = file.metadata().map_err(|source| Error::Read { path: path.to_owned(), source })?;
        if !meta.is_file() {
            return Err(Error::NotAFile { path: path.to_owned() });
        }
        lock(&file, LOCK_TIMEOUT).map_err(|source| Error::Lock { path: path.to_owned(), source })?;
        let mut store = Self {
            path: path.to_owned(),
            file,
            ends_mid_line: false,
            seen: InMemoryNonceStore::default(),
            cut_short: 0,
            cut_short_lines: Vec::new(),
        };
        store.read()?;
        Ok(store)
    }

    fn read(&mut self) -> Result<(), Error> {
        let mut reader = BufReader::new(&self.file);
        let mut line = String::new();
        for number in 1.. {
            line.clear();
            let read = reader.read_line(&mut line).map_err(|source| Error::Read { path: self.path.clone(), source })?;
            if read == 0 {
                break;
            }
            self.ends_mid_line = !line.ends_with('\n');
            let cut_short = parse_line(line.trim(), &mut self.seen).map_err(|source| Error::NotARecord {
                path: self.path.clone(),
                line: number,
                source,
            })?;
            if cut_short > 0 && self.cut_short_lines.len() < 10 {
                self.cut_short_lines.push(number);
            }
            self.cut_short += cut_short;
        }
        Ok(())
    }

    /// What did not stop the store from being used but should be said (on stderr): records
    /// cut short, skipped.
    #[must_use]
    pub fn warning(&self) -> Option<String> {
        (self.cut_short > 0).then(|| {
            let lines: Vec<String> = self.cut_short_lines.iter().map(usize::to_string).collect();
            let more = if self.cut_short > self.cut_short_lines.len() { ", …" } else { "" };
            format!(
                "{}: {} nonce record(s) cut short (a writer killed while writing, before it reported the request \
                 accepted) skipped, on line(s) {}{more}",
                self.path.display(),
                self.cut_short,
                lines.join(", ")
            )
        })
    }

    /// Appends `record` in one write, on a line of its own, and flushes it to disk: once this
    /// returns, a replay is refused by every process.
    ///
    /// # Errors
    ///
    /// Writing or flushing failed; the request must then not be reported accepted.
    pub fn append(&mut self, record: &NonceRecord) -> Result<(), Error> {
        let mut bytes = Vec::with_capacity(128);
        if self.ends_mid_line {
            bytes.push(b'\n');
        }
        serde_json::to_writer(&mut bytes, record)
            .map_err(|e| Error::Write { path: self.path.clone(), source: e.into() })?;
        bytes.push(b'\n');
        self.file.write_all(&bytes).map_err(|source| Error::Write { path: self.path.clone(), source })?;
        self.file.sync_data().map_err(|source| Error::Flush { path: self.path.clone(), source })?;
        self.ends_mid_line = false;
        self.seen.check_and_record(&record.consumer_key, record.token.as_deref(), record.timestamp, &record.nonce);
        Ok(())
    }
}

/// Takes the exclusive lock, polling so that a process that holds it forever (a stopped
/// `verify`) costs an error after `timeout`, not a hang.
fn lock(file: &File, timeout: Duration) -> std::io::Result<()> {
    let deadline = Instant::now() + timeout;
    loop {
        match rustix::fs::flock(file, FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => return Ok(()),
            Err(e) if e == rustix::io::Errno::WOULDBLOCK && Instant::now() < deadline => {
                thread::sleep(Duration::from_millis(5));
            }
            Err(e) if e == rustix::io::Errno::WOULDBLOCK => {
                return Err(std::io::Error::other(format!("another process has held it for {timeout:?}")));
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// Records every record of `line` in `seen`. A line may hold several records glued together
/// (as an older, unlocked writer left them) and records cut short by a killed writer, which
/// are skipped and counted; anything else is an error.
fn parse_line(line: &str, seen: &mut InMemoryNonceStore) -> Result<usize, serde_json::Error> {
    let mut cut_short = 0;
    let mut rest = line;
    while !rest.is_empty() {
        let mut records = serde_json::Deserializer::from_str(rest).into_iter::<NonceRecord>();
        match records.next() {
            None => break,
            Some(Ok(record)) => {
                seen.check_and_record(&record.consumer_key, record.token.as_deref(), record.timestamp, &record.nonce);
                rest = rest[records.byte_offset()..].trim_start();
            }
            // Cut short: the line ends inside the record, or another record follows it (the
            // cut may fall anywhere, even inside a name, so the error itself says little).
            Some(Err(e)) if rest.starts_with(RECORD_START) && (e.is_eof() || rest[1..].contains(RECORD_START)) => {
                cut_short += 1;
                match rest[1..].find(RECORD_START) {
                    Some(next) => rest = &rest[1 + next..],
                    None => break,
                }
            }
            Some(Err(e)) => return Err(e),
        }
    }
    Ok(cut_short)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(nonce: &str) -> String {
        serde_json::to_string(&NonceRecord {
            consumer_key: "k".into(),
            token: None,
            timestamp: 137_131_202,
            nonce: nonce.into(),
        })
        .unwrap()
    }

    fn seen_after(lines: &[&str]) -> Result<(InMemoryNonceStore, usize), Error> {
        let mut seen = InMemoryNonceStore::default();
        let mut cut_short = 0;
        for (number, line) in (1..).zip(lines) {
            cut_short += parse_line(line, &mut seen).map_err(|source| Error::NotARecord {
                path: PathBuf::from("nonces.jsonl"),
                line: number,
                source,
            })?;
        }
        Ok((seen, cut_short))
    }

    #[test]
    fn records_are_written_as_the_reader_expects_them() {
        assert!(record("n").starts_with(RECORD_START), "{}", record("n"));
    }

    /// Glued records (an old unlocked writer) are both read; a record cut short, alone or
    /// followed by another, is skipped with a warning and the other kept.
    #[test]
    fn glued_and_cut_short_records_are_repaired_or_skipped() {
        let (a, b, c, d) = (record("a"), record("b"), record("c"), record("d"));
        let glued = format!("{a}{b}");
        let cut_then_whole = format!("{}{c}", &a[..20]);
        // Cut inside the name "nonce": the next record's quote closes the name `no{`.
        let cut_in_a_name = format!("{}{d}", &a[..a.find("nonce").unwrap() + 2]);
        let cut = &b[..30];
        let (mut seen, cut_short) = seen_after(&[&glued, &cut_then_whole, &cut_in_a_name, cut]).unwrap();
        assert_eq!(cut_short, 3);
        for nonce in ["a", "b", "c", "d"] {
            assert!(!seen.check_and_record("k", None, 137_131_202, nonce), "{nonce} was not read");
        }
    }

    /// A line that is JSON but no record, or no JSON at all, is not a cut-short record: the
    /// file is not a nonce store, and is not used.
    #[test]
    fn lines_that_are_no_records_are_errors() {
        for line in [r#"{"consumer_key": 1}"#, "# my notes", r#"{"other": "thing"}"#] {
            let error = seen_after(&[line]).unwrap_err();
            assert!(matches!(error, Error::NotARecord { line: 1, .. }), "{line}: {error:?}");
            assert!(error.to_string().starts_with("nonces.jsonl:1: not a nonce record ("), "{line}: {error}");
        }
    }
}
