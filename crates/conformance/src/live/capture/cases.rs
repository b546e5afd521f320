//! The cases `capture --exec` asks a client to send: the default table (the request space
//! users send), or a JSON file of cases of the same shape (`--cases PATH`).
//!
//! Each case has its own path on the loopback server, `/<client>/<case id>`, followed by the
//! case's own path; the query, method, content type and body are the case's. A redirect case
//! is answered 307 to `…/moved`, where the client must send a request signed for the new URL.

use std::path::Path;

use oauth1_reference::signature::SignatureMethod;
use serde::{Deserialize, Serialize};

use crate::report::capture::{CaseFamily, CaseInfo};

/// Which port a case is sent to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PortChoice {
    /// The run's listening port (non-default).
    #[default]
    Main,
    /// The scheme's default port, 80 for http and 443 for https, where it is free.
    Default,
}

/// One request for a client to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaptureCase {
    /// Stable id, `[a-z0-9-]+`: part of the URL and of the replay command.
    pub id: String,
    /// Its family.
    pub family: CaseFamily,
    /// What it exercises.
    pub description: String,
    /// The method.
    pub method: String,
    /// Path after `/<client>/<case id>`, as sent (percent-encodings kept); may be empty.
    #[serde(default)]
    pub path: String,
    /// The query without `?`, as sent; `Some("")` is a URL ending in `?`.
    #[serde(default)]
    pub query: Option<String>,
    /// The content type.
    #[serde(default)]
    pub content_type: Option<String>,
    /// The body; `Some("")` is an empty body.
    #[serde(default)]
    pub body: Option<String>,
    /// `oauth_signature_method`.
    #[serde(default = "hmac_sha1")]
    pub signature_method: String,
    /// Whether the request carries the token.
    #[serde(default = "yes")]
    pub token: bool,
    /// The realm, if any.
    #[serde(default)]
    pub realm: Option<String>,
    /// Answer the first request 307 to `…/moved`.
    #[serde(default)]
    pub redirect: bool,
    /// The port.
    #[serde(default)]
    pub port: PortChoice,
}

fn hmac_sha1() -> String {
    "HMAC-SHA1".to_owned()
}

fn yes() -> bool {
    true
}

impl CaptureCase {
    /// The case as the report lists it.
    #[must_use]
    pub fn info(&self) -> CaseInfo {
        CaseInfo { id: self.id.clone(), family: self.family, description: self.description.clone() }
    }

    /// The parsed signature method.
    ///
    /// # Errors
    /// An unknown method name.
    pub fn method_kind(&self) -> Result<SignatureMethod, super::Error> {
        SignatureMethod::from_name(&self.signature_method).map_err(|_| super::Error::CaseSignatureMethod {
            case: self.id.clone(),
            method: self.signature_method.clone(),
        })
    }

    /// The path and query after `base` (`http://127.0.0.1:PORT/client/id`).
    #[must_use]
    pub fn url(&self, base: &str) -> String {
        let mut url = format!("{base}{}", self.path);
        if let Some(query) = &self.query {
            url.push('?');
            url.push_str(query);
        }
        url
    }
}

/// Whether `text` may be a case id or a client name: a path segment with nothing to encode.
#[must_use]
pub fn is_segment(text: &str) -> bool {
    !text.is_empty() && text.len() <= 64 && text.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
}

/// A case of the default table.
#[allow(clippy::too_many_arguments)]
fn case(
    id: &str,
    family: CaseFamily,
    description: &str,
    method: &str,
    path: &str,
    query: Option<&str>,
    content_type: Option<&str>,
    body: Option<&str>,
) -> CaptureCase {
    CaptureCase {
        id: id.to_owned(),
        family,
        description: description.to_owned(),
        method: method.to_owned(),
        path: path.to_owned(),
        query: query.map(str::to_owned),
        content_type: content_type.map(str::to_owned),
        body: body.map(str::to_owned),
        signature_method: hmac_sha1(),
        token: true,
        realm: None,
        redirect: false,
        port: PortChoice::Main,
    }
}

const FORM: Option<&str> = Some("application/x-www-form-urlencoded");

