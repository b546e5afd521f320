//! `oauth1-header` 0.1.0 (<https://crates.io/crates/oauth1-header>):
//! [`Credentials::auth`](oauth1_header::Credentials::auth), which returns the Authorization
//! header.
//!
//! The crate picks the nonce and timestamp itself; see `emits_own_nonce_timestamp`.

use std::collections::HashMap;

use oauth1_header::http::Method;
use oauth1_header::Credentials;

use super::{
    cannot_express, own_nonce_timestamp_trace, request_pairs_lossy, sent_header_parameters, url_without_query,
    OwnNonceSigner,
};
use crate::implementation::{Outcome, SignInput};
use crate::limits::InputLimits;
use crate::trace::Trace;

/// The pinned version (see `Cargo.toml`).
pub const VERSION: &str = "0.1.0";
/// The peer's name.
pub const NAME: &str = "oauth1-header";

/// How the peer drives the crate, and what it cannot express.
const NOTES: &str = "Sign: Credentials::new(consumer_key, consumer_secret, token, token_secret).auth(method, \
     base_url, params), the method parsed as an http 0.2 Method. The caller passes the URL with \
     its query and fragment cut off as base_url (the crate signs it as given) and puts the \
     query's and the form body's pairs, decoded to text (`+` a space, non-UTF-8 octets as \
     U+FFFD), into params, a HashMap<&str, &str>, so duplicate names collapse to the last one; \
     the case's other protocol parameters (oauth_callback, …) go there too, so they are signed, \
     but the crate's header has a fixed set of parameters and never sends them. signature is \
     read from the header. HMAC-SHA1 only; no base string is exposed. Cannot express: a request \
     without oauth_token (the crate always sends one), a realm (its header never has one), \
     oauth_body_hash, a method http 0.2 refuses.";

/// The peer.
#[must_use]
pub fn peer() -> OwnNonceSigner {
    OwnNonceSigner::new(
        NAME,
        VERSION,
        &["HMAC-SHA1"],
        (NOTES, InputLimits { token_required: true, ..InputLimits::default() }),
        sign,
    )
}

/// Signs `input` with the crate, as the notes say (the peer has already refused what the
/// crate's fixed protocol cannot express).
fn sign(input: &SignInput<'_>) -> Outcome<Trace> {
    let oauth = input.oauth;
    let Some(token) = oauth.token.as_deref() else {
        return cannot_express("a request without oauth_token (the crate always sends one)");
    };
    let method = match Method::from_bytes(input.request.method.as_bytes()) {
        Ok(method) => method,
        Err(e) => return cannot_express(&format!("method {:?} ({e})", input.request.method)),
    };
    let pairs = request_pairs_lossy(input.request);
    let params: HashMap<&str, &str> =
        pairs.iter().chain(&oauth.extra).map(|(name, value)| (name.as_str(), value.as_str())).collect();
    let credentials = Credentials::new(
        &oauth.consumer_key,
        input.secrets.consumer_secret.as_deref().unwrap_or_default(),
        token,
        input.secrets.token_secret.as_deref().unwrap_or_default(),
    );
    let header = credentials.auth(&method, url_without_query(&input.request.url), &params);
    own_nonce_timestamp_trace(&sent_header_parameters(&header), Some(header))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::implementation::InProcess;
    use crate::peers::rfc_example;
    use crate::quirks::Quirk;

    #[test]
    fn the_rfc_example_collapses_its_duplicate_and_reports_its_own_nonce() {
        rfc_example::assert_collapses_duplicate(&mut peer());
    }

    /// Each of these quirks is the crate's (`lib.rs` of 0.1.0): `OAuthHeader`'s `Display`
    /// writes the consumer key and token as given and no other parameter (header-values-not-encoded,
    /// omits-realm, sends-extra-protocol-parameters-outside-header), `params_string` sorts the
    /// joined `name=value` strings (sorts-joined-pairs), `sign` joins the secrets unencoded
    /// (secrets-not-encoded), and its parameters are a `HashMap` (collapses-duplicates-last-wins).
    #[test]
    fn the_quirks_reproduce_what_the_crate_signs() {
        let request = oauth1_vectors::SignRequest {
            method: "GET".into(),
            url: "http://example.com/request?a=1&a-b=2&a=3".into(),
            content_type: None,
            body: None,
        };
        let oauth = oauth1_vectors::OAuthParams {
            token: Some("t%k n".into()),
            extra: vec![("oauth_callback".into(), "oob".into())],
            ..rfc_example::oauth(Some("1.0"))
        };
        let secrets = oauth1_vectors::SignSecrets {
            consumer_secret: Some("kd94 hf93&k423kf44".into()),
            ..rfc_example::secrets()
        };
        rfc_example::assert_quirks_reproduce(
            &mut peer(),
            (&request, &oauth, &secrets),
            &[
                Quirk::HeaderValuesNotEncoded,
                Quirk::OmitsRealm,
                Quirk::ExtrasOutsideHeader,
                Quirk::SortsJoinedPairs,
                Quirk::SecretsNotEncoded,
                Quirk::CollapsesDuplicatesLast,
            ],
        );
    }

    #[test]
    fn a_request_without_a_token_cannot_be_expressed() {
        let (request, secrets) = (rfc_example::request(), rfc_example::secrets());
        let oauth = oauth1_vectors::OAuthParams { token: None, ..rfc_example::oauth(Some("1.0")) };
        let outcome = peer().sign(&SignInput { request: &request, oauth: &oauth, secrets: &secrets });
        assert!(matches!(outcome, Outcome::Unsupported(ref message) if message.contains("oauth_token")));
    }
}
