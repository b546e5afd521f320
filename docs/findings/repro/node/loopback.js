'use strict';
// An HTTP/1.1 server on 127.0.0.1 (a port the system picks), for the reproductions of client
// findings: the library and its HTTP stack send the case's request here, and the program compares
// what arrived with what RFC 5849 requires. On node:net, so the octets of the request target are
// seen as sent.
//
// It records every request as it arrived (target as octets read as Latin-1, headers with lowercase
// names, body) and answers a request to …/redirect-307 with 307 to …/redirect-307/moved (the same
// query), every other one with 200. Bounded: every socket is given up after TIMEOUT_MS, a request
// head or body beyond MAX_BYTES is refused, and the server is closed before capture() settles.
// run() is the command line the programs share around it: CASE in, the judge's exit code out.
const net = require('node:net');

// The programs give their HTTP client the same bound.
const TIMEOUT_MS = 10000;
const MAX_BYTES = 1 << 20;

function answer(server, socket, target) {
  const [path, query] = target.split('?');
  const status = path.endsWith('/redirect-307')
    ? `307 Temporary Redirect\r\nLocation: http://127.0.0.1:${server.address().port}${path}/moved?${query}`
    : '200 OK';
  socket.end(`HTTP/1.1 ${status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
}

function recorder(arrived) {
  const server = net.createServer((socket) => {
    socket.setTimeout(TIMEOUT_MS, () => socket.destroy());
    socket.on('error', () => {});
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf('\r\n\r\n');
      if (buffered.length > MAX_BYTES || end < 0) {
        if (buffered.length > MAX_BYTES) socket.destroy();
        return;
      }
      const [line, ...fields] = buffered.subarray(0, end).toString('latin1').split('\r\n');
      const headers = Object.fromEntries(fields.map((f) => [f.slice(0, f.indexOf(':')).trim().toLowerCase(), f.slice(f.indexOf(':') + 1).trim()]));
      const length = Number(headers['content-length'] ?? 0);
      if (buffered.length < end + 4 + length) return;
      const [method, target] = line.split(' ');
      if (!target?.startsWith('/')) {
        socket.destroy();
        return;
      }
      arrived.push({ method, target, headers, body: buffered.subarray(end + 4, end + 4 + length).toString('latin1') });
      answer(server, socket, target);
      buffered = Buffer.alloc(0);
    });
  });
  return server;
}

// Starts the server, calls send(port) (a promise: the library sends the case there) and closes the
// server once it settles; resolves with the requests that arrived, in order, and the port. Rejects
// when the server cannot listen or send fails.
function capture(send) {
  const arrived = [];
  const server = recorder(arrived);
  return new Promise((resolve, reject) => {
    server.on('error', (error) => reject(new Error(`cannot listen on 127.0.0.1: ${error.message}`)));
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      const settled = Promise.resolve().then(() => send(port));
      settled.finally(() => server.close()).then(() => resolve({ arrived, port }), reject);
    });
  });
}

// The command line of a client-finding reproduction, `node PROGRAM CASE`: sends the case named CASE
// (a key of `cases`) with send(port, name, spec), judges what arrived with
// judges[spec.kind](spec, arrived, port) and exits with the judge's code: 0 as the dossier
// documents, 3 as RFC 5849 requires, 4 a third behaviour; 2 for an unknown CASE, 1 when the server
// cannot listen or the send fails.
async function run({ library, cases, send, judges }) {
  const name = process.argv[2];
  const spec = cases[name];
  if (!spec) {
    console.error(`usage: node ${process.argv[1]} CASE (one of: ${Object.keys(cases).join(', ')})`);
    process.exit(2);
  }
  try {
    const { arrived, port } = await capture((port) => send(port, name, spec));
    console.log(`finding:  clients/${library}/${name} (GET /${library}/${name}${spec.query})`);
    const code = judges[spec.kind](spec, arrived, port);
    console.log({ 0: 'as documented', 3: `fixed: ${library} now behaves as RFC 5849 requires`, 4: 'changed: a third behaviour' }[code]);
    process.exit(code);
  } catch (error) {
    console.error(`error: ${error.message}`);
    process.exit(1);
  }
}

module.exports = { TIMEOUT_MS, run };
