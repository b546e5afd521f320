//! Property-generated cases: requests to sign over the whole request space, and signed,
//! possibly tampered requests to verify. Each becomes an ordinary [`PlannedCase`] whose
//! expected values the reference computes (its provenance says so), judged like a vector case.
//!
//! Every case has its own seed (`run seed + index`), so any single case can be replayed
//! alone (`--case generated:SEED`, or `--seed SEED --generated 1`).

mod request;
pub mod shrink;
mod verify;

use proptest::strategy::{BoxedStrategy, Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use oauth1_vectors::{Case, CaseBody, Expectation, SignCase, SignExpected};

pub use request::{sign_inputs, GeneratedInput, GENERATOR_RSA_KEY, GENERATOR_RSA_PUBLIC_KEY};
pub use verify::{verify_inputs, GeneratedVerify};

use crate::case::{CaseSource, GeneratedKind, PlannedCase, Shard};
use crate::implementation::{Capabilities, InProcess, Operation, Outcome};
use crate::reference_impl::Reference;

/// The default run seed: fixed, so CI runs are reproducible and comparable with baselines.
pub const DEFAULT_SEED: u64 = 0x5849_0001;

/// The seed of case `index` of a run seeded `seed`.
#[must_use]
pub fn case_seed(seed: u64, index: u64) -> u64 {
    seed.wrapping_add(index)
}

fn runner_for(case_seed: u64) -> TestRunner {
    let mut bytes = [0u8; 32];
    // SplitMix64 spreads the seed over the ChaCha key, so neighbouring seeds differ fully.
    let mut state = case_seed;
    for chunk in bytes.chunks_mut(8) {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        chunk.copy_from_slice(&(z ^ (z >> 31)).to_le_bytes());
    }
    TestRunner::new_with_rng(Config::default(), TestRng::from_seed(RngAlgorithm::ChaCha, &bytes))
}

/// A generator failure: a harness bug, never a verdict. Names the case seed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// proptest could not draw the case.
    #[error("generating case seed {seed}: {reason}")]
    Draw {
        /// The case seed.
        seed: u64,
        /// proptest's reason.
        reason: proptest::test_runner::Reason,
    },
    /// The reference does not sign a generated verify case.
    #[error("the reference does not sign generated verify case seed {seed}: {source}")]
    Unsigned {
        /// The case seed.
        seed: u64,
        /// Why.
        #[source]
        source: crate::mutation::Error,
    },
}

/// A drawn value, before it is made into its case.
#[derive(Debug, Clone)]
pub enum Drawn {
    /// A request to sign.
    Sign(GeneratedInput),
    /// A request signed (and maybe tampered) to verify.
    Verify(GeneratedVerify),
}

impl Drawn {
    /// The case this value is, with seed `seed`.
    ///
    /// # Errors
    ///
    /// As [`GeneratedVerify::into_case`].
    pub fn into_case(self, seed: u64) -> Result<PlannedCase, Error> {
        match self {
            Self::Sign(input) => Ok(sign_case(seed, input)),
            Self::Verify(drawn) => drawn.into_case(seed),
        }
    }
}

/// What the generator draws for cases of `kind`, for an implementation with `capabilities`.
fn strategy(kind: GeneratedKind, capabilities: &Capabilities) -> BoxedStrategy<Drawn> {
    match kind {
        GeneratedKind::Sign => sign_inputs(capabilities).prop_map(Drawn::Sign).boxed(),
        GeneratedKind::Verify => verify_inputs(capabilities).prop_map(Drawn::Verify).boxed(),
    }
}

/// One generated case as proptest's value tree: its current value is the case, and
/// simplifying it shrinks the case.
pub struct GeneratedTree {
    seed: u64,
    tree: Box<dyn ValueTree<Value = Drawn>>,
}

impl GeneratedTree {
    /// The tree of the generated case of `kind` with `seed`.
    ///
    /// # Errors
    ///
    /// proptest could not draw it.
    pub fn new(kind: GeneratedKind, capabilities: &Capabilities, seed: u64) -> Result<Self, Error> {
        let tree = strategy(kind, capabilities)
            .new_tree(&mut runner_for(seed))
            .map_err(|reason| Error::Draw { seed, reason })?;
        Ok(Self { seed, tree: Box::new(tree) })
    }

