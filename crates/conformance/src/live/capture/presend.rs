//! The diagnosis of a signature mismatch: did the client *send something other than it
//! signed* (the signature verifies against a plausible pre-send form of the request), or did
//! it *sign differently* (a catalogued quirk reproduces the signature sent)?
//!
//! Pre-send forms are tried first, cheapest first: the URL before a redirect, the request the
//! case asked for (with `--exec`), the URL with the port the request went to or without the
//! one it names, then the request as received with one rewrite undone (`+` that was `%2B`, a
//! parameter added, an unreserved path escape decoded). A form is accepted only when the
//! signature sent verifies against it exactly, so every diagnosis is a computation. Only then
//! is the quirk search run (the verifier's attribution, `crate::diagnose`), since a
//! re-encoded `%2B` also looks like a client that signs `+` literally.

use oauth1_reference::parameters::{body_is_signed_form, parse_form_urlencoded, ParameterSource};
use oauth1_reference::uri::{default_port, parse_request_url};
use oauth1_reference::verify::{AnyTimestamp, IncomingRequest, NoNonceCheck, ParsedRequest, Verifier};
use oauth1_vectors::SignSecrets;
use oauth1_wire::server::ReceivedRequest;

use crate::diagnose::likely_cause;
use crate::implementation::SignInput;
use crate::live::received::Known;
use crate::quirks::Quirk;
use crate::report::capture::{Diagnosis, IntendedRequest, RequestPart, Rewrite, RewriteKind, WireQuirk};
use crate::trace::{Stage, Trace};

/// A request the signature may have been computed for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Form {
    pub(crate) method: String,
    pub(crate) url: String,
    pub(crate) content_type: Option<String>,
    pub(crate) body: Option<Vec<u8>>,
}

impl Form {
    /// The request as received.
    pub(crate) fn of(request: &ReceivedRequest, incoming: &IncomingRequest<'_>) -> Self {
        Self {
            method: request.method.clone(),
            url: incoming.url.to_owned(),
            content_type: incoming.content_type.map(str::to_owned),
            body: incoming.body.map(<[u8]>::to_vec),
        }
    }

    fn of_intended(intended: &IntendedRequest) -> Self {
        Self {
            method: intended.method.clone(),
            url: super::analyse::unwise_octets_encoded(&intended.url).unwrap_or_else(|| intended.url.clone()),
            content_type: intended.content_type.clone(),
            body: intended.body.as_ref().map(|b| b.as_bytes().to_vec()),
        }
    }

    fn incoming<'a>(&'a self, headers: &'a [(&'a str, &'a str)]) -> IncomingRequest<'a> {
        IncomingRequest {
            method: &self.method,
            url: &self.url,
            headers,
            content_type: self.content_type.as_deref(),
            body: self.body.as_deref(),
        }
    }

    fn with_url(&self, url: String) -> Self {
        Self { url, ..self.clone() }
    }

    fn with_body(&self, body: Vec<u8>) -> Self {
        Self { body: Some(body), ..self.clone() }
    }
}

/// A request whose signature did not verify, and what is known around it.
pub(crate) struct Mismatch<'a> {
    pub(crate) received: Form,
    /// Its header fields (the Authorization field as parsed, syntax undone if it had to be).
    pub(crate) headers: &'a [(&'a str, &'a str)],
    pub(crate) parsed: &'a ParsedRequest,
    pub(crate) known: &'a Known<'a>,
    pub(crate) rsa_private_key_pem: Option<&'a str>,
    pub(crate) intended: Option<&'a IntendedRequest>,
    /// The URL of the request a redirect answered, if this one followed it.
    pub(crate) redirected_from: Option<&'a str>,
    /// The port the request arrived at.
    pub(crate) local_port: u16,
}

impl Mismatch<'_> {
    fn verifies(&self, form: &Form) -> bool {
        let credentials = self.known.verifier_credentials();
        Verifier::new(AnyTimestamp, NoNonceCheck).verify(&form.incoming(self.headers), &credentials, 0).is_ok()
    }
}

