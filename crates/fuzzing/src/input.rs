//! A signing input (the `request`, `oauth` and `secrets` of a `sign` vector) read from and
//! written to a [`Record`].

#[cfg(feature = "differential")]
use oauth1_conformance::implementation::SignInput;
use oauth1_vectors::{OAuthParams, SignRequest, SignSecrets};

use crate::record::Record;

/// A request to sign, with its protocol parameters and secrets.
///
/// The text fields are read as UTF-8 with invalid sequences replaced (the reference and the
/// vector model take text there); the body is kept as octets in [`SignRecord::body`] for the
/// reference, and as text in `request.body` for implementations that take text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignRecord {
    /// The HTTP request; `body` as text.
    pub request: SignRequest,
    /// The entity-body octets.
    pub body: Option<Vec<u8>>,
    /// The protocol parameters.
    pub oauth: OAuthParams,
    /// The secrets.
    pub secrets: SignSecrets,
}

impl SignRecord {
    /// Reads the signing fields of `record`; absent required fields are empty.
    #[must_use]
    pub fn read(record: &Record) -> Self {
        let text = |key: &str| record.text(key);
        let body = record.bytes("body");
        let lossy = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
        Self {
            request: SignRequest {
                method: text("method").unwrap_or_default(),
                url: text("url").unwrap_or_default(),
                content_type: text("content_type"),
                body: body.as_deref().map(lossy),
            },
            body,
            oauth: OAuthParams {
                consumer_key: text("consumer_key").unwrap_or_default(),
                token: text("token"),
                signature_method: text("signature_method").unwrap_or_default(),
                timestamp: text("timestamp"),
                nonce: text("nonce"),
                version: text("version"),
                realm: text("realm"),
                extra: record.pairs("extra", b'=').iter().map(|(n, v)| (lossy(n), lossy(v))).collect(),
                compute_body_hash: record.bytes("compute_body_hash").is_some_and(|v| v == b"true"),
            },
            secrets: SignSecrets {
                consumer_secret: text("consumer_secret"),
                token_secret: text("token_secret"),
                rsa_private_key_pem: text("rsa_private_key"),
            },
        }
    }

    /// Writes the fields of a `sign` vector into `record`, so that [`SignRecord::read`] gives
    /// them back.
    pub fn write(record: &mut Record, request: &SignRequest, oauth: &OAuthParams, secrets: &SignSecrets) {
        let mut optional = |key: &str, value: Option<&String>| {
            if let Some(value) = value {
                record.push(key, value.as_bytes());
            }
        };
        optional("method", Some(&request.method));
        optional("url", Some(&request.url));
        optional("content_type", request.content_type.as_ref());
        optional("body", request.body.as_ref());
        optional("consumer_key", Some(&oauth.consumer_key));
        optional("token", oauth.token.as_ref());
        optional("signature_method", Some(&oauth.signature_method));
        optional("timestamp", oauth.timestamp.as_ref());
        optional("nonce", oauth.nonce.as_ref());
        optional("version", oauth.version.as_ref());
        optional("realm", oauth.realm.as_ref());
        optional("consumer_secret", secrets.consumer_secret.as_ref());
        optional("token_secret", secrets.token_secret.as_ref());
        optional("rsa_private_key", secrets.rsa_private_key_pem.as_ref());
        for (name, value) in &oauth.extra {
            record.push_pair("extra", name.as_bytes(), b'=', value.as_bytes());
        }
        if oauth.compute_body_hash {
            record.push("compute_body_hash", b"true");
        }
    }

    /// As the harness's signing input.
    #[cfg(feature = "differential")]
    #[must_use]
    pub fn as_input(&self) -> SignInput<'_> {
        SignInput { request: &self.request, oauth: &self.oauth, secrets: &self.secrets }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vector_written_into_a_record_reads_back_unchanged() {
        let request = SignRequest {
            method: "POST".into(),
            url: "http://example.com/request?b5=%3D%253D&a3=a".into(),
            content_type: Some("application/x-www-form-urlencoded".into()),
            body: Some("c2&a3=2+q\nline".into()),
        };
        let oauth = OAuthParams {
            consumer_key: "9djdj82h48djs9d2".into(),
            token: Some(String::new()),
            signature_method: "HMAC-SHA1".into(),
            timestamp: Some("137131201".into()),
            nonce: None,
            version: None,
            realm: Some("Ex\"ample".into()),
            extra: vec![("oauth_callback".into(), "http://a/b?c=d".into()), ("x=y".into(), String::new())],
            compute_body_hash: true,
        };
        let secrets = SignSecrets {
            consumer_secret: Some("j49sk3j29djd".into()),
            token_secret: None,
            rsa_private_key_pem: Some("-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n".into()),
        };
        let mut record = Record::default();
        SignRecord::write(&mut record, &request, &oauth, &secrets);
        let read = SignRecord::read(&Record::parse(&record.to_bytes()));
        assert_eq!(read.request, request);
        assert_eq!(read.body.as_deref(), request.body.as_deref().map(str::as_bytes));
        assert_eq!(read.oauth, oauth);
        assert_eq!(read.secrets, secrets);
    }
}
