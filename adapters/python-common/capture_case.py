"""The case a capture driver must send, read from the environment `oauth1-conformance capture
--exec` sets (docs/capture.md): each driver imports this and makes the request with its client.

A driver exits 0 once it got any HTTP response (the server judges the request), and
CANNOT_EXPRESS (3) with the reason on stderr when its client cannot send the case.
"""

import os
import sys

CANNOT_EXPRESS = 3


class Case:
    def __init__(self, environ=os.environ):
        self.url = environ["OAUTH1_CAPTURE_URL"]
        self.method = environ["OAUTH1_CAPTURE_METHOD"]
        self.content_type = environ.get("OAUTH1_CAPTURE_CONTENT_TYPE")
        self.body = None
        if "OAUTH1_CAPTURE_BODY_FILE" in environ:
            with open(environ["OAUTH1_CAPTURE_BODY_FILE"], "rb") as f:
                self.body = f.read()
        self.consumer_key = environ["OAUTH1_CONSUMER_KEY"]
        self.consumer_secret = environ["OAUTH1_CONSUMER_SECRET"]
        self.token = environ.get("OAUTH1_TOKEN")
        self.token_secret = environ.get("OAUTH1_TOKEN_SECRET")
        self.signature_method = environ["OAUTH1_SIGNATURE_METHOD"]
        self.realm = environ.get("OAUTH1_REALM")
        self.rsa_key = None
        if "OAUTH1_RSA_PRIVATE_KEY_FILE" in environ:
            with open(environ["OAUTH1_RSA_PRIVATE_KEY_FILE"], encoding="ascii") as f:
                self.rsa_key = f.read()
        self.ca_file = environ.get("OAUTH1_CAPTURE_CA_FILE")

    def headers(self):
        return {"Content-Type": self.content_type} if self.content_type else {}


def cannot_express(reason):
    print(reason, file=sys.stderr)
    sys.exit(CANNOT_EXPRESS)


def refusing(library, send):
    """Runs send(); a ValueError the library raises because it will not sign or send the
    request (oauthlib refuses a form body it cannot decode, Authlib a query with raw `$`) means
    the client cannot express the case."""
    try:
        return send()
    except ValueError as e:
        cannot_express(f"{library} refuses the request: {e}")
