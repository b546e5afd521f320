//! The smallest input of a finding a row showed on generated cases only: the shrunk
//! counterexample a `cargo xtask conformance` run recorded in its report, kept in
//! `docs/findings/examples.json` so the dossier can show it (and a reproduction use it) from
//! committed files.
//!
//! A generated case cannot be rebuilt from committed files (it depends on the capabilities the
//! row's running adapter declares), so `dossier --record-examples REPORT` copies the inputs the
//! report carries. Each entry also keeps the first difference the run recorded from the library
//! on that input: loading an entry checks that the row's baseline still lists its case under the
//! finding, that the catalogue's pipeline with the recorded quirk set still gives exactly the
//! library's recorded value, and that the finding's quirk changes the outcome on it. A stale or
//! missing entry is an error naming the command that records them again, never a silent fallback.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use oauth1_vectors::{Case, CaseBody, Expectation, OAuthParams, SignCase, SignExpected, SignRequest, SignSecrets};
use serde::{Deserialize, Serialize};

use crate::case::CaseSource;
use crate::generate::{case_by_id, GENERATOR_RSA_KEY};
use crate::implementation::{InProcess, Outcome, SignInput};
use crate::judge::{Diff, Field};
use crate::quirks::{sign_with_quirks, Quirk, QuirkSet};
use crate::reference_impl::Reference;
use crate::report::Report;
use crate::result::CaseResult;
use crate::trace::Trace;

/// Why an example cannot be read, recorded or used.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The examples file cannot be read.
    #[error("{}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The examples file is not what it should be.
    #[error("{}: {source}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// Where and what.
        #[source]
        source: serde_json::Error,
    },
    /// An entry names a quirk the catalogue does not have.
    #[error("unknown quirk {0:?}")]
    UnknownQuirk(String),
    /// An entry names an RSA key other than the generator's (the text itself is never echoed:
    /// a key pasted there by mistake stays out of the output).
    #[error("unknown RSA key (the only one is {GENERATOR_KEY_NAME:?})")]
    UnknownRsaKey,
    /// The reference does not sign the input.
    #[error("the reference does not sign it: {0}")]
    ReferenceDoesNotSign(String),
    /// The quirk pipeline does not sign the input.
    #[error("the quirk pipeline does not sign it: {0}")]
    PipelineDoesNotSign(#[from] crate::quirks::PipelineError),
    /// The entry's quirk set does not hold the finding's quirk.
    #[error("its quirk set {quirks:?} does not hold {quirk}")]
    NotInSet {
        /// The entry's set.
        quirks: Vec<String>,
        /// The finding's quirk.
        quirk: Quirk,
    },
    /// The reference and the pipeline no longer give the values the run recorded.
    #[error("the reference and the quirk pipeline no longer give the recorded {stage} (RFC 5849 {want:?}, the library {got:?})")]
    RecordedValueChanged {
        /// The stage.
        stage: &'static str,
        /// RFC 5849's value as recorded.
        want: String,
        /// The library's value as recorded.
        got: String,
    },
    /// The quirk set no longer changes anything on the input.
    #[error("the quirk set {0:?} no longer changes anything on it")]
    SetChangesNothing(Vec<String>),
    /// The finding's quirk changes nothing beside the rest of the set.
    #[error("{quirk} changes nothing on it beside the rest of its set {quirks:?}")]
    QuirkChangesNothing {
        /// The finding's quirk.
        quirk: Quirk,
        /// The entry's set.
        quirks: Vec<String>,
    },
    /// The report holds no generated divergence the quirk explains.
    #[error("no generated divergence of {row} in the report is explained by {quirk}")]
    NoCandidate {
        /// The row.
        row: String,
        /// The quirk.
        quirk: Quirk,
    },
    /// The best candidate the report holds fails the checks.
    #[error("{case} ({steps} shrinking steps): {source}")]
    Candidate {
        /// Its generated case id.
        case: String,
        /// Its shrinking steps.
        steps: u32,
        /// Why it fails.
        #[source]
        source: Box<Error>,
    },
}

