//! `oauth1-conformance capture`: what a client really sends, verified as received. Free mode
//! verifies whatever arrives until `--requests N` or a signal; `--exec` (or `--client`, for a
//! matrix) runs a client command once per case.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::output::{self, println, ReportTarget};
use super::{BadInput, Status};
use crate::live::capture::{apply_baselines, record_line, CaptureOptions, CaptureRun, ClientSpec};
use crate::report::capture::CaptureReport;
use crate::report::{Report, RunMetadata, Summary, Unavailable, REPORT_VERSION};

#[derive(Debug, Args)]
pub(crate) struct CaptureArgs {
    /// Address to listen on, HOST:PORT; port 0 picks a free one (the address is printed).
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: String,
    /// The consumers and tokens (docs/credentials.schema.json, as serve-http); the drivers get
    /// the first consumer and its first token. Without it, a fixed test set is used and printed.
    #[arg(long, value_name = "FILE")]
    credentials: Option<PathBuf>,
    /// The RSA private key (PEM) the clients sign RSA cases with; its public half is the
    /// consumer's rsa_public_key_pem. Without --credentials, the test key.
    #[arg(long, value_name = "FILE")]
    rsa_private_key: Option<PathBuf>,
    /// Serve HTTPS with a throw-away CA (OAUTH1_CAPTURE_CA_FILE).
    #[arg(long)]
    tls: bool,
    /// Run COMMAND (through `sh -c`) once per case; the client is named `client`.
    #[arg(long, value_name = "COMMAND", conflicts_with = "clients")]
    exec: Option<String>,
    /// A client of a matrix, NAME=COMMAND (repeatable).
    #[arg(long = "client", value_name = "NAME=COMMAND")]
    clients: Vec<String>,
    /// Clients not set up, NAME=REASON (repeatable): listed as unavailable.
    #[arg(long = "unavailable", value_name = "NAME=REASON")]
    unavailable: Vec<String>,
    /// The cases: `default` or a JSON file of cases.
    #[arg(long, default_value = "default", value_name = "PATH|default")]
    cases: String,
    /// Only this case (repeatable); the replay command of each request uses it.
    #[arg(long = "case", value_name = "ID")]
    only: Vec<String>,
    /// Free mode: stop after N requests.
    #[arg(long, value_name = "N")]
    requests: Option<u64>,
    /// Seconds a client may take per case; then its process group is killed.
    #[arg(long, default_value_t = 20, value_name = "SECS")]
    timeout: u64,
    /// Clients run at once.
    #[arg(long, default_value_t = 1)]
    jobs: usize,
    /// Do not try the scheme's default port (80, 443) for the cases that ask for it.
    #[arg(long)]
    no_default_ports: bool,
    /// Accepted timestamp skew either way, in seconds.
    #[arg(long, default_value_t = 300, value_name = "SECS")]
    timestamp_window: u64,
    /// Check each client against its baseline, DIR/NAME.json.
    #[arg(long, value_name = "DIR")]
    baselines: Option<PathBuf>,
    /// Write the baselines from this run (refuses a case that is an error).
    #[arg(long, requires = "baselines")]
    update_baselines: bool,
    /// A report, as FORMAT:PATH (repeatable): json, junit, markdown, html.
    #[arg(long = "report", value_parser = ReportTarget::parse)]
    reports: Vec<ReportTarget>,
}

fn options(args: &CaptureArgs) -> Result<CaptureOptions, String> {
    let mut clients = Vec::new();
    if let Some(command) = &args.exec {
        clients.push(ClientSpec { name: "client".to_owned(), command: command.clone() });
    }
    for spec in &args.clients {
        let (name, command) =
            spec.split_once('=').ok_or_else(|| format!("--client takes NAME=COMMAND, got {spec:?}"))?;
        clients.push(ClientSpec { name: name.to_owned(), command: command.to_owned() });
    }
    if clients.is_empty() && (args.baselines.is_some() || !args.only.is_empty()) {
        return Err("--baselines and --case need --exec or --client".into());
    }
    Ok(CaptureOptions {
        listen: args.listen.clone(),
        credentials: args.credentials.clone(),
        rsa_private_key: args.rsa_private_key.clone(),
        tls: args.tls,
        clients,
        cases: args.cases.clone(),
        only: args.only.clone(),
        requests: args.requests,
        timeout: Duration::from_secs(args.timeout.max(1)),
        jobs: args.jobs.max(1),
        default_ports: !args.no_default_ports,
        window: args.timestamp_window,
    })
}

