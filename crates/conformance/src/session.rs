//! One implementation's share of a run: its cases (the corpus and the generated ones, the
//! run's shard of them), run in one batch, judged, explained, and its generated divergences
//! shrunk.

use std::collections::BTreeSet;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use oauth1_vectors::Corpus;

use crate::attribution::{explain, Search};
use crate::baseline::{self, Baseline};
use crate::case::{corpus_cases, GeneratedKind, PlannedCase, Shard};
use crate::generate::shrink::{shrink, DEFAULT_SHRINK_BUDGET};
use crate::generate::{self, DEFAULT_SEED};
use crate::implementation::{Implementation, ImplementationInfo};
use crate::judge::{Field, OutcomeKind};
use crate::quirks::Quirk;
use crate::result::{CaseResult, Explanation, ShrunkExample};
use crate::row_evidence::{break_ties, record_ties, ruled_out};
use crate::runner::run_cases;

/// How a row of the matrix is driven, for the replay command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Driver {
    /// In this process (`--impl NAME`).
    InProcess,
    /// Behind an adapter (`--adapter NAME=COMMAND`).
    Adapter {
        /// The shell command.
        command: String,
    },
}

impl Driver {
    /// The command-line arguments that select this row.
    #[must_use]
    pub fn arguments(&self, name: &str) -> String {
        match self {
            Self::InProcess => format!("--impl {}", shell_quote(name)),
            Self::Adapter { command } => format!("--adapter {}", shell_quote(&format!("{name}={command}"))),
        }
    }

    /// The command that replays case `case` (from `file`, for a vector case) alone on row
    /// `name`.
    #[must_use]
    pub fn replay(&self, name: &str, case: &str, file: Option<&str>) -> String {
        let vectors = file.map(|f| format!(" --vectors {}", shell_quote(f))).unwrap_or_default();
        format!("oauth1-conformance run {}{vectors} --case {}", self.arguments(name), shell_quote(case))
    }
}

/// Quotes `text` for a POSIX shell.
#[must_use]
pub fn shell_quote(text: &str) -> String {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_./=:@%+,".contains(&b)) {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// What to run.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Generated cases of each kind per implementation.
    pub generated: u64,
    /// The run seed.
    pub seed: u64,
    /// Shrinking steps each row may spend on its divergence kinds.
    pub shrink_budget: u32,
    /// The part of the run this process does.
    pub shard: Shard,
    /// Only these case ids (vector ids, or generated ids such as `generated:SEED`), when given.
    pub only: Vec<String>,
    /// Explain what the row's known quirks leave unexplained with every quirk the run itself
    /// showed too (for `--update-baseline`: a new baseline then records the quirks a row shows
    /// four or five at a time, and later runs, sharded or not, search them first).
    pub bootstrap: bool,
}

impl Default for Plan {
    fn default() -> Self {
        Self {
            generated: 0,
            seed: DEFAULT_SEED,
            shrink_budget: DEFAULT_SHRINK_BUDGET,
            shard: Shard::WHOLE,
            only: Vec::new(),
            bootstrap: false,
        }
    }
}

/// One implementation's share of the run.
#[derive(Debug)]
pub struct Row {
    /// Its declared identity.
    pub info: ImplementationInfo,
    /// How it is driven.
    pub driver: Driver,
    /// Its results, vector cases first, then generated cases.
    pub results: Vec<CaseResult>,
    /// The generated cases that are their divergence kind's representative, for
    /// `--save-counterexamples` (shrunk where shrinking found a smaller one).
    pub counterexamples: Vec<PlannedCase>,
    /// Wall time spent on this row, seconds.
    pub seconds: f64,
    /// Where that time went.
    pub timings: Timings,
    /// What happened to its adapter process: faults recovered by a kill and a restart, or the
    /// adapter given up (empty in-process).
    pub faults: Vec<crate::adapter::FaultEvent>,
    /// The switchable quirks that alone would change a sign case the row passed: its evidence
    /// against them where quirks tie ([`crate::row_evidence`]).
    pub ruled_out: Vec<Quirk>,
}

