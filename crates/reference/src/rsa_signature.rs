//! RSA key loading and the `RSA-SHA1` signature method of
//! [RFC 5849 §3.4.3](https://www.rfc-editor.org/rfc/rfc5849#section-3.4.3), plus the
//! widely deployed `RSA-SHA256` and `RSA-SHA512` variants.
//!
//! RFC 5849 §3.4.3 specifies the signature as RSASSA-PKCS1-v1_5
//! ([RFC 3447 §8.2](https://www.rfc-editor.org/rfc/rfc3447#section-8.2)) over the
//! signature base string (§3.4.1), using SHA-1 as the hash, with the result
//! base64-encoded (§3.4.3.1 step 2, RFC 2045 §6.8). The SHA-256 and SHA-512 variants only
//! change the hash function `H` and the DigestInfo prefix of EMSA-PKCS1-v1_5
//! ([RFC 3447 §9.2](https://www.rfc-editor.org/rfc/rfc3447#section-9.2)).
//!
//! Key material is read from PEM ([RFC 7468](https://www.rfc-editor.org/rfc/rfc7468)):
//!
//! | PEM label            | Structure                                                         |
//! |----------------------|-------------------------------------------------------------------|
//! | `RSA PRIVATE KEY`    | PKCS#1 `RSAPrivateKey` (RFC 3447 Appendix A.1.2)                  |
//! | `PRIVATE KEY`        | PKCS#8 `PrivateKeyInfo` (RFC 5208 §5), `rsaEncryption` only       |
//! | `RSA PUBLIC KEY`     | PKCS#1 `RSAPublicKey` (RFC 3447 Appendix A.1.1)                   |
//! | `PUBLIC KEY`         | X.509 `SubjectPublicKeyInfo` (RFC 5280 §4.1.2.7)                  |
//! | `CERTIFICATE`        | X.509 `Certificate` (RFC 5280 §4.1); its `SubjectPublicKeyInfo`   |
//!
//! RFC 5849 §3.4.3 leaves how the server obtains the client's public key open ("e.g., the
//! client's X.509 certificate"); certificates are only used as a container for the key
//! here: nothing about them (validity, issuer, signature) is checked.
//!
//! Nothing in this module panics, whatever its input: every failure is a typed error
//! ([`RsaKeyError`], [`RsaSignError`]) or, for verification, `false`.

use core::fmt;

use base64::engine::general_purpose::STANDARD as BASE64_STANDARD;
use base64::Engine as _;
use rsa::pkcs1::{
    RsaPrivateKey as Pkcs1PrivateKey, RsaPublicKey as Pkcs1PublicKey, Version as Pkcs1Version,
    ALGORITHM_OID as RSA_ENCRYPTION_OID,
};
use rsa::pkcs8::der::{Decode, Reader, SliceReader, Tag, TagNumber};
use rsa::pkcs8::spki::{AlgorithmIdentifierRef, SubjectPublicKeyInfoRef};
use rsa::pkcs8::PrivateKeyInfo;
use rsa::traits::PublicKeyParts as _;
use rsa::{BigUint, Pkcs1v15Sign};
use sha1::{Digest as _, Sha1};
use sha2::{Sha256, Sha512};

/// Largest PEM input accepted by [`RsaPrivateKey::from_pem`] and [`RsaPublicKey::from_pem`],
/// in bytes (1 MiB). Larger inputs are rejected with [`RsaKeyError::InputTooLarge`] before
/// any decoding work is done.
pub const MAX_PEM_LEN: usize = 1 << 20;

/// Largest RSA modulus accepted, in bits. Larger keys are rejected with
/// [`RsaKeyError::ModulusTooLarge`] so that a hostile key cannot make signing or
/// verification arbitrarily slow.
pub const MAX_MODULUS_BITS: usize = 16384;

/// Largest public exponent accepted, in bits (the `rsa` crate's own bound is `2^33 - 1`).
const MAX_PUBLIC_EXPONENT_BITS: usize = 64;

/// Longest PEM label echoed back in [`RsaKeyError::UnsupportedPemLabel`].
const MAX_LABEL_ECHO: usize = 64;

/// The hash function `H` used inside EMSA-PKCS1-v1_5
/// ([RFC 3447 §9.2](https://www.rfc-editor.org/rfc/rfc3447#section-9.2)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RsaHash {
    /// SHA-1, as required by `RSA-SHA1`
    /// ([RFC 5849 §3.4.3](https://www.rfc-editor.org/rfc/rfc5849#section-3.4.3)).
    Sha1,
    /// SHA-256 (`RSA-SHA256`; not part of RFC 5849, same construction with `H` = SHA-256).
    Sha256,
    /// SHA-512 (`RSA-SHA512`; not part of RFC 5849, same construction with `H` = SHA-512).
    Sha512,
}

impl RsaHash {
    /// `H(M)` — the message digest of step 1 of EMSA-PKCS1-v1_5 (RFC 3447 §9.2).
    fn digest(self, message: &[u8]) -> Vec<u8> {
        match self {
            Self::Sha1 => Sha1::digest(message).to_vec(),
            Self::Sha256 => Sha256::digest(message).to_vec(),
            Self::Sha512 => Sha512::digest(message).to_vec(),
        }
    }

    /// The RSASSA-PKCS1-v1_5 scheme with the DigestInfo prefix for this hash
    /// (RFC 3447 §9.2 step 2 and its Note 1).
    fn scheme(self) -> Pkcs1v15Sign {
        match self {
            Self::Sha1 => Pkcs1v15Sign::new::<Sha1>(),
            Self::Sha256 => Pkcs1v15Sign::new::<Sha256>(),
            Self::Sha512 => Pkcs1v15Sign::new::<Sha512>(),
        }
    }

    /// Length in octets of the DER-encoded DigestInfo `T` (RFC 3447 §9.2 Note 1).
    const fn digest_info_len(self) -> usize {
        match self {
            Self::Sha1 => 35,
            Self::Sha256 => 51,
            Self::Sha512 => 83,
        }
    }

    /// Name used in messages.
    const fn name(self) -> &'static str {
        match self {
            Self::Sha1 => "SHA-1",
            Self::Sha256 => "SHA-256",
            Self::Sha512 => "SHA-512",
        }
    }
}

/// An RSA private key: the client's key for `RSA-SHA1` signing
/// ([RFC 5849 §3.4.3](https://www.rfc-editor.org/rfc/rfc5849#section-3.4.3)).
///
/// The key is checked for internal consistency on load (`n = p·q`, `d·e ≡ 1 mod (p-1)` and
/// `mod (q-1)`); the CRT values stored in the file are ignored and recomputed.
/// Its `Debug` output shows only the modulus size, never key material.
#[derive(Clone)]
pub struct RsaPrivateKey(rsa::RsaPrivateKey);

/// An RSA public key: what the server uses to verify an `RSA-SHA1` signature
/// ([RFC 5849 §3.4.3.2](https://www.rfc-editor.org/rfc/rfc5849#section-3.4.3.2)).
#[derive(Clone, PartialEq, Eq)]
pub struct RsaPublicKey(rsa::RsaPublicKey);

impl fmt::Debug for RsaPrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaPrivateKey").field("bits", &self.bits()).finish()
    }
}

impl fmt::Debug for RsaPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaPublicKey").field("bits", &self.bits()).finish()
    }
}

impl RsaPrivateKey {
    /// Loads a private key from PEM text (RFC 7468).
    ///
    /// Accepts `-----BEGIN RSA PRIVATE KEY-----` (PKCS#1, RFC 3447 Appendix A.1.2, two-prime
    /// only) and `-----BEGIN PRIVATE KEY-----` (PKCS#8, RFC 5208 §5, whose algorithm must be
    /// `rsaEncryption`, 1.2.840.113549.1.1.1, with NULL or absent parameters).
    ///
    /// Parsing of the PEM envelope is lax in the sense of RFC 7468 §3: text before the first
    /// `-----BEGIN` line and after the matching `-----END` line is ignored, line endings may
    /// be LF or CRLF, whitespace around and inside the base64 text is ignored and any line
    /// width is accepted. Only the first PEM block is considered.
    ///
    /// # Errors
    ///
    /// [`RsaKeyError`] for anything that is not a usable RSA private key: not PEM, another
    /// label, an encrypted key, a non-RSA key, malformed DER, inconsistent key components, or
    /// a modulus over [`MAX_MODULUS_BITS`].
    pub fn from_pem(pem: &str) -> Result<Self, RsaKeyError> {
        let block = parse_pem(pem)?;
        match block.label.as_str() {
            "RSA PRIVATE KEY" => private_from_pkcs1_der(&block.der).map(Self),
            "PRIVATE KEY" => private_from_pkcs8_der(&block.der).map(Self),
            "ENCRYPTED PRIVATE KEY" => Err(RsaKeyError::Encrypted),
            "EC PRIVATE KEY" | "DSA PRIVATE KEY" => Err(RsaKeyError::NotRsa),
            other => Err(RsaKeyError::UnsupportedPemLabel(sanitize_label(other))),
        }
    }

    /// The public half `(n, e)` of this key (RFC 3447 §3.2).
    #[must_use]
    pub fn public_key(&self) -> RsaPublicKey {
        RsaPublicKey(self.0.to_public_key())
    }

    /// The size of the modulus `n` in bits (e.g. 1024 for the RFC 5849 test key).
    #[must_use]
    pub fn bits(&self) -> usize {
        self.0.n().bits()
    }
}

