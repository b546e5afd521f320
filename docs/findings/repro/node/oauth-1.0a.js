'use strict';
// Standalone reproductions of the findings of oauth-1.0a (docs/findings/oauth-1.0a/): the
// library as its README drives it, OAuth({consumer, signature_method, hash_function, realm,
// version}).authorize({url, method, data}, token), the form body decoded into `data` with the
// library's own deParam, on each finding's smallest input.
//
// Usage: NODE_PATH=adapters/node-oauth-1.0a/node_modules node oauth-1.0a.js FINDING
const crypto = require('node:crypto');
const OAuth = require('oauth-1.0a');

// Per finding: the vector (id and file), its request, the stage compared, RFC 5849's value as
// the vector publishes it ("rfc"), and the value the dossier documents ("documented").
const FINDINGS = [
 {
  "finding": "collapses-duplicates-first-wins",
  "vector": "rfc5849-3.4.1-hmac-sha1-with-version",
  "file": "vectors/rfc5849.json",
  "stage": "signature",
  "request": {
   "method": "POST",
   "url": "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
   "content_type": "application/x-www-form-urlencoded",
   "body": "c2&a3=2+q"
  },
  "oauth": {
   "consumer_key": "9djdj82h48djs9d2",
   "token": "kkk9d7dh3k39sjv7",
   "signature_method": "HMAC-SHA1",
   "timestamp": "137131201",
   "nonce": "7d8f3e4a",
   "version": "1.0",
   "realm": "Example",
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "j49sk3j29djd",
   "token_secret": "dh893hdasih9",
   "rsa_private_key_pem": null
  },
  "rfc": "OB33pYjWAnf+xtOHN4Gmbdil168=",
  "documented": "7YKYaHAPM562s6bWAoGXM2sCsHI="
 },
 {
  "finding": "empty-value-replaced-by-repeat",
  "vector": "edge-more-repeated-name-first-value-empty",
  "file": "vectors/edge-cases-more.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "http://example.com/request?a=&a=x&a=y&b=",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "token": "nnch734d00sl2jdk",
   "timestamp": "1700000000",
   "nonce": "h0ld0utn0nce",
   "version": "1.0",
   "realm": null,
   "extra": {},
   "consumer_key": "dpf43f3p2l4k3l03",
   "signature_method": "HMAC-SHA1"
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "x2pby22NnEwCE+kT6f3WFYbqu4U=",
  "documented": "I55myPQsHBkjb5oTq3aIsPcVThg="
 },
 {
  "finding": "hashes-empty-body-as-braces",
  "vector": "lib-pyoauth2-sign-request-hmac",
  "file": "vectors/libraries-sign.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "http://sp.example.com/",
   "content_type": null,
   "body": ""
  },
  "oauth": {
   "token": "tok-test-key",
   "timestamp": "137131200",
   "nonce": "4572616e48616d6d65724c61686176",
   "version": "1.0",
   "realm": null,
   "extra": {},
   "consumer_key": "con-test-key",
   "signature_method": "HMAC-SHA1",
   "compute_body_hash": true
  },
  "secrets": {
   "consumer_secret": "con-test-secret",
   "token_secret": "tok-test-secret",
   "rsa_private_key_pem": null
  },
  "rfc": "DX01TdHws7OninCLK9VztNTH1M4=",
  "documented": "gPKQUpsQUZWxCOcj9hz32sOYVwA="
 },
 {
  "finding": "keeps-default-port",
  "vector": "lib-cpprest-post-query-port-80",
  "file": "vectors/libraries-sign.json",
  "stage": "signature",
  "request": {
   "method": "POST",
   "url": "http://example.com:80/request?a=b&c=d",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "token": "test_token",
   "timestamp": "12345678",
   "nonce": "ABCDEFGH",
   "version": "1.0",
   "realm": null,
   "extra": {},
   "consumer_key": "test_key",
   "signature_method": "HMAC-SHA1"
  },
  "secrets": {
   "consumer_secret": "test_secret",
   "token_secret": "test_token_secret",
   "rsa_private_key_pem": null
  },
  "rfc": "iUq3VlP39UNXoJHXlKjgSTmjEs8=",
  "documented": "2d7EKsrlP+zPS6RcsgEFrsgWRU8="
 },
 {
  "finding": "keeps-host-case",
  "vector": "lib-signet-mixed-case-authority",
  "file": "vectors/libraries-sign.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "http://photos.eXaMpLe.NET/photos?file=vacation.jpg&size=original",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "token": "nnch734d00sl2jdk",
   "timestamp": "1191242096",
   "nonce": "kllo9940pd9333jh",
   "version": "1.0",
   "realm": null,
   "extra": {},
   "consumer_key": "dpf43f3p2l4k3l03",
   "signature_method": "HMAC-SHA1"
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "tR3+Ty81lMeYAr/Fid0kMTYa/WM=",
  "documented": "ECwLRRbZmf5GCd4OLSfTsst2eeI="
 },
 {
  "finding": "names-not-decoded",
  "vector": "edge-more-encoded-equals-in-query-name",
  "file": "vectors/edge-cases-more.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "http://example.com/request?a%3Db=c",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "token": "nnch734d00sl2jdk",
   "timestamp": "1700000000",
   "nonce": "h0ld0utn0nce",
   "version": "1.0",
   "realm": null,
   "extra": {},
   "consumer_key": "dpf43f3p2l4k3l03",
   "signature_method": "HMAC-SHA1"
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "1zyztsmeJ9UVnnhxu9keBUyw8FQ=",
  "documented": "1gd6SaO8yjMq0lAA0yNiZF5lOPQ="
 },
 {
  "finding": "plus-not-decoded",
  "vector": "lib-gomodule-quickbooks-plus-and-star",
  "file": "vectors/libraries-sign.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "https://qb.sbfinance.intuit.com/v3/company/1273852765/query?query=select+%2A+from+account",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "token": "token",
   "timestamp": "1409876517",
   "nonce": "12345678",
   "version": "1.0",
   "realm": null,
   "extra": {},
   "consumer_key": "consumer_key",
   "signature_method": "HMAC-SHA1"
  },
  "secrets": {
   "consumer_secret": "consumer_secret",
   "token_secret": "secret",
   "rsa_private_key_pem": null
  },
  "rfc": "7crYee+JLvg7dksQiHbarUHN3rY=",
  "documented": "BH71N/igKftVtszxvhLMxKTbMtk="
 },
 {
  "finding": "query-overrides-body",
  "vector": "rfc5849-3.4.1-hmac-sha1-with-version",
  "file": "vectors/rfc5849.json",
  "stage": "signature",
  "request": {
   "method": "POST",
   "url": "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
   "content_type": "application/x-www-form-urlencoded",
   "body": "c2&a3=2+q"
  },
  "oauth": {
   "consumer_key": "9djdj82h48djs9d2",
   "token": "kkk9d7dh3k39sjv7",
   "signature_method": "HMAC-SHA1",
   "timestamp": "137131201",
   "nonce": "7d8f3e4a",
   "version": "1.0",
   "realm": "Example",
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "j49sk3j29djd",
   "token_secret": "dh893hdasih9",
   "rsa_private_key_pem": null
  },
  "rfc": "OB33pYjWAnf+xtOHN4Gmbdil168=",
  "documented": "7YKYaHAPM562s6bWAoGXM2sCsHI="
 },
 {
  "finding": "signs-oauth-signature",
  "vector": "wild-stale-signature-in-query",
  "file": "vectors/in-the-wild.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "https://api.example.com/p?a=1&oauth_signature=prev",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1700000000",
   "nonce": "w1ldn0nce",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "0zl+kA7lht8Aa+C0s4nLTcF63Z4=",
  "documented": "41Aw/sQvQmGa6U1scsRYrpoa4Fg="
 }
];

