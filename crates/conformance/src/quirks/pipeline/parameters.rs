//! §3.4.1.3, the request parameters, as an implementation with quirks collects, encodes and
//! sorts them.

use base64::prelude::{Engine as _, BASE64_STANDARD};
use oauth1_reference::body_hash::{body_hash, BodyHashAlgorithm};
use oauth1_reference::encoding::percent_decode;
use oauth1_reference::parameters::{is_form_urlencoded, FORM_URLENCODED};
use oauth1_reference::signature::{hmac_signature, SignatureMethod};
use oauth1_reference::uri::RequestUrl;

use oauth1_vectors::SignRequest;

use super::{encoded, Error};
use crate::implementation::SignInput;
use crate::quirks::{Quirk, QuirkSet};

/// What §3.4.1.3.1 collected: the signed parameters, and the protocol parameters the
/// Authorization header carries.
pub(super) struct Collected {
    pub(super) params: Vec<Param>,
    pub(super) protocol: Vec<(String, String)>,
    pub(super) body_hash: Option<String>,
}

/// §3.4.1.3.1 under `quirks`. `split_pieces` are the parameters `splits-whole-url-…` cut out
/// of the URL, which then stand for the query and the body.
pub(super) fn collect(
    input: &SignInput<'_>,
    url: &RequestUrl<'_>,
    split_pieces: Option<Vec<Param>>,
    method: SignatureMethod,
    quirks: &QuirkSet,
) -> Result<Collected, Error> {
    let request = input.request;
    let is_form = is_form_content_type(request, quirks);
    // §3.4.1.3.1, with the collection quirks.
    let has_query = url.query.is_some_and(|q| !q.is_empty());
    let splits_whole_url = split_pieces.is_some();
    let mut params = match split_pieces {
        Some(pieces) => pieces,
        None => query_parameters(url, quirks)?,
    };
    let query_names: Vec<Vec<u8>> = params.iter().map(|p| p.name.clone()).collect();
    let (mut protocol, hash, body) = protocol_parameters(input, is_form, method, quirks);
    params.extend(signed_protocol_parameters(&protocol, input, quirks));
    if quirks.has(Quirk::SendsQueryInHeader) {
        // A query parameter named `realm` would be read back as the header's realm, which the
        // judge leaves out of the parameters it compares: it is not written.
        let in_header = |p: &&Param| p.source == Source::Query && p.name != b"realm";
        protocol.extend(params.iter().filter(in_header).map(|p| (text(&p.name), text(&p.value))));
    }
    let body_signed = is_form
        && request.body.is_some()
        && !splits_whole_url
        && !quirks.has(Quirk::IgnoresFormBody)
        && !(quirks.has(Quirk::IgnoresFormBodyWithQuery) && has_query)
        && (!quirks.has(Quirk::SignsFormBodyForPostOnly) || signs_as_post(&request.method, quirks));
    if body_signed {
        let mut form = parse_form(body, Source::Body, quirks)?;
        if quirks.has(Quirk::DropsEmptyBodyValues) {
            form.retain(|p| !p.value.is_empty());
        }
        if quirks.has(Quirk::StripsBracketIndexes) {
            strip_bracket_indexes(&mut form);
        }
        if quirks.has(Quirk::SendsFormBodyInHeader) {
            protocol.extend(form.iter().map(|p| (text(&p.name), text(&p.value))));
        }
        if quirks.has(Quirk::QueryOverridesBody) {
            form.retain(|p| !query_names.contains(&p.name));
        }
        if quirks.has(Quirk::CollapsesBodyDuplicatesLast) {
            keep_last_of_each_name(&mut form);
        }
        if quirks.has(Quirk::StringifiesStructuredValues) {
            stringify_structures(&mut form);
        }
        params.extend(form);
    } else if !is_form && request.body.is_some() && !splits_whole_url {
        params.extend(non_form_body_parameters(request, body, quirks));
    }
    if !quirks.has(Quirk::SignsOauthSignature) {
        params.retain(|p| p.source == Source::Protocol || p.name != b"oauth_signature");
    }
    apply_collection_quirks(&mut params, input, quirks);
    Ok(Collected { params, protocol, body_hash: hash })
}

/// The query's parameters under the query quirks.
fn query_parameters(url: &RequestUrl<'_>, quirks: &QuirkSet) -> Result<Vec<Param>, Error> {
    let (Some(query), false) = (url.query, quirks.has(Quirk::IgnoresQuery)) else {
        return Ok(Vec::new());
    };
    let mut params = parse_form(query.as_bytes(), Source::Query, quirks)?;
    if quirks.has(Quirk::StripsBracketIndexes) {
        strip_bracket_indexes(&mut params);
    }
    if quirks.has(Quirk::CollapsesQueryDuplicatesLast) {
        keep_last_of_each_name(&mut params);
    }
    if quirks.has(Quirk::StringifiesStructuredValues) {
        stringify_structures(&mut params);
    }
    if quirks.has(Quirk::SignsQueryTwice) {
        let again = params.clone();
        params.extend(again);
    }
    Ok(params)
}

