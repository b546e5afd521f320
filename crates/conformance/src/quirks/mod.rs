//! The quirk catalogue: named, switchable deviations from RFC 5849, and a signing pipeline
//! that applies any set of them.
//!
//! "Implementation X = the reference with quirks Q" is then a computation, not a judgement:
//! [`attribute`] searches small quirk sets for one whose pipeline reproduces exactly what an
//! implementation produced.

use std::fmt;

use oauth1_reference::header_syntax::Violation;
use serde::Serialize;

mod pipeline;
mod search;

pub use pipeline::{sign_with_quirks, Error as PipelineError};
pub use search::{
    attribute, attribute_with, attribute_with_fingerprint_only, reproduces, single_quirks_changing,
    single_quirks_signing_like, Attribution, BLIND_BUDGET, MAX_FINGERPRINT, MAX_QUIRKS,
};

/// How a quirk stands to RFC 5849: what a finding of it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuirkKind {
    /// Breaks a MUST of RFC 5849 (or of draft-eaton-oauth-bodyhash, for the body hash: its
    /// [`Quirk::kind_reason`] says so): the implementation computes or sends something else than
    /// the RFC's steps give.
    Deviation,
    /// Something the RFC leaves room for (an OPTIONAL parameter sent or left out, an input
    /// outside RFC 5849, a lenient parser): different from the reference, not wrong.
    Leniency,
    /// Visible only on the wire: what a client sends differs from what it signed, or a server
    /// rebuilds the request or skips a check across requests. No signing function given the
    /// request reproduces it, so it is not switchable and has no minimal vector; the live modes
    /// look for it.
    Wire,
    /// An API limit: the implementation refuses, cannot be given, or crashes on an input RFC 5849
    /// defines a signature for. It gives no wrong answer, only none.
    Limit,
}

impl QuirkKind {
    /// The kind as reports write it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Deviation => "deviation",
            Self::Leniency => "leniency",
            Self::Wire => "wire",
            Self::Limit => "limit",
        }
    }
}

impl fmt::Display for QuirkKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! quirks {
    ($($variant:ident = $id:literal, $kind:ident, $section:literal, $vector:literal, $description:literal;)*) => {
        /// A named deviation from RFC 5849 that real implementations show.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Quirk { $(#[doc = $description] $variant,)* }

        impl Quirk {
            /// Every catalogued quirk.
            pub const ALL: &'static [Quirk] = &[$(Quirk::$variant,)*];

            /// The short stable id used in baselines and reports.
            #[must_use]
            pub fn id(self) -> &'static str { match self { $(Quirk::$variant => $id,)* } }

            /// How the quirk stands to RFC 5849.
            #[must_use]
            pub fn kind(self) -> QuirkKind { match self { $(Quirk::$variant => QuirkKind::$kind,)* } }

            /// The RFC 5849 section (or other document) it breaks.
            #[must_use]
            pub fn section(self) -> &'static str { match self { $(Quirk::$variant => $section,)* } }

            /// A corpus case whose expected values the quirk changes: the minimal vector that shows it.
            #[must_use]
            pub fn minimal_vector(self) -> &'static str { match self { $(Quirk::$variant => $vector,)* } }

            /// What the implementation does instead of what the RFC says.
            #[must_use]
            pub fn description(self) -> &'static str { match self { $(Quirk::$variant => $description,)* } }
        }
    };
}

