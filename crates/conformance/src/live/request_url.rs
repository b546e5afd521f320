//! The absolute URL a received request was sent to, rebuilt the way a server must for
//! RFC 5849 §3.4.1.2: the scheme of the connection, the `Host` field and the request target
//! as received. Behind a TLS-terminating proxy the connection's scheme and host are the
//! proxy's, so with `trust_proxy` they come from `Forwarded` (RFC 7239) or
//! `X-Forwarded-Proto` / `X-Forwarded-Host` / `X-Forwarded-Port` instead: the rebuild most
//! deployed servers get wrong.

use oauth1_wire::server::ReceivedRequest;

/// Why no URL could be rebuilt (answered 400).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlError(pub String);

/// The URL `request` was sent to.
///
/// # Errors
/// A target that is not UTF-8 or neither origin- nor absolute-form, a missing or repeated
/// `Host`, or proxy fields that do not parse.
pub fn request_url(request: &ReceivedRequest, trust_proxy: bool) -> Result<String, UrlError> {
    let target = request.target_str().ok_or_else(|| UrlError("the request target is not UTF-8".into()))?;
    if has_scheme(target, "http") || has_scheme(target, "https") {
        // Absolute form (RFC 7230 §5.4): the target names the URL, whatever Host says.
        return Ok(target.to_owned());
    }
    if !target.starts_with('/') {
        return Err(UrlError("the request target is neither a path (origin form) nor an absolute URL".into()));
    }
    let mut scheme = if request.tls.is_some() { "https" } else { "http" }.to_owned();
    let mut host = host_field(request)?;
    if trust_proxy {
        let forwarded = forwarded(request)?;
        if let Some(proto) = forwarded.proto.or(first_item(request, "x-forwarded-proto")?) {
            scheme = proto.to_ascii_lowercase();
            if scheme != "http" && scheme != "https" {
                return Err(UrlError("the forwarded scheme is neither http nor https".into()));
            }
        }
        if let Some(forwarded_host) = forwarded.host.or(first_item(request, "x-forwarded-host")?) {
            host = forwarded_host;
        }
        if let Some(port) = first_item(request, "x-forwarded-port")? {
            if !port.bytes().all(|b| b.is_ascii_digit()) || port.is_empty() {
                return Err(UrlError("X-Forwarded-Port is not a port number".into()));
            }
            if !has_port(&host) {
                host = format!("{host}:{port}");
            }
        }
    }
    Ok(format!("{scheme}://{host}{target}"))
}

fn has_scheme(target: &str, scheme: &str) -> bool {
    target.get(..scheme.len()).is_some_and(|s| s.eq_ignore_ascii_case(scheme))
        && target.get(scheme.len()..).is_some_and(|rest| rest.starts_with("://"))
}

fn has_port(host: &str) -> bool {
    match host.rfind(']') {
        Some(close) => host.get(close + 1..).is_some_and(|rest| rest.starts_with(':')),
        None => host.contains(':'),
    }
}

/// RFC 7230 §5.4: exactly one `Host` field.
fn host_field(request: &ReceivedRequest) -> Result<String, UrlError> {
    let mut hosts = request.headers_named("host");
    let host = hosts.next().ok_or_else(|| UrlError("no Host header: the URL cannot be rebuilt".into()))?;
    if hosts.next().is_some() {
        return Err(UrlError("more than one Host header".into()));
    }
    let host = host.value_str().ok_or_else(|| UrlError("the Host header is not UTF-8".into()))?;
    if host.is_empty() {
        return Err(UrlError("the Host header is empty".into()));
    }
    Ok(host.to_owned())
}

