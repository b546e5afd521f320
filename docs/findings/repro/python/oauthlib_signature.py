#!/usr/bin/env python3
"""Standalone reproductions of the findings of oauthlib's signature functions
(docs/findings/oauthlib-signature/, docs/findings/oauthlib-debian-signature/).

Uses only oauthlib: `oauthlib.oauth1.rfc5849.signature.collect_parameters`,
`normalize_parameters`, `base_string_uri` and `signature_base_string`, composed as
`oauthlib.oauth1.Client.get_oauth_signature` composes them, on each finding's smallest input, the
body passed on as oauthlib's endpoints pass it (`BaseEndpoint._create_request`, which keeps it
only for what it takes for a form content type).

Usage: oauthlib_signature.py FINDING. Prints oauthlib's signature base string next to the one
RFC 5849 gives (the value the vector publishes, hard-coded below with the vector's id), then
exits 0 while oauthlib still computes the value the dossier documents, 3 when it computes RFC
5849's (the finding is fixed: retire the dossier), 4 when it computes a third value.
"""
import json
import sys
import urllib.parse

from oauthlib.oauth1.rfc5849 import parameters, signature
from oauthlib.oauth1.rfc5849.endpoints.base import BaseEndpoint

# Per finding: the vector (id and file), its request, the stage compared, RFC 5849's value as
# the vector publishes it ("rfc"), and the value the dossier documents ("documented").
FINDINGS = json.loads(r"""
[
 {
  "finding": "form-content-type-case-sensitive",
  "vector": "edge-form-content-type-mixed-case",
  "file": "vectors/edge-cases.json",
  "stage": "signature_base_string",
  "request": {
   "method": "POST",
   "url": "https://example.com/r",
   "content_type": "Application/X-WWW-Form-URLencoded",
   "body": "a=1&b=2"
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1191242096",
   "nonce": "kllo9940pd9333jh",
   "version": null,
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "POST&https%3A%2F%2Fexample.com%2Fr&a%3D1%26b%3D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk",
  "documented": "POST&https%3A%2F%2Fexample.com%2Fr&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk"
 },
 {
  "finding": "ignores-form-body",
  "vector": "wild-bracket-names-in-form-body",
  "file": "vectors/in-the-wild.json",
  "stage": "signature_base_string",
  "request": {
   "method": "POST",
   "url": "https://shop.example.com/wp-json/wc/v3/products/batch",
   "content_type": "application/x-www-form-urlencoded",
   "body": "a[]=1&a[]=2&b[c]=d"
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1700000000",
   "nonce": "w1ldn0nce",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "POST&https%3A%2F%2Fshop.example.com%2Fwp-json%2Fwc%2Fv3%2Fproducts%2Fbatch&a%255B%255D%3D1%26a%255B%255D%3D2%26b%255Bc%255D%3Dd%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dw1ldn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0",
  "documented": "POST&https%3A%2F%2Fshop.example.com%2Fwp-json%2Fwc%2Fv3%2Fproducts%2Fbatch&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dw1ldn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0"
 },
 {
  "finding": "lossy-utf8-decoding",
  "vector": "edge-query-non-utf8-octets",
  "file": "vectors/edge-cases.json",
  "stage": "signature_base_string",
  "request": {
   "method": "GET",
   "url": "https://example.com/r?v=%FF%FE",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1191242096",
   "nonce": "kllo9940pd9333jh",
   "version": null,
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "GET&https%3A%2F%2Fexample.com%2Fr&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26v%3D%25FF%25FE",
  "documented": "GET&https%3A%2F%2Fexample.com%2Fr&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26v%3D%25EF%25BF%25BD%25EF%25BF%25BD"
 }
]
""")


def library_value(entry):
    request, oauth = entry["request"], entry["oauth"]
    protocol = [("oauth_consumer_key", oauth["consumer_key"])]
    if oauth.get("token") is not None:
        protocol.append(("oauth_token", oauth["token"]))
    protocol.append(("oauth_signature_method", oauth["signature_method"]))
    for field in ("timestamp", "nonce", "version"):
        if oauth.get(field) is not None:
            protocol.append((f"oauth_{field}", oauth[field]))
    protocol.extend((oauth.get("extra") or {}).items())
    headers = parameters.prepare_headers(protocol, {}, realm=oauth.get("realm"))
    # The body as oauthlib's endpoints take it: BaseEndpoint._create_request keeps it only when its
    # own test finds a form content type.
    if request.get("content_type") is not None:
        headers = {**headers, "Content-Type": request["content_type"]}
    body = BaseEndpoint(None)._create_request(request["url"], request["method"], request.get("body") or "", headers).body
    collected = signature.collect_parameters(
        uri_query=urllib.parse.urlparse(request["url"]).query,
        body=body,
        headers=headers,
        exclude_oauth_signature=True,
        with_realm=False,
    )
    normalized = signature.normalize_parameters(collected)
    return signature.signature_base_string(request["method"], signature.base_string_uri(request["url"]), normalized)


def main():
    wanted = sys.argv[1] if len(sys.argv) == 2 else None
    entry = next((e for e in FINDINGS if e["finding"] == wanted), None)
    if entry is None:
        sys.exit(f"usage: {sys.argv[0]} FINDING (one of: {', '.join(e['finding'] for e in FINDINGS)})")
    value = library_value(entry)
    print(f"finding:  {entry['finding']} (vector {entry['vector']}, {entry['stage']})")
    print(f"oauthlib: {value}")
    print(f"RFC 5849: {entry['rfc']}")
    if value == entry["rfc"]:
        print("fixed: oauthlib now agrees with RFC 5849")
        sys.exit(3)
    if value != entry["documented"]:
        print(f"changed: the dossier documents {entry['documented']}")
        sys.exit(4)


main()
