#!/usr/bin/env node
'use strict';
// oauth-sign (npm) behind the oauth1-conformance adapter protocol, version 1
// (adapters/PROTOCOL.md). One row, "oauth-sign": its sign() and generateBase(), given the
// parameters and base URI the way `request` (the library it was extracted from) builds
// them. See README.md.

const url = require('node:url');
const oauthSign = require('oauth-sign');
const { version: libraryVersion } = require('oauth-sign/package.json');

const { addParameters, decodeParameterStrings, formBody, rawQuery } = require('../node-common/form');
const { listedProtocolParameters } = require('../node-common/oauth-parameters');
const { Unsupported, library, serve, signResult } = require('../node-common/protocol');

// sign()'s own switch (it throws "Signature method not supported" for any other).
const SIGNATURE_METHODS = ['HMAC-SHA1', 'HMAC-SHA256', 'RSA-SHA1', 'PLAINTEXT'];

/**
 * The base string URI as `request` passes it to oauth-sign: protocol + '//' + host +
 * pathname of node's url.parse, an absent path being '/' (the request-target of an empty
 * path). url.parse lowercases scheme and host and keeps any port.
 */
function requestStyleBaseUri(requestUrl) {
  const parsed = url.parse(requestUrl);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname || '/'}`;
}

function sign(message) {
  const { request, oauth, secrets } = message;
  const method = oauth.signature_method;
  if (!SIGNATURE_METHODS.includes(method)) {
    throw new Unsupported(`oauth-sign has no ${method}`);
  }
  // Caller side, as request's oauth.buildParams: the query, the form body and the protocol
  // parameters decoded into one object (here with querystring, request's useQuerystring).
  const params = addParameters(decodeParameterStrings([rawQuery(request.url), formBody(request)]), listedProtocolParameters(oauth));
  const baseUri = library(() => requestStyleBaseUri(request.url));
  // RSA-SHA1: sign()'s consumer_secret argument is the private key (request passes
  // oauth_private_key there).
  const consumerSecretOrKey = method === 'RSA-SHA1' ? secrets.rsa_private_key_pem : secrets.consumer_secret;

  const baseString = library(() => oauthSign.generateBase(request.method, baseUri, params));
  const signature = library(() =>
    oauthSign.sign(method, request.method, baseUri, params, consumerSecretOrKey ?? undefined, secrets.token_secret ?? undefined),
  );
  return signResult({ signature_base_string: baseString, signature });
}

const NOTES = [
  'sign: oauth-sign.sign(signature_method, method, base_uri, params, consumer_secret (RSA-SHA1: the private key PEM),',
  'token_secret) for signature, and oauth-sign.generateBase(method, base_uri, params) (the function sign() builds',
  'its base string with; sign() does not expose it) for signature_base_string. The library builds neither the',
  'parameters nor the base URI nor the header, so only those two stages are reported. Caller side, the way `request`',
  '(which oauth-sign was extracted from) calls it: params is one object {name: [values]} of the query, the form body',
  '(media type application/x-www-form-urlencoded, any case or parameters) and exactly the case\'s protocol',
  'parameters, decoded with node\'s querystring.parse (request\'s useQuerystring); base_uri is url.parse(url)\'s',
  'protocol + "//" + host + pathname (pathname "/" when absent), so scheme and host are lowercased and any port is',
  'kept: base-URI divergences are that caller\'s, not oauth-sign\'s. No body hash, no header parser, no verifier.',
  'Exceptions thrown by the library are rejected, reason null.',
].join(' ');

serve(
  {
    name: 'oauth-sign',
    version: libraryVersion,
    language: 'javascript',
    capabilities: {
      operations: ['sign'],
      signature_methods: SIGNATURE_METHODS,
      stages: ['signature_base_string', 'signature'],
      can_omit_version: true,
      body_hash: false,
      reports_rejection_reasons: false,
      notes: NOTES,
    },
  },
  { sign },
);
