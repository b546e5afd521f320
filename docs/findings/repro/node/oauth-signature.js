'use strict';
// Standalone reproductions of the findings of oauth-signature (docs/findings/oauth-signature/):
// new oauthSignature.SignatureBaseString(method, url, parameters).generate(), the base string its
// generate() signs, with the parameters object its README shows, on each finding's smallest input.
//
// Usage: NODE_PATH=adapters/node-oauth-signature/node_modules node oauth-signature.js FINDING
const oauthSignature = require('oauth-signature');
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
  "finding": "decodes-unreserved-path-escapes",
  "vector": "edge-url-encoded-unreserved-in-path",
  "file": "vectors/edge-cases.json",
  "stage": "signature_base_string",
  "request": {
   "method": "GET",
   "url": "https://example.com/%7Euser/a%2Db",
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
  "rfc": "GET&https%3A%2F%2Fexample.com%2F%257Euser%2Fa%252Db&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk",
  "documented": "GET&https%3A%2F%2Fexample.com%2F~user%2Fa-b&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk"
 },
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
  "finding": "drops-root-path-after-normalizing-authority",
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
  "documented": "GET&https%3A%2F%2F%3A%3A1&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk"
 },
 {
  "finding": "empty-path-not-slash",
  "vector": "oauthnet-concat-get-no-path",
  "file": "vectors/oauth-net.json",
  "stage": "signature_base_string",
  "request": {
   "method": "GET",
   "url": "http://example.com?n=v",
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
  "rfc": "GET&http%3A%2F%2Fexample.com%2F&n%3Dv%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk",
  "documented": "GET&http%3A%2F%2Fexample.com&n%3Dv%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk"
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
 },
 {
  "finding": "sorts-values-unencoded",
  "vector": "edge-more-sort-values-encoded-colon",
  "file": "vectors/edge-cases-more.json",
  "stage": "signature_base_string",
  "request": {
   "method": "GET",
   "url": "http://example.com/v?v=0&v=:",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "token": "nnch734d00sl2jdk",
   "timestamp": "1700000000",
   "nonce": "h0ld0utn0nce",
   "version": null,
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
  "rfc": "GET&http%3A%2F%2Fexample.com%2Fv&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dh0ld0utn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26v%3D%253A%26v%3D0",
  "documented": "GET&http%3A%2F%2Fexample.com%2Fv&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dh0ld0utn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26v%3D0%26v%3D%253A"
 },
 {
  "finding": "unbrackets-ipv6-host",
  "vector": "edge-url-ipv6",
  "file": "vectors/edge-cases.json",
  "stage": "signature_base_string",
  "request": {
   "method": "GET",
   "url": "http://[2001:DB8::1]:8080/x?y=1",
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
  "rfc": "GET&http%3A%2F%2F%5B2001%3Adb8%3A%3A1%5D%3A8080%2Fx&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26y%3D1",
  "documented": "GET&http%3A%2F%2F2001%3Adb8%3A%3A1%3A8080%2Fx&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26y%3D1"
 },
 {
  "finding": "uppercases-path-escapes",
  "vector": "edge-url-lowercase-escapes-in-path",
  "file": "vectors/edge-cases.json",
  "stage": "signature_base_string",
  "request": {
   "method": "GET",
   "url": "https://example.com/a%2fb/caf%c3%a9",
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
  "rfc": "GET&https%3A%2F%2Fexample.com%2Fa%252fb%2Fcaf%25c3%25a9&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk",
  "documented": "GET&https%3A%2F%2Fexample.com%2Fa%252Fb%2Fcaf%25C3%25A9&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk"
 },
{
 "finding": "sorts-unencoded-keys",
 "vector": "generated:1481179787",
 "file": "docs/findings/examples.json",
 "stage": "normalized_parameters",
 "request": {
  "method": "GET",
  "url": "http://api.example.com?x_y=%3f%3d%21&x_y=&a=&x_y=2",
  "content_type": "application/xml",
  "body": "<a t=\"1\">*?</a>"
 },
 "oauth": {
  "token": null,
  "timestamp": "1191242096",
  "nonce": "kllo9940pd9333jh",
  "version": null,
  "realm": null,
  "extra": {},
  "consumer_key": "dpf43f3p2l4k3l03",
  "signature_method": "HMAC-SHA1"
 },
 "secrets": {
  "consumer_secret": "/😀*é",
  "token_secret": null,
  "rsa_private_key_pem": null
 },
 "rfc": "a=&oauth_consumer_key=dpf43f3p2l4k3l03&oauth_nonce=kllo9940pd9333jh&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1191242096&x_y=&x_y=%3F%3D%21&x_y=2",
 "documented": "a=&oauth_consumer_key=dpf43f3p2l4k3l03&oauth_nonce=kllo9940pd9333jh&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1191242096&x_y=&x_y=2&x_y=%3F%3D%21"
}
];

// The base string generate() signs; for a finding of the normalized parameters, its third part
// decoded once (the library also drops the root path of this input's URL, a finding of its own
// that would otherwise hide this one in a third value).
function baseString(entry) {
  const base = new oauthSignature.SignatureBaseString(entry.request.method, entry.request.url, parameters(entry)).generate();
  return entry.stage === 'normalized_parameters' ? decodeURIComponent(base.split('&')[2]) : base;
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

main('oauth-signature', baseString);
