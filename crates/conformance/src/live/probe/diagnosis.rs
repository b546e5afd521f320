//! Why a server refuses a valid request: the same request re-signed as a server that rebuilds
//! the URL wrongly would verify it ([`Rebuild`]: the scheme, the port, the authority, a path
//! prefix), or as an implementation with one catalogued quirk signs it; the candidate the
//! server accepts names what it does.
//!
//! Candidates are deduplicated by what they send (computed once with a fixed nonce and
//! timestamp: the signature and the protocol parameters), so that a request goes out only when
//! no earlier candidate sent the same; each goes out with a fresh nonce and timestamp.

use std::collections::HashSet;

use oauth1_reference::header::parse_authorization_header;
use oauth1_reference::uri::base_string_uri;
use oauth1_vectors::{OAuthParams, SignRequest, SignSecrets};

use super::shape::{Shape, Stamp};
use crate::implementation::SignInput;
use crate::mutation::SignedRequest;
use crate::quirks::{sign_with_quirks, Quirk, QuirkSet};

/// The most candidates one diagnosis sends.
pub const MAX_CANDIDATES: usize = 60;

/// What a server may do to the scheme it verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemeChange {
    /// As signed.
    Keep,
    /// The other of `http` and `https`.
    Flip,
}

/// What a server may do to the authority it verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthorityChange {
    /// As signed.
    Keep,
    /// The URL's explicit port dropped.
    PortDropped,
    /// The scheme's default port written out (`:443`, `:80`).
    DefaultPortAdded,
    /// The address the bytes went to (`--connect`) instead of the `Host` field.
    ConnectAddress,
}

/// What a server may do to the path it verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathChange {
    /// As signed.
    Keep,
    /// The first segment dropped (an application mounted under a sub-path that forgets it).
    PrefixDropped,
    /// The first segment doubled (one that adds its mount point to a path that has it).
    PrefixDoubled,
}

/// A server-side reconstruction of the request URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rebuild {
    /// The scheme.
    pub scheme: SchemeChange,
    /// The authority.
    pub authority: AuthorityChange,
    /// The path.
    pub path: PathChange,
}

/// The parts of an absolute URL, as written.
struct Parts<'a> {
    scheme: &'a str,
    host: &'a str,
    port: Option<&'a str>,
    path: &'a str,
    rest: &'a str,
}

fn split(url: &str) -> Option<Parts<'_>> {
    let (scheme, after) = url.split_once("://")?;
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let (authority, tail) = after.split_at(end);
    let authority = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let (host, port) = match authority.rfind(':') {
        Some(colon) if !authority.get(colon..)?.contains(']') => {
            (authority.get(..colon)?, Some(authority.get(colon + 1..)?))
        }
        _ => (authority, None),
    };
    let path_end = tail.find(['?', '#']).unwrap_or(tail.len());
    let (path, rest) = tail.split_at(path_end);
    Some(Parts { scheme, host, port: port.filter(|p| !p.is_empty()), path, rest })
}

impl Rebuild {
    /// Every reconstruction but the identity, single changes first.
    #[must_use]
    pub fn all() -> Vec<Self> {
        let mut all = Vec::new();
        for scheme in [SchemeChange::Keep, SchemeChange::Flip] {
            for authority in [
                AuthorityChange::Keep,
                AuthorityChange::PortDropped,
                AuthorityChange::DefaultPortAdded,
                AuthorityChange::ConnectAddress,
            ] {
                for path in [PathChange::Keep, PathChange::PrefixDropped, PathChange::PrefixDoubled] {
                    all.push(Self { scheme, authority, path });
                }
            }
        }
        all.retain(|r| r.changes() > 0);
        all.sort_by_key(Self::changes);
        all
    }

    fn changes(&self) -> usize {
        usize::from(self.scheme != SchemeChange::Keep)
            + usize::from(self.authority != AuthorityChange::Keep)
            + usize::from(self.path != PathChange::Keep)
    }

