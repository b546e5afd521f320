//! Sign, then change one thing: the one list of tampering mutations, shared by the generated
//! verify cases of the harness and the `tampered` family of the live-server probe.
//!
//! A request is signed by the reference, kept as a [`SignedRequest`] (the request and its
//! protocol parameters, before they are written into a transmission location), changed by
//! one [`Mutation`], and only then written out ([`SignedRequest::transmit`]), so that a
//! mutation of a protocol parameter is the same whichever location carries it. Every
//! mutation has the verdict RFC 5849 gives it: a verifier must refuse the request, and says
//! why in the vector vocabulary ([`RejectReason`]).

use base64::prelude::{Engine as _, BASE64_STANDARD};
use serde::Serialize;

use oauth1_reference::header::{build_authorization_header, parse_authorization_header};
use oauth1_reference::transmission::{form_body_with_protocol_parameters, url_with_protocol_parameters};
use oauth1_vectors::{OAuthParams, RejectReason, SignRequest, SignSecrets, VerifyRequest};

use crate::implementation::{InProcess, Outcome, SignInput};
use crate::reference_impl::Reference;

/// Where the protocol parameters travel (§3.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Location {
    /// §3.5.1, the `Authorization` header.
    Header,
    /// §3.5.2, the form-encoded entity-body.
    Body,
    /// §3.5.3, the request URI's query.
    Query,
}

impl Location {
    /// Every location, in the RFC's order.
    pub const ALL: [Self; 3] = [Self::Header, Self::Body, Self::Query];

    /// The name used in case ids and reports.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Header => "header",
            Self::Body => "body",
            Self::Query => "query",
        }
    }
}

/// A request the reference signed, before its protocol parameters are written out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedRequest {
    /// The HTTP method as sent.
    pub method: String,
    /// The URL without the protocol parameters.
    pub url: String,
    /// The content type of the body.
    pub content_type: Option<String>,
    /// The entity-body without the protocol parameters.
    pub body: Option<String>,
    /// The protocol parameters, `oauth_signature` included, in the order they are written.
    pub protocol: Vec<(String, String)>,
    /// The realm, written only into an Authorization header.
    pub realm: Option<String>,
    /// Where the protocol parameters go.
    pub location: Location,
}

/// Why the reference does not sign a request (or cannot send it where asked).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The body location, and no form body to carry the parameters.
    #[error("protocol parameters travel in the body only with a form body (RFC 5849 §3.5.2)")]
    BodyNeedsForm,
    /// The reference refuses to sign it, in its words.
    #[error("{0}")]
    Refused(String),
    /// The reference signed it but wrote no `Authorization` header.
    #[error("the reference wrote no Authorization header")]
    NoHeader,
    /// The reference's header does not parse back (a reference bug).
    #[error("{0}")]
    Header(#[from] oauth1_reference::header::HeaderError),
}

impl SignedRequest {
    /// Signs `request` with `oauth` and `secrets` by the reference, for `location`. `Err` says
    /// why the reference does not sign it (or cannot send it there: a body location needs a
    /// form body, §3.5.2).
    pub fn sign(
        request: &SignRequest,
        oauth: &OAuthParams,
        secrets: &SignSecrets,
        location: Location,
    ) -> Result<Self, Error> {
        if location == Location::Body
            && !request.content_type.as_deref().is_some_and(oauth1_reference::parameters::is_form_urlencoded)
        {
            return Err(Error::BodyNeedsForm);
        }
        let trace = match Reference::default().sign(&SignInput { request, oauth, secrets }) {
            Outcome::Answer(trace) => trace,
            Outcome::Rejected { message, .. }
            | Outcome::Unsupported(message)
            | Outcome::Panicked(message)
            | Outcome::Error(message) => return Err(Error::Refused(message)),
        };
        let header = trace.authorization_header.ok_or(Error::NoHeader)?;
        let params = parse_authorization_header(header.as_bytes())?;
        let text = |octets: Vec<u8>| String::from_utf8_lossy(&octets).into_owned();
        let (mut realm, mut protocol) = (None, Vec::new());
        for param in params {
            if param.name == b"realm" {
                realm = Some(text(param.value));
            } else {
                protocol.push((text(param.name), text(param.value)));
            }
        }
        Ok(Self {
            method: request.method.clone(),
            url: request.url.clone(),
            content_type: request.content_type.clone(),
            body: request.body.clone(),
            protocol,
            realm,
            location,
        })
    }

