//! RFC 5849 §3.4.1.3 "Request Parameters": where parameters come from (§3.4.1.3.1) and how
//! they are normalized into one string (§3.4.1.3.2).

use core::fmt;
use core::ops::Range;

use smallvec::SmallVec;

use crate::encoding::{
    extend_from_short, form_urldecode, form_urldecode_then_encode_twice_until, percent_encode_into,
    percent_encode_twice_into, FormOctetError, MalformedEscape, OctetSet,
};
use crate::uri::{UncheckedQuery, UriError, QUERY_SCAN};

/// The media type whose entity-body parameters are signed (RFC 5849 §3.4.1.3.1).
pub const FORM_URLENCODED: &str = "application/x-www-form-urlencoded";

/// Where a request parameter travelled; §3.4.1.3.1 lists exactly these three sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ParameterSource {
    /// The query component of the request URI (§3.4.1.3.1, first bullet).
    Query,
    /// The OAuth HTTP `Authorization` header (§3.4.1.3.1, second bullet).
    AuthorizationHeader,
    /// A single-part `application/x-www-form-urlencoded` entity-body (§3.4.1.3.1, third bullet).
    Body,
}

impl ParameterSource {
    /// A stable lowercase name, used in traces and reports.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Query => "query",
            Self::AuthorizationHeader => "header",
            Self::Body => "body",
        }
    }
}

/// One decoded request parameter and its source.
///
/// Names and values are octets: a query may carry `%FF`, which is no UTF-8 text, and the RFC
/// signs octets, so the reference keeps them exactly and re-encodes them exactly.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Parameter {
    /// The decoded name.
    pub name: Vec<u8>,
    /// The decoded value; empty when the name had no `=` (§3.4.1.3.1 step 2 of the example).
    pub value: Vec<u8>,
    /// Where it was found.
    pub source: ParameterSource,
}

impl Parameter {
    /// A parameter from borrowed octets.
    #[must_use]
    pub fn new(name: &[u8], value: &[u8], source: ParameterSource) -> Self {
        Self { name: name.to_vec(), value: value.to_vec(), source }
    }
}

/// A form-urlencoded component that could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormDecodeError {
    /// Which component it was.
    pub source: ParameterSource,
    /// The malformed escape, with its byte offset in that component.
    pub escape: MalformedEscape,
}

impl fmt::Display for FormDecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.source.name(), self.escape)
    }
}

impl std::error::Error for FormDecodeError {}

/// Splits and decodes `application/x-www-form-urlencoded` octets into name/value pairs, in
/// order, duplicates kept.
///
/// `&`-separated, split at the first `=`; a name without `=` has an empty value; empty
/// sequences (`a=1&&b=2`, a trailing `&`) carry no parameter, as in the W3C/WHATWG
/// `application/x-www-form-urlencoded` parser. `+` decodes to a space (W3C HTML 4.0 §17.13.4).
pub fn parse_form_urlencoded(input: &[u8], source: ParameterSource) -> Result<Vec<Parameter>, FormDecodeError> {
    form_pairs(input)
        .map(|pair| {
            let name = form_urldecode(pair.name).map_err(|escape| pair.error(source, escape, 0))?;
            let value = form_urldecode(pair.value).map_err(|escape| pair.error(source, escape, pair.name.len() + 1))?;
            Ok(Parameter { name, value, source })
        })
        .collect()
}

/// One `name[=value]` sequence of form-urlencoded input, still encoded.
struct FormPair<'a> {
    /// Byte offset of the sequence in the input.
    offset: usize,
    name: &'a [u8],
    value: &'a [u8],
}

impl FormPair<'_> {
    /// The error for a malformed escape at `escape.position` of the part starting `part_offset`
    /// bytes into this sequence, positioned in the whole input.
    fn error(&self, source: ParameterSource, escape: MalformedEscape, part_offset: usize) -> FormDecodeError {
        FormDecodeError { source, escape: MalformedEscape { position: self.offset + part_offset + escape.position } }
    }
}

