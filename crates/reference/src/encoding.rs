//! RFC 5849 §3.6 "Percent Encoding", and the strict decoding that its inverse needs.
//!
//! §3.6 is deliberately narrower than RFC 3986: every octet outside the unreserved set
//! (`ALPHA / DIGIT / "-" / "." / "_" / "~"`) MUST be encoded, hexadecimal digits MUST be
//! uppercase, and text is UTF-8 encoded first. Implementations that reuse a URL or form
//! encoder instead (encoding `~`, leaving `*` or `!` raw, writing `+` for a space) produce a
//! different signature base string.

use core::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};

/// The octets RFC 5849 §3.6 requires to be percent-encoded: everything but the unreserved
/// characters `ALPHA / DIGIT / "-" / "." / "_" / "~"` (RFC 3986 §2.3).
pub const RFC5849_ENCODE_SET: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes `input` per RFC 5849 §3.6 (uppercase hexadecimal, unreserved set only).
///
/// The input is octets: text must already be UTF-8, as §3.6 requires.
#[must_use]
pub fn percent_encode(input: &[u8]) -> String {
    let mut out = String::with_capacity(input.len() * 3);
    percent_encode_into(input, &mut out);
    out
}

/// Appends the RFC 5849 §3.6 encoding of `input` to `out`, without an intermediate string.
pub fn percent_encode_into(input: &[u8], out: &mut String) {
    out.reserve(input.len());
    for_each_piece(input, is_unreserved, |piece| match piece {
        // Unreserved octets are ASCII, so this is never the empty fallback.
        Piece::Kept(run) => out.push_str(core::str::from_utf8(run).unwrap_or_default()),
        Piece::Other(byte) => out.extend(escape(byte).map(char::from)),
    });
}

/// [`percent_encode_into`] for builders that collect octets and make them text once at the
/// end ([`encoded_text`]), without a check per character.
#[inline]
pub fn percent_encode_octets_into(input: &[u8], out: &mut Vec<u8>) {
    encode_runs_into(input, out, escape);
}

/// §3.6 applied twice, as the signature base string carries every parameter name and value
/// (encoded by §3.4.1.3.2 step 1, and the normalized string once more by §3.4.1.1 step 5):
/// an unreserved octet stays as it is, any other becomes `%25XX`. Appends to `out`.
#[inline]
pub fn percent_encode_twice_into(input: &[u8], out: &mut Vec<u8>) {
    encode_runs_into(input, out, escape_twice);
}

/// Appends `input` to `out` with each run of unreserved octets copied whole and every other
/// octet replaced by its `escape_octet`. Copying runs pays: most of what is signed (names, keys,
/// nonces, timestamps) is unreserved throughout and takes one copy.
#[inline]
fn encode_runs_into<const N: usize>(input: &[u8], out: &mut Vec<u8>, escape_octet: fn(u8) -> [u8; N]) {
    // Most values signed (keys, secrets, nonces, timestamps, tokens) are eight to sixteen
    // unreserved octets: two overlapping words settle them, and they are copied whole.
    if let (Some(first), Some(last)) = (input.first_chunk::<8>(), input.last_chunk::<8>()) {
        if input.len() <= 16 && first_other(first).is_none() && first_other(last).is_none() {
            out.extend_from_slice(input);
            return;
        }
    }
    out.reserve(input.len());
    let mut rest = input;
    loop {
        let (kept, others) = rest.split_at(unreserved_run(rest));
        out.extend_from_slice(kept);
        let Some((&byte, after)) = others.split_first() else { return };
        out.extend_from_slice(&escape_octet(byte));
        rest = after;
    }
}

/// Appends the first `len` octets of `source` to `out`. When there are at most sixteen of them
/// and `source` holds sixteen, all sixteen are appended and the surplus cut off again: a call
/// to `memcpy` for a few octets, as most pairs of a query or a form are, costs more than the
/// copy (its length class mispredicts from one pair to the next), and a copy of constant length
/// is one move of a register. Used for the sorted pairs of the base string only: in the
/// encoder's runs and values, where most copies are of eight octets or more, it measured more
/// instructions than `memcpy` (see `benches/README.md`'s instruction count).
#[inline(always)]
pub(crate) fn extend_from_short(out: &mut Vec<u8>, source: &[u8], len: usize) {
    if len <= 16 {
        if let Some(sixteen) = source.first_chunk::<16>() {
            let end = out.len() + len;
            out.extend_from_slice(sixteen);
            out.truncate(end);
            return;
        }
    }
    out.extend_from_slice(source.get(..len).unwrap_or_default());
}

