#!/usr/bin/env python3
"""requests-oauthlib's capture driver: requests.request(..., auth=OAuth1(...)), as its
documentation shows (docs/capture.md describes the environment)."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python-common"))
from capture_case import Case, refusing  # noqa: E402

import requests  # noqa: E402
from requests_oauthlib import OAuth1  # noqa: E402

case = Case()
auth = OAuth1(case.consumer_key, client_secret=case.consumer_secret, resource_owner_key=case.token,
              resource_owner_secret=case.token_secret, signature_method=case.signature_method,
              rsa_key=case.rsa_key, realm=case.realm)
refusing("oauthlib", lambda: requests.request(case.method, case.url, data=case.body, headers=case.headers(),
                                              auth=auth, verify=case.ca_file or True, timeout=15))
