//! The quirk catalogue as people read it: each quirk with its RFC section, minimal vector and,
//! where one exists, a public bug report showing the same mistake in some implementation, so a
//! finding can point at prior art. `docs/quirks.md` is [`markdown`]'s output, checked in and
//! held to the code by a test.

use std::fmt::Write as _;

use crate::quirks::Quirk;

/// A public bug report or pull request about this mistake in a real implementation (not
/// necessarily one in the matrix), when one is known.
#[must_use]
pub fn bug_report(quirk: Quirk) -> Option<&'static str> {
    let url = match quirk {
        Quirk::SortsUnencoded => "https://github.com/joestump/python-oauth2/issues/75",
        Quirk::SortsJoinedPairs => "https://github.com/jdg/oauthconsumer/pull/8",
        Quirk::SortsByNameOnly | Quirk::NamesNotEncoded => "https://github.com/geoffjentry/ROAuth/pull/7",
        Quirk::CollapsesDuplicatesLast => "https://github.com/googleapis/signet/issues/173",
        Quirk::DropsEmptyValues => "https://github.com/ruby-oauth/oauth/pull/155",
        Quirk::IgnoresFormBody => "https://github.com/scribejava/scribejava/issues/286",
        Quirk::PlusNotDecoded => "https://github.com/NangoHQ/nango/issues/7098",
        Quirk::CharsetMakesBodyUnsigned => "https://github.com/eclipse-ee4j/jersey/issues/3185",
        Quirk::KeepsDefaultPort => "https://github.com/ddo/oauth-1.0a/issues/59",
        Quirk::SecretsNotEncoded => "https://github.com/dghubble/oauth1/pull/72",
        Quirk::JsEncodeUriComponent => "https://github.com/nbspou/dart-oauth1/pull/10",
        Quirk::SignsRealm => "https://github.com/ddo/oauth-1.0a/issues/50",
        Quirk::OmitsRealm => "https://github.com/mrjones/oauth/pull/73",
        Quirk::IndexesRepeatedQueryNames => "https://github.com/ciaranj/node-oauth/pull/34",
        Quirk::EncodesRealmInHeader => "https://github.com/request/request/issues/2284",
        Quirk::DropsEmptyProtocolParameters => "https://github.com/dghubble/oauth1/pull/38",
        _ => return None,
    };
    Some(url)
}

/// Characters that would end a Markdown table cell or start markup are escaped.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// The whole catalogue as a Markdown page.
#[must_use]
pub fn markdown() -> String {
    let mut out = String::new();
    out.push_str("# The quirk catalogue\n\n");
    out.push_str(
        "Named deviations from RFC 5849 seen in real implementations. A *switchable* quirk is a variant of the \
         reference pipeline, so the harness attributes a divergence to the smallest set of them that reproduces \
         every stage an implementation reported; the others (rejections, parser and verifier verdicts, crashes) are \
         recognised by rule or assigned in a baseline. Baselines (`adapters/baselines/`) name these ids.\n\n",
    );
    out.push_str(
        "Generated from `crates/conformance/src/quirks.rs` and `quirk_catalogue.rs`: do not edit by hand; run\n",
    );
    out.push_str(
        "`UPDATE_DOCS=1 cargo test -p oauth1-conformance --test quirk_catalogue` after changing the catalogue.\n\n",
    );
    out.push_str("| id | switchable | what the implementation does | RFC | minimal vector | public report |\n");
    out.push_str("|---|---|---|---|---|---|\n");
    for &quirk in Quirk::ALL {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | `{}` | {} |",
            quirk.id(),
            if quirk.is_switchable() { "yes" } else { "no" },
            cell(quirk.description()),
            cell(quirk.section()),
            quirk.minimal_vector(),
            bug_report(quirk).map_or_else(String::new, |url| format!("<{url}>")),
        );
    }
    out
}