/// The length of the run of unreserved octets (§3.6) that `input` starts with.
///
/// Eight octets at a time ([`unreserved_octets`]): octet by octet, the scan takes a load, a
/// table lookup and a branch for each, and it runs over nearly every octet that is signed (every
/// name and value, keys, nonces, timestamps).
#[inline]
pub(crate) fn unreserved_run(input: &[u8]) -> usize {
    // Escapes come in runs of their own (a non-ASCII character is two to four of them), where
    // the first octet alone settles the run, without a word's worth of tests.
    if input.first().is_some_and(|&first| !is_unreserved(first)) {
        return 0;
    }
    let mut run = 0;
    while let Some(chunk) = input.get(run..).and_then(<[u8]>::first_chunk::<8>) {
        if let Some(first) = first_other(chunk) {
            return run + first;
        }
        run += 8;
    }
    if run == input.len() {
        return run;
    }
    // The last one to seven octets, as the last eight of the input: those before them are the
    // run's, unreserved, and flag nothing. One word's tests instead of a lookup and a branch
    // per octet; values are mostly a few octets longer than a multiple of eight.
    if let Some(last) = input.last_chunk::<8>() {
        return first_other(last).map_or(input.len(), |first| input.len() - 8 + first);
    }
    let rest = input.get(run..).unwrap_or_default();
    run + rest.iter().position(|&byte| !is_unreserved(byte)).unwrap_or(rest.len())
}

/// The index of the first octet of `chunk` that is not unreserved, if any.
#[inline]
fn first_other(chunk: &[u8; 8]) -> Option<usize> {
    // Little-endian, so that the lowest flagged octet is the first in the input.
    let others = !unreserved_octets(u64::from_le_bytes(*chunk)) & HIGH_BITS;
    (others != 0).then(|| (others.trailing_zeros() / 8) as usize)
}

/// Eight copies of `octet`, one per octet of a word.
const fn splat(octet: u8) -> u64 {
    u64::from_ne_bytes([octet; 8])
}

const HIGH_BITS: u64 = splat(0x80);
const LOW_BITS: u64 = splat(0x7F);

/// The high bit of each octet of `word` set where that octet is unreserved (RFC 3986 §2.3), every
/// other bit clear: range tests of eight octets at once in one register.
#[inline]
fn unreserved_octets(word: u64) -> u64 {
    // The tests run on the low seven bits of each octet, where adding at most 0x80 cannot carry
    // into the next octet; an octet with its high bit set is not ASCII, and never unreserved.
    let ascii = !word & HIGH_BITS;
    let low = word & LOW_BITS;
    // Setting 0x20 maps `A-Z` onto `a-z`, and no other seven-bit octet onto `a-z`.
    let letters = in_range(low | splat(0x20), b'a', b'z');
    let digits = in_range(low, b'0', b'9');
    let marks = in_range(low, b'-', b'.') | in_range(low, b'_', b'_') | in_range(low, b'~', b'~');
    (letters | digits | marks) & ascii
}

/// The high bit of each octet of `low` (seven-bit octets) set where the octet lies in
/// `first..=last`, a range within `0x01..=0x7E`.
#[inline]
const fn in_range(low: u64, first: u8, last: u8) -> u64 {
    // The first sum sets an octet's high bit where it is at least `first`, the second where it
    // is above `last`.
    let at_least_first = low.wrapping_add(splat(0x80 - first));
    let above_last = low.wrapping_add(splat(0x7F - last));
    at_least_first & !above_last & HIGH_BITS
}

/// A piece of input split by [`for_each_piece`]: a run of octets that are kept as they are,
/// or one octet between such runs.
pub(crate) enum Piece<'a> {
    Kept(&'a [u8]),
    Other(u8),
}

