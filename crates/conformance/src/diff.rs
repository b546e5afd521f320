//! Two differing strings side by side: the first differing byte marked ([`render`]), and
//! what changed between them, segment by segment ([`changes`], a character diff by
//! `similar`), so a long base string diff reads at a glance.

use std::time::Duration;

use similar::{ChangeTag, TextDiff};

/// Byte offset of the first difference between `a` and `b`, or `None` if they are equal.
#[must_use]
pub fn first_difference(a: &str, b: &str) -> Option<usize> {
    if a == b {
        return None;
    }
    Some(a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count())
}

/// Renders `expected` and `actual` on two lines, a caret under the first differing byte, and
/// the offset. Long values are windowed around the difference.
#[must_use]
pub fn render(expected: &str, actual: &str) -> String {
    render_with_labels("expected", expected, "actual", actual)
}

/// [`render`] with other names for the two sides (`reference`, `yours`).
#[must_use]
pub fn render_with_labels(expected_label: &str, expected: &str, actual_label: &str, actual: &str) -> String {
    let width = expected_label.len().max(actual_label.len()) + 1;
    let Some(at) = first_difference(expected, actual) else {
        return format!("  {:<width$} {expected}\n", "both:");
    };
    const CONTEXT: usize = 60;
    let start = at.saturating_sub(CONTEXT);
    let window = |s: &str| -> String {
        let bytes = s.as_bytes();
        let end = bytes.len().min(at + CONTEXT);
        let slice = bytes.get(start.min(bytes.len())..end).unwrap_or_default();
        let mut text = String::from_utf8_lossy(slice).escape_debug().to_string();
        if start > 0 {
            text.insert(0, '…');
        }
        if end < bytes.len() {
            text.push('…');
        }
        text
    };
    let prefix =
        String::from_utf8_lossy(expected.as_bytes().get(start..at).unwrap_or_default()).escape_debug().to_string();
    let caret_column = prefix.chars().count() + usize::from(start > 0);
    format!(
        "  {:<width$} {}\n  {:<width$} {}\n  {:<width$} {}^ first difference at byte {at}\n",
        format!("{expected_label}:"),
        window(expected),
        format!("{actual_label}:"),
        window(actual),
        "",
        " ".repeat(caret_column)
    )
}

/// One changed stretch between an expected and an actual string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Byte offset in the expected string where it starts.
    pub at: usize,
    /// What the expected string has there (empty: an insertion).
    pub expected: String,
    /// What the actual string has instead (empty: a deletion).
    pub actual: String,
}

/// The most changes [`changes`] returns: beyond a few, the strings simply differ.
pub const MAX_CHANGES: usize = 4;

/// What changed from `expected` to `actual`, stretch by stretch (at most [`MAX_CHANGES`]),
/// from a character diff. The diff gives up after a short deadline on huge inputs (hostile
/// input is normal input), returning a coarser but still true description.
#[must_use]
pub fn changes(expected: &str, actual: &str) -> Vec<Change> {
    let diff = TextDiff::configure().timeout(Duration::from_millis(50)).diff_chars(expected, actual);
    let mut out: Vec<Change> = Vec::new();
    let mut at = 0;
    let mut open: Option<Change> = None;
    for change in diff.iter_all_changes() {
        let value = change.value();
        match change.tag() {
            ChangeTag::Equal => {
                out.extend(open.take());
                at += value.len();
            }
            ChangeTag::Delete => {
                open.get_or_insert_with(|| Change { at, expected: String::new(), actual: String::new() })
                    .expected
                    .push_str(value);
                at += value.len();
            }
            ChangeTag::Insert => {
                open.get_or_insert_with(|| Change { at, expected: String::new(), actual: String::new() })
                    .actual
                    .push_str(value);
            }
        }
    }
    out.extend(open);
    out.truncate(MAX_CHANGES);
    out
}

/// [`changes`] in one line: ``at byte 12: `c2%3D` → `` ``; …``.
#[must_use]
pub fn describe_changes(expected: &str, actual: &str) -> String {
    let shown = |text: &str| {
        let cut: String = text.chars().take(80).collect();
        let more = if cut.len() < text.len() { "…" } else { "" };
        format!("`{}{more}`", cut.escape_debug())
    };
    changes(expected, actual)
        .iter()
        .map(|c| format!("at byte {}: {} → {}", c.at, shown(&c.expected), shown(&c.actual)))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_differing_byte() {
        assert_eq!(first_difference("abc", "abc"), None);
        assert_eq!(first_difference("abc", "abd"), Some(2));
        assert_eq!(first_difference("ab", "abc"), Some(2));
        assert_eq!(first_difference("", "x"), Some(0));
    }

    #[test]
    fn caret_sits_under_the_difference() {
        let rendered = render("GET&a%3D1", "GET&a%3D2");
        let lines: Vec<&str> = rendered.lines().collect();
        let caret = lines[2].find('^').unwrap();
        assert_eq!(&lines[0][caret..=caret], "1");
        assert_eq!(&lines[1][caret..=caret], "2");
    }

    #[test]
    fn long_values_are_windowed() {
        let a = format!("{}X{}", "a".repeat(500), "b".repeat(500));
        let b = format!("{}Y{}", "a".repeat(500), "b".repeat(500));
        let rendered = render(&a, &b);
        assert!(rendered.len() < 600, "{rendered}");
        assert!(rendered.contains("byte 500"));
    }

    #[test]
    fn changes_name_each_changed_stretch() {
        // RFC 5849 §3.4.1.3.2's normalized parameters without `c2=`, and with `a3=2 q` as `2+q`.
        let expected = "a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2";
        let actual = "a2=r%20b&a3=2%2Bq&a3=a&b5=%3D%253D&c%40=&oauth_consumer_key=9djdj82h48djs9d2";
        let found = changes(expected, actual);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(&expected[found[0].at..found[0].at + found[0].expected.len()], found[0].expected);
        let rebuilt = format!(
            "{}{}{}{}{}",
            &expected[..found[0].at],
            found[0].actual,
            &expected[found[0].at + found[0].expected.len()..found[1].at],
            found[1].actual,
            &expected[found[1].at + found[1].expected.len()..]
        );
        assert_eq!(rebuilt, actual);
        let described = describe_changes(expected, actual);
        assert!(described.starts_with("at byte 15: `0` → `B`; at byte "), "{described}");
        assert!(changes("same", "same").is_empty());
    }
}
