//! The requests of the battery before they are signed ([`Shape`]: the request, its protocol
//! parameters, where they travel), each valid variant as a change to the gate's shape, and
//! the fresh nonce and timestamp every signed request gets.

use oauth1_vectors::{OAuthParams, SignRequest, SignSecrets};

use super::cases::Variant;
use crate::mutation::{Location, SignedRequest};

/// The form body of the body cases.
pub const FORM_BODY: &str = "a=1&b=two+words";
/// The content type of a form body.
pub const FORM: &str = "application/x-www-form-urlencoded";
/// The JSON body of the non-form body cases.
pub const JSON_BODY: &str = "{\"probe\": \"oauth1-conformance\"}";

/// A request the reference is to sign, without its nonce and timestamp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape {
    /// The HTTP request as signed and sent.
    pub request: SignRequest,
    /// The protocol parameters (`nonce` and `timestamp` are set when it is signed).
    pub oauth: OAuthParams,
    /// Where the protocol parameters travel.
    pub location: Location,
}

/// A request signed for sending, with the parameters it was signed with.
#[derive(Debug, Clone)]
pub struct Signed {
    /// The signed request, before its protocol parameters are written out.
    pub request: SignedRequest,
    /// The protocol parameters, nonce and timestamp included.
    pub oauth: OAuthParams,
    /// The clock it was signed at.
    pub now: u64,
}

/// The nonce and timestamp of one signing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// `oauth_nonce` (`None`: left out).
    pub nonce: Option<String>,
    /// `oauth_timestamp` (`None`: left out).
    pub timestamp: Option<String>,
    /// The clock.
    pub now: u64,
}

impl Stamp {
    /// A new nonce and the clock's time.
    #[must_use]
    pub fn fresh() -> Self {
        let now = now();
        Self { nonce: Some(nonce()), timestamp: Some(now.to_string()), now }
    }

    /// A new nonce, the timestamp `offset` seconds before the clock (after it when negative).
    #[must_use]
    pub fn shifted(offset: i64) -> Self {
        let now = now();
        let timestamp = now.saturating_add_signed(-offset);
        Self { nonce: Some(nonce()), timestamp: Some(timestamp.to_string()), now }
    }
}

/// The system clock in Unix seconds.
#[must_use]
pub fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// 24 random letters and digits: unique for every request, and of the form every server's
/// policy takes (oauthlib asks for 20 to 30 alphanumerics).
#[must_use]
pub fn nonce() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut bytes = [0u8; 24];
    if getrandom::getrandom(&mut bytes).is_err() {
        // No system randomness: unique is what a nonce must be, so the clock and a counter.
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let count = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let text = format!("{seed:020}{count:04}");
        bytes.copy_from_slice(text.as_bytes().get(text.len() - 24..).unwrap_or(&[b'0'; 24]));
    }
    bytes.iter().map(|b| char::from(ALPHABET.get(usize::from(*b) % ALPHABET.len()).copied().unwrap_or(b'x'))).collect()
}

/// `url` with `pairs` appended to its query (the fragment dropped: it is never sent).
#[must_use]
pub fn with_query(url: &str, pairs: &str) -> String {
    let url = url.split_once('#').map_or(url, |(before, _)| before);
    match url.split_once('?') {
        Some((_, "")) => format!("{url}{pairs}"),
        Some(_) => format!("{url}&{pairs}"),
        None => format!("{url}?{pairs}"),
    }
}

impl Shape {
    /// The variant `variant` of this (the gate's) shape.
    #[must_use]
    pub fn variant(&self, variant: Variant) -> Self {
        let mut shape = self.clone();
        let query = |shape: &mut Self, pairs: &str| shape.request.url = with_query(&shape.request.url, pairs);
        match variant {
            Variant::Gate => {}
            Variant::Method(method) => method.clone_into(&mut shape.oauth.signature_method),
            Variant::QueryLocation => shape.location = Location::Query,
            Variant::ExtraQuery => query(&mut shape, "probe=1"),
            Variant::RepeatedNames => query(&mut shape, "a=2&a=1"),
            Variant::EmptyValue => query(&mut shape, "empty=&a=1"),
            Variant::PlusSpace => query(&mut shape, "q=two+words"),
            Variant::Percent20Space => query(&mut shape, "q=two%20words"),
            Variant::EncodedSlash => query(&mut shape, "path=a%2Fb"),
            Variant::NonAscii => query(&mut shape, "name=caf%C3%A9"),
            Variant::Reserved => query(&mut shape, "x=%21%2A%27%28%29"),
            Variant::Realm => shape.oauth.realm = Some("Example".into()),
            Variant::NoVersion => shape.oauth.version = None,
            Variant::FormBody => shape.post(FORM, FORM_BODY),
            Variant::FormBodyAndQuery => {
                shape.post(FORM, FORM_BODY);
                query(&mut shape, "x=1");
            }
            Variant::BodyLocation => {
                shape.post(FORM, FORM_BODY);
                shape.location = Location::Body;
            }
            Variant::JsonBody => shape.post("application/json", JSON_BODY),
            Variant::BodyHash => {
                shape.post("application/json", JSON_BODY);
                shape.oauth.compute_body_hash = true;
            }
        }
        shape
    }

    fn post(&mut self, content_type: &str, body: &str) {
        "POST".clone_into(&mut self.request.method);
        self.request.content_type = Some(content_type.to_owned());
        self.request.body = Some(body.to_owned());
    }

    /// Signs this shape with `stamp` and `secrets` by the reference.
    ///
    /// # Errors
    /// Why the reference does not sign it (an RSA method without a private key, …).
    pub fn sign(&self, secrets: &SignSecrets, stamp: &Stamp) -> Result<Signed, crate::mutation::Error> {
        let oauth =
            OAuthParams { nonce: stamp.nonce.clone(), timestamp: stamp.timestamp.clone(), ..self.oauth.clone() };
        let request = SignedRequest::sign(&self.request, &oauth, secrets, self.location)?;
        Ok(Signed { request, oauth, now: stamp.now })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_24_alphanumerics_and_differ() {
        let (a, b) = (nonce(), nonce());
        assert_eq!(a.len(), 24);
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric()), "{a}");
        assert_ne!(a, b);
    }

    #[test]
    fn queries_are_appended() {
        assert_eq!(with_query("http://h/p", "a=1"), "http://h/p?a=1");
        assert_eq!(with_query("http://h/p?", "a=1"), "http://h/p?a=1");
        assert_eq!(with_query("http://h/p?b=2#f", "a=1"), "http://h/p?b=2&a=1");
    }
}
