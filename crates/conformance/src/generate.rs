//! Property-generated signing requests over the whole request space, compared stage by
//! stage with the reference, with shrinking to a minimal counterexample.
//!
//! Every case has its own seed (`run seed + index`), so any single case can be replayed
//! with `--seed CASE_SEED --generated 1`.

use std::borrow::Cow;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use oauth1_vectors::{OAuthParams, SignRequest, SignSecrets};

use crate::implementation::{Answer, Capabilities, Implementation, Job, Outcome, SignInput};
use crate::judge::{same_header_params, Diff};
use crate::trace::{Stage, Trace};

/// The RSA key generated cases sign with (a test key, not a secret). 1,024 bits, as in the
/// RFC 5849 and oauth.net examples: signing dominates shrinking an RSA counterexample (the
/// implementation and the reference sign every candidate): with a 2,048-bit key the row
/// `oauth1-request/parameter-list` took 57 s of CPU for 300 generated cases, with this one 14.5 s.
pub const GENERATOR_RSA_KEY: &str = include_str!("../data/generator-rsa-1024.pem");

/// The default run seed: fixed, so CI runs are reproducible and comparable with baselines.
pub const DEFAULT_SEED: u64 = 0x5849_0001;

/// A generated signing input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedInput {
    /// The request.
    pub request: SignRequest,
    /// The protocol parameters.
    pub oauth: OAuthParams,
    /// The secrets (generated test data).
    pub secrets: SignSecrets,
}

impl GeneratedInput {
    /// As a job input.
    #[must_use]
    pub fn as_input(&self) -> SignInput<'_> {
        SignInput { request: &self.request, oauth: &self.oauth, secrets: &self.secrets }
    }
}

fn pick<T: Clone + std::fmt::Debug + 'static>(items: &'static [T]) -> impl Strategy<Value = T> {
    proptest::sample::select(items)
}

/// Text for names and values: the characters that break implementations, in decoded form.
fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        pick(&[
            "a", "b", "Z", "0", "1", "-", ".", "_", "~", " ", "+", "%", "&", "=", "/", "?", "*", "!", "'", "é", "€",
            "😀", "ü",
        ]),
        0..6,
    )
    .prop_map(|parts| parts.concat())
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => pick(&["a", "a1", "b", "c", "z", "A", "x_y", "a-b"]).prop_map(str::to_owned),
        1 => text().prop_map(|n| if n.is_empty() { "n".to_owned() } else { format!("n{n}") }),
    ]
}

/// How one parameter is written into a query or a form body.
#[derive(Debug, Clone, Copy)]
enum Style {
    /// §3.6 encoding, `name=value`.
    Strict,
    /// Spaces as `+` (form encoding).
    PlusForSpace,
    /// Lowercase hexadecimal digits.
    LowercaseHex,
    /// `name` with no `=` (only for an empty value).
    NoEquals,
}

