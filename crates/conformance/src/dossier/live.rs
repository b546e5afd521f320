//! Live-server findings: what `oauth1-conformance probe` recorded in a server's baseline
//! (`adapters/baselines/live/NAME.json`), one dossier per finding (`live/SERVER/CASE`).
//!
//! A finding is a case whose verdict is `fail`, or a case of the `valid` family whose verdict is
//! not `ok` or `informational` (a valid request refused, even where RFC 5849 allows it, or
//! answered with neither status). The matrix probes each server directly and behind the nginx
//! TLS proxy (`NAME+nginx-tls.json`): a proxied case with the direct server's verdict is the same
//! finding; one only the proxy shows is a finding of its own (`live/NAME+nginx-tls/CASE`).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{Error, Sources};
use crate::live::probe::cases::{self, CaseRow, Family};
use crate::live::probe::diagnosis::Rebuild;
use crate::live::probe::verdict::Verdict;
use crate::quirks::Quirk;

/// The suffix of the baseline of a server probed behind the TLS proxy.
pub const TLS_SUFFIX: &str = "+nginx-tls";

/// A live server's baseline file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerBaseline {
    /// The server, as the file is named (`NAME` or `NAME+nginx-tls`).
    pub server: String,
    /// Every case that was not `ok` or skipped, by probe case id.
    #[serde(default)]
    pub findings: BTreeMap<String, ServerEntry>,
}

/// What a baseline records for one case.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerEntry {
    /// The probe's verdict.
    pub verdict: Verdict,
    /// Why, starting with whose check it is (`library:`, `app:`, `library and app:`).
    pub note: String,
    /// For a refused valid request: the way of verifying that the server accepts instead
    /// (`quirk:ID`, `rebuild:ID`).
    #[serde(default)]
    pub explained_by: Option<String>,
}

/// Whose check a finding is, from the note's prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whose {
    /// The library's.
    Library,
    /// The application's, written as the framework's documentation example writes it.
    App,
    /// Both.
    Both,
    /// The note does not say.
    Unstated,
}

impl Whose {
    /// Whose check `note` says it is, and the rest of the note.
    #[must_use]
    pub fn of(note: &str) -> (Self, &str) {
        for (prefix, whose) in [("library and app:", Self::Both), ("library:", Self::Library), ("app:", Self::App)] {
            if let Some(rest) = note.strip_prefix(prefix) {
                return (whose, rest.trim_start());
            }
        }
        (Self::Unstated, note)
    }

    /// As the dossier writes it.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Library => "library",
            Self::App => "app (the documentation's example application)",
            Self::Both => "both (the library, and the documentation's example application)",
            Self::Unstated => "not stated in the baseline",
        }
    }
}

/// One live-server finding, and everything its dossier says.
#[derive(Debug, Clone)]
pub struct ServerFinding {
    /// The server as the id names it: `NAME`, or `NAME+nginx-tls` for a finding only the proxy
    /// shows.
    pub server: String,
    /// The server's name without the proxy suffix (its `live-rows.json` entry).
    pub name: String,
    /// The probe case.
    pub case: CaseRow,
    /// What the finding's baseline records.
    pub entry: ServerEntry,
    /// What the other baseline (the proxied one for a direct finding, the direct one for a
    /// proxy-only finding) records for the case; `None` when it has no entry or no file.
    pub other: Option<ServerEntry>,
    /// Whether the other baseline file exists.
    pub other_probed: bool,
}

impl ServerFinding {
    /// The dossier's id: `live/SERVER/CASE`.
    #[must_use]
    pub fn id(&self) -> String {
        format!("live/{}/{}", self.server, self.case.id)
    }

    /// Whether only the TLS proxy shows it.
    #[must_use]
    pub fn proxied_only(&self) -> bool {
        self.server.ends_with(TLS_SUFFIX)
    }

    /// Where the dossier is written under the findings directory.
    #[must_use]
    pub fn relative_path(&self) -> PathBuf {
        Path::new("live").join(&self.server).join(format!("{}.md", self.case.id))
    }

