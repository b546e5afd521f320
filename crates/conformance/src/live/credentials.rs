//! The credentials file of the live modes (`serve-http`, `capture`, the servers of the
//! framework matrix), documented by `docs/credentials.schema.json`:
//!
//! ```json
//! {
//!   "consumers": [{"key": "dpf43f3p2l4k3l03", "secret": "kd94hf93k423kf44", "rsa_public_key_pem": null}],
//!   "tokens": [{"token": "nnch734d00sl2jdk", "secret": "pfkkdhi9sl3r4s00", "consumer_key": "dpf43f3p2l4k3l03"}],
//!   "verifier": "hfdp7dh39dks9884"
//! }
//! ```
//!
//! The file holds secrets, so an error names where in the file it is (a JSON path, a line
//! and column) and never what is there. The loader checks by hand what the schema says (and
//! what it cannot: unique keys, tokens of known consumers, parsable RSA keys) because
//! `serde_json`'s messages quote the values they reject.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use oauth1_reference::rsa_signature::RsaPublicKey;
use serde_json::{Map, Value};

/// A client: its key, shared secret and, for the RSA methods, its public key.
#[derive(Clone)]
pub struct Consumer {
    /// `oauth_consumer_key`.
    pub key: String,
    secret: String,
    rsa_public_key: Option<RsaPublicKey>,
}

impl Consumer {
    /// The client shared-secret.
    #[must_use]
    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// The client's RSA public key, if the file gave one.
    #[must_use]
    pub fn rsa_public_key(&self) -> Option<&RsaPublicKey> {
        self.rsa_public_key.as_ref()
    }
}

impl fmt::Debug for Consumer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Consumer")
            .field("key", &self.key)
            .field("secret", &"<redacted>")
            .field("rsa_public_key", &self.rsa_public_key.is_some())
            .finish()
    }
}

/// Token credentials issued to a consumer.
#[derive(Clone)]
pub struct Token {
    /// `oauth_token`.
    pub token: String,
    secret: String,
    /// The consumer it was issued to.
    pub consumer_key: String,
}

impl Token {
    /// A token issued at run time (the §2 flow).
    #[must_use]
    pub fn new(token: String, secret: String, consumer_key: String) -> Self {
        Self { token, secret, consumer_key }
    }

    /// The token shared-secret.
    #[must_use]
    pub fn secret(&self) -> &str {
        &self.secret
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("token", &self.token)
            .field("secret", &"<redacted>")
            .field("consumer_key", &self.consumer_key)
            .finish()
    }
}

/// The contents of a credentials file.
#[derive(Clone, Default)]
pub struct Credentials {
    consumers: Vec<Consumer>,
    tokens: Vec<Token>,
    verifier: Option<String>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("consumers", &self.consumers)
            .field("tokens", &self.tokens)
            .field("verifier", &self.verifier.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// Where a credentials file is wrong (`at`: a JSON path such as `tokens[1]`); never what it
/// holds: no variant keeps a value or an unknown field's name (a secret pasted as a name is
/// still a secret), nor `serde_json`'s error, whose message may quote the document.
#[derive(Debug, thiserror::Error)]
pub enum CredentialsError {
    /// The file cannot be read.
    #[error("cannot read the credentials file {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file's document is wrong.
    #[error("credentials file {}: {source}", path.display())]
    InFile {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        #[source]
        source: Box<CredentialsError>,
    },
    /// The document is not JSON.
    #[error("not valid JSON (line {line}, column {column})")]
    Json {
        /// Where (from 1).
        line: usize,
        /// Where (from 1).
        column: usize,
    },
    /// Not an object.
    #[error("{at}: expected an object")]
    NotAnObject {
        /// Where.
        at: String,
    },
    /// A field not among `allowed`.
    #[error("{at}: a field other than {}", allowed.join(", "))]
    UnknownField {
        /// Where.
        at: String,
        /// The fields allowed there.
        allowed: &'static [&'static str],
    },
    /// A required field is missing.
    #[error("{at}: missing field {name:?}")]
    MissingField {
        /// Where.
        at: String,
        /// The field.
        name: &'static str,
    },
    /// A field is not a string.
    #[error("{at}.{name}: expected a string")]
    NotAString {
        /// Where.
        at: String,
        /// The field.
        name: &'static str,
    },
    /// A field that must not be empty is.
    #[error("{at}.{name}: must not be empty")]
    Empty {
        /// Where.
        at: String,
        /// The field.
        name: &'static str,
    },
    /// A field is neither a string nor null.
    #[error("{at}.{name}: expected a string or null")]
    NotAStringOrNull {
        /// Where.
        at: String,
        /// The field.
        name: &'static str,
    },
    /// A field is not an array.
    #[error("{at}.{name}: expected an array")]
    NotAnArray {
        /// Where.
        at: String,
        /// The field.
        name: &'static str,
    },
    /// Two consumers have one key.
    #[error("{at}.key: the same key as consumers[{first}]")]
    DuplicateKey {
        /// The second consumer.
        at: String,
        /// The first one's index.
        first: usize,
    },
    /// A consumer's RSA public key does not parse.
    #[error("{at}.rsa_public_key_pem: not an RSA public key in PEM (SPKI, PKCS#1 or a certificate)")]
    RsaPublicKey {
        /// The consumer.
        at: String,
    },
    /// No consumer at all.
    #[error("consumers: at least one consumer is needed")]
    NoConsumer,
    /// Two tokens are the same.
    #[error("{at}.token: the same token as tokens[{first}]")]
    DuplicateToken {
        /// The second token.
        at: String,
        /// The first one's index.
        first: usize,
    },
    /// A token's consumer key is no consumer's.
    #[error("{at}.consumer_key: no consumer has this key")]
    UnknownConsumer {
        /// The token.
        at: String,
    },
}

impl Credentials {
    /// Reads and checks the file at `path`.
    ///
    /// # Errors
    /// When the file is unreadable, not JSON, or not a credentials file; the message names
    /// the file and the place, never the content.
    pub fn load(path: &Path) -> Result<Self, CredentialsError> {
        let text =
            std::fs::read_to_string(path).map_err(|source| CredentialsError::Read { path: path.to_owned(), source })?;
        Self::from_json(&text).map_err(|e| CredentialsError::InFile { path: path.to_owned(), source: Box::new(e) })
    }

