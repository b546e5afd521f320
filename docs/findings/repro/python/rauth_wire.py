#!/usr/bin/env python3
"""Standalone reproductions of the live-client findings of rauth (clients/rauth/CASE, found by
`oauth1-conformance capture`: what rauth and requests put on the wire).

Uses only rauth and requests, as adapters/python-rauth/capture_driver.py drives them after rauth's
documentation: OAuth1Session(consumer_key, consumer_secret, access_token, access_token_secret)
.request(method, url, params=the query, data=the body, headers=Content-Type, header_auth=True).
The request goes to this program's own HTTP server on 127.0.0.1, port 0 (loopback.py: every
socket read bounded by a timeout, stopped before the program ends), which records what arrived
and answers the redirect case 307. What arrived is compared with what RFC 5849 requires: the
signature rauth sent against HMAC-SHA1 (hmac, hashlib) over the signature base string written out
below, with the port and the nonce and timestamp rauth chose (read from its header) put in; the
query or body sent against the one asked for.

Usage: rauth_wire.py CASE. Prints what rauth sent next to RFC 5849's; exits 0 while rauth still
behaves as the dossier documents, 3 when it behaves as RFC 5849 requires (retire the dossier), 4 on
a third behaviour.
"""
import base64
import hashlib
import hmac
import re
import urllib.parse

from rauth import OAuth1Session

import loopback

LIBRARY = "rauth"

# RFC 5849 §1.2's example credentials.
CONSUMER_KEY, CONSUMER_SECRET = "dpf43f3p2l4k3l03", "kd94hf93k423kf44"
TOKEN, TOKEN_SECRET = "nnch734d00sl2jdk", "pfkkdhi9sl3r4s00"
FORM = "application/x-www-form-urlencoded"

# The protocol parameters rauth sends, as they sort into a base string ({oauth} below).
OAUTH = ("oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26"
         "oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0")
URI = "http%3A%2F%2F127.0.0.1%3A{port}%2F" + LIBRARY + "%2F"

# Per capture case: the request asked for, the check that fails, and what RFC 5849 requires next
# to what the dossier documents. "sent": the query or body that arrived against the one asked
# for (as parameters: order aside) and the one documented. "signature": the signature sent
# against the RFC's base string and the documented one. "signed-not-sent": the target rauth
# signed is not the one requests sent; RFC 5849 wants a signature over the target that arrived.
# "redirect": the request re-sent to the 307's Location must be signed for it, with a new nonce.
CASES = {
    "brackets-array": {"kind": "sent", "method": "GET", "query": "a[]=1&a[]=2", "documented": "a%5B%5D=2"},
    "brackets-encoded": {"kind": "sent", "method": "GET", "query": "a%5B%5D=1&a%5B%5D=2", "documented": "a%5B%5D=2"},
    "brackets-form": {"kind": "sent", "method": "POST", "content_type": FORM,
                      "body": "tags[]=x&tags[]=y&user[name]=bob", "documented": "tags%5B%5D=y&user%5Bname%5D=bob"},
    "form-repeated": {"kind": "sent", "method": "POST", "content_type": FORM, "body": "a=2&a=1", "documented": "a=1"},
    "query-empty": {"kind": "sent", "method": "GET", "query": "a=&b&c=3", "documented": "c=3"},
    "query-repeated": {"kind": "sent", "method": "GET", "query": "a=2&a=1&a=2", "documented": "a=2"},
    "form-charset": {
        "kind": "signature", "method": "POST", "content_type": FORM + "; charset=utf-8", "body": "a=1&n=caf%C3%A9",
        "section": "§3.4.1.3.1: the body of a form request (Content-Type application/x-www-form-urlencoded, "
                   "its charset parameter aside) is signed",
        "rfc": "POST&" + URI + "form-charset&a%3D1%26n%3Dcaf%25C3%25A9%26{oauth}",
        "documented": "POST&" + URI + "form-charset&{oauth}",
    },
    "path-tilde-encoded": {
        "kind": "signed-not-sent", "method": "GET", "path": "/%7Euser",
        "section": "§3.4.1.2: the base string URI is the request's as sent",
        "sent": "/rauth/path-tilde-encoded/~user",
        "rfc": {"/rauth/path-tilde-encoded/~user": "GET&" + URI + "path-tilde-encoded%2F~user&{oauth}",
                "/rauth/path-tilde-encoded/%7Euser": "GET&" + URI + "path-tilde-encoded%2F%257Euser&{oauth}"},
        "documented": "GET&" + URI + "path-tilde-encoded%2F%257Euser&{oauth}",
    },
    "redirect-307": {
        "kind": "redirect", "method": "GET", "query": "x=1",
        "section": "§3.4.1.2, §3.3: a request to another URL is signed for that URL, with a new nonce",
        "first": "GET&" + URI + "redirect-307&{oauth}%26x%3D1",
        "moved": "GET&" + URI + "redirect-307%2Fmoved&{oauth}%26x%3D1",
    },
}


