//! `oauth-1a` 0.1.1 (<https://crates.io/crates/oauth-1a>), through its low-level API: a
//! [`SignableRequest`] of the method, the URL and every parameter, signed with
//! [`SignatureMethod::sign`], and the header written with [`encode_auth_parameters`].
//!
//! Its high-level `OAuthData::authorization` takes the timestamp from the clock, so it cannot
//! reproduce a case.

use std::collections::BTreeMap;

use oauth_1a::{
    encode_auth_parameters, ClientSecret, Signable, SignableRequest, SignatureMethod, SigningKey, TokenSecret,
};

use super::{cannot_express, decode_text, refused, request_pairs_lossy};
use crate::implementation::{
    Capabilities, HeaderParams, ImplementationInfo, InProcess, Operation, Outcome, SignInput, VerifyInput,
};
use crate::trace::{Stage, Trace};

/// The pinned version (see `Cargo.toml`).
pub const VERSION: &str = "0.1.1";
/// The peer's name.
pub const NAME: &str = "oauth-1a";

/// `oauth-1a`'s low-level signer.
#[derive(Debug)]
pub struct Oauth1a {
    info: ImplementationInfo,
}

impl Default for Oauth1a {
    fn default() -> Self {
        Self {
            info: ImplementationInfo {
                name: NAME.into(),
                version: VERSION.into(),
                language: "rust".into(),
                capabilities: Capabilities {
                    operations: vec![Operation::Sign],
                    signature_methods: vec!["HMAC-SHA1".into(), "PLAINTEXT".into()],
                    stages: vec![
                        Stage::NormalizedParameters,
                        Stage::BaseStringUri,
                        Stage::SignatureBaseString,
                        Stage::Signature,
                        Stage::AuthorizationHeader,
                    ],
                    can_omit_version: true,
                    body_hash: false,
                    reports_rejection_reasons: false,
                    emits_own_nonce_timestamp: false,
                    limits: crate::limits::InputLimits::default(),
                    notes: Some(
                        "Low-level API: SignableRequest::new(method, url, parameters) with the method parsed as an \
                         http_types::Method, the full URL parsed as an http_types::Url (the crate drops its query \
                         and fragment and lowercases the host), and parameters a BTreeMap<String, String> of the \
                         query's and the form body's pairs decoded to text (`+` a space, non-UTF-8 octets as \
                         U+FFFD) and then the case's protocol parameters, as OAuthData::authorization adds them, so \
                         duplicate names collapse to the last one. The signature is SignatureMethod::sign with a \
                         SigningKey of the secrets; the header is \"OAuth \" + encode_auth_parameters(protocol \
                         parameters + oauth_signature) (OAuthData::authorization, which would also put the request's \
                         parameters there, reads the clock for the timestamp). base_string_uri is \
                         SignableRequest::url(), signature_base_string is Signable::to_bytes(), normalized_parameters \
                         is read off the latter. HMAC-SHA1 and PLAINTEXT. Cannot express: a realm (the crate has \
                         none, so its header never has one), oauth_body_hash, a method http_types does not know."
                            .into(),
                    ),
                },
            },
        }
    }
}

impl InProcess for Oauth1a {
    fn info(&self) -> &ImplementationInfo {
        &self.info
    }

