//! `oauth1-conformance run`: implementations × cases → judged results → baselines → reports.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args;

use oauth1_vectors::{load_paths, Corpus};

use super::output::{self, println, ReportTarget};
use super::progress::RowsBar;
use super::{BadInput, Status};
use crate::adapter::AdapterConfig;
use crate::baseline::{self, Baseline};
use crate::case::Shard;
use crate::generate::shrink::DEFAULT_SHRINK_BUDGET;
use crate::generate::DEFAULT_SEED;
use crate::matrix::{in_process_named, in_process_names, is_valid_row_name, run_rows, RowSpec};
use crate::report::terminal::{render_matrix, render_terminal};
use crate::report::{Report, RowInfo, RunMetadata, Summary, Unavailable, VectorFileInfo, REPORT_VERSION};
use crate::result::CaseResult;
use crate::session::{shell_quote, Driver, Plan, Row};
use crate::verdict::RowVerdict;

#[derive(Debug, Args)]
pub(crate) struct RunArgs {
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
    /// Property-generated cases per implementation, shared among what it does: requests to
    /// sign when it signs, signed and tampered requests to verify when it verifies.
    #[arg(long, default_value_t = 0)]
    generated: u64,
    /// The run seed: a number, or `random`. Every run prints it.
    #[arg(long, default_value_t = String::from("default"))]
    seed: String,
    /// Run only these cases (repeatable): vector case ids, or generated ids such as
    /// `generated:SEED` — the replay command of every divergence uses it.
    #[arg(long = "case", value_name = "ID")]
    cases: Vec<String>,
    /// Run the I-th of N deterministic parts of the run (the corpus and the generated cases
    /// alike); `report merge` puts the shards' reports together.
    #[arg(long, value_name = "I/N", value_parser = Shard::parse)]
    shard: Option<Shard>,
    /// Shrinking steps (each a round trip to the implementation) a row spends on its kinds of
    /// divergence, unexplained kinds first; a kind left unshrunk says so.
    #[arg(long, value_name = "STEPS", default_value_t = DEFAULT_SHRINK_BUDGET)]
    shrink_budget: u32,
    /// Write each generated divergence kind's (shrunk) case as a vector file into DIR.
    #[arg(long, value_name = "DIR")]
    save_counterexamples: Option<PathBuf>,
    /// Check each implementation against its baseline (DIR/NAME.json): a run fails only on
    /// divergences no baselined quirk explains, or on a baselined quirk that vanished.
    #[arg(long, value_name = "DIR")]
    baselines: Option<PathBuf>,
    /// Rewrite the baselines from this run, all of them or none (refuses divergences that
    /// have no quirk).
    #[arg(long, requires = "baselines")]
    update_baseline: bool,
    /// With --update-baseline: record divergences no catalogued quirk explains under the
    /// baseline's `unexplained`, case by case, instead of refusing them (a row whose bugs the
    /// catalogue lacks can then be gated; each such case stays listed until it is explained).
    #[arg(long, requires = "update_baseline")]
    accept_unexplained: bool,
    /// Rows with no baseline file yet are reported but do not decide the exit code.
    #[arg(long, requires = "baselines")]
    allow_unbaselined: bool,
    /// Extra report, as FORMAT:PATH (repeatable). Formats: json, jsonl, junit, markdown,
    /// html (one self-contained page).
    #[arg(long = "report", value_parser = ReportTarget::parse)]
    reports: Vec<ReportTarget>,
    /// Seconds an adapter may take to answer the handshake.
    #[arg(long, default_value_t = 10.0, value_parser = parse_seconds)]
    handshake_timeout: f64,
    /// Seconds an adapter may take to answer one case.
    #[arg(long, default_value_t = 5.0, value_parser = parse_seconds)]
    case_timeout: f64,
    /// Print only the summary line, not the tables.
    #[arg(long)]
    quiet: bool,
    /// List in the terminal report the divergences a baseline explains too.
    #[arg(long, requires = "baselines")]
    show_baselined: bool,
    /// Rows run at once (default: the number of CPUs).
    #[arg(long, default_value_t = std::thread::available_parallelism().map_or(1, usize::from))]
    jobs: usize,
    /// Record NAME as unavailable with REASON (repeatable): a row whose runtime is missing,
    /// reported (and exiting 2) instead of silently dropped.
    #[arg(long = "unavailable", value_name = "NAME=REASON")]
    unavailable: Vec<String>,
}