/// The non-empty `&`-separated sequences of `input`, split at their first `=`.
fn form_pairs(input: &[u8]) -> impl Iterator<Item = FormPair<'_>> {
    let mut offset = 0;
    input.split(|&b| b == b'&').filter_map(move |sequence| {
        let start = offset;
        offset += sequence.len() + 1;
        if sequence.is_empty() {
            return None;
        }
        let (name, value) = match sequence.iter().position(|&b| b == b'=') {
            Some(eq) => (sequence.get(..eq).unwrap_or_default(), sequence.get(eq + 1..).unwrap_or_default()),
            None => (sequence, &[][..]),
        };
        Some(FormPair { offset: start, name, value })
    })
}

/// Whether a `Content-Type` field value names `application/x-www-form-urlencoded`.
///
/// The media type is compared case-insensitively (RFC 7231 §3.1.1.1) and its parameters, such
/// as `; charset=utf-8`, are ignored: RFC 5849 §3.4.1.3.1 requires the content type "set to"
/// the form type, and a charset parameter does not change the type.
#[must_use]
pub fn is_form_urlencoded(content_type: &str) -> bool {
    // Most requests send the type exactly as registered: one comparison settles them.
    if content_type == FORM_URLENCODED {
        return true;
    }
    let media_type = content_type.as_bytes().split(|&b| b == b';').next().unwrap_or_default();
    let is_blank = |b: &u8| matches!(b, b' ' | b'\t');
    let start = media_type.iter().position(|b| !is_blank(b)).unwrap_or(media_type.len());
    let end = media_type.iter().rposition(|b| !is_blank(b)).map_or(start, |last| last + 1);
    media_type.get(start..end).is_some_and(|trimmed| trimmed.eq_ignore_ascii_case(FORM_URLENCODED.as_bytes()))
}

/// Whether RFC 5849 §3.4.1.3.1 admits this entity-body as a parameter source: it is present,
/// and the content type is `application/x-www-form-urlencoded`. (A form-urlencoded body is
/// single-part by construction.)
#[must_use]
pub fn body_is_signed_form(content_type: Option<&str>) -> bool {
    content_type.is_some_and(is_form_urlencoded)
}

/// Whether a header-supplied parameter is excluded from the base string: `realm` (it is not
/// a parameter, §3.4.1.3.1) and `oauth_signature` (§3.4.1.3.1, last paragraph).
#[must_use]
pub fn excluded_from_base_string(name: &[u8], source: ParameterSource) -> bool {
    name == b"oauth_signature" || (source == ParameterSource::AuthorizationHeader && name == b"realm")
}

/// RFC 5849 §3.4.1.3.1: every parameter from the query, the Authorization header and a form
/// entity-body, in that order, with `realm` (header only) and `oauth_signature` removed.
///
/// `header` holds the already-decoded Authorization header parameters.
pub fn collect_parameters(
    query: Option<&[u8]>,
    header: impl IntoIterator<Item = (Vec<u8>, Vec<u8>)>,
    form_body: Option<&[u8]>,
) -> Result<Vec<Parameter>, FormDecodeError> {
    let mut collected = match query {
        Some(query) => parse_form_urlencoded(query, ParameterSource::Query)?,
        None => Vec::new(),
    };
    collected.extend(header.into_iter().map(|(name, value)| Parameter {
        name,
        value,
        source: ParameterSource::AuthorizationHeader,
    }));
    if let Some(body) = form_body {
        collected.extend(parse_form_urlencoded(body, ParameterSource::Body)?);
    }
    collected.retain(|p| !excluded_from_base_string(&p.name, p.source));
    Ok(collected)
}

