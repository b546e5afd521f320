//! RFC 5849 §3.5.1 "Authorization Header" as written: every rule a client broke in the header
//! it sent, where [`crate::header`] parses it into parameters.
//!
//! Comparing parsed parameters hides some mistakes: a value sent without §3.6 encoding that
//! decodes to itself (`a+b/c=`: `+`, `/` and `=` are no escapes) parses to the value the
//! client meant, and so does a lowercase escape (`%2b`). A server that form-decodes the header
//! reads the first as `a b/c=`. [`violations`] reads the header as written and reports each
//! such departure from §3.5.1, with the parameter it concerns and the RFC text it breaks.
//!
//! The rules checked, in the order a header is read:
//!
//! * the scheme is `OAuth` (case-insensitive), followed by a space, not a comma (RFC 7235
//!   §2.1 `auth-scheme 1*SP …`; more than one space is allowed there and so not reported);
//! * each parameter is `name="value"`: the name immediately followed by `=` and a double
//!   quote (§3.5.1 item 2), the value quoted;
//! * parameters are separated by one `,` and optional whitespace (§3.5.1 item 3): no missing
//!   comma, no empty list element;
//! * names and values are percent-encoded per §3.6 (item 1): every octet but the unreserved
//!   ones encoded, as `%` and two uppercase hexadecimal digits, and no unreserved octet
//!   encoded. The `realm` value is an RFC 2617 quoted-string (item 4), not percent-encoded,
//!   so only its quoting is checked;
//! * no parameter appears twice (§3.1: "Each parameter MUST NOT appear more than once per
//!   request").
//!
//! Reading never stops at the first violation: after a structural one (a missing `=`, an
//! unclosed quote) it resumes at the next `,`. It is one left-to-right pass over the value,
//! so time and the number of violations are linear in its length, and it never panics.

use core::fmt;

use crate::encoding::{is_unreserved, percent_decode};

/// One way an Authorization header breaks RFC 5849 §3.5.1 as written.
///
/// `name` is the parameter's name as written (octets that are not UTF-8 replaced by U+FFFD);
/// `position` a byte offset into the header value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Violation {
    /// The scheme is not `OAuth`: nothing else is read.
    NotOAuthScheme,
    /// A comma right after the scheme (`OAuth, oauth_consumer_key=…`).
    CommaAfterScheme,
    /// The scheme is followed by something other than a space (a tab, or the first parameter).
    NoSpaceAfterScheme,
    /// `OAuth` and no parameter.
    NoParameters,
    /// An empty list element: a leading, doubled or trailing `,`.
    EmptyListElement {
        /// The `,` that ends (or, at the end of the value, precedes) the empty element.
        position: usize,
    },
    /// Two parameters not separated by a `,` (`a="1" b="2"`); `name` is the first.
    MissingComma {
        /// The parameter before the missing comma.
        name: String,
    },
    /// Whitespace between the name and `=`, or between `=` and the value.
    WhitespaceAroundEquals {
        /// The parameter.
        name: String,
    },
    /// A value without its double quotes.
    Unquoted {
        /// The parameter.
        name: String,
    },
    /// Something that is no `name="value"` at all: a name without `=`, an empty name, a
    /// quoted value never closed. Reading resumes at the next `,`.
    Malformed {
        /// Where it starts.
        position: usize,
        /// What is wrong there.
        reason: &'static str,
    },
    /// An octet §3.6 requires percent-encoded written as it is (`+`, `/`, `=`, a space, a
    /// non-ASCII octet, …), in the parameter's name or value; the first such octet.
    NotPercentEncoded {
        /// The parameter.
        name: String,
        /// The octet written raw.
        octet: u8,
    },
    /// A percent-encoding with lowercase hexadecimal digits (`%2b`).
    LowercaseHex {
        /// The parameter.
        name: String,
    },
    /// An unreserved character percent-encoded (`%7E` for `~`, `%41` for `A`).
    EncodedUnreserved {
        /// The parameter.
        name: String,
    },
    /// A `%` not followed by two hexadecimal digits.
    BadEscape {
        /// The parameter.
        name: String,
    },
    /// A parameter that appears again (names compared after percent-decoding; `realm` too).
    Repeated {
        /// The parameter.
        name: String,
    },
}

