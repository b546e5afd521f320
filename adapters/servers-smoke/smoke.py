#!/usr/bin/env python3
"""Smoke test of every live server of adapters/*/adapter.json and of the TLS proxy.

    .venv/bin/python adapters/servers-smoke/smoke.py [--only NAME[,NAME...]] [--skip-unavailable]

For each server (the list and commands come from `cargo xtask servers --json`):

1. start it on a free port of 127.0.0.1 and time how long it takes to print
   `listening on http://127.0.0.1:PORT`;
2. send it, with curl, a GET signed by an independent implementation (oauthlib's Client, HMAC-SHA1,
   header transmission) with the credentials file it is declared with: it must be accepted (2xx);
3. send another request signed the same way with one query value changed after signing: it must be
   refused (4xx). A server that accepts it is a finding, printed with the exact request;
4. report, without asserting, what it answers to a signed POST with a form body, a signed POST with
   a JSON body, the same signed request sent twice, and (with a TLS proxy in front of it) a request
   signed for the proxy's https:// URL;
5. for a server with /initiate and /token: a temporary-credential request without oauth_callback
   (reported), temporary credentials (must be issued; an
   `oauth_callback_confirmed` other than `true` is reported), a token request with a wrong verifier
   (reported), new temporary credentials and a token request with the right verifier (must be
   accepted), and a resource request with the token credentials it issued (must be accepted);
6. stop it with SIGTERM to its process group, time how long it takes to exit, and check that
   nothing of it is left running or listening.

A server declared `https_only` is reached through the TLS proxy (adapters/tls-proxy) for every
request. The TLS proxy itself is checked against a small echo backend: the headers it forwards.

Exit status: 0 when every assertion holds, 1 when one fails (a refused valid request, an accepted
tampered one, a server left running), 2 when a server cannot be started or is not set up (unless
--skip-unavailable) or the environment is broken. Only loopback addresses are used.
"""

import argparse
import ctypes
import json
import os
import secrets
import select
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

from oauthlib import oauth1

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
REQUEST_TIMEOUT = 10
FORM = "application/x-www-form-urlencoded"


class Failure(Exception):
    """An assertion of the smoke test that does not hold."""


class SetupError(Exception):
    """A server or the environment cannot be used."""


def become_subreaper():
    """Processes of a server that outlive their parent (the `sh -c` of the command, a wrapper script)
    are re-parented to this process instead of PID 1, so they are reaped as soon as they exit and a
    process group is seen empty the moment it is: stop times are then measured, not PID 1's reaping."""
    pr_set_child_subreaper = 36
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(pr_set_child_subreaper, 1, 0, 0, 0) != 0:
        raise SetupError(f"prctl(PR_SET_CHILD_SUBREAPER) failed: {os.strerror(ctypes.get_errno())}")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


