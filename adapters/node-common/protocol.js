'use strict';
// The adapter protocol, version 1 (adapters/PROTOCOL.md), for every Node adapter: one
// persistent process reading JSON lines on stdin and answering each in order on stdout.
//
// An adapter supplies its handshake identity and one handler per operation. A handler
// returns the `result` object, or throws:
//   Rejected     the library refused the input (thrown inside a library call): `rejected`;
//   Unsupported  the input cannot be expressed through the library's API: `unsupported`
//                (the harness skips the case, with this reason);
//   anything else is an adapter bug: `error` with the stack as context.

const readline = require('node:readline');

const PROTOCOL = 1;

/** The library refused the input: it threw inside one of its own calls. */
class Rejected extends Error {
  constructor(message, reason = null) {
    super(message);
    this.reason = reason;
  }
}

/** The input cannot be expressed through the library's API: an adapter limitation. */
class Unsupported extends Error {}

/** Runs `call` (a call into the library); whatever it throws is the library's refusal. */
function library(call) {
  try {
    return call();
  } catch (thrown) {
    throw new Rejected(describeThrown(thrown));
  }
}

function describeThrown(thrown) {
  if (thrown instanceof Error) {
    return `${thrown.name}: ${thrown.message}`;
  }
  return `threw a non-Error value: ${String(thrown)}`;
}

/**
 * A sign result from the stages the library produced. Each must be a string; anything else
 * is an adapter fault (it read the wrong value), reported as an `error`.
 */
function signResult(stages) {
  for (const [stage, value] of Object.entries(stages)) {
    if (typeof value !== 'string') {
      throw new Error(`stage ${stage} is ${value === null ? 'null' : typeof value}, not a string: ${String(value)}`);
    }
  }
  return { trace: stages };
}

/** Which handlers answer which commands; `verify` and `parse_header` only when declared. */
function answer(handlers, message) {
  const handler = Object.prototype.hasOwnProperty.call(handlers, message.cmd) ? handlers[message.cmd] : undefined;
  if (handler === undefined) {
    return { error: { message: `unsupported command ${JSON.stringify(message.cmd)}` } };
  }
  try {
    return { result: handler(message) };
  } catch (thrown) {
    if (thrown instanceof Rejected) {
      return { rejected: { reason: thrown.reason, message: thrown.message } };
    }
    if (thrown instanceof Unsupported) {
      return { unsupported: { message: thrown.message } };
    }
    return {
      error: {
        message: `adapter failed: ${describeThrown(thrown)}`,
        context: thrown instanceof Error && thrown.stack ? thrown.stack : String(thrown),
      },
    };
  }
}

function handshake(implementation, message) {
  if (message.protocol !== PROTOCOL) {
    return { ok: false, error: `this adapter speaks protocol ${PROTOCOL}, not ${JSON.stringify(message.protocol)}` };
  }
  return { ok: true, protocol: PROTOCOL, implementation };
}

/**
 * Serves the protocol on stdin/stdout until `stop` or end of input.
 *
 * `implementation` is the handshake's implementation object (name, version, language,
 * capabilities); `handlers` maps each declared operation to its handler. The keys of
 * `handlers` must be exactly `capabilities.operations`, so a declared operation can never
 * fall through to "unsupported command".
 */
function serve(implementation, handlers) {
  const declared = [...implementation.capabilities.operations].sort().join(',');
  const handled = Object.keys(handlers).sort().join(',');
  if (declared !== handled) {
    throw new Error(`operations declared (${declared}) differ from those handled (${handled})`);
  }

  // The protocol stream is stdout; whatever else writes to it (a stray console.log in a
  // library) goes to stderr, so it can never corrupt the stream. Writes to a pipe are
  // synchronous on Linux, so each line is flushed when write returns.
  const writeProtocol = process.stdout.write.bind(process.stdout);
  process.stdout.write = process.stderr.write.bind(process.stderr);
  const send = (message) => writeProtocol(`${JSON.stringify(message)}\n`);
  const log = (text) => process.stderr.write(`${implementation.name} adapter: ${text}\n`);

  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  let stopped = false;
  lines.on('line', (line) => {
    if (stopped || line.trim() === '') {
      return;
    }
    let message;
    try {
      message = JSON.parse(line);
    } catch (thrown) {
      log(`ignoring a line that is not JSON (${thrown.message}): ${line.slice(0, 200)}`);
      return;
    }
    if (message === null || typeof message !== 'object' || Array.isArray(message)) {
      log(`ignoring a line that is not an object: ${line.slice(0, 200)}`);
      return;
    }
    if (message.cmd === 'stop') {
      stopped = true;
      send({ ok: true });
      lines.close();
      return;
    }
    if (message.cmd === 'start') {
      send(handshake(implementation, message));
      return;
    }
    if (!Number.isSafeInteger(message.id)) {
      log(`ignoring a request without an integer id: ${line.slice(0, 200)}`);
      return;
    }
    send({ id: message.id, ...answer(handlers, message) });
  });
  lines.on('close', () => {
    process.exitCode = 0;
  });
}

module.exports = { Rejected, Unsupported, library, serve, signResult };
