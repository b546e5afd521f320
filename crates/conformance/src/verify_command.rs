//! `oauth1-conformance verify`: checks one captured request the way a server does (RFC 5849
//! §3.2) and, when it fails, says which check failed: the signature (with the base string the
//! verifier recomputed and, where a catalogued quirk reproduces the signature sent, the
//! client's likely mistake), a missing or duplicated parameter, a stale timestamp, a replayed
//! nonce.
//!
//! Secrets come from the user's configuration and are never printed; a PLAINTEXT signature
//! is the key itself, so it is shown by length only. Nor is the signature the verifier
//! recomputed, unless asked (`--show-expected-signature`): it is a valid signature of the
//! request, and output pasted into a bug report would let anyone send it.
//!
//! The output is bounded whatever the request: a body is read up to `--max-body` (16 MiB by
//! default), long values are elided in the middle with their length, at most
//! [`LISTED_PARAMETERS`] parameters are listed, and the client-mistake diagnosis (which signs
//! the request once per candidate quirk set) is attempted only for requests of up to
//! [`DIAGNOSED_PARAMETERS`] parameters.

use std::fmt::{self, Write as _};
use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use oauth1_reference::header::parse_authorization_header;
use oauth1_reference::parameters::{Parameter, ParameterSource};
use oauth1_reference::rsa_signature::RsaPublicKey;
use oauth1_reference::sign::{compute_signature, Secrets};
use oauth1_reference::signature::SignatureMethod;
use oauth1_reference::verify::{
    parse_request, Credentials, IncomingRequest, ParsedRequest, Rejection, TimestampPolicy, TimestampWindow, Verifier,
};
use oauth1_vectors::{printable, OAuthParams, SignRequest, SignSecrets};
use serde::Deserialize;

use crate::diagnose::{likely_cause, render};
use crate::implementation::SignInput;
use crate::nonce_store::{LockedNonceStore, NonceRecord};
use crate::trace::Trace;

/// The default of `--max-body`: the largest entity-body `verify` reads (16 MiB).
pub const DEFAULT_MAX_BODY: u64 = 16 << 20;

/// The most parameters listed in a diagnosis; the others are counted.
pub const LISTED_PARAMETERS: usize = 100;

/// The most parameters a request may have for the client-mistake diagnosis to be tried.
pub const DIAGNOSED_PARAMETERS: usize = 1000;

/// The longest value shown whole: a base string, a parameter (bytes); longer ones keep their
/// two ends.
const SHOWN_BASE_STRING: usize = 4096;
const SHOWN_PARAMETER: usize = 200;

/// Bad input or setup for `verify` (exit 2), as opposed to an invalid request.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A `--header` line has no colon.
    #[error("--header {line:?} is not `Name: value`")]
    HeaderLine {
        /// The line as given.
        line: String,
    },
    /// A `--header` line's name is not a field name.
    #[error("--header {line:?}: {name:?} is not a header field name")]
    HeaderName {
        /// The line as given.
        line: String,
        /// What stood before the colon.
        name: String,
    },
    /// `--body` is larger than `--max-body`.
    #[error("--body is larger than --max-body {max} bytes; raise --max-body to verify a larger request")]
    BodyTooLarge {
        /// `--max-body`.
        max: u64,
    },
    /// `--body-file` is larger than `--max-body`.
    #[error(
        "--body-file {} is larger than --max-body {max} bytes; raise --max-body to verify a larger request",
        path.display()
    )]
    BodyFileTooLarge {
        /// `--body-file`.
        path: PathBuf,
        /// `--max-body`.
        max: u64,
    },
    /// `--body-file` cannot be read.
    #[error("cannot read {}: {source}", path.display())]
    BodyFile {
        /// `--body-file`.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The RSA public key given is no key.
    #[error("the RSA public key: {0}")]
    RsaPublicKey(#[source] oauth1_reference::rsa_signature::RsaKeyError),
    /// An RSA-signed request, and no public key to check it with.
    #[error("the request is signed with {method}: give the client's public key with --rsa-public-key FILE")]
    NoRsaPublicKey {
        /// The request's signature method.
        method: &'static str,
    },
    /// An HMAC or PLAINTEXT request, and no consumer secret.
    #[error("no consumer secret: set OAUTH1_CONSUMER_SECRET or give --secrets-file")]
    NoConsumerSecret,
    /// A request with a token, and no token secret.
    #[error(
        "the request carries oauth_token but no token secret was given: set OAUTH1_TOKEN_SECRET or give --secrets-file"
    )]
    NoTokenSecret,
    /// The nonce store cannot be used.
    #[error(transparent)]
    NonceStore(#[from] crate::nonce_store::Error),
}