/// RFC 5849 §3.4.1.3.2 "Parameters Normalization": encode every name and value (§3.6), sort
/// by encoded name then encoded value in ascending byte order, join each pair with `=` and the
/// pairs with `&`.
///
/// Sorting happens after encoding, on the encoded octets: sorting decoded names puts `a b`
/// after `a-b`, while their encodings `a%20b` and `a-b` sort the other way.
#[must_use]
pub fn normalize_parameters(parameters: &[Parameter]) -> String {
    let mut encoded: Vec<(String, String)> = parameters
        .iter()
        .map(|p| {
            let mut name = String::with_capacity(p.name.len() * 3);
            percent_encode_into(&p.name, &mut name);
            let mut value = String::with_capacity(p.value.len() * 3);
            percent_encode_into(&p.value, &mut value);
            (name, value)
        })
        .collect();
    encoded.sort_unstable();
    let capacity = encoded.iter().map(|(n, v)| n.len() + v.len() + 2).sum();
    let mut out = String::with_capacity(capacity);
    for (index, (name, value)) in encoded.iter().enumerate() {
        if index > 0 {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        out.push_str(value);
    }
    out
}

/// The request parameters as the signature base string carries them, for signing without the
/// intermediate stages: each name and value is encoded twice in one pass (§3.4.1.3.2 step 1,
/// then §3.4.1.1 step 5, [`percent_encode_twice_into`]) into one shared buffer and remembered
/// by its offsets, so that sorting (§3.4.1.3.2 step 2) moves borrowed slices, not strings.
/// Each pair is stored as it will appear, `%26name%3Dvalue` (`&` and `=` encoded by §3.4.1.1
/// step 5), so that joining the sorted pairs copies one slice per pair.
///
/// Sorting the twice-encoded forms gives the order §3.4.1.3.2 defines on the once-encoded
/// ones: the second encoding only replaces `%` by `%25`, and `%` sorts below every unreserved
/// character, so the first difference between two names (or values) compares the same way.
#[derive(Debug, Clone, Default)]
pub struct BaseStringParameters {
    text: Vec<u8>,
    pairs: SmallVec<[EncodedPair; 16]>,
    /// Pairs pushed in their sorted order, one after the other ([`Self::push_sorted_run`]).
    sorted_run: Range<usize>,
}

/// `&` and `=` as §3.4.1.1 step 5 encodes them: the separators of the normalized parameters.
const PAIR_SEPARATOR: &[u8; 3] = b"%26";
const NAME_VALUE_SEPARATOR: &[u8; 3] = b"%3D";

/// Where one encoded parameter lies in [`BaseStringParameters::text`]: `%26` at `start`, the
/// name up to `name_end`, `%3D`, and the value up to `end`; and, once sorting begins, its
/// [`name_prefix`].
#[derive(Debug, Clone, Copy)]
struct EncodedPair {
    name_prefix: u64,
    start: usize,
    name_end: usize,
    end: usize,
}

impl EncodedPair {
    /// The pair that ends where `text` ends. Its prefix is left for sorting to compute: read
    /// right after the octets were written one by one, the eight of them would wait for those
    /// writes to reach the cache (a load that spans several stores is not forwarded from them),
    /// which cost as much as the rest of pushing a short pair.
    fn new(text: &[u8], start: usize, name_end: usize) -> Self {
        Self { name_prefix: 0, start, name_end, end: text.len() }
    }

    fn name<'t>(&self, text: &'t [u8]) -> &'t [u8] {
        text.get(self.name_start()..self.name_end).unwrap_or_default()
    }

    fn name_start(&self) -> usize {
        self.start + PAIR_SEPARATOR.len()
    }
}

/// The first eight octets of the encoded name of `pair` as a big-endian number, zero-padded:
/// comparing two prefixes compares the names' first eight octets, so sorting compares whole
/// names only when these are equal (the `oauth_` names differ within eight octets). A padding
/// zero sorts like the end of a shorter name because an encoded name or value never holds a
/// zero octet (encoding makes it `%2500`).
fn name_prefix(text: &[u8], pair: &EncodedPair) -> u64 {
    eight_octets(text, pair.name_start(), pair.name_end - pair.name_start())
}

/// Up to eight octets of `text` from `start`, `len` of them, as a big-endian number padded with
/// zeros.
fn eight_octets(text: &[u8], start: usize, len: usize) -> u64 {
    // A name is followed in the text by its `%3D` and its value, and a value by the next pair:
    // eight octets read at once and `len` of them kept, instead of copied one by one.
    match text.get(start..).and_then(<[u8]>::first_chunk::<8>) {
        Some(&eight) if len >= 8 => u64::from_be_bytes(eight),
        Some(&eight) => u64::from_be_bytes(eight) & !(u64::MAX >> (8 * len)),
        // Near the end of the text: shifted in one by one, in a register.
        None => {
            let octets = text.get(start..start + len).unwrap_or_default();
            (0..8).rev().zip(octets).fold(0, |prefix, (shift, &byte)| prefix | u64::from(byte) << (8 * shift))
        }
    }
}