/// Decoded octets as the header's text.
fn text(octets: &[u8]) -> String {
    String::from_utf8_lossy(octets).into_owned()
}

/// `strips-bracket-indexes`: every `[digits]` of a name written `[]`. Faraday's nested-params
/// decoder turns a level whose keys are all numbers into an array, and its encoder writes an
/// array's members under `name[]` whatever their index.
fn strip_bracket_indexes(params: &mut [Param]) {
    for param in params {
        let mut name = Vec::with_capacity(param.name.len());
        let mut rest = param.name.as_slice();
        while let Some(open) = rest.iter().position(|&b| b == b'[') {
            name.extend_from_slice(&rest[..=open]);
            rest = &rest[open + 1..];
            let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
            if digits > 0 && rest.get(digits) == Some(&b']') {
                rest = &rest[digits..];
            }
        }
        name.extend_from_slice(rest);
        param.name = name;
    }
}

/// The protocol parameters as the implementation signs them (the header's, less what
/// `omits-extra-protocol-parameters` and `body-hash-not-signed` leave unsigned).
fn signed_protocol_parameters(protocol: &[(String, String)], input: &SignInput<'_>, quirks: &QuirkSet) -> Vec<Param> {
    let omits_extras = quirks.has(Quirk::OmitsExtraProtocolParameters);
    let unsigned = |name: &str| {
        (omits_extras && input.oauth.extra.iter().any(|(extra, _)| extra == name))
            || (quirks.has(Quirk::BodyHashNotSigned) && name == "oauth_body_hash")
    };
    protocol
        .iter()
        .filter(|(n, _)| !unsigned(n))
        .map(|(n, v)| Param {
            name: n.clone().into_bytes(),
            value: v.clone().into_bytes(),
            value_verbatim: quirks.has(Quirk::ConsumerKeyNotEncoded) && n == "oauth_consumer_key",
            name_verbatim: false,
            source: Source::Protocol,
        })
        .collect()
}

/// The quirks that work on every collected parameter at once: the realm, empty values,
/// duplicates.
fn apply_collection_quirks(params: &mut Vec<Param>, input: &SignInput<'_>, quirks: &QuirkSet) {
    if let (true, Some(realm)) = (quirks.has(Quirk::SignsRealm), input.oauth.realm.as_deref()) {
        params.push(Param::new(b"realm", realm.as_bytes(), Source::Protocol));
    }
    if quirks.has(Quirk::DropsRealmNamedParameter) {
        params.retain(|p| p.name != b"realm");
    }
    if quirks.has(Quirk::DropsEmptyValues) {
        params.retain(|p| !p.value.is_empty());
    }
    if quirks.has(Quirk::CollapsesDuplicatesLast) || quirks.has(Quirk::CollapsesDuplicatesFirst) {
        let last = quirks.has(Quirk::CollapsesDuplicatesLast);
        let mut kept: Vec<Param> = Vec::new();
        for p in params.drain(..) {
            match kept.iter_mut().find(|k| k.name == p.name) {
                Some(existing) if last => *existing = p,
                Some(_) => {}
                None => kept.push(p),
            }
        }
        *params = kept;
    }
}

/// The parameters the body-parser quirks read from a body that is not a form (§3.4.1.3.1 reads
/// none): its form pairs, its JSON members or its multipart fields.
fn non_form_body_parameters(request: &SignRequest, body: &[u8], quirks: &QuirkSet) -> Vec<Param> {
    let media_type = request
        .content_type
        .as_deref()
        .map(|ct| ct.split(';').next().unwrap_or_default().trim_matches([' ', '\t']).to_ascii_lowercase());
    let mut params = Vec::new();
    if quirks.has(Quirk::SignsNonFormBody) {
        params.extend(form_pairs_leniently(body));
    }
    let is_json = media_type.as_deref().is_some_and(|mt| mt == "application/json" || mt.ends_with("+json"));
    if quirks.has(Quirk::SignsJsonBodyMembers) && is_json {
        params.extend(json_members(body));
    }
    if quirks.has(Quirk::SignsMultipartFormFields) && media_type.as_deref() == Some("multipart/form-data") {
        params.extend(multipart_fields(request.content_type.as_deref().unwrap_or_default(), body));
    }
    params
}

