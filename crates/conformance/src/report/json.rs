//! The JSON report: one document (`docs/report.schema.json`), serialized straight into the
//! file (no copy of it in memory), and read back for `report merge`. JSON Lines
//! (`jsonl:`): the metadata and verdicts on the first line, then one result per line.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use super::Report;

/// Writes `report` as one JSON document to `out`.
pub fn write(report: &Report, out: impl Write) -> Result<(), String> {
    let mut out = BufWriter::new(out);
    serde_json::to_writer(&mut out, report).map_err(|e| e.to_string())?;
    out.write_all(b"\n").and_then(|()| out.flush()).map_err(|e| e.to_string())
}

/// Writes `report` as JSON Lines to `out`: a first line holding everything but the results,
/// then one result per line.
pub fn write_lines(report: &Report, out: impl Write) -> Result<(), String> {
    let mut out = BufWriter::new(out);
    let head = serde_json::json!({
        "version": report.version,
        "metadata": report.metadata,
        "verdicts": report.verdicts,
        "summary": report.summary,
    });
    serde_json::to_writer(&mut out, &head).map_err(|e| e.to_string())?;
    out.write_all(b"\n").map_err(|e| e.to_string())?;
    for result in &report.results {
        serde_json::to_writer(&mut out, result).map_err(|e| e.to_string())?;
        out.write_all(b"\n").map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())
}

/// Reads a report written by [`write`] or [`write_lines`]; the error names the file and what
/// is wrong with it.
pub fn read(path: &Path) -> Result<Report, String> {
    let file = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut reader = BufReader::new(file);
    let mut first = String::new();
    reader.read_line(&mut first).map_err(|e| format!("{}: {e}", path.display()))?;
    let head: serde_json::Value = serde_json::from_str(&first)
        .map_err(|e| format!("{}: not an oauth1-conformance report: {e}", path.display()))?;
    let mut report: Report = if head.get("results").is_some() {
        serde_json::from_value(head)
    } else {
        let mut head = head;
        if let Some(object) = head.as_object_mut() {
            object.insert("results".into(), serde_json::Value::Array(Vec::new()));
        }
        serde_json::from_value(head)
    }
    .map_err(|e| format!("{}: not an oauth1-conformance report: {e}", path.display()))?;
    if report.version != super::REPORT_VERSION {
        return Err(format!(
            "{}: report version {} (this tool reads version {})",
            path.display(),
            report.version,
            super::REPORT_VERSION
        ));
    }
    for (number, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| format!("{}: {e}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let result = serde_json::from_str(&line).map_err(|e| format!("{}:{}: {e}", path.display(), number + 2))?;
        report.results.push(result);
    }
    Ok(report)
}