impl BaseStringParameters {
    /// Room for `parameters` parameters of `octets` unencoded octets in total.
    #[must_use]
    pub fn with_capacity(parameters: usize, octets: usize) -> Self {
        let separators = (PAIR_SEPARATOR.len() + NAME_VALUE_SEPARATOR.len()) * parameters;
        Self {
            text: Vec::with_capacity(octets + octets / 2 + separators),
            pairs: SmallVec::with_capacity(parameters),
            sorted_run: 0..0,
        }
    }

    /// Lends the text's room to `write`, hands what it wrote to `read` and cuts it off again:
    /// a buffer for a moment, for a signer that has no other yet (the signing key, hashed
    /// before the parameters are pushed), without an allocation of its own.
    pub(crate) fn scratch<T>(&mut self, write: impl FnOnce(&mut Vec<u8>), read: impl FnOnce(&[u8]) -> T) -> T {
        let start = self.text.len();
        write(&mut self.text);
        let read = read(self.text.get(start..).unwrap_or_default());
        self.text.truncate(start);
        read
    }

    /// Adds a parameter given as decoded octets.
    pub fn push(&mut self, name: &[u8], value: &[u8]) {
        self.push_with_name_written(|text| percent_encode_twice_into(name, text), value);
    }

    /// [`Self::push`] for a name made of unreserved octets only, which both encodings leave
    /// as it is (§3.6), given as the pair starts in the text: `%26`, the name, `%3D`. The
    /// protocol parameter names RFC 5849 defines are such names, and writing the three pieces
    /// as one saves checking every octet of each name, and two copies, on every request.
    /// Returns whether the value needed no encoding.
    #[inline(always)]
    pub(crate) fn push_with_encoded_start(&mut self, pair_start: &[u8], value: &[u8]) -> bool {
        let start = self.text.len();
        self.text.extend_from_slice(pair_start);
        let name_end = self.text.len() - NAME_VALUE_SEPARATOR.len();
        percent_encode_twice_into(value, &mut self.text);
        self.pairs.push(EncodedPair::new(&self.text, start, name_end));
        self.text.len() - start == pair_start.len() + value.len()
    }

    /// [`Self::push_with_encoded_start`] of a value made of unreserved octets only, copied
    /// without a look at them: an `oauth_signature_method` name, which the compiler then copies
    /// at its constant length.
    #[inline(always)]
    pub(crate) fn push_unreserved_with_encoded_start(&mut self, pair_start: &[u8], value: &[u8]) {
        let start = self.text.len();
        self.text.extend_from_slice(pair_start);
        let name_end = self.text.len() - NAME_VALUE_SEPARATOR.len();
        self.text.extend_from_slice(value);
        self.pairs.push(EncodedPair::new(&self.text, start, name_end));
    }

    /// Lets `push` add pairs that the caller knows to be in their sorted order (the protocol
    /// parameters, whose names all differ), and the last pairs added, remembered as one run:
    /// when no other pair sorts among them, [`Self::push_normalized_encoded`] sorts only the
    /// others, places the run with one search, and copies it as one piece.
    pub(crate) fn push_sorted_run<T>(&mut self, push: impl FnOnce(&mut Self) -> T) -> T {
        let start = self.pairs.len();
        let pushed = push(self);
        self.sorted_run = start..self.pairs.len();
        pushed
    }

    /// Adds a pair whose encoded name `write_name` appends.
    fn push_with_name_written(&mut self, write_name: impl FnOnce(&mut Vec<u8>), value: &[u8]) {
        let start = self.text.len();
        self.text.extend_from_slice(PAIR_SEPARATOR);
        write_name(&mut self.text);
        let name_end = self.text.len();
        self.text.extend_from_slice(NAME_VALUE_SEPARATOR);
        percent_encode_twice_into(value, &mut self.text);
        self.pairs.push(EncodedPair::new(&self.text, start, name_end));
    }

    /// §3.4.1.3.1 for one source of form-urlencoded parameters (the query or a form body):
    /// adds each pair, decoded and encoded in one pass, except those that
    /// [`excluded_from_base_string`] removes. A malformed escape anywhere is an error, in an
    /// excluded pair too, as in [`collect_parameters`].
    pub fn push_form_urlencoded(&mut self, input: &[u8], source: ParameterSource) -> Result<(), FormDecodeError> {
        self.push_form::<false>(input).map_err(|error| {
            let position = match error {
                FormOctetError::MalformedEscape(position) | FormOctetError::Invalid { position, .. } => position,
            };
            FormDecodeError { source, escape: MalformedEscape { position } }
        })
    }