/// Where the examples are kept, from the repository root.
pub const EXAMPLES_PATH: &str = "docs/findings/examples.json";

/// What records them again.
pub const RECORD_COMMAND: &str = "cargo xtask conformance, then oauth1-conformance dossier --impl all \
                                  --record-examples target/conformance/report.json (from the repository root)";

/// The RSA key of an example: generated cases all sign with the generator's test key.
const GENERATOR_KEY_NAME: &str = "generator";

/// The secrets of a generated case (generated test data, never a user's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleSecrets {
    /// The consumer secret.
    #[serde(default)]
    pub consumer_secret: Option<String>,
    /// The token secret.
    #[serde(default)]
    pub token_secret: Option<String>,
    /// `generator` for the generator's RSA test key (`crates/conformance/data/`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rsa_private_key: Option<String>,
}

/// The `oauth_nonce` and `oauth_timestamp` a library that chooses its own sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Emitted {
    /// `oauth_nonce`.
    #[serde(default)]
    pub nonce: Option<String>,
    /// `oauth_timestamp`.
    #[serde(default)]
    pub timestamp: Option<String>,
}

/// The smallest input recorded for one generated-only finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// The generated case whose divergence this is (`generated:SEED`), which the row's baseline
    /// lists under the finding.
    pub case: String,
    /// Shrinking steps kept from that case to this input (0: the case as generated).
    pub shrink_steps: u32,
    /// The quirk set attribution found for the case: the library's pipeline on this input.
    pub quirks: Vec<String>,
    /// The request.
    pub request: SignRequest,
    /// The protocol parameters the case asked for.
    pub oauth: OAuthParams,
    /// Its secrets.
    pub secrets: ExampleSecrets,
    /// What the library sent in place of the case's nonce and timestamp, if it chooses its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emitted: Option<Emitted>,
    /// The first difference the run recorded from the library on this input.
    pub first_difference: Diff,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExamplesFile {
    about: String,
    examples: BTreeMap<String, Example>,
}

const ABOUT: &str =
    "The smallest input of each finding a row showed on generated cases only (docs/findings/README.md): \
                     the shrunk counterexample a cargo xtask conformance run recorded in its report.json, keyed by \
                     dossier id. Written by `oauth1-conformance dossier --impl all --record-examples REPORT`; do \
                     not edit. `first_difference` is the library's own first differing value on this input.";

/// Reads the examples at `root`; no file is no examples (every generated-only finding then
/// reports its entry missing).
pub fn load(root: &Path) -> Result<BTreeMap<String, Example>, Error> {
    let path = root.join(EXAMPLES_PATH);
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(source) => return Err(Error::Read { path, source }),
    };
    let file: ExamplesFile = serde_json::from_str(&text).map_err(|source| Error::Parse { path, source })?;
    Ok(file.examples)
}

/// The file's text for `examples`.
#[must_use]
pub fn to_json(examples: &BTreeMap<String, Example>) -> String {
    let file = ExamplesFile { about: ABOUT.to_owned(), examples: examples.clone() };
    let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
    text.push('\n');
    text
}

impl Example {
    /// The quirk set, parsed.
    pub fn quirk_set(&self) -> Result<Vec<Quirk>, Error> {
        self.quirks.iter().map(|id| Quirk::from_id(id).ok_or_else(|| Error::UnknownQuirk(id.clone()))).collect()
    }

    /// The input as a sign case, with the nonce and timestamp the library sent where it chose
    /// its own (what the run judged it against).
    pub fn sign_case(&self) -> Result<SignCase, Error> {
        let rsa_private_key_pem = match self.secrets.rsa_private_key.as_deref() {
            None => None,
            Some(GENERATOR_KEY_NAME) => Some(GENERATOR_RSA_KEY.to_owned()),
            Some(_) => return Err(Error::UnknownRsaKey),
        };
        let mut oauth = self.oauth.clone();
        if let Some(emitted) = &self.emitted {
            oauth.nonce.clone_from(&emitted.nonce);
            oauth.timestamp.clone_from(&emitted.timestamp);
        }
        Ok(SignCase {
            request: self.request.clone(),
            oauth,
            secrets: SignSecrets {
                consumer_secret: self.secrets.consumer_secret.clone(),
                token_secret: self.secrets.token_secret.clone(),
                rsa_private_key_pem,
            },
            expected: SignExpected::default(),
        })
    }