impl RsaPublicKey {
    /// Loads a public key from PEM text (RFC 7468).
    ///
    /// Accepts `-----BEGIN PUBLIC KEY-----` (X.509 `SubjectPublicKeyInfo`, RFC 5280 §4.1.2.7),
    /// `-----BEGIN RSA PUBLIC KEY-----` (PKCS#1 `RSAPublicKey`, RFC 3447 Appendix A.1.1) and
    /// `-----BEGIN CERTIFICATE-----` (X.509 certificate, RFC 5280 §4.1; also the legacy labels
    /// `X509 CERTIFICATE` and `X.509 CERTIFICATE` of RFC 7468 §5.1), from which the
    /// `subjectPublicKeyInfo` is extracted. The algorithm of a `SubjectPublicKeyInfo` must be
    /// `rsaEncryption` (1.2.840.113549.1.1.1; RFC 3279 §2.3.1) with NULL or absent parameters.
    /// The certificate itself is not validated in any way.
    ///
    /// The PEM envelope is parsed laxly, as described on [`RsaPrivateKey::from_pem`].
    ///
    /// # Errors
    ///
    /// [`RsaKeyError`] for anything that is not a usable RSA public key.
    pub fn from_pem(pem: &str) -> Result<Self, RsaKeyError> {
        let block = parse_pem(pem)?;
        match block.label.as_str() {
            "PUBLIC KEY" => public_from_spki_der(&block.der).map(Self),
            "RSA PUBLIC KEY" => public_from_pkcs1_der(&block.der).map(Self),
            "CERTIFICATE" | "X509 CERTIFICATE" | "X.509 CERTIFICATE" => {
                public_from_certificate_der(&block.der).map(Self)
            }
            other => Err(RsaKeyError::UnsupportedPemLabel(sanitize_label(other))),
        }
    }

    /// The size of the modulus `n` in bits.
    #[must_use]
    pub fn bits(&self) -> usize {
        self.0.n().bits()
    }

    /// Length `k` of the modulus in octets (RFC 3447 §8.2.2), which is also the length of
    /// every valid signature.
    fn modulus_len(&self) -> usize {
        self.0.size()
    }
}

/// Computes the `oauth_signature` value for the `RSA-SHA1` method
/// ([RFC 5849 §3.4.3.1](https://www.rfc-editor.org/rfc/rfc5849#section-3.4.3.1)), or its
/// SHA-256 / SHA-512 analogue.
///
/// This is `S = RSASSA-PKCS1-V1_5-SIGN(K, M)` of
/// [RFC 3447 §8.2.1](https://www.rfc-editor.org/rfc/rfc3447#section-8.2.1) with `M` = the
/// signature base string (§3.4.1), followed by base64 encoding of the octet string `S`
/// (standard alphabet with `=` padding, no line breaks). `S` always has exactly `k` octets,
/// `k` being the modulus length, leading zero octets included (RFC 3447 §8.2.1 step 2c,
/// I2OSP). PKCS#1 v1.5 signing is deterministic: the same key and base string always
/// give the same signature.
///
/// The private-key operation is not blinded; this is a reference implementation for test
/// harnesses, not for handling production secrets.
///
/// # Errors
///
/// [`RsaSignError::KeyTooSmall`] if `k < tLen + 11` for the chosen hash (RFC 3447 §9.2
/// step 3, "intended encoded message length too short"), e.g. SHA-512 with a 512-bit key;
/// [`RsaSignError::Failed`] if the RSA primitive itself fails.
pub fn rsa_sign(hash: RsaHash, key: &RsaPrivateKey, base_string: &[u8]) -> Result<String, RsaSignError> {
    let k = key.0.size();
    let needed = hash.digest_info_len().saturating_add(11);
    if k < needed {
        return Err(RsaSignError::KeyTooSmall { hash, bits: key.bits() });
    }
    let digest = hash.digest(base_string);
    let signature = key.0.sign(hash.scheme(), &digest).map_err(|e| match e {
        rsa::Error::MessageTooLong => RsaSignError::KeyTooSmall { hash, bits: key.bits() },
        other => RsaSignError::Failed(other.to_string()),
    })?;
    Ok(BASE64_STANDARD.encode(signature))
}

/// Verifies an `RSA-SHA1` (or SHA-256 / SHA-512) `oauth_signature` value
/// ([RFC 5849 §3.4.3.2](https://www.rfc-editor.org/rfc/rfc5849#section-3.4.3.2)).
///
/// `signature_base64` is the `oauth_signature` parameter value after percent-decoding. It
/// must be standard base64 with `=` padding and no whitespace, and decode to exactly `k`
/// octets (the modulus length; RFC 3447 §8.2.2 step 1). The check itself is
/// `RSASSA-PKCS1-V1_5-VERIFY((n, e), M, S)` of
/// [RFC 3447 §8.2.2](https://www.rfc-editor.org/rfc/rfc3447#section-8.2.2) with `M` = the
/// base string: the recomputed encoding `EM'` must equal `EM` octet for octet, so a
/// DigestInfo without the NULL parameters is rejected.
///
/// Returns `false` on bad base64, a wrong length, a signature representative out of range,
/// or any mismatch; never panics.
#[must_use]
pub fn rsa_verify(hash: RsaHash, key: &RsaPublicKey, base_string: &[u8], signature_base64: &str) -> bool {
    let Some(signature) = signature_octets(key, signature_base64) else {
        return false;
    };
    let digest = hash.digest(base_string);
    key.0.verify(hash.scheme(), &digest, &signature).is_ok()
}

/// The octets of an `oauth_signature` value: canonical padded base64 of exactly `k` octets
/// (RFC 3447 §8.2.2 step 1), else `None`.
fn signature_octets(key: &RsaPublicKey, signature_base64: &str) -> Option<Vec<u8>> {
    let k = key.modulus_len();
    // Canonical padded base64 of k octets is exactly 4 * ceil(k / 3) characters; checking
    // this first bounds the work done on hostile input.
    if signature_base64.len() != k.div_ceil(3).saturating_mul(4) {
        return None;
    }
    let signature = BASE64_STANDARD.decode(signature_base64).ok()?;
    (signature.len() == k).then_some(signature)
}

/// A signature opened with the public key: the encoded message `EM` of steps 1–2 of
/// RSASSA-PKCS1-V1_5-VERIFY ([RFC 3447 §8.2.2](https://www.rfc-editor.org/rfc/rfc3447#section-8.2.2):
/// length check, OS2IP, RSAVP1, I2OSP).
///
/// Checking many candidate base strings against one signature (as quirk attribution does)
/// then costs a hash and a comparison each ([`OpenedRsaSignature::signs`]) instead of a
/// modular exponentiation each. `open_rsa_signature(..).is_some_and(|o| o.signs(..))` decides
/// exactly what [`rsa_verify`] decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedRsaSignature(Vec<u8>);

impl OpenedRsaSignature {
    /// Steps 3–4 of RFC 3447 §8.2.2: whether `EM` is the EMSA-PKCS1-v1_5 encoding
    /// (RFC 3447 §9.2) of `base_string` under `hash`, octet for octet.
    #[must_use]
    pub fn signs(&self, hash: RsaHash, base_string: &[u8]) -> bool {
        let prefix = hash.scheme().prefix;
        let digest = hash.digest(base_string);
        // EM = 0x00 || 0x01 || PS (0xff, at least 8 octets) || 0x00 || DigestInfo prefix || H(M)
        let Some(padding_len) = self.0.len().checked_sub(prefix.len() + digest.len() + 3) else {
            return false;
        };
        let Some(rest) = self.0.strip_prefix(&[0x00, 0x01][..]) else {
            return false;
        };
        let Some((padding, rest)) = rest.split_at_checked(padding_len) else {
            return false;
        };
        padding_len >= 8
            && padding.iter().all(|&b| b == 0xff)
            && rest.strip_prefix(&[0x00][..]).and_then(|t| t.strip_prefix(&*prefix)) == Some(digest.as_slice())
    }
}

/// Opens an `oauth_signature` value with the public key (see [`OpenedRsaSignature`]), under
/// the same input rules as [`rsa_verify`]: canonical padded base64 of exactly `k` octets whose
/// integer is below the modulus. `None` when it breaks them; never panics.
#[must_use]
pub fn open_rsa_signature(key: &RsaPublicKey, signature_base64: &str) -> Option<OpenedRsaSignature> {
    let k = key.modulus_len();
    let s = BigUint::from_bytes_be(&signature_octets(key, signature_base64)?);
    if &s >= key.0.n() {
        return None;
    }
    let m = s.modpow(key.0.e(), key.0.n()).to_bytes_be();
    let mut em = vec![0u8; k.checked_sub(m.len())?];
    em.extend_from_slice(&m);
    Some(OpenedRsaSignature(em))
}

/// Why an RSA key could not be loaded. Messages never contain key bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RsaKeyError {
    /// No `-----BEGIN ...-----` line was found: the input is not PEM (RFC 7468 §2).
    NotPem,
    /// The PEM envelope is broken: missing or mismatched `-----END` line, RFC 1421 headers,
    /// or invalid base64 between the boundaries.
    MalformedPem(String),
    /// The PEM label names a structure this function does not accept (e.g. a public key
    /// given to [`RsaPrivateKey::from_pem`]). Carries the label, sanitized and truncated.
    UnsupportedPemLabel(String),
    /// The private key is encrypted (`ENCRYPTED PRIVATE KEY`, or an RFC 1421
    /// `Proc-Type: 4,ENCRYPTED` header); only unencrypted keys are supported.
    Encrypted,
    /// The DER content is not a well-formed key of the expected structure, or its
    /// components are inconsistent. The message describes the problem, not the key.
    InvalidKey(String),
    /// The key is well-formed but not an `rsaEncryption` RSA key (e.g. EC, DSA, RSASSA-PSS).
    NotRsa,
    /// The PEM input is longer than [`MAX_PEM_LEN`] bytes.
    InputTooLarge {
        /// Length of the input in bytes.
        len: usize,
    },
    /// The modulus is larger than [`MAX_MODULUS_BITS`].
    ModulusTooLarge {
        /// Size of the modulus in bits.
        bits: usize,
    },
}