/// A request as captured from the wire.
#[derive(Debug, Clone)]
pub struct CapturedRequest {
    /// The request method.
    pub method: String,
    /// The absolute request URL, query included.
    pub url: String,
    /// Header fields, in order.
    pub headers: Vec<(String, String)>,
    /// The body's content type.
    pub content_type: Option<String>,
    /// The entity-body.
    pub body: Option<Vec<u8>>,
}

/// What the server knows: the shared secrets and, for the RSA methods, the client's key.
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSecrets {
    /// The client shared-secret.
    #[serde(default)]
    pub consumer_secret: Option<String>,
    /// The token shared-secret.
    #[serde(default)]
    pub token_secret: Option<String>,
    /// The client's RSA public key (PEM: SPKI, PKCS#1 or an X.509 certificate).
    #[serde(default)]
    pub rsa_public_key_pem: Option<String>,
}

impl fmt::Debug for ServerSecrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerSecrets")
            .field("consumer_secret", &self.consumer_secret.as_ref().map(|_| "<redacted>"))
            .field("token_secret", &self.token_secret.as_ref().map(|_| "<redacted>"))
            .field("rsa_public_key_pem", &self.rsa_public_key_pem.is_some())
            .finish()
    }
}

/// §3.3: which timestamps are accepted.
#[derive(Debug, Clone, Copy)]
pub enum TimestampCheck {
    /// At most this many seconds from `now`, either way.
    Window(u64),
    /// Every timestamp (for replaying old captures).
    Any,
}

impl TimestampPolicy for TimestampCheck {
    fn accepts(&self, timestamp: u64, now: u64) -> bool {
        match *self {
            Self::Window(seconds) => TimestampWindow { past: seconds, future: seconds }.accepts(timestamp, now),
            Self::Any => true,
        }
    }
}

/// How to verify.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// The current time, Unix seconds.
    pub now: u64,
    /// The timestamp policy.
    pub timestamps: TimestampCheck,
    /// A file of the nonces already accepted (JSON lines), read before and appended to after
    /// an accepted request, locked meanwhile; without it nonces are not checked for replay.
    pub nonce_store: Option<PathBuf>,
    /// Print the signature the verifier recomputed for a rejected request (never for
    /// PLAINTEXT, whose signature is the secrets).
    pub show_expected_signature: bool,
}

/// The entity-body given on the command line, as text or as a file, refused (exit 2) beyond
/// `max` bytes. A file is read through a reader that stops one byte past `max`, so neither its
/// size nor a file that never ends (`/dev/zero`) costs more than `max` bytes.
///
/// # Errors
///
/// The file cannot be read, or the body is larger than `max`.
pub fn read_body(text: Option<&str>, file: Option<&Path>, max: u64) -> Result<Option<Vec<u8>>, Error> {
    if let Some(text) = text {
        if u64::try_from(text.len()).unwrap_or(u64::MAX) > max {
            return Err(Error::BodyTooLarge { max });
        }
        return Ok(Some(text.as_bytes().to_vec()));
    }
    let Some(path) = file else { return Ok(None) };
    let unreadable = |source| Error::BodyFile { path: path.to_owned(), source };
    let file = fs::File::open(path).map_err(unreadable)?;
    let mut body = Vec::new();
    file.take(max.saturating_add(1)).read_to_end(&mut body).map_err(unreadable)?;
    if u64::try_from(body.len()).unwrap_or(u64::MAX) > max {
        return Err(Error::BodyFileTooLarge { path: path.to_owned(), max });
    }
    Ok(Some(body))
}

