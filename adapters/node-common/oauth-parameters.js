'use strict';
// The protocol parameters of a sign request (`oauth` in adapters/PROTOCOL.md), for adapters
// whose library expects the caller to supply them.

const { Unsupported } = require('./protocol');

/**
 * Exactly the protocol parameters the case lists, as [name, value] pairs: the library is
 * given no default (no oauth_version unless asked for).
 */
function listedProtocolParameters(oauth) {
  const pairs = [['oauth_consumer_key', oauth.consumer_key]];
  if (oauth.token !== null && oauth.token !== undefined) {
    pairs.push(['oauth_token', oauth.token]);
  }
  pairs.push(['oauth_signature_method', oauth.signature_method]);
  for (const field of ['timestamp', 'nonce', 'version']) {
    if (oauth[field] !== null && oauth[field] !== undefined) {
      pairs.push([`oauth_${field}`, oauth[field]]);
    }
  }
  for (const [name, value] of Object.entries(oauth.extra || {})) {
    pairs.push([name, value]);
  }
  return pairs;
}

/** The value of `oauth[field]`, for a library that always sends oauth_<field>. */
function requiredField(oauth, field, libraryName) {
  const value = oauth[field];
  if (value === null || value === undefined) {
    throw new Unsupported(`${libraryName} always sends oauth_${field}; it cannot be omitted`);
  }
  return value;
}

module.exports = { listedProtocolParameters, requiredField };
