//! RFC 5849 §3.5.1 "Authorization Header": parsing and building `OAuth` credentials.
//!
//! §3.5.1 sends the protocol parameters in the HTTP `Authorization` header field "as
//! defined by \[RFC2617\] with the auth-scheme name set to "OAuth" (case insensitive)":
//!
//! ```text
//! Authorization: OAuth realm="Example", oauth_consumer_key="0685bd9184jfhq22", ...
//! ```
//!
//! 1. names and values are encoded per §3.6;
//! 2. each name is immediately followed by `=`, `"`, the value (MAY be empty) and `"`;
//! 3. parameters are separated by `,` and OPTIONAL linear whitespace per RFC 2617;
//! 4. the OPTIONAL `realm` parameter is interpreted per RFC 2617 §1.2.
//!
//! RFC 2617 §1.2 writes the credentials as `auth-scheme #auth-param` with
//! `auth-param = token "=" ( token | quoted-string )`, on top of the RFC 2616 §2.1 `#rule`
//! and "implied *LWS", and the RFC 2616 §2.2 `token` and `quoted-string` rules. That grammar
//! is wider than what a §3.5.1 client ever sends, so the parser takes the strict §3.5.1 shape
//! and turns each piece of RFC 2617 room into a named [`ParserConfig`] option.
//!
//! # Decisions
//!
//! * **Values must be quoted.** §3.5.1 item 2 requires the `"` characters; the RFC 2617
//!   `token` form of an auth-param value is refused ([`HeaderError::UnquotedValue`]).
//! * **Quoted-pairs are unescaped.** Inside a quoted value, `\X` stands for the octet `X`
//!   (RFC 2616 §2.2 `quoted-pair`; RFC 7230 §3.2.6: recipients "MUST handle a quoted-pair as
//!   if it were replaced by the octet following the backslash"), so `realm="Ex\"ample"` is
//!   `Ex"ample`. A §3.6 encoder never produces `\` (it is `%5C`), so this only matters for
//!   the realm and for hand-written headers; it is the grammar, not a leniency, so it is not
//!   an option. The builder escapes `"` and `\` in a realm the same way.
//! * **`realm` is literal.** Every other value is percent-decoded strictly (§3.5.1 item 1,
//!   §3.6); the value of the parameter whose decoded name is exactly `realm` is an RFC 2617
//!   §1.2 `realm-value = quoted-string`, "interpreted per \[RFC2617\]" (§3.5.1 item 4), which
//!   knows no percent-encoding, so it is returned as written (`realm="a%2Fb"` yields the five
//!   octets `a%2Fb`). The builder correspondingly writes the realm unencoded. The realm is
//!   never signed (§3.4.1.3.1), so this choice does not reach the signature.
//! * **Names are tokens, then decoded.** A raw name must be a non-empty RFC 2616 §2.2
//!   `token` (every §3.6 output is one), and is then percent-decoded strictly; names are
//!   case-sensitive octets, so `Realm` is an ordinary parameter.
//! * **Duplicates are errors**, compared after decoding and including `realm`: RFC 2617
//!   §1.2 gives a repeated auth-param no meaning and §3.1 defines each protocol parameter
//!   once, so a receiver would have to pick one copy arbitrarily (while §3.4.1.3.1 would sign
//!   both).
//! * **Control characters** (RFC 2616 §2.2 `CTL`: 0x00–0x1F and 0x7F) other than HTAB are
//!   refused everywhere, inside quotes too (`qdtext` is `TEXT`, which excludes CTLs), except
//!   as part of an obsolete line fold where folding is enabled. Folding is recognised only
//!   where whitespace may appear between elements, never inside a quoted value: a §3.6 value
//!   cannot contain whitespace, and RFC 7230 §3.2.4 deprecates folding altogether.
//! * **Other octets inside quotes** (space, HTAB, non-ASCII: RFC 2616 `TEXT`, RFC 7230
//!   `obs-text`) are accepted; the strict §3.6 decoder passes them through unchanged.
//! * **Leading and trailing whitespace** of the whole field value is always skipped: it is not
//!   part of the field value (RFC 2616 §4.2, RFC 7230 §3.2 `OWS`).
//! * **Positions** in errors are byte offsets into the value passed to the parser.
//! * **Bounded work.** The length limit is checked before anything else; parsing is a single
//!   left-to-right pass, with a hash set for the duplicate check, so time is linear in the
//!   input length. The parser never panics.

use core::fmt;
use std::collections::HashSet;

use crate::encoding::{encoded_text, percent_decode, percent_encode_octets_into, MalformedEscape};

/// The auth-scheme name of §3.5.1, compared ASCII case-insensitively (RFC 2617 §1.2).
const SCHEME: &[u8] = b"OAuth";

/// The RFC 2617 §1.2 realm directive's name (§3.5.1 item 4).
const REALM: &[u8] = b"realm";

/// The default [`ParserConfig::max_length`]: 8 KiB, the order of common server limits on a
/// single header field (Apache httpd `LimitRequestFieldSize` defaults to 8190 bytes, nginx
/// `large_client_header_buffers` to 8 KiB). An OAuth header is a few hundred bytes; an RSA
/// `oauth_signature` of a 4096-bit key is under 700 bytes once encoded.
pub const DEFAULT_MAX_LENGTH: usize = 8192;

/// The default [`ParserConfig::max_parameters`]. §3.1 defines at most seven protocol
/// parameters plus `realm`; 64 leaves ample room for extensions (`oauth_body_hash`,
/// `oauth_callback`, `oauth_verifier`, ...) while bounding the work per header.
pub const DEFAULT_MAX_PARAMETERS: usize = 64;

/// How strictly to read an RFC 5849 §3.5.1 Authorization header.
///
/// [`ParserConfig::default()`] is the reference behaviour; each field documents the room in
/// RFC 2617 / RFC 2616 that it opens or closes. Build a variant with struct update syntax:
/// `ParserConfig { allow_line_folding: true, ..ParserConfig::default() }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParserConfig {
    /// Accept linear whitespace (SP / HTAB runs) after the scheme, around `=` and around
    /// `,`. Default `true`.
    ///
    /// §3.5.1 item 3 allows "OPTIONAL linear whitespace per \[RFC2617\]" around the `,`, and
    /// RFC 2616 §2.1 "implied *LWS" (which RFC 2617's `#auth-param` inherits) allows it
    /// between any two words and separators, hence also around `=` — although §3.5.1 item 2
    /// says the name is "immediately followed" by `="`, so a conforming client never sends
    /// whitespace there. When `false`, only a run of SP after the scheme (RFC 2617 §1.2
    /// `auth-scheme 1*SP`) and whitespace around the whole field value are accepted.
    pub allow_linear_whitespace: bool,
    /// Count an obsolete line fold, `CRLF 1*( SP / HTAB )`, as whitespace wherever whitespace
    /// is accepted. Default `false`.
    ///
    /// RFC 2616 §2.2 `LWS = [CRLF] 1*( SP | HT )` allows folding a header over several lines;
    /// RFC 7230 §3.2.4 deprecates it (`obs-fold`) and lets servers reject it, and a proxy
    /// that unfolds a header has already replaced folds with SP. Folds are never accepted
    /// inside a quoted value.
    pub allow_line_folding: bool,
    /// Accept `OAuth` with no parameters at all. Default `false`.
    ///
    /// RFC 2617 §1.2 `credentials = auth-scheme #auth-param` allows zero parameters, but
    /// §3.1 makes several protocol parameters REQUIRED, so an empty list is never a valid
    /// OAuth request.
    pub allow_empty_parameter_list: bool,
    /// Accept a raw `,` or `=` inside a quoted value. Default `true`.
    ///
    /// An RFC 2616 §2.2 quoted-string may contain both, but a strict §3.6 encoder always
    /// writes them as `%2C` and `%3D`, so a raw one reveals a non-conforming encoder. The
    /// `realm` value is exempt: it is a plain quoted-string, not §3.6-encoded.
    pub allow_raw_separators_in_quotes: bool,
    /// Accept empty list elements: a leading or trailing `,`, or `,,`. Default `false`.
    ///
    /// RFC 2616 §2.1's `#rule` allows null elements ("( element ), , ( element )" counts as
    /// two elements); §3.5.1 item 3 only describes one `,` between two parameters.
    pub allow_empty_list_elements: bool,
    /// The longest field value accepted, in bytes; checked before any other work. Default
    /// [`DEFAULT_MAX_LENGTH`] (8192), the order of typical server limits on one header field.
    pub max_length: usize,
    /// The most parameters (`realm` included) accepted. Default [`DEFAULT_MAX_PARAMETERS`]
    /// (64).
    pub max_parameters: usize,
}

