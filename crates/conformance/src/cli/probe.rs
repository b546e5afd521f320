//! `oauth1-conformance probe`: a running OAuth 1.0 endpoint tested over real HTTP with the
//! battery of `crate::live::probe`, one line per case, a summary per family, and the report
//! family. Exit 0 when no case fails, 1 when one does, 2 on bad input, an unreachable server
//! or a refused gate.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::output::{self, println, ReportTarget};
use super::{BadInput, Status};
use crate::live::probe::cases::Family;
use crate::live::probe::oracle::{Oracle, StatusSet};
use crate::live::probe::redact::REDACTED;
use crate::live::probe::verdict::Verdict;
use crate::live::probe::{plan, run, Plan, ProbeConfig};
use crate::report::probe::{probe_only_report, ProbeCaseResult, ProbeReport, ProbedServer};
use crate::secrets::signing_secrets;
use crate::session::shell_quote;

/// The signature methods the probe signs with.
const METHODS: [&str; 7] =
    ["HMAC-SHA1", "HMAC-SHA256", "HMAC-SHA512", "RSA-SHA1", "RSA-SHA256", "RSA-SHA512", "PLAINTEXT"];

/// Header fields the probe writes itself.
const OWN_FIELDS: [&str; 6] =
    ["host", "authorization", "content-length", "transfer-encoding", "connection", "content-type"];