    /// [`Self::push_form_urlencoded`] of a request URL's query that
    /// [`crate::uri::parse_request_url_but_query`] has left unchecked, checked in the same pass
    /// and ended at the fragment's `#`: an octet RFC 3986 §3.4 does not allow, or a malformed
    /// escape, is the [`UriError`] that [`crate::uri::parse_request_url`] would have given.
    pub(crate) fn push_unchecked_query(&mut self, query: &UncheckedQuery<'_>) -> Result<(), UriError> {
        self.push_form::<true>(query.query_and_fragment.as_bytes()).map_err(|error| match error {
            FormOctetError::MalformedEscape(position) => {
                UriError::MalformedEscape { position: query.offset + position }
            }
            FormOctetError::Invalid { position, byte } => {
                UriError::InvalidCharacter { position: query.offset + position, byte }
            }
        })
    }

    /// The pairs of form-urlencoded `input`; of a URL's query up to its fragment (see
    /// [`Self::push_unchecked_query`]) when `QUERY`. Inlined, so that a body is decoded without
    /// the query's tests.
    #[inline(always)]
    fn push_form<const QUERY: bool>(&mut self, input: &[u8]) -> Result<(), FormOctetError> {
        // RFC 3986 §3.4: a query ends at the first `#`.
        let ends = |byte: u8| QUERY && byte == b'#';
        let allowed = if QUERY { Some(&QUERY_SCAN) } else { None };
        // The sequences of [`form_pairs`], split in the same pass that decodes and encodes them.
        let mut position = 0;
        while let Some(&first) = input.get(position) {
            if first == b'&' {
                // An empty sequence carries no parameter.
                position += 1;
                continue;
            }
            if ends(first) {
                break;
            }
            let start = self.text.len();
            self.text.extend_from_slice(PAIR_SEPARATOR);
            let name_stop = |b| b == b'=' || b == b'&' || ends(b);
            position = self.decode_then_encode_until(input, position, name_stop, allowed)?;
            let name_end = self.text.len();
            self.text.extend_from_slice(NAME_VALUE_SEPARATOR);
            if input.get(position) == Some(&b'=') {
                position = self.decode_then_encode_until(input, position + 1, |b| b == b'&' || ends(b), allowed)?;
            }
            let encoded = EncodedPair::new(&self.text, start, name_end);
            // §3.6 encoding is one-to-one and leaves `oauth_signature` as it is, so comparing
            // the encoded name is comparing the decoded one. (Only the header's `realm` is
            // excluded, and a form is no header.)
            if excluded_from_base_string(encoded.name(&self.text), ParameterSource::Query) {
                self.text.truncate(start);
            } else {
                self.pairs.push(encoded);
            }
            match input.get(position) {
                Some(&byte) if ends(byte) => break,
                // Past the `&` that ended the sequence.
                _ => position += 1,
            }
        }
        Ok(())
    }

    /// Decodes and encodes `input` from `from` up to the first raw octet `stop` accepts (see
    /// [`form_urldecode_then_encode_twice_until`]); returns that octet's position.
    #[inline(always)]
    fn decode_then_encode_until(
        &mut self,
        input: &[u8],
        from: usize,
        stop: impl Fn(u8) -> bool,
        allowed: Option<&OctetSet>,
    ) -> Result<usize, FormOctetError> {
        let rest = input.get(from..).unwrap_or_default();
        match form_urldecode_then_encode_twice_until(rest, stop, allowed, &mut self.text) {
            Ok(length) => Ok(from + length),
            Err(FormOctetError::MalformedEscape(position)) => Err(FormOctetError::MalformedEscape(from + position)),
            Err(FormOctetError::Invalid { position, byte }) => {
                Err(FormOctetError::Invalid { position: from + position, byte })
            }
        }
    }

    /// At most how many octets [`Self::push_normalized_encoded`] appends.
    #[must_use]
    pub fn normalized_encoded_len(&self) -> usize {
        self.text.len()
    }

