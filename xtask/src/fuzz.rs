//! `cargo xtask fuzz` and `cargo xtask fuzz-seeds`: libFuzzer campaigns over the targets in
//! `fuzz/` (see `fuzz/README.md`), and the seed corpora extracted from `vectors/`.
//!
//! cargo-fuzz needs a nightly toolchain; it is used through `cargo +nightly`, and installed
//! from crates.io at a pinned version when missing. Every build, run and minimization passes
//! the same build flags as `.clusterfuzzlite/build.sh`, so the binaries are shared, except
//! that the RSA targets are built without compare tracing ([`RSA_TARGETS`]).

use std::fs;
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::SystemTime;

use crate::setup::{self, run};

/// The cargo-fuzz release installed when none is found.
const CARGO_FUZZ_VERSION: &str = "0.13.2";

/// `-O -a`: optimized, with debug assertions and overflow checks (an overflow is a finding).
const BUILD_FLAGS: [&str; 2] = ["-O", "-a"];

/// The targets that sign with RSA keys. Compare tracing (`-sanitizer-coverage-trace-compares`)
/// instruments every comparison in `num-bigint-dig`'s Montgomery multiplication: `perf` put
/// about 70% of an RSA input's time in the `__sanitizer_cov_trace_cmp*` callbacks, so one
/// 2048-bit signature took up to 1.9 s on a loaded machine and tripped the 1 s timeout. They are
/// built without it, into their own target directory so that the two flag sets do not rebuild
/// each other (and `.clusterfuzzlite/build.sh` keeps sharing `fuzz/target/`).
const RSA_TARGETS: [&str; 3] = ["sign_request", "verify_request", "differential"];

/// Targets that need a feature of the fuzz crate (its `required-features`): `differential`
/// alone pulls in the conformance harness and its peers, so the others build without them.
const TARGET_FEATURES: [(&str, &str); 1] = [("differential", "differential")];

/// Where the RSA targets are built, under the fuzz crate's own target directory.
const NO_TRACE_COMPARES_DIR: &str = "fuzz/target/no-trace-compares";

/// Above the parser's 8192-byte header cap (`DEFAULT_MAX_LENGTH`), so the cap itself is fuzzed.
const MAX_LEN: &str = "16384";

/// A slow input is a finding (libFuzzer writes it as `timeout-*`), not something to wait out.
const TIMEOUT_SECS: &str = "1";

const DEFAULT_SECONDS: u64 = 60;

const USAGE: &str = "usage: cargo xtask fuzz [TARGET] [--time SECS] [--jobs N] [-- LIBFUZZER_FLAGS...]";

struct Options {
    target: Option<String>,
    seconds: u64,
    jobs: u32,
    libfuzzer: Vec<String>,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut options = Options { target: None, seconds: DEFAULT_SECONDS, jobs: 1, libfuzzer: Vec::new() };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut number = |what: &str| -> Result<u64, String> {
            let value = args.next().ok_or(format!("{what} needs a number"))?;
            value.parse().map_err(|_| format!("{what} {value:?} is not a number"))
        };
        match arg.as_str() {
            "--time" => options.seconds = number("--time")?,
            "--jobs" => {
                options.jobs = u32::try_from(number("--jobs")?).map_err(|_| "--jobs is too large".to_owned())?.max(1);
            }
            "--" => options.libfuzzer.extend(args.by_ref().cloned()),
            other if other.starts_with('-') => return Err(format!("unknown option {other}")),
            target if options.target.is_none() => options.target = Some(target.to_owned()),
            extra => return Err(format!("unexpected argument {extra}")),
        }
    }
    Ok(options)
}

