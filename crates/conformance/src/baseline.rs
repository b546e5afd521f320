//! Expected-divergence baselines: per implementation, the catalogued quirks it is known to
//! have. A run fails on a divergence no baselined quirk explains, and on a baselined quirk
//! that no longer shows, so CI fails on a change in behaviour, not on known quirks.
//!
//! A baseline file (`adapters/baselines/NAME.json`):
//!
//! ```json
//! {"implementation": "oauthlib-client",
//!  "quirks": {"adds-oauth-version": ["rfc5849-3.4.1-hmac-sha1", "generated:1481965569"]},
//!  "assigned": {"rejects-raw-iri": ["edge-url-raw-iri"]}}
//! ```
//!
//! `quirks` are found by [`crate::quirks::attribute`]: a quirk set whose pipeline reproduces
//! the implementation's output. The cases under each quirk are informative: the check is on
//! quirks, so a new case explained by a known quirk passes. `assigned` holds divergences the
//! pipeline cannot reproduce (a rejection, a parser or verifier verdict, a crash): a person
//! assigns each such case to a catalogued quirk id by editing the file; these are checked
//! case by case. `unexplained` (written by `--update-baseline --accept-unexplained`) lists
//! divergences no catalogued quirk reproduces, also checked case by case.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::quirks::Quirk;
use crate::result::CaseResult;

/// Why a baseline file cannot be read or written: the file, and what is wrong with it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file exists but cannot be read.
    #[error("{}: {source}", path.display())]
    Read {
        /// The baseline file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a baseline.
    #[error("{}: {source}", path.display())]
    Parse {
        /// The baseline file.
        path: PathBuf,
        /// Where and what, as the JSON parser says it.
        #[source]
        source: serde_json::Error,
    },
    /// A quirk the file names is not in the catalogue.
    #[error("{}: {quirk:?} is not a catalogued quirk id", path.display())]
    UnknownQuirk {
        /// The baseline file.
        path: PathBuf,
        /// The id as written.
        quirk: String,
    },
    /// The file (or its directory, `path`) cannot be written.
    #[error("{}: {source}", path.display())]
    Write {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// A baseline file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// The implementation's row name.
    pub implementation: String,
    /// Quirks found by attribution, with the cases that showed them.
    #[serde(default)]
    pub quirks: BTreeMap<String, Vec<String>>,
    /// Divergences assigned to a quirk by hand, by case id.
    #[serde(default)]
    pub assigned: BTreeMap<String, Vec<String>>,
    /// Divergences no catalogued quirk explains yet, accepted case by case
    /// (`--update-baseline --accept-unexplained`): the row's bugs the catalogue still lacks,
    /// recorded as what they are rather than pinned on a quirk that does not reproduce them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unexplained: Vec<String>,
}

/// Where `implementation`'s baseline lives under `dir`.
#[must_use]
pub fn baseline_path(dir: &Path, implementation: &str) -> PathBuf {
    dir.join(format!("{implementation}.json"))
}

/// Reads a baseline; a missing file is an empty baseline, a malformed one an error naming it.
///
/// # Errors
///
/// The file cannot be read, is not a baseline, or names a quirk the catalogue lacks.
pub fn load(path: &Path, implementation: &str) -> Result<Baseline, Error> {
    match fs::read_to_string(path) {
        Ok(text) => {
            let baseline: Baseline =
                serde_json::from_str(&text).map_err(|source| Error::Parse { path: path.to_owned(), source })?;
            for id in baseline.quirks.keys().chain(baseline.assigned.keys()) {
                if Quirk::from_id(id).is_none() {
                    return Err(Error::UnknownQuirk { path: path.to_owned(), quirk: id.clone() });
                }
            }
            Ok(baseline)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Ok(Baseline { implementation: implementation.to_owned(), ..Baseline::default() })
        }
        Err(source) => Err(Error::Read { path: path.to_owned(), source }),
    }
}

/// What checking results against a baseline found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaselineCheck {
    /// Divergent case ids no catalogued quirk explains and no assignment covers.
    pub new_divergences: Vec<String>,
    /// Quirks shown that are not in the baseline, with a case showing each.
    pub new_quirks: BTreeMap<String, String>,
    /// Baselined quirks no result shows any more (an unexpected pass).
    pub vanished_quirks: Vec<String>,
    /// Assigned cases that no longer diverge.
    pub vanished_assigned: Vec<String>,
    /// Divergences the baseline covers.
    pub covered: usize,
    /// Every divergent case id the baseline does not cover: those of `new_divergences` and
    /// those showing a quirk of `new_quirks` (what a terminal report lists in full).
    #[serde(skip)]
    pub uncovered: Vec<String>,
}

impl BaselineCheck {
    /// Whether the results match the baseline.
    #[must_use]
    pub fn clean(&self) -> bool {
        self.new_divergences.is_empty()
            && self.new_quirks.is_empty()
            && self.vanished_quirks.is_empty()
            && self.vanished_assigned.is_empty()
    }
}

