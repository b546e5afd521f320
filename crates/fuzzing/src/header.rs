//! `authorization_header`: the §3.5.1 parser on arbitrary bytes.

use oauth1_reference::header::{
    build_authorization_header, HeaderError, HeaderParameter, ParserConfig, DEFAULT_MAX_LENGTH, DEFAULT_MAX_PARAMETERS,
};
use oauth1_reference::header_syntax::{violations, Violation};

/// Every leniency of [`ParserConfig`] switched on, so that its code paths are fuzzed too.
fn lenient() -> ParserConfig {
    ParserConfig {
        allow_linear_whitespace: true,
        allow_line_folding: true,
        allow_empty_parameter_list: true,
        allow_raw_separators_in_quotes: true,
        allow_empty_list_elements: true,
        ..ParserConfig::default()
    }
}

/// Parses `data` as an Authorization header value with the default and the lenient
/// configuration, and checks:
///
/// * the documented caps: a value over [`DEFAULT_MAX_LENGTH`] bytes is refused with
///   [`HeaderError::TooLong`] (before any other work) and an accepted header has at most
///   [`DEFAULT_MAX_PARAMETERS`] parameters;
/// * every error position lies inside the value;
/// * whatever a configuration accepts, the strict parser accepts once the builder has
///   written it again, with the same parameters (`realm` first, as the builder writes it):
///   parse → build → parse round-trips, and the §3.5.1 check of
///   [`oauth1_reference::header_syntax`] finds nothing in the builder's header;
/// * that check answers for any octets, every position it reports inside the value.
///
/// # Panics
///
/// On a violated property: that is the finding.
pub fn check_authorization_header(data: &[u8]) {
    for violation in violations(data) {
        if let Violation::EmptyListElement { position } | Violation::Malformed { position, .. } = violation {
            assert!(position <= data.len(), "{violation:?} points past the {}-byte value", data.len());
        }
    }
    for config in [ParserConfig::default(), lenient()] {
        let parsed = config.parse(data);
        if data.len() > DEFAULT_MAX_LENGTH {
            assert!(
                matches!(parsed, Err(HeaderError::TooLong { length, limit }) if length == data.len() && limit == DEFAULT_MAX_LENGTH),
                "a {}-byte header must be refused as too long, got {parsed:?}",
                data.len()
            );
        }
        match parsed {
            Ok(params) => {
                assert!(params.len() <= DEFAULT_MAX_PARAMETERS, "{} parameters accepted", params.len());
                check_round_trip(&params);
            }
            Err(error) => {
                if let Some(position) = error.position() {
                    assert!(position <= data.len(), "{error:?} points past the {}-byte value", data.len());
                }
            }
        }
    }
}

/// parse → build → parse: the builder's header parses back to the same parameters.
fn check_round_trip(params: &[HeaderParameter]) {
    let is_realm = |p: &&HeaderParameter| p.name == b"realm";
    // The builder takes the realm as text: a realm of other octets has no builder input.
    let realm = match params.iter().find(is_realm).map(|p| std::str::from_utf8(&p.value)) {
        Some(Ok(realm)) => Some(realm),
        Some(Err(_)) => return,
        None => None,
    };
    let others: Vec<(&[u8], &[u8])> =
        params.iter().filter(|p| !is_realm(p)).map(|p| (p.name.as_slice(), p.value.as_slice())).collect();
    let built = match build_authorization_header(realm, &others) {
        Ok(built) => built,
        Err(e) => panic!("the builder refuses what the parser accepted ({params:?}): {e}"),
    };
    // Encoding may lengthen the header past the cap; the cap is not what this property tests.
    let reparse = parse_built(&built);
    let mut expected: Vec<HeaderParameter> = params.iter().filter(is_realm).cloned().collect();
    expected.extend(params.iter().filter(|p| !is_realm(p)).cloned());
    if expected.is_empty() {
        // `OAuth` alone: only a lenient parser accepts it, and the builder writes just that.
        assert_eq!(built, "OAuth");
        return;
    }
    let found = violations(built.as_bytes());
    assert!(found.is_empty(), "the builder's header {built:?} breaks §3.5.1: {found:?}");
    match reparse {
        Ok(reparsed) => assert_eq!(reparsed, expected, "round trip through {built:?}"),
        Err(e) => panic!("the strict parser refuses the builder's header {built:?}: {e}"),
    }
}

/// Parses a header the reference built with the default parser, its caps lifted: what the
/// builder writes must parse whatever its size.
pub(crate) fn parse_built(header: &str) -> Result<Vec<HeaderParameter>, HeaderError> {
    ParserConfig { max_length: header.len(), max_parameters: usize::MAX, ..ParserConfig::default() }
        .parse(header.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use oauth1_reference::header::parse_authorization_header;

    #[test]
    fn the_rfc_example_passes_and_the_caps_hold() {
        check_authorization_header(b"OAuth realm=\"Example\", oauth_consumer_key=\"0685bd9184jfhq22\", oauth_nonce=\"4572616e48616d6d65724c61686176\"");
        let long = [b"OAuth a=\"".as_slice(), &[b'b'; DEFAULT_MAX_LENGTH], b"\""].concat();
        check_authorization_header(&long);
        assert!(parse_authorization_header(&long).is_err());
    }
}
