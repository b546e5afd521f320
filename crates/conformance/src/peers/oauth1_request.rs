//! `oauth1-request` 0.6.1 (<https://crates.io/crates/oauth1-request>), a client-side signer, in
//! two rows:
//!
//! * [`ParameterListPeer`], `oauth1-request/parameter-list`: the way its documentation shows
//!   dynamic requests, an [`oauth::ParameterList`] of the decoded query and form pairs given to
//!   [`oauth::Builder::authorize`];
//! * [`RequestPeer`], `oauth1-request/request`: a hand-written [`oauth::Request`] that feeds the
//!   crate's serializer exactly the pairs, encoding and order RFC 5849 §3.4.1.3 asks for, to
//!   show what the crate's own part (URI, protocol parameters, concatenation, signing,
//!   header) does when it is given right parameters.
//!
//! Both capture the signature base string with [`Recorder`], a signature method that wraps the
//! crate's own and records everything the crate's serializer feeds it.

use std::cell::RefCell;
use std::fmt::{self, Display};
use std::num::NonZeroU64;
use std::rc::Rc;

use ::oauth1_request as oauth;
use oauth::serializer::Serializer;
use oauth::signature_method::{Sign, SignatureMethod};
use oauth::{Builder, Credentials, ParameterList};
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::DecodePrivateKey;

use super::{cannot_express, percent_encode, request_pairs, request_pairs_lossy, url_without_query};
use crate::implementation::{
    Capabilities, HeaderParams, ImplementationInfo, InProcess, Operation, Outcome, SignInput, VerifyInput,
};
use crate::trace::{Stage, Trace};

/// The pinned version (see `Cargo.toml`).
pub const VERSION: &str = "0.6.1";
/// The name of the [`ParameterListPeer`] row.
pub const PARAMETER_LIST_NAME: &str = "oauth1-request/parameter-list";
/// The name of the [`RequestPeer`] row.
pub const REQUEST_NAME: &str = "oauth1-request/request";

const METHODS: [&str; 3] = ["HMAC-SHA1", "PLAINTEXT", "RSA-SHA1"];
const STAGES: [Stage; 5] = [
    Stage::NormalizedParameters,
    Stage::BaseStringUri,
    Stage::SignatureBaseString,
    Stage::Signature,
    Stage::AuthorizationHeader,
];

const COMMON_NOTES: &str = "Signs with oauth::Builder (nonce and timestamp fixed with Builder::nonce/timestamp, \
     oauth_version with Builder::version, oauth_callback/oauth_verifier with Builder::callback/verifier) and \
     Builder::authorize(method, uri, &request), the method passed as the case gives it. The caller passes the \
     request URL with its query and fragment cut off (the docs only say `uri` must not contain a query part) and \
     the query and form-body pairs as the request. HMAC-SHA1, PLAINTEXT and RSA-SHA1 (feature rsa-sha1-09; PKCS#1 \
     and PKCS#8 keys loaded with the rsa crate). The signature base string is what the crate's serializer fed the \
     signature method, recorded by a wrapping signature method; base_string_uri and normalized_parameters are read \
     off that string; signature is the signer's output, percent-decoded. Cannot express: a realm (the crate has none, \
     so its header never has one), an omitted nonce or timestamp (it generates them), a timestamp that is not a \
     canonical positive integer, an oauth_version other than 1.0, protocol parameters other than oauth_callback and \
     oauth_verifier, oauth_body_hash.";

fn info(name: &str, how: &str) -> ImplementationInfo {
    ImplementationInfo {
        name: name.into(),
        version: VERSION.into(),
        language: "rust".into(),
        capabilities: Capabilities {
            operations: vec![Operation::Sign],
            signature_methods: METHODS.iter().map(|m| (*m).to_owned()).collect(),
            stages: STAGES.to_vec(),
            can_omit_version: true,
            body_hash: false,
            reports_rejection_reasons: false,
            emits_own_nonce_timestamp: false,
            limits: crate::limits::InputLimits::default(),
            notes: Some(format!("{how} {COMMON_NOTES}")),
        },
    }
}

/// `oauth1-request` used the way its documentation shows for dynamic parameters.
#[derive(Debug)]
pub struct ParameterListPeer {
    info: ImplementationInfo,
}