    /// Appends the normalized parameter string (§3.4.1.3.2 steps 2–4: sorted, `=` between
    /// name and value, `&` between pairs) as §3.4.1.1 step 5 encodes it: `=` is `%3D` and `&`
    /// is `%26`. Calls `written` with the whole of `out` after each piece it appends.
    pub fn push_normalized_encoded(&mut self, out: &mut Vec<u8>, written: &mut impl FnMut(&[u8])) {
        let text = &self.text;
        for pair in &mut self.pairs {
            pair.name_prefix = name_prefix(text, pair);
        }
        let run = core::mem::replace(&mut self.sorted_run, 0..0);
        let pairs = match place_sorted_run(text, &mut self.pairs, run) {
            Some((before, run, after)) => [before, run, after],
            None => {
                sort_pairs(text, &mut self.pairs);
                [&self.pairs[..], &[], &[]]
            }
        };
        // Pairs that follow each other in the text and in the sorted order too (the protocol
        // parameters, pushed in order; a form already sorted) are copied as one piece.
        let mut pairs = pairs.into_iter().flatten();
        let Some(first) = pairs.next() else { return };
        let mut copy = |out: &mut Vec<u8>, piece: Range<usize>| {
            extend_from_short(out, text.get(piece.start..).unwrap_or_default(), piece.len());
            written(out);
        };
        let mut piece = first.name_start()..first.end;
        for pair in pairs {
            if pair.start != piece.end {
                copy(out, piece);
                piece = pair.start..pair.end;
            }
            piece.end = pair.end;
        }
        copy(out, piece);
    }
}

/// The pairs in sorted order, as the pairs before `run`, `run`, and the pairs after it, when
/// `run` is the last pairs, already in order, and no other pair sorts among them: only the
/// others are sorted (in place), and the run's place among them is found with one search.
/// `None`, with the pairs in some order, when that is not so.
///
/// Sorting costs most of its time in mispredicted branches, about one per pair, and the
/// protocol parameters, half of a small request's pairs, are such a run.
fn place_sorted_run<'p>(
    text: &[u8],
    pairs: &'p mut [EncodedPair],
    run: Range<usize>,
) -> Option<(&'p [EncodedPair], &'p [EncodedPair], &'p [EncodedPair])> {
    if run.is_empty() || run.end != pairs.len() {
        return None;
    }
    let (others, run) = pairs.split_at_mut(run.start);
    let (&first, &last) = (run.first()?, run.last()?);
    sort_pairs(text, others);
    let place = others.partition_point(|pair| compare_pairs(text, pair, &first).is_lt());
    let (before, after) = others.split_at(place);
    // The first other pair not less than the run's first must be more than its last, or it
    // sorts among the run (or equals one of its pairs).
    if after.first().is_some_and(|next| !compare_pairs(text, next, &last).is_gt()) {
        return None;
    }
    Some((before, run, after))
}

/// §3.4.1.3.2 step 2 on `pairs`.
fn sort_pairs(text: &[u8], pairs: &mut [EncodedPair]) {
    // The stable sort, though equal pairs are equal octets and their order cannot show: it
    // finds the runs already in order and merges them, and parameters mostly come in a few
    // such runs (a form generated from a sorted map), where the unstable one sorts them all
    // over again: a thousand form parameters in order sort in about a quarter of the time.
    if pairs.len() <= 20 {
        // As few as a small request has are sorted by insertion either way, which the unstable
        // sort does with less bookkeeping.
        pairs.sort_unstable_by(|a, b| compare_pairs(text, a, b));
        return;
    }
    pairs.sort_by(|a, b| compare_pairs(text, a, b));
}

/// §3.4.1.3.2 step 2 on two pairs whose prefixes are computed.
#[inline(always)]
fn compare_pairs(text: &[u8], a: &EncodedPair, b: &EncodedPair) -> core::cmp::Ordering {
    // Names that differ in their first eight octets, nearly all, are settled by their
    // prefixes; the rest are compared whole, out of line.
    if a.name_prefix == b.name_prefix {
        compare_whole(text, a, b)
    } else {
        a.name_prefix.cmp(&b.name_prefix)
    }
}