/// `text` if at most `max` bytes, else its two ends around a note of what was left out, for
/// the terminal; control characters escaped either way.
fn elided(text: &str, max: usize) -> String {
    if text.len() <= max {
        return printable(text).into_owned();
    }
    let mut head = max / 2;
    while !text.is_char_boundary(head) {
        head -= 1;
    }
    let mut tail = text.len() - max / 2;
    while !text.is_char_boundary(tail) {
        tail += 1;
    }
    format!(
        "{}…[{} bytes not shown; {} in all]…{}",
        printable(&text[..head]),
        tail - head,
        text.len(),
        printable(&text[tail..])
    )
}

/// The verdict, as text for the terminal.
#[derive(Debug, Clone)]
pub struct VerifyOutcome {
    /// Whether the request verified.
    pub valid: bool,
    /// What to print.
    pub text: String,
}

/// Parses a `Name: value` header line.
///
/// # Errors
///
/// No colon, or no field name before it.
pub fn parse_header_line(line: &str) -> Result<(String, String), Error> {
    let (name, value) = line.split_once(':').ok_or_else(|| Error::HeaderLine { line: line.to_owned() })?;
    let name = name.trim();
    if name.is_empty() || !oauth1_reference::sign::is_http_method(name) {
        return Err(Error::HeaderName { line: line.to_owned(), name: name.to_owned() });
    }
    Ok((name.to_owned(), value.trim_matches([' ', '\t']).to_owned()))
}

/// The shape of a secret: its length, never its content.
fn shape(label: &str, secret: &str) -> String {
    if secret.is_empty() {
        format!("<empty {label}>")
    } else {
        format!("<{label}: {} bytes>", secret.len())
    }
}

fn write_parameters(out: &mut String, parameters: &[Parameter]) {
    let _ = writeln!(out, "   parameters it collected (§3.4.1.3.1; realm and oauth_signature excluded):");
    for p in parameters.iter().take(LISTED_PARAMETERS) {
        let _ = writeln!(
            out,
            "      {:<6} {:?} = {:?}",
            p.source.name(),
            elided(&String::from_utf8_lossy(&p.name), SHOWN_PARAMETER),
            elided(&String::from_utf8_lossy(&p.value), SHOWN_PARAMETER)
        );
    }
    if parameters.len() > LISTED_PARAMETERS {
        let _ =
            writeln!(out, "      … and {} more ({} in all)", parameters.len() - LISTED_PARAMETERS, parameters.len());
    }
}

/// Verifies `request`; `Err` is bad input or setup (exit 2), not an invalid request.
pub fn verify_captured(
    request: &CapturedRequest,
    secrets: &ServerSecrets,
    options: &VerifyOptions,
) -> Result<VerifyOutcome, Error> {
    let headers: Vec<(&str, &str)> = request.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let content_type = request.content_type.as_deref().or_else(|| {
        request.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("content-type")).map(|(_, v)| v.as_str())
    });
    let incoming = IncomingRequest {
        method: &request.method,
        url: &request.url,
        headers: &headers,
        content_type,
        body: request.body.as_deref(),
    };
    let rsa_key =
        secrets.rsa_public_key_pem.as_deref().map(RsaPublicKey::from_pem).transpose().map_err(Error::RsaPublicKey)?;
    // A request that does not parse is invalid whatever the secrets; one that does tells
    // which secrets it needs.
    if let Ok(parsed) = parse_request(&incoming) {
        check_secrets_given(&parsed, secrets)?;
    }
    let credentials = Credentials {
        consumer_secret: secrets.consumer_secret.as_deref().unwrap_or_default(),
        token_secret: secrets.token_secret.as_deref().unwrap_or_default(),
        rsa_public_key: rsa_key.as_ref(),
    };
    // Locked from before the nonces are read until the new one is written: two processes
    // verifying the same request cannot both find it new.
    let mut store = options.nonce_store.as_deref().map(LockedNonceStore::open).transpose()?;
    if let Some(warning) = store.as_ref().and_then(LockedNonceStore::warning) {
        eprintln!("warning: {warning}");
    }
    let nonces = store.as_mut().map(|s| std::mem::take(&mut s.seen)).unwrap_or_default();
    let mut verifier = Verifier::new(options.timestamps, nonces);
    let mut out = String::new();
    match verifier.verify(&incoming, &credentials, options.now) {
        Ok(verified) => {
            describe_valid(&mut out, &verified.request, store.as_mut(), options)?;
            Ok(VerifyOutcome { valid: true, text: out })
        }
        Err(rejection) => {
            let _ = writeln!(out, "invalid: {}", rejection.reason());
            explain_rejection(&mut out, &rejection, &incoming, secrets, options);
            Ok(VerifyOutcome { valid: false, text: out })
        }
    }
}