/// The `cargo fuzz run`/`tmin` build options of `target`: [`BUILD_FLAGS`], for the
/// [`RSA_TARGETS`] no compare tracing, in [`NO_TRACE_COMPARES_DIR`], and its
/// [`TARGET_FEATURES`].
fn build_flags(root: &Path, target: &str) -> Vec<String> {
    let mut flags: Vec<String> = BUILD_FLAGS.iter().map(|&f| f.to_owned()).collect();
    if RSA_TARGETS.contains(&target) {
        flags.push("--no-trace-compares".to_owned());
        flags.push(format!("--target-dir={}", root.join(NO_TRACE_COMPARES_DIR).display()));
    }
    for (_, feature) in TARGET_FEATURES.iter().filter(|(name, _)| *name == target) {
        flags.push(format!("--features={feature}"));
    }
    flags
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// `cargo +nightly fuzz`, through the rustup proxy on `PATH` (`$CARGO` is the stable
/// toolchain's own binary, which takes no `+toolchain`).
fn cargo_fuzz(root: &Path) -> Command {
    let mut command = Command::new("cargo");
    command.env_remove("RUSTUP_TOOLCHAIN").current_dir(root).args(["+nightly", "fuzz"]);
    command
}

/// Installs cargo-fuzz from crates.io when `cargo +nightly fuzz` is not available.
fn ensure_cargo_fuzz(root: &Path) -> Result<(), String> {
    let found = cargo_fuzz(root).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status();
    if found.is_ok_and(|s| s.success()) {
        return Ok(());
    }
    eprintln!("xtask: installing cargo-fuzz {CARGO_FUZZ_VERSION} from crates.io");
    run(cargo().args(["install", "--locked", "cargo-fuzz", "--version", CARGO_FUZZ_VERSION]))
}

/// The targets cargo-fuzz knows (the `[[bin]]`s of `fuzz/Cargo.toml`).
fn list_targets(root: &Path) -> Result<Vec<String>, String> {
    let output = cargo_fuzz(root).arg("list").output().map_err(|e| format!("cargo fuzz list: {e}"))?;
    if !output.status.success() {
        return Err(format!("cargo fuzz list: {}", String::from_utf8_lossy(&output.stderr)));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect())
}

/// `fuzz/dict/TARGET.dict`, or the record-format dictionary of the structured targets.
fn dictionary(root: &Path, target: &str) -> PathBuf {
    let own = root.join(format!("fuzz/dict/{target}.dict"));
    if own.exists() {
        own
    } else {
        root.join("fuzz/dict/record.dict")
    }
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    fs::read_dir(dir).map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect()).unwrap_or_default()
}

/// What a run printed that the closing summary needs.
#[derive(Default)]
struct RunStats {
    /// libFuzzer's last status line (`#N DONE cov: … ft: … corp: … exec/s: …`).
    last_status: Option<String>,
    /// `stat::…` lines of `-print_final_stats=1`.
    final_stats: Vec<String>,
    /// The last skip-rate line of the differential target.
    skip_rate: Option<String>,
}

/// Runs one target, echoing libFuzzer's output and keeping what the summary needs.
fn run_target(root: &Path, target: &str, options: &Options) -> Result<(bool, RunStats), String> {
    let corpus = root.join("fuzz/corpus").join(target);
    fs::create_dir_all(&corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;
    let mut command = cargo_fuzz(root);
    command
        .args(["run"])
        .args(build_flags(root, target))
        .arg(target)
        .arg(&corpus)
        .arg(root.join("fuzz/seeds").join(target))
        .arg("--")
        .arg(format!("-dict={}", dictionary(root, target).display()))
        .arg(format!("-max_len={MAX_LEN}"))
        .arg(format!("-timeout={TIMEOUT_SECS}"))
        .arg(format!("-max_total_time={}", options.seconds))
        .arg("-print_final_stats=1");
    if options.jobs > 1 {
        // -fork keeps one output stream and one set of final counters for all workers.
        command.arg(format!("-fork={}", options.jobs));
    }
    command.args(&options.libfuzzer).stderr(Stdio::piped());
    eprintln!("xtask: {command:?}");
    let mut child = command.spawn().map_err(|e| format!("cargo fuzz run: {e}"))?;
    let mut stats = RunStats::default();
    if let Some(stderr) = child.stderr.take() {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("{line}");
            if line.contains(" cov: ") && line.starts_with('#') {
                stats.last_status = Some(line);
            } else if line.starts_with("stat::") {
                stats.final_stats.push(line);
            } else if line.starts_with("differential: ") {
                stats.skip_rate = Some(line);
            }
        }
    }
    let status = child.wait().map_err(|e| format!("cargo fuzz run: {e}"))?;
    Ok((status.success(), stats))
}

/// What became of one crash, timeout or out-of-memory input a run left in `fuzz/artifacts/`.
enum Finding {
    /// It failed again when run alone; minimized and kept under `fuzz/regressions/TARGET/`.
    Kept(PathBuf),
    /// It failed again, but could not be copied under `fuzz/regressions/` (the error is printed).
    NotCopied(PathBuf),
    /// It passed when run alone (a timeout on a loaded machine, say): left where libFuzzer
    /// wrote it, not made a regression input that would pass anyway.
    DidNotReproduce(PathBuf),
}

/// `cargo fuzz SUBCOMMAND` (`run`, `tmin`) of `target` on the one input `artifact`, with the
/// target's build flags and the campaign's timeout.
fn on_artifact(root: &Path, subcommand: &str, target: &str, artifact: &Path) -> Command {
    let mut command = cargo_fuzz(root);
    command
        .arg(subcommand)
        .args(build_flags(root, target))
        .arg(target)
        .arg(artifact)
        .args(["--", &format!("-timeout={TIMEOUT_SECS}")]);
    command
}