/// What is found about a request whose signature does not verify.
#[derive(Debug, Default)]
pub(crate) struct Found {
    pub(crate) diagnosis: Option<Diagnosis>,
    /// A form the signature verifies against that the wire does not show to be a rewrite.
    pub(crate) note: Option<String>,
}

/// Whether `part` of the received request is, octet for octet, what the case asked for: a
/// pre-send form that undoes a rewrite of it then describes how the client signed, not what
/// its HTTP layer changed.
fn sent_as_asked(part: RequestPart, received: &Form, intended: &IntendedRequest) -> bool {
    let asked_url = super::analyse::unwise_octets_encoded(&intended.url).unwrap_or_else(|| intended.url.clone());
    let (Ok(asked), Ok(sent)) = (parse_request_url(&asked_url), parse_request_url(&received.url)) else {
        return false;
    };
    match part {
        RequestPart::Query => asked.query.unwrap_or_default() == sent.query.unwrap_or_default(),
        RequestPart::Path => asked.path == sent.path,
        RequestPart::Body => {
            intended.body.as_deref().unwrap_or_default().as_bytes() == received.body.as_deref().unwrap_or_default()
        }
        _ => false,
    }
}

/// The diagnosis of a request whose signature does not verify, if one is found.
pub(crate) fn diagnose_mismatch(mismatch: &Mismatch<'_>) -> Found {
    let mut note = None;
    let diagnosis = diagnosis(mismatch, &mut note);
    Found { note: if diagnosis.is_none() { note } else { None }, diagnosis }
}

fn diagnosis(mismatch: &Mismatch<'_>, note: &mut Option<String>) -> Option<Diagnosis> {
    let received = &mismatch.received;
    if let Some(origin) = mismatch.redirected_from {
        if mismatch.verifies(&received.with_url(origin.to_owned())) {
            let rewrite = Rewrite {
                part: RequestPart::Url,
                kind: RewriteKind::Redirected,
                signed: origin.to_owned(),
                sent: received.url.clone(),
            };
            return Some(Diagnosis::SignedNotSent { rewrite, quirk: WireQuirk::ResendsSignatureOnRedirect });
        }
    }
    if let Some(intended) = mismatch.intended {
        let signed = Form::of_intended(intended);
        if mismatch.verifies(&signed) {
            return Some(named(&signed, received));
        }
    }
    for (form, quirk, rewrite) in authority_forms(received, mismatch.local_port) {
        if mismatch.verifies(&form) {
            return Some(Diagnosis::Wire { quirk, rewrite: Some(rewrite) });
        }
    }
    for (form, rewrite) in rewritten_forms(received) {
        if !mismatch.verifies(&form) {
            continue;
        }
        if mismatch.intended.is_some_and(|intended| sent_as_asked(rewrite.part, received, intended)) {
            // The client sent the part as it was asked to: it signed it otherwise.
            if note.is_none() {
                *note = Some(signing_note(&rewrite));
            }
            continue;
        }
        let quirk = wire_quirk(&rewrite);
        return Some(Diagnosis::SignedNotSent { rewrite, quirk });
    }
    form_body_in_header(mismatch).or_else(|| attribution(mismatch))
}

/// What a pre-send form says when the wire shows no rewrite: how the client signed.
fn signing_note(rewrite: &Rewrite) -> String {
    let part = rewrite.part.name();
    match rewrite.kind {
        RewriteKind::Added => format!(
            "the signature verifies once `{}` is left out of the {part}: the client sent it as asked but did not sign it",
            rewrite.sent
        ),
        _ => format!(
            "the signature verifies with `{}` in place of `{}` in the {part}: the client sent it as asked but signed it so",
            rewrite.signed, rewrite.sent
        ),
    }
}

/// The wire quirk a rewrite between signing and sending is an instance of.
fn wire_quirk(rewrite: &Rewrite) -> WireQuirk {
    match (rewrite.part, rewrite.kind) {
        (_, RewriteKind::Redirected) => WireQuirk::ResendsSignatureOnRedirect,
        (RequestPart::Authority, _) if rewrite.signed.len() > rewrite.sent.len() => WireQuirk::SendsHostWithoutPort,
        (RequestPart::Authority, _) => WireQuirk::DropsNonDefaultPort,
        (_, RewriteKind::Reencoded) => WireQuirk::SendsParametersEncodedDifferently,
        _ => WireQuirk::SendsParametersAddedAfterSigning,
    }
}

