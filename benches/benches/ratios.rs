//! The ratio of each signing function to the floor (HMAC-SHA1 alone over the built base
//! string, keyed afresh), and of each crate to the reference's header, measured in interleaved
//! rounds (`oauth1_benches::interleave`) so that other work on the machine cancels out.
//!
//! `cargo bench -p oauth1-benches --bench ratios -- [--quick] [--passes N] [--rounds N] [--batch-us N]
//! [--out FILE]` prints the table and, with `--out`, writes it as JSON with the facts about
//! the machine that the ratios depend on (`cargo xtask bench` reads it). Run without `--bench`
//! (by `cargo test --benches`) it makes the quick run. Every function's output is checked
//! before it is timed, as in `benches/signing.rs`.
//!
//! A full run with `--out` also counts instructions per call of the §3.4.1 request's signature
//! and floor under valgrind, when valgrind is installed (`oauth1_benches::instructions`); for
//! that it runs itself as `ratios --calls-only GROUP FUNCTION N`, which makes `N` calls of
//! `signature` or `floor` and exits.

use std::hint::black_box;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use oauth1_benches::cases::{
    checked_peers, load_corpus, recorded_peer_outputs, sign_case, Floor, PeerOutputs, ReferenceInput, SHAPES,
};
use oauth1_benches::instructions::{self, Instructions};
use oauth1_benches::interleave::{column, least_disturbed, ratios, rounds, Settings, Spread, CLOCK};
use oauth1_benches::machine::{load_average, Machine};
use oauth1_conformance::implementation::SignInput;
use oauth1_reference::sign::{authorization_header, sign, signature};
use oauth1_vectors::SignCase;

const USAGE: &str =
    "usage: ratios [--quick] [--passes N] [--rounds N] [--batch-us N] [--group SHAPE]... [--out FILE]\n       \
                     ratios --calls-only SHAPE signature|floor N";

/// The request shape whose instructions per call a full run counts.
const COUNTED_GROUP: &str = "rfc5849-3.4.1";

/// The command line.
struct Options {
    settings: Settings,
    /// The shapes to measure; every shape when empty.
    groups: Vec<String>,
    out: Option<PathBuf>,
}

impl Options {
    fn parse(args: impl IntoIterator<Item = String>) -> Result<Self, String> {
        let args: Vec<String> = args.into_iter().collect();
        // cargo bench passes `--bench`; cargo test does not, and gets the quick run.
        let mut settings = if args.iter().any(|arg| arg == "--bench") { Settings::FULL } else { Settings::QUICK };
        let mut out = None;
        let mut groups = Vec::new();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
            match arg.as_str() {
                "--bench" => {}
                "--quick" => settings = Settings::QUICK,
                "--passes" => settings.passes = number(&value("--passes")?)?,
                "--rounds" => settings.rounds = number(&value("--rounds")?)?,
                "--batch-us" => settings.batch = Duration::from_micros(number(&value("--batch-us")?)?),
                "--group" => groups.push(value("--group")?),
                "--out" => out = Some(PathBuf::from(value("--out")?)),
                other => return Err(format!("unknown argument {other:?}")),
            }
        }
        if settings.passes == 0 || settings.rounds == 0 || settings.batch.is_zero() {
            return Err("--passes, --rounds and --batch-us must be positive".into());
        }
        if let Some(unknown) = groups.iter().find(|group| !SHAPES.iter().any(|(shape, _)| shape == group)) {
            return Err(format!("no shape {unknown:?}"));
        }
        Ok(Self { settings, groups, out })
    }

    /// Whether the run measures shape `group`.
    fn chooses(&self, group: &str) -> bool {
        self.groups.is_empty() || self.groups.iter().any(|chosen| chosen == group)
    }
}

fn number<T: std::str::FromStr>(text: &str) -> Result<T, String> {
    text.parse().map_err(|_| format!("{text:?} is not a number"))
}

/// One ratio: `name`'s time over `against`'s, in group `group`, round by round, from the pass
/// that [`least_disturbed`] picks.
#[derive(Clone, serde::Serialize)]
struct Row {
    group: &'static str,
    name: &'static str,
    against: &'static str,
    /// Calls per batch of `name` and of `against`.
    calls_per_batch: [u64; 2],
    ratio: Option<Spread>,
    ns_per_op: Option<Spread>,
    against_ns_per_op: Option<Spread>,
    /// The ratio's median in every pass, in order.
    pass_medians: Vec<Option<f64>>,
}