/// Where a row's wall time went, seconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Timings {
    /// Generating the cases (and the reference's expected values of generated ones).
    pub generating: f64,
    /// The implementation answering, and each answer judged.
    pub answering: f64,
    /// Explaining divergences: the quirk search and the behavioural rules.
    pub attributing: f64,
    /// Shrinking generated divergences (round trips to the implementation included).
    pub shrinking: f64,
}

/// A harness failure of one row (never a verdict).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The generator failed (a harness bug).
    #[error(transparent)]
    Generate(#[from] generate::Error),
    /// `--case` names a case that is neither in the corpus nor a generated case id.
    #[error("no case {id:?} in the vectors given (a generated case id is generated:SEED or generated-verify:SEED)")]
    UnknownCase {
        /// The id given.
        id: String,
    },
}

/// The cases of `plan` for an implementation with `info`.
fn planned_cases(info: &ImplementationInfo, corpus: Option<&Corpus>, plan: &Plan) -> Result<Vec<PlannedCase>, Error> {
    let mut cases = corpus.map(|c| corpus_cases(c, plan.shard)).unwrap_or_default();
    if plan.generated > 0 {
        cases.extend(generate::plan(&info.capabilities, plan.generated, plan.seed, plan.shard)?);
    }
    if plan.only.is_empty() {
        return Ok(cases);
    }
    let mut chosen = Vec::new();
    for id in &plan.only {
        if let Some(case) = cases.iter().find(|c| &c.case.id == id) {
            chosen.push(case.clone());
        } else if let Some(generated) = generate::case_by_id(id, &info.capabilities) {
            chosen.push(generated?);
        } else {
            return Err(Error::UnknownCase { id: id.clone() });
        }
    }
    Ok(chosen)
}

/// Runs `implementation` over the cases of `plan`; `known` is its baseline (empty when it has
/// none), whose quirks are searched first when explaining its divergences. An `Err` is a
/// harness failure (the generator, an unknown `--case`), never a verdict.
pub fn run_row(
    implementation: &mut dyn Implementation,
    driver: Driver,
    corpus: Option<&Corpus>,
    plan: &Plan,
    known: &Baseline,
) -> Result<Row, Error> {
    let fingerprint = baseline::fingerprint(known);
    let unexplained: BTreeSet<&str> = known.unexplained.iter().map(String::as_str).collect();
    let started = Instant::now();
    let info = implementation.info().clone();
    let mut lap = Instant::now();
    let mut timings = Timings::default();
    let mut split = |slot: &mut f64| {
        *slot = lap.elapsed().as_secs_f64();
        lap = Instant::now();
    };
    let cases = planned_cases(&info, corpus, plan)?;
    split(&mut timings.generating);
    let judged = run_cases(implementation, &cases);
    let mut faults = implementation.take_fault_events();
    split(&mut timings.answering);
    // The traces of the sign cases the row passed: its evidence against a quirk (row_evidence).
    let mut passing = Vec::with_capacity(cases.len());
    let mut results: Vec<CaseResult> = cases
        .iter()
        .zip(judged)
        .map(|(planned, judged)| {
            let search = if plan.bootstrap || !unexplained.contains(planned.case.id.as_str()) {
                Search::Blind
            } else {
                Search::FingerprintOnly
            };
            let explanation = explain(
                &planned.case,
                &judged.verdict,
                judged.trace.as_ref(),
                &info.capabilities,
                &fingerprint,
                search,
            );
            passing.push((judged.verdict.outcome == OutcomeKind::Pass).then(|| judged.trace.clone()).flatten());
            CaseResult::new(&info.name, planned, judged.verdict, judged.trace, explanation)
        })
        .collect();
    let ruled_out = ruled_out(&cases, &passing, &info.capabilities);
    // Ties among single quirks that sign a case alike, broken with the row's evidence.
    let name_ties = |results: &mut [CaseResult]| {
        record_ties(&cases, results, &info.capabilities);
        break_ties(results, &ruled_out);
    };
    if plan.bootstrap {
        explain_with_the_runs_own_quirks(&cases, &mut results, &info, &fingerprint);
        settle_on_the_written_baseline(&cases, &mut results, &info, known, name_ties);
    } else {
        name_ties(&mut results);
    }
    split(&mut timings.attributing);
    let counterexamples = shrink_representatives(implementation, &info, &cases, &mut results, plan.shrink_budget)?;
    faults.extend(implementation.take_fault_events());
    split(&mut timings.shrinking);
    Ok(Row {
        info,
        driver,
        results,
        counterexamples,
        seconds: started.elapsed().as_secs_f64(),
        timings,
        faults,
        ruled_out,
    })
}

