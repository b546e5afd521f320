//! Secrets never reach a report or the terminal: every text capture keeps from the wire, a
//! driver's stderr or a command line passes through [`Redactor::scrub`] first.

use oauth1_reference::encoding::percent_encode;

/// Replaces the configured secrets, raw and percent-encoded, with `<redacted>`.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    /// Longest first, so that a secret containing another is replaced whole.
    needles: Vec<String>,
}

/// Shorter secrets are not scrubbed: replacing every occurrence of a three-letter string would
/// garble the report while protecting nothing a guess would not find.
const MIN_SECRET: usize = 4;

impl Redactor {
    /// A redactor for `secrets`.
    #[must_use]
    pub fn new<'a>(secrets: impl IntoIterator<Item = &'a str>) -> Self {
        let mut needles = Vec::new();
        for secret in secrets.into_iter().filter(|s| s.len() >= MIN_SECRET) {
            needles.push(secret.to_owned());
            let encoded = percent_encode(secret.as_bytes());
            if encoded != secret {
                needles.push(encoded.clone());
                // The PLAINTEXT signature and the header encode the secret once more.
                needles.push(percent_encode(encoded.as_bytes()));
            }
        }
        needles.sort_by_key(|n| std::cmp::Reverse(n.len()));
        needles.dedup();
        Self { needles }
    }

    /// `text` with every secret replaced.
    #[must_use]
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for needle in &self.needles {
            if out.contains(needle.as_str()) {
                out = out.replace(needle.as_str(), "<redacted>");
            }
        }
        out
    }
}

/// Octets as text: UTF-8 kept, every other octet and every control character as `\xHH`.
#[must_use]
pub(crate) fn visible(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c.is_control() {
                for b in c.to_string().bytes() {
                    out.push_str(&format!("\\x{b:02X}"));
                }
            } else {
                out.push(c);
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_scrubbed_raw_and_encoded() {
        let redactor = Redactor::new(["kd94hf93k423kf44", "p&s s", "abc"]);
        assert_eq!(redactor.scrub("sig=kd94hf93k423kf44%26x"), "sig=<redacted>%26x");
        assert_eq!(redactor.scrub("p%26s%20s and p%2526s%2520s"), "<redacted> and <redacted>");
        assert_eq!(redactor.scrub("abc"), "abc");
    }

    #[test]
    fn octets_are_shown() {
        assert_eq!(visible(b"caf\xc3\xa9 \xff\n"), "café \\xFF\\x0A");
    }
}