    /// The baseline file the finding is read from, as the repository names it.
    #[must_use]
    pub fn baseline_path(&self) -> String {
        format!("adapters/baselines/live/{}.json", self.server)
    }
}

/// Whether a case with `verdict` is a finding: a `fail`, or a valid request not accepted.
#[must_use]
pub fn is_finding(row: &CaseRow, verdict: Verdict) -> bool {
    verdict == Verdict::Fail
        || (row.family == Family::Valid && !matches!(verdict, Verdict::Ok | Verdict::Informational | Verdict::Skip))
}

/// The findings of server `name` from its direct and proxied baselines (either may be
/// missing), direct ones first, each in case-table order.
#[must_use]
pub fn select(
    name: &str,
    direct: Option<&ServerBaseline>,
    proxied: Option<&ServerBaseline>,
    table: &[CaseRow],
) -> Vec<ServerFinding> {
    let entry = |baseline: Option<&ServerBaseline>, case: &str| baseline.and_then(|b| b.findings.get(case)).cloned();
    let mut found = Vec::new();
    for row in table {
        let (here, there) = (entry(direct, &row.id), entry(proxied, &row.id));
        if let Some(entry) = here.clone().filter(|e| is_finding(row, e.verdict)) {
            found.push(ServerFinding {
                server: name.to_owned(),
                name: name.to_owned(),
                case: row.clone(),
                entry,
                other: there.clone(),
                other_probed: proxied.is_some(),
            });
        }
        let same_as_direct = here.as_ref().zip(there.as_ref()).is_some_and(|(h, t)| h.verdict == t.verdict);
        if let Some(entry) = there.filter(|e| is_finding(row, e.verdict) && !same_as_direct) {
            found.push(ServerFinding {
                server: format!("{name}{TLS_SUFFIX}"),
                name: name.to_owned(),
                case: row.clone(),
                entry,
                other: here,
                other_probed: direct.is_some(),
            });
        }
    }
    found.sort_by_key(ServerFinding::proxied_only);
    found
}

/// Checks a baseline read from `path`: its `server` is its file name, and every case id and
/// explanation is one the probe knows.
///
/// # Errors
///
/// The first thing wrong, naming the file and the case.
pub fn check(path: &Path, baseline: &ServerBaseline, table: &[CaseRow]) -> Result<(), Error> {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    if baseline.server != stem {
        return Err(Error::LiveNameMismatch {
            path: path.to_owned(),
            named: baseline.server.clone(),
            expected: stem.to_owned(),
        });
    }
    for (case, entry) in &baseline.findings {
        if !table.iter().any(|row| &row.id == case) {
            return Err(Error::UnknownLiveCase { path: path.to_owned(), case: case.clone(), table: PROBE_TABLE });
        }
        let Some(explained_by) = &entry.explained_by else { continue };
        let known = match explained_by.split_once(':') {
            Some(("quirk", id)) => Quirk::from_id(id).is_some(),
            Some(("rebuild", id)) => Rebuild::all().iter().any(|r| r.id() == id),
            _ => false,
        };
        if !known {
            return Err(Error::UnknownLiveId {
                path: path.to_owned(),
                case: case.clone(),
                what: "explanation (quirk:ID of the catalogue or rebuild:ID of the probe's reconstructions)",
                id: explained_by.clone(),
            });
        }
    }
    Ok(())
}

/// Where the probe's case table is, for errors.
pub(super) const PROBE_TABLE: &str = "the probe's table, crates/conformance/data/probe-cases.json";

fn read_baseline(path: &Path, table: &[CaseRow]) -> Result<Option<ServerBaseline>, Error> {
    if !path.is_file() {
        return Ok(None);
    }
    let text = fs::read_to_string(path).map_err(|source| Error::Read { path: path.to_owned(), source })?;
    let baseline: ServerBaseline =
        serde_json::from_str(&text).map_err(|source| Error::Parse { path: path.to_owned(), source })?;
    check(path, &baseline, table)?;
    Ok(Some(baseline))
}

/// The probe's case table.
///
/// # Errors
///
/// When the checked-in table does not parse (its own tests keep it parsing).
pub(super) fn table() -> Result<&'static [CaseRow], Error> {
    cases::table().map_err(|e| Error::ProbeTable(e.to_string()))
}