fn store_name(options: &VerifyOptions) -> String {
    options.nonce_store.as_deref().map_or_else(String::new, |p| p.display().to_string())
}

/// The verdict on an accepted request; its nonce is recorded (and flushed) first, so that
/// "valid" is never printed for a request whose replay another process could still accept.
fn describe_valid(
    out: &mut String,
    parsed: &ParsedRequest,
    store: Option<&mut LockedNonceStore>,
    options: &VerifyOptions,
) -> Result<(), Error> {
    let protocol = &parsed.protocol;
    let replay = match (store, protocol.timestamp, &protocol.nonce) {
        (Some(store), Some(timestamp), Some(nonce)) => {
            let record = NonceRecord {
                consumer_key: protocol.consumer_key.clone(),
                token: protocol.token.clone(),
                timestamp,
                nonce: nonce.clone(),
            };
            store.append(&record)?;
            format!("first use, recorded in {}", store_name(options))
        }
        _ => "not checked for replay: give --nonce-store FILE".to_owned(),
    };
    let _ = writeln!(out, "valid: the {} signature verifies (RFC 5849 §3.2)", protocol.signature_method.name());
    let _ = writeln!(out, "   consumer key: {}", elided(&protocol.consumer_key, SHOWN_PARAMETER));
    let token = protocol.token.as_deref().map_or_else(|| "(none)".to_owned(), |t| elided(t, SHOWN_PARAMETER));
    let _ = writeln!(out, "   token: {token}");
    if let Some(timestamp) = protocol.timestamp {
        let _ = writeln!(out, "   timestamp: {timestamp} ({})", describe_timestamp(timestamp, options));
    }
    if let Some(nonce) = &protocol.nonce {
        let _ = writeln!(out, "   nonce: {} ({replay})", elided(nonce, SHOWN_PARAMETER));
    }
    let _ = writeln!(out, "   signature base string: {}", elided(&parsed.signature_base_string, SHOWN_BASE_STRING));
    Ok(())
}

/// A verifier given no secret would report every request as forged; say what is missing.
fn check_secrets_given(parsed: &ParsedRequest, secrets: &ServerSecrets) -> Result<(), Error> {
    let method = parsed.protocol.signature_method;
    if method.rsa_hash().is_some() {
        if secrets.rsa_public_key_pem.is_none() {
            return Err(Error::NoRsaPublicKey { method: method.name() });
        }
        return Ok(());
    }
    if secrets.consumer_secret.is_none() {
        return Err(Error::NoConsumerSecret);
    }
    if parsed.protocol.token.as_deref().is_some_and(|t| !t.is_empty()) && secrets.token_secret.is_none() {
        return Err(Error::NoTokenSecret);
    }
    Ok(())
}

fn describe_timestamp(timestamp: u64, options: &VerifyOptions) -> String {
    let age = if timestamp <= options.now {
        format!("{} s before now {}", options.now - timestamp, options.now)
    } else {
        format!("{} s after now {}", timestamp - options.now, options.now)
    };
    match options.timestamps {
        TimestampCheck::Window(seconds) => format!("{age}; accepted window ±{seconds} s"),
        TimestampCheck::Any => format!("{age}; any timestamp accepted"),
    }
}

