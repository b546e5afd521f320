//! The JSON report: one document (`docs/report.schema.json`), serialized straight into the
//! file (no copy of it in memory), and read back for `report merge`. JSON Lines
//! (`jsonl:`): the metadata and verdicts on the first line, then one result per line.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use super::{Error, Report};

/// Writes `report` as one JSON document to `out`.
///
/// # Errors
///
/// Writing failed.
pub fn write(report: &Report, out: impl Write) -> Result<(), Error> {
    let mut out = BufWriter::new(out);
    serde_json::to_writer(&mut out, report)?;
    out.write_all(b"\n")?;
    Ok(out.flush()?)
}

/// Writes `report` as JSON Lines to `out`: a first line holding everything but the results,
/// then one result per line.
///
/// # Errors
///
/// Writing failed.
pub fn write_lines(report: &Report, out: impl Write) -> Result<(), Error> {
    let mut out = BufWriter::new(out);
    let head = serde_json::json!({
        "version": report.version,
        "metadata": report.metadata,
        "verdicts": report.verdicts,
        "summary": report.summary,
    });
    serde_json::to_writer(&mut out, &head)?;
    out.write_all(b"\n")?;
    for result in &report.results {
        serde_json::to_writer(&mut out, result)?;
        out.write_all(b"\n")?;
    }
    Ok(out.flush()?)
}

/// Reads a report written by [`write`] or [`write_lines`]; the error names the file and what
/// is wrong with it.
///
/// # Errors
///
/// The file cannot be read, is no report, is of another version, or has a line that is no
/// result.
pub fn read(path: &Path) -> Result<Report, Error> {
    let unreadable = |source| Error::Read { path: path.to_owned(), source };
    let not_a_report = |source| Error::NotAReport { path: path.to_owned(), source };
    let file = File::open(path).map_err(unreadable)?;
    let mut reader = BufReader::new(file);
    let mut first = String::new();
    reader.read_line(&mut first).map_err(unreadable)?;
    let head: serde_json::Value = serde_json::from_str(&first).map_err(not_a_report)?;
    let mut report: Report = if head.get("results").is_some() {
        serde_json::from_value(head)
    } else {
        let mut head = head;
        if let Some(object) = head.as_object_mut() {
            object.insert("results".into(), serde_json::Value::Array(Vec::new()));
        }
        serde_json::from_value(head)
    }
    .map_err(not_a_report)?;
    if report.version != super::REPORT_VERSION {
        return Err(Error::Version { path: path.to_owned(), found: report.version });
    }
    for (number, line) in reader.lines().enumerate() {
        let line = line.map_err(unreadable)?;
        if line.trim().is_empty() {
            continue;
        }
        let result = serde_json::from_str(&line).map_err(|source| Error::Result {
            path: path.to_owned(),
            line: number + 2,
            source,
        })?;
        report.results.push(result);
    }
    Ok(report)
}
