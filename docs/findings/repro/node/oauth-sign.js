'use strict';
// Standalone reproductions of the findings of oauth-sign (docs/findings/oauth-sign/):
// oauthSign.generateBase(method, base_uri, params), the base string its sign() signs, with the
// parameters object and base URI `request` (which oauth-sign was extracted from) hands it, on
// each finding's smallest input.
//
// Usage: NODE_PATH=adapters/node-oauth-sign/node_modules node oauth-sign.js FINDING
const url = require('node:url');
const oauthSign = require('oauth-sign');
const querystring = require('node:querystring');

function isForm(contentType) {
  return typeof contentType === 'string'
    && contentType.split(';', 1)[0].trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

// The caller's side the README shows: one object {name: [values]} of the query's and the form
// body's parameters, decoded with Node's querystring, and the protocol parameters.
function parameters({ request, oauth }) {
  const out = {};
  const add = (name, value) => {
    if (Object.prototype.hasOwnProperty.call(out, name)) out[name].push(value);
    else Object.defineProperty(out, name, { value: [value], enumerable: true, writable: true, configurable: true });
  };
  const query = request.url.split('#', 1)[0];
  const mark = query.indexOf('?');
  const sources = [mark === -1 ? null : query.slice(mark + 1), isForm(request.content_type) ? request.body : null];
  for (const text of sources) {
    if (!text) continue;
    const decoded = querystring.parse(text, '&', '=', { maxKeys: 0 });
    for (const name of Object.keys(decoded)) [].concat(decoded[name]).forEach((value) => add(name, value));
  }
  add('oauth_consumer_key', oauth.consumer_key);
  if (oauth.token != null) add('oauth_token', oauth.token);
  add('oauth_signature_method', oauth.signature_method);
  for (const field of ['timestamp', 'nonce', 'version']) if (oauth[field] != null) add(`oauth_${field}`, oauth[field]);
  for (const [name, value] of Object.entries(oauth.extra || {})) add(name, value);
  return out;
}

// Per finding: the vector (id and file), its request, the stage compared, RFC 5849's value as
// the vector publishes it ("rfc"), and the value the dossier documents ("documented").
const FINDINGS = [
 {
  "finding": "lossy-utf8-decoding",
  "vector": "edge-query-non-utf8-octets",
  "file": "vectors/edge-cases.json",
  "stage": "signature_base_string",
  "request": {
   "method": "GET",
   "url": "https://example.com/r?v=%FF%FE",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1191242096",
   "nonce": "kllo9940pd9333jh",
   "version": null,
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "GET&https%3A%2F%2Fexample.com%2Fr&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26v%3D%25FF%25FE",
  "documented": "GET&https%3A%2F%2Fexample.com%2Fr&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26v%3D%25EF%25BF%25BD%25EF%25BF%25BD"
 },
 {
  "finding": "escapes-path-like-node-url-parse",
  "vector": "edge-url-apostrophe-in-path",
  "file": "vectors/edge-cases.json",
  "stage": "signature_base_string",
  "request": {
   "method": "GET",
   "url": "https://example.com/o'neil/it's",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1191242096",
   "nonce": "kllo9940pd9333jh",
   "version": null,
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "GET&https%3A%2F%2Fexample.com%2Fo%27neil%2Fit%27s&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk",
  "documented": "GET&https%3A%2F%2Fexample.com%2Fo%2527neil%2Fit%2527s&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk"
 },
 {
  "finding": "keeps-default-port",
  "vector": "edge-url-ipv6-default-port",
  "file": "vectors/edge-cases.json",
  "stage": "signature_base_string",
  "request": {
   "method": "GET",
   "url": "https://[::1]:443/",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1191242096",
   "nonce": "kllo9940pd9333jh",
   "version": null,
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "GET&https%3A%2F%2F%5B%3A%3A1%5D%2F&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk",
  "documented": "GET&https%3A%2F%2F%5B%3A%3A1%5D%3A443%2F&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk"
 },
 {
  "finding": "signs-oauth-signature",
  "vector": "wild-stale-signature-in-query",
  "file": "vectors/in-the-wild.json",
  "stage": "signature_base_string",
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
  "rfc": "GET&https%3A%2F%2Fapi.example.com%2Fp&a%3D1%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dw1ldn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0",
  "documented": "GET&https%3A%2F%2Fapi.example.com%2Fp&a%3D1%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dw1ldn0nce%26oauth_signature%3Dprev%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0"
 }
];

function baseString(entry) {
  // request's base URI: url.parse's protocol + '//' + host + pathname.
  const parsed = url.parse(entry.request.url);
  const baseUri = `${parsed.protocol}//${parsed.host}${parsed.pathname || '/'}`;
  return oauthSign.generateBase(entry.request.method, baseUri, parameters(entry));
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

main('oauth-sign', baseString);