/// §3.4.1.3.2 step 2 on two encoded pairs whose names start with the same eight octets: by
/// name, then by value, as octets.
#[inline(never)]
fn compare_whole(text: &[u8], a: &EncodedPair, b: &EncodedPair) -> core::cmp::Ordering {
    let value = |pair: &EncodedPair| pair.name_end + NAME_VALUE_SEPARATOR.len()..pair.end;
    let (a_name, b_name) = (a.name_start()..a.name_end, b.name_start()..b.name_end);
    // Names of at most eight octets with equal prefixes are the same name (a padding zero
    // matches no octet of a name): a repeated short name, the usual tie, compares its values
    // alone. On the §3.4.1 request (one such tie, `a3`) that is 63 of the 183
    // instructions this call took (callgrind), and measured signature ÷ floor 2.10 → 2.01
    // and 2.11 → 2.01 (AMD EPYC with SHA-NI, interleaved, the middle of 12 runs of 5 passes),
    // more than the instructions explain: on this host a fixed binary's ratio drifts by up to
    // 0.1 over hours, which a pair measured side by side does not show.
    let names = if a_name.len() <= 8 && b_name.len() <= 8 {
        core::cmp::Ordering::Equal
    } else {
        compare_octets(text, a_name, b_name)
    };
    names.then_with(|| compare_octets(text, value(a), value(b)))
}