impl fmt::Display for RsaKeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotPem => f.write_str("input is not PEM: no \"-----BEGIN\" line found"),
            Self::MalformedPem(why) => write!(f, "malformed PEM: {why}"),
            Self::UnsupportedPemLabel(label) => {
                write!(f, "unsupported PEM label \"{label}\" for this key type")
            }
            Self::Encrypted => f.write_str("encrypted private keys are not supported"),
            Self::InvalidKey(why) => write!(f, "invalid RSA key: {why}"),
            Self::NotRsa => f.write_str("key is not an RSA (rsaEncryption) key"),
            Self::InputTooLarge { len } => {
                write!(f, "PEM input of {len} bytes exceeds the limit of {MAX_PEM_LEN}")
            }
            Self::ModulusTooLarge { bits } => {
                write!(f, "RSA modulus of {bits} bits exceeds the limit of {MAX_MODULUS_BITS}")
            }
        }
    }
}

impl std::error::Error for RsaKeyError {}

/// Why an RSA signature could not be computed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RsaSignError {
    /// The modulus is too short to hold the DigestInfo for this hash: `k < tLen + 11`
    /// ([RFC 3447 §9.2](https://www.rfc-editor.org/rfc/rfc3447#section-9.2) step 3).
    KeyTooSmall {
        /// The requested hash.
        hash: RsaHash,
        /// Size of the key's modulus in bits.
        bits: usize,
    },
    /// The RSA signature primitive failed (RFC 3447 §8.2.1 step 2).
    Failed(String),
}

impl fmt::Display for RsaSignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::KeyTooSmall { hash, bits } => {
                write!(f, "a {bits}-bit RSA key is too small for a PKCS#1 v1.5 {} signature", hash.name())
            }
            Self::Failed(why) => write!(f, "RSA private-key operation failed: {why}"),
        }
    }
}

impl std::error::Error for RsaSignError {}

// ---------------------------------------------------------------------------------------
// PEM envelope (RFC 7468)
// ---------------------------------------------------------------------------------------

/// One decoded PEM block.
struct PemBlock {
    label: String,
    der: Vec<u8>,
}

/// Finds the first PEM block in `input` and base64-decodes its content.
fn parse_pem(input: &str) -> Result<PemBlock, RsaKeyError> {
    if input.len() > MAX_PEM_LEN {
        return Err(RsaKeyError::InputTooLarge { len: input.len() });
    }
    let mut lines = input.lines().map(str::trim);
    let label = loop {
        let Some(line) = lines.next() else {
            return Err(RsaKeyError::NotPem);
        };
        if let Some(rest) = line.strip_prefix("-----BEGIN ") {
            let label = rest
                .strip_suffix("-----")
                .ok_or_else(|| RsaKeyError::MalformedPem("\"-----BEGIN\" line does not end in \"-----\"".into()))?;
            break label;
        }
    };
    if label.is_empty() || !label.chars().all(|c| c == ' ' || c.is_ascii_graphic()) {
        return Err(RsaKeyError::MalformedPem("invalid PEM label".into()));
    }

    let mut base64_text = String::new();
    let mut saw_end = false;
    for line in lines.by_ref() {
        if let Some(rest) = line.strip_prefix("-----END ") {
            if rest.strip_suffix("-----") != Some(label) {
                return Err(RsaKeyError::MalformedPem(
                    "\"-----END\" line does not match the \"-----BEGIN\" label".into(),
                ));
            }
            saw_end = true;
            break;
        }
        if line.contains(':') {
            // RFC 1421 encapsulated headers, as written by legacy encrypted PEM keys.
            if line.starts_with("Proc-Type:") && line.contains("ENCRYPTED") {
                return Err(RsaKeyError::Encrypted);
            }
            return Err(RsaKeyError::MalformedPem("PEM headers are not supported (RFC 7468 §2)".into()));
        }
        base64_text.extend(line.chars().filter(|c| !c.is_ascii_whitespace()));
    }
    if !saw_end {
        return Err(RsaKeyError::MalformedPem("missing \"-----END\" line".into()));
    }
    let der = BASE64_STANDARD
        .decode(base64_text.as_bytes())
        .map_err(|_| RsaKeyError::MalformedPem("invalid base64 between the boundaries".into()))?;
    Ok(PemBlock { label: label.to_owned(), der })
}

/// A label safe to echo in an error message: printable ASCII only, bounded length.
fn sanitize_label(label: &str) -> String {
    label.chars().filter(|c| *c == ' ' || c.is_ascii_graphic()).take(MAX_LABEL_ECHO).collect()
}

// ---------------------------------------------------------------------------------------
// DER structures
// ---------------------------------------------------------------------------------------

/// A DER error as an [`RsaKeyError::InvalidKey`]; `der` errors describe positions and tags,
/// never content.
fn invalid(context: &str, err: impl fmt::Display) -> RsaKeyError {
    RsaKeyError::InvalidKey(format!("{context}: {err}"))
}

/// Requires `algorithm` to be `rsaEncryption` (RFC 3279 §2.3.1, RFC 3447 Appendix A.1)
/// with NULL (or, leniently, absent) parameters.
fn check_rsa_algorithm(algorithm: &AlgorithmIdentifierRef<'_>) -> Result<(), RsaKeyError> {
    if algorithm.oid != RSA_ENCRYPTION_OID {
        return Err(RsaKeyError::NotRsa);
    }
    match algorithm.parameters {
        None => Ok(()),
        Some(params) if params.is_null() => Ok(()),
        Some(_) => Err(RsaKeyError::InvalidKey("rsaEncryption parameters must be NULL".into())),
    }
}

fn uint(bytes: &[u8]) -> BigUint {
    BigUint::from_bytes_be(bytes)
}

/// PKCS#1 `RSAPrivateKey` (RFC 3447 Appendix A.1.2).
fn private_from_pkcs1_der(der: &[u8]) -> Result<rsa::RsaPrivateKey, RsaKeyError> {
    let key = Pkcs1PrivateKey::from_der(der).map_err(|e| invalid("PKCS#1 RSAPrivateKey", e))?;
    private_from_pkcs1(&key)
}

/// PKCS#8 `PrivateKeyInfo` (RFC 5208 §5) wrapping a PKCS#1 `RSAPrivateKey`.
fn private_from_pkcs8_der(der: &[u8]) -> Result<rsa::RsaPrivateKey, RsaKeyError> {
    let info = PrivateKeyInfo::from_der(der).map_err(|e| invalid("PKCS#8 PrivateKeyInfo", e))?;
    check_rsa_algorithm(&info.algorithm)?;
    private_from_pkcs1_der(info.private_key)
}

fn private_from_pkcs1(key: &Pkcs1PrivateKey<'_>) -> Result<rsa::RsaPrivateKey, RsaKeyError> {
    if key.version() != Pkcs1Version::TwoPrime || key.other_prime_infos.is_some() {
        return Err(RsaKeyError::InvalidKey("multi-prime RSA keys are not supported".into()));
    }
    let n = uint(key.modulus.as_bytes());
    let e = uint(key.public_exponent.as_bytes());
    let d = uint(key.private_exponent.as_bytes());
    let p = uint(key.prime1.as_bytes());
    let q = uint(key.prime2.as_bytes());
    let n_bits = n.bits();
    if n_bits > MAX_MODULUS_BITS {
        return Err(RsaKeyError::ModulusTooLarge { bits: n_bits });
    }
    if e.bits() > MAX_PUBLIC_EXPONENT_BITS {
        return Err(RsaKeyError::InvalidKey("public exponent too large".into()));
    }
    if d.bits() > n_bits || p.bits() > n_bits || q.bits() > n_bits {
        return Err(RsaKeyError::InvalidKey("key component larger than the modulus".into()));
    }
    rsa::RsaPrivateKey::from_components(n, e, d, vec![p, q]).map_err(|e| invalid("inconsistent key components", e))
}

/// PKCS#1 `RSAPublicKey` (RFC 3447 Appendix A.1.1).
fn public_from_pkcs1_der(der: &[u8]) -> Result<rsa::RsaPublicKey, RsaKeyError> {
    let key = Pkcs1PublicKey::from_der(der).map_err(|e| invalid("PKCS#1 RSAPublicKey", e))?;
    let n = uint(key.modulus.as_bytes());
    let e = uint(key.public_exponent.as_bytes());
    let n_bits = n.bits();
    if n_bits > MAX_MODULUS_BITS {
        return Err(RsaKeyError::ModulusTooLarge { bits: n_bits });
    }
    rsa::RsaPublicKey::new_with_max_size(n, e, MAX_MODULUS_BITS).map_err(|e| invalid("unusable public key", e))
}

/// The RSA key inside a decoded `SubjectPublicKeyInfo` (RFC 5280 §4.1.2.7, RFC 3279 §2.3.1).
fn public_from_spki(spki: &SubjectPublicKeyInfoRef<'_>) -> Result<rsa::RsaPublicKey, RsaKeyError> {
    check_rsa_algorithm(&spki.algorithm)?;
    let bits = spki
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| RsaKeyError::InvalidKey("subjectPublicKey BIT STRING has unused bits".into()))?;
    public_from_pkcs1_der(bits)
}

