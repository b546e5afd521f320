#!/usr/bin/env python3
"""Standalone reproductions of the signing findings of Authlib (docs/findings/authlib-client/).

Uses only Authlib: authlib.oauth1.ClientAuth(client_id, client_secret, token, token_secret,
signature_method, realm, rsa_key).prepare(method, uri, headers, body), the call Authlib's
requests and httpx integrations (OAuth1Auth) make, on each finding's smallest input. Authlib
draws the nonce and timestamp itself: they are fixed by replacing
authlib.oauth1.rfc5849.client_auth.generate_nonce / generate_timestamp, the module functions
ClientAuth.sign calls.

Usage: authlib_client.py FINDING. Prints the signature Authlib sends next to RFC 5849's (the value
the vector publishes, or for a finding seen on generated cases only, the value recorded for its
smallest input in docs/findings/examples.json; hard-coded below with the case's id); exits 0 while
Authlib still sends the value the dossier documents, 3 when it sends RFC 5849's (retire the
dossier), 4 otherwise.
"""
import json
import os
import sys
import urllib.parse

# Authlib refuses http:// URIs unless this is set; its documentation says to set it for testing
# (a recorded input may be http://).
os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"

from authlib.oauth1 import ClientAuth  # noqa: E402
from authlib.oauth1.rfc5849 import client_auth  # noqa: E402

# Per finding: the case (id and file), its request, the stage compared, RFC 5849's value ("rfc"),
# and the value the dossier documents ("documented").
# A finding seen on generated cases only names its case (generated:SEED) and docs/findings/examples.json,
# where its input is recorded; its "rfc" is then the reference signer's value for that input (the
# dossier's RFC 5849 column), its "documented" the dossier's library column.
FINDINGS = json.loads(r"""
[
 {
  "finding": "form-content-type-case-sensitive",
  "vector": "generated:1481179265 (shrunk)",
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
  "vector": "wild-bracket-names-in-form-body",
  "file": "vectors/in-the-wild.json",
  "stage": "signature",
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
  "rfc": "0xBcCLSqcEltH9zdxEC5DRq5ibU=",
  "documented": "YGSSAPx3Sr78aJoqHMisLJqoQac="
 },
 {
  "finding": "keeps-default-port",
  "vector": "generated:1481179639",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "HTTPS://[::1]:443?a-b&a-b=2",
   "content_type": "Application/X-WWW-Form-URLEncoded",
   "body": "c=%27%E2%82%AC%20&n=%3D%C3%BC&c=%27%E2%82%AC%202"
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "RSA-SHA1",
   "timestamp": "137131201",
   "nonce": "chapoH",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "' -~=",
   "token_secret": "?!*€a",
   "rsa_private_key_pem": "-----BEGIN RSA PRIVATE KEY-----\nMIICXAIBAAKBgQC0g9GuFlLxDzT87A03L8Y6nvolTRKRli12uhtj05zEBmVc5X9E\nPrMXAI/lglBhUepXT4zqiOd4ZhzGRHekm9pfhVOewxYyXDtOpHS00IF0ZIxJP/be\nT+UU2W/X9e27HibCMcPuck/SXZ6nyJcVN47odJyIlhhFX1qslVLhxRQxJQIDAQAB\nAoGAebVi+4hrtcJ2DI2vP2VDtySXLe0wNt7VmnZSn1T/Hp/dWewWidHod/rWCn15\napSLdwDY1w0lW+UlQ3zIWkEG0zwON35ZjrqIVJ7bllZif9x9EF9wy2vMchwQQ4Q3\n6+Z8tjbM85NdnSpJo2SxHIAjlexgMf1pSEHsRMqTTHmpLsECQQDl3lo46dihp/JG\nEyrFmbCU2w6M27C5d8qJ2SCgXhGg+th5HDqP3pmr3TcYgCSVN16a0QODDk+yB3st\naCpNY7YVAkEAyQkskwUL6j0oVevUkjQJIZ0Y9HxKX1M8t1xdqKHquNjx9O+lGPhb\n5At71S7O7nr7rVKs9x5AKeUg7JVC6bbi0QJAd2MSzPh3cQ5/QHH4BwUZt1ZGqlX3\n5XwYD5xb266/zTI7eDt3Fv3wJlkQooL7fRxy4EmqX0jxj29fRGgTgHpHOQJANsOu\nBdrhFQ1V+JoGzVEpj6OZEbjuFau6JYUe6no5U+OdfgjuY6/8cFIEiN14d5S/DMcx\n4Ru3hPIrFufOU5aDkQJBAI6lQEyy2mkM5Ej1x65HXAi5Uekb2vn5k1ciCMuACpuK\nV+sFjBSKDPQK2+Ogj+eLFy/MhS3zaAtXIRuspMhTifo=\n-----END RSA PRIVATE KEY-----\n"
  },
  "rfc": "OkdHZBoahJjHtS/zOsH4u0zel8Yr1TMTV3undffEmcahJThd5Y69pJLKoGukh/ce8YBmSCM4ayvL0cLZVIQ+bkHZj99587+j+IKI8Et62flX4cCHoisB1YCH42Q9DPPMSjL4R+gTgUXBCqRUbsCGCxdQxDvl5lbedgdzYmGLX/w=",
  "documented": "KAMj5Vl12vu2gdiHpw02Tg1zEqO3nKvhV3vZF3AQmMFNfcDbv7lI3BuvtSFDPyd14IB/cdS7Wq6jPsxiMxhYR8Gv75bHvrfI9nS7oEt17FqT+D6Ss2OldhJ7/E8tA89kRPCQ2FThTjEBhOvR9+HPNcAFNPn6DjViGk2qTS0MMqM="
 }
]
""")


def signature(entry):
    request, oauth, secrets = entry["request"], entry["oauth"], entry["secrets"]
    client_auth.generate_nonce = lambda *args: oauth["nonce"]
    client_auth.generate_timestamp = lambda *args: oauth["timestamp"]
    auth = ClientAuth(oauth["consumer_key"], client_secret=secrets.get("consumer_secret"),
                      token=oauth.get("token"), token_secret=secrets.get("token_secret"),
                      signature_method=oauth["signature_method"], realm=oauth.get("realm"),
                      rsa_key=secrets.get("rsa_private_key_pem"))
    headers = {} if request.get("content_type") is None else {"Content-Type": request["content_type"]}
    body = request["body"].encode("utf-8") if request.get("body") is not None else None
    _uri, signed, _body = auth.prepare(request["method"], request["url"], headers, body)
    header = signed["Authorization"]
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


check("Authlib", signature)