impl Default for ParameterListPeer {
    fn default() -> Self {
        Self {
            info: info(
                PARAMETER_LIST_NAME,
                "The request is an oauth::ParameterList::new(pairs) of the query's and the form body's pairs, decoded \
                 to text the way url::form_urlencoded does (`+` is a space, non-UTF-8 octets become U+FFFD), as the \
                 docs show for dynamic parameters.",
            ),
        }
    }
}

impl InProcess for ParameterListPeer {
    fn info(&self) -> &ImplementationInfo {
        &self.info
    }

    fn sign(&mut self, input: &SignInput<'_>) -> Outcome<Trace> {
        let request = ParameterList::new(request_pairs_lossy(input.request));
        sign(input, &request)
    }

    fn parse_header(&mut self, _header: &str) -> Outcome<HeaderParams> {
        cannot_express("header parsing (a client-side signer only)")
    }

    fn verify(&mut self, _input: &VerifyInput<'_>) -> Outcome<()> {
        cannot_express("verification (a client-side signer only)")
    }
}

/// `oauth1-request` given an RFC 5849-exact hand-written [`oauth::Request`].
#[derive(Debug)]
pub struct RequestPeer {
    info: ImplementationInfo,
}

impl Default for RequestPeer {
    fn default() -> Self {
        Self {
            info: info(
                REQUEST_NAME,
                "The request is a hand-written oauth::Request that serializes the query's and the form body's pairs \
                 (decoded as octets, `+` a space) percent-encoded per RFC 5849 §3.6 and sorted by encoded name and \
                 value, interleaving the crate's serialize_oauth_* calls at their sorted places, each pair passed to \
                 serialize_parameter_encoded with the name encoded for the base string.",
            ),
        }
    }
}

impl InProcess for RequestPeer {
    fn info(&self) -> &ImplementationInfo {
        &self.info
    }

    fn sign(&mut self, input: &SignInput<'_>) -> Outcome<Trace> {
        let mut pairs: Vec<(String, String)> = request_pairs(input.request)
            .into_iter()
            .map(|(name, value)| (percent_encode(&name), percent_encode(&value)))
            .collect();
        pairs.sort();
        let oauth = input.oauth;
        let extra = |name: &str| oauth.extra.iter().find(|(n, _)| n == name).map(|(_, v)| percent_encode(v.as_bytes()));
        let protocol = [
            (ProtocolParameter::Callback, extra("oauth_callback")),
            (ProtocolParameter::ConsumerKey, Some(percent_encode(oauth.consumer_key.as_bytes()))),
            (ProtocolParameter::Nonce, oauth.nonce.as_deref().map(|n| percent_encode(n.as_bytes()))),
            (ProtocolParameter::SignatureMethod, Some(percent_encode(oauth.signature_method.as_bytes()))),
            (ProtocolParameter::Timestamp, oauth.timestamp.clone()),
            (ProtocolParameter::Token, oauth.token.as_deref().map(|t| percent_encode(t.as_bytes()))),
            (ProtocolParameter::Verifier, extra("oauth_verifier")),
            (ProtocolParameter::Version, oauth.version.clone()),
        ];
        sign(input, &ExactRequest { pairs, protocol })
    }

    fn parse_header(&mut self, _header: &str) -> Outcome<HeaderParams> {
        cannot_express("header parsing (a client-side signer only)")
    }

    fn verify(&mut self, _input: &VerifyInput<'_>) -> Outcome<()> {
        cannot_express("verification (a client-side signer only)")
    }
}

/// The protocol parameters the crate's serializer emits, each through its own method.
#[derive(Debug, Clone, Copy)]
enum ProtocolParameter {
    Callback,
    ConsumerKey,
    Nonce,
    SignatureMethod,
    Timestamp,
    Token,
    Verifier,
    Version,
}

