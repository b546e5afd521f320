'use strict';
// The oauth package's capture driver: its own HTTP methods, oa.get/delete/post/put(url, token,
// token_secret, ...), a form body given as an object as its README does (docs/capture.md
// describes the environment).

const { OAuth } = require('oauth');
const { cannotExpress, readCase } = require('../node-common/capture-case');

const c = readCase();
if (!['HMAC-SHA1', 'HMAC-SHA256', 'RSA-SHA1', 'PLAINTEXT'].includes(c.signatureMethod)) {
  cannotExpress(`node-oauth has no ${c.signatureMethod}`);
}
if (c.realm) cannotExpress('node-oauth cannot send a realm');
// RSA-SHA1: the constructor's consumerSecret argument is the private key PEM.
const secret = c.signatureMethod === 'RSA-SHA1' ? c.rsaKey : c.consumerSecret;
const oa = new OAuth(null, null, c.consumerKey, secret, '1.0', null, c.signatureMethod);
const done = (error) => process.exit(error && !error.statusCode ? 1 : 0);
const body = c.form ?? (c.body === null ? '' : c.body.toString('utf8'));
switch (c.method) {
  case 'GET': oa.get(c.url, c.token, c.tokenSecret, done); break;
  case 'DELETE': oa.delete(c.url, c.token, c.tokenSecret, done); break;
  case 'POST': oa.post(c.url, c.token, c.tokenSecret, body, c.contentType, done); break;
  case 'PUT': oa.put(c.url, c.token, c.tokenSecret, body, c.contentType, done); break;
  default: cannotExpress(`node-oauth has no method for ${c.method}`);
}
