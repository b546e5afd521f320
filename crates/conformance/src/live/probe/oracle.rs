//! The oracle: what a status code (and, with `--accept-body`, the body) says the server did.
//! A status in neither set is `neither`, which makes a case `inconclusive`, never a pass.

use regex::bytes::Regex;

/// What the server did with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Observed {
    /// A status of `--accept-status` (and a body matching `--accept-body`, when given).
    Accepted,
    /// A status of `--reject-status`.
    Refused,
    /// Any other status, or an accepting status whose body does not match `--accept-body`
    /// (a server that answers 200 with an empty body when it crashes did not serve the
    /// resource, nor did it refuse the request).
    Neither,
}

impl Observed {
    /// In words.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::Refused => "refused",
            Self::Neither => "neither accepted nor refused",
        }
    }
}

/// A set of status codes: `2xx`, `400,401,403`, `400-499`, or a mix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusSet {
    ranges: Vec<(u16, u16)>,
    text: String,
}

impl StatusSet {
    /// Parses a comma-separated list of codes (`401`), classes (`4xx`) and ranges (`400-403`).
    ///
    /// # Errors
    /// What is wrong, naming the item.
    pub fn parse(text: &str) -> Result<Self, super::Error> {
        let mut ranges = Vec::new();
        for item in text.split(',').map(str::trim) {
            let code = |t: &str| {
                t.parse::<u16>()
                    .ok()
                    .filter(|c| (100..=599).contains(c))
                    .ok_or_else(|| super::Error::NotAStatus { item: item.to_owned(), list: text.to_owned() })
            };
            let range = if let Some(class) = item.strip_suffix("xx").or_else(|| item.strip_suffix("XX")) {
                let digit = class.parse::<u16>().ok().filter(|d| (1..=5).contains(d));
                let digit = digit
                    .ok_or_else(|| super::Error::NotAStatusClass { item: item.to_owned(), list: text.to_owned() })?;
                (digit * 100, digit * 100 + 99)
            } else if let Some((low, high)) = item.split_once('-') {
                let (low, high) = (code(low.trim())?, code(high.trim())?);
                if low > high {
                    return Err(super::Error::EmptyRange { item: item.to_owned(), list: text.to_owned() });
                }
                (low, high)
            } else {
                let c = code(item)?;
                (c, c)
            };
            ranges.push(range);
        }
        Ok(Self { ranges, text: text.to_owned() })
    }

    /// Whether `status` is in the set.
    #[must_use]
    pub fn contains(&self, status: u16) -> bool {
        self.ranges.iter().any(|(low, high)| (*low..=*high).contains(&status))
    }

    /// As given.
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// The oracle of a probe run.
#[derive(Debug, Clone)]
pub struct Oracle {
    /// Statuses that mean accepted.
    pub accept: StatusSet,
    /// Statuses that mean refused.
    pub reject: StatusSet,
    /// A regular expression an accepted response's body must match.
    pub accept_body: Option<Regex>,
}

impl Oracle {
    /// What a response with `status` and `body` says.
    #[must_use]
    pub fn observe(&self, status: u16, body: &[u8]) -> Observed {
        if self.accept.contains(status) {
            match &self.accept_body {
                Some(regex) if !regex.is_match(body) => Observed::Neither,
                _ => Observed::Accepted,
            }
        } else if self.reject.contains(status) {
            Observed::Refused
        } else {
            Observed::Neither
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_sets() {
        let set = StatusSet::parse("2xx, 301,400-403").unwrap();
        for (status, inside) in [(200, true), (299, true), (301, true), (302, false), (402, true), (404, false)] {
            assert_eq!(set.contains(status), inside, "{status}");
        }
        for bad in ["", "6xx", "abc", "403-400", "99", "2xx,", "1000"] {
            assert!(StatusSet::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_status_in_neither_set_is_neither_and_the_body_refines_acceptance() {
        let mut oracle = Oracle {
            accept: StatusSet::parse("2xx").unwrap(),
            reject: StatusSet::parse("400,401,403").unwrap(),
            accept_body: None,
        };
        assert_eq!(oracle.observe(200, b""), Observed::Accepted);
        assert_eq!(oracle.observe(401, b""), Observed::Refused);
        assert_eq!(oracle.observe(500, b""), Observed::Neither);
        assert_eq!(oracle.observe(404, b""), Observed::Neither);
        oracle.accept_body = Some(Regex::new("\"ok\": ?true").unwrap());
        assert_eq!(oracle.observe(200, b"{\"ok\": true}"), Observed::Accepted);
        assert_eq!(oracle.observe(200, b""), Observed::Neither);
        assert_eq!(oracle.observe(401, b"{\"ok\": true}"), Observed::Refused);
    }
}
