//! §3.4.1.2, the base string URI, as an implementation with quirks builds it.

use oauth1_reference::uri::{default_port, push_iri_as_uri, RequestUrl};

use crate::quirks::{Quirk, QuirkSet};

/// The base string URI of `request_url` (parsed as `url`) under `quirks`.
/// `plus_is_space_in_url` is liboauth's `+`-to-space over the whole URL, under
/// `splits-whole-url-on-ampersand-and-question-mark`.
pub(super) fn base_string_uri(
    request_url: &str,
    url: &RequestUrl<'_>,
    quirks: &QuirkSet,
    plus_is_space_in_url: bool,
) -> String {
    // §3.4.1.2, with the URI quirks.
    let mut base_uri = String::new();
    let scheme_end = request_url.find("://").unwrap_or(0);
    let after_scheme = request_url.get(scheme_end + 3..).unwrap_or_default();
    let authority =
        after_scheme.get(..after_scheme.find(['/', '?', '#']).unwrap_or(after_scheme.len())).unwrap_or_default();
    let userinfo = authority.rfind('@').and_then(|at| authority.get(..=at)).unwrap_or_default();
    if quirks.has(Quirk::KeepsHostCase) {
        base_uri.push_str(request_url.get(..scheme_end).unwrap_or_default());
        base_uri.push_str("://");
    } else {
        base_uri.push_str(url.scheme);
        base_uri.push_str("://");
    }
    if quirks.has(Quirk::KeepsUserinfo) {
        base_uri.push_str(userinfo);
    }
    let host = if quirks.has(Quirk::UnbracketsIpv6Host) {
        url.host.trim_start_matches('[').trim_end_matches(']')
    } else {
        url.host
    };
    if quirks.has(Quirk::KeepsHostCase) || quirks.has(Quirk::KeepsHostCaseNotScheme) {
        base_uri.push_str(host);
    } else {
        base_uri.push_str(&host.to_ascii_lowercase());
    }
    if quirks.has(Quirk::KeepsEmptyPort) && url.port.is_none() && authority.ends_with(':') {
        base_uri.push(':');
    }
    if let Some(port) = url.port {
        let dropped = if quirks.has(Quirk::DropsNonDefaultPort) {
            true
        } else if quirks.has(Quirk::DropsPort80ForAnyScheme) {
            port == 80
        } else {
            !quirks.has(Quirk::KeepsDefaultPort) && Some(port) == default_port(url.scheme)
        };
        if !dropped {
            base_uri.push_str(&format!(":{port}"));
        }
    }
    let mut path =
        if quirks.has(Quirk::ResolvesDotSegments) { remove_dot_segments(url.path) } else { url.path.to_owned() };
    if quirks.has(Quirk::EscapesPathLikeUrlParse) {
        path = escape_like_url_parse(&path);
    }
    if quirks.has(Quirk::DoubleSlashPathReadAsAuthority) {
        if let Some(after_authority) =
            path.strip_prefix("//").map(|rest| rest.find('/').and_then(|i| rest.get(i..)).unwrap_or_default())
        {
            path = after_authority.to_owned();
        }
    }
    let unreserved = |octet: u8| octet.is_ascii_alphanumeric() || b"-._~".contains(&octet);
    let decodes_unreserved = quirks.has(Quirk::DecodesUnreservedPathEscapes);
    let decodes_pchar = quirks.has(Quirk::DecodesPcharPathEscapes);
    if decodes_unreserved || decodes_pchar || quirks.has(Quirk::UppercasesPathEscapes) {
        // RFC 3986 §3.3: pchar = unreserved / pct-encoded / sub-delims / ":" / "@".
        let pchar = |octet: u8| unreserved(octet) || b"!$&'()*+,;=:@".contains(&octet);
        path = normalize_path_escapes(
            &path,
            |octet| (decodes_unreserved && unreserved(octet)) || (decodes_pchar && pchar(octet)),
            quirks.has(Quirk::UppercasesPathEscapes),
        );
    }
    path = reshape_path(path, quirks);
    // oauth-signature keeps `/` only when `scheme://authority/` as it rebuilt them occurs in
    // the URL as written.
    let normalizing_drops_root = quirks.has(Quirk::DropsRootPathAfterNormalizing);
    if normalizing_drops_root && path == "/" && !request_url.contains(&format!("{base_uri}/")) {
        path.clear();
    }
    if path.is_empty() {
        if !quirks.has(Quirk::EmptyPathNotSlash) && !normalizing_drops_root {
            base_uri.push('/');
        }
    } else if quirks.has(Quirk::KeepsRawIri) || quirks.has(Quirk::EncodesUriAsLatin1) {
        // `encodes-base-string-uri-as-latin1` keeps the characters for the base string's
        // encoder, which writes them as Latin-1 octets.
        base_uri.push_str(&path);
    } else if quirks.has(Quirk::DecodesPathEscapes) {
        // The decoded path is text with raw spaces and separators, which the IRI mapping
        // would refuse; it enters the base string URI as it is.
        base_uri.push_str(&String::from_utf8_lossy(&decode_escapes(path.as_bytes())));
    } else {
        push_iri_as_uri(&path, &mut base_uri);
    }
    if let (true, Some(query)) = (quirks.has(Quirk::KeepsQueryInBaseStringUri), url.query) {
        base_uri.push('?');
        push_iri_as_uri(query, &mut base_uri);
    }
    if let (true, Some((_, fragment))) = (quirks.has(Quirk::KeepsFragment), request_url.split_once('#')) {
        base_uri.push('#');
        base_uri.push_str(fragment);
    }
    if plus_is_space_in_url {
        // liboauth turns every `+` of the URL, the path's too, into a space before it splits.
        base_uri = base_uri.replace('+', " ");
    }
    base_uri
}