/// A body read as form pairs the way a lenient parser does (Python's `parse_qsl`, PHP's
/// `parse_str`): split on `&`, `+` a space, each well-formed escape decoded and any other `%`
/// kept, the octets read as UTF-8 with U+FFFD for what is not.
fn form_pairs_leniently(body: &[u8]) -> Vec<Param> {
    let decode = |raw: &[u8]| {
        let spaced: Vec<u8> = raw.iter().map(|&b| if b == b'+' { b' ' } else { b }).collect();
        String::from_utf8_lossy(&decode_leniently(&spaced)).into_owned().into_bytes()
    };
    body.split(|&b| b == b'&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (name, value) = match piece.iter().position(|&b| b == b'=') {
                Some(eq) => (piece.get(..eq).unwrap_or_default(), piece.get(eq + 1..).unwrap_or_default()),
                None => (piece, &[][..]),
            };
            Param::new(&decode(name), &decode(value), Source::Body)
        })
        .collect()
}

/// The members of a JSON object: a string as it is, any other value as its JSON text without
/// the whitespace between tokens (what `JSON.stringify` writes of it, its members in the order
/// written). A body that is not a JSON object has none; a repeated name keeps its last value.
fn json_members(body: &[u8]) -> Vec<Param> {
    type Members = std::collections::BTreeMap<String, Box<serde_json::value::RawValue>>;
    let Ok(members) = serde_json::from_slice::<Members>(body) else {
        return Vec::new();
    };
    members
        .into_iter()
        .map(|(name, raw)| {
            let text = serde_json::from_str::<String>(raw.get()).unwrap_or_else(|_| compact_json(raw.get()));
            Param::new(name.as_bytes(), text.as_bytes(), Source::Body)
        })
        .collect()
}

/// JSON text without the whitespace between its tokens (strings kept as written).
fn compact_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            out.push(c);
        }
    }
    out
}

/// The fields of a `multipart/form-data` body (RFC 7578): each part with a
/// `Content-Disposition: form-data; name="…"` and no `filename`, its content without the line
/// break before the next delimiter. A part this reading cannot make out is skipped.
fn multipart_fields(content_type: &str, body: &[u8]) -> Vec<Param> {
    let Some(boundary) = content_type.split(';').skip(1).find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        name.trim().eq_ignore_ascii_case("boundary").then(|| value.trim().trim_matches('"').to_owned())
    }) else {
        return Vec::new();
    };
    let delimiter = format!("--{boundary}");
    let text = String::from_utf8_lossy(body);
    let mut fields = Vec::new();
    for part in text.split(delimiter.as_str()).skip(1) {
        if part.starts_with("--") {
            break;
        }
        let part = part.strip_prefix("\r\n").unwrap_or(part);
        let Some((headers, content)) = part.split_once("\r\n\r\n") else { continue };
        let Some(disposition) = headers.split("\r\n").find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.trim().eq_ignore_ascii_case("content-disposition").then_some(value)
        }) else {
            continue;
        };
        let attribute = |wanted: &str| {
            disposition.split(';').find_map(|item| {
                let (name, value) = item.split_once('=')?;
                name.trim().eq_ignore_ascii_case(wanted).then(|| value.trim().trim_matches('"').to_owned())
            })
        };
        if let (Some(name), None) = (attribute("name"), attribute("filename")) {
            let content = content.strip_suffix("\r\n").unwrap_or(content);
            fields.push(Param::new(name.as_bytes(), content.as_bytes(), Source::Body));
        }
    }
    fields
}

/// `stringifies-structured-values`: the bracketed names `base[…]` of one source gathered under
/// `base`, in the place of the first, as JavaScript's `String()` writes the structure Node's
/// `qs` builds of them: an array (every name `base[]` or `base[<digits>]`) as its values joined
/// by `,`, anything else as `[object Object]`.
fn stringify_structures(params: &mut Vec<Param>) {
    fn split_bracketed(name: &[u8]) -> Option<(&[u8], &[u8])> {
        let open = name.iter().position(|&b| b == b'[').filter(|&i| i > 0)?;
        let rest = name.get(open..)?;
        rest.contains(&b']').then(|| (name.get(..open).unwrap_or_default(), rest))
    }
    let is_index = |rest: &[u8]| {
        rest.strip_prefix(b"[").and_then(|r| r.strip_suffix(b"]")).is_some_and(|inner| {
            inner.iter().all(u8::is_ascii_digit) && !inner.contains(&b']') && !inner.contains(&b'[')
        })
    };
    /// One base name gathered: its place in the output, its values, whether it is an array.
    struct Structure {
        base: Vec<u8>,
        place: usize,
        values: Vec<Vec<u8>>,
        is_array: bool,
    }
    let mut out: Vec<Param> = Vec::with_capacity(params.len());
    let mut structures: Vec<Structure> = Vec::new();
    for param in params.drain(..) {
        let Some((base, rest)) = split_bracketed(&param.name) else {
            out.push(param);
            continue;
        };
        let array = is_index(rest);
        match structures.iter_mut().find(|s| s.base.as_slice() == base) {
            Some(structure) => {
                structure.values.push(param.value);
                structure.is_array &= array;
            }
            None => {
                structures.push(Structure {
                    base: base.to_vec(),
                    place: out.len(),
                    values: vec![param.value.clone()],
                    is_array: array,
                });
                out.push(Param::new(base, b"", param.source));
            }
        }
    }
    for structure in structures {
        if let Some(param) = out.get_mut(structure.place) {
            param.value =
                if structure.is_array { structure.values.join(&b","[..]) } else { b"[object Object]".to_vec() };
        }
    }
    *params = out;
}

