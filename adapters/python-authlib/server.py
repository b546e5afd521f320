#!/usr/bin/env python3
"""Authlib's Flask OAuth 1.0 provider: a live server for `oauth1-conformance probe`.

    server.py --port PORT --credentials FILE

* any path, GET/POST/PUT/PATCH/DELETE: a protected resource behind
  `authlib.integrations.flask_oauth1.ResourceProtector`, as docs/flask/1/resource-server.rst
  shows (`require_oauth = ResourceProtector(app, query_client=..., query_token=...,
  exists_nonce=...)`, `@require_oauth()` on the view): 200 with a small JSON body, or the status
  of the OAuth1Error the protector raises (401 or 400) with its JSON body;
* POST /initiate and POST /token: `authlib.integrations.flask_oauth1.AuthorizationServer`'s
  `create_temporary_credentials_response` and `create_token_response`, with the hooks of
  docs/flask/1/authorization-server.rst ("Server Hooks", the database variant).

The application's part is `query_client`, `query_token`, `exists_nonce` and the hooks; README.md
lists each (labelled `app`). Authlib's defaults are kept: HMAC-SHA1 only
(`OAUTH1_SUPPORTED_SIGNATURE_METHODS` unset), `EXPIRY_TIME` 300 s, https required except for
loopback hosts (`AUTHLIB_INSECURE_TRANSPORT` unset).
"""

import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python-common"))
import live_server  # noqa: E402

from authlib.integrations.flask_oauth1 import AuthorizationServer, ResourceProtector  # noqa: E402
from authlib.oauth1 import ClientMixin, TemporaryCredentialMixin, TokenCredentialMixin  # noqa: E402
from flask import Flask, jsonify, request  # noqa: E402

# Werkzeug refuses a body larger than this with 413 before Authlib sees it.
MAX_BODY_BYTES = 1 << 20

RESOURCE_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


class Client(ClientMixin):
    def __init__(self, client_id, secret, rsa_public_key_pem):
        self.client_id = client_id
        self.client_secret = secret
        self.rsa_public_key_pem = rsa_public_key_pem

    def get_default_redirect_uri(self):
        return ""

    def get_client_secret(self):
        return self.client_secret

    def get_rsa_public_key(self):
        return self.rsa_public_key_pem


class TokenCredential(TokenCredentialMixin):
    def __init__(self, client_id, oauth_token, oauth_token_secret):
        self.client_id = client_id
        self.oauth_token = oauth_token
        self.oauth_token_secret = oauth_token_secret

    def get_oauth_token(self):
        return self.oauth_token

    def get_oauth_token_secret(self):
        return self.oauth_token_secret


class TemporaryCredential(TemporaryCredentialMixin):
    def __init__(self, client_id, oauth_token, oauth_token_secret, oauth_callback, oauth_verifier):
        self.client_id = client_id
        self.oauth_token = oauth_token
        self.oauth_token_secret = oauth_token_secret
        self.oauth_callback = oauth_callback
        self.oauth_verifier = oauth_verifier

    def get_client_id(self):
        return self.client_id

    def get_redirect_uri(self):
        return self.oauth_callback

    def check_verifier(self, verifier):
        # The docs' model: a plain comparison with the verifier stored at authorization.
        return self.oauth_verifier == verifier

    def get_oauth_token(self):
        return self.oauth_token

    def get_oauth_token_secret(self):
        return self.oauth_token_secret


class Store:
    """The database of the docs' examples, in memory: the credentials file plus what this process
    issues and the (nonce, timestamp, client_id, oauth_token) rows of TimestampNonce."""

    def __init__(self, credentials):
        self.credentials = credentials
        self.lock = threading.Lock()
        self.temporary = {}  # oauth_token -> TemporaryCredential
        self.issued = {}  # oauth_token -> TokenCredential
        self.nonces = {}  # (nonce, timestamp, client_id, oauth_token) -> time recorded

    def query_client(self, client_id):
        consumer = self.credentials.consumer(client_id)
        if consumer is None:
            return None
        return Client(client_id, consumer["secret"], consumer["rsa_public_key_pem"])

    def query_token(self, client_id, oauth_token):
        with self.lock:
            issued = self.issued.get(oauth_token)
        if issued is not None and issued.client_id == client_id:
            return issued
        found = self.credentials.token(client_id, oauth_token)
        return None if found is None else TokenCredential(client_id, oauth_token, found["secret"])

    def exists_nonce(self, nonce, timestamp, client_id, oauth_token):
        # The docs' database example: True when the row exists, else the row is added.
        row = (nonce, timestamp, client_id, oauth_token)
        now = time.time()
        with self.lock:
            # Authlib refuses timestamps older than EXPIRY_TIME before asking; rows kept longer than
            # that could only match a future timestamp given again, so they are dropped after a day.
            for old in [k for k, seen in self.nonces.items() if now - seen > 86400]:
                del self.nonces[old]
            if row in self.nonces:
                return True
            self.nonces[row] = now
        return False

    # --- the authorization server's hooks ---

    def create_temporary_credential(self, token, client_id, redirect_uri):
        # The resource owner's authorization (RFC 5849 section 2.2, the docs' /authorize and
        # create_authorization_verifier hook) is not part of this server: every temporary
        # credential is created already authorized, with the file's verifier.
        item = TemporaryCredential(client_id, token["oauth_token"], token["oauth_token_secret"], redirect_uri,
                                   self.credentials.verifier)
        with self.lock:
            self.temporary[item.oauth_token] = item
        return item

    def get_temporary_credential(self, oauth_token):
        with self.lock:
            return self.temporary.get(oauth_token)

    def delete_temporary_credential(self, oauth_token):
        with self.lock:
            self.temporary.pop(oauth_token, None)

    def create_authorization_verifier(self, credential, grant_user, verifier):
        credential.oauth_verifier = verifier
        return credential

    def create_token_credential(self, token, temporary_credential):
        item = TokenCredential(temporary_credential.get_client_id(), token["oauth_token"], token["oauth_token_secret"])
        with self.lock:
            self.issued[item.oauth_token] = item
        return item


def create_app(credentials):
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    store = Store(credentials)

    require_oauth = ResourceProtector(
        app, query_client=store.query_client, query_token=store.query_token, exists_nonce=store.exists_nonce
    )
    server = AuthorizationServer(app, query_client=store.query_client)
    server.register_hook("exists_nonce", store.exists_nonce)
    server.register_hook("create_temporary_credential", store.create_temporary_credential)
    server.register_hook("get_temporary_credential", store.get_temporary_credential)
    server.register_hook("delete_temporary_credential", store.delete_temporary_credential)
    server.register_hook("create_authorization_verifier", store.create_authorization_verifier)
    server.register_hook("create_token_credential", store.create_token_credential)

    @app.route("/initiate", methods=["POST"])
    def initiate_temporary_credential():
        return server.create_temporary_credentials_response()

    @app.route("/token", methods=["POST"])
    def issue_token():
        return server.create_token_response()

    @app.route("/", defaults={"path": ""}, methods=RESOURCE_METHODS)
    @app.route("/<path:path>", methods=RESOURCE_METHODS)
    @require_oauth()
    def resource(path):
        return jsonify(accepted=True, server="authlib-flask-resource-protector", method=request.method)

    return app


def main():
    args = live_server.arguments("Authlib's Flask ResourceProtector as a live HTTP server on 127.0.0.1")
    credentials = live_server.credentials_or_exit(args.credentials)
    live_server.serve(create_app(credentials), args.port)


if __name__ == "__main__":
    main()
