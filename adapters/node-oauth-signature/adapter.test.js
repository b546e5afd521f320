'use strict';
// Drives adapter.js through the adapter protocol with every case of vectors/*.json.
// Run: cd adapters/node-oauth-signature && npm ci && node --test

const assert = require('node:assert/strict');
const path = require('node:path');
const { test } = require('node:test');

const { assertRfc5849Example, assertStagesMatch, signOnlyRowTests } = require('../node-common/session');

const COMPARED = ['normalized_parameters', 'base_string_uri', 'signature_base_string', 'signature'];
const row = signOnlyRowTests(path.join(__dirname, 'adapter.js'), {
  name: 'oauth-signature',
  version: '1.5.0',
  capabilities: { can_omit_version: true, signature_methods: ['HMAC-SHA1'], stages: COMPARED },
});

test('RFC 5849 §3.4.1 is reproduced, with and without oauth_version (errata 2550 signatures)', () => {
  assertRfc5849Example(row.session, COMPARED);
});

test('the OAuth Core 1.0a Appendix A example of its README is reproduced', () => {
  assertStagesMatch(row.session, 'oauthnet-hmac-sha1-photos', COMPARED);
});

test('the IPv6 host loses its brackets in the base string URI (uri-js host)', () => {
  const { testCase, answer } = row.session.answerFor('edge-url-ipv6');
  assert.equal(testCase.expected.base_string_uri, 'http://[2001:db8::1]:8080/x');
  assert.equal(answer.result.trace.base_string_uri, 'http://2001:db8::1:8080/x');
});
