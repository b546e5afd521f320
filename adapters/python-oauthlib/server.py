#!/usr/bin/env python3
"""oauthlib's provider endpoints in a WSGI application: a live server for `oauth1-conformance probe`.

    server.py --port PORT --credentials FILE

* any path, any method: a protected resource, checked by
  `oauthlib.oauth1.ResourceEndpoint.validate_protected_resource_request` as the resource
  endpoint's docstring and docs/oauth1/server.rst ("Protect your APIs using realms") show:
  200 with a small JSON body when it returns True, 403 (the docs' `abort(403)`) otherwise;
* POST /initiate: `RequestTokenEndpoint.create_request_token_response` (temporary credentials);
* POST /token: `AccessTokenEndpoint.create_access_token_response` (token credentials).

The application's part is the `RequestValidator` subclass below, written after the examples in
oauthlib's `RequestValidator` docstrings; README.md lists each of its checks (labelled `app`).
The validator keeps oauthlib's defaults: `enforce_ssl` (True: a request whose URI is not
https:// is refused), the 20-30 alphanumeric policy on keys, tokens, nonces and verifiers,
`timestamp_lifetime` 600 s, every signature method.
"""

import json
import os
import sys
import threading
import time
import wsgiref.util

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python-common"))
import live_server  # noqa: E402

from oauthlib import oauth1  # noqa: E402
from oauthlib.common import safe_string_equals  # noqa: E402

# A body larger than this is refused before oauthlib sees it.
MAX_BODY_BYTES = 1 << 20

# What the resource owner is taken to have authorized every temporary credential for.
NO_REALMS = []


class Validator(oauth1.RequestValidator):
    """The storage oauthlib leaves to the application: the credentials file, plus the
    temporary credentials, token credentials and nonces this process issues or sees."""

    def __init__(self, credentials):
        super().__init__()
        self.credentials = credentials
        self.lock = threading.Lock()
        self.request_tokens = {}  # token -> {"secret", "consumer_key", "verifier", "callback"}
        self.issued_tokens = {}  # token -> {"secret", "consumer_key"}
        self.nonces = {}  # (client_key, timestamp, nonce, token) -> timestamp as int

    # --- dummies: valid inputs that never match, so a miss costs the same time as a hit ---

    @property
    def dummy_client(self):
        return "dummyclientoauth1conformance"

    @property
    def dummy_request_token(self):
        return "dummyrequesttokenoauth1"

    @property
    def dummy_access_token(self):
        return "dummyaccesstokenoauth1"

    # --- lookups ---

    def _token(self, client_key, token):
        with self.lock:
            issued = self.issued_tokens.get(token)
        if issued is not None and issued["consumer_key"] == client_key:
            return issued
        return self.credentials.token(client_key, token)

    def get_client_secret(self, client_key, request):
        consumer = self.credentials.consumer(client_key)
        return (consumer or {}).get("secret") or "dummy"

    def get_rsa_key(self, client_key, request):
        consumer = self.credentials.consumer(client_key)
        return (consumer or {}).get("rsa_public_key_pem")

    def get_access_token_secret(self, client_key, token, request):
        return (self._token(client_key, token) or {}).get("secret", "dummy")

    def get_request_token_secret(self, client_key, token, request):
        with self.lock:
            found = self.request_tokens.get(token)
        if found is None or found["consumer_key"] != client_key:
            return "dummy"
        return found["secret"]

    def validate_client_key(self, client_key, request):
        return self.credentials.consumer(client_key) is not None

    def validate_access_token(self, client_key, token, request):
        return self._token(client_key, token) is not None

    def validate_request_token(self, client_key, token, request):
        with self.lock:
            found = self.request_tokens.get(token)
        return found is not None and found["consumer_key"] == client_key

    def validate_timestamp_and_nonce(self, client_key, timestamp, nonce, request, request_token=None,
                                     access_token=None):
        # The docstring's example: the request is refused when (client_key, timestamp, nonce, token)
        # is in the store of used ones. Its store is a fixed list; the docstring's text says a pair
        # used before must be refused, so each one seen is recorded here.
        used = (client_key, timestamp, nonce, request_token or access_token)
        now = time.time()
        with self.lock:
            # oauthlib refuses timestamps more than timestamp_lifetime away before asking: older
            # entries can never match again, so they are dropped to bound the store.
            for old in [k for k, t in self.nonces.items() if now - t > self.timestamp_lifetime]:
                del self.nonces[old]
            if used in self.nonces:
                return False
            self.nonces[used] = int(timestamp)
        return True

    def validate_realms(self, client_key, token, request, uri=None, realms=None):
        # The docstring's example: the token's realms must include those the resource requires
        # (none here); an unknown token has none.
        return self._token(client_key, token) is not None and set(NO_REALMS).issuperset(set(realms or []))

    # --- the temporary-credential and token-credential endpoints ---

    def get_default_realms(self, client_key, request):
        return list(NO_REALMS)

    def validate_requested_realms(self, client_key, realms, request):
        return set(NO_REALMS).issuperset(set(realms))

    def validate_redirect_uri(self, client_key, redirect_uri, request):
        # No callback URIs are registered in the credentials file: "oob" or an absolute http(s)
        # URI is taken.
        return redirect_uri == "oob" or redirect_uri.startswith(("https://", "http://"))

    def save_request_token(self, token, request):
        # The resource owner's authorization (RFC 5849 section 2.2) is not part of this server:
        # every temporary credential is issued already authorized, with the file's verifier.
        with self.lock:
            self.request_tokens[token["oauth_token"]] = {
                "secret": token["oauth_token_secret"],
                "consumer_key": request.client_key,
                "verifier": self.credentials.verifier,
            }

    def validate_verifier(self, client_key, token, verifier, request):
        # The docstring's example: a constant-time comparison with the verifier stored for the token.
        with self.lock:
            found = self.request_tokens.get(token)
        correct = found["verifier"] if found is not None and found["consumer_key"] == client_key else "dummy"
        return safe_string_equals(verifier, correct)

    def invalidate_request_token(self, client_key, request_token, request):
        with self.lock:
            self.request_tokens.pop(request_token, None)

    def get_realms(self, token, request):
        return list(NO_REALMS)

    def save_access_token(self, token, request):
        with self.lock:
            self.issued_tokens[token["oauth_token"]] = {
                "secret": token["oauth_token_secret"],
                "consumer_key": request.client_key,
            }


