"""parse_each_private_key_once: a PEM is parsed once per process, and only what cryptography's own
parser would answer is answered. Expected keys come from cryptography's parser itself, called
before the hook is installed. Runs in a process of its own (the hook patches cryptography):
`.venv/bin/python -m unittest adapters/python-common/test_library_hooks.py`."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cryptography.hazmat.primitives import serialization  # noqa: E402

import library_hooks  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
with open(os.path.join(ROOT, "crates", "conformance", "data", "generator-rsa-1024.pem"), "rb") as pem_file:
    PEM = pem_file.read()


class ParseEachPrivateKeyOnce(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.original = serialization.load_pem_private_key
        cls.expected = cls.original(PEM, None).private_numbers()
        library_hooks.parse_each_private_key_once()

    @classmethod
    def tearDownClass(cls):
        serialization.load_pem_private_key = cls.original

    def test_a_pem_is_parsed_once_into_the_key_the_parser_gives(self):
        first = serialization.load_pem_private_key(PEM, password=None)
        again = serialization.load_pem_private_key(PEM, None, backend=None)
        self.assertIs(first, again)
        self.assertEqual(first.private_numbers(), self.expected)

    def test_a_pem_the_parser_refuses_is_refused_every_time(self):
        broken = PEM.replace(b"MII", b"XII", 1)
        for _ in range(2):
            with self.assertRaises(ValueError):
                serialization.load_pem_private_key(broken, None)

    def test_other_arguments_go_to_the_parser_uncached(self):
        with self.assertRaises(TypeError):
            serialization.load_pem_private_key(PEM, b"a password for an unencrypted key")
        with self.assertRaises(TypeError):
            serialization.load_pem_private_key(PEM.decode("ascii"), None)


if __name__ == "__main__":
    unittest.main()