quirks! {
    AddsOauthVersion = "adds-oauth-version", Leniency, "RFC 5849 §3.1 (oauth_version is OPTIONAL)", "rfc5849-3.4.1-hmac-sha1",
        "Sends and signs oauth_version=\"1.0\" even when the request did not ask for it.";
    AddsBodyHash = "adds-body-hash", Leniency, "draft-eaton-oauth-bodyhash §3.1", "edge-json-body-ignored",
        "Adds oauth_body_hash to every request with a non-form body, unasked.";
    BodyHashAlwaysSha1 = "body-hash-always-sha1", Leniency, "draft-eaton-oauth-bodyhash §3.1", "sigmeth-body-hash-hmac-sha256-json",
        "Computes oauth_body_hash with SHA-1 whatever the signature method.";
    SortsUnencoded = "sorts-unencoded-keys", Deviation, "RFC 5849 §3.4.1.3.2 (sort after encoding)", "edge-sort-encoded-names",
        "Sorts parameters by their decoded names and values instead of the encoded ones.";
    SortsJoinedPairs = "sorts-joined-pairs", Deviation, "RFC 5849 §3.4.1.3.2 (sort by name, then by value)", "edge-prefix-names",
        "Sorts the joined `name=value` strings, so `a-b=1` sorts before `a=1` (`-` < `=`).";
    KeepsRawIri = "keeps-raw-iri", Leniency, "RFC 3987 §3.1 (the reference maps IRIs to URIs); RFC 5849 §3.6", "edge-url-raw-iri",
        "Leaves raw non-ASCII path characters unencoded in the base string URI.";
    DropsRealmNamedParameter = "drops-realm-named-parameter", Deviation, "RFC 5849 §3.4.1.3.1 (only the header's realm is excluded)", "edge-more-realm-named-query-param",
        "Drops a query or body parameter named `realm` from the signed parameters.";
    SortsByNameOnly = "sorts-by-name-only", Deviation, "RFC 5849 §3.4.1.3.2 (equal names sort by value)", "edge-duplicate-names-sorted-by-value",
        "Sorts by name only, leaving parameters with equal names in their original order.";
    CollapsesDuplicatesLast = "collapses-duplicates-last-wins", Deviation, "RFC 5849 §3.4.1.3.2 (every parameter is kept)", "edge-duplicate-names-sorted-by-value",
        "Keeps one value per parameter name, the last one.";
    CollapsesDuplicatesFirst = "collapses-duplicates-first-wins", Deviation, "RFC 5849 §3.4.1.3.2 (every parameter is kept)", "edge-duplicate-names-sorted-by-value",
        "Keeps one value per parameter name, the first one.";
    DropsEmptyValues = "drops-empty-values", Deviation, "RFC 5849 §3.4.1.3.1 (empty values are parameters)", "rfc5849-3.4.1-hmac-sha1",
        "Drops parameters whose value is empty (`c2`, `c%40=`) from the base string.";
    IgnoresFormBody = "ignores-form-body", Deviation, "RFC 5849 §3.4.1.3.1 (form-encoded body parameters)", "rfc5849-3.4.1-hmac-sha1",
        "Does not sign the parameters of an application/x-www-form-urlencoded body.";
    IgnoresFormBodyWithQuery = "ignores-form-body-with-query", Deviation, "RFC 5849 §3.4.1.3.1", "rfc5849-3.4.1-hmac-sha1",
        "Does not sign the form body when the URL also has a query.";
    IgnoresQuery = "ignores-query", Deviation, "RFC 5849 §3.4.1.3.1 (query component)", "rfc5849-3.4.1-hmac-sha1",
        "Does not sign the parameters of the URL's query.";
    PlusNotDecoded = "plus-not-decoded", Deviation, "RFC 5849 §3.4.1.3.1 (W3C form decoding: `+` is a space)", "rfc5849-3.4.1-hmac-sha1",
        "Keeps `+` in the query and body as a literal plus sign instead of decoding it to a space.";
    NamesNotDecoded = "names-not-decoded", Deviation, "RFC 5849 §3.4.1.3.1 (names are decoded too)", "rfc5849-3.4.1-hmac-sha1",
        "Decodes parameter values but not names, so `c%40` is encoded again as `c%2540`.";
    DoubleDecodes = "double-decodes", Deviation, "RFC 5849 §3.4.1.3.1 (decode once)", "rfc5849-3.4.1-hmac-sha1",
        "Percent-decodes query and body parameters twice, so `%253D` becomes `=`; the second pass, as Python's `unquote`, keeps a malformed escape and turns octets that are not UTF-8 into U+FFFD (`%25bb` becomes U+FFFD).";
    CharsetMakesBodyUnsigned = "charset-content-type-not-form", Deviation, "RFC 5849 §3.4.1.3.1; RFC 7231 §3.1.1.1", "edge-form-charset",
        "Treats `application/x-www-form-urlencoded; charset=utf-8` as a non-form body and leaves it unsigned.";
    KeepsDefaultPort = "keeps-default-port", Deviation, "RFC 5849 §3.4.1.2 (default port excluded)", "edge-url-https-default-port",
        "Keeps `:80` / `:443` in the base string URI.";
    KeepsHostCase = "keeps-host-case", Deviation, "RFC 5849 §3.4.1.2 (scheme and host lowercased)", "edge-url-uppercase-scheme-host",
        "Keeps the scheme and host in their original case in the base string URI.";
    MethodNotUppercased = "method-not-uppercased", Deviation, "RFC 5849 §3.4.1.1 step 1", "edge-method-lowercase",
        "Uses the HTTP method as given instead of uppercasing it.";
    MethodNotEncoded = "method-not-encoded", Deviation, "RFC 5849 §3.4.1.1 step 1, §3.6 (every base string element is encoded)", "edge-more-method-reserved-character",
        "Writes the HTTP method into the signature base string without percent-encoding it, so a method such as `GET&X` adds an element.";
    SecretsNotEncoded = "secrets-not-encoded", Deviation, "RFC 5849 §3.4.2 (secrets percent-encoded in the key)", "sigmeth-hmac-sha1-secrets-need-encoding",
        "Joins the consumer and token secrets without percent-encoding them.";
    KeyOmitsTokenSecret = "key-omits-token-secret", Deviation, "RFC 5849 §3.4.2 (the key is both secrets, `&`-joined)", "rfc5849-1.2-protected-resource",
        "Signs with the consumer secret alone (`cs&`), leaving the token secret out of the key though the request carries a token.";
    JsEncodeUriComponent = "encodes-like-encodeuricomponent", Deviation, "RFC 5849 §3.6 (only unreserved characters stay)", "edge-query-reserved-encoded",
        "Percent-encodes like JavaScript's encodeURIComponent, leaving `!*'()` unencoded.";
    SignsRealm = "signs-realm", Deviation, "RFC 5849 §3.4.1.3.1 (realm excluded)", "rfc5849-3.4.1-hmac-sha1",
        "Includes the realm in the signed parameters.";
    NamesNotEncoded = "names-not-encoded", Deviation, "RFC 5849 §3.4.1.3.2 step 1, §3.4.1.1 step 5 (names are encoded)", "rfc5849-3.4.1-hmac-sha1",
        "Writes parameter names into the normalized string, and from there into the base string, without percent-encoding them at all.";
    KeepsEmptyPort = "keeps-empty-port", Leniency, "RFC 5849 §3.4.1.2; RFC 3986 §3.2.3 (an empty port is the default port)", "edge-url-empty-port",
        "Keeps the `:` of an empty port in the base string URI.";
    OmitsRealm = "omits-realm", Limit, "RFC 5849 §3.5.1 item 4 (realm is sent when given)", "edge-realm-present",
        "Has no way to send the realm: the Authorization header carries none.";
    EmptyPathNotSlash = "empty-path-not-slash", Deviation, "RFC 5849 §3.4.1.2; RFC 7230 §5.3.1 (an empty path is sent as `/`)", "edge-url-empty-path",
        "Leaves an empty path empty in the base string URI instead of writing `/`.";
    KeepsUserinfo = "keeps-userinfo", Deviation, "RFC 5849 §3.4.1.2 (host and port as in the Host header)", "edge-url-userinfo",
        "Keeps `user:password@` in the base string URI.";
    ResolvesDotSegments = "resolves-dot-segments", Deviation, "RFC 5849 §3.4.1.2 (the path as sent)", "edge-more-dot-segments-kept",
        "Removes `.` and `..` segments from the path (RFC 3986 §5.2.4) before signing, though the request sends them.";
    KeepsFragment = "keeps-fragment", Deviation, "RFC 5849 §3.4.1.2 (no query or fragment)", "edge-url-fragment",
        "Keeps the `#fragment` in the base string URI.";
    LossyUtf8 = "lossy-utf8-decoding", Deviation, "RFC 5849 §3.4.1.3.1, §3.6 (octets are signed as sent)", "edge-query-non-utf8-octets",
        "Decodes parameters as UTF-8 text, replacing octets that are not UTF-8 with U+FFFD.";
    IndexesRepeatedQueryNames = "indexes-repeated-query-names", Deviation, "RFC 5849 §3.4.1.3.1 (names are signed as sent)", "lib-signet-duplicated-query-params",
        "Signs a name repeated in the query as `name[0]`, `name[1]`, … (Node's querystring array flattened by index).";
    QueryOverridesBody = "query-overrides-body", Deviation, "RFC 5849 §3.4.1.3.1 (every parameter of both sources is kept)", "edge-same-name-query-and-body",
        "Drops the form body's values of a name the query also has (one object keyed by name, the query written last).";
    HashesEmptyBodyAsBraces = "hashes-empty-body-as-braces", Deviation, "draft-eaton-oauth-bodyhash §3.1 (an empty body hashes zero octets)", "lib-pyoauth2-encoded-path-u2019",
        "Computes the oauth_body_hash of an absent or empty body over the text `{}` (an empty object, JSON-serialized).";
    AddsBodyHashToBodyMethods = "adds-body-hash-to-post-put-patch", Leniency, "draft-eaton-oauth-bodyhash §3.1 (added when asked)", "rfc5849-1.2-temporary-credentials",
        "Adds oauth_body_hash to every POST, PUT or PATCH request without a form body, unasked, hashing zero octets when there is no body.";
    AddsBodyHashToEveryRequest = "adds-body-hash-to-every-request", Leniency, "draft-eaton-oauth-bodyhash §3.1 (added when asked)", "rfc5849-1.2-protected-resource",
        "Adds oauth_body_hash to every request without a form body, unasked, whatever the method, hashing zero octets when there is no body.";
    SendsEmptyRealm = "sends-empty-realm", Leniency, "RFC 5849 §3.5.1 item 4 (realm is sent when given)", "edge-empty-token",
        "Sends `realm=\"\"` in the Authorization header when no realm was given.";
    DropsValuelessQueryParameters = "drops-valueless-query-parameters", Deviation, "RFC 5849 §3.4.1.3.1 (a name without `=` has an empty value)", "edge-name-without-equals",
        "Drops a query parameter written without `=` (`?flag`), while `flag=` is kept.";
    SemicolonSeparatesQuery = "semicolon-separates-query", Deviation, "RFC 5849 §3.4.1.3.1 (W3C form decoding splits on `&` only)", "edge-query-semicolon",
        "Splits the query on `;` as well as on `&`.";
    KeepsEmptyQuerySegments = "keeps-empty-query-segments", Deviation, "RFC 5849 §3.4.1.3.1 (W3C form decoding skips empty sequences)", "edge-query-empty-segments",
        "Signs an empty query segment (`a=1&&b=2`) as a parameter with an empty name and value; empty segments at the end are dropped.";
    QueryOctetsReencoded = "query-octets-reencoded-as-utf8", Deviation, "RFC 5849 §3.4.1.3.1, §3.6 (octets are encoded once)", "edge-query-unicode-names",
        "Reads each decoded query octet as a Latin-1 character and UTF-8 encodes it again (`caf%C3%A9` → `caf%C3%83%C2%A9`).";
    DropsEmptyProtocolParameters = "drops-empty-protocol-parameters", Leniency, "RFC 5849 §3.1 (an empty value is a value)", "edge-empty-token",
        "Leaves out a protocol parameter whose value is empty (an empty oauth_token, oauth_version, …), from the base string and the header.";
    UnbracketsIpv6Host = "unbrackets-ipv6-host", Deviation, "RFC 5849 §3.4.1.2; RFC 3986 §3.2.2 (an IPv6 literal is bracketed)", "edge-url-ipv6",
        "Writes an IPv6 literal host without its brackets (`http://2001:db8::1:8080/x`).";
    DropsPort80ForAnyScheme = "drops-port-80-for-any-scheme", Deviation, "RFC 5849 §3.4.1.2 (only the scheme's default port is dropped)", "edge-url-https-port-80",
        "Treats `:80` as the default port of every scheme: drops it from `https` URLs too and keeps `:443`.";
    SortsValuesUnencoded = "sorts-values-unencoded", Deviation, "RFC 5849 §3.4.1.3.2 (values sorted after encoding)", "edge-sort-encoded-values",
        "Sorts by encoded name, but the values of one name by their decoded text.";
    CollapsesBodyDuplicatesLast = "collapses-body-duplicates-last-wins", Deviation, "RFC 5849 §3.4.1.3.2 (every parameter is kept)", "lib-ddo-put-form-repeated-name",
        "Takes the form body as one value per name (a hash: the last value wins), while the query keeps every value.";
    ExtrasOutsideHeader = "sends-extra-protocol-parameters-outside-header", Deviation, "RFC 5849 §3.5 (protocol parameters are sent together, in one channel)", "lib-oauthsign-twitter-request-token-hmac-sha1",
        "Signs extra protocol parameters (oauth_callback, oauth_verifier, …) but sends them in the query or body, leaving them out of the Authorization header.";
    DecodesUnreservedPathEscapes = "decodes-unreserved-path-escapes", Deviation, "RFC 5849 §3.4.1.2 (the path as sent; RFC 3986 §6.2.2.2 is not applied)", "edge-url-encoded-unreserved-in-path",
        "Decodes percent-encoded unreserved characters in the path before signing (`%7E` → `~`, `%2D` → `-`).";
    UppercasesPathEscapes = "uppercases-path-escapes", Deviation, "RFC 5849 §3.4.1.2 (the path as sent; RFC 3986 §6.2.2.1 is not applied)", "edge-url-lowercase-escapes-in-path",
        "Uppercases the hex digits of the path's percent-encodings before signing (`%2f` → `%2F`).";
    EscapesPathLikeUrlParse = "escapes-path-like-node-url-parse", Deviation, "RFC 5849 §3.4.1.2 (the path as sent)", "edge-url-apostrophe-in-path",
        "Percent-encodes `'`, `{`, `}`, `|`, `^`, `` ` ``, `\"`, `<`, `>` and space in the path and turns `\\` into `/`, as Node's `url.parse` does.";
    DropsRootPathAfterNormalizing = "drops-root-path-after-normalizing-authority", Deviation, "RFC 5849 §3.4.1.2; RFC 7230 §5.3.1 (an empty path is sent as `/`)", "edge-url-ipv6-default-port",
        "Writes an empty path, and a root path `/` whenever the scheme, host or port as written differ from the base string URI's, as nothing (`https://EXAMPLE.com:443/` → `https://example.com`).";
    EncodesRealmInHeader = "percent-encodes-realm-in-header", Deviation, "RFC 5849 §3.5.1 (realm is written as RFC 2617 defines it, not percent-encoded)", "lib-ddo-put-form-repeated-name",
        "Percent-encodes the realm in the Authorization header like the other parameters (`realm=\"Photos%20Server\"`).";
    NamesEncodedOnce = "names-encoded-once", Deviation, "RFC 5849 §3.4.1.3.2 step 1, §3.4.1.1 step 5 (names are encoded, then the whole string again)", "rfc5849-3.4.1-hmac-sha1",
        "Writes parameter names into the normalized string without percent-encoding them (and sorts them so), so the base string, which encodes that string as a whole, carries them encoded once: `c@` as `c%40`, not `c%2540`.";
    ConsumerKeyNotEncoded = "consumer-key-not-encoded", Deviation, "RFC 5849 §3.4.1.3.2 step 1, §3.5.1 item 1 (values are encoded)", "edge-more-consumer-key-reserved-characters",
        "Writes oauth_consumer_key as given, without percent-encoding it, into the normalized string (so the base string carries it encoded once) and into the Authorization header.";
    HeaderValuesNotEncoded = "header-values-not-encoded", Deviation, "RFC 5849 §3.5.1 item 1 (names and values encoded per §3.6)", "edge-more-callback-with-percent-escapes",
        "Writes the protocol parameters' values but oauth_signature into the Authorization header as given, without percent-encoding them, so a server decodes a `%` in one (`t%k n`, `a=%20b`) or chokes on it.";
    HeaderValuesUnquoted = "header-values-unquoted", Deviation, "RFC 5849 §3.5.1 item 2 (each value between double quotes)", "lib-gomodule-hmac-sha1-example-com",
        "Writes the Authorization header's parameter values without double quotes (`OAuth oauth_consumer_key=dpf43f3p2l4k3l03, …`).";
    RsaSignatureRawOctets = "rsa-signature-not-base64", Deviation, "RFC 5849 §3.4.3.2 (the signature is base64-encoded)", "lib-pecl-rsa-sha1-512-bit-key",
        "Uses the raw RSA signature octets, each read as a Latin-1 character, as oauth_signature instead of their base64 encoding.";
    PlaintextOmitsTimestampNonce = "plaintext-omits-timestamp-and-nonce", Leniency, "RFC 5849 §3.1 (MAY be omitted with PLAINTEXT; the request gave them)", "lib-oauthruby-plaintext-header",
        "Leaves oauth_timestamp and oauth_nonce out of a PLAINTEXT request, even when given.";
    PlaintextSignatureEncoded = "plaintext-signature-encoded", Deviation, "RFC 5849 §3.4.4 (the signature is the key; only the header encodes it)", "oauthnet-concat-plaintext-request-token",
        "Percent-encodes the PLAINTEXT signature once more (`cs%26ts`), so the header carries it encoded twice.";
    RejectsRawIri = "rejects-raw-iri", Leniency, "RFC 3987 §3.1 (outside RFC 5849; the reference maps IRIs to URIs)", "edge-url-raw-iri",
        "Refuses to sign a URL with raw non-ASCII characters.";
    RejectsCharsetFormContentType = "rejects-charset-form-content-type", Limit, "RFC 5849 §3.4.1.3.1; RFC 7231 §3.1.1.1", "edge-form-charset",
        "Refuses a form body whose content type is not spelled exactly `application/x-www-form-urlencoded` (a `; charset=utf-8` parameter, another letter case).";
    RejectsValidInput = "rejects-valid-input", Limit, "RFC 5849 §3.4 (the input is well-formed)", "edge-query-control-chars",
        "Refuses to sign an input RFC 5849 defines a signature for (the message names what it chokes on).";
    OmitsRequestedBodyHash = "omits-requested-body-hash", Limit, "draft-eaton-oauth-bodyhash §3.1 (every request without a form body may carry one)", "sigmeth-body-hash-no-body",
        "Does not add the `oauth_body_hash` it was asked for on some requests (no body, or no content type).";
    RejectsBodyOnGet = "rejects-body-on-get", Limit, "RFC 5849 §3.4.1.3.1 (any method may carry a form body); RFC 7231 §4.3.1", "edge-form-empty-body",
        "Refuses to sign a GET or HEAD request that has a body.";
    RejectsFormLikeBody = "rejects-form-like-body", Limit, "RFC 5849 §3.4.1.3.1 (a body is a parameter source only with the form content type)", "edge-nonform-content-type",
        "Refuses a body that looks like form parameters when the content type is not form-urlencoded, instead of leaving it unsigned.";
    CannotExpressInput = "cannot-express-input", Limit, "n/a (an API limit, not a signature difference)", "edge-oauth-callback-oob",
        "The library's API has no way to send this input as given (an extra protocol parameter, an omitted nonce, the body hash).";
    HeaderParserRejectsValid = "header-parser-rejects-valid", Deviation, "RFC 5849 §3.5.1; RFC 2617 §1.2", "rfc5849-3.5.1-header",
        "The Authorization header parser refuses a well-formed header.";
    HeaderParserAcceptsMalformed = "header-parser-accepts-malformed", Leniency, "RFC 5849 §3.5.1; RFC 2617 §1.2", "authz-unquoted-value",
        "The Authorization header parser accepts a malformed header (unquoted values, missing commas, bad escapes, duplicates).";
    HeaderParserMisreadsValues = "header-parser-misreads-values", Deviation, "RFC 5849 §3.5.1 (values percent-decoded once)", "authz-plus-is-literal",
        "The Authorization header parser returns different names or values (not decoded, decoded twice, `+` as space, realm decoded).";
    VerifierRejectsValid = "verifier-rejects-valid", Deviation, "RFC 5849 §3.2", "verify-header-hmac-sha1",
        "The verifier rejects a correctly signed request (often a policy it cannot relax: nonce length, timestamp digits).";
    VerifierAcceptsInvalid = "verifier-accepts-invalid", Deviation, "RFC 5849 §3.2", "verify-mutated-body",
        "The verifier accepts a request RFC 5849 requires it to reject.";
    PanicsOnInput = "panics-on-input", Limit, "n/a (robustness: hostile input is normal input)", "authz-unquoted-value",
        "The implementation panics, crashes or raises outside its error type on this input.";
    FormContentTypeCaseSensitive = "form-content-type-case-sensitive", Deviation, "RFC 5849 §3.4.1.3.1; RFC 7231 §3.1.1.1 (media types are case-insensitive)", "edge-form-content-type-mixed-case",
        "Compares the content type with `application/x-www-form-urlencoded` letter by letter, so a body sent as `Application/X-WWW-Form-URLencoded` is left unsigned, as a body that is not a form.";
    KeepsHostCaseNotScheme = "keeps-host-case-not-scheme", Deviation, "RFC 5849 §3.4.1.2 (scheme and host lowercased)", "edge-url-uppercase-scheme-host",
        "Lowercases the scheme but keeps the host in its original case in the base string URI (`HTTPS://API.Example.COM` → `https://API.Example.COM`), as Python's `urlsplit` does.";
    DropsEmptyBodyValues = "drops-empty-body-values", Deviation, "RFC 5849 §3.4.1.3.1 (empty values are parameters)", "rfc5849-3.4.1-hmac-sha1",
        "Drops the form body's parameters whose value is empty (`c2`, `a=`) from the base string, while the query's are kept (Python's `parse_qs` without `keep_blank_values`).";
    SendsFormBodyInHeader = "sends-form-body-in-header", Deviation, "RFC 5849 §3.5.1 (the header carries the protocol parameters)", "lib-oauthsign-bracket-name-hmac-sha1",
        "Writes the signed form body's parameters into the Authorization header too, next to the protocol parameters.";
    QueryNameSpaceAsPlus = "query-name-space-as-plus", Deviation, "RFC 5849 §3.4.1.3.1 (names are decoded like values)", "lib-gomodule-special-characters",
        "Signs a space in a query parameter's name (`photo%20size`, `photo+size`) as a literal `+` (`photo%2Bsize`): the query is re-encoded with `+` for spaces and only the values are read back as form values.";
    CollapsesQueryDuplicatesLast = "collapses-query-duplicates-last-wins", Deviation, "RFC 5849 §3.4.1.3.2 (every parameter is kept)", "lib-signet-duplicated-query-params",
        "Takes the query as one value per name (the last value wins), while the form body keeps every value.";
    SplitsWholeUrl = "splits-whole-url-on-ampersand-and-question-mark", Deviation, "RFC 5849 §3.4.1.2, §3.4.1.3.1 (the base string URI is the normalized URL without its query; only the query is split into parameters)", "edge-more-query-value-with-raw-question-mark-and-slash",
        "Splits the whole URL as written (a form body appended), path included, on every `&` and `?`: the text before the first one is the URL the base string URI is made of, every other piece is a parameter, decoded leniently as a whole before it is cut at its first `=` (a piece without `=` is written `name=` with its name not percent-encoded), and `+` becomes a space in the path too.";
    EmptyValueReplacedByRepeat = "empty-value-replaced-by-repeat", Deviation, "RFC 5849 §3.4.1.3.2 (every parameter is kept, empty values included)", "edge-more-repeated-name-first-value-empty",
        "Reads a query or form body into one entry per name and tests the entry for truth before adding to it, so a name that holds a single empty value takes the next value of that name in its place (`a=&a=x` signs `a=x` only; `a=&a=` signs one `a=`); once a name holds a non-empty value every later value is kept.";
    DecodesPcharPathEscapes = "decodes-pchar-path-escapes", Deviation, "RFC 5849 §3.4.1.2 (the path as sent; RFC 3986 §6.2.2.2 is not applied)", "lib-signet-encoded-url-in-path",
        "Decodes the percent-encoding of every character a path segment may carry as it is (RFC 3986 `pchar`: unreserved, sub-delims, `:` and `@`) before signing, `%2F` excepted (`/https%3A%2F%2Fx` → `/https:%2F%2Fx`), as Addressable's `normalize` does.";
    DecodesEqualsInQueryNames = "decodes-equals-in-query-names", Deviation, "RFC 5849 §3.4.1.3.1 (a pair is cut at its first `=` before it is decoded)", "edge-more-encoded-equals-in-query-name",
        "Decodes `%3D` in each query pair before cutting the pair at its first `=` (Addressable's `normalize` unescapes every character a query may carry but `&` and `+`), so an encoded `=` in a name ends the name: `n%3D=x` is signed as name `n`, value `=x`.";
    DoubleSlashPathReadAsAuthority = "double-slash-path-read-as-authority", Deviation, "RFC 5849 §3.4.1.2 (the path as sent)", "edge-more-double-slash-path",
        "Parses the request path alone as a URI reference, so a path that starts with `//` reads its first segment as a host, which the connection's host then replaces: `//double//slash` is signed as `//slash` (the Ruby oauth gem's `URI.parse(request.path)`).";
    RsaReadsPkcs8KeysOnly = "rsa-reads-pkcs8-keys-only", Limit, "RFC 5849 §3.4.3 (the client's RSA private key, in whatever encoding)", "lib-pecl-rsa-sha1-512-bit-key",
        "Reads an RSA private key only as PKCS#8 PEM (`BEGIN PRIVATE KEY`): with a PKCS#1 `BEGIN RSA PRIVATE KEY` it gets no signature and sends the text `(null)` as oauth_signature.";
    SignsNonFormBody = "signs-non-form-body", Deviation, "RFC 5849 §3.4.1.3.1 (only a single-part application/x-www-form-urlencoded body is a parameter source)", "wild-xml-body-post",
        "Reads a body whose content type is not application/x-www-form-urlencoded (XML, JSON, text, none) as form data anyway, leniently as Python's `parse_qsl` does (a malformed escape kept, octets read as UTF-8), and signs its pairs (`<item c=\"d\"/>` signs the name `<item c` with the value `\"d\"/>`).";
    SignsJsonBodyMembers = "signs-json-body-members", Deviation, "RFC 5849 §3.4.1.3.1 (only a single-part application/x-www-form-urlencoded body is a parameter source)", "wild-json-body-put",
        "Signs the members of a JSON object body (`application/json` or `+json`) as parameters, as a framework's body parser merges them into the request's: a string as it is, any other value as its JSON text without whitespace (as `JSON.stringify` writes it).";
    SignsMultipartFormFields = "signs-multipart-form-fields", Deviation, "RFC 5849 §3.4.1.3.1 (only a single-part application/x-www-form-urlencoded body is a parameter source)", "wild-multipart-body-post",
        "Signs the fields of a `multipart/form-data` body (its parts without a file name) as parameters.";
    KeepsQueryInBaseStringUri = "keeps-query-in-base-string-uri", Deviation, "RFC 5849 §3.4.1.2 (the base string URI is built without the query)", "wild-unsorted-query",
        "Keeps the query (`?a=b&c=d`, as written) in the base string URI, while still signing its parameters.";
    EncodesSpaceAsPlus = "encodes-space-as-plus", Deviation, "RFC 5849 §3.6 (a space is `%20`, not `+`)", "wild-space-in-query-value",
        "Percent-encodes with an application/x-www-form-urlencoded encoder, writing a space as `+` (so the base string carries `%2B`) wherever it encodes: names, values, the base string, the key and the header.";
    LeavesReservedCharactersUnencoded = "leaves-reserved-characters-unencoded", Deviation, "RFC 5849 §3.6 (all other characters MUST be encoded)", "wild-reserved-characters-in-query-value",
        "Encodes parameter names and values for the normalized string like JavaScript's `encodeURI`, leaving the reserved characters `;/?:@&=+$,#` and `!*'()` unencoded (`Special:OAuth/identify` enters the base string as `Special%3AOAuth%2Fidentify`).";
    EncodesUnreservedCharacters = "encodes-unreserved-characters", Deviation, "RFC 5849 §3.6 (unreserved characters MUST NOT be encoded)", "wild-tilde-raw-and-encoded",
        "Percent-encodes `~` as `%7E` wherever it encodes (Python 2's `quote`, PHP's `rawurlencode` before 5.3), so `~bob` enters the base string as `%257Ebob`.";
    EncodesWithLowercaseHex = "encodes-with-lowercase-hex", Deviation, "RFC 5849 §3.6 (hexadecimal digits MUST be uppercase)", "wild-comma-in-query-value",
        "Writes every percent-encoding it makes with lowercase hexadecimal digits (`%2c`, `%3a`), in the normalized string, the base string, the key and the header.";
    EncodesValuesTwice = "encodes-values-twice", Deviation, "RFC 5849 §3.4.1.3.2 step 1 (each value is encoded once, then the whole string once)", "wild-callback-needs-encoding",
        "Percent-encodes every parameter value twice before normalizing (a value taken still encoded, then encoded), so `http://cb.example/` enters the base string as `http%25253A%25252F%25252Fcb.example%25252F`.";
    ReencodesPathEscapes = "reencodes-path-escapes", Deviation, "RFC 5849 §3.4.1.2 (the path as sent: `/r%20v/X` is `http://example.com/r%20v/X`)", "wild-encoded-space-in-path",
        "Percent-encodes the `%` of the escapes already in the path, so `/r%20v/X` enters the base string URI as `/r%2520v/X`.";
    DecodesPathEscapes = "decodes-path-escapes", Deviation, "RFC 5849 §3.4.1.2 (the path as sent: `/r%20v/X` is `http://example.com/r%20v/X`)", "wild-encoded-slash-in-path",
        "Percent-decodes the path before building the base string URI (as a server reading a decoded `PATH_INFO` does), so `/r%20v/X` is signed as `/r v/X` and `/a%2Fb` as `/a/b`.";
    SignatureNotEncoded = "signature-not-encoded", Deviation, "RFC 5849 §3.5.1 item 1 (values are encoded per §3.6)", "wild-space-in-query-value",
        "Writes the base64 oauth_signature into the Authorization header as it is, without percent-encoding it, so `+`, `/` and `=` reach the server raw (a form decoder reads `+` as a space).";
    KeyOmitsAmpersandWithoutToken = "key-omits-ampersand-without-token", Deviation, "RFC 5849 §3.4.2 (the `&` MUST be included even when either secret is empty)", "wild-two-legged-get",
        "Uses the encoded consumer secret alone (`cs`) as the key when the token secret is empty, instead of `cs&`.";
    DropsNonDefaultPort = "drops-non-default-port", Deviation, "RFC 5849 §3.4.1.2 (a non-default port MUST be included)", "wild-http-port-8080",
        "Leaves every port out of the base string URI, a non-default one (`:8080`, `:8443`) too.";
    DropsTrailingSlash = "drops-trailing-slash", Deviation, "RFC 5849 §3.4.1.2 (the path as sent)", "wild-trailing-slash",
        "Removes a trailing `/` from the path before signing (as `-[NSURL path]` does): `/api/library/` is signed as `/api/library`.";
    DropsPathParameters = "drops-path-parameters", Deviation, "RFC 5849 §3.4.1.2 (the path as sent)", "wild-path-parameters",
        "Removes the `;` parameters of the path's last segment before signing (as Python's `urlparse` and `urlunparse` without them do): `/mylogs;version=1.1` is signed as `/mylogs`.";
    LowercasesPath = "lowercases-path", Deviation, "RFC 5849 §3.4.1.2 (only the scheme and host are lowercased)", "wild-mixed-case-path",
        "Lowercases the whole URL, path included, before building the base string URI: `/Users/Bob` is signed as `/users/bob`.";
    StringifiesStructuredValues = "stringifies-structured-values", Deviation, "RFC 5849 §3.4.1.3.1 (each name/value pair of the query and body, as sent)", "wild-bracket-names-in-query",
        "Reads bracketed names of the query and of a form body as structures (`a[]=1&a[]=2` an array, `b[c]=d` an object, as Node's `qs` and PHP's `parse_str` do) and signs each under its base name as JavaScript's `String()` writes it: an array as its values joined by `,` (`a=1,2`), anything else as `[object Object]`.";
    SortsCaseInsensitively = "sorts-case-insensitively", Deviation, "RFC 5849 §3.4.1.3.2 (sorted by name, in ascending byte order)", "wild-uppercase-name",
        "Sorts parameters by name ignoring ASCII case, so `Title` comes after `oauth_token` instead of before it (`T` is 0x54, `o` 0x6F).";
    SortsNaturally = "sorts-naturally", Deviation, "RFC 5849 §3.4.1.3.2 (sorted by name, in ascending byte order)", "wild-nested-index-names",
        "Sorts parameter names in natural order, comparing runs of digits by their value (PHP's `natsort`): `i[2]` before `i[10]`, where byte order puts `i[10]` first.";
    LeavesParametersUnsorted = "leaves-parameters-unsorted", Deviation, "RFC 5849 §3.4.1.3.2 (all parameters sorted together)", "wild-unsorted-query",
        "Writes the request's own parameters (the query's, then the body's) in the order they were given, followed by the protocol parameters sorted, instead of sorting them all together.";
    OmitsExtraProtocolParameters = "omits-extra-protocol-parameters", Deviation, "RFC 5849 §3.4.1.3.1 (every parameter of the Authorization header but realm is signed)", "wild-access-token-verifier",
        "Sends protocol parameters beyond the core ones (oauth_verifier, oauth_callback) in the Authorization header but leaves them out of the signed parameters.";
    HeaderCommaAfterScheme = "header-comma-after-scheme", Deviation, "RFC 5849 §3.5.1; RFC 2617 §1.2 (the scheme is followed by whitespace, then the first parameter)", "wild-two-legged-get",
        "Writes a comma right after the scheme: `OAuth, oauth_consumer_key=\"…\", …`.";
    HeaderParametersSpaceSeparated = "header-parameters-space-separated", Deviation, "RFC 5849 §3.5.1 item 3 (parameters are separated by `,`)", "wild-two-legged-get",
        "Separates the Authorization header's parameters with spaces only, without commas: `OAuth oauth_consumer_key=\"…\" oauth_nonce=\"…\"`.";
    BodyHashOfHexDigest = "body-hash-of-hex-digest", Deviation, "draft-eaton-oauth-bodyhash §3.1 (the base64 of the digest's octets)", "wild-body-hash-xml-post",
        "Computes oauth_body_hash as the base64 of the digest's lowercase hexadecimal text instead of the base64 of its octets.";
    BodyHashKeyed = "body-hash-keyed", Deviation, "draft-eaton-oauth-bodyhash §3.1 (an unkeyed hash of the body)", "wild-body-hash-xml-post",
        "Computes oauth_body_hash as an HMAC of the body keyed with the signing key (`cs&ts`), with the body hash's digest, instead of a plain hash.";
    BodyHashNotSigned = "body-hash-not-signed", Deviation, "RFC 5849 §3.4.1.3.1 (every parameter of the Authorization header but realm is signed)", "wild-body-hash-xml-post",
        "Sends oauth_body_hash in the Authorization header but leaves it out of the signed parameters.";
    HashesAbsentBodyAsNone = "hashes-absent-body-as-none", Deviation, "draft-eaton-oauth-bodyhash §3.1 (a request without a body hashes zero octets)", "wild-body-hash-get-no-body",
        "Computes the oauth_body_hash of a request without a body over the text `None` (Python's `str(None)`), while an empty body hashes zero octets.";
    EncodesNonAsciiNotAsUtf8 = "encodes-non-ascii-not-as-utf8", Deviation, "RFC 5849 §3.6 step 1 (text is encoded as UTF-8 octets first)", "wild-latin1-character-in-query",
        "Percent-encodes a character U+0080–U+00FF as its one Latin-1 octet (`£` as `%A3`, not `%C2%A3`) and any character beyond as `%3F` (`?`, what a Latin-1 encoder writes for it), wherever it encodes text.";
    LeavesNonAsciiUnencoded = "leaves-non-ascii-unencoded", Deviation, "RFC 5849 §3.6 (all other characters MUST be encoded)", "wild-cjk-character-in-query",
        "Leaves octets 0x80–0xFF unencoded wherever it encodes, so the normalized string and the base string carry raw UTF-8 (`status=あ`).";
    SignsQueryTwice = "signs-query-twice", Deviation, "RFC 5849 §3.4.1.3.1 (each parameter of the query once)", "wild-unsorted-query",
        "Collects the query's parameters twice (from the parsed URL and again from a parameter map built from it), so each is signed twice.";
    SignsOauthSignature = "signs-oauth-signature", Deviation, "RFC 5849 §3.4.1.3.1 (oauth_signature MUST be excluded)", "wild-stale-signature-in-query",
        "Signs an oauth_signature parameter found among the query's or body's parameters (a stale one, left from an earlier signing) instead of excluding it.";
    NormalizesWithWrongSeparators = "normalizes-with-wrong-separators", Deviation, "RFC 5849 §3.4.1.3.2 items 3-4 (`=` between name and value, `&` between pairs)", "wild-unsorted-query",
        "Joins names, values and pairs with `,` (an array of pairs written as a string) instead of `=` and `&`: `a,1,b,2`.";
    RequiresOauthVersion = "requires-oauth-version", Deviation, "RFC 5849 §3.1 (oauth_version is OPTIONAL)", "verify-two-legged-no-token",
        "The verifier rejects (or fails on) a correctly signed request that carries no oauth_version.";
    RsaReadsPkcs1KeysOnly = "rsa-reads-pkcs1-keys-only", Limit, "RFC 5849 §3.4.3 (the client's RSA private key, in whatever encoding)", "sigmeth-rsa-sha1-pkcs8",
        "Reads an RSA private key only as PKCS#1 PEM (`BEGIN RSA PRIVATE KEY`) and refuses PKCS#8 (`BEGIN PRIVATE KEY`, OpenSSL 3's default).";
    SendsParametersAddedAfterSigning = "sends-parameters-added-after-signing", Wire, "RFC 5849 §3.4 (the signature covers the request as sent)", "",
        "Computes the signature, then adds parameters to the request it sends (a query given as an options object, an oauth_callback, a re-serialised nested body).";
    SendsParametersEncodedDifferently = "sends-parameters-encoded-differently", Wire, "RFC 5849 §3.4.1.3.1, §3.6", "",
        "Signs parameters with §3.6 encoding but sends them written by another encoder (`!*'()` raw, `%3A` rewritten by the HTTP stack); a server that signs the text as received rejects it.";
    ServerSignsInternalUrl = "server-signs-internal-url", Wire, "RFC 5849 §3.4.1.2 (host and port MUST match the Host header)", "",
        "A verifier behind a TLS-terminating proxy or load balancer builds the base string URI from the internal hop (`http`, an internal host or port) instead of the URL the client addressed.";
    ServerUsesConfiguredBaseUrl = "server-uses-configured-base-url", Wire, "RFC 5849 §3.4.1.2 (host and port MUST match the Host header)", "",
        "A verifier builds the authority from its configured site URL (a `www.` host, one fixed domain) instead of the Host header of the request.";
    ServerDoublesPathPrefix = "server-doubles-path-prefix", Wire, "RFC 5849 §3.4.1.2 (the path of the request)", "",
        "A verifier installed under a path prefix joins its home URL (which ends in the prefix) with the full request path, so the prefix appears twice in the base string URI.";
    TimestampInMilliseconds = "timestamp-in-milliseconds", Wire, "RFC 5849 §3.3 (seconds, unless the server's documentation says otherwise)", "",
        "Sends (or, on a server, requires) oauth_timestamp in milliseconds where the other side expects seconds.";
    AcceptsReplayedNonce = "accepts-replayed-nonce", Wire, "RFC 5849 §3.2, §3.3 (a used nonce/timestamp/token combination is refused)", "",
        "A verifier checks the signature and the timestamp window but keeps no record of used nonces, so an identical request is accepted again.";
    RepeatsNonce = "repeats-nonce", Wire, "RFC 5849 §3.3 (the nonce is unique per timestamp, credentials and token)", "",
        "A client sends the same nonce with the same timestamp for different requests (a constant, a value derived from a coarse clock, a timestamp that collides after rounding).";
    ResendsSignatureOnRedirect = "resends-signature-on-redirect", Wire, "RFC 5849 §3.3, §3.4.1.2 (each request is signed for its own URL with a fresh nonce)", "",
        "On a 30x response the client resends the Authorization header computed for the original URL, or signs the new location on top of the old protocol parameters.";
    ServerSignsRewrittenQuery = "server-signs-rewritten-query", Wire, "RFC 5849 §3.4.1.3.1 (parameters not in the request MUST be excluded)", "",
        "A verifier reads parameters from the framework's rewritten request, so a query parameter added by a URL rewrite rule (`q=/wc-api/v1/products`) is signed although the client never sent it.";
    IgnoresHostHeader = "ignores-host-header", Wire, "RFC 5849 §3.4.1.2 (host and port MUST match the Host header)", "",
        "Takes the host and port of the base string URI from the request URL even when the request is sent with another `Host` header (through a proxy, or to an IP address).";
    VerifierAcceptsStaleTimestamp = "verifier-accepts-stale-timestamp", Leniency, "RFC 5849 §3.3 (a server may refuse stale timestamps), §3.2", "verify-timestamp-stale-301s",
        "The verifier accepts a request whose oauth_timestamp lies far outside any window (a day old in the generated cases, 301 s in the corpus): it checks no timestamp, which leaves replays open wherever nonces are not stored forever.";
    StripsBracketIndexes = "strips-bracket-indexes", Deviation, "RFC 5849 §3.4.1.3.1 (each name/value pair of the query and body, as sent)", "wild-nested-index-names",
        "Signs a parameter name's numeric bracket indexes empty (`filter[0][in][10]` as `filter[][in][]`): the query and a form body are read as nested structures and written back with `[]` for each array level, as Faraday's nested-params encoder does (signet).";
    SendsQueryInHeader = "sends-query-in-header", Deviation, "RFC 5849 §3.5.1 (the header carries the protocol parameters)", "lib-oauthruby-get-query",
        "Writes the query's parameters into the Authorization header too, next to the protocol parameters.";
    EncodesUriAsLatin1 = "encodes-base-string-uri-as-latin1", Deviation, "RFC 5849 §3.4.1.2, §3.6 step 1 (text is encoded as UTF-8 octets first)", "edge-url-raw-iri",
        "Percent-encodes the base string URI's non-ASCII characters as Latin-1 octets (`é` as `%E9`, not `%C3%A9`; a character beyond U+00FF as `?`), while the parameters are encoded as UTF-8.";
    SignsFormBodyForPostOnly = "signs-form-body-for-post-only", Deviation, "RFC 5849 §3.4.1.3.1 (a form body is a parameter source whatever the method)", "lib-oauthruby-put-form-body-signed",
        "Signs an application/x-www-form-urlencoded body only when the method is POST, leaving the form body of a PUT, PATCH or DELETE unsigned (OAuth Core 1.0 §9.1.1 spoke of \"the HTTP POST request body\"; RFC 5849 names no method).";
}