fn explain_rejection(
    out: &mut String,
    rejection: &Rejection,
    incoming: &IncomingRequest<'_>,
    secrets: &ServerSecrets,
    options: &VerifyOptions,
) {
    match rejection {
        Rejection::SignatureMismatch { .. } => {
            // The rejection carries the base string; everything else comes from a re-parse,
            // which succeeded since the verifier got as far as the signature.
            if let Ok(parsed) = parse_request(incoming) {
                explain_signature_mismatch(out, &parsed, incoming, secrets, options.show_expected_signature);
            }
        }
        Rejection::TimestampOutOfWindow { timestamp, .. } => {
            let _ = writeln!(
                out,
                "   oauth_timestamp {timestamp} is {} (RFC 5849 §3.3); check the client's clock, or replay an old capture with --any-timestamp or --now",
                describe_timestamp(*timestamp, options)
            );
        }
        Rejection::NonceReplayed => {
            let store = options.nonce_store.as_deref().map_or_else(String::new, |p| format!(" ({})", p.display()));
            let _ = writeln!(
                out,
                "   {rejection}{store}: RFC 5849 §3.3 requires a fresh nonce for every request with the same timestamp and credentials"
            );
        }
        Rejection::MissingParameter(_) => {
            let _ = writeln!(
                out,
                "   {rejection} (RFC 5849 §3.1; oauth_timestamp and oauth_nonce may be omitted only with PLAINTEXT)"
            );
        }
        Rejection::DuplicateParameter(_) => {
            let _ = writeln!(
                out,
                "   {} (RFC 5849 §3.1: each protocol parameter MUST NOT appear more than once)",
                elided(&rejection.to_string(), SHOWN_BASE_STRING)
            );
        }
        other => {
            let _ = writeln!(out, "   {}", elided(&other.to_string(), SHOWN_BASE_STRING));
        }
    }
}

fn explain_signature_mismatch(
    out: &mut String,
    parsed: &ParsedRequest,
    incoming: &IncomingRequest<'_>,
    secrets: &ServerSecrets,
    show_expected_signature: bool,
) {
    let protocol = &parsed.protocol;
    let method = protocol.signature_method;
    let _ = writeln!(
        out,
        "   the {} signature sent does not match the one recomputed from this request (RFC 5849 §3.2)",
        method.name()
    );
    let consumer_secret = secrets.consumer_secret.as_deref().unwrap_or_default();
    let token_secret = secrets.token_secret.as_deref().unwrap_or_default();
    match method {
        SignatureMethod::Plaintext => {
            let _ = writeln!(
                out,
                "   received signature: <{} bytes; PLAINTEXT signatures are the key, not shown>",
                protocol.signature.len()
            );
        }
        _ if method.rsa_hash().is_some() => {
            let _ = writeln!(out, "   received signature: {}", elided(&protocol.signature, SHOWN_PARAMETER));
            let _ = writeln!(out, "   (checked with the RSA public key given)");
        }
        _ => {
            let _ = writeln!(out, "   received signature: {}", elided(&protocol.signature, SHOWN_PARAMETER));
            if show_expected_signature {
                let recomputed = compute_signature(
                    method,
                    &parsed.signature_base_string,
                    &Secrets { consumer_secret, token_secret, rsa_private_key: None },
                );
                if let Ok(recomputed) = recomputed {
                    let _ = writeln!(
                        out,
                        "   recomputed signature: {recomputed} (--show-expected-signature: a valid signature of this \
                         request; whoever sees it can send the request)"
                    );
                }
            }
            let _ = writeln!(
                out,
                "   key (§3.4.2): {}&{}",
                shape("consumer secret", consumer_secret),
                shape("token secret", token_secret)
            );
        }
    }
    let _ = writeln!(
        out,
        "   signature base string the verifier computed (§3.4.1.1):\n      {}",
        elided(&parsed.signature_base_string, SHOWN_BASE_STRING)
    );
    write_parameters(out, &parsed.collected_parameters);
    if method.rsa_hash().is_none() {
        diagnose_client(out, parsed, incoming, secrets);
    }
}

