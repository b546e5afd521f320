//! `oauth1-client` 0.1.0 (<https://crates.io/crates/oauth1-client>), built without its `rsa`
//! feature: an [`OAuthRequest`] built with [`OAuthRequest::builder`].
//!
//! The crate picks the nonce and timestamp itself; see `emits_own_nonce_timestamp`.

use http02::Uri;
use oauth1_client::{
    AccessToken, AuthenticationLevel, AuthorizationScheme, ConsumerCredentials, HmacSha1Signature, OAuthRequest,
    Parameter, PlaintextSignature, SignatureMethod,
};

use super::{
    cannot_express, form_body, form_pairs, own_nonce_timestamp_trace, refused, request_pairs_lossy,
    sent_header_parameters, url_without_query, OwnNonceSigner,
};
use crate::implementation::{Outcome, SignInput};
use crate::limits::InputLimits;
use crate::trace::Trace;

/// The pinned version (see `Cargo.toml`).
pub const VERSION: &str = "0.1.0";
/// The peer's name.
pub const NAME: &str = "oauth1-client";

/// How the peer drives the crate, and what it cannot express.
const NOTES: &str = "Sign: OAuthRequest::builder(uri, auth_level, signature_method) with the URL, its query and \
     fragment cut off, parsed as an http 0.2 Uri; AuthenticationLevel::Token with an \
     AccessToken when the case has a token, ::Consumer otherwise; HmacSha1Signature or \
     PlaintextSignature. The query's and the form body's pairs, decoded to text (`+` a space, \
     non-UTF-8 octets as U+FFFD), go in with add_parameters, which is how the crate takes \
     request parameters: it chooses where they travel. The realm and the case's other protocol \
     parameters (oauth_callback, …) go in with add_auth_parameters. The crate's scheme fixes \
     the method: a POST is built with AuthorizationScheme::Header (the Authorization header, \
     the other parameters in a form body), a GET with AuthorizationScheme::Uri (every parameter \
     in the URL's query, so no header: only the signature is compared). build() refuses \
     duplicate parameter names. signature is read from the header or the query; no base string \
     is exposed. The header's values are unquoted (`OAuth name=value,…`), which the reference \
     parser refuses, so it is read back leniently. HMAC-SHA1 and PLAINTEXT (RSA-SHA1 needs the \
     `rsa` feature, built on an older `rsa`). Cannot express: any other method, a body that is \
     not a form (the crate builds the body), a GET with a body, oauth_body_hash. \
     ";

/// The peer.
#[must_use]
pub fn peer() -> OwnNonceSigner {
    OwnNonceSigner::new(
        NAME,
        VERSION,
        &["HMAC-SHA1", "PLAINTEXT"],
        (
            NOTES,
            InputLimits {
                methods: vec!["GET".into(), "POST".into()],
                bodiless_methods: vec!["GET".into()],
                form_bodies_only: true,
                ..InputLimits::default()
            },
        ),
        sign,
    )
}

