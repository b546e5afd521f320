#!/usr/bin/env python3
"""Standalone reproductions of the findings of requests-oauthlib (docs/findings/requests-oauthlib/).

Uses only requests-oauthlib and requests: requests.Request(method, url, data=body,
headers={Content-Type}, auth=requests_oauthlib.OAuth1(client_key, client_secret,
resource_owner_key, resource_owner_secret, signature_method, realm=..., nonce=..., timestamp=...))
.prepare(), what requests.post(url, data=..., auth=OAuth1(...)) does before it sends (OAuth1 hands
realm, nonce and timestamp on to oauthlib's Client), the signature read back from the prepared
request's Authorization header, on each finding's smallest input. Nothing is sent.

Usage: requests_oauthlib_client.py FINDING. Prints the signature requests-oauthlib sends next to RFC
5849's (for a finding seen on generated cases only, the value recorded for its smallest input in
docs/findings/examples.json, hard-coded below with the case's id); exits 0 while it still sends
the value the dossier documents, 3 when it sends RFC 5849's (retire the dossier), 4 otherwise.
"""
import json
import sys
import urllib.parse

import requests
from requests_oauthlib import OAuth1

# The RSA test key of the harness's generated cases (run from the repository root).
GENERATOR_RSA_KEY = "crates/conformance/data/generator-rsa-1024.pem"

# Per finding: the case (id and file), its request, the stage compared, RFC 5849's value ("rfc"),
# and the value the dossier documents ("documented").
# A finding seen on generated cases only names its case (generated:SEED) and docs/findings/examples.json,
# where its input is recorded; its "rfc" is then the reference signer's value for that input (the
# dossier's RFC 5849 column), its "documented" the dossier's library column.
FINDINGS = json.loads(r"""
[
 {
  "finding": "decodes-unreserved-path-escapes",
  "vector": "generated:1481179145 (shrunk)",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "POST",
   "url": "http://api.example.com/%7e",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": null,
   "signature_method": "HMAC-SHA1",
   "timestamp": "137131201",
   "nonce": "7d8f3e4a",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "",
   "token_secret": null
  },
  "rfc": "Yz1Bdo5xmyvMDtmwBjsVjT0PCBA=",
  "documented": "TKUoL89wfSp4snjzTgaSBfcg2s8="
 },
 {
  "finding": "form-content-type-case-sensitive",
  "vector": "generated:1481179147 (shrunk)",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "http://api.example.com",
   "content_type": "Application/X-WWW-Form-URLEncoded",
   "body": "a="
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": null,
   "signature_method": "HMAC-SHA1",
   "timestamp": "137131201",
   "nonce": "7d8f3e4a",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "",
   "token_secret": null
  },
  "rfc": "zfJkqCWxmbEnW4wxVHY5YrknbFk=",
  "documented": "b+qsiT4ahydschLs6ChiiuoTfRQ="
 },
 {
  "finding": "ignores-form-body",
  "vector": "generated:1481179147 (shrunk)",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "http://api.example.com",
   "content_type": "Application/X-WWW-Form-URLEncoded",
   "body": "a="
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": null,
   "signature_method": "HMAC-SHA1",
   "timestamp": "137131201",
   "nonce": "7d8f3e4a",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "",
   "token_secret": null
  },
  "rfc": "zfJkqCWxmbEnW4wxVHY5YrknbFk=",
  "documented": "b+qsiT4ahydschLs6ChiiuoTfRQ="
 },
 {
  "finding": "uppercases-path-escapes",
  "vector": "generated:1481179169",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "get",
   "url": "https://xn--bcher-kva.example:8080/v1%2fitems/r%20v/!$&'()*+,;=/?c=vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv&a%5B%5D=&x_y=&a=&a%5B%5D=2",
   "content_type": "application/json",
   "body": "{\"t\":\"?%b!\"}"
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "kkk9d7dh3k39sjv7",
   "signature_method": "RSA-SHA256",
   "timestamp": "1191242096",
   "nonce": "chapoH",
   "version": "1.0",
   "realm": null,
   "extra": {
    "oauth_callback": "http://printer.example.com/ready?x=1&y=2"
   }
  },
  "secrets": {
   "consumer_secret": "",
   "token_secret": "&bb😀",
   "rsa_private_key": "generator"
  },
  "rfc": "TBNu72uFGIpQbFNzQRa4DpsiDJff2u+sq23rv1oHisfuIdKu5xQwXdWloI7Bw+0fUpKrugi2glTZSkqa1RCnv4ugUUOzRHsKDxJeJi7ZJqE8e1B9/lHGS1cgrC6mqprKOADilPa1a+UvgeapZySX2nXYJY+jHSJWQ1Dyl6/td4E=",
  "documented": "jnyG1omUySbL2S8dty9a8CdmSokjPsxkeqPU1xW9VmVc4yPbBxMWwkIedh8JUia986Qw3J9/s9i8T2Mps0/9vbOR2142qr+fynFH+3bUtcQlT8W+h2Yjlxur15m3oFybsTSyGTdosoKeY1/edZdKVcBj1YPNI2sNvS7U0nTdpHg="
 }
]
""")


def signature(entry):
    request, oauth, secrets = entry["request"], entry["oauth"], entry["secrets"]
    rsa_key = secrets.get("rsa_private_key_pem")
    if secrets.get("rsa_private_key") == "generator":
        # A generated case signs with the harness's RSA test key, kept in the repository.
        with open(GENERATOR_RSA_KEY, encoding="ascii") as pem:
            rsa_key = pem.read()
    extra = oauth.get("extra") or {}
    auth = OAuth1(oauth["consumer_key"], client_secret=secrets.get("consumer_secret"),
                  resource_owner_key=oauth.get("token"), resource_owner_secret=secrets.get("token_secret"),
                  callback_uri=extra.get("oauth_callback"), signature_method=oauth["signature_method"],
                  rsa_key=rsa_key, realm=oauth.get("realm"), nonce=oauth["nonce"], timestamp=oauth["timestamp"])
    headers = {} if request.get("content_type") is None else {"Content-Type": request["content_type"]}
    try:
        prepared = requests.Request(request["method"], request["url"], data=request.get("body"), headers=headers,
                                    auth=auth).prepare()
    except ValueError as error:
        # oauthlib refuses some requests outright (a GET whose body it takes for a form): a third
        # behaviour, not a broken reproduction.
        return f"refused: {error}"
    header = prepared.headers["Authorization"]
    header = header.decode("utf-8") if isinstance(header, bytes) else header
    return urllib.parse.unquote(header.split('oauth_signature="', 1)[1].split('"', 1)[0])


def check(name, value_of):
    """Prints the library's value next to RFC 5849's; exits 0 (as documented), 3 (fixed: retire
    the dossier) or 4 (a third value)."""
    wanted = sys.argv[1] if len(sys.argv) == 2 else None
    entry = next((e for e in FINDINGS if e["finding"] == wanted), None)
    if entry is None:
        sys.exit(f"usage: {sys.argv[0]} FINDING (one of: {', '.join(e['finding'] for e in FINDINGS)})")
    value = value_of(entry)
    print(f"finding:  {entry['finding']} (case {entry['vector']}, {entry['stage']})")
    print(f"{name}: {value}")
    print(f"RFC 5849: {entry['rfc']}")
    if value == entry["rfc"]:
        print(f"fixed: {name} now agrees with RFC 5849")
        sys.exit(3)
    if value != entry["documented"]:
        print(f"changed: the dossier documents {entry['documented']}")
        sys.exit(4)



check("requests-oauthlib", signature)
