//! `differential`: the reference against `oauth1-request` (row `oauth1-request/request`, the
//! in-process peer closest to RFC-exact) on the same signing input.
//!
//! The input is decoded into a request the reference accepts and the peer can express
//! ([`crate::differential_input`]). Only requests both should agree on are compared: inputs
//! the reference still refuses (outside RFC 5849), inputs the peer's API still cannot express,
//! and divergences that the peer's baselined quirks
//! (`adapters/baselines/oauth1-request/request.json`) reproduce are skipped and counted. Any
//! other difference is a finding: the target panics with both traces.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use oauth1_conformance::attribution::header_syntax_quirks;
use oauth1_conformance::baseline::Baseline;
use oauth1_conformance::implementation::{InProcess, Outcome};
use oauth1_conformance::judge::{judge_sign, Field, OutcomeKind};
use oauth1_conformance::peers::oauth1_request::RequestPeer;
use oauth1_conformance::quirks::{attribute_with, Attribution, Quirk};
use oauth1_conformance::reference_impl::Reference;
use oauth1_vectors::{Expectation, SignExpected};

use crate::differential_input;
use crate::input::SignRecord;

/// The peer's baseline, compiled in so the target does not depend on its working directory.
const BASELINE: &str = include_str!("../../../adapters/baselines/oauth1-request/request.json");

/// The quirks the peer's baseline lists, attributed and assigned.
fn baselined_quirks() -> &'static [Quirk] {
    static QUIRKS: OnceLock<Vec<Quirk>> = OnceLock::new();
    QUIRKS.get_or_init(|| {
        let baseline: Baseline = serde_json::from_str(BASELINE)
            .unwrap_or_else(|e| panic!("adapters/baselines/oauth1-request/request.json: {e}"));
        baseline.quirks.keys().chain(baseline.assigned.keys()).filter_map(|id| Quirk::from_id(id)).collect()
    })
}

/// What happened to one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Both signed and every stage agrees.
    Agreed,
    /// The reference refuses the input, so there is nothing both should agree on.
    ReferenceRefuses,
    /// The peer's API cannot express the input (it answers `unsupported`).
    PeerCannotExpress,
    /// The stages differ exactly as the peer's baselined quirks predict.
    BaselinedQuirk,
    /// The peer's `rsa` crate refuses a PEM key the reference loads: RFC 7468 §3 lets a
    /// parser accept any base64 line width, which the reference does and the crate does not
    /// (found by this target: `fuzz/regressions/differential/peer-refuses-lax-pem-line-width`).
    PeerRefusesLaxPem,
}

/// How many inputs ended in each [`Verdict`], for the skip rate.
#[derive(Debug, Default)]
pub struct Counts {
    agreed: AtomicU64,
    reference_refuses: AtomicU64,
    peer_cannot_express: AtomicU64,
    baselined_quirk: AtomicU64,
    peer_refuses_lax_pem: AtomicU64,
}

