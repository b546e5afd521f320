#!/usr/bin/env python3
"""Authlib's capture driver: requests with authlib.integrations.requests_client.OAuth1Auth, as
Authlib's documentation pairs them (docs/capture.md describes the environment)."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python-common"))
from capture_case import Case, cannot_express, refusing  # noqa: E402

# Authlib refuses http:// URIs unless this is set; its documentation says to set it for testing.
os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"

import requests  # noqa: E402
from authlib.integrations.requests_client import OAuth1Auth  # noqa: E402
from authlib.oauth1.rfc5849.client_auth import ClientAuth  # noqa: E402

case = Case()
if case.signature_method not in ClientAuth.SIGNATURE_METHODS:
    cannot_express(f"Authlib has no {case.signature_method} signer (it has {sorted(ClientAuth.SIGNATURE_METHODS)})")
auth = OAuth1Auth(case.consumer_key, client_secret=case.consumer_secret, token=case.token,
                  token_secret=case.token_secret, signature_method=case.signature_method,
                  rsa_key=case.rsa_key, realm=case.realm)
refusing("Authlib", lambda: requests.request(case.method, case.url, data=case.body, headers=case.headers(),
                                             auth=auth, verify=case.ca_file or True, timeout=15))