/// A number of seconds: finite, positive, at most a day (a timeout longer than that is a typo).
fn parse_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(seconds) if seconds.is_finite() && seconds > 0.0 && seconds <= 86_400.0 => Ok(seconds),
        _ => Err(format!("takes a number of seconds above 0 and at most 86400, got {text:?}")),
    }
}

fn parse_seed(text: &str) -> Result<u64, String> {
    match text {
        "default" => Ok(DEFAULT_SEED),
        "random" => {
            let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
            // The low 64 bits of the clock, mixed with the process id: a seed, not a secret.
            #[allow(clippy::cast_possible_truncation)]
            let low = nanos as u64;
            Ok(low ^ u64::from(std::process::id()).rotate_left(32))
        }
        number => number.parse().map_err(|_| format!("--seed takes a number or `random`, got {number:?}")),
    }
}

/// The rows asked for, each with its driver.
fn row_specs(args: &RunArgs) -> Result<Vec<(String, Driver)>, String> {
    let mut specs = Vec::new();
    for name in &args.implementations {
        let names: Vec<String> = if name == "all" {
            in_process_names().into_iter().map(str::to_owned).collect()
        } else {
            vec![name.clone()]
        };
        for name in names {
            if in_process_named(&name).is_none() {
                return Err(format!("unknown implementation {name:?} (known: {})", in_process_names().join(", ")));
            }
            let driver = if args.isolate {
                let exe = std::env::current_exe().map_err(|e| format!("cannot find this executable: {e}"))?;
                Driver::Adapter { command: format!("{} serve --impl {name}", shell_quote(&exe.display().to_string())) }
            } else {
                Driver::InProcess
            };
            specs.push((name, driver));
        }
    }
    for spec in &args.adapters {
        let (name, command) = spec
            .split_once('=')
            .filter(|(n, c)| !n.is_empty() && !c.trim().is_empty())
            .ok_or_else(|| format!("--adapter takes NAME=COMMAND, got {spec:?}"))?;
        if !is_valid_row_name(name) {
            return Err(format!(
                "--adapter name {name:?}: use letters, digits, '.', '_', '-' and '/'-separated segments (it names a baseline file)"
            ));
        }
        specs.push((name.to_owned(), Driver::Adapter { command: command.to_owned() }));
    }
    if specs.is_empty() {
        return Err("name at least one --impl or --adapter".into());
    }
    let mut names: Vec<&str> = specs.iter().map(|(n, _)| n.as_str()).collect();
    names.sort_unstable();
    if let Some(pair) = names.windows(2).find(|w| w[0] == w[1]) {
        return Err(format!("implementation {:?} is named twice", pair[0]));
    }
    Ok(specs)
}

/// Each row's baseline: `Some` to check it against, `None` for a row without a baseline file
/// under `--allow-unbaselined` (reported, not gating).
fn load_baselines(args: &RunArgs, names: &[String]) -> Result<BTreeMap<String, Option<Baseline>>, BadInput> {
    let Some(dir) = &args.baselines else {
        return Ok(names.iter().map(|n| (n.clone(), None)).collect());
    };
    let mut baselines = BTreeMap::new();
    for name in names {
        let path = baseline::baseline_path(dir, name);
        let unbaselined = args.allow_unbaselined && !args.update_baseline && !path.exists();
        let loaded = if unbaselined { None } else { Some(baseline::load(&path, name)?) };
        baselines.insert(name.clone(), loaded);
    }
    Ok(baselines)
}

/// Everything a run needs before the first case.
struct Setup {
    seed: u64,
    corpus: Option<Corpus>,
    specs: Vec<RowSpec>,
    baselines: BTreeMap<String, Option<Baseline>>,
    plan: Plan,
    config: AdapterConfig,
    extra_unavailable: Vec<Unavailable>,
}