impl Counts {
    fn record(&self, verdict: Verdict) {
        let counter = match verdict {
            Verdict::Agreed => &self.agreed,
            Verdict::ReferenceRefuses => &self.reference_refuses,
            Verdict::PeerCannotExpress => &self.peer_cannot_express,
            Verdict::BaselinedQuirk => &self.baselined_quirk,
            Verdict::PeerRefusesLaxPem => &self.peer_refuses_lax_pem,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// One line: the total, how many were compared, and the skip rate by reason.
    #[must_use]
    pub fn summary(&self) -> String {
        let load = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let agreed = load(&self.agreed);
        let skipped = [
            ("reference refuses", load(&self.reference_refuses)),
            ("peer cannot express", load(&self.peer_cannot_express)),
            ("baselined quirk", load(&self.baselined_quirk)),
            ("peer refuses lax PEM", load(&self.peer_refuses_lax_pem)),
        ];
        let skipped_total: u64 = skipped.iter().map(|(_, n)| n).sum();
        let total = agreed + skipped_total;
        let percent = |n: u64| if total == 0 { 0.0 } else { 100.0 * n as f64 / total as f64 };
        let reasons: Vec<String> = skipped.iter().map(|(why, n)| format!("{why} {n} ({:.1}%)", percent(*n))).collect();
        format!(
            "differential: {total} inputs, {agreed} compared and agreed, skip rate {:.1}% ({})",
            percent(skipped_total),
            reasons.join(", ")
        )
    }
}

/// The counts of this process.
pub fn counts() -> &'static Counts {
    static COUNTS: OnceLock<Counts> = OnceLock::new();
    COUNTS.get_or_init(Counts::default)
}

/// Prints [`Counts::summary`] to stderr at most every ten seconds (libFuzzer gives a target
/// no end-of-run hook, so the last line is at most that old).
fn report_periodically() {
    static LAST: Mutex<Option<Instant>> = Mutex::new(None);
    let Ok(mut last) = LAST.lock() else { return };
    let now = Instant::now();
    if last.is_none_or(|at| now.duration_since(at) >= Duration::from_secs(10)) {
        *last = Some(now);
        eprintln!("{}", counts().summary());
    }
}

/// Signs the record `data` with the reference and the peer and compares every stage both
/// report; see the module documentation for what is skipped. Returns the verdict, which is
/// also counted in [`counts`].
///
/// # Panics
///
/// On a disagreement no baselined quirk explains, with both traces.
pub fn check_differential(data: &[u8]) -> Verdict {
    let verdict = differential_input::decode(data).map_or(Verdict::ReferenceRefuses, |input| compare_with_peer(&input));
    counts().record(verdict);
    report_periodically();
    verdict
}

/// `input` without the shapes the peer's baselined quirks affect (see the module
/// documentation), given the reference's base string URI for it.
fn steered(input: &SignRecord, base_string_uri: &str) -> SignRecord {
    let mut steered = input.clone();
    steered.request.method = input.request.method.to_ascii_uppercase();
    let url = &input.request.url;
    let rest = url.find(['?', '#']).and_then(|at| url.get(at..)).unwrap_or_default();
    steered.request.url = format!("{base_string_uri}{rest}");
    steered
}

fn compare_with_peer(input: &SignRecord) -> Verdict {
    let Outcome::Answer(first) = Reference::default().sign(&input.as_input()) else {
        return Verdict::ReferenceRefuses;
    };
    let Some(base_string_uri) = first.base_string_uri.as_deref() else { return Verdict::ReferenceRefuses };
    let input = &steered(input, base_string_uri);
    let job = input.as_input();
    let reference = Reference::default().sign(&job);
    let Outcome::Answer(expected) = &reference else { return Verdict::ReferenceRefuses };
    let expected = SignExpected {
        normalized_parameters: expected.normalized_parameters.clone(),
        base_string_uri: expected.base_string_uri.clone(),
        signature_base_string: expected.signature_base_string.clone(),
        signature: expected.signature.clone(),
        authorization_header: expected.authorization_header.clone(),
        body_hash: expected.body_hash.clone(),
    };
    let mut peer_impl = RequestPeer::default();
    let peer = peer_impl.sign(&job);
    let stages = InProcess::info(&peer_impl).capabilities.stages.clone();
    // The one judge every case goes through, the peer held to the stages it declares.
    let verdict = judge_sign(Expectation::Valid, &expected, peer.clone(), &stages);
    if verdict.outcome == OutcomeKind::Pass {
        return Verdict::Agreed;
    }
    let diffs = verdict.diffs;
    let baselined = |quirks: &[Quirk]| !quirks.is_empty() && quirks.iter().all(|q| baselined_quirks().contains(q));
    let explained = match &peer {
        // Only the header's syntax differs: the harness names it by the §3.5.1 violations, as
        // its attribution does, not by a signing quirk.
        Outcome::Answer(observed) if diffs.first().map(|d| d.field) == Some(Field::HeaderSyntax) => {
            header_syntax_quirks(&job, observed, baselined_quirks())
                .filter(|q| baselined(q))
                .map(|_| Verdict::BaselinedQuirk)
        }
        Outcome::Answer(observed) => match attribute_with(&job, observed, baselined_quirks()) {
            Attribution::Explained(set) if baselined(set.quirks()) => Some(Verdict::BaselinedQuirk),
            _ => None,
        },
        Outcome::Unsupported(_) => Some(Verdict::PeerCannotExpress),
        Outcome::Rejected { .. } | Outcome::Panicked(_) => None,
        Outcome::Error(message) => {
            message.starts_with("the case's RSA private key does not load").then_some(Verdict::PeerRefusesLaxPem)
        }
    };
    explained.unwrap_or_else(|| {
        panic!(
            "the reference and oauth1-request/request disagree outside the baseline\ninput: {input:#?}\ndifferences: {diffs:#?}\nreference: {reference:#?}\noauth1-request/request: {peer:#?}"
        )
    })
}
