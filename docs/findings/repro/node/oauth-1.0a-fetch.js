'use strict';
// Standalone reproductions of the live-client findings of oauth-1.0a with Node's fetch
// (clients/oauth-1.0a-fetch/CASE, found by `oauth1-conformance capture`: what the library and
// fetch put on the wire).
//
// Uses only oauth-1.0a and Node (fetch, node:crypto, node:net), as
// adapters/node-oauth-1.0a/capture_driver.js drives them after the library's README:
// OAuth({ consumer, signature_method: 'HMAC-SHA1', hash_function }) with node:crypto's HMAC-SHA1,
// then fetch(url, { method, headers: oauth.toHeader(oauth.authorize({ url, method }, token)) }).
// The request goes to this program's own HTTP server on 127.0.0.1, port 0 (loopback.js, on
// node:net, so the octets of the target are seen as sent; every socket has a timeout and the server
// closes before the program ends), which records what arrived and answers the redirect case 307.
// The signature sent is compared with HMAC-SHA1 over the RFC 5849 signature base string of the
// request that arrived, written out below, with the port and the nonce and timestamp the library
// chose (read from its header) put in, and with the one the dossier documents.
//
// Usage: NODE_PATH=adapters/node-oauth-1.0a/node_modules node oauth-1.0a-fetch.js CASE
// Prints what was sent next to RFC 5849's; exits 0 while the library behaves as the dossier
// documents, 3 when it behaves as RFC 5849 requires (retire the dossier), 4 on a third behaviour.
const crypto = require('node:crypto');
const OAuth = require('oauth-1.0a');

const { TIMEOUT_MS, run } = require('./loopback');

const LIBRARY = 'oauth-1.0a-fetch';
// RFC 5849 §1.2's example credentials.
const CONSUMER = { key: 'dpf43f3p2l4k3l03', secret: 'kd94hf93k423kf44' };
const TOKEN = { key: 'nnch734d00sl2jdk', secret: 'pfkkdhi9sl3r4s00' };

// The protocol parameters the library sends, as they sort into a base string ({oauth} below).
const OAUTH = 'oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26'
  + 'oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0';
const URI = `GET&http%3A%2F%2F127.0.0.1%3A{port}%2F${LIBRARY}%2F`;

// Per capture case: the query asked for and the base strings of RFC 5849 and of the dossier.
// "signature": the signature sent against both. "redirect": the request re-sent to the 307's
// Location must be signed for it, with a new nonce.
const CASES = {
  'brackets-encoded': {
    kind: 'signature', query: '?a%5B%5D=1&a%5B%5D=2',
    section: '§3.4.1.3.1, §3.4.1.3.2: names are decoded, then encoded once (`a[]`: a%5B%5D)',
    rfc: `${URI}brackets-encoded&a%255B%255D%3D1%26a%255B%255D%3D2%26{oauth}`,
    documented: `${URI}brackets-encoded&a%25255B%25255D%3D1%26a%25255B%25255D%3D2%26{oauth}`,
  },
  'query-empty-question-mark': {
    kind: 'signature', query: '?',
    section: '§3.4.1.3.1: an empty query has no parameter',
    rfc: `${URI}query-empty-question-mark&{oauth}`,
    documented: `${URI}query-empty-question-mark&%3D%26{oauth}`,
  },
  'query-plus': {
    kind: 'signature', query: '?p=a+b',
    section: '§3.4.1.3.1: the query is decoded as application/x-www-form-urlencoded, `+` a space',
    rfc: `${URI}query-plus&{oauth}%26p%3Da%2520b`,
    documented: `${URI}query-plus&{oauth}%26p%3Da%252Bb`,
  },
  'query-reserved-raw': {
    kind: 'signature', query: "?q=a:b/c?d@e!$'()*,;f",
    section: '§3.4.1.3.1: the query splits on `&` only; `?` is data in a query, and an empty value is kept',
    rfc: `${URI}query-reserved-raw&{oauth}%26q%3Da%253Ab%252Fc%253Fd%2540e%2521%2524%2527%2528%2529%252A%252C%253Bf`,
    documented: `${URI}query-reserved-raw&{oauth}%26q%3Da%253Ab%252Fc`,
  },
  'redirect-307': {
    kind: 'redirect', query: '?x=1',
    section: '§3.4.1.2, §3.3: a request to another URL is signed for that URL, with a new nonce',
    first: `${URI}redirect-307&{oauth}%26x%3D1`,
    moved: `${URI}redirect-307%2Fmoved&{oauth}%26x%3D1`,
  },
};

function send(port, name, spec) {
  const oauth = OAuth({
    consumer: CONSUMER,
    signature_method: 'HMAC-SHA1',
    hash_function: (base, key) => crypto.createHmac('sha1', key).update(base).digest('base64'),
  });
  const url = `http://127.0.0.1:${port}/${LIBRARY}/${name}${spec.query}`;
  const headers = oauth.toHeader(oauth.authorize({ url, method: 'GET' }, TOKEN));
  return fetch(url, { method: 'GET', headers, signal: AbortSignal.timeout(TIMEOUT_MS) }).then((r) => r.arrayBuffer());
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

function judgeRedirect(spec, arrived, port) {
  if (arrived.length !== 2 || !arrived[1].target.startsWith(`/${LIBRARY}/redirect-307/moved`)) {
    console.log(`${LIBRARY}: ${arrived.length} request(s) arrived, not the first and the redirected one`);
    return 4;
  }
  const [first, moved] = arrived.map((a) => oauthParameters(a.headers.authorization));
  const [rfc, rfcBase] = hmacSha1(spec.moved, port, moved);
  const [original] = hmacSha1(spec.first, port, first);
  console.log(`${LIBRARY}: to ${arrived[1].target}: oauth_signature=${moved.oauth_signature}, oauth_nonce=${moved.oauth_nonce}`
    + ` (the first request's: ${first.oauth_signature}, ${first.oauth_nonce})`);
  console.log(`RFC 5849: oauth_signature=${rfc} over ${rfcBase}, a new nonce (${spec.section})`);
  if (moved.oauth_signature === rfc && moved.oauth_nonce !== first.oauth_nonce) return 3;
  const resent = arrived[1].headers.authorization === arrived[0].headers.authorization;
  return resent && first.oauth_signature === original ? 0 : 4;
}

run({ library: LIBRARY, cases: CASES, send, judges: { signature: judgeSignature, redirect: judgeRedirect } });
