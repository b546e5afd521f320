//! The smallest input that shows a finding, and its stages recomputed: the reference for what
//! RFC 5849 gives, the quirk pipeline (with the quirk set the row's baseline records for that
//! case) for what the library gives.

use oauth1_vectors::{Case, CaseBody};

use super::examples::{self, Example, EXAMPLES_PATH};
use super::{FindingKind, MissingEvidence, Sources};
use crate::baseline::Baseline;
use crate::implementation::{InProcess, Outcome, SignInput, VerifyInput};
use crate::judge::expected_stage;
use crate::quirks::{sign_with_quirks, Quirk, QuirkSet};
use crate::reference_impl::Reference;
use crate::trace::{Stage, Trace};

/// One stage that differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageRow {
    /// The stage.
    pub stage: Stage,
    /// The value the vector publishes for it, when it publishes one.
    pub published: Option<String>,
    /// What RFC 5849 gives (the reference).
    pub expected: String,
    /// What the library gives (the quirk pipeline that reproduces it).
    pub actual: String,
}

/// What shows a finding.
#[derive(Debug, Clone)]
pub struct Evidence {
    /// The corpus case that shows it, or the recorded smallest generated one ([`Self::example`]);
    /// `None` for a crash or a verifier finding only generated cases showed.
    pub case: Option<Case>,
    /// The vector file of [`Self::case`].
    pub file: String,
    /// The quirk set whose pipeline is the library on this case.
    pub quirks: Vec<Quirk>,
    /// The stages that differ, in pipeline order (sign findings).
    pub stages: Vec<StageRow>,
    /// What RFC 5849 says the verifier answers, and what the library answered (crashes and
    /// verifier findings).
    pub verdict: Option<(String, String)>,
    /// How many cases of the row show the finding, and a few generated ones among them.
    pub shown_on: usize,
    /// Generated cases of the row that show it (replayable with `--case`), at most three.
    pub generated: Vec<String>,
    /// When only generated cases showed it: the recorded smallest of them, which
    /// [`Self::case`] then is.
    pub example: Option<Example>,
}

fn sign_input(case: &Case) -> Option<SignInput<'_>> {
    match &case.body {
        CaseBody::Sign(sign) => Some(SignInput { request: &sign.request, oauth: &sign.oauth, secrets: &sign.secrets }),
        _ => None,
    }
}

/// How big a case's request is: what "smallest" sorts by.
fn size(case: &Case) -> usize {
    match &case.body {
        CaseBody::Sign(sign) => {
            sign.request.url.len()
                + sign.request.body.as_ref().map_or(0, String::len)
                + sign.oauth.extra.iter().map(|(n, v)| n.len() + v.len()).sum::<usize>()
        }
        CaseBody::Verify(verify) => {
            verify.request.url.len()
                + verify.request.body.as_ref().map_or(0, String::len)
                + verify.request.headers.iter().map(|(n, v)| n.len() + v.len()).sum::<usize>()
        }
        CaseBody::ParseHeader(parse) => parse.header.len(),
    }
}

/// The stages on which `actual` differs from the reference's `expected`.
fn differing(case: &Case, expected: &Trace, actual: &Trace) -> Vec<StageRow> {
    let CaseBody::Sign(sign) = &case.body else { return Vec::new() };
    stage_rows(expected, actual, |stage| expected_stage(&sign.expected, stage).map(str::to_owned))
}

/// The stages on which `actual` differs from `expected`, each with the value `published` gives
/// for it.
pub(super) fn stage_rows(
    expected: &Trace,
    actual: &Trace,
    published: impl Fn(Stage) -> Option<String>,
) -> Vec<StageRow> {
    Stage::ALL
        .into_iter()
        .filter_map(|stage| {
            let (want, got) = (expected.stage(stage)?, actual.stage(stage)?);
            (want != got).then(|| StageRow {
                stage,
                published: published(stage),
                expected: want.to_owned(),
                actual: got.to_owned(),
            })
        })
        .collect()
}

fn generated_of(cases: &[String]) -> Vec<String> {
    cases.iter().filter(|c| c.starts_with("generated:")).take(3).cloned().collect()
}

/// The evidence of `quirk` (a finding of `kind`) in `baseline`, the baseline of `row`.
pub(super) fn evidence(
    sources: &Sources,
    baseline: &Baseline,
    row: &str,
    quirk: Quirk,
    kind: FindingKind,
) -> Result<Evidence, MissingEvidence> {
    match kind {
        FindingKind::Deviation => match corpus_evidence(sources, baseline, quirk) {
            Some(evidence) => Ok(evidence),
            None => generated_evidence(sources, baseline, row, quirk),
        },
        FindingKind::Crash | FindingKind::VerifierAcceptsInvalid => assigned(sources, baseline, quirk, kind),
    }
}