/// Compares two ranges of `text` as octets, eight at a time ([`eight_octets`]): names that
/// share their first eight octets mostly differ within the next eight (`field0001`,
/// `field0002`), which this finds without a call to `memcmp`.
fn compare_octets(text: &[u8], mut a: Range<usize>, mut b: Range<usize>) -> core::cmp::Ordering {
    loop {
        let (a_len, b_len) = (a.len(), b.len());
        let (a_eight, b_eight) = (eight_octets(text, a.start, a_len.min(8)), eight_octets(text, b.start, b_len.min(8)));
        // Equal eights with fewer than eight octets on one side mean equal octets on both,
        // since padding zeros match no octet of the other.
        if a_eight != b_eight || a_len <= 8 || b_len <= 8 {
            return a_eight.cmp(&b_eight).then(a_len.cmp(&b_len));
        }
        a.start += 8;
        b.start += 8;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ParameterSource::{AuthorizationHeader, Body, Query};

    fn pairs(params: &[Parameter]) -> Vec<(String, String, ParameterSource)> {
        params
            .iter()
            .map(|p| {
                let text = |b: &[u8]| String::from_utf8(b.to_vec()).unwrap();
                (text(&p.name), text(&p.value), p.source)
            })
            .collect()
    }

    fn s(name: &str, value: &str, source: ParameterSource) -> (String, String, ParameterSource) {
        (name.into(), value.into(), source)
    }

    /// The §3.4.1.3.1 example request: query `b5=%3D%253D&a3=a&c%40=&a2=r%20b`, the header's
    /// protocol parameters and the body `c2&a3=2+q`; the RFC lists the decoded pairs.
    #[test]
    fn rfc5849_section_3_4_1_3_1_example() {
        let header = [
            ("oauth_consumer_key", "9djdj82h48djs9d2"),
            ("oauth_token", "kkk9d7dh3k39sjv7"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", "137131201"),
            ("oauth_nonce", "7d8f3e4a"),
            ("oauth_signature", "djosJKDKJSD8743243%2Fjdk33klY%3D"),
            ("realm", "Example"),
        ]
        .map(|(n, v)| (n.as_bytes().to_vec(), v.as_bytes().to_vec()));
        let collected =
            collect_parameters(Some(b"b5=%3D%253D&a3=a&c%40=&a2=r%20b"), header, Some(b"c2&a3=2+q")).unwrap();
        assert_eq!(
            pairs(&collected),
            vec![
                s("b5", "=%3D", Query),
                s("a3", "a", Query),
                s("c@", "", Query),
                s("a2", "r b", Query),
                s("oauth_consumer_key", "9djdj82h48djs9d2", AuthorizationHeader),
                s("oauth_token", "kkk9d7dh3k39sjv7", AuthorizationHeader),
                s("oauth_signature_method", "HMAC-SHA1", AuthorizationHeader),
                s("oauth_timestamp", "137131201", AuthorizationHeader),
                s("oauth_nonce", "7d8f3e4a", AuthorizationHeader),
                s("c2", "", Body),
                s("a3", "2 q", Body),
            ]
        );
        // §3.4.1.3.2, the normalized string printed in the RFC.
        assert_eq!(
            normalize_parameters(&collected),
            "a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2\
             &oauth_nonce=7d8f3e4a&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201\
             &oauth_token=kkk9d7dh3k39sjv7"
        );
    }

    /// Names that share their first eight octets, whole or not, and repeated short names:
    /// ordered by name, then by value, as §3.4.1.3.2 step 2 says.
    #[test]
    fn ties_in_the_first_eight_octets_sort_by_the_rest_then_by_value() {
        let mut params = BaseStringParameters::with_capacity(6, 64);
        let pairs =
            [("abcdefghj", "1"), ("a3", "a"), ("abcdefgh", "2"), ("abcdefghi", "0"), ("a3", "2 q"), ("abcdefgh", "1")];
        for (name, value) in pairs {
            params.push(name.as_bytes(), value.as_bytes());
        }
        let mut out = Vec::new();
        params.push_normalized_encoded(&mut out, &mut |_| {});
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a3%3D2%2520q%26a3%3Da%26abcdefgh%3D1%26abcdefgh%3D2%26abcdefghi%3D0%26abcdefghj%3D1"
        );
    }

    /// Sorting on encoded octets: `a%20b` (0x25) sorts before `a-b` (0x2D), although the
    /// decoded space (0x20) also sorts first; `a` sorts before `a1`; equal names sort by value.
    #[test]
    fn sorting_uses_encoded_octets() {
        let params = [("a1", "x"), ("a", "z"), ("a", "y"), ("a-b", ""), ("a b", ""), ("a~", "")]
            .map(|(n, v)| Parameter::new(n.as_bytes(), v.as_bytes(), Query));
        assert_eq!(normalize_parameters(&params), "a=y&a=z&a%20b=&a-b=&a1=x&a~=");
        // `+` (0x2B) decoded would sort before `-` (0x2D)... encoded it is %2B, before 'a'.
        let params = [("a", "+"), ("a", "-")].map(|(n, v)| Parameter::new(n.as_bytes(), v.as_bytes(), Query));
        assert_eq!(normalize_parameters(&params), "a=%2B&a=-");
    }

    #[test]
    fn form_parsing_keeps_duplicates_and_handles_missing_equals() {
        let parsed = parse_form_urlencoded(b"a=1&&a=2&b&=v&c=&", Body).unwrap();
        assert_eq!(
            pairs(&parsed),
            vec![s("a", "1", Body), s("a", "2", Body), s("b", "", Body), s("", "v", Body), s("c", "", Body)]
        );
    }

    #[test]
    fn form_decoding_errors_carry_the_offset_in_the_component() {
        let err = parse_form_urlencoded(b"ok=1&bad=%4", Query).unwrap_err();
        assert_eq!(err.escape.position, 9);
        assert_eq!(err.source, Query);
        let err = parse_form_urlencoded(b"x%zz=1", Body).unwrap_err();
        assert_eq!(err.escape.position, 1);
    }

    #[test]
    fn content_type_matching() {
        assert!(is_form_urlencoded("application/x-www-form-urlencoded"));
        assert!(is_form_urlencoded("Application/X-WWW-Form-URLEncoded"));
        assert!(is_form_urlencoded("application/x-www-form-urlencoded; charset=utf-8"));
        assert!(is_form_urlencoded(" application/x-www-form-urlencoded ;charset=UTF-8"));
        assert!(!is_form_urlencoded("application/json"));
        assert!(!is_form_urlencoded("multipart/form-data; boundary=x"));
        assert!(!is_form_urlencoded("application/x-www-form-urlencodedx"));
        assert!(!body_is_signed_form(None));
    }

    /// realm is excluded only when it came from the header; a query parameter named realm is
    /// an ordinary parameter. oauth_signature is excluded from every source.
    #[test]
    fn exclusions() {
        let collected =
            collect_parameters(Some(b"realm=q&oauth_signature=x"), [(b"realm".to_vec(), b"h".to_vec())], None).unwrap();
        assert_eq!(pairs(&collected), vec![s("realm", "q", Query)]);
    }
}
