//! The result of one case on one implementation, as every report renders it and as a report
//! merge reads it back. Built in one place ([`CaseResult::new`]) for every case, vector or
//! generated.

use serde::{Deserialize, Serialize};

use oauth1_vectors::CaseKind;

use crate::case::{CaseSource, PlannedCase};
use crate::judge::{Diff, Failure, OutcomeKind, Verdict};
use crate::quirks::Quirk;
use crate::trace::Trace;

/// The result of one case on one implementation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaseResult {
    /// The case id.
    pub case: String,
    /// The implementation's name.
    #[serde(rename = "impl")]
    pub implementation: String,
    /// The verdict.
    pub outcome: OutcomeKind,
    /// `sign`, `parse_header` or `verify`.
    pub kind: CaseKind,
    /// The vector file the case came from, or `generated`.
    #[serde(rename = "file")]
    pub source: CaseSource,
    /// The case's flags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<String>,
    /// For `fail`: what differs, in pipeline order, each difference stored once.
    #[serde(default, skip_serializing_if = "Vec::is_empty", with = "compact_diffs")]
    pub diffs: Vec<Diff>,
    /// The implementation's message, or why the case was skipped or errored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// For `error`: whether the implementation crashed or the harness failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<Failure>,
    /// For a divergent sign case: the catalogued quirks whose pipeline reproduces the
    /// implementation's output (`None`: no quirk set explains it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quirks: Option<Vec<Quirk>>,
    /// For a divergence no signing pipeline can reproduce (a rejection, a parser or verifier
    /// verdict, a crash): the behavioural quirk it shows, by rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub behaviour: Option<Quirk>,
    /// For a divergent sign case one quirk explains: every single switchable quirk that
    /// reproduces it as exactly, the quirk search's answer first (empty when none other does).
    /// `quirks` names the one the row's evidence prefers ([`crate::row_evidence`]), chosen again
    /// from these when shards are merged.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ties: Vec<Quirk>,
    /// For an unexplained divergent sign case: the blind quirk search stopped at its budget
    /// (`oauth1-conformance explain` searches without one).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub search_cut_short: bool,
    /// For a generated divergence that is not its kind's representative: the case that is
    /// (same first differing field and explanation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_as: Option<String>,
    /// For a generated divergence that is its kind's representative: the smaller case shrinking
    /// found, or why there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shrunk: Option<ShrunkExample>,
    /// For a divergent sign case: every stage the implementation produced (in memory only:
    /// the report keeps the differing ones, in `diffs`).
    #[serde(skip)]
    pub trace: Option<Trace>,
}

/// The smallest case shrinking found for a generated divergence kind.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShrunkExample {
    /// Simplifications kept (0 when the row's shrink budget was spent before this kind).
    pub steps: u32,
    /// Whether shrinking was skipped because the row's budget was spent.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub budget_spent: bool,
    /// The shrunk case's inputs (`request` and, for a sign case, `oauth`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<serde_json::Value>,
    /// Its first difference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diff: Option<Diff>,
}

impl CaseResult {
    /// The result of `planned` on `implementation`, from its verdict, the trace it signed with
    /// and the explanation found for it.
    #[must_use]
    pub fn new(
        implementation: &str,
        planned: &PlannedCase,
        verdict: Verdict,
        trace: Option<Trace>,
        explanation: Explanation,
    ) -> Self {
        let fail = verdict.outcome == OutcomeKind::Fail;
        let mut result = Self {
            case: planned.case.id.clone(),
            implementation: implementation.to_owned(),
            outcome: verdict.outcome,
            kind: planned.case.kind(),
            source: planned.source.clone(),
            flags: planned.case.flags.clone(),
            diffs: verdict.diffs,
            // A passing case's message is the refusal of an input it had to refuse: no news.
            message: verdict.message.filter(|_| verdict.outcome != OutcomeKind::Pass),
            failure: verdict.failure,
            quirks: None,
            behaviour: None,
            ties: Vec::new(),
            search_cut_short: false,
            same_as: None,
            shrunk: None,
            trace: trace.filter(|_| fail),
        };
        result.explain_as(explanation);
        result
    }

    /// Records `explanation` as what explains this result, replacing any earlier one (and the
    /// ties recorded for it).
    pub fn explain_as(&mut self, explanation: Explanation) {
        self.ties.clear();
        self.search_cut_short = explanation == Explanation::CutShort;
        (self.quirks, self.behaviour) = match explanation {
            Explanation::Quirks(quirks) => (Some(quirks), None),
            Explanation::Behaviour(quirk) => (None, Some(quirk)),
            Explanation::None | Explanation::CutShort => (None, None),
        };
    }

    /// Whether the result is a divergence (a failure or an error).
    #[must_use]
    pub fn is_divergence(&self) -> bool {
        self.outcome.is_divergence()
    }