    /// The case as it stands.
    ///
    /// # Errors
    ///
    /// As [`Drawn::into_case`].
    pub fn current(&self) -> Result<PlannedCase, Error> {
        self.tree.current().into_case(self.seed)
    }

    /// Tries a simpler case; `false` when there is none.
    pub fn simplify(&mut self) -> bool {
        self.tree.simplify()
    }

    /// Steps back towards the last case that was kept; `false` when there is nothing to try.
    pub fn complicate(&mut self) -> bool {
        self.tree.complicate()
    }
}

/// The one generated case with id `id` for an implementation with `capabilities`; `None`
/// when `id` is no generated case id.
pub fn case_by_id(id: &str, capabilities: &Capabilities) -> Option<Result<PlannedCase, Error>> {
    let (kind, seed) = GeneratedKind::parse_id(id)?;
    Some(GeneratedTree::new(kind, capabilities, seed).and_then(|tree| tree.current()))
}

/// The kinds of generated case an implementation with `capabilities` is given: requests to
/// sign when it signs, requests to verify when it verifies.
#[must_use]
pub fn kinds_for(capabilities: &Capabilities) -> Vec<GeneratedKind> {
    let mut kinds = Vec::new();
    if capabilities.operations.contains(&Operation::Sign) {
        kinds.push(GeneratedKind::Sign);
    }
    if capabilities.operations.contains(&Operation::Verify) {
        kinds.push(GeneratedKind::Verify);
    }
    kinds
}

/// The generated cases of a row asked for `count`: `count` cases in all, shared evenly among
/// the kinds it supports (requests to sign first, then requests to verify), case `i` with
/// seed `seed + i`; the ones in `shard`. An `Err` is a generator failure (a harness bug),
/// never a verdict.
///
/// # Errors
///
/// A case that cannot be drawn or made.
pub fn plan(capabilities: &Capabilities, count: u64, seed: u64, shard: Shard) -> Result<Vec<PlannedCase>, Error> {
    let kinds = kinds_for(capabilities);
    let mut cases = Vec::new();
    let mut start = 0;
    for (k, kind) in kinds.iter().enumerate() {
        let share = count / kinds.len() as u64 + u64::from((k as u64) < count % kinds.len() as u64);
        let strategy = strategy(*kind, capabilities);
        // Each stream (the corpus, each kind) is cut into shards from its own first case on,
        // which is the order `report merge` puts them back in.
        for index in (start..start + share).filter(|&index| shard.contains(index - start)) {
            let this_seed = case_seed(seed, index);
            let tree = strategy
                .new_tree(&mut runner_for(this_seed))
                .map_err(|reason| Error::Draw { seed: this_seed, reason })?;
            cases.push(tree.current().into_case(this_seed)?);
        }
        start += share;
    }
    Ok(cases)
}

/// A generated request to sign as a case: the reference's stages are its expected values (its
/// provenance says so); a request the reference refuses is a case every signer must refuse.
#[must_use]
pub fn sign_case(seed: u64, input: GeneratedInput) -> PlannedCase {
    let (result, expected, what) = match Reference::default().sign(&input.as_input()) {
        Outcome::Answer(trace) => {
            let expected = SignExpected {
                normalized_parameters: trace.normalized_parameters,
                base_string_uri: trace.base_string_uri,
                signature_base_string: trace.signature_base_string,
                signature: trace.signature,
                authorization_header: trace.authorization_header,
                body_hash: trace.body_hash,
            };
            (Expectation::Valid, expected, "its expected stages are the reference signer's".to_owned())
        }
        Outcome::Rejected { message, .. }
        | Outcome::Unsupported(message)
        | Outcome::Panicked(message)
        | Outcome::Error(message) => {
            (Expectation::Invalid, SignExpected::default(), format!("the reference refuses it: {message}"))
        }
    };
    let case = Case {
        id: GeneratedKind::Sign.case_id(seed),
        description: "A generated request to sign.".into(),
        provenance: format!(
            "Generated by oauth1-conformance {} (case seed {seed}); {what}.",
            env!("CARGO_PKG_VERSION")
        ),
        flags: Vec::new(),
        result,
        body: CaseBody::Sign(SignCase { request: input.request, oauth: input.oauth, secrets: input.secrets, expected }),
    };
    PlannedCase { case, source: CaseSource::Generated, seed: Some(seed) }
}