/// X.509 `SubjectPublicKeyInfo` (RFC 5280 §4.1.2.7).
fn public_from_spki_der(der: &[u8]) -> Result<rsa::RsaPublicKey, RsaKeyError> {
    let spki = SubjectPublicKeyInfoRef::from_der(der).map_err(|e| invalid("SubjectPublicKeyInfo", e))?;
    public_from_spki(&spki)
}

/// Extracts `tbsCertificate.subjectPublicKeyInfo` from an X.509 certificate
/// ([RFC 5280 §4.1](https://www.rfc-editor.org/rfc/rfc5280#section-4.1)):
///
/// ```text
/// Certificate  ::=  SEQUENCE  {
///      tbsCertificate       TBSCertificate,
///      signatureAlgorithm   AlgorithmIdentifier,
///      signatureValue       BIT STRING  }
/// TBSCertificate  ::=  SEQUENCE  {
///      version         [0]  EXPLICIT Version DEFAULT v1,
///      serialNumber         CertificateSerialNumber,   -- INTEGER
///      signature            AlgorithmIdentifier,       -- SEQUENCE
///      issuer               Name,                      -- SEQUENCE
///      validity             Validity,                  -- SEQUENCE
///      subject              Name,                      -- SEQUENCE
///      subjectPublicKeyInfo SubjectPublicKeyInfo,
///      ... optional unique identifiers and extensions }
/// ```
///
/// Every element is checked to be a well-formed TLV of the expected tag, but nothing else
/// about the certificate is interpreted.
fn public_from_certificate_der(der: &[u8]) -> Result<rsa::RsaPublicKey, RsaKeyError> {
    let spki = parse_certificate_spki(der).map_err(|e| invalid("X.509 Certificate", e))?;
    public_from_spki(&spki)
}

fn parse_certificate_spki(der: &[u8]) -> rsa::pkcs8::der::Result<SubjectPublicKeyInfoRef<'_>> {
    /// Skips one complete TLV, requiring its tag to be `expected`.
    fn skip<'a, R: Reader<'a>>(reader: &mut R, expected: Tag) -> rsa::pkcs8::der::Result<()> {
        reader.peek_tag()?.assert_eq(expected)?;
        reader.tlv_bytes()?;
        Ok(())
    }

    let mut reader = SliceReader::new(der)?;
    let spki = reader.sequence(|certificate| {
        let spki = certificate.sequence(|tbs| {
            let version_tag = Tag::ContextSpecific { constructed: true, number: TagNumber::N0 };
            if tbs.peek_tag()? == version_tag {
                tbs.tlv_bytes()?;
            }
            skip(tbs, Tag::Integer)?; // serialNumber
            skip(tbs, Tag::Sequence)?; // signature
            skip(tbs, Tag::Sequence)?; // issuer
            skip(tbs, Tag::Sequence)?; // validity
            skip(tbs, Tag::Sequence)?; // subject
            let spki: SubjectPublicKeyInfoRef<'_> = tbs.decode()?;
            // issuerUniqueID, subjectUniqueID, extensions: not interpreted.
            while !tbs.is_finished() {
                tbs.tlv_bytes()?;
            }
            Ok(spki)
        })?;
        skip(certificate, Tag::Sequence)?; // signatureAlgorithm
        skip(certificate, Tag::BitString)?; // signatureValue
        Ok(spki)
    })?;
    reader.finish(spki)
}

#[cfg(test)]
mod tests {
    use super::*;

    // ---- Test data -------------------------------------------------------------------
    //
    // The RSA-SHA1 test case of the oauth.net wiki (http://wiki.oauth.net/TestCases,
    // "RSA-SHA1 (section 9.3) #1"): private key, certificate, base string and signature,
    // copied verbatim from liboauth's self-test (selftest.c, "testing liboauth against
    // http://wiki.oauth.net/TestCases"). The same certificate and signature also appear,
    // for instance, in the RSA-SHA1 specs of Ruby's `oauth` gem and of `signet`, and in
    // Apache Shindig's signing tests. (OpenSSL 3.0.19 reproduces the signature from this
    // key: `openssl dgst -sha1 -sign wiki_pkcs8.pem base.txt | base64 -w0`.)

    /// PKCS#8 private key of the oauth.net test case (published).
    const WIKI_PRIVATE_KEY_PKCS8: &str = "-----BEGIN PRIVATE KEY-----
MIICdgIBADANBgkqhkiG9w0BAQEFAASCAmAwggJcAgEAAoGBALRiMLAh9iimur8V
A7qVvdqxevEuUkW4K+2KdMXmnQbG9Aa7k7eBjK1S+0LYmVjPKlJGNXHDGuy5Fw/d
7rjVJ0BLB+ubPK8iA/Tw3hLQgXMRRGRXXCn8ikfuQfjUS1uZSatdLB81mydBETlJ
hI6GH4twrbDJCR2Bwy/XWXgqgGRzAgMBAAECgYBYWVtleUzavkbrPjy0T5FMou8H
X9u2AC2ry8vD/l7cqedtwMPp9k7TubgNFo+NGvKsl2ynyprOZR1xjQ7WgrgVB+mm
uScOM/5HVceFuGRDhYTCObE+y1kxRloNYXnx3ei1zbeYLPCHdhxRYW7T0qcynNmw
rn05/KO2RLjgQNalsQJBANeA3Q4Nugqy4QBUCEC09SqylT2K9FrrItqL2QKc9v0Z
zO2uwllCbg0dwpVuYPYXYvikNHHg+aCWF+VXsb9rpPsCQQDWR9TT4ORdzoj+Nccn
qkMsDmzt0EfNaAOwHOmVJ2RVBspPcxt5iN4HI7HNeG6U5YsFBb+/GZbgfBT3kpNG
WPTpAkBI+gFhjfJvRw38n3g/+UeAkwMI2TJQS4n8+hid0uus3/zOjDySH3XHCUno
cn1xOJAyZODBo47E+67R4jV1/gzbAkEAklJaspRPXP877NssM5nAZMU0/O/NGCZ+
3jPgDUno6WbJn5cqm8MqWhW1xGkImgRk+fkDBquiq4gPiT898jusgQJAd5Zrr6Q8
AO/0isr/3aa6O6NLQxISLKcPDk2NOccAfS/xOtfOz4sJYM3+Bs4Io9+dZGSDCA54
Lw03eHTNQghS0A==
-----END PRIVATE KEY-----
";

    /// X.509 certificate of the oauth.net test case (published).
    const WIKI_CERTIFICATE: &str = "-----BEGIN CERTIFICATE-----
MIIBpjCCAQ+gAwIBAgIBATANBgkqhkiG9w0BAQUFADAZMRcwFQYDVQQDDA5UZXN0
IFByaW5jaXBhbDAeFw03MDAxMDEwODAwMDBaFw0zODEyMzEwODAwMDBaMBkxFzAV
BgNVBAMMDlRlc3QgUHJpbmNpcGFsMIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKB
gQC0YjCwIfYoprq/FQO6lb3asXrxLlJFuCvtinTF5p0GxvQGu5O3gYytUvtC2JlY
zypSRjVxwxrsuRcP3e641SdASwfrmzyvIgP08N4S0IFzEURkV1wp/IpH7kH41Etb
mUmrXSwfNZsnQRE5SYSOhh+LcK2wyQkdgcMv11l4KoBkcwIDAQABMA0GCSqGSIb3
DQEBBQUAA4GBAGZLPEuJ5SiJ2ryq+CmEGOXfvlTtEL2nuGtr9PewxkgnOjZpUy+d
4TvuXJbNQc8f4AMWL/tO9w0Fk80rWKp9ea8/df4qMq5qlFWlx6yOLQxumNOmECKb
WpkUQDIDJEoFUzKMVuJf4KO/FJ345+BNLGgbJ6WujreoM1X/gYfdnJ/J
-----END CERTIFICATE-----
";

    /// Signature base string of the oauth.net test case (published; "vacaction" sic).
    const WIKI_BASE_STRING: &str = "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacaction.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D13917289812797014437%26oauth_signature_method%3DRSA-SHA1%26oauth_timestamp%3D1196666512%26oauth_version%3D1.0%26size%3Doriginal";

    /// RSA-SHA1 signature of the oauth.net test case (published).
    const WIKI_SIGNATURE_SHA1: &str = "jvTp/wX1TYtByB1m+Pbyo0lnCOLIsyGCH7wke8AUs3BpnwZJtAuEJkvQL2/9n4s5wUmUl4aCI4BwpraNx4RtEXMe5qg5T1LVTGliMRpKasKsW//e+RinhejgCuzoH26dyF8iY2ZZ/5D1ilgeijhV/vBka5twt399mXwaYdCwFYE=";

