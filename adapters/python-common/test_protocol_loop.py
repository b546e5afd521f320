"""The protocol loop's JSON shortcuts give what the json module's documented calls give.

`_decode` must equal json.loads (same value, or a ValueError with the same message) and
`_answer_chunks` must join to json.dumps(..., ensure_ascii=True, separators=(",", ":")), the
encoding PROTOCOL.md's answers used before; both are checked on ordinary and on odd input.
Run with `.venv/bin/python -m unittest adapters/python-common/test_protocol_loop.py`."""

import json
import os
import sys
import unittest
from unittest import mock

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oauth1_adapter_protocol as protocol  # noqa: E402

SIGN = (
    b'{"cmd":"sign","id":7,"request":{"method":"GET","url":"http://example.com/?a=1","content_type":null,'
    b'"body":null},"oauth":{"consumer_key":"k","token":null,"signature_method":"HMAC-SHA1","timestamp":"1",'
    b'"nonce":"n","version":"1.0","realm":null,"extra":{},"compute_body_hash":false},'
    b'"secrets":{"consumer_secret":"s","token_secret":null,"rsa_private_key_pem":null}}'
)

LINES = [
    SIGN,
    b'{"cmd":"parse_header","id":1,"header":"OAuth realm=\\"\xc3\xa9\\", a=\\"\\u00e9\\ud83d\\ude00\\""}',
    b'  {"cmd":"stop"}',  # leading whitespace
    b'{"cmd":"stop"}  ',  # trailing whitespace
    b'{"cmd":"stop"}\r',  # a CRLF line without its LF
    b'\xef\xbb\xbf{"cmd":"stop"}',  # UTF-8 byte order mark
    b'{"x":"\xed\xa0\x80"}',  # an encoded surrogate: json.loads decodes with surrogatepass
    b'{"x":"\xff"}',  # not UTF-8
    b'{"cmd":"stop"} x',  # extra data
    b'{"cmd":',  # truncated
    b"not json",
    b"",
    b"[1,2]",
    b"null",
    b'"\x01"',  # a raw control character
    b'{"n":[1e999,-0.0,1E5,123456789012345678901234567890,NaN,-Infinity,true,false,null]}',
    b'{"a":1,"a":2}',  # a duplicate name: the last wins
    b'{"cmd":"stop"}\x00\x00',
]


def outcome(decode, line):
    try:
        return "value", decode(line)
    except ValueError as exc:
        return "error", type(exc), str(exc)


class DecodeTest(unittest.TestCase):
    def test_every_line_decodes_as_json_loads_decodes_it(self):
        for line in LINES:
            with self.subTest(line=line):
                expected, actual = outcome(json.loads, line), outcome(protocol._decode, line)
                # NaN is not equal to itself: compare the reprs.
                self.assertEqual(repr(expected), repr(actual))

    def test_a_request_line_is_decoded_without_json_loads(self):
        with mock.patch.object(protocol.json, "loads", side_effect=AssertionError("json.loads was called")):
            self.assertEqual(protocol._decode(SIGN)["oauth"]["signature_method"], "HMAC-SHA1")


ANSWERS = [
    {"ok": True, "protocol": 1, "implementation": {"name": "x", "capabilities": {"stages": ["signature"]}}},
    {"id": 3, "result": {"trace": {"signature": "r6/TJjbCOr97/+UU0NsvSne7s5g=",
                                   "authorization_header": 'OAuth realm="Example", oauth_nonce="7d8f3e4a"'}}},
    {"id": 4, "result": {"params": [["realm", "\u00e9\U0001f600"], ["oauth_nonce", "a\\b\"c\n\t\x00\x7f"]]}},
    {"id": 5, "result": {"accepted": False}},
    {"id": 6, "rejected": {"reason": None, "message": "ValueError: \ud800 lone surrogate"}},
    {"id": 7, "error": {"message": "m", "context": "float 1.5, -0.0, int 12345678901234567890"},
     "n": [1.5, -0.0, 12345678901234567890, float("inf"), True, None]},
]


class EncodeTest(unittest.TestCase):
    def test_answers_encode_as_compact_ascii_json_dumps(self):
        for response in ANSWERS:
            with self.subTest(response=response):
                self.assertEqual(
                    "".join(protocol._answer_chunks(response, 0)),
                    json.dumps(response, ensure_ascii=True, separators=(",", ":")),
                )

    def test_what_json_cannot_encode_still_raises(self):
        with self.assertRaises(TypeError):
            protocol._answer_chunks({"id": 1, "result": {"trace": {"signature": b"bytes"}}}, 0)


if __name__ == "__main__":
    unittest.main()
