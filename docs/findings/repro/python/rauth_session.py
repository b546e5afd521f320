#!/usr/bin/env python3
"""Standalone reproductions of the findings of rauth (docs/findings/rauth/).

Uses only rauth (and requests, its HTTP layer): OAuth1Session(consumer_key, consumer_secret,
access_token, access_token_secret, signature=HmacSha1Signature).request(method, url, params=the
query string, data=body, headers=Content-Type, header_auth=True), as rauth's documentation sends
a request, on each finding's smallest input. Nothing is sent: a requests transport adapter
(requests' documented test double, Session.mount) keeps the prepared request. The nonce and
timestamp are fixed by overriding OAuth1Session._get_oauth_params, the method that draws them.

Usage: rauth_session.py FINDING. Prints the signature rauth sends next to RFC 5849's (the value
the vector publishes, hard-coded below with the vector's id); exits 0 while rauth still sends
the value the dossier documents, 3 when it sends RFC 5849's (retire the dossier), 4 otherwise.
"""
import json
import sys
import urllib.parse

import requests
from rauth import oauth as rauth_oauth
from rauth.session import OAuth1Session

# Per finding: the vector (id and file), its request, the stage compared, RFC 5849's value as
# the vector publishes it ("rfc"), and the value the dossier documents ("documented").
# A finding seen on generated cases only names its case (generated:SEED) and docs/findings/examples.json,
# where its input is recorded; its "rfc" is then the reference signer's value for that input (the
# dossier's RFC 5849 column), its "documented" the dossier's library column.
FINDINGS = json.loads(r"""
[
 {
  "finding": "charset-content-type-not-form",
  "vector": "generated:1481179973",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "POST",
   "url": "HTTPS://api.example.com/x;y=z/?x_y=%2A&a1=b0",
   "content_type": "application/x-www-form-urlencoded; charset=utf-8",
   "body": "a=&A=%C3%A9%F0%9F%98%80&a=2"
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "kkk9d7dh3k39sjv7",
   "signature_method": "HMAC-SHA1",
   "timestamp": "137131201",
   "nonce": "7d8f3e4a",
   "version": "1.0",
   "realm": "http://sp.example.com/",
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "'1%",
   "token_secret": "%?-éü"
  },
  "rfc": "WRPejRe60w2/j9hTkhvJ6e+DiGI=",
  "documented": "GLzmOO8IZeKknxv4zpr4m9pdesM="
 },
 {
  "finding": "collapses-body-duplicates-last-wins",
  "vector": "generated:1481180589",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "PUT",
   "url": "HTTPS://xn--bcher-kva.example:80/x;y=z/A/?x_y=a%26&a=%20&A=",
   "content_type": "application/x-www-form-urlencoded",
   "body": "c=0%2A%2Fa%21&c=vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv&a=%2a&a=%2a2"
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1700000000",
   "nonce": "chapoH",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "/~é ",
   "token_secret": "a"
  },
  "rfc": "uJSdmmI113mfCxIuhDs+AksE+Gk=",
  "documented": "qNhNfUdfH/XMwvXXb6H0TZEhIlA="
 },
 {
  "finding": "collapses-duplicates-last-wins",
  "vector": "lib-ddo-put-form-repeated-name",
  "file": "vectors/libraries-sign.json",
  "stage": "signature",
  "request": {
   "method": "PUT",
   "url": "http://localhost:3737/rest/profiles/1ea2a42f-e14d-4057-8bcd-3e0b4514a267/properties?alt=json",
   "content_type": "application/x-www-form-urlencoded",
   "body": "currentbrowserversion=1&currentbrowserversion=5&currentbrowserversion=dfadfadfa"
  },
  "oauth": {
   "token": null,
   "timestamp": "1445951836",
   "nonce": "tKOQtKan8PHIrIoOlrl17zHkZQ2H5CsP",
   "version": "1.0",
   "realm": "https://ddo.me/",
   "extra": {},
   "consumer_key": "batch-dbc2cd8c-6ca8-463b-96e2-6d8683eac6fd",
   "signature_method": "HMAC-SHA1"
  },
  "secrets": {
   "consumer_secret": "4S4Rvm25CJZWv7HBg5HOhhlRTBSZ7npl",
   "token_secret": null,
   "rsa_private_key_pem": null
  },
  "rfc": "ri0lfv4udd2uQmkg5cCPVqLruyk=",
  "documented": "EP1jJjyX3L5X5IpX1GTgCIzjQZ8="
 },
 {
  "finding": "collapses-query-duplicates-last-wins",
  "vector": "generated:1481179980",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "POST",
   "url": "https://[::1]:8443/A?a%5B%5D=%3D%2A%3F&A=vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv&n%26%27%25=Z1%E2%82%AC.&A=~%2A0_~",
   "content_type": "application/x-www-form-urlencoded",
   "body": "x_y=%C3%BC&a%5b%5d=~a%2b&a-b="
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": null,
   "signature_method": "HMAC-SHA1",
   "timestamp": "1700000000",
   "nonce": "7d8f3e4a",
   "version": "1.0",
   "realm": "Example",
   "extra": {
    "oauth_callback": "oob"
   }
  },
  "secrets": {
   "consumer_secret": "",
   "token_secret": null
  },
  "rfc": "ftgOZICulrrknXSPZ/Z8b9u3QHo=",
  "documented": "mFm+PtlgeST5gzvmu+CV7Bf36qw="
 },
 {
  "finding": "drops-empty-values",
  "vector": "rfc5849-3.4.1-hmac-sha1-with-version",
  "file": "vectors/rfc5849.json",
  "stage": "signature",
  "request": {
   "method": "POST",
   "url": "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
   "content_type": "application/x-www-form-urlencoded",
   "body": "c2&a3=2+q"
  },
  "oauth": {
   "consumer_key": "9djdj82h48djs9d2",
   "token": "kkk9d7dh3k39sjv7",
   "signature_method": "HMAC-SHA1",
   "timestamp": "137131201",
   "nonce": "7d8f3e4a",
   "version": "1.0",
   "realm": "Example",
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "j49sk3j29djd",
   "token_secret": "dh893hdasih9",
   "rsa_private_key_pem": null
  },
  "rfc": "OB33pYjWAnf+xtOHN4Gmbdil168=",
  "documented": "El9obSwgGmbT5pJsn/9e3t4VpJc="
 },
 {
  "finding": "empty-path-not-slash",
  "vector": "generated:1481179149 (shrunk)",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "http://api.example.com",
   "content_type": "application/json",
   "body": "{\"t\":\"\"}"
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": null,
   "signature_method": "HMAC-SHA1",
   "timestamp": "137131201",
   "nonce": "7d8f3e4a",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "",
   "token_secret": null
  },
  "rfc": "b+qsiT4ahydschLs6ChiiuoTfRQ=",
  "documented": "6tdjC+62rGhNviIhQUtYvVIVHpU="
 },
 {
  "finding": "form-content-type-case-sensitive",
  "vector": "generated:1481179369",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "PATCH",
   "url": "HTTPS://xn--bcher-kva.example:80/%C3%BC/?n%3Fb=_%C3%BCZa%3D",
   "content_type": "Application/X-WWW-Form-URLEncoded",
   "body": "a-b=%27%E2%82%AC"
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": null,
   "signature_method": "HMAC-SHA1",
   "timestamp": "1700000000",
   "nonce": "7d8f3e4a",
   "version": "1.0",
   "realm": "Example",
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "'=.=",
   "token_secret": null
  },
  "rfc": "c9DbKw9eY8cR70px5T2kBVsrg04=",
  "documented": "3qVVANupJbpkhnD5yYrl2PY0WfA="
 },
 {
  "finding": "ignores-form-body",
  "vector": "generated:1481180103",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "PUT",
   "url": "http://[2001:db8::1]:/!$&'()*+,;=/%C3%BC",
   "content_type": "Application/X-WWW-Form-URLEncoded",
   "body": "a=~%F0%9F%98%80%21%2B"
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "kkk9d7dh3k39sjv7",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1191242096",
   "nonce": "chapoH",
   "version": "1.0",
   "realm": "Example",
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "0/ü",
   "token_secret": ""
  },
  "rfc": "K3/1Zk+AyQYu6T4gxW/zUHRiQcM=",
  "documented": "MPnE+s7PuOM5AHmB/eZmdK9HKTQ="
 },
 {
  "finding": "keeps-default-port",
  "vector": "lib-cpprest-post-query-port-80",
  "file": "vectors/libraries-sign.json",
  "stage": "signature",
  "request": {
   "method": "POST",
   "url": "http://example.com:80/request?a=b&c=d",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "token": "test_token",
   "timestamp": "12345678",
   "nonce": "ABCDEFGH",
   "version": "1.0",
   "realm": null,
   "extra": {},
   "consumer_key": "test_key",
   "signature_method": "HMAC-SHA1"
  },
  "secrets": {
   "consumer_secret": "test_secret",
   "token_secret": "test_token_secret",
   "rsa_private_key_pem": null
  },
  "rfc": "iUq3VlP39UNXoJHXlKjgSTmjEs8=",
  "documented": "2d7EKsrlP+zPS6RcsgEFrsgWRU8="
 },
 {
  "finding": "keeps-host-case",
  "vector": "lib-signet-mixed-case-authority",
  "file": "vectors/libraries-sign.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "http://photos.eXaMpLe.NET/photos?file=vacation.jpg&size=original",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "token": "nnch734d00sl2jdk",
   "timestamp": "1191242096",
   "nonce": "kllo9940pd9333jh",
   "version": "1.0",
   "realm": null,
   "extra": {},
   "consumer_key": "dpf43f3p2l4k3l03",
   "signature_method": "HMAC-SHA1"
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "tR3+Ty81lMeYAr/Fid0kMTYa/WM=",
  "documented": "ECwLRRbZmf5GCd4OLSfTsst2eeI="
 },
 {
  "finding": "keeps-host-case-not-scheme",
  "vector": "wild-mixed-case-path",
  "file": "vectors/in-the-wild.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "HTTPS://API.Example.com/Users/Bob",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1700000000",
   "nonce": "w1ldn0nce",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "cqbpSBpCKW0tOBh6fszRpRlCVeo=",
  "documented": "0BZT+Hih4z+qN/TxH0NrZbGH9N0="
 },
 {
  "finding": "method-not-uppercased",
  "vector": "lib-gomodule-method-host-case-port-443",
  "file": "vectors/libraries-sign.json",
  "stage": "signature",
  "request": {
   "method": "GeT",
   "url": "https://apI.twItter.com:443/1/?page=10",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "token": "10212-JJ3Zc1A49qSMgdcAO2GMOpW9l7A348ESmhjmOBOU",
   "timestamp": "1355795903",
   "nonce": "8067e8abc6bdca2006818132445c8f4c",
   "version": "1.0",
   "realm": null,
   "extra": {},
   "consumer_key": "kMViZR2MHk2mM7hUNVw9A",
   "signature_method": "HMAC-SHA1"
  },
  "secrets": {
   "consumer_secret": "56Fgl58yOfqXOhHXX0ybvOmSnPQFvR2miYmm30A",
   "token_secret": "yF75mvq4LZMHj9O0DXwoC3ZxUnN1ptvieThYuOAYM",
   "rsa_private_key_pem": null
  },
  "rfc": "o5cx1ggJrY9ognZuVVeUwglKV8U=",
  "documented": "nzkVHooOm1RzYtcfJzoP0rTwuv4="
 },
 {
  "finding": "signs-oauth-signature",
  "vector": "wild-stale-signature-in-query",
  "file": "vectors/in-the-wild.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "https://api.example.com/p?a=1&oauth_signature=prev",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1700000000",
   "nonce": "w1ldn0nce",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "0zl+kA7lht8Aa+C0s4nLTcF63Z4=",
  "documented": "41Aw/sQvQmGa6U1scsRYrpoa4Fg="
 },
 {
  "finding": "sorts-unencoded-keys",
  "vector": "generated:1481180510",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "HTTPS://api.example.com:8443/a/?a1=%2B%3Fb&a%5Bb%5D=-%3F",
   "content_type": "application/x-www-form-urlencoded",
   "body": ""
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": null,
   "signature_method": "HMAC-SHA1",
   "timestamp": "1191242096",
   "nonce": "chapoH",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "é0",
   "token_secret": null
  },
  "rfc": "pIi6mH3cRe07DucSQgJxYCSSzMU=",
  "documented": "y2N6NUfIKbFxalMIsyWYhG5szvs="
 }
]
""")