    /// The wiki key converted to PKCS#1 by OpenSSL 3.0:
    /// `openssl rsa -in wiki_pkcs8.pem -traditional`.
    const WIKI_PRIVATE_KEY_PKCS1: &str = "-----BEGIN RSA PRIVATE KEY-----
MIICXAIBAAKBgQC0YjCwIfYoprq/FQO6lb3asXrxLlJFuCvtinTF5p0GxvQGu5O3
gYytUvtC2JlYzypSRjVxwxrsuRcP3e641SdASwfrmzyvIgP08N4S0IFzEURkV1wp
/IpH7kH41EtbmUmrXSwfNZsnQRE5SYSOhh+LcK2wyQkdgcMv11l4KoBkcwIDAQAB
AoGAWFlbZXlM2r5G6z48tE+RTKLvB1/btgAtq8vLw/5e3KnnbcDD6fZO07m4DRaP
jRryrJdsp8qazmUdcY0O1oK4FQfpprknDjP+R1XHhbhkQ4WEwjmxPstZMUZaDWF5
8d3otc23mCzwh3YcUWFu09KnMpzZsK59OfyjtkS44EDWpbECQQDXgN0ODboKsuEA
VAhAtPUqspU9ivRa6yLai9kCnPb9GcztrsJZQm4NHcKVbmD2F2L4pDRx4Pmglhfl
V7G/a6T7AkEA1kfU0+DkXc6I/jXHJ6pDLA5s7dBHzWgDsBzplSdkVQbKT3MbeYje
ByOxzXhulOWLBQW/vxmW4HwU95KTRlj06QJASPoBYY3yb0cN/J94P/lHgJMDCNky
UEuJ/PoYndLrrN/8zow8kh91xwlJ6HJ9cTiQMmTgwaOOxPuu0eI1df4M2wJBAJJS
WrKUT1z/O+zbLDOZwGTFNPzvzRgmft4z4A1J6OlmyZ+XKpvDKloVtcRpCJoEZPn5
AwaroquID4k/PfI7rIECQHeWa6+kPADv9IrK/92mujujS0MSEiynDw5NjTnHAH0v
8TrXzs+LCWDN/gbOCKPfnWRkgwgOeC8NN3h0zUIIUtA=
-----END RSA PRIVATE KEY-----
";

    /// SubjectPublicKeyInfo of the wiki certificate, from OpenSSL 3.0:
    /// `openssl x509 -in wiki_cert.pem -noout -pubkey`.
    const WIKI_PUBLIC_KEY_SPKI: &str = "-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC0YjCwIfYoprq/FQO6lb3asXrx
LlJFuCvtinTF5p0GxvQGu5O3gYytUvtC2JlYzypSRjVxwxrsuRcP3e641SdASwfr
mzyvIgP08N4S0IFzEURkV1wp/IpH7kH41EtbmUmrXSwfNZsnQRE5SYSOhh+LcK2w
yQkdgcMv11l4KoBkcwIDAQAB
-----END PUBLIC KEY-----
";

    /// PKCS#1 RSAPublicKey of the wiki key, from OpenSSL 3.0:
    /// `openssl rsa -in wiki_pkcs8.pem -RSAPublicKey_out`.
    const WIKI_PUBLIC_KEY_PKCS1: &str = "-----BEGIN RSA PUBLIC KEY-----
MIGJAoGBALRiMLAh9iimur8VA7qVvdqxevEuUkW4K+2KdMXmnQbG9Aa7k7eBjK1S
+0LYmVjPKlJGNXHDGuy5Fw/d7rjVJ0BLB+ubPK8iA/Tw3hLQgXMRRGRXXCn8ikfu
QfjUS1uZSatdLB81mydBETlJhI6GH4twrbDJCR2Bwy/XWXgqgGRzAgMBAAE=
-----END RSA PUBLIC KEY-----
";

    /// RSA-SHA256 of `WIKI_BASE_STRING` (no trailing newline) under the wiki key, computed
    /// by OpenSSL 3.0.19: `printf '%s' "$BASE" | openssl dgst -sha256 -sign wiki_pkcs8.pem |
    /// base64 -w0`.
    const OPENSSL_SIGNATURE_SHA256: &str = "iI5WSokfMWqDkaN7CzkOA+NcF/rAbJerT7FkX2JZ5pthz8tqY+zniPvbxid/QMJ40DHxY1+vqY5ULN9TlTSebdFoKiWfv/nFw/G4njPoFvao7T4kRNTItO3WaB7ZwFFbkSRyCKgB4jDapsHFUlbWaXqJ4zIZ7T36J6KkAi0wbKo=";

    /// RSA-SHA512 of `WIKI_BASE_STRING` under the wiki key, computed by OpenSSL 3.0.19:
    /// `printf '%s' "$BASE" | openssl dgst -sha512 -sign wiki_pkcs8.pem | base64 -w0`.
    const OPENSSL_SIGNATURE_SHA512: &str = "KM3xiLxg+5PutfBjl02z9D0rdbjh2g24fTGmKGip/qUQq8/lopakMhv61xKrKEsY2Xzu6Cbmf7bHKz0wV77w0BZ7dRo8WAAwzzIebx9fMLE+Bs9Kg0NFed507P5Rr/AdtPAqtfm5VV+vgqQIPduZQXyCnYOh+1YvGsaVZ87PKbQ=";

    /// RSA-SHA256 of the message `msg-218` under the wiki key, computed by OpenSSL 3.0.19:
    /// `printf 'msg-218' | openssl dgst -sha256 -sign wiki_pkcs8.pem | base64 -w0`. The
    /// first octet of this signature is 0x00 (the message was chosen by searching for that),
    /// so it checks the I2OSP left padding of RFC 3447 §8.2.1 step 2c.
    const OPENSSL_SIGNATURE_SHA256_LEADING_ZERO: &str = "AJ6WJrJtGZf4dDbwaBU+B55YhYUNT22z++r6vkZuisLq/isZw876/n9H8eKqa958pDjLVojXBwoYN4slGhT84PUXmQasw9jIBROCdZBVemj4O31m9U8Dwt/r+AiyE4ff8iy7NCv1isTu4sxOz1AOBaVFJT1rdnMuiUHhFOU2zYQ=";

    /// RSA-SHA1 of the empty message under the wiki key, computed by OpenSSL 3.0.19:
    /// `printf '' | openssl dgst -sha1 -sign wiki_pkcs8.pem | base64 -w0`.
    const OPENSSL_SIGNATURE_SHA1_EMPTY: &str = "RGsxLlYxC6Sg1r4+VoHK//FtkNvAdEsb7Fxj/iQPaSDY26ONIUPbMs7gJRU6UmOUuox0AUykMb8CvPL19nGDdB5xdGlki/lvtNqowwKYuNNg7Q4XyWQcoV26lk1mN/OXDhUjVZdozPHwLpwEfomrgvjXTTK2RIpLxdJAVZeUP1U=";

    /// A 512-bit test key generated with OpenSSL 3.0: `openssl genrsa -traditional 512`.
    const SMALL_512_PKCS1: &str = "-----BEGIN RSA PRIVATE KEY-----
MIIBPAIBAAJBAMlacIWGBG0usXh5SPM/faridXv6mSkAzAwZ+RJ3v/BuBW1LQxlq
mP+3cvq+2DKD2sdSZdxXfYEOyXUKMIdamC8CAwEAAQJBAIyjJbqta8QS/BRIqoJ0
U0MbX7HTzEyOaPb+4TBcAe1cviBDSebLXtfLTbU2hpRlSkEMsG5C+kEfTsp/FLHr
uTkCIQDoc40N7BsQVrvq4ocKNMDQHowHv1pY3mewCgQdGu89wwIhAN3AYh0pem5O
lVjP5i03Z76uqgcCWs9qSaL/FnpSPPklAiBN7aclOrlcAeff9++TwVm+q+8ADeup
DW6verwkUcpQ5wIhAIqJ1sJBV6vyjHuf5z34j2gh1zfp0LIkxTyAAZsKJe3BAiEA
wV2hudD0A9IioiJz2bvssMu4QxOM11R5wYvhwkyNP+I=
-----END RSA PRIVATE KEY-----
";

    /// RSA-SHA1 and RSA-SHA256 of `WIKI_BASE_STRING` under `SMALL_512_PKCS1`, from
    /// OpenSSL 3.0.19: `openssl dgst -sha1 -sign small.pem base.txt | base64 -w0` (and
    /// `-sha256`). `-sha512` fails in OpenSSL too ("digest too big for rsa key").
    const OPENSSL_SMALL_SHA1: &str =
        "KkuewymSvYu5staxbT2If1js7cIvyC6c/wm95zoU1SC2hUUjtY9OC5F8GkRy8tFZwy3WnA5gesanoFNiVlYc7Q==";
    const OPENSSL_SMALL_SHA256: &str =
        "svdpRTY0g10K5dCca+O7+EP6LWszlL6FVPLxuEEst7X8BQMNPjNCxLYMNup0v+gxlQORiuinNb00zZUTXoRubA==";

    /// EC (P-256) keys generated with OpenSSL 3.0: `openssl ecparam -name prime256v1
    /// -genkey -noout`, then `openssl pkcs8 -topk8 -nocrypt`, `openssl ec -pubout`, and
    /// `openssl req -new -x509 -key ec.pem -subj /CN=ec`.
    const EC_PRIVATE_KEY_SEC1: &str = "-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIEO6ReG1pMOpDrtND51eXckKLF+R35A6uRu4HVNxnUGfoAoGCCqGSM49
AwEHoUQDQgAE6UUvvy2QSymSXJYdmqWk/n0DJ47H90epWz2jTr1ln17Y88EXbQhP
A8+8WX7rfyU/G7vywVIn0S656QzSyjykCg==
-----END EC PRIVATE KEY-----
";
    const EC_PRIVATE_KEY_PKCS8: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgQ7pF4bWkw6kOu00P
nV5dyQosX5HfkDq5G7gdU3GdQZ+hRANCAATpRS+/LZBLKZJclh2apaT+fQMnjsf3
R6lbPaNOvWWfXtjzwRdtCE8Dz7xZfut/JT8bu/LBUifRLrnpDNLKPKQK
-----END PRIVATE KEY-----
";
    const EC_PUBLIC_KEY: &str = "-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE6UUvvy2QSymSXJYdmqWk/n0DJ47H
90epWz2jTr1ln17Y88EXbQhPA8+8WX7rfyU/G7vywVIn0S656QzSyjykCg==
-----END PUBLIC KEY-----
";
    const EC_CERTIFICATE: &str = "-----BEGIN CERTIFICATE-----
MIIBcTCCARegAwIBAgIUO7VYjPrB3IoIJL9PKfe9QR9iAu8wCgYIKoZIzj0EAwIw
DTELMAkGA1UEAwwCZWMwIBcNMjYxMTI3MTkzOTMwWhgPMjEyNjExMDMxOTM5MzBa
MA0xCzAJBgNVBAMMAmVjMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE6UUvvy2Q
SymSXJYdmqWk/n0DJ47H90epWz2jTr1ln17Y88EXbQhPA8+8WX7rfyU/G7vywVIn
0S656QzSyjykCqNTMFEwHQYDVR0OBBYEFNh0XCBoWx/i34cY3uWxg04K0MPAMB8G
A1UdIwQYMBaAFNh0XCBoWx/i34cY3uWxg04K0MPAMA8GA1UdEwEB/wQFMAMBAf8w
CgYIKoZIzj0EAwIDSAAwRQIhALQE/l37pcsNi3u1Aix4gXrEULt1Jb+g6/LNMbxc
GBzvAiA4150pjTMuI90n7h6ubZzCKEJZWITwKylYT69UDVDMvQ==
-----END CERTIFICATE-----
";

