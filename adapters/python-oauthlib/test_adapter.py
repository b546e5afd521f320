"""Drives adapter.py through the adapter protocol with every case of vectors/*.json.

Run from the repository root with the Python that has requirements.txt installed:

    .venv/bin/python -m unittest adapters/python-oauthlib/test_adapter.py

Only the standard library and the adapter's own requirements are used: the response shapes are
checked by hand here (the JSON Schemas in adapters/schema/ are the authority).
"""

import glob
import json
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ADAPTER = os.path.join(HERE, "adapter.py")
VECTORS = os.path.join(ROOT, "vectors")

STAGES = {"body_hash", "normalized_parameters", "base_string_uri", "signature_base_string", "signature", "authorization_header"}
REASONS = {
    "signature_mismatch", "missing_parameter", "duplicate_parameter", "parameter_in_multiple_locations",
    "unsupported_version", "unsupported_signature_method", "timestamp_out_of_window", "nonce_replayed",
    "malformed_header", "body_hash_mismatch", "malformed_request",
    # A signer's refusals (adapters/PROTOCOL.md).
    "body_hash_not_computed", "body_on_get", "form_like_body", "form_content_type", "raw_iri",
}


def load_cases():
    cases = []
    for path in sorted(glob.glob(os.path.join(VECTORS, "*.json"))):
        if os.path.basename(path) == "schema.json":
            continue
        with open(path, encoding="utf-8") as f:
            cases.extend(json.load(f)["cases"])
    return cases


def request_for(case, request_id):
    """The protocol request for a case: its inputs only, never its expected values."""
    if case["kind"] == "sign":
        return {"cmd": "sign", "id": request_id, "request": case["request"], "oauth": case["oauth"], "secrets": case["secrets"]}
    if case["kind"] == "parse_header":
        return {"cmd": "parse_header", "id": request_id, "header": case["header"]}
    return {"cmd": "verify", "id": request_id, "request": case["request"], "secrets": case["secrets"], "now": case["now"]}


def run_adapter(variant, messages, env=None):
    """Writes every message at once (the harness pipelines) and returns (returncode, lines, stderr)."""
    data = "".join(json.dumps(m) + "\n" for m in messages).encode("utf-8")
    proc = subprocess.run(
        [sys.executable, ADAPTER, "--variant", variant],
        input=data,
        capture_output=True,
        timeout=120,
        env=env,
        check=False,
    )
    lines = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    return proc.returncode, lines, proc.stderr.decode("utf-8", "replace")


def is_pairs(value):
    return isinstance(value, list) and all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in value
    )


class ShapeMixin:
    def assert_response_shape(self, response, kind):
        self.assertIsInstance(response.get("id"), int)
        outcomes = [k for k in ("result", "rejected", "unsupported", "error") if k in response]
        self.assertEqual(len(outcomes), 1, response)
        self.assertEqual(set(response), {"id", outcomes[0]}, response)
        if "rejected" in response:
            rejected = response["rejected"]
            self.assertLessEqual(set(rejected), {"reason", "message"})
            self.assertIsInstance(rejected["message"], str)
            self.assertTrue(rejected.get("reason") is None or rejected["reason"] in REASONS, rejected)
        elif "unsupported" in response:
            self.assertEqual(set(response["unsupported"]), {"message"})
            self.assertIsInstance(response["unsupported"]["message"], str)
        elif "error" in response:
            self.assertIsInstance(response["error"]["message"], str)
            self.assertLessEqual(set(response["error"]), {"message", "context"})
        else:
            result = response["result"]
            if kind == "sign":
                self.assertEqual(set(result), {"trace"})
                self.assertLessEqual(set(result["trace"]), STAGES)
                for value in result["trace"].values():
                    self.assertIsInstance(value, str)
            elif kind == "parse_header":
                self.assertEqual(set(result), {"params"})
                self.assertTrue(is_pairs(result["params"]), result)
            else:
                self.assertEqual(set(result), {"accepted"})
                self.assertIsInstance(result["accepted"], bool)