def send(case, spec, port):
    """The case sent by rauth the documented way; the requests that arrived."""
    session = OAuth1Session(CONSUMER_KEY, CONSUMER_SECRET, access_token=TOKEN, access_token_secret=TOKEN_SECRET)
    kwargs = {"header_auth": True, "timeout": loopback.TIMEOUT}
    if "query" in spec:
        kwargs["params"] = spec["query"]
    if "body" in spec:
        kwargs["data"] = spec["body"]
        kwargs["headers"] = {"Content-Type": spec["content_type"]}
    session.request(spec["method"], f"http://127.0.0.1:{port}/{LIBRARY}/{case}{spec.get('path', '')}", **kwargs)


def oauth_parameters(authorization):
    return {name: urllib.parse.unquote(value) for name, value in re.findall(r'(\w+)="([^"]*)"', authorization)}


def hmac_sha1(template, port, oauth):
    text = template.format(port=port, oauth=OAUTH).format(nonce=oauth.get("oauth_nonce"),
                                                          timestamp=oauth.get("oauth_timestamp"))
    key = f"{CONSUMER_SECRET}&{TOKEN_SECRET}".encode("ascii")
    return base64.b64encode(hmac.new(key, text.encode("ascii"), hashlib.sha1).digest()).decode("ascii"), text


def pairs(text):
    return sorted(urllib.parse.parse_qsl(text, keep_blank_values=True))


def judge_sent(spec, arrived, port):
    what = "body" if "body" in spec else "query"
    asked = spec[what]
    sent = arrived[0]["body"] if what == "body" else arrived[0]["target"].partition("?")[2]
    print(f"{LIBRARY}: the {what} sent: {sent}")
    print(f"RFC 5849: the {what} asked for: {asked} (§3.4.1.3.1: the request signed and sent is the one made)")
    if pairs(sent) == pairs(asked):
        return 3
    return 0 if sent == spec["documented"] else 4


def judge_signature(spec, arrived, port):
    oauth = oauth_parameters(arrived[0]["authorization"])
    rfc, rfc_base = hmac_sha1(spec["rfc"], port, oauth)
    documented, documented_base = hmac_sha1(spec["documented"], port, oauth)
    sent = oauth.get("oauth_signature")
    print(f"{LIBRARY}: oauth_signature={sent} (documented: {documented} over {documented_base})")
    print(f"RFC 5849: oauth_signature={rfc} over {rfc_base} ({spec['section']})")
    return 3 if sent == rfc else 0 if sent == documented else 4


def judge_signed_not_sent(spec, arrived, port):
    oauth, target = oauth_parameters(arrived[0]["authorization"]), arrived[0]["target"]
    documented, documented_base = hmac_sha1(spec["documented"], port, oauth)
    sent = oauth.get("oauth_signature")
    print(f"{LIBRARY}: sent {target} with oauth_signature={sent} (documented: {documented} over {documented_base})")
    if target not in spec["rfc"]:
        print(f"RFC 5849: a signature over the target sent, here a third one: {target}")
        return 4
    rfc, rfc_base = hmac_sha1(spec["rfc"][target], port, oauth)
    print(f"RFC 5849: oauth_signature={rfc} over {rfc_base} ({spec['section']})")
    if sent == rfc:
        return 3
    return 0 if (target, sent) == (spec["sent"], documented) else 4


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


JUDGES = {"sent": judge_sent, "signature": judge_signature, "signed-not-sent": judge_signed_not_sent,
          "redirect": judge_redirect}


loopback.run(LIBRARY, CASES, send, JUDGES)
