//! The `oauth1-conformance` command line.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{IsTerminal as _, Read as _};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

// Quirk attribution prepares thousands of small candidate pipelines per divergence; glibc's
// allocator was a quarter of a full run's CPU.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::Path;
use std::time::{Duration, Instant};

use oauth1_conformance::adapter::{Adapter, AdapterConfig};
use oauth1_conformance::baseline;
use oauth1_conformance::exit_code::{BAD_INPUT, CONFORMANT, DIVERGENCE};
use oauth1_conformance::explain::{explain, ExplainInput};
use oauth1_conformance::generate::{Shrink, DEFAULT_SEED, DEFAULT_SHRINK_BUDGET};
use oauth1_conformance::implementation::{Implementation, InProcess, Outcome};
use oauth1_conformance::peers;
use oauth1_conformance::quirks::Quirk;
use oauth1_conformance::reference_impl::Reference;
use oauth1_conformance::report::html::{render_html, HtmlInput};
use oauth1_conformance::report::{
    render_junit, render_markdown, render_matrix, render_terminal, JsonReport, RunMetadata, Summary, Unavailable,
    VectorFileInfo,
};
use oauth1_conformance::runner::CaseResult;
use oauth1_conformance::secrets::{server_secrets, signing_secrets};
use oauth1_conformance::session::{row_verdict, run_row, shell_quote, Driver, Plan};
use oauth1_conformance::verify_command::{
    parse_header_line, read_body, verify_captured, CapturedRequest, ServerSecrets, TimestampCheck, VerifyOptions,
};
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
    Run(Box<RunArgs>),
    /// Sign one request with the reference and show every stage, with secrets masked.
    Explain(Box<ExplainArgs>),
    /// Verify one captured request the way a server does (RFC 5849 §3.2): exit 0 valid, 1
    /// invalid (with the check that failed), 2 bad input.
    Verify(Box<VerifyArgs>),
    /// Serve an in-process implementation over the adapter protocol on stdin/stdout.
    Serve {
        /// The implementation to serve.
        #[arg(long = "impl")]
        implementation: String,
    },
    /// List the in-process implementations and the quirk catalogue.
    List,
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
    /// In-process implementation to run (repeatable): `reference`, a Rust peer (see
    /// `oauth1-conformance list`), or `all`.
    #[arg(long = "impl")]
    implementations: Vec<String>,
    /// Implementation behind an adapter process, NAME=COMMAND (repeatable); COMMAND runs
    /// through `sh -c` and speaks adapters/PROTOCOL.md.
    #[arg(long = "adapter", value_name = "NAME=COMMAND")]
    adapters: Vec<String>,
    /// Run each in-process implementation in an `oauth1-conformance serve` child process
    /// instead, with the same fault handling as an adapter.
    #[arg(long)]
    isolate: bool,
    /// Vector files or directories (repeatable).
    #[arg(long, num_args = 1..)]
    vectors: Vec<PathBuf>,
    /// Property-generated signing cases per implementation, compared with the reference.
    #[arg(long, default_value_t = 0)]
    generated: u64,
    /// The run seed: a number, or `random`. Every run prints it; case i of seed S is
    /// replayed alone with `--seed S+i --generated 1`.
    #[arg(long, default_value_t = String::from("default"))]
    seed: String,
    /// Shrinking steps (each a round trip to the implementation) a row spends on its kinds of
    /// divergence, unexplained kinds first; a kind left unshrunk says so.
    #[arg(long, value_name = "STEPS", default_value_t = DEFAULT_SHRINK_BUDGET)]
    shrink_budget: u32,
    /// Write the shrunk generated counterexamples as vector files into DIR.
    #[arg(long, value_name = "DIR")]
    save_counterexamples: Option<PathBuf>,
    /// Check each implementation against its baseline (DIR/NAME.json): a run fails only on
    /// divergences no baselined quirk explains, or on a baselined quirk that vanished.
    #[arg(long, value_name = "DIR")]
    baselines: Option<PathBuf>,
    /// Rewrite the baselines from this run (refuses divergences that have no quirk).
    #[arg(long, requires = "baselines")]
    update_baseline: bool,
    /// Rows with no baseline file yet are reported (with their divergences, or as
    /// unavailable) but do not decide the exit code. Without it, a missing baseline is an
    /// empty one.
    #[arg(long, requires = "baselines")]
    allow_unbaselined: bool,
    /// Extra report, as FORMAT:PATH (repeatable). Formats: json, junit, markdown, html (one
    /// self-contained page).
    #[arg(long = "report")]
    reports: Vec<String>,
    /// Seconds an adapter may take to answer the handshake.
    #[arg(long, default_value_t = 10.0)]
    handshake_timeout: f64,
    /// Seconds an adapter may take to answer one case.
    #[arg(long, default_value_t = 5.0)]
    case_timeout: f64,
    /// Print only the summary line, not the tables.
    #[arg(long)]
    quiet: bool,
    /// List in the terminal report the divergences a baseline explains too (by default only
    /// the unexplained ones are listed in full, the others counted; the reports carry all).
    #[arg(long, requires = "baselines")]
    show_baselined: bool,
    /// Rows run at once (each row is one implementation; default: the number of CPUs).
    #[arg(long, default_value_t = std::thread::available_parallelism().map_or(1, usize::from))]
    jobs: usize,
    /// Record NAME as unavailable with REASON (repeatable): a row whose runtime is missing,
    /// reported (and exiting 2) instead of silently dropped. REASON should name the fix.
    #[arg(long = "unavailable", value_name = "NAME=REASON")]
    unavailable: Vec<String>,
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