class CorpusTest(ShapeMixin, unittest.TestCase):
    """Every case of the corpus, through each variant, in one pipelined session per variant."""

    @classmethod
    def setUpClass(cls):
        cls.cases = load_cases()
        cls.requests = [request_for(case, i) for i, case in enumerate(cls.cases)]
        cls.sessions = {}
        for variant in ("client", "signature"):
            messages = [{"cmd": "start", "protocol": 1}, *cls.requests, {"cmd": "stop"}]
            cls.sessions[variant] = run_adapter(variant, messages)

    def responses(self, variant):
        returncode, lines, stderr = self.sessions[variant]
        self.assertEqual(returncode, 0, stderr)
        self.assertEqual(len(lines), len(self.requests) + 2, stderr)
        self.assertEqual(lines[-1], {"ok": True})
        return lines[0], lines[1:-1]

    def by_id(self, variant, case_id):
        _, responses = self.responses(variant)
        for case, response in zip(self.cases, responses):
            if case["id"] == case_id:
                return case, response
        self.fail(f"no case {case_id}")

    def test_corpus_is_present(self):
        self.assertGreater(len(self.cases), 200)

    def test_handshake(self):
        for variant, name in (("client", "oauthlib-client"), ("signature", "oauthlib-signature")):
            with self.subTest(variant=variant):
                handshake, _ = self.responses(variant)
                self.assertIs(handshake["ok"], True)
                self.assertEqual(handshake["protocol"], 1)
                implementation = handshake["implementation"]
                self.assertEqual(implementation["name"], name)
                self.assertEqual(implementation["language"], "python")
                capabilities = implementation["capabilities"]
                self.assertLessEqual(set(capabilities["operations"]), {"sign", "parse_header", "verify"})
                self.assertLessEqual(set(capabilities["stages"]), STAGES)
                self.assertIsInstance(capabilities["can_omit_version"], bool)
                self.assertIs(capabilities["reports_rejection_reasons"], False)
                self.assertIn("HMAC-SHA1", capabilities["signature_methods"])

    def test_one_well_formed_answer_per_request_in_order(self):
        for variant in ("client", "signature"):
            _, responses = self.responses(variant)
            for case, request, response in zip(self.cases, self.requests, responses):
                with self.subTest(variant=variant, case=case["id"]):
                    self.assertEqual(response["id"], request["id"])
                    self.assert_response_shape(response, case["kind"])

    def test_no_adapter_failures_on_the_corpus(self):
        # No `error` answer on a supported operation: the inputs a variant cannot express are
        # `unsupported` (README.md lists them). An `error` is an adapter bug.
        for variant in ("client", "signature"):
            handshake, responses = self.responses(variant)
            operations = handshake["implementation"]["capabilities"]["operations"]
            for case, response in zip(self.cases, responses):
                if case["kind"] not in operations:
                    continue
                with self.subTest(variant=variant, case=case["id"]):
                    self.assertNotIn("error", response)

    def test_signature_variant_expresses_every_input(self):
        _, responses = self.responses("signature")
        for case, response in zip(self.cases, responses):
            if case["kind"] != "verify":
                with self.subTest(case=case["id"]):
                    self.assertNotIn("error", response)

    def test_rfc5849_3_4_1_signature_variant(self):
        case, response = self.by_id("signature", "rfc5849-3.4.1-hmac-sha1")
        trace = response["result"]["trace"]
        self.assertEqual(trace["signature"], "r6/TJjbCOr97/+UU0NsvSne7s5g=")
        for stage in ("normalized_parameters", "base_string_uri", "signature_base_string"):
            self.assertEqual(trace[stage], case["expected"][stage], stage)

    def test_rfc5849_3_4_1_with_version_client_variant(self):
        case, response = self.by_id("client", "rfc5849-3.4.1-hmac-sha1-with-version")
        trace = response["result"]["trace"]
        for stage, value in case["expected"].items():
            self.assertEqual(trace[stage], value, stage)

    def test_client_always_sends_version(self):
        handshake, _ = self.responses("client")
        self.assertIs(handshake["implementation"]["capabilities"]["can_omit_version"], False)
        _, response = self.by_id("client", "rfc5849-3.4.1-hmac-sha1")
        self.assertIn('oauth_version="1.0"', response["result"]["trace"]["authorization_header"])

    def test_signature_variant_sends_exactly_the_given_parameters(self):
        _, response = self.by_id("signature", "rfc5849-3.4.1-hmac-sha1")
        self.assertNotIn("oauth_version", response["result"]["trace"]["authorization_header"])

    def test_verify_accepts_a_valid_request(self):
        _, response = self.by_id("client", "verify-header-hmac-sha1")
        self.assertEqual(response, {"id": response["id"], "result": {"accepted": True}})

    def test_verify_rejects_a_mutated_request(self):
        _, response = self.by_id("client", "verify-mutated-body")
        self.assertIn("rejected", response)

    def test_verify_clock_is_now(self):
        # 299 s old is inside the window, 301 s is not: the clock is the case's `now`.
        _, fresh = self.by_id("client", "verify-timestamp-299s-old")
        _, stale = self.by_id("client", "verify-timestamp-stale-301s")
        self.assertEqual(fresh["result"], {"accepted": True})
        self.assertIn("Timestamp given is invalid", stale["rejected"]["message"])


