//! The verification path the live servers share (`serve-http` and `capture`): a request as
//! the wire server received it, turned into the reference verifier's terms, and the secrets
//! its `oauth_consumer_key` and `oauth_token` name looked up in the credentials file.
//!
//! What each server answers differs (serve-http's RFC 5849 §3.2 statuses, capture's
//! verdicts); what is verified, and how, is this module's, once.

use oauth1_reference::verify::{Credentials as VerifierCredentials, IncomingRequest, ReceivedProtocolParameters};
use oauth1_wire::server::ReceivedRequest;

use super::credentials::{Consumer, Credentials, Token};
use super::request_url::{request_url, UrlError};

/// A received request in the verifier's terms, borrowing from the received one.
#[derive(Debug, Clone)]
pub struct Converted<'a> {
    /// The absolute URL rebuilt from the connection, `Host` and the request target.
    pub url: String,
    /// The header fields whose values are text, in order.
    pub headers: Vec<(&'a str, &'a str)>,
    /// The first `Content-Type` field, if it is text.
    pub content_type: Option<&'a str>,
}

impl Converted<'_> {
    /// The request the verifier checks.
    #[must_use]
    pub fn incoming<'a>(&'a self, request: &'a ReceivedRequest) -> IncomingRequest<'a> {
        IncomingRequest {
            method: &request.method,
            url: &self.url,
            headers: &self.headers,
            content_type: self.content_type,
            body: request.has_body().then_some(request.body.as_slice()),
        }
    }
}

/// Why a received request has no verifier form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConvertError {
    /// No URL could be rebuilt.
    Url(UrlError),
    /// The `Authorization` field's value is not UTF-8.
    AuthorizationNotUtf8,
}

impl std::fmt::Display for ConvertError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Url(e) => f.write_str(&e.0),
            Self::AuthorizationNotUtf8 => f.write_str("the Authorization header is not UTF-8"),
        }
    }
}

/// `request` in the verifier's terms; `behind_proxy` trusts the proxy's fields for the URL.
///
/// # Errors
/// When no URL can be rebuilt or the `Authorization` field is not text.
pub fn convert(request: &ReceivedRequest, behind_proxy: bool) -> Result<Converted<'_>, ConvertError> {
    let url = request_url(request, behind_proxy).map_err(ConvertError::Url)?;
    let mut headers = Vec::with_capacity(request.headers.len());
    for field in &request.headers {
        match field.value_str() {
            Some(value) => headers.push((field.name.as_str(), value)),
            None if field.is("authorization") => return Err(ConvertError::AuthorizationNotUtf8),
            // Other fields do not enter the signature; one the verifier cannot read as text
            // is left out.
            None => {}
        }
    }
    let content_type = request.header("content-type").and_then(|v| std::str::from_utf8(v).ok());
    Ok(Converted { url, headers, content_type })
}

/// Why the request's credentials are not known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LookupError {
    /// No consumer has the request's `oauth_consumer_key`.
    UnknownConsumer,
    /// No token of the file (or issued at run time) is the request's `oauth_token`.
    UnknownToken,
    /// The token belongs to another consumer.
    TokenOfAnotherConsumer,
}

impl LookupError {
    /// The stable reason code (serve-http's `reason`).
    #[must_use]
    pub fn reason(self) -> &'static str {
        match self {
            Self::UnknownConsumer => "unknown_consumer",
            Self::UnknownToken | Self::TokenOfAnotherConsumer => "unknown_token",
        }
    }

    /// In words.
    #[must_use]
    pub fn message(self) -> &'static str {
        match self {
            Self::UnknownConsumer => "oauth_consumer_key is not in the credentials file",
            Self::UnknownToken => "oauth_token is not in the credentials file nor issued by this server",
            Self::TokenOfAnotherConsumer => "oauth_token was issued to another consumer",
        }
    }
}

/// The consumer and token a request names.
#[derive(Debug, Clone)]
pub struct Known<'c> {
    /// The consumer.
    pub consumer: &'c Consumer,
    /// The token, if the request carries a non-empty one.
    pub token: Option<Token>,
}

impl Known<'_> {
    /// The secrets the verifier keys the signature with.
    #[must_use]
    pub fn verifier_credentials(&self) -> VerifierCredentials<'_> {
        VerifierCredentials {
            consumer_secret: self.consumer.secret(),
            token_secret: self.token.as_ref().map_or("", Token::secret),
            rsa_public_key: self.consumer.rsa_public_key(),
        }
    }
}

/// Looks up the consumer and token of `protocol` in `credentials`; `issued` finds tokens
/// issued at run time (serve-http's §2 flow), after the file's.
///
/// # Errors
/// An unknown consumer or token, or a token of another consumer.
pub fn lookup<'c>(
    credentials: &'c Credentials,
    protocol: &ReceivedProtocolParameters,
    issued: impl Fn(&str) -> Option<Token>,
) -> Result<Known<'c>, LookupError> {
    let consumer = credentials.consumer(&protocol.consumer_key).ok_or(LookupError::UnknownConsumer)?;
    let token = match protocol.token.as_deref().filter(|t| !t.is_empty()) {
        None => None,
        Some(name) => {
            let known = credentials.token(name).cloned().or_else(|| issued(name));
            match known {
                Some(token) if token.consumer_key == consumer.key => Some(token),
                Some(_) => return Err(LookupError::TokenOfAnotherConsumer),
                None => return Err(LookupError::UnknownToken),
            }
        }
    };
    Ok(Known { consumer, token })
}
