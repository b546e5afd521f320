//! `docs/quirks.md` is the catalogue as the code defines it, and `docs/quirks-in-the-wild.md`
//! (the public reports) and the catalogue's report links name each other.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use oauth1_conformance::quirk_catalogue::{markdown, reports};
use oauth1_conformance::quirks::Quirk;

fn docs(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn docs_quirks_md_is_the_catalogue() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/quirks.md");
    let expected = markdown();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/quirks.md differs from the catalogue: run `UPDATE_DOCS=1 cargo test -p oauth1-conformance --test quirk_catalogue`"
    );
    for quirk in Quirk::ALL {
        assert!(actual.contains(&format!("| `{}` |", quirk.id())), "{quirk} is missing");
    }
}

#[test]
fn reports_are_public_issue_or_pull_request_links() {
    for &quirk in Quirk::ALL {
        for url in reports(quirk) {
            let path = url.strip_prefix("https://github.com/").unwrap_or_else(|| panic!("{quirk}: {url}"));
            let parts: Vec<&str> = path.split('/').collect();
            assert!(
                parts.len() == 4 && ["issues", "pull"].contains(&parts[2]) && parts[3].parse::<u32>().is_ok(),
                "{quirk}: {url} is not an issue or pull request"
            );
        }
        let unique: BTreeSet<&str> = reports(quirk).iter().copied().collect();
        assert_eq!(unique.len(), reports(quirk).len(), "{quirk} lists a report twice");
    }
}

/// The rows of the report table of `docs/quirks-in-the-wild.md`: each link with the quirk ids
/// its last cell names.
fn wild_rows(doc: &str) -> BTreeMap<String, Vec<String>> {
    let mut rows = BTreeMap::new();
    for line in doc.lines() {
        let cells: Vec<&str> = line.split(" | ").collect();
        let (Some(number), Some(link), Some(ids)) = (cells.first(), cells.get(1), cells.last()) else { continue };
        let is_report = number.strip_prefix("| ").is_some_and(|n| n.parse::<u32>().is_ok());
        let Some(url) = link.strip_prefix('<').and_then(|l| l.strip_suffix('>')) else { continue };
        if !is_report {
            continue;
        }
        let named: Vec<String> = ids.split('`').skip(1).step_by(2).map(str::to_owned).collect();
        assert!(!named.is_empty(), "{url}: the row names no quirk id");
        assert!(rows.insert(url.to_owned(), named).is_none(), "{url} is listed twice");
    }
    rows
}

#[test]
fn the_reports_in_the_wild_and_the_catalogue_name_each_other() {
    let doc = docs("quirks-in-the-wild.md");
    let rows = wild_rows(&doc);
    assert!(rows.len() >= 60, "only {} reports", rows.len());
    for (url, ids) in &rows {
        for id in ids {
            let quirk = Quirk::from_id(id).unwrap_or_else(|| panic!("{url} names `{id}`, which is not catalogued"));
            assert!(reports(quirk).contains(&url.as_str()), "{url} names {quirk}, whose reports leave it out");
        }
    }
    for &quirk in Quirk::ALL {
        for url in reports(quirk) {
            let named = rows.get(*url).unwrap_or_else(|| panic!("{quirk}: {url} is not in quirks-in-the-wild.md"));
            assert!(named.iter().any(|id| id == quirk.id()), "{quirk}: the row of {url} does not name it");
        }
    }
}