/// Splits `input` into runs of octets that `keep` accepts and the single octets between them,
/// handing each to `emit` in order, so that encoders copy whole runs instead of one octet at
/// a time.
pub(crate) fn for_each_piece(input: &[u8], keep: impl Fn(u8) -> bool, mut emit: impl FnMut(Piece<'_>)) {
    let mut rest = input;
    loop {
        let run = rest.iter().position(|&b| !keep(b)).unwrap_or(rest.len());
        let (kept, others) = rest.split_at(run);
        if !kept.is_empty() {
            emit(Piece::Kept(kept));
        }
        let Some((&byte, after)) = others.split_first() else { return };
        emit(Piece::Other(byte));
        rest = after;
    }
}

/// `%XX`, the escape of one octet, with uppercase hexadecimal digits (§3.6).
pub(crate) fn escape(byte: u8) -> [u8; 3] {
    let hex = |nibble: u8| HEX_UPPER.get(usize::from(nibble)).copied().unwrap_or(b'0');
    [b'%', hex(byte >> 4), hex(byte & 0xF)]
}

/// `%25XX`: the escape of one octet, escaped once more (its `%` becomes `%25`).
fn escape_twice(byte: u8) -> [u8; 5] {
    let [percent, high, low] = escape(byte);
    [percent, b'2', b'5', high, low]
}

/// The text of octets written by this module's encoders, which write only ASCII, between
/// pieces of text copied whole.
#[must_use]
pub fn encoded_text(mut octets: Vec<u8>) -> String {
    // Nearly always ASCII (a base string, a signature, a header without a non-ASCII realm),
    // which `is_ascii` checks several times faster than `String::from_utf8` checks UTF-8: the
    // `ascii` crate makes the checked octets a `String` without a second check, which this
    // crate's `forbid(unsafe_code)` cannot. On the §3.4.1 request that took the signature's
    // interleaved ratio to the floor from 2.08 to 2.00 (the middle of 8 runs).
    let len = octets.len();
    // Padded with NULs, which are ASCII, to whole chunks when there is room: see
    // [`ASCII_CHUNK`]. Cut off again before anything sees them.
    if octets.capacity() >= len + ASCII_CHUNK {
        octets.extend_from_slice(&[0; ASCII_CHUNK]);
        octets.truncate(len.next_multiple_of(ASCII_CHUNK));
    }
    match ascii::AsciiString::from_ascii(octets) {
        Ok(mut text) => {
            text.truncate(len);
            text.into()
        }
        Err(not_ascii) => {
            let mut octets = not_ascii.into_source();
            octets.truncate(len);
            String::from_utf8(octets).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
        }
    }
}

/// How many octets std's `<[u8]>::is_ascii` tests at once on x86-64 (four SSE2 registers, in
/// Rust 1.95's code): it tests the octets after the last whole chunk one by one, a load and a
/// branch each. [`encoded_text`] pads what it checks to whole chunks when its buffer has room:
/// the base string's and the header's buffers, sized for the most they can hold, mostly have
/// it, and the signature's is given it. Measured on the §3.4.1 request (AMD EPYC with SHA-NI,
/// interleaved, the middle of 12 runs of 5 passes, two batches): signature ÷ floor 2.03 → 1.99
/// and 2.03 → 2.00, header 2.24 → 2.19 and 2.26 → 2.18. Were std to change, the padding would
/// cost a few stores and still be right.
pub(crate) const ASCII_CHUNK: usize = 64;

/// RFC 3986 §2.3 `unreserved`, the only octets §3.6 leaves unencoded; the same set as
/// [`RFC5849_ENCODE_SET`] leaves out.
#[must_use]
pub fn is_unreserved(byte: u8) -> bool {
    UNRESERVED.contains(byte)
}

/// RFC 3986 §2.3 `unreserved`: `ALPHA / DIGIT / "-" / "." / "_" / "~"`.
pub(crate) const UNRESERVED: OctetSet = OctetSet::ALPHANUMERIC.with(b"-._~");

/// A set of octets as a table with an entry per octet, so that a membership test, run on
/// every octet of what is signed, is one load rather than a chain of comparisons.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OctetSet([bool; 256]);

impl OctetSet {
    const ALPHANUMERIC: Self = Self::EMPTY.with_range(b'0', b'9').with_range(b'A', b'Z').with_range(b'a', b'z');
    const EMPTY: Self = Self([false; 256]);

    /// This set and `octets`.
    // Indexing in these constructors runs only in constant evaluation, where an index out of
    // range would fail the build; a `u8` always indexes one of the 256 entries anyway.
    #[allow(clippy::indexing_slicing)]
    pub(crate) const fn with(self, mut octets: &[u8]) -> Self {
        let mut table = self.0;
        while let [octet, rest @ ..] = octets {
            table[*octet as usize] = true;
            octets = rest;
        }
        Self(table)
    }

    /// This set and every non-ASCII octet.
    #[allow(clippy::indexing_slicing)]
    pub(crate) const fn with_non_ascii(self) -> Self {
        let mut table = self.0;
        let mut octet = 0x80;
        while octet < 256 {
            table[octet] = true;
            octet += 1;
        }
        Self(table)
    }

    /// The length of the start of `input` whose octets are all in the set: eight at a time
    /// while a whole eight are (their lookups combined without a branch), then one by one. URLs
    /// are long runs of allowed octets between a few delimiters.
    pub(crate) fn run(&self, input: &[u8]) -> usize {
        let mut run = 0;
        while let Some(chunk) = input.get(run..).and_then(<[u8]>::first_chunk::<8>) {
            if !chunk.iter().fold(true, |all, &byte| all & self.contains(byte)) {
                break;
            }
            run += 8;
        }
        let rest = input.get(run..).unwrap_or_default();
        run + rest.iter().position(|&byte| !self.contains(byte)).unwrap_or(rest.len())
    }

    /// This set and the octets from `first` to `last`.
    #[allow(clippy::indexing_slicing)]
    const fn with_range(self, first: u8, last: u8) -> Self {
        let mut table = self.0;
        let mut octet = first;
        while octet <= last {
            table[octet as usize] = true;
            octet += 1;
        }
        Self(table)
    }

    /// Whether `byte` is in the set.
    pub(crate) fn contains(&self, byte: u8) -> bool {
        self.0.get(usize::from(byte)).copied().unwrap_or(false)
    }
}

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// Why [`form_urldecode_then_encode_twice_until`] stopped short.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FormOctetError {
    /// A `%` at this position is not followed by two hexadecimal digits.
    MalformedEscape(usize),
    /// A raw octet outside the set the input may hold.
    Invalid {
        /// Its position.
        position: usize,
        /// The octet.
        byte: u8,
    },
}

