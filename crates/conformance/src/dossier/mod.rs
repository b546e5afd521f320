//! Findings as upstream-ready dossiers: for one row of the matrix, each catalogued quirk of kind
//! `deviation` in its baseline, each crash and each verifier verdict accepting what RFC 5849
//! refuses becomes one Markdown report a maintainer can act on (the format is
//! `docs/findings/README.md`).
//!
//! Everything is computed from committed files, without starting the row's adapter: the baseline
//! says which cases showed the finding and, for an attributed quirk, which quirk set explained
//! each case; the reference and the quirk pipeline then recompute the expected and the actual
//! stages of the smallest such case. Generating twice gives the same bytes, which is what lets a
//! test hold the committed dossiers to the code.

pub mod examples;
mod pick;
mod render;
mod rfc;
mod sources;

use std::path::{Path, PathBuf};

pub use pick::{Evidence, StageRow};
pub use sources::{Repro, RowInfo, Sources};

use crate::baseline::Baseline;
use crate::quirks::{Quirk, QuirkKind};

/// What kind of finding a dossier reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingKind {
    /// A catalogued quirk of kind `deviation` in the row's signing: a MUST of RFC 5849 broken.
    Deviation,
    /// The library crashes (panics, raises outside its error type) on an input.
    Crash,
    /// The library's verifier accepts a request RFC 5849 §3.2 makes it refuse.
    VerifierAcceptsInvalid,
}

impl FindingKind {
    /// The kind as the dossier's header writes it.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Deviation => "function-level deviation",
            Self::Crash => "crash",
            Self::VerifierAcceptsInvalid => "verifier accepting what it must refuse",
        }
    }
}

/// One finding of a row, and everything its dossier says.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The row (`oauth1-request/request`, `liboauth`, …).
    pub row: String,
    /// The catalogued quirk the finding is.
    pub quirk: Quirk,
    /// Its kind.
    pub kind: FindingKind,
    /// The smallest input and the stages it changes.
    pub evidence: Evidence,
}

impl Finding {
    /// The dossier's id: `ROW/QUIRK` (a row name may itself hold a `/`).
    #[must_use]
    pub fn id(&self) -> String {
        format!("{}/{}", self.row, self.quirk.id())
    }

    /// Where the dossier is written under the findings directory.
    #[must_use]
    pub fn relative_path(&self) -> PathBuf {
        Path::new(&self.row).join(format!("{}.md", self.quirk.id()))
    }
}

/// The kind of finding `quirk` is when a row's baseline lists it, if it is one: attributed
/// quirks of kind `deviation`, and the assigned crashes and accepting verifiers.
#[must_use]
pub fn finding_kind(quirk: Quirk, assigned: bool) -> Option<FindingKind> {
    match quirk {
        Quirk::PanicsOnInput if assigned => Some(FindingKind::Crash),
        Quirk::VerifierAcceptsInvalid if assigned => Some(FindingKind::VerifierAcceptsInvalid),
        _ if !assigned && quirk.kind() == QuirkKind::Deviation && quirk.is_switchable() => Some(FindingKind::Deviation),
        _ => None,
    }
}

/// The findings of `row`, in catalogue order; only `only` when given. `Err` names what is
/// missing (no baseline, a quirk the baseline does not list as a finding).
pub fn findings(sources: &Sources, row: &str, only: Option<Quirk>) -> Result<Vec<Finding>, String> {
    let baseline = sources.baseline(row)?;
    let mut found = Vec::new();
    for &quirk in Quirk::ALL {
        let listed = |map: &std::collections::BTreeMap<String, Vec<String>>| map.contains_key(quirk.id());
        // A crash or an accepting verifier is a finding whether the rules named it or a person
        // assigned it.
        let kind = if listed(&baseline.quirks) {
            finding_kind(quirk, false).or_else(|| finding_kind(quirk, true))
        } else if listed(&baseline.assigned) {
            finding_kind(quirk, true)
        } else {
            None
        };
        let Some(kind) = kind else { continue };
        if only.is_some_and(|q| q != quirk) {
            continue;
        }
        let evidence =
            pick::evidence(sources, &baseline, row, quirk, kind).map_err(|e| format!("{row}/{quirk}: {e}"))?;
        found.push(Finding { row: row.to_owned(), quirk, kind, evidence });
    }
    if let Some(quirk) = only {
        if found.is_empty() {
            return Err(format!(
                "{row}'s baseline has no finding {quirk}: a finding is a quirk of kind deviation it lists, or an \
                 assigned panics-on-input or verifier-accepts-invalid (its findings: {})",
                finding_ids(&baseline).join(", ")
            ));
        }
    }
    Ok(found)
}