    /// The stable id: `scheme-flipped+port-dropped`.
    #[must_use]
    pub fn id(&self) -> String {
        let mut parts = Vec::new();
        if self.scheme == SchemeChange::Flip {
            parts.push("scheme-flipped");
        }
        parts.push(match self.authority {
            AuthorityChange::Keep => "",
            AuthorityChange::PortDropped => "port-dropped",
            AuthorityChange::DefaultPortAdded => "default-port-added",
            AuthorityChange::ConnectAddress => "connect-address-as-host",
        });
        parts.push(match self.path {
            PathChange::Keep => "",
            PathChange::PrefixDropped => "path-prefix-dropped",
            PathChange::PrefixDoubled => "path-prefix-doubled",
        });
        parts.retain(|p| !p.is_empty());
        parts.join("+")
    }

    /// The URL such a server verifies for `url` sent to `connect` (`HOST:PORT`), or `None`
    /// when the change does not apply (no port to drop, no path prefix, …).
    #[must_use]
    pub fn apply(&self, url: &str, connect: Option<&str>) -> Option<String> {
        let parts = split(url)?;
        let scheme = match (self.scheme, parts.scheme.to_ascii_lowercase().as_str()) {
            (SchemeChange::Keep, _) => parts.scheme.to_owned(),
            (SchemeChange::Flip, "https") => "http".to_owned(),
            (SchemeChange::Flip, _) => "https".to_owned(),
        };
        let default_port = if parts.scheme.eq_ignore_ascii_case("https") { "443" } else { "80" };
        let authority = match self.authority {
            AuthorityChange::Keep => {
                parts.port.map_or_else(|| parts.host.to_owned(), |p| format!("{}:{p}", parts.host))
            }
            AuthorityChange::PortDropped => {
                parts.port?;
                parts.host.to_owned()
            }
            AuthorityChange::DefaultPortAdded => {
                if parts.port.is_some_and(|p| p != default_port) {
                    return None;
                }
                format!("{}:{default_port}", parts.host)
            }
            AuthorityChange::ConnectAddress => {
                connect.filter(|c| !c.eq_ignore_ascii_case(&authority_of(&parts)))?.to_owned()
            }
        };
        let path = match self.path {
            PathChange::Keep => parts.path.to_owned(),
            PathChange::PrefixDropped | PathChange::PrefixDoubled => {
                let trimmed = parts.path.strip_prefix('/')?;
                let (first, after) = trimmed.split_once('/').map_or((trimmed, ""), |(f, a)| (f, a));
                if first.is_empty() {
                    return None;
                }
                if self.path == PathChange::PrefixDropped {
                    format!("/{after}")
                } else {
                    format!("/{first}{}", parts.path)
                }
            }
        };
        Some(format!("{scheme}://{authority}{path}{}", parts.rest))
    }

    /// What a server that verifies `verified` instead of `signed` does, in words.
    #[must_use]
    pub fn describe(&self, signed: &str, verified: &str) -> String {
        let uri = |url: &str| base_string_uri(url).unwrap_or_else(|_| url.to_owned());
        let mut why = Vec::new();
        if self.scheme == SchemeChange::Flip {
            why.push(if signed.get(..5).is_some_and(|s| s.eq_ignore_ascii_case("https")) {
                "it sees the request as plain http: behind a TLS-terminating proxy it rebuilds the URL from its own connection instead of the proxy's X-Forwarded-Proto / Forwarded"
            } else {
                "it verifies an https URL for a request that came over plain http"
            });
        }
        why.push(match self.authority {
            AuthorityChange::Keep => "",
            AuthorityChange::PortDropped => "it drops the port the request was sent to (a proxy that forwards Host without the port, or a server that uses the host name alone)",
            AuthorityChange::DefaultPortAdded => "it keeps the default port in the base string URI",
            AuthorityChange::ConnectAddress => "it verifies the address it listens on instead of the Host header",
        });
        why.push(match self.path {
            PathChange::Keep => "",
            PathChange::PrefixDropped => "it drops the first path segment (an application mounted under a sub-path that verifies the path below it)",
            PathChange::PrefixDoubled => "it doubles the first path segment (its mount point added to a path that already has it)",
        });
        why.retain(|w| !w.is_empty());
        format!(
            "the server verifies the base string URI {} although the request was signed for {}: {}",
            uri(verified),
            uri(signed),
            why.join("; ")
        )
    }
}

