//! Findings no catalogued quirk carries (`docs/findings/observed.json`): a crash outside the
//! corpus, a cost, a credential cut short, a verifier refusing a valid request, a library that
//! does not load. A person recorded each after seeing it through the library's adapter or its
//! documented calls, since no quirk pipeline can recompute them; what keeps an entry true is its
//! standalone reproduction, which CI runs like the others. The dossier is rendered from the entry
//! alone, in the same order as a quirk's.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{render, rfc, Error, Sources};

/// The file, from the repository root.
pub const OBSERVED_PATH: &str = "docs/findings/observed.json";

/// What kind of finding an observed entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ObservedKind {
    /// The library crashes (a panic, a signal, an error outside its own error type).
    Crash,
    /// The library's time or memory grows out of proportion with its input.
    Cost,
    /// The library's verifier refuses a request RFC 5849 makes valid.
    VerifierRefusesValid,
    /// The library's verifier accepts a request RFC 5849 §3.2 makes it refuse.
    VerifierAcceptsInvalid,
    /// The library signs or sends something RFC 5849 does not allow, outside the catalogue.
    Deviation,
    /// The library cannot be used at all as packaged.
    Unusable,
}

impl ObservedKind {
    /// The kind as the dossier's header and the index write it.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Crash => "crash",
            Self::Cost => "unbounded cost",
            Self::VerifierRefusesValid => "verifier refusing what it must accept",
            Self::VerifierAcceptsInvalid => "verifier accepting what it must refuse",
            Self::Deviation => "deviation outside the catalogue",
            Self::Unusable => "library unusable as packaged",
        }
    }
}

/// One entry of `observed.json`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observed {
    /// Its kind.
    pub kind: ObservedKind,
    /// What the library does, in a maintainer's words.
    pub title: String,
    /// The library, for one without a row in `rows.json` (with `version` and `language`).
    #[serde(default)]
    pub library: Option<String>,
    /// Its version, for a library without a row.
    #[serde(default)]
    pub version: Option<String>,
    /// Its language, for a library without a row.
    #[serde(default)]
    pub language: Option<String>,
    /// The smallest input that shows it (Markdown).
    pub input: String,
    /// The RFC 5849 sections it breaks; none for a robustness finding.
    pub sections: Vec<String>,
    /// What RFC 5849 (or plain robustness) requires.
    pub expected: String,
    /// What the library does.
    pub actual: String,
    /// Where it shows in the library, and how it was told apart from other causes.
    pub evidence: String,
}

// Its `about` field is for people.
#[derive(Debug, Deserialize)]
struct ObservedFile {
    findings: BTreeMap<String, Observed>,
}

/// The entries of `root`'s `observed.json`, by dossier id. An id whose row `rows_known` does not
/// hold must name its library, and every cited section must have a passage to quote.
///
/// # Errors
///
/// The file cannot be read or parsed, or an entry is incomplete.
pub(super) fn load(root: &Path, rows_known: &dyn Fn(&str) -> bool) -> Result<BTreeMap<String, Observed>, Error> {
    let path = root.join(OBSERVED_PATH);
    let text = std::fs::read_to_string(&path).map_err(|source| Error::Read { path: path.clone(), source })?;
    let file: ObservedFile = serde_json::from_str(&text).map_err(|source| Error::Parse { path, source })?;
    for (id, entry) in &file.findings {
        let bad = |why: String| Error::BadObserved { id: id.clone(), why };
        let Some((row, slug)) = id.rsplit_once('/') else {
            return Err(bad("the id is not ROW/SLUG".to_owned()));
        };
        if slug.is_empty() || !slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
            return Err(bad(format!("the slug {slug:?} is not lowercase words joined by '-'")));
        }
        let described = entry.library.is_some() && entry.version.is_some() && entry.language.is_some();
        if !rows_known(row) && !described {
            return Err(bad(format!(
                "{row} is not a row of docs/findings/rows.json: give library, version and language"
            )));
        }
        if let Some(section) = entry.sections.iter().find(|s| rfc::passage(s).is_none()) {
            return Err(bad(format!("§{section} has no passage in the dossiers' RFC 5849 quotes")));
        }
    }
    Ok(file.findings)
}

/// Where the dossier of `id` is written under the findings directory.
#[must_use]
pub fn relative_path(id: &str) -> PathBuf {
    PathBuf::from(format!("{id}.md"))
}

/// The library and version the dossier names: the row's, or the entry's own.
fn library(sources: &Sources, id: &str, entry: &Observed) -> (String, String, String) {
    let row = id.rsplit_once('/').map_or(id, |(row, _)| row);
    match sources.row(row) {
        Ok(info) => (info.library.clone(), info.version.clone(), info.language.clone()),
        Err(_) => (
            entry.library.clone().unwrap_or_default(),
            entry.version.clone().unwrap_or_default(),
            entry.language.clone().unwrap_or_default(),
        ),
    }
}

fn header(out: &mut String, sources: &Sources, id: &str, entry: &Observed) {
    let (library, version, language) = library(sources, id, entry);
    let row = id.rsplit_once('/').map_or(id, |(row, _)| row);
    let _ = writeln!(out, "# {library}: {}\n", entry.title);
    let matrix_row = match sources.row(row) {
        Ok(info) => format!("`{row}` (adapter `{}`)", info.adapter),
        Err(_) => "none: the matrix has no row for this library".to_owned(),
    };
    let _ = writeln!(
        out,
        "| | |\n|---|---|\n| dossier | `{id}` |\n| library | {} |\n| version | {} |\n| language | {} |\n\
         | matrix row | {matrix_row} |\n| kind | {} |\n| catalogue entry | none: no catalogued quirk names it \
         ([observed.json]({}{OBSERVED_PATH})) |\n",
        render::cell(&library),
        render::cell(&version),
        render::cell(&language),
        entry.kind.label(),
        to_root(id)
    );
}

