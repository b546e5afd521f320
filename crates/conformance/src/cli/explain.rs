//! `oauth1-conformance explain`: the reference signs one request and shows every stage, the
//! secrets masked, and the first stage that differs from what the user's implementation
//! produced.

use std::fs;
use std::io::Read as _;
use std::path::PathBuf;

use clap::Args;

use oauth1_vectors::{OAuthParams, SignExpected, SignRequest, SignSecrets};

use super::output::print;
use super::{BadInput, Status};
use crate::explain::{explain, ExplainInput};
use crate::secrets::signing_secrets;

#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// Read a sign case (or an object with `request`, `oauth` and optional `secrets` and
    /// `expected`) as JSON from FILE, or from stdin with `-`. Its `expected` stages are
    /// compared like --expect-signature.
    #[arg(long, value_name = "FILE")]
    case: Option<String>,
    /// HTTP method.
    #[arg(long, default_value = "GET")]
    method: String,
    /// Absolute request URL, query included.
    #[arg(long)]
    url: Option<String>,
    /// Content-Type of the body.
    #[arg(long)]
    content_type: Option<String>,
    /// Entity-body.
    #[arg(long)]
    body: Option<String>,
    /// oauth_consumer_key.
    #[arg(long)]
    consumer_key: Option<String>,
    /// oauth_token.
    #[arg(long)]
    token: Option<String>,
    /// oauth_signature_method.
    #[arg(long, default_value = "HMAC-SHA1")]
    signature_method: String,
    /// oauth_timestamp.
    #[arg(long)]
    timestamp: Option<String>,
    /// oauth_nonce.
    #[arg(long)]
    nonce: Option<String>,
    /// oauth_version (omitted unless given).
    #[arg(long)]
    oauth_version: Option<String>,
    /// realm of the Authorization header.
    #[arg(long)]
    realm: Option<String>,
    /// Another protocol parameter, NAME=VALUE (repeatable).
    #[arg(long = "extra", value_name = "NAME=VALUE")]
    extra: Vec<String>,
    /// Compute oauth_body_hash.
    #[arg(long)]
    body_hash: bool,
    /// A JSON file {consumer_secret, token_secret, rsa_private_key_pem}. Without it, secrets
    /// come from OAUTH1_CONSUMER_SECRET, OAUTH1_TOKEN_SECRET and OAUTH1_RSA_PRIVATE_KEY_FILE.
    #[arg(long, value_name = "FILE")]
    secrets_file: Option<PathBuf>,
    /// The signature your implementation produced, to compare.
    #[arg(long)]
    expect_signature: Option<String>,
    /// The signature base string your implementation produced, to compare.
    #[arg(long)]
    base_string: Option<String>,
    /// Print only the Authorization header field value (for scripts: the curl driver of
    /// `capture`).
    #[arg(long, conflicts_with_all = ["expect_signature", "base_string"])]
    header_only: bool,
}

/// The part of a case JSON that explain reads; other case fields are ignored.
#[derive(serde::Deserialize)]
struct CaseForExplain {
    request: SignRequest,
    oauth: OAuthParams,
    #[serde(default)]
    secrets: Option<SignSecrets>,
    #[serde(default)]
    expected: Option<SignExpected>,
}

fn explain_input(args: &ExplainArgs) -> Result<ExplainInput, BadInput> {
    let theirs = SignExpected {
        signature: args.expect_signature.clone(),
        signature_base_string: args.base_string.clone(),
        ..SignExpected::default()
    };
    if let Some(source) = &args.case {
        let text = if source == "-" {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).map_err(|e| format!("stdin: {e}"))?;
            text
        } else {
            fs::read_to_string(source).map_err(|e| format!("cannot read {source}: {e}"))?
        };
        let case: CaseForExplain = serde_json::from_str(&text).map_err(|e| format!("{source}: {e}"))?;
        let secrets = match case.secrets {
            Some(secrets) => secrets,
            None => signing_secrets(args.secrets_file.as_deref())?,
        };
        let theirs = if theirs.has_any_stage() { theirs } else { case.expected.unwrap_or_default() };
        return Ok(ExplainInput { request: case.request, oauth: case.oauth, secrets, theirs });
    }
    let url = args.url.clone().ok_or("--url is required (or give --case)")?;
    let consumer_key = args.consumer_key.clone().ok_or("--consumer-key is required (or give --case)")?;
    let extra = args
        .extra
        .iter()
        .map(|pair| {
            pair.split_once('=')
                .map(|(n, v)| (n.to_owned(), v.to_owned()))
                .ok_or_else(|| format!("--extra takes NAME=VALUE, got {pair:?}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ExplainInput {
        request: SignRequest {
            method: args.method.clone(),
            url,
            content_type: args.content_type.clone(),
            body: args.body.clone(),
        },
        oauth: OAuthParams {
            consumer_key,
            token: args.token.clone(),
            signature_method: args.signature_method.clone(),
            timestamp: args.timestamp.clone(),
            nonce: args.nonce.clone(),
            version: args.oauth_version.clone(),
            realm: args.realm.clone(),
            extra,
            compute_body_hash: args.body_hash,
        },
        secrets: signing_secrets(args.secrets_file.as_deref())?,
        theirs,
    })
}

/// The Authorization header the reference writes for `input`.
fn header_only(input: &ExplainInput) -> Result<String, String> {
    use crate::implementation::{InProcess as _, Outcome, SignInput};
    let sign_input = SignInput { request: &input.request, oauth: &input.oauth, secrets: &input.secrets };
    match crate::reference_impl::Reference::default().sign(&sign_input) {
        Outcome::Answer(trace) => {
            trace.authorization_header.ok_or_else(|| "the reference wrote no Authorization header".to_owned())
        }
        Outcome::Rejected { message, .. }
        | Outcome::Unsupported(message)
        | Outcome::Panicked(message)
        | Outcome::Error(message) => Err(format!("the reference cannot sign this request: {message}")),
    }
}

pub(crate) fn run(args: &ExplainArgs) -> Result<Status, BadInput> {
    let input = explain_input(args)?;
    if args.header_only {
        print(&format!("{}\n", header_only(&input)?));
        return Ok(Status::Conformant);
    }
    let explanation = explain(&input);
    print(&explanation.text);
    Ok(match explanation.exit_code() {
        crate::exit_code::CONFORMANT => Status::Conformant,
        crate::exit_code::DIVERGENCE => Status::Divergence,
        _ => Status::BadInput,
    })
}
