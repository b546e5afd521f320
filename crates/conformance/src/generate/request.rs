//! The request space the generator draws from: methods, URLs (schemes, hosts, ports, paths),
//! queries and form bodies written in every style clients use, non-form bodies, and protocol
//! parameters, kept inside the limits an implementation declares.

use proptest::prelude::*;

use oauth1_vectors::{OAuthParams, SignRequest, SignSecrets};

use crate::implementation::{Capabilities, SignInput};
use crate::limits::InputLimits;

/// The RSA key generated cases sign with (a test key, not a secret). 1,024 bits, as in the
/// RFC 5849 and oauth.net examples: signing dominates shrinking an RSA counterexample (the
/// implementation and the reference sign every candidate): with a 2,048-bit key the row
/// `oauth1-request/parameter-list` took 57 s of CPU for 300 generated cases, with this one 14.5 s.
pub const GENERATOR_RSA_KEY: &str = include_str!("../../data/generator-rsa-1024.pem");

/// The public half of [`GENERATOR_RSA_KEY`], which verifiers of generated cases get
/// (`openssl rsa -pubout` of it).
pub const GENERATOR_RSA_PUBLIC_KEY: &str = include_str!("../../data/generator-rsa-1024.pub.pem");

/// A generated signing input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedInput {
    /// The request.
    pub request: SignRequest,
    /// The protocol parameters.
    pub oauth: OAuthParams,
    /// The secrets (generated test data).
    pub secrets: SignSecrets,
}

impl GeneratedInput {
    /// As a job input.
    #[must_use]
    pub fn as_input(&self) -> SignInput<'_> {
        SignInput { request: &self.request, oauth: &self.oauth, secrets: &self.secrets }
    }
}

fn pick<T: Clone + std::fmt::Debug + 'static>(items: &'static [T]) -> impl Strategy<Value = T> {
    proptest::sample::select(items)
}

/// Text for names and values: the characters that break implementations, in decoded form.
fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        pick(&[
            "a", "b", "Z", "0", "1", "-", ".", "_", "~", " ", "+", "%", "&", "=", "/", "?", "*", "!", "'", "é", "€",
            "😀", "ü",
        ]),
        0..6,
    )
    .prop_map(|parts| parts.concat())
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => pick(&["a", "a1", "b", "c", "z", "A", "x_y", "a-b"]).prop_map(str::to_owned),
        // PHP and Rails bracket names, which WooCommerce, Magento and Rails apps use everywhere.
        2 => pick(&["a[]", "a[b]", "user[name]", "filter[0][id]"]).prop_map(str::to_owned),
        2 => text().prop_map(|n| if n.is_empty() { "n".to_owned() } else { format!("n{n}") }),
    ]
}

/// How one parameter is written into a query or a form body.
#[derive(Debug, Clone, Copy)]
enum Style {
    /// §3.6 encoding, `name=value`.
    Strict,
    /// Spaces as `+` (form encoding).
    PlusForSpace,
    /// Lowercase hexadecimal digits.
    LowercaseHex,
    /// `name` with no `=` (only for an empty value).
    NoEquals,
    /// Brackets in names left raw, as PHP's `http_build_query` users and browsers often send
    /// them (`a[]=1`); the rest as [`Style::Strict`].
    RawBrackets,
}

