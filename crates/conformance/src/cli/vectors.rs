//! `oauth1-conformance vectors check`: validate vector files.

use std::path::PathBuf;

use clap::Subcommand;

use oauth1_vectors::load_paths;

use super::output::println;
use super::{BadInput, Status};

#[derive(Debug, Subcommand)]
pub(crate) enum VectorsCommand {
    /// Validate vector files: schema, unknown fields, duplicate ids, undeclared flags.
    Check {
        /// Files or directories (every *.json below, except schema.json).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

pub(crate) fn run(command: &VectorsCommand) -> Result<Status, BadInput> {
    let VectorsCommand::Check { paths } = command;
    match load_paths(paths) {
        Ok(corpus) => {
            let cases = corpus.cases().count();
            println(&format!("{} file(s), {cases} case(s): valid", corpus.files.len()));
            Ok(Status::Conformant)
        }
        Err(errors) => {
            let lines: Vec<String> = errors.iter().map(|e| format!("error: {e}")).collect();
            Err(format!("{}\n{} problem(s) in the vectors", lines.join("\n"), errors.len()).into())
        }
    }
}
