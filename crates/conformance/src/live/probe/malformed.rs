//! The malformed family: the gate's request signed, then its Authorization header broken the
//! way the corpus's invalid `parse_header` cases are, or its protocol parameters duplicated,
//! doubled into a second location, left out, or given values the RFC refuses.

use oauth1_reference::transmission::url_with_protocol_parameters;

use super::battery::{Attempt, Battery};
use super::cases::{CaseRow, Malformation};
use super::shape::{nonce, Stamp};

/// `header` broken as `malformation` says, or `None` when it is not a header change.
fn broken_header(header: &str, malformation: Malformation) -> Option<String> {
    Some(match malformation {
        Malformation::UnquotedValue => header.replacen("oauth_version=\"1.0\"", "oauth_version=1.0", 1),
        Malformation::MissingComma => header.replacen("\", ", "\" ", 1),
        Malformation::NoSpaceAfterScheme => header.replacen("OAuth ", "OAuth", 1),
        Malformation::MissingClosingQuote => header.strip_suffix('"').unwrap_or(header).to_owned(),
        Malformation::AmpersandSeparated => header.replace("\", ", "\"&"),
        Malformation::DuplicateParameter => format!("{header}, oauth_nonce=\"{}\"", nonce()),
        _ => return None,
    })
}

impl Battery<'_> {
    pub(super) fn malformed(&mut self, row: &CaseRow, malformation: Malformation) -> Attempt {
        let plaintext = self.gate.oauth.signature_method.eq_ignore_ascii_case("PLAINTEXT");
        let mut shape = self.gate.clone();
        let mut stamp = Stamp::fresh();
        match malformation {
            Malformation::MissingNonce | Malformation::MissingTimestamp if plaintext => {
                return Attempt::Skip("PLAINTEXT may go without a nonce and a timestamp (RFC 5849 §3.1)".into())
            }
            Malformation::MissingNonce => stamp.nonce = None,
            Malformation::MissingTimestamp => stamp.timestamp = None,
            Malformation::UnknownVersion => shape.oauth.version = Some("2.0".into()),
            _ => {}
        }
        let mut signed = match shape.sign(&self.config.secrets, &stamp) {
            Ok(signed) => signed.request,
            Err(e) => return Attempt::Skip(format!("the reference does not sign this request: {e}")),
        };
        let removed = match malformation {
            Malformation::MissingSignature => Some("oauth_signature"),
            Malformation::MissingConsumerKey => Some("oauth_consumer_key"),
            Malformation::MissingSignatureMethod => Some("oauth_signature_method"),
            _ => None,
        };
        if let Some(name) = removed {
            signed.protocol.retain(|(n, _)| n != name);
        }
        if malformation == Malformation::UnsupportedMethod {
            for (name, value) in &mut signed.protocol {
                if name == "oauth_signature_method" {
                    "HMAC-MD5".clone_into(value);
                }
            }
        }
        let mut request = signed.transmit();
        if malformation == Malformation::TwoLocations {
            request.url = url_with_protocol_parameters(&request.url, &signed.protocol);
        }
        for (name, value) in &mut request.headers {
            if name.eq_ignore_ascii_case("authorization") {
                if let Some(broken) = broken_header(value, malformation) {
                    *value = broken;
                }
            }
        }
        match self.send_guarded(row, &request) {
            Ok(exchange) => Attempt::Sent { exchange: Box::new(exchange), shape: None },
            Err(skip) => skip,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_broken_as_the_corpus_cases_are() {
        let header = r#"OAuth oauth_consumer_key="k", oauth_version="1.0", oauth_signature="s""#;
        let broken = |m| broken_header(header, m).unwrap();
        assert_eq!(
            broken(Malformation::UnquotedValue),
            r#"OAuth oauth_consumer_key="k", oauth_version=1.0, oauth_signature="s""#
        );
        assert_eq!(
            broken(Malformation::MissingComma),
            r#"OAuth oauth_consumer_key="k" oauth_version="1.0", oauth_signature="s""#
        );
        assert_eq!(
            broken(Malformation::NoSpaceAfterScheme),
            r#"OAuthoauth_consumer_key="k", oauth_version="1.0", oauth_signature="s""#
        );
        assert_eq!(
            broken(Malformation::MissingClosingQuote),
            r#"OAuth oauth_consumer_key="k", oauth_version="1.0", oauth_signature="s"#
        );
        assert_eq!(
            broken(Malformation::AmpersandSeparated),
            r#"OAuth oauth_consumer_key="k"&oauth_version="1.0"&oauth_signature="s""#
        );
        assert!(broken(Malformation::DuplicateParameter).contains(r#""s", oauth_nonce=""#));
        assert_eq!(broken_header(header, Malformation::MissingNonce), None);
        // Each broken header is one the reference's strict parser refuses.
        for m in [
            Malformation::UnquotedValue,
            Malformation::MissingComma,
            Malformation::NoSpaceAfterScheme,
            Malformation::MissingClosingQuote,
            Malformation::AmpersandSeparated,
        ] {
            assert!(oauth1_reference::header::parse_authorization_header(broken(m).as_bytes()).is_err(), "{m:?}");
        }
    }
}
