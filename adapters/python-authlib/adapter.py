#!/usr/bin/env python3
"""Authlib's OAuth 1.0 client and resource server behind the adapter protocol, version 1
(adapters/PROTOCOL.md). One row, "authlib-client":

  sign:         authlib.oauth1.rfc5849.client_auth.ClientAuth(...).prepare(method, uri, headers, body),
                the call Authlib's own requests/httpx integrations make (OAuth1Auth.__call__)
  parse_header: authlib.oauth1.rfc5849.wrapper.OAuth1Request(...).auth_params, how Authlib's
                servers read the Authorization header
  verify:       authlib.oauth1.rfc5849.resource_protector.ResourceProtector.validate_request

Every stage comes from Authlib's own calls; see README.md.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python-common"))
import oauth1_adapter_protocol as protocol  # noqa: E402

if __name__ == "__main__":
    protocol.use_fixed_hash_seed(__file__)

# Before the library imports PyJWT/Authlib's RSA module, which bind the PEM parser by name.
from library_hooks import parse_each_private_key_once  # noqa: E402

parse_each_private_key_once()

# Authlib refuses http:// URIs (InsecureTransportError) unless this is set; its documentation
# tells developers to set it for testing over plain http.
os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"

from importlib.metadata import version as installed_version  # noqa: E402
from wsgiref.headers import Headers  # noqa: E402

from authlib.oauth1.rfc5849 import base_server  # noqa: E402
from authlib.oauth1.rfc5849 import client_auth  # noqa: E402
from authlib.oauth1.rfc5849 import signature as authlib_signature  # noqa: E402
from authlib.oauth1.rfc5849.models import ClientMixin, TokenCredentialMixin  # noqa: E402
from authlib.oauth1.rfc5849.resource_protector import ResourceProtector  # noqa: E402
from authlib.oauth1.rfc5849.wrapper import OAuth1Request  # noqa: E402

from library_hooks import CapturedReturns, FixedClock, ModuleAttribute, single_value  # noqa: E402
from oauth1_adapter_protocol import library  # noqa: E402

SIGNATURE_METHODS = list(client_auth.ClientAuth.SIGNATURE_METHODS)
FORM_URLENCODED = "application/x-www-form-urlencoded"

# authlib.oauth1.rfc5849.signature.construct_base_string calls these two through the module's
# globals, and generate_signature_base_string calls construct_base_string the same way.
_BASE_STRING_FUNCTIONS = {
    "normalize_parameters": "normalized_parameters",
    "normalize_base_string_uri": "base_string_uri",
    "construct_base_string": "signature_base_string",
}

# A well-formed https URI for reading a header on its own (parse_header has no request).
_HEADER_ONLY_URI = "https://example.invalid/"


class _SignatureRecordingClientAuth(client_auth.ClientAuth):
    """ClientAuth that keeps the signature its own get_oauth_signature returned."""

    signature = None

    def get_oauth_signature(self, method, uri, headers, body):
        self.signature = super().get_oauth_signature(method, uri, headers, body)
        return self.signature


def _header_params(authorization_header):
    """How Authlib's servers read an Authorization header: OAuth1Request parses it
    (urllib's parse_http_list + parse_keqv_list, then unescapes names and values)."""
    request = library(OAuth1Request, "GET", _HEADER_ONLY_URI, headers={"Authorization": authorization_header})
    return request.auth_params


def sign(req):
    request, oauth, secrets = req["request"], req["oauth"], req["secrets"]
    redirect_uri, verifier = protocol.callback_and_verifier(oauth, "ClientAuth")

    auth = library(
        _SignatureRecordingClientAuth,
        oauth["consumer_key"],
        client_secret=secrets.get("consumer_secret"),
        token=oauth.get("token"),
        token_secret=secrets.get("token_secret"),
        redirect_uri=redirect_uri,
        rsa_key=secrets.get("rsa_private_key_pem"),
        verifier=verifier,
        signature_method=oauth["signature_method"],
        realm=oauth.get("realm"),
        # Without it, prepare() signs a body that is not form-urlencoded as if empty and adds no
        # oauth_body_hash; with it, sign() hashes the body.
        force_include_body=bool(oauth.get("compute_body_hash")),
    )
    headers = protocol.content_type_header(request)
    # Bytes, as Authlib's httpx integration passes them (sign() hashes the body with hashlib).
    body = request["body"].encode("utf-8") if request.get("body") is not None else None

    # ClientAuth.sign takes its nonce and timestamp from these two module functions.
    with ModuleAttribute(client_auth, "generate_nonce", lambda: oauth["nonce"]), \
            ModuleAttribute(client_auth, "generate_timestamp", lambda: oauth["timestamp"]), \
            CapturedReturns(authlib_signature, _BASE_STRING_FUNCTIONS) as capture:
        _uri, signed_headers, _body = library(auth.prepare, request["method"], request["url"], headers, body)

    authorization_header = signed_headers.get("Authorization")
    if authorization_header is None or auth.signature is None:
        raise RuntimeError(f"ClientAuth.prepare produced no signed Authorization header: {signed_headers!r}")
    trace = dict(capture.values)  # none of them for PLAINTEXT, which signs no base string
    trace["signature"] = auth.signature
    trace["authorization_header"] = authorization_header
    body_hash = single_value(_header_params(authorization_header), "oauth_body_hash", authorization_header)
    protocol.add_body_hash(trace, oauth, body_hash, "Authlib computed no oauth_body_hash for this request: "
                           "ClientAuth.sign hashes the body only when it is not empty and the Content-Type is not "
                           "application/x-www-form-urlencoded")
    return {"trace": trace}


def parse_header(req):
    return {"params": [[name, value] for name, value in _header_params(req["header"])]}


class _CaseClient(ClientMixin):
    def __init__(self, secrets):
        self._secrets = secrets

    def get_client_secret(self):
        return self._secrets.get("consumer_secret")

    def get_rsa_public_key(self):
        return self._secrets.get("rsa_public_key_pem")


class _CaseToken(TokenCredentialMixin):
    def __init__(self, secrets):
        self._secrets = secrets

    def get_oauth_token_secret(self):
        return self._secrets.get("token_secret")


class _CaseResourceProtector(ResourceProtector):
    """Knows every client and token, with the case's secrets; an empty nonce store."""

    SUPPORTED_SIGNATURE_METHODS = SIGNATURE_METHODS
    EXPIRY_TIME = 300

    def __init__(self, secrets):
        self._secrets = secrets

    def get_client_by_id(self, client_id):
        return _CaseClient(self._secrets)

    def get_token_credential(self, request):
        return _CaseToken(self._secrets)

    def exists_nonce(self, nonce, request):
        return False


def verify(req):
    request = req["request"]
    # Authlib's Flask and Django protectors hand it their frameworks' header objects, which look
    # names up case-insensitively and return the first of repeated headers: so does wsgiref's.
    headers = Headers([(name, value) for name, value in request["headers"]])
    content_type = request.get("content_type")
    if content_type is not None:
        headers["Content-Type"] = content_type
    # Authlib's Django and Flask resource protectors pass the parsed form (or None); the raw
    # form string is one of the body types Authlib parses itself (common.urls.extract_params).
    body = request.get("body") if content_type is not None and FORM_URLENCODED in content_type else None

    protector = _CaseResourceProtector(req["secrets"])
    # BaseServer.validate_timestamp_and_nonce reads the clock with time.time().
    with ModuleAttribute(base_server, "time", FixedClock(req["now"])):
        library(protector.validate_request, request["method"], request["url"], body, headers)
    return {"accepted": True}


NOTES = (
    "sign: ClientAuth(consumer_key, client_secret, token, token_secret, redirect_uri=extra oauth_callback, rsa_key, "
    "verifier=extra oauth_verifier, signature_method, realm, force_include_body=compute_body_hash).prepare(method, url, "
    "{Content-Type}, body as UTF-8 bytes) - what Authlib's requests/httpx OAuth1Auth call; nonce and timestamp through "
    "client_auth.generate_nonce/generate_timestamp, replaced during the call. normalized_parameters, base_string_uri, "
    "signature_base_string: return values of signature.normalize_parameters, normalize_base_string_uri and "
    "construct_base_string, wrapped during the call (PLAINTEXT computes none). signature: what "
    "ClientAuth.get_oauth_signature returned; body_hash: read from the header with OAuth1Request. Always sends "
    "oauth_version=1.0; only oauth_callback/oauth_verifier as extra parameters; omits an empty token. "
    "parse_header: OAuth1Request('GET', 'https://example.invalid/', headers={Authorization}).auth_params. "
    "verify: ResourceProtector.validate_request(method, url, body if the Content-Type contains "
    "application/x-www-form-urlencoded else None, headers as a case-insensitive wsgiref.headers.Headers, like the "
    "framework header objects Authlib's Flask/Django protectors pass) with every client and token known, the case's secrets "
    "and RSA public key, EXPIRY_TIME=300 (only old timestamps are refused), no nonce seen, all three methods "
    "supported, the clock (base_server.time) at `now`; AUTHLIB_INSECURE_TRANSPORT=1 for http URLs. "
    "ResourceProtector requires oauth_token. A raised OAuth1Error is answered rejected with its message."
)


def main():
    handlers = {"sign": sign, "parse_header": parse_header, "verify": verify}
    identity = protocol.implementation("authlib-client", installed_version("Authlib"), list(handlers),
                                       SIGNATURE_METHODS, protocol.ALL_STAGES, False, True, NOTES)
    return protocol.serve(identity, handlers, "authlib")


if __name__ == "__main__":
    sys.exit(main())
