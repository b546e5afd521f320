'use strict';
// Standalone reproductions of the findings of the `oauth` package (node-oauth,
// docs/findings/node-oauth/): new OAuth(null, null, consumer_key, consumer_secret, version,
// undefined, signature_method), then _prepareParameters(token, token_secret, method, url,
// extra_params), the step its _performSecureRequest signs with (the form body decoded with
// Node's querystring into extra_params, as its own getOAuthAccessToken passes parameters), on
// each finding's smallest input.
//
// Usage: NODE_PATH=adapters/node-oauth/node_modules node node-oauth.js FINDING
const querystring = require('node:querystring');
const { OAuth } = require('oauth');

// Per finding: the vector (id and file), its request, the stage compared, RFC 5849's value as
// the vector publishes it ("rfc"), and the value the dossier documents ("documented").
// A finding seen on generated cases only names its case (generated:SEED) and docs/findings/examples.json,
// where its input is recorded; its "rfc" is then the reference signer's value for that input (the
// dossier's RFC 5849 column), its "documented" the dossier's library column.
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
  "documented": "AYPkAP8ucyC2Wxa8mFGr+rsZAQ4="
 },
 {
  "finding": "escapes-path-like-node-url-parse",
  "vector": "generated:1481179281 (shrunk)",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "http://api.example.com/!$&'()*+,;=",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": null,
   "signature_method": "HMAC-SHA1",
   "timestamp": "137131201",
   "nonce": "7d8f3e4a",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "",
   "token_secret": null
  },
  "rfc": "6UZ4dgRK2h1oweSVDCXhhA6k/H8=",
  "documented": "GluC/BxcZGfiNkmHsbVjiJ84UAo="
 },
 {
  "finding": "indexes-repeated-query-names",
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
  "documented": "7zQXe0ShGDvSHqGWJ1FDXYbEDIc="
 },
 {
  "finding": "query-overrides-body",
  "vector": "generated:1481179171 (shrunk)",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "http://api.example.com?a=",
   "content_type": "application/x-www-form-urlencoded",
   "body": "a="
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": null,
   "signature_method": "HMAC-SHA256",
   "timestamp": "1191242096",
   "nonce": "7d8f3e4a",
   "version": "1.0",
   "realm": null,
   "extra": {
    "oauth_callback": "oob"
   }
  },
  "secrets": {
   "consumer_secret": ".-",
   "token_secret": null
  },
  "rfc": "IMuhhYeh85+kIZb1J+2NGLRcGL7l0cwS1NPsPUtVoEg=",
  "documented": "5jn+v1Lxq11FB3Bb//MAQ0rfCTiyvLguHojZY1z1EFU="
 },
 {
  "finding": "unbrackets-ipv6-host",
  "vector": "wild-ipv6-https-port",
  "file": "vectors/in-the-wild.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "https://[2001:db8::7]:8443/v1/x?y=1",
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
  "rfc": "UTbi1gY7pbDw15rV+2ChlKwO6OU=",
  "documented": "7XVrMCoc8yJnUcDGWAs0ce7KEUQ="
 }
];

function isForm(contentType) {
  return typeof contentType === 'string'
    && contentType.split(';', 1)[0].trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

function signature({ request, oauth, secrets }) {
  const client = new OAuth(null, null, oauth.consumer_key, secrets.consumer_secret ?? '', oauth.version, undefined, oauth.signature_method);
  client._getNonce = () => oauth.nonce;
  client._getTimestamp = () => oauth.timestamp;
  let extra = null;
  if (isForm(request.content_type) && request.body) {
    extra = {};
    const decoded = querystring.parse(request.body, '&', '=', { maxKeys: 0 });
    for (const name of Object.keys(decoded)) extra[name] = [].concat(decoded[name]);
  }
  for (const [name, value] of Object.entries(oauth.extra || {})) (extra ??= {})[name] = [value];
  const params = client._prepareParameters(oauth.token ?? null, secrets.token_secret ?? undefined, request.method, request.url, extra);
  return params.find(([name]) => name === 'oauth_signature')[1];
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

main('node-oauth', signature);