impl Default for ParserConfig {
    /// The strict reference behaviour described on each field.
    fn default() -> Self {
        Self {
            allow_linear_whitespace: true,
            allow_line_folding: false,
            allow_empty_parameter_list: false,
            allow_raw_separators_in_quotes: true,
            allow_empty_list_elements: false,
            max_length: DEFAULT_MAX_LENGTH,
            max_parameters: DEFAULT_MAX_PARAMETERS,
        }
    }
}

/// One `name="value"` parameter of the header (§3.5.1), both sides as decoded octets
/// (§3.6), except that a `realm` value is returned literally (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderParameter {
    /// The percent-decoded parameter name.
    pub name: Vec<u8>,
    /// The percent-decoded value; for `realm`, the quoted-string content as written.
    pub value: Vec<u8>,
}

/// Why an Authorization header field value is not a §3.5.1 `OAuth` header.
///
/// Every `position` is a byte offset into the parsed field value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum HeaderError {
    /// The field value is longer than [`ParserConfig::max_length`].
    TooLong {
        /// The length of the field value, in bytes.
        length: usize,
        /// The configured limit.
        limit: usize,
    },
    /// The auth-scheme is not `OAuth` (compared case-insensitively, §3.5.1, RFC 2617 §1.2).
    WrongScheme,
    /// The scheme is followed by something other than whitespace (RFC 2617 §1.2: the
    /// auth-scheme is a token, separated from the parameters by whitespace).
    MissingWhitespace {
        /// Where the whitespace was expected.
        position: usize,
    },
    /// `OAuth` without any parameter, and [`ParserConfig::allow_empty_parameter_list`] is off.
    EmptyParameterList,
    /// Whitespace where [`ParserConfig::allow_linear_whitespace`] is off.
    UnexpectedWhitespace {
        /// The first whitespace octet.
        position: usize,
    },
    /// `="..."` with no parameter name before it.
    EmptyName {
        /// The `=`.
        position: usize,
    },
    /// A parameter name containing an octet that is not an RFC 2616 §2.2 token character
    /// (such as `"`, a space, a separator or a non-ASCII octet).
    InvalidName {
        /// The offending octet.
        position: usize,
    },
    /// A parameter name not followed by `=` (§3.5.1 item 2).
    MissingEquals {
        /// Where the `=` was expected.
        position: usize,
    },
    /// A value that does not start with `"` (§3.5.1 item 2 requires a quoted value).
    UnquotedValue {
        /// Where the opening `"` was expected.
        position: usize,
    },
    /// A quoted value with no closing `"`.
    MissingClosingQuote {
        /// The opening `"`.
        position: usize,
    },
    /// Something other than `,` after a parameter (§3.5.1 item 3).
    MissingComma {
        /// Where the `,` was expected.
        position: usize,
    },
    /// An empty list element (a leading, trailing or doubled `,`), and
    /// [`ParserConfig::allow_empty_list_elements`] is off.
    EmptyListElement {
        /// The `,` that ends (or, at the end of the value, precedes) the empty element.
        position: usize,
    },
    /// A control character (RFC 2616 §2.2 `CTL`, HTAB excepted) outside an accepted line fold.
    InvalidCharacter {
        /// The control character.
        position: usize,
    },
    /// A raw `,` or `=` inside a quoted value other than `realm`, and
    /// [`ParserConfig::allow_raw_separators_in_quotes`] is off (§3.6 encodes both).
    RawSeparatorInQuotes {
        /// The raw separator.
        position: usize,
    },
    /// A `%` not followed by two hexadecimal digits in a name or a value (§3.6, RFC 3986
    /// §2.1).
    BadEscape {
        /// The parameter's name: decoded when the bad escape is in the value, as written when
        /// it is in the name itself; non-UTF-8 octets replaced by U+FFFD.
        name: String,
        /// The `%`.
        position: usize,
    },
    /// The same decoded parameter name twice (`realm` included).
    DuplicateParameter {
        /// The decoded name; non-UTF-8 octets replaced by U+FFFD.
        name: String,
    },
    /// More parameters than [`ParserConfig::max_parameters`].
    TooManyParameters {
        /// The configured limit.
        limit: usize,
    },
}

impl HeaderError {
    /// The byte offset into the field value that the error points at, if it has one.
    #[must_use]
    pub fn position(&self) -> Option<usize> {
        match self {
            Self::MissingWhitespace { position }
            | Self::UnexpectedWhitespace { position }
            | Self::EmptyName { position }
            | Self::InvalidName { position }
            | Self::MissingEquals { position }
            | Self::UnquotedValue { position }
            | Self::MissingClosingQuote { position }
            | Self::MissingComma { position }
            | Self::EmptyListElement { position }
            | Self::InvalidCharacter { position }
            | Self::RawSeparatorInQuotes { position }
            | Self::BadEscape { position, .. } => Some(*position),
            Self::TooLong { .. }
            | Self::WrongScheme
            | Self::EmptyParameterList
            | Self::DuplicateParameter { .. }
            | Self::TooManyParameters { .. } => None,
        }
    }
}

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLong { length, limit } => write!(
                f,
                "Authorization header value is {length} bytes, over the {limit}-byte limit"
            ),
            Self::WrongScheme => f.write_str("Authorization header does not use the OAuth scheme"),
            Self::MissingWhitespace { position } => write!(
                f,
                "expected whitespace after the OAuth scheme at byte {position}"
            ),
            Self::EmptyParameterList => {
                f.write_str("OAuth Authorization header has no parameters")
            }
            Self::UnexpectedWhitespace { position } => {
                write!(f, "unexpected whitespace at byte {position}")
            }
            Self::EmptyName { position } => {
                write!(f, "empty parameter name before '=' at byte {position}")
            }
            Self::InvalidName { position } => write!(
                f,
                "invalid character in parameter name at byte {position}: names must be tokens"
            ),
            Self::MissingEquals { position } => write!(
                f,
                "expected '=' after the parameter name at byte {position}"
            ),
            Self::UnquotedValue { position } => write!(
                f,
                "expected '\"' opening the parameter value at byte {position}"
            ),
            Self::MissingClosingQuote { position } => write!(
                f,
                "the quoted value opened at byte {position} has no closing '\"'"
            ),
            Self::MissingComma { position } => {
                write!(f, "expected ',' between parameters at byte {position}")
            }
            Self::EmptyListElement { position } => {
                write!(f, "empty list element at the ',' at byte {position}")
            }
            Self::InvalidCharacter { position } => {
                write!(f, "control character at byte {position}")
            }
            Self::RawSeparatorInQuotes { position } => write!(
                f,
                "raw ',' or '=' inside a quoted value at byte {position}: RFC 5849 §3.6 encodes them"
            ),
            Self::BadEscape { name, position } => write!(
                f,
                "malformed percent-escape at byte {position} in parameter {name:?}: '%' must be followed by two hexadecimal digits"
            ),
            Self::DuplicateParameter { name } => write!(f, "parameter {name:?} appears twice"),
            Self::TooManyParameters { limit } => {
                write!(f, "more than {limit} parameters in the Authorization header")
            }
        }
    }
}

impl std::error::Error for HeaderError {}

/// Parses an Authorization header field value (the part after `Authorization:`) per RFC 5849
/// §3.5.1, with the reference [`ParserConfig::default()`].
///
/// Returns the parameters in header order, `realm` included where it appears.
pub fn parse_authorization_header(value: &[u8]) -> Result<Vec<HeaderParameter>, HeaderError> {
    ParserConfig::default().parse(value)
}