    /// The request as sent: the protocol parameters written into its location.
    #[must_use]
    pub fn transmit(&self) -> VerifyRequest {
        let mut request = VerifyRequest {
            method: self.method.clone(),
            url: self.url.clone(),
            content_type: self.content_type.clone(),
            body: self.body.clone(),
            headers: Vec::new(),
        };
        match self.location {
            Location::Header => {
                let pairs: Vec<(&[u8], &[u8])> =
                    self.protocol.iter().map(|(n, v)| (n.as_bytes(), v.as_bytes())).collect();
                // A realm the reference signed with is one it can write (it wrote it above).
                let header = build_authorization_header(self.realm.as_deref(), &pairs).unwrap_or_default();
                request.headers.push(("Authorization".into(), header));
            }
            Location::Body => {
                request.body =
                    Some(form_body_with_protocol_parameters(self.body.as_deref().unwrap_or_default(), &self.protocol));
            }
            Location::Query => request.url = url_with_protocol_parameters(&self.url, &self.protocol),
        }
        if let Some(content_type) = &request.content_type {
            request.headers.push(("Content-Type".into(), content_type.clone()));
        }
        request
    }

    /// The body, when it is a form (its parameters are signed, §3.4.1.3.1).
    fn form_body(&self) -> Option<&str> {
        let form = self.content_type.as_deref().is_some_and(oauth1_reference::parameters::is_form_urlencoded);
        self.body.as_deref().filter(|_| form)
    }

    fn protocol_value(&self, name: &str) -> Option<&str> {
        self.protocol.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    fn set_protocol_value(&mut self, name: &str, value: String) {
        if let Some(slot) = self.protocol.iter_mut().find(|(n, _)| n == name) {
            slot.1 = value;
        }
    }
}

/// What a mutation may need besides the signed request: the inputs it was signed from, to sign
/// again with one of them changed.
#[derive(Debug, Clone, Copy)]
pub struct SignedFrom<'a> {
    /// The request as signed.
    pub request: &'a SignRequest,
    /// The protocol parameters.
    pub oauth: &'a OAuthParams,
    /// The client's secrets.
    pub secrets: &'a SignSecrets,
    /// The verifier's clock, Unix seconds.
    pub now: u64,
}

macro_rules! mutations {
    ($($variant:ident = $id:literal, $rfc:literal, $reason:ident, $description:literal;)*) => {
        /// One change to a signed request that a verifier must refuse.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum Mutation { $(#[doc = $description] $variant,)* }

        impl Mutation {
            /// Every mutation.
            pub const ALL: &'static [Mutation] = &[$(Mutation::$variant,)*];

            /// The stable id used in case ids and reports.
            #[must_use]
            pub fn id(self) -> &'static str { match self { $(Mutation::$variant => $id,)* } }

            /// The RFC 5849 clause that makes a verifier refuse it.
            #[must_use]
            pub fn rfc(self) -> &'static str { match self { $(Mutation::$variant => $rfc,)* } }

            /// Why a verifier refuses it, in the vector vocabulary.
            #[must_use]
            pub fn expected_reason(self) -> RejectReason { match self { $(Mutation::$variant => RejectReason::$reason,)* } }

            /// What is changed.
            #[must_use]
            pub fn description(self) -> &'static str { match self { $(Mutation::$variant => $description,)* } }
        }
    };
}