/// Explains the divergent signatures still unexplained with `fingerprint` and then every other
/// quirk the row's results show, the most shown first.
fn explain_with_the_runs_own_quirks(
    cases: &[PlannedCase],
    results: &mut [CaseResult],
    info: &ImplementationInfo,
    fingerprint: &[Quirk],
) {
    let mut shown: std::collections::BTreeMap<Quirk, usize> = std::collections::BTreeMap::new();
    for quirk in results.iter().flat_map(|r| r.quirks.iter().flatten().copied()) {
        *shown.entry(quirk).or_default() += 1;
    }
    let mut own: Vec<Quirk> = shown.keys().copied().filter(|q| !fingerprint.contains(q)).collect();
    own.sort_by_key(|q| std::cmp::Reverse(shown.get(q).copied().unwrap_or_default()));
    let widened: Vec<Quirk> = fingerprint.iter().copied().chain(own).collect();
    if widened.len() == fingerprint.len() {
        return;
    }
    for (planned, result) in cases.iter().zip(results.iter_mut()) {
        if result.is_explained() || result.trace.is_none() {
            continue;
        }
        if let Explanation::Quirks(quirks) = explain(
            &planned.case,
            &signed_verdict(result),
            result.trace.as_ref(),
            &info.capabilities,
            &widened,
            Search::Blind,
        ) {
            result.explain_as(Explanation::Quirks(quirks));
        }
    }
}

/// The verdict a signed result was judged with, as far as explaining its signature needs it
/// (the outcome and the differing fields; a rejection's reason only matters to behavioural
/// rules, which never apply to a signature that differs).
fn signed_verdict(result: &CaseResult) -> crate::judge::Verdict {
    crate::judge::Verdict {
        outcome: result.outcome,
        diffs: result.diffs.clone(),
        message: None,
        failure: None,
        reason: None,
    }
}

/// Rounds of [`settle_on_the_written_baseline`] before it gives up on a fixed point.
const SETTLE_ROUNDS: usize = 4;

/// An update's widened search may name a case after a quirk that the next normal run, searching
/// the fingerprint the new baseline records, names otherwise (an equal-size set that signs it
/// alike): that quirk would then "vanish" and fail the run that just wrote it. So the signed
/// divergences are explained again exactly as a normal run under the baseline they give
/// explains them (its fingerprint; fingerprint only for the cases it records as unexplained;
/// ties named by `name_ties`), until that baseline stops changing.
fn settle_on_the_written_baseline(
    cases: &[PlannedCase],
    results: &mut [CaseResult],
    info: &ImplementationInfo,
    previous: &Baseline,
    name_ties: impl Fn(&mut [CaseResult]),
) {
    name_ties(results);
    let mut written = baseline::updated(previous, results, true).ok();
    for _ in 0..SETTLE_ROUNDS {
        let Some(next) = written.as_ref() else { return };
        let fingerprint = baseline::fingerprint(next);
        let unexplained: BTreeSet<&str> = next.unexplained.iter().map(String::as_str).collect();
        for (planned, result) in cases.iter().zip(results.iter_mut()) {
            if !result.is_divergence() || result.trace.is_none() || result.behaviour.is_some() {
                continue;
            }
            let search =
                if unexplained.contains(result.case.as_str()) { Search::FingerprintOnly } else { Search::Blind };
            let explanation = explain(
                &planned.case,
                &signed_verdict(result),
                result.trace.as_ref(),
                &info.capabilities,
                &fingerprint,
                search,
            );
            result.explain_as(explanation);
        }
        name_ties(results);
        let again = baseline::updated(previous, results, true).ok();
        if again == written {
            return;
        }
        written = again;
    }
}

/// A kind of generated divergence: the first field that differs and what explains it.
type DivergenceKind = (Option<Field>, Option<Vec<Quirk>>, Option<Quirk>);