/// The path quirks that change the path as a whole: its case, its end, its escapes' `%`.
fn reshape_path(mut path: String, quirks: &QuirkSet) -> String {
    if quirks.has(Quirk::DropsPathParameters) {
        let last_segment = path.rfind('/').map_or(0, |slash| slash + 1);
        if let Some(semicolon) = path.get(last_segment..).and_then(|segment| segment.find(';')) {
            path.truncate(last_segment + semicolon);
        }
    }
    if quirks.has(Quirk::DropsTrailingSlash) && path.len() > 1 && path.ends_with('/') {
        path.pop();
    }
    if quirks.has(Quirk::LowercasesPath) {
        path.make_ascii_lowercase();
    }
    if quirks.has(Quirk::ReencodesPathEscapes) {
        path = path.replace('%', "%25");
    }
    path
}

/// Every `%` followed by two hex digits decoded; any other `%` kept.
fn decode_escapes(input: &[u8]) -> Vec<u8> {
    normalize_path_escapes_octets(input, |_| true, false)
}

/// Node's legacy `url.parse` escapes these in the path (its `autoEscapeChars`), after
/// turning every `\\` before the query into `/`.
fn escape_like_url_parse(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            '\\' => out.push('/'),
            '\'' | '{' | '}' | '|' | '^' | '`' | '"' | '<' | '>' | ' ' | '\t' | '\n' | '\r' => {
                out.push_str(&format!("%{:02X}", u32::from(c)));
            }
            _ => out.push(c),
        }
    }
    out
}

/// RFC 3986 §6.2.2.2 (the escapes of the octets `decoded` picks) and §6.2.2.1 (`uppercase`)
/// applied to a path.
fn normalize_path_escapes(path: &str, decoded: impl Fn(u8) -> bool, uppercase: bool) -> String {
    String::from_utf8_lossy(&normalize_path_escapes_octets(path.as_bytes(), decoded, uppercase)).into_owned()
}

fn normalize_path_escapes_octets(bytes: &[u8], decoded: impl Fn(u8) -> bool, uppercase: bool) -> Vec<u8> {
    let hex = |b: Option<&u8>| b.and_then(|&b| char::from(b).to_digit(16)).and_then(|d| u8::try_from(d).ok());
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match (b, hex(bytes.get(i + 1)), hex(bytes.get(i + 2))) {
            (b'%', Some(high), Some(low)) => {
                let octet = high << 4 | low;
                if decoded(octet) {
                    out.push(octet);
                } else if uppercase {
                    out.extend_from_slice(format!("%{octet:02X}").as_bytes());
                } else {
                    out.extend_from_slice(bytes.get(i..i + 3).unwrap_or_default());
                }
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// RFC 3986 §5.2.4 `remove_dot_segments`.
fn remove_dot_segments(path: &str) -> String {
    let mut input = path.to_owned();
    let mut output = String::with_capacity(path.len());
    while !input.is_empty() {
        if let Some(rest) = input.strip_prefix("../").or_else(|| input.strip_prefix("./")) {
            input = rest.to_owned();
        } else if input.starts_with("/./") {
            input.replace_range(..3, "/");
        } else if input == "/." {
            input = "/".to_owned();
        } else if input.starts_with("/../") || input == "/.." {
            let len = if input == "/.." { 3 } else { 4 };
            input.replace_range(..len, "/");
            let cut = output.rfind('/').unwrap_or(0);
            output.truncate(cut);
        } else if input == "." || input == ".." {
            input.clear();
        } else {
            let start = usize::from(input.starts_with('/'));
            let end = input.get(start..).and_then(|r| r.find('/')).map_or(input.len(), |i| i + start);
            output.push_str(input.get(..end).unwrap_or_default());
            input = input.get(end..).unwrap_or_default().to_owned();
        }
    }
    output
}
