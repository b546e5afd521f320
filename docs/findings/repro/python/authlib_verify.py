#!/usr/bin/env python3
"""Standalone reproduction of the verifier finding of Authlib (docs/findings/authlib-client/):
authlib.oauth1.rfc5849.ResourceProtector.validate_request(method, uri, body, headers), as Authlib's
documentation subclasses it (every client and token known with the vector's secrets, no nonce
seen, EXPIRY_TIME=300, the clock at the vector's), on the smallest request RFC 5849 makes a
server refuse.

Usage: authlib_verify.py FINDING. Prints Authlib's verdict next to RFC 5849's (the result the
vector publishes, hard-coded below with the vector's id); exits 0 while Authlib still accepts
the request, 3 when it refuses it (retire the dossier).
"""
import json
import os
import sys
from wsgiref.headers import Headers

# Authlib refuses an http:// URL unless this is set, and some vectors are http://.
os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"

from authlib.oauth1.rfc5849 import base_server  # noqa: E402
from authlib.oauth1.rfc5849.errors import OAuth1Error  # noqa: E402
from authlib.oauth1.rfc5849.models import ClientMixin, TokenCredentialMixin  # noqa: E402
from authlib.oauth1.rfc5849.resource_protector import ResourceProtector  # noqa: E402

# Per finding: the vector (id and file), the request as received, the server's secrets and
# clock, RFC 5849's verdict as the vector publishes it ("rfc") and the documented one.
FINDINGS = json.loads(r"""
[
 {
  "finding": "verifier-accepts-invalid",
  "vector": "verify-duplicate-nonce-query",
  "file": "vectors/verify.json",
  "stage": "verdict",
  "request": {
   "method": "GET",
   "url": "https://api.example.com/v1/notes?draft=true&oauth_consumer_key=dpf43f3p2l4k3l03&oauth_token=nnch734d00sl2jdk&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1700000000&oauth_nonce=b8c6f2a1d4e94e2f&oauth_nonce=c0ffee&oauth_signature=t7ZqSMX4EB%2BghL65xGBof6UDytE%3D",
   "content_type": null,
   "body": null,
   "headers": []
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_public_key_pem": null
  },
  "now": 1700000060,
  "rfc": "rejected (duplicate_parameter)",
  "documented": "accepted"
 }
]
""")


class Client(ClientMixin):
    def __init__(self, secrets):
        self.secrets = secrets

    def get_client_secret(self):
        return self.secrets.get("consumer_secret")

    def get_rsa_public_key(self):
        return self.secrets.get("rsa_public_key_pem")


class Token(TokenCredentialMixin):
    def __init__(self, secrets):
        self.secrets = secrets

    def get_oauth_token_secret(self):
        return self.secrets.get("token_secret")


class Protector(ResourceProtector):
    SUPPORTED_SIGNATURE_METHODS = ["HMAC-SHA1", "RSA-SHA1", "PLAINTEXT"]
    EXPIRY_TIME = 300

    def __init__(self, secrets):
        self.secrets = secrets

    def get_client_by_id(self, client_id):
        return Client(self.secrets)

    def get_token_credential(self, request):
        return Token(self.secrets)

    def exists_nonce(self, nonce, request):
        return False


class Clock:
    """The vector's clock, in place of the `time` module Authlib's timestamp check reads."""

    def __init__(self, now):
        self.now = float(now)

    def time(self):
        return self.now


def verdict(entry):
    request = entry["request"]
    headers = Headers([(name, value) for name, value in request["headers"]])
    content_type = request.get("content_type")
    if content_type is not None:
        headers["Content-Type"] = content_type
    body = request.get("body") if content_type and "application/x-www-form-urlencoded" in content_type else None
    base_server.time = Clock(entry["now"])
    try:
        Protector(entry["secrets"]).validate_request(request["method"], request["url"], body, headers)
    except OAuth1Error:
        return entry["rfc"]
    return "accepted"


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


check("Authlib", verdict)
