//! Where a request goes ([`Route`]) and its exact bytes ([`RawRequest`]).
//!
//! URLs are split by hand rather than with the `url` crate: the request target and the `Host`
//! field must be the URL's octets as the user wrote them (the signer signed those), and a
//! URL parser normalises both.

use super::error::ClientError;

/// `http` or `https`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// Plain HTTP.
    Http,
    /// HTTP over TLS.
    Https,
}

impl Scheme {
    /// The default port (RFC 7230 §2.7).
    #[must_use]
    pub fn default_port(self) -> u16 {
        match self {
            Self::Http => 80,
            Self::Https => 443,
        }
    }

    fn strip(text: &str) -> Option<(Self, &str)> {
        let (scheme, rest) = text.split_once("://")?;
        if scheme.eq_ignore_ascii_case("http") {
            Some((Self::Http, rest))
        } else if scheme.eq_ignore_ascii_case("https") {
            Some((Self::Https, rest))
        } else {
            None
        }
    }
}

/// The parts of an absolute URL the client needs, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
struct UrlParts<'a> {
    scheme: Scheme,
    /// The authority without userinfo, as written: the `Host` field.
    authority: &'a str,
    /// The host without IPv6 brackets.
    host: &'a str,
    port: u16,
    /// Path and query (the fragment dropped), as written.
    path_and_query: &'a str,
}

fn split_url(url: &str) -> Result<UrlParts<'_>, String> {
    let (scheme, rest) = Scheme::strip(url).ok_or("not an absolute http:// or https:// URL")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, after) = rest.split_at(end);
    let authority = authority.rsplit_once('@').map_or(authority, |(_, hostport)| hostport);
    let (host, port) = split_host_port(authority)?;
    let path_and_query = after.split_once('#').map_or(after, |(before, _)| before);
    Ok(UrlParts { scheme, authority, host, port: port.unwrap_or(scheme.default_port()), path_and_query })
}

/// `host[:port]`, `[v6][:port]`; the port's digits are checked, an empty port is absent.
fn split_host_port(authority: &str) -> Result<(&str, Option<u16>), String> {
    let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        let (host, rest) = bracketed.split_once(']').ok_or("unclosed [ in the host")?;
        match rest.strip_prefix(':') {
            Some(port) => (host, port),
            None if rest.is_empty() => (host, ""),
            None => return Err(format!("unexpected {rest:?} after the IPv6 address")),
        }
    } else {
        authority.rsplit_once(':').unwrap_or((authority, ""))
    };
    if host.is_empty() {
        return Err("no host".into());
    }
    if host.bytes().any(|b| b.is_ascii_whitespace() || b.is_ascii_control()) {
        return Err("the host holds whitespace or a control character".into());
    }
    if port.is_empty() {
        return Ok((host, None));
    }
    let valid = port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit());
    let port = port.parse::<u16>().ok().filter(|_| valid).ok_or_else(|| format!("invalid port {port:?}"))?;
    Ok((host, Some(port)))
}

/// Where the bytes of a request go, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// The URL's scheme.
    pub url_scheme: Scheme,
    /// The URL's authority as written, without userinfo: what `Host` carries.
    pub authority: String,
    /// The URL's host without IPv6 brackets: the TLS server name (SNI).
    pub host: String,
    /// The host to connect to.
    pub connect_host: String,
    /// The port to connect to.
    pub connect_port: u16,
    /// Whether the connection speaks TLS.
    pub tls: bool,
}

impl Route {
    /// The route of `url`: its authority, or `connect` (`[http://|https://]HOST:PORT`) when
    /// given. Without a scheme, `connect` speaks the URL's; with one, its own (so an
    /// `https://` URL can be sent as plain HTTP to a TLS-terminating proxy's backend).
    ///
    /// # Errors
    /// When the URL or the connect address is malformed.
    pub fn new(url: &str, connect: Option<&str>) -> Result<Self, ClientError> {
        let parts = split_url(url).map_err(|reason| ClientError::InvalidUrl { url: url.to_owned(), reason })?;
        let (tls, connect_host, connect_port) = match connect {
            None => (parts.scheme == Scheme::Https, parts.host.to_owned(), parts.port),
            Some(connect) => {
                let invalid = |reason: String| ClientError::InvalidConnect { connect: connect.to_owned(), reason };
                let (scheme, address) = match Scheme::strip(connect) {
                    Some((scheme, rest)) => (scheme, rest),
                    None if connect.contains("://") => return Err(invalid("the scheme is not http or https".into())),
                    None => (parts.scheme, connect),
                };
                let address = address.strip_suffix('/').unwrap_or(address);
                if address.contains(['/', '?', '#', '@']) {
                    return Err(invalid("only HOST:PORT may follow the scheme".into()));
                }
                let (host, port) = split_host_port(address).map_err(invalid)?;
                let port = port.ok_or_else(|| invalid("no port".into()))?;
                (scheme == Scheme::Https, host.to_owned(), port)
            }
        };
        Ok(Self {
            url_scheme: parts.scheme,
            authority: parts.authority.to_owned(),
            host: parts.host.to_owned(),
            connect_host,
            connect_port,
            tls,
        })
    }

    /// `HOST:PORT` of the connection, brackets around an IPv6 address.
    #[must_use]
    pub fn connect_address(&self) -> String {
        if self.connect_host.contains(':') {
            format!("[{}]:{}", self.connect_host, self.connect_port)
        } else {
            format!("{}:{}", self.connect_host, self.connect_port)
        }
    }
}

