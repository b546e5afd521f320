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

pub mod client;
pub mod examples;
pub mod live;
pub mod observed;
mod pick;
mod render;
mod render_client;
mod render_live;
mod rfc;
mod sources;

use std::path::{Path, PathBuf};

pub use pick::{Evidence, StageRow};
pub use sources::{LiveInfo, Repro, RowInfo, Sources};

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

/// The kind of finding `quirk` is when a row's baseline lists it (under `assigned` when
/// `assigned`), if it is one: attributed quirks of kind `deviation`, and crashes and accepting
/// verifiers whether the rules named them or a person assigned them.
#[must_use]
pub fn finding_kind(quirk: Quirk, assigned: bool) -> Option<FindingKind> {
    match quirk {
        Quirk::PanicsOnInput => Some(FindingKind::Crash),
        Quirk::VerifierAcceptsInvalid => Some(FindingKind::VerifierAcceptsInvalid),
        _ if !assigned && quirk.kind() == QuirkKind::Deviation && quirk.is_switchable() => Some(FindingKind::Deviation),
        _ => None,
    }
}

/// Why the dossiers cannot be written: the file, row or quirk, and what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The corpus has invalid vector files.
    #[error("{}: {} invalid vector file(s), first: {}", vectors.display(), errors.len(), first_of(errors))]
    Vectors {
        /// The corpus directory.
        vectors: PathBuf,
        /// What is wrong, file by file.
        errors: Vec<oauth1_vectors::VectorError>,
    },
    /// A file (or directory) cannot be read.
    #[error("{}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A JSON file is not what it should be.
    #[error("{}: {source}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// Where and what.
        #[source]
        source: serde_json::Error,
    },
    /// `docs/findings/rows.json` does not name the row.
    #[error("unknown implementation {row:?}: docs/findings/rows.json names {}", known.join(", "))]
    UnknownRow {
        /// The row asked for.
        row: String,
        /// The rows it names.
        known: Vec<String>,
    },
    /// The row has no baseline file.
    #[error(
        "{row} has no baseline ({}): its findings are not recorded yet (cargo xtask conformance \
         --update-baseline writes it)",
        path.display()
    )]
    NoBaseline {
        /// The row.
        row: String,
        /// Where its baseline would be.
        path: PathBuf,
    },
    /// The row's baseline cannot be read.
    #[error(transparent)]
    Baseline(#[from] crate::baseline::Error),
    /// A finding's evidence cannot be computed.
    #[error("{row}/{quirk}: {source}")]
    NoEvidence {
        /// The row.
        row: String,
        /// The quirk.
        quirk: Quirk,
        /// What is missing.
        #[source]
        source: MissingEvidence,
    },
    /// An entry of `docs/findings/observed.json` is incomplete.
    #[error("{}: {id}: {why}", observed::OBSERVED_PATH)]
    BadObserved {
        /// Its dossier id.
        id: String,
        /// What is wrong.
        why: String,
    },
    /// The examples file cannot be read.
    #[error(transparent)]
    Examples(#[from] examples::Error),
    /// The examples file has entries for findings no longer seen on generated cases only.
    #[error(
        "{}: entries for findings that are no longer seen on generated cases only: {}; record them again: {}",
        examples::EXAMPLES_PATH,
        unused.join(", "),
        examples::RECORD_COMMAND
    )]
    UnusedExamples {
        /// Their dossier ids.
        unused: Vec<String>,
    },
    /// The probe's checked-in case table does not parse.
    #[error("the probe's case table: {0}")]
    ProbeTable(String),
    /// A live baseline names a case its table does not have.
    #[error("{}: unknown case {case:?}: it is not in {table}", path.display())]
    UnknownLiveCase {
        /// The baseline.
        path: PathBuf,
        /// The case id.
        case: String,
        /// The table it should be in.
        table: &'static str,
    },
    /// A live baseline's explanation or diagnosis names something unknown.
    #[error("{}: case {case}: unknown {what}: {id:?}", path.display())]
    UnknownLiveId {
        /// The baseline.
        path: PathBuf,
        /// The case.
        case: String,
        /// What kind of id it should be.
        what: &'static str,
        /// The id.
        id: String,
    },
    /// A live baseline's name is not its file's.
    #[error("{}: it names {named:?}, but its file name says {expected:?}", path.display())]
    LiveNameMismatch {
        /// The baseline.
        path: PathBuf,
        /// The name inside.
        named: String,
        /// The file's stem.
        expected: String,
    },
    /// A live server or client has a baseline but no library facts.
    #[error(
        "{}: {name} has a baseline but no entry in {} (library, version, stack, language, adapter)",
        path.display(),
        sources::LIVE_ROWS_PATH
    )]
    NoLiveInfo {
        /// The baseline.
        path: PathBuf,
        /// The server or client.
        name: String,
    },
    /// A live server or client without a baseline.
    #[error(
        "{name} has no baseline ({}): its findings are not recorded yet (cargo xtask probe-matrix --update-baseline \
         or cargo xtask capture-matrix --update-baselines writes it)",
        path.display()
    )]
    NoLiveBaseline {
        /// The server or client.
        name: String,
        /// Where its baseline would be.
        path: PathBuf,
    },
    /// `--case` names no finding of the server or client.
    #[error("{name} has no live finding {case} (its findings: {})", findings.join(", "))]
    NoLiveFinding {
        /// The server or client.
        name: String,
        /// The case asked for.
        case: String,
        /// Its findings' cases.
        findings: Vec<String>,
    },
    /// `--case` with a name that is no live server or client.
    #[error("--case takes a probe or capture case of a live server or client; {name} is a row (--quirk selects its findings)")]
    CaseNeedsLive {
        /// The name asked for.
        name: String,
    },
    /// `--impl` names no row, server or client.
    #[error(
        "unknown implementation {name:?}: neither docs/findings/rows.json nor {} names it (they name {})",
        sources::LIVE_ROWS_PATH,
        known.join(", ")
    )]
    UnknownName {
        /// The name asked for.
        name: String,
        /// The names they have.
        known: Vec<String>,
    },
    /// The baseline does not list `quirk` as a finding.
    #[error(
        "{row}'s baseline has no finding {quirk}: a finding is a quirk of kind deviation it lists, or an \
         assigned panics-on-input or verifier-accepts-invalid (its findings: {})",
        findings.join(", ")
    )]
    NoFinding {
        /// The row.
        row: String,
        /// The quirk asked for.
        quirk: Quirk,
        /// The findings the baseline has.
        findings: Vec<String>,
    },
}