#[derive(Debug, Args)]
pub(crate) struct ProbeArgs {
    /// The URL that is signed (its authority is the Host header).
    #[arg(long)]
    url: String,
    /// The gate's HTTP method.
    #[arg(long, default_value = "GET")]
    method: String,
    /// oauth_consumer_key.
    #[arg(long)]
    consumer_key: String,
    /// oauth_token (none: two-legged).
    #[arg(long)]
    token: Option<String>,
    /// A signature method the server supports (repeatable; the first signs the battery):
    /// HMAC-SHA1 (default), HMAC-SHA256, HMAC-SHA512, RSA-SHA1, RSA-SHA256, RSA-SHA512, PLAINTEXT.
    #[arg(long = "signature-method", value_name = "METHOD")]
    signature_methods: Vec<String>,
    /// The gate's Content-Type.
    #[arg(long, requires = "body_source")]
    content_type: Option<String>,
    /// The gate's body, as text.
    #[arg(long, group = "body_source")]
    body: Option<String>,
    /// The gate's body, read from FILE (UTF-8).
    #[arg(long, value_name = "FILE", group = "body_source")]
    body_file: Option<PathBuf>,
    /// The realm of the Authorization header.
    #[arg(long)]
    realm: Option<String>,
    /// A header field sent with every request, `Name: value` (repeatable; an API key a gateway
    /// needs): its value is redacted in every report.
    #[arg(long = "header", value_name = "NAME: VALUE")]
    headers: Vec<String>,
    /// A JSON file {consumer_secret, token_secret, rsa_private_key_pem}. Without it, secrets come
    /// from OAUTH1_CONSUMER_SECRET, OAUTH1_TOKEN_SECRET and OAUTH1_RSA_PRIVATE_KEY_FILE.
    #[arg(long, value_name = "FILE")]
    secrets_file: Option<PathBuf>,
    /// Send the bytes to [http://|https://]HOST:PORT instead of the URL's authority (a proxy's
    /// backend, a container, a port-forward); what is signed does not change.
    #[arg(long, value_name = "ADDRESS")]
    connect: Option<String>,
    /// Accept any TLS certificate (self-signed test servers).
    #[arg(long)]
    insecure: bool,
    /// Statuses that mean accepted (codes, classes, ranges: `2xx`, `200,204`, `200-299`).
    #[arg(long, default_value = "2xx")]
    accept_status: String,
    /// Statuses that mean refused.
    #[arg(long, default_value = "400,401,403")]
    reject_status: String,
    /// A regular expression the body of an accepted response must match (an accepting status
    /// whose body does not match is neither accepted nor refused: inconclusive).
    #[arg(long, value_name = "REGEX")]
    accept_body: Option<String>,
    /// Requests per second (default: 10, unlimited on loopback).
    #[arg(long)]
    rate: Option<f64>,
    /// Seconds per request: connect, TLS, write and read.
    #[arg(long, default_value_t = 10.0, value_name = "SECS")]
    timeout: f64,
    /// The most requests sent; the cases past it are skipped.
    #[arg(long, default_value_t = 500)]
    max_requests: usize,
    /// Send tampered, replayed, stale and malformed requests with POST, PUT, PATCH or DELETE
    /// (skipped otherwise: an accepted one may change the server's state).
    #[arg(long)]
    allow_unsafe_methods: bool,
    /// Print every case (id, family, what is changed, expected verdict) and send nothing.
    #[arg(long)]
    dry_run: bool,
    /// Only these families: valid, tampered, replay, time, malformed, downgrade, flow.
    #[arg(long, value_delimiter = ',', value_name = "FAMILY,...")]
    only: Vec<String>,
    /// Only this case (repeatable), with the gate and its control: the replay of one case.
    #[arg(long = "case", value_name = "ID")]
    cases: Vec<String>,
    /// The §2 temporary-credential endpoint (the flow family; `OAUTH1_VERIFIER` adds the
    /// token request with the right verifier).
    #[arg(long, requires = "token_url")]
    initiate_url: Option<String>,
    /// The §2 token endpoint.
    #[arg(long, requires = "initiate_url")]
    token_url: Option<String>,
    /// The server's name in reports (default: the URL's authority).
    #[arg(long)]
    name: Option<String>,
    /// A report, as FORMAT:PATH (json, junit, markdown, html; repeatable).
    #[arg(long = "report", value_parser = ReportTarget::parse)]
    reports: Vec<ReportTarget>,
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn signature_methods(args: &ProbeArgs) -> Result<Vec<String>, String> {
    if args.signature_methods.is_empty() {
        return Ok(vec!["HMAC-SHA1".into()]);
    }
    let mut methods = Vec::new();
    for given in &args.signature_methods {
        let method = METHODS
            .iter()
            .find(|m| m.eq_ignore_ascii_case(given))
            .ok_or_else(|| format!("--signature-method {given}: not one of {}", METHODS.join(", ")))?;
        if !methods.iter().any(|m: &String| m == method) {
            methods.push((*method).to_owned());
        }
    }
    Ok(methods)
}

fn extra_headers(args: &ProbeArgs) -> Result<Vec<(String, String)>, String> {
    let mut headers = Vec::new();
    for (index, line) in args.headers.iter().enumerate() {
        // The value may be a credential: errors name the position, never the text.
        let (name, value) = crate::verify_command::parse_header_line(line)
            .map_err(|_| format!("--header number {}: not `Name: value` with a field name", index + 1))?;
        if OWN_FIELDS.iter().any(|own| name.eq_ignore_ascii_case(own)) {
            return Err(format!("--header {name}: the probe writes this field itself"));
        }
        headers.push((name, value));
    }
    Ok(headers)
}

/// The command line that replays the run, secrets and `--header` values left out.
fn replay_command(args: &ProbeArgs, methods: &[String]) -> String {
    let mut parts = vec!["oauth1-conformance probe".to_owned()];
    let mut flag = |name: &str, value: &str| parts.push(format!("--{name} {}", shell_quote(value)));
    flag("url", &args.url);
    if args.method != "GET" {
        flag("method", &args.method);
    }
    flag("consumer-key", &args.consumer_key);
    for (name, value) in
        [("token", &args.token), ("content-type", &args.content_type), ("body", &args.body), ("realm", &args.realm)]
    {
        if let Some(value) = value {
            flag(name, value);
        }
    }
    if let Some(file) = &args.body_file {
        flag("body-file", &file.display().to_string());
    }
    for method in methods {
        flag("signature-method", method);
    }
    for line in &args.headers {
        let name = line.split_once(':').map_or(line.as_str(), |(n, _)| n).trim();
        flag("header", &format!("{name}: {REDACTED}"));
    }
    if let Some(file) = &args.secrets_file {
        flag("secrets-file", &file.display().to_string());
    }
    for (name, value) in [
        ("connect", &args.connect),
        ("accept-body", &args.accept_body),
        ("initiate-url", &args.initiate_url),
        ("token-url", &args.token_url),
    ] {
        if let Some(value) = value {
            flag(name, value);
        }
    }
    if args.accept_status != "2xx" {
        flag("accept-status", &args.accept_status);
    }
    if args.reject_status != "400,401,403" {
        flag("reject-status", &args.reject_status);
    }
    for (set, name) in [(args.insecure, "--insecure"), (args.allow_unsafe_methods, "--allow-unsafe-methods")] {
        if set {
            parts.push(name.to_owned());
        }
    }
    parts.join(" ")
}

/// The client's secrets, checked against what the request needs.
fn secrets(args: &ProbeArgs, methods: &[String]) -> Result<oauth1_vectors::SignSecrets, BadInput> {
    let secrets = signing_secrets(args.secrets_file.as_deref())?;
    let shared = methods.iter().any(|m| !m.starts_with("RSA-"));
    if shared && secrets.consumer_secret.is_none() {
        return Err(
            "no consumer secret: set OAUTH1_CONSUMER_SECRET or give --secrets-file (never on the command line)".into(),
        );
    }
    if shared && args.token.is_some() && secrets.token_secret.is_none() {
        return Err("--token without a token secret: set OAUTH1_TOKEN_SECRET (empty when the token has none) or give --secrets-file".into());
    }
    if !shared && secrets.rsa_private_key_pem.is_none() {
        return Err("the RSA methods need the private key: OAUTH1_RSA_PRIVATE_KEY_FILE or rsa_private_key_pem in --secrets-file".into());
    }
    Ok(secrets)
}

fn config(args: &ProbeArgs) -> Result<ProbeConfig, BadInput> {
    let methods = signature_methods(args)?;
    let secrets = secrets(args, &methods)?;
    let route = oauth1_wire::client::Route::new(&args.url, args.connect.as_deref()).map_err(|e| e.to_string())?;
    let body = match &args.body_file {
        Some(path) => Some(
            String::from_utf8(std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?)
                .map_err(|_| format!("--body-file {}: not UTF-8", path.display()))?,
        ),
        None => args.body.clone(),
    };
    if !args.timeout.is_finite() || args.timeout <= 0.0 || args.timeout > 3600.0 {
        return Err(format!("--timeout {}: give seconds between 0 and 3600", args.timeout).into());
    }
    let only = if args.only.is_empty() {
        None
    } else {
        let families = args.only.iter().map(|name| {
            Family::from_name(name.trim()).ok_or_else(|| {
                let known: Vec<&str> = Family::ALL.iter().map(|f| f.name()).collect();
                format!("--only {name}: not a family ({})", known.join(", "))
            })
        });
        Some(families.collect::<Result<Vec<_>, _>>()?)
    };
    let accept_body = match &args.accept_body {
        Some(text) => Some(regex::bytes::Regex::new(text).map_err(|e| format!("--accept-body: {e}"))?),
        None => None,
    };
    let rate = args.rate.or((!is_loopback(&route.connect_host)).then_some(10.0));
    let client = oauth1_wire::client::ClientOptions {
        timeout: Duration::from_secs_f64(args.timeout),
        insecure: args.insecure,
        ..oauth1_wire::client::ClientOptions::default()
    };
    Ok(ProbeConfig {
        name: args.name.clone().unwrap_or_else(|| route.authority.clone()),
        url: args.url.clone(),
        method: args.method.clone(),
        consumer_key: args.consumer_key.clone(),
        token: args.token.clone(),
        replay_command: replay_command(args, &methods),
        signature_methods: methods,
        content_type: args.content_type.clone(),
        body,
        realm: args.realm.clone(),
        headers: extra_headers(args)?,
        secrets,
        verifier: std::env::var("OAUTH1_VERIFIER").ok().filter(|v| !v.is_empty()),
        connect: args.connect.clone(),
        client,
        oracle: Oracle {
            accept: StatusSet::parse(&args.accept_status).map_err(|e| format!("--accept-status: {e}"))?,
            reject: StatusSet::parse(&args.reject_status).map_err(|e| format!("--reject-status: {e}"))?,
            accept_body,
        },
        rate,
        max_requests: args.max_requests,
        allow_unsafe_methods: args.allow_unsafe_methods,
        only,
        cases: args.cases.clone(),
        initiate_url: args.initiate_url.clone(),
        token_url: args.token_url.clone(),
    })
}

fn print_plan(config: &ProbeConfig, plan: &Plan) {
    for row in &plan.rows {
        let may = if row.may_refuse {
            " (may refuse)"
        } else if row.may_accept {
            " (may accept)"
        } else {
            ""
        };
        println(&format!("{:<48} {:<9} {}{may}: {}", row.id, row.family.name(), row.expected.name(), row.change));
    }
    println(&format!(
        "{} cases, {} requests (a refused valid request adds up to {} to diagnose it); --max-requests {}",
        plan.rows.len(),
        plan.requests,
        crate::live::probe::diagnosis::MAX_CANDIDATES,
        config.max_requests
    ));
}

fn case_line(result: &ProbeCaseResult) {
    let status = result.observed_status.map_or_else(|| "---".to_owned(), |s| s.to_string());
    let verdict = if result.verdict == Verdict::Fail {
        format!("FAIL ({})", result.severity.name())
    } else {
        result.verdict.name().to_owned()
    };
    let diagnosis = result.diagnosis.as_deref().unwrap_or_default();
    println(&format!("{verdict:<14} {:<48} {:<9} {status}  {diagnosis}", result.id, result.family.name()));
}

fn summary(server: &ProbedServer) {
    println("");
    for (family, counts) in &server.summary {
        let parts: Vec<String> =
            Verdict::ALL.iter().filter_map(|v| counts.get(v).map(|n| format!("{n} {}", v.name()))).collect();
        println(&format!("{:<9} {}", family.name(), parts.join(", ")));
    }
    println(&format!("{}: {}", server.name, server.line()));
}

pub(crate) fn run_probe(args: &ProbeArgs) -> Result<Status, BadInput> {
    let config = config(args)?;
    let plan = plan(&config)?;
    if args.dry_run {
        print_plan(&config, &plan);
        return Ok(Status::Conformant);
    }
    println(&format!(
        "probing {} ({}): {} cases, {} requests (a refused valid request adds up to {} to diagnose it), at most {}{}",
        config.url,
        config.connect.as_deref().map_or_else(|| "direct".to_owned(), |c| format!("via {c}")),
        plan.rows.len(),
        plan.requests,
        crate::live::probe::diagnosis::MAX_CANDIDATES,
        config.max_requests,
        config.rate.map_or_else(|| ", unlimited rate".to_owned(), |r| format!(", {r} per second")),
    ));
    let server = run(&config, &plan, &mut case_line)?;
    summary(&server);
    let failed = server.has_failure();
    let stopped = server.stopped.clone();
    let report = probe_only_report(
        ProbeReport { servers: vec![server] },
        format!("oauth1-conformance {}", env!("CARGO_PKG_VERSION")),
    );
    output::write_reports(&report, &args.reports)?;
    if let Some(stopped) = stopped {
        output::clear_progress_line();
        eprintln!("error: {stopped}");
        return Ok(Status::BadInput);
    }
    Ok(if failed { Status::Divergence } else { Status::Conformant })
}
