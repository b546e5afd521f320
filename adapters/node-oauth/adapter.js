#!/usr/bin/env node
'use strict';
// oauth (node-oauth, npm) behind the oauth1-conformance adapter protocol, version 1
// (adapters/PROTOCOL.md). One row, "node-oauth": new OAuth(...) and the request path its
// get/post/put/delete methods share, with the HTTP client stubbed out. See README.md.

const { OAuth } = require('oauth');
const { version: libraryVersion } = require('oauth/package.json');

const { recordReturns } = require('../node-common/capture');
const { addParameters, decodeParameterStrings, formBody } = require('../node-common/form');
const { requiredField } = require('../node-common/oauth-parameters');
const { Unsupported, library, serve, signResult } = require('../node-common/protocol');

// The constructor's own list (it throws "Un-supported signature method" for any other).
const SIGNATURE_METHODS = ['HMAC-SHA1', 'HMAC-SHA256', 'RSA-SHA1', 'PLAINTEXT'];

const STAGES_BY_METHOD = {
  _normaliseRequestParams: 'normalized_parameters',
  _normalizeUrl: 'base_string_uri',
  _createSignatureBase: 'signature_base_string',
  _getSignature: 'signature',
};

/**
 * Stands in for node's http.request: node-oauth hands its fully built request (headers
 * included) to _createClient, and writes the body to what it returns. Nothing is sent.
 */
function stubbedClient(sent) {
  return (port, hostname, method, path, headers) => {
    sent.headers = headers;
    return { on() {}, write() {}, end() {} };
  };
}

function sign(message) {
  const { request, oauth, secrets } = message;
  const method = oauth.signature_method;
  if (!SIGNATURE_METHODS.includes(method)) {
    throw new Unsupported(`node-oauth has no ${method}`);
  }
  const nonce = requiredField(oauth, 'nonce', 'node-oauth');
  const timestamp = requiredField(oauth, 'timestamp', 'node-oauth');
  // The version is a constructor argument and is always sent (undefined is sent as "").
  const version = requiredField(oauth, 'version', 'node-oauth');
  // RSA-SHA1: the constructor's consumerSecret argument is the private key PEM.
  const consumerSecretOrKey = method === 'RSA-SHA1' ? secrets.rsa_private_key_pem : secrets.consumer_secret;
  const client = library(
    () => new OAuth(null, null, oauth.consumer_key, consumerSecretOrKey ?? '', version, undefined, method),
  );
  client._getNonce = () => nonce;
  client._getTimestamp = () => timestamp;
  const sent = {};
  client._createClient = stubbedClient(sent);

  // extra_params: where node-oauth's own getOAuthRequestToken / getOAuthAccessToken put
  // oauth_callback and oauth_verifier, and where _putOrPost puts a form body given as an
  // object (a string body is sent unsigned). The caller decodes the form body with node's
  // querystring, the module node-oauth parses the query with and serialises the body with.
  let extraParams = null;
  let postBody = request.body ?? null;
  const body = formBody(request);
  if (body !== null) {
    extraParams = decodeParameterStrings([body]);
    postBody = null;
  }
  const extra = Object.entries(oauth.extra || {});
  if (extra.length > 0) {
    extraParams = addParameters(extraParams ?? {}, extra);
  }

  const recorded = recordReturns(client, STAGES_BY_METHOD);
  library(() =>
    client._performSecureRequest(
      oauth.token ?? null,
      secrets.token_secret ?? undefined,
      request.method,
      request.url,
      extraParams,
      postBody,
      request.content_type ?? null,
    ),
  );
  if (sent.headers === undefined) {
    throw new Error('node-oauth built no request: _createClient was not called');
  }
  return signResult({ ...recorded, authorization_header: sent.headers.Authorization });
}

const NOTES = [
  'sign: new OAuth(null, null, consumer_key, consumer_secret (RSA-SHA1: the private key PEM), version, undefined,',
  'signature_method) with _getNonce/_getTimestamp overridden on the instance, then',
  '_performSecureRequest(token, token_secret, method, url, extra_params, post_body, content_type): the path',
  'get/post/put/delete take (one-line wrappers of it), for any method, with _createClient stubbed so no request is',
  'sent; authorization_header is the Authorization header it hands to _createClient. normalized_parameters,',
  'base_string_uri, signature_base_string and signature are the return values of the instance\'s',
  '_normaliseRequestParams, _normalizeUrl, _createSignatureBase and _getSignature. Caller side: a form body (media type',
  'application/x-www-form-urlencoded, any case or parameters) is passed the way _putOrPost takes form data, as an',
  'object in extra_params, decoded with node\'s querystring.parse (the library signs string bodies as opaque);',
  'other bodies are passed as the string post_body. Extra oauth_* parameters go in extra_params, as the library\'s',
  'getOAuthRequestToken/getOAuthAccessToken pass oauth_callback/oauth_verifier. Always sends oauth_version (the',
  'constructor\'s), oauth_nonce and oauth_timestamp; an empty token is dropped; the realm cannot be sent (only',
  'OAuthEcho has one). No body hash. Client only: no header parser, no verifier. Exceptions thrown by the library',
  'are rejected, reason null.',
].join(' ');

serve(
  {
    name: 'node-oauth',
    version: libraryVersion,
    language: 'javascript',
    capabilities: {
      operations: ['sign'],
      signature_methods: SIGNATURE_METHODS,
      stages: ['normalized_parameters', 'base_string_uri', 'signature_base_string', 'signature', 'authorization_header'],
      can_omit_version: false,
      body_hash: false,
      reports_rejection_reasons: false,
      notes: NOTES,
    },
  },
  { sign },
);
