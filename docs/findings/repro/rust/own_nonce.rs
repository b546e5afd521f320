//! The check shared by the reproductions of the crates that choose their own `oauth_nonce` and
//! `oauth_timestamp` (oauth1, oauth1-header, oauth1-client, twapi-oauth): what they sign can equal
//! no value published for a fixed nonce and timestamp, so neither RFC 5849's signature nor the
//! one a dossier documents can be hard-coded.
//!
//! Each finding's table entry gives instead, for each of the two, the signature base string and
//! the HMAC-SHA1 key, written with the entry's own nonce and timestamp (RFC 5849's from the
//! vector, or the reference's for a generated case; the dossier's from its library column). Once
//! the crate has signed, its nonce and timestamp replace the entry's in both base strings, and
//! both are signed here with HMAC-SHA1 from the `hmac` and `sha1` crates (not the crate under
//! test): RFC 5849's signature and the documented one for that very request, compared with the
//! signature the crate sent. A finding that shows in the Authorization header alone compares how
//! the crate writes one parameter there (`parameter`), which no nonce changes.

use std::process::ExitCode;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha1::Sha1;

/// What a crate sent: its protocol parameters (decoded) and its Authorization header, if it
/// wrote one (a crate may put them in the query instead).
pub(crate) struct Sent {
    /// Every `name=value` it sent, decoded.
    pub(crate) params: Vec<(String, String)>,
    /// The Authorization header as written.
    pub(crate) header: Option<String>,
}

impl Sent {
    /// What an Authorization header carries, read leniently: quoted or not, every value
    /// percent-decoded once.
    pub(crate) fn from_header(header: &str) -> Self {
        let params = header
            .strip_prefix("OAuth ")
            .unwrap_or(header)
            .split(',')
            .filter_map(|part| {
                let (name, value) = part.trim().split_once('=')?;
                let value = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(value);
                Some((percent_decode(name), percent_decode(value)))
            })
            .collect();
        Self { params, header: Some(header.to_owned()) }
    }

    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// `NAME=value` as the header writes it, or `(absent)`.
    fn segment(&self, name: &str) -> String {
        let header = self.header.as_deref().unwrap_or_default();
        let body = header.strip_prefix("OAuth ").unwrap_or(header);
        body.split(',')
            .map(str::trim)
            .find(|part| part.split_once('=').is_some_and(|(n, _)| n == name))
            .map_or_else(|| "(absent)".to_owned(), str::to_owned)
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(octet)) => {
                out.push(octet);
                i += 3;
            }
            (octet, _) => {
                out.push(octet);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// RFC 5849 §3.6: every octet but the unreserved ones as `%XX`.
pub(crate) fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub(crate) fn hmac_sha1(key: &str, text: &str) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(key.as_bytes()).expect("HMAC takes any key");
    mac.update(text.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// `side` ("rfc" or "documented") of `entry` for what the crate `sent`: the signature of its
/// base string with the crate's nonce and timestamp in place of the entry's, or the header
/// segment the entry gives.
fn expected(entry: &Value, side: &str, sent: &Sent) -> String {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    if entry["stage"] != "signature" {
        return text(&entry[side]);
    }
    let mut base = text(&entry[side]["base_string"]);
    for (name, field) in [("oauth_nonce", "nonce"), ("oauth_timestamp", "timestamp")] {
        let (ours, theirs) = (text(&entry["oauth"][field]), sent.param(name).unwrap_or_default());
        // In the base string a value is encoded twice: once as a parameter, once as a part.
        base = base
            .replace(&format!("{name}%3D{}", encode(&encode(&ours))), &format!("{name}%3D{}", encode(&encode(theirs))));
    }
    hmac_sha1(&text(&entry[side]["key"]), &base)
}

/// Runs the finding named on the command line: `sign` drives the crate on the entry's input;
/// prints the crate's value next to RFC 5849's and exits 0 (as documented), 3 (fixed: retire the
/// dossier) or 4 (a third value).
pub(crate) fn check(name: &str, findings: &str, sign: impl Fn(&Value) -> Sent) -> ExitCode {
    let findings: Vec<Value> = serde_json::from_str(findings).expect("the table is JSON");
    let wanted = std::env::args().nth(1).unwrap_or_default();
    let Some(entry) = findings.iter().find(|e| e["finding"] == wanted.as_str()) else {
        let names: Vec<&str> = findings.iter().filter_map(|e| e["finding"].as_str()).collect();
        eprintln!("usage: {name} FINDING (one of: {})", names.join(", "));
        return ExitCode::from(2);
    };
    let sent = sign(entry);
    let value = match entry["parameter"].as_str() {
        Some(parameter) => sent.segment(parameter),
        None => sent.param("oauth_signature").unwrap_or_default().to_owned(),
    };
    let (rfc, documented) = (expected(entry, "rfc", &sent), expected(entry, "documented", &sent));
    let field = |name: &str| entry[name].as_str().unwrap_or_default().to_owned();
    println!("finding:  {wanted} (case {}, {})", field("vector"), field("stage"));
    println!(
        "sent:     oauth_nonce {:?}, oauth_timestamp {:?} (the crate's own; the values below are for them)",
        sent.param("oauth_nonce").unwrap_or_default(),
        sent.param("oauth_timestamp").unwrap_or_default()
    );
    println!("{name}: {value}");
    println!("RFC 5849: {rfc}");
    if value == rfc {
        println!("fixed: {name} now agrees with RFC 5849");
        return ExitCode::from(3);
    }
    if value != documented {
        println!("changed: the dossier documents {documented}");
        return ExitCode::from(4);
    }
    ExitCode::SUCCESS
}

/// `name=value&…` decoded as application/x-www-form-urlencoded (`+` a space), as text: what a
/// caller hands the crate for the query and a form body.
pub(crate) fn form_pairs(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(&name.replace('+', " ")), percent_decode(&value.replace('+', " ")))
        })
        .collect()
}

/// The query's pairs, then the form body's (when the Content-Type is a form).
pub(crate) fn request_pairs(request: &Value) -> Vec<(String, String)> {
    let url = request["url"].as_str().unwrap_or_default();
    let url = url.split('#').next().unwrap_or_default();
    let mut pairs = url.split_once('?').map(|(_, query)| form_pairs(query)).unwrap_or_default();
    let form = request["content_type"].as_str().is_some_and(|t| {
        t.split(';').next().unwrap_or_default().trim().eq_ignore_ascii_case("application/x-www-form-urlencoded")
    });
    if let (true, Some(body)) = (form, request["body"].as_str()) {
        pairs.extend(form_pairs(body));
    }
    pairs
}

/// The URL with its query and fragment cut off, as these crates take it.
pub(crate) fn url_without_query(request: &Value) -> String {
    let url = request["url"].as_str().unwrap_or_default();
    url.split(['?', '#']).next().unwrap_or_default().to_owned()
}