impl Serialize for Quirk {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

impl<'de> serde::Deserialize<'de> for Quirk {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let id = std::borrow::Cow::<str>::deserialize(deserializer)?;
        Self::from_id(&id).ok_or_else(|| serde::de::Error::custom(format!("{id:?} is not a catalogued quirk id")))
    }
}

impl fmt::Display for Quirk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Quirk {
    /// Whether the quirk is a switch of [`sign_with_quirks`], so [`attribute`] can find it.
    /// The others describe rejections, parser and verifier verdicts and crashes, which no
    /// signing pipeline reproduces (a person assigns them to cases in a baseline), and what only
    /// the wire shows ([`QuirkKind::Wire`]).
    #[must_use]
    pub fn is_switchable(self) -> bool {
        self.kind() != QuirkKind::Wire
            && !matches!(
                self,
                Self::RejectsRawIri
                    | Self::RejectsBodyOnGet
                    | Self::RejectsFormLikeBody
                    | Self::OmitsRequestedBodyHash
                    | Self::RejectsCharsetFormContentType
                    | Self::RejectsValidInput
                    | Self::CannotExpressInput
                    | Self::HeaderParserRejectsValid
                    | Self::HeaderParserAcceptsMalformed
                    | Self::HeaderParserMisreadsValues
                    | Self::VerifierRejectsValid
                    | Self::VerifierAcceptsInvalid
                    | Self::VerifierAcceptsStaleTimestamp
                    | Self::PanicsOnInput
                    | Self::RequiresOauthVersion
                    | Self::RsaReadsPkcs1KeysOnly
            )
    }