fn query_cases() -> Vec<CaptureCase> {
    use CaseFamily::Query;
    let get =
        |id: &str, description: &str, query: &str| case(id, Query, description, "GET", "", Some(query), None, None);
    vec![
        get("query-reserved-encoded", "reserved characters percent-encoded: !*'()", "q=%21%2A%27%28%29"),
        get("query-reserved-raw", "reserved characters a query may carry raw: : / ? @ ! $ ' ( ) * , ;", "q=a:b/c?d@e!$'()*,;f"),
        get("query-encoded-delimiters", "encoded = & ? # in a value", "a=%3D%26%3F%23"),
        get("query-repeated", "a name repeated, values unsorted", "a=2&a=1&a=2"),
        get("query-empty", "an empty value and a name without =", "a=&b&c=3"),
        get("query-plus", "`+` for a space", "p=a+b"),
        get("query-space-encoded", "%20 for a space", "s=a%20b"),
        get("query-plus-encoded", "%2B, an encoded plus sign", "c=a%2Bb"),
        get("query-tilde", "a raw ~ (unreserved)", "t=~user"),
        get("query-tilde-encoded", "%7E, an encoded unreserved character", "t=%7Euser"),
        get("query-slash-encoded", "%2F, an encoded slash", "u=a%2Fb"),
        get("query-non-ascii", "UTF-8 octets percent-encoded", "n=caf%C3%A9"),
        get("query-non-ascii-raw", "raw UTF-8 in the URL (an IRI)", "n=café"),
        get("query-lowercase-escapes", "lowercase hex digits in escapes", "l=%c3%a9%2f"),
        get("query-empty-question-mark", "a URL ending in `?`", ""),
        get("query-many", "twenty parameters", "p01=1&p02=2&p03=3&p04=4&p05=5&p06=6&p07=7&p08=8&p09=9&p10=10&p11=11&p12=12&p13=13&p14=14&p15=15&p16=16&p17=17&p18=18&p19=19&p20=20"),
    ]
}

fn bracket_cases() -> Vec<CaptureCase> {
    use CaseFamily::Brackets;
    vec![
        case("brackets-array", Brackets, "PHP/Rails array: a[]=1&a[]=2", "GET", "", Some("a[]=1&a[]=2"), None, None),
        case("brackets-hash", Brackets, "PHP/Rails hash: a[b]=c&a[d]=e", "GET", "", Some("a[b]=c&a[d]=e"), None, None),
        case(
            "brackets-encoded",
            Brackets,
            "bracket names percent-encoded",
            "GET",
            "",
            Some("a%5B%5D=1&a%5B%5D=2"),
            None,
            None,
        ),
        case(
            "brackets-form",
            Brackets,
            "bracket names in a form body",
            "POST",
            "",
            None,
            FORM,
            Some("tags[]=x&tags[]=y&user[name]=bob"),
        ),
    ]
}

fn method_cases() -> Vec<CaptureCase> {
    use CaseFamily::Method;
    vec![
        case("get-simple", Method, "GET with a query", "GET", "", Some("file=vacation.jpg&size=original"), None, None),
        case("delete", Method, "DELETE with a query", "DELETE", "", Some("id=42"), None, None),
        case(
            "patch-json",
            Method,
            "PATCH with a JSON body",
            "PATCH",
            "",
            None,
            Some("application/json"),
            Some("{\"a\":1}"),
        ),
        case("put-form", Method, "PUT with a form body", "PUT", "", None, FORM, Some("a=1&b=2")),
        case("post-form", Method, "POST with a form body", "POST", "", None, FORM, Some("a=1&b=two")),
    ]
}

fn body_cases() -> Vec<CaptureCase> {
    use CaseFamily::{Body, Form};
    vec![
        case(
            "form-values",
            Form,
            "form values with +, %2B, %20 and ~",
            "POST",
            "",
            None,
            FORM,
            Some("a=x+y&b=%2B&c=%20&d=~"),
        ),
        case(
            "form-charset",
            Form,
            "form content type with charset",
            "POST",
            "",
            None,
            Some("application/x-www-form-urlencoded; charset=utf-8"),
            Some("a=1&n=caf%C3%A9"),
        ),
        case("form-and-query", Form, "a query and a form body", "POST", "", Some("q=1"), FORM, Some("b=2")),
        case("form-repeated", Form, "a name repeated in the body", "POST", "", None, FORM, Some("a=2&a=1")),
        case("form-empty-body", Form, "form content type, empty body", "POST", "", None, FORM, Some("")),
        case(
            "body-json",
            Body,
            "a JSON body (not signed)",
            "POST",
            "",
            None,
            Some("application/json"),
            Some("{\"a\":1,\"b\":\"x y\"}"),
        ),
        case(
            "body-xml",
            Body,
            "an XML body (not signed)",
            "POST",
            "",
            None,
            Some("application/xml"),
            Some("<a b=\"c\">d</a>"),
        ),
        case(
            "body-text-formlike",
            Body,
            "text/plain that looks like a form (not signed)",
            "POST",
            "",
            None,
            Some("text/plain"),
            Some("a=1&b=2"),
        ),
        case("body-empty-post", Body, "POST with an empty body, no content type", "POST", "", None, None, Some("")),
        case("body-empty-put", Body, "PUT with an empty body, no content type", "PUT", "", None, None, Some("")),
    ]
}

