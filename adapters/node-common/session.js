'use strict';
// Test support for the Node adapters' `node --test` suites: the corpus as protocol requests,
// one pipelined adapter session, and the shape rules of adapters/schema/response.json.

const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const { before, test } = require('node:test');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const VECTORS = path.join(ROOT, 'vectors');

const STAGES = ['body_hash', 'normalized_parameters', 'base_string_uri', 'signature_base_string', 'signature', 'authorization_header'];

/** Every case of vectors/*.json, in file order. */
function loadCases() {
  return fs
    .readdirSync(VECTORS)
    .filter((name) => name.endsWith('.json') && name !== 'schema.json')
    .sort()
    .flatMap((name) => JSON.parse(fs.readFileSync(path.join(VECTORS, name), 'utf8')).cases);
}

/** The protocol request for a case: its inputs only, never its expected values. */
function requestFor(testCase, id) {
  switch (testCase.kind) {
    case 'sign':
      return { cmd: 'sign', id, request: testCase.request, oauth: testCase.oauth, secrets: testCase.secrets };
    case 'parse_header':
      return { cmd: 'parse_header', id, header: testCase.header };
    default:
      return { cmd: 'verify', id, request: testCase.request, secrets: testCase.secrets, now: testCase.now };
  }
}

/** Writes every message at once (the harness pipelines) and returns the exit status and answers. */
function runAdapter(adapterPath, messages) {
  const input = messages.map((message) => `${JSON.stringify(message)}\n`).join('');
  const child = spawnSync(process.execPath, [adapterPath], { input, encoding: 'utf8', timeout: 120_000 });
  if (child.error) {
    throw child.error;
  }
  const lines = child.stdout.split('\n').filter((line) => line !== '');
  return { status: child.status, lines: lines.map((line) => JSON.parse(line)), stderr: child.stderr };
}

/** One session over the whole corpus: handshake, one answer per case (in case order), stop. */
function corpusSession(adapterPath) {
  const cases = loadCases();
  const requests = cases.map((testCase, index) => requestFor(testCase, index));
  const { status, lines, stderr } = runAdapter(adapterPath, [{ cmd: 'start', protocol: 1 }, ...requests, { cmd: 'stop' }]);
  assert.equal(status, 0, stderr);
  assert.equal(lines.length, requests.length + 2, stderr);
  assert.deepEqual(lines.at(-1), { ok: true });
  const answers = lines.slice(1, -1);
  return {
    handshake: lines[0],
    cases,
    requests,
    answers,
    answerFor(caseId) {
      const index = cases.findIndex((testCase) => testCase.id === caseId);
      assert.notEqual(index, -1, `no case ${caseId} in the corpus`);
      return { testCase: cases[index], answer: answers[index] };
    },
  };
}

/** The shape rules of adapters/schema/response.json for one answer to a `sign` request. */
function assertSignAnswerShape(answer) {
  const outcomes = ['result', 'rejected', 'unsupported', 'error'].filter((key) => key in answer);
  assert.equal(outcomes.length, 1, JSON.stringify(answer));
  assert.deepEqual(Object.keys(answer).sort(), ['id', outcomes[0]].sort());
  if ('result' in answer) {
    assert.deepEqual(Object.keys(answer.result), ['trace']);
    for (const [stage, value] of Object.entries(answer.result.trace)) {
      assert.ok(STAGES.includes(stage), stage);
      assert.equal(typeof value, 'string', stage);
    }
  } else if ('rejected' in answer) {
    assert.equal(answer.rejected.reason, null);
    assert.equal(typeof answer.rejected.message, 'string');
  } else if ('unsupported' in answer) {
    assert.equal(typeof answer.unsupported.message, 'string');
  } else {
    assert.equal(typeof answer.error.message, 'string');
  }
}

/**
 * The corpus invariants every Node row must keep: every answer well formed and in order, the
 * cases of other kinds answered as unsupported commands, and no `error` on a sign case (an
 * input the library's API cannot express is `unsupported`, never `error`).
 */
function assertCorpusInvariants(session) {
  session.cases.forEach((testCase, index) => {
    const answer = session.answers[index];
    assert.equal(answer.id, session.requests[index].id);
    assertSignAnswerShape(answer);
    if (testCase.kind !== 'sign') {
      assert.match(answer.error.message, /^unsupported command/, testCase.id);
    } else {
      assert.ok(!('error' in answer), `${testCase.id}: ${JSON.stringify(answer)}`);
    }
  });
}

/**
 * Registers the tests every sign-only Node row shares: one pipelined session over the whole
 * corpus (run once, before the tests), its handshake (name, library version, and each of
 * `capabilities` as declared), and the corpus invariants. Returns an object whose `session`
 * the row's own tests read.
 */
function signOnlyRowTests(adapterPath, { name, version, capabilities }) {
  const context = {};
  before(() => {
    context.session = corpusSession(adapterPath);
  });
  test(`handshake: ${name} ${version}, sign only`, () => {
    const { handshake } = context.session;
    assert.equal(handshake.ok, true);
    assert.equal(handshake.protocol, 1);
    assert.equal(handshake.implementation.name, name);
    assert.equal(handshake.implementation.version, version);
    assert.equal(handshake.implementation.language, 'javascript');
    const declared = handshake.implementation.capabilities;
    assert.deepEqual(declared.operations, ['sign']);
    assert.equal(declared.reports_rejection_reasons, false);
    for (const stage of declared.stages) {
      assert.ok(STAGES.includes(stage), stage);
    }
    for (const [capability, value] of Object.entries(capabilities)) {
      assert.deepEqual(declared[capability], value, capability);
    }
  });
  test('every corpus answer is well formed, in order, and no adapter failure', () => {
    assertCorpusInvariants(context.session);
  });
  return context;
}

/** The stages of a `valid` sign case that the answer must reproduce exactly. */
function assertStagesMatch(session, caseId, stages) {
  const { testCase, answer } = session.answerFor(caseId);
  assert.ok(answer.result, JSON.stringify(answer));
  for (const stage of stages) {
    assert.equal(answer.result.trace[stage], testCase.expected[stage], `${caseId}: ${stage}`);
  }
}

/**
 * The reported signature is HMAC-SHA1 (RFC 5849 §3.4.2) over the reported base string, keyed
 * with `key`: the base string reported is the one the library signed.
 */
function assertHmacSha1OverBaseString(trace, key) {
  const hmac = crypto.createHmac('sha1', key).update(trace.signature_base_string).digest('base64');
  assert.equal(trace.signature, hmac);
}

/**
 * RFC 5849 §3.4.1 reproduced exactly: every stage in `stages`, and the published signatures
 * (errata 2550): r6/TJjbCOr97/+UU0NsvSne7s5g= without oauth_version, OB33pYjWAnf+xtOHN4Gmbdil168=
 * with oauth_version=1.0.
 */
function assertRfc5849Example(session, stages) {
  const published = {
    'rfc5849-3.4.1-hmac-sha1': 'r6/TJjbCOr97/+UU0NsvSne7s5g=',
    'rfc5849-3.4.1-hmac-sha1-with-version': 'OB33pYjWAnf+xtOHN4Gmbdil168=',
  };
  for (const [caseId, signature] of Object.entries(published)) {
    assertStagesMatch(session, caseId, stages);
    assert.equal(session.answerFor(caseId).answer.result.trace.signature, signature, caseId);
  }
}

module.exports = { assertHmacSha1OverBaseString, assertRfc5849Example, assertStagesMatch, runAdapter, signOnlyRowTests };
