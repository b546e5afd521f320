"""The Python adapters that share this folder's protocol loop (python-authlib,
python-requests-oauthlib, python-oauth2, python-rauth, and the oauthlib adapter under Debian's
/usr/bin/python3), each driven over the protocol with the RFC 5849 §3.4.1 request.

Run from the repository root with the project's virtualenv (one adapter: add `-k Authlib` etc.):

    .venv/bin/python -m unittest adapters/python-common/test_adapters.py

The expected signatures are the published ones of vectors/rfc5849.json (RFC 5849 §3.4.1 after
errata 2550, without and with oauth_version=1.0). For libraries that do not reach them, the test
pins what they compute instead by the RFC's own normalized parameters minus what the library
documentably loses, and checks that the signature is the HMAC-SHA1 of the base string reported.
"""

import base64
import hashlib
import hmac
import json
import os
import subprocess
import sys
import unittest

ADAPTERS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(ADAPTERS)

RFC_3_4_1_SIGNATURE = "r6/TJjbCOr97/+UU0NsvSne7s5g="
RFC_3_4_1_SIGNATURE_WITH_VERSION = "OB33pYjWAnf+xtOHN4Gmbdil168="
RFC_3_4_1_NORMALIZED_WITH_VERSION = (
    "a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2&oauth_nonce=7d8f3e4a"
    "&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201&oauth_token=kkk9d7dh3k39sjv7&oauth_version=1.0"
)
RFC_3_4_1_HMAC_KEY = b"j49sk3j29djd&dh893hdasih9"


def rfc_3_4_1_sign(request_id, version):
    """The sign request of RFC 5849 §3.4.1 (`version` None or "1.0")."""
    return {
        "cmd": "sign",
        "id": request_id,
        "request": {
            "method": "POST",
            "url": "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
            "content_type": "application/x-www-form-urlencoded",
            "body": "c2&a3=2+q",
        },
        "oauth": {
            "consumer_key": "9djdj82h48djs9d2", "token": "kkk9d7dh3k39sjv7", "signature_method": "HMAC-SHA1",
            "timestamp": "137131201", "nonce": "7d8f3e4a", "version": version, "realm": "Example", "extra": {},
            "compute_body_hash": False,
        },
        "secrets": {"consumer_secret": "j49sk3j29djd", "token_secret": "dh893hdasih9", "rsa_private_key_pem": None},
    }


def run_adapter(command, messages):
    """Starts `command` from the repository root, writes every message at once (the harness
    pipelines) and returns (returncode, decoded answer lines, stderr)."""
    data = "".join(json.dumps(m) + "\n" for m in messages).encode("utf-8")
    proc = subprocess.run(command, input=data, capture_output=True, timeout=120, cwd=ROOT, check=False)
    lines = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    return proc.returncode, lines, proc.stderr.decode("utf-8", "replace")


def venv_adapter(folder):
    return [sys.executable, os.path.join(ADAPTERS, folder, "adapter.py")]


class RfcExampleMixin:
    """Handshake, the RFC 5849 §3.4.1 request with oauth_version=1.0, stop."""

    command = None
    row_name = None

    def rfc_trace(self):
        returncode, lines, stderr = run_adapter(
            self.command, [{"cmd": "start", "protocol": 1}, rfc_3_4_1_sign(1, "1.0"), {"cmd": "stop"}]
        )
        self.assertEqual(returncode, 0, stderr)
        self.assertEqual(len(lines), 3, stderr)
        handshake, answer, stop = lines
        self.assertEqual(handshake["implementation"]["name"], self.row_name)
        self.assertEqual(handshake["protocol"], 1)
        self.assertEqual(answer["id"], 1)
        self.assertEqual(stop, {"ok": True})
        return answer["result"]["trace"]

    def assert_signs_its_base_string(self, trace):
        digest = hmac.new(RFC_3_4_1_HMAC_KEY, trace["signature_base_string"].encode("utf-8"), hashlib.sha1).digest()
        self.assertEqual(trace["signature"], base64.b64encode(digest).decode("ascii"))