impl ParserConfig {
    /// Parses an Authorization header field value (the part after `Authorization:`) per RFC
    /// 5849 §3.5.1 under this configuration.
    ///
    /// Returns the parameters in header order, `realm` included where it appears. Errors name
    /// the first problem found in a left-to-right reading (the length limit is checked first).
    pub fn parse(&self, value: &[u8]) -> Result<Vec<HeaderParameter>, HeaderError> {
        if value.len() > self.max_length {
            return Err(HeaderError::TooLong { length: value.len(), limit: self.max_length });
        }
        let mut parser = Parser { config: self, input: self.trim_end(value), pos: 0 };
        parser.pos = parser.lws_end(0);
        parser.credentials()
    }

    /// `value` without its trailing whitespace (and folds, when accepted), which RFC 2616
    /// §4.2 and RFC 7230 §3.2 exclude from the field value.
    fn trim_end<'v>(&self, value: &'v [u8]) -> &'v [u8] {
        let mut rest = value;
        loop {
            let before = rest.len();
            while let [init @ .., b' ' | b'\t'] = rest {
                rest = init;
            }
            if rest.len() == before {
                return rest;
            }
            if self.allow_line_folding {
                if let Some(init) = rest.strip_suffix(b"\r\n") {
                    rest = init;
                }
            }
        }
    }
}

/// Whether `byte` is an RFC 2616 §2.2 `token` character (the same set as RFC 7230 `tchar`).
fn is_tchar(byte: u8) -> bool {
    byte.is_ascii_alphanumeric()
        || matches!(
            byte,
            b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`' | b'|' | b'~'
        )
}

/// Whether `byte` is an RFC 2616 §2.2 `CTL` other than HTAB.
fn is_forbidden_control(byte: u8) -> bool {
    (byte < 0x20 && byte != b'\t') || byte == 0x7f
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn bad_escape(name: &[u8], offset: usize, error: MalformedEscape) -> HeaderError {
    HeaderError::BadEscape { name: lossy(name), position: offset.saturating_add(error.position) }
}

/// A left-to-right cursor over the (end-trimmed) field value. `pos` never exceeds
/// `input.len()`, and positions are offsets into the original value.
struct Parser<'a> {
    config: &'a ParserConfig,
    input: &'a [u8],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn byte_at(&self, at: usize) -> Option<u8> {
        self.input.get(at).copied()
    }

    fn peek(&self) -> Option<u8> {
        self.byte_at(self.pos)
    }

    fn rest(&self) -> &'a [u8] {
        self.input.get(self.pos..).unwrap_or_default()
    }

    /// Consumes the longest run of octets satisfying `pred` and returns it.
    fn take_while(&mut self, pred: impl Fn(u8) -> bool) -> &'a [u8] {
        let rest = self.rest();
        let len = rest.iter().take_while(|&&byte| pred(byte)).count();
        self.pos = self.pos.saturating_add(len);
        rest.get(..len).unwrap_or(rest)
    }

    /// The end of the run of linear whitespace starting at `from`: SP, HTAB and, when
    /// accepted, `CRLF 1*( SP / HTAB )` folds (RFC 2616 §2.2 `LWS`).
    fn lws_end(&self, from: usize) -> usize {
        let mut at = from;
        loop {
            match self.byte_at(at) {
                Some(b' ' | b'\t') => at = at.saturating_add(1),
                Some(b'\r')
                    if self.config.allow_line_folding
                        && self.byte_at(at.saturating_add(1)) == Some(b'\n')
                        && matches!(self.byte_at(at.saturating_add(2)), Some(b' ' | b'\t')) =>
                {
                    at = at.saturating_add(3);
                }
                _ => return at,
            }
        }
    }

    /// Optional whitespace between elements (RFC 2616 §2.1 implied *LWS), or an error if
    /// there is some and it is not accepted.
    fn skip_optional_whitespace(&mut self) -> Result<(), HeaderError> {
        let end = self.lws_end(self.pos);
        if end > self.pos && !self.config.allow_linear_whitespace {
            return Err(HeaderError::UnexpectedWhitespace { position: self.pos });
        }
        self.pos = end;
        Ok(())
    }

    /// `otherwise`, unless the octet at `at` is a control character, which is reported as
    /// such since it is wrong wherever it appears.
    fn unexpected(&self, at: usize, otherwise: HeaderError) -> HeaderError {
        match self.byte_at(at) {
            Some(byte) if is_forbidden_control(byte) => HeaderError::InvalidCharacter { position: at },
            _ => otherwise,
        }
    }

    /// RFC 2617 §1.2 `credentials = auth-scheme #auth-param`, with the `OAuth` scheme.
    fn credentials(&mut self) -> Result<Vec<HeaderParameter>, HeaderError> {
        let scheme_start = self.pos;
        let scheme = self.take_while(is_tchar);
        if scheme.is_empty() {
            return Err(self.unexpected(scheme_start, HeaderError::WrongScheme));
        }
        if !scheme.eq_ignore_ascii_case(SCHEME) {
            return Err(HeaderError::WrongScheme);
        }
        if self.peek().is_none() {
            return self.finish(Vec::new());
        }
        self.scheme_separator()?;
        let params = self.parameter_list()?;
        self.finish(params)
    }

    fn finish(&self, params: Vec<HeaderParameter>) -> Result<Vec<HeaderParameter>, HeaderError> {
        if params.is_empty() && !self.config.allow_empty_parameter_list {
            return Err(HeaderError::EmptyParameterList);
        }
        Ok(params)
    }

    /// The whitespace between the scheme and the parameters: `1*SP` (RFC 2617 §1.2), or any
    /// linear whitespace when that is accepted.
    fn scheme_separator(&mut self) -> Result<(), HeaderError> {
        let start = self.pos;
        let end = if self.config.allow_linear_whitespace {
            self.lws_end(start)
        } else {
            let spaces = self.rest().iter().take_while(|&&byte| byte == b' ').count();
            start.saturating_add(spaces)
        };
        if end == start {
            return Err(if self.lws_end(start) > start {
                HeaderError::UnexpectedWhitespace { position: start }
            } else {
                self.unexpected(start, HeaderError::MissingWhitespace { position: start })
            });
        }
        self.pos = end;
        Ok(())
    }

    /// `1#auth-param` (RFC 2616 §2.1 `#rule`), with null elements only when accepted.
    fn parameter_list(&mut self) -> Result<Vec<HeaderParameter>, HeaderError> {
        let mut params = Vec::new();
        let mut names = HashSet::new();
        // The position of the `,` after which an element is expected, if any.
        let mut pending_comma = None;
        loop {
            self.skip_optional_whitespace()?;
            match self.peek() {
                None => {
                    if let Some(comma) = pending_comma {
                        self.empty_element(comma)?;
                    }
                    return Ok(params);
                }
                Some(b',') => {
                    self.empty_element(self.pos)?;
                    pending_comma = Some(self.pos);
                    self.pos = self.pos.saturating_add(1);
                    continue;
                }
                Some(_) => {}
            }
            if params.len() >= self.config.max_parameters {
                return Err(HeaderError::TooManyParameters { limit: self.config.max_parameters });
            }
            let param = self.parameter()?;
            if !names.insert(param.name.clone()) {
                return Err(HeaderError::DuplicateParameter { name: lossy(&param.name) });
            }
            params.push(param);
            self.skip_optional_whitespace()?;
            match self.peek() {
                None => return Ok(params),
                Some(b',') => {
                    pending_comma = Some(self.pos);
                    self.pos = self.pos.saturating_add(1);
                }
                Some(_) => {
                    return Err(self.unexpected(self.pos, HeaderError::MissingComma { position: self.pos }));
                }
            }
        }
    }

    fn empty_element(&self, comma: usize) -> Result<(), HeaderError> {
        if self.config.allow_empty_list_elements {
            Ok(())
        } else {
            Err(HeaderError::EmptyListElement { position: comma })
        }
    }

    /// One `name="value"` (§3.5.1 item 2), decoded (§3.6), at a non-empty, non-`,` element.
    fn parameter(&mut self) -> Result<HeaderParameter, HeaderError> {
        let name_start = self.pos;
        let raw_name = self.take_while(is_tchar);
        if raw_name.is_empty() {
            return Err(match self.peek() {
                Some(b'=') => HeaderError::EmptyName { position: name_start },
                _ => self.unexpected(name_start, HeaderError::InvalidName { position: name_start }),
            });
        }
        let name = percent_decode(raw_name).map_err(|e| bad_escape(raw_name, name_start, e))?;
        let is_realm = name == REALM;
        self.equals_sign()?;
        self.skip_optional_whitespace()?;
        let (raw_value, value_start) = self.quoted_value(is_realm)?;
        let value = if is_realm {
            raw_value
        } else {
            percent_decode(&raw_value).map_err(|e| bad_escape(&name, value_start, e))?
        };
        Ok(HeaderParameter { name, value })
    }

    /// The `=` after a name, with optional whitespace before it.
    fn equals_sign(&mut self) -> Result<(), HeaderError> {
        let name_end = self.pos;
        match self.peek() {
            Some(b'=') => {}
            // End of the name token: `=` or whitespace is the only legitimate follower.
            None | Some(b',') => return Err(HeaderError::MissingEquals { position: name_end }),
            Some(b' ' | b'\t' | b'\r') => {
                self.skip_optional_whitespace()?;
                match self.peek() {
                    Some(b'=') => {}
                    // `a b="c"`: whitespace inside what should have been one name.
                    Some(byte) if is_tchar(byte) => {
                        return Err(HeaderError::InvalidName { position: name_end });
                    }
                    _ => {
                        return Err(self.unexpected(self.pos, HeaderError::MissingEquals { position: self.pos }));
                    }
                }
            }
            // `a"b="c"`, `a(b)="c"`, a non-ASCII octet, ...
            Some(_) => {
                return Err(self.unexpected(name_end, HeaderError::InvalidName { position: name_end }));
            }
        }
        self.pos = self.pos.saturating_add(1);
        Ok(())
    }

    /// A `"`-delimited value, returned without its quotes and with its quoted-pairs
    /// unescaped, along with its start offset.
    fn quoted_value(&mut self, is_realm: bool) -> Result<(Vec<u8>, usize), HeaderError> {
        let open = self.pos;
        if self.peek() != Some(b'"') {
            return Err(self.unexpected(open, HeaderError::UnquotedValue { position: open }));
        }
        let value_start = open.saturating_add(1);
        let rest = self.input.get(value_start..).unwrap_or_default();
        let check_separators = !is_realm && !self.config.allow_raw_separators_in_quotes;
        let mut value = Vec::with_capacity(rest.len().min(DEFAULT_MAX_LENGTH));
        let mut octets = rest.iter().enumerate();
        while let Some((len, &byte)) = octets.next() {
            let at = value_start.saturating_add(len);
            match byte {
                b'"' => {
                    self.pos = at.saturating_add(1);
                    return Ok((value, value_start));
                }
                // RFC 7230 §3.2.6 quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text ).
                b'\\' => match octets.next() {
                    Some((_, &escaped)) if !is_forbidden_control(escaped) => value.push(escaped),
                    Some((next, _)) => {
                        return Err(HeaderError::InvalidCharacter { position: value_start.saturating_add(next) })
                    }
                    None => break,
                },
                _ if is_forbidden_control(byte) => return Err(HeaderError::InvalidCharacter { position: at }),
                b',' | b'=' if check_separators => return Err(HeaderError::RawSeparatorInQuotes { position: at }),
                _ => value.push(byte),
            }
        }
        Err(HeaderError::MissingClosingQuote { position: open })
    }
}

/// Why [`build_authorization_header`] cannot write a header.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum HeaderBuildError {
    /// The realm contains a control character (RFC 2616 §2.2 `CTL` other than HTAB), which
    /// no quoted-string can carry, escaped or not (RFC 7230 §3.2.6).
    InvalidRealmCharacter {
        /// The byte offset of the character in the realm.
        position: usize,
        /// The offending octet.
        byte: u8,
    },
    /// A parameter named `realm` in the parameter list. Parameters are §3.6-encoded but a
    /// receiver reads a `realm` value literally (§3.5.1 item 4), so the realm must be passed
    /// as the `realm` argument instead.
    RealmInParameters {
        /// Its index in the parameter list.
        index: usize,
    },
    /// A parameter with an empty name, which an RFC 2617 `auth-param` (a `token`) cannot
    /// express.
    EmptyName {
        /// Its index in the parameter list.
        index: usize,
    },
}

