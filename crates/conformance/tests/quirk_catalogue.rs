//! `docs/quirks.md` is the catalogue as the code defines it.

use std::path::Path;

use oauth1_conformance::quirk_catalogue::{bug_report, markdown};
use oauth1_conformance::quirks::Quirk;

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
fn bug_reports_are_public_issue_or_pull_request_links() {
    for &quirk in Quirk::ALL {
        if let Some(url) = bug_report(quirk) {
            let path = url.strip_prefix("https://github.com/").unwrap_or_else(|| panic!("{quirk}: {url}"));
            let parts: Vec<&str> = path.split('/').collect();
            assert!(
                parts.len() == 4 && ["issues", "pull"].contains(&parts[2]) && parts[3].parse::<u32>().is_ok(),
                "{quirk}: {url} is not an issue or pull request"
            );
        }
    }
}