mutations! {
    ChangedMethod = "changed-method", "RFC 5849 §3.4.1.1 (the method is signed)", SignatureMismatch,
        "The HTTP method is changed after signing.";
    ChangedPath = "changed-path", "RFC 5849 §3.4.1.2 (the path is signed)", SignatureMismatch,
        "The request path is changed after signing.";
    ChangedQueryValue = "changed-query-value", "RFC 5849 §3.4.1.3.1 (query parameters are signed)", SignatureMismatch,
        "One query parameter's value is changed after signing.";
    ChangedBodyValue = "changed-body-value", "RFC 5849 §3.4.1.3.1 (form body parameters are signed)", SignatureMismatch,
        "One form-body parameter's value is changed after signing.";
    AddedParameter = "added-parameter", "RFC 5849 §3.4.1.3.1 (every query parameter is signed)", SignatureMismatch,
        "A query parameter is added after signing.";
    RemovedParameter = "removed-parameter", "RFC 5849 §3.4.1.3.1 (every query and form parameter is signed)", SignatureMismatch,
        "A signed query or form-body parameter is removed after signing.";
    FlippedSignatureBit = "flipped-signature-bit", "RFC 5849 §3.2 (the signature must verify)", SignatureMismatch,
        "One bit of oauth_signature is flipped.";
    KeyWithoutTokenSecret = "key-without-token-secret", "RFC 5849 §3.4.2 (the key is both secrets)", SignatureMismatch,
        "The request is signed with the consumer secret alone (`cs&`), though it carries a token.";
    ChangedConsumerKey = "changed-consumer-key", "RFC 5849 §3.4.1.3.1 (oauth_consumer_key is signed)", SignatureMismatch,
        "oauth_consumer_key is changed after signing.";
    ChangedToken = "changed-token", "RFC 5849 §3.4.1.3.1 (oauth_token is signed)", SignatureMismatch,
        "oauth_token is changed after signing.";
    ChangedBodyUnderBodyHash = "changed-body-under-body-hash", "draft-eaton-oauth-bodyhash §4.1 (the body hash is checked)", BodyHashMismatch,
        "The body of a request carrying oauth_body_hash is changed after signing.";
    StaleTimestamp = "stale-timestamp", "RFC 5849 §3.3 (the server may refuse stale requests); §3.2", TimestampOutOfWindow,
        "The request is signed with an oauth_timestamp 24 hours before the verifier's clock.";
    DuplicatedProtocolParameter = "duplicated-protocol-parameter", "RFC 5849 §3.1 (each parameter MUST NOT appear more than once)", DuplicateParameter,
        "oauth_nonce is sent twice, with the same value, in the same location.";
}

/// A day, the staleness of [`Mutation::StaleTimestamp`]: far outside any window a server
/// would document.
const A_DAY: u64 = 86_400;