#[derive(Debug, Args)]
struct VerifyArgs {
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
    #[arg(long, value_name = "BYTES", default_value_t = oauth1_conformance::verify_command::DEFAULT_MAX_BODY)]
    max_body: u64,
    /// For a rejected request, print the signature the verifier recomputed: a valid signature
    /// of the request, so off by default (never for PLAINTEXT, whose signature is the secrets).
    #[arg(long)]
    show_expected_signature: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Vectors { command: VectorsCommand::Check { paths } } => vectors_check(&paths),
        Command::Run(args) => run(&args),
        Command::Explain(args) => run_explain(&args),
        Command::Verify(args) => run_verify(&args),
        Command::Serve { implementation } => serve(&implementation),
        Command::List => list(),
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

fn in_process_names() -> Vec<&'static str> {
    std::iter::once("reference").chain(peers::names()).collect()
}

fn in_process_named(name: &str) -> Option<Box<dyn InProcess>> {
    match name {
        "reference" => Some(Box::new(Reference::default())),
        _ => peers::in_process_by_name(name),
    }
}

fn serve(name: &str) -> u8 {
    // A panic must not print on stdout's neighbour either: it becomes an error response.
    oauth1_conformance::implementation::install_quiet_panic_hook();
    let Some(mut implementation) = in_process_named(name) else {
        eprintln!("error: unknown implementation {name:?} (known: {})", in_process_names().join(", "));
        return BAD_INPUT;
    };
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    match oauth1_conformance::serve::serve(implementation.as_mut(), stdin.lock(), stdout.lock()) {
        Ok(()) => CONFORMANT,
        Err(e) => {
            eprintln!("error: serve: {e}");
            BAD_INPUT
        }
    }
}

fn list() -> u8 {
    println!("in-process implementations (--impl NAME):");
    for name in in_process_names() {
        if let Some(implementation) = in_process_named(name) {
            let info = InProcess::info(&implementation);
            println!("  {name:<32} {} {}", info.language, info.version);
        }
    }
    println!("\nquirk catalogue:");
    for quirk in Quirk::ALL {
        println!("  {:<36} {} [{}]", quirk.id(), quirk.description(), quirk.section());
        if let Some(url) = oauth1_conformance::quirk_catalogue::bug_report(*quirk) {
            println!("  {:<36} see {url}", "");
        }
    }
    CONFORMANT
}

enum ReportTarget {
    Json(PathBuf),
    Junit(PathBuf),
    Markdown(PathBuf),
    Html(PathBuf),
}

