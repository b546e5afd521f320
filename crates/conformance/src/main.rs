//! The `oauth1-conformance` command line.

use std::fs;
use std::io::{IsTerminal as _, Read as _};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use oauth1_conformance::exit_code::{BAD_INPUT, CONFORMANT, DIVERGENCE};
use oauth1_conformance::explain::{explain, ExplainInput};
use oauth1_conformance::implementation::Implementation;
use oauth1_conformance::reference_impl::Reference;
use oauth1_conformance::report::{render_terminal, JsonReport, RunMetadata, Summary, VectorFileInfo};
use oauth1_conformance::runner::run_corpus;
use oauth1_vectors::{load_paths, Corpus, OAuthParams, SignExpected, SignRequest, SignSecrets, VectorError};

/// OAuth 1.0 (RFC 5849) conformance harness.
///
/// Exit codes: 0 conformant, 1 divergence (a failed case, an implementation error, a
/// differing stage), 2 bad input or setup.
#[derive(Debug, Parser)]
#[command(name = "oauth1-conformance", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Work with vector files.
    Vectors {
        #[command(subcommand)]
        command: VectorsCommand,
    },
    /// Replay vectors against implementations.
    Run(RunArgs),
    /// Sign one request with the reference and show every stage, with secrets masked.
    Explain(Box<ExplainArgs>),
}

