//! The OAuth Request Body Hash extension (draft-eaton-oauth-bodyhash-00), which signs a
//! non-form entity-body that RFC 5849 §3.4.1.3.1 otherwise leaves unsigned.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use sha1::Digest as _;

use crate::signature::SignatureMethod;

/// The protocol parameter that carries the body hash.
pub const OAUTH_BODY_HASH: &str = "oauth_body_hash";

/// Which digest computes `oauth_body_hash` for a signature method.
///
/// The draft (§3.1) fixes SHA-1 for HMAC-SHA1 and RSA-SHA1 and asks later methods to name
/// their own; the reference uses the method's own digest (SHA-256 for HMAC-SHA256 and
/// RSA-SHA256, SHA-512 for the SHA-512 methods), so a body hash is never weaker than the
/// signature over it. oauthlib differs: it always uses SHA-1. For PLAINTEXT the draft calls
/// the extension pointless (NOT RECOMMENDED); the reference computes SHA-1, the draft's base
/// case, rather than refusing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyHashAlgorithm {
    /// SHA-1 (RFC 3174).
    Sha1,
    /// SHA-256 (FIPS 180-4).
    Sha256,
    /// SHA-512 (FIPS 180-4).
    Sha512,
}

impl BodyHashAlgorithm {
    /// The digest the reference uses with `method`; see the type's documentation.
    #[must_use]
    pub fn for_method(method: SignatureMethod) -> Self {
        match method {
            SignatureMethod::HmacSha1 | SignatureMethod::RsaSha1 | SignatureMethod::Plaintext => Self::Sha1,
            SignatureMethod::HmacSha256 | SignatureMethod::RsaSha256 => Self::Sha256,
            SignatureMethod::HmacSha512 | SignatureMethod::RsaSha512 => Self::Sha512,
        }
    }
}

/// draft-eaton-oauth-bodyhash-00 §3.2: base64 of the digest of the entity-body octets (the
/// empty string when the request has no body).
#[must_use]
pub fn body_hash(algorithm: BodyHashAlgorithm, body: &[u8]) -> String {
    match algorithm {
        BodyHashAlgorithm::Sha1 => BASE64.encode(sha1::Sha1::digest(body)),
        BodyHashAlgorithm::Sha256 => BASE64.encode(sha2::Sha256::digest(body)),
        BodyHashAlgorithm::Sha512 => BASE64.encode(sha2::Sha512::digest(body)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of draft-eaton-oauth-bodyhash-00 Appendix A.1: body "Hello World!" has
    /// `oauth_body_hash="Lve95gjOVATpfV8EL5X4nxwjKHE%3D"`.
    #[test]
    fn draft_appendix_example() {
        assert_eq!(body_hash(BodyHashAlgorithm::Sha1, b"Hello World!"), "Lve95gjOVATpfV8EL5X4nxwjKHE=");
    }

    /// FIPS 180-2 Appendix B.1 / C.1 ("abc"), base64 of the published hex digests.
    #[test]
    fn sha2_digests_of_abc() {
        // ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
        assert_eq!(body_hash(BodyHashAlgorithm::Sha256, b"abc"), "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
        // SHA-1 of the empty string: da39a3ee5e6b4b0d3255bfef95601890afd80709
        assert_eq!(body_hash(BodyHashAlgorithm::Sha1, b""), "2jmj7l5rSw0yVb/vlWAYkK/YBwk=");
    }

    #[test]
    fn algorithm_per_method() {
        assert_eq!(BodyHashAlgorithm::for_method(SignatureMethod::RsaSha1), BodyHashAlgorithm::Sha1);
        assert_eq!(BodyHashAlgorithm::for_method(SignatureMethod::HmacSha256), BodyHashAlgorithm::Sha256);
        assert_eq!(BodyHashAlgorithm::for_method(SignatureMethod::RsaSha512), BodyHashAlgorithm::Sha512);
    }
}