fn parse_report(spec: &str) -> Result<ReportTarget, String> {
    match spec.split_once(':') {
        Some((_, "")) | None => Err(format!("--report takes FORMAT:PATH, got {spec:?}")),
        Some(("json", path)) => Ok(ReportTarget::Json(PathBuf::from(path))),
        Some(("junit", path)) => Ok(ReportTarget::Junit(PathBuf::from(path))),
        Some(("markdown" | "md", path)) => Ok(ReportTarget::Markdown(PathBuf::from(path))),
        Some(("html", path)) => Ok(ReportTarget::Html(PathBuf::from(path))),
        Some((format, _)) => {
            Err(format!("unknown report format {format:?} in {spec:?} (known: json, junit, markdown, html)"))
        }
    }
}

fn write_file(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn parse_seed(text: &str) -> Result<u64, String> {
    match text {
        "default" => Ok(DEFAULT_SEED),
        "random" => {
            let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
            Ok((nanos as u64) ^ u64::from(std::process::id()).rotate_left(32))
        }
        number => number.parse().map_err(|_| format!("--seed takes a number or `random`, got {number:?}")),
    }
}

/// A row to run: how to build it, and how to name it in a replay command.
struct RowSpec {
    name: String,
    driver: Driver,
}

fn row_specs(args: &RunArgs) -> Result<Vec<RowSpec>, String> {
    let mut specs = Vec::new();
    let names: Vec<String> = args
        .implementations
        .iter()
        .flat_map(|name| {
            if name == "all" {
                in_process_names().into_iter().map(str::to_owned).collect()
            } else {
                vec![name.clone()]
            }
        })
        .collect();
    for name in &names {
        if in_process_named(name).is_none() {
            return Err(format!("unknown implementation {name:?} (known: {})", in_process_names().join(", ")));
        }
        let driver = if args.isolate {
            let exe = std::env::current_exe().map_err(|e| format!("cannot find this executable: {e}"))?;
            Driver::Adapter { command: format!("{} serve --impl {name}", shell_quote(&exe.display().to_string())) }
        } else {
            Driver::InProcess
        };
        specs.push(RowSpec { name: name.clone(), driver });
    }
    for spec in &args.adapters {
        let (name, command) = spec
            .split_once('=')
            .filter(|(n, c)| !n.is_empty() && !c.trim().is_empty())
            .ok_or_else(|| format!("--adapter takes NAME=COMMAND, got {spec:?}"))?;
        specs.push(RowSpec { name: name.to_owned(), driver: Driver::Adapter { command: command.to_owned() } });
    }
    if specs.is_empty() {
        return Err("name at least one --impl or --adapter".into());
    }
    let mut names: Vec<&str> = specs.iter().map(|s| s.name.as_str()).collect();
    names.sort_unstable();
    if let Some(pair) = names.windows(2).find(|w| w[0] == w[1]) {
        return Err(format!("implementation {:?} is named twice", pair[0]));
    }
    Ok(specs)
}

/// One frame of the progress bar: rows done out of all, elapsed time, and the rows running
/// now with how long each has taken (the slow rows show themselves).
fn progress_frame(done: usize, total: usize, elapsed: Duration, running: &[(String, Duration)]) -> String {
    const WIDTH: usize = 24;
    let filled = (done * WIDTH).checked_div(total).unwrap_or(WIDTH).min(WIDTH);
    let seconds = |d: Duration| {
        let s = d.as_secs();
        if s >= 60 {
            format!("{}m{:02}s", s / 60, s % 60)
        } else {
            format!("{s}s")
        }
    };
    let mut frame =
        format!("[{}{}] {done}/{total} rows · {}", "#".repeat(filled), ".".repeat(WIDTH - filled), seconds(elapsed));
    if !running.is_empty() {
        let now: Vec<String> = running.iter().map(|(name, d)| format!("{name} ({})", seconds(*d))).collect();
        frame.push_str(" · running: ");
        frame.push_str(&now.join(", "));
    }
    // A frame longer than the terminal line would wrap and leave stale lines behind.
    frame.chars().take(160).collect()
}

fn progress(message: &str) {
    if std::io::stderr().is_terminal() {
        eprint!("\r\x1b[2K{message}");
    }
}

/// Runs every row, `jobs` at a time (each row in its own thread, its implementation built
/// there, so nothing but results crosses threads); rows come back in `specs` order. An
/// adapter that cannot start is unavailable; any other row failure is fatal.
fn run_rows(
    specs: &[RowSpec],
    corpus: Option<&Corpus>,
    plan: &Plan,
    config: &AdapterConfig,
    jobs: usize,
) -> Result<(Vec<oauth1_conformance::session::Row>, Vec<Unavailable>), String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;

    enum Done {
        Row(Box<oauth1_conformance::session::Row>),
        Unavailable(Unavailable),
        Failed(String),
    }
    let next = AtomicUsize::new(0);
    let finished = AtomicUsize::new(0);
    let done: Mutex<Vec<(usize, Done)>> = Mutex::new(Vec::new());
    let run_one = |spec: &RowSpec| -> Done {
        let mut implementation: Box<dyn Implementation> = match &spec.driver {
            Driver::InProcess => match in_process_named(&spec.name) {
                Some(implementation) => Box::new(implementation),
                None => return Done::Failed(format!("unknown implementation {:?}", spec.name)),
            },
            Driver::Adapter { command } => match Adapter::start(&spec.name, command, config.clone()) {
                Ok(adapter) => Box::new(adapter),
                Err(e) => {
                    return Done::Unavailable(Unavailable { implementation: spec.name.clone(), reason: e.to_string() })
                }
            },
        };
        match run_row(implementation.as_mut(), spec.driver.clone(), corpus, plan) {
            Ok(row) => Done::Row(Box::new(row)),
            Err(e) => Done::Failed(format!("{}: {e}", spec.name)),
        }
    };
    let running: Mutex<Vec<(usize, Instant)>> = Mutex::new(Vec::new());
    let started = Instant::now();
    let workers_joined = std::sync::atomic::AtomicBool::new(false);
    let joined = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..jobs.clamp(1, specs.len().max(1)))
            .map(|_| {
                scope.spawn(|| loop {
                    let index = next.fetch_add(1, Ordering::SeqCst);
                    let Some(spec) = specs.get(index) else { break };
                    if let Ok(mut running) = running.lock() {
                        running.push((index, Instant::now()));
                    }
                    let result = run_one(spec);
                    if let Ok(mut running) = running.lock() {
                        running.retain(|(i, _)| *i != index);
                    }
                    finished.fetch_add(1, Ordering::SeqCst);
                    if let Ok(mut done) = done.lock() {
                        done.push((index, result));
                    }
                })
            })
            .collect();
        if std::io::stderr().is_terminal() {
            scope.spawn(|| {
                // Quick runs finish before the first frame and never draw one.
                let mut next_frame = started + Duration::from_secs(1);
                while !workers_joined.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(50));
                    if Instant::now() < next_frame {
                        continue;
                    }
                    next_frame += Duration::from_millis(250);
                    let in_flight: Vec<(String, Duration)> = running.lock().map_or_else(
                        |_| Vec::new(),
                        |r| {
                            r.iter()
                                .filter_map(|(i, since)| specs.get(*i).map(|s| (s.name.clone(), since.elapsed())))
                                .collect()
                        },
                    );
                    let frame =
                        progress_frame(finished.load(Ordering::SeqCst), specs.len(), started.elapsed(), &in_flight);
                    progress(&frame);
                }
                progress("");
            });
        }
        let joins: Vec<bool> = workers.into_iter().map(|w| w.join().is_ok()).collect();
        let all_joined = joins.into_iter().all(|ok| ok);
        workers_joined.store(true, Ordering::SeqCst);
        all_joined
    });
    if !joined {
        return Err("a row's thread panicked (a harness bug: please report it)".into());
    }
    let mut done = done.into_inner().map_err(|_| "a row's thread panicked".to_owned())?;
    done.sort_by_key(|(index, _)| *index);
    let (mut rows, mut unavailable) = (Vec::new(), Vec::new());
    for (_, result) in done {
        match result {
            Done::Row(row) => rows.push(*row),
            Done::Unavailable(u) => {
                progress("");
                eprintln!("unavailable: {}", u.reason);
                unavailable.push(u);
            }
            Done::Failed(e) => return Err(e),
        }
    }
    Ok((rows, unavailable))
}