    /// The input as a case a dossier shows (its id the generated case's).
    pub fn to_case(&self) -> Result<Case, Error> {
        let description = if self.shrink_steps == 0 {
            "the generated case as the generator drew it (shrinking found no smaller one)".to_owned()
        } else {
            format!(
                "the generated case shrunk in {} steps to the smallest input that still diverges first at `{}`",
                self.shrink_steps,
                self.first_difference.field.name()
            )
        };
        Ok(Case {
            id: self.case.clone(),
            description,
            provenance: format!("recorded from the row's cargo xtask conformance run ({EXAMPLES_PATH})"),
            flags: Vec::new(),
            result: Expectation::Valid,
            body: CaseBody::Sign(self.sign_case()?),
        })
    }

    fn size(&self) -> usize {
        self.request.url.len()
            + self.request.body.as_ref().map_or(0, String::len)
            + self.oauth.extra.iter().map(|(n, v)| n.len() + v.len()).sum::<usize>()
    }
}

fn sign(input: &SignInput<'_>, quirks: Option<&[Quirk]>) -> Result<Trace, Error> {
    match quirks {
        Some(set) => Ok(sign_with_quirks(input, &QuirkSet::of(set))?),
        None => match Reference::default().sign(input) {
            Outcome::Answer(trace) => Ok(trace),
            other => Err(Error::ReferenceDoesNotSign(format!("{other:?}"))),
        },
    }
}

/// Checks `example` as the smallest input of `quirk`, and returns (RFC 5849's trace, the
/// library's trace). `Err` says why it is stale.
///
/// The case need not be one the row's baseline lists under the finding: attribution of a row
/// that draws its own nonce can name a different set of generated cases from run to run while
/// the baseline's quirks stay the same, and the report's representative of a divergence kind
/// stands for cases the baseline lists. What must hold is that the recorded quirk set still
/// gives the library's recorded value on this input, and that the finding's quirk matters there.
pub fn check(example: &Example, quirk: Quirk) -> Result<(Trace, Trace), Error> {
    let set = example.quirk_set()?;
    if !set.contains(&quirk) {
        return Err(Error::NotInSet { quirks: example.quirks.clone(), quirk });
    }
    let sign_case = example.sign_case()?;
    let input = SignInput { request: &sign_case.request, oauth: &sign_case.oauth, secrets: &sign_case.secrets };
    let expected = sign(&input, None)?;
    let actual = sign(&input, Some(&set))?;
    let recorded = &example.first_difference;
    if let (Field::Stage(stage), Some(want), Some(got), false) =
        (recorded.field, &recorded.expected, &recorded.actual, recorded.partial)
    {
        if expected.stage(stage) != Some(want.as_str()) || actual.stage(stage) != Some(got.as_str()) {
            return Err(Error::RecordedValueChanged { stage: stage.name(), want: want.clone(), got: got.clone() });
        }
    } else if expected == actual {
        return Err(Error::SetChangesNothing(example.quirks.clone()));
    }
    let without: Vec<Quirk> = set.iter().copied().filter(|q| *q != quirk).collect();
    if sign(&input, Some(&without))? == actual {
        return Err(Error::QuirkChangesNothing { quirk, quirks: example.quirks.clone() });
    }
    Ok((expected, actual))
}