fn write_form(pairs: &[(String, String, Style)]) -> String {
    let encode = |text: &str, style: Style| {
        let strict = oauth1_reference::encoding::percent_encode(text.as_bytes());
        match style {
            Style::PlusForSpace => strict.replace("%20", "+"),
            Style::LowercaseHex => {
                let mut out = String::with_capacity(strict.len());
                let mut escape = 0;
                for c in strict.chars() {
                    if c == '%' {
                        escape = 2;
                        out.push(c);
                    } else if escape > 0 {
                        escape -= 1;
                        out.push(c.to_ascii_lowercase());
                    } else {
                        out.push(c);
                    }
                }
                out
            }
            Style::Strict | Style::NoEquals => strict,
        }
    };
    pairs
        .iter()
        .map(|(n, v, style)| match style {
            Style::NoEquals if v.is_empty() => encode(n, *style),
            _ => format!("{}={}", encode(n, *style), encode(v, *style)),
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn pairs() -> impl Strategy<Value = Vec<(String, String, Style)>> {
    let style = prop_oneof![
        6 => Just(Style::Strict),
        2 => Just(Style::PlusForSpace),
        1 => Just(Style::LowercaseHex),
        1 => Just(Style::NoEquals)
    ];
    proptest::collection::vec((name(), prop_oneof![2 => text(), 1 => Just(String::new())], style), 0..5).prop_flat_map(
        |pairs| {
            // Duplicate a name now and then: the same name with another value.
            let len = pairs.len();
            (Just(pairs), any::<bool>(), 0..len.max(1)).prop_map(move |(mut pairs, duplicate, index)| {
                if duplicate {
                    if let Some((n, v, s)) = pairs.get(index).cloned() {
                        pairs.push((n, format!("{v}2"), s));
                    }
                }
                pairs
            })
        },
    )
}

fn url() -> impl Strategy<Value = (String, Option<String>)> {
    let scheme = pick(&["http", "https", "HTTPS"]);
    let host =
        pick(&["api.example.com", "API.Example.COM", "127.0.0.1", "[2001:db8::1]", "[::1]", "xn--bcher-kva.example"]);
    let port = pick(&["", ":80", ":443", ":8080", ":"]);
    let path = proptest::collection::vec(
        pick(&["a", "photos", "r%20v", "%2F", "a%3Fb", "~user", "%C3%BC", "x;y=z", "@", "!$&'()*+,;=", "%7e", "A"]),
        0..4,
    );
    let trailing_slash = any::<bool>();
    (scheme, host, port, path, trailing_slash, pairs()).prop_map(|(scheme, host, port, path, slash, query)| {
        let mut url = format!("{scheme}://{host}{port}");
        for segment in &path {
            url.push('/');
            url.push_str(segment);
        }
        if slash {
            url.push('/');
        }
        let query = (!query.is_empty()).then(|| write_form(&query));
        if let Some(query) = &query {
            url.push('?');
            url.push_str(query);
        }
        (url, query)
    })
}

fn body() -> impl Strategy<Value = (Option<String>, Option<String>)> {
    prop_oneof![
        3 => Just((None, None)),
        4 => (pick(&["application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=utf-8", "Application/X-WWW-Form-URLEncoded"]), pairs())
            .prop_map(|(ct, pairs)| (Some(ct.to_owned()), Some(write_form(&pairs)))),
        2 => (pick(&["application/json", "text/plain"]), text()).prop_map(|(ct, text)| (Some(ct.to_owned()), Some(format!("{{\"t\":\"{text}\"}}")))),
    ]
}

/// Signing inputs over the request space for an implementation with `capabilities`: only
/// its declared signature methods, and always with `oauth_version` when it cannot omit it.
pub fn sign_inputs(capabilities: &Capabilities) -> BoxedStrategy<GeneratedInput> {
    let methods: Vec<String> = capabilities.signature_methods.clone();
    let must_send_version = !capabilities.can_omit_version;
    let can_hash_body = capabilities.body_hash;
    let method = proptest::sample::select(if methods.is_empty() { vec!["HMAC-SHA1".to_owned()] } else { methods });
    (
        pick(&["GET", "POST", "PUT", "DELETE", "PATCH", "get"]),
        url(),
        body(),
        method,
        (
            proptest::option::of(pick(&["nnch734d00sl2jdk", "kkk9d7dh3k39sjv7", "t%k n"])),
            proptest::option::of(pick(&["1.0"])),
        ),
        (
            proptest::option::of(pick(&["Example", "http://sp.example.com/", "Photos"])),
            proptest::option::of(pick(&["oob", "http://printer.example.com/ready?x=1&y=2"])),
        ),
        (text(), text(), any::<bool>()),
        (pick(&["137131201", "1191242096", "1700000000"]), pick(&["7d8f3e4a", "kllo9940pd9333jh", "chapoH"])),
    )
        .prop_map(
            move |(
                http_method,
                (url, _query),
                (content_type, body),
                signature_method,
                (token, version),
                (realm, callback),
                (cs, ts, body_hash),
                (timestamp, nonce),
            )| {
                let is_form = content_type.as_deref().is_some_and(oauth1_reference::parameters::is_form_urlencoded);
                let rsa = signature_method.starts_with("RSA-");
                GeneratedInput {
                    request: SignRequest { method: http_method.to_owned(), url, content_type, body },
                    oauth: OAuthParams {
                        consumer_key: "dpf43f3p2l4k3l03".to_owned(),
                        token: token.map(str::to_owned),
                        signature_method,
                        timestamp: Some(timestamp.to_owned()),
                        nonce: Some(nonce.to_owned()),
                        version: if must_send_version { Some("1.0".to_owned()) } else { version.map(str::to_owned) },
                        realm: realm.map(str::to_owned),
                        extra: callback.map(|c| vec![("oauth_callback".to_owned(), c.to_owned())]).unwrap_or_default(),
                        compute_body_hash: body_hash && !is_form && can_hash_body,
                    },
                    secrets: SignSecrets {
                        consumer_secret: Some(cs),
                        token_secret: token.map(|_| ts),
                        rsa_private_key_pem: rsa.then(|| GENERATOR_RSA_KEY.to_owned()),
                    },
                }
            },
        )
        .boxed()
}

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

/// How an implementation's answer to a generated case differs from the reference's.
#[must_use]
pub fn compare(reference: &Outcome<Trace>, theirs: &Outcome<Trace>) -> Vec<Diff> {
    let describe = |o: &Outcome<Trace>| match o {
        Outcome::Answer(_) => "signed".to_owned(),
        Outcome::Rejected { message, .. } => format!("rejected: {message}"),
        Outcome::Error(message) => format!("error: {message}"),
    };
    match (reference, theirs) {
        (Outcome::Answer(want), Outcome::Answer(got)) => Stage::ALL
            .into_iter()
            .filter_map(|stage| {
                let (want, got) = (want.stage(stage)?, got.stage(stage)?);
                let same =
                    if stage == Stage::AuthorizationHeader { same_header_params(want, got) } else { want == got };
                (!same).then(|| Diff { field: stage.name().into(), expected: want.into(), actual: got.into() })
            })
            .collect(),
        (Outcome::Answer(_), _) | (_, Outcome::Answer(_)) => {
            vec![Diff { field: "outcome".into(), expected: describe(reference), actual: describe(theirs) }]
        }
        _ => Vec::new(),
    }
}

/// `input` as `answer` to it is judged: with the nonce and timestamp the implementation sent
/// when it chooses its own ([`crate::runner::judged_oauth`]).
fn judged_input(capabilities: &Capabilities, input: GeneratedInput, answer: &Outcome<Trace>) -> GeneratedInput {
    let Outcome::Answer(trace) = answer else { return input };
    match crate::runner::judged_oauth(capabilities, &input.oauth, trace) {
        Cow::Owned(oauth) => GeneratedInput { oauth, ..input },
        Cow::Borrowed(_) => input,
    }
}

fn sign_one(implementation: &mut dyn Implementation, input: &GeneratedInput) -> Outcome<Trace> {
    match implementation.run(&[Job::Sign(input.as_input())]).pop() {
        Some(Answer::Sign(outcome)) => outcome,
        _ => Outcome::Error("the implementation gave no sign answer".into()),
    }
}

fn attributed(input: &GeneratedInput, answer: &Outcome<Trace>) -> Option<Vec<String>> {
    match answer {
        Outcome::Answer(trace) => crate::runner::attributed_quirks(&input.as_input(), trace),
        _ => None,
    }
}

/// One generated case's result.
#[derive(Debug, Clone)]
pub struct GeneratedCase {
    /// The case's own seed (replay with `--seed SEED --generated 1`).
    pub seed: u64,
    /// The input (shrunk when the case diverged and was its kind's representative).
    pub input: GeneratedInput,
    /// The implementation's answer to `input`.
    pub answer: Outcome<Trace>,
    /// How it differs from the reference; empty when it agrees.
    pub diffs: Vec<Diff>,
    /// How the case was shrunk; `None` when it agrees, or points at its kind's representative.
    pub shrink: Option<Shrink>,
    /// For a divergence: the catalogued quirks that explain it (`None`: unexplained, or the
    /// implementation did not sign).
    pub quirks: Option<Vec<String>>,
    /// For a divergence that is not its kind's representative: the seed of the case of the
    /// same kind (first differing stage and quirks) that is.
    pub same_as: Option<u64>,
}

/// What shrinking did to a kind's representative.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shrink {
    /// Shrunk: this many simplifications were kept.
    Shrunk {
        /// Accepted shrinking steps.
        steps: u32,
    },
    /// Not shrunk: the run's shrink budget was spent on kinds that come first (unexplained
    /// kinds, then those with fewer quirks). Replaying the case alone shrinks it.
    BudgetSpent,
}

/// The most shrinking steps tried per divergence, so shrinking always ends.
pub const MAX_SHRINK_ITERATIONS: u32 = 500;

/// The default number of shrinking steps (each one a round trip to the implementation) one
/// row spends over all its divergence kinds. A full matrix run meets a hundred kinds or more
/// on some rows (every combination of a library's quirks is a kind); shrinking all of them
/// fully would cost ten times the cases themselves.
pub const DEFAULT_SHRINK_BUDGET: u32 = 2_000;

/// A divergent case before shrinking.
struct Divergent {
    index: usize,
    first: String,
    quirks: Option<Vec<String>>,
}

/// Generates `count` cases from `seed`, runs them through `implementation` in one batch and
/// the reference, attributes every divergence to quirks, and shrinks one representative of
/// each kind (first differing stage and quirk set) to a minimal input that still diverges at
/// the same stage; the others point at it. Kinds are shrunk in order of what a reader needs
/// first (unexplained kinds, then fewer quirks, then case order) until `shrink_budget`
/// steps are spent; the rest keep their generated input. An `Err` is a generator failure (a
/// harness bug), never a verdict.
pub fn run_generated(
    implementation: &mut dyn Implementation,
    count: u64,
    seed: u64,
    shrink_budget: u32,
) -> Result<Vec<GeneratedCase>, String> {
    let capabilities = implementation.info().capabilities.clone();
    let strategy = sign_inputs(&capabilities);
    let mut trees = Vec::new();
    for index in 0..count {
        let this_seed = case_seed(seed, index);
        let mut runner = runner_for(this_seed);
        let tree = strategy.new_tree(&mut runner).map_err(|e| format!("generating case seed {this_seed}: {e}"))?;
        trees.push((this_seed, tree));
    }
    let inputs: Vec<GeneratedInput> = trees.iter().map(|(_, tree)| tree.current()).collect();
    let jobs: Vec<Job<'_>> = inputs.iter().map(|i| Job::Sign(i.as_input())).collect();
    let answers = implementation.run(&jobs);
    let mut reference = crate::reference_impl::Reference::default();
    let mut results = Vec::with_capacity(trees.len());
    let mut divergent = Vec::new();
    for (index, ((seed, tree), answer)) in trees.iter().zip(answers).enumerate() {
        let answer = match answer {
            Answer::Sign(outcome) => outcome,
            _ => Outcome::Error("the implementation answered a different kind of job".into()),
        };
        let input = judged_input(&capabilities, tree.current(), &answer);
        let expected = crate::implementation::InProcess::sign(&mut reference, &input.as_input());
        let diffs = compare(&expected, &answer);
        let quirks = if diffs.is_empty() { None } else { attributed(&input, &answer) };
        if let Some(first) = diffs.first() {
            divergent.push(Divergent { index, first: first.field.clone(), quirks: quirks.clone() });
        }
        results.push(GeneratedCase { seed: *seed, input, answer, diffs, shrink: None, quirks, same_as: None });
    }
    let mut representatives: Vec<&Divergent> = Vec::new();
    for case in &divergent {
        match representatives.iter().find(|r| r.first == case.first && r.quirks == case.quirks) {
            Some(representative) => results[case.index].same_as = Some(results[representative.index].seed),
            None => representatives.push(case),
        }
    }
    representatives.sort_by_key(|r| (r.quirks.is_some(), r.quirks.as_ref().map_or(0, Vec::len), r.index));
    let mut budget = shrink_budget;
    for representative in representatives {
        let case = &mut results[representative.index];
        if budget == 0 {
            case.shrink = Some(Shrink::BudgetSpent);
            continue;
        }
        let tree = &mut trees[representative.index].1;
        let (steps, iterations) = shrink(implementation, &mut reference, &capabilities, tree, case, budget);
        budget -= iterations;
        case.quirks = attributed(&case.input, &case.answer);
        case.shrink = Some(Shrink::Shrunk { steps });
    }
    Ok(results)
}

/// Shrinks `case` (generated from `tree`) to a simpler input that still first diverges at
/// the same stage, in at most `budget` (and [`MAX_SHRINK_ITERATIONS`]) iterations. Returns
/// the accepted steps and the iterations spent.
fn shrink(
    implementation: &mut dyn Implementation,
    reference: &mut crate::reference_impl::Reference,
    capabilities: &Capabilities,
    tree: &mut impl ValueTree<Value = GeneratedInput>,
    case: &mut GeneratedCase,
    budget: u32,
) -> (u32, u32) {
    let first = case.diffs.first().map(|d| d.field.clone()).unwrap_or_default();
    let (mut steps, mut iterations) = (0, 0);
    let mut candidate_ok = tree.simplify();
    while candidate_ok && iterations < MAX_SHRINK_ITERATIONS.min(budget) {
        iterations += 1;
        let theirs = sign_one(implementation, &tree.current());
        let candidate = judged_input(capabilities, tree.current(), &theirs);
        let expected = crate::implementation::InProcess::sign(reference, &candidate.as_input());
        let diffs = compare(&expected, &theirs);
        if diffs.first().map(|d| d.field.as_str()) == Some(first.as_str()) {
            (case.input, case.answer, case.diffs) = (candidate, theirs, diffs);
            steps += 1;
            candidate_ok = tree.simplify();
        } else {
            candidate_ok = tree.complicate();
        }
    }
    (steps, iterations)
}
