//! RFC 5849 §3.6 "Percent Encoding", and the strict decoding that its inverse needs.
//!
//! §3.6 is deliberately narrower than RFC 3986: every octet outside the unreserved set
//! (`ALPHA / DIGIT / "-" / "." / "_" / "~"`) MUST be encoded, hexadecimal digits MUST be
//! uppercase, and text is UTF-8 encoded first. Implementations that reuse a URL or form
//! encoder instead (encoding `~`, leaving `*` or `!` raw, writing `+` for a space) produce a
//! different signature base string.

use core::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};

/// The octets RFC 5849 §3.6 requires to be percent-encoded: everything but the unreserved
/// characters `ALPHA / DIGIT / "-" / "." / "_" / "~"` (RFC 3986 §2.3).
pub const RFC5849_ENCODE_SET: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes `input` per RFC 5849 §3.6 (uppercase hexadecimal, unreserved set only).
///
/// The input is octets: text must already be UTF-8, as §3.6 requires.
#[must_use]
pub fn percent_encode(input: &[u8]) -> String {
    let mut out = String::with_capacity(input.len() * 3);
    percent_encode_into(input, &mut out);
    out
}

/// Appends the RFC 5849 §3.6 encoding of `input` to `out`, without an intermediate string.
pub fn percent_encode_into(input: &[u8], out: &mut String) {
    out.extend(percent_encoding::percent_encode(input, RFC5849_ENCODE_SET));
}

/// A `%` that is not followed by two hexadecimal digits.
///
/// RFC 3986 §2.1 defines a percent-encoded octet as `"%" HEXDIG HEXDIG`; anything else is not
/// an encoding at all, so the decoder reports it instead of passing it through, which would
/// let two different inputs decode to the same parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MalformedEscape {
    /// Byte offset of the offending `%` in the decoded input.
    pub position: usize,
}

impl fmt::Display for MalformedEscape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "malformed percent-escape at byte {}: '%' must be followed by two hexadecimal digits", self.position)
    }
}

impl std::error::Error for MalformedEscape {}

/// Decodes `%XX` escapes (either hexadecimal case), strictly: a malformed escape is an error.
/// Every other octet passes through unchanged; the result is octets, not necessarily UTF-8.
pub fn percent_decode(input: &[u8]) -> Result<Vec<u8>, MalformedEscape> {
    decode(input, false)
}

/// Decodes `application/x-www-form-urlencoded` text (W3C HTML 4.0 §17.13.4, as RFC 5849
/// §3.4.1.3.1 requires for the query and the entity-body): `+` is a space, then `%XX` escapes
/// are decoded strictly.
pub fn form_urldecode(input: &[u8]) -> Result<Vec<u8>, MalformedEscape> {
    decode(input, true)
}

fn decode(input: &[u8], plus_is_space: bool) -> Result<Vec<u8>, MalformedEscape> {
    let mut out = Vec::with_capacity(input.len());
    let mut rest = input.iter().enumerate();
    while let Some((position, &byte)) = rest.next() {
        match byte {
            b'%' => {
                let high = rest.next().and_then(|(_, &b)| hex_value(b));
                let low = rest.next().and_then(|(_, &b)| hex_value(b));
                match (high, low) {
                    (Some(high), Some(low)) => out.push(high << 4 | low),
                    _ => return Err(MalformedEscape { position }),
                }
            }
            b'+' if plus_is_space => out.push(b' '),
            _ => out.push(byte),
        }
    }
    Ok(out)
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 5849 §3.6: unreserved characters MUST NOT be encoded.
    #[test]
    fn unreserved_characters_pass_through() {
        let unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
        assert_eq!(percent_encode(unreserved.as_bytes()), unreserved);
    }

    /// RFC 5849 §3.6: all other characters MUST be encoded, with uppercase hex digits.
    /// Expected strings are the RFC's own examples (§3.4.1.3.2: `%3D%253D`, `r%20b`, `c%40`)
    /// and RFC 3986 §2.1 (uppercase).
    #[test]
    fn reserved_and_space_are_encoded_uppercase() {
        assert_eq!(percent_encode(b"="), "%3D");
        assert_eq!(percent_encode(b"=%3D"), "%3D%253D");
        assert_eq!(percent_encode(b"r b"), "r%20b");
        assert_eq!(percent_encode(b"c@"), "c%40");
        assert_eq!(percent_encode(b"+*!'()"), "%2B%2A%21%27%28%29");
        assert_eq!(percent_encode(b"\xff"), "%FF");
    }

    /// §3.6: text is UTF-8 encoded before percent-encoding (U+00E9 is C3 A9 in UTF-8).
    #[test]
    fn non_ascii_is_utf8_then_encoded() {
        assert_eq!(percent_encode("é".as_bytes()), "%C3%A9");
        assert_eq!(percent_encode("😀".as_bytes()), "%F0%9F%98%80");
    }

    #[test]
    fn decoding_accepts_both_hex_cases() {
        assert_eq!(percent_decode(b"%2f%2F").unwrap(), b"//");
    }

    #[test]
    fn plus_is_space_only_in_form_decoding() {
        assert_eq!(form_urldecode(b"a+b%2B").unwrap(), b"a b+");
        assert_eq!(percent_decode(b"a+b%2B").unwrap(), b"a+b+");
    }

    #[test]
    fn malformed_escapes_are_errors_with_position() {
        assert_eq!(percent_decode(b"ab%"), Err(MalformedEscape { position: 2 }));
        assert_eq!(percent_decode(b"%4"), Err(MalformedEscape { position: 0 }));
        assert_eq!(percent_decode(b"x%zz"), Err(MalformedEscape { position: 1 }));
        assert_eq!(form_urldecode(b"a=%G0"), Err(MalformedEscape { position: 2 }));
    }
}
