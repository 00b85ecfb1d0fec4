// audcheck adapter for {{library}} (the protocol: audcheck's docs/protocol.md).
// It reads one JSON request a line on stdin and answers one a line on stdout. Configure the
// library the way its documentation tells users to, and report its own verdict: never
// check anything here yourself.
'use strict';
const readline = require('node:readline');

// The library under test: add it to package.json with an exact version, run `npm install`
// once to write package-lock.json, then require it here.
const LIBRARY = '{{library}}';
const VERSION = 'unknown'; // read it from the library, say require('<library>/package.json').version

const send = (msg) => process.stdout.write(JSON.stringify(msg) + '\n');

// The one place to change: verify msg.token with the library.
// msg.alg: "RS256"...; msg.key.jwk: the public JWK (an "oct" JWK holding the secret for
// HS256); msg.key.pem: the SPKI PEM; msg.audience: the expected audiences, or null for
// "configure none"; msg.issuer: the expected issuer; msg.now: the Unix time to check at.
// Return { accepted: true }, or { accepted: false, reason, error } with reason one of
// audience, missing-aud, signature, expired, not-yet-valid, issuer, malformed, config,
// other (or leave reason out) and error the library's own message.
function verify(msg) {
  // AUDCHECK-BEGIN library call
  return { accepted: false, reason: 'other', error: 'audcheck skeleton: call the library here' };
  // AUDCHECK-END library call
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  let msg;
  try {
    msg = JSON.parse(line);
  } catch (e) {
    return send({ op: 'error', id: null, error: `not JSON: ${e.message}` });
  }
  if (msg.op === 'hello') {
    const extra = Object.keys(msg.options || {});
    if (extra.length) return send({ op: 'error', id: null, error: `unknown option "${extra[0]}"; this adapter takes none` });
    return send({
      op: 'hello', protocol: 1, library: LIBRARY, version: VERSION, language: 'node',
      // The algorithms the library verifies, and how it takes several expected audiences.
      capabilities: { algorithms: ['HS256', 'RS256', 'PS256', 'ES256', 'EdDSA'], audience: 'any-of' },
    });
  }
  if (msg.op === 'verify') {
    try {
      return send({ op: 'verify', id: msg.id, ...verify(msg) });
    } catch (e) {
      // A library that throws where it should reject: say so, never crash.
      return send({ op: 'error', id: msg.id, error: `${e.name}: ${e.message}` });
    }
  }
  send({ op: 'error', id: msg.id ?? null, error: `unknown op "${msg.op}"` });
});
