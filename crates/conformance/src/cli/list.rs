//! `oauth1-conformance list`: the in-process implementations and the quirk catalogue.

use super::output::println;
use super::Status;
use crate::implementation::InProcess;
use crate::matrix::{in_process_named, in_process_names};
use crate::quirks::Quirk;

pub(crate) fn run() -> Status {
    println("in-process implementations (--impl NAME):");
    for name in in_process_names() {
        if let Some(implementation) = in_process_named(name) {
            let info = InProcess::info(&implementation);
            println(&format!("  {name:<32} {} {}", info.language, info.version));
        }
    }
    println("\nquirk catalogue:");
    for quirk in Quirk::ALL {
        println(&format!("  {:<36} {} [{}]", quirk.id(), quirk.description(), quirk.section()));
        if let Some(url) = crate::quirk_catalogue::bug_report(*quirk) {
            println(&format!("  {:<36} see {url}", ""));
        }
    }
    Status::Conformant
}
