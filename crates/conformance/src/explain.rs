//! `oauth1-conformance explain`: every stage of signing one request, with secrets masked,
//! and where a user's own base string or signature first departs from the reference.
//!
//! A PLAINTEXT signature is the two secrets themselves (RFC 5849 §3.4.4), so with PLAINTEXT
//! the signature, and the `oauth_signature` inside the Authorization header, are shown by
//! shape only, like the key, and compared as same or different without being printed.

use std::fmt::Write as _;

use oauth1_reference::encoding::percent_decode;
use oauth1_reference::signature::SignatureMethod;
use oauth1_vectors::{printable, OAuthParams, SignExpected, SignRequest, SignSecrets};

use crate::diagnose::{likely_cause, render};
use crate::diff;
use crate::exit_code::{BAD_INPUT, CONFORMANT, DIVERGENCE};
use crate::implementation::{InProcess, Outcome, SignInput};
use crate::judge::expected_stage;
use crate::reference_impl::Reference;
use crate::trace::{Stage, Trace};

/// What to explain: one signing input, and optionally what the user's implementation produced.
#[derive(Debug, Clone)]
pub struct ExplainInput {
    /// The request.
    pub request: SignRequest,
    /// The protocol parameters.
    pub oauth: OAuthParams,
    /// The secrets; never printed.
    pub secrets: SignSecrets,
    /// Stages the user's implementation produced, to compare with the reference.
    pub theirs: SignExpected,
}

/// The explanation, and whether every stage the user gave matched.
#[derive(Debug, Clone)]
pub struct Explanation {
    /// Human-readable text.
    pub text: String,
    /// `Some(true)` when the user's stages all match, `Some(false)` when one differs,
    /// `None` when the user gave nothing to compare.
    pub matches: Option<bool>,
    /// The reference could not sign the input (an invalid URL, an unknown signature method, a
    /// missing key): bad input, not a divergence.
    pub bad_input: bool,
}

impl Explanation {
    /// The exit code: 2 for bad input, 1 when a stage differs, 0 otherwise.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match (self.bad_input, self.matches) {
            (true, _) => BAD_INPUT,
            (false, Some(false)) => DIVERGENCE,
            (false, Some(true) | None) => CONFORMANT,
        }
    }
}

/// The shape of a secret: its length, never its content.
fn secret_shape(label: &str, secret: Option<&str>) -> String {
    match secret {
        None | Some("") => format!("<empty {label}>"),
        Some(s) => format!("<{label}: {} bytes>", s.len()),
    }
}

/// Signs `input` with the reference and explains every stage.
#[must_use]
pub fn explain(input: &ExplainInput) -> Explanation {
    let mut out = String::new();
    let req = &input.request;
    let _ = writeln!(out, "request: {} {}", printable(&req.method), printable(&req.url));
    if let Some(ct) = &req.content_type {
        let _ = writeln!(out, "content-type: {}", printable(ct));
    }
    if let Some(body) = &req.body {
        let _ = writeln!(out, "body: {body:?}");
    }
    let sign_input = SignInput { request: &input.request, oauth: &input.oauth, secrets: &input.secrets };
    let trace = match Reference::default().sign(&sign_input) {
        Outcome::Answer(trace) => trace,
        Outcome::Rejected { message, .. }
        | Outcome::Unsupported(message)
        | Outcome::Panicked(message)
        | Outcome::Error(message) => {
            let _ = writeln!(out, "\nthe reference cannot sign this request: {}", printable(&message));
            return Explanation { text: out, matches: Some(false), bad_input: true };
        }
    };
    let masked = Masked::of(input);
    write_trace(&mut out, &trace, input, &masked);
    let matches = compare(&mut out, &trace, &input.theirs, &masked);
    if matches == Some(false) {
        let theirs = Trace {
            body_hash: input.theirs.body_hash.clone(),
            normalized_parameters: input.theirs.normalized_parameters.clone(),
            base_string_uri: input.theirs.base_string_uri.clone(),
            signature_base_string: input.theirs.signature_base_string.clone(),
            signature: input.theirs.signature.clone(),
            authorization_header: input.theirs.authorization_header.clone(),
            ..Trace::default()
        };
        match likely_cause(&sign_input, &theirs) {
            Some(cause) => {
                out.push('\n');
                out.push_str(&render(&cause));
            }
            None => out.push_str("\nno catalogued quirk (up to three combined) reproduces yours.\n"),
        }
    }
    Explanation { text: out, matches, bad_input: false }
}

