//! The passages of RFC 5849 a dossier quotes, verbatim (line breaks of the RFC's text joined),
//! by section: what a maintainer reads to see the requirement the finding breaks.

/// (section, title, passage).
const PASSAGES: &[(&str, &str, &str)] = &[
    (
        "3.1",
        "Making Requests",
        "An authenticated request includes several protocol parameters. Each parameter name begins with the \
         \"oauth_\" prefix, and the parameter names and values are case sensitive.",
    ),
    (
        "3.2",
        "Verifying Requests",
        "Servers receiving an authenticated request MUST validate it by: o Recalculating the request signature \
         independently as described in Section 3.4 and comparing it to the value received from the client via the \
         \"oauth_signature\" parameter. […] o If the \"oauth_version\" parameter is present, ensuring its value is \
         \"1.0\".",
    ),
    (
        "3.3",
        "Nonce and Timestamp",
        "The timestamp value MUST be a positive integer. Unless otherwise specified by the server's documentation, \
         the timestamp is expressed in the number of seconds since January 1, 1970 00:00:00 GMT.",
    ),
    (
        "3.4.1.1",
        "String Construction",
        "The signature base string is constructed by concatenating together, in order, the following HTTP request \
         elements: 1. The HTTP request method in uppercase. For example: \"HEAD\", \"GET\", \"POST\", etc. If the \
         request uses a custom HTTP method, it MUST be encoded (Section 3.6). 2. An \"&\" character (ASCII code \
         38). 3. The base string URI from Section 3.4.1.2, after being encoded (Section 3.6). 4. An \"&\" character \
         (ASCII code 38). 5. The request parameters as normalized in Section 3.4.1.3.2, after being encoded \
         (Section 3.6).",
    ),
    (
        "3.4.1.2",
        "Base String URI",
        "The scheme, authority, and path of the request resource URI [RFC3986] are included by constructing an \
         \"http\" or \"https\" URI representing the request resource (without the query or fragment) as follows: \
         1. The scheme and host MUST be in lowercase. 2. The host and port values MUST match the content of the \
         HTTP request \"Host\" header field. 3. The port MUST be included if it is not the default port for the \
         scheme, and MUST be excluded if it is the default. Specifically, the port MUST be excluded when making an \
         HTTP request [RFC2616] to port 80 or when making an HTTPS request [RFC2818] to port 443. All other \
         non-default port numbers MUST be included.",
    ),
    (
        "3.4.1.3.1",
        "Parameter Sources",
        "The parameters from the following sources are collected into a single list of name/value pairs: o The \
         query component of the HTTP request URI as defined by [RFC3986], Section 3.4. The query component is \
         parsed into a list of name/value pairs by treating it as an \"application/x-www-form-urlencoded\" string, \
         separating the names and values and decoding them as defined by [W3C.REC-html40-19980424], Section \
         17.13.4. o The OAuth HTTP \"Authorization\" header field (Section 3.5.1) if present. […] o The HTTP \
         request entity-body, but only if all of the following conditions are met: * The entity-body is \
         single-part. * The entity-body follows the encoding requirements of the \
         \"application/x-www-form-urlencoded\" content-type as defined by [W3C.REC-html40-19980424]. * The HTTP \
         request entity-header includes the \"Content-Type\" header field set to \
         \"application/x-www-form-urlencoded\". […] The \"oauth_signature\" parameter MUST be excluded from the \
         signature base string if present. Parameters not explicitly included in the request MUST be excluded \
         from the signature base string (e.g., the \"oauth_version\" parameter when omitted). […] Note that the \
         value of \"b5\" is \"=%3D\" and not \"==\". Both \"c@\" and \"c2\" have empty values. While the encoding \
         rules specified in this specification for the purpose of constructing the signature base string exclude \
         the use of a \"+\" character (ASCII code 43) to represent an encoded space character (ASCII code 32), \
         this practice is widely used in \"application/x-www-form-urlencoded\" encoded values, and MUST be \
         properly decoded, as demonstrated by one of the \"a3\" parameter instances (the \"a3\" parameter is used \
         twice in this request).",
    ),
    (
        "3.4.1.3.2",
        "Parameters Normalization",
        "The parameters collected in Section 3.4.1.3 are normalized into a single string as follows: 1. First, \
         the name and value of each parameter are encoded (Section 3.6). 2. The parameters are sorted by name, \
         using ascending byte value ordering. If two or more parameters share the same name, they are sorted by \
         their value. 3. The name of each parameter is concatenated to its corresponding value using an \"=\" \
         character (ASCII code 61) as a separator, even if the value is empty. 4. The sorted name/value pairs are \
         concatenated together into a single string by using an \"&\" character (ASCII code 38) as separator.",
    ),
    (
        "3.4.2",
        "HMAC-SHA1",
        "key is set to the concatenated values of: 1. The client shared-secret, after being encoded (Section \
         3.6). 2. An \"&\" character (ASCII code 38), which MUST be included even when either secret is empty. 3. \
         The token shared-secret, after being encoded (Section 3.6).",
    ),
    (
        "3.4.3",
        "RSA-SHA1",
        "S is the result signature used to set the value of the \"oauth_signature\" protocol parameter, after the \
         result octet string is base64-encoded per [RFC2045] section 6.8.",
    ),
    (
        "3.4.4",
        "PLAINTEXT",
        "The \"oauth_signature\" protocol parameter is set to the concatenated value of: 1. The client \
         shared-secret, after being encoded (Section 3.6). 2. An \"&\" character (ASCII code 38), which MUST be \
         included even when either secret is empty. 3. The token shared-secret, after being encoded (Section \
         3.6).",
    ),
    (
        "3.5",
        "Parameter Transmission",
        "When making an OAuth-authenticated request, protocol parameters as well as any other parameter using the \
         \"oauth_\" prefix SHALL be included in the request using one and only one of the following locations, \
         listed in order of decreasing preference: 1. The HTTP \"Authorization\" header field as described in \
         Section 3.5.1. 2. The HTTP request entity-body as described in Section 3.5.2. 3. The HTTP request URI \
         query as described in Section 3.5.3.",
    ),
    (
        "3.5.1",
        "Authorization Header",
        "Protocol parameters SHALL be included in the \"Authorization\" header field as follows: 1. Parameter \
         names and values are encoded per Parameter Encoding (Section 3.6). 2. Each parameter's name is \
         immediately followed by an \"=\" character (ASCII code 61), a \"\"\" character (ASCII code 34), the \
         parameter value (MAY be empty), and another \"\"\" character (ASCII code 34). 3. Parameters are \
         separated by a \",\" character (ASCII code 44) and OPTIONAL linear whitespace per [RFC2617]. 4. The \
         OPTIONAL \"realm\" parameter MAY be added and interpreted per [RFC2617] section 1.2.",
    ),
    (
        "3.6",
        "Percent Encoding",
        "1. Text values are first encoded as UTF-8 octets per [RFC3629] if they are not already. […] 2. The \
         values are then escaped using the [RFC3986] percent-encoding (%XX) mechanism as follows: * Characters in \
         the unreserved character set as defined by [RFC3986], Section 2.3 (ALPHA, DIGIT, \"-\", \".\", \"_\", \
         \"~\") MUST NOT be encoded. * All other characters MUST be encoded. * The two hexadecimal characters used \
         to represent encoded characters MUST be uppercase.",
    ),
];