/// Checks one implementation's results against its baseline. Quirks (attributed, or
/// behavioural by rule) are checked as quirks: a new case explained by a known quirk passes.
/// Hand assignments are checked case by case.
#[must_use]
pub fn check(baseline: &Baseline, results: &[CaseResult]) -> BaselineCheck {
    let assigned: BTreeSet<&str> = baseline.assigned.values().flatten().map(String::as_str).collect();
    let accepted: BTreeSet<&str> = baseline.unexplained.iter().map(String::as_str).collect();
    let mut seen_quirks = BTreeSet::new();
    let mut check = BaselineCheck::default();
    for result in results.iter().filter(|r| r.is_divergence()) {
        if assigned.contains(result.case.as_str()) {
            check.covered += 1;
        } else if result.is_explained() {
            let mut covered = true;
            for quirk in result.explaining_quirks() {
                seen_quirks.insert(quirk.id());
                if !baseline.quirks.contains_key(quirk.id()) {
                    check.new_quirks.entry(quirk.id().to_owned()).or_insert_with(|| result.case.clone());
                    covered = false;
                }
            }
            if covered {
                check.covered += 1;
            } else {
                check.uncovered.push(result.case.clone());
            }
        } else if accepted.contains(result.case.as_str()) {
            check.covered += 1;
        } else {
            check.new_divergences.push(result.case.clone());
            check.uncovered.push(result.case.clone());
        }
    }
    check.vanished_quirks = baseline.quirks.keys().filter(|q| !seen_quirks.contains(q.as_str())).cloned().collect();
    let diverging: BTreeSet<&str> = results.iter().filter(|r| r.is_divergence()).map(|r| r.case.as_str()).collect();
    check.vanished_assigned =
        assigned.iter().chain(&accepted).filter(|c| !diverging.contains(**c)).map(|c| (*c).to_owned()).collect();
    check
}

/// The baseline that records `results`: every quirk shown with its cases, and the
/// assignments of `previous` that still diverge. A divergence with no quirk at all is
/// refused (`Err` with the case ids), unless `accept_unexplained`: then it is recorded under
/// `unexplained`, case by case.
pub fn updated(previous: &Baseline, results: &[CaseResult], accept_unexplained: bool) -> Result<Baseline, Vec<String>> {
    let check = check(previous, results);
    if !check.new_divergences.is_empty() && !accept_unexplained {
        return Err(check.new_divergences);
    }
    let mut next = Baseline { implementation: previous.implementation.clone(), ..Baseline::default() };
    let previously: BTreeSet<&str> = previous.assigned.values().flatten().map(String::as_str).collect();
    for result in results.iter().filter(|r| r.is_divergence() && !previously.contains(r.case.as_str())) {
        for quirk in result.explaining_quirks() {
            next.quirks.entry(quirk.id().to_owned()).or_default().push(result.case.clone());
        }
        if !result.is_explained() {
            next.unexplained.push(result.case.clone());
        }
    }
    let diverging: BTreeSet<&str> = results.iter().filter(|r| r.is_divergence()).map(|r| r.case.as_str()).collect();
    for (quirk, cases) in &previous.assigned {
        let kept: Vec<String> = cases.iter().filter(|c| diverging.contains(c.as_str())).cloned().collect();
        if !kept.is_empty() {
            next.assigned.insert(quirk.clone(), kept);
        }
    }
    Ok(next)
}

/// The quirks `baseline` records, the most often shown first: the fingerprint attribution
/// searches first.
#[must_use]
pub fn fingerprint(baseline: &Baseline) -> Vec<Quirk> {
    let mut quirks: Vec<(Quirk, usize)> =
        baseline.quirks.iter().filter_map(|(id, cases)| Some((Quirk::from_id(id)?, cases.len()))).collect();
    quirks.sort_by_key(|(quirk, count)| (std::cmp::Reverse(*count), *quirk));
    quirks.into_iter().map(|(quirk, _)| quirk).collect()
}

