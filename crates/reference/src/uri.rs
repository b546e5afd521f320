//! RFC 5849 §3.4.1.2 "Base String URI", and the request-URL parsing it rests on.
//!
//! The URL is parsed by hand rather than with a general URL library on purpose: such
//! libraries normalise paths (`/a/../b`, `%7e`, IDNA) and §3.4.1.2 keeps the path exactly as
//! the request carried it (the RFC's own example keeps `/r%20v/X`).

use core::fmt;

use crate::encoding::{
    encoded_text, escape, for_each_piece, percent_encode_octets_into, unreserved_run, OctetSet, Piece, UNRESERVED,
};

/// Why a request URL cannot yield a base string URI.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UriError {
    /// No `scheme://` prefix: the request URI must be absolute (§3.4.1.2).
    NotAbsolute,
    /// A scheme other than `http` or `https` (§3.4.1.2 constructs an "http" or "https" URI).
    UnsupportedScheme(String),
    /// The authority has no host.
    EmptyHost,
    /// An IPv6 literal without its closing `]` (RFC 3986 §3.2.2).
    UnclosedIpLiteral,
    /// A port that is not a decimal number up to 65535 (RFC 3986 §3.2.3).
    InvalidPort(String),
    /// A non-ASCII host. Internationalised domain names must reach the reference already in
    /// their ASCII (A-label) form; IDNA mapping is outside RFC 5849.
    NonAsciiHost,
    /// An octet RFC 3986 does not allow at this position (a space, `"`, `<`, a control
    /// character…), with its byte offset in the URL.
    InvalidCharacter {
        /// Byte offset in the URL.
        position: usize,
        /// The offending octet.
        byte: u8,
    },
    /// A `%` not followed by two hexadecimal digits (RFC 3986 §2.1), with its byte offset.
    MalformedEscape {
        /// Byte offset in the URL.
        position: usize,
    },
}

impl fmt::Display for UriError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotAbsolute => f.write_str("the request URL is not absolute (no \"scheme://\")"),
            Self::UnsupportedScheme(s) => {
                write!(f, "unsupported scheme {s:?}: only http and https are defined (RFC 5849 §3.4.1.2)")
            }
            Self::EmptyHost => f.write_str("the request URL has no host"),
            Self::UnclosedIpLiteral => f.write_str("IPv6 literal without a closing ']'"),
            Self::InvalidPort(p) => write!(f, "invalid port {p:?}"),
            Self::NonAsciiHost => f.write_str("non-ASCII host: convert it to its IDNA A-label (xn--) form first"),
            Self::InvalidCharacter { position, byte } => {
                write!(f, "octet 0x{byte:02X} at byte {position} is not allowed in a URI (RFC 3986)")
            }
            Self::MalformedEscape { position } => {
                write!(f, "malformed percent-escape at byte {position} of the URL")
            }
        }
    }
}

impl std::error::Error for UriError {}

/// A request URL split into the parts RFC 5849 uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestUrl<'a> {
    /// The scheme, lowercased (`http` or `https`).
    pub scheme: &'static str,
    /// The host as sent (an IPv6 literal keeps its brackets); lowercased by [`base_string_uri`].
    pub host: &'a str,
    /// The port as sent, if any (an empty port counts as absent, RFC 3986 §3.2.3).
    pub port: Option<u16>,
    /// The path as sent, possibly empty.
    pub path: &'a str,
    /// The query without its `?`, if the URL had one.
    pub query: Option<&'a str>,
}

/// Parses an absolute `http`/`https` request URL.
///
/// Userinfo (`user:pass@`) is dropped: it never reaches the server (RFC 7230 §2.7.1), and
/// §3.4.1.2 requires the host and port to match the `Host` header, which has none.
/// The fragment is dropped: it is not sent either.
///
/// Raw non-ASCII octets (an IRI, outside RFC 5849's text) are accepted in the path and query
/// and mapped to a URI by percent-encoding their UTF-8 octets ([`base_string_uri`] does that,
/// RFC 3987 §3.1); a raw ASCII octet that no URI may contain is an error, not a guess.
pub fn parse_request_url(url: &str) -> Result<RequestUrl<'_>, UriError> {
    parse_url(url, Query::Check).map(|(parsed, _)| parsed)
}