fn authority_of(parts: &Parts<'_>) -> String {
    parts.port.map_or_else(|| parts.host.to_owned(), |p| format!("{}:{p}", parts.host))
}

/// A way a server might verify a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Candidate {
    /// It rebuilds the URL so.
    Rebuild(Rebuild),
    /// It signs like an implementation with this quirk.
    Quirk(Quirk),
}

impl Candidate {
    /// The stable id: `rebuild:scheme-flipped`, `quirk:ignores-form-body`.
    #[must_use]
    pub fn id(&self) -> String {
        match self {
            Self::Rebuild(rebuild) => format!("rebuild:{}", rebuild.id()),
            Self::Quirk(quirk) => format!("quirk:{}", quirk.id()),
        }
    }

    /// What a server that accepts this candidate does, in words.
    #[must_use]
    pub fn describe(&self, shape: &Shape, connect: Option<&str>) -> String {
        match self {
            Self::Rebuild(rebuild) => {
                let verified = rebuild.apply(&shape.request.url, connect).unwrap_or_default();
                rebuild.describe(&shape.request.url, &verified)
            }
            Self::Quirk(quirk) => format!(
                "the server accepts the request signed like catalogued quirk {quirk}: {} [{}]",
                quirk.description(),
                quirk.section()
            ),
        }
    }

    /// `shape` signed as this candidate verifies it, sent as `shape` is.
    ///
    /// # Errors
    /// When the candidate does not apply, or its pipeline does not sign the request.
    pub fn sign(
        &self,
        shape: &Shape,
        secrets: &SignSecrets,
        stamp: &Stamp,
        connect: Option<&str>,
    ) -> Result<SignedRequest, super::Error> {
        let oauth =
            OAuthParams { nonce: stamp.nonce.clone(), timestamp: stamp.timestamp.clone(), ..shape.oauth.clone() };
        let (url, quirks) = match self {
            Self::Rebuild(rebuild) => {
                let url = rebuild.apply(&shape.request.url, connect).ok_or(super::Error::NotApplicable)?;
                let keeps_port = rebuild.authority == AuthorityChange::DefaultPortAdded;
                (url, QuirkSet::of(if keeps_port { &[Quirk::KeepsDefaultPort] } else { &[] }))
            }
            Self::Quirk(quirk) => (shape.request.url.clone(), QuirkSet::of(&[*quirk])),
        };
        let request = SignRequest { url, ..shape.request.clone() };
        let trace = sign_with_quirks(&SignInput { request: &request, oauth: &oauth, secrets }, &quirks)?;
        let header = trace.authorization_header.ok_or(super::Error::NoHeader)?;
        let params = parse_authorization_header(header.as_bytes())?;
        let text = |octets: Vec<u8>| String::from_utf8_lossy(&octets).into_owned();
        let (mut realm, mut protocol) = (None, Vec::new());
        for param in params {
            if param.name == b"realm" {
                realm = Some(text(param.value));
            } else {
                protocol.push((text(param.name), text(param.value)));
            }
        }
        Ok(SignedRequest {
            method: shape.request.method.clone(),
            url: shape.request.url.clone(),
            content_type: shape.request.content_type.clone(),
            body: shape.request.body.clone(),
            protocol,
            realm,
            location: shape.location,
        })
    }

    /// What the server receives of this candidate: its protocol parameters (the signature
    /// among them) and realm, in a canonical order.
    fn sent(&self, shape: &Shape, secrets: &SignSecrets, stamp: &Stamp, connect: Option<&str>) -> Option<Sent> {
        self.sign(shape, secrets, stamp, connect).ok().map(sent)
    }
}

