//! Where a command's output goes: the report files (each written whole or not at all), and
//! stdout, whose reader may go away (`| head`) without stopping the run or its reports.

use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::report::{html, json, junit, markdown, Report};

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
    pub(crate) fn parse(spec: &str) -> Result<Self, String> {
        match spec.split_once(':') {
            Some((_, "")) | None => Err(format!("--report takes FORMAT:PATH, got {spec:?}")),
            Some(("json", path)) => Ok(Self::Json(PathBuf::from(path))),
            Some(("jsonl", path)) => Ok(Self::JsonLines(PathBuf::from(path))),
            Some(("junit", path)) => Ok(Self::Junit(PathBuf::from(path))),
            Some(("markdown" | "md", path)) => Ok(Self::Markdown(PathBuf::from(path))),
            Some(("html", path)) => Ok(Self::Html(PathBuf::from(path))),
            Some((format, _)) => {
                Err(format!("unknown report format {format:?} in {spec:?} (known: json, jsonl, junit, markdown, html)"))
            }
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
pub(crate) fn write_reports(report: &Report, targets: &[ReportTarget]) -> Result<(), String> {
    let links: Vec<(&str, String)> = targets
        .iter()
        .filter(|t| matches!(t, ReportTarget::Json(_) | ReportTarget::JsonLines(_) | ReportTarget::Html(_)))
        .map(|t| (t.label(), t.path().display().to_string()))
        .collect();
    for target in targets {
        let written = match target {
            ReportTarget::Json(path) => write_streamed(path, |file| json::write(report, file)),
            ReportTarget::JsonLines(path) => write_streamed(path, |file| json::write_lines(report, file)),
            ReportTarget::Junit(path) => write_text(path, &junit::render(report)?),
            ReportTarget::Markdown(path) => write_text(path, &markdown::render(report, &links)),
            ReportTarget::Html(path) => write_text(path, &html::render(report)),
        };
        written.map_err(|e| format!("cannot write the {} report {}: {e}", target.label(), target.path().display()))?;
    }
    Ok(())
}

fn write_text(path: &Path, text: &str) -> Result<(), String> {
    crate::atomic_file::write_atomically(path, text.as_bytes()).map_err(|e| e.to_string())
}

/// Writes `path` whole or not at all, streaming: a large report is never held as text.
fn write_streamed(path: &Path, write: impl FnOnce(&mut std::fs::File) -> Result<(), String>) -> Result<(), String> {
    let mut failure = None;
    let written = crate::atomic_file::stream_atomically(path, |file| {
        write(file).map_err(|e| {
            failure = Some(e.clone());
            std::io::Error::other(e)
        })
    });
    written.map_err(|e| failure.unwrap_or_else(|| e.to_string()))
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