/// A request as bytes: nothing is added, reordered, re-spelled or validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRequest {
    /// The method.
    pub method: Vec<u8>,
    /// The request target.
    pub target: Vec<u8>,
    /// The version on the request line, normally `HTTP/1.1`.
    pub version: Vec<u8>,
    /// Header fields in order, each written `name: value`.
    pub headers: Vec<(Vec<u8>, Vec<u8>)>,
    /// The body, written after the head as it is.
    pub body: Vec<u8>,
}

impl RawRequest {
    /// `METHOD target HTTP/1.1` with no header fields and no body.
    #[must_use]
    pub fn new(method: impl Into<Vec<u8>>, target: impl Into<Vec<u8>>) -> Self {
        Self {
            method: method.into(),
            target: target.into(),
            version: b"HTTP/1.1".to_vec(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// The request for `url` in origin form: the target is the URL's path and query as
    /// written (`/` for an empty path), and `Host` is the URL's authority as written.
    ///
    /// # Errors
    /// When `url` is not an absolute http(s) URL.
    pub fn for_url(method: &str, url: &str) -> Result<Self, ClientError> {
        let parts = split_url(url).map_err(|reason| ClientError::InvalidUrl { url: url.to_owned(), reason })?;
        let target = if parts.path_and_query.starts_with('/') {
            parts.path_and_query.to_owned()
        } else {
            format!("/{}", parts.path_and_query)
        };
        Ok(Self::new(method, target).header("Host", parts.authority))
    }

    /// Appends a header field.
    #[must_use]
    pub fn header(mut self, name: impl Into<Vec<u8>>, value: impl Into<Vec<u8>>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the body (and nothing else: see [`Self::with_content_length`]).
    #[must_use]
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// Appends `Content-Length` for the body, unless a `Content-Length` or
    /// `Transfer-Encoding` field is there already.
    #[must_use]
    pub fn with_content_length(self) -> Self {
        let framed = self.headers.iter().any(|(name, _)| {
            name.eq_ignore_ascii_case(b"content-length") || name.eq_ignore_ascii_case(b"transfer-encoding")
        });
        if framed {
            return self;
        }
        let length = self.body.len().to_string();
        self.header("Content-Length", length)
    }

    /// The head: request line, header fields, empty line.
    #[must_use]
    pub fn head_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.target.len() + 64 * (self.headers.len() + 1));
        out.extend_from_slice(&self.method);
        out.push(b' ');
        out.extend_from_slice(&self.target);
        out.push(b' ');
        out.extend_from_slice(&self.version);
        out.extend_from_slice(b"\r\n");
        for (name, value) in &self.headers {
            out.extend_from_slice(name);
            out.extend_from_slice(b": ");
            out.extend_from_slice(value);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"\r\n");
        out
    }

    /// Whether the response to it has no body whatever its fields say (RFC 7230 §3.3.3).
    pub(crate) fn is_head(&self) -> bool {
        self.method.eq_ignore_ascii_case(b"HEAD")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        let route = Route::new("https://user:pw@API.example.com/x?y#z", None).unwrap();
        assert_eq!((route.authority.as_str(), route.host.as_str()), ("API.example.com", "API.example.com"));
        assert_eq!((route.connect_address(), route.tls), ("API.example.com:443".to_owned(), true));

        let behind_proxy = Route::new("https://api.example.com/x", Some("http://127.0.0.1:8080")).unwrap();
        assert_eq!((behind_proxy.connect_address(), behind_proxy.tls), ("127.0.0.1:8080".to_owned(), false));
        assert_eq!(behind_proxy.authority, "api.example.com");

        let same_scheme = Route::new("https://api.example.com:8443/x", Some("[::1]:9000/")).unwrap();
        assert_eq!((same_scheme.connect_address(), same_scheme.tls), ("[::1]:9000".to_owned(), true));
        assert_eq!(same_scheme.authority, "api.example.com:8443");

        let v6 = Route::new("http://[::1]:8080", None).unwrap();
        assert_eq!((v6.host.as_str(), v6.connect_port, v6.authority.as_str()), ("::1", 8080, "[::1]:8080"));
    }

    #[test]
    fn bad_routes() {
        for url in
            ["ftp://x/", "http://", "http://:80/", "http://h:99999/", "http://h:8a/", "/relative", "http://[::1/"]
        {
            assert!(matches!(Route::new(url, None), Err(ClientError::InvalidUrl { .. })), "{url}");
        }
        for connect in ["127.0.0.1", "ftp://h:1", "http://h:1/path", "h:", "h:x"] {
            let error = Route::new("http://a/", Some(connect)).unwrap_err();
            assert!(matches!(error, ClientError::InvalidConnect { .. }), "{connect}: {error:?}");
        }
    }

    #[test]
    fn bytes_are_kept() {
        let request = RawRequest::for_url("GET", "http://Example.COM:80?a=%7E+b#frag")
            .unwrap()
            .header("authorization", "OAuth  a=\"1\",,")
            .body("x=1")
            .with_content_length();
        assert_eq!(request.target, b"/?a=%7E+b");
        let mut wire = request.head_bytes();
        wire.extend_from_slice(&request.body);
        assert_eq!(
            String::from_utf8(wire).unwrap(),
            "GET /?a=%7E+b HTTP/1.1\r\nHost: Example.COM:80\r\nauthorization: OAuth  a=\"1\",,\r\nContent-Length: 3\r\n\r\nx=1"
        );
    }
}