    /// An RSASSA-PSS public key (OID 1.2.840.113549.1.1.10, not rsaEncryption), from
    /// OpenSSL 3.0: `openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:1024`,
    /// then `openssl pkey -pubout`.
    const RSA_PSS_PUBLIC_KEY: &str = "-----BEGIN PUBLIC KEY-----
MIGdMAsGCSqGSIb3DQEBCgOBjQAwgYkCgYEAv5TWnlHJOeoP8UuiGOTzij1q/5rp
dItLygbgoQ86CIt+gO+/atlZqEKOvgg7K5+I/TiNmxUGlC92AyNYIGHNvgnEF2X6
8ptd/TSvQqWyAdzNNGKcTm6TgSpbhV0LHJ48SMKaC2ey4XvGZQwqV9lZHoFvseob
eixGfOBzVx4w5FECAwEAAQ==
-----END PUBLIC KEY-----
";

    // ---- Helpers ---------------------------------------------------------------------

    fn wiki_private() -> RsaPrivateKey {
        RsaPrivateKey::from_pem(WIKI_PRIVATE_KEY_PKCS8).unwrap()
    }

    fn wiki_public() -> RsaPublicKey {
        RsaPublicKey::from_pem(WIKI_CERTIFICATE).unwrap()
    }

    /// Base64 body of a PEM (for building mutated inputs).
    fn pem_body_der(pem: &str) -> Vec<u8> {
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        BASE64_STANDARD.decode(body).unwrap()
    }

    fn to_pem(label: &str, der: &[u8]) -> String {
        let b64 = BASE64_STANDARD.encode(der);
        let mut out = format!("-----BEGIN {label}-----\n");
        for chunk in b64.as_bytes().chunks(64) {
            out.push_str(std::str::from_utf8(chunk).unwrap());
            out.push('\n');
        }
        out.push_str(&format!("-----END {label}-----\n"));
        out
    }

    fn flip_bit(signature_b64: &str, byte: usize, bit: u8) -> String {
        let mut raw = BASE64_STANDARD.decode(signature_b64).unwrap();
        raw[byte] ^= 1 << bit;
        BASE64_STANDARD.encode(raw)
    }

    // ---- The published RFC 5849 / oauth.net vector ----------------------------------

    #[test]
    fn wiki_vector_sign_pkcs8() {
        let key = wiki_private();
        assert_eq!(key.bits(), 1024);
        let sig = rsa_sign(RsaHash::Sha1, &key, WIKI_BASE_STRING.as_bytes()).unwrap();
        assert_eq!(sig, WIKI_SIGNATURE_SHA1);
    }

    #[test]
    fn wiki_vector_sign_pkcs1_conversion_is_identical() {
        let key = RsaPrivateKey::from_pem(WIKI_PRIVATE_KEY_PKCS1).unwrap();
        assert_eq!(key.bits(), 1024);
        let sig = rsa_sign(RsaHash::Sha1, &key, WIKI_BASE_STRING.as_bytes()).unwrap();
        assert_eq!(sig, WIKI_SIGNATURE_SHA1);
        assert_eq!(key.public_key(), wiki_private().public_key());
    }

