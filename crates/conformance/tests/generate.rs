//! The request generator, divergence detection and shrinking.

use oauth1_conformance::generate::{case_seed, run_generated, Shrink, DEFAULT_SHRINK_BUDGET};
use oauth1_conformance::implementation::{
    HeaderParams, ImplementationInfo, InProcess, Outcome, SignInput, VerifyInput,
};
use oauth1_conformance::quirks::{sign_with_quirks, Quirk, QuirkSet};
use oauth1_conformance::reference_impl::Reference;
use oauth1_conformance::trace::Trace;

/// An implementation that is the reference with planted quirks.
struct Planted {
    info: ImplementationInfo,
    quirks: QuirkSet,
}

impl Planted {
    fn new(quirks: &[Quirk]) -> Self {
        let mut info = InProcess::info(&Reference::default()).clone();
        info.name = "planted".into();
        Self { info, quirks: QuirkSet::of(quirks) }
    }
}

impl InProcess for Planted {
    fn info(&self) -> &ImplementationInfo {
        &self.info
    }
    fn sign(&mut self, input: &SignInput<'_>) -> Outcome<Trace> {
        match sign_with_quirks(input, &self.quirks) {
            Ok(trace) => Outcome::Answer(trace),
            Err(message) => Outcome::Rejected { reason: None, message },
        }
    }
    fn parse_header(&mut self, _: &str) -> Outcome<HeaderParams> {
        Outcome::Error("not used".into())
    }
    fn verify(&mut self, _: &VerifyInput<'_>) -> Outcome<()> {
        Outcome::Error("not used".into())
    }
}

/// The reference signs every generated request and agrees with itself: the generator only
/// produces requests RFC 5849 defines, and comparison has no false positives.
#[test]
fn the_reference_agrees_with_itself_on_generated_requests() {
    let results = run_generated(&mut Reference::default(), 500, 7, DEFAULT_SHRINK_BUDGET).unwrap();
    assert_eq!(results.len(), 500);
    for case in &results {
        assert!(case.diffs.is_empty(), "seed {}: {:?}\n{:?}", case.seed, case.diffs, case.input);
        assert!(matches!(case.answer, Outcome::Answer(_)), "seed {}: {:?}", case.seed, case.answer);
    }
}

/// A planted quirk is found, shrunk, and replayable from the printed case seed.
#[test]
fn a_planted_quirk_is_found_shrunk_and_replayable() {
    let mut planted = Planted::new(&[Quirk::PlusNotDecoded]);
    let results = run_generated(&mut planted, 300, 11, DEFAULT_SHRINK_BUDGET).unwrap();
    let divergent: Vec<_> = results.iter().filter(|c| !c.diffs.is_empty()).collect();
    assert!(!divergent.is_empty(), "no generated case has a `+` in its query or body");
    for case in &divergent {
        assert_eq!(case.diffs[0].field, "normalized_parameters", "{:?}", case.diffs);
        // Shrinking keeps a `+` (the only thing that shows this quirk) and drops most else.
        let request = &case.input.request;
        let plus_in_query = request.url.contains('+');
        let plus_in_body = request.body.as_deref().is_some_and(|b| b.contains('+'));
        assert!(plus_in_query || plus_in_body, "{request:?}");
        assert_eq!(
            case.quirks.as_deref(),
            Some(&["plus-not-decoded".to_owned()][..]),
            "attributed to the planted quirk"
        );
    }
    // One divergence of this kind is shrunk; the others point at it.
    let shrunk: Vec<_> = divergent.iter().filter(|c| c.same_as.is_none()).collect();
    assert_eq!(shrunk.len(), 1, "one representative per kind");
    assert!(shrunk[0].input.request.url.len() < 80, "not shrunk: {}", shrunk[0].input.request.url);
    assert!(divergent.iter().all(|c| c.same_as.is_none() || c.same_as == Some(shrunk[0].seed)));
    // Replaying the representative by its own seed regenerates and shrinks the same case.
    let first = shrunk[0];
    let replay = run_generated(&mut planted, 1, first.seed, DEFAULT_SHRINK_BUDGET).unwrap();
    assert_eq!(replay[0].seed, first.seed);
    assert_eq!(replay[0].input, first.input, "replay must shrink to the same minimal case");
    assert_eq!(case_seed(first.seed, 0), first.seed);
}

/// The shrink budget bounds the round trips spent shrinking, and a representative it did not
/// reach keeps its generated input and says so.
#[test]
fn the_shrink_budget_bounds_shrinking_and_says_so() {
    let generated = run_generated(&mut Reference::default(), 300, 11, 0).unwrap();
    let mut planted = Planted::new(&[Quirk::PlusNotDecoded]);
    let unshrunk = run_generated(&mut planted, 300, 11, 0).unwrap();
    let representative = unshrunk.iter().find(|c| !c.diffs.is_empty() && c.same_as.is_none()).unwrap();
    assert_eq!(representative.shrink, Some(Shrink::BudgetSpent));
    let original = generated.iter().find(|c| c.seed == representative.seed).unwrap();
    assert_eq!(representative.input, original.input, "an unshrunk representative keeps its generated input");
    let few = run_generated(&mut planted, 300, 11, 3).unwrap();
    let representative = few.iter().find(|c| !c.diffs.is_empty() && c.same_as.is_none()).unwrap();
    assert!(
        matches!(representative.shrink, Some(Shrink::Shrunk { steps }) if steps <= 3),
        "{:?}",
        representative.shrink
    );
    assert_ne!(representative.input, original.input, "three steps shrink something");
}

#[test]
fn runs_are_deterministic_for_a_seed() {
    let a = run_generated(&mut Reference::default(), 50, 3, DEFAULT_SHRINK_BUDGET).unwrap();
    let b = run_generated(&mut Reference::default(), 50, 3, DEFAULT_SHRINK_BUDGET).unwrap();
    let inputs =
        |r: &[oauth1_conformance::generate::GeneratedCase]| r.iter().map(|c| c.input.clone()).collect::<Vec<_>>();
    assert_eq!(inputs(&a), inputs(&b));
    let c = run_generated(&mut Reference::default(), 50, 4, DEFAULT_SHRINK_BUDGET).unwrap();
    assert_ne!(inputs(&a), inputs(&c));
}
