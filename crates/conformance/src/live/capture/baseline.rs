//! A client's checked-in baseline (`adapters/baselines/clients/NAME.json`): the cases where
//! it is known to fail, with the checks each fails and the diagnoses it gets, and the cases it
//! cannot express, with the reason. A run matches its baseline when every case has exactly
//! the baseline's outcome (every other case `ok`), no case is an `error`, and the client
//! exercises at least [`MIN_COVERAGE`] percent of the cases run. Cases that could not run
//! here (a port in use) are not compared.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::report::capture::{BaselineComparison, CaptureRecord, CaptureVerdict, Check};

/// The least share of the cases run (in percent) a client must exercise, not skip.
pub const MIN_COVERAGE: f64 = 80.0;

/// A case the client fails.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// The checks its requests fail.
    pub checks: BTreeSet<Check>,
    /// The diagnoses its requests get (keys: quirk ids, `signed-not-sent:<quirk>`).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub diagnoses: BTreeSet<String>,
}

/// A client's baseline file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientBaseline {
    /// The client.
    pub client: String,
    /// Cases it fails.
    #[serde(default)]
    pub findings: BTreeMap<String, Finding>,
    /// Cases it cannot express, with why.
    #[serde(default)]
    pub skips: BTreeMap<String, String>,
}

/// What one case came to, over its records.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Ok,
    Fail(Finding),
    Skip(String),
    Error(String),
    NotRun,
}

fn outcome(records: &[&CaptureRecord]) -> Outcome {
    if records.iter().any(|r| r.not_run) {
        return Outcome::NotRun;
    }
    if let Some(error) = records.iter().find(|r| r.verdict == CaptureVerdict::Error) {
        return Outcome::Error(error.message.clone().unwrap_or_default());
    }
    if let Some(skip) = records.iter().find(|r| r.verdict == CaptureVerdict::Skip) {
        return Outcome::Skip(skip.message.clone().unwrap_or_default());
    }
    let failed: Vec<&&CaptureRecord> = records.iter().filter(|r| r.verdict == CaptureVerdict::Fail).collect();
    if failed.is_empty() {
        return Outcome::Ok;
    }
    let mut finding = Finding::default();
    for record in failed {
        finding.checks.extend(record.check_names());
        finding.diagnoses.extend(record.diagnosis.as_ref().map(crate::report::capture::Diagnosis::key));
    }
    Outcome::Fail(finding)
}

/// Each case's records, in the order the cases ran.
fn by_case(records: &[CaptureRecord]) -> Vec<(&str, Vec<&CaptureRecord>)> {
    let mut grouped: Vec<(&str, Vec<&CaptureRecord>)> = Vec::new();
    for record in records {
        let Some(case) = record.case.as_deref() else { continue };
        match grouped.iter_mut().find(|(id, _)| *id == case) {
            Some((_, list)) => list.push(record),
            None => grouped.push((case, vec![record])),
        }
    }
    grouped
}

fn describe(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Ok => "ok".to_owned(),
        Outcome::Fail(finding) => {
            let names: Vec<&str> = finding.checks.iter().map(|c| c.name()).collect();
            let mut text = format!("fail [{}]", names.join(", "));
            if !finding.diagnoses.is_empty() {
                text.push_str(&format!(" ({})", finding.diagnoses.iter().cloned().collect::<Vec<_>>().join(", ")));
            }
            text
        }
        Outcome::Skip(_) => "skip".to_owned(),
        Outcome::Error(message) => format!("error: {}", message.chars().take(200).collect::<String>()),
        Outcome::NotRun => "not run here".to_owned(),
    }
}

