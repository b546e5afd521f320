//! `oauth1-conformance verify`: one captured request checked the way a server does
//! (RFC 5849 §3.2).

use std::path::PathBuf;

use clap::Args;

use super::output::print;
use super::{BadInput, Status};
use crate::secrets::server_secrets;
use crate::verify_command::{
    parse_header_line, read_body, verify_captured, CapturedRequest, ServerSecrets, TimestampCheck, VerifyOptions,
};

#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// HTTP method.
    #[arg(long, default_value = "GET")]
    method: String,
    /// Absolute request URL, query included.
    #[arg(long)]
    url: String,
    /// A header field as captured, `Name: value` (repeatable); the OAuth `Authorization`
    /// field among them.
    #[arg(long = "header", value_name = "NAME: VALUE")]
    headers: Vec<String>,
    /// Content-Type of the body (default: a `Content-Type` --header, if any).
    #[arg(long)]
    content_type: Option<String>,
    /// Entity-body, as text.
    #[arg(long, conflicts_with = "body_file")]
    body: Option<String>,
    /// Entity-body, read from FILE as bytes.
    #[arg(long, value_name = "FILE")]
    body_file: Option<PathBuf>,
    /// A JSON file {consumer_secret, token_secret, rsa_public_key_pem}. Without it, secrets
    /// come from OAUTH1_CONSUMER_SECRET, OAUTH1_TOKEN_SECRET and OAUTH1_RSA_PUBLIC_KEY_FILE.
    #[arg(long, value_name = "FILE")]
    secrets_file: Option<PathBuf>,
    /// The client's RSA public key (PEM), for the RSA methods.
    #[arg(long, value_name = "FILE")]
    rsa_public_key: Option<PathBuf>,
    /// The current time in Unix seconds (default: the system clock).
    #[arg(long)]
    now: Option<u64>,
    /// Accepted timestamp skew either way, in seconds (RFC 5849 §3.3 leaves it to the server).
    #[arg(long, default_value_t = 300)]
    timestamp_window: u64,
    /// Accept any timestamp (for replaying an old capture).
    #[arg(long, conflicts_with = "timestamp_window")]
    any_timestamp: bool,
    /// A file recording accepted nonces (JSON lines; created if missing): a nonce already in
    /// it is a replay. Without it, nonces are not checked.
    #[arg(long, value_name = "FILE")]
    nonce_store: Option<PathBuf>,
    /// The largest body read, in bytes; a larger one is bad input (exit 2).
    #[arg(long, value_name = "BYTES", default_value_t = crate::verify_command::DEFAULT_MAX_BODY)]
    max_body: u64,
    /// For a rejected request, print the signature the verifier recomputed: a valid signature
    /// of the request, so off by default (never for PLAINTEXT, whose signature is the secrets).
    #[arg(long)]
    show_expected_signature: bool,
}

pub(crate) fn run(args: &VerifyArgs) -> Result<Status, BadInput> {
    let prepared = (|| -> Result<(CapturedRequest, ServerSecrets, VerifyOptions), BadInput> {
        let headers = args.headers.iter().map(|h| parse_header_line(h)).collect::<Result<Vec<_>, _>>()?;
        let body = read_body(args.body.as_deref(), args.body_file.as_deref(), args.max_body)?;
        let now = match args.now {
            Some(now) => now,
            None => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_err(|e| format!("the system clock is before 1970: {e}"))?
                .as_secs(),
        };
        let request = CapturedRequest {
            method: args.method.clone(),
            url: args.url.clone(),
            headers,
            content_type: args.content_type.clone(),
            body,
        };
        let timestamps =
            if args.any_timestamp { TimestampCheck::Any } else { TimestampCheck::Window(args.timestamp_window) };
        Ok((
            request,
            server_secrets(args.secrets_file.as_deref(), args.rsa_public_key.as_deref())?,
            VerifyOptions {
                now,
                timestamps,
                nonce_store: args.nonce_store.clone(),
                show_expected_signature: args.show_expected_signature,
            },
        ))
    })();
    let (request, secrets, options) = prepared?;
    let outcome = verify_captured(&request, &secrets, &options)?;
    print(&outcome.text);
    Ok(if outcome.valid { Status::Conformant } else { Status::Divergence })
}