/// The servers with a baseline (file stems without the proxy suffix), sorted; each must have
/// a `live-rows.json` entry.
///
/// # Errors
///
/// The directory cannot be read, or a server without an entry (naming its baseline).
pub fn servers(sources: &Sources) -> Result<Vec<String>, Error> {
    let dir = sources.live_baselines();
    let mut names = BTreeSet::new();
    let entries = fs::read_dir(&dir).map_err(|source| Error::Read { path: dir.clone(), source })?;
    for path in entries.filter_map(Result::ok).map(|e| e.path()) {
        let Some(stem) =
            path.file_stem().and_then(|s| s.to_str()).filter(|_| path.extension().is_some_and(|e| e == "json"))
        else {
            continue;
        };
        let name = stem.strip_suffix(TLS_SUFFIX).unwrap_or(stem);
        if sources.server(name).is_none() {
            return Err(Error::NoLiveInfo { path: path.clone(), name: name.to_owned() });
        }
        names.insert(name.to_owned());
    }
    Ok(names.into_iter().collect())
}

/// The findings of server `name` (`NAME`, or `NAME+nginx-tls` for the proxy-only ones); only
/// the one of probe case `only` when given.
///
/// # Errors
///
/// No baseline for it, a malformed one, or no finding `only`.
pub fn findings(sources: &Sources, name: &str, only: Option<&str>) -> Result<Vec<ServerFinding>, Error> {
    let table = table()?;
    let base = name.strip_suffix(TLS_SUFFIX).unwrap_or(name);
    let dir = sources.live_baselines();
    let direct = read_baseline(&dir.join(format!("{base}.json")), table)?;
    let proxied = read_baseline(&dir.join(format!("{base}{TLS_SUFFIX}.json")), table)?;
    if direct.is_none() && proxied.is_none() {
        return Err(Error::NoLiveBaseline { name: name.to_owned(), path: dir.join(format!("{base}.json")) });
    }
    let mut found = select(base, direct.as_ref(), proxied.as_ref(), table);
    if name != base {
        found.retain(ServerFinding::proxied_only);
    }
    if let Some(case) = only {
        let ids = found.iter().map(|f| f.case.id.clone()).collect();
        found.retain(|f| f.case.id == case);
        if found.is_empty() {
            return Err(Error::NoLiveFinding { name: name.to_owned(), case: case.to_owned(), findings: ids });
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(verdict: Verdict, note: &str) -> ServerEntry {
        ServerEntry { verdict, note: note.to_owned(), explained_by: None }
    }

    fn baseline(server: &str, cases: &[(&str, ServerEntry)]) -> ServerBaseline {
        ServerBaseline {
            server: server.to_owned(),
            findings: cases.iter().map(|(id, e)| ((*id).to_owned(), e.clone())).collect(),
        }
    }

    fn ids(found: &[ServerFinding]) -> Vec<String> {
        found.iter().map(ServerFinding::id).collect()
    }

    /// A proxied case with the direct server's verdict is the same finding (one dossier, which
    /// names the proxy's record); one only the proxy fails gets its own id.
    #[test]
    fn a_tls_only_finding_has_its_own_id_and_a_shared_one_does_not() {
        let table = table().unwrap();
        let direct = baseline("s", &[("replay-same-request", entry(Verdict::Fail, "app: no nonce check"))]);
        let proxied = baseline(
            "s+nginx-tls",
            &[
                ("replay-same-request", entry(Verdict::Fail, "app: no nonce check")),
                ("valid-gate", entry(Verdict::Fail, "app: the scheme is flipped")),
            ],
        );
        let found = select("s", Some(&direct), Some(&proxied), table);
        assert_eq!(ids(&found), ["live/s/replay-same-request", "live/s+nginx-tls/valid-gate"]);
        assert_eq!(found[0].other.as_ref().map(|e| e.verdict), Some(Verdict::Fail));
        assert!(found[1].proxied_only() && found[1].other.is_none() && found[1].other_probed);
        assert_eq!(found[1].relative_path(), Path::new("live/s+nginx-tls/valid-gate.md"));
    }

    /// The same case with another verdict behind the proxy is a second finding.
    #[test]
    fn a_tls_case_with_another_verdict_is_its_own_finding() {
        let table = table().unwrap();
        let direct = baseline("s", &[("valid-non-ascii", entry(Verdict::Fail, "library: refused"))]);
        let proxied = baseline("s+nginx-tls", &[("valid-non-ascii", entry(Verdict::Inconclusive, "library: a 500"))]);
        let found = select("s", Some(&direct), Some(&proxied), table);
        assert_eq!(ids(&found), ["live/s/valid-non-ascii", "live/s+nginx-tls/valid-non-ascii"]);
    }

    /// A valid request not accepted is a finding whatever its verdict (non-strict, inconclusive);
    /// a non-strict or inconclusive case of another family is not, nor an informational one.
    #[test]
    fn a_refused_valid_case_is_a_finding_and_a_non_strict_malformed_one_is_not() {
        let table = table().unwrap();
        let direct = baseline(
            "s",
            &[
                ("valid-protocol-parameters-in-query", entry(Verdict::NonStrict, "library: header only (allowed)")),
                ("valid-non-ascii", entry(Verdict::Inconclusive, "library: a 500")),
                ("malformed-header-missing-comma", entry(Verdict::NonStrict, "library: a lenient parser")),
                ("malformed-missing-signature", entry(Verdict::Inconclusive, "library: a 500")),
                ("time-window", entry(Verdict::Informational, "informational: the window")),
                ("malformed-unknown-version", entry(Verdict::Fail, "library: never checked")),
            ],
        );
        let found = select("s", Some(&direct), None, table);
        assert_eq!(
            ids(&found),
            ["live/s/valid-protocol-parameters-in-query", "live/s/valid-non-ascii", "live/s/malformed-unknown-version"]
        );
        assert!(found.iter().all(|f| f.other.is_none() && !f.other_probed));
    }

    /// A server probed behind the proxy only has proxy-only findings.
    #[test]
    fn without_a_direct_baseline_every_finding_is_the_proxys() {
        let table = table().unwrap();
        let proxied = baseline("s+nginx-tls", &[("malformed-unknown-version", entry(Verdict::Fail, "library: no"))]);
        assert_eq!(ids(&select("s", None, Some(&proxied), table)), ["live/s+nginx-tls/malformed-unknown-version"]);
    }

    #[test]
    fn an_unknown_case_or_explanation_or_name_is_an_error_naming_the_file() {
        let table = table().unwrap();
        let path = Path::new("adapters/baselines/live/s.json");
        let bad = baseline("s", &[("valid-no-such-case", entry(Verdict::Fail, "library: x"))]);
        let error = check(path, &bad, table).unwrap_err();
        assert!(matches!(&error, Error::UnknownLiveCase { case, .. } if case == "valid-no-such-case"), "{error:?}");
        assert!(error.to_string().starts_with("adapters/baselines/live/s.json: unknown case"), "{error}");
        let mut explained = entry(Verdict::Fail, "library: x");
        explained.explained_by = Some("quirk:no-such-quirk".to_owned());
        let error = check(path, &baseline("s", &[("valid-gate", explained.clone())]), table).unwrap_err();
        assert!(error.to_string().contains("\"quirk:no-such-quirk\""), "{error}");
        explained.explained_by = Some("rebuild:scheme-flipped".to_owned());
        check(path, &baseline("s", &[("valid-gate", explained)]), table).unwrap();
        let error = check(path, &baseline("t", &[]), table).unwrap_err();
        assert!(matches!(error, Error::LiveNameMismatch { .. }), "{error:?}");
    }

    #[test]
    fn whose_check_is_read_from_the_notes_prefix() {
        assert_eq!(Whose::of("library and app: both"), (Whose::Both, "both"));
        assert_eq!(Whose::of("library: it"), (Whose::Library, "it"));
        assert_eq!(Whose::of("app: the example"), (Whose::App, "the example"));
        assert_eq!(Whose::of("the valid POST is refused"), (Whose::Unstated, "the valid POST is refused"));
    }
}
