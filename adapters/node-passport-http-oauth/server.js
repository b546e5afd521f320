'use strict';
// passport-http-oauth's strategies on Express, with today's passport: a live server for
// `oauth1-conformance probe`.
//
//   node adapters/node-passport-http-oauth/server.js --port PORT --credentials FILE
//
// Wired as the packages' READMEs and the oauthorize example application (passport-http-oauth's
// README points to it for the token endpoints) show:
// * any path, any method: passport.authenticate('token', { session: false }) with a TokenStrategy,
//   then a small JSON body (200); the strategy's own refusal otherwise (401 with an OAuth
//   WWW-Authenticate challenge, or 400);
// * POST /initiate: passport.authenticate('consumer', { session: false }) with a ConsumerStrategy,
//   then oauthorize's server.requestToken;
// * POST /token: the same, then oauthorize's server.accessToken, whose verify callback compares
//   the verifier.
// Form bodies are parsed by express.urlencoded() (the strategies read req.body).
//
// The application's part (README.md lists it as `app`): the consumer, token and validate
// callbacks. The validate (timestamp and nonce) callback is the README's exactly:
// `done(null, true)`.
//
// Prints `listening on http://127.0.0.1:PORT` once the server listens; closes on SIGTERM or SIGINT.

const crypto = require('node:crypto');
const fs = require('node:fs');
const express = require('express');
const passport = require('passport');
const { ConsumerStrategy, TokenStrategy } = require('passport-http-oauth');
const oauthorize = require('oauthorize');

const MAX_CREDENTIALS_BYTES = 1 << 20;
const MAX_BODY = '1mb';

function usage(message) {
  process.stderr.write(`${message ? `error: ${message}\n` : ''}usage: server.js --port PORT --credentials FILE\n`);
  process.exit(2);
}

function parseArguments(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] === '--port' && /^\d+$/.test(argv[i + 1] ?? '')) options.port = Number(argv[i + 1]);
    else if (argv[i] === '--credentials' && argv[i + 1] !== undefined) options.credentials = argv[i + 1];
    else usage(`unexpected argument ${argv[i]}`);
  }
  if (options.port === undefined || options.port > 65535 || options.credentials === undefined) usage();
  return options;
}

// The credentials file (docs/credentials.schema.json); throws an Error naming the problem.
function loadCredentials(path) {
  const raw = fs.readFileSync(path);
  if (raw.length > MAX_CREDENTIALS_BYTES) throw new Error(`${path}: larger than ${MAX_CREDENTIALS_BYTES} bytes`);
  let doc;
  try {
    doc = JSON.parse(raw.toString('utf8'));
  } catch (e) {
    throw new Error(`${path}: not JSON: ${e.message}`);
  }
  if (!doc || !Array.isArray(doc.consumers) || !Array.isArray(doc.tokens) || typeof doc.verifier !== 'string') {
    throw new Error(`${path}: needs "consumers" and "tokens" arrays and a "verifier" string`);
  }
  const consumers = new Map();
  doc.consumers.forEach((c, i) => {
    if (!c || typeof c.key !== 'string') throw new Error(`${path}: consumers[${i}] needs a "key" string`);
    consumers.set(c.key, { key: c.key, secret: typeof c.secret === 'string' ? c.secret : '' });
  });
  const tokens = new Map();
  doc.tokens.forEach((t, i) => {
    if (!t || typeof t.token !== 'string' || typeof t.secret !== 'string' || !consumers.has(t.consumer_key)) {
      throw new Error(`${path}: tokens[${i}] needs "token" and "secret" strings and the "consumer_key" of a consumer`);
    }
    tokens.set(t.token, { secret: t.secret, consumerKey: t.consumer_key });
  });
  return { consumers, tokens, verifier: doc.verifier };
}

function configurePassport(credentials, temporary, issued) {
  const findConsumer = (consumerKey, done) => {
    const consumer = credentials.consumers.get(consumerKey);
    if (!consumer) return done(null, false);
    return done(null, consumer, consumer.secret);
  };
  // The README's validate callback, exactly.
  const validate = (timestamp, nonce, done) => {
    // validate the timestamp and nonce as necessary
    done(null, true);
  };
  passport.use('consumer', new ConsumerStrategy(
    findConsumer,
    (requestToken, done) => {
      const token = temporary.get(requestToken);
      if (!token) return done(null, false);
      return done(null, token.secret, { verifier: token.verifier, consumerKey: token.consumerKey });
    },
    validate,
  ));
  passport.use('token', new TokenStrategy(
    findConsumer,
    (accessToken, done) => {
      const token = issued.get(accessToken) ?? credentials.tokens.get(accessToken);
      if (!token) return done(null, false);
      return done(null, { consumerKey: token.consumerKey }, token.secret);
    },
    validate,
  ));
}

function newToken() {
  return crypto.randomBytes(16).toString('hex');
}

function application(credentials) {
  const temporary = new Map(); // token -> { secret, consumerKey, verifier }
  const issued = new Map(); // token -> { secret, consumerKey }
  configurePassport(credentials, temporary, issued);
  const server = oauthorize.createServer();
  const app = express();
  app.disable('x-powered-by');
  app.use(express.urlencoded({ extended: false, limit: MAX_BODY }));
  app.use(passport.initialize());

  app.post('/initiate', passport.authenticate('consumer', { session: false }),
    server.requestToken((consumer, callbackURL, done) => {
      // The resource owner's authorization (RFC 5849 section 2.2) is not part of this server:
      // every temporary credential is issued already authorized, with the file's verifier.
      const token = newToken();
      const secret = newToken();
      temporary.set(token, { secret, consumerKey: consumer.key, verifier: credentials.verifier });
      done(null, token, secret);
    }),
    server.errorHandler());

  app.post('/token', passport.authenticate('consumer', { session: false }),
    server.accessToken(
      (requestToken, verifier, info, done) => done(null, info.consumerKey !== undefined && verifier === info.verifier),
      (consumer, requestToken, done) => {
        const token = newToken();
        const secret = newToken();
        temporary.delete(requestToken);
        issued.set(token, { secret, consumerKey: consumer.key });
        done(null, token, secret);
      },
    ),
    server.errorHandler());

  app.use(passport.authenticate('token', { session: false }), (req, res) => {
    res.json({ accepted: true, server: 'passport-http-oauth' });
  });
  return app;
}

function main() {
  const options = parseArguments(process.argv.slice(2));
  let credentials;
  try {
    credentials = loadCredentials(options.credentials);
  } catch (e) {
    usage(e.code ? `cannot read ${options.credentials}: ${e.code}` : e.message);
  }
  const listener = application(credentials).listen(options.port, '127.0.0.1');
  listener.on('listening', () => {
    process.stdout.write(`listening on http://127.0.0.1:${listener.address().port}\n`);
  });
  listener.on('error', (e) => {
    process.stderr.write(`error: ${e.message}\n`);
    process.exit(2);
  });
  // A client that sends nothing for this long is dropped.
  listener.headersTimeout = 10000;
  listener.requestTimeout = 30000;
  const stop = () => {
    listener.close(() => process.exit(0));
    listener.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main();
