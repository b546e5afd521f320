'use strict';
// Drives adapter.js through the adapter protocol with every case of vectors/*.json.
// Run: cd adapters/node-oauth-sign && npm ci && node --test

const assert = require('node:assert/strict');
const path = require('node:path');
const { test } = require('node:test');

const { assertRfc5849Example, assertStagesMatch, signOnlyRowTests } = require('../node-common/session');

const COMPARED = ['signature_base_string', 'signature'];
const row = signOnlyRowTests(path.join(__dirname, 'adapter.js'), {
  name: 'oauth-sign',
  version: '0.9.0',
  capabilities: { can_omit_version: true, stages: COMPARED },
});

test('RFC 5849 §3.4.1 is reproduced, with and without oauth_version (errata 2550 signatures)', () => {
  assertRfc5849Example(row.session, COMPARED);
});

test("oauth-sign's own published examples are reproduced", () => {
  for (const caseId of ['lib-oauthsign-twitter-request-token-hmac-sha1', 'lib-oauthsign-twitter-status-japanese-hmac-sha256']) {
    assertStagesMatch(row.session, caseId, COMPARED);
  }
});

test('the request-style base URI keeps the default port', () => {
  const { answer } = row.session.answerFor('edge-url-https-default-port');
  assert.match(answer.result.trace.signature_base_string, /^[A-Z]+&https%3A%2F%2F[^&]*%3A443/);
});