fn setup(args: &RunArgs) -> Result<Setup, BadInput> {
    let seed = parse_seed(&args.seed)?;
    let specs = row_specs(args)?;
    if args.vectors.is_empty() && args.generated == 0 && args.cases.is_empty() {
        return Err("nothing to run: give --vectors PATH and/or --generated N".into());
    }
    let mut extra_unavailable = Vec::new();
    for spec in &args.unavailable {
        let (name, reason) = spec
            .split_once('=')
            .filter(|(n, r)| !n.is_empty() && !r.trim().is_empty())
            .ok_or_else(|| format!("--unavailable takes NAME=REASON, got {spec:?}"))?;
        extra_unavailable.push(Unavailable { implementation: name.to_owned(), reason: reason.to_owned() });
    }
    let corpus = if args.vectors.is_empty() {
        None
    } else {
        Some(load_paths(&args.vectors).map_err(|errors| {
            let lines: Vec<String> = errors.iter().map(|e| format!("  {e}")).collect();
            format!("{} problem(s) in the vectors:\n{}", errors.len(), lines.join("\n"))
        })?)
    };
    let names: Vec<String> = specs.iter().map(|(n, _)| n.clone()).collect();
    let baselines = load_baselines(args, &names)?;
    let specs = specs
        .into_iter()
        .map(|(name, driver)| {
            let known = baselines
                .get(&name)
                .cloned()
                .flatten()
                .unwrap_or_else(|| Baseline { implementation: name.clone(), ..Baseline::default() });
            RowSpec { name, driver, known }
        })
        .collect();
    let plan = Plan {
        generated: args.generated,
        seed,
        shrink_budget: args.shrink_budget,
        shard: args.shard.unwrap_or(Shard::WHOLE),
        only: args.cases.clone(),
        bootstrap: args.update_baseline,
    };
    let config = AdapterConfig {
        handshake_timeout: Duration::from_secs_f64(args.handshake_timeout),
        case_timeout: Duration::from_secs_f64(args.case_timeout),
        ..AdapterConfig::default()
    };
    Ok(Setup { seed, corpus, specs, baselines, plan, config, extra_unavailable })
}

pub(crate) fn run(args: &RunArgs) -> Result<Status, BadInput> {
    crate::implementation::install_quiet_panic_hook();
    let setup = setup(args)?;
    // Adapters run in process groups of their own, out of the terminal's reach: on SIGINT or
    // SIGTERM the harness ends them (and what they detached), then reports what it gathered.
    if let Err(e) = crate::adapter::adopt_orphans() {
        eprintln!("warning: cannot adopt the adapters' orphaned processes: {e}");
    }
    crate::interrupt::install(|signal, killed| {
        output::clear_progress_line();
        eprintln!(
            "interrupted by {}: ended {} adapter process groups ({} detached processes); writing the reports of what was gathered",
            signal.name(),
            killed.groups,
            killed.escaped
        );
    })
    .map_err(|e| format!("cannot handle SIGINT and SIGTERM: {e}"))?;
    println(&format!("seed: {}", setup.seed));
    let bar = RowsBar::new(setup.specs.len());
    let ran = run_rows(&setup.specs, setup.corpus.as_ref(), &setup.plan, &setup.config, args.jobs, &bar);
    bar.finish();
    let (rows, mut unavailable) = ran?;
    for u in &unavailable {
        eprintln!("unavailable: {}", u.reason);
    }
    for u in &setup.extra_unavailable {
        eprintln!("unavailable: {}: {}", u.implementation, u.reason);
    }
    unavailable.extend(setup.extra_unavailable.iter().cloned());
    if rows.iter().all(|r| r.results.is_empty()) && unavailable.is_empty() {
        return Err("no case ran".into());
    }
    let interrupted = crate::interrupt::received();
    let mut baselines = setup.baselines.clone();
    // A refused update still leaves the run's reports: they hold the divergences to assign.
    let updated = match (args.update_baseline && interrupted.is_none(), args.baselines.as_deref()) {
        (false, _) => Ok(()),
        (true, None) => Err("--update-baseline needs --baselines".to_owned()),
        (true, Some(dir)) => update_baselines(dir, &rows, &mut baselines, args.accept_unexplained),
    };
    let report = assemble(&setup, &rows, unavailable, &baselines);
    print_terminal(args, &report, &rows);
    if let Some(dir) = &args.save_counterexamples {
        save_counterexamples(dir, &rows, setup.seed)?;
    }
    output::write_reports(&report, &args.reports)?;
    updated?;
    if let Some(signal) = interrupted {
        return Ok(Status::Interrupted(signal.number()));
    }
    let decisive_unavailable =
        report.metadata.unavailable.iter().any(|u| match (&args.baselines, args.allow_unbaselined) {
            (Some(dir), true) => baseline::baseline_path(dir, &u.implementation).exists(),
            _ => true,
        });
    Ok(if decisive_unavailable {
        Status::BadInput
    } else if report.passes() {
        Status::Conformant
    } else {
        Status::Divergence
    })
}