    /// Every catalogued quirk that explains this result: the attributed ones, or the
    /// behavioural one.
    pub fn explaining_quirks(&self) -> impl Iterator<Item = Quirk> + '_ {
        self.quirks.iter().flatten().copied().chain(self.behaviour)
    }

    /// Whether some catalogued quirk explains this divergence.
    #[must_use]
    pub fn is_explained(&self) -> bool {
        self.quirks.is_some() || self.behaviour.is_some()
    }
}

/// What explains a divergence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Explanation {
    /// A quirk set whose pipeline reproduces the output.
    Quirks(Vec<Quirk>),
    /// A behavioural quirk, by rule.
    Behaviour(Quirk),
    /// Nothing (not a divergence, or unexplained).
    None,
    /// Unexplained so far: the quirk search spent its budget on this case
    /// ([`crate::quirks::BLIND_BUDGET`]) before finding a set.
    CutShort,
}

/// A result's `diffs` as a report stores them: a stage whose difference follows from the first
/// differing field, and a first field kept without its values, are written as the bare field
/// name; every other difference as an object. Those entries were a third of a full matrix's
/// `report.json` written as objects (a base string, a signature and a header following from
/// the parameters, on every divergent case), and the bare name says all they said.
mod compact_diffs {
    use serde::ser::SerializeSeq;
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::judge::{Diff, Field};

    fn is_bare(diff: &Diff, index: usize, first: Field) -> bool {
        let valueless = diff.expected.is_none() && diff.actual.is_none() && !diff.partial;
        valueless && if index == 0 { diff.follows.is_none() } else { diff.follows == Some(first) }
    }

    pub(super) fn serialize<S: Serializer>(diffs: &[Diff], serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(diffs.len()))?;
        if let Some(first) = diffs.first().map(|d| d.field) {
            for (index, diff) in diffs.iter().enumerate() {
                if is_bare(diff, index, first) {
                    seq.serialize_element(&diff.field)?;
                } else {
                    seq.serialize_element(diff)?;
                }
            }
        }
        seq.end()
    }

    #[derive(Deserialize)]
    #[serde(untagged, expecting = "a field name or a diff object")]
    enum Entry {
        Bare(Field),
        Full(Diff),
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Diff>, D::Error> {
        let entries = Vec::<Entry>::deserialize(deserializer)?;
        let mut diffs: Vec<Diff> = Vec::with_capacity(entries.len());
        for entry in entries {
            let diff = match entry {
                Entry::Full(diff) => diff,
                Entry::Bare(field) => Diff {
                    field,
                    expected: None,
                    actual: None,
                    follows: diffs.first().map(|d| d.field),
                    partial: false,
                },
            };
            diffs.push(diff);
        }
        Ok(diffs)
    }
}

#[cfg(test)]
mod tests {
    use super::compact_diffs;
    use crate::judge::{Diff, Field};
    use crate::trace::Stage;

    fn stage(stage: Stage) -> Field {
        Field::Stage(stage)
    }

    fn following(field: Field, first: Field) -> Diff {
        Diff { field, expected: None, actual: None, follows: Some(first), partial: false }
    }

    fn round_trip(diffs: &[Diff]) -> (String, Vec<Diff>) {
        let mut out = Vec::new();
        compact_diffs::serialize(diffs, &mut serde_json::Serializer::new(&mut out)).unwrap();
        let text = String::from_utf8(out).unwrap();
        let back = compact_diffs::deserialize(&mut serde_json::Deserializer::from_str(&text)).unwrap();
        (text, back)
    }

    #[test]
    fn differences_that_follow_from_the_first_are_bare_names_and_read_back_whole() {
        let params = stage(Stage::NormalizedParameters);
        let diffs = [
            Diff::new(params, "a=1", "a=2"),
            following(stage(Stage::SignatureBaseString), params),
            following(stage(Stage::Signature), params),
        ];
        let (text, back) = round_trip(&diffs);
        assert_eq!(
            text,
            r#"[{"field":"normalized_parameters","expected":"a=1","actual":"a=2"},"signature_base_string","signature"]"#
        );
        assert_eq!(back, diffs);
    }

    #[test]
    fn a_valueless_first_field_is_bare_and_a_later_one_that_follows_nothing_stays_an_object() {
        let uri = stage(Stage::BaseStringUri);
        let params = stage(Stage::NormalizedParameters);
        let diffs = [
            Diff::new(uri, "x", "y").without_values(),
            Diff::new(params, "a", "b").without_values(),
            following(stage(Stage::Signature), uri),
        ];
        let (text, back) = round_trip(&diffs);
        assert_eq!(text, r#"["base_string_uri",{"field":"normalized_parameters"},"signature"]"#);
        assert_eq!(back, diffs);
    }

    #[test]
    fn an_entry_that_is_neither_a_field_nor_a_diff_is_refused() {
        let error = compact_diffs::deserialize(&mut serde_json::Deserializer::from_str(r#"["no_such_field"]"#));
        assert!(error.unwrap_err().to_string().contains("a field name or a diff object"));
    }
}
