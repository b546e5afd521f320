#!/usr/bin/env node
'use strict';
// oauth-1.0a (npm) behind the oauth1-conformance adapter protocol, version 1
// (adapters/PROTOCOL.md). One row, "oauth-1.0a": OAuth({...}).authorize(request, token) and
// toHeader(...), the way its README tells applications to sign. See README.md.

const crypto = require('node:crypto');
const OAuth = require('oauth-1.0a');
const { version: libraryVersion } = require('oauth-1.0a/package.json');

const { recordReturns } = require('../node-common/capture');
const { formBody } = require('../node-common/form');
const { requiredField } = require('../node-common/oauth-parameters');
const { Unsupported, library, serve, signResult } = require('../node-common/protocol');

// The README's hash_function is crypto.createHmac(<algorithm>, key).update(base_string)
// .digest('base64'), with 'sha1' and 'sha256' as its examples; the library only passes the
// method name through. RSA-*: hash_function is the caller's signer, given the base string.
const HMAC_ALGORITHMS = { 'HMAC-SHA1': 'sha1', 'HMAC-SHA256': 'sha256', 'HMAC-SHA512': 'sha512' };
const RSA_ALGORITHMS = { 'RSA-SHA1': 'RSA-SHA1', 'RSA-SHA256': 'RSA-SHA256', 'RSA-SHA512': 'RSA-SHA512' };
// body_hash_function: "for HMAC-SHA1 ... should return a SHA1 hash" (README); the method's own
// hash for the SHA-256/512 methods, SHA-1 for PLAINTEXT (draft-eaton-oauth-bodyhash §3.1).
const BODY_HASH_ALGORITHMS = {
  'HMAC-SHA1': 'sha1',
  'RSA-SHA1': 'sha1',
  PLAINTEXT: 'sha1',
  'HMAC-SHA256': 'sha256',
  'RSA-SHA256': 'sha256',
  'HMAC-SHA512': 'sha512',
  'RSA-SHA512': 'sha512',
};
const SIGNATURE_METHODS = Object.keys(BODY_HASH_ALGORITHMS);

const STAGES_BY_METHOD = {
  getParameterString: 'normalized_parameters',
  getBaseUrl: 'base_string_uri',
  getBaseString: 'signature_base_string',
};

function hashFunction(method, secrets) {
  if (method in HMAC_ALGORITHMS) {
    const algorithm = HMAC_ALGORITHMS[method];
    return (baseString, key) => crypto.createHmac(algorithm, key).update(baseString).digest('base64');
  }
  if (method in RSA_ALGORITHMS) {
    const pem = secrets.rsa_private_key_pem;
    if (typeof pem !== 'string') {
      throw new Unsupported(`${method} needs rsa_private_key_pem`);
    }
    return (baseString) => crypto.createSign(RSA_ALGORITHMS[method]).update(baseString).sign(pem, 'base64');
  }
  return undefined; // PLAINTEXT: the library's own default, which returns the signing key
}

function bodyHashFunction(method) {
  const algorithm = BODY_HASH_ALGORITHMS[method];
  return (body) => crypto.createHash(algorithm).update(body).digest('base64');
}

