#!/usr/bin/env python3
"""Standalone reproductions of the findings of python-oauth2 (docs/findings/oauth2/).

Uses only oauth2: the steps of `oauth2.Client.request` without its HTTP call,
`oauth2.Request.from_consumer_and_token(consumer, token, http_method, http_url, parameters, body,
is_form_encoded)` then `sign_request(SignatureMethod_HMAC_SHA1(), consumer, token)`, on each
finding's smallest input; for the findings of the oauth_body_hash it adds,
`oauth2.Client.request` itself (below).

Usage: oauth2_client.py FINDING. Prints oauth2's signature next to RFC 5849's (the value the
vector publishes, hard-coded below with the vector's id); exits 0 while oauth2 still computes
the value the dossier documents, 3 when it computes RFC 5849's (retire the dossier), 4 otherwise.
"""
import json
import sys
import urllib.parse

import httplib2
import oauth2
from oauth2 import _compat

# Per finding: the vector (id and file), its request, the stage compared, RFC 5849's value as
# the vector publishes it ("rfc"), and the value the dossier documents ("documented").
# A finding seen on generated cases only names its case (generated:SEED) and docs/findings/examples.json,
# where its input is recorded; its "rfc" is then the reference signer's value for that input (the
# dossier's RFC 5849 column), its "documented" the dossier's library column.
FINDINGS = json.loads(r"""
[
 {
  "finding": "charset-content-type-not-form",
  "vector": "generated:1481179214",
  "file": "docs/findings/examples.json",
  "stage": "oauth_body_hash",
  "request": {
   "method": "GET",
   "url": "http://xn--bcher-kva.example:8443/?a1=&filter%5B0%5D%5Bid%5D=vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv&a-b=b%C3%A9",
   "content_type": "application/x-www-form-urlencoded; charset=utf-8",
   "body": "n%2a%2f%26=0%2f%2a&z=1&z=12"
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "t%k n",
   "signature_method": "PLAINTEXT",
   "timestamp": "1191242096",
   "nonce": "kllo9940pd9333jh",
   "version": "1.0",
   "realm": "Photos",
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "' ",
   "token_secret": "é"
  },
  "rfc": "(none)",
  "documented": "n54krCx+NxhS9+raDRf663kTvCY="
 },
 {
  "finding": "double-decodes",
  "vector": "rfc5849-3.4.1-hmac-sha1-with-version",
  "file": "vectors/rfc5849.json",
  "stage": "signature",
  "request": {
   "method": "POST",
   "url": "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
   "content_type": "application/x-www-form-urlencoded",
   "body": "c2&a3=2+q"
  },
  "oauth": {
   "consumer_key": "9djdj82h48djs9d2",
   "token": "kkk9d7dh3k39sjv7",
   "signature_method": "HMAC-SHA1",
   "timestamp": "137131201",
   "nonce": "7d8f3e4a",
   "version": "1.0",
   "realm": "Example",
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "j49sk3j29djd",
   "token_secret": "dh893hdasih9",
   "rsa_private_key_pem": null
  },
  "rfc": "OB33pYjWAnf+xtOHN4Gmbdil168=",
  "documented": "vleTnfCS26RGc0OntuEpZ2ntJPU="
 },
 {
  "finding": "drops-empty-body-values",
  "vector": "rfc5849-3.4.1-hmac-sha1-with-version",
  "file": "vectors/rfc5849.json",
  "stage": "signature",
  "request": {
   "method": "POST",
   "url": "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
   "content_type": "application/x-www-form-urlencoded",
   "body": "c2&a3=2+q"
  },
  "oauth": {
   "consumer_key": "9djdj82h48djs9d2",
   "token": "kkk9d7dh3k39sjv7",
   "signature_method": "HMAC-SHA1",
   "timestamp": "137131201",
   "nonce": "7d8f3e4a",
   "version": "1.0",
   "realm": "Example",
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "j49sk3j29djd",
   "token_secret": "dh893hdasih9",
   "rsa_private_key_pem": null
  },
  "rfc": "OB33pYjWAnf+xtOHN4Gmbdil168=",
  "documented": "vleTnfCS26RGc0OntuEpZ2ntJPU="
 },
 {
  "finding": "drops-empty-values",
  "vector": "generated:1481179972",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "PUT",
   "url": "http://api.example.com:80/a/!$&'()*+,;=?c=-%c3%a9&z=%2F0-~%21&A=%3F&A=%3F2",
   "content_type": "application/x-www-form-urlencoded",
   "body": "z=&n%E2%82%AC%F0%9F%98%80Z%2B="
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "t%k n",
   "signature_method": "HMAC-SHA1",
   "timestamp": "137131201",
   "nonce": "kllo9940pd9333jh",
   "version": "1.0",
   "realm": "Photos",
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "€!&",
   "token_secret": " "
  },
  "rfc": "4ouQHg7jIGSaKg3wyiVJQiNZkPk=",
  "documented": "fg0cS6KrMLdATEOkWwT7fL5x9LM="
 },
 {
  "finding": "empty-path-not-slash",
  "vector": "generated:1481179149 (shrunk)",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "http://api.example.com",
   "content_type": "application/json",
   "body": "{\"t\":\"\"}"
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": null,
   "signature_method": "HMAC-SHA1",
   "timestamp": "137131201",
   "nonce": "7d8f3e4a",
   "version": "1.0",
   "realm": null,
   "extra": {},
   "compute_body_hash": true
  },
  "secrets": {
   "consumer_secret": "",
   "token_secret": null
  },
  "rfc": "i+vu7+01PN7rPWenI6MbaUSEl78=",
  "documented": "DD/veNEaulVCTCMgXBl5IQKkkCo="
 },
 {
  "finding": "form-content-type-case-sensitive",
  "vector": "generated:1481179183",
  "file": "docs/findings/examples.json",
  "stage": "oauth_body_hash",
  "request": {
   "method": "DELETE",
   "url": "https://127.0.0.1:443/@/A/%7Euser?a1=Z%c3%a9%2b-&x_y=&a%5Bb%5D=&c=%F0%9F%98%80%25%25%2F&c=%F0%9F%98%80%25%25%2F2",
   "content_type": "Application/X-WWW-Form-URLEncoded",
   "body": ""
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": null,
   "signature_method": "PLAINTEXT",
   "timestamp": "1700000000",
   "nonce": "7d8f3e4a",
   "version": "1.0",
   "realm": "http://sp.example.com/",
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "😀/!Z",
   "token_secret": null
  },
  "rfc": "(none)",
  "documented": "2jmj7l5rSw0yVb/vlWAYkK/YBwk="
 },
 {
  "finding": "keeps-host-case",
  "vector": "lib-gomodule-method-host-case-port-443",
  "file": "vectors/libraries-sign.json",
  "stage": "signature",
  "request": {
   "method": "GeT",
   "url": "https://apI.twItter.com:443/1/?page=10",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "token": "10212-JJ3Zc1A49qSMgdcAO2GMOpW9l7A348ESmhjmOBOU",
   "timestamp": "1355795903",
   "nonce": "8067e8abc6bdca2006818132445c8f4c",
   "version": "1.0",
   "realm": null,
   "extra": {},
   "consumer_key": "kMViZR2MHk2mM7hUNVw9A",
   "signature_method": "HMAC-SHA1"
  },
  "secrets": {
   "consumer_secret": "56Fgl58yOfqXOhHXX0ybvOmSnPQFvR2miYmm30A",
   "token_secret": "yF75mvq4LZMHj9O0DXwoC3ZxUnN1ptvieThYuOAYM",
   "rsa_private_key_pem": null
  },
  "rfc": "o5cx1ggJrY9ognZuVVeUwglKV8U=",
  "documented": "ELJfG4Lba6UUosZiFxyz9XO84Fs="
 },
 {
  "finding": "keeps-host-case-not-scheme",
  "vector": "wild-mixed-case-path",
  "file": "vectors/in-the-wild.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "HTTPS://API.Example.com/Users/Bob",
   "content_type": null,
   "body": null
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
  "rfc": "cqbpSBpCKW0tOBh6fszRpRlCVeo=",
  "documented": "BQDGxY1UrQlRfMpqku68ma8Fzrg="
 },
 {
  "finding": "sorts-unencoded-keys",
  "vector": "generated:1481179364",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "DELETE",
   "url": "HTTPS://127.0.0.1/%C3%BC/!$&'()*+,;=/?a-b=0%C3%BC&a1&a%5B%5D=%C3%BC~%2A%2Fb&z=",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "t%k n",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1191242096",
   "nonce": "chapoH",
   "version": "1.0",
   "realm": "http://sp.example.com/",
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "",
   "token_secret": "Z1ü"
  },
  "rfc": "gG0wwsA1ApK28ffLNleRMJj3VdE=",
  "documented": "DSk9OnSi6wFgDsWpbOb7GW8rAeQ="
 }
]
""")

