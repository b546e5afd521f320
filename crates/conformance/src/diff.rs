//! Side-by-side rendering of two differing strings with the first differing byte marked,
//! so a long base string diff reads at a glance.

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
}