fn first_of(errors: &[oauth1_vectors::VectorError]) -> String {
    errors.first().map_or_else(String::new, ToString::to_string)
}

/// Why a deviation shown only by generated cases has no smallest input to show it with: its
/// recorded example is missing or stale.
#[derive(Debug, thiserror::Error)]
pub enum MissingEvidence {
    /// The examples file has no entry for the finding.
    #[error(
        "seen on generated cases only, and {} has no smallest input for it: record it: {}",
        examples::EXAMPLES_PATH,
        examples::RECORD_COMMAND
    )]
    NoExample,
    /// The examples file's entry no longer shows the finding.
    #[error("{path} is stale for it ({source}): record it again: {command}", path = examples::EXAMPLES_PATH, command = examples::RECORD_COMMAND)]
    StaleExample {
        /// Why.
        #[source]
        source: examples::Error,
    },
}

/// The findings of `row`, in catalogue order; only `only` when given. `Err` names what is
/// missing (no baseline, a quirk the baseline does not list as a finding).
///
/// # Errors
///
/// No baseline or row facts, evidence that cannot be computed, or no finding `only`.
pub fn findings(sources: &Sources, row: &str, only: Option<Quirk>) -> Result<Vec<Finding>, Error> {
    let baseline = sources.baseline(row)?;
    let mut found = Vec::new();
    for &quirk in Quirk::ALL {
        let listed = |map: &std::collections::BTreeMap<String, Vec<String>>| map.contains_key(quirk.id());
        // A crash or an accepting verifier is a finding whether the rules named it or a person
        // assigned it.
        let kind = if listed(&baseline.quirks) {
            finding_kind(quirk, false)
        } else if listed(&baseline.assigned) {
            finding_kind(quirk, true)
        } else {
            None
        };
        let Some(kind) = kind else { continue };
        if only.is_some_and(|q| q != quirk) {
            continue;
        }
        let evidence = pick::evidence(sources, &baseline, row, quirk, kind).map_err(|source| Error::NoEvidence {
            row: row.to_owned(),
            quirk,
            source,
        })?;
        found.push(Finding { row: row.to_owned(), quirk, kind, evidence });
    }
    if let Some(quirk) = only {
        if found.is_empty() {
            return Err(Error::NoFinding { row: row.to_owned(), quirk, findings: finding_ids(&baseline) });
        }
    }
    Ok(found)
}

fn finding_ids(baseline: &Baseline) -> Vec<String> {
    let attributed =
        baseline.quirks.keys().filter(|id| Quirk::from_id(id).and_then(|q| finding_kind(q, false)).is_some());
    let assigned =
        baseline.assigned.keys().filter(|id| Quirk::from_id(id).and_then(|q| finding_kind(q, true)).is_some());
    attributed.chain(assigned).cloned().collect()
}

