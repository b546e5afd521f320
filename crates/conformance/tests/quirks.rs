//! The quirk pipeline against the reference and the corpus.

use std::path::Path;

use oauth1_conformance::implementation::{InProcess, Outcome, SignInput};
use oauth1_conformance::quirks::{attribute, sign_with_quirks, Attribution, Quirk, QuirkSet};
use oauth1_conformance::reference_impl::Reference;
use oauth1_vectors::{load_paths, CaseBody, Corpus, SignCase};

fn corpus() -> Corpus {
    load_paths(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("../../vectors")]).unwrap()
}

fn sign_cases(corpus: &Corpus) -> Vec<(&str, &SignCase)> {
    corpus
        .cases()
        .filter_map(|(_, case)| match &case.body {
            CaseBody::Sign(sign) => Some((case.id.as_str(), sign)),
            _ => None,
        })
        .collect()
}

fn input(sign: &SignCase) -> SignInput<'_> {
    SignInput { request: &sign.request, oauth: &sign.oauth, secrets: &sign.secrets }
}

/// With no quirk switched on, the quirk pipeline is a second implementation of RFC 5849:
/// it must agree with the reference on every stage of every sign vector the reference signs.
#[test]
fn the_empty_quirk_set_is_the_reference() {
    let corpus = corpus();
    let mut reference = Reference::default();
    let mut compared = 0;
    for (id, sign) in sign_cases(&corpus) {
        let Outcome::Answer(expected) = reference.sign(&input(sign)) else { continue };
        let ours = sign_with_quirks(&input(sign), &QuirkSet::default()).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(ours.normalized_parameters, expected.normalized_parameters, "{id}");
        assert_eq!(ours.base_string_uri, expected.base_string_uri, "{id}");
        assert_eq!(ours.signature_base_string, expected.signature_base_string, "{id}");
        assert_eq!(ours.signature, expected.signature, "{id}");
        assert_eq!(ours.body_hash, expected.body_hash, "{id}");
        assert_eq!(attribute(&input(sign), &expected), Attribution::Explained(QuirkSet::default()), "{id}");
        compared += 1;
    }
    assert!(compared > 100, "only {compared} cases compared");
}

/// Every catalogued quirk changes the output of the vector the catalogue names as its
/// minimal example, so the catalogue's pointer really shows the quirk.
#[test]
fn every_quirk_shows_on_its_minimal_vector() {
    let corpus = corpus();
    let cases = sign_cases(&corpus);
    for &quirk in Quirk::ALL.iter().filter(|q| q.is_switchable()) {
        let (_, sign) = cases
            .iter()
            .find(|(id, _)| *id == quirk.minimal_vector())
            .unwrap_or_else(|| panic!("{quirk}: no sign case {}", quirk.minimal_vector()));
        let plain = sign_with_quirks(&input(sign), &QuirkSet::default()).unwrap();
        let quirky = sign_with_quirks(&input(sign), &QuirkSet::of(&[quirk])).unwrap();
        assert_ne!(plain, quirky, "{quirk} does not change {}", quirk.minimal_vector());
    }
}

/// Every quirk's minimal vector is a real corpus case.
#[test]
fn every_minimal_vector_exists() {
    let corpus = corpus();
    for &quirk in Quirk::ALL {
        assert!(corpus.find_case(quirk.minimal_vector()).is_some(), "{quirk}: no case {}", quirk.minimal_vector());
    }
}

/// Attribution finds a planted quirk set: sign with known quirks, then ask which quirks
/// explain the output. The answer must reproduce the output and be no larger than the
/// planted set.
#[test]
fn attribution_recovers_planted_quirks() {
    let corpus = corpus();
    let cases = sign_cases(&corpus);
    let (_, rfc) = cases.iter().find(|(id, _)| *id == "rfc5849-3.4.1-hmac-sha1").unwrap();
    for planted in [
        vec![Quirk::AddsOauthVersion],
        vec![Quirk::IgnoresFormBody, Quirk::KeepsHostCase],
        vec![Quirk::SortsUnencoded, Quirk::PlusNotDecoded, Quirk::AddsOauthVersion],
    ] {
        let observed = sign_with_quirks(&input(rfc), &QuirkSet::of(&planted)).unwrap();
        match attribute(&input(rfc), &observed) {
            Attribution::Explained(found) => {
                assert!(found.quirks().len() <= planted.len(), "{planted:?} → {found:?}");
                assert_eq!(sign_with_quirks(&input(rfc), &found).unwrap(), observed);
            }
            Attribution::Unexplained => panic!("{planted:?} not recovered"),
        }
    }
}
