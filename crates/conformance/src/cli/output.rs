//! Where a command's output goes: the report files (each written whole or not at all), and
//! stdout, whose reader may go away (`| head`) without stopping the run or its reports.

use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::report::{html, json, junit, markdown, Report};

/// A `--report` that is not `FORMAT:PATH`, or a report that could not be written.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    #[error("--report takes FORMAT:PATH, got {0:?}")]
    Spec(String),
    #[error("unknown report format {format:?} in {spec:?} (known: json, jsonl, junit, markdown, html)")]
    Format { format: String, spec: String },
    #[error("cannot write the {label} report {}: {source}", path.display())]
    Write {
        label: &'static str,
        path: PathBuf,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// A report format and where to write it (`--report FORMAT:PATH`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ReportTarget {
    Json(PathBuf),
    JsonLines(PathBuf),
    Junit(PathBuf),
    Markdown(PathBuf),
    Html(PathBuf),
}

impl ReportTarget {
    /// Parses `FORMAT:PATH`.
    pub(crate) fn parse(spec: &str) -> Result<Self, Error> {
        match spec.split_once(':') {
            Some((_, "")) | None => Err(Error::Spec(spec.to_owned())),
            Some(("json", path)) => Ok(Self::Json(PathBuf::from(path))),
            Some(("jsonl", path)) => Ok(Self::JsonLines(PathBuf::from(path))),
            Some(("junit", path)) => Ok(Self::Junit(PathBuf::from(path))),
            Some(("markdown" | "md", path)) => Ok(Self::Markdown(PathBuf::from(path))),
            Some(("html", path)) => Ok(Self::Html(PathBuf::from(path))),
            Some((format, _)) => Err(Error::Format { format: format.to_owned(), spec: spec.to_owned() }),
        }
    }

    fn path(&self) -> &Path {
        match self {
            Self::Json(p) | Self::JsonLines(p) | Self::Junit(p) | Self::Markdown(p) | Self::Html(p) => p,
        }
    }

    fn label(&self) -> &'static str {
        match self {
            Self::Json(_) => "JSON",
            Self::JsonLines(_) => "JSON Lines",
            Self::Junit(_) => "JUnit",
            Self::Markdown(_) => "Markdown",
            Self::Html(_) => "HTML",
        }
    }
}

/// Writes every report of `targets`; the Markdown summary names the others where it stops
/// listing.
pub(crate) fn write_reports(report: &Report, targets: &[ReportTarget]) -> Result<(), Error> {
    let links: Vec<(&str, String)> = targets
        .iter()
        .filter(|t| matches!(t, ReportTarget::Json(_) | ReportTarget::JsonLines(_) | ReportTarget::Html(_)))
        .map(|t| (t.label(), t.path().display().to_string()))
        .collect();
    for target in targets {
        let written = match target {
            ReportTarget::Json(path) => write_streamed(path, |file| json::write(report, file)),
            ReportTarget::JsonLines(path) => write_streamed(path, |file| json::write_lines(report, file)),
            ReportTarget::Junit(path) => {
                junit::render(report).map_err(Into::into).and_then(|text| write_text(path, &text))
            }
            ReportTarget::Markdown(path) => write_text(path, &markdown::render(report, &links)),
            ReportTarget::Html(path) => write_text(path, &html::render(report)),
        };
        written.map_err(|source| Error::Write { label: target.label(), path: target.path().to_owned(), source })?;
    }
    Ok(())
}

/// Why one report was not written: the file's I/O, or the report's own writer.
type WriteError = Box<dyn std::error::Error + Send + Sync>;

fn write_text(path: &Path, text: &str) -> Result<(), WriteError> {
    Ok(crate::atomic_file::write_atomically(path, text.as_bytes())?)
}

/// Writes `path` whole or not at all, streaming: a large report is never held as text.
fn write_streamed(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> Result<(), crate::report::Error>,
) -> Result<(), WriteError> {
    // The writer's own error is kept as it is: the temporary file's I/O error wrapping it
    // would only repeat it under the temporary file's name.
    let mut failure = None;
    let written = crate::atomic_file::stream_atomically(path, |file| {
        write(file).map_err(|e| {
            let io = std::io::Error::other(e.to_string());
            failure = Some(e);
            io
        })
    });
    written.map_err(|e| failure.map_or_else(|| e.into(), Into::into))
}

/// Set once stdout's reader has gone away: terminal output stops quietly, the run goes on.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Prints `text` on stdout; a closed pipe ends terminal output quietly instead of the run.
pub(crate) fn print(text: &str) {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut stdout = std::io::stdout().lock();
    if stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()).is_err() {
        STDOUT_CLOSED.store(true, Ordering::Relaxed);
    }
}

/// [`print`] with a line feed.
pub(crate) fn println(text: &str) {
    print(&format!("{text}\n"));
}

/// Clears a progress line on a terminal's stderr before a message is printed there.
pub(crate) fn clear_progress_line() {
    if std::io::stderr().is_terminal() {
        eprint!("\r\x1b[2K");
    }
}
