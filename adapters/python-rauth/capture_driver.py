#!/usr/bin/env python3
"""rauth's capture driver: rauth.OAuth1Session.request(method, url, params=query,
header_auth=True), its own requests session, as rauth's documentation shows: the query goes in
`params` (a query left in the URL is sent but not signed), the body in `data` as text
(docs/capture.md describes the environment)."""

import os
import sys
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python-common"))
from capture_case import Case, cannot_express  # noqa: E402

from rauth import OAuth1Session  # noqa: E402
from rauth.oauth import HmacSha1Signature, PlaintextSignature  # noqa: E402

SIGNERS = {"HMAC-SHA1": HmacSha1Signature, "PLAINTEXT": PlaintextSignature}

case = Case()
if case.signature_method not in SIGNERS:
    cannot_express(f"rauth has no {case.signature_method} signer here (RSA-SHA1 needs PyCrypto)")
session = OAuth1Session(case.consumer_key, case.consumer_secret, access_token=case.token,
                        access_token_secret=case.token_secret, signature=SIGNERS[case.signature_method])
url = urllib.parse.urlsplit(case.url)
body = None if case.body is None else case.body.decode("utf-8")
query = {"params": url.query} if url.query else {}
session.request(case.method, urllib.parse.urlunsplit(url._replace(query="")), header_auth=True,
                realm=case.realm or "", data=body, headers=case.headers(), verify=case.ca_file or True,
                timeout=15, **query)
