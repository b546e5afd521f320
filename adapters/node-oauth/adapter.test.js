'use strict';
// Drives adapter.js through the adapter protocol with every case of vectors/*.json.
// Run: cd adapters/node-oauth && npm ci && node --test

const assert = require('node:assert/strict');
const path = require('node:path');
const { test } = require('node:test');

const { assertHmacSha1OverBaseString, assertStagesMatch, signOnlyRowTests } = require('../node-common/session');

const COMPARED = ['normalized_parameters', 'base_string_uri', 'signature_base_string', 'signature'];
const row = signOnlyRowTests(path.join(__dirname, 'adapter.js'), {
  name: 'node-oauth',
  version: '0.10.2',
  capabilities: { can_omit_version: false, signature_methods: ['HMAC-SHA1', 'HMAC-SHA256', 'RSA-SHA1', 'PLAINTEXT'] },
});

test("Twitter's published walkthrough (statuses/update 1.1) is reproduced", () => {
  assertStagesMatch(row.session, 'twitter-statuses-update-1.1', COMPARED);
});

test('the oauth.net RSA-SHA1 photos example is reproduced', () => {
  assertStagesMatch(row.session, 'oauthnet-rsa-sha1-photos', COMPARED);
});

test('RFC 5849 §3.4.1 with oauth_version: the query value of a3 replaces the body value, and no realm is sent', () => {
  const { testCase, answer } = row.session.answerFor('rfc5849-3.4.1-hmac-sha1-with-version');
  const { trace } = answer.result;
  assert.equal(trace.base_string_uri, testCase.expected.base_string_uri);
  const published = testCase.expected.normalized_parameters;
  assert.ok(published.includes('a3=2%20q&a3=a&'));
  assert.equal(trace.normalized_parameters, published.replace('a3=2%20q&', ''));
  assert.notEqual(trace.signature, 'OB33pYjWAnf+xtOHN4Gmbdil168=');
  assertHmacSha1OverBaseString(trace, 'j49sk3j29djd&dh893hdasih9');
  assert.ok(!trace.authorization_header.includes('realm='), trace.authorization_header);
});

test('a version-less case is refused as inexpressible (the constructor always sends one)', () => {
  const { answer } = row.session.answerFor('rfc5849-3.4.1-hmac-sha1');
  assert.equal(answer.unsupported.message, 'node-oauth always sends oauth_version; it cannot be omitted');
});
