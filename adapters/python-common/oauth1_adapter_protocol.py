"""The adapter protocol, version 1 (adapters/PROTOCOL.md), for every Python adapter.

An adapter module supplies its identity, capabilities and one handler per operation; this module
does the rest: the fixed hash seed, the handshake, reading pipelined JSON lines, dispatching,
wrapping what the library raises as `rejected` and what the adapter itself gets wrong as `error`,
and writing the answers in request order.

Use it from an adapter with (the folder is found relative to the adapter file, so the same
adapter runs under any interpreter):

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python-common"))
    import oauth1_adapter_protocol as protocol
    if __name__ == "__main__":
        protocol.use_fixed_hash_seed(__file__)   # before importing the library

The loop reads stdin in large chunks and answers every complete line it holds before it writes:
answers are written when no complete request is left in hand, or every FLUSH_EVERY answers, so
a burst of pipelined requests costs one read and a few writes instead of one system call per
message, while the harness, which refills its window when half of it is answered, never waits
for a whole window. JSON goes through the json module's C parser and encoder directly (see
_SCAN_ONCE), and each batch is written with one os.write.
"""

import argparse
import json
import os
import sys
import traceback
from json.encoder import c_make_encoder, encode_basestring_ascii
from json.scanner import make_scanner

PROTOCOL = 1

# Answers held before a write: a quarter of the harness's window (64 in flight, refilled when 32
# are answered), so the harness always has answers to read before its window runs dry.
FLUSH_EVERY = 16

# os.read size: more than a full window of typical requests (about 1 KiB each).
READ_CHUNK = 1 << 20

# Every trace stage of the protocol, in its order.
ALL_STAGES = ("body_hash", "normalized_parameters", "base_string_uri", "signature_base_string", "signature",
              "authorization_header")

_ENCODER = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"))

# JSON was most of what the protocol cost per case (decoding and encoding took about 9 % of the
# time oauthlib itself took, under bench_protocol.py), so the loop calls the json module's C parts
# directly: json.loads and JSONEncoder.encode add several Python-level steps per call and rebuild
# the C encoder every time. The parser is json.loads's (a JSONDecoder with the defaults); the
# encoder is the one JSONEncoder.encode builds for _ENCODER (compact, ensure_ascii), except that
# it keeps no circular-reference markers: an answer is a tree the handlers just built, and a
# cycle would still fail (RecursionError instead of ValueError).
_SCAN_ONCE = make_scanner(json.JSONDecoder())
if c_make_encoder is None:  # an interpreter built without the json C accelerator

    def _answer_chunks(response, _indent_level):
        return (_ENCODER.encode(response),)

else:
    _answer_chunks = c_make_encoder(None, _ENCODER.default, encode_basestring_ascii, None, ":", ",", False, False, True)


def use_fixed_hash_seed(script):
    """Re-executes the running adapter with PYTHONHASHSEED=0 unless it already has it.

    Python error messages that print a set (oauthlib's urldecode does) change order with the hash
    seed, and the hash seed is fixed when the interpreter starts: this is the only way to make those
    answers the same run to run. Call it before importing anything heavy; it costs one exec per
    process, never anything per case."""
    if os.environ.get("PYTHONHASHSEED") != "0":
        env = dict(os.environ, PYTHONHASHSEED="0")
        os.execve(sys.executable, [sys.executable, os.path.abspath(script), *sys.argv[1:]], env)


class Rejected(Exception):
    """The library refused the input (it raised inside a library call, or returned a refusal)."""

    def __init__(self, message, reason=None):
        super().__init__(message)
        self.message = message
        self.reason = reason


class Unsupported(Exception):
    """The input cannot be expressed through the library's API: an adapter limitation."""