/// Decodes `application/x-www-form-urlencoded` octets (as [`form_urldecode`]) up to the first
/// raw octet that `stop` accepts, or to the end, and appends the result encoded twice
/// ([`percent_encode_twice_into`]) to `out`, in the same pass, without an intermediate buffer.
/// Returns where it stopped, so that a form parser can split pairs at raw `&` and `=` in the
/// same pass. When `allowed` is given, the input's raw octets must be in it (bar the `%` of an
/// escape), which checks a query's octets in the same pass too. On an error `out` may hold
/// part of the input's encoding.
#[inline(always)]
pub(crate) fn form_urldecode_then_encode_twice_until(
    input: &[u8],
    stop: impl Fn(u8) -> bool,
    allowed: Option<&OctetSet>,
    out: &mut Vec<u8>,
) -> Result<usize, FormOctetError> {
    // Octet by octet: form names and values are short, and for them a call to copy each run
    // costs more than it saves. An unreserved octet, nearly every one, is looked up first and
    // copied: tested against the few octets that matter first, as a `match`, the compiler
    // makes a jump table of them (digits included), whose indirect jump mispredicts at every
    // change from one kind of octet to the next. Every other decoded octet is encoded alike,
    // whether it came from an escape, from `+` or as it was.
    let mut position = 0;
    while let Some(&byte) = input.get(position) {
        if is_unreserved(byte) {
            out.push(byte);
            position += 1;
            continue;
        }
        let (decoded, width) = if stop(byte) {
            break;
        } else if byte == b'%' {
            let after = input.get(position + 1..).unwrap_or_default();
            (escape_value(after).ok_or(FormOctetError::MalformedEscape(position))?, 3)
        } else if byte == b'+' {
            (b' ', 1)
        } else {
            if allowed.is_some_and(|allowed| !allowed.contains(byte)) {
                return Err(FormOctetError::Invalid { position, byte });
            }
            (byte, 1)
        };
        if is_unreserved(decoded) {
            out.push(decoded);
        } else {
            out.extend_from_slice(&escape_twice(decoded));
        }
        position += width;
    }
    Ok(position)
}