    /// Why the quirk has its [`kind`](Self::kind), where the kind alone does not say it.
    #[must_use]
    pub fn kind_reason(self) -> Option<&'static str> {
        Some(match self {
            Self::AddsOauthVersion => "§3.1 makes oauth_version OPTIONAL, so a client may always send it; the case did not ask for it.",
            Self::AddsBodyHash => "the body-hash extension lets a client add one to any request without a form body; the case did not ask for it.",
            Self::AddsBodyHashToBodyMethods => "the body-hash extension lets a client add one to any request without a form body; the case did not ask for it.",
            Self::AddsBodyHashToEveryRequest => "the body-hash extension lets a client add one to any request without a form body; the case did not ask for it.",
            Self::BodyHashAlwaysSha1 => "draft-eaton-oauth-bodyhash defines the hash for HMAC-SHA1 and RSA-SHA1 only; which hash the other methods use is a choice (oauthlib makes this one).",
            Self::KeepsRawIri => "raw IRIs are outside RFC 5849 (the vector is `acceptable`); mapping them per RFC 3987 is the reference's choice.",
            Self::RejectsRawIri => "raw IRIs are outside RFC 5849 (the vector is `acceptable`), so refusing one is allowed.",
            Self::KeepsEmptyPort => "RFC 3986 makes an empty port the default one, but RFC 5849 never names it (the vector is `acceptable`).",
            Self::SendsEmptyRealm => "§3.5.1 item 4: the realm is OPTIONAL and MAY be added; an empty one changes no signature.",
            Self::DropsEmptyProtocolParameters => "§3.1: a client MAY omit an empty oauth_token; the case gave one.",
            Self::PlaintextOmitsTimestampNonce => "§3.1: both MAY be omitted with PLAINTEXT; the case gave them.",
            Self::HeaderParserAcceptsMalformed => "a parser that reads more than §3.5.1 lets a client send rejects nothing valid; the RFC sets no duty to refuse.",
            Self::OmitsRealm => "§3.5.1 item 4 makes the realm OPTIONAL; a library without a way to send it cannot express the request, which is an API limit.",
            Self::RejectsCharsetFormContentType => "a refusal gives no wrong answer, only none: the library cannot take an input RFC 5849 signs.",
            Self::RejectsValidInput => "a refusal gives no wrong answer, only none: the library cannot take an input RFC 5849 signs.",
            Self::RejectsBodyOnGet => "a refusal gives no wrong answer, only none (RFC 7231 §4.3.1 gives a GET body no meaning, RFC 5849 still signs its form parameters).",
            Self::RejectsFormLikeBody => "a refusal gives no wrong answer, only none: the library cannot take an input RFC 5849 signs.",
            Self::OmitsRequestedBodyHash => "the body hash is an extension the case asks for; the library cannot add it to these requests.",
            Self::CannotExpressInput => "an API limit: the library cannot be given this input, so nothing about its signing is known.",
            Self::PanicsOnInput => "a crash gives no answer at all; the harness's robustness rule (hostile input is normal input), not RFC 5849, names it.",
            Self::RsaReadsPkcs8KeysOnly => "§3.4.3 leaves the key's encoding out of scope; the library cannot read this one (and sends `(null)` instead of failing).",
            Self::HeaderParserRejectsValid => "§3.5.1 item 3 and RFC 2617 let a client send what this parser refuses, so the server rejects a valid request (§3.2).",
            Self::VerifierRejectsValid => "§3.2 lists what a server checks, and a correctly signed request passes every check (the cases keep the timestamp fresh and the nonce unused).",
            Self::DecodesUnreservedPathEscapes => "§3.4.1.2 builds the URI from the request as sent; RFC 3986 §6.2.2 normalisation is not one of its steps (the vector is `valid`).",
            Self::UppercasesPathEscapes => "§3.4.1.2 builds the URI from the request as sent; RFC 3986 §6.2.2 normalisation is not one of its steps (the vector is `valid`).",
            Self::ResolvesDotSegments => "§3.4.1.2 builds the URI from the request as sent; RFC 3986 §6.2.2 normalisation is not one of its steps (the vector is `valid`).",
            Self::HashesEmptyBodyAsBraces => "breaks draft-eaton-oauth-bodyhash (the hash of the body's octets), not RFC 5849.",
            Self::SendsFormBodyInHeader => "§3.5.1 carries protocol parameters; a server signs the body's parameters from the header and again from the body (§3.4.1.3.1).",
            Self::EncodesRealmInHeader => "§3.5.1 item 4: the realm is an RFC 2617 quoted-string, so a server reads `%20` literally.",
            Self::BodyHashOfHexDigest | Self::BodyHashKeyed | Self::HashesAbsentBodyAsNone => {
                "breaks draft-eaton-oauth-bodyhash (the hash of the body's octets), not RFC 5849."
            }
            Self::RequiresOauthVersion => "§3.1 makes oauth_version OPTIONAL, so a request without it is valid and a verifier that refuses it rejects a valid request (§3.2).",
            Self::RsaReadsPkcs1KeysOnly => "§3.4.3 leaves the key's encoding out of scope; the library cannot read this one and refuses to sign.",
            Self::HeaderCommaAfterScheme => "RFC 2617 §1.2 puts whitespace between the scheme and the first parameter; the comma makes an empty first list element, which Google's verifier refused.",
            Self::SendsParametersAddedAfterSigning => "the signer's own output is right for the request it was given; the request sent differs, so only a capture of the wire shows it.",
            Self::SendsParametersEncodedDifferently => "the signer's output is right; the HTTP layer rewrites the text it sends, which only a capture of the wire shows (a §3.4.1.3.1 server decodes it back and accepts).",
            Self::ServerSignsInternalUrl => "the verifier's base string depends on its deployment (proxy, scheme, port), which no single request given to a function shows; a probe of the running server does.",
            Self::ServerUsesConfiguredBaseUrl => "the verifier's base string depends on its configuration, which no single request given to a function shows; a probe of the running server does.",
            Self::ServerDoublesPathPrefix => "the verifier's base string depends on where it is installed, which no single request given to a function shows; a probe of the running server does.",
            Self::TimestampInMilliseconds => "the case gives the timestamp, so a signer's unit shows only when it makes its own, on the wire; §3.3 lets a server document another unit, so the mistake is the mismatch.",
            Self::AcceptsReplayedNonce => "each case starts from an empty nonce store, so only a sequence of requests (the live modes) shows a replay accepted.",
            Self::RepeatsNonce => "the case gives the nonce, so only requests a client makes on its own, captured on the wire, show a repeated one.",
            Self::ResendsSignatureOnRedirect => "a redirect is a second request the client makes on its own; only a capture of the wire shows what it sends.",
            Self::ServerSignsRewrittenQuery => "the parameter is added by the server's URL rewriting, which no request given to a function shows; a probe of the running server does.",
            Self::IgnoresHostHeader => "a case gives one URL, whose authority is the Host header; a client that sends another Host than its URL's shows it only on the wire.",
            _ => return None,
        })
    }

    /// The quirk with this id.
    #[must_use]
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|q| q.id() == id)
    }
}