    /// Parses and checks a credentials document.
    ///
    /// # Errors
    /// As [`Self::load`], without the file name.
    pub fn from_json(text: &str) -> Result<Self, CredentialsError> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| CredentialsError::Json { line: e.line(), column: e.column() })?;
        from_value(&value)
    }

    /// The consumer whose key is `key`.
    #[must_use]
    pub fn consumer(&self, key: &str) -> Option<&Consumer> {
        self.consumers.iter().find(|c| c.key == key)
    }

    /// The token credentials of `token`.
    #[must_use]
    pub fn token(&self, token: &str) -> Option<&Token> {
        self.tokens.iter().find(|t| t.token == token)
    }

    /// Every consumer, in file order.
    #[must_use]
    pub fn consumers(&self) -> &[Consumer] {
        &self.consumers
    }

    /// Every token, in file order.
    #[must_use]
    pub fn tokens(&self) -> &[Token] {
        &self.tokens
    }

    /// The `oauth_verifier` the §2 token endpoint expects, if any.
    #[must_use]
    pub fn verifier(&self) -> Option<&str> {
        self.verifier.as_deref()
    }
}

fn object<'a>(
    value: &'a Value,
    at: &str,
    allowed: &'static [&'static str],
) -> Result<&'a Map<String, Value>, CredentialsError> {
    let map = value.as_object().ok_or_else(|| CredentialsError::NotAnObject { at: at.to_owned() })?;
    if map.keys().any(|name| !allowed.contains(&name.as_str())) {
        // Not even the unknown name is kept: a secret pasted as a name is still a secret.
        return Err(CredentialsError::UnknownField { at: at.to_owned(), allowed });
    }
    Ok(map)
}

fn string(map: &Map<String, Value>, at: &str, name: &'static str, non_empty: bool) -> Result<String, CredentialsError> {
    let text = map.get(name).ok_or_else(|| CredentialsError::MissingField { at: at.to_owned(), name })?;
    let text = text.as_str().ok_or_else(|| CredentialsError::NotAString { at: at.to_owned(), name })?;
    if non_empty && text.is_empty() {
        return Err(CredentialsError::Empty { at: at.to_owned(), name });
    }
    Ok(text.to_owned())
}

fn optional_string(map: &Map<String, Value>, at: &str, name: &'static str) -> Result<Option<String>, CredentialsError> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(CredentialsError::NotAStringOrNull { at: at.to_owned(), name }),
    }
}

fn array<'a>(map: &'a Map<String, Value>, at: &str, name: &'static str) -> Result<&'a [Value], CredentialsError> {
    match map.get(name) {
        None => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(CredentialsError::NotAnArray { at: at.to_owned(), name }),
    }
}