fn run(args: &RunArgs) -> u8 {
    oauth1_conformance::implementation::install_quiet_panic_hook();
    let setup = (|| -> Result<_, String> {
        let reports = args.reports.iter().map(|r| parse_report(r)).collect::<Result<Vec<_>, _>>()?;
        let seed = parse_seed(&args.seed)?;
        let specs = row_specs(args)?;
        if args.vectors.is_empty() && args.generated == 0 {
            return Err("nothing to run: give --vectors PATH and/or --generated N".into());
        }
        Ok((reports, seed, specs))
    })();
    let (reports, seed, specs) = match setup {
        Ok(setup) => setup,
        Err(e) => {
            eprintln!("error: {e}");
            return BAD_INPUT;
        }
    };
    let corpus = if args.vectors.is_empty() {
        None
    } else {
        match load_paths(&args.vectors) {
            Ok(corpus) => Some(corpus),
            Err(errors) => {
                print_vector_errors(&errors);
                return BAD_INPUT;
            }
        }
    };
    println!("seed: {seed}");
    let plan = Plan { generated: args.generated, seed, shrink_budget: args.shrink_budget };
    let config = AdapterConfig {
        handshake_timeout: Duration::from_secs_f64(args.handshake_timeout.max(0.0)),
        case_timeout: Duration::from_secs_f64(args.case_timeout.max(0.0)),
        ..AdapterConfig::default()
    };
    let (rows, mut unavailable) = match run_rows(&specs, corpus.as_ref(), &plan, &config, args.jobs) {
        Ok(done) => done,
        Err(e) => {
            progress("");
            eprintln!("error: {e}");
            return BAD_INPUT;
        }
    };
    for spec in &args.unavailable {
        match spec.split_once('=').filter(|(n, r)| !n.is_empty() && !r.trim().is_empty()) {
            Some((name, reason)) => {
                eprintln!("unavailable: {name}: {reason}");
                unavailable.push(Unavailable { implementation: name.to_owned(), reason: reason.to_owned() });
            }
            None => {
                eprintln!("error: --unavailable takes NAME=REASON, got {spec:?}");
                return BAD_INPUT;
            }
        }
    }
    progress("");
    let results: Vec<CaseResult> = rows.iter().flat_map(|r| r.results.iter().cloned()).collect();
    if results.is_empty() && unavailable.is_empty() {
        eprintln!("error: no case ran");
        return BAD_INPUT;
    }

    // Baselines.
    let mut verdicts = Vec::new();
    let mut baseline_problem = false;
    let mut unbaselined = Vec::new();
    for row in &rows {
        let baseline = match &args.baselines {
            Some(dir) => {
                let path = baseline::baseline_path(dir, &row.info.name);
                if args.allow_unbaselined && !args.update_baseline && !path.exists() {
                    unbaselined.push(row.info.name.clone());
                    continue;
                }
                match baseline::load(&path, &row.info.name) {
                    Ok(baseline) => {
                        if args.update_baseline {
                            match baseline::updated(&baseline, &row.results) {
                                Ok(next) => {
                                    if let Err(e) = baseline::save(&path, &next) {
                                        eprintln!("error: {e}");
                                        return BAD_INPUT;
                                    }
                                    println!("wrote {}", path.display());
                                    Some(next)
                                }
                                Err(cases) => {
                                    eprintln!(
                                        "error: {}: {} divergence(s) have no quirk id; assign each to a catalogued quirk under \"assigned\" in {} (see `oauth1-conformance list`): {}",
                                        row.info.name,
                                        cases.len(),
                                        path.display(),
                                        cases.join(", ")
                                    );
                                    baseline_problem = true;
                                    Some(baseline)
                                }
                            }
                        } else {
                            Some(baseline)
                        }
                    }
                    Err(e) => {
                        eprintln!("error: {e}");
                        return BAD_INPUT;
                    }
                }
            }
            None => None,
        };
        verdicts.push(row_verdict(row, baseline.as_ref()));
    }

    let summary = Summary::of(&results);
    // Rows without a baseline check (none given, or no file yet) list every divergence.
    let uncovered: BTreeMap<&str, BTreeSet<&str>> = verdicts
        .iter()
        .filter_map(|v| {
            let check = v.baseline.as_ref()?;
            Some((v.implementation.as_str(), check.uncovered.iter().map(String::as_str).collect()))
        })
        .collect();
    let listed = |r: &CaseResult| {
        args.show_baselined
            || uncovered.get(r.implementation.as_str()).is_none_or(|cases| cases.contains(r.case.as_str()))
    };
    let terminal = render_terminal(&results, &summary, listed);
    if args.quiet {
        print!("{}", terminal.lines().last().map(|l| format!("{l}\n")).unwrap_or_default());
    } else {
        print!("{terminal}");
        println!("\n{}", render_matrix(&results));
    }
    for row in &rows {
        println!("{}: {} cases in {:.2} s", row.info.name, row.results.len(), row.seconds);
    }
    for verdict in &verdicts {
        if let Some(check) = &verdict.baseline {
            let status = if check.clean() { "matches its baseline" } else { "DIFFERS from its baseline" };
            println!("{}: {status} ({} known divergences)", verdict.implementation, check.covered);
            for (quirk, case) in &check.new_quirks {
                println!("  new quirk {quirk} (e.g. {case})");
            }
            for case in &check.new_divergences {
                println!("  new divergence without a quirk: {case}");
            }
            for quirk in &check.vanished_quirks {
                println!("  baselined quirk no longer shows (unexpected pass): {quirk}");
            }
            for case in &check.vanished_assigned {
                println!("  baselined case no longer diverges (unexpected pass): {case}");
            }
        }
    }
    for name in &unbaselined {
        let divergences = results.iter().filter(|r| &r.implementation == name && baseline::is_divergence(r)).count();
        println!("{name}: NOT BASELINED YET ({divergences} divergences reported above; not gating the exit code)");
    }
    for u in &unavailable {
        println!("{}: unavailable", u.implementation);
    }
    println!("seed: {seed} (replay with --seed {seed})");

    if let Some(dir) = &args.save_counterexamples {
        if let Err(e) = save_counterexamples(dir, &rows, seed) {
            eprintln!("error: {e}");
            return BAD_INPUT;
        }
    }
    let metadata = metadata(corpus.as_ref(), &rows, &unavailable, seed, args.generated);
    for report in reports {
        let written = match &report {
            ReportTarget::Json(path) => {
                let json =
                    JsonReport { results: &results, summary: &summary, metadata: &metadata, verdicts: &verdicts };
                serde_json::to_string_pretty(&json).map_err(|e| e.to_string()).and_then(|t| write_file(path, &t))
            }
            ReportTarget::Junit(path) => write_file(path, &render_junit(&results)),
            ReportTarget::Markdown(path) => write_file(path, &render_markdown(&results, &summary)),
            ReportTarget::Html(path) => {
                let drivers = rows.iter().map(|r| (r.info.name.clone(), r.driver.clone())).collect();
                let input =
                    HtmlInput { results: &results, metadata: &metadata, verdicts: &verdicts, drivers: &drivers };
                write_file(path, &render_html(&input))
            }
        };
        if let Err(e) = written {
            eprintln!("error: cannot write report: {e}");
            return BAD_INPUT;
        }
    }
    // Like an unbaselined row's divergences, an unbaselined row's absence is reported but does
    // not decide the exit code under --allow-unbaselined; a baselined row must run.
    let decisive_unavailable = unavailable.iter().any(|u| match (&args.baselines, args.allow_unbaselined) {
        (Some(dir), true) => baseline::baseline_path(dir, &u.implementation).exists(),
        _ => true,
    });
    if baseline_problem || decisive_unavailable {
        BAD_INPUT
    } else if verdicts.iter().all(|v| v.conformant) {
        CONFORMANT
    } else {
        DIVERGENCE
    }
}

