'use strict';
// The protocol loop shared by the Node adapters (protocol.js), driven through a fixture adapter.
// Run: cd adapters/node-common && node --test

const assert = require('node:assert/strict');
const path = require('node:path');
const { test } = require('node:test');

const { runAdapter } = require('./session');

const FIXTURE = path.join(__dirname, 'fixtures', 'fixture-adapter.js');
const START = { cmd: 'start', protocol: 1 };

function answers(...requests) {
  const { status, lines, stderr } = runAdapter(FIXTURE, [START, ...requests, { cmd: 'stop' }]);
  assert.equal(status, 0, stderr);
  assert.equal(lines[0].ok, true);
  assert.deepEqual(lines.at(-1), { ok: true });
  return lines.slice(1, -1);
}

test('end of input without stop exits cleanly after answering', () => {
  const { status, lines } = runAdapter(FIXTURE, [START, { cmd: 'sign', id: 1 }]);
  assert.equal(status, 0);
  assert.deepEqual(lines[1], { id: 1, result: { trace: { signature: 'sig' } } });
});

test('another protocol version is refused in the handshake', () => {
  const { lines } = runAdapter(FIXTURE, [{ cmd: 'start', protocol: 2 }]);
  assert.equal(lines[0].ok, false);
  assert.match(lines[0].error, /protocol 1, not 2/);
});

test('each outcome of a handler, answered in request order', () => {
  const lines = answers(
    { cmd: 'sign', id: 10, behaviour: 'library-throws' },
    { cmd: 'sign', id: 11, behaviour: 'unsupported' },
    { cmd: 'sign', id: 12, behaviour: 'adapter-bug' },
    { cmd: 'sign', id: 13, behaviour: 'non-string-stage' },
    { cmd: 'verify', id: 14 },
    { cmd: 'sign', id: 15 },
  );
  assert.deepEqual(lines.map((line) => line.id), [10, 11, 12, 13, 14, 15]);
  assert.deepEqual(lines[0], { id: 10, rejected: { reason: null, message: 'RangeError: the library refused' } });
  assert.deepEqual(lines[1], { id: 11, unsupported: { message: 'no way to say that' } });
  assert.match(lines[2].error.message, /^adapter failed: TypeError/);
  assert.match(lines[2].error.context, /fixture-adapter\.js/);
  assert.match(lines[3].error.message, /stage signature is number/);
  assert.deepEqual(lines[4], { id: 14, error: { message: 'unsupported command "verify"' } });
  assert.deepEqual(lines[5], { id: 15, result: { trace: { signature: 'sig' } } });
});

test('lines that are not requests are skipped, and stdout carries protocol lines only', () => {
  const { status, lines, stderr } = runAdapter(FIXTURE, [START, 'not json', [1, 2], { cmd: 'sign' }, { cmd: 'sign', id: 3, behaviour: 'stray-stdout' }]);
  assert.equal(status, 0);
  assert.deepEqual(lines.slice(1), [{ id: 3, result: { trace: { signature: 'printed' } } }]);
  assert.match(stderr, /not an object/);
  assert.match(stderr, /without an integer id/);
  assert.match(stderr, /a library printing to stdout/);
});
