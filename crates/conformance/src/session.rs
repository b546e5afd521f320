//! One `oauth1-conformance run`: every implementation over the corpus and the generated
//! cases, attributed, and checked against the baselines. The CLI only parses arguments and
//! renders what this returns.

use std::collections::BTreeMap;

use serde::Serialize;

use oauth1_vectors::Corpus;

use crate::baseline::{self, BaselineCheck};
use crate::generate::GeneratedInput;
use crate::generate::{run_generated, GeneratedCase, Shrink};
use crate::implementation::{Capabilities, Implementation, ImplementationInfo, Outcome, SignInput};
use crate::judge::OutcomeKind;
use crate::quirks::{attribute_within, Attribution, Quirk};
use crate::runner::{job_for_sign, judged_oauth, run_corpus, sign_rejection_quirk, CaseResult};
use oauth1_vectors::CaseBody;

/// How a row of the matrix is driven, for the replay command.
#[derive(Debug, Clone, Serialize)]
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
            Self::InProcess => format!("--impl {name}"),
            Self::Adapter { command } => format!("--adapter {}", shell_quote(&format!("{name}={command}"))),
        }
    }

    /// The command that replays generated case `seed` alone on row `name`.
    #[must_use]
    pub fn replay_generated(&self, name: &str, seed: u64) -> String {
        format!("oauth1-conformance run {} --generated 1 --seed {seed}", self.arguments(name))
    }
}

/// The case id of the generated case with seed `seed`.
#[must_use]
pub fn generated_case_id(seed: u64) -> String {
    format!("generated:{seed}")
}

/// The seed of a generated case, from its id ([`generated_case_id`]); `None` for a vector case.
#[must_use]
pub fn generated_case_seed(case_id: &str) -> Option<u64> {
    case_id.strip_prefix("generated:")?.parse().ok()
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
    /// Generated cases per implementation.
    pub generated: u64,
    /// The run seed.
    pub seed: u64,
    /// Shrinking steps each row may spend on its divergence kinds
    /// ([`crate::generate::DEFAULT_SHRINK_BUDGET`]).
    pub shrink_budget: u32,
}

/// One implementation's share of the run.
#[derive(Debug)]
pub struct Row {
    /// Its declared identity.
    pub info: ImplementationInfo,
    /// How it is driven.
    pub driver: Driver,
    /// Its results, vectors first, then generated cases.
    pub results: Vec<CaseResult>,
    /// The shrunk generated divergences (for `--save-counterexamples`).
    pub counterexamples: Vec<GeneratedCase>,
    /// Wall time spent on this row, seconds.
    pub seconds: f64,
}

/// Runs `implementation` over `corpus` and `plan.generated` generated cases.
pub fn run_row(
    implementation: &mut dyn Implementation,
    driver: Driver,
    corpus: Option<&Corpus>,
    plan: &Plan,
) -> Result<Row, String> {
    let started = std::time::Instant::now();
    let info = implementation.info().clone();
    let mut results = corpus.map(|c| run_corpus(c, implementation)).unwrap_or_default();
    let mut counterexamples = Vec::new();
    let mut generated_inputs = Vec::new();
    if plan.generated > 0 && info.capabilities.operations.contains(&crate::implementation::Operation::Sign) {
        for case in run_generated(implementation, plan.generated, plan.seed, plan.shrink_budget)? {
            let outcome = match (&case.answer, case.diffs.is_empty()) {
                (Outcome::Error(_), _) => OutcomeKind::Error,
                (_, true) => OutcomeKind::Pass,
                (_, false) => OutcomeKind::Fail,
            };
            let quirks = if outcome == OutcomeKind::Fail { case.quirks.clone() } else { None };
            let replay = driver.replay_generated(&info.name, case.seed);
            let message = match (&case.answer, outcome) {
                (_, OutcomeKind::Pass) => None,
                (Outcome::Error(e), _) => Some(format!("{e}\nreplay: {replay}")),
                _ => Some(representative_message(&case, &replay)),
            };
            if outcome != OutcomeKind::Pass && case.same_as.is_none() {
                counterexamples.push(case.clone());
            }
            let behaviour = match (outcome, case.diffs.first()) {
                (OutcomeKind::Fail, Some(d)) if d.field == "outcome" => {
                    Some(sign_rejection_quirk(&case.input.request, &d.actual).id().to_owned())
                }
                (OutcomeKind::Error, _) => Some(
                    sign_rejection_quirk(&case.input.request, message.as_deref().unwrap_or_default()).id().to_owned(),
                ),
                _ => None,
            };
            results.push(CaseResult {
                case: generated_case_id(case.seed),
                implementation: info.name.clone(),
                outcome,
                kind: "sign",
                file: "generated".into(),
                flags: Vec::new(),
                diffs: case.diffs,
                behaviour,
                message,
                quirks,
                actual: match &case.answer {
                    Outcome::Answer(trace) if outcome == OutcomeKind::Fail => Some(trace.clone()),
                    _ => None,
                },
            });
            generated_inputs.push(case.input);
        }
    }
    attribute_by_fingerprint(&mut results, corpus, &generated_inputs, &info.capabilities);
    Ok(Row { info, driver, results, counterexamples, seconds: started.elapsed().as_secs_f64() })
}