/// Groups the generated divergences by kind; every one but each kind's first points at it
/// (`same_as`), and the representatives are shrunk in the order a reader needs them
/// (unexplained kinds, then fewer quirks, then case order) until `budget` candidates are
/// spent. Returns the representatives as cases (the shrunk one where shrinking found it).
fn shrink_representatives(
    implementation: &mut dyn Implementation,
    info: &ImplementationInfo,
    cases: &[PlannedCase],
    results: &mut [CaseResult],
    budget: u32,
) -> Result<Vec<PlannedCase>, Error> {
    let mut representatives: Vec<(usize, DivergenceKind)> = Vec::new();
    for (index, (planned, result)) in cases.iter().zip(results.iter_mut()).enumerate() {
        if planned.seed.is_none() || !result.is_divergence() {
            continue;
        }
        let kind: DivergenceKind = (result.diffs.first().map(|d| d.field), result.quirks.clone(), result.behaviour);
        match representatives.iter().find(|(_, k)| *k == kind) {
            Some((first, _)) => {
                result.same_as = Some(cases[*first].case.id.clone());
                // The representative shows the values; this case keeps which fields differ.
                result.diffs = result.diffs.iter().map(crate::judge::Diff::without_values).collect();
            }
            None => representatives.push((index, kind)),
        }
    }
    representatives.sort_by_key(|(index, (_, quirks, behaviour))| {
        let explained = quirks.is_some() || behaviour.is_some();
        (explained, quirks.as_ref().map_or(0, Vec::len), *index)
    });
    let mut budget = budget;
    let mut counterexamples = Vec::new();
    for (index, (first, _, _)) in representatives {
        let planned = &cases[index];
        let result = &mut results[index];
        let (Some(first), Some((kind, seed)), true) = (first, GeneratedKind::parse_id(&planned.case.id), budget > 0)
        else {
            result.shrunk = Some(ShrunkExample { steps: 0, budget_spent: budget == 0, input: None, diff: None });
            counterexamples.push(planned.clone());
            continue;
        };
        let (shrunk, iterations) = shrink(implementation, &info.capabilities, (kind, seed), first, budget)?;
        budget = budget.saturating_sub(iterations.max(1));
        match shrunk {
            Some(shrunk) => {
                result.shrunk = Some(ShrunkExample {
                    steps: shrunk.steps,
                    budget_spent: false,
                    input: Some(case_inputs(&shrunk.case, shrunk.trace.as_ref())),
                    diff: shrunk.verdict.diffs.into_iter().next(),
                });
                counterexamples.push(shrunk.case);
            }
            None => {
                result.shrunk = Some(ShrunkExample { steps: 0, budget_spent: false, input: None, diff: None });
                counterexamples.push(planned.clone());
            }
        }
    }
    Ok(counterexamples)
}

/// A case's inputs as JSON (what a report shows of a shrunk case): the request, and the
/// protocol parameters and secrets of a sign case (generated test data, never a user's), with
/// the `oauth_nonce` and `oauth_timestamp` an implementation that chooses its own sent, so the
/// case can be rebuilt and signed again without the row (`dossier --record-examples`).
fn case_inputs(case: &PlannedCase, trace: Option<&crate::trace::Trace>) -> serde_json::Value {
    match &case.case.body {
        oauth1_vectors::CaseBody::Sign(sign) => {
            // Every generated RSA case signs with the generator's one test key: named, not copied.
            let secrets = serde_json::json!({
                "consumer_secret": sign.secrets.consumer_secret,
                "token_secret": sign.secrets.token_secret,
                "rsa_private_key": sign.secrets.rsa_private_key_pem.as_ref().map(|_| "generator"),
            });
            let mut inputs = serde_json::json!({"request": sign.request, "oauth": sign.oauth, "secrets": secrets});
            if let Some(trace) = trace.filter(|t| t.emitted_nonce.is_some() || t.emitted_timestamp.is_some()) {
                inputs["emitted"] =
                    serde_json::json!({"nonce": trace.emitted_nonce, "timestamp": trace.emitted_timestamp});
            }
            inputs
        }
        oauth1_vectors::CaseBody::Verify(verify) => serde_json::json!({"request": verify.request, "now": verify.now}),
        oauth1_vectors::CaseBody::ParseHeader(parse) => serde_json::json!({"header": parse.header}),
    }
}