impl Violation {
    /// The parameter the violation concerns, when it concerns one.
    #[must_use]
    pub fn parameter(&self) -> Option<&str> {
        match self {
            Self::MissingComma { name }
            | Self::WhitespaceAroundEquals { name }
            | Self::Unquoted { name }
            | Self::NotPercentEncoded { name, .. }
            | Self::LowercaseHex { name }
            | Self::EncodedUnreserved { name }
            | Self::BadEscape { name }
            | Self::Repeated { name } => Some(name),
            Self::NotOAuthScheme
            | Self::CommaAfterScheme
            | Self::NoSpaceAfterScheme
            | Self::NoParameters
            | Self::EmptyListElement { .. }
            | Self::Malformed { .. } => None,
        }
    }

    /// The RFC text the violation breaks.
    #[must_use]
    pub fn rfc(&self) -> &'static str {
        match self {
            Self::NotOAuthScheme => "RFC 5849 §3.5.1: the auth-scheme name set to \"OAuth\" (case insensitive)",
            Self::CommaAfterScheme | Self::NoSpaceAfterScheme => {
                "RFC 7235 §2.1, RFC 2617 §1.2: the auth-scheme, then 1*SP, then the parameters"
            }
            Self::NoParameters => "RFC 5849 §3.5.1, §3.1: the header carries the protocol parameters",
            Self::EmptyListElement { .. } | Self::MissingComma { .. } => {
                "RFC 5849 §3.5.1 item 3: parameters are separated by a \",\" character and OPTIONAL linear whitespace"
            }
            Self::WhitespaceAroundEquals { .. } | Self::Unquoted { .. } | Self::Malformed { .. } => {
                "RFC 5849 §3.5.1 item 2: each name is immediately followed by \"=\", \"\"\", the value and \"\"\""
            }
            Self::NotPercentEncoded { .. } => {
                "RFC 5849 §3.5.1 item 1, §3.6: names and values are percent-encoded; all other characters MUST be encoded"
            }
            Self::LowercaseHex { .. } => {
                "RFC 5849 §3.6: the two hexadecimal characters used to represent encoded characters MUST be uppercase"
            }
            Self::EncodedUnreserved { .. } => {
                "RFC 5849 §3.6: characters in the unreserved character set MUST NOT be encoded"
            }
            Self::BadEscape { .. } => "RFC 5849 §3.6, RFC 3986 §2.1: \"%\" is followed by two hexadecimal digits",
            Self::Repeated { .. } => "RFC 5849 §3.1: each parameter MUST NOT appear more than once per request",
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotOAuthScheme => f.write_str("the scheme is not OAuth"),
            Self::CommaAfterScheme => f.write_str("a comma follows the OAuth scheme"),
            Self::NoSpaceAfterScheme => f.write_str("the OAuth scheme is not followed by a space"),
            Self::NoParameters => f.write_str("the header has no parameters"),
            Self::EmptyListElement { position } => write!(f, "an empty list element at the ',' at byte {position}"),
            Self::MissingComma { name } => write!(f, "no ',' after {name}"),
            Self::WhitespaceAroundEquals { name } => write!(f, "whitespace around the '=' of {name}"),
            Self::Unquoted { name } => write!(f, "the value of {name} is not quoted"),
            Self::Malformed { position, reason } => write!(f, "at byte {position}: {reason}"),
            Self::NotPercentEncoded { name, octet } => {
                write!(f, "{name} carries {:?} unencoded", char::from(*octet))
            }
            Self::LowercaseHex { name } => write!(f, "{name} has a percent-encoding with lowercase hex digits"),
            Self::EncodedUnreserved { name } => write!(f, "{name} has an unreserved character percent-encoded"),
            Self::BadEscape { name } => write!(f, "{name} has a '%' not followed by two hex digits"),
            Self::Repeated { name } => write!(f, "{name} appears more than once"),
        }?;
        write!(f, " ({})", self.rfc())
    }
}

