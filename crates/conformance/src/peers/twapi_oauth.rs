//! `twapi-oauth` 0.1.4 (<https://crates.io/crates/twapi-oauth>): [`calc_oauth_header`], the
//! function behind its `oauth1_authorization_header`, which returns the Authorization header's
//! parameter list.
//!
//! The crate picks the nonce and timestamp itself; see `emits_own_nonce_timestamp`.

use twapi_oauth::calc_oauth_header;

use super::{
    own_nonce_timestamp_trace, request_pairs_lossy, sent_header_parameters, url_without_query, OwnNonceSigner,
};
use crate::implementation::{Outcome, SignInput};
use crate::limits::InputLimits;
use crate::trace::Trace;

/// The pinned version (see `Cargo.toml`).
pub const VERSION: &str = "0.1.4";
/// The peer's name.
pub const NAME: &str = "twapi-oauth";

/// How the peer drives the crate, and what it cannot express.
const NOTES: &str = "Sign: \"OAuth \" + calc_oauth_header(sign_key, consumer_key, header_options, method, uri, \
     options), which is what oauth1_authorization_header does, called directly so that a \
     request without a token and the case's other protocol parameters (oauth_callback, …) can \
     be sent: header_options is oauth_token (when the case has one) and those parameters, and \
     sign_key is consumer_secret + \"&\" + token_secret unencoded, as \
     oauth1_authorization_header builds it. The caller passes the method as given, the URL \
     with its query and fragment cut off as uri, and the query's and the form body's pairs, \
     decoded to text (`+` a space, non-UTF-8 octets as U+FFFD), as options, a Vec, so \
     duplicates are kept. signature is read from the header. The header's values are \
     unquoted (`OAuth name=value, …`), which the reference parser refuses, so it is read back \
     leniently. HMAC-SHA1 only; no base string is exposed. Cannot express: a realm (its header \
     never has one), oauth_body_hash.";

/// The peer.
#[must_use]
pub fn peer() -> OwnNonceSigner {
    OwnNonceSigner::new(NAME, VERSION, &["HMAC-SHA1"], (NOTES, InputLimits::default()), sign)
}

/// Signs `input` with the crate, as the notes say (the peer has already refused what the
/// crate's fixed protocol cannot express).
fn sign(input: &SignInput<'_>) -> Outcome<Trace> {
    let oauth = input.oauth;
    let sign_key = format!(
        "{}&{}",
        input.secrets.consumer_secret.as_deref().unwrap_or_default(),
        input.secrets.token_secret.as_deref().unwrap_or_default()
    );
    let header_options: Vec<(&str, &str)> = oauth
        .token
        .iter()
        .map(|token| ("oauth_token", token.as_str()))
        .chain(oauth.extra.iter().map(|(name, value)| (name.as_str(), value.as_str())))
        .collect();
    let pairs = request_pairs_lossy(input.request);
    let options: Vec<(&str, &str)> = pairs.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect();
    let header = format!(
        "OAuth {}",
        calc_oauth_header(
            &sign_key,
            &oauth.consumer_key,
            &header_options,
            &input.request.method,
            url_without_query(&input.request.url),
            &options,
        )
    );
    own_nonce_timestamp_trace(&sent_header_parameters(&header), Some(header))
}

#[cfg(test)]
mod tests {
    use oauth1_vectors::SignRequest;

    use super::*;
    use crate::peers::rfc_example;
    use crate::quirks::Quirk;

    #[test]
    fn the_rfc_example_keeps_its_duplicate_but_not_the_encoded_name() {
        let mut peer = peer();
        // Observed (a quirk, not an expected value): the names are not percent-encoded, so the
        // RFC example's `c%40` is signed as `c@` and the signature differs from the reference's
        // with the same nonce and timestamp ...
        let (trace, reference) = rfc_example::sign_with_own_nonce(&mut peer, &rfc_example::request());
        assert_ne!(trace.signature, reference);
        // ... while without that parameter, duplicate `a3` included, it agrees.
        let request = SignRequest {
            url: "http://example.com/request?b5=%3D%253D&a3=a&a2=r%20b".into(),
            ..rfc_example::request()
        };
        let (trace, reference) = rfc_example::sign_with_own_nonce(&mut peer, &request);
        assert_eq!(trace.signature, reference);
        let nonce = trace.emitted_nonce.unwrap_or_default();
        assert!(nonce.len() == 32 && nonce.bytes().all(|b| b.is_ascii_alphanumeric()), "{nonce}");
        let header = trace.authorization_header.unwrap_or_default();
        assert!(header.starts_with("OAuth ") && !header.contains('"'), "{header}");
    }

    /// Each of these quirks is the crate's (`lib.rs` of 0.1.4): `calc_oauth_header` writes
    /// `name=value` items (header-values-unquoted), puts the consumer key and the option names
    /// unencoded into the string it encodes once (consumer-key-not-encoded,
    /// names-encoded-once), takes the method and URI as given (method-not-uppercased,
    /// keeps-host-case) and has no realm (omits-realm); `oauth1_authorization_header` joins
    /// the secrets unencoded (secrets-not-encoded).
    #[test]
    fn the_quirks_reproduce_what_the_crate_signs() {
        let request = SignRequest {
            method: "get".into(),
            url: "http://PHOTOS.example.net:8001/Photos?photo%20size=300%25&title=Back%20of%20%24100".into(),
            content_type: None,
            body: None,
        };
        let oauth = oauth1_vectors::OAuthParams {
            consumer_key: "dpf43f3++p+#2l4k3l03".into(),
            token: Some("nnch734d(0)0sl2jdk".into()),
            realm: Some("Photos".into()),
            ..rfc_example::oauth(Some("1.0"))
        };
        let secrets = oauth1_vectors::SignSecrets {
            consumer_secret: Some("kd94hf93k423kf44".into()),
            token_secret: Some("pfkk dhi9&sl3r4s00".into()),
            rsa_private_key_pem: None,
        };
        rfc_example::assert_quirks_reproduce(
            &mut peer(),
            (&request, &oauth, &secrets),
            &[
                Quirk::HeaderValuesUnquoted,
                Quirk::ConsumerKeyNotEncoded,
                Quirk::NamesEncodedOnce,
                Quirk::MethodNotUppercased,
                Quirk::KeepsHostCase,
                Quirk::OmitsRealm,
                Quirk::SecretsNotEncoded,
            ],
        );
    }
}