/// The way from the dossier of `id` up to the repository root, for relative links.
fn to_root(id: &str) -> String {
    "../".repeat(id.split('/').count() + 1)
}

fn rfc_section(out: &mut String, entry: &Observed) {
    out.push_str("## What RFC 5849 says\n\n");
    if entry.sections.is_empty() {
        out.push_str(
            "No requirement of RFC 5849 is at stake: this is a robustness finding. A library that signs or \
             verifies requests for others must answer every input, hostile ones included, with a result or its \
             own error, in time proportional to the input.\n\n",
        );
        return;
    }
    for section in &entry.sections {
        if let Some((title, text)) = rfc::passage(section) {
            let _ = writeln!(out, "**§{section} {title}**\n\n> {text}\n");
        }
    }
}

fn reproduction(out: &mut String, sources: &Sources, id: &str) {
    out.push_str("## Reproduction\n\n");
    match sources.repro(id) {
        Some(repro) => {
            let _ = writeln!(
                out,
                "[`{}`]({}{}) uses only the library (no harness): it gives the library the input above and prints \
                 what the library does next to what RFC 5849 requires. It exits 0 while the library behaves as this \
                 dossier says, 3 when it behaves as RFC 5849 requires (retire this dossier), 4 for a third behaviour \
                 (re-examine it). `cargo xtask repros` runs it in CI. From the repository root, after `cargo xtask \
                 setup --all`:\n",
                repro.path,
                to_root(id),
                repro.path
            );
            render::repro_commands(out, repro);
        }
        None => out.push_str("No standalone reproduction yet.\n\n"),
    }
}

/// The dossier of the observed finding `id`.
#[must_use]
pub fn dossier(sources: &Sources, id: &str, entry: &Observed) -> String {
    let mut out = String::new();
    header(&mut out, sources, id, entry);
    let _ = writeln!(out, "## Smallest input\n\n{}\n", entry.input);
    rfc_section(&mut out, entry);
    let (library, _, _) = library(sources, id, entry);
    let _ = writeln!(
        out,
        "## Expected and actual\n\n| | |\n|---|---|\n| RFC 5849 | {} |\n| {} | {} |\n",
        render::cell(&entry.expected),
        render::cell(&library),
        render::cell(&entry.actual)
    );
    let _ = writeln!(out, "## Evidence\n\n{}\n", entry.evidence);
    reproduction(&mut out, sources, id);
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// The index's section of the observed findings.
#[must_use]
pub fn index_section(sources: &Sources) -> String {
    let mut out = String::from("\n## Findings no catalogued quirk carries\n\n");
    out.push_str(
        "Recorded in [observed.json](observed.json) (a crash outside the corpus, a cost, a verifier refusing a \
         valid request, a library that does not load), each kept true by its reproduction.\n\n\
         | library | finding | kind | RFC 5849 | reproduction |\n|---|---|---|---|---|\n",
    );
    for (id, entry) in sources.observed() {
        let (library, version, _) = library(sources, id, entry);
        let sections = if entry.sections.is_empty() {
            "robustness".to_owned()
        } else {
            entry.sections.iter().map(|s| format!("§{s}")).collect::<Vec<_>>().join(", ")
        };
        let repro = sources.repro(id).map_or_else(|| "—".to_owned(), |r| format!("`{}`", r.path));
        let _ = writeln!(
            out,
            "| {} | [`{id}`]({}) | {} | {sections} | {repro} |",
            render::cell(&format!("{library} {version}")),
            relative_path(id).display(),
            entry.kind.label()
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, json: &str) {
        std::fs::create_dir_all(dir.join("docs/findings")).unwrap();
        std::fs::write(dir.join(OBSERVED_PATH), json).unwrap();
    }

    fn entry(sections: &str, library: &str) -> String {
        format!(
            r#"{{"kind": "crash", "title": "t", "input": "i", "sections": [{sections}], "expected": "e",
                "actual": "a", "evidence": "v"{library}}}"#
        )
    }

    fn load_one(id: &str, body: &str) -> Result<BTreeMap<String, Observed>, Error> {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &format!(r#"{{"about": "", "findings": {{"{id}": {body}}}}}"#));
        load(dir.path(), &|row| row == "signet")
    }

    #[test]
    fn a_known_row_with_quoted_sections_loads() {
        let found = load_one("signet/header-parse-crash", &entry(r#""3.5.1", "3.2""#, "")).unwrap();
        assert_eq!(found["signet/header-parse-crash"].kind, ObservedKind::Crash);
    }

    #[test]
    fn an_unknown_row_must_describe_its_library() {
        let error = load_one("horde-oauth/does-not-load", &entry("", "")).unwrap_err();
        assert!(error.to_string().contains("give library, version and language"), "{error}");
        let described = r#", "library": "Horde_Oauth", "version": "2.0.4", "language": "PHP""#;
        assert!(load_one("horde-oauth/does-not-load", &entry("", described)).is_ok());
    }

    #[test]
    fn a_section_without_a_passage_or_a_bad_slug_is_refused() {
        let error = load_one("signet/x", &entry(r#""9.9""#, "")).unwrap_err();
        assert!(error.to_string().contains("§9.9 has no passage"), "{error}");
        let error = load_one("signet/Not_A_Slug", &entry("", "")).unwrap_err();
        assert!(error.to_string().contains("is not lowercase words"), "{error}");
    }
}