/// `received` was sent where `signed` was signed: the diagnosis, naming the first difference.
fn named(signed: &Form, received: &Form) -> Diagnosis {
    let rewrite = first_rewrite(signed, received);
    match rewrite.part {
        RequestPart::Authority => Diagnosis::Wire { quirk: wire_quirk(&rewrite), rewrite: Some(rewrite) },
        _ => Diagnosis::SignedNotSent { quirk: wire_quirk(&rewrite), rewrite },
    }
}

fn authority(url: &oauth1_reference::uri::RequestUrl<'_>) -> String {
    match url.port {
        Some(port) => format!("{}:{port}", url.host),
        None => url.host.to_owned(),
    }
}

fn first_rewrite(signed: &Form, sent: &Form) -> Rewrite {
    let replaced = |part, signed: &str, sent: &str| Rewrite {
        part,
        kind: RewriteKind::Replaced,
        signed: signed.to_owned(),
        sent: sent.to_owned(),
    };
    if !signed.method.eq_ignore_ascii_case(&sent.method) {
        return replaced(RequestPart::Method, &signed.method, &sent.method);
    }
    let (Ok(a), Ok(b)) = (parse_request_url(&signed.url), parse_request_url(&sent.url)) else {
        return replaced(RequestPart::Url, &signed.url, &sent.url);
    };
    let effective = |u: &oauth1_reference::uri::RequestUrl<'_>| u.port.filter(|p| Some(*p) != default_port(u.scheme));
    if !a.host.eq_ignore_ascii_case(b.host) || effective(&a) != effective(&b) {
        return replaced(RequestPart::Authority, &authority(&a), &authority(&b));
    }
    if a.path != b.path {
        return Rewrite {
            part: RequestPart::Path,
            kind: RewriteKind::Reencoded,
            signed: a.path.into(),
            sent: b.path.into(),
        };
    }
    let (qa, qb) = (a.query.unwrap_or_default(), b.query.unwrap_or_default());
    if pairs(qa.as_bytes()) != pairs(qb.as_bytes()) {
        return parameters_rewrite(RequestPart::Query, qa.as_bytes(), qb.as_bytes());
    }
    let (form_a, form_b) =
        (body_is_signed_form(signed.content_type.as_deref()), body_is_signed_form(sent.content_type.as_deref()));
    let (body_a, body_b) = (signed.body.as_deref().unwrap_or_default(), sent.body.as_deref().unwrap_or_default());
    if form_a != form_b {
        let shown = |c: &Option<String>| c.clone().unwrap_or_else(|| "(none)".into());
        return replaced(RequestPart::ContentType, &shown(&signed.content_type), &shown(&sent.content_type));
    }
    if body_a != body_b {
        return parameters_rewrite(RequestPart::Body, body_a, body_b);
    }
    replaced(RequestPart::Url, &signed.url, &sent.url)
}

/// The decoded parameters of a query or form body, in order.
fn pairs(text: &[u8]) -> Option<Vec<(Vec<u8>, Vec<u8>)>> {
    parse_form_urlencoded(text, ParameterSource::Query)
        .ok()
        .map(|ps| ps.into_iter().map(|p| (p.name, p.value)).collect())
}

fn segments(text: &[u8]) -> Vec<&[u8]> {
    text.split(|&b| b == b'&').filter(|s| !s.is_empty()).collect()
}

/// The segments of `from` whose parameter is not among `other`'s (as multisets).
fn unmatched<'t>(from: &[&'t [u8]], other: &[&[u8]]) -> Vec<&'t [u8]> {
    let mut pool: Vec<Option<(Vec<u8>, Vec<u8>)>> =
        other.iter().map(|s| pairs(s).and_then(|p| p.into_iter().next())).collect();
    let mut left = Vec::new();
    for segment in from {
        let pair = pairs(segment).and_then(|p| p.into_iter().next());
        match pool.iter().position(|p| *p == pair) {
            Some(at) => {
                pool.swap_remove(at);
            }
            None => left.push(*segment),
        }
    }
    left
}

