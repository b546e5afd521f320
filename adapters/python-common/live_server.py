"""What the Python live servers share: their command line, the credentials file, and gunicorn.

A live server is a real HTTP server on 127.0.0.1 that a framework protects with OAuth 1.0, for
`oauth1-conformance probe` (adapters/README.md, "Live servers"). Every one is started as

    server.py --port PORT --credentials FILE

prints `listening on http://127.0.0.1:PORT` on stdout once the socket accepts connections, and
exits on SIGTERM or SIGINT.

The WSGI server is gunicorn (pinned in the servers' requirements files), run in-process through
its documented custom-application API, with one synchronous worker. gunicorn, not wsgiref,
because it is what these frameworks are deployed behind, and because its default
`forwarded_allow_ips` ("127.0.0.1,::1") makes it honour `X-Forwarded-Proto: https` from a proxy on
loopback: the scheme a TLS-terminating proxy in front of it reports is the scheme the
application sees. The servers keep that default, as a deployment would.
"""

import argparse
import json
import sys

# A credentials file larger than this is not a credentials file.
MAX_CREDENTIALS_BYTES = 1 << 20


class CredentialsError(Exception):
    """The credentials file is unreadable or not of the documented shape."""


class Credentials:
    """The credentials file (docs/credentials.schema.json): consumers, token credentials issued
    to them, and the verifier every temporary credential is authorized with."""

    def __init__(self, consumers, tokens, verifier):
        self.consumers = consumers  # key -> {"secret": str | None, "rsa_public_key_pem": str | None}
        self.tokens = tokens  # token -> {"secret": str, "consumer_key": str}
        self.verifier = verifier

    def consumer(self, key):
        return self.consumers.get(key)

    def token(self, consumer_key, token):
        """The token credential `token` issued to `consumer_key`, or None."""
        found = self.tokens.get(token)
        if found is None or found["consumer_key"] != consumer_key:
            return None
        return found


def _string(value, where, nullable=False):
    if value is None and nullable:
        return None
    if not isinstance(value, str):
        raise CredentialsError(f"{where} must be a string{' or null' if nullable else ''}")
    return value


def _objects(document, name):
    items = document.get(name)
    if not isinstance(items, list):
        raise CredentialsError(f'"{name}" must be an array')
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise CredentialsError(f"{name}[{index}] must be an object")
    return items


def load_credentials(path):
    """Reads and checks the credentials file; a problem is a CredentialsError naming where."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_CREDENTIALS_BYTES + 1)
    except OSError as error:
        raise CredentialsError(f"cannot read {path}: {error.strerror}") from None
    if len(raw) > MAX_CREDENTIALS_BYTES:
        raise CredentialsError(f"{path}: larger than {MAX_CREDENTIALS_BYTES} bytes")
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CredentialsError(f"{path}: not JSON: {error}") from None
    if not isinstance(document, dict):
        raise CredentialsError(f"{path}: the top level must be an object")
    try:
        consumers = {}
        for index, item in enumerate(_objects(document, "consumers")):
            key = _string(item.get("key"), f"consumers[{index}].key")
            consumers[key] = {
                "secret": _string(item.get("secret"), f"consumers[{index}].secret", nullable=True),
                "rsa_public_key_pem": _string(
                    item.get("rsa_public_key_pem"), f"consumers[{index}].rsa_public_key_pem", nullable=True
                ),
            }
        tokens = {}
        for index, item in enumerate(_objects(document, "tokens")):
            token = _string(item.get("token"), f"tokens[{index}].token")
            consumer_key = _string(item.get("consumer_key"), f"tokens[{index}].consumer_key")
            if consumer_key not in consumers:
                raise CredentialsError(f"tokens[{index}].consumer_key names no consumer of the file")
            tokens[token] = {"secret": _string(item.get("secret"), f"tokens[{index}].secret"), "consumer_key": consumer_key}
        verifier = _string(document.get("verifier"), '"verifier"')
    except CredentialsError as error:
        raise CredentialsError(f"{path}: {error}") from None
    return Credentials(consumers, tokens, verifier)


def arguments(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--port", type=int, required=True, help="TCP port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--credentials", required=True, help="the credentials JSON file")
    args = parser.parse_args()
    if not 0 <= args.port <= 65535:
        parser.error(f"--port {args.port} is not a TCP port")
    return args


def credentials_or_exit(path):
    try:
        return load_credentials(path)
    except CredentialsError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)


def serve(application, port):
    """Runs `application` under gunicorn on 127.0.0.1:`port` until SIGTERM or SIGINT."""
    from gunicorn.app.base import BaseApplication

    def when_ready(server):
        # The listening socket is bound and listening when the arbiter calls this hook: the
        # kernel queues connections until the worker takes them.
        bound = server.LISTENERS[0].sock.getsockname()[1]
        print(f"listening on http://127.0.0.1:{bound}", flush=True)

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"127.0.0.1:{port}")
            self.cfg.set("workers", 1)
            self.cfg.set("when_ready", when_ready)
            # A request that does not arrive whole within this many seconds is dropped.
            self.cfg.set("timeout", 30)
            # An idle worker exits at once on SIGTERM; a busy one gets this long.
            self.cfg.set("graceful_timeout", 5)
            # gunicorn's management socket lives at one path per user ($HOME/.gunicorn/gunicorn.ctl):
            # servers run side by side would fight over it, and nothing here uses it.
            self.cfg.set("control_socket_disable", True)

        def load(self):
            return application

    Server().run()