impl ProtocolParameter {
    fn name(self) -> &'static str {
        match self {
            Self::Callback => "oauth_callback",
            Self::ConsumerKey => "oauth_consumer_key",
            Self::Nonce => "oauth_nonce",
            Self::SignatureMethod => "oauth_signature_method",
            Self::Timestamp => "oauth_timestamp",
            Self::Token => "oauth_token",
            Self::Verifier => "oauth_verifier",
            Self::Version => "oauth_version",
        }
    }

    fn serialize<S: Serializer>(self, serializer: &mut S) {
        match self {
            Self::Callback => serializer.serialize_oauth_callback(),
            Self::ConsumerKey => serializer.serialize_oauth_consumer_key(),
            Self::Nonce => serializer.serialize_oauth_nonce(),
            Self::SignatureMethod => serializer.serialize_oauth_signature_method(),
            Self::Timestamp => serializer.serialize_oauth_timestamp(),
            Self::Token => serializer.serialize_oauth_token(),
            Self::Verifier => serializer.serialize_oauth_verifier(),
            Self::Version => serializer.serialize_oauth_version(),
        }
    }
}

/// The hand-written request of [`RequestPeer`]: the request's pairs, RFC-encoded and sorted,
/// and the protocol parameters with their encoded values (to sort them among the pairs; the
/// crate writes their values itself).
struct ExactRequest {
    pairs: Vec<(String, String)>,
    protocol: [(ProtocolParameter, Option<String>); 8],
}

impl oauth::Request for ExactRequest {
    fn serialize<S: Serializer>(&self, mut serializer: S) -> S::Output {
        let mut protocol = self.protocol.iter().peekable();
        for (name, value) in &self.pairs {
            while let Some((parameter, _)) = protocol
                .next_if(|(p, v)| (p.name(), v.as_deref().unwrap_or_default()) <= (name.as_str(), value.as_str()))
            {
                parameter.serialize(&mut serializer);
            }
            // The serializer writes the name as given into the base string and encodes the
            // (already encoded) value once more, as §3.4.1.1 step 5 wants.
            serializer.serialize_parameter_encoded(&percent_encode(name.as_bytes()), value);
        }
        for (parameter, _) in protocol {
            parameter.serialize(&mut serializer);
        }
        serializer.end()
    }
}

/// What a [`Recorder`] saw: the base string fed to the signer, and the signature it returned.
#[derive(Debug, Default)]
struct Recording {
    base_string: String,
    signature: Option<String>,
}

/// A signature method that wraps one of the crate's and records what the crate feeds it.
#[derive(Debug, Clone)]
struct Recorder<SM> {
    inner: SM,
    recording: Rc<RefCell<Recording>>,
}

/// The [`Sign`] of a [`Recorder`].
#[derive(Debug)]
struct RecorderSign<S> {
    inner: S,
    recording: Rc<RefCell<Recording>>,
}

impl<S> RecorderSign<S> {
    fn record(&self, part: fmt::Arguments<'_>) {
        use std::fmt::Write as _;
        let _ = self.recording.borrow_mut().base_string.write_fmt(part);
    }
}

impl<SM: SignatureMethod> SignatureMethod for Recorder<SM> {
    type Sign = RecorderSign<SM::Sign>;

    fn sign_with(self, client_secret: &str, token_secret: Option<&str>) -> Self::Sign {
        RecorderSign { inner: self.inner.sign_with(client_secret, token_secret), recording: self.recording }
    }
}

// Every method is forwarded explicitly (none left to the trait's defaults), so the inner
// signature method sees exactly the calls it would have seen unwrapped.
impl<S: Sign> Sign for RecorderSign<S> {
    type Signature = S::Signature;

