#!/usr/bin/env node
'use strict';
// oauth-signature (npm) behind the oauth1-conformance adapter protocol, version 1
// (adapters/PROTOCOL.md). One row, "oauth-signature": oauthSignature.generate(...) and the
// SignatureBaseString it is built on, with the parameters supplied as its README shows. See
// README.md.

const oauthSignature = require('oauth-signature');
const { version: libraryVersion } = require('oauth-signature/package.json');

const { addParameters, decodeParameterStrings, formBody, rawQuery } = require('../node-common/form');
const { listedProtocolParameters } = require('../node-common/oauth-parameters');
const { Unsupported, library, serve, signResult } = require('../node-common/protocol');

function sign(message) {
  const { request, oauth, secrets } = message;
  // generate() always computes HMAC-SHA1, whatever oauth_signature_method says.
  if (oauth.signature_method !== 'HMAC-SHA1') {
    throw new Unsupported(`oauth-signature only computes HMAC-SHA1, not ${oauth.signature_method}`);
  }
  // Caller side, as the README's example: one object of every parameter, the request's
  // decoded query and form parameters next to the protocol parameters, with {name: [values]}
  // for repeated names (the format its ParametersLoader documents).
  const parameters = addParameters(decodeParameterStrings([rawQuery(request.url), formBody(request)]), listedProtocolParameters(oauth));
  const consumerSecret = secrets.consumer_secret ?? undefined;
  const tokenSecret = secrets.token_secret ?? undefined;

  // The object generate() builds its base string with; its constructor computes the base
  // string URI (_url, from the URL given: the library drops the query itself) and the
  // normalized parameters (_parameters).
  const baseString = library(() => new oauthSignature.SignatureBaseString(request.method, request.url, parameters));
  const signatureBaseString = library(() => baseString.generate());
  const signature = library(() =>
    oauthSignature.generate(request.method, request.url, parameters, consumerSecret, tokenSecret, { encodeSignature: false }),
  );
  return signResult({
    normalized_parameters: baseString._parameters,
    base_string_uri: baseString._url,
    signature_base_string: signatureBaseString,
    signature,
  });
}

const NOTES = [
  'sign: oauthSignature.generate(method, url, parameters, consumer_secret, token_secret, {encodeSignature: false})',
  'for signature (always HMAC-SHA1). generate() builds its base string with new SignatureBaseString(method, url,',
  'parameters).generate(); the adapter constructs the same object with the same arguments and reports its',
  'generate() as signature_base_string and the values its constructor computed, _parameters and _url, as',
  'normalized_parameters and base_string_uri. Caller side, as the README example: url is the request URL as given',
  '(the library parses it with uri-js and drops query and fragment); parameters is one object {name: [values]} of',
  'the query, the form body (media type application/x-www-form-urlencoded, any case or parameters) and exactly the',
  'case\'s protocol parameters, decoded with node\'s querystring.parse. The library builds no Authorization header.',
  'No body hash, no header parser, no verifier. Exceptions thrown by the library are rejected, reason null.',
].join(' ');

serve(
  {
    name: 'oauth-signature',
    version: libraryVersion,
    language: 'javascript',
    capabilities: {
      operations: ['sign'],
      signature_methods: ['HMAC-SHA1'],
      stages: ['normalized_parameters', 'base_string_uri', 'signature_base_string', 'signature'],
      can_omit_version: true,
      body_hash: false,
      reports_rejection_reasons: false,
      notes: NOTES,
    },
  },
  { sign },
);
