#!/usr/bin/env python3
"""oauthlib behind the oauth1-conformance adapter protocol, version 1 (adapters/PROTOCOL.md).

One process is one implementation row:

  adapter.py --variant client     -> "oauthlib-client": what applications call.
      sign:         oauthlib.oauth1.Client(...).sign(uri, http_method, body, headers)
      parse_header: oauthlib.oauth1.rfc5849.signature.collect_parameters(headers=...)
      verify:       oauthlib.oauth1.SignatureOnlyEndpoint + a RequestValidator subclass

  adapter.py --variant signature  -> "oauthlib-signature": the functions of
      oauthlib.oauth1.rfc5849.signature composed step by step, the way oauthlib's
      own Client composes them (collect_parameters, normalize_parameters,
      base_string_uri, signature_base_string, Client.SIGNATURE_METHODS[method]),
      with the protocol parameters in an Authorization header built by
      oauthlib.oauth1.rfc5849.parameters.prepare_headers.
      parse_header: as for the client variant.

Every stage reported comes from oauthlib's own calls: the adapter never builds a base string,
a signature or a header itself. Exceptions raised inside a library call are answered as
`rejected` ("<ExceptionType>: <message>"); anything else that goes wrong is `error` with a
traceback. See README.md for what each variant measures and the quirks observed.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python-common"))
import oauth1_adapter_protocol as protocol  # noqa: E402

# Some oauthlib error messages print a Python set, whose order follows the hash seed.
if __name__ == "__main__":
    protocol.use_fixed_hash_seed(__file__)

# Before the library imports PyJWT/Authlib's RSA module, which bind the PEM parser by name.
from library_hooks import parse_each_private_key_once  # noqa: E402

parse_each_private_key_once()

import logging  # noqa: E402
import urllib.parse  # noqa: E402

import oauthlib  # noqa: E402
from oauthlib import oauth1  # noqa: E402
from oauthlib.common import Request as OAuthlibRequest  # noqa: E402
from oauthlib.oauth1.rfc5849 import CONTENT_TYPE_FORM_URLENCODED  # noqa: E402
from oauthlib.oauth1.rfc5849 import parameters as oa_parameters  # noqa: E402
from oauthlib.oauth1.rfc5849 import signature as oa_signature  # noqa: E402
from oauthlib.oauth1.rfc5849.endpoints import base as oa_endpoints_base  # noqa: E402

from oauth1_adapter_protocol import Rejected, Unsupported, library  # noqa: E402
from oauthlib_stages import (  # noqa: E402
    NO_BODY_HASH,
    client_arguments,
    client_stages,
    client_trace,
    header_params,
    refusal_reason,
)

# oauthlib's own method -> sign_*_with_client table: the methods it implements.
SIGNATURE_METHODS = list(oauth1.Client.SIGNATURE_METHODS)

# The server side: the window this adapter configures (RequestValidator.timestamp_lifetime). The
# corpus's verifier accepts timestamps within +-300 s of `now`.
TIMESTAMP_LIFETIME = 300


# ---------------------------------------------------------------------------------------------
# sign
# ---------------------------------------------------------------------------------------------


def sign_client(req):
    """oauthlib.oauth1.Client(...).sign(...), the way applications sign."""
    request, oauth, secrets = req["request"], req["oauth"], req["secrets"]
    callback_uri, verifier = protocol.callback_and_verifier(oauth, "oauthlib.oauth1.Client")

    client = library(
        oauth1.Client,
        oauth["consumer_key"],
        signature_type=oauth1.SIGNATURE_TYPE_AUTH_HEADER,
        **client_arguments(oauth, secrets, callback_uri, verifier),
    )
    headers = protocol.content_type_header(request)

    with client_stages() as capture:
        _uri, signed_headers, _body = library(
            client.sign,
            request["url"],
            http_method=request["method"],
            body=request.get("body"),
            headers=headers,
            _refusal=refusal_reason,
        )

    return {"trace": client_trace(capture.values, signed_headers["Authorization"], oauth)}


def _library_body_hash(request, oauth):
    """oauth_body_hash as oauthlib computes it. The only place oauthlib computes a body hash is
    Client.get_oauth_params (SHA-1, for a body with a Content-Type other than form-urlencoded);
    the signature module has no body-hash function."""
    headers = protocol.content_type_header(request)
    oauthlib_request = library(OAuthlibRequest, request["url"], request["method"], request.get("body"), headers)
    client = library(
        oauth1.Client,
        oauth["consumer_key"],
        signature_method=oauth["signature_method"],
        nonce=oauth.get("nonce") or "unused",
        timestamp=oauth.get("timestamp") or "unused",
    )
    produced = library(client.get_oauth_params, oauthlib_request)
    values = [v for k, v in produced if k == "oauth_body_hash"]
    body_hash = values[0] if values else None
    if body_hash is None and oauth.get("compute_body_hash"):
        raise Rejected(NO_BODY_HASH, "body_hash_not_computed")
    return body_hash


def sign_signature(req):
    """The signature.* functions, step by step, as oauthlib's Client composes them."""
    request, oauth, secrets = req["request"], req["oauth"], req["secrets"]
    method = oauth["signature_method"]
    if method not in oauth1.Client.SIGNATURE_METHODS:
        raise Unsupported(f"oauthlib has no signature method {method!r}")

    # The protocol parameters, exactly those of the case, in the Authorization header.
    oauth_params = [("oauth_consumer_key", oauth["consumer_key"])]
    if oauth.get("token") is not None:
        oauth_params.append(("oauth_token", oauth["token"]))
    oauth_params.append(("oauth_signature_method", method))
    for field in ("timestamp", "nonce", "version"):
        if oauth.get(field) is not None:
            oauth_params.append((f"oauth_{field}", oauth[field]))
    oauth_params.extend((oauth.get("extra") or {}).items())
    body_hash = None
    if oauth.get("compute_body_hash"):
        body_hash = _library_body_hash(request, oauth)
        oauth_params.append(("oauth_body_hash", body_hash))
    realm = oauth.get("realm")

    headers = library(oa_parameters.prepare_headers, oauth_params, {}, realm=realm)

    # collect_parameters does not check the content type itself ("TODO: enforce header param
    # inclusion conditions"); oauthlib's server (BaseEndpoint._create_request) passes the body
    # only when CONTENT_TYPE_FORM_URLENCODED is in the Content-Type. Same gate here.
    content_type = request.get("content_type")
    form_body = request.get("body") if content_type is not None and CONTENT_TYPE_FORM_URLENCODED in content_type else None
    uri_query = urllib.parse.urlparse(request["url"]).query  # as Client.get_oauth_signature does

    collected = library(
        oa_signature.collect_parameters,
        uri_query=uri_query,
        body=form_body,
        headers=headers,
        exclude_oauth_signature=True,
        with_realm=False,
    )
    normalized = library(oa_signature.normalize_parameters, collected)
    base_uri = library(oa_signature.base_string_uri, request["url"])
    base_string = library(oa_signature.signature_base_string, request["method"], base_uri, normalized)

    # The sign_*_with_client functions read client_secret / resource_owner_secret / rsa_key
    # from an oauthlib Client; only the constructor is used (it stores its arguments).
    credentials = library(
        oauth1.Client,
        oauth["consumer_key"],
        client_secret=secrets.get("consumer_secret"),
        resource_owner_key=oauth.get("token"),
        resource_owner_secret=secrets.get("token_secret"),
        signature_method=method,
        rsa_key=secrets.get("rsa_private_key_pem"),
    )
    sig = library(oauth1.Client.SIGNATURE_METHODS[method], base_string, credentials)

    signed_headers = library(oa_parameters.prepare_headers, [*oauth_params, ("oauth_signature", sig)], {}, realm=realm)
    trace = {
        "normalized_parameters": normalized,
        "base_string_uri": base_uri,
        "signature_base_string": base_string,
        "signature": sig,
        "authorization_header": signed_headers["Authorization"],
    }
    if body_hash is not None:
        trace["body_hash"] = body_hash
    return {"trace": trace}


