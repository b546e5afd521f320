#!/usr/bin/env python3
"""python-oauth2 (PyPI `oauth2`) behind the adapter protocol, version 1 (adapters/PROTOCOL.md).
One row, "oauth2":

  sign:         the steps of oauth2.Client.request without the HTTP call:
                oauth2.Request.from_consumer_and_token(...), .sign_request(method, consumer, token),
                .to_header(realm)
  parse_header: oauth2.Request.from_request(method, url, headers={"Authorization": header})
  verify:       oauth2.Server(...).verify_request(oauth2.Request.from_request(...), consumer, token)

Every stage comes from oauth2's own calls; see README.md.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python-common"))
import oauth1_adapter_protocol as protocol  # noqa: E402

if __name__ == "__main__":
    protocol.use_fixed_hash_seed(__file__)

from importlib.metadata import version as installed_version  # noqa: E402

import oauth2  # noqa: E402
from oauth2 import _compat as oauth2_compat  # noqa: E402

from library_hooks import FixedClock, ModuleAttribute  # noqa: E402
from oauth1_adapter_protocol import Unsupported, library  # noqa: E402

SIGNATURE_METHODS = {"HMAC-SHA1": oauth2.SignatureMethod_HMAC_SHA1, "PLAINTEXT": oauth2.SignatureMethod_PLAINTEXT}
FORM_URLENCODED = "application/x-www-form-urlencoded"

# Request.from_request needs a URL; a header read on its own has none (and no query to add).
_HEADER_ONLY_URL = "http://example.invalid/"


def _text(value):
    """oauth2 returns signatures and body hashes as bytes on Python 3."""
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _token(key, secret):
    if key is None:
        if secret:
            raise Unsupported("oauth2 takes the token secret from a Token, which needs a token key")
        return None
    return library(oauth2.Token, key, secret or "")


class _RecordingSignatureMethod:
    """Wraps a signature method instance so that the message signing_base returned is kept."""

    def __init__(self, method):
        self.method = method
        self.base = None
        original = method.signing_base

        def signing_base(request, consumer, token):
            key, raw = original(request, consumer, token)
            self.base = raw
            return key, raw

        method.signing_base = signing_base


def sign(req):
    request, oauth, secrets = req["request"], req["oauth"], req["secrets"]
    method_name = oauth["signature_method"]
    if method_name not in SIGNATURE_METHODS:
        raise Unsupported(f"oauth2 has no signature method {method_name!r}")
    for field in ("nonce", "timestamp"):
        if oauth.get(field) is None:
            raise Unsupported(f"oauth2 cannot omit oauth_{field} (from_consumer_and_token generates one)")

    # oauth2.Client.request: POST defaults to a form Content-Type; the body is parsed (parse_qs)
    # only when the Content-Type is exactly form-urlencoded.
    content_type = request.get("content_type")
    if content_type is None and request["method"] == "POST":
        content_type = FORM_URLENCODED
    is_form_encoded = content_type == FORM_URLENCODED
    body = (request.get("body") or "").encode("utf-8")
    parameters = library(oauth2_compat.parse_qs, body) if is_form_encoded and body else {}
    # The documented way to fix them: parameters override from_consumer_and_token's defaults.
    parameters["oauth_nonce"] = oauth["nonce"]
    parameters["oauth_timestamp"] = oauth["timestamp"]
    if oauth.get("version") is not None:
        parameters["oauth_version"] = oauth["version"]
    parameters.update(oauth.get("extra") or {})

    consumer = library(oauth2.Consumer, oauth["consumer_key"], secrets.get("consumer_secret") or "")
    token = _token(oauth.get("token"), secrets.get("token_secret"))
    signed = library(
        oauth2.Request.from_consumer_and_token,
        consumer,
        token=token,
        http_method=request["method"],
        http_url=request["url"],
        parameters=parameters,
        body=body,
        is_form_encoded=is_form_encoded,
    )
    normalized = []
    original_normalize = signed.get_normalized_parameters

    def get_normalized_parameters():
        normalized.append(original_normalize())
        return normalized[-1]

    signed.get_normalized_parameters = get_normalized_parameters
    recorder = _RecordingSignatureMethod(SIGNATURE_METHODS[method_name]())
    library(signed.sign_request, recorder.method, consumer, token)
    header = library(signed.to_header, realm=oauth.get("realm") or "")["Authorization"]

    trace = {"base_string_uri": signed.normalized_url, "signature": _text(signed["oauth_signature"]),
             "authorization_header": header}
    if method_name != "PLAINTEXT":  # its signing_base returns the signature, not a base string
        trace["normalized_parameters"] = normalized[-1]
        trace["signature_base_string"] = _text(recorder.base)
    protocol.add_body_hash(trace, oauth, _text(signed.get("oauth_body_hash")),
                           "oauth2 computed no oauth_body_hash: sign_request adds one only to requests that are not "
                           "form-encoded")
    return {"trace": trace}


def parse_header(req):
    parsed = library(oauth2.Request.from_request, "GET", _HEADER_ONLY_URL, headers={"Authorization": req["header"]})
    return {"params": [[name, value] for name, value in (parsed or {}).items()]}


def verify(req):
    request, secrets = req["request"], req["secrets"]
    headers = {}
    for name, value in request["headers"]:
        if name.lower() in (h.lower() for h in headers):
            raise Unsupported(f"header {name!r} appears twice; from_request takes headers as a dict")
        headers[name] = value
    content_type = request.get("content_type")
    form_body = request.get("body") if content_type is not None and FORM_URLENCODED in content_type else None
    oauth_request = library(oauth2.Request.from_request, request["method"], request["url"], headers=headers,
                            query_string=form_body)
    if oauth_request is None:
        raise protocol.Rejected("oauth2.Request.from_request found no parameters")
    consumer = library(oauth2.Consumer, oauth_request.get("oauth_consumer_key"), secrets.get("consumer_secret") or "")
    token = _token(oauth_request.get("oauth_token"), secrets.get("token_secret"))
    server = oauth2.Server(signature_methods={name: method() for name, method in SIGNATURE_METHODS.items()})
    # Server._check_timestamp reads the clock with time.time().
    with ModuleAttribute(oauth2, "time", FixedClock(req["now"])):
        library(server.verify_request, oauth_request, consumer, token)
    return {"accepted": True}


NOTES = (
    "sign: the steps of oauth2.Client.request without its HTTP call: Content-Type defaults to form-urlencoded for "
    "POST; a body with exactly that Content-Type is parsed with oauth2's parse_qs (blank values dropped) into the "
    "parameters; oauth_nonce, oauth_timestamp, oauth_version (when given) and the extra parameters are added to "
    "the parameters (they override from_consumer_and_token's defaults; with no version it adds 1.0); "
    "Request.from_consumer_and_token(Consumer(key, secret), Token(token, token_secret) or None, method, url, "
    "parameters, body, is_form_encoded).sign_request(SignatureMethod_HMAC_SHA1() or _PLAINTEXT(), ...), "
    "authorization_header = to_header(realm or '') (realm=\"\" when none). base_string_uri: Request.normalized_url; "
    "normalized_parameters: what Request.get_normalized_parameters returned; signature_base_string: the message "
    "signing_base returned (HMAC only); signature and body_hash: the request's oauth_signature/oauth_body_hash "
    "(sign_request adds a SHA-1 body hash to every request that is not form-encoded). parse_header: "
    "Request.from_request('GET', 'http://example.invalid/', headers={Authorization}) (realm skipped, values "
    "unquoted). verify: Server(HMAC-SHA1, PLAINTEXT).verify_request(Request.from_request(method, url, headers, "
    "query_string=form body), Consumer, Token), clock at `now`."
)


def main():
    handlers = {"sign": sign, "parse_header": parse_header, "verify": verify}
    identity = protocol.implementation("oauth2", installed_version("oauth2"), list(handlers), list(SIGNATURE_METHODS),
                                       protocol.ALL_STAGES, False, True, NOTES)
    return protocol.serve(identity, handlers, "oauth2")


if __name__ == "__main__":
    sys.exit(main())
