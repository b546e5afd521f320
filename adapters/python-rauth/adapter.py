#!/usr/bin/env python3
"""rauth behind the adapter protocol, version 1 (adapters/PROTOCOL.md). One row, "rauth":

  sign: rauth.OAuth1Session(...).request(method, url-without-query, header_auth=True, realm=...,
                                        params=query, data=body, headers={Content-Type})
        with a requests transport adapter mounted that keeps the prepared request instead of
        sending it.

Every stage comes from rauth's own calls; see README.md.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python-common"))
import oauth1_adapter_protocol as protocol  # noqa: E402

if __name__ == "__main__":
    protocol.use_fixed_hash_seed(__file__)

import hmac  # noqa: E402
import urllib.parse  # noqa: E402
from importlib.metadata import version as installed_version  # noqa: E402

import requests  # noqa: E402
from rauth import oauth as rauth_oauth  # noqa: E402
from rauth.session import OAuth1Session  # noqa: E402
from rauth.utils import OPTIONAL_OAUTH_PARAMS  # noqa: E402

from library_hooks import ModuleAttribute  # noqa: E402
from oauth1_adapter_protocol import Unsupported, library  # noqa: E402

# RSA-SHA1 needs PyCrypto (`Crypto.Hash.SHA`, `RSA._RSAobj`), which is not installable on Python 3.11.
SIGNATURE_METHODS = {"HMAC-SHA1": rauth_oauth.HmacSha1Signature, "PLAINTEXT": rauth_oauth.PlaintextSignature}


class _KeepPreparedRequest(requests.adapters.BaseAdapter):
    """A requests transport that answers 200 without sending: the test double requests
    documents (Session.mount) for seeing what would go on the wire."""

    def __init__(self):
        super().__init__()
        self.sent = None

    def send(self, request, **kwargs):
        self.sent = request
        response = requests.Response()
        response.status_code = 200
        response.request = request
        response._content = b""
        return response

    def close(self):
        pass


class _FixedParamsSession(OAuth1Session):
    """OAuth1Session whose _get_oauth_params (the method that draws the nonce and timestamp)
    returns the case's values for the parameters given."""

    def __init__(self, fixed, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed = fixed

    def _get_oauth_params(self, req_kwargs):
        params = super()._get_oauth_params(req_kwargs)
        params.update(self.fixed)
        return params


class _RecordingHmac:
    """Stands in for the hmac module inside rauth.oauth: keeps the message HmacSha1Signature.sign
    hashes, which is its signature base string."""

    def __init__(self):
        self.message = None

    def new(self, key, msg, digestmod):
        self.message = msg
        return hmac.new(key, msg, digestmod)


def _record_returns(obj, name, into, stage):
    original = getattr(obj, name)

    def wrapper(*args, **kwargs):
        into[stage] = original(*args, **kwargs)
        return into[stage]

    setattr(obj, name, wrapper)


def sign(req):
    request, oauth, secrets = req["request"], req["oauth"], req["secrets"]
    method_name = oauth["signature_method"]
    if method_name not in SIGNATURE_METHODS:
        raise Unsupported(f"rauth has no signature method {method_name!r} here")
    fixed = {}
    for field in ("nonce", "timestamp"):
        if oauth.get(field) is None:
            raise Unsupported(f"rauth cannot omit oauth_{field}")
        fixed[f"oauth_{field}"] = oauth[field]
    if oauth.get("version") is not None:  # None: rauth sends its VERSION, 1.0
        fixed["oauth_version"] = oauth["version"]
    extra = oauth.get("extra") or {}
    unknown = sorted(set(extra) - set(OPTIONAL_OAUTH_PARAMS))
    if unknown:
        raise Unsupported(f"rauth only sends {list(OPTIONAL_OAUTH_PARAMS)} as optional protocol parameters; not {unknown}")
    fixed.update(extra)

    session = library(
        _FixedParamsSession,
        fixed,
        oauth["consumer_key"],
        secrets.get("consumer_secret"),
        access_token=oauth.get("token"),
        access_token_secret=secrets.get("token_secret"),
        signature=SIGNATURE_METHODS[method_name],
    )
    transport = _KeepPreparedRequest()
    session.mount("http://", transport)
    session.mount("https://", transport)
    stages = {}
    _record_returns(session.signature, "_remove_qs", stages, "base_string_uri")
    _record_returns(session.signature, "_normalize_request_parameters", stages, "normalized_parameters")
    _record_returns(session.signature, "sign", stages, "signature")

    # rauth's documented way to send query parameters is `params` (a query string is parsed by
    # rauth itself); a query left in the URL is not signed (rauth strips it: _remove_qs).
    url = urllib.parse.urlsplit(request["url"])
    kwargs = {"header_auth": True, "realm": oauth.get("realm") or ""}
    if url.query:
        kwargs["params"] = url.query
    if request.get("body") is not None:
        kwargs["data"] = request["body"]
    if request.get("content_type") is not None:
        kwargs["headers"] = {"Content-Type": request["content_type"]}
    recording_hmac = _RecordingHmac()
    with ModuleAttribute(rauth_oauth, "hmac", recording_hmac):
        library(session.request, request["method"], urllib.parse.urlunsplit(url._replace(query="")), **kwargs)

    if transport.sent is None or "Authorization" not in transport.sent.headers:
        raise RuntimeError("rauth sent no request with an Authorization header")
    trace = {"signature": stages["signature"], "authorization_header": transport.sent.headers["Authorization"]}
    if recording_hmac.message is not None:  # HMAC-SHA1 only: PLAINTEXT builds no base string
        trace["signature_base_string"] = recording_hmac.message.decode("utf-8")
        trace["normalized_parameters"] = stages["normalized_parameters"]
        trace["base_string_uri"] = stages["base_string_uri"]
    return {"trace": trace}


NOTES = (
    "sign: OAuth1Session(consumer_key, consumer_secret, access_token, access_token_secret, signature=HmacSha1Signature "
    "or PlaintextSignature).request(method, url without its query, header_auth=True, realm=realm or '', "
    "params=<the URL's query string, which rauth parses with parse_qsl into a dict>, data=body, "
    "headers={Content-Type}); nothing is sent (a requests transport adapter keeps the prepared request). "
    "oauth_nonce, oauth_timestamp, oauth_version (when given) and extra parameters (only oauth_callback, "
    "oauth_verifier) are set by overriding OAuth1Session._get_oauth_params, the method that draws them; with no "
    "version rauth sends 1.0. rauth defaults POST/PUT/PATCH to a form Content-Type and reads the body only when "
    "the Content-Type is exactly form-urlencoded. authorization_header: the sent request's header; signature: what "
    "signature.sign returned; base_string_uri and normalized_parameters: what _remove_qs and "
    "_normalize_request_parameters returned; signature_base_string: the message handed to hmac.new (rauth.oauth's "
    "hmac is wrapped). PLAINTEXT reports only signature and authorization_header. RSA-SHA1 needs PyCrypto: not "
    "offered. No header parser, no verifier, no body hash."
)


def main():
    stages = [stage for stage in protocol.ALL_STAGES if stage != "body_hash"]
    identity = protocol.implementation("rauth", installed_version("rauth"), ["sign"], list(SIGNATURE_METHODS), stages,
                                       False, False, NOTES)
    return protocol.serve(identity, {"sign": sign}, "rauth")


if __name__ == "__main__":
    sys.exit(main())