impl Mutation {
    /// `signed` with this mutation applied, or `None` when it does not apply to it (no query
    /// parameter to change, no token, no body hash, …).
    #[must_use]
    pub fn apply(self, signed: &SignedRequest, from: &SignedFrom<'_>) -> Option<SignedRequest> {
        let method = from.oauth.signature_method.as_str();
        if (method == "PLAINTEXT" && !self.caught_by_plaintext())
            || (method.starts_with("RSA-") && self == Self::KeyWithoutTokenSecret)
        {
            // RSA signs with the client's private key: the shared secrets are no part of it.
            return None;
        }
        let mut out = signed.clone();
        match self {
            // The base string uppercases the method (§3.4.1.1): `get` is signed as `GET`.
            Self::ChangedMethod => {
                out.method = if signed.method.eq_ignore_ascii_case("GET") { "POST".into() } else { "GET".into() };
            }
            Self::ChangedPath => out.url = changed_path(&signed.url)?,
            Self::ChangedQueryValue => out.url = edit_query(&signed.url, QueryEdit::ChangeFirst)?,
            Self::AddedParameter => out.url = edit_query(&signed.url, QueryEdit::Add)?,
            Self::RemovedParameter => match edit_query(&signed.url, QueryEdit::RemoveFirst) {
                Some(url) => out.url = url,
                None => out.body = Some(edit_form(signed.form_body()?, FormEdit::RemoveFirst)?),
            },
            Self::ChangedBodyValue => out.body = Some(edit_form(signed.form_body()?, FormEdit::ChangeFirst)?),
            Self::FlippedSignatureBit => {
                let flipped = flip_first_bit(signed.protocol_value("oauth_signature")?);
                out.set_protocol_value("oauth_signature", flipped);
            }
            Self::ChangedConsumerKey => {
                let key = format!("{}x", signed.protocol_value("oauth_consumer_key")?);
                out.set_protocol_value("oauth_consumer_key", key);
            }
            Self::ChangedToken => {
                let token = format!("{}x", signed.protocol_value("oauth_token")?);
                out.set_protocol_value("oauth_token", token);
            }
            Self::ChangedBodyUnderBodyHash => {
                signed.protocol_value("oauth_body_hash")?;
                out.body = Some(format!("{}x", signed.body.as_deref().unwrap_or_default()));
            }
            Self::KeyWithoutTokenSecret => {
                from.oauth.token.as_ref()?;
                if from.secrets.token_secret.as_deref().unwrap_or_default().is_empty() {
                    return None;
                }
                let secrets = SignSecrets { token_secret: Some(String::new()), ..from.secrets.clone() };
                out = SignedRequest::sign(from.request, from.oauth, &secrets, signed.location).ok()?;
            }
            Self::StaleTimestamp => {
                let stale = from.now.checked_sub(A_DAY)?.max(1).to_string();
                let oauth = OAuthParams { timestamp: Some(stale), ..from.oauth.clone() };
                out = SignedRequest::sign(from.request, &oauth, from.secrets, signed.location).ok()?;
            }
            Self::DuplicatedProtocolParameter => {
                let nonce = signed.protocol_value("oauth_nonce")?.to_owned();
                out.protocol.push(("oauth_nonce".into(), nonce));
            }
        }
        Some(out)
    }
}

impl Mutation {
    /// Whether a verifier of a PLAINTEXT request must catch it: the PLAINTEXT signature is the
    /// key alone and signs nothing of the request (§3.4.4), so a change to the method, the URL,
    /// a parameter, the consumer key or the token leaves it valid (a server that knows the key
    /// by name would still refuse an unknown key; here the secrets are given); and PLAINTEXT
    /// may go without timestamp and nonce (§3.1), so no window applies to it.
    #[must_use]
    pub fn caught_by_plaintext(self) -> bool {
        matches!(
            self,
            Self::FlippedSignatureBit
                | Self::KeyWithoutTokenSecret
                | Self::DuplicatedProtocolParameter
                | Self::ChangedBodyUnderBodyHash
        )
    }
}

/// The URL with its last path segment changed (`x` appended), or a segment added to `/`.
fn changed_path(url: &str) -> Option<String> {
    let scheme_end = url.find("://")? + 3;
    let path_start = url.get(scheme_end..)?.find('/').map_or(url.len(), |i| i + scheme_end);
    let path_end = url.find(['?', '#']).unwrap_or(url.len()).max(path_start);
    let path = url.get(path_start..path_end)?;
    let changed = if path.is_empty() || path == "/" { "/x".to_owned() } else { format!("{path}x") };
    Some(format!("{}{changed}{}", url.get(..path_start)?, url.get(path_end..)?))
}

#[derive(Clone, Copy)]
enum QueryEdit {
    ChangeFirst,
    RemoveFirst,
    Add,
}