impl fmt::Display for HeaderBuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidRealmCharacter { position, byte } => write!(
                f,
                "realm byte {position} (0x{byte:02X}) is a control character, which a quoted-string cannot carry"
            ),
            Self::RealmInParameters { index } => {
                write!(f, "parameter {index} is named \"realm\": pass the realm as the realm argument")
            }
            Self::EmptyName { index } => write!(f, "parameter {index} has an empty name"),
        }
    }
}

impl std::error::Error for HeaderBuildError {}

/// Writes an RFC 5849 §3.5.1 Authorization header field value:
/// `OAuth realm="...", name="value", ...`.
///
/// The realm, when given, comes first and is written as an RFC 2617 §1.2 quoted-string, `"`
/// and `\` escaped as quoted-pairs (it must not contain control characters other than HTAB). Then
/// every parameter follows in the given order, name and value each percent-encoded per §3.6
/// (§3.5.1 item 1), joined by `, ` (a `,` and optional linear whitespace, §3.5.1 item 3).
/// With neither a realm nor parameters the result is `OAuth`, which the default parser
/// refuses ([`ParserConfig::allow_empty_parameter_list`]). Names are not checked for
/// duplicates, so a test can build a header the parser must reject.
pub fn build_authorization_header(realm: Option<&str>, params: &[(&[u8], &[u8])]) -> Result<String, HeaderBuildError> {
    write_authorization_header(realm, params.iter().copied())
}

/// Appends `OAuth` and the realm, if any, to `out`, and returns the separator that goes before
/// the first parameter.
pub(crate) fn push_header_start(realm: Option<&str>, out: &mut Vec<u8>) -> Result<&'static [u8], HeaderBuildError> {
    out.extend_from_slice(b"OAuth");
    let Some(realm) = realm else { return Ok(b" ") };
    if let Some((position, &byte)) = realm.as_bytes().iter().enumerate().find(|&(_, &byte)| is_forbidden_control(byte))
    {
        return Err(HeaderBuildError::InvalidRealmCharacter { position, byte });
    }
    out.extend_from_slice(b" realm=\"");
    if realm.bytes().any(|byte| matches!(byte, b'"' | b'\\')) {
        for &byte in realm.as_bytes() {
            // RFC 7230 §3.2.6: `"` and `\` travel as quoted-pairs. Neither octet occurs inside
            // a multi-octet UTF-8 character, so octet by octet is character by character.
            if matches!(byte, b'"' | b'\\') {
                out.push(b'\\');
            }
            out.push(byte);
        }
    } else {
        // A realm is mostly a word or a URL, with nothing to quote: copied whole rather than
        // pushed octet by octet.
        out.extend_from_slice(realm.as_bytes());
    }
    out.push(b'"');
    Ok(b", ")
}