/// Signs `input` with the crate, as the notes say (the peer has already refused what the
/// crate's fixed protocol cannot express).
fn sign(input: &SignInput<'_>) -> Outcome<Trace> {
    let (oauth, request) = (input.oauth, input.request);
    let signature_method: Box<dyn SignatureMethod> = match oauth.signature_method.as_str() {
        "PLAINTEXT" => Box::new(PlaintextSignature),
        _ => Box::new(HmacSha1Signature),
    };
    let has_body = request.body.as_deref().is_some_and(|body| !body.is_empty());
    let scheme = match request.method.as_str() {
        "POST" if has_body && form_body(request).is_none() => {
            return cannot_express("a body that is not a form (the crate builds the body from its parameters)")
        }
        "POST" => AuthorizationScheme::Header,
        "GET" if has_body => return cannot_express("a GET with a body (the crate's GET has none)"),
        "GET" => AuthorizationScheme::Uri,
        other => return cannot_express(&format!("method {other:?} (the crate sends only POST and GET)")),
    };
    let uri: Uri = match url_without_query(&request.url).parse() {
        Ok(uri) => uri,
        Err(e) => return refused(format!("http::Uri refuses {:?}: {e}", url_without_query(&request.url))),
    };
    let consumer =
        ConsumerCredentials::new(&oauth.consumer_key, input.secrets.consumer_secret.as_deref().unwrap_or_default());
    let auth_level = match oauth.token.as_deref() {
        Some(token) => AuthenticationLevel::Token(
            consumer,
            AccessToken::new(token, input.secrets.token_secret.as_deref().unwrap_or_default()),
        ),
        None => AuthenticationLevel::Consumer(consumer),
    };
    let auth_parameters: Vec<Parameter> = oauth
        .realm
        .iter()
        .map(|realm| Parameter::new("realm", realm))
        .chain(oauth.extra.iter().map(|(name, value)| Parameter::new(name, value)))
        .collect();
    let parameters: Vec<Parameter> =
        request_pairs_lossy(request).into_iter().map(|(name, value)| Parameter::new(name, value)).collect();
    let built = OAuthRequest::builder(uri, auth_level, signature_method)
        .scheme(scheme)
        .add_auth_parameters(&auth_parameters)
        .add_parameters(&parameters)
        .build();
    let built = match built {
        Ok(built) => built,
        Err(e) => return refused(format!("OAuthRequestBuilder::build: {e}")),
    };
    match built.headers.get("Authorization").map(|value| value.to_str()) {
        Some(Ok(header)) => own_nonce_timestamp_trace(&sent_header_parameters(header), Some(header.to_owned())),
        Some(Err(e)) => Outcome::Error(format!("the crate's Authorization header is not text: {e}")),
        None => {
            let query = built.uri.query().unwrap_or_default();
            let sent: Vec<(String, String)> = form_pairs(query)
                .into_iter()
                .map(|(name, value)| {
                    (String::from_utf8_lossy(&name).into_owned(), String::from_utf8_lossy(&value).into_owned())
                })
                .collect();
            own_nonce_timestamp_trace(&sent, None)
        }
    }
}

#[cfg(test)]
mod tests {
    use oauth1_vectors::SignRequest;

    use super::*;
    use crate::implementation::InProcess;
    use crate::peers::rfc_example;
    use crate::quirks::Quirk;

    #[test]
    fn the_rfc_example_is_refused_for_its_duplicate_and_sorted_by_decoded_names_without_it() {
        let mut peer = peer();
        let (request, oauth, secrets) =
            (rfc_example::request(), rfc_example::oauth(Some("1.0")), rfc_example::secrets());
        let outcome = peer.sign(&SignInput { request: &request, oauth: &oauth, secrets: &secrets });
        assert!(
            matches!(outcome, Outcome::Rejected { ref message, .. } if message.contains("uplicate")),
            "{outcome:?}"
        );
        // Observed (a quirk, not an expected value): it sorts decoded names, so the body's `c2`
        // comes before the query's `c@`, where the RFC sorts the encoded `c%40` first.
        let (trace, reference) = rfc_example::sign_with_own_nonce(&mut peer, &rfc_example::request_without_duplicate());
        assert_ne!(trace.signature, reference);
        // Its nonce: a hyphenated UUID.
        let nonce = trace.emitted_nonce.unwrap_or_default();
        assert!(nonce.len() == 36 && nonce.matches('-').count() == 4, "{nonce}");
        let header = trace.authorization_header.unwrap_or_default();
        assert!(header.starts_with("OAuth ") && !header.contains('"'), "{header}");
    }

    #[test]
    fn a_get_is_signed_in_the_url() {
        let request = SignRequest {
            method: "GET".into(),
            content_type: None,
            body: None,
            ..rfc_example::request_without_duplicate()
        };
        let (trace, reference) = rfc_example::sign_with_own_nonce(&mut peer(), &request);
        assert_eq!(trace.signature, reference);
        assert!(reference.is_some() && trace.authorization_header.is_none());
    }

    /// `build` (`lib.rs` of 0.1.0) keeps the realm out of the base string, as §3.4.1.3.1 says,
    /// but then writes it among the header's other `name=value` items: percent-encoded and
    /// unquoted, like them (header-values-unquoted, percent-encodes-realm-in-header).
    #[test]
    fn the_realm_is_written_encoded_and_unquoted_like_the_other_header_items() {
        let request = SignRequest {
            method: "POST".into(),
            url: "http://example.com/request".into(),
            content_type: Some("application/x-www-form-urlencoded".into()),
            body: Some("a=1".into()),
        };
        let oauth =
            oauth1_vectors::OAuthParams { realm: Some("Photo Server".into()), ..rfc_example::oauth(Some("1.0")) };
        rfc_example::assert_quirks_reproduce(
            &mut peer(),
            (&request, &oauth, &rfc_example::secrets()),
            &[Quirk::HeaderValuesUnquoted, Quirk::EncodesRealmInHeader],
        );
    }
}
