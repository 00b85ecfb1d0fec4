// audcheck adapter for jose: jwtVerify with the audience option, as its documentation
// shows, reporting the library's own verdict. Protocol: docs/protocol.md.
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import { importJWK, jwtVerify, errors } from 'jose';

const { version } = JSON.parse(readFileSync(new URL('./node_modules/jose/package.json', import.meta.url)));
const send = (msg) => process.stdout.write(JSON.stringify(msg) + '\n');
const keys = new Map();

async function keyFor(msg) {
  const id = `${msg.alg}:${msg.key.jwk.kid}`;
  if (!keys.has(id)) keys.set(id, await importJWK(msg.key.jwk, msg.alg));
  return keys.get(id);
}

function reason(err) {
  if (err instanceof errors.JWTExpired) return 'expired';
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return err.reason === 'missing' ? 'missing-aud' : 'audience';
    if (err.claim === 'iss') return 'issuer';
    if (err.claim === 'nbf') return 'not-yet-valid';
    return 'other';
  }
  if (err instanceof errors.JWSSignatureVerificationFailed || err instanceof errors.JOSEAlgNotAllowed) return 'signature';
  if (err instanceof errors.JWTInvalid || err instanceof errors.JWSInvalid) return 'malformed';
  if (err instanceof TypeError) return 'malformed';
  return 'other';
}

async function verify(msg) {
  const opts = { algorithms: [msg.alg], currentDate: new Date(msg.now * 1000) };
  if (msg.issuer !== null) opts.issuer = msg.issuer;
  if (msg.audience !== null) opts.audience = msg.audience;
  try {
    await jwtVerify(msg.token, await keyFor(msg), opts);
    return { op: 'verify', id: msg.id, accepted: true };
  } catch (err) {
    return { op: 'verify', id: msg.id, accepted: false, reason: reason(err), error: `${err.code || err.name}: ${err.message}` };
  }
}

// Answers go out in request order even though verification is asynchronous.
let queue = Promise.resolve();
createInterface({ input: process.stdin }).on('line', (line) => {
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
      op: 'hello', protocol: 1, library: 'jose', version, language: 'node',
      capabilities: { algorithms: ['HS256', 'RS256', 'PS256', 'ES256', 'EdDSA'], audience: 'any-of' },
    });
  }
  if (msg.op === 'verify') {
    queue = queue.then(() => verify(msg)).then(send);
    return;
  }
  send({ op: 'error', id: msg.id || null, error: `unknown op "${msg.op}"` });
});