class Process:
    """A command started in its own process group, with its stderr in a file."""

    def __init__(self, name, command, log_dir):
        self.name = name
        self.log_path = os.path.join(log_dir, f"{name}.stderr")
        self.log = open(self.log_path, "wb")
        started = time.monotonic()
        self.popen = subprocess.Popen(
            ["sh", "-c", command], cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self.log,
            start_new_session=True,
        )
        self.pgid = self.popen.pid
        self.started = started

    def wait_for_line(self, expected):
        """Seconds until the process printed `expected` on stdout; SetupError otherwise."""
        deadline = self.started + START_TIMEOUT
        buffered = b""
        fd = self.popen.stdout.fileno()
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                break
            chunk = os.read(fd, 4096)
            if not chunk:
                raise SetupError(f"{self.name} exited ({self.popen.wait()}) before printing {expected!r}; "
                                 f"stdout so far {buffered!r}; stderr in {self.log_path}:\n{self.stderr_tail()}")
            buffered += chunk
            for line in buffered.split(b"\n")[:-1]:
                if line.decode("utf-8", "replace").strip() == expected:
                    return time.monotonic() - self.started
        raise SetupError(f"{self.name} did not print {expected!r} within {START_TIMEOUT:.0f} s "
                         f"(stdout so far {buffered!r}); stderr in {self.log_path}")

    def stderr_tail(self, lines=8):
        self.log.flush()
        with open(self.log_path, "rb") as f:
            return "\n".join(f.read().decode("utf-8", "replace").splitlines()[-lines:])

    def group_alive(self):
        # Reap the group's exited members first: they are this process's children (see
        # become_subreaper), and a zombie still counts as a member.
        try:
            while os.waitpid(-self.pgid, os.WNOHANG)[0] != 0:
                pass
        except ChildProcessError:
            pass
        try:
            os.killpg(self.pgid, 0)
        except ProcessLookupError:
            return False
        return True

    def stop(self):
        """Seconds SIGTERM took to end the whole process group, or None when it had to be killed."""
        started = time.monotonic()
        try:
            os.killpg(self.pgid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.popen.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            pass
        while self.group_alive() and time.monotonic() - started < STOP_TIMEOUT:
            time.sleep(0.005)
        took = time.monotonic() - started
        clean = not self.group_alive() and self.popen.poll() is not None
        if not clean:
            try:
                os.killpg(self.pgid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.popen.wait()
        self.popen.stdout.close()
        self.log.close()
        return took if clean else None


def curl(url, method="GET", headers=(), body=None, cacert=None, show=False):
    """(status, body) of one request sent with curl; `show` returns the command too."""
    command = ["curl", "-sS", "--max-time", str(REQUEST_TIMEOUT), "-X", method, "-o", "-", "-w", "\n%{http_code}"]
    if cacert:
        command += ["--cacert", cacert]
    for header in headers:
        command += ["-H", header]
    if body is not None:
        command += ["--data-binary", body]
    command.append(url)
    done = subprocess.run(command, capture_output=True, timeout=REQUEST_TIMEOUT + 5)
    if done.returncode != 0:
        raise SetupError(f"curl {url} failed ({done.returncode}): {done.stderr.decode('utf-8', 'replace').strip()}")
    text, _, status = done.stdout.decode("utf-8", "replace").rpartition("\n")
    return int(status), text, command


class Credentials:
    def __init__(self, path):
        with open(os.path.join(ROOT, path)) as f:
            doc = json.load(f)
        self.consumer_key = doc["consumers"][0]["key"]
        self.consumer_secret = doc["consumers"][0]["secret"]
        token = next(t for t in doc["tokens"] if t["consumer_key"] == self.consumer_key)
        self.token, self.token_secret = token["token"], token["secret"]
        self.verifier = doc["verifier"]


def sign(credentials, url, method="GET", body=None, content_type=None, token=None, token_secret=None,
         two_legged=False, **extra):
    """The Authorization header oauthlib's Client makes for the request (the independent signer)."""
    if token is None and not two_legged:
        token, token_secret = credentials.token, credentials.token_secret
    client = oauth1.Client(
        credentials.consumer_key, client_secret=credentials.consumer_secret, resource_owner_key=token,
        resource_owner_secret=token_secret, signature_method=oauth1.SIGNATURE_HMAC_SHA1,
        # 24 alphanumerics: a nonce every server's policy takes (oauthlib's asks for 20 to 30).
        nonce=secrets.token_hex(12), **extra,
    )
    headers = {"Content-Type": content_type} if content_type else {}
    _, signed, _ = client.sign(url, http_method=method, body=body, headers=headers)
    return f"Authorization: {signed['Authorization']}"


def accepted(status):
    return 200 <= status < 300


def outcome(status, accepting_is_a_finding=False):
    """How a reported (not asserted) answer reads."""
    if accepted(status):
        return "ACCEPTED: FINDING" if accepting_is_a_finding else "accepted"
    return "refused" if 400 <= status < 500 else "neither accepted nor refused"


class Report:
    def __init__(self):
        self.failures = []
        self.rows = []

    def check(self, server, what, ok, detail):
        mark = "ok  " if ok else "FAIL"
        print(f"  [{mark}] {what}: {detail}")
        if not ok:
            self.failures.append(f"{server}: {what}: {detail}")

    def info(self, what, detail):
        print(f"  [info] {what}: {detail}")


def flow(report, server, base, credentials, cacert):
    """The RFC 5849 section 2 flow against /initiate and /token."""

    def initiate():
        header = sign(credentials, f"{base}/initiate", "POST", two_legged=True,
                      callback_uri="http://client.example/ready")
        status, body, _ = curl(f"{base}/initiate", "POST", [header, f"Content-Type: {FORM}"], "", cacert)
        answer = dict(urllib.parse.parse_qsl(body))
        report.check(server, "POST /initiate issues temporary credentials", accepted(status) and "oauth_token" in answer,
                     f"{status} {body[:120]!r}")
        confirmed = answer.get("oauth_callback_confirmed")
        if confirmed != "true":
            report.info("FINDING", f"oauth_callback_confirmed={confirmed!r}, RFC 5849 section 2.1 requires 'true'")
        return answer if accepted(status) and "oauth_token" in answer else None

    def token_request(temporary, verifier):
        header = sign(credentials, f"{base}/token", "POST", token=temporary["oauth_token"],
                      token_secret=temporary.get("oauth_token_secret", ""), verifier=verifier)
        status, body, _ = curl(f"{base}/token", "POST", [header, f"Content-Type: {FORM}"], "", cacert)
        return status, body, dict(urllib.parse.parse_qsl(body))

    header = sign(credentials, f"{base}/initiate", "POST", two_legged=True)
    status, body, _ = curl(f"{base}/initiate", "POST", [header, f"Content-Type: {FORM}"], "", cacert)
    report.info("POST /initiate without oauth_callback",
                f"{status} ({outcome(status, True)}) {body[:80]!r}")
    temporary = initiate()
    if temporary is None:
        return
    status, body, _ = token_request(temporary, "wrong" + credentials.verifier[5:])
    report.info("POST /token with a wrong oauth_verifier",
                f"{status} ({outcome(status, True)}) {body[:80]!r}")
    # A server may spend the temporary credentials on the failed attempt (Authlib does): new ones.
    temporary = initiate()
    if temporary is None:
        return
    status, body, answer = token_request(temporary, credentials.verifier)
    report.check(server, "POST /token with the verifier issues token credentials",
                 accepted(status) and "oauth_token" in answer, f"{status} {body[:120]!r}")
    if "oauth_token" in answer:
        url = f"{base}/flow/resource?issued=1"
        header = sign(credentials, url, token=answer["oauth_token"], token_secret=answer.get("oauth_token_secret", ""))
        status, body, _ = curl(url, headers=[header], cacert=cacert)
        report.check(server, "GET with the issued token credentials", accepted(status), f"{status} {body[:80]!r}")


def probe_server(report, server, base, credentials, cacert, two_legged):
    """Steps 2-5 against `base` (http://127.0.0.1:PORT or the proxy's https URL)."""
    name = server["name"]
    url = f"{base}/smoke/photos?file=vacation.jpg&size=original"
    header = sign(credentials, url, two_legged=two_legged)
    status, body, _ = curl(url, headers=[header], cacert=cacert)
    report.check(name, "signed GET accepted", accepted(status), f"{status} {body[:80]!r}")
    status, body, _ = curl(url, headers=[header], cacert=cacert)
    report.info("the same signed GET again (replay)", f"{status} ({outcome(status, True)})")

    header = sign(credentials, url, two_legged=two_legged)
    tampered = url.replace("size=original", "size=large")
    status, body, command = curl(tampered, headers=[header], cacert=cacert)
    ok = 400 <= status < 500
    detail = f"{status} {body[:80]!r}"
    if accepted(status):
        detail += "\n         FINDING: accepted a request whose query was changed after signing:\n         " + shlex.join(command)
    report.check(name, "GET with a query value changed after signing refused", ok, detail)

    form_url = f"{base}/smoke/form?x=1"
    header = sign(credentials, form_url, "POST", "a=1&b=two+words", FORM, two_legged=two_legged)
    status, body, _ = curl(form_url, "POST", [header, f"Content-Type: {FORM}"], "a=1&b=two+words", cacert)
    report.info("signed POST with a form body", f"{status} {body[:100]!r}")
    header = sign(credentials, form_url, "POST", '{"a": 1}', "application/json", two_legged=two_legged)
    status, body, _ = curl(form_url, "POST", [header, "Content-Type: application/json"], '{"a": 1}', cacert)
    report.info("signed POST with a JSON body (oauthlib adds oauth_body_hash)", f"{status} {body[:100]!r}")
    if server["flow"]:
        flow(report, name, base, credentials, cacert)


def start(name, command, expected, log_dir):
    process = Process(name, command, log_dir)
    try:
        took = process.wait_for_line(expected)
    except BaseException:
        # Not started, or this test is being stopped (SIGTERM is SystemExit here): stop it too.
        process.stop()
        raise
    return process, took


def stop(report, name, process, ports):
    took = process.stop()
    report.check(name, "stops on SIGTERM", took is not None,
                 f"{took * 1000:.0f} ms" if took is not None else f"still running after {STOP_TIMEOUT:.0f} s (killed)")
    left = [port for port in ports if listening(port)]
    report.check(name, "nothing left listening", not left, f"port(s) {left} still accept connections" if left else
                 "ports " + ", ".join(map(str, ports)) + " closed")
    return took


def proxy_command(proxy, port, backend_port, cert_dir):
    return (proxy["command"].replace("{port}", str(port)).replace("{backend}", f"127.0.0.1:{backend_port}")
            .replace("{cert_dir}", cert_dir))


def smoke_server(report, server, proxy, log_dir):
    name = server["name"]
    print(f"\n== {name} (adapters/{server['folder']})")
    credentials = Credentials(server["credentials"])
    port = free_port()
    command = server["command"].replace("{port}", str(port)).replace(
        "{credentials}", os.path.join(ROOT, server["credentials"]))
    process, took = start(name, command, f"listening on http://127.0.0.1:{port}", log_dir)
    timing = {"start_ms": round(took * 1000)}
    report.check(name, "starts", True, f"listening after {took * 1000:.0f} ms")
    ports = [port]
    proxy_process = None
    try:
        if proxy is not None:
            proxy_port = free_port()
            cert_dir = tempfile.mkdtemp(prefix="smoke-tls-", dir=log_dir)
            proxy_process, proxy_took = start(f"{name}.tls-proxy", proxy_command(proxy, proxy_port, port, cert_dir),
                                              f"listening on https://127.0.0.1:{proxy_port}", log_dir)
            timing["proxy_start_ms"] = round(proxy_took * 1000)
            ports.append(proxy_port)
            https_base, cacert = f"https://127.0.0.1:{proxy_port}", os.path.join(cert_dir, "cert.pem")
        if server["https_only"]:
            if proxy is None:
                raise SetupError(f"{name} is https_only and the TLS proxy is not set up")
            print(f"  (https only: every request goes through the TLS proxy, {https_base})")
            probe_server(report, server, https_base, credentials, cacert, server["two_legged"])
        else:
            probe_server(report, server, f"http://127.0.0.1:{port}", credentials, None, server["two_legged"])
            if proxy is not None:
                url = f"{https_base}/smoke/behind-proxy?file=vacation.jpg"
                status, body, _ = curl(url, headers=[sign(credentials, url, two_legged=server["two_legged"])],
                                       cacert=cacert)
                report.info("behind the TLS proxy, a GET signed for its https:// URL",
                            f"{status} ({outcome(status)}) {body[:100]!r}")
    finally:
        if proxy_process is not None:
            stop(report, f"{name}.tls-proxy", proxy_process, ports[1:])
        timing["stop_ms"] = stop(report, name, process, ports[:1])
        if timing["stop_ms"] is not None:
            timing["stop_ms"] = round(timing["stop_ms"] * 1000)
    return timing


class EchoHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"target": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def smoke_proxy(report, proxy, log_dir):
    """The proxy forwards the target as received and the X-Forwarded-* headers it documents."""
    print(f"\n== {proxy['name']} (adapters/{proxy['folder']}) in front of an echo backend")
    echo = HTTPServer(("127.0.0.1", 0), EchoHandler)
    thread = threading.Thread(target=echo.serve_forever, daemon=True)
    thread.start()
    port = free_port()
    cert_dir = tempfile.mkdtemp(prefix="smoke-tls-", dir=log_dir)
    try:
        process, took = start(proxy["name"], proxy_command(proxy, port, echo.server_address[1], cert_dir),
                              f"listening on https://127.0.0.1:{port}", log_dir)
        report.check(proxy["name"], "starts", True, f"listening after {took * 1000:.0f} ms")
        try:
            target = "/a%2Fb/c?x=1&y=%20+&z"
            status, body, _ = curl(f"https://127.0.0.1:{port}{target}", cacert=os.path.join(cert_dir, "cert.pem"))
            seen = json.loads(body) if accepted(status) else {"target": None, "headers": {}}
            h = seen["headers"]
            expected = {"host": f"127.0.0.1:{port}", "x-forwarded-host": f"127.0.0.1:{port}",
                        "x-forwarded-proto": "https", "x-forwarded-for": "127.0.0.1"}
            report.check(proxy["name"], "forwards the request target unchanged", seen["target"] == target,
                         f"{seen['target']!r}")
            for key, value in expected.items():
                report.check(proxy["name"], f"sends {key}: {value}", h.get(key) == value, repr(h.get(key)))
        finally:
            stopped = stop(report, proxy["name"], process, [port])
        return {"start_ms": round(took * 1000), "stop_ms": round(stopped * 1000) if stopped is not None else None}
    finally:
        echo.shutdown()
        echo.server_close()


def manifest():
    done = subprocess.run(["cargo", "xtask", "servers", "--json"], cwd=ROOT, capture_output=True, timeout=600)
    if done.returncode != 0:
        raise SetupError(f"cargo xtask servers --json failed: {done.stderr.decode('utf-8', 'replace')[-2000:]}")
    return json.loads(done.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="comma-separated server names (and/or the proxy's name)")
    parser.add_argument("--skip-unavailable", action="store_true", help="skip servers that are not set up")
    args = parser.parse_args()
    for tool in ("curl", "sh"):
        if shutil.which(tool) is None:
            print(f"error: {tool} is not installed", file=sys.stderr)
            return 2
    # Servers run in their own process groups: on SIGTERM, unwind so that each is stopped.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(2))
    try:
        become_subreaper()
        declared = manifest()
    except SetupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    only = set(args.only.split(",")) if args.only else None
    proxy = declared["tls_proxy"] if declared["tls_proxy"] and declared["tls_proxy"]["ready"] else None
    report = Report()
    timings = {}
    unavailable = []
    log_dir = tempfile.mkdtemp(prefix="servers-smoke-")
    started = time.monotonic()
    try:
        if declared["tls_proxy"] and (only is None or declared["tls_proxy"]["name"] in only):
            if proxy is None:
                unavailable.append(f"{declared['tls_proxy']['name']}: run `{declared['tls_proxy']['install']}`")
            else:
                timings[proxy["name"]] = smoke_proxy(report, proxy, log_dir)
        for server in declared["servers"]:
            if only is not None and server["name"] not in only:
                continue
            if not server["ready"]:
                unavailable.append(f"{server['name']}: run `{server['install']}`")
                continue
            try:
                timings[server["name"]] = smoke_server(report, server, proxy, log_dir)
            except SetupError as error:
                report.check(server["name"], "can be used", False, str(error))
    except SetupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"\nstart and stop times (ms), whole run {time.monotonic() - started:.1f} s:")
    for name, timing in timings.items():
        print(f"  {name:36} " + "  ".join(f"{k}={v}" for k, v in timing.items()))
    for entry in unavailable:
        print(f"not set up: {entry}")
    if report.failures:
        print(f"\n{len(report.failures)} failure(s) (server logs in {log_dir}):")
        for failure in report.failures:
            print(f"  {failure}")
        return 1
    if unavailable and not args.skip_unavailable:
        return 2
    shutil.rmtree(log_dir, ignore_errors=True)
    print("\nall smoke checks hold")
    return 0


if __name__ == "__main__":
    sys.exit(main())