/// The protocol parameters as sent, the body hash among them, and the body octets as the
/// implementation reads them afterwards (`hashes-empty-body-as-braces` reads an empty body as
/// `{}` from then on).
fn protocol_parameters<'a>(
    input: &SignInput<'a>,
    is_form: bool,
    method: SignatureMethod,
    quirks: &QuirkSet,
) -> (Vec<(String, String)>, Option<String>, &'a [u8]) {
    let request = input.request;
    let oauth = input.oauth;
    let mut protocol: Vec<(String, String)> = vec![("oauth_consumer_key".into(), oauth.consumer_key.clone())];
    let mut push = |name: &str, value: Option<&str>| {
        if let Some(value) = value {
            protocol.push((name.to_owned(), value.to_owned()));
        }
    };
    push("oauth_token", oauth.token.as_deref());
    push("oauth_signature_method", Some(&oauth.signature_method));
    push("oauth_timestamp", oauth.timestamp.as_deref());
    push("oauth_nonce", oauth.nonce.as_deref());
    let version = oauth.version.as_deref().or(if quirks.has(Quirk::AddsOauthVersion) { Some("1.0") } else { None });
    push("oauth_version", version);
    let body = request.body.as_deref().unwrap_or_default().as_bytes();
    let method_permits_body = ["POST", "PUT", "PATCH"].contains(&request.method.as_str());
    let wants_body_hash = oauth.compute_body_hash
        || (quirks.has(Quirk::AddsBodyHash) && !is_form && request.body.is_some())
        || (quirks.has(Quirk::AddsBodyHashToBodyMethods) && !is_form && method_permits_body)
        || (quirks.has(Quirk::AddsBodyHashToEveryRequest) && !is_form);
    let body = if body.is_empty() && quirks.has(Quirk::HashesEmptyBodyAsBraces) { b"{}" } else { body };
    let hashed: &[u8] =
        if request.body.is_none() && quirks.has(Quirk::HashesAbsentBodyAsNone) { b"None" } else { body };
    let hash = (wants_body_hash && !is_form).then(|| body_hash_value(input, hashed, method, quirks));
    push("oauth_body_hash", hash.as_deref());
    for (name, value) in &oauth.extra {
        push(name, Some(value));
    }
    if quirks.has(Quirk::DropsEmptyProtocolParameters) {
        protocol.retain(|(_, value)| !value.is_empty());
    }
    if quirks.has(Quirk::PlaintextOmitsTimestampNonce) && method == SignatureMethod::Plaintext {
        protocol.retain(|(name, _)| name != "oauth_timestamp" && name != "oauth_nonce");
    }
    (protocol, hash, body)
}

/// The oauth_body_hash of `body` (draft-eaton-oauth-bodyhash §3.1) under the body-hash quirks.
/// Whether the method the library writes into the base string is `POST`: LWP::Authen::OAuth
/// compares the method as given (it also keeps its case), signet the one it uppercased.
fn signs_as_post(method: &str, quirks: &QuirkSet) -> bool {
    if quirks.has(Quirk::MethodNotUppercased) {
        method == "POST"
    } else {
        method.eq_ignore_ascii_case("POST")
    }
}

fn body_hash_value(input: &SignInput<'_>, body: &[u8], method: SignatureMethod, quirks: &QuirkSet) -> String {
    let algorithm = if quirks.has(Quirk::BodyHashAlwaysSha1) {
        BodyHashAlgorithm::Sha1
    } else {
        BodyHashAlgorithm::for_method(method)
    };
    if quirks.has(Quirk::BodyHashKeyed) {
        let hmac = match algorithm {
            BodyHashAlgorithm::Sha1 => SignatureMethod::HmacSha1,
            BodyHashAlgorithm::Sha256 => SignatureMethod::HmacSha256,
            BodyHashAlgorithm::Sha512 => SignatureMethod::HmacSha512,
        };
        let key = super::signing_key(input, method, quirks);
        return hmac_signature(hmac, key.as_bytes(), body).unwrap_or_default();
    }
    let hash = body_hash(algorithm, body);
    if quirks.has(Quirk::BodyHashOfHexDigest) {
        let digest = BASE64_STANDARD.decode(&hash).unwrap_or_default();
        let hex: String = digest.iter().map(|octet| format!("{octet:02x}")).collect();
        return BASE64_STANDARD.encode(hex);
    }
    hash
}