/// What a divergent generated case says of its kind's representative, and how to replay it.
fn representative_message(case: &GeneratedCase, replay: &str) -> String {
    let input = || {
        serde_json::to_string(&serde_json::json!({"request": case.input.request, "oauth": case.input.oauth}))
            .unwrap_or_default()
    };
    match (case.same_as, case.shrink) {
        (Some(representative), _) => {
            format!("same first difference and quirks as generated:{representative}\nreplay: {replay}")
        }
        (None, Some(Shrink::Shrunk { steps })) => format!("shrunk in {steps} steps to: {}\nreplay: {replay}", input()),
        (None, _) => format!(
            "not shrunk (the row's shrink budget went to kinds listed first; replaying this case alone shrinks it): {}\nreplay: {replay}",
            input()
        ),
    }
}

/// Second attribution pass: the quirks this row showed on its own (its fingerprint) are
/// combined freely on the divergences the blind search of three left unexplained.
fn attribute_by_fingerprint(
    results: &mut [CaseResult],
    corpus: Option<&Corpus>,
    generated: &[GeneratedInput],
    capabilities: &Capabilities,
) {
    let mut shown: BTreeMap<Quirk, usize> = BTreeMap::new();
    for quirk in results.iter().filter_map(|r| r.quirks.as_ref()).flatten().filter_map(|id| Quirk::from_id(id)) {
        *shown.entry(quirk).or_default() += 1;
    }
    // The quirks the row showed most often first: the search keeps at most
    // `MAX_FINGERPRINT` of those a case makes relevant, and drops the last ones.
    let mut fingerprint: Vec<Quirk> = shown.keys().copied().collect();
    fingerprint.sort_by_key(|quirk| std::cmp::Reverse(shown.get(quirk).copied().unwrap_or_default()));
    if fingerprint.is_empty() {
        return;
    }
    let mut generated = generated.iter();
    for result in results.iter_mut() {
        let input_of_generated = if result.file == "generated" { generated.next() } else { None };
        if result.quirks.is_some() {
            continue;
        }
        let Some(actual) = &result.actual else { continue };
        let input = match (input_of_generated, corpus.and_then(|c| c.find_case(&result.case))) {
            (Some(input), _) => input.as_input(),
            (None, Some((_, case))) => match &case.body {
                CaseBody::Sign(sign) => job_for_sign(sign),
                _ => continue,
            },
            (None, None) => continue,
        };
        let oauth = judged_oauth(capabilities, input.oauth, actual);
        let input = SignInput { oauth: &oauth, ..input };
        if let Attribution::Explained(set) = attribute_within(&input, actual, &fingerprint) {
            if !set.quirks().is_empty() {
                result.quirks = Some(set.quirks().iter().map(|q| q.id().to_owned()).collect());
            }
        }
    }
}

/// A row's verdict against its baseline.
#[derive(Debug, Clone, Serialize)]
pub struct RowVerdict {
    /// The implementation.
    pub implementation: String,
    /// The baseline comparison, when baselines were given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineCheck>,
    /// Whether the row is conformant (up to its baseline).
    pub conformant: bool,
}

/// Judges a row: with a baseline, conformant when the baseline check is clean; without one,
/// when nothing failed or errored.
#[must_use]
pub fn row_verdict(row: &Row, baseline: Option<&baseline::Baseline>) -> RowVerdict {
    let check = baseline.map(|b| baseline::check(b, &row.results));
    let conformant = match &check {
        Some(check) => check.clean(),
        None => !row.results.iter().any(baseline::is_divergence),
    };
    RowVerdict { implementation: row.info.name.clone(), baseline: check, conformant }
}