/// The catalogued quirks that write an Authorization header with `violation` (RFC 5849 §3.5.1 as
/// written, [`oauth1_reference::header_syntax`]), most likely first: what a violation found on the
/// wire or in a trace is named after. Empty where no catalogued quirk writes such a header.
#[must_use]
pub fn quirks_writing(violation: &Violation) -> Vec<Quirk> {
    match violation {
        Violation::CommaAfterScheme => vec![Quirk::HeaderCommaAfterScheme],
        Violation::MissingComma { .. } => vec![Quirk::HeaderParametersSpaceSeparated],
        Violation::Unquoted { .. } => vec![Quirk::HeaderValuesUnquoted],
        Violation::LowercaseHex { .. } => vec![Quirk::EncodesWithLowercaseHex],
        Violation::EncodedUnreserved { .. } => vec![Quirk::EncodesUnreservedCharacters],
        Violation::NotPercentEncoded { name, octet } => {
            let mut quirks = match name.as_str() {
                "oauth_signature" => vec![Quirk::SignatureNotEncoded],
                "oauth_consumer_key" => vec![Quirk::ConsumerKeyNotEncoded, Quirk::HeaderValuesNotEncoded],
                _ => vec![Quirk::HeaderValuesNotEncoded],
            };
            match octet {
                b'+' => quirks.push(Quirk::EncodesSpaceAsPlus),
                0x80.. => quirks.push(Quirk::LeavesNonAsciiUnencoded),
                _ => {}
            }
            quirks
        }
        Violation::BadEscape { name } if name == "oauth_consumer_key" => {
            vec![Quirk::ConsumerKeyNotEncoded, Quirk::HeaderValuesNotEncoded]
        }
        Violation::BadEscape { .. } => vec![Quirk::HeaderValuesNotEncoded],
        _ => Vec::new(),
    }
}