METHODS = {"HMAC-SHA1": oauth2.SignatureMethod_HMAC_SHA1, "PLAINTEXT": oauth2.SignatureMethod_PLAINTEXT}


def signature(entry):
    request, oauth, secrets = entry["request"], entry["oauth"], entry["secrets"]
    # Client.request: POST defaults to a form Content-Type; the body is parsed only when the
    # Content-Type is exactly form-urlencoded.
    content_type = request.get("content_type")
    if content_type is None and request["method"] == "POST":
        content_type = "application/x-www-form-urlencoded"
    is_form_encoded = content_type == "application/x-www-form-urlencoded"
    body = (request.get("body") or "").encode("utf-8")
    parameters = _compat.parse_qs(body) if is_form_encoded and body else {}
    # The documented way to fix them: parameters override from_consumer_and_token's defaults.
    parameters["oauth_nonce"] = oauth["nonce"]
    parameters["oauth_timestamp"] = oauth["timestamp"]
    if oauth.get("version") is not None:
        parameters["oauth_version"] = oauth["version"]
    parameters.update(oauth.get("extra") or {})
    consumer = oauth2.Consumer(oauth["consumer_key"], secrets.get("consumer_secret") or "")
    token = oauth2.Token(oauth["token"], secrets.get("token_secret") or "") if oauth.get("token") else None
    signed = oauth2.Request.from_consumer_and_token(
        consumer, token=token, http_method=request["method"], http_url=request["url"],
        parameters=parameters, body=body, is_form_encoded=is_form_encoded,
    )
    signed.sign_request(METHODS[oauth["signature_method"]](), consumer, token)
    value = signed["oauth_signature"]
    return value.decode("utf-8") if isinstance(value, bytes) else value


