#!/usr/bin/env python3
"""Standalone reproductions of the live-client findings of Authlib's requests client
(clients/authlib-requests/CASE, found by `oauth1-conformance capture`: what Authlib and requests
put on the wire).

Uses only Authlib and requests, as adapters/python-authlib/capture_driver.py drives them after
Authlib's documentation: requests.request(method, url, data=body, headers=Content-Type,
auth=authlib.integrations.requests_client.OAuth1Auth(...)). The request goes to this program's own
HTTP server on 127.0.0.1, port 0 (loopback.py: every socket read bounded by a timeout, stopped
before the program ends), which records what arrived and answers the redirect case 307. The
signature Authlib sent is compared with HMAC-SHA1 (hmac, hashlib) over the RFC 5849 signature base
string written out below, with the port and the nonce and timestamp Authlib chose (read from its
header) put in.

Usage: authlib_requests_wire.py CASE. Prints what Authlib sent next to RFC 5849's; exits 0 while
Authlib still behaves as the dossier documents, 3 when it behaves as RFC 5849 requires (retire the
dossier), 4 on a third behaviour.
"""
import base64
import hashlib
import hmac
import re
import os
import urllib.parse

import loopback

# Authlib refuses http:// URIs unless this is set; its documentation says to set it for testing.
os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"

import requests  # noqa: E402
from authlib.integrations.requests_client import OAuth1Auth  # noqa: E402

LIBRARY = "authlib-requests"

# RFC 5849 §1.2's example credentials.
CONSUMER_KEY, CONSUMER_SECRET = "dpf43f3p2l4k3l03", "kd94hf93k423kf44"
TOKEN, TOKEN_SECRET = "nnch734d00sl2jdk", "pfkkdhi9sl3r4s00"
FORM = "application/x-www-form-urlencoded"

# The protocol parameters Authlib sends, as they sort into a base string ({oauth} below).
OAUTH = ("oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26"
         "oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0")
URI = "http%3A%2F%2F127.0.0.1%3A{port}%2F" + LIBRARY + "%2F"

# Per capture case: the request asked for, the check that fails, and what RFC 5849 requires next
# to what the dossier documents. "signature": the signature sent against the RFC's base string and
# the documented one. "redirect": the request re-sent to the 307's Location must be signed for it,
# with a new nonce.
CASES = {
    "brackets-form": {
        "kind": "signature", "method": "POST", "content_type": FORM, "body": "tags[]=x&tags[]=y&user[name]=bob",
        "section": "§3.4.1.3.1: the parameters of a form body are signed (`[` and `]` decoded as themselves)",
        "rfc": "POST&" + URI + "brackets-form&{oauth}%26tags%255B%255D%3Dx%26tags%255B%255D%3Dy%26"
               "user%255Bname%255D%3Dbob",
        "documented": "POST&" + URI + "brackets-form&{oauth}",
    },
    "redirect-307": {
        "kind": "redirect", "method": "GET", "query": "x=1",
        "section": "§3.4.1.2, §3.3: a request to another URL is signed for that URL, with a new nonce",
        "first": "GET&" + URI + "redirect-307&{oauth}%26x%3D1",
        "moved": "GET&" + URI + "redirect-307%2Fmoved&{oauth}%26x%3D1",
    },
}


def send(case, spec, port):
    """The case sent with requests and Authlib's OAuth1Auth, as Authlib's documentation pairs them."""
    auth = OAuth1Auth(CONSUMER_KEY, client_secret=CONSUMER_SECRET, token=TOKEN, token_secret=TOKEN_SECRET)
    url = f"http://127.0.0.1:{port}/{LIBRARY}/{case}" + (f"?{spec['query']}" if "query" in spec else "")
    headers = {"Content-Type": spec["content_type"]} if "content_type" in spec else {}
    requests.request(spec["method"], url, data=spec.get("body"), headers=headers, auth=auth, timeout=loopback.TIMEOUT)


def oauth_parameters(authorization):
    return {name: urllib.parse.unquote(value) for name, value in re.findall(r'(\w+)="([^"]*)"', authorization)}


def hmac_sha1(template, port, oauth):
    text = template.format(port=port, oauth=OAUTH).format(nonce=oauth.get("oauth_nonce"),
                                                          timestamp=oauth.get("oauth_timestamp"))
    key = f"{CONSUMER_SECRET}&{TOKEN_SECRET}".encode("ascii")
    return base64.b64encode(hmac.new(key, text.encode("ascii"), hashlib.sha1).digest()).decode("ascii"), text


def judge_signature(spec, arrived, port):
    oauth = oauth_parameters(arrived[0]["authorization"])
    rfc, rfc_base = hmac_sha1(spec["rfc"], port, oauth)
    documented, documented_base = hmac_sha1(spec["documented"], port, oauth)
    sent = oauth.get("oauth_signature")
    print(f"{LIBRARY}: oauth_signature={sent} (documented: {documented} over {documented_base})")
    print(f"RFC 5849: oauth_signature={rfc} over {rfc_base} ({spec['section']})")
    return 3 if sent == rfc else 0 if sent == documented else 4


def judge_redirect(spec, arrived, port):
    if len(arrived) != 2 or not arrived[1]["target"].startswith(f"/{LIBRARY}/redirect-307/moved"):
        print(f"{LIBRARY}: {len(arrived)} request(s) arrived, not the first and the redirected one")
        return 4
    first, moved = (oauth_parameters(a["authorization"]) for a in arrived)
    rfc, rfc_base = hmac_sha1(spec["moved"], port, moved)
    original, _ = hmac_sha1(spec["first"], port, first)
    print(f"{LIBRARY}: to {arrived[1]['target']}: oauth_signature={moved.get('oauth_signature')}, "
          f"oauth_nonce={moved.get('oauth_nonce')} (the first request's: {first.get('oauth_signature')}, "
          f"{first.get('oauth_nonce')})")
    print(f"RFC 5849: oauth_signature={rfc} over {rfc_base}, a new nonce ({spec['section']})")
    if moved.get("oauth_signature") == rfc and moved.get("oauth_nonce") != first.get("oauth_nonce"):
        return 3
    resent = arrived[1]["authorization"] == arrived[0]["authorization"]
    return 0 if resent and first.get("oauth_signature") == original else 4


JUDGES = {"signature": judge_signature, "redirect": judge_redirect}


loopback.run(LIBRARY, CASES, send, JUDGES)