/// §3.4.1.3.2 under `quirks`: the normalized parameter string as the implementation reports
/// it, and the parameters component of its signature base string.
pub(super) fn normalize(params: Vec<Param>, quirks: &QuirkSet) -> (String, String) {
    // §3.4.1.3.2, with the sorting and encoding quirks.
    let mut pairs: Vec<NormalizedPair> = params
        .into_iter()
        .map(|p| {
            let encoded_name = if quirks.has(Quirk::NamesNotEncoded) || quirks.has(Quirk::NamesEncodedOnce) {
                String::from_utf8_lossy(&p.name).into_owned()
            } else {
                encoded_component(&p.name, quirks)
            };
            let encoded_value = if p.value_verbatim {
                String::from_utf8_lossy(&p.value).into_owned()
            } else if quirks.has(Quirk::EncodesValuesTwice) {
                encoded_component(encoded_component(&p.value, quirks).as_bytes(), quirks)
            } else {
                encoded_component(&p.value, quirks)
            };
            NormalizedPair { encoded_name, encoded_value, param: p }
        })
        .collect();
    sort_pairs(&mut pairs, quirks);
    let (equals, ampersand) = if quirks.has(Quirk::NormalizesWithWrongSeparators) { (",", ",") } else { ("=", "&") };
    let normalized = pairs
        .iter()
        .map(|pair| {
            if pair.param.name_verbatim {
                format!("{}{equals}{}", String::from_utf8_lossy(&pair.param.name), pair.encoded_value)
            } else {
                format!("{}{equals}{}", pair.encoded_name, pair.encoded_value)
            }
        })
        .collect::<Vec<_>>()
        .join(ampersand);

    let parameters_component = if quirks.has(Quirk::NamesNotEncoded) {
        // The raw name passes through the second encoding too; only `=`, `&` and the value
        // are encoded again.
        pairs
            .iter()
            .map(|pair| format!("{}%3D{}", pair.encoded_name, encoded(pair.encoded_value.as_bytes(), quirks)))
            .collect::<Vec<_>>()
            .join("%26")
    } else {
        encoded(normalized.as_bytes(), quirks)
    };
    // What such an implementation reports as its normalized string is its base string's
    // component read back (decoded once), so the stage is derived the same way here.
    let normalized = if quirks.has(Quirk::NamesNotEncoded) {
        percent_decode(parameters_component.as_bytes())
            .map_or(normalized, |octets| String::from_utf8_lossy(&octets).into_owned())
    } else {
        normalized
    };
    (normalized, parameters_component)
}

/// §3.4.1.3.2 step 1 for one name or value: [`encoded`], but `leaves-reserved-characters-unencoded`
/// writes the characters JavaScript's `encodeURI` keeps as they are.
fn encoded_component(input: &[u8], quirks: &QuirkSet) -> String {
    if !quirks.has(Quirk::LeavesReservedCharactersUnencoded) {
        return encoded(input, quirks);
    }
    let mut out = String::with_capacity(input.len() * 3);
    for chunk in input.chunk_by(|a, b| kept_by_encode_uri(*a) == kept_by_encode_uri(*b)) {
        if chunk.first().copied().is_some_and(kept_by_encode_uri) {
            out.push_str(&String::from_utf8_lossy(chunk));
        } else {
            out.push_str(&encoded(chunk, quirks));
        }
    }
    out
}

/// The octets JavaScript's `encodeURI` leaves as they are: the unreserved characters, the
/// reserved ones but `[` and `]`, `!*'()` and `#`.
fn kept_by_encode_uri(octet: u8) -> bool {
    octet.is_ascii_alphanumeric() || b"-_.!~*'();/?:@&=+$,#".contains(&octet)
}

/// §3.4.1.3.2 step 2 under the sorting quirks.
fn sort_pairs(pairs: &mut [NormalizedPair], quirks: &QuirkSet) {
    if quirks.has(Quirk::SortsJoinedPairs) {
        pairs.sort_by_cached_key(|p| format!("{}={}", p.encoded_name, p.encoded_value));
    } else if quirks.has(Quirk::SortsByNameOnly) {
        pairs.sort_by(|a, b| a.encoded_name.cmp(&b.encoded_name));
    } else if quirks.has(Quirk::SortsValuesUnencoded) {
        pairs.sort_by(|a, b| (&a.encoded_name, &a.param.value).cmp(&(&b.encoded_name, &b.param.value)));
    } else if quirks.has(Quirk::SortsUnencoded) {
        pairs.sort_by(|a, b| (&a.param.name, &a.param.value).cmp(&(&b.param.name, &b.param.value)));
    } else if quirks.has(Quirk::SortsCaseInsensitively) {
        pairs.sort_by_cached_key(|p| (p.encoded_name.to_ascii_lowercase(), p.encoded_value.clone()));
    } else if quirks.has(Quirk::SortsNaturally) {
        pairs.sort_by(|a, b| {
            natural_cmp(&a.encoded_name, &b.encoded_name).then_with(|| a.encoded_value.cmp(&b.encoded_value))
        });
    } else if quirks.has(Quirk::LeavesParametersUnsorted) {
        // The request's own parameters stay in the order given; the protocol ones follow, sorted.
        pairs.sort_by(|a, b| match (a.param.source == Source::Protocol, b.param.source == Source::Protocol) {
            (true, true) => (&a.encoded_name, &a.encoded_value).cmp(&(&b.encoded_name, &b.encoded_value)),
            (protocol_a, protocol_b) => protocol_a.cmp(&protocol_b),
        });
    } else {
        pairs.sort_by(|a, b| (&a.encoded_name, &a.encoded_value).cmp(&(&b.encoded_name, &b.encoded_value)));
    }
}