/// Rewrites every row's baseline from this run, all of them or none: each new baseline is
/// computed first, and only when every row has one are they written.
fn update_baselines(
    dir: &Path,
    rows: &[Row],
    baselines: &mut BTreeMap<String, Option<Baseline>>,
    accept_unexplained: bool,
) -> Result<(), String> {
    let mut next = Vec::new();
    let mut refused = Vec::new();
    for row in rows {
        let previous = baselines
            .get(&row.info.name)
            .cloned()
            .flatten()
            .unwrap_or_else(|| Baseline { implementation: row.info.name.clone(), ..Baseline::default() });
        match baseline::updated(&previous, &row.results, accept_unexplained) {
            Ok(updated) => next.push((row.info.name.clone(), updated)),
            Err(cases) => refused.push(format!(
                "{}: {} divergence(s) have no quirk id; assign each to a catalogued quirk under \"assigned\" in {} (see `oauth1-conformance list`), or record them as unexplained with --accept-unexplained: {}",
                row.info.name,
                cases.len(),
                baseline::baseline_path(dir, &row.info.name).display(),
                cases.join(", ")
            )),
        }
    }
    if !refused.is_empty() {
        return Err(format!("no baseline was written:\n{}", refused.join("\n")));
    }
    let texts = next
        .iter()
        .map(|(name, updated)| {
            let text = serde_json::to_string_pretty(updated).map_err(|e| e.to_string())? + "\n";
            Ok((baseline::baseline_path(dir, name), text))
        })
        .collect::<Result<Vec<_>, String>>()?;
    let files: Vec<(&Path, &[u8])> = texts.iter().map(|(path, text)| (path.as_path(), text.as_bytes())).collect();
    // Every file written and flushed before any is renamed into place: all or none.
    crate::atomic_file::write_all_atomically(&files).map_err(|e| format!("no baseline was written: {e}"))?;
    for (path, _) in &texts {
        println(&format!("wrote {}", path.display()));
    }
    baselines.extend(next.into_iter().map(|(name, updated)| (name, Some(updated))));
    Ok(())
}

/// The report of the run: its results, verdicts against the baselines, and metadata.
fn assemble(
    setup: &Setup,
    rows: &[Row],
    unavailable: Vec<Unavailable>,
    baselines: &BTreeMap<String, Option<Baseline>>,
) -> Report {
    let results: Vec<CaseResult> = rows.iter().flat_map(|r| r.results.iter().cloned()).collect();
    let verdicts = rows
        .iter()
        .map(|row| RowVerdict::of(&row.info.name, &row.results, baselines.get(&row.info.name).and_then(Option::as_ref)))
        .collect();
    let metadata = RunMetadata {
        tool: format!("oauth1-conformance {}", env!("CARGO_PKG_VERSION")),
        seed: setup.seed,
        generated_per_implementation: setup.plan.generated,
        shards: vec![setup.plan.shard],
        implementations: rows.iter().map(|r| RowInfo { info: r.info.clone(), driver: r.driver.clone() }).collect(),
        unavailable,
        vector_files: setup
            .corpus
            .as_ref()
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
        timings: rows.iter().map(|r| (r.info.name.clone(), r.timings)).collect(),
        incomplete: crate::interrupt::received().is_some(),
        faults: rows.iter().filter(|r| !r.faults.is_empty()).map(|r| (r.info.name.clone(), r.faults.clone())).collect(),
        ruled_out: rows.iter().map(|r| (r.info.name.clone(), r.ruled_out.clone())).collect(),
    };
    let summary = Summary::of(&results);
    Report { version: REPORT_VERSION, metadata, verdicts, summary, results, probe: None, capture: None }
}