function sign(message) {
  const { request, oauth, secrets } = message;
  const method = oauth.signature_method;
  if (!SIGNATURE_METHODS.includes(method)) {
    throw new Unsupported(`no hash_function for ${method}`);
  }
  const nonce = requiredField(oauth, 'nonce', 'oauth-1.0a');
  const timestamp = requiredField(oauth, 'timestamp', 'oauth-1.0a');
  const extra = { ...(oauth.extra || {}) };
  const options = {
    consumer: { key: oauth.consumer_key, secret: secrets.consumer_secret ?? '' },
    signature_method: method,
    hash_function: hashFunction(method, secrets),
    body_hash_function: bodyHashFunction(method),
  };
  if (oauth.realm !== null && oauth.realm !== undefined) {
    options.realm = oauth.realm; // toHeader writes it only when truthy
  }
  // `version: ''` falls back to '1.0' (opts.version || '1.0'); the README's other route for an
  // oauth_* value, request.data, overrides it.
  if (oauth.version === '') {
    extra.oauth_version = '';
  } else if (oauth.version !== null && oauth.version !== undefined) {
    options.version = oauth.version;
  }
  const client = library(() => OAuth(options));
  // The library's own test suite fixes these by overriding the two methods.
  client.getNonce = () => nonce;
  client.getTimeStamp = () => timestamp;

  // request.data: the README's "data: Object any custom data you want to send with,
  // including extra oauth option oauth_*"; the caller decodes the form body into it with the
  // library's own deParam ("Parse querystring / form data"). With includeBodyHash the library
  // hashes request.data when it is a string and signs no data parameters.
  const requestData = { url: request.url, method: request.method };
  if (oauth.compute_body_hash) {
    if (Object.keys(extra).length > 0) {
      throw new Unsupported('with includeBodyHash oauth-1.0a signs no request.data, so extra oauth_* parameters cannot be sent');
    }
    requestData.includeBodyHash = true;
    requestData.data = request.body ?? undefined;
  } else {
    const body = formBody(request);
    requestData.data = body === null || body === '' ? {} : library(() => client.deParam(body));
    Object.assign(requestData.data, extra);
  }
  const token = { secret: secrets.token_secret ?? undefined };
  if (oauth.token !== null && oauth.token !== undefined) {
    token.key = oauth.token;
  }

  const recorded = recordReturns(client, STAGES_BY_METHOD);
  const authorized = library(() => client.authorize(requestData, token));
  const header = library(() => client.toHeader(authorized));
  const stages = {
    ...recorded,
    signature: authorized.oauth_signature,
    authorization_header: header.Authorization,
  };
  if (oauth.compute_body_hash) {
    stages.body_hash = authorized.oauth_body_hash;
  }
  return signResult(stages);
}

const NOTES = [
  'sign: OAuth({consumer: {key, secret}, signature_method, hash_function, body_hash_function, realm, version})',
  '.authorize({url, method, data, includeBodyHash}, {key: token, secret: token_secret}) then toHeader(); getNonce',
  'and getTimeStamp are overridden on the instance (as the library\'s tests do). hash_function is the README\'s',
  'crypto.createHmac(sha1|sha256|sha512, key).update(base).digest(base64) for HMAC-*, crypto.createSign(RSA-SHA*)',
  'with the case\'s private key for RSA-*, the library\'s default (returns the key) for PLAINTEXT; body_hash_function',
  'is crypto.createHash (SHA-1 for *-SHA1 and PLAINTEXT, else the method\'s hash) over request.data, which is the raw',
  'body string when compute_body_hash (an absent body leaves data {}, which the library hashes as "{}").',
  'Caller side: request.data is the form body decoded with the library\'s own deParam (only when the media type is',
  'application/x-www-form-urlencoded, any case or parameters; an empty body is {}), plus the extra oauth_* parameters',
  '(the README\'s route for oauth_callback etc.; they cannot be combined with compute_body_hash). Stages:',
  'normalized_parameters, base_string_uri and signature_base_string are the return values of the instance\'s',
  'getParameterString, getBaseUrl and getBaseString while authorize runs; signature and body_hash are',
  'authorize()\'s oauth_signature and oauth_body_hash; authorization_header is toHeader().Authorization.',
  'Always sends oauth_version (default 1.0); oauth_nonce and oauth_timestamp cannot be omitted. Client only:',
  'no header parser, no verifier. Exceptions thrown by the library are rejected, reason null.',
].join(' ');

serve(
  {
    name: 'oauth-1.0a',
    version: libraryVersion,
    language: 'javascript',
    capabilities: {
      operations: ['sign'],
      signature_methods: SIGNATURE_METHODS,
      stages: ['body_hash', 'normalized_parameters', 'base_string_uri', 'signature_base_string', 'signature', 'authorization_header'],
      can_omit_version: false,
      body_hash: true,
      reports_rejection_reasons: false,
      // With includeBodyHash the library signs no request.data, where extra oauth_* go.
      limits: { extras_only_without_body_hash: true },
      notes: NOTES,
    },
  },
  { sign },
);