impl Row {
    /// The row of contestant `of` over contestant `to` of [`rounds`]' result.
    fn new(
        (group, name, against): (&'static str, &'static str, &'static str),
        calls: &[u64],
        times: &[Vec<f64>],
        (of, to): (usize, usize),
    ) -> Self {
        let calls_of = |index: usize| calls.get(index).copied().unwrap_or_default();
        Self {
            group,
            name,
            against,
            calls_per_batch: [calls_of(of), calls_of(to)],
            ratio: Spread::of(&ratios(times, of, to)),
            ns_per_op: Spread::of(&column(times, of)),
            against_ns_per_op: Spread::of(&column(times, to)),
            pass_medians: Vec::new(),
        }
    }
}

/// What `--out` writes.
#[derive(serde::Serialize)]
struct Report<'a> {
    settings: Settings,
    clock: &'static str,
    machine: Machine,
    load_average_before: Option<[f64; 3]>,
    load_average_after: Option<[f64; 3]>,
    ratios: &'a [Row],
    /// Absent when not counted: a quick run, valgrind missing, or a run of it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    instructions: Option<Instructions>,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, group, function, calls] = args.as_slice() {
        if flag == "--calls-only" {
            return calls_only(group, function, calls);
        }
    }
    let options = match Options::parse(args) {
        Ok(options) => options,
        Err(e) => {
            eprintln!("ratios: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let corpus = load_corpus();
    let recorded = recorded_peer_outputs();
    let load_average_before = load_average();
    let passes: Vec<Vec<Row>> = (1..=options.settings.passes)
        .map(|pass| {
            eprintln!("ratios: pass {pass} of {}", options.settings.passes);
            let shapes = SHAPES.into_iter().filter(|(group, _)| options.chooses(group));
            shapes
                .flat_map(|(group, case_id)| {
                    shape_rows(group, sign_case(&corpus, case_id), recorded.get(group), options.settings)
                })
                .collect()
        })
        .collect();
    let rows = least_disturbed_rows(&passes);
    let report = Report {
        settings: options.settings,
        clock: CLOCK,
        machine: Machine::this(),
        load_average_before,
        load_average_after: load_average(),
        ratios: &rows,
        instructions: counted_instructions(&options),
    };
    print_table(&report);
    if let Some(path) = &options.out {
        let text = serde_json::to_string_pretty(&report).expect("the report serializes") + "\n";
        if let Err(e) = std::fs::write(path, text) {
            eprintln!("ratios: cannot write {}: {e}", path.display());
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}

/// Instructions per call in [`COUNTED_GROUP`], when a full run writes its report and valgrind
/// counts them; why not, on stderr, when it cannot.
fn counted_instructions(options: &Options) -> Option<Instructions> {
    if options.out.is_none() || options.settings == Settings::QUICK || !options.chooses(COUNTED_GROUP) {
        return None;
    }
    let counted = std::env::current_exe()
        .map_err(|e| format!("cannot find this benchmark's executable: {e}"))
        .and_then(|exe| instructions::count(&exe, COUNTED_GROUP));
    match counted {
        Ok(counted) => Some(counted),
        Err(e) => {
            eprintln!("ratios: instructions not counted: {e}");
            None
        }
    }
}

/// `--calls-only`: `calls` calls of `function` (`signature` or `floor`) on the case of shape
/// `group`, checked first, for valgrind to count ([`instructions::count`]).
fn calls_only(group: &str, function: &str, calls: &str) -> ExitCode {
    let Ok(calls) = calls.parse::<u64>() else {
        eprintln!("ratios: {calls:?} is not a number\n{USAGE}");
        return ExitCode::from(2);
    };
    let Some(&(_, case_id)) = SHAPES.iter().find(|(shape, _)| *shape == group) else {
        eprintln!("ratios: no shape {group:?}\n{USAGE}");
        return ExitCode::from(2);
    };
    let corpus = load_corpus();
    let case = sign_case(&corpus, case_id);
    let input = ReferenceInput::new(case);
    input.check_signature_and_header();
    let (request, oauth, secrets) = (input.request, input.oauth(), input.secrets());
    match function {
        "signature" => {
            for _ in 0..calls {
                black_box(signature(black_box(&request), black_box(&oauth), black_box(&secrets)).ok());
            }
        }
        "floor" => {
            let floor = Floor::of(case);
            for _ in 0..calls {
                black_box(floor.run());
            }
        }
        other => {
            eprintln!("ratios: no function {other:?} to call\n{USAGE}");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}

/// The rounds of one request shape: the reference's three ways of signing against the floor,
/// then every crate that signs the request against the floor and the reference's header, all
/// three interleaved.
fn shape_rows(group: &'static str, case: &SignCase, recorded: Option<&PeerOutputs>, settings: Settings) -> Vec<Row> {
    let input = ReferenceInput::new(case);
    input.check_signature_and_header();
    let (request, oauth, secrets) = (input.request, input.oauth(), input.secrets());
    let trace = sign(&request, &oauth, &secrets).expect("the reference signs the case");
    assert_eq!(trace.signature, input.expected_signature());
    let floor = Floor::of(case);

    let mut run_floor = || {
        black_box(floor.run());
    };
    let mut run_signature = || {
        black_box(signature(black_box(&request), black_box(&oauth), black_box(&secrets)).ok());
    };
    let mut run_header = || {
        black_box(authorization_header(black_box(&request), black_box(&oauth), black_box(&secrets)).ok());
    };
    let mut run_trace = || {
        black_box(sign(black_box(&request), black_box(&oauth), black_box(&secrets)).ok());
    };
    let mut rows = Vec::new();
    let reference: [(&'static str, &mut dyn FnMut()); 3] = [
        ("reference/signature", &mut run_signature),
        ("reference/header", &mut run_header),
        ("reference/trace", &mut run_trace),
    ];
    for (name, run) in reference {
        eprintln!("ratios: {group}/{name}");
        let (calls, times) = rounds(&mut [&mut run_floor, run], settings);
        rows.push(Row::new((group, name, "floor"), &calls, &times, (1, 0)));
    }

    let sign_input = SignInput { request: &case.request, oauth: &case.oauth, secrets: &case.secrets };
    for (name, mut peer) in checked_peers(group, case, recorded) {
        eprintln!("ratios: {group}/{name}");
        let mut run_peer = || {
            black_box(peer.sign(black_box(&sign_input)));
        };
        let (calls, times) = rounds(&mut [&mut run_floor, &mut run_header, &mut run_peer], settings);
        rows.push(Row::new((group, name, "floor"), &calls, &times, (2, 0)));
        rows.push(Row::new((group, name, "reference/header"), &calls, &times, (2, 1)));
    }
    rows
}

/// Each ratio of the first pass, taken from the pass that [`least_disturbed`] picks, with every
/// pass's median beside it. Every pass measures the same ratios in the same order.
fn least_disturbed_rows(passes: &[Vec<Row>]) -> Vec<Row> {
    let Some(first) = passes.first() else { return Vec::new() };
    (0..first.len())
        .filter_map(|index| {
            let measured: Vec<&Row> = passes.iter().filter_map(|rows| rows.get(index)).collect();
            let pass_medians: Vec<Option<f64>> =
                measured.iter().map(|row| row.ratio.map(|ratio| ratio.median)).collect();
            let pass_times: Vec<Option<[f64; 2]>> =
                measured.iter().map(|row| Some([row.ns_per_op?.median, row.against_ns_per_op?.median])).collect();
            let chosen = least_disturbed(&pass_times).and_then(|pass| measured.get(pass)).or(measured.first())?;
            Some(Row { pass_medians, ..(*chosen).clone() })
        })
        .collect()
}

fn print_table(report: &Report<'_>) {
    let settings = report.settings;
    println!(
        "\ninterleaved rounds: {} passes of {} rounds of about {} µs per batch, timed by {CLOCK}; median [p10, p90] \
         of the per-round ratio in the pass where both contestants ran fastest, and the range of the passes' medians",
        settings.passes,
        settings.rounds,
        settings.batch.as_micros()
    );
    println!("{:<15} {:<32} {:<18} {:>24} {:>10} {:>14}", "group", "benchmark", "against", "ratio", "ns/op", "passes");
    for row in report.ratios {
        let ratio = row.ratio.map_or_else(String::new, |r| format!("{:.2}x [{:.2}, {:.2}]", r.median, r.p10, r.p90));
        let ns = row.ns_per_op.map_or_else(String::new, |ns| format!("{:.0}", ns.median));
        let medians = row.pass_medians.iter().flatten();
        let range = match (medians.clone().copied().reduce(f64::min), medians.copied().reduce(f64::max)) {
            (Some(low), Some(high)) => format!("{low:.2}–{high:.2}"),
            _ => String::new(),
        };
        println!("{:<15} {:<32} {:<18} {ratio:>24} {ns:>10} {range:>14}", row.group, row.name, row.against);
    }
    let machine = &report.machine;
    println!(
        "cpu: {}; SHA extensions: {:?}; AVX2: {:?}; load average before {:?}, after {:?}",
        machine.cpu_model.as_deref().unwrap_or("unknown"),
        machine.sha_extensions,
        machine.avx2,
        report.load_average_before,
        report.load_average_after
    );
    if let Some(counted) = &report.instructions {
        println!(
            "instructions per call ({}, {}): signature {:.0}, floor {:.0}, outside the HMAC {:.0} (valgrind runs the \
             software SHA-1 in both)",
            counted.group, counted.tool, counted.signature, counted.floor, counted.outside_hmac
        );
    }
}