/// How the parameters of a query or body changed between signing and sending.
fn parameters_rewrite(part: RequestPart, signed: &[u8], sent: &[u8]) -> Rewrite {
    let text = |pieces: &[&[u8]]| pieces.iter().map(|p| String::from_utf8_lossy(p)).collect::<Vec<_>>().join("&");
    let (a, b) = (segments(signed), segments(sent));
    let (added, dropped) = (unmatched(&b, &a), unmatched(&a, &b));
    let (kind, signed, sent) = match (added.is_empty(), dropped.is_empty()) {
        (false, true) => (RewriteKind::Added, String::new(), text(&added)),
        (true, false) => (RewriteKind::Dropped, text(&dropped), String::new()),
        _ => {
            let kind = if part == RequestPart::Body { RewriteKind::Reserialized } else { RewriteKind::Reencoded };
            (kind, text(&dropped), text(&added))
        }
    };
    Rewrite { part, kind, signed, sent }
}

/// `url` with its query replaced by `query` (`None`: no query).
fn with_query(url: &str, query: Option<&str>) -> String {
    let base = url.split_once('?').map_or(url, |(base, _)| base);
    match query {
        Some(query) => format!("{base}?{query}"),
        None => base.to_owned(),
    }
}

/// The received URL with the port it names taken out, or with the port of the connection put
/// in where `Host` left it out.
fn authority_forms(received: &Form, local_port: u16) -> Vec<(Form, WireQuirk, Rewrite)> {
    let Ok(url) = parse_request_url(&received.url) else { return Vec::new() };
    let default = default_port(url.scheme);
    let scheme_end = received.url.find("://").map_or(0, |i| i + 3);
    let rest = received.url.get(scheme_end..).unwrap_or_default();
    let after_authority = rest.find('/').map_or("", |i| rest.get(i..).unwrap_or_default());
    let scheme = received.url.get(..scheme_end).unwrap_or_default();
    let mut forms = Vec::new();
    if let Some(port) = url.port.filter(|p| Some(*p) != default) {
        let signed = format!("{scheme}{}{after_authority}", url.host);
        let rewrite = Rewrite {
            part: RequestPart::Authority,
            kind: RewriteKind::Replaced,
            signed: url.host.to_owned(),
            sent: format!("{}:{port}", url.host),
        };
        forms.push((received.with_url(signed), WireQuirk::DropsNonDefaultPort, rewrite));
    }
    if url.port.is_none() && Some(local_port) != default {
        let signed = format!("{scheme}{}:{local_port}{after_authority}", url.host);
        let rewrite = Rewrite {
            part: RequestPart::Authority,
            kind: RewriteKind::Replaced,
            signed: format!("{}:{local_port}", url.host),
            sent: url.host.to_owned(),
        };
        forms.push((received.with_url(signed), WireQuirk::SendsHostWithoutPort, rewrite));
    }
    forms
}

/// Segments tried one by one as "added after signing"; a longer list is not searched.
const MAX_SEGMENTS: usize = 32;

/// The received request with one rewrite undone.
fn rewritten_forms(received: &Form) -> Vec<(Form, Rewrite)> {
    let mut forms = Vec::new();
    let Ok(url) = parse_request_url(&received.url) else { return forms };
    if let Some(query) = url.query.filter(|q| !q.is_empty()) {
        let undo = |query: &str| with_query(&received.url, Some(query));
        forms.extend(parameter_forms(RequestPart::Query, query.as_bytes(), |q| {
            received.with_url(undo(&String::from_utf8_lossy(q)))
        }));
        if segments(query.as_bytes()).len() > 1 {
            let rewrite = Rewrite {
                part: RequestPart::Query,
                kind: RewriteKind::Added,
                signed: String::new(),
                sent: query.to_owned(),
            };
            forms.push((received.with_url(with_query(&received.url, None)), rewrite));
        }
    }
    for (from, to) in [("~", "%7E"), ("%7E", "~"), ("%7e", "~")] {
        if url.path.contains(from) {
            let path = url.path.replace(from, to);
            let signed_url = received.url.replacen(url.path, &path, 1);
            let rewrite = Rewrite {
                part: RequestPart::Path,
                kind: RewriteKind::Reencoded,
                signed: path,
                sent: url.path.to_owned(),
            };
            forms.push((received.with_url(signed_url), rewrite));
        }
    }
    if let Some(body) = received.body.as_deref().filter(|_| body_is_signed_form(received.content_type.as_deref())) {
        forms.extend(parameter_forms(RequestPart::Body, body, |b| received.with_body(b.to_vec())));
    }
    forms
}