/// The terminal report: the tables, the divergences no baseline explains in full, the
/// matrix, and each row's verdicts.
fn print_terminal(args: &RunArgs, report: &Report, rows: &[Row]) {
    let uncovered: BTreeMap<&str, BTreeSet<&str>> = report
        .verdicts
        .iter()
        .filter_map(|v| {
            Some((v.implementation.as_str(), v.baseline.as_ref()?.uncovered.iter().map(String::as_str).collect()))
        })
        .collect();
    let listed = |r: &CaseResult| {
        args.show_baselined
            || uncovered.get(r.implementation.as_str()).is_none_or(|cases| cases.contains(r.case.as_str()))
    };
    let terminal = render_terminal(report, listed);
    if args.quiet {
        println(terminal.lines().last().unwrap_or_default());
    } else {
        output::print(&terminal);
        println(&format!("\n{}", render_matrix(report)));
    }
    for row in rows {
        let t = &row.timings;
        println(&format!(
            "{}: {} cases in {:.2} s (generating {:.2}, answering {:.2}, attributing {:.2}, shrinking {:.2})",
            row.info.name,
            row.results.len(),
            row.seconds,
            t.generating,
            t.answering,
            t.attributing,
            t.shrinking
        ));
    }
    for verdict in &report.verdicts {
        println(&format!("{}: {}", verdict.implementation, verdict.headline()));
        let Some(check) = &verdict.baseline else { continue };
        for (quirk, case) in &check.new_quirks {
            println(&format!("  new quirk {quirk} (e.g. {case})"));
        }
        for case in &check.new_divergences {
            println(&format!("  new divergence without a quirk: {case}"));
        }
        for quirk in &check.vanished_quirks {
            println(&format!("  baselined quirk no longer shows (unexpected pass): {quirk}"));
        }
        for case in &check.vanished_assigned {
            println(&format!("  baselined case no longer diverges (unexpected pass): {case}"));
        }
    }
    for (name, events) in &report.metadata.faults {
        let faults = events.iter().filter(|e| matches!(e.kind, crate::adapter::FaultEventKind::Fault { .. })).count();
        println(&format!(
            "{name}: {faults} adapter faults (each killed and restarted; the report lists them): {}",
            events
                .iter()
                .map(|e| format!("{:?}", e.kind))
                .collect::<Vec<_>>()
                .join("; ")
                .chars()
                .take(300)
                .collect::<String>()
        ));
    }
    for u in &report.metadata.unavailable {
        println(&format!("{}: unavailable", u.implementation));
    }
    let seed = report.metadata.seed;
    println(&format!("seed: {seed} (replay with --seed {seed})"));
}

/// Writes each row's generated divergence kinds (shrunk where shrinking found a smaller
/// case) as a vector file `DIR/NAME.json`.
fn save_counterexamples(dir: &Path, rows: &[Row], seed: u64) -> Result<(), String> {
    for row in rows.iter().filter(|r| !r.counterexamples.is_empty()) {
        let cases: Vec<serde_json::Value> = row
            .counterexamples
            .iter()
            .map(|planned| {
                let mut case = planned.case.clone();
                // Case ids are `[a-z0-9][a-z0-9._-]*` (vectors/schema.json).
                let id = format!("{}-{}", row.info.name, case.id).to_ascii_lowercase();
                case.id = id.chars().map(|c| if c.is_ascii_alphanumeric() || "._-".contains(c) { c } else { '-' }).collect();
                case.flags = vec!["Generated".into()];
                case.provenance = format!(
                    "{} Confirm the expected values independently (a published source, or a second implementation) before adding this case to the corpus. (Run seed {seed}.)",
                    case.provenance
                );
                serde_json::to_value(&case).unwrap_or_default()
            })
            .collect();
        let file = serde_json::json!({
            "format": "oauth1-vectors/v1",
            "description": format!("Generated counterexamples for {}", row.info.name),
            "flags": {"Generated": "A property-generated counterexample (shrunk where shrinking found a smaller case); expected values are the reference's output."},
            "cases": cases,
        });
        let path = dir.join(format!("{}.json", row.info.name.replace(['/', '+'], "-")));
        let text = serde_json::to_string_pretty(&file).map_err(|e| e.to_string())? + "\n";
        crate::atomic_file::write_atomically(&path, text.as_bytes()).map_err(|e| e.to_string())?;
        println(&format!("wrote {} counterexample(s) to {}", row.counterexamples.len(), path.display()));
    }
    Ok(())
}
