"""What the adapter protocol costs oauthlib: the same sign requests through the adapter's
handler in-process, and through a real adapter process over JSON lines (one process, all
requests written up front, as the harness pipelines them).

Run from the repository root with the project's virtualenv:
    .venv/bin/python adapters/python-oauthlib/bench_protocol.py [N]
Numbers vary with machine load; run it on an idle machine.
"""

import glob
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
os.environ["PYTHONHASHSEED"] = "0"
import adapter  # noqa: E402


def sign_requests():
    """HMAC sign cases with oauth_version, which both variants can sign."""
    requests = []
    for path in sorted(glob.glob("vectors/*.json")):
        if path.endswith("schema.json"):
            continue
        with open(path, encoding="utf-8") as f:
            for case in json.load(f)["cases"]:
                oauth = case.get("oauth", {})
                if (case["kind"] == "sign" and oauth["signature_method"].startswith("HMAC")
                        and oauth.get("version") == "1.0" and not oauth.get("compute_body_hash")):
                    requests.append({"cmd": "sign", "request": case["request"], "oauth": oauth,
                                     "secrets": case["secrets"]})
    return requests


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 40000
    base = sign_requests()
    work = [dict(r, id=i + 1) for i, r in enumerate((base * (n // len(base) + 1))[:n])]
    for variant in ("client", "signature"):
        handler = adapter.VARIANTS[variant]["sign"]
        started = time.perf_counter()
        for request in work:
            try:
                handler(request)
            except Exception:  # the library's refusals count as work done
                pass
        in_process = n / (time.perf_counter() - started)
        lines = "".join(json.dumps(m) + "\n" for m in [{"cmd": "start", "protocol": 1}, *work, {"cmd": "stop"}])
        started = time.perf_counter()
        done = subprocess.run([sys.executable, os.path.join(HERE, "adapter.py"), "--variant", variant],
                              input=lines, capture_output=True, text=True, check=True)
        over_protocol = n / (time.perf_counter() - started)
        answered = done.stdout.count("\n") - 2
        print(f"oauthlib-{variant}: {n} sign requests ({len(base)} distinct): in-process {in_process:.0f}/s, "
              f"over the protocol {over_protocol:.0f}/s ({answered} answers), "
              f"protocol cost {100 * (1 - over_protocol / in_process):.1f}%")


if __name__ == "__main__":
    main()
