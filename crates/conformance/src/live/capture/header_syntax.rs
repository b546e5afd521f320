//! The §3.5.1 strictness check capture runs on every OAuth `Authorization` header as written.
//!
//! The check itself belongs to the reference crate (`oauth1_reference::header_syntax`, being
//! added by the quirk catalogue's change: every §3.5.1 violation of a header as written).
//! Until it is on main, capture calls it through [`HeaderSyntax`], implemented here by
//! [`StrictParser`]: the reference's own header parser in its strictest configuration, which
//! reports the first violation it meets. Swapping in the reference's check is one `impl` of
//! [`HeaderSyntax`]; no second checker is written here.

use oauth1_reference::header::{HeaderError, ParserConfig};
use serde::{Deserialize, Serialize};

/// What rule of RFC 5849 §3.5.1 a header breaks (the kinds of the reference's check).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ViolationKind {
    /// The scheme is not `OAuth`.
    NotOAuthScheme,
    /// A comma right after the scheme (`OAuth, oauth_consumer_key=…`).
    CommaAfterScheme,
    /// Something other than a space after the scheme.
    NoSpaceAfterScheme,
    /// `OAuth` and no parameter.
    NoParameters,
    /// A leading, doubled or trailing `,`.
    EmptyListElement,
    /// Two parameters without a `,` between them.
    MissingComma,
    /// Whitespace around `=`.
    WhitespaceAroundEquals,
    /// A value without its double quotes.
    Unquoted,
    /// No `name="value"` at all.
    Malformed,
    /// An octet §3.6 requires percent-encoded, written as it is.
    NotPercentEncoded,
    /// A `%` not followed by two hexadecimal digits.
    BadEscape,
    /// A parameter that appears twice.
    Repeated,
}

/// One violation: its kind, the parameter it concerns, and the RFC text it breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The rule broken.
    pub kind: ViolationKind,
    /// The parameter it concerns, when it concerns one.
    pub parameter: Option<String>,
    /// The RFC text.
    pub rfc: &'static str,
}

impl Violation {
    /// The violation in words.
    #[must_use]
    pub fn describe(&self) -> String {
        let what = match self.kind {
            ViolationKind::NotOAuthScheme => "the scheme is not OAuth",
            ViolationKind::CommaAfterScheme => "a comma right after the OAuth scheme",
            ViolationKind::NoSpaceAfterScheme => "no space after the OAuth scheme",
            ViolationKind::NoParameters => "no parameters",
            ViolationKind::EmptyListElement => "an empty list element (a leading, doubled or trailing comma)",
            ViolationKind::MissingComma => "two parameters without a comma between them",
            ViolationKind::WhitespaceAroundEquals => "whitespace around `=`",
            ViolationKind::Unquoted => "a value without double quotes",
            ViolationKind::Malformed => "something that is not name=\"value\"",
            ViolationKind::NotPercentEncoded => "a value not percent-encoded (a raw `=` or `,` inside the quotes)",
            ViolationKind::BadEscape => "a `%` not followed by two hexadecimal digits",
            ViolationKind::Repeated => "a parameter that appears twice",
        };
        match &self.parameter {
            Some(name) => format!("{what} ({name}) [{}]", self.rfc),
            None => format!("{what} [{}]", self.rfc),
        }
    }
}

/// The strictness check: every §3.5.1 violation of an Authorization header value as written.
pub trait HeaderSyntax: Send + Sync {
    /// The violations of `value` (the field value after `Authorization:`), in reading order.
    fn violations(&self, value: &[u8]) -> Vec<Violation>;
}

/// The reference's header parser with every leniency RFC 2617 allows but §3.5.1 does not turned
/// off. It stops at the first violation, so it reports at most one.
#[derive(Debug, Clone, Copy, Default)]
pub struct StrictParser;

const ITEM_1: &str = "RFC 5849 §3.5.1 item 1, §3.6: names and values are percent-encoded";
const ITEM_2: &str = "RFC 5849 §3.5.1 item 2: each name is immediately followed by \"=\", \"\"\", the value and \"\"\"";
const ITEM_3: &str = "RFC 5849 §3.5.1 item 3: parameters are separated by \",\" and OPTIONAL linear whitespace";
const SCHEME: &str = "RFC 5849 §3.5.1, RFC 7235 §2.1: the auth-scheme \"OAuth\", then 1*SP, then the parameters";

