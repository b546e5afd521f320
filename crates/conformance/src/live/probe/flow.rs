//! The flow family (RFC 5849 §2): temporary credentials with and without `oauth_callback`,
//! `oauth_callback_confirmed` in the answer, a token request with a wrong verifier, and, with
//! `OAUTH1_VERIFIER`, one with the right verifier. The token secrets a server issues are
//! secrets: they join the redactor as soon as they are read.

use oauth1_reference::parameters::{parse_form_urlencoded, ParameterSource};
use oauth1_vectors::{OAuthParams, SignRequest, SignSecrets};

use super::battery::{Attempt, Battery};
use super::cases::{CaseRow, FlowStep};
use super::shape::{nonce, Shape, Stamp, FORM};
use super::verdict::Verdict;
use super::wire::Exchange;
use crate::mutation::Location;

/// The `oauth_callback` of a temporary-credential request: an absolute URL, which every
/// server's policy takes.
const CALLBACK: &str = "http://client.example/ready";

/// The `name=value` pairs of a form-encoded response body (nothing when it is not one).
fn form_pairs(exchange: &Exchange) -> Vec<(String, String)> {
    let Ok(response) = &exchange.response else { return Vec::new() };
    let body = response.body.trim_ascii();
    parse_form_urlencoded(body, ParameterSource::Body)
        .map(|params| {
            params
                .into_iter()
                .map(|p| {
                    (String::from_utf8_lossy(&p.name).into_owned(), String::from_utf8_lossy(&p.value).into_owned())
                })
                .collect()
        })
        .unwrap_or_default()
}

fn value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

impl Battery<'_> {
    /// A POST with an empty form body to `url`, signed with the consumer's credentials and
    /// `token`, carrying `extra` protocol parameters.
    fn flow_shape(&self, url: &str, token: Option<&str>, extra: Vec<(String, String)>) -> Shape {
        Shape {
            request: SignRequest {
                method: "POST".into(),
                url: url.to_owned(),
                content_type: Some(FORM.into()),
                body: Some(String::new()),
            },
            oauth: OAuthParams {
                consumer_key: self.config.consumer_key.clone(),
                token: token.map(str::to_owned),
                signature_method: self.gate.oauth.signature_method.clone(),
                timestamp: None,
                nonce: None,
                version: Some("1.0".into()),
                realm: None,
                extra,
                compute_body_hash: false,
            },
            location: Location::Header,
        }
    }

    fn flow_send(&mut self, shape: &Shape, token_secret: Option<&str>) -> Result<Exchange, Attempt> {
        let secrets = SignSecrets { token_secret: token_secret.map(str::to_owned), ..self.config.secrets.clone() };
        let signed = shape
            .sign(&secrets, &Stamp::fresh())
            .map_err(|e| Attempt::Skip(format!("the reference does not sign this request: {e}")))?;
        Ok(self.wire.send(&signed.request.transmit()))
    }

    /// Temporary credentials from `initiate`; the exchange and the credentials it issued.
    fn initiate(&mut self, initiate: &str) -> Result<(Exchange, Option<(String, String)>), Attempt> {
        let shape = self.flow_shape(initiate, None, vec![("oauth_callback".into(), CALLBACK.into())]);
        let exchange = self.flow_send(&shape, None)?;
        if !exchange.accepted() {
            return Ok((exchange, None));
        }
        let pairs = form_pairs(&exchange);
        let secret = value(&pairs, "oauth_token_secret").unwrap_or_default().to_owned();
        self.redactor.add(&secret);
        let issued = value(&pairs, "oauth_token").map(|token| (token.to_owned(), secret));
        Ok((exchange, issued))
    }

    pub(super) fn flow(&mut self, row: &CaseRow, step: FlowStep) -> Attempt {
        let (Some(initiate), Some(token_url)) = (self.config.initiate_url.clone(), self.config.token_url.clone())
        else {
            return Attempt::Skip("the §2 flow is probed with --initiate-url and --token-url".into());
        };
        let outcome = match step {
            FlowStep::CallbackConfirmed => self.callback_confirmed(row, &initiate),
            FlowStep::WithoutCallback => {
                let shape = self.flow_shape(&initiate, None, Vec::new());
                self.flow_send(&shape, None).map(|exchange| Attempt::Sent { exchange: Box::new(exchange), shape: None })
            }
            FlowStep::WrongVerifier => match self.temporary.take() {
                None => Err(Attempt::Skip("no temporary credentials: flow-callback-confirmed got none".into())),
                Some((token, secret)) => {
                    let shape = self.flow_shape(&token_url, Some(&token), vec![("oauth_verifier".into(), nonce())]);
                    self.flow_send(&shape, Some(&secret))
                        .map(|exchange| Attempt::Sent { exchange: Box::new(exchange), shape: None })
                }
            },
            FlowStep::TokenRequest => self.token_request(&initiate, &token_url),
        };
        outcome.unwrap_or_else(|attempt| attempt)
    }

    fn callback_confirmed(&mut self, row: &CaseRow, initiate: &str) -> Result<Attempt, Attempt> {
        let (exchange, issued) = self.initiate(initiate)?;
        if !exchange.accepted() {
            return Ok(Attempt::Sent { exchange: Box::new(exchange), shape: None });
        }
        let confirmed = value(&form_pairs(&exchange), "oauth_callback_confirmed").map(str::to_owned);
        self.temporary.clone_from(&issued);
        let problem = match (&issued, confirmed.as_deref()) {
            (None, _) => "accepted, but the response carries no oauth_token (RFC 5849 §2.1)".to_owned(),
            (Some(_), Some("true")) => return Ok(Attempt::Sent { exchange: Box::new(exchange), shape: None }),
            (Some(_), Some(other)) => {
                format!("accepted, but oauth_callback_confirmed={other}: RFC 5849 §2.1 requires the value true")
            }
            (Some(_), None) => {
                "accepted, but the response carries no oauth_callback_confirmed (RFC 5849 §2.1)".to_owned()
            }
        };
        Ok(Attempt::Decided {
            verdict: Verdict::Fail,
            severity: row.severity,
            exchange: Some(Box::new(exchange)),
            note: problem,
        })
    }

    fn token_request(&mut self, initiate: &str, token_url: &str) -> Result<Attempt, Attempt> {
        let Some(verifier) = self.config.verifier.clone() else {
            return Err(Attempt::Skip("no verifier: set OAUTH1_VERIFIER to the one the token endpoint expects".into()));
        };
        let (exchange, issued) = self.initiate(initiate)?;
        let Some((token, secret)) = issued else {
            let note = format!(
                "no temporary credentials to exchange: /initiate answered {}",
                exchange.status().map_or_else(|| "nothing".to_owned(), |s| s.to_string())
            );
            return Ok(Attempt::Decided {
                verdict: Verdict::Inconclusive,
                severity: super::verdict::Severity::None,
                exchange: Some(Box::new(exchange)),
                note,
            });
        };
        let shape = self.flow_shape(token_url, Some(&token), vec![("oauth_verifier".into(), verifier)]);
        let exchange = self.flow_send(&shape, Some(&secret))?;
        if exchange.accepted() {
            let pairs = form_pairs(&exchange);
            self.redactor.add(value(&pairs, "oauth_token_secret").unwrap_or_default());
        }
        Ok(Attempt::Sent { exchange: Box::new(exchange), shape: None })
    }
}