/// A query or form body with `+` that was `%2B`, and with each parameter taken out in turn.
fn parameter_forms(part: RequestPart, text: &[u8], form: impl Fn(&[u8]) -> Form) -> Vec<(Form, Rewrite)> {
    let mut forms = Vec::new();
    let pieces = segments(text);
    if let Some(first) = pieces.iter().find(|s| s.contains(&b'+')) {
        let undone: Vec<u8> = String::from_utf8_lossy(text).replace('+', "%2B").into_bytes();
        let signed = String::from_utf8_lossy(first).replace('+', "%2B");
        let kind = if part == RequestPart::Body { RewriteKind::Reserialized } else { RewriteKind::Reencoded };
        forms.push((form(&undone), Rewrite { part, kind, signed, sent: String::from_utf8_lossy(first).into_owned() }));
    }
    if pieces.len() <= MAX_SEGMENTS {
        for (index, piece) in pieces.iter().enumerate() {
            let rest: Vec<&[u8]> = pieces.iter().enumerate().filter(|(i, _)| *i != index).map(|(_, p)| *p).collect();
            let rewrite = Rewrite {
                part,
                kind: RewriteKind::Added,
                signed: String::new(),
                sent: String::from_utf8_lossy(piece).into_owned(),
            };
            forms.push((form(&rest.join(&b'&')), rewrite));
        }
    }
    forms
}

/// A client that writes the form body's parameters into the Authorization header as well
/// signs each once but sends it twice (§3.4.1.3.1 collects the header's and the body's): the
/// signature verifies once the header carries only the protocol parameters and the realm.
fn form_body_in_header(mismatch: &Mismatch<'_>) -> Option<Diagnosis> {
    let (index, value) = mismatch.headers.iter().enumerate().find_map(|(i, (name, value))| {
        (name.eq_ignore_ascii_case("authorization") && value.trim_start().get(..5)?.eq_ignore_ascii_case("oauth"))
            .then_some((i, *value))
    })?;
    let parameters = oauth1_reference::header::parse_authorization_header(value.as_bytes()).ok()?;
    let protocol = |name: &[u8]| name.starts_with(b"oauth_") || name == b"realm";
    if parameters.iter().all(|p| protocol(&p.name)) {
        return None;
    }
    let kept: Vec<String> = parameters
        .iter()
        .filter(|p| protocol(&p.name))
        .map(|p| match p.name.as_slice() {
            b"realm" => format!("realm=\"{}\"", String::from_utf8_lossy(&p.value)),
            name => format!(
                "{}=\"{}\"",
                oauth1_reference::encoding::percent_encode(name),
                oauth1_reference::encoding::percent_encode(&p.value)
            ),
        })
        .collect();
    let header = format!("OAuth {}", kept.join(", "));
    let mut headers: Vec<(&str, &str)> = mismatch.headers.to_vec();
    if let Some(field) = headers.get_mut(index) {
        field.1 = &header;
    }
    let credentials = mismatch.known.verifier_credentials();
    let incoming = mismatch.received.incoming(&headers);
    Verifier::new(AnyTimestamp, NoNonceCheck).verify(&incoming, &credentials, 0).is_ok().then(|| {
        Diagnosis::SignedDifferently {
            quirks: vec![Quirk::SendsFormBodyInHeader],
            first_stage: Stage::AuthorizationHeader,
        }
    })
}