/// A request URL's query as [`parse_request_url_but_query`] leaves it: its octets unchecked,
/// and the fragment, if any, still after it.
pub(crate) struct UncheckedQuery<'a> {
    /// The URL from after the `?` to its end.
    pub(crate) query_and_fragment: &'a str,
    /// Where that starts in the URL, for the positions of errors.
    pub(crate) offset: usize,
}

/// [`parse_request_url`] but for the query, left to the caller to check and to end at its `#`
/// (`BaseStringParameters::push_unchecked_query` does both while it decodes it): the
/// [`RequestUrl`] has no query, and the query comes apart. Scanning the query once, while it is
/// decoded, saves a pass over what is most of a typical URL.
pub(crate) fn parse_request_url_but_query(url: &str) -> Result<(RequestUrl<'_>, Option<UncheckedQuery<'_>>), UriError> {
    parse_url(url, Query::Leave)
}

/// Whether [`parse_url`] checks the query and splits it from the fragment, or leaves both.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Query {
    Check,
    Leave,
}

fn parse_url(url: &str, query: Query) -> Result<(RequestUrl<'_>, Option<UncheckedQuery<'_>>), UriError> {
    let (scheme, host, port, after_authority_start) = match plain_authority(url) {
        Some(plain) => plain,
        None => scheme_and_authority(url)?,
    };
    let after_authority = url.get(after_authority_start..).unwrap_or_default();
    let (path, after_path) = split_path_and_query(after_authority, after_authority_start, query)?;
    let parsed = |query| RequestUrl { scheme, host, port, path, query };
    Ok(match query {
        Query::Check => (parsed(after_path), None),
        Query::Leave => {
            // The query follows the path and its `?`.
            let offset = after_authority_start + path.len() + 1;
            (parsed(None), after_path.map(|query_and_fragment| UncheckedQuery { query_and_fragment, offset }))
        }
    })
}

/// The scheme, host and port of a URL, and where what follows its authority starts.
type SchemeAndAuthority<'a> = (&'static str, &'a str, Option<u16>, usize);

/// [`scheme_and_authority`] of the URLs nearly every request has, found in one scan: `http://`
/// or `https://` in lowercase, then a host of unreserved octets alone (letters, digits, `-`,
/// `.`, `_`, `~`), then at most a port that is a number up to 65535, then the end or a `/`,
/// `?` or `#`. `None` for any other URL, which the general parse then takes (with its errors):
/// for these, it finds the same parts, since such an authority holds no `@`, no `[` and no
/// `:` but the port's, and every octet of the host is one RFC 3986 §3.2.2 allows. Scanning the
/// authority once instead of for each delimiter in turn saved a twentieth of a small request's
/// signature.
fn plain_authority(url: &str) -> Option<SchemeAndAuthority<'_>> {
    let (scheme, authority_start) = if url.starts_with("http://") {
        ("http", 7)
    } else if url.starts_with("https://") {
        ("https", 8)
    } else {
        return None;
    };
    let rest = url.as_bytes().get(authority_start..)?;
    let host_len = unreserved_run(rest);
    let host = url.get(authority_start..authority_start + host_len).filter(|host| !host.is_empty())?;
    let (port, port_len) = match rest.get(host_len) {
        None | Some(b'/' | b'?' | b'#') => (None, 0),
        Some(b':') => {
            let digits = rest.get(host_len + 1..).unwrap_or_default();
            let count = digits.iter().take_while(|byte| byte.is_ascii_digit()).count();
            if !matches!(digits.get(count), None | Some(b'/' | b'?' | b'#')) || count > 5 {
                return None;
            }
            // An empty port counts as absent (RFC 3986 §3.2.3).
            let port = digits.get(..count).unwrap_or_default().iter().try_fold(None, |port: Option<u16>, &digit| {
                port.unwrap_or(0).checked_mul(10)?.checked_add(u16::from(digit - b'0')).map(Some)
            })?;
            (port, 1 + count)
        }
        Some(_) => return None,
    };
    Some((scheme, host, port, authority_start + host_len + port_len))
}

