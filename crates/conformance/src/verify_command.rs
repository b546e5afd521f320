//! `oauth1-conformance verify`: checks one captured request the way a server does (RFC 5849
//! §3.2) and, when it fails, says which check failed: the signature (with the base string the
//! verifier recomputed and, where a catalogued quirk reproduces the signature sent, the
//! client's likely mistake), a missing or duplicated parameter, a stale timestamp, a replayed
//! nonce.
//!
//! Secrets come from the user's configuration and are never printed; a PLAINTEXT signature
//! is the key itself, so it is shown by length only.

use std::fmt::{self, Write as _};
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use oauth1_reference::header::parse_authorization_header;
use oauth1_reference::parameters::{Parameter, ParameterSource};
use oauth1_reference::rsa_signature::RsaPublicKey;
use oauth1_reference::sign::{compute_signature, Secrets};
use oauth1_reference::signature::SignatureMethod;
use oauth1_reference::verify::{
    parse_request, Credentials, InMemoryNonceStore, IncomingRequest, NonceStore as _, ParsedRequest, Rejection,
    TimestampPolicy, TimestampWindow, Verifier,
};
use oauth1_vectors::{OAuthParams, SignRequest, SignSecrets};
use serde::{Deserialize, Serialize};

use crate::diagnose::{likely_cause, render};
use crate::implementation::SignInput;
use crate::trace::Trace;

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
    /// an accepted request; without it nonces are not checked for replay.
    pub nonce_store: Option<PathBuf>,
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
pub fn parse_header_line(line: &str) -> Result<(String, String), String> {
    let (name, value) = line.split_once(':').ok_or_else(|| format!("--header {line:?} is not `Name: value`"))?;
    let name = name.trim();
    if name.is_empty() || !oauth1_reference::sign::is_http_method(name) {
        return Err(format!("--header {line:?}: {name:?} is not a header field name"));
    }
    Ok((name.to_owned(), value.trim_matches([' ', '\t']).to_owned()))
}

/// One accepted combination, as a line of the nonce store (§3.3).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct NonceRecord {
    consumer_key: String,
    token: Option<String>,
    timestamp: u64,
    nonce: String,
}

fn load_nonce_store(path: &Path) -> Result<InMemoryNonceStore, String> {
    let mut store = InMemoryNonceStore::default();
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(store),
        Err(e) => return Err(format!("cannot read the nonce store {}: {e}", path.display())),
    };
    for (index, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let record: NonceRecord = serde_json::from_str(line)
            .map_err(|e| format!("{}:{}: not a nonce record: {e}", path.display(), index + 1))?;
        store.check_and_record(&record.consumer_key, record.token.as_deref(), record.timestamp, &record.nonce);
    }
    Ok(store)
}

fn append_nonce(path: &Path, parsed: &ParsedRequest) -> Result<(), String> {
    let protocol = &parsed.protocol;
    let (Some(timestamp), Some(nonce)) = (protocol.timestamp, protocol.nonce.clone()) else {
        return Ok(());
    };
    let record =
        NonceRecord { consumer_key: protocol.consumer_key.clone(), token: protocol.token.clone(), timestamp, nonce };
    let line = serde_json::to_string(&record).map_err(|e| e.to_string())?;
    let mut file = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| format!("cannot open the nonce store {}: {e}", path.display()))?;
    writeln!(file, "{line}").map_err(|e| format!("cannot write the nonce store {}: {e}", path.display()))
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
    for p in parameters {
        let _ = writeln!(
            out,
            "      {:<6} {:?} = {:?}",
            p.source.name(),
            String::from_utf8_lossy(&p.name),
            String::from_utf8_lossy(&p.value)
        );
    }
}