class ProtocolTest(ShapeMixin, unittest.TestCase):
    def test_eof_without_stop_exits_cleanly(self):
        returncode, lines, stderr = run_adapter("signature", [{"cmd": "start", "protocol": 1}])
        self.assertEqual(returncode, 0, stderr)
        self.assertEqual(len(lines), 1)

    def test_wrong_protocol_is_refused(self):
        _, lines, _ = run_adapter("client", [{"cmd": "start", "protocol": 2}])
        self.assertIs(lines[0]["ok"], False)
        self.assertIsInstance(lines[0]["error"], str)

    def test_unknown_command_and_bad_request_are_errors(self):
        _, lines, _ = run_adapter(
            "signature",
            [
                {"cmd": "start", "protocol": 1},
                {"cmd": "frobnicate", "id": 7},
                {"cmd": "sign", "id": 8},  # no request: an adapter-side failure, with a traceback
                {"cmd": "verify", "id": 9, "request": {}, "secrets": {}, "now": 0},  # signature variant has no verify
                {"cmd": "stop"},
            ],
        )
        self.assertEqual([line.get("id") for line in lines[1:4]], [7, 8, 9])
        for line in lines[1:4]:
            self.assert_response_shape(line, "sign")
            self.assertIn("error", line)
        self.assertIn("Traceback", lines[2]["error"]["context"])

    def test_library_exceptions_are_rejections(self):
        _, lines, _ = run_adapter(
            "client",
            [
                {"cmd": "start", "protocol": 1},
                {"cmd": "parse_header", "id": 1, "header": "Basic Zm9vOmJhcg=="},
                {"cmd": "stop"},
            ],
        )
        self.assertEqual(lines[1], {"id": 1, "rejected": {"reason": None, "message": "ValueError: Malformed authorization header"}})

    def test_unexpressible_extra_parameter_is_unsupported(self):
        sign = {
            "cmd": "sign", "id": 3,
            "request": {"method": "GET", "url": "http://example.com/", "content_type": None, "body": None},
            "oauth": {"consumer_key": "k", "token": None, "signature_method": "HMAC-SHA1", "timestamp": "1700000000",
                      "nonce": "n", "version": "1.0", "realm": None, "extra": {"oauth_foo": "bar"}},
            "secrets": {"consumer_secret": "s", "token_secret": None, "rsa_private_key_pem": None},
        }
        _, lines, _ = run_adapter("client", [{"cmd": "start", "protocol": 1}, sign, {"cmd": "stop"}])
        self.assertIn("oauth_foo", lines[1]["unsupported"]["message"])
        _, lines, _ = run_adapter("signature", [{"cmd": "start", "protocol": 1}, sign, {"cmd": "stop"}])
        self.assertIn('oauth_foo="bar"', lines[1]["result"]["trace"]["authorization_header"])

    def test_content_type_in_both_places_is_one_header(self):
        # The harness's generated verify requests repeat the Content-Type in `headers`; the
        # published body-signed request verifies either way, and two different types cannot be
        # expressed (oauthlib takes headers as a dict).
        case = next(c for c in load_cases() if c["id"] == "verify-body-hmac-sha1")
        repeated = dict(case["request"], headers=[["Content-Type", case["request"]["content_type"]]])
        differing = dict(case["request"], headers=[["content-type", "text/plain"]])
        messages = [{"cmd": "start", "protocol": 1}]
        for request_id, request in enumerate([case["request"], repeated, differing], 1):
            messages.append({"cmd": "verify", "id": request_id, "request": request, "secrets": case["secrets"], "now": case["now"]})
        _, lines, _ = run_adapter("client", messages + [{"cmd": "stop"}])
        self.assertEqual([line.get("result") for line in lines[1:3]], [{"accepted": True}] * 2)
        self.assertIn("Content-Type", lines[3]["unsupported"]["message"])

    def test_runs_with_a_fixed_hash_seed(self):
        # A raw non-ASCII query makes oauthlib print a set in its message; the adapter re-executes
        # itself with PYTHONHASHSEED=0, so the message is the same whatever the caller's seed.
        sign = {
            "cmd": "sign", "id": 1,
            "request": {"method": "GET", "url": "http://example.com/?q=\u00fc\u00e9\u00e0", "content_type": None, "body": None},
            "oauth": {"consumer_key": "k", "token": None, "signature_method": "HMAC-SHA1", "timestamp": "1",
                      "nonce": "n", "version": None, "realm": None, "extra": {}},
            "secrets": {"consumer_secret": "s", "token_secret": None, "rsa_private_key_pem": None},
        }
        messages = []
        for seed in ("1", "2", "3", "random"):
            env = dict(os.environ, PYTHONHASHSEED=seed)
            _, lines, _ = run_adapter("signature", [sign], env=env)
            messages.append(lines[0]["rejected"]["message"])
        self.assertEqual(len(set(messages)), 1, messages)


if __name__ == "__main__":
    unittest.main()
