//! RFC 5849 §3.4.2–§3.4.4: the signature methods, plus the HMAC-SHA256/512 and
//! RSA-SHA256/512 variants that deployed services use with the same construction.

use core::fmt;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};

use crate::encoding::{encoded_text, percent_encode_octets_into};
use crate::rsa_signature::RsaHash;

/// An `oauth_signature_method` the reference implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureMethod {
    /// RFC 5849 §3.4.2.
    HmacSha1,
    /// HMAC with SHA-256, constructed as §3.4.2 (not in RFC 5849; widely deployed).
    HmacSha256,
    /// HMAC with SHA-512, constructed as §3.4.2 (not in RFC 5849; widely deployed).
    HmacSha512,
    /// RFC 5849 §3.4.3.
    RsaSha1,
    /// RSASSA-PKCS1-v1_5 with SHA-256, constructed as §3.4.3.
    RsaSha256,
    /// RSASSA-PKCS1-v1_5 with SHA-512, constructed as §3.4.3.
    RsaSha512,
    /// RFC 5849 §3.4.4.
    Plaintext,
}

/// An `oauth_signature_method` value the reference does not implement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsupportedSignatureMethod(pub String);

impl fmt::Display for UnsupportedSignatureMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unsupported signature method {:?}", self.0)
    }
}

impl std::error::Error for UnsupportedSignatureMethod {}

impl SignatureMethod {
    /// Every method, in a stable order.
    pub const ALL: [Self; 7] = [
        Self::HmacSha1,
        Self::HmacSha256,
        Self::HmacSha512,
        Self::RsaSha1,
        Self::RsaSha256,
        Self::RsaSha512,
        Self::Plaintext,
    ];

    /// The `oauth_signature_method` value.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::HmacSha1 => "HMAC-SHA1",
            Self::HmacSha256 => "HMAC-SHA256",
            Self::HmacSha512 => "HMAC-SHA512",
            Self::RsaSha1 => "RSA-SHA1",
            Self::RsaSha256 => "RSA-SHA256",
            Self::RsaSha512 => "RSA-SHA512",
            Self::Plaintext => "PLAINTEXT",
        }
    }

    /// Parses an `oauth_signature_method` value. The match is exact: protocol parameter
    /// values are case-sensitive (§3.4.1.3.2 sorts and compares them as octets).
    pub fn from_name(name: &str) -> Result<Self, UnsupportedSignatureMethod> {
        Self::ALL.into_iter().find(|m| m.name() == name).ok_or_else(|| UnsupportedSignatureMethod(name.to_owned()))
    }

    /// Whether the method is RSA-based (§3.4.3), i.e. keyed by an RSA key pair instead of the
    /// shared secrets.
    #[must_use]
    pub fn rsa_hash(self) -> Option<RsaHash> {
        match self {
            Self::RsaSha1 => Some(RsaHash::Sha1),
            Self::RsaSha256 => Some(RsaHash::Sha256),
            Self::RsaSha512 => Some(RsaHash::Sha512),
            _ => None,
        }
    }

    /// Whether §3.3 requires `oauth_timestamp` and `oauth_nonce`: they "MAY be omitted when
    /// using the PLAINTEXT signature method".
    #[must_use]
    pub fn requires_timestamp_and_nonce(self) -> bool {
        self != Self::Plaintext
    }
}

impl fmt::Display for SignatureMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// §3.4.2: the HMAC key is the encoded client shared-secret, `&`, and the encoded token
/// shared-secret; the `&` is kept even when the token secret is empty.
/// §3.4.4: the PLAINTEXT signature is this same string.
#[must_use]
pub fn signing_key(consumer_secret: &str, token_secret: &str) -> String {
    let mut key = Vec::with_capacity(signing_key_capacity(consumer_secret, token_secret));
    push_signing_key(consumer_secret, token_secret, &mut key);
    encoded_text(key)
}

/// Appends [`signing_key`] to `out`, so that a signer can key the HMAC from a buffer it already
/// holds instead of a string of its own.
pub fn push_signing_key(consumer_secret: &str, token_secret: &str, out: &mut Vec<u8>) {
    percent_encode_octets_into(consumer_secret.as_bytes(), out);
    out.push(b'&');
    percent_encode_octets_into(token_secret.as_bytes(), out);
}

/// The most octets [`signing_key`] can take: encoding at most triples each secret.
#[must_use]
pub fn signing_key_capacity(consumer_secret: &str, token_secret: &str) -> usize {
    3 * (consumer_secret.len() + token_secret.len()) + 1
}

/// The HMAC family of §3.4.2: base64 (RFC 2045 §6.8) of HMAC(key, base string).
///
/// Returns `None` for a method that is not HMAC-based.
#[must_use]
pub fn hmac_signature(method: SignatureMethod, key: &[u8], base_string: &[u8]) -> Option<String> {
    let mut mac = Base64Mac::new();
    hmac_base64_into(method, key, base_string, &mut mac).then(|| encoded_text(mac.as_bytes().to_vec()))
}