/// Verifies `request`; `Err` is bad input or setup (exit 2), not an invalid request.
pub fn verify_captured(
    request: &CapturedRequest,
    secrets: &ServerSecrets,
    options: &VerifyOptions,
) -> Result<VerifyOutcome, String> {
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
    let rsa_key = secrets
        .rsa_public_key_pem
        .as_deref()
        .map(RsaPublicKey::from_pem)
        .transpose()
        .map_err(|e| format!("the RSA public key: {e}"))?;
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
    let nonces = match &options.nonce_store {
        Some(path) => load_nonce_store(path)?,
        None => InMemoryNonceStore::default(),
    };
    let mut verifier = Verifier::new(options.timestamps, nonces);
    let mut out = String::new();
    match verifier.verify(&incoming, &credentials, options.now) {
        Ok(verified) => {
            let parsed = &verified.request;
            let protocol = &parsed.protocol;
            let _ = writeln!(out, "valid: the {} signature verifies (RFC 5849 §3.2)", protocol.signature_method.name());
            let _ = writeln!(out, "   consumer key: {}", protocol.consumer_key);
            let _ = writeln!(out, "   token: {}", protocol.token.as_deref().unwrap_or("(none)"));
            if let Some(timestamp) = protocol.timestamp {
                let _ = writeln!(out, "   timestamp: {timestamp} ({})", describe_timestamp(timestamp, options));
            }
            if let Some(nonce) = &protocol.nonce {
                let replay = match &options.nonce_store {
                    Some(path) => {
                        append_nonce(path, parsed)?;
                        format!("first use, recorded in {}", path.display())
                    }
                    None => "not checked for replay: give --nonce-store FILE".to_owned(),
                };
                let _ = writeln!(out, "   nonce: {nonce} ({replay})");
            }
            let _ = writeln!(out, "   signature base string: {}", parsed.signature_base_string);
            Ok(VerifyOutcome { valid: true, text: out })
        }
        Err(rejection) => {
            let _ = writeln!(out, "invalid: {}", rejection.reason());
            explain_rejection(&mut out, &rejection, &incoming, secrets, options);
            Ok(VerifyOutcome { valid: false, text: out })
        }
    }
}

/// A verifier given no secret would report every request as forged; say what is missing.
fn check_secrets_given(parsed: &ParsedRequest, secrets: &ServerSecrets) -> Result<(), String> {
    let method = parsed.protocol.signature_method;
    if method.rsa_hash().is_some() {
        if secrets.rsa_public_key_pem.is_none() {
            return Err(format!(
                "the request is signed with {}: give the client's public key with --rsa-public-key FILE",
                method.name()
            ));
        }
        return Ok(());
    }
    if secrets.consumer_secret.is_none() {
        return Err("no consumer secret: set OAUTH1_CONSUMER_SECRET or give --secrets-file".into());
    }
    if parsed.protocol.token.as_deref().is_some_and(|t| !t.is_empty()) && secrets.token_secret.is_none() {
        return Err(
            "the request carries oauth_token but no token secret was given: set OAUTH1_TOKEN_SECRET or give --secrets-file"
                .into(),
        );
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
                explain_signature_mismatch(out, &parsed, incoming, secrets);
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
            let _ =
                writeln!(out, "   {rejection} (RFC 5849 §3.1: each protocol parameter MUST NOT appear more than once)");
        }
        other => {
            let _ = writeln!(out, "   {other}");
        }
    }
}

fn explain_signature_mismatch(
    out: &mut String,
    parsed: &ParsedRequest,
    incoming: &IncomingRequest<'_>,
    secrets: &ServerSecrets,
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
            let _ = writeln!(out, "   received signature: {}", protocol.signature);
            let _ = writeln!(out, "   (checked with the RSA public key given)");
        }
        _ => {
            let _ = writeln!(out, "   received signature:   {}", protocol.signature);
            let recomputed = compute_signature(
                method,
                &parsed.signature_base_string,
                &Secrets { consumer_secret, token_secret, rsa_private_key: None },
            );
            if let Ok(recomputed) = recomputed {
                let _ = writeln!(out, "   recomputed signature: {recomputed}");
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
        parsed.signature_base_string
    );
    write_parameters(out, &parsed.collected_parameters);
    match client_input(parsed, incoming) {
        Some((request, oauth)) if method.rsa_hash().is_none() => {
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
                    "no catalogued client mistake (up to three combined) reproduces this signature: check the secrets, \
                     or compare the client's own base string with the one above (`oauth1-conformance explain --base-string`)\n",
                ),
            }
        }
        _ => {}
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
