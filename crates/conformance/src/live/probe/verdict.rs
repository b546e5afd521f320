//! Verdicts and severities of the probe's cases, and the one function that gives a case its
//! verdict from what the server did.

use serde::{Deserialize, Serialize};

use super::cases::{CaseRow, Expected};
use super::oracle::Observed;

/// A case's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The server did what the RFC says.
    Ok,
    /// A `may-refuse` row refused, or a `may-accept` row accepted: allowed, stricter or
    /// laxer than needed.
    NonStrict,
    /// Reported, not judged (the timestamp window, PLAINTEXT over http://).
    Informational,
    /// The server accepted what it must refuse, or refused what it must accept.
    Fail,
    /// The answer was in neither status set, the request got no answer, or the control was
    /// refused too.
    Inconclusive,
    /// Not run, with the reason.
    Skip,
}

impl Verdict {
    /// Every verdict, in report order.
    pub const ALL: [Self; 6] =
        [Self::Fail, Self::NonStrict, Self::Inconclusive, Self::Informational, Self::Ok, Self::Skip];

    /// As written in reports.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::NonStrict => "non-strict",
            Self::Informational => "informational",
            Self::Fail => "fail",
            Self::Inconclusive => "inconclusive",
            Self::Skip => "skip",
        }
    }

    /// Whether it is a finding (a baseline records it): anything but `ok` and `skip`.
    #[must_use]
    pub fn is_finding(self) -> bool {
        !matches!(self, Self::Ok | Self::Skip)
    }
}

/// How much a verdict weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Nothing to report.
    None,
    /// Reported for information.
    Info,
    /// Allowed by the RFC, worth knowing.
    Low,
    /// A valid request refused, or a malformed one accepted.
    Medium,
    /// A tampered, replayed or stale request accepted.
    High,
}

impl Severity {
    /// As written in reports.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Info => "info",
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
        }
    }
}

/// The verdict of `row` on what the server did, given whether its control was accepted
/// (`None`: it has none, or it did not run).
#[must_use]
pub fn judge(row: &CaseRow, observed: Observed, control_accepted: Option<bool>) -> (Verdict, Severity) {
    match (row.expected, observed) {
        (_, Observed::Neither) => (Verdict::Inconclusive, Severity::None),
        (Expected::Accept, Observed::Accepted) | (Expected::Report, Observed::Refused) => (Verdict::Ok, Severity::None),
        (Expected::Accept, Observed::Refused) if row.may_refuse => (Verdict::NonStrict, Severity::Low),
        (Expected::Accept, Observed::Refused) => (Verdict::Fail, row.severity),
        // A refusal proves nothing when the request it was made from was refused too.
        (Expected::Refuse, Observed::Refused) if control_accepted == Some(false) => {
            (Verdict::Inconclusive, Severity::None)
        }
        (Expected::Refuse, Observed::Refused) => (Verdict::Ok, Severity::None),
        (Expected::Refuse, Observed::Accepted) if row.may_accept => (Verdict::NonStrict, Severity::Low),
        (Expected::Refuse, Observed::Accepted) => (Verdict::Fail, row.severity),
        (Expected::Report, Observed::Accepted) => (Verdict::Informational, Severity::Info),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::probe::cases::Family;

    fn row(expected: Expected, may_refuse: bool, may_accept: bool) -> CaseRow {
        CaseRow {
            id: "x".into(),
            family: Family::Tampered,
            rfc: String::new(),
            change: String::new(),
            expected,
            may_refuse,
            may_accept,
            severity: Severity::High,
            control: None,
            mutation: None,
        }
    }

    #[test]
    fn verdicts_follow_the_table() {
        let refuse = row(Expected::Refuse, false, false);
        assert_eq!(judge(&refuse, Observed::Accepted, Some(true)), (Verdict::Fail, Severity::High));
        assert_eq!(judge(&refuse, Observed::Refused, Some(true)).0, Verdict::Ok);
        assert_eq!(judge(&refuse, Observed::Refused, Some(false)).0, Verdict::Inconclusive);
        assert_eq!(judge(&refuse, Observed::Neither, None).0, Verdict::Inconclusive);
        assert_eq!(judge(&row(Expected::Refuse, false, true), Observed::Accepted, None).0, Verdict::NonStrict);
        let accept = CaseRow { severity: Severity::Medium, ..row(Expected::Accept, false, false) };
        assert_eq!(judge(&accept, Observed::Refused, None), (Verdict::Fail, Severity::Medium));
        assert_eq!(judge(&row(Expected::Accept, true, false), Observed::Refused, None).0, Verdict::NonStrict);
        assert_eq!(judge(&row(Expected::Report, false, false), Observed::Accepted, None).0, Verdict::Informational);
        assert_eq!(judge(&row(Expected::Report, false, false), Observed::Refused, None).0, Verdict::Ok);
    }
}