/// PHP's `strnatcmp` for ASCII text: runs of digits compare by their value (then by length,
/// so `01` follows `1`), everything else byte by byte.
fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let run = |s: &[u8]| s.iter().take_while(|c| c.is_ascii_digit()).count();
                let (run_a, run_b) = (run(a), run(b));
                let (digits_a, rest_a) = a.split_at(run_a);
                let (digits_b, rest_b) = b.split_at(run_b);
                let significant = |d: &[u8]| {
                    let zeros = d.iter().take_while(|&&c| c == b'0').count();
                    d.get(zeros..).unwrap_or_default().to_vec()
                };
                let (value_a, value_b) = (significant(digits_a), significant(digits_b));
                let order =
                    value_a.len().cmp(&value_b.len()).then_with(|| value_a.cmp(&value_b)).then(run_a.cmp(&run_b));
                if order != Ordering::Equal {
                    return order;
                }
                (a, b) = (rest_a, rest_b);
            }
            (Some(x), Some(y)) if x != y => return x.cmp(y),
            _ => {
                (a, b) = (a.get(1..).unwrap_or_default(), b.get(1..).unwrap_or_default());
            }
        }
    }
}

/// A parameter as §3.4.1.3.2 sorts and writes it: as read, and its name and value encoded.
struct NormalizedPair {
    encoded_name: String,
    encoded_value: String,
    param: Param,
}

/// One parameter on its way into the base string.
#[derive(Clone)]
pub(super) struct Param {
    name: Vec<u8>,
    value: Vec<u8>,
    /// Written into the normalized string as given, not percent-encoded (quirk
    /// `consumer-key-not-encoded`).
    value_verbatim: bool,
    /// The name written into the normalized string as given, though sorted as encoded (a
    /// piece without `=` under quirk `splits-whole-url-on-ampersand-and-question-mark`).
    name_verbatim: bool,
    /// Where it was read (quirk `leaves-parameters-unsorted` writes the protocol parameters last).
    source: Source,
}

impl Param {
    fn new(name: &[u8], value: &[u8], source: Source) -> Self {
        Self { name: name.to_vec(), value: value.to_vec(), value_verbatim: false, name_verbatim: false, source }
    }
}

fn decode_component(raw: &[u8], plus_is_space: bool, twice: bool) -> Result<Vec<u8>, Error> {
    let spaced: Vec<u8> =
        if plus_is_space { raw.iter().map(|&b| if b == b'+' { b' ' } else { b }).collect() } else { raw.to_vec() };
    let once = percent_decode(&spaced)?;
    if twice {
        // The double-decoders seen are Python libraries, whose second pass is `unquote`: an
        // escape is decoded where well-formed and kept where not, and the octets are read as
        // UTF-8 with U+FFFD for what is not UTF-8.
        Ok(String::from_utf8_lossy(&decode_leniently(&once)).into_owned().into_bytes())
    } else {
        Ok(once)
    }
}

/// Where a parameter comes from: some libraries read the query with another parser than the
/// body, or write the protocol parameters apart.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    Query,
    Body,
    Protocol,
}