/// The candidates a report offers for `quirk` on `row`: each generated divergence kind the
/// quirk explains, as shrunk (when shrinking found a smaller case) and as generated.
fn candidates(report: &Report, row: &str, quirk: Quirk) -> Vec<Example> {
    let Some(info) = report.row(row) else { return Vec::new() };
    let mut found = Vec::new();
    let representatives = report.results.iter().filter(|r| {
        r.implementation == row
            && matches!(r.source, CaseSource::Generated)
            && r.same_as.is_none()
            && r.quirks.as_ref().is_some_and(|q| q.contains(&quirk))
    });
    for result in representatives {
        let quirks: Vec<String> = result.quirks.iter().flatten().map(|q| q.id().to_owned()).collect();
        if let Some(example) = shrunk(result, &quirks) {
            found.push(example);
        }
        if let Some(example) = as_generated(result, &quirks, &info.info.capabilities) {
            found.push(example);
        }
    }
    found.sort_by_key(|e| (e.quirks.len(), e.size()));
    found
}

fn shrunk(result: &CaseResult, quirks: &[String]) -> Option<Example> {
    let shrunk = result.shrunk.as_ref()?;
    let input = shrunk.input.as_ref()?;
    Some(Example {
        case: result.case.clone(),
        shrink_steps: shrunk.steps,
        quirks: quirks.to_vec(),
        request: serde_json::from_value(input.get("request")?.clone()).ok()?,
        oauth: serde_json::from_value(input.get("oauth")?.clone()).ok()?,
        secrets: serde_json::from_value(input.get("secrets")?.clone()).ok()?,
        emitted: input.get("emitted").and_then(|e| serde_json::from_value(e.clone()).ok()),
        first_difference: shrunk.diff.clone()?,
    })
}

fn as_generated(
    result: &CaseResult,
    quirks: &[String],
    capabilities: &crate::implementation::Capabilities,
) -> Option<Example> {
    let planned = case_by_id(&result.case, capabilities)?.ok()?;
    let mut first_difference = result.diffs.first()?.clone();
    // A library that chooses its own nonce and timestamp signed this case with values the report
    // does not keep (only a shrunk case's): its recorded values cannot be signed again, so only
    // which field differs is kept. Attribution found the quirk set on this very case.
    if capabilities.emits_own_nonce_timestamp {
        first_difference = first_difference.without_values();
    }
    let CaseBody::Sign(sign) = planned.case.body else { return None };
    Some(Example {
        case: result.case.clone(),
        shrink_steps: 0,
        quirks: quirks.to_vec(),
        request: sign.request,
        oauth: sign.oauth,
        secrets: ExampleSecrets {
            consumer_secret: sign.secrets.consumer_secret,
            token_secret: sign.secrets.token_secret,
            rsa_private_key: sign.secrets.rsa_private_key_pem.map(|_| GENERATOR_KEY_NAME.to_owned()),
        },
        emitted: None,
        first_difference,
    })
}

/// What makes an example a poor reproduction of `quirk`, worst first (`false` is better): the
/// row's other quirks blur it, or it is signed with PLAINTEXT (whose signature covers no
/// parameter, so a library that gives only the signature cannot show the finding).
fn defects(example: &Example, quirk: Quirk, row_quirks: &[Quirk]) -> (bool, bool) {
    let plaintext = example.oauth.signature_method.eq_ignore_ascii_case("PLAINTEXT");
    (blurred(example, quirk, row_quirks), plaintext)
}

/// Whether another quirk of the row would change what the library gives on the example
/// (attribution checks a divergence at its first differing stage only, so a quirk the set does
/// not name may still show further on, and a reproduction would print a third value), or would
/// give the same in place of `quirk` (the example then cannot tell a fix of the finding: a PUT
/// with a `; charset` form body is left unsigned by a library that signs POST bodies only,
/// whatever it makes of the charset).
fn blurred(example: &Example, quirk: Quirk, row_quirks: &[Quirk]) -> bool {
    let (Ok(set), Ok(sign_case)) = (example.quirk_set(), example.sign_case()) else { return true };
    let input = SignInput { request: &sign_case.request, oauth: &sign_case.oauth, secrets: &sign_case.secrets };
    let Ok(actual) = sign(&input, Some(&set)) else { return true };
    let gives = |quirks: Vec<Quirk>| sign(&input, Some(&quirks)).ok();
    row_quirks.iter().filter(|q| q.is_switchable() && !set.contains(q)).any(|&other| {
        let added = gives(set.iter().copied().chain([other]).collect());
        let in_place = gives(set.iter().copied().filter(|q| *q != quirk).chain([other]).collect());
        added.as_ref() != Some(&actual) || in_place.as_ref() == Some(&actual)
    })
}

