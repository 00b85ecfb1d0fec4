// audcheck adapter for @hapi/jwt: Jwt.token.decode(token), then
// Jwt.token.verify(artifacts, { key, algorithm }, { aud, iss, now }) as its API.md shows, and
// the library's own verdict (verify throws an Error whose message says why). Protocol:
// docs/protocol.md.
'use strict';
const readline = require('readline');
const Jwt = require('@hapi/jwt');
const { version } = require('@hapi/jwt/package.json');

// aud (API.md: "String or RegExp or array of strings or RegExp"):
// - "as-given": a string for one expected audience, an array for several;
// - "array": always an array of strings;
// - "regexp": each expected audience as new RegExp(value), unanchored and unescaped, as users
//   often write them (a misuse);
// - "regexp-anchored": each as an anchored RegExp of the escaped value, the careful form.
const KNOWN_OPTIONS = { aud: ['as-given', 'array', 'regexp', 'regexp-anchored'] };
let options = {};

function send(msg) {
  process.stdout.write(JSON.stringify(msg) + '\n');
}

function checkOptions(opts) {
  for (const [k, v] of Object.entries(opts)) {
    if (!KNOWN_OPTIONS[k]) return `unknown option "${k}"`;
    if (!KNOWN_OPTIONS[k].includes(v)) return `option "${k}" must be one of ${KNOWN_OPTIONS[k].join(', ')}`;
  }
  return null;
}

const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

function audOption(audience) {
  if (options.aud === 'array') return audience;
  if (options.aud === 'regexp') return audience.map((a) => new RegExp(a));
  if (options.aud === 'regexp-anchored') return audience.map((a) => new RegExp(`^${escapeRegExp(a)}$`));
  return audience.length === 1 ? audience[0] : audience;
}

// HS256: the secret's bytes; otherwise the SPKI PEM. The algorithm is pinned to the case's.
function secretFor(msg) {
  const key = msg.alg === 'HS256' ? Buffer.from(msg.key.jwk.k, 'base64url') : msg.key.pem;
  return { key, algorithm: msg.alg };
}

function reason(err, stage) {
  const m = err.message || '';
  if (stage === 'decode') return 'malformed';
  if (m === 'Token missing payload aud value') return 'missing-aud';
  if (m === 'Token audience is not allowed') return 'audience';
  if (m === 'Token expired') return 'expired';
  if (m === 'Token not yet active') return 'not-yet-valid';
  if (m === 'Token missing payload iss value' || m === 'Token payload iss value not allowed') return 'issuer';
  if (m === 'Invalid token signature' || m === 'Unsupported algorithm') return 'signature';
  if (m.startsWith('Invalid payload') || m.startsWith('Invalid token')) return 'malformed';
  return 'other';
}

function verify(msg) {
  let stage = 'decode';
  try {
    const artifacts = Jwt.token.decode(msg.token);
    stage = 'verify';
    const opts = { now: msg.now * 1000 };
    if (msg.issuer !== null) opts.iss = msg.issuer;
    // Inside the try: an expected audience that is no valid RegExp (the +regexp misuse)
    // fails the configuration, as it would in the user's service, and is not a crash.
    if (msg.audience !== null) opts.aud = audOption(msg.audience);
    Jwt.token.verify(artifacts, secretFor(msg), opts);
    return { op: 'verify', id: msg.id, accepted: true };
  } catch (err) {
    return { op: 'verify', id: msg.id, accepted: false, reason: reason(err, stage), error: `${stage}: ${err.name}: ${err.message}` };
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
    const problem = checkOptions(msg.options || {});
    if (problem) return send({ op: 'error', id: null, error: problem });
    options = msg.options || {};
    return send({
      op: 'hello', protocol: 1, library: '@hapi/jwt', version, language: 'node',
      capabilities: { algorithms: ['HS256', 'RS256', 'PS256', 'ES256', 'EdDSA'], audience: 'any-of' },
    });
  }
  if (msg.op === 'verify') return send(verify(msg));
  send({ op: 'error', id: msg.id || null, error: `unknown op "${msg.op}"` });
});