fn write_form(pairs: &[(String, String, Style)]) -> String {
    let encode = |text: &str, style: Style| {
        let strict = oauth1_reference::encoding::percent_encode(text.as_bytes());
        match style {
            Style::PlusForSpace => strict.replace("%20", "+"),
            Style::LowercaseHex => {
                let mut out = String::with_capacity(strict.len());
                let mut escape = 0;
                for c in strict.chars() {
                    if c == '%' {
                        escape = 2;
                        out.push(c);
                    } else if escape > 0 {
                        escape -= 1;
                        out.push(c.to_ascii_lowercase());
                    } else {
                        out.push(c);
                    }
                }
                out
            }
            Style::RawBrackets => strict.replace("%5B", "[").replace("%5D", "]"),
            Style::Strict | Style::NoEquals => strict,
        }
    };
    pairs
        .iter()
        .map(|(n, v, style)| match style {
            Style::NoEquals if v.is_empty() => encode(n, *style),
            _ => format!("{}={}", encode(n, *style), encode(v, *style)),
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn pairs() -> impl Strategy<Value = Vec<(String, String, Style)>> {
    let style = prop_oneof![
        6 => Just(Style::Strict),
        2 => Just(Style::PlusForSpace),
        1 => Just(Style::LowercaseHex),
        1 => Just(Style::NoEquals),
        1 => Just(Style::RawBrackets)
    ];
    // Now and then a long value: 300 octets, beyond the short strings the rest draws.
    let value = prop_oneof![8 => text(), 4 => Just(String::new()), 1 => Just("v".repeat(300))];
    proptest::collection::vec((name(), value, style), 0..5).prop_flat_map(|pairs| {
        // Duplicate a name now and then: the same name with another value.
        let len = pairs.len();
        (Just(pairs), any::<bool>(), 0..len.max(1)).prop_map(move |(mut pairs, duplicate, index)| {
            if duplicate {
                if let Some((n, v, s)) = pairs.get(index).cloned() {
                    pairs.push((n, format!("{v}2"), s));
                }
            }
            pairs
        })
    })
}

fn url() -> impl Strategy<Value = (String, Option<String>)> {
    let scheme = pick(&["http", "https", "HTTPS"]);
    let host =
        pick(&["api.example.com", "API.Example.COM", "127.0.0.1", "[2001:db8::1]", "[::1]", "xn--bcher-kva.example"]);
    let port = pick(&["", ":80", ":443", ":8080", ":8443", ":"]);
    let path = proptest::collection::vec(
        pick(&[
            "a",
            "photos",
            "r%20v",
            "%2F",
            "a%3Fb",
            "~user",
            "%7Euser",
            "%C3%BC",
            "x;y=z",
            "@",
            "!$&'()*+,;=",
            "%7e",
            "A",
            "v1%2fitems",
        ]),
        0..4,
    );
    let trailing_slash = any::<bool>();
    (scheme, host, port, path, trailing_slash, pairs()).prop_map(|(scheme, host, port, path, slash, query)| {
        let mut url = format!("{scheme}://{host}{port}");
        for segment in &path {
            url.push('/');
            url.push_str(segment);
        }
        if slash {
            url.push('/');
        }
        // Raw brackets are no URI characters (RFC 3986 §3.4): they go raw only in form bodies.
        let query: Vec<(String, String, Style)> = query
            .into_iter()
            .map(|(n, v, style)| (n, v, if matches!(style, Style::RawBrackets) { Style::Strict } else { style }))
            .collect();
        let query = (!query.is_empty()).then(|| write_form(&query));
        if let Some(query) = &query {
            url.push('?');
            url.push_str(query);
        }
        (url, query)
    })
}

fn body() -> impl Strategy<Value = (Option<String>, Option<String>)> {
    prop_oneof![
        3 => Just((None, None)),
        4 => (pick(&["application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=utf-8", "Application/X-WWW-Form-URLEncoded"]), pairs())
            .prop_map(|(ct, pairs)| (Some(ct.to_owned()), Some(write_form(&pairs)))),
        2 => (pick(&["application/json", "text/plain"]), text()).prop_map(|(ct, text)| (Some(ct.to_owned()), Some(format!("{{\"t\":\"{text}\"}}")))),
        1 => (pick(&["application/xml", "text/xml; charset=utf-8"]), text()).prop_map(|(ct, text)| (Some(ct.to_owned()), Some(format!("<a t=\"1\">{text}</a>")))),
    ]
}

/// The drawn parts of a signing input, before the limits shape them.
struct Drawn {
    method: &'static str,
    url: String,
    content_type: Option<String>,
    body: Option<String>,
    signature_method: String,
    token: Option<&'static str>,
    version: Option<&'static str>,
    realm: Option<&'static str>,
    callback: Option<&'static str>,
    secrets: (String, String),
    body_hash: bool,
    timestamp: &'static str,
    nonce: &'static str,
}

/// Signing inputs over the request space for an implementation with `capabilities`: only
/// its declared signature methods, always with `oauth_version` when it cannot omit it, and
/// inside its declared [`InputLimits`].
pub fn sign_inputs(capabilities: &Capabilities) -> BoxedStrategy<GeneratedInput> {
    let methods: Vec<String> = capabilities.signature_methods.clone();
    let must_send_version = !capabilities.can_omit_version;
    let can_hash_body = capabilities.body_hash;
    let limits = capabilities.limits.clone();
    let method = proptest::sample::select(if methods.is_empty() { vec!["HMAC-SHA1".to_owned()] } else { methods });
    (
        pick(&["GET", "POST", "PUT", "DELETE", "PATCH", "get"]),
        url(),
        body(),
        method,
        (
            proptest::option::of(pick(&["nnch734d00sl2jdk", "kkk9d7dh3k39sjv7", "t%k n"])),
            proptest::option::of(pick(&["1.0"])),
        ),
        (
            proptest::option::of(pick(&["Example", "http://sp.example.com/", "Photos"])),
            proptest::option::of(pick(&["oob", "http://printer.example.com/ready?x=1&y=2"])),
        ),
        (text(), text(), any::<bool>()),
        (pick(&["137131201", "1191242096", "1700000000"]), pick(&["7d8f3e4a", "kllo9940pd9333jh", "chapoH"])),
    )
        .prop_map(
            move |(
                method,
                (url, _query),
                (content_type, body),
                signature_method,
                (token, version),
                (realm, callback),
                (cs, ts, body_hash),
                (timestamp, nonce),
            )| {
                let drawn = Drawn {
                    method,
                    url,
                    content_type,
                    body,
                    signature_method,
                    token,
                    version: if must_send_version { Some("1.0") } else { version },
                    realm,
                    callback,
                    secrets: (cs, ts),
                    body_hash: body_hash && can_hash_body,
                    timestamp,
                    nonce,
                };
                assemble(within_limits(drawn, &limits))
            },
        )
        .boxed()
}

/// `drawn` moved inside `limits`, deterministically: a method it cannot send becomes one it
/// can, a body it cannot send goes (a form Content-Type without a body stays for a row with
/// `no_form_bodies`: it can send that), a nonce becomes a number, a token is added, and extra
/// protocol parameters it cannot send beside the rest go.
fn within_limits(mut drawn: Drawn, limits: &InputLimits) -> Drawn {
    if let Some(first) = limits.methods.first() {
        if !limits.methods.iter().any(|m| m == drawn.method) {
            let index = drawn.url.len() % limits.methods.len();
            let chosen = limits.methods.get(index).unwrap_or(first);
            drawn.method = ["GET", "POST", "PUT", "DELETE", "PATCH"].into_iter().find(|m| m == chosen).unwrap_or("GET");
        }
    }
    let form = drawn.content_type.as_deref().is_some_and(oauth1_reference::parameters::is_form_urlencoded);
    let bodiless = limits.bodiless_methods.iter().any(|m| m.eq_ignore_ascii_case(drawn.method));
    let has_form_body = form && drawn.body.as_deref().is_some_and(|b| !b.is_empty());
    if bodiless || (limits.form_bodies_only && !form) || (limits.no_form_bodies && has_form_body) {
        (drawn.content_type, drawn.body) = (None, None);
    }
    if limits.numeric_nonce_only {
        drawn.nonce = match drawn.nonce {
            "7d8f3e4a" => "7348103004",
            "kllo9940pd9333jh" => "99409333",
            _ => "4572616048",
        };
    }
    if limits.token_required && drawn.token.is_none() {
        drawn.token = Some("nnch734d00sl2jdk");
    }
    let form = drawn.content_type.as_deref().is_some_and(oauth1_reference::parameters::is_form_urlencoded);
    let has_body = drawn.body.as_deref().is_some_and(|b| !b.is_empty());
    let extras_refused = (limits.extras_only_without_token && drawn.token.is_some())
        || (limits.extras_only_without_query && drawn.url.contains('?'))
        || (limits.extras_only_with_form_or_no_body && has_body && !form)
        || (limits.extras_only_without_body && drawn.body.is_some())
        || (!limits.extras_only_with_methods.is_empty()
            && !limits.extras_only_with_methods.iter().any(|m| m.eq_ignore_ascii_case(drawn.method)))
        || (limits.extras_only_without_body_hash && drawn.body_hash && !form);
    if extras_refused {
        drawn.callback = None;
    }
    drawn
}

fn assemble(drawn: Drawn) -> GeneratedInput {
    let is_form = drawn.content_type.as_deref().is_some_and(oauth1_reference::parameters::is_form_urlencoded);
    let rsa = drawn.signature_method.starts_with("RSA-");
    let (cs, ts) = drawn.secrets;
    GeneratedInput {
        request: SignRequest {
            method: drawn.method.to_owned(),
            url: drawn.url,
            content_type: drawn.content_type,
            body: drawn.body,
        },
        oauth: OAuthParams {
            consumer_key: "dpf43f3p2l4k3l03".to_owned(),
            token: drawn.token.map(str::to_owned),
            signature_method: drawn.signature_method,
            timestamp: Some(drawn.timestamp.to_owned()),
            nonce: Some(drawn.nonce.to_owned()),
            version: drawn.version.map(str::to_owned),
            realm: drawn.realm.map(str::to_owned),
            extra: drawn.callback.map(|c| vec![("oauth_callback".to_owned(), c.to_owned())]).unwrap_or_default(),
            compute_body_hash: drawn.body_hash && !is_form,
        },
        secrets: SignSecrets {
            consumer_secret: Some(cs),
            token_secret: drawn.token.map(|_| ts),
            rsa_private_key_pem: rsa.then(|| GENERATOR_RSA_KEY.to_owned()),
        },
    }
}

#[cfg(test)]
mod tests {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    use super::*;
    use crate::implementation::Operation;

    /// Signpost on `HttpURLConnection` declares these: no generated input may fall outside them,
    /// and a form Content-Type without a body (which it can send) is still drawn.
    #[test]
    fn generated_inputs_keep_to_methods_bodiless_methods_and_no_form_bodies() {
        let limits = InputLimits {
            methods: ["GET", "POST", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"].map(str::to_owned).to_vec(),
            bodiless_methods: vec!["GET".to_owned()],
            no_form_bodies: true,
            ..InputLimits::default()
        };
        let capabilities = Capabilities {
            operations: vec![Operation::Sign],
            signature_methods: vec!["HMAC-SHA1".to_owned()],
            stages: Vec::new(),
            can_omit_version: false,
            body_hash: false,
            reports_rejection_reasons: false,
            emits_own_nonce_timestamp: false,
            limits: limits.clone(),
            notes: None,
        };
        let strategy = sign_inputs(&capabilities);
        let mut runner = TestRunner::deterministic();
        let mut empty_form_bodies = 0;
        for _ in 0..500 {
            let input = strategy.new_tree(&mut runner).unwrap().current();
            assert_eq!(limits.violated_by(&input.request, &input.oauth), None, "{input:?}");
            let form =
                input.request.content_type.as_deref().is_some_and(oauth1_reference::parameters::is_form_urlencoded);
            empty_form_bodies += usize::from(form && input.request.body.as_deref() == Some(""));
        }
        assert!(empty_form_bodies > 0, "a form Content-Type without a body is never drawn");
    }
}