/// The URL with its query edited: the first parameter's value changed or the parameter removed
/// (`None` without one), or a parameter added.
fn edit_query(url: &str, edit: QueryEdit) -> Option<String> {
    let (before_fragment, fragment) = url.split_once('#').map_or((url, None), |(b, f)| (b, Some(f)));
    let (base, query) = before_fragment.split_once('?').map_or((before_fragment, None), |(b, q)| (b, Some(q)));
    let query = match (edit, query.filter(|q| !q.is_empty())) {
        (QueryEdit::Add, None) => "added=1".to_owned(),
        (QueryEdit::Add, Some(query)) => format!("{query}&added=1"),
        (QueryEdit::ChangeFirst, Some(query)) => edit_form(query, FormEdit::ChangeFirst)?,
        (QueryEdit::RemoveFirst, Some(query)) => edit_form(query, FormEdit::RemoveFirst)?,
        (_, None) => return None,
    };
    let separator = if query.is_empty() { "" } else { "?" };
    Some(format!("{base}{separator}{query}{}", fragment.map(|f| format!("#{f}")).unwrap_or_default()))
}

#[derive(Clone, Copy)]
enum FormEdit {
    ChangeFirst,
    RemoveFirst,
}

/// `name=value&…` text with its first non-empty pair's value changed (`x` appended) or the
/// pair removed; `None` without such a pair.
fn edit_form(text: &str, edit: FormEdit) -> Option<String> {
    let pairs: Vec<&str> = text.split('&').collect();
    let first = pairs.iter().position(|pair| !pair.is_empty())?;
    let edited: Vec<String> = pairs
        .iter()
        .enumerate()
        .filter(|(i, _)| !(matches!(edit, FormEdit::RemoveFirst) && *i == first))
        .map(|(i, pair)| match edit {
            FormEdit::ChangeFirst if i == first && pair.contains('=') => format!("{pair}x"),
            FormEdit::ChangeFirst if i == first => format!("{pair}=x"),
            _ => (*pair).to_owned(),
        })
        .collect();
    Some(edited.join("&"))
}

