//! RFC 5849 §3.5.2 and §3.5.3: sending the protocol parameters in a form body or in the
//! request URI's query instead of the Authorization header (§3.5.1, [`crate::header`]).

use crate::encoding::percent_encode_into;

/// Appends `name=value` pairs, each side encoded per §3.6 (which is valid
/// `application/x-www-form-urlencoded` text), `&`-separated, to `out`.
fn append_pairs(out: &mut String, params: &[(String, String)]) {
    for (name, value) in params {
        if !out.is_empty() && !out.ends_with(['&', '?']) {
            out.push('&');
        }
        percent_encode_into(name.as_bytes(), out);
        out.push('=');
        percent_encode_into(value.as_bytes(), out);
    }
}

/// §3.5.2: the entity-body with the protocol parameters (`oauth_signature` included) added
/// to it; the request's content type must be `application/x-www-form-urlencoded`.
#[must_use]
pub fn form_body_with_protocol_parameters(body: &str, protocol: &[(String, String)]) -> String {
    let mut out = String::with_capacity(body.len() + 64 * protocol.len());
    out.push_str(body);
    append_pairs(&mut out, protocol);
    out
}

/// §3.5.3: the request URL with the protocol parameters added to its query (after any
/// existing query parameters, before a fragment).
#[must_use]
pub fn url_with_protocol_parameters(url: &str, protocol: &[(String, String)]) -> String {
    let (before_fragment, fragment) = match url.split_once('#') {
        Some((before, fragment)) => (before, Some(fragment)),
        None => (url, None),
    };
    let mut out = String::with_capacity(url.len() + 64 * protocol.len());
    out.push_str(before_fragment);
    if !before_fragment.contains('?') {
        out.push('?');
    }
    append_pairs(&mut out, protocol);
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> Vec<(String, String)> {
        [("oauth_consumer_key", "0685bd9184jfhq22"), ("oauth_signature", "wOJIO9A2W5mFwDgiDvZbTSMK/PY=")]
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .to_vec()
    }

    /// The §3.5.2 example shape: protocol parameters appended to the body, values encoded.
    #[test]
    fn form_body() {
        assert_eq!(
            form_body_with_protocol_parameters("", &params()),
            "oauth_consumer_key=0685bd9184jfhq22&oauth_signature=wOJIO9A2W5mFwDgiDvZbTSMK%2FPY%3D"
        );
        assert_eq!(
            form_body_with_protocol_parameters("a=1", &params()[..1]),
            "a=1&oauth_consumer_key=0685bd9184jfhq22"
        );
    }

    /// The §3.5.3 example shape: appended to an existing query.
    #[test]
    fn query() {
        assert_eq!(
            url_with_protocol_parameters("https://photos.example.net/photos?file=vacation.jpg", &params()[..1]),
            "https://photos.example.net/photos?file=vacation.jpg&oauth_consumer_key=0685bd9184jfhq22"
        );
        assert_eq!(
            url_with_protocol_parameters("http://x/p#frag", &params()[..1]),
            "http://x/p?oauth_consumer_key=0685bd9184jfhq22#frag"
        );
        assert_eq!(
            url_with_protocol_parameters("http://x/p?", &params()[..1]),
            "http://x/p?oauth_consumer_key=0685bd9184jfhq22"
        );
    }
}