/// A catalogue entry, as reports and `docs` render it.
#[derive(Debug, Clone, Serialize)]
pub struct QuirkInfo {
    /// [`Quirk::id`].
    pub id: &'static str,
    /// [`Quirk::description`].
    pub description: &'static str,
    /// [`Quirk::kind`].
    pub kind: QuirkKind,
    /// [`Quirk::kind_reason`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind_reason: Option<&'static str>,
    /// [`Quirk::section`].
    pub section: &'static str,
    /// [`Quirk::minimal_vector`].
    pub minimal_vector: &'static str,
}

impl From<Quirk> for QuirkInfo {
    fn from(q: Quirk) -> Self {
        Self {
            id: q.id(),
            description: q.description(),
            kind: q.kind(),
            kind_reason: q.kind_reason(),
            section: q.section(),
            minimal_vector: q.minimal_vector(),
        }
    }
}

/// A set of quirks, applied together.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct QuirkSet(Vec<Quirk>);

impl QuirkSet {
    /// The set of `quirks`.
    #[must_use]
    pub fn of(quirks: &[Quirk]) -> Self {
        let mut quirks = quirks.to_vec();
        quirks.sort_unstable();
        quirks.dedup();
        Self(quirks)
    }

    /// Whether `quirk` is in the set.
    #[must_use]
    pub fn has(&self, quirk: Quirk) -> bool {
        self.0.contains(&quirk)
    }

    /// The quirks, sorted.
    #[must_use]
    pub fn quirks(&self) -> &[Quirk] {
        &self.0
    }
}
