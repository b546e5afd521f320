//! The generator, through the one path every case takes: generated cases are judged like
//! vector cases, divergences are shrunk, and every case replays alone by its id.

use oauth1_conformance::baseline::Baseline;
use oauth1_conformance::case::{CaseSource, GeneratedKind, Shard};
use oauth1_conformance::generate::{self, shrink::DEFAULT_SHRINK_BUDGET};
use oauth1_conformance::implementation::{Implementation, InProcess, Operation};
use oauth1_conformance::judge::{Field, OutcomeKind};
use oauth1_conformance::quirks::Quirk;
use oauth1_conformance::reference_impl::{QuirkedReference, Reference};
use oauth1_conformance::result::CaseResult;
use oauth1_conformance::session::{run_row, Driver, Plan};
use oauth1_conformance::trace::Stage;
use oauth1_vectors::CaseBody;

fn plan(generated: u64, seed: u64, shrink_budget: u32) -> Plan {
    Plan { generated, seed, shrink_budget, ..Plan::default() }
}

fn generated(implementation: &mut dyn Implementation, plan: &Plan) -> Vec<CaseResult> {
    let row = run_row(implementation, Driver::InProcess, None, plan, &Baseline::default()).unwrap();
    assert!(row.results.iter().all(|r| r.source == CaseSource::Generated));
    row.results
}

/// The reference agrees with itself on every generated case, to sign and to verify: the
/// generator only produces requests RFC 5849 defines, the expected verdict of every mutation
/// is the reference verifier's, and judging has no false positives.
#[test]
fn the_reference_agrees_with_itself_on_generated_cases() {
    let results = generated(&mut Reference::default(), &plan(800, 7, DEFAULT_SHRINK_BUDGET));
    assert_eq!(results.len(), 800, "400 to sign and 400 to verify");
    for result in &results {
        assert_eq!(result.outcome, OutcomeKind::Pass, "{result:#?}");
    }
    let verify = results.iter().filter(|r| r.case.starts_with("generated-verify:")).count();
    assert_eq!(verify, 400);
}

/// Generated verify cases cover every location and mutation, and about a third arrive intact.
#[test]
fn generated_verify_cases_cover_locations_and_mutations() {
    let capabilities = InProcess::info(&Reference::default()).capabilities.clone();
    let cases = generate::plan(&capabilities, 1200, 5, Shard::WHOLE).unwrap();
    let verify: Vec<_> = cases.iter().filter(|c| matches!(c.case.body, CaseBody::Verify(_))).collect();
    assert_eq!(verify.len(), 600);
    let intact = verify.iter().filter(|c| c.case.result == oauth1_vectors::Expectation::Valid).count();
    assert!((100..350).contains(&intact), "{intact} intact of 600");
    for needle in
        ["in the header", "in the query", "in the body", "changed-method", "stale-timestamp", "flipped-signature-bit"]
    {
        assert!(
            verify.iter().any(|c| c.case.description.contains(needle) || c.case.provenance.contains(needle)),
            "no generated verify case with {needle}"
        );
    }
}

/// A planted quirk is found, attributed to itself, shrunk once per kind, and the shrunk case
/// replays alone by its id.
#[test]
fn a_planted_quirk_is_found_attributed_shrunk_and_replayable() {
    let mut planted = QuirkedReference::new(&[Quirk::PlusNotDecoded]);
    let results = generated(&mut planted, &plan(300, 11, DEFAULT_SHRINK_BUDGET));
    let divergent: Vec<&CaseResult> = results.iter().filter(|r| r.is_divergence()).collect();
    assert!(!divergent.is_empty(), "no generated case has a `+` in its query or body");
    for result in &divergent {
        assert_eq!(result.diffs[0].field, Field::Stage(Stage::NormalizedParameters), "{:?}", result.diffs);
        assert_eq!(result.quirks.as_deref(), Some(&[Quirk::PlusNotDecoded][..]), "attributed to the planted quirk");
    }
    let representatives: Vec<&&CaseResult> = divergent.iter().filter(|r| r.same_as.is_none()).collect();
    assert_eq!(representatives.len(), 1, "one representative per kind");
    let shrunk = representatives[0].shrunk.as_ref().expect("the representative is shrunk");
    assert!(shrunk.steps > 0);
    let request = shrunk.input.as_ref().and_then(|i| i.get("request")).expect("the shrunk request");
    let url = request.get("url").and_then(|u| u.as_str()).unwrap();
    let body = request.get("body").and_then(|b| b.as_str()).unwrap_or_default();
    assert!(url.contains('+') || body.contains('+'), "shrinking keeps the `+`: {request}");
    assert!(url.len() < 80, "not shrunk: {url}");
    assert!(divergent
        .iter()
        .all(|r| r.same_as.is_none() || r.same_as.as_deref() == Some(representatives[0].case.as_str())));
    // Replaying the representative alone by its id gives the same case and verdict.
    let replay = generated(&mut planted, &Plan { only: vec![representatives[0].case.clone()], ..plan(0, 1, 0) });
    assert_eq!(replay.len(), 1);
    assert_eq!(replay[0].case, representatives[0].case);
    assert_eq!(replay[0].diffs, representatives[0].diffs);
}

/// The shrink budget bounds shrinking, and a representative it did not reach says so.
#[test]
fn the_shrink_budget_bounds_shrinking_and_says_so() {
    let mut planted = QuirkedReference::new(&[Quirk::PlusNotDecoded]);
    let unshrunk = generated(&mut planted, &plan(300, 11, 0));
    let representative = unshrunk.iter().find(|r| r.is_divergence() && r.same_as.is_none()).unwrap();
    assert!(representative.shrunk.as_ref().is_some_and(|s| s.budget_spent && s.input.is_none()));
    let few = generated(&mut planted, &plan(300, 11, 3));
    let representative = few.iter().find(|r| r.is_divergence() && r.same_as.is_none()).unwrap();
    let shrunk = representative.shrunk.as_ref().unwrap();
    assert!(shrunk.steps <= 3 && !shrunk.budget_spent, "{shrunk:?}");
}

#[test]
fn runs_are_deterministic_for_a_seed() {
    let capabilities = InProcess::info(&Reference::default()).capabilities.clone();
    let ids = |seed| {
        generate::plan(&capabilities, 50, seed, Shard::WHOLE)
            .unwrap()
            .into_iter()
            .map(|c| serde_json::to_string(&c.case).unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(3), ids(3));
    assert_ne!(ids(3), ids(4));
    let case = generate::case_by_id(&GeneratedKind::Verify.case_id(5), &capabilities).unwrap().unwrap();
    assert_eq!(case.case.id, "generated-verify:5");
}

/// A row is given only cases inside its declared limits: every generated case of a row that
/// sends only numeric nonces and always a token is compared, none skipped.
#[test]
fn generated_cases_stay_inside_declared_limits() {
    let mut capabilities = InProcess::info(&Reference::default()).capabilities.clone();
    capabilities.operations = vec![Operation::Sign];
    capabilities.limits.numeric_nonce_only = true;
    capabilities.limits.token_required = true;
    capabilities.limits.extras_only_without_token = true;
    let cases = generate::plan(&capabilities, 300, 9, Shard::WHOLE).unwrap();
    assert_eq!(cases.len(), 300);
    for case in &cases {
        let CaseBody::Sign(sign) = &case.case.body else { panic!("a sign case") };
        assert_eq!(capabilities.limits.violated_by(&sign.request, &sign.oauth), None, "{:?}", case.case.id);
        assert!(sign.oauth.nonce.as_deref().is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit())));
    }
}
