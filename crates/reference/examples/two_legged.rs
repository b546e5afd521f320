//! Two-legged OAuth 1.0: sign a GET with the four credentials, then verify it as the server
//! does. The request is the one of `docs/two-legged.md`; run it with
//! `cargo run -p oauth1-reference --example two_legged`.

use oauth1_reference::sign::{sign, OAuthParameters, Request, Secrets};
use oauth1_reference::signature::SignatureMethod;
use oauth1_reference::verify::{Credentials, InMemoryNonceStore, IncomingRequest, TimestampWindow, Verifier};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = "https://api.example.com/v1/photos?size=original";
    let request = Request { method: "GET", url, content_type: None, body: None };
    let oauth = OAuthParameters {
        consumer_key: "9djdj82h48djs9d2",
        token: Some("kkk9d7dh3k39sjv7"),
        signature_method: SignatureMethod::HmacSha1,
        // Fixed so the output is reproducible; a client draws a fresh nonce and reads the
        // clock for every request (RFC 5849 §3.3).
        timestamp: Some("1764201600"),
        nonce: Some("kllo9940pd9333jh"),
        version: Some("1.0"),
        realm: Some("Photos"),
        extra: &[],
        compute_body_hash: false,
    };
    let secrets = Secrets { consumer_secret: "j49sk3j29djd", token_secret: "dh893hdasih9", rsa_private_key: None };

    let signed = sign(&request, &oauth, &secrets)?;
    println!("Authorization: {}", signed.authorization_header);

    // What oauthlib 4.0.1 sends for the same request (docs/two-legged.md): two independent
    // implementations must agree.
    if signed.signature != "Ku0SJtM4x+x5fttb3b4QPavvRSI=" {
        return Err(
            format!("the reference signed {}, oauthlib signs Ku0SJtM4x+x5fttb3b4QPavvRSI=", signed.signature).into()
        );
    }

    // The server side: the same secrets, looked up by consumer key and token.
    let headers = [("Authorization", signed.authorization_header.as_str())];
    let received = IncomingRequest { method: "GET", url, headers: &headers, content_type: None, body: None };
    let credentials =
        Credentials { consumer_secret: "j49sk3j29djd", token_secret: "dh893hdasih9", rsa_public_key: None };
    let now = 1_764_201_660; // one minute after the timestamp: inside the default ±300 s window
    let mut verifier = Verifier::new(TimestampWindow::default(), InMemoryNonceStore::default());
    let verified = verifier.verify(&received, &credentials, now)?;
    println!("verified; the server's signature base string was {}", verified.request.signature_base_string);
    Ok(())
}