/// Records in `sources` the smallest input `report` holds for each finding a row with a
/// baseline showed on generated cases only (an entry the report has nothing for is kept as it
/// was, when the report does not hold the row), drops the entries of findings that are no longer
/// generated-only, and returns the findings it found no input for, each with why.
pub fn record_examples(sources: &mut Sources, report: &crate::report::Report) -> Result<Vec<String>, Error> {
    let mut recorded = std::collections::BTreeMap::new();
    let mut missing = Vec::new();
    for row in sources.rows_with_baselines() {
        let baseline = sources.baseline(&row)?;
        let row_quirks: Vec<Quirk> = baseline.quirks.keys().filter_map(|id| Quirk::from_id(id)).collect();
        for (quirk, listed) in &baseline.quirks {
            let Some(quirk) = Quirk::from_id(quirk) else { continue };
            if finding_kind(quirk, false) != Some(FindingKind::Deviation)
                || pick::corpus_evidence(sources, &baseline, quirk).is_some()
            {
                continue;
            }
            let id = format!("{row}/{quirk}");
            let evidence = examples::RowEvidence { row_quirks: &row_quirks, listed };
            let (kept, reproduced) = (sources.example(&id), sources.repro(&id).is_some());
            match (examples::record(report, &row, quirk, evidence, kept, reproduced), kept) {
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

/// Every live-server finding of every server with a baseline, by server.
///
/// # Errors
///
/// A server without library facts, or a malformed baseline.
pub fn server_findings(sources: &Sources) -> Result<Vec<live::ServerFinding>, Error> {
    let mut found = Vec::new();
    for server in live::servers(sources)? {
        found.extend(live::findings(sources, &server, None)?);
    }
    Ok(found)
}

/// Every live-client finding of every client with a baseline, by client.
///
/// # Errors
///
/// A client without library facts, or a malformed baseline.
pub fn client_findings(sources: &Sources) -> Result<Vec<client::ClientFinding>, Error> {
    let mut found = Vec::new();
    for name in client::clients(sources)? {
        found.extend(client::findings(sources, &name, None)?);
    }
    Ok(found)
}

/// The dossiers of one name, as (path under the findings directory, contents): the row's (only
/// the finding `quirk` when given), the live server's and the live client's of that name (only
/// the finding of probe or capture case `case` when given).
///
/// # Errors
///
/// A name no row, server or client has, `quirk` with a name that is no row, `case` with one that
/// is no server or client, or the errors of [`findings`], [`live::findings`] and
/// [`client::findings`].
pub fn generate_named(
    sources: &Sources,
    name: &str,
    quirk: Option<Quirk>,
    case: Option<&str>,
) -> Result<Vec<(PathBuf, String)>, Error> {
    let is_row = sources.row(name).is_ok();
    let server = name.strip_suffix(live::TLS_SUFFIX).unwrap_or(name);
    let (is_server, is_client) = (sources.server(server).is_some(), sources.client(name).is_some());
    if !(is_row || is_server || is_client) || (quirk.is_some() && !is_row) {
        return Err(Error::UnknownName { name: name.to_owned(), known: sources.known_names() });
    }
    if case.is_some() && !(is_server || is_client) {
        return Err(Error::CaseNeedsLive { name: name.to_owned() });
    }
    let mut files = Vec::new();
    if quirk.is_some() || (case.is_none() && is_row) {
        for finding in findings(sources, name, quirk)? {
            files.push((finding.relative_path(), render(sources, &finding)));
        }
    }
    if quirk.is_none() && is_server {
        for finding in live::findings(sources, name, case)? {
            files.push((finding.relative_path(), render_live::dossier(sources, &finding)));
        }
    }
    if quirk.is_none() && is_client {
        for finding in client::findings(sources, name, case)? {
            files.push((finding.relative_path(), render_client::dossier(sources, &finding)));
        }
    }
    Ok(files)
}

/// Every dossier of every row with a baseline and a [`RowInfo`], of every live server and every
/// live client with a baseline, and of every entry of `observed.json`, as (path under the
/// findings directory, contents), plus the index of them all (`index.md`): what `dossier --impl
/// all` writes and what the committed `docs/findings/` must equal.
///
/// # Errors
///
/// As [`findings`], for the first row that fails, and as [`server_findings`] and
/// [`client_findings`].
pub fn generate_all(sources: &Sources) -> Result<Vec<(PathBuf, String)>, Error> {
    let mut files = Vec::new();
    let mut all = Vec::new();
    for row in sources.rows_with_baselines() {
        for finding in findings(sources, &row, None)? {
            files.push((finding.relative_path(), render(sources, &finding)));
            all.push(finding);
        }
    }
    let used: Vec<String> = all.iter().filter(|f| f.evidence.example.is_some()).map(Finding::id).collect();
    let unused: Vec<&String> = sources.example_ids().filter(|id| !used.contains(id)).collect();
    if !unused.is_empty() {
        return Err(Error::UnusedExamples { unused: unused.into_iter().cloned().collect() });
    }
    let servers = server_findings(sources)?;
    files.extend(servers.iter().map(|f| (f.relative_path(), render_live::dossier(sources, f))));
    let clients = client_findings(sources)?;
    files.extend(clients.iter().map(|f| (f.relative_path(), render_client::dossier(sources, f))));
    for (id, entry) in sources.observed() {
        files.push((observed::relative_path(id), observed::dossier(sources, id, entry)));
    }
    let mut index = render::index(sources, &all);
    index.push_str(&render_live::index(sources, &servers));
    index.push_str(&render_client::index(sources, &clients));
    index.push_str(&observed::index_section(sources));
    files.push((PathBuf::from("index.md"), index));
    Ok(files)
}