/// Writes a baseline as pretty JSON with a trailing newline.
///
/// # Errors
///
/// The file or its directory cannot be written.
pub fn save(path: &Path, baseline: &Baseline) -> Result<(), Error> {
    let write = |path: &Path, source| Error::Write { path: path.to_owned(), source };
    let text = serde_json::to_string_pretty(baseline).map_err(|e| write(path, e.into()))? + "\n";
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| write(parent, e))?;
    }
    fs::write(path, text).map_err(|e| write(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::CaseSource;
    use crate::judge::OutcomeKind;
    use oauth1_vectors::CaseKind;

    fn result(case: &str, outcome: OutcomeKind, quirks: Option<&[Quirk]>, behaviour: Option<Quirk>) -> CaseResult {
        CaseResult {
            case: case.into(),
            implementation: "x".into(),
            outcome,
            kind: CaseKind::Sign,
            source: CaseSource::Vector("f".into()),
            flags: Vec::new(),
            diffs: Vec::new(),
            message: None,
            failure: None,
            quirks: quirks.map(<[Quirk]>::to_vec),
            behaviour,
            ties: Vec::new(),
            search_cut_short: false,
            same_as: None,
            shrunk: None,
            trace: None,
        }
    }

    fn baseline(quirks: &[(&str, &[&str])], assigned: &[(&str, &[&str])]) -> Baseline {
        let map = |entries: &[(&str, &[&str])]| {
            entries.iter().map(|(q, cs)| ((*q).to_owned(), cs.iter().map(|c| (*c).to_owned()).collect())).collect()
        };
        Baseline { implementation: "x".into(), quirks: map(quirks), assigned: map(assigned), unexplained: Vec::new() }
    }

    #[test]
    fn known_quirks_on_new_cases_pass_new_quirks_fail() {
        let base = baseline(&[("adds-oauth-version", &["a"])], &[]);
        let results = [
            result("a", OutcomeKind::Fail, Some(&[Quirk::AddsOauthVersion]), None),
            result("b", OutcomeKind::Fail, Some(&[Quirk::AddsOauthVersion]), None),
        ];
        let found = check(&base, &results);
        assert!(found.clean());
        assert_eq!((found.covered, found.uncovered.len()), (2, 0));
        let results = [
            result("a", OutcomeKind::Fail, Some(&[Quirk::AddsOauthVersion, Quirk::KeepsDefaultPort]), None),
            result("b", OutcomeKind::Fail, Some(&[Quirk::AddsOauthVersion]), None),
        ];
        let found = check(&base, &results);
        assert_eq!(found.new_quirks.keys().collect::<Vec<_>>(), ["keeps-default-port"]);
        assert_eq!(found.uncovered, ["a"]);
        assert!(!found.clean());
    }

    #[test]
    fn a_vanished_quirk_is_reported() {
        let base = baseline(&[("adds-oauth-version", &["a"])], &[("rejects-raw-iri", &["r"])]);
        let results = [result("a", OutcomeKind::Pass, None, None), result("r", OutcomeKind::Pass, None, None)];
        let found = check(&base, &results);
        assert_eq!(found.vanished_quirks, ["adds-oauth-version"]);
        assert_eq!(found.vanished_assigned, ["r"]);
    }

    #[test]
    fn behavioural_quirks_are_checked_as_quirks_and_unexplained_divergences_must_be_assigned() {
        let base = baseline(&[("rejects-raw-iri", &["r"])], &[("panics-on-input", &["p"])]);
        let results = [
            result("r", OutcomeKind::Fail, None, Some(Quirk::RejectsRawIri)),
            result("r2", OutcomeKind::Fail, None, Some(Quirk::RejectsRawIri)),
            result("p", OutcomeKind::Error, None, None),
            result("s", OutcomeKind::Error, None, None),
        ];
        let found = check(&base, &results);
        assert_eq!((found.new_divergences.as_slice(), found.covered), (&["s".to_owned()][..], 3));
        assert_eq!(updated(&base, &results, false), Err(vec!["s".to_owned()]));
        let next = updated(&base, &results[..3], false).unwrap();
        assert_eq!(next.quirks["rejects-raw-iri"], ["r", "r2"]);
        assert_eq!(next.assigned["panics-on-input"], ["p"]);
    }

    /// Accepted, an unexplained divergence is recorded as unexplained (never under a quirk),
    /// covered case by case afterwards, and reported when it stops diverging.
    #[test]
    fn accepted_unexplained_divergences_are_checked_case_by_case() {
        let base = baseline(&[("adds-oauth-version", &["a"])], &[]);
        let results = [
            result("a", OutcomeKind::Fail, Some(&[Quirk::AddsOauthVersion]), None),
            result("u", OutcomeKind::Fail, None, None),
        ];
        let next = updated(&base, &results, true).unwrap();
        assert_eq!((next.unexplained.as_slice(), next.quirks.len()), (&["u".to_owned()][..], 1));
        assert!(check(&next, &results).clean());
        let another = [results[0].clone(), result("v", OutcomeKind::Fail, None, None)];
        let found = check(&next, &another);
        assert_eq!(
            (found.new_divergences.as_slice(), found.vanished_assigned.as_slice()),
            (&["v".to_owned()][..], &["u".to_owned()][..])
        );
        assert_eq!(updated(&next, &another, false), Err(vec!["v".to_owned()]));
    }

    #[test]
    fn the_fingerprint_lists_the_most_shown_quirks_first() {
        let base = baseline(&[("adds-oauth-version", &["a"]), ("keeps-default-port", &["b", "c"])], &[]);
        assert_eq!(fingerprint(&base), [Quirk::KeepsDefaultPort, Quirk::AddsOauthVersion]);
    }
}
