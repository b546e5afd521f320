#!/usr/bin/env python3
"""Standalone reproductions of the live-server findings of Authlib's Flask OAuth 1.0 provider
(live/authlib-flask-resource-protector/CASE, found by `oauth1-conformance probe`).

Uses only Authlib and Flask, wired as adapters/python-authlib/server.py wires them after
Authlib's docs (docs/flask/1/resource-server.rst and authorization-server.rst): a resource view
behind `@require_oauth()` of `authlib.integrations.flask_oauth1.ResourceProtector(app,
query_client=..., query_token=..., exists_nonce=...)`, and POST /initiate answered by
`AuthorizationServer.create_temporary_credentials_response()` with the docs' hooks. Each probe
case's request is written out below as the server received it (method, URL, Authorization header,
body) and handed to the application through Flask's test client (a WSGI environ; nothing listens).
Its signature is HMAC-SHA1 (hmac, hashlib) over the RFC 5849 signature base string written out
below, with the nonce and the timestamp (the clock's, shifted where the case shifts it) put in.

Usage: authlib_flask_server.py CASE. Prints Authlib's verdict next to RFC 5849's; exits 0 while
Authlib still behaves as the dossier documents, 3 when it behaves as RFC 5849 requires (retire the
dossier), 4 on a third behaviour.
"""
import base64
import hashlib
import hmac
import secrets
import sys
import time
import urllib.parse

from authlib.integrations.flask_oauth1 import AuthorizationServer, ResourceProtector
from authlib.oauth1 import ClientMixin, TemporaryCredentialMixin, TokenCredentialMixin
from flask import Flask, jsonify

# The credentials of adapters/servers-smoke/credentials.json (RFC 5849 §1.2's example ones).
CONSUMER_KEY, CONSUMER_SECRET = "dpf43f3p2l4k3l03", "kd94hf93k423kf44"
TOKEN, TOKEN_SECRET = "nnch734d00sl2jdk", "pfkkdhi9sl3r4s00"
HOST = "127.0.0.1:8080"
A_DAY = 86400

# The gate's request, GET http://127.0.0.1:8080/probe/photos?file=vacation.jpg&size=original (a case
# appends its query), and its base string (RFC 5849 §3.4.1: parameters sorted by encoded name, a
# case's own pair put {between} file and the protocol parameters or {after} size; `{version}` is
# the oauth_version the case signs).
GATE_BASE = ("GET&http%3A%2F%2F127.0.0.1%3A8080%2Fprobe%2Fphotos&file%3Dvacation.jpg%26"
             "{between}oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26"
             "oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26"
             "oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D{version}%26size%3Doriginal{after}")
GATE_HEADER = ('OAuth oauth_consumer_key="dpf43f3p2l4k3l03", oauth_token="nnch734d00sl2jdk", '
               'oauth_signature_method="HMAC-SHA1", oauth_timestamp="{timestamp}", oauth_nonce="{nonce}", '
               'oauth_version="{version}", oauth_signature="{signature}"')
# The temporary-credential request of the flow family: POST /initiate, an empty form body, no token.
INITIATE_BASE = ("POST&http%3A%2F%2F127.0.0.1%3A8080%2Finitiate&oauth_callback%3Dhttp%253A%252F%252F"
                 "client.example%252Fready%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26"
                 "oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_version%3D1.0")
INITIATE_HEADER = ('OAuth oauth_consumer_key="dpf43f3p2l4k3l03", oauth_signature_method="HMAC-SHA1", '
                   'oauth_timestamp="{timestamp}", oauth_nonce="{nonce}", oauth_version="1.0", '
                   'oauth_callback="http%3A%2F%2Fclient.example%2Fready", oauth_signature="{signature}"')

# Per case: what RFC 5849 wants (and where it says so), what the dossier documents, the request.
CASES = {
    "flow-callback-confirmed": {
        "rfc": ("oauth_callback_confirmed=true", "§2.1: the parameter MUST be present and set to \"true\""),
        "documented": "oauth_callback_confirmed=True",
    },
    "malformed-unknown-version": {
        "rfc": ("refuse", "§3.2: oauth_version, if present, MUST be \"1.0\""),
        "documented": "accept",
        "version": "2.0",
    },
    "time-future-24h": {
        "rfc": ("refuse", "§3.3: the server bounds the timestamps it accepts (§3.2: refuse on failure)"),
        "documented": "accept",
        "shift": A_DAY,
    },
    "time-milliseconds": {
        "rfc": ("refuse", "§3.3: oauth_timestamp is in seconds; in milliseconds it is far outside any window"),
        "documented": "accept",
        "milliseconds": True,
    },
    "valid-non-ascii": {
        "rfc": ("accept", "§3.6, §3.4.1.3.1: UTF-8 octets percent-encoded; the signature is valid"),
        "documented": "error: ValueError",
        "query": ("name=caf%C3%A9", "name%3Dcaf%25C3%25A9%26", ""),
    },
    "valid-reserved-characters": {
        "rfc": ("accept", "§3.6, §3.4.1.3.1: reserved characters percent-encoded; the signature is valid"),
        "documented": "error: ValueError",
        "query": ("x=%21%2A%27%28%29", "", "%26x%3D%2521%252A%2527%2528%2529"),
    },
}


