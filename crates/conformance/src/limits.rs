//! What an implementation's API cannot express at all: the declared limits that keep generated
//! cases inside what a row can be asked, and turn a corpus case outside them into `skip` with
//! the limit as its reason.
//!
//! A limit is a property of the API (mrjones/oauth writes its nonce from an `int63`; signet
//! sends `oauth_callback` only in a temporary-credential request), never a bug: narrowing a
//! row's cases to dodge what it signs wrongly is not allowed. Each adapter's README gives the
//! reason for every limit it declares.

use serde::{Deserialize, Serialize};

use oauth1_reference::parameters::is_form_urlencoded;
use oauth1_vectors::{OAuthParams, SignRequest};

/// The limits of one implementation's API; the default is none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InputLimits {
    /// The only HTTP methods it can send, uppercase (empty: any).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub methods: Vec<String>,
    /// Methods it can send only without a body.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bodiless_methods: Vec<String>,
    /// It sends a body only as form parameters (`application/x-www-form-urlencoded`).
    #[serde(skip_serializing_if = "is_false")]
    pub form_bodies_only: bool,
    /// It cannot send a non-empty form body (`application/x-www-form-urlencoded`): Signpost on
    /// `HttpURLConnection` signs before the body is written and never sees it.
    #[serde(skip_serializing_if = "is_false")]
    pub no_form_bodies: bool,
    /// Its `oauth_nonce` is a decimal number.
    #[serde(skip_serializing_if = "is_false")]
    pub numeric_nonce_only: bool,
    /// It always sends `oauth_token`.
    #[serde(skip_serializing_if = "is_false")]
    pub token_required: bool,
    /// It sends extra protocol parameters (`oauth_callback`, …) only in a request without
    /// `oauth_token` (a temporary-credential request, RFC 5849 §2.1).
    #[serde(skip_serializing_if = "is_false")]
    pub extras_only_without_token: bool,
    /// It sends extra protocol parameters only in a request whose URL has no query.
    #[serde(skip_serializing_if = "is_false")]
    pub extras_only_without_query: bool,
    /// It sends extra protocol parameters only with a form body or none.
    #[serde(skip_serializing_if = "is_false")]
    pub extras_only_with_form_or_no_body: bool,
    /// It sends extra protocol parameters only in a request without a body.
    #[serde(skip_serializing_if = "is_false")]
    pub extras_only_without_body: bool,
    /// It sends extra protocol parameters only with these HTTP methods (empty: any).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extras_only_with_methods: Vec<String>,
    /// It sends extra protocol parameters only without `oauth_body_hash`.
    #[serde(skip_serializing_if = "is_false")]
    pub extras_only_without_body_hash: bool,
}

// serde's `skip_serializing_if` takes a function of a reference.
#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_false(value: &bool) -> bool {
    !*value
}

impl InputLimits {
    /// Whether no limit is declared.
    #[must_use]
    pub fn is_none(&self) -> bool {
        *self == Self::default()
    }