/// [`build_authorization_header`] of parameters from an iterator, so that a signer can write
/// its header without collecting its parameters first.
pub(crate) fn write_authorization_header<'p>(
    realm: Option<&str>,
    params: impl Iterator<Item = (&'p [u8], &'p [u8])> + Clone,
) -> Result<String, HeaderBuildError> {
    // Room for every value encoded whole (at most three octets for one), so that the header is
    // never copied to grow; capped so that it never asks for more than a header could sensibly
    // need, and `Vec` grows past the cap if it must.
    let capacity =
        params.clone().fold(realm.map_or(0, str::len).saturating_mul(2).saturating_add(16), |len, (name, value)| {
            len.saturating_add(name.len()).saturating_add(value.len().saturating_mul(3)).saturating_add(6)
        });
    // Octets, made text once at the end: the encoded parameters are ASCII and the realm is
    // copied from a `str` with ASCII inserted at character boundaries, so the whole is UTF-8.
    let mut out = Vec::with_capacity(capacity.min(DEFAULT_MAX_LENGTH));
    let mut separator = push_header_start(realm, &mut out)?;
    for (index, (name, value)) in params.enumerate() {
        if name.is_empty() {
            return Err(HeaderBuildError::EmptyName { index });
        }
        if name == REALM {
            return Err(HeaderBuildError::RealmInParameters { index });
        }
        out.extend_from_slice(separator);
        separator = b", ";
        percent_encode_octets_into(name, &mut out);
        out.extend_from_slice(b"=\"");
        percent_encode_octets_into(value, &mut out);
        out.push(b'"');
    }
    Ok(encoded_text(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn param(name: &str, value: &str) -> HeaderParameter {
        HeaderParameter { name: name.as_bytes().to_vec(), value: value.as_bytes().to_vec() }
    }

    fn parse(value: &str) -> Result<Vec<HeaderParameter>, HeaderError> {
        parse_authorization_header(value.as_bytes())
    }

    fn strict_whitespace() -> ParserConfig {
        ParserConfig { allow_linear_whitespace: false, ..ParserConfig::default() }
    }

    fn folding() -> ParserConfig {
        ParserConfig { allow_line_folding: true, ..ParserConfig::default() }
    }

    /// The §3.5.1 example's parameters, in header order, values decoded per §3.6
    /// (`%2F` is "/" and `%3D` is "=", RFC 3986 §2.1 / US-ASCII).
    fn rfc_3_5_1_parameters() -> Vec<HeaderParameter> {
        vec![
            param("realm", "Example"),
            param("oauth_consumer_key", "0685bd9184jfhq22"),
            param("oauth_token", "ad180jjd733klru7"),
            param("oauth_signature_method", "HMAC-SHA1"),
            param("oauth_signature", "wOJIO9A2W5mFwDgiDvZbTSMK/PY="),
            param("oauth_timestamp", "137131200"),
            param("oauth_nonce", "4572616e48616d6d65724c61686176"),
            param("oauth_version", "1.0"),
        ]
    }

    /// The §3.5.1 example on one line, each display line break replaced by one SP.
    const RFC_3_5_1_ONE_LINE: &str = "OAuth realm=\"Example\", \
        oauth_consumer_key=\"0685bd9184jfhq22\", \
        oauth_token=\"ad180jjd733klru7\", \
        oauth_signature_method=\"HMAC-SHA1\", \
        oauth_signature=\"wOJIO9A2W5mFwDgiDvZbTSMK%2FPY%3D\", \
        oauth_timestamp=\"137131200\", \
        oauth_nonce=\"4572616e48616d6d65724c61686176\", \
        oauth_version=\"1.0\"";

    /// The §3.5.1 example exactly as displayed: folded over eight lines (CRLF, then the
    /// RFC's eight columns of indentation relative to `Authorization:`).
    const RFC_3_5_1_FOLDED: &str = "OAuth realm=\"Example\",\r\n        \
        oauth_consumer_key=\"0685bd9184jfhq22\",\r\n        \
        oauth_token=\"ad180jjd733klru7\",\r\n        \
        oauth_signature_method=\"HMAC-SHA1\",\r\n        \
        oauth_signature=\"wOJIO9A2W5mFwDgiDvZbTSMK%2FPY%3D\",\r\n        \
        oauth_timestamp=\"137131200\",\r\n        \
        oauth_nonce=\"4572616e48616d6d65724c61686176\",\r\n        \
        oauth_version=\"1.0\"";

    #[test]
    fn rfc_3_5_1_example_on_one_line() {
        assert_eq!(parse(RFC_3_5_1_ONE_LINE), Ok(rfc_3_5_1_parameters()));
    }

    #[test]
    fn rfc_3_5_1_example_folded_needs_line_folding() {
        assert_eq!(folding().parse(RFC_3_5_1_FOLDED.as_bytes()), Ok(rfc_3_5_1_parameters()));
        let first_cr = RFC_3_5_1_FOLDED.find('\r').unwrap();
        assert_eq!(parse(RFC_3_5_1_FOLDED), Err(HeaderError::InvalidCharacter { position: first_cr }));
    }

    /// §1.2's temporary-credentials request: `oauth_callback` decodes to the callback URI
    /// that the same section later redirects to.
    #[test]
    fn rfc_1_2_callback_is_decoded() {
        let header = "OAuth realm=\"Photos\", oauth_consumer_key=\"dpf43f3p2l4k3l03\", \
            oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"137131200\", \
            oauth_nonce=\"wIjqoS\", \
            oauth_callback=\"http%3A%2F%2Fprinter.example.com%2Fready\", \
            oauth_signature=\"74KNZJeDHnMBp0EMJ9ZHt%2FXKycU%3D\"";
        assert_eq!(
            parse(header),
            Ok(vec![
                param("realm", "Photos"),
                param("oauth_consumer_key", "dpf43f3p2l4k3l03"),
                param("oauth_signature_method", "HMAC-SHA1"),
                param("oauth_timestamp", "137131200"),
                param("oauth_nonce", "wIjqoS"),
                param("oauth_callback", "http://printer.example.com/ready"),
                param("oauth_signature", "74KNZJeDHnMBp0EMJ9ZHt/XKycU="),
            ])
        );
    }

    /// §3.5.1 and RFC 2617 §1.2: the scheme name is case-insensitive.
    #[test]
    fn scheme_is_case_insensitive() {
        for scheme in ["OAuth", "oauth", "OAUTH", "oAuTh"] {
            let header = format!("{scheme} oauth_token=\"ad180jjd733klru7\"");
            assert_eq!(parse(&header), Ok(vec![param("oauth_token", "ad180jjd733klru7")]), "{header}");
        }
    }

    #[test]
    fn other_schemes_are_wrong() {
        for header in [
            // RFC 2617 §2's Basic example.
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
            "OAuthX oauth_token=\"a\"",
            "OAut oauth_token=\"a\"",
            "Bearer oauth_token=\"a\"",
            "oauth_token=\"a\"",
            "",
            "   ",
            "\"OAuth\" a=\"b\"",
        ] {
            assert_eq!(parse(header), Err(HeaderError::WrongScheme), "{header:?}");
        }
    }

    /// The realm is an RFC 2617 quoted-string taken literally: a URL (as in §3.5.1's
    /// `WWW-Authenticate` example) stays as written, and `%` is not decoded.
    #[test]
    fn realm_is_literal() {
        assert_eq!(parse("OAuth realm=\"http://sp.example.com/\""), Ok(vec![param("realm", "http://sp.example.com/")]));
        assert_eq!(
            parse("OAuth realm=\"http://server.example.com/\", oauth_token=\"a\""),
            Ok(vec![param("realm", "http://server.example.com/"), param("oauth_token", "a")])
        );
        assert_eq!(parse("OAuth realm=\"a%2Fb %zz\""), Ok(vec![param("realm", "a%2Fb %zz")]));
    }

    /// Only the exact decoded name `realm` is the realm; `Realm` is an ordinary parameter.
    #[test]
    fn realm_is_identified_by_its_decoded_name() {
        assert_eq!(parse("OAuth re%61lm=\"a%2Fb\""), Ok(vec![param("realm", "a%2Fb")]));
        assert_eq!(parse("OAuth Realm=\"a%2Fb\""), Ok(vec![param("Realm", "a/b")]));
    }

    /// §3.5.1 item 2: the value MAY be empty.
    #[test]
    fn empty_values() {
        assert_eq!(parse("OAuth realm=\"\", oauth_token=\"\""), Ok(vec![param("realm", ""), param("oauth_token", "")]));
    }

    /// Names are tokens that are percent-decoded (§3.4.1.3.2's `c%40` is `c@`).
    #[test]
    fn names_are_decoded() {
        assert_eq!(parse("OAuth c%40=\"\", a2=\"r%20b\""), Ok(vec![param("c@", ""), param("a2", "r b")]));
    }

    /// Inside quotes, space, HTAB and non-ASCII octets are ordinary octets, and pass through
    /// the §3.6 decoder unchanged; a backslash escapes the next octet (RFC 7230 §3.2.6).
    #[test]
    fn octets_inside_quotes() {
        assert_eq!(
            parse_authorization_header(b"OAuth a=\"x y\tz\\n\xC3\xA9\xFF\""),
            Ok(vec![HeaderParameter { name: b"a".to_vec(), value: b"x y\tzn\xC3\xA9\xFF".to_vec() }])
        );
        // RFC 7230 §3.2.6: `\"` is a quoted-pair, not the end of the string.
        assert_eq!(
            parse("OAuth realm=\"Ex\\\"ample\", a=\"b\""),
            Ok(vec![param("realm", "Ex\"ample"), param("a", "b")])
        );
        assert_eq!(parse("OAuth realm=\"Back\\slash\""), Ok(vec![param("realm", "Backslash")]));
        assert_eq!(parse("OAuth a=\"x\\"), Err(HeaderError::MissingClosingQuote { position: 8 }));
        assert_eq!(parse("OAuth a=\"x\\\ny\""), Err(HeaderError::InvalidCharacter { position: 11 }));
    }

    #[test]
    fn linear_whitespace_option() {
        let header = "OAuth \t a = \"b\" ,\tc=\"d\"\t, e =\"f\"";
        let expected = vec![param("a", "b"), param("c", "d"), param("e", "f")];
        assert_eq!(parse(header), Ok(expected.clone()));
        // Strict: only SP after the scheme, so the HTAB at 6 is refused.
        assert_eq!(
            strict_whitespace().parse(header.as_bytes()),
            Err(HeaderError::UnexpectedWhitespace { position: 6 })
        );
        let strict = strict_whitespace();
        assert_eq!(strict.parse(b"OAuth a=\"b\",c=\"d\",e=\"f\""), Ok(expected.clone()));
        // RFC 2617 §1.2 `1*SP` after the scheme.
        assert_eq!(strict.parse(b"OAuth   a=\"b\",c=\"d\",e=\"f\""), Ok(expected));
        for (header, position) in [
            ("OAuth a=\"b\", c=\"d\"", 12),
            ("OAuth a=\"b\" ,c=\"d\"", 11),
            ("OAuth a =\"b\"", 7),
            ("OAuth a= \"b\"", 8),
            ("OAuth\ta=\"b\"", 5),
            ("OAuth \ta=\"b\"", 6),
        ] {
            assert_eq!(
                strict.parse(header.as_bytes()),
                Err(HeaderError::UnexpectedWhitespace { position }),
                "{header:?}"
            );
            assert!(parse(header).is_ok(), "{header:?}");
        }
    }

    /// Whitespace around the field value is not part of it (RFC 2616 §4.2, RFC 7230 §3.2).
    #[test]
    fn surrounding_whitespace_is_always_accepted() {
        let header = " \tOAuth a=\"b\" \t ";
        assert_eq!(parse(header), Ok(vec![param("a", "b")]));
        assert_eq!(strict_whitespace().parse(header.as_bytes()), Ok(vec![param("a", "b")]));
    }

    #[test]
    fn line_folding_option() {
        let header = "OAuth\r\n a=\"b\",\r\n\tc=\"d\"\r\n  ,\r\n e\r\n =\r\n \"f\"\r\n ";
        let expected = vec![param("a", "b"), param("c", "d"), param("e", "f")];
        assert_eq!(folding().parse(header.as_bytes()), Ok(expected));
        assert_eq!(parse(header), Err(HeaderError::InvalidCharacter { position: 5 }));
        // A leading fold (the value starting on the next line).
        assert_eq!(folding().parse(b"\r\n OAuth a=\"b\""), Ok(vec![param("a", "b")]));
        // CRLF not followed by whitespace is not a fold.
        assert_eq!(folding().parse(b"OAuth a=\"b\",\r\nc=\"d\""), Err(HeaderError::InvalidCharacter { position: 12 }));
        assert_eq!(folding().parse(b"OAuth a=\"b\"\r\n"), Err(HeaderError::InvalidCharacter { position: 11 }));
        // Never inside a quoted value.
        assert_eq!(folding().parse(b"OAuth a=\"b\r\n c\""), Err(HeaderError::InvalidCharacter { position: 10 }));
        // Folding is whitespace, so it is refused where whitespace is.
        let strict_folding = ParserConfig { allow_line_folding: true, ..strict_whitespace() };
        assert_eq!(
            strict_folding.parse(b"OAuth a=\"b\",\r\n c=\"d\""),
            Err(HeaderError::UnexpectedWhitespace { position: 12 })
        );
    }

    #[test]
    fn empty_parameter_list_option() {
        let lenient = ParserConfig { allow_empty_parameter_list: true, ..ParserConfig::default() };
        for header in ["OAuth", "OAuth   ", "oauth\t", " OAUTH "] {
            assert_eq!(parse(header), Err(HeaderError::EmptyParameterList), "{header:?}");
            assert_eq!(lenient.parse(header.as_bytes()), Ok(vec![]), "{header:?}");
        }
        // Null elements do not count as parameters (RFC 2616 §2.1).
        let both = ParserConfig { allow_empty_list_elements: true, ..lenient };
        assert_eq!(both.parse(b"OAuth , ,"), Ok(vec![]));
        let elements_only = ParserConfig { allow_empty_list_elements: true, ..ParserConfig::default() };
        assert_eq!(elements_only.parse(b"OAuth , ,"), Err(HeaderError::EmptyParameterList));
    }

    #[test]
    fn empty_list_elements_option() {
        let lenient = ParserConfig { allow_empty_list_elements: true, ..ParserConfig::default() };
        for (header, position) in [
            ("OAuth a=\"b\",", 11),
            ("OAuth a=\"b\", ", 11),
            ("OAuth a=\"b\",,c=\"d\"", 12),
            ("OAuth a=\"b\", , c=\"d\"", 13),
            ("OAuth ,a=\"b\"", 6),
        ] {
            assert_eq!(parse(header), Err(HeaderError::EmptyListElement { position }), "{header:?}");
            let params = lenient.parse(header.as_bytes()).unwrap();
            assert_eq!(params.first(), Some(&param("a", "b")), "{header:?}");
        }
        assert_eq!(lenient.parse(b"OAuth ,, a=\"b\" ,,, c=\"d\",,"), Ok(vec![param("a", "b"), param("c", "d")]));
    }

    #[test]
    fn raw_separators_in_quotes_option() {
        let strict = ParserConfig { allow_raw_separators_in_quotes: false, ..ParserConfig::default() };
        assert_eq!(parse("OAuth a=\"b,c=d\""), Ok(vec![param("a", "b,c=d")]));
        assert_eq!(strict.parse(b"OAuth a=\"b,c\""), Err(HeaderError::RawSeparatorInQuotes { position: 10 }));
        assert_eq!(strict.parse(b"OAuth a=\"b%2Cc%3Dd=\""), Err(HeaderError::RawSeparatorInQuotes { position: 18 }));
        assert_eq!(strict.parse(b"OAuth a=\"b%2Cc%3Dd\""), Ok(vec![param("a", "b,c=d")]));
        // The realm is a plain quoted-string, not §3.6-encoded.
        assert_eq!(
            strict.parse(b"OAuth realm=\"http://sp.example.com/?a=b,c\""),
            Ok(vec![param("realm", "http://sp.example.com/?a=b,c")])
        );
    }

    #[test]
    fn too_long() {
        let config = ParserConfig { max_length: 10, ..ParserConfig::default() };
        assert_eq!(config.parse(b"OAuth a=\"b\""), Err(HeaderError::TooLong { length: 11, limit: 10 }));
        assert_eq!(config.parse(b"OAuth a=\"\""), Ok(vec![param("a", "")]));
        // Checked before anything else, even on garbage.
        assert_eq!(parse_authorization_header(&[0; 8193]), Err(HeaderError::TooLong { length: 8193, limit: 8192 }));
        let mut header = "OAuth a=\"".to_owned();
        header.push_str(&"x".repeat(8192 - 10));
        header.push('"');
        assert_eq!(header.len(), 8192);
        assert!(parse(&header).is_ok());
    }

    #[test]
    fn too_many_parameters() {
        let config = ParserConfig { max_parameters: 2, ..ParserConfig::default() };
        assert_eq!(config.parse(b"OAuth realm=\"r\", a=\"b\""), Ok(vec![param("realm", "r"), param("a", "b")]));
        assert_eq!(
            config.parse(b"OAuth realm=\"r\", a=\"b\", c=\"d\""),
            Err(HeaderError::TooManyParameters { limit: 2 })
        );
        let names: Vec<String> = (0..65).map(|i| format!("p{i}=\"\"")).collect();
        let header = format!("OAuth {}", names.join(","));
        assert_eq!(parse(&header), Err(HeaderError::TooManyParameters { limit: 64 }));
        let header = format!("OAuth {}", names.get(..64).unwrap().join(","));
        assert_eq!(parse(&header).map(|p| p.len()), Ok(64));
    }

    #[test]
    fn missing_whitespace_after_scheme() {
        assert_eq!(parse("OAuth,a=\"b\""), Err(HeaderError::MissingWhitespace { position: 5 }));
        assert_eq!(parse("OAuth\"a\""), Err(HeaderError::MissingWhitespace { position: 5 }));
        assert_eq!(parse("OAuth\x01a=\"b\""), Err(HeaderError::InvalidCharacter { position: 5 }));
    }

    #[test]
    fn empty_name() {
        assert_eq!(parse("OAuth =\"b\""), Err(HeaderError::EmptyName { position: 6 }));
        assert_eq!(parse("OAuth a=\"b\", =\"c\""), Err(HeaderError::EmptyName { position: 13 }));
    }

    #[test]
    fn invalid_name() {
        for (header, position) in [
            ("OAuth a\"b=\"c\"", 7),
            ("OAuth \"a\"=\"c\"", 6),
            ("OAuth a b=\"c\"", 7),
            ("OAuth a(b)=\"c\"", 7),
            ("OAuth a;b=\"c\"", 7),
            ("OAuth a/b=\"c\"", 7),
            ("OAuth é=\"c\"", 6),
        ] {
            assert_eq!(parse(header), Err(HeaderError::InvalidName { position }), "{header:?}");
        }
    }

    #[test]
    fn missing_equals() {
        for (header, position) in
            [("OAuth a", 7), ("OAuth a,b=\"c\"", 7), ("OAuth a \"c\"", 8), ("OAuth a ,b=\"c\"", 8)]
        {
            assert_eq!(parse(header), Err(HeaderError::MissingEquals { position }), "{header:?}");
        }
    }

    /// §3.5.1 item 2: values are always quoted, even where RFC 2617 allows a token.
    #[test]
    fn unquoted_value() {
        for (header, position) in [
            ("OAuth a=b", 8),
            ("OAuth a=", 8),
            ("OAuth a=, c=\"d\"", 8),
            ("OAuth a='b'", 8),
            ("OAuth realm=Example", 12),
        ] {
            assert_eq!(parse(header), Err(HeaderError::UnquotedValue { position }), "{header:?}");
        }
    }

    #[test]
    fn missing_closing_quote() {
        assert_eq!(parse("OAuth a=\"b"), Err(HeaderError::MissingClosingQuote { position: 8 }));
        assert_eq!(parse("OAuth a=\"b\", c=\"d, e=\"f"), Err(HeaderError::MissingComma { position: 22 }));
        assert_eq!(parse("OAuth a=\"b\", c=\"   "), Err(HeaderError::MissingClosingQuote { position: 15 }));
    }

    #[test]
    fn missing_comma() {
        for (header, position) in [
            ("OAuth a=\"b\" c=\"d\"", 12),
            ("OAuth a=\"b\"c=\"d\"", 11),
            ("OAuth a=\"b\"\"", 11),
            ("OAuth a=\"b\";c=\"d\"", 11),
        ] {
            assert_eq!(parse(header), Err(HeaderError::MissingComma { position }), "{header:?}");
        }
    }

    #[test]
    fn invalid_character() {
        for (header, position) in [
            (&b"OAuth a=\"b\0\""[..], 10),
            (b"OAuth a=\"b\x7f\"", 10),
            (b"OAuth a=\"b\n\"", 10),
            (b"OAuth a=\"b\",\x01c=\"d\"", 12),
            (b"OAuth a\x1b=\"b\"", 7),
            (b"OAuth a=\x00\"b\"", 8),
            (b"OAuth a=\"b\"\r\n c=\"d\"", 11),
            (b"\0OAuth a=\"b\"", 0),
        ] {
            assert_eq!(
                parse_authorization_header(header),
                Err(HeaderError::InvalidCharacter { position }),
                "{header:?}"
            );
        }
    }

    /// §3.6 decoding is strict: a bad escape is an error naming the parameter.
    #[test]
    fn bad_escape() {
        assert_eq!(
            parse("OAuth oauth_token=\"ab%zz\""),
            Err(HeaderError::BadEscape { name: "oauth_token".to_owned(), position: 21 })
        );
        assert_eq!(parse("OAuth c%40=\"%4\""), Err(HeaderError::BadEscape { name: "c@".to_owned(), position: 12 }));
        assert_eq!(parse("OAuth a%4g=\"b\""), Err(HeaderError::BadEscape { name: "a%4g".to_owned(), position: 7 }));
        assert_eq!(parse("OAuth %FF=\"%\""), Err(HeaderError::BadEscape { name: "\u{FFFD}".to_owned(), position: 11 }));
    }

    #[test]
    fn duplicate_parameter() {
        for (header, name) in [
            ("OAuth a=\"1\", a=\"2\"", "a"),
            ("OAuth a=\"1\", a=\"1\"", "a"),
            ("OAuth realm=\"x\", realm=\"y\"", "realm"),
            ("OAuth realm=\"x\", re%61lm=\"x\"", "realm"),
            ("OAuth a=\"1\", %61=\"2\"", "a"),
        ] {
            assert_eq!(parse(header), Err(HeaderError::DuplicateParameter { name: name.to_owned() }), "{header:?}");
        }
        // Names are case-sensitive octets.
        assert_eq!(parse("OAuth a=\"1\", A=\"2\""), Ok(vec![param("a", "1"), param("A", "2")]));
    }

    #[test]
    fn error_messages_say_where_and_what() {
        let message = parse("OAuth a=\"b\" c=\"d\"").unwrap_err().to_string();
        assert!(message.contains("12") && message.contains("','"), "{message}");
        let message = parse("OAuth a=\"%zz\"").unwrap_err().to_string();
        assert!(message.contains("\"a\"") && message.contains('9'), "{message}");
        let error = parse("OAuth a=\"1\", a=\"2\"").unwrap_err();
        assert_eq!(error.position(), None);
        assert!(error.to_string().contains("\"a\""));
        assert_eq!(parse("OAuth a=\"b").unwrap_err().position(), Some(8));
    }

    /// The builder writes the §3.5.1 example, with `, ` where the RFC displays a line break.
    #[test]
    fn build_rfc_3_5_1_example() {
        let params: Vec<(&[u8], &[u8])> = vec![
            (b"oauth_consumer_key", b"0685bd9184jfhq22"),
            (b"oauth_token", b"ad180jjd733klru7"),
            (b"oauth_signature_method", b"HMAC-SHA1"),
            (b"oauth_signature", b"wOJIO9A2W5mFwDgiDvZbTSMK/PY="),
            (b"oauth_timestamp", b"137131200"),
            (b"oauth_nonce", b"4572616e48616d6d65724c61686176"),
            (b"oauth_version", b"1.0"),
        ];
        assert_eq!(build_authorization_header(Some("Example"), &params).as_deref(), Ok(RFC_3_5_1_ONE_LINE));
    }

    /// §1.2's callback and §3.4.1.3.2's `c%40` show the §3.6 encoding of names and values;
    /// the realm is written as is.
    #[test]
    fn build_encodes_parameters_but_not_realm() {
        let params: Vec<(&[u8], &[u8])> = vec![(b"oauth_callback", b"http://printer.example.com/ready"), (b"c@", b"")];
        assert_eq!(
            build_authorization_header(Some("http://sp.example.com/"), &params).as_deref(),
            Ok("OAuth realm=\"http://sp.example.com/\", \
                oauth_callback=\"http%3A%2F%2Fprinter.example.com%2Fready\", c%40=\"\"")
        );
        assert_eq!(
            build_authorization_header(None, &params).as_deref(),
            Ok("OAuth oauth_callback=\"http%3A%2F%2Fprinter.example.com%2Fready\", c%40=\"\"")
        );
        assert_eq!(build_authorization_header(None, &[]).as_deref(), Ok("OAuth"));
        assert_eq!(build_authorization_header(Some(""), &[]).as_deref(), Ok("OAuth realm=\"\""));
    }

    #[test]
    fn build_errors() {
        // `"` and `\` are written as quoted-pairs (RFC 7230 §3.2.6) and read back.
        for realm in ["a\"b", "a\\b", "\\\""] {
            let header = build_authorization_header(Some(realm), &[]).unwrap();
            assert_eq!(parse(&header), Ok(vec![param("realm", realm)]), "{header}");
        }
        for (realm, position, byte) in [("ab\n", 2, b'\n'), ("\r", 0, b'\r'), ("a\x7f", 1, 0x7f), ("\0", 0, 0)] {
            assert_eq!(
                build_authorization_header(Some(realm), &[]),
                Err(HeaderBuildError::InvalidRealmCharacter { position, byte }),
                "{realm:?}"
            );
        }
        assert!(build_authorization_header(Some("tab\there"), &[]).is_ok());
        let params: Vec<(&[u8], &[u8])> = vec![(b"a", b"b"), (b"realm", b"x")];
        assert_eq!(build_authorization_header(None, &params), Err(HeaderBuildError::RealmInParameters { index: 1 }));
        let params: Vec<(&[u8], &[u8])> = vec![(b"a", b"b"), (b"", b"x")];
        assert_eq!(build_authorization_header(None, &params), Err(HeaderBuildError::EmptyName { index: 1 }));
        let message = build_authorization_header(Some("a\nb"), &[]).unwrap_err().to_string();
        assert!(message.contains("byte 1") && message.contains("0x0A"), "{message}");
    }

    /// Adversarial shapes stay linear: long runs of whitespace, commas and escapes.
    #[test]
    fn long_adversarial_inputs() {
        let config = ParserConfig {
            allow_empty_list_elements: true,
            allow_line_folding: true,
            max_length: 1 << 20,
            ..ParserConfig::default()
        };
        let mut header = b"OAuth ".to_vec();
        header.extend(std::iter::repeat_n(b",\r\n \t", 200_000 / 5).flatten());
        header.extend_from_slice(b"a=\"");
        header.extend(std::iter::repeat_n(*b"%41", 100_000).flatten());
        header.push(b'"');
        let params = config.parse(&header).unwrap();
        assert_eq!(params.len(), 1);
        assert_eq!(params.first().map(|p| p.value.len()), Some(100_000));
    }

    fn realm_strategy() -> impl Strategy<Value = String> {
        // Any text but '"', '\' and the control characters other than HTAB.
        "[^\"\\\\\\x00-\\x08\\x0a-\\x1f\\x7f]{0,24}"
    }

    fn params_strategy() -> impl Strategy<Value = Vec<(Vec<u8>, Vec<u8>)>> {
        prop::collection::vec(
            (prop::collection::vec(any::<u8>(), 1..12), prop::collection::vec(any::<u8>(), 0..24)),
            0..10,
        )
        .prop_map(|params| {
            let mut seen = HashSet::new();
            params.into_iter().filter(|(name, _)| name.as_slice() != REALM && seen.insert(name.clone())).collect()
        })
    }

    fn config_strategy() -> impl Strategy<Value = ParserConfig> {
        (
            any::<[bool; 5]>(),
            prop_oneof![Just(DEFAULT_MAX_LENGTH), 0..64usize, Just(usize::MAX)],
            prop_oneof![Just(DEFAULT_MAX_PARAMETERS), 0..4usize, Just(usize::MAX)],
        )
            .prop_map(|(flags, max_length, max_parameters)| {
                let [ws, fold, empty_list, raw_separators, empty_elements] = flags;
                ParserConfig {
                    allow_linear_whitespace: ws,
                    allow_line_folding: fold,
                    allow_empty_parameter_list: empty_list,
                    allow_raw_separators_in_quotes: raw_separators,
                    allow_empty_list_elements: empty_elements,
                    max_length,
                    max_parameters,
                }
            })
    }

    /// Inputs built from the header's own alphabet, so that the fuzzing reaches deep states.
    fn header_like_strategy() -> impl Strategy<Value = Vec<u8>> {
        let piece = prop_oneof![
            Just(&b"OAuth"[..]),
            Just(&b"oauth "[..]),
            Just(&b"realm"[..]),
            Just(&b"a"[..]),
            Just(&b"="[..]),
            Just(&b"\""[..]),
            Just(&b","[..]),
            Just(&b" "[..]),
            Just(&b"\t"[..]),
            Just(&b"\r\n "[..]),
            Just(&b"\r"[..]),
            Just(&b"\n"[..]),
            Just(&b"%"[..]),
            Just(&b"%4"[..]),
            Just(&b"%41"[..]),
            Just(&b"\\"[..]),
            Just(&b"\0"[..]),
            Just(&b"\xff"[..]),
        ];
        prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
    }

    fn check_invariants(config: &ParserConfig, input: &[u8]) {
        match config.parse(input) {
            Ok(params) => {
                assert!(params.len() <= config.max_parameters);
                assert!(input.len() <= config.max_length);
                assert!(!params.is_empty() || config.allow_empty_parameter_list);
                let mut names = HashSet::new();
                for param in &params {
                    assert!(!param.name.is_empty());
                    assert!(names.insert(&param.name));
                }
            }
            Err(error) => {
                if let Some(position) = error.position() {
                    assert!(position <= input.len(), "{error:?} for {input:?}");
                }
                assert!(!error.to_string().is_empty());
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// parse(build(realm, params)) == [realm] ++ params, as decoded octets.
        #[test]
        fn build_then_parse_round_trips(
            realm in prop::option::of(realm_strategy()),
            params in params_strategy(),
        ) {
            let borrowed: Vec<(&[u8], &[u8])> =
                params.iter().map(|(n, v)| (n.as_slice(), v.as_slice())).collect();
            let header = build_authorization_header(realm.as_deref(), &borrowed).unwrap();
            let mut expected = Vec::new();
            if let Some(realm) = &realm {
                expected.push(HeaderParameter { name: REALM.to_vec(), value: realm.as_bytes().to_vec() });
            }
            expected.extend(params.iter().map(|(name, value)| HeaderParameter {
                name: name.clone(),
                value: value.clone(),
            }));
            // A strict §3.6 encoder never writes raw separators, so the strictest reading
            // that still allows the builder's `, ` accepts it too.
            let strict = ParserConfig {
                allow_raw_separators_in_quotes: false,
                ..ParserConfig::default()
            };
            if expected.is_empty() {
                prop_assert_eq!(strict.parse(header.as_bytes()), Err(HeaderError::EmptyParameterList));
            } else {
                prop_assert_eq!(parse_authorization_header(header.as_bytes()), Ok(expected.clone()));
                prop_assert_eq!(strict.parse(header.as_bytes()), Ok(expected));
            }
        }

        /// No input panics, under any configuration, and results respect the limits.
        #[test]
        fn parse_never_panics_on_arbitrary_bytes(
            config in config_strategy(),
            input in prop::collection::vec(any::<u8>(), 0..256),
        ) {
            check_invariants(&config, &input);
            check_invariants(&ParserConfig::default(), &input);
        }

        #[test]
        fn parse_never_panics_on_header_like_bytes(
            config in config_strategy(),
            input in header_like_strategy(),
        ) {
            check_invariants(&config, &input);
            check_invariants(&ParserConfig::default(), &input);
        }
    }
}