/// The smallest corpus case the baseline lists under `quirk` whose divergence the fewest quirks
/// explain (`None`: only generated cases showed it).
pub(super) fn corpus_evidence(sources: &Sources, baseline: &Baseline, quirk: Quirk) -> Option<Evidence> {
    let cases = baseline.quirks.get(quirk.id()).map_or(&[][..], Vec::as_slice);
    let mut best: Option<(usize, usize, Evidence)> = None;
    for id in cases.iter().filter(|c| !c.starts_with("generated:")) {
        let Some((file, case)) = sources.corpus.find_case(id) else { continue };
        let Some(input) = sign_input(case) else { continue };
        // The baseline lists a case under every quirk of the set that explained it.
        let set: Vec<Quirk> = baseline
            .quirks
            .iter()
            .filter(|(_, listed)| listed.contains(id))
            .filter_map(|(q, _)| Quirk::from_id(q))
            .collect();
        if !set.iter().all(|q| q.is_switchable()) {
            continue;
        }
        let Some(stages) = stages_of(&input, case, &set) else { continue };
        if stages.is_empty() {
            continue;
        }
        let key = (set.len(), size(case));
        if best.as_ref().is_some_and(|(n, s, _)| (*n, *s) <= key) {
            continue;
        }
        let evidence = Evidence {
            case: Some(case.clone()),
            file: sources.vector_path(&file.path),
            quirks: set,
            stages,
            verdict: None,
            shown_on: cases.len(),
            generated: generated_of(cases),
            example: None,
        };
        best = Some((key.0, key.1, evidence));
    }
    best.map(|(_, _, evidence)| evidence)
}

/// Only generated cases showed `quirk`: the smallest of them recorded in the examples file,
/// checked against the baseline and the pipeline (a missing or stale entry is an error).
fn generated_evidence(
    sources: &Sources,
    baseline: &Baseline,
    row: &str,
    quirk: Quirk,
) -> Result<Evidence, MissingEvidence> {
    let cases = baseline.quirks.get(quirk.id()).map_or(&[][..], Vec::as_slice);
    let example = sources.example(&format!("{row}/{quirk}")).ok_or(MissingEvidence::NoExample)?;
    let (expected, actual) =
        examples::check(example, quirk).map_err(|source| MissingEvidence::StaleExample { source })?;
    let case = example.to_case().map_err(|source| MissingEvidence::StaleExample { source })?;
    let stages = differing(&case, &expected, &actual);
    Ok(Evidence {
        case: Some(case),
        file: EXAMPLES_PATH.to_owned(),
        quirks: example.quirk_set().map_err(|source| MissingEvidence::StaleExample { source })?,
        stages,
        verdict: None,
        shown_on: cases.len(),
        generated: generated_of(cases),
        example: Some(example.clone()),
    })
}

fn stages_of(input: &SignInput<'_>, case: &Case, set: &[Quirk]) -> Option<Vec<StageRow>> {
    let Outcome::Answer(expected) = Reference::default().sign(input) else { return None };
    let actual = sign_with_quirks(input, &QuirkSet::of(set)).ok()?;
    Some(differing(case, &expected, &actual))
}

/// What the reference answers to `case`, in words.
fn reference_answer(case: &Case) -> String {
    let mut reference = Reference::default();
    match &case.body {
        CaseBody::Verify(verify) => {
            match reference.verify(&VerifyInput { request: &verify.request, secrets: &verify.secrets, now: verify.now })
            {
                Outcome::Answer(()) => "accepted".to_owned(),
                Outcome::Rejected { reason, .. } => format!("rejected: {}", reason.as_deref().unwrap_or("refused")),
                other => format!("no verdict ({other:?})"),
            }
        }
        CaseBody::Sign(_) => match sign_input(case).map(|input| reference.sign(&input)) {
            Some(Outcome::Answer(trace)) => {
                format!("signed: oauth_signature={}", trace.signature.unwrap_or_default())
            }
            other => format!("no signature ({other:?})"),
        },
        CaseBody::ParseHeader(parse) => match reference.parse_header(&parse.header) {
            Outcome::Answer(params) => format!("parsed: {} parameter(s)", params.len()),
            Outcome::Rejected { reason, .. } => format!("rejected: {}", reason.as_deref().unwrap_or("refused")),
            other => format!("no answer ({other:?})"),
        },
    }
}

fn assigned(
    sources: &Sources,
    baseline: &Baseline,
    quirk: Quirk,
    kind: FindingKind,
) -> Result<Evidence, MissingEvidence> {
    // A crash or an accepting verifier is named by rule (under `quirks`) or by hand (under
    // `assigned`): the evidence is every case of both.
    let cases: Vec<String> = baseline
        .assigned
        .get(quirk.id())
        .into_iter()
        .chain(baseline.quirks.get(quirk.id()))
        .flatten()
        .cloned()
        .collect();
    let smallest = cases
        .iter()
        .filter_map(|id| sources.corpus.find_case(id))
        .min_by_key(|(_, case)| (size(case), case.id.clone()));
    let actual = match kind {
        FindingKind::Crash => "crashed: no answer (a panic, or an exception outside the library's error type)",
        _ => "accepted",
    };
    Ok(Evidence {
        case: smallest.map(|(_, case)| case.clone()),
        file: smallest.map(|(file, _)| sources.vector_path(&file.path)).unwrap_or_default(),
        quirks: vec![quirk],
        stages: Vec::new(),
        verdict: smallest.map(|(_, case)| (reference_answer(case), actual.to_owned())),
        shown_on: cases.len(),
        generated: generated_of(&cases),
        example: None,
    })
}
