//! `percent_encoding`: the §3.6 encoder and the strict decoders on arbitrary bytes.

use oauth1_reference::encoding::{form_urldecode, percent_decode, percent_encode};
use oauth1_reference::parameters::{parse_form_urlencoded, ParameterSource};

/// Whether `text` is a §3.6 encoding: unreserved characters (RFC 3986 §2.3) and `%XX` with
/// uppercase hexadecimal digits, nothing else.
fn is_rfc5849_encoding(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            i += 1;
        } else if byte == b'%'
            && bytes
                .get(i + 1..i + 3)
                .is_some_and(|hex| hex.iter().all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(b)))
        {
            i += 3;
        } else {
            return false;
        }
    }
    true
}

/// Decodes `data` with every decoder (never a panic; a malformed escape is reported inside
/// the input), and checks that encoding is §3.6-shaped and that encode → decode round-trips,
/// for `data` itself and for whatever it decodes to.
///
/// # Panics
///
/// On a violated property.
pub fn check_percent_encoding(data: &[u8]) {
    for decoded in [percent_decode(data), form_urldecode(data)] {
        match decoded {
            Ok(octets) => check_encode_round_trip(&octets),
            Err(e) => assert!(e.position < data.len(), "{e:?} points past the {}-byte input", data.len()),
        }
    }
    check_encode_round_trip(data);
    if let Ok(params) = parse_form_urlencoded(data, ParameterSource::Query) {
        assert!(params.len() <= data.len() + 1, "{} parameters from {} bytes", params.len(), data.len());
    }
}

fn check_encode_round_trip(octets: &[u8]) {
    let encoded = percent_encode(octets);
    assert!(is_rfc5849_encoding(&encoded), "{encoded:?} is not a §3.6 encoding of {octets:?}");
    assert_eq!(percent_decode(encoded.as_bytes()).as_deref(), Ok(octets), "decode(encode(x)) != x for {encoded:?}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shape_check_follows_rfc5849_section_3_6() {
        assert!(is_rfc5849_encoding("a-b.c_d~e%20%C3%A9"));
        assert!(!is_rfc5849_encoding("a b"));
        assert!(!is_rfc5849_encoding("%c3"), "hexadecimal digits must be uppercase");
        assert!(!is_rfc5849_encoding("%2"));
        assert!(!is_rfc5849_encoding("*"));
    }

    #[test]
    fn awkward_inputs_pass() {
        for input in [&b"%"[..], b"%%41", b"a+b=%2B&&=", b"\xff\x00%FF", b"%zz"] {
            check_percent_encoding(input);
        }
    }
}