/// The scheme, host and port of any URL (see [`parse_request_url`]).
fn scheme_and_authority(url: &str) -> Result<SchemeAndAuthority<'_>, UriError> {
    // A scheme never holds a `:` (RFC 3986 §3.1): when the first `:` does not start `://`, any
    // later `://` would follow an invalid scheme, and the URL is not absolute either way.
    let scheme_end = url.bytes().position(|b| b == b':').ok_or(UriError::NotAbsolute)?;
    let (scheme, rest) = url.split_at(scheme_end);
    let rest = rest.strip_prefix("://").ok_or(UriError::NotAbsolute)?;
    let scheme = if scheme.eq_ignore_ascii_case("http") {
        "http"
    } else if scheme.eq_ignore_ascii_case("https") {
        "https"
    } else if scheme.is_empty() || !scheme.bytes().all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b)) {
        return Err(UriError::NotAbsolute);
    } else {
        return Err(UriError::UnsupportedScheme(scheme.to_owned()));
    };
    let authority_start = scheme.len() + 3;
    let authority_end = rest.bytes().position(|b| matches!(b, b'/' | b'?' | b'#')).unwrap_or(rest.len());
    let authority = rest.get(..authority_end).unwrap_or_default();
    let host_and_port = match authority.bytes().rposition(|b| b == b'@') {
        Some(at) => authority.get(at + 1..).unwrap_or_default(),
        None => authority,
    };
    let host_offset = authority_start + (authority.len() - host_and_port.len());
    let (host, port) = split_host_and_port(host_and_port, host_offset)?;
    Ok((scheme, host, port, authority_start + authority.len()))
}

fn split_host_and_port(host_and_port: &str, offset: usize) -> Result<(&str, Option<u16>), UriError> {
    let (host, port) = if host_and_port.starts_with('[') {
        let close = host_and_port.find(']').ok_or(UriError::UnclosedIpLiteral)?;
        let (host, rest) = host_and_port.split_at(close + 1);
        match rest.strip_prefix(':') {
            Some(port) => (host, Some(port)),
            None if rest.is_empty() => (host, None),
            None => return Err(UriError::InvalidPort(rest.to_owned())),
        }
    } else {
        match host_and_port.bytes().rposition(|b| b == b':') {
            Some(colon) => (host_and_port.get(..colon).unwrap_or_default(), host_and_port.get(colon + 1..)),
            None => (host_and_port, None),
        }
    };
    if host.is_empty() || host == "[]" {
        return Err(UriError::EmptyHost);
    }
    if !host.is_ascii() {
        return Err(UriError::NonAsciiHost);
    }
    check_uri_octets(host, offset, &HOST_OCTETS)?;
    let port = match port {
        None | Some("") => None,
        Some(digits) if digits.len() <= 5 && digits.bytes().all(|b| b.is_ascii_digit()) => {
            Some(digits.parse::<u16>().map_err(|_| UriError::InvalidPort(digits.to_owned()))?)
        }
        Some(other) => return Err(UriError::InvalidPort(other.to_owned())),
    };
    Ok((host, port))
}