# ---------------------------------------------------------------------------------------------
# parse_header
# ---------------------------------------------------------------------------------------------


def parse_header(req):
    """How oauthlib reads an Authorization header: signature.collect_parameters(headers=...,
    with_realm=True, exclude_oauth_signature=False), the call its server endpoints make. It
    parses with utils.parse_authorization_header (urllib's parse_http_list + parse_keqv_list)
    and then percent-decodes the values of oauth_* parameters (realm and other names are
    returned as written)."""
    params = header_params(req["header"])
    return {"params": [[name, value] for name, value in params]}


# ---------------------------------------------------------------------------------------------
# verify
# ---------------------------------------------------------------------------------------------


class _CaseValidator(oauth1.RequestValidator):
    """Accepts every client key, token, nonce and timestamp format that oauthlib lets a
    validator accept, and answers every secret lookup with the case's secrets."""

    enforce_ssl = False
    timestamp_lifetime = TIMESTAMP_LIFETIME
    dummy_client = "dummy_client"
    dummy_request_token = "dummy_request_token"
    dummy_access_token = "dummy_access_token"

    def __init__(self, secrets):
        super().__init__()
        self._secrets = secrets

    # Formats: RequestValidator's defaults demand 20-30 alphanumeric characters.
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

    # Registration lookups: everything is known.
    def validate_client_key(self, client_key, request):
        return True

    def validate_timestamp_and_nonce(self, client_key, timestamp, nonce, request, request_token=None, access_token=None):
        return True  # each case starts with an empty nonce store

    def validate_request_token(self, client_key, token, request):
        return True

    def validate_access_token(self, client_key, token, request):
        return True

    def validate_realms(self, client_key, token, request, uri=None, realms=None):
        return True

    # Secrets: the case's, whatever the request names.
    def get_client_secret(self, client_key, request):
        return self._secrets.get("consumer_secret")

    def get_request_token_secret(self, client_key, token, request):
        return self._secrets.get("token_secret")

    def get_access_token_secret(self, client_key, token, request):
        return self._secrets.get("token_secret")

    def get_rsa_key(self, client_key, request):
        return self._secrets.get("rsa_public_key_pem")


