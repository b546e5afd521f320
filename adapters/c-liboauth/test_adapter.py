"""python3 -m unittest adapters/c-liboauth/test_adapter.py   (from the repository root, after
bash adapters/c-liboauth/build.sh)

Published values: OAuth Core 1.0a Appendix A.5 / the oauth.net HMAC-SHA1 test case (GET
http://photos.example.net/photos?file=vacation.jpg&size=original with oauth_version=1.0). liboauth
always sends oauth_version, so the RFC 5849 examples without it cannot be reproduced."""

import json
import pathlib
import subprocess
import unittest

ADAPTER = pathlib.Path(__file__).resolve().parents[2] / "target" / "adapters" / "c-liboauth" / "adapter"

PHOTOS = {
    "request": {"method": "GET", "url": "http://photos.example.net/photos?file=vacation.jpg&size=original",
                "content_type": None, "body": None},
    "oauth": {"consumer_key": "dpf43f3p2l4k3l03", "token": "nnch734d00sl2jdk", "signature_method": "HMAC-SHA1",
              "timestamp": "1191242096", "nonce": "kllo9940pd9333jh", "version": "1.0", "realm": None, "extra": {}},
    "secrets": {"consumer_secret": "kd94hf93k423kf44", "token_secret": "pfkkdhi9sl3r4s00", "rsa_private_key_pem": None},
}


class LiboauthAdapterTest(unittest.TestCase):
    def run_session(self, *requests):
        lines = [{"cmd": "start", "protocol": 1}, *requests, {"cmd": "stop"}]
        stdin = "".join(json.dumps(line) + "\n" for line in lines)
        done = subprocess.run([str(ADAPTER)], input=stdin, capture_output=True, text=True, timeout=10, check=False)
        self.assertEqual(done.returncode, 0, done.stderr)
        return [json.loads(line) for line in done.stdout.splitlines()]

    def test_published_hmac_sha1_example(self):
        hello, signed, stopped = self.run_session({"cmd": "sign", "id": 4, **PHOTOS})
        self.assertEqual(hello["implementation"]["name"], "liboauth")
        self.assertEqual(signed["id"], 4)
        trace = signed["result"]["trace"]
        self.assertEqual(trace["signature"], "tR3+Ty81lMeYAr/Fid0kMTYa/WM=")
        self.assertEqual(trace["base_string_uri"], "http://photos.example.net/photos")
        self.assertEqual(
            trace["signature_base_string"],
            "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03"
            "%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096"
            "%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal",
        )
        self.assertIn('oauth_signature="tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D"', trace["authorization_header"])
        self.assertEqual(stopped, {"ok": True})

    def test_null_nonce_is_an_adapter_limit_and_the_process_keeps_serving(self):
        no_nonce = {**PHOTOS, "oauth": {**PHOTOS["oauth"], "nonce": None}}
        _, refused, signed, _ = self.run_session({"cmd": "sign", "id": 1, **no_nonce}, {"cmd": "sign", "id": 2, **PHOTOS})
        self.assertIn("unsupported", refused)
        self.assertEqual(signed["result"]["trace"]["signature"], "tR3+Ty81lMeYAr/Fid0kMTYa/WM=")


if __name__ == "__main__":
    unittest.main()