/// Compares a client's records with its baseline.
#[must_use]
pub fn compare(baseline: &ClientBaseline, path: &Path, records: &[CaptureRecord]) -> BaselineComparison {
    let grouped = by_case(records);
    let mut differences = Vec::new();
    let (mut run, mut skipped) = (0usize, 0usize);
    for (case, records) in &grouped {
        let got = outcome(records);
        let expected = match (baseline.findings.get(*case), baseline.skips.get(*case)) {
            (Some(finding), _) => Outcome::Fail(finding.clone()),
            (None, Some(reason)) => Outcome::Skip(reason.clone()),
            (None, None) => Outcome::Ok,
        };
        if got == Outcome::NotRun {
            continue;
        }
        run += 1;
        let same = match (&expected, &got) {
            (Outcome::Skip(_), Outcome::Skip(_)) => true,
            (expected, got) => expected == got,
        };
        if matches!(got, Outcome::Skip(_)) {
            skipped += 1;
        }
        if !same {
            differences.push(format!("{case}: expected {}, got {}", describe(&expected), describe(&got)));
        }
    }
    for case in baseline.findings.keys().chain(baseline.skips.keys()) {
        if !grouped.iter().any(|(id, _)| id == case) {
            differences.push(format!("{case}: in the baseline but not run"));
        }
    }
    let coverage_percent = if run == 0 { 0.0 } else { 100.0 * (run - skipped) as f64 / run as f64 };
    if coverage_percent < MIN_COVERAGE {
        differences
            .push(format!("the client exercises {coverage_percent:.0}% of the cases run, under {MIN_COVERAGE:.0}%"));
    }
    BaselineComparison { path: path.display().to_string(), differences, coverage_percent }
}

/// The baseline of `records`: every failing case with its checks and diagnoses, every
/// skipped one with the first line of its reason.
///
/// # Errors
/// A case that is an `error`: a baseline records what the client does, not a run that broke.
pub fn from_records(client: &str, records: &[CaptureRecord]) -> Result<ClientBaseline, super::Error> {
    let mut baseline = ClientBaseline { client: client.to_owned(), ..ClientBaseline::default() };
    for (case, records) in by_case(records) {
        match outcome(&records) {
            Outcome::Ok | Outcome::NotRun => {}
            Outcome::Fail(finding) => {
                baseline.findings.insert(case.to_owned(), finding);
            }
            Outcome::Skip(reason) => {
                let line = reason.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("cannot express the case");
                baseline.skips.insert(case.to_owned(), without_ports(line.trim()).chars().take(300).collect());
            }
            Outcome::Error(message) => {
                return Err(super::Error::ErrorCase { client: client.to_owned(), case: case.to_owned(), message });
            }
        }
    }
    Ok(baseline)
}

/// `text` with the run's port numbers (`127.0.0.1:40687`) masked: a skip's reason often quotes
/// the URL, and a baseline must not change from run to run.
fn without_ports(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("127.0.0.1:") {
        let (before, after) = rest.split_at(at + "127.0.0.1:".len());
        out.push_str(before);
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            out.push_str("PORT");
        }
        rest = after.get(digits..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// Reads a baseline file.
///
/// # Errors
/// An unreadable or malformed file, naming it.
pub fn load(path: &Path) -> Result<ClientBaseline, super::Error> {
    let text =
        std::fs::read_to_string(path).map_err(|source| super::Error::ReadBaseline { path: path.to_owned(), source })?;
    serde_json::from_str(&text).map_err(|source| super::Error::ParseBaseline { path: path.to_owned(), source })
}

/// Writes a baseline file (pretty JSON, sorted keys).
///
/// # Errors
/// When it cannot be written.
pub fn save(path: &Path, baseline: &ClientBaseline) -> Result<(), super::Error> {
    let unwritable = |path: &Path, source| super::Error::WriteBaseline { path: path.to_owned(), source };
    let text = serde_json::to_string_pretty(baseline).map_err(|e| unwritable(path, e.into()))?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| super::Error::Write { path: dir.to_owned(), source })?;
    }
    std::fs::write(path, format!("{text}\n")).map_err(|e| unwritable(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_are_masked() {
        assert_eq!(
            without_ports("Get \"http://127.0.0.1:40687/x\": no; 127.0.0.1:"),
            "Get \"http://127.0.0.1:PORT/x\": no; 127.0.0.1:"
        );
    }
}