class _FixedClock:
    """Stands in for the `time` module inside oauthlib.oauth1.rfc5849.endpoints.base, whose
    only use of it is time.time() in the timestamp check."""

    def __init__(self, now):
        self._now = float(now)

    def time(self):
        return self._now


class _LogCapture(logging.Handler):
    """Collects what oauthlib logs while verifying: the reason it returned False."""

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.records = None

    def emit(self, record):
        if self.records is not None:
            try:
                self.records.append(record.getMessage())
            except Exception:  # noqa: BLE001 - a log record that cannot format is not worth a failure
                self.records.append(str(record.msg))


_LOG_CAPTURE = _LogCapture()
_OAUTHLIB_LOGGER = logging.getLogger("oauthlib")
_OAUTHLIB_LOGGER.addHandler(_LOG_CAPTURE)
_OAUTHLIB_LOGGER.setLevel(logging.INFO)
_OAUTHLIB_LOGGER.propagate = False


def verify(req):
    request, secrets = req["request"], req["secrets"]
    headers = {}
    for name, value in request["headers"]:
        if name.lower() in (h.lower() for h in headers):
            raise Unsupported(f"header {name!r} appears twice; oauthlib takes headers as a dict")
        headers[name] = value
    if request.get("content_type") is not None:
        # The harness's verify requests carry their Content-Type in both places (the same header).
        given = [value for name, value in headers.items() if name.lower() == "content-type"]
        if given and given != [request["content_type"]]:
            raise Unsupported("two different Content-Types, in content_type and in headers")
        if not given:
            headers["Content-Type"] = request["content_type"]

    endpoint = oauth1.SignatureOnlyEndpoint(_CaseValidator(secrets))
    real_time = oa_endpoints_base.time
    oa_endpoints_base.time = _FixedClock(req["now"])
    _LOG_CAPTURE.records = []
    try:
        valid, oauthlib_request = library(
            endpoint.validate_request,
            request["url"],
            http_method=request["method"],
            body=request.get("body"),
            headers=headers,
        )
        logged = _LOG_CAPTURE.records
    finally:
        oa_endpoints_base.time = real_time
        _LOG_CAPTURE.records = None

    if valid:
        return {"accepted": True}
    details = [m for m in logged if not m.startswith("[Failure] request verification failed")]
    validator_log = getattr(oauthlib_request, "validator_log", None) or {}
    if not details and validator_log:
        details.append(f"validator_log {validator_log}")
    raise Rejected("SignatureOnlyEndpoint.validate_request returned False: " + ("; ".join(details) or "no detail logged"))


# ---------------------------------------------------------------------------------------------
# The protocol loop
# ---------------------------------------------------------------------------------------------

