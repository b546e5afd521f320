//! Text from a vector file or an implementation made safe to print on a terminal.
//!
//! A case id, a message or a stage value can hold any character JSON can encode; written raw,
//! an escape sequence (ESC, CSI) repaints or retitles the terminal, a carriage return
//! overwrites the line it is on, and a bidirectional override reorders what follows it. Every
//! place that prints such text passes it through [`printable`] (or [`printable_lines`] for
//! text whose line breaks are its own, such as a traceback).

use std::borrow::Cow;
use std::fmt::Write as _;

/// `text` with every control character escaped: C0 and C1 controls and DEL as `\n`, `\r`,
/// `\t` or `\u{XX}`, and the bidirectional formatting characters (U+202A–U+202E,
/// U+2066–U+2069, U+200E, U+200F, U+061C) as `\u{XXXX}`. Everything else, non-ASCII text
/// included, is kept. Borrowed when there is nothing to escape.
#[must_use]
pub fn printable(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// [`printable`], except that line feeds (and tabs) are kept: for multi-line text such as an
/// adapter's stderr tail. A carriage return is still escaped, since it overwrites a line.
#[must_use]
pub fn printable_lines(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

/// Whether `c` can change what the terminal shows beyond itself.
fn must_escape(c: char, keep_lines: bool) -> bool {
    if keep_lines && matches!(c, '\n' | '\t') {
        return false;
    }
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

fn escape(text: &str, keep_lines: bool) -> Cow<'_, str> {
    let Some(first) = text.find(|c| must_escape(c, keep_lines)) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        if !must_escape(c, keep_lines) {
            out.push(c);
            continue;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // Writing to a String cannot fail.
            _ => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_overrides_are_escaped_and_the_rest_kept() {
        assert_eq!(printable("plain-id_1.2"), Cow::Borrowed("plain-id_1.2"));
        assert_eq!(printable("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(printable("x\ny\rz\t"), "x\\ny\\rz\\t");
        assert_eq!(printable("\u{7f}\u{9b}"), "\\u{7f}\\u{9b}");
        assert_eq!(printable("abc\u{202E}fed"), "abc\\u{202e}fed");
        assert_eq!(printable("é € 😀 \"quoted\" back\\slash"), "é € 😀 \"quoted\" back\\slash");
        assert_eq!(printable_lines("line 1\nline\t2\r\u{1b}]0;title\u{7}"), "line 1\nline\t2\\r\\u{1b}]0;title\\u{7}");
    }
}