    #[test]
    fn wiki_vector_sign_is_deterministic() {
        let key = wiki_private();
        let a = rsa_sign(RsaHash::Sha1, &key, WIKI_BASE_STRING.as_bytes()).unwrap();
        let b = rsa_sign(RsaHash::Sha1, &key, WIKI_BASE_STRING.as_bytes()).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn wiki_vector_verifies_with_every_public_key_form() {
        let forms = [WIKI_CERTIFICATE, WIKI_PUBLIC_KEY_SPKI, WIKI_PUBLIC_KEY_PKCS1];
        for pem in forms {
            let key = RsaPublicKey::from_pem(pem).unwrap();
            assert_eq!(key.bits(), 1024, "{pem}");
            assert!(rsa_verify(RsaHash::Sha1, &key, WIKI_BASE_STRING.as_bytes(), WIKI_SIGNATURE_SHA1), "{pem}");
            assert_eq!(key, wiki_public());
        }
        // And with the public half of the private key.
        assert!(rsa_verify(
            RsaHash::Sha1,
            &wiki_private().public_key(),
            WIKI_BASE_STRING.as_bytes(),
            WIKI_SIGNATURE_SHA1
        ));
        assert_eq!(wiki_private().public_key(), wiki_public());
    }

    // ---- SHA-256 / SHA-512 cross-checked against OpenSSL ----------------------------

    #[test]
    fn sha256_and_sha512_match_openssl() {
        let key = wiki_private();
        let public = wiki_public();
        let cases = [
            (RsaHash::Sha256, WIKI_BASE_STRING, OPENSSL_SIGNATURE_SHA256),
            (RsaHash::Sha512, WIKI_BASE_STRING, OPENSSL_SIGNATURE_SHA512),
            (RsaHash::Sha256, "msg-218", OPENSSL_SIGNATURE_SHA256_LEADING_ZERO),
            (RsaHash::Sha1, "", OPENSSL_SIGNATURE_SHA1_EMPTY),
        ];
        for (hash, message, expected) in cases {
            let sig = rsa_sign(hash, &key, message.as_bytes()).unwrap();
            assert_eq!(sig, expected, "{hash:?} {message}");
            assert!(rsa_verify(hash, &public, message.as_bytes(), expected));
        }
        assert_eq!(BASE64_STANDARD.decode(OPENSSL_SIGNATURE_SHA256_LEADING_ZERO).unwrap().first(), Some(&0));
    }

    #[test]
    fn small_key_matches_openssl_and_rejects_sha512() {
        let key = RsaPrivateKey::from_pem(SMALL_512_PKCS1).unwrap();
        assert_eq!(key.bits(), 512);
        let public = key.public_key();
        let base = WIKI_BASE_STRING.as_bytes();
        assert_eq!(rsa_sign(RsaHash::Sha1, &key, base).unwrap(), OPENSSL_SMALL_SHA1);
        assert_eq!(rsa_sign(RsaHash::Sha256, &key, base).unwrap(), OPENSSL_SMALL_SHA256);
        assert!(rsa_verify(RsaHash::Sha1, &public, base, OPENSSL_SMALL_SHA1));
        assert!(rsa_verify(RsaHash::Sha256, &public, base, OPENSSL_SMALL_SHA256));
        assert_eq!(
            rsa_sign(RsaHash::Sha512, &key, base),
            Err(RsaSignError::KeyTooSmall { hash: RsaHash::Sha512, bits: 512 })
        );
        // A 1024-bit signature never verifies under a 512-bit key, and vice versa.
        assert!(!rsa_verify(RsaHash::Sha1, &public, base, WIKI_SIGNATURE_SHA1));
        assert!(!rsa_verify(RsaHash::Sha1, &wiki_public(), base, OPENSSL_SMALL_SHA1));
        assert!(!rsa_verify(RsaHash::Sha512, &public, base, OPENSSL_SMALL_SHA256));
    }

    // ---- Negative verification ------------------------------------------------------

    #[test]
    fn flipped_signature_bits_are_rejected() {
        let public = wiki_public();
        let base = WIKI_BASE_STRING.as_bytes();
        for byte in 0..128 {
            let bad = flip_bit(WIKI_SIGNATURE_SHA1, byte, (byte % 8) as u8);
            assert!(!rsa_verify(RsaHash::Sha1, &public, base, &bad), "byte {byte}");
        }
    }

    #[test]
    fn altered_base_string_is_rejected() {
        let public = wiki_public();
        let mut base = WIKI_BASE_STRING.as_bytes().to_vec();
        for i in [0, 1, base.len() / 2, base.len() - 1] {
            base[i] ^= 0x01;
            assert!(!rsa_verify(RsaHash::Sha1, &public, &base, WIKI_SIGNATURE_SHA1));
            base[i] ^= 0x01;
        }
        assert!(!rsa_verify(RsaHash::Sha1, &public, b"", WIKI_SIGNATURE_SHA1));
        let mut longer = base.clone();
        longer.push(b'&');
        assert!(!rsa_verify(RsaHash::Sha1, &public, &longer, WIKI_SIGNATURE_SHA1));
    }

    #[test]
    fn wrong_hash_is_rejected() {
        let public = wiki_public();
        let base = WIKI_BASE_STRING.as_bytes();
        assert!(!rsa_verify(RsaHash::Sha256, &public, base, WIKI_SIGNATURE_SHA1));
        assert!(!rsa_verify(RsaHash::Sha512, &public, base, WIKI_SIGNATURE_SHA1));
        assert!(!rsa_verify(RsaHash::Sha1, &public, base, OPENSSL_SIGNATURE_SHA256));
        assert!(!rsa_verify(RsaHash::Sha512, &public, base, OPENSSL_SIGNATURE_SHA256));
        assert!(!rsa_verify(RsaHash::Sha1, &public, base, OPENSSL_SIGNATURE_SHA512));
        assert!(!rsa_verify(RsaHash::Sha256, &public, base, OPENSSL_SIGNATURE_SHA512));
    }

    /// Signature values that break RFC 3447 §8.2.2 step 1 or RFC 4648 canonical base64,
    /// around `sig` (a valid 128-octet signature).
    fn malformed_signatures(sig: &str) -> Vec<String> {
        let huge = "A".repeat(10_000_000);
        let mut hostile: Vec<String> = vec![
            String::new(),
            "=".into(),
            "====".into(),
            "Invalid==".into(),
            sig.trim_end_matches('=').into(), // unpadded
            format!("{sig}="),                // over-padded
            format!(" {sig}"),                // whitespace
            format!("{sig}\n"),
            sig.replace('/', "_").replace('+', "-"),  // URL-safe alphabet
            sig.replace('+', "%2B"),                  // still percent-encoded
            sig.get(..sig.len() - 4).unwrap().into(), // truncated by one group
            format!("{sig}AAAA"),                     // one group too long
            BASE64_STANDARD.encode([0u8; 127]),       // k - 1 octets
            BASE64_STANDARD.encode([0u8; 129]),       // k + 1 octets
            BASE64_STANDARD.encode([0u8; 128]),       // s = 0
            BASE64_STANDARD.encode([0xffu8; 128]),    // s >= n
            BASE64_STANDARD.encode([1u8; 128]),
            "é".repeat(86), // right length in bytes, not base64
            huge,
        ];
        // Non-canonical final character: same length, decodes to the same prefix.
        let mut noncanonical = sig.to_owned();
        noncanonical.replace_range(sig.len() - 2..sig.len() - 1, "F");
        hostile.push(noncanonical);
        hostile
    }

    #[test]
    fn malformed_signatures_are_false_not_panics() {
        let public = wiki_public();
        let base = WIKI_BASE_STRING.as_bytes();
        let sig = WIKI_SIGNATURE_SHA1;
        let k = 128;
        for candidate in &malformed_signatures(sig) {
            for hash in [RsaHash::Sha1, RsaHash::Sha256, RsaHash::Sha512] {
                assert!(!rsa_verify(hash, &public, base, candidate), "{:?}", candidate.get(..candidate.len().min(40)));
            }
        }
        assert_eq!(BASE64_STANDARD.decode(sig).unwrap().len(), k);
    }

    /// Opening a signature once and checking base strings against it decides exactly what
    /// `rsa_verify` (the `rsa` crate's PKCS#1 v1.5 verification) decides: on the published
    /// wiki signature and OpenSSL's SHA-256/512 ones, their flipped bits, malformed values,
    /// altered base strings and every hash.
    #[test]
    fn opened_signature_decides_as_rsa_verify() {
        let public = wiki_public();
        let mut signatures: Vec<String> =
            [WIKI_SIGNATURE_SHA1, OPENSSL_SIGNATURE_SHA256, OPENSSL_SIGNATURE_SHA512].map(str::to_owned).to_vec();
        signatures.extend((0..128).step_by(7).map(|byte| flip_bit(WIKI_SIGNATURE_SHA1, byte, (byte % 8) as u8)));
        signatures.extend(malformed_signatures(WIKI_SIGNATURE_SHA1));
        let mut altered = WIKI_BASE_STRING.as_bytes().to_vec();
        altered[10] ^= 0x01;
        let bases: [&[u8]; 3] = [WIKI_BASE_STRING.as_bytes(), &altered, b""];
        let mut accepted = 0;
        for signature in &signatures {
            let opened = open_rsa_signature(&public, signature);
            for base in bases {
                for hash in [RsaHash::Sha1, RsaHash::Sha256, RsaHash::Sha512] {
                    let verified = rsa_verify(hash, &public, base, signature);
                    assert_eq!(opened.as_ref().is_some_and(|o| o.signs(hash, base)), verified, "{hash:?}");
                    accepted += usize::from(verified);
                }
            }
        }
        assert_eq!(accepted, 3, "the three published signatures, each with its own hash");
    }

    // ---- Key loading: accepted variations -------------------------------------------

    #[test]
    fn pem_whitespace_crlf_and_wrapping_are_tolerated() {
        let crlf = WIKI_PRIVATE_KEY_PKCS8.replace('\n', "\r\n");
        let padded = format!("  \r\n\t\n{crlf}\r\n\r\n  ");
        let key = RsaPrivateKey::from_pem(&padded).unwrap();
        let sig = rsa_sign(RsaHash::Sha1, &key, WIKI_BASE_STRING.as_bytes()).unwrap();
        assert_eq!(sig, WIKI_SIGNATURE_SHA1);

        // Re-wrapped at 76 columns, indented, with an explanatory preamble (RFC 7468 §5.2)
        // and trailing text.
        let der = pem_body_der(WIKI_CERTIFICATE);
        let b64 = BASE64_STANDARD.encode(der);
        let mut text = String::from("subject=CN = Test Principal\n    -----BEGIN CERTIFICATE-----\n");
        for chunk in b64.as_bytes().chunks(76) {
            text.push_str("    ");
            text.push_str(std::str::from_utf8(chunk).unwrap());
            text.push('\n');
        }
        text.push_str("    -----END CERTIFICATE-----\ntrailing text\n");
        assert_eq!(RsaPublicKey::from_pem(&text).unwrap(), wiki_public());

        // Base64 on a single line, CRLF everywhere, legacy certificate label.
        let single = format!(
            "-----BEGIN X509 CERTIFICATE-----\r\n{}\r\n-----END X509 CERTIFICATE-----",
            BASE64_STANDARD.encode(pem_body_der(WIKI_CERTIFICATE))
        );
        assert_eq!(RsaPublicKey::from_pem(&single).unwrap(), wiki_public());

        // Only the first block of a bundle is read.
        let bundle = format!("{WIKI_CERTIFICATE}{EC_CERTIFICATE}");
        assert_eq!(RsaPublicKey::from_pem(&bundle).unwrap(), wiki_public());
    }

    #[test]
    fn pkcs8_rsa_with_absent_parameters_is_accepted() {
        // Same PrivateKeyInfo with the NULL parameters removed from the AlgorithmIdentifier
        // (re-encoded by hand: lengths shrink by 2).
        let der = pem_body_der(WIKI_PRIVATE_KEY_PKCS8);
        let null_params = [0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00];
        let pos = der.windows(null_params.len()).position(|w| w == null_params).unwrap();
        let mut edited = der[..pos].to_vec();
        edited.extend_from_slice(&[0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]);
        edited.extend_from_slice(&der[pos + null_params.len()..]);
        // Outer SEQUENCE header is 30 82 LL LL: fix its length.
        assert_eq!(&edited[..2], &[0x30, 0x82]);
        let outer = u16::from_be_bytes([edited[2], edited[3]]) - 2;
        edited[2..4].copy_from_slice(&outer.to_be_bytes());
        let key = RsaPrivateKey::from_pem(&to_pem("PRIVATE KEY", &edited)).unwrap();
        let sig = rsa_sign(RsaHash::Sha1, &key, WIKI_BASE_STRING.as_bytes()).unwrap();
        assert_eq!(sig, WIKI_SIGNATURE_SHA1);
    }

    // ---- Key loading: rejections ----------------------------------------------------

    #[test]
    fn typed_errors_for_wrong_inputs() {
        use RsaKeyError as E;
        let priv_cases: &[(&str, E)] = &[
            ("", E::NotPem),
            ("   \n\r\n ", E::NotPem),
            ("not a key at all", E::NotPem),
            (EC_PRIVATE_KEY_SEC1, E::NotRsa),
            (EC_PRIVATE_KEY_PKCS8, E::NotRsa),
            (
                WIKI_CERTIFICATE,
                E::UnsupportedPemLabel("CERTIFICATE".into()),
            ),
            (
                WIKI_PUBLIC_KEY_SPKI,
                E::UnsupportedPemLabel("PUBLIC KEY".into()),
            ),
            (
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIC\n-----END ENCRYPTED PRIVATE KEY-----\n",
                E::Encrypted,
            ),
            (
                "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,FAE70437D842F6BEAF577A72F3065965\n\nMIIC\n-----END RSA PRIVATE KEY-----\n",
                E::Encrypted,
            ),
        ];
        for (pem, expected) in priv_cases {
            assert_eq!(RsaPrivateKey::from_pem(pem).unwrap_err(), *expected, "{pem}");
        }
        let pub_cases: &[(&str, E)] = &[
            ("", E::NotPem),
            (EC_PUBLIC_KEY, E::NotRsa),
            (EC_CERTIFICATE, E::NotRsa),
            (RSA_PSS_PUBLIC_KEY, E::NotRsa),
            (WIKI_PRIVATE_KEY_PKCS8, E::UnsupportedPemLabel("PRIVATE KEY".into())),
            (WIKI_PRIVATE_KEY_PKCS1, E::UnsupportedPemLabel("RSA PRIVATE KEY".into())),
        ];
        for (pem, expected) in pub_cases {
            assert_eq!(RsaPublicKey::from_pem(pem).unwrap_err(), *expected, "{pem}");
        }
        assert!(matches!(
            RsaPublicKey::from_pem("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----"),
            Err(E::InvalidKey(_))
        ));
        assert!(matches!(RsaPublicKey::from_pem(&"A".repeat(MAX_PEM_LEN + 1)), Err(E::InputTooLarge { .. })));
        // The certificate's DER under the wrong label, and vice versa.
        let cert_der = pem_body_der(WIKI_CERTIFICATE);
        assert!(matches!(RsaPublicKey::from_pem(&to_pem("PUBLIC KEY", &cert_der)), Err(E::InvalidKey(_))));
        let spki_der = pem_body_der(WIKI_PUBLIC_KEY_SPKI);
        assert!(matches!(RsaPublicKey::from_pem(&to_pem("CERTIFICATE", &spki_der)), Err(E::InvalidKey(_))));
        assert!(matches!(
            RsaPrivateKey::from_pem(&to_pem("RSA PRIVATE KEY", &pem_body_der(WIKI_PRIVATE_KEY_PKCS8))),
            Err(E::InvalidKey(_))
        ));
    }

    #[test]
    fn hostile_pem_strings_never_panic() {
        let cert_der = pem_body_der(WIKI_CERTIFICATE);
        let junk_b64 = BASE64_STANDARD
            .encode((0u32..700).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect::<Vec<_>>());
        let mut inputs: Vec<String> = vec![
            String::new(),
            "\0".into(),
            "\u{feff}".into(),
            "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----".into(),
            "-----BEGIN CERTIFICATE-----".into(),
            "-----BEGIN -----\n-----END -----".into(),
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END PUBLIC KEY-----".into(),
            "-----BEGIN CERTIFICATE\nAAAA\n-----END CERTIFICATE-----".into(),
            "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----".into(),
            "-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----".into(),
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----".into(),
            "-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----".into(),
            "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----".into(),
            "-----BEGIN PUBLIC KEY-----\nMAA=\n-----END PUBLIC KEY-----".into(),
            "-----BEGIN RSA PUBLIC KEY-----\nMAA=\n-----END RSA PUBLIC KEY-----".into(),
            "-----BEGIN RSA PRIVATE KEY-----\nMAA=\n-----END RSA PRIVATE KEY-----".into(),
            "-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----".into(),
            "-----BEGIN \u{e9}\u{e9}-----\nAAAA\n-----END \u{e9}\u{e9}-----".into(),
            format!("-----BEGIN {}-----\nAAAA\n-----END {0}-----", "X".repeat(10_000)),
            format!("-----BEGIN CERTIFICATE-----\n{junk_b64}\n-----END CERTIFICATE-----"),
            format!("-----BEGIN PRIVATE KEY-----\n{junk_b64}\n-----END PRIVATE KEY-----"),
            format!("-----BEGIN RSA PRIVATE KEY-----\n{junk_b64}\n-----END RSA PRIVATE KEY-----"),
            format!("-----BEGIN PUBLIC KEY-----\n{junk_b64}\n-----END PUBLIC KEY-----"),
            format!("-----BEGIN RSA PUBLIC KEY-----\n{junk_b64}\n-----END RSA PUBLIC KEY-----"),
            junk_b64,
            format!("-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----", "A".repeat(MAX_PEM_LEN - 100)),
            "A".repeat(MAX_PEM_LEN * 4),
            EC_PRIVATE_KEY_SEC1.into(),
            EC_PRIVATE_KEY_PKCS8.into(),
            EC_PUBLIC_KEY.into(),
            EC_CERTIFICATE.into(),
            RSA_PSS_PUBLIC_KEY.into(),
        ];
        // Truncated DER: every proper prefix of the certificate and of the keys.
        for (label, der) in [
            ("CERTIFICATE", cert_der),
            ("PUBLIC KEY", pem_body_der(WIKI_PUBLIC_KEY_SPKI)),
            ("RSA PUBLIC KEY", pem_body_der(WIKI_PUBLIC_KEY_PKCS1)),
            ("PRIVATE KEY", pem_body_der(WIKI_PRIVATE_KEY_PKCS8)),
            ("RSA PRIVATE KEY", pem_body_der(WIKI_PRIVATE_KEY_PKCS1)),
        ] {
            for len in 0..der.len() {
                inputs.push(to_pem(label, &der[..len]));
            }
        }
        for input in &inputs {
            assert!(RsaPrivateKey::from_pem(input).is_err());
            assert!(RsaPublicKey::from_pem(input).is_err());
        }
    }

    #[test]
    fn mutated_der_never_panics() {
        // Every single-byte mutation of every structure: loading may succeed or fail, but
        // never panics, and a loaded key can sign/verify without panicking.
        let base = WIKI_BASE_STRING.as_bytes();
        for (label, pem) in [
            ("CERTIFICATE", WIKI_CERTIFICATE),
            ("PUBLIC KEY", WIKI_PUBLIC_KEY_SPKI),
            ("RSA PUBLIC KEY", WIKI_PUBLIC_KEY_PKCS1),
            ("PRIVATE KEY", WIKI_PRIVATE_KEY_PKCS8),
            ("RSA PRIVATE KEY", WIKI_PRIVATE_KEY_PKCS1),
        ] {
            let der = pem_body_der(pem);
            let mut loaded = 0usize;
            for i in 0..der.len() {
                for mask in [0x01u8, 0xff] {
                    let mut mutated = der.clone();
                    mutated[i] ^= mask;
                    let text = to_pem(label, &mutated);
                    if let Ok(key) = RsaPrivateKey::from_pem(&text) {
                        // Mutations of the (ignored, recomputed) CRT fields still load;
                        // using only a sample of loaded keys keeps the debug build fast.
                        loaded += 1;
                        if loaded % 16 == 1 {
                            let _ = rsa_sign(RsaHash::Sha512, &key, base);
                        }
                    }
                    if let Ok(key) = RsaPublicKey::from_pem(&text) {
                        loaded += 1;
                        if loaded % 16 == 1 {
                            let _ = rsa_verify(RsaHash::Sha1, &key, base, WIKI_SIGNATURE_SHA1);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn inconsistent_private_key_is_rejected() {
        // Swap one prime for another value inside the PKCS#1 structure: the loader must
        // detect n != p*q rather than sign with a broken key. Flip a low bit of the last
        // octet of `prime2` (found by its published DER prefix `02 41 00 d6 47`).
        let mut der = pem_body_der(WIKI_PRIVATE_KEY_PKCS1);
        let pos = der.windows(5).position(|w| w == [0x02, 0x41, 0x00, 0xd6, 0x47]).unwrap();
        der[pos + 2 + 0x41 - 1] ^= 0x02;
        assert!(matches!(RsaPrivateKey::from_pem(&to_pem("RSA PRIVATE KEY", &der)), Err(RsaKeyError::InvalidKey(_))));
    }

    // ---- No key material in Debug or error messages ---------------------------------

    #[test]
    fn debug_and_errors_do_not_leak_key_material() {
        let key = wiki_private();
        assert_eq!(format!("{key:?}"), "RsaPrivateKey { bits: 1024 }");
        assert_eq!(format!("{key:#?}"), "RsaPrivateKey {\n    bits: 1024,\n}");
        assert_eq!(format!("{:?}", wiki_public()), "RsaPublicKey { bits: 1024 }");

        // Error messages for a broken private key contain none of its base64 or DER.
        let der = pem_body_der(WIKI_PRIVATE_KEY_PKCS1);
        let mut broken = der.clone();
        broken.truncate(300);
        let errors = [
            RsaPrivateKey::from_pem(&to_pem("RSA PRIVATE KEY", &broken)).unwrap_err(),
            RsaPrivateKey::from_pem(&to_pem("PRIVATE KEY", &der)).unwrap_err(),
            RsaPrivateKey::from_pem(&WIKI_PRIVATE_KEY_PKCS1.replace("MIIC", "MII!")).unwrap_err(),
        ];
        let body: String = WIKI_PRIVATE_KEY_PKCS1.lines().filter(|l| !l.starts_with("-----")).collect();
        for err in errors {
            for text in [err.to_string(), format!("{err:?}")] {
                assert!(text.len() < 200, "{text}");
                for window in body.as_bytes().windows(12) {
                    let needle = std::str::from_utf8(window).unwrap();
                    assert!(!text.contains(needle), "{text}");
                }
            }
        }
    }

    #[test]
    fn error_types_implement_std_error() {
        fn assert_error<E: std::error::Error + Send + Sync + 'static>() {}
        assert_error::<RsaKeyError>();
        assert_error::<RsaSignError>();
        let msg = RsaSignError::KeyTooSmall { hash: RsaHash::Sha512, bits: 512 }.to_string();
        assert!(msg.contains("512") && msg.contains("SHA-512"), "{msg}");
        assert_eq!(
            RsaKeyError::UnsupportedPemLabel("X".into()).to_string(),
            "unsupported PEM label \"X\" for this key type"
        );
    }

    #[test]
    fn unsupported_label_is_sanitized_and_bounded() {
        let label = "Z".repeat(500);
        let err = RsaPublicKey::from_pem(&format!("-----BEGIN {label}-----\nAAAA\n-----END {label}-----")).unwrap_err();
        match err {
            RsaKeyError::UnsupportedPemLabel(shown) => assert_eq!(shown.len(), MAX_LABEL_ECHO),
            other => panic!("unexpected {other:?}"),
        }
    }
}