const HMAC = { 'HMAC-SHA1': 'sha1', 'HMAC-SHA256': 'sha256', 'HMAC-SHA512': 'sha512' };

function isForm(contentType) {
  return typeof contentType === 'string'
    && contentType.split(';', 1)[0].trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

function signature({ request, oauth, secrets }) {
  const options = {
    consumer: { key: oauth.consumer_key, secret: secrets.consumer_secret ?? '' },
    signature_method: oauth.signature_method,
  };
  if (oauth.signature_method in HMAC) {
    const algorithm = HMAC[oauth.signature_method];
    options.hash_function = (text, key) => crypto.createHmac(algorithm, key).update(text).digest('base64');
  }
  if (oauth.realm != null) options.realm = oauth.realm;
  if (oauth.version != null) options.version = oauth.version;
  if (oauth.compute_body_hash) {
    options.body_hash_function = (text) => crypto.createHash('sha1').update(text).digest('base64');
  }
  const client = OAuth(options);
  client.getNonce = () => oauth.nonce;
  client.getTimeStamp = () => oauth.timestamp;
  const requestData = { url: request.url, method: request.method };
  if (oauth.compute_body_hash) {
    // The README's includeBodyHash: the library hashes `data` (the body string) itself.
    requestData.includeBodyHash = true;
    requestData.data = request.body ?? undefined;
  } else {
    const body = isForm(request.content_type) ? request.body : null;
    requestData.data = body ? client.deParam(body) : {};
    Object.assign(requestData.data, oauth.extra || {});
  }
  const token = { secret: secrets.token_secret ?? undefined };
  if (oauth.token != null) token.key = oauth.token;
  return client.authorize(requestData, token).oauth_signature;
}

// Prints the library's value next to RFC 5849's and exits 0 (as documented), 3 (fixed: retire the
// dossier) or 4 (a third value).
function main(name, value) {
  const wanted = process.argv[2];
  const entry = FINDINGS.find((e) => e.finding === wanted);
  if (!entry) {
    console.error(`usage: node ${process.argv[1]} FINDING (one of: ${FINDINGS.map((e) => e.finding).join(', ')})`);
    process.exit(2);
  }
  const got = value(entry);
  console.log(`finding:  ${entry.finding} (vector ${entry.vector}, ${entry.stage})`);
  console.log(`${name}: ${got}`);
  console.log(`RFC 5849: ${entry.rfc}`);
  if (got === entry.rfc) {
    console.log(`fixed: ${name} now agrees with RFC 5849`);
    process.exit(3);
  }
  if (got !== entry.documented) {
    console.log(`changed: the dossier documents ${entry.documented}`);
    process.exit(4);
  }
}

main('oauth-1.0a', signature);