/// Every §3.5.1 violation of `value`, an Authorization header field value as written (the
/// part after `Authorization:`), in the order they are read. An empty list means the header is
/// written exactly as §3.5.1 says.
#[must_use]
pub fn violations(value: &[u8]) -> Vec<Violation> {
    let mut reader = Reader { input: value, pos: 0, found: Vec::new(), names: Vec::new() };
    reader.skip_whitespace();
    if !reader.scheme() {
        return reader.found;
    }
    reader.parameters();
    reader.found
}

/// A left-to-right cursor collecting what it finds.
struct Reader<'a> {
    input: &'a [u8],
    pos: usize,
    found: Vec<Violation>,
    /// The decoded names read so far, for [`Violation::Repeated`].
    names: Vec<Vec<u8>>,
}

fn is_whitespace(byte: u8) -> bool {
    byte == b' ' || byte == b'\t'
}

fn written(name: &[u8]) -> String {
    String::from_utf8_lossy(name).into_owned()
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) -> bool {
        let start = self.pos;
        while self.peek().is_some_and(is_whitespace) {
            self.pos += 1;
        }
        self.pos > start
    }

    /// The scheme and what follows it; false when it is not `OAuth`.
    fn scheme(&mut self) -> bool {
        let scheme = self.input.get(self.pos..self.pos + 5);
        let next = self.input.get(self.pos + 5).copied();
        let is_oauth = scheme.is_some_and(|s| s.eq_ignore_ascii_case(b"OAuth"))
            && next.is_none_or(|b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'-'));
        if !is_oauth {
            self.found.push(Violation::NotOAuthScheme);
            return false;
        }
        self.pos += 5;
        match self.peek() {
            Some(b',') => {
                self.found.push(Violation::CommaAfterScheme);
                self.pos += 1;
            }
            Some(b' ') | None => {}
            Some(_) => self.found.push(Violation::NoSpaceAfterScheme),
        }
        self.skip_whitespace();
        true
    }

    fn parameters(&mut self) {
        let mut read_any = false;
        loop {
            self.skip_whitespace();
            match self.peek() {
                None => break,
                Some(b',') => {
                    self.found.push(Violation::EmptyListElement { position: self.pos });
                    self.pos += 1;
                    continue;
                }
                Some(_) => {}
            }
            read_any = true;
            let Some(name) = self.parameter() else {
                self.skip_to_comma();
                if self.peek() == Some(b',') {
                    self.pos += 1;
                }
                continue;
            };
            self.skip_whitespace();
            match self.peek() {
                None => break,
                Some(b',') => {
                    let comma = self.pos;
                    self.pos += 1;
                    self.skip_whitespace();
                    if self.peek().is_none() {
                        self.found.push(Violation::EmptyListElement { position: comma });
                    }
                }
                Some(_) => self.found.push(Violation::MissingComma { name: written(&name) }),
            }
        }
        if !read_any {
            self.found.push(Violation::NoParameters);
        }
    }

    /// One `name="value"`, its name as written; `None` after a structural violation.
    fn parameter(&mut self) -> Option<Vec<u8>> {
        let start = self.pos;
        while self.peek().is_some_and(|b| !(is_whitespace(b) || b == b'=' || b == b',' || b == b'"')) {
            self.pos += 1;
        }
        let name = self.input.get(start..self.pos).unwrap_or_default().to_vec();
        if name.is_empty() {
            self.found.push(Violation::Malformed { position: start, reason: "a parameter without a name" });
            return None;
        }
        let space_before = self.skip_whitespace();
        if self.peek() != Some(b'=') {
            self.found.push(Violation::Malformed { position: start, reason: "a parameter name without '='" });
            return None;
        }
        self.pos += 1;
        let space_after = self.skip_whitespace();
        if space_before || space_after {
            self.found.push(Violation::WhitespaceAroundEquals { name: written(&name) });
        }
        let value = self.value(&name, start)?;
        self.check_encoding(&name, &value);
        Some(name)
    }

    /// The value after `=`, as written between its quotes (quoted-pairs undone).
    fn value(&mut self, name: &[u8], start: usize) -> Option<Vec<u8>> {
        if self.peek() != Some(b'"') {
            let from = self.pos;
            while self.peek().is_some_and(|b| !(is_whitespace(b) || b == b',')) {
                self.pos += 1;
            }
            self.found.push(Violation::Unquoted { name: written(name) });
            return Some(self.input.get(from..self.pos).unwrap_or_default().to_vec());
        }
        self.pos += 1;
        let mut value = Vec::new();
        loop {
            match self.peek() {
                None => {
                    self.found.push(Violation::Malformed { position: start, reason: "a quoted value never closed" });
                    return None;
                }
                Some(b'"') => {
                    self.pos += 1;
                    return Some(value);
                }
                Some(b'\\') => {
                    // RFC 7230 §3.2.6 quoted-pair: the next octet stands for itself.
                    self.pos += 1;
                    value.extend(self.peek());
                    self.pos += 1;
                }
                Some(octet) => {
                    value.push(octet);
                    self.pos += 1;
                }
            }
        }
    }

    /// §3.6 for the name and (but for `realm`, an RFC 2617 quoted-string) the value; §3.1 for
    /// the name's uniqueness.
    fn check_encoding(&mut self, name: &[u8], value: &[u8]) {
        let label = written(name);
        let mut found = self.encoding_violations(&label, name);
        if name != b"realm" {
            for violation in self.encoding_violations(&label, value) {
                if !found.contains(&violation) {
                    found.push(violation);
                }
            }
        }
        self.found.extend(found);
        let decoded = percent_decode(name).unwrap_or_else(|_| name.to_vec());
        if self.names.contains(&decoded) {
            self.found.push(Violation::Repeated { name: label });
        } else {
            self.names.push(decoded);
        }
    }

    /// Each kind of §3.6 violation in `text` once, its first octet for
    /// [`Violation::NotPercentEncoded`].
    fn encoding_violations(&self, name: &str, text: &[u8]) -> Vec<Violation> {
        let hex = |b: Option<&u8>| b.filter(|b| b.is_ascii_hexdigit()).copied();
        let mut found: Vec<Violation> = Vec::new();
        let mut push = |violation: Violation| {
            if !found.iter().any(|f| core::mem::discriminant(f) == core::mem::discriminant(&violation)) {
                found.push(violation);
            }
        };
        let mut i = 0;
        while let Some(&octet) = text.get(i) {
            if octet != b'%' {
                if !is_unreserved(octet) {
                    push(Violation::NotPercentEncoded { name: name.to_owned(), octet });
                }
                i += 1;
                continue;
            }
            match (hex(text.get(i + 1)), hex(text.get(i + 2))) {
                (Some(high), Some(low)) => {
                    if high.is_ascii_lowercase() || low.is_ascii_lowercase() {
                        push(Violation::LowercaseHex { name: name.to_owned() });
                    }
                    let digit = |d: u8| char::from(d).to_digit(16).and_then(|d| u8::try_from(d).ok()).unwrap_or(0);
                    if is_unreserved(digit(high) << 4 | digit(low)) {
                        push(Violation::EncodedUnreserved { name: name.to_owned() });
                    }
                    i += 3;
                }
                _ => {
                    push(Violation::BadEscape { name: name.to_owned() });
                    i += 1;
                }
            }
        }
        found
    }

    /// After a structural violation: on to the next `,` (outside quotes), or the end.
    fn skip_to_comma(&mut self) {
        let mut quoted = false;
        while let Some(byte) = self.peek() {
            match byte {
                b'"' => quoted = !quoted,
                b'\\' if quoted => self.pos += 1,
                b',' if !quoted => return,
                _ => {}
            }
            self.pos += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::header::build_authorization_header;

    fn name(n: &str) -> String {
        n.to_owned()
    }

    /// The header of RFC 5849 §3.5.1, on one line (the RFC prints one parameter per line,
    /// which taken literally is an obsolete line fold).
    const RFC_EXAMPLE: &str = "OAuth realm=\"Example\", oauth_consumer_key=\"0685bd9184jfhq22\", \
        oauth_token=\"ad180jjd733klru7\", oauth_signature_method=\"HMAC-SHA1\", \
        oauth_signature=\"wOJIO9A2W5mFwDgiDvZbTSMK%2FPY%3D\", oauth_timestamp=\"137131200\", \
        oauth_nonce=\"4572616e48616d6d65724c61686176\", oauth_version=\"1.0\"";

    #[test]
    fn the_rfc_example_is_written_as_section_3_5_1_says() {
        assert_eq!(violations(RFC_EXAMPLE.as_bytes()), []);
        // The scheme is case-insensitive, and RFC 2617's optional whitespace may follow a comma
        // or not, and the scheme may be followed by more than one space (RFC 7235 `1*SP`).
        assert_eq!(violations(b"oauth  a=\"1\",b=\"2\" ,\tc=\"\""), []);
        // The realm is a quoted-string: a `%` or a space in it is no §3.6 matter.
        assert_eq!(violations(b"OAuth realm=\"Photos Server %\", a=\"1\""), []);
    }

    #[test]
    fn a_value_that_decodes_to_itself_is_still_unencoded() {
        // `a+b/c=` parses to itself, so comparing parsed parameters cannot see it.
        assert_eq!(
            violations(b"OAuth oauth_consumer_key=\"a+b/c=\", oauth_nonce=\"n\""),
            [Violation::NotPercentEncoded { name: name("oauth_consumer_key"), octet: b'+' }]
        );
        assert_eq!(
            violations(b"OAuth oauth_signature=\"wOJIO9A2W5mFwDgiDvZbTSMK/PY=\""),
            [Violation::NotPercentEncoded { name: name("oauth_signature"), octet: b'/' }]
        );
    }

    #[test]
    fn escapes_are_uppercase_well_formed_and_only_for_reserved_octets() {
        assert_eq!(
            violations(b"OAuth oauth_signature=\"ab%2bc%3d\", oauth_nonce=\"%7Eok\", oauth_token=\"t%zz\""),
            [
                Violation::LowercaseHex { name: name("oauth_signature") },
                Violation::EncodedUnreserved { name: name("oauth_nonce") },
                Violation::BadEscape { name: name("oauth_token") },
            ]
        );
        // `%7e` is both lowercase and an encoded unreserved character; `%41` is `A`.
        assert_eq!(
            violations(b"OAuth oauth_nonce=\"%7e%41\""),
            [
                Violation::LowercaseHex { name: name("oauth_nonce") },
                Violation::EncodedUnreserved { name: name("oauth_nonce") }
            ]
        );
        // A name is encoded too: a raw `[` in one is a violation.
        assert_eq!(
            violations(b"OAuth filter[number]=\"-1\""),
            [Violation::NotPercentEncoded { name: name("filter[number]"), octet: b'[' }]
        );
    }

    #[test]
    fn quotes_commas_and_the_scheme() {
        assert_eq!(
            violations(b"OAuth oauth_consumer_key=dpf43f3p2l4k3l03, oauth_nonce=\"n\""),
            [Violation::Unquoted { name: name("oauth_consumer_key") }]
        );
        assert_eq!(violations(b"OAuth, oauth_nonce=\"n\""), [Violation::CommaAfterScheme]);
        assert_eq!(violations(b"OAuth\toauth_nonce=\"n\""), [Violation::NoSpaceAfterScheme]);
        assert_eq!(
            violations(b"OAuth oauth_nonce=\"n\" oauth_token=\"t\""),
            [Violation::MissingComma { name: name("oauth_nonce") }]
        );
        assert_eq!(
            violations(b"OAuth a=\"1\",, b=\"2\","),
            [Violation::EmptyListElement { position: 12 }, Violation::EmptyListElement { position: 19 }]
        );
        assert_eq!(violations(b"OAuth a = \"1\""), [Violation::WhitespaceAroundEquals { name: name("a") }]);
        assert_eq!(violations(b"Bearer abc"), [Violation::NotOAuthScheme]);
        assert_eq!(violations(b"OAuthx a=\"1\""), [Violation::NotOAuthScheme]);
        assert_eq!(violations(b"OAuth"), [Violation::NoParameters]);
        assert_eq!(violations(b""), [Violation::NotOAuthScheme]);
    }

    #[test]
    fn a_parameter_twice_is_reported_once_per_repeat() {
        assert_eq!(
            violations(b"OAuth oauth_nonce=\"a\", oauth%5Fnonce=\"b\", realm=\"x\", realm=\"y\""),
            [
                Violation::EncodedUnreserved { name: name("oauth%5Fnonce") },
                Violation::Repeated { name: name("oauth%5Fnonce") },
                Violation::Repeated { name: name("realm") },
            ]
        );
    }

    #[test]
    fn reading_resumes_after_a_structural_violation() {
        assert_eq!(
            violations(b"OAuth junk, =\"x\", oauth_nonce=\"a b\", oauth_token=\"never closed"),
            [
                Violation::Malformed { position: 6, reason: "a parameter name without '='" },
                Violation::Malformed { position: 12, reason: "a parameter without a name" },
                Violation::NotPercentEncoded { name: name("oauth_nonce"), octet: b' ' },
                Violation::Malformed { position: 37, reason: "a quoted value never closed" },
            ]
        );
    }

    #[test]
    fn every_violation_cites_the_rfc() {
        for violation in violations(b"Bearer").into_iter().chain(violations(b"OAuth, a=b c=\"%zz\"")) {
            assert!(violation.rfc().starts_with("RFC "), "{violation:?}");
            assert!(violation.to_string().contains(violation.rfc()));
        }
    }

    proptest! {
        /// What the reference's builder writes follows §3.5.1 to the letter, whatever the
        /// names and values: the check never reports a header the RFC allows.
        #[test]
        fn the_builders_headers_have_no_violation(
            realm in proptest::option::of("[ -~]{0,12}"),
            params in proptest::collection::vec((any::<Vec<u8>>(), any::<Vec<u8>>()), 1..6),
        ) {
            let mut unique: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
            for (name, value) in params {
                if !name.is_empty() && name != b"realm" && !unique.iter().any(|(n, _)| *n == name) {
                    unique.push((name, value));
                }
            }
            prop_assume!(!unique.is_empty());
            let pairs: Vec<(&[u8], &[u8])> = unique.iter().map(|(n, v)| (n.as_slice(), v.as_slice())).collect();
            let header = build_authorization_header(realm.as_deref(), &pairs);
            prop_assume!(header.is_ok());
            let header = header.unwrap_or_default();
            prop_assert_eq!(violations(header.as_bytes()), Vec::<Violation>::new(), "{}", header);
        }

        /// Hostile input is normal input: any octets give an answer, each violation's position
        /// lies inside the value, and there are never more violations than octets (plus one).
        #[test]
        fn any_octets_give_a_bounded_answer(value in any::<Vec<u8>>()) {
            let found = violations(&value);
            prop_assert!(found.len() <= value.len() + 1);
            for violation in found {
                if let Violation::EmptyListElement { position } | Violation::Malformed { position, .. } = violation {
                    prop_assert!(position <= value.len());
                }
            }
        }
    }
}