    fn get_signature_method_name(&self) -> &'static str {
        self.inner.get_signature_method_name()
    }

    fn request_method(&mut self, method: &str) {
        self.record(format_args!("{method}&"));
        self.inner.request_method(method);
    }

    fn uri<T: Display>(&mut self, uri: T) {
        self.record(format_args!("{uri}&"));
        self.inner.uri(uri);
    }

    fn parameter<V: Display>(&mut self, key: &str, value: V) {
        self.record(format_args!("{key}%3D{value}"));
        self.inner.parameter(key, value);
    }

    fn delimiter(&mut self) {
        self.record(format_args!("%26"));
        self.inner.delimiter();
    }

    fn end(self) -> Self::Signature {
        let signature = self.inner.end();
        self.recording.borrow_mut().signature = Some(signature.to_string());
        signature
    }

    fn callback<V: Display>(&mut self, value: V) {
        self.record(format_args!("oauth_callback%3D{value}"));
        self.inner.callback(value);
    }

    fn consumer_key<V: Display>(&mut self, value: V) {
        self.record(format_args!("oauth_consumer_key%3D{value}"));
        self.inner.consumer_key(value);
    }

    fn nonce<V: Display>(&mut self, value: V) {
        self.record(format_args!("oauth_nonce%3D{value}"));
        self.inner.nonce(value);
    }

    fn use_nonce(&self) -> bool {
        self.inner.use_nonce()
    }

    fn signature_method(&mut self) {
        let name = self.inner.get_signature_method_name();
        self.record(format_args!("oauth_signature_method%3D{name}"));
        self.inner.signature_method();
    }

    fn timestamp(&mut self, value: u64) {
        self.record(format_args!("oauth_timestamp%3D{value}"));
        self.inner.timestamp(value);
    }

    fn use_timestamp(&self) -> bool {
        self.inner.use_timestamp()
    }

    fn token<V: Display>(&mut self, value: V) {
        self.record(format_args!("oauth_token%3D{value}"));
        self.inner.token(value);
    }

    fn verifier<V: Display>(&mut self, value: V) {
        self.record(format_args!("oauth_verifier%3D{value}"));
        self.inner.verifier(value);
    }

    fn version(&mut self) {
        self.record(format_args!("oauth_version%3D1.0"));
        self.inner.version();
    }
}

/// Signs `request` for `input` with the signature method it names.
fn sign<R: oauth::Request>(input: &SignInput<'_>, request: &R) -> Outcome<Trace> {
    match input.oauth.signature_method.as_str() {
        "HMAC-SHA1" => sign_with(input, request, oauth::HmacSha1::new()),
        "PLAINTEXT" => sign_with(input, request, oauth::Plaintext::new()),
        "RSA-SHA1" => {
            let Some(pem) = input.secrets.rsa_private_key_pem.as_deref() else {
                return cannot_express("RSA-SHA1 without a private key");
            };
            let key = oauth::signature_method::rsa_sha1_09::RsaPrivateKey::from_pkcs8_pem(pem)
                .or_else(|_| oauth::signature_method::rsa_sha1_09::RsaPrivateKey::from_pkcs1_pem(pem));
            match key {
                Ok(key) => sign_with(input, request, oauth::Rsa09Sha1::new(key)),
                Err(e) => Outcome::Error(format!("the case's RSA private key does not load with the rsa crate: {e}")),
            }
        }
        other => cannot_express(&format!("signature method {other}")),
    }
}