/// The first comma-separated item of the first field `name` (the one the proxy nearest the
/// client wrote).
fn first_item(request: &ReceivedRequest, name: &str) -> Result<Option<String>, UrlError> {
    let Some(field) = request.headers_named(name).next() else {
        return Ok(None);
    };
    let value = field.value_str().ok_or_else(|| UrlError(format!("the {} header is not UTF-8", field.name)))?;
    let item = value.split(',').next().unwrap_or_default().trim();
    Ok((!item.is_empty()).then(|| item.to_owned()))
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Forwarded {
    proto: Option<String>,
    host: Option<String>,
}

/// `proto` and `host` of the first element of the first `Forwarded` field (RFC 7239 §4):
/// `for=192.0.2.60;proto=https;host="api.example.com:8443", for=…`.
fn forwarded(request: &ReceivedRequest) -> Result<Forwarded, UrlError> {
    let Some(field) = request.headers_named("forwarded").next() else {
        return Ok(Forwarded::default());
    };
    let value = field.value_str().ok_or_else(|| UrlError("the Forwarded header is not UTF-8".into()))?;
    parse_forwarded_element(value).ok_or_else(|| UrlError("the Forwarded header does not parse (RFC 7239 §4)".into()))
}

fn parse_forwarded_element(value: &str) -> Option<Forwarded> {
    let mut result = Forwarded::default();
    let mut rest = value.trim_start();
    loop {
        let (name, after) = rest.split_once('=')?;
        let (text, after) = match after.strip_prefix('"') {
            Some(quoted) => quoted_string(quoted)?,
            None => {
                let end = after.find([';', ',']).unwrap_or(after.len());
                (after.get(..end)?.trim_end().to_owned(), after.get(end..)?)
            }
        };
        match name.trim().to_ascii_lowercase().as_str() {
            "proto" => result.proto = Some(text),
            "host" => result.host = Some(text),
            _ => {}
        }
        let after = after.trim_start();
        match after.chars().next() {
            Some(';') => rest = after.get(1..)?.trim_start(),
            None | Some(',') => return Some(result),
            Some(_) => return None,
        }
    }
}

/// The content of a quoted-string whose opening quote is already consumed, and what follows.
fn quoted_string(text: &str) -> Option<(String, &str)> {
    let mut out = String::new();
    let mut chars = text.char_indices();
    while let Some((index, c)) = chars.next() {
        match c {
            '"' => return Some((out, text.get(index + 1..)?)),
            '\\' => out.push(chars.next()?.1),
            _ => out.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use oauth1_wire::server::HttpVersion;
    use oauth1_wire::{BodyFraming, HeaderField};

    fn request(target: &[u8], headers: &[(&str, &str)], tls: bool) -> ReceivedRequest {
        ReceivedRequest {
            peer: "127.0.0.1:1".parse().unwrap(),
            local: "127.0.0.1:2".parse().unwrap(),
            tls: tls.then(|| oauth1_wire::server::TlsInfo { server_name: None, protocol: "TLSv1_3".into() }),
            connection: 1,
            index_on_connection: 0,
            received_at: std::time::SystemTime::UNIX_EPOCH,
            method: "GET".into(),
            target: target.to_vec(),
            version: HttpVersion::Http11,
            headers: headers
                .iter()
                .map(|(n, v)| HeaderField { name: (*n).into(), value: v.as_bytes().to_vec() })
                .collect(),
            framing: BodyFraming::None,
            body: Vec::new(),
            trailers: Vec::new(),
        }
    }

    #[test]
    fn direct() {
        let plain = request(b"/p?q=1", &[("Host", "Example.com:8080")], false);
        assert_eq!(request_url(&plain, false).unwrap(), "http://Example.com:8080/p?q=1");
        let tls = request(b"/p", &[("host", "example.com")], true);
        assert_eq!(request_url(&tls, false).unwrap(), "https://example.com/p");
        let absolute = request(b"http://other.example/x", &[("Host", "example.com")], false);
        assert_eq!(request_url(&absolute, false).unwrap(), "http://other.example/x");
        // Proxy fields are ignored unless trusted.
        let proxied = request(b"/p", &[("Host", "backend:8080"), ("X-Forwarded-Proto", "https")], false);
        assert_eq!(request_url(&proxied, false).unwrap(), "http://backend:8080/p");
    }

    #[test]
    fn behind_a_proxy() {
        let cases: [(&[(&str, &str)], &str); 5] = [
            (&[("Host", "api.example.com"), ("X-Forwarded-Proto", "https, http")], "https://api.example.com/p"),
            (
                &[("Host", "b:8080"), ("X-Forwarded-Host", "api.example.com"), ("X-Forwarded-Proto", "HTTPS")],
                "https://api.example.com/p",
            ),
            (
                &[("Host", "b"), ("X-Forwarded-Host", "api.example.com"), ("X-Forwarded-Port", "8443")],
                "http://api.example.com:8443/p",
            ),
            (
                &[
                    ("Host", "b"),
                    ("Forwarded", "for=192.0.2.60;Proto=https;host=\"api.example.com:8443\", proto=http"),
                    ("X-Forwarded-Proto", "http"),
                ],
                "https://api.example.com:8443/p",
            ),
            (&[("Host", "b"), ("Forwarded", "for=\"[2001:db8::1]\";proto=https")], "https://b/p"),
        ];
        for (headers, expected) in cases {
            assert_eq!(request_url(&request(b"/p", headers, false), true).unwrap(), expected, "{headers:?}");
        }
        for headers in
            [&[("Host", "b"), ("X-Forwarded-Proto", "ftp")][..], &[("Host", "b"), ("Forwarded", "proto=\"https")]]
        {
            assert!(request_url(&request(b"/p", headers, false), true).is_err(), "{headers:?}");
        }
    }

    #[test]
    fn refusals() {
        assert!(request_url(&request(b"/p", &[], false), false).is_err());
        assert!(request_url(&request(b"/p", &[("Host", "a"), ("Host", "b")], false), false).is_err());
        assert!(request_url(&request(b"/p\xff", &[("Host", "a")], false), false).is_err());
        assert!(request_url(&request(b"*", &[("Host", "a")], false), false).is_err());
    }
}