/// The RFC 5849 sections a catalogue section text cites (`RFC 5849 §3.4.1.2; RFC 3986 …` cites
/// 3.4.1.2 only), each once, in order.
#[must_use]
pub(super) fn sections(cited: &str) -> Vec<&str> {
    let mut found: Vec<&str> = Vec::new();
    for part in cited.split(';').filter(|part| part.trim_start().starts_with("RFC 5849")) {
        for piece in part.split('§').skip(1) {
            let end = piece.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(piece.len());
            let section = piece[..end].trim_end_matches('.');
            if !section.is_empty() && !found.contains(&section) {
                found.push(section);
            }
        }
    }
    found
}

/// The passage quoted for `section`, with its title; a subsection without its own passage
/// (`3.4.1.3`) gets none.
#[must_use]
pub(super) fn passage(section: &str) -> Option<(&'static str, &'static str)> {
    PASSAGES.iter().find(|(s, _, _)| *s == section).map(|(_, title, text)| (*title, *text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_rfc_5849_sections_are_cited() {
        assert_eq!(sections("RFC 5849 §3.4.1.2; RFC 7230 §5.3.1 (an empty path)"), ["3.4.1.2"]);
        assert_eq!(sections("RFC 5849 §3.4.1.1 step 1, §3.6 (every element)"), ["3.4.1.1", "3.6"]);
        assert!(sections("draft-eaton-oauth-bodyhash §3.1").is_empty());
    }
}