VARIANTS = {
    "client": {
        "name": "oauthlib-client",
        "sign": sign_client,
        "operations": ["sign", "parse_header", "verify"],
        "stages": ["body_hash", "normalized_parameters", "base_string_uri", "signature_base_string", "signature", "authorization_header"],
        "can_omit_version": False,
        "notes": (
            "sign: oauthlib.oauth1.Client(client_key, client_secret, resource_owner_key, resource_owner_secret, "
            "callback_uri, signature_method, SIGNATURE_TYPE_AUTH_HEADER, rsa_key, verifier, realm, nonce, timestamp)"
            ".sign(url, method, body, {Content-Type}). authorization_header is the header it returns; signature and "
            "body_hash are read from that header (via signature.collect_parameters); normalized_parameters, "
            "base_string_uri and signature_base_string are the return values of oauthlib's own signature.* "
            "functions, captured by wrapping them while Client.sign runs (PLAINTEXT takes a fast path that computes "
            "none of them, so only signature and authorization_header are reported for it). The Client always sends "
            "oauth_version=1.0, cannot omit oauth_nonce/oauth_timestamp, only knows oauth_callback/oauth_verifier as "
            "extra parameters (others: unsupported), omits an empty token/callback/verifier/realm, adds a SHA-1 "
            "oauth_body_hash by itself for any body with a non-form Content-Type (even when compute_body_hash is "
            "false; when compute_body_hash is true and it adds none the answer is rejected), and raises ValueError "
            "for a form-like body whose Content-Type is not exactly application/x-www-form-urlencoded, for a body "
            "on GET/HEAD, and for a raw non-ASCII query. parse_header: signature.collect_parameters(headers=..., "
            "with_realm=True, exclude_oauth_signature=False), which percent-decodes oauth_* values only and keeps "
            "the last of duplicated names. verify: SignatureOnlyEndpoint.validate_request with a RequestValidator "
            "that accepts every key/token/nonce format, every client and nonce, returns the case's secrets and RSA "
            f"public key, enforce_ssl=False, timestamp_lifetime={TIMESTAMP_LIFETIME}; the clock is `now` (the time "
            "module seen by oauthlib.oauth1.rfc5849.endpoints.base is replaced during the call). Hard-coded, cannot "
            "be relaxed: oauth_timestamp must have exactly 10 digits; oauth_nonce and oauth_timestamp are mandatory "
            "even for PLAINTEXT; oauth_version, if present, must be 1.0; duplicate oauth_* parameters and oauth_* "
            "parameters in more than one location are refused; the body is read only when the Content-Type contains "
            "application/x-www-form-urlencoded (case-sensitive); oauth_body_hash is never checked against the body. "
            "A refusal is answered as rejected with oauthlib's logged message; reason is always null."
        ),
    },
    "signature": {
        "name": "oauthlib-signature",
        "sign": sign_signature,
        "operations": ["sign", "parse_header"],
        "stages": ["body_hash", "normalized_parameters", "base_string_uri", "signature_base_string", "signature", "authorization_header"],
        "can_omit_version": True,
        "notes": (
            "sign: oauthlib.oauth1.rfc5849.signature functions composed as Client.get_oauth_signature composes them: "
            "collect_parameters(uri_query=urlparse(url).query, body=<body if the Content-Type contains "
            "application/x-www-form-urlencoded, the gate of BaseEndpoint._create_request, else None>, "
            "headers=parameters.prepare_headers(<exactly the case's protocol parameters>, realm=realm), "
            "exclude_oauth_signature=True, with_realm=False), normalize_parameters, base_string_uri(url), "
            "signature_base_string(method, ...), then Client.SIGNATURE_METHODS[method] (the sign_*_with_client "
            "functions) with an oauthlib Client holding the secrets; authorization_header = prepare_headers(params + "
            "oauth_signature, realm). body_hash comes from Client.get_oauth_params, the only place oauthlib computes "
            "one (SHA-1 whatever the method; none for a missing body or Content-Type, or a form Content-Type: then "
            "the answer is rejected). prepare_headers drops an empty realm. parse_header: as oauthlib-client "
            "(signature.collect_parameters). No verify: see oauthlib-client."
        ),
    },
}


def handlers(variant):
    """The operations of a variant: what the protocol loop dispatches to."""
    spec = VARIANTS[variant]
    row = {"sign": spec["sign"], "parse_header": parse_header}
    if "verify" in spec["operations"]:
        row["verify"] = verify
    return row


def identity(variant, name=None):
    spec = VARIANTS[variant]
    return protocol.implementation(
        name=name or spec["name"],
        version=oauthlib.__version__,
        operations=spec["operations"],
        signature_methods=SIGNATURE_METHODS,
        stages=spec["stages"],
        can_omit_version=spec["can_omit_version"],
        body_hash=True,
        notes=spec["notes"],
    )


def main():
    args = protocol.variant_arguments(__doc__.splitlines()[0], VARIANTS)
    return protocol.serve(identity(args.variant, args.name), handlers(args.variant), "oauthlib")


if __name__ == "__main__":
    sys.exit(main())