/// RFC 3986 §3.3 `pchar` but `%`: unreserved, sub-delims, `:` and `@`; plus `/`.
const PATH_OCTETS: OctetSet = UNRESERVED.with(b"!$&'()*+,;=:@/");
/// RFC 3986 §3.4: the query adds `?` to the path's characters.
const QUERY_OCTETS: OctetSet = PATH_OCTETS.with(b"?");
/// RFC 3986 §3.2.2: unreserved, reg-name sub-delims, and `[`, `]`, `:` for IP literals.
const HOST_OCTETS: OctetSet = UNRESERVED.with(b"!$&'()*+,;=[]:");
/// [`PATH_OCTETS`] and [`QUERY_OCTETS`] with the raw non-ASCII octets that the RFC 3987
/// mapping accepts in both: what a path or a query may hold, bar `%` escapes.
const PATH_SCAN: OctetSet = PATH_OCTETS.with_non_ascii();
pub(crate) const QUERY_SCAN: OctetSet = QUERY_OCTETS.with_non_ascii();

/// Checks that `part` holds only octets RFC 3986 allows there (`allowed`, plus raw non-ASCII
/// for the RFC 3987 mapping) and only well-formed `%XX` escapes.
fn check_uri_octets(part: &str, offset: usize, allowed: &OctetSet) -> Result<(), UriError> {
    let bytes = part.as_bytes();
    let mut index = 0;
    loop {
        index += allowed.run(bytes.get(index..).unwrap_or_default());
        match bytes.get(index) {
            None => return Ok(()),
            Some(byte) if byte.is_ascii() => check_escape(bytes, index, offset)?,
            Some(_) => {}
        }
        index += 1;
    }
}

/// What follows the authority, split into the path and the query (without its `?`) and the
/// fragment dropped, each part's octets checked as [`check_uri_octets`] does, in one pass; or,
/// when `query` says to leave it, the path checked and everything after its `?` as it is.
///
/// The path ends at the first `?` or `#` (RFC 3986 §3.3), the query at the first `#` (§3.4);
/// scanning once from the left meets the same first error as checking the path, then the
/// query.
fn split_path_and_query(after_authority: &str, offset: usize, query: Query) -> Result<(&str, Option<&str>), UriError> {
    let bytes = after_authority.as_bytes();
    let mut allowed = &PATH_SCAN;
    let mut question_mark = None;
    let mut end = bytes.len();
    let mut index = 0;
    loop {
        index += allowed.run(bytes.get(index..).unwrap_or_default());
        let Some(&byte) = bytes.get(index) else { break };
        match byte {
            // Only the path stops here: the query allows `?`.
            b'?' if query == Query::Leave => {
                question_mark = Some(index);
                break;
            }
            b'?' => {
                question_mark = Some(index);
                allowed = &QUERY_SCAN;
            }
            b'#' => {
                end = index;
                break;
            }
            _ => check_escape(bytes, index, offset)?,
        }
        index += 1;
    }
    let part = |from: usize, to: usize| after_authority.get(from..to).unwrap_or_default();
    Ok(match question_mark {
        Some(mark) => (part(0, mark), Some(part(mark + 1, end))),
        None => (part(0, end), None),
    })
}

/// The error for the octet at `index` of `bytes`, which its part does not allow, unless it is
/// the `%` of a well-formed escape (RFC 3986 §2.1). `offset` places `bytes` in the URL.
fn check_escape(bytes: &[u8], index: usize, offset: usize) -> Result<(), UriError> {
    match bytes.get(index) {
        Some(b'%') => {
            let escape = bytes.get(index + 1..index + 3);
            if escape.is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)) {
                Ok(())
            } else {
                Err(UriError::MalformedEscape { position: offset + index })
            }
        }
        Some(&byte) => Err(UriError::InvalidCharacter { position: offset + index, byte }),
        None => Ok(()),
    }
}

/// The default port of a scheme, dropped from the base string URI (§3.4.1.2).
#[must_use]
pub fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" => Some(80),
        "https" => Some(443),
        _ => None,
    }
}

