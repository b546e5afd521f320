//! `oauth1` 1.0.0 (<https://crates.io/crates/oauth1>): its one function,
//! [`authorize`](::oauth1::authorize), which returns the Authorization header.
//!
//! The crate picks the nonce and timestamp itself; see `emits_own_nonce_timestamp`.

use std::borrow::Cow;
use std::collections::HashMap;

use ::oauth1::{authorize, Token};

use super::{
    own_nonce_timestamp_trace, request_pairs_lossy, sent_header_parameters, url_without_query, OwnNonceSigner,
};
use crate::implementation::{Outcome, SignInput};
use crate::limits::InputLimits;
use crate::trace::Trace;

/// The pinned version (see `Cargo.toml`).
pub const VERSION: &str = "1.0.0";
/// The peer's name.
pub const NAME: &str = "oauth1";

/// How the peer drives the crate, and what it cannot express.
const NOTES: &str = "Sign: oauth1::authorize(method, uri, consumer, token, params). The caller passes the URL \
     with its query and fragment cut off as `uri` (the crate signs it as given) and puts the \
     query's and the form body's pairs, decoded to text (`+` a space, non-UTF-8 octets as \
     U+FFFD), into params, a HashMap, so duplicate names collapse to the last one; the case's \
     other protocol parameters (oauth_callback, …) go there too, and the crate sends every \
     oauth_* one in the header. signature is read from the header. HMAC-SHA1 only; no base \
     string is exposed. Cannot express: a realm (the crate has none, so its header never has \
     one), oauth_body_hash.";

/// The peer.
#[must_use]
pub fn peer() -> OwnNonceSigner {
    OwnNonceSigner::new(NAME, VERSION, &["HMAC-SHA1"], (NOTES, InputLimits::default()), sign)
}

/// Signs `input` with the crate, as the notes say (the peer has already refused what the
/// crate's fixed protocol cannot express).
fn sign(input: &SignInput<'_>) -> Outcome<Trace> {
    let oauth = input.oauth;
    let pairs = request_pairs_lossy(input.request);
    let mut params: HashMap<&str, Cow<'_, str>> = HashMap::new();
    for (name, value) in pairs.iter().chain(&oauth.extra) {
        let _ = params.insert(name.as_str(), Cow::Borrowed(value.as_str()));
    }
    let (consumer_secret, token_secret) = (&input.secrets.consumer_secret, &input.secrets.token_secret);
    let consumer = Token::new(oauth.consumer_key.as_str(), consumer_secret.as_deref().unwrap_or_default());
    let token = oauth.token.as_deref().map(|key| Token::new(key, token_secret.as_deref().unwrap_or_default()));
    let header = authorize(
        &input.request.method,
        url_without_query(&input.request.url),
        &consumer,
        token.as_ref(),
        Some(params),
    );
    own_nonce_timestamp_trace(&sent_header_parameters(&header), Some(header))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::peers::rfc_example;

    #[test]
    fn the_rfc_example_collapses_its_duplicate_and_reports_its_own_nonce() {
        rfc_example::assert_collapses_duplicate(&mut peer());
    }
}