/// The client's likely mistake, found by signing the request with each candidate set of
/// catalogued quirks until one reproduces the signature sent; its first differing stage is
/// named. Each candidate costs a signing of the whole request, so a request of more than
/// [`DIAGNOSED_PARAMETERS`] parameters is not tried.
fn diagnose_client(out: &mut String, parsed: &ParsedRequest, incoming: &IncomingRequest<'_>, secrets: &ServerSecrets) {
    let protocol = &parsed.protocol;
    if parsed.collected_parameters.len() > DIAGNOSED_PARAMETERS {
        let _ = writeln!(
            out,
            "no client-mistake diagnosis for a request of {} parameters (it is tried up to {DIAGNOSED_PARAMETERS}): \
             compare the client's own base string with the one above (`oauth1-conformance explain --base-string`)",
            parsed.collected_parameters.len()
        );
        return;
    }
    let Some((request, oauth)) = client_input(parsed, incoming) else { return };
    let sign_secrets = SignSecrets {
        consumer_secret: secrets.consumer_secret.clone(),
        token_secret: secrets.token_secret.clone(),
        rsa_private_key_pem: None,
    };
    let input = SignInput { request: &request, oauth: &oauth, secrets: &sign_secrets };
    let observed = Trace { signature: Some(protocol.signature.clone()), ..Trace::default() };
    match likely_cause(&input, &observed) {
        Some(cause) => out.push_str(&render(&cause)),
        None => out.push_str(
            "no catalogued client mistake (up to three combined) reproduces this signature, so the first stage that \
             differs cannot be told from the signature alone: check the secrets, or compare the client's own base \
             string with the one above (`oauth1-conformance explain --base-string`)\n",
        ),
    }
}

/// The signing input a client would have used to send `parsed`: what `likely_cause` needs.
/// Only for requests whose protocol parameters travelled in the header and whose body is
/// text; others get no diagnosis.
pub(crate) fn client_input(
    parsed: &ParsedRequest,
    incoming: &IncomingRequest<'_>,
) -> Option<(SignRequest, OAuthParams)> {
    if parsed.protocol.location != ParameterSource::AuthorizationHeader {
        return None;
    }
    let field = incoming.headers.iter().find(|(n, v)| {
        n.eq_ignore_ascii_case("authorization")
            && v.trim_start().get(..5).is_some_and(|s| s.eq_ignore_ascii_case("oauth"))
    })?;
    let header = parse_authorization_header(field.1.as_bytes()).ok()?;
    let text = |bytes: &[u8]| String::from_utf8(bytes.to_vec()).ok();
    let mut oauth = OAuthParams {
        consumer_key: parsed.protocol.consumer_key.clone(),
        token: None,
        signature_method: parsed.protocol.signature_method.name().to_owned(),
        timestamp: None,
        nonce: None,
        version: None,
        realm: None,
        extra: Vec::new(),
        compute_body_hash: false,
    };
    for p in header {
        let (name, value) = (text(&p.name)?, text(&p.value)?);
        match name.as_str() {
            "oauth_consumer_key" | "oauth_signature_method" | "oauth_signature" => {}
            "oauth_token" => oauth.token = Some(value),
            "oauth_timestamp" => oauth.timestamp = Some(value),
            "oauth_nonce" => oauth.nonce = Some(value),
            "oauth_version" => oauth.version = Some(value),
            "oauth_body_hash" => oauth.compute_body_hash = true,
            "realm" => oauth.realm = Some(value),
            _ => oauth.extra.push((name, value)),
        }
    }
    let body = match incoming.body {
        Some(bytes) => Some(text(bytes)?),
        None => None,
    };
    let request = SignRequest {
        method: incoming.method.to_owned(),
        url: incoming.url.to_owned(),
        content_type: incoming.content_type.map(str::to_owned),
        body,
    };
    Some((request, oauth))
}
