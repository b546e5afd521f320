'use strict';
// Standalone reproductions of the live-server findings of passport-http-oauth on Express
// (live/passport-http-oauth-express/CASE, found by `oauth1-conformance probe`).
//
// Uses only passport-http-oauth, passport, oauthorize and Express, wired as
// adapters/node-passport-http-oauth/server.js wires them after the packages' READMEs: every path
// behind passport.authenticate('token', { session: false }) with a TokenStrategy, POST /initiate
// behind a ConsumerStrategy and oauthorize's server.requestToken, form bodies parsed by
// express.urlencoded(), and the README's validate callback, done(null, true) (an `app` finding is
// that example's). The app listens on 127.0.0.1, port 0, for this run only; each probe case's
// request is written out below (method, target, Authorization header, body) and sent with Node's
// http client, signed with node:crypto's HMAC-SHA1 over the RFC 5849 signature base string written
// out below, with the port, the nonce and the timestamp (the clock's, shifted where the case
// shifts it) put in.
//
// Usage: NODE_PATH=adapters/node-passport-http-oauth/node_modules node passport-http-oauth-express.js CASE
// Prints the server's verdict next to RFC 5849's; exits 0 while it behaves as the dossier
// documents, 3 when it behaves as RFC 5849 requires (retire the dossier), 4 on a third behaviour.
const crypto = require('node:crypto');
const http = require('node:http');
const express = require('express');
const passport = require('passport');
const { ConsumerStrategy, TokenStrategy } = require('passport-http-oauth');
const oauthorize = require('oauthorize');

// The credentials of adapters/servers-smoke/credentials.json (RFC 5849 §1.2's example ones).
const CONSUMER = { key: 'dpf43f3p2l4k3l03', secret: 'kd94hf93k423kf44' };
const TOKEN = { token: 'nnch734d00sl2jdk', secret: 'pfkkdhi9sl3r4s00' };
const A_DAY = 86400;
// Every socket of the run is given up after this long.
const TIMEOUT_MS = 10000;

// The gate's request, GET /probe/photos?file=vacation.jpg&size=original (a case appends its
// query), and its base string (RFC 5849 §3.4.1: parameters sorted by encoded name, then value;
// a case's own pairs go {before} file).
const GATE_TARGET = '/probe/photos?file=vacation.jpg&size=original';
const GATE_BASE = 'GET&http%3A%2F%2F127.0.0.1%3A{port}%2Fprobe%2Fphotos&{before}file%3Dvacation.jpg%26'
  + 'oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26'
  + 'oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal';
const GATE_HEADER = 'OAuth oauth_consumer_key="dpf43f3p2l4k3l03", oauth_token="nnch734d00sl2jdk", '
  + 'oauth_signature_method="HMAC-SHA1", oauth_timestamp="{timestamp}", oauth_nonce="{nonce}", '
  + 'oauth_version="1.0", oauth_signature="{signature}"';
// The flow family's temporary-credential request without oauth_callback: POST /initiate, an empty
// form body, no token.
const INITIATE_BASE = 'POST&http%3A%2F%2F127.0.0.1%3A{port}%2Finitiate&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26'
  + 'oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26'
  + 'oauth_version%3D1.0';
const INITIATE_HEADER = 'OAuth oauth_consumer_key="dpf43f3p2l4k3l03", oauth_signature_method="HMAC-SHA1", '
  + 'oauth_timestamp="{timestamp}", oauth_nonce="{nonce}", oauth_version="1.0", oauth_signature="{signature}"';

// Per case: what RFC 5849 wants (and where it says so), what the dossier documents, the request.
const CASES = {
  'flow-initiate-without-callback': {
    rfc: ['refuse', '§2.1: oauth_callback is REQUIRED in a temporary-credential request'],
    documented: 'accept', initiate: true,
  },
  'replay-same-request': {
    rfc: ['refuse', '§3.2, §3.3: a nonce/timestamp/token combination is used once (the second sending)'],
    documented: 'accept', twice: true,
  },
  'time-future-24h': {
    rfc: ['refuse', '§3.3: the server bounds the timestamps it accepts (§3.2: refuse on failure)'],
    documented: 'accept', timestamp: (now) => now + A_DAY,
  },
  'time-milliseconds': {
    rfc: ['refuse', '§3.3: oauth_timestamp is in seconds; in milliseconds it is far outside any window'],
    documented: 'accept', timestamp: (now) => now * 1000,
  },
  'time-stale-24h': {
    rfc: ['refuse', '§3.3: the server bounds the timestamps it accepts (§3.2: refuse on failure)'],
    documented: 'accept', timestamp: (now) => now - A_DAY,
  },
  'valid-repeated-names': {
    rfc: ['accept', '§3.4.1.3.2: a repeated name is two parameters, sorted by value; the signature is valid'],
    documented: 'refuse', query: '&a=2&a=1', before: 'a%3D1%26a%3D2%26',
  },
};