/// What the row's baseline says of it: the quirks it names (`row_quirks`) and the cases it
/// lists under the finding (`listed`).
#[derive(Debug, Clone, Copy)]
pub struct RowEvidence<'a> {
    /// Every quirk the row's baseline names.
    pub row_quirks: &'a [Quirk],
    /// The cases it lists under the finding.
    pub listed: &'a [String],
}

/// The example for `quirk` on `row` that passes [`check`]: among those `report` holds, the one
/// with the fewest [`defects`], then a case the baseline lists under the finding, then fewest
/// quirks, then the shortest request. The entry recorded before (`kept`) stays while it still
/// passes and names only quirks of the row, when a reproduction is written for it (`reproduced`:
/// a new run must not move the input under a program that embeds it) or when it has no more
/// defects than that one. `Err` says why none did (no candidate, or why the first one failed).
pub fn record(
    report: &Report,
    row: &str,
    quirk: Quirk,
    evidence: RowEvidence<'_>,
    kept: Option<&Example>,
    reproduced: bool,
) -> Result<Example, Error> {
    let mut first_failure = None;
    let mut candidates = candidates(report, row, quirk);
    // A stable sort keeps the size order among equals.
    candidates.sort_by_cached_key(|e| (defects(e, quirk, evidence.row_quirks), !evidence.listed.contains(&e.case)));
    let mut best = None;
    for example in candidates {
        match check(&example, quirk) {
            Ok(_) => {
                best = Some(example);
                break;
            }
            Err(e) => {
                first_failure.get_or_insert_with(|| Error::Candidate {
                    case: example.case.clone(),
                    steps: example.shrink_steps,
                    source: Box::new(e),
                });
            }
        }
    }
    let best =
        best.ok_or_else(|| first_failure.unwrap_or_else(|| Error::NoCandidate { row: row.to_owned(), quirk }))?;
    let still_holds = |kept: &&Example| {
        check(kept, quirk).is_ok()
            && kept.quirk_set().is_ok_and(|set| set.iter().all(|q| evidence.row_quirks.contains(q)))
            && (reproduced || defects(kept, quirk, evidence.row_quirks) <= defects(&best, quirk, evidence.row_quirks))
    };
    Ok(kept.filter(still_holds).cloned().unwrap_or(best))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::Stage;

    /// `HTTP://EXAMPLE.com/r` signed by a library that keeps the host's case: RFC 5849 §3.4.1.2
    /// lowercases the scheme and host of the base string URI.
    fn example() -> Example {
        Example {
            case: "generated:7".to_owned(),
            shrink_steps: 3,
            quirks: vec!["keeps-host-case".to_owned()],
            request: SignRequest {
                method: "GET".to_owned(),
                url: "HTTP://EXAMPLE.com/r".to_owned(),
                content_type: None,
                body: None,
            },
            oauth: OAuthParams {
                consumer_key: "k".to_owned(),
                token: None,
                signature_method: "HMAC-SHA1".to_owned(),
                timestamp: Some("1".to_owned()),
                nonce: Some("n".to_owned()),
                version: None,
                realm: None,
                extra: Vec::new(),
                compute_body_hash: false,
            },
            secrets: ExampleSecrets {
                consumer_secret: Some("s".to_owned()),
                token_secret: None,
                rsa_private_key: None,
            },
            emitted: None,
            first_difference: Diff::new(
                Field::Stage(Stage::BaseStringUri),
                "http://example.com/r",
                "HTTP://EXAMPLE.com/r",
            ),
        }
    }

    #[test]
    fn a_recorded_example_the_pipeline_reproduces_is_used() {
        let (expected, actual) = check(&example(), Quirk::KeepsHostCase).unwrap();
        assert_eq!(expected.base_string_uri.as_deref(), Some("http://example.com/r"));
        assert_eq!(actual.base_string_uri.as_deref(), Some("HTTP://EXAMPLE.com/r"));
    }

    #[test]
    fn an_example_whose_recorded_value_the_pipeline_no_longer_gives_is_stale() {
        let mut example = example();
        example.first_difference.actual = Some("http://EXAMPLE.com/r".to_owned());
        let error = check(&example, Quirk::KeepsHostCase).unwrap_err().to_string();
        assert!(error.contains("no longer give the recorded base_string_uri"), "{error}");
    }

    #[test]
    fn an_example_on_which_the_finding_changes_nothing_is_refused() {
        let mut example = example();
        example.quirks.push("keeps-default-port".to_owned());
        let error = check(&example, Quirk::KeepsDefaultPort).unwrap_err();
        assert!(matches!(error, Error::QuirkChangesNothing { quirk: Quirk::KeepsDefaultPort, .. }), "{error}");
    }

    /// On `HTTP://EXAMPLE.com` (no path) a row that also writes an empty path as nothing would
    /// sign `HTTP://EXAMPLE.com` where the set alone gives `HTTP://EXAMPLE.com/` (RFC 5849
    /// §3.4.1.2 writes `/`): a reproduction would print a third value. A quirk that changes
    /// nothing on the input (no port to keep) is no defect.
    #[test]
    fn an_example_another_quirk_of_the_row_would_change_is_blurred() {
        let mut example = example();
        example.request.url = "HTTP://EXAMPLE.com".to_owned();
        let host = Quirk::KeepsHostCase;
        assert_eq!(defects(&example, host, &[host, Quirk::EmptyPathNotSlash]), (true, false));
        assert_eq!(defects(&example, host, &[host, Quirk::KeepsDefaultPort]), (false, false));
        example.oauth.signature_method = "PLAINTEXT".to_owned();
        assert_eq!(defects(&example, host, &[host]), (false, true));
    }

    /// A PUT whose `; charset=utf-8` form body is left unsigned shows a library that signs POST
    /// bodies only just as well as one that takes the charset for another type (RFC 5849
    /// §3.4.1.3.1 signs the body either way): it cannot show the charset finding alone.
    #[test]
    fn an_example_another_quirk_of_the_row_explains_as_well_is_blurred() {
        let mut example = example();
        example.quirks = vec!["charset-content-type-not-form".to_owned()];
        example.request = SignRequest {
            method: "PUT".to_owned(),
            url: "http://example.com/r".to_owned(),
            content_type: Some("application/x-www-form-urlencoded; charset=utf-8".to_owned()),
            body: Some("a=1".to_owned()),
        };
        let charset = Quirk::CharsetMakesBodyUnsigned;
        assert_eq!(defects(&example, charset, &[charset, Quirk::SignsFormBodyForPostOnly]), (true, false));
        example.request.method = "POST".to_owned();
        assert_eq!(defects(&example, charset, &[charset, Quirk::SignsFormBodyForPostOnly]), (false, false));
    }

    #[test]
    fn the_file_round_trips_and_names_the_generator_key() {
        let mut example = example();
        example.secrets.rsa_private_key = Some(GENERATOR_KEY_NAME.to_owned());
        let examples = BTreeMap::from([("row/keeps-host-case".to_owned(), example.clone())]);
        let file: ExamplesFile = serde_json::from_str(&to_json(&examples)).unwrap();
        assert_eq!(file.examples, examples);
        let sign_case = example.sign_case().unwrap();
        assert_eq!(sign_case.secrets.rsa_private_key_pem.as_deref(), Some(GENERATOR_RSA_KEY));
        example.secrets.rsa_private_key = Some("-----BEGIN PRIVATE KEY-----".to_owned());
        assert!(matches!(example.sign_case(), Err(Error::UnknownRsaKey)));
    }
}
