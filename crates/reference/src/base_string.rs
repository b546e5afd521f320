//! RFC 5849 §3.4.1.1 "String Construction" of the signature base string.

use crate::encoding::{encoded_text, is_unreserved, percent_encode_octets_into};
use crate::parameters::BaseStringParameters;
use crate::uri::RequestUrl;

/// §3.4.1.1 step 1: the HTTP request method in uppercase, percent-encoded (§3.6) so that a
/// custom method cannot inject `&`.
#[must_use]
pub fn base_string_method(method: &str) -> String {
    let mut out = Vec::with_capacity(method.len());
    push_base_string_method(method, &mut out);
    encoded_text(out)
}

/// Appends [`base_string_method`] to `out`.
fn push_base_string_method(method: &str, out: &mut Vec<u8>) {
    // Methods are short tokens of letters, which encoding leaves as they are: uppercased as
    // they are copied.
    if method.bytes().all(is_unreserved) {
        out.extend(method.bytes().map(|byte| byte.to_ascii_uppercase()));
        return;
    }
    let start = out.len();
    percent_encode_octets_into(method.as_bytes(), out);
    // Uppercasing after encoding leaves the escapes' uppercase hexadecimal digits as they are.
    if let Some(encoded) = out.get_mut(start..) {
        encoded.make_ascii_uppercase();
    }
}

/// §3.4.1.1: `METHOD&encoded base string URI&encoded normalized parameters`.
///
/// `base_string_uri` comes from [`crate::uri::base_string_uri`] (§3.4.1.2) and
/// `normalized_parameters` from [`crate::parameters::normalize_parameters`] (§3.4.1.3.2); both
/// are encoded once more here, which is why `%20` in a path appears as `%2520`.
#[must_use]
pub fn signature_base_string(method: &str, base_string_uri: &str, normalized_parameters: &str) -> String {
    let mut out = Vec::with_capacity(method.len() + 3 * (base_string_uri.len() + normalized_parameters.len()) / 2 + 2);
    push_base_string_method(method, &mut out);
    out.push(b'&');
    percent_encode_octets_into(base_string_uri.as_bytes(), &mut out);
    out.push(b'&');
    percent_encode_octets_into(normalized_parameters.as_bytes(), &mut out);
    encoded_text(out)
}

/// Appends the [`signature_base_string`] of the request URL and the parameters already encoded
/// for it to `out`, without the base string URI and the normalized parameter string as
/// intermediate stages. Sorts `parameters` (§3.4.1.3.2 step 2).
///
/// Calls `written` with the base string so far, from its start, after each piece it appends
/// (a few per request), so that a MAC can hash it while it is written.
pub fn push_signature_base_string_of(
    method: &str,
    url: &RequestUrl<'_>,
    parameters: &mut BaseStringParameters,
    out: &mut Vec<u8>,
    written: &mut impl FnMut(&[u8]),
) {
    out.reserve(signature_base_string_capacity(method, url, parameters));
    let start = out.len();
    push_base_string_method(method, out);
    out.push(b'&');
    url.push_encoded_base_string_uri(out);
    out.push(b'&');
    let mut written = |out: &[u8]| written(out.get(start..).unwrap_or_default());
    written(out);
    parameters.push_normalized_encoded(out, &mut written);
}

/// The most octets [`push_signature_base_string_of`] can append, so that its buffer is sized
/// once: encoding at most triples the method and the host, a raw non-ASCII path octet becomes
/// `%25XX` (RFC 3987 §3.1, then §3.6), the scheme, the port and the two `&` take at most 32,
/// and the parameters are already encoded.
#[must_use]
pub fn signature_base_string_capacity(method: &str, url: &RequestUrl<'_>, parameters: &BaseStringParameters) -> usize {
    3 * (method.len() + url.host.len()) + 5 * url.path.len() + 32 + parameters.normalized_encoded_len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The §3.4.1.1 example base string, printed in the RFC.
    #[test]
    fn rfc5849_section_3_4_1_1_example() {
        let normalized = "a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2\
                          &oauth_nonce=7d8f3e4a&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201\
                          &oauth_token=kkk9d7dh3k39sjv7";
        assert_eq!(
            signature_base_string("POST", "http://example.com/request", normalized),
            "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q\
             %26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_\
             key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m\
             ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk\
             9d7dh3k39sjv7"
        );
    }

    #[test]
    fn method_is_uppercased_and_encoded() {
        assert_eq!(base_string_method("get"), "GET");
        assert_eq!(base_string_method("m-search"), "M-SEARCH");
        assert_eq!(base_string_method("A&B"), "A%26B");
    }
}