function fill(template, fields) {
  return template.replace(/\{(\w+)\}/g, (_, name) => String(fields[name] ?? ''));
}

function sign(baseString, key) {
  return encodeURIComponent(crypto.createHmac('sha1', key).update(baseString, 'ascii').digest('base64'));
}

// The application of adapters/node-passport-http-oauth/server.js, reduced to what the cases reach.
function application() {
  const findConsumer = (consumerKey, done) => done(null, consumerKey === CONSUMER.key ? CONSUMER : false, CONSUMER.secret);
  // The README's validate callback, exactly.
  const validate = (timestamp, nonce, done) => {
    // validate the timestamp and nonce as necessary
    done(null, true);
  };
  passport.use('consumer', new ConsumerStrategy(findConsumer, (requestToken, done) => done(null, false), validate));
  passport.use('token', new TokenStrategy(
    findConsumer,
    (accessToken, done) => done(null, accessToken === TOKEN.token ? { consumerKey: CONSUMER.key } : false, TOKEN.secret),
    validate,
  ));
  const server = oauthorize.createServer();
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.use(passport.initialize());
  app.post('/initiate', passport.authenticate('consumer', { session: false }),
    server.requestToken((consumer, callbackURL, done) => done(null, crypto.randomUUID(), crypto.randomUUID())),
    server.errorHandler());
  app.use(passport.authenticate('token', { session: false }), (req, res) => res.json({ accepted: true }));
  return app;
}

function send(port, method, target, headers, body) {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, method, path: target, headers, timeout: TIMEOUT_MS }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}

// The case's request, signed now (a new nonce per sending), sent to the app on `port`.
function sendCase(port, spec) {
  const now = Math.floor(Date.now() / 1000);
  const fields = { port, nonce: crypto.randomBytes(12).toString('hex'), timestamp: spec.timestamp ? spec.timestamp(now) : now };
  if (spec.initiate) {
    const signature = sign(fill(INITIATE_BASE, fields), `${CONSUMER.secret}&`);
    return send(port, 'POST', '/initiate', {
      Authorization: fill(INITIATE_HEADER, { ...fields, signature }),
      'Content-Type': 'application/x-www-form-urlencoded',
    }, '');
  }
  const signature = sign(fill(GATE_BASE, { ...fields, before: spec.before }), `${CONSUMER.secret}&${TOKEN.secret}`);
  const request = () => send(port, 'GET', GATE_TARGET + (spec.query ?? ''), { Authorization: fill(GATE_HEADER, { ...fields, signature }) });
  if (!spec.twice) return request();
  return request().then((first) => (first.status === 200 ? request() : { ...first, note: 'the first sending was not accepted' }));
}

function verdictOf(response) {
  const verdict = { 200: 'accept', 400: 'refuse', 401: 'refuse', 403: 'refuse' }[response.status] ?? `status ${response.status}`;
  // The credentials an accepted temporary-credential request gets are not shown.
  const body = response.body.replace(/(oauth_token(_secret)?=)[^&]*/g, '$1…').slice(0, 200);
  return [response.note ? `${verdict}, ${response.note}` : verdict, `${response.status} ${body.trim()}`];
}

function main() {
  const name = process.argv[2];
  const spec = CASES[name];
  if (!spec) {
    console.error(`usage: node ${process.argv[1]} CASE (one of: ${Object.keys(CASES).join(', ')})`);
    process.exit(2);
  }
  const listener = application().listen(0, '127.0.0.1', () => {
    sendCase(listener.address().port, spec).then((response) => {
      const [got, detail] = verdictOf(response);
      console.log(`finding:  live/passport-http-oauth-express/${name}`);
      console.log(`passport-http-oauth: ${got} (${detail})`);
      console.log(`RFC 5849: ${spec.rfc[0]} (${spec.rfc[1]})`);
      let code = 0;
      if (got === spec.rfc[0]) {
        console.log('fixed: passport-http-oauth now behaves as RFC 5849 requires');
        code = 3;
      } else if (got !== spec.documented) {
        console.log(`changed: the dossier documents ${spec.documented}`);
        code = 4;
      }
      listener.close(() => process.exit(code));
      listener.closeAllConnections();
    }, (error) => {
      console.error(`error: ${error.message}`);
      process.exit(1);
    });
  });
  listener.on('error', (error) => {
    console.error(`error: cannot listen on 127.0.0.1: ${error.message}`);
    process.exit(1);
  });
}

main();
