//! The quirk catalogue: named, switchable deviations from RFC 5849, and a signing pipeline
//! that applies any set of them.
//!
//! "Implementation X = the reference with quirks Q" is then a computation, not a judgement:
//! [`attribute`] searches small quirk sets for one whose pipeline reproduces exactly what an
//! implementation produced.

use std::fmt;

use serde::Serialize;

use base64::prelude::{Engine as _, BASE64_STANDARD};
use oauth1_reference::body_hash::{body_hash, BodyHashAlgorithm};
use oauth1_reference::encoding::{percent_decode, percent_encode, percent_encode_into};
use oauth1_reference::header::build_authorization_header;
use oauth1_reference::parameters::{is_form_urlencoded, FORM_URLENCODED};
use oauth1_reference::rsa_signature::{open_rsa_signature, rsa_sign, OpenedRsaSignature, RsaPrivateKey};
use oauth1_reference::signature::{hmac_signature, SignatureMethod};
use oauth1_reference::uri::{default_port, parse_request_url, push_iri_as_uri};

use oauth1_vectors::SignRequest;

use crate::implementation::SignInput;
use crate::trace::{Stage, Trace};

macro_rules! quirks {
    ($($variant:ident = $id:literal, $section:literal, $vector:literal, $description:literal;)*) => {
        /// A named deviation from RFC 5849 that real implementations show.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Quirk { $(#[doc = $description] $variant,)* }

        impl Quirk {
            /// Every catalogued quirk.
            pub const ALL: &'static [Quirk] = &[$(Quirk::$variant,)*];

            /// The short stable id used in baselines and reports.
            #[must_use]
            pub fn id(self) -> &'static str { match self { $(Quirk::$variant => $id,)* } }

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
    AddsOauthVersion = "adds-oauth-version", "RFC 5849 §3.1 (oauth_version is OPTIONAL)", "rfc5849-3.4.1-hmac-sha1",
        "Sends and signs oauth_version=\"1.0\" even when the request did not ask for it.";
    AddsBodyHash = "adds-body-hash", "draft-eaton-oauth-bodyhash §3.1", "edge-json-body-ignored",
        "Adds oauth_body_hash to every request with a non-form body, unasked.";
    BodyHashAlwaysSha1 = "body-hash-always-sha1", "draft-eaton-oauth-bodyhash §3.1", "sigmeth-body-hash-hmac-sha256-json",
        "Computes oauth_body_hash with SHA-1 whatever the signature method.";
    SortsUnencoded = "sorts-unencoded-keys", "RFC 5849 §3.4.1.3.2 (sort after encoding)", "edge-sort-encoded-names",
        "Sorts parameters by their decoded names and values instead of the encoded ones.";
    SortsJoinedPairs = "sorts-joined-pairs", "RFC 5849 §3.4.1.3.2 (sort by name, then by value)", "edge-prefix-names",
        "Sorts the joined `name=value` strings, so `a-b=1` sorts before `a=1` (`-` < `=`).";
    KeepsRawIri = "keeps-raw-iri", "RFC 3987 §3.1 (the reference maps IRIs to URIs); RFC 5849 §3.6", "edge-url-raw-iri",
        "Leaves raw non-ASCII path characters unencoded in the base string URI.";
    DropsRealmNamedParameter = "drops-realm-named-parameter", "RFC 5849 §3.4.1.3.1 (only the header's realm is excluded)", "edge-more-realm-named-query-param",
        "Drops a query or body parameter named `realm` from the signed parameters.";
    SortsByNameOnly = "sorts-by-name-only", "RFC 5849 §3.4.1.3.2 (equal names sort by value)", "edge-duplicate-names-sorted-by-value",
        "Sorts by name only, leaving parameters with equal names in their original order.";
    CollapsesDuplicatesLast = "collapses-duplicates-last-wins", "RFC 5849 §3.4.1.3.2 (every parameter is kept)", "edge-duplicate-names-sorted-by-value",
        "Keeps one value per parameter name, the last one.";
    CollapsesDuplicatesFirst = "collapses-duplicates-first-wins", "RFC 5849 §3.4.1.3.2 (every parameter is kept)", "edge-duplicate-names-sorted-by-value",
        "Keeps one value per parameter name, the first one.";
    DropsEmptyValues = "drops-empty-values", "RFC 5849 §3.4.1.3.1 (empty values are parameters)", "rfc5849-3.4.1-hmac-sha1",
        "Drops parameters whose value is empty (`c2`, `c%40=`) from the base string.";
    IgnoresFormBody = "ignores-form-body", "RFC 5849 §3.4.1.3.1 (form-encoded body parameters)", "rfc5849-3.4.1-hmac-sha1",
        "Does not sign the parameters of an application/x-www-form-urlencoded body.";
    IgnoresFormBodyWithQuery = "ignores-form-body-with-query", "RFC 5849 §3.4.1.3.1", "rfc5849-3.4.1-hmac-sha1",
        "Does not sign the form body when the URL also has a query.";
    IgnoresQuery = "ignores-query", "RFC 5849 §3.4.1.3.1 (query component)", "rfc5849-3.4.1-hmac-sha1",
        "Does not sign the parameters of the URL's query.";
    PlusNotDecoded = "plus-not-decoded", "RFC 5849 §3.4.1.3.1 (W3C form decoding: `+` is a space)", "rfc5849-3.4.1-hmac-sha1",
        "Keeps `+` in the query and body as a literal plus sign instead of decoding it to a space.";
    NamesNotDecoded = "names-not-decoded", "RFC 5849 §3.4.1.3.1 (names are decoded too)", "rfc5849-3.4.1-hmac-sha1",
        "Decodes parameter values but not names, so `c%40` is encoded again as `c%2540`.";
    DoubleDecodes = "double-decodes", "RFC 5849 §3.4.1.3.1 (decode once)", "rfc5849-3.4.1-hmac-sha1",
        "Percent-decodes query and body parameters twice, so `%253D` becomes `=`; the second pass, as Python's `unquote`, keeps a malformed escape and turns octets that are not UTF-8 into U+FFFD (`%25bb` becomes U+FFFD).";
    CharsetMakesBodyUnsigned = "charset-content-type-not-form", "RFC 5849 §3.4.1.3.1; RFC 7231 §3.1.1.1", "edge-form-charset",
        "Treats `application/x-www-form-urlencoded; charset=utf-8` as a non-form body and leaves it unsigned.";
    KeepsDefaultPort = "keeps-default-port", "RFC 5849 §3.4.1.2 (default port excluded)", "edge-url-https-default-port",
        "Keeps `:80` / `:443` in the base string URI.";
    KeepsHostCase = "keeps-host-case", "RFC 5849 §3.4.1.2 (scheme and host lowercased)", "edge-url-uppercase-scheme-host",
        "Keeps the scheme and host in their original case in the base string URI.";
    MethodNotUppercased = "method-not-uppercased", "RFC 5849 §3.4.1.1 step 1", "edge-method-lowercase",
        "Uses the HTTP method as given instead of uppercasing it.";
    MethodNotEncoded = "method-not-encoded", "RFC 5849 §3.4.1.1 step 1, §3.6 (every base string element is encoded)", "edge-more-method-reserved-character",
        "Writes the HTTP method into the signature base string without percent-encoding it, so a method such as `GET&X` adds an element.";
    SecretsNotEncoded = "secrets-not-encoded", "RFC 5849 §3.4.2 (secrets percent-encoded in the key)", "sigmeth-hmac-sha1-secrets-need-encoding",
        "Joins the consumer and token secrets without percent-encoding them.";
    KeyOmitsTokenSecret = "key-omits-token-secret", "RFC 5849 §3.4.2 (the key is both secrets, `&`-joined)", "rfc5849-1.2-protected-resource",
        "Signs with the consumer secret alone (`cs&`), leaving the token secret out of the key though the request carries a token.";
    JsEncodeUriComponent = "encodes-like-encodeuricomponent", "RFC 5849 §3.6 (only unreserved characters stay)", "edge-query-reserved-encoded",
        "Percent-encodes like JavaScript's encodeURIComponent, leaving `!*'()` unencoded.";
    SignsRealm = "signs-realm", "RFC 5849 §3.4.1.3.1 (realm excluded)", "rfc5849-3.4.1-hmac-sha1",
        "Includes the realm in the signed parameters.";
    NamesNotEncoded = "names-not-encoded", "RFC 5849 §3.4.1.3.2 step 1, §3.4.1.1 step 5 (names are encoded)", "rfc5849-3.4.1-hmac-sha1",
        "Writes parameter names into the normalized string, and from there into the base string, without percent-encoding them at all.";
    KeepsEmptyPort = "keeps-empty-port", "RFC 5849 §3.4.1.2; RFC 3986 §3.2.3 (an empty port is the default port)", "edge-url-empty-port",
        "Keeps the `:` of an empty port in the base string URI.";
    OmitsRealm = "omits-realm", "RFC 5849 §3.5.1 item 4 (realm is sent when given)", "edge-realm-present",
        "Has no way to send the realm: the Authorization header carries none.";
    EmptyPathNotSlash = "empty-path-not-slash", "RFC 5849 §3.4.1.2; RFC 7230 §5.3.1 (an empty path is sent as `/`)", "edge-url-empty-path",
        "Leaves an empty path empty in the base string URI instead of writing `/`.";
    KeepsUserinfo = "keeps-userinfo", "RFC 5849 §3.4.1.2 (host and port as in the Host header)", "edge-url-userinfo",
        "Keeps `user:password@` in the base string URI.";
    ResolvesDotSegments = "resolves-dot-segments", "RFC 5849 §3.4.1.2 (the path as sent)", "edge-more-dot-segments-kept",
        "Removes `.` and `..` segments from the path (RFC 3986 §5.2.4) before signing, though the request sends them.";
    KeepsFragment = "keeps-fragment", "RFC 5849 §3.4.1.2 (no query or fragment)", "edge-url-fragment",
        "Keeps the `#fragment` in the base string URI.";
    LossyUtf8 = "lossy-utf8-decoding", "RFC 5849 §3.4.1.3.1, §3.6 (octets are signed as sent)", "edge-query-non-utf8-octets",
        "Decodes parameters as UTF-8 text, replacing octets that are not UTF-8 with U+FFFD.";
    IndexesRepeatedQueryNames = "indexes-repeated-query-names", "RFC 5849 §3.4.1.3.1 (names are signed as sent)", "lib-signet-duplicated-query-params",
        "Signs a name repeated in the query as `name[0]`, `name[1]`, … (Node's querystring array flattened by index).";
    QueryOverridesBody = "query-overrides-body", "RFC 5849 §3.4.1.3.1 (every parameter of both sources is kept)", "edge-same-name-query-and-body",
        "Drops the form body's values of a name the query also has (one object keyed by name, the query written last).";
    HashesEmptyBodyAsBraces = "hashes-empty-body-as-braces", "draft-eaton-oauth-bodyhash §3.1 (an empty body hashes zero octets)", "lib-pyoauth2-encoded-path-u2019",
        "Computes the oauth_body_hash of an absent or empty body over the text `{}` (an empty object, JSON-serialized).";
    AddsBodyHashToBodyMethods = "adds-body-hash-to-post-put-patch", "draft-eaton-oauth-bodyhash §3.1 (added when asked)", "rfc5849-1.2-temporary-credentials",
        "Adds oauth_body_hash to every POST, PUT or PATCH request without a form body, unasked, hashing zero octets when there is no body.";
    AddsBodyHashToEveryRequest = "adds-body-hash-to-every-request", "draft-eaton-oauth-bodyhash §3.1 (added when asked)", "rfc5849-1.2-protected-resource",
        "Adds oauth_body_hash to every request without a form body, unasked, whatever the method, hashing zero octets when there is no body.";
    SendsEmptyRealm = "sends-empty-realm", "RFC 5849 §3.5.1 item 4 (realm is sent when given)", "edge-empty-token",
        "Sends `realm=\"\"` in the Authorization header when no realm was given.";
    DropsValuelessQueryParameters = "drops-valueless-query-parameters", "RFC 5849 §3.4.1.3.1 (a name without `=` has an empty value)", "edge-name-without-equals",
        "Drops a query parameter written without `=` (`?flag`), while `flag=` is kept.";
    SemicolonSeparatesQuery = "semicolon-separates-query", "RFC 5849 §3.4.1.3.1 (W3C form decoding splits on `&` only)", "edge-query-semicolon",
        "Splits the query on `;` as well as on `&`.";
    KeepsEmptyQuerySegments = "keeps-empty-query-segments", "RFC 5849 §3.4.1.3.1 (W3C form decoding skips empty sequences)", "edge-query-empty-segments",
        "Signs an empty query segment (`a=1&&b=2`) as a parameter with an empty name and value; empty segments at the end are dropped.";
    QueryOctetsReencoded = "query-octets-reencoded-as-utf8", "RFC 5849 §3.4.1.3.1, §3.6 (octets are encoded once)", "edge-query-unicode-names",
        "Reads each decoded query octet as a Latin-1 character and UTF-8 encodes it again (`caf%C3%A9` → `caf%C3%83%C2%A9`).";
    DropsEmptyProtocolParameters = "drops-empty-protocol-parameters", "RFC 5849 §3.1 (an empty value is a value)", "edge-empty-token",
        "Leaves out a protocol parameter whose value is empty (an empty oauth_token, oauth_version, …), from the base string and the header.";
    UnbracketsIpv6Host = "unbrackets-ipv6-host", "RFC 5849 §3.4.1.2; RFC 3986 §3.2.2 (an IPv6 literal is bracketed)", "edge-url-ipv6",
        "Writes an IPv6 literal host without its brackets (`http://2001:db8::1:8080/x`).";
    DropsPort80ForAnyScheme = "drops-port-80-for-any-scheme", "RFC 5849 §3.4.1.2 (only the scheme's default port is dropped)", "edge-url-https-port-80",
        "Treats `:80` as the default port of every scheme: drops it from `https` URLs too and keeps `:443`.";
    SortsValuesUnencoded = "sorts-values-unencoded", "RFC 5849 §3.4.1.3.2 (values sorted after encoding)", "edge-sort-encoded-values",
        "Sorts by encoded name, but the values of one name by their decoded text.";
    CollapsesBodyDuplicatesLast = "collapses-body-duplicates-last-wins", "RFC 5849 §3.4.1.3.2 (every parameter is kept)", "lib-ddo-put-form-repeated-name",
        "Takes the form body as one value per name (a hash: the last value wins), while the query keeps every value.";
    ExtrasOutsideHeader = "sends-extra-protocol-parameters-outside-header", "RFC 5849 §3.5 (protocol parameters are sent together, in one channel)", "lib-oauthsign-twitter-request-token-hmac-sha1",
        "Signs extra protocol parameters (oauth_callback, oauth_verifier, …) but sends them in the query or body, leaving them out of the Authorization header.";
    DecodesUnreservedPathEscapes = "decodes-unreserved-path-escapes", "RFC 5849 §3.4.1.2 (the path as sent; RFC 3986 §6.2.2.2 is not applied)", "edge-url-encoded-unreserved-in-path",
        "Decodes percent-encoded unreserved characters in the path before signing (`%7E` → `~`, `%2D` → `-`).";
    UppercasesPathEscapes = "uppercases-path-escapes", "RFC 5849 §3.4.1.2 (the path as sent; RFC 3986 §6.2.2.1 is not applied)", "edge-url-lowercase-escapes-in-path",
        "Uppercases the hex digits of the path's percent-encodings before signing (`%2f` → `%2F`).";
    EscapesPathLikeUrlParse = "escapes-path-like-node-url-parse", "RFC 5849 §3.4.1.2 (the path as sent)", "edge-url-apostrophe-in-path",
        "Percent-encodes `'`, `{`, `}`, `|`, `^`, `` ` ``, `\"`, `<`, `>` and space in the path and turns `\\` into `/`, as Node's `url.parse` does.";
    DropsRootPathAfterNormalizing = "drops-root-path-after-normalizing-authority", "RFC 5849 §3.4.1.2; RFC 7230 §5.3.1 (an empty path is sent as `/`)", "edge-url-ipv6-default-port",
        "Writes an empty path, and a root path `/` whenever the scheme, host or port as written differ from the base string URI's, as nothing (`https://EXAMPLE.com:443/` → `https://example.com`).";
    EncodesRealmInHeader = "percent-encodes-realm-in-header", "RFC 5849 §3.5.1 (realm is written as RFC 2617 defines it, not percent-encoded)", "lib-ddo-put-form-repeated-name",
        "Percent-encodes the realm in the Authorization header like the other parameters (`realm=\"Photos%20Server\"`).";
    NamesEncodedOnce = "names-encoded-once", "RFC 5849 §3.4.1.3.2 step 1, §3.4.1.1 step 5 (names are encoded, then the whole string again)", "rfc5849-3.4.1-hmac-sha1",
        "Writes parameter names into the normalized string without percent-encoding them (and sorts them so), so the base string, which encodes that string as a whole, carries them encoded once: `c@` as `c%40`, not `c%2540`.";
    ConsumerKeyNotEncoded = "consumer-key-not-encoded", "RFC 5849 §3.4.1.3.2 step 1, §3.5.1 item 1 (values are encoded)", "edge-more-consumer-key-reserved-characters",
        "Writes oauth_consumer_key as given, without percent-encoding it, into the normalized string (so the base string carries it encoded once) and into the Authorization header.";
    HeaderValuesNotEncoded = "header-values-not-encoded", "RFC 5849 §3.5.1 item 1 (names and values encoded per §3.6)", "edge-more-callback-with-percent-escapes",
        "Writes the protocol parameters' values but oauth_signature into the Authorization header as given, without percent-encoding them, so a server decodes a `%` in one (`t%k n`, `a=%20b`) or chokes on it.";
    HeaderValuesUnquoted = "header-values-unquoted", "RFC 5849 §3.5.1 item 2 (each value between double quotes)", "lib-gomodule-hmac-sha1-example-com",
        "Writes the Authorization header's parameter values without double quotes (`OAuth oauth_consumer_key=dpf43f3p2l4k3l03, …`).";
    RsaSignatureRawOctets = "rsa-signature-not-base64", "RFC 5849 §3.4.3.2 (the signature is base64-encoded)", "lib-pecl-rsa-sha1-512-bit-key",
        "Uses the raw RSA signature octets, each read as a Latin-1 character, as oauth_signature instead of their base64 encoding.";
    PlaintextOmitsTimestampNonce = "plaintext-omits-timestamp-and-nonce", "RFC 5849 §3.1 (MAY be omitted with PLAINTEXT; the request gave them)", "lib-oauthruby-plaintext-header",
        "Leaves oauth_timestamp and oauth_nonce out of a PLAINTEXT request, even when given.";
    PlaintextSignatureEncoded = "plaintext-signature-encoded", "RFC 5849 §3.4.4 (the signature is the key; only the header encodes it)", "oauthnet-concat-plaintext-request-token",
        "Percent-encodes the PLAINTEXT signature once more (`cs%26ts`), so the header carries it encoded twice.";
    RejectsRawIri = "rejects-raw-iri", "RFC 3987 §3.1 (outside RFC 5849; the reference maps IRIs to URIs)", "edge-url-raw-iri",
        "Refuses to sign a URL with raw non-ASCII characters.";
    RejectsCharsetFormContentType = "rejects-charset-form-content-type", "RFC 5849 §3.4.1.3.1; RFC 7231 §3.1.1.1", "edge-form-charset",
        "Refuses a form body whose content type is not spelled exactly `application/x-www-form-urlencoded` (a `; charset=utf-8` parameter, another letter case).";
    RejectsValidInput = "rejects-valid-input", "RFC 5849 §3.4 (the input is well-formed)", "edge-query-control-chars",
        "Refuses to sign an input RFC 5849 defines a signature for (the message names what it chokes on).";
    OmitsRequestedBodyHash = "omits-requested-body-hash", "draft-eaton-oauth-bodyhash §3.1 (every request without a form body may carry one)", "sigmeth-body-hash-no-body",
        "Does not add the `oauth_body_hash` it was asked for on some requests (no body, or no content type).";
    RejectsBodyOnGet = "rejects-body-on-get", "RFC 5849 §3.4.1.3.1 (any method may carry a form body); RFC 7231 §4.3.1", "edge-form-empty-body",
        "Refuses to sign a GET or HEAD request that has a body.";
    RejectsFormLikeBody = "rejects-form-like-body", "RFC 5849 §3.4.1.3.1 (a body is a parameter source only with the form content type)", "edge-nonform-content-type",
        "Refuses a body that looks like form parameters when the content type is not form-urlencoded, instead of leaving it unsigned.";
    CannotExpressInput = "cannot-express-input", "n/a (an API limit, not a signature difference)", "edge-oauth-callback-oob",
        "The library's API has no way to send this input as given (an extra protocol parameter, an omitted nonce, the body hash).";
    HeaderParserRejectsValid = "header-parser-rejects-valid", "RFC 5849 §3.5.1; RFC 2617 §1.2", "rfc5849-3.5.1-header",
        "The Authorization header parser refuses a well-formed header.";
    HeaderParserAcceptsMalformed = "header-parser-accepts-malformed", "RFC 5849 §3.5.1; RFC 2617 §1.2", "authz-unquoted-value",
        "The Authorization header parser accepts a malformed header (unquoted values, missing commas, bad escapes, duplicates).";
    HeaderParserMisreadsValues = "header-parser-misreads-values", "RFC 5849 §3.5.1 (values percent-decoded once)", "authz-plus-is-literal",
        "The Authorization header parser returns different names or values (not decoded, decoded twice, `+` as space, realm decoded).";
    VerifierRejectsValid = "verifier-rejects-valid", "RFC 5849 §3.2", "verify-header-hmac-sha1",
        "The verifier rejects a correctly signed request (often a policy it cannot relax: nonce length, timestamp digits).";
    VerifierAcceptsInvalid = "verifier-accepts-invalid", "RFC 5849 §3.2", "verify-mutated-body",
        "The verifier accepts a request RFC 5849 requires it to reject.";
    PanicsOnInput = "panics-on-input", "n/a (robustness: hostile input is normal input)", "authz-unquoted-value",
        "The implementation panics, crashes or raises outside its error type on this input.";
    FormContentTypeCaseSensitive = "form-content-type-case-sensitive", "RFC 5849 §3.4.1.3.1; RFC 7231 §3.1.1.1 (media types are case-insensitive)", "edge-form-content-type-mixed-case",
        "Compares the content type with `application/x-www-form-urlencoded` letter by letter, so a body sent as `Application/X-WWW-Form-URLencoded` is left unsigned, as a body that is not a form.";
    KeepsHostCaseNotScheme = "keeps-host-case-not-scheme", "RFC 5849 §3.4.1.2 (scheme and host lowercased)", "edge-url-uppercase-scheme-host",
        "Lowercases the scheme but keeps the host in its original case in the base string URI (`HTTPS://API.Example.COM` → `https://API.Example.COM`), as Python's `urlsplit` does.";
    DropsEmptyBodyValues = "drops-empty-body-values", "RFC 5849 §3.4.1.3.1 (empty values are parameters)", "rfc5849-3.4.1-hmac-sha1",
        "Drops the form body's parameters whose value is empty (`c2`, `a=`) from the base string, while the query's are kept (Python's `parse_qs` without `keep_blank_values`).";
    SendsFormBodyInHeader = "sends-form-body-in-header", "RFC 5849 §3.5.1 (the header carries the protocol parameters)", "lib-oauthsign-bracket-name-hmac-sha1",
        "Writes the signed form body's parameters into the Authorization header too, next to the protocol parameters.";
    QueryNameSpaceAsPlus = "query-name-space-as-plus", "RFC 5849 §3.4.1.3.1 (names are decoded like values)", "lib-gomodule-special-characters",
        "Signs a space in a query parameter's name (`photo%20size`, `photo+size`) as a literal `+` (`photo%2Bsize`): the query is re-encoded with `+` for spaces and only the values are read back as form values.";
    CollapsesQueryDuplicatesLast = "collapses-query-duplicates-last-wins", "RFC 5849 §3.4.1.3.2 (every parameter is kept)", "lib-signet-duplicated-query-params",
        "Takes the query as one value per name (the last value wins), while the form body keeps every value.";
    SplitsWholeUrl = "splits-whole-url-on-ampersand-and-question-mark", "RFC 5849 §3.4.1.2, §3.4.1.3.1 (the base string URI is the normalized URL without its query; only the query is split into parameters)", "edge-more-query-value-with-raw-question-mark-and-slash",
        "Splits the whole URL as written (a form body appended), path included, on every `&` and `?`: the text before the first one is the URL the base string URI is made of, every other piece is a parameter, decoded leniently as a whole before it is cut at its first `=` (a piece without `=` is written `name=` with its name not percent-encoded), and `+` becomes a space in the path too.";
    EmptyValueReplacedByRepeat = "empty-value-replaced-by-repeat", "RFC 5849 §3.4.1.3.2 (every parameter is kept, empty values included)", "edge-more-repeated-name-first-value-empty",
        "Reads a query or form body into one entry per name and tests the entry for truth before adding to it, so a name that holds a single empty value takes the next value of that name in its place (`a=&a=x` signs `a=x` only; `a=&a=` signs one `a=`); once a name holds a non-empty value every later value is kept.";
    DecodesPcharPathEscapes = "decodes-pchar-path-escapes", "RFC 5849 §3.4.1.2 (the path as sent; RFC 3986 §6.2.2.2 is not applied)", "lib-signet-encoded-url-in-path",
        "Decodes the percent-encoding of every character a path segment may carry as it is (RFC 3986 `pchar`: unreserved, sub-delims, `:` and `@`) before signing, `%2F` excepted (`/https%3A%2F%2Fx` → `/https:%2F%2Fx`), as Addressable's `normalize` does.";
    DecodesEqualsInQueryNames = "decodes-equals-in-query-names", "RFC 5849 §3.4.1.3.1 (a pair is cut at its first `=` before it is decoded)", "edge-more-encoded-equals-in-query-name",
        "Decodes `%3D` in each query pair before cutting the pair at its first `=` (Addressable's `normalize` unescapes every character a query may carry but `&` and `+`), so an encoded `=` in a name ends the name: `n%3D=x` is signed as name `n`, value `=x`.";
    DoubleSlashPathReadAsAuthority = "double-slash-path-read-as-authority", "RFC 5849 §3.4.1.2 (the path as sent)", "edge-more-double-slash-path",
        "Parses the request path alone as a URI reference, so a path that starts with `//` reads its first segment as a host, which the connection's host then replaces: `//double//slash` is signed as `//slash` (the Ruby oauth gem's `URI.parse(request.path)`).";
    RsaReadsPkcs8KeysOnly = "rsa-reads-pkcs8-keys-only", "RFC 5849 §3.4.3 (the client's RSA private key, in whatever encoding)", "lib-pecl-rsa-sha1-512-bit-key",
        "Reads an RSA private key only as PKCS#8 PEM (`BEGIN PRIVATE KEY`): with a PKCS#1 `BEGIN RSA PRIVATE KEY` it gets no signature and sends the text `(null)` as oauth_signature.";
}

impl fmt::Display for Quirk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Quirk {
    /// Whether the quirk is a switch of [`sign_with_quirks`], so [`attribute`] can find it.
    /// The others describe rejections, parser and verifier verdicts and crashes, which no
    /// signing pipeline reproduces: a person assigns them to cases in a baseline.
    #[must_use]
    pub fn is_switchable(self) -> bool {
        !matches!(
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
                | Self::PanicsOnInput
        )
    }

    /// The quirk with this id.
    #[must_use]
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|q| q.id() == id)
    }
}