    fn sign(&mut self, input: &SignInput<'_>) -> Outcome<Trace> {
        let oauth = input.oauth;
        let signature_method = match oauth.signature_method.as_str() {
            "HMAC-SHA1" => SignatureMethod::HmacSha1,
            "PLAINTEXT" => SignatureMethod::Plaintext,
            other => return cannot_express(&format!("signature method {other}")),
        };
        if oauth.compute_body_hash {
            return cannot_express("oauth_body_hash");
        }
        let method: http_types::Method = match input.request.method.parse() {
            Ok(method) => method,
            Err(e) => return cannot_express(&format!("method {:?} ({e})", input.request.method)),
        };
        let url = match http_types::Url::parse(&input.request.url) {
            Ok(url) => url,
            Err(e) => return refused(format!("http_types::Url refuses {:?}: {e}", input.request.url)),
        };
        let mut protocol = BTreeMap::new();
        let mut add = |name: &str, value: Option<&str>| {
            if let Some(value) = value {
                let _ = protocol.insert(name.to_owned(), value.to_owned());
            }
        };
        add("oauth_consumer_key", Some(&oauth.consumer_key));
        add("oauth_token", oauth.token.as_deref());
        add("oauth_signature_method", Some(&signature_method.to_string()));
        add("oauth_timestamp", oauth.timestamp.as_deref());
        add("oauth_nonce", oauth.nonce.as_deref());
        add("oauth_version", oauth.version.as_deref());
        for (name, value) in &oauth.extra {
            add(name, Some(value));
        }
        let mut parameters: BTreeMap<String, String> = request_pairs_lossy(input.request).into_iter().collect();
        parameters.extend(protocol.clone());
        let request = SignableRequest::new(method, url, parameters);
        let key = SigningKey {
            client_secret: ClientSecret(input.secrets.consumer_secret.clone().unwrap_or_default()),
            token_secret: input.secrets.token_secret.clone().map(TokenSecret),
        };
        let signature = signature_method.sign(&request, &key);
        let base_string = String::from_utf8_lossy(&request.to_bytes()).into_owned();
        let _ = protocol.insert("oauth_signature".into(), signature.clone());
        let header = format!("OAuth {}", encode_auth_parameters(&protocol));
        let normalized_parameters = base_string.splitn(3, '&').nth(2).map(decode_text);
        Outcome::Answer(Trace {
            normalized_parameters,
            base_string_uri: Some(request.url().to_string()),
            signature_base_string: Some(base_string),
            signature: Some(signature),
            authorization_header: Some(header),
            ..Trace::default()
        })
    }

    fn parse_header(&mut self, _header: &str) -> Outcome<HeaderParams> {
        cannot_express("header parsing (a client-side signer only)")
    }

    fn verify(&mut self, _input: &VerifyInput<'_>) -> Outcome<()> {
        cannot_express("verification (a client-side signer only)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::peers::rfc_example;

    fn sign_rfc_example(version: Option<&str>) -> Trace {
        rfc_example::sign(&mut Oauth1a::default(), version)
    }

    #[test]
    fn the_rfc_example_collapses_its_duplicate() {
        let trace = sign_rfc_example(None);
        // Observed (a quirk, not an expected value): the parameters are a BTreeMap, so `a3=a`
        // (query) and `a3=2 q` (body) collapse into the body's; everything else is right. The
        // crate signs
        //   POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26b5%3D%253D%25253D%26
        //   c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26...
        // giving ravPAgY08iIupip7STKNfj3QGig= (hUTGwjR1wjx9oV60FBghGi2VPjs= with oauth_version).
        let base_string = trace.signature_base_string.unwrap_or_default();
        assert!(base_string.contains("a3%3D2%2520q%26b5"), "{base_string}");
        assert_ne!(base_string, rfc_example::BASE_STRING);
        assert_ne!(trace.signature.as_deref(), Some(rfc_example::SIGNATURE));
        assert_ne!(sign_rfc_example(Some("1.0")).signature.as_deref(), Some(rfc_example::SIGNATURE_WITH_VERSION));
        assert_eq!(trace.base_string_uri.as_deref(), Some("http://example.com/request"));
    }

    #[test]
    fn without_the_duplicate_the_rfc_example_is_right() {
        // The RFC example minus the query's `a3=a` collapses nothing: the crate's base string is
        // then the RFC's minus that pair.
        let (mut request, oauth, secrets) = (rfc_example::request(), rfc_example::oauth(None), rfc_example::secrets());
        request.url = "http://example.com/request?b5=%3D%253D&c%40=&a2=r%20b".into();
        let Outcome::Answer(trace) =
            Oauth1a::default().sign(&SignInput { request: &request, oauth: &oauth, secrets: &secrets })
        else {
            panic!("not signed");
        };
        assert_eq!(
            trace.signature_base_string.as_deref(),
            Some(rfc_example::BASE_STRING.replace("%26a3%3Da", "").as_str())
        );
    }
}
