#!/usr/bin/env python3
"""Standalone reproduction of the verifier finding of oauthlib (docs/findings/oauthlib-client/,
docs/findings/oauthlib-debian-client/): oauthlib.oauth1.SignatureOnlyEndpoint(validator)
.validate_request(uri, http_method, body, headers), with a RequestValidator that knows every
client and token (the secrets are the vector's) and the vector's clock, on the smallest request
RFC 5849 makes a server refuse.

Usage: oauthlib_verify.py FINDING. Prints oauthlib's verdict next to RFC 5849's (the result the
vector publishes, hard-coded below with the vector's id); exits 0 while oauthlib still accepts
the request, 3 when it refuses it (retire the dossier).
"""
import json
import sys

from oauthlib import oauth1
from oauthlib.oauth1.rfc5849.endpoints import base as endpoints_base

# Per finding: the vector (id and file), the request as received, the server's secrets and
# clock, RFC 5849's verdict as the vector publishes it ("rfc") and the documented one.
FINDINGS = json.loads(r"""
[
 {
  "finding": "verifier-accepts-invalid",
  "vector": "verify-malformed-header-unquoted",
  "file": "vectors/verify.json",
  "stage": "verdict",
  "request": {
   "method": "POST",
   "url": "https://api.example.com/v1/notes?draft=true",
   "content_type": "application/x-www-form-urlencoded",
   "body": "title=Hello%20World&tags=a+b",
   "headers": [
    [
     "Authorization",
     "OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"1700000000\", oauth_nonce=b8c6f2a1d4e94e2f, oauth_signature=\"44gKlLnGAT%2BYiRQxxTuMFtSD4AQ%3D\""
    ]
   ]
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_public_key_pem": null
  },
  "now": 1700000060,
  "rfc": "rejected (malformed_header)",
  "documented": "accepted"
 }
]
""")


class Validator(oauth1.RequestValidator):
    """Every client and token is known and every format allowed: only RFC 5849's checks are left."""

    dummy_client = "dummy_client"
    dummy_request_token = "dummy_request_token"
    dummy_access_token = "dummy_access_token"

    def __init__(self, secrets):
        super().__init__()
        self.secrets = secrets

    def check_client_key(self, client_key):
        return True

    def check_request_token(self, request_token):
        return True

    def check_access_token(self, request_token):
        return True

    def check_nonce(self, nonce):
        return True

    def check_verifier(self, verifier):
        return True

    def check_realms(self, realms):
        return True

    def validate_client_key(self, client_key, request):
        return True

    def validate_timestamp_and_nonce(self, client_key, timestamp, nonce, request, request_token=None, access_token=None):
        return True

    def validate_request_token(self, client_key, token, request):
        return True

    def validate_access_token(self, client_key, token, request):
        return True

    def validate_realms(self, client_key, token, request, uri=None, realms=None):
        return True

    def get_client_secret(self, client_key, request):
        return self.secrets.get("consumer_secret")

    def get_request_token_secret(self, client_key, token, request):
        return self.secrets.get("token_secret")

    def get_access_token_secret(self, client_key, token, request):
        return self.secrets.get("token_secret")


class Clock:
    """The vector's clock, in place of the `time` module oauthlib's timestamp check reads."""

    def __init__(self, now):
        self.now = float(now)

    def time(self):
        return self.now


def verdict(entry):
    request = entry["request"]
    headers = dict(request["headers"])
    if request.get("content_type") is not None:
        headers.setdefault("Content-Type", request["content_type"])
    endpoints_base.time = Clock(entry["now"])
    valid, _ = oauth1.SignatureOnlyEndpoint(Validator(entry["secrets"])).validate_request(
        request["url"], http_method=request["method"], body=request.get("body"), headers=headers
    )
    return "accepted" if valid else entry["rfc"]


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


check("oauthlib", verdict)