class Sent(Exception):
    """What oauth2.Client.request handed to httplib2, which it sends."""


def send_instead(self, uri, method="GET", body=None, headers=None, **kwargs):
    raise Sent(uri, headers or {})


def body_hash(entry):
    """The oauth_body_hash of oauth2.Client.request(uri, method, body, headers), the documented way
    to send a request, whose own test decides whether the body is a form (then it signs the
    body's parameters) or not (then it adds oauth_body_hash); httplib2 is stopped before it
    connects. Client.request chooses its own nonce and timestamp; the body hash does not depend on
    them."""
    request, oauth, secrets = entry["request"], entry["oauth"], entry["secrets"]
    consumer = oauth2.Consumer(oauth["consumer_key"], secrets.get("consumer_secret") or "")
    token = oauth2.Token(oauth["token"], secrets.get("token_secret") or "") if oauth.get("token") else None
    client = oauth2.Client(consumer, token)
    client.set_signature_method(METHODS[oauth["signature_method"]]())
    headers = {} if request.get("content_type") is None else {"Content-Type": request["content_type"]}
    httplib2.Http.request = send_instead
    try:
        client.request(request["url"], request["method"], (request.get("body") or "").encode("utf-8"), headers)
    except Sent as sent:
        uri, headers = sent.args
    # A GET carries the protocol parameters in its query, other methods in the Authorization header.
    where = urllib.parse.urlsplit(uri).query + "&" + headers.get("Authorization", "").replace(", ", "&")
    for name, value in urllib.parse.parse_qsl(where):
        if name == "oauth_body_hash":
            return value.strip('"')
    return "(none)"


def check(name, value_of):
    """Prints the library's value next to RFC 5849's; exits 0 (as documented), 3 (fixed: retire
    the dossier) or 4 (a third value)."""
    wanted = sys.argv[1] if len(sys.argv) == 2 else None
    entry = next((e for e in FINDINGS if e["finding"] == wanted), None)
    if entry is None:
        sys.exit(f"usage: {sys.argv[0]} FINDING (one of: {', '.join(e['finding'] for e in FINDINGS)})")
    value = (body_hash if entry["stage"] == "oauth_body_hash" else value_of)(entry)
    print(f"finding:  {entry['finding']} (vector {entry['vector']}, {entry['stage']})")
    print(f"{name}: {value}")
    print(f"RFC 5849: {entry['rfc']}")
    if value == entry["rfc"]:
        print(f"fixed: {name} now agrees with RFC 5849")
        sys.exit(3)
    if value != entry["documented"]:
        print(f"changed: the dossier documents {entry['documented']}")
        sys.exit(4)


check("python-oauth2", signature)