class Client(ClientMixin):
    def get_default_redirect_uri(self):
        return ""

    def get_client_secret(self):
        return CONSUMER_SECRET

    def get_rsa_public_key(self):
        return None


class TokenCredential(TokenCredentialMixin):
    def __init__(self, token, secret):
        self.token, self.secret = token, secret

    def get_oauth_token(self):
        return self.token

    def get_oauth_token_secret(self):
        return self.secret


class TemporaryCredential(TemporaryCredentialMixin, TokenCredential):
    def __init__(self, token, secret, callback):
        super().__init__(token, secret)
        self.callback = callback

    def get_client_id(self):
        return CONSUMER_KEY

    def get_redirect_uri(self):
        return self.callback

    def check_verifier(self, verifier):
        return False


def application():
    """The application of adapters/python-authlib/server.py, reduced to what the cases reach."""
    app = Flask(__name__)
    app.testing = True  # an exception in the view reaches the caller instead of a bare 500
    nonces = set()

    def exists_nonce(nonce, timestamp, client_id, oauth_token):
        # The docs' database example: True when the row exists, else the row is added.
        row = (nonce, timestamp, client_id, oauth_token)
        found = row in nonces
        nonces.add(row)
        return found

    def query_client(client_id):
        return Client() if client_id == CONSUMER_KEY else None

    def query_token(client_id, oauth_token):
        return TokenCredential(TOKEN, TOKEN_SECRET) if (client_id, oauth_token) == (CONSUMER_KEY, TOKEN) else None

    require_oauth = ResourceProtector(app, query_client=query_client, query_token=query_token,
                                      exists_nonce=exists_nonce)
    server = AuthorizationServer(app, query_client=query_client)
    server.register_hook("exists_nonce", exists_nonce)
    server.register_hook("create_temporary_credential",
                         lambda token, client_id, redirect_uri: TemporaryCredential(
                             token["oauth_token"], token["oauth_token_secret"], redirect_uri))

    @app.route("/initiate", methods=["POST"])
    def initiate():
        return server.create_temporary_credentials_response()

    @app.route("/<path:path>", methods=["GET"])
    @require_oauth()
    def resource(path):
        return jsonify(accepted=True)

    return app


def sign(base_string, key):
    digest = hmac.new(key.encode("ascii"), base_string.encode("ascii"), hashlib.sha1).digest()
    return urllib.parse.quote(base64.b64encode(digest).decode("ascii"), safe="")


def send(case):
    """The case's request, signed now, through the application; what the client received."""
    nonce, now = secrets.token_hex(12), int(time.time())
    client = application().test_client()
    if case == "flow-callback-confirmed":
        signature = sign(INITIATE_BASE.format(nonce=nonce, timestamp=now), CONSUMER_SECRET + "&")
        header = INITIATE_HEADER.format(nonce=nonce, timestamp=now, signature=signature)
        return client.post("/initiate", base_url=f"http://{HOST}", data=b"",
                           headers={"Authorization": header, "Content-Type": "application/x-www-form-urlencoded"})
    spec = CASES[case]
    timestamp = now * 1000 if spec.get("milliseconds") else now + spec.get("shift", 0)
    query, between, after = spec.get("query", ("", "", ""))
    fields = {"nonce": nonce, "timestamp": timestamp, "version": spec.get("version", "1.0")}
    base_string = GATE_BASE.format(between=between, after=after, **fields)
    signature = sign(base_string, f"{CONSUMER_SECRET}&{TOKEN_SECRET}")
    target = "/probe/photos?file=vacation.jpg&size=original" + (f"&{query}" if query else "")
    return client.get(target, base_url=f"http://{HOST}",
                      headers={"Authorization": GATE_HEADER.format(signature=signature, **fields)})


def verdict(case):
    try:
        response = send(case)
    except Exception as error:  # noqa: BLE001 - what escapes the library is the finding
        return f"error: {type(error).__name__}", f"{type(error).__name__}: {error}"
    body = response.get_data(as_text=True)
    if case == "flow-callback-confirmed":
        pairs = urllib.parse.parse_qsl(body, keep_blank_values=True)
        value = dict(pairs).get("oauth_callback_confirmed")
        shown = "no oauth_callback_confirmed" if value is None else f"oauth_callback_confirmed={value}"
        return shown, f"{response.status_code} {urllib.parse.urlencode([(n, v) for n, v in pairs if n != 'oauth_token_secret'])}"
    accepted = {200: "accept", 400: "refuse", 401: "refuse", 403: "refuse"}.get(response.status_code)
    return accepted or f"status {response.status_code}", f"{response.status_code} {body.strip()[:200]}"


def main():
    case = sys.argv[1] if len(sys.argv) == 2 else None
    if case not in CASES:
        sys.exit(f"usage: {sys.argv[0]} CASE (one of: {', '.join(CASES)})")
    rfc, section = CASES[case]["rfc"]
    got, detail = verdict(case)
    print(f"finding:  live/authlib-flask-resource-protector/{case}")
    print(f"Authlib:  {got} ({detail})")
    print(f"RFC 5849: {rfc} ({section})")
    if got == rfc:
        print("fixed: Authlib now behaves as RFC 5849 requires")
        sys.exit(3)
    if got != CASES[case]["documented"]:
        print(f"changed: the dossier documents {CASES[case]['documented']}")
        sys.exit(4)


main()
