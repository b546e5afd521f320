//! What the probe writes about the wire never carries a secret: the client's secrets, the
//! token secrets a server issues during the flow, and the values of `--header` fields are
//! replaced wherever they appear (as written, percent-encoded once or twice), a PLAINTEXT
//! signature (which is the secrets) is masked wherever `oauth_signature` appears, and any
//! `oauth_token_secret` value a server writes is masked in its responses.
//!
//! A secret too short to be searched for without mangling the text around it (under
//! [`MIN_SEARCHABLE`] characters) makes the response excerpts withheld altogether; the
//! requests are still written, with their PLAINTEXT signatures masked, since the probe wrote
//! them and knows where the secrets went.

use oauth1_reference::encoding::percent_encode;

/// What replaces a secret.
pub const REDACTED: &str = "<redacted>";

/// The shortest secret searched for in text.
const MIN_SEARCHABLE: usize = 6;

/// Replaces secrets in text.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    /// Each secret in every spelling it may travel in, longest first.
    needles: Vec<String>,
    /// A secret shorter than [`MIN_SEARCHABLE`] was added.
    has_short: bool,
}

impl Redactor {
    /// Adds a secret (ignored when empty).
    pub fn add(&mut self, secret: &str) {
        if secret.is_empty() {
            return;
        }
        if secret.chars().count() < MIN_SEARCHABLE {
            self.has_short = true;
            return;
        }
        let once = percent_encode(secret.as_bytes());
        let twice = percent_encode(once.as_bytes());
        for needle in [secret.to_owned(), once, twice] {
            if !self.needles.contains(&needle) {
                self.needles.push(needle);
            }
        }
        self.needles.sort_by_key(|n| std::cmp::Reverse(n.len()));
    }

    /// `text` with every secret replaced, and every `oauth_signature` value masked when
    /// `plaintext` (the request was signed with PLAINTEXT, whose signature is the secrets).
    #[must_use]
    pub fn request_text(&self, text: &str, plaintext: bool) -> String {
        let replaced = self.replace(text);
        if plaintext {
            mask_signatures(&replaced)
        } else {
            replaced
        }
    }

    /// A server's text (a response excerpt) with the secrets replaced, or `None` when a secret
    /// is too short to be found reliably.
    #[must_use]
    pub fn response_text(&self, text: &str) -> Option<String> {
        // A server may issue credentials in a case whose response the flow does not read (a
        // temporary-credential request it should have refused, a token request with a wrong
        // verifier), so the redactor never learns them: a token secret is masked by its name.
        (!self.has_short).then(|| mask_parameter(&mask_signatures(&self.replace(text)), "oauth_token_secret"))
    }

    fn replace(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for needle in &self.needles {
            if out.contains(needle.as_str()) {
                out = out.replace(needle.as_str(), REDACTED);
            }
        }
        out
    }
}

/// Every `oauth_signature` value (after `=` or `="`, up to the next `"`, `&`, `,`, space or
/// line end) replaced by [`REDACTED`].
#[must_use]
pub fn mask_signatures(text: &str) -> String {
    mask_parameter(text, "oauth_signature")
}

/// Every value of the parameter `name` (after `name=` or `name="`, up to the next `"`, `&`, `,`,
/// space or line end) replaced by [`REDACTED`].
fn mask_parameter(text: &str, name: &str) -> String {
    let name = format!("{name}=");
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(name.as_str()) {
        let (before, after) = rest.split_at(at + name.len());
        out.push_str(before);
        let (quote, value) = after.strip_prefix('"').map_or(("", after), |v| ("\"", v));
        let end = value.find(['"', '&', ',', ' ', '\r', '\n']).unwrap_or(value.len());
        out.push_str(quote);
        out.push_str(REDACTED);
        rest = value.get(end..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_replaced_in_every_spelling() {
        let mut redactor = Redactor::default();
        redactor.add("s3cr&t/value");
        redactor.add("");
        let text = "a s3cr&t/value b s3cr%26t%2Fvalue c s3cr%2526t%252Fvalue";
        assert_eq!(redactor.request_text(text, false), "a <redacted> b <redacted> c <redacted>");
        assert_eq!(redactor.response_text(text).unwrap(), "a <redacted> b <redacted> c <redacted>");
    }

    #[test]
    fn plaintext_signatures_are_masked_and_short_secrets_withhold_excerpts() {
        let header = r#"OAuth oauth_consumer_key="k", oauth_signature="ab%26cd", oauth_signature_method="PLAINTEXT""#;
        assert_eq!(
            mask_signatures(header),
            r#"OAuth oauth_consumer_key="k", oauth_signature="<redacted>", oauth_signature_method="PLAINTEXT""#
        );
        assert_eq!(mask_signatures("/x?oauth_signature=ab%26cd&b=1"), "/x?oauth_signature=<redacted>&b=1");
        let mut redactor = Redactor::default();
        redactor.add("ab");
        assert_eq!(redactor.response_text("anything"), None);
        assert_eq!(redactor.request_text("/x?oauth_signature=ab%26cd", true), "/x?oauth_signature=<redacted>");
    }

    /// Credentials a server issues where the probe expected a refusal never reach the redactor;
    /// their secret is masked by name all the same.
    #[test]
    fn issued_token_secrets_are_masked_in_responses() {
        let redactor = Redactor::default();
        let issued = "oauth_token=e1188bc5&oauth_token_secret=2c74f0e5598e4c65&oauth_callback_confirmed=true";
        assert_eq!(
            redactor.response_text(issued).unwrap(),
            "oauth_token=e1188bc5&oauth_token_secret=<redacted>&oauth_callback_confirmed=true"
        );
    }
}