/// [`hmac_signature`]'s text written into `mac` rather than a string, for a signer that copies
/// it into a header and has no use for a string of its own. Returns `false` for a method that
/// is not HMAC-based.
pub(crate) fn hmac_base64_into(method: SignatureMethod, key: &[u8], message: &[u8], mac: &mut Base64Mac) -> bool {
    match method {
        SignatureMethod::HmacSha1 => base64_mac::<Hmac<sha1::Sha1>>(key, message, mac),
        SignatureMethod::HmacSha256 => base64_mac::<Hmac<sha2::Sha256>>(key, message, mac),
        SignatureMethod::HmacSha512 => base64_mac::<Hmac<sha2::Sha512>>(key, message, mac),
        _ => return false,
    }
    true
}

/// A MAC in base64: 88 octets hold the longest, SHA-512's. Filled in place by
/// [`hmac_base64_into`]: as a return value it would be copied at every level.
pub(crate) struct Base64Mac {
    text: [u8; Self::CAPACITY],
    len: usize,
}

impl Base64Mac {
    /// The longest MAC's base64, SHA-512's.
    pub(crate) const CAPACITY: usize = 88;

    pub(crate) fn new() -> Self {
        Self { text: [0; Self::CAPACITY], len: 0 }
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.text.get(..self.len).unwrap_or_default()
    }

    /// Holds the base64 of `octets`, at most 64 of them.
    pub(crate) fn set_base64_of(&mut self, octets: &[u8]) {
        // Into a buffer on the stack: cheaper, per signature, than the engine's `encode`,
        // which sizes and zeroes a vector of its own first.
        self.len = BASE64.encode_slice(octets, &mut self.text).unwrap_or_default();
    }
}

fn base64_mac<M: Mac + KeyInit>(key: &[u8], message: &[u8], mac: &mut Base64Mac) {
    // HMAC accepts keys of any length (RFC 2104 §2), so `new_from_slice` never fails for it.
    if let Ok(mut hmac) = <M as KeyInit>::new_from_slice(key) {
        hmac.update(message);
        mac.set_base64_of(&hmac.finalize().into_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_names_round_trip_and_are_case_sensitive() {
        for method in SignatureMethod::ALL {
            assert_eq!(SignatureMethod::from_name(method.name()), Ok(method));
        }
        assert!(SignatureMethod::from_name("hmac-sha1").is_err());
        assert!(SignatureMethod::from_name("").is_err());
    }

    /// §3.4.2 / §3.4.4: both secrets encoded, `&` always present.
    #[test]
    fn signing_key_shape() {
        assert_eq!(signing_key("kd94hf93k423kf44", "pfkkdhi9sl3r4s00"), "kd94hf93k423kf44&pfkkdhi9sl3r4s00");
        assert_eq!(signing_key("kd94hf93k423kf44", ""), "kd94hf93k423kf44&");
        assert_eq!(signing_key("a&b", "c d"), "a%26b&c%20d");
    }

    /// RFC 2202 §3 test case 2 (HMAC-SHA1, key "Jefe") and RFC 4231 §4.3 test case 2
    /// (HMAC-SHA256/512), base64-encoded from the published hex digests.
    #[test]
    fn hmac_matches_published_test_cases() {
        let message = b"what do ya want for nothing?";
        // effcdf6ae5eb2fa2d27416d5f184df9c259a7c79
        assert_eq!(
            hmac_signature(SignatureMethod::HmacSha1, b"Jefe", message).unwrap(),
            "7/zfauXrL6LSdBbV8YTfnCWafHk="
        );
        // 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843
        assert_eq!(
            hmac_signature(SignatureMethod::HmacSha256, b"Jefe", message).unwrap(),
            "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM="
        );
        assert!(hmac_signature(SignatureMethod::Plaintext, b"k", message).is_none());
    }

    /// The §3.4.1 example: key `j49sk3j29djd&dh893hdasih9` over the base string of
    /// §3.4.1.1; the RFC prints `bYT5CMsGcbgUdFHObYMEfcx6bsw=`, which errata 2550 corrects
    /// to `r6/TJjbCOr97/+UU0NsvSne7s5g=`.
    #[test]
    fn rfc5849_section_3_4_1_signature_with_errata_2550() {
        let base = "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q\
                    %26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_\
                    key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m\
                    ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk\
                    9d7dh3k39sjv7";
        let key = signing_key("j49sk3j29djd", "dh893hdasih9");
        assert_eq!(
            hmac_signature(SignatureMethod::HmacSha1, key.as_bytes(), base.as_bytes()).unwrap(),
            "r6/TJjbCOr97/+UU0NsvSne7s5g="
        );
    }
}