/// How the key is shown, and whether the signature is the key (PLAINTEXT) and so must be
/// shown the same way.
struct Masked {
    key: String,
    plaintext: bool,
}

impl Masked {
    fn of(input: &ExplainInput) -> Self {
        let secrets = &input.secrets;
        let key = if input.oauth.signature_method.starts_with("RSA-") {
            "the RSA private key (§3.4.3)".to_owned()
        } else {
            format!(
                "{}&{}",
                secret_shape("consumer secret", secrets.consumer_secret.as_deref()),
                secret_shape("token secret", secrets.token_secret.as_deref())
            )
        };
        let plaintext =
            matches!(SignatureMethod::from_name(&input.oauth.signature_method), Ok(SignatureMethod::Plaintext));
        Self { key, plaintext }
    }

    /// The signature as shown: its shape for PLAINTEXT, else itself.
    fn signature(&self, signature: &str) -> String {
        if self.plaintext {
            self.key.clone()
        } else {
            signature.to_owned()
        }
    }

    /// An Authorization header as shown: for PLAINTEXT, with the value of `oauth_signature`
    /// replaced by `shape`.
    fn header(&self, header: &str, shape: &str) -> String {
        if !self.plaintext {
            return header.to_owned();
        }
        mask_header_signature(header, shape)
    }
}

/// `header` with the quoted value of every `oauth_signature` parameter replaced by `shape`.
/// Values in a built header are percent-encoded, so the closing quote is the next `"`; a
/// value that never closes is masked to the end.
fn mask_header_signature(header: &str, shape: &str) -> String {
    const NAME: &str = "oauth_signature=\"";
    let mut out = String::with_capacity(header.len());
    let mut rest = header;
    while let Some(at) = rest.find(NAME) {
        let value_start = at + NAME.len();
        out.push_str(&rest[..value_start]);
        out.push_str(shape);
        rest = rest[value_start..].find('"').map_or("", |end| &rest[value_start + end..]);
    }
    out.push_str(rest);
    out
}

fn write_trace(out: &mut String, trace: &Trace, input: &ExplainInput, masked: &Masked) {
    let _ = writeln!(out, "\n1. collected parameters (RFC 5849 §3.4.1.3.1; realm and oauth_signature excluded):");
    for p in trace.collected_parameters.iter().flatten() {
        let _ = writeln!(out, "   {:<6} {:?} = {:?}", p.source, p.name, p.value);
    }
    let stage = |s: Stage| trace.stage(s).unwrap_or_default();
    if let Some(hash) = &trace.body_hash {
        let _ = writeln!(out, "   (oauth_body_hash computed over the body: {hash})");
    }
    let _ = writeln!(
        out,
        "\n2. normalized parameters (§3.4.1.3.2: encode, sort by name then value, join):\n   {}",
        stage(Stage::NormalizedParameters)
    );
    let _ = writeln!(out, "\n3. base string URI (§3.4.1.2):\n   {}", stage(Stage::BaseStringUri));
    let _ = writeln!(out, "\n4. signature base string (§3.4.1.1):\n   {}", stage(Stage::SignatureBaseString));
    let _ = writeln!(out, "\n5. key (§3.4.2; each secret percent-encoded, '&' always present): {}", masked.key);
    let plaintext_note = if masked.plaintext { "; the PLAINTEXT signature is the key, shown by shape" } else { "" };
    let _ = writeln!(
        out,
        "\n6. signature ({}{plaintext_note}): {}",
        printable(&input.oauth.signature_method),
        masked.signature(stage(Stage::Signature))
    );
    let header = masked.header(stage(Stage::AuthorizationHeader), &masked.key);
    let _ = writeln!(out, "\n7. Authorization header (§3.5.1):\n   {}", printable(&header));
}

/// Names the §3.4.1.1 component where two base strings first differ, and for the
/// parameters the first differing parameter.
fn locate_base_string_difference(ours: &str, theirs: &str) -> String {
    let ours_parts: Vec<&str> = ours.splitn(3, '&').collect();
    let theirs_parts: Vec<&str> = theirs.splitn(3, '&').collect();
    let names = [
        "the HTTP method (§3.4.1.1 step 1)",
        "the base string URI (§3.4.1.2)",
        "the normalized parameters (§3.4.1.3.2)",
    ];
    for (index, name) in names.iter().enumerate() {
        let (a, b) = (ours_parts.get(index), theirs_parts.get(index));
        if a != b {
            if index == 2 {
                if let (Some(a), Some(b)) = (a, b) {
                    return format!("{name}; first differing parameter: {}", first_parameter_difference(a, b));
                }
            }
            return (*name).to_owned();
        }
    }
    "nothing (the strings are equal)".to_owned()
}