fn sign_with<R, SM>(input: &SignInput<'_>, request: &R, signature_method: SM) -> Outcome<Trace>
where
    R: oauth::Request,
    SM: SignatureMethod + Clone,
{
    let oauth = input.oauth;
    if oauth.compute_body_hash {
        return cannot_express("oauth_body_hash");
    }
    let Some(nonce) = oauth.nonce.as_deref() else {
        return cannot_express("an omitted oauth_nonce (Builder generates one)");
    };
    let timestamp =
        oauth.timestamp.as_deref().and_then(|t| t.parse::<NonZeroU64>().ok().filter(|n| n.to_string() == t));
    let Some(timestamp) = timestamp else {
        return cannot_express(&format!("oauth_timestamp {:?} (Builder takes a NonZeroU64)", oauth.timestamp));
    };
    let version = match oauth.version.as_deref() {
        None => false,
        Some("1.0") => true,
        Some(other) => return cannot_express(&format!("oauth_version {other:?} (Builder::version only adds 1.0)")),
    };
    let mut callback = None;
    let mut verifier = None;
    for (name, value) in &oauth.extra {
        match name.as_str() {
            "oauth_callback" => callback = Some(value.as_str()),
            "oauth_verifier" => verifier = Some(value.as_str()),
            other => return cannot_express(&format!("protocol parameter {other}")),
        }
    }
    let recording = Rc::new(RefCell::new(Recording::default()));
    let recorder = Recorder { inner: signature_method, recording: Rc::clone(&recording) };
    let consumer_secret = input.secrets.consumer_secret.as_deref().unwrap_or_default();
    let mut builder = Builder::new(Credentials::new(oauth.consumer_key.as_str(), consumer_secret), recorder);
    if let Some(token) = oauth.token.as_deref() {
        builder.token(Credentials::new(token, input.secrets.token_secret.as_deref().unwrap_or_default()));
    }
    builder.nonce(nonce).timestamp(timestamp).version(version).callback(callback).verifier(verifier);
    let header = builder.authorize(&input.request.method, url_without_query(&input.request.url), request);
    let recording = recording.take();
    let Some(signature) = recording.signature else {
        return Outcome::Error("the crate produced a header without calling the signer's end()".into());
    };
    Outcome::Answer(super::trace_from_base_string(recording.base_string, super::decode_text(&signature), header))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::peers::rfc_example;

    fn sign_rfc_example<P: InProcess>(peer: &mut P, version: Option<&str>) -> Trace {
        rfc_example::sign(peer, version)
    }

    #[test]
    fn the_hand_written_request_signs_the_rfc_example_exactly() {
        let mut peer = RequestPeer::default();
        let trace = sign_rfc_example(&mut peer, None);
        assert_eq!(trace.signature_base_string.as_deref(), Some(rfc_example::BASE_STRING));
        assert_eq!(trace.base_string_uri.as_deref(), Some("http://example.com/request"));
        assert_eq!(trace.signature.as_deref(), Some(rfc_example::SIGNATURE));
        let with_version = sign_rfc_example(&mut peer, Some("1.0"));
        assert_eq!(with_version.signature.as_deref(), Some(rfc_example::SIGNATURE_WITH_VERSION));
        // The crate has no realm: its header carries everything else.
        let header = trace.authorization_header.unwrap_or_default();
        assert!(
            header.starts_with("OAuth oauth_consumer_key=\"9djdj82h48djs9d2\",oauth_nonce=\"7d8f3e4a\""),
            "{header}"
        );
        assert!(header.ends_with("oauth_signature=\"r6%2FTJjbCOr97%2F%2BUU0NsvSne7s5g%3D\""), "{header}");
        assert!(!header.contains("realm"), "{header}");
    }

    #[test]
    fn the_parameter_list_gets_the_rfc_example_wrong() {
        let mut peer = ParameterListPeer::default();
        let trace = sign_rfc_example(&mut peer, None);
        // Observed (a quirk, not an expected value): the pairs are sorted and serialized by
        // their decoded names, which are not encoded, so `c@` is written as is and sorts after
        // `c2`. The crate signs
        //   POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26
        //   b5%3D%253D%25253D%26c2%3D%26c@%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26...
        // giving 8G4euneFNxZ/D9jpmV6Uae81EG8= (Or73M6jQ53Yu7RmmdCTxs1bU6f0= with oauth_version).
        let base_string = trace.signature_base_string.unwrap_or_default();
        assert!(base_string.contains("%26c2%3D%26c@%3D%26oauth_consumer_key"), "{base_string}");
        assert_ne!(base_string, rfc_example::BASE_STRING);
        assert_ne!(trace.signature.as_deref(), Some(rfc_example::SIGNATURE));
        let with_version = sign_rfc_example(&mut peer, Some("1.0"));
        assert_ne!(with_version.signature.as_deref(), Some(rfc_example::SIGNATURE_WITH_VERSION));
    }

    #[test]
    fn inputs_the_builder_cannot_express_are_refused() {
        let (request, secrets) = (rfc_example::request(), rfc_example::secrets());
        let mut oauth = rfc_example::oauth(None);
        oauth.nonce = None;
        let outcome = RequestPeer::default().sign(&SignInput { request: &request, oauth: &oauth, secrets: &secrets });
        assert!(matches!(outcome, Outcome::Unsupported(_)), "{outcome:?}");
        let mut oauth = rfc_example::oauth(Some("2.0"));
        oauth.timestamp = Some("0137131201".into());
        let outcome = RequestPeer::default().sign(&SignInput { request: &request, oauth: &oauth, secrets: &secrets });
        assert!(matches!(outcome, Outcome::Unsupported(_)), "{outcome:?}");
    }
}