/// The catalogued quirks whose pipeline reproduces the signature sent, for a request whose
/// protocol parameters came in the header.
fn attribution(mismatch: &Mismatch<'_>) -> Option<Diagnosis> {
    let incoming = mismatch.received.incoming(mismatch.headers);
    let (request, oauth) = crate::verify_command::client_input(mismatch.parsed, &incoming)?;
    if mismatch.parsed.protocol.signature_method.rsa_hash().is_some() && mismatch.rsa_private_key_pem.is_none() {
        return None;
    }
    let secrets = SignSecrets {
        consumer_secret: Some(mismatch.known.consumer.secret().to_owned()),
        token_secret: mismatch.known.token.as_ref().map(|t| t.secret().to_owned()),
        rsa_private_key_pem: mismatch.rsa_private_key_pem.map(str::to_owned),
    };
    let input = SignInput { request: &request, oauth: &oauth, secrets: &secrets };
    let observed = Trace { signature: Some(mismatch.parsed.protocol.signature.clone()), ..Trace::default() };
    let cause = likely_cause(&input, &observed)?;
    Some(Diagnosis::SignedDifferently { quirks: cause.quirks.quirks().to_vec(), first_stage: cause.first_stage })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(url: &str, body: Option<&str>) -> Form {
        Form {
            method: "POST".into(),
            url: url.into(),
            content_type: body.map(|_| "application/x-www-form-urlencoded".into()),
            body: body.map(|b| b.as_bytes().to_vec()),
        }
    }

    #[test]
    fn rewrites_are_named_by_their_first_difference() {
        let re_encoded = first_rewrite(&form("http://h:1/p?c=a%2Bb&d=1", None), &form("http://h:1/p?c=a+b&d=1", None));
        assert_eq!(
            (re_encoded.kind, re_encoded.signed.as_str(), re_encoded.sent.as_str()),
            (RewriteKind::Reencoded, "c=a%2Bb", "c=a+b")
        );
        let added = first_rewrite(&form("http://h:1/p?a=1", None), &form("http://h:1/p?a=1&x=2", None));
        assert_eq!((added.kind, added.sent.as_str()), (RewriteKind::Added, "x=2"));
        let body = first_rewrite(&form("http://h:1/p", Some("t[]=x&t[]=y")), &form("http://h:1/p", Some("t=x&t=y")));
        assert_eq!(
            (body.part, body.kind, body.signed.as_str()),
            (RequestPart::Body, RewriteKind::Reserialized, "t[]=x&t[]=y")
        );
        let port = first_rewrite(&form("http://h/p", None), &form("http://h:8080/p", None));
        assert_eq!((port.part, port.signed.as_str(), port.sent.as_str()), (RequestPart::Authority, "h", "h:8080"));
        assert_eq!(wire_quirk(&port), WireQuirk::DropsNonDefaultPort);
        // A default port written out is the same authority.
        let same = first_rewrite(&form("http://h:80/p?a=1", None), &form("http://h/p?a=2", None));
        assert_eq!(same.part, RequestPart::Query);
    }

    #[test]
    fn undone_forms() {
        let forms = rewritten_forms(&form("http://h:1/p~q?a=x+y&b=2", None));
        let urls: Vec<&str> = forms.iter().map(|(f, _)| f.url.as_str()).collect();
        assert!(urls.contains(&"http://h:1/p~q?a=x%2By&b=2"), "{urls:?}");
        assert!(urls.contains(&"http://h:1/p~q?b=2"), "{urls:?}");
        assert!(urls.contains(&"http://h:1/p~q"), "{urls:?}");
        assert!(urls.contains(&"http://h:1/p%7Eq?a=x+y&b=2"), "{urls:?}");
        let ports = authority_forms(&form("http://h:8080/p?a=1", None), 8080);
        assert_eq!(ports.len(), 1);
        assert_eq!(ports[0].0.url, "http://h/p?a=1");
        let host = authority_forms(&form("http://h/p", None), 8080);
        assert_eq!(host[0].0.url, "http://h:8080/p");
        assert_eq!(host[0].1, WireQuirk::SendsHostWithoutPort);
    }
}