fn finding_ids(baseline: &Baseline) -> Vec<String> {
    let attributed = baseline.quirks.keys().filter(|id| {
        Quirk::from_id(id).and_then(|q| finding_kind(q, false).or_else(|| finding_kind(q, true))).is_some()
    });
    let assigned =
        baseline.assigned.keys().filter(|id| Quirk::from_id(id).and_then(|q| finding_kind(q, true)).is_some());
    attributed.chain(assigned).cloned().collect()
}

/// Records in `sources` the smallest input `report` holds for each finding a row with a
/// baseline showed on generated cases only (an entry the report has nothing for is kept as it
/// was, when the report does not hold the row), drops the entries of findings that are no longer
/// generated-only, and returns the findings it found no input for, each with why.
pub fn record_examples(sources: &mut Sources, report: &crate::report::Report) -> Result<Vec<String>, String> {
    let mut recorded = std::collections::BTreeMap::new();
    let mut missing = Vec::new();
    for row in sources.rows_with_baselines()? {
        let baseline = sources.baseline(&row)?;
        for (quirk, listed) in &baseline.quirks {
            let Some(quirk) = Quirk::from_id(quirk) else { continue };
            if finding_kind(quirk, false) != Some(FindingKind::Deviation)
                || pick::corpus_evidence(sources, &baseline, quirk).is_some()
            {
                continue;
            }
            let id = format!("{row}/{quirk}");
            match (examples::record(report, &row, quirk, listed), sources.example(&id)) {
                (Ok(example), _) => {
                    recorded.insert(id, example);
                }
                // The report may not hold the row (a run without it): the entry stays as it was,
                // and `dossier` checks it like any other.
                (Err(_), Some(kept)) if report.row(&row).is_none() => {
                    recorded.insert(id, kept.clone());
                }
                (Err(why), _) => missing.push(format!("{id}: {why}")),
            }
        }
    }
    sources.set_examples(recorded);
    Ok(missing)
}

/// The Markdown dossier of `finding`.
#[must_use]
pub fn render(sources: &Sources, finding: &Finding) -> String {
    render::dossier(sources, finding)
}

/// Every dossier of every row with a baseline and a [`RowInfo`], as (path under the findings
/// directory, contents), plus the index of them all (`index.md`): what `dossier --impl all`
/// writes and what the committed `docs/findings/` must equal.
pub fn generate_all(sources: &Sources) -> Result<Vec<(PathBuf, String)>, String> {
    let mut files = Vec::new();
    let mut all = Vec::new();
    for row in sources.rows_with_baselines()? {
        for finding in findings(sources, &row, None)? {
            files.push((finding.relative_path(), render(sources, &finding)));
            all.push(finding);
        }
    }
    let used: Vec<String> = all.iter().filter(|f| f.evidence.example.is_some()).map(Finding::id).collect();
    let unused: Vec<&String> = sources.example_ids().filter(|id| !used.contains(id)).collect();
    if !unused.is_empty() {
        return Err(format!(
            "{}: entries for findings that are no longer seen on generated cases only: {}; record them again: {}",
            examples::EXAMPLES_PATH,
            unused.iter().map(|id| id.as_str()).collect::<Vec<_>>().join(", "),
            examples::RECORD_COMMAND
        ));
    }
    files.push((PathBuf::from("index.md"), render::index(sources, &all)));
    Ok(files)
}
