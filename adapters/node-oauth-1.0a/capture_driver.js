'use strict';
// oauth-1.0a's capture driver: the README's toHeader(authorize(...)) with Node's own fetch
// (docs/capture.md describes the environment).

const crypto = require('node:crypto');
const OAuth = require('oauth-1.0a');
const { cannotExpress, readCase } = require('../node-common/capture-case');

const HMAC = { 'HMAC-SHA1': 'sha1', 'HMAC-SHA256': 'sha256', 'HMAC-SHA512': 'sha512' };
const c = readCase();
let hashFunction; // PLAINTEXT: the library's default
if (c.signatureMethod in HMAC) {
  hashFunction = (base, key) => crypto.createHmac(HMAC[c.signatureMethod], key).update(base).digest('base64');
} else if (c.signatureMethod.startsWith('RSA-')) {
  hashFunction = (base) => crypto.createSign(c.signatureMethod).update(base).sign(c.rsaKey, 'base64');
} else if (c.signatureMethod !== 'PLAINTEXT') {
  cannotExpress(`oauth-1.0a: no hash_function for ${c.signatureMethod}`);
}
const oauth = OAuth({ consumer: { key: c.consumerKey, secret: c.consumerSecret },
  signature_method: c.signatureMethod, hash_function: hashFunction, realm: c.realm || undefined });
const token = c.token ? { key: c.token, secret: c.tokenSecret } : undefined;
const signed = oauth.authorize({ url: c.url, method: c.method, data: c.form || undefined }, token);
const headers = { ...oauth.toHeader(signed), ...(c.contentType ? { 'Content-Type': c.contentType } : {}) };
fetch(c.url, { method: c.method, headers, body: c.body ?? undefined })
  .then((response) => response.arrayBuffer())
  .then(() => process.exit(0), (error) => { console.error(error); process.exit(1); });