fn path_cases() -> Vec<CaptureCase> {
    use CaseFamily::Path;
    let get = |id: &str, description: &str, path: &str| case(id, Path, description, "GET", path, None, None, None);
    vec![
        get("path-space", "%20 in the path", "/a%20b"),
        get("path-tilde-encoded", "%7E in the path", "/%7Euser"),
        get("path-slash-encoded", "%2F in the path", "/a%2Fb"),
        get("path-non-ascii", "UTF-8 octets in the path", "/caf%C3%A9"),
        get("path-reserved", "sub-delimiters, : and @ in the path", "/a:b@c;d=e"),
        get("path-trailing-slash", "a trailing slash", "/dir/"),
    ]
}

fn credential_cases() -> Vec<CaptureCase> {
    use CaseFamily::Credentials;
    let mut two_legged = case("two-legged", Credentials, "no token", "GET", "", Some("a=1"), None, None);
    two_legged.token = false;
    let mut two_legged_form =
        case("two-legged-form", Credentials, "no token, a form body", "POST", "", None, FORM, Some("a=1"));
    two_legged_form.token = false;
    let mut realm = case("realm", Credentials, "a realm", "GET", "", Some("a=1"), None, None);
    realm.realm = Some("Photos".to_owned());
    vec![two_legged, two_legged_form, realm]
}

fn signature_method_cases() -> Vec<CaptureCase> {
    ["HMAC-SHA256", "HMAC-SHA512", "RSA-SHA1", "RSA-SHA256", "PLAINTEXT"]
        .into_iter()
        .map(|method| {
            let id = format!("sig-{}", method.to_ascii_lowercase());
            let mut case = case(&id, CaseFamily::SignatureMethod, method, "GET", "", Some("a=1"), None, None);
            case.signature_method = method.to_owned();
            case
        })
        .collect()
}

fn wire_cases() -> Vec<CaptureCase> {
    let mut redirect = case(
        "redirect-307",
        CaseFamily::Redirect,
        "a 307 to another path: the request re-sent must be signed for its new URL",
        "GET",
        "",
        Some("x=1"),
        None,
        None,
    );
    redirect.redirect = true;
    let mut default_port =
        case("port-default", CaseFamily::Port, "the scheme's default port", "GET", "", Some("a=1"), None, None);
    default_port.port = PortChoice::Default;
    let other_port =
        case("port-non-default", CaseFamily::Port, "a non-default port", "GET", "", Some("a=1"), None, None);
    vec![redirect, default_port, other_port]
}

/// The default table.
#[must_use]
pub fn default_cases() -> Vec<CaptureCase> {
    let mut cases = method_cases();
    cases.extend(query_cases());
    cases.extend(bracket_cases());
    cases.extend(body_cases());
    cases.extend(path_cases());
    cases.extend(credential_cases());
    cases.extend(signature_method_cases());
    cases.extend(wire_cases());
    cases
}

/// Checks a table: ids unique and path-safe, methods tokens, signature methods known.
///
/// # Errors
/// What is wrong, naming the case.
pub fn check(cases: &[CaptureCase]) -> Result<(), super::Error> {
    use super::Error;
    if cases.is_empty() {
        return Err(Error::NoCases);
    }
    for (index, case) in cases.iter().enumerate() {
        if !is_segment(&case.id) {
            return Err(Error::CaseId { index, id: case.id.clone() });
        }
        if cases.iter().take(index).any(|c| c.id == case.id) {
            return Err(Error::CaseTwice(case.id.clone()));
        }
        if !oauth1_reference::sign::is_http_method(&case.method) {
            return Err(Error::CaseMethod { case: case.id.clone(), method: case.method.clone() });
        }
        case.method_kind()?;
        if !(case.path.is_empty() || case.path.starts_with('/')) || case.path.contains(['?', '#', ' ']) {
            return Err(Error::CasePath(case.id.clone()));
        }
        if case.query.as_deref().is_some_and(|q| q.contains(['#', ' '])) {
            return Err(Error::CaseQuery(case.id.clone()));
        }
    }
    Ok(())
}

/// `default`, or a JSON file (an array of cases).
///
/// # Errors
/// An unreadable or invalid file.
pub fn load(spec: &str) -> Result<Vec<CaptureCase>, super::Error> {
    let cases = if spec == "default" {
        default_cases()
    } else {
        let path = Path::new(spec);
        let text = std::fs::read_to_string(path)
            .map_err(|source| super::Error::ReadCases { path: path.to_owned(), source })?;
        serde_json::from_str(&text).map_err(|source| super::Error::ParseCases { path: path.to_owned(), source })?
    };
    check(&cases)?;
    Ok(cases)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_table_is_valid_and_covers_every_family() {
        let cases = default_cases();
        check(&cases).unwrap();
        for family in CaseFamily::ALL {
            assert!(cases.iter().any(|c| c.family == family), "{family:?}");
        }
        let json = serde_json::to_string(&cases).unwrap();
        assert_eq!(serde_json::from_str::<Vec<CaptureCase>>(&json).unwrap(), cases);
    }
}
