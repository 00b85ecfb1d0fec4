// audcheck adapter for fast-jwt: createVerifier with allowedAud, as its README shows,
// reporting the library's own verdict. Protocol: docs/protocol.md.
'use strict';
const readline = require('readline');
const { createVerifier, TokenError } = require('fast-jwt');
const { version } = require('fast-jwt/package.json');

const send = (msg) => process.stdout.write(JSON.stringify(msg) + '\n');
const KNOWN = { required_aud: [true] };
let options = {};
const cached = new Map();

function optionsFor(msg) {
  const id = JSON.stringify([msg.alg, msg.audience, msg.issuer]);
  if (!cached.has(id)) {
    const opts = {
      key: msg.alg === 'HS256' ? Buffer.from(msg.key.jwk.k, 'base64url') : msg.key.pem,
      algorithms: [msg.alg],
    };
    if (msg.audience !== null) opts.allowedAud = msg.audience;
    if (msg.issuer !== null) opts.allowedIss = msg.issuer;
    if (options.required_aud) opts.requiredClaims = ['aud'];
    cached.set(id, opts);
  }
  return cached.get(id);
}

function reason(err) {
  const m = err.message || '';
  switch (err.code) {
    case TokenError.codes.expired: return 'expired';
    case TokenError.codes.inactive: return 'not-yet-valid';
    case TokenError.codes.invalidSignature: case TokenError.codes.invalidAlgorithm: return 'signature';
    case TokenError.codes.malformed: return 'malformed';
    case TokenError.codes.missingRequiredClaim: return m.includes(' aud ') ? 'missing-aud' : 'other';
    case TokenError.codes.invalidClaimType: return m.includes(' aud ') ? 'malformed' : 'other';
    case TokenError.codes.invalidClaimValue:
      if (m.includes(' aud ')) return 'audience';
      if (m.includes(' iss ')) return 'issuer';
      return 'other';
    case TokenError.codes.invalidKey: case TokenError.codes.missingKey: return 'config';
    default: return 'other';
  }
}

function verify(msg) {
  try {
    // The clock is the request's; the verifier's other options are cached.
    createVerifier({ ...optionsFor(msg), clockTimestamp: msg.now * 1000 })(msg.token);
    return { op: 'verify', id: msg.id, accepted: true };
  } catch (err) {
    return { op: 'verify', id: msg.id, accepted: false, reason: reason(err), error: `${err.code || err.name}: ${err.message}` };
  }
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  let msg;
  try {
    msg = JSON.parse(line);
  } catch (e) {
    return send({ op: 'error', id: null, error: `not JSON: ${e.message}` });
  }
  if (msg.op === 'hello') {
    for (const [k, v] of Object.entries(msg.options || {})) {
      if (!KNOWN[k] || !KNOWN[k].includes(v)) return send({ op: 'error', id: null, error: `unknown option ${k}=${JSON.stringify(v)}` });
    }
    options = msg.options || {};
    return send({
      op: 'hello', protocol: 1, library: 'fast-jwt', version, language: 'node',
      capabilities: { algorithms: ['HS256', 'RS256', 'PS256', 'ES256', 'EdDSA'], audience: 'any-of' },
    });
  }
  if (msg.op === 'verify') return send(verify(msg));
  send({ op: 'error', id: msg.id || null, error: `unknown op "${msg.op}"` });
});
