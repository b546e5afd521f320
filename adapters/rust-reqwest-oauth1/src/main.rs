//! reqwest-oauth1's capture driver: `reqwest::Client::oauth1(secrets)`, then `.request(method,
//! url)`, `.form(&pairs)` for a form body (the crate signs the pairs), `.body(bytes)` otherwise,
//! and `.send()`, as the crate's documentation shows (docs/capture.md describes the
//! environment). Exits 0 once a response arrived, 3 when the crate cannot express the case.

use std::process::ExitCode;

use reqwest_oauth1::{OAuthClientProvider, OAuthParameters, Secrets};

fn cannot_express(reason: &str) -> ExitCode {
    eprintln!("{reason}");
    ExitCode::from(3)
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// The pairs of a form body as an application holds them: decoded, `+` a space.
fn form_pairs(body: &str) -> Vec<(String, String)> {
    let decode = |text: &str| {
        let bytes = text.replace('+', " ").into_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match (bytes[i], hex) {
                (b'%', Some(octet)) => {
                    out.push(octet);
                    i += 3;
                }
                (b, _) => {
                    out.push(b);
                    i += 1;
                }
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    body.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

fn main() -> ExitCode {
    let method_name = var("OAUTH1_SIGNATURE_METHOD").unwrap_or_default();
    if method_name != "HMAC-SHA1" && method_name != "PLAINTEXT" {
        return cannot_express(&format!("reqwest-oauth1 has no {method_name}"));
    }
    if var("OAUTH1_CAPTURE_CA_FILE").is_some() {
        return cannot_express("this build of reqwest has no TLS");
    }
    let mut secrets =
        Secrets::new(var("OAUTH1_CONSUMER_KEY").unwrap_or_default(), var("OAUTH1_CONSUMER_SECRET").unwrap_or_default());
    if let Some(token) = var("OAUTH1_TOKEN") {
        secrets = secrets.token(token, var("OAUTH1_TOKEN_SECRET").unwrap_or_default());
    }
    let Ok(method) = reqwest::Method::from_bytes(var("OAUTH1_CAPTURE_METHOD").unwrap_or_default().as_bytes()) else {
        return cannot_express("reqwest refuses the method");
    };
    let url = var("OAUTH1_CAPTURE_URL").unwrap_or_default();
    let body = var("OAUTH1_CAPTURE_BODY_FILE").map(|path| std::fs::read(path).unwrap_or_default());
    let content_type = var("OAUTH1_CAPTURE_CONTENT_TYPE");
    let is_form = content_type.as_deref().is_some_and(|c| {
        c.split(';').next().unwrap_or_default().trim().eq_ignore_ascii_case("application/x-www-form-urlencoded")
    });
    let request = Request { method, url, body, content_type, is_form, realm: var("OAUTH1_REALM") };
    // The signature method is a type parameter of the crate's OAuthParameters.
    if method_name == "PLAINTEXT" {
        send(secrets, OAuthParameters::new().signature_method(oauth1_request::signature_method::Plaintext), request)
    } else {
        send(secrets, OAuthParameters::new(), request)
    }
}

struct Request {
    method: reqwest::Method,
    url: String,
    body: Option<Vec<u8>>,
    content_type: Option<String>,
    is_form: bool,
    realm: Option<String>,
}

fn send<SM>(secrets: Secrets<'static>, mut params: OAuthParameters<'static, SM>, request: Request) -> ExitCode
where
    SM: oauth1_request::signature_method::SignatureMethod + Clone,
{
    if let Some(realm) = request.realm {
        params = params.realm(realm);
    }
    let client = reqwest::Client::new();
    let mut builder = client.oauth1_with_params(secrets, params).request(request.method, request.url.as_str());
    match (request.body, request.is_form) {
        (Some(body), true) => builder = builder.form(&form_pairs(&String::from_utf8_lossy(&body))),
        (Some(body), false) => builder = builder.body(body),
        (None, _) => {}
    }
    if let Some(content_type) = &request.content_type {
        builder = builder.header("Content-Type", content_type.as_str());
    }
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("tokio: {e}");
            return ExitCode::from(1);
        }
    };
    let sent = runtime.block_on(async {
        let response = builder.send().await.map_err(|e| e.to_string())?;
        response.bytes().await.map_err(|e| e.to_string())
    });
    match sent {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}
