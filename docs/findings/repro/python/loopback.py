"""An HTTP server on 127.0.0.1 (a port the system picks), for the reproductions of client findings:
the library and its HTTP stack send the case's request here, and the program compares what arrived
with what RFC 5849 requires. Python's standard library only (http.server).

It records every request as it arrived and answers a request to …/redirect-307 with 307 to
…/redirect-307/moved (the same query), every other one with 200. Bounded: every socket read gives
up after TIMEOUT seconds, a body over MAX_BODY bytes is refused unread, and the server is stopped
before capture() returns.

run() is the command line the programs share around it: CASE in, the judge's exit code out.

The programs run as `python docs/findings/repro/python/PROGRAM.py`, so Python finds this module
next to them (the script's directory comes first on sys.path).
"""
import http.server
import sys
import threading

# Every socket read of the server gives up after this many seconds; the programs give their HTTP
# client the same bound.
TIMEOUT = 10
MAX_BODY = 1 << 20


class _Recorder(http.server.BaseHTTPRequestHandler):
    timeout = TIMEOUT

    def answer(self):
        length = self.headers.get("Content-Length") or "0"
        if not length.isdigit() or int(length) > MAX_BODY:
            self.send_error(400 if not length.isdigit() else 413)
            return
        body = self.rfile.read(int(length)).decode("utf-8", "replace")
        self.server.arrived.append({"method": self.command, "target": self.path, "body": body,
                                    "authorization": self.headers.get("Authorization", "")})
        path, _, query = self.path.partition("?")
        moved = path.endswith("/redirect-307")
        self.send_response(307 if moved else 200)
        if moved:
            port = self.server.server_address[1]
            self.send_header("Location", f"http://127.0.0.1:{port}{path}/moved?{query}")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = do_PUT = do_DELETE = answer

    def log_message(self, *args):
        pass


def capture(send):
    """Starts the server, calls send(port) (which makes the library send the case there) and stops
    the server, whatever send did; returns the requests that arrived, in order (each a dict of
    method, target, body and authorization), and the port."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.daemon_threads = True
    server.arrived = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    try:
        send(port)
    finally:
        server.shutdown()
        server.server_close()
    return server.arrived, port


def run(library, cases, send, judges):
    """The command line of a client-finding reproduction, `PROGRAM CASE`: sends the case named CASE
    (a key of `cases`) with send(case, spec, port), judges what arrived with
    judges[spec["kind"]](spec, arrived, port) and exits with the judge's code: 0 as the dossier
    documents, 3 as RFC 5849 requires, 4 a third behaviour (or nothing arrived)."""
    case = sys.argv[1] if len(sys.argv) == 2 else None
    if case not in cases:
        sys.exit(f"usage: {sys.argv[0]} CASE (one of: {', '.join(cases)})")
    spec = cases[case]
    arrived, port = capture(lambda port: send(case, spec, port))
    print(f"finding:  clients/{library}/{case} ({spec['method']} /{library}/{case}{spec.get('path', '')}"
          f"{'?' + spec['query'] if 'query' in spec else ''})")
    if not arrived:
        print(f"{library}: nothing arrived")
        sys.exit(4)
    code = judges[spec["kind"]](spec, arrived, port)
    print({0: "as documented", 3: f"fixed: {library} now behaves as RFC 5849 requires", 4: "changed: a third behaviour"}[code])
    sys.exit(code)