fn unavailable(args: &CaptureArgs) -> Result<Vec<Unavailable>, String> {
    args.unavailable
        .iter()
        .map(|spec| {
            let (name, reason) =
                spec.split_once('=').ok_or_else(|| format!("--unavailable takes NAME=REASON, got {spec:?}"))?;
            Ok(Unavailable { implementation: name.to_owned(), reason: reason.to_owned() })
        })
        .collect()
}

/// Free mode: each request printed as it comes, until N requests or SIGINT/SIGTERM.
fn free_mode(run: &CaptureRun, requests: Option<u64>) -> Result<bool, String> {
    let mut signals = signal_hook::iterator::Signals::new([signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM])
        .map_err(|e| format!("cannot handle signals: {e}"))?;
    let mut seen = 0u64;
    let mut interrupted = false;
    while requests.is_none_or(|n| seen < n) {
        if signals.pending().next().is_some() {
            interrupted = true;
            break;
        }
        if let Some(record) = run.next_record(Duration::from_millis(100)) {
            seen += 1;
            println(record_line("", &record).trim_start());
        }
    }
    Ok(interrupted)
}

/// A report that holds the capture alone.
fn report(capture: CaptureReport, unavailable: Vec<Unavailable>, incomplete: bool) -> Report {
    let metadata = RunMetadata {
        tool: format!("oauth1-conformance {}", env!("CARGO_PKG_VERSION")),
        seed: 0,
        generated_per_implementation: 0,
        shards: vec![crate::case::Shard::WHOLE],
        implementations: Vec::new(),
        unavailable,
        vector_files: Vec::new(),
        seconds: capture.clients.iter().map(|c| (c.name.clone(), c.seconds)).collect(),
        timings: std::collections::BTreeMap::new(),
        faults: std::collections::BTreeMap::new(),
        ruled_out: std::collections::BTreeMap::new(),
        incomplete,
    };
    Report {
        version: REPORT_VERSION,
        metadata,
        verdicts: Vec::new(),
        summary: Summary::default(),
        results: Vec::new(),
        probe: None,
        capture: Some(capture),
    }
}

pub(crate) fn run(args: &CaptureArgs) -> Result<Status, BadInput> {
    let options = options(args)?;
    let unavailable = unavailable(args)?;
    let run = CaptureRun::start(&options)?;
    let free = options.clients.is_empty();
    println(&format!("listening on {}", run.listen().join(" and ")));
    output::print(&run.configuration_text());
    let (clients, interrupted) = if free {
        (Vec::new(), free_mode(&run, options.requests)?)
    } else {
        println(&format!("{} cases, {} clients", run.cases().len(), options.clients.len()));
        (run.run_clients(&|line: &str| println(line))?, false)
    };
    let mut capture = run.finish(clients);
    if let Some(dir) = &args.baselines {
        apply_baselines(&mut capture.clients, dir, args.update_baselines)?;
    }
    for client in &capture.clients {
        let mut line = format!("{}: {}", client.name, client.summary.line());
        if let Some(baseline) = &client.baseline {
            if baseline.matches() {
                line.push_str(&format!(
                    "; matches its baseline ({:.0}% of the cases exercised)",
                    baseline.coverage_percent
                ));
            } else {
                line.push_str(&format!("; DIFFERS from its baseline {}:", baseline.path));
                for difference in &baseline.differences {
                    line.push_str(&format!("\n   {difference}"));
                }
            }
        }
        println(&line);
    }
    let passes = capture.passes();
    let setup_failed = !unavailable.is_empty();
    let report = report(capture, unavailable, interrupted);
    output::write_reports(&report, &args.reports)?;
    Ok(if setup_failed {
        // A client that is not set up cannot be held to its baseline: as `run`, exit 2.
        Status::BadInput
    } else if passes {
        Status::Conformant
    } else {
        Status::Divergence
    })
}