/// The signature with one bit flipped: in its first octet when it is base64 (the HMAC and RSA
/// methods), in its first character otherwise (PLAINTEXT).
fn flip_first_bit(signature: &str) -> String {
    match BASE64_STANDARD.decode(signature) {
        Ok(mut octets) if !octets.is_empty() => {
            if let Some(first) = octets.first_mut() {
                *first ^= 1;
            }
            BASE64_STANDARD.encode(octets)
        }
        _ => {
            let mut chars = signature.chars();
            match chars.next() {
                Some(first) => format!("{}{}", if first == 'x' { 'y' } else { 'x' }, chars.as_str()),
                None => "x".into(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use oauth1_reference::verify::{Credentials, InMemoryNonceStore, IncomingRequest, TimestampWindow, Verifier};

    /// RFC 5849 §1.2, the protected-resource request: consumer `dpf43f3p2l4k3l03` /
    /// `kd94hf93k423kf44`, token `nnch734d00sl2jdk` / `pfkkdhi9sl3r4s00`, signed at 137131202.
    fn rfc_request() -> (SignRequest, OAuthParams, SignSecrets) {
        let request = SignRequest {
            method: "GET".into(),
            url: "http://photos.example.net/photos?file=vacation.jpg&size=original".into(),
            content_type: None,
            body: None,
        };
        let oauth = OAuthParams {
            consumer_key: "dpf43f3p2l4k3l03".into(),
            token: Some("nnch734d00sl2jdk".into()),
            signature_method: "HMAC-SHA1".into(),
            timestamp: Some("137131202".into()),
            nonce: Some("chapoH".into()),
            version: None,
            realm: Some("Photos".into()),
            extra: Vec::new(),
            compute_body_hash: false,
        };
        let secrets = SignSecrets {
            consumer_secret: Some("kd94hf93k423kf44".into()),
            token_secret: Some("pfkkdhi9sl3r4s00".into()),
            rsa_private_key_pem: None,
        };
        (request, oauth, secrets)
    }

    fn verify(request: &VerifyRequest, now: u64) -> Result<(), &'static str> {
        let headers: Vec<(&str, &str)> = request.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let incoming = IncomingRequest {
            method: &request.method,
            url: &request.url,
            headers: &headers,
            content_type: request.content_type.as_deref(),
            body: request.body.as_deref().map(str::as_bytes),
        };
        let credentials =
            Credentials { consumer_secret: "kd94hf93k423kf44", token_secret: "pfkkdhi9sl3r4s00", rsa_public_key: None };
        let mut verifier = Verifier::new(TimestampWindow::default(), InMemoryNonceStore::default());
        verifier.verify(&incoming, &credentials, now).map(|_| ()).map_err(|r| r.reason())
    }

    #[test]
    fn the_rfc_request_is_signed_with_the_rfcs_signature_in_every_location() {
        let (request, oauth, secrets) = rfc_request();
        let signed = SignedRequest::sign(&request, &oauth, &secrets, Location::Header).unwrap();
        // RFC 5849 §1.2 gives this signature for the request.
        assert_eq!(signed.protocol_value("oauth_signature"), Some("MdpQcU8iPSUjWoN/UDMsK2sui9I="));
        let sent = signed.transmit();
        assert!(sent.headers[0].1.contains("oauth_signature=\"MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D\""), "{sent:?}");
        let query = SignedRequest { location: Location::Query, ..signed }.transmit();
        assert!(query.url.ends_with("&oauth_signature=MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D"), "{}", query.url);
        assert!(query.headers.is_empty());
        assert!(SignedRequest::sign(&request, &oauth, &secrets, Location::Body).is_err());
    }

    #[test]
    fn every_applicable_mutation_is_refused_for_its_reason_and_the_intact_request_accepted() {
        let (request, oauth, secrets) = rfc_request();
        let now = 137_131_210;
        let from = SignedFrom { request: &request, oauth: &oauth, secrets: &secrets, now };
        for location in [Location::Header, Location::Query] {
            let signed = SignedRequest::sign(&request, &oauth, &secrets, location).unwrap();
            assert_eq!(verify(&signed.transmit(), now), Ok(()), "{location:?}");
            let mut applied = 0;
            for &mutation in Mutation::ALL {
                let Some(mutated) = mutation.apply(&signed, &from) else { continue };
                applied += 1;
                assert_ne!(mutated, signed, "{mutation:?} changed nothing");
                let reason = verify(&mutated.transmit(), now);
                assert_eq!(reason, Err(mutation.expected_reason().as_str()), "{mutation:?} at {location:?}");
            }
            // Not the body-only ones (no form body), nor the body hash (none asked).
            assert_eq!(applied, Mutation::ALL.len() - 2, "{location:?}");
        }
    }

    #[test]
    fn query_and_form_edits() {
        assert_eq!(
            edit_query("http://e.com/p?a=1&b=2#f", QueryEdit::ChangeFirst).unwrap(),
            "http://e.com/p?a=1x&b=2#f"
        );
        assert_eq!(edit_query("http://e.com/p?a=1", QueryEdit::RemoveFirst).unwrap(), "http://e.com/p");
        assert_eq!(edit_query("http://e.com/p", QueryEdit::Add).unwrap(), "http://e.com/p?added=1");
        assert_eq!(edit_query("http://e.com/p", QueryEdit::ChangeFirst), None);
        assert_eq!(edit_form("&c2&a3=2+q", FormEdit::ChangeFirst).unwrap(), "&c2=x&a3=2+q");
        assert_eq!(changed_path("http://e.com").unwrap(), "http://e.com/x");
        assert_eq!(changed_path("http://e.com/a/b?q=1").unwrap(), "http://e.com/a/bx?q=1");
        assert_eq!(flip_first_bit("AAAA"), "AQAA");
        assert_eq!(flip_first_bit("cs&ts"), "xs&ts");
    }
}