/// RFC 5849 §3.4.1.2: `scheme://host[:port]/path` with the scheme and host lowercased, the
/// port dropped when it is the scheme's default, an empty path written as `/`, and no query
/// or fragment. The path is otherwise kept byte for byte (`%2F`, `%7e` and `%20` stay as sent);
/// raw non-ASCII octets are percent-encoded (RFC 3987 §3.1).
pub fn base_string_uri(url: &str) -> Result<String, UriError> {
    parse_request_url(url).map(|parsed| parsed.base_string_uri())
}

impl RequestUrl<'_> {
    /// This URL's base string URI; see [`base_string_uri`].
    #[must_use]
    pub fn base_string_uri(&self) -> String {
        let mut out = Vec::with_capacity(self.scheme.len() + self.host.len() + self.path.len() + 10);
        self.write_base_string_uri(|piece| out.extend_from_slice(piece));
        encoded_text(out)
    }

    /// Appends this URL's base string URI percent-encoded (§3.6) as §3.4.1.1 step 3 puts it in
    /// the signature base string, without building the URI first.
    ///
    /// The same octets as encoding [`Self::base_string_uri`], in fewer pieces: the scheme and
    /// its `://` are one constant, a host that lowercasing and encoding leave alone is copied
    /// whole, and the path is encoded in one pass with its mapping of non-ASCII octets.
    pub fn push_encoded_base_string_uri(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(if self.scheme == "https" { b"https%3A%2F%2F" } else { b"http%3A%2F%2F" });
        let host = self.host.as_bytes();
        if host.iter().all(|&byte| UNRESERVED.contains(byte) && !byte.is_ascii_uppercase()) {
            out.extend_from_slice(host);
        } else {
            for &byte in host {
                percent_encode_octets_into(&[byte.to_ascii_lowercase()], out);
            }
        }
        if let Some(port) = self.port.filter(|&p| Some(p) != default_port(self.scheme)) {
            out.extend_from_slice(b"%3A");
            out.extend_from_slice(port.to_string().as_bytes());
        }
        if self.path.is_empty() {
            out.extend_from_slice(b"%2F");
        } else {
            push_encoded_path(self.path.as_bytes(), out);
        }
    }

    /// Hands the base string URI to `write`, piece by piece, in order.
    fn write_base_string_uri(&self, mut write: impl FnMut(&[u8])) {
        write(self.scheme.as_bytes());
        write(b"://");
        for run in self.host.as_bytes().split_inclusive(u8::is_ascii_uppercase) {
            match run.split_last() {
                Some((&upper, before)) if upper.is_ascii_uppercase() => {
                    write(before);
                    write(&[upper.to_ascii_lowercase()]);
                }
                _ => write(run),
            }
        }
        if let Some(port) = self.port.filter(|&p| Some(p) != default_port(self.scheme)) {
            write(b":");
            write(port.to_string().as_bytes());
        }
        if self.path.is_empty() {
            write(b"/");
        } else {
            write_iri_as_uri(self.path, write);
        }
    }
}

/// Appends a path as it appears in the signature base string: mapped to a URI (RFC 3987 §3.1:
/// a non-ASCII octet is escaped) and percent-encoded (§3.6), in one pass: runs of unreserved
/// octets are copied, `/` is `%2F`, the `%` of an escape `%25`, and a raw non-ASCII octet,
/// escaped twice, `%25XX`.
fn push_encoded_path(path: &[u8], out: &mut Vec<u8>) {
    let mut rest = path;
    loop {
        let (run, others) = rest.split_at(UNRESERVED.run(rest));
        out.extend_from_slice(run);
        let Some((&byte, after)) = others.split_first() else { return };
        match byte {
            b'/' => out.extend_from_slice(b"%2F"),
            _ if byte.is_ascii() => out.extend_from_slice(&escape(byte)),
            _ => {
                let [percent, high, low] = escape(byte);
                out.extend_from_slice(&[percent, b'2', b'5', high, low]);
            }
        }
        rest = after;
    }
}