/// Whether `artifact` still fails when the target runs it alone, with the campaign's timeout.
fn reproduces(root: &Path, target: &str, artifact: &Path) -> bool {
    let status = on_artifact(root, "run", target, artifact).stdout(Stdio::null()).stderr(Stdio::null()).status();
    // A replay that cannot even start says nothing about the input: keep it, to be safe.
    !status.is_ok_and(|s| s.success())
}

/// Minimizes every crash, timeout or out-of-memory input the run left (`cargo fuzz tmin`) that
/// fails again when run alone, and keeps it under `fuzz/regressions/TARGET/`, where
/// `cargo test -p oauth1-fuzzing` replays it.
fn keep_findings(root: &Path, target: &str, since: SystemTime) -> Vec<Finding> {
    let artifacts = root.join("fuzz/artifacts").join(target);
    let is_new = |path: &PathBuf| fs::metadata(path).and_then(|m| m.modified()).is_ok_and(|t| t >= since);
    let found: Vec<PathBuf> = files_in(&artifacts)
        .into_iter()
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            ["crash-", "timeout-", "oom-", "leak-", "slow-unit-"].iter().any(|prefix| name.starts_with(prefix))
        })
        .filter(is_new)
        .collect();
    let regressions = root.join("fuzz/regressions").join(target);
    let mut findings = Vec::new();
    for artifact in found {
        if !reproduces(root, target, &artifact) {
            findings.push(Finding::DidNotReproduce(artifact));
            continue;
        }
        let before_tmin = SystemTime::now();
        let minimized = on_artifact(root, "tmin", target, &artifact).status().ok().and_then(|_| {
            files_in(&artifacts)
                .into_iter()
                .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("minimized-from-")))
                .filter(|p| fs::metadata(p).and_then(|m| m.modified()).is_ok_and(|t| t >= before_tmin))
                .min_by_key(|p| fs::metadata(p).map(|m| m.len()).unwrap_or(u64::MAX))
        });
        let source = minimized.unwrap_or_else(|| artifact.clone());
        let name = artifact.file_name().map(|n| n.to_owned()).unwrap_or_default();
        let destination = regressions.join(name);
        match fs::create_dir_all(&regressions).and_then(|()| fs::copy(&source, &destination)) {
            Ok(_) => findings.push(Finding::Kept(destination)),
            Err(e) => {
                eprintln!("xtask: cannot keep {}: {e}", source.display());
                findings.push(Finding::NotCopied(source));
            }
        }
    }
    findings
}

fn summary(target: &str, stats: &RunStats, corpus_before: usize, corpus_after: usize) -> String {
    let field = |name: &str| -> String {
        stats
            .last_status
            .as_deref()
            .and_then(|line| line.split_whitespace().skip_while(|w| *w != name).nth(1))
            .unwrap_or("?")
            .to_owned()
    };
    let stat = |name: &str| -> String {
        stats
            .final_stats
            .iter()
            .find_map(|line| line.strip_prefix(&format!("stat::{name}:")))
            .map_or_else(|| "?".to_owned(), |v| v.trim().to_owned())
    };
    let mut line = format!(
        "{target}: {} execs, {} exec/s, cov {}, ft {}, corpus {corpus_after} files (+{} new), peak RSS {} MB",
        stat("number_of_executed_units"),
        stat("average_exec_per_sec"),
        field("cov:"),
        field("ft:"),
        corpus_after.saturating_sub(corpus_before),
        stat("peak_rss_mb"),
    );
    if let Some(skip_rate) = &stats.skip_rate {
        line.push_str("\n    ");
        line.push_str(skip_rate);
    }
    line
}

