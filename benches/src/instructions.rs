//! Instructions per call, counted by valgrind's callgrind: a figure that other work on the
//! machine cannot move at all, beside the interleaved ratios, which it still moves by a few
//! hundredths (code placement alone moves them that much). A change too small for the ratios
//! to show is then still seen, or seen not to be there.
//!
//! The benchmark runs itself under valgrind twice, making [`CALLS`] and then twice as many
//! calls of one function after the same start (loading the corpus, checking the outputs), and
//! the difference of the two totals over [`CALLS`] is the count of one call: the start, the
//! same in both runs, cancels. Valgrind's CPU has no SHA extensions, so the HMAC runs the
//! software SHA-1 there, in the floor and in the signature alike; their difference is what the
//! signature does besides the HMAC.

use std::path::Path;
use std::process::{Command, Stdio};

/// The calls of the shorter of the two runs, and the difference between the two.
pub const CALLS: u64 = 1000;

/// What [`count`] gives for one request shape: instructions per call of the reference's
/// `signature` and of the floor, and their difference.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Instructions {
    /// The request shape (a group of the ratios).
    pub group: &'static str,
    /// How they were counted.
    pub tool: &'static str,
    /// Per call of `signature` (the reference's), software SHA-1 included.
    pub signature: f64,
    /// Per call of the floor (HMAC-SHA1 keyed afresh over the built base string), software
    /// SHA-1 included.
    pub floor: f64,
    /// `signature` less `floor`: what signing does besides the HMAC (building the base string,
    /// the key, the base64 of the MAC, the result's strings).
    pub outside_hmac: f64,
}

/// How [`count`] runs valgrind.
pub const TOOL: &str = "valgrind --tool=callgrind (Ir)";

/// Counts instructions per call of `signature` and `floor` in `group` by running `exe` (this
/// benchmark, which makes `calls` calls of one function and exits when given
/// [`calls_arguments`]) under valgrind. `Err` says why not: valgrind is missing (as it may be
/// in CI) or a run failed. Never panics; each run is bounded by the calls it makes.
pub fn count(exe: &Path, group: &'static str) -> Result<Instructions, String> {
    let per_call = |function: &str| -> Result<f64, String> {
        let short = total(exe, &calls_arguments(group, function, CALLS))?;
        let long = total(exe, &calls_arguments(group, function, 2 * CALLS))?;
        let extra = long.checked_sub(short).ok_or_else(|| {
            format!("{function}: {} calls counted fewer instructions ({long}) than {CALLS} ({short})", 2 * CALLS)
        })?;
        Ok(extra as f64 / CALLS as f64)
    };
    let signature = per_call("signature")?;
    let floor = per_call("floor")?;
    Ok(Instructions { group, tool: TOOL, signature, floor, outside_hmac: signature - floor })
}

/// The arguments that make the benchmark call `function` of `group` `calls` times and exit.
#[must_use]
pub fn calls_arguments(group: &str, function: &str, calls: u64) -> Vec<String> {
    ["--calls-only".into(), group.into(), function.into(), calls.to_string()].into()
}

/// The instructions valgrind counted over one run of `exe` with `args`.
fn total(exe: &Path, args: &[String]) -> Result<u64, String> {
    let output = Command::new("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(exe)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run valgrind: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        let last = stderr.lines().last().unwrap_or_default();
        return Err(format!("valgrind {} {}: {} ({last})", exe.display(), args.join(" "), output.status));
    }
    instruction_total(&stderr).ok_or_else(|| format!("no `I refs` line in valgrind's output for {}", args.join(" ")))
}

/// The total of valgrind's summary line `==PID== I   refs:      176,546,338`.
fn instruction_total(stderr: &str) -> Option<u64> {
    let line = stderr.lines().find_map(|line| line.split_once("I   refs:"))?.1;
    line.trim().replace(',', "").parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The summary as valgrind 3.19's callgrind prints it.
    #[test]
    fn the_total_is_read_from_the_summary_line() {
        let stderr = "==27527== Events    : Ir\n==27527== Collected : 176546338\n==27527== \n\
                      ==27527== I   refs:      176,546,338\n";
        assert_eq!(instruction_total(stderr), Some(176_546_338));
        assert_eq!(instruction_total("==1== I   refs:      12\n"), Some(12));
        assert_eq!(instruction_total("valgrind: command not found\n"), None);
        assert_eq!(instruction_total("==1== I   refs:      many\n"), None);
    }
}