fn parse_form(input: &[u8], source: Source, quirks: &QuirkSet) -> Result<Vec<Param>, Error> {
    let plus = !quirks.has(Quirk::PlusNotDecoded);
    let twice = quirks.has(Quirk::DoubleDecodes);
    let query_quirk = |quirk| source == Source::Query && quirks.has(quirk);
    let is_separator = |b: &u8| *b == b'&' || (*b == b';' && query_quirk(Quirk::SemicolonSeparatesQuery));
    let mut segments: Vec<&[u8]> = input.split(is_separator).collect();
    if query_quirk(Quirk::KeepsEmptyQuerySegments) {
        // Perl's `split` drops the empty fields at the end only.
        while segments.last().is_some_and(|s| s.is_empty()) {
            segments.pop();
        }
    } else {
        segments.retain(|s| !s.is_empty());
    }
    if query_quirk(Quirk::DropsValuelessQueryParameters) {
        segments.retain(|s| s.contains(&b'='));
    }
    let mut params = segments
        .into_iter()
        .map(|pair| {
            let equals_decoded;
            let pair = if query_quirk(Quirk::DecodesEqualsInQueryNames) {
                equals_decoded = decode_equals_escapes(pair);
                equals_decoded.as_slice()
            } else {
                pair
            };
            let (name, value) = match pair.iter().position(|&b| b == b'=') {
                Some(eq) => (pair.get(..eq).unwrap_or_default(), pair.get(eq + 1..).unwrap_or_default()),
                None => (pair, &[][..]),
            };
            let mut name =
                if quirks.has(Quirk::NamesNotDecoded) { name.to_vec() } else { decode_component(name, plus, twice)? };
            if query_quirk(Quirk::QueryNameSpaceAsPlus) {
                name.iter_mut().filter(|b| **b == b' ').for_each(|b| *b = b'+');
            }
            let value = decode_component(value, plus, twice)?;
            if quirks.has(Quirk::LossyUtf8) {
                let lossy = |b: Vec<u8>| String::from_utf8_lossy(&b).into_owned().into_bytes();
                return Ok(Param::new(&lossy(name), &lossy(value), source));
            }
            if query_quirk(Quirk::QueryOctetsReencoded) {
                return Ok(Param::new(&latin1_to_utf8(&name), &latin1_to_utf8(&value), source));
            }
            Ok(Param::new(&name, &value, source))
        })
        .collect::<Result<Vec<_>, Error>>()?;
    if query_quirk(Quirk::IndexesRepeatedQueryNames) {
        index_repeated_names(&mut params);
    }
    if quirks.has(Quirk::EmptyValueReplacedByRepeat) {
        replace_lone_empty_values_by_repeats(&mut params);
    }
    Ok(params)
}

/// `pair` with every `%3D` (either case) turned into `=`.
fn decode_equals_escapes(pair: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(pair.len());
    let mut rest = pair;
    while let Some((&first, tail)) = rest.split_first() {
        match tail {
            [b'3', b'D' | b'd', after @ ..] if first == b'%' => {
                out.push(b'=');
                rest = after;
            }
            _ => {
                out.push(first);
                rest = tail;
            }
        }
    }
    out
}

/// oauth-1.0a 2.2.6 `deParam`: `if (data[item[0]])` is false for a name holding one empty
/// string, so the next value of that name replaces it instead of joining it in an array.
fn replace_lone_empty_values_by_repeats(params: &mut Vec<Param>) {
    let mut kept: Vec<Param> = Vec::with_capacity(params.len());
    for param in params.drain(..) {
        let name = param.name.clone();
        let mut same = kept.iter_mut().filter(|k| k.name == name);
        let unplaced = match (same.next(), same.next()) {
            (Some(only), None) if only.value.is_empty() => {
                *only = param;
                None
            }
            _ => Some(param),
        };
        kept.extend(unplaced);
    }
    *params = kept;
}

/// Whether `request` has a form body (§3.4.1.3.1), as an implementation with `quirks` tells.
pub(super) fn is_form_content_type(request: &SignRequest, quirks: &QuirkSet) -> bool {
    request.content_type.as_deref().is_some_and(|ct| {
        let form = if quirks.has(Quirk::CharsetMakesBodyUnsigned) {
            ct.trim().eq_ignore_ascii_case(FORM_URLENCODED)
        } else {
            is_form_urlencoded(ct)
        };
        // The media type, already known to match ignoring case, opens the value.
        form && (!quirks.has(Quirk::FormContentTypeCaseSensitive)
            || ct.trim_start_matches([' ', '\t']).starts_with(FORM_URLENCODED))
    })
}

