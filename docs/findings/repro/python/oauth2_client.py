#!/usr/bin/env python3
"""Standalone reproductions of the findings of python-oauth2 (docs/findings/oauth2/).

Uses only oauth2: the steps of `oauth2.Client.request` without its HTTP call,
`oauth2.Request.from_consumer_and_token(consumer, token, http_method, http_url, parameters, body,
is_form_encoded)` then `sign_request(SignatureMethod_HMAC_SHA1(), consumer, token)`, on each
finding's smallest input.

Usage: oauth2_client.py FINDING. Prints oauth2's signature next to RFC 5849's (the value the
vector publishes, hard-coded below with the vector's id); exits 0 while oauth2 still computes
the value the dossier documents, 3 when it computes RFC 5849's (retire the dossier), 4 otherwise.
"""
import json
import sys

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


def check(name, value_of):
    """Prints the library's value next to RFC 5849's; exits 0 (as documented), 3 (fixed: retire
    the dossier) or 4 (a third value)."""
    wanted = sys.argv[1] if len(sys.argv) == 2 else None
    entry = next((e for e in FINDINGS if e["finding"] == wanted), None)
    if entry is None:
        sys.exit(f"usage: {sys.argv[0]} FINDING (one of: {', '.join(e['finding'] for e in FINDINGS)})")
    value = value_of(entry)
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
