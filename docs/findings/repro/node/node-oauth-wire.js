'use strict';
// Standalone reproductions of the live-client findings of the `oauth` package (node-oauth,
// clients/node-oauth/CASE, found by `oauth1-conformance capture`: what it put on the wire with its
// own HTTP client).
//
// Uses only the `oauth` package and Node (node:crypto, node:net), as
// adapters/node-oauth/capture_driver.js drives it after its README: new OAuth(null, null,
// consumer_key, consumer_secret, '1.0', null, 'HMAC-SHA1').get(url, token, token_secret, callback).
// The request goes to this program's own HTTP server on 127.0.0.1, port 0 (loopback.js, on
// node:net, so the octets of the target are seen as sent; every socket has a timeout and the server
// closes before the program ends), which records what arrived. The signature sent is compared with
// HMAC-SHA1 over the RFC 5849 signature base string written out below, with the port and the nonce
// and timestamp the library chose (read from its header) put in, and with the one the dossier
// documents; the target's octets with the UTF-8 RFC 3987 wants.
//
// Usage: NODE_PATH=adapters/node-oauth/node_modules node node-oauth-wire.js CASE
// Prints what was sent next to RFC 5849's; exits 0 while the library behaves as the dossier
// documents, 3 when it behaves as RFC 5849 requires (retire the dossier), 4 on a third behaviour.
const crypto = require('node:crypto');
const { OAuth } = require('oauth');

const { run } = require('./loopback');

const LIBRARY = 'node-oauth';
// RFC 5849 §1.2's example credentials.
const CONSUMER = { key: 'dpf43f3p2l4k3l03', secret: 'kd94hf93k423kf44' };
const TOKEN = { key: 'nnch734d00sl2jdk', secret: 'pfkkdhi9sl3r4s00' };

// The protocol parameters the library sends, as they sort into a base string ({oauth} below).
const OAUTH = 'oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26'
  + 'oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0';
const URI = `GET&http%3A%2F%2F127.0.0.1%3A{port}%2F${LIBRARY}%2F`;

// Per capture case: the query asked for and what RFC 5849 requires next to what the dossier
// documents. "signature": the signature sent against the RFC's base string and the documented
// one. "target": the octets of the target against the UTF-8 percent-encoded or raw.
const CASES = {
  'brackets-array': {
    kind: 'signature', query: '?a[]=1&a[]=2',
    section: '§3.4.1.3.1, §3.4.1.3.2: a repeated name is two parameters of that name, sorted by value',
    rfc: `${URI}brackets-array&a%255B%255D%3D1%26a%255B%255D%3D2%26{oauth}`,
    documented: `${URI}brackets-array&a%255B%255D%255B0%255D%3D1%26a%255B%255D%255B1%255D%3D2%26{oauth}`,
  },
  'brackets-encoded': {
    kind: 'signature', query: '?a%5B%5D=1&a%5B%5D=2',
    section: '§3.4.1.3.1, §3.4.1.3.2: a repeated name is two parameters of that name, sorted by value',
    rfc: `${URI}brackets-encoded&a%255B%255D%3D1%26a%255B%255D%3D2%26{oauth}`,
    documented: `${URI}brackets-encoded&a%255B%255D%255B0%255D%3D1%26a%255B%255D%255B1%255D%3D2%26{oauth}`,
  },
  'query-repeated': {
    kind: 'signature', query: '?a=2&a=1&a=2',
    section: '§3.4.1.3.1, §3.4.1.3.2: a repeated name is one parameter per value, sorted by value',
    rfc: `${URI}query-repeated&a%3D1%26a%3D2%26a%3D2%26{oauth}`,
    documented: `${URI}query-repeated&a%255B0%255D%3D2%26a%255B1%255D%3D1%26a%255B2%255D%3D2%26{oauth}`,
  },
  'query-non-ascii-raw': {
    kind: 'target', query: '?n=café',
    section: 'RFC 3987 §3.1: an IRI is sent as the UTF-8 octets of its characters, percent-encoded; RFC 5849 §3.6 signs them',
    rfc: Buffer.from('n=café', 'utf8'),
    documented: Buffer.from('n=caf\xe9', 'latin1'),
  },
};

function send(port, name, spec) {
  const client = new OAuth(null, null, CONSUMER.key, CONSUMER.secret, '1.0', null, 'HMAC-SHA1');
  const url = `http://127.0.0.1:${port}/${LIBRARY}/${name}${spec.query}`;
  // An answer other than 2xx is an error to the callback; whatever arrived is judged the same.
  return new Promise((resolve) => { client.get(url, TOKEN.key, TOKEN.secret, () => resolve()); });
}

// The octets of a query with its percent-encodings decoded.
function decodedOctets(query) {
  const out = [];
  for (let i = 0; i < query.length; i += 1) {
    const hex = query[i] === 0x25 ? Buffer.from(query.subarray(i + 1, i + 3)).toString('latin1') : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      out.push(parseInt(hex, 16));
      i += 2;
    } else {
      out.push(query[i]);
    }
  }
  return Buffer.from(out);
}

function judgeTarget(spec, arrived) {
  const target = Buffer.from(arrived[0].target, 'latin1');
  const query = target.subarray(target.indexOf('?') + 1);
  console.log(`${LIBRARY}: the query's octets sent: ${query.toString('hex')} (${JSON.stringify(query.toString('latin1'))})`);
  console.log(`RFC 5849: the octets of UTF-8 "n=café", raw or percent-encoded: ${spec.rfc.toString('hex')} (${spec.section})`);
  if (decodedOctets(query).equals(spec.rfc)) return 3;
  return query.equals(spec.documented) ? 0 : 4;
}

function oauthParameters(authorization) {
  const found = {};
  for (const [, name, value] of (authorization ?? '').matchAll(/(\w+)="([^"]*)"/g)) found[name] = decodeURIComponent(value);
  return found;
}

// HMAC-SHA1 over `template` with the port and the request's nonce and timestamp put in.
function hmacSha1(template, port, oauth) {
  const fill = (text, fields) => text.replace(/\{(\w+)\}/g, (whole, name) => fields[name] ?? whole);
  const base = fill(fill(template, { port, oauth: OAUTH }), { nonce: oauth.oauth_nonce, timestamp: oauth.oauth_timestamp });
  return [crypto.createHmac('sha1', `${CONSUMER.secret}&${TOKEN.secret}`).update(base, 'ascii').digest('base64'), base];
}

function judgeSignature(spec, arrived, port) {
  const oauth = oauthParameters(arrived[0].headers.authorization);
  const [rfc, rfcBase] = hmacSha1(spec.rfc, port, oauth);
  const [documented, documentedBase] = hmacSha1(spec.documented, port, oauth);
  const sent = oauth.oauth_signature;
  console.log(`${LIBRARY}: sent ${arrived[0].target} with oauth_signature=${sent} (documented: ${documented} over ${documentedBase})`);
  console.log(`RFC 5849: oauth_signature=${rfc} over ${rfcBase} (${spec.section})`);
  if (sent === rfc) return 3;
  return sent === documented ? 0 : 4;
}

run({ library: LIBRARY, cases: CASES, send, judges: { signature: judgeSignature, target: judgeTarget } });
