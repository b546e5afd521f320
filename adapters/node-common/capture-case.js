'use strict';
// The case a capture driver must send, read from the environment `oauth1-conformance capture
// --exec` sets (docs/capture.md). A driver exits 0 once it got any HTTP response (the server
// judges the request), and CANNOT_EXPRESS (3) with the reason on stderr when its client cannot
// send the case.

const fs = require('node:fs');
const querystring = require('node:querystring');

const CANNOT_EXPRESS = 3;

function readCase(env = process.env) {
  const body = env.OAUTH1_CAPTURE_BODY_FILE ? fs.readFileSync(env.OAUTH1_CAPTURE_BODY_FILE) : null;
  const contentType = env.OAUTH1_CAPTURE_CONTENT_TYPE || null;
  const isForm = contentType !== null && contentType.split(';')[0].trim().toLowerCase() === 'application/x-www-form-urlencoded';
  return {
    url: env.OAUTH1_CAPTURE_URL,
    method: env.OAUTH1_CAPTURE_METHOD,
    contentType,
    body,
    // A form body as the application holds it before a client serialises it.
    form: isForm && body !== null ? { ...querystring.parse(body.toString('utf8')) } : null,
    consumerKey: env.OAUTH1_CONSUMER_KEY,
    consumerSecret: env.OAUTH1_CONSUMER_SECRET,
    token: env.OAUTH1_TOKEN || null,
    tokenSecret: env.OAUTH1_TOKEN_SECRET || '',
    signatureMethod: env.OAUTH1_SIGNATURE_METHOD,
    realm: env.OAUTH1_REALM || null,
    rsaKey: env.OAUTH1_RSA_PRIVATE_KEY_FILE ? fs.readFileSync(env.OAUTH1_RSA_PRIVATE_KEY_FILE, 'ascii') : null,
  };
}

function cannotExpress(reason) {
  process.stderr.write(`${reason}\n`);
  process.exit(CANNOT_EXPRESS);
}

module.exports = { CANNOT_EXPRESS, cannotExpress, readCase };