/// A `%` that is not followed by two hexadecimal digits.
///
/// RFC 3986 §2.1 defines a percent-encoded octet as `"%" HEXDIG HEXDIG`; anything else is not
/// an encoding at all, so the decoder reports it instead of passing it through, which would
/// let two different inputs decode to the same parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MalformedEscape {
    /// Byte offset of the offending `%` in the decoded input.
    pub position: usize,
}

impl fmt::Display for MalformedEscape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "malformed percent-escape at byte {}: '%' must be followed by two hexadecimal digits", self.position)
    }
}

impl std::error::Error for MalformedEscape {}

/// Decodes `%XX` escapes (either hexadecimal case), strictly: a malformed escape is an error.
/// Every other octet passes through unchanged; the result is octets, not necessarily UTF-8.
pub fn percent_decode(input: &[u8]) -> Result<Vec<u8>, MalformedEscape> {
    decode(input, false)
}

/// Decodes `application/x-www-form-urlencoded` text (W3C HTML 4.0 §17.13.4, as RFC 5849
/// §3.4.1.3.1 requires for the query and the entity-body): `+` is a space, then `%XX` escapes
/// are decoded strictly.
pub fn form_urldecode(input: &[u8]) -> Result<Vec<u8>, MalformedEscape> {
    decode(input, true)
}

fn decode(input: &[u8], plus_is_space: bool) -> Result<Vec<u8>, MalformedEscape> {
    let mut out = Vec::with_capacity(input.len());
    decode_each(input, plus_is_space, |piece| match piece {
        Decoded::Verbatim(run) => out.extend_from_slice(run),
        Decoded::Octet(byte) => out.push(byte),
    })?;
    Ok(out)
}

/// A piece of decoded output: a run of input octets that decoding leaves as they are, or one
/// octet decoded from an escape (or from `+`).
enum Decoded<'a> {
    Verbatim(&'a [u8]),
    Octet(u8),
}