/// The protocol parameters and realm of a signed request, sorted: two candidates that send the
/// same are one request.
type Sent = (Option<String>, Vec<(String, String)>);

fn sent(signed: SignedRequest) -> Sent {
    let mut protocol = signed.protocol;
    protocol.sort();
    (signed.realm, protocol)
}

/// The candidates worth sending for `shape`: each reconstruction (with `rebuilds`) and each
/// switchable catalogued quirk whose request (its signature, or the parameters it sends)
/// differs from the reference's and from every earlier candidate's.
#[must_use]
pub fn candidates(shape: &Shape, secrets: &SignSecrets, connect: Option<&str>, rebuilds: bool) -> Vec<Candidate> {
    let stamp = Stamp { nonce: Some("candidatesAreComparedHere".into()), timestamp: Some("1700000000".into()), now: 0 };
    let mut seen = HashSet::new();
    let Ok(reference) = shape.sign(secrets, &stamp) else {
        return Vec::new();
    };
    seen.insert(sent(reference.request));
    let rebuild_candidates = if rebuilds { Rebuild::all() } else { Vec::new() };
    let all = rebuild_candidates
        .into_iter()
        .map(Candidate::Rebuild)
        .chain(Quirk::ALL.iter().copied().filter(|q| q.is_switchable()).map(Candidate::Quirk));
    let mut out = Vec::new();
    for candidate in all {
        if let Some(request) = candidate.sent(shape, secrets, &stamp, connect) {
            if seen.insert(request) {
                out.push(candidate);
            }
        }
        if out.len() >= MAX_CANDIDATES {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rebuild(scheme: SchemeChange, authority: AuthorityChange, path: PathChange) -> Rebuild {
        Rebuild { scheme, authority, path }
    }

    #[test]
    fn urls_are_rebuilt_as_a_misconfigured_server_would() {
        use AuthorityChange as A;
        use PathChange as P;
        use SchemeChange as S;
        let url = "https://api.example.com:8443/v1/photos?a=1";
        assert_eq!(
            rebuild(S::Flip, A::Keep, P::Keep).apply(url, None).unwrap(),
            "http://api.example.com:8443/v1/photos?a=1"
        );
        assert_eq!(
            rebuild(S::Keep, A::PortDropped, P::Keep).apply(url, None).unwrap(),
            "https://api.example.com/v1/photos?a=1"
        );
        assert_eq!(rebuild(S::Keep, A::DefaultPortAdded, P::Keep).apply(url, None), None);
        assert_eq!(
            rebuild(S::Keep, A::DefaultPortAdded, P::Keep).apply("https://h/x", None).unwrap(),
            "https://h:443/x"
        );
        assert_eq!(
            rebuild(S::Flip, A::ConnectAddress, P::Keep).apply(url, Some("127.0.0.1:8080")).unwrap(),
            "http://127.0.0.1:8080/v1/photos?a=1"
        );
        assert_eq!(rebuild(S::Keep, A::ConnectAddress, P::Keep).apply(url, None), None);
        assert_eq!(
            rebuild(S::Keep, A::Keep, P::PrefixDropped).apply(url, None).unwrap(),
            "https://api.example.com:8443/photos?a=1"
        );
        assert_eq!(
            rebuild(S::Keep, A::Keep, P::PrefixDoubled).apply(url, None).unwrap(),
            "https://api.example.com:8443/v1/v1/photos?a=1"
        );
        assert_eq!(rebuild(S::Keep, A::Keep, P::PrefixDropped).apply("http://h/", None), None);
        assert_eq!(rebuild(S::Flip, A::PortDropped, P::Keep).id(), "scheme-flipped+port-dropped");
        assert_eq!(Rebuild::all().len(), 23);
        assert_eq!(Rebuild::all().first().map(Rebuild::changes), Some(1));
    }
}