/// RFC 3987 §3.1 step 2: every non-ASCII character is replaced by the percent-encoding of its
/// UTF-8 octets; ASCII is copied unchanged.
pub fn push_iri_as_uri(iri: &str, out: &mut String) {
    // Every piece is ASCII, so this is never the empty fallback.
    write_iri_as_uri(iri, |piece| out.push_str(core::str::from_utf8(piece).unwrap_or_default()));
}

/// [`push_iri_as_uri`], handing the URI to `write` piece by piece: runs of ASCII, and the
/// escape of each non-ASCII octet.
fn write_iri_as_uri(iri: &str, mut write: impl FnMut(&[u8])) {
    for_each_piece(
        iri.as_bytes(),
        |b| b.is_ascii(),
        |piece| match piece {
            Piece::Kept(ascii) => write(ascii),
            Piece::Other(byte) => write(&escape(byte)),
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The examples of RFC 5849 §3.4.1.2 and §3.4.1.1.
    #[test]
    fn rfc5849_examples() {
        assert_eq!(base_string_uri("http://EXAMPLE.COM:80/r%20v/X?id=123").unwrap(), "http://example.com/r%20v/X");
        assert_eq!(base_string_uri("https://www.example.net:8080/?q=1").unwrap(), "https://www.example.net:8080/");
        assert_eq!(
            base_string_uri("http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b").unwrap(),
            "http://example.com/request"
        );
    }

    #[test]
    fn default_ports_dropped_only_for_their_own_scheme() {
        assert_eq!(base_string_uri("https://a.example:443/p").unwrap(), "https://a.example/p");
        assert_eq!(base_string_uri("http://a.example:443/p").unwrap(), "http://a.example:443/p");
        assert_eq!(base_string_uri("https://a.example:80/p").unwrap(), "https://a.example:80/p");
        // RFC 3986 §3.2.3: an empty port is the default port.
        assert_eq!(base_string_uri("http://a.example:/p").unwrap(), "http://a.example/p");
    }

    #[test]
    fn scheme_host_lowercased_path_kept() {
        assert_eq!(base_string_uri("HTTP://Ex.COM/A%2fB%2F%3F?x#frag").unwrap(), "http://ex.com/A%2fB%2F%3F");
        assert_eq!(base_string_uri("http://ex.com").unwrap(), "http://ex.com/");
        assert_eq!(base_string_uri("http://ex.com?x=1").unwrap(), "http://ex.com/");
        assert_eq!(base_string_uri("http://ex.com#f").unwrap(), "http://ex.com/");
    }

    #[test]
    fn ipv6_literals_and_userinfo() {
        assert_eq!(base_string_uri("http://[2001:DB8::1]:8080/x").unwrap(), "http://[2001:db8::1]:8080/x");
        assert_eq!(base_string_uri("https://[::1]:443").unwrap(), "https://[::1]/");
        assert_eq!(base_string_uri("http://user:pw@Host.example/x").unwrap(), "http://host.example/x");
        assert_eq!(base_string_uri("http://[::1"), Err(UriError::UnclosedIpLiteral));
    }

    /// RFC 3987 §3.1: U+00FC is C3 BC in UTF-8.
    #[test]
    fn iri_path_is_mapped_to_uri() {
        assert_eq!(
            base_string_uri("https://example.com/a%20b/\u{fc}?x=1").unwrap(),
            "https://example.com/a%20b/%C3%BC"
        );
    }

    #[test]
    fn hostile_urls_are_typed_errors() {
        assert_eq!(base_string_uri("/relative"), Err(UriError::NotAbsolute));
        assert_eq!(base_string_uri(""), Err(UriError::NotAbsolute));
        assert_eq!(base_string_uri("ftp://x/"), Err(UriError::UnsupportedScheme("ftp".into())));
        assert_eq!(base_string_uri("http:///x"), Err(UriError::EmptyHost));
        assert_eq!(base_string_uri("http://x:99999/"), Err(UriError::InvalidPort("99999".into())));
        assert_eq!(base_string_uri("http://x:8a/"), Err(UriError::InvalidPort("8a".into())));
        assert_eq!(base_string_uri("http://b\u{fc}cher.example/"), Err(UriError::NonAsciiHost));
        assert_eq!(base_string_uri("http://x/a b"), Err(UriError::InvalidCharacter { position: 10, byte: b' ' }));
        assert_eq!(base_string_uri("http://x/a%2"), Err(UriError::MalformedEscape { position: 10 }));
        assert_eq!(base_string_uri("http://x/?q=%zz"), Err(UriError::MalformedEscape { position: 12 }));
        assert_eq!(base_string_uri("http://x/\"").unwrap_err(), UriError::InvalidCharacter { position: 9, byte: b'"' });
    }

    /// §3.4.1.1 step 3 encodes the whole base string URI; writing it encoded piece by piece
    /// must give the same octets.
    #[test]
    fn encoded_base_string_uri_is_the_encoding_of_the_uri() {
        for url in [
            "http://EXAMPLE.COM:80/r%20v/X?id=123",
            "https://[2001:DB8::1]:8443/a%2fB/\u{fc}?q",
            "HTTP://user:pw@MiXeD.Example:8080",
            "https://example.com/~a-b_c.d/%7E",
        ] {
            let parsed = parse_request_url(url).unwrap();
            let mut encoded = Vec::new();
            parsed.push_encoded_base_string_uri(&mut encoded);
            assert_eq!(encoded_text(encoded), crate::encoding::percent_encode(parsed.base_string_uri().as_bytes()));
        }
    }

    #[test]
    fn query_is_split_off() {
        let parsed = parse_request_url("http://x/p?a=1?b#c").unwrap();
        assert_eq!(parsed.query, Some("a=1?b"));
        assert_eq!(parsed.path, "/p");
    }

    /// The authorities the one-scan path takes, and those it leaves to the general parse.
    #[test]
    fn plain_authorities_take_the_one_scan_path() {
        let plain = plain_authority;
        assert_eq!(plain("http://example.com/request?b5=%3D"), Some(("http", "example.com", None, 18)));
        assert_eq!(plain("https://a.example:8443"), Some(("https", "a.example", Some(8443), 22)));
        assert_eq!(plain("https://a.example:?q"), Some(("https", "a.example", None, 18)));
        assert_eq!(plain("http://h:00080#f"), Some(("http", "h", Some(80), 14)));
        for general in [
            "HTTP://h/",
            "http://user@h/",
            "http://[::1]/",
            "http://h:65536/",
            "http://h:123456/",
            "http://h:8a/",
            "http:///x",
            "http://h%41/",
            "http://b\u{fc}cher.example/",
            "http://h!/",
        ] {
            assert_eq!(plain(general), None, "{general}");
        }
    }

    /// Pieces of authorities: the delimiters of RFC 3986 §3.2, ports of every length, escapes,
    /// non-ASCII octets and uppercase letters.
    const AUTHORITY_PIECES: [&str; 24] = [
        "a", "Z", "0", "-", ".", "_", "~", ":", "@", "[", "]", "::1", "%41", "%4", "\u{e9}", "!", " ", "80", "65535",
        "65536", "99999", "/", "?", "#",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// Where the one-scan path takes a URL, it finds the general parse's scheme, host, port
        /// and end of authority.
        #[test]
        fn plain_authority_is_the_general_parse(
            start in proptest::sample::select(vec!["http://", "https://", "HTTP://", "http:/"]),
            pieces in proptest::collection::vec(proptest::sample::select(AUTHORITY_PIECES.to_vec()), 0..8),
        ) {
            let url = format!("{start}{}", pieces.concat());
            if let Some(plain) = plain_authority(&url) {
                proptest::prop_assert_eq!(Ok(plain), scheme_and_authority(&url), "{}", url);
            }
        }
    }
}