fn from_value(value: &Value) -> Result<Credentials, CredentialsError> {
    let root = object(value, "the document", &["consumers", "tokens", "verifier"])?;
    if !root.contains_key("consumers") {
        return Err(CredentialsError::MissingField { at: "the document".to_owned(), name: "consumers" });
    }
    let mut consumers = Vec::new();
    let mut seen_keys = HashMap::new();
    for (index, item) in array(root, "the document", "consumers")?.iter().enumerate() {
        let at = format!("consumers[{index}]");
        let map = object(item, &at, &["key", "secret", "rsa_public_key_pem"])?;
        let key = string(map, &at, "key", true)?;
        if let Some(first) = seen_keys.insert(key.clone(), index) {
            return Err(CredentialsError::DuplicateKey { at, first });
        }
        let secret = string(map, &at, "secret", false)?;
        let rsa_public_key = optional_string(map, &at, "rsa_public_key_pem")?
            .map(|pem| RsaPublicKey::from_pem(&pem))
            .transpose()
            .map_err(|_| CredentialsError::RsaPublicKey { at: at.clone() })?;
        consumers.push(Consumer { key, secret, rsa_public_key });
    }
    if consumers.is_empty() {
        return Err(CredentialsError::NoConsumer);
    }
    let mut tokens: Vec<Token> = Vec::new();
    for (index, item) in array(root, "the document", "tokens")?.iter().enumerate() {
        let at = format!("tokens[{index}]");
        let map = object(item, &at, &["token", "secret", "consumer_key"])?;
        let token = string(map, &at, "token", true)?;
        if let Some(first) = tokens.iter().position(|t| t.token == token) {
            return Err(CredentialsError::DuplicateToken { at, first });
        }
        let secret = string(map, &at, "secret", false)?;
        let consumer_key = string(map, &at, "consumer_key", true)?;
        if !seen_keys.contains_key(&consumer_key) {
            return Err(CredentialsError::UnknownConsumer { at });
        }
        tokens.push(Token { token, secret, consumer_key });
    }
    let verifier = optional_string(root, "the document", "verifier")?;
    Ok(Credentials { consumers, tokens, verifier })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "kd94hf93k423kf44";

    #[test]
    fn the_documented_example_loads() {
        let credentials = Credentials::from_json(
            r#"{
              "consumers": [{"key": "dpf43f3p2l4k3l03", "secret": "kd94hf93k423kf44", "rsa_public_key_pem": null}],
              "tokens": [{"token": "nnch734d00sl2jdk", "secret": "pfkkdhi9sl3r4s00", "consumer_key": "dpf43f3p2l4k3l03"}],
              "verifier": "hfdp7dh39dks9884"
            }"#,
        )
        .unwrap();
        assert_eq!(credentials.consumer("dpf43f3p2l4k3l03").unwrap().secret(), SECRET);
        assert_eq!(credentials.token("nnch734d00sl2jdk").unwrap().secret(), "pfkkdhi9sl3r4s00");
        assert_eq!(credentials.verifier(), Some("hfdp7dh39dks9884"));
        let debug = format!("{credentials:?}");
        assert!(!debug.contains(SECRET) && !debug.contains("pfkkdhi9sl3r4s00") && !debug.contains("hfdp7dh39dks9884"));
    }

    #[test]
    fn errors_name_the_place_never_the_value() {
        for (text, expected) in [
            (r#"{"consumers": [{"key": "k", "secret": 5}]}"#, "consumers[0].secret: expected a string"),
            (r#"{"consumers": [{"key": "k", "secret": "kd94hf93k423kf44""#, "not valid JSON (line 1"),
            (
                r#"{"consumers": [{"key": "k", "secret": "kd94hf93k423kf44", "scret": "x"}]}"#,
                "consumers[0]: a field other than key, secret, rsa_public_key_pem",
            ),
            (r#"{"consumers": []}"#, "at least one consumer"),
            (
                r#"{"consumers": [{"key": "k", "secret": "kd94hf93k423kf44"}, {"key": "k", "secret": "s"}]}"#,
                "consumers[1].key: the same key as consumers[0]",
            ),
            (
                r#"{"consumers": [{"key": "k", "secret": "s"}], "tokens": [{"token": "t", "secret": "kd94hf93k423kf44", "consumer_key": "other"}]}"#,
                "tokens[0].consumer_key: no consumer has this key",
            ),
            (
                r#"{"consumers": [{"key": "k", "secret": "s", "rsa_public_key_pem": "kd94hf93k423kf44"}]}"#,
                "consumers[0].rsa_public_key_pem: not an RSA public key",
            ),
            (r#"["kd94hf93k423kf44"]"#, "the document: expected an object"),
        ] {
            let error = Credentials::from_json(text).unwrap_err().to_string();
            assert!(error.contains(expected), "{error}");
            assert!(!error.contains(SECRET), "{error}");
        }
    }
}