    /// The limit a sign request with these protocol parameters falls outside, named as it is
    /// declared, with what in the request meets it.
    #[must_use]
    pub fn violated_by(&self, request: &SignRequest, oauth: &OAuthParams) -> Option<String> {
        let method = request.method.to_ascii_uppercase();
        let has_body = request.body.as_deref().is_some_and(|body| !body.is_empty());
        let form = request.content_type.as_deref().is_some_and(is_form_urlencoded);
        let has_extras = !oauth.extra.is_empty();
        let checks: [(bool, &dyn Fn() -> String); 12] = [
            (!self.methods.is_empty() && !self.methods.contains(&request.method), &|| {
                format!("methods: it sends only {}, not {:?}", self.methods.join(", "), request.method)
            }),
            (has_body && self.bodiless_methods.contains(&method), &|| {
                format!("bodiless_methods: it sends {method} without a body")
            }),
            (has_body && !form && self.form_bodies_only, &|| {
                "form_bodies_only: it sends a body only as form parameters".to_owned()
            }),
            (has_body && form && self.no_form_bodies, &|| "no_form_bodies: it cannot send a form body".to_owned()),
            (
                self.numeric_nonce_only
                    && oauth.nonce.as_deref().is_some_and(|n| n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit())),
                &|| {
                    format!("numeric_nonce_only: its nonce is a number, not {:?}", oauth.nonce.as_deref().unwrap_or(""))
                },
            ),
            (self.token_required && oauth.token.is_none(), &|| {
                "token_required: it always sends oauth_token".to_owned()
            }),
            (has_extras && self.extras_only_without_token && oauth.token.is_some(), &|| {
                "extras_only_without_token: it sends extra protocol parameters only without oauth_token".to_owned()
            }),
            (has_extras && self.extras_only_without_query && request.url.contains('?'), &|| {
                "extras_only_without_query: it sends extra protocol parameters only with no query".to_owned()
            }),
            (has_extras && self.extras_only_with_form_or_no_body && has_body && !form, &|| {
                "extras_only_with_form_or_no_body: it sends extra protocol parameters only with a form body or none"
                    .to_owned()
            }),
            (has_extras && self.extras_only_without_body && request.body.is_some(), &|| {
                "extras_only_without_body: it sends extra protocol parameters only without a body".to_owned()
            }),
            (
                has_extras
                    && !self.extras_only_with_methods.is_empty()
                    && !self.extras_only_with_methods.contains(&method),
                &|| {
                    format!(
                        "extras_only_with_methods: it sends extra protocol parameters only with {}",
                        self.extras_only_with_methods.join(", ")
                    )
                },
            ),
            (has_extras && self.extras_only_without_body_hash && oauth.compute_body_hash, &|| {
                "extras_only_without_body_hash: it sends extra protocol parameters only without oauth_body_hash"
                    .to_owned()
            }),
        ];
        checks.iter().find(|(violated, _)| *violated).map(|(_, why)| format!("cannot express ({})", why()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: &str, url: &str, content_type: Option<&str>, body: Option<&str>) -> SignRequest {
        SignRequest {
            method: method.into(),
            url: url.into(),
            content_type: content_type.map(str::to_owned),
            body: body.map(str::to_owned),
        }
    }

    fn oauth(nonce: &str, token: Option<&str>, extra: bool) -> OAuthParams {
        OAuthParams {
            consumer_key: "k".into(),
            token: token.map(str::to_owned),
            signature_method: "HMAC-SHA1".into(),
            timestamp: Some("1".into()),
            nonce: Some(nonce.into()),
            version: None,
            realm: None,
            extra: if extra { vec![("oauth_callback".into(), "oob".into())] } else { Vec::new() },
            compute_body_hash: false,
        }
    }

    #[test]
    fn no_limit_refuses_nothing() {
        let limits = InputLimits::default();
        assert!(limits.is_none());
        let json = request("POST", "http://e.com/?a=1", Some("application/json"), Some("{}"));
        assert_eq!(limits.violated_by(&json, &oauth("chapoH", None, true)), None);
    }

    #[test]
    fn each_limit_names_itself() {
        let get = request("GET", "http://e.com/?a=1", None, None);
        let numeric = InputLimits { numeric_nonce_only: true, ..InputLimits::default() };
        assert!(numeric.violated_by(&get, &oauth("chapoH", None, false)).unwrap().contains("numeric_nonce_only"));
        assert_eq!(numeric.violated_by(&get, &oauth("1234", None, false)), None);
        let token = InputLimits { token_required: true, ..InputLimits::default() };
        assert!(token.violated_by(&get, &oauth("n", None, false)).unwrap().contains("token_required"));
        let extras = InputLimits { extras_only_without_token: true, ..InputLimits::default() };
        assert!(extras.violated_by(&get, &oauth("n", Some("t"), true)).is_some());
        assert_eq!(extras.violated_by(&get, &oauth("n", Some("t"), false)), None);
        let query = InputLimits { extras_only_without_query: true, ..InputLimits::default() };
        assert!(query.violated_by(&get, &oauth("n", None, true)).unwrap().contains("extras_only_without_query"));
        let methods = InputLimits {
            methods: vec!["GET".into(), "POST".into()],
            bodiless_methods: vec!["GET".into()],
            form_bodies_only: true,
            ..InputLimits::default()
        };
        let put = request("PUT", "http://e.com/", None, None);
        assert!(methods.violated_by(&put, &oauth("n", None, false)).unwrap().contains("methods"));
        let get_body = request("GET", "http://e.com/", Some("application/x-www-form-urlencoded"), Some("a=1"));
        assert!(methods.violated_by(&get_body, &oauth("n", None, false)).unwrap().contains("bodiless_methods"));
        let json = request("POST", "http://e.com/", Some("application/json"), Some("{}"));
        assert!(methods.violated_by(&json, &oauth("n", None, false)).unwrap().contains("form_bodies_only"));
    }

    #[test]
    fn no_form_bodies_refuses_a_form_body_only() {
        let limits = InputLimits { no_form_bodies: true, ..InputLimits::default() };
        let form =
            request("POST", "http://e.com/", Some("Application/X-WWW-Form-URLEncoded; charset=utf-8"), Some("a=1"));
        assert!(limits.violated_by(&form, &oauth("n", None, false)).unwrap().contains("no_form_bodies"));
        // A form Content-Type without a body, and a body of another type, can be sent.
        let empty = request("POST", "http://e.com/", Some("application/x-www-form-urlencoded"), Some(""));
        assert_eq!(limits.violated_by(&empty, &oauth("n", None, false)), None);
        let json = request("POST", "http://e.com/", Some("application/json"), Some("{}"));
        assert_eq!(limits.violated_by(&json, &oauth("n", None, false)), None);
    }

    #[test]
    fn limits_round_trip_as_declared_in_a_handshake() {
        let declared = r#"{"numeric_nonce_only": true, "methods": ["GET"]}"#;
        let limits: InputLimits = serde_json::from_str(declared).unwrap();
        assert!(limits.numeric_nonce_only && limits.methods == ["GET"]);
        assert_eq!(serde_json::to_string(&limits).unwrap(), r#"{"methods":["GET"],"numeric_nonce_only":true}"#);
        assert!(serde_json::from_str::<InputLimits>(r#"{"nonce_digits": true}"#).is_err());
    }
}