fn first_parameter_difference(ours: &str, theirs: &str) -> String {
    let decode = |s: &str| {
        percent_decode(s.as_bytes()).map_or_else(|_| s.to_owned(), |b| String::from_utf8_lossy(&b).into_owned())
    };
    let (ours, theirs) = (decode(ours), decode(theirs));
    let ours: Vec<&str> = ours.split('&').collect();
    let theirs: Vec<&str> = theirs.split('&').collect();
    for index in 0..ours.len().max(theirs.len()) {
        match (ours.get(index), theirs.get(index)) {
            (Some(a), Some(b)) if a == b => {}
            (Some(a), Some(b)) => return format!("reference has {a:?} where yours has {b:?}"),
            (Some(a), None) => return format!("yours lacks {a:?}"),
            (None, Some(b)) => return format!("yours has an extra {b:?}"),
            (None, None) => break,
        }
    }
    "none".to_owned()
}

fn compare(out: &mut String, trace: &Trace, theirs: &SignExpected, masked: &Masked) -> Option<bool> {
    let given: Vec<(Stage, &str)> =
        Stage::ALL.into_iter().filter_map(|stage| expected_stage(theirs, stage).map(|v| (stage, v))).collect();
    if given.is_empty() {
        return None;
    }
    let _ = writeln!(out, "\ncomparison with yours:");
    let mut first_difference = None;
    for (stage, value) in given {
        let ours = trace.stage(stage).unwrap_or_default();
        if ours == value {
            let _ = writeln!(out, "   {}: same", stage.name());
        } else if masked.plaintext && stage == Stage::Signature {
            let _ = writeln!(
                out,
                "   {}: DIFFERS (PLAINTEXT signatures are the secrets, so neither is shown: the reference's is {}, yours is {} bytes)",
                stage.name(),
                masked.key,
                value.len()
            );
            first_difference.get_or_insert(stage);
        } else {
            let _ = writeln!(out, "   {}: DIFFERS", stage.name());
            let (ours, value) = match stage {
                Stage::AuthorizationHeader => {
                    (masked.header(ours, &masked.key), masked.header(value, "<your signature, not shown>"))
                }
                _ => (ours.to_owned(), value.to_owned()),
            };
            let (ours, value) = (ours.as_str(), value.as_str());
            out.push_str(&diff::render_with_labels("reference", ours, "yours", value));
            if stage == Stage::SignatureBaseString {
                let _ =
                    writeln!(out, "   the base strings first differ in {}", locate_base_string_difference(ours, value));
            }
            first_difference.get_or_insert(stage);
        }
    }
    match first_difference {
        None => {
            let _ = writeln!(out, "\nevery stage you gave matches the reference.");
            Some(true)
        }
        Some(stage) => {
            let hint = match stage {
                Stage::Signature if theirs.signature_base_string.is_some() => {
                    "the base strings agree, so the key differs: check both secrets, their percent-encoding, and the '&' between them"
                }
                Stage::Signature => "give --base-string too, to tell a base-string difference from a key difference",
                _ => "fix this stage first: every later stage inherits the difference",
            };
            let _ = writeln!(out, "\nfirst differing stage: {} ({hint}).", stage.name());
            Some(false)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The RFC 5849 §3.4.1.1 example base string against one that sorted before encoding
    /// would not differ; one that dropped the body parameters does, in the parameters.
    #[test]
    fn locates_the_component_that_differs() {
        let ours = "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26c2%3D";
        let theirs = "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b";
        let located = locate_base_string_difference(ours, theirs);
        assert!(located.contains("normalized parameters"), "{located}");
        assert!(located.contains("yours lacks \"c2=\""), "{located}");
        let located =
            locate_base_string_difference(ours, "POST&http%3A%2F%2Fexample.com%3A80%2Frequest&a2%3Dr%2520b%26c2%3D");
        assert!(located.contains("base string URI"), "{located}");
    }

    #[test]
    fn secrets_are_shown_as_shapes_only() {
        assert_eq!(secret_shape("consumer secret", Some("kd94hf93k423kf44")), "<consumer secret: 16 bytes>");
        assert_eq!(secret_shape("token secret", None), "<empty token secret>");
    }
}