class AuthlibTest(RfcExampleMixin, unittest.TestCase):
    command = venv_adapter("python-authlib")
    row_name = "authlib-client"

    def test_rfc_3_4_1_with_version(self):
        trace = self.rfc_trace()
        self.assertEqual(trace["signature"], RFC_3_4_1_SIGNATURE_WITH_VERSION)
        self.assertEqual(trace["normalized_parameters"], RFC_3_4_1_NORMALIZED_WITH_VERSION)
        self.assert_signs_its_base_string(trace)

    def test_verify_accepts_what_it_signed_and_nothing_changed(self):
        header = self.rfc_trace()["authorization_header"]
        request = {"method": "POST", "url": "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
                   "content_type": "application/x-www-form-urlencoded", "body": "c2&a3=2+q",
                   "headers": [["authorization", header]]}  # header names are case-insensitive
        secrets = {"consumer_secret": "j49sk3j29djd", "token_secret": "dh893hdasih9"}
        _, lines, stderr = run_adapter(self.command, [
            {"cmd": "start", "protocol": 1},
            {"cmd": "verify", "id": 1, "request": request, "secrets": secrets, "now": 137131201},
            {"cmd": "verify", "id": 2, "request": dict(request, body="c2&a3=2+r"), "secrets": secrets, "now": 137131201},
            {"cmd": "verify", "id": 3, "request": request, "secrets": secrets, "now": 137131201 + 301},
        ])
        self.assertEqual(lines[1], {"id": 1, "result": {"accepted": True}}, stderr)
        self.assertIn("invalid_signature", lines[2]["rejected"]["message"])
        self.assertIn("oauth_timestamp", lines[3]["rejected"]["message"])


class RequestsOAuthlibTest(RfcExampleMixin, unittest.TestCase):
    command = venv_adapter("python-requests-oauthlib")
    row_name = "requests-oauthlib"

    def test_rfc_3_4_1_with_version(self):
        trace = self.rfc_trace()
        self.assertEqual(trace["signature"], RFC_3_4_1_SIGNATURE_WITH_VERSION)
        self.assertEqual(trace["normalized_parameters"], RFC_3_4_1_NORMALIZED_WITH_VERSION)
        self.assertIn('realm="Example"', trace["authorization_header"])


class OAuth2Test(RfcExampleMixin, unittest.TestCase):
    command = venv_adapter("python-oauth2")
    row_name = "oauth2"

    def test_rfc_3_4_1_with_version(self):
        # oauth2 decodes the query twice (`b5=%3D%253D` -> `%3D%3D`) and parses the body without
        # keep_blank_values (the empty `c2` is lost; the query's empty `c%40=` stays).
        trace = self.rfc_trace()
        expected = RFC_3_4_1_NORMALIZED_WITH_VERSION.replace("b5=%3D%253D", "b5=%3D%3D").replace("c2=&", "")
        self.assertEqual(trace["normalized_parameters"], expected)
        self.assertNotEqual(trace["signature"], RFC_3_4_1_SIGNATURE_WITH_VERSION)
        self.assert_signs_its_base_string(trace)


class RauthTest(RfcExampleMixin, unittest.TestCase):
    command = venv_adapter("python-rauth")
    row_name = "rauth"

    def test_rfc_3_4_1_with_version(self):
        # rauth reads query and body with dict(parse_qsl(...)): both empty parameters are lost.
        trace = self.rfc_trace()
        self.assertEqual(trace["normalized_parameters"], RFC_3_4_1_NORMALIZED_WITH_VERSION.replace("c%40=&c2=&", ""))
        self.assertEqual(trace["base_string_uri"], "http://example.com/request")
        self.assertNotEqual(trace["signature"], RFC_3_4_1_SIGNATURE_WITH_VERSION)
        self.assert_signs_its_base_string(trace)


def debian_oauthlib(variant):
    adapter = os.path.join(ADAPTERS, "python-oauthlib", "adapter.py")
    return ["/usr/bin/python3", adapter, "--variant", variant, "--name", f"oauthlib-debian-{variant}"]


class DebianOAuthlibTest(RfcExampleMixin, unittest.TestCase):
    """The oauthlib adapter run by Debian's interpreter, with Debian's python3-oauthlib."""

    command = debian_oauthlib("client")
    row_name = "oauthlib-debian-client"

    def test_client_row(self):
        self.assertEqual(self.rfc_trace()["signature"], RFC_3_4_1_SIGNATURE_WITH_VERSION)

    def test_signature_row_without_version(self):
        _, lines, stderr = run_adapter(debian_oauthlib("signature"), [{"cmd": "start", "protocol": 1},
                                                                       rfc_3_4_1_sign(1, None)])
        implementation = lines[0]["implementation"]
        self.assertEqual(implementation["name"], "oauthlib-debian-signature", stderr)
        self.assertTrue(implementation["version"].startswith("3.2."), implementation["version"])
        self.assertEqual(lines[1]["result"]["trace"]["signature"], RFC_3_4_1_SIGNATURE)


if __name__ == "__main__":
    unittest.main()