/// liboauth's `oauth_split_post_paramters` (quirk `splits-whole-url-on-ampersand-and-question-mark`):
/// the URL, with a form body appended, cut at every `&` and `?`; empty pieces and
/// `oauth_signature=` pieces are skipped. The first piece is the URL the base string URI is
/// made of (liboauth's own `/` and `:80` rules are the quirks `keeps-host-case`,
/// `drops-port-80-for-any-scheme`, …), the others are parameters.
pub(super) fn split_whole_url(
    url: &str,
    form_body: Option<&str>,
    plus_is_space: bool,
) -> Result<(String, Vec<Param>), Error> {
    let mut signed = url.as_bytes().to_vec();
    if let Some(body) = form_body {
        signed.push(b'&');
        signed.extend_from_slice(body.as_bytes());
    }
    if plus_is_space {
        signed.iter_mut().filter(|b| **b == b'+').for_each(|b| *b = b' ');
    }
    let mut pieces = signed.split(|b| *b == b'&' || *b == b'?').filter(|piece| {
        !piece.is_empty() && !piece.get(..16).is_some_and(|start| start.eq_ignore_ascii_case(b"oauth_signature="))
    });
    // The first piece as written: its `+` become spaces only once it is the base string URI
    // (in `prepare`), as a URL with a space does not parse.
    let uri = pieces.next().and_then(|piece| url.get(..piece.len())).map(str::to_owned).ok_or(Error::NoPieces)?;
    let params = pieces
        .map(|piece| {
            let decoded = decode_leniently(piece);
            // `oauth_serialize_url_sep` encodes a piece without `=` not at all, and adds the `=`.
            let (name, value, name_verbatim) = match decoded.iter().position(|&b| b == b'=') {
                Some(eq) => (decoded.get(..eq).unwrap_or_default(), decoded.get(eq + 1..).unwrap_or_default(), false),
                None => (decoded.as_slice(), &[][..], true),
            };
            Param { name_verbatim, ..Param::new(name, value, Source::Query) }
        })
        .collect();
    Ok((uri, params))
}

/// Percent-decodes every `%` followed by two hex digits and keeps any other `%` as it is.
fn decode_leniently(input: &[u8]) -> Vec<u8> {
    let hex = |b: Option<&u8>| b.and_then(|&b| char::from(b).to_digit(16)).and_then(|d| u8::try_from(d).ok());
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while let Some(&b) = input.get(i) {
        match (b, hex(input.get(i + 1)), hex(input.get(i + 2))) {
            (b'%', Some(high), Some(low)) => {
                out.push(high << 4 | low);
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

/// Keeps one parameter per name, the last one, where it stands.
fn keep_last_of_each_name(params: &mut Vec<Param>) {
    let names: Vec<Vec<u8>> = params.iter().map(|p| p.name.clone()).collect();
    let mut index = 0;
    params.retain(|p| {
        index += 1;
        !names.iter().skip(index).any(|later| *later == p.name)
    });
}

/// Each octet read as the Latin-1 character of that code point, then UTF-8 encoded.
pub(super) fn latin1_to_utf8(octets: &[u8]) -> Vec<u8> {
    octets.iter().map(|&b| char::from(b)).collect::<String>().into_bytes()
}

/// Renames every occurrence of a repeated name to `name[i]`, `i` counting its occurrences.
fn index_repeated_names(params: &mut [Param]) {
    let names: Vec<Vec<u8>> = params.iter().map(|p| p.name.clone()).collect();
    let mut seen: Vec<(&[u8], usize)> = Vec::new();
    for (param, name) in params.iter_mut().zip(&names) {
        if names.iter().filter(|n| *n == name).count() < 2 {
            continue;
        }
        let index = match seen.iter_mut().find(|(n, _)| *n == name.as_slice()) {
            Some((_, count)) => {
                *count += 1;
                *count - 1
            }
            None => {
                seen.push((name, 1));
                0
            }
        };
        param.name.extend_from_slice(format!("[{index}]").as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What liboauth 1.0.3 made of this URL through its adapter (`a/b=&c=%25zz%201&…`):
    /// `oauth_signature=` dropped, `%zz` kept, `+` a space, the valueless name not encoded. (Its
    /// base string URI `http://Example.com/` is the first piece under `keeps-host-case` and
    /// `drops-port-80-for-any-scheme`.)
    #[test]
    fn split_whole_url_is_liboauths_split() {
        let (uri, params) =
            split_whole_url("http://Example.com:80?a%2Fb&oauth_signature=zz&c=%zz+1", None, true).unwrap();
        assert_eq!(uri, "http://Example.com:80");
        let pieces: Vec<(&[u8], &[u8], bool)> =
            params.iter().map(|p| (p.name.as_slice(), p.value.as_slice(), p.name_verbatim)).collect();
        assert_eq!(pieces, [(&b"a/b"[..], &b""[..], true), (&b"c"[..], &b"%zz 1"[..], false)]);
    }

    /// LWP::Authen::OAuth compares the method as given (`$method eq "POST"`) and keeps its case,
    /// so `post` leaves the body unsigned; signet downcases the method before comparing, and
    /// uppercases it for the base string, so `post` is a POST.
    #[test]
    fn post_is_the_method_the_library_writes() {
        let lwp = QuirkSet::of(&[Quirk::SignsFormBodyForPostOnly, Quirk::MethodNotUppercased]);
        let signet = QuirkSet::of(&[Quirk::SignsFormBodyForPostOnly]);
        assert!(signs_as_post("POST", &lwp) && !signs_as_post("post", &lwp) && !signs_as_post("PUT", &lwp));
        assert!(signs_as_post("POST", &signet) && signs_as_post("post", &signet) && !signs_as_post("PATCH", &signet));
    }
}