fn metadata(
    corpus: Option<&Corpus>,
    rows: &[oauth1_conformance::session::Row],
    unavailable: &[Unavailable],
    seed: u64,
    generated: u64,
) -> RunMetadata {
    RunMetadata {
        tool: format!("oauth1-conformance {}", env!("CARGO_PKG_VERSION")),
        seed,
        generated_per_implementation: generated,
        implementations: rows.iter().map(|r| r.info.clone()).collect(),
        unavailable: unavailable.to_vec(),
        vector_files: corpus
            .map(|c| {
                c.files
                    .iter()
                    .map(|f| VectorFileInfo {
                        path: f.path.display().to_string(),
                        sha256: f.sha256.clone(),
                        cases: f.file.cases.len(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        seconds: rows.iter().map(|r| (r.info.name.clone(), r.seconds)).collect(),
    }
}

fn save_counterexamples(dir: &Path, rows: &[oauth1_conformance::session::Row], seed: u64) -> Result<(), String> {
    let mut reference = Reference::default();
    for row in rows.iter().filter(|r| !r.counterexamples.is_empty()) {
        let mut cases = Vec::new();
        for case in &row.counterexamples {
            let Outcome::Answer(trace) = InProcess::sign(&mut reference, &case.input.as_input()) else { continue };
            cases.push(serde_json::json!({
                "id": format!("generated-{}-{}", row.info.name, case.seed),
                "kind": "sign",
                "description": format!("{} generated counterexample: {} diverges at {}",
                    if matches!(case.shrink, Some(Shrink::Shrunk { .. })) { "Shrunk" } else { "Unshrunk (shrink budget spent)" },
                    row.info.name, case.diffs.first().map_or("outcome", |d| d.field.as_str())),
                "provenance": format!("Generated by oauth1-conformance {} (run seed {seed}, case seed {}). The expected values are the reference's output: confirm them independently (a published source, or a second implementation) before adding this case to the corpus.", env!("CARGO_PKG_VERSION"), case.seed),
                "flags": ["Generated"],
                "result": "valid",
                "request": case.input.request,
                "oauth": case.input.oauth,
                "secrets": case.input.secrets,
                "expected": {
                    "normalized_parameters": trace.normalized_parameters,
                    "base_string_uri": trace.base_string_uri,
                    "signature_base_string": trace.signature_base_string,
                    "signature": trace.signature,
                    "authorization_header": trace.authorization_header,
                },
            }));
        }
        let file = serde_json::json!({
            "format": "oauth1-vectors/v1",
            "description": format!("Generated counterexamples for {}", row.info.name),
            "flags": {"Generated": "A property-generated counterexample (shrunk unless its description says otherwise); expected values are the reference's output."},
            "cases": cases,
        });
        let path = dir.join(format!("{}.json", row.info.name));
        let text = serde_json::to_string_pretty(&file).map_err(|e| e.to_string())? + "\n";
        write_file(&path, &text)?;
        println!("wrote {} counterexample(s) to {}", row.counterexamples.len(), path.display());
    }
    Ok(())
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
    explanation.exit_code()
}

fn run_verify(args: &VerifyArgs) -> u8 {
    let prepared = (|| -> Result<(CapturedRequest, ServerSecrets, VerifyOptions), String> {
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
    let outcome = prepared.and_then(|(request, secrets, options)| verify_captured(&request, &secrets, &options));
    match outcome {
        Ok(outcome) => {
            print!("{}", outcome.text);
            if outcome.valid {
                CONFORMANT
            } else {
                DIVERGENCE
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            BAD_INPUT
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_progress_frame_shows_rows_time_and_what_is_running() {
        let frame = progress_frame(
            3,
            12,
            Duration::from_secs(75),
            &[("oauth-1.0a".into(), Duration::from_secs(41)), ("net-oauth".into(), Duration::from_secs(2))],
        );
        assert_eq!(frame, "[######..................] 3/12 rows · 1m15s · running: oauth-1.0a (41s), net-oauth (2s)");
        assert!(progress_frame(0, 0, Duration::ZERO, &[]).starts_with(&format!("[{}]", "#".repeat(24))));
        let long: Vec<(String, Duration)> = (0..40).map(|i| (format!("row-{i}"), Duration::ZERO)).collect();
        assert_eq!(progress_frame(1, 40, Duration::ZERO, &long).chars().count(), 160);
    }
}