/// Decodes `input` (strict `%XX`, and `+` as a space when `plus_is_space`), handing each
/// piece of the result to `emit`, in order.
fn decode_each(input: &[u8], plus_is_space: bool, mut emit: impl FnMut(Decoded<'_>)) -> Result<(), MalformedEscape> {
    let mut position = 0;
    while let Some(rest) = input.get(position..) {
        let run = rest.iter().position(|&b| b == b'%' || (plus_is_space && b == b'+')).unwrap_or(rest.len());
        if let Some(verbatim) = rest.get(..run).filter(|run| !run.is_empty()) {
            emit(Decoded::Verbatim(verbatim));
        }
        position += run;
        match input.get(position) {
            None => break,
            Some(b'%') => {
                let after = input.get(position + 1..).unwrap_or_default();
                emit(Decoded::Octet(escape_value(after).ok_or(MalformedEscape { position })?));
                position += 3;
            }
            Some(_) => {
                emit(Decoded::Octet(b' '));
                position += 1;
            }
        }
    }
    Ok(())
}

/// The octet of an escape whose `%` precedes `after`: the value of its two hexadecimal digits.
fn escape_value(after: &[u8]) -> Option<u8> {
    let [high, low, ..] = *after else { return None };
    let (high, low) = (hex_value(high), hex_value(low));
    // One test for both digits: a value of 16 or more is no digit.
    ((high | low) < 16).then_some(high << 4 | low)
}

/// The value of a hexadecimal digit (either case), or 16 or more for any other octet. Looked up
/// rather than compared with three ranges: escapes are most of a non-ASCII form, and the
/// comparisons' branches mispredict between digits and letters.
fn hex_value(digit: u8) -> u8 {
    HEX_VALUES.get(usize::from(digit)).copied().unwrap_or(NOT_HEX)
}

const NOT_HEX: u8 = 0xFF;

static HEX_VALUES: [u8; 256] = hex_values();

// Indexing runs only in constant evaluation, where an index out of range fails the build.
#[allow(clippy::indexing_slicing)]
const fn hex_values() -> [u8; 256] {
    let mut table = [NOT_HEX; 256];
    let mut digit = 0;
    while digit < 10 {
        table[b'0' as usize + digit] = digit as u8;
        digit += 1;
    }
    let mut letter = 0;
    while letter < 6 {
        table[b'a' as usize + letter] = 10 + letter as u8;
        table[b'A' as usize + letter] = 10 + letter as u8;
        letter += 1;
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 5849 §3.6: unreserved characters MUST NOT be encoded.
    /// Every octet at every position of two and a half eight-octet words, among unreserved and
    /// reserved neighbours, at every length (a last word read overlapping the one before): the
    /// word-at-a-time scan finds the run the table finds, octet by octet.
    #[test]
    fn unreserved_run_agrees_with_the_table() {
        for filler in [b'a', b'~', b'%', 0xFF] {
            for position in 0..20 {
                for octet in 0..=255u8 {
                    let mut input = [filler; 20];
                    input[position] = octet;
                    for len in 0..=input.len() {
                        let input = &input[..len];
                        let expected = input.iter().position(|&b| !UNRESERVED.contains(b)).unwrap_or(len);
                        assert_eq!(unreserved_run(input), expected, "{input:?}");
                    }
                }
            }
        }
    }

    /// Every length up to 20 from sources of every length up to 24, onto buffers with and
    /// without room and with octets already in them: the same octets as `extend_from_slice`,
    /// the surplus of a sixteen-octet copy never left behind.
    #[test]
    fn short_copies_append_exactly_the_octets_asked_for() {
        let source: Vec<u8> = (1..=24).collect();
        for source_len in 0..=24 {
            let source = &source[..source_len];
            for len in 0..=source_len.min(20) {
                for (before, capacity) in [(0, 0), (3, 3), (5, 64)] {
                    let mut out = Vec::with_capacity(capacity);
                    out.extend(std::iter::repeat_n(0xEE, before));
                    let mut expected = out.clone();
                    expected.extend_from_slice(&source[..len]);
                    extend_from_short(&mut out, source, len);
                    assert_eq!(out, expected, "source {source_len}, len {len}, before {before}");
                }
            }
        }
    }

    /// Every octet at every position of inputs up to twenty octets long, among unreserved
    /// neighbours: the encoders (whose inputs of eight to sixteen unreserved octets are settled by
    /// two words and copied whole) agree with the `percent-encoding` crate given the §3.6 set.
    #[test]
    fn short_inputs_encode_as_the_crate_does() {
        for len in 0..=20 {
            for position in 0..len {
                for octet in 0..=255u8 {
                    let mut input = vec![b'k'; len];
                    input[position] = octet;
                    let once: String = percent_encoding::percent_encode(&input, RFC5849_ENCODE_SET).collect();
                    let twice: String = percent_encoding::percent_encode(once.as_bytes(), RFC5849_ENCODE_SET).collect();
                    let mut octets = Vec::new();
                    percent_encode_octets_into(&input, &mut octets);
                    assert_eq!(encoded_text(octets), once, "{input:?}");
                    let mut octets = Vec::new();
                    percent_encode_twice_into(&input, &mut octets);
                    assert_eq!(encoded_text(octets), twice, "{input:?}");
                }
            }
        }
    }

    #[test]
    fn unreserved_characters_pass_through() {
        let unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
        assert_eq!(percent_encode(unreserved.as_bytes()), unreserved);
    }

    /// RFC 5849 §3.6: all other characters MUST be encoded, with uppercase hex digits.
    /// Expected strings are the RFC's own examples (§3.4.1.3.2: `%3D%253D`, `r%20b`, `c%40`)
    /// and RFC 3986 §2.1 (uppercase).
    #[test]
    fn reserved_and_space_are_encoded_uppercase() {
        assert_eq!(percent_encode(b"="), "%3D");
        assert_eq!(percent_encode(b"=%3D"), "%3D%253D");
        assert_eq!(percent_encode(b"r b"), "r%20b");
        assert_eq!(percent_encode(b"c@"), "c%40");
        assert_eq!(percent_encode(b"+*!'()"), "%2B%2A%21%27%28%29");
        assert_eq!(percent_encode(b"\xff"), "%FF");
    }

    /// §3.6: text is UTF-8 encoded before percent-encoding (U+00E9 is C3 A9 in UTF-8).
    #[test]
    fn non_ascii_is_utf8_then_encoded() {
        assert_eq!(percent_encode("é".as_bytes()), "%C3%A9");
        assert_eq!(percent_encode("😀".as_bytes()), "%F0%9F%98%80");
    }

    #[test]
    fn decoding_accepts_both_hex_cases() {
        assert_eq!(percent_decode(b"%2f%2F").unwrap(), b"//");
    }

    #[test]
    fn plus_is_space_only_in_form_decoding() {
        assert_eq!(form_urldecode(b"a+b%2B").unwrap(), b"a b+");
        assert_eq!(percent_decode(b"a+b%2B").unwrap(), b"a+b+");
    }

    /// The padding to whole chunks never shows: with room for it and without, at every length
    /// around the chunk size, ASCII, other UTF-8 and invalid UTF-8 come out as std makes them.
    #[test]
    fn encoded_text_is_the_octets_with_or_without_room() {
        for len in 0..3 * ASCII_CHUNK {
            for tail in [&b""[..], "é".as_bytes(), b"\xff"] {
                let mut octets: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
                octets.extend_from_slice(tail);
                let expected = String::from_utf8_lossy(&octets).into_owned();
                for room in [0, 1, ASCII_CHUNK - 1, ASCII_CHUNK, 2 * ASCII_CHUNK] {
                    let mut buffer = Vec::with_capacity(octets.len() + room);
                    buffer.extend_from_slice(&octets);
                    assert_eq!(encoded_text(buffer), expected, "{len} octets, then {tail:?}, room {room}");
                }
            }
        }
    }

    /// Every octet: the hand-written encoders agree with the `percent-encoding` crate given
    /// the §3.6 set, applied once or twice, and decoding then encoding in one pass agrees with
    /// doing it in separate passes.
    #[test]
    fn one_pass_encoders_agree_with_separate_passes() {
        let all: Vec<u8> = (0..=255).collect();
        let once: String = percent_encoding::percent_encode(&all, RFC5849_ENCODE_SET).collect();
        let twice: String = percent_encoding::percent_encode(once.as_bytes(), RFC5849_ENCODE_SET).collect();
        assert_eq!(percent_encode(&all), once);
        let mut octets = Vec::new();
        percent_encode_octets_into(&all, &mut octets);
        assert_eq!(encoded_text(octets), once);
        let mut octets = Vec::new();
        percent_encode_twice_into(&all, &mut octets);
        assert_eq!(encoded_text(octets), twice);
        for input in [&b"a+b%2B%7e~%C3%A9 *"[..], b"", b"%25%2525"] {
            let mut one_pass = Vec::new();
            assert_eq!(form_urldecode_then_encode_twice_until(input, |_| false, None, &mut one_pass), Ok(input.len()));
            assert_eq!(
                encoded_text(one_pass),
                percent_encode(percent_encode(&form_urldecode(input).unwrap()).as_bytes())
            );
        }
        assert_eq!(
            form_urldecode_then_encode_twice_until(b"ab%4", |_| false, None, &mut Vec::new()),
            Err(FormOctetError::MalformedEscape(2))
        );
        // Stops at the first raw `=`; an encoded one (`%3D`) is data.
        let mut octets = Vec::new();
        assert_eq!(form_urldecode_then_encode_twice_until(b"a%3D+=b=c", |b| b == b'=', None, &mut octets), Ok(5));
        assert_eq!(encoded_text(octets), "a%253D%2520");
        // Octets outside `allowed` are refused, escapes aside.
        assert_eq!(
            form_urldecode_then_encode_twice_until(b"a%20b c", |_| false, Some(&UNRESERVED), &mut Vec::new()),
            Err(FormOctetError::Invalid { position: 5, byte: b' ' })
        );
    }

    #[test]
    fn malformed_escapes_are_errors_with_position() {
        assert_eq!(percent_decode(b"ab%"), Err(MalformedEscape { position: 2 }));
        assert_eq!(percent_decode(b"%4"), Err(MalformedEscape { position: 0 }));
        assert_eq!(percent_decode(b"x%zz"), Err(MalformedEscape { position: 1 }));
        assert_eq!(form_urldecode(b"a=%G0"), Err(MalformedEscape { position: 2 }));
    }
}