/// A catalogue entry, as reports and `docs` render it.
#[derive(Debug, Clone, Serialize)]
pub struct QuirkInfo {
    /// [`Quirk::id`].
    pub id: &'static str,
    /// [`Quirk::description`].
    pub description: &'static str,
    /// [`Quirk::section`].
    pub section: &'static str,
    /// [`Quirk::minimal_vector`].
    pub minimal_vector: &'static str,
}

impl From<Quirk> for QuirkInfo {
    fn from(q: Quirk) -> Self {
        Self { id: q.id(), description: q.description(), section: q.section(), minimal_vector: q.minimal_vector() }
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

/// A parameter as §3.4.1.3.2 sorts and writes it: its name and value as given, then encoded, and
/// whether the name is written as given ([`Param::name_verbatim`]).
type NormalizedPair = (Vec<u8>, Vec<u8>, String, String, bool);

/// One parameter on its way into the base string.
struct Param {
    name: Vec<u8>,
    value: Vec<u8>,
    /// Written into the normalized string as given, not percent-encoded (quirk
    /// `consumer-key-not-encoded`).
    value_verbatim: bool,
    /// The name written into the normalized string as given, though sorted as encoded (a
    /// piece without `=` under quirk `splits-whole-url-on-ampersand-and-question-mark`).
    name_verbatim: bool,
}

fn decode_component(raw: &[u8], plus_is_space: bool, twice: bool) -> Result<Vec<u8>, String> {
    let spaced: Vec<u8> =
        if plus_is_space { raw.iter().map(|&b| if b == b'+' { b' ' } else { b }).collect() } else { raw.to_vec() };
    let once = percent_decode(&spaced).map_err(|e| e.to_string())?;
    if twice {
        // The double-decoders seen are Python libraries, whose second pass is `unquote`: an
        // escape is decoded where well-formed and kept where not, and the octets are read as
        // UTF-8 with U+FFFD for what is not UTF-8.
        Ok(String::from_utf8_lossy(&decode_leniently(&once)).into_owned().into_bytes())
    } else {
        Ok(once)
    }
}

/// Where a parameter string comes from: some libraries read the query with another parser
/// than the body.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    Query,
    Body,
}

fn parse_form(input: &[u8], source: Source, quirks: &QuirkSet) -> Result<Vec<Param>, String> {
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
                return Ok(Param {
                    name: lossy(name),
                    value: lossy(value),
                    value_verbatim: false,
                    name_verbatim: false,
                });
            }
            if query_quirk(Quirk::QueryOctetsReencoded) {
                return Ok(Param {
                    name: latin1_to_utf8(&name),
                    value: latin1_to_utf8(&value),
                    value_verbatim: false,
                    name_verbatim: false,
                });
            }
            Ok(Param { name, value, value_verbatim: false, name_verbatim: false })
        })
        .collect::<Result<Vec<_>, String>>()?;
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
fn is_form_content_type(request: &SignRequest, quirks: &QuirkSet) -> bool {
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
fn split_whole_url(url: &str, form_body: Option<&str>, plus_is_space: bool) -> Result<(String, Vec<Param>), String> {
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
    let uri = pieces
        .next()
        .and_then(|piece| url.get(..piece.len()))
        .map(str::to_owned)
        .ok_or("the URL splits into no pieces")?;
    let params = pieces
        .map(|piece| {
            let decoded = decode_leniently(piece);
            // `oauth_serialize_url_sep` encodes a piece without `=` not at all, and adds the `=`.
            let (name, value, name_verbatim) = match decoded.iter().position(|&b| b == b'=') {
                Some(eq) => (decoded.get(..eq).unwrap_or_default(), decoded.get(eq + 1..).unwrap_or_default(), false),
                None => (decoded.as_slice(), &[][..], true),
            };
            Param { name: name.to_vec(), value: value.to_vec(), value_verbatim: false, name_verbatim }
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
    let hex = |b: Option<&u8>| b.and_then(|&b| char::from(b).to_digit(16)).and_then(|d| u8::try_from(d).ok());
    let bytes = path.as_bytes();
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
    String::from_utf8_lossy(&out).into_owned()
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
fn latin1_to_utf8(octets: &[u8]) -> Vec<u8> {
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

fn encode(input: &[u8], quirks: &QuirkSet, out: &mut String) {
    if quirks.has(Quirk::JsEncodeUriComponent) {
        for &b in input {
            if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
                out.push(char::from(b));
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    } else {
        percent_encode_into(input, out);
    }
}

fn encoded(input: &[u8], quirks: &QuirkSet) -> String {
    let mut out = String::with_capacity(input.len() * 3);
    encode(input, quirks, &mut out);
    out
}

/// The stages up to the signature base string, and what signing it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Prepared {
    method: SignatureMethod,
    body_hash: Option<String>,
    normalized: String,
    base_uri: String,
    base_string: String,
    key: String,
    protocol: Vec<(String, String)>,
    /// The realm as the Authorization header carries it (§3.5.1 item 4).
    realm: Option<String>,
    /// Whether an RSA signature is sent as raw octets instead of base64.
    raw_rsa_signature: bool,
    /// Whether an RSA method finds no key it can read, and so signs nothing.
    unreadable_rsa_key: bool,
    /// How the Authorization header writes the protocol parameters' values.
    header_values: HeaderValues,
}

/// How an Authorization header writes its parameters' values (§3.5.1 items 1 and 2), with the
/// header quirks; the default is the reference's way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct HeaderValues {
    /// Without the double quotes (quirk `header-values-unquoted`).
    unquoted: bool,
    /// The parameters whose values are written as given instead of percent-encoded, among
    /// those whose encoding differs from the value (so that the quirks that would write them
    /// so change nothing on an input without one).
    verbatim: Vec<String>,
}

impl HeaderValues {
    fn of(protocol: &[(String, String)], quirks: &QuirkSet) -> Self {
        let written_as_given = |name: &str| {
            quirks.has(Quirk::HeaderValuesNotEncoded)
                || (quirks.has(Quirk::ConsumerKeyNotEncoded) && name == "oauth_consumer_key")
        };
        let verbatim = protocol
            .iter()
            .filter(|(name, value)| written_as_given(name) && percent_encode(value.as_bytes()) != *value)
            .map(|(name, _)| name.clone())
            .collect();
        Self { unquoted: quirks.has(Quirk::HeaderValuesUnquoted), verbatim }
    }

    /// The Authorization header with `realm` (an RFC 2617 quoted-string, as the reference writes
    /// it, unless the values are unquoted: a library that writes `name=value` items writes the
    /// realm so too, as oauth1-client 0.1.0 does) and `protocol`.
    fn header(&self, realm: Option<&str>, protocol: &[(String, String)]) -> Result<String, String> {
        if *self == Self::default() {
            let pairs: Vec<(&[u8], &[u8])> = protocol.iter().map(|(n, v)| (n.as_bytes(), v.as_bytes())).collect();
            return build_authorization_header(realm, &pairs).map_err(|e| e.to_string());
        }
        let mut header = match realm {
            Some(realm) if self.unquoted => format!("OAuth realm={realm}"),
            _ => build_authorization_header(realm, &[]).map_err(|e| e.to_string())?,
        };
        let mut separator = if realm.is_some() { ", " } else { " " };
        let quote = if self.unquoted { "" } else { "\"" };
        for (name, value) in protocol {
            header.push_str(separator);
            separator = ", ";
            percent_encode_into(name.as_bytes(), &mut header);
            header.push('=');
            header.push_str(quote);
            if self.verbatim.contains(name) {
                header.push_str(value);
            } else {
                percent_encode_into(value.as_bytes(), &mut header);
            }
            header.push_str(quote);
        }
        Ok(header)
    }
}

/// Signs `input` the way an implementation with `quirks` would; with no quirks this is the
/// reference pipeline. Every stage is reported.
pub fn sign_with_quirks(input: &SignInput<'_>, quirks: &QuirkSet) -> Result<Trace, String> {
    let prepared = prepare(input, quirks)?;
    let private_key = match (prepared.method.rsa_hash(), input.secrets.rsa_private_key_pem.as_deref()) {
        (Some(_), Some(pem)) => Some(RsaPrivateKey::from_pem(pem).map_err(|e| e.to_string())?),
        (Some(_), None) => return Err("an RSA method needs a private key".into()),
        (None, _) => None,
    };
    complete(prepared, private_key.as_ref())
}

fn realm_sent(input: &SignInput<'_>, quirks: &QuirkSet) -> Option<String> {
    let realm = if quirks.has(Quirk::OmitsRealm) {
        None
    } else if quirks.has(Quirk::SendsEmptyRealm) {
        input.oauth.realm.as_deref().or(Some(""))
    } else {
        input.oauth.realm.as_deref()
    }?;
    Some(if quirks.has(Quirk::EncodesRealmInHeader) { encoded(realm.as_bytes(), quirks) } else { realm.to_owned() })
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

fn prepare(input: &SignInput<'_>, quirks: &QuirkSet) -> Result<Prepared, String> {
    let request = input.request;
    let oauth = input.oauth;
    let method = SignatureMethod::from_name(&oauth.signature_method).map_err(|e| e.to_string())?;
    let plus_is_space = !quirks.has(Quirk::PlusNotDecoded);
    let split = if quirks.has(Quirk::SplitsWholeUrl) {
        let form_body =
            request.body.as_deref().filter(|body| is_form_content_type(request, quirks) && !body.is_empty());
        Some(split_whole_url(&request.url, form_body, plus_is_space)?)
    } else {
        None
    };
    // The URL the base string URI is made of: under `splits-whole-url-…`, its first piece.
    let request_url = split.as_ref().map_or(request.url.as_str(), |(first, _)| first.as_str());
    let url = parse_request_url(request_url).map_err(|e| e.to_string())?;

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
        let dropped = if quirks.has(Quirk::DropsPort80ForAnyScheme) {
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
    } else if quirks.has(Quirk::KeepsRawIri) {
        base_uri.push_str(&path);
    } else {
        push_iri_as_uri(&path, &mut base_uri);
    }
    if let (true, Some((_, fragment))) = (quirks.has(Quirk::KeepsFragment), request_url.split_once('#')) {
        base_uri.push('#');
        base_uri.push_str(fragment);
    }
    if split.is_some() && plus_is_space {
        // liboauth turns every `+` of the URL, the path's too, into a space before it splits.
        base_uri = base_uri.replace('+', " ");
    }

    // §3.4.1.3.1, with the collection quirks.
    let is_form = is_form_content_type(request, quirks);
    let mut params = Vec::new();
    let has_query = url.query.is_some_and(|q| !q.is_empty());
    let splits_whole_url = split.is_some();
    if let Some((_, pieces)) = split {
        params.extend(pieces);
    } else if let (Some(query), false) = (url.query, quirks.has(Quirk::IgnoresQuery)) {
        params.extend(parse_form(query.as_bytes(), Source::Query, quirks)?);
        if quirks.has(Quirk::CollapsesQueryDuplicatesLast) {
            keep_last_of_each_name(&mut params);
        }
    }
    let query_names: Vec<Vec<u8>> = params.iter().map(|p| p.name.clone()).collect();
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
    let hash = if wants_body_hash && !is_form {
        let algorithm = if quirks.has(Quirk::BodyHashAlwaysSha1) {
            BodyHashAlgorithm::Sha1
        } else {
            BodyHashAlgorithm::for_method(method)
        };
        Some(body_hash(algorithm, body))
    } else {
        None
    };
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
    params.extend(protocol.iter().map(|(n, v)| Param {
        name: n.clone().into_bytes(),
        value: v.clone().into_bytes(),
        value_verbatim: quirks.has(Quirk::ConsumerKeyNotEncoded) && n == "oauth_consumer_key",
        name_verbatim: false,
    }));
    let body_signed = is_form
        && request.body.is_some()
        && !splits_whole_url
        && !quirks.has(Quirk::IgnoresFormBody)
        && !(quirks.has(Quirk::IgnoresFormBodyWithQuery) && has_query);
    if body_signed {
        let mut form = parse_form(body, Source::Body, quirks)?;
        if quirks.has(Quirk::DropsEmptyBodyValues) {
            form.retain(|p| !p.value.is_empty());
        }
        if quirks.has(Quirk::SendsFormBodyInHeader) {
            let text = |octets: &[u8]| String::from_utf8_lossy(octets).into_owned();
            protocol.extend(form.iter().map(|p| (text(&p.name), text(&p.value))));
        }
        if quirks.has(Quirk::QueryOverridesBody) {
            form.retain(|p| !query_names.contains(&p.name));
        }
        if quirks.has(Quirk::CollapsesBodyDuplicatesLast) {
            keep_last_of_each_name(&mut form);
        }
        params.extend(form);
    }
    if let (true, Some(realm)) = (quirks.has(Quirk::SignsRealm), oauth.realm.as_deref()) {
        params.push(Param {
            name: b"realm".to_vec(),
            value: realm.as_bytes().to_vec(),
            value_verbatim: false,
            name_verbatim: false,
        });
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
        for p in params {
            match kept.iter_mut().find(|k| k.name == p.name) {
                Some(existing) if last => *existing = p,
                Some(_) => {}
                None => kept.push(p),
            }
        }
        params = kept;
    }

    // §3.4.1.3.2, with the sorting and encoding quirks.
    let mut pairs: Vec<NormalizedPair> = params
        .into_iter()
        .map(|p| {
            let n = if quirks.has(Quirk::NamesNotEncoded) || quirks.has(Quirk::NamesEncodedOnce) {
                String::from_utf8_lossy(&p.name).into_owned()
            } else {
                encoded(&p.name, quirks)
            };
            let v = if p.value_verbatim {
                String::from_utf8_lossy(&p.value).into_owned()
            } else {
                encoded(&p.value, quirks)
            };
            (p.name, p.value, n, v, p.name_verbatim)
        })
        .collect();
    if quirks.has(Quirk::SortsJoinedPairs) {
        pairs.sort_by_cached_key(|p| format!("{}={}", p.2, p.3));
    } else if quirks.has(Quirk::SortsByNameOnly) {
        pairs.sort_by(|a, b| a.2.cmp(&b.2));
    } else if quirks.has(Quirk::SortsValuesUnencoded) {
        pairs.sort_by(|a, b| (&a.2, &a.1).cmp(&(&b.2, &b.1)));
    } else if quirks.has(Quirk::SortsUnencoded) {
        pairs.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    } else {
        pairs.sort_by(|a, b| (&a.2, &a.3).cmp(&(&b.2, &b.3)));
    }
    let normalized = pairs
        .iter()
        .map(
            |(name, _, n, v, name_verbatim)| {
                if *name_verbatim {
                    format!("{}={v}", String::from_utf8_lossy(name))
                } else {
                    format!("{n}={v}")
                }
            },
        )
        .collect::<Vec<_>>()
        .join("&");

    // §3.4.1.1.
    let method_text = if quirks.has(Quirk::MethodNotUppercased) {
        request.method.clone()
    } else {
        request.method.to_ascii_uppercase()
    };
    let parameters_component = if quirks.has(Quirk::NamesNotEncoded) {
        // The raw name passes through the second encoding too; only `=`, `&` and the value
        // are encoded again.
        pairs
            .iter()
            .map(|(_, _, n, v, _)| format!("{n}%3D{}", encoded(v.as_bytes(), quirks)))
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
    let method_component =
        if quirks.has(Quirk::MethodNotEncoded) { method_text } else { encoded(method_text.as_bytes(), quirks) };
    let base_string = format!("{}&{}&{}", method_component, encoded(base_uri.as_bytes(), quirks), parameters_component);

    // §3.4.2–§3.4.4.
    let secret = |s: &Option<String>| s.clone().unwrap_or_default();
    let token_secret =
        if quirks.has(Quirk::KeyOmitsTokenSecret) { String::new() } else { secret(&input.secrets.token_secret) };
    let key = if quirks.has(Quirk::SecretsNotEncoded) {
        format!("{}&{token_secret}", secret(&input.secrets.consumer_secret))
    } else {
        format!(
            "{}&{}",
            encoded(secret(&input.secrets.consumer_secret).as_bytes(), quirks),
            encoded(token_secret.as_bytes(), quirks)
        )
    };
    // A PLAINTEXT signature is the key itself (§3.4.4).
    let key = if quirks.has(Quirk::PlaintextSignatureEncoded) && method == SignatureMethod::Plaintext {
        encoded(key.as_bytes(), quirks)
    } else {
        key
    };
    if quirks.has(Quirk::ExtrasOutsideHeader) {
        protocol.retain(|(name, _)| !oauth.extra.iter().any(|(extra, _)| extra == name));
    }
    let raw_rsa_signature = quirks.has(Quirk::RsaSignatureRawOctets) && method.rsa_hash().is_some();
    // liboauth's NSS build (src/hash.c, `oauth_strip_pkcs` with `NS_PRIV_HEADER`) looks for
    // the PKCS#8 armour only.
    let unreadable_rsa_key = quirks.has(Quirk::RsaReadsPkcs8KeysOnly)
        && method.rsa_hash().is_some()
        && !input.secrets.rsa_private_key_pem.as_deref().is_some_and(|pem| pem.contains("-----BEGIN PRIVATE KEY-----"));
    let realm = realm_sent(input, quirks);
    let header_values = HeaderValues::of(&protocol, quirks);
    Ok(Prepared {
        method,
        body_hash: hash,
        normalized,
        base_uri,
        base_string,
        key,
        protocol,
        realm,
        raw_rsa_signature,
        unreadable_rsa_key,
        header_values,
    })
}

fn complete(prepared: Prepared, private_key: Option<&RsaPrivateKey>) -> Result<Trace, String> {
    let Prepared {
        method,
        body_hash,
        normalized,
        base_uri,
        base_string,
        key,
        mut protocol,
        realm,
        raw_rsa_signature,
        unreadable_rsa_key,
        header_values,
    } = prepared;
    let signature = match (method.rsa_hash(), private_key) {
        // What `snprintf("%s")` makes of liboauth's null signature.
        (Some(_), _) if unreadable_rsa_key => "(null)".to_owned(),
        (Some(hash), Some(private_key)) => {
            let signature = rsa_sign(hash, private_key, base_string.as_bytes()).map_err(|e| e.to_string())?;
            if raw_rsa_signature {
                let octets = BASE64_STANDARD.decode(signature).map_err(|e| e.to_string())?;
                String::from_utf8(latin1_to_utf8(&octets)).map_err(|e| e.to_string())?
            } else {
                signature
            }
        }
        (Some(_), None) => return Err("an RSA method needs a private key".into()),
        (None, _) => hmac_signature(method, key.as_bytes(), base_string.as_bytes()).unwrap_or(key),
    };
    protocol.push(("oauth_signature".into(), signature.clone()));
    let header = header_values.header(realm.as_deref(), &protocol)?;
    Ok(Trace {
        collected_parameters: None,
        body_hash,
        normalized_parameters: Some(normalized),
        base_string_uri: Some(base_uri),
        signature_base_string: Some(base_string),
        signature: Some(signature),
        authorization_header: Some(header),
        emitted_nonce: None,
        emitted_timestamp: None,
    })
}

/// What attribution needs of a case's keys and the observed signature, computed once per
/// case rather than once per candidate quirk set.
struct AttributionKeys {
    private_key: Option<RsaPrivateKey>,
    /// `None`: no RSA key, or `observed` reports no signature. `Some(None)`: the observed
    /// signature does not open under the public key (so no RSA candidate reproduces it).
    opened_signature: Option<Option<OpenedRsaSignature>>,
}

impl AttributionKeys {
    fn new(input: &SignInput<'_>, observed: &Trace) -> Self {
        let private_key =
            input.secrets.rsa_private_key_pem.as_deref().and_then(|pem| RsaPrivateKey::from_pem(pem).ok());
        let opened_signature = match (&private_key, observed.signature.as_deref()) {
            (Some(key), Some(signature)) => Some(open_rsa_signature(&key.public_key(), signature)),
            _ => None,
        };
        Self { private_key, opened_signature }
    }
}

/// Whether the stages before the signature can match `observed`: a cheap filter that spares
/// most candidates the HMAC or RSA operation. For RSA, when `observed` reports a signature,
/// it must verify against the candidate's base string: PKCS#1 v1.5 signatures are
/// deterministic, so a candidate whose signature would match always passes, and the observed
/// signature is opened once per case, so each candidate costs a hash, not an RSA operation.
fn prepared_may_reproduce(prepared: &Prepared, observed: &Trace, keys: &AttributionKeys) -> bool {
    let same = |seen: Option<&str>, ours: Option<&str>| seen.is_none() || seen == ours;
    let signature_may_match = match (prepared.method.rsa_hash(), &keys.opened_signature) {
        // A raw-octets signature is not the base64 the verifier reads: the full comparison decides.
        (Some(hash), Some(opened)) if !prepared.raw_rsa_signature && !prepared.unreadable_rsa_key => {
            opened.as_ref().is_some_and(|opened| opened.signs(hash, prepared.base_string.as_bytes()))
        }
        _ => true,
    };
    same(observed.body_hash.as_deref(), prepared.body_hash.as_deref())
        && same(observed.normalized_parameters.as_deref(), Some(&prepared.normalized))
        && same(observed.base_string_uri.as_deref(), Some(&prepared.base_uri))
        && same(observed.signature_base_string.as_deref(), Some(&prepared.base_string))
        && signature_may_match
}

/// Whether `candidate` reproduces `observed` on every stage `observed` reports (the header
/// compared as a parameter list, as in the judge).
#[must_use]
pub fn reproduces(candidate: &Trace, observed: &Trace) -> bool {
    Stage::ALL.into_iter().all(|stage| match (observed.stage(stage), candidate.stage(stage)) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(seen), Some(ours)) if stage == Stage::AuthorizationHeader => crate::judge::same_header_params(seen, ours),
        (Some(seen), Some(ours)) => seen == ours,
    })
}

/// The result of attributing one divergence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attribution {
    /// The smallest quirk set whose pipeline reproduces the implementation's output.
    Explained(QuirkSet),
    /// No set of up to [`MAX_QUIRKS`] quirks does.
    Unexplained,
}

/// The largest quirk set [`attribute`] tries.
pub const MAX_QUIRKS: usize = 3;

/// Finds the smallest set of up to [`MAX_QUIRKS`] quirks whose pipeline reproduces
/// `observed` on `input`. Only quirks that change the reference's stages on this input on
/// their own are combined, and a candidate is signed only when its earlier stages already
/// match, which keeps the search cheap even for RSA.
#[must_use]
pub fn attribute(input: &SignInput<'_>, observed: &Trace) -> Attribution {
    let keys = AttributionKeys::new(input, observed);
    let Ok(reference) = prepare(input, &QuirkSet::default()) else {
        return Attribution::Unexplained;
    };
    let required = required_quirk(observed);
    let try_set = |set: QuirkSet| -> Option<QuirkSet> {
        if required.is_some_and(|quirk| !set.has(quirk)) {
            return None;
        }
        let prepared = prepare(input, &set).ok()?;
        if !prepared_may_reproduce(&prepared, observed, &keys) {
            return None;
        }
        let trace = complete(prepared, keys.private_key.as_ref()).ok()?;
        reproduces(&trace, observed).then_some(set)
    };
    if let Some(set) = try_set(QuirkSet::default()) {
        return Attribution::Explained(set);
    }
    let relevant = relevant_quirks(input, &reference, Quirk::ALL);
    for &a in &relevant {
        if let Some(set) = try_set(QuirkSet::of(&[a])) {
            return Attribution::Explained(set);
        }
    }
    for (i, &a) in relevant.iter().enumerate() {
        for &b in relevant.iter().skip(i + 1) {
            if let Some(set) = try_set(QuirkSet::of(&[a, b])) {
                return Attribution::Explained(set);
            }
        }
    }
    for (i, &a) in relevant.iter().enumerate() {
        for (j, &b) in relevant.iter().enumerate().skip(i + 1) {
            for &c in relevant.iter().skip(j + 1) {
                if let Some(set) = try_set(QuirkSet::of(&[a, b, c])) {
                    return Attribution::Explained(set);
                }
            }
        }
    }
    Attribution::Unexplained
}

/// A quirk every set that reproduces `observed` must contain, read off the observed header:
/// without `header-values-unquoted` the pipeline always writes `oauth_signature="…"`, so a
/// header with no `"` at all can only come from a set with it. Skipping the sets without it
/// before preparing them leaves the search's answer unchanged and spares most of its work on
/// such implementations (twapi-oauth's cases need four to seven quirks each, so every one of
/// them exhausts the sets of three).
fn required_quirk(observed: &Trace) -> Option<Quirk> {
    observed
        .authorization_header
        .as_deref()
        .is_some_and(|header| !header.contains('"'))
        .then_some(Quirk::HeaderValuesUnquoted)
}

/// The switchable quirks among `quirks` that can change what `input` signs to: those that
/// change it alone, and those that change it on top of all of those (a body-hash digest
/// quirk matters only once another quirk adds a body hash).
fn relevant_quirks(input: &SignInput<'_>, reference: &Prepared, quirks: &[Quirk]) -> Vec<Quirk> {
    let changes = |set: &[Quirk], than: &Prepared| prepare(input, &QuirkSet::of(set)).is_ok_and(|p| p != *than);
    let switchable: Vec<Quirk> = quirks.iter().copied().filter(|q| q.is_switchable()).collect();
    let alone: Vec<Quirk> = switchable.iter().copied().filter(|&q| changes(&[q], reference)).collect();
    let Ok(with_all) = prepare(input, &QuirkSet::of(&alone)) else {
        return alone;
    };
    let mut relevant = alone.clone();
    for &q in switchable.iter().filter(|q| !alone.contains(q)) {
        let mut set = alone.clone();
        set.push(q);
        if changes(&set, &with_all) {
            relevant.push(q);
        }
    }
    relevant
}

/// The switchable quirks among `quirks`, beyond `relevant`, that change what `input` signs
/// to only two at a time: on an empty form body, reading its content type as no form changes
/// nothing until a body-hash quirk hashes the body then left unsigned, and that quirk changes
/// nothing while the body is a form.
fn relevant_in_pairs(input: &SignInput<'_>, quirks: &[Quirk], relevant: &[Quirk]) -> Vec<Quirk> {
    let Ok(base) = prepare(input, &QuirkSet::of(relevant)) else {
        return Vec::new();
    };
    let rest: Vec<Quirk> = quirks.iter().copied().filter(|q| q.is_switchable() && !relevant.contains(q)).collect();
    let mut found = Vec::new();
    for (i, &a) in rest.iter().enumerate() {
        for &b in rest.iter().skip(i + 1) {
            let mut set = relevant.to_vec();
            set.extend([a, b]);
            if prepare(input, &QuirkSet::of(&set)).is_ok_and(|p| p != base) {
                found.extend([a, b].into_iter().filter(|q| !found.contains(q)).collect::<Vec<_>>());
            }
        }
    }
    found
}

/// The switchable quirks among `quirks`, beyond `relevant`, that change what `input` signs
/// next to one of `relevant` though not next to all of them: a sort order that matters only
/// once another quirk has renamed a parameter is hidden when every relevant quirk is on at
/// once (one of them may drop the parameters altogether).
fn relevant_beside_one(input: &SignInput<'_>, quirks: &[Quirk], relevant: &[Quirk]) -> Vec<Quirk> {
    let alone: Vec<(Quirk, Prepared)> =
        relevant.iter().filter_map(|&a| prepare(input, &QuirkSet::of(&[a])).ok().map(|p| (a, p))).collect();
    let rest = quirks.iter().copied().filter(|q| q.is_switchable() && !relevant.contains(q));
    rest.filter(|&q| {
        alone.iter().any(|(a, beside)| prepare(input, &QuirkSet::of(&[*a, q])).is_ok_and(|p| p != *beside))
    })
    .collect()
}

/// The most fingerprint quirks [`attribute_within`] combines (2^12 subsets at most).
pub const MAX_FINGERPRINT: usize = 12;

/// Like [`attribute`], but searching every combination of an implementation's known quirks
/// (its fingerprint, from the divergences [`attribute`] explained): a generated request can
/// show four or five of one library's quirks at once, beyond a blind search of three.
#[must_use]
pub fn attribute_within(input: &SignInput<'_>, observed: &Trace, fingerprint: &[Quirk]) -> Attribution {
    let keys = AttributionKeys::new(input, observed);
    let Ok(reference) = prepare(input, &QuirkSet::default()) else {
        return Attribution::Unexplained;
    };
    let mut candidates = relevant_quirks(input, &reference, fingerprint);
    candidates.extend(relevant_in_pairs(input, fingerprint, &candidates));
    candidates.extend(relevant_beside_one(input, fingerprint, &candidates));
    candidates.truncate(MAX_FINGERPRINT);
    let mut masks: Vec<u32> = (1..(1u32 << candidates.len())).collect();
    masks.sort_by_key(|m| m.count_ones());
    let required = required_quirk(observed);
    for mask in masks {
        let set: Vec<Quirk> =
            candidates.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, q)| *q).collect();
        let set = QuirkSet::of(&set);
        if required.is_some_and(|quirk| !set.has(quirk)) {
            continue;
        }
        let Ok(prepared) = prepare(input, &set) else { continue };
        if !prepared_may_reproduce(&prepared, observed, &keys) {
            continue;
        }
        if complete(prepared, keys.private_key.as_ref()).is_ok_and(|t| reproduces(&t, observed)) {
            return Attribution::Explained(set);
        }
    }
    Attribution::Unexplained
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
}