/// `cargo xtask fuzz [TARGET] [--time SECS] [--jobs N] [-- FLAGS]`: exit 0 when no target
/// found anything, 1 on a finding (kept under `fuzz/regressions/`), 2 on bad usage or setup.
pub(crate) fn run_campaign(args: &[String]) -> ExitCode {
    let options = match parse_options(args) {
        Ok(options) => options,
        Err(e) => {
            eprintln!("xtask fuzz: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let root = setup::workspace_root();
    let targets = match ensure_cargo_fuzz(&root).and_then(|()| list_targets(&root)) {
        Ok(targets) => targets,
        Err(e) => {
            eprintln!("xtask fuzz: {e}");
            return ExitCode::from(2);
        }
    };
    let selected: Vec<String> = match &options.target {
        Some(target) if targets.contains(target) => vec![target.clone()],
        Some(target) => {
            eprintln!("xtask fuzz: unknown target {target:?}; targets: {}", targets.join(", "));
            return ExitCode::from(2);
        }
        None => targets,
    };
    let mut summaries = Vec::new();
    let mut findings = Vec::new();
    for target in &selected {
        let corpus = root.join("fuzz/corpus").join(target);
        let before = files_in(&corpus).len();
        let started = SystemTime::now();
        let (clean, stats) = match run_target(&root, target, &options) {
            Ok(result) => result,
            Err(e) => {
                eprintln!("xtask fuzz: {e}");
                return ExitCode::from(2);
            }
        };
        summaries.push(summary(target, &stats, before, files_in(&corpus).len()));
        if !clean {
            let kept = keep_findings(&root, target, started);
            if kept.is_empty() {
                eprintln!("xtask fuzz: {target} failed without leaving an input (a build error?)");
                return ExitCode::from(2);
            }
            findings.extend(kept);
        }
    }
    println!("\nfuzzing summary ({} s per target, {} job(s)):", options.seconds, options.jobs);
    for line in &summaries {
        println!("  {line}");
    }
    if findings.is_empty() {
        return ExitCode::SUCCESS;
    }
    println!("findings (inputs kept under fuzz/regressions/ are replayed by `cargo test -p oauth1-fuzzing`):");
    for finding in &findings {
        match finding {
            Finding::Kept(path) => println!("  {}: minimized and kept", path.display()),
            Finding::NotCopied(path) => println!("  {}: reproduces, but could not be kept (see above)", path.display()),
            Finding::DidNotReproduce(path) => println!(
                "  {}: stopped the run but passed when run alone (it depends on the \
                 run's state or load: a timeout on a busy machine, say); not kept as a regression input",
                path.display()
            ),
        }
    }
    ExitCode::from(1)
}

/// `cargo xtask fuzz-seeds`: rewrites `fuzz/seeds/` from `vectors/`.
pub(crate) fn extract_seeds() -> ExitCode {
    let root = setup::workspace_root();
    let status = cargo()
        .current_dir(&root)
        .args(["run", "--quiet", "--package", "oauth1-fuzzing", "--bin", "oauth1-fuzz-seeds", "--"])
        .arg(root.join("vectors"))
        .arg(root.join("fuzz/seeds"))
        .status();
    if status.is_ok_and(|s| s.success()) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn options_parse_as_documented() {
        let options = parse_options(&args(&["sign_request", "--time", "300", "--jobs", "2", "--", "-runs=5"]))
            .expect("valid options");
        assert_eq!(options.target.as_deref(), Some("sign_request"));
        assert_eq!((options.seconds, options.jobs), (300, 2));
        assert_eq!(options.libfuzzer, ["-runs=5"]);
        assert!(parse_options(&args(&["--time"])).is_err());
        assert!(parse_options(&args(&["--time", "soon"])).is_err());
        assert!(parse_options(&args(&["a", "b"])).is_err());
        assert!(parse_options(&args(&["--bogus"])).is_err());
    }

    #[test]
    fn only_the_rsa_targets_drop_compare_tracing_in_their_own_directory() {
        let root = Path::new("/repo");
        assert_eq!(build_flags(root, "authorization_header"), ["-O", "-a"]);
        assert_eq!(
            build_flags(root, "verify_request"),
            ["-O", "-a", "--no-trace-compares", "--target-dir=/repo/fuzz/target/no-trace-compares"]
        );
    }

    #[test]
    fn only_the_differential_target_builds_the_harness() {
        let root = Path::new("/repo");
        assert_eq!(
            build_flags(root, "differential"),
            [
                "-O",
                "-a",
                "--no-trace-compares",
                "--target-dir=/repo/fuzz/target/no-trace-compares",
                "--features=differential"
            ]
        );
        assert!(!build_flags(root, "sign_request").iter().any(|f| f.starts_with("--features")));
    }

    #[test]
    fn the_summary_reads_libfuzzer_output() {
        let stats = RunStats {
            last_status: Some(
                "#123456\tDONE   cov: 812 ft: 2345 corp: 401/88Kb lim: 16384 exec/s: 2057 rss: 97Mb".into(),
            ),
            final_stats: vec![
                "stat::number_of_executed_units: 123456".into(),
                "stat::average_exec_per_sec:     2057".into(),
            ],
            skip_rate: None,
        };
        let line = summary("authorization_header", &stats, 380, 401);
        assert_eq!(
            line,
            "authorization_header: 123456 execs, 2057 exec/s, cov 812, ft 2345, corpus 401 files (+21 new), peak RSS ? MB"
        );
    }
}