def library(fn, *args, _refusal=None, **kwargs):
    """Calls into the library; whatever it raises is its refusal of the input. `_refusal`, when
    given, classifies the library's exception into a refusal code of adapters/PROTOCOL.md (the
    library's own messages are known only to its adapter)."""
    try:
        return fn(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - any exception from the library is a rejection
        raise Rejected(f"{type(exc).__name__}: {exc}", _refusal(exc) if _refusal else None) from exc


def callback_and_verifier(oauth, client):
    """For a client API that always sends oauth_version="1.0", draws the nonce and timestamp
    itself unless given, and knows oauth_callback and oauth_verifier as its only extra protocol
    parameters: checks that the case's protocol parameters fit it, and returns
    (callback, verifier). `client` names the API in the messages."""
    version = oauth.get("version")
    if version not in (None, "1.0"):
        raise Unsupported(f'{client} always sends oauth_version="1.0"; cannot send {version!r}')
    # version None: the client still sends oauth_version="1.0" (declared: can_omit_version false).
    for field in ("nonce", "timestamp"):
        if oauth.get(field) is None:
            raise Unsupported(f"{client} cannot omit oauth_{field} (it generates one when not given)")
    extra = dict(oauth.get("extra") or {})
    callback, verifier = extra.pop("oauth_callback", None), extra.pop("oauth_verifier", None)
    if extra:
        raise Unsupported(
            f"{client} can only send oauth_callback and oauth_verifier as extra protocol parameters; "
            f"cannot send {sorted(extra)}"
        )
    return callback, verifier


def content_type_header(request):
    """The request's Content-Type as a headers dict, empty when it has none."""
    content_type = request.get("content_type")
    return {} if content_type is None else {"Content-Type": content_type}


def add_body_hash(trace, oauth, produced, why_none):
    """Reports the oauth_body_hash the library produced; when the case asked for one and the
    library produced none, the answer is `rejected` with `why_none`."""
    if produced is not None:
        trace["body_hash"] = produced
    elif oauth.get("compute_body_hash"):
        raise Rejected(why_none, "body_hash_not_computed")


def variant_arguments(description, variants):
    """`--variant` (one of `variants`) and `--name` (the row name to report instead of the
    variant's own, e.g. to tell a second installed version of the same library apart)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--variant", choices=sorted(variants), required=True)
    parser.add_argument("--name", help="row name reported in the handshake (default: the variant's own)")
    return parser.parse_args()


def implementation(name, version, operations, signature_methods, stages, can_omit_version, body_hash, notes):
    """The `implementation` object of the handshake (schema/start-response.json)."""
    return {
        "name": name,
        "version": version,
        "language": "python",
        "capabilities": {
            "operations": list(operations),
            "signature_methods": list(signature_methods),
            "stages": list(stages),
            "can_omit_version": can_omit_version,
            "body_hash": body_hash,
            "reports_rejection_reasons": False,
            "notes": notes,
        },
    }


def handshake(msg, identity):
    if msg.get("protocol") != PROTOCOL:
        return {"ok": False, "error": f"this adapter speaks protocol {PROTOCOL}, not {msg.get('protocol')!r}"}
    return {"ok": True, "protocol": PROTOCOL, "implementation": identity}


def answer(handlers, msg):
    """The answer to one request, without its id: everything the adapter does per case except
    decoding the request and encoding the answer."""
    cmd = msg.get("cmd")
    handler = handlers.get(cmd)
    if handler is None:
        return {"error": {"message": f"unsupported command {cmd!r} for this row (it serves {sorted(handlers)})"}}
    try:
        return {"result": handler(msg)}
    except Rejected as rejected:
        return {"rejected": {"reason": rejected.reason, "message": rejected.message}}
    except Unsupported as unsupported:
        return {"unsupported": {"message": str(unsupported)}}
    except Exception as exc:  # noqa: BLE001 - an adapter bug must not kill the process
        return {"error": {"message": f"adapter failed: {type(exc).__name__}: {exc}", "context": traceback.format_exc()}}


def _decode(line):
    """json.loads(line), faster on the usual line: UTF-8 whose JSON value starts at its first byte
    and ends at its last. Any other line goes to json.loads itself, so what is accepted, the
    value, and the message of a ValueError are exactly json.loads's."""
    try:
        text = line.decode("utf-8")
        value, end = _SCAN_ONCE(text, 0)
        if end == len(text):
            return value
    except (ValueError, StopIteration):  # StopIteration: no JSON value at the start
        pass
    return json.loads(line)


def _write_all(fd, data):
    """os.write until all of `data` is written: a write to a pipe may take only part of it."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _complain(log_name, what, line):
    print(f"{log_name} adapter: ignoring {what}: {line[:200]!r}", file=sys.stderr, flush=True)


def serve(identity, handlers, log_name):
    """Serves the protocol on stdin/stdout until `stop` or end of file; returns the exit status.

    `identity` is the handshake's `implementation` object; `handlers` maps each operation the row
    declares to a function of the request returning the `result` object."""
    out = sys.stdout.fileno()
    sys.stdout.flush()
    # Only protocol lines go to the real stdout: a stray print in a library goes to stderr.
    sys.stdout = sys.stderr
    stdin = sys.stdin.fileno()
    pending = []  # the str pieces of the encoded answers not yet written (ASCII: ensure_ascii)
    held = 0  # answers in `pending`
    partial = []  # the pieces of a line whose end has not arrived yet

    def write_pending():
        nonlocal held
        if pending:
            _write_all(out, "".join(pending).encode("ascii"))
            pending.clear()
            held = 0

    while True:
        chunk = os.read(stdin, READ_CHUNK)
        if not chunk:
            lines = [b"".join(partial)] if partial else []  # a last line without its newline
        elif b"\n" not in chunk:
            partial.append(chunk)
            continue
        else:
            if partial:
                partial.append(chunk)
                chunk = b"".join(partial)
                partial.clear()
            lines = chunk.split(b"\n")
            rest = lines.pop()
            if rest:
                partial.append(rest)
        for line in lines:
            if not line.strip():
                continue
            try:
                msg = _decode(line)
            except ValueError as exc:  # UnicodeDecodeError is a ValueError
                _complain(log_name, f"a line that is not JSON ({exc})", line)
                continue
            if not isinstance(msg, dict):
                _complain(log_name, "a line that is not an object", line)
                continue
            cmd = msg.get("cmd")
            if cmd == "stop":
                pending.append('{"ok":true}\n')
                write_pending()
                return 0
            if cmd == "start":
                response = handshake(msg, identity)
            else:
                request_id = msg.get("id")
                if not isinstance(request_id, int) or isinstance(request_id, bool):
                    _complain(log_name, "a request without an integer id", line)
                    continue
                response = {"id": request_id, **answer(handlers, msg)}
            pending.extend(_answer_chunks(response, 0))
            pending.append("\n")
            held += 1
            if held >= FLUSH_EVERY:
                write_pending()
        write_pending()
        if not chunk:
            return 0