class KeepRequest(requests.adapters.BaseAdapter):
    def send(self, request, **kwargs):
        self.sent = request
        response = requests.Response()
        response.status_code = 200
        response.request = request
        response._content = b""
        return response

    def close(self):
        pass


class FixedSession(OAuth1Session):
    def __init__(self, fixed, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed = fixed

    def _get_oauth_params(self, req_kwargs):
        return {**super()._get_oauth_params(req_kwargs), **self.fixed}


def signature(entry):
    request, oauth, secrets = entry["request"], entry["oauth"], entry["secrets"]
    fixed = {"oauth_nonce": oauth["nonce"], "oauth_timestamp": oauth["timestamp"]}
    if oauth.get("version") is not None:
        fixed["oauth_version"] = oauth["version"]
    fixed.update(oauth.get("extra") or {})
    methods = {"HMAC-SHA1": rauth_oauth.HmacSha1Signature, "PLAINTEXT": rauth_oauth.PlaintextSignature}
    session = FixedSession(fixed, oauth["consumer_key"], secrets.get("consumer_secret"), access_token=oauth.get("token"),
                           access_token_secret=secrets.get("token_secret"), signature=methods[oauth["signature_method"]])
    transport = KeepRequest()
    session.mount("http://", transport)
    session.mount("https://", transport)
    # rauth's documented way to send a query is `params`.
    url = urllib.parse.urlsplit(request["url"])
    kwargs = {"header_auth": True, "realm": oauth.get("realm") or ""}
    if url.query:
        kwargs["params"] = url.query
    if request.get("body") is not None:
        kwargs["data"] = request["body"]
    if request.get("content_type") is not None:
        kwargs["headers"] = {"Content-Type": request["content_type"]}
    session.request(request["method"], urllib.parse.urlunsplit(url._replace(query="")), **kwargs)
    header = transport.sent.headers["Authorization"]
    return urllib.parse.unquote(header.split('oauth_signature="', 1)[1].split('"', 1)[0])


def check(name, value_of):
    """Prints the library's value next to RFC 5849's; exits 0 (as documented), 3 (fixed: retire
    the dossier) or 4 (a third value)."""
    wanted = sys.argv[1] if len(sys.argv) == 2 else None
    entry = next((e for e in FINDINGS if e["finding"] == wanted), None)
    if entry is None:
        sys.exit(f"usage: {sys.argv[0]} FINDING (one of: {', '.join(e['finding'] for e in FINDINGS)})")
    value = value_of(entry)
    print(f"finding:  {entry['finding']} (vector {entry['vector']}, {entry['stage']})")
    print(f"{name}: {value}")
    print(f"RFC 5849: {entry['rfc']}")
    if value == entry["rfc"]:
        print(f"fixed: {name} now agrees with RFC 5849")
        sys.exit(3)
    if value != entry["documented"]:
        print(f"changed: the dossier documents {entry['documented']}")
        sys.exit(4)


check("rauth", signature)