#[derive(Debug, Subcommand)]
enum VectorsCommand {
    /// Validate vector files: schema, unknown fields, duplicate ids, undeclared flags.
    Check {
        /// Files or directories (every *.json below, except schema.json).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

#[derive(Debug, Args)]
struct RunArgs {
    /// Implementation to run (repeatable). Known: reference.
    #[arg(long = "impl", required = true)]
    implementations: Vec<String>,
    /// Vector files or directories (repeatable).
    #[arg(long, required = true, num_args = 1..)]
    vectors: Vec<PathBuf>,
    /// Extra report, as FORMAT:PATH (repeatable). Formats: json.
    #[arg(long = "report")]
    reports: Vec<String>,
    /// Print only the summary line, not the tables.
    #[arg(long)]
    quiet: bool,
}

#[derive(Debug, Args)]
struct ExplainArgs {
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Vectors { command: VectorsCommand::Check { paths } } => vectors_check(&paths),
        Command::Run(args) => run(&args),
        Command::Explain(args) => run_explain(&args),
    };
    ExitCode::from(code)
}

fn print_vector_errors(errors: &[VectorError]) {
    for error in errors {
        eprintln!("error: {error}");
    }
    eprintln!("{} problem(s) in the vectors", errors.len());
}

fn vectors_check(paths: &[PathBuf]) -> u8 {
    match load_paths(paths) {
        Ok(corpus) => {
            let cases = corpus.cases().count();
            println!("{} file(s), {cases} case(s): valid", corpus.files.len());
            CONFORMANT
        }
        Err(errors) => {
            print_vector_errors(&errors);
            BAD_INPUT
        }
    }
}

fn implementation_named(name: &str) -> Option<Box<dyn Implementation>> {
    match name {
        "reference" => Some(Box::new(Reference::default())),
        _ => None,
    }
}

enum ReportTarget {
    Json(PathBuf),
}

fn parse_report(spec: &str) -> Result<ReportTarget, String> {
    match spec.split_once(':') {
        Some(("json", path)) if !path.is_empty() => Ok(ReportTarget::Json(PathBuf::from(path))),
        Some((format, _)) => Err(format!("unknown report format {format:?} in {spec:?} (known: json)")),
        None => Err(format!("--report takes FORMAT:PATH, got {spec:?}")),
    }
}

fn metadata(corpus: &Corpus, implementations: &[Box<dyn Implementation>]) -> RunMetadata {
    RunMetadata {
        tool: format!("oauth1-conformance {}", env!("CARGO_PKG_VERSION")),
        implementations: implementations.iter().map(|i| i.info().clone()).collect(),
        vector_files: corpus
            .files
            .iter()
            .map(|f| VectorFileInfo {
                path: f.path.display().to_string(),
                sha256: f.sha256.clone(),
                cases: f.file.cases.len(),
            })
            .collect(),
    }
}

fn run(args: &RunArgs) -> u8 {
    let reports = match args.reports.iter().map(|r| parse_report(r)).collect::<Result<Vec<_>, _>>() {
        Ok(reports) => reports,
        Err(e) => {
            eprintln!("error: {e}");
            return BAD_INPUT;
        }
    };
    let mut implementations = Vec::new();
    for name in &args.implementations {
        match implementation_named(name) {
            Some(implementation) => implementations.push(implementation),
            None => {
                eprintln!("error: unknown implementation {name:?} (known: reference)");
                return BAD_INPUT;
            }
        }
    }
    let corpus = match load_paths(&args.vectors) {
        Ok(corpus) => corpus,
        Err(errors) => {
            print_vector_errors(&errors);
            return BAD_INPUT;
        }
    };
    let mut results = Vec::new();
    for implementation in &mut implementations {
        results.extend(run_corpus(&corpus, implementation.as_mut()));
    }
    if results.is_empty() {
        eprintln!("error: no case ran");
        return BAD_INPUT;
    }
    let summary = Summary::of(&results);
    let rendered = render_terminal(&results, &summary);
    if args.quiet {
        print!("{}", rendered.lines().last().map(|l| format!("{l}\n")).unwrap_or_default());
    } else {
        print!("{rendered}");
    }
    let metadata = metadata(&corpus, &implementations);
    for report in reports {
        let ReportTarget::Json(path) = report;
        let json = JsonReport { results: &results, summary: &summary, metadata: &metadata };
        let written = serde_json::to_string_pretty(&json).map_err(|e| e.to_string()).and_then(|text| {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                fs::create_dir_all(parent).map_err(|e| e.to_string())?;
            }
            fs::write(&path, text).map_err(|e| e.to_string())
        });
        if let Err(e) = written {
            eprintln!("error: cannot write report {}: {e}", path.display());
            return BAD_INPUT;
        }
        if std::io::stdout().is_terminal() {
            println!("wrote {}", path.display());
        }
    }
    if summary.conformant() {
        CONFORMANT
    } else {
        DIVERGENCE
    }
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

fn secrets_from_environment(args: &ExplainArgs) -> Result<SignSecrets, String> {
    if let Some(path) = &args.secrets_file {
        let text = fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        return serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()));
    }
    let rsa_private_key_pem =
        match std::env::var_os("OAUTH1_RSA_PRIVATE_KEY_FILE") {
            Some(path) => Some(fs::read_to_string(&path).map_err(|e| {
                format!("cannot read OAUTH1_RSA_PRIVATE_KEY_FILE {}: {e}", PathBuf::from(&path).display())
            })?),
            None => None,
        };
    Ok(SignSecrets {
        consumer_secret: std::env::var("OAUTH1_CONSUMER_SECRET").ok(),
        token_secret: std::env::var("OAUTH1_TOKEN_SECRET").ok(),
        rsa_private_key_pem,
    })
}

fn explain_input(args: &ExplainArgs) -> Result<ExplainInput, String> {
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
            None => secrets_from_environment(args)?,
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
        secrets: secrets_from_environment(args)?,
        theirs,
    })
}

fn run_explain(args: &ExplainArgs) -> u8 {
    let input = match explain_input(args) {
        Ok(input) => input,
        Err(e) => {
            eprintln!("error: {e}");
            return BAD_INPUT;
        }
    };
    let explanation = explain(&input);
    print!("{}", explanation.text);
    match explanation.matches {
        Some(false) => DIVERGENCE,
        Some(true) | None => CONFORMANT,
    }
}
