//! The input format of the structured targets (`sign_request`, `verify_request`,
//! `differential`): a text record that a vector can be written into, so that the seed corpus
//! really is the vectors, and that libFuzzer's byte mutations keep mostly well-formed.
//!
//! A record is a sequence of lines separated by LF. Each line is `KEY SP VALUE`: the key runs
//! up to the first space (a line without a space is a key with an empty value). In the value,
//! `\\` is a backslash, `\n` an LF, `\r` a CR and `\xHH` the octet `HH`; any other backslash is
//! kept as it is, so every byte string decodes to some record and decoding never fails. A key
//! may repeat: single-valued fields take the last occurrence, list fields (`extra`, `header`,
//! `edit`, `unset`) take every occurrence in order. Unknown keys are ignored. Pair-valued
//! fields split their raw value at the first `=` (`extra NAME=VALUE`) or `:` (`header
//! NAME:VALUE`) before unescaping, so a writer escapes that separator in the name as `\xHH`.
//!
//! The keys are documented in `fuzz/README.md`.

/// One decoded record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    /// `(key, raw value)` in input order; values are unescaped on access.
    lines: Vec<(Vec<u8>, Vec<u8>)>,
}

impl Record {
    /// Reads a record from arbitrary bytes; never fails.
    #[must_use]
    pub fn parse(data: &[u8]) -> Self {
        let lines = data
            .split(|&b| b == b'\n')
            .filter(|line| !line.is_empty())
            .map(|line| match line.iter().position(|&b| b == b' ') {
                Some(space) => {
                    (line.get(..space).unwrap_or_default().to_vec(), line.get(space + 1..).unwrap_or_default().to_vec())
                }
                None => (line.to_vec(), Vec::new()),
            })
            .collect();
        Self { lines }
    }

    fn raw_values<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a [u8]> + 'a {
        self.lines.iter().filter(move |(k, _)| k == key.as_bytes()).map(|(_, v)| v.as_slice())
    }

    /// The last value of `key`, unescaped; `None` when the key is absent.
    #[must_use]
    pub fn bytes(&self, key: &str) -> Option<Vec<u8>> {
        self.raw_values(key).last().map(unescape)
    }

    /// The last value of `key` as text (invalid UTF-8 replaced by U+FFFD).
    #[must_use]
    pub fn text(&self, key: &str) -> Option<String> {
        self.bytes(key).map(|b| String::from_utf8_lossy(&b).into_owned())
    }

    /// Every value of `key`, unescaped, in order.
    #[must_use]
    pub fn all(&self, key: &str) -> Vec<Vec<u8>> {
        self.raw_values(key).map(unescape).collect()
    }

    /// Every value of `key` split at the first raw `separator` into an unescaped pair (a value
    /// without the separator is a name with an empty value).
    #[must_use]
    pub fn pairs(&self, key: &str, separator: u8) -> Vec<(Vec<u8>, Vec<u8>)> {
        self.raw_values(key)
            .map(|raw| match raw.iter().position(|&b| b == separator) {
                Some(at) => {
                    (unescape(raw.get(..at).unwrap_or_default()), unescape(raw.get(at + 1..).unwrap_or_default()))
                }
                None => (unescape(raw), Vec::new()),
            })
            .collect()
    }

    /// Appends a line `key value`, escaping the value.
    pub fn push(&mut self, key: &str, value: &[u8]) {
        self.lines.push((key.as_bytes().to_vec(), escape(value, None)));
    }

    /// Appends a line `key name<separator>value`, escaping `separator` in the name too.
    pub fn push_pair(&mut self, key: &str, name: &[u8], separator: u8, value: &[u8]) {
        let mut raw = escape(name, Some(separator));
        raw.push(separator);
        raw.extend(escape(value, None));
        self.lines.push((key.as_bytes().to_vec(), raw));
    }

    /// The record as bytes; [`Record::parse`] reads it back to an equal record.
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for (key, value) in &self.lines {
            out.extend_from_slice(key);
            out.push(b' ');
            out.extend_from_slice(value);
            out.push(b'\n');
        }
        out
    }
}

fn escape(value: &[u8], also: Option<u8>) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len());
    for &byte in value {
        match byte {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ if Some(byte) == also => out.extend_from_slice(format!("\\x{byte:02x}").as_bytes()),
            _ => out.push(byte),
        }
    }
    out
}

fn hex_digit(byte: u8) -> Option<u8> {
    char::from(byte).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

fn unescape(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while let Some(&byte) = raw.get(i) {
        let (decoded, used) = match (byte, raw.get(i + 1)) {
            (b'\\', Some(b'\\')) => (b'\\', 2),
            (b'\\', Some(b'n')) => (b'\n', 2),
            (b'\\', Some(b'r')) => (b'\r', 2),
            (b'\\', Some(b'x')) => {
                match (raw.get(i + 2).copied().and_then(hex_digit), raw.get(i + 3).copied().and_then(hex_digit)) {
                    (Some(high), Some(low)) => (high << 4 | low, 4),
                    _ => (b'\\', 1),
                }
            }
            _ => (byte, 1),
        };
        out.push(decoded);
        i += used;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_with_every_special_octet_round_trip() {
        let awkward = b"a\\b\nc\rd=e:f \\n\\x41 \x00\xff".to_vec();
        let mut record = Record::default();
        record.push("body", &awkward);
        record.push_pair("extra", b"n=a:m\\e", b'=', b"v=1");
        record.push_pair("header", b"X:Y", b':', b"z: w");
        let reread = Record::parse(&record.to_bytes());
        assert_eq!(reread, record);
        assert_eq!(reread.bytes("body"), Some(awkward));
        assert_eq!(reread.pairs("extra", b'='), vec![(b"n=a:m\\e".to_vec(), b"v=1".to_vec())]);
        assert_eq!(reread.pairs("header", b':'), vec![(b"X:Y".to_vec(), b"z: w".to_vec())]);
    }

    #[test]
    fn hand_written_records_read_as_documented() {
        let record = Record::parse(b"method GET\nurl http://a/?b=c d\ntoken\nmethod POST\n\\x4\nbody x\\qy\\x41\\\n");
        assert_eq!(record.text("method").as_deref(), Some("POST"), "the last occurrence wins");
        assert_eq!(record.text("url").as_deref(), Some("http://a/?b=c d"), "only the first space separates");
        assert_eq!(record.text("token").as_deref(), Some(""), "a key alone has an empty value");
        assert_eq!(record.text("nonce"), None);
        assert_eq!(record.bytes("body"), Some(b"x\\qyA\\".to_vec()), "unknown and cut escapes stay literal");
    }
}
