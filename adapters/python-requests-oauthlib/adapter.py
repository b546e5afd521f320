#!/usr/bin/env python3
"""requests-oauthlib behind the adapter protocol, version 1 (adapters/PROTOCOL.md).
One row, "requests-oauthlib":

  sign: requests.Request(method, url, data=body, headers={Content-Type},
                         auth=requests_oauthlib.OAuth1(...)).prepare()
        - what an application's requests.post(url, data=..., auth=OAuth1(...)) does before sending.

requests-oauthlib signs through oauthlib.oauth1.Client; the stages are the values oauthlib's
signature functions return while it runs, the header the one OAuth1 puts on the prepared
request. Nothing is sent. See README.md.
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

from importlib.metadata import version as installed_version  # noqa: E402

import requests  # noqa: E402
from oauthlib import oauth1  # noqa: E402
from requests.utils import to_native_string  # noqa: E402
from requests_oauthlib import OAuth1  # noqa: E402

from oauth1_adapter_protocol import library  # noqa: E402
from oauthlib_stages import client_arguments, client_stages, client_trace, refusal_reason  # noqa: E402

SIGNATURE_METHODS = list(oauth1.Client.SIGNATURE_METHODS)


def sign(req):
    request, oauth, secrets = req["request"], req["oauth"], req["secrets"]
    callback_uri, verifier = protocol.callback_and_verifier(oauth, "OAuth1 (oauthlib.oauth1.Client)")

    auth = library(
        OAuth1,
        oauth["consumer_key"],
        # Without it, OAuth1 signs a body that is not form-urlencoded as absent (no body hash).
        force_include_body=bool(oauth.get("compute_body_hash")),
        # OAuth1 hands these on to oauthlib.oauth1.Client (realm, nonce, timestamp as **kwargs).
        **client_arguments(oauth, secrets, callback_uri, verifier),
    )
    headers = protocol.content_type_header(request)
    unprepared = requests.Request(request["method"], request["url"], data=request.get("body"), headers=headers, auth=auth)

    with client_stages() as capture:
        prepared = library(unprepared.prepare, _refusal=refusal_reason)

    authorization_header = prepared.headers.get("Authorization")
    if authorization_header is None:
        raise RuntimeError("the prepared request has no Authorization header")
    return {"trace": client_trace(capture.values, to_native_string(authorization_header), oauth)}


NOTES = (
    "sign: requests.Request(method, url, data=body, headers={Content-Type}, auth=OAuth1(client_key, client_secret, "
    "resource_owner_key, resource_owner_secret, callback_uri=extra oauth_callback, signature_method, rsa_key, "
    "verifier=extra oauth_verifier, force_include_body=compute_body_hash, realm, nonce, timestamp)).prepare(); "
    "requests normalises the URL (IDNA host, percent-encodes raw characters) before OAuth1 signs it, and OAuth1 "
    "treats a body without Content-Type that parses as a form as form-urlencoded. authorization_header: the "
    "prepared request's header; signature and body_hash read from it with oauthlib's collect_parameters; "
    "normalized_parameters, base_string_uri, signature_base_string: what oauthlib's signature.* functions "
    "returned while Client.sign ran (none for PLAINTEXT). oauthlib's Client always sends oauth_version=1.0, knows "
    "only oauth_callback/oauth_verifier as extra parameters and omits an empty token, callback, verifier or realm."
)


def main():
    identity = protocol.implementation("requests-oauthlib", installed_version("requests-oauthlib"), ["sign"],
                                       SIGNATURE_METHODS, protocol.ALL_STAGES, False, True, NOTES)
    return protocol.serve(identity, {"sign": sign}, "requests-oauthlib")


if __name__ == "__main__":
    sys.exit(main())