impl HeaderSyntax for StrictParser {
    fn violations(&self, value: &[u8]) -> Vec<Violation> {
        let strict = ParserConfig { allow_raw_separators_in_quotes: false, ..ParserConfig::default() };
        match strict.parse(value) {
            Ok(_) => Vec::new(),
            Err(error) => vec![violation_of(&error, value)],
        }
    }
}

fn violation_of(error: &HeaderError, value: &[u8]) -> Violation {
    let at = |position: usize| value.get(position).copied();
    let (kind, parameter, rfc) = match error {
        HeaderError::WrongScheme => (ViolationKind::NotOAuthScheme, None, SCHEME),
        HeaderError::MissingWhitespace { position } if at(*position) == Some(b',') => {
            (ViolationKind::CommaAfterScheme, None, SCHEME)
        }
        HeaderError::MissingWhitespace { .. } => (ViolationKind::NoSpaceAfterScheme, None, SCHEME),
        HeaderError::EmptyParameterList => (ViolationKind::NoParameters, None, "RFC 5849 §3.5.1, §3.1"),
        HeaderError::UnexpectedWhitespace { .. } => (ViolationKind::WhitespaceAroundEquals, None, ITEM_2),
        HeaderError::UnquotedValue { .. } => (ViolationKind::Unquoted, None, ITEM_2),
        HeaderError::MissingComma { .. } => (ViolationKind::MissingComma, None, ITEM_3),
        HeaderError::EmptyListElement { .. } => (ViolationKind::EmptyListElement, None, ITEM_3),
        HeaderError::RawSeparatorInQuotes { .. } => (ViolationKind::NotPercentEncoded, None, ITEM_1),
        HeaderError::BadEscape { name, .. } => (ViolationKind::BadEscape, Some(name.clone()), ITEM_1),
        HeaderError::DuplicateParameter { name } => (
            ViolationKind::Repeated,
            Some(name.clone()),
            "RFC 5849 §3.1: each parameter MUST NOT appear more than once",
        ),
        _ => (ViolationKind::Malformed, None, ITEM_2),
    };
    Violation { kind, parameter, rfc }
}

/// `value` with the violations that stop the reference parser undone where that is
/// unambiguous (a comma after the scheme, empty list elements), so the signature can still be
/// checked; `None` when there is nothing to undo.
#[must_use]
pub fn repaired(value: &str, violations: &[Violation]) -> Option<String> {
    let kinds: Vec<ViolationKind> = violations.iter().map(|v| v.kind).collect();
    if !kinds.iter().any(|k| matches!(k, ViolationKind::CommaAfterScheme | ViolationKind::EmptyListElement)) {
        return None;
    }
    let trimmed = value.trim_start();
    let scheme_end = trimmed.find([' ', ',', '\t']).unwrap_or(trimmed.len());
    let (scheme, rest) = trimmed.split_at(scheme_end);
    let parameters: Vec<&str> = rest.split(',').map(str::trim).filter(|p| !p.is_empty()).collect();
    Some(format!("{scheme} {}", parameters.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_strict_parser_names_the_first_violation() {
        let cases: [(&str, ViolationKind); 5] = [
            ("OAuth, oauth_consumer_key=\"k\"", ViolationKind::CommaAfterScheme),
            ("OAuth oauth_consumer_key=k", ViolationKind::Unquoted),
            ("OAuth oauth_signature=\"a+b/c=\"", ViolationKind::NotPercentEncoded),
            ("OAuth a=\"1\" b=\"2\"", ViolationKind::MissingComma),
            ("OAuth a=\"1\", a=\"2\"", ViolationKind::Repeated),
        ];
        for (header, kind) in cases {
            let found = StrictParser.violations(header.as_bytes());
            assert_eq!(found.iter().map(|v| v.kind).collect::<Vec<_>>(), [kind], "{header}");
        }
        assert!(StrictParser.violations(b"OAuth realm=\"a b\", oauth_signature=\"a%2Bb%3D\"").is_empty());
    }

    #[test]
    fn a_comma_after_the_scheme_is_undone() {
        let header = "OAuth, oauth_consumer_key=\"k\",oauth_nonce=\"n\"";
        let violations = StrictParser.violations(header.as_bytes());
        assert_eq!(repaired(header, &violations).as_deref(), Some("OAuth oauth_consumer_key=\"k\", oauth_nonce=\"n\""));
        assert_eq!(repaired("OAuth a=\"1\"", &[]), None);
    }
}
