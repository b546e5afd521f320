//! The `oauth1-conformance` command line: the arguments declared once, one small entry
//! function per subcommand, and the exit code decided in one place ([`main`]).

mod capture;
mod dossier;
mod explain;
mod list;
mod output;
mod probe;
mod progress;
mod report;
mod run;
mod serve;
mod vectors;
mod verify;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::exit_code::{BAD_INPUT, CONFORMANT, DIVERGENCE};

/// OAuth 1.0 (RFC 5849) conformance harness.
///
/// Exit codes: 0 conformant, 1 divergence (a failed case, an implementation error, a
/// differing stage), 2 bad input or setup, 130/143 interrupted (SIGINT/SIGTERM).
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
        command: vectors::VectorsCommand,
    },
    /// Replay vectors and generated cases against implementations.
    Run(Box<run::RunArgs>),
    /// Work with reports.
    Report {
        #[command(subcommand)]
        command: report::ReportCommand,
    },
    /// Sign one request with the reference and show every stage, with secrets masked.
    Explain(Box<explain::ExplainArgs>),
    /// Verify one captured request the way a server does (RFC 5849 §3.2): exit 0 valid, 1
    /// invalid (with the check that failed), 2 bad input.
    Verify(Box<verify::VerifyArgs>),
    /// Run the reference verifier as an HTTP/1.1 server: 200 with what it verified, or
    /// 400/401 naming the failed check.
    ServeHttp(Box<crate::live::serve_http::ServeHttpArgs>),
    /// Test a running OAuth 1.0 endpoint over HTTP: a gate, then tampered, replayed, stale,
    /// malformed and valid variants: exit 0 no case fails, 1 one does, 2 bad input, an
    /// unreachable server or a refused gate.
    Probe(Box<probe::ProbeArgs>),
    /// Verify what a client really sends (free mode, or --exec COMMAND once per case): exit 0
    /// every request verified, 1 a check failed, 2 bad input.
    Capture(Box<capture::CaptureArgs>),
    /// Serve an in-process implementation over the adapter protocol on stdin/stdout.
    Serve {
        /// The implementation to serve.
        #[arg(long = "impl")]
        implementation: String,
    },
    /// List the in-process implementations and the quirk catalogue.
    List,
    /// Write a row's, a live server's or a live client's findings as upstream-ready Markdown
    /// dossiers (docs/findings/README.md), from its baselines, the catalogue and the reference:
    /// exit 0 written, 2 bad --impl, --quirk or --case, or a malformed baseline.
    Dossier(Box<dossier::DossierArgs>),
}

/// How a subcommand ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Everything conformant (or matching its baseline).
    Conformant,
    /// A divergence.
    Divergence,
    /// Bad input or setup (already reported on stderr).
    BadInput,
    /// Stopped by a signal (its number); what was gathered was reported.
    Interrupted(i32),
}

impl Status {
    fn code(self) -> u8 {
        match self {
            Self::Conformant => CONFORMANT,
            Self::Divergence => DIVERGENCE,
            Self::BadInput => BAD_INPUT,
            Self::Interrupted(signal) => u8::try_from(128 + signal).unwrap_or(BAD_INPUT),
        }
    }
}

/// Bad input or setup: what is wrong, said once on stderr by [`main`]. A message of the CLI's
/// own, or any of the library's typed errors, whose `Display` names where and what.
#[derive(Debug)]
pub struct BadInput(pub Box<dyn std::error::Error + Send + Sync>);

impl<T: Into<Box<dyn std::error::Error + Send + Sync>>> From<T> for BadInput {
    fn from(error: T) -> Self {
        Self(error.into())
    }
}

/// Parses the command line, runs the subcommand and turns how it ended into the exit code.
#[must_use]
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Vectors { command } => vectors::run(&command),
        Command::Run(args) => run::run(&args),
        Command::Report { command } => report::run(&command),
        Command::Explain(args) => explain::run(&args),
        Command::Verify(args) => verify::run(&args),
        Command::ServeHttp(args) => {
            crate::live::serve_http::run_until_signal(&args).map(|()| Status::Conformant).map_err(BadInput::from)
        }
        Command::Probe(args) => probe::run_probe(&args),
        Command::Capture(args) => capture::run(&args),
        Command::Serve { implementation } => serve::run(&implementation),
        Command::List => Ok(list::run()),
        Command::Dossier(args) => dossier::run(&args),
    };
    let status = outcome.unwrap_or_else(|BadInput(message)| {
        output::clear_progress_line();
        eprintln!("error: {message}");
        Status::BadInput
    });
    ExitCode::from(status.code())
}