def request_parts(environ):
    """The request as oauthlib's endpoints take it: URI, method, body, headers."""
    # wsgiref's reconstruction of the URI the client used: the WSGI server's url_scheme, the
    # Host header, the path re-quoted from PATH_INFO and the query string.
    uri = wsgiref.util.request_uri(environ, include_query=True)
    headers = {}
    for name, value in environ.items():
        if name.startswith("HTTP_"):
            headers[name[5:].replace("_", "-").title()] = value
    for name in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(name):
            headers[name.replace("_", "-").title()] = environ[name]
    return uri, environ["REQUEST_METHOD"], headers


def read_body(environ):
    """The raw body, or None when it is larger than MAX_BODY_BYTES."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        return None
    return environ["wsgi.input"].read(length) if length > 0 else b""


def respond(start_response, status, body, content_type="application/json", headers=None):
    data = body.encode("utf-8")
    reasons = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 405: "Method Not Allowed",
               413: "Content Too Large"}
    all_headers = [("Content-Type", content_type), ("Content-Length", str(len(data)))]
    all_headers += [(k, v) for k, v in (headers or {}).items() if k.lower() not in ("content-type", "content-length")]
    start_response(f"{status} {reasons.get(status, 'Error')}", all_headers)
    return [data]


def application(validator):
    resource = oauth1.ResourceEndpoint(validator)
    request_token = oauth1.RequestTokenEndpoint(validator)
    access_token = oauth1.AccessTokenEndpoint(validator)

    def app(environ, start_response):
        uri, method, headers = request_parts(environ)
        body = read_body(environ)
        if body is None:
            return respond(start_response, 413, json.dumps({"error": "body too large"}))
        path = environ.get("PATH_INFO", "")
        if path in ("/initiate", "/token"):
            if method != "POST":
                return respond(start_response, 405, json.dumps({"error": "POST only"}))
            endpoint = request_token.create_request_token_response if path == "/initiate" else \
                access_token.create_access_token_response
            out_headers, out_body, status = endpoint(uri, http_method=method, body=body, headers=headers)
            return respond(start_response, status, out_body or "", "application/x-www-form-urlencoded", out_headers)
        valid, _request = resource.validate_protected_resource_request(
            uri, http_method=method, body=body, headers=headers, realms=NO_REALMS
        )
        if valid:
            return respond(start_response, 200, json.dumps({"accepted": True, "server": "oauthlib-resource-endpoint"}))
        return respond(start_response, 403, json.dumps({"accepted": False}))

    return app


def main():
    args = live_server.arguments("oauthlib's ResourceEndpoint as a live HTTP server on 127.0.0.1")
    credentials = live_server.credentials_or_exit(args.credentials)
    live_server.serve(application(Validator(credentials)), args.port)


if __name__ == "__main__":
    main()
