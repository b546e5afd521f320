//! The reference signing pipeline with any set of quirks switched on: "implementation X = the
//! reference with quirks Q" is then a computation. One module per RFC step, as in the
//! reference crate: [`uri`] (§3.4.1.2), [`parameters`] (§3.4.1.3); the base string (§3.4.1.1),
//! the key and the signature (§3.4.2–§3.4.4) here.

mod parameters;
mod uri;

use base64::prelude::{Engine as _, BASE64_STANDARD};
use oauth1_reference::encoding::{percent_encode, percent_encode_into};
use oauth1_reference::header::build_authorization_header;
use oauth1_reference::rsa_signature::{rsa_sign, RsaHash, RsaPrivateKey};
use oauth1_reference::signature::{hmac_signature, SignatureMethod};
use oauth1_reference::uri::parse_request_url;

use crate::implementation::SignInput;
use crate::quirks::{Quirk, QuirkSet};
use crate::trace::Trace;

use parameters::{collect, is_form_content_type, latin1_to_utf8, normalize, split_whole_url, Collected};

/// Why the quirk pipeline does not sign an input (the reference's own errors, and what a
/// quirk's variant of a step cannot do).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `oauth_signature_method` is not one the pipeline signs with.
    #[error("{0}")]
    SignatureMethod(#[from] oauth1_reference::signature::UnsupportedSignatureMethod),
    /// The request URL does not parse (§3.4.1.2).
    #[error("{0}")]
    Url(#[from] oauth1_reference::uri::UriError),
    /// A parameter holds a malformed percent escape.
    #[error("{0}")]
    Escape(#[from] oauth1_reference::encoding::MalformedEscape),
    /// `splits-whole-url-…`: the URL splits into no pieces.
    #[error("the URL splits into no pieces")]
    NoPieces,
    /// An RSA method, and no private key.
    #[error("an RSA method needs a private key")]
    NoRsaKey,
    /// The private key does not parse.
    #[error("{0}")]
    RsaKey(#[from] oauth1_reference::rsa_signature::RsaKeyError),
    /// RSA signing failed.
    #[error("{0}")]
    RsaSign(#[from] oauth1_reference::rsa_signature::RsaSignError),
    /// A quirk that re-reads the signature's octets met no Base64.
    #[error("{0}")]
    Base64(#[from] base64::DecodeError),
    /// A quirk that re-reads the signature's octets met no UTF-8.
    #[error("{0}")]
    Utf8(#[from] std::string::FromUtf8Error),
    /// The Authorization header cannot be built.
    #[error("{0}")]
    Header(#[from] oauth1_reference::header::HeaderBuildError),
}

/// §3.6 as an implementation with the character-level encoding quirks writes it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Encoding {
    /// `encodes-like-encodeuricomponent`: `!*'()` stay.
    encode_uri_component: bool,
    /// `encodes-space-as-plus`.
    space_as_plus: bool,
    /// `encodes-unreserved-characters`: `~` becomes `%7E`.
    tilde_encoded: bool,
    /// `encodes-with-lowercase-hex`.
    lowercase_hex: bool,
    /// `encodes-non-ascii-not-as-utf8`: text as Latin-1 octets.
    latin1: bool,
    /// `leaves-non-ascii-unencoded`.
    raw_non_ascii: bool,
}

impl Encoding {
    fn of(quirks: &QuirkSet) -> Self {
        Self {
            encode_uri_component: quirks.has(Quirk::JsEncodeUriComponent),
            space_as_plus: quirks.has(Quirk::EncodesSpaceAsPlus),
            tilde_encoded: quirks.has(Quirk::EncodesUnreservedCharacters),
            lowercase_hex: quirks.has(Quirk::EncodesWithLowercaseHex),
            latin1: quirks.has(Quirk::EncodesNonAsciiNotAsUtf8),
            raw_non_ascii: quirks.has(Quirk::LeavesNonAsciiUnencoded),
        }
    }

    /// How the implementation writes the Authorization header's values: with its own encoder,
    /// but `encodes-like-encodeuricomponent` is a quirk of the base string only (the libraries
    /// that have it write the header with a §3.6 encoder).
    fn for_header(self) -> Self {
        Self { encode_uri_component: false, ..self }
    }

    fn encode_into(self, input: &[u8], out: &mut String) {
        if self == Self::default() {
            return percent_encode_into(input, out);
        }
        match std::str::from_utf8(input) {
            Ok(text) if self.latin1 => {
                for c in text.chars() {
                    match u8::try_from(u32::from(c)) {
                        Ok(octet) if octet.is_ascii() => self.push_octet(octet, out),
                        Ok(octet) => self.push_escape(octet, out),
                        Err(_) => self.push_escape(b'?', out),
                    }
                }
            }
            _ if self.raw_non_ascii => {
                // Runs of octets over 0x7F are written as they are (as text, since the stages are
                // text: an octet that is not UTF-8 becomes U+FFFD).
                for chunk in input.chunk_by(|a, b| a.is_ascii() == b.is_ascii()) {
                    if chunk.first().is_some_and(u8::is_ascii) {
                        chunk.iter().for_each(|&octet| self.push_octet(octet, out));
                    } else {
                        out.push_str(&String::from_utf8_lossy(chunk));
                    }
                }
            }
            _ => input.iter().for_each(|&octet| self.push_octet(octet, out)),
        }
    }

    fn push_octet(self, octet: u8, out: &mut String) {
        let stays = octet.is_ascii_alphanumeric()
            || b"-._".contains(&octet)
            || (octet == b'~' && !self.tilde_encoded)
            || (self.encode_uri_component && b"!*'()~".contains(&octet));
        if stays {
            out.push(char::from(octet));
        } else if octet == b' ' && self.space_as_plus {
            out.push('+');
        } else {
            self.push_escape(octet, out);
        }
    }

    fn push_escape(self, octet: u8, out: &mut String) {
        // Attribution encodes every candidate set's parameters: no formatter on this path.
        let digits: &[u8; 16] = if self.lowercase_hex { b"0123456789abcdef" } else { b"0123456789ABCDEF" };
        out.push('%');
        out.push(char::from(digits[usize::from(octet >> 4)]));
        out.push(char::from(digits[usize::from(octet & 0x0f)]));
    }
}

fn encode(input: &[u8], quirks: &QuirkSet, out: &mut String) {
    Encoding::of(quirks).encode_into(input, out);
}

fn encoded(input: &[u8], quirks: &QuirkSet) -> String {
    let mut out = String::with_capacity(input.len() * 3);
    encode(input, quirks, &mut out);
    out
}

/// The stages up to the signature base string, and what signing it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Prepared {
    pub(super) method: SignatureMethod,
    pub(super) body_hash: Option<String>,
    pub(super) normalized: String,
    pub(super) base_uri: String,
    pub(super) base_string: String,
    pub(super) key: String,
    pub(super) protocol: Vec<(String, String)>,
    /// The realm as the Authorization header carries it (§3.5.1 item 4).
    pub(super) realm: Option<String>,
    /// Whether an RSA signature is sent as raw octets instead of base64.
    pub(super) raw_rsa_signature: bool,
    /// Whether an RSA method finds no key it can read, and so signs nothing.
    pub(super) unreadable_rsa_key: bool,
    /// How the Authorization header writes the protocol parameters' values.
    pub(super) header_values: HeaderValues,
}

impl Prepared {
    /// Whether `self` signs exactly what `other` signs (every stage but the Authorization
    /// header): a quirk whose prepared request signs like the reference's changes only the
    /// header, and can be searched for apart from the quirks that change what is signed.
    pub(super) fn signs_like(&self, other: &Self) -> bool {
        self.method == other.method
            && self.body_hash == other.body_hash
            && self.normalized == other.normalized
            && self.base_uri == other.base_uri
            && self.base_string == other.base_string
            && self.key == other.key
            && self.raw_rsa_signature == other.raw_rsa_signature
            && self.unreadable_rsa_key == other.unreadable_rsa_key
    }
}

/// How an Authorization header writes its parameters' values (§3.5.1 items 1 and 2), with the
/// header quirks; the default is the reference's way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct HeaderValues {
    /// Without the double quotes (quirk `header-values-unquoted`).
    unquoted: bool,
    /// The parameters whose values are written as given instead of percent-encoded, among
    /// those whose encoding differs from the value (so that the quirks that would write them
    /// so change nothing on an input without one).
    verbatim: Vec<String>,
    /// oauth_signature written as it is (quirk `signature-not-encoded`).
    signature_verbatim: bool,
    /// `OAuth, …` (quirk `header-comma-after-scheme`).
    comma_after_scheme: bool,
    /// Parameters separated by a space alone (quirk `header-parameters-space-separated`).
    space_separated: bool,
    /// The implementation's own encoder, for names and values.
    encoding: Encoding,
}

impl HeaderValues {
    fn of(protocol: &[(String, String)], quirks: &QuirkSet) -> Self {
        let written_as_given = |name: &str| {
            quirks.has(Quirk::HeaderValuesNotEncoded)
                || (quirks.has(Quirk::ConsumerKeyNotEncoded) && name == "oauth_consumer_key")
        };
        let verbatim = protocol
            .iter()
            .filter(|(name, value)| written_as_given(name) && percent_encode(value.as_bytes()) != *value)
            .map(|(name, _)| name.clone())
            .collect();
        Self {
            unquoted: quirks.has(Quirk::HeaderValuesUnquoted),
            verbatim,
            signature_verbatim: quirks.has(Quirk::SignatureNotEncoded),
            comma_after_scheme: quirks.has(Quirk::HeaderCommaAfterScheme),
            space_separated: quirks.has(Quirk::HeaderParametersSpaceSeparated),
            encoding: Encoding::of(quirks).for_header(),
        }
    }

    /// The Authorization header with `realm` (an RFC 2617 quoted-string, as the reference writes
    /// it, unless the values are unquoted: a library that writes `name=value` items writes the
    /// realm so too, as oauth1-client 0.1.0 does) and `protocol`.
    fn header(&self, realm: Option<&str>, protocol: &[(String, String)]) -> Result<String, Error> {
        if *self == Self::default() {
            let pairs: Vec<(&[u8], &[u8])> = protocol.iter().map(|(n, v)| (n.as_bytes(), v.as_bytes())).collect();
            return Ok(build_authorization_header(realm, &pairs)?);
        }
        let mut header = String::from("OAuth");
        let mut separator = if self.comma_after_scheme { ", " } else { " " };
        let between = if self.space_separated { " " } else { ", " };
        match realm {
            Some(realm) if self.unquoted => header.push_str(&format!("{separator}realm={realm}")),
            Some(realm) => {
                let quoted = build_authorization_header(Some(realm), &[])?;
                header.push_str(separator);
                header.push_str(quoted.trim_start_matches("OAuth "));
            }
            None => {}
        }
        if realm.is_some() {
            separator = between;
        }
        let quote = if self.unquoted { "" } else { "\"" };
        for (name, value) in protocol {
            header.push_str(separator);
            separator = between;
            self.encoding.encode_into(name.as_bytes(), &mut header);
            header.push('=');
            header.push_str(quote);
            if self.verbatim.contains(name) || (self.signature_verbatim && name == "oauth_signature") {
                header.push_str(value);
            } else {
                self.encoding.encode_into(value.as_bytes(), &mut header);
            }
            header.push_str(quote);
        }
        Ok(header)
    }
}

/// Signs `input` the way an implementation with `quirks` would; with no quirks this is the
/// reference pipeline. Every stage is reported.
pub fn sign_with_quirks(input: &SignInput<'_>, quirks: &QuirkSet) -> Result<Trace, Error> {
    let prepared = prepare(input, quirks)?;
    let private_key = match (prepared.method.rsa_hash(), input.secrets.rsa_private_key_pem.as_deref()) {
        (Some(_), Some(pem)) => Some(RsaPrivateKey::from_pem(pem)?),
        (Some(_), None) => return Err(Error::NoRsaKey),
        (None, _) => None,
    };
    complete(prepared, &RsaSigner::new(private_key.as_ref()))
}

fn realm_sent(input: &SignInput<'_>, quirks: &QuirkSet) -> Option<String> {
    let realm = if quirks.has(Quirk::OmitsRealm) {
        None
    } else if quirks.has(Quirk::SendsEmptyRealm) {
        input.oauth.realm.as_deref().or(Some(""))
    } else {
        input.oauth.realm.as_deref()
    }?;
    Some(if quirks.has(Quirk::EncodesRealmInHeader) { encoded(realm.as_bytes(), quirks) } else { realm.to_owned() })
}

pub(super) fn prepare(input: &SignInput<'_>, quirks: &QuirkSet) -> Result<Prepared, Error> {
    let request = input.request;
    let oauth = input.oauth;
    let method = SignatureMethod::from_name(&oauth.signature_method)?;
    let plus_is_space = !quirks.has(Quirk::PlusNotDecoded);
    let split = if quirks.has(Quirk::SplitsWholeUrl) {
        let form_body =
            request.body.as_deref().filter(|body| is_form_content_type(request, quirks) && !body.is_empty());
        Some(split_whole_url(&request.url, form_body, plus_is_space)?)
    } else {
        None
    };
    let splits_whole_url = split.is_some();
    let (first_piece, pieces) = split.map_or((None, None), |(first, pieces)| (Some(first), Some(pieces)));
    // The URL the base string URI is made of: under `splits-whole-url-…`, its first piece.
    let request_url = first_piece.as_deref().unwrap_or(&request.url);
    let url = parse_request_url(request_url)?;
    let base_uri = uri::base_string_uri(request_url, &url, quirks, splits_whole_url && plus_is_space);
    let Collected { params, mut protocol, body_hash } = collect(input, &url, pieces, method, quirks)?;
    let (normalized, parameters_component) = normalize(params, quirks);

    // §3.4.1.1.
    let method_text = if quirks.has(Quirk::MethodNotUppercased) {
        request.method.clone()
    } else {
        request.method.to_ascii_uppercase()
    };
    let method_component =
        if quirks.has(Quirk::MethodNotEncoded) { method_text } else { encoded(method_text.as_bytes(), quirks) };
    let mut uri_component = String::with_capacity(base_uri.len() * 3);
    let encoding = Encoding::of(quirks);
    let uri_encoding = Encoding { latin1: encoding.latin1 || quirks.has(Quirk::EncodesUriAsLatin1), ..encoding };
    uri_encoding.encode_into(base_uri.as_bytes(), &mut uri_component);
    let base_string = format!("{method_component}&{uri_component}&{parameters_component}");

    let key = signing_key(input, method, quirks);
    if quirks.has(Quirk::ExtrasOutsideHeader) {
        protocol.retain(|(name, _)| !oauth.extra.iter().any(|(extra, _)| extra == name));
    }
    let raw_rsa_signature = quirks.has(Quirk::RsaSignatureRawOctets) && method.rsa_hash().is_some();
    // liboauth's NSS build (src/hash.c, `oauth_strip_pkcs` with `NS_PRIV_HEADER`) looks for
    // the PKCS#8 armour only.
    let unreadable_rsa_key = quirks.has(Quirk::RsaReadsPkcs8KeysOnly)
        && method.rsa_hash().is_some()
        && !input.secrets.rsa_private_key_pem.as_deref().is_some_and(|pem| pem.contains("-----BEGIN PRIVATE KEY-----"));
    let realm = realm_sent(input, quirks);
    let header_values = HeaderValues::of(&protocol, quirks);
    Ok(Prepared {
        method,
        body_hash,
        normalized,
        base_uri,
        base_string,
        key,
        protocol,
        realm,
        raw_rsa_signature,
        unreadable_rsa_key,
        header_values,
    })
}

/// §3.4.2–§3.4.4: the key (for PLAINTEXT, the signature itself) under `quirks`.
pub(super) fn signing_key(input: &SignInput<'_>, method: SignatureMethod, quirks: &QuirkSet) -> String {
    let secret = |s: &Option<String>| s.clone().unwrap_or_default();
    let token_secret =
        if quirks.has(Quirk::KeyOmitsTokenSecret) { String::new() } else { secret(&input.secrets.token_secret) };
    let key = if quirks.has(Quirk::SecretsNotEncoded) {
        format!("{}&{token_secret}", secret(&input.secrets.consumer_secret))
    } else if quirks.has(Quirk::KeyOmitsAmpersandWithoutToken) && token_secret.is_empty() {
        encoded(secret(&input.secrets.consumer_secret).as_bytes(), quirks)
    } else {
        format!(
            "{}&{}",
            encoded(secret(&input.secrets.consumer_secret).as_bytes(), quirks),
            encoded(token_secret.as_bytes(), quirks)
        )
    };
    // A PLAINTEXT signature is the key itself (§3.4.4).
    if quirks.has(Quirk::PlaintextSignatureEncoded) && method == SignatureMethod::Plaintext {
        encoded(key.as_bytes(), quirks)
    } else {
        key
    }
}

/// An RSA private key and the last signatures it made. Attribution completes many candidate
/// sets of one case that sign the same base string, and PKCS#1 v1.5 signatures are
/// deterministic: remembering them spares a modular exponentiation (a millisecond) where the
/// rest of a candidate costs microseconds.
pub(super) struct RsaSigner<'k> {
    key: Option<&'k RsaPrivateKey>,
    made: std::cell::RefCell<Vec<(RsaHash, String, String)>>,
}

impl<'k> RsaSigner<'k> {
    /// Enough for the few base strings one case's candidates sign; the oldest is forgotten.
    const REMEMBERED: usize = 8;

    pub(super) fn new(key: Option<&'k RsaPrivateKey>) -> Self {
        Self { key, made: std::cell::RefCell::new(Vec::new()) }
    }

    fn sign(&self, hash: RsaHash, base_string: &str) -> Result<String, Error> {
        let Some(key) = self.key else {
            return Err(Error::NoRsaKey);
        };
        let mut made = self.made.borrow_mut();
        if let Some((_, _, signature)) = made.iter().find(|(h, b, _)| *h == hash && b == base_string) {
            return Ok(signature.clone());
        }
        let signature = rsa_sign(hash, key, base_string.as_bytes())?;
        if made.len() == Self::REMEMBERED {
            made.remove(0);
        }
        made.push((hash, base_string.to_owned(), signature.clone()));
        Ok(signature)
    }
}

pub(super) fn complete(prepared: Prepared, signer: &RsaSigner<'_>) -> Result<Trace, Error> {
    let Prepared {
        method,
        body_hash,
        normalized,
        base_uri,
        base_string,
        key,
        mut protocol,
        realm,
        raw_rsa_signature,
        unreadable_rsa_key,
        header_values,
    } = prepared;
    let signature = match method.rsa_hash() {
        // What `snprintf("%s")` makes of liboauth's null signature.
        Some(_) if unreadable_rsa_key => "(null)".to_owned(),
        Some(hash) => {
            let signature = signer.sign(hash, &base_string)?;
            if raw_rsa_signature {
                let octets = BASE64_STANDARD.decode(signature)?;
                String::from_utf8(latin1_to_utf8(&octets))?
            } else {
                signature
            }
        }
        None => hmac_signature(method, key.as_bytes(), base_string.as_bytes()).unwrap_or(key),
    };
    protocol.push(("oauth_signature".into(), signature.clone()));
    let header = header_values.header(realm.as_deref(), &protocol)?;
    Ok(Trace {
        collected_parameters: None,
        body_hash,
        normalized_parameters: Some(normalized),
        base_string_uri: Some(base_uri),
        signature_base_string: Some(base_string),
        signature: Some(signature),
        authorization_header: Some(header),
        emitted_nonce: None,
        emitted_timestamp: None,
    })
}
