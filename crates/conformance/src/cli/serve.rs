//! `oauth1-conformance serve --impl NAME`: an in-process implementation over the adapter
//! protocol on stdin/stdout.

use super::{BadInput, Status};
use crate::matrix::{in_process_named, in_process_names};

pub(crate) fn run(name: &str) -> Result<Status, BadInput> {
    // A panic must not print on stdout's neighbour either: it becomes an error response.
    crate::implementation::install_quiet_panic_hook();
    let mut implementation = in_process_named(name)
        .ok_or_else(|| format!("unknown implementation {name:?} (known: {})", in_process_names().join(", ")))?;
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    crate::serve::serve(implementation.as_mut(), stdin.lock(), stdout.lock()).map_err(|e| format!("serve: {e}"))?;
    Ok(Status::Conformant)
}
